// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include "out/json_writer.h"
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

static void escapes(struct json_writer *w)
{
	json__begin_object(w);
	json__key_string(w, "s", "a\"b\\c\n\t\x01\x1f\x7f\xc3\xa9/");
	json__end_object(w);
}

void test_json__escapes_every_control_char(void)
{
	char *out = render(escapes);

	ASSERT_STREQ(out, "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\\u007f\\u00c3\\u00a9/\"}",
		     "escaped");
	free(out);
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
	char *out = render(nesting);

	ASSERT_STREQ(out, "{\"a\":1,\"b\":[2,{},\"abc\",null],\"c\":true}", "nested");
	free(out);
}
