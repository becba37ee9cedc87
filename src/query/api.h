/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The read-only query API behind `tracerhub serve`, independent of any
 * transport: the HTTP server and the UNIX-socket server call api__handle
 * with a path and a raw query string and send back the reply. The session's
 * sink calls api__publish once per interval. Requests and the publisher may
 * run on different threads: every function here takes the context's lock.
 *
 * Endpoints (see docs/web.md): /api/v1/snapshot, /api/v1/history,
 * /api/v1/tracers, /api/v1/stream (server-sent events), /metrics, and the
 * dashboard's bundled assets.
 */
#ifndef TRACERHUB_QUERY_API_H
#define TRACERHUB_QUERY_API_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model/history.h"
#include "query/prom.h"

#define API_PATH_MAX		256   /* longer paths get 414 */
#define API_QUERY_MAX		1024  /* longer query strings get 414 */
#define API_HISTORY_MAX_S	86400 /* largest ?seconds= */
#define API_STREAM_KEEPALIVE_MS 15000
#define API_CACHE_SLOTS		16		  /* rendered answers kept per interval */
#define API_CACHE_BYTES		(64UL << 20) /* ... and at most this many bytes of them */

/* Immutable bytes shared by every client sending them (reference counted). */
struct api_blob;

/* One rendered answer, valid while the newest snapshot is the one it was made from. */
struct api_cache_slot {
	char *key; /* "PATH?QUERY", malloc'd; NULL when free */
	__u64 seq; /* history.pushed when it was rendered */
	__u64 used; /* for least-recently-used replacement */
	struct api_blob *blob;
	const char *type;
};

struct api_ctx {
	pthread_mutex_t lock; /* guards everything below */
	struct history history;
	struct prom prom;
	unsigned int interval_ms;
	struct api_cache_slot cache[API_CACHE_SLOTS];
	__u64 cache_clock;
};

struct api_reply {
	int status;	   /* HTTP status code */
	const char *type;  /* Content-Type (static string) */
	const char *body;  /* len bytes, held by blob; release with api_reply__free */
	size_t len;
	struct api_blob *blob;
	bool stream;	   /* server-sent events follow: call api__stream_next */
	__u64 seq;	   /* stream position (for api__stream_next) */
	unsigned int top;  /* stream: process rows per snapshot, 0 for all */
	int sort;	   /* stream: metric rows are sorted by, -1 for pid order */
};

/*
 * Set up the context: history_len snapshots kept, prom_top processes with
 * their own Prometheus series. 0 or a negative errno.
 */
int api__init(struct api_ctx *c, size_t history_len, unsigned int prom_top,
	      unsigned int interval_ms);
/* Free the context; streams must have ended (see api__stop). */
void api__free(struct api_ctx *c);
/* Add one interval's snapshot (copied); streams see it at their next call. 0 or -ENOMEM. */
int api__publish(struct api_ctx *c, const struct snapshot *s);
/* The sequence number of the newest snapshot (0 before the first). */
__u64 api__seq(struct api_ctx *c);

/*
 * Answer a GET of path with raw (still %-encoded) query string query, which
 * may be NULL. Fills out: a status (200, 400 bad parameter, 404 unknown path,
 * 414 too long, 503 no data yet) and a body (JSON for the API and errors:
 * {"error": "..."}), or out->stream for /api/v1/stream. Returns 0, or
 * -ENOMEM when no reply could be made (send a bare 500).
 */
int api__handle(struct api_ctx *c, const char *path, const char *query, struct api_reply *out);
/*
 * The next chunk of a stream opened by api__handle, without waiting: the
 * newest snapshot as one server-sent event ("event: snapshot", "data: JSON")
 * when it is newer than out->seq. Every stream with the same parameters
 * shares one rendering per interval. Returns 0 with out->body set (the
 * previous chunk released), -EAGAIN when nothing is newer, or -ENOMEM.
 */
int api__stream_next(struct api_ctx *c, struct api_reply *out);
/* Release the body and empty the reply (its stream position stays); r may be NULL. */
void api_reply__free(struct api_reply *r);
/* Take another reference to b (may be NULL); returns b. */
struct api_blob *api_blob__get(struct api_blob *b);
/* Drop a reference to b (may be NULL); the last one frees it. */
void api_blob__put(struct api_blob *b);
/*
 * True when the Authorization header value authorization (may be NULL)
 * carries "Bearer token", compared in constant time; true for any request
 * when token is NULL or empty.
 */
bool api__token_ok(const char *token, const char *authorization);

#endif
