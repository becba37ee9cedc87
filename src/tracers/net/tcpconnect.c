// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tcpconnect: every TCP connection attempt, both sides: connect() (SYN sent
 * -> established, refused, timed out) and accept() (SYN-ACK sent ->
 * established), with the process that called them and the handshake latency.
 */
#include "core/tracer.h"
#include "model/snapshot.h"
#include "tracers/net/net_engine.h"

static const struct tracer_option tcpconnect_options[] = {
	{ "min-ms", NET_OPT_MIN_MS, "MS", "only handshakes that took at least MS milliseconds" },
	{ "ipv4", '4', NULL, "IPv4 only" },
	{ "ipv6", '6', NULL, "IPv6 only" },
	{ "port", NET_OPT_PORT, "PORT", "only connections with local or remote port PORT" },
	{ NULL },
};

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int tcpconnect_configure(void *state, struct tracer_env *env)
{
	struct net_tracer_state *st = state;

	st->cfg.connects = true;
	return net_engine__configure(&st->net, env, &st->cfg);
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer tcpconnect_tracer = {
	.name = "tcpconnect",
	.summary = "TCP connection attempts, connect() and accept(): process, addresses, "
		   "handshake latency (us), result",
	.examples = "  tracerhub tcpconnect                 # every connect and accept\n"
		    "  tracerhub tcpconnect --min-ms 1 -4   # IPv4 handshakes of 1 ms or more\n"
		    "  tracerhub tcpconnect --port 443 -j   # JSON lines, port 443 either side\n",
	.options = tcpconnect_options,
	.state_size = sizeof(struct net_tracer_state),
	.set_option = net_tracer__set_option,
	.probe = rung__probe_any,
	.module = "net",
	.configure = tcpconnect_configure,
	.start = net_tracer__start,
	.collect = net_tracer__collect,
	.close = net_tracer__close,
};
