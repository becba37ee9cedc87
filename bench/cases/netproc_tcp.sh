# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# TCP bulk throughput over loopback (iperf3; setup in bench/lib/loopback.sh) with and without
# tracerhub netproc; the issue's target is >= 98% retained.
CASE_TITLE='TCP bulk over loopback: iperf3 -c 127.0.0.1'
CASE_UNIT='Gbit/s'
CASE_TOP_TARGET='retained 0.97'
# Alike to netproc_udp.sh by design, its own tool, port and parser (docs/architecture.md).
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'tracerhub netproc|$TH netproc -j 1'
)

NETPROC_TCP_PORT=5399
. "$(dirname "${BASH_SOURCE[0]}")/../lib/loopback.sh"

case_setup() { loopback_iperf3_server $NETPROC_TCP_PORT "$TMP/netproc_iperf3.pid"; }
case_teardown() { loopback_server_stop "$TMP/netproc_iperf3.pid"; }
case_run() { loopback_iperf3 $NETPROC_TCP_PORT; }
