#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Output a user can pipe: an exec's line appears within 100 ms, in execsnoop's columns; JSON
# lines carry a type, RFC 3339 times, hex addresses and UTF-8 that round-trips; escape bytes
# never reach the terminal; --sort takes only the running tracers' fields.
. "$(dirname "$0")/../lib.sh"

# An argv with an OSC title sequence, a BEL, a valid "é" and an invalid byte.
NASTY=($'\e]0;TITLE\a' "é" $'\xff' "end")

# Start `tracerhub ARGS` with every stdout line prefixed by the time it arrived (bash's
# $EPOCHREALTIME: no fork, so the reader makes no exec events of its own).
start_stamped() {
	local out=$1
	shift
	("$TH" "$@" 2>"$T_TMP/err" | while IFS= read -r line; do
		printf '%s %s\n' "$EPOCHREALTIME" "$line"
	done >"$out") &
	wait_for "$T_TMP/err" "ready:" 20
}

test_output_exec_line_within_100ms() {
	local tag="marker-$$-$RANDOM" t0 line arrived late i
	need_root || return
	# a 10 s interval: the line can only come from the event stream
	start_stamped "$T_TMP/out" exec 10 || return 1
	sleep 0.3
	for i in 1 2 3; do
		t0=$EPOCHREALTIME
		/bin/true "$tag-$i"
		sleep 0.3
		line=$(grep -a -- " $tag-$i\$" "$T_TMP/out")
		[ -n "$line" ] || fail "no line for $tag-$i within 300 ms: $(cat "$T_TMP/out")" || return 1
		arrived=${line%% *}
		late=$(awk -v a="$arrived" -v b="$t0" 'BEGIN { printf "%d", (a - b) * 1000 }')
		[ "$late" -lt 100 ] || fail "exec line $i came after $late ms, expected < 100" ||
			return 1
	done
	head -1 "$T_TMP/out" | grep -Eq ' TIME +PID +PPID +UID +RET +COMM +ARGS$' ||
		fail "no execsnoop header: $(head -1 "$T_TMP/out")" || return 1
	echo "$line" | grep -Eq "^[0-9.]+ [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} +[0-9]+ +[0-9]+ +0 +0 true +/bin/true $tag-3\$" ||
		fail "not in execsnoop's columns: $line"
}

test_output_text_escapes_control_bytes() {
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" exec 10 || return 1
	/bin/true "${NASTY[@]}"
	sleep 0.3
	th_stop || return 1
	! grep -qaP '[\x00-\x08\x0b-\x1f\x7f]' "$T_TMP/out" ||
		fail "a raw control byte reached the terminal: $(cat -A "$T_TMP/out")" || return 1
	grep -qaF '/bin/true \e]0;TITLE\x07 é \xff end' "$T_TMP/out" ||
		fail "argv not shown escaped: $(grep -a true "$T_TMP/out" | cat -A)"
}

test_output_json_lines_round_trip() {
	local got
	need_root || return
	command -v python3 >/dev/null || skip "python3 missing (checks the surrogateescape)" || return
	th_start "$T_TMP/out" "$T_TMP/err" exec -j 10 || return 1
	/bin/true "${NASTY[@]}"
	sleep 0.3
	th_stop || return 1
	jq -e -s 'all(.[]; .type == "event" or .type == "events_lost")' "$T_TMP/out" >/dev/null ||
		fail "a line without a known type" || return 1
	got=$(python3 - "$T_TMP/out" <<-'EOF'
		import json, sys, datetime
		want = b"/bin/true \x1b]0;TITLE\x07 \xc3\xa9 \xff end"
		found = 0
		for raw in open(sys.argv[1], "rb"):
		    o = json.loads(raw)
		    ts = int(o["ts_ns"])          # past 2^53: a string, exact
		    day, frac = o["time"].rstrip("Z").split(".")
		    sec = datetime.datetime.strptime(day, "%Y-%m-%dT%H:%M:%S").replace(
		        tzinfo=datetime.timezone.utc).timestamp()
		    assert int(sec) * 10**9 + int(frac) == ts, (o["time"], ts)
		    if o.get("argv", "").encode("utf-8", "surrogateescape") == want:
		        found += 1
		print(found)
		EOF
	)
	[ "$got" = 1 ] || fail "argv bytes back from JSON: $got matches, expected 1" || return 1
	jq -e -s '[.[] | select(.argv != null and (.argv | contains("é")))] |
		length == 1 and (.[0].ts_ns | type == "string")' "$T_TMP/out" >/dev/null ||
		fail "é not passed through, or ts_ns a rounded number"
}

test_output_addresses_in_hex() {
	local port=$((20000 + RANDOM % 20000)) addr
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" tcpconnect -j --port $port 10 || return 1
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null # refused: nothing listens
	sleep 0.3
	th_stop || return 1
	addr=$(jq -r --argjson p $port 'select(.type == "event" and .dport == $p) | .sk_addr' \
		"$T_TMP/out")
	[[ "$addr" =~ ^0xffff[0-9a-f]{12}$ ]] || fail "sk_addr '$addr', expected 0xffff... hex" ||
		return 1
	[ "$(jq -r --argjson p $port 'select(.dport == $p) | .result' "$T_TMP/out")" = refused ] ||
		fail "no refused connect on port $port: $(cat "$T_TMP/out")"
}

test_output_sort_fields_of_running_tracers() {
	local rc
	"$TH" syscalls --sort tcp_tx_bytes >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq 2 ] || fail "syscalls --sort tcp_tx_bytes exited $rc, expected 2" || return 1
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] && grep -q 'use one of: syscalls, syscall_errors$' "$T_TMP/e" ||
		fail "expected one line with syscalls' fields: $(cat "$T_TMP/e")" || return 1
	"$TH" top syscalls io --sort execs >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq 2 ] && grep -q 'read_bytes' "$T_TMP/e" ||
		fail "top syscalls io --sort execs: exit $rc, $(cat "$T_TMP/e")" || return 1
	"$TH" shell --sort execs >"$T_TMP/o" 2>"$T_TMP/e"
	[ $? -eq 2 ] || fail "shell --sort accepted" || return 1
	"$TH" io -h | grep -q '^Fields for --sort: read_ops, read_bytes, write_ops' ||
		fail "io -h does not list its own fields: $("$TH" io -h | grep Fields)" || return 1
	! "$TH" io -h | grep -q 'syscall_errors' || fail "io -h lists syscalls' fields"
}

run_tests
