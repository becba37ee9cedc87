// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "model/delta.h"
#include "unit.h"

void test_delta__advance(void)
{
	struct delta d = { 0 };
	struct delta_entry a[2] = { { .key = 7, .v = { 10, 1 } }, { .key = 3, .v = { 5 } } };
	struct delta_entry b[3] = { { .key = 3, .v = { 8 } },
				    { .key = 9, .v = { 4 } },
				    { .key = 7, .v = { 10, 3 } } };
	struct delta_entry c[1] = { { .key = 7, .v = { 2, 3 } } };
	struct delta_entry e[1] = { { .key = 7, .v = { 11, 3 } } };

	ASSERT_EQ(delta__advance(&d, a, 2), 0, "first");
	ASSERT_EQ(a[0].key, 3, "sorted");
	ASSERT_EQ(a[0].v[0], 5, "first delta is the full value");
	ASSERT_EQ(delta__advance(&d, b, 3), 0, "second");
	ASSERT_EQ(b[0].v[0], 3, "key 3 grew by 3");
	ASSERT_EQ(b[1].v[0], 0, "key 7 unchanged");
	ASSERT_EQ(b[1].v[1], 2, "key 7 second value grew by 2");
	ASSERT_EQ(b[2].v[0], 4, "new key 9");
	/* a short read of key 7 changes nothing and is not counted again later */
	ASSERT_EQ(delta__advance(&d, c, 1), 0, "third");
	ASSERT_EQ(c[0].v[0], 0, "short read changes by 0");
	ASSERT_EQ(delta__advance(&d, e, 1), 0, "fourth");
	ASSERT_EQ(e[0].v[0], 1, "counted from the highest value seen");
	delta__free(&d);
}

void test_delta__merge(void)
{
	struct delta_entry a[4] = { { .key = 7, .v = { 1, 2 } },
				    { .key = 3, .v = { 5 } },
				    { .key = 7, .v = { 10, 20 } },
				    { .key = 7, .v = { 100 } } };

	ASSERT_EQ(delta__merge(a, 4), 2, "one entry per key");
	ASSERT_EQ(a[0].key, 3, "sorted");
	ASSERT_EQ(a[0].v[0], 5, "a single entry unchanged");
	ASSERT_EQ(a[1].key, 7, "merged key");
	ASSERT_EQ(a[1].v[0], 111, "first values added");
	ASSERT_EQ(a[1].v[1], 22, "second values added");
	ASSERT_EQ(delta__merge(a, 0), 0, "empty");
}

/* A key missing from some reads, kept for d.keep of them: not counted in full again. */
void test_delta__keep_missing(void)
{
	struct delta d = { .keep = 2 };
	struct delta_entry a[2] = { { .key = 3, .v = { 5 } }, { .key = 7, .v = { 10 } } };
	struct delta_entry b[1] = { { .key = 3, .v = { 6 } } };
	struct delta_entry c[2] = { { .key = 3, .v = { 6 } }, { .key = 7, .v = { 12 } } };
	struct delta_entry e[1] = { { .key = 3, .v = { 6 } } };
	struct delta_entry f[1] = { { .key = 3, .v = { 6 } } };
	struct delta_entry g[1] = { { .key = 3, .v = { 6 } } };
	struct delta_entry h[1] = { { .key = 7, .v = { 4 } } };
	struct delta_entry i[1] = { { .key = 3, .v = { 9 } } };

	ASSERT_EQ(delta__advance(&d, a, 2), 0, "first");
	ASSERT_EQ(delta__advance(&d, b, 1), 0, "7 missing");
	ASSERT_EQ(delta__advance(&d, c, 2), 0, "7 back");
	ASSERT_EQ(c[1].v[0], 2, "7 changed by what it gained while missing");
	/* missing three reads in a row: forgotten after keep = 2 */
	ASSERT_EQ(delta__advance(&d, e, 1), 0, "7 missing once");
	ASSERT_EQ(delta__advance(&d, f, 1), 0, "7 missing twice");
	ASSERT_EQ(delta__advance(&d, g, 1), 0, "7 missing thrice");
	ASSERT_EQ(d.nprev, 1, "7 forgotten");
	ASSERT_EQ(delta__advance(&d, h, 1), 0, "7 new");
	ASSERT_EQ(h[0].v[0], 4, "a forgotten key changes by its full value");
	delta__forget(&d, 3);
	ASSERT_EQ(delta__advance(&d, i, 1), 0, "3 after forget");
	ASSERT_EQ(i[0].v[0], 9, "a forgotten key changes by its full value");
	delta__forget(&d, 42); /* an unknown key: nothing */
	delta__free(&d);
}
