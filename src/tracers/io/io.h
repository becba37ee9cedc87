/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* io tracer: types shared by io.bpf.c and io.c. */
#ifndef TRACERHUB_TRACERS_IO_H
#define TRACERHUB_TRACERS_IO_H

#include "bpf/syscall_nr.h"

#define IO_MAX_PROCS 10240
#define IO_COMM_LEN 16

/* What a syscall number means to io; the table is filled by user space by name. */
enum io_kind {
	IO_KIND_NONE,
	IO_KIND_READ,
	IO_KIND_WRITE,
	IO_KIND_OPEN,
	IO_KIND_EXEC,
};

/* Per process (tgid); per-CPU, cumulative. The counters come first, in this order. */
struct io_proc {
	__u64 read_ops;
	__u64 read_bytes;
	__u64 write_ops;
	__u64 write_bytes;
	__u64 opens;
	__u64 uring_submits;
	__u64 block_reqs;
	__u64 block_bytes;
	char comm[IO_COMM_LEN];
};

#define IO_COUNTERS 8

enum io_drop {
	IO_DROP_PROCS_FULL,
	IO_DROP_MAX,
};

#endif
