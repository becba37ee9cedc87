/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The recording file: plain SQLite, schema documented in docs/recording.md.
 * Opening checks that a file is a tracerhub recording of the schema version
 * this build reads, and says clearly when it is not.
 */
#ifndef TRACERHUB_STORE_DB_H
#define TRACERHUB_STORE_DB_H

#include <stdbool.h>
#include <sqlite3.h>
#include <linux/types.h>
#include "store/schema.h"

#define STORE_SCHEMA_VERSION 6
#define STORE_APPLICATION_ID 0x54524842 /* "TRHB" */

enum db_open {
	DB_READ,  /* a reader, in a process that does not write the file */
	DB_WRITE, /* the one writer: created with the schema when missing, else appended */
};

/*
 * Open path. Readers are read-only (mode=ro while a recorder writes the file,
 * else immutable) and create nothing beside it. The writer takes an exclusive
 * lock first and returns its fd in *lock_fd, to be closed after db__close.
 * Returns 0 and *db, or a negative errno after log__error said what is wrong:
 * -ENOENT (missing), -EACCES (cannot open or create), -EINVAL (not SQLite,
 * not a recording, truncated), -EPROTO (another schema version) or -EBUSY
 * (another writer holds the file; the message names its pid).
 */
int db__open(const char *path, enum db_open how, sqlite3 **db, int *lock_fd);
/*
 * Take the writer's lock on the file open at fd (an open-file-description lock
 * that no close of another fd of the file drops; it goes with the process).
 * 0, -EAGAIN or -EACCES when another process holds it, or -errno.
 */
int db__lock_writer(int fd);
/*
 * In SQLite the names of an event (its comm, its tracer when its kind keeps
 * one, its SCOL_STR columns: few distinct tuples) are one row of tags, whose
 * id TABLE_raw holds in tag, when they are DB_TAG_MIN or more; its other
 * columns follow tag, in their order. A kind of fewer names (an exec: its
 * comm and event) keeps them as columns, comm and tracer first.
 */
#define DB_TAG_NAMES 8
#define DB_TAG_MIN   3
/* How many names kind k has (at most DB_TAG_NAMES: a unit test checks). */
unsigned int db__tag_names(const struct schema_kind *k);
/* Does kind k keep its names in a tag? */
bool db__kind_tagged(const struct schema_kind *k);
/* Is column c of kind k one of the names in its tag? */
bool db__col_tagged(const struct schema_kind *k, unsigned int c);
/* How many columns TABLE_raw of kind k has before those of its fields (tag, or comm and tracer). */
unsigned int db__kind_fixed(const struct schema_kind *k);
/*
 * Column c of kind k: its place among the tag's names (0 is comm, 1 the
 * tracer when kept) when tagged, else among the columns of TABLE_raw after
 * the db__kind_fixed first ones.
 */
unsigned int db__kind_slot(const struct schema_kind *k, unsigned int c);
/*
 * Is metric m kept in procs_raw.more (a JSON object of the metrics of the web
 * page's network and journey sections that are not 0: a process with sockets
 * has them, one in tens of those a machine runs) rather than in a column of
 * its own (the metrics of most processes: CPU, syscalls, IO, faults, disks)?
 */
bool db__metric_in_more(int m);
/* Close; db may be NULL. */
void db__close(sqlite3 *db);
/*
 * Prepare sql; returns the statement or NULL after log__error (the SQL is
 * ours, so a failure means a damaged or foreign file).
 */
sqlite3_stmt *db__prepare(sqlite3 *db, const char *sql);
/* Prepare sql[0..n) into st[0..n). 0, or a negative errno (after log__error; st may be part-filled). */
int db__prepare_all(sqlite3 *db, const char *const *sql, int n, sqlite3_stmt **st);
/* Finalize st[0..n) (NULL entries allowed). */
void db__finalize_all(sqlite3_stmt **st, int n);
/* Finalize st[0..n) and free st, an allocated array (NULL allowed). */
void db__free_all(sqlite3_stmt **st, int n);
/* db__open, then db__prepare_all of sql[0..n) into st: the start of a reader and a writer. */
int db__open_prepared(const char *path, enum db_open how, sqlite3 **db, int *lock_fd,
		      const char *const *sql, int n, sqlite3_stmt **st);
/* Run statements without results; 0 or -EIO after log__error. */
int db__exec(sqlite3 *db, const char *sql);
/*
 * The negative errno of an SQLite result code: -ENOSPC (disk full), -EROFS,
 * -EINVAL (corrupt, not a database), -EIO otherwise.
 */
int db__errno(int rc);
/* Bind a u64 (stored bit for bit as SQLite's signed 64-bit integer). */
int db__bind_u64(sqlite3_stmt *st, int col, __u64 v);
/* Bind a time bound in ns, ~0 ("no bound") clamped to the largest stored value. */
int db__bind_time(sqlite3_stmt *st, int col, __u64 ns);
/* Read a u64 column stored by db__bind_u64. */
__u64 db__column_u64(sqlite3_stmt *st, int col);
/* A text column, "" for NULL. */
const char *db__column_text(sqlite3_stmt *st, int col);

#endif
