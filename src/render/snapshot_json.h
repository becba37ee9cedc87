/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A snapshot as JSON: the one rendering the JSON lines sink, the query API and report share. */
#ifndef TRACERHUB_RENDER_SNAPSHOT_JSON_H
#define TRACERHUB_RENDER_SNAPSHOT_JSON_H

struct json_writer;
struct snapshot;

/* Write snapshot s as one JSON object (no newline) with the given row limit and sort. */
void json__write_snapshot(struct json_writer *w, const struct snapshot *s, unsigned int top,
			  int sort);
/* "events_lost_by_tracer": {tracer: events past its cap}, when a tracer reached its cap. */
void json__write_lost_by_tracer(struct json_writer *w, const struct snapshot *s);

#endif
