// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include "cli/args.h"
#include "core/log.h"
#include "core/session.h"
#include "core/tracer.h"
#include "out/sink.h"
#include "store/query_socket.h"
#include "store/reader.h"
#include "store/replay.h"
#include "web/api.h"
#include "web/server.h"
#include "web/serve.h"

#define LISTEN_DEFAULT	  "127.0.0.1:9550"
#define HISTORY_DEFAULT_S 600
#define HISTORY_MAX_SLOTS 3600
#define DROP_USER	  "nobody"
#define NOBODY_ID	  65534

struct serve_opts {
	const char *listen;
	const char *token;
	bool insecure;
	unsigned long history_s;
	const char *replay; /* a recording to serve instead of live tracers */
	const char *socket; /* also answer the API on this UNIX socket */
};

/* The sink's state: where snapshots go, and whom to become once attached. */
struct serve_sink {
	struct api_ctx *api;
	struct query_socket *qs; /* NULL without --socket */
	uid_t uid;
	gid_t gid;
};

static void serve_usage(FILE *f)
{
	fprintf(f,
		"\nServe options:\n"
		"      --listen ADDR  HOST:PORT, [IPV6]:PORT or PORT (default " LISTEN_DEFAULT
		");\n"
		"                     port 0 picks a free one (printed on stderr)\n"
		"      --token T      require 'Authorization: Bearer T' on /api and /metrics\n"
		"                     (also from TRACERHUB_TOKEN); needed off loopback\n"
		"      --insecure     allow a non-loopback --listen without a token\n"
		"      --history S    seconds of snapshots kept for /api/v1/history (default "
		"%d)\n"
		"      --top N        processes with their own /metrics series (default %d;\n"
		"                     the rest are summed in pid=\"other\")\n"
		"      --replay FILE  serve a recording (tracerhub record) instead of live tracers;\n"
		"                     no root needed, every interval is kept for /api/v1/history\n"
		"      --socket PATH  also answer the API's JSON queries on a UNIX socket (mode\n"
		"                     0600), one request per line (docs/recording.md)\n"
		"  A tracer's own options (e.g. syscalls -L) are accepted when it is the only\n"
		"  tracer named.\n"
		"\nServe examples:\n"
		"  tracerhub serve                           # http://127.0.0.1:9550/\n"
		"  tracerhub serve --listen 0.0.0.0:9550 --token \"$(cat token)\" syscalls io\n"
		"  tracerhub serve syscalls -L 0.5           # with latency heatmaps\n"
		"  tracerhub serve --replay incident.db      # the dashboards over a recording\n"
		"  curl -s 127.0.0.1:9550/metrics | promtool check metrics\n",
		HISTORY_DEFAULT_S, PROM_TOP_DEFAULT);
}

/* The value of option name at argv[*i] ("--name V" or "--name=V"); NULL when it is not name. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len))
		return NULL;
	if (argv[*i][len] == '=')
		return argv[*i] + len + 1;
	if (argv[*i][len])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/*
 * Take serve's own options out of argv; the rest (common options, tracers,
 * interval, count) is left in rest/nrest for args__parse. 0 or -EINVAL.
 */
static int take_serve_opts(struct serve_opts *o, int argc, char **argv, char **rest, int *nrest)
{
	*nrest = 0;
	rest[(*nrest)++] = argv[0];
	for (int i = 1; i < argc; i++) {
		bool missing = false;
		const char *v;
		char *end;

		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[(*nrest)++] = argv[i++];
			break;
		}
		if ((v = opt_value(argc, argv, &i, "--listen", &missing))) {
			o->listen = v;
		} else if (!missing && (v = opt_value(argc, argv, &i, "--token", &missing))) {
			o->token = v;
		} else if (!missing && (v = opt_value(argc, argv, &i, "--history", &missing))) {
			errno = 0;
			o->history_s = strtoul(v, &end, 10);
			if (errno || *end || !*v || v[0] == '-' || !o->history_s ||
			    o->history_s > 86400) {
				log__error("invalid --history '%s': seconds from 1 to 86400", v);
				return -EINVAL;
			}
		} else if (!missing && (v = opt_value(argc, argv, &i, "--replay", &missing))) {
			o->replay = v;
		} else if (!missing && (v = opt_value(argc, argv, &i, "--socket", &missing))) {
			o->socket = v;
		} else if (!missing && !strcmp(argv[i], "--insecure")) {
			o->insecure = true;
		} else if (!missing) {
			rest[(*nrest)++] = argv[i];
		}
		if (missing) {
			log__error("missing value for %s (see -h)", argv[i]);
			return -EINVAL;
		}
	}
	rest[*nrest] = NULL;
	return 0;
}

static int serve_emit(void *ctx, const struct snapshot *s)
{
	struct serve_sink *k = ctx;
	int err = api__publish(k->api, s);

	if (err)
		log__error("cannot keep the snapshot: %s", strerror(-err));
	return err;
}

/*
 * Everything is attached and the maps are open: the server needs no privilege
 * from now on. set*id in glibc applies to every thread, the server's too;
 * leaving uid 0 clears all capabilities.
 */
static int serve_ready(void *ctx)
{
	struct serve_sink *k = ctx;
	int err = 0;

	if (setgroups(0, NULL) || setresgid(k->gid, k->gid, k->gid) ||
	    setresuid(k->uid, k->uid, k->uid) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		err = -errno;
		log__error("cannot drop privileges to uid %u: %s", (unsigned int)k->uid,
			   strerror(-err));
		return err;
	}
	log__info("dropped privileges: now uid %u gid %u, no capabilities", (unsigned int)k->uid,
		  (unsigned int)k->gid);
	return 0;
}

/* A query arrived on the socket: answer it; the session goes on. */
static enum sink_action serve_input(void *ctx, unsigned int *interval_ms)
{
	struct serve_sink *k = ctx;

	query_socket__service(k->qs);
	return SINK_CONTINUE;
}

/* The sink that publishes snapshots to the API (and answers the socket, if any). */
static struct sink serve_sink__make(struct serve_sink *k, bool drop_privileges)
{
	struct sink sink = { .emit = serve_emit, .ctx = k, .input_fd = -1 };

	if (drop_privileges)
		sink.ready = serve_ready;
	if (k->qs) {
		sink.input_fd = query_socket__fd(k->qs);
		sink.on_input = serve_input;
	}
	return sink;
}

/* Check the options against each other; 0 or -EINVAL after saying why. */
static int check_opts(const struct serve_opts *o, const struct args *a, struct web_listen *l)
{
	if (a->json) {
		log__error("serve has no -j: the API answers in JSON (see /api/v1/snapshot)");
		return -EINVAL;
	}
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

/* Run the session with the web sink; the server is up. Returns an exit code. */
static int serve_session(struct tracer_run *runs, size_t n, const struct args *a,
			 bool skip_unavailable, struct serve_sink *k)
{
	const struct passwd *pw = getpwnam(DROP_USER);
	struct sink sink = serve_sink__make(k, true);
	struct session_opts so = args__session_opts(a, &sink, skip_unavailable);

	k->uid = pw ? pw->pw_uid : NOBODY_ID;
	k->gid = pw ? pw->pw_gid : NOBODY_ID;

	return session__run(runs, n, &so) ? 1 : 0;
}

/*
 * Serve a recording: every interval goes into the history at once, then the
 * server (and socket) answer until SIGINT/SIGTERM. Returns an exit code.
 */
static int serve_replay(struct reader *r, struct serve_sink *k)
{
	struct replay_opts ro = { .to_ns = ~0ULL, .speed = 0 };
	struct sink sink = serve_sink__make(k, false);
	struct pollfd pfd[2];
	sigset_t mask;
	int err, sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	err = replay__run(r, &ro, &sink);
	if (err)
		return 1;
	if (sigprocmask(SIG_BLOCK, &mask, NULL) || (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0) {
		log__error("cannot wait for signals: %s", strerror(errno));
		return 1;
	}
	log__info("ready: serving the recording %s; Ctrl-C to stop", reader__path(r));
	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sink.input_fd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, k->qs ? 2 : 1, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		if (k->qs && pfd[1].revents)
			query_socket__service(k->qs);
	}
	close(sfd);
	return 0;
}

int serve__main(int argc, char **argv)
{
	struct serve_opts o = {.listen = LISTEN_DEFAULT,
			       .token = getenv("TRACERHUB_TOKEN"),
			       .history_s = HISTORY_DEFAULT_S};
	struct tracer_run runs[32] = {0};
	struct web_server *server = NULL;
	struct serve_sink k = { 0 };
	struct reader *reader = NULL;
	struct api_ctx api;
	struct web_listen l;
	unsigned long slots;
	char **rest;
	struct args a;
	size_t n = 0;
	int nrest, err, code = 2;

	rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest) {
		log__error("out of memory");
		return 1;
	}
	if (take_serve_opts(&o, argc, argv, rest, &nrest))
		goto out_args;
	err = args__parse_runs(&a, nrest, rest, runs, sizeof(runs) / sizeof(runs[0]), &n);
	if (err) {
		code = err == -ENOMEM ? 1 : 2;
		goto out_runs;
	}
	log__setup(false, a.verbose);
	if (a.help) {
		serve_usage(stdout);
		code = 0;
		goto out_runs;
	}
	if (check_opts(&o, &a, &l))
		goto out_runs;
	if (o.replay && a.nnames) {
		log__error("--replay serves what the recording holds: name no tracers");
		goto out_runs;
	}
	if (o.replay && reader__open(o.replay, &reader))
		goto out_runs;
	if (!o.replay && geteuid() != 0) {
		log__error("must run as root: loading BPF programs needs CAP_BPF and CAP_PERFMON "
			   "(privileges are dropped once attached; try: sudo tracerhub serve)");
		goto out_runs;
	}
	code = 1;
	slots = o.replay ? HISTORY_MAX_SLOTS : o.history_s * 1000 / a.interval_ms;
	slots = slots < 2 ? 2 : slots > HISTORY_MAX_SLOTS ? HISTORY_MAX_SLOTS : slots;
	if (api__init(&api, slots, a.top ? a.top : PROM_TOP_DEFAULT, a.interval_ms)) {
		log__error("out of memory");
		goto out_runs;
	}
	k.api = &api;
	if (o.socket && query_socket__open(o.socket, 0600, query_socket__answer_api, &api, &k.qs))
		goto out_api;
	server = web_server__start(&api, &l, o.token);
	if (server && o.replay)
		code = serve_replay(reader, &k);
	else if (server)
		code = serve_session(runs, n, &a, !a.nnames, &k);
	api__stop(&api);
	web_server__stop(server);
	query_socket__close(k.qs);
out_api:
	api__free(&api);
out_runs:
	reader__close(reader);
	args__free_runs(runs, n);
out_args:
	free(rest);
	return code;
}
