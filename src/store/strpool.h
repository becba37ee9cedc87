/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Interned strings: snapshots point at static strings for table columns,
 * units and event field keys; a snapshot read back from a recording points
 * into a pool instead, which lives as long as its owner (the reader).
 */
#ifndef TRACERHUB_STORE_STRPOOL_H
#define TRACERHUB_STORE_STRPOOL_H

#include <stddef.h>

struct strpool_entry;

struct strpool {
	struct strpool_entry **buckets;
	size_t nbuckets, count;
};

/*
 * The pooled copy of s (the same pointer for equal strings, valid until
 * strpool__free), or NULL with errno = ENOMEM.
 */
const char *strpool__intern(struct strpool *p, const char *s);
/* Free every string; p may be NULL and is left empty and reusable. */
void strpool__free(struct strpool *p);

#endif
