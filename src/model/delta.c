// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/delta.h"

static int cmp_key(const void *a, const void *b)
{
	const struct delta_entry *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

int delta__advance(struct delta *d, struct delta_entry *cur, size_t n)
{
	struct delta_entry *next = NULL;
	size_t i = 0, j = 0, m = 0;

	if (n + d->nprev) {
		next = malloc((n + d->nprev) * sizeof(*next));
		if (!next)
			return -ENOMEM;
	}
	qsort(cur, n, sizeof(*cur), cmp_key);
	/* a merge of two sorted lists: next is sorted by key as well */
	while (i < n || j < d->nprev) {
		const struct delta_entry *p = j < d->nprev ? &d->prev[j] : NULL;

		if (p && (i == n || p->key < cur[i].key)) {
			/* missing from this read: remembered for d->keep reads */
			if (p->missed < d->keep) {
				next[m] = *p;
				next[m++].missed++;
			}
			j++;
			continue;
		}
		next[m] = cur[i];
		next[m].missed = 0;
		if (p && p->key == cur[i].key) {
			for (int k = 0; k < DELTA_VALUES; k++) {
				if (cur[i].v[k] >= p->v[k]) {
					cur[i].v[k] -= p->v[k];
				} else {
					next[m].v[k] = p->v[k];
					cur[i].v[k] = 0;
				}
			}
			j++;
		}
		m++;
		i++;
	}
	free(d->prev);
	d->prev = next;
	d->nprev = m;
	return 0;
}

void delta__forget(struct delta *d, __u64 key)
{
	struct delta_entry k = { .key = key }, *e;

	e = bsearch(&k, d->prev, d->nprev, sizeof(k), cmp_key);
	if (!e)
		return;
	memmove(e, e + 1, (size_t)(d->prev + d->nprev - (e + 1)) * sizeof(*e));
	d->nprev--;
}

size_t delta__merge(struct delta_entry *cur, size_t n)
{
	size_t out = 0;

	qsort(cur, n, sizeof(*cur), cmp_key);
	for (size_t i = 0; i < n; i++) {
		if (out && cur[out - 1].key == cur[i].key) {
			for (int k = 0; k < DELTA_VALUES; k++)
				cur[out - 1].v[k] += cur[i].v[k];
			continue;
		}
		cur[out++] = cur[i];
	}
	return out;
}

void delta__free(struct delta *d)
{
	free(d->prev);
	d->prev = NULL;
	d->nprev = 0;
}
