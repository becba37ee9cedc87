/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* shell tracer: types shared by shell.bpf.c and shell.c. */
#ifndef TRACERHUB_TRACERS_SHELL_H
#define TRACERHUB_TRACERS_SHELL_H

#define SHELL_LINE_LEN 256
#define SHELL_COMM_LEN 16
#define SHELL_RING_BYTES (256 << 10)

/* One command line readline returned to an interactive shell. */
struct shell_rec {
	__u64 ts_ns; /* CLOCK_MONOTONIC */
	__u32 pid;   /* process id (tgid) */
	__u32 uid;
	char comm[SHELL_COMM_LEN];
	char line[SHELL_LINE_LEN];
};

/* Per-CPU, cumulative. */
enum shell_count {
	SHELL_CNT_LINES,     /* command lines seen (after the filter) */
	SHELL_CNT_DROP_RING, /* lines lost: ring buffer full */
	SHELL_CNT_MAX,
};

#endif
