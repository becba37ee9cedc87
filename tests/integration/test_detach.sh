#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# After exit, on SIGINT, SIGTERM or kill -9, no BPF program of ours stays loaded.
. "$(dirname "$0")/../lib.sh"

prog_ids() { bpftool prog show -j 2>/dev/null | jq -r '.[].id' | sort -n; }

# Ids of the programs in $1 (a file of ids) still loaded.
still_loaded() { comm -12 <(sort "$1") <(prog_ids | sort); }

detach_after() {
	local sig=$1 n
	need_root || return
	command -v bpftool >/dev/null || skip "bpftool missing" || return
	th_start "$T_TMP/out" "$T_TMP/err" top 1 || return 1
	# ours: the programs tracerhub holds open (others may load programs meanwhile)
	cat /proc/"$TH_PID"/fdinfo/* 2>/dev/null | awk '/^prog_id:/ { print $2 }' | sort -u \
		>"$T_TMP/ours"
	n=$(wc -l <"$T_TMP/ours")
	[ "$n" -ge 2 ] || fail "expected tracerhub's programs to be loaded, found $n" || return 1
	kill "-$sig" "$TH_PID"
	wait "$TH_PID" 2>/dev/null
	# the kernel frees programs asynchronously: give it up to 5 s
	for _ in $(seq 50); do
		[ -z "$(still_loaded "$T_TMP/ours")" ] && return 0
		sleep 0.1
	done
	fail "after SIG$sig, programs $(still_loaded "$T_TMP/ours" | tr '\n' ' ')of $n are still loaded"
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
