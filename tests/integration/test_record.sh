#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# record / report / top --replay / the query socket, on workloads and files we control.
. "$(dirname "$0")/../lib.sh"

READS=4321
READ_SIZE=64
WRITES=123
WRITE_SIZE=4096

# Count of interval rows in recording $1 (read while it may still be written).
intervals() { "$TH" report "$1" -j 2>/dev/null | jq -r '.intervals // 0'; }

# Record the workload: `tracerhub record -o $T_TMP/rec.db syscalls io -p PID 0.2`.
recorded_workload() {
	local wpid
	"$HELPERS/syscall_workload" $READS $READ_SIZE $WRITES $WRITE_SIZE "$T_TMP/file" &
	wpid=$!
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" syscalls io -p "$wpid" 0.2 ||
		return 1
	kill -USR1 "$wpid"
	wait "$wpid" || fail "workload failed" || return 1
	sleep 1.1 # a few more intervals, for the replay tests
	th_stop
}

test_report_exact_counts() {
	local got
	need_root || return
	recorded_workload || return 1
	"$TH" report "$T_TMP/rec.db" -j >"$T_TMP/rep" 2>"$T_TMP/rep.err" || fail "report failed" ||
		return 1
	got=$(jq '.merged.tables[] | select(.name == "syscalls") | .rows[] |
		select(.syscall == "read") | .count' "$T_TMP/rep")
	[ "$got" = $READS ] || fail "read syscalls $got, expected $READS" || return 1
	got=$(jq '.merged.totals.read_ops' "$T_TMP/rep")
	[ "$got" = $READS ] || fail "read_ops $got, expected $READS" || return 1
	got=$(jq '.merged.totals.write_bytes' "$T_TMP/rep")
	[ "$got" = $((WRITES * WRITE_SIZE)) ] || fail "write_bytes $got" || return 1
	got=$(jq -r '.top.write_ops[0].comm' "$T_TMP/rep")
	[ "$got" = syscall_workloa ] || fail "top writer '$got'" || return 1
	[ "$(jq '.intervals' "$T_TMP/rep")" -ge 2 ] || fail "fewer than 2 intervals" || return 1
	# the text report says the same, with units
	"$TH" report "$T_TMP/rec.db" >"$T_TMP/text" || fail "text report failed" || return 1
	grep -q "^  write_bytes  *492KiB " "$T_TMP/text" || fail "text: no write_bytes total" ||
		return 1
	# -p of another process: nothing
	got=$("$TH" report "$T_TMP/rec.db" -j -p 1 | jq '.merged.procs | length')
	[ "$got" = 0 ] || fail "-p 1 shows $got processes"
}

# Each tracer has its own cap of events per interval, counted when reached: a fork storm in
# a cgroup of our own fills exec's, while tcpconnect's events of the same interval are all kept.
test_event_caps_per_tracer() {
	local storm=9000 cg2 cg kept lost got port
	need_root || return
	cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
	[ -n "$cg2" ] || skip "needs a cgroup2 mount (for --cgroup)" || return
	cg=$cg2/thcap$$
	mkdir "$cg" || fail "mkdir $cg" || return 1
	trap 'rmdir '"$cg"' 2>/dev/null' EXIT
	port=$((20000 + RANDOM % 30000))
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" --cgroup "$cg" exec tcpconnect \
		60 || return 1
	# 5 refused connects from one shell (no fork: 1 exit), then exec + storm + exit
	bash -c "echo \$\$ >$cg/cgroup.procs; for i in 1 2 3 4 5; do
		: 2>/dev/null <>/dev/tcp/127.0.0.1/$port; done"
	bash -c "echo \$\$ >$cg/cgroup.procs; exec $HELPERS/proc_spawn storm $storm" ||
		fail "storm failed" || return 1
	sleep 0.3
	th_stop || return 1
	lost=$(sqlite3 "$T_TMP/rec.db" "SELECT sum(lost) FROM events_lost WHERE tracer = 'exec'")
	kept=$(sqlite3 "$T_TMP/rec.db" "SELECT (SELECT count(*) FROM exec_events) +
		(SELECT count(*) FROM exit_events)")
	[ "${lost:-0}" -gt 0 ] || fail "exec lost nothing with $kept kept" || return 1
	[ $((kept + lost)) = $((storm + 3)) ] ||
		fail "exec: $kept kept + $lost lost, expected $((storm + 3))" || return 1
	got=$(sqlite3 "$T_TMP/rec.db" "SELECT count(*) FROM connect_events WHERE dport = $port")
	[ "$got" = 5 ] || fail "tcpconnect kept $got of 5 beside exec's storm" || return 1
	got=$(sqlite3 "$T_TMP/rec.db" "SELECT count(*) FROM events_lost WHERE tracer != 'exec'")
	[ "$got" = 0 ] || fail "another tracer lost events" || return 1
	got=$(sqlite3 "$T_TMP/rec.db" "SELECT sum(events_lost) FROM intervals")
	[ "$got" = "$lost" ] || fail "intervals.events_lost $got, per tracer $lost" || return 1
	# shown by report (JSON and text) and by the replayed intervals
	got=$("$TH" report "$T_TMP/rec.db" -j | jq '.recorded_events.lost_by_tracer.exec')
	[ "$got" = "$lost" ] || fail "report: lost_by_tracer.exec $got" || return 1
	"$TH" report "$T_TMP/rec.db" | grep -q "lost (past a tracer's 4096 an interval): $lost (exec $lost)" ||
		fail "text report: $("$TH" report "$T_TMP/rec.db" | grep lost)" || return 1
	got=$("$TH" top --replay "$T_TMP/rec.db" --speed 0 -j |
		jq -s '[.[].events_lost_by_tracer.exec // 0] | add')
	[ "$got" = "$lost" ] || fail "replay: events_lost_by_tracer.exec $got"
}

test_replay_same_counts() {
	local got n
	need_root || return
	recorded_workload || return 1
	"$TH" top --replay "$T_TMP/rec.db" --speed 0 -j >"$T_TMP/replay" 2>"$T_TMP/replay.err" ||
		fail "replay failed: $(cat "$T_TMP/replay.err")" || return 1
	n=$(wc -l <"$T_TMP/replay")
	[ "$n" = "$(intervals "$T_TMP/rec.db")" ] || fail "replayed $n snapshots" || return 1
	got=$(jq -s '[.[].procs[] | .read_ops] | add' "$T_TMP/replay")
	[ "$got" = $READS ] || fail "replayed read_ops $got" || return 1
	[ "$(tail -1 "$T_TMP/replay" | jq .final)" = true ] || fail "last not final" || return 1
	# tracerhub's own CPU time of each interval is recorded and replayed
	got=$(jq -s '[.[] | select(.self_cpu_ns | type == "number")] | length' "$T_TMP/replay")
	[ "$got" = "$n" ] || fail "$got of $n replayed intervals carry self_cpu_ns" || return 1
	# seek: from the second interval on
	n=$("$TH" top --replay "$T_TMP/rec.db" --speed 0 -j --from +0.3 | wc -l)
	[ "$n" = "$(($(wc -l <"$T_TMP/replay") - 1))" ] || fail "--from replayed $n" || return 1
	# at the recorded pace, n intervals of 0.2 s take about (n - 1) * 0.2 s
	local t0 t1
	t0=$(date +%s%N)
	n=$("$TH" top --replay "$T_TMP/rec.db" --to "+1.05" -j 2>/dev/null | wc -l)
	t1=$(date +%s%N)
	[ "$n" -ge 2 ] || fail "--to +1.05 replayed $n" || return 1
	[ $(((t1 - t0) / 1000000)) -ge $(((n - 1) * 150)) ] || fail "recorded pace not kept" ||
		return 1
	# plain SQLite: sqlite3 reads it
	if command -v sqlite3 >/dev/null; then
		got=$(sqlite3 "$T_TMP/rec.db" "SELECT sum(read_ops) FROM procs")
		[ "$got" = $READS ] || fail "sqlite3 sees $got read_ops"
	fi
}

test_kill9_keeps_intervals() {
	local before after
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" syscalls 0.1 || return 1
	for _ in $(seq 100); do
		before=$(intervals "$T_TMP/rec.db")
		[ "${before:-0}" -ge 5 ] && break
		sleep 0.1
	done
	[ "${before:-0}" -ge 5 ] || fail "no intervals recorded" || return 1
	kill -KILL "$TH_PID"
	wait "$TH_PID"
	"$TH" report "$T_TMP/rec.db" -j >"$T_TMP/rep" 2>"$T_TMP/rep.err" ||
		fail "report after kill -9: $(cat "$T_TMP/rep.err")" || return 1
	after=$(jq .intervals "$T_TMP/rep")
	[ "$after" -ge "$before" ] || fail "$after intervals after kill -9, $before before" || return 1
	if command -v sqlite3 >/dev/null; then
		[ "$(sqlite3 "$T_TMP/rec.db" 'PRAGMA integrity_check')" = ok ] ||
			fail "integrity_check failed" || return 1
	fi
	# and recording can go on in the same file
	"$TH" record -o "$T_TMP/rec.db" syscalls 0.1 2 2>/dev/null || fail "append failed" || return 1
	[ "$(intervals "$T_TMP/rec.db")" -eq $((after + 2)) ] || fail "append lost intervals"
}

# $1: file; expect exit 1 (a runtime failure) and exactly one line on stderr matching $2.
expect_bad_file() {
	local rc
	"$TH" report "$1" >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq 1 ] || fail "$1: exit $rc, expected 1" || return 1
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || fail "$1: not one line: $(cat "$T_TMP/e")" || return 1
	grep -q -- "$2" "$T_TMP/e" || fail "$1: '$(cat "$T_TMP/e")' lacks '$2'" || return 1
	[ ! -s "$T_TMP/o" ] || fail "$1: output on stdout" || return 1
	[ -z "$(ls "$1"-* 2>/dev/null)" ] || fail "$1: left $(ls "$1"-*) beside it"
}

test_bad_files() {
	need_root || return
	"$TH" record -o "$T_TMP/good.db" syscalls 0.1 3 2>/dev/null || fail "record" || return 1
	expect_bad_file "$T_TMP/missing.db" "No such file" || return 1
	echo "not a database" >"$T_TMP/text.db"
	expect_bad_file "$T_TMP/text.db" "not an SQLite database" || return 1
	head -c $(($(stat -c %s "$T_TMP/good.db") / 2)) "$T_TMP/good.db" >"$T_TMP/trunc.db"
	expect_bad_file "$T_TMP/trunc.db" "truncated" || return 1
	head -c 50 "$T_TMP/good.db" >"$T_TMP/trunc2.db"
	expect_bad_file "$T_TMP/trunc2.db" "truncated" || return 1
	cp "$T_TMP/good.db" "$T_TMP/v9.db"
	printf '\000\000\000\011' | dd of="$T_TMP/v9.db" bs=1 seek=60 conv=notrunc 2>/dev/null
	expect_bad_file "$T_TMP/v9.db" "schema version 9" || return 1
	cp "$T_TMP/good.db" "$T_TMP/garbled.db"
	dd if=/dev/urandom of="$T_TMP/garbled.db" bs=1024 seek=1 count=8 conv=notrunc 2>/dev/null
	"$TH" report "$T_TMP/garbled.db" >/dev/null 2>"$T_TMP/e"
	[ $? -eq 1 ] || [ ! -s "$T_TMP/e" ] || fail "garbled: $(cat "$T_TMP/e")" || return 1
	"$TH" top --replay "$T_TMP/text.db" 2>/dev/null
	[ $? -eq 1 ] || fail "replay of a bad file: not exit 1"
}

test_unwritable_path() {
	local rc
	need_root || return
	"$TH" record -o /proc/tracerhub.db syscalls 0.1 1 >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq 1 ] || fail "exit $rc, expected 1" || return 1
	grep -q "cannot create /proc/tracerhub.db" "$T_TMP/e" || fail "$(cat "$T_TMP/e")" || return 1
	! grep -q "ready:" "$T_TMP/e" || fail "attached anyway"
}

test_disk_full() {
	local rc
	need_root || return
	mkdir "$T_TMP/full"
	mount -t tmpfs -o size=1m tmpfs "$T_TMP/full" || skip "cannot mount a tmpfs" || return
	timeout 60 "$TH" record -o "$T_TMP/full/rec.db" syscalls io 0.05 >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	cp "$T_TMP/full/rec.db"* "$T_TMP/" 2>/dev/null
	# a scanner of other users (or our cp) may still hold the mount a moment: detach it then
	umount "$T_TMP/full" 2>/dev/null || umount -l "$T_TMP/full"
	[ $rc -eq 1 ] || fail "exit $rc, expected 1: $(cat "$T_TMP/e")" || return 1
	grep -q "database or disk is full" "$T_TMP/e" || fail "no disk full message" || return 1
	"$TH" report "$T_TMP/rec.db" -j >"$T_TMP/rep" 2>"$T_TMP/rep.err" ||
		fail "what was written is not readable: $(cat "$T_TMP/rep.err")" || return 1
	[ "$(jq .intervals "$T_TMP/rep")" -ge 1 ] || fail "no interval kept"
}

test_query_socket() {
	local sock=$T_TMP/q.sock
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" --socket "$sock" syscalls 0.2 ||
		return 1
	[ "$(stat -c %a "$sock")" = 600 ] || fail "mode $(stat -c %a "$sock")" || return 1
	[ "$(stat -c %U "$sock")" = root ] || fail "owner $(stat -c %U "$sock")" || return 1
	sleep 0.5
	{
		echo '/api/v1/recording'
		echo '{"path": "/api/v1/search", "query": "kind=comm&prefix=tracer"}'
		echo '{"path": '
		head -c 70000 /dev/zero | tr '\0' a
		echo
		echo 'GET /api/v1/snapshot'
		echo '/api/v1/report?top=1'
		echo '/api/v1/snapshot?id=1'
		echo '/nope'
	} | "$HELPERS/sock_query" "$sock" >"$T_TMP/resp" || fail "no response" || return 1
	th_stop || return 1
	[ "$(wc -l <"$T_TMP/resp")" -eq 8 ] || fail "$(wc -l <"$T_TMP/resp") responses" || return 1
	jq -e . "$T_TMP/resp" >/dev/null || fail "a response is not JSON" || return 1
	sed -n 1p "$T_TMP/resp" | jq -e '.schema_version == 6 and .intervals >= 1' >/dev/null ||
		fail "recording: $(sed -n 1p "$T_TMP/resp")" || return 1
	sed -n 2p "$T_TMP/resp" | jq -e '.matches[0].comm == "tracerhub"' >/dev/null ||
		fail "search: $(sed -n 2p "$T_TMP/resp")" || return 1
	sed -n 3p "$T_TMP/resp" | jq -e '.status == 400 and (.error | length > 0)' >/dev/null ||
		fail "malformed: $(sed -n 3p "$T_TMP/resp")" || return 1
	sed -n 4p "$T_TMP/resp" | jq -e '.status == 413' >/dev/null ||
		fail "oversized: $(sed -n 4p "$T_TMP/resp")" || return 1
	sed -n 5p "$T_TMP/resp" | jq -e '.procs | length > 0' >/dev/null ||
		fail "live snapshot: $(sed -n 5p "$T_TMP/resp" | head -c 300)" || return 1
	sed -n 6p "$T_TMP/resp" | jq -e '.intervals >= 1 and .merged.totals.syscalls > 0' \
		>/dev/null || fail "report: $(sed -n 6p "$T_TMP/resp" | head -c 300)" || return 1
	sed -n 7p "$T_TMP/resp" | jq -e '.ts_ns > 0' >/dev/null || fail "snapshot id=1" || return 1
	sed -n 8p "$T_TMP/resp" | jq -e '.error' >/dev/null || fail "unknown path" || return 1
	[ ! -e "$sock" ] || fail "socket file left behind"
}

# serve --replay: the web API and the socket answer over a recording, with its exact counts.
test_serve_replay_and_socket() {
	local sock=$T_TMP/s.sock port got
	need_root || return
	recorded_workload || return 1
	# no root needed to serve a recording
	setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null && chmod 755 "$T_TMP"
	th_start "$T_TMP/sout" "$T_TMP/serr" serve --replay "$T_TMP/rec.db" --listen 127.0.0.1:0 \
		--socket "$sock" || return 1
	wait_for "$T_TMP/serr" "serving the recording" || return 1
	port=$(grep -o '127.0.0.1:[0-9]*' "$T_TMP/serr" | head -1)
	got=$(curl -s "http://$port/api/v1/history?seconds=86400" |
		jq '[.snapshots[].procs[].read_ops // 0] | add')
	[ "$got" = "$READS" ] || fail "history over the recording: read_ops $got, expected $READS" ||
		return 1
	echo '/api/v1/history?seconds=86400' | "$HELPERS/sock_query" "$sock" >"$T_TMP/resp" ||
		fail "no socket response" || return 1
	got=$(jq '[.snapshots[].procs[].write_bytes // 0] | add' "$T_TMP/resp")
	[ "$got" = $((WRITES * WRITE_SIZE)) ] || fail "socket: write_bytes $got" || return 1
	[ "$(stat -c %a "$sock")" = 600 ] || fail "socket mode $(stat -c %a "$sock")" || return 1
	th_stop || return 1
	"$TH" serve --replay "$T_TMP/rec.db" syscalls 2>"$T_TMP/e"
	[ $? -eq 2 ] || fail "--replay with a tracer name did not exit 2"
}

# A second recorder on a file being recorded exits 1 naming the first one's pid; the first
# goes on, and the file holds its intervals only.
test_second_recorder_refused() {
	local rc
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" syscalls 0.1 || return 1
	"$TH" record -o "$T_TMP/rec.db" syscalls 0.1 3 >"$T_TMP/o2" 2>"$T_TMP/e2"
	rc=$?
	[ $rc -eq 1 ] || fail "second recorder: exit $rc, expected 1" || return 1
	[ "$(wc -l <"$T_TMP/e2")" -eq 1 ] || fail "not one line: $(cat "$T_TMP/e2")" || return 1
	grep -q "being recorded by another tracerhub (pid $TH_PID)" "$T_TMP/e2" ||
		fail "holder not named: $(cat "$T_TMP/e2")" || return 1
	! grep -q "ready:" "$T_TMP/e2" || fail "the second one attached" || return 1
	kill -0 "$TH_PID" || fail "the first recorder stopped" || return 1
	th_stop || return 1
	grep -q "recorded \([0-9]*\) interval" "$T_TMP/err" || fail "no summary" || return 1
	[ "$(intervals "$T_TMP/rec.db")" = "$(grep -o 'recorded [0-9]*' "$T_TMP/err" |
		grep -o '[0-9]*')" ] || fail "the file holds other intervals than the first's"
}

# Readers attached the whole time (sqlite3 as in docs/recording.md, report, the query socket
# in the recorder's own process) see every committed interval; the recorder's WAL is never
# deleted under it, and kill -9 loses at most the interval being written.
test_live_readers_and_kill9() {
	local sock=$T_TMP/q$$.sock seen=0 n i t0 after
	need_root || return
	command -v sqlite3 >/dev/null || skip "needs the sqlite3 shell (scripts/deps.sh test)" ||
		return
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" --socket "$sock" syscalls 0.1 ||
		return 1
	t0=$(date +%s%N)
	coproc SQ { sqlite3 "$T_TMP/rec.db"; }
	for i in $(seq 30); do
		echo "SELECT count(*) FROM intervals;" >&"${SQ[1]}"
		read -r -t 5 n <&"${SQ[0]}" || fail "sqlite3 reader stopped answering" || return 1
		[ "$n" -ge "$seen" ] || fail "the reader saw $n intervals after $seen" || return 1
		seen=$n
		echo '/api/v1/recording' | "$HELPERS/sock_query" "$sock" >/dev/null ||
			fail "no socket answer" || return 1
		intervals "$T_TMP/rec.db" >/dev/null
		sleep 0.1
	done
	! ls -l "/proc/$TH_PID/fd" | grep -q "rec.db.*(deleted)" ||
		fail "recorder writes a deleted file: $(ls -l "/proc/$TH_PID/fd" | grep rec.db)" ||
		return 1
	# the reader attached all along sees what a fresh one sees (asked after it), and the
	# recording went on (at least half an interval per 0.1 s: commits wait for fsync)
	n=$(sqlite3 -readonly "$T_TMP/rec.db" "SELECT count(*) FROM intervals")
	echo "SELECT count(*) FROM intervals;" >&"${SQ[1]}"
	read -r -t 5 seen <&"${SQ[0]}" || fail "sqlite3 reader stopped answering" || return 1
	[ "$seen" -ge "$n" ] || fail "the reader saw $seen intervals, a fresh one $n" || return 1
	n=$((($(date +%s%N) - t0) / 200000000))
	[ "$seen" -ge "$n" ] || fail "only $seen intervals in $((n / 5)) s" || return 1
	kill -KILL "$TH_PID"
	wait "$TH_PID"
	echo "SELECT count(*) FROM intervals;" >&"${SQ[1]}"
	read -r -t 5 n <&"${SQ[0]}" || fail "sqlite3 reader gone after kill -9" || return 1
	[ "$n" -ge "$seen" ] || fail "after kill -9 the reader sees $n of $seen" || return 1
	kill "$SQ_PID" 2>/dev/null
	after=$(intervals "$T_TMP/rec.db")
	[ "$after" -ge "$n" ] || fail "report after kill -9: $after intervals, $n before" || return 1
}

# Read-only recordings: a non-root reader of root's 0644 file, and a read-only mount, both
# with a finished recording and one cut by kill -9 (its -wal and -shm still beside it); the
# readers create nothing beside the file.
test_read_only_recordings() {
	local dir=$T_TMP/ro n after
	need_root || return
	mkdir "$dir" "$T_TMP/rw"
	chmod 755 "$T_TMP" "$T_TMP/rw"
	"$TH" record -o "$T_TMP/rw/done.db" syscalls 0.1 3 2>/dev/null || fail "record" || return 1
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rw/cut.db" syscalls 0.1 || return 1
	for _ in $(seq 50); do
		[ "$(intervals "$T_TMP/rw/cut.db")" -ge 3 ] && break
		sleep 0.1
	done
	kill -KILL "$TH_PID"
	wait "$TH_PID"
	n=$(intervals "$T_TMP/rw/cut.db")
	[ "$n" -ge 3 ] || fail "only $n intervals before kill -9" || return 1
	[ -e "$T_TMP/rw/cut.db-wal" ] || fail "kill -9 left no WAL" || return 1
	chmod 644 "$T_TMP/rw/"*
	ls "$T_TMP/rw" >"$T_TMP/before"
	if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$TH" report "$T_TMP/rw/done.db" \
			-j >"$T_TMP/rep" 2>"$T_TMP/rep.err" ||
			fail "non-root report: $(cat "$T_TMP/rep.err")" || return 1
		[ "$(jq .intervals "$T_TMP/rep")" = 3 ] || fail "non-root: $(cat "$T_TMP/rep")" ||
			return 1
		setpriv --reuid=65534 --regid=65534 --clear-groups "$TH" report "$T_TMP/rw/cut.db" \
			-j >"$T_TMP/rep" 2>"$T_TMP/rep.err" ||
			fail "non-root report of the cut file: $(cat "$T_TMP/rep.err")" || return 1
		[ "$(jq .intervals "$T_TMP/rep")" = "$n" ] ||
			fail "non-root sees $(jq .intervals "$T_TMP/rep") of $n intervals" || return 1
		ls "$T_TMP/rw" | cmp -s - "$T_TMP/before" ||
			fail "non-root report created: $(ls "$T_TMP/rw")" || return 1
	fi
	mount -t tmpfs -o size=8m tmpfs "$dir" || skip "cannot mount a tmpfs" || return
	cp -a "$T_TMP/rw/." "$dir/"
	mount -o remount,ro "$dir" || { umount "$dir"; fail "cannot remount read-only"; return 1; }
	"$TH" report "$dir/done.db" -j >"$T_TMP/rep" 2>"$T_TMP/rep.err"
	n=$(jq .intervals "$T_TMP/rep" 2>/dev/null)
	"$TH" report "$dir/cut.db" -j >"$T_TMP/rep2" 2>>"$T_TMP/rep.err"
	after=$(jq .intervals "$T_TMP/rep2" 2>/dev/null)
	umount "$dir"
	[ "$n" = 3 ] || fail "read-only mount: $n intervals: $(cat "$T_TMP/rep.err")" || return 1
	[ "$after" = "$(intervals "$T_TMP/rw/cut.db")" ] ||
		fail "read-only mount, cut file: $after intervals: $(cat "$T_TMP/rep.err")"
}

# Packet data addresses are searchable by hex prefix in a recording (record with a tracer's
# own options: pktjourney --packets).
test_search_packet_addresses() {
	local addr prefix got want
	need_root || return
	th_start "$T_TMP/out" "$T_TMP/err" record -o "$T_TMP/rec.db" pktjourney --packets 0.2 ||
		return 1
	for _ in $(seq 20); do echo x >/dev/udp/127.0.0.1/9; done # a closed port: dropped
	sleep 0.8
	th_stop || return 1
	addr=$(sqlite3 "$T_TMP/rec.db" "SELECT printf('%x', head_addr) FROM packet_events LIMIT 1")
	[ -n "$addr" ] || fail "no packet record with a data address in the recording" || return 1
	# packets reuse data buffers, so many events hold the same few addresses: ask for every
	# match of a 4 KiB range (results are ordered by address, and a short limit could end
	# before $addr) and check that all events holding an address in it are found
	prefix=${addr:0:$((${#addr} - 3))}
	want=$(sqlite3 "$T_TMP/rec.db" "SELECT count(*) FROM packet_events WHERE
		head_addr BETWEEN 0x${prefix}000 AND 0x${prefix}fff")
	[ "$want" -le 1000 ] || skip "$want addresses in one 4 KiB range: more than a search shows" ||
		return
	"$TH" report "$T_TMP/rec.db" --search "addr:$prefix" --limit 1000 >"$T_TMP/found" ||
		fail "search failed" || return 1
	got=$(jq --arg a "$addr" '[.matches[] | select(.value == $a)] | length' "$T_TMP/found")
	[ "$got" -ge 1 ] || fail "addr:$prefix found no event holding $addr" || return 1
	got=$(jq '.matches | length' "$T_TMP/found")
	[ "$got" = "$want" ] || fail "addr:$prefix found $got events, the recording holds $want" ||
		return 1
	# every field of a journey has its column: the drop's reason, its sender
	got=$(sqlite3 "$T_TMP/rec.db" "SELECT count(*) FROM packet_events WHERE
		flow LIKE 'udp %>127.0.0.1:9' AND fate = 'dropped' AND reason = 'NO_SOCKET' AND
		snd_comm = 'bash' AND snd_pid > 0 AND rcv_pid = 0 AND rcv_comm = ''")
	[ "$got" -ge 20 ] || fail "$got dropped packets to port 9 with reason and sender" ||
		return 1
	got=$(sqlite3 "$T_TMP/rec.db" "SELECT group_concat(DISTINCT key) FROM event_extra")
	[ -z "$got" ] || fail "packet fields without a column: $got"
}

run_tests
