// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Query a UNIX socket line by line: sock_query PATH < requests. Sends each
 * stdin line, waits for its one response line and prints it; exits 1 when a
 * response is missing (5 s), 2 on usage or connect errors.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

static int read_line(int fd)
{
	char ch;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (poll(&p, 1, 5000) != 1 || read(fd, &ch, 1) != 1)
			return 1;
		putchar(ch);
		if (ch == '\n')
			return 0;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t cap = 0;
	char *line = NULL;
	ssize_t n;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: sock_query PATH < requests\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("connect");
		return 2;
	}
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (write(fd, line, (size_t)n) != n || read_line(fd)) {
			fprintf(stderr, "sock_query: no response to: %s", line);
			return 1;
		}
		fflush(stdout);
	}
	free(line);
	close(fd);
	return 0;
}
