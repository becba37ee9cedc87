// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "model/snapshot.h"
#include "render/json_writer.h"
#include "render/snapshot_json.h"
#include "unit.h"

/* Run fn on a writer to a memory stream; returns the text (free it). */
static char *render(void (*fn)(struct json_writer *w))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_writer w;

	json__init(&w, f);
	fn(&w);
	fclose(f);
	return buf;
}

/* Whether fn renders exactly want; what it rendered instead goes to stderr. */
static bool renders(void (*fn)(struct json_writer *w), const char *want)
{
	char *out = render(fn);
	bool ok = out && !strcmp(out, want);

	if (!ok)
		fprintf(stderr, "    rendered \"%s\", expected \"%s\"\n", out ? out : "", want);
	free(out);
	return ok;
}

static void escapes(struct json_writer *w)
{
	json__begin_object(w);
	json__key_string(w, "s", "a\"b\\c\n\t\x01\x1f\x7f\xc3\xa9/");
	json__end_object(w);
}

void test_json__escapes_every_control_char(void)
{
	ASSERT_TRUE(renders(escapes, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\\u007f\xc3\xa9/\"}"),
		    "controls escaped, UTF-8 kept");
}

static void nesting(struct json_writer *w)
{
	json__begin_object(w);
	json__key_u64(w, "a", 1);
	json__key(w, "b");
	json__begin_array(w);
	json__u64(w, 2);
	json__begin_object(w);
	json__end_object(w);
	json__string_n(w, "abcdef", 3);
	json__double(w, 1.0 / 0.0);
	json__end_array(w);
	json__key(w, "c");
	json__bool(w, true);
	json__end_object(w);
}

void test_json__commas_and_nesting(void)
{
	ASSERT_TRUE(renders(nesting, "{\"a\":1,\"b\":[2,{},\"abc\",null],\"c\":true}"), "nested");
}

static void invalid_utf8(struct json_writer *w)
{
	/* a stray continuation, a cut sequence, an overlong '/', a surrogate, then "€" */
	json__string(w, "\x80x\xe2\x82\xc0\xaf\xed\xa0\x80\xe2\x82\xac");
}

/*
 * Each byte of invalid UTF-8 becomes \udcXX (PEP 383): the original bytes come
 * back with Python's json.loads(...).encode("utf-8", "surrogateescape").
 */
void test_json__invalid_utf8_escaped_reversibly(void)
{
	ASSERT_TRUE(renders(invalid_utf8, "\"\\udc80x\\udce2\\udc82\\udcc0\\udcaf"
					  "\\udced\\udca0\\udc80\xe2\x82\xac\""),
		    "surrogateescape");
}

static void big_numbers(struct json_writer *w)
{
	json__begin_array(w);
	json__u64(w, (1ULL << 53) - 1);
	json__u64(w, 1ULL << 53);
	json__u64(w, 18446612686481384896ULL);
	json__addr(w, 18446612686481384896ULL);
	json__time(w, 1796152844102043305ULL);
	json__end_array(w);
}

void test_json__wide_values_as_strings(void)
{
	ASSERT_TRUE(renders(big_numbers, "[9007199254740991,\"9007199254740992\","
					 "\"18446612686481384896\",\"0xffff888106efe5c0\","
					 "\"2026-12-01T19:20:44.102043305Z\"]"),
		    "53-bit integers as numbers, wider ones, addresses and times as strings");
}

/* The interval's JSON of s. */
static char *interval_json(const struct snapshot *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_writer w;

	json__init(&w, f);
	json__write_snapshot(&w, s, 0, -1);
	fclose(f);
	return buf;
}

void test_json__self_cpu_of_a_live_interval_only(void)
{
	struct snapshot s = { .ts_ns = 1, .interval_ns = 1000000000 };
	char *out;

	out = interval_json(&s);
	ASSERT_TRUE(!strstr(out, "self_cpu_ns"), "not measured (a recording): no key");
	free(out);
	s.self_cpu_ns = 12345678;
	s.self_cpu_known = true;
	out = interval_json(&s);
	ASSERT_TRUE(strstr(out, "\"interval_ns\":1000000000,\"self_cpu_ns\":12345678,") != NULL,
		    "measured: next to interval_ns");
	free(out);
	snapshot__free(&s);
}
