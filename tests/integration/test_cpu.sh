#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# cpu: on-CPU time agrees with getrusage, also for processes that come and go between two
# reads of the task iterator; two spinning threads on one core wait on the run queue as long
# as the kernel's own schedstat says, and are preempted (involuntary switches). The default
# reads tasks once per interval (no program on sched_switch); -H/-P and --cgroup run the
# per-switch program.
. "$(dirname "$0")/../lib.sh"

# Start helper proc_cpu ARGS... (it waits for SIGUSR1), trace it with
# `cpu -p PID -j $INTERVAL OPTS` (OPTS may name the helper's pid as HPID), release it and
# stop; the helper's output lands in $T_TMP/helper, the JSON in $T_TMP/out.
traced_cpu() {
	local opts=$1 hpid
	shift
	"$HELPERS/proc_cpu" "$@" >"$T_TMP/helper" &
	hpid=$!
	# shellcheck disable=SC2086
	th_start "$T_TMP/out" "$T_TMP/err" cpu ${opts//HPID/$hpid} -j "${INTERVAL:-0.2}" ||
		return 1
	kill -USR1 $hpid
	wait $hpid || fail "helper failed" || return 1
	# a reaped child's figures reach cpu_exited when it is freed, after an RCU grace period,
	# which a loaded machine can stretch
	sleep 1
	th_stop
}

metric_sum() {
	jq -s --arg m "$1" '[.[].procs[] | .[$m] // 0] | add // 0' "$T_TMP/out"
}

# The number of BPF programs cpu runs (its health record).
programs() {
	jq -s '[.[].health[] | select(.tracer == "cpu") | .programs] | max' "$T_TMP/out"
}

need_iter() {
	doctor_json | jq -e '.features.iter_task.ok' >/dev/null ||
		skip "no BPF task iterator on this kernel (cpu then runs on every switch)"
}

# On-CPU time of a thread burning 1 s, on rung $1: read by the task iterator (mode iter: two
# programs, the iterator and the exit hook) or counted on every switch (mode switch:
# --cgroup, which only the switch program can test, on the root of the cgroup2 hierarchy;
# two programs: the switch hook, and the hub's rename of the process table after an exec).
check_cpu_time() {
	local rung=$1 mode=$2 opts="--rung $1 -p HPID" want got progs cg
	need_root || return
	need_rung "$rung" || return
	if [ "$mode" = iter ]; then
		need_iter || return
		progs=2
	else
		cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
		[ -n "$cg" ] || skip "no cgroup2 hierarchy mounted" || return
		opts="$opts --cgroup $cg"
		progs=2
	fi
	traced_cpu "$opts" spin 1000 || return 1
	got=$(jq -s '[.[].procs[] | .comm] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "proc_cpu" ] || fail "$rung/$mode: rows of '$got'" || return 1
	[ "$(programs)" = $progs ] || fail "$rung/$mode: $(programs) programs, want $progs" ||
		return 1
	want=$(cat "$T_TMP/helper")
	# the helper burns 1 s of CPU as CLOCK_PROCESS_CPUTIME_ID counts it: where getrusage says
	# otherwise, the kernel's own clocks disagree (an emulated CPU: qemu's TCG), and the time
	# tracerhub reads from the scheduler cannot be checked against them
	[ $((want / 10000000)) -ge 90 ] && [ $((want / 10000000)) -le 110 ] ||
		skip "this machine's CPU clocks disagree: getrusage says $want ns for 1 s of CPU" \
			"time by CLOCK_PROCESS_CPUTIME_ID (an emulated CPU?)" || return
	got=$(metric_sum cpu_ns)
	echo "on-CPU: traced $got ns, getrusage $want ns"
	# within 10%
	[ $((got * 10)) -ge $((want * 9)) ] && [ $((got * 10)) -le $((want * 11)) ] ||
		fail "$rung/$mode: on-CPU time $got ns, getrusage says $want ns"
}

test_cpu_time_tp_btf() { check_cpu_time tp_btf iter; }
test_cpu_time_raw_tp() { check_cpu_time raw_tp iter; }
test_cpu_time_tracepoint() { check_cpu_time tracepoint iter; }
test_cpu_time_switch_tp_btf() { check_cpu_time tp_btf switch; }
test_cpu_time_switch_raw_tp() { check_cpu_time raw_tp switch; }
test_cpu_time_switch_tracepoint() { check_cpu_time tracepoint switch; }

# Five processes burn 100 ms each and exit inside one 10 s interval: the iterator never sees
# them, their time comes from the exit hook alone (the rung's: sched_process_free, or
# sched_process_exit on the classic tracepoint), one row each.
check_exited() {
	local rung=$1 want got pids rows
	need_root || return
	need_rung "$rung" || return
	need_iter || return
	INTERVAL=10 traced_cpu "--rung $rung -c proc_cpu" forks 5 100 || return 1
	read -r want pids <"$T_TMP/helper"
	pids="[${pids// /,}]"
	got=$(jq -s --argjson p "$pids" '[.[].procs[] | select(.pid as $x | $p | index($x)) |
		.cpu_ns] | add // 0' "$T_TMP/out")
	rows=$(jq -s --argjson p "$pids" '[.[].procs[] | select(.pid as $x | $p | index($x))] |
		length' "$T_TMP/out")
	echo "exited: traced $got ns in $rows rows, getrusage(children) $want ns"
	[ "$rows" -eq 5 ] || fail "$rung: $rows rows for the 5 children" || return 1
	[ $((got * 10)) -ge $((want * 9)) ] && [ $((got * 10)) -le $((want * 11)) ] ||
		fail "$rung: children's on-CPU time $got ns, getrusage says $want ns"
}

test_cpu_exited_tp_btf() { check_exited tp_btf; }
test_cpu_exited_raw_tp() { check_exited raw_tp; }
test_cpu_exited_tracepoint() { check_exited tracepoint; }

# Without histograms the rows carry the mean run-queue wait of the interval, from the
# scheduler's run_delay/pcount: over one interval that holds the whole run it is what
# schedstat says for the two threads (within 5%; the main thread adds a wakeup or two).
check_runq_avg() {
	local rung=$1 cpu delay pcount avg want
	need_root || return
	need_rung "$rung" || return
	need_iter || return
	cpu=$(($(nproc) - 1))
	INTERVAL=10 traced_cpu "--rung $rung -p HPID" runq $cpu 1000 || return 1
	read -r delay pcount <"$T_TMP/helper"
	[ "$pcount" -gt 10 ] || fail "the threads ran only $pcount times" || return 1
	want=$((delay / pcount))
	avg=$(jq -s '[.[].procs[] | .runq_avg_ns // 0] | max' "$T_TMP/out")
	echo "runq: mean wait $avg ns; schedstat $delay ns over $pcount runs = $want ns"
	[ $((avg * 20)) -ge $((want * 19)) ] && [ $((avg * 20)) -le $((want * 21)) ] ||
		fail "$rung: mean run-queue wait $avg ns, schedstat says $want ns" || return 1
	[ "$(jq -s '[.[].hists[]] | length' "$T_TMP/out")" = 0 ] ||
		fail "$rung: histograms without -H"
}

test_cpu_runq_avg_tp_btf() { check_runq_avg tp_btf; }
test_cpu_runq_avg_raw_tp() { check_runq_avg raw_tp; }
test_cpu_runq_avg_tracepoint() { check_runq_avg tracepoint; }

check_runq() {
	local rung=$1 cpu delay pcount count p50 p99 invol sum cpu_ns
	need_root || return
	need_rung "$rung" || return
	cpu=$(($(nproc) - 1))
	traced_cpu "--rung $rung -p HPID -P" runq $cpu 1000 || return 1
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
	grep -q "CPU%" "$T_TMP/out" && grep -q "RQ_AVG" "$T_TMP/out" ||
		fail "no CPU%/RQ_AVG columns: $(cat "$T_TMP/out")" || return 1
	"$TH" cpu -H 0.3 1 >"$T_TMP/out" 2>"$T_TMP/err" ||
		fail "cpu -H failed: $(cat "$T_TMP/err")" || return 1
	grep -q "RQ_P99" "$T_TMP/out" || fail "no RQ_P99 column with -H: $(cat "$T_TMP/out")" ||
		return 1
	grep -Eq "^runq_latency \((n|u|m)?secs\), [0-9]+ values, p50 ~" "$T_TMP/out" || fail "no run-queue histogram: $(cat "$T_TMP/out")"
}

run_tests
