/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A bounded ring of recent snapshots, each a deep copy (the session reuses its
 * snapshot after every interval). A pure data structure: callers that share it
 * between threads hold their own lock.
 */
#ifndef TRACERHUB_MODEL_HISTORY_H
#define TRACERHUB_MODEL_HISTORY_H

#include <stddef.h>
#include <linux/types.h>
#include "model/snapshot.h"

struct history {
	struct snapshot *slots; /* cap snapshots, reused as the ring turns */
	size_t cap;		/* at most this many snapshots are kept */
	size_t n;		/* snapshots held */
	size_t head;		/* slot the next push writes */
	size_t max_events;	/* events kept per copy, the rest counted in events_lost */
	__u64 pushed;		/* snapshots pushed since init: a sequence number */
};

/*
 * Copy src into dst, reusing dst's allocations (dst must be zeroed or a
 * snapshot). At most max_events events are copied; the others are added to
 * dst->events_lost. Returns 0 or -ENOMEM (dst is then empty but valid).
 */
int snapshot__copy(struct snapshot *dst, const struct snapshot *src, size_t max_events);

/* Set up an empty ring of cap (>= 1) snapshots. 0 or -EINVAL / -ENOMEM. */
int history__init(struct history *h, size_t cap, size_t max_events);
/* Free every copy; h may be NULL. */
void history__free(struct history *h);
/*
 * Append a copy of s, dropping the oldest when full. Returns 0 or -ENOMEM
 * (the ring then holds what it held before, less the slot being written).
 */
int history__push(struct history *h, const struct snapshot *s);
/* The i-th snapshot held, 0 the oldest; NULL when i >= h->n. */
const struct snapshot *history__at(const struct history *h, size_t i);
/* The newest snapshot, or NULL when empty. */
const struct snapshot *history__latest(const struct history *h);

#endif
