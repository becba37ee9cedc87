#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# exec reports exactly the execs and exits of processes we start, with their argv and exit
# codes, on every rung; a fork/exit storm is counted exactly even when events overflow.
. "$(dirname "$0")/../lib.sh"

N=20

# Events of tracer exec whose parent is $1 and kind is $2, as compact JSON lines.
child_events() {
	jq -c --argjson p "$1" --arg k "$2" \
		'select(.type == "event") | select(.tracer == "exec" and .ppid == $p and .event == $k)' "$T_TMP/out"
}

check_children() {
	local rung=$1 hpid got k want
	need_root || return
	need_rung "$rung" || return
	th_start "$T_TMP/out" "$T_TMP/err" exec --rung "$rung" --summary -j 0.2 || return 1
	"$HELPERS/proc_spawn" exec $N &
	hpid=$!
	wait $hpid || fail "helper failed" || return 1
	sleep 0.3
	th_stop || return 1
	got=$(jq -s '[.[].health[]? | select(.tracer == "exec") | .rung] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "$rung" ] || fail "attached via '$got', expected $rung" || return 1
	got=$(child_events $hpid exec | wc -l)
	[ "$got" -eq $N ] || fail "$rung: $got exec records, expected $N" || return 1
	got=$(child_events $hpid exit | wc -l)
	[ "$got" -eq $N ] || fail "$rung: $got exit records, expected $N" || return 1
	for ((k = 0; k < N; k++)); do
		got=$(child_events $hpid exec | jq -r --arg a "proc_spawn child $k tag-$k" \
			'select(.argv == $a) | "\(.uid) \(.start_ns > 0) \(.pid)"')
		[ -n "$got" ] && [ "${got%% *}" -eq 0 ] ||
			fail "$rung: no exec record with argv 'proc_spawn child $k tag-$k'" || return 1
		local pid=${got##* }
		if ((k % 5 == 4)); then want="0 15"; else want="$((k % 7)) 0"; fi
		got=$(child_events $hpid exit | jq -r --argjson p "$pid" \
			'select(.pid == $p) | "\(.exit_code) \(.signal)"')
		[ "$got" = "$want" ] ||
			fail "$rung: child $k (pid $pid) exit '$got', expected '$want' (code signal)" ||
			return 1
	done
	got=$(child_events $hpid exit | jq -s '[.[] | select(.lifetime_ns > 0 and .lifetime_ns < 5e9)] | length')
	[ "$got" -eq $N ] || fail "$rung: $got of $N lifetimes are plausible" || return 1
	# the helper's own record: its exec has its argv, its exit code 0
	got=$(jq -r --argjson p "$hpid" 'select(.type == "event") | select(.pid == $p and .event == "exec") | .argv' "$T_TMP/out")
	[[ $got == *"proc_spawn exec $N" ]] || fail "$rung: helper argv '$got'"
}

test_exec_children_tp_btf() { check_children tp_btf; }
test_exec_children_raw_tp() { check_children raw_tp; }
test_exec_children_tracepoint() { check_children tracepoint; }

# Failed execs are reported with -F only: errno and the argv they were given.
check_failed() {
	local rung=$1 hpid got k
	need_root || return
	need_rung "$rung" || return
	th_start "$T_TMP/out" "$T_TMP/err" exec -F --rung "$rung" --summary -j 0.2 || return 1
	"$HELPERS/proc_spawn" fail 5 &
	hpid=$!
	wait $hpid || fail "helper failed" || return 1
	sleep 0.3
	th_stop || return 1
	got=$(child_events $hpid exec_failed | jq -r '"\(.errno) \(.argv)"' | sort)
	[ "$got" = "$(for k in 0 1 2 3 4; do echo "2 nope $k"; done)" ] ||
		fail "$rung: failed execs: $got" || return 1
	got=$(child_events $hpid exit | jq -r .exit_code | sort -u)
	[ "$got" = 127 ] || fail "$rung: exit codes '$got', expected 127" || return 1
	got=$(jq -s '[.[].tables[]? | select(.name == "process_events") | .rows[] |
		select(.event == "exec_failed") | .count] | add' "$T_TMP/out")
	[ "$got" -ge 5 ] || fail "$rung: exec_failed counted $got"
}

test_exec_failed_tp_btf() { check_failed tp_btf; }
test_exec_failed_tracepoint() { check_failed tracepoint; }

test_exec_failed_needs_option() {
	local hpid
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" exec --summary -j 0.2 || return 1
	"$HELPERS/proc_spawn" fail 3 &
	hpid=$!
	wait $hpid
	sleep 0.3
	th_stop || return 1
	[ "$(child_events $hpid exec_failed | wc -l)" -eq 0 ] || fail "failed execs without -F" || return 1
	[ "$(child_events $hpid exit | wc -l)" -eq 3 ] || fail "exits of the children missing"
}

# 10000 processes in about a second: more than the 4096 events an interval holds, so the
# event list overflows, and the in-kernel counts must still be exact.
test_exec_storm_counted_exactly() {
	local storm=10000 hpid got lost shown name=storm$$
	need_root || return
	# a name of this run's own (the comm filter's), so another fork storm is not counted
	cp "$HELPERS/proc_spawn" "$T_TMP/$name"
	th_start "$T_TMP/out" "$T_TMP/err" exec -c $name --summary -j 1 || return 1
	"$T_TMP/$name" storm $storm &
	hpid=$!
	wait $hpid || fail "helper failed" || return 1
	sleep 0.3
	th_stop || return 1
	count() {
		jq -s --arg e "$1" '[.[].tables[]? | select(.name == "process_events") | .rows[] |
			select(.event == $e) | .count] | add // 0' "$T_TMP/out"
	}
	got=$(jq -s '[.[].health[]? | select(.tracer == "exec") | .drops] | add' "$T_TMP/out")
	[ "$got" -eq 0 ] || fail "the kernel side dropped $got records" || return 1
	got=$(count fork)
	[ "$got" -eq $storm ] || fail "forks counted $got, expected $storm" || return 1
	got=$(count exit)
	[ "$got" -eq $((storm + 1)) ] || fail "exits counted $got, expected $((storm + 1))" || return 1
	got=$(count exec)
	[ "$got" -eq 1 ] || fail "execs counted $got, expected 1" || return 1
	got=$(jq -s '[.[].procs[]? | .exits] | add' "$T_TMP/out")
	[ "$got" -eq $((storm + 1)) ] || fail "per-process exits add up to $got" || return 1
	# every record is either shown or counted as not shown
	lost=$(jq -s '[.[].events_lost] | add' "$T_TMP/out")
	shown=$(jq -s '[.[] | select(.type == "event") | select(.tracer == "exec")] | length' "$T_TMP/out")
	# (events stream as they come, so whether an interval's list overflows depends on how fast
	# the storm runs; the accounting must hold either way)
	[ $((lost + shown)) -eq $((storm + 2)) ] ||
		fail "shown $shown + lost $lost != $((storm + 2)) records"
}

test_exec_text_view() {
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" exec 0.3 || return 1
	"$HELPERS/proc_spawn" exec 3
	sleep 0.5
	th_stop || return 1
	grep -Eq "^TIME +PID +PPID +UID +RET +COMM +ARGS$" "$T_TMP/out" ||
		fail "no execsnoop header: $(cat "$T_TMP/out")" || return 1
	grep -Eq "^[0-9:.]{12} .* proc_spawn child 2 tag-2$" "$T_TMP/out" ||
		fail "no exec line: $(cat "$T_TMP/out")" || return 1
	! grep -Eq "^event +count/s" "$T_TMP/out" ||
		fail "the process_events table came without --summary: $(cat "$T_TMP/out")"
}

run_tests
