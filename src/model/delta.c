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
	struct delta_entry *copy = NULL;
	size_t j = 0;

	if (n) {
		copy = malloc(n * sizeof(*copy));
		if (!copy)
			return -ENOMEM;
	}
	qsort(cur, n, sizeof(*cur), cmp_key);
	if (n)
		memcpy(copy, cur, n * sizeof(*copy));
	for (size_t i = 0; i < n; i++) {
		while (j < d->nprev && d->prev[j].key < cur[i].key)
			j++;
		if (j == d->nprev || d->prev[j].key != cur[i].key)
			continue;
		for (int k = 0; k < DELTA_VALUES; k++) {
			if (cur[i].v[k] >= d->prev[j].v[k]) {
				cur[i].v[k] -= d->prev[j].v[k];
			} else {
				copy[i].v[k] = d->prev[j].v[k];
				cur[i].v[k] = 0;
			}
		}
	}
	free(d->prev);
	d->prev = copy;
	d->nprev = n;
	return 0;
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
