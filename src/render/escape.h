/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Strings from the kernel or the user (comm, argv, paths, shell lines) made
 * safe for a terminal, and the UTF-8 check every sink shares.
 */
#ifndef TRACERHUB_RENDER_ESCAPE_H
#define TRACERHUB_RENDER_ESCAPE_H

#include <stddef.h>

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes): 1 for ASCII,
 * 2..4 for a well-formed multi-byte character, 0 for an invalid byte (stray
 * continuation, overlong form, surrogate, past U+10FFFF, cut short).
 */
size_t escape__utf8_len(const unsigned char *s, size_t n);
/*
 * Copy src (up to its NUL or srclen bytes) into dst (len bytes, NUL-ended)
 * with every byte a terminal could act on shown escaped: ESC as "\e", the
 * usual "\n", "\r", "\t", other C0 controls, DEL and bytes of invalid UTF-8
 * as "\xNN", C1 controls (U+0080..U+009F) as "\u0080".."\u009f". Valid
 * printable UTF-8 passes through. A result that does not fit is cut at a
 * character boundary. Returns dst.
 */
const char *escape__term(char *dst, size_t len, const char *src, size_t srclen);

#endif
