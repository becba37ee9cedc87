// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <unistd.h>
#include "core/parents.h"
#include "model/snapshot.h"
#include "unit.h"

#define GONE_PID 0x7ffffff0u /* past any pid_max */

/* A snapshot with rows for this process and for a pid nobody has. */
static void rows(struct snapshot *s, bool self)
{
	snapshot__reset(s);
	if (self)
		snapshot__add_row(s, (__u32)getpid(), "unit");
	snapshot__add_row(s, GONE_PID, "gone");
	snapshot__finish(s);
}

/* Parents come from /proc once per pid and are kept while the pid stays in every interval. */
void test_parents__read_once_kept_while_present(void)
{
	struct parents p = { 0 };
	struct snapshot s = { 0 };

	rows(&s, true);
	ASSERT_EQ(parents__fill(&p, &s), 0, "fill");
	ASSERT_EQ(snapshot__find_row(&s, (__u32)getpid())->ppid, (__u32)getppid(), "from /proc");
	ASSERT_EQ(snapshot__find_row(&s, GONE_PID)->ppid, 0, "unknown: 0");
	p.known[0].ppid = 12345; /* not read again while the pid stays */
	rows(&s, true);
	ASSERT_EQ(parents__fill(&p, &s), 0, "fill");
	ASSERT_EQ(snapshot__find_row(&s, (__u32)getpid())->ppid, 12345, "kept");
	rows(&s, false); /* an interval without it: forgotten, read again when it comes back */
	ASSERT_EQ(parents__fill(&p, &s), 0, "fill");
	rows(&s, true);
	ASSERT_EQ(parents__fill(&p, &s), 0, "fill");
	ASSERT_EQ(snapshot__find_row(&s, (__u32)getpid())->ppid, (__u32)getppid(), "read again");
	parents__free(&p);
	snapshot__free(&s);
}
