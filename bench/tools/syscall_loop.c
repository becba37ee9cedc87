// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The syscall microbenchmark: 1-byte reads of /dev/zero for SECONDS seconds
 * (default 3), timed in slices of 0.1 s; prints the syscalls per second of
 * the fastest slice. Interference (interrupts, the host) only ever slows a
 * slice down, so the fastest one is the steadiest estimate of what a syscall
 * costs with or without a tracer; every variant is measured the same way.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3.0, start, slice, t, best = 0;
	int fd = open("/dev/zero", O_RDONLY);
	char c;

	if (fd < 0 || secs <= 0)
		return 1;
	start = slice = now();
	do {
		unsigned long n = 0;

		do {
			for (int i = 0; i < 10000; i++)
				if (read(fd, &c, 1) != 1)
					return 1;
			n += 10000;
			t = now();
		} while (t - slice < 0.1);
		if (n / (t - slice) > best)
			best = n / (t - slice);
		slice = t;
	} while (t - start < secs);
	printf("%.0f\n", best);
	return 0;
}
