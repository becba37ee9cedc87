// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the web server's request head parser (src/web/http.c):
 * any bytes, fed whole and then cut at every length a client could have sent
 * so far, give a head length, 0 (more needed), -EINVAL or -EPROTONOSUPPORT,
 * never a crash or a read past what was received; a parsed head holds what
 * the parser promises.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "web/http.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check(const unsigned char *data, size_t len)
{
	char *buf = malloc(len ? len : 1); /* exactly len: ASan sees any read past it */
	struct http_head h;
	int r;

	if (!buf)
		return;
	memcpy(buf, data, len);
	r = http_head__parse(&h, buf, len);
	if (r > 0) {
		if ((size_t)r > len || !h.method || !*h.method || !h.target ||
		    h.target[0] != '/' || h.minor < 0 || h.minor > 9)
			abort();
		if (h.host && (!*h.host || strpbrk(h.host, " \t/@\\")))
			abort();
		for (const char *t = h.target; *t; t++)
			if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
				abort();
	} else if (r != 0 && r != -EINVAL && r != -EPROTONOSUPPORT) {
		abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size > HTTP_HEAD_MAX)
		size = HTTP_HEAD_MAX;
	check(data, size);
	/* what a trickling client may have sent so far */
	for (size_t cut = 1; cut < size; cut += 1 + cut / 4)
		check(data, cut);
	return 0;
}
