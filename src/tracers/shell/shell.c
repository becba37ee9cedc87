// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* shell: commands typed into interactive bash (uretprobe on readline), with pid, uid and time. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "core/clock.h"
#include "core/elf_sym.h"
#include "core/features.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/shell/shell.h"
#include "hub.skel.h"

#define OPT_BINARY 256 /* long-only (tracer.h) */
#define SHELL_FUNC "readline"
#define SHELL_LIB "libreadline.so"

struct shell_state {
	char binary[PATH_MAX]; /* --binary, or bash from $PATH */
	char target[PATH_MAX]; /* the file readline is in: the binary or its libreadline */
	size_t offset;	       /* of readline in target */
	int resolve_err;       /* the failure already reported, so each rung does not repeat it */

	struct hub_bpf *skel;
	struct bpf_link *link;
	struct snapshot *live;
	const struct clock_wall *wall; /* the core's: event stamps to wall-clock time */
	__u64 prev[SHELL_CNT_MAX];
};

static const struct tracer_option shell_options[] = {
	{ "binary", OPT_BINARY, "PATH", "the bash to trace (default: bash on $PATH)" },
	{ NULL },
};

/*
 * Find readline for st->binary: in the binary itself (Debian's bash has it
 * built in and exported), else in the libreadline it links. 0, or a
 * negative errno after log__error said what to do.
 */
static int resolve(struct shell_state *st)
{
	char lib[PATH_MAX];
	int err;

	if (access(st->binary, R_OK)) {
		err = -errno;
		log__error("cannot read %s: %s", st->binary, strerror(-err));
		return err;
	}
	err = elf_sym__offset(st->binary, SHELL_FUNC, &st->offset);
	snprintf(st->target, sizeof(st->target), "%s", st->binary);
	if (err == -ENOENT && !elf_sym__needed_lib(st->binary, SHELL_LIB, lib, sizeof(lib))) {
		err = elf_sym__offset(lib, SHELL_FUNC, &st->offset);
		snprintf(st->target, sizeof(st->target), "%s", lib);
	}
	if (err == -ENOENT)
		log__error("%s has no %s function (stripped, or not bash): give a bash that has "
			   "it with --binary PATH", st->target, SHELL_FUNC);
	else if (err == -ENOEXEC)
		log__error("%s is not an ELF executable: --binary takes the path of a bash binary",
			   st->binary);
	else if (err)
		log__error("cannot read %s: %s", st->binary, strerror(-err));
	return err;
}

/* Find name in the directories of $PATH, like execvp. 0 with its path in out, or -ENOENT. */
static int which(const char *name, char *out, size_t len)
{
	const char *p = getenv("PATH");

	if (!p || !*p)
		p = "/usr/local/bin:/usr/bin:/bin";
	while (*p) {
		size_t n = strcspn(p, ":");

		if (n && (size_t)snprintf(out, len, "%.*s/%s", (int)n, p, name) < len &&
		    !access(out, X_OK))
			return 0;
		p += n + (p[n] == ':');
	}
	return -ENOENT;
}

static int shell_set_option(void *state, int key, const char *arg)
{
	struct shell_state *st = state;

	if (key != OPT_BINARY)
		return -EINVAL;
	if ((size_t)snprintf(st->binary, sizeof(st->binary), "%s", arg) >= sizeof(st->binary)) {
		log__error("--binary path too long");
		return -EINVAL;
	}
	return resolve(st) ? -EINVAL : 0;
}

static int shell_probe(const struct features *f, const char **why)
{
	if (!f->ok[FEAT_UPROBE]) {
		*why = "uprobes are not available";
		return -ENOTSUP;
	}
	if (!f->ok[FEAT_RINGBUF]) {
		*why = "BPF ring buffers are not available";
		return -ENOTSUP;
	}
	return 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct shell_state *st = ctx;
	const struct shell_rec *r = data;
	char comm[SHELL_COMM_LEN + 1], line[SHELL_LINE_LEN + 1];
	struct snap_event *e;

	if (size < sizeof(*r))
		return 0;
	memcpy(comm, r->comm, SHELL_COMM_LEN);
	comm[SHELL_COMM_LEN] = '\0';
	memcpy(line, r->line, SHELL_LINE_LEN);
	line[SHELL_LINE_LEN] = '\0';
	e = snapshot__add_event(st->live, "shell", clock_wall__of(st->wall, r->ts_ns), r->pid, comm);
	if (!e)
		return 0; /* counted in the snapshot's events_lost */
	snap_event__num(e, "uid", r->uid);
	/* readline keeps SHELL_LINE_LEN - 1 bytes: a full buffer means the line was longer */
	snap_event__str_cut(st->live, e, "command", line, strlen(line) == SHELL_LINE_LEN - 1);
	return 0;
}

static void shell_close(void *state)
{
	struct shell_state *st = state;

	bpf_link__destroy(st->link);
	st->link = NULL;
	st->skel = NULL;
	memset(st->prev, 0, sizeof(st->prev));
}

static int shell_configure(void *state, struct tracer_env *env)
{
	struct shell_state *st = state;
	int err;

	if (st->resolve_err)
		return st->resolve_err;
	if (!st->target[0]) {
		if (which("bash", st->binary, sizeof(st->binary))) {
			log__error("no bash on $PATH: give the shell to trace with --binary PATH");
			st->resolve_err = -ENOENT;
			return -ENOENT;
		}
		err = resolve(st);
		if (err) {
			st->resolve_err = err;
			st->target[0] = '\0';
			return err;
		}
	}
	bpf_program__set_autoload(env->skel->progs.shell_readline, true);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int shell_start(void *state, struct tracer_env *env)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = true);
	struct shell_state *st = state;
	int err;

	st->skel = env->skel;
	st->live = env->live;
	st->wall = env->wall;
	err = tracer_env__add_ring(env, bpf_map__fd(st->skel->maps.shell_ring), on_record, st);
	if (err)
		return err;
	st->link = bpf_program__attach_uprobe_opts(st->skel->progs.shell_readline, -1, st->target,
						   st->offset, &opts);
	if (!st->link)
		return -errno;
	log__info("shell: tracing %s() in %s", SHELL_FUNC, st->target);
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int shell_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct shell_state *st = state;
	__u64 d[SHELL_CNT_MAX];
	int err;

	err = maps__percpu_u64s_delta(bpf_map__fd(st->skel->maps.shell_counts), SHELL_CNT_MAX,
				      st->prev, d);
	if (err)
		return err;
	health->events = d[SHELL_CNT_LINES];
	health->drops = d[SHELL_CNT_DROP_RING];
	return 0;
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer shell_tracer = {
	.name = "shell",
	.summary = "commands typed into interactive bash (uretprobe on readline): pid, uid, time, "
		   "command line",
	.examples = "  tracerhub shell               # every command typed into bash, as typed\n"
		    "  tracerhub shell --binary /opt/bash5/bin/bash\n"
		    "  tracerhub shell -j 1          # JSON lines\n",
	.options = shell_options,
	.state_size = sizeof(struct shell_state),
	.set_option = shell_set_option,
	.probe = shell_probe,
	.configure = shell_configure,
	.start = shell_start,
	.collect = shell_collect,
	.close = shell_close,
};
