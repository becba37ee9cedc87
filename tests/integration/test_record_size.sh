#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The recording's size: bytes per recorded event on the benchmark's mixed workload, measured as
# bench/cases/record_size.sh measures it (the file over sum(intervals.events)), under a bound.
. "$(dirname "$0")/../lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# The bound this test holds the recorder to, in bytes per event: 92-120 measured with schema 6
# on a shared machine at load 6-11 (106-141 with schema 5 recording the same events beside it),
# and 146 once with only 1744 events (the sock workload starved): what each interval costs
# (process rows, histograms, tables) and the schema's fixed 30 KiB weigh more when fewer events
# share them, and other users' builds and tests add their processes and command lines to what
# is recorded. Issue 20 asks for 100 on a quiet machine (docs/recording.md, Size).
MAX_BYTES_PER_EVENT=160

test_record_size_bound() {
	local figure events
	need_root || return
	command -v stress-ng >/dev/null || skip "needs stress-ng (scripts/deps.sh test)" || return
	command -v sqlite3 >/dev/null || skip "needs sqlite3 (scripts/deps.sh test)" || return
	. "$ROOT/bench/cases/record_size.sh"
	figure=$(case_run 2>"$T_TMP/size.log") || fail "record failed: $(cat "$T_TMP/rec.err")" ||
		return 1
	cat "$T_TMP/size.log" >&2
	events=$(sqlite3 "$T_TMP/rec.db" "SELECT sum(events) FROM intervals")
	[ "${events:-0}" -ge 1000 ] || fail "only ${events:-0} events: not the mixed workload" ||
		return 1
	[ "$figure" -le $MAX_BYTES_PER_EVENT ] ||
		fail "$figure bytes per event, the bound is $MAX_BYTES_PER_EVENT" || return 1
	# the compact file reads back: every event, through the views
	"$TH" report "$T_TMP/rec.db" -j >"$T_TMP/rep" || fail "report failed" || return 1
	[ "$(jq '.recorded_events.total' "$T_TMP/rep")" = "$events" ] ||
		fail "report: $(jq '.recorded_events.total' "$T_TMP/rep") events, recorded $events"
}

run_tests
