// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `tracerhub record`: every interval to an SQLite recording and/or to
 * ClickHouse; with --socket, a server process answering queries meanwhile.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/session.h"
#include "core/sink.h"
#include "core/tracer.h"
#include "query/api.h"
#include "query/recording.h"
#include "query/request.h"
#include "render/json_writer.h"
#include "sinks/pcapng.h"
#include "store/fleet.h"
#include "store/reader.h"
#include "store/recorder.h"
#include "store/timearg.h"
#include "web/privsep.h"
#include "web/query_socket.h"

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
};

/* Each command's own option keys and getopt_long table, alike in shape by design. */
enum {
	OPT_OUTPUT = 'o',
	OPT_TO = ARGS_EXTRA_KEY,
	OPT_CH_AUTH,
	OPT_CH_CA,
	OPT_HOST,
	OPT_SPOOL,
	OPT_SPOOL_MAX,
	OPT_DURATION,
	OPT_MAX_SIZE,
	OPT_MAX_AGE,
	OPT_SOCKET,
	OPT_SOCKET_MODE,
};

/* Alike to every command's options by design: its own. */
static const struct option record_opts[] = {
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "to", required_argument, NULL, OPT_TO },
	{ "ch-auth", required_argument, NULL, OPT_CH_AUTH },
	{ "ch-ca", required_argument, NULL, OPT_CH_CA },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "spool", required_argument, NULL, OPT_SPOOL },
	{ "spool-max", required_argument, NULL, OPT_SPOOL_MAX },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "socket-mode", required_argument, NULL, OPT_SOCKET_MODE },
	{ 0 },
};

static void record_usage(FILE *f, const char *cmd, const struct tracer *t)
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
	    "  tracerhub record --to clickhouse://ch1:8123/tracerhub --host web-3\n"
	    "\n" CMD_EXIT_HELP CMD_EXIT_HELP_CH);
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one switch case per option, each
 * its own field and message.
 */
/* One of record's own options (args_extra.set): 0, or -EINVAL after a message. */
static int record_set(void *ctx, int c, const char *v)
{
	struct record_args *ra = ctx;
	char *end;

	switch (c) {
	case OPT_OUTPUT:
		ra->output = v;
		return 0;
	case OPT_SOCKET:
		ra->socket = v;
		return 0;
	case OPT_SOCKET_MODE:
		ra->socket_mode = (unsigned int)strtoul(v, &end, 8);
		if (*end || !*v || ra->socket_mode > 0777) {
			log__error("invalid --socket-mode '%s': an octal mode such as 0600", v);
			return -EINVAL;
		}
		return 0;
	case OPT_DURATION:
		if (timearg__duration(v, &ra->duration_ns)) {
			log__error("invalid --duration '%s': seconds, or 30s, 15m, 2h", v);
			return -EINVAL;
		}
		return 0;
	case OPT_MAX_SIZE:
		if (timearg__size(v, &ra->bounds.max_size)) {
			log__error("invalid --max-size '%s': bytes, or 64K, 500M, 2G", v);
			return -EINVAL;
		}
		return 0;
	case OPT_TO:
		ra->to = v;
		return 0;
	case OPT_CH_AUTH:
		ra->ch_auth = v;
		return 0;
	case OPT_CH_CA:
		ra->ch_ca = v;
		return 0;
	case OPT_HOST:
		ra->host = v;
		if (!*v || strlen(v) > 255) {
			log__error("invalid --host '%s': 1 to 255 bytes", v);
			return -EINVAL;
		}
		return 0;
	case OPT_SPOOL:
		ra->spool = v;
		return 0;
	case OPT_SPOOL_MAX:
		if (timearg__size(v, &ra->spool_max)) {
			log__error("invalid --spool-max '%s': bytes, or 64K, 500M, 2G", v);
			return -EINVAL;
		}
		return 0;
	default: /* OPT_MAX_AGE */
		if (timearg__duration(v, &ra->bounds.max_age_ns)) {
			log__error("invalid --max-age '%s': 30s, 15m, 2h or 7d", v);
			return -EINVAL;
		}
		return 0;
	}
}

/* record's options against each other, once parsed: 0, or -EINVAL after a message. */
static int record_check(struct record_args *ra)
{
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

/* Queries about the recording go to its reader, the rest to the web API's live state. */
static bool record_answer(void *ctx, const struct request *req, FILE *out,
			  struct api_reply *shared)
{
	struct record_ctx *rc = ctx;
	struct json_writer w;

	if (!query__about_recording(req))
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

int cmd__record(int argc, char **argv)
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
	const struct args_extra x = { .opts = record_opts, .shorts = "o:", .set = record_set,
				      .ctx = &ra, .usage = record_usage };
	struct args a;
	size_t n = 0;
	int code, err;

	code = cmd__parse_runs(&a, argc, argv, runs, MAX_RUNS, &n, &x);
	if (code >= 0)
		goto out;
	log__setup(a.json, a.verbose);
	code = CMD_USAGE;
	if (record_check(&ra))
		goto out;
	if (a.count && ra.duration_ns) {
		log__error("give --duration or a count, not both");
		goto out;
	}
	if (!cmd__root("try: sudo tracerhub record ..."))
		goto out;
	record_host(&ra, host, sizeof(host), spool, sizeof(spool));
	ra.bounds.host = ra.host;
	if (ra.socket) {
		/* the server process first: it must not inherit SQLite's state of the file */
		if (api__init(&api, RECORD_API_HISTORY, PROM_TOP_DEFAULT, a.interval_ms)) {
			log__error("out of memory");
			code = CMD_FAIL;
			goto out;
		}
		rc.api = &api;
		rc.path = ra.output;
		psv.api = &api;
		psv.prepare = record_server_prepare;
		psv.prepare_ctx = &rc;
		if (query_socket__open(ra.socket, ra.socket_mode, record_answer, &rc, &psv.qs)) {
			code = CMD_FAIL;
			goto out;
		}
		if (privsep__start(&ps, &psv)) {
			code = CMD_FAIL;
			goto out;
		}
		ps.keep_dac = true; /* SQLite deletes its -wal beside the file at the end */
		rc.ps = &ps;
		sink.input_fd = ps.fd;
		sink.on_input = record_input;
	}
	if (ra.output && recorder__open(ra.output, &ra.bounds, &rc.rec)) {
		code = CMD_FAIL;
		goto out;
	}
	if (ra.to) {
		struct fleet_opts fo = {.ch = {.url = ra.to, .auth_file = ra.ch_auth,
					       .ca_file = ra.ch_ca},
					.host = ra.host,
					.spool = ra.spool,
					.spool_max = ra.spool_max};

		err = fleet__open(&fo, &rc.fleet);
		if (err) {
			code = cmd__code(err);
			goto out;
		}
	}
	o = args__session_opts(&a, &sink, a.nnames == 0);
	if (ra.duration_ns)
		o.count = (ra.duration_ns / 1000000 + a.interval_ms - 1) / a.interval_ms;
	if (args__open_capture(&a, &o, &cap, &cap_sink)) {
		code = CMD_FAIL;
		goto out;
	}
	err = session__run(runs, n, &o);
	if (rc.rec)
		log__info("recorded %lu interval(s) to %s", recorder__count(rc.rec), ra.output);
	code = err ? CMD_FAIL : CMD_OK;
out:
	pcapng__close(cap);
	fleet__close(rc.fleet);
	if (rc.ps && privsep__finish(rc.ps) && !code)
		code = CMD_FAIL;
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

