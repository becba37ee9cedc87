// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* cpu: per-process on-CPU time, context switches and run-queue latency (overall, per process). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/cpu/cpu.h"
#include "cpu.skel.h"

/* A process' cumulative run-queue histogram as last read. */
struct runq_entry {
	__u32 tgid;
	char comm[CPU_COMM_LEN];
	__u64 sum;
	__u64 slots[CPU_RUNQ_SLOTS];
};

/* The per-process histograms of one walk. */
struct runq_set {
	struct runq_entry *e;
	size_t n, cap;
};

struct cpu_state_user {
	bool per_process; /* -P: per-process histograms in the snapshot */

	struct cpu_bpf *skel;
	struct proc_table procs;
	struct runq_set prev;		    /* sorted by tgid */
	__u64 runq_prev[CPU_RUNQ_SLOTS];    /* overall, cumulative */
	__u64 runq_sum_prev;
	__u64 drops_prev;
};

/* In the order of struct cpu_proc's counters. */
static const enum metric cpu_metrics[CPU_COUNTERS] = { METRIC_CPU_NS, METRIC_VOL_CTXSW,
						       METRIC_INVOL_CTXSW };

static const struct tracer_option cpu_options[] = {
	{ "per-process", 'P', NULL, "also a run-queue latency histogram per process (JSON)" },
	{ NULL },
};

static int cpu_set_option(void *state, int key, const char *arg)
{
	struct cpu_state_user *st = state;

	if (key != 'P')
		return -EINVAL;
	st->per_process = true;
	return 0;
}

static void cpu_close(void *state)
{
	struct cpu_state_user *st = state;

	cpu_bpf__destroy(st->skel);
	st->skel = NULL;
	proc_table__free(&st->procs);
	free(st->prev.e);
	memset(&st->prev, 0, sizeof(st->prev));
	memset(st->runq_prev, 0, sizeof(st->runq_prev));
	st->runq_sum_prev = 0;
	st->drops_prev = 0;
}

static int cpu_open(void *state, struct tracer_env *env)
{
	struct cpu_state_user *st = state;
	struct cpu_bpf *skel;
	int err;

	skel = cpu_bpf__open();
	if (!skel)
		return -errno;
	st->skel = skel;
	filter__to_cfg(env->filter, (struct filter_cfg *)&skel->rodata->filter_cfg);
	rung__select(skel->obj, env->rung);
	err = cpu_bpf__load(skel);
	if (err)
		return err;
	err = filter__fill_maps(env->filter, skel->maps.filter_pids, skel->maps.filter_cgroup);
	if (err)
		return err;
	err = cpu_bpf__attach(skel);
	if (err)
		return err;
	st->procs.map = skel->maps.cpu_procs;
	st->procs.metrics = cpu_metrics;
	st->procs.ncounters = CPU_COUNTERS;
	env->obj = skel->obj;
	return 0;
}

static int visit_runq(const void *key, const void *values, int ncpus, void *ctx)
{
	struct runq_set *set = ctx;
	size_t stride = maps__percpu_stride(sizeof(struct cpu_proc));
	struct runq_entry *e;

	if (set->n == set->cap) {
		size_t ncap = set->cap ? set->cap * 2 : 256;
		void *a = realloc(set->e, ncap * sizeof(*set->e));

		if (!a)
			return -ENOMEM;
		set->e = a;
		set->cap = ncap;
	}
	e = &set->e[set->n++];
	memset(e, 0, sizeof(*e));
	memcpy(&e->tgid, key, sizeof(e->tgid));
	for (int cpu = 0; cpu < ncpus; cpu++) {
		const struct cpu_proc *p = (const void *)((const char *)values + cpu * stride);

		for (int i = 0; i < CPU_RUNQ_SLOTS; i++)
			e->slots[i] += p->runq[i];
		e->sum += p->runq_ns;
		if (!e->comm[0])
			memcpy(e->comm, p->comm, CPU_COMM_LEN - 1);
	}
	return 0;
}

static int cmp_tgid(const void *a, const void *b)
{
	const struct runq_entry *x = a, *y = b;

	return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

/*
 * cur - prev (slots, then the sum) into h; a histogram that went down was
 * re-created: all of it is new. prev may be NULL.
 */
static void hist_delta(struct hist *h, const __u64 *cur, __u64 cur_sum, const __u64 *prev,
		       __u64 prev_sum)
{
	__u64 d[CPU_RUNQ_SLOTS];
	bool reset = false;

	for (int i = 0; i < CPU_RUNQ_SLOTS; i++)
		reset |= prev && cur[i] < prev[i];
	for (int i = 0; i < CPU_RUNQ_SLOTS; i++)
		d[i] = prev && !reset ? cur[i] - prev[i] : cur[i];
	memset(h, 0, sizeof(*h));
	hist__add_slots(h, d, CPU_RUNQ_SLOTS);
	h->sum = prev && !reset ? cur_sum - prev_sum : cur_sum;
}

/* One process' interval histogram: its p50/p99 as gauges, and with -P the histogram itself. */
static int add_proc_runq(struct cpu_state_user *st, struct snapshot *s, const struct runq_entry *e,
			 const struct hist *h)
{
	struct proc_row *row;
	struct snap_hist *sh;
	char label[SNAP_LABEL_LEN];

	row = snapshot__add_row(s, e->tgid, e->comm);
	if (!row)
		return -ENOMEM;
	row->values[METRIC_RUNQ_P50_NS] = hist__percentile(h, 50);
	row->values[METRIC_RUNQ_P99_NS] = hist__percentile(h, 99);
	if (!st->per_process)
		return 0;
	snprintf(label, sizeof(label), "pid=%u", e->tgid);
	sh = snapshot__add_hist(s, "cpu", "runq_latency", label, "ns");
	if (!sh)
		return -ENOMEM;
	sh->h = *h;
	return 0;
}

static int collect_proc_runq(struct cpu_state_user *st, struct snapshot *s)
{
	struct runq_set cur = { 0 };
	size_t j = 0;
	int err;

	err = maps__for_each(bpf_map__fd(st->skel->maps.cpu_procs), sizeof(__u32),
			     sizeof(struct cpu_proc), 1, visit_runq, &cur);
	if (err)
		goto out;
	qsort(cur.e, cur.n, sizeof(*cur.e), cmp_tgid);
	snapshot__declare_metric(s, METRIC_RUNQ_P50_NS);
	snapshot__declare_metric(s, METRIC_RUNQ_P99_NS);
	for (size_t i = 0; i < cur.n; i++) {
		const struct runq_entry *e = &cur.e[i];
		const struct runq_entry *prev = NULL;
		struct hist h;

		while (j < st->prev.n && st->prev.e[j].tgid < e->tgid)
			j++;
		if (j < st->prev.n && st->prev.e[j].tgid == e->tgid)
			prev = &st->prev.e[j];
		hist_delta(&h, e->slots, e->sum, prev ? prev->slots : NULL, prev ? prev->sum : 0);
		if (!h.count)
			continue;
		err = add_proc_runq(st, s, e, &h);
		if (err)
			goto out;
	}
	free(st->prev.e);
	st->prev = cur;
	return 0;
out:
	free(cur.e);
	return err;
}

/* The overall run-queue histogram and the drop count, from every CPU's state. */
static int collect_overall(struct cpu_state_user *st, struct snapshot *s, __u64 *drops)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 sum[CPU_RUNQ_SLOTS] = { 0 }, total = 0;
	struct cpu_state *vals;
	struct snap_hist *sh;
	__u32 zero = 0;
	int err = 0;

	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.cpu_states), &zero, vals)) {
		err = -errno;
		goto out;
	}
	*drops = 0;
	for (int c = 0; c < ncpus; c++) {
		*drops += vals[c].drops;
		total += vals[c].runq_ns;
		for (int i = 0; i < CPU_RUNQ_SLOTS; i++)
			sum[i] += vals[c].runq[i];
	}
	sh = snapshot__add_hist(s, "cpu", "runq_latency", "", "ns");
	if (!sh) {
		err = -ENOMEM;
		goto out;
	}
	hist_delta(&sh->h, sum, total, st->runq_prev, st->runq_sum_prev);
	memcpy(st->runq_prev, sum, sizeof(sum));
	st->runq_sum_prev = total;
out:
	free(vals);
	return err;
}

static int cpu_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct cpu_state_user *st = state;
	__u64 totals[CPU_COUNTERS] = { 0 }, drops = 0;
	int err;

	err = proc_table__collect(&st->procs, s, totals);
	if (err)
		return err;
	err = collect_proc_runq(st, s);
	if (err)
		return err;
	err = collect_overall(st, s, &drops);
	if (err)
		return err;
	health->events = totals[1] + totals[2]; /* context switches */
	health->drops = drops - st->drops_prev;
	st->drops_prev = drops;
	return 0;
}

const struct tracer cpu_tracer = {
	.name = "cpu",
	.summary = "CPU per process: on-CPU time, voluntary/involuntary context switches, "
		   "run-queue latency (-P: per process)",
	.examples = "  tracerhub cpu                 # top processes by CPU%, run-queue histogram\n"
		    "  tracerhub cpu --sort runq_p99_ns\n"
		    "  tracerhub cpu -P -j 1 10      # JSON lines with per-process histograms\n",
	.options = cpu_options,
	.state_size = sizeof(struct cpu_state_user),
	.set_option = cpu_set_option,
	.probe = rung__probe_any,
	.open = cpu_open,
	.collect = cpu_collect,
	.close = cpu_close,
};
