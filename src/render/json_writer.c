// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <string.h>
#include "render/escape.h"
#include "render/format.h"
#include "render/json_writer.h"

void json__init(struct json_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

/* Separator before a value or key at the current depth. */
static void before_value(struct json_writer *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->f);
	w->need_comma[w->depth] = true;
}

static void open_scope(struct json_writer *w, char c)
{
	before_value(w);
	fputc(c, w->f);
	if (w->depth < JSON_MAX_DEPTH - 1)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_scope(struct json_writer *w, char c)
{
	if (w->depth > 0)
		w->depth--;
	fputc(c, w->f);
}

void json__begin_object(struct json_writer *w)
{
	open_scope(w, '{');
}

void json__end_object(struct json_writer *w)
{
	close_scope(w, '}');
}

void json__begin_array(struct json_writer *w)
{
	open_scope(w, '[');
}

void json__end_array(struct json_writer *w)
{
	close_scope(w, ']');
}

/*
 * A JSON string: valid UTF-8 passes through, control characters are escaped,
 * and each byte of invalid UTF-8 becomes a lone low surrogate \udcXX (the
 * "surrogateescape" of PEP 383), so the original bytes can be restored.
 */
static void put_escaped(FILE *f, const char *s, size_t len)
{
	/* the two-character escapes of RFC 8259; other control characters as \u00XX */
	static const char *const short_escapes['\\' + 1] = {
		['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r",
		['\t'] = "\\t", ['\b'] = "\\b", ['\f'] = "\\f",
	};
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strnlen(s, len);

	fputc('"', f);
	for (size_t i = 0; i < n;) {
		size_t k = escape__utf8_len(u + i, n - i);
		unsigned char c = u[i];

		if (!k) {
			fprintf(f, "\\u%04x", 0xdc00 | c);
			i++;
			continue;
		}
		i += k;
		if (k > 1) {
			fwrite(u + i - k, 1, k, f);
			continue;
		}
		if (c < sizeof(short_escapes) / sizeof(short_escapes[0]) && short_escapes[c])
			fputs(short_escapes[c], f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void json__key(struct json_writer *w, const char *key)
{
	before_value(w);
	put_escaped(w->f, key, strlen(key));
	fputc(':', w->f);
	w->after_key = true;
}

void json__string(struct json_writer *w, const char *s)
{
	json__string_n(w, s, s ? strlen(s) : 0);
}

void json__string_n(struct json_writer *w, const char *s, size_t len)
{
	before_value(w);
	put_escaped(w->f, s ? s : "", s ? len : 0);
}

void json__u64(struct json_writer *w, __u64 v)
{
	before_value(w);
	fprintf(w->f, v > JSON_MAX_SAFE_INT ? "\"%llu\"" : "%llu", (unsigned long long)v);
}

void json__addr(struct json_writer *w, __u64 v)
{
	before_value(w);
	fprintf(w->f, "\"0x%llx\"", (unsigned long long)v);
}

void json__time(struct json_writer *w, __u64 realtime_ns)
{
	char buf[48];

	json__string(w, format__rfc3339(buf, sizeof(buf), realtime_ns));
}

void json__double(struct json_writer *w, double v)
{
	before_value(w);
	if (!isfinite(v))
		fputs("null", w->f);
	else
		fprintf(w->f, "%.3f", v);
}

void json__bool(struct json_writer *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->f);
}

void json__null(struct json_writer *w)
{
	before_value(w);
	fputs("null", w->f);
}

void json__key_string(struct json_writer *w, const char *key, const char *s)
{
	json__key(w, key);
	json__string(w, s);
}

void json__key_u64(struct json_writer *w, const char *key, __u64 v)
{
	json__key(w, key);
	json__u64(w, v);
}

void json__key_double_known(struct json_writer *w, const char *key, bool known, double v)
{
	json__key(w, key);
	if (known)
		json__double(w, v);
	else
		json__null(w);
}

void json__newline(struct json_writer *w)
{
	json__end_line(w);
	fflush(w->f);
}

void json__end_line(struct json_writer *w)
{
	fputc('\n', w->f);
	w->depth = 0;
	w->need_comma[0] = false;
	w->after_key = false;
}
