// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What the dashboard keeps of snapshots: rows coming and going, views, tables, hists, events. */
#include <stdlib.h>
#include "tui/model.h"
#include "unit.h"

#define SEC 1000000000ULL

static __u32 dead_pid;

static bool alive_but_dead_pid(__u32 pid)
{
	return pid != dead_pid;
}

static void add(struct snapshot *s, __u32 pid, const char *comm, __u64 syscalls, __u64 reads)
{
	struct proc_row *r = snapshot__add_row(s, pid, comm);

	r->values[METRIC_SYSCALLS] = syscalls;
	r->values[METRIC_READ_OPS] = reads;
}

static const struct tui_row *row_of(const struct tui_model *m, __u32 pid)
{
	for (size_t i = 0; i < m->nrows; i++)
		if (m->rows[i].r.pid == pid)
			return &m->rows[i];
	return NULL;
}

void test_tui_model__rows_come_and_go(void)
{
	struct snapshot s = {0};
	struct tui_model m = {0};
	const struct tui_row *r;

	s.interval_ns = SEC;
	snapshot__declare_metric(&s, METRIC_SYSCALLS);
	add(&s, 1, "init", 10, 1);
	add(&s, 2, "dies", 20, 2);
	add(&s, 3, "idles", 30, 3);
	snapshot__finish(&s);
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update 1");
	ASSERT_EQ(m.nrows, 3, "three rows");
	ASSERT_EQ(row_of(&m, 2)->state, TUI_ROW_ACTIVE, "nothing is new in the first interval");
	ASSERT_EQ(m.totals[METRIC_SYSCALLS], 60, "totals");

	snapshot__reset(&s);
	s.interval_ns = SEC;
	add(&s, 1, "init", 11, 0);
	add(&s, 4, "born", 5, 0);
	snapshot__finish(&s);
	dead_pid = 2;
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update 2");
	ASSERT_EQ(m.nrows, 4, "two reported, two from before");
	ASSERT_EQ(row_of(&m, 1)->state, TUI_ROW_ACTIVE, "still there");
	ASSERT_EQ(row_of(&m, 4)->state, TUI_ROW_NEW, "new");
	r = row_of(&m, 2);
	ASSERT_EQ(r->state, TUI_ROW_EXITED, "exited: faded");
	ASSERT_EQ(r->r.values[METRIC_SYSCALLS], 0, "no counts for it");
	ASSERT_STREQ(r->r.comm, "dies", "name kept");
	ASSERT_EQ(row_of(&m, 3)->state, TUI_ROW_IDLE, "alive but quiet");
	ASSERT_EQ(m.nprev, 2, "reported rows");
	ASSERT_EQ(m.totals[METRIC_SYSCALLS], 16, "totals of this interval only");
	ASSERT_EQ(m.elapsed_ns, 2 * SEC, "uptime");
	ASSERT_TRUE(m.metrics_present & (1ULL << METRIC_SYSCALLS), "metrics stay present");

	snapshot__reset(&s);
	s.interval_ns = SEC;
	snapshot__finish(&s);
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update 3");
	ASSERT_EQ(m.nrows, 2, "the exited and idle ones are gone after one interval");
	ASSERT_TRUE(!row_of(&m, 2) && !row_of(&m, 3), "gone");
	ASSERT_EQ(row_of(&m, 1)->state, TUI_ROW_IDLE, "now idle");
	snapshot__free(&s);
	tui_model__free(&m);
}

void test_tui_model__sort_and_filter(void)
{
	struct snapshot s = {0};
	struct tui_model m = {0};
	size_t idx[8], n;

	s.interval_ns = SEC;
	add(&s, 300, "nginx", 5, 50);
	add(&s, 120, "Postgres", 90, 1);
	add(&s, 1234, "bash", 5, 7);
	add(&s, 7, "systemd", 1, 0);
	snapshot__finish(&s);
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update");

	n = tui_model__view(&m, METRIC_SYSCALLS, false, "", idx);
	ASSERT_EQ(n, 4, "all");
	ASSERT_EQ(m.rows[idx[0]].r.pid, 120, "largest first");
	ASSERT_EQ(m.rows[idx[1]].r.pid, 300, "tie by pid");
	ASSERT_EQ(m.rows[idx[2]].r.pid, 1234, "tie by pid");
	ASSERT_EQ(m.rows[idx[3]].r.pid, 7, "smallest last");
	n = tui_model__view(&m, METRIC_SYSCALLS, true, "", idx);
	ASSERT_EQ(m.rows[idx[0]].r.pid, 7, "inverted");
	n = tui_model__view(&m, TUI_SORT_COMM, false, "", idx);
	ASSERT_STREQ(m.rows[idx[0]].r.comm, "Postgres", "names ascending (bytewise)");
	ASSERT_STREQ(m.rows[idx[3]].r.comm, "systemd", "names ascending");
	n = tui_model__view(&m, TUI_SORT_PID, false, "", idx);
	ASSERT_EQ(m.rows[idx[0]].r.pid, 7, "pids ascending");
	n = tui_model__view(&m, METRIC_READ_OPS, false, "post", idx);
	ASSERT_EQ(n, 1, "comm substring, any case");
	ASSERT_EQ(m.rows[idx[0]].r.pid, 120, "postgres");
	n = tui_model__view(&m, METRIC_READ_OPS, false, "12", idx);
	ASSERT_EQ(n, 2, "pid prefix: 120 and 1234");
	n = tui_model__view(&m, METRIC_READ_OPS, false, "zzz", idx);
	ASSERT_EQ(n, 0, "nothing");
	snapshot__free(&s);
	tui_model__free(&m);
}

void test_tui_model__tables_hists_events(void)
{
	static const char *const cols[] = {"count", "avg_ns"};
	static const char *const units[] = {"calls", "ns"};
	struct snapshot s = {0};
	struct tui_model m = {0};
	struct snap_table *t;
	struct snap_hist *h;
	size_t idx[4], n;
	char argv[2000];

	for (int round = 0; round < 2; round++) {
		snapshot__reset(&s);
		s.interval_ns = SEC;
		t = snapshot__add_table(&s, "syscalls", "syscalls", "syscall", 2, cols, units);
		snap_table__add_row(t, "read")->v[0] = 10;
		snap_table__add_row(t, "write")->v[0] = 30;
		snap_table__add_row(t, "openat")->v[0] = 20;
		h = snapshot__add_hist(&s, "bio", "latency", "disk=sda", "us");
		hist__add(&h->h, 3);
		hist__add(&h->h, 100);
		for (int e = 0; e < TUI_EVENTS_KEPT / 2 + 10; e++) {
			struct snap_event *ev =
			    snapshot__add_event(&s, "tcp", (__u64)e, 42, "curl");

			snap_event__num(ev, "seq", (__u64)(round * 1000 + e));
		}
		snapshot__finish(&s);
		ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update");
	}
	ASSERT_EQ(m.ntables, 1, "one slot per tracer/name");
	n = tui_table__view(&m.tables[0], 0, false, "", idx);
	ASSERT_EQ(n, 3, "rows of the latest interval only");
	ASSERT_STREQ(m.tables[0].rows[idx[0]].key, "write", "largest count first");
	n = tui_table__view(&m.tables[0], -1, false, "", idx);
	ASSERT_STREQ(m.tables[0].rows[idx[0]].key, "openat", "by key");
	n = tui_table__view(&m.tables[0], 0, false, "RE", idx);
	ASSERT_EQ(n, 1, "filter on the key");
	ASSERT_EQ(m.since.nhists, 1, "one histogram per tracer/name/label");
	ASSERT_EQ(m.since.hists[0].total.count, 4, "summed since the start");
	ASSERT_EQ(m.since.hists[0].last_count, 2, "latest interval");
	ASSERT_EQ(m.events.nevents, TUI_EVENTS_KEPT, "ring full");
	ASSERT_EQ(tui_model__event(&m, 0)->fields[0].num, 1000 + TUI_EVENTS_KEPT / 2 + 9,
		  "newest first");
	ASSERT_EQ(tui_model__event(&m, TUI_EVENTS_KEPT - 1)->fields[0].num, 20, "oldest kept");
	ASSERT_TRUE(tui_model__event(&m, TUI_EVENTS_KEPT) == NULL, "past the end");

	/* a long argv is kept whole, past the interval that brought it */
	snapshot__reset(&s);
	s.interval_ns = SEC;
	memset(argv, 'a', sizeof(argv) - 1);
	argv[sizeof(argv) - 1] = '\0';
	snap_event__str_cut(&s, snapshot__add_event(&s, "exec", 1, 42, "sh"), "argv", argv, false);
	snapshot__finish(&s);
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update");
	snapshot__reset(&s);
	snapshot__finish(&s);
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update");
	ASSERT_STREQ(snapshot__str(&m.events, &tui_model__event(&m, 0)->fields[0]), argv,
		     "whole argv kept");
	ASSERT_EQ(tui_model__event(&m, TUI_EVENTS_KEPT - 1)->fields[0].num, 21, "oldest moved on");

	/* a table missing from an interval keeps its slot, empty */
	snapshot__reset(&s);
	s.interval_ns = SEC;
	snapshot__finish(&s);
	ASSERT_EQ(tui_model__update(&m, &s, alive_but_dead_pid), 0, "update");
	ASSERT_EQ(m.ntables, 1, "slot kept");
	ASSERT_EQ(m.tables[0].nrows, 0, "empty");
	ASSERT_EQ(m.since.hists[0].last_count, 0, "nothing new");
	snapshot__free(&s);
	tui_model__free(&m);
}
