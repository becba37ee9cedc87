// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "core/log.h"
#include "query/api.h"
#include "query/recording.h"
#include "query/request.h"
#include "render/json_writer.h"
#include "web/query_socket.h"

#define QS_CLIENTS	 16
#define QS_BUF		 (REQUEST_LINE_MAX + 1) /* a full line and its newline */
#define QS_LINES_PER_CALL 64		       /* answers per client per service call */
#define QS_WRITE_IDLE_MS 5000		       /* a client taking nothing this long: dropped */

struct qs_client {
	int fd; /* -1 when the slot is free */
	char *buf;
	size_t len;
	bool discarding;	 /* dropping the rest of an oversized line */
	const char *out;	 /* the answer being sent; no other request is read meanwhile */
	size_t out_len, out_off;
	char *own;		 /* out when it is this client's own copy */
	struct api_reply shared; /* out when it is a shared API answer */
	unsigned long long since_ms; /* last progress sending */
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

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000;
}

/* The answer went out (or never will): release it. */
static void answer_done(struct qs_client *c)
{
	free(c->own);
	api_reply__free(&c->shared);
	memset(&c->shared, 0, sizeof(c->shared));
	c->own = NULL;
	c->out = NULL;
	c->out_len = c->out_off = 0;
}

static void drop(struct query_socket *qs, struct qs_client *c)
{
	epoll_ctl(qs->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->buf);
	answer_done(c);
	c->fd = -1;
	c->buf = NULL;
	c->len = 0;
	c->discarding = false;
}

/* Wait for the client to take output (out pending) or to send (otherwise). */
static bool watch(struct query_socket *qs, struct qs_client *c)
{
	struct epoll_event ev = {.events = c->out ? EPOLLOUT : EPOLLIN, .data.ptr = c};

	if (!epoll_ctl(qs->epfd, EPOLL_CTL_MOD, c->fd, &ev))
		return true;
	drop(qs, c);
	return false;
}

/*
 * Send what is pending without blocking; false when the client is gone
 * (then dropped). c->out stays set while some of it has not gone out.
 */
static bool flush(struct query_socket *qs, struct qs_client *c)
{
	while (c->out && c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return watch(qs, c);
		if (n <= 0) {
			drop(qs, c);
			return false;
		}
		c->out_off += (size_t)n;
		c->since_ms = now_ms();
	}
	if (!c->out)
		return true;
	answer_done(c);
	return watch(qs, c);
}

/*
 * Queue one response line, own (taken) or else shared (taken), and start
 * sending it; false when c was dropped.
 */
static bool respond(struct query_socket *qs, struct qs_client *c, char *own, size_t len,
		    const struct api_reply *shared)
{
	c->own = own;
	if (!own)
		c->shared = *shared;
	c->out = own ? own : shared->body;
	c->out_len = own ? len : shared->len;
	c->out_off = 0;
	c->since_ms = now_ms();
	return flush(qs, c);
}

/* Answer one request line; false when the client was dropped. */
static bool answer(struct query_socket *qs, struct qs_client *c, const char *line, size_t len)
{
	struct api_reply shared = {0};
	struct request req;
	struct json_writer w;
	const char *why = NULL;
	char *out = NULL;
	size_t olen = 0;
	bool is_shared = false;
	FILE *f = open_memstream(&out, &olen);

	if (!f) {
		drop(qs, c); /* no memory even for an error: the client may retry */
		return false;
	}
	json__init(&w, f);
	if (c->discarding)
		query__error(&w, 413, "request too long (at most 65536 bytes a line)");
	else if (request__parse(&req, line, len, &why))
		query__error(&w, 400, why);
	else
		is_shared = qs->fn(qs->ctx, &req, f, &shared);
	if (!is_shared)
		fputc('\n', f);
	if (fclose(f) || !out) {
		free(out);
		api_reply__free(&shared);
		drop(qs, c);
		return false;
	}
	if (is_shared) {
		free(out);
		out = NULL;
	}
	return respond(qs, c, out, olen, &shared);
}

/*
 * Answer the complete lines buffered, at most QS_LINES_PER_CALL, stopping
 * while an answer is still going out; false when the client was dropped.
 */
static bool answer_lines(struct query_socket *qs, struct qs_client *c)
{
	char *nl;

	for (int k = 0; k < QS_LINES_PER_CALL && !c->out; k++) {
		size_t line;
		bool was_discarding = c->discarding;

		nl = memchr(c->buf, '\n', c->len);
		if (!nl) {
			if (c->len < QS_BUF)
				return true;
			/* an oversized line is answered when it overflows, its tail skipped */
			c->discarding = true;
			c->len = 0;
			if (!was_discarding && !answer(qs, c, c->buf, QS_BUF))
				return false;
			continue;
		}
		line = (size_t)(nl - c->buf);
		c->discarding = false;
		if (!was_discarding && !answer(qs, c, c->buf, line))
			return false;
		c->len -= line + 1;
		memmove(c->buf, nl + 1, c->len);
	}
	return true;
}

/* Send what is pending, read what is there, answer what is complete; never blocks. */
static void serve_client(struct query_socket *qs, struct qs_client *c)
{
	ssize_t n;

	if (!flush(qs, c) || c->out || !answer_lines(qs, c) || c->out || c->len == QS_BUF)
		return;
	do
		n = recv(c->fd, c->buf + c->len, QS_BUF - c->len, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		drop(qs, c);
		return;
	}
	c->len += (size_t)n;
	answer_lines(qs, c);
}

static void accept_clients(struct query_socket *qs)
{
	int fd;

	while ((fd = accept4(qs->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
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
	unsigned long long now;

	for (int i = 0; i < n; i++) {
		if (!evs[i].data.ptr)
			accept_clients(qs);
		else if (((struct qs_client *)evs[i].data.ptr)->fd >= 0)
			serve_client(qs, evs[i].data.ptr);
	}
	/*
	 * a client that stops reading holds one answer, and only for a while
	 * (now taken after the answers above: one begun in this call is not late)
	 */
	now = now_ms();
	for (int i = 0; i < QS_CLIENTS; i++)
		if (qs->c[i].fd >= 0 && qs->c[i].out && now - qs->c[i].since_ms >= QS_WRITE_IDLE_MS)
			drop(qs, &qs->c[i]);
}

bool query_socket__answer_api(void *api_ctx, const struct request *req, FILE *out,
			      struct api_reply *shared)
{
	struct api_reply reply;
	struct json_writer w;

	json__init(&w, out);
	if (api__handle(api_ctx, req->path, req->query, &reply)) {
		query__error(&w, 500, "out of memory");
		return false;
	}
	if (reply.stream) {
		query__error(&w, 400,
			     "streams need HTTP: use `tracerhub serve` and /api/v1/stream");
	} else if (reply.type && strncmp(reply.type, "application/json", 16)) {
		query__error(&w, 404, "not an API path (the socket answers /api/... queries)");
	} else if (reply.len && reply.body[reply.len - 1] == '\n') {
		*shared = reply; /* one line already: sent as it is */
		return true;
	} else {
		fwrite(reply.body, 1, reply.len, out);
	}
	api_reply__free(&reply);
	return false;
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

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): the constructor idiom of STYLE.md
 * Errors: one exit path to a destructor that accepts NULL.
 */
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

void query_socket__release(struct query_socket *qs)
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
	qs->lfd = qs->epfd = -1;
}

void query_socket__close(struct query_socket *qs)
{
	if (!qs)
		return;
	query_socket__release(qs);
	if (qs->path)
		unlink(qs->path);
	free(qs->path);
	free(qs);
}
