// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tcplife: one event per TCP connection when it closes: its process,
 * addresses, how long it lived, the data bytes it sent and received, its
 * retransmits and resets.
 */
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/net/net_engine.h"

static const struct tracer_option tcplife_options[] = {
	{ "ipv4", '4', NULL, "IPv4 only" },
	{ "ipv6", '6', NULL, "IPv6 only" },
	{ "port", NET_OPT_PORT, "PORT", "only connections with local or remote port PORT" },
	{ NULL },
};

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int tcplife_configure(void *state, struct tracer_env *env)
{
	struct net_tracer_state *st = state;

	st->cfg.closes = true;
	return net_engine__configure(&st->net, env, &st->cfg);
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer tcplife_tracer = {
	.name = "tcplife",
	.summary = "TCP connections as they close: process, addresses, duration (us), "
		   "bytes sent/received, retransmits, resets",
	.examples = "  tracerhub tcplife                 # every connection that closes\n"
		    "  tracerhub tcplife --port 80 -6    # IPv6 connections on port 80\n"
		    "  tracerhub tcplife -c curl -j      # JSON lines, connections of curl\n",
	.options = tcplife_options,
	.state_size = sizeof(struct net_tracer_state),
	.set_option = net_tracer__set_option,
	.probe = rung__probe_any,
	.module = "net",
	.configure = tcplife_configure,
	.start = net_tracer__start,
	.collect = net_tracer__collect,
	.close = net_tracer__close,
};
