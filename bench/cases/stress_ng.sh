# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A mixed load (cpu, io, vm, context switches) with every tracer on. The stressors run one
# after another, each alone on the workload CPU for the same time: run together on one CPU,
# the scheduler's split between them moved each one's rate by up to 10x from run to run,
# which says nothing of tracing. The number is the geometric mean of the four stressors'
# bogo-ops/s, so each weighs the same.
CASE_TITLE='stress-ng mixed (cpu, io, vm, switch, one after another), every tracer on'
CASE_UNIT='bogo-ops/s (geomean)'
CASE_TOP_TARGET='retained 0.97'
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
)

case_setup() {
	command -v stress-ng >/dev/null || { echo "stress-ng missing" >&2; return 2; }
}
case_teardown() { :; }
case_run() {
	local s
	for s in cpu io vm switch; do
		stress-ng --$s 1 -t "$((QUICK ? 1 : 2))" --metrics-brief 2>&1
	done | awk '$4 ~ /^(cpu|io|vm|switch)$/ && NF == 10 && $9 > 0 { s += log($9); n++ }
		    END { if (n == 4) printf "%.0f\n", exp(s / n) }'
}
