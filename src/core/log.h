/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The one place user-facing messages are printed (stderr; also stdout as JSON with -j). */
#ifndef TRACERHUB_CORE_LOG_H
#define TRACERHUB_CORE_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* Configure once from the command line: JSON errors on stdout, libbpf's log with verbose. */
void log__setup(bool json, bool verbose);
/* Print "tracerhub: <message>" as an error; messages say what to do. */
void log__error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print "tracerhub: <message>" as information (stderr, never stdout). */
void log__info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Send messages to fn instead of stderr (a full-screen view shows them itself); NULL
 * restores stderr. fn gets the message without the "tracerhub: " prefix.
 */
typedef void (*log_hook_fn)(void *ctx, bool error, const char *msg);
void log__set_hook(log_hook_fn fn, void *ctx);
/*
 * Keep what libbpf says (its verifier logs among it) in buf, the last len - 1
 * bytes, NUL-terminated, until called with buf NULL; with -v it is printed too.
 */
void log__capture_libbpf(char *buf, size_t len);
/* True when -v was given. */
bool log__verbose(void);

#endif
