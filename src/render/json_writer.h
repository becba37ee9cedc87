/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The only JSON writer: compact output, commas handled for the caller, every
 * control character escaped, valid UTF-8 passed through and each byte of
 * invalid UTF-8 written as a lone surrogate \udcXX (PEP 383 surrogateescape:
 * Python's json + encode("utf-8", "surrogateescape") gives the bytes back).
 * Integers beyond 2^53 - 1, which JavaScript and jq would round, are written
 * as decimal strings.
 */
#ifndef TRACERHUB_RENDER_JSON_WRITER_H
#define TRACERHUB_RENDER_JSON_WRITER_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>

#define JSON_MAX_DEPTH 32
#define JSON_MAX_SAFE_INT ((1ULL << 53) - 1)

struct json_writer {
	FILE *f;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
};

void json__init(struct json_writer *w, FILE *f);
void json__begin_object(struct json_writer *w);
void json__end_object(struct json_writer *w);
void json__begin_array(struct json_writer *w);
void json__end_array(struct json_writer *w);
/* Object key; the next value call writes its value. */
void json__key(struct json_writer *w, const char *key);
void json__string(struct json_writer *w, const char *s);
/* A string of at most len bytes (stops early at NUL). */
void json__string_n(struct json_writer *w, const char *s, size_t len);
/* An integer: a number up to JSON_MAX_SAFE_INT, a decimal string beyond. */
void json__u64(struct json_writer *w, __u64 v);
/* A kernel address as a "0xffff..." string. */
void json__addr(struct json_writer *w, __u64 v);
/* A CLOCK_REALTIME time as an RFC 3339 string with nanoseconds, in UTC. */
void json__time(struct json_writer *w, __u64 realtime_ns);
/* A finite double with up to 3 decimals; NaN and infinities become null. */
void json__double(struct json_writer *w, double v);
void json__bool(struct json_writer *w, bool v);
void json__null(struct json_writer *w);
/* Shorthands for key + value. */
void json__key_string(struct json_writer *w, const char *key, const char *s);
void json__key_u64(struct json_writer *w, const char *key, __u64 v);
/* key and v, or null when the figure is not known (not measured yet). */
void json__key_double_known(struct json_writer *w, const char *key, bool known, double v);
/* End a JSON line and flush. */
void json__newline(struct json_writer *w);
/* End a JSON line without flushing (the caller flushes after a batch of lines). */
void json__end_line(struct json_writer *w);

#endif
