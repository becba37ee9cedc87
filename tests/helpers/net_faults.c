// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Touch exactly PAGES new anonymous pages (no huge pages), one minor fault
 * each, then exit. Usage: net_faults PAGES
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long pages = argc == 2 ? atol(argv[1]) : 0;
	long psize = sysconf(_SC_PAGESIZE);
	volatile char *p;

	if (pages < 1) {
		fprintf(stderr, "usage: %s PAGES\n", argv[0]);
		return 2;
	}
	p = mmap(NULL, pages * psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || madvise((void *)p, pages * psize, MADV_NOHUGEPAGE))
		return 1;
	for (long i = 0; i < pages; i++)
		p[i * psize] = 1;
	printf("touched=%ld\n", pages);
	return 0;
}
