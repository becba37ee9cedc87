/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* pktjourney tracer: types shared by pktjourney.bpf.c and pktjourney.c. */
#ifndef TRACERHUB_TRACERS_PKTJOURNEY_H
#define TRACERHUB_TRACERS_PKTJOURNEY_H


#define PJ_ID_SETS	 8192  /* sets of the id table (a power of 2) */
#define PJ_ID_WAYS	 7     /* keys per set: with the spill word, one 64 B cache line */
#define PJ_MAX_PKTS	 (PJ_ID_SETS * PJ_ID_WAYS) /* packets followed at once */
#define PJ_MAX_PAIRS	 1024  /* stage pair x protocol x device histograms per CPU (power of 2) */
#define PJ_MAX_DEVS	 64    /* devices named in histograms (power of 2; slot 0: none) */
#define PJ_WAYS		 4     /* entries a key may take in the pair and device tables */
#define PJ_MAX_DROPS	 1024  /* drop reason x stage group counters (power of 2) */
#define PJ_MAX_REGIONS	 4096  /* memory regions of the address heatmap (power of 2) */
#define PJ_MAX_PROCS	 10240
#define PJ_MAX_SOCKS	 1024  /* sockets with packets queued and not read yet */
#define PJ_SOCK_WAYS	 4     /* entries a socket may take (a set: one cache line of tags) */
#define PJ_SLOTS	 40    /* log2 ns slots: the last one holds everything >= 2^38 ns */
#define PJ_DEV_LEN	 16
#define PJ_COMM_LEN	 16
#define PJ_REGION_SHIFT	 26 /* heatmap rows are 64 MiB of kernel address space */
#define PJ_RING_BYTES	 (4 << 20)

/* Where a packet is seen, in path order: transmit stages, then receive stages. */
enum pj_stage {
	PJ_SEND,  /* tcp:tcp_sendmsg_locked, in the thread that queues the packet */
	PJ_QUEUE, /* net:net_dev_queue */
	PJ_ENQ,	  /* qdisc:qdisc_enqueue */
	PJ_DEQ,	  /* qdisc:qdisc_dequeue */
	PJ_START, /* net:net_dev_start_xmit: handed to the driver */
	PJ_XMIT,  /* net:net_dev_xmit: the driver returned (timed from PJ_START) */
	PJ_RX,	  /* net:netif_rx, net:napi_gro_receive_entry */
	PJ_RECV,  /* net:netif_receive_skb: into the protocol (IP) */
	PJ_TCP,	  /* tcp:tcp_probe: TCP took it */
	PJ_SOCKQ, /* sock:sk_data_ready: queued to a socket */
	PJ_READ,  /* sock:sock_recv_length: the process read it */
	PJ_FREE,  /* skb:consume_skb or skb:kfree_skb, when not read */
	PJ_STAGES,
};

enum pj_proto {
	PJ_PROTO_OTHER,
	PJ_PROTO_TCP,
	PJ_PROTO_UDP,
	PJ_PROTO_ICMP, /* ICMP and ICMPv6 */
	PJ_PROTOS,
};

/* Where a dropped packet was last seen. */
enum pj_group {
	PJ_GROUP_TX,	    /* send .. xmit */
	PJ_GROUP_RX,	    /* rx, recv */
	PJ_GROUP_SOCK,	    /* tcp, sockq */
	PJ_GROUP_UNTRACKED, /* not followed (sampled out, or first seen at the drop) */
	PJ_GROUPS,
};

/*
 * How a journey ended. Drops go through kfree_skb with a reason: a packet
 * freed any other way, traced or not, was not dropped.
 */
enum pj_fate {
	PJ_FATE_DELIVERED, /* read by a process, or freed without a drop */
	PJ_FATE_DROPPED,   /* kfree_skb with a drop reason */
	PJ_FATE_UNKNOWN,   /* no sign within --max-age (user space reaps it) */
	PJ_FATE_CUT,	   /* --sample: in flight when its sampling window closed */
};

enum pj_counter {
	PJ_CNT_STAGES,	   /* stage hits recorded */
	PJ_CNT_STARTED,	   /* journeys started */
	PJ_CNT_DELIVERED,  /* journeys ended delivered */
	PJ_CNT_READ,	   /* of those, read by a process (the read stage) */
	PJ_CNT_DROPPED,	   /* journeys ended by kfree_skb */
	PJ_CNT_IDS_FULL,   /* packets not followed: id table full */
	PJ_CNT_RING_FULL,  /* --packets records lost: ring buffer full */
	PJ_CNT_TABLE_FULL, /* a histogram, drop, heatmap, socket or process map was full */
	PJ_CNT_MAX,
};

/*
 * The id table: packets followed by skb address. An address has a set, or a
 * second one when its first was full (then marked spilled); way w of set s
 * keys entry s * PJ_ID_WAYS + w of the packets (struct pj_pkt). Keys are taken
 * and freed with compare-and-swap, by the BPF programs and by the reaper in
 * user space: 0 free, PJ_KEY_BUSY taken and being filled in, PJ_KEY_PARKED
 * queued to a socket (found from the socket's queue, pj_sockq, not by
 * address: the skb may be freed and its address reused before the read),
 * else an address (a multiple of 8).
 */
#define PJ_KEY_BUSY   1
#define PJ_KEY_PARKED 3

struct pj_set {
	__u64 key[PJ_ID_WAYS];
	__u64 spilled; /* some address of this set is in its second set */
};

/*
 * A packet followed: the id table's value, three whole cache lines (the
 * table's data is page aligned). A stage reads and writes the first line
 * (and the second for the receive stages' times); the rest is written once
 * when the journey starts and read when it ends.
 */
struct pj_pkt {
	__u64 t0;	   /* CLOCK_MONOTONIC ns of the first stage seen */
	__u64 last_ns;	   /* CLOCK_MONOTONIC ns of the last stage seen */
	__u64 head;	   /* skb->head at the last stage */
	__u64 dev;	   /* address of the net_device of the last stage that had one */
	__u16 seen;	   /* bit per stage seen */
	__u8 last;	   /* last stage of the chain (PJ_XMIT after PJ_RX is not one) */
	__u8 proto;	   /* enum pj_proto */
	__u8 dev_slot;	   /* pj_devs entry of dev (0: none) */
	__u8 dev0_slot;	   /* pj_devs entry of the first stage's device */
	__u8 ipv6;
	__u8 pad;
	__u32 off[PJ_STAGES]; /* ns from t0 to each stage seen (first time), saturated */
	__u64 id;	   /* unique: per-CPU sequence << 12 | cpu */
	__u16 sport;	   /* host order, 0 when not TCP/UDP */
	__u16 dport;
	__u32 saddr;	   /* IPv4, network order; 0 for other families */
	__u32 daddr;
	__u32 len;	   /* skb->len at the first stage */
	__u32 snd_pid;	   /* with --packets or -w: the sending process (0: not sent from one) */
	__u32 rcv_pid;	   /* ... and the reading process (0: not read) */
	char snd_comm[PJ_COMM_LEN];
	char rcv_comm[PJ_COMM_LEN];
	__u64 pad2[5];	   /* to 192 bytes: entries start on a cache line */
};

/* Packets queued to one socket and not read yet, in queue order (a ring). */
#define PJ_SOCKQ_LEN 256 /* a power of 2 */

struct pj_sockq_entry {
	__u64 id;  /* the packet's id (0: slot being filled or taken) */
	__u32 idx; /* its entry in the id table */
	__u32 seq; /* TCP: the sequence number after its data; else its ordinal (enq) */
};

struct pj_sockq {
	__u64 head, tail; /* entries head .. tail - 1 wait, modulo PJ_SOCKQ_LEN */
	__u64 enq;	  /* non-TCP: packets queued to the socket since this entry was made */
	__u64 used;	  /* CLOCK_MONOTONIC ns a packet was last queued */
	struct pj_sockq_entry e[PJ_SOCKQ_LEN];
};

/*
 * The sockets of PJ_SOCK_WAYS entries of pj_sockqs (set s: entries s *
 * PJ_SOCK_WAYS on). A socket takes a free one, else one with nothing waiting,
 * else the one queued to longest ago (what waits there is then not found by
 * its read: it ends unknown, and the table counts as full).
 */
struct pj_sockset {
	__u64 sk[PJ_SOCK_WAYS]; /* socket key, 0: free */
};

/* A device named in histograms and records (pj_devs; entry 0 stands for none). */
struct pj_dev {
	__u64 dev;     /* net_device address, 0: free */
	__u32 ifindex; /* tells a device from a later one at the same address */
	__u32 pad;
	char name[PJ_DEV_LEN];
};

/* Ring buffer records. */
enum pj_rec_kind {
	PJ_REC_JOURNEY, /* struct pj_record */
	PJ_REC_BYTES,	/* struct pj_bytes */
};

/* --packets or -w: a journey that ended. */
struct pj_record {
	__u32 kind;   /* PJ_REC_JOURNEY */
	__u32 fate;   /* enum pj_fate */
	__u32 reason; /* enum skb_drop_reason when dropped */
	__u32 pad;
	struct pj_pkt pkt;
};

#define PJ_SNAP_MAX 1024 /* most bytes -w keeps of a packet (a power of 2) */

/* Link types of captured bytes (pcapng LINKTYPE_ values). */
#define PJ_LINK_ETHERNET 1   /* from the Ethernet header (Ethernet devices, lo) */
#define PJ_LINK_RAW	 101 /* from the IP header (other devices) */

/* -w: the first bytes of a followed packet at its first stage; its journey's record follows. */
struct pj_bytes {
	__u32 kind;	/* PJ_REC_BYTES */
	__u32 caplen;	/* bytes in data: the linear part only, at most --snaplen */
	__u64 id;
	__u32 wire_len; /* the packet's length from the link header on */
	__u32 linktype; /* PJ_LINK_* */
	__u8 data[PJ_SNAP_MAX]; /* only --snaplen of it is sent */
};

/* Key of a stage pair histogram: PJ_PAIR_USED | device slot, from, to and protocol. */
#define PJ_PAIR_USED 0x80000000u
#define PJ_PAIR_KEY(dev_slot, from, to, proto) \
	(PJ_PAIR_USED | (__u32)(dev_slot) << 16 | (__u32)(from) << 8 | (__u32)(to) << 4 | (proto))

/* Cumulative log2 histogram of ns; per CPU. */
struct pj_hist {
	__u64 sum; /* first: in the cache line of its table entry's key */
	__u64 slots[PJ_SLOTS];
};

/*
 * The per-CPU tables of counters (pairs, drops, heatmap) are arrays of
 * entries that start with their key (0: free): a key takes the first free
 * one of PJ_WAYS entries from its hash, in each CPU's copy on its own, so
 * one key may sit in different entries on different CPUs.
 */
struct pj_pair {
	__u64 key; /* PJ_PAIR_KEY(...) */
	struct pj_hist h;
};

/* Key of a drop counter: reason and group; never 0 (a drop has a reason). */
#define PJ_DROP_KEY(reason, group) ((__u64)(reason) << 8 | (group))

struct pj_drop {
	__u64 key; /* PJ_DROP_KEY(...) */
	__u64 count;
};

/* Per stage: where the data was. Per CPU, cumulative. */
struct pj_mem {
	__u64 pkts;  /* packets seen at this stage */
	__u64 moved; /* skb->head differs from the previous stage: data reallocated or copied */
	__u64 paged; /* part of the data in page fragments (skb->data_len > 0) */
};

/* Heatmap cell: packets whose data (skb->data) was in a region when first seen. */
struct pj_region {
	__u64 key; /* skb->data >> PJ_REGION_SHIFT: never 0 for kernel addresses */
	__u64 pkts;
	__u64 bytes;
};

/* Per process (tgid), socket owner known. Per CPU, cumulative; counters first. */
struct pj_proc {
	__u64 tx_bytes;
	__u64 rx_bytes;
	char comm[PJ_COMM_LEN];
};

#define PJ_PROC_COUNTERS 2

#endif
