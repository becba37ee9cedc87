// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tracerhub: the command table and the tracer commands. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "cli/args.h"
#include "cli/doctor.h"
#include "core/log.h"
#include "core/registry.h"
#include "core/session.h"
#include "core/tracer.h"
#include "sinks/json.h"
#include "sinks/pcapng.h"
#include "core/sink.h"
#include "sinks/text.h"
#include "store/commands.h"
#include "tui/tui.h"
#include "web/serve.h"

#define TRACERHUB_VERSION "0.1.0"
#define TEXT_TOP_DEFAULT 20

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static void usage(FILE *f);

static unsigned int terminal_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_col)
		return 0;
	return ws.ws_col;
}

/*
 * Run tracers with parsed arguments and the sink they ask for (custom, else
 * text or JSON). Returns an exit code.
 */
static int run(struct tracer_run *runs, size_t n, const struct args *a, bool skip_unavailable,
	       bool summary, const struct sink *custom)
{
	struct text_sink text = { .f = stdout, .top = a->top ? a->top : TEXT_TOP_DEFAULT,
				  .sort = a->sort, .width = terminal_width(), .hists = true,
				  .hist_unit_ns = a->hist_unit_ns, .summary = summary };
	struct json_sink json = { .f = stdout, .top = a->top, .sort = a->sort,
				  .summary = summary };
	struct sink sink = a->json ? (struct sink){ .emit = json__emit, .event = json__event,
						    .ctx = &json, .input_fd = -1 } :
				     (struct sink){ .emit = text__emit, .event = text__event,
						    .ctx = &text, .input_fd = -1 };
	struct session_opts o = args__session_opts(a, custom ? custom : &sink, skip_unavailable);
	struct pcapng *cap;
	struct sink cap_sink;
	int code;

	if (geteuid() != 0) {
		log__error("must run as root: loading BPF programs needs CAP_BPF and CAP_PERFMON "
			   "(try: sudo tracerhub %s)", runs[0].tracer->name);
		return 2;
	}
	if (args__open_capture(a, &o, &cap, &cap_sink))
		return 1;
	if (a->capture && !strcmp(a->capture, "-"))
		text.f = json.f = stderr; /* stdout carries the capture */
	code = session__run(runs, n, &o) ? 1 : 0;
	pcapng__close(cap);
	return code;
}

/* `tracerhub TRACER ...` */
static int cmd_tracer(const struct tracer *t, int argc, char **argv)
{
	struct tracer_run r = { .tracer = t };
	struct args a;
	int code;

	r.state = calloc(1, t->state_size);
	if (!r.state) {
		log__error("out of memory");
		return 1;
	}
	if (args__parse(&a, argc, argv, t, r.state)) {
		free(r.state);
		return 2;
	}
	log__setup(a.json, a.verbose);
	code = a.help ? 0 : run(&r, 1, &a, false, a.summary, NULL);
	free(r.state);
	return code;
}

/*
 * `tracerhub top [tracer...]`: every tracer this kernel supports, or the ones
 * named; one tracer named takes its own options too (`top syscalls -e`).
 */
static int cmd_top(int argc, char **argv)
{
	struct tracer_run runs[32];
	const char *why = "";
	struct tui *tui = NULL;
	struct sink tui_sink;
	size_t n = 0;
	struct args a;
	int code = 2, err;

	if (store__replay_requested(argc, argv))
		return store__cmd_replay(argc, argv);
	err = args__parse_runs(&a, argc, argv, runs, sizeof(runs) / sizeof(runs[0]), &n);
	if (err) {
		code = err == -ENOMEM ? 1 : 2;
		goto out;
	}
	log__setup(a.json, a.verbose);
	if (a.help) {
		code = 0;
		goto out;
	}
	if (!a.json && !tui__usable(&why)) {
		tui = tui__new(a.interval_ms, a.sort);
		if (!tui) {
			log__error("cannot start the terminal dashboard: %s", strerror(errno));
			code = 1;
			goto out;
		}
		tui__sink(tui, &tui_sink);
	} else if (!a.json) {
		log__info("%s: text view instead of the dashboard", why);
	}
	code = run(runs, n, &a, a.nnames == 0, true, tui ? &tui_sink : NULL);
out:
	tui__free(tui);
	args__free_runs(runs, n);
	return code;
}

/* Commands that take only -j and -h. Returns -1 to go on, else an exit code. */
static int simple_args(int argc, char **argv, bool *json)
{
	*json = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			*json = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Usage: tracerhub %s [-j]\n", argv[0]);
			return 0;
		} else {
			log__error("unexpected argument '%s' (usage: tracerhub %s [-j])", argv[i],
				   argv[0]);
			return 2;
		}
	}
	return -1;
}

static int cmd_list(int argc, char **argv)
{
	bool json;
	int code = simple_args(argc, argv, &json);

	return code >= 0 ? code : doctor__list(json);
}

static int cmd_doctor(int argc, char **argv)
{
	bool json;
	int code = simple_args(argc, argv, &json);

	log__setup(false, false); /* libbpf's log is doctor's to read, not to print */
	return code >= 0 ? code : doctor__run(json);
}

static int cmd_version(int argc, char **argv)
{
	printf("tracerhub %s (libbpf %s)\n", TRACERHUB_VERSION, libbpf_version_string());
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	const struct tracer *t = argc > 1 ? registry__find(argv[1]) : NULL;

	if (t)
		args__usage(stdout, t->name, t);
	else
		usage(stdout);
	return 0;
}

static const struct cmd cmds[] = {
	{ "top", cmd_top, "live per-process view of every tracer this kernel supports" },
	{ "serve", serve__main, "web dashboard, JSON API and Prometheus /metrics over HTTP" },
	{ "record", store__cmd_record, "record every interval to an SQLite file (-o FILE.db)" },
	{ "report", store__cmd_report, "summarize or search a recording: tracerhub report FILE.db" },
	{ "list", cmd_list, "list the tracers and whether each can run on this kernel" },
	{ "doctor", cmd_doctor, "check kernel features: BTF, tracefs, rungs, kprobes, fentry..." },
	{ "help", cmd_help, "help on a command or tracer: tracerhub help TRACER" },
	{ "version", cmd_version, "print the version" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: tracerhub COMMAND [options] [interval [count]]\n\n"
		   "A low-overhead tracing hub: what the system does, per process, from BPF.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nTracers (tracerhub TRACER -h for options):\n");
	for (int i = 0; registry_tracers[i]; i++)
		fprintf(f, "  %-10s %s\n", registry_tracers[i]->name, registry_tracers[i]->summary);
	fprintf(f, "\nExamples:\n"
		   "  tracerhub doctor               # what works on this kernel\n"
		   "  tracerhub top                  # everything, every second\n"
		   "  tracerhub syscalls -L -p 1234  # syscalls of one process, with latency\n"
		   "  tracerhub io -j 1 5            # IO per process as JSON lines, 5 seconds\n");
}

int main(int argc, char **argv)
{
	const struct tracer *t;

	signal(SIGPIPE, SIG_IGN);
	/* a script's background job starts with these ignored: Ctrl-C and kill must stop us */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	log__setup(false, false);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	t = registry__find(argv[1]);
	if (t)
		return cmd_tracer(t, argc - 1, argv + 1);
	log__error("unknown command or tracer '%s': `tracerhub -h` lists them", argv[1]);
	return 2;
}
