// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* A snapshot as one JSON object: for the JSON lines sink, the query API and the report. */
#include <stdlib.h>
#include "model/snapshot.h"
#include "render/event.h"
#include "render/json_writer.h"
#include "render/snapshot_json.h"

static void write_row(struct json_writer *w, const struct snapshot *s, const struct proc_row *r)
{
	json__begin_object(w);
	if (r->host)
		json__key_string(w, "host", snapshot__host(s, r->host));
	json__key_u64(w, "pid", r->pid);
	json__key(w, "comm");
	json__string_n(w, r->comm, sizeof(r->comm));
	for (int m = 0; m < METRIC_COUNT; m++) /* in a fleet, only what the row's host reports */
		if (snapshot__row_has(s, r, m))
			json__key_u64(w, metric__info(m)->name, r->values[m]);
	json__end_object(w);
}

static void write_procs(struct json_writer *w, const struct snapshot *s, unsigned int top,
			int sort)
{
	size_t n = top && top < s->nrows ? top : s->nrows;
	size_t *idx = NULL;

	if (sort >= 0 && s->nrows) {
		idx = malloc(s->nrows * sizeof(*idx));
		if (idx)
			snapshot__sort_rows(s, sort, idx);
	}
	json__key(w, "procs");
	json__begin_array(w);
	for (size_t i = 0; i < n; i++)
		write_row(w, s, &s->rows[idx ? idx[i] : i]);
	json__end_array(w);
	free(idx);
}

/* "units" (from each metric's descriptor) or "totals": an object of every metric present. */
static void write_per_metric(struct json_writer *w, const struct snapshot *s, bool units)
{
	json__key(w, units ? "units" : "totals");
	json__begin_object(w);
	for (int m = 0; m < METRIC_COUNT; m++) {
		if (!(s->metrics_present & (1ULL << m)))
			continue;
		if (units)
			json__key_string(w, metric__info(m)->name,
					 metric__unit_name(metric__info(m)->unit));
		else
			json__key_u64(w, metric__info(m)->name, snapshot__total(s, m));
	}
	json__end_object(w);
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each JSON section writes its own
 * keys through the one writer.
 */
static void write_tables(struct json_writer *w, const struct snapshot *s)
{
	json__key(w, "tables");
	json__begin_array(w);
	for (size_t i = 0; i < s->ntables; i++) {
		const struct snap_table *t = &s->tables[i];
		char hdr[SNAP_NAME_LEN + 4];

		json__begin_object(w);
		json__key_string(w, "tracer", t->tracer);
		json__key_string(w, "name", t->name);
		json__key_string(w, "key", t->key_name);
		json__key(w, "units");
		json__begin_object(w);
		for (unsigned int c = 0; c < t->ncols; c++)
			json__key_string(w, t->cols[c], t->units[c]);
		json__end_object(w);
		json__key(w, "headers"); /* what text, the TUI and the web page title each column */
		json__begin_object(w);
		for (unsigned int c = 0; c < t->ncols; c++)
			json__key_string(w, t->cols[c],
					 snap_table__header(hdr, sizeof(hdr), t->cols[c], t->units[c]));
		json__end_object(w);
		json__key(w, "rows");
		json__begin_array(w);
		for (size_t r = 0; r < t->nrows; r++) {
			json__begin_object(w);
			json__key_string(w, t->key_name, t->rows[r].key);
			for (unsigned int c = 0; c < t->ncols; c++)
				json__key_u64(w, t->cols[c], t->rows[r].v[c]);
			json__end_object(w);
		}
		json__end_array(w);
		json__end_object(w);
	}
	json__end_array(w);
}

static void write_hists(struct json_writer *w, const struct snapshot *s)
{
	json__key(w, "hists");
	json__begin_array(w);
	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *h = &s->hists[i];
		unsigned int used = hist__used_slots(&h->h);

		json__begin_object(w);
		json__key_string(w, "tracer", h->tracer);
		json__key_string(w, "name", h->name);
		json__key_string(w, "label", h->label);
		json__key_string(w, "unit", h->unit);
		json__key_u64(w, "count", h->h.count);
		json__key_u64(w, "sum", h->h.sum);
		/* estimates: interpolated inside the log2 bucket holding them */
		json__key_u64(w, "p50", hist__percentile(&h->h, 50));
		json__key_u64(w, "p99", hist__percentile(&h->h, 99));
		json__key_string(w, "percentiles", "estimated within log2 buckets");
		json__key(w, "buckets"); /* [low, high, count] of each non-empty log2 slot */
		json__begin_array(w);
		for (unsigned int k = 0; k < used; k++) {
			if (!h->h.slots[k])
				continue;
			json__begin_array(w);
			json__u64(w, hist__slot_low(k));
			json__u64(w, hist__slot_high(k));
			json__u64(w, h->h.slots[k]);
			json__end_array(w);
		}
		json__end_array(w);
		json__end_object(w);
	}
	json__end_array(w);
}

void json__write_lost_by_tracer(struct json_writer *w, const struct snapshot *s)
{
	bool any = false;

	for (unsigned int i = 0; i < s->nevent_counts; i++) {
		if (!s->event_counts[i].lost)
			continue;
		if (!any) {
			json__key(w, "events_lost_by_tracer");
			json__begin_object(w);
			any = true;
		}
		json__key_u64(w, s->event_counts[i].tracer, s->event_counts[i].lost);
	}
	if (any)
		json__end_object(w);
}

static void write_events(struct json_writer *w, const struct snapshot *s)
{
	if (!s->events_streamed) {
		json__key(w, "events");
		json__begin_array(w);
		for (size_t i = 0; i < s->nevents; i++)
			event__write_json(w, s, &s->events[i]);
		json__end_array(w);
	}
	json__key_u64(w, "events_lost", s->events_lost);
	json__write_lost_by_tracer(w, s);
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each JSON document writes its own
 * keys through the one writer.
 */
static void write_health(struct json_writer *w, const struct snapshot *s)
{
	json__key(w, "health");
	json__begin_array(w);
	for (size_t i = 0; i < s->nhealth; i++) {
		const struct snap_health *h = &s->health[i];

		json__begin_object(w);
		json__key_string(w, "tracer", h->tracer);
		json__key_string(w, "rung", h->rung);
		json__key_u64(w, "events", h->events);
		json__key_u64(w, "drops", h->drops);
		json__key_u64(w, "programs", h->nprogs);
		if (h->window_n) /* counted in sampling windows and scaled: estimates */
			json__key_u64(w, "sampled_1_in", h->window_n);
		json__key_u64(w, "run_cnt", h->cost.run_cnt);
		json__key_u64(w, "run_ns", h->cost.run_ns);
		/* Run-time statistics are sampled in short windows: the last one's figure and age. */
		json__key_double_known(w, "ns_per_run", h->cost.ns_per_run > 0, h->cost.ns_per_run);
		json__key_double_known(w, "ns_per_run_age_s", h->cost.ns_per_run > 0,
				       (double)h->cost.sample_age_ns / 1e9);
		json__end_object(w);
	}
	json__end_array(w);
}

void json__write_snapshot(struct json_writer *w, const struct snapshot *s, unsigned int top,
			  int sort)
{
	json__begin_object(w);
	json__key_string(w, "type", "interval");
	json__key(w, "time");
	json__time(w, s->ts_ns);
	json__key_u64(w, "ts_ns", s->ts_ns);
	json__key_u64(w, "interval_ns", s->interval_ns);
	if (s->self_cpu_known) /* tracerhub's own cost: a live run's, or its recording's */
		json__key_u64(w, "self_cpu_ns", s->self_cpu_ns);
	json__key(w, "final");
	json__bool(w, s->final);
	if (s->nhosts) { /* a fleet's snapshot: rows and events say whose they are */
		json__key(w, "hosts");
		json__begin_array(w);
		for (unsigned int i = 0; i < s->nhosts; i++)
			json__string(w, s->hosts[i]);
		json__end_array(w);
	}
	write_per_metric(w, s, true);
	write_per_metric(w, s, false);
	write_procs(w, s, top, sort);
	write_tables(w, s);
	write_hists(w, s);
	write_events(w, s);
	write_health(w, s);
	json__end_object(w);
}
