// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* syscalls: per-process and per-syscall counts, optional errors (-e) and latency (-L). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/log.h"
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/syscall_table.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/syscalls/syscalls.h"
#include "core/hub.h"
#include "hub.skel.h"

#define NSTATS (SYSCALL_NR_MAX + 1)

struct syscalls_state {
	bool latency; /* -L */
	bool errors;  /* -e, or -L: counted on sys_exit */

	bool at_exit; /* counted on sys_exit (errors too): asked for, or hooked anyway */

	struct hub_bpf *skel;
	struct proc_table procs;
	struct delta stats;
	struct syscall_lat *lat_prev; /* NSTATS cumulative histograms, with -L */
	__u64 drops_prev;
};

static const enum metric proc_metrics[] = { METRIC_SYSCALLS, METRIC_SYSCALL_ERRORS };

static const struct tracer_option syscalls_options[] = {
	{ "errors", 'e', NULL,
	  "also count errors per syscall and process (hooks sys_exit: costlier)" },
	{ "latency", 'L', NULL,
	  "also measure latency per syscall (log2 histogram, avg); implies -e" },
	{ NULL },
};

static int syscalls_set_option(void *state, int key, const char *arg)
{
	struct syscalls_state *st = state;

	switch (key) {
	case 'L': /* measured at sys_exit, where errors come free */
		st->latency = true;
		st->errors = true;
		return 0;
	case 'e':
		st->errors = true;
		return 0;
	default:
		return -EINVAL;
	}
}


/* With other tracers: counts (errors come free when sys_exit is hooked), -L when full. */
static void syscalls_set_mode(void *state, bool full)
{
	struct syscalls_state *st = state;

	st->latency = st->errors = full;
}

static void syscalls_close(void *state)
{
	struct syscalls_state *st = state;

	st->skel = NULL;
	proc_table__free(&st->procs);
	delta__free(&st->stats);
	free(st->lat_prev);
	st->lat_prev = NULL;
	st->drops_prev = 0;
}

static int syscalls_configure(void *state, struct tracer_env *env)
{
	struct syscalls_state *st = state;
	struct hub_bpf *skel = env->skel;

	skel->rodata->targ_latency = st->latency;
	if (st->latency) {
		hub__use(env->hub, HUB_syscalls__sys_enter);
		hub__use(env->hub, HUB_syscalls__sys_exit);
		st->lat_prev = calloc(NSTATS, sizeof(*st->lat_prev));
		if (!st->lat_prev)
			return -ENOMEM;
	} else {
		bpf_map__set_max_entries(skel->maps.sc_lat, 1);
		bpf_map__set_max_entries(skel->maps.sc_start, 1);
		if (st->errors)
			hub__use(env->hub, HUB_syscalls__sys_exit);
		else /* counts are the same on either hook: take sys_exit if it is hooked anyway */
			hub__use_either(env->hub, HUB_syscalls__sys_enter, HUB_syscalls__sys_exit);
	}
	return 0;
}

static int syscalls_start(void *state, struct tracer_env *env)
{
	struct syscalls_state *st = state;

	st->skel = env->skel;
	st->at_exit = hub__runs(env->hub, HUB_syscalls__sys_exit);
	proc_table__bind(&st->procs, st->skel->maps.sc_procs, st->skel->maps.hub_cells,
			 HUB_PART_syscalls, proc_metrics, SYSCALL_PROC_COUNTERS);
	st->procs.nshown = st->at_exit ? 2 : 1;
	return 0;
}

/* Cumulative per-syscall stats, summed over CPUs, into cur (NSTATS entries). */
static int read_stats(struct syscalls_state *st, struct delta_entry *cur)
{
	size_t stride = maps__percpu_stride(sizeof(struct syscall_cpu));
	__u32 zero = 0;
	char *vals;
	int ncpus;

	ncpus = maps__lookup_percpu(bpf_map__fd(st->skel->maps.sc_cpu), &zero,
				    sizeof(struct syscall_cpu), (void **)&vals);
	if (ncpus < 0)
		return ncpus;
	for (__u32 nr = 0; nr < NSTATS; nr++) {
		cur[nr].key = nr;
		for (int c = 0; c < ncpus; c++) {
			const struct syscall_stat *v =
				&((const struct syscall_cpu *)(vals + c * stride))->stats[nr];

			cur[nr].v[0] += v->count;
			cur[nr].v[1] += v->errors;
			cur[nr].v[2] += v->lat_ns;
		}
	}
	free(vals);
	return 0;
}

/* This interval's latency histogram of syscall nr, added to hist h and to overall. */
static int read_latency(struct syscalls_state *st, __u32 nr, struct hist *h, struct hist *overall)
{
	struct syscall_lat *vals, sum = { 0 };
	int ncpus;

	ncpus = maps__lookup_percpu(bpf_map__fd(st->skel->maps.sc_lat), &nr, sizeof(*vals),
				    (void **)&vals);
	if (ncpus < 0)
		return ncpus;
	for (int c = 0; c < ncpus; c++)
		for (int i = 0; i < SYSCALLS_LAT_SLOTS; i++)
			sum.slots[i] += vals[c].slots[i];
	free(vals);
	for (int i = 0; i < SYSCALLS_LAT_SLOTS; i++) {
		__u64 d = sum.slots[i] - st->lat_prev[nr].slots[i];

		h->slots[i] += d;
		h->count += d;
		overall->slots[i] += d;
		overall->count += d;
	}
	st->lat_prev[nr] = sum;
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int collect_stats(struct syscalls_state *st, struct snapshot *s, __u64 *events)
{
	static const char *const cols[] = { "count", "errors", "avg_ns" };
	static const char *const units[] = { "calls", "calls", "ns" };
	unsigned int ncols = st->latency ? 3 : st->at_exit ? 2 : 1;
	struct hist overall = { 0 };
	struct delta_entry *cur;
	struct snap_table *t;
	struct snap_hist *h;
	int err;

	cur = calloc(NSTATS, sizeof(*cur));
	if (!cur)
		return -ENOMEM;
	err = read_stats(st, cur);
	if (!err)
		err = delta__advance(&st->stats, cur, NSTATS);
	if (err)
		goto out;
	t = snapshot__add_table(s, "syscalls", "syscalls", "syscall", ncols, cols, units);
	if (!t) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < NSTATS; i++) {
		const struct delta_entry *e = &cur[i];
		struct snap_table_row *row;
		char name[SNAP_NAME_LEN], label[SNAP_LABEL_LEN];

		if (!e->v[0])
			continue;
		*events += e->v[0];
		syscall_table__name((unsigned int)e->key, name, sizeof(name));
		row = snap_table__add_row(t, name);
		if (!row) {
			err = -ENOMEM;
			goto out;
		}
		row->v[0] = e->v[0];
		row->v[1] = e->v[1];
		if (!st->latency)
			continue;
		row->v[2] = e->v[2] / e->v[0];
		snprintf(label, sizeof(label), "syscall=%s", name);
		h = snapshot__add_hist(s, "syscalls", "syscall_latency", label, "ns");
		if (!h) {
			err = -ENOMEM;
			goto out;
		}
		h->h.sum = e->v[2];
		overall.sum += e->v[2];
		err = read_latency(st, (__u32)e->key, &h->h, &overall);
		if (err)
			goto out;
	}
	if (st->latency) {
		h = snapshot__add_hist(s, "syscalls", "syscall_latency", "", "ns");
		if (!h) {
			err = -ENOMEM;
			goto out;
		}
		h->h = overall;
	}
out:
	free(cur);
	return err;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int syscalls_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct syscalls_state *st = state;
	__u64 totals[2] = { 0 };
	int err;

	err = proc_table__collect(&st->procs, s, totals);
	if (err)
		return err;
	err = collect_stats(st, s, &health->events);
	if (err)
		return err;
	return maps__sum_array_delta(bpf_map__fd(st->skel->maps.sc_drops), SYSCALLS_DROP_MAX,
				     &st->drops_prev, &health->drops);
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer syscalls_tracer = {
	.name = "syscalls",
	.summary = "system calls per process and per syscall: counts, errors (-e), latency (-L)",
	.examples = "  tracerhub syscalls                 # top processes and syscalls, every second\n"
		    "  tracerhub syscalls -e              # with error counts\n"
		    "  tracerhub syscalls -L -p 1234      # with latency, process 1234 only\n"
		    "  tracerhub syscalls -c nginx -j 5 3 # JSON lines, 3 intervals of 5 s\n",
	.options = syscalls_options,
	.time_hists = true,
	.state_size = sizeof(struct syscalls_state),
	.set_mode = syscalls_set_mode,
	.set_option = syscalls_set_option,
	.probe = rung__probe_any,
	.configure = syscalls_configure,
	.start = syscalls_start,
	.collect = syscalls_collect,
	.close = syscalls_close,
};
