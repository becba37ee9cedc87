/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The network engine shared by netproc, tcpconnect and tcplife (one BPF
 * object, configured per tracer before load): types seen by net.bpf.c and
 * user space.
 */
#ifndef TRACERHUB_TRACERS_NET_H
#define TRACERHUB_TRACERS_NET_H


#define NET_MAX_PROCS 10240
#define NET_MAX_CONNS 65536
#define NET_MAX_LAT_KEYS 16384
#define NET_COMM_LEN 16
#define NET_RING_BYTES (256 * 1024)
#define NET_LAT_SUM_SLOT 0xff /* latency key slot that holds the sum in us */

/* Per process (tgid); per-CPU, cumulative. The counters come first, in this order. */
struct net_proc {
	__u64 tcp_connects;
	__u64 tcp_accepts;
	__u64 tcp_tx_bytes;
	__u64 tcp_rx_bytes;
	__u64 udp_tx_pkts;
	__u64 udp_tx_bytes;
	__u64 udp_rx_pkts;
	__u64 udp_rx_bytes;
	__u64 tcp_retrans;
	__u64 tcp_resets;
	__u64 minor_faults;
	__u64 major_faults;
	char comm[NET_COMM_LEN];
};

#define NET_PROC_COUNTERS 12

/* What the engine knows of one TCP socket (keyed by its struct sock address). */
struct net_conn {
	__u64 start_ns;	  /* SYN sent (connect) or SYN-ACK sent (accept), CLOCK_MONOTONIC */
	__u64 est_ns;	  /* established, 0 before (or when opened before we started) */
	__u64 latency_ns; /* connect latency: SYN -> established */
	__u32 tgid;	  /* owning process, 0 while unknown (not accepted yet) */
	__u16 resets;	  /* RSTs sent or received */
	__u8 active;	  /* opened by connect() */
	__u8 pad;
	char comm[NET_COMM_LEN];
};

enum net_event_kind {
	NET_EV_CONNECT = 1, /* an active open ended: established or failed */
	NET_EV_ACCEPT,	    /* a passive open was accepted by a process */
	NET_EV_CLOSE,	    /* an established connection closed */
};

enum net_result {
	NET_RES_ESTABLISHED,
	NET_RES_REFUSED,     /* RST in answer to the SYN */
	NET_RES_TIMEOUT,     /* no answer to the SYNs */
	NET_RES_UNREACHABLE, /* ICMP unreachable */
	NET_RES_ABORTED,     /* closed by the process before an answer */
	NET_RES_ERROR,	     /* another error, see err */
};

/* One connection event (ring buffer). Addresses in network order, ports in host order. */
struct net_event {
	__u64 ts_ns; /* CLOCK_MONOTONIC */
	__u64 sk;    /* the struct sock's kernel address (searchable in recordings) */
	__u64 latency_ns;
	__u64 duration_ns; /* NET_EV_CLOSE: established -> closed */
	__u64 tx_bytes;	   /* NET_EV_CLOSE: data bytes sent (each once) */
	__u64 rx_bytes;	   /* NET_EV_CLOSE: data bytes received */
	__u32 tgid;
	__u32 retrans; /* NET_EV_CLOSE: segments retransmitted */
	__u32 err;     /* NET_EV_CONNECT: the socket error (errno) of a failure */
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u8 kind;   /* enum net_event_kind */
	__u8 result; /* enum net_result */
	__u8 active;
	__u8 pad;
	__u16 resets;
	__u8 saddr[16];
	__u8 daddr[16];
	char comm[NET_COMM_LEN];
};

enum net_drop {
	NET_DROP_RING,	     /* ring buffer full: event lost */
	NET_DROP_PROCS_FULL, /* per-process table full: counts lost */
	NET_DROP_LAT_FULL,   /* latency table full: a latency not recorded */
	NET_DROP_MAX,
};

#endif
