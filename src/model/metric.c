// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include "model/metric.h"

static const struct metric_info metrics[METRIC_COUNT] = {
	[METRIC_SYSCALLS] = { "syscalls", "SYSCALLS", UNIT_COUNT, "system calls made" },
	[METRIC_SYSCALL_ERRORS] = { "syscall_errors", "ERRORS", UNIT_COUNT,
				    "system calls that returned an error" },
	[METRIC_READ_OPS] = { "read_ops", "READS", UNIT_COUNT,
			      "read-family calls (read, pread, readv, ...)" },
	[METRIC_READ_BYTES] = { "read_bytes", "READ_B", UNIT_BYTES, "bytes returned by reads" },
	[METRIC_WRITE_OPS] = { "write_ops", "WRITES", UNIT_COUNT,
			       "write-family calls (write, pwrite, sendfile, ...)" },
	[METRIC_WRITE_BYTES] = { "write_bytes", "WRITE_B", UNIT_BYTES, "bytes accepted by writes" },
	[METRIC_OPENS] = { "opens", "OPENS", UNIT_COUNT, "files opened (open, openat, openat2, creat)" },
	[METRIC_URING_SUBMITS] = { "uring_submits", "URING", UNIT_COUNT,
				   "io_uring requests submitted" },
	[METRIC_BLOCK_REQS] = { "block_reqs", "BIO", UNIT_COUNT,
				"block requests started on the process' behalf" },
	[METRIC_BLOCK_BYTES] = { "block_bytes", "BIO_B", UNIT_BYTES, "bytes of those block requests" },
};

const struct metric_info *metric__info(enum metric m)
{
	return &metrics[m];
}

int metric__by_name(const char *name)
{
	for (int m = 0; m < METRIC_COUNT; m++)
		if (!strcmp(metrics[m].name, name))
			return m;
	return -ENOENT;
}
