# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Loopback UDP small packets (sockperf throughput, 64 B) with pktjourney following every packet
# or 1 in 100. Target: >= 90% of baseline with all packets, >= 98% with --sample 100. The floor:
# empty programs on the tracepoints pktjourney attaches, what any tracer on them costs. top's
# own floor: empty programs on the hooks `tracerhub top` holds throughout, the most top can keep.
CASE_TITLE='loopback UDP 64 B messages: sockperf tp'
CASE_UNIT='msg/s'
CASE_TOP_TARGET='retained 0.90'
PJ_SOCKPERF_PORT=11291
. "$(dirname "${BASH_SOURCE[0]}")/../lib/pktjourney_hooks.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/top_hooks.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../lib/loopback.sh"
# Alike to pktjourney_iperf3.sh by design, its own tool, port and parser (docs/architecture.md).
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty programs on the same hooks|$TOOLS/floor $PJ_HOOKS'
	'empty programs on the hooks tracerhub top holds throughout (its own floor)|$TOOLS/floor $TOP_HOOKS'
	'tracerhub pktjourney|$TH pktjourney -j 1'
	'tracerhub pktjourney --sample 100|$TH pktjourney --sample 100 -j 1'
)

case_setup() { loopback_sockperf_server $PJ_SOCKPERF_PORT "$TMP/pj_sockperf.pid"; }
case_teardown() { loopback_server_stop "$TMP/pj_sockperf.pid"; }
case_run() { loopback_sockperf $PJ_SOCKPERF_PORT; }
