/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The top-like text sink: per-interval process table, keyed tables, histograms, events. */
#ifndef TRACERHUB_SINKS_TEXT_H
#define TRACERHUB_SINKS_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

struct snapshot;
struct snap_event;

struct text_sink {
	FILE *f;
	unsigned int top;   /* process rows shown */
	int sort;	    /* metric to sort by, -1 for the first one present */
	unsigned int width; /* columns available, 0 for no limit */
	bool hists;	    /* print histograms */
	__u64 hist_unit_ns; /* time histograms in this unit (1000: us, 1000000: ms), 0: auto */
	bool summary;	    /* per-interval tables also when events stream (--summary, top) */
	char header_of[32]; /* tracer whose event header was printed last, "" for none */
};

/* sink.emit for text: 0 or -EPIPE when the output is gone. */
int text__emit(void *ctx, const struct snapshot *s);
/*
 * sink.event for text: one line per event in its tracer's columns, the
 * header again when the tracer changes; NULL flushes. 0 or -EPIPE.
 */
int text__event(void *ctx, const struct snapshot *s, const struct snap_event *e);

#endif
