// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Unit test runner: prints "#N name:OK|FAIL" per test, exits 1 if any failed. */
#include <stdio.h>
#include <string.h>
#include "unit.h"

int unit_failed;

#define TEST(name) void name(void);
#include "gen/unit_tests.h"
#undef TEST

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define TEST(name) { #name, name },
#include "gen/unit_tests.h"
#undef TEST
};

int main(int argc, char **argv)
{
	int failed = 0, n = 0;

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		unit_failed = 0;
		tests[i].fn();
		printf("#%d %s:%s\n", ++n, tests[i].name, unit_failed ? "FAIL" : "OK");
		failed += unit_failed;
	}
	return failed ? 1 : 0;
}
