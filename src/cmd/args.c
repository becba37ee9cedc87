// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/registry.h"
#include "core/session.h"
#include "core/tracer.h"
#include "model/metric.h"
#include "sinks/pcapng.h"

enum {
	OPT_CGROUP = 0x7f00, /* common long-only options: above every tracer key (tracer.h) */
	OPT_TOP,
	OPT_SORT,
	OPT_RUNG,
	OPT_NO_STATS,
	OPT_FULL,
	OPT_SUMMARY,
	OPT_SNAPLEN,
	OPT_LIST_HOOKS,
};

#define MAX_TRACER_OPTS 16
#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each command declares its own
 * getopt_long options (bpftool's command shape).
 */
static const struct option common_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'c' },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "json", no_argument, NULL, 'j' },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "rung", required_argument, NULL, OPT_RUNG },
	{ "no-stats", no_argument, NULL, OPT_NO_STATS },
	{ "full", no_argument, NULL, OPT_FULL },
	{ "summary", no_argument, NULL, OPT_SUMMARY },
	{ "write", required_argument, NULL, 'w' },
	{ "snaplen", required_argument, NULL, OPT_SNAPLEN },
	{ "list-hooks", no_argument, NULL, OPT_LIST_HOOKS },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
};

#define NCOMMON (sizeof(common_opts) / sizeof(common_opts[0]))

/* The histogram unit options of a tracer's own command, when it has time histograms. */
static const struct option unit_opts[] = {
	{ "usecs", no_argument, NULL, 'u' },
	{ "msecs", no_argument, NULL, 'm' },
};

#define NUNIT (sizeof(unit_opts) / sizeof(unit_opts[0]))

/* Does command cmd take -m/-u: tracer t's own command, and t has time histograms? */
static bool takes_units(const char *cmd, const struct tracer *t)
{
	return t && t->time_hists && !strcmp(cmd, t->name);
}

/* Metric m can sort the rows of tracer t's output (any tracer's when t is NULL). */
static bool sorts(enum metric m, const struct tracer *t)
{
	return !t || metric__of_tracer(m, t->name);
}

/* "Fields for --sort: a, b" of tracer t (every tracer's when NULL), or that it has none. */
static void print_sort_fields(FILE *f, const struct tracer *t)
{
	int n = 0;

	for (int m = 0; m < METRIC_COUNT; m++)
		if (sorts(m, t))
			fprintf(f, "%s %s", n++ ? "," : "\nFields for --sort:", metric__info(m)->name);
	fprintf(f, n ? "\n" : "\n%s has no per-process fields: --sort does not apply\n",
		t ? t->name : "");
}

void args__usage(FILE *f, const char *cmd, const struct tracer *t)
{
	if (!t)
		fprintf(f, "Usage: tracerhub %s [options] [tracer...] [interval [count]]\n", cmd);
	else if (strcmp(cmd, t->name))
		fprintf(f, "Usage: tracerhub %s %s [options] [interval [count]]\n", cmd, t->name);
	else
		fprintf(f, "Usage: tracerhub %s [options] [interval [count]]\n", cmd);
	if (t)
		fprintf(f, "\n%s.\n", t->summary);
	fprintf(f, "\nOptions:\n"
		   "  -p, --pid PID      only process PID (repeatable, up to %d)\n"
		   "  -c, --comm COMM    only tasks named COMM (first 15 characters)\n"
		   "      --cgroup PATH  only tasks in cgroup v2 directory PATH or below\n"
		   "  -j, --json         JSON lines: \"type\":\"event\" per event as it happens,\n"
		   "                     \"type\":\"interval\" per interval (raw counts)\n"
		   "      --summary      per-interval tables too when events stream\n"
		   "      --top N        show N processes (text default 20, JSON all)\n"
		   "      --sort FIELD   sort processes by FIELD (a metric, e.g. syscalls, "
		   "read_bytes)\n"
		   "      --rung R       attach rung: auto (default), tp_btf, raw_tp, tracepoint\n"
		   "                     (also from TRACERHUB_RUNG)\n"
		   "      --no-stats     leave BPF run-time statistics off (no ns/run figures;\n"
		   "                     they are sampled 50 ms in every 10 s otherwise)\n"
		   "      --full         with several tracers: their heavy modes too (every packet\n"
		   "                     followed, run-queue histograms, syscall errors and\n"
		   "                     latency); by default each runs its cheap mode\n"
		   "      --list-hooks   print the tracepoints this run would attach, one a line\n"
		   "                     (\"NAME window\": only in sampling windows), and exit\n"
		   "  -v, --verbose      show libbpf's log\n"
		   "  -h, --help         this help\n",
		FILTER_MAX_PIDS);
	if (takes_units(cmd, t))
		fprintf(f, "  -u, --usecs        time histograms in microseconds (default: the\n"
			   "                     unit of each one's median)\n"
			   "  -m, --msecs        time histograms in milliseconds\n");
	if (!t || t->captures)
		fprintf(f, "  -w, --write FILE   packets followed to FILE.pcapng (- for stdout), each\n"
			   "                     with its journey as the packet's comment (pktjourney)\n"
			   "      --snaplen N    bytes of each packet to keep with -w (default %d, at\n"
			   "                     most %d; the part in page fragments is not read)\n",
			ARGS_SNAPLEN_DEFAULT, ARGS_SNAPLEN_MAX);
	if (t && t->options) {
		for (const struct tracer_option *o = t->options; o->name; o++) {
			char lhs[48];

			if (o->key < 256)
				snprintf(lhs, sizeof(lhs), "-%c, --%s%s%s", o->key, o->name,
					 o->arg ? " " : "", o->arg ? o->arg : "");
			else
				snprintf(lhs, sizeof(lhs), "    --%s%s%s", o->name,
					 o->arg ? " " : "", o->arg ? o->arg : "");
			fprintf(f, "  %-18s %s\n", lhs, o->help);
		}
	}
	fprintf(f, "\n  interval           seconds between outputs (default 1, decimals allowed)\n"
		   "  count              number of outputs, then exit (default: until Ctrl-C)\n");
	if (!t)
		fprintf(f, "  tracer             tracers to run (default: all this kernel supports);\n"
			   "                     one tracer named also takes its own options (%s "
			   "syscalls -h)\n", cmd);
	if (!t && !strcmp(cmd, "top"))
		fprintf(f, "\nReplay a recording (see `tracerhub top --replay FILE -h`):\n"
			   "      --replay FILE  show FILE.db (from `tracerhub record`) instead of "
			   "tracing\n"
			   "      --from T       start at the interval ending at T\n"
			   "      --to T         stop at the interval ending at T\n"
			   "      --speed X      X times the recorded pace (default 1)\n");
	print_sort_fields(f, t);
	fprintf(f, "\nExamples:\n");
	if (t && t->examples)
		fputs(t->examples, f);
	else
		fprintf(f, "  tracerhub %s              # every tracer, every second\n"
			   "  tracerhub %s syscalls io -p 1234 2\n"
			   "  tracerhub %s syscalls -e  # one tracer, with its own options\n",
			cmd, cmd, cmd);
	fprintf(f, "\n" CMD_EXIT_HELP);
}

/*
 * getopt_long's table: common options, the unit options when units, then the
 * tracer's. Returns the short option string.
 */
static void build_opts(const struct tracer *t, bool units, const struct args_extra *x,
		       struct option *opts, char *shorts, size_t len)
{
	size_t n = NCOMMON, s;

	memcpy(opts, common_opts, sizeof(common_opts));
	if (units) {
		memcpy(opts + n, unit_opts, sizeof(unit_opts));
		n += NUNIT;
	}
	for (size_t i = 0; x && x->opts[i].name && i < ARGS_EXTRA_MAX; i++)
		opts[n++] = x->opts[i];
	snprintf(shorts, len, "%s%s", units ? "p:c:jvhw:um" : "p:c:jvhw:", x ? x->shorts : "");
	s = strlen(shorts);
	if (t && t->options) {
		for (const struct tracer_option *o = t->options;
		     o->name && n < NCOMMON + NUNIT + ARGS_EXTRA_MAX + MAX_TRACER_OPTS; o++) {
			opts[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						     NULL, o->key };
			if (o->key < 256 && s + 3 < len) {
				shorts[s++] = (char)o->key;
				if (o->arg)
					shorts[s++] = ':';
			}
		}
	}
	shorts[s] = '\0';
	memset(&opts[n], 0, sizeof(opts[n]));
}

/* interval in seconds (decimals allowed, 0.01 .. 86400) to ms. */
static int parse_interval(const char *s, unsigned int *ms)
{
	char *end;
	double v;

	/* strtod also takes hex floats (0x0.8), exponents, inf and nan */
	if (strspn(s, "0123456789.") != strlen(s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v) || v < 0.01 || v > 86400)
		return -EINVAL;
	*ms = (unsigned int)(v * 1000.0 + 0.5);
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one switch case per option, each
 * its own field and message.
 */
static int set_common(struct args *a, int c, const char *arg)
{
	unsigned long v;
	int err;

	switch (c) {
	case 'p':
		err = filter__add_pid(&a->filter, arg);
		if (err == -ESRCH)
			log__error("no process with pid %s", arg);
		else if (err == -E2BIG)
			log__error("at most %d -p options", FILTER_MAX_PIDS);
		else if (err)
			log__error("invalid pid '%s': expected a positive number", arg);
		return err ? -EINVAL : 0;
	case 'c':
		if (filter__set_comm(&a->filter, arg)) {
			log__error("invalid comm: must not be empty");
			return -EINVAL;
		}
		return 0;
	case OPT_CGROUP:
		err = filter__set_cgroup(&a->filter, arg);
		if (err == -EMEDIUMTYPE)
			log__error("--cgroup '%s' is not a cgroup v2 directory (e.g. "
				   "/sys/fs/cgroup/system.slice)", arg);
		else if (err)
			log__error("cannot open cgroup directory '%s': %s", arg, strerror(-err));
		return err ? -EINVAL : 0;
	case 'j':
		a->json = true;
		return 0;
	case OPT_TOP:
		if (cmd__uint(arg, 1, 1000000, &v)) {
			log__error("invalid --top '%s': expected a number from 1", arg);
			return -EINVAL;
		}
		a->top = (unsigned int)v;
		return 0;
	case OPT_SORT:
		a->sort_name = arg; /* checked against the tracers that run: check_sort */
		return 0;
	case OPT_RUNG:
		a->rung = rung__parse(arg);
		if (a->rung == -EINVAL) {
			log__error("unknown rung '%s': use auto, tp_btf, raw_tp or tracepoint", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_NO_STATS:
		a->no_stats = true;
		return 0;
	case OPT_FULL:
		a->full = true;
		return 0;
	case OPT_SUMMARY:
		a->summary = true;
		return 0;
	case OPT_LIST_HOOKS:
		a->list_hooks = true;
		return 0;
	case 'w':
		if (!arg[0]) {
			log__error("invalid -w '': expected a file name, or - for stdout");
			return -EINVAL;
		}
		a->capture = arg;
		return 0;
	case OPT_SNAPLEN:
		if (cmd__uint(arg, ARGS_SNAPLEN_MIN, ARGS_SNAPLEN_MAX, &v)) {
			log__error("invalid --snaplen '%s': expected %d to %d (bytes)", arg,
				   ARGS_SNAPLEN_MIN, ARGS_SNAPLEN_MAX);
			return -EINVAL;
		}
		a->snaplen = (unsigned int)v;
		return 0;
	case 'v':
		a->verbose = true;
		return 0;
	default:
		return 1; /* not a common option */
	}
}

static int parse_positionals(struct args *a, int argc, char **argv, bool names_ok)
{
	unsigned long v;
	int nnum = 0;

	for (int i = optind; i < argc; i++) {
		const char *s = argv[i];

		if ((s[0] >= '0' && s[0] <= '9') || s[0] == '.') {
			if (nnum == 0 && parse_interval(s, &a->interval_ms)) {
				log__error("invalid interval '%s': seconds from 0.01 to 86400", s);
				return -EINVAL;
			}
			if (nnum == 1 && cmd__uint(s, 1, 1UL << 40, &v)) {
				log__error("invalid count '%s': expected a number from 1", s);
				return -EINVAL;
			}
			if (nnum == 1)
				a->count = v;
			if (nnum++ >= 2) {
				log__error("too many numbers: expected [interval [count]]");
				return -EINVAL;
			}
			continue;
		}
		if (!names_ok || nnum || a->nnames >= ARGS_MAX_NAMES) {
			log__error("unexpected argument '%s': see -h", s);
			return -EINVAL;
		}
		a->names[a->nnames++] = s;
	}
	return 0;
}

/* -w and --snaplen against the tracers that run (runs[0..n)): 0, or -EINVAL after a message. */
static int check_capture(struct args *a, const struct tracer_run *runs, size_t n)
{
	bool captures = false;

	for (size_t i = 0; i < n; i++)
		captures |= runs[i].tracer->captures;
	if (a->snaplen && !a->capture) {
		log__error("--snaplen needs -w FILE (the capture it sizes)");
		return -EINVAL;
	}
	if (a->capture && !captures) {
		log__error("-w: %s no packets to capture; pktjourney does",
			   n == 1 ? "this tracer has" : "these tracers have");
		return -EINVAL;
	}
	if (!a->snaplen)
		a->snaplen = ARGS_SNAPLEN_DEFAULT;
	return 0;
}

/* True when option opt of table opts[0..n) takes its value from the next argument. */
static bool takes_value_of(const char *opt, const struct option *opts, size_t n)
{
	for (size_t i = 0; i < n && opts[i].name; i++)
		if (opts[i].has_arg == required_argument &&
		    ((opt[0] == '-' && opt[1] == '-' && !strcmp(opt + 2, opts[i].name)) ||
		     (opt[0] == '-' && opt[1] == opts[i].val && !opt[2])))
			return true;
	return false;
}

/* Is c one of the command's own options (a long option's key or a short letter of x)? */
static bool is_extra(const struct args_extra *x, int c)
{
	for (size_t i = 0; x->opts[i].name; i++)
		if (x->opts[i].val == c)
			return true;
	return c > 0 && c < 256 && strchr(x->shorts, c);
}

/* args__parse, with a command's own options x (may be NULL). */
static int parse(struct args *a, int argc, char **argv, const struct tracer *t, void *state,
		 const struct args_extra *x)
{
	struct option opts[NCOMMON + NUNIT + ARGS_EXTRA_MAX + MAX_TRACER_OPTS + 1];
	bool units = takes_units(argv[0], t), rung_given = false;
	const char *env;
	char shorts[64];
	int c, err;

	memset(a, 0, sizeof(*a));
	a->sort = -1;
	a->rung = RUNG_AUTO;
	a->interval_ms = 1000;
	build_opts(t, units, x, opts, shorts, sizeof(shorts));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		if (c == 'h') {
			if (x && x->usage)
				x->usage(stdout, argv[0], t);
			else
				args__usage(stdout, argv[0], t);
			a->help = true;
			return 0;
		}
		if (c == '?' || c == ':') {
			if (optopt && optopt < 256)
				log__error("%s -%c (see -h)", c == ':' || strchr(shorts, optopt) ?
					   "missing value for" : "unknown option", optopt);
			else if (takes_value_of(argv[optind - 1], opts, ARRAY_LEN(opts)))
				log__error("missing value for %s (see -h)", argv[optind - 1]);
			else
				log__error("unknown option or missing value: '%s' (see -h)",
					   argv[optind - 1]);
			return -EINVAL;
		}
		if (units && (c == 'u' || c == 'm')) {
			unsigned long ns = c == 'u' ? 1000 : 1000000;

			if (a->hist_unit_ns && a->hist_unit_ns != ns) {
				log__error("-u and -m: choose one unit for the histograms");
				return -EINVAL;
			}
			a->hist_unit_ns = ns;
			continue;
		}
		rung_given |= c == OPT_RUNG;
		err = set_common(a, c, optarg);
		if (err < 0)
			return err;
		if (err == 0)
			continue;
		if (x && is_extra(x, c)) {
			if (x->set(x->ctx, c, optarg))
				return -EINVAL;
			continue;
		}
		if (!t || !t->set_option || t->set_option(state, c, optarg))
			return -EINVAL;
	}
	/* read after the options: a command's option may unset it (serve --replay) */
	env = getenv("TRACERHUB_RUNG");
	if (!rung_given && env && *env) {
		a->rung = rung__parse(env);
		if (a->rung == -EINVAL) {
			log__error("unknown TRACERHUB_RUNG '%s': use auto, tp_btf, raw_tp or "
				   "tracepoint", env);
			return -EINVAL;
		}
	}
	if (t) {
		struct tracer_run run = { .tracer = t };

		if (args__check_sort(a, &run, 1) || check_capture(a, &run, 1))
			return -EINVAL;
	}
	return parse_positionals(a, argc, argv, t == NULL);
}

int args__parse(struct args *a, int argc, char **argv, const struct tracer *t, void *state)
{
	return parse(a, argc, argv, t, state, NULL);
}

/* The fields of runs[0..n) as "a, b, c" into buf. */
static const char *fields_of(const struct tracer_run *runs, size_t n, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int m = 0; m < METRIC_COUNT; m++)
		for (size_t i = 0; i < n; i++)
			if (metric__of_tracer(m, runs[i].tracer->name) && o < len) {
				o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
						     metric__info(m)->name);
				break;
			}
	return buf;
}

int args__check_sort(struct args *a, const struct tracer_run *runs, size_t n)
{
	char list[1024];
	int m;

	if (!a->sort_name)
		return 0;
	m = metric__by_name(a->sort_name);
	for (size_t i = 0; m >= 0 && i < n; i++)
		if (metric__of_tracer(m, runs[i].tracer->name)) {
			a->sort = m;
			return 0;
		}
	fields_of(runs, n, list, sizeof(list));
	if (list[0])
		log__error("--sort %s: not a field of %s%s; use one of: %s", a->sort_name,
			   n == 1 ? runs[0].tracer->name : "the tracers that run",
			   m >= 0 ? " (other tracers report it)" : "", list);
	else
		log__error("--sort %s: %s%s no per-process fields to sort by", a->sort_name,
			   n == 1 ? runs[0].tracer->name : "the tracers that run",
			   n == 1 ? " has" : " have");
	return -EINVAL;
}

struct session_opts args__session_opts(const struct args *a, const struct sink *sink,
				       bool skip_unavailable)
{
	return (struct session_opts){
		.interval_ms = a->interval_ms,
		.count = a->count,
		.rung = a->rung,
		.filter = &a->filter,
		.skip_unavailable = skip_unavailable,
		.no_stats = a->no_stats,
		.list_hooks = a->list_hooks,
		.sink = sink,
		.snaplen = a->snaplen,
	};
}

/*
 * Fill runs (room for max) with the tracers named in a, or with every tracer
 * when none is named, each with zeroed option state; *n counts them.
 */
static int tracer_runs(const struct args *a, struct tracer_run *runs, size_t max, size_t *n)
{
	*n = 0;
	for (unsigned int i = 0; i < a->nnames && *n < max; i++) {
		const struct tracer *t = registry__find(a->names[i]);

		if (!t) {
			log__error("unknown tracer '%s': `tracerhub list` shows them", a->names[i]);
			return -EINVAL;
		}
		for (size_t k = 0; k < *n; k++) {
			if (runs[k].tracer == t) {
				log__error("tracer '%s' named twice: it would count everything "
					   "twice", a->names[i]);
				return -EINVAL;
			}
		}
		runs[(*n)++] = (struct tracer_run){ .tracer = t };
	}
	for (int i = 0; !a->nnames && registry_tracers[i] && *n < max; i++)
		runs[(*n)++] = (struct tracer_run){ .tracer = registry_tracers[i] };
	for (size_t i = 0; i < *n; i++) {
		runs[i].state = calloc(1, runs[i].tracer->state_size);
		if (!runs[i].state) {
			log__error("out of memory");
			return -ENOMEM;
		}
		if (runs[i].tracer->set_mode)
			runs[i].tracer->set_mode(runs[i].state, a->full);
	}
	return 0;
}

int args__open_capture(const struct args *a, struct session_opts *o, struct pcapng **cap,
		       struct sink *k)
{
	*cap = NULL;
	if (!a->capture)
		return 0;
	*cap = pcapng__open(a->capture, a->snaplen);
	if (!*cap)
		return -1;
	pcapng__sink(*cap, k);
	o->capture = k;
	return 0;
}

void args__free_runs(struct tracer_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(runs[i].state);
		runs[i].state = NULL;
	}
}

/* True when option opt (common, or x's) takes its value from the next argument. */
static bool takes_value(const char *opt, const struct args_extra *x)
{
	const char *s;

	if (takes_value_of(opt, common_opts, NCOMMON) ||
	    (x && takes_value_of(opt, x->opts, ARGS_EXTRA_MAX)))
		return true;
	/* a short option of x's with a value: "-o" of "o:" */
	s = x && opt[0] == '-' && opt[1] && opt[1] != '-' && !opt[2] ? strchr(x->shorts, opt[1])
								      : NULL;
	return s && s[1] == ':';
}

/*
 * With exactly one tracer named in argv[1..*argc) (not the value of an
 * option), take its name out of argv and make *run that tracer with a zeroed
 * option state. 1 when taken, 0 when none or several are named, -ENOMEM.
 */
static int take_single_run(char **argv, int *argc, struct tracer_run *run,
			   const struct args_extra *x)
{
	const struct tracer *t = NULL;
	void *state;
	int at = -1;

	for (int i = 1; i < *argc; i++) {
		if (!registry__find(argv[i]) || takes_value(argv[i - 1], x))
			continue;
		if (t)
			return 0;
		t = registry__find(argv[i]);
		at = i;
	}
	if (!t)
		return 0;
	state = calloc(1, t->state_size);
	if (!state) {
		log__error("out of memory");
		return -ENOMEM;
	}
	memmove(&argv[at], &argv[at + 1], (size_t)(*argc - at) * sizeof(*argv));
	(*argc)--;
	*run = (struct tracer_run){ .tracer = t, .state = state };
	return 1;
}

int args__parse_runs(struct args *a, int argc, char **argv, struct tracer_run *runs, size_t max,
		     size_t *n, const struct args_extra *x)
{
	int single;

	*n = 0;
	single = take_single_run(argv, &argc, &runs[0], x);
	if (single < 0)
		return single;
	*n = (size_t)single;
	if (parse(a, argc, argv, single ? runs[0].tracer : NULL, single ? runs[0].state : NULL, x))
		return -EINVAL;
	if (!single) {
		int err = tracer_runs(a, runs, max, n);

		if (!err && check_capture(a, runs, *n))
			err = -EINVAL;
		return err ? err : args__check_sort(a, runs, *n);
	}
	/* still a tracer named, for whoever asks whether any was */
	a->names[0] = runs[0].tracer->name;
	a->nnames = 1;
	return 0;
}
