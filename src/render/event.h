/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One event as one line, as it happens: in the columns of the classic tool
 * for its tracer (execsnoop, tcpconnect, tcplife, bashreadline, biosnoop) in
 * text, or as one JSON object with "type":"event".
 */
#ifndef TRACERHUB_RENDER_EVENT_H
#define TRACERHUB_RENDER_EVENT_H

#include <stddef.h>
#include <stdio.h>

struct json_writer;
struct snapshot;
struct snap_event;
struct snap_field;

/* Print the column header line of tracer's events to f. */
void event__print_header(FILE *f, const char *tracer);
/*
 * Print event e as one line under its tracer's header: wall-clock
 * HH:MM:SS.mmm first, durations in human units, strings shown escaped
 * (escape__term), fields without a column as key=value at the end. s is the
 * snapshot holding e (its long strings).
 */
void event__print(FILE *f, const struct snapshot *s, const struct snap_event *e);
/*
 * Write field fl (of an event of s) as text into buf (len bytes): kernel
 * addresses in hex, times as HH:MM:SS.mmm, durations in human units, strings
 * escaped (cut to fit len). Returns buf.
 */
const char *event__field_text(char *buf, size_t len, const struct snapshot *s,
			      const struct snap_field *fl);
/*
 * Write e (an event of s) as one JSON object: "type":"event", "time" (RFC
 * 3339, ns), "ts_ns", "host" (a fleet's event), tracer, pid, comm, then its
 * fields (addresses as "0x..." strings).
 */
void event__write_json(struct json_writer *w, const struct snapshot *s, const struct snap_event *e);

#endif
