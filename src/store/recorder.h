/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The recording sink: every snapshot becomes one SQLite transaction, so a
 * crash loses at most the interval being written. Old intervals are deleted
 * past a size or age bound.
 */
#ifndef TRACERHUB_STORE_RECORDER_H
#define TRACERHUB_STORE_RECORDER_H

#include <linux/types.h>

struct recorder;
struct snapshot;

struct recorder_opts {
	__u64 max_size;	  /* bytes of data kept in the file, 0 for no bound */
	__u64 max_age_ns; /* intervals older than this before the newest are deleted, 0 = keep */
	const char *host; /* the recording host's name (--host), in every interval row */
};

/*
 * Open (create or append to) the recording at path, holding the writer's
 * lock until recorder__close. Returns 0 and *out, or a negative errno after
 * log__error said why (see db__open; -EBUSY: another recorder has it).
 */
int recorder__open(const char *path, const struct recorder_opts *o, struct recorder **out);
/*
 * sink.emit: write snapshot s in one transaction, then apply the bounds.
 * Returns 0, or a negative errno (-ENOSPC when the disk is full) after
 * log__error; the transaction is rolled back and what was written before
 * stays readable.
 */
int recorder__emit(void *ctx, const struct snapshot *s);
/* Intervals written by this recorder. */
unsigned long recorder__count(const struct recorder *r);
/*
 * Close the file (checkpointing the WAL into it); r may be NULL. A recording
 * that ended well at 8 MiB or less is compacted first (VACUUM).
 */
void recorder__close(struct recorder *r);

#endif
