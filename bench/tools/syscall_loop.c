// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The syscall microbenchmark: 1-byte reads of /dev/zero for SECONDS seconds
 * (default 3); prints syscalls per second.
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
	double secs = argc > 1 ? atof(argv[1]) : 3.0, start, end;
	int fd = open("/dev/zero", O_RDONLY);
	unsigned long n = 0;
	char c;

	if (fd < 0 || secs <= 0)
		return 1;
	start = now();
	do {
		for (int i = 0; i < 10000; i++)
			if (read(fd, &c, 1) != 1)
				return 1;
		n += 10000;
		end = now();
	} while (end - start < secs);
	printf("%.0f\n", n / (end - start));
	return 0;
}
