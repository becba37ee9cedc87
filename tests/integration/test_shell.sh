#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# shell: commands typed into an interactive bash through a pty (tmux send-keys) come out
# exactly, in order; a binary without readline is refused with a clear message.
. "$(dirname "$0")/../lib.sh"

test_shell_typed_commands() {
	local sock="th-shell-$$" bpid got want
	need_root || return
	command -v tmux >/dev/null || skip "tmux missing (scripts/deps.sh test installs it)" || return
	th_start "$T_TMP/out" "$T_TMP/err" shell --summary -j 0.2 || return 1
	tmux -L "$sock" new-session -d -x 120 -y 30 'bash --norc -i' || fail "tmux failed" || return 1
	bpid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
	wait_for_prompt() {
		for _ in $(seq 100); do
			tmux -L "$sock" capture-pane -p | grep -q '[$#] *$' && return 0
			sleep 0.05
		done
		return 1
	}
	wait_for_prompt || fail "no prompt from bash" || return 1
	for cmd in 'echo alpha-1' 'true "beta  2" | cat' '' "printf '%s\n' gamma"; do
		tmux -L "$sock" send-keys -l "$cmd"
		tmux -L "$sock" send-keys Enter
		sleep 0.1
		wait_for_prompt || fail "bash did not come back after '$cmd'" || return 1
	done
	tmux -L "$sock" send-keys -l 'exit'
	tmux -L "$sock" send-keys Enter
	sleep 0.5
	tmux -L "$sock" kill-server 2>/dev/null
	th_stop || return 1
	got=$(jq -r --argjson p "$bpid" 'select(.type == "event") | select(.tracer == "shell" and .pid == $p) |
		.command' "$T_TMP/out")
	want=$(printf '%s\n' 'echo alpha-1' 'true "beta  2" | cat' "printf '%s\n' gamma" 'exit')
	[ "$got" = "$want" ] || fail "commands of bash $bpid:
$got
expected:
$want" || return 1
	got=$(jq -s --argjson p "$bpid" '[.[] | select(.type == "event") | select(.tracer == "shell" and .pid == $p) |
		select(.uid == 0 and .comm == "bash" and .ts_ns > 1e18)] | length' "$T_TMP/out")
	[ "$got" -eq 4 ] || fail "uid/comm/time wrong on $((4 - got)) records"
}

test_shell_binary_without_readline() {
	"$TH" shell --binary /bin/ls 1 1 >"$T_TMP/o" 2>"$T_TMP/e"
	[ $? -eq 2 ] || fail "--binary /bin/ls: exit $?, expected 2" || return 1
	grep -q "/bin/ls has no readline function (stripped, or not bash)" "$T_TMP/e" ||
		fail "message: $(cat "$T_TMP/e")" || return 1
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || fail "more than one line: $(cat "$T_TMP/e")" || return 1
	"$TH" shell --binary /etc/hostname 1 1 2>"$T_TMP/e"
	[ $? -eq 2 ] && grep -q "not an ELF executable" "$T_TMP/e" || fail "non-ELF: $(cat "$T_TMP/e")" ||
		return 1
	"$TH" shell --binary /nonexistent 1 1 2>"$T_TMP/e"
	[ $? -eq 2 ] && grep -q "cannot read /nonexistent" "$T_TMP/e" || fail "missing: $(cat "$T_TMP/e")"
}

test_shell_explicit_binary() {
	need_root || return
	local bash
	bash=$(readlink -f "$(command -v bash)")
	th_start "$T_TMP/out" "$T_TMP/err" shell --binary "$bash" --summary -j 0.2 || return 1
	grep -q "tracing readline() in $bash" "$T_TMP/err" || fail "stderr: $(cat "$T_TMP/err")" || return 1
	th_stop
}

run_tests
