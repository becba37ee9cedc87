// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The cost floor: an empty BPF program ("r0 = 0; exit") on each raw
 * tracepoint named (default sys_enter): what a tracer on those hooks costs
 * before doing any work. Runs until SIGINT/SIGTERM; prints "ready:" on stderr
 * once attached. Usage: floor [TRACEPOINT...]   (e.g. sys_exit, net_dev_queue)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

int main(int argc, char **argv)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	const char *deflt[] = { "sys_enter" };
	const char **tps = argc > 1 ? (const char **)argv + 1 : deflt;
	int ntps = argc > 1 ? argc - 1 : 1;
	sigset_t set;
	int prog, sig;

	prog = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "floor", "GPL", insns, 2, NULL);
	if (prog < 0) {
		fprintf(stderr, "floor: load failed: %s\n", strerror(errno));
		return 1;
	}
	/* The links stay open until exit, which detaches them. */
	for (int i = 0; i < ntps; i++) {
		if (bpf_raw_tracepoint_open(tps[i], prog) < 0) {
			fprintf(stderr, "floor: attach to %s failed: %s\n", tps[i], strerror(errno));
			return 1;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fprintf(stderr, "floor: ready: empty raw_tp program on %d tracepoint(s)\n", ntps);
	sigwait(&set, &sig);
	return 0;
}
