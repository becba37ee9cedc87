// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "render/escape.h"
#include "render/format.h"
#include "unit.h"

void test_format__units(void)
{
	char b[32];

	ASSERT_STREQ(format__count(b, sizeof(b), 0), "0", "0");
	ASSERT_STREQ(format__count(b, sizeof(b), 999), "999", "999");
	ASSERT_STREQ(format__count(b, sizeof(b), 0.5), "0.5", "a fraction below 10 keeps it");
	ASSERT_STREQ(format__count(b, sizeof(b), 0.01), "<0.1", "something is never 0");
	ASSERT_STREQ(format__count(b, sizeof(b), 12.4), "12", "from 10 whole");
	ASSERT_STREQ(format__count(b, sizeof(b), 1234), "1.2K", "1.2K");
	ASSERT_STREQ(format__count(b, sizeof(b), 56789), "57K", "57K");
	ASSERT_STREQ(format__count(b, sizeof(b), 2500000), "2.5M", "2.5M");
	ASSERT_STREQ(format__bytes(b, sizeof(b), 1023), "1023B", "bytes");
	ASSERT_STREQ(format__bytes(b, sizeof(b), 1536), "1.5KiB", "KiB");
	ASSERT_STREQ(format__bytes(b, sizeof(b), 3.0 * 1024 * 1024), "3.0MiB", "MiB");
	ASSERT_STREQ(format__ns(b, sizeof(b), 850), "850ns", "ns");
	ASSERT_STREQ(format__ns(b, sizeof(b), 12345), "12.3us", "us");
	ASSERT_STREQ(format__ns(b, sizeof(b), 4560000), "4.56ms", "ms");
	ASSERT_STREQ(format__ns(b, sizeof(b), 1.5e9), "1.50s", "s");
}

void test_format__truncate(void)
{
	char b[32];

	format__truncate(b, 5, "abc");
	ASSERT_STREQ(b, "abc", "short kept");
	format__truncate(b, 5, "abcdefgh");
	ASSERT_STREQ(b, "abcd+", "long cut");
}

void test_format__escape_for_terminal(void)
{
	char b[64];

	ASSERT_STREQ(escape__term(b, sizeof(b), "/bin/true \x1b]0;T\x07 \xc3\xa9", 64),
		     "/bin/true \\e]0;T\\x07 \xc3\xa9", "ESC and BEL escaped, UTF-8 kept");
	ASSERT_STREQ(escape__term(b, sizeof(b), "a\tb\nc\x7f\xff\xc2\x9b", 64),
		     "a\\tb\\nc\\x7f\\xff\\u009b", "tab, newline, DEL, invalid byte, C1 CSI");
	ASSERT_STREQ(escape__term(b, 4, "ab\x1b" "cd", 64), "ab", "an escape is never split");
	ASSERT_STREQ(escape__term(b, sizeof(b), "abcdef", 3), "abc", "at most srclen bytes");
}

void test_format__times(void)
{
	char b[48];

	ASSERT_STREQ(format__rfc3339(b, sizeof(b), 1796152844102043305ULL),
		     "2026-12-01T19:20:44.102043305Z", "RFC 3339 with ns");
	ASSERT_EQ(strlen(format__clock(b, sizeof(b), 1796152844102043305ULL)), 12, "HH:MM:SS.mmm");
	ASSERT_STREQ(b + 8, ".102", "milliseconds");
}
