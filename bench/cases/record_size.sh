# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Recording size: bytes per recorded event of `tracerhub record -o FILE.db` (every tracer, the
# default interval) over 10 s of the mixed stress-ng load with processes and TCP connections
# coming and going (--exec, --sock: the events a recording holds). The number is the file's
# size (indexes included; the recorder compacts a file of at most 8 MiB and checkpoints its WAL
# when it ends) over the events it recorded; the size of each table is logged beside it (target:
# at most 100 bytes an event).
CASE_TITLE='recording size: bytes per event, every tracer, stress-ng mixed with exec and sock'
CASE_UNIT='bytes/event'
CASE_VARIANTS=(
	'tracerhub record -o FILE.db|'
)

case_setup() {
	command -v stress-ng >/dev/null || { echo "record_size: needs stress-ng" >&2; return 2; }
	command -v sqlite3 >/dev/null || { echo "record_size: needs sqlite3" >&2; return 2; }
	T_TMP=$(mktemp -d)
}

case_teardown() { rm -rf "$T_TMP"; }

case_run() {
	local pid db=$T_TMP/rec.db events bytes
	rm -f "$db" "$db-wal" "$db-shm"
	"$TH" record -o "$db" --duration 10 2>"$T_TMP/rec.err" &
	pid=$!
	stress-ng --cpu 1 --io 1 --vm 1 --switch 1 --exec 1 --sock 1 -t 10 >/dev/null 2>&1
	wait "$pid" || return 1
	events=$(sqlite3 "$db" "SELECT sum(events) FROM intervals")
	bytes=$(stat -c %s "$db")
	echo "record_size: $events events, $bytes bytes; by table: $(sqlite3 "$db" \
		"SELECT group_concat(name || ' ' || size, ', ') FROM (SELECT name, sum(pgsize) size
		FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8)")" >&2
	[ "${events:-0}" -gt 0 ] && echo "$bytes $events" | awk '{ printf "%.0f\n", $1 / $2 }'
}
