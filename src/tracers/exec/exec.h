/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* exec tracer: types shared by exec.bpf.c and exec.c. */
#ifndef TRACERHUB_TRACERS_EXEC_H
#define TRACERHUB_TRACERS_EXEC_H

#define EXEC_MAX_PROCS 16384
#define EXEC_ARGV_LEN 4096 /* bytes of the NUL-separated argument area kept per exec */
#define EXEC_FAIL_ARGS 32  /* arguments read from a failed exec's argv */
#define EXEC_COMM_LEN 16
#define EXEC_RING_BYTES (8 << 20)

/* Per process (tgid); per-CPU, cumulative. The counters come first, in this order. */
struct exec_proc {
	__u64 execs;
	__u64 exits;
	char comm[EXEC_COMM_LEN];
};

#define EXEC_COUNTERS 2

/* Per-CPU, cumulative: what the kernel side saw (after the filter) and could not record. */
enum exec_count {
	EXEC_CNT_FORKS, /* new processes (not threads) */
	EXEC_CNT_EXECS, /* successful execs */
	EXEC_CNT_EXITS, /* processes whose last thread exited */
	EXEC_CNT_FAILS, /* execs that failed (with --failed) */
	EXEC_CNT_DROP_RING,  /* records lost: ring buffer full */
	EXEC_CNT_DROP_PROCS, /* process table full: not in the per-process rows */
	EXEC_CNT_MAX,
};

enum exec_rec_kind {
	EXEC_REC_EXEC = 1,
	EXEC_REC_EXIT,
	EXEC_REC_FAIL, /* a failed execve/execveat: exit_code holds the errno */
};

/*
 * One ring-buffer record. Exit records stop before argv (they are
 * offsetof(struct exec_rec, argv) bytes long).
 */
struct exec_rec {
	__u32 kind;	 /* enum exec_rec_kind */
	__u32 pid;	 /* process id (tgid) */
	__u32 ppid;	 /* parent's process id */
	__u32 uid;
	__u64 ts_ns;	 /* CLOCK_MONOTONIC */
	__u64 start_ns;	 /* when the process started, CLOCK_MONOTONIC */
	__u32 exit_code; /* exit: the kernel's status word (code << 8 | core 0x80 | signal);
			  * failed exec: the errno */
	__u32 argv_len;	 /* size of the argument area; over argv_kept when not all was kept */
	__u32 argv_kept; /* bytes of argv filled */
	char comm[EXEC_COMM_LEN];
	char argv[EXEC_ARGV_LEN]; /* exec: arguments, each ending with NUL */
};

#endif
