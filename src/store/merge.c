// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/fields.h"
#include "store/merge.h"

void merge__init(struct merge *m, __u32 pid, const char *comm, size_t max_events)
{
	memset(m, 0, sizeof(*m));
	m->pid = pid;
	snprintf(m->comm, sizeof(m->comm), "%s", comm ? comm : "");
	m->max_events = max_events;
}

void merge__free(struct merge *m)
{
	if (!m)
		return;
	snapshot__free(&m->acc);
	totals__free(&m->since);
}

static bool wanted(const struct merge *m, __u32 pid, const char *comm)
{
	return (!m->pid || pid == m->pid) &&
	       (!m->comm[0] || !strncmp(comm, m->comm, SNAP_COMM_LEN - 1));
}

static int cmp_row_pid(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static int merge_rows(struct merge *m, const struct snapshot *s)
{
	size_t sorted = m->acc.nrows;

	for (size_t i = 0; i < s->nrows; i++) {
		const struct proc_row *r = &s->rows[i];
		struct proc_row *a;

		if (!wanted(m, r->pid, r->comm))
			continue;
		a = sorted ? bsearch(r, m->acc.rows, sorted, sizeof(*r), cmp_row_pid) : NULL;
		if (!a) {
			a = snapshot__add_row(&m->acc, r->pid, r->comm);
			if (!a)
				return -ENOMEM;
		}
		if (r->comm[0])
			memcpy(a->comm, r->comm, sizeof(a->comm));
		for (int k = 0; k < METRIC_COUNT; k++)
			a->values[k] = metric__combine(k, a->values[k], r->values[k]);
	}
	if (m->acc.nrows != sorted)
		qsort(m->acc.rows, m->acc.nrows, sizeof(*m->acc.rows), cmp_row_pid);
	return 0;
}

static int cmp_table_key(const void *a, const void *b)
{
	const struct snap_table_row *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static void merge_cells(const struct snap_table *t, struct snap_table_row *a,
			const struct snap_table_row *r)
{
	for (unsigned int c = 0; c < t->ncols; c++) {
		if (c > 0 && !strncmp(t->cols[c], "avg_", 4)) {
			__u64 n = a->v[0] + r->v[0];

			a->v[c] = n ? (a->v[c] * a->v[0] + r->v[c] * r->v[0]) / n : 0;
		}
	}
	for (unsigned int c = 0; c < t->ncols; c++)
		if (c == 0 || strncmp(t->cols[c], "avg_", 4))
			a->v[c] += r->v[c];
}

int merge__table(struct snapshot *acc, const struct snap_table *t)
{
	struct snap_table *a = NULL;
	size_t sorted;

	for (size_t k = 0; k < acc->ntables && !a; k++) {
		struct snap_table *c = &acc->tables[k];

		if (!strcmp(c->tracer, t->tracer) && !strcmp(c->name, t->name) &&
		    !strcmp(c->key_name, t->key_name) && c->ncols == t->ncols)
			a = c;
	}
	if (!a) {
		a = snapshot__add_table(acc, t->tracer, t->name, t->key_name, t->ncols, t->cols,
					t->units);
		if (!a)
			return -ENOMEM;
	}
	sorted = a->nrows;
	for (size_t i = 0; i < t->nrows; i++) {
		struct snap_table_row *r = NULL;

		if (sorted)
			r = bsearch(&t->rows[i], a->rows, sorted, sizeof(*r), cmp_table_key);
		if (!r) {
			r = snap_table__add_row(a, t->rows[i].key);
			if (!r)
				return -ENOMEM;
		}
		merge_cells(a, r, &t->rows[i]);
	}
	if (a->nrows != sorted)
		qsort(a->rows, a->nrows, sizeof(*a->rows), cmp_table_key);
	return 0;
}

static void count_event(struct merge *m, const char *tracer)
{
	unsigned int i;

	m->events_total++;
	for (i = 0; i < m->ntracers; i++)
		if (!strcmp(m->per_tracer[i].tracer, tracer))
			break;
	if (i == m->ntracers) {
		if (i == MERGE_TRACERS)
			return;
		snprintf(m->per_tracer[i].tracer, SNAP_NAME_LEN, "%s", tracer);
		m->ntracers++;
	}
	m->per_tracer[i].events++;
}

/* Keep e if it is among the max_events slowest seen. */
static int keep_slow_event(struct merge *m, const struct snapshot *s, const struct snap_event *e)
{
	__u64 dur = fields__duration_ns(e), min = ~0ULL;
	struct snap_event *slot = NULL;

	if (!dur || !m->max_events)
		return 0;
	if (m->acc.nevents < m->max_events) {
		slot = snapshot__add_event(&m->acc, e->tracer, e->ts_ns, e->pid, e->comm);
		if (!slot)
			return -ENOMEM;
	} else {
		for (size_t i = 0; i < m->acc.nevents; i++) {
			__u64 d = fields__duration_ns(&m->acc.events[i]);

			if (d < min) {
				min = d;
				slot = &m->acc.events[i];
			}
		}
		if (dur <= min)
			return 0;
	}
	return snapshot__put_event(&m->acc, slot, s, e);
}

int merge__add(struct merge *m, const struct snapshot *s)
{
	int err;

	if (s->ts_ns > m->acc.ts_ns)
		m->acc.ts_ns = s->ts_ns;
	m->acc.interval_ns += s->interval_ns;
	m->acc.metrics_present |= s->metrics_present;
	m->acc.final = s->final;
	m->acc.events_lost += s->events_lost;
	for (unsigned int i = 0; i < s->nevent_counts; i++) {
		struct snap_event_count *c =
		    snapshot__event_count(&m->acc, s->event_counts[i].tracer);

		if (c)
			c->lost += s->event_counts[i].lost;
	}
	m->intervals++;
	err = merge_rows(m, s);
	if (!err)
		err = totals__add(&m->since, s);
	for (size_t i = 0; !err && i < s->ntables; i++)
		err = merge__table(&m->acc, &s->tables[i]);
	for (size_t i = 0; !err && i < s->nevents; i++) {
		if (!wanted(m, s->events[i].pid, s->events[i].comm))
			continue;
		count_event(m, s->events[i].tracer);
		err = keep_slow_event(m, s, &s->events[i]);
	}
	return err;
}

static int cmp_event_dur(const void *a, const void *b)
{
	__u64 x = fields__duration_ns(a), y = fields__duration_ns(b);

	return (x < y) - (x > y);
}

/* The since-start histograms and health of the range into the merged snapshot. */
static int put_totals(struct merge *m)
{
	for (size_t i = 0; i < m->since.nhists; i++) {
		const struct totals_hist *th = &m->since.hists[i];
		struct snap_hist *h = snapshot__add_hist(&m->acc, th->tracer, th->name, th->label,
							 th->unit);

		if (!h)
			return -ENOMEM;
		h->h = th->total;
	}
	for (size_t i = 0; i < m->since.ntracers; i++) {
		const struct totals_tracer *t = &m->since.tracers[i];
		struct snap_health *h = snapshot__add_health(&m->acc, t->tracer);

		if (!h)
			return -ENOMEM;
		memcpy(h->rung, t->rung, sizeof(h->rung));
		h->events = t->events;
		h->drops = t->drops;
		h->cost.run_ns = t->run_ns;
		h->cost.run_cnt = t->run_cnt;
		if (t->run_cnt) /* over every statistics window of the range */
			h->cost.ns_per_run = (double)t->run_ns / (double)t->run_cnt;
		h->nprogs = (unsigned int)t->nprogs;
	}
	return 0;
}

int merge__finish(struct merge *m)
{
	if (m->acc.nevents)
		qsort(m->acc.events, m->acc.nevents, sizeof(*m->acc.events), cmp_event_dur);
	return put_totals(m);
}
