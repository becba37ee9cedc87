# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Loopback TCP throughput (iperf3, default 128 KiB writes) with pktjourney following every packet
# or 1 in 100. Target: >= 90% of baseline with all packets, >= 98% with --sample 100. The floor:
# empty programs on the tracepoints pktjourney attaches, what any tracer on them costs.
CASE_TITLE='loopback TCP throughput: iperf3 -c 127.0.0.1'
CASE_UNIT='Gbit/s'
CASE_TOP_TARGET='retained 0.97'
PJ_IPERF_PORT=5291
PJ_IPERF_ARGS=()
. "$(dirname "${BASH_SOURCE[0]}")/../lib/pktjourney_hooks.sh"
# Alike to pktjourney_sockperf.sh by design, its own tool, port and parser (docs/architecture.md).
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty programs on the same hooks|$TOOLS/floor $PJ_HOOKS'
	'tracerhub pktjourney|$TH pktjourney -j 1'
	'tracerhub pktjourney --sample 100|$TH pktjourney --sample 100 -j 1'
)

case_setup() {
	command -v iperf3 >/dev/null || { echo "iperf3 missing (scripts/deps.sh bench)" >&2; return 2; }
	taskset -c "$WORK_CPU" iperf3 -s -p $PJ_IPERF_PORT -D -I "$TMP/pj_iperf3.pid" || return 2
	sleep 0.3
}

case_teardown() { kill "$(cat "$TMP/pj_iperf3.pid")" 2>/dev/null; }

case_run() {
	iperf3 -c 127.0.0.1 -p $PJ_IPERF_PORT -t "$((QUICK ? 1 : 3))" -J "${PJ_IPERF_ARGS[@]}" |
		jq '.end.sum_received.bits_per_second / 1e9'
}
