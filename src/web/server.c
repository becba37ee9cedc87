// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include "core/log.h"
#include "query/api.h"
#include "web/http.h"
#include "web/query_socket.h"
#include "web/server.h"

#define CONN_MAX	 600   /* connections of every kind */
#define HEAD_MAX_CONNS	 256   /* connections still sending their request head */
#define HEAD_GRACE_MS	 1000  /* ... the oldest is closed past the cap once it had this long */
#define HEAD_PROBATION_MS 100  /* ... else the newest that had this long */
#define HEAD_PER_ADDR	 8     /* ... from one address off loopback */
#define HEAD_TIMEOUT_MS	 5000  /* for the whole head, however it trickles in */
#define REPLY_MAX	 64    /* replies being sent */
#define REPLY_RESERVED	 16    /* ... these only for authorised or loopback scrapes */
#define REPLY_PER_ADDR	 8     /* ... to one address off loopback */
#define STREAM_MAX	 256   /* server-sent event streams, counted apart */
#define STREAM_PER_ADDR	 16    /* ... to one address off loopback */
#define STREAM_LAG_MAX	 2     /* snapshots a stream may fall behind before it is dropped */
#define WRITE_IDLE_MS	 5000  /* a client taking nothing for this long is dropped */
#define TICK_MS		 500
#define NOFILE_WANTED	 (CONN_MAX + 64)

enum conn_kind { C_HEAD, C_REPLY, C_STREAM, C_KINDS };

struct conn {
	int fd;
	enum conn_kind kind;
	struct sockaddr_storage peer;
	bool loopback;
	unsigned long long since_ms; /* accepted (head), or last progress writing */
	char *head;		     /* HTTP_HEAD_MAX bytes while reading the head */
	size_t hlen;
	char hdr[512]; /* the status line and headers being sent */
	size_t hdr_len;
	struct api_reply reply; /* the body (or the stream's current chunk) */
	size_t off;		/* bytes of hdr + body sent */
	bool send_body;		/* false for HEAD */
	unsigned int lag;	/* snapshots published while this stream was still sending */
	unsigned long long keepalive_ms;
	struct conn *prev, *next; /* in its kind's list, oldest first */
};

struct conn_list {
	struct conn *first, *last;
	size_t n;
};

struct web_server {
	struct api_ctx *api;
	int lfd, epfd, sfd;
	struct web_server_opts o;
	struct conn_list lists[C_KINDS]; /* streams always send their body (HEAD is a reply) */
	size_t nconns;
	struct conn *dead; /* closed during this round of events, freed after it */
};

/* epoll tags of the fds that are not connections */
static char tag_listen, tag_signal, tag_feed, tag_qs;

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

int web_listen__parse(struct web_listen *l, const char *s)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	char host[256];
	const char *port, *colon = strrchr(s, ':');
	char *end;
	unsigned long p;
	int err;

	memset(l, 0, sizeof(*l));
	if (!colon) {
		snprintf(host, sizeof(host), "127.0.0.1");
		port = s;
	} else if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close + 1 != colon || (size_t)(close - s - 1) >= sizeof(host))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(close - s - 1), s + 1);
		port = colon + 1;
	} else {
		if ((size_t)(colon - s) >= sizeof(host) || memchr(s, ':', (size_t)(colon - s)))
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - s), s);
		port = colon + 1;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (!*port || *end || errno || p > 65535 || port[0] == '-' || port[0] == '+' || !host[0])
		goto bad;
	err = getaddrinfo(host, port, &hints, &res);
	if (err || !res) {
		log__error("cannot resolve listen address '%s': %s", host, gai_strerror(err));
		return -EINVAL;
	}
	memcpy(&l->addr, res->ai_addr, res->ai_addrlen);
	l->len = res->ai_addrlen;
	l->loopback = is_loopback(&l->addr);
	freeaddrinfo(res);
	return 0;
bad:
	log__error("invalid --listen '%s': expected HOST:PORT, [IPV6]:PORT or PORT "
		   "(e.g. 127.0.0.1:9550)",
		   s);
	return -EINVAL;
}

int web_listen__bind(const struct web_listen *l)
{
	char host[INET6_ADDRSTRLEN];
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int one = 1, fd, err;
	unsigned int port;

	fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* a v4-mapped address ([::ffff:127.0.0.1]) is IPv4 traffic: only a dual socket binds it */
	if (l->addr.ss_family == AF_INET6 &&
	    !IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)&l->addr)->sin6_addr))
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)&l->addr, l->len) || listen(fd, 128) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		err = -errno;
		close(fd);
		goto fail;
	}
	if (ss.ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof(host));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	log__info("listening on http://%s%s%s:%u/", ss.ss_family == AF_INET6 ? "[" : "", host,
		  ss.ss_family == AF_INET6 ? "]" : "", port);
	return fd;
fail:
	log__error("cannot listen on the --listen address: %s (is another server on that port? "
		   "try another port)",
		   strerror(-err));
	return err;
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000;
}

static void list__add(struct conn_list *l, struct conn *c)
{
	c->prev = l->last;
	c->next = NULL;
	if (l->last)
		l->last->next = c;
	else
		l->first = c;
	l->last = c;
	l->n++;
}

static void list__del(struct conn_list *l, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		l->first = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->last = c->prev;
	l->n--;
	c->prev = c->next = NULL;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr));
}

/* Connections of kind from c's address (none counted on loopback: one machine, many clients). */
static size_t count_addr(struct web_server *s, enum conn_kind kind, const struct conn *c,
			 struct conn **oldest)
{
	size_t n = 0;

	*oldest = NULL;
	if (c->loopback)
		return 0;
	for (struct conn *o = s->lists[kind].first; o; o = o->next) {
		if (o == c || !same_addr(&o->peer, &c->peer))
			continue;
		if (!n++)
			*oldest = o;
	}
	return n;
}

static void conn__close(struct web_server *s, struct conn *c)
{
	char sink[4096];

	list__del(&s->lists[c->kind], c);
	epoll_ctl(s->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	/* what the client sent and we did not read would turn the close into a reset */
	shutdown(c->fd, SHUT_WR);
	while (recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT) > 0)
		;
	close(c->fd);
	c->fd = -1;
	api_reply__free(&c->reply);
	free(c->head);
	c->head = NULL;
	c->next = s->dead;
	s->dead = c;
	s->nconns--;
}

/* Free the connections closed while events naming them may still have been pending. */
static void conns__reap(struct web_server *s)
{
	while (s->dead) {
		struct conn *c = s->dead;

		s->dead = c->next;
		free(c);
	}
}

static void conn__move(struct web_server *s, struct conn *c, enum conn_kind kind)
{
	list__del(&s->lists[c->kind], c);
	c->kind = kind;
	c->since_ms = now_ms();
	list__add(&s->lists[kind], c);
}

static int conn__watch(struct web_server *s, struct conn *c, unsigned int events)
{
	struct epoll_event ev = {.events = events, .data.ptr = c};

	return epoll_ctl(s->epfd, EPOLL_CTL_MOD, c->fd, &ev) ? -errno : 0;
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Internal Server Error";
	}
}

/* Fill c->hdr for a reply of status and type; stream replies carry no length. */
static void conn__header(struct conn *c, int status, const char *type, bool stream)
{
	int n = snprintf(c->hdr, sizeof(c->hdr),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nCache-Control: no-store\r\n"
			 "X-Content-Type-Options: nosniff\r\n"
			 "Content-Security-Policy: default-src 'self'; style-src 'self' "
			 "'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'\r\n"
			 "Connection: close\r\n%s%s%s",
			 status, status_text(status), type,
			 status == 401 ? "WWW-Authenticate: Bearer realm=\"tracerhub\"\r\n" : "",
			 status == 405 ? "Allow: GET, HEAD\r\n" : "",
			 status == 503 ? "Retry-After: 1\r\n" : "");

	if (!stream)
		n += snprintf(c->hdr + n, sizeof(c->hdr) - (size_t)n, "Content-Length: %zu\r\n",
			      c->reply.len);
	n += snprintf(c->hdr + n, sizeof(c->hdr) - (size_t)n, "\r\n");
	c->hdr_len = (size_t)n;
	c->off = 0;
}

/*
 * Send what c has without blocking. Returns 1 when all of it went out, 0 when
 * the socket is full, -1 when the client is gone.
 */
static int conn__flush(struct conn *c)
{
	size_t body = c->send_body ? c->reply.len : 0;

	while (c->off < c->hdr_len + body) {
		struct iovec iov[2];
		int n = 0;
		ssize_t w;

		if (c->off < c->hdr_len)
			iov[n++] = (struct iovec){c->hdr + c->off, c->hdr_len - c->off};
		if (body) {
			size_t skip = c->off > c->hdr_len ? c->off - c->hdr_len : 0;

			iov[n++] = (struct iovec){(char *)c->reply.body + skip, body - skip};
		}
		w = writev(c->fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (w <= 0)
			return -1;
		c->off += (size_t)w;
		c->since_ms = now_ms();
	}
	return 1;
}

/* Load the stream's next chunk when one is due; false when there is nothing to send. */
static bool stream__next(struct web_server *s, struct conn *c)
{
	if (api__stream_next(s->api, &c->reply))
		return false;
	c->hdr_len = c->off = 0;
	c->lag = 0;
	return true;
}

/* Write what is pending; then close a reply, or let a stream wait for the next snapshot. */
static void conn__progress(struct web_server *s, struct conn *c)
{
	for (;;) {
		int r = conn__flush(c);

		if (r < 0 || (r > 0 && c->kind != C_STREAM)) {
			conn__close(s, c);
			return;
		}
		if (!r) {
			if (conn__watch(s, c, EPOLLOUT))
				conn__close(s, c);
			return;
		}
		if (!stream__next(s, c))
			break;
	}
	/* idle stream: only a hang-up matters until the next snapshot */
	if (conn__watch(s, c, EPOLLRDHUP))
		conn__close(s, c);
}

/* Start sending a reply the server makes itself: status and a static JSON body. */
static void conn__reply_static(struct web_server *s, struct conn *c, int status, const char *json)
{
	api_reply__free(&c->reply);
	c->reply.body = json;
	c->reply.len = strlen(json);
	c->send_body = true;
	conn__header(c, status, "application/json", false);
	conn__move(s, c, C_REPLY);
	free(c->head);
	c->head = NULL;
	conn__progress(s, c);
}

/* The host part of a Host header value (no port, no brackets) into out. */
static void host_name(const char *host, char *out, size_t size)
{
	const char *end;

	if (host[0] == '[') {
		end = strchr(host, ']');
		host++;
	} else {
		end = strchr(host, ':');
	}
	if (!end)
		end = host + strlen(host);
	snprintf(out, size, "%.*s", (int)(end - host), host);
}

/*
 * Whether the Host is one DNS rebinding cannot forge: localhost, an address
 * literal (the listen address, or another one of this machine: a page of that
 * origin is ours), or an --allow-host name.
 */
static bool host_ok(const struct web_server *s, const char *host)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char name[256];

	host_name(host, name, sizeof(name));
	if (!strcasecmp(name, "localhost") || inet_pton(AF_INET, name, addr) == 1 ||
	    inet_pton(AF_INET6, name, addr) == 1)
		return true;
	for (size_t i = 0; i < s->o.nallow; i++)
		if (!strcasecmp(name, s->o.allow_hosts[i]))
			return true;
	return false;
}

static bool needs_token(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/metrics");
}

/*
 * Check a complete request head and split its target into path and *query
 * (path has room for the whole target). Returns 0, or the status of the
 * error reply with *why its JSON body.
 */
static int request__check(const struct web_server *s, const struct http_head *h, bool authorised,
			  char *path, size_t size, const char **query, const char **why)
{
	char *q;

	if (strcmp(h->method, "GET") && strcmp(h->method, "HEAD")) {
		*why = "{\"error\":\"read-only: only GET and HEAD\"}\n";
		return 405;
	}
	if (h->has_body) {
		*why = "{\"error\":\"requests carry no body\"}\n";
		return 413;
	}
	if (h->minor >= 1 && !h->host) {
		*why = "{\"error\":\"HTTP/1.1 needs a Host header\"}\n";
		return 400;
	}
	/* a page from another site that resolves its name to us must not read the API */
	if (h->host && !host_ok(s, h->host) && !authorised) {
		*why = "{\"error\":\"unknown Host: use localhost or the listen address, start "
		       "serve with --allow-host NAME, or send the token\"}\n";
		return 403;
	}
	if (strlen(h->target) >= size) {
		*why = "{\"error\":\"request target too long\"}\n";
		return 414;
	}
	strcpy(path, h->target);
	q = strchr(path, '?');
	if (q)
		*q++ = '\0';
	*query = q;
	if (needs_token(path) && !api__token_ok(s->o.token, h->authorization)) {
		*why = "{\"error\":\"missing or wrong token: send Authorization: Bearer TOKEN\"}\n";
		return 401;
	}
	return 0;
}

/* Whether a reply (stream: a stream) slot is free for c; privileged requests get the reserve. */
static bool slot_free(struct web_server *s, struct conn *c, bool stream, bool privileged)
{
	struct conn *oldest;

	if (stream)
		return s->lists[C_STREAM].n < STREAM_MAX &&
		       count_addr(s, C_STREAM, c, &oldest) < STREAM_PER_ADDR;
	return s->lists[C_REPLY].n < REPLY_MAX - (privileged ? 0 : REPLY_RESERVED) &&
	       count_addr(s, C_REPLY, c, &oldest) < REPLY_PER_ADDR;
}

/* Answer a complete request head; c leaves the head list whatever happens. */
static void conn__request(struct web_server *s, struct conn *c, const struct http_head *h)
{
	bool authorised = s->o.token && *s->o.token && api__token_ok(s->o.token, h->authorization);
	char path[HTTP_HEAD_MAX];
	const char *query, *why;
	bool stream, privileged;
	int status;

	status = request__check(s, h, authorised, path, sizeof(path), &query, &why);
	privileged = authorised || (c->loopback && !strcmp(path, "/metrics"));
	if (!status && !slot_free(s, c, false, privileged)) {
		status = 503;
		why = "{\"error\":\"too many requests: retry\"}\n";
	}
	if (!status && api__handle(s->api, path, query, &c->reply)) {
		status = 500;
		why = "{\"error\":\"out of memory\"}\n";
	}
	if (!status && c->reply.stream && !slot_free(s, c, true, false)) {
		status = 503;
		why = "{\"error\":\"too many streams: retry\"}\n";
	}
	if (status) {
		conn__reply_static(s, c, status, why);
		return;
	}
	c->send_body = strcmp(h->method, "HEAD");
	free(c->head); /* h points into it */
	c->head = NULL;
	stream = c->reply.stream && c->send_body;
	conn__header(c, c->reply.status, c->reply.type, c->reply.stream);
	conn__move(s, c, stream ? C_STREAM : C_REPLY);
	c->keepalive_ms = now_ms() + API_STREAM_KEEPALIVE_MS;
	conn__progress(s, c);
}

/* Read more of the request head; answer it once complete. */
static void conn__read_head(struct web_server *s, struct conn *c)
{
	struct http_head h;
	ssize_t n;
	int r;

	n = recv(c->fd, c->head + c->hlen, HTTP_HEAD_MAX - c->hlen, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn__close(s, c);
		return;
	}
	c->hlen += (size_t)n;
	r = http_head__parse(&h, c->head, c->hlen);
	if (r > 0)
		conn__request(s, c, &h);
	else if (r == -EPROTONOSUPPORT)
		conn__reply_static(s, c, 505, "{\"error\":\"only HTTP/1.x\"}\n");
	else if (r < 0)
		conn__reply_static(s, c, 400, "{\"error\":\"malformed request head\"}\n");
	else if (c->hlen == HTTP_HEAD_MAX)
		conn__reply_static(s, c, 431, "{\"error\":\"request head over 8192 bytes\"}\n");
}

/*
 * Off loopback, one address has HEAD_PER_ADDR head slots: past that, its
 * oldest makes room for c if it had its grace time, else c goes.
 */
static void head__admit(struct web_server *s, struct conn *c)
{
	struct conn *oldest;

	if (count_addr(s, C_HEAD, c, &oldest) < HEAD_PER_ADDR)
		return;
	conn__close(s, now_ms() - oldest->since_ms >= HEAD_GRACE_MS ? oldest : c);
}

/*
 * The head to close for room: the oldest once it had its grace time, else
 * the newest that had its probation (a client sending its head at once is
 * answered long before); NULL when none may go yet.
 */
static struct conn *heads__victim(struct web_server *s)
{
	unsigned long long now = now_ms();
	struct conn *c = s->lists[C_HEAD].first;

	if (c && now - c->since_ms < HEAD_GRACE_MS)
		for (c = s->lists[C_HEAD].last; c && now - c->since_ms < HEAD_PROBATION_MS;)
			c = c->prev;
	return c;
}

/* Bring the heads back to HEAD_MAX_CONNS; true while some are over it still. */
static bool heads__trim(struct web_server *s)
{
	while (s->lists[C_HEAD].n > HEAD_MAX_CONNS) {
		struct conn *c = heads__victim(s);

		if (!c)
			return true;
		conn__close(s, c);
	}
	return false;
}

static void accept_all(struct web_server *s)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct epoll_event ev = {.events = EPOLLIN};
		struct conn *c;
		int fd = accept4(s->lfd, (struct sockaddr *)&ss, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return; /* EAGAIN, or out of fds: the backlog waits for the next round */
		}
		c = s->nconns >= CONN_MAX ? heads__victim(s) : NULL;
		if (c)
			conn__close(s, c); /* every connection taken: a head makes room */
		c = s->nconns < CONN_MAX ? calloc(1, sizeof(*c)) : NULL;
		if (c)
			c->head = malloc(HTTP_HEAD_MAX);
		ev.data.ptr = c;
		if (!c || !c->head || epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			if (c)
				free(c->head);
			free(c);
			close(fd);
			continue;
		}
		c->fd = fd;
		c->peer = ss;
		c->loopback = is_loopback(&ss);
		c->since_ms = now_ms();
		c->reply.sort = -1;
		c->kind = C_HEAD;
		list__add(&s->lists[C_HEAD], c);
		s->nconns++;
		/* most clients send at once: answered now, they never count against the cap */
		conn__read_head(s, c);
		if (c->fd >= 0 && c->kind == C_HEAD)
			head__admit(s, c);
	}
}

/* A snapshot was published: every idle stream sends it; one still behind is counted lagging. */
static void streams__publish(struct web_server *s)
{
	struct conn *c = s->lists[C_STREAM].first, *next;

	for (; c; c = next) {
		next = c->next;
		if (c->off < c->hdr_len + c->reply.len) {
			if (++c->lag > STREAM_LAG_MAX)
				conn__close(s, c); /* a slow reader: it would hold memory forever */
			continue;
		}
		if (stream__next(s, c)) {
			c->keepalive_ms = now_ms() + API_STREAM_KEEPALIVE_MS;
			conn__progress(s, c);
		}
	}
}

/* Drop heads past their time and writers making no progress; keep idle streams alive. */
static void conns__tick(struct web_server *s)
{
	static const char keepalive[] = ": keep-alive\n\n";
	unsigned long long now = now_ms();
	struct conn *c, *next;

	while ((c = s->lists[C_HEAD].first) && now - c->since_ms >= HEAD_TIMEOUT_MS)
		conn__close(s, c);
	for (c = s->lists[C_REPLY].first; c; c = next) {
		next = c->next;
		if (now - c->since_ms >= WRITE_IDLE_MS)
			conn__close(s, c);
	}
	for (c = s->lists[C_STREAM].first; c; c = next) {
		next = c->next;
		if (c->off < c->hdr_len + c->reply.len) {
			if (now - c->since_ms >= WRITE_IDLE_MS)
				conn__close(s, c);
		} else if (now >= c->keepalive_ms) {
			api_reply__free(&c->reply);
			c->reply.body = keepalive;
			c->reply.len = sizeof(keepalive) - 1;
			c->hdr_len = c->off = 0;
			c->keepalive_ms = now + API_STREAM_KEEPALIVE_MS;
			conn__progress(s, c);
		}
	}
}

static int watch_fd(struct web_server *s, int fd, void *tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};

	return epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

struct web_server *web_server__new(struct api_ctx *api, int lfd, const struct web_server_opts *o)
{
	struct web_server *s = calloc(1, sizeof(*s));
	struct rlimit rl;
	sigset_t mask;
	int err;

	if (!s)
		return NULL;
	s->api = api;
	s->lfd = lfd;
	s->o = *o;
	s->sfd = -1;
	/* every connection is an fd: make room for all of them */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < NOFILE_WANTED) {
		rl.rlim_cur = rl.rlim_max < NOFILE_WANTED ? rl.rlim_max : NOFILE_WANTED;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0 || sigprocmask(SIG_BLOCK, &mask, NULL) ||
	    (s->sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0) {
		err = errno;
		goto fail;
	}
	err = lfd >= 0 ? -watch_fd(s, lfd, &tag_listen) : 0;
	if (!err)
		err = -watch_fd(s, s->sfd, &tag_signal);
	if (err)
		goto fail;
	return s;
fail:
	s->lfd = -1; /* the caller still owns it */
	web_server__free(s);
	errno = err;
	return NULL;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one cleanup path at its end, the
 * idiom of STYLE.md Errors.
 */
int web_server__run(struct web_server *s, const struct web_feed *feed, struct query_socket *qs)
{
	unsigned long long next_tick = now_ms() + TICK_MS;
	bool over_cap = false;
	int err = 0;

	if (feed && (err = watch_fd(s, feed->fd, &tag_feed)))
		return err;
	if (qs && (err = watch_fd(s, query_socket__fd(qs), &tag_qs)))
		return err;
	for (;;) {
		struct epoll_event evs[64];
		unsigned long long now = now_ms();
		int wait = now >= next_tick ? 0 : (int)(next_tick - now);
		int n = epoll_wait(s->epfd, evs, 64,
				   over_cap && wait > HEAD_PROBATION_MS ? HEAD_PROBATION_MS : wait);

		if (n < 0 && errno != EINTR) {
			err = -errno;
			goto out;
		}
		for (int i = 0; i < n; i++) {
			void *tag = evs[i].data.ptr;
			struct conn *c = tag;

			if (tag == &tag_signal) {
				err = 0;
				goto out;
			}
			if (tag == &tag_listen) {
				accept_all(s);
			} else if (tag == &tag_feed) {
				err = feed->on_ready(feed->ctx);
				if (err < 0)
					goto out;
				if (err > 0)
					streams__publish(s);
			} else if (tag == &tag_qs) {
				query_socket__service(qs);
			} else if (c->fd < 0) {
				continue; /* closed earlier in this round */
			} else if (c->kind == C_HEAD) {
				conn__read_head(s, c);
			} else if (evs[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR) &&
				   c->kind == C_STREAM &&
				   c->off >= c->hdr_len + c->reply.len) {
				conn__close(s, c);
			} else {
				conn__progress(s, c);
			}
		}
		if (now_ms() >= next_tick) {
			conns__tick(s);
			if (qs)
				query_socket__service(qs);
			next_tick = now_ms() + TICK_MS;
		}
		over_cap = heads__trim(s);
		conns__reap(s);
	}
out:
	conns__reap(s);
	return err;
}

void web_server__free(struct web_server *s)
{
	if (!s)
		return;
	for (int k = 0; k < C_KINDS; k++)
		while (s->lists[k].first)
			conn__close(s, s->lists[k].first);
	conns__reap(s);
	if (s->lfd >= 0)
		close(s->lfd);
	if (s->sfd >= 0)
		close(s->sfd);
	if (s->epfd >= 0)
		close(s->epfd);
	free(s);
}
