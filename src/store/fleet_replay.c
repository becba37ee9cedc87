// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/sink.h"
#include "model/snapshot.h"
#include "store/clickhouse.h"
#include "store/fleet_replay.h"
#include "store/merge.h"
#include "store/schema.h"
#include "store/strpool.h"

#define STEPS_PER_QUERY 60    /* steps a round of queries loads */
#define HOSTS_MAX	4096  /* a row's host is a 16-bit index */
#define FIELDS_MAX	(METRIC_COUNT + 8)
#define STEP_DEFAULT_NS 1000000000ULL

struct fleet_replay {
	struct ch *c;
	const char *const *filter; /* --host, NULL-terminated */
	char **hosts;		   /* sorted, as ClickHouse's ORDER BY host gives them */
	__u64 *host_metrics;	   /* the metrics each reported in what was loaded so far */
	unsigned int nhosts;
	__u64 step_ns, first_ts, last_ts;
	struct strpool pool; /* table columns and units */
};

/* The steps of one round of queries: snaps[i] ends at end_ts - (n - 1 - i) * step. */
struct round {
	struct fleet_replay *r;
	struct snapshot *snaps;
	size_t n;
	__u64 end_ts;
	struct snap_table table; /* a host's table of one interval, being read */
	size_t table_of;	 /* the step it belongs to */
	__u64 table_host;	 /* and its host index */
};

static unsigned long long num(const char *s)
{
	return strcmp(s, "\\N") ? strtoull(s, NULL, 10) : 0;
}

/* The host index (1-based) of name, 0 when unknown. Hosts are sorted: a binary search. */
static unsigned int host_index(const struct fleet_replay *r, const char *name)
{
	unsigned int lo = 0, hi = r->nhosts;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		int c = strcmp(r->hosts[mid], name);

		if (!c)
			return mid + 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The snapshot of the step holding interval_ts ts, or NULL when outside the round. */
static struct snapshot *step_of(struct round *rd, const char *ts)
{
	__u64 t = num(ts), back;

	if (t > rd->end_ts)
		return NULL;
	back = (rd->end_ts - t) / rd->r->step_ns;
	return back < rd->n ? &rd->snaps[rd->n - 1 - back] : NULL;
}

static int host_row(void *ctx, char **f, int n)
{
	struct fleet_replay *r = ctx;
	char **h;
	__u64 step, first, last, *m;

	if (n != 4)
		return 0;
	if (r->nhosts == HOSTS_MAX) {
		log__error("ClickHouse %s: more than %d hosts: choose some with --host",
			   ch__name(r->c), HOSTS_MAX);
		return -E2BIG;
	}
	h = realloc(r->hosts, (r->nhosts + 1) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	r->hosts = h;
	m = realloc(r->host_metrics, (r->nhosts + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	r->host_metrics = m;
	m[r->nhosts] = 0;
	h[r->nhosts] = strdup(f[0]);
	if (!h[r->nhosts])
		return -ENOMEM;
	r->nhosts++;
	step = num(f[1]);
	first = num(f[2]);
	last = num(f[3]);
	r->step_ns = step > r->step_ns ? step : r->step_ns;
	r->first_ts = !r->first_ts || first < r->first_ts ? first : r->first_ts;
	r->last_ts = last > r->last_ts ? last : r->last_ts;
	return 0;
}

/*
 * SELECT select FROM table, of the hosts asked for (and of the steps of round
 * rd, when not NULL), then tail; row(ctx, ...) for each row. 0 or -errno.
 */
static int select_rows(struct fleet_replay *r, const struct round *rd, const char *select,
		       const char *table, const char *tail, int (*row)(void *, char **, int),
		       void *ctx)
{
	return fleet_report__select(r->c, r->filter, rd ? rd->end_ts - rd->n * r->step_ns : 0,
				    rd ? rd->end_ts : 0, select, table, tail, row, ctx);
}

int fleet_replay__open(const struct fleet_query *q, struct fleet_replay **out)
{
	struct fleet_replay *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	r->filter = q->hosts;
	err = ch__open(&q->ch, &r->c);
	if (!err)
		err = ch__check(r->c);
	if (!err)
		err = select_rows(r, NULL,
				  "host, max(interval_ns), min(interval_ts), max(interval_ts)",
				  "intervals", "GROUP BY host ORDER BY host", host_row, r);
	if (err) {
		fleet_replay__close(r);
		return err;
	}
	if (!r->step_ns)
		r->step_ns = STEP_DEFAULT_NS;
	*out = r;
	return 0;
}

/* host, interval_ts, metrics, events_lost: the step's metrics are every host's. */
static int interval_row(void *ctx, char **f, int n)
{
	struct round *rd = ctx;
	struct snapshot *s = n == 4 ? step_of(rd, f[1]) : NULL;
	unsigned int h = s ? host_index(rd->r, f[0]) : 0;
	__u64 had;

	if (!s)
		return 0;
	had = s->metrics_present;
	s->metrics_present = 0;
	snapshot__declare_metrics(s, f[2]);
	if (h)
		rd->r->host_metrics[h - 1] |= s->metrics_present;
	s->metrics_present |= had;
	s->events_lost += num(f[3]);
	return 0;
}

static int procs_row(void *ctx, char **f, int n)
{
	struct round *rd = ctx;
	struct snapshot *s = n == METRIC_COUNT + 5 ? step_of(rd, f[1]) : NULL;
	struct proc_row *row;

	if (!s)
		return 0;
	row = snapshot__add_row(s, (__u32)num(f[2]), f[3]);
	if (!row)
		return -ENOMEM;
	row->host = (__u16)host_index(rd->r, f[0]);
	row->ppid = (__u32)num(f[4]);
	for (int m = 0; m < METRIC_COUNT; m++)
		row->values[m] = num(f[5 + m]);
	return 0;
}

/* The numbers of an Array(UInt64) answer, "[1,2,3]", into v[0..max); how many. */
static unsigned int parse_array(const char *s, __u64 *v, unsigned int max)
{
	unsigned int n = 0;

	s += *s == '[';
	while (*s && *s != ']' && n < max) {
		char *end;

		v[n++] = strtoull(s, &end, 10);
		s = end + (*end == ',');
		if (end == s && *s != ']')
			break;
	}
	return n;
}

static int hist_row(void *ctx, char **f, int n)
{
	struct snapshot *s = n == 8 ? step_of(ctx, f[0]) : NULL;
	struct snap_hist *h = NULL;
	struct hist add = {.count = 0};

	if (!s)
		return 0;
	for (size_t i = 0; i < s->nhists && !h; i++)
		if (!strcmp(s->hists[i].tracer, f[1]) && !strcmp(s->hists[i].name, f[2]) &&
		    !strcmp(s->hists[i].label, f[3]))
			h = &s->hists[i];
	if (!h)
		h = snapshot__add_hist(s, f[1], f[2], f[3], f[4]);
	if (!h)
		return -ENOMEM;
	parse_array(f[7], add.slots, HIST_SLOTS);
	add.count = num(f[5]);
	add.sum = num(f[6]);
	hist__merge(&h->h, &add);
	return 0;
}

/* The names of an Array(String) answer, "['a','b']", pooled into v[0..max); how many. */
static int parse_names(struct fleet_replay *r, const char *s, const char **v, unsigned int max,
		       unsigned int *n)
{
	char name[SNAP_NAME_LEN];

	*n = 0;
	for (s += *s == '['; *s == '\'' && *n < max; s += *s == ',') {
		size_t len = strcspn(++s, "'");

		snprintf(name, sizeof(name), "%.*s", (int)len, s);
		v[*n] = strpool__intern(&r->pool, name);
		if (!v[(*n)++])
			return -ENOMEM;
		s += len + (s[len] == '\'');
	}
	return 0;
}

/* Merge the table being read into its step. */
static int flush_table(struct round *rd)
{
	int err = rd->table.ncols ? merge__table(&rd->snaps[rd->table_of], &rd->table) : 0;

	rd->table.nrows = 0;
	rd->table.ncols = 0;
	return err;
}

/* A row of table_rows: interval_ts, host, tracer, name, key_name, cols, units, key, v. */
static int table_row(void *ctx, char **f, int n)
{
	struct round *rd = ctx;
	struct snapshot *s = n == 9 ? step_of(rd, f[0]) : NULL;
	struct snap_table *t = &rd->table;
	struct snap_table_row *row;
	unsigned int host = s ? host_index(rd->r, f[1]) : 0, ncols, nunits;
	int err = 0;

	if (!s)
		return 0;
	if (t->ncols && ((size_t)(s - rd->snaps) != rd->table_of || host != rd->table_host ||
			 strcmp(t->tracer, f[2]) || strcmp(t->name, f[3])))
		err = flush_table(rd);
	if (!err && !t->ncols) {
		err = parse_names(rd->r, f[5], t->cols, SNAP_TABLE_COLS, &ncols);
		if (!err)
			err = parse_names(rd->r, f[6], t->units, SNAP_TABLE_COLS, &nunits);
		if (err || !ncols || ncols != nunits)
			return err;
		snprintf(t->tracer, sizeof(t->tracer), "%s", f[2]);
		snprintf(t->name, sizeof(t->name), "%s", f[3]);
		snprintf(t->key_name, sizeof(t->key_name), "%s", f[4]);
		t->ncols = ncols;
		rd->table_of = (size_t)(s - rd->snaps);
		rd->table_host = host;
	}
	row = err ? NULL : snap_table__add_row(t, f[7]);
	if (!row)
		return err ? err : -ENOMEM;
	parse_array(f[8], row->v, t->ncols);
	return 0;
}

/* interval_ts, tracer, rung, events, drops, run_ns, run_cnt, programs (summed over hosts). */
static int health_row(void *ctx, char **f, int n)
{
	struct snapshot *s = n == 8 ? step_of(ctx, f[0]) : NULL;
	struct snap_health *h = NULL;

	if (!s)
		return 0;
	for (size_t i = 0; i < s->nhealth && !h; i++)
		if (!strcmp(s->health[i].tracer, f[1]))
			h = &s->health[i];
	if (!h)
		h = snapshot__add_health(s, f[1]);
	if (!h)
		return -ENOMEM;
	snprintf(h->rung, sizeof(h->rung), "%s", f[2]);
	h->events += num(f[3]);
	h->drops += num(f[4]);
	h->cost.run_ns += num(f[5]);
	h->cost.run_cnt += num(f[6]);
	h->nprogs = (unsigned int)num(f[7]);
	return 0;
}

static int lost_row(void *ctx, char **f, int n)
{
	struct snapshot *s = n == 3 ? step_of(ctx, f[0]) : NULL;
	struct snap_event_count *c = s ? snapshot__event_count(s, f[1]) : NULL;

	if (c)
		c->lost += num(f[2]);
	return 0;
}

/* The event kind being read, for event_row. */
struct kind_round {
	struct round *rd;
	const struct schema_kind *k; /* NULL: other_events */
};

/* host, interval_ts, ts_ns, pid, comm, tracer, then kind k's columns. */
static int event_row(void *ctx, char **f, int n)
{
	struct kind_round *kr = ctx;
	const struct schema_kind *k = kr->k;
	struct snapshot *s = n == 6 + (int)(k ? k->ncols : 0) ? step_of(kr->rd, f[1]) : NULL;
	struct snap_event *e;

	if (!s)
		return 0;
	e = snapshot__add_event(s, f[5], num(f[2]), (__u32)num(f[3]), f[4]);
	if (!e)
		return 0; /* past the tracer's cap: counted */
	e->host = (__u16)host_index(kr->rd->r, f[0]);
	for (unsigned int c = 0; k && c < k->ncols; c++)
		if (strcmp(f[6 + c], "\\N"))
			schema__put(k, c, s, e, f[6 + c], num(f[6 + c]));
	if (k)
		schema__order_stages(k, e);
	return 0;
}

/* The events of every kind (fields without a column, in event_extra, are left out). */
static int load_events(struct round *rd)
{
	struct kind_round kr = {.rd = rd};
	char *select = NULL;
	size_t len = 0;
	int err = 0;

	for (unsigned int i = 0; !err && i <= schema_nkinds; i++) {
		FILE *f = open_memstream(&select, &len);

		if (!f)
			return -ENOMEM;
		kr.k = i < schema_nkinds ? &schema_kinds[i] : NULL;
		fputs("host, interval_ts, ts_ns, pid, comm, ", f);
		if (kr.k && !schema__has_tracer_col(kr.k))
			ch__literal(f, kr.k->tracers);
		else
			fputs("tracer", f);
		for (unsigned int c = 0; kr.k && c < kr.k->ncols; c++)
			fprintf(f, ", %s", kr.k->cols[c].key);
		err = fclose(f) ? -ENOMEM
				: select_rows(rd->r, rd, select,
					      kr.k ? kr.k->table : "other_events", "ORDER BY ts_ns",
					      event_row, &kr);
		free(select);
		select = NULL;
	}
	return err;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each statement built in its own
 * open_memstream buffer.
 */
/* Every table's rows of round rd's steps into its snapshots. */
static int load_round(struct round *rd)
{
	struct fleet_replay *r = rd->r;
	char *procs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&procs, &len);
	int err;

	if (!f)
		return -ENOMEM;
	fputs("host, interval_ts, pid, comm, ppid", f);
	for (int m = 0; m < METRIC_COUNT; m++)
		fprintf(f, ", %s", metric__info(m)->name);
	err = fclose(f) ? -ENOMEM : 0;
	if (!err)
		err = select_rows(r, rd, "host, interval_ts, metrics, events_lost", "intervals", "",
				  interval_row, rd);
	if (!err)
		err = select_rows(r, rd, procs, "procs", "", procs_row, rd);
	if (!err)
		err = select_rows(r, rd,
				  "interval_ts, tracer, name, label, unit, count, sum, buckets",
				  "hists", "", hist_row, rd);
	if (!err)
		err = select_rows(r, rd,
				  "interval_ts, host, tracer, name, key_name, cols, units, key, v",
				  "table_rows", "ORDER BY interval_ts, host, tracer, name, row",
				  table_row, rd);
	if (!err)
		err = flush_table(rd);
	if (!err)
		err = select_rows(r, rd,
				  "interval_ts, tracer, any(rung), sum(events), sum(drops),"
				  " sum(run_ns), sum(run_cnt), max(programs)",
				  "health", "GROUP BY interval_ts, tracer ORDER BY tracer",
				  health_row, rd);
	if (!err)
		err = select_rows(r, rd, "interval_ts, tracer, sum(lost)", "events_lost",
				  "GROUP BY interval_ts, tracer", lost_row, rd);
	if (!err)
		err = load_events(rd);
	free(procs);
	return err;
}

static int cmp_event_ts(const void *a, const void *b)
{
	const struct snap_event *x = a, *y = b;

	return (x->ts_ns > y->ts_ns) - (x->ts_ns < y->ts_ns);
}

/* What a step needs once all its rows are in: rows merged per host and pid, events in order. */
static void finish_step(struct snapshot *s)
{
	snapshot__finish(s);
	qsort(s->events, s->nevents, sizeof(*s->events), cmp_event_ts);
	for (size_t i = 0; i < s->nhealth; i++)
		if (s->health[i].cost.run_cnt)
			s->health[i].cost.ns_per_run = (double)s->health[i].cost.run_ns /
						       (double)s->health[i].cost.run_cnt;
}

int fleet_replay__run(struct fleet_replay *r, size_t max, const struct sink *k)
{
	struct snapshot *snaps = calloc(STEPS_PER_QUERY, sizeof(*snaps));
	size_t total, done = 0;
	int err = snaps ? 0 : -ENOMEM;

	if (!err && !r->nhosts)
		log__info("ClickHouse %s: no intervals recorded%s", ch__name(r->c),
			  r->filter && r->filter[0] ? " by these hosts" : "");
	total = r->nhosts ? (r->last_ts - r->first_ts) / r->step_ns + 1 : 0;
	total = total < max ? total : max;
	if (!err && k->ready)
		err = k->ready(k->ctx);
	while (!err && done < total) {
		size_t n = total - done < STEPS_PER_QUERY ? total - done : STEPS_PER_QUERY;
		struct round rd = {.r = r, .snaps = snaps, .n = n,
				   .end_ts = r->last_ts - (total - done - n) * r->step_ns};

		for (size_t i = 0; i < n; i++) {
			snapshot__reset(&snaps[i]);
			snaps[i].ts_ns = rd.end_ts - (n - 1 - i) * r->step_ns;
			snaps[i].interval_ns = r->step_ns;
			snaps[i].hosts = (const char *const *)r->hosts;
			snaps[i].host_metrics = r->host_metrics;
			snaps[i].nhosts = r->nhosts;
		}
		err = load_round(&rd);
		free(rd.table.rows);
		for (size_t i = 0; !err && i < n; i++) {
			finish_step(&snaps[i]);
			snaps[i].final = done + i + 1 == total;
			err = k->emit(k->ctx, &snaps[i]);
		}
		done += n;
	}
	if (k->finish)
		k->finish(k->ctx);
	for (size_t i = 0; snaps && i < STEPS_PER_QUERY; i++)
		snapshot__free(&snaps[i]);
	free(snaps);
	return err;
}

unsigned int fleet_replay__nhosts(const struct fleet_replay *r)
{
	return r->nhosts;
}

void fleet_replay__close(struct fleet_replay *r)
{
	if (!r)
		return;
	for (unsigned int i = 0; i < r->nhosts; i++)
		free(r->hosts[i]);
	free(r->hosts);
	free(r->host_metrics);
	strpool__free(&r->pool);
	ch__close(r->c);
	free(r);
}
