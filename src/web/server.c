// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include "core/log.h"
#include "web/api.h"
#include "web/server.h"

#define CONN_LIMIT	  64
#define CONN_MEMORY_LIMIT (64 * 1024) /* request line and headers; more gets 414/431 */
#define CONN_TIMEOUT_S	  60
#define STREAM_BLOCK	  (64 * 1024)

struct web_server {
	struct MHD_Daemon *d;
	struct api_ctx *api;
	const char *token;
};

/* A request: its raw URI (path and query, as sent), captured before MHD decodes it. */
struct request {
	char *uri;
};

/* A running stream: the chunk being sent and how much of it went out. */
struct stream {
	struct api_ctx *api;
	struct api_reply reply;
	size_t off;
};

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

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *r = calloc(1, sizeof(*r));

	if (r)
		r->uri = strdup(uri);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode code)
{
	struct request *r = *req_cls;

	if (r)
		free(r->uri);
	free(r);
	*req_cls = NULL;
}

/* Queue body with status and the headers every reply carries. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, int status, const char *type,
				  struct MHD_Response *resp)
{
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; style-src 'self' 'unsafe-inline'; "
				"img-src 'self' data:; frame-ancestors 'none'");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"tracerhub\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(conn, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result send_text(struct MHD_Connection *conn, int status, const char *json)
{
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(strlen(json), (void *)json, MHD_RESPMEM_PERSISTENT);

	return send_reply(conn, status, "application/json", resp);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;
	size_t n;

	while (st->off >= st->reply.len) {
		int err = api__stream_next(st->api, &st->reply, API_STREAM_KEEPALIVE_MS);

		if (err)
			return err == -ESHUTDOWN ? MHD_CONTENT_READER_END_OF_STREAM
						 : MHD_CONTENT_READER_END_WITH_ERROR;
		st->off = 0;
	}
	n = st->reply.len - st->off;
	if (n > max)
		n = max;
	memcpy(buf, st->reply.body + st->off, n);
	st->off += n;
	return (ssize_t)n;
}

static void stream_free(void *cls)
{
	struct stream *st = cls;

	api_reply__free(&st->reply);
	free(st);
}

static enum MHD_Result send_stream(struct web_server *s, struct MHD_Connection *conn,
				   struct api_reply *reply)
{
	struct MHD_Response *resp;
	struct stream *st = calloc(1, sizeof(*st));

	if (!st)
		return send_text(conn, 500, "{\"error\":\"out of memory\"}\n");
	st->api = s->api;
	st->reply = *reply;
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read, st,
						 stream_free);
	if (!resp) {
		stream_free(st);
		return MHD_NO;
	}
	return send_reply(conn, 200, reply->type, resp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct web_server *s = cls;
	struct request *r = *req_cls;
	const char *clen =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	struct MHD_Response *resp;
	struct api_reply reply;
	char *query;
	int err;

	if (!r || !r->uri)
		return send_text(conn, 500, "{\"error\":\"out of memory\"}\n");
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return send_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
				 "{\"error\":\"read-only: only GET and HEAD\"}\n");
	if (*upload_data_size || (clen && strcmp(clen, "0")) ||
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return send_text(conn, MHD_HTTP_CONTENT_TOO_LARGE,
				 "{\"error\":\"requests carry no body\"}\n");
	query = strchr(r->uri, '?');
	if (query)
		*query++ = '\0';
	/* the page's files hold no data: only the API and /metrics need the token */
	if ((!strncmp(r->uri, "/api/", 5) || !strcmp(r->uri, "/metrics")) &&
	    !api__token_ok(s->token, MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
								 MHD_HTTP_HEADER_AUTHORIZATION)))
		return send_text(conn, MHD_HTTP_UNAUTHORIZED,
				 "{\"error\":\"missing or wrong token: send Authorization: Bearer "
				 "TOKEN\"}\n");
	err = api__handle(s->api, r->uri, query, &reply);
	if (err)
		return send_text(conn, 500, "{\"error\":\"out of memory\"}\n");
	if (reply.stream)
		return send_stream(s, conn, &reply);
	resp = MHD_create_response_from_buffer(reply.len, reply.body, MHD_RESPMEM_MUST_FREE);
	if (!resp)
		api_reply__free(&reply);
	return send_reply(conn, reply.status, reply.type, resp);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	if (log__verbose())
		vfprintf(stderr, fmt, ap);
}

struct web_server *web_server__start(struct api_ctx *api, const struct web_listen *l,
				     const char *token)
{
	unsigned int flags =
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	struct web_server *s = calloc(1, sizeof(*s));
	sigset_t all, old;
	char host[INET6_ADDRSTRLEN];
	int err;

	if (!s)
		return NULL;
	s->api = api;
	s->token = token;
	if (l->addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/*
	 * The server's threads inherit this mask: with every signal blocked there,
	 * SIGINT and SIGTERM reach the session's signalfd, never a server thread.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR,
				(const struct sockaddr *)&l->addr, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned int)CONN_LIMIT, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
				(size_t)CONN_MEMORY_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned int)CONN_TIMEOUT_S, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
				NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->d) {
		err = errno ? errno : EADDRINUSE;
		log__error("cannot listen on the --listen address: %s (is another server on "
			   "that port? try another port)",
			   strerror(err));
		free(s);
		errno = err;
		return NULL;
	}
	info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	if (l->addr.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)&l->addr)->sin6_addr, host,
			  sizeof(host));
	else
		inet_ntop(AF_INET, &((const struct sockaddr_in *)&l->addr)->sin_addr, host,
			  sizeof(host));
	log__info("listening on http://%s%s%s:%u/", l->addr.ss_family == AF_INET6 ? "[" : "", host,
		  l->addr.ss_family == AF_INET6 ? "]" : "", info ? info->port : 0);
	return s;
}

void web_server__stop(struct web_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
