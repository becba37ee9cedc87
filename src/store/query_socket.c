// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "core/log.h"
#include "out/json_writer.h"
#include "store/query.h"
#include "store/query_socket.h"
#include "store/request.h"
#include "web/api.h"

#define QS_CLIENTS 16
#define QS_BUF	   (REQUEST_LINE_MAX + 1) /* a full line and its newline */

struct qs_client {
	int fd; /* -1 when the slot is free */
	char *buf;
	size_t len;
	bool discarding; /* dropping the rest of an oversized line */
};

struct query_socket {
	int lfd, epfd;
	char *path;
	query_socket_fn fn;
	void *ctx;
	struct qs_client c[QS_CLIENTS];
};

int query_socket__fd(const struct query_socket *qs)
{
	return qs->epfd;
}

static void drop(struct query_socket *qs, struct qs_client *c)
{
	epoll_ctl(qs->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->buf);
	c->fd = -1;
	c->buf = NULL;
	c->len = 0;
	c->discarding = false;
}

/* Send one response line; false when the client is gone or stuck (then dropped). */
static bool respond(struct query_socket *qs, struct qs_client *c, const char *line, size_t len)
{
	while (len) {
		ssize_t n = send(c->fd, line, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			drop(qs, c);
			return false;
		}
		line += n;
		len -= (size_t)n;
	}
	return true;
}

/* Answer one request line; false when the client was dropped. */
static bool answer(struct query_socket *qs, struct qs_client *c, const char *line, size_t len)
{
	struct request req;
	struct json_writer w;
	const char *why = NULL;
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	bool ok;

	if (!f) {
		static const char oom[] = "{\"error\":\"out of memory\",\"status\":500}\n";

		return respond(qs, c, oom, sizeof(oom) - 1);
	}
	json__init(&w, f);
	if (c->discarding)
		query__error(&w, 413, "request too long (at most 65536 bytes a line)");
	else if (request__parse(&req, line, len, &why))
		query__error(&w, 400, why);
	else
		qs->fn(qs->ctx, &req, f);
	fputc('\n', f);
	fclose(f);
	ok = out && respond(qs, c, out, olen);
	free(out);
	return ok;
}

/* Read what is there and answer every complete line. */
static void serve_client(struct query_socket *qs, struct qs_client *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, c->buf + c->len, QS_BUF - c->len, MSG_DONTWAIT);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			drop(qs, c);
			return;
		}
		c->len += (size_t)n;
		while ((nl = memchr(c->buf, '\n', c->len))) {
			size_t line = (size_t)(nl - c->buf);
			bool was_discarding = c->discarding;

			/* an oversized line was answered when it overflowed: skip its tail */
			if (!was_discarding && !answer(qs, c, c->buf, line))
				return;
			c->discarding = false;
			c->len -= line + 1;
			memmove(c->buf, nl + 1, c->len);
		}
		if (c->len == QS_BUF) {
			if (!c->discarding) {
				c->discarding = true;
				if (!answer(qs, c, c->buf, c->len))
					return;
			}
			c->len = 0;
		}
	}
}

static void accept_clients(struct query_socket *qs)
{
	struct timeval tv = {.tv_sec = 2};
	int fd;

	while ((fd = accept4(qs->lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		struct epoll_event ev = {.events = EPOLLIN};
		struct qs_client *c = NULL;

		for (int i = 0; i < QS_CLIENTS && !c; i++)
			if (qs->c[i].fd < 0)
				c = &qs->c[i];
		if (c)
			c->buf = malloc(QS_BUF);
		if (!c || !c->buf) {
			static const char busy[] = "{\"error\":\"too many connections\","
						   "\"status\":503}\n";

			send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			close(fd);
			continue;
		}
		/* a client that stops reading cannot stall the recording for long */
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		c->fd = fd;
		ev.data.ptr = c;
		if (epoll_ctl(qs->epfd, EPOLL_CTL_ADD, fd, &ev))
			drop(qs, c);
	}
}

void query_socket__service(struct query_socket *qs)
{
	struct epoll_event evs[QS_CLIENTS + 1];
	int n = epoll_wait(qs->epfd, evs, QS_CLIENTS + 1, 0);

	for (int i = 0; i < n; i++) {
		if (!evs[i].data.ptr)
			accept_clients(qs);
		else if (((struct qs_client *)evs[i].data.ptr)->fd >= 0)
			serve_client(qs, evs[i].data.ptr);
	}
}

void query_socket__answer_api(void *api_ctx, const struct request *req, FILE *out)
{
	struct api_reply reply;
	struct json_writer w;

	json__init(&w, out);
	if (api__handle(api_ctx, req->path, req->query, &reply)) {
		query__error(&w, 500, "out of memory");
		return;
	}
	if (reply.stream)
		query__error(&w, 400,
			     "streams need HTTP: use `tracerhub serve` and /api/v1/stream");
	else if (reply.type && strncmp(reply.type, "application/json", 16))
		query__error(&w, 404, "not an API path (the socket answers /api/... queries)");
	else
		fwrite(reply.body, 1,
		       reply.len && reply.body[reply.len - 1] == '\n' ? reply.len - 1 : reply.len,
		       out);
	api_reply__free(&reply);
}

/* Remove a stale socket at path; -EADDRINUSE when something listens, -EEXIST for other files. */
static int clear_path(const char *path, const struct sockaddr_un *sa)
{
	struct stat st;
	int fd, err = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		err = -EADDRINUSE;
	else if (unlink(path))
		err = -errno;
	close(fd);
	return err;
}

int query_socket__open(const char *path, mode_t mode, query_socket_fn fn, void *ctx,
		       struct query_socket **out)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct query_socket *qs;
	mode_t old_mask;
	int err;

	*out = NULL;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		log__error("socket path too long (at most %zu bytes): %s", sizeof(sa.sun_path) - 1,
			   path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	qs = calloc(1, sizeof(*qs));
	if (!qs)
		return -ENOMEM;
	qs->lfd = qs->epfd = -1;
	qs->fn = fn;
	qs->ctx = ctx;
	for (int i = 0; i < QS_CLIENTS; i++)
		qs->c[i].fd = -1;
	err = clear_path(path, &sa);
	if (err) {
		log__error("cannot use %s for the query socket: %s", path,
			   err == -EEXIST	? "a file that is not a socket is there"
			   : err == -EADDRINUSE ? "another process listens there"
						: strerror(-err));
		goto fail;
	}
	qs->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	qs->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (qs->lfd < 0 || qs->epfd < 0) {
		err = -errno;
		log__error("cannot create the query socket: %s", strerror(-err));
		goto fail;
	}
	old_mask = umask(0177); /* never visible with a wider mode than 0600 */
	err = bind(qs->lfd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old_mask);
	if (!err) {
		qs->path = strdup(path);
		err = !qs->path ? -ENOMEM : chmod(path, mode) || listen(qs->lfd, 16) ? -errno : 0;
	}
	if (!err && epoll_ctl(qs->epfd, EPOLL_CTL_ADD, qs->lfd, &ev))
		err = -errno;
	if (err) {
		log__error("cannot listen on %s: %s", path, strerror(-err));
		goto fail;
	}
	*out = qs;
	return 0;
fail:
	query_socket__close(qs);
	return err;
}

void query_socket__close(struct query_socket *qs)
{
	if (!qs)
		return;
	for (int i = 0; i < QS_CLIENTS; i++)
		if (qs->c[i].fd >= 0)
			drop(qs, &qs->c[i]);
	if (qs->lfd >= 0)
		close(qs->lfd);
	if (qs->epfd >= 0)
		close(qs->epfd);
	if (qs->path)
		unlink(qs->path);
	free(qs->path);
	free(qs);
}
