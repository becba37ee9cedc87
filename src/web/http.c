// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include "web/http.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9110 tchar: what a method or a header name is made of. */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The length of the head (through its empty line) in buf[0..len), or 0 while incomplete. */
static size_t head_len(const char *buf, size_t len)
{
	size_t pos = 0;

	for (;;) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l;

		if (!nl)
			return 0;
		l = (size_t)(nl - buf) - pos;
		pos = (size_t)(nl - buf) + 1;
		if (pos > 1 && (l == 0 || (l == 1 && buf[pos - 2] == '\r')))
			return pos;
	}
}

/* Cut the line at *p (ending in LF or CRLF) and step *p past it; the line, or NULL if bad. */
static char *next_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');

	*nl = '\0';
	*p = nl + 1;
	if (nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	return strchr(line, '\r') ? NULL : line;
}

/* Cut line at its first sep; the rest after it, or NULL unless what is before is a token. */
static char *cut_token(char *line, char sep)
{
	char *at = strchr(line, sep);

	if (!at || at == line)
		return NULL;
	*at = '\0';
	for (const char *c = line; *c; c++)
		if (!is_tchar((unsigned char)*c))
			return NULL;
	return at + 1;
}

static int parse_request_line(struct http_head *h, char *line)
{
	char *rest = cut_token(line, ' '), *sp2, *v;

	if (!rest)
		return -EINVAL;
	h->method = line;
	h->target = rest;
	sp2 = strchr(h->target, ' ');
	if (!sp2 || h->target[0] != '/')
		return -EINVAL;
	*sp2 = '\0';
	for (const char *t = h->target; *t; t++)
		if ((unsigned char)*t <= 0x20 || (unsigned char)*t >= 0x7f)
			return -EINVAL;
	v = sp2 + 1;
	/* "HTTP/" DIGIT "." DIGIT: anything else is malformed (400), not another version */
	if (strncmp(v, "HTTP/", 5) || !is_digit(v[5]) || v[6] != '.' || !is_digit(v[7]) || v[8])
		return -EINVAL;
	if (v[5] != '1')
		return -EPROTONOSUPPORT;
	h->minor = v[7] - '0';
	return 0;
}

/* RFC 3986 host[:port]: reg-name or IP-literal characters; no space, '/', '@' or '\\'. */
static bool is_host(const char *v)
{
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && !strchr("-._~%!$&'()*+,;=:[]", *v))
			return false;
	return true;
}

/* One "Name: value" line; 0 or -EINVAL. */
static int parse_header(struct http_head *h, char *line)
{
	char *v = cut_token(line, ':'), *end;

	if (!v)
		return -EINVAL;
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	for (const char *c = v; *c; c++)
		if (((unsigned char)*c < 0x20 && *c != '\t') || (unsigned char)*c == 0x7f)
			return -EINVAL;
	if (!strcasecmp(line, "Host")) {
		if (h->host || !*v || !is_host(v))
			return -EINVAL;
		h->host = v;
	} else if (!strcasecmp(line, "Authorization")) {
		if (h->authorization)
			return -EINVAL;
		h->authorization = v;
	} else if (!strcasecmp(line, "Content-Length")) {
		if (!*v || strspn(v, "0123456789") != strlen(v))
			return -EINVAL;
		if (strspn(v, "0") != strlen(v))
			h->has_body = true;
	} else if (!strcasecmp(line, "Transfer-Encoding")) {
		h->has_body = true;
	}
	return 0;
}

int http_head__parse(struct http_head *h, char *buf, size_t len)
{
	size_t n = head_len(buf, len);
	char *p = buf, *line;
	int err;

	memset(h, 0, sizeof(*h));
	if (!n)
		return 0;
	if (memchr(buf, '\0', n))
		return -EINVAL;
	/* buf[0..n) ends with the empty line's LF; every line before it ends with LF too */
	line = next_line(&p);
	if (!line)
		return -EINVAL;
	err = parse_request_line(h, line);
	while (!err && p < buf + n) {
		if (*p == ' ' || *p == '\t')
			return -EINVAL; /* obsolete line folding */
		line = next_line(&p);
		if (!line)
			return -EINVAL;
		if (!*line)
			break;
		err = parse_header(h, line);
	}
	return err ? err : (int)n;
}
