/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Growing arrays: the one helper every growing array uses. */
#ifndef TRACERHUB_MODEL_GROW_H
#define TRACERHUB_MODEL_GROW_H

#include <stddef.h>

/*
 * Make *arr, an array with room for *cap elements of size sz, hold at least n:
 * its room becomes twice what it was, or n when that is more (16 at the least
 * when first allocated), so that adding one element at a time costs O(1) on
 * average and a bulk reserve takes what it asks. An array not allocated yet
 * (NULL) is allocated even for n == 0. 0, or -ENOMEM with *arr and *cap as
 * they were.
 */
int grow__reserve(void **arr, size_t *cap, size_t n, size_t sz);

/* grow__reserve for array arr (any element type) and its capacity cap, both lvalues. */
#define GROW(arr, cap, n) grow__reserve((void **)&(arr), &(cap), (n), sizeof(*(arr)))

/*
 * Add one element to *arr, which holds *n of room for *cap (each sz bytes): the new element,
 * zeroed, with *n one more; or NULL with errno ENOMEM and all as it was.
 */
void *grow__append(void **arr, size_t *cap, size_t *n, size_t sz);

/* grow__append for array arr (any element type), its capacity cap and count n, all lvalues. */
#define GROW_APPEND(arr, cap, n)                                                                   \
	((__typeof__(arr))grow__append((void **)&(arr), &(cap), &(n), sizeof(*(arr))))

#endif
