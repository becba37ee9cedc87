// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "model/snapshot.h"
#include "store/db.h"
#include "store/reader.h"
#include "store/strpool.h"

enum stmt {
	LD_INTERVAL,
	LD_PROCS,
	LD_HISTS,
	LD_TABLES,
	LD_COLS,
	LD_CELLS,
	LD_EVENTS,
	LD_HEALTH,
	LD_SPAN,
	LD_NEXT,
	LD_SEEK,
	LD_COUNT
};

static const char *const stmt_sql[LD_COUNT] = {
    [LD_INTERVAL] = "SELECT ts_ns, interval_ns, final, metrics, events_lost FROM intervals"
		    " WHERE id = ?",
    [LD_PROCS] = "SELECT pid, comm, metric, value FROM procs WHERE interval_id = ?"
		 " ORDER BY pid",
    [LD_HISTS] = "SELECT h.id, h.tracer, h.name, h.label, h.unit, h.count, h.sum, b.slot,"
		 " b.count FROM hists h LEFT JOIN hist_buckets b ON b.hist_id = h.id"
		 " WHERE h.interval_id = ? ORDER BY h.id, b.slot",
    [LD_TABLES] = "SELECT id, tracer, name, key_name FROM snap_tables WHERE interval_id = ?"
		  " ORDER BY id",
    [LD_COLS] = "SELECT name, unit FROM table_cols WHERE table_id = ? ORDER BY col",
    [LD_CELLS] = "SELECT row, col, key, value FROM table_cells WHERE table_id = ?"
		 " ORDER BY row, col",
    [LD_EVENTS] = "SELECT e.id, e.ts_ns, e.tracer, e.pid, e.comm, f.key, f.num, f.str"
		  " FROM events e LEFT JOIN event_fields f ON f.event_id = e.id"
		  " WHERE e.interval_id = ? ORDER BY e.id, f.idx",
    [LD_HEALTH] = "SELECT tracer, rung, events, drops, run_ns, run_cnt, programs FROM health"
		  " WHERE interval_id = ? ORDER BY tracer",
    [LD_SPAN] = "SELECT count(*), min(id), max(id), min(ts_ns), max(ts_ns),"
		" (SELECT ts_ns - interval_ns FROM intervals WHERE ts_ns >= ?1 AND ts_ns <= ?2"
		" ORDER BY id LIMIT 1) FROM intervals WHERE ts_ns >= ?1 AND ts_ns <= ?2",
    [LD_NEXT] = "SELECT id FROM intervals WHERE id > ? AND ts_ns <= ? ORDER BY id LIMIT 1",
    [LD_SEEK] = "SELECT coalesce((SELECT id FROM intervals WHERE ts_ns <= ?1 ORDER BY ts_ns"
		" DESC LIMIT 1), (SELECT min(id) FROM intervals), 0)",
};

struct reader {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[LD_COUNT];
	struct strpool pool;
};

/* Reset st; 0 when the last step ended the rows, else -errno after log__error. */
static int done(struct reader *r, sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return 0;
	log__error("%s: damaged recording: %s", r->path, sqlite3_errstr(rc));
	return db__errno(rc);
}

/* A pooled copy of column col; NULL with errno = ENOMEM. */
static const char *pooled(struct reader *r, sqlite3_stmt *st, int col)
{
	return strpool__intern(&r->pool, db__column_text(st, col));
}

static void parse_metrics(struct snapshot *s, const char *list)
{
	char buf[64];

	while (*list) {
		size_t n = strcspn(list, ",");
		int m;

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1),
			 list);
		m = metric__by_name(buf);
		if (m >= 0)
			snapshot__declare_metric(s, m);
		list += n + (list[n] == ',');
	}
}

static int load_procs(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_PROCS];
	struct proc_row *row = NULL;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		__u32 pid = (__u32)sqlite3_column_int64(st, 0);
		int m = metric__by_name(db__column_text(st, 2));

		if (!row || row->pid != pid) {
			row = snapshot__add_row(s, pid, db__column_text(st, 1));
			if (!row) {
				sqlite3_reset(st);
				return -ENOMEM;
			}
		}
		if (m >= 0) /* metrics of a newer tracerhub are skipped */
			row->values[m] = db__column_u64(st, 3);
	}
	return done(r, st, rc);
}

static int load_hists(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_HISTS];
	struct snap_hist *h = NULL;
	long long hid = -1;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int slot = sqlite3_column_int(st, 7);

		if (sqlite3_column_int64(st, 0) != hid) {
			hid = sqlite3_column_int64(st, 0);
			h = snapshot__add_hist(s, db__column_text(st, 1), db__column_text(st, 2),
					       db__column_text(st, 3), db__column_text(st, 4));
			if (!h) {
				sqlite3_reset(st);
				return -ENOMEM;
			}
			h->h.count = db__column_u64(st, 5);
			h->h.sum = db__column_u64(st, 6);
		}
		if (sqlite3_column_type(st, 7) != SQLITE_NULL && slot >= 0 && slot < HIST_SLOTS)
			h->h.slots[slot] = db__column_u64(st, 8);
	}
	return done(r, st, rc);
}

/* Columns and cells of table tid into a new table of s. */
static int load_table(struct reader *r, long long tid, const char *tracer, const char *name,
		      const char *key_name, struct snapshot *s)
{
	const char *cols[SNAP_TABLE_COLS], *units[SNAP_TABLE_COLS];
	sqlite3_stmt *c = r->st[LD_COLS], *v = r->st[LD_CELLS];
	struct snap_table_row *row = NULL;
	struct snap_table *t;
	unsigned int n = 0;
	long long last = -1;
	int rc, err;

	sqlite3_bind_int64(c, 1, tid);
	while ((rc = sqlite3_step(c)) == SQLITE_ROW && n < SNAP_TABLE_COLS) {
		cols[n] = pooled(r, c, 0);
		units[n] = pooled(r, c, 1);
		if (!cols[n] || !units[n]) {
			sqlite3_reset(c);
			return -ENOMEM;
		}
		n++;
	}
	err = done(r, c, rc == SQLITE_ROW ? SQLITE_DONE : rc);
	if (err)
		return err;
	t = snapshot__add_table(s, tracer, name, key_name, n, cols, units);
	if (!t)
		return -ENOMEM;
	sqlite3_bind_int64(v, 1, tid);
	while ((rc = sqlite3_step(v)) == SQLITE_ROW) {
		int col = sqlite3_column_int(v, 1);

		if (sqlite3_column_int64(v, 0) != last) {
			last = sqlite3_column_int64(v, 0);
			row = snap_table__add_row(t, db__column_text(v, 2));
			if (!row) {
				sqlite3_reset(v);
				return -ENOMEM;
			}
		}
		if (col >= 0 && col < (int)n)
			row->v[col] = db__column_u64(v, 3);
	}
	return done(r, v, rc);
}

static int load_tables(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_TABLES];
	char tracer[SNAP_NAME_LEN], name[SNAP_NAME_LEN], key[SNAP_NAME_LEN];
	int rc, err = 0;

	sqlite3_bind_int64(st, 1, id);
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(tracer, sizeof(tracer), "%s", db__column_text(st, 1));
		snprintf(name, sizeof(name), "%s", db__column_text(st, 2));
		snprintf(key, sizeof(key), "%s", db__column_text(st, 3));
		err = load_table(r, sqlite3_column_int64(st, 0), tracer, name, key, s);
	}
	if (err) {
		sqlite3_reset(st);
		return err;
	}
	return done(r, st, rc);
}

static int load_events(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_EVENTS];
	struct snap_event *e = NULL;
	long long eid = -1;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key;

		if (sqlite3_column_int64(st, 0) != eid) {
			eid = sqlite3_column_int64(st, 0);
			e = snapshot__add_event(s, db__column_text(st, 2), db__column_u64(st, 1),
						(__u32)sqlite3_column_int64(st, 3),
						db__column_text(st, 4));
		}
		if (!e || sqlite3_column_type(st, 5) == SQLITE_NULL)
			continue;
		key = pooled(r, st, 5);
		if (!key) {
			sqlite3_reset(st);
			return -ENOMEM;
		}
		if (sqlite3_column_type(st, 7) != SQLITE_NULL)
			snap_event__str(e, key, db__column_text(st, 7));
		else
			snap_event__num(e, key, db__column_u64(st, 6));
	}
	return done(r, st, rc);
}

static int load_health(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_HEALTH];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct snap_health *h = snapshot__add_health(s, db__column_text(st, 0));

		if (!h) {
			sqlite3_reset(st);
			return -ENOMEM;
		}
		snprintf(h->rung, sizeof(h->rung), "%s", db__column_text(st, 1));
		h->events = db__column_u64(st, 2);
		h->drops = db__column_u64(st, 3);
		h->run_ns = db__column_u64(st, 4);
		h->run_cnt = db__column_u64(st, 5);
		h->nprogs = (unsigned int)sqlite3_column_int64(st, 6);
	}
	return done(r, st, rc);
}

int reader__load(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_INTERVAL];
	int rc, err;

	snapshot__reset(s);
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		err = rc == SQLITE_DONE ? -ENOENT : done(r, st, rc);
		sqlite3_reset(st);
		return err;
	}
	s->ts_ns = db__column_u64(st, 0);
	s->interval_ns = db__column_u64(st, 1);
	s->final = sqlite3_column_int(st, 2) != 0;
	parse_metrics(s, db__column_text(st, 3));
	s->events_lost = db__column_u64(st, 4);
	sqlite3_reset(st);
	err = load_procs(r, id, s);
	if (!err)
		err = load_hists(r, id, s);
	if (!err)
		err = load_tables(r, id, s);
	if (!err)
		err = load_events(r, id, s);
	if (!err)
		err = load_health(r, id, s);
	return err;
}

int reader__span(struct reader *r, __u64 from_ns, __u64 to_ns, struct reader_span *span)
{
	sqlite3_stmt *st = r->st[LD_SPAN];
	int rc;

	memset(span, 0, sizeof(*span));
	db__bind_u64(st, 1, from_ns);
	db__bind_time(st, 2, to_ns);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		span->count = (unsigned long)sqlite3_column_int64(st, 0);
		span->first_id = sqlite3_column_int64(st, 1);
		span->last_id = sqlite3_column_int64(st, 2);
		span->first_ns = db__column_u64(st, 3);
		span->last_ns = db__column_u64(st, 4);
		span->start_ns = db__column_u64(st, 5);
		rc = sqlite3_step(st);
	}
	return done(r, st, rc);
}

int reader__next(struct reader *r, long long after, __u64 to_ns, long long *id)
{
	sqlite3_stmt *st = r->st[LD_NEXT];
	int rc;

	*id = 0;
	sqlite3_bind_int64(st, 1, after);
	db__bind_time(st, 2, to_ns);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	return done(r, st, rc);
}

int reader__seek(struct reader *r, __u64 ts_ns, long long *id)
{
	sqlite3_stmt *st = r->st[LD_SEEK];
	int rc;

	*id = 0;
	db__bind_time(st, 1, ts_ns);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	return done(r, st, rc);
}

sqlite3 *reader__db(struct reader *r)
{
	return r->db;
}

const char *reader__path(const struct reader *r)
{
	return r->path;
}

/* Open path as a reader of kind how (DB_READ or DB_READ_OWN). */
static int open_as(const char *path, enum db_open how, struct reader **out)
{
	struct reader *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->path = strdup(path);
	if (!r->path) {
		err = -ENOMEM;
		goto fail;
	}
	err = db__open(path, how, &r->db, NULL);
	if (err)
		goto fail;
	err = db__prepare_all(r->db, stmt_sql, LD_COUNT, r->st);
	if (err)
		goto fail;
	*out = r;
	return 0;
fail:
	reader__close(r);
	return err;
}

int reader__open(const char *path, struct reader **out)
{
	return open_as(path, DB_READ, out);
}

int reader__open_own(const char *path, struct reader **out)
{
	return open_as(path, DB_READ_OWN, out);
}

void reader__close(struct reader *r)
{
	if (!r)
		return;
	db__finalize_all(r->st, LD_COUNT);
	db__close(r->db);
	strpool__free(&r->pool);
	free(r->path);
	free(r);
}
