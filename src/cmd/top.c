// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `tracerhub top [tracer...]`: every tracer this kernel supports, or the ones
 * named, on the terminal dashboard (text or JSON lines when it cannot be);
 * one tracer named takes its own options too (`top syscalls -e`).
 */
#include <errno.h>
#include <string.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/session.h"
#include "core/sink.h"
#include "tui/tui.h"

#define MAX_RUNS 32

int cmd__top(int argc, char **argv)
{
	struct tracer_run runs[MAX_RUNS];
	const char *why = "";
	struct tui *tui = NULL;
	struct sink tui_sink;
	size_t n = 0;
	struct args a;
	int code;

	if (cmd__replay_requested(argc, argv))
		return cmd__replay(argc, argv);
	code = cmd__parse_runs(&a, argc, argv, runs, MAX_RUNS, &n, NULL);
	if (code >= 0)
		goto out;
	log__setup(a.json, a.verbose);
	if (!a.json && !tui__usable(&why)) {
		tui = tui__new(a.interval_ms, a.sort);
		if (!tui) {
			log__error("cannot start the terminal dashboard: %s", strerror(errno));
			code = CMD_FAIL;
			goto out;
		}
		tui__sink(tui, &tui_sink);
	} else if (!a.json) {
		log__info("%s: text view instead of the dashboard", why);
	}
	code = cmd__trace(runs, n, &a, a.nnames == 0, true, tui ? &tui_sink : NULL);
out:
	tui__free(tui);
	args__free_runs(runs, n);
	return code;
}
