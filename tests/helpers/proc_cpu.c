// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * CPU workloads with known shapes, started before the tracer attaches: each
 * waits for SIGUSR1, then
 *   proc_cpu spin MS        burns MS ms of CPU in one thread, then prints the
 *                           CPU time getrusage reports, in ns
 *   proc_cpu runq CPU MS    two threads pinned to CPU spin for MS ms of wall
 *                           time: each waits on the run queue while the other
 *                           runs; prints the kernel's run-queue wait of both
 *                           (schedstat run_delay, ns) and how often they ran
 *   proc_cpu forks N MS     N child processes, one after the other, each burns
 *                           MS ms of CPU and exits; prints the children's CPU
 *                           time (getrusage RUSAGE_CHILDREN, ns), then their pids
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static double clock_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wait_usr1(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigwait(&set, &sig);
}

struct spinner {
	int cpu;
	double until; /* CLOCK_MONOTONIC */
	unsigned long long run_delay, pcount;
};

static void *spin(void *arg)
{
	struct spinner *s = arg;
	char path[64];
	cpu_set_t set;
	FILE *f;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		return (void *)1;
	while (clock_s(CLOCK_MONOTONIC) < s->until)
		;
	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", (long)syscall(SYS_gettid));
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%*u %llu %llu", &s->run_delay, &s->pcount) != 2)
			s->run_delay = s->pcount = 0;
		fclose(f);
	}
	return NULL;
}

/* Burn ms ms of this process' CPU time. */
static void burn(long ms)
{
	double start = clock_s(CLOCK_PROCESS_CPUTIME_ID);

	while (clock_s(CLOCK_PROCESS_CPUTIME_ID) - start < ms / 1000.0)
		;
}

static unsigned long long rusage_ns(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "spin")) {
		wait_usr1();
		burn(atol(argv[2]));
		printf("%llu\n", rusage_ns(RUSAGE_SELF));
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "forks")) {
		int n = atoi(argv[2]);
		pid_t pids[64];

		if (n < 1 || n > 64)
			return 2;
		wait_usr1();
		for (int i = 0; i < n; i++) {
			int status;

			pids[i] = fork();
			if (pids[i] < 0)
				return 1;
			if (!pids[i]) {
				burn(atol(argv[3]));
				_exit(0);
			}
			if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status))
				return 1;
		}
		printf("%llu", rusage_ns(RUSAGE_CHILDREN));
		for (int i = 0; i < n; i++)
			printf(" %d", (int)pids[i]);
		printf("\n");
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "runq")) {
		struct spinner s[2];
		pthread_t t[2];

		wait_usr1();
		for (int i = 0; i < 2; i++) {
			s[i] = (struct spinner){ .cpu = atoi(argv[2]) };
			s[i].until = clock_s(CLOCK_MONOTONIC) + atol(argv[3]) / 1000.0;
			if (pthread_create(&t[i], NULL, spin, &s[i]))
				return 1;
		}
		for (int i = 0; i < 2; i++) {
			void *ret;

			if (pthread_join(t[i], &ret) || ret)
				return 1;
		}
		printf("%llu %llu\n", s[0].run_delay + s[1].run_delay, s[0].pcount + s[1].pcount);
		return 0;
	}
	fprintf(stderr, "usage: %s spin MS | runq CPU MS | forks N MS\n", argv[0]);
	return 2;
}
