// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * syscalls: counts per syscall and per process, optionally errors and
 * latency. By default the handler on sys_enter counts (the cheapest hook);
 * errors need the return value, so with errors or latency on, or when another
 * tracer hooks sys_exit anyway, the handler on sys_exit counts instead (the
 * syscall number is read from the saved registers) and sys_enter only notes
 * start times for latency.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/counters.bpf.h"
#include "bpf/hub.bpf.h"
#include "bpf/index.bpf.h"
#include "bpf/log2.bpf.h"
#include "bpf/syscall_nr.bpf.h"
#include "tracers/syscalls/syscalls.h"

const volatile bool targ_latency = false;

HUB_PROCS_MAP(syscalls, sc_procs, struct syscall_proc, SYSCALL_PROC_COUNTERS,
	      SYSCALLS_MAX_PROCS);

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

BPF_COUNTERS(sc_drops, SYSCALLS_DROP_MAX);

/* The per-syscall entry of nr: its own, or the last one for numbers beyond the table. */
static __always_inline __u32 stat_key(long nr)
{
	return index_max(nr, SYSCALL_NR_MAX);
}

static __always_inline void sc_record_latency(__u32 tid, long nr, struct syscall_stat *st)
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
	slot = log2_slot_max(delta, SYSCALLS_LAT_SLOTS - 1);
	lat->slots[slot]++;
}

/* Count syscall nr of the current process; failed: it returned an error. NULL when not counted. */
static __always_inline struct syscall_stat *sc_count(struct hub_ctx *hc, long nr, bool failed)
{
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
	cnt = hub__proc_counters(hc, HUB_PART_syscalls, hub__tgid(hc));
	if (!cnt) {
		counters__inc(&sc_drops, SYSCALLS_DROP_PROCS_FULL);
		return st;
	}
	cnt[0]++;
	cnt[1] += failed;
	return st;
}

/* Count at sys_enter unless sys_exit is hooked anyway (then errors come free there). */
HUB_HANDLER(syscalls, sys_enter)
{
	long nr = a->rung == HUB_RUNG_TP ? HUB_RECORD(a, trace_event_raw_sys_enter)->id : a->id;
	struct syscall_start start;
	__u32 tid;

	if (nr < 0 || !hub__pass(hc))
		return;
	if (!HUB_ON(syscalls, sys_exit))
		sc_count(hc, nr, false);
	if (!targ_latency)
		return;
	start.ts = bpf_ktime_get_ns();
	start.nr = nr;
	tid = hub__pid_tgid(hc);
	if (bpf_map_update_elem(&sc_start, &tid, &start, BPF_ANY))
		counters__inc(&sc_drops, SYSCALLS_DROP_THREADS_FULL);
}

HUB_HANDLER(syscalls, sys_exit)
{
	long nr = hub__exit_nr(hc, a), ret = syscall_ret__exit(a);
	struct syscall_stat *st;

	if (nr < 0 || !hub__pass(hc))
		return;
	st = sc_count(hc, nr, ret < 0 && ret >= -4095);
	if (st && targ_latency)
		sc_record_latency((__u32)hub__pid_tgid(hc), nr, st);
}
