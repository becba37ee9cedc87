/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Interval deltas of cumulative counters. BPF maps only ever count up (so no
 * increment is lost to a read-and-reset race); this turns this interval's
 * cumulative values into the change since the previous interval.
 */
#ifndef TRACERHUB_MODEL_DELTA_H
#define TRACERHUB_MODEL_DELTA_H

#include <stddef.h>
#include <linux/types.h>

#define DELTA_VALUES 16 /* netproc keeps 12 counters per process */

struct delta_entry {
	__u64 key;
	__u64 v[DELTA_VALUES];
};

struct delta {
	struct delta_entry *prev; /* sorted by key */
	size_t nprev;
};

/*
 * cur[0..n) holds cumulative values for this interval, in any order. On
 * success it is sorted by key and cur[i].v holds the change since the last
 * call (a key seen for the first time changes by its full value; a counter
 * read short, below its previous value, changes by 0 and keeps the previous
 * value, so a short read never turns into a double count later).
 * Returns 0 or -ENOMEM (then nothing changed).
 */
int delta__advance(struct delta *d, struct delta_entry *cur, size_t n);
/*
 * Sort cur[0..n) by key and add up the values of entries with the same key
 * (e.g. a key's entries in several CPUs' copies of a table) into the first
 * of them. Returns the number of entries left, one per key.
 */
size_t delta__merge(struct delta_entry *cur, size_t n);
/* Free the remembered values; d may be reused afterwards. */
void delta__free(struct delta *d);

#endif
