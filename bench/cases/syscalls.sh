# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The syscall microbenchmark: 1-byte reads of /dev/zero. The floor is an empty raw_tp program
# on sys_enter; the peers are libbpf-tools' syscount and a bpftrace one-liner. Every tracerhub
# variant runs as users start it (statistics sampled in windows). Targets: tracerhub syscalls
# adds at most 1.3x the floor's time per syscall; tracerhub top at most 0.75x syscount's; the
# statistics windows at most 2% of syscalls' own added time (the --no-stats variant).
CASE_TITLE='syscall microbenchmark: 1-byte read() of /dev/zero'
CASE_UNIT='syscalls/s'
CASE_TOP_TARGET='of syscount (libbpf-tools) 0.75'
CASE_QUICK=1
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty raw_tp on sys_enter|$TOOLS/floor sys_enter'
	'tracerhub syscalls|$TH syscalls -j 1'
	'tracerhub syscalls --no-stats (no statistics windows)|$TH syscalls --no-stats -j 1'
	'tracerhub syscalls -e (errors: counts at sys_exit)|$TH syscalls -e -j 1'
	'empty raw_tp on sys_exit (the hook of -e)|$TOOLS/floor sys_exit'
	'tracerhub io|$TH io -j 1'
	'syscount (libbpf-tools)|/usr/sbin/syscount -i 1'
	'bpftrace count per comm|bpftrace -e "tracepoint:raw_syscalls:sys_enter { @[comm] = count(); } interval:s:1 { clear(@); }"'
)

case_setup() { :; }
case_teardown() { :; }
case_run() { "$TOOLS/syscall_loop" "$((QUICK ? 1 : 3))"; }
