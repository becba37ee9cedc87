// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * io: per process read/write operations and bytes, opens (from syscall
 * exits), io_uring submissions and block requests started on its behalf.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/counters.bpf.h"
#include "bpf/hub.bpf.h"
#include "bpf/syscall_nr.bpf.h"
#include "tracers/io/io.h"

const volatile __u8 io_kind[SYSCALL_NR_MAX] = {};

HUB_PROCS_MAP(io, io_procs, struct io_proc, IO_COUNTERS, IO_MAX_PROCS);

BPF_COUNTERS(io_drops, IO_DROP_MAX);

/*
 * The current process' counters if it passes the filter, else NULL. The drop is
 * counted by hand, not with counters__inc: with it clang lays out the hot
 * sys_exit program of the tracepoint rung differently (6 instructions more).
 */
static __always_inline __u64 *io_counters(struct hub_ctx *hc)
{
	__u32 key = IO_DROP_PROCS_FULL;
	__u64 *c, *cnt;

	if (!hub__pass(hc))
		return NULL;
	c = hub__proc_counters(hc, HUB_PART_io, hub__tgid(hc));
	if (!c) {
		cnt = bpf_map_lookup_elem(&io_drops, &key);
		if (cnt)
			(*cnt)++;
	}
	return c;
}

static __always_inline void io_on_exit(struct hub_ctx *hc, long nr, long ret)
{
	__u64 *c;
	__u8 kind;

	if (nr < 0 || nr >= SYSCALL_NR_MAX || ret < 0)
		return;
	kind = io_kind[nr];
	if (kind == IO_KIND_NONE)
		return;
	c = io_counters(hc);
	if (!c)
		return;
	switch (kind) {
	case IO_KIND_READ:
		c[IO_READ_OPS]++;
		c[IO_READ_BYTES] += ret;
		break;
	case IO_KIND_WRITE:
		c[IO_WRITE_OPS]++;
		c[IO_WRITE_BYTES] += ret;
		break;
	case IO_KIND_OPEN:
		c[IO_OPENS]++;
		break;
	}
}

HUB_HANDLER(io, sys_exit)
{
	io_on_exit(hc, hub__exit_nr(hc, a), syscall_ret__exit(a));
}

HUB_HANDLER(io, io_uring_submit_req)
{
	__u64 *c = io_counters(hc);

	if (c)
		c[IO_URING_SUBMITS]++;
}

/* Started in the submitter's context: kworkers and writeback get rows of their own. */
HUB_HANDLER(io, block_io_start)
{
	__u64 bytes = a->rung == HUB_RUNG_TP ? HUB_RECORD(a, trace_event_raw_block_rq)->bytes
					     : HUB_READ(a, a->rq, __data_len);
	__u64 *c = io_counters(hc);

	if (c) {
		c[IO_BLOCK_REQS]++;
		c[IO_BLOCK_BYTES] += bytes;
	}
}
