/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The JSON lines sink: one object per line with a "type": "event" for each
 * event as it happens, "interval" per interval (raw counts, not rates).
 */
#ifndef TRACERHUB_SINKS_JSON_H
#define TRACERHUB_SINKS_JSON_H

#include <stdbool.h>
#include <stdio.h>

struct snapshot;
struct snap_event;

struct json_sink {
	FILE *f;
	unsigned int top; /* process rows written, 0 for all */
	int sort;	  /* metric the rows are sorted by, -1 for pid order */
	bool summary;	  /* interval objects also when events stream (--summary) */
};

/* sink.emit for JSON lines: 0 or -EPIPE when the output is gone. */
int json__emit(void *ctx, const struct snapshot *s);
/* sink.event for JSON lines: e as one "type":"event" line, NULL to flush. 0 or -EPIPE. */
int json__event(void *ctx, const struct snapshot *s, const struct snap_event *e);

#endif
