// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
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
#include <bpf/libbpf.h>
#include "core/features.h"
#include "core/tracefs.h"

static const struct {
	const char *name;
	const char *meaning;
} feature_text[FEAT_COUNT] = {
	[FEAT_BTF] = { "btf", "kernel type info (/sys/kernel/btf/vmlinux): CO-RE and tp_btf need it" },
	[FEAT_TRACEFS] = { "tracefs", "mounted at " TRACEFS_PATH ": classic tracepoints need it" },
	[FEAT_TP_BTF] = { "tp_btf", "typed tracepoints: the preferred rung for every tracer" },
	[FEAT_RAW_TP] = { "raw_tp", "raw tracepoints: the second rung, no tracefs needed" },
	[FEAT_TRACEPOINT] = { "tracepoint", "classic tracepoints: the last rung (needs tracefs)" },
	[FEAT_KPROBE] = { "kprobe", "kernel function probes: not needed, peers like BCC fail without" },
	[FEAT_FENTRY] = { "fentry", "BPF trampolines: not needed, libbpf-tools' tcpconnlat/biosnoop "
				    "fail without" },
	[FEAT_UPROBE] = { "uprobe", "user function probes: `shell` (bash readline) needs them" },
	[FEAT_RINGBUF] = { "ringbuf", "BPF ring buffer: event streams (slow IO, connections, execs)" },
	[FEAT_PERF_SW] = { "perf_sw", "perf software events: page-fault counting fallback" },
	[FEAT_BPF_STATS] = { "bpf_stats", "BPF run-time statistics: each tracer's ns/event" },
	[FEAT_ITER_TASK] = { "iter_task", "BPF task iterator: `cpu` reads tasks once per interval" },
};

const char *feature__name(enum feature feat)
{
	return feature_text[feat].name;
}

const char *feature__meaning(enum feature feat)
{
	return feature_text[feat].meaning;
}

/*
 * The tracepoint the rungs are tried on: any works, and this one is cheap to
 * attach (attaching to sys_enter marks every task for syscall tracing, and
 * unmarks it at detach).
 */
#define PROBE_TRACEPOINT "task_newtask"

/* Load "r0 = 0; exit" as a program of the given type; returns its fd or -errno. */
static int load_trivial(enum bpf_prog_type type, enum bpf_attach_type attach, __u32 btf_id)
{
	const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach,
		    .attach_btf_id = btf_id);
	int fd = bpf_prog_load(type, "th_probe", "GPL", insns, 2, &opts);

	return fd < 0 ? -errno : fd;
}

/* The BTF id of prefix+name of kind in vmlinux, as libbpf_find_vmlinux_btf_id finds targets. */
static int btf_id(const struct btf *vmlinux, const char *prefix, const char *name, int kind)
{
	char full[128];

	if (!vmlinux)
		return -ENOENT;
	snprintf(full, sizeof(full), "%s%s", prefix, name);
	return btf__find_by_name_kind(vmlinux, full, kind);
}

/* What attaching prog gave: link, or -1 with errno set; both closed. 0 or -errno. */
static int attach_result(int prog, int link)
{
	int err = link < 0 ? -errno : 0;

	if (link >= 0)
		close(link);
	close(prog);
	return err;
}

/*
 * Load a trivial program of type (attach type and BTF target id, or 0) and
 * attach it with bpf_raw_tracepoint_open(name, ...), name NULL for a BTF
 * target; then detach. 0 or -errno.
 */
static int try_open(enum bpf_prog_type type, enum bpf_attach_type attach, int id,
		    const char *name)
{
	int prog = load_trivial(type, attach, id);

	if (prog < 0)
		return prog;
	return attach_result(prog, bpf_raw_tracepoint_open(name, prog));
}

/* Load a tracing program for a BTF target (of id, or an error) and attach it; 0 or -errno. */
static int try_btf_attach(int id, enum bpf_attach_type attach)
{
	return id < 0 ? id : try_open(BPF_PROG_TYPE_TRACING, attach, id, NULL);
}

static int try_raw_tp(void)
{
	return try_open(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, PROBE_TRACEPOINT);
}

static int perf_open(struct perf_event_attr *attr)
{
	int fd = syscall(SYS_perf_event_open, attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static long read_long(const char *path)
{
	char buf[32] = "";
	FILE *f = fopen(path, "r");
	long v = -1;

	if (!f)
		return -errno;
	if (fgets(buf, sizeof(buf), f))
		v = strtol(buf, NULL, 10);
	fclose(f);
	return v;
}

static int try_tracepoint(void)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .size = sizeof(attr) };
	long id = read_long(TRACEFS_PATH "/events/task/" PROBE_TRACEPOINT "/id");
	int prog, pfd, err = 0;

	if (id < 0)
		return id == -1 ? -EINVAL : (int)id;
	attr.config = id;
	prog = load_trivial(BPF_PROG_TYPE_TRACEPOINT, 0, 0);
	if (prog < 0)
		return prog;
	pfd = perf_open(&attr);
	if (pfd < 0) {
		err = pfd;
	} else {
		if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog))
			err = -errno;
		close(pfd);
	}
	close(prog);
	return err;
}

static int try_kprobe(void)
{
	struct perf_event_attr attr = { .size = sizeof(attr) };
	long type = read_long("/sys/bus/event_source/devices/kprobe/type");
	int fd;

	if (type < 0)
		return -ENOENT;
	attr.type = type;
	attr.config1 = (__u64)(unsigned long)"vfs_read";
	fd = perf_open(&attr);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int try_uprobe(void)
{
	return read_long("/sys/bus/event_source/devices/uprobe/type") < 0 ? -ENOENT : 0;
}

static int try_perf_sw(void)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(attr),
					.config = PERF_COUNT_SW_PAGE_FAULTS };
	int fd = perf_open(&attr);

	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

static int try_bpf_stats(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Load an empty task iterator program and create its link; 0 or -errno. */
static int try_iter_task(int id)
{
	int prog;

	if (id < 0)
		return id;
	prog = load_trivial(BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, id);
	if (prog < 0)
		return prog;
	return attach_result(prog, bpf_link_create(prog, 0, BPF_TRACE_ITER, NULL));
}

static void set(struct features *f, enum feature feat, int err)
{
	f->ok[feat] = err == 0;
	f->err[feat] = err;
}

/* Try feature feat; the BTF and tracefs, which others need, are tried by then. */
static int try_feature(struct features *f, enum feature feat)
{
	switch (feat) {
	case FEAT_BTF:
		if (access("/sys/kernel/btf/vmlinux", R_OK))
			return -errno;
		f->vmlinux = btf__load_vmlinux_btf();
		return f->vmlinux ? 0 : -errno;
	case FEAT_TRACEFS:
		return tracefs__ensure(&f->mounted_tracefs);
	case FEAT_TP_BTF:
		return try_btf_attach(btf_id(f->vmlinux, "btf_trace_", PROBE_TRACEPOINT,
					     BTF_KIND_TYPEDEF), BPF_TRACE_RAW_TP);
	case FEAT_RAW_TP:
		return try_raw_tp();
	case FEAT_TRACEPOINT:
		return f->ok[FEAT_TRACEFS] ? try_tracepoint() : f->err[FEAT_TRACEFS];
	case FEAT_KPROBE:
		return try_kprobe();
	case FEAT_FENTRY:
		return try_btf_attach(btf_id(f->vmlinux, "", "vfs_read", BTF_KIND_FUNC),
				      BPF_TRACE_FENTRY);
	case FEAT_UPROBE:
		return try_uprobe();
	case FEAT_RINGBUF:
		return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1 ? 0 : -ENOTSUP;
	case FEAT_PERF_SW:
		return try_perf_sw();
	case FEAT_BPF_STATS:
		return try_bpf_stats();
	case FEAT_ITER_TASK:
		return try_iter_task(btf_id(f->vmlinux, "bpf_iter_", "task", BTF_KIND_FUNC));
	default:
		return -EINVAL;
	}
}

/* The features a probe of feat needs tried first. */
static unsigned int needs(enum feature feat)
{
	switch (feat) {
	case FEAT_TP_BTF:
	case FEAT_FENTRY:
	case FEAT_ITER_TASK:
		return FEATURE_BIT(FEAT_BTF);
	case FEAT_TRACEPOINT:
		return FEATURE_BIT(FEAT_TRACEFS);
	default:
		return 0;
	}
}

void features__probe(struct features *f, unsigned int mask)
{
	for (int i = 0; i < FEAT_COUNT; i++)
		if (mask & FEATURE_BIT(i))
			mask |= needs(i);
	for (int i = 0; i < FEAT_COUNT; i++) {
		if (!(mask & FEATURE_BIT(i)) || f->probed[i])
			continue;
		set(f, i, try_feature(f, i));
		f->probed[i] = true;
	}
}

void features__probe_run(struct features *f)
{
	static const enum feature rungs[] = { FEAT_TP_BTF, FEAT_RAW_TP, FEAT_TRACEPOINT };

	features__probe(f, FEATURE_BIT(FEAT_BTF) | FEATURE_BIT(FEAT_UPROBE) |
				   FEATURE_BIT(FEAT_RINGBUF) | FEATURE_BIT(FEAT_PERF_SW) |
				   FEATURE_BIT(FEAT_ITER_TASK));
	for (size_t i = 0; i < sizeof(rungs) / sizeof(rungs[0]); i++) {
		features__probe(f, FEATURE_BIT(rungs[i]));
		if (f->ok[rungs[i]])
			break;
	}
}

void features__free(struct features *f)
{
	btf__free(f->vmlinux);
	f->vmlinux = NULL;
}
