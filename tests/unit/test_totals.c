// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include "model/totals.h"
#include "unit.h"

/* One interval: pid's row named comm, its histogram labelled label with unit, some health. */
static int interval(struct totals *t, __u32 pid, const char *comm, const char *label,
		    const char *unit)
{
	struct snapshot s = { 0 };
	struct snap_health *h;
	int err;

	snapshot__add_row(&s, pid, comm);
	hist__add(&snapshot__add_hist(&s, "netproc", "tcp_connect_latency", label, unit)->h, 100);
	h = snapshot__add_health(&s, "netproc");
	snprintf(h->rung, sizeof(h->rung), "tp_btf");
	h->events = 10;
	h->drops = 1;
	snapshot__finish(&s);
	err = totals__add(t, &s);
	snapshot__free(&s);
	return err;
}

void test_totals__per_comm_not_per_pid(void)
{
	struct totals t = { 0 };
	char label[32];

	for (__u32 pid = 100; pid < 150; pid++) {
		snprintf(label, sizeof(label), "pid=%u", pid); /* 50 short-lived curls */
		ASSERT_EQ(interval(&t, pid, "curl", label, "us"), 0, "add");
	}
	ASSERT_EQ(interval(&t, 8, "wget", "pid=9,dir=connect", "us"), 0, "pid without a row");
	ASSERT_EQ(t.intervals, 51, "intervals");
	ASSERT_EQ(t.nhists, 2, "curl's series and other's, not one per pid");
	ASSERT_STREQ(t.hists[0].label, "comm=curl", "pid=N became its comm");
	ASSERT_EQ(t.hists[0].total.count, 50, "every curl in it");
	ASSERT_EQ(t.hists[0].last_count, 0, "not in the latest interval");
	ASSERT_STREQ(t.hists[1].label, "comm=other,dir=connect", "no row: other");
	ASSERT_EQ(t.hists[1].last_count, 1, "the latest interval");
	ASSERT_EQ(t.ntracers, 1, "one tracer");
	ASSERT_EQ(t.tracers[0].events, 510, "events since start");
	ASSERT_EQ(t.tracers[0].drops, 51, "drops since start");
	ASSERT_STREQ(t.tracers[0].rung, "tp_btf", "rung");
	totals__free(&t);
}

void test_totals__unit_not_part_of_the_key(void)
{
	struct totals t = { 0 };
	char label[SNAP_LABEL_LEN];
	struct snapshot s = { 0 };

	ASSERT_EQ(interval(&t, 5, "a", "x=1", "us"), 0, "us");
	ASSERT_EQ(interval(&t, 5, "a", "x=1", "ns"), 0, "ns");
	ASSERT_EQ(t.nhists, 1, "one series whatever the unit");
	ASSERT_EQ(t.hists[0].total.count, 2, "both merged");
	t.hists_max = 1;
	ASSERT_EQ(interval(&t, 5, "a", "x=2", "us"), 0, "past the bound");
	ASSERT_EQ(t.nhists, 1, "bounded");
	ASSERT_EQ(t.hists_dropped, 1, "counted as dropped");
	snapshot__add_row(&s, 42, "nginx");
	snapshot__finish(&s);
	ASSERT_STREQ(totals__series_label(label, sizeof(label), "stage=rx,pid=42", &s),
		     "stage=rx,comm=nginx", "pid token replaced in place");
	snapshot__free(&s);
	totals__free(&t);
}
