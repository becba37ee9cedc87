# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Small UDP datagrams over loopback (sockperf throughput, 64 bytes; setup in
# bench/lib/loopback.sh) with and without tracerhub netproc; the issue's target is >= 95% of
# packets per second retained.
CASE_TITLE='UDP small messages over loopback: sockperf throughput -m 64'
CASE_UNIT='msg/s'
CASE_TOP_TARGET='retained 0.90'
# Alike to netproc_tcp.sh by design, its own tool, port and parser (docs/architecture.md).
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'tracerhub netproc|$TH netproc -j 1'
)

NETPROC_UDP_PORT=11399
. "$(dirname "${BASH_SOURCE[0]}")/../lib/loopback.sh"

case_setup() { loopback_sockperf_server $NETPROC_UDP_PORT "$TMP/netproc_sockperf.pid"; }
case_teardown() { loopback_server_stop "$TMP/netproc_sockperf.pid"; }
case_run() { loopback_sockperf $NETPROC_UDP_PORT; }
