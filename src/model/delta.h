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
	__u32 missed; /* in prev: reads in a row this key was missing from */
};

struct delta {
	struct delta_entry *prev; /* sorted by key */
	size_t nprev;
	/*
	 * How many reads a key missing from a read is remembered for (0: forgotten at once).
	 * A key that may vanish for a while and come back with its cumulative values (a
	 * process between two sources of its figures) then changes by what it gained, not by
	 * its full value again; delta__forget drops a key known to be gone for good.
	 */
	unsigned int keep;
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
/* Forget key's remembered values: its next appearance changes by its full value. */
void delta__forget(struct delta *d, __u64 key);
/*
 * Sort cur[0..n) by key and add up the values of entries with the same key
 * (e.g. a key's entries in several CPUs' copies of a table) into the first
 * of them. Returns the number of entries left, one per key.
 */
size_t delta__merge(struct delta_entry *cur, size_t n);
/* Free the remembered values; d may be reused afterwards. */
void delta__free(struct delta *d);

#endif
