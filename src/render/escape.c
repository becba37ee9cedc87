// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "render/escape.h"

size_t escape__utf8_len(const unsigned char *s, size_t n)
{
	unsigned int cp;
	size_t len;

	if (!n)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/* The escape of the character of k bytes at s into out (room for 7), or "" to pass it. */
static const char *term_escape_of(const unsigned char *s, size_t k, char *out)
{
	out[0] = '\0';
	if (!k) {
		snprintf(out, 7, "\\x%02x", s[0]);
	} else if (k == 1 && (s[0] < 0x20 || s[0] == 0x7f)) {
		if (s[0] == 0x1b)
			return "\\e";
		if (s[0] == '\n')
			return "\\n";
		if (s[0] == '\r')
			return "\\r";
		if (s[0] == '\t')
			return "\\t";
		snprintf(out, 7, "\\x%02x", s[0]);
	} else if (k == 2 && s[0] == 0xc2 && s[1] < 0xa0) {
		snprintf(out, 7, "\\u%04x", s[1]); /* C1 control: U+0080..U+009F */
	}
	return out;
}

const char *escape__term(char *dst, size_t len, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = strnlen(src, srclen), o = 0;

	if (!len)
		return dst;
	for (size_t i = 0; i < n;) {
		size_t k = escape__utf8_len(s + i, n - i);
		char buf[8];
		const char *esc = term_escape_of(s + i, k, buf);
		size_t add = *esc ? strlen(esc) : k;

		if (o + add >= len)
			break;
		if (*esc)
			memcpy(dst + o, esc, add);
		else
			memcpy(dst + o, s + i, add);
		o += add;
		i += k ? k : 1;
	}
	dst[o] = '\0';
	return dst;
}
