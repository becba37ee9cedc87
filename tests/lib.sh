# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Helpers for integration tests (sourced). A test file defines functions
# test_NAME and calls `run_tests`; each prints "#N file/NAME:OK|FAIL|SKIP".
# A test fails with `fail MSG`, skips with `skip REASON`.

: "${BUILD:=build}"
TH=${TH:-$BUILD/tracerhub}
HELPERS=$BUILD/helpers
RESULTS=${RESULTS:-/dev/null}
. "$(dirname "${BASH_SOURCE[0]}")/lib_port.sh" # free_port

fail() { echo "    FAIL: $*" >&2; return 1; }
skip() { echo "SKIP: $*" > "$T_TMP/.skip"; return 2; }

# Wait until file $1 contains pattern $2 (up to $3 seconds, default 10, times T_SCALE: the
# kernel matrix's emulated machines are that much slower).
wait_for() {
	local file=$1 pat=$2 t=$((${3:-10} * ${T_SCALE:-1})) i
	for ((i = 0; i < t * 20; i++)); do
		grep -q -- "$pat" "$file" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "    timed out waiting for '$pat' in $file:" >&2
	sed 's/^/      /' "$file" >&2
	return 1
}

# Start tracerhub in the background: th_start OUT ERR ARGS...; sets TH_PID, waits for ready
# (up to 20 s times T_SCALE, not once it has exited).
th_start() {
	local out=$1 err=$2 i
	shift 2
	: >"$err" # not the "ready:" of a run before (the background job truncates it later)
	"$TH" "$@" >"$out" 2>"$err" &
	TH_PID=$!
	for ((i = 0; i < 400 * ${T_SCALE:-1}; i++)); do
		grep -q "ready:" "$err" 2>/dev/null && return 0
		kill -0 "$TH_PID" 2>/dev/null || break
		sleep 0.05
	done
	grep -q "ready:" "$err" && return 0
	echo "    tracerhub did not start:" >&2
	sed 's/^/      /' "$err" >&2
	return 1
}

# Stop it (or the tracerhub of pid $1, a child of this shell) with SIGINT (final snapshot) and
# check it exited 0.
th_stop() {
	local pid=${1:-$TH_PID} rc
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	[ "$rc" -eq 0 ] || fail "tracerhub exited $rc"
}

# Start a Prometheus of our own scraping TARGET (host:port) every second, with bearer token $2
# when given: prometheus_start TARGET [TOKEN]; sets PROM_PORT (its API on loopback) and
# PROM_PID; its config, data and log (prom.log) in $T_TMP. prometheus_stop ends it.
prometheus_start() {
	local auth=
	PROM_PORT=$(free_port) || fail "no free port" || return 1
	[ -n "${2:-}" ] && auth=$'\n    authorization:\n      credentials: '"$2"
	cat >"$T_TMP/prometheus.yml" <<-EOF
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	scrape_configs:
	  - job_name: tracerhub$auth
	    static_configs:
	      - targets: ['$1']
	EOF
	prometheus --config.file="$T_TMP/prometheus.yml" --storage.tsdb.path="$T_TMP/tsdb" \
		--web.listen-address="127.0.0.1:$PROM_PORT" >"$T_TMP/prom.log" 2>&1 &
	PROM_PID=$!
}

prometheus_stop() {
	kill "$PROM_PID"
	wait "$PROM_PID" 2>/dev/null
}

# Skip unless running as root.
need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root (loads BPF programs)"; }

# `tracerhub doctor -j` (it loads every tracer: seconds), once per run of the suite when the
# runner names a cache file in DOCTOR_JSON.
doctor_json() {
	if [ -z "${DOCTOR_JSON:-}" ]; then
		"$TH" doctor -j 2>/dev/null
		return
	fi
	if [ ! -s "$DOCTOR_JSON" ]; then
		"$TH" doctor -j >"$DOCTOR_JSON.tmp" 2>/dev/null && mv "$DOCTOR_JSON.tmp" "$DOCTOR_JSON"
	fi
	cat "$DOCTOR_JSON"
}

# Skip unless rung $1 is usable (tracerhub doctor -j says so).
need_rung() {
	local feat=$1
	doctor_json | jq -e ".features.\"$feat\".ok" >/dev/null ||
		skip "the $feat rung is not available on this kernel"
}

# True when test $1 is selected: T_SELECT unset, or one of its shell patterns matches.
selected() {
	local p pats
	[ -z "${T_SELECT:-}" ] && return 0
	read -ra pats <<<"$T_SELECT"
	for p in "${pats[@]}"; do
		# shellcheck disable=SC2053
		[[ $1 == $p ]] && return 0
	done
	return 1
}

# Run every test_* function of the calling file (those T_SELECT's patterns match, when set),
# each in its own session so that whatever a test leaves running is killed after it.
run_tests() {
	local file path n=0 name rc pid
	if [ -n "${T_ONLY:-}" ]; then
		set -o pipefail
		"$T_ONLY"
		return
	fi
	path=${BASH_SOURCE[1]}
	file=$(basename "$path" .sh)
	for name in $(declare -F | awk '{print $3}' | grep '^test_'); do
		selected "$name" || continue
		n=$((n + 1))
		T_TMP=$(mktemp -d)
		T_TMP=$T_TMP T_ONLY=$name setsid bash "$path" >"$T_TMP/.log" 2>&1 &
		pid=$!
		wait $pid
		rc=$?
		kill -KILL -- "-$pid" 2>/dev/null
		if [ -f "$T_TMP/.skip" ]; then
			echo "#$n $file/$name:SKIP ($(sed 's/^SKIP: //' "$T_TMP/.skip"))"
			echo SKIP >>"$RESULTS"
		elif [ $rc -eq 0 ]; then
			echo "#$n $file/$name:OK"
			echo OK >>"$RESULTS"
		else
			echo "#$n $file/$name:FAIL"
			sed 's/^/    /' "$T_TMP/.log"
			echo FAIL >>"$RESULTS"
		fi
		rm -rf "$T_TMP"
	done
}
