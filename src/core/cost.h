/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Self-cost: BPF run-time statistics (run_time_ns / run_cnt) of a tracer's programs. */
#ifndef TRACERHUB_CORE_COST_H
#define TRACERHUB_CORE_COST_H

#include <linux/types.h>

/* Cumulative statistics of a set of loaded programs (hub__cost adds them up). */
struct cost {
	__u64 run_ns;	     /* cumulative run time of all loaded programs */
	__u64 run_cnt;	     /* cumulative runs */
	unsigned int nprogs; /* programs loaded */
};

/*
 * Turn run-time statistics on for as long as the returned fd is open (the
 * kernel turns them off again when the last holder closes it, even on
 * kill -9; the kernel.bpf_stats_enabled sysctl is not touched). Returns the
 * fd or a negative errno.
 */
int cost__enable_stats(void);

#endif
