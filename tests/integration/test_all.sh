#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Every tracer at once, as `tracerhub top` runs them (one BPF program per hook, shared by all):
# each tracer still reports the exact counts of the workloads we generate, on every rung, and
# each tracepoint is attached once.
. "$(dirname "$0")/../lib.sh"

READS=4321
READ_SIZE=64
WRITES=321
WRITE_SIZE=4096
CHILDREN=12 # proc_spawn exec N: N children exec'd and exited
CONNS=4
BYTES=50000
REFUSED=2
DGRAMS=30
DGRAM_SIZE=123
PORT=5001
CLOSED_PORT=5003
UDP_PORT=5002

setup_netns() {
	NS_C=thac$$ NS_S=thas$$
	trap 'ip netns del $NS_C 2>/dev/null; ip netns del $NS_S 2>/dev/null' EXIT
	ip netns add $NS_C && ip netns add $NS_S || skip "cannot create network namespaces" || return
	ip link add vac$$ type veth peer name vas$$ || skip "cannot create a veth pair" || return
	ip link set vac$$ netns $NS_C && ip link set vas$$ netns $NS_S &&
		ip -n $NS_C addr add 10.214.0.1/24 dev vac$$ &&
		ip -n $NS_S addr add 10.214.0.2/24 dev vas$$ &&
		ip -n $NS_C link set vac$$ up && ip -n $NS_S link set vas$$ up &&
		ip -n $NS_C link set lo up && ip -n $NS_S link set lo up || fail "veth setup"
}

# Sum of metric $2 of process $1 over all intervals.
proc_sum() {
	jq -s --argjson p "$1" --arg m "$2" \
		'[.[] | select(.type == "interval") | .procs[] | select(.pid == $p) | .[$m]] | add // 0' \
		"$T_TMP/out"
}

# The events of $T_TMP/out whose pid (or field $3) is $1 and that match jq condition $2.
events_where() {
	jq -s --argjson p "$1" "[.[] | select(.type == \"event\") | select(.${3:-pid} == \$p) |
		select($2)] | length" "$T_TMP/out"
}

expect() {
	local what=$1 got=$2 want=$3
	[ "$got" -eq "$want" ] || fail "$RUNG: $what is $got, expected $want"
}

check_all() {
	local wpid spawn cpid spid upid got hooks
	RUNG=$1
	need_root || return
	need_rung "$RUNG" || return
	command -v ip >/dev/null || skip "ip (iproute2) not installed" || return
	setup_netns || return
	ip netns exec $NS_S "$HELPERS/net_peer" tcp-server 10.214.0.2 $PORT $CONNS >"$T_TMP/tcp" &
	spid=$!
	ip netns exec $NS_S "$HELPERS/net_peer" udp-server 10.214.0.2 $UDP_PORT $DGRAMS >"$T_TMP/udp" &
	upid=$!
	ip netns exec $NS_C "$HELPERS/net_peer" client 10.214.0.2 $PORT $CONNS $BYTES $CLOSED_PORT \
		$REFUSED $UDP_PORT $DGRAMS $DGRAM_SIZE >"$T_TMP/client" &
	cpid=$!
	"$HELPERS/syscall_workload" $READS $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/file" 0 &
	wpid=$!
	wait_for "$T_TMP/tcp" listening && wait_for "$T_TMP/udp" listening &&
		wait_for "$T_TMP/client" waiting || return 1
	th_start "$T_TMP/out" "$T_TMP/err" top --rung "$RUNG" -j 0.3 || return 1
	grep -q 'left out\|skipped' "$T_TMP/err" && { fail "$RUNG: not every tracer ran:" ||
		{ cat "$T_TMP/err" >&2; return 1; }; }
	# each tracepoint once: those tracerhub's programs are on (bpftool perf names raw and
	# classic ones on every kernel; a link's tp_name in fdinfo is recent)
	hooks=$(bpftool perf show -j 2>/dev/null | jq -r --argjson p "$TH_PID" \
		'.[] | select(.pid == $p and .tracepoint != null) | .tracepoint' | sort)
	# the hooks of every kernel we support (others come and go with the kernel's version, and
	# pktjourney's with its sampling windows)
	for got in sys_exit sched_process_exec sched_process_exit task_newtask block_rq_issue \
		block_rq_complete inet_sock_set_state tcp_retransmit_skb kfree_skb; do
		echo "$hooks" | grep -qx "$got" || fail "$RUNG: no $got among '$hooks'" || return 1
	done
	got=$(echo "$hooks" | uniq -d)
	[ -z "$got" ] || fail "$RUNG: tracepoints attached more than once: $got" || return 1
	kill -USR1 $wpid $cpid
	"$HELPERS/proc_spawn" exec $CHILDREN &
	spawn=$!
	wait $wpid || fail "syscall workload failed" || return 1
	wait $cpid && wait $spid && wait $upid || fail "network workload failed" || return 1
	wait $spawn || fail "proc_spawn failed" || return 1
	sleep 0.7 # the last events and close records
	th_stop || return 1
	got=$(jq -s -r '[.[] | select(.type == "interval") | .health[] | .rung] | unique |
		join(",")' "$T_TMP/out")
	[ "$got" = "$RUNG" ] || fail "attached via '$got', expected $RUNG" || return 1
	# io and syscalls share sys_exit: both exact
	expect "io read_ops" "$(proc_sum $wpid read_ops)" $READS &&
		expect "io read_bytes" "$(proc_sum $wpid read_bytes)" $((READS * READ_SIZE)) &&
		expect "io write_ops" "$(proc_sum $wpid write_ops)" $WRITES &&
		expect "io write_bytes" "$(proc_sum $wpid write_bytes)" $((WRITES * WRITE_SIZE)) ||
		return 1
	got=$(proc_sum $wpid syscalls)
	[ "$got" -ge $((READS + WRITES)) ] && [ "$got" -lt $((READS + WRITES + 200)) ] ||
		fail "$RUNG: syscalls of the workload $got, expected $((READS + WRITES)) + a few" ||
		return 1
	# netproc, tcpconnect and tcplife share one network engine
	expect "netproc tcp_connects" "$(proc_sum $cpid tcp_connects)" $((CONNS + REFUSED)) &&
		expect "netproc tcp_tx_bytes" "$(proc_sum $cpid tcp_tx_bytes)" $((CONNS * BYTES)) &&
		expect "netproc udp_tx_packets" "$(proc_sum $cpid udp_tx_packets)" $DGRAMS &&
		expect "netproc udp_rx_bytes" "$(proc_sum $upid udp_rx_bytes)" \
			$((DGRAMS * DGRAM_SIZE)) &&
		expect "netproc tcp_accepts" "$(proc_sum $spid tcp_accepts)" $CONNS || return 1
	expect "tcpconnect established connects" "$(events_where $cpid '.tracer == "tcpconnect" and
		.dir == "connect" and .result == "established"')" $CONNS &&
		expect "tcpconnect accepts" "$(events_where $spid '.tracer == "tcpconnect" and
			.dir == "accept"')" $CONNS &&
		expect "tcplife closes" "$(events_where $cpid '.tracer == "tcplife" and
			.tx_bytes == '$BYTES)" $CONNS || return 1
	expect "exec records" "$(events_where $spawn '.tracer == "exec" and .event == "exec"' ppid)" \
		$CHILDREN &&
		expect "exit records" "$(events_where $spawn '.tracer == "exec" and .event == "exit"' ppid)" \
			$CHILDREN
}

test_all_tracers_tp_btf() { check_all tp_btf; }
test_all_tracers_raw_tp() { check_all raw_tp; }
test_all_tracers_tracepoint() { check_all tracepoint; }

run_tests
