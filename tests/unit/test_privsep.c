// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/snapshot.h"
#include "web/privsep.h"
#include "unit.h"

static const char *const cols[] = {"count", "errors"};
static const char *const units[] = {"calls", "calls"};

static char long_argv[1000];

/* A snapshot with two of everything. */
static void fill(struct snapshot *s)
{
	memset(long_argv, 'a', sizeof(long_argv) - 1);
	s->ts_ns = 123456789;
	s->interval_ns = 500000000;
	s->events_lost = 2;
	snapshot__event_count(s, "shell")->lost = 2;
	snapshot__declare_metric(s, METRIC_SYSCALLS);
	for (__u32 pid = 10; pid < 12; pid++) {
		struct snap_table *t = snapshot__add_table(s, "syscalls", "syscalls", "syscall", 2,
							   cols, units);
		struct snap_event *e = snapshot__add_event(s, "exec", 99, pid, "sh");

		snapshot__add_row(s, pid, "worker")->values[METRIC_SYSCALLS] = pid * 3;
		hist__add(&snapshot__add_hist(s, "syscalls", "syscall_latency", "", "ns")->h, pid);
		snap_table__add_row(t, "read")->v[1] = pid;
		snap_table__add_row(t, "write")->v[0] = pid + 1;
		snap_event__str(e, "file", "/bin/x");
		snap_event__str_cut(s, e, "argv", long_argv, false);
		snap_event__num(e, "n", pid);
		snapshot__add_health(s, "syscalls")->events = pid;
	}
	snapshot__finish(s);
}

void test_privsep__frame_round_trip(void)
{
	struct snapshot s = {0}, d = {0};
	char *buf;
	size_t len;

	fill(&s);
	ASSERT_EQ(privsep__encode(&s, 1, &buf, &len), 0, "encode");
	ASSERT_EQ(privsep__decode(&d, buf, len), 0, "decode");
	ASSERT_EQ(d.ts_ns, s.ts_ns, "ts");
	ASSERT_EQ(d.interval_ns, s.interval_ns, "interval");
	ASSERT_EQ(d.metrics_present, s.metrics_present, "metrics");
	ASSERT_EQ(d.nrows, 2, "rows");
	ASSERT_EQ(d.rows[1].values[METRIC_SYSCALLS], 33, "row value");
	ASSERT_STREQ(d.rows[0].comm, "worker", "comm");
	ASSERT_EQ(d.nhists, 2, "hists");
	ASSERT_TRUE(!memcmp(&d.hists[1], &s.hists[1], sizeof(s.hists[1])), "hist");
	ASSERT_EQ(d.ntables, 2, "tables");
	ASSERT_EQ(d.tables[1].nrows, 2, "table rows");
	ASSERT_EQ(d.tables[1].rows[1].v[0], 12, "table value");
	ASSERT_TRUE(d.tables[0].cols[1] == cols[1], "static column names");
	ASSERT_EQ(d.nevents, 1, "events cut to max_events");
	ASSERT_EQ(d.events_lost, 3, "the cut ones counted");
	ASSERT_EQ(d.nevent_counts, 2, "event counts");
	ASSERT_EQ(d.event_counts[0].lost, 2, "a tracer's losses past its cap");
	ASSERT_EQ(d.event_counts[1].kept, 2, "another's kept events");
	ASSERT_STREQ(d.events[0].fields[0].str, "/bin/x", "event field");
	ASSERT_STREQ(snapshot__str(&d, &d.events[0].fields[1]), long_argv, "long string whole");
	ASSERT_EQ(d.nhealth, 2, "health");
	ASSERT_EQ(d.health[1].events, 11, "health events");
	/* a frame cut short or with bytes to spare is refused, s left empty */
	ASSERT_EQ(privsep__decode(&d, buf, len - 1), -EPROTO, "short");
	ASSERT_EQ(d.nrows, 0, "empty after a refused frame");
	ASSERT_EQ(privsep__decode(&d, buf, 8), -EPROTO, "header only");
	free(buf);
	snapshot__free(&s);
	snapshot__free(&d);
}
