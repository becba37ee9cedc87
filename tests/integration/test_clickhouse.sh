#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Fleet recording: tracerhub record --to clickhouse://... into ClickHouse servers this test
# starts (Debian's clickhouse-server, a config in a temp dir, loopback ports), and report
# --from clickhouse://... reading it back per host.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib_clickhouse.sh"

READS_A=4321
READS_B=1234
READ_SIZE=64

need_clickhouse() {
	need_root || return
	command -v clickhouse-server >/dev/null ||
		skip "needs clickhouse-server (scripts/deps.sh test installs it)" || return
	command -v curl >/dev/null || skip "needs curl" || return
}

# A recorder in the background: rec_start VAR OUT ERR [ip netns exec NS] -- ARGS...; VAR gets
# its pid once it is ready.
rec_start() {
	local var=$1 out=$2 err=$3 pre=()
	shift 3
	while [ "$1" != -- ]; do pre+=("$1"); shift; done
	shift
	"${pre[@]}" "$TH" record "$@" >"$out" 2>"$err" &
	eval "$var=$!"
	wait_for "$err" "ready:" 20
}

# A network namespace with a veth to the host: netns_up NAME N (10.N.0.1 host, 10.N.0.2 inside).
netns_up() {
	ip netns add "$1" || return 1
	ip link add "v$1" type veth peer name "p$1" netns "$1" || return 1
	ip addr add "10.$2.0.1/24" dev "v$1" && ip link set "v$1" up || return 1
	ip -n "$1" addr add "10.$2.0.2/24" dev "p$1" && ip -n "$1" link set "p$1" up &&
		ip -n "$1" link set lo up
}

netns_down() { ip netns del "$1" 2>/dev/null; ip link del "v$1" 2>/dev/null; true; }

# A workload with a known count of reads, waiting for SIGUSR1: workload VAR READS FILE.
workload() {
	"$HELPERS/syscall_workload" "$2" $READ_SIZE 1 4096 "$3" &
	eval "$1=$!"
}

# Host $2's value of jq path $3 in report $1 (0 when absent).
host_val() { jq --arg h "$2" "[.hosts[] | select(.host == \$h) | $3 // 0] | add // 0" "$1"; }

# Two recorders with different --host, one in a network namespace, into one ClickHouse: the
# report has each host's exact counts, and their sum.
test_two_hosts_exact_counts() {
	local ns=thch$$ n=$((10 + RANDOM % 200)) wa wb ra rb url got
	need_clickhouse || return
	netns_up "$ns" "$n" || { netns_down "$ns"; skip "cannot make a network namespace"; return; }
	trap 'netns_down '"$ns" EXIT
	ch_start one "10.$n.0.1" || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	workload wa $READS_A "$T_TMP/fa"
	workload wb $READS_B "$T_TMP/fb"
	url=clickhouse://127.0.0.1:$CH_HTTP_one/fleet
	rec_start ra "$T_TMP/oa" "$T_TMP/ea" -- --to "$url" --host host-a --spool "$T_TMP/sa.db" \
		syscalls io -p "$wa" 0.2 || return 1
	rec_start rb "$T_TMP/ob" "$T_TMP/eb" ip netns exec "$ns" -- \
		--to "clickhouse://10.$n.0.1:$CH_HTTP_one/fleet" --host host-b \
		--spool "$T_TMP/sb.db" syscalls io -p "$wb" 0.2 || return 1
	kill -USR1 "$wa" "$wb"
	wait "$wa" && wait "$wb" || fail "workload failed" || return 1
	sleep 0.5
	th_stop "$ra" && th_stop "$rb" || return 1
	"$TH" report --from "$url" -j >"$T_TMP/rep" 2>"$T_TMP/rep.err" ||
		fail "report: $(cat "$T_TMP/rep.err")" || return 1
	got=$(host_val "$T_TMP/rep" host-a .totals.read_ops)
	[ "$got" = $READS_A ] || fail "host-a read_ops $got, expected $READS_A" || return 1
	got=$(host_val "$T_TMP/rep" host-b .totals.read_ops)
	[ "$got" = $READS_B ] || fail "host-b read_ops $got, expected $READS_B" || return 1
	got=$(jq .total.totals.read_ops "$T_TMP/rep")
	[ "$got" = $((READS_A + READS_B)) ] || fail "sum $got" || return 1
	[ "$(jq '.hosts | length' "$T_TMP/rep")" = 2 ] || fail "not 2 hosts" || return 1
	# the filter, and a name that tries SQL
	got=$("$TH" report --from "$url" --host host-b -j | jq -c '[.hosts[].host]')
	[ "$got" = '["host-b"]' ] || fail "--host host-b: $got" || return 1
	got=$("$TH" report --from "$url" --host "x') OR 1=1 OR ('" -j | jq '.hosts | length')
	[ "$got" = 0 ] || fail "a quoted host name matched $got hosts" || return 1
	# every row carries its host: the SQLite-side numbers agree with ClickHouse's own
	got=$(ch_q "$CH_HTTP_one" "SELECT sum(read_ops) FROM fleet.procs WHERE host = 'host-b'")
	[ "$got" = $READS_B ] || fail "clickhouse-client view: $got" || return 1
	"$TH" report --from "$url" >"$T_TMP/text" || fail "text report" || return 1
	grep -q "^host-b " "$T_TMP/text" || fail "no host-b line: $(cat "$T_TMP/text")"
}

# Address-prefix search across hosts finds a packet of each host.
test_address_search_each_host() {
	local ns=thcs$$ n=$((10 + RANDOM % 200)) ra rb url addr prefix h got
	need_clickhouse || return
	netns_up "$ns" "$n" || { netns_down "$ns"; skip "cannot make a network namespace"; return; }
	trap 'netns_down '"$ns" EXIT
	ch_start one "10.$n.0.1" || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	url=clickhouse://127.0.0.1:$CH_HTTP_one/fleet
	rec_start ra "$T_TMP/oa" "$T_TMP/ea" -- --to "$url" --host host-a --spool "$T_TMP/sa.db" \
		pktjourney --packets 0.2 || return 1
	rec_start rb "$T_TMP/ob" "$T_TMP/eb" ip netns exec "$ns" -- \
		--to "clickhouse://10.$n.0.1:$CH_HTTP_one/fleet" --host host-b \
		--spool "$T_TMP/sb.db" pktjourney --packets 0.2 || return 1
	for _ in $(seq 20); do
		echo x >/dev/udp/127.0.0.1/9
		ip netns exec "$ns" bash -c 'echo x >/dev/udp/127.0.0.1/9'
	done
	sleep 0.8
	th_stop "$ra" && th_stop "$rb" || return 1
	for h in host-a host-b; do
		# the address of this host's packets least used by other packets (both hosts share
		# this machine's kernel, and its other traffic reuses the same buffers)
		addr=$(ch_q "$CH_HTTP_one" "SELECT lower(hex(head_addr)) FROM fleet.packet_events
			WHERE head_addr IN (SELECT head_addr FROM fleet.packet_events
			WHERE host = '$h' AND head_addr IS NOT NULL) GROUP BY head_addr
			ORDER BY count(), head_addr LIMIT 1")
		[ -n "$addr" ] || fail "$h recorded no packet address" || return 1
		prefix=${addr:0:$((${#addr} - 1))}
		"$TH" report --from "$url" --search "addr:$prefix" --limit 1000 >"$T_TMP/found" \
			2>"$T_TMP/err" || fail "search: $(cat "$T_TMP/err")" || return 1
		got=$(jq --arg h "$h" --arg a "$addr" \
			'[.matches[] | select(.host == $h and .value == $a)] | length' "$T_TMP/found")
		[ "$got" -ge 1 ] || fail "addr:$prefix: no packet of $h at $addr" || return 1
	done
	got=$("$TH" report --from "$url" --search "comm:tracerhub" | jq '[.matches[].host] | unique')
	[ "$(echo "$got" | jq length)" = 2 ] || fail "comm search hosts: $got"
}

# ClickHouse killed for 10 s mid-recording and restarted: the counts are exact, nothing is
# duplicated, and the recorder said once that it was spooling. SQLite gets the same at once.
test_clickhouse_down_and_back() {
	local w r url got n
	need_clickhouse || return
	ch_start one || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	url=clickhouse://127.0.0.1:$CH_HTTP_one/fleet
	workload w $READS_A "$T_TMP/fa"
	rec_start r "$T_TMP/o" "$T_TMP/e" -- --to "$url" -o "$T_TMP/rec.db" --host h1 \
		--spool "$T_TMP/spool.db" syscalls io -p "$w" 0.2 || return 1
	sleep 0.6
	kill -KILL "$CH_PID_one"
	wait "$CH_PID_one" 2>/dev/null
	kill -USR1 "$w"
	wait "$w" || fail "workload failed" || return 1
	sleep 10
	ch_restart one || return 1
	# the backlog goes out in order, a batch at a time (slowly on a loaded machine): wait
	# until the spool holds no more than the last few intervals
	for _ in $(seq 120); do
		n=$(sqlite3 "$T_TMP/spool.db" "SELECT count(*) FROM spool" 2>/dev/null)
		[ "${n:-99}" -lt 20 ] && break
		sleep 0.5
	done
	th_stop "$r" || return 1
	[ "$(grep -c "batches wait in the spool" "$T_TMP/e")" = 1 ] ||
		fail "not one spooling message: $(cat "$T_TMP/e")" || return 1
	! grep -q "wait in the spool .*: the next record" "$T_TMP/e" ||
		fail "batches left behind: $(cat "$T_TMP/e")" || return 1
	got=$(ch_q "$CH_HTTP_one" "SELECT sum(read_ops) FROM fleet.procs")
	[ "$got" = $READS_A ] || fail "read_ops $got after the outage, expected $READS_A" ||
		return 1
	got=$(ch_q "$CH_HTTP_one" "SELECT count() - uniqExact(interval_ts) FROM fleet.intervals")
	[ "$got" = 0 ] || fail "$got intervals sent twice" || return 1
	got=$(ch_q "$CH_HTTP_one" "SELECT count() - uniqExact(interval_ts, pid) FROM fleet.procs")
	[ "$got" = 0 ] || fail "$got process rows sent twice" || return 1
	n=$(sqlite3 "$T_TMP/rec.db" "SELECT count(*) FROM intervals")
	got=$(ch_q "$CH_HTTP_one" "SELECT count() FROM fleet.intervals")
	[ "$got" = "$n" ] || fail "ClickHouse has $got intervals, the SQLite recording $n"
}

# A server answering errors while recording (a table dropped under the recorder): the
# batches wait in the spool, one line says so, the table is made again and nothing is lost.
test_errors_while_recording() {
	local w r url got
	need_clickhouse || return
	ch_start one || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	url=clickhouse://127.0.0.1:$CH_HTTP_one/fleet
	workload w $READS_A "$T_TMP/fa"
	rec_start r "$T_TMP/o" "$T_TMP/e" -- --to "$url" --host h1 --spool "$T_TMP/spool.db" \
		syscalls io -p "$w" 0.2 || return 1
	sleep 0.5
	ch_q "$CH_HTTP_one" "DROP TABLE fleet.procs" || fail "drop" || return 1
	kill -USR1 "$w"
	wait "$w" || fail "workload failed" || return 1
	sleep 3
	th_stop "$r" || return 1
	[ "$(grep -c "Table fleet.procs doesn't exist.*batches wait in the spool" "$T_TMP/e")" = 1 ] ||
		fail "not one line about the error: $(cat "$T_TMP/e")" || return 1
	! grep -q "wait in the spool .*: the next record" "$T_TMP/e" ||
		fail "batches left behind: $(cat "$T_TMP/e")" || return 1
	got=$(ch_q "$CH_HTTP_one" "SELECT sum(read_ops) FROM fleet.procs")
	[ "$got" = $READS_A ] || fail "read_ops $got, expected $READS_A" || return 1
	# spool options without --to are a mistake
	expect_bad 2 "go with --to" record -o "$T_TMP/x.db" --spool "$T_TMP/s.db" syscalls 0.1 1
}

# The DDL of tracerhub's tables in database $2 of server port $1, one statement a line.
ch_tables() {
	ch_q "$1" "SELECT name FROM system.tables WHERE database = '$2' ORDER BY name"
}

# Two shards behind Distributed tables give the same report as one server.
test_distributed_two_shards() {
	local remote w r1 r2 t ddl got single key n a b
	need_clickhouse || return
	ch_start s2 || return 1
	local auth="<user>default</user><password>$CH_PASSWORD</password>"
	remote="<fleet2><shard><replica><host>127.0.0.1</host><port>__TCP_SELF__</port>$auth
		</replica></shard><shard><replica><host>127.0.0.1</host><port>$CH_TCP_s2</port>$auth
		</replica></shard></fleet2>"
	ch_start s1 "" "$remote" || return 1
	# tracerhub creates its tables in a scratch database; the shards get them as local tables
	# and s1 a Distributed table of each name over them (docs/fleet.md does the same)
	ch_q "$CH_HTTP_s1" "CREATE DATABASE scratch" || fail "scratch" || return 1
	"$TH" record --to "clickhouse://127.0.0.1:$CH_HTTP_s1/scratch" --spool "$T_TMP/s0.db" \
		syscalls 0.1 1 2>/dev/null || fail "creating the tables" || return 1
	for port in "$CH_HTTP_s1" "$CH_HTTP_s2"; do
		ch_q "$port" "CREATE DATABASE fleet_local" || fail "fleet_local" || return 1
	done
	ch_q "$CH_HTTP_s1" "CREATE DATABASE fleet" && ch_q "$CH_HTTP_s1" "CREATE DATABASE single" ||
		fail "databases" || return 1
	for t in $(ch_tables "$CH_HTTP_s1" scratch); do
		key='cityHash64(interval_ts)' && [ "$t" = meta ] && key='rand()'
		ddl=$(ch_q "$CH_HTTP_s1" "SHOW CREATE TABLE scratch.$t" | sed 's/\\n/ /g; s/\\'"'"'/'"'"'/g')
		for port in "$CH_HTTP_s1" "$CH_HTTP_s2"; do
			ch_q "$port" "${ddl/scratch./fleet_local.}" || fail "local $t: $ddl" || return 1
		done
		ch_q "$CH_HTTP_s1" "${ddl/scratch./single.}" || fail "single $t" || return 1
		ch_q "$CH_HTTP_s1" "CREATE TABLE fleet.$t AS fleet_local.$t
			ENGINE = Distributed(fleet2, fleet_local, $t, $key)" ||
			fail "distributed $t" || return 1
	done
	ch_q "$CH_HTTP_s1" "INSERT INTO fleet.meta SELECT * FROM scratch.meta" &&
		ch_q "$CH_HTTP_s1" "INSERT INTO single.meta SELECT * FROM scratch.meta" ||
		fail "meta" || return 1
	workload w $READS_A "$T_TMP/fa"
	rec_start r1 "$T_TMP/o1" "$T_TMP/e1" -- --to "clickhouse://127.0.0.1:$CH_HTTP_s1/fleet" \
		-o "$T_TMP/r1.db" --host h1 --spool "$T_TMP/s1.db" syscalls io -p "$w" 0.2 || return 1
	rec_start r2 "$T_TMP/o2" "$T_TMP/e2" -- --to "clickhouse://127.0.0.1:$CH_HTTP_s1/single" \
		--host h1 --spool "$T_TMP/s2.db" syscalls io -p "$w" 0.2 || return 1
	kill -USR1 "$w"
	wait "$w" || fail "workload failed" || return 1
	sleep 5 # 25 intervals or more: sharded by their time, both shards get some
	th_stop "$r1" && th_stop "$r2" || return 1
	! grep "wait in the spool" "$T_TMP/e1" "$T_TMP/e2" || fail "batches left unsent" || return 1
	# inserts into Distributed tables return once the shard has the rows: no waiting
	got=$("$TH" report --from "clickhouse://127.0.0.1:$CH_HTTP_s1/fleet" -j |
		jq -c '.total.totals | {read_ops, write_ops}')
	single=$("$TH" report --from "clickhouse://127.0.0.1:$CH_HTTP_s1/single" -j |
		jq -c '.total.totals | {read_ops, write_ops}')
	[ "$got" = "$single" ] || fail "two shards: $got, one server: $single" || return 1
	[ "$(echo "$got" | jq .read_ops)" = $READS_A ] || fail "read_ops: $got" || return 1
	# every row on exactly one shard, both shards used: each shard's local tables add up
	# to what the same recorder wrote to SQLite at once
	for t in intervals procs health; do
		n=$(sqlite3 "$T_TMP/r1.db" "SELECT count(*) FROM $t")
		a=$(ch_q "$CH_HTTP_s1" "SELECT count() FROM fleet_local.$t")
		b=$(ch_q "$CH_HTTP_s2" "SELECT count() FROM fleet_local.$t")
		[ $((a + b)) = "$n" ] || fail "$t: shard 1 has $a rows, shard 2 $b, SQLite $n" ||
			return 1
		if [ "$t" = intervals ] && { [ "$a" = 0 ] || [ "$b" = 0 ]; }; then
			fail "intervals not spread over the shards: $a and $b of $n"
			return 1
		fi
	done
	a=$(ch_q "$CH_HTTP_s1" "SELECT ifNull(sum(read_ops), 0) FROM fleet_local.procs")
	b=$(ch_q "$CH_HTTP_s2" "SELECT ifNull(sum(read_ops), 0) FROM fleet_local.procs")
	[ $((a + b)) = $READS_A ] || fail "read_ops on the shards: $a + $b"
}

# clickhouses://: a server with a self-signed certificate (openssl) on its https_port; record
# and report with --ch-ca have the exact counts; without the CA, or with the wrong scheme for
# the port, one clear line and exit 1 (the server refuses); --ch-ca with clickhouse://, exit 2.
test_tls() {
	local w r url cert=$T_TMP/tls/cert.pem sp=$T_TMP/spool.db got
	need_clickhouse || return
	command -v openssl >/dev/null || skip "needs openssl" || return
	mkdir -p "$T_TMP/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout "$T_TMP/tls/key.pem" \
		-out "$cert" 2>"$T_TMP/openssl.err" || fail "openssl: $(cat "$T_TMP/openssl.err")" ||
		return 1
	ch_start one "" "" "$T_TMP/tls" || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	url=clickhouses://127.0.0.1:$CH_HTTPS_one/fleet
	workload w $READS_A "$T_TMP/fa"
	rec_start r "$T_TMP/o" "$T_TMP/e" -- --to "$url" --ch-ca "$cert" --host tls-host \
		--spool "$T_TMP/s.db" syscalls io -p "$w" 0.2 || return 1
	kill -USR1 "$w"
	wait "$w" || fail "workload failed" || return 1
	sleep 0.5
	th_stop "$r" || return 1
	! grep -q "wait in the spool" "$T_TMP/e" || fail "left unsent: $(cat "$T_TMP/e")" ||
		return 1
	got=$("$TH" report --from "$url" --ch-ca "$cert" -j | jq '.hosts[0].totals.read_ops')
	[ "$got" = $READS_A ] || fail "read_ops over TLS: $got, expected $READS_A" || return 1
	got=$(ch_q "$CH_HTTP_one" "SELECT sum(read_ops) FROM fleet.procs WHERE host = 'tls-host'")
	[ "$got" = $READS_A ] || fail "read_ops seen over plain HTTP: $got" || return 1
	# the system's CAs do not know a self-signed certificate
	expect_bad 1 "TLS failed (SSL certificate problem" report --from "$url" || return 1
	expect_bad 1 "TLS failed (SSL certificate problem" record --to "$url" --spool "$sp" \
		syscalls 0.1 1 || return 1
	# the wrong scheme for the port either way
	expect_bad 1 "TLS failed" report --from "clickhouses://127.0.0.1:$CH_HTTP_one/fleet" \
		--ch-ca "$cert" || return 1
	expect_bad 1 "not as ClickHouse's HTTP interface" \
		report --from "clickhouse://127.0.0.1:$CH_HTTPS_one/fleet" || return 1
	expect_bad 2 "use clickhouses://" report --from "clickhouse://127.0.0.1:$CH_HTTP_one/fleet" \
		--ch-ca "$cert" || return 1
	expect_bad 1 "cannot read the CA certificates" report --from "$url" --ch-ca "$T_TMP/none"
}

# $1: expected exit code (2: a malformed argument; 1: a server or a file that refuses), $2:
# expected message; the rest: a tracerhub command line. One line, nothing attached.
expect_bad() {
	local want=$1 pat=$2 rc
	shift 2
	"$TH" "$@" >"$T_TMP/o" 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq "$want" ] || fail "$*: exit $rc, expected $want: $(cat "$T_TMP/e")" || return 1
	[ "$(wc -l <"$T_TMP/e")" -eq 1 ] || fail "$*: not one line: $(cat "$T_TMP/e")" || return 1
	grep -q -- "$pat" "$T_TMP/e" || fail "$*: '$(cat "$T_TMP/e")' lacks '$pat'"
}

# Malformed URLs (exit 2, usage), wrong credentials, a missing database, a server answering
# errors (exit 1, runtime): one clear line, for record and report alike.
test_bad_targets() {
	local u sp=$T_TMP/spool.db rc
	need_clickhouse || return
	ch_start one || return 1
	ch_q "$CH_HTTP_one" "CREATE DATABASE fleet" || fail "create database" || return 1
	u=127.0.0.1:$CH_HTTP_one
	for bad in "clickhouse://" "clickhouse://$u" "clickhouse://$u/" "clickhouse://$u/a-b" \
		"clickhouse://$u/db?x=1" "clickhouse://[::1/db" "clickhouse://h:0/db" \
		"clickhouse://h:99999/db" "clickhouse://h:/db"; do
		expect_bad 2 "invalid ClickHouse URL" record --to "$bad" --spool "$sp" syscalls 0.1 1 ||
			return 1
		expect_bad 2 "invalid ClickHouse URL" report --from "$bad" || return 1
	done
	TRACERHUB_CLICKHOUSE_PASSWORD=wrong expect_bad 1 "refused the credentials" \
		record --to "clickhouse://$u/fleet" --spool "$sp" syscalls 0.1 1 || return 1
	TRACERHUB_CLICKHOUSE_PASSWORD=wrong expect_bad 1 "refused the credentials" \
		report --from "clickhouse://$u/fleet" || return 1
	expect_bad 1 "no database 'nodb'" record --to "clickhouse://$u/nodb" --spool "$sp" syscalls \
		0.1 1 || return 1
	expect_bad 1 "no database 'nodb'" report --from "clickhouse://$u/nodb" || return 1
	# a read-only user: the server answers CREATE TABLE with an error
	TRACERHUB_CLICKHOUSE_USER=reader expect_bad 1 "ClickHouse $u/fleet: .*readonly" \
		record --to "clickhouse://$u/fleet" --spool "$sp" syscalls 0.1 1 || return 1
	# tables of another schema version
	"$TH" record --to "clickhouse://$u/fleet" --spool "$sp" syscalls 0.1 1 2>/dev/null ||
		fail "a good recording" || return 1
	ch_q "$CH_HTTP_one" "DROP TABLE fleet.meta" &&
		ch_q "$CH_HTTP_one" "CREATE TABLE fleet.meta (key String, value String)
			ENGINE = MergeTree() ORDER BY key" &&
		ch_q "$CH_HTTP_one" "INSERT INTO fleet.meta VALUES ('schema_version', '99')" ||
		fail "meta" || return 1
	expect_bad 1 "schema version 99" record --to "clickhouse://$u/fleet" --spool "$sp" syscalls \
		0.1 1 || return 1
	# credentials in a file others can read are refused; mode 0600 is fine
	echo "default:$CH_PASSWORD" >"$T_TMP/auth"
	chmod 644 "$T_TMP/auth"
	expect_bad 1 "chmod 600" report --from "clickhouse://$u/fleet" --ch-auth "$T_TMP/auth" ||
		return 1
	chmod 600 "$T_TMP/auth"
	TRACERHUB_CLICKHOUSE_PASSWORD=wrong "$TH" report --from "clickhouse://$u/fleet" \
		--ch-auth "$T_TMP/auth" -j >/dev/null 2>"$T_TMP/e" ||
		fail "--ch-auth: $(cat "$T_TMP/e")" || return 1
	# nobody listening: record goes on spooling, saying so in one line
	"$TH" record --to "clickhouse://127.0.0.1:1/fleet" --spool "$T_TMP/s9.db" syscalls 0.1 2 \
		>/dev/null 2>"$T_TMP/e"
	rc=$?
	[ $rc -eq 0 ] || fail "unreachable: exit $rc: $(cat "$T_TMP/e")" || return 1
	grep -q "does not answer.*recording anyway" "$T_TMP/e" || fail "$(cat "$T_TMP/e")" ||
		return 1
	grep -q "batches (.* rows) wait in the spool $T_TMP/s9.db" "$T_TMP/e" ||
		fail "left in the spool not said: $(cat "$T_TMP/e")"
}

run_tests
