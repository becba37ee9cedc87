// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include "model/metric.h"

#define COUNTER(m, name, header, unit, help) [m] = { name, header, unit, KIND_COUNTER, help }
#define GAUGE(m, name, header, unit, help) [m] = { name, header, unit, KIND_GAUGE, help }

static const struct metric_info metrics[METRIC_COUNT] = {
	COUNTER(METRIC_SYSCALLS, "syscalls", "SYSCALLS", UNIT_COUNT, "system calls made"),
	COUNTER(METRIC_SYSCALL_ERRORS, "syscall_errors", "ERRORS", UNIT_COUNT,
		"system calls that returned an error"),
	COUNTER(METRIC_READ_OPS, "read_ops", "READS", UNIT_COUNT,
		"read-family calls (read, pread, readv, ...)"),
	COUNTER(METRIC_READ_BYTES, "read_bytes", "READ_B", UNIT_BYTES, "bytes returned by reads"),
	COUNTER(METRIC_WRITE_OPS, "write_ops", "WRITES", UNIT_COUNT,
		"write-family calls (write, pwrite, sendfile, ...)"),
	COUNTER(METRIC_WRITE_BYTES, "write_bytes", "WRITE_B", UNIT_BYTES,
		"bytes accepted by writes"),
	COUNTER(METRIC_OPENS, "opens", "OPENS", UNIT_COUNT,
		"files opened (open, openat, openat2, creat)"),
	COUNTER(METRIC_URING_SUBMITS, "uring_submits", "URING", UNIT_COUNT,
		"io_uring requests submitted"),
	COUNTER(METRIC_BLOCK_REQS, "block_reqs", "BIO", UNIT_COUNT,
		"block requests started on the process' behalf"),
	COUNTER(METRIC_BLOCK_BYTES, "block_bytes", "BIO_B", UNIT_BYTES,
		"bytes of those block requests"),
	COUNTER(METRIC_TCP_CONNECTS, "tcp_connects", "CONN", UNIT_COUNT,
		"TCP connection attempts made (connect)"),
	COUNTER(METRIC_TCP_ACCEPTS, "tcp_accepts", "ACCEPT", UNIT_COUNT,
		"TCP connections accepted"),
	COUNTER(METRIC_TCP_TX_BYTES, "tcp_tx_bytes", "TCP_TX", UNIT_BYTES, "TCP bytes sent"),
	COUNTER(METRIC_TCP_RX_BYTES, "tcp_rx_bytes", "TCP_RX", UNIT_BYTES, "TCP bytes received"),
	COUNTER(METRIC_UDP_TX_PKTS, "udp_tx_packets", "UDP_TX", UNIT_COUNT, "UDP datagrams sent"),
	COUNTER(METRIC_UDP_TX_BYTES, "udp_tx_bytes", "UDP_TXB", UNIT_BYTES, "UDP bytes sent"),
	COUNTER(METRIC_UDP_RX_PKTS, "udp_rx_packets", "UDP_RX", UNIT_COUNT,
		"UDP datagrams received"),
	COUNTER(METRIC_UDP_RX_BYTES, "udp_rx_bytes", "UDP_RXB", UNIT_BYTES, "UDP bytes received"),
	COUNTER(METRIC_TCP_RETRANS, "tcp_retransmits", "RETRANS", UNIT_COUNT,
		"TCP segments retransmitted"),
	COUNTER(METRIC_TCP_RESETS, "tcp_resets", "RESETS", UNIT_COUNT, "TCP resets sent or received"),
	COUNTER(METRIC_MINOR_FAULTS, "minor_faults", "MINFLT", UNIT_COUNT, "minor page faults"),
	COUNTER(METRIC_MAJOR_FAULTS, "major_faults", "MAJFLT", UNIT_COUNT, "major page faults"),
	COUNTER(METRIC_DISK_REQS, "disk_reqs", "DISK", UNIT_COUNT,
		"block requests issued to a disk for the process (bio tracer)"),
	COUNTER(METRIC_DISK_BYTES, "disk_bytes", "DISK_B", UNIT_BYTES,
		"bytes of those disk requests"),
	COUNTER(METRIC_CPU_NS, "cpu_ns", "CPU%", UNIT_NS, "time on CPU"),
	COUNTER(METRIC_VOL_CTXSW, "vol_ctxsw", "VCSW", UNIT_COUNT,
		"voluntary context switches (the task blocked)"),
	COUNTER(METRIC_INVOL_CTXSW, "invol_ctxsw", "ICSW", UNIT_COUNT,
		"involuntary context switches (the task was preempted)"),
	GAUGE(METRIC_RUNQ_P50_NS, "runq_p50_ns", "RQ_P50", UNIT_NS,
	      "run-queue latency, median (wakeup to running)"),
	GAUGE(METRIC_RUNQ_P99_NS, "runq_p99_ns", "RQ_P99", UNIT_NS,
	      "run-queue latency, 99th percentile"),
	COUNTER(METRIC_EXECS, "execs", "EXECS", UNIT_COUNT, "successful execs"),
	COUNTER(METRIC_EXITS, "exits", "EXITS", UNIT_COUNT, "processes exited"),
	COUNTER(METRIC_PKT_TX_BYTES, "pkt_tx_bytes", "PKT_TX", UNIT_BYTES,
		"bytes of packets sent, seen by the packet journey"),
	COUNTER(METRIC_PKT_RX_BYTES, "pkt_rx_bytes", "PKT_RX", UNIT_BYTES,
		"bytes of packets received, seen by the packet journey"),
	GAUGE(METRIC_RUNQ_AVG_NS, "runq_avg_ns", "RQ_AVG", UNIT_NS,
	      "run-queue latency, mean (wakeup to running)"),
};

const struct metric_info *metric__info(enum metric m)
{
	return &metrics[m];
}

int metric__by_name(const char *name)
{
	for (int m = 0; m < METRIC_COUNT; m++)
		if (!strcmp(metrics[m].name, name))
			return m;
	return -ENOENT;
}
