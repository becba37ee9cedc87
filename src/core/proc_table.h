/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-process counters kept in a BPF per-CPU hash keyed by tgid, whose value
 * is ncounters cumulative __u64 counters followed by char comm[16], optionally
 * counted through the hub's per-CPU process cells (src/bpf/hub_cell.bpf.h). Turns
 * them into snapshot rows of interval deltas and forgets processes that
 * exited once their last counts were reported.
 */
#ifndef TRACERHUB_CORE_PROC_TABLE_H
#define TRACERHUB_CORE_PROC_TABLE_H

#include <linux/types.h>
#include "model/delta.h"
#include "model/metric.h"
#include "hub_hooks.h"

struct bpf_map;
struct snapshot;

#define PROC_TABLE_COMM_LEN 16

/* A process' name as the kernel side recorded it. */
struct comm_entry {
	__u32 tgid;
	char comm[PROC_TABLE_COMM_LEN];
};

struct proc_table {
	struct bpf_map *map;
	struct bpf_map *cells;	    /* the hub's process cells holding pending counts, or NULL */
	enum hub_part part;	    /* map's part of the cells */
	const enum metric *metrics; /* metric of counter i */
	unsigned int ncounters;	    /* at most DELTA_VALUES */
	unsigned int nshown;	    /* the first nshown counters are metrics; 0: all of them */
	struct delta delta;
	struct comm_entry *names; /* last interval's names, sorted by tgid */
	size_t nnames;
	__u32 *gone; /* processes found gone, unchanged, last interval: sorted tgids */
	size_t ngone;
};

/*
 * Add a row per process whose shown counters changed since the last call,
 * declare the metrics, and add each shown counter's total change to totals[i].
 * Returns 0 or a negative errno.
 */
int proc_table__collect(struct proc_table *t, struct snapshot *s, __u64 *totals);
/*
 * Point t at a tracer's per-process map and the hub's cells (cells: the
 * skeleton's hub_cells; part: the tracer's part of them), counter i being
 * metrics[i] (t->nshown is left as the tracer sets it).
 */
void proc_table__bind(struct proc_table *t, struct bpf_map *map, struct bpf_map *cells,
		      enum hub_part part, const enum metric *metrics, unsigned int ncounters);
/* Free the remembered values. */
void proc_table__free(struct proc_table *t);

#endif
