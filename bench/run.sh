#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The overhead benchmark: every bench/cases/*.sh, variants interleaved round by round
# (baseline, tracerhub, peers, ...), workload pinned with taskset, a warm-up round
# discarded, medians with a 95% bootstrap interval of the change, and a second,
# independent figure per variant from BPF run-time statistics (ns per program run).
# Writes bench/results/latest.{md,json,png} and the README's Cost section.
# A case file sets CASE_TITLE, CASE_UNIT, CASE_VARIANTS ('label|command', the first the
# baseline), case_setup/case_run/case_teardown, and may set CASE_QUICK=1 (in --quick runs) and
# CASE_TOP_TARGET, the target of its `tracerhub top` variant: "retained 0.97" (at least 97% of
# the baseline) or "of VARIANT 0.75" (at most 0.75x that variant's added time per operation).
# Usage: bench/run.sh [--quick] [--rounds N] [CASE...]   (needs root)
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
export BUILD=${BUILD:-build}
export TH=$ROOT/$BUILD/tracerhub TOOLS=$ROOT/$BUILD/bench HELPERS=$ROOT/$BUILD/helpers
ROUNDS=7
QUICK=0
SELECT=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1; ROUNDS=3 ;;
	--rounds) ROUNDS=$2; shift ;;
	-h|--help) sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) SELECT+=("$1") ;;
	esac
	shift
done
export QUICK
[ "$(id -u)" -eq 0 ] || { echo "bench: must run as root (loads BPF programs)" >&2; exit 2; }
NCPU=$(nproc)
export WORK_CPU=$((NCPU - 1)) # the workload's CPU; tracers' user side runs elsewhere
RESULTS=$ROOT/bench/results
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$RESULTS"
: >"$TMP/rounds.tsv"
: >"$TMP/progstats.jsonl"

log() { printf 'bench: %s\n' "$*" >&2; }

# start_variant CMD: start it in the background; sets VPID. Waits until it is attached.
start_variant() {
	local cmd=$1 i
	VPID=
	[ -z "$cmd" ] && return 0
	(eval "exec taskset -c 0 $cmd") >"$TMP/v.out" 2>"$TMP/v.err" &
	VPID=$!
	if [[ $cmd == *'$TH'* || $cmd == *'$TOOLS'* ]]; then
		for ((i = 0; i < 600; i++)); do
			grep -q 'ready:' "$TMP/v.err" && return 0
			kill -0 "$VPID" 2>/dev/null || break
			sleep 0.05
		done
		log "variant did not start: $cmd: $(head -3 "$TMP/v.err")"
		return 1
	fi
	sleep 3 # peers (bpftrace, libbpf-tools) print no ready line of their own
	kill -0 "$VPID" 2>/dev/null || { log "variant exited: $cmd: $(head -3 "$TMP/v.err")"; return 1; }
}

stop_variant() {
	[ -z "$VPID" ] && return 0
	kill -INT "$VPID" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$VPID" 2>/dev/null || break; sleep 0.05; done
	kill -KILL "$VPID" 2>/dev/null
	wait "$VPID" 2>/dev/null
	VPID=
}

# Run a function pinned to the workload CPU (a subshell keeps the case's variables).
on_work_cpu() (
	taskset -pc "$WORK_CPU" "$BASHPID" >/dev/null
	"$@"
)

# One case file, in a subshell so its definitions do not leak.
run_case() (
	local file=$1 id r i n label cmd val
	id=$(basename "$file" .sh)
	unset CASE_TITLE CASE_UNIT CASE_VARIANTS CASE_TOP_TARGET
	. "$file"
	case_setup
	case $? in
	0) ;;
	2) log "$id: skipped"; return 0 ;;
	*) log "$id: setup failed"; return 1 ;;
	esac
	printf '%s\t%s\t%s\t%s\n' "$id" "$CASE_TITLE" "$CASE_UNIT" "${CASE_TOP_TARGET:-}" \
		>>"$TMP/cases.tsv"
	if [ "$QUICK" -eq 1 ]; then # development runs: tracerhub and the floor only
		local keep=()
		for v in "${CASE_VARIANTS[@]}"; do
			[[ -z ${v#*|} || $v == *'$TH'* || $v == *'$TOOLS'* ]] && keep+=("$v")
		done
		CASE_VARIANTS=("${keep[@]}")
	fi
	n=${#CASE_VARIANTS[@]}
	for ((r = 0; r <= ROUNDS; r++)); do
		for ((i = 0; i < n; i++)); do
			# rotate the order each round so no variant always follows the same one
			local v=${CASE_VARIANTS[$(((i + r) % n))]}
			label=${v%%|*}
			cmd=${v#*|}
			start_variant "$cmd" || continue
			val=$(on_work_cpu case_run 2>>"$TMP/case.err")
			stop_variant
			if [ "$r" -eq 0 ]; then
				log "$id: warm-up $label: $val"
			elif [[ $val =~ ^[0-9.]+$ ]]; then
				printf '%s\t%s\t%s\n' "$id" "$label" "$val" >>"$TMP/rounds.tsv"
				log "$id: round $r $label: $val $CASE_UNIT"
			else
				log "$id: round $r $label: no number (got '$val')"
			fi
		done
	done
	# The second figure: ns per BPF program run, with run-time statistics on.
	for ((i = 1; i < n; i++)); do
		label=${CASE_VARIANTS[$i]%%|*}
		cmd=${CASE_VARIANTS[$i]#*|}
		"$TOOLS/progstats" >"$TMP/ps.out" 2>"$TMP/ps.err" &
		local ps=$!
		grep -q ready: "$TMP/ps.err" 2>/dev/null || sleep 0.3
		start_variant "$cmd" || { kill -INT $ps; wait $ps; continue; }
		on_work_cpu case_run >/dev/null 2>&1
		kill -INT $ps # read the counters while the variant's programs are still loaded
		wait $ps
		stop_variant
		jq -c --arg c "$id" --arg v "$label" '. + {case: $c, variant: $v}' "$TMP/ps.out" >>"$TMP/progstats.jsonl"
	done
	case_teardown
)

cases=()
for f in bench/cases/*.sh; do
	id=$(basename "$f" .sh)
	if [ ${#SELECT[@]} -gt 0 ]; then
		[[ " ${SELECT[*]} " == *" $id "* ]] || continue
	elif [ "$QUICK" -eq 1 ] && ! grep -q '^CASE_QUICK=1' "$f"; then
		continue
	fi
	cases+=("$f")
done
[ ${#cases[@]} -gt 0 ] || [[ " ${SELECT[*]} " == *" scale "* ]] ||
	{ echo "bench: no case selected (bench/cases/*.sh, or scale)" >&2; exit 2; }
: >"$TMP/cases.tsv"
for f in "${cases[@]}"; do
	log "case $(basename "$f" .sh) ($ROUNDS rounds + warm-up)"
	run_case "$f"
done

echo '{}' >"$TMP/scale.json"
if [ ${#SELECT[@]} -eq 0 ] || [[ " ${SELECT[*]} " == *" scale "* ]]; then
	log "scale: attach time, fork/exit storm, syscall storm"
	[ "$QUICK" -eq 1 ] && export SCALE_PROCS=2000
	bench/scale.sh >"$TMP/scale.json" || echo '{}' >"$TMP/scale.json"
fi
"$TOOLS/stats" <"$TMP/rounds.tsv" >"$TMP/stats.jsonl"
if ! bench/report.sh "$TMP" "$RESULTS" "$ROUNDS"; then
	keep=$(mktemp -d /tmp/tracerhub-bench.XXXXXX)
	cp -r "$TMP/." "$keep/"
	log "report failed; raw results kept in $keep (redo: bench/report.sh $keep $RESULTS $ROUNDS)"
	exit 1
fi
log "wrote $RESULTS/latest.md, latest.json, latest.png"
