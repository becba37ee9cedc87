#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# syscalls and io report exactly the syscalls of a workload we control, on every rung.
. "$(dirname "$0")/../lib.sh"

READS=12345
READ_SIZE=64
WRITES=678
WRITE_SIZE=4096
FAILS=0 # close(-1) calls that fail with EBADF

# Run the workload under `tracerhub TRACER -p PID -j ARGS...`; the JSON lines land in $T_TMP/out.
traced_workload() {
	local tracer=$1 wpid
	shift
	"$HELPERS/syscall_workload" $READS $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/file" $FAILS &
	wpid=$!
	th_start "$T_TMP/out" "$T_TMP/err" "$tracer" -p "$wpid" -j 0.2 "$@" || return 1
	kill -USR1 "$wpid"
	wait "$wpid" || fail "workload failed" || return 1
	th_stop
}

# Sum of column $2 of syscall $1 over all intervals.
syscall_sum() {
	jq -s --arg n "$1" --arg c "$2" \
		'[.[].tables[] | select(.name == "syscalls") | .rows[] | select(.syscall == $n) | .[$c]] | add // 0' \
		"$T_TMP/out"
}

# Sum of metric $1 over all intervals' process rows.
metric_sum() {
	jq -s --arg m "$1" '[.[].procs[] | .[$m]] | add // 0' "$T_TMP/out"
}

check_syscalls() {
	local rung=$1 got
	need_root || return
	need_rung "$rung" || return
	TRACERHUB_RUNG=$rung traced_workload syscalls || return 1
	got=$(syscall_sum read count)
	[ "$got" -eq $READS ] || fail "$rung: read count $got, expected $READS" || return 1
	got=$(syscall_sum write count)
	[ "$got" -eq $WRITES ] || fail "$rung: write count $got, expected $WRITES" || return 1
	got=$(syscall_sum openat count)
	[ "$got" -eq 2 ] || fail "$rung: openat count $got, expected 2" || return 1
	got=$(jq -s '[.[].health[] | select(.tracer == "syscalls") | .rung] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "$rung" ] || fail "attached via '$got', expected $rung" || return 1
	got=$(jq -s '[.[].procs[] | .comm] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "syscall_workloa" ] || fail "comm '$got'" || return 1
	# every syscall of the process is in its row: rows and the per-syscall table agree
	[ "$(metric_sum syscalls)" -eq "$(syscall_sum_all)" ] || fail "per-process total differs from per-syscall total" || return 1
	# errors are not counted without -e: no column claims zero
	got=$(jq -s '[.[].tables[] | select(.name == "syscalls") | .rows[] | has("errors")] + [.[].procs[] | has("syscall_errors")] | any' "$T_TMP/out")
	[ "$got" = false ] || fail "$rung: error columns without -e"
}

syscall_sum_all() {
	jq -s '[.[].tables[] | select(.name == "syscalls") | .rows[] | .count] | add // 0' "$T_TMP/out"
}

check_io() {
	local rung=$1 got
	need_root || return
	need_rung "$rung" || return
	TRACERHUB_RUNG=$rung traced_workload io || return 1
	got=$(metric_sum read_ops)
	[ "$got" -eq $READS ] || fail "$rung: read_ops $got, expected $READS" || return 1
	got=$(metric_sum read_bytes)
	[ "$got" -eq $((READS * READ_SIZE)) ] || fail "$rung: read_bytes $got" || return 1
	got=$(metric_sum write_ops)
	[ "$got" -eq $WRITES ] || fail "$rung: write_ops $got, expected $WRITES" || return 1
	got=$(metric_sum write_bytes)
	[ "$got" -eq $((WRITES * WRITE_SIZE)) ] || fail "$rung: write_bytes $got" || return 1
	got=$(metric_sum opens)
	[ "$got" -eq 2 ] || fail "$rung: opens $got, expected 2" || return 1
}

test_syscalls_tp_btf() { check_syscalls tp_btf; }
test_syscalls_raw_tp() { check_syscalls raw_tp; }
test_syscalls_tracepoint() { check_syscalls tracepoint; }
test_io_tp_btf() { check_io tp_btf; }
test_io_raw_tp() { check_io raw_tp; }
test_io_tracepoint() { check_io tracepoint; }

# -e counts the workload's failing calls exactly, per syscall and per process, on every rung.
check_syscall_errors() {
	local rung=$1 got
	need_root || return
	need_rung "$rung" || return
	FAILS=321 TRACERHUB_RUNG=$rung traced_workload syscalls -e || return 1
	got=$(syscall_sum close errors)
	[ "$got" -eq 321 ] || fail "$rung: close errors $got, expected 321" || return 1
	got=$(syscall_sum close count)
	[ "$got" -eq 323 ] || fail "$rung: close count $got, expected 323" || return 1
	got=$(syscall_sum read errors)
	[ "$got" -eq 0 ] || fail "$rung: read errors $got, expected 0" || return 1
	got=$(metric_sum syscall_errors)
	[ "$got" -eq 321 ] || fail "$rung: per-process errors $got, expected 321" || return 1
	got=$(syscall_sum read count)
	[ "$got" -eq $READS ] || fail "$rung: read count $got with -e, expected $READS"
}

# One test per rung, each on its own result line: alike by design (docs/architecture.md).
test_syscall_errors_tp_btf() { check_syscall_errors tp_btf; }
test_syscall_errors_raw_tp() { check_syscall_errors raw_tp; }
test_syscall_errors_tracepoint() { check_syscall_errors tracepoint; }

# top with one tracer named takes that tracer's options (here -e).
test_top_takes_single_tracer_options() {
	local got
	need_root || return
	FAILS=321 traced_workload top syscalls -e || return 1
	got=$(syscall_sum close errors)
	[ "$got" -eq 321 ] || fail "top syscalls -e: close errors $got, expected 321" || return 1
	got=$(metric_sum syscall_errors)
	[ "$got" -eq 321 ] || fail "top syscalls -e: per-process errors $got, expected 321"
}

test_syscalls_latency_counts() {
	local got
	need_root || return
	traced_workload syscalls -L || return 1
	got=$(jq -s '[.[].hists[] | select(.label == "syscall=read") | .count] | add // 0' "$T_TMP/out")
	[ "$got" -eq $READS ] || fail "read latency histogram holds $got values, expected $READS" || return 1
	got=$(jq -s '[.[].tables[] | .rows[] | select(.syscall == "read") | .avg_ns] | max' "$T_TMP/out")
	[ "$got" -gt 0 ] || fail "avg_ns of read is $got" || return 1
	got=$(syscall_sum read errors)
	[ "$got" -eq 0 ] || fail "-L counts errors too: read errors $got, expected 0"
}

test_syscalls_comm_filter() {
	local got
	need_root || return
	"$HELPERS/syscall_workload" 100 1 10 1 "$T_TMP/file" &
	local wpid=$!
	th_start "$T_TMP/out" "$T_TMP/err" syscalls -c syscall_workloa -j 0.2 || return 1
	kill -USR1 $wpid
	wait $wpid
	th_stop || return 1
	got=$(jq -s '[.[].procs[] | .comm] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "syscall_workloa" ] || fail "comm filter let through: $got" || return 1
	got=$(syscall_sum read count)
	[ "$got" -eq 100 ] || fail "read count $got, expected 100"
}

# A process named on one CPU that execs on another keeps its new name, alive or gone;
# $1: the tracer (io renames at the exec's return, syscalls at sched_process_exec).
check_comm_after_exec_on_another_cpu() {
	local tracer=$1 metric=$2 wpid got
	need_root || return
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs" || return
	th_start "$T_TMP/out" "$T_TMP/err" "$tracer" -j 0.3 || return 1
	taskset -c 0 bash -c "head -c 100 /dev/zero >/dev/null; exec taskset -c 1 $HELPERS/syscall_workload 3000 8 5 8 $T_TMP/file" &
	wpid=$!
	# USR1 starts the workload once it has exec'd (the shell before it would die of it)
	for _ in $(seq 100); do
		[ "$(cat /proc/$wpid/comm 2>/dev/null)" = syscall_workloa ] && break
		sleep 0.1
	done
	sleep 0.2
	kill -USR1 $wpid
	wait $wpid
	sleep 0.5
	th_stop || return 1
	# 3000 reads: more than the shell and taskset make before the exec (about 500 under load)
	got=$(jq -s --argjson p $wpid --arg m "$metric" '[.[].procs[] |
		select(.pid == $p and .[$m] >= 2000) | .comm] | unique | join(",")' -r "$T_TMP/out")
	[ "$got" = "syscall_workloa" ] || fail "$tracer: the workload's calls were reported under '$got'"
}

test_comm_after_exec_on_another_cpu_io() { check_comm_after_exec_on_another_cpu io read_ops; }
test_comm_after_exec_on_another_cpu_syscalls() { check_comm_after_exec_on_another_cpu syscalls syscalls; }

run_tests
