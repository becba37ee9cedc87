#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Run every test: unit tests (no root), then integration tests (root, real BPF), then, with
# TEST_KERNELS set (make test), the kernel matrix of those kernels (tests/kernels/run.sh).
# Usage: tests/run.sh [PATTERN]   (PATTERN selects integration files / unit tests by name)
# Ends with "N passed, N failed, N skipped"; exits 1 when anything failed.
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
export RESULTS DOCTOR_JSON
RESULTS=$(mktemp)
DOCTOR_JSON=$(mktemp) # tests/lib.sh: doctor_json
pat=${1:-}

echo "== unit tests"
unit_out=$(mktemp)
"$BUILD/unit_tests" $pat >"$unit_out"
rc=$?
cat "$unit_out"
sed -n 's/.*:\(OK\|FAIL\)$/\1/p' "$unit_out" >>"$RESULTS"
if [ $rc -gt 1 ]; then
	echo "unit test runner crashed (exit $rc)"
	echo FAIL >>"$RESULTS"
fi
rm -f "$unit_out"

for f in tests/integration/test_*.sh; do
	[ -n "$pat" ] && [[ $f != *"$pat"* ]] && continue
	echo "== $f"
	bash "$f"
done

# The kernel matrix (tests/kernels/run.sh): the kernels of TEST_KERNELS in qemu, after the suite.
if [ -z "$pat" ] && [ -n "${TEST_KERNELS+set}" ]; then
	echo "== tests/kernels/run.sh $TEST_KERNELS"
	if [ -z "$TEST_KERNELS" ]; then
		echo "kernel matrix: SKIP (TEST_KERNELS is empty)"
		echo SKIP >>"$RESULTS"
	elif ! command -v qemu-system-x86_64 >/dev/null; then
		echo "kernel matrix: SKIP (qemu-system-x86_64 missing: scripts/deps.sh test installs it)"
		echo SKIP >>"$RESULTS"
	else
		# shellcheck disable=SC2086
		tests/kernels/run.sh $TEST_KERNELS
	fi
fi

passed=$(grep -c '^OK$' "$RESULTS")
failed=$(grep -c '^FAIL$' "$RESULTS")
skipped=$(grep -c '^SKIP$' "$RESULTS")
rm -f "$RESULTS" "$DOCTOR_JSON"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
