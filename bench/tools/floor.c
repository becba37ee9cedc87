// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The cost floor: an empty BPF program ("r0 = 0; exit") on each hook named
 * (default sys_enter): what a tracer on those hooks costs before doing any
 * work. A hook is a raw tracepoint (sys_enter, net_dev_queue, ...) or, to
 * compare kinds of hook, KIND:NAME with KIND one of raw_tp, tp_btf (typed
 * tracepoint), fentry, fexit (BPF trampolines on kernel function NAME) and
 * kprobe. Runs until SIGINT/SIGTERM; prints "ready:" on stderr once attached.
 * Usage: floor [HOOK...]   (e.g. sys_exit, tp_btf:sys_enter, fentry:vfs_read)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

static const struct bpf_insn insns[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

/* Load the empty program of type, for BTF target id with attach (0: none); fd or -errno. */
static int load(enum bpf_prog_type type, enum bpf_attach_type attach, int id)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .attach_btf_id = id > 0 ? id : 0);
	int fd = bpf_prog_load(type, "floor", "GPL", insns, 2, &opts);

	return fd < 0 ? -errno : fd;
}

/* The BTF id of name (of kind) in the kernel's BTF, or -errno. */
static int btf_id(const char *name, int kind)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id;

	if (!vmlinux)
		return -errno;
	id = btf__find_by_name_kind(vmlinux, name, kind);
	btf__free(vmlinux);
	return id;
}

/* A kprobe on function name running prog; the perf event fd (kept open) or -errno. */
static int kprobe(const char *name, int prog)
{
	struct perf_event_attr attr = { .size = sizeof(attr) };
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "r");
	int type = -1, fd;

	if (!f)
		return -errno;
	if (fscanf(f, "%d", &type) != 1)
		type = -1;
	fclose(f);
	if (type < 0)
		return -ENOENT;
	attr.type = type;
	attr.config1 = (__u64)(unsigned long)name;
	fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog) || ioctl(fd, PERF_EVENT_IOC_ENABLE, 0))
		return -errno;
	return fd;
}

/* Attach an empty program to hook ("NAME" or "KIND:NAME"); 0 or -errno. Links stay open. */
static int attach(const char *hook)
{
	const char *colon = strchr(hook, ':'), *name = colon ? colon + 1 : hook;
	size_t klen = colon ? (size_t)(colon - hook) : 0;
	char typedef_name[128];
	int prog, link;

	if (!colon || !strncmp(hook, "raw_tp", klen)) {
		prog = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0);
		link = prog < 0 ? prog : bpf_raw_tracepoint_open(name, prog);
	} else if (!strncmp(hook, "tp_btf", klen)) {
		snprintf(typedef_name, sizeof(typedef_name), "btf_trace_%s", name);
		prog = load(BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP,
			    btf_id(typedef_name, BTF_KIND_TYPEDEF));
		link = prog < 0 ? prog : bpf_raw_tracepoint_open(NULL, prog);
	} else if (!strncmp(hook, "fentry", klen) || !strncmp(hook, "fexit", klen)) {
		prog = load(BPF_PROG_TYPE_TRACING,
			    hook[1] == 'e' ? BPF_TRACE_FENTRY : BPF_TRACE_FEXIT,
			    btf_id(name, BTF_KIND_FUNC));
		link = prog < 0 ? prog : bpf_raw_tracepoint_open(NULL, prog);
	} else if (!strncmp(hook, "kprobe", klen)) {
		prog = load(BPF_PROG_TYPE_KPROBE, 0, 0);
		link = prog < 0 ? prog : kprobe(name, prog);
	} else {
		return -EINVAL;
	}
	if (prog < 0)
		return prog;
	return link < 0 ? (link == -1 ? -errno : link) : 0;
}

int main(int argc, char **argv)
{
	const char *deflt[] = { "sys_enter" };
	const char **hooks = argc > 1 ? (const char **)argv + 1 : deflt;
	int nhooks = argc > 1 ? argc - 1 : 1;
	sigset_t set;
	int sig;

	/* The links stay open until exit, which detaches them. */
	for (int i = 0; i < nhooks; i++) {
		int err = attach(hooks[i]);

		if (err) {
			fprintf(stderr, "floor: attach to %s failed: %s\n", hooks[i], strerror(-err));
			return 1;
		}
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fprintf(stderr, "floor: ready: empty program on %d hook(s)\n", nhooks);
	sigwait(&set, &sig);
	return 0;
}
