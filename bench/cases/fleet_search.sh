# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Address-prefix search answered by ClickHouse over 10M packet events of 10 hosts, made by
# `tracerhub record --to` (the real tables) and filled by INSERT ... SELECT FROM numbers(). A
# round runs `tracerhub report --from clickhouse://... --search addr:P` for ~3 s; the number
# is queries per second, and the slowest answer's own elapsed_us is logged.
CASE_TITLE='fleet search: address prefixes over 10M events in ClickHouse'
CASE_UNIT='queries/s'
CASE_VARIANTS=(
	'tracerhub report --from clickhouse:// --search|'
)
FLEET_EVENTS=${FLEET_EVENTS:-10000000}

case_setup() {
	command -v clickhouse-server >/dev/null ||
		{ echo "fleet_search: needs clickhouse-server" >&2; return 2; }
	T_TMP=$(mktemp -d)
	fail() { echo "fleet_search: $*" >&2; return 1; }
	. "$ROOT/tests/integration/lib_clickhouse.sh"
	ch_start bench || return 2
	ch_q "$CH_HTTP_bench" "CREATE DATABASE fleet" || return 2
	"$TH" record --to "clickhouse://127.0.0.1:$CH_HTTP_bench/fleet" --spool "$T_TMP/s.db" \
		syscalls 0.1 1 2>/dev/null || return 2
	ch_q "$CH_HTTP_bench" "INSERT INTO fleet.packet_events (host, interval_ts, seq, ts_ns, pid,
		comm, id, fate, head_addr) SELECT concat('host-', toString(number % 10)),
		1763892000000000000 + intDiv(number, 4096) * 1000000000, number % 4096,
		1763892000000000000 + number * 1000, 0, '', number, 'delivered',
		18446612686364999680 + (number * 2654435761) % 4294967296
		FROM system.numbers LIMIT $FLEET_EVENTS" || return 2
}

case_teardown() {
	kill "$CH_PID_bench" 2>/dev/null
	wait "$CH_PID_bench" 2>/dev/null
	rm -rf "$T_TMP"
}

case_run() {
	local n=0 end=$((SECONDS + 3)) us max=0 q
	local -a queries=(addr:ffff8881a addr:ffff8881abcd addr:ffff88810 addr:ffff8882)
	while [ $SECONDS -lt $end ]; do
		q=${queries[n % ${#queries[@]}]}
		us=$("$TH" report --from "clickhouse://127.0.0.1:$CH_HTTP_bench/fleet" --search "$q" |
			jq -e '.elapsed_us') || return 1
		[ "$us" -gt "$max" ] && max=$us
		n=$((n + 1))
	done
	echo "fleet_search: slowest query $max us" >&2
	echo "$n" | awk '{ printf "%.1f\n", $1 / 3 }'
}
