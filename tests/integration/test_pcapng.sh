#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `pktjourney -w` writes pcapng that Debian's tshark reads: real frames (addresses, ports,
# payload bytes) with each packet's journey as its comment; -w - streams to a pipe; a full disk
# or a closed pipe ends the capture with a message and leaves a readable file.
. "$(dirname "$0")/../lib.sh"

N=50
UDP_PORT=$((31000 + RANDOM % 4000))
TCP_PORT=$((UDP_PORT + 4000))

need_tshark() { command -v tshark >/dev/null || skip "tshark missing (scripts/deps.sh test)"; }

# tshark, its complaints but the one about running as root in $T_TMP/ts.err.
ts() {
	tshark "$@" 2>"$T_TMP/ts.all"
	local rc=$?
	grep -v '^Running as user "root"' "$T_TMP/ts.all" >"$T_TMP/ts.err"
	return $rc
}

# N UDP datagrams of 100 bytes to $UDP_PORT on loopback; sets SPID, RPID.
udp_run() {
	"$HELPERS/pkt_udp" recv 127.0.0.1 $UDP_PORT 0 0 $N >"$T_TMP/r" &
	RPID=$!
	wait_for "$T_TMP/r" ready || return 1
	"$HELPERS/pkt_udp" send 127.0.0.1 $UDP_PORT $N 100 200 >/dev/null &
	SPID=$!
	wait $SPID || fail "sender failed" || return 1
	wait $RPID
	grep -q "^received $N$" "$T_TMP/r" || fail "receiver: $(tail -1 "$T_TMP/r")"
}

test_udp_frames() {
	local want
	need_root || return
	need_tshark || return
	th_start "$T_TMP/out" "$T_TMP/err" pktjourney --port $UDP_PORT -w "$T_TMP/c.pcapng" 0.3 || return 1
	udp_run || return 1
	sleep 0.5
	th_stop || return 1
	ts -r "$T_TMP/c.pcapng" -T fields -E separator=, -e frame.interface_name -e ip.src -e ip.dst \
		-e udp.srcport -e udp.dstport -e udp.length -e udp.payload >"$T_TMP/f" ||
		fail "tshark: $(cat "$T_TMP/ts.err")" || return 1
	[ "$(wc -l <"$T_TMP/f")" -eq $N ] || fail "$(wc -l <"$T_TMP/f") frames, expected $N" || return 1
	# payload: 8 bytes of sequence number, then 'a' + i % 26 from offset 8; 128 bytes kept of each
	want=$(awk 'BEGIN { for (i = 8; i < 86; i++) printf "%02x", 97 + i % 26 }')
	awk -F, -v p=$UDP_PORT -v w="$want" '$1 != "lo" || $2 != "127.0.0.1" || $3 != "127.0.0.1" ||
		$5 != p || $6 != 108 || substr($7, 17) != w { bad++; print "frame " NR ": " $0 }
		END { exit bad > 0 }' "$T_TMP/f" >&2 || fail "frames with wrong addresses, ports or payload" || return 1
	ts -r "$T_TMP/c.pcapng" -T fields -e frame.comment >"$T_TMP/cm" || return 1
	grep -c "^pktjourney id=[0-9]* delivered sender=pkt_udp\[$SPID\] reader=pkt_udp\[$RPID\] queue=0ns .* sockq=+[0-9]*ns read=+[0-9]*ns$" \
		"$T_TMP/cm" >"$T_TMP/n"
	[ "$(cat "$T_TMP/n")" -eq $N ] || { fail "$(cat "$T_TMP/n") of $N comments tell the journey:"; head -2 "$T_TMP/cm" >&2; return 1; }
}

test_tcp_frames() {
	need_root || return
	need_tshark || return
	th_start "$T_TMP/out" "$T_TMP/err" pktjourney --port $TCP_PORT -w "$T_TMP/c.pcapng" 0.3 || return 1
	"$HELPERS/pkt_tcp" server 127.0.0.1 $TCP_PORT 20 1000 >"$T_TMP/r" &
	local spid=$!
	wait_for "$T_TMP/r" ready || return 1
	"$HELPERS/pkt_tcp" client 127.0.0.1 $TCP_PORT 20 1000 >/dev/null || fail "client failed" || return 1
	wait $spid
	sleep 0.5
	th_stop || return 1
	ts -r "$T_TMP/c.pcapng" -Y "tcp.dstport == $TCP_PORT && tcp.len == 1000" -T fields \
		-e tcp.srcport -e tcp.dstport >"$T_TMP/f" || fail "tshark: $(cat "$T_TMP/ts.err")" || return 1
	[ "$(wc -l <"$T_TMP/f")" -eq 20 ] || fail "$(wc -l <"$T_TMP/f") TCP frames of 1000 bytes, expected 20" || return 1
	[ "$(ts -r "$T_TMP/c.pcapng" -Y "tcp && !(tcp.port == $TCP_PORT)" | wc -l)" -eq 0 ] ||
		fail "frames that do not parse as TCP of port $TCP_PORT"
}

# -w - into tshark reading a pipe.
test_stdout_pipe() {
	need_root || return
	need_tshark || return
	mkfifo "$T_TMP/fifo"
	tshark -r - -T fields -e udp.dstport <"$T_TMP/fifo" >"$T_TMP/f" 2>/dev/null &
	local reader=$!
	th_start "$T_TMP/fifo" "$T_TMP/err" pktjourney --port $UDP_PORT -w - 0.3 || return 1
	udp_run || return 1
	sleep 0.5
	th_stop || return 1
	wait $reader
	[ "$(grep -c "^$UDP_PORT$" "$T_TMP/f")" -eq $N ] || fail "tshark saw $(grep -c . "$T_TMP/f") frames, expected $N"
}

# A full disk ends the capture: exit 1, one clear message, and the file reads back whole.
test_disk_full() {
	local rc n
	need_root || return
	need_tshark || return
	mkdir "$T_TMP/small"
	mount -t tmpfs -o size=64k tracerhub-pcapng "$T_TMP/small" || skip "cannot mount a tmpfs" || return
	"$TH" pktjourney --port $UDP_PORT --snaplen 1024 -w "$T_TMP/small/c.pcapng" 0.3 >/dev/null 2>"$T_TMP/err" &
	local pid=$!
	wait_for "$T_TMP/err" "ready:" 20 || { umount "$T_TMP/small"; return 1; }
	"$HELPERS/pkt_udp" recv 127.0.0.1 $UDP_PORT 0 0 2000 >"$T_TMP/r" &
	wait_for "$T_TMP/r" ready || { umount "$T_TMP/small"; return 1; }
	"$HELPERS/pkt_udp" send 127.0.0.1 $UDP_PORT 2000 1000 100 >/dev/null
	for _ in $(seq 100); do kill -0 $pid 2>/dev/null || break; sleep 0.05; done
	kill -INT $pid 2>/dev/null
	wait $pid
	rc=$?
	cp "$T_TMP/small/c.pcapng" "$T_TMP/c.pcapng"
	umount "$T_TMP/small"
	[ $rc -eq 1 ] || fail "exit $rc on a full disk, expected 1" || return 1
	grep -q "cannot write $T_TMP/small/c.pcapng: No space left on device; the capture ends after [0-9]* packet(s)" \
		"$T_TMP/err" || fail "no clear message: $(tail -2 "$T_TMP/err")" || return 1
	n=$(ts -r "$T_TMP/c.pcapng" | wc -l)
	[ -s "$T_TMP/ts.err" ] && { fail "tshark: $(cat "$T_TMP/ts.err")"; return 1; }
	[ "$n" -gt 10 ] || fail "only $n packets read back"
}

# The reader of -w - leaves: the capture ends with a message, the run with it.
test_closed_pipe() {
	local rc
	need_root || return
	( "$TH" pktjourney --port $UDP_PORT -w - 0.3 2>"$T_TMP/err"; echo $? >"$T_TMP/rc" ) | head -c 1000 >/dev/null &
	wait_for "$T_TMP/err" "ready:" 20 || return 1
	"$HELPERS/pkt_udp" recv 127.0.0.1 $UDP_PORT 0 0 3000 >"$T_TMP/r" &
	wait_for "$T_TMP/r" ready || return 1
	"$HELPERS/pkt_udp" send 127.0.0.1 $UDP_PORT 3000 200 100 >/dev/null
	wait_for "$T_TMP/rc" . 10 || return 1
	rc=$(cat "$T_TMP/rc")
	[ "$rc" -eq 0 ] || fail "exit $rc after the reader left" || return 1
	grep -q "capture: the reader of stdout left; [0-9]* packet(s) written" "$T_TMP/err" ||
		fail "no message: $(tail -2 "$T_TMP/err")"
}

test_record_writes_pcapng() {
	need_root || return
	need_tshark || return
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/r.db" pktjourney --port $UDP_PORT \
		-w "$T_TMP/c.pcapng" 0.3 || return 1
	udp_run || return 1
	sleep 0.5
	th_stop || return 1
	[ "$(ts -r "$T_TMP/c.pcapng" -Y "udp.dstport == $UDP_PORT" | wc -l)" -eq $N ] ||
		fail "record -w: $(ts -r "$T_TMP/c.pcapng" | wc -l) frames, expected $N"
}

test_bad_args() {
	local a
	for a in "syscalls -w x.pcapng" "pktjourney -w /no/such/dir/x.pcapng" "serve -w x.pcapng"; do
		"$TH" $a 1 1 >/dev/null 2>"$T_TMP/e"
		[ $? -ne 0 ] || fail "'$a' did not fail" || return 1
		[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || fail "'$a': not one error line: $(cat "$T_TMP/e")" || return 1
	done
}

run_tests
