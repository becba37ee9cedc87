# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# ClickHouse servers of our own for tests and benchmarks (sourced): Debian's clickhouse-server
# with a config in a temp dir, on free loopback ports, user default with a random password
# (exported for tracerhub as TRACERHUB_CLICKHOUSE_PASSWORD) and a read-only user "reader".
# Needs $T_TMP (the directory for the servers' files) and fail() from tests/lib.sh.

CH_PASSWORD=th-$$-$RANDOM
export TRACERHUB_CLICKHOUSE_PASSWORD=$CH_PASSWORD
. "$(dirname "${BASH_SOURCE[0]}")/../lib_port.sh"

# Start a server: ch_start NAME [LISTEN_ADDR] [REMOTE_SERVERS_XML, where __TCP_SELF__ stands
# for its own native port] [TLS_DIR with cert.pem and key.pem: an HTTPS port too]; sets
# CH_HTTP_<NAME>, CH_TCP_<NAME>, CH_PID_<NAME> (and CH_HTTPS_<NAME>); its data, logs and
# config live in $T_TMP/ch-NAME.
ch_start() {
	local name=$1 listen=${2:-} remote=${3:-} tls=${4:-} dir=$T_TMP/ch-$1 http tcp https= i
	http=$(free_port) && tcp=$(free_port) || fail "no free port" || return 1
	if [ -n "$tls" ]; then
		https=$(free_port) || fail "no free port" || return 1
		tls="<https_port>$https</https_port><openSSL><server>
			<certificateFile>$tls/cert.pem</certificateFile>
			<privateKeyFile>$tls/key.pem</privateKeyFile>
			<verificationMode>none</verificationMode><loadDefaultCAFile>false</loadDefaultCAFile>
			<disableProtocols>sslv2,sslv3</disableProtocols></server></openSSL>"
	fi
	remote=${remote//__TCP_SELF__/$tcp}
	mkdir -p "$dir"
	cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default>
    <readonly><readonly>1</readonly></readonly></profiles>
  <users>
    <default><password>$CH_PASSWORD</password>
      <networks><ip>127.0.0.1</ip><ip>10.0.0.0/8</ip></networks>
      <profile>default</profile><quota>default</quota></default>
    <reader><password>$CH_PASSWORD</password><networks><ip>127.0.0.1</ip></networks>
      <profile>readonly</profile><quota>default</quota></reader>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
EOF
	cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/server.log</log>
    <errorlog>$dir/server.err.log</errorlog></logger>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  $tls
  <listen_host>127.0.0.1</listen_host>
  ${listen:+<listen_host>$listen</listen_host>}
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <max_concurrent_queries>40</max_concurrent_queries>
  ${remote:+<remote_servers>$remote</remote_servers>}
</yandex>
EOF
	nice -n 10 clickhouse-server --config-file="$dir/config.xml" >"$dir/out.log" 2>&1 &
	eval "CH_PID_$name=$! CH_HTTP_$name=$http CH_TCP_$name=$tcp CH_HTTPS_$name=$https"
	for ((i = 0; i < 600; i++)); do
		ch_q "$http" "SELECT 1" >/dev/null 2>&1 &&
			{ [ -z "$https" ] || ss -Hltn "sport = :$https" | grep -q .; } && return 0
		sleep 0.1
	done
	fail "clickhouse-server $name did not start: $(tail -n 3 "$dir/server.err.log" "$dir/out.log")"
}

# Restart server NAME after a kill, on the same ports and data.
ch_restart() {
	local name=$1 dir=$T_TMP/ch-$1 http i
	http=$(eval echo "\$CH_HTTP_$name")
	nice -n 10 clickhouse-server --config-file="$dir/config.xml" >>"$dir/out.log" 2>&1 &
	eval "CH_PID_$name=$!"
	for ((i = 0; i < 600; i++)); do
		ch_q "$http" "SELECT 1" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "clickhouse-server $name did not restart"
}

# ch_q PORT SQL: one query, its TabSeparated answer; fails on an error answer.
ch_q() {
	curl -sf -u "default:$CH_PASSWORD" "http://127.0.0.1:$1/" --data-binary "$2"
}
