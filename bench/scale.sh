#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Scale figures of `tracerhub top` (every tracer): time to attach, and under a fork/exit
# storm of 10k processes and under a syscall storm of over 1M events/s: events seen, drops,
# CPU% of the user-side process, its peak RSS, and BPF map memory. Prints one JSON object.
# Usage: bench/scale.sh   (BUILD, TH, TOOLS from the environment, as bench/run.sh sets them)
set -u
: "${BUILD:=build}" "${TH:=$BUILD/tracerhub}" "${TOOLS:=$BUILD/bench}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)
storm=${SCALE_PROCS:-10000}

now_ms() { echo $(($(date +%s%N) / 1000000)); }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
map_bytes() {
	local sum=0 f m
	for f in /proc/"$1"/fdinfo/*; do
		grep -q '^map_type:' "$f" 2>/dev/null || continue
		m=$(awk '/^memlock:/ { print $2 }' "$f")
		sum=$((sum + ${m:-0}))
	done
	echo $sum
}

start_top() {
	local t0
	t0=$(now_ms)
	"$TH" top -j 1 >"$tmp/out" 2>"$tmp/err" &
	PID=$!
	for _ in $(seq 600); do
		grep -q 'ready:' "$tmp/err" && break
		sleep 0.01
	done
	ATTACH_MS=$(($(now_ms) - t0))
}

stop_top() {
	kill -INT "$PID"
	wait "$PID"
}

# run_storm NAME COMMAND...: the figures of one storm as a JSON object.
run_storm() {
	local name=$1 c0 c1 t0 t1 rss maps
	shift
	start_top
	sleep 1.2
	c0=$(cpu_ticks "$PID")
	t0=$(now_ms)
	taskset -c "$(($(nproc) - 1))" "$@" >"$tmp/storm" 2>&1
	t1=$(now_ms)
	sleep 1.2 # let the last interval be collected
	c1=$(cpu_ticks "$PID")
	rss=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status")
	maps=$(map_bytes "$PID")
	stop_top
	jq -s --arg name "$name" --argjson secs "$(( (t1 - t0) ))" \
		--argjson cpu "$(( (c1 - c0) * 1000 / hz ))" --argjson rss "$rss" --argjson maps "$maps" \
		--arg rate "$(cat "$tmp/storm")" '{
		storm: $name, workload_rate: ($rate | tonumber? // null), seconds: ($secs / 1000),
		user_cpu_pct: (if $secs > 0 then ($cpu * 100 / $secs) else null end),
		peak_rss_kib: $rss, bpf_map_bytes: $maps,
		events: ([.[].health[]?.events] | add), drops: ([.[].health[]?.drops] | add),
		events_lost: ([.[].events_lost] | add),
		execs: ([.[].totals.execs // 0] | add), exits: ([.[].totals.exits // 0] | add)}' "$tmp/out"
}

attach=()
for _ in 1 2 3; do
	start_top
	attach+=("$ATTACH_MS")
	stop_top
done
tracers=$(jq -s '[[.[] | select(.type == "interval")][0].health[].tracer]' "$tmp/out")
fork=$(run_storm "fork/exit storm ($storm processes)" "$TOOLS/forkstorm" "$storm")
sys=$(run_storm "syscall storm (1-byte reads, 3 s)" "$TOOLS/syscall_loop" 3)
jq -n --argjson tracers "$tracers" --argjson fork "$fork" --argjson sys "$sys" \
	--argjson attach "$(printf '%s\n' "${attach[@]}" | jq -s 'sort | .[1]')" \
	'{tracers: $tracers, attach_ms_median_of_3: $attach, storms: [$fork, $sys]}'
