// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Hostile load on `tracerhub serve`, on loopback, for a bounded time:
 *   web_load PORT SOCKET SECONDS TOKEN SSE SLOWLORIS SCRAPERS HISTORY QUERIERS
 * SSE streams counting snapshot events; slowloris connections sending one
 * header line a second and reconnecting when dropped; /metrics scrapers and
 * /api/v1/history pollers (each 10 requests a second); query-socket clients
 * asking for the history (as often), half of which never read
 * (SOCKET "-": none); and one probe every 250 ms timing its answer: /metrics,
 * or with PORT 0 (no HTTP at all) /api/v1/snapshot over one connection of
 * its own to the query socket. Every HTTP request carries TOKEN ("-": none).
 * Prints "key value" lines.
 * Exits 0, or 2 on usage errors.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

static int port;
static const char *sock_path, *token;
static double end_at;

static atomic_long sse_events, sse_opened, sse_refused, sse_dropped;
static atomic_long slow_conns, slow_closed;
static atomic_long scrape_ok, scrape_busy, scrape_err;
static atomic_long hist_ok, hist_busy, hist_err, hist_bytes;
static atomic_long qs_answers, qs_stuck, qs_err, qs_connect_err;
static atomic_long probe_ok, probe_fail, probe_max_us;
static long *sse_counts;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A stream connection to sa with send and receive timeouts of timeout_s, or -1. */
static int connect_to(const struct sockaddr *sa, socklen_t len, int timeout_s)
{
	struct timeval tv = {.tv_sec = timeout_s};
	int fd = socket(sa->sa_family, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, sa, len)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int dial(int timeout_s)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return connect_to((struct sockaddr *)&sa, sizeof(sa), timeout_s);
}

static int send_request(int fd, const char *path)
{
	bool auth = strcmp(token, "-");
	char req[1024];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s%s%s\r\n",
			 path, port, auth ? "Authorization: Bearer " : "", auth ? token : "",
			 auth ? "\r\n" : "");

	return send(fd, req, (size_t)n, MSG_NOSIGNAL) == n ? 0 : -1;
}

/* GET path; the status (0 on failure), the body's length in *bytes. */
static int get(const char *path, long *bytes)
{
	char buf[65536];
	int fd = dial(5), status = 0;
	long total = 0;
	ssize_t n;

	if (fd < 0)
		return 0;
	if (!send_request(fd, path)) {
		while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
			if (!total && n > 12 && !strncmp(buf, "HTTP/1.1 ", 9))
				status = atoi(buf + 9);
			total += n;
		}
		if (n < 0)
			status = 0;
	}
	close(fd);
	*bytes = total;
	return status;
}

static void *sse_run(void *arg)
{
	long *count = arg;
	char buf[65536];
	int fd = dial(20);
	ssize_t n;

	if (fd < 0 || send_request(fd, "/api/v1/stream?top=5")) {
		atomic_fetch_add(&sse_refused, 1);
		goto out;
	}
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 12 || strncmp(buf, "HTTP/1.1 200", 12)) {
		atomic_fetch_add(&sse_refused, 1);
		goto out;
	}
	atomic_fetch_add(&sse_opened, 1);
	do {
		buf[n] = '\0';
		for (char *p = buf; (p = strstr(p, "event: snapshot")); p++) {
			(*count)++;
			atomic_fetch_add(&sse_events, 1);
		}
		if (now_s() >= end_at)
			goto out;
	} while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0);
	atomic_fetch_add(&sse_dropped, 1);
out:
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *slow_run(void *arg)
{
	while (now_s() < end_at) {
		int fd = dial(2);
		char c;

		if (fd < 0) {
			usleep(100000);
			continue;
		}
		atomic_fetch_add(&slow_conns, 1);
		send(fd, "GET /metrics HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
		while (now_s() < end_at) {
			sleep(1);
			if (send(fd, "X-Slow: 1\r\n", 11, MSG_NOSIGNAL) != 11 ||
			    recv(fd, &c, 1, MSG_DONTWAIT) == 0) {
				atomic_fetch_add(&slow_closed, 1);
				break;
			}
		}
		close(fd);
	}
	return NULL;
}

static void *scrape_run(void *arg)
{
	while (now_s() < end_at) {
		long bytes;
		int st = get("/metrics", &bytes);

		atomic_fetch_add(st == 200   ? &scrape_ok
				 : st == 503 ? &scrape_busy
					     : &scrape_err,
				 1);
		usleep(100000);
	}
	return NULL;
}

static void *hist_run(void *arg)
{
	while (now_s() < end_at) {
		long bytes;
		int st = get("/api/v1/history", &bytes);

		atomic_fetch_add(st == 200 ? &hist_ok : st == 503 ? &hist_busy : &hist_err, 1);
		if (st == 200)
			atomic_fetch_add(&hist_bytes, bytes);
		usleep(100000);
	}
	return NULL;
}

/* A connection to the query socket (5 s timeouts), or -1. */
static int qs_dial(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	return connect_to((struct sockaddr *)&sa, sizeof(sa), 5);
}

/* Read one answer line; 0, or -1 when the connection failed or the answer is an error. */
static int qs_answer(int fd)
{
	char buf[65536];
	bool error = false, first = true;
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
		if (first)
			error = n >= 9 && !strncmp(buf, "{\"error\"", 9);
		first = false;
		if (buf[n - 1] == '\n')
			break;
	}
	return n > 0 && !error ? 0 : -1;
}

/* Query-socket client; arg non-NULL: one that sends and never reads. */
static void *qs_run(void *arg)
{
	static const char req[] = "/api/v1/history\n";

	while (now_s() < end_at) {
		int fd = qs_dial();

		if (fd < 0) {
			atomic_fetch_add(&qs_connect_err, 1);
			usleep(100000);
			continue;
		}
		while (now_s() < end_at) {
			if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != sizeof(req) - 1) {
				atomic_fetch_add(arg ? &qs_stuck : &qs_err, 1);
				break;
			}
			if (arg)
				continue; /* never reads: the server drops it */
			if (qs_answer(fd)) {
				atomic_fetch_add(&qs_err, 1);
				break;
			}
			atomic_fetch_add(&qs_answers, 1);
			usleep(100000);
		}
		close(fd);
	}
	return NULL;
}

/* One probe: GET /metrics, or /api/v1/snapshot on the query socket (*qfd, kept open). */
static bool probe_once(int *qfd)
{
	static const char req[] = "/api/v1/snapshot\n";
	long bytes;

	if (port)
		return get("/metrics", &bytes) == 200;
	if (*qfd < 0)
		*qfd = qs_dial();
	if (*qfd >= 0 && send(*qfd, req, sizeof(req) - 1, MSG_NOSIGNAL) == sizeof(req) - 1 &&
	    !qs_answer(*qfd))
		return true;
	if (*qfd >= 0)
		close(*qfd);
	*qfd = -1;
	return false;
}

static void *probe_run(void *arg)
{
	int qfd = -1;

	while (now_s() < end_at) {
		double t = now_s();
		long us;
		bool ok = probe_once(&qfd);

		us = (long)((now_s() - t) * 1e6);
		atomic_fetch_add(ok ? &probe_ok : &probe_fail, 1);
		if (us > atomic_load(&probe_max_us))
			atomic_store(&probe_max_us, us);
		usleep(250000);
	}
	if (qfd >= 0)
		close(qfd);
	return NULL;
}

static int spawn(pthread_t *t, size_t *n, void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;
	int err;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 256 * 1024);
	err = pthread_create(&t[*n], &a, fn, arg);
	pthread_attr_destroy(&a);
	if (!err)
		(*n)++;
	return err;
}

int main(int argc, char **argv)
{
	int nsse, nslow, nscrape, nhist, nqs;
	size_t nt = 0;
	pthread_t *t;
	long min = -1;

	if (argc != 10) {
		fprintf(stderr, "usage: web_load PORT SOCKET SECONDS TOKEN SSE SLOWLORIS SCRAPERS "
				"HISTORY QUERIERS\n");
		return 2;
	}
	port = atoi(argv[1]);
	sock_path = argv[2];
	end_at = now_s() + atof(argv[3]);
	token = argv[4];
	nsse = atoi(argv[5]);
	nslow = atoi(argv[6]);
	nscrape = atoi(argv[7]);
	nhist = atoi(argv[8]);
	nqs = strcmp(sock_path, "-") ? atoi(argv[9]) : 0;
	t = calloc((size_t)(nsse + nslow + nscrape + nhist + nqs + 1), sizeof(*t));
	sse_counts = calloc((size_t)nsse + 1, sizeof(*sse_counts));
	if (!t || !sse_counts)
		return 1;
	/* the probe first: on the query socket it holds one of its 16 connections */
	if (port || nqs)
		spawn(t, &nt, probe_run, NULL);
	usleep(100000);
	for (int i = 0; i < nsse; i++)
		spawn(t, &nt, sse_run, &sse_counts[i]);
	for (int i = 0; i < nslow; i++)
		spawn(t, &nt, slow_run, NULL);
	for (int i = 0; i < nscrape; i++)
		spawn(t, &nt, scrape_run, NULL);
	for (int i = 0; i < nhist; i++)
		spawn(t, &nt, hist_run, NULL);
	for (int i = 0; i < nqs; i++)
		spawn(t, &nt, qs_run, i % 2 ? (void *)1 : NULL);
	for (size_t i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < nsse; i++)
		if (min < 0 || sse_counts[i] < min)
			min = sse_counts[i];
	printf("threads %zu\n", nt);
	printf("sse_opened %ld\nsse_refused %ld\nsse_dropped %ld\nsse_events %ld\n"
	       "sse_min_events %ld\n",
	       (long)sse_opened, (long)sse_refused, (long)sse_dropped, (long)sse_events, min);
	printf("slow_conns %ld\nslow_closed %ld\n", (long)slow_conns, (long)slow_closed);
	printf("scrape_ok %ld\nscrape_busy %ld\nscrape_err %ld\n", (long)scrape_ok,
	       (long)scrape_busy, (long)scrape_err);
	printf("hist_ok %ld\nhist_busy %ld\nhist_err %ld\nhist_mb %ld\n", (long)hist_ok,
	       (long)hist_busy, (long)hist_err, (long)hist_bytes >> 20);
	printf("qs_answers %ld\nqs_stuck_dropped %ld\nqs_err %ld\nqs_connect_err %ld\n",
	       (long)qs_answers, (long)qs_stuck, (long)qs_err, (long)qs_connect_err);
	printf("probe_ok %ld\nprobe_fail %ld\nprobe_max_ms %ld\n", (long)probe_ok,
	       (long)probe_fail, (long)probe_max_us / 1000);
	free(t);
	free(sse_counts);
	return 0;
}
