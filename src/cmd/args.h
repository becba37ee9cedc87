/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Command-line arguments of the tracer commands: common options, tracer options, interval, count. */
#ifndef TRACERHUB_CMD_ARGS_H
#define TRACERHUB_CMD_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include "core/filter.h"
#include "core/rung.h"
#include "core/session.h"

struct sink;
struct tracer;
struct tracer_run;

#define ARGS_MAX_NAMES 16
#define ARGS_SNAPLEN_MIN     16
#define ARGS_SNAPLEN_DEFAULT 128
#define ARGS_SNAPLEN_MAX     1024 /* PJ_SNAP_MAX */

struct args {
	struct filter filter;
	bool json;
	bool verbose;
	bool no_stats;
	bool full;		 /* --full: with several tracers, their heavy modes too */
	bool summary;		 /* --summary: per-interval tables also when events stream */
	bool list_hooks;	 /* --list-hooks: print the tracepoints used and exit */
	bool help;		 /* -h given: usage was printed */
	unsigned int top;	 /* 0 = default */
	unsigned long hist_unit_ns; /* -u: 1000, -m: 1000000; 0: each histogram's own */
	int sort;		 /* metric, -1 = default; set by args__check_sort */
	const char *sort_name;	 /* --sort's value, NULL when not given */
	int rung;		 /* enum rung or RUNG_AUTO */
	unsigned int interval_ms;
	unsigned long count;
	const char *names[ARGS_MAX_NAMES]; /* non-numeric positionals (tracer names for top) */
	unsigned int nnames;
	const char *capture;	 /* -w FILE: packets to FILE.pcapng ("-": stdout), or NULL */
	unsigned int snaplen;	 /* --snaplen: bytes of each packet -w keeps */
};

#define ARGS_EXTRA_KEY 0x8000 /* the first key of a command's own long-only options */
#define ARGS_EXTRA_MAX 24

/*
 * A command's own options (record's, serve's), parsed in the same getopt_long
 * pass as the common ones and a single tracer's.
 */
struct args_extra {
	const struct option *opts; /* up to ARGS_EXTRA_MAX, then a zeroed entry */
	const char *shorts;	   /* their short letters, as for getopt ("o:"), or "" */
	/* Take option c with its value (NULL without one): 0, or -EINVAL after a message. */
	int (*set)(void *ctx, int c, const char *arg);
	void *ctx;
	/* -h prints this instead of args__usage: the command, and the tracer named or NULL. */
	void (*usage)(FILE *f, const char *cmd, const struct tracer *t);
};

/*
 * Parse argv (argv[0] is the command name). t is the tracer whose options
 * are accepted (NULL for none) and state its option state; when argv[0] is
 * t's name and t has time histograms, -m/-u choose their unit. Unknown options,
 * bad values and bad positionals print one line on stderr and return
 * -EINVAL; so does a --sort field t does not report (args__check_sort). With
 * -h, usage is printed to stdout and a->help is set. The rung
 * also comes from TRACERHUB_RUNG when --rung is not given.
 */
int args__parse(struct args *a, int argc, char **argv, const struct tracer *t, void *state);
/*
 * Resolve --sort against the tracers that run (runs[0..n)): a field one of
 * them reports. 0 (also without --sort), or -EINVAL after a message listing
 * the fields they have.
 */
int args__check_sort(struct args *a, const struct tracer_run *runs, size_t n);
/*
 * The session options the parsed arguments ask for, rendering to sink;
 * skip_unavailable drops tracers this kernel cannot run instead of failing.
 */
struct session_opts args__session_opts(const struct args *a, const struct sink *sink,
				       bool skip_unavailable);
/*
 * args__parse for commands that run tracers (top, serve, record): with
 * exactly one tracer named (not the value of an option), that tracer's own
 * options too (`top syscalls -e`, `record -o x.db pktjourney --packets`).
 * Fills runs (room for max) with the tracers named, or with every tracer when
 * none is, each with zeroed option state; *n counts them (also on error: free
 * them with args__free_runs). a->names holds the tracers named, the single
 * one included. x, when not NULL, adds the command's own options. 0, -EINVAL
 * after a message (bad option, unknown tracer), or -ENOMEM.
 */
int args__parse_runs(struct args *a, int argc, char **argv, struct tracer_run *runs, size_t max,
		     size_t *n, const struct args_extra *x);
struct pcapng;
/*
 * With -w: create the capture and make it o's capture sink (k, filled in).
 * *cap is NULL without -w; close it with pcapng__close after the session.
 * 0, or -1 after a message (the file cannot be created).
 */
int args__open_capture(const struct args *a, struct session_opts *o, struct pcapng **cap,
		       struct sink *k);
/* Free the option states of runs[0..n). */
void args__free_runs(struct tracer_run *runs, size_t n);
/* Print usage of command cmd (a tracer command when t is set) to f. */
void args__usage(FILE *f, const char *cmd, const struct tracer *t);

#endif
