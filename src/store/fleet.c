// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>
#include "core/log.h"
#include "model/snapshot.h"
#include "store/clickhouse.h"
#include "store/db.h"
#include "store/fleet.h"
#include "store/schema.h"

#define FLUSH_NS     10000000000ULL /* how long close keeps sending what the spool holds */
#define WARN_NS	     60000000000ULL /* one message a minute while ClickHouse is away */
#define RETRY_MS     1000
#define CH_ROW_START "host String, interval_ts UInt64"

/* The tables besides the event kinds', in the order a batch sends them (intervals last). */
enum fixed_table {
	T_PROCS,
	T_HISTS,
	T_TABLES,
	T_HEALTH,
	T_LOST,
	T_OTHER,
	T_EXTRA,
	T_INTERVALS,
	T_FIXED
};

/* ClickHouse table declarations, data alike in shape by design: one entry per table. */
static const struct {
	const char *name, *cols, *order;
} fixed[T_FIXED] = {
    [T_PROCS] = {"procs", CH_ROW_START ", pid UInt32, comm String, ppid Nullable(UInt32)",
		 "host, interval_ts, pid"},
    [T_HISTS] = {"hists",
		 CH_ROW_START ", tracer String, name String, label String, unit String,"
			      " count UInt64, sum UInt64, buckets Array(UInt64)",
		 "host, interval_ts"},
    [T_TABLES] = {"table_rows",
		  CH_ROW_START ", tracer String, name String, key_name String, cols Array(String),"
			       " units Array(String), row UInt32, key String, v Array(UInt64)",
		  "host, interval_ts"},
    [T_HEALTH] = {"health",
		  CH_ROW_START ", tracer String, rung String, events UInt64, drops UInt64,"
			       " run_ns UInt64, run_cnt UInt64, programs UInt32",
		  "host, interval_ts"},
    [T_LOST] = {"events_lost", CH_ROW_START ", tracer String, lost UInt64", "host, interval_ts"},
    [T_OTHER] = {"other_events",
		 CH_ROW_START ", seq UInt32, ts_ns UInt64, pid UInt32, comm String, tracer String",
		 "host, ts_ns"},
    [T_EXTRA] = {"event_extra",
		 CH_ROW_START ", seq UInt32, idx UInt32, key String, num Nullable(UInt64),"
			      " str Nullable(String)",
		 "host, interval_ts, seq"},
    /* interval_ts is the interval's ts_ns: every table's rows of an interval share it */
    [T_INTERVALS] = {"intervals",
		     CH_ROW_START ", interval_ns UInt64, final UInt8, metrics String,"
				  " events UInt64, events_lost UInt64, self_cpu_ns Nullable(UInt64)",
		     "host, interval_ts"},
};

struct fleet {
	struct fleet_opts o;
	struct ch *ch;
	sqlite3 *spool, *spool_rd; /* the emitting thread's and the sender's connections */
	sqlite3_stmt *put;
	int lock_fd;
	pthread_t sender;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* under mu */
	bool stop, tables_ok, failing;
	__u64 deadline_ns, spool_bytes, rows_sent, rows_dropped, warned_ns, dropped_warned_ns;
	char last_error[300];
	__u64 t0_ns;
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

static unsigned int ntables(void)
{
	return T_FIXED + schema_nkinds;
}

static const char *table_name(unsigned int t)
{
	return t < T_FIXED ? fixed[t].name : schema_kinds[t - T_FIXED].table;
}

/* The CREATE TABLE of table t to f. */
static void table_ddl(const char *db, unsigned int t, FILE *f)
{
	fprintf(f, "CREATE TABLE IF NOT EXISTS %s.%s (", db, table_name(t));
	if (t == T_PROCS) {
		fprintf(f, "%s", fixed[t].cols);
		for (int m = 0; m < METRIC_COUNT; m++)
			fprintf(f, ", %s Nullable(UInt64)", metric__info(m)->name);
	} else if (t < T_FIXED) {
		fprintf(f, "%s", fixed[t].cols);
	} else {
		const struct schema_kind *k = &schema_kinds[t - T_FIXED];

		fprintf(f, CH_ROW_START ", seq UInt32, ts_ns UInt64, pid UInt32, comm String%s",
			schema__has_tracer_col(k) ? ", tracer String" : "");
		for (unsigned int c = 0; c < k->ncols; c++)
			fprintf(f, ", %s Nullable(%s)", k->cols[c].key,
				schema__col_text(&k->cols[c]) ? "String" : "UInt64");
	}
	fprintf(f, ") ENGINE = MergeTree() ORDER BY (%s)",
		t < T_FIXED ? fixed[t].order : "host, ts_ns");
}

/* Run sql; the answer to *answer (may be NULL), the server's first line into why on failure. */
static int run(struct ch *c, const char *sql, char *why, size_t len, char **answer)
{
	char *msg = NULL;
	int err = ch__query(c, sql, NULL, 0, &msg);

	if (err)
		ch__first_line(msg, why, len);
	if (answer && !err)
		*answer = msg;
	else
		free(msg);
	return err;
}

/*
 * Create the tables missing (meta with the schema version first) and check
 * the version. 0, or -errno with the reason in why.
 */
static int create_tables(struct ch *c, char *why, size_t len)
{
	char *sql = NULL, *answer = NULL;
	size_t n = 0;
	int err, version;
	FILE *f;

	snprintf(why, len, "cannot create the tables");
	if (asprintf(&sql, "CREATE TABLE IF NOT EXISTS %s.meta (key String, value String)"
			   " ENGINE = MergeTree() ORDER BY key",
		     ch__db(c)) < 0)
		return -ENOMEM;
	err = run(c, sql, why, len, NULL);
	free(sql);
	if (!err && asprintf(&sql, "SELECT value FROM %s.meta WHERE key = 'schema_version'",
			     ch__db(c)) < 0)
		return -ENOMEM;
	if (!err) {
		err = run(c, sql, why, len, &answer);
		free(sql);
	}
	if (err)
		return err;
	version = answer && *answer ? atoi(answer) : 0;
	free(answer);
	if (version && version != FLEET_SCHEMA_VERSION) {
		snprintf(why, len, "its tables are of schema version %d, this tracerhub writes %d",
			 version, FLEET_SCHEMA_VERSION);
		return -EPROTO;
	}
	for (unsigned int t = 0; !err && t < ntables(); t++) {
		f = open_memstream(&sql, &n);
		if (!f)
			return -ENOMEM;
		table_ddl(ch__db(c), t, f);
		fclose(f);
		err = run(c, sql, why, len, NULL);
		free(sql);
	}
	if (!err && !version) {
		if (asprintf(&sql, "INSERT INTO %s.meta VALUES ('schema_version', '%d')", ch__db(c),
			     FLEET_SCHEMA_VERSION) < 0)
			return -ENOMEM;
		err = run(c, sql, why, len, NULL);
		free(sql);
	}
	return err;
}

/* Say (once a minute) that ClickHouse is away and batches wait; called under mu. */
static void note_failure(struct fleet *f, const char *why)
{
	__u64 now = now_ns();

	snprintf(f->last_error, sizeof(f->last_error), "%s", why);
	f->failing = true;
	if (f->warned_ns && now - f->warned_ns < WARN_NS)
		return;
	f->warned_ns = now;
	log__error("ClickHouse %s: %s; batches wait in the spool %s (%llu bytes)", ch__name(f->ch),
		   why, f->o.spool, (unsigned long long)f->spool_bytes);
}

/* The oldest batch of the spool, its data malloc'ed. 1 when there is one, 0, or -EIO. */
struct batch {
	long long id, interval_ts, nrows;
	bool tried;
	char tbl[64], host[256];
	char *data;
	size_t len;
};

static int oldest(sqlite3 *db, struct batch *b)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
				    "SELECT id, tbl, host, interval_ts, nrows, tried, data FROM spool"
				    " ORDER BY id LIMIT 1",
				    -1, &st, NULL);
	int ret = -EIO;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		ret = 0;
	if (rc == SQLITE_ROW) {
		b->id = sqlite3_column_int64(st, 0);
		snprintf(b->tbl, sizeof(b->tbl), "%s", db__column_text(st, 1));
		snprintf(b->host, sizeof(b->host), "%s", db__column_text(st, 2));
		b->interval_ts = sqlite3_column_int64(st, 3);
		b->nrows = sqlite3_column_int64(st, 4);
		b->tried = sqlite3_column_int(st, 5) != 0;
		b->len = (size_t)sqlite3_column_bytes(st, 6);
		b->data = malloc(b->len + 1);
		if (b->data) {
			memcpy(b->data, sqlite3_column_blob(st, 6), b->len);
			b->data[b->len] = '\0';
			ret = 1;
		}
	}
	sqlite3_finalize(st);
	return ret;
}

static int spool_exec_id(sqlite3 *db, const char *sql, long long id)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -EIO;
}

/*
 * Did an earlier attempt deliver batch b (the answer got lost)? Each table's
 * rows of one interval and host go in one INSERT, which ClickHouse applies
 * whole or not at all. 1, 0 or -errno.
 */
static int delivered(struct fleet *f, const struct batch *b, char *why, size_t len)
{
	char *sql = NULL, *answer = NULL;
	size_t n = 0;
	FILE *q = open_memstream(&sql, &n);
	int err;

	if (!q)
		return -ENOMEM;
	fprintf(q, "SELECT count() FROM %s.%s WHERE host = ", ch__db(f->ch), b->tbl);
	ch__literal(q, b->host);
	fprintf(q, " AND interval_ts = %llu", (unsigned long long)b->interval_ts);
	fclose(q);
	err = run(f->ch, sql, why, len, &answer);
	free(sql);
	if (!err)
		err = answer && atoll(answer) > 0;
	free(answer);
	return err;
}

/* Send batch b; 0 when ClickHouse has it, else -errno with why. */
static int send_batch(struct fleet *f, const struct batch *b, char *why, size_t len)
{
	char sql[128], *msg = NULL;
	unsigned int t = 0;
	int err;

	while (t < ntables() && strcmp(table_name(t), b->tbl))
		t++;
	if (t == ntables()) {
		snprintf(why, len, "the spool holds a batch for an unknown table '%s'", b->tbl);
		return -EINVAL;
	}
	if (b->tried) {
		err = delivered(f, b, why, len);
		if (err)
			return err < 0 ? err : 0;
	}
	if (spool_exec_id(f->spool_rd, "UPDATE spool SET tried = 1 WHERE id = ?", b->id))
		return -EIO;
	snprintf(sql, sizeof(sql), "INSERT INTO %s.%s FORMAT TabSeparated", ch__db(f->ch), b->tbl);
	err = ch__query(f->ch, sql, b->data, b->len, &msg);
	if (err)
		ch__first_line(msg, why, len);
	free(msg);
	return err;
}

/* Wait on the condition up to ms, under mu. */
static void wait_ms(struct fleet *f, unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&f->cv, &f->mu, &ts);
}

/* The sender: oldest batch first, each deleted from the spool once ClickHouse has it. */
static void *sender_main(void *arg)
{
	struct fleet *f = arg;
	char why[300];

	pthread_mutex_lock(&f->mu);
	while (!f->stop || now_ns() < f->deadline_ns) {
		struct batch b = {0};
		int err = 0, got;

		if (!f->tables_ok) {
			pthread_mutex_unlock(&f->mu);
			err = create_tables(f->ch, why, sizeof(why));
			pthread_mutex_lock(&f->mu);
			f->tables_ok = !err;
			if (err) {
				note_failure(f, why);
				wait_ms(f, RETRY_MS);
				continue;
			}
		}
		pthread_mutex_unlock(&f->mu);
		got = oldest(f->spool_rd, &b);
		if (got > 0)
			err = send_batch(f, &b, why, sizeof(why));
		if (got > 0 && !err)
			err = spool_exec_id(f->spool_rd, "DELETE FROM spool WHERE id = ?", b.id);
		pthread_mutex_lock(&f->mu);
		free(b.data);
		if (err == -ENOENT)
			f->tables_ok = false; /* a table was dropped: create it, then resend */
		if (got < 0 || (got > 0 && err)) {
			note_failure(f, got < 0 ? "cannot read the spool" : why);
			wait_ms(f, RETRY_MS);
			continue;
		}
		if (!got) {
			if (f->stop)
				break;
			wait_ms(f, RETRY_MS);
			continue;
		}
		if (f->failing)
			log__info("ClickHouse %s answers again: sending what the spool holds",
				  ch__name(f->ch));
		f->failing = false;
		f->warned_ns = 0;
		f->rows_sent += (__u64)b.nrows;
		f->spool_bytes -= f->spool_bytes >= b.len ? b.len : f->spool_bytes;
	}
	pthread_mutex_unlock(&f->mu);
	return NULL;
}

/* A TabSeparated batch being built for one table. */
struct table_buf {
	char *data;
	size_t len;
	FILE *f;
	long long nrows;
};

static void row_start(struct fleet *f, struct table_buf *t, const struct snapshot *s)
{
	ch__tsv_str(t->f, f->o.host, SIZE_MAX);
	fprintf(t->f, "\t%llu", (unsigned long long)s->ts_ns);
	t->nrows++;
}

static void tsv_text(FILE *f, const char *s, size_t max)
{
	fputc('\t', f);
	ch__tsv_str(f, s, max);
}

static void tsv_u64(FILE *f, __u64 v)
{
	fprintf(f, "\t%llu", (unsigned long long)v);
}

/* A ClickHouse Array(String) of names (identifiers and units). */
static void tsv_names(FILE *f, const char *const *names, unsigned int n)
{
	fputs("\t[", f);
	for (unsigned int i = 0; i < n; i++) {
		fprintf(f, "%s'", i ? "," : "");
		for (const char *p = names[i] ? names[i] : ""; *p; p++)
			fprintf(f, "%s%c", *p == '\'' || *p == '\\' ? "\\" : "", *p);
		fputc('\'', f);
	}
	fputc(']', f);
}

static void batch_procs(struct fleet *f, struct table_buf *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nrows; i++) {
		const struct proc_row *row = &s->rows[i];
		bool any = false;

		for (int m = 0; m < METRIC_COUNT && !any; m++)
			any = (s->metrics_present & (1ULL << m)) && row->values[m];
		if (!any)
			continue;
		row_start(f, t, s);
		tsv_u64(t->f, row->pid);
		tsv_text(t->f, row->comm, SNAP_COMM_LEN);
		if (row->ppid)
			tsv_u64(t->f, row->ppid);
		else
			fputs("\t\\N", t->f);
		for (int m = 0; m < METRIC_COUNT; m++) {
			if ((s->metrics_present & (1ULL << m)) && row->values[m])
				tsv_u64(t->f, row->values[m]);
			else
				fputs("\t\\N", t->f);
		}
		fputc('\n', t->f);
	}
}

static void batch_hists(struct fleet *f, struct table_buf *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *h = &s->hists[i];
		unsigned int last = 0;

		for (unsigned int k = 0; k < HIST_SLOTS; k++)
			if (h->h.slots[k])
				last = k + 1;
		row_start(f, t, s);
		tsv_text(t->f, h->tracer, SNAP_NAME_LEN);
		tsv_text(t->f, h->name, SNAP_NAME_LEN);
		tsv_text(t->f, h->label, SNAP_LABEL_LEN);
		tsv_text(t->f, h->unit, sizeof(h->unit));
		tsv_u64(t->f, h->h.count);
		tsv_u64(t->f, h->h.sum);
		fputs("\t[", t->f);
		for (unsigned int k = 0; k < last; k++)
			fprintf(t->f, "%s%llu", k ? "," : "", (unsigned long long)h->h.slots[k]);
		fputs("]\n", t->f);
	}
}

static void batch_tables(struct fleet *f, struct table_buf *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->ntables; i++) {
		const struct snap_table *st = &s->tables[i];

		for (size_t r = 0; r < st->nrows; r++) {
			row_start(f, t, s);
			tsv_text(t->f, st->tracer, SNAP_NAME_LEN);
			tsv_text(t->f, st->name, SNAP_NAME_LEN);
			tsv_text(t->f, st->key_name, SNAP_NAME_LEN);
			tsv_names(t->f, st->cols, st->ncols);
			tsv_names(t->f, st->units, st->ncols);
			tsv_u64(t->f, r);
			tsv_text(t->f, st->rows[r].key, SNAP_NAME_LEN);
			fputs("\t[", t->f);
			for (unsigned int c = 0; c < st->ncols; c++)
				fprintf(t->f, "%s%llu", c ? "," : "",
					(unsigned long long)st->rows[r].v[c]);
			fputs("]\n", t->f);
		}
	}
}

static void batch_health(struct fleet *f, struct table_buf *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nhealth; i++) {
		const struct snap_health *h = &s->health[i];

		row_start(f, t, s);
		tsv_text(t->f, h->tracer, SNAP_NAME_LEN);
		tsv_text(t->f, h->rung, sizeof(h->rung));
		tsv_u64(t->f, h->events);
		tsv_u64(t->f, h->drops);
		tsv_u64(t->f, h->cost.run_ns);
		tsv_u64(t->f, h->cost.run_cnt);
		tsv_u64(t->f, h->nprogs);
		fputc('\n', t->f);
	}
}

static void batch_lost(struct fleet *f, struct table_buf *t, const struct snapshot *s)
{
	for (unsigned int i = 0; i < s->nevent_counts; i++) {
		if (!s->event_counts[i].lost)
			continue;
		row_start(f, t, s);
		tsv_text(t->f, s->event_counts[i].tracer, SNAP_NAME_LEN);
		tsv_u64(t->f, s->event_counts[i].lost);
		fputc('\n', t->f);
	}
}

/* Event seq into its kind's rows (other_events when it has none), the rest to event_extra. */
static void batch_event(struct fleet *f, struct table_buf *tb, const struct snapshot *s,
			const struct snap_event *e, size_t seq)
{
	const struct schema_kind *k = schema__kind_of(e);
	struct table_buf *t = &tb[k ? T_FIXED + (unsigned int)(k - schema_kinds) : T_OTHER];
	int col[SNAP_EVENT_FIELDS], field_of[64];

	row_start(f, t, s);
	tsv_u64(t->f, seq);
	tsv_u64(t->f, e->ts_ns);
	tsv_u64(t->f, e->pid);
	tsv_text(t->f, e->comm, SNAP_COMM_LEN);
	if (!k || schema__has_tracer_col(k))
		tsv_text(t->f, e->tracer, SNAP_NAME_LEN);
	schema__assign(k, e, col);
	for (unsigned int c = 0; k && c < k->ncols; c++)
		field_of[c] = -1;
	for (unsigned int i = 0; i < e->nfields; i++) {
		const struct snap_field *fl = &e->fields[i];

		if (col[i] >= 0) {
			field_of[col[i]] = (int)i;
			continue;
		}
		row_start(f, &tb[T_EXTRA], s);
		tsv_u64(tb[T_EXTRA].f, seq);
		tsv_u64(tb[T_EXTRA].f, i);
		tsv_text(tb[T_EXTRA].f, fl->key ? fl->key : "", SIZE_MAX);
		if (fl->is_str) {
			fputs("\t\\N", tb[T_EXTRA].f);
			tsv_text(tb[T_EXTRA].f, snapshot__str(s, fl), SIZE_MAX);
		} else {
			tsv_u64(tb[T_EXTRA].f, fl->num);
			fputs("\t\\N", tb[T_EXTRA].f);
		}
		fputc('\n', tb[T_EXTRA].f);
	}
	for (unsigned int c = 0; k && c < k->ncols; c++) {
		const struct snap_field *fl = field_of[c] >= 0 ? &e->fields[field_of[c]] : NULL;

		if (!fl)
			fputs("\t\\N", t->f);
		else if (fl->is_str)
			tsv_text(t->f, snapshot__str(s, fl), SIZE_MAX);
		else
			tsv_u64(t->f, fl->num);
	}
	fputc('\n', t->f);
}

/* Build the batch of s into tb[0..ntables()). 0 or -ENOMEM. */
static int build_batch(struct fleet *f, const struct snapshot *s, struct table_buf *tb)
{
	unsigned int n = ntables();
	bool first = true;

	for (unsigned int t = 0; t < n; t++) {
		tb[t].f = open_memstream(&tb[t].data, &tb[t].len);
		if (!tb[t].f)
			return -ENOMEM;
	}
	batch_procs(f, &tb[T_PROCS], s);
	batch_hists(f, &tb[T_HISTS], s);
	batch_tables(f, &tb[T_TABLES], s);
	batch_health(f, &tb[T_HEALTH], s);
	batch_lost(f, &tb[T_LOST], s);
	for (size_t i = 0; i < s->nevents; i++)
		batch_event(f, tb, s, &s->events[i], i);
	row_start(f, &tb[T_INTERVALS], s);
	tsv_u64(tb[T_INTERVALS].f, s->interval_ns);
	tsv_u64(tb[T_INTERVALS].f, s->final);
	fputc('\t', tb[T_INTERVALS].f);
	for (int m = 0; m < METRIC_COUNT; m++)
		if (s->metrics_present & (1ULL << m)) {
			fprintf(tb[T_INTERVALS].f, "%s%s", first ? "" : ",", metric__info(m)->name);
			first = false;
		}
	tsv_u64(tb[T_INTERVALS].f, s->nevents);
	tsv_u64(tb[T_INTERVALS].f, s->events_lost);
	if (s->self_cpu_known)
		tsv_u64(tb[T_INTERVALS].f, s->self_cpu_ns);
	else
		fputs("\t\\N", tb[T_INTERVALS].f);
	fputc('\n', tb[T_INTERVALS].f);
	for (unsigned int t = 0; t < n; t++)
		if (fflush(tb[t].f))
			return -ENOMEM;
	return 0;
}

int fleet__emit(struct fleet *f, const struct snapshot *s)
{
	unsigned int n = ntables();
	struct table_buf *tb = calloc(n, sizeof(*tb));
	__u64 bytes = 0, rows = 0, now = now_ns();
	int err = tb ? build_batch(f, s, tb) : -ENOMEM;
	bool full;

	for (unsigned int t = 0; !err && t < n; t++) {
		bytes += tb[t].len;
		rows += (__u64)tb[t].nrows;
	}
	pthread_mutex_lock(&f->mu);
	full = !err && f->spool_bytes + bytes > f->o.spool_max;
	if (full) {
		f->rows_dropped += rows;
		if (!f->dropped_warned_ns || now - f->dropped_warned_ns >= WARN_NS) {
			f->dropped_warned_ns = now;
			log__error("the spool %s is full (%llu bytes): %llu rows dropped so far while "
				   "ClickHouse %s is away (%s)",
				   f->o.spool, (unsigned long long)f->o.spool_max,
				   (unsigned long long)f->rows_dropped, ch__name(f->ch),
				   f->last_error[0] ? f->last_error : "slow");
		}
	}
	pthread_mutex_unlock(&f->mu);
	if (!err && !full) {
		int rc = sqlite3_exec(f->spool, "BEGIN", NULL, NULL, NULL);

		for (unsigned int t = 0; rc == SQLITE_OK && t < n; t++) {
			if (!tb[t].nrows)
				continue;
			sqlite3_bind_text(f->put, 1, table_name(t), -1, SQLITE_STATIC);
			sqlite3_bind_text(f->put, 2, f->o.host, -1, SQLITE_STATIC);
			db__bind_u64(f->put, 3, s->ts_ns);
			sqlite3_bind_int64(f->put, 4, tb[t].nrows);
			sqlite3_bind_blob(f->put, 5, tb[t].data, (int)tb[t].len, SQLITE_STATIC);
			rc = sqlite3_step(f->put);
			rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
			sqlite3_reset(f->put);
		}
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(f->spool, "COMMIT", NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			log__error("%s: cannot spool the interval: %s", f->o.spool,
				   sqlite3_errstr(rc));
			sqlite3_exec(f->spool, "ROLLBACK", NULL, NULL, NULL);
			err = db__errno(rc);
		}
	}
	pthread_mutex_lock(&f->mu);
	if (!err && !full)
		f->spool_bytes += bytes;
	pthread_cond_signal(&f->cv);
	pthread_mutex_unlock(&f->mu);
	for (unsigned int t = 0; tb && t < n; t++) {
		if (tb[t].f)
			fclose(tb[t].f);
		free(tb[t].data);
	}
	free(tb);
	return err;
}

static const char spool_sql[] =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS spool(id INTEGER PRIMARY KEY, tbl TEXT NOT NULL,"
    " host TEXT NOT NULL, interval_ts INTEGER NOT NULL, nrows INTEGER NOT NULL,"
    " tried INTEGER NOT NULL DEFAULT 0, data BLOB NOT NULL)";

/* Open the spool (both connections) under its lock; 0 or -errno after log__error. */
static int open_spool(struct fleet *f)
{
	sqlite3_stmt *st = NULL;
	int err, rc;

	f->lock_fd = open(f->o.spool, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (f->lock_fd < 0) {
		err = -errno;
		log__error("cannot create the spool %s: %s (give another with --spool PATH)",
			   f->o.spool, strerror(-err));
		return err;
	}
	err = db__lock_writer(f->lock_fd);
	if (err) {
		log__error("the spool %s is in use by another tracerhub record: give another with "
			   "--spool PATH",
			   f->o.spool);
		return -EBUSY;
	}
	rc = sqlite3_open_v2(f->o.spool, &f->spool, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(f->o.spool, &f->spool_rd,
				     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(f->spool, 5000);
		sqlite3_busy_timeout(f->spool_rd, 5000);
		rc = sqlite3_exec(f->spool, spool_sql, NULL, NULL, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(f->spool,
					"INSERT INTO spool(tbl, host, interval_ts, nrows, data)"
					" VALUES(?, ?, ?, ?, ?)",
					-1, &f->put, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(f->spool, "SELECT coalesce(sum(length(data)), 0) FROM spool",
					-1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		f->spool_bytes = (__u64)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		log__error("%s: not a tracerhub spool: %s", f->o.spool,
			   f->spool ? sqlite3_errmsg(f->spool) : sqlite3_errstr(rc));
		return db__errno(rc);
	}
	return 0;
}

int fleet__open(const struct fleet_opts *o, struct fleet **out)
{
	struct fleet *f = calloc(1, sizeof(*f));
	char why[300], *msg = NULL;
	sigset_t all, old;
	int err;

	*out = NULL;
	if (!f)
		return -ENOMEM;
	f->o = *o;
	f->lock_fd = -1;
	f->t0_ns = now_ns();
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	err = ch__open(&o->ch, &f->ch);
	if (err)
		goto fail;
	err = ch__query(f->ch, "SELECT 1", NULL, 0, &msg);
	ch__first_line(msg, why, sizeof(why));
	free(msg);
	if (err == -ECONNREFUSED)
		log__error("ClickHouse %s does not answer (%s): recording anyway, batches wait in "
			   "the spool %s until it does",
			   ch__name(f->ch), why, o->spool);
	else if (err)
		err = ch__check(f->ch); /* says what is wrong */
	if (err == -ECONNREFUSED) {
		err = 0;
	} else if (!err) {
		err = create_tables(f->ch, why, sizeof(why));
		if (err) {
			log__error("ClickHouse %s: %s", ch__name(f->ch), why);
			goto fail;
		}
		f->tables_ok = true;
	}
	if (err)
		goto fail;
	err = open_spool(f);
	if (err)
		goto fail;
	/* the sender takes no signal: they stay with the session's signalfd */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = -pthread_create(&f->sender, NULL, sender_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		goto fail;
	f->started = true;
	*out = f;
	return 0;
fail:
	fleet__close(f);
	return err;
}

void fleet__close(struct fleet *f)
{
	long long left = 0, batches = 0;
	sqlite3_stmt *st = NULL;
	double secs;

	if (!f)
		return;
	if (f->started) {
		pthread_mutex_lock(&f->mu);
		f->stop = true;
		f->deadline_ns = now_ns() + FLUSH_NS;
		pthread_cond_signal(&f->cv);
		pthread_mutex_unlock(&f->mu);
		pthread_join(f->sender, NULL);
		if (sqlite3_prepare_v2(f->spool, "SELECT count(*), coalesce(sum(nrows), 0) FROM spool",
				       -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			batches = sqlite3_column_int64(st, 0);
			left = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
		secs = (double)(now_ns() - f->t0_ns) / 1e9;
		log__info("sent %llu rows to ClickHouse %s (%.0f rows/s)",
			  (unsigned long long)f->rows_sent, ch__name(f->ch),
			  secs > 0 ? (double)f->rows_sent / secs : 0.0);
		if (batches)
			log__error("%lld batches (%lld rows) wait in the spool %s: the next record "
				   "with --spool %s sends them",
				   batches, left, f->o.spool, f->o.spool);
		if (f->rows_dropped)
			log__error("the spool was full: %llu rows dropped",
				   (unsigned long long)f->rows_dropped);
	}
	sqlite3_finalize(f->put);
	sqlite3_close(f->spool_rd);
	sqlite3_close(f->spool);
	if (f->lock_fd >= 0)
		close(f->lock_fd);
	ch__close(f->ch);
	pthread_cond_destroy(&f->cv);
	pthread_mutex_destroy(&f->mu);
	free(f);
}
