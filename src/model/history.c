// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/grow.h"
#include "model/history.h"

static int copy_tables(struct snapshot *dst, const struct snapshot *src)
{
	if (GROW(dst->tables, dst->tables_cap, src->ntables))
		return -ENOMEM;
	for (size_t i = 0; i < src->ntables; i++) {
		const struct snap_table *from = &src->tables[i];
		struct snap_table *to = &dst->tables[i];

		*to = *from;
		to->rows = NULL;
		to->nrows = to->cap = 0;
		dst->ntables = i + 1;
		if (snap_table__copy_rows(from, &to->rows, &to->cap, &to->nrows))
			return -ENOMEM;
	}
	return 0;
}

int snapshot__copy(struct snapshot *dst, const struct snapshot *src, size_t max_events)
{
	size_t nevents = src->nevents < max_events ? src->nevents : max_events;
	int err = -ENOMEM;

	snapshot__reset(dst);
	if (GROW(dst->rows, dst->rows_cap, src->nrows) ||
	    GROW(dst->hists, dst->hists_cap, src->nhists) ||
	    GROW(dst->events, dst->events_cap, nevents) ||
	    GROW(dst->health, dst->health_cap, src->nhealth) ||
	    GROW(dst->text, dst->text_cap, src->text_len))
		goto fail;
	err = copy_tables(dst, src);
	if (err)
		goto fail;
	if (src->nrows)
		memcpy(dst->rows, src->rows, src->nrows * sizeof(*src->rows));
	if (src->nhists)
		memcpy(dst->hists, src->hists, src->nhists * sizeof(*src->hists));
	if (nevents)
		memcpy(dst->events, src->events, nevents * sizeof(*src->events));
	if (src->nhealth)
		memcpy(dst->health, src->health, src->nhealth * sizeof(*src->health));
	if (src->text_len) /* the events' long strings, at the offsets their fields hold */
		memcpy(dst->text, src->text, src->text_len);
	dst->text_len = src->text_len;
	dst->nrows = src->nrows;
	dst->nhists = src->nhists;
	dst->nevents = nevents;
	dst->nhealth = src->nhealth;
	dst->ts_ns = src->ts_ns;
	dst->interval_ns = src->interval_ns;
	dst->metrics_present = src->metrics_present;
	dst->final = src->final;
	dst->events_lost = src->events_lost + (src->nevents - nevents);
	dst->self_cpu_ns = src->self_cpu_ns;
	dst->self_cpu_known = src->self_cpu_known;
	memcpy(dst->event_counts, src->event_counts,
	       src->nevent_counts * sizeof(*src->event_counts));
	dst->nevent_counts = src->nevent_counts;
	dst->hosts = src->hosts;
	dst->host_metrics = src->host_metrics;
	dst->nhosts = src->nhosts;
	return 0;
fail:
	snapshot__reset(dst);
	return err;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each module's init of its own
 * arrays.
 */
int history__init(struct history *h, size_t cap, size_t max_events)
{
	memset(h, 0, sizeof(*h));
	if (!cap)
		return -EINVAL;
	h->slots = calloc(cap, sizeof(*h->slots));
	if (!h->slots)
		return -ENOMEM;
	h->cap = cap;
	h->max_events = max_events;
	return 0;
}

void history__free(struct history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->cap; i++)
		snapshot__free(&h->slots[i]);
	free(h->slots);
	memset(h, 0, sizeof(*h));
}

int history__push(struct history *h, const struct snapshot *s)
{
	struct snapshot *slot = &h->slots[h->head];
	int err;

	if (h->n == h->cap)
		h->n--; /* the oldest is overwritten; on failure it stays dropped */
	err = snapshot__copy(slot, s, h->max_events);
	if (err)
		return err;
	h->head = (h->head + 1) % h->cap;
	h->n++;
	h->pushed++;
	return 0;
}

const struct snapshot *history__at(const struct history *h, size_t i)
{
	if (i >= h->n)
		return NULL;
	return &h->slots[(h->head + h->cap - h->n + i) % h->cap];
}

const struct snapshot *history__latest(const struct history *h)
{
	return h->n ? history__at(h, h->n - 1) : NULL;
}
