// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bio: block request latency histograms (queued and device time, per disk
 * and op), request sizes, requests and bytes per process, slow requests.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "core/clock.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/tracer.h"
#include "model/grow.h"
#include "model/snapshot.h"
#include "tracers/bio/bio.h"
#include "core/hub.h"
#include "hub.skel.h"

#define DISK_CACHE	    64
#define DISK_NAME_LEN	    32
#define EXPIRE_DEFAULT_NS   (60ULL * 1000000000ULL)
#define NS_PER_MS	    1000000.0

/* Long-only option keys, clear of the common options' (256 and up in cmd/args.c). */
enum {
	OPT_SLOW = 1024,
	OPT_EXPIRE,
};

/* Cumulative histograms of one key, as last read. */
struct hist_prev {
	struct bio_hist_key key;
	struct bio_hist sum;
};

struct disk_name {
	__u32 dev;
	char name[DISK_NAME_LEN];
};

struct bio_state {
	bool queued, per_disk, per_op, size, ms, slow; /* -Q -D -F -s -m --slow */
	__u64 slow_ns;
	__u64 expire_ns; /* --expire, 0 for the default */

	struct hub_bpf *skel;
	struct snapshot *live; /* slow events go here */
	const struct clock_wall *wall; /* the core's: event stamps to wall-clock time */
	struct proc_table procs;
	struct hist_prev *prev;
	size_t nprev, prev_cap;
	__u64 stats_prev[BIO_STAT_MAX];
	__u64 expired;
	struct disk_name disks[DISK_CACHE];
	size_t ndisks;
};

static const enum metric proc_metrics[BIO_PROC_COUNTERS] = { METRIC_DISK_REQS, METRIC_DISK_BYTES };

static const struct tracer_option bio_options[] = {
	{ "queued", 'Q', NULL, "latency includes queued time (insert -> complete)" },
	{ "disks", 'D', NULL, "a histogram per disk" },
	{ "ops", 'F', NULL, "a histogram per op (read, write, flush, discard; +sync)" },
	{ "size", 's', NULL, "also a histogram of request sizes (B)" },
	{ "milliseconds", 'm', NULL, "latency histograms in ms (default us)" },
	{ "slow", OPT_SLOW, "MS", "report each request slower than MS milliseconds" },
	{ "expire", OPT_EXPIRE, "S", "forget requests in flight for over S seconds (default 60)" },
	{ NULL },
};

/* A number of milliseconds (or seconds) from lo to hi, decimals allowed, as ns. */
static int parse_ns(const char *s, double unit_ns, double lo, double hi, __u64 *ns)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return -EINVAL;
	*ns = (__u64)(v * unit_ns + 0.5);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int bio_set_option(void *state, int key, const char *arg)
{
	struct bio_state *st = state;

	switch (key) {
	case 'Q':
		st->queued = true;
		return 0;
	case 'D':
		st->per_disk = true;
		return 0;
	case 'F':
		st->per_op = true;
		return 0;
	case 's':
		st->size = true;
		return 0;
	case 'm':
		st->ms = true;
		return 0;
	case OPT_SLOW:
		if (parse_ns(arg, NS_PER_MS, 0, 3600e3, &st->slow_ns)) {
			log__error("invalid --slow '%s': milliseconds from 0 to 3600000, e.g. 10 "
				   "or 0.5", arg);
			return -EINVAL;
		}
		st->slow = true;
		return 0;
	case OPT_EXPIRE:
		if (parse_ns(arg, 1e3 * NS_PER_MS, 0.001, 86400, &st->expire_ns)) {
			log__error("invalid --expire '%s': seconds from 0.001 to 86400", arg);
			return -EINVAL;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

static void bio_close(void *state)
{
	struct bio_state *st = state;

	st->skel = NULL;
	proc_table__free(&st->procs);
	free(st->prev);
	st->prev = NULL;
	st->nprev = st->prev_cap = 0;
	memset(st->stats_prev, 0, sizeof(st->stats_prev));
	st->expired = 0;
	st->ndisks = 0;
}

/* Name of disk dev (kernel dev_t) from /sys/dev/block/MAJ:MIN/uevent, else "MAJ:MIN". */
static const char *disk_name(struct bio_state *st, __u32 dev)
{
	unsigned int major = dev >> 20, minor = dev & 0xfffff;
	struct disk_name *d;
	char path[64], line[128];
	size_t n;
	FILE *f;

	for (size_t i = 0; i < st->ndisks; i++)
		if (st->disks[i].dev == dev)
			return st->disks[i].name;
	/* A full cache starts over: names are read again, never wrong for long. */
	if (st->ndisks == DISK_CACHE)
		st->ndisks = 0;
	d = &st->disks[st->ndisks++];
	d->dev = dev;
	snprintf(d->name, sizeof(d->name), "%u:%u", major, minor);
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", major, minor);
	f = fopen(path, "re");
	if (!f)
		return d->name;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		n = strcspn(line + 8, "\n");
		n = n < sizeof(d->name) - 1 ? n : sizeof(d->name) - 1;
		memcpy(d->name, line + 8, n);
		d->name[n] = '\0';
		break;
	}
	fclose(f);
	return d->name;
}

/* "read", "write+sync", ... */
static const char *op_name(__u32 op, char *buf, size_t len)
{
	static const char *const names[] = {
		[BIO_OP_READ] = "read",	      [BIO_OP_WRITE] = "write", [BIO_OP_FLUSH] = "flush",
		[BIO_OP_DISCARD] = "discard", [BIO_OP_OTHER] = "other",
	};
	__u32 base = op & ~(__u32)BIO_OP_SYNC;

	snprintf(buf, len, "%s%s", base <= BIO_OP_OTHER ? names[base] : "other",
		 op & BIO_OP_SYNC ? "+sync" : "");
	return buf;
}

static int on_slow(void *ctx, void *data, size_t size)
{
	struct bio_state *st = ctx;
	const struct bio_slow_event *ev = data;
	char comm[BIO_COMM_LEN + 1] = { 0 }, op[24];
	struct snap_event *e;

	if (size < sizeof(*ev))
		return 0;
	memcpy(comm, ev->comm, BIO_COMM_LEN);
	e = snapshot__add_event(st->live, "bio", clock_wall__of(st->wall, ev->ts), ev->tgid, comm);
	if (!e)
		return 0; /* counted in the snapshot's events_lost */
	snap_event__str(e, "disk", disk_name(st, ev->dev));
	snap_event__str(e, "op", op_name(ev->op, op, sizeof(op)));
	snap_event__num(e, "sector", ev->sector);
	snap_event__typed(e, "bytes", ev->bytes, SNAP_NUM_BYTES);
	snap_event__typed(e, "queue_us", ev->queue_ns / 1000, SNAP_NUM_US);
	snap_event__typed(e, "device_us", ev->device_ns / 1000, SNAP_NUM_US);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int bio_configure(void *state, struct tracer_env *env)
{
	struct bio_state *st = state;
	struct hub_bpf *skel = env->skel;

	skel->rodata->targ_ms = st->ms;
	skel->rodata->targ_per_disk = st->per_disk;
	skel->rodata->targ_per_op = st->per_op;
	skel->rodata->targ_queued = st->queued;
	skel->rodata->targ_size = st->size;
	skel->rodata->targ_slow = st->slow;
	skel->rodata->targ_slow_ns = st->slow_ns;
	skel->rodata->targ_split = st->per_disk || st->per_op;
	if (!skel->rodata->targ_split)
		bpf_map__set_max_entries(skel->maps.bio_hists, 1);
	if (!st->slow)
		bpf_map__set_max_entries(skel->maps.bio_events, getpagesize());
	hub__use(env->hub, HUB_bio__block_rq_insert);
	hub__use(env->hub, HUB_bio__block_rq_issue);
	hub__use(env->hub, HUB_bio__block_rq_complete);
	hub__use(env->hub, HUB_bio__block_rq_requeue);
	hub__use(env->hub, HUB_bio__block_rq_merge);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int bio_start(void *state, struct tracer_env *env)
{
	struct bio_state *st = state;
	int err;

	st->skel = env->skel;
	st->live = env->live;
	st->wall = env->wall;
	if (st->slow) {
		err = tracer_env__add_ring(env, bpf_map__fd(st->skel->maps.bio_events), on_slow, st);
		if (err)
			return err;
	}
	proc_table__bind(&st->procs, st->skel->maps.bio_procs, st->skel->maps.hub_cells,
			 HUB_PART_bio, proc_metrics, BIO_PROC_COUNTERS);
	return 0;
}

struct hist_walk {
	struct bio_state *st;
	size_t key_size; /* bio_hist_key, or __u32 0 of the unsplit array */
	struct hist_prev *cur; /* this interval's deltas */
	size_t n, cap;
};

/* dst = sum over CPUs of the cumulative histograms in values. */
static void sum_cpus(struct bio_hist *dst, const void *values, int ncpus)
{
	size_t stride = maps__percpu_stride(sizeof(struct bio_hist));
	const size_t nwords = sizeof(struct bio_hist) / sizeof(__u64);
	__u64 *d = (__u64 *)dst;

	memset(dst, 0, sizeof(*dst));
	for (int c = 0; c < ncpus; c++) {
		const __u64 *v = (const __u64 *)((const char *)values + c * stride);

		for (size_t i = 0; i < nwords; i++)
			d[i] += v[i];
	}
}

/* Turn one key's cumulative histograms into this interval's, remembering the sums. */
static int visit_hist(const void *key, const void *values, int ncpus, void *ctx)
{
	struct hist_walk *w = ctx;
	struct bio_state *st = w->st;
	const size_t nwords = sizeof(struct bio_hist) / sizeof(__u64);
	struct hist_prev *prev = NULL, *cur;
	__u64 *d, *p;

	if (GROW(w->cur, w->cap, w->n + 1))
		return -ENOMEM;
	cur = &w->cur[w->n++];
	memset(&cur->key, 0, sizeof(cur->key));
	memcpy(&cur->key, key, w->key_size);
	sum_cpus(&cur->sum, values, ncpus);
	for (size_t i = 0; i < st->nprev && !prev; i++)
		if (!memcmp(&st->prev[i].key, &cur->key, sizeof(cur->key)))
			prev = &st->prev[i];
	if (!prev) {
		if (GROW(st->prev, st->prev_cap, st->nprev + 1))
			return -ENOMEM;
		prev = &st->prev[st->nprev++];
		memset(prev, 0, sizeof(*prev));
		prev->key = cur->key;
	}
	d = (__u64 *)&cur->sum;
	p = (__u64 *)&prev->sum;
	for (size_t i = 0; i < nwords; i++) {
		__u64 now = d[i];

		/* Only ever counting up: a short read changes by 0 (see delta.h). */
		d[i] = now >= p[i] ? now - p[i] : 0;
		p[i] = now >= p[i] ? now : p[i];
	}
	return 0;
}

/* Label of a histogram key: "disk=loop0,op=read", "" when not split. */
static void key_label(struct bio_state *st, const struct bio_hist_key *k, char *buf, size_t len)
{
	char op[24];

	op_name(k->op, op, sizeof(op));
	if (st->per_disk && st->per_op)
		snprintf(buf, len, "disk=%s,op=%s", disk_name(st, k->dev), op);
	else if (st->per_disk)
		snprintf(buf, len, "disk=%s", disk_name(st, k->dev));
	else if (st->per_op)
		snprintf(buf, len, "op=%s", op);
	else
		buf[0] = '\0';
}

/* The histograms of one key (or of all keys summed, label ""), as the options ask. */
static int add_hists(struct bio_state *st, struct snapshot *s, const char *label,
		     const struct bio_hist *b)
{
	const char *unit = st->ms ? "ms" : "us";
	double div = st->ms ? 1e6 : 1e3;
	struct {
		const char *name;
		const __u64 *slots;
		bool on;
		const char *unit;
		__u64 sum;
	} hs[] = {
		{ "bio_device_latency", b->device, true, unit, (__u64)(b->device_ns / div) },
		{ "bio_queue_latency", b->queue, true, unit, (__u64)(b->queue_ns / div) },
		{ "bio_latency", b->total, st->queued, unit,
		  (__u64)((b->queue_ns + b->device_ns) / div) },
		{ "bio_size", b->size, st->size, "B", b->bytes },
	};

	for (size_t i = 0; i < sizeof(hs) / sizeof(hs[0]); i++) {
		struct snap_hist *h;

		if (!hs[i].on)
			continue;
		h = snapshot__add_hist(s, "bio", hs[i].name, label, hs[i].unit);
		if (!h)
			return -ENOMEM;
		hist__add_slots(&h->h, hs[i].slots, BIO_SLOTS);
		h->h.sum = hs[i].sum;
	}
	return 0;
}

/* Values counted by the slots of a histogram. */
static __u64 hist_count(const __u64 *slots)
{
	__u64 n = 0;

	for (int i = 0; i < BIO_SLOTS; i++)
		n += slots[i];
	return n;
}

/* One row of the per-disk/op table from a key's histograms. */
static int add_table_row(struct bio_state *st, struct snap_table *t, const char *key,
			 const struct bio_hist *b)
{
	double to_ns = st->ms ? 1e6 : 1e3;
	struct snap_table_row *row;
	struct hist dev = { 0 };
	__u64 n;

	hist__add_slots(&dev, b->device, BIO_SLOTS);
	n = dev.count;
	row = snap_table__add_row(t, key);
	if (!row)
		return -ENOMEM;
	row->v[0] = n;
	row->v[1] = b->bytes;
	row->v[2] = b->queue_ns / n;
	row->v[3] = b->device_ns / n;
	row->v[4] = (__u64)((double)hist__percentile(&dev, 99) * to_ns);
	return 0;
}

static int collect_hists(struct bio_state *st, struct snapshot *s, __u64 *events)
{
	static const char *const cols[] = { "reqs", "bytes", "queue_avg", "device_avg",
					    "device_p99" };
	static const char *const units[] = { "requests", "B", "ns", "ns", "ns" };
	const size_t nwords = sizeof(struct bio_hist) / sizeof(__u64);
	struct bpf_map *map = st->per_disk || st->per_op ? st->skel->maps.bio_hists :
							   st->skel->maps.bio_hist_all;
	struct hist_walk w = { .st = st, .key_size = bpf_map__key_size(map) };
	struct bio_hist all = { 0 };
	struct snap_table *t;
	const char *key_name;
	int err;

	err = maps__for_each(bpf_map__fd(map), w.key_size, sizeof(struct bio_hist), 1, visit_hist,
			     &w);
	if (err)
		goto out;
	key_name = st->per_disk && st->per_op ? "disk/op" : st->per_op ? "op" : "disk";
	t = snapshot__add_table(s, "bio", "bio", key_name, 5, cols, units);
	if (!t) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < w.n; i++) {
		const struct bio_hist *b = &w.cur[i].sum;
		char label[SNAP_LABEL_LEN], key[SNAP_NAME_LEN], op[24];
		const struct bio_hist_key *k = &w.cur[i].key;

		for (size_t j = 0; j < nwords; j++)
			((__u64 *)&all)[j] += ((const __u64 *)b)[j];
		if ((!st->per_disk && !st->per_op) || !hist_count(b->device))
			continue;
		key_label(st, k, label, sizeof(label));
		if (st->per_disk && st->per_op)
			snprintf(key, sizeof(key), "%s/%s", disk_name(st, k->dev),
				 op_name(k->op, op, sizeof(op)));
		else
			snprintf(key, sizeof(key), "%s",
				 st->per_disk ? disk_name(st, k->dev) : op_name(k->op, op, sizeof(op)));
		err = add_table_row(st, t, key, b);
		if (!err)
			err = add_hists(st, s, label, b);
		if (err)
			goto out;
	}
	if (!st->per_disk && !st->per_op && hist_count(all.device)) {
		err = add_table_row(st, t, "(all)", &all);
		if (err)
			goto out;
	}
	err = add_hists(st, s, "", &all);
	*events += hist_count(all.device);
out:
	free(w.cur);
	return err;
}

struct sweep {
	int fd;
	__u64 now, expire_ns, expired;
};

/* Forget a request in flight for longer than the expiry. */
static int visit_inflight(const void *key, const void *value, int ncpus, void *ctx)
{
	struct sweep *sw = ctx;
	const struct bio_inflight *e = value;
	__u64 since = e->insert_ts ? e->insert_ts : e->issue_ts;

	if (since && sw->now > since + sw->expire_ns && !bpf_map_delete_elem(sw->fd, key))
		sw->expired++;
	return 0;
}

/* Sum over CPUs of one counter of bio_stats. */
static int visit_stat(const void *key, const void *values, int ncpus, void *ctx)
{
	__u64 *vals = ctx;
	__u32 i;

	memcpy(&i, key, sizeof(i));
	if (i < BIO_STAT_MAX)
		vals[i] = maps__percpu_sum(values, ncpus, sizeof(__u64), 0);
	return 0;
}

/* Counts of what happened to requests in flight, and drops, from the kernel side. */
static int collect_stats(struct bio_state *st, struct snapshot *s, __u64 *drops)
{
	static const char *const cols[] = { "count" };
	static const char *const units[] = { "requests" };
	static const char *const names[BIO_STAT_FIRST_DROP] = {
		[BIO_STAT_REQUEUED] = "requeued",
		[BIO_STAT_MERGED] = "merged",
		[BIO_STAT_REPLACED] = "replaced",
		[BIO_STAT_UNMATCHED] = "unmatched",
	};
	struct sweep sw = { .fd = bpf_map__fd(st->skel->maps.bio_inflight),
			    .now = clock__ns(CLOCK_MONOTONIC),
			    .expire_ns = st->expire_ns ? st->expire_ns : EXPIRE_DEFAULT_NS };
	int nfd = bpf_map__fd(st->skel->maps.bio_stats);
	__u64 vals[BIO_STAT_MAX];
	struct snap_table *t;
	int err;

	err = maps__for_each(sw.fd, sizeof(struct bio_key), sizeof(struct bio_inflight), 0,
			     visit_inflight, &sw);
	if (err)
		return err;
	memset(vals, 0, sizeof(vals));
	err = maps__for_each(nfd, sizeof(__u32), sizeof(__u64), 1, visit_stat, vals);
	if (err)
		return err;
	t = snapshot__add_table(s, "bio", "bio_inflight", "event", 1, cols, units);
	if (!t)
		return -ENOMEM;
	for (int i = 0; i <= BIO_STAT_FIRST_DROP; i++) {
		bool expired = i == BIO_STAT_FIRST_DROP;
		__u64 d = expired ? sw.expired : vals[i] - st->stats_prev[i];
		struct snap_table_row *row;

		if (!d)
			continue;
		row = snap_table__add_row(t, expired ? "expired" : names[i]);
		if (!row)
			return -ENOMEM;
		row->v[0] = d;
	}
	for (int i = BIO_STAT_FIRST_DROP; i < BIO_STAT_MAX; i++)
		*drops += vals[i] - st->stats_prev[i];
	memcpy(st->stats_prev, vals, sizeof(vals));
	st->expired += sw.expired;
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int bio_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct bio_state *st = state;
	__u64 totals[BIO_PROC_COUNTERS] = { 0 };
	int err;

	st->ndisks = 0; /* disks come and go: names are read again each interval */
	err = proc_table__collect(&st->procs, s, totals);
	if (!err)
		err = collect_hists(st, s, &health->events);
	if (!err)
		err = collect_stats(st, s, &health->drops);
	return err;
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer bio_tracer = {
	.name = "bio",
	.summary = "block IO latency histograms (queued, device) per disk and op, per process",
	.examples = "  tracerhub bio                 # device latency histogram (us), every second\n"
		    "  tracerhub bio -Q -D -F        # queued + device time, per disk and op\n"
		    "  tracerhub bio -s -m 5         # with request sizes, in ms, every 5 s\n"
		    "  tracerhub bio --slow 20 -j    # JSON lines, each request over 20 ms\n",
	.options = bio_options,
	.state_size = sizeof(struct bio_state),
	.set_option = bio_set_option,
	.probe = rung__probe_any,
	.configure = bio_configure,
	.start = bio_start,
	.collect = bio_collect,
	.close = bio_close,
};
