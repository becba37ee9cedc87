/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading a recording back: which intervals a time range holds, and each
 * interval as the snapshot it was recorded from (strings interned in a pool
 * the reader owns, so loaded snapshots are valid until reader__close).
 */
#ifndef TRACERHUB_STORE_READER_H
#define TRACERHUB_STORE_READER_H

#include <sqlite3.h>
#include <linux/types.h>

struct reader;
struct snapshot;

/* The intervals a range holds. */
struct reader_span {
	long long first_id, last_id; /* 0 when count is 0 */
	__u64 first_ns, last_ns;     /* end times of the first and last interval */
	__u64 start_ns;		     /* start of the first interval (its end - its length) */
	unsigned long count;
};

/*
 * Open a recording read-only, creating nothing beside it. Never in the
 * process that writes the file: closing an fd of it there would drop the
 * writer's POSIX locks (record --socket reads from its server process). 0
 * and *out, or a negative errno after log__error (see db__open).
 */
int reader__open(const char *path, struct reader **out);
/* Close; r may be NULL. Snapshots loaded from it must not be used afterwards. */
void reader__close(struct reader *r);
/* The SQLite handle, for queries of its own (search). */
sqlite3 *reader__db(struct reader *r);
/* The path it was opened with. */
const char *reader__path(const struct reader *r);
/*
 * The intervals whose end time is in [from_ns, to_ns] (0 and ~0 for all).
 * 0, or -errno after log__error (a damaged file).
 */
int reader__span(struct reader *r, __u64 from_ns, __u64 to_ns, struct reader_span *span);
/*
 * The first interval after id `after` ending at or before to_ns: *id, or 0
 * when none. 0 or -errno after log__error.
 */
int reader__next(struct reader *r, long long after, __u64 to_ns, long long *id);
/*
 * The last interval ending at or before ts_ns (the first one when ts_ns is
 * before it) into *id, 0 when the recording is empty. 0 or -errno.
 */
int reader__seek(struct reader *r, __u64 ts_ns, long long *id);
/*
 * Reset s and fill it with interval id as recorded (rows sorted by pid).
 * 0, -ENOENT (no such interval) or -errno after log__error.
 */
int reader__load(struct reader *r, long long id, struct snapshot *s);

#endif
