// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TCP ping-pong with known counts for the pktjourney tests (TCP_NODELAY, one
 * message in flight, so every message is one segment the receiver reads whole).
 *   pkt_tcp server ADDR PORT COUNT SIZE
 *	accept one connection, prints "ready" first; read COUNT messages of
 *	SIZE bytes, answer each with 1 byte; prints "served N".
 *   pkt_tcp client ADDR PORT COUNT SIZE
 *	send COUNT messages of SIZE bytes, wait for each answer; prints
 *	"S i ns" (before write) and "R i ns" (after the answer) per message when
 *	COUNT <= 10000, then "done N".
 *   pkt_tcp sink ADDR PORT HOLD_MS SIZE
 *	accept one connection, prints "ready" first; wait HOLD_MS, then read
 *	SIZE bytes at a time until EOF; prints "read N" (bytes).
 *   pkt_tcp stream ADDR PORT BYTES SIZE
 *	send BYTES bytes in writes of SIZE, then close; prints "wrote N".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Read exactly n bytes; 0 or -1. */
static int read_full(int fd, char *buf, long n)
{
	while (n > 0) {
		ssize_t r = read(fd, buf, n);

		if (r <= 0)
			return -1;
		buf += r;
		n -= r;
	}
	return 0;
}

/* Say "ready", then the one connection to listening socket lfd; -1 on failure. */
static int accept_one(int lfd)
{
	int fd;

	printf("ready\n");
	fflush(stdout);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		perror("accept");
	return fd;
}

static int serve(int lfd, long count, long size, char *buf)
{
	int one = 1, fd = accept_one(lfd);
	long i;

	if (fd < 0)
		return 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < count; i++) {
		if (read_full(fd, buf, size) || write(fd, "k", 1) != 1)
			break;
	}
	printf("served %ld\n", i);
	close(fd);
	return i == count ? 0 : 1;
}

static int client(int fd, struct sockaddr_in *a, long count, long size, char *buf)
{
	int one = 1;
	long i;

	if (connect(fd, (struct sockaddr *)a, sizeof(*a))) {
		perror("connect");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	for (i = 0; i < count; i++) {
		unsigned long long t0 = mono_ns(), t1;
		char k;

		if (write(fd, buf, size) != size || read_full(fd, &k, 1))
			break;
		t1 = mono_ns();
		if (count <= 10000)
			printf("S %ld %llu\nR %ld %llu\n", i, t0, i, t1);
	}
	printf("done %ld\n", i);
	return i == count ? 0 : 1;
}

static int sink(int lfd, long hold_ms, long size, char *buf)
{
	int fd = accept_one(lfd);
	long total = 0;
	ssize_t r;

	if (fd < 0)
		return 1;
	usleep(hold_ms * 1000);
	while ((r = read(fd, buf, size)) > 0)
		total += r;
	printf("read %ld\n", total);
	close(fd);
	return r < 0;
}

static int stream(int fd, struct sockaddr_in *a, long bytes, long size, char *buf)
{
	long total = 0;

	if (connect(fd, (struct sockaddr *)a, sizeof(*a))) {
		perror("connect");
		return 1;
	}
	while (total < bytes) {
		ssize_t w = write(fd, buf, bytes - total < size ? bytes - total : size);

		if (w <= 0)
			break;
		total += w;
	}
	printf("wrote %ld\n", total);
	return total == bytes ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	long count, size;
	char *buf;
	int fd, one = 1, rc = 2;

	if (argc != 6 || inet_pton(AF_INET, argv[2], &a.sin_addr) != 1) {
		fprintf(stderr, "usage: pkt_tcp server|client|sink|stream ADDR PORT COUNT SIZE\n");
		return 2;
	}
	a.sin_port = htons((unsigned short)atoi(argv[3]));
	count = atol(argv[4]);
	size = atol(argv[5]);
	buf = calloc(1, size > 0 ? size : 1);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (!buf || fd < 0 || size <= 0) {
		perror("setup");
		return 1;
	}
	if (!strcmp(argv[1], "server") || !strcmp(argv[1], "sink")) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1)) {
			perror("bind/listen");
			return 1;
		}
		rc = !strcmp(argv[1], "sink") ? sink(fd, count, size, buf) : serve(fd, count, size, buf);
	} else if (!strcmp(argv[1], "client")) {
		rc = client(fd, &a, count, size, buf);
	} else if (!strcmp(argv[1], "stream")) {
		rc = stream(fd, &a, count, size, buf);
	}
	close(fd);
	free(buf);
	return rc;
}
