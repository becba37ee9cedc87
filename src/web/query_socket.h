/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The query API over a UNIX domain socket: one request per line (see
 * request.h), one JSON response per line. Malformed or oversized requests
 * get a JSON error and the connection stays usable. Never blocks: an answer
 * goes out as the client takes it (no other request of that client is read
 * meanwhile; one taking nothing for 5 s is dropped). The web API's answers
 * are not copied per client but shared (rendered once per interval), so
 * clients hold no more than the API's cache. Single-threaded: poll
 * query_socket__fd() with the rest and call query_socket__service().
 */
#ifndef TRACERHUB_WEB_QUERY_SOCKET_H
#define TRACERHUB_WEB_QUERY_SOCKET_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct api_reply;
struct query_socket;
struct request;

/*
 * Answer one parsed request with one JSON object: written to out (no
 * newline; returns false), or as *shared, a reference to an answer shared
 * with other clients that ends with its newline, sent as it is (returns
 * true; released with api_reply__free once sent).
 */
typedef bool (*query_socket_fn)(void *ctx, const struct request *req, FILE *out,
				struct api_reply *shared);

/*
 * Listen at path (a stale socket file is replaced; a live one or another
 * file is an error), file mode `mode` (0600 by default for callers). Returns
 * 0 and *out, or a negative errno after log__error.
 */
int query_socket__open(const char *path, mode_t mode, query_socket_fn fn, void *ctx,
		       struct query_socket **out);
/* An fd that becomes readable when a client connects or sends. */
int query_socket__fd(const struct query_socket *qs);
/*
 * Accept, send, read and answer whatever is ready, without blocking (at most
 * 64 answers per client a call); call it every second or so too, to drop
 * clients that stopped reading.
 */
void query_socket__service(struct query_socket *qs);
/*
 * A query_socket_fn answering with the web API (ctx is its struct api_ctx):
 * the same JSON as over HTTP, shared; errors are {"error": "..."}; streams
 * are refused (they need HTTP).
 */
bool query_socket__answer_api(void *api_ctx, const struct request *req, FILE *out,
			      struct api_reply *shared);
/*
 * In a process that will not serve qs (the collector, once the server
 * process was forked with it): close this process' copies of its sockets,
 * keeping the path for query_socket__close to remove. qs may be NULL.
 */
void query_socket__release(struct query_socket *qs);
/* Close every connection and remove the socket file; qs may be NULL. */
void query_socket__close(struct query_socket *qs);

#endif
