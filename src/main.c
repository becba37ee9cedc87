// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* tracerhub: the command table (bpftool's shape): a command, or a tracer, by its name. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/registry.h"
#include "core/tracer.h"

#define TRACERHUB_VERSION "0.1.0"

/* A command: its name, its function (argv[0] is the name; returns the exit code), its line. */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static void usage(FILE *f);
static const struct cmd *find_cmd(const char *name);

static int cmd_version(int argc, char **argv)
{
	printf("tracerhub %s (libbpf %s)\n", TRACERHUB_VERSION, libbpf_version_string());
	return 0;
}

/* `tracerhub help [COMMAND | TRACER]`: the -h of the one named, else the overview. */
static int cmd_help(int argc, char **argv)
{
	const struct tracer *t = argc > 1 ? registry__find(argv[1]) : NULL;
	const struct cmd *c = argc > 1 ? find_cmd(argv[1]) : NULL;
	char *h[] = { argc > 1 ? argv[1] : NULL, "-h", NULL };

	if (c && c->fn != cmd_help)
		return c->fn(2, h);
	if (t)
		args__usage(stdout, t->name, t);
	else
		usage(stdout);
	return 0;
}

static const struct cmd cmds[] = {
	{ "top", cmd__top, "live per-process view of every tracer this kernel supports" },
	{ "serve", cmd__serve, "web dashboard, JSON API and Prometheus /metrics over HTTP" },
	{ "record", cmd__record, "record every interval to an SQLite file (-o FILE.db)" },
	{ "report", cmd__report, "summarize or search a recording: tracerhub report FILE.db" },
	{ "list", cmd__list, "list the tracers and whether each can run on this kernel" },
	{ "doctor", cmd__doctor, "check kernel features: BTF, tracefs, rungs, kprobes, fentry..." },
	{ "help", cmd_help, "help on a command or tracer: tracerhub help TRACER" },
	{ "version", cmd_version, "print the version" },
};

static const struct cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(name, cmds[i].name))
			return &cmds[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: tracerhub COMMAND [options] [interval [count]]\n\n"
		   "A low-overhead tracing hub: what the system does, per process, from BPF.\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
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
	const struct cmd *c;

	signal(SIGPIPE, SIG_IGN);
	/* a script's background job starts with these ignored: Ctrl-C and kill must stop us */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	log__setup(false, false);
	if (argc < 2) {
		usage(stderr);
		return CMD_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(argc - 1, argv + 1);
	c = find_cmd(argv[1]);
	if (c)
		return c->fn(argc - 1, argv + 1);
	t = registry__find(argv[1]);
	if (t)
		return cmd__tracer(t, argc - 1, argv + 1);
	log__error("unknown command or tracer '%s': `tracerhub -h` lists them", argv[1]);
	return CMD_USAGE;
}
