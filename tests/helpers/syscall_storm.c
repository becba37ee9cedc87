// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A syscall storm of exactly counted size: a child (none of the dynamic
 * loader's reads are its) makes 1-byte reads of /dev/zero for SECONDS seconds
 * (the clock read through the vDSO, no syscall), then prints its pid, the
 * number of reads made and their rate.
 * Usage: syscall_storm SECONDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double secs = argc == 2 ? atof(argv[1]) : 0, start, end;
	unsigned long long reads = 0;
	int fd = open("/dev/zero", O_RDONLY), status;
	pid_t pid;
	char c;

	if (argc != 2 || secs <= 0 || fd < 0) {
		fprintf(stderr, "usage: syscall_storm SECONDS\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid > 0) {
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
			return 1;
		return WEXITSTATUS(status);
	}
	start = now();
	end = start + secs;
	do {
		for (int i = 0; i < 10000; i++)
			if (read(fd, &c, 1) != 1)
				return 1;
		reads += 10000;
	} while (now() < end);
	printf("pid %d\nreads %llu\nreads_per_s %.0f\n", (int)getpid(), reads,
	       (double)reads / (now() - start));
	return 0;
}
