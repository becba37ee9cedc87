/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The HTTP/1.x request head parser of the web server: a pure function over
 * the bytes received so far, so that it can be fuzzed (tests/fuzz/fuzz_http.c).
 */
#ifndef TRACERHUB_WEB_HTTP_H
#define TRACERHUB_WEB_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_HEAD_MAX 8192 /* request line and headers; more gets 431 */

struct http_head {
	const char *method;	   /* e.g. "GET" */
	const char *target;	   /* as sent: "/path?query" */
	int minor;		   /* HTTP/1.minor */
	const char *host;	   /* the Host header, NULL when absent */
	const char *authorization; /* NULL when absent */
	bool has_body;		   /* Content-Length other than 0, or Transfer-Encoding */
};

/*
 * Parse the request head at the start of buf[0..len), NUL-terminating its
 * parts in place (h points into buf). Returns the head's length (through the
 * empty line) when complete, 0 when more bytes are needed, -EINVAL for a
 * malformed head (400), -EPROTONOSUPPORT for a version other than HTTP/1.x
 * (505). buf[len] need not be readable.
 */
int http_head__parse(struct http_head *h, char *buf, size_t len);

#endif
