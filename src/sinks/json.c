// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include "model/snapshot.h"
#include "render/event.h"
#include "render/json_writer.h"
#include "render/snapshot_json.h"
#include "sinks/json.h"

int json__emit(void *ctx, const struct snapshot *s)
{
	struct json_sink *j = ctx;
	struct json_writer w;

	json__init(&w, j->f);
	if (s->events_streamed && !j->summary) {
		if (!s->events_lost)
			return 0;
		/* say what could not be streamed, as the text sink does */
		json__begin_object(&w);
		json__key_string(&w, "type", "events_lost");
		json__key(&w, "time");
		json__time(&w, s->ts_ns);
		json__key_u64(&w, "events_lost", s->events_lost);
		json__write_lost_by_tracer(&w, s);
		json__end_object(&w);
	} else {
		json__write_snapshot(&w, s, j->top, j->sort);
	}
	json__newline(&w);
	return ferror(j->f) ? -EPIPE : 0;
}

int json__event(void *ctx, const struct snapshot *s, const struct snap_event *e)
{
	struct json_sink *j = ctx;
	struct json_writer w;

	if (!e) {
		fflush(j->f);
	} else {
		json__init(&w, j->f);
		event__write_json(&w, s, e);
		json__end_line(&w);
	}
	return ferror(j->f) ? -EPIPE : 0;
}
