# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# A mixed load (cpu, io, vm, context switches) with every tracer on. The number is the
# geometric mean of the four stressors' bogo-ops/s, so each weighs the same.
CASE_TITLE='stress-ng mixed (cpu, io, vm, switch), every tracer on'
CASE_UNIT='bogo-ops/s (geomean)'
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
)

case_setup() {
	command -v stress-ng >/dev/null || { echo "stress-ng missing" >&2; return 2; }
}
case_teardown() { :; }
case_run() {
	stress-ng --cpu 1 --io 1 --vm 1 --switch 1 -t 3 --metrics-brief 2>&1 |
		awk '$4 ~ /^(cpu|io|vm|switch)$/ && NF == 10 && $9 > 0 { s += log($9); n++ }
		     END { if (n == 4) printf "%.0f\n", exp(s / n) }'
}
