// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * netproc: the per-process network table. TCP connects and accepts, TCP bytes
 * out/in, UDP datagrams and bytes out/in, retransmits, resets, and the page
 * faults of the same processes; connect latency histograms per process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/tracer.h"
#include "model/grow.h"
#include "model/snapshot.h"
#include "tracers/net/net_engine.h"
#include "tracers/net/net.h"
#include "hub.skel.h"

struct netproc_state {
	struct net_engine net;
	struct proc_table procs;
	struct delta lat; /* cumulative latency counts per tgid and slot */
};

/* In the order of struct net_proc's counters; the page faults come last. */
static const enum metric netproc_metrics[NET_PROC_COUNTERS] = {
	METRIC_TCP_CONNECTS, METRIC_TCP_ACCEPTS,  METRIC_TCP_TX_BYTES, METRIC_TCP_RX_BYTES,
	METRIC_UDP_TX_PKTS,  METRIC_UDP_TX_BYTES, METRIC_UDP_RX_PKTS,  METRIC_UDP_RX_BYTES,
	METRIC_TCP_RETRANS,  METRIC_TCP_RESETS,	  METRIC_MINOR_FAULTS, METRIC_MAJOR_FAULTS,
};

static void netproc_close(void *state)
{
	struct netproc_state *st = state;

	net_engine__close(&st->net);
	proc_table__free(&st->procs);
	delta__free(&st->lat);
}

static int netproc_configure(void *state, struct tracer_env *env)
{
	struct netproc_state *st = state;
	struct net_engine_cfg cfg = { .procs = true };

	return net_engine__configure(&st->net, env, &cfg);
}

static int netproc_start(void *state, struct tracer_env *env)
{
	struct netproc_state *st = state;
	int err;

	err = net_engine__start(&st->net, env);
	if (err)
		return err;
	proc_table__bind(&st->procs, st->net.skel->maps.net_procs, st->net.skel->maps.hub_cells,
			 HUB_PART_netproc, netproc_metrics,
			 NET_PROC_COUNTERS - (st->net.has_faults ? 0 : 2));
	return 0;
}

struct lat_walk {
	struct delta_entry *cur;
	size_t n, cap;
};

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int visit_lat(const void *key, const void *value, int ncpus, void *ctx)
{
	struct lat_walk *w = ctx;
	struct delta_entry *e;

	if (GROW(w->cur, w->cap, w->n + 1))
		return -ENOMEM;
	e = &w->cur[w->n++];
	memset(e, 0, sizeof(*e));
	memcpy(&e->key, key, sizeof(e->key));
	memcpy(&e->v[0], value, sizeof(e->v[0]));
	return 0;
}

/* Add this interval's change of one latency key to hist h. */
static void add_lat(struct hist *h, __u32 slot, __u64 n)
{
	if (slot == NET_LAT_SUM_SLOT) {
		h->sum += n;
	} else if (slot < HIST_SLOTS) {
		h->slots[slot] += n;
		h->count += n;
	}
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
/* The connect latency histograms: one per process that connected, and overall. */
static int collect_latency(struct netproc_state *st, struct snapshot *s)
{
	int fd = bpf_map__fd(st->net.skel->maps.net_lat);
	struct lat_walk w = { 0 };
	struct snap_hist *h = NULL;
	struct hist all = { 0 };
	__u32 tgid = 0;
	int err;

	err = maps__for_each(fd, sizeof(__u64), sizeof(__u64), 0, visit_lat, &w);
	if (!err)
		err = delta__advance(&st->lat, w.cur, w.n); /* sorts by key: by tgid, then slot */
	if (err)
		goto out;
	for (size_t i = 0; i < w.n; i++) {
		const struct delta_entry *e = &w.cur[i];
		__u32 t = (__u32)(e->key >> 32);
		char label[SNAP_LABEL_LEN];

		if (!e->v[0]) {
			/* Reported already: forget a process that is gone. */
			if (kill((pid_t)t, 0) && errno == ESRCH)
				bpf_map_delete_elem(fd, &e->key);
			continue;
		}
		if (!h || t != tgid) {
			snprintf(label, sizeof(label), "pid=%u", t);
			h = snapshot__add_hist(s, "netproc", "tcp_connect_latency", label, "us");
			if (!h) {
				err = -ENOMEM;
				goto out;
			}
			tgid = t;
		}
		add_lat(&h->h, (__u32)e->key, e->v[0]);
		add_lat(&all, (__u32)e->key, e->v[0]);
	}
	h = snapshot__add_hist(s, "netproc", "tcp_connect_latency", "", "us");
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	h->h = all;
out:
	free(w.cur);
	return err;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int netproc_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct netproc_state *st = state;
	__u64 totals[NET_PROC_COUNTERS] = { 0 };
	int err;

	err = proc_table__collect(&st->procs, s, totals);
	if (err)
		return err;
	for (unsigned int i = 0; i < st->procs.ncounters; i++)
		if (metric__info(netproc_metrics[i])->unit == UNIT_COUNT)
			health->events += totals[i];
	err = collect_latency(st, s);
	if (err)
		return err;
	return net_engine__health(&st->net, health);
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer netproc_tracer = {
	.name = "netproc",
	.module = "net",
	.summary = "network per process: TCP connects/accepts/bytes, UDP datagrams/bytes, "
		   "retransmits, resets, page faults; connect latency",
	.examples = "  tracerhub netproc                 # top processes by network use, every second\n"
		    "  tracerhub netproc --sort tcp_tx_bytes -p 1234\n"
		    "  tracerhub netproc -j 5 12         # JSON lines (with latency histograms)\n",
	.time_hists = true,
	.state_size = sizeof(struct netproc_state),
	.probe = rung__probe_any,
	.configure = netproc_configure,
	.start = netproc_start,
	.collect = netproc_collect,
	.close = netproc_close,
};
