// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The cost floor: an empty BPF program ("r0 = 0; exit") on the raw
 * tracepoint sys_enter. Runs until SIGINT/SIGTERM; prints "ready:" on
 * stderr once attached. Usage: floor [sys_enter|sys_exit]
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
	const char *tp = argc > 1 ? argv[1] : "sys_enter";
	sigset_t set;
	int prog, link, sig;

	prog = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "floor", "GPL", insns, 2, NULL);
	if (prog < 0) {
		fprintf(stderr, "floor: load failed: %s\n", strerror(errno));
		return 1;
	}
	link = bpf_raw_tracepoint_open(tp, prog);
	if (link < 0) {
		fprintf(stderr, "floor: attach to %s failed: %s\n", tp, strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fprintf(stderr, "floor: ready: empty raw_tp program on %s\n", tp);
	sigwait(&set, &sig);
	close(link);
	close(prog);
	return 0;
}
