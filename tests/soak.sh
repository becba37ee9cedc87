#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The soak (issue 19): `tracerhub record` of top's tracers (every tracer this kernel
# supports) over a syscall storm for SOAK_SECONDS (default 600), sampling the recorder's RSS
# every 10 s. Passes when RSS stays within 10% of what it was after the first minute, every
# interval the recorder counted is in the file (ids without gaps, each one interval after the
# one before it), drops are counted in the file (every interval has every tracer's health
# row), and the storm's reads are in the file exactly (read_ops of its pid).
# Not part of `make test` (it takes SOAK_SECONDS and a CPU): run `make soak`.
# Prints "soak: ..." figures, one JSON object of them, then PASS or FAIL lines; exits 1 on a
# failure, 2 when it cannot run (not root, no sqlite3).
set -u
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
TH=$BUILD/tracerhub
SECS=${SOAK_SECONDS:-600}
INTERVAL=1
tmp=$(mktemp -d)
trap 'kill "$rec" "$storm" 2>/dev/null; rm -rf "$tmp"' EXIT
rec= storm= failed=0

[ "$(id -u)" -eq 0 ] || { echo "soak: needs root (loads BPF programs)" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "soak: needs sqlite3 (scripts/deps.sh test)" >&2; exit 2; }

check() { # check WHAT CONDITION...
	local what=$1
	shift
	if "$@"; then echo "PASS $what"; else echo "FAIL $what"; failed=1; fi
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

"$TH" record -o "$tmp/soak.db" $INTERVAL >"$tmp/out" 2>"$tmp/err" &
rec=$!
for _ in $(seq 600); do
	grep -q "ready:" "$tmp/err" && break
	kill -0 "$rec" 2>/dev/null || { cat "$tmp/err" >&2; exit 1; }
	sleep 0.1
done
grep -q "ready:" "$tmp/err" || { echo "soak: the recorder did not start" >&2; exit 1; }
taskset -c "$(($(nproc) - 1))" "$BUILD/helpers/syscall_storm" "$SECS" >"$tmp/storm" &
storm=$!
t0=$(date +%s)
c0=$(ticks "$rec")
: >"$tmp/rss"
while kill -0 "$storm" 2>/dev/null; do
	echo "$(($(date +%s) - t0)) $(rss_kb "$rec")" >>"$tmp/rss"
	sleep 10
done
wait "$storm" || { echo "soak: the storm failed" >&2; exit 1; }
storm=
elapsed=$(($(date +%s) - t0))
cpu_ms=$((($(ticks "$rec") - c0) * 1000 / $(getconf CLK_TCK)))
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$rec/status")
sleep $((INTERVAL * 2)) # the storm's last interval is collected
kill -INT "$rec"
wait "$rec" || { echo "soak: the recorder exited $?: $(cat "$tmp/err")" >&2; exit 1; }
rec=

counted=$(sed -n 's/.*recorded \([0-9]*\) interval.*/\1/p' "$tmp/err")
sql() { sqlite3 -readonly "$tmp/soak.db" "$1"; }
in_file=$(sql "SELECT count(*) FROM intervals")
gaps=$(sql "SELECT count(*) FROM intervals a JOIN intervals b ON b.id = a.id + 1
	WHERE b.ts_ns - a.ts_ns > 1.5 * b.interval_ns OR b.ts_ns <= a.ts_ns")
max_id=$(sql "SELECT max(id) - min(id) + 1 FROM intervals")
ntracers=$(sql "SELECT count(DISTINCT tracer) FROM health")
missing_health=$(sql "SELECT count(*) FROM intervals i WHERE
	(SELECT count(*) FROM health h WHERE h.interval_id = i.id) != $ntracers")
reads=$(sed -n 's/^reads //p' "$tmp/storm")
storm_pid_reads=$("$TH" report "$tmp/soak.db" -p "$(sed -n 's/^pid //p' "$tmp/storm")" -j |
	jq '.merged.totals.read_ops // 0')
# RSS after the first minute against every later sample
base=$(awk '$1 >= 60 { print $2; exit }' "$tmp/rss")
lo=$(awk '$1 >= 60 { print $2 }' "$tmp/rss" | sort -n | head -1)
hi=$(awk '$1 >= 60 { print $2 }' "$tmp/rss" | sort -n | tail -1)

jq -n --argjson secs "$elapsed" --argjson intervals "$in_file" --argjson counted "$counted" \
	--argjson reads "$reads" --argjson seen "$storm_pid_reads" --argjson cpu_ms "$cpu_ms" \
	--argjson hwm "$hwm" --arg rss "$(awk '{ printf "%s%s:%s", (NR > 1 ? "," : ""), $1, $2 }' \
		"$tmp/rss")" --argjson base "${base:-0}" --argjson lo "${lo:-0}" \
	--argjson hi "${hi:-0}" --argjson size "$(stat -c %s "$tmp/soak.db")" \
	--argjson health "$(sql "SELECT json_object('events', sum(events), 'drops', sum(drops))
		FROM health")" \
	--argjson tracers "$(sql "SELECT json_group_object(tracer, json_object('events', e,
		'drops', d)) FROM (SELECT tracer, sum(events) e, sum(drops) d FROM health
		GROUP BY tracer)")" \
	--argjson lost "$(sql "SELECT sum(events_lost) FROM intervals")" '{
	seconds: $secs, intervals_in_file: $intervals, intervals_recorded: $counted,
	storm_reads: $reads, storm_reads_per_s: ($reads / $secs | floor),
	storm_read_ops_in_file: $seen,
	events_per_s: ($health.events / $secs | floor), drops: $health.drops,
	events_lost: $lost, per_tracer: $tracers,
	recorder_cpu_pct: ($cpu_ms / 10 / $secs), recorder_peak_rss_kib: $hwm,
	rss_kib_after_1_min: $base, rss_kib_min_after: $lo, rss_kib_max_after: $hi,
	rss_samples_s_kib: $rss, file_bytes: $size}' | tee "$tmp/figures"
echo "soak: $(jq -c . "$tmp/figures")" >&2

check "RSS within 10% of the first minute's ($base KiB: $lo..$hi KiB)" \
	awk -v b="$base" -v lo="$lo" -v hi="$hi" \
	'BEGIN { exit !(b > 0 && lo >= b * 0.9 && hi <= b * 1.1) }'
check "every interval committed ($counted recorded, $in_file in the file, ids $max_id)" \
	test "$counted" = "$in_file" -a "$max_id" = "$in_file"
check "intervals back to back ($gaps gaps)" test "$gaps" = 0
check "drops counted: every interval has the $ntracers tracers' health" \
	test "$missing_health" = 0
check "the storm's reads exactly ($reads made, $storm_pid_reads recorded)" \
	test "$reads" = "$storm_pid_reads"
exit $failed
