# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Fleet recording: `tracerhub record --to clickhouse://...` of every tracer under the mixed
# stress-ng load, into a ClickHouse of our own (tests/integration/lib_clickhouse.sh). A round
# records 10 s; the number is the rows per second the recorder sent (its closing line), and
# the recorder's CPU (user + system) is logged beside it.
CASE_TITLE='fleet recording: rows/s sent to ClickHouse, every tracer, stress-ng mixed'
CASE_UNIT='rows/s'
CASE_VARIANTS=(
	'tracerhub record --to clickhouse://|'
)

case_setup() {
	command -v clickhouse-server >/dev/null ||
		{ echo "fleet_record: needs clickhouse-server" >&2; return 2; }
	command -v stress-ng >/dev/null || { echo "fleet_record: needs stress-ng" >&2; return 2; }
	T_TMP=$(mktemp -d)
	fail() { echo "fleet_record: $*" >&2; return 1; }
	. "$ROOT/tests/integration/lib_clickhouse.sh"
	ch_start bench || return 2
	ch_q "$CH_HTTP_bench" "CREATE DATABASE fleet" || return 2
}

case_teardown() {
	kill "$CH_PID_bench" 2>/dev/null
	wait "$CH_PID_bench" 2>/dev/null
	rm -rf "$T_TMP"
}

case_run() {
	local pid ticks hz
	"$TH" record --to "clickhouse://127.0.0.1:$CH_HTTP_bench/fleet" --host bench \
		--spool "$T_TMP/spool.db" --duration 10 2>"$T_TMP/rec.err" &
	pid=$!
	stress-ng --cpu 1 --io 1 --vm 1 --switch 1 -t 10 >/dev/null 2>&1
	ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	wait "$pid" || return 1
	hz=$(getconf CLK_TCK)
	echo "fleet_record: recorder CPU $((ticks * 100 / hz / 10))% of one core" >&2
	sed -n 's/.*sent [0-9]* rows to ClickHouse .* (\([0-9]*\) rows\/s)/\1/p' "$T_TMP/rec.err"
}
