#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The kernel matrix's checks on the running kernel (in a guest of tests/kernels/run.sh, or on
# the host): doctor says every tracer loads and attaches, the integration tests of
# tests/kernels/subset, the cost microbenchmark.
# Usage: tests/kernels/check.sh OUTDIR   (as root)
# Writes into OUTDIR: release (uname -r), doctor.json, tests (the runner's lines),
# results (one OK, FAIL or SKIP line per test), bench.tsv (tests/kernels/bench.sh), done.
set -u
cd "$(dirname "$0")/../.."
out=$1
export BUILD=${BUILD:-build}
export RESULTS=$out/results DOCTOR_JSON=$out/doctor.json

uname -r >"$out/release"
: >"$RESULTS"
# doctor loads and attaches every tracer (test_doctor checks its output on the host): here, that
# every tracer does on this kernel; the tests after it check that they then count true
"$BUILD/tracerhub" doctor -j >"$out/doctor.json" 2>"$out/doctor.err"
cannot=$(jq -r '.tracers | to_entries[] | select(.value.ok | not) | "\(.key): \(.value.why)"' \
	"$out/doctor.json" 2>&1)
if [ -s "$out/doctor.json" ] && [ -z "$cannot" ]; then
	echo "#1 kernels/doctor_every_tracer_runs:OK"
	echo OK >>"$RESULTS"
else
	echo "#1 kernels/doctor_every_tracer_runs:FAIL"
	echo "${cannot:-doctor -j failed: $(head -3 "$out/doctor.err")}" | sed 's/^/        /'
	echo FAIL >>"$RESULTS"
fi >"$out/tests"
while read -r file pats; do
	case $file in '' | '#'*) continue ;; esac
	start=$SECONDS
	T_SELECT=$pats bash "tests/integration/$file.sh"
	echo "== $file: $((SECONDS - start)) s"
done <tests/kernels/subset >>"$out/tests" 2>&1
tests/kernels/bench.sh >"$out/bench.tsv" 2>"$out/bench.log"
echo done >"$out/done"
