// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "query/request.h"

#define JSON_DEPTH_MAX 16

/* A cursor over the line; why is set by the first error. */
struct cur {
	const char *p, *end;
	const char *why;
};

static bool fail(struct cur *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return false;
}

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

static bool eat(struct cur *c, char ch)
{
	skip_ws(c);
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Four hex digits of a \u escape. */
static bool hex4(struct cur *c, unsigned int *v)
{
	*v = 0;
	if (c->end - c->p < 4)
		return fail(c, "bad \\u escape in a JSON string");
	for (int i = 0; i < 4; i++) {
		int h = hexval(*c->p++);

		if (h < 0)
			return fail(c, "bad \\u escape in a JSON string");
		*v = *v << 4 | (unsigned int)h;
	}
	return true;
}

/* Append byte b to out (cap bytes with the NUL); out may be NULL to skip. */
static bool put(struct cur *c, char *out, size_t cap, size_t *n, char b)
{
	if (!out)
		return true;
	if (*n + 1 >= cap)
		return fail(c, "a JSON string is too long");
	out[(*n)++] = b;
	return true;
}

static bool put_utf8(struct cur *c, char *out, size_t cap, size_t *n, unsigned int cp)
{
	if (cp < 0x80)
		return put(c, out, cap, n, (char)cp);
	if (cp < 0x800)
		return put(c, out, cap, n, (char)(0xc0 | cp >> 6)) &&
		       put(c, out, cap, n, (char)(0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return put(c, out, cap, n, (char)(0xe0 | cp >> 12)) &&
		       put(c, out, cap, n, (char)(0x80 | ((cp >> 6) & 0x3f))) &&
		       put(c, out, cap, n, (char)(0x80 | (cp & 0x3f)));
	return put(c, out, cap, n, (char)(0xf0 | cp >> 18)) &&
	       put(c, out, cap, n, (char)(0x80 | ((cp >> 12) & 0x3f))) &&
	       put(c, out, cap, n, (char)(0x80 | ((cp >> 6) & 0x3f))) &&
	       put(c, out, cap, n, (char)(0x80 | (cp & 0x3f)));
}

/* A \uXXXX escape (the 'u' eaten), with surrogate pairs. */
static bool unicode_escape(struct cur *c, char *out, size_t cap, size_t *n)
{
	unsigned int cp, lo;

	if (!hex4(c, &cp))
		return false;
	if (cp >= 0xd800 && cp < 0xdc00) {
		if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
			return fail(c, "unpaired surrogate in a JSON string");
		c->p += 2;
		if (!hex4(c, &lo))
			return false;
		if (lo < 0xdc00 || lo >= 0xe000)
			return fail(c, "unpaired surrogate in a JSON string");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp < 0xe000) {
		return fail(c, "unpaired surrogate in a JSON string");
	}
	if (!cp)
		return fail(c, "NUL character in a JSON string");
	return put_utf8(c, out, cap, n, cp);
}

/* A JSON string into out (NUL-terminated), or skipped when out is NULL. */
static bool string(struct cur *c, char *out, size_t cap)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	size_t n = 0;

	if (!eat(c, '"'))
		return fail(c, "expected a JSON string");
	while (c->p < c->end && *c->p != '"') {
		char ch = *c->p++;
		const char *e;

		if ((unsigned char)ch < 0x20)
			return fail(c, "control character in a JSON string");
		if (ch != '\\') {
			if (!put(c, out, cap, &n, ch))
				return false;
			continue;
		}
		if (c->p >= c->end)
			break;
		ch = *c->p++;
		if (ch == 'u') {
			if (!unicode_escape(c, out, cap, &n))
				return false;
			continue;
		}
		e = ch ? strchr(esc_in, ch) : NULL;
		if (!e)
			return fail(c, "bad escape in a JSON string");
		if (!put(c, out, cap, &n, esc_out[e - esc_in]))
			return false;
	}
	if (c->p >= c->end)
		return fail(c, "unterminated JSON string");
	c->p++;
	if (out)
		out[n] = '\0';
	return true;
}

static bool skip_value(struct cur *c, int depth);

/* The members of an object or the elements of an array (opening bracket eaten). */
static bool skip_container(struct cur *c, char close, int depth)
{
	if (eat(c, close))
		return true;
	do {
		if (close == '}' && (!string(c, NULL, 0) || !eat(c, ':')))
			return fail(c, "expected \"key\": value in a JSON object");
		if (!skip_value(c, depth + 1))
			return false;
	} while (eat(c, ','));
	return eat(c, close) || fail(c, "expected ',' or a closing bracket");
}

static bool skip_value(struct cur *c, int depth)
{
	static const char *const words[] = {"true", "false", "null"};

	if (depth > JSON_DEPTH_MAX)
		return fail(c, "JSON nested too deeply");
	skip_ws(c);
	if (c->p >= c->end)
		return fail(c, "expected a JSON value");
	if (*c->p == '"')
		return string(c, NULL, 0);
	if (eat(c, '{'))
		return skip_container(c, '}', depth);
	if (eat(c, '['))
		return skip_container(c, ']', depth);
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(c->end - c->p) >= n && !memcmp(c->p, words[i], n)) {
			c->p += n;
			return true;
		}
	}
	if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9')) {
		const char *start = c->p;

		while (c->p < c->end && strchr("+-.0123456789eE", *c->p) && *c->p)
			c->p++;
		return c->p > start;
	}
	return fail(c, "expected a JSON value");
}

/* {"path": "...", "query": "..."}: path (with any ?query) into path, query into query. */
static bool json_request(struct cur *c, char *path, size_t plen, char *query, size_t qlen)
{
	char key[REQUEST_KEY_MAX];

	if (!eat(c, '{'))
		return fail(c, "expected a JSON object");
	if (!eat(c, '}')) {
		do {
			if (!string(c, key, sizeof(key)) || !eat(c, ':'))
				return fail(c, "expected \"key\": value in a JSON object");
			if (!strcmp(key, "path")) {
				if (!string(c, path, plen))
					return false;
			} else if (!strcmp(key, "query")) {
				if (!string(c, query, qlen))
					return false;
			} else if (!skip_value(c, 1)) {
				return false;
			}
		} while (eat(c, ','));
		if (!eat(c, '}'))
			return fail(c, "expected ',' or '}' in the JSON object");
	}
	skip_ws(c);
	return c->p == c->end || fail(c, "trailing characters after the JSON object");
}

int request__url_decode(char *dst, size_t cap, const char *src, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = src[i];

		if (ch == '%') {
			int hi = i + 2 < n ? hexval(src[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(src[i + 2]) : -1;

			if (hi < 0 || lo < 0)
				return -EINVAL;
			ch = (char)(hi << 4 | lo);
			i += 2;
			if (!ch)
				return -EILSEQ;
		} else if (ch == '+') {
			ch = ' ';
		}
		if (o + 1 >= cap)
			return -ENOSPC;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return 0;
}

/* request__url_decode, its failure said in c. */
static bool decode(struct cur *c, char *dst, size_t cap, const char *src, size_t n)
{
	switch (request__url_decode(dst, cap, src, n)) {
	case 0:
		return true;
	case -EILSEQ:
		return fail(c, "NUL byte in the query");
	case -ENOSPC:
		return fail(c, "a query parameter is too long");
	default:
		return fail(c, "bad %-escape in the query");
	}
}

static bool parse_query(struct cur *c, struct request *r)
{
	const char *q = r->query;

	while (*q) {
		size_t n = strcspn(q, "&");
		const char *eq = memchr(q, '=', n);
		size_t klen = eq ? (size_t)(eq - q) : n;

		if (n) {
			if (r->nparams == REQUEST_PARAMS)
				return fail(c, "too many query parameters (at most 16)");
			if (!decode(c, r->params[r->nparams].key, REQUEST_KEY_MAX, q, klen) ||
			    !decode(c, r->params[r->nparams].value, REQUEST_VALUE_MAX,
				    eq ? eq + 1 : q + n, eq ? n - klen - 1 : 0))
				return false;
			r->nparams++;
		}
		q += n + (q[n] == '&');
	}
	return true;
}

int request__parse(struct request *r, const char *line, size_t len, const char **why)
{
	char path[REQUEST_PATH_MAX + sizeof(r->query)], query[sizeof(r->query)] = "";
	struct cur c = {.p = line, .end = line + len};
	char *qmark;
	bool ok;

	memset(r, 0, sizeof(*r));
	path[0] = '\0';
	if (len > REQUEST_LINE_MAX) {
		fail(&c, "request too long (at most 65536 bytes)");
	} else if (memchr(line, '\0', len)) {
		fail(&c, "NUL byte in the request");
	} else {
		skip_ws(&c);
		if (c.p < c.end && *c.p == '{') {
			json_request(&c, path, sizeof(path), query, sizeof(query));
		} else {
			if (c.end - c.p >= 4 && !memcmp(c.p, "GET ", 4))
				c.p += 4;
			while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\r'))
				c.end--;
			if ((size_t)(c.end - c.p) >= sizeof(path))
				fail(&c, "path too long");
			else
				snprintf(path, sizeof(path), "%.*s", (int)(c.end - c.p), c.p);
		}
	}
	ok = !c.why;
	if (ok && path[0] != '/')
		ok = fail(&c, "expected a path starting with '/' or a JSON object with \"path\"");
	qmark = strchr(path, '?');
	if (ok && qmark) {
		*qmark = '\0';
		size_t a = strlen(qmark + 1), b = strlen(query), n = a;

		if (a + b + 2 > sizeof(r->query)) {
			ok = fail(&c, "query too long");
		} else {
			memcpy(r->query, qmark + 1, a);
			if (a && b)
				r->query[n++] = '&';
			memcpy(r->query + n, query, b + 1);
		}
	} else if (ok) {
		snprintf(r->query, sizeof(r->query), "%s", query);
	}
	if (ok && strlen(path) >= sizeof(r->path))
		ok = fail(&c, "path too long");
	for (const char *p = path; ok && *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			ok = fail(&c, "the path must be printable ASCII without spaces");
	if (ok) {
		snprintf(r->path, sizeof(r->path), "%s", path);
		ok = parse_query(&c, r);
	}
	if (!ok)
		*why = c.why;
	return ok ? 0 : -EINVAL;
}

const char *request__param(const struct request *r, const char *key)
{
	for (unsigned int i = 0; i < r->nparams; i++)
		if (!strcmp(r->params[i].key, key))
			return r->params[i].value;
	return NULL;
}
