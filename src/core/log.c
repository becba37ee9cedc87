// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include "core/log.h"
#include "out/json_writer.h"

/* Process-wide output mode, set once by the command line (like bpftool's json_output). */
static bool log_json;
static bool log_verbose;
static log_hook_fn log_hook;
static void *log_hook_ctx;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (!log_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
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

void log__error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_hook)
		log_hook(log_hook_ctx, true, msg);
	else
		fprintf(stderr, "tracerhub: %s\n", msg);
	if (log_json) {
		struct json_writer w;

		json__init(&w, stdout);
		json__begin_object(&w);
		json__key_string(&w, "error", msg);
		json__end_object(&w);
		json__newline(&w);
	}
}

void log__info(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_hook)
		log_hook(log_hook_ctx, false, msg);
	else
		fprintf(stderr, "tracerhub: %s\n", msg);
}
