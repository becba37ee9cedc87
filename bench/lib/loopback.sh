# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The loopback throughput workloads of the bench cases (iperf3 TCP, sockperf UDP), in one setup
# so that every case measures them alike; why this setup: bench/README.md, "Throughput cases".
# Server and client both run on the workload CPU (what a user's client and server on one busy
# CPU see, and the tracer's user side keeps the other CPU); iperf3 runs LOOPBACK_SECONDS after
# a first second it leaves out (connection set-up, slow start, buffer growth); sockperf sends
# its own warm-up messages before it measures. --quick runs: 1 s, nothing left out.
LOOPBACK_SECONDS=$((QUICK ? 1 : 5))
LOOPBACK_OMIT=$((QUICK ? 0 : 1))

# Start an iperf3 server on port $1 on the workload CPU, its pid in file $2; 2 if it cannot.
loopback_iperf3_server() {
	command -v iperf3 >/dev/null || { echo "iperf3 missing (scripts/deps.sh bench)" >&2; return 2; }
	taskset -c "$WORK_CPU" iperf3 -s -p "$1" -D -I "$2" || return 2
	sleep 0.3
}

# One iperf3 run to port $1 (extra client arguments after it): Gbit/s received.
loopback_iperf3() {
	local port=$1
	shift
	iperf3 -c 127.0.0.1 -p "$port" -t "$LOOPBACK_SECONDS" -O "$LOOPBACK_OMIT" -J "$@" |
		jq '.end.sum_received.bits_per_second / 1e9'
}

# Start a sockperf server on port $1 on the workload CPU, its pid in file $2; 2 if it cannot.
loopback_sockperf_server() {
	command -v sockperf >/dev/null || { echo "sockperf missing (scripts/deps.sh bench)" >&2; return 2; }
	taskset -c "$WORK_CPU" sockperf server -i 127.0.0.1 -p "$1" >/dev/null 2>&1 &
	echo $! >"$2"
	sleep 0.5
	kill -0 "$(cat "$2")" 2>/dev/null || { echo "sockperf server did not start" >&2; return 2; }
}

# One sockperf throughput run of 64-byte messages to port $1: messages per second sent.
loopback_sockperf() {
	sockperf throughput -i 127.0.0.1 -p "$1" -m 64 -t "$LOOPBACK_SECONDS" 2>&1 |
		sed -n 's/.*Message Rate is \([0-9]*\) \[msg\/sec\].*/\1/p' | tail -1
}

# Stop the server whose pid is in file $1.
loopback_server_stop() { kill "$(cat "$1")" 2>/dev/null; }
