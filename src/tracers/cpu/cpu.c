// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* cpu: per-process on-CPU time, context switches and run-queue latency (overall, per process). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "core/features.h"
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/tracer.h"
#include "model/grow.h"
#include "model/snapshot.h"
#include "tracers/cpu/cpu.h"
#include "core/hub.h"
#include "hub.skel.h"

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

/* Processes' summed task figures, one read of the iterator and cpu_exited. */
struct task_sums {
	struct delta_entry *e; /* key tgid, v: struct cpu_task's counters */
	struct cpu_task *t;    /* the same order: tgid, comm, and where it was seen */
	size_t n, cap;
};

struct cpu_state_user {
	bool hist;	  /* -H: run-queue histogram overall, p50/p99 per process */
	bool per_process; /* -P: per-process histograms in the snapshot */

	bool by_iter; /* time and switches from the task iterator, not the switch program */
	struct hub_bpf *skel;
	struct bpf_link *tasks_link;	 /* the task iterator, with by_iter */
	struct proc_table procs;	 /* the switch program's counters */
	struct delta tasks;		 /* the iterator's, per process */
	struct runq_set prev;		 /* sorted by tgid */
	__u64 runq_prev[CPU_RUNQ_SLOTS]; /* overall, cumulative */
	__u64 runq_sum_prev;
	__u64 drops_prev;
};

/* In the order of struct cpu_proc's counters. */
static const enum metric cpu_metrics[CPU_COUNTERS] = { METRIC_CPU_NS, METRIC_VOL_CTXSW,
						       METRIC_INVOL_CTXSW };

static const struct tracer_option cpu_options[] = {
	{ "hist", 'H', NULL,
	  "run-queue latency histogram, p50/p99 per process (costs every switch)" },
	{ "per-process", 'P', NULL, "-H, and a run-queue latency histogram per process (JSON)" },
	{ NULL },
};

static int cpu_set_option(void *state, int key, const char *arg)
{
	struct cpu_state_user *st = state;

	(void)arg;
	if (key == 'H')
		st->hist = true;
	else if (key == 'P')
		st->hist = st->per_process = true;
	else
		return -EINVAL;
	return 0;
}

/* With other tracers: no per-switch program unless full (-H). */
static void cpu_set_mode(void *state, bool full)
{
	struct cpu_state_user *st = state;

	st->hist = full;
}

static void cpu_close(void *state)
{
	struct cpu_state_user *st = state;

	bpf_link__destroy(st->tasks_link);
	st->tasks_link = NULL;
	st->skel = NULL;
	proc_table__free(&st->procs);
	delta__free(&st->tasks);
	free(st->prev.e);
	memset(&st->prev, 0, sizeof(st->prev));
	memset(st->runq_prev, 0, sizeof(st->runq_prev));
	st->runq_sum_prev = 0;
	st->drops_prev = 0;
}

/* Grow sums by one entry; NULL on ENOMEM. */
static struct cpu_task *task_sums__add(struct task_sums *sums)
{
	size_t cap = sums->cap; /* one capacity for both arrays */

	if (GROW(sums->e, cap, sums->n + 1) || GROW(sums->t, sums->cap, sums->n + 1))
		return NULL;
	return &sums->t[sums->n++];
}

static void task_sums__free(struct task_sums *sums)
{
	free(sums->e);
	free(sums->t);
}

/* pad marks where an entry came from. */
#define SEEN_LIVE   1
#define SEEN_EXITED 2

/* Reads a process missing from one is remembered for (task_sums__read). */
#define TASKS_KEEP 30

static int visit_exited(const void *key, const void *value, int ncpus, void *ctx)
{
	struct cpu_task *t = task_sums__add(ctx);

	(void)key;
	(void)ncpus;
	if (!t)
		return -ENOMEM;
	memcpy(t, value, sizeof(*t));
	t->pad = SEEN_EXITED;
	return 0;
}

/* Append every task record the iterator of link gives to sums. */
static int read_iter(struct bpf_link *link, struct task_sums *sums)
{
	size_t have = 0;
	char buf[64 * sizeof(struct cpu_task)];
	int fd, err = 0;

	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got = read(fd, buf + have, sizeof(buf) - have);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			goto out;
		}
		if (!got)
			break;
		have += got;
		/* Whole records only: a read may end inside one. */
		for (size_t off = 0; off + sizeof(struct cpu_task) <= have;
		     off += sizeof(struct cpu_task)) {
			struct cpu_task *t = task_sums__add(sums);

			if (!t) {
				err = -ENOMEM;
				goto out;
			}
			memcpy(t, buf + off, sizeof(*t));
			t->pad = SEEN_LIVE;
		}
		memmove(buf, buf + have - have % sizeof(struct cpu_task),
			have % sizeof(struct cpu_task));
		have %= sizeof(struct cpu_task);
	}
out:
	close(fd);
	return err;
}

/* By tgid, live tasks first (their process' name is the current one). */
static int cmp_task(const void *a, const void *b)
{
	const struct cpu_task *x = a, *y = b;

	if (x->tgid != y->tgid)
		return (x->tgid > y->tgid) - (x->tgid < y->tgid);
	return (x->pad > y->pad) - (x->pad < y->pad);
}

/*
 * Every process' cumulative figures: its exited threads' (cpu_exited, read
 * first: a thread ending in between is then missed once, a short read that
 * delta__advance absorbs, never counted twice) plus its live tasks'. A
 * process whose last thread is between the two (no longer in the task list,
 * not yet freed: an RCU grace period, seconds on an emulated CPU) is missing
 * from a read altogether; st->tasks remembers it (TASKS_KEEP reads), so it
 * is not counted in full again when its exited entry appears.
 */
static int task_sums__read(struct cpu_state_user *st, struct task_sums *sums)
{
	size_t n = 0;
	int err;

	err = maps__for_each(bpf_map__fd(st->skel->maps.cpu_exited), sizeof(__u32),
			     sizeof(struct cpu_task), 0, visit_exited, sums);
	if (err)
		return err;
	err = read_iter(st->tasks_link, sums);
	if (err)
		return err;
	qsort(sums->t, sums->n, sizeof(*sums->t), cmp_task);
	for (size_t i = 0; i < sums->n; i++) {
		const struct cpu_task *t = &sums->t[i];
		const __u64 *v = &t->exec_ns;

		if (!n || sums->t[n - 1].tgid != t->tgid) {
			sums->t[n] = *t;
			memset(&sums->e[n], 0, sizeof(sums->e[n]));
			sums->e[n++].key = t->tgid;
		} else {
			sums->t[n - 1].pad |= t->pad;
		}
		for (int k = 0; k < CPU_TASK_COUNTERS; k++)
			sums->e[n - 1].v[k] += v[k];
	}
	sums->n = n;
	return 0;
}

/* The figures as they are now: what the first interval's changes start from. */
static int prime_tasks(struct cpu_state_user *st)
{
	struct task_sums sums = { 0 };
	int err;

	err = task_sums__read(st, &sums);
	if (!err)
		err = delta__advance(&st->tasks, sums.e, sums.n);
	task_sums__free(&sums);
	return err;
}

static int cpu_configure(void *state, struct tracer_env *env)
{
	struct cpu_state_user *st = state;
	struct hub_bpf *skel = env->skel;
	bool on_switch;

	/* The iterator tests -p and -c on any task; --cgroup only holds for the current one. */
	st->by_iter = env->features->ok[FEAT_ITER_TASK] && !env->filter->cgroup_path;
	on_switch = st->hist || !st->by_iter;
	skel->rodata->targ_counters = !st->by_iter;
	skel->rodata->targ_skip_exiting = env->rung == RUNG_TRACEPOINT;
	if (on_switch)
		hub__use(env->hub, HUB_cpu__sched_switch);
	else
		bpf_map__set_max_entries(skel->maps.cpu_procs, 1); /* unused: no 11 MiB */
	if (st->by_iter) {
		bpf_program__set_autoload(skel->progs.cpu_tasks, true);
		hub__use(env->hub, env->rung == RUNG_TRACEPOINT ? HUB_cpu__sched_process_exit :
								  HUB_cpu__sched_process_free);
	} else {
		bpf_map__set_max_entries(skel->maps.cpu_exited, 1);
	}
	return 0;
}

static int cpu_start(void *state, struct tracer_env *env)
{
	struct cpu_state_user *st = state;
	int err;

	st->skel = env->skel;
	if (st->by_iter) {
		st->tasks.keep = TASKS_KEEP;
		st->tasks_link = bpf_program__attach_iter(st->skel->progs.cpu_tasks, NULL);
		if (!st->tasks_link)
			return -errno;
		err = prime_tasks(st);
		if (err)
			return err;
	}
	st->procs.map = st->skel->maps.cpu_procs;
	st->procs.metrics = cpu_metrics;
	st->procs.ncounters = CPU_COUNTERS;
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
/*
 * A row per process whose figures changed since the last interval: time,
 * switches and the mean run-queue wait; totals[] as proc_table__collect's.
 * Processes gone and reported lose their exited entry.
 */
static int collect_tasks(struct cpu_state_user *st, struct snapshot *s, __u64 *totals)
{
	struct task_sums sums = { 0 };
	int err;

	err = task_sums__read(st, &sums);
	if (err)
		goto out;
	/* sums.e is sorted by tgid already: delta__advance keeps the order of sums.t. */
	err = delta__advance(&st->tasks, sums.e, sums.n);
	if (err)
		goto out;
	for (unsigned int i = 0; i < CPU_COUNTERS; i++)
		snapshot__declare_metric(s, cpu_metrics[i]);
	snapshot__declare_metric(s, METRIC_RUNQ_AVG_NS);
	for (size_t i = 0; i < sums.n; i++) {
		const __u64 *d = sums.e[i].v; /* the order of struct cpu_task's counters */
		const struct cpu_task *t = &sums.t[i];
		struct proc_row *row;

		if (!d[0] && !d[1] && !d[2] && !d[4]) {
			if (t->pad == SEEN_EXITED && kill((pid_t)t->tgid, 0) && errno == ESRCH) {
				bpf_map_delete_elem(bpf_map__fd(st->skel->maps.cpu_exited),
						    &t->tgid);
				delta__forget(&st->tasks, t->tgid);
			}
			continue;
		}
		row = snapshot__add_row(s, t->tgid, t->comm);
		if (!row) {
			err = -ENOMEM;
			goto out;
		}
		for (unsigned int k = 0; k < CPU_COUNTERS; k++) {
			row->values[cpu_metrics[k]] += d[k];
			totals[k] += d[k];
		}
		if (d[4])
			row->values[METRIC_RUNQ_AVG_NS] = d[3] / d[4];
	}
out:
	task_sums__free(&sums);
	return err;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int visit_runq(const void *key, const void *values, int ncpus, void *ctx)
{
	struct runq_set *set = ctx;
	size_t stride = maps__percpu_stride(sizeof(struct cpu_proc));
	struct runq_entry *e;

	if (GROW(set->e, set->cap, set->n + 1))
		return -ENOMEM;
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
	if (!st->by_iter) /* else it comes from run_delay, like the processes' without a wait */
		row->values[METRIC_RUNQ_AVG_NS] = h->sum / h->count;
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
	snapshot__declare_metric(s, METRIC_RUNQ_AVG_NS);
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

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
/* The drop count and, when the switch program runs, the overall run-queue histogram. */
static int collect_overall(struct cpu_state_user *st, struct snapshot *s, __u64 *drops)
{
	__u64 sum[CPU_RUNQ_SLOTS] = { 0 }, total = 0;
	struct cpu_state *vals;
	struct snap_hist *sh;
	__u32 zero = 0;
	int ncpus, err = 0;

	ncpus = maps__lookup_percpu(bpf_map__fd(st->skel->maps.cpu_states), &zero, sizeof(*vals),
				    (void **)&vals);
	if (ncpus < 0)
		return ncpus;
	*drops = 0;
	for (int c = 0; c < ncpus; c++) {
		*drops += vals[c].drops;
		total += vals[c].runq_ns;
		for (int i = 0; i < CPU_RUNQ_SLOTS; i++)
			sum[i] += vals[c].runq[i];
	}
	if (!st->hist && st->by_iter)
		goto out;
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

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int cpu_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct cpu_state_user *st = state;
	__u64 totals[CPU_COUNTERS] = { 0 }, drops = 0;
	int err;

	if (st->by_iter)
		err = collect_tasks(st, s, totals);
	else
		err = proc_table__collect(&st->procs, s, totals);
	if (err)
		return err;
	if (st->hist || !st->by_iter) {
		err = collect_proc_runq(st, s);
		if (err)
			return err;
	}
	err = collect_overall(st, s, &drops);
	if (err)
		return err;
	health->events = totals[1] + totals[2]; /* context switches */
	health->drops = drops - st->drops_prev;
	st->drops_prev = drops;
	return 0;
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer cpu_tracer = {
	.name = "cpu",
	.summary = "CPU per process: on-CPU time, voluntary/involuntary context switches, "
		   "run-queue latency (-H: histogram, -P: per process)",
	.examples = "  tracerhub cpu                 # top processes by CPU%, mean run-queue wait\n"
		    "  tracerhub cpu -H --sort runq_p99_ns   # with the run-queue histogram\n"
		    "  tracerhub cpu -P -j 1 10      # JSON lines with per-process histograms\n",
	.options = cpu_options,
	.time_hists = true,
	.state_size = sizeof(struct cpu_state_user),
	.set_mode = cpu_set_mode,
	.set_option = cpu_set_option,
	.probe = rung__probe_any,
	.configure = cpu_configure,
	.start = cpu_start,
	.collect = cpu_collect,
	.close = cpu_close,
};
