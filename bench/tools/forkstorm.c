// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A fork/exit storm: N short-lived processes (each exits at once), at most
 * 64 alive at a time. Prints processes per second. Usage: forkstorm N
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, alive = 0, started = 0;
	struct timespec a, b;

	if (n <= 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (started < n || alive > 0) {
		if (started < n && alive < 64) {
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			if (pid < 0)
				return 1;
			started++;
			alive++;
			continue;
		}
		if (wait(NULL) > 0)
			alive--;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.0f\n", n / ((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9));
	return 0;
}
