// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A block IO workload with exactly known requests, started before the tracer
 * attaches: it waits for SIGUSR1, then on block device DEV does WRITES direct
 * (O_DIRECT) 4 KiB writes at sectors 0, 8, 16, ..., READS direct 4 KiB reads
 * of the same sectors, and BUFFERED 4 KiB writes through the page cache after
 * them, which it leaves dirty for writeback (no fsync), then exits.
 * Usage: bio_workload DEV WRITES READS [BUFFERED]
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096

int main(int argc, char **argv)
{
	long writes, reads, buffered = 0;
	sigset_t set;
	void *buf;
	int sig, fd;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s DEV WRITES READS [BUFFERED]\n", argv[0]);
		return 2;
	}
	writes = atol(argv[2]);
	reads = atol(argv[3]);
	if (argc == 5)
		buffered = atol(argv[4]);
	if (posix_memalign(&buf, BLOCK, BLOCK))
		return 1;
	memset(buf, 0xab, BLOCK);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (sigwait(&set, &sig))
		return 1;
	for (long i = 0; i < writes; i++)
		if (pwrite(fd, buf, BLOCK, i * BLOCK) != BLOCK)
			return 1;
	for (long i = 0; i < reads; i++)
		if (pread(fd, buf, BLOCK, i * BLOCK) != BLOCK)
			return 1;
	close(fd);
	if (!buffered)
		return 0;
	fd = open(argv[1], O_WRONLY);
	if (fd < 0)
		return 1;
	for (long i = 0; i < buffered; i++)
		if (pwrite(fd, buf, BLOCK, (writes + i) * BLOCK) != BLOCK)
			return 1;
	close(fd);
	return 0;
}
