// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * syscalls: counts per syscall and per process, optionally errors and
 * latency. By default one program on sys_enter counts (the cheapest hook);
 * errors need the return value, so with errors or latency on, the program on
 * sys_exit counts instead (the syscall number is read from the saved
 * registers) and sys_enter only notes start times for latency. A program on
 * sched_process_exec renames a process after an exec.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/filter.bpf.h"
#include "bpf/log2.bpf.h"
#include "bpf/proc_entry.bpf.h"
#include "bpf/syscall_nr.bpf.h"
#include "tracers/syscalls/syscalls.h"

const volatile bool targ_latency = false;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, SYSCALLS_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct syscall_proc);
} sc_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syscall_cpu);
} sc_cpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYSCALL_NR_MAX + 1);
	__type(key, __u32);
	__type(value, struct syscall_lat);
} sc_lat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, SYSCALLS_MAX_THREADS);
	__type(key, __u32);
	__type(value, struct syscall_start);
} sc_start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYSCALLS_DROP_MAX);
	__type(key, __u32);
	__type(value, __u64);
} sc_drops SEC(".maps");

static __always_inline void drop(__u32 why)
{
	__u64 *cnt = bpf_map_lookup_elem(&sc_drops, &why);

	if (cnt)
		(*cnt)++;
}

/* The per-syscall entry of nr: its own, or the last one for numbers beyond the table. */
static __always_inline __u32 stat_key(long nr)
{
	return nr < SYSCALL_NR_MAX ? nr : SYSCALL_NR_MAX;
}

static __always_inline void record_latency(__u32 tid, long nr, struct syscall_stat *st)
{
	__u32 key = stat_key(nr);
	struct syscall_start *start = bpf_map_lookup_elem(&sc_start, &tid);
	struct syscall_lat *lat;
	__u64 delta;
	__u32 slot;

	if (!start || start->nr != nr || !start->ts)
		return;
	delta = bpf_ktime_get_ns() - start->ts;
	start->ts = 0;
	st->lat_ns += delta;
	lat = bpf_map_lookup_elem(&sc_lat, &key);
	if (!lat)
		return;
	slot = log2_slot(delta);
	if (slot >= SYSCALLS_LAT_SLOTS)
		slot = SYSCALLS_LAT_SLOTS - 1;
	lat->slots[slot]++;
}

/* Count syscall nr of process tgid; failed: it returned an error. NULL when not counted. */
static __always_inline struct syscall_stat *count(long nr, __u32 tgid, bool failed)
{
	struct syscall_proc init;
	struct syscall_stat *st;
	struct syscall_cpu *cpu;
	__u32 zero = 0;
	__u64 *cnt;

	cpu = bpf_map_lookup_elem(&sc_cpu, &zero);
	if (!cpu)
		return NULL;
	st = &cpu->stats[stat_key(nr)];
	st->count++;
	st->errors += failed;
	cnt = proc_cache__pending(&cpu->head, &sc_procs, tgid, &init, sizeof(init),
				  offsetof(struct syscall_proc, comm), SYSCALL_PROC_COUNTERS);
	if (!cnt) {
		drop(SYSCALLS_DROP_PROCS_FULL);
		return st;
	}
	cnt[0]++;
	cnt[1] += failed;
	return st;
}

static __always_inline int on_enter_count(long nr)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (nr >= 0 && filter__pass(tgid))
		count(nr, tgid, false);
	return 0;
}

static __always_inline int on_exit(long nr, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	struct syscall_stat *st;

	if (nr < 0 || !filter__pass(tgid))
		return 0;
	st = count(nr, tgid, ret < 0 && ret >= -4095);
	if (st && targ_latency)
		record_latency((__u32)pid_tgid, nr, st);
	return 0;
}

/* After an exec the process has a new name. */
static __always_inline int on_exec(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct syscall_proc *p = bpf_map_lookup_elem(&sc_procs, &tgid);

	if (p)
		proc_entry__rename(p, offsetof(struct syscall_proc, comm));
	return 0;
}

static __always_inline int on_enter(long nr)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct syscall_start start = { .ts = bpf_ktime_get_ns(), .nr = nr };
	__u32 tid = pid_tgid;

	if (!filter__pass(pid_tgid >> 32))
		return 0;
	if (bpf_map_update_elem(&sc_start, &tid, &start, BPF_ANY))
		drop(SYSCALLS_DROP_THREADS_FULL);
	return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_count_btf, struct pt_regs *regs, long id)
{
	return on_enter_count(id);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_count_raw, struct pt_regs *regs, long id)
{
	return on_enter_count(id);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int sys_enter_count_tp(struct trace_event_raw_sys_enter *ctx)
{
	return on_enter_count(ctx->id);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit_btf, struct pt_regs *regs, long ret)
{
	return on_exit(syscall_nr__btf(regs), ret);
}

SEC("raw_tp/sys_exit")
int BPF_PROG(sys_exit_raw, struct pt_regs *regs, long ret)
{
	return on_exit(syscall_nr__raw(regs), ret);
}

SEC("tracepoint/raw_syscalls/sys_exit")
int sys_exit_tp(struct trace_event_raw_sys_exit *ctx)
{
	return on_exit(ctx->id, ctx->ret);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter_btf, struct pt_regs *regs, long id)
{
	return on_enter(id);
}

SEC("raw_tp/sys_enter")
int BPF_PROG(sys_enter_raw, struct pt_regs *regs, long id)
{
	return on_enter(id);
}

SEC("tracepoint/raw_syscalls/sys_enter")
int sys_enter_tp(struct trace_event_raw_sys_enter *ctx)
{
	return on_enter(ctx->id);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(exec_btf)
{
	return on_exec();
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(exec_raw)
{
	return on_exec();
}

SEC("tracepoint/sched/sched_process_exec")
int exec_tp(void *ctx)
{
	return on_exec();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
