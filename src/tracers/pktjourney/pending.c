// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* An open-addressing table (linear probing, deletion by backward shift) keyed by packet id. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tracers/pktjourney/pending.h"

static size_t slot_of(const struct pending *p, __u64 id)
{
	return (size_t)((id * 0x9E3779B97F4A7C15ULL) >> 20) & (p->cap - 1);
}

int pending__init(struct pending *p, size_t cap)
{
	memset(p, 0, sizeof(*p));
	p->slots = calloc(cap, sizeof(*p->slots));
	if (!p->slots)
		return -ENOMEM;
	p->cap = cap;
	return 0;
}

void pending__free(struct pending *p)
{
	for (size_t i = 0; i < p->cap; i++)
		free(p->slots[i].data);
	free(p->slots);
	memset(p, 0, sizeof(*p));
}

int pending__put(struct pending *p, __u64 id, const void *data, __u32 caplen, __u32 wire_len,
		 __u32 linktype)
{
	size_t i;

	if (!id || p->n >= p->cap - p->cap / 4) { /* kept sparse: probes stay short */
		p->full++;
		return -ENOSPC;
	}
	for (i = slot_of(p, id); p->slots[i].id && p->slots[i].id != id; i = (i + 1) & (p->cap - 1))
		;
	if (!p->slots[i].id)
		p->n++;
	free(p->slots[i].data);
	p->slots[i] = (struct pending_bytes){ .id = id, .caplen = caplen, .wire_len = wire_len,
					      .linktype = linktype, .data = malloc(caplen ? caplen : 1) };
	if (!p->slots[i].data) {
		p->slots[i].caplen = 0;
		return -ENOMEM;
	}
	memcpy(p->slots[i].data, data, caplen);
	return 0;
}

int pending__take(struct pending *p, __u64 id, struct pending_bytes *out)
{
	size_t i, j, want;

	if (!p->cap)
		return -ENOENT;
	for (i = slot_of(p, id); p->slots[i].id != id; i = (i + 1) & (p->cap - 1))
		if (!p->slots[i].id)
			return -ENOENT;
	*out = p->slots[i];
	p->n--;
	/* Backward shift: move up every later entry of the run that may sit in the hole. */
	for (j = (i + 1) & (p->cap - 1); p->slots[j].id; j = (j + 1) & (p->cap - 1)) {
		want = slot_of(p, p->slots[j].id);
		if (((j - want) & (p->cap - 1)) >= ((j - i) & (p->cap - 1))) {
			p->slots[i] = p->slots[j];
			i = j;
		}
	}
	p->slots[i] = (struct pending_bytes){ 0 };
	return 0;
}
