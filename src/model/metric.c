// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include "model/metric.h"

#define COUNTER(m, name, header, unit, group, prom, help) \
	[m] = { name, header, unit, KIND_COUNTER, group, prom, help }
#define GAUGE(m, name, header, unit, group, prom, help) \
	[m] = { name, header, unit, KIND_GAUGE, group, prom, help }

/* name, column header, unit, tracer (its group), Prometheus family, help */
static const struct metric_info metrics[METRIC_COUNT] = {
	COUNTER(METRIC_SYSCALLS, "syscalls", "SYSCALLS", UNIT_COUNT, "syscalls",
		"tracerhub_syscalls_total", "system calls made"),
	COUNTER(METRIC_SYSCALL_ERRORS, "syscall_errors", "ERRORS", UNIT_COUNT, "syscalls",
		"tracerhub_syscall_errors_total", "system calls that returned an error"),
	COUNTER(METRIC_READ_OPS, "read_ops", "READS", UNIT_COUNT, "io",
		"tracerhub_read_ops_total", "read-family calls (read, pread, readv, ...)"),
	COUNTER(METRIC_READ_BYTES, "read_bytes", "READ_B", UNIT_BYTES, "io",
		"tracerhub_read_bytes_total", "bytes returned by reads"),
	COUNTER(METRIC_WRITE_OPS, "write_ops", "WRITES", UNIT_COUNT, "io",
		"tracerhub_write_ops_total", "write-family calls (write, pwrite, sendfile, ...)"),
	COUNTER(METRIC_WRITE_BYTES, "write_bytes", "WRITE_B", UNIT_BYTES, "io",
		"tracerhub_write_bytes_total", "bytes accepted by writes"),
	COUNTER(METRIC_OPENS, "opens", "OPENS", UNIT_COUNT, "io",
		"tracerhub_opens_total", "files opened (open, openat, openat2, creat)"),
	COUNTER(METRIC_URING_SUBMITS, "uring_submits", "URING", UNIT_COUNT, "io",
		"tracerhub_uring_submits_total", "io_uring requests submitted"),
	COUNTER(METRIC_BLOCK_REQS, "block_reqs", "BIO", UNIT_COUNT, "io",
		"tracerhub_block_reqs_total", "block requests started on the process' behalf"),
	COUNTER(METRIC_BLOCK_BYTES, "block_bytes", "BIO_B", UNIT_BYTES, "io",
		"tracerhub_block_bytes_total", "bytes of those block requests"),
	COUNTER(METRIC_TCP_CONNECTS, "tcp_connects", "CONN", UNIT_COUNT, "netproc",
		"tracerhub_tcp_connects_total", "TCP connection attempts made (connect)"),
	COUNTER(METRIC_TCP_ACCEPTS, "tcp_accepts", "ACCEPT", UNIT_COUNT, "netproc",
		"tracerhub_tcp_accepts_total", "TCP connections accepted"),
	COUNTER(METRIC_TCP_TX_BYTES, "tcp_tx_bytes", "TCP_TX", UNIT_BYTES, "netproc",
		"tracerhub_tcp_tx_bytes_total", "TCP bytes sent"),
	COUNTER(METRIC_TCP_RX_BYTES, "tcp_rx_bytes", "TCP_RX", UNIT_BYTES, "netproc",
		"tracerhub_tcp_rx_bytes_total", "TCP bytes received"),
	COUNTER(METRIC_UDP_TX_PKTS, "udp_tx_packets", "UDP_TX", UNIT_COUNT, "netproc",
		"tracerhub_udp_tx_packets_total", "UDP datagrams sent"),
	COUNTER(METRIC_UDP_TX_BYTES, "udp_tx_bytes", "UDP_TXB", UNIT_BYTES, "netproc",
		"tracerhub_udp_tx_bytes_total", "UDP bytes sent"),
	COUNTER(METRIC_UDP_RX_PKTS, "udp_rx_packets", "UDP_RX", UNIT_COUNT, "netproc",
		"tracerhub_udp_rx_packets_total", "UDP datagrams received"),
	COUNTER(METRIC_UDP_RX_BYTES, "udp_rx_bytes", "UDP_RXB", UNIT_BYTES, "netproc",
		"tracerhub_udp_rx_bytes_total", "UDP bytes received"),
	COUNTER(METRIC_TCP_RETRANS, "tcp_retransmits", "RETRANS", UNIT_COUNT, "netproc",
		"tracerhub_tcp_retransmits_total", "TCP segments retransmitted"),
	COUNTER(METRIC_TCP_RESETS, "tcp_resets", "RESETS", UNIT_COUNT, "netproc",
		"tracerhub_tcp_resets_total", "TCP resets sent or received"),
	COUNTER(METRIC_MINOR_FAULTS, "minor_faults", "MINFLT", UNIT_COUNT, "netproc",
		"tracerhub_minor_faults_total", "minor page faults"),
	COUNTER(METRIC_MAJOR_FAULTS, "major_faults", "MAJFLT", UNIT_COUNT, "netproc",
		"tracerhub_major_faults_total", "major page faults"),
	COUNTER(METRIC_DISK_REQS, "disk_reqs", "DISK", UNIT_COUNT, "bio",
		"tracerhub_disk_reqs_total", "block requests issued to a disk for the process (bio tracer)"),
	COUNTER(METRIC_DISK_BYTES, "disk_bytes", "DISK_B", UNIT_BYTES, "bio",
		"tracerhub_disk_bytes_total", "bytes of those disk requests"),
	COUNTER(METRIC_CPU_NS, "cpu_ns", "CPU%", UNIT_NS, "cpu",
		"tracerhub_cpu_seconds_total", "time on CPU"),
	COUNTER(METRIC_VOL_CTXSW, "vol_ctxsw", "VCSW", UNIT_COUNT, "cpu",
		"tracerhub_vol_ctxsw_total", "voluntary context switches (the task blocked)"),
	COUNTER(METRIC_INVOL_CTXSW, "invol_ctxsw", "ICSW", UNIT_COUNT, "cpu",
		"tracerhub_invol_ctxsw_total", "involuntary context switches (the task was preempted)"),
	GAUGE(METRIC_RUNQ_P50_NS, "runq_p50_ns", "RQ_P50", UNIT_NS, "cpu",
		"tracerhub_runq_p50_seconds", "run-queue latency, median (wakeup to running)"),
	GAUGE(METRIC_RUNQ_P99_NS, "runq_p99_ns", "RQ_P99", UNIT_NS, "cpu",
		"tracerhub_runq_p99_seconds", "run-queue latency, 99th percentile"),
	COUNTER(METRIC_EXECS, "execs", "EXECS", UNIT_COUNT, "exec",
		"tracerhub_execs_total", "successful execs"),
	COUNTER(METRIC_EXITS, "exits", "EXITS", UNIT_COUNT, "exec",
		"tracerhub_exits_total", "processes exited"),
	COUNTER(METRIC_PKT_TX_BYTES, "pkt_tx_bytes", "PKT_TXB", UNIT_BYTES, "pktjourney",
		"tracerhub_pkt_tx_bytes_total", "bytes of packets sent, seen by the packet journey"),
	COUNTER(METRIC_PKT_RX_BYTES, "pkt_rx_bytes", "PKT_RXB", UNIT_BYTES, "pktjourney",
		"tracerhub_pkt_rx_bytes_total", "bytes of packets received, seen by the packet journey"),
	GAUGE(METRIC_RUNQ_AVG_NS, "runq_avg_ns", "RQ_AVG", UNIT_NS, "cpu",
		"tracerhub_runq_avg_seconds", "run-queue latency, mean (wakeup to running)"),
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

bool metric__of_tracer(enum metric m, const char *tracer)
{
	return !strcmp(metrics[m].group, tracer);
}

const char *metric__unit_name(enum metric_unit u)
{
	return u == UNIT_BYTES ? "bytes" : u == UNIT_NS ? "ns" : "count";
}
