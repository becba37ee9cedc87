# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# free_port (sourced by tests/lib.sh, and by tests/integration/lib_clickhouse.sh for the
# benchmark's cases, which do not source tests/lib.sh).

# A free TCP port on loopback.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		ss -Htln "sport = :$p" | grep -q . || { echo "$p"; return 0; }
	done
	return 1
}
