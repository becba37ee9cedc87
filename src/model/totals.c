// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/grow.h"
#include "model/totals.h"

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each module's free of its own
 * arrays.
 */
void totals__free(struct totals *t)
{
	if (!t)
		return;
	free(t->hists);
	free(t->tracers);
	memset(t, 0, sizeof(*t));
}

const char *totals__series_label(char *out, size_t len, const char *label,
				 const struct snapshot *s)
{
	char buf[SNAP_LABEL_LEN], *save = NULL;
	size_t o = 0;

	snprintf(buf, sizeof(buf), "%s", label);
	out[0] = '\0';
	for (char *tok = strtok_r(buf, ",", &save); tok && o < len;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct proc_row *r;

		if (strncmp(tok, "pid=", 4)) {
			o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "," : "", tok);
			continue;
		}
		r = snapshot__find_row(s, (__u32)strtoul(tok + 4, NULL, 10));
		o += (size_t)snprintf(out + o, len - o, "%scomm=%.*s", o ? "," : "", SNAP_COMM_LEN,
				      r ? r->comm : "other");
	}
	return out;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): find-or-add in its own array by
 * its own key fields.
 */
static int add_hists(struct totals *t, const struct snapshot *s)
{
	for (size_t i = 0; i < t->nhists; i++)
		t->hists[i].last_count = 0;
	for (size_t i = 0; i < s->nhists; i++) {
		const struct snap_hist *sh = &s->hists[i];
		struct totals_hist *th = NULL;
		char label[SNAP_LABEL_LEN];

		totals__series_label(label, sizeof(label), sh->label, s);
		for (size_t k = 0; k < t->nhists && !th; k++)
			if (!strcmp(t->hists[k].tracer, sh->tracer) &&
			    !strcmp(t->hists[k].name, sh->name) && !strcmp(t->hists[k].label, label))
				th = &t->hists[k];
		if (!th && t->nhists >= (t->hists_max ? t->hists_max : TOTALS_HISTS_DEFAULT)) {
			t->hists_dropped++;
			continue;
		}
		if (!th) {
			th = GROW_APPEND(t->hists, t->hists_cap, t->nhists);
			if (!th)
				return -ENOMEM;
			memcpy(th->tracer, sh->tracer, sizeof(th->tracer));
			memcpy(th->name, sh->name, sizeof(th->name));
			memcpy(th->label, label, sizeof(th->label));
			memcpy(th->unit, sh->unit, sizeof(th->unit));
		}
		hist__merge(&th->total, &sh->h);
		th->last_count += sh->h.count;
	}
	return 0;
}

/* Alike to add_hists by design: its own array and key. */
static int add_health(struct totals *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->nhealth; i++) {
		const struct snap_health *h = &s->health[i];
		struct totals_tracer *tt = NULL;

		for (size_t k = 0; k < t->ntracers && !tt; k++)
			if (!strcmp(t->tracers[k].tracer, h->tracer))
				tt = &t->tracers[k];
		if (!tt) {
			tt = GROW_APPEND(t->tracers, t->tracers_cap, t->ntracers);
			if (!tt)
				return -ENOMEM;
			memcpy(tt->tracer, h->tracer, sizeof(tt->tracer));
		}
		memcpy(tt->rung, h->rung, sizeof(tt->rung));
		tt->events += h->events;
		tt->drops += h->drops;
		tt->run_ns += h->cost.run_ns;
		tt->run_cnt += h->cost.run_cnt;
		tt->ns_per_run = h->cost.ns_per_run;
		tt->nprogs = h->nprogs;
	}
	return 0;
}

int totals__add(struct totals *t, const struct snapshot *s)
{
	int err = add_hists(t, s);

	if (!err)
		err = add_health(t, s);
	t->intervals++;
	return err;
}
