#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# cpu: on-CPU time agrees with getrusage; two spinning threads on one core wait on the run
# queue as long as the kernel's own schedstat says, and are preempted (involuntary switches).
. "$(dirname "$0")/../lib.sh"

# Start helper proc_cpu ARGS... (it waits for SIGUSR1), trace it with `cpu -p PID -j 0.2 OPTS`,
# release it and stop; the helper's output lands in $T_TMP/helper, the JSON in $T_TMP/out.
traced_cpu() {
	local opts=$1 hpid
	shift
	"$HELPERS/proc_cpu" "$@" >"$T_TMP/helper" &
	hpid=$!
	# shellcheck disable=SC2086
	th_start "$T_TMP/out" "$T_TMP/err" cpu -p $hpid -j 0.2 $opts || return 1
	kill -USR1 $hpid
	wait $hpid || fail "helper failed" || return 1
	sleep 0.3
	th_stop
}

metric_sum() {
	jq -s --arg m "$1" '[.[].procs[] | .[$m] // 0] | add // 0' "$T_TMP/out"
}

check_cpu_time() {
	local rung=$1 want got
	need_root || return
	need_rung "$rung" || return
	traced_cpu "--rung $rung" spin 1000 || return 1
	want=$(cat "$T_TMP/helper")
	got=$(metric_sum cpu_ns)
	echo "on-CPU: traced $got ns, getrusage $want ns"
	# within 10%
	[ $((got * 10)) -ge $((want * 9)) ] && [ $((got * 10)) -le $((want * 11)) ] ||
		fail "$rung: on-CPU time $got ns, getrusage says $want ns" || return 1
	got=$(jq -s '[.[].procs[] | .comm] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "proc_cpu" ] || fail "$rung: rows of '$got'"
}

test_cpu_time_tp_btf() { check_cpu_time tp_btf; }
test_cpu_time_raw_tp() { check_cpu_time raw_tp; }
test_cpu_time_tracepoint() { check_cpu_time tracepoint; }

check_runq() {
	local rung=$1 cpu delay pcount count p50 p99 invol sum cpu_ns
	need_root || return
	need_rung "$rung" || return
	cpu=$(($(nproc) - 1))
	traced_cpu "--rung $rung -P" runq $cpu 1000 || return 1
	read -r delay pcount <"$T_TMP/helper"
	[ "$pcount" -gt 10 ] || fail "the threads ran only $pcount times" || return 1
	count=$(jq -s '[.[].hists[] | select(.label == "") | .count] | add' "$T_TMP/out")
	echo "runq: $count waits traced; schedstat: $pcount runs"
	# one wait per time a thread got the CPU (schedstat was read just before the threads' last runs)
	[ "$count" -ge $((pcount - pcount / 20 - 2)) ] && [ "$count" -le $((pcount + pcount / 10 + 4)) ] ||
		fail "$rung: $count run-queue waits, schedstat counted $pcount runs" || return 1
	# the waits add up to the kernel's run_delay: both read the same runqueue clock
	sum=$(jq -s '[.[].hists[] | select(.label == "") | .sum] | add' "$T_TMP/out")
	echo "runq: traced waits add up to $sum ns, schedstat run_delay $delay ns"
	[ $((sum * 20)) -ge $((delay * 19)) ] && [ $((sum * 20)) -le $((delay * 21)) ] ||
		fail "$rung: waits add up to $sum ns, schedstat run_delay $delay ns" || return 1
	# each thread waits while the other runs: the waits add up to at least the CPU time the
	# two got (less the edges), and the long ones last a scheduler slice (about a millisecond
	# or more) however busy the core is otherwise
	cpu_ns=$(metric_sum cpu_ns)
	read -r p50 p99 < <(jq -s -r '[.[].hists[] | select(.label | startswith("pid="))] |
		max_by(.count) | "\(.p50) \(.p99)"' "$T_TMP/out")
	echo "runq: on-CPU $cpu_ns ns; busiest interval p50 $p50 ns p99 $p99 ns"
	[ $((sum * 10)) -ge $((cpu_ns * 8)) ] ||
		fail "$rung: waits add up to $sum ns, less than the $cpu_ns ns the threads ran" || return 1
	[ "$p99" -ge 500000 ] && [ "$p99" -le 1100000000 ] && [ "$p99" -ge "$p50" ] ||
		fail "$rung: p99 $p99 ns (p50 $p50) outside 0.5ms..1.1s" || return 1
	p50=$(jq -s '[.[].procs[] | .runq_p50_ns // 0] | max' "$T_TMP/out")
	[ "$p50" -gt 0 ] || fail "$rung: no runq_p50_ns in the process rows" || return 1
	count=$(jq -s '[.[].hists[] | select(.label | startswith("pid=")) | .count] | add' "$T_TMP/out")
	[ "$count" -ge "$pcount" ] || fail "$rung: per-process histogram holds $count" || return 1
	invol=$(metric_sum invol_ctxsw)
	[ "$invol" -ge $((pcount / 2)) ] || fail "$rung: only $invol involuntary switches" || return 1
	[ "$(metric_sum vol_ctxsw)" -lt "$invol" ] || fail "$rung: spinners mostly switched voluntarily"
}

test_cpu_runq_tp_btf() { check_runq tp_btf; }
test_cpu_runq_raw_tp() { check_runq raw_tp; }
test_cpu_runq_tracepoint() { check_runq tracepoint; }

test_cpu_text_view() {
	need_root || return
	"$TH" cpu 0.3 1 >"$T_TMP/out" 2>"$T_TMP/err" || fail "cpu failed: $(cat "$T_TMP/err")" || return 1
	grep -q "CPU%" "$T_TMP/out" && grep -q "RQ_P99" "$T_TMP/out" ||
		fail "no CPU%/RQ_P99 columns: $(cat "$T_TMP/out")" || return 1
	grep -q "^runq_latency (ns)" "$T_TMP/out" || fail "no run-queue histogram: $(cat "$T_TMP/out")"
}

run_tests
