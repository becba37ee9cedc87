# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Context switches: stress-ng's pipe ping-pong between two processes on one CPU, about two
# sched_switch and one wakeup per bogo-op. The floor is an empty raw_tp program on
# sched_switch; the peer is libbpf-tools' runqlat (wakeup and switch hooks, a hash per thread).
# tracerhub cpu runs nothing per switch by default (a task iterator once per interval); -H adds
# the switch program for the run-queue histograms.
CASE_TITLE='context switches: stress-ng --switch on one CPU'
CASE_UNIT='bogo-ops/s'
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty raw_tp on sched_switch|$TOOLS/floor sched_switch'
	'tracerhub cpu|$TH cpu -j 1'
	'tracerhub cpu -H (histograms)|$TH cpu -H -j 1'
	'tracerhub exec|$TH exec -j 1'
	'runqlat (libbpf-tools)|/usr/sbin/runqlat 1'
)

case_setup() {
	command -v stress-ng >/dev/null || { echo "cpu_switch: stress-ng missing (scripts/deps.sh bench)" >&2; return 2; }
}
case_teardown() { :; }
case_run() {
	stress-ng --switch 1 -t 3 --metrics-brief 2>&1 | awk '/ switch +[0-9]/ && !/nanosecs/ { print $9 }'
}
