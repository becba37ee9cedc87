// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/log.h"
#include "model/snapshot.h"
#include "store/db.h"
#include "store/fields.h"
#include "store/recorder.h"

enum stmt {
	ST_INTERVAL,
	ST_PROC,
	ST_PROCESS,
	ST_HIST,
	ST_BUCKET,
	ST_TABLE,
	ST_COL,
	ST_CELL,
	ST_EVENT,
	ST_FIELD,
	ST_HEALTH,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_INTERVAL] = "INSERT INTO intervals(ts_ns, interval_ns, final, metrics, events_lost)"
		    " VALUES(?, ?, ?, ?, ?)",
    [ST_PROC] = "INSERT INTO procs VALUES(?, ?, ?, ?, ?)",
    [ST_PROCESS] = "INSERT INTO processes VALUES(?, ?, ?, ?) ON CONFLICT(pid, comm)"
		   " DO UPDATE SET last_ns = excluded.last_ns",
    [ST_HIST] = "INSERT INTO hists(interval_id, tracer, name, label, unit, count, sum)"
		" VALUES(?, ?, ?, ?, ?, ?, ?)",
    [ST_BUCKET] = "INSERT INTO hist_buckets VALUES(?, ?, ?, ?, ?)",
    [ST_TABLE] = "INSERT INTO snap_tables(interval_id, tracer, name, key_name) VALUES(?, ?, ?, ?)",
    [ST_COL] = "INSERT INTO table_cols VALUES(?, ?, ?, ?)",
    [ST_CELL] = "INSERT INTO table_cells VALUES(?, ?, ?, ?, ?)",
    [ST_EVENT] = "INSERT INTO events(interval_id, ts_ns, tracer, pid, comm, dur_ns)"
		 " VALUES(?, ?, ?, ?, ?, ?)",
    [ST_FIELD] = "INSERT INTO event_fields VALUES(?, ?, ?, ?, ?, ?, ?)",
    [ST_HEALTH] = "INSERT INTO health VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
};

/* Deleting every interval up to ?1 (oldest first), children before parents. */
static const char trim_sql[] =
    "DELETE FROM hist_buckets WHERE hist_id <= (SELECT max(id) FROM hists WHERE interval_id <= ?1);"
    "DELETE FROM hists WHERE interval_id <= ?1;"
    "DELETE FROM table_cols WHERE table_id <="
    " (SELECT max(id) FROM snap_tables WHERE interval_id <= ?1);"
    "DELETE FROM table_cells WHERE table_id <="
    " (SELECT max(id) FROM snap_tables WHERE interval_id <= ?1);"
    "DELETE FROM snap_tables WHERE interval_id <= ?1;"
    "DELETE FROM event_fields WHERE event_id <="
    " (SELECT max(id) FROM events WHERE interval_id <= ?1);"
    "DELETE FROM events WHERE interval_id <= ?1;"
    "DELETE FROM procs WHERE interval_id <= ?1;"
    "DELETE FROM health WHERE interval_id <= ?1;"
    "DELETE FROM processes WHERE last_ns <= (SELECT ts_ns FROM intervals WHERE id = ?1);"
    "DELETE FROM intervals WHERE id <= ?1;";

struct recorder {
	sqlite3 *db;
	int lock_fd; /* holds the writer's lock; closed after the database */
	char *path;
	struct recorder_opts o;
	sqlite3_stmt *st[ST_COUNT];
	unsigned long count;
	int rc; /* first failing SQLite result of the interval being written */
};

/* Run a bound insert statement and reset it; remembers the first failure. */
static sqlite3_int64 step(struct recorder *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE && r->rc == SQLITE_OK)
		r->rc = rc;
	return sqlite3_last_insert_rowid(r->db);
}

static void bind_text(sqlite3_stmt *st, int col, const char *s, int len)
{
	sqlite3_bind_text(st, col, s, len >= 0 ? (int)strnlen(s, (size_t)len) : -1, SQLITE_STATIC);
}

static void write_procs(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *p = r->st[ST_PROC], *u = r->st[ST_PROCESS];

	for (size_t i = 0; i < s->nrows; i++) {
		const struct proc_row *row = &s->rows[i];

		sqlite3_bind_int64(u, 1, row->pid);
		bind_text(u, 2, row->comm, SNAP_COMM_LEN);
		db__bind_u64(u, 3, s->ts_ns);
		db__bind_u64(u, 4, s->ts_ns);
		step(r, u);
		for (int m = 0; m < METRIC_COUNT; m++) {
			if (!(s->metrics_present & (1ULL << m)) || !row->values[m])
				continue;
			sqlite3_bind_int64(p, 1, id);
			sqlite3_bind_int64(p, 2, row->pid);
			bind_text(p, 3, row->comm, SNAP_COMM_LEN);
			sqlite3_bind_text(p, 4, metric__info(m)->name, -1, SQLITE_STATIC);
			db__bind_u64(p, 5, row->values[m]);
			step(r, p);
		}
	}
}

static void write_hists(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *h = r->st[ST_HIST], *b = r->st[ST_BUCKET];

	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *sh = &s->hists[i];
		sqlite3_int64 hid;

		sqlite3_bind_int64(h, 1, id);
		bind_text(h, 2, sh->tracer, SNAP_NAME_LEN);
		bind_text(h, 3, sh->name, SNAP_NAME_LEN);
		bind_text(h, 4, sh->label, SNAP_LABEL_LEN);
		bind_text(h, 5, sh->unit, sizeof(sh->unit));
		db__bind_u64(h, 6, sh->h.count);
		db__bind_u64(h, 7, sh->h.sum);
		hid = step(r, h);
		for (unsigned int k = 0; k < HIST_SLOTS; k++) {
			if (!sh->h.slots[k])
				continue;
			sqlite3_bind_int64(b, 1, hid);
			sqlite3_bind_int(b, 2, (int)k);
			db__bind_u64(b, 3, hist__slot_low(k));
			db__bind_u64(b, 4, hist__slot_high(k));
			db__bind_u64(b, 5, sh->h.slots[k]);
			step(r, b);
		}
	}
}

static void write_tables(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *t = r->st[ST_TABLE], *c = r->st[ST_COL], *v = r->st[ST_CELL];

	for (size_t i = 0; i < s->ntables; i++) {
		const struct snap_table *st = &s->tables[i];
		sqlite3_int64 tid;

		sqlite3_bind_int64(t, 1, id);
		bind_text(t, 2, st->tracer, SNAP_NAME_LEN);
		bind_text(t, 3, st->name, SNAP_NAME_LEN);
		bind_text(t, 4, st->key_name, SNAP_NAME_LEN);
		tid = step(r, t);
		for (unsigned int k = 0; k < st->ncols; k++) {
			sqlite3_bind_int64(c, 1, tid);
			sqlite3_bind_int(c, 2, (int)k);
			bind_text(c, 3, st->cols[k] ? st->cols[k] : "", -1);
			bind_text(c, 4, st->units[k] ? st->units[k] : "", -1);
			step(r, c);
		}
		for (size_t row = 0; row < st->nrows; row++) {
			for (unsigned int k = 0; k < st->ncols; k++) {
				sqlite3_bind_int64(v, 1, tid);
				sqlite3_bind_int64(v, 2, (sqlite3_int64)row);
				sqlite3_bind_int(v, 3, (int)k);
				bind_text(v, 4, st->rows[row].key, SNAP_NAME_LEN);
				db__bind_u64(v, 5, st->rows[row].v[k]);
				step(r, v);
			}
		}
	}
}

static void write_fields(struct recorder *r, const struct snap_event *e, sqlite3_int64 eid)
{
	sqlite3_stmt *f = r->st[ST_FIELD];

	for (unsigned int k = 0; k < e->nfields; k++) {
		const struct snap_field *fl = &e->fields[k];
		char search[SNAP_FIELD_STR_LEN + 24];
		enum field_kind kind = fields__classify(fl, search, sizeof(search));

		sqlite3_bind_int64(f, 1, eid);
		sqlite3_bind_int(f, 2, (int)k);
		bind_text(f, 3, fl->key ? fl->key : "", -1);
		if (fl->is_str) {
			sqlite3_bind_null(f, 4);
			bind_text(f, 5, fl->str, SNAP_FIELD_STR_LEN);
		} else {
			db__bind_u64(f, 4, fl->num);
			sqlite3_bind_null(f, 5);
		}
		if (kind == FIELD_PLAIN) {
			sqlite3_bind_null(f, 6);
			sqlite3_bind_null(f, 7);
		} else {
			sqlite3_bind_text(f, 6, fields__kind_name(kind), -1, SQLITE_STATIC);
			sqlite3_bind_text(f, 7, search, -1, SQLITE_TRANSIENT);
		}
		step(r, f);
	}
}

static void write_events(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *ev = r->st[ST_EVENT], *u = r->st[ST_PROCESS];

	for (size_t i = 0; i < s->nevents; i++) {
		const struct snap_event *e = &s->events[i];

		if (!i || e->pid != s->events[i - 1].pid ||
		    strncmp(e->comm, s->events[i - 1].comm, SNAP_COMM_LEN)) {
			sqlite3_bind_int64(u, 1, e->pid);
			bind_text(u, 2, e->comm, SNAP_COMM_LEN);
			db__bind_u64(u, 3, e->ts_ns);
			db__bind_u64(u, 4, e->ts_ns);
			step(r, u);
		}
		sqlite3_bind_int64(ev, 1, id);
		db__bind_u64(ev, 2, e->ts_ns);
		bind_text(ev, 3, e->tracer, SNAP_NAME_LEN);
		sqlite3_bind_int64(ev, 4, e->pid);
		bind_text(ev, 5, e->comm, SNAP_COMM_LEN);
		db__bind_u64(ev, 6, fields__duration_ns(e));
		write_fields(r, e, step(r, ev));
	}
}

static void write_health(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *h = r->st[ST_HEALTH];

	for (size_t i = 0; i < s->nhealth; i++) {
		const struct snap_health *sh = &s->health[i];

		sqlite3_bind_int64(h, 1, id);
		bind_text(h, 2, sh->tracer, SNAP_NAME_LEN);
		bind_text(h, 3, sh->rung, sizeof(sh->rung));
		db__bind_u64(h, 4, sh->events);
		db__bind_u64(h, 5, sh->drops);
		db__bind_u64(h, 6, sh->run_ns);
		db__bind_u64(h, 7, sh->run_cnt);
		sqlite3_bind_int64(h, 8, sh->nprogs);
		step(r, h);
	}
}

/* The names of the metrics present, comma separated. */
static void metric_list(const struct snapshot *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int m = 0; m < METRIC_COUNT && n < len; m++)
		if (s->metrics_present & (1ULL << m))
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "," : "",
					      metric__info(m)->name);
}

/* One integer result of sql (bound to v when it has a parameter); -1 on error or NULL. */
static long long query_int(sqlite3 *db, const char *sql, long long v)
{
	sqlite3_stmt *st = NULL;
	long long out = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_bind_parameter_count(st))
		sqlite3_bind_int64(st, 1, v);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return out;
}

/* Delete every interval up to id last, in one transaction. 0 or -errno. */
static int trim_through(struct recorder *r, long long last)
{
	const char *sql = trim_sql;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL);

	while (rc == SQLITE_OK && *sql) {
		rc = sqlite3_prepare_v2(r->db, sql, -1, &st, &sql);
		if (rc != SQLITE_OK || !st)
			break;
		sqlite3_bind_int64(st, 1, last);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(r->db, "COMMIT; PRAGMA incremental_vacuum", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		log__error("%s: cannot delete old intervals: %s", r->path, sqlite3_errmsg(r->db));
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return db__errno(rc);
	}
	return 0;
}

/* Apply --max-age and --max-size after the interval ending at ts_ns was written. */
static int apply_bounds(struct recorder *r, __u64 ts_ns)
{
	long long newest = query_int(r->db, "SELECT max(id) FROM intervals", 0), last = -1;

	if (r->o.max_age_ns && ts_ns > r->o.max_age_ns)
		last = query_int(r->db, "SELECT max(id) FROM intervals WHERE ts_ns < ?",
				 (long long)(ts_ns - r->o.max_age_ns));
	if (r->o.max_size) {
		long long used = query_int(r->db,
					   "SELECT (page_count - freelist_count) * page_size"
					   " FROM pragma_page_count, pragma_freelist_count,"
					   " pragma_page_size",
					   0);
		long long first = query_int(r->db, "SELECT min(id) FROM intervals", 0);
		long long n = newest - first + 1;

		if (used > (long long)r->o.max_size && n > 1) {
			/* drop enough of the oldest to get 10% below the bound */
			long long per = used / n,
				  excess = used - (long long)(r->o.max_size * 9 / 10);
			long long drop = (excess + per - 1) / per;

			if (first + drop - 1 > last)
				last = first + drop - 1;
		}
	}
	if (last >= newest)
		last = newest - 1; /* keep the interval just written */
	return last > 0 ? trim_through(r, last) : 0;
}

int recorder__emit(void *ctx, const struct snapshot *s)
{
	struct recorder *r = ctx;
	char metrics[METRIC_COUNT * 24];
	sqlite3_stmt *iv = r->st[ST_INTERVAL];
	sqlite3_int64 id;
	int rc, err;

	r->rc = sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL);
	metric_list(s, metrics, sizeof(metrics));
	db__bind_u64(iv, 1, s->ts_ns);
	db__bind_u64(iv, 2, s->interval_ns);
	sqlite3_bind_int(iv, 3, s->final);
	sqlite3_bind_text(iv, 4, metrics, -1, SQLITE_STATIC);
	db__bind_u64(iv, 5, s->events_lost);
	id = step(r, iv);
	write_procs(r, s, id);
	write_hists(r, s, id);
	write_tables(r, s, id);
	write_events(r, s, id);
	write_health(r, s, id);
	rc = r->rc;
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		err = db__errno(rc);
		log__error("%s: cannot record the interval: %s%s; stopping (the %lu interval(s) "
			   "recorded stay readable)",
			   r->path, sqlite3_errstr(rc),
			   err == -ENOSPC ? " (free some space, or bound the file with --max-size)"
					  : "",
			   r->count);
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	r->count++;
	return apply_bounds(r, s->ts_ns);
}

unsigned long recorder__count(const struct recorder *r)
{
	return r->count;
}

int recorder__open(const char *path, const struct recorder_opts *o, struct recorder **out)
{
	struct recorder *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->o = *o;
	r->lock_fd = -1;
	r->path = strdup(path);
	if (!r->path) {
		err = -ENOMEM;
		goto fail;
	}
	err = db__open(path, DB_WRITE, &r->db, &r->lock_fd);
	if (err)
		goto fail;
	err = db__prepare_all(r->db, stmt_sql, ST_COUNT, r->st);
	if (err)
		goto fail;
	*out = r;
	return 0;
fail:
	recorder__close(r);
	return err;
}

void recorder__close(struct recorder *r)
{
	if (!r)
		return;
	db__finalize_all(r->st, ST_COUNT);
	db__close(r->db);
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	free(r->path);
	free(r);
}
