# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Loopback TCP throughput (iperf3, default 128 KiB writes) with pktjourney following every packet
# or 1 in 100. Target: >= 90% of baseline with all packets, >= 98% with --sample 100. The floor:
# empty programs on the tracepoints pktjourney attaches, what any tracer on them costs. top's
# own floor: empty programs on the hooks `tracerhub top` holds throughout (sys_exit, the socket
# and process hooks...), the most top can keep whatever its handlers do.
CASE_TITLE='loopback TCP throughput: iperf3 -c 127.0.0.1'
CASE_UNIT='Gbit/s'
CASE_TOP_TARGET='retained 0.97'
PJ_IPERF_PORT=5291
PJ_IPERF_ARGS=()
. "$(dirname "${BASH_SOURCE[0]}")/../lib/pktjourney_hooks.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/top_hooks.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/loopback.sh"
# Alike to pktjourney_sockperf.sh by design, its own tool, port and parser (docs/architecture.md).
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty programs on the same hooks|$TOOLS/floor $PJ_HOOKS'
	'empty programs on the hooks tracerhub top holds throughout (its own floor)|$TOOLS/floor $TOP_HOOKS'
	'tracerhub pktjourney|$TH pktjourney -j 1'
	'tracerhub pktjourney --sample 100|$TH pktjourney --sample 100 -j 1'
)

case_setup() { loopback_iperf3_server $PJ_IPERF_PORT "$TMP/pj_iperf3.pid"; }
case_teardown() { loopback_server_stop "$TMP/pj_iperf3.pid"; }
case_run() { loopback_iperf3 $PJ_IPERF_PORT "${PJ_IPERF_ARGS[@]}"; }
