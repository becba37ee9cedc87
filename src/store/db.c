// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "core/log.h"
#include "store/db.h"

/* Schema version 1; docs/recording.md explains every table and column. */
static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE intervals(id INTEGER PRIMARY KEY, ts_ns INTEGER NOT NULL,"
    " interval_ns INTEGER NOT NULL, final INTEGER NOT NULL, metrics TEXT NOT NULL,"
    " events_lost INTEGER NOT NULL);"
    "CREATE INDEX intervals_ts ON intervals(ts_ns);"
    "CREATE TABLE procs(interval_id INTEGER NOT NULL, pid INTEGER NOT NULL,"
    " comm TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL);"
    "CREATE INDEX procs_interval ON procs(interval_id, pid);"
    "CREATE INDEX procs_pid ON procs(pid, interval_id);"
    "CREATE TABLE processes(pid INTEGER NOT NULL, comm TEXT NOT NULL,"
    " first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL, PRIMARY KEY(pid, comm))"
    " WITHOUT ROWID;"
    "CREATE INDEX processes_comm ON processes(comm);"
    "CREATE TABLE hists(id INTEGER PRIMARY KEY, interval_id INTEGER NOT NULL,"
    " tracer TEXT NOT NULL, name TEXT NOT NULL, label TEXT NOT NULL, unit TEXT NOT NULL,"
    " count INTEGER NOT NULL, sum INTEGER NOT NULL);"
    "CREATE INDEX hists_interval ON hists(interval_id);"
    "CREATE TABLE hist_buckets(hist_id INTEGER NOT NULL, slot INTEGER NOT NULL,"
    " low INTEGER NOT NULL, high INTEGER NOT NULL, count INTEGER NOT NULL,"
    " PRIMARY KEY(hist_id, slot)) WITHOUT ROWID;"
    "CREATE TABLE snap_tables(id INTEGER PRIMARY KEY, interval_id INTEGER NOT NULL,"
    " tracer TEXT NOT NULL, name TEXT NOT NULL, key_name TEXT NOT NULL);"
    "CREATE INDEX snap_tables_interval ON snap_tables(interval_id);"
    "CREATE TABLE table_cols(table_id INTEGER NOT NULL, col INTEGER NOT NULL,"
    " name TEXT NOT NULL, unit TEXT NOT NULL, PRIMARY KEY(table_id, col)) WITHOUT ROWID;"
    "CREATE TABLE table_cells(table_id INTEGER NOT NULL, row INTEGER NOT NULL,"
    " col INTEGER NOT NULL, key TEXT NOT NULL, value INTEGER NOT NULL,"
    " PRIMARY KEY(table_id, row, col)) WITHOUT ROWID;"
    "CREATE TABLE events(id INTEGER PRIMARY KEY, interval_id INTEGER NOT NULL,"
    " ts_ns INTEGER NOT NULL, tracer TEXT NOT NULL, pid INTEGER NOT NULL,"
    " comm TEXT NOT NULL, dur_ns INTEGER NOT NULL);"
    "CREATE INDEX events_interval ON events(interval_id);"
    "CREATE INDEX events_pid ON events(pid);"
    "CREATE INDEX events_comm ON events(comm);"
    "CREATE TABLE event_fields(event_id INTEGER NOT NULL, idx INTEGER NOT NULL,"
    " key TEXT NOT NULL, num INTEGER, str TEXT, kind TEXT, search TEXT,"
    " PRIMARY KEY(event_id, idx)) WITHOUT ROWID;"
    "CREATE INDEX event_fields_search ON event_fields(kind, search) WHERE kind IS NOT NULL;"
    "CREATE TABLE health(interval_id INTEGER NOT NULL, tracer TEXT NOT NULL,"
    " rung TEXT NOT NULL, events INTEGER NOT NULL, drops INTEGER NOT NULL,"
    " run_ns INTEGER NOT NULL, run_cnt INTEGER NOT NULL, programs INTEGER NOT NULL,"
    " PRIMARY KEY(interval_id, tracer)) WITHOUT ROWID;";

int db__errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_READONLY:
		return -EROFS;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EINVAL;
	case SQLITE_CANTOPEN:
		return -EACCES;
	default:
		return -EIO;
	}
}

sqlite3_stmt *db__prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK) {
		log__error("%s: damaged or foreign recording: %s", sqlite3_db_filename(db, NULL),
			   sqlite3_errmsg(db));
		errno = -db__errno(rc);
		return NULL;
	}
	return st;
}

int db__prepare_all(sqlite3 *db, const char *const *sql, int n, sqlite3_stmt **st)
{
	for (int i = 0; i < n; i++) {
		st[i] = db__prepare(db, sql[i]);
		if (!st[i])
			return -errno;
	}
	return 0;
}

void db__finalize_all(sqlite3_stmt **st, int n)
{
	for (int i = 0; i < n; i++)
		sqlite3_finalize(st[i]);
}

int db__exec(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		log__error("%s: %s", sqlite3_db_filename(db, NULL), sqlite3_errmsg(db));
		return db__errno(rc);
	}
	return 0;
}

int db__bind_u64(sqlite3_stmt *st, int col, __u64 v)
{
	return sqlite3_bind_int64(st, col, (sqlite3_int64)v);
}

int db__bind_time(sqlite3_stmt *st, int col, __u64 ns)
{
	return sqlite3_bind_int64(st, col, ns > (__u64)INT64_MAX ? INT64_MAX : (sqlite3_int64)ns);
}

__u64 db__column_u64(sqlite3_stmt *st, int col)
{
	return (__u64)sqlite3_column_int64(st, col);
}

const char *db__column_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

static __u32 be32(const unsigned char *p)
{
	return (__u32)p[0] << 24 | (__u32)p[1] << 16 | (__u32)p[2] << 8 | p[3];
}

/* Is there a non-empty write-ahead log beside path (then it holds pages the file lacks)? */
static bool has_wal(const char *path)
{
	char wal[4096];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return !stat(wal, &st) && st.st_size > 0;
}

/*
 * Check the file header before SQLite sees the file: its magic, and that the
 * file is as long as the header says (a truncated copy is caught here, not
 * halfway through a report). 0 for an empty file, else 0 or -EINVAL.
 */
static int check_header(const char *path, int fd)
{
	unsigned char h[100];
	struct stat st;
	__u64 page_size, pages;
	ssize_t n;

	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode)) {
		log__error("%s: not a regular file: give the path of a recording (.db)", path);
		return -EINVAL;
	}
	if (st.st_size == 0)
		return 0;
	n = pread(fd, h, sizeof(h), 0);
	if (n < 16 || memcmp(h, "SQLite format 3", 16)) {
		log__error("%s: not a tracerhub recording (not an SQLite database)", path);
		return -EINVAL;
	}
	if (n < (ssize_t)sizeof(h)) {
		log__error("%s: truncated recording (%zd bytes): the file is incomplete", path, n);
		return -EINVAL;
	}
	page_size = (__u64)h[16] << 8 | h[17];
	if (page_size == 1)
		page_size = 65536;
	pages = be32(h + 28);
	/* the in-header size is valid when the change counter matches "version-valid-for" */
	if (be32(h + 24) == be32(h + 92) && pages && !has_wal(path) &&
	    ((__u64)st.st_size < pages * page_size || st.st_size % page_size)) {
		log__error("%s: truncated recording (%lld of %llu bytes): the file is incomplete",
			   path, (long long)st.st_size, (unsigned long long)(pages * page_size));
		return -EINVAL;
	}
	return 0;
}

/* One integer from a PRAGMA; -EINVAL after log__error when the file is not readable. */
static int pragma_int(sqlite3 *db, const char *path, const char *sql, long long *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		log__error("%s: not a readable tracerhub recording: %s", path, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : db__errno(rc);
}

/* Is this a recording we read? 1 = yes, 0 = an empty database (no tables), else -errno. */
static int check_identity(sqlite3 *db, const char *path)
{
	long long app = 0, version = 0, tables = 0;
	int err;

	err = pragma_int(db, path, "PRAGMA application_id", &app);
	if (!err)
		err = pragma_int(db, path, "PRAGMA user_version", &version);
	if (!err)
		err = pragma_int(db, path, "SELECT count(*) FROM sqlite_master", &tables);
	if (err)
		return err;
	if (app == 0 && version == 0 && tables == 0)
		return 0;
	if (app != STORE_APPLICATION_ID) {
		log__error("%s: an SQLite database, but not a tracerhub recording", path);
		return -EINVAL;
	}
	if (version != STORE_SCHEMA_VERSION) {
		log__error("%s: recording schema version %lld, this tracerhub reads version %d: "
			   "use the tracerhub that recorded it",
			   path, version, STORE_SCHEMA_VERSION);
		return -EPROTO;
	}
	return 1;
}

static int create_schema(sqlite3 *db)
{
	char sql[sizeof(schema_sql) + 256];

	snprintf(sql, sizeof(sql),
		 "PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL; BEGIN; %s"
		 "PRAGMA application_id=%d; PRAGMA user_version=%d;"
		 "INSERT INTO meta VALUES('schema_version', '%d'); COMMIT;",
		 schema_sql, STORE_APPLICATION_ID, STORE_SCHEMA_VERSION, STORE_SCHEMA_VERSION);
	return db__exec(db, sql);
}

int db__open(const char *path, bool read_only, sqlite3 **out)
{
	int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	sqlite3 *db = NULL;
	int fd, err, rc;

	*out = NULL;
	fd = open(path, read_only ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		log__error("cannot %s %s: %s", read_only ? "open" : "create", path, strerror(-err));
		return err;
	}
	err = check_header(path, fd);
	close(fd);
	if (err)
		return err;
	rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log__error("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		err = db__errno(rc);
		goto fail;
	}
	sqlite3_busy_timeout(db, 2000);
	err = check_identity(db, path);
	if (err < 0)
		goto fail;
	if (err == 0 && read_only) {
		log__error("%s: empty database, not a tracerhub recording", path);
		err = -EINVAL;
		goto fail;
	}
	if (!read_only) {
		/*
		 * WAL with synchronous=FULL: each interval's transaction is on disk
		 * when it commits, so kill -9 (or a power cut) loses at most the
		 * interval being written; one fsync per interval is cheap.
		 */
		err = err == 0 ? create_schema(db) : db__exec(db, "PRAGMA journal_mode=WAL");
		if (!err)
			err = db__exec(
			    db, "PRAGMA synchronous=FULL; PRAGMA journal_size_limit=4194304");
		if (err)
			goto fail;
	}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return err;
}

void db__close(sqlite3 *db)
{
	sqlite3_close(db);
}
