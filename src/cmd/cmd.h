/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The commands, one file each, and what they share. Each takes argv with
 * argv[0] its name and returns the exit code: 0 done (also -h), 1 a runtime
 * failure, 2 a usage error (bad option or value, not root). main.c's table
 * dispatches to them.
 */
#ifndef TRACERHUB_CMD_CMD_H
#define TRACERHUB_CMD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct args;
struct args_extra;
struct sink;
struct tracer;
struct tracer_run;

enum {
	CMD_OK = 0,
	CMD_FAIL = 1,  /* a runtime failure: the kernel, a file, a server */
	CMD_USAGE = 2, /* bad arguments: what -h says */
};

/*
 * The exit code of err, the result of a step given what the user asked for (a
 * file, a ClickHouse URL): 0 done, -EINVAL (the argument itself is malformed)
 * a usage error, any other (a file that cannot be read, a server that refuses
 * the connection, the credentials or the database) a runtime failure.
 */
int cmd__code(int err);

/* The line every -h ends its options with. */
#define CMD_EXIT_HELP "Exit status: 0 done, 1 a runtime failure, 2 a usage error (or not root).\n"
/* ... and its line for the commands that take a ClickHouse URL. */
#define CMD_EXIT_HELP_CH                                                                           \
	"A malformed ClickHouse URL exits 2; a server that refuses the credentials, the\n"          \
	"database or TLS exits 1.\n"

int cmd__top(int argc, char **argv);
int cmd__tracer(const struct tracer *t, int argc, char **argv);
int cmd__serve(int argc, char **argv);
int cmd__record(int argc, char **argv);
int cmd__report(int argc, char **argv);
/* `tracerhub top --replay FILE.db ...` (argv[0] is "top"). */
int cmd__replay(int argc, char **argv);
/* True when a `top` command line asks for --replay (then it is cmd__replay's). */
bool cmd__replay_requested(int argc, char **argv);
int cmd__list(int argc, char **argv);
int cmd__doctor(int argc, char **argv);

/*
 * The default branch of a command's getopt_long switch, for the options every
 * command shares: -j sets *json and returns -1 (go on), -h prints usage to
 * stdout and returns CMD_OK; anything else returns CMD_USAGE after saying
 * which option is unknown or lacks its value.
 */
int cmd__common_opt(int c, char **argv, bool *json, void (*usage)(FILE *f));
/* A whole decimal number s from min to max into *out: 0, or -EINVAL (nothing said). */
int cmd__uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);
/* The terminal's width in columns when stdout is one, else 0. */
unsigned int cmd__terminal_width(void);
/*
 * True when running as root; else false after saying that loading BPF needs
 * it, with hint (e.g. "try: sudo tracerhub record ...") in parentheses.
 */
bool cmd__root(const char *hint);
/*
 * A command that takes only -j and -h (list, doctor): parse them, then run
 * it (its exit code), or print -h's text with summary, or say what is wrong.
 * Returns the exit code.
 */
int cmd__json_only(int argc, char **argv, int (*run)(bool json), const char *summary);
/*
 * args__parse_runs (cmd/args.h) for a command: -1 to go on, else the exit
 * code (0 after -h's text, 1 out of memory, 2 bad arguments).
 */
int cmd__parse_runs(struct args *a, int argc, char **argv, struct tracer_run *runs, size_t max,
		    size_t *n, const struct args_extra *x);
/*
 * Trace runs[0..n) with the arguments a, rendering to custom, else to the
 * text or JSON sink a asks for; skip_unavailable drops tracers this kernel
 * cannot run, summary keeps the per-interval tables when events stream.
 * Returns the exit code.
 */
int cmd__trace(struct tracer_run *runs, size_t n, const struct args *a, bool skip_unavailable,
	       bool summary, const struct sink *custom);

#endif
