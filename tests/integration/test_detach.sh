#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# After exit, on SIGINT, SIGTERM or kill -9, no BPF program of ours stays loaded.
. "$(dirname "$0")/../lib.sh"

# Programs whose names are ours (the syscalls and io tracers), whoever owns them.
named_programs() {
	bpftool prog show -j 2>/dev/null |
		jq '[.[] | select((.name // "") | test("^(sys_exit_|sys_enter_|io_sys_exit_|io_block_start|io_uring_subm)"))] | length'
}

# Wait up to 5 s for our programs to be gone (the kernel frees them asynchronously).
no_programs_left() {
	for _ in $(seq 50); do
		[ "$(named_programs)" -eq 0 ] && return 0
		sleep 0.1
	done
	return 1
}

detach_after() {
	local sig=$1 n
	need_root || return
	command -v bpftool >/dev/null || skip "bpftool missing" || return
	no_programs_left || skip "another tracerhub is running" || return
	th_start "$T_TMP/out" "$T_TMP/err" top 1 || return 1
	n=$(named_programs)
	[ "$n" -ge 2 ] || fail "expected tracerhub's programs to be loaded, found $n" || return 1
	kill "-$sig" "$TH_PID"
	wait "$TH_PID" 2>/dev/null
	no_programs_left || fail "after SIG$sig, $(named_programs) programs are still loaded"
}

test_detach_on_sigint() { detach_after INT; }
test_detach_on_sigterm() { detach_after TERM; }
test_detach_on_kill9() { detach_after KILL; }

test_sigint_exits_zero_with_final_snapshot() {
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" syscalls -j 10 || return 1
	th_stop || return 1
	jq -e 'select(.final == true)' "$T_TMP/out" >/dev/null || fail "no final snapshot"
}

run_tests
