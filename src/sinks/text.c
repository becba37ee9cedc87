// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/snapshot.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/format.h"
#include "sinks/text.h"

#define COL_W	   9
#define PID_W	   7
#define COMM_W	   15
#define TABLE_ROWS 10

static double per_sec(const struct snapshot *s, __u64 v)
{
	return s->interval_ns ? (double)v * 1e9 / (double)s->interval_ns : 0.0;
}

/* ns per unit of a time unit name ("ns", "us", "ms", "s"), 0 for another unit. */
static __u64 ns_per(const char *unit)
{
	static const struct {
		const char *name;
		__u64 ns;
	} units[] = { { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 } };

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].name, unit))
			return units[i].ns;
	return 0;
}

/* A cell of metric m: counters per second (CPU time as % of the interval), gauges as is. */
static const char *cell(char *buf, size_t len, const struct snapshot *s, enum metric m, __u64 v)
{
	return format__metric(buf, len, m, v, s->interval_ns);
}

/* Metrics shown as columns: those present, as many as fit the width. */
static int pick_columns(const struct text_sink *t, const struct snapshot *s, enum metric *cols)
{
	unsigned int used = PID_W + 1 + COMM_W;
	int n = 0;

	for (int m = 0; m < METRIC_COUNT; m++) {
		if (!(s->metrics_present & (1ULL << m)))
			continue;
		if (t->width && used + 1 + COL_W > t->width)
			break;
		cols[n++] = m;
		used += 1 + COL_W;
	}
	return n;
}

static void print_header(FILE *f, const struct snapshot *s)
{
	char when[32], dur[16];
	time_t sec = (time_t)(s->ts_ns / 1000000000ULL);
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	fprintf(f, "\n%s  interval %s%s\n", when, format__ns(dur, sizeof(dur), (double)s->interval_ns),
		s->final ? "  (final)" : "");
	for (size_t i = 0; i < s->nhealth; i++) {
		const struct snap_health *h = &s->health[i];
		char ev[16], ns[16] = "-", age[48] = "";

		if (h->cost.ns_per_run > 0) {
			format__ns(ns, sizeof(ns), h->cost.ns_per_run);
			snprintf(age, sizeof(age), " (sampled %.0fs ago)",
				 (double)h->cost.sample_age_ns / 1e9);
		}
		fprintf(f, "  %-10s %-10s %6s ev/s  %llu dropped  %s/run%s", h->tracer, h->rung,
			format__count(ev, sizeof(ev), per_sec(s, h->events)),
			(unsigned long long)h->drops, ns, age);
		if (h->window_n)
			fprintf(f, "  estimates: sampled 1/%u of the time", h->window_n);
		fputc('\n', f);
	}
}

static void print_procs(const struct text_sink *t, const struct snapshot *s)
{
	enum metric cols[METRIC_COUNT];
	int ncols = pick_columns(t, s, cols);
	int sort = t->sort >= 0 ? t->sort : (ncols ? (int)cols[0] : 0);
	char buf[32], comm[COMM_W + 1], safe[SNAP_COMM_LEN * 6];
	size_t *idx;

	if (!ncols)
		return;
	fprintf(t->f, "\n%*s %-*s", PID_W, "PID", COMM_W, "COMM");
	for (int c = 0; c < ncols; c++)
		fprintf(t->f, " %*s", COL_W, metric__info(cols[c])->header);
	fputc('\n', t->f);
	idx = malloc((s->nrows ? s->nrows : 1) * sizeof(*idx));
	if (!idx)
		return;
	snapshot__sort_rows(s, sort, idx);
	for (size_t i = 0; i < s->nrows && i < t->top; i++) {
		const struct proc_row *r = &s->rows[idx[i]];

		format__truncate(comm, COMM_W, escape__term(safe, sizeof(safe), r->comm,
							   sizeof(r->comm)));
		fprintf(t->f, "%*u %-*s", PID_W, r->pid, COMM_W, comm);
		for (int c = 0; c < ncols; c++)
			fprintf(t->f, " %*s", COL_W, cell(buf, sizeof(buf), s, cols[c],
							    r->values[cols[c]]));
		fputc('\n', t->f);
	}
	fprintf(t->f, "%*s %-*s", PID_W, "", COMM_W, "(all)");
	for (int c = 0; c < ncols; c++)
		fprintf(t->f, " %*s", COL_W,
			metric__info(cols[c])->kind == KIND_GAUGE ?
				"-" :
				cell(buf, sizeof(buf), s, cols[c], snapshot__total(s, cols[c])));
	fprintf(t->f, "\n");
	if (s->nrows > t->top)
		fprintf(t->f, "%*s (%zu more processes)\n", PID_W, "", s->nrows - t->top);
	free(idx);
}

static int cmp_row_desc(const void *a, const void *b)
{
	const struct snap_table_row *x = a, *y = b;

	return (x->v[0] < y->v[0]) - (x->v[0] > y->v[0]);
}

static void print_table(const struct text_sink *t, const struct snapshot *s,
			const struct snap_table *tab)
{
	struct snap_table_row *rows;
	char buf[32], key[COMM_W + 4], safe[SNAP_NAME_LEN * 6];

	if (!tab->nrows)
		return;
	rows = malloc(tab->nrows * sizeof(*rows));
	if (!rows)
		return;
	memcpy(rows, tab->rows, tab->nrows * sizeof(*rows));
	if (!tab->ordered)
		qsort(rows, tab->nrows, sizeof(*rows), cmp_row_desc);
	fprintf(t->f, "\n%-*s", COMM_W + 3, tab->key_name);
	for (unsigned int c = 0; c < tab->ncols; c++) {
		fprintf(t->f, " %*s", COL_W + 1,
			snap_table__header(buf, sizeof(buf), tab->cols[c], tab->units[c]));
	}
	fputc('\n', t->f);
	for (size_t i = 0; i < tab->nrows && i < TABLE_ROWS; i++) {
		format__truncate(key, COMM_W + 3,
				 escape__term(safe, sizeof(safe), rows[i].key, sizeof(rows[i].key)));
		fprintf(t->f, "%-*s", COMM_W + 3, key);
		for (unsigned int c = 0; c < tab->ncols; c++) {
			if (ns_per(tab->units[c]))
				format__ns(buf, sizeof(buf),
					   (double)rows[i].v[c] * (double)ns_per(tab->units[c]));
			else if (!strcmp(tab->units[c], "B"))
				format__bytes(buf, sizeof(buf), per_sec(s, rows[i].v[c]));
			else
				format__count(buf, sizeof(buf), per_sec(s, rows[i].v[c]));
			fprintf(t->f, " %*s", COL_W + 1, buf);
		}
		fputc('\n', t->f);
	}
	free(rows);
}

/*
 * A histogram in its natural unit: a time histogram in unit_ns (ns per unit
 * shown; 0: the unit of its median), never finer than its values' unit,
 * bounds exact, with p50/p99 estimates inside their log2 buckets.
 */
static void print_hist(FILE *f, const struct snap_hist *h, __u64 unit_ns)
{
	static const char *const names[] = { "nsecs", "usecs", "msecs", "secs" };
	__u64 scale = ns_per(h->unit), per = 1000000000;
	double p50 = (double)hist__percentile(&h->h, 50) * (double)scale;
	double p99 = (double)hist__percentile(&h->h, 99) * (double)scale;
	unsigned int u = 3, decimals = 0;
	char a[16], b[16];

	if (!scale) {
		fprintf(f, "\n%s (%s), %llu values\n", h->name, h->unit,
			(unsigned long long)h->h.count);
		hist__print(f, &h->h, h->unit, 0);
		return;
	}
	/* the unit asked for, or of the median; never finer than the one the values come in */
	while (u > 0 && (unit_ns ? per > unit_ns : p50 < (double)per) && per / 1000 >= scale) {
		u--;
		per /= 1000;
	}
	for (__u64 k = scale; k < per; k *= 1000)
		decimals += 3;
	fprintf(f, "\n%s (%s), %llu values, p50 ~%s p99 ~%s (estimates in log2 buckets)\n",
		h->name, names[u], (unsigned long long)h->h.count, format__ns(a, sizeof(a), p50),
		format__ns(b, sizeof(b), p99));
	hist__print(f, &h->h, names[u], decimals);
}

static void print_hists(const struct text_sink *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *h = &s->hists[i];

		if (h->label[0] || !h->h.count)
			continue; /* overall histograms only; labelled ones are in JSON */
		print_hist(t->f, h, t->hist_unit_ns);
	}
}

static void print_events(const struct text_sink *t, const struct snapshot *s)
{
	const char *tracer = NULL;

	for (size_t i = 0; i < s->nevents && !s->events_streamed; i++) {
		if (!tracer || strcmp(tracer, s->events[i].tracer)) {
			tracer = s->events[i].tracer;
			fputc('\n', t->f);
			event__print_header(t->f, tracer);
		}
		event__print(t->f, s, &s->events[i]);
	}
	if (!s->events_lost)
		return;
	fprintf(t->f, "(%llu events not shown:", (unsigned long long)s->events_lost);
	for (unsigned int i = 0; i < s->nevent_counts; i++)
		if (s->event_counts[i].lost)
			fprintf(t->f, " %s %llu,", s->event_counts[i].tracer,
				(unsigned long long)s->event_counts[i].lost);
	fprintf(t->f, " past the cap of %d per tracer and interval)\n", SNAP_EVENTS_MAX);
}

int text__event(void *ctx, const struct snapshot *s, const struct snap_event *e)
{
	struct text_sink *t = ctx;

	if (!e) {
		fflush(t->f);
		return ferror(t->f) ? -EPIPE : 0;
	}
	if (strncmp(t->header_of, e->tracer, sizeof(t->header_of))) {
		snprintf(t->header_of, sizeof(t->header_of), "%s", e->tracer);
		event__print_header(t->f, e->tracer);
	}
	event__print(t->f, s, e);
	return ferror(t->f) ? -EPIPE : 0;
}

int text__emit(void *ctx, const struct snapshot *s)
{
	struct text_sink *t = ctx;

	if (s->events_streamed && !t->summary) {
		print_events(t, s); /* only what could not be shown */
		fflush(t->f);
		return ferror(t->f) ? -EPIPE : 0;
	}
	t->header_of[0] = '\0'; /* a table comes between: the next event repeats its header */
	print_header(t->f, s);
	print_procs(t, s);
	for (size_t i = 0; i < s->ntables; i++)
		print_table(t, s, &s->tables[i]);
	if (t->hists)
		print_hists(t, s);
	print_events(t, s);
	fflush(t->f);
	return ferror(t->f) ? -EPIPE : 0;
}
