// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "core/log.h"
#include "model/hist.h"
#include "model/metric.h"
#include "store/db.h"
#include "store/schema.h"

/*
 * Schema version 6; docs/recording.md explains every table and column. The
 * process rows get a column per metric and every event kind its own table
 * (store/schema.c): typed_ddl adds them.
 */
static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE intervals_raw(id INTEGER PRIMARY KEY, ts_ns INT, interval_ns INT, final INT,"
    " metrics INT, events INT, events_lost INT, host INT, self_cpu_ns INT);"
    "CREATE INDEX intervals_ts ON intervals_raw(ts_ns);"
    "CREATE TABLE strs(id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE);"
    "CREATE TABLE texts(id INTEGER PRIMARY KEY, s TEXT);"
    "CREATE TABLE tags(id INTEGER PRIMARY KEY, n1 INT, n2 INT, n3 INT, n4 INT, n5 INT, n6 INT,"
    " n7 INT, n8 INT, UNIQUE(n1, n2, n3, n4, n5, n6, n7, n8));"
    "CREATE TABLE hists_raw(interval_id INT, seq INT, tag INT, label INT, count INT, sum INT,"
    " lo INT, buckets TEXT, PRIMARY KEY(interval_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE snap_tables_raw(id INTEGER PRIMARY KEY, interval_id INT, tag INT, rows TEXT);"
    "CREATE INDEX snap_tables_interval ON snap_tables_raw(interval_id);"
    "CREATE TABLE other_events(interval_id INT, seq INT, ts_ns INT, pid INT, comm TEXT,"
    " tracer TEXT, PRIMARY KEY(interval_id, seq)) WITHOUT ROWID;"
    "CREATE TABLE event_extra(interval_id INT, seq INT, idx INT, key TEXT, num INT, str TEXT,"
    " PRIMARY KEY(interval_id, seq, idx)) WITHOUT ROWID;"
    "CREATE TABLE health_raw(interval_id INT, tracer INT, rung INT, events INT, drops INT,"
    " run_ns INT, run_cnt INT, programs INT, PRIMARY KEY(interval_id, tracer)) WITHOUT ROWID;"
    "CREATE TABLE events_lost(interval_id INT, tracer TEXT, lost INT,"
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

void db__free_all(sqlite3_stmt **st, int n)
{
	if (st)
		db__finalize_all(st, n);
	free(st);
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

/* Does path + suffix (the -wal or -shm beside a recording) exist? Fills *st. */
static bool sibling(const char *path, const char *suffix, struct stat *st)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return !stat(p, st);
}

/* Is there a non-empty write-ahead log beside path (then it holds pages the file lacks)? */
static bool has_wal(const char *path)
{
	struct stat st;

	return sibling(path, "-wal", &st) && st.st_size > 0;
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
	if (page_size < 512 || (page_size & (page_size - 1))) {
		log__error("%s: damaged recording (page size %llu in its header)", path,
			   (unsigned long long)page_size);
		return -EINVAL;
	}
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

unsigned int db__tag_names(const struct schema_kind *k)
{
	unsigned int n = 1 + schema__has_tracer_col(k);

	for (unsigned int i = 0; i < k->ncols; i++)
		n += k->cols[i].type == SCOL_STR;
	return n;
}

bool db__kind_tagged(const struct schema_kind *k)
{
	return db__tag_names(k) >= DB_TAG_MIN;
}

bool db__col_tagged(const struct schema_kind *k, unsigned int c)
{
	return k->cols[c].type == SCOL_STR && db__kind_tagged(k);
}

unsigned int db__kind_fixed(const struct schema_kind *k)
{
	return db__kind_tagged(k) ? 5 : 5 + schema__has_tracer_col(k);
}

unsigned int db__kind_slot(const struct schema_kind *k, unsigned int c)
{
	bool tagged = db__col_tagged(k, c);
	unsigned int slot = tagged ? 1 + schema__has_tracer_col(k) : 0;

	for (unsigned int i = 0; i < c; i++)
		slot += db__col_tagged(k, i) == tagged;
	return slot;
}

/* A column of a view over a TABLE_raw: how the view reads it. */
enum vcol_how {
	VCOL_PLAIN, /* as stored */
	VCOL_NAME,  /* an id into strs: its string */
	VCOL_TEXT,  /* an id into texts: its text */
	VCOL_TAG,   /* a name of the row's tag (the column of tags in as): its string */
	VCOL_EXPR,  /* the SQL expression in as */
	VCOL_MORE,  /* a metric in the JSON object procs_raw.more */
	VCOL_TS,    /* ts_off, ns before the end of the row's interval: ts_ns */
	VCOL_IV,    /* an interval's id: the end of that interval (the oldest kept if deleted) */
};

struct vcol {
	const char *name;
	enum vcol_how how;
	const char *as; /* VCOL_IV: its name in the view; VCOL_TAG: the column of tags; VCOL_EXPR */
};

#define VIEW_COLS (8 + METRIC_COUNT + 32)
#define VP(name)  {name, VCOL_PLAIN, NULL}
#define VN(name)  {name, VCOL_NAME, NULL}
#define ZEROS8	  "0,0,0,0,0,0,0,0,"
#define ZEROS64	  ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8 ZEROS8
_Static_assert(sizeof(ZEROS64) - 1 == 2 * HIST_SLOTS, "a 0 for each slot of a histogram");

/*
 * CREATE VIEW name, reading name_raw with names instead of ids and absolute
 * times: the columns a user queries, the same as in ClickHouse.
 */
static void view_ddl(FILE *f, const char *name, const struct vcol *c, unsigned int n)
{
	fprintf(f, "CREATE VIEW %s AS SELECT ", name);
	for (unsigned int i = 0; i < n; i++) {
		const char *sep = i ? ", " : "";

		if (c[i].how == VCOL_NAME || c[i].how == VCOL_TEXT || c[i].how == VCOL_TAG)
			fprintf(f, "%sj%u.s AS %s", sep, i, c[i].name);
		else if (c[i].how == VCOL_TS)
			fprintf(f, "%si.ts_ns - r.ts_off AS ts_ns", sep);
		else if (c[i].how == VCOL_EXPR)
			fprintf(f, "%s%s AS %s", sep, c[i].as, c[i].name);
		else if (c[i].how == VCOL_MORE)
			fprintf(f, "%sjson_extract(r.more, '$.%s') AS %s", sep, c[i].name,
				c[i].name);
		else if (c[i].how == VCOL_IV)
			fprintf(f,
				"%scoalesce(i%u.ts_ns,"
				" (SELECT min(ts_ns) FROM intervals_raw)) AS %s",
				sep, i, c[i].as);
		else
			fprintf(f, "%sr.%s", sep, c[i].name);
	}
	fprintf(f, " FROM %s_raw r", name);
	for (unsigned int i = 0; i < n; i++)
		if (c[i].how == VCOL_TAG) {
			fprintf(f, " LEFT JOIN tags t ON t.id = r.tag");
			break;
		}
	for (unsigned int i = 0; i < n; i++) {
		if (c[i].how == VCOL_TAG)
			fprintf(f, " LEFT JOIN strs j%u ON j%u.id = t.%s", i, i, c[i].as);
		else if (c[i].how == VCOL_NAME || c[i].how == VCOL_TEXT)
			fprintf(f, " LEFT JOIN %s j%u ON j%u.id = r.%s",
				c[i].how == VCOL_NAME ? "strs" : "texts", i, i, c[i].name);
		else if (c[i].how == VCOL_TS)
			fprintf(f, " LEFT JOIN intervals_raw i ON i.id = r.interval_id");
		else if (c[i].how == VCOL_IV)
			fprintf(f, " LEFT JOIN intervals_raw i%u ON i%u.id = r.%s", i, i,
				c[i].name);
	}
	fprintf(f, ";");
}

bool db__metric_in_more(int m)
{
	const char *section = metric__info(m)->section;

	return section && (!strcmp(section, "network") || !strcmp(section, "journey"));
}

/* The view procs over procs_raw: comm by name, a column per metric. */
static void procs_view_ddl(FILE *f)
{
	struct vcol c[VIEW_COLS] = {VP("interval_id"), VP("pid"), VN("comm"), VP("ppid")};
	unsigned int n = 4;

	for (int m = 0; m < METRIC_COUNT; m++)
		c[n++] = (struct vcol){metric__info(m)->name,
				       db__metric_in_more(m) ? VCOL_MORE : VCOL_PLAIN, NULL};
	view_ddl(f, "procs", c, n);
}

/*
 * Event kind k: the table TABLE_raw (its names as the id of a row of tags,
 * endpoints as ids into strs, free text as ids into texts, the time as an
 * offset from the interval's end, keyed by the event's place), a lookup table
 * TABLE_by_COL per searched column, and the view TABLE that reads it as
 * ClickHouse has it.
 */
static void kind_ddl(FILE *f, const struct schema_kind *k)
{
	static const char *const tag_col[DB_TAG_NAMES] = {"n1", "n2", "n3", "n4",
							  "n5", "n6", "n7", "n8"};
	bool tagged = db__kind_tagged(k);
	struct vcol c[VIEW_COLS] = {VP("interval_id"), VP("seq"), {"ts_off", VCOL_TS, NULL},
				    VP("pid"),	       VN("comm"), VN("tracer")};
	unsigned int n = schema__has_tracer_col(k) ? 6 : 5;

	if (tagged) {
		c[4] = (struct vcol){"comm", VCOL_TAG, "n1"};
		c[5] = (struct vcol){"tracer", VCOL_TAG, "n2"};
	}
	fprintf(f, "CREATE TABLE %s_raw(interval_id INT, seq INT, ts_off INT, pid INT, %s",
		k->table,
		tagged			     ? "tag INT"
		: schema__has_tracer_col(k) ? "comm INT, tracer INT"
					    : "comm INT");
	for (unsigned int i = 0; i < k->ncols; i++)
		if (!db__col_tagged(k, i))
			fprintf(f, ", %s INT", k->cols[i].key);
	fprintf(f, ", PRIMARY KEY(interval_id, seq)) WITHOUT ROWID;");
	/*
	 * A searched column's lookup table: a row per value (an endpoint as text,
	 * so that a prefix is a range of it) and interval, not per event (a
	 * socket's address or a peer recurs), with the range of seq holding it.
	 * Searches go from a value range to those rows of TABLE_raw.
	 */
	for (unsigned int i = 0; i < k->ncols; i++)
		if (schema__col_searched(&k->cols[i]))
			fprintf(f,
				"CREATE TABLE %s_by_%s(value %s,"
				" interval_id INT, first_seq INT,"
				" last_seq INT, PRIMARY KEY(value, interval_id))"
				" WITHOUT ROWID;",
				k->table, k->cols[i].key,
				schema__col_text(&k->cols[i]) ? "TEXT" : "INT");
	for (unsigned int i = 0; i < k->ncols && n < VIEW_COLS; i++) {
		const struct schema_col *col = &k->cols[i];
		unsigned int slot = db__kind_slot(k, i);

		if (db__col_tagged(k, i) && slot < DB_TAG_NAMES)
			c[n++] = (struct vcol){col->key, VCOL_TAG, tag_col[slot]};
		else
			c[n++] = (struct vcol){col->key,
					       schema__col_interned(col) ? VCOL_NAME
					       : col->type == SCOL_TEXT  ? VCOL_TEXT
									 : VCOL_PLAIN,
					       NULL};
	}
	view_ddl(f, k->table, c, n);
}

/* The tables behind a view each (hists, snap_tables, ...), after schema_sql's. */
static void typed_ddl(FILE *f)
{
	static const struct vcol hists[] = {
	    VP("interval_id"),
	    VP("seq"),
	    {"tracer", VCOL_TAG, "n1"},
	    {"name", VCOL_TAG, "n2"},
	    VN("label"),
	    {"unit", VCOL_TAG, "n3"},
	    VP("count"),
	    VP("sum"),
	    /* the lo empty slots before the first that is not are not stored */
	    {"buckets", VCOL_EXPR,
	     "CASE WHEN r.lo > 0 THEN '[' || substr('" ZEROS64 "', 1, 2 * r.lo) ||"
	     " substr(r.buckets, 2) ELSE r.buckets END"}};
	static const struct vcol snap_tables[] = {
	    VP("id"), VP("interval_id"), {"tracer", VCOL_TAG, "n1"}, {"name", VCOL_TAG, "n2"},
	    {"key_name", VCOL_TAG, "n3"}, {"cols", VCOL_TAG, "n4"}, {"units", VCOL_TAG, "n5"}};
	static const struct vcol health[] = {VP("interval_id"), VN("tracer"),	VN("rung"),
					     VP("events"),	VP("drops"),	VP("run_ns"),
					     VP("run_cnt"),	VP("programs")};
	static const struct vcol intervals[] = {
	    VP("id"), VP("ts_ns"), VP("interval_ns"), VP("final"), VN("metrics"),
	    VP("events"), VP("events_lost"), VN("host"), VP("self_cpu_ns")};
	static const struct vcol processes[] = {VN("comm"), VP("pid"),
						{"first_id", VCOL_IV, "first_ns"},
						{"last_id", VCOL_IV, "last_ns"}};

	fprintf(f, "CREATE TABLE processes_raw(comm INT, pid INT,"
		   " first_id INT, last_id INT, PRIMARY KEY(comm, pid))"
		   " WITHOUT ROWID;");
	view_ddl(f, "intervals", intervals, 9);
	view_ddl(f, "processes", processes, 4);
	/* a table's rows are a JSON array in snap_tables_raw: [key's id in strs, values...] each */
	fprintf(f, "CREATE VIEW table_rows AS SELECT r.id AS table_id, j.key AS row, k.s AS key");
	for (int v = 1; v <= SNAP_TABLE_COLS; v++)
		fprintf(f, ", json_extract(j.value, '$[%d]') AS v%d", v, v);
	fprintf(f, " FROM snap_tables_raw r JOIN json_each(r.rows) j"
		   " LEFT JOIN strs k ON k.id = json_extract(j.value, '$[0]');");
	view_ddl(f, "hists", hists, 9);
	view_ddl(f, "snap_tables", snap_tables, 7);
	view_ddl(f, "health", health, 8);
	fprintf(f,
		"CREATE TABLE procs_raw(interval_id INT, pid INT, comm INT, ppid INT, more TEXT");
	for (int m = 0; m < METRIC_COUNT; m++)
		if (!db__metric_in_more(m))
			fprintf(f, ", %s INT", metric__info(m)->name);
	fprintf(f, ", PRIMARY KEY(interval_id, pid)) WITHOUT ROWID;");
	procs_view_ddl(f);
	for (unsigned int k = 0; k < schema_nkinds; k++)
		kind_ddl(f, &schema_kinds[k]);
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each statement built in its own
 * open_memstream buffer.
 */
static int create_schema(sqlite3 *db)
{
	char *sql = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);
	int err;

	if (!f)
		return -ENOMEM;
	/* small pages: a short recording has some 30 tables, mostly small */
	fprintf(f,
		"PRAGMA page_size=1024; PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL;"
		" BEGIN; %s",
		schema_sql);
	typed_ddl(f);
	fprintf(f,
		"PRAGMA application_id=%d; PRAGMA user_version=%d;"
		"INSERT INTO meta VALUES('schema_version', '%d'); COMMIT;",
		STORE_APPLICATION_ID, STORE_SCHEMA_VERSION, STORE_SCHEMA_VERSION);
	if (fclose(f))
		return -ENOMEM;
	err = db__exec(db, sql);
	free(sql);
	return err;
}

/* Does table (or view) t have column name? 1, 0, or -errno after log__error. */
static int has_column(sqlite3 *db, const char *t, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", -1,
				    &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, t, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	log__error("%s: %s", sqlite3_db_filename(db, NULL), sqlite3_errmsg(db));
	return db__errno(rc);
}

/*
 * Add the procs columns (ppid, metrics) a recording made by an older build
 * lacks, and read them (and the metrics of more it lacks) in the view. 0 or -errno.
 */
static int add_procs_columns(sqlite3 *db)
{
	char sql[160], *view = NULL;
	size_t len = 0;
	bool stale = false;
	FILE *f;
	int err = 0;

	for (int m = -1; m < METRIC_COUNT && err >= 0; m++) {
		const char *name = m < 0 ? "ppid" : metric__info(m)->name;

		err = has_column(db, "procs", name);
		stale |= err == 0;
		if (err < 0 || (m >= 0 && db__metric_in_more(m)))
			continue;
		err = has_column(db, "procs_raw", name);
		snprintf(sql, sizeof(sql), "ALTER TABLE procs_raw ADD COLUMN %s INT", name);
		if (err == 0)
			err = db__exec(db, sql);
	}
	if (err < 0 || !stale)
		return err < 0 ? err : 0;
	f = open_memstream(&view, &len);
	if (!f)
		return -ENOMEM;
	fprintf(f, "BEGIN; DROP VIEW procs;");
	procs_view_ddl(f);
	fprintf(f, "COMMIT;");
	if (fclose(f))
		return -ENOMEM;
	err = db__exec(db, view);
	free(view);
	return err;
}

/*
 * The writer's lock: an open-file-description lock on one byte far past
 * anything SQLite locks or writes. Unlike POSIX locks it survives the close
 * of any other fd of the file, and it is released when the process ends,
 * even on kill -9.
 */
#define WRITER_LOCK_OFFSET 0x7fff000000000000LL

int db__lock_writer(int fd)
{
	struct flock fl = {
	    .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = WRITER_LOCK_OFFSET, .l_len = 1};

	return fcntl(fd, F_OFD_SETLK, &fl) ? -errno : 0;
}

/* "file:PATH?QUERY" with PATH percent-encoded as SQLite's URI filenames want. */
static int uri_of(const char *path, const char *query, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t n = (size_t)snprintf(buf, len, "file:");

	for (; *p && n + 4 < len; p++) {
		if (isalnum(*p) || strchr("/-._~", *p))
			buf[n++] = (char)*p;
		else
			n += (size_t)snprintf(buf + n, len - n, "%%%02X", *p);
	}
	n += (size_t)snprintf(buf + n, len - n, "?%s", query);
	return !*p && n < len ? 0 : -ENAMETOOLONG;
}

/* Can this process write path and the directory holding it (where SQLite puts -wal, -shm)? */
static bool writable(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (access(path, W_OK))
		return false;
	if (!slash)
		return !access(".", W_OK);
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return !access(dir, W_OK);
}

/*
 * The SQLite connection of a reader. A recorder keeps its -wal while it
 * runs (and kill -9 leaves it): with one beside the file, read it as a live
 * recording (mode=ro: shared locks only, it never writes, checkpoints or
 * deletes anything). With none, the file is complete as it is: immutable, so
 * that nothing is created beside it, whoever may write the directory.
 * live: mode=ro whatever is beside it (a file a writer holds).
 */
static int open_reader(const char *path, bool live, sqlite3 **db)
{
	struct stat st;
	char uri[4200];
	int err, rc;

	/* mode=ro needs the -shm, or a directory where SQLite may create it */
	if (!live && sibling(path, "-wal", &st))
		live = sibling(path, "-shm", &st) || writable(path);
	err = uri_of(path, live ? "mode=ro" : "immutable=1", uri, sizeof(uri));
	if (err) {
		log__error("cannot open %s: path too long", path);
		return err;
	}
	rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK) {
		log__error("cannot open %s: %s", path, *db ? sqlite3_errmsg(*db) : "out of memory");
		return db__errno(rc);
	}
	return 0;
}

/* Who holds the writer's lock on path: the pid it wrote in meta, 0 when unknown. */
static long holder_pid(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long pid = 0;

	if (!open_reader(path, true, &db) &&
	    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'writer_pid'", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		pid = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return pid;
}

/*
 * Open path for writing: take the writer's lock on fd, then let SQLite open
 * the file (created with the schema when empty) and note our pid in meta.
 */
static int open_writer(const char *path, int fd, sqlite3 **out)
{
	sqlite3 *db = NULL;
	char sql[128];
	long pid;
	int err, rc;

	err = db__lock_writer(fd);
	if (err == -EAGAIN || err == -EACCES) {
		pid = holder_pid(path);
		if (pid > 0)
			log__error("%s is being recorded by another tracerhub (pid %ld): give "
				   "another file, or stop that one",
				   path, pid);
		else
			log__error("%s is being recorded by another tracerhub: give another file, "
				   "or stop that one",
				   path);
		return -EBUSY;
	}
	if (err) {
		log__error("cannot lock %s: %s", path, strerror(-err));
		return err;
	}
	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		log__error("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		err = db__errno(rc);
		goto fail;
	}
	sqlite3_busy_timeout(db, 2000);
	err = check_identity(db, path);
	if (err < 0)
		goto fail;
	/*
	 * WAL with synchronous=FULL: each interval's transaction is on disk when
	 * it commits, so kill -9 (or a power cut) loses at most the interval
	 * being written; one fsync per interval is cheap.
	 */
	err = err == 0 ? create_schema(db) : db__exec(db, "PRAGMA journal_mode=WAL");
	if (!err)
		err = add_procs_columns(db);
	snprintf(sql, sizeof(sql),
		 "PRAGMA synchronous=FULL; PRAGMA journal_size_limit=4194304;"
		 "INSERT OR REPLACE INTO meta VALUES('writer_pid', '%ld')",
		 (long)getpid());
	if (!err)
		err = db__exec(db, sql);
	if (err)
		goto fail;
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return err;
}

int db__open_prepared(const char *path, enum db_open how, sqlite3 **db, int *lock_fd,
		      const char *const *sql, int n, sqlite3_stmt **st)
{
	int err = db__open(path, how, db, lock_fd);

	return err ? err : db__prepare_all(*db, sql, n, st);
}

int db__open(const char *path, enum db_open how, sqlite3 **out, int *lock_fd)
{
	sqlite3 *db = NULL;
	int fd = -1, err;

	*out = NULL;
	fd = open(path, (how == DB_WRITE ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		log__error("cannot %s %s: %s", how == DB_WRITE ? "create" : "open", path,
			   strerror(-err));
		return err;
	}
	err = check_header(path, fd);
	if (err)
		goto out;
	if (how == DB_WRITE) {
		err = open_writer(path, fd, &db);
		goto out;
	}
	err = open_reader(path, false, &db);
	if (!err)
		err = check_identity(db, path);
	if (err == 0) {
		log__error("%s: empty database, not a tracerhub recording", path);
		err = -EINVAL;
	}
	if (err < 0) {
		sqlite3_close(db);
		db = NULL;
		goto out;
	}
	sqlite3_busy_timeout(db, 2000);
	err = 0;
out:
	if (how == DB_WRITE && !err)
		*lock_fd = fd; /* closed by the writer only after SQLite closed the file */
	else if (fd >= 0)
		close(fd);
	*out = db;
	return err;
}

void db__close(sqlite3 *db)
{
	sqlite3_close(db);
}
