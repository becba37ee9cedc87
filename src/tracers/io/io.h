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
};

/* The counters kept per process, in this order. */
enum io_counter {
	IO_READ_OPS,
	IO_READ_BYTES,
	IO_WRITE_OPS,
	IO_WRITE_BYTES,
	IO_OPENS,
	IO_URING_SUBMITS,
	IO_BLOCK_REQS,
	IO_BLOCK_BYTES,
	IO_COUNTERS,
};

/* Per process (tgid); per-CPU, cumulative. */
struct io_proc {
	__u64 counters[IO_COUNTERS];
	char comm[IO_COMM_LEN];
};

enum io_drop {
	IO_DROP_PROCS_FULL,
	IO_DROP_MAX,
};

#endif
