// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `tracerhub serve`: the session with the web API, /metrics and the dashboard
 * as its sink (the server in a process of its own), or a recording served.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "cmd/args.h"
#include "cmd/cmd.h"
#include "core/log.h"
#include "core/session.h"
#include "core/sink.h"
#include "core/tracer.h"
#include "query/api.h"
#include "store/clickhouse.h"
#include "store/fleet_replay.h"
#include "store/reader.h"
#include "store/replay.h"
#include "web/privsep.h"
#include "web/query_socket.h"
#include "web/server.h"

#define LISTEN_DEFAULT	  "127.0.0.1:9550"
#define HISTORY_DEFAULT_S 600
#define HISTORY_MAX_SLOTS 3600
#define ALLOW_HOSTS_MAX	  16
#define TOKEN_MAX	  4096
#define FLEET_HOSTS_MAX	  64 /* --host filters of a fleet replay */

struct serve_opts {
	const char *listen;
	const char *token;
	const char *token_file;
	char token_buf[TOKEN_MAX + 1]; /* the token read from token_file */
	const char *allow_hosts[ALLOW_HOSTS_MAX];
	size_t nallow;
	bool insecure;
	unsigned long history_s;
	const char *replay; /* a recording to serve instead of live tracers */
	const char *socket; /* also answer the API on this UNIX socket */
	/* a fleet's recording (--replay clickhouse://...): which hosts, how to log in */
	const char *hosts[FLEET_HOSTS_MAX + 1];
	size_t nhosts;
	const char *ch_auth, *ch_ca;
};

/* Each command's own option keys and getopt_long table, alike in shape by design. */
enum {
	OPT_LISTEN = ARGS_EXTRA_KEY,
	OPT_TOKEN,
	OPT_TOKEN_FILE,
	OPT_ALLOW_HOST,
	OPT_HISTORY,
	OPT_REPLAY,
	OPT_SOCKET,
	OPT_HOST,
	OPT_CH_AUTH,
	OPT_CH_CA,
	OPT_INSECURE,
};

/* Alike to every command's options by design: its own. */
static const struct option serve_opts[] = {
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "token-file", required_argument, NULL, OPT_TOKEN_FILE },
	{ "allow-host", required_argument, NULL, OPT_ALLOW_HOST },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "ch-auth", required_argument, NULL, OPT_CH_AUTH },
	{ "ch-ca", required_argument, NULL, OPT_CH_CA },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ 0 },
};

/* -h: what every tracing command takes (and the exit status), then serve's own options. */
static void serve_usage(FILE *f, const char *cmd, const struct tracer *t)
{
	args__usage(f, cmd, t);
	fprintf(f,
		"\nServe options:\n"
		"      --listen ADDR  HOST:PORT, [IPV6]:PORT or PORT (default " LISTEN_DEFAULT
		");\n"
		"                     port 0 picks a free one (printed on stderr)\n"
		"      --token-file F require 'Authorization: Bearer TOKEN' on /api and /metrics,\n"
		"                     TOKEN read from F (mode 0600 or stricter); needed off\n"
		"                     loopback. Also TRACERHUB_TOKEN=TOKEN, or --token TOKEN\n"
		"                     (visible to every user in ps: a warning says so)\n"
		"      --allow-host H a Host header accepted besides localhost and the listen\n"
		"                     address (repeatable); others need the token\n"
		"      --insecure     allow a non-loopback --listen without a token\n"
		"      --history S    seconds of snapshots kept for /api/v1/history (default "
		"%d)\n"
		"      --top N        processes with their own /metrics series (default %d;\n"
		"                     the rest are summed in pid=\"other\")\n"
		"      --replay FILE  serve a recording (tracerhub record) instead of live tracers;\n"
		"                     no root needed, every interval is kept for /api/v1/history\n"
		"      --replay clickhouse://HOST:PORT/DB\n"
		"                     serve the fleet recorded there (docs/fleet.md): the newest\n"
		"                     3600 steps of the longest interval, every host's processes\n"
		"                     and events with their host\n"
		"      --host NAME    with a fleet: only this host (again for more)\n"
		"      --ch-auth FILE --ch-ca FILE  ClickHouse credentials and CAs, as for report\n"
		"      --socket PATH  also answer the API's JSON queries on a UNIX socket (mode\n"
		"                     0600), one request per line (docs/recording.md)\n"
		"  A tracer's own options (e.g. syscalls -L) are accepted when it is the only\n"
		"  tracer named.\n"
		"\nServe examples:\n"
		"  tracerhub serve                           # http://127.0.0.1:9550/\n"
		"  tracerhub serve --listen 0.0.0.0:9550 --token \"$(cat token)\" syscalls io\n"
		"  tracerhub serve syscalls -L 0.5           # with latency heatmaps\n"
		"  tracerhub serve --replay incident.db      # the dashboards over a recording\n"
		"  tracerhub serve --replay clickhouse://ch1:8123/tracerhub   # over the fleet\n"
		"  curl -s 127.0.0.1:9550/metrics | promtool check metrics\n",
		HISTORY_DEFAULT_S, PROM_TOP_DEFAULT);
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one switch case per option, each
 * its own field and message.
 */
/* One of serve's own options (args_extra.set): 0, or -EINVAL after a message. */
static int serve_set(void *ctx, int c, const char *v)
{
	struct serve_opts *o = ctx;
	char *end;

	switch (c) {
	case OPT_LISTEN:
		o->listen = v;
		return 0;
	case OPT_TOKEN:
		o->token = v;
		log__info("warning: --token on the command line can be read by every user "
			  "(ps, /proc/PID/cmdline): use --token-file PATH or TRACERHUB_TOKEN");
		return 0;
	case OPT_TOKEN_FILE:
		o->token_file = v;
		return 0;
	case OPT_ALLOW_HOST:
		if (o->nallow == ALLOW_HOSTS_MAX || !*v) {
			log__error("invalid --allow-host '%s': a host name, at most %d of them", v,
				   ALLOW_HOSTS_MAX);
			return -EINVAL;
		}
		o->allow_hosts[o->nallow++] = v;
		return 0;
	case OPT_HISTORY:
		errno = 0;
		o->history_s = strtoul(v, &end, 10);
		if (errno || *end || !*v || v[0] == '-' || !o->history_s || o->history_s > 86400) {
			log__error("invalid --history '%s': seconds from 1 to 86400", v);
			return -EINVAL;
		}
		return 0;
	case OPT_REPLAY:
		o->replay = v;
		unsetenv("TRACERHUB_RUNG"); /* a replay attaches nothing: no rung applies */
		return 0;
	case OPT_SOCKET:
		o->socket = v;
		return 0;
	case OPT_HOST:
		if (o->nhosts == FLEET_HOSTS_MAX) {
			log__error("at most %d --host filters", FLEET_HOSTS_MAX);
			return -EINVAL;
		}
		o->hosts[o->nhosts++] = v;
		return 0;
	case OPT_CH_AUTH:
		o->ch_auth = v;
		return 0;
	case OPT_CH_CA:
		o->ch_ca = v;
		return 0;
	default: /* OPT_INSECURE */
		o->insecure = true;
		return 0;
	}
}

/*
 * Read the token from o->token_file: a regular file nobody else can read,
 * one line of printable characters. 0 or -EINVAL after saying why.
 */
static int read_token_file(struct serve_opts *o)
{
	struct stat st;
	ssize_t n = -1;
	int fd = open(o->token_file, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0 || fstat(fd, &st)) {
		log__error("cannot read --token-file %s: %s", o->token_file, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		log__error("--token-file %s is mode %04o: others can read it; chmod 600 %s",
			   o->token_file, (unsigned int)(st.st_mode & 07777), o->token_file);
		goto fail;
	}
	n = read(fd, o->token_buf, TOKEN_MAX + 1);
	while (n > 0 && strchr("\r\n \t", o->token_buf[n - 1]))
		n--;
	if (n <= 0 || n > TOKEN_MAX) {
		log__error("--token-file %s: expected one line of at most %d characters",
			   o->token_file, TOKEN_MAX);
		n = -1;
		goto fail;
	}
	o->token_buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)o->token_buf[i];

		if (c <= 0x20 || c >= 0x7f) {
			log__error("--token-file %s: the token has a space or control character",
				   o->token_file);
			n = -1;
			goto fail;
		}
	}
	o->token = o->token_buf;
fail:
	if (fd >= 0)
		close(fd);
	return n > 0 ? 0 : -EINVAL;
}

/* Check the options against each other; 0 or -EINVAL after saying why. */
static int check_opts(struct serve_opts *o, const struct args *a, struct web_listen *l)
{
	if (a->json) {
		log__error("serve has no -j: the API answers in JSON (see /api/v1/snapshot)");
		return -EINVAL;
	}
	if (o->token_file && o->token && o->token != getenv("TRACERHUB_TOKEN")) {
		log__error("give the token once: --token or --token-file");
		return -EINVAL;
	}
	if (o->token_file && read_token_file(o))
		return -EINVAL;
	if (o->token && !*o->token) {
		log__error("empty --token: give a secret, or leave the option out on loopback");
		return -EINVAL;
	}
	if (web_listen__parse(l, o->listen))
		return -EINVAL;
	if (!l->loopback && !o->token && !o->insecure) {
		log__error("refusing to listen on %s without a token: anyone who reaches it sees "
			   "every process; add --token T (or TRACERHUB_TOKEN), or --insecure",
			   o->listen);
		return -EINVAL;
	}
	return 0;
}

/* Trace as the collector with the server in a child process. Returns an exit code. */
static int serve_live(struct tracer_run *runs, size_t n, const struct args *a,
		      struct privsep_server *sv)
{
	struct privsep ps;
	struct sink sink = {.emit = privsep__emit, .ready = privsep__ready,
			    .on_input = privsep__input, .ctx = &ps};
	struct session_opts so;
	int code;

	if (privsep__start(&ps, sv))
		return CMD_FAIL;
	sink.input_fd = ps.fd;
	so = args__session_opts(a, &sink, !a->nnames);
	code = session__run(runs, n, &so) ? CMD_FAIL : CMD_OK;
	if (privsep__finish(&ps))
		code = CMD_FAIL;
	return code;
}

/* The replay's sink: every interval of the recording goes into the history. */
static int replay_emit(void *ctx, const struct snapshot *s)
{
	int err = api__publish(ctx, s);

	if (err)
		log__error("cannot keep the snapshot: %s", strerror(-err));
	return err;
}

/*
 * Serve a recording (r) or a fleet's (fleet): every interval goes into the
 * history at once, then the server (and socket) answer until SIGINT/SIGTERM.
 * Returns an exit code.
 */
static int serve_replay(struct reader *r, struct fleet_replay *fleet, const char *name,
			struct privsep_server *sv)
{
	struct replay_opts ro = {.to_ns = ~0ULL, .speed = 0};
	struct sink sink = {.emit = replay_emit, .ctx = sv->api, .input_fd = -1};
	struct web_server *server;
	int err;

	if (fleet ? fleet_replay__run(fleet, HISTORY_MAX_SLOTS, &sink) : replay__run(r, &ro, &sink))
		return CMD_FAIL;
	server = web_server__new(sv->api, sv->lfd, &sv->wo);
	if (!server) {
		log__error("cannot start the server: %s", strerror(errno));
		return CMD_FAIL;
	}
	sv->lfd = -1;
	if (fleet)
		log__info("ready: serving the fleet recording %s (%u hosts); Ctrl-C to stop", name,
			  fleet_replay__nhosts(fleet));
	else
		log__info("ready: serving the recording %s; Ctrl-C to stop", reader__path(r));
	err = web_server__run(server, NULL, sv->qs);
	web_server__free(server);
	return err ? CMD_FAIL : CMD_OK;
}

int cmd__serve(int argc, char **argv)
{
	static struct serve_opts o; /* holds the token: not on the stack of every callee */
	struct tracer_run runs[32] = {0};
	struct privsep_server sv = {.lfd = -1};
	struct reader *reader = NULL;
	struct fleet_replay *fleet = NULL;
	struct api_ctx api;
	const struct args_extra x = { .opts = serve_opts, .shorts = "", .set = serve_set,
				      .ctx = &o, .usage = serve_usage };
	struct web_listen l;
	unsigned long slots;
	struct args a;
	size_t n = 0;
	int code;

	o = (struct serve_opts){.listen = LISTEN_DEFAULT,
				.token = getenv("TRACERHUB_TOKEN"),
				.history_s = HISTORY_DEFAULT_S};
	code = cmd__parse_runs(&a, argc, argv, runs, sizeof(runs) / sizeof(runs[0]), &n, &x);
	if (code >= 0)
		goto out_runs;
	log__setup(false, a.verbose);
	code = CMD_USAGE;
	if (check_opts(&o, &a, &l))
		goto out_runs;
	if (a.capture) {
		log__error("serve does not capture packets: use tracerhub pktjourney -w FILE, or "
			   "record -w FILE");
		goto out_runs;
	}
	if (o.replay && a.nnames) {
		log__error("--replay serves what the recording holds: name no tracers");
		goto out_runs;
	}
	if ((o.nhosts || o.ch_auth || o.ch_ca) && !(o.replay && ch__is_url(o.replay))) {
		log__error("--host, --ch-auth and --ch-ca go with --replay "
			   "clickhouse://HOST:PORT/DB");
		goto out_runs;
	}
	if (o.replay && ch__is_url(o.replay)) {
		struct fleet_query fq = {.ch = {.url = o.replay, .auth_file = o.ch_auth,
						.ca_file = o.ch_ca},
					 .hosts = o.hosts};
		int err = fleet_replay__open(&fq, &fleet);

		if (err) {
			code = cmd__code(err);
			goto out_runs;
		}
	} else if (o.replay && reader__open(o.replay, &reader)) {
		code = CMD_FAIL;
		goto out_runs;
	}
	if (!o.replay && !cmd__root("privileges are dropped once attached; try: sudo tracerhub "
				    "serve"))
		goto out_runs;
	code = CMD_FAIL;
	slots = o.replay ? HISTORY_MAX_SLOTS : o.history_s * 1000 / a.interval_ms;
	slots = slots < 2 ? 2 : slots > HISTORY_MAX_SLOTS ? HISTORY_MAX_SLOTS : slots;
	if (api__init(&api, slots, a.top ? a.top : PROM_TOP_DEFAULT, a.interval_ms)) {
		log__error("out of memory");
		goto out_runs;
	}
	sv.api = &api;
	sv.wo = (struct web_server_opts){
	    .token = o.token, .allow_hosts = o.allow_hosts, .nallow = o.nallow};
	if (o.socket && query_socket__open(o.socket, 0600, query_socket__answer_api, &api, &sv.qs))
		goto out_api;
	sv.lfd = web_listen__bind(&l);
	if (sv.lfd >= 0 && o.replay)
		code = serve_replay(reader, fleet, o.replay, &sv);
	else if (sv.lfd >= 0)
		code = serve_live(runs, n, &a, &sv);
	if (sv.lfd >= 0)
		close(sv.lfd);
	query_socket__close(sv.qs);
out_api:
	api__free(&api);
out_runs:
	reader__close(reader);
	fleet_replay__close(fleet);
	args__free_runs(runs, n);
	return code;
}
