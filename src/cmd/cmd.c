// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What the commands share: the terminal's width, the root check, argument parsing. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"

unsigned int cmd__terminal_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_col)
		return 0;
	return ws.ws_col;
}

int cmd__code(int err)
{
	return !err ? CMD_OK : err == -EINVAL ? CMD_USAGE : CMD_FAIL;
}

int cmd__common_opt(int c, char **argv, bool *json, void (*usage)(FILE *f))
{
	if (c == 'j') {
		*json = true;
		return -1;
	}
	if (c == 'h') {
		usage(stdout);
		return CMD_OK;
	}
	log__error("unknown option or missing value: '%s' (see -h)", argv[optind - 1]);
	return CMD_USAGE;
}

int cmd__uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-' || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

bool cmd__root(const char *hint)
{
	if (geteuid() == 0)
		return true;
	log__error("must run as root: loading BPF programs needs CAP_BPF and CAP_PERFMON (%s)",
		   hint);
	return false;
}

int cmd__json_only(int argc, char **argv, int (*run)(bool json), const char *summary)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool json = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
			continue;
		}
		if (c == 'h') {
			printf("Usage: tracerhub %s [-j]\n\n%s.\n\nOptions:\n"
			       "  -j, --json         one JSON document instead of text\n"
			       "  -h, --help         this help\n\n" CMD_EXIT_HELP,
			       argv[0], summary);
			return CMD_OK;
		}
		log__error("unknown option '%s' (usage: tracerhub %s [-j])", argv[optind - 1],
			   argv[0]);
		return CMD_USAGE;
	}
	if (optind < argc) {
		log__error("unexpected argument '%s' (usage: tracerhub %s [-j])", argv[optind],
			   argv[0]);
		return CMD_USAGE;
	}
	return run(json);
}

int cmd__parse_runs(struct args *a, int argc, char **argv, struct tracer_run *runs, size_t max,
		    size_t *n, const struct args_extra *x)
{
	int err = args__parse_runs(a, argc, argv, runs, max, n, x);

	if (err)
		return err == -ENOMEM ? CMD_FAIL : CMD_USAGE;
	return a->help ? CMD_OK : -1;
}
