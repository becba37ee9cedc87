// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* exec: every exec (argv, parent, uid) and every process exit (code or signal, lifetime). */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include "core/clock.h"
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/syscall_table.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/exec/exec.h"
#include "core/hub.h"
#include "hub.skel.h"

struct exec_state {
	bool failed; /* -F: failed execs too (a hook on every syscall exit) */

	struct hub_bpf *skel;
	struct snapshot *live; /* receives the records as they arrive */
	struct proc_table procs;
	const struct clock_wall *wall; /* the core's: event stamps to wall-clock time */
	__u64 prev[EXEC_CNT_MAX];
};

/* In the order of struct exec_proc's counters. */
static const enum metric exec_metrics[EXEC_COUNTERS] = { METRIC_EXECS, METRIC_EXITS };

static const struct tracer_option exec_options[] = {
	{ "failed", 'F', NULL,
	  "also failed execs, with errno and argv (hooks every syscall exit: costs more)" },
	{ NULL },
};

static int exec_set_option(void *state, int key, const char *arg)
{
	struct exec_state *st = state;

	if (key != 'F')
		return -EINVAL;
	st->failed = true;
	return 0;
}

/* The arguments as one line: the NULs between them become spaces. Returns true when cut. */
static bool join_argv(const struct exec_rec *r, char *out)
{
	size_t kept = r->argv_kept < EXEC_ARGV_LEN ? r->argv_kept : EXEC_ARGV_LEN, n = kept;

	memcpy(out, r->argv, n);
	while (n && !out[n - 1])
		n--;
	for (size_t i = 0; i < n; i++)
		if (!out[i])
			out[i] = ' ';
	out[n] = '\0';
	return r->argv_len > kept;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct exec_state *st = ctx;
	const struct exec_rec *r = data;
	char comm[EXEC_COMM_LEN + 1], argv[EXEC_ARGV_LEN + 1];
	struct snap_event *e;

	if (size < offsetof(struct exec_rec, argv))
		return 0;
	memcpy(comm, r->comm, EXEC_COMM_LEN);
	comm[EXEC_COMM_LEN] = '\0';
	e = snapshot__add_event(st->live, "exec", clock_wall__of(st->wall, r->ts_ns), r->pid, comm);
	if (!e)
		return 0; /* counted in the snapshot's events_lost */
	snap_event__str(e, "event", r->kind == EXEC_REC_EXEC ? "exec" :
				    r->kind == EXEC_REC_FAIL ? "exec_failed" : "exit");
	snap_event__num(e, "ppid", r->ppid);
	snap_event__num(e, "uid", r->uid);
	snap_event__typed(e, "start_ns", clock_wall__of(st->wall, r->start_ns), SNAP_NUM_TIME);
	if (r->kind != EXEC_REC_EXIT && size >= sizeof(*r)) {
		bool cut = join_argv(r, argv);

		if (r->kind == EXEC_REC_FAIL)
			snap_event__num(e, "errno", r->exit_code);
		snap_event__str_cut(st->live, e, "argv", argv, cut);
	} else if (r->kind == EXEC_REC_EXIT) {
		snap_event__num(e, "exit_code", (r->exit_code >> 8) & 0xff);
		snap_event__num(e, "signal", r->exit_code & 0x7f);
		snap_event__num(e, "core_dumped", (r->exit_code & 0x80) != 0);
		snap_event__typed(e, "lifetime_ns", r->ts_ns > r->start_ns ? r->ts_ns - r->start_ns : 0,
				  SNAP_NUM_NS);
	}
	return 0;
}

static void exec_close(void *state)
{
	struct exec_state *st = state;

	st->skel = NULL;
	proc_table__free(&st->procs);
	memset(st->prev, 0, sizeof(st->prev));
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int exec_configure(void *state, struct tracer_env *env)
{
	struct exec_state *st = state;

	env->skel->rodata->nr_execve = syscall_table__nr("execve");
	env->skel->rodata->nr_execveat = syscall_table__nr("execveat");
	hub__use(env->hub, HUB_exec__sched_process_exec);
	hub__use(env->hub, HUB_exec__sched_process_exit);
	hub__use(env->hub, HUB_exec__task_newtask);
	if (st->failed)
		hub__use(env->hub, HUB_exec__sys_exit);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int exec_start(void *state, struct tracer_env *env)
{
	struct exec_state *st = state;
	int err;

	st->skel = env->skel;
	st->live = env->live;
	st->wall = env->wall;
	err = tracer_env__add_ring(env, bpf_map__fd(st->skel->maps.exec_ring), on_record, st);
	if (err)
		return err;
	st->procs.map = st->skel->maps.exec_procs;
	st->procs.metrics = exec_metrics;
	st->procs.ncounters = EXEC_COUNTERS;
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int exec_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	static const char *const cols[] = { "count" };
	static const char *const units[] = { "processes" };
	static const char *const names[] = { [EXEC_CNT_FORKS] = "fork",
					     [EXEC_CNT_EXECS] = "exec",
					     [EXEC_CNT_EXITS] = "exit",
					     [EXEC_CNT_FAILS] = "exec_failed" };
	struct exec_state *st = state;
	__u64 totals[EXEC_COUNTERS] = { 0 }, d[EXEC_CNT_MAX];
	struct snap_table *t;
	int err;

	err = proc_table__collect(&st->procs, s, totals);
	if (err)
		return err;
	err = maps__percpu_u64s_delta(bpf_map__fd(st->skel->maps.exec_counts), EXEC_CNT_MAX,
				      st->prev, d);
	if (err)
		return err;
	t = snapshot__add_table(s, "exec", "process_events", "event", 1, cols, units);
	if (!t)
		return -ENOMEM;
	for (int k = EXEC_CNT_FORKS; k <= (st->failed ? EXEC_CNT_FAILS : EXEC_CNT_EXITS); k++) {
		struct snap_table_row *row = snap_table__add_row(t, names[k]);

		if (!row)
			return -ENOMEM;
		row->v[0] = d[k];
	}
	health->events = d[EXEC_CNT_FORKS] + d[EXEC_CNT_EXECS] + d[EXEC_CNT_EXITS] +
			 d[EXEC_CNT_FAILS];
	health->drops = d[EXEC_CNT_DROP_RING] + d[EXEC_CNT_DROP_PROCS];
	return 0;
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer exec_tracer = {
	.name = "exec",
	.summary = "processes started and ended: every exec (argv, parent, uid) and exit (code, "
		   "signal, lifetime), exact counts",
	.examples = "  tracerhub exec                # execs and exits as they happen\n"
		    "  tracerhub exec -c make        # only what processes named make do\n"
		    "  tracerhub exec -F             # failed execs too (errno, argv)\n"
		    "  tracerhub exec -j 1 10        # JSON lines, 10 intervals\n",
	.options = exec_options,
	.state_size = sizeof(struct exec_state),
	.set_option = exec_set_option,
	.probe = rung__probe_any,
	.configure = exec_configure,
	.start = exec_start,
	.collect = exec_collect,
	.close = exec_close,
};
