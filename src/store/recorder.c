// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/log.h"
#include "model/snapshot.h"
#include "store/db.h"
#include "store/schema.h"
#include "store/recorder.h"

enum stmt {
	ST_INTERVAL,
	ST_PROCESS,
	ST_HIST,
	ST_TABLE,
	ST_OTHER,
	ST_EXTRA,
	ST_HEALTH,
	ST_LOST,
	ST_STR_GET,
	ST_STR_ADD,
	ST_TEXT_ADD,
	ST_TAG_GET,
	ST_TAG_ADD,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_INTERVAL] = "INSERT INTO intervals_raw(ts_ns, interval_ns, final, metrics, events,"
		    " events_lost, host, self_cpu_ns) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_PROCESS] = "INSERT INTO processes_raw(pid, comm, first_id, last_id) VALUES(?, ?, ?3, ?3)"
		   " ON CONFLICT(comm, pid) DO UPDATE SET last_id = excluded.last_id",
    [ST_HIST] = "INSERT INTO hists_raw VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_TABLE] = "INSERT INTO snap_tables_raw(interval_id, tag, rows) VALUES(?, ?, ?)",
    [ST_OTHER] = "INSERT INTO other_events VALUES(?, ?, ?, ?, ?, ?)",
    [ST_EXTRA] = "INSERT INTO event_extra VALUES(?, ?, ?, ?, ?, ?)",
    [ST_HEALTH] = "INSERT INTO health_raw VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
    [ST_LOST] = "INSERT INTO events_lost VALUES(?, ?, ?)",
    [ST_STR_GET] = "SELECT id FROM strs WHERE s = ?",
    [ST_STR_ADD] = "INSERT INTO strs(s) VALUES(?)",
    [ST_TEXT_ADD] = "INSERT INTO texts(s) VALUES(?)",
    [ST_TAG_GET] = "SELECT id FROM tags WHERE n1 = ?1 AND n2 = ?2 AND n3 = ?3 AND n4 = ?4"
		   " AND n5 = ?5 AND n6 = ?6 AND n7 = ?7 AND n8 = ?8",
    [ST_TAG_ADD] = "INSERT INTO tags(n1, n2, n3, n4, n5, n6, n7, n8)"
		   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
};

/* Tables whose rows hang off an interval by interval_id, besides the event kinds'. */
static const char *const interval_tables[] = {"hists_raw",	"procs_raw",  "other_events",
					      "event_extra", "health_raw", "events_lost"};

/* Names recently looked up in strs, by a hash of the name: most events repeat them. */
#define NAME_SLOTS 1024

struct name_slot {
	char *s; /* malloc'ed, NULL when empty */
	sqlite3_int64 id;
};

/* Tags recently looked up, by a hash of their names: the events of a program repeat them. */
struct tag_slot {
	sqlite3_int64 names[DB_TAG_NAMES];
	sqlite3_int64 id; /* 0 when empty */
};

struct recorder {
	sqlite3 *db;
	int lock_fd; /* holds the writer's lock; closed after the database */
	char *path;
	struct recorder_opts o;
	sqlite3_stmt *st[ST_COUNT];
	sqlite3_stmt *procs;	   /* INSERT INTO procs_raw */
	int metric_param[METRIC_COUNT]; /* the parameter of each metric's column; 0: in more */
	sqlite3_stmt **kind;	   /* INSERT INTO each event kind's table */
	sqlite3_stmt **by;	   /* [kind * SCHEMA_COLS_MAX + col]: a searched column's lookup */
	char *trim_sql;		   /* deleting every interval up to ?1 */
	struct name_slot names[NAME_SLOTS];
	struct tag_slot tags[NAME_SLOTS];
	unsigned long count;
	int rc; /* first failing SQLite result of the interval being written */
};

/* Run a bound insert statement, reset it and clear its bindings; remembers the first failure. */
static sqlite3_int64 step(struct recorder *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && r->rc == SQLITE_OK)
		r->rc = rc;
	return sqlite3_last_insert_rowid(r->db);
}

static void bind_text(sqlite3_stmt *st, int col, const char *s, int len)
{
	sqlite3_bind_text(st, col, s, len >= 0 ? (int)strnlen(s, (size_t)len) : -1, SQLITE_STATIC);
}

/* Forget the names and tags looked up (their ids may have gone with a rolled back interval). */
static void forget_names(struct recorder *r)
{
	for (unsigned int i = 0; i < NAME_SLOTS; i++) {
		free(r->names[i].s);
		r->names[i].s = NULL;
		r->tags[i].id = 0;
	}
}

/*
 * The id of the row get (bound) finds, or when there is none, of the row add
 * (bound) inserts; 0 after a failure, which r->rc holds.
 */
static sqlite3_int64 get_or_add(struct recorder *r, sqlite3_stmt *get, sqlite3_stmt *add)
{
	sqlite3_int64 id = 0;
	int rc = sqlite3_step(get);

	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(get, 0);
	sqlite3_reset(get);
	sqlite3_clear_bindings(get);
	if (rc == SQLITE_DONE)
		return step(r, add);
	sqlite3_clear_bindings(add);
	if (rc != SQLITE_ROW && r->rc == SQLITE_OK)
		r->rc = rc;
	return id;
}

static __u32 fnv1a(const void *p, size_t n)
{
	const unsigned char *b = p;
	__u32 h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

/* The id in strs of s (its first len bytes at most, len < 0: all), added when new. */
static sqlite3_int64 intern(struct recorder *r, const char *s, int len)
{
	size_t n = len < 0 ? strlen(s) : strnlen(s, (size_t)len);
	struct name_slot *slot = &r->names[fnv1a(s, n) % NAME_SLOTS];
	sqlite3_int64 id;

	if (slot->s && !strncmp(slot->s, s, n) && !slot->s[n])
		return slot->id;
	sqlite3_bind_text(r->st[ST_STR_GET], 1, s, (int)n, SQLITE_STATIC);
	sqlite3_bind_text(r->st[ST_STR_ADD], 1, s, (int)n, SQLITE_STATIC);
	id = get_or_add(r, r->st[ST_STR_GET], r->st[ST_STR_ADD]);
	if (r->rc == SQLITE_OK) {
		free(slot->s);
		slot->s = strndup(s, n); /* none on ENOMEM: looked up again next time */
		slot->id = id;
	}
	return id;
}

/* The id in tags of the names (ids into strs, 0 for none), added when new. */
static sqlite3_int64 tag_of(struct recorder *r, const sqlite3_int64 *names)
{
	struct tag_slot *slot = &r->tags[fnv1a(names, sizeof(slot->names)) % NAME_SLOTS];
	sqlite3_int64 id;

	if (slot->id && !memcmp(slot->names, names, sizeof(slot->names)))
		return slot->id;
	for (int i = 0; i < DB_TAG_NAMES; i++) {
		sqlite3_bind_int64(r->st[ST_TAG_GET], i + 1, names[i]);
		sqlite3_bind_int64(r->st[ST_TAG_ADD], i + 1, names[i]);
	}
	id = get_or_add(r, r->st[ST_TAG_GET], r->st[ST_TAG_ADD]);
	if (r->rc == SQLITE_OK) {
		memcpy(slot->names, names, sizeof(slot->names));
		slot->id = id;
	}
	return id;
}

/*
 * Free text (a command line) as a row of its own in texts: a rowid table keeps
 * a long one on the page, where a row of an event table (WITHOUT ROWID, whose
 * rows stay under a quarter of a page) would take an overflow page for it.
 */
static sqlite3_int64 add_text(struct recorder *r, const char *s)
{
	bind_text(r->st[ST_TEXT_ADD], 1, s, -1);
	return step(r, r->st[ST_TEXT_ADD]);
}

/*
 * One row per process that did something this interval: a column per metric
 * of the overview, the others that are not 0 in more, a JSON object.
 */
static void write_procs(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *p = r->procs, *u = r->st[ST_PROCESS];
	char more[METRIC_COUNT * 48];

	for (size_t i = 0; i < s->nrows; i++) {
		const struct proc_row *row = &s->rows[i];
		sqlite3_int64 comm;
		size_t n = 0;
		bool any = false;

		for (int m = 0; m < METRIC_COUNT; m++) {
			if (!(s->metrics_present & (1ULL << m)) || !row->values[m])
				continue;
			any = true;
			if (r->metric_param[m])
				db__bind_u64(p, r->metric_param[m], row->values[m]);
			else if (n < sizeof(more)) /* u64 bit for bit, as in the columns */
				n += (size_t)snprintf(more + n, sizeof(more) - n, "%s\"%s\":%lld",
						      n ? "," : "{", metric__info(m)->name,
						      (long long)row->values[m]);
		}
		if (!any) {
			sqlite3_clear_bindings(p);
			continue;
		}
		comm = intern(r, row->comm, SNAP_COMM_LEN);
		sqlite3_bind_int64(u, 1, row->pid);
		sqlite3_bind_int64(u, 2, comm);
		sqlite3_bind_int64(u, 3, id);
		step(r, u);
		sqlite3_bind_int64(p, 1, id);
		sqlite3_bind_int64(p, 2, row->pid);
		sqlite3_bind_int64(p, 3, comm);
		if (row->ppid)
			sqlite3_bind_int64(p, 4, row->ppid);
		if (n && n < sizeof(more) - 1) {
			snprintf(more + n, sizeof(more) - n, "}");
			sqlite3_bind_text(p, 5, more, -1, SQLITE_STATIC);
		}
		step(r, p);
	}
}

/*
 * A histogram's slots from the first non-empty one (*lo empty ones before it)
 * up to the last, as a JSON array.
 */
static void bucket_array(const struct hist *h, char *buf, size_t len, unsigned int *lo)
{
	unsigned int last = 0;
	size_t n = 0;

	*lo = HIST_SLOTS;
	for (unsigned int k = 0; k < HIST_SLOTS; k++)
		if (h->slots[k]) {
			*lo = *lo < k ? *lo : k;
			last = k + 1;
		}
	if (!last)
		*lo = 0;
	n += (size_t)snprintf(buf, len, "[");
	for (unsigned int k = *lo; k < last && n < len; k++)
		n += (size_t)snprintf(buf + n, len - n, "%s%llu", k > *lo ? "," : "",
				      (unsigned long long)h->slots[k]);
	if (n < len)
		snprintf(buf + n, len - n, "]");
}

static void write_hists(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *h = r->st[ST_HIST];
	char buckets[HIST_SLOTS * 21 + 3];

	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *sh = &s->hists[i];
		/* labels (pid=N, stage=...) are many: a column of their own */
		sqlite3_int64 names[DB_TAG_NAMES] = {intern(r, sh->tracer, SNAP_NAME_LEN),
						     intern(r, sh->name, SNAP_NAME_LEN),
						     intern(r, sh->unit, sizeof(sh->unit))};
		unsigned int lo;

		bucket_array(&sh->h, buckets, sizeof(buckets), &lo);
		sqlite3_bind_int64(h, 1, id);
		sqlite3_bind_int64(h, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(h, 3, tag_of(r, names));
		sqlite3_bind_int64(h, 4, intern(r, sh->label, SNAP_LABEL_LEN));
		db__bind_u64(h, 5, sh->h.count);
		db__bind_u64(h, 6, sh->h.sum);
		sqlite3_bind_int(h, 7, (int)lo);
		sqlite3_bind_text(h, 8, buckets, -1, SQLITE_STATIC);
		step(r, h);
	}
}

/* names[0..n) as a JSON array of strings (they are identifiers and units: no escapes). */
static void name_array(const char *const *names, unsigned int n, char *buf, size_t len)
{
	size_t k = (size_t)snprintf(buf, len, "[");

	for (unsigned int i = 0; i < n && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s\"%s\"", i ? "," : "",
				      names[i] ? names[i] : "");
	if (k < len)
		snprintf(buf + k, len - k, "]");
}

/* A table's rows as a JSON array of arrays: the key's id in strs, then the values; malloc'ed. */
static char *rows_json(struct recorder *r, const struct snap_table *st)
{
	char *json = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&json, &len);

	if (!f)
		return NULL;
	fputc('[', f);
	for (size_t row = 0; row < st->nrows; row++) {
		fprintf(f, "%s[%lld", row ? "," : "",
			(long long)intern(r, st->rows[row].key, SNAP_NAME_LEN));
		for (unsigned int k = 0; k < st->ncols && k < SNAP_TABLE_COLS; k++)
			fprintf(f, ",%lld", (long long)st->rows[row].v[k]); /* u64 bit for bit */
		fputc(']', f);
	}
	fputc(']', f);
	if (fclose(f)) {
		free(json);
		return NULL;
	}
	return json;
}

static void write_tables(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *t = r->st[ST_TABLE];
	char cols[SNAP_TABLE_COLS * (SNAP_NAME_LEN + 3) + 3];
	char units[SNAP_TABLE_COLS * (SNAP_NAME_LEN + 3) + 3];

	for (size_t i = 0; i < s->ntables; i++) {
		const struct snap_table *st = &s->tables[i];
		sqlite3_int64 names[DB_TAG_NAMES] = {0};
		char *rows = rows_json(r, st);

		if (!rows) {
			r->rc = r->rc == SQLITE_OK ? SQLITE_NOMEM : r->rc;
			return;
		}
		name_array(st->cols, st->ncols, cols, sizeof(cols));
		name_array(st->units, st->ncols, units, sizeof(units));
		names[0] = intern(r, st->tracer, SNAP_NAME_LEN);
		names[1] = intern(r, st->name, SNAP_NAME_LEN);
		names[2] = intern(r, st->key_name, SNAP_NAME_LEN);
		names[3] = intern(r, cols, -1);
		names[4] = intern(r, units, -1);
		sqlite3_bind_int64(t, 1, id);
		sqlite3_bind_int64(t, 2, tag_of(r, names));
		sqlite3_bind_text(t, 3, rows, -1, SQLITE_STATIC);
		step(r, t);
		free(rows);
	}
}

/* Field k of event seq, which no column of its kind takes. */
static void write_extra(struct recorder *r, const struct snapshot *s, sqlite3_int64 id,
			size_t seq, unsigned int k, const struct snap_field *f)
{
	sqlite3_stmt *x = r->st[ST_EXTRA];

	sqlite3_bind_int64(x, 1, id);
	sqlite3_bind_int64(x, 2, (sqlite3_int64)seq);
	sqlite3_bind_int(x, 3, (int)k);
	bind_text(x, 4, f->key ? f->key : "", -1);
	if (f->is_str)
		bind_text(x, 6, snapshot__str(s, f), -1);
	else
		db__bind_u64(x, 5, f->num);
	step(r, x);
}

/* A row of other_events: the header of an event of a tracer without a kind. */
static void write_other(struct recorder *r, const struct snap_event *e, sqlite3_int64 id,
			size_t seq)
{
	sqlite3_stmt *st = r->st[ST_OTHER];

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	db__bind_u64(st, 3, e->ts_ns);
	sqlite3_bind_int64(st, 4, e->pid);
	bind_text(st, 5, e->comm, SNAP_COMM_LEN);
	bind_text(st, 6, e->tracer, SNAP_NAME_LEN);
	step(r, st);
}

/* Field f, column c of kind k, is held by event seq of interval id: its lookup row. */
static void write_by(struct recorder *r, const struct snapshot *s, const struct schema_kind *k,
		     int c, const struct snap_field *f, sqlite3_int64 id, size_t seq)
{
	sqlite3_stmt *st = r->by[(size_t)(k - schema_kinds) * SCHEMA_COLS_MAX + (size_t)c];

	if (f->is_str)
		bind_text(st, 1, snapshot__str(s, f), -1);
	else
		db__bind_u64(st, 1, f->num);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
	step(r, st);
}

/*
 * Event seq into its kind's table (other_events when it has none), columns by
 * field, names as a tag, endpoints as ids into strs, searched values into
 * their lookup tables; fields no column takes into event_extra.
 */
static void write_event(struct recorder *r, const struct snapshot *s, const struct snap_event *e,
			sqlite3_int64 id, size_t seq)
{
	const struct schema_kind *k = schema__kind_of(e);
	sqlite3_stmt *st = k ? r->kind[k - schema_kinds] : NULL;
	sqlite3_int64 names[DB_TAG_NAMES] = {0};
	int col[SNAP_EVENT_FIELDS];

	schema__assign(k, e, col);
	for (unsigned int i = 0; i < e->nfields; i++) {
		const struct snap_field *f = &e->fields[i];
		const struct schema_col *c = col[i] >= 0 ? &k->cols[col[i]] : NULL;
		int param = c ? (int)(db__kind_fixed(k) + db__kind_slot(k, (unsigned int)col[i])) + 1
			      : 0;

		if (!c)
			write_extra(r, s, id, seq, i, f);
		else if (db__col_tagged(k, (unsigned int)col[i]))
			names[db__kind_slot(k, (unsigned int)col[i])] =
			    intern(r, snapshot__str(s, f), -1);
		else if (schema__col_interned(c))
			sqlite3_bind_int64(st, param, intern(r, snapshot__str(s, f), -1));
		else if (f->is_str)
			sqlite3_bind_int64(st, param, add_text(r, snapshot__str(s, f)));
		else
			db__bind_u64(st, param, f->num);
		if (c && schema__col_searched(c))
			write_by(r, s, k, col[i], f, id, seq);
	}
	if (!k) {
		write_other(r, e, id, seq);
		return;
	}
	names[0] = intern(r, e->comm, SNAP_COMM_LEN);
	if (schema__has_tracer_col(k))
		names[1] = intern(r, e->tracer, SNAP_NAME_LEN);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)(s->ts_ns - e->ts_ns)); /* ts_off */
	sqlite3_bind_int64(st, 4, e->pid);
	if (db__kind_tagged(k)) {
		sqlite3_bind_int64(st, 5, tag_of(r, names));
	} else {
		sqlite3_bind_int64(st, 5, names[0]);
		if (schema__has_tracer_col(k))
			sqlite3_bind_int64(st, 6, names[1]);
	}
	step(r, st);
}

static void write_events(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *u = r->st[ST_PROCESS];

	for (size_t i = 0; i < s->nevents; i++) {
		const struct snap_event *e = &s->events[i];

		if (!i || e->pid != s->events[i - 1].pid ||
		    strncmp(e->comm, s->events[i - 1].comm, SNAP_COMM_LEN)) {
			sqlite3_bind_int64(u, 1, e->pid);
			sqlite3_bind_int64(u, 2, intern(r, e->comm, SNAP_COMM_LEN));
			sqlite3_bind_int64(u, 3, id);
			step(r, u);
		}
		write_event(r, s, e, id, i);
	}
}

static void write_health(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *h = r->st[ST_HEALTH];

	for (size_t i = 0; i < s->nhealth; i++) {
		const struct snap_health *sh = &s->health[i];

		sqlite3_bind_int64(h, 1, id);
		sqlite3_bind_int64(h, 2, intern(r, sh->tracer, SNAP_NAME_LEN));
		sqlite3_bind_int64(h, 3, intern(r, sh->rung, sizeof(sh->rung)));
		db__bind_u64(h, 4, sh->events);
		db__bind_u64(h, 5, sh->drops);
		db__bind_u64(h, 6, sh->cost.run_ns);
		db__bind_u64(h, 7, sh->cost.run_cnt);
		sqlite3_bind_int64(h, 8, sh->nprogs);
		step(r, h);
	}
}

/* The events each tracer lost past its cap, for the tracers that reached it. */
static void write_lost(struct recorder *r, const struct snapshot *s, sqlite3_int64 id)
{
	sqlite3_stmt *st = r->st[ST_LOST];

	for (unsigned int i = 0; i < s->nevent_counts; i++) {
		if (!s->event_counts[i].lost)
			continue;
		sqlite3_bind_int64(st, 1, id);
		bind_text(st, 2, s->event_counts[i].tracer, SNAP_NAME_LEN);
		db__bind_u64(st, 3, s->event_counts[i].lost);
		step(r, st);
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
	const char *sql = r->trim_sql;
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
	long long newest = query_int(r->db, "SELECT max(id) FROM intervals_raw", 0), last = -1;

	if (r->o.max_age_ns && ts_ns > r->o.max_age_ns)
		last = query_int(r->db, "SELECT max(id) FROM intervals_raw WHERE ts_ns < ?",
				 (long long)(ts_ns - r->o.max_age_ns));
	if (r->o.max_size) {
		long long used = query_int(r->db,
					   "SELECT (page_count - freelist_count) * page_size"
					   " FROM pragma_page_count, pragma_freelist_count,"
					   " pragma_page_size",
					   0);
		long long first = query_int(r->db, "SELECT min(id) FROM intervals_raw", 0);
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
	sqlite3_bind_int64(iv, 4, intern(r, metrics, -1));
	sqlite3_bind_int64(iv, 5, (sqlite3_int64)s->nevents);
	db__bind_u64(iv, 6, s->events_lost);
	sqlite3_bind_int64(iv, 7, intern(r, r->o.host ? r->o.host : "", -1));
	if (s->self_cpu_known)
		db__bind_u64(iv, 8, s->self_cpu_ns);
	else
		sqlite3_bind_null(iv, 8);
	id = step(r, iv);
	/* events first: their names, the most frequent, get the small ids (1 byte up to 127) */
	write_events(r, s, id);
	write_procs(r, s, id);
	write_hists(r, s, id);
	write_tables(r, s, id);
	write_health(r, s, id);
	write_lost(r, s, id);
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
		forget_names(r);
		return err;
	}
	r->count++;
	return apply_bounds(r, s->ts_ns);
}

unsigned long recorder__count(const struct recorder *r)
{
	return r->count;
}

/* "INSERT INTO table VALUES(?, ... n times)" prepared. */
static sqlite3_stmt *prepare_insert(sqlite3 *db, const char *table, const char *cols,
				    unsigned int n)
{
	char sql[2048];
	size_t k = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s%s VALUES(", table, cols);

	for (unsigned int i = 0; i < n && k < sizeof(sql); i++)
		k += (size_t)snprintf(sql + k, sizeof(sql) - k, "%s?", i ? ", " : "");
	if (k < sizeof(sql))
		snprintf(sql + k, sizeof(sql) - k, ")");
	return db__prepare(db, sql);
}

/* The statements and trim SQL that follow the typed schema (store/schema.c, the metrics). */
static int prepare_typed(struct recorder *r)
{
	char cols[METRIC_COUNT * 24 + 64];
	size_t n = (size_t)snprintf(cols, sizeof(cols), "(interval_id, pid, comm, ppid, more");
	size_t tlen = 0;
	int param = 5;
	FILE *f;

	for (int m = 0; m < METRIC_COUNT && n < sizeof(cols); m++) {
		if (db__metric_in_more(m))
			continue;
		r->metric_param[m] = ++param;
		n += (size_t)snprintf(cols + n, sizeof(cols) - n, ", %s", metric__info(m)->name);
	}
	if (n < sizeof(cols))
		snprintf(cols + n, sizeof(cols) - n, ")");
	r->procs = prepare_insert(r->db, "procs_raw", cols, (unsigned int)param);
	r->kind = calloc(schema_nkinds, sizeof(*r->kind));
	r->by = calloc(schema_nkinds * SCHEMA_COLS_MAX, sizeof(*r->by));
	if (!r->procs || !r->kind || !r->by)
		return r->procs ? -ENOMEM : -errno;
	for (unsigned int k = 0; k < schema_nkinds; k++) {
		const struct schema_kind *sk = &schema_kinds[k];
		char table[64], sql[256];
		unsigned int ncols;

		snprintf(table, sizeof(table), "%s_raw", sk->table);
		if (db__tag_names(sk) > DB_TAG_NAMES) {
			log__error("%s: %u names, more than the %d of a tag", sk->table,
				   db__tag_names(sk), DB_TAG_NAMES);
			return -E2BIG;
		}
		ncols = db__kind_fixed(sk);
		for (unsigned int c = 0; c < sk->ncols; c++)
			ncols += !db__col_tagged(sk, c);
		r->kind[k] = prepare_insert(r->db, table, "", ncols);
		if (!r->kind[k])
			return -errno;
		for (unsigned int c = 0; c < sk->ncols; c++) {
			if (!schema__col_searched(&sk->cols[c]))
				continue;
			/* events come in seq order: the last one seen holds the range's end */
			snprintf(sql, sizeof(sql),
				 "INSERT INTO %s_by_%s VALUES(?1, ?2, ?3, ?3) ON CONFLICT(value,"
				 " interval_id) DO UPDATE SET last_seq = excluded.last_seq",
				 sk->table, sk->cols[c].key);
			r->by[k * SCHEMA_COLS_MAX + c] = db__prepare(r->db, sql);
			if (!r->by[k * SCHEMA_COLS_MAX + c])
				return -errno;
		}
	}
	/* children before parents; the intervals row goes last */
	f = open_memstream(&r->trim_sql, &tlen);
	if (!f)
		return -ENOMEM;
	fprintf(f, "DELETE FROM snap_tables_raw WHERE interval_id <= ?1;");
	for (size_t i = 0; i < sizeof(interval_tables) / sizeof(interval_tables[0]); i++)
		fprintf(f, "DELETE FROM %s WHERE interval_id <= ?1;", interval_tables[i]);
	/* texts are added in order: the last one of a deleted event ends those deleted */
	fprintf(f, "DELETE FROM texts WHERE id <= (SELECT max(id) FROM (SELECT NULL AS id");
	for (unsigned int k = 0; k < schema_nkinds; k++)
		for (unsigned int c = 0; c < schema_kinds[k].ncols; c++)
			if (schema_kinds[k].cols[c].type == SCOL_TEXT)
				fprintf(f, " UNION ALL SELECT max(%s) FROM %s_raw WHERE interval_id <= ?1",
					schema_kinds[k].cols[c].key, schema_kinds[k].table);
	fprintf(f, "));");
	for (unsigned int k = 0; k < schema_nkinds; k++) {
		const struct schema_kind *sk = &schema_kinds[k];

		/* the lookup rows of the events deleted, found by key (not a scan of the table) */
		for (unsigned int c = 0; c < sk->ncols; c++) {
			const char *col = sk->cols[c].key;

			if (!schema__col_searched(&sk->cols[c]))
				continue;
			fprintf(f, "DELETE FROM %s_by_%s WHERE (value, interval_id) IN (SELECT ", sk->table,
				col);
			if (schema__col_interned(&sk->cols[c]))
				fprintf(f, "s, interval_id FROM %s_raw JOIN strs ON strs.id = %s",
					sk->table, col);
			else
				fprintf(f, "%s, interval_id FROM %s_raw", col, sk->table);
			fprintf(f, " WHERE interval_id <= ?1);");
		}
		fprintf(f, "DELETE FROM %s_raw WHERE interval_id <= ?1;", sk->table);
	}
	fprintf(f, "DELETE FROM processes_raw WHERE last_id <= ?1;"
		   "DELETE FROM intervals_raw WHERE id <= ?1;");
	return fclose(f) ? -ENOMEM : 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): the constructor idiom of STYLE.md
 * Errors: one exit path to a destructor that accepts NULL.
 */
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
	err = db__open_prepared(path, DB_WRITE, &r->db, &r->lock_fd, stmt_sql, ST_COUNT, r->st);
	if (!err)
		err = prepare_typed(r);
	if (err)
		goto fail;
	*out = r;
	return 0;
fail:
	recorder__close(r);
	return err;
}

/*
 * A recording that ends with at most so many bytes is compacted (VACUUM, in
 * memory: its pages filled again, some 5% smaller), which takes up to some
 * 0.5 s on a loaded 2-CPU machine; a bigger one stays as written.
 */
#define COMPACT_MAX_BYTES (8LL << 20)

/* Compact the file after a recording that ended well, when it is small. */
static void compact(struct recorder *r)
{
	long long size = query_int(r->db,
				   "SELECT page_count * page_size FROM pragma_page_count,"
				   " pragma_page_size",
				   0);

	if (!r->count || r->rc != SQLITE_OK || size < 0 || size > COMPACT_MAX_BYTES)
		return;
	if (sqlite3_exec(r->db, "PRAGMA temp_store=MEMORY; VACUUM", NULL, NULL, NULL) != SQLITE_OK)
		log__info("%s: left as written (not compacted: %s)", r->path,
			  sqlite3_errmsg(r->db));
}

void recorder__close(struct recorder *r)
{
	if (!r)
		return;
	if (r->db)
		compact(r);
	db__finalize_all(r->st, ST_COUNT);
	sqlite3_finalize(r->procs);
	db__free_all(r->kind, (int)schema_nkinds);
	db__free_all(r->by, (int)(schema_nkinds * SCHEMA_COLS_MAX));
	free(r->trim_sql);
	forget_names(r);
	db__close(r->db);
	if (r->lock_fd >= 0)
		close(r->lock_fd);
	free(r->path);
	free(r);
}
