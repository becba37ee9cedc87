/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The JSON queries a recording answers (over the query socket, for record
 * and replays): /api/v1/recording, /api/v1/intervals, /api/v1/snapshot,
 * /api/v1/report and /api/v1/search. docs/recording.md lists parameters.
 */
#ifndef TRACERHUB_QUERY_RECORDING_H
#define TRACERHUB_QUERY_RECORDING_H

#include <stdbool.h>

struct json_writer;
struct reader;
struct request;

/*
 * Answer req from the recording r as one JSON object written to w (an
 * {"error": "...", "status": N} object for bad requests). Returns the
 * HTTP-like status: 200, 400, 404 or 500.
 */
int query__handle(struct reader *r, const struct request *req, struct json_writer *w);
/*
 * Is req one of the queries above (a recording's), rather than one of the
 * live API's (query/api.h)? /api/v1/snapshot is the recording's with id= or
 * at=, the live one's without.
 */
bool query__about_recording(const struct request *req);
/* Write the error object {"error": msg, "status": status} (the web API's form, with a status). */
void query__error(struct json_writer *w, int status, const char *msg);

#endif
