// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `tracerhub top --replay FILE.db`: the live view over a recording, interval by interval. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/sink.h"
#include "model/metric.h"
#include "sinks/json.h"
#include "sinks/text.h"
#include "store/reader.h"
#include "store/replay.h"
#include "store/timearg.h"
#include "tui/tui.h"

enum {
	OPT_REPLAY = 256,
	OPT_FROM,
	OPT_TO,
	OPT_SPEED,
	OPT_TOP,
	OPT_SORT,
};

bool cmd__replay_requested(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--replay") || !strncmp(argv[i], "--replay=", 9))
			return true;
	return false;
}

static void replay_usage(FILE *f)
{
	fprintf(f, "Usage: tracerhub top --replay FILE.db [options]\n\n"
		   "The live view over a recording, interval by interval.\n\n"
		   "Options:\n"
		   "      --from T       start at the interval ending at T (as in `report -h`)\n"
		   "      --to T         stop after the interval ending at T\n"
		   "      --speed X      X times the recorded pace (default 1; 0: no waiting)\n"
		   "  -j, --json         JSON lines, as `tracerhub top -j`\n"
		   "      --top N        processes shown (text default 20)\n"
		   "      --sort FIELD   sort processes by FIELD (a metric)\n"
		   "  -h, --help         this help\n\n"
		   "On a terminal the dashboard shows REPLAY, the file and the interval's time;\n"
		   "Left/Right step one interval, PgUp/PgDn one minute, Home/End go to the\n"
		   "first / last, p pauses, + - change the speed; it stays on the last interval\n"
		   "until q.\n\n"
		   "Examples:\n"
		   "  tracerhub top --replay incident.db --from +60 --speed 10\n"
		   "  tracerhub top --replay incident.db --speed 0 -j | jq .totals\n"
		   "\n" CMD_EXIT_HELP);
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each command declares its own
 * getopt_long options (bpftool's command shape).
 */
int cmd__replay(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"replay", required_argument, NULL, OPT_REPLAY},
	    {"from", required_argument, NULL, OPT_FROM},
	    {"to", required_argument, NULL, OPT_TO},
	    {"speed", required_argument, NULL, OPT_SPEED},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"sort", required_argument, NULL, OPT_SORT},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct replay_opts o = {.to_ns = ~0ULL, .speed = 1};
	struct replay_ctl ctl = {0};
	struct text_sink text = {
	    .f = stdout, .top = 20, .sort = -1, .width = cmd__terminal_width(), .hists = true};
	struct json_sink js = {.f = stdout, .sort = -1};
	const char *path = NULL, *from = NULL, *to = NULL;
	struct reader *r = NULL;
	struct reader_span all;
	struct tui *tui = NULL;
	struct sink sink;
	const char *why;
	bool json = false;
	int c, code = CMD_USAGE, err;
	unsigned long v;
	char *end;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_REPLAY:
			path = optarg;
			break;
		case OPT_FROM:
			from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_SPEED:
			o.speed = strtod(optarg, &end);
			if (*end || end == optarg || !(o.speed >= 0 && o.speed <= 1e6)) {
				log__error("invalid --speed '%s': a factor from 0 (no waiting)",
					   optarg);
				return CMD_USAGE;
			}
			break;
		case OPT_TOP:
			if (cmd__uint(optarg, 1, 1000000, &v)) {
				log__error("invalid --top '%s': expected a number from 1", optarg);
				return CMD_USAGE;
			}
			text.top = js.top = (unsigned int)v;
			break;
		case OPT_SORT:
			text.sort = js.sort = metric__by_name(optarg);
			if (text.sort < 0) {
				log__error("unknown --sort field '%s': see `tracerhub top -h`",
					   optarg);
				return CMD_USAGE;
			}
			break;
		default:
			code = cmd__common_opt(c, argv, &json, replay_usage);
			if (code >= 0)
				return code;
		}
	}
	log__setup(json, false);
	if (optind < argc) {
		log__error("unexpected argument '%s': a replay takes no tracers or interval "
			   "(see -h)",
			   argv[optind]);
		return CMD_USAGE;
	}
	code = CMD_FAIL; /* the arguments are good: what fails now is a runtime failure */
	if (reader__open(path, &r) || reader__span(r, 0, ~0ULL, &all))
		goto out;
	if ((from && timearg__parse(from, all.start_ns, &o.from_ns)) ||
	    (to && timearg__parse(to, all.start_ns, &o.to_ns))) {
		log__error("invalid --from or --to: +SECONDS, epoch seconds, 2026-11-23T10:00:00 "
			   "or 10:00:00");
		code = CMD_USAGE;
		goto out;
	}
	sink = json ? (struct sink){.emit = json__emit, .ctx = &js, .input_fd = -1}
		    : (struct sink){.emit = text__emit, .ctx = &text, .input_fd = -1};
	if (!json && !tui__usable(&why)) {
		tui = tui__new(1000, text.sort);
		if (!tui) {
			log__error("cannot start the terminal dashboard: %s", strerror(errno));
			goto out;
		}
		tui__sink(tui, &sink);
		ctl.speed = o.speed > 0 ? o.speed : 1;
		o.ctl = &ctl;
		tui__set_replay(tui, path, &ctl);
	}
	err = replay__run(r, &o, &sink);
	code = err ? CMD_FAIL : CMD_OK;
out:
	tui__free(tui);
	reader__close(r);
	return code;
}
