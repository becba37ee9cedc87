/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The HTTP transport of the API: one thread, one epoll loop, non-blocking
 * sockets, so that no client can hold up another one or the snapshots feed.
 * Limits (see docs/web.md): the whole request head within HEAD_TIMEOUT, a
 * cap on connections still sending their head (past it, the oldest goes once
 * it had a second, else the newest once it had 100 ms), reply and stream slots counted apart, slots reserved for
 * authorised requests and loopback scrapes, per-address caps off loopback,
 * 503 when full, and clients that stop reading dropped.
 */
#ifndef TRACERHUB_WEB_SERVER_H
#define TRACERHUB_WEB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct api_ctx;
struct query_socket;
struct web_server;

struct web_listen {
	struct sockaddr_storage addr;
	socklen_t len;
	bool loopback; /* 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104 */
};

struct web_server_opts {
	const char *token;	       /* NULL for none: "Authorization: Bearer TOKEN" */
	const char *const *allow_hosts; /* Host names accepted besides localhost and IP literals */
	size_t nallow;
};

/* Where published snapshots come from: on_ready runs when fd is readable. */
struct web_feed {
	int fd;
	/* 1 when a snapshot was published, 0 when not, a negative errno to stop serving. */
	int (*on_ready)(void *ctx);
	void *ctx;
};

/*
 * Parse HOST:PORT, [V6]:PORT or PORT (loopback) into l; HOST is a numeric
 * address or a name resolved once. Port 0 asks for any free port. Returns 0,
 * or -EINVAL after log__error said why.
 */
int web_listen__parse(struct web_listen *l, const char *s);
/*
 * Bind and listen on l (before privileges are dropped: ports below 1024
 * work); prints "listening on http://ADDR:PORT/" on stderr. Returns the
 * socket, or a negative errno after log__error said why.
 */
int web_listen__bind(const struct web_listen *l);

/*
 * A server for api on the listening socket lfd (taken over: closed by
 * web_server__free; -1 for none: only the feed and the query socket are
 * served). Blocks SIGINT and SIGTERM in the calling thread and takes them
 * through a signalfd. Returns NULL with errno set.
 */
struct web_server *web_server__new(struct api_ctx *api, int lfd, const struct web_server_opts *o);
/*
 * Serve until SIGINT/SIGTERM or until feed (may be NULL) asks to stop; qs
 * (may be NULL) is served from the same loop. Returns 0, or the feed's
 * negative errno.
 */
int web_server__run(struct web_server *s, const struct web_feed *feed, struct query_socket *qs);
/* Close every connection and the socket; s may be NULL. */
void web_server__free(struct web_server *s);

#endif
