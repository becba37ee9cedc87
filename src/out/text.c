// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "model/snapshot.h"
#include "out/format.h"
#include "out/text.h"

#define COL_W	   9
#define PID_W	   7
#define COMM_W	   15
#define TABLE_ROWS 10

static double per_sec(const struct snapshot *s, __u64 v)
{
	return s->interval_ns ? (double)v * 1e9 / (double)s->interval_ns : 0.0;
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
	char buf[32], comm[COMM_W + 1];
	size_t *idx;

	if (!ncols)
		return;
	fprintf(t->f, "\n%*s %-*s", PID_W, "PID", COMM_W, "COMM");
	for (int c = 0; c < ncols; c++)
		fprintf(t->f, " %*s", COL_W, format__metric_header(buf, sizeof(buf), cols[c]));
	fputc('\n', t->f);
	idx = malloc((s->nrows ? s->nrows : 1) * sizeof(*idx));
	if (!idx)
		return;
	snapshot__sort_rows(s, sort, idx);
	for (size_t i = 0; i < s->nrows && i < t->top; i++) {
		const struct proc_row *r = &s->rows[idx[i]];

		format__truncate(comm, COMM_W, r->comm);
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
	char buf[32], key[COMM_W + 4];

	if (!tab->nrows)
		return;
	rows = malloc(tab->nrows * sizeof(*rows));
	if (!rows)
		return;
	memcpy(rows, tab->rows, tab->nrows * sizeof(*rows));
	qsort(rows, tab->nrows, sizeof(*rows), cmp_row_desc);
	fprintf(t->f, "\n%-*s", COMM_W + 3, tab->key_name);
	for (unsigned int c = 0; c < tab->ncols; c++) {
		bool is_rate = strcmp(tab->units[c], "ns") != 0;

		snprintf(buf, sizeof(buf), "%s%s", tab->cols[c], is_rate ? "/s" : "");
		fprintf(t->f, " %*s", COL_W + 1, buf);
	}
	fputc('\n', t->f);
	for (size_t i = 0; i < tab->nrows && i < TABLE_ROWS; i++) {
		format__truncate(key, COMM_W + 3, rows[i].key);
		fprintf(t->f, "%-*s", COMM_W + 3, key);
		for (unsigned int c = 0; c < tab->ncols; c++) {
			if (!strcmp(tab->units[c], "ns"))
				format__ns(buf, sizeof(buf), (double)rows[i].v[c]);
			else
				format__count(buf, sizeof(buf), per_sec(s, rows[i].v[c]));
			fprintf(t->f, " %*s", COL_W + 1, buf);
		}
		fputc('\n', t->f);
	}
	free(rows);
}

static void print_hists(const struct text_sink *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *h = &s->hists[i];

		if (h->label[0] || !h->h.count)
			continue; /* overall histograms only; labelled ones are in JSON */
		fprintf(t->f, "\n%s (%s), %llu values\n", h->name, h->unit,
			(unsigned long long)h->h.count);
		hist__print(t->f, &h->h, h->unit);
	}
}

static void print_events(const struct text_sink *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nevents; i++) {
		const struct snap_event *e = &s->events[i];

		fprintf(t->f, "%-10s %7u %-15s", e->tracer, e->pid, e->comm);
		for (unsigned int k = 0; k < e->nfields; k++) {
			const struct snap_field *fl = &e->fields[k];

			if (fl->is_str)
				fprintf(t->f, " %s=%s", fl->key, fl->str);
			else
				fprintf(t->f, " %s=%llu", fl->key, (unsigned long long)fl->num);
		}
		fputc('\n', t->f);
	}
	if (s->events_lost)
		fprintf(t->f, "(%llu events not shown: more than %d this interval)\n",
			(unsigned long long)s->events_lost, SNAP_EVENTS_MAX);
}

int text__emit(void *ctx, const struct snapshot *s)
{
	struct text_sink *t = ctx;

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
