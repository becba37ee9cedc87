// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render/escape.h"
#include "render/format.h"
#include "render/json_writer.h"
#include "render/snapshot_json.h"
#include "sinks/text.h"
#include "store/report.h"

int report__build(struct reader *r, const struct report_opts *o, struct report *rep)
{
	struct snapshot s = {0};
	long long id;
	int err;

	memset(rep, 0, sizeof(*rep));
	merge__init(&rep->m, o->pid, o->comm, o->max_events);
	err = reader__span(r, o->from_ns, o->to_ns, &rep->span);
	if (err || !rep->span.count)
		goto out;
	id = rep->span.first_id - 1;
	for (;;) {
		err = reader__next(r, id, o->to_ns, &id);
		if (err || !id)
			break;
		err = reader__load(r, id, &s);
		if (!err)
			err = merge__add(&rep->m, &s);
		if (err)
			break;
	}
	if (!err)
		err = merge__finish(&rep->m);
out:
	snapshot__free(&s);
	return err;
}

void report__free(struct report *rep)
{
	if (rep)
		merge__free(&rep->m);
}

/* Row indexes of the top n rows by metric k; returns how many (rows with a value only). */
static size_t top_rows(const struct snapshot *s, enum metric k, size_t *idx, size_t n)
{
	size_t shown = 0;

	snapshot__sort_rows(s, k, idx);
	while (shown < n && shown < s->nrows && s->rows[idx[shown]].values[k])
		shown++;
	return shown;
}

static const char *unit_name(enum metric k)
{
	switch (metric__info(k)->unit) {
	case UNIT_BYTES:
		return "B";
	case UNIT_NS:
		return "ns";
	default:
		return "count";
	}
}

void report__write_json(struct json_writer *w, const char *path, const struct report_opts *o,
			const struct report *rep)
{
	const struct snapshot *s = &rep->m.acc;
	size_t *idx = malloc((s->nrows ? s->nrows : 1) * sizeof(*idx));

	json__begin_object(w);
	json__key_string(w, "recording", path);
	json__key_u64(w, "from_ns", rep->span.start_ns);
	json__key_u64(w, "to_ns", rep->span.last_ns);
	json__key_u64(w, "intervals", rep->m.intervals);
	json__key_u64(w, "duration_ns", s->interval_ns);
	json__key(w, "filter");
	json__begin_object(w);
	if (o->pid)
		json__key_u64(w, "pid", o->pid);
	if (o->comm)
		json__key_string(w, "comm", o->comm);
	json__end_object(w);
	json__key(w, "top"); /* per metric: the processes with the largest totals (gauges: max) */
	json__begin_object(w);
	for (int k = 0; idx && k < METRIC_COUNT; k++) {
		size_t n;

		if (!(s->metrics_present & (1ULL << k)))
			continue;
		n = top_rows(s, k, idx, o->top);
		json__key(w, metric__info(k)->name);
		json__begin_array(w);
		for (size_t i = 0; i < n; i++) {
			const struct proc_row *r = &s->rows[idx[i]];

			json__begin_object(w);
			json__key_u64(w, "pid", r->pid);
			json__key(w, "comm");
			json__string_n(w, r->comm, sizeof(r->comm));
			json__key_u64(w, "value", r->values[k]);
			json__key_string(w, "unit", unit_name(k));
			json__end_object(w);
		}
		json__end_array(w);
	}
	json__end_object(w);
	json__key(w, "recorded_events");
	json__begin_object(w);
	json__key_u64(w, "total", rep->m.events_total);
	json__key_u64(w, "lost", s->events_lost);
	json__key(w, "by_tracer");
	json__begin_object(w);
	for (unsigned int i = 0; i < rep->m.ntracers; i++)
		json__key_u64(w, rep->m.per_tracer[i].tracer, rep->m.per_tracer[i].events);
	json__end_object(w);
	json__key(w, "lost_by_tracer"); /* past each tracer's cap */
	json__begin_object(w);
	for (unsigned int i = 0; i < s->nevent_counts; i++)
		if (s->event_counts[i].lost)
			json__key_u64(w, s->event_counts[i].tracer, s->event_counts[i].lost);
	json__end_object(w);
	json__end_object(w);
	json__key(w, "drops");
	json__begin_object(w);
	for (size_t i = 0; i < s->nhealth; i++)
		json__key_u64(w, s->health[i].tracer, s->health[i].drops);
	json__end_object(w);
	json__key(w, "merged"); /* the range as one snapshot: raw totals, slowest events */
	json__write_snapshot(w, s, 0, -1);
	json__end_object(w);
	free(idx);
}

static const char *when(char *buf, size_t len, __u64 ns)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

static const char *total(char *buf, size_t len, enum metric k, __u64 v)
{
	switch (metric__info(k)->unit) {
	case UNIT_BYTES:
		return format__bytes(buf, len, (double)v);
	case UNIT_NS:
		return format__ns(buf, len, (double)v);
	default:
		return format__count(buf, len, (double)v);
	}
}

static void print_top(FILE *f, const struct report_opts *o, const struct snapshot *s)
{
	size_t *idx = malloc((s->nrows ? s->nrows : 1) * sizeof(*idx));
	char buf[32], comm[16], safe[SNAP_COMM_LEN * 6];

	if (!idx)
		return;
	fprintf(f,
		"\nTop processes per metric (total over the range; gauges: maximum)\n"
		"  %-16s %9s %7s %s\n",
		"METRIC", "TOTAL", "PID", "COMM");
	for (int k = 0; k < METRIC_COUNT; k++) {
		size_t n;

		if (!(s->metrics_present & (1ULL << k)))
			continue;
		n = top_rows(s, k, idx, o->top);
		for (size_t i = 0; i < n; i++) {
			const struct proc_row *r = &s->rows[idx[i]];

			format__truncate(comm, 15, escape__term(safe, sizeof(safe), r->comm,
								sizeof(r->comm)));
			fprintf(f, "  %-16s %9s %7u %s\n", i ? "" : metric__info(k)->name,
				total(buf, sizeof(buf), k, r->values[k]), r->pid, comm);
		}
		if (!n)
			fprintf(f, "  %-16s %9s\n", metric__info(k)->name, "0");
	}
	free(idx);
}

int report__print(FILE *f, const char *path, const struct report_opts *o, const struct report *rep)
{
	struct text_sink text = {.f = f, .top = o->top, .sort = -1, .width = 80, .hists = true};
	const struct snapshot *s = &rep->m.acc;
	char a[32], b[32], d[16], safe[256];
	unsigned int nlost = 0;

	if (!rep->span.count) {
		fprintf(f, "%s: no intervals in the range\n", path);
		return ferror(f) ? -EPIPE : 0;
	}
	fprintf(f, "Recording %s: %lu interval(s), %s .. %s (%s)\n", path, rep->m.intervals,
		when(a, sizeof(a), rep->span.start_ns), when(b, sizeof(b), rep->span.last_ns),
		format__ns(d, sizeof(d), (double)s->interval_ns));
	if (o->pid)
		fprintf(f, "Only pid %u", o->pid);
	if (o->comm)
		fprintf(f, "%s comm %s", o->pid ? "," : "Only",
			escape__term(safe, sizeof(safe), o->comm, strlen(o->comm)));
	if (o->pid || o->comm)
		fprintf(f, " (histograms and tables cover every process)\n");
	print_top(f, o, s);
	fprintf(f, "\nEvents recorded: %llu, lost (past a tracer's %d an interval): %llu",
		(unsigned long long)rep->m.events_total, SNAP_EVENTS_MAX,
		(unsigned long long)s->events_lost);
	for (unsigned int i = 0; i < s->nevent_counts; i++)
		if (s->event_counts[i].lost)
			fprintf(f, "%s%s %llu", nlost++ ? ", " : " (", s->event_counts[i].tracer,
				(unsigned long long)s->event_counts[i].lost);
	fprintf(f, "%s\n", nlost ? ")" : "");
	for (size_t i = 0; i < s->nhealth; i++)
		fprintf(f, "  %-10s %llu events, %llu dropped in kernel\n", s->health[i].tracer,
			(unsigned long long)s->health[i].events,
			(unsigned long long)s->health[i].drops);
	fprintf(f, "\nThe range as one interval (rates are averages over %s; events: the slowest)",
		format__ns(d, sizeof(d), (double)s->interval_ns));
	return text__emit(&text, s);
}
