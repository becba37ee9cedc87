// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/log.h"
#include "render/json_writer.h"

/* Process-wide output mode, set once by the command line (like bpftool's json_output). */
static bool log_json;
static bool log_verbose;
static log_hook_fn log_hook;
static void *log_hook_ctx;

static char *capture_buf; /* log__capture_libbpf's buffer, NULL when not capturing */
static size_t capture_len, capture_used;

/* Append msg to the capture buffer, dropping its oldest bytes when full. */
static void capture(const char *msg)
{
	size_t n = strlen(msg), room = capture_len - 1;

	if (n >= room) {
		msg += n - room;
		n = room;
	}
	if (capture_used + n > room) {
		size_t drop = capture_used + n - room;

		memmove(capture_buf, capture_buf + drop, capture_used - drop);
		capture_used -= drop;
	}
	memcpy(capture_buf + capture_used, msg, n);
	capture_used += n;
	capture_buf[capture_used] = '\0';
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char *msg;
	int n;

	if (!capture_buf)
		return log_verbose ? vfprintf(stderr, fmt, ap) : 0;
	n = vasprintf(&msg, fmt, ap);
	if (n < 0)
		return n;
	capture(msg);
	if (log_verbose)
		fputs(msg, stderr);
	free(msg);
	return n;
}

void log__capture_libbpf(char *buf, size_t len)
{
	capture_buf = len ? buf : NULL;
	capture_len = len;
	capture_used = 0;
	if (capture_buf)
		capture_buf[0] = '\0';
}

void log__setup(bool json, bool verbose)
{
	log_json = json;
	log_verbose = verbose;
	libbpf_set_print(libbpf_print);
}

void log__set_hook(log_hook_fn fn, void *ctx)
{
	log_hook = fn;
	log_hook_ctx = ctx;
}

bool log__verbose(void)
{
	return log_verbose;
}

/* Format fmt with ap into msg (len bytes) and hand it to the hook, else to stderr. */
static __attribute__((format(printf, 4, 0))) void log_line(bool error, char *msg, size_t len,
							   const char *fmt, va_list ap)
{
	vsnprintf(msg, len, fmt, ap);
	if (log_hook)
		log_hook(log_hook_ctx, error, msg);
	else
		fprintf(stderr, "tracerhub: %s\n", msg);
}

/* Alike to log__info by design: each variadic wrapper needs its own va_list. */
void log__error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	log_line(true, msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_json) {
		struct json_writer w;

		json__init(&w, stdout);
		json__begin_object(&w);
		json__key_string(&w, "error", msg);
		json__end_object(&w);
		json__newline(&w);
	}
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each variadic wrapper of log_line
 * needs its own va_list.
 */
void log__info(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	log_line(false, msg, sizeof(msg), fmt, ap);
	va_end(ap);
}
