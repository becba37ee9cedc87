// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/log.h"
#include "model/metric.h"
#include "model/snapshot.h"
#include "render/escape.h"
#include "render/format.h"
#include "render/json_writer.h"
#include "store/clickhouse.h"
#include "store/fields.h"
#include "store/fleet_report.h"
#include "store/schema.h"
#include "store/search.h"

#define TSV_FIELDS_MAX (METRIC_COUNT + 8)

struct host_sum {
	char host[256];
	unsigned long long intervals, first_ns, last_ns, events, events_lost, drops;
	unsigned long long by_kind[16]; /* schema_kinds, then other_events */
	unsigned long long totals[METRIC_COUNT];
	struct {
		char tracer[SNAP_NAME_LEN];
		unsigned long long n;
	} lost[SNAP_EVENT_TRACERS]; /* events past each tracer's cap */
	unsigned int nlost;
};

struct fleet_sum {
	struct host_sum *h;
	size_t n;
};

/* " WHERE host IN (...)" for the --host filters, or "". */
static void host_filter(FILE *f, const char *const *hosts, const char *join)
{
	ch__in_list(f, join, "host", hosts);
}

/* The summary row of host, added when new. NULL on ENOMEM. */
static struct host_sum *host_of(struct fleet_sum *s, const char *host)
{
	struct host_sum *h;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->h[i].host, host))
			return &s->h[i];
	h = realloc(s->h, (s->n + 1) * sizeof(*s->h));
	if (!h)
		return NULL;
	s->h = h;
	h = &s->h[s->n++];
	memset(h, 0, sizeof(*h));
	snprintf(h->host, sizeof(h->host), "%s", host);
	return h;
}

static unsigned long long num(const char *s)
{
	return strcmp(s, "\\N") ? strtoull(s, NULL, 10) : 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): the row callbacks of the summary
 * SELECTs, each its own columns.
 */
static int interval_row(void *ctx, char **f, int n)
{
	struct fleet_sum *s = ctx;
	struct host_sum *h = n == 6 ? host_of(s, f[0]) : NULL;

	if (n != 6)
		return 0;
	if (!h)
		return -ENOMEM;
	h->intervals = num(f[1]);
	h->first_ns = num(f[2]);
	h->last_ns = num(f[3]);
	h->events = num(f[4]);
	h->events_lost = num(f[5]);
	return 0;
}

static int procs_row(void *ctx, char **f, int n)
{
	struct fleet_sum *s = ctx;
	struct host_sum *h = n == METRIC_COUNT + 1 ? host_of(s, f[0]) : NULL;

	if (n != METRIC_COUNT + 1)
		return 0;
	if (!h)
		return -ENOMEM;
	for (int m = 0; m < METRIC_COUNT; m++)
		h->totals[m] = num(f[1 + m]);
	return 0;
}

static int kind_row(void *ctx, char **f, int n)
{
	struct fleet_sum *s = ctx;
	struct host_sum *h = n == 3 ? host_of(s, f[0]) : NULL;
	unsigned int k = n == 3 ? (unsigned int)num(f[1]) : 0;

	if (n != 3 || k > schema_nkinds)
		return 0;
	if (!h)
		return -ENOMEM;
	h->by_kind[k] = num(f[2]);
	return 0;
}

/* Alike to interval_row by design: its own columns. */
static int health_row(void *ctx, char **f, int n)
{
	struct fleet_sum *s = ctx;
	struct host_sum *h = n == 2 ? host_of(s, f[0]) : NULL;

	if (n != 2)
		return 0;
	if (!h)
		return -ENOMEM;
	h->drops = num(f[1]);
	return 0;
}

/* Add n events lost by tracer to h (tracers past SNAP_EVENT_TRACERS are in events_lost only). */
static void add_lost(struct host_sum *h, const char *tracer, unsigned long long n)
{
	unsigned int i = 0;

	while (i < h->nlost && strcmp(h->lost[i].tracer, tracer))
		i++;
	if (i == SNAP_EVENT_TRACERS)
		return;
	if (i == h->nlost) {
		snprintf(h->lost[i].tracer, sizeof(h->lost[i].tracer), "%s", tracer);
		h->lost[h->nlost++].n = 0;
	}
	h->lost[i].n += n;
}

static int lost_row(void *ctx, char **f, int n)
{
	struct fleet_sum *s = ctx;
	struct host_sum *h = n == 3 ? host_of(s, f[0]) : NULL;

	if (n != 3)
		return 0;
	if (!h)
		return -ENOMEM;
	add_lost(h, f[1], num(f[2]));
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each statement built in its own
 * open_memstream buffer.
 */
int fleet_report__select(struct ch *c, const char *const *hosts, __u64 from_ts, __u64 to_ts,
			 const char *select, const char *table, const char *tail,
			 int (*row)(void *ctx, char **f, int n), void *ctx)
{
	char *sql = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&sql, &len);
	int err;

	if (!f)
		return -ENOMEM;
	fprintf(f, "SELECT %s FROM %s.%s WHERE 1", select, ch__db(c), table);
	host_filter(f, hosts, "AND");
	if (to_ts)
		fprintf(f, " AND interval_ts > %llu AND interval_ts <= %llu",
			(unsigned long long)from_ts, (unsigned long long)to_ts);
	fprintf(f, " %s FORMAT TabSeparated", tail);
	err = fclose(f) ? -ENOMEM : ch__select(c, sql, TSV_FIELDS_MAX, row, ctx);
	free(sql);
	return err;
}

/* The summary queries into s. 0 or -errno after log__error. */
static int gather(struct ch *c, const char *const *hosts, struct fleet_sum *s)
{
	char *sql = NULL, *sums = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	err = fleet_report__select(c, hosts, 0, 0,
				   "host, count(), min(interval_ts), max(interval_ts), sum(events),"
				   " sum(events_lost)",
				   "intervals", "GROUP BY host ORDER BY host", interval_row, s);
	if (err)
		return err;
	f = open_memstream(&sums, &len);
	if (!f)
		return -ENOMEM;
	fputs("host", f);
	for (int m = 0; m < METRIC_COUNT; m++)
		fprintf(f, ", %s(%s)", metric__info(m)->kind == KIND_GAUGE ? "max" : "sum",
			metric__info(m)->name);
	err = fclose(f) ? -ENOMEM
			: fleet_report__select(c, hosts, 0, 0, sums, "procs", "GROUP BY host",
					       procs_row, s);
	free(sums);
	if (!err)
		err = fleet_report__select(c, hosts, 0, 0, "host, sum(drops)", "health",
					   "GROUP BY host", health_row, s);
	if (!err)
		err = fleet_report__select(c, hosts, 0, 0, "host, tracer, sum(lost)", "events_lost",
					   "GROUP BY host, tracer", lost_row, s);
	if (err)
		return err;
	f = open_memstream(&sql, &len);
	if (!f)
		return -ENOMEM;
	for (unsigned int k = 0; k <= schema_nkinds; k++) {
		fprintf(f, "%sSELECT host, %u, count() FROM %s.%s", k ? " UNION ALL " : "", k,
			ch__db(c), k < schema_nkinds ? schema_kinds[k].table : "other_events");
		host_filter(f, hosts, "WHERE");
		fputs(" GROUP BY host", f);
	}
	fputs(" FORMAT TabSeparated", f);
	err = fclose(f) ? -ENOMEM : ch__select(c, sql, TSV_FIELDS_MAX, kind_row, s);
	free(sql);
	return err;
}

/* Add host a into the sum t (gauges keep the maximum). */
static void add_host(struct host_sum *t, const struct host_sum *a)
{
	t->intervals += a->intervals;
	t->first_ns = !t->first_ns || (a->first_ns && a->first_ns < t->first_ns) ? a->first_ns
										 : t->first_ns;
	t->last_ns = a->last_ns > t->last_ns ? a->last_ns : t->last_ns;
	t->events += a->events;
	t->events_lost += a->events_lost;
	t->drops += a->drops;
	for (unsigned int k = 0; k <= schema_nkinds; k++)
		t->by_kind[k] += a->by_kind[k];
	for (unsigned int i = 0; i < a->nlost; i++)
		add_lost(t, a->lost[i].tracer, a->lost[i].n);
	for (int m = 0; m < METRIC_COUNT; m++)
		t->totals[m] = metric__combine(m, t->totals[m], a->totals[m]);
}

/*
 * A host's sums as one JSON object (docs/fleet.md). Its run of key calls is
 * alike in shape to other documents' (query/api.c's tracers, a snapshot's
 * tables): each is its own list of keys, deliberately written out.
 */
static void write_host_json(struct json_writer *w, const struct host_sum *h, bool with_name)
{
	json__begin_object(w);
	if (with_name)
		json__key_string(w, "host", h->host);
	json__key_u64(w, "intervals", h->intervals);
	json__key_u64(w, "first_ns", h->first_ns);
	json__key_u64(w, "last_ns", h->last_ns);
	json__key_u64(w, "events", h->events);
	json__key_u64(w, "events_lost", h->events_lost);
	json__key(w, "events_lost_by_tracer");
	json__begin_object(w);
	for (unsigned int i = 0; i < h->nlost; i++)
		json__key_u64(w, h->lost[i].tracer, h->lost[i].n);
	json__end_object(w);
	json__key_u64(w, "drops", h->drops);
	json__key(w, "events_by_table");
	json__begin_object(w);
	for (unsigned int k = 0; k <= schema_nkinds; k++)
		json__key_u64(w, k < schema_nkinds ? schema_kinds[k].table : "other_events",
			      h->by_kind[k]);
	json__end_object(w);
	json__key(w, "totals");
	json__begin_object(w);
	for (int m = 0; m < METRIC_COUNT; m++)
		if (h->totals[m])
			json__key_u64(w, metric__info(m)->name, h->totals[m]);
	json__end_object(w);
	json__end_object(w);
}

/* Name s (a host's, a tracer's: anything a recorder wrote) safe for a terminal. */
static const char *term(char *buf, size_t len, const char *s)
{
	return escape__term(buf, len, s, strlen(s));
}

static void print_host(FILE *out, const struct host_sum *h)
{
	char name[256];

	fprintf(out, "%-20.20s %9llu %11llu %9llu %9llu\n", term(name, sizeof(name), h->host),
		h->intervals, h->events, h->events_lost, h->drops);
}

static int print_report(FILE *out, const struct fleet_query *q, const struct fleet_sum *s,
			const struct host_sum *t)
{
	char v[32], name[256], tracer[64];

	fprintf(out, "Fleet recording %s: %zu host(s)\n\n", q->ch.url, s->n);
	fprintf(out, "%-20s %9s %11s %9s %9s\n", "HOST", "INTERVALS", "EVENTS", "LOST", "DROPS");
	for (size_t i = 0; i < s->n; i++)
		print_host(out, &s->h[i]);
	print_host(out, t);
	for (size_t i = 0; i < s->n; i++) {
		if (!s->h[i].nlost)
			continue;
		fprintf(out, "%s: lost past a tracer's %d events an interval:",
			term(name, sizeof(name), s->h[i].host), SNAP_EVENTS_MAX);
		for (unsigned int k = 0; k < s->h[i].nlost; k++)
			fprintf(out, " %s %llu%s",
				term(tracer, sizeof(tracer), s->h[i].lost[k].tracer),
				s->h[i].lost[k].n, k + 1 < s->h[i].nlost ? "," : "\n");
	}
	fprintf(out, "\nTotals (all hosts):\n");
	for (int m = 0; m < METRIC_COUNT; m++) {
		const struct metric_info *mi = metric__info(m);

		if (!t->totals[m])
			continue;
		if (mi->unit == UNIT_BYTES)
			format__bytes(v, sizeof(v), (double)t->totals[m]);
		else if (mi->unit == UNIT_NS)
			format__ns(v, sizeof(v), (double)t->totals[m]);
		else
			snprintf(v, sizeof(v), "%llu", t->totals[m]);
		fprintf(out, "  %-16s %12s", mi->name, v);
		for (size_t i = 0; i < s->n && s->n > 1; i++)
			fprintf(out, "  %s=%llu", term(name, sizeof(name), s->h[i].host),
				s->h[i].totals[m]);
		fputc('\n', out);
	}
	return ferror(out) ? -EIO : 0;
}

int fleet_report__run(const struct fleet_query *q, bool json, FILE *out)
{
	struct fleet_sum s = {0};
	struct host_sum total = {.host = "(all)"};
	struct json_writer w;
	struct ch *c = NULL;
	int err = ch__open(&q->ch, &c);

	if (!err)
		err = ch__check(c);
	if (!err)
		err = gather(c, q->hosts, &s);
	if (err)
		goto out;
	for (size_t i = 0; i < s.n; i++)
		add_host(&total, &s.h[i]);
	if (json) {
		json__init(&w, out);
		json__begin_object(&w);
		json__key_string(&w, "source", q->ch.url);
		json__key(&w, "hosts");
		json__begin_array(&w);
		for (size_t i = 0; i < s.n; i++)
			write_host_json(&w, &s.h[i], true);
		json__end_array(&w);
		json__key(&w, "total");
		write_host_json(&w, &total, false);
		json__end_object(&w);
		json__newline(&w);
		err = ferror(out) ? -EIO : 0;
	} else {
		err = print_report(out, q, &s, &total);
	}
out:
	free(s.h);
	ch__close(c);
	return err;
}

/* One searched column's SELECT (host, value, field, tracer, ts_ns, pid, comm, interval_ts, seq). */
static void search_branch(FILE *f, const char *db, const struct schema_kind *k, const char *col,
			  bool *first)
{
	fprintf(f, "%sSELECT host, %s AS v, '%s' AS field, %s%s%s AS tracer, ts_ns, pid, comm,"
		   " interval_ts, seq FROM %s.%s WHERE ",
		*first ? "" : " UNION ALL ", col, col, schema__has_tracer_col(k) ? "" : "'",
		schema__has_tracer_col(k) ? "tracer" : k->tracers,
		schema__has_tracer_col(k) ? "" : "'", db, k->table);
	*first = false;
}

/* The WHERE of a searched column for the prefix (ranges of integers, or text). */
static void search_cond(FILE *f, const char *col, bool addr, const char *norm)
{
	struct search_range r[SEARCH_RANGES_MAX];
	unsigned int n;

	if (!addr) {
		fprintf(f, "substring(%s, 1, %zu) = ", col, strlen(norm));
		ch__literal(f, norm);
		return;
	}
	n = search__addr_ranges(norm, r);
	fputs("(0", f);
	for (unsigned int i = 0; i < n; i++)
		fprintf(f, " OR %s BETWEEN %llu AND %llu", col, (unsigned long long)r[i].low,
			(unsigned long long)r[i].high);
	fputs(")", f);
}

/* The search's SQL into *sql (malloc'ed). */
static int search_sql(struct ch *c, const struct fleet_query *q, const char *kind,
		      const char *norm, unsigned int limit, char **sql)
{
	const char *db = ch__db(c);
	bool addr = !strcmp(kind, "addr"), first = true;
	size_t len = 0;
	FILE *f = open_memstream(sql, &len);

	if (!f)
		return -ENOMEM;
	if (!strcmp(kind, "comm")) {
		fprintf(f, "SELECT host, pid, comm, min(interval_ts), max(interval_ts) FROM %s.procs"
			   " WHERE substring(comm, 1, %zu) = ",
			db, strlen(norm));
		ch__literal(f, norm);
		host_filter(f, q->hosts, "AND");
		fprintf(f, " GROUP BY host, pid, comm ORDER BY comm, host, pid LIMIT %u", limit + 1);
	} else {
		fputs("SELECT * FROM (", f);
		for (unsigned int k = 0; k < schema_nkinds; k++)
			for (unsigned int i = 0; i < schema_kinds[k].ncols; i++) {
				const struct schema_col *col = &schema_kinds[k].cols[i];

				if (col->type != (addr ? SCOL_ADDR : SCOL_ENDPOINT))
					continue;
				search_branch(f, db, &schema_kinds[k], col->key, &first);
				search_cond(f, col->key, addr, norm);
				host_filter(f, q->hosts, "AND");
			}
		fprintf(f, ") ORDER BY v, host, ts_ns LIMIT %u", limit + 1);
	}
	fputs(" FORMAT TabSeparated", f);
	return fclose(f) ? -ENOMEM : 0;
}

static void write_search_row(struct json_writer *w, char **f, int n, bool comm, bool addr)
{
	char hex[24];

	json__begin_object(w);
	json__key_string(w, "host", f[0]);
	if (comm && n == 5) {
		json__key_u64(w, "pid", num(f[1]));
		json__key_string(w, "comm", f[2]);
		json__key_u64(w, "first_ns", num(f[3]));
		json__key_u64(w, "last_ns", num(f[4]));
	} else if (n == 9) {
		snprintf(hex, sizeof(hex), "%llx", num(f[1]));
		json__key_string(w, "value", addr ? hex : f[1]);
		json__key_string(w, "field", f[2]);
		json__key_string(w, "tracer", f[3]);
		json__key_u64(w, "ts_ns", num(f[4]));
		json__key_u64(w, "pid", num(f[5]));
		json__key_string(w, "comm", f[6]);
		json__key_u64(w, "interval_ts", num(f[7]));
		json__key_u64(w, "seq", num(f[8]));
	}
	json__end_object(w);
}

static __u64 mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000ULL + (__u64)ts.tv_nsec / 1000;
}

/* Writing the matches of a search as they come. */
struct search_out {
	struct json_writer *w;
	bool comm, addr, more;
	unsigned int n, limit;
};

static int search_row(void *ctx, char **f, int n)
{
	struct search_out *o = ctx;

	if (o->n == o->limit)
		o->more = true;
	else
		write_search_row(o->w, f, n, o->comm, o->addr);
	o->n += o->n < o->limit;
	return 0;
}

int fleet_report__search(const struct fleet_query *q, const char *kind, const char *prefix,
			 unsigned int limit, FILE *out)
{
	char norm[SEARCH_PREFIX_MAX + 1], *sql = NULL, *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	struct json_writer w;
	struct search_out so = {.w = &w, .comm = !strcmp(kind, "comm"),
				.addr = !strcmp(kind, "addr"), .limit = limit};
	struct ch *c = NULL;
	int err;
	__u64 t0 = mono_us();

	if (strlen(prefix) > SEARCH_PREFIX_MAX ||
	    fields__normalize_prefix(kind, prefix, norm, sizeof(norm))) {
		log__error("invalid --search %s:%s: KIND comm, addr (hex) or endpoint, a prefix of "
			   "at most 64 bytes",
			   kind, prefix);
		return -EINVAL;
	}
	err = ch__open(&q->ch, &c);
	if (!err)
		err = ch__check(c);
	if (!err)
		err = search_sql(c, q, kind, norm, limit, &sql);
	mem = err ? NULL : open_memstream(&buf, &len); /* written out once the answer is whole */
	if (!err && !mem)
		err = -ENOMEM;
	if (err)
		goto out;
	json__init(&w, mem);
	json__begin_object(&w);
	json__key_string(&w, "kind", kind);
	json__key_string(&w, "prefix", norm);
	json__key(&w, "matches");
	json__begin_array(&w);
	err = ch__select(c, sql, TSV_FIELDS_MAX, search_row, &so);
	if (err)
		goto out;
	json__end_array(&w);
	json__key(&w, "more");
	json__bool(&w, so.more);
	json__key_u64(&w, "elapsed_us", mono_us() - t0);
	json__end_object(&w);
	json__newline(&w);
	if (fclose(mem))
		err = -ENOMEM;
	mem = NULL;
	if (err)
		goto out;
	fwrite(buf, 1, len, out);
	err = ferror(out) ? -EIO : 0;
out:
	if (mem)
		fclose(mem);
	free(buf);
	free(sql);
	ch__close(c);
	return err;
}
