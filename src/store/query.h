/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The JSON queries a recording answers (over the query socket, for record
 * and replays): /api/v1/recording, /api/v1/intervals, /api/v1/snapshot,
 * /api/v1/report and /api/v1/search. docs/recording.md lists parameters.
 */
#ifndef TRACERHUB_STORE_QUERY_H
#define TRACERHUB_STORE_QUERY_H

struct json_writer;
struct reader;
struct request;

/*
 * Answer req from the recording r as one JSON object written to w (an
 * {"error": "...", "status": N} object for bad requests). Returns the
 * HTTP-like status: 200, 400, 404 or 500.
 */
int query__handle(struct reader *r, const struct request *req, struct json_writer *w);
/* Write the error object {"error": msg, "status": status} (the web API's form, with a status). */
void query__error(struct json_writer *w, int status, const char *msg);

#endif
