# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# TCP bulk throughput over loopback (iperf3, 3 s) with and without tracerhub netproc; the
# issue's target is >= 98% retained. Server and client share the workload CPU.
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

case_setup() {
	command -v iperf3 >/dev/null || { echo "iperf3 not installed (scripts/deps.sh bench)" >&2; return 2; }
	taskset -c "$WORK_CPU" iperf3 -s -p $NETPROC_TCP_PORT >/dev/null 2>&1 &
	NETPROC_IPERF_PID=$!
	sleep 0.5
	kill -0 $NETPROC_IPERF_PID 2>/dev/null || { echo "iperf3 server did not start" >&2; return 2; }
}

case_teardown() {
	kill $NETPROC_IPERF_PID 2>/dev/null
	wait $NETPROC_IPERF_PID 2>/dev/null
}

case_run() {
	iperf3 -c 127.0.0.1 -p $NETPROC_TCP_PORT -t "$((QUICK ? 1 : 3))" -J |
		jq '.end.sum_received.bits_per_second / 1e9'
}
