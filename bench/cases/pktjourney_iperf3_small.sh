# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Loopback TCP throughput (iperf3, 1400-byte writes) with pktjourney following every packet
# or 1 in 100: the case of pktjourney_iperf3.sh with small writes on a port of its own.
. "$(dirname "${BASH_SOURCE[0]}")/pktjourney_iperf3.sh"
CASE_TITLE='loopback TCP throughput, small writes: iperf3 -c 127.0.0.1 -l 1400'
PJ_IPERF_PORT=5292
PJ_IPERF_ARGS=(-l 1400)
