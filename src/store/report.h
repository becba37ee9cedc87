/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A report over a recorded time range: the top processes per metric, the
 * histograms and tables merged, the slowest events, drops and lost events.
 */
#ifndef TRACERHUB_STORE_REPORT_H
#define TRACERHUB_STORE_REPORT_H

#include <stdio.h>
#include <linux/types.h>
#include "store/merge.h"
#include "store/reader.h"

struct json_writer;

struct report_opts {
	__u64 from_ns, to_ns; /* intervals ending in [from_ns, to_ns]; 0 and ~0 for all */
	__u32 pid;	      /* 0 for every process */
	const char *comm;     /* NULL for every process */
	unsigned int top;     /* processes per metric */
	size_t max_events;    /* slowest events shown */
};

/* A report: the range it covers and the merged snapshot. */
struct report {
	struct reader_span span;
	struct merge m;
};

/*
 * Merge the intervals of the range into rep (free it with report__free even
 * on error). 0 or -errno after log__error.
 */
int report__build(struct reader *r, const struct report_opts *o, struct report *rep);
/* Free what report__build made; rep may be NULL. */
void report__free(struct report *rep);
/* The report as one JSON object. */
void report__write_json(struct json_writer *w, const char *path, const struct report_opts *o,
			const struct report *rep);
/* The report as text for a terminal. Returns 0 or -EPIPE when f failed. */
int report__print(FILE *f, const char *path, const struct report_opts *o, const struct report *rep);

#endif
