/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Merging the snapshots of a time range into one, for reports: counters
 * add up, gauges keep their maximum, histograms and tables merge by name,
 * health adds up per tracer, and only the slowest events are kept.
 */
#ifndef TRACERHUB_STORE_MERGE_H
#define TRACERHUB_STORE_MERGE_H

#include <stddef.h>
#include "model/snapshot.h"
#include "model/totals.h"

#define MERGE_TRACERS 32

struct merge {
	struct snapshot acc;	  /* the merged snapshot; strings point into the sources' storage */
	__u32 pid;		  /* only this process' rows and events, 0 for all */
	char comm[SNAP_COMM_LEN]; /* only processes named so, "" for all */
	size_t max_events;	  /* slowest events kept */
	unsigned long intervals;
	__u64 events_total; /* recorded events that passed the filter */
	struct {
		char tracer[SNAP_NAME_LEN];
		__u64 events;
	} per_tracer[MERGE_TRACERS]; /* recorded events by tracer */
	unsigned int ntracers;
	struct totals since; /* histograms and health of the range: model/totals.h */
};

/* Start an empty merge keeping the max_events slowest events, filtered by pid and comm. */
void merge__init(struct merge *m, __u32 pid, const char *comm, size_t max_events);
/*
 * Add snapshot s (rows sorted by pid, as snapshot__finish leaves them). Table
 * columns named avg_* are averaged weighted by the table's first column.
 * 0 or -ENOMEM.
 */
int merge__add(struct merge *m, const struct snapshot *s);
/*
 * Sort what merge__add appended and put the range's histograms (per comm,
 * model/totals.h) and health in; call once after the last merge__add. 0 or
 * -ENOMEM.
 */
int merge__finish(struct merge *m);
/*
 * Merge table t into the table of the same tracer, name and key in acc (added
 * when missing): rows by key, counts add up, avg_* columns are averaged
 * weighted by the first column. 0 or -ENOMEM.
 */
int merge__table(struct snapshot *acc, const struct snap_table *t);
/* Free the merged snapshot; m may be NULL. */
void merge__free(struct merge *m);

#endif
