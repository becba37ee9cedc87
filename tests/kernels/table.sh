#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The per-kernel table of the kernel matrix, from what tests/kernels/check.sh wrote for each
# kernel: each tracer's verdict from doctor (the rung it attaches at, its other programs, the
# tracepoints the kernel lacks), the features, the tests, the cost ratios. Written into FILE
# between the lines "<!-- kernel-table -->" and "<!-- /kernel-table -->".
# Usage: tests/kernels/table.sh FILE DIR...   (DIR: $BUILD/kernels/results/KVER)
set -eu
file=$1
shift
grep -q '^<!-- kernel-table -->$' "$file" && grep -q '^<!-- /kernel-table -->$' "$file" ||
	{ echo "table: $file has no kernel-table markers" >&2; exit 2; }
dirs=()
for d in "$@"; do
	[ -s "$d/doctor.json" ] && dirs+=("$d")
done
[ ${#dirs[@]} -gt 0 ] || { echo "table: no kernel has results" >&2; exit 1; }

# One row: a header cell, then one cell per kernel from command "$2 DIR".
row() {
	local head=$1 fn=$2 d line="| $1 |"
	for d in "${dirs[@]}"; do
		line="$line $($fn "$d" | tr '\n' ' ' | sed 's/ *$//; s/|/\\|/g') |"
	done
	echo "$line"
}

name() { cat "$1/name"; }
tracer_cell() {
	jq -r --arg t "$TRACER" '.tracers[$t] |
		if .ok then "ok, " + .rung +
			(if .also != "" then "; also " + .also else "" end) +
			(if .lacks != "" then "; lacks " + .lacks else "" end)
		else "**cannot run**: " + .why end' "$1/doctor.json"
}
features_cell() {
	jq -r '[.features | to_entries[] | select(.key | test("^(kprobe|fentry|iter_task|tp_btf|raw_tp|tracepoint)$")) |
		.key + (if .value.ok then "" else " (no)" end)] | join(", ")' "$1/doctor.json"
}
tests_cell() {
	local p f s failed
	p=$(grep -c '^OK$' "$1/results" || true)
	f=$(grep -c '^FAIL$' "$1/results" || true)
	s=$(grep -c '^SKIP$' "$1/results" || true)
	echo "$p passed, $f failed, $s skipped"
	failed=$(sed -n 's|^#[0-9]* \([a-z_]*/[a-z_0-9]*\):FAIL$|\1|p' "$1/tests" 2>/dev/null |
		paste -sd ' ')
	if [ -n "$failed" ]; then
		echo "(failed: $failed)"
	fi
	sed -n 's|^#[0-9]* [a-z_]*/\([a-z_0-9]*\):SKIP (\(.*\))$|\1: \2|p' "$1/tests" 2>/dev/null |
		head -1 | sed 's/^/(first skipped: /; s/$/)/'
}
bench_cell() {
	awk -F'\t' -v v="$VARIANT" '$1 == v { print ($2 == "-" ? "did not run" : $2 " (" $3 ")") }' \
		"$1/bench.tsv" 2>/dev/null
}

{
	echo "| | $(for d in "${dirs[@]}"; do printf '%s | ' "$(name "$d")"; done | sed 's/ | $//') |"
	echo "|---|$(for _ in "${dirs[@]}"; do printf -- '---|'; done)"
	for TRACER in $(jq -r '.tracers | keys_unsorted[]' "${dirs[0]}/doctor.json"); do
		row "**$TRACER**" tracer_cell
	done
	row "features" features_cell
	row "tests (tests/kernels/subset)" tests_cell
	while IFS= read -r VARIANT; do
		row "cost: $VARIANT (x floor)" bench_cell
	done < <(cut -f1 "${dirs[0]}/bench.tsv" 2>/dev/null)
} >"$file.table"
awk -v table="$file.table" '
	/^<!-- kernel-table -->$/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
	/^<!-- \/kernel-table -->$/ { skip = 0 }
	!skip' "$file" >"$file.tmp"
mv "$file.tmp" "$file"
rm -f "$file.table"
