// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include "web/http.h"
#include "unit.h"

/* Parse a copy of text; the result of http_head__parse, h filled. */
static int parse(struct http_head *h, char *buf, const char *text)
{
	strcpy(buf, text);
	return http_head__parse(h, buf, strlen(text));
}

void test_http__parses_a_head(void)
{
	static const char req[] = "GET /api/v1/history?seconds=5 HTTP/1.1\r\n"
				  "Host: localhost:9550\r\nauthorization:  Bearer abc \r\n"
				  "Content-Length: 0\r\n\r\nrest";
	struct http_head h;
	char buf[256];

	ASSERT_EQ(parse(&h, buf, req), (int)sizeof(req) - 1 - 4, "length through the empty line");
	ASSERT_STREQ(h.method, "GET", "method");
	ASSERT_STREQ(h.target, "/api/v1/history?seconds=5", "target");
	ASSERT_EQ(h.minor, 1, "version");
	ASSERT_STREQ(h.host, "localhost:9550", "host");
	ASSERT_STREQ(h.authorization, "Bearer abc", "authorization, trimmed");
	ASSERT_TRUE(!h.has_body, "Content-Length: 0 is no body");
	ASSERT_EQ(parse(&h, buf, "GET / HTTP/1.0\n\n"), 16, "bare LF lines");
	ASSERT_TRUE(h.host == NULL && h.minor == 0, "HTTP/1.0 without Host");
}

void test_http__incomplete_needs_more(void)
{
	struct http_head h;
	char buf[256];

	ASSERT_EQ(parse(&h, buf, "GET /metrics HTTP/1.1\r\nHost: a\r\n"), 0, "no empty line yet");
	ASSERT_EQ(parse(&h, buf, "GET /met"), 0, "half a request line");
	ASSERT_EQ(parse(&h, buf, ""), 0, "nothing");
}

void test_http__refuses_bad_heads(void)
{
	static const char *const bad[] = {
	    "GET  / HTTP/1.1\r\n\r\n",		    "GET / HTTP/1.1 x\r\n\r\n",
	    "GET noslash HTTP/1.1\r\n\r\n",	    "G(T / HTTP/1.1\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
	    "GET / HTTP/1.1\r\nNo colon\r\n\r\n", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n",
	    "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "\r\nGET / HTTP/1.1\r\n\r\n",
	    "GET / FTP/1.1\r\n\r\n", "GET / HTTP/1.10\r\n\r\n", "GET / HTTP/1.\r\n\r\n",
	    "GET / HTTP/2\r\n\r\n", "GET / http/1.1\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost: u@localhost\r\n\r\n", "GET / HTTP/1.1\r\nHost:\r\n\r\n",
	    "GET / HTTP/1.1\r\nHost : a\r\n\r\n", "GET / HTTP/1.1\r\n: a\r\n\r\n",
	};
	struct http_head h;
	char buf[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ASSERT_EQ(parse(&h, buf, bad[i]), -EINVAL, bad[i]);
	ASSERT_EQ(parse(&h, buf, "GET / HTTP/2.0\r\n\r\n"), -EPROTONOSUPPORT, "HTTP/2.0");
	ASSERT_EQ(parse(&h, buf, "GET / HTTP/0.9\r\n\r\n"), -EPROTONOSUPPORT, "HTTP/0.9");
	ASSERT_EQ(parse(&h, buf, "GET / HTTP/1.1\r\nHost: [::1]:9550\r\n\r\n"), 36, "v6 host");
	ASSERT_EQ(parse(&h, buf, "GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n"), 37, "body");
	ASSERT_TRUE(h.has_body, "a body is announced");
	ASSERT_EQ(parse(&h, buf, "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 46, "te");
	ASSERT_TRUE(h.has_body, "chunked is a body");
}
