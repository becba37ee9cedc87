/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One query request, as a line on the query socket: either a JSON object
 * {"path": "/api/v1/search", "query": "kind=comm&prefix=ng"} (the query may
 * also follow a '?' in the path; other keys are ignored) or a plain line
 * "/api/v1/search?kind=comm&prefix=ng" (optionally after "GET "). No
 * dependencies, so it can be fuzzed alone.
 */
#ifndef TRACERHUB_QUERY_REQUEST_H
#define TRACERHUB_QUERY_REQUEST_H

#include <stddef.h>

#define REQUEST_LINE_MAX  65536 /* bytes of one request line, newline excluded */
#define REQUEST_PATH_MAX  256
#define REQUEST_KEY_MAX	  32
#define REQUEST_VALUE_MAX 256
#define REQUEST_PARAMS	  16

struct request {
	char path[REQUEST_PATH_MAX];	   /* starts with '/' */
	char query[REQUEST_VALUE_MAX * 2]; /* the raw query string, "" when none */
	unsigned int nparams;
	struct {
		char key[REQUEST_KEY_MAX];
		char value[REQUEST_VALUE_MAX]; /* percent-decoded */
	} params[REQUEST_PARAMS];
};

/*
 * Parse line[0..len) (no newline; may hold any bytes). Returns 0, or -EINVAL
 * with *why set to a static reason.
 */
int request__parse(struct request *r, const char *line, size_t len, const char **why);
/*
 * Percent-decode src[0..n) into dst (cap bytes with the NUL); '+' is a space. Returns 0,
 * -EINVAL on a bad %-escape, -EILSEQ on an escaped NUL, -ENOSPC when it does not fit.
 */
int request__url_decode(char *dst, size_t cap, const char *src, size_t n);
/* The value of parameter key, or NULL when absent. */
const char *request__param(const struct request *r, const char *key);

#endif
