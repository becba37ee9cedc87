/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user side of the network engine (net.bpf.c) shared by netproc,
 * tcpconnect and tcplife: one engine per hub, whichever of them run; each
 * switches on what it shows. Connection events arrive as snapshot events in
 * env->live, connects and accepts as tcpconnect's, closes as tcplife's.
 */
#ifndef TRACERHUB_TRACERS_NET_ENGINE_H
#define TRACERHUB_TRACERS_NET_ENGINE_H

#include <stdbool.h>
#include <linux/types.h>

struct clock_wall;
struct tracer_env;
struct tracer_option;
struct snapshot;
struct snap_health;
struct bpf_link;
struct hub_bpf;

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

/* What the tracers of one hub share: its ring buffer's reader. */
struct net_shared {
	struct snapshot *live;
	const struct clock_wall *wall; /* the core's: event stamps to wall-clock time */
	bool reading;	    /* the ring buffer is being read */
	__u64 events[2];    /* received since the last health: [0] connects/accepts, [1] closes */
};

/* One tracer's view of the engine. */
struct net_engine {
	struct net_engine_cfg cfg;
	struct hub_bpf *skel;
	struct net_shared *shared;
	struct bpf_link **faults; /* per CPU and kind, when counting page faults */
	size_t nfaults;
	bool has_faults;
	__u64 drops_prev;
};

/*
 * Apply event filter option key (-4, -6, --port, --min-ms) with argument arg
 * to cfg. Returns 0, -EINVAL after log__error() said why, or -ENOENT when key
 * is not one of them.
 */
int net_engine__set_option(struct net_engine_cfg *cfg, int key, const char *arg);
/*
 * Switch on in the hub what cfg asks for (before load). Returns 0 or a
 * negative errno; call net_engine__close either way.
 */
int net_engine__configure(struct net_engine *e, struct tracer_env *env,
			  const struct net_engine_cfg *cfg);
/* After load: read the ring buffer (once per hub), attach page-fault counting. 0 or -errno. */
int net_engine__start(struct net_engine *e, struct tracer_env *env);
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
int net_tracer__start(void *state, struct tracer_env *env);
int net_tracer__collect(void *state, struct snapshot *s, struct snap_health *health);
void net_tracer__close(void *state);

#endif
