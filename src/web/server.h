/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The HTTP transport of the API (libmicrohttpd, a thread per connection). */
#ifndef TRACERHUB_WEB_SERVER_H
#define TRACERHUB_WEB_SERVER_H

#include <stdbool.h>
#include <sys/socket.h>

struct api_ctx;
struct web_server;

struct web_listen {
	struct sockaddr_storage addr;
	socklen_t len;
	bool loopback; /* 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104 */
};

/*
 * Parse HOST:PORT, [V6]:PORT or PORT (loopback) into l; HOST is a numeric
 * address or a name resolved once. Port 0 asks for any free port. Returns 0,
 * or -EINVAL after log__error said why.
 */
int web_listen__parse(struct web_listen *l, const char *s);

/*
 * Bind l and serve api in the background; token (NULL for none) is required
 * as "Authorization: Bearer TOKEN" on the API and /metrics. Prints
 * "listening on http://ADDR:PORT/" on stderr. Returns the server, or NULL with
 * errno set after log__error said why.
 */
struct web_server *web_server__start(struct api_ctx *api, const struct web_listen *l,
				     const char *token);
/* Stop serving: call api__stop first so that streams end. s may be NULL. */
void web_server__stop(struct web_server *s);

#endif
