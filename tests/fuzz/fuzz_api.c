// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the API's request parsing: the input is
 * "PATH[?QUERY]\nAUTHORIZATION" and goes to api__handle (routing, query
 * parsing and %-decoding, rendering) and api__token_ok, against a context
 * holding two snapshots with rows, histograms, tables and events.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "query/api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct api_ctx *ctx(void)
{
	static const char *const cols[] = {"count", "errors"};
	static const char *const units[] = {"calls", "calls"};
	static struct api_ctx c;
	static int ready;
	struct snapshot s = {0};

	if (ready)
		return &c;
	api__init(&c, 4, 2, 1000);
	for (__u64 i = 1; i <= 2; i++) {
		struct snap_table *t;
		struct snap_hist *h;

		s.ts_ns = i * 1000000000ULL;
		s.interval_ns = 1000000000ULL;
		snapshot__declare_metric(&s, METRIC_SYSCALLS);
		snapshot__declare_metric(&s, METRIC_CPU_NS);
		snapshot__add_row(&s, 10, "a\"b\\")->values[METRIC_SYSCALLS] = i;
		snapshot__add_row(&s, 11, "\xff\xfe")->values[METRIC_CPU_NS] = i * 7;
		h = snapshot__add_hist(&s, "syscalls", "syscall_latency", "syscall=read", "ns");
		hist__add(&h->h, 123);
		t = snapshot__add_table(&s, "syscalls", "syscalls", "syscall", 2, cols, units);
		snap_table__add_row(t, "read")->v[0] = i;
		snap_event__str(snapshot__add_event(&s, "exec", s.ts_ns, 10, "sh"), "file",
				"/bin/x");
		snapshot__add_health(&s, "syscalls")->events = i;
		snapshot__finish(&s);
		api__publish(&c, &s);
		snapshot__reset(&s);
	}
	snapshot__free(&s);
	ready = 1;
	return &c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_ctx *c = ctx();
	struct api_reply r;
	char *buf = malloc(size + 1), *query, *auth;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	auth = strchr(buf, '\n');
	if (auth)
		*auth++ = '\0';
	query = strchr(buf, '?');
	if (query)
		*query++ = '\0';
	if (!api__handle(c, buf, query, &r)) {
		if (r.stream && !api__stream_next(c, &r))
			api_reply__free(&r);
		api_reply__free(&r);
	}
	api__token_ok("s3cret", auth);
	free(buf);
	return 0;
}
