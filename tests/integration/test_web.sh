#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# tracerhub serve: every endpoint (status, JSON shape, bad input, token, bind policy), exact
# counts through the API and /metrics after the privilege drop, promtool, a real Prometheus
# scrape, and the dashboard in headless Chromium.
. "$(dirname "$0")/../lib.sh"

READS=4321
READ_SIZE=16
WRITES=123
WRITE_SIZE=512

# Start `tracerhub serve` on a free loopback port: web_start ARGS...; sets URL.
web_start() {
	th_start "$T_TMP/out" "$T_TMP/err" serve --listen 127.0.0.1:0 "$@" || return 1
	URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/$/\1/p' "$T_TMP/err")
	[ -n "$URL" ] || fail "no 'listening on' line" || return 1
}

# The pid of serve's server process (the child of the collector $TH_PID).
server_pid() {
	local pid
	pid=$(tr -d ' ' <"/proc/$TH_PID/task/$TH_PID/children")
	[ -n "$pid" ] || fail "no server process under the collector $TH_PID" || return 1
	echo "$pid"
}

# Start the workload (it waits for SIGUSR1); sets WPID.
workload_start() {
	"$HELPERS/syscall_workload" $READS $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/file" &
	WPID=$!
}

# Let the workload run, then wait until an interval after its exit was published.
workload_run() {
	local n
	kill -USR1 "$WPID"
	wait "$WPID" || fail "workload failed" || return 1
	n=$(curl -s "$URL/metrics" -H "$AUTH" | sed -n 's/^tracerhub_intervals_total //p')
	for _ in $(seq 100); do
		[ "$(curl -s "$URL/metrics" -H "$AUTH" | sed -n 's/^tracerhub_intervals_total //p')" -gt $((n + 1)) ] && return 0
		sleep 0.1
	done
	fail "no interval published after the workload"
}

# GET $URL$1 (extra curl args after it); prints the status code, body in $T_TMP/body.
get() {
	local path=$1
	shift
	curl -s -o "$T_TMP/body" -w '%{http_code}' "$@" "$URL$path"
}

# expect STATUS PATH [curl args...]: the status, and a JSON error body for 4xx.
expect() {
	local want=$1 got
	shift
	got=$(get "$@")
	[ "$got" = "$want" ] || fail "GET $1: status $got, expected $want: $(head -c 200 "$T_TMP/body")" || return 1
	if [ "$want" -ge 400 ] && [ "$want" -ne 431 ]; then
		jq -e '.error | type == "string"' "$T_TMP/body" >/dev/null ||
			fail "GET $1: no JSON error: $(head -c 200 "$T_TMP/body")"
	fi
}

AUTH="X-No-Auth: 1"

test_web_endpoints() {
	local got pid
	need_root || return
	workload_start
	web_start syscalls io -p "$WPID" 0.3 || return 1
	# everything below is served by the unprivileged server process
	pid=$(server_pid) || return 1
	grep -q '^Uid:[[:space:]]*65534' "/proc/$pid/status" || fail "server still root" || return 1
	grep -q '^CapEff:[[:space:]]*0000000000000000' "/proc/$pid/status" || fail "capabilities kept" || return 1
	workload_run || return 1

	expect 200 /api/v1/snapshot || return 1
	jq -e 'has("ts_ns") and has("procs") and has("hists") and has("tables") and has("health")' \
		"$T_TMP/body" >/dev/null || fail "snapshot shape: $(head -c 300 "$T_TMP/body")" || return 1
	expect 200 "/api/v1/history?seconds=3600" || return 1
	got=$(jq '[.snapshots[].procs[] | .read_ops] | add' "$T_TMP/body")
	[ "$got" -eq $READS ] || fail "history read_ops $got, expected $READS" || return 1
	got=$(jq '[.snapshots[].tables[] | select(.name == "syscalls") | .rows[] | select(.syscall == "write") | .count] | add' "$T_TMP/body")
	[ "$got" -eq $WRITES ] || fail "history write count $got, expected $WRITES" || return 1
	expect 200 "/api/v1/history?seconds=1&top=1&sort=read_ops" || return 1
	got=$(jq '.snapshots | length' "$T_TMP/body")
	[ "$got" -ge 1 ] && [ "$got" -le 5 ] || fail "history?seconds=1 gave $got snapshots" || return 1
	expect 200 /api/v1/tracers || return 1
	got=$(jq -r '[.tracers[].tracer] | sort | join(",")' "$T_TMP/body")
	[ "$got" = "io,syscalls" ] || fail "tracers: $got" || return 1
	jq -e 'all(.tracers[]; .events_total >= 0 and (.rung | length > 0) and has("ns_per_run"))' \
		"$T_TMP/body" >/dev/null || fail "tracers shape: $(cat "$T_TMP/body")" || return 1
	got=$(curl -s "$URL/metrics" | awk '/^tracerhub_read_ops_total/ { s += $2 } END { print s }')
	[ "$got" -eq $READS ] || fail "/metrics read_ops sum $got, expected $READS" || return 1

	# the stream: one snapshot per interval, each a JSON object
	curl -s -N --max-time 1.5 "$URL/api/v1/stream?top=3" >"$T_TMP/sse"
	got=$(grep -c '^event: snapshot$' "$T_TMP/sse")
	[ "$got" -ge 2 ] || fail "stream gave $got events in 1.5 s at 0.3 s intervals" || return 1
	sed -n 's/^data: //p' "$T_TMP/sse" | jq -e 'has("procs")' >/dev/null || fail "stream data is not snapshots" || return 1

	# the page and its bundled files
	expect 200 / || return 1
	grep -q '<title>tracerhub</title>' "$T_TMP/body" || fail "/ is not the page" || return 1
	expect 200 /app.js || return 1
	expect 200 /uPlot.iife.min.js || return 1

	# bad input: 400 with a JSON error, unknown paths 404, writes 405, oversized refused
	for q in 'seconds=0' 'seconds=abc' 'seconds=86401' 'seconds=1&seconds=2' 'bogus=1' 'seconds' \
		'top=-1' 'sort=nope' 'seconds=%zz' 'seconds=1%00'; do
		expect 400 "/api/v1/history?$q" || return 1
	done
	expect 400 "/api/v1/tracers?top=1" || return 1
	expect 404 /api/v1/nope || return 1
	expect 404 /etc/passwd || return 1
	expect 405 /api/v1/snapshot -X POST || return 1
	expect 405 /metrics -X DELETE || return 1
	expect 413 /api/v1/snapshot -X GET --data-binary 'x=1' -H 'Content-Type:' || return 1
	expect 414 "/api/v1/snapshot?top=$(printf '1%.0s' $(seq 2000))" || return 1
	got=$(get /api/v1/snapshot -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' a)")
	[ "$got" != 200 ] || fail "a 100 KB header was accepted" || return 1
	kill -0 "$pid" || fail "tracerhub died on bad input" || return 1
	th_stop
}

test_web_token() {
	need_root || return
	web_start syscalls --token s3cret 0.2 || return 1
	expect 401 /api/v1/snapshot || return 1
	expect 401 /metrics -H 'Authorization: Bearer wrong' || return 1
	expect 401 /api/v1/stream -H 'Authorization: Bearer s3cre' || return 1
	expect 401 /api/v1/tracers -H 'Authorization: s3cret' || return 1
	sleep 0.5
	expect 200 /api/v1/snapshot -H 'Authorization: Bearer s3cret' || return 1
	expect 200 /metrics -H 'Authorization: bearer s3cret' || return 1
	# the page holds no data: it loads without the token and sends it from #token=
	expect 200 /index.html || return 1
	th_stop
}

test_web_bind_policy() {
	local rc
	for a in 0.0.0.0:9550 '[::]:9550' 192.0.2.1:80; do
		"$TH" serve --listen "$a" 2>"$T_TMP/err"
		rc=$?
		[ $rc -eq 2 ] || fail "--listen $a without a token exited $rc, expected 2" || return 1
		grep -q 'refusing to listen.*--token' "$T_TMP/err" || fail "no reason given: $(cat "$T_TMP/err")" || return 1
	done
	for a in '' 'host' '127.0.0.1:' '127.0.0.1:99999' '127.0.0.1:-1' '[::1' '1.2.3.4.5:80' ':80'; do
		"$TH" serve --listen "$a" 2>"$T_TMP/err"
		rc=$?
		[ $rc -eq 2 ] || fail "--listen '$a' exited $rc, expected 2" || return 1
		[ "$(wc -l <"$T_TMP/err")" -eq 1 ] || fail "--listen '$a': not one line: $(cat "$T_TMP/err")" || return 1
	done
	"$TH" serve --token '' 2>"$T_TMP/err"
	[ $? -eq 2 ] || fail "empty --token accepted" || return 1
	"$TH" serve --history 0 2>"$T_TMP/err"
	[ $? -eq 2 ] || fail "--history 0 accepted" || return 1
	"$TH" serve --listen 2>"$T_TMP/err"
	[ $? -eq 2 ] || fail "--listen without value accepted" || return 1
	"$TH" serve -j 2>"$T_TMP/err"
	[ $? -eq 2 ] || fail "-j accepted" || return 1
	need_root || return
	# explicit consent: a token, or --insecure
	th_start "$T_TMP/out" "$T_TMP/err" serve --listen 0.0.0.0:0 --token t syscalls || return 1
	th_stop || return 1
	th_start "$T_TMP/out" "$T_TMP/err" serve --listen 0.0.0.0:0 --insecure syscalls || return 1
	th_stop
}

test_web_promtool() {
	local got
	need_root || return
	command -v promtool >/dev/null || skip "promtool missing (Debian package prometheus)" || return
	workload_start
	web_start syscalls -L -p "$WPID" 0.3 || return 1
	workload_run || return 1
	curl -s "$URL/metrics" >"$T_TMP/metrics"
	promtool check metrics <"$T_TMP/metrics" 2>&1 || fail "promtool check metrics failed" || return 1
	# histograms: cumulative buckets, +Inf == _count == the reads made
	got=$(sed -n 's/^tracerhub_syscall_latency_seconds_count{tracer="syscalls",syscall="read"} //p' "$T_TMP/metrics")
	[ "$got" = $READS ] || fail "read latency _count '$got', expected $READS" || return 1
	got=$(sed -n 's/^tracerhub_syscall_latency_seconds_bucket{tracer="syscalls",syscall="read",le="+Inf"} //p' "$T_TMP/metrics")
	[ "$got" = $READS ] || fail "read latency +Inf bucket '$got', expected $READS" || return 1
	awk '/^tracerhub_syscall_latency_seconds_bucket\{tracer="syscalls",syscall="read",/ {
		if ($2 < last) bad = 1; last = $2 } END { exit bad }' "$T_TMP/metrics" ||
		fail "buckets not cumulative" || return 1
	grep -q '^tracerhub_tracer_events_total{tracer="syscalls"} [1-9]' "$T_TMP/metrics" || fail "no tracer health" || return 1
	grep -q '^tracerhub_syscalls_total{pid="other",comm="other"} ' "$T_TMP/metrics" || fail "no pid=\"other\" series" || return 1
	th_stop
}

test_web_prometheus_scrape() {
	local port got AUTH="Authorization: Bearer scrape-me"
	need_root || return
	command -v prometheus >/dev/null || skip "prometheus missing (Debian package prometheus)" || return
	workload_start
	web_start syscalls io -p "$WPID" --token scrape-me 0.5 || return 1
	prometheus_start "${URL#http://}" scrape-me || return 1
	port=$PROM_PORT
	workload_run || return 1
	# after a few scrapes, the counter Prometheus holds equals the reads the workload made
	for _ in $(seq 150); do
		got=$(curl -s "http://127.0.0.1:$port/api/v1/query" --data-urlencode \
			'query=sum(tracerhub_read_ops_total{job="tracerhub"})' | jq -r '.data.result[0].value[1] // empty' 2>/dev/null)
		[ "$got" = $READS ] && break
		sleep 0.2
	done
	[ "$got" = $READS ] || fail "Prometheus has read_ops '$got', expected $READS; log: $(tail -5 "$T_TMP/prom.log")" || return 1
	got=$(curl -s "http://127.0.0.1:$port/api/v1/query" --data-urlencode 'query=up{job="tracerhub"}' |
		jq -r '.data.result[0].value[1]')
	[ "$got" = 1 ] || fail "up{job=tracerhub} is '$got'" || return 1
	got=$(curl -s "http://127.0.0.1:$port/api/v1/query" --data-urlencode \
		'query=tracerhub_tracer_events_total{tracer="syscalls"}' | jq -r '.data.result | length')
	[ "$got" = 1 ] || fail "no tracer health samples in Prometheus" || return 1
	prometheus_stop
	th_stop
}

test_web_dashboard_chromium() {
	local dom points live
	need_root || return
	command -v chromium >/dev/null || skip "chromium missing (Debian package chromium)" || return
	web_start syscalls -L 0.5 || return 1
	# the page backfills from the history: let it hold two intervals first (a fixed sleep was
	# too short once on a loaded machine)
	for _ in $(seq 50); do
		[ "$(curl -s "$URL/api/v1/history" | jq '.snapshots | length')" -ge 2 ] 2>/dev/null && break
		sleep 0.2
	done
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T_TMP/chromium" --window-size=1400,2000 --virtual-time-budget=5000 \
		--dump-dom "$URL/" >"$T_TMP/dom.html" 2>"$T_TMP/chromium.log" ||
		fail "chromium failed: $(tail -3 "$T_TMP/chromium.log")" || return 1
	dom=$(grep -o '<body[^>]*>' "$T_TMP/dom.html")
	points=$(sed -n 's/.*data-charts-ready="\([0-9]*\) points".*/\1/p' <<<"$dom")
	live=$(sed -n 's/.*data-live="\([0-9]*\)".*/\1/p' <<<"$dom")
	[ -n "$points" ] && [ "$points" -ge 2 ] || fail "charts not ready: $dom" || return 1
	[ -n "$live" ] && [ "$live" -ge 1 ] || fail "no live snapshot over the stream: $dom" || return 1
	grep -q 'Syscall latency (syscalls tracer)' "$T_TMP/dom.html" || fail "no latency heatmap" || return 1
	grep -q '<td class="text">syscall_workloa\|<td class="text">tracerhub</td>' "$T_TMP/dom.html" ||
		fail "process table empty" || return 1
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T_TMP/chromium" --window-size=1400,2000 --virtual-time-budget=5000 \
		--screenshot="$T_TMP/dashboard.png" "$URL/" >/dev/null 2>&1
	[ -s "$T_TMP/dashboard.png" ] || fail "no screenshot" || return 1
	[ -z "${WEB_SCREENSHOT:-}" ] || cp "$T_TMP/dashboard.png" "$WEB_SCREENSHOT"
	th_stop
}

run_tests
