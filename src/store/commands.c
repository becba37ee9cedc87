// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "cli/args.h"
#include "core/log.h"
#include "core/session.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "sinks/json.h"
#include "render/json_writer.h"
#include "sinks/pcapng.h"
#include "core/sink.h"
#include "sinks/text.h"
#include "store/commands.h"
#include "store/clickhouse.h"
#include "store/fleet.h"
#include "store/fleet_report.h"
#include "store/query.h"
#include "store/query_socket.h"
#include "store/reader.h"
#include "store/recorder.h"
#include "store/replay.h"
#include "store/report.h"
#include "store/search.h"
#include "store/request.h"
#include "store/timearg.h"
#include "tui/tui.h"
#include "web/api.h"
#include "web/privsep.h"

#define MAX_RUNS	   32
#define RECORD_API_HISTORY 600 /* snapshots the socket's /api/v1/history keeps */

/* What record takes besides the common options. */
struct record_args {
	const char *output;
	const char *to;	       /* clickhouse://HOST:PORT/DB */
	const char *ch_auth;   /* USER:PASSWORD file */
	const char *ch_ca;     /* CA certificates for clickhouses:// */
	const char *host;      /* --host, default the hostname */
	const char *spool;     /* --spool, default /var/tmp/tracerhub-spool-HOST.db */
	__u64 spool_max;
	const char *socket;
	unsigned int socket_mode;
	__u64 duration_ns;
	struct recorder_opts bounds;
	char *rest[256]; /* argv for args__parse */
	int nrest;
};

static void record_usage(FILE *f)
{
	fprintf(
	    f,
	    "Usage: tracerhub record -o FILE.db [options] [tracer...] [interval [count]]\n"
	    "       tracerhub record --to clickhouse://HOST:PORT/DB [-o FILE.db] [options] ...\n\n"
	    "Record every interval (process rows, histograms, tables, events, tracer health)\n"
	    "to an SQLite file, one transaction per interval (docs/recording.md), and/or to\n"
	    "ClickHouse, a batch per interval with the host's name on every row (docs/fleet.md).\n\n"
	    "Options:\n"
	    "  -o, --output FILE.db  the recording (created, or appended to)\n"
	    "      --to URL          also (or only) to ClickHouse: clickhouse://HOST:PORT/DB,\n"
	    "                        clickhouses:// for TLS; user and password from --ch-auth\n"
	    "                        or TRACERHUB_CLICKHOUSE_USER, TRACERHUB_CLICKHOUSE_PASSWORD\n"
	    "      --ch-auth FILE    USER:PASSWORD on its first line (mode 0600)\n"
	    "      --ch-ca FILE      CA certificates (PEM) that check the server's, with\n"
	    "                        clickhouses:// (default: the system's)\n"
	    "      --host NAME       the host column of every row (default: the hostname)\n"
	    "      --spool PATH      batches wait here while ClickHouse is away\n"
	    "                        (default /var/tmp/tracerhub-spool-HOST.db)\n"
	    "      --spool-max SIZE  the spool's bound (default 256M); past it rows are dropped\n"
	    "                        and counted\n"
	    "      --duration S      stop after S (seconds, or 30s, 15m, 2h)\n"
	    "      --max-size SIZE   delete the oldest intervals past SIZE (bytes, K, M, G)\n"
	    "      --max-age AGE     delete intervals older than AGE (30s, 15m, 2h, 7d)\n"
	    "      --socket PATH     answer JSON queries on a UNIX socket while recording\n"
	    "      --socket-mode M   file mode of the socket (octal, default 0600)\n"
	    "  and the options of `tracerhub top -h`: -p, -c, --cgroup, --rung, --no-stats, -v;\n"
	    "  with one tracer named, its own options too (e.g. pktjourney --packets)\n\n"
	    "Examples:\n"
	    "  tracerhub record -o incident.db --duration 10m\n"
	    "  tracerhub record -o io.db io syscalls -p 1234 0.5\n"
	    "  tracerhub record -o all.db --max-size 500M --socket /run/tracerhub.sock\n"
	    "  tracerhub record --to clickhouse://ch1:8123/tracerhub --host web-3\n");
}

/* Take record's own options out of argv; the rest goes to args__parse. 0, 1 (help) or -EINVAL. */
static int record_split(struct record_args *ra, int argc, char **argv)
{
	static const char *const takes_value[] = {"-p",	      "-c",    "--pid",	 "--comm",
						  "--cgroup", "--top", "--sort", "--rung"};
	ra->rest[ra->nrest++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t n = eq && a[0] == '-' && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
		const char *v = eq && n < strlen(a) ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
		bool inline_v = eq && n < strlen(a);
		bool mine = true;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			record_usage(stdout);
			return 1;
		}
		if (!strncmp(a, "-o", 2) && a[2]) {
			v = a + 2;
			inline_v = true;
			n = 2;
		}
		if ((n == 2 && !strncmp(a, "-o", 2)) || (n == 8 && !strncmp(a, "--output", 8)))
			ra->output = v;
		else if (n == 8 && !strncmp(a, "--socket", 8))
			ra->socket = v;
		else if (n == 13 && !strncmp(a, "--socket-mode", 13)) {
			char *end;

			ra->socket_mode = v ? (unsigned int)strtoul(v, &end, 8) : 0;
			if (!v || *end || !*v || ra->socket_mode > 0777) {
				log__error("invalid --socket-mode '%s': an octal mode such as 0600",
					   v ? v : "");
				return -EINVAL;
			}
		} else if (n == 10 && !strncmp(a, "--duration", 10)) {
			if (!v || timearg__duration(v, &ra->duration_ns)) {
				log__error("invalid --duration '%s': seconds, or 30s, 15m, 2h",
					   v ? v : "");
				return -EINVAL;
			}
		} else if (n == 10 && !strncmp(a, "--max-size", 10)) {
			if (!v || timearg__size(v, &ra->bounds.max_size)) {
				log__error("invalid --max-size '%s': bytes, or 64K, 500M, 2G",
					   v ? v : "");
				return -EINVAL;
			}
		} else if (n == 4 && !strncmp(a, "--to", 4)) {
			ra->to = v;
		} else if (n == 9 && !strncmp(a, "--ch-auth", 9)) {
			ra->ch_auth = v;
		} else if (n == 7 && !strncmp(a, "--ch-ca", 7)) {
			ra->ch_ca = v;
		} else if (n == 6 && !strncmp(a, "--host", 6)) {
			ra->host = v;
			if (v && (!*v || strlen(v) > 255)) {
				log__error("invalid --host '%s': 1 to 255 bytes", v);
				return -EINVAL;
			}
		} else if (n == 7 && !strncmp(a, "--spool", 7)) {
			ra->spool = v;
		} else if (n == 11 && !strncmp(a, "--spool-max", 11)) {
			if (!v || timearg__size(v, &ra->spool_max)) {
				log__error("invalid --spool-max '%s': bytes, or 64K, 500M, 2G",
					   v ? v : "");
				return -EINVAL;
			}
		} else if (n == 9 && !strncmp(a, "--max-age", 9)) {
			if (!v || timearg__duration(v, &ra->bounds.max_age_ns)) {
				log__error("invalid --max-age '%s': 30s, 15m, 2h or 7d",
					   v ? v : "");
				return -EINVAL;
			}
		} else {
			mine = false;
		}
		if (mine && !v) {
			log__error("missing value for %s (see -h)", a);
			return -EINVAL;
		}
		if (mine) {
			i += !inline_v;
			continue;
		}
		if (ra->nrest >= (int)(sizeof(ra->rest) / sizeof(ra->rest[0])) - 2) {
			log__error("too many arguments");
			return -EINVAL;
		}
		ra->rest[ra->nrest++] = argv[i];
		for (size_t k = 0; k < sizeof(takes_value) / sizeof(takes_value[0]); k++)
			if (!strcmp(a, takes_value[k]) && i + 1 < argc)
				ra->rest[ra->nrest++] = argv[++i];
	}
	ra->rest[ra->nrest] = NULL;
	if (!ra->output && !ra->to) {
		log__error("record needs -o FILE.db or --to clickhouse://HOST:PORT/DB (see -h)");
		return -EINVAL;
	}
	if (ra->socket && !ra->output) {
		log__error("--socket answers queries about -o FILE.db: give one");
		return -EINVAL;
	}
	if (!ra->to && (ra->ch_auth || ra->ch_ca || ra->spool || ra->spool_max)) {
		log__error("--ch-auth, --ch-ca, --spool and --spool-max go with --to "
			   "clickhouse://HOST:PORT/DB");
		return -EINVAL;
	}
	if (!ra->spool_max)
		ra->spool_max = 256ULL << 20;
	return 0;
}

/* The host name for the rows (--host, else the hostname) and the spool's default path. */
static void record_host(struct record_args *ra, char *host, size_t hlen, char *spool,
			size_t slen)
{
	size_t n;

	if (ra->host)
		snprintf(host, hlen, "%s", ra->host);
	else if (gethostname(host, hlen) || !host[0])
		snprintf(host, hlen, "localhost");
	host[hlen - 1] = '\0';
	ra->host = host;
	if (ra->spool)
		return;
	n = (size_t)snprintf(spool, slen, "/var/tmp/tracerhub-spool-");
	for (const char *p = host; *p && n + 4 < slen; p++)
		spool[n++] = isalnum((unsigned char)*p) || strchr("._-", *p) ? *p : '_';
	snprintf(spool + n, slen - n, ".db");
	ra->spool = spool;
}

/*
 * The recorder sink; with --socket, also the server process (privilege
 * separation as for serve) that answers the query socket from the web API's
 * live state and its own reader of the recording.
 */
struct record_ctx {
	struct recorder *rec;
	struct fleet *fleet;
	const char *path;
	struct privsep *ps;	 /* NULL without --socket */
	struct reader *reader;	 /* the server process' */
	struct api_ctx *api;
};

static bool is_store_query(const struct request *req)
{
	return !strcmp(req->path, "/api/v1/recording") || !strcmp(req->path, "/api/v1/intervals") ||
	       !strcmp(req->path, "/api/v1/report") || !strcmp(req->path, "/api/v1/search") ||
	       (!strcmp(req->path, "/api/v1/snapshot") &&
		(request__param(req, "id") || request__param(req, "at")));
}

/* Queries about the recording go to its reader, the rest to the web API's live state. */
static bool record_answer(void *ctx, const struct request *req, FILE *out,
			  struct api_reply *shared)
{
	struct record_ctx *rc = ctx;
	struct json_writer w;

	if (!is_store_query(req))
		return query_socket__answer_api(rc->api, req, out, shared);
	json__init(&w, out);
	query__handle(rc->reader, req, &w);
	return false;
}

/*
 * The server process, still root, once the first interval is committed:
 * open the recording read-only in this process of its own (its closes
 * never touch the writer's locks).
 */
static int record_server_prepare(void *ctx)
{
	struct record_ctx *rc = ctx;

	return reader__open(rc->path, &rc->reader);
}

/* The interval goes to the file (committed) first, then to the server process. */
static int record_emit(void *ctx, const struct snapshot *s)
{
	struct record_ctx *rc = ctx;
	int err = rc->rec ? recorder__emit(rc->rec, s) : 0;

	if (!err && rc->fleet)
		err = fleet__emit(rc->fleet, s);
	if (!err && rc->ps)
		err = privsep__emit(rc->ps, s);
	return err;
}

static int record_ready(void *ctx)
{
	struct record_ctx *rc = ctx;

	return rc->ps ? privsep__ready(rc->ps) : 0;
}

static enum sink_action record_input(void *ctx, unsigned int *interval_ms)
{
	return privsep__input(((struct record_ctx *)ctx)->ps, interval_ms);
}

int store__cmd_record(int argc, char **argv)
{
	struct record_args ra = {.socket_mode = 0600};
	char host[256], spool[320];
	struct tracer_run runs[MAX_RUNS] = {0};
	struct record_ctx rc = {0};
	struct api_ctx api;
	struct privsep ps = {.fd = -1};
	struct privsep_server psv = {.lfd = -1};
	struct sink sink = {.emit = record_emit, .ready = record_ready, .ctx = &rc, .input_fd = -1};
	struct session_opts o = {0};
	struct pcapng *cap = NULL;
	struct sink cap_sink;
	struct args a;
	size_t n = 0;
	int code = 2, err;

	err = record_split(&ra, argc, argv);
	if (err)
		return err > 0 ? 0 : 2;
	err = args__parse_runs(&a, ra.nrest, ra.rest, runs, MAX_RUNS, &n);
	if (err) {
		code = err == -ENOMEM ? 1 : 2;
		goto out;
	}
	log__setup(a.json, a.verbose);
	if (a.count && ra.duration_ns) {
		log__error("give --duration or a count, not both");
		goto out;
	}
	if (geteuid() != 0) {
		log__error("must run as root: loading BPF programs needs CAP_BPF and CAP_PERFMON "
			   "(try: sudo tracerhub record ...)");
		goto out;
	}
	record_host(&ra, host, sizeof(host), spool, sizeof(spool));
	ra.bounds.host = ra.host;
	if (ra.socket) {
		/* the server process first: it must not inherit SQLite's state of the file */
		if (api__init(&api, RECORD_API_HISTORY, PROM_TOP_DEFAULT, a.interval_ms)) {
			log__error("out of memory");
			code = 1;
			goto out;
		}
		rc.api = &api;
		rc.path = ra.output;
		psv.api = &api;
		psv.prepare = record_server_prepare;
		psv.prepare_ctx = &rc;
		if (query_socket__open(ra.socket, ra.socket_mode, record_answer, &rc, &psv.qs))
			goto out;
		if (privsep__start(&ps, &psv)) {
			code = 1;
			goto out;
		}
		ps.keep_dac = true; /* SQLite deletes its -wal beside the file at the end */
		rc.ps = &ps;
		sink.input_fd = ps.fd;
		sink.on_input = record_input;
	}
	if (ra.output && recorder__open(ra.output, &ra.bounds, &rc.rec))
		goto out;
	if (ra.to) {
		struct fleet_opts fo = {.ch = {.url = ra.to, .auth_file = ra.ch_auth,
					       .ca_file = ra.ch_ca},
					.host = ra.host,
					.spool = ra.spool,
					.spool_max = ra.spool_max};

		if (fleet__open(&fo, &rc.fleet))
			goto out;
	}
	o = args__session_opts(&a, &sink, a.nnames == 0);
	if (ra.duration_ns)
		o.count = (ra.duration_ns / 1000000 + a.interval_ms - 1) / a.interval_ms;
	if (args__open_capture(&a, &o, &cap, &cap_sink)) {
		code = 1;
		goto out;
	}
	err = session__run(runs, n, &o);
	if (rc.rec)
		log__info("recorded %lu interval(s) to %s", recorder__count(rc.rec), ra.output);
	code = err ? 1 : 0;
out:
	pcapng__close(cap);
	fleet__close(rc.fleet);
	if (rc.ps && privsep__finish(rc.ps) && !code)
		code = 1;
	query_socket__close(psv.qs);
	if (rc.api)
		api__free(rc.api);
	if (rc.rec && rc.ps && privsep__raise_dac(rc.ps))
		log__error("cannot take CAP_DAC_OVERRIDE back: -wal and -shm may stay beside %s",
			   ra.output);
	recorder__close(rc.rec);
	args__free_runs(runs, n);
	return code;
}

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
		   "  tracerhub report --from clickhouse://ch1:8123/tracerhub --search addr:ffff8881\n");
}

/* Parse a pid for report: any positive number (the process may be long gone). */
static int parse_pid(const char *s, __u32 *pid)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || s[0] == '-' || !v || v > 0x7fffffffUL)
		return -EINVAL;
	*pid = (__u32)v;
	return 0;
}

static int report_search(struct reader *r, const char *spec, unsigned int limit)
{
	char kind[16];
	const char *colon = strchr(spec, ':'), *why = NULL;
	struct json_writer w;

	if (!colon || (size_t)(colon - spec) >= sizeof(kind)) {
		log__error("invalid --search '%s': KIND:PREFIX with KIND comm, addr or endpoint",
			   spec);
		return 2;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - spec), spec);
	json__init(&w, stdout);
	if (search__run(reader__db(r), kind, colon + 1, limit, &w, &why)) {
		log__error("--search %s: %s", spec, why);
		return 2;
	}
	json__newline(&w);
	return ferror(stdout) ? 1 : 0;
}

enum {
	OPT_FROM = 256,
	OPT_TO,
	OPT_TOP,
	OPT_EVENTS,
	OPT_SEARCH,
	OPT_LIMIT,
	OPT_REPLAY,
	OPT_SPEED,
	OPT_SORT,
	OPT_HOST,
	OPT_CH_AUTH,
	OPT_CH_CA
};

#define MAX_HOSTS 64

/* report of a ClickHouse fleet recording (--from clickhouse://...). Returns the exit code. */
static int report_fleet(const struct fleet_query *q, const char *search, unsigned int limit,
			bool json)
{
	const char *colon = search ? strchr(search, ':') : NULL;
	char kind[16];

	if (!search)
		return fleet_report__run(q, json, stdout);
	if (!colon || (size_t)(colon - search) >= sizeof(kind)) {
		log__error("invalid --search '%s': KIND:PREFIX with KIND comm, addr or endpoint",
			   search);
		return 2;
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)(colon - search), search);
	return fleet_report__search(q, kind, colon + 1, limit, stdout);
}

int store__cmd_report(int argc, char **argv)
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
	int c, code = 2;
	char *end;

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
				return 2;
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
			if (parse_pid(optarg, &o.pid)) {
				log__error("invalid pid '%s': expected a positive number", optarg);
				return 2;
			}
			break;
		case 'c':
			o.comm = optarg;
			break;
		case OPT_TOP:
		case OPT_EVENTS:
		case OPT_LIMIT:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || !v ||
			    v > (c == OPT_LIMIT ? SEARCH_LIMIT_MAX : 1000)) {
				log__error("invalid value '%s' for --%s: a number from 1 to %d",
					   optarg,
					   c == OPT_TOP	     ? "top"
					   : c == OPT_EVENTS ? "events"
							     : "limit",
					   c == OPT_LIMIT ? SEARCH_LIMIT_MAX : 1000);
				return 2;
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
		case 'j':
			json = true;
			break;
		case 'h':
			report_usage(stdout);
			return 0;
		default:
			log__error("unknown option or missing value: '%s' (see -h)",
				   argv[optind - 1]);
			return 2;
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
			return 2;
		}
		return report_fleet(&fq, search, (unsigned int)limit, json);
	}
	if (nhosts || fq.ch.auth_file || fq.ch.ca_file) {
		log__error("--host, --ch-auth and --ch-ca go with --from "
			   "clickhouse://HOST:PORT/DB");
		return 2;
	}
	if (optind != argc - 1) {
		log__error(optind >= argc ? "report needs a recording: tracerhub report FILE.db"
					  : "unexpected argument '%s' (one recording at a time)",
			   argv[optind < argc - 1 ? optind + 1 : optind]);
		return 2;
	}
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
		goto out;
	}
	if (report__build(r, &o, &rep))
		goto out;
	if (json) {
		struct json_writer w;

		json__init(&w, stdout);
		report__write_json(&w, argv[optind], &o, &rep);
		json__newline(&w);
		code = ferror(stdout) ? 1 : 0;
	} else {
		code = report__print(stdout, argv[optind], &o, &rep) ? 1 : 0;
	}
out:
	report__free(&rep);
	reader__close(r);
	return code;
}

bool store__replay_requested(int argc, char **argv)
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
		   "  tracerhub top --replay incident.db --speed 0 -j | jq .totals\n");
}

static unsigned int terminal_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_col)
		return 0;
	return ws.ws_col;
}

int store__cmd_replay(int argc, char **argv)
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
	    .f = stdout, .top = 20, .sort = -1, .width = terminal_width(), .hists = true};
	struct json_sink js = {.f = stdout, .sort = -1};
	const char *path = NULL, *from = NULL, *to = NULL;
	struct reader *r = NULL;
	struct reader_span all;
	struct tui *tui = NULL;
	struct sink sink;
	const char *why;
	bool json = false;
	int c, code = 2, err;
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
				return 2;
			}
			break;
		case OPT_TOP:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-' || !v || v > 1000000) {
				log__error("invalid --top '%s': expected a number from 1", optarg);
				return 2;
			}
			text.top = js.top = (unsigned int)v;
			break;
		case OPT_SORT:
			text.sort = js.sort = metric__by_name(optarg);
			if (text.sort < 0) {
				log__error("unknown --sort field '%s': see `tracerhub top -h`",
					   optarg);
				return 2;
			}
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			replay_usage(stdout);
			return 0;
		default:
			log__error("unknown option or missing value: '%s' (see -h)",
				   argv[optind - 1]);
			return 2;
		}
	}
	log__setup(json, false);
	if (optind < argc) {
		log__error("unexpected argument '%s': a replay takes no tracers or interval "
			   "(see -h)",
			   argv[optind]);
		return 2;
	}
	if (reader__open(path, &r) || reader__span(r, 0, ~0ULL, &all))
		goto out;
	if ((from && timearg__parse(from, all.start_ns, &o.from_ns)) ||
	    (to && timearg__parse(to, all.start_ns, &o.to_ns))) {
		log__error("invalid --from or --to: +SECONDS, epoch seconds, 2026-11-23T10:00:00 "
			   "or 10:00:00");
		goto out;
	}
	sink = json ? (struct sink){.emit = json__emit, .ctx = &js, .input_fd = -1}
		    : (struct sink){.emit = text__emit, .ctx = &text, .input_fd = -1};
	if (!json && !tui__usable(&why)) {
		tui = tui__new(1000, text.sort);
		if (!tui) {
			log__error("cannot start the terminal dashboard: %s", strerror(errno));
			code = 1;
			goto out;
		}
		tui__sink(tui, &sink);
		ctl.speed = o.speed > 0 ? o.speed : 1;
		o.ctl = &ctl;
		tui__set_replay(tui, path, &ctl);
	}
	err = replay__run(r, &o, &sink);
	code = err == -EINVAL ? 2 : err ? 1 : 0;
out:
	tui__free(tui);
	reader__close(r);
	return code;
}
