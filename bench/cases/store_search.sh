# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Prefix search on a recording of 1M events (target: < 50 ms a query). The recording is made by
# `tracerhub record` (the real schema), then filled by sqlite3 with 1M packet events (a data
# address) and 1M connects (a peer address), each with a comm, into the compact tables behind
# the views (names as a tag of ids into strs, searched values in their lookup tables:
# docs/recording.md).
# A round runs `tracerhub report --search` (process start and file open included) over addr,
# endpoint and comm prefixes for ~3 s; each answer's own elapsed_us (the query alone) is checked
# against 50 ms.
CASE_TITLE='recording search: prefix queries on 1M events (addr, endpoint, comm)'
CASE_UNIT='queries/s'
CASE_VARIANTS=(
	'tracerhub report --search|'
)

STORE_DB=${STORE_DB:-/tmp/tracerhub-bench-1m.db}
STORE_EVENTS=${STORE_EVENTS:-1000000}

case_setup() {
	command -v sqlite3 >/dev/null || { echo "store_search: needs sqlite3" >&2; return 2; }
	rm -f "$STORE_DB" "$STORE_DB"-wal "$STORE_DB"-shm
	"$TH" record -o "$STORE_DB" syscalls 0.1 1 2>/dev/null ||
		{ echo "store_search: tracerhub record failed (root?)" >&2; return 2; }
	sqlite3 "$STORE_DB" <<SQL || return 2
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
INSERT OR IGNORE INTO strs(s) SELECT 'worker' || i FROM n;
INSERT OR IGNORE INTO strs(s) VALUES('delivered'), ('tcpconnect');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $STORE_EVENTS)
INSERT OR IGNORE INTO strs(s)
	SELECT printf('10.%d.%d.%d', i % 251, (i / 251) % 251, (i / 63001) % 251) FROM n;
CREATE TEMP TABLE base AS SELECT coalesce(max(id), 0) AS b FROM tags;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
INSERT INTO tags SELECT b + 1 + i, (SELECT id FROM strs WHERE s = 'worker' || i), 0, 0,
	(SELECT id FROM strs WHERE s = 'delivered'), 0, 0, 0, 0 FROM n, base;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)
INSERT INTO tags SELECT b + 5001 + i, (SELECT id FROM strs WHERE s = 'worker' || i),
	(SELECT id FROM strs WHERE s = 'tcpconnect'), 0, 0, 0, 0, 0, 0 FROM n, base;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $STORE_EVENTS)
INSERT INTO packet_events_raw(interval_id, seq, ts_off, pid, tag, id, head_addr)
	SELECT 1 + i / 4096, i % 4096, i % 1000000, 1000 + i % 5000,
	       (SELECT b FROM base) + 1 + i % 5000, i,
	       0xffff888100000000 + (i * 2654435761) % 4294967296 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $STORE_EVENTS)
INSERT INTO connect_events_raw(interval_id, seq, ts_off, pid, tag, daddr, dport)
	SELECT 1 + i / 4096, 4096 + i % 4096, i % 1000000, 1000 + i % 5000,
	       (SELECT b FROM base) + 5001 + i % 5000,
	       (SELECT id FROM strs
		WHERE s = printf('10.%d.%d.%d', i % 251, (i / 251) % 251, (i / 63001) % 251)),
	       1024 + i % 60000
	FROM n;
INSERT INTO packet_events_by_head_addr SELECT head_addr, interval_id, min(seq), max(seq)
	FROM packet_events_raw GROUP BY 1, 2;
INSERT INTO connect_events_by_daddr SELECT s, interval_id, min(seq), max(seq)
	FROM connect_events_raw JOIN strs ON strs.id = daddr GROUP BY 1, 2;
INSERT OR IGNORE INTO processes_raw SELECT n1, pid, min(interval_id), max(interval_id)
	FROM packet_events_raw JOIN tags ON tags.id = tag GROUP BY pid;
COMMIT;
SQL
}

case_teardown() { rm -f "$STORE_DB" "$STORE_DB"-wal "$STORE_DB"-shm; }

# One query; prints its elapsed_us. Fails when the answer is not JSON.
store_query() { "$TH" report "$STORE_DB" --search "$1" | jq -e '.elapsed_us'; }

case_run() {
	local n=0 end=$((SECONDS + 3)) us max=0 q
	local -a queries=(addr:ffff8881a addr:ffff8881abcd addr:0xFFFF8881F endpoint:10.7.
		endpoint:10.200.3 comm:worker4 comm:worker1234 addr:ffff8882)
	while [ $SECONDS -lt $end ]; do
		q=${queries[n % ${#queries[@]}]}
		us=$(store_query "$q") || return 1
		[ "$us" -gt "$max" ] && max=$us
		n=$((n + 1))
	done
	[ "$max" -lt 50000 ] || echo "store_search: slowest query took $max us (over 50 ms)" >&2
	echo "$n" | awk '{ printf "%.1f\n", $1 / 3 }'
}
