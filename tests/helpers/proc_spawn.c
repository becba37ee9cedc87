// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Processes with known argv and exit codes, for the exec tracer's tests and
 * the fork/exit storm benchmark.
 *   proc_spawn exec N     N children, each exec'ing this program as
 *                         "proc_spawn child K tag-K"; child K is killed by
 *                         SIGTERM when K % 5 == 4, else exits with K % 7
 *   proc_spawn fail N     N children whose exec fails (ENOENT), argv "nope K",
 *                         then exit with 127
 *   proc_spawn storm N    N children that exit at once (fork, _exit(0), wait)
 *   proc_spawn storm-for SECS
 *                         fork/exit children for SECS seconds, print processes/s
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Fork a child that runs fn(k) and wait for it; 0 when it was forked and reaped. */
static int spawn(void (*fn)(long), long k)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0)
		fn(k);
	return waitpid(pid, &status, 0) == pid ? 0 : -1;
}

static void exec_self(long k)
{
	char num[24], tag[32];

	snprintf(num, sizeof(num), "%ld", k);
	snprintf(tag, sizeof(tag), "tag-%ld", k);
	execl("/proc/self/exe", "proc_spawn", "child", num, tag, (char *)NULL);
	_exit(127);
}

static void exec_missing(long k)
{
	char num[24];

	snprintf(num, sizeof(num), "%ld", k);
	execl("/nonexistent/proc_spawn_missing", "nope", num, (char *)NULL);
	_exit(127);
}

static void exit_now(long k)
{
	_exit(0);
}

/* The modes that spawn N children, each running child(K). */
static const struct {
	const char *name;
	void (*child)(long k);
} modes[] = {
	{ "exec", exec_self },
	{ "fail", exec_missing },
	{ "storm", exit_now },
};

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (argc > 2 && !strcmp(argv[1], "child")) {
		if (n % 5 == 4)
			raise(SIGTERM);
		return (int)(n % 7);
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (argc != 3 || strcmp(argv[1], modes[i].name) || n <= 0)
			continue;
		for (long k = 0; k < n; k++)
			if (spawn(modes[i].child, k))
				return 1;
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "storm-for") && n > 0) {
		double start = now_s(), end = start + (double)n, t;
		long done = 0;

		do {
			for (int i = 0; i < 64; i++, done++)
				if (spawn(exit_now, done))
					return 1;
			t = now_s();
		} while (t < end);
		printf("%.0f\n", (double)done / (t - start));
		return 0;
	}
	fprintf(stderr, "usage: %s exec N | fail N | storm N | storm-for SECS\n", argv[0]);
	return 2;
}
