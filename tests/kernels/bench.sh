#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The cost microbenchmark of the kernel matrix (bench/cases/syscalls.sh's workload: 1-byte
# read() of /dev/zero), for a guest whose absolute timings mean nothing (TCG emulates the CPU):
# each variant's added time per syscall is given as a ratio to the floor's (an empty raw_tp
# program on sys_enter) measured in the same guest, rounds interleaved. The empty programs on
# other kinds of hook (tp_btf, and where the kernel has them fentry, kprobe on the read path)
# tell whether a richer hook would be cheaper than a tracepoint.
# Usage: tests/kernels/bench.sh [ROUNDS]   (as root; BUILD as for the tests)
# Prints TSV: variant, median ratio to the floor, the ratios of the rounds (default 5).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
TH=$BUILD/tracerhub
TOOLS=$BUILD/bench
ROUNDS=${1:-5}
SECS=1
VARIANTS=(
	'baseline|'
	'floor: empty raw_tp on sys_enter|floor sys_enter'
	'empty tp_btf on sys_enter|floor tp_btf:sys_enter'
	'empty fentry on vfs_read|floor fentry:vfs_read'
	'empty fexit on vfs_read|floor fexit:vfs_read'
	'empty kprobe on vfs_read|floor kprobe:vfs_read'
	'tracerhub syscalls|th syscalls -j 1'
)
[ -x "$TOOLS/floor" ] && [ -x "$TOOLS/syscall_loop" ] ||
	{ echo "bench: $TOOLS/floor or syscall_loop missing (make test-kernels builds them)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Start variant command $1 (floor ARGS, th ARGS or nothing); sets VPID. 1 when it cannot run.
start() {
	local cmd=$1 i
	VPID=
	: >"$tmp/err" # here: the child's own truncation may come after our first look
	case $cmd in
	'') return 0 ;;
	floor*) "$TOOLS/floor" ${cmd#floor } >/dev/null 2>"$tmp/err" & ;;
	th*) "$TH" ${cmd#th } >/dev/null 2>"$tmp/err" & ;;
	esac
	VPID=$!
	for ((i = 0; i < 1200; i++)); do
		grep -q 'ready:' "$tmp/err" && return 0
		kill -0 $VPID 2>/dev/null || break
		sleep 0.05
	done
	echo "bench: '$cmd' did not start: $(head -1 "$tmp/err")" >&2
	stop
	return 1
}

stop() {
	[ -n "$VPID" ] || return 0
	kill -INT $VPID 2>/dev/null
	wait $VPID 2>/dev/null
	VPID=
}

# Rounds: every variant once per round, the order rotated each round; the first round warms up.
: >"$tmp/rates"
n=${#VARIANTS[@]}
for ((r = 0; r <= ROUNDS; r++)); do
	for ((i = 0; i < n; i++)); do
		v=${VARIANTS[$(((i + r) % n))]}
		start "${v#*|}" || continue
		rate=$(taskset -c 0 "$TOOLS/syscall_loop" $SECS)
		stop
		[ $r -gt 0 ] && printf '%s\t%s\t%s\n' "$r" "${v%%|*}" "$rate" >>"$tmp/rates"
	done
done
# Per round: added ns per syscall of each variant over the baseline, divided by the floor's.
awk -F'\t' -v floor="${VARIANTS[1]%%|*}" '
	{ rate[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; order[++nv] = $2 }; nr = $1 > nr ? $1 : nr }
	END {
		for (v = 1; v <= nv; v++) {
			name = order[v]; k = 0; line = ""
			if (name == "baseline") continue
			for (r = 1; r <= nr; r++) {
				if (!((r, "baseline") in rate) || !((r, floor) in rate) || !((r, name) in rate)) continue
				base = 1e9 / rate[r, "baseline"]
				f = 1e9 / rate[r, floor] - base
				if (f <= 0) continue
				x[++k] = (1e9 / rate[r, name] - base) / f
				line = line sprintf("%s%.2f", k > 1 ? "," : "", x[k])
			}
			if (!k) { printf "%s\t-\t(did not run)\n", name; continue }
			# median
			for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
			med = k % 2 ? x[(k + 1) / 2] : (x[k / 2] + x[k / 2 + 1]) / 2
			printf "%s\t%.2f\t%s\n", name, med, line
		}
	}' "$tmp/rates"
