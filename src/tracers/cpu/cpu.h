/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* cpu tracer: types shared by cpu.bpf.c and cpu.c. */
#ifndef TRACERHUB_TRACERS_CPU_H
#define TRACERHUB_TRACERS_CPU_H

#define CPU_MAX_PROCS 16384 /* preallocated: ~340 B per CPU each */
#define CPU_RUNQ_SLOTS 36 /* log2 of ns: up to ~34 s */
#define CPU_COMM_LEN 16

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

/* Per CPU (a one-entry per-CPU array): the task on it, and cumulative totals. */
struct cpu_state {
	__u64 since_ns;	 /* when the current task got this CPU (runqueue clock, else ktime) */
	__u64 wait_ns;	 /* how long it waited on the run queue before that */
	__u32 wait_pid;	 /* thread wait_ns belongs to, 0 when none */
	__u32 pad;
	__u64 drops;	 /* switches not counted per process: process table full */
	__u64 runq_ns;	 /* run-queue latency of every task that ran here: sum, histogram */
	__u64 runq[CPU_RUNQ_SLOTS];
};

#endif
