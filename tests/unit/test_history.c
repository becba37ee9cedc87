// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "model/history.h"
#include "unit.h"

static const char *const cols[] = {"count"};
static const char *const units[] = {"calls"};

/* A snapshot with one of everything, stamped ts. */
static void fill(struct snapshot *s, __u64 ts, int nevents)
{
	struct snap_table *t;
	struct snap_hist *h;

	s->ts_ns = ts;
	s->interval_ns = 1000;
	snapshot__declare_metric(s, METRIC_SYSCALLS);
	snapshot__add_row(s, 42, "worker")->values[METRIC_SYSCALLS] = ts * 10;
	h = snapshot__add_hist(s, "syscalls", "syscall_latency", "syscall=read", "ns");
	hist__add(&h->h, 100);
	t = snapshot__add_table(s, "syscalls", "syscalls", "syscall", 1, cols, units);
	snap_table__add_row(t, "read")->v[0] = ts;
	for (int i = 0; i < nevents; i++)
		snap_event__num(snapshot__add_event(s, "exec", ts, 7, "sh"), "n", (__u64)i);
	snapshot__add_health(s, "syscalls")->events = ts;
}

void test_history__ring_keeps_newest(void)
{
	struct history h;
	struct snapshot s = {0};

	ASSERT_EQ(history__init(&h, 3, 16), 0, "init");
	ASSERT_TRUE(history__latest(&h) == NULL, "empty");
	for (__u64 ts = 1; ts <= 5; ts++) {
		fill(&s, ts, 0);
		ASSERT_EQ(history__push(&h, &s), 0, "push");
		snapshot__reset(&s);
	}
	ASSERT_EQ(h.n, 3, "bounded");
	ASSERT_EQ(h.pushed, 5, "sequence");
	ASSERT_EQ(history__at(&h, 0)->ts_ns, 3, "oldest kept");
	ASSERT_EQ(history__at(&h, 2)->ts_ns, 5, "newest last");
	ASSERT_EQ(history__latest(&h)->rows[0].values[METRIC_SYSCALLS], 50, "row copied");
	ASSERT_TRUE(history__at(&h, 3) == NULL, "past the end");
	ASSERT_EQ(history__init(&h, 0, 1) == -22, 1, "cap 0 refused");
	history__free(&h);
	snapshot__free(&s);
}

void test_history__deep_copy(void)
{
	struct snapshot src = {0}, dst = {0};

	fill(&src, 9, 5);
	src.events_lost = 1;
	ASSERT_EQ(snapshot__copy(&dst, &src, 2), 0, "copy");
	/* the source is reused by the session: the copy must not share memory with it */
	src.tables[0].rows[0].v[0] = 1234;
	src.rows[0].values[METRIC_SYSCALLS] = 0;
	snapshot__free(&src);
	ASSERT_EQ(dst.ts_ns, 9, "ts");
	ASSERT_EQ(dst.nrows, 1, "rows");
	ASSERT_EQ(dst.rows[0].values[METRIC_SYSCALLS], 90, "row value");
	ASSERT_EQ(dst.ntables, 1, "tables");
	ASSERT_EQ(dst.tables[0].rows[0].v[0], 9, "table rows copied, not shared");
	ASSERT_STREQ(dst.tables[0].cols[0], "count", "column names");
	ASSERT_EQ(dst.hists[0].h.count, 1, "hist");
	ASSERT_EQ(dst.nevents, 2, "events capped");
	ASSERT_EQ(dst.events_lost, 4, "capped events counted as lost");
	ASSERT_EQ(dst.events[1].fields[0].num, 1, "event fields");
	ASSERT_EQ(dst.health[0].events, 9, "health");
	ASSERT_TRUE(dst.metrics_present & (1ULL << METRIC_SYSCALLS), "metrics present");
	/* copying again reuses dst's memory */
	fill(&src, 10, 0);
	ASSERT_EQ(snapshot__copy(&dst, &src, 2), 0, "copy again");
	ASSERT_EQ(dst.nevents, 0, "no events");
	ASSERT_EQ(dst.tables[0].rows[0].v[0], 10, "new table rows");
	snapshot__free(&src);
	snapshot__free(&dst);
}
