// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* io: the per-process IO view (read/write ops and bytes, opens, io_uring, block requests). */
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/syscall_table.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/io/io.h"
#include "core/hub.h"
#include "hub.skel.h"

struct io_state {
	struct hub_bpf *skel;
	struct proc_table procs;
	__u64 drops_prev;
};

/* In the order of enum io_counter. */
static const enum metric io_metrics[IO_COUNTERS] = {
	METRIC_READ_OPS,  METRIC_READ_BYTES,	METRIC_WRITE_OPS,  METRIC_WRITE_BYTES,
	METRIC_OPENS,	  METRIC_URING_SUBMITS, METRIC_BLOCK_REQS, METRIC_BLOCK_BYTES,
};

/* Syscalls io counts, by name (numbers come from the build machine's table). */
static const struct {
	const char *name;
	enum io_kind kind;
} io_syscalls[] = {
	{ "read", IO_KIND_READ },	    { "pread64", IO_KIND_READ },
	{ "readv", IO_KIND_READ },	    { "preadv", IO_KIND_READ },
	{ "preadv2", IO_KIND_READ },	    { "write", IO_KIND_WRITE },
	{ "pwrite64", IO_KIND_WRITE },	    { "writev", IO_KIND_WRITE },
	{ "pwritev", IO_KIND_WRITE },	    { "pwritev2", IO_KIND_WRITE },
	{ "sendfile", IO_KIND_WRITE },	    { "copy_file_range", IO_KIND_WRITE },
	{ "splice", IO_KIND_WRITE },	    { "open", IO_KIND_OPEN },
	{ "openat", IO_KIND_OPEN },	    { "openat2", IO_KIND_OPEN },
	{ "creat", IO_KIND_OPEN },
};

static void io_close(void *state)
{
	struct io_state *st = state;

	st->skel = NULL;
	proc_table__free(&st->procs);
	st->drops_prev = 0;
}

static int io_configure(void *state, struct tracer_env *env)
{
	for (size_t i = 0; i < sizeof(io_syscalls) / sizeof(io_syscalls[0]); i++) {
		int nr = syscall_table__nr(io_syscalls[i].name);

		if (nr >= 0)
			env->skel->rodata->io_kind[nr] = io_syscalls[i].kind;
	}
	hub__use(env->hub, HUB_io__sys_exit);
	hub__use(env->hub, HUB_io__io_uring_submit_req); /* both left out where the kernel lacks */
	hub__use(env->hub, HUB_io__block_io_start);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int io_start(void *state, struct tracer_env *env)
{
	struct io_state *st = state;

	st->skel = env->skel;
	proc_table__bind(&st->procs, st->skel->maps.io_procs, st->skel->maps.hub_cells,
			 HUB_PART_io, io_metrics, IO_COUNTERS);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int io_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct io_state *st = state;
	__u64 totals[IO_COUNTERS] = { 0 };
	int err;

	err = proc_table__collect(&st->procs, s, totals);
	if (err)
		return err;
	for (int i = 0; i < IO_COUNTERS; i++)
		if (metric__info(io_metrics[i])->unit == UNIT_COUNT)
			health->events += totals[i];
	return maps__sum_array_delta(bpf_map__fd(st->skel->maps.io_drops), IO_DROP_MAX,
				     &st->drops_prev, &health->drops);
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer io_tracer = {
	.name = "io",
	.summary = "IO per process: read/write ops and bytes, opens, io_uring, block requests",
	.examples = "  tracerhub io                  # top processes by IO, every second\n"
		    "  tracerhub io --sort write_bytes -p 1234\n"
		    "  tracerhub io -j 1 10          # JSON lines, 10 intervals\n",
	.state_size = sizeof(struct io_state),
	.probe = rung__probe_any,
	.configure = io_configure,
	.start = io_start,
	.collect = io_collect,
	.close = io_close,
};
