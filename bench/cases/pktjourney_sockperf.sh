# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Loopback UDP small packets (sockperf throughput, 64 B) with pktjourney following every packet
# or 1 in 100. Target: >= 90% of baseline with all packets, >= 98% with --sample 100. The floor:
# empty programs on the tracepoints pktjourney attaches, what any tracer on them costs.
CASE_TITLE='loopback UDP 64 B messages: sockperf tp'
CASE_UNIT='msg/s'
CASE_TOP_TARGET='retained 0.90'
PJ_SOCKPERF_PORT=11291
. "$(dirname "${BASH_SOURCE[0]}")/../lib/pktjourney_hooks.sh"
# Alike to pktjourney_iperf3.sh by design, its own tool, port and parser (docs/architecture.md).
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty programs on the same hooks|$TOOLS/floor $PJ_HOOKS'
	'tracerhub pktjourney|$TH pktjourney -j 1'
	'tracerhub pktjourney --sample 100|$TH pktjourney --sample 100 -j 1'
)

case_setup() {
	command -v sockperf >/dev/null || { echo "sockperf missing (scripts/deps.sh bench)" >&2; return 2; }
	taskset -c "$WORK_CPU" sockperf sr -i 127.0.0.1 -p $PJ_SOCKPERF_PORT >/dev/null 2>&1 &
	echo $! >"$TMP/pj_sockperf.pid"
	sleep 0.5
}

case_teardown() { kill "$(cat "$TMP/pj_sockperf.pid")" 2>/dev/null; }

case_run() {
	sockperf tp -i 127.0.0.1 -p $PJ_SOCKPERF_PORT -m 64 -t "$((QUICK ? 1 : 3))" 2>&1 |
		sed -n 's/.*Message Rate is \([0-9]*\) \[msg\/sec\].*/\1/p' | tail -1
}
