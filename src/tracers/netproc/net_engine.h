/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user side of the network engine (netproc.bpf.c) shared by netproc,
 * tcpconnect and tcplife: each opens its own instance, configured for what
 * it shows; connection events arrive as snapshot events in env->live.
 */
#ifndef TRACERHUB_TRACERS_NET_ENGINE_H
#define TRACERHUB_TRACERS_NET_ENGINE_H

#include <stdbool.h>
#include <linux/types.h>

struct tracer_env;
struct tracer_option;
struct snapshot;
struct snap_health;
struct bpf_link;

/* Option keys of the event filters shared by tcpconnect and tcplife. */
enum {
	NET_OPT_PORT = 300,
	NET_OPT_MIN_MS,
};

struct net_engine_cfg {
	bool connects; /* connect and accept events (tcpconnect) */
	bool closes;   /* close events (tcplife) */
	bool procs;    /* per-process counters, latency histograms, page faults (netproc) */
	__u16 family;  /* events of AF_INET or AF_INET6 only, 0 for both */
	__u16 port;    /* events with this local or remote port only, 0 for all */
	__u64 min_ns;  /* connect events at least this slow only */
};

struct net_engine {
	const char *tracer; /* name on events */
	struct netproc_bpf *skel;
	struct bpf_link **faults; /* per CPU and kind, when counting page faults */
	size_t nfaults;
	bool has_faults;
	struct snapshot *live;
	__u64 events; /* events received since the last net_engine__health */
	__u64 drops_prev;
};

/*
 * Apply event filter option key (-4, -6, --port, --min-ms) with argument arg
 * to cfg. Returns 0, -EINVAL after log__error() said why, or -ENOENT when key
 * is not one of them.
 */
int net_engine__set_option(struct net_engine_cfg *cfg, int key, const char *arg);
/*
 * Open, load and attach an instance for tracer name at env->rung. Returns 0
 * or a negative errno; call net_engine__close either way.
 */
int net_engine__open(struct net_engine *e, const char *name, struct tracer_env *env,
		     const struct net_engine_cfg *cfg);
/* Add the events received and the events dropped since the last call to h. 0 or -errno. */
int net_engine__health(struct net_engine *e, struct snap_health *h);
/* Detach and free; e may be half opened. */
void net_engine__close(struct net_engine *e);

/* The state of an event tracer (tcpconnect, tcplife): its options and its engine. */
struct net_tracer_state {
	struct net_engine_cfg cfg;
	struct net_engine net;
};

/* struct tracer callbacks for a struct net_tracer_state (see struct tracer). */
int net_tracer__set_option(void *state, int key, const char *arg);
int net_tracer__collect(void *state, struct snapshot *s, struct snap_health *health);
void net_tracer__close(void *state);

#endif
