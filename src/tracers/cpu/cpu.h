/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* cpu tracer: types shared by cpu.bpf.c and cpu.c. */
#ifndef TRACERHUB_TRACERS_CPU_H
#define TRACERHUB_TRACERS_CPU_H

#define CPU_MAX_PROCS  16384 /* preallocated: ~340 B per CPU each */
#define CPU_RUNQ_SLOTS 36    /* log2 of ns: up to ~34 s */
#define CPU_COMM_LEN   16

/*
 * Per process (tgid); per-CPU, cumulative. The counters come first, in this
 * order, then the name, then the process' run-queue latency histogram.
 */
struct cpu_proc {
	__u64 cpu_ns;
	__u64 vol_ctxsw;
	__u64 invol_ctxsw;
	char comm[CPU_COMM_LEN];
	__u64 runq_ns; /* run-queue latency, summed */
	__u64 runq[CPU_RUNQ_SLOTS];
};

#define CPU_COUNTERS 3

/*
 * What the scheduler has accounted so far (all cumulative) for one task, as
 * the task iterator reports it, or for the exited tasks of a process (the
 * cpu_exited map, keyed by tgid). The counters come first, in this order.
 */
struct cpu_task {
	__u64 exec_ns;	   /* se.sum_exec_runtime */
	__u64 vol_ctxsw;   /* nvcsw */
	__u64 invol_ctxsw; /* nivcsw */
	__u64 run_delay;   /* sched_info.run_delay */
	__u64 pcount;	   /* sched_info.pcount */
	__u32 tgid;
	__u32 pad;
	char comm[CPU_COMM_LEN]; /* the process' (group leader's) name */
};

#define CPU_TASK_COUNTERS 5

/* What the scheduler has accounted for a task so far; all cumulative. */
struct cpu_figures {
	__u64 exec_ns;	 /* se.sum_exec_runtime */
	__u64 run_delay; /* sched_info.run_delay: ns waited on a run queue */
	__u64 pcount;	 /* sched_info.pcount: times it got a CPU after waiting */
};

/* Per CPU (a one-entry per-CPU array): the task on it, and cumulative totals. */
struct cpu_state {
	__u32 pid; /* the task that came in last, 0 when unknown */
	__u32 pad;
	struct cpu_figures in; /* its figures when it came in (see cpu.bpf.c) */
	__u64 drops;	       /* switches or exits not counted per process: a table full */
	__u64 runq_ns;	       /* run-queue latency of every task that ran here: sum, histogram */
	__u64 runq[CPU_RUNQ_SLOTS];
};

#endif
