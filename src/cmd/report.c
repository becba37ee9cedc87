// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `tracerhub report`: summarize or search a recording, or a fleet's in ClickHouse. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"
#include "core/log.h"
#include "render/json_writer.h"
#include "store/clickhouse.h"
#include "store/fleet_report.h"
#include "store/reader.h"
#include "store/report.h"
#include "store/search.h"
#include "store/timearg.h"

enum {
	OPT_FROM = 256,
	OPT_TO,
	OPT_TOP,
	OPT_EVENTS,
	OPT_SEARCH,
	OPT_LIMIT,
	OPT_HOST,
	OPT_CH_AUTH,
	OPT_CH_CA
};

static void report_usage(FILE *f)
{
	fprintf(f, "Usage: tracerhub report FILE.db [options]\n"
		   "       tracerhub report FILE.db --search KIND:PREFIX [--limit N]\n"
		   "       tracerhub report --from clickhouse://HOST:PORT/DB [--host NAME]... [-j]\n"
		   "       tracerhub report --from clickhouse://HOST:PORT/DB --search KIND:PREFIX\n\n"
		   "Summarize a recording: top processes per metric, histograms and tables merged\n"
		   "over the range, the slowest events, drops. Or search it by prefix (JSON).\n\n"
		   "Options:\n"
		   "      --from T       from the interval ending at T (see below)\n"
		   "      --to T         up to the interval ending at T\n"
		   "  -p, --pid PID      only this process' rows and events\n"
		   "  -c, --comm COMM    only processes named COMM\n"
		   "      --top N        processes shown per metric (default 5)\n"
		   "      --events N     slowest events shown (default 10)\n"
		   "      --search K:P   prefix P of comm, addr (hex) or endpoint (ip:port)\n"
		   "      --limit N      search matches (default 20, at most 1000)\n"
		   "  -j, --json         one JSON object\n"
		   "  -h, --help         this help\n"
		   "With --from clickhouse://HOST:PORT/DB (docs/fleet.md): every host's counts and\n"
		   "their sum, or a search across hosts.\n"
		   "      --host NAME    only this host (again for more)\n"
		   "      --ch-auth FILE USER:PASSWORD (else TRACERHUB_CLICKHOUSE_USER/_PASSWORD)\n"
		   "      --ch-ca FILE   CA certificates (PEM) for clickhouses:// (default: the\n"
		   "                     system's)\n\n"
		   "T is +SECONDS from the recording's start (+90, +15m), epoch seconds,\n"
		   "2026-11-23T10:00:00 or 10:00:00 (local time).\n\n"
		   "Examples:\n"
		   "  tracerhub report incident.db\n"
		   "  tracerhub report incident.db --from +60 --to +120 -c nginx -j\n"
		   "  tracerhub report incident.db --search addr:ffff8881\n"
		   "  tracerhub report --from clickhouse://ch1:8123/tracerhub --host web-3\n"
		   "  tracerhub report --from clickhouse://ch1:8123/tracerhub --search addr:ffff8881\n"
		   "\n" CMD_EXIT_HELP CMD_EXIT_HELP_CH);
}

static int report_search(struct reader *r, const char *spec, unsigned int limit)
{
	char kind[16];
	const char *colon = strchr(spec, ':'), *why = NULL;
	struct json_writer w;
	int err;

	if (!colon || (size_t)(colon - spec) >= sizeof(kind)) {
		log__error("invalid --search '%s': KIND:PREFIX with KIND comm, addr or endpoint",
			   spec);
		return CMD_USAGE;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - spec), spec);
	json__init(&w, stdout);
	err = search__run(reader__db(r), kind, colon + 1, limit, &w, &why);
	if (err) {
		log__error("--search %s: %s", spec, why);
		return cmd__code(err);
	}
	json__newline(&w);
	return ferror(stdout) ? CMD_FAIL : CMD_OK;
}


#define MAX_HOSTS 64

/* report of a ClickHouse fleet recording (--from clickhouse://...). Returns the exit code. */
static int report_fleet(const struct fleet_query *q, const char *search, unsigned int limit,
			bool json)
{
	const char *colon = search ? strchr(search, ':') : NULL;
	char kind[16];

	if (!search)
		return cmd__code(fleet_report__run(q, json, stdout));
	if (!colon || (size_t)(colon - search) >= sizeof(kind)) {
		log__error("invalid --search '%s': KIND:PREFIX with KIND comm, addr or endpoint",
			   search);
		return CMD_USAGE;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - search), search);
	return cmd__code(fleet_report__search(q, kind, colon + 1, limit, stdout));
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each command declares its own
 * getopt_long options (bpftool's command shape).
 */
int cmd__report(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, OPT_FROM},
	    {"to", required_argument, NULL, OPT_TO},
	    {"pid", required_argument, NULL, 'p'},
	    {"comm", required_argument, NULL, 'c'},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"events", required_argument, NULL, OPT_EVENTS},
	    {"search", required_argument, NULL, OPT_SEARCH},
	    {"limit", required_argument, NULL, OPT_LIMIT},
	    {"host", required_argument, NULL, OPT_HOST},
	    {"ch-auth", required_argument, NULL, OPT_CH_AUTH},
	    {"ch-ca", required_argument, NULL, OPT_CH_CA},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct report_opts o = {.to_ns = ~0ULL, .top = 5, .max_events = 10};
	const char *from = NULL, *to = NULL, *search = NULL, *hosts[MAX_HOSTS + 1] = {0};
	struct fleet_query fq = {.hosts = hosts};
	int nhosts = 0;
	unsigned long limit = SEARCH_LIMIT_DEFAULT, v;
	struct reader *r = NULL;
	struct reader_span all;
	struct report rep = {0};
	bool json = false;
	int c, code = CMD_USAGE;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:c:jh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_FROM:
			if (ch__is_url(optarg))
				fq.ch.url = optarg;
			else
				from = optarg;
			break;
		case OPT_TO:
			to = optarg;
			break;
		case OPT_HOST:
			if (nhosts == MAX_HOSTS) {
				log__error("at most %d --host filters", MAX_HOSTS);
				return CMD_USAGE;
			}
			hosts[nhosts++] = optarg;
			break;
		case OPT_CH_AUTH:
			fq.ch.auth_file = optarg;
			break;
		case OPT_CH_CA:
			fq.ch.ca_file = optarg;
			break;
		case 'p':
			/* any positive number: the process may be long gone */
			if (cmd__uint(optarg, 1, 0x7fffffffUL, &v)) {
				log__error("invalid pid '%s': expected a positive number", optarg);
				return CMD_USAGE;
			}
			o.pid = (__u32)v;
			break;
		case 'c':
			o.comm = optarg;
			break;
		case OPT_TOP:
		case OPT_EVENTS:
		case OPT_LIMIT:
			if (cmd__uint(optarg, 1, c == OPT_LIMIT ? SEARCH_LIMIT_MAX : 1000, &v)) {
				log__error("invalid value '%s' for --%s: a number from 1 to %d",
					   optarg,
					   c == OPT_TOP	     ? "top"
					   : c == OPT_EVENTS ? "events"
							     : "limit",
					   c == OPT_LIMIT ? SEARCH_LIMIT_MAX : 1000);
				return CMD_USAGE;
			}
			if (c == OPT_TOP)
				o.top = (unsigned int)v;
			else if (c == OPT_EVENTS)
				o.max_events = v;
			else
				limit = v;
			break;
		case OPT_SEARCH:
			search = optarg;
			break;
		default:
			code = cmd__common_opt(c, argv, &json, report_usage);
			if (code >= 0)
				return code;
		}
	}
	log__setup(json, false);
	if (optind == argc - 1 && ch__is_url(argv[optind]) && !fq.ch.url)
		fq.ch.url = argv[optind++];
	if (fq.ch.url) {
		if (optind != argc || from || to || o.pid || o.comm) {
			log__error("a ClickHouse report takes --host, --search, --limit, "
				   "--ch-auth, --ch-ca and -j (no recording file, time range, -p "
				   "or -c)");
			return CMD_USAGE;
		}
		return report_fleet(&fq, search, (unsigned int)limit, json);
	}
	if (nhosts || fq.ch.auth_file || fq.ch.ca_file) {
		log__error("--host, --ch-auth and --ch-ca go with --from "
			   "clickhouse://HOST:PORT/DB");
		return CMD_USAGE;
	}
	if (optind != argc - 1) {
		log__error(optind >= argc ? "report needs a recording: tracerhub report FILE.db"
					  : "unexpected argument '%s' (one recording at a time)",
			   argv[optind < argc - 1 ? optind + 1 : optind]);
		return CMD_USAGE;
	}
	code = CMD_FAIL; /* the arguments are good: what fails now is a runtime failure */
	if (reader__open(argv[optind], &r))
		goto out;
	if (search) {
		code = report_search(r, search, (unsigned int)limit);
		goto out;
	}
	if (reader__span(r, 0, ~0ULL, &all))
		goto out;
	if ((from && timearg__parse(from, all.start_ns, &o.from_ns)) ||
	    (to && timearg__parse(to, all.start_ns, &o.to_ns))) {
		log__error("invalid time '%s': +SECONDS, epoch seconds, 2026-11-23T10:00:00 or "
			   "10:00:00",
			   from && timearg__parse(from, all.start_ns, &o.from_ns) ? from : to);
		code = CMD_USAGE;
		goto out;
	}
	if (report__build(r, &o, &rep))
		goto out;
	if (json) {
		struct json_writer w;

		json__init(&w, stdout);
		report__write_json(&w, argv[optind], &o, &rep);
		json__newline(&w);
		code = ferror(stdout) ? CMD_FAIL : CMD_OK;
	} else {
		code = report__print(stdout, argv[optind], &o, &rep) ? CMD_FAIL : CMD_OK;
	}
out:
	report__free(&rep);
	reader__close(r);
	return code;
}

