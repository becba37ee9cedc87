/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Unit test helpers. A test is `void test_SUITE__CASE(void)` in
 * tests/unit/test_SUITE.c; the build finds it. ASSERT_* record the first
 * failure of the running test and return from it.
 */
#ifndef TRACERHUB_TESTS_UNIT_H
#define TRACERHUB_TESTS_UNIT_H

#include <stdio.h>
#include <string.h>

/* Set by a failing assertion; read and reset by the runner. */
extern int unit_failed;

#define UNIT_FAIL(fmt, ...)                                                                  \
	do {                                                                                 \
		fprintf(stderr, "    %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__);        \
		unit_failed = 1;                                                             \
		return;                                                                      \
	} while (0)

#define ASSERT_TRUE(cond, what)                                                              \
	do {                                                                                 \
		if (!(cond))                                                                 \
			UNIT_FAIL("%s: expected true: %s", what, #cond);                    \
	} while (0)

#define ASSERT_EQ(actual, expected, what)                                                    \
	do {                                                                                 \
		long long a_ = (long long)(actual), e_ = (long long)(expected);              \
		if (a_ != e_)                                                                \
			UNIT_FAIL("%s: got %lld, expected %lld", what, a_, e_);              \
	} while (0)

#define ASSERT_STREQ(actual, expected, what)                                                 \
	do {                                                                                 \
		const char *a_ = (actual), *e_ = (expected);                                 \
		if (strcmp(a_, e_))                                                          \
			UNIT_FAIL("%s: got \"%s\", expected \"%s\"", what, a_, e_);          \
	} while (0)

#endif
