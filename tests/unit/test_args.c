// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "cmd/args.h"
#include "core/registry.h"
#include "core/tracer.h"
#include "model/metric.h"
#include "unit.h"

/* Parse a NULL-terminated argument list for tracer t (NULL: the top command). */
static int parse(struct args *a, const struct tracer *t, char **argv)
{
	void *state = calloc(1, t ? t->state_size : 1);
	int argc = 0, err;

	while (argv[argc])
		argc++;
	err = args__parse(a, argc, argv, t, state);
	free(state);
	return err;
}

void test_args__common_options(void)
{
	char pid[16];
	struct args a;
	char *argv[] = { "syscalls", "-p", pid, "-c", "nginx", "-j", "--top", "5",
			 "--sort", "syscall_errors", "--rung", "raw_tp", "0.5", "3", NULL };

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	ASSERT_EQ(parse(&a, registry__find("syscalls"), argv), 0, "parse");
	ASSERT_EQ(a.filter.npids, 1, "one pid");
	ASSERT_EQ(a.filter.pids[0], getpid(), "pid");
	ASSERT_STREQ(a.filter.comm, "nginx", "comm");
	ASSERT_TRUE(a.json, "json");
	ASSERT_EQ(a.top, 5, "top");
	ASSERT_EQ(a.sort, METRIC_SYSCALL_ERRORS, "sort");
	ASSERT_EQ(a.rung, RUNG_RAW_TP, "rung");
	ASSERT_EQ(a.interval_ms, 500, "interval");
	ASSERT_EQ(a.count, 3, "count");
}

void test_args__rejects_bad_input(void)
{
	struct args a;
	const struct tracer *t = registry__find("syscalls");
	char *bad_pid[] = { "syscalls", "-p", "12x", NULL };
	char *no_pid[] = { "syscalls", "-p", "999999999", NULL };
	char *bad_opt[] = { "syscalls", "--bogus", NULL };
	char *bad_interval[] = { "syscalls", "0", NULL };
	char *bad_count[] = { "syscalls", "1", "-3", NULL };
	char *extra[] = { "syscalls", "1", "2", "3", NULL };
	char *name[] = { "syscalls", "io", NULL };
	char *sort[] = { "syscalls", "--sort", "nope", NULL };

	ASSERT_EQ(parse(&a, t, bad_pid), -EINVAL, "bad pid");
	ASSERT_EQ(parse(&a, t, no_pid), -EINVAL, "missing pid");
	ASSERT_EQ(parse(&a, t, bad_opt), -EINVAL, "unknown option");
	ASSERT_EQ(parse(&a, t, bad_interval), -EINVAL, "zero interval");
	ASSERT_EQ(parse(&a, t, bad_count), -EINVAL, "negative count");
	ASSERT_EQ(parse(&a, t, extra), -EINVAL, "three numbers");
	ASSERT_EQ(parse(&a, t, name), -EINVAL, "names only for top");
	ASSERT_EQ(parse(&a, t, sort), -EINVAL, "unknown sort field");
}

void test_args__tracer_options_and_names(void)
{
	struct args a;
	char *lat[] = { "syscalls", "-L", NULL };
	char *top[] = { "top", "syscalls", "io", "2", NULL };

	ASSERT_EQ(parse(&a, registry__find("syscalls"), lat), 0, "-L accepted by syscalls");
	ASSERT_EQ(parse(&a, registry__find("io"), lat), -EINVAL, "-L refused by io");
	ASSERT_EQ(parse(&a, NULL, top), 0, "top with names");
	ASSERT_EQ(a.nnames, 2, "two names");
	ASSERT_STREQ(a.names[1], "io", "second name");
	ASSERT_EQ(a.interval_ms, 2000, "interval after names");
}

/* What a command's own options saw (args_extra.set). */
struct extra_seen {
	const char *output;
	int duration;
};

static int extra_set(void *ctx, int c, const char *arg)
{
	struct extra_seen *seen = ctx;

	if (c == 'o') {
		seen->output = arg;
		return 0;
	}
	if (atoi(arg) <= 0)
		return -EINVAL;
	seen->duration = atoi(arg);
	return 0;
}

/*
 * A command's own options go through the same getopt_long pass as the common
 * ones and a single tracer's, in any order, and the value of one of them is
 * never taken for a tracer's name.
 */
void test_args__command_options(void)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "duration", required_argument, NULL, ARGS_EXTRA_KEY },
		{ 0 },
	};
	struct extra_seen seen = { 0 };
	const struct args_extra x = { .opts = opts, .shorts = "o:", .set = extra_set,
				      .ctx = &seen };
	char *argv[] = { "record", "-o", "syscalls", "--duration=5", "syscalls", "-L",
			 "--rung", "raw_tp", "0.5", NULL };
	char *bad[] = { "record", "--duration", "0", NULL };
	char *missing[] = { "record", "--duration", NULL };
	struct tracer_run runs[32];
	struct args a;
	size_t n;

	ASSERT_EQ(args__parse_runs(&a, 9, argv, runs, 32, &n, &x), 0, "parse");
	ASSERT_STREQ(seen.output, "syscalls", "-o's value is not a tracer");
	ASSERT_EQ(seen.duration, 5, "--duration=5");
	ASSERT_EQ(n, 1, "one tracer");
	ASSERT_STREQ(runs[0].tracer->name, "syscalls", "the tracer named");
	ASSERT_EQ(a.rung, RUNG_RAW_TP, "a common option among them");
	ASSERT_EQ(a.interval_ms, 500, "interval");
	args__free_runs(runs, n);
	ASSERT_EQ(args__parse_runs(&a, 3, bad, runs, 32, &n, &x), -EINVAL, "set refuses");
	args__free_runs(runs, n);
	ASSERT_EQ(args__parse_runs(&a, 2, missing, runs, 32, &n, &x), -EINVAL, "missing value");
	args__free_runs(runs, n);
}
