// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * io: per process read/write operations and bytes, opens (from syscall
 * exits), io_uring submissions and block requests started on its behalf.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/filter.bpf.h"
#include "bpf/proc_entry.bpf.h"
#include "bpf/syscall_nr.bpf.h"
#include "tracers/io/io.h"

const volatile __u8 io_kind[SYSCALL_NR_MAX] = {};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, IO_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct io_proc);
} io_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct io_proc_cache);
} io_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IO_DROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} io_drops SEC(".maps");

/* The current process' counters if it passes the filter, else NULL. */
static __always_inline __u64 *current_counters(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 key = IO_DROP_PROCS_FULL;
	struct io_proc init;
	__u64 *c, *cnt;

	if (!filter__pass(tgid))
		return NULL;
	c = proc_cache__counters(&io_cache, &io_procs, tgid, &init, sizeof(init),
				 offsetof(struct io_proc, comm), IO_COUNTERS);
	if (!c) {
		cnt = bpf_map_lookup_elem(&io_drops, &key);
		if (cnt)
			(*cnt)++;
	}
	return c;
}

/* After an exec: rename the process' entry. */
static __always_inline void renamed(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct io_proc *p = bpf_map_lookup_elem(&io_procs, &tgid);

	if (p)
		proc_entry__rename(p, offsetof(struct io_proc, comm));
}

static __always_inline int on_exit(long nr, long ret)
{
	__u64 *c;
	__u8 kind;

	if (nr < 0 || nr >= SYSCALL_NR_MAX || ret < 0)
		return 0;
	kind = io_kind[nr];
	if (kind == IO_KIND_NONE)
		return 0;
	if (kind == IO_KIND_EXEC) {
		renamed();
		return 0;
	}
	c = current_counters();
	if (!c)
		return 0;
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
	return 0;
}

static __always_inline int on_uring_submit(void)
{
	__u64 *c = current_counters();

	if (c)
		c[IO_URING_SUBMITS]++;
	return 0;
}

static __always_inline int on_block_start(__u64 bytes)
{
	/* Started in the submitter's context: kworkers and writeback get rows of their own. */
	__u64 *c = current_counters();

	if (c) {
		c[IO_BLOCK_REQS]++;
		c[IO_BLOCK_BYTES] += bytes;
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(io_sys_exit_btf, struct pt_regs *regs, long ret)
{
	return on_exit(syscall_nr__btf(regs), ret);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(io_sys_exit_raw, struct pt_regs *regs, long ret)
{
	return on_exit(syscall_nr__raw(regs), ret);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int io_sys_exit_tp(struct trace_event_raw_sys_exit *ctx)
{
	return on_exit(ctx->id, ctx->ret);
}

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(io_uring_submit_btf)
{
	return on_uring_submit();
}

SEC("raw_tp/io_uring_submit_req")
int BPF_PROG(io_uring_submit_raw)
{
	return on_uring_submit();
}

SEC("tracepoint/io_uring/io_uring_submit_req")
int io_uring_submit_tp(void *ctx)
{
	return on_uring_submit();
}

SEC("tp_btf/block_io_start")
int BPF_PROG(io_block_start_btf, struct request *rq)
{
	return on_block_start(rq->__data_len);
}

SEC("raw_tp/block_io_start")
int BPF_PROG(io_block_start_raw, struct request *rq)
{
	return on_block_start(BPF_CORE_READ(rq, __data_len));
}

SEC("tracepoint/block/block_io_start")
int io_block_start_tp(struct trace_event_raw_block_rq *ctx)
{
	return on_block_start(ctx->bytes);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
