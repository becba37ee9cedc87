# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Fork/exit storm: a helper forks children that exit at once and reaps them, for about 3 s;
# every child is a fork, an exit and a few context switches. The peer is libbpf-tools'
# exitsnoop (one event per exit).
CASE_TITLE='fork/exit storm: children forked, exited and reaped'
CASE_UNIT='processes/s'
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'tracerhub exec|$TH exec -j 1'
	'tracerhub cpu|$TH cpu -j 1'
	'exitsnoop (libbpf-tools)|/usr/sbin/exitsnoop'
)

case_setup() {
	[ -x "$HELPERS/proc_spawn" ] || { echo "exec_storm: $HELPERS/proc_spawn missing: make helpers" >&2; return 2; }
}
case_teardown() { :; }
case_run() { "$HELPERS/proc_spawn" storm-for 3; }
