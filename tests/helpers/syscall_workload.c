// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A workload with exactly known syscalls, started before the tracer attaches:
 * it waits for SIGUSR1, then opens /dev/zero and FILE, does READS reads of
 * READ_SIZE bytes and WRITES writes of WRITE_SIZE bytes, closes both, makes
 * FAILS calls that fail (close(-1): EBADF), exits.
 * Usage: syscall_workload READS READ_SIZE WRITES WRITE_SIZE FILE [FAILS]
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	long reads, rsize, writes, wsize, fails;
	sigset_t set;
	int sig, in, out;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: %s READS READ_SIZE WRITES WRITE_SIZE FILE [FAILS]\n",
			argv[0]);
		return 2;
	}
	reads = atol(argv[1]);
	rsize = atol(argv[2]);
	writes = atol(argv[3]);
	wsize = atol(argv[4]);
	fails = argc == 7 ? atol(argv[6]) : 0;
	if (rsize > (long)sizeof(buf) || wsize > (long)sizeof(buf) || rsize < 1 || wsize < 1)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sigwait(&set, &sig))
		return 1;
	in = open("/dev/zero", O_RDONLY);
	out = open(argv[5], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (in < 0 || out < 0)
		return 1;
	for (long i = 0; i < reads; i++)
		if (read(in, buf, rsize) != rsize)
			return 1;
	for (long i = 0; i < writes; i++)
		if (write(out, buf, wsize) != wsize)
			return 1;
	close(in);
	close(out);
	for (long i = 0; i < fails; i++)
		if (close(-1) != -1)
			return 1;
	return 0;
}
