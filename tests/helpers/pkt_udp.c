// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * UDP workload with known counts for the pktjourney tests.
 *   pkt_udp send ADDR PORT COUNT SIZE GAP_US
 *	send COUNT datagrams of SIZE bytes (the sequence number, then bytes
 *	'a' + i % 26 at offset i from 8 on), GAP_US apart;
 *	prints "S seq ns" per datagram (CLOCK_MONOTONIC, before send()) when
 *	COUNT <= 10000, then "sent N".
 *   pkt_udp recv ADDR PORT RCVBUF HOLD_MS EXPECT
 *	bind, set SO_RCVBUF (0: leave it), print "ready", read nothing for
 *	HOLD_MS, then read until EXPECT datagrams or 500 ms of silence after the
 *	first (which may take 30 s: a slow machine starts the sender late); prints
 *	"R seq ns" per datagram (after recv()) when EXPECT <= 10000, then
 *	"received N".
 */
#include <arpa/inet.h>
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

static int addr_of(const char *ip, const char *port, struct sockaddr_in *a)
{
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((unsigned short)atoi(port));
	return inet_pton(AF_INET, ip, &a->sin_addr) == 1 ? 0 : -1;
}

static int do_send(int fd, struct sockaddr_in *dst, long count, long size, long gap_us)
{
	char buf[65536] = { 0 };
	long sent = 0;

	if (size < 8 || size > (long)sizeof(buf))
		return 2;
	for (long j = 8; j < size; j++)
		buf[j] = (char)('a' + j % 26);
	for (long i = 0; i < count; i++) {
		unsigned long long t = mono_ns();

		memcpy(buf, &i, sizeof(i));
		if (sendto(fd, buf, size, 0, (struct sockaddr *)dst, sizeof(*dst)) != size) {
			perror("sendto");
			return 1;
		}
		sent++;
		if (count <= 10000)
			printf("S %ld %llu\n", i, t);
		if (gap_us)
			usleep(gap_us);
	}
	printf("sent %ld\n", sent);
	return 0;
}

static int do_recv(int fd, long rcvbuf, long hold_ms, long expect)
{
	struct timeval first = { .tv_sec = 30 }, tv = { .tv_usec = 500000 };
	char buf[65536];
	long got = 0, seq;

	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(int))) {
		perror("SO_RCVBUF");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &first, sizeof(first));
	printf("ready\n");
	fflush(stdout);
	usleep(hold_ms * 1000);
	while (got < expect) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		unsigned long long t = mono_ns();

		if (n < 0)
			break;
		if (!got++)
			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (expect <= 10000 && n >= (ssize_t)sizeof(seq)) {
			memcpy(&seq, buf, sizeof(seq));
			printf("R %ld %llu\n", seq, t);
		}
	}
	printf("received %ld\n", got);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	int fd, rc;

	if (argc != 7 || addr_of(argv[2], argv[3], &a)) {
		fprintf(stderr, "usage: pkt_udp send ADDR PORT COUNT SIZE GAP_US\n"
				"       pkt_udp recv ADDR PORT RCVBUF HOLD_MS EXPECT\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (!strcmp(argv[1], "send")) {
		rc = do_send(fd, &a, atol(argv[4]), atol(argv[5]), atol(argv[6]));
	} else if (!strcmp(argv[1], "recv")) {
		if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
			perror("bind");
			return 1;
		}
		rc = do_recv(fd, atol(argv[4]), atol(argv[5]), atol(argv[6]));
	} else {
		rc = 2;
	}
	close(fd);
	return rc;
}
