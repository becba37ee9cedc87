#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The dashboard page of `tracerhub serve` as a user sees it, in headless Chromium at 1400 and
# 800 px: no y-axis label wider than its axis (the page measures its text against the
# canvas), a colour scale under every heatmap, the TUI's column names, ISO times, and the
# detail view of a workload with its exact counts. WEB_SCREENSHOTS=DIR keeps the screenshots
# (docs/ holds the ones shown in docs/web.md).
. "$(dirname "$0")/../lib.sh"

# The workload's exact counts, asserted below: alike in shape to other tests' by design.
READS=4321
READ_SIZE=16
WRITES=123
WRITE_SIZE=512

# Start `tracerhub serve ARGS` on a free loopback port; sets URL.
page_server() {
	need_root || return
	command -v chromium >/dev/null || skip "chromium missing (Debian package chromium)" || return
	th_start "$T_TMP/out" "$T_TMP/err" serve --listen 127.0.0.1:0 "$@" || return 1
	URL=$(sed -n 's/.*listening on \(http:[^ ]*\)\/$/\1/p' "$T_TMP/err")
	[ -n "$URL" ] || fail "no 'listening on' line" || return 1
}

# Intervals published so far.
intervals() { curl -s "$URL/metrics" | sed -n 's/^tracerhub_intervals_total //p'; }

# Wait until $1 more intervals were published.
wait_intervals() {
	local n
	n=$(intervals)
	for _ in $(seq 100); do
		[ "$(intervals)" -ge $((n + $1)) ] 2>/dev/null && return 0
		sleep 0.1
	done
	fail "no $1 more intervals published"
}

# chromium WIDTH WHAT URL: --dump-dom (WHAT = dom) or --screenshot=$T_TMP/WHAT.
chromium_at() {
	local out=$T_TMP/$2.html
	local args=(--dump-dom)
	[ "$2" = dom ] || { args=(--screenshot="$T_TMP/$2.png"); out=/dev/null; }
	timeout 90 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$T_TMP/chromium" --window-size="$1,1000" --virtual-time-budget=6000 \
		"${args[@]}" "$3" >"$out" 2>"$T_TMP/chromium.log" ||
		fail "chromium failed: $(tail -3 "$T_TMP/chromium.log")"
}

# Attribute $1 of <body> in $T_TMP/dom.html.
body_attr() { grep -o '<body[^>]*>' "$T_TMP/dom.html" | sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p"; }

test_web_page_layout_1400_and_800() {
	local w axes heat scales
	page_server syscalls -L 0.5 || return
	wait_intervals 3 || return 1
	for w in 1400 800; do
		chromium_at "$w" dom "$URL/#overview" || return 1
		[ -n "$(body_attr data-charts-ready)" ] || fail "$w px: charts not ready" || return 1
		axes=$(body_attr data-axes)
		[ "${axes:-0}" -ge 2 ] || fail "$w px: $axes y axes measured" || return 1
		[ "$(body_attr data-axis-clipped)" = 0 ] ||
			fail "$w px: $(body_attr data-axis-clipped) of $axes y axes cut their labels" ||
			return 1
		heat=$(body_attr data-heatmaps)
		scales=$(body_attr data-heat-scales)
		[ "${heat:-0}" -ge 1 ] || fail "$w px: no heatmap (syscalls -L has one)" || return 1
		[ "$heat" = "$scales" ] || fail "$w px: $heat heatmaps, $scales colour scales" || return 1
		grep -q 'Syscall latency (syscalls tracer)' "$T_TMP/dom.html" ||
			fail "$w px: no readable heatmap title" || return 1
		grep -Eq 'last [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' "$T_TMP/dom.html" ||
			fail "$w px: no ISO time in the status" || return 1
		# the syscalls table titled as in text and the TUI: avg (its values carry the unit)
		grep -Eq '<th[^>]*>avg</th>' "$T_TMP/dom.html" && ! grep -q '>avg_ns<' "$T_TMP/dom.html" ||
			fail "$w px: the syscalls table's avg column not titled avg" || return 1
		chromium_at "$w" "dashboard-$w" "$URL/#overview" || return 1
		[ -s "$T_TMP/dashboard-$w.png" ] || fail "$w px: no screenshot" || return 1
		[ -z "${WEB_SCREENSHOTS:-}" ] || cp "$T_TMP/dashboard-$w.png" "$WEB_SCREENSHOTS/"
	done
	th_stop
}

# The cell of column $2 (1-based) in the detail row of metric $1.
detail_cell() {
	grep -o "<tr data-metric=\"$1\">.*" "$T_TMP/dom.html" | sed 's|</tr>.*||' |
		sed 's|<td[^>]*>|\n|g; s|</td>||g' | sed -n "$(($2 + 1))p"
}

test_web_page_detail_exact_counts() {
	local wpid
	need_root || return
	# started before the tracers attach: its exec's own reads are not counted
	"$HELPERS/syscall_workload" $READS $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/file" &
	wpid=$!
	page_server syscalls io || return
	wait_intervals 1 || return 1
	kill -USR1 "$wpid"
	wait "$wpid" || fail "workload failed" || return 1
	wait_intervals 2 || return 1
	chromium_at 1400 dom "$URL/#processes/detail=$wpid" || return 1
	grep -q "Process $wpid syscall_workloa" "$T_TMP/dom.html" || fail "no detail of $wpid" ||
		return 1
	[ "$(detail_cell read_ops 1)" = READS/s ] || fail "read_ops is not READS/s as in the TUI" ||
		return 1
	[ "$(detail_cell read_ops 3)" = $READS ] ||
		fail "detail READS total '$(detail_cell read_ops 3)', expected $READS" || return 1
	[ "$(detail_cell write_ops 3)" = $WRITES ] ||
		fail "detail WRITES total '$(detail_cell write_ops 3)', expected $WRITES" || return 1
	[ "$(detail_cell read_bytes 3)" = "$((READS * READ_SIZE)) B" ] ||
		fail "detail READ_B total '$(detail_cell read_bytes 3)'" || return 1
	[ "$(detail_cell write_bytes 3)" = "$((WRITES * WRITE_SIZE)) B" ] ||
		fail "detail WRITE_B total '$(detail_cell write_bytes 3)'" || return 1
	# the process table has the TUI's names
	grep -q '<th[^>]*>SYSCALLS/s' "$T_TMP/dom.html" && grep -q '<th[^>]*>READS/s' "$T_TMP/dom.html" ||
		fail "process table headers are not the TUI's" || return 1
	th_stop
}


# serve --replay clickhouse://...: a fleet of two recorders in one ClickHouse (its own server,
# tests/integration/lib_clickhouse.sh); the page has a HOST column and a host picker, and one
# host's process detail has that host's exact counts.
test_web_page_fleet_replay() {
	local wa wb ra rb url got
	need_root || return
	command -v chromium >/dev/null || skip "chromium missing (Debian package chromium)" || return
	command -v clickhouse-server >/dev/null ||
		skip "needs clickhouse-server (scripts/deps.sh test installs it)" || return
	. "$(dirname "${BASH_SOURCE[0]}")/lib_clickhouse.sh"
	ch_start one || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	url=clickhouse://127.0.0.1:$CH_HTTP_one/fleet
	"$HELPERS/syscall_workload" $READS $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/fa" &
	wa=$!
	"$HELPERS/syscall_workload" $((READS / 2)) $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/fb" &
	wb=$!
	"$TH" record --to "$url" --host host-a --spool "$T_TMP/sa.db" syscalls io cpu -p "$wa" 0.3 \
		2>"$T_TMP/ea" &
	ra=$!
	"$TH" record --to "$url" --host host-b --spool "$T_TMP/sb.db" syscalls io -p "$wb" 0.5 \
		2>"$T_TMP/eb" &
	rb=$!
	wait_for "$T_TMP/ea" "ready:" 20 && wait_for "$T_TMP/eb" "ready:" 20 || return 1
	kill -USR1 "$wa" "$wb"
	wait "$wa" && wait "$wb" || fail "workload failed" || return 1
	sleep 1
	kill -INT "$ra" "$rb"
	wait "$ra" && wait "$rb" || fail "a recorder failed" || return 1
	page_server --replay "$url" || return
	# the API: every row with its host, each host's exact counts
	got=$(curl -s "$URL/api/v1/history?top=0" | jq -c '[.snapshots[].procs[] |
		select(.read_ops > 0)] | group_by(.host) | map({(.[0].host): map(.read_ops) | add}) | add')
	[ "$got" = "{\"host-a\":$READS,\"host-b\":$((READS / 2))}" ] ||
		fail "read_ops per host: $got" || return 1
	# host-b does not trace CPU time: its rows have no cpu_ns (no 0 that was not measured)
	got=$(curl -s "$URL/api/v1/history?top=0" | jq -c '[.snapshots[].procs[] |
		{(.host): has("cpu_ns")}] | unique')
	[ "$got" = '[{"host-a":true},{"host-b":false}]' ] || fail "cpu_ns per host: $got" ||
		return 1
	chromium_at 1400 dom "$URL/#processes/host=host-b/detail=$wb@host-b" || return 1
	[ "$(body_attr data-hosts)" = 2 ] && [ "$(body_attr data-host)" = host-b ] ||
		fail "hosts '$(body_attr data-hosts)', host '$(body_attr data-host)'" || return 1
	grep -q '<th[^>]*>HOST' "$T_TMP/dom.html" || fail "no HOST column" || return 1
	if grep -q '<td class="text">host-a</td>' "$T_TMP/dom.html"; then
		fail "host-a's rows shown with host-b picked"
		return 1
	fi
	grep -q "Process $wb syscall_workloa on host-b" "$T_TMP/dom.html" ||
		fail "no detail of $wb on host-b" || return 1
	[ "$(detail_cell read_ops 3)" = $((READS / 2)) ] ||
		fail "host-b's detail: read_ops total '$(detail_cell read_ops 3)'" || return 1
	th_stop
	# --host: only that host is loaded (a fresh log: th_start waits for its "ready:")
	rm -f "$T_TMP/err"
	page_server --replay "$url" --host host-a || return
	got=$(curl -s "$URL/api/v1/history?top=0" | jq -c '[.snapshots[].procs[].host] | unique')
	[ "$got" = '["host-a"]' ] || fail "--host host-a: $got" || return 1
	th_stop
}

run_tests
