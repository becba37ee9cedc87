// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "model/grow.h"
#include "query/prom.h"
#include "render/escape.h"

#define PREFIX "tracerhub_"

/* How much a row did this interval: events, plus KiB moved, plus ms on CPU. */
static double row_activity(const struct proc_row *r)
{
	double a = 0;

	for (int m = 0; m < METRIC_COUNT; m++) {
		const struct metric_info *mi = metric__info(m);

		if (mi->kind != KIND_COUNTER)
			continue;
		if (mi->unit == UNIT_COUNT)
			a += (double)r->values[m];
		else if (mi->unit == UNIT_BYTES)
			a += (double)r->values[m] / 1024.0;
		else
			a += (double)r->values[m] / 1e6;
	}
	return a;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each module's init of its own
 * arrays.
 */
int prom__init(struct prom *p, unsigned int top)
{
	memset(p, 0, sizeof(*p));
	if (!top)
		return -EINVAL;
	p->procs = calloc(top, sizeof(*p->procs));
	if (!p->procs)
		return -ENOMEM;
	p->top = top;
	p->totals.hists_max = PROM_MAX_HISTS;
	return 0;
}

void prom__free(struct prom *p)
{
	if (!p)
		return;
	free(p->procs);
	free(p->streaks);
	free(p->next);
	totals__free(&p->totals);
	memset(p, 0, sizeof(*p));
}

static struct prom_proc *find_proc(struct prom *p, const struct proc_row *r)
{
	for (size_t i = 0; i < p->nprocs; i++)
		if (p->procs[i].pid == r->pid &&
		    !strncmp(p->procs[i].comm, r->comm, sizeof(r->comm)))
			return &p->procs[i];
	return NULL;
}

static void add_counters(__u64 *dst, const __u64 *values)
{
	for (int m = 0; m < METRIC_COUNT; m++)
		if (metric__info(m)->kind == KIND_COUNTER)
			dst[m] += values[m];
}

/* The series slot a process without one may take, or NULL to count it in "other". */
static struct prom_proc *admit(struct prom *p, double activity)
{
	struct prom_proc *least = NULL;

	if (activity <= 0)
		return NULL;
	if (p->nprocs < p->top)
		return &p->procs[p->nprocs++];
	for (size_t i = 0; i < p->nprocs; i++)
		if (!least || p->procs[i].score < least->score)
			least = &p->procs[i];
	return activity > 2 * least->score ? least : NULL;
}

/* qsort_r context for rows without a series, busiest first. */
static int cmp_activity(const void *a, const void *b, void *arg)
{
	const double *act = arg;
	double x = act[*(const size_t *)a], y = act[*(const size_t *)b];

	return (x < y) - (x > y);
}

/*
 * The streaks of this interval's rows (s->rows, sorted by pid) into p->next:
 * one more than the last interval's for a pid that had a row then, else 1.
 */
static int count_streaks(struct prom *p, const struct snapshot *s)
{
	size_t k = 0;

	size_t cap = p->streaks_cap; /* one capacity for both arrays */

	if (GROW(p->streaks, cap, s->nrows) || GROW(p->next, p->streaks_cap, s->nrows))
		return -ENOMEM;
	for (size_t i = 0; i < s->nrows; i++) {
		__u32 pid = s->rows[i].pid;

		while (k < p->nstreaks && p->streaks[k].pid < pid)
			k++;
		p->next[i].pid = pid;
		p->next[i].n = k < p->nstreaks && p->streaks[k].pid == pid ? p->streaks[k].n + 1 : 1;
	}
	return 0;
}

/* This interval's streaks become the last interval's. */
static void swap_streaks(struct prom *p, size_t nrows)
{
	struct prom_streak *t = p->streaks;

	p->streaks = p->next;
	p->next = t;
	p->nstreaks = nrows;
}

/* The streak of pid this interval (count_streaks ran), 0 without a row. */
static __u32 streak_of(const struct prom *p, size_t nrows, __u32 pid)
{
	size_t lo = 0, hi = nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->next[mid].pid == pid)
			return p->next[mid].n;
		if (p->next[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * Series of processes without a row for PROM_GONE_INTERVALS go. Their totals
 * are not moved to "other": a jump there would read as a burst of activity.
 */
static void drop_gone(struct prom *p)
{
	for (size_t i = 0; i < p->nprocs;) {
		struct prom_proc *pp = &p->procs[i];

		if (p->snapshots - pp->seen < PROM_GONE_INTERVALS) {
			i++;
			continue;
		}
		*pp = p->procs[--p->nprocs];
	}
}

static int add_procs(struct prom *p, const struct snapshot *s)
{
	size_t *idx = NULL, nnew = 0;
	double *act = NULL;
	int err = -ENOMEM;

	for (size_t i = 0; i < p->nprocs; i++)
		p->procs[i].score /= 2;
	drop_gone(p);
	if (!s->nrows) {
		p->nstreaks = 0; /* a streak needs a row in every interval */
		return 0;
	}
	idx = malloc(s->nrows * sizeof(*idx));
	act = malloc(s->nrows * sizeof(*act));
	if (!idx || !act || count_streaks(p, s))
		goto out;
	for (size_t i = 0; i < s->nrows; i++) {
		const struct proc_row *r = &s->rows[i];
		/* a fleet's pids are not one machine's processes: all of them are "other" */
		struct prom_proc *pp = s->nhosts ? NULL : find_proc(p, r);

		act[i] = row_activity(r);
		if (!pp) {
			idx[nnew++] = i;
			continue;
		}
		add_counters(pp->values, r->values);
		pp->seen = p->snapshots;
		for (int m = 0; m < METRIC_COUNT; m++)
			if (metric__info(m)->kind == KIND_GAUGE)
				pp->values[m] = r->values[m];
		pp->score += act[i];
	}
	qsort_r(idx, nnew, sizeof(*idx), cmp_activity, act);
	for (size_t k = 0; k < nnew; k++) {
		const struct proc_row *r = &s->rows[idx[k]];
		struct prom_proc *pp =
		    !s->nhosts && streak_of(p, s->nrows, r->pid) >= PROM_ADMIT_INTERVALS
			? admit(p, act[idx[k]])
			: NULL;

		/* this interval goes to "other" either way: a new series starts at 0 */
		add_counters(p->other, r->values);
		if (!pp)
			continue;
		memset(pp, 0, sizeof(*pp));
		pp->pid = r->pid;
		pp->seen = p->snapshots;
		memcpy(pp->comm, r->comm, sizeof(pp->comm));
		pp->score = act[idx[k]];
		for (int m = 0; m < METRIC_COUNT; m++)
			if (metric__info(m)->kind == KIND_GAUGE)
				pp->values[m] = r->values[m];
	}
	swap_streaks(p, s->nrows);
	err = 0;
out:
	free(idx);
	free(act);
	return err;
}

int prom__add(struct prom *p, const struct snapshot *s)
{
	int err;

	p->metrics_present |= s->metrics_present;
	p->snapshots++;
	err = add_procs(p, s);
	if (!err)
		err = totals__add(&p->totals, s);
	return err;
}

void prom__label_value(FILE *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strnlen(s, len);

	fputc('"', f);
	for (size_t i = 0; i < n;) {
		size_t k = escape__utf8_len(u + i, n - i);

		if (!k) {
			fputs("\xef\xbf\xbd", f);
			i++;
		} else if (u[i] == '\\' || u[i] == '"') {
			fputc('\\', f);
			fputc(u[i++], f);
		} else if (u[i] == '\n') {
			fputs("\\n", f);
			i++;
		} else {
			fwrite(u + i, 1, k, f);
			i += k;
		}
	}
	fputc('"', f);
}

/* Write a name part as [a-zA-Z0-9_] (others become '_'). */
static void put_name(FILE *f, const char *s)
{
	for (; *s; s++) {
		char c = *s;

		fputc((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
			  ? c
			  : '_',
		      f);
	}
}

/* Nanoseconds per unit of a time unit name, 0 when unit is not a time. */
static __u64 time_scale(const char *unit)
{
	if (!strcmp(unit, "ns"))
		return 1;
	if (!strcmp(unit, "us"))
		return 1000;
	if (!strcmp(unit, "ms"))
		return 1000000;
	if (!strcmp(unit, "s"))
		return 1000000000;
	return 0;
}

/*
 * v in units of scale ns, formatted in seconds, exact and in the shortest form
 * ("0.000001023", "2", never "2.000000000"); v as is when scale is 0.
 */
static const char *fmt_value(char *buf, size_t len, __u64 v, __u64 scale)
{
	unsigned __int128 ns = (unsigned __int128)v * scale;
	size_t n;

	if (!scale) {
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return buf;
	}
	snprintf(buf, len, "%llu.%09llu", (unsigned long long)(ns / 1000000000),
		 (unsigned long long)(ns % 1000000000));
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	if (buf[n - 1] == '.')
		buf[n - 1] = '\0';
	return buf;
}

static void put_value(FILE *f, __u64 v, __u64 scale)
{
	char buf[48];

	fputs(fmt_value(buf, sizeof(buf), v, scale), f);
}

/* The family name of metric m, as its descriptor declares it. */
static void put_metric_name(FILE *f, enum metric m)
{
	fputs(metric__info(m)->prom, f);
}

static void put_header(FILE *f, enum metric m)
{
	const struct metric_info *mi = metric__info(m);

	fputs("# HELP ", f);
	put_metric_name(f, m);
	fprintf(f, " %s%s\n# TYPE ", mi->help, mi->unit == UNIT_NS ? " (seconds)" : "");
	put_metric_name(f, m);
	fprintf(f, " %s\n", mi->kind == KIND_COUNTER ? "counter" : "gauge");
}

static void render_procs(const struct prom *p, FILE *f)
{
	for (int m = 0; m < METRIC_COUNT; m++) {
		const struct metric_info *mi = metric__info(m);
		__u64 scale = mi->unit == UNIT_NS ? 1 : 0;

		if (!(p->metrics_present & (1ULL << m)))
			continue;
		put_header(f, m);
		for (size_t i = 0; i < p->nprocs; i++) {
			put_metric_name(f, m);
			fprintf(f, "{pid=\"%u\",comm=", p->procs[i].pid);
			prom__label_value(f, p->procs[i].comm, sizeof(p->procs[i].comm));
			fputs("} ", f);
			put_value(f, p->procs[i].values[m], scale);
			fputc('\n', f);
		}
		if (mi->kind != KIND_COUNTER)
			continue;
		put_metric_name(f, m);
		fputs("{pid=\"other\",comm=\"other\"} ", f);
		put_value(f, p->other[m], scale);
		fputc('\n', f);
	}
}

/* The histogram family name: tracerhub_NAME plus _seconds or _bytes after the unit. */
static void put_hist_name(FILE *f, const struct totals_hist *h, const char *suffix)
{
	fputs(PREFIX, f);
	put_name(f, h->name);
	if (time_scale(h->unit))
		fputs("_seconds", f);
	else if (!strcmp(h->unit, "B"))
		fputs("_bytes", f);
	fputs(suffix, f);
}

/*
 * The labels of a histogram: tracer, then its "k=v,k2=v2" label as Prometheus
 * labels (a label without '=' becomes label="..."), then extra (e.g. le).
 */
static void put_hist_labels(FILE *f, const struct totals_hist *h, const char *extra)
{
	char buf[SNAP_LABEL_LEN], *save = NULL;

	fputs("{tracer=", f);
	prom__label_value(f, h->tracer, sizeof(h->tracer));
	memcpy(buf, h->label, sizeof(buf));
	buf[sizeof(buf) - 1] = '\0';
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		fputc(',', f);
		if (!eq) {
			fputs("label=", f);
			prom__label_value(f, tok, strlen(tok));
			continue;
		}
		*eq = '\0';
		if (!*tok || !strcmp(tok, "le") || !strcmp(tok, "tracer") ||
		    (tok[0] >= '0' && tok[0] <= '9') || !strncmp(tok, "__", 2))
			fputs("label_", f);
		put_name(f, tok);
		fputc('=', f);
		prom__label_value(f, eq + 1, strlen(eq + 1));
	}
	if (extra)
		fprintf(f, ",%s", extra);
	fputc('}', f);
}

static void render_hist(const struct totals_hist *h, FILE *f)
{
	__u64 scale = time_scale(h->unit), cum = 0;
	unsigned int used = hist__used_slots(&h->total);

	for (unsigned int i = 0; i < used; i++) {
		char le[64], v[48];

		cum += h->total.slots[i];
		snprintf(le, sizeof(le), "le=\"%s\"",
			 fmt_value(v, sizeof(v), hist__slot_high(i), scale));
		put_hist_name(f, h, "_bucket");
		put_hist_labels(f, h, le);
		fprintf(f, " %llu\n", (unsigned long long)cum);
	}
	put_hist_name(f, h, "_bucket");
	put_hist_labels(f, h, "le=\"+Inf\"");
	fprintf(f, " %llu\n", (unsigned long long)cum);
	if (h->total.sum || !cum) {
		put_hist_name(f, h, "_sum");
		put_hist_labels(f, h, NULL);
		fputc(' ', f);
		put_value(f, h->total.sum, scale);
		fputc('\n', f);
	}
	put_hist_name(f, h, "_count");
	put_hist_labels(f, h, NULL);
	fprintf(f, " %llu\n", (unsigned long long)cum);
}

static void render_hists(const struct prom *p, FILE *f)
{
	for (size_t i = 0; i < p->totals.nhists; i++) {
		const struct totals_hist *h = &p->totals.hists[i];
		bool first = true;

		for (size_t k = 0; k < i && first; k++)
			first = strcmp(p->totals.hists[k].name, h->name) != 0;
		if (!first)
			continue; /* rendered with the first of its family */
		fputs("# HELP ", f);
		put_hist_name(f, h, "");
		fprintf(f, " %s histogram (log2 buckets)\n# TYPE ", h->name);
		put_hist_name(f, h, "");
		fputs(" histogram\n", f);
		for (size_t k = i; k < p->totals.nhists; k++)
			if (!strcmp(p->totals.hists[k].name, h->name))
				render_hist(&p->totals.hists[k], f);
	}
}

/* The tracer-health families that are totals kept in struct totals_tracer. */
static const struct {
	const char *name, *type, *help;
	size_t off;  /* of the __u64 in struct totals_tracer */
	__u64 scale; /* 1 for nanoseconds shown in seconds */
} health_families[] = {
    {"tracer_events_total", "counter", "events the tracer's kernel side handled",
     offsetof(struct totals_tracer, events), 0},
    {"tracer_drops_total", "counter",
     "events the tracer could not record (map or ring buffer full)",
     offsetof(struct totals_tracer, drops), 0},
    {"tracer_runs_total", "counter", "runs of the tracer's BPF programs",
     offsetof(struct totals_tracer, run_cnt), 0},
    {"tracer_run_seconds_total", "counter", "BPF run time of the tracer's programs (bpf_stats)",
     offsetof(struct totals_tracer, run_ns), 1},
    {"tracer_programs", "gauge", "BPF programs the tracer has loaded",
     offsetof(struct totals_tracer, nprogs), 0},
};

static void put_family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP " PREFIX "%s %s\n# TYPE " PREFIX "%s %s\n", name, help, name, type);
}

static void put_tracer_label(FILE *f, const char *name, const struct totals_tracer *t)
{
	fprintf(f, PREFIX "%s{tracer=", name);
	prom__label_value(f, t->tracer, sizeof(t->tracer));
}

static void render_health(const struct prom *p, FILE *f)
{
	for (size_t k = 0; k < sizeof(health_families) / sizeof(health_families[0]); k++) {
		put_family(f, health_families[k].name, health_families[k].type,
			   health_families[k].help);
		for (size_t i = 0; i < p->totals.ntracers; i++) {
			const __u64 *v =
			    (const void *)((const char *)&p->totals.tracers[i] + health_families[k].off);

			put_tracer_label(f, health_families[k].name, &p->totals.tracers[i]);
			fputs("} ", f);
			put_value(f, *v, health_families[k].scale);
			fputc('\n', f);
		}
	}
	put_family(f, "tracer_seconds_per_run", "gauge",
		   "BPF run time per program run in the last sampling window of run-time "
		   "statistics (the cost per event)");
	for (size_t i = 0; i < p->totals.ntracers; i++) {
		const struct totals_tracer *t = &p->totals.tracers[i];

		if (t->ns_per_run <= 0)
			continue; /* no window yet or no statistics: no cost figure */
		put_tracer_label(f, "tracer_seconds_per_run", t);
		fprintf(f, "} %.6e\n", t->ns_per_run / 1e9);
	}
	put_family(f, "tracer_info", "gauge", "the tracers running and the attach rung each uses");
	for (size_t i = 0; i < p->totals.ntracers; i++) {
		put_tracer_label(f, "tracer_info", &p->totals.tracers[i]);
		fputs(",rung=", f);
		prom__label_value(f, p->totals.tracers[i].rung, sizeof(p->totals.tracers[i].rung));
		fputs("} 1\n", f);
	}
}

void prom__render(const struct prom *p, FILE *f)
{
	render_procs(p, f);
	render_hists(p, f);
	render_health(p, f);
	fprintf(f,
		"# HELP " PREFIX "intervals_total intervals collected\n"
		"# TYPE " PREFIX "intervals_total counter\n" PREFIX "intervals_total %llu\n",
		(unsigned long long)p->snapshots);
	fprintf(f,
		"# HELP " PREFIX "hist_series_dropped_total histogram updates without a "
		"series (over %d series)\n# TYPE " PREFIX
		"hist_series_dropped_total counter\n" PREFIX "hist_series_dropped_total %llu\n",
		PROM_MAX_HISTS, (unsigned long long)p->totals.hists_dropped);
}
