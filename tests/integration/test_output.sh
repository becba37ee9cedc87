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
	local tag="marker-$$-$RANDOM" line late i
	need_root || return
	# a 10 s interval: the lines can only come from the event stream
	start_stamped "$T_TMP/out" exec -j 10 || return 1
	sleep 0.3
	for i in 1 2 3; do
		/bin/true "$tag-$i"
		sleep 0.3
		line=$(grep -a -- "\"argv\":\"/bin/true $tag-$i\"" "$T_TMP/out")
		[ -n "$line" ] || fail "no line for $tag-$i within 300 ms: $(cat "$T_TMP/out")" || return 1
		# from the exec (the event's ts_ns) to its line reaching the reader
		late=$(jq -rn --argjson a "${line%% *}" --argjson e "${line#* }" \
			'($a - ($e.ts_ns | tonumber) / 1e9) * 1000 | floor')
		echo "    exec line $i: $late ms after the exec" >&2
		[ "$late" -lt 100 ] || fail "exec line $i came $late ms after the exec, expected < 100" ||
			return 1
	done
}

test_output_exec_text_columns() {
	local tag="marker-$$-$RANDOM"
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" exec 10 || return 1
	/bin/true "$tag"
	sleep 0.3
	th_stop || return 1
	head -1 "$T_TMP/out" | grep -Eq '^TIME +PID +PPID +UID +RET +COMM +ARGS$' ||
		fail "no execsnoop header: $(head -1 "$T_TMP/out")" || return 1
	# TIME, PID, PPID, UID 0, RET 0, COMM, ARGS
	grep -Eq "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} +[0-9]+ +[0-9]+ +0 +0 true +/bin/true $tag\$" \
		"$T_TMP/out" || fail "not in execsnoop's columns: $(grep -a "$tag" "$T_TMP/out")"
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
	command -v python3 >/dev/null || skip "python3 missing (checks the surrogateescape)" ||
		return
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

# argv up to 4 KiB comes whole, escaped in text and exact in JSON; past it, cut and marked "...";
# a failed exec with more arguments than are read is marked too.
test_output_long_argv_whole_or_marked() {
	local a3000 a6000 many=() i got
	need_root || return
	command -v python3 >/dev/null || skip "python3 missing (checks the surrogateescape)" ||
		return
	a3000=$(printf 'a%.0s' {1..3000})
	a6000=$(printf 'b%.0s' {1..6000})
	for i in $(seq 1 40); do many+=("arg$i"); done
	th_start "$T_TMP/out" "$T_TMP/err" exec -F 10 || return 1
	th_start "$T_TMP/json" "$T_TMP/jerr" exec -F -j 10 || return 1
	/bin/true "${NASTY[@]}" "$a3000" tail3000
	/bin/true "$a6000"
	(exec /nonexistent/tool "${many[@]}") 2>/dev/null
	sleep 0.5
	kill -INT $(jobs -p) 2>/dev/null
	wait
	# text: the whole argv on one line, escaped
	grep -qaF "/bin/true \e]0;TITLE\x07 é \xff end $a3000 tail3000" "$T_TMP/out" ||
		fail "text: 3000-byte argv cut: $(grep -a tail3000 "$T_TMP/out" | wc -c) bytes" ||
		return 1
	got=$(python3 - "$T_TMP/json" "$a3000" <<-'EOF'
		import json, sys
		want = b"/bin/true \x1b]0;TITLE\x07 \xc3\xa9 \xff end " + sys.argv[2].encode()
		want += b" tail3000"
		back = [json.loads(raw).get("argv", "").encode("utf-8", "surrogateescape")
		        for raw in open(sys.argv[1], "rb")]
		print(back.count(want))
		EOF
	)
	[ "$got" = 1 ] || fail "JSON: the 3000-byte argv not back byte for byte ($got matches)" ||
		return 1
	# 6000 bytes: the first 4093 of the argument area and "..."
	got=$(jq -r 'select(.type == "event" and (.argv // "" | startswith("/bin/true bbb"))) |
		.argv' "$T_TMP/json")
	[ "${#got}" -eq 4096 ] && [ "${got: -3}" = "..." ] &&
		[ "${got:0:4093}" = "/bin/true ${a6000:0:4083}" ] ||
		fail "JSON: 6000-byte argv: ${#got} characters, ending '${got: -8}'" ||
		return 1
	grep -qaE "/bin/true b{4083}\.\.\.\$" "$T_TMP/out" || fail "text: cut argv not marked" || return 1
	# the failed exec: 32 of 40 arguments read, marked cut
	got=$(jq -r 'select(.type == "event" and .event == "exec_failed" and
		(.argv | startswith("/nonexistent/tool "))) | "\(.errno) \(.argv)"' "$T_TMP/json")
	[ "$got" = "2 /nonexistent/tool ${many[*]:0:31}..." ] ||
		fail "failed exec: '$got'"
}

# -m/-u put a tracer's time histograms in ms/us, bounds exact (the slots of 1000 reads
# counted in full); tracers without time histograms, or both units, are refused.
test_output_hist_units() {
	local wpid unit decimals got
	need_root || return
	for unit in u m; do
		"$HELPERS/syscall_workload" 1000 1 0 1 "$T_TMP/file" &
		wpid=$!
		th_start "$T_TMP/out.$unit" "$T_TMP/err" syscalls -L -$unit -p $wpid 10 || return 1
		kill -USR1 $wpid
		wait $wpid || fail "workload failed" || return 1
		th_stop || return 1
	done
	for unit in u m; do
		[ $unit = u ] && decimals=3 || decimals=6
		grep -q "^syscall_latency (${unit}secs), [0-9]* values, p50 ~" "$T_TMP/out.$unit" ||
			fail "-$unit: no histogram in ${unit}secs: $(cat "$T_TMP/out.$unit")" || return 1
		# every bound with its exact decimals, and no two slots with the same label
		got=$(sed -n '/^syscall_latency/,/^$/p' "$T_TMP/out.$unit" | grep -- ' -> ' |
			grep -cvE "^ *[0-9]+\.[0-9]{$decimals} -> [0-9]+\.[0-9]{$decimals} +: ")
		[ "$got" = 0 ] || fail "-$unit: $got bounds without $decimals decimals" || return 1
		got=$(grep -- ' -> ' "$T_TMP/out.$unit" | awk '{print $1}' | sort | uniq -d | wc -l)
		[ "$got" = 0 ] || fail "-$unit: slots share a label" || return 1
	done
	got=$(grep -- ' -> ' "$T_TMP/out.m" | awk '{ n += $5 } END { print n }')
	[ "$got" -ge 1000 ] || fail "-m: the histogram holds $got values, expected >= 1000 reads" ||
		return 1
	"$TH" syscalls -u -m 2>"$T_TMP/e"
	[ $? -eq 2 ] && grep -q 'choose one' "$T_TMP/e" || fail "-u -m accepted" || return 1
	"$TH" exec -m 2>/dev/null
	[ $? -eq 2 ] || fail "exec -m accepted (exec has no time histograms)" || return 1
	"$TH" syscalls -h | grep -q -- '-m, --msecs' || fail "syscalls -h lacks -m"
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
	"$TH" io -h | grep -q '^Fields for --sort: read_bytes, write_bytes, read_ops' ||
		fail "io -h does not list its own fields: $("$TH" io -h | grep Fields)" || return 1
	! "$TH" io -h | grep -q 'syscall_errors' || fail "io -h lists syscalls' fields"
}

# SIGINT while the tracers load (from a script: bash starts background jobs with SIGINT
# ignored) stops the run: at once, or cleanly once it is ready; never not at all.
test_output_sigint_while_loading() {
	local p i d rc
	need_root || return
	for d in 0.1 0.3 0.6; do
		"$TH" exec 10 >"$T_TMP/out" 2>"$T_TMP/err" &
		p=$!
		# once it is tracerhub and its main() ran (before: the shell's or the loader's)
		for ((i = 0; i < 100; i++)); do
			[ "$(cat /proc/$p/comm 2>/dev/null)" = tracerhub ] && break
			sleep 0.01
		done
		sleep $d
		kill -INT $p
		for ((i = 0; i < 200; i++)); do kill -0 $p 2>/dev/null || break; sleep 0.1; done
		kill -0 $p 2>/dev/null && { kill -TERM $p; fail "SIGINT after $d s: still running 20 s later"; return 1; }
		wait $p
		rc=$?
		[ $rc = 0 ] || [ $rc = 130 ] || fail "SIGINT after $d s: exit $rc: $(cat "$T_TMP/err")" ||
			return 1
	done
}

# N short-lived client processes (forked from one python3), each connects to a listener once;
# their pids go to $T_TMP/pids.
short_lived_clients() {
	python3 - "$1" "$T_TMP/pids" <<-'EOF'
		import os, socket, sys, threading
		n, out = int(sys.argv[1]), sys.argv[2]
		srv = socket.socket()
		srv.bind(("127.0.0.1", 0))
		srv.listen(64)
		def serve():
		    while True:
		        c, _ = srv.accept()
		        c.close()
		threading.Thread(target=serve, daemon=True).start()
		pids = []
		for _ in range(n):
		    pid = os.fork()
		    if pid == 0:
		        s = socket.create_connection(srv.getsockname())
		        s.close()
		        os._exit(0)
		    pids.append(pid)
		    os.waitpid(pid, 0)
		open(out, "w").write("\n".join(map(str, pids)) + "\n")
		EOF
}

test_output_prometheus_500_short_lived_clients() {
	local url port got series all pid
	need_root || return
	command -v prometheus >/dev/null && command -v promtool >/dev/null ||
		skip "prometheus/promtool missing (Debian package prometheus)" || return
	command -v python3 >/dev/null || skip "python3 missing (runs the clients)" || return
	th_start "$T_TMP/out" "$T_TMP/err" serve --listen 127.0.0.1:0 netproc 0.3 || return 1
	url=$(sed -n 's/.*listening on \(http:[^ ]*\)\/$/\1/p' "$T_TMP/err")
	[ -n "$url" ] || fail "no 'listening on' line" || return 1
	prometheus_start "${url#http://}" || return 1
	port=$PROM_PORT
	short_lived_clients 500 || fail "clients failed" || return 1
	sleep 1.5 # more than PROM_GONE_INTERVALS intervals of 0.3 s
	curl -s -H "X-No-Auth: 1" "$url/metrics" >"$T_TMP/metrics"
	promtool check metrics <"$T_TMP/metrics" 2>&1 || fail "promtool check metrics failed" ||
		return 1
	local count='tracerhub_tcp_connect_latency_seconds_count{tracer="netproc"'
	got=$(grep -F "$count} " "$T_TMP/metrics" | cut -d' ' -f2)
	[ "${got:-0}" -ge 500 ] || fail "connect latency count '$got', expected >= 500" || return 1
	# a latency whose process has no row that interval goes to comm="other"
	got=$(grep -F "$count,comm=\"python3\"} " "$T_TMP/metrics" | cut -d' ' -f2)
	[ "${got:-0}" -ge 450 ] || fail "python3's connect latency count '$got', expected >= 450" ||
		return 1
	! grep -q 'tcp_connect_latency.*pid=' "$T_TMP/metrics" || fail "a per-pid histogram" ||
		return 1
	while read -r pid; do
		! grep -q "pid=\"$pid\"" "$T_TMP/metrics" || fail "exited client $pid still exported" ||
			return 1
	done <"$T_TMP/pids"
	grep -q '^tracerhub_tcp_connects_total{pid="other",comm="other"} ' "$T_TMP/metrics" ||
		fail "no other row with pid and comm" || return 1
	! grep -q 'le="[0-9]*\.[0-9]*0"' "$T_TMP/metrics" || fail "le not in shortest form" || return 1
	# what Prometheus holds of the clients' command: every series it ever scraped, bounded (the
	# forking parent's per-pid counters, one histogram per comm), not one per client
	for _ in $(seq 50); do
		series=$(curl -s "http://127.0.0.1:$port/api/v1/series" --data-urlencode \
			'match[]={job="tracerhub",comm="python3"}' | jq -r '.data | length' 2>/dev/null)
		[ "${series:-0}" -gt 0 ] && break
		sleep 0.2
	done
	all=$(curl -s "http://127.0.0.1:$port/api/v1/series" --data-urlencode \
		'match[]={job="tracerhub"}' | jq -r '.data | length' 2>/dev/null)
	echo "    Prometheus holds $series python3 series ($all in all) after 500 clients" >&2
	curl -s "http://127.0.0.1:$port/api/v1/series" --data-urlencode \
		'match[]={job="tracerhub",comm="python3"}' >"$T_TMP/series.json"
	[ "${series:-0}" -gt 0 ] && [ "$series" -le 100 ] ||
		fail "Prometheus holds ${series:-no} python3 series, expected 1..100" || return 1
	prometheus_stop
	th_stop
}

run_tests
