// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cpu: on-CPU time, voluntary/involuntary context switches and run-queue
 * latency per process, from sched_switch alone.
 *
 * One program per switch keeps the cost low on switch-heavy loads: the time
 * a task ran is the time since the previous switch on this CPU; its
 * run-queue latency is what the scheduler itself measures (the runqueue
 * clock minus sched_info.last_queued, set when the task was woken up or
 * preempted), so no wakeup hooks and no per-thread map are needed. Both
 * are counted when the task leaves the CPU, in its own context, where the
 * filter (pid, comm, cgroup) applies and its process entry is at hand.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/filter.bpf.h"
#include "bpf/log2.bpf.h"
#include "bpf/proc_entry.bpf.h"
#include "tracers/cpu/cpu.h"

#define TASK_REPORT_MASK 0xff /* classic tracepoint prev_state: 0 or 0x100 (preempted) = running */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, CPU_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct cpu_proc);
} cpu_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_state);
} cpu_states SEC(".maps");

/* The entry of tgid, created (named after the current task's process) when missing. */
static __always_inline struct cpu_proc *proc_of(__u32 tgid)
{
	struct cpu_proc *p = bpf_map_lookup_elem(&cpu_procs, &tgid);

	if (!p) {
		struct cpu_proc init = {};

		p = proc_entry__get(&cpu_procs, tgid, &init, offsetof(struct cpu_proc, comm));
	}
	return p;
}

/* The task leaving the CPU is the current one: charge its time, switch and wait. */
static __always_inline void charge_prev(struct cpu_state *c, __u64 now, bool involuntary)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = (__u32)id, tgid = id >> 32;
	struct cpu_proc *p;
	__u32 slot;

	if (!pid || !c->since_ns || !filter__pass(tgid))
		return;
	p = proc_of(tgid);
	if (!p) {
		c->drops++;
		return;
	}
	p->cpu_ns += now - c->since_ns;
	if (involuntary)
		p->invol_ctxsw++;
	else
		p->vol_ctxsw++;
	if (c->wait_pid != pid)
		return;
	slot = log2_slot(c->wait_ns);
	if (slot >= CPU_RUNQ_SLOTS)
		slot = CPU_RUNQ_SLOTS - 1;
	p->runq[slot]++;
	p->runq_ns += c->wait_ns;
	c->runq[slot]++;
	c->runq_ns += c->wait_ns;
}

/*
 * A switch on this CPU. The task coming in is next_pid; it was queued at
 * next_queued (its sched_info.last_queued) by this runqueue's clock, which
 * reads clock now (both 0 when unknown). The runqueue clock also times the
 * task going out: one clock read fewer per switch.
 */
static __always_inline int on_switch(bool involuntary, __u32 next_pid, __u64 next_queued,
				     __u64 clock)
{
	__u64 now = clock ? clock : bpf_ktime_get_ns();
	__u32 zero = 0;
	struct cpu_state *c = bpf_map_lookup_elem(&cpu_states, &zero);

	if (!c)
		return 0;
	charge_prev(c, now, involuntary);
	c->since_ns = now;
	c->wait_pid = 0;
	if (next_pid && next_queued && clock >= next_queued) {
		c->wait_pid = next_pid;
		c->wait_ns = clock - next_queued;
	}
	return 0;
}

/*
 * sched_info exists with CONFIG_SCHED_INFO (selected by TASK_DELAY_ACCT and
 * SCHEDSTATS); a task's runqueue is reached through its cfs_rq (with
 * FAIR_GROUP_SCHED; the per-CPU `runqueues` symbol is not visible to BPF
 * without KALLSYMS_ALL). The runqueue clock was updated by this schedule(),
 * and sched_info_arrive() will read the same value.
 */
#define has_runq_fields(t) (bpf_core_field_exists((t)->sched_info) && bpf_core_field_exists((t)->se.cfs_rq->rq))
#define queued_btf(t) (has_runq_fields(t) ? (t)->sched_info.last_queued : 0)
#define clock_btf(t) (has_runq_fields(t) ? (t)->se.cfs_rq->rq->clock : 0)
#define queued_raw(t) (has_runq_fields(t) ? BPF_CORE_READ(t, sched_info.last_queued) : 0)
#define clock_raw(t) (has_runq_fields(t) ? BPF_CORE_READ(t, se.cfs_rq, rq, clock) : 0)

SEC("tp_btf/sched_switch")
int BPF_PROG(cpu_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	return on_switch(preempt || !prev_state, next->pid, queued_btf(next), clock_btf(next));
}

SEC("raw_tp/sched_switch")
int BPF_PROG(cpu_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next,
	     unsigned int prev_state)
{
	return on_switch(preempt || !prev_state, BPF_CORE_READ(next, pid), queued_raw(next),
			 clock_raw(next));
}

SEC("tracepoint/sched/sched_switch")
int cpu_switch_tp(struct trace_event_raw_sched_switch *ctx)
{
	/* rq->curr is already the next task when the tracepoint fires. */
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
	struct task_struct *next = BPF_CORE_READ(cur, se.cfs_rq, rq, curr);

	return on_switch(!(ctx->prev_state & TASK_REPORT_MASK), ctx->next_pid, queued_raw(next),
			 clock_raw(next));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
