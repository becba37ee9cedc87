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
	COUNTER(METRIC_SYSCALLS, "syscalls", "SYSCALLS/s", UNIT_COUNT, "syscalls",
		"tracerhub_syscalls_total", "system calls made"),
	COUNTER(METRIC_SYSCALL_ERRORS, "syscall_errors", "ERRORS/s", UNIT_COUNT, "syscalls",
		"tracerhub_syscall_errors_total", "system calls that returned an error"),
	COUNTER(METRIC_READ_OPS, "read_ops", "READS/s", UNIT_COUNT, "io",
		"tracerhub_read_ops_total", "read-family calls (read, pread, readv, ...)"),
	COUNTER(METRIC_READ_BYTES, "read_bytes", "READ_B/s", UNIT_BYTES, "io",
		"tracerhub_read_bytes_total", "bytes returned by reads"),
	COUNTER(METRIC_WRITE_OPS, "write_ops", "WRITES/s", UNIT_COUNT, "io",
		"tracerhub_write_ops_total", "write-family calls (write, pwrite, sendfile, ...)"),
	COUNTER(METRIC_WRITE_BYTES, "write_bytes", "WRITE_B/s", UNIT_BYTES, "io",
		"tracerhub_write_bytes_total", "bytes accepted by writes"),
	COUNTER(METRIC_OPENS, "opens", "OPENS/s", UNIT_COUNT, "io",
		"tracerhub_opens_total", "files opened (open, openat, openat2, creat)"),
	COUNTER(METRIC_URING_SUBMITS, "uring_submits", "URING/s", UNIT_COUNT, "io",
		"tracerhub_uring_submits_total", "io_uring requests submitted"),
	COUNTER(METRIC_BLOCK_REQS, "block_reqs", "BIO/s", UNIT_COUNT, "io",
		"tracerhub_block_reqs_total", "block requests started on the process' behalf"),
	COUNTER(METRIC_BLOCK_BYTES, "block_bytes", "BIO_B/s", UNIT_BYTES, "io",
		"tracerhub_block_bytes_total", "bytes of those block requests"),
	COUNTER(METRIC_TCP_CONNECTS, "tcp_connects", "CONN/s", UNIT_COUNT, "netproc",
		"tracerhub_tcp_connects_total", "TCP connection attempts made (connect)"),
	COUNTER(METRIC_TCP_ACCEPTS, "tcp_accepts", "ACCEPT/s", UNIT_COUNT, "netproc",
		"tracerhub_tcp_accepts_total", "TCP connections accepted"),
	COUNTER(METRIC_TCP_TX_BYTES, "tcp_tx_bytes", "TCP_TX/s", UNIT_BYTES, "netproc",
		"tracerhub_tcp_tx_bytes_total", "TCP bytes sent"),
	COUNTER(METRIC_TCP_RX_BYTES, "tcp_rx_bytes", "TCP_RX/s", UNIT_BYTES, "netproc",
		"tracerhub_tcp_rx_bytes_total", "TCP bytes received"),
	COUNTER(METRIC_UDP_TX_PKTS, "udp_tx_packets", "UDP_TX/s", UNIT_COUNT, "netproc",
		"tracerhub_udp_tx_packets_total", "UDP datagrams sent"),
	COUNTER(METRIC_UDP_TX_BYTES, "udp_tx_bytes", "UDP_TXB/s", UNIT_BYTES, "netproc",
		"tracerhub_udp_tx_bytes_total", "UDP bytes sent"),
	COUNTER(METRIC_UDP_RX_PKTS, "udp_rx_packets", "UDP_RX/s", UNIT_COUNT, "netproc",
		"tracerhub_udp_rx_packets_total", "UDP datagrams received"),
	COUNTER(METRIC_UDP_RX_BYTES, "udp_rx_bytes", "UDP_RXB/s", UNIT_BYTES, "netproc",
		"tracerhub_udp_rx_bytes_total", "UDP bytes received"),
	COUNTER(METRIC_TCP_RETRANS, "tcp_retransmits", "RETRANS/s", UNIT_COUNT, "netproc",
		"tracerhub_tcp_retransmits_total", "TCP segments retransmitted"),
	COUNTER(METRIC_TCP_RESETS, "tcp_resets", "RESETS/s", UNIT_COUNT, "netproc",
		"tracerhub_tcp_resets_total", "TCP resets sent or received"),
	COUNTER(METRIC_MINOR_FAULTS, "minor_faults", "MINFLT/s", UNIT_COUNT, "netproc",
		"tracerhub_minor_faults_total", "minor page faults"),
	COUNTER(METRIC_MAJOR_FAULTS, "major_faults", "MAJFLT/s", UNIT_COUNT, "netproc",
		"tracerhub_major_faults_total", "major page faults"),
	COUNTER(METRIC_DISK_REQS, "disk_reqs", "DISK/s", UNIT_COUNT, "bio",
		"tracerhub_disk_reqs_total", "block requests issued to a disk for the process (bio tracer)"),
	COUNTER(METRIC_DISK_BYTES, "disk_bytes", "DISK_B/s", UNIT_BYTES, "bio",
		"tracerhub_disk_bytes_total", "bytes of those disk requests"),
	COUNTER(METRIC_CPU_NS, "cpu_ns", "CPU%", UNIT_NS, "cpu",
		"tracerhub_cpu_seconds_total", "time on CPU"),
	COUNTER(METRIC_VOL_CTXSW, "vol_ctxsw", "VCSW/s", UNIT_COUNT, "cpu",
		"tracerhub_vol_ctxsw_total", "voluntary context switches (the task blocked)"),
	COUNTER(METRIC_INVOL_CTXSW, "invol_ctxsw", "ICSW/s", UNIT_COUNT, "cpu",
		"tracerhub_invol_ctxsw_total", "involuntary context switches (the task was preempted)"),
	GAUGE(METRIC_RUNQ_P50_NS, "runq_p50_ns", "RQ_P50", UNIT_NS, "cpu",
		"tracerhub_runq_p50_seconds", "run-queue latency, median (wakeup to running)"),
	GAUGE(METRIC_RUNQ_P99_NS, "runq_p99_ns", "RQ_P99", UNIT_NS, "cpu",
		"tracerhub_runq_p99_seconds", "run-queue latency, 99th percentile"),
	COUNTER(METRIC_EXECS, "execs", "EXECS/s", UNIT_COUNT, "exec",
		"tracerhub_execs_total", "successful execs"),
	COUNTER(METRIC_EXITS, "exits", "EXITS/s", UNIT_COUNT, "exec",
		"tracerhub_exits_total", "processes exited"),
	COUNTER(METRIC_PKT_TX_BYTES, "pkt_tx_bytes", "PKT_TXB/s", UNIT_BYTES, "pktjourney",
		"tracerhub_pkt_tx_bytes_total", "bytes of packets sent, seen by the packet journey"),
	COUNTER(METRIC_PKT_RX_BYTES, "pkt_rx_bytes", "PKT_RXB/s", UNIT_BYTES, "pktjourney",
		"tracerhub_pkt_rx_bytes_total", "bytes of packets received, seen by the packet journey"),
	GAUGE(METRIC_RUNQ_AVG_NS, "runq_avg_ns", "RQ_AVG", UNIT_NS, "cpu",
		"tracerhub_runq_avg_seconds", "run-queue latency, mean (wakeup to running)"),
};

/* The columns of every process table in this order: the first six fit 80 columns together. */
static const enum metric shown_order[METRIC_COUNT] = {
	METRIC_CPU_NS,	      METRIC_SYSCALLS,	    METRIC_READ_BYTES,	   METRIC_WRITE_BYTES,
	METRIC_TCP_RX_BYTES,  METRIC_MINOR_FAULTS,  METRIC_TCP_TX_BYTES,   METRIC_MAJOR_FAULTS,
	METRIC_READ_OPS,      METRIC_WRITE_OPS,	    METRIC_SYSCALL_ERRORS, METRIC_OPENS,
	METRIC_DISK_REQS,     METRIC_DISK_BYTES,    METRIC_BLOCK_REQS,	   METRIC_BLOCK_BYTES,
	METRIC_URING_SUBMITS, METRIC_UDP_RX_BYTES,  METRIC_UDP_TX_BYTES,   METRIC_UDP_RX_PKTS,
	METRIC_UDP_TX_PKTS,   METRIC_TCP_CONNECTS,  METRIC_TCP_ACCEPTS,	   METRIC_TCP_RETRANS,
	METRIC_TCP_RESETS,    METRIC_PKT_RX_BYTES,  METRIC_PKT_TX_BYTES,   METRIC_VOL_CTXSW,
	METRIC_INVOL_CTXSW,   METRIC_RUNQ_AVG_NS,   METRIC_RUNQ_P50_NS,	   METRIC_RUNQ_P99_NS,
	METRIC_EXECS,	      METRIC_EXITS,
};

/* The header totals: label, then parts of prefix and metrics summed (one unit per part). */
static const struct metric_total totals[] = {
	{ "syscalls",
	  { { "", { METRIC_SYSCALLS }, 1 }, { "errors ", { METRIC_SYSCALL_ERRORS }, 1 } },
	  2 },
	{ "read", { { "", { METRIC_READ_OPS }, 1 }, { "", { METRIC_READ_BYTES }, 1 } }, 2 },
	{ "write", { { "", { METRIC_WRITE_OPS }, 1 }, { "", { METRIC_WRITE_BYTES }, 1 } }, 2 },
	{ "block", { { "", { METRIC_BLOCK_REQS }, 1 }, { "", { METRIC_BLOCK_BYTES }, 1 } }, 2 },
	{ "disk", { { "", { METRIC_DISK_REQS }, 1 }, { "", { METRIC_DISK_BYTES }, 1 } }, 2 },
	{ "tcp connects", { { "", { METRIC_TCP_CONNECTS }, 1 } }, 1 },
	{ "net",
	  { { "in ", { METRIC_TCP_RX_BYTES, METRIC_UDP_RX_BYTES }, 2 },
	    { "out ", { METRIC_TCP_TX_BYTES, METRIC_UDP_TX_BYTES }, 2 } },
	  2 },
	{ "packets",
	  { { "in ", { METRIC_PKT_RX_BYTES }, 1 }, { "out ", { METRIC_PKT_TX_BYTES }, 1 } },
	  2 },
	{ "faults", { { "", { METRIC_MINOR_FAULTS, METRIC_MAJOR_FAULTS }, 2 } }, 1 },
	{ "execs", { { "", { METRIC_EXECS }, 1 } }, 1 },
};

const struct metric_total *metric__total(unsigned int i)
{
	return i < sizeof(totals) / sizeof(totals[0]) ? &totals[i] : NULL;
}

const struct metric_info *metric__info(enum metric m)
{
	return &metrics[m];
}

enum metric metric__shown(unsigned int i)
{
	return shown_order[i];
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

unsigned long long metric__combine(enum metric m, unsigned long long a, unsigned long long b)
{
	if (metrics[m].kind == KIND_GAUGE)
		return a > b ? a : b;
	return a + b;
}

const char *metric__unit_name(enum metric_unit u)
{
	return u == UNIT_BYTES ? "bytes" : u == UNIT_NS ? "ns" : "count";
}
