// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `tracerhub TRACER ...`: one tracer, to the text or JSON sink; and the run
 * every tracing command shares.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/session.h"
#include "core/sink.h"
#include "core/tracer.h"
#include "sinks/json.h"
#include "sinks/pcapng.h"
#include "sinks/text.h"

#define TEXT_TOP_DEFAULT 20

int cmd__trace(struct tracer_run *runs, size_t n, const struct args *a, bool skip_unavailable,
	       bool summary, const struct sink *custom)
{
	struct text_sink text = { .f = stdout, .top = a->top ? a->top : TEXT_TOP_DEFAULT,
				  .sort = a->sort, .width = cmd__terminal_width(), .hists = true,
				  .hist_unit_ns = a->hist_unit_ns, .summary = summary };
	struct json_sink json = { .f = stdout, .top = a->top, .sort = a->sort,
				  .summary = summary };
	struct sink sink = a->json ? (struct sink){ .emit = json__emit, .event = json__event,
						    .ctx = &json, .input_fd = -1 } :
				     (struct sink){ .emit = text__emit, .event = text__event,
						    .ctx = &text, .input_fd = -1 };
	struct session_opts o = args__session_opts(a, custom ? custom : &sink, skip_unavailable);
	struct pcapng *cap;
	struct sink cap_sink;
	char hint[64];
	int code;

	snprintf(hint, sizeof(hint), "try: sudo tracerhub %s", runs[0].tracer->name);
	if (!cmd__root(hint))
		return CMD_USAGE;
	if (args__open_capture(a, &o, &cap, &cap_sink))
		return CMD_FAIL;
	if (a->capture && !strcmp(a->capture, "-"))
		text.f = json.f = stderr; /* stdout carries the capture */
	code = session__run(runs, n, &o) ? CMD_FAIL : CMD_OK;
	pcapng__close(cap);
	return code;
}

int cmd__tracer(const struct tracer *t, int argc, char **argv)
{
	struct tracer_run r = { .tracer = t };
	struct args a;
	int code;

	r.state = calloc(1, t->state_size);
	if (!r.state) {
		log__error("out of memory");
		return CMD_FAIL;
	}
	if (args__parse(&a, argc, argv, t, r.state)) {
		free(r.state);
		return CMD_USAGE;
	}
	log__setup(a.json, a.verbose);
	code = a.help ? CMD_OK : cmd__trace(&r, 1, &a, false, a.summary, NULL);
	free(r.state);
	return code;
}
