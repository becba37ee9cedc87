#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# pktjourney follows exactly the packets of workloads we control, over loopback and over a veth
# pair between two network namespaces: complete journeys to the process that read them, stages in
# order, sender and reader exact, drops counted exactly under the kernel's reason.
. "$(dirname "$0")/../lib.sh"

N=200
# Ports of our own, so that other traffic on this machine is filtered out in kernel.
UDP_PORT=$((20000 + RANDOM % 5000))
TCP_PORT=$((UDP_PORT + 5000))
NS_A=thpj-a-$$
NS_B=thpj-b-$$

# tracerhub pktjourney in the background, JSON lines in $T_TMP/out.
pj_start() { th_start "$T_TMP/out" "$T_TMP/err" pktjourney --summary -j 0.3 "$@"; }

# Two namespaces joined by a veth pair: $NS_A 10.77.0.1 <-> $NS_B 10.77.0.2.
veth_up() {
	command -v ip >/dev/null || skip "ip (iproute2) missing" || return
	ip netns add "$NS_A" && ip netns add "$NS_B" || skip "cannot create network namespaces" || return
	ip link add pja0 netns "$NS_A" type veth peer name pjb0 netns "$NS_B" ||
		skip "cannot create a veth pair" || return
	ip -n "$NS_A" addr add 10.77.0.1/24 dev pja0 && ip -n "$NS_B" addr add 10.77.0.2/24 dev pjb0 &&
		ip -n "$NS_A" link set pja0 up && ip -n "$NS_B" link set pjb0 up &&
		ip -n "$NS_A" link set lo up && ip -n "$NS_B" link set lo up || fail "veth setup" || return 1
	trap veth_down EXIT
}

veth_down() {
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_B" 2>/dev/null
}

# Journeys of the traced packets to port $1 with at least $2 bytes, as JSON lines in time order.
journeys() {
	jq -c --argjson p "$1" --argjson l "$2" \
		'select(.type == "event") | select(.tracer == "pktjourney") | select(.flow | endswith(":\($p)")) | select(.len_B >= $l)' \
		"$T_TMP/out" | jq -s -c 'sort_by(.ts_ns) | .[]'
}

# Check journeys ($T_TMP/j) against the workload's send/receive times ($T_TMP/w: "S i ns",
# "R i ns"): count, stages present and in order, and the time up to stage $1 (the last stage
# before the data reaches the application) no longer than send() to recv().
check_journeys() {
	local last=$1 stages=$2 fates=${3:-delivered} got
	got=$(wc -l <"$T_TMP/j")
	[ "$got" -eq $N ] || fail "$got journeys, expected $N" || return 1
	# every stage present, in this order (times from the first stage, never negative)
	jq -c --arg st "$stages" --arg f "$fates" '
		($st | split(",")) as $want | . as $j |
		select(([$want[] | $j[. + "_ns"]] | any(. == null)) or
			([$want[] | $j[. + "_ns"]] as $t | [range(1; $t | length) | $t[.] >= $t[. - 1]] |
				all | not) or
			(.fate as $x | $f | split(",") | index($x) | not))' "$T_TMP/j" >"$T_TMP/bad"
	[ -s "$T_TMP/bad" ] && { fail "$(wc -l <"$T_TMP/bad") journey(s) miss one of the stages" \
		"$stages, have them out of order or ended other than $fates, e.g.:"
		head -3 "$T_TMP/bad" >&2; return 1; }
	got=$(jq -s '[.[] | select(.fate == "delivered")] | length' "$T_TMP/j")
	[ $((got * 10)) -ge $((N * 9)) ] || fail "only $got of $N journeys delivered" || return 1
	# i-th journey against the i-th message: stage sum <= end to end
	paste <(jq -r --arg l "$last" '.[$l + "_ns"]' "$T_TMP/j") \
		<(awk '$1 == "S" { s[$2] = $3 } $1 == "R" { print $3 - s[$2] }' "$T_TMP/w") |
		awk '{ n++; if ($1 > $2) { bad++; print "journey " n ": " $1 " ns in the stack > " $2 " ns end to end" } }
		     END { exit bad > 0 || n == 0 }' >&2 || fail "stage times add up to more than the end-to-end time"
}

# Every journey of $T_TMP/j sent by pid $1 and read by pid $2, both named $3.
check_ends() {
	jq -s -e --argjson s "$1" --argjson r "$2" --arg c "$3" \
		'all(.[]; .snd_pid == $s and .rcv_pid == $r and .pid == $r and .snd_comm == $c and
			.rcv_comm == $c and .comm == $c)' "$T_TMP/j" >/dev/null ||
		{ fail "sender/reader not $3 $1/$2:"; jq -c '[.snd_pid, .snd_comm, .rcv_pid, .rcv_comm]' "$T_TMP/j" | sort | uniq -c | head -3 >&2; return 1; }
}

# UDP: N datagrams one at a time from $1 to $2 (command prefixes for each side), to address $3.
# Sets SPID and RPID, the sender's and the receiver's pids (ip netns exec execs the command).
udp_run() {
	local snd=$1 rcv=$2 addr=$3
	$rcv "$HELPERS/pkt_udp" recv "$addr" $UDP_PORT 0 0 $N >"$T_TMP/r" &
	RPID=$!
	wait_for "$T_TMP/r" ready || return 1
	$snd "$HELPERS/pkt_udp" send "$addr" $UDP_PORT $N 200 300 >"$T_TMP/s" &
	SPID=$!
	wait $SPID || fail "sender failed" || return 1
	wait $RPID
	grep -q "^received $N$" "$T_TMP/r" || fail "receiver: $(tail -1 "$T_TMP/r")" || return 1
	cat "$T_TMP/s" "$T_TMP/r" >"$T_TMP/w"
	sleep 0.5
}

# TCP: N messages of 1000 bytes, ping-pong.
tcp_run() {
	local cli=$1 srv=$2 addr=$3
	$srv "$HELPERS/pkt_tcp" server "$addr" $TCP_PORT $N 1000 >"$T_TMP/r" &
	local spid=$!
	wait_for "$T_TMP/r" ready || return 1
	$cli "$HELPERS/pkt_tcp" client "$addr" $TCP_PORT $N 1000 >"$T_TMP/w" || fail "client failed" || return 1
	wait $spid || fail "server: $(tail -1 "$T_TMP/r")" || return 1
	sleep 0.5
}

# TCP: a stream of $4 bytes from $1 to $2 (command prefixes), to address $3, read to the end
# once all is queued (a reader inside recv() while segments come makes TCP queue them to the
# socket's backlog, where it may merge one into the one before it without a tracepoint: such a
# segment ends delivered only if its address comes back within --max-age, else unknown).
# Sets SPID and RPID.
tcp_stream() {
	local cli=$1 srv=$2 addr=$3 bytes=$4
	$srv "$HELPERS/pkt_tcp" sink "$addr" $TCP_PORT 500 65536 >"$T_TMP/r" &
	RPID=$!
	wait_for "$T_TMP/r" ready || return 1
	$cli "$HELPERS/pkt_tcp" stream "$addr" $TCP_PORT "$bytes" 1400 >"$T_TMP/s" &
	SPID=$!
	wait $SPID || fail "client: $(cat "$T_TMP/s")" || return 1
	wait $RPID
	grep -q "^read $bytes$" "$T_TMP/r" || fail "sink: $(tail -1 "$T_TMP/r")" || return 1
	sleep 0.5
}

# The stream's journeys toward the sink: every one delivered (a GSO skb freed once segmented is
# freed without a drop), those
# that reached the socket read by the sink, sent by the client (GSO segments made in softirq
# have no sender); nothing unknown.
check_stream() {
	jq -c --argjson p $TCP_PORT 'select(.type == "event" and .tracer == "pktjourney") |
		select(.flow | endswith(":\($p)")) | select(.len_B > 66)' "$T_TMP/out" >"$T_TMP/all"
	# a spurious retransmission (a tail loss probe) is dropped as old data: a true fate too
	jq -s -e 'length > 0 and all(.[]; .fate == "delivered" or .reason == "TCP_OLD_DATA")' \
		"$T_TMP/all" >/dev/null ||
		{ fail "a segment not delivered:"; jq -c 'select(.fate != "delivered")' "$T_TMP/all" | head -3 >&2; return 1; }
	jq -c 'select(.sockq_ns != null)' "$T_TMP/all" >"$T_TMP/j"
	jq -s -e --argjson s $SPID --argjson r $RPID 'length > 0 and
		all(.[]; .read_ns != null and .rcv_pid == $r and .rcv_comm == "pkt_tcp" and
			(.snd_pid == $s or .snd_pid == 0)) and any(.[]; .snd_pid == $s and .snd_comm == "pkt_tcp")' \
		"$T_TMP/j" >/dev/null ||
		{ fail "a segment queued to the socket not read by $RPID or not sent by $SPID:"; jq -c 'select(.read_ns == null or .rcv_pid != '$RPID')' "$T_TMP/j" | head -3 >&2; return 1; }
	[ "$(table_sum pkt_journeys journeys all unknown)" -eq 0 ] || fail "unknown journeys"
}

# Sum of a table column over all intervals: table $1, key column $2 = $3, column $4.
table_sum() {
	jq -s --arg t "$1" --arg k "$2" --arg v "$3" --arg c "$4" \
		'[.[].tables[]? | select(.name == $t) | .rows[] | select(.[$k] == $v) | .[$c]] | add // 0' "$T_TMP/out"
}

# The journeys table over the run: delivered and read N, nothing unknown, dropped or cut.
check_all_read() {
	local c
	for c in started delivered read; do
		[ "$(table_sum pkt_journeys journeys all $c)" -eq $N ] ||
			fail "$c: $(table_sum pkt_journeys journeys all $c), expected $N" || return 1
	done
	for c in dropped unknown cut; do
		[ "$(table_sum pkt_journeys journeys all $c)" -eq 0 ] ||
			fail "$c: $(table_sum pkt_journeys journeys all $c), expected 0" || return 1
	done
}

# UDP journeys traced and checked: udp_run's arguments.
udp_test() {
	pj_start --port $UDP_PORT --packets --max-age 300 || return 1
	udp_run "$@" || return 1
	th_stop || return 1
	journeys $UDP_PORT 0 >"$T_TMP/j"
	check_journeys read queue,start,rx,recv,sockq,read || return 1
	check_ends $SPID $RPID pkt_udp || return 1
	check_all_read
}

test_udp_loopback() {
	need_root || return
	udp_test "" "" 127.0.0.1 || return 1
	[ "$(table_sum pkt_stage_latency stages "queue->start" count)" -eq $N ] ||
		fail "queue->start counted $(table_sum pkt_stage_latency stages "queue->start" count), expected $N"
}

# Stage pairs in path order in every interval's table and histograms: transmit stages, then
# receive ones (each interval's pairs, in the order of the path; none unknown to it).
test_path_order() {
	local path='["queue->start","start->xmit","start->rx","rx->recv","recv->sockq","sockq->read"]'
	need_root || return
	pj_start --port $UDP_PORT --max-age 300 || return 1
	udp_run "" "" 127.0.0.1 || return 1
	th_stop || return 1
	jq -s -e --argjson p "$path" '
		def ordered: map(. as $x | $p | index($x)) | all(. != null) and . == sort;
		[.[] | select(.type == "interval")] |
		all(.[]; ([.tables[]? | select(.name == "pkt_stage_latency") | .rows[].stages] | ordered) and
			([.hists[]? | select(.name == "pkt_stage_latency") | .label | capture("stage=(?<s>[^,]*)").s] |
			 ordered))' "$T_TMP/out" >/dev/null ||
		fail "stage pairs out of path order: $(jq -c -s '[.[].tables[]? | select(.name == "pkt_stage_latency") | .rows | map(.stages)]' "$T_TMP/out")"
}

# A stream of 40000 bytes traced and checked: tcp_stream's arguments but the size.
stream_test() {
	pj_start --port $TCP_PORT --packets || return 1
	tcp_stream "$1" "$2" "$3" 40000 || return 1
	th_stop || return 1
	check_stream
}

test_tcp_stream_loopback() {
	need_root || return
	stream_test "" "" 127.0.0.1
}

test_tcp_stream_veth() {
	need_root || return
	veth_up || return
	stream_test "ip netns exec $NS_A" "ip netns exec $NS_B" 10.77.0.2
}

# The stages of a TCP journey on this kernel, for check_journeys ("LAST STAGES"): send needs
# tcp:tcp_sendmsg_locked, sockq and read sock:sk_data_ready and sock:sock_recv_length; 6.1 and
# 6.12 lack some of them, and doctor names what pktjourney lacks.
# TCP journeys' last stage, their stages and the fates they may end with, on this kernel. Without
# the read stages (6.1) a segment read ends when its address comes back (the kernel frees it
# without a tracepoint there): one not seen again within --max-age (a slow, emulated CPU) is
# "unknown", which is the truth; most must still end delivered (check_journeys).
tcp_stages() {
	local lacks s=send,queue,start,rx,recv,tcp,sockq,read last=read fates=delivered
	lacks=$(doctor_json | jq -r '.tracers.pktjourney.lacks // ""')
	[[ $lacks == *tcp_sendmsg_locked* ]] && s=${s#send,}
	[[ $lacks == *sk_data_ready* || $lacks == *sock_recv_length* ]] &&
		s=${s%,sockq,read} last=tcp fates=delivered,unknown
	echo "$last $s $fates"
}

# TCP journeys traced and checked: tcp_run's arguments.
tcp_test() {
	pj_start --port $TCP_PORT --packets --max-age 300 || return 1
	tcp_run "$@" || return 1
	th_stop || return 1
	journeys $TCP_PORT 1000 >"$T_TMP/j"
	# shellcheck disable=SC2046 # three words: the last stage, the stages, the fates
	check_journeys $(tcp_stages)
}

test_tcp_loopback() {
	need_root || return
	tcp_test "" "" 127.0.0.1
}

test_udp_veth() {
	need_root || return
	veth_up || return
	udp_test "ip netns exec $NS_A" "ip netns exec $NS_B" 10.77.0.2 || return 1
	# the transmit side on pja0, the receive side on pjb0
	jq -e -s '[.[].hists[]? | select(.name == "pkt_stage_latency") | .label] |
		any(test("stage=start->rx,dev=pjb0,proto=udp")) and any(test("stage=queue->start,dev=pja0,proto=udp"))' \
		"$T_TMP/out" >/dev/null || fail "no per-device histograms for pja0/pjb0"
}

test_tcp_veth() {
	need_root || return
	veth_up || return
	tcp_test "ip netns exec $NS_A" "ip netns exec $NS_B" 10.77.0.2
}

# COUNT datagrams of SIZE bytes on loopback, GAP_US apart, to a receiver with buffer RCVBUF that
# holds off reading for HOLD_MS (its output in $T_TMP/r); then, after SETTLE s, tracerhub
# stopped: udp_burst RCVBUF HOLD_MS COUNT SIZE GAP_US SETTLE.
udp_burst() {
	local rpid
	"$HELPERS/pkt_udp" recv 127.0.0.1 $UDP_PORT "$1" "$2" "$3" >"$T_TMP/r" &
	rpid=$!
	wait_for "$T_TMP/r" ready || return 1
	"$HELPERS/pkt_udp" send 127.0.0.1 $UDP_PORT "$3" "$4" "$5" >/dev/null || fail "sender failed" ||
		return 1
	wait $rpid
	sleep "$6"
	th_stop
}

# A receiver with a tiny buffer that does not read: every datagram it misses is a drop, counted
# under the kernel's reason.
test_drops_rcvbuf() {
	local sent=2000 got drops all
	need_root || return
	pj_start --port $UDP_PORT || return 1
	udp_burst 2048 1500 $sent 200 0 0.5 || return 1
	got=$(sed -n 's/^received //p' "$T_TMP/r")
	[ "$got" -gt 0 ] && [ "$got" -lt $sent ] || fail "received $got of $sent: no drops to count" || return 1
	drops=$(table_sum pkt_drops reason SOCKET_RCVBUFF count)
	all=$(jq -s '[.[].tables[]? | select(.name == "pkt_drops") | .rows[].count] | add // 0' "$T_TMP/out")
	[ "$drops" -eq $((sent - got)) ] ||
		fail "SOCKET_RCVBUFF drops $drops (all reasons $all), expected sent - received = $((sent - got))" || return 1
	[ "$all" -eq "$drops" ] || fail "drops under other reasons: $all in all" || return 1
	# every datagram's journey ends: read, or dropped (the ones the application missed)
	[ "$(table_sum pkt_journeys journeys all dropped)" -eq $((sent - got)) ] ||
		fail "journeys dropped: $(table_sum pkt_journeys journeys all dropped), expected $((sent - got))" || return 1
	[ "$(table_sum pkt_journeys journeys all read)" -eq "$got" ] ||
		fail "journeys read: $(table_sum pkt_journeys journeys all read), expected $got" || return 1
	[ "$(table_sum pkt_journeys journeys all unknown)" -eq 0 ] || fail "unknown journeys"
}

# --sample: journeys in flight when a window closes are counted as cut, never unknown or lost; a
# receiver that reads only after 1.5 s leaves every datagram of a window queued at its end.
test_sample_cut() {
	local started ended cut
	need_root || return
	pj_start --port $UDP_PORT --sample 5 --max-age 300 || return 1
	udp_burst 4194304 1500 4000 64 300 1.5 || return 1
	started=$(table_sum pkt_journeys journeys all started)
	cut=$(table_sum pkt_journeys journeys all cut)
	ended=$(jq -s '[.[].tables[]? | select(.name == "pkt_journeys") | .rows[] | .delivered + .dropped + .unknown + .cut] | add' "$T_TMP/out")
	[ "$started" -gt 0 ] && [ "$cut" -gt 0 ] || fail "started $started, cut $cut: expected some of each" || return 1
	[ "$(table_sum pkt_journeys journeys all unknown)" -eq 0 ] || fail "journeys called unknown" || return 1
	[ "$ended" -eq "$started" ] || fail "$started journeys started (est.), $ended ended"
}

# After a million packets the id map holds only packets in flight (none, once all is quiet).
test_no_leak() {
	local n=1000000 got left
	need_root || return
	pj_start --port $UDP_PORT --max-age 200 || return 1
	udp_burst 4194304 0 $n 16 0 1.5 || return 1
	got=$(table_sum pkt_journeys journeys all started)
	[ "$got" -eq $n ] || fail "started $got journeys, expected $n" || return 1
	left=$(jq -s '[.[].hists[]? | select(.name == "pkt_inflight_age") | .count] | last' "$T_TMP/out")
	[ "$left" -eq 0 ] || fail "$left ids left in the map after the run" || return 1
	got=$(jq -s '[.[].tables[]? | select(.name == "pkt_journeys") | .rows[] | .delivered + .dropped + .unknown + .cut] | add' "$T_TMP/out")
	[ "$got" -eq $n ] || fail "$got journeys ended, expected $n"
}

# check_rung RUNG: forced to RUNG (auto: tracerhub's own choice, which must be tp_btf where the
# kernel has it: a program that fails tp_btf's verifier must not fall back unnoticed).
check_rung() {
	local rung=$1 want=$1 got
	need_root || return
	[ "$rung" = auto ] && want=tp_btf
	need_rung "$want" || return
	TRACERHUB_RUNG=$rung pj_start --port $UDP_PORT || return 1
	udp_run "" "" 127.0.0.1 || return 1
	th_stop || return 1
	got=$(jq -s '[.[].health[]? | select(.tracer == "pktjourney") | .rung] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "$want" ] || fail "$rung: attached via '$got', expected $want" || return 1
	[ "$(table_sum pkt_stage_latency stages "queue->start" count)" -eq $N ] || fail "$rung: queue->start count" || return 1
	[ "$(table_sum pkt_journeys journeys all started)" -eq $N ] || fail "$rung: started count" || return 1
	# per-process bytes come from sock:sock_recv_length: a kernel without it (6.1) has none
	doctor_json | jq -e '.tracers.pktjourney.lacks | test("sock_recv_length") | not' \
		>/dev/null || skip "the rest holds; this kernel lacks sock:sock_recv_length, so" \
		"pktjourney has no per-process bytes" || return
	# the receiver's socket has the port (the sender's, unconnected, has none)
	[ "$(jq -s '[.[].procs[]? | .pkt_rx_bytes] | add' "$T_TMP/out")" -eq $((N * 200)) ] ||
		fail "$rung: pkt_rx_bytes is not $((N * 200))"
}

test_rung_auto_is_tp_btf() { check_rung auto; }
test_rung_tp_btf() { check_rung tp_btf; }
test_rung_raw_tp() { check_rung raw_tp; }
test_rung_tracepoint() { check_rung tracepoint; }

test_bad_args() {
	local a
	for a in "--proto sctp" "--port 0" "--port 70000" "--sample 0" "--sample x" "-i no-such-dev0" "--max-age 1" \
		"--snaplen 64" "-w /tmp/x.pcapng --snaplen 8" "-w /tmp/x.pcapng --snaplen 2000"; do
		"$TH" pktjourney $a 1 1 >/dev/null 2>"$T_TMP/e"
		[ $? -eq 2 ] || fail "'$a' did not exit 2" || return 1
		[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || fail "'$a': not one error line" || return 1
	done
}

run_tests
