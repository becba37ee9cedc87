// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Both ends of a network workload with exactly known counts, for the netproc,
 * tcpconnect and tcplife tests. Addresses are IPv4 or IPv6 literals.
 *
 *   net_peer tcp-server ADDR PORT N
 *	accept N connections, read each to EOF; print "accepted=N rx_bytes=B"
 *   net_peer tcp-closer ADDR PORT N
 *	accept N connections and close each at once, unread; print "accepted=N rx_bytes=0"
 *   net_peer udp-server ADDR PORT M
 *	receive M datagrams (60 s timeout each); print "datagrams=M rx_bytes=B"
 *   net_peer client ADDR PORT N BYTES CLOSED_PORT R UDP_PORT M SIZE
 *	wait for SIGUSR1, then: N TCP connects to PORT each sending BYTES and
 *	closing, R connects to CLOSED_PORT (refused), M datagrams of SIZE bytes
 *	to UDP_PORT. Prints "connect sport=P ns=D" per connect (D: the
 *	duration of connect() measured here) and "refused ns=D" per refusal.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 16];

/* Fill sa from ADDR and PORT; returns its length, 0 on a bad address. */
static socklen_t make_addr(struct sockaddr_storage *sa, const char *addr, int port)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof(*sa));
	if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		return sizeof(*v4);
	}
	if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		return sizeof(*v6);
	}
	return 0;
}

static int bound_socket(const char *addr, int port, int type)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, addr, port);
	/* only a broken test waits it out; an emulated machine may take long to start tracing */
	struct timeval tv = { .tv_sec = 60 };
	int one = 1, fd;

	if (!len)
		return -1;
	fd = socket(sa.ss_family, type, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&sa, len))
		return -1;
	return fd;
}

static int tcp_server(const char *addr, int port, long n, bool drain)
{
	long long total = 0;
	int fd = bound_socket(addr, port, SOCK_STREAM);

	if (fd < 0 || listen(fd, 128))
		return 1;
	printf("listening\n");
	fflush(stdout);
	for (long i = 0; i < n; i++) {
		int c = accept(fd, NULL, NULL);
		ssize_t r;

		if (c < 0)
			return 1;
		while (drain && (r = read(c, buf, sizeof(buf))) > 0)
			total += r;
		close(c);
	}
	printf("accepted=%ld rx_bytes=%lld\n", n, total);
	return 0;
}

static int udp_server(const char *addr, int port, long m)
{
	long long total = 0;
	int fd = bound_socket(addr, port, SOCK_DGRAM);

	if (fd < 0)
		return 1;
	printf("listening\n");
	fflush(stdout);
	for (long i = 0; i < m; i++) {
		ssize_t r = recvfrom(fd, buf, sizeof(buf), 0, NULL, NULL);

		if (r < 0)
			return 1;
		total += r;
	}
	printf("datagrams=%ld rx_bytes=%lld\n", m, total);
	return 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* One connect() to addr:port, timed; returns the socket or -1 (errno set). */
static int timed_connect(const char *addr, int port, long long *ns)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, addr, port);
	long long t0;
	int fd, err;

	fd = socket(sa.ss_family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	t0 = now_ns();
	err = connect(fd, (struct sockaddr *)&sa, len);
	*ns = now_ns() - t0;
	if (err) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

static int client(char **argv)
{
	const char *addr = argv[0];
	int port = atoi(argv[1]), closed = atoi(argv[4]), uport = atoi(argv[6]);
	long n = atol(argv[2]), bytes = atol(argv[3]), r = atol(argv[5]), m = atol(argv[7]);
	long size = atol(argv[8]);
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, addr, uport);
	sigset_t set;
	long long ns;
	int sig, fd;

	if (!len || size > (long)sizeof(buf))
		return 2;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("waiting\n");
	fflush(stdout);
	if (sigwait(&set, &sig))
		return 1;
	for (long i = 0; i < n; i++) {
		struct sockaddr_storage local;
		socklen_t llen = sizeof(local);
		long left = bytes;

		fd = timed_connect(addr, port, &ns);
		if (fd < 0 || getsockname(fd, (struct sockaddr *)&local, &llen))
			return 1;
		printf("connect sport=%u ns=%lld\n",
		       ntohs(((struct sockaddr_in *)&local)->sin_port), ns); /* same offset in v6 */
		while (left > 0) {
			ssize_t w = write(fd, buf, left < (long)sizeof(buf) ? left : (long)sizeof(buf));

			if (w <= 0)
				return 1;
			left -= w;
		}
		close(fd);
	}
	for (long i = 0; i < r; i++) {
		if (timed_connect(addr, closed, &ns) >= 0 || errno != ECONNREFUSED)
			return 1;
		printf("refused ns=%lld\n", ns);
	}
	fd = socket(sa.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return 1;
	for (long i = 0; i < m; i++)
		if (sendto(fd, buf, size, 0, (struct sockaddr *)&sa, len) != size)
			return 1;
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "tcp-server"))
		return tcp_server(argv[2], atoi(argv[3]), atol(argv[4]), true);
	if (argc == 5 && !strcmp(argv[1], "tcp-closer"))
		return tcp_server(argv[2], atoi(argv[3]), atol(argv[4]), false);
	if (argc == 5 && !strcmp(argv[1], "udp-server"))
		return udp_server(argv[2], atoi(argv[3]), atol(argv[4]));
	if (argc == 11 && !strcmp(argv[1], "client"))
		return client(argv + 2);
	fprintf(stderr, "usage: %s tcp-server|tcp-closer|udp-server ADDR PORT N\n"
			"       %s client ADDR PORT N BYTES CLOSED_PORT R UDP_PORT M SIZE\n",
		argv[0], argv[0]);
	return 2;
}
