# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Small UDP datagrams over loopback (sockperf throughput, 64 bytes, 3 s) with and without
# tracerhub netproc; the target is >= 95% of packets per second retained.
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

case_setup() {
	command -v sockperf >/dev/null || { echo "sockperf not installed (scripts/deps.sh bench)" >&2; return 2; }
	taskset -c "$WORK_CPU" sockperf server -i 127.0.0.1 -p $NETPROC_UDP_PORT >/dev/null 2>&1 &
	NETPROC_SOCKPERF_PID=$!
	sleep 0.5
	kill -0 $NETPROC_SOCKPERF_PID 2>/dev/null || { echo "sockperf server did not start" >&2; return 2; }
}

case_teardown() {
	kill $NETPROC_SOCKPERF_PID 2>/dev/null
	wait $NETPROC_SOCKPERF_PID 2>/dev/null
}

case_run() {
	sockperf throughput -i 127.0.0.1 -p $NETPROC_UDP_PORT -m 64 -t "$((QUICK ? 1 : 3))" 2>&1 |
		sed -n 's/.*Message Rate is \([0-9]*\) \[msg\/sec\].*/\1/p' | tail -1
}
