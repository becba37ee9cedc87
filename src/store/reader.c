// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "model/snapshot.h"
#include "store/db.h"
#include "store/reader.h"
#include "store/schema.h"
#include "store/strpool.h"

enum stmt {
	LD_INTERVAL,
	LD_PROCS,
	LD_HISTS,
	LD_TABLES,
	LD_ROWS,
	LD_OTHER,
	LD_EXTRA,
	LD_HEALTH,
	LD_LOST,
	LD_SPAN,
	LD_NEXT,
	LD_SEEK,
	LD_COUNT
};

static const char *const stmt_sql[LD_COUNT] = {
    [LD_INTERVAL] = "SELECT ts_ns, interval_ns, final, metrics, events_lost, events, self_cpu_ns FROM intervals"
		    " WHERE id = ?",
    [LD_PROCS] = "SELECT * FROM procs WHERE interval_id = ? ORDER BY pid",
    [LD_HISTS] = "SELECT tracer, name, label, unit, count, sum, buckets FROM hists"
		 " WHERE interval_id = ? ORDER BY seq",
    [LD_TABLES] = "SELECT id, tracer, name, key_name, cols, units FROM snap_tables"
		  " WHERE interval_id = ? ORDER BY id",
    [LD_ROWS] = "SELECT key, v1, v2, v3, v4, v5, v6 FROM table_rows WHERE table_id = ?"
		" ORDER BY row",
    [LD_OTHER] = "SELECT * FROM other_events WHERE interval_id = ?",
    [LD_EXTRA] = "SELECT seq, idx, key, num, str FROM event_extra WHERE interval_id = ?"
		 " ORDER BY seq, idx",
    [LD_HEALTH] = "SELECT tracer, rung, events, drops, run_ns, run_cnt, programs FROM health"
		  " WHERE interval_id = ? ORDER BY tracer",
    [LD_LOST] = "SELECT tracer, lost FROM events_lost WHERE interval_id = ? ORDER BY tracer",
    [LD_SPAN] = "SELECT count(*), min(id), max(id), min(ts_ns), max(ts_ns),"
		" (SELECT ts_ns - interval_ns FROM intervals_raw WHERE ts_ns >= ?1 AND ts_ns <= ?2"
		" ORDER BY id LIMIT 1) FROM intervals_raw WHERE ts_ns >= ?1 AND ts_ns <= ?2",
    [LD_NEXT] = "SELECT id FROM intervals_raw WHERE id > ? AND ts_ns <= ? ORDER BY id LIMIT 1",
    [LD_SEEK] = "SELECT coalesce((SELECT id FROM intervals_raw WHERE ts_ns <= ?1 ORDER BY ts_ns"
		" DESC LIMIT 1), (SELECT min(id) FROM intervals_raw), 0)",
};

/* Columns of an event kind's table before its typed ones (tracer only when shared). */
#define KIND_COL_SEQ	1
#define KIND_COL_TS	2
#define KIND_COL_PID	3
#define KIND_COL_COMM	4
#define KIND_COL_TRACER 5

struct reader {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[LD_COUNT];
	sqlite3_stmt **kind;	      /* SELECT * FROM each event kind's table */
	int proc_metric[METRIC_COUNT + 4]; /* metric of each procs column, -1 for none */
	int ppid_col;			   /* the procs column of ppid, -1 in older recordings */
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

static int load_procs(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_PROCS];
	int ncols = sqlite3_column_count(st), rc;

	if (ncols > METRIC_COUNT + 4)
		ncols = METRIC_COUNT + 4;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct proc_row *row = snapshot__add_row(s, (__u32)sqlite3_column_int64(st, 1),
							 db__column_text(st, 2));

		if (!row) {
			sqlite3_reset(st);
			return -ENOMEM;
		}
		for (int c = 3; c < ncols; c++)
			if (r->proc_metric[c] >= 0) /* metrics of a newer tracerhub are skipped */
				row->values[r->proc_metric[c]] = db__column_u64(st, c);
		if (r->ppid_col >= 0)
			row->ppid = (__u32)sqlite3_column_int64(st, r->ppid_col);
	}
	return done(r, st, rc);
}

/* Parse a JSON array of integers ("[0,3,5]") into v[0..n). */
static void parse_u64_array(const char *p, __u64 *v, unsigned int n)
{
	unsigned int k = 0;
	char *end;

	p += *p == '[';
	while (*p && *p != ']' && k < n) {
		v[k++] = strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end + (*end == ',');
	}
}

static int load_hists(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_HISTS];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct snap_hist *h = snapshot__add_hist(s, db__column_text(st, 0),
							 db__column_text(st, 1),
							 db__column_text(st, 2),
							 db__column_text(st, 3));

		if (!h) {
			sqlite3_reset(st);
			return -ENOMEM;
		}
		h->h.count = db__column_u64(st, 4);
		h->h.sum = db__column_u64(st, 5);
		parse_u64_array(db__column_text(st, 6), h->h.slots, HIST_SLOTS);
	}
	return done(r, st, rc);
}

/* Pooled strings of a JSON array of plain strings ('["count","errors"]') into out[0..max). */
static int parse_names(struct reader *r, const char *p, const char **out, unsigned int max,
		       unsigned int *n)
{
	char buf[SNAP_NAME_LEN * 2];

	*n = 0;
	while ((p = strchr(p, '"')) && *n < max) {
		size_t len = strcspn(++p, "\"");

		snprintf(buf, sizeof(buf), "%.*s", (int)(len < sizeof(buf) ? len : sizeof(buf) - 1),
			 p);
		out[*n] = strpool__intern(&r->pool, buf);
		if (!out[(*n)++])
			return -ENOMEM;
		p += len + (p[len] == '"');
	}
	return 0;
}

/* The rows of table tid into a new table of s. */
static int load_table(struct reader *r, long long tid, const char *tracer, const char *name,
		      const char *key_name, const char *cols_json, const char *units_json,
		      struct snapshot *s)
{
	const char *cols[SNAP_TABLE_COLS], *units[SNAP_TABLE_COLS];
	sqlite3_stmt *v = r->st[LD_ROWS];
	unsigned int n, nu;
	struct snap_table *t;
	int rc, err;

	err = parse_names(r, cols_json, cols, SNAP_TABLE_COLS, &n);
	if (!err)
		err = parse_names(r, units_json, units, SNAP_TABLE_COLS, &nu);
	if (err)
		return err;
	for (; nu < n; nu++)
		units[nu] = "";
	t = snapshot__add_table(s, tracer, name, key_name, n, cols, units);
	if (!t)
		return -ENOMEM;
	sqlite3_bind_int64(v, 1, tid);
	while ((rc = sqlite3_step(v)) == SQLITE_ROW) {
		struct snap_table_row *row = snap_table__add_row(t, db__column_text(v, 0));

		if (!row) {
			sqlite3_reset(v);
			return -ENOMEM;
		}
		for (unsigned int c = 0; c < n; c++)
			row->v[c] = db__column_u64(v, 1 + (int)c);
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
		err = load_table(r, sqlite3_column_int64(st, 0), tracer, name, key,
				 db__column_text(st, 4), db__column_text(st, 5), s);
	}
	if (err) {
		sqlite3_reset(st);
		return err;
	}
	return done(r, st, rc);
}

/* An event being put back together at its place (seq) in the interval. */
struct loaded_event {
	bool present;
	struct snap_event e;
};

/* The header columns of an event row (kind tables and other_events share their order). */
static void load_header(sqlite3_stmt *st, const char *tracer, struct snap_event *e)
{
	e->ts_ns = db__column_u64(st, KIND_COL_TS);
	e->pid = (__u32)sqlite3_column_int64(st, KIND_COL_PID);
	snprintf(e->comm, sizeof(e->comm), "%s", db__column_text(st, KIND_COL_COMM));
	snprintf(e->tracer, sizeof(e->tracer), "%s",
		 tracer ? tracer : db__column_text(st, KIND_COL_TRACER));
}

/*
 * The typed columns of a row of kind k into e (its long strings into s), the
 * stage columns in the tracer's order.
 */
static void load_typed(sqlite3_stmt *st, const struct schema_kind *k, int first,
		       struct snapshot *s, struct snap_event *e)
{
	for (unsigned int c = 0; c < k->ncols; c++)
		if (sqlite3_column_type(st, first + (int)c) != SQLITE_NULL)
			schema__put(k, c, s, e, db__column_text(st, first + (int)c),
				    db__column_u64(st, first + (int)c));
	schema__order_stages(k, e);
}

/*
 * The rows of st (an event table) into ev[0..n) by seq: kind k, or NULL for
 * other_events (the columns of a shared kind without typed ones).
 */
static int load_kind(struct reader *r, sqlite3_stmt *st, const struct schema_kind *k, long long id,
		     struct snapshot *s, struct loaded_event *ev, size_t n)
{
	const char *tracer = k && !schema__has_tracer_col(k) ? k->tracers : NULL;
	int first = k && !schema__has_tracer_col(k) ? KIND_COL_TRACER : KIND_COL_TRACER + 1;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, KIND_COL_SEQ);

		if (seq < 0 || (size_t)seq >= n)
			continue;
		load_header(st, tracer, &ev[seq].e);
		if (k)
			load_typed(st, k, first, s, &ev[seq].e);
		ev[seq].present = true;
	}
	return done(r, st, rc);
}

/* The fields no column took, back at their places (long strings into s). */
static int load_extra(struct reader *r, long long id, struct snapshot *s, struct loaded_event *ev,
		      size_t n)
{
	sqlite3_stmt *st = r->st[LD_EXTRA];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long seq = sqlite3_column_int64(st, 0);
		unsigned int idx = (unsigned int)sqlite3_column_int(st, 1);
		struct snap_event *e;
		struct snap_field *f;

		if (seq < 0 || (size_t)seq >= n || ev[seq].e.nfields >= SNAP_EVENT_FIELDS)
			continue;
		e = &ev[seq].e;
		if (idx > e->nfields)
			idx = e->nfields;
		memmove(&e->fields[idx + 1], &e->fields[idx],
			(e->nfields - idx) * sizeof(e->fields[0]));
		e->nfields++;
		f = &e->fields[idx];
		memset(f, 0, sizeof(*f));
		f->key = pooled(r, st, 2);
		if (!f->key) {
			sqlite3_reset(st);
			return -ENOMEM;
		}
		if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snap_field__set_str(s, f, db__column_text(st, 4), false);
		else
			f->num = db__column_u64(st, 3);
	}
	return done(r, st, rc);
}

static int load_events(struct reader *r, long long id, size_t n, struct snapshot *s)
{
	struct loaded_event *ev = n ? calloc(n, sizeof(*ev)) : NULL;
	int err = n && !ev ? -ENOMEM : 0;

	for (unsigned int k = 0; !err && n && k < schema_nkinds; k++)
		err = load_kind(r, r->kind[k], &schema_kinds[k], id, s, ev, n);
	if (!err && n)
		err = load_kind(r, r->st[LD_OTHER], NULL, id, s, ev, n);
	if (!err && n)
		err = load_extra(r, id, s, ev, n);
	for (size_t i = 0; !err && i < n; i++) {
		struct snap_event *e;

		if (!ev[i].present)
			continue;
		e = snapshot__add_event(s, ev[i].e.tracer, ev[i].e.ts_ns, ev[i].e.pid,
					ev[i].e.comm);
		if (!e)
			continue; /* counted in events_lost */
		e->nfields = ev[i].e.nfields;
		memcpy(e->fields, ev[i].e.fields, sizeof(e->fields));
	}
	free(ev);
	return err;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one loader per recording table,
 * each filling its own part.
 */
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
		h->cost.run_ns = db__column_u64(st, 4);
		h->cost.run_cnt = db__column_u64(st, 5);
		if (h->cost.run_cnt) /* a statistics window closed in this interval */
			h->cost.ns_per_run = (double)h->cost.run_ns / (double)h->cost.run_cnt;
		h->nprogs = (unsigned int)sqlite3_column_int64(st, 6);
	}
	return done(r, st, rc);
}

/* Alike to load_health by design: its own table and fields. */
/* The events each tracer lost past its cap (s->events_lost holds their sum already). */
static int load_lost(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_LOST];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct snap_event_count *c = snapshot__event_count(s, db__column_text(st, 0));

		if (c)
			c->lost += db__column_u64(st, 1);
	}
	return done(r, st, rc);
}

int reader__load(struct reader *r, long long id, struct snapshot *s)
{
	sqlite3_stmt *st = r->st[LD_INTERVAL];
	size_t nevents;
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
	snapshot__declare_metrics(s, db__column_text(st, 3));
	s->events_lost = db__column_u64(st, 4);
	/* no interval holds more than a snapshot keeps, whatever the file says */
	nevents = (size_t)sqlite3_column_int64(st, 5);
	s->self_cpu_known = sqlite3_column_type(st, 6) != SQLITE_NULL; /* NULL: not measured */
	s->self_cpu_ns = s->self_cpu_known ? db__column_u64(st, 6) : 0;
	if (nevents > SNAP_EVENTS_MAX)
		nevents = SNAP_EVENTS_MAX;
	sqlite3_reset(st);
	err = load_procs(r, id, s);
	if (!err)
		err = load_hists(r, id, s);
	if (!err)
		err = load_tables(r, id, s);
	if (!err)
		err = load_events(r, id, nevents, s);
	if (!err)
		err = load_health(r, id, s);
	if (!err)
		err = load_lost(r, id, s);
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

/* The event kinds' statements; which metric each procs column holds. */
static int prepare_typed(struct reader *r)
{
	char sql[128];
	int ncols = sqlite3_column_count(r->st[LD_PROCS]);

	r->ppid_col = -1;
	for (int c = 0; c < METRIC_COUNT + 4; c++) {
		const char *name = c < ncols ? sqlite3_column_name(r->st[LD_PROCS], c) : "";

		r->proc_metric[c] = c >= 3 && c < ncols ? metric__by_name(name) : -1;
		if (c >= 3 && !strcmp(name, "ppid"))
			r->ppid_col = c;
	}
	r->kind = calloc(schema_nkinds, sizeof(*r->kind));
	if (!r->kind)
		return -ENOMEM;
	for (unsigned int k = 0; k < schema_nkinds; k++) {
		snprintf(sql, sizeof(sql), "SELECT * FROM %s WHERE interval_id = ?",
			 schema_kinds[k].table);
		r->kind[k] = db__prepare(r->db, sql);
		if (!r->kind[k])
			return -errno;
	}
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): the constructor idiom of STYLE.md
 * Errors: one exit path to a destructor that accepts NULL.
 */
int reader__open(const char *path, struct reader **out)
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
	err = db__open_prepared(path, DB_READ, &r->db, NULL, stmt_sql, LD_COUNT, r->st);
	if (!err)
		err = prepare_typed(r);
	if (err)
		goto fail;
	*out = r;
	return 0;
fail:
	reader__close(r);
	return err;
}

void reader__close(struct reader *r)
{
	if (!r)
		return;
	db__finalize_all(r->st, LD_COUNT);
	db__free_all(r->kind, (int)schema_nkinds);
	db__close(r->db);
	strpool__free(&r->pool);
	free(r->path);
	free(r);
}
