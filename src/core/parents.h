/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The parent of every process row of a snapshot, from /proc/PID/stat, read
 * when a pid first shows up and kept while it keeps showing up in every
 * interval: the tree of `top` and of its replays (recordings carry it).
 */
#ifndef TRACERHUB_CORE_PARENTS_H
#define TRACERHUB_CORE_PARENTS_H

#include <stddef.h>
#include <linux/types.h>

struct snapshot;

struct parent_entry {
	__u32 pid, ppid;
};

struct parents {
	struct parent_entry *known, *next; /* by pid: last interval's rows, this one's */
	size_t nknown, known_cap, next_cap;
};

/*
 * Set ppid of every row of s (sorted by pid: after snapshot__finish): kept
 * from the interval before when the pid was there, else read from /proc (0
 * when the process is gone, or in another pid namespace). 0 or -ENOMEM
 * (the rows then keep ppid 0).
 */
int parents__fill(struct parents *p, struct snapshot *s);
/* Free p's memory; p may be NULL. */
void parents__free(struct parents *p);

#endif
