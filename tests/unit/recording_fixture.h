/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A made-up recording's intervals, shared by the store's unit tests and the
 * reader's fuzzer (tests/fuzz/fuzz_reader.c): process rows, a histogram, a
 * table, events of typed kinds (with fields no column takes) and health.
 */
#ifndef TRACERHUB_TESTS_RECORDING_FIXTURE_H
#define TRACERHUB_TESTS_RECORDING_FIXTURE_H

#include <stdio.h>
#include <unistd.h>
#include "model/metric.h"
#include "model/snapshot.h"

/* Interval k (1, 2, ...) of a made-up recording. */
static inline void fixture__fill(struct snapshot *s, int k)
{
	static const char *const cols[] = {"count", "errors", "avg_ns"};
	static const char *const units[] = {"calls", "calls", "ns"};
	struct snap_table *t;
	struct snap_table_row *tr;
	struct snap_hist *h;
	struct snap_event *e;
	struct snap_health *hl;
	struct proc_row *r;

	snapshot__reset(s);
	s->ts_ns = 1763892000000000000ULL + (__u64)k * 1000000000ULL;
	s->interval_ns = 1000000000ULL;
	snapshot__declare_metric(s, METRIC_SYSCALLS);
	snapshot__declare_metric(s, METRIC_READ_BYTES);
	snapshot__declare_metric(s, METRIC_RUNQ_P99_NS);
	r = snapshot__add_row(s, 100, "nginx");
	r->ppid = 1;
	r->values[METRIC_SYSCALLS] = 10 * (__u64)k;
	r->values[METRIC_READ_BYTES] = 4096;
	r->values[METRIC_RUNQ_P99_NS] = 1000 * (__u64)k;
	r = snapshot__add_row(s, 7, "curl");
	r->values[METRIC_SYSCALLS] = 3;
	snapshot__finish(s);
	h = snapshot__add_hist(s, "syscalls", "syscall_latency", "", "ns");
	hist__add(&h->h, 100);
	hist__add(&h->h, 5000);
	t = snapshot__add_table(s, "syscalls", "syscalls", "syscall", 3, cols, units);
	tr = snap_table__add_row(t, "read");
	tr->v[0] = 10;
	tr->v[1] = 1;
	tr->v[2] = 100 * (__u64)k;
	/* typed columns, fields without a column (skb, lat_us), stages in time order */
	e = snapshot__add_event(s, "pktjourney", s->ts_ns - 5, 100, "nginx");
	snap_event__num(e, "id", (__u64)k);
	snap_event__num(e, "skb", 0xffff888101234500ULL + (__u64)k);
	snap_event__num(e, "lat_us", 7 * (__u64)k);
	snap_event__str(e, "fate", "dropped");
	snap_event__num(e, "head_addr", 0xffff888101234500ULL + (__u64)k);
	snap_event__num(e, "rx_ns", 30);
	snap_event__num(e, "send_ns", 40);
	e = snapshot__add_event(s, "tcpconnect", s->ts_ns - 3, 7, "curl");
	snap_event__str(e, "dir", "connect");
	snap_event__str(e, "saddr", "10.0.0.1");
	snap_event__str(e, "daddr", "fe80::1");
	snap_event__num(e, "dport", 443);
	snap_event__num(e, "sk_addr", 0xFFFF8881AA000000ULL);
	snap_event__str(e, "result", "ok");
	snapshot__event_count(s, "exec")->lost = 7 * (__u64)k; /* past its cap */
	s->events_lost = 7 * (__u64)k;
	hl = snapshot__add_health(s, "syscalls");
	snprintf(hl->rung, sizeof(hl->rung), "raw_tp");
	hl->events = 13;
	hl->drops = (__u64)k;
	hl->cost.run_ns = 1300;
	hl->cost.run_cnt = 13;
	hl->nprogs = 2;
}

/* Remove the recording at path and its -wal and -shm. */
static inline void fixture__unlink(const char *path)
{
	char buf[300];

	unlink(path);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	unlink(buf);
}

#endif
