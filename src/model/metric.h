/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The per-process metrics a snapshot row can carry; one line per metric in metric.c. */
#ifndef TRACERHUB_MODEL_METRIC_H
#define TRACERHUB_MODEL_METRIC_H

enum metric {
	METRIC_SYSCALLS,
	METRIC_SYSCALL_ERRORS,
	METRIC_READ_OPS,
	METRIC_READ_BYTES,
	METRIC_WRITE_OPS,
	METRIC_WRITE_BYTES,
	METRIC_OPENS,
	METRIC_URING_SUBMITS,
	METRIC_BLOCK_REQS,
	METRIC_BLOCK_BYTES,
	METRIC_COUNT
};

enum metric_unit {
	UNIT_COUNT, /* events: shown as a rate, K/M */
	UNIT_BYTES, /* bytes: shown as a rate, KiB/MiB */
};

struct metric_info {
	const char *name;   /* snake_case, used in JSON, --sort and Prometheus */
	const char *header; /* short column header for text output */
	enum metric_unit unit;
	const char *help;
};

/* Description of metric m (always valid for m < METRIC_COUNT). */
const struct metric_info *metric__info(enum metric m);
/* The metric named name, or -ENOENT. */
int metric__by_name(const char *name);

#endif
