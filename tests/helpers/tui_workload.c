// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A steady workload for the dashboard test: reads 1 byte from /dev/zero RATE
 * times a second, in 100 evenly paced batches a second, for SECONDS seconds
 * (RATE * SECONDS reads), and exits. Copy it under a unique name to find it.
 * With GATE it first waits (polling every 10 ms, no reads) until file GATE
 * exists, so that a dashboard can open its row before the counted reads start.
 * Usage: tui_workload RATE SECONDS [GATE]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TICKS_PER_SEC 100

int main(int argc, char **argv)
{
	struct timespec next;
	long rate, secs;
	char c;
	int fd;

	if (argc < 3 || argc > 4 || (rate = atol(argv[1])) < TICKS_PER_SEC ||
	    (secs = atol(argv[2])) < 1) {
		fprintf(stderr, "usage: %s RATE(>=100) SECONDS [GATE]\n", argv[0]);
		return 2;
	}
	while (argc == 4 && access(argv[3], F_OK)) {
		struct timespec tick = {0, 1000000000L / TICKS_PER_SEC};

		nanosleep(&tick, NULL);
	}
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (long tick = 0; tick < secs * TICKS_PER_SEC; tick++) {
		/* batches sum to exactly rate per second */
		long n = rate * (tick % TICKS_PER_SEC + 1) / TICKS_PER_SEC -
			 rate * (tick % TICKS_PER_SEC) / TICKS_PER_SEC;

		for (long i = 0; i < n; i++)
			if (read(fd, &c, 1) != 1)
				return 1;
		next.tv_nsec += 1000000000L / TICKS_PER_SEC;
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	close(fd);
	return 0;
}
