/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The top-like text sink: per-interval process table, keyed tables, histograms, events. */
#ifndef TRACERHUB_OUT_TEXT_H
#define TRACERHUB_OUT_TEXT_H

#include <stdbool.h>
#include <stdio.h>

struct snapshot;

struct text_sink {
	FILE *f;
	unsigned int top;   /* process rows shown */
	int sort;	    /* metric to sort by, -1 for the first one present */
	unsigned int width; /* columns available, 0 for no limit */
	bool hists;	    /* print histograms */
};

/* sink.emit for text: 0 or -EPIPE when the output is gone. */
int text__emit(void *ctx, const struct snapshot *s);

#endif
