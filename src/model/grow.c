// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/grow.h"

#define GROW_FIRST 16 /* elements of a first allocation, at the least */

int grow__reserve(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n <= *cap && *arr)
		return 0;
	if (*cap > SIZE_MAX / 2)
		return -ENOMEM;
	ncap = *arr && *cap ? *cap * 2 : GROW_FIRST;
	if (ncap < n)
		ncap = n;
	p = reallocarray(*arr, ncap, sz);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

void *grow__append(void **arr, size_t *cap, size_t *n, size_t sz)
{
	char *e;

	if (grow__reserve(arr, cap, *n + 1, sz)) {
		errno = ENOMEM;
		return NULL;
	}
	e = (char *)*arr + *n * sz;
	(*n)++;
	memset(e, 0, sz);
	return e;
}
