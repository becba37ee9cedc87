#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Install the Debian packages tracerhub needs, only those missing.
# Usage: scripts/deps.sh build|test|bench
set -euo pipefail

build_pkgs=(clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev libncurses-dev pkg-config make gcc libc6-dev libsqlite3-dev)
test_pkgs=(jq tmux util-linux iproute2 fio bpftrace libbpf-tools procps linux-perf sqlite3 e2fsprogs
	groff-base stress-ng)
# pktjourney's pcapng captures are read back with Debian's tshark.
test_pkgs+=(tshark)
bench_pkgs=(stress-ng fio hyperfine iperf3 sockperf gnuplot-nox libbpf-tools bpftrace)
# The web server's tests (curl, headless chromium, prometheus with promtool); npm vendors
# uPlot into the dashboard at build time (a nodejs that ships npm is fine too).
command -v npm >/dev/null || build_pkgs+=(nodejs npm)
test_pkgs+=(curl chromium prometheus)
# Fleet recording to ClickHouse over HTTP (libcurl); its test runs Debian's ClickHouse.
build_pkgs+=(libcurl4-openssl-dev)
test_pkgs+=(clickhouse-server clickhouse-client)
# The kernel matrix (tests/kernels): Debian's kernels booted in qemu with a busybox initramfs.
test_pkgs+=(qemu-system-x86 busybox-static)

want=("${build_pkgs[@]}")
case "${1:-build}" in
build) ;;
test) want+=("${test_pkgs[@]}") ;;
bench) want+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
*) echo "usage: $0 build|test|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "tracerhub: missing packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
	exit 2
fi
echo "tracerhub: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture: no (the default), without asking.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
