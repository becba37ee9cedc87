// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "store/strpool.h"

struct strpool_entry {
	struct strpool_entry *next;
	char s[];
};

static size_t hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* Double the bucket array when the load reaches 1; 0 or -ENOMEM. */
static int grow(struct strpool *p)
{
	size_t n = p->nbuckets ? p->nbuckets * 2 : 64;
	struct strpool_entry **b;

	if (p->count < p->nbuckets)
		return 0;
	b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < p->nbuckets; i++) {
		struct strpool_entry *e = p->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[hash(e->s) % n];
			b[hash(e->s) % n] = e;
		}
	}
	free(p->buckets);
	p->buckets = b;
	p->nbuckets = n;
	return 0;
}

const char *strpool__intern(struct strpool *p, const char *s)
{
	struct strpool_entry *e;
	size_t len = strlen(s), slot;

	if (p->nbuckets) {
		for (e = p->buckets[hash(s) % p->nbuckets]; e; e = e->next)
			if (!strcmp(e->s, s))
				return e->s;
	}
	if (grow(p))
		goto nomem;
	e = malloc(sizeof(*e) + len + 1);
	if (!e)
		goto nomem;
	memcpy(e->s, s, len + 1);
	slot = hash(s) % p->nbuckets;
	e->next = p->buckets[slot];
	p->buckets[slot] = e;
	p->count++;
	return e->s;
nomem:
	errno = ENOMEM;
	return NULL;
}

void strpool__free(struct strpool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nbuckets; i++) {
		struct strpool_entry *e = p->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(p->buckets);
	memset(p, 0, sizeof(*p));
}
