/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* syscalls tracer: types shared by syscalls.bpf.c and syscalls.c. */
#ifndef TRACERHUB_TRACERS_SYSCALLS_H
#define TRACERHUB_TRACERS_SYSCALLS_H

#include "bpf/syscall_nr.h"

#define SYSCALLS_MAX_PROCS 10240
#define SYSCALLS_MAX_THREADS 10240
#define SYSCALLS_LAT_SLOTS 40 /* log2 of ns: up to ~9 minutes */
#define SYSCALLS_COMM_LEN 16

/* Per syscall number. */
struct syscall_stat {
	__u64 count;
	__u64 errors; /* returns in [-4095, -1] */
	__u64 lat_ns; /* summed latency, with latency on */
};

/* Per process (tgid); per-CPU, cumulative. comm is set on the CPU that created the entry. */
struct syscall_proc {
	__u64 count;
	__u64 errors;
	char comm[SYSCALLS_COMM_LEN];
};

#define SYSCALL_PROC_COUNTERS 2

/* A CPU's per-syscall stats (index SYSCALL_NR_MAX counts larger numbers); cumulative. */
struct syscall_cpu {
	struct syscall_stat stats[SYSCALL_NR_MAX + 1];
};

/* Per syscall number latency histogram (log2 ns); per-CPU, cumulative. */
struct syscall_lat {
	__u64 slots[SYSCALLS_LAT_SLOTS];
};

/* Where a syscall was seen entering (latency on). */
struct syscall_start {
	__u64 ts;
	__s64 nr;
};

enum syscalls_drop {
	SYSCALLS_DROP_PROCS_FULL,   /* process table full: counted per syscall, not per process */
	SYSCALLS_DROP_THREADS_FULL, /* start-time table full: latency not measured */
	SYSCALLS_DROP_MAX,
};

#endif
