#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Bad input gets one clear line on stderr and exit 2; help and list work.
. "$(dirname "$0")/../lib.sh"

# expect_exit CODE PATTERN ARGS...: tracerhub ARGS exits CODE and stderr matches PATTERN.
expect_exit() {
	local code=$1 pat=$2 rc
	shift 2
	"$TH" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq "$code" ] || fail "tracerhub $*: exit $rc, expected $code" || return 1
	grep -q -- "$pat" "$T_TMP/e" || fail "tracerhub $*: stderr lacks '$pat': $(cat "$T_TMP/e")"
}

test_bad_input_exits_2() {
	expect_exit 2 "unknown command or tracer 'nosuch'" nosuch || return 1
	expect_exit 2 "no process with pid 999999999" syscalls -p 999999999 || return 1
	expect_exit 2 "invalid pid 'abc'" syscalls -p abc || return 1
	expect_exit 2 "unknown option" syscalls --bogus || return 1
	expect_exit 2 "invalid interval" io 0 || return 1
	expect_exit 2 "unknown tracer 'nosuch'" top nosuch || return 1
	expect_exit 2 "unknown rung" syscalls --rung fentry || return 1
	expect_exit 2 "cannot open cgroup directory" syscalls --cgroup /nonexistent || return 1
	expect_exit 2 "Usage" || return 1
	[ "$(wc -l <"$T_TMP/e")" -ge 1 ] || return 1
	# one line only for the errors
	"$TH" syscalls -p abc 2>"$T_TMP/e"
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || fail "more than one line: $(cat "$T_TMP/e")"
}

test_not_root_exits_2() {
	need_root || return
	command -v setpriv >/dev/null || skip "setpriv missing" || return
	setpriv --reuid=65534 --regid=65534 --clear-groups "$TH" syscalls 1 1 >/dev/null 2>"$T_TMP/e"
	[ $? -eq 2 ] || fail "non-root run did not exit 2" || return 1
	grep -q "must run as root" "$T_TMP/e" || fail "message: $(cat "$T_TMP/e")"
}

test_help_and_list() {
	"$TH" syscalls -h >"$T_TMP/o" || fail "-h failed" || return 1
	grep -q -- "--latency" "$T_TMP/o" || fail "syscalls -h lacks -L" || return 1
	grep -q "Examples:" "$T_TMP/o" || fail "no examples" || return 1
	"$TH" list >"$T_TMP/o" || fail "list failed" || return 1
	grep -q "^syscalls" "$T_TMP/o" && grep -q "^io" "$T_TMP/o" || fail "list: $(cat "$T_TMP/o")"
}

# doctor: every feature, and every tracer's verdict from loading and attaching it.
test_doctor() {
	local t
	need_root || return
	"$TH" doctor >"$T_TMP/o" || fail "doctor failed" || return 1
	for f in btf tracefs tp_btf raw_tp tracepoint kprobe fentry uprobe ringbuf perf_sw bpf_stats; do
		grep -Eq "^$f +(ok|missing)" "$T_TMP/o" || fail "doctor lacks a line for $f" || return 1
	done
	for t in $("$TH" list | awk '/^[a-z]/ { print $1 }'); do
		grep -Eq "^tracer $t +(ok|ok via (tp_btf|raw_tp|tracepoint)|cannot run)$" "$T_TMP/o" ||
			fail "doctor has no verdict for $t:$(cat "$T_TMP/o")" || return 1
	done
	# a tracer that does not run says why, on the line under its verdict
	awk '/^tracer .* cannot run$/ { getline; if ($0 !~ /^  [a-z_]+ +[A-Z].*: .+/) exit 1 }' \
		"$T_TMP/o" || fail "a tracer that cannot run without its reason:$(cat "$T_TMP/o")" ||
		return 1
	doctor_json | jq -e '.features.btf.ok and .tracers.syscalls.ok and
		(.tracers | all(.ok == (.rung != "")))' >/dev/null || fail "doctor -j"
}

test_json_output_is_valid() {
	need_root || return
	"$TH" top -j 0.3 2 >"$T_TMP/o" 2>"$T_TMP/e" || fail "top -j: $(cat "$T_TMP/e")" || return 1
	[ "$(jq -s '[.[] | select(.type == "interval")] | length' "$T_TMP/o")" -eq 2 ] ||
		fail "expected 2 interval lines" || return 1
	jq -e -s 'all(.[]; .type == "event" or .type == "events_lost" or .type == "interval") and
		([.[] | select(.type == "interval") | .final != null and (.health | length) >= 2] |
		all)' "$T_TMP/o" >/dev/null || fail "bad JSON"
}

run_tests
