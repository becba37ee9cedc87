// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "model/grow.h"
#include "unit.h"

void test_grow__one_at_a_time_doubles(void)
{
	int *a = NULL;
	size_t cap = 0;

	ASSERT_EQ(GROW(a, cap, 1), 0, "first");
	ASSERT_EQ(cap, 16, "16 at the least");
	for (size_t n = 1; n <= 17; n++) {
		ASSERT_EQ(GROW(a, cap, n), 0, "grow");
		a[n - 1] = (int)n;
	}
	ASSERT_EQ(cap, 32, "doubled once past 16");
	ASSERT_EQ(a[16], 17, "kept and written");
	ASSERT_EQ(a[0], 1, "first element kept");
	free(a);
}

void test_grow__bulk_takes_what_it_asks(void)
{
	char *a = NULL;
	size_t cap = 0;

	ASSERT_EQ(GROW(a, cap, 1000), 0, "bulk");
	ASSERT_EQ(cap, 1000, "exactly n when more than 16");
	ASSERT_EQ(GROW(a, cap, 1001), 0, "one more");
	ASSERT_EQ(cap, 2000, "then doubles");
	ASSERT_EQ(GROW(a, cap, 5000), 0, "far more");
	ASSERT_EQ(cap, 5000, "n when more than twice");
	free(a);
}

void test_grow__never_null_and_overflow(void)
{
	long *a = NULL;
	size_t cap = 0;

	ASSERT_EQ(GROW(a, cap, 0), 0, "n == 0");
	ASSERT_TRUE(a != NULL, "allocated even for nothing");
	ASSERT_EQ(GROW(a, cap, SIZE_MAX / 2), -ENOMEM, "too large");
	ASSERT_EQ(cap, 16, "capacity unchanged on failure");
	ASSERT_TRUE(a != NULL, "array kept on failure");
	free(a);
}
