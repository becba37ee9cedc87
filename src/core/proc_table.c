// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/maps.h"
#include "core/proc_table.h"
#include "bpf/proc_cache.h"
#include "core/hub_table.h"
#include "model/grow.h"
#include "model/snapshot.h"

#define COMM_LEN PROC_TABLE_COMM_LEN

/* Put /proc/PID/comm into comm; false when the process is gone. */
static bool current_comm(__u32 tgid, char *comm)
{
	char path[32], buf[COMM_LEN] = "";
	bool ok = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/comm", tgid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		memcpy(comm, buf, COMM_LEN);
		ok = true;
	}
	fclose(f);
	return ok;
}

static int cmp_comm(const void *a, const void *b)
{
	const struct comm_entry *x = a, *y = b;

	return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

/* The name c's process was reported under last interval, if any. */
static void last_comm(const struct proc_table *t, struct comm_entry *c)
{
	const struct comm_entry *prev = t->names ? bsearch(c, t->names, t->nnames,
							  sizeof(*t->names), cmp_comm) : NULL;

	if (prev)
		memcpy(c->comm, prev->comm, COMM_LEN);
}

struct walk {
	const struct proc_table *t;
	size_t value_size;
	struct delta_entry *cur;
	struct comm_entry *comms;
	size_t n, cap;
};

static int visit(const void *key, const void *values, int ncpus, void *ctx)
{
	struct walk *w = ctx;
	size_t stride = maps__percpu_stride(w->value_size);
	struct delta_entry *e;
	struct comm_entry *c;

	size_t cap = w->cap; /* one capacity for both arrays */

	if (GROW(w->cur, cap, w->n + 1) || GROW(w->comms, w->cap, w->n + 1))
		return -ENOMEM;
	e = &w->cur[w->n];
	c = &w->comms[w->n++];
	memset(e, 0, sizeof(*e));
	memset(c, 0, sizeof(*c));
	memcpy(&c->tgid, key, sizeof(c->tgid));
	e->key = c->tgid;
	for (unsigned int i = 0; i < w->t->ncounters; i++)
		e->v[i] = maps__percpu_sum(values, ncpus, w->value_size, i * sizeof(__u64));
	/*
	 * The CPU that created the entry wrote the name, and a CPU that ran an
	 * exec wrote the new one into its own copy: when the copies disagree,
	 * the live process' name decides.
	 */
	for (int cpu = 0; cpu < ncpus; cpu++) {
		const char *name = (const char *)values + cpu * stride + w->t->ncounters * sizeof(__u64);

		if (!name[0])
			continue;
		if (!c->comm[0]) {
			memcpy(c->comm, name, COMM_LEN - 1);
		} else if (strncmp(c->comm, name, COMM_LEN - 1)) {
			if (!current_comm(c->tgid, c->comm))
				last_comm(w->t, c);
			break;
		}
	}
	return 0;
}

static int cmp_tgid(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return (x > y) - (x < y);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct delta_entry *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/*
 * Add the counts pending in each CPU's process cells (every slot) to the
 * walked entries (sorted by key). Read after the hash: a flush in between
 * makes the total short, never double (a cell is invalidated before it is
 * flushed).
 */
static int add_pending(const struct proc_table *t, struct walk *w)
{
	const struct hub_part_def *part = &hub_parts[t->part];
	size_t vsize = bpf_map__value_size(t->cells);
	size_t stride = maps__percpu_stride(vsize);
	__u32 nslots = bpf_map__max_entries(t->cells);

	for (__u32 slot = 0; slot < nslots; slot++) {
		char *vals;
		int ncpus = maps__lookup_percpu(bpf_map__fd(t->cells), &slot, vsize, (void **)&vals);

		if (ncpus < 0)
			return ncpus;
		for (int cpu = 0; cpu < ncpus; cpu++) {
			const char *v = vals + cpu * stride;
			struct proc_cache_head head;
			struct delta_entry key, *e;
			__u32 parts;

			memcpy(&head, v, sizeof(head));
			memcpy(&parts, v + sizeof(head), sizeof(parts));
			if (!head.valid || !(parts & (1U << t->part)))
				continue;
			key.key = head.tgid;
			/* Not walked yet (created since): it shows up next interval. */
			e = bsearch(&key, w->cur, w->n, sizeof(*w->cur), cmp_entry);
			if (!e)
				continue;
			for (unsigned int i = 0; i < t->ncounters && i < part->ncounters; i++) {
				__u64 c;

				memcpy(&c, v + part->pending_off + i * sizeof(__u64), sizeof(c));
				e->v[i] += c;
			}
		}
		free(vals);
	}
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): the model's delta API, used alike
 * by the process table and cpu's task table.
 */
int proc_table__collect(struct proc_table *t, struct snapshot *s, __u64 *totals)
{
	struct walk w = { .t = t, .value_size = bpf_map__value_size(t->map) };
	unsigned int nshown = t->nshown ? t->nshown : t->ncounters;
	int fd = bpf_map__fd(t->map);
	__u32 *gone = NULL;
	size_t ngone = 0;
	int err;

	err = maps__for_each(fd, sizeof(__u32), w.value_size, 1, visit, &w);
	if (err)
		goto out;
	gone = malloc((w.n ? w.n : 1) * sizeof(*gone));
	if (!gone) {
		err = -ENOMEM;
		goto out;
	}
	qsort(w.cur, w.n, sizeof(*w.cur), cmp_entry);
	qsort(w.comms, w.n, sizeof(*w.comms), cmp_comm);
	if (t->cells) {
		err = add_pending(t, &w);
		if (err)
			goto out;
	}
	err = delta__advance(&t->delta, w.cur, w.n);
	if (err)
		goto out;
	for (unsigned int i = 0; i < nshown; i++)
		snapshot__declare_metric(s, t->metrics[i]);
	for (size_t i = 0; i < w.n; i++) {
		const struct delta_entry *e = &w.cur[i];
		__u32 tgid = (__u32)e->key;
		struct proc_row *row;
		bool changed = false;

		for (unsigned int k = 0; k < nshown; k++)
			changed |= e->v[k] != 0;
		if (!changed) {
			/*
			 * Forget a process gone with its last counts reported: gone
			 * already at the last interval, so that counts it made between
			 * this interval's read and its end (an exit) were read here.
			 */
			if (!kill((pid_t)tgid, 0) || errno != ESRCH)
				continue;
			if (bsearch(&tgid, t->gone, t->ngone, sizeof(*t->gone), cmp_tgid))
				bpf_map_delete_elem(fd, &tgid);
			else
				gone[ngone++] = tgid; /* in tgid order, as cur */
			continue;
		}
		/* cur and comms were both sorted by tgid and hold the same keys. */
		row = snapshot__add_row(s, tgid, w.comms[i].comm);
		if (!row) {
			err = -ENOMEM;
			goto out;
		}
		for (unsigned int k = 0; k < nshown; k++) {
			row->values[t->metrics[k]] += e->v[k];
			totals[k] += e->v[k];
		}
	}
out:
	free(w.cur);
	if (!err) {
		free(t->names);
		t->names = w.comms; /* sorted by tgid: the names of this interval */
		t->nnames = w.n;
		free(t->gone);
		t->gone = gone;
		t->ngone = ngone;
	} else {
		free(w.comms);
		free(gone);
	}
	return err;
}

void proc_table__bind(struct proc_table *t, struct bpf_map *map, struct bpf_map *cells,
		      enum hub_part part, const enum metric *metrics, unsigned int ncounters)
{
	t->map = map;
	t->cells = cells;
	t->part = part;
	t->metrics = metrics;
	t->ncounters = ncounters;
}

void proc_table__free(struct proc_table *t)
{
	delta__free(&t->delta);
	free(t->names);
	t->names = NULL;
	t->nnames = 0;
	free(t->gone);
	t->gone = NULL;
	t->ngone = 0;
}
