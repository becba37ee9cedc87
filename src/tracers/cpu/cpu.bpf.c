// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cpu: on-CPU time, voluntary/involuntary context switches and run-queue
 * latency per process.
 *
 * By default nothing runs on a context switch: the scheduler keeps every
 * figure per task already (se.sum_exec_runtime, nvcsw, nivcsw,
 * sched_info.run_delay and pcount), so a task iterator (cpu_tasks) reports
 * them once per interval, and user space sums them per process and takes
 * differences. A thread that ends takes its figures with it: its final ones
 * are added to its process' entry in cpu_exited when it is freed
 * (sched_process_free; on the classic tracepoint rung, which gets no task
 * pointer there, at sched_process_exit, and the iterator then leaves out
 * exiting tasks so that nothing is counted twice).
 *
 * Run-queue latency histograms need each wait, so they come from a program
 * on sched_switch, loaded only for them (-H, -P) or when the iterator cannot
 * be used (then it counts time and switches too: targ_counters). It reads what the
 * scheduler has accounted itself: when a task comes in, its cumulative run
 * time, run-queue wait and arrivals are noted for the CPU; when it leaves,
 * the differences are the time it ran and the wait that preceded it
 * (sched_info_arrive adds it right after the tracepoint). No clock is read,
 * no wakeup hooks and no per-thread map are needed, and the figures agree
 * with getrusage and /proc/PID/schedstat. Both are counted when the task
 * leaves the CPU, in its own context, where the filter (pid, comm, cgroup)
 * applies and its process entry is at hand.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/hub.bpf.h"
#include "bpf/log2.bpf.h"
#include "bpf/proc_entry.bpf.h"
#include "tracers/cpu/cpu.h"

/* Classic tracepoint prev_state: 0 or 0x100 (preempted) in these bits means still running. */
#define TASK_REPORT_MASK 0xff
#define PF_EXITING	 0x00000004

/* Set before load (see cpu.c): what the switch program keeps, what the iterator leaves out. */
const volatile bool targ_counters = true;      /* the switch program counts time and switches */
const volatile bool targ_skip_exiting = false; /* the exit hook runs at sched_process_exit */

/* Not counted through the hub's process cell: the hub only renames it after an exec. */
HUB_PROCS_MAP(cpu, cpu_procs, struct cpu_proc, 0, CPU_MAX_PROCS);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, CPU_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct cpu_task);
} cpu_exited SEC(".maps");

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
		struct cpu_proc init;

		p = proc_entry__get(&cpu_procs, tgid, &init, sizeof(init),
				    offsetof(struct cpu_proc, comm));
	}
	return p;
}

/* The task leaving the CPU is the current one: charge its time, switch and wait. */
static __always_inline void charge_prev(struct cpu_state *c, const struct cpu_figures *out,
					bool involuntary)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = (__u32)id, tgid = id >> 32;
	struct cpu_proc *p;
	__u64 wait;
	__u32 slot;

	if (!pid || !filter__pass(tgid))
		return;
	p = proc_of(tgid);
	if (!p) {
		c->drops++;
		return;
	}
	if (targ_counters) {
		if (involuntary)
			p->invol_ctxsw++;
		else
			p->vol_ctxsw++;
	}
	if (c->pid != pid)
		return; /* it came in before we attached */
	if (targ_counters)
		p->cpu_ns += out->exec_ns - c->in.exec_ns;
	if (out->pcount == c->in.pcount)
		return; /* it got the CPU without a recorded wait */
	wait = out->run_delay - c->in.run_delay;
	slot = log2_slot_max(wait, CPU_RUNQ_SLOTS - 1);
	p->runq[slot]++;
	p->runq_ns += wait;
	c->runq[slot]++;
	c->runq_ns += wait;
}

/* A switch on this CPU from the current task (figures out) to next_pid (figures in). */
static __always_inline int on_switch(bool involuntary, const struct cpu_figures *out,
				     __u32 next_pid, const struct cpu_figures *in)
{
	__u32 zero = 0;
	struct cpu_state *c = bpf_map_lookup_elem(&cpu_states, &zero);

	if (!c)
		return 0;
	charge_prev(c, out, involuntary);
	c->pid = next_pid;
	c->in = *in;
	return 0;
}

/* sched_info exists with CONFIG_SCHED_INFO (selected by TASK_DELAY_ACCT and SCHEDSTATS). */
#define figures_btf(t)                                                                             \
	((struct cpu_figures){                                                                     \
		.exec_ns = (t)->se.sum_exec_runtime,                                               \
		.run_delay =                                                                       \
			bpf_core_field_exists((t)->sched_info) ? (t)->sched_info.run_delay : 0,    \
		.pcount = bpf_core_field_exists((t)->sched_info) ? (t)->sched_info.pcount : 0,     \
	})
#define figures_raw(t)                                                                             \
	((struct cpu_figures){                                                                     \
		.exec_ns = BPF_CORE_READ(t, se.sum_exec_runtime),                                  \
		.run_delay = bpf_core_field_exists((t)->sched_info)                                \
				     ? BPF_CORE_READ(t, sched_info.run_delay)                      \
				     : 0,                                                          \
		.pcount = bpf_core_field_exists((t)->sched_info)                                   \
				  ? BPF_CORE_READ(t, sched_info.pcount)                            \
				  : 0,                                                             \
	})

HUB_HANDLER(cpu, sched_switch)
{
	struct task_struct *prev = a->prev, *next = a->next; /* CO-RE reads need locals */

	if (a->rung == HUB_RUNG_BTF) {
		struct cpu_figures out = figures_btf(prev), in = figures_btf(next);

		on_switch(a->preempt || !a->prev_state, &out, next->pid, &in);
	} else if (a->rung == HUB_RUNG_RAW) {
		struct cpu_figures out = figures_raw(prev), in = figures_raw(next);

		on_switch(a->preempt || !a->prev_state, &out, BPF_CORE_READ(next, pid), &in);
	} else {
		/*
		 * Only pids here: the current task is prev, and rq->curr is already
		 * next (reached through prev's cfs_rq: the per-CPU `runqueues` symbol
		 * is not visible to BPF without KALLSYMS_ALL). A task that is not
		 * next_pid after all is not timed.
		 */
		struct trace_event_raw_sched_switch *r =
			HUB_RECORD(a, trace_event_raw_sched_switch);
		struct task_struct *cur = (struct task_struct *)bpf_get_current_task();
		struct task_struct *nxt = BPF_CORE_READ(cur, se.cfs_rq, rq, curr);
		struct cpu_figures out = figures_raw(cur), in = figures_raw(nxt);
		__u32 next_pid = BPF_CORE_READ(nxt, pid);

		on_switch(!(r->prev_state & TASK_REPORT_MASK), &out,
			  next_pid == (__u32)r->next_pid ? next_pid : 0, &in);
	}
}

/* What the scheduler has accounted for task so far, and its process' id and name. */
static __always_inline void task_read(struct task_struct *task, struct cpu_task *r)
{
	struct cpu_figures f = figures_raw(task);

	r->exec_ns = f.exec_ns;
	r->run_delay = f.run_delay;
	r->pcount = f.pcount;
	r->vol_ctxsw = BPF_CORE_READ(task, nvcsw);
	r->invol_ctxsw = BPF_CORE_READ(task, nivcsw);
	r->tgid = BPF_CORE_READ(task, tgid);
	BPF_CORE_READ_STR_INTO(&r->comm, task, group_leader, comm);
}

SEC("iter/task")
int cpu_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct cpu_task r = {};

	if (!task)
		return 0;
	if (targ_skip_exiting && (BPF_CORE_READ(task, flags) & PF_EXITING))
		return 0; /* the exit hook has counted it, or is about to */
	task_read(task, &r);
	if (!filter__pass_task(task, r.tgid))
		return 0;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

/* A thread is done: add its final figures to its process' exited entry. */
static __always_inline int task_exit(struct task_struct *task)
{
	struct cpu_task r = {}, *e;
	__u32 zero = 0;

	task_read(task, &r);
	if (!filter__pass_task(task, r.tgid))
		return 0;
	e = bpf_map_lookup_elem(&cpu_exited, &r.tgid);
	if (!e) {
		struct cpu_task init = { .tgid = r.tgid };

		__builtin_memcpy(init.comm, r.comm, sizeof(init.comm));
		bpf_map_update_elem(&cpu_exited, &r.tgid, &init, BPF_NOEXIST);
		e = bpf_map_lookup_elem(&cpu_exited, &r.tgid);
	}
	if (!e) {
		struct cpu_state *c = bpf_map_lookup_elem(&cpu_states, &zero);

		if (c)
			c->drops++;
		return 0;
	}
	/* Threads of one process may end on two CPUs at once. */
	__sync_fetch_and_add(&e->exec_ns, r.exec_ns);
	__sync_fetch_and_add(&e->vol_ctxsw, r.vol_ctxsw);
	__sync_fetch_and_add(&e->invol_ctxsw, r.invol_ctxsw);
	__sync_fetch_and_add(&e->run_delay, r.run_delay);
	__sync_fetch_and_add(&e->pcount, r.pcount);
	return 0;
}

/* The typed rungs: a thread is freed. */
HUB_HANDLER(cpu, sched_process_free)
{
	task_exit(a->p);
}

/* The tracepoint rung has no task pointer at sched_process_free: the exiting task, a little early. */
HUB_HANDLER(cpu, sched_process_exit)
{
	task_exit((struct task_struct *)bpf_get_current_task());
}
