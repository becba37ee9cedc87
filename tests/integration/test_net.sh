#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# netproc, tcpconnect and tcplife against a workload with exactly known counts between two
# network namespaces joined by veth (a client host and a server host), IPv4 and IPv6.
. "$(dirname "$0")/../lib.sh"

# The workload's exact counts, asserted below: alike in shape to other tests' by design.
CONNS=5	       # established connects
BYTES=70000    # sent on each
REFUSED=3      # connects to a closed port
DGRAMS=40      # UDP datagrams ...
DGRAM_SIZE=321 # ... of this size
PORT=5001
CLOSED_PORT=5003
UDP_PORT=5002

# Two namespaces joined by veth: NS_C (client, .1 / ::1) and NS_S (server, .2 / ::2).
setup_netns() {
	need_root || return
	command -v ip >/dev/null || skip "ip (iproute2) not installed" || return
	NS_C=thc$$ NS_S=ths$$
	trap 'ip netns del $NS_C 2>/dev/null; ip netns del $NS_S 2>/dev/null' EXIT
	ip netns add $NS_C && ip netns add $NS_S ||
		skip "cannot create network namespaces" || return
	ip link add vc$$ type veth peer name vs$$ || skip "cannot create a veth pair" || return
	ip link set vc$$ netns $NS_C && ip link set vs$$ netns $NS_S || return 1
	ip -n $NS_C addr add 10.213.0.1/24 dev vc$$ && ip -n $NS_S addr add 10.213.0.2/24 dev vs$$ &&
		ip -n $NS_C addr add fd00:213::1/64 dev vc$$ nodad &&
		ip -n $NS_S addr add fd00:213::2/64 dev vs$$ nodad &&
		ip -n $NS_C link set vc$$ up && ip -n $NS_S link set vs$$ up &&
		ip -n $NS_C link set lo up && ip -n $NS_S link set lo up || fail "veth setup" || return 1
}

# Run the workload to server address $1 under `tracerhub ARGS...`; JSON lines in $T_TMP/out.
# Sets CPID, SPID, UPID (client, TCP server, UDP server) and SADDR/CADDR.
traced_net_workload() {
	SADDR=$1 CADDR=${1%2}1
	shift
	ip netns exec $NS_S "$HELPERS/net_peer" tcp-server $SADDR $PORT $CONNS >"$T_TMP/tcp_srv" &
	SPID=$!
	ip netns exec $NS_S "$HELPERS/net_peer" udp-server $SADDR $UDP_PORT $DGRAMS >"$T_TMP/udp_srv" &
	UPID=$!
	ip netns exec $NS_C "$HELPERS/net_peer" client $SADDR $PORT $CONNS $BYTES $CLOSED_PORT \
		$REFUSED $UDP_PORT $DGRAMS $DGRAM_SIZE >"$T_TMP/client" &
	CPID=$!
	wait_for "$T_TMP/tcp_srv" listening && wait_for "$T_TMP/udp_srv" listening &&
		wait_for "$T_TMP/client" waiting || return 1
	th_start "$T_TMP/out" "$T_TMP/err" "$@" -p $CPID -p $SPID -p $UPID --summary -j 0.2 || return 1
	kill -USR1 $CPID
	wait $CPID || fail "client failed" || return 1
	wait $SPID || fail "TCP server failed" || return 1
	wait $UPID || fail "UDP server failed" || return 1
	sleep 0.3 # the last close events
	th_stop
}

# Sum of metric $2 of process $1 over all intervals.
proc_sum() {
	jq -s --argjson p "$1" --arg m "$2" '[.[].procs[]? | select(.pid == $p) | .[$m]] | add // 0' \
		"$T_TMP/out"
}

# TCP segments retransmitted in network namespace $1 (its own SNMP counters).
retrans_segs() {
	ip netns exec "$1" awk '$1 == "Tcp:" && !h {split($0, k); h = 1; next}
		$1 == "Tcp:" {for (i = 1; i <= NF; i++) if (k[i] == "RetransSegs") print $i}' /proc/net/snmp
}

expect_metric() {
	local pid=$1 m=$2 want=$3 got
	got=$(proc_sum "$pid" "$m")
	[ "$got" -eq "$want" ] || fail "pid $pid: $m is $got, expected $want"
}

check_netproc() {
	local got
	setup_netns || return
	traced_net_workload "$1" netproc || return 1
	expect_metric $CPID tcp_connects $((CONNS + REFUSED)) &&
		expect_metric $CPID tcp_tx_bytes $((CONNS * BYTES)) &&
		expect_metric $CPID tcp_rx_bytes 0 &&
		expect_metric $CPID tcp_resets $REFUSED &&
		expect_metric $CPID udp_tx_packets $DGRAMS &&
		expect_metric $CPID udp_tx_bytes $((DGRAMS * DGRAM_SIZE)) &&
		expect_metric $SPID tcp_accepts $CONNS &&
		expect_metric $SPID tcp_rx_bytes $((CONNS * BYTES)) &&
		expect_metric $SPID tcp_connects 0 &&
		expect_metric $UPID udp_rx_packets $DGRAMS &&
		expect_metric $UPID udp_rx_bytes $((DGRAMS * DGRAM_SIZE)) || return 1
	# retransmits (tail loss probes may happen) as each host's kernel counted them
	expect_metric $CPID tcp_retransmits "$(retrans_segs $NS_C)" &&
		expect_metric $SPID tcp_retransmits "$(retrans_segs $NS_S)" || return 1
	got=$(jq -s -r '[.[].procs[]? | .comm] | unique | join(",")' "$T_TMP/out")
	[ "$got" = "net_peer" ] || fail "comm '$got', expected net_peer" || return 1
	# the connect latency histogram of the client holds its established connects
	got=$(jq -s --arg l "pid=$CPID" '[.[].hists[]? | select(.name == "tcp_connect_latency" and
		.label == $l) | .count] | add // 0' "$T_TMP/out")
	[ "$got" -eq $CONNS ] || fail "latency histogram of the client holds $got, expected $CONNS" ||
		return 1
	got=$(jq -s '[.[].hists[]? | select(.name == "tcp_connect_latency" and .label == "") |
		.count] | add // 0' "$T_TMP/out")
	[ "$got" -eq $CONNS ] || fail "overall latency histogram holds $got, expected $CONNS"
}

test_netproc_ipv4() { check_netproc 10.213.0.2; }
test_netproc_ipv6() { check_netproc fd00:213::2; }

# tcpconnect: every connect (established and refused) and accept with its process, addresses,
# ports, and a latency no larger than what the client measured around connect().
check_tcpconnect() {
	local family=$2 got ev sport ns lat
	setup_netns || return
	traced_net_workload "$1" tcpconnect || return 1
	ev=$T_TMP/events
	jq -c 'select(.type == "event")' "$T_TMP/out" >"$ev"
	got=$(jq -s --argjson p $CPID --arg a $SADDR --arg c $CADDR --arg f $family \
		'[.[] | select(.pid == $p and .dir == "connect" and .result == "established" and
		.comm == "net_peer" and .daddr == $a and .saddr == $c and .dport == 5001 and
		.family == $f)] | length' "$ev")
	[ "$got" -eq $CONNS ] || fail "$got established connects, expected $CONNS" || return 1
	got=$(jq -s --argjson p $CPID '[.[] | select(.pid == $p and .result == "refused" and
		.dport == 5003 and .errno == 111)] | length' "$ev")
	[ "$got" -eq $REFUSED ] || fail "$got refused connects, expected $REFUSED" || return 1
	got=$(jq -s --argjson p $SPID --arg a $SADDR --arg c $CADDR '[.[] | select(.pid == $p and
		.dir == "accept" and .saddr == $a and .daddr == $c and .sport == 5001 and
		.latency_us > 0)] | length' "$ev")
	[ "$got" -eq $CONNS ] || fail "$got accepts, expected $CONNS" || return 1
	[ "$(wc -l <"$ev")" -eq $((2 * CONNS + REFUSED)) ] || fail "unexpected events:" ||
		{ cat "$ev" >&2; return 1; }
	while read -r sport ns; do
		lat=$(jq -s --argjson s "${sport#sport=}" '[.[] | select(.dir == "connect" and
			.sport == $s) | .latency_us] | first' "$ev")
		[ "$lat" -gt 0 ] && [ $((lat * 1000)) -le "${ns#ns=}" ] ||
			fail "connect from port ${sport#sport=}: latency ${lat} us, client measured ${ns#ns=} ns" ||
			return 1
	done < <(awk '$1 == "connect" {print $2, $3}' "$T_TMP/client")
}

test_tcpconnect_ipv4() { check_tcpconnect 10.213.0.2 ipv4; }
test_tcpconnect_ipv6() { check_tcpconnect fd00:213::2 ipv6; }

# tcplife: one close event per connection on each side, with exact data bytes.
check_tcplife() {
	local family=$2 got ev
	setup_netns || return
	traced_net_workload "$1" tcplife || return 1
	ev=$T_TMP/events
	jq -c 'select(.type == "event")' "$T_TMP/out" >"$ev"
	got=$(jq -s --argjson p $CPID --arg a $SADDR --arg f $family --argjson b $BYTES \
		'[.[] | select(.pid == $p and .dir == "connect" and .daddr == $a and .dport == 5001 and
		.family == $f and .tx_bytes == $b and .rx_bytes == 0 and .resets == 0 and
		.duration_us > 0)] | length' "$ev")
	[ "$got" -eq $CONNS ] || fail "$got client closes with $BYTES bytes sent, expected $CONNS" ||
		{ cat "$ev" >&2; return 1; }
	got=$(jq -s --argjson p $SPID --argjson b $BYTES '[.[] | select(.pid == $p and
		.dir == "accept" and .sport == 5001 and .rx_bytes == $b and .tx_bytes == 0)] | length' \
		"$ev")
	[ "$got" -eq $CONNS ] || fail "$got server closes with $BYTES bytes received, expected $CONNS" ||
		{ cat "$ev" >&2; return 1; }
	[ "$(wc -l <"$ev")" -eq $((2 * CONNS)) ] || fail "unexpected events:" || { cat "$ev" >&2; return 1; }
}

test_tcplife_ipv4() { check_tcplife 10.213.0.2 ipv4; }
test_tcplife_ipv6() { check_tcplife fd00:213::2 ipv6; }

# Connections accepted and closed with no send or receive still belong to their server (no hook
# on accept(): the close tells): the client closes half of them first, the server the others.
check_accept_then_close() {
	local tracer=$1 got
	setup_netns || return
	ip netns exec $NS_S "$HELPERS/net_peer" tcp-closer 10.213.0.2 $PORT $CONNS >"$T_TMP/srv" &
	SPID=$!
	wait_for "$T_TMP/srv" listening || return 1
	th_start "$T_TMP/out" "$T_TMP/err" $tracer -p $SPID --summary -j 0.2 || return 1
	ip netns exec $NS_C bash -c 'for ((i = 0; i < $1; i++)); do
		exec 3<>/dev/tcp/10.213.0.2/$2 || exit 1
		((i % 2)) && cat <&3
		exec 3<&-
	done' - $CONNS $PORT || fail "client failed" || return 1
	wait $SPID || fail "server failed" || return 1
	sleep 0.3
	th_stop || return 1
	if [ "$tracer" = netproc ]; then
		expect_metric $SPID tcp_accepts $CONNS
		return
	fi
	got=$(jq -s --argjson p $SPID '[.[] | select(.type == "event") | select(.pid == $p and .dir == "accept" and
		.comm == "net_peer" and .sport == 5001)] | length' "$T_TMP/out")
	[ "$got" -eq $CONNS ] || fail "$got accept events, expected $CONNS"
}

test_netproc_accept_then_close() { check_accept_then_close netproc; }
test_tcpconnect_accept_then_close() { check_accept_then_close tcpconnect; }

# Every rung counts the same (IPv4).
check_rung() {
	need_root || return
	need_rung "$1" || return
	TRACERHUB_RUNG=$1 check_netproc 10.213.0.2 || return 1
	got=$(jq -s -r '[.[].health[]? | .rung] | unique | join(",")' "$T_TMP/out")
	[ "$got" = "$1" ] || fail "attached via '$got', expected $1"
}

test_netproc_raw_tp() { check_rung raw_tp; }
test_netproc_tracepoint() { check_rung tracepoint; }

# Page faults: a helper touching K new pages shows at least K minor faults, and the same
# count as `perf stat -e minor-faults` within 2%.
test_netproc_page_faults() {
	local pages=20000 got perf
	need_root || return
	command -v perf >/dev/null || skip "perf not installed (package linux-perf)" || return
	perf stat -e minor-faults -x, -o "$T_TMP/probe" true 2>/dev/null &&
		grep -q '^[0-9]' "$T_TMP/probe" || skip "perf cannot count minor-faults here" || return
	th_start "$T_TMP/out" "$T_TMP/err" netproc -c net_faults --summary -j 0.2 || return 1
	grep -q "no .*page-fault counts" "$T_TMP/err" && skip "$(grep page-fault "$T_TMP/err")" && return
	perf stat -e minor-faults -x, -o "$T_TMP/perf" "$HELPERS/net_faults" $pages >/dev/null ||
		fail "net_faults failed" || return 1
	sleep 0.3
	th_stop || return 1
	perf=$(awk -F, '/minor-faults/ {print $1}' "$T_TMP/perf")
	got=$(jq -s '[.[].procs[]? | select(.comm == "net_faults") | .minor_faults] | add // 0' \
		"$T_TMP/out")
	[ "$got" -ge $pages ] || fail "$got minor faults, expected at least $pages" || return 1
	[ $((100 * (got > perf ? got - perf : perf - got))) -le $((2 * perf)) ] ||
		fail "$got minor faults, perf stat counted $perf (more than 2% apart)"
}

# A process that sent before its exec (a shell) keeps one row that takes its new name: what
# its new program sends is shown under that name, on whichever CPU it runs, by every tracer
# that counts per process ($1, whose metric $2 counts $3 per datagram of 64 bytes).
check_comm_after_exec() {
	local tracer=$1 metric=$2 per=$3 n=300 wpid got
	need_root || return
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs" || return
	th_start "$T_TMP/out" "$T_TMP/err" "$tracer" -j 0.3 || return 1
	taskset -c 0 bash -c "echo x >/dev/udp/127.0.0.1/9; sleep 0.5;
		exec taskset -c 1 $HELPERS/pkt_udp send 127.0.0.1 9 $n 64 0" >/dev/null &
	wpid=$!
	wait $wpid || fail "the workload failed" || return 1
	sleep 0.5
	th_stop || return 1
	got=$(jq -s -r --argjson p $wpid --arg m "$metric" '[.[].procs[]? |
		select(.pid == $p and .[$m] > 2) | .comm] | unique | join(",")' "$T_TMP/out")
	[ "$got" = "pkt_udp" ] || fail "$tracer: what was sent after the exec is under '$got'" ||
		return 1
	got=$(jq -s --argjson p $wpid --arg m "$metric" '[.[].procs[]? | select(.pid == $p) |
		.[$m]] | add' "$T_TMP/out")
	[ "$got" -ge $((n * per)) ] || fail "$tracer: $metric is $got, expected at least $((n * per))"
}

test_netproc_comm_after_exec() { check_comm_after_exec netproc udp_tx_packets 1; }
test_pktjourney_comm_after_exec() { check_comm_after_exec pktjourney pkt_tx_bytes 64; }

# Bad options: one line, exit 2.
test_net_bad_options() {
	local out rc
	for args in "tcpconnect --port 0" "tcpconnect --port 70000" "tcpconnect --min-ms -1" \
		"tcpconnect --min-ms x" "tcplife -4 -6" "tcplife --min-ms 1" "netproc -4"; do
		out=$("$TH" $args 2>&1)
		rc=$?
		[ $rc -eq 2 ] || fail "'$args' exited $rc, expected 2" || return 1
		[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "'$args' printed: $out" || return 1
	done
}

run_tests
