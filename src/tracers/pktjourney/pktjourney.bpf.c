// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pktjourney: follow packets through the stack by skb address. The first
 * stage that sees an skb gives it an id (an entry of the id table); every
 * later stage adds the time since the previous one to a per-CPU histogram of
 * that stage pair, device and protocol. A packet queued to a socket
 * (sk_data_ready) leaves the address index for the socket's queue (pj_sockqs)
 * and ends when a process reads it (sock_recv_length); others end at
 * consume_skb / kfree_skb (drops counted per reason and stage group), or,
 * freed without a tracepoint (merged, GRO, pure ACKs), when their address
 * comes back as a new packet (not dropped: drops always go through
 * kfree_skb), or when user space reaps them (unknown).
 *
 * The hot path is a packet not followed: no helper call; with --sample N a
 * hash of the address and the jiffies epoch (the same at every stage of a
 * packet) is enough, else one cache line of the id table's keys.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "bpf/hub.bpf.h"
#include "bpf/log2.bpf.h"
#include "tracers/pktjourney/pktjourney.h"

#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define AF_INET		2
#define AF_INET6	10
#define IP_PROTO_ICMP	1
#define IP_PROTO_TCP	6
#define IP_PROTO_UDP	17
#define IP_PROTO_ICMPV6 58
#define NO_HEADER	0xffff
#define GOLDEN		0x9E3779B97F4A7C15ULL

const volatile bool targ_windowed = false; /* --sample N: in the core's sampling windows */
const volatile bool targ_packets = false; /* --packets or -w: records over the ring buffer */
const volatile __u32 targ_snaplen = 0;	  /* -w: bytes of each packet to capture (0: none) */
const volatile bool targ_mem = true;	  /* address heatmap and per-stage data table */
const volatile __u8 targ_proto = 0;	  /* enum pj_proto, 0 for any */
const volatile __u16 pj_targ_port = 0;	  /* source or destination port, 0 for any */
const volatile __u32 targ_ifindex = 0;	  /* first device, 0 for any ... */
const volatile __u32 targ_netns = 0;	  /* ... in the network namespace of this inode */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PJ_ID_SETS);
	__uint(map_flags, BPF_F_MMAPABLE); /* the reaper frees keys with compare-and-swap */
	__type(key, __u32);
	__type(value, struct pj_set);
} pj_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PJ_MAX_PKTS);
	__uint(map_flags, BPF_F_MMAPABLE); /* the reaper reads them in place */
	__type(key, __u32);
	__type(value, struct pj_pkt);
} pj_ids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PJ_MAX_DEVS);
	__type(key, __u32);
	__type(value, struct pj_dev);
} pj_devs SEC(".maps");

/*
 * What this CPU is in the middle of: the thread inside tcp_sendmsg (when,
 * for which socket: an inlined lookup), and the TCP segment tcp_probe saw
 * last, which the socket's sk_data_ready that follows in the same context
 * means was queued.
 */
struct pj_cpu {
	__u64 send_ts;
	__u64 send_sk;
	__u32 send_tid;
	__u32 rcv_seq;	/* the segment's end sequence number */
	__u64 rcv_skb;	/* its id table key (0: none) */
	__u64 rcv_sk;	/* its socket's key */
	__u64 rcv_id;	/* its packet id (its address may be reused before the socket's turn) */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pj_cpu);
} pj_cpus SEC(".maps");

/* A send older than this did not queue the packet: the thread moved to another CPU meanwhile. */
#define PJ_SEND_MAX_NS 10000000ULL

/*
 * Per socket (key: as the id table's keys), the followed packets queued to it
 * and not read: a socket's queue is one of the PJ_SOCK_WAYS entries of a set
 * chosen by its key (struct pj_sockset), arrays whose lookups the verifier
 * inlines, where a hash's cost a helper call each (two per packet).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PJ_MAX_SOCKS / PJ_SOCK_WAYS);
	__type(key, __u32);
	__type(value, struct pj_sockset);
} pj_socksets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PJ_MAX_SOCKS);
	__type(key, __u32);
	__type(value, struct pj_sockq);
} pj_sockqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_MAX_PAIRS);
	__type(key, __u32);
	__type(value, struct pj_pair);
} pj_pairs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_MAX_DROPS);
	__type(key, __u32);
	__type(value, struct pj_drop);
} pj_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_STAGES);
	__type(key, __u32);
	__type(value, struct pj_mem);
} pj_mem SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_MAX_REGIONS);
	__type(key, __u32);
	__type(value, struct pj_region);
} pj_regions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC); /* entries of the processes seen only */
	__uint(max_entries, PJ_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct pj_proc);
} pj_procs SEC(".maps");
HUB_PROCS(pktjourney, pj_procs, struct pj_proc, PJ_PROC_COUNTERS);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_CNT_MAX + 1); /* the last one: the id sequence */
	__type(key, __u32);
	__type(value, __u64);
} pj_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PJ_RING_BYTES);
} pj_ring SEC(".maps");

/*
 * The key of kernel pointer ptr of a tp_btf program: the verifier allows no
 * arithmetic (the hashes) on typed pointers, but a pointer minus another is
 * a plain number, and minus a fixed one it is as unique as the address. The
 * other rungs' pointers are plain numbers already.
 */
static __u64 pj_anchor;
#define BTF_KEY(ptr) ((ptr) ? (__u64)(ptr) - (__u64)&pj_anchor : 0)
#define PJ_KEY(a, ptr) ((a)->rung == HUB_RUNG_BTF ? BTF_KEY(ptr) : (__u64)(ptr))
/*
 * ptr->field: a plain load from a tp_btf program's typed pointer (typed, a
 * constant at each call), else a probe read.
 */
#define PJ_READ(typed, ptr, field) ((typed) ? (ptr)->field : BPF_CORE_READ(ptr, field))

static __always_inline void pj_count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&pj_counters, &which);

	if (c)
		(*c)++;
}

static __always_inline __u64 mix(__u64 h)
{
	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 29;
	return h;
}

/* The first of the PJ_WAYS entries a hashed key may take in a table of n (a power of 2). */
static __always_inline __u32 ways_base(__u64 h, __u32 n)
{
	return (__u32)((h * GOLDEN) >> 32) & (n - PJ_WAYS);
}

/*
 * The entry of key (not 0) in this CPU's copy of map, a per-CPU array of n
 * entries that start with their __u64 key, taken when new; NULL (counted as a
 * full table) when the key's PJ_WAYS entries are all taken by others.
 */
static __always_inline void *ways__get(void *map, __u32 n, __u64 key)
{
	__u32 i = ways_base(key, n);
	__u64 *e;

#pragma unroll
	for (int w = 0; w < PJ_WAYS; w++, i++) {
		e = bpf_map_lookup_elem(map, &i);
		if (!e)
			return NULL;
		if (*e == key)
			return e;
		if (!*e) {
			*e = key; /* this CPU's copy: no one else writes it */
			return e;
		}
	}
	pj_count(PJ_CNT_TABLE_FULL);
	return NULL;
}

/*
 * With --sample N every packet is followed, but only during the core's
 * sampling windows (1/N of the time; the stage hooks are attached only then,
 * kfree_skb throughout so that drops are counted for all packets): journeys
 * start, and the per-call hooks other tracers keep attached work, only while
 * a window is open.
 */
static __always_inline bool pj_active(void)
{
	return !targ_windowed || HUB_WINDOW_OPEN();
}

/* Set choice (0: first, 1: second) of addr. */
static __always_inline __u32 set_of(__u64 addr, int choice)
{
	return (__u32)(((addr >> 8) * GOLDEN) >> (choice ? 20 : 40)) & (PJ_ID_SETS - 1);
}

/* The packet at addr, its key (*key) and entry (*idx), or NULL when it is not followed. */
static __always_inline struct pj_pkt *ids__find(__u64 addr, __u64 **key, __u32 *idx)
{
	struct pj_set *set;
	__u32 s;

#pragma unroll
	for (int c = 0; c < 2; c++) {
		s = set_of(addr, c);
		set = bpf_map_lookup_elem(&pj_sets, &s);
		if (!set)
			return NULL;
#pragma unroll
		for (int w = 0; w < PJ_ID_WAYS; w++) {
			if (set->key[w] == addr) {
				*key = &set->key[w];
				*idx = s * PJ_ID_WAYS + w;
				return bpf_map_lookup_elem(&pj_ids, idx);
			}
		}
		if (!set->spilled)
			return NULL;
	}
	return NULL;
}

/*
 * A free entry for addr, its key taken (PJ_KEY_BUSY, in *key; the entry in
 * *idx); NULL when both sets are full.
 */
static __always_inline struct pj_pkt *ids__take(__u64 addr, __u64 **key, __u32 *idx)
{
	struct pj_set *set;
	struct pj_pkt *p;
	__u32 s;

#pragma unroll
	for (int c = 0; c < 2; c++) {
		s = set_of(addr, c);
		set = bpf_map_lookup_elem(&pj_sets, &s);
		if (!set)
			return NULL;
#pragma unroll
		for (int w = 0; w < PJ_ID_WAYS; w++) {
			if (set->key[w] || __sync_val_compare_and_swap(&set->key[w], 0, PJ_KEY_BUSY))
				continue;
			*idx = s * PJ_ID_WAYS + w;
			p = bpf_map_lookup_elem(&pj_ids, idx);
			if (!p) {
				set->key[w] = 0;
				return NULL;
			}
			*key = &set->key[w];
			return p;
		}
		if (!set->spilled)
			set->spilled = 1; /* before the key is in the second set */
	}
	return NULL;
}

/* The packet of entry idx and its key, when its key is keyval and its id id; else NULL. */
static __always_inline struct pj_pkt *ids__at(__u32 idx, __u64 keyval, __u64 id, __u64 **key)
{
	__u32 s = idx / PJ_ID_WAYS, w = idx % PJ_ID_WAYS;
	struct pj_set *set = bpf_map_lookup_elem(&pj_sets, &s);
	struct pj_pkt *p = bpf_map_lookup_elem(&pj_ids, &idx);

	barrier_var(w); /* the verifier does not know the range of a remainder: check it */
	if (!set || !p || w >= PJ_ID_WAYS || set->key[w] != keyval || p->id != id)
		return NULL;
	*key = &set->key[w];
	return p;
}

/* Free key (its value keyval); false when the reaper freed it first. */
static __always_inline bool ids__free(__u64 *key, __u64 keyval)
{
	return __sync_val_compare_and_swap(key, keyval, 0) == keyval;
}

/*
 * The pj_devs slot of device nd (its key dev; 0 when the table is full),
 * named on first use.
 */
static __always_inline __u8 dev_slot(__u64 dev, struct net_device *nd, bool typed)
{
	/* Groups of PJ_WAYS slots from slot PJ_WAYS on (slot 0: none). */
	__u32 i = PJ_WAYS + (__u32)(mix(dev >> 6) % (PJ_MAX_DEVS / PJ_WAYS - 1)) * PJ_WAYS;
	__u32 ifindex = PJ_READ(typed, nd, ifindex);
	struct pj_dev *d;
	__u64 old;

#pragma unroll
	for (int w = 0; w < PJ_WAYS; w++, i++) {
		d = bpf_map_lookup_elem(&pj_devs, &i);
		if (!d)
			return 0;
		old = d->dev;
		if (!old)
			old = __sync_val_compare_and_swap(&d->dev, 0, dev); /* 0: taken by us */
		if (old && old != dev)
			continue;
		if (d->ifindex != ifindex) {
			/* New, or a device freed and another one made at its address. */
			d->ifindex = ifindex;
			bpf_probe_read_kernel(d->name, PJ_DEV_LEN, &nd->name);
		}
		return i;
	}
	pj_count(PJ_CNT_TABLE_FULL);
	return 0;
}

/* p is on device nd (NULL: the stage has none, keep the last one). */
static __always_inline void set_dev(struct pj_pkt *p, struct net_device *nd, bool typed)
{
	__u64 dev = typed ? BTF_KEY(nd) : (__u64)nd;

	if (!dev || dev == p->dev)
		return;
	p->dev = dev;
	p->dev_slot = dev_slot(dev, nd, typed);
}

static __always_inline __u32 group_of(__u8 stage)
{
	if (stage <= PJ_XMIT)
		return PJ_GROUP_TX;
	if (stage <= PJ_RECV)
		return PJ_GROUP_RX;
	return PJ_GROUP_SOCK;
}

/* What the filters look at in a packet's headers, parsed before it is followed. */
struct pj_hdr {
	__u32 saddr; /* IPv4, network order; 0 for other families */
	__u32 daddr;
	__u16 sport; /* host order, 0 when not TCP/UDP */
	__u16 dport;
	__u8 proto; /* enum pj_proto */
	__u8 ipv6;
};

/*
 * Protocol, ports and IPv4 addresses from the skb's headers: one read of the
 * IP header and the ports behind it, a second one only behind IPv4 options.
 */
static __always_inline void parse_headers(struct sk_buff *skb, struct pj_hdr *h, bool typed)
{
	unsigned char *head = PJ_READ(typed, skb, head), *l3;
	__u16 nh = PJ_READ(typed, skb, network_header);
	__u16 eth = bpf_ntohs(PJ_READ(typed, skb, protocol));
	union {
		struct {
			struct iphdr ip;
			__u16 ports[2];
		} v4;
		struct {
			struct ipv6hdr ip;
			__u16 ports[2];
		} v6;
	} b;
	__u16 sport, dport;
	__u32 l4off;
	__u8 l4;

	__builtin_memset(h, 0, sizeof(*h));
	/* Unset on a fresh receive skb (0 or ~0): the driver left data at the IP header. */
	l3 = nh && nh != NO_HEADER ? head + nh : PJ_READ(typed, skb, data);
	if (eth == ETH_P_IP) {
		if (bpf_probe_read_kernel(&b.v4, sizeof(b.v4), l3))
			return;
		l4 = b.v4.ip.protocol;
		h->saddr = b.v4.ip.saddr;
		h->daddr = b.v4.ip.daddr;
		l4off = b.v4.ip.ihl * 4;
		if (b.v4.ip.frag_off & bpf_htons(0x1fff))
			l4off = 0; /* not the first fragment: no ports */
		if (l4off && l4off != sizeof(b.v4.ip) &&
		    bpf_probe_read_kernel(b.v4.ports, sizeof(b.v4.ports), l3 + (l4off & 0x3f)))
			l4off = 0;
		sport = b.v4.ports[0];
		dport = b.v4.ports[1];
	} else if (eth == ETH_P_IPV6) {
		if (bpf_probe_read_kernel(&b.v6, sizeof(b.v6), l3))
			return;
		l4 = b.v6.ip.nexthdr;
		l4off = sizeof(b.v6.ip);
		h->ipv6 = 1;
		sport = b.v6.ports[0];
		dport = b.v6.ports[1];
	} else {
		return;
	}
	if (l4 == IP_PROTO_TCP)
		h->proto = PJ_PROTO_TCP;
	else if (l4 == IP_PROTO_UDP)
		h->proto = PJ_PROTO_UDP;
	else if (l4 == IP_PROTO_ICMP || l4 == IP_PROTO_ICMPV6)
		h->proto = PJ_PROTO_ICMP;
	if ((h->proto == PJ_PROTO_TCP || h->proto == PJ_PROTO_UDP) && l4off) {
		h->sport = bpf_ntohs(sport);
		h->dport = bpf_ntohs(dport);
	}
}

/* The --proto / --port / -i filters on a parsed packet at device dev. */
static __always_inline bool pass_packet(const struct pj_hdr *h, struct net_device *dev)
{
	if (targ_proto && h->proto != targ_proto)
		return false;
	if (pj_targ_port && h->sport != pj_targ_port && h->dport != pj_targ_port)
		return false;
	if (targ_ifindex) {
		if (!dev || BPF_CORE_READ(dev, ifindex) != targ_ifindex ||
		    BPF_CORE_READ(dev, nd_net.net, ns.inum) != targ_netns)
			return false;
	}
	return true;
}

/* Add delta to the histogram of (from, to) on p's device and protocol, this CPU's copy. */
static __always_inline void record_pair(const struct pj_pkt *p, __u8 from, __u8 to, __u64 delta)
{
	struct pj_pair *e = ways__get(&pj_pairs, PJ_MAX_PAIRS,
				      PJ_PAIR_KEY(p->dev_slot, from, to, p->proto & 3));
	__u32 slot;

	if (!e)
		return;
	slot = log2_slot_max(delta, PJ_SLOTS - 1);
	e->h.slots[slot]++;
	e->h.sum += delta;
}

/* Where the data is at this stage; the heatmap counts the first stage only. */
static __always_inline void record_mem(struct pj_pkt *p, struct sk_buff *skb, __u32 stage,
				       bool first, bool typed)
{
	struct pj_region *r;
	struct pj_mem *m;
	__u64 head;

	if (!targ_mem)
		return;
	m = bpf_map_lookup_elem(&pj_mem, &stage);
	if (!m)
		return;
	head = (__u64)PJ_READ(typed, skb, head);
	m->pkts++;
	m->paged += PJ_READ(typed, skb, data_len) > 0;
	if (!first && head != p->head)
		m->moved++;
	p->head = head;
	if (!first)
		return;
	/*
	 * The region of skb->data is head's: both lie in one buffer, which never
	 * crosses a boundary of 64 MiB (slab pages and page fragments sit in pages
	 * aligned to their size). head read back from the map is a number, which
	 * may be hashed without a probe read (a typed load of a char pointer is
	 * untrusted memory on 6.16+, which may not).
	 */
	r = ways__get(&pj_regions, PJ_MAX_REGIONS,
		      *(volatile __u64 *)&p->head >> PJ_REGION_SHIFT);
	if (!r)
		return;
	r->pkts++;
	r->bytes += p->len;
}

/* Count a journey that ended with fate. */
static __always_inline void count_fate(__u32 fate)
{
	pj_count(fate == PJ_FATE_DROPPED ? PJ_CNT_DROPPED : PJ_CNT_DELIVERED);
}

/*
 * End the journey of p (its key holds keyval: the packet's address, or
 * PJ_KEY_PARKED) with fate: count it and, with --packets or -w, send its
 * record. False when the reaper ended it first. The record is used only
 * where it was found reserved: 6.1's verifier does not know that a ring
 * buffer record once checked stays non-NULL, and a second test of it left
 * the reference unreleased on the path it took for NULL (--packets did not
 * load).
 */
static __always_inline bool end(struct pj_pkt *p, __u64 *key, __u64 keyval, __u32 fate,
				__u32 reason)
{
	struct pj_record *r;

	if (targ_packets) {
		/* Copied before the entry is freed: another packet may take it at once. */
		r = bpf_ringbuf_reserve(&pj_ring, sizeof(*r), 0);
		if (r) {
			r->kind = PJ_REC_JOURNEY;
			r->fate = fate;
			r->reason = reason;
			r->pad = 0;
			__builtin_memcpy(&r->pkt, p, sizeof(*p));
			if (!ids__free(key, keyval)) {
				bpf_ringbuf_discard(r, 0);
				return false;
			}
			count_fate(fate);
			bpf_ringbuf_submit(r, 0);
			return true;
		}
	}
	if (!ids__free(key, keyval))
		return false;
	count_fate(fate);
	if (targ_packets)
		pj_count(PJ_CNT_RING_FULL);
	return true;
}

/* Time a stage: ns since t0 (saturated), the chain. */
static __always_inline void mark(struct pj_pkt *p, __u32 stage, __u64 now, bool chain)
{
	__u64 off = now - p->t0;

	if (stage >= PJ_STAGES)
		return;
	p->off[stage] = off > 0xffffffffULL ? 0xffffffff : (__u32)off;
	p->seen |= 1 << stage;
	pj_count(PJ_CNT_STAGES);
	if (!chain)
		return;
	p->last = stage;
	p->last_ns = now;
}

/* p reached stage at now from its last one: its pair's histogram, then its chain. */
static __always_inline void step(struct pj_pkt *p, __u32 stage, __u64 now)
{
	record_pair(p, p->last, stage, now - p->last_ns);
	mark(p, stage, now, true);
}

#define ARPHRD_ETHER	   1
#define ARPHRD_LOOPBACK	   772
#define ETH_HLEN	   14
#define TCP_TIME_WAIT	   6
#define TCP_NEW_SYN_RECV   12

/*
 * True when skb, being sent, comes from the process running now: its socket
 * is not TCP (UDP, ping and raw sockets send in the caller's context), or is
 * a TCP socket that process holds (sends from softirq happen only when no
 * process holds it).
 */
static __always_inline bool sent_by_current(struct sk_buff *skb, bool typed)
{
	struct sock *sk = PJ_READ(typed, skb, sk);
	__u8 state;

	if (!sk)
		return false;
	state = PJ_READ(typed, sk, __sk_common.skc_state);
	if (state == TCP_TIME_WAIT || state == TCP_NEW_SYN_RECV)
		return false; /* not a full socket */
	return PJ_READ(typed, sk, sk_protocol) != IP_PROTO_TCP || PJ_READ(typed, sk, sk_lock.owned);
}

/*
 * -w: the first bytes of skb at its first stage, for packet id: from the
 * Ethernet header on Ethernet devices and lo, else from the IP header. Only
 * the linear part: the rest (page fragments) is not read.
 */
static __always_inline void capture(struct sk_buff *skb, __u64 id)
{
	__u16 mac = BPF_CORE_READ(skb, mac_header), nh = BPF_CORE_READ(skb, network_header);
	__u64 head = (__u64)BPF_CORE_READ(skb, head);
	__u32 data = (__u32)((__u64)BPF_CORE_READ(skb, data) - head);
	__u32 tail = BPF_CORE_READ(skb, tail), len = BPF_CORE_READ(skb, len);
	__u16 type = BPF_CORE_READ(skb, dev, type);
	__u32 off = nh && nh != NO_HEADER ? nh : data;
	__u64 caplen; /* 64 bits: the verifier bounds the register the read takes */
	struct pj_bytes *b;

	b = bpf_ringbuf_reserve(&pj_ring, offsetof(struct pj_bytes, data) + targ_snaplen, 0);
	if (!b) {
		pj_count(PJ_CNT_RING_FULL);
		return;
	}
	b->linktype = PJ_LINK_RAW;
	if ((type == ARPHRD_ETHER || type == ARPHRD_LOOPBACK) && mac != NO_HEADER &&
	    off == nh && nh >= mac && nh - mac == ETH_HLEN) {
		off = mac;
		b->linktype = PJ_LINK_ETHERNET;
	}
	b->kind = PJ_REC_BYTES;
	b->id = id;
	b->wire_len = len + data - off; /* skb->len counts from data */
	caplen = tail > off ? tail - off : 0;
	if (caplen > b->wire_len)
		caplen = b->wire_len;
	if (caplen > targ_snaplen)
		caplen = targ_snaplen;
	/* Read back unknown, then bounded in the register the helper takes: the verifier sees it. */
	b->caplen = caplen;
	caplen = *(volatile __u32 *)&b->caplen;
	if (caplen > targ_snaplen || bpf_probe_read_kernel(b->data, caplen, (void *)(head + off)))
		b->caplen = 0;
	bpf_ringbuf_submit(b, 0);
}

/*
 * A new journey for skb (at addr) at stage on device nd (NULL: none), unless
 * filtered out or no entry is free. Filled in in place: the key stays
 * PJ_KEY_BUSY, which no one else reads, until it is done.
 */
static __always_inline void start(struct sk_buff *skb, __u64 addr, __u32 stage,
				  struct net_device *nd, bool typed)
{
	__u32 zero = 0, seq_key = PJ_CNT_MAX, tid, idx;
	bool sending = stage == PJ_QUEUE || stage == PJ_START;
	struct pj_hdr h;
	struct pj_pkt *p;
	struct pj_cpu *c;
	__u64 *seq, *key, now;

	if (filter_cfg.pid_on || filter_cfg.comm_on || filter_cfg.cgroup_on) {
		/* Only packets sent from a process' context can be told apart. */
		if (!sending || !PJ_READ(typed, skb, sk) ||
		    !filter__pass(bpf_get_current_pid_tgid() >> 32))
			return;
	}
	seq = bpf_map_lookup_elem(&pj_counters, &seq_key);
	if (!seq)
		return;
	parse_headers(skb, &h, typed);
	if (!pass_packet(&h, nd))
		return;
	p = ids__take(addr, &key, &idx);
	if (!p) {
		pj_count(PJ_CNT_IDS_FULL);
		return;
	}
	now = bpf_ktime_get_ns();
	/*
	 * Field by field, not a memset of the entry: off[] of a stage not seen is
	 * never read, and the last line (sender, reader) is read only with records.
	 */
	p->id = (++*seq << 12) | bpf_get_smp_processor_id();
	p->t0 = now;
	p->head = 0;
	p->dev = 0;
	p->seen = 0;
	p->dev_slot = 0;
	if (targ_packets) {
		p->snd_pid = 0;
		p->rcv_pid = 0;
		__builtin_memset(p->snd_comm, 0, sizeof(p->snd_comm));
		__builtin_memset(p->rcv_comm, 0, sizeof(p->rcv_comm));
	}
	p->len = PJ_READ(typed, skb, len);
	p->proto = h.proto;
	p->ipv6 = h.ipv6;
	p->saddr = h.saddr;
	p->daddr = h.daddr;
	p->sport = h.sport;
	p->dport = h.dport;
	if (stage == PJ_QUEUE && h.proto == PJ_PROTO_TCP) {
		/* Sent from tcp_sendmsg in this thread: the journey starts there. */
		tid = (__u32)bpf_get_current_pid_tgid();
		c = bpf_map_lookup_elem(&pj_cpus, &zero);
		if (c && c->send_tid == tid && c->send_ts && c->send_ts <= now &&
		    now - c->send_ts < PJ_SEND_MAX_NS &&
		    (!c->send_sk || c->send_sk == (__u64)PJ_READ(typed, skb, sk))) {
			p->t0 = c->send_ts;
			p->off[PJ_SEND] = 0;
			p->seen = 1 << PJ_SEND;
			p->last = PJ_SEND;
			p->last_ns = c->send_ts;
		}
	}
	if (targ_packets && sending && sent_by_current(skb, typed)) {
		p->snd_pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(p->snd_comm, sizeof(p->snd_comm));
	}
	set_dev(p, nd, typed);
	p->dev0_slot = p->dev_slot;
	pj_count(PJ_CNT_STARTED);
	if (p->seen & (1 << PJ_SEND)) {
		pj_count(PJ_CNT_STAGES);
		record_pair(p, PJ_SEND, stage, now - p->t0);
	}
	mark(p, stage, now, true);
	record_mem(p, skb, stage, true, typed);
	if (targ_snaplen)
		capture(skb, p->id);
	__sync_lock_test_and_set(key, addr); /* filled in: found from now on */
}

static __always_inline bool can_start(__u32 stage)
{
	return stage == PJ_QUEUE || stage == PJ_START || stage == PJ_RX || stage == PJ_RECV;
}

/*
 * skb (at addr) reached stage; with has_dev on skb->dev, else (the socket
 * stages, xmit) timed under the last device seen. Returns the packet when it
 * was followed already (not when its journey starts here), else NULL.
 */
static __always_inline struct pj_pkt *on_skb(struct sk_buff *skb, __u64 addr, __u32 stage,
					     bool has_dev, bool typed)
{
	struct pj_pkt *p;
	__u64 now, *key;
	__u32 idx;

	if (!addr)
		return NULL;
	p = ids__find(addr, &key, &idx);
	if (p) {
		now = bpf_ktime_get_ns();
		if (stage > p->last) {
			if (has_dev)
				set_dev(p, PJ_READ(typed, skb, dev), typed);
			step(p, stage, now);
			record_mem(p, skb, stage, false, typed);
			return p;
		}
		if (stage == PJ_XMIT && (p->seen & (1 << PJ_START)) && !(p->seen & (1 << PJ_XMIT))) {
			/* The driver returned after the receive side took the skb (lo, veth). */
			mark(p, stage, now, false);
			record_pair(p, PJ_START, PJ_XMIT, now - p->t0 - p->off[PJ_START]);
			return NULL;
		}
		if (!can_start(stage))
			return NULL; /* a repeat */
		/* The skb was freed without a tracepoint, so not dropped, and its address reused. */
		end(p, key, addr, PJ_FATE_DELIVERED, 0);
	}
	/* One inlined start for both cases: each copy costs the verifier a walk of its own. */
	if (can_start(stage) && pj_active())
		start(skb, addr, stage, has_dev ? PJ_READ(typed, skb, dev) : NULL, typed);
	return NULL;
}

/* skb (at addr) freed: consumed (reason 0) or dropped. Drops are counted followed or not. */
static __always_inline void on_free(struct sk_buff *skb, __u64 addr, __u32 reason, bool typed)
{
	__u32 group = PJ_GROUP_UNTRACKED, idx;
	struct pj_pkt *p = NULL;
	struct pj_drop *d;
	struct pj_hdr h;
	__u64 *key;

	if (!addr)
		return;
	/* Outside windows nothing is followed (a window's end cuts what it left): count only. */
	p = pj_active() ? ids__find(addr, &key, &idx) : NULL;
	if (p) {
		group = group_of(p->last);
		step(p, PJ_FREE, bpf_ktime_get_ns());
		end(p, key, addr, reason ? PJ_FATE_DROPPED : PJ_FATE_DELIVERED, reason);
	} else if (reason) {
		if (filter_cfg.pid_on || filter_cfg.comm_on || filter_cfg.cgroup_on)
			return; /* no owner to match */
		if (targ_proto || pj_targ_port || targ_ifindex) {
			parse_headers(skb, &h, typed);
			if (!pass_packet(&h, PJ_READ(typed, skb, dev)))
				return;
		}
	}
	if (!reason)
		return;
	d = ways__get(&pj_drops, PJ_MAX_DROPS, PJ_DROP_KEY(reason, group));
	if (d)
		d->count++;
}

/*
 * tcp_probe saw a followed segment of socket sk_key: remember it when it
 * carries data (or a FIN), for the sk_data_ready that follows if TCP queues it.
 */
static __always_inline void on_tcp_segment(struct pj_pkt *p, struct sk_buff *skb, __u64 addr,
					   __u64 sk_key)
{
	__u32 zero = 0, seq[2]; /* TCP_SKB_CB(skb)->seq, end_seq */
	struct pj_cpu *c;

	if (BPF_CORE_READ_INTO(&seq, skb, cb) || seq[1] == seq[0])
		return;
	c = bpf_map_lookup_elem(&pj_cpus, &zero);
	if (!c)
		return;
	c->rcv_skb = addr;
	c->rcv_sk = sk_key;
	c->rcv_seq = seq[1];
	c->rcv_id = p->id;
}

/* The set of socket key sk (its number in *s). */
static __always_inline struct pj_sockset *sockset_of(__u64 sk, __u32 *s)
{
	*s = (__u32)(((sk >> 6) * GOLDEN) >> 40) & (PJ_MAX_SOCKS / PJ_SOCK_WAYS - 1);
	return bpf_map_lookup_elem(&pj_socksets, s);
}

/* The queue of socket key sk, NULL when it has none. */
static __always_inline struct pj_sockq *sockq__find(__u64 sk)
{
	struct pj_sockset *set;
	__u32 s, i;

	set = sockset_of(sk, &s);
	if (!set)
		return NULL;
#pragma unroll
	for (int w = 0; w < PJ_SOCK_WAYS; w++) {
		if (set->sk[w] == sk) {
			i = s * PJ_SOCK_WAYS + w;
			return bpf_map_lookup_elem(&pj_sockqs, &i);
		}
	}
	return NULL;
}

/*
 * A queue for socket key sk, which had none: a way of its set as struct
 * pj_sockset says (the one another CPU gave it meanwhile, if any). NULL when
 * another CPU took that way first.
 */
static __always_inline struct pj_sockq *sockq__take(__u64 sk)
{
	__u64 old, score, best = ~0ULL;
	struct pj_sockset *set;
	struct pj_sockq *q;
	__u32 s, i, v = 0;

	set = sockset_of(sk, &s);
	if (!set)
		return NULL;
#pragma unroll
	for (int w = 0; w < PJ_SOCK_WAYS; w++) {
		old = set->sk[w];
		if (!old)
			old = __sync_val_compare_and_swap(&set->sk[w], 0, sk); /* 0: ours now */
		i = s * PJ_SOCK_WAYS + w;
		q = bpf_map_lookup_elem(&pj_sockqs, &i);
		if (!q)
			return NULL;
		if (old == sk)
			return q;
		if (!old) {
			q->head = q->tail;
			q->enq = 0;
			return q;
		}
		score = q->head == q->tail ? 0 : q->used;
		if (score < best) {
			best = score;
			v = w;
		}
	}
	v &= PJ_SOCK_WAYS - 1;
	old = set->sk[v];
	if (__sync_val_compare_and_swap(&set->sk[v], old, sk) != old)
		return NULL;
	i = s * PJ_SOCK_WAYS + v;
	q = bpf_map_lookup_elem(&pj_sockqs, &i);
	if (!q)
		return NULL;
	if (best)
		pj_count(PJ_CNT_TABLE_FULL); /* what waited there ends unknown */
	q->head = q->tail;
	q->enq = 0;
	return q;
}

/*
 * p (at addr, entry idx) was queued to socket queue q: leave the address
 * index for q (its skb may be freed and the address reused before the
 * read). When q is full, its journey ends here: delivered to the socket,
 * its read not followed (counted as a full table).
 */
static __always_inline void park(struct pj_sockq *q, struct pj_pkt *p, __u64 *key, __u64 addr,
				 __u32 idx, __u32 seq)
{
	struct pj_sockq_entry *e;
	__u64 t = q->tail;

	if (t - q->head >= PJ_SOCKQ_LEN) {
		pj_count(PJ_CNT_TABLE_FULL);
		end(p, key, addr, PJ_FATE_DELIVERED, 0);
		return;
	}
	if (!__sync_bool_compare_and_swap(key, addr, PJ_KEY_PARKED))
		return; /* reaped meanwhile */
	q->used = p->last_ns;
	t = __sync_fetch_and_add(&q->tail, 1);
	e = &q->e[t & (PJ_SOCKQ_LEN - 1)];
	e->idx = idx;
	e->seq = seq;
	__sync_lock_test_and_set(&e->id, p->id); /* filled in: the reader may take it */
}

/*
 * Socket sk (its key sk_key) got data: the sockq stage of the packet queued.
 * TCP: the segment tcp_probe saw last on this CPU, for this socket. Others:
 * the skb at the tail of the receive queue, counted in the socket queue's
 * enq (every one, followed or not: the reads tell them apart by count).
 */
static __always_inline void on_data_ready(struct sock *sk, __u64 sk_key, bool typed)
{
	struct pj_sockq *q = NULL;
	__u32 zero = 0, seq = 0, idx;
	struct pj_cpu *c;
	struct pj_pkt *p;
	__u64 addr, *key, id = 0;
	bool tcp;

	if (!pj_active())
		return;
	tcp = PJ_READ(typed, sk, sk_protocol) == IP_PROTO_TCP;
	if (tcp) {
		c = bpf_map_lookup_elem(&pj_cpus, &zero);
		if (!c || !c->rcv_skb || c->rcv_sk != sk_key)
			return;
		addr = c->rcv_skb;
		seq = c->rcv_seq;
		id = c->rcv_id;
		c->rcv_skb = 0;
	} else {
		if (typed)
			addr = BTF_KEY(sk->sk_receive_queue.prev);
		else
			addr = (__u64)BPF_CORE_READ(sk, sk_receive_queue.prev);
		q = sockq__find(sk_key);
		if (q)
			seq = __sync_fetch_and_add(&q->enq, 1) + 1;
	}
	p = ids__find(addr, &key, &idx);
	if (!p || (tcp && (p->id != id || p->last != PJ_TCP)))
		return;
	step(p, PJ_SOCKQ, bpf_ktime_get_ns());
	if (tcp) /* looked up only now: for followed segments */
		q = sockq__find(sk_key);
	if (!q) {
		q = sockq__take(sk_key);
		if (!q) {
			pj_count(PJ_CNT_TABLE_FULL);
			return;
		}
		if (!tcp)
			seq = __sync_fetch_and_add(&q->enq, 1) + 1;
	}
	park(q, p, key, addr, idx, seq);
}

/* The packet of entry idx (id) was read now by the running process: it was delivered. */
static __always_inline void read_one(__u32 idx, __u64 id, __u64 now)
{
	struct pj_pkt *p;
	__u64 *key;

	p = ids__at(idx, PJ_KEY_PARKED, id, &key);
	if (!p)
		return; /* reaped, or cut by a window's end */
	step(p, PJ_READ, now);
	if (targ_packets) {
		p->rcv_pid = bpf_get_current_pid_tgid() >> 32;
		bpf_get_current_comm(p->rcv_comm, sizeof(p->rcv_comm));
	}
	if (end(p, key, PJ_KEY_PARKED, PJ_FATE_DELIVERED, 0))
		pj_count(PJ_CNT_READ);
}

/* What one step of a read walks: the socket's queue, up to which sequence, when. */
struct pj_read {
	struct pj_sockq *q;
	__u32 upto;
	__u64 now;
};

/* Take the oldest packet of the queue if it was read: 0 to go on, 1 to stop (bpf_loop). */
static long read_next(__u64 i, void *ctx)
{
	struct pj_read *r = ctx;
	struct pj_sockq *q = r->q;
	struct pj_sockq_entry *e;
	__u64 h = q->head, id;
	__u32 idx;

	if (h == q->tail)
		return 1;
	e = &q->e[h & (PJ_SOCKQ_LEN - 1)];
	id = e->id;
	if (!id || (__s32)(e->seq - r->upto) > 0)
		return 1; /* being filled in, or not read yet */
	idx = e->idx;
	if (!__sync_bool_compare_and_swap(&q->head, h, h + 1))
		return 1; /* another reader took it */
	e->id = 0;
	if (!r->now)
		r->now = bpf_ktime_get_ns();
	read_one(idx, id, r->now);
	return 0;
}

/* Without bpf_loop (kernels before 5.17) a read ends this many journeys at most. */
#define PJ_READ_UNROLLED 4

/*
 * tcp_sk(sk)->copied_seq of TCP socket sk. On tp_btf a typed load through the
 * hub's read-only cast, cheaper than a probe read (a field past struct sock:
 * no typed load from sk itself); elsewhere, and on a kernel without the cast
 * (before 6.2, which has no sock_recv_length to call this either), a probe read.
 */
static __always_inline __u32 tcp_copied_seq(struct sock *sk, bool typed)
{
	if (typed && hub_rdonly_cast)
		return ((struct tcp_sock *)HUB_UNTRUSTED(sk, tcp_sock))->copied_seq;
	return BPF_CORE_READ((struct tcp_sock *)sk, copied_seq);
}

/* The length of UDP socket sk's reader queue: typed as tcp_copied_seq() reads. */
static __always_inline __u32 udp_reader_qlen(struct sock *sk, bool typed)
{
	if (typed && hub_rdonly_cast)
		return ((struct udp_sock *)HUB_UNTRUSTED(sk, udp_sock))->reader_queue.qlen;
	return BPF_CORE_READ((struct udp_sock *)sk, reader_queue.qlen);
}

/*
 * The running process read from socket sk (its key sk_key): the packets of
 * its queue it has read by now are read. TCP: those whose data ends at or
 * before copied_seq. Others: of the enq packets queued, all but the qlen
 * still queued. The walk is a bpf_loop: its step is verified once, not once
 * per slot of the queue (256 inlined steps took the verifier 400k
 * instructions and most of a second).
 */
static __always_inline void on_read(struct sock *sk, __u64 sk_key, bool typed)
{
	struct pj_read r = { .q = sockq__find(sk_key) };
	__u32 qlen;
	__u16 proto;

	if (!r.q)
		return;
	proto = PJ_READ(typed, sk, sk_protocol);
	if (proto == IP_PROTO_TCP) {
		r.upto = tcp_copied_seq(sk, typed);
	} else {
		qlen = PJ_READ(typed, sk, sk_receive_queue.qlen);
		if (proto == IP_PROTO_UDP)
			qlen += udp_reader_qlen(sk, typed);
		r.upto = (__u32)r.q->enq - qlen;
	}
	if (bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop)) {
		bpf_loop(PJ_SOCKQ_LEN, read_next, &r, 0);
		return;
	}
	for (int i = 0; i < PJ_READ_UNROLLED; i++)
		if (read_next(i, &r))
			break;
}

/* tcp_sendmsg is about to queue data of sk (0: unknown) from this thread. */
static __always_inline void on_tcp_send(__u64 sk)
{
	__u32 zero = 0;
	struct pj_cpu *c;

	if (!pj_active())
		return;
	c = bpf_map_lookup_elem(&pj_cpus, &zero);
	if (c) {
		c->send_ts = bpf_ktime_get_ns();
		c->send_sk = sk;
		c->send_tid = (__u32)bpf_get_current_pid_tgid();
	}
}

/* A socket send or receive returned ret bytes: the owner's bytes. */
static __always_inline void on_sock_bytes(struct hub_ctx *hc, struct sock *sk, int ret, bool tx,
					  bool typed)
{
	__u64 pid_tgid;
	__u32 tgid, tid;
	__u16 family, proto;
	struct pj_cpu *cpu;
	__u32 zero = 0;
	__u64 *c;
	__u8 pj;

	pid_tgid = hub__pid_tgid(hc);
	tgid = pid_tgid >> 32;
	tid = (__u32)pid_tgid;
	family = PJ_READ(typed, sk, __sk_common.skc_family);
	proto = PJ_READ(typed, sk, sk_protocol);
	if (family != AF_INET && family != AF_INET6)
		return;
	if (tx && proto == IP_PROTO_TCP) {
		cpu = bpf_map_lookup_elem(&pj_cpus, &zero);
		if (cpu && cpu->send_tid == tid)
			cpu->send_ts = 0; /* the send is over */
	}
	/* Windowed: per-process bytes of 1/N of the time would mislead; netproc has them all. */
	if (ret <= 0 || targ_windowed)
		return;
	pj = proto == IP_PROTO_TCP ? PJ_PROTO_TCP : proto == IP_PROTO_UDP ? PJ_PROTO_UDP :
	     proto == IP_PROTO_ICMP || proto == IP_PROTO_ICMPV6 ? PJ_PROTO_ICMP : PJ_PROTO_OTHER;
	if (targ_proto && pj != targ_proto)
		return;
	if (pj_targ_port && PJ_READ(typed, sk, __sk_common.skc_num) != pj_targ_port &&
	    bpf_ntohs(PJ_READ(typed, sk, __sk_common.skc_dport)) != pj_targ_port)
		return;
	if (!hub__pass(hc))
		return;
	c = hub__proc_counters(hc, HUB_PART_pktjourney, tgid);
	if (!c) {
		pj_count(PJ_CNT_TABLE_FULL);
		return;
	}
	c[tx ? 0 : 1] += ret;
}

/* The running process sent (tx) or read ret bytes on socket sk (its key sk_key). */
static __always_inline void on_sock_msg(struct hub_ctx *hc, struct sock *sk, __u64 sk_key, int ret,
					bool tx, bool typed)
{
	if (!pj_active())
		return;
	if (!tx && ret >= 0)
		on_read(sk, sk_key, typed); /* ret 0: maybe a FIN read */
	on_sock_bytes(hc, sk, ret, tx, typed);
}

/* Argument arg of hook a; on the tracepoint rung, field of its classic record (type). */
#define PJ_ARG(a, type, arg, field) \
	((a)->rung == HUB_RUNG_TP ? (typeof((a)->arg))HUB_RECORD_OR(a, type, field, 0) \
				 : (a)->arg)

/* Hook a (classic record type) is stage for its skb. */
#define PJ_STAGE(a, type, stage, has_dev)                                              \
	({                                                                             \
		struct sk_buff *pj_skb__ = PJ_ARG(a, type, skb, skbaddr);              \
                                                                                       \
		on_skb(pj_skb__, PJ_KEY(a, pj_skb__), stage, has_dev,                  \
		       (a)->rung == HUB_RUNG_BTF);                                     \
	})

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one handler per tracepoint, the
 * hub's one program per hook; a shared body would add a call on the hot path.
 */
HUB_HANDLER(pktjourney, net_dev_queue)
{
	PJ_STAGE(a, trace_event_raw_net_dev_template, PJ_QUEUE, true);
}

HUB_HANDLER(pktjourney, netif_rx)
{
	PJ_STAGE(a, trace_event_raw_net_dev_template, PJ_RX, true);
}

HUB_HANDLER(pktjourney, netif_receive_skb)
{
	PJ_STAGE(a, trace_event_raw_net_dev_template, PJ_RECV, true);
}

HUB_HANDLER(pktjourney, napi_gro_receive_entry)
{
	PJ_STAGE(a, trace_event_raw_net_dev_rx_verbose_template, PJ_RX, true);
}

HUB_HANDLER(pktjourney, qdisc_enqueue)
{
	PJ_STAGE(a, trace_event_raw_qdisc_enqueue, PJ_ENQ, true);
}

HUB_HANDLER(pktjourney, qdisc_dequeue)
{
	PJ_STAGE(a, trace_event_raw_qdisc_dequeue, PJ_DEQ, true);
}

HUB_HANDLER(pktjourney, net_dev_start_xmit)
{
	PJ_STAGE(a, trace_event_raw_net_dev_start_xmit, PJ_START, true);
}

HUB_HANDLER(pktjourney, net_dev_xmit)
{
	PJ_STAGE(a, trace_event_raw_net_dev_xmit, PJ_XMIT, false);
}

HUB_HANDLER(pktjourney, tcp_probe)
{
	struct sk_buff *skb = PJ_ARG(a, trace_event_raw_tcp_probe, skb, skbaddr);
	struct sock *sk = PJ_ARG(a, trace_event_raw_tcp_probe, sk, skaddr);
	struct pj_pkt *p = PJ_STAGE(a, trace_event_raw_tcp_probe, PJ_TCP, false);

	if (p)
		on_tcp_segment(p, skb, PJ_KEY(a, skb), PJ_KEY(a, sk));
}

HUB_HANDLER(pktjourney, sk_data_ready)
{
	struct sock *sk = (struct sock *)PJ_ARG(a, trace_event_raw_sk_data_ready, sk, skaddr);

	on_data_ready(sk, PJ_KEY(a, sk), a->rung == HUB_RUNG_BTF);
}

HUB_HANDLER(pktjourney, consume_skb)
{
	struct sk_buff *skb = PJ_ARG(a, trace_event_raw_consume_skb, skb, skbaddr);

	on_free(skb, PJ_KEY(a, skb), 0, a->rung == HUB_RUNG_BTF);
}

HUB_HANDLER(pktjourney, kfree_skb)
{
	struct sk_buff *skb = PJ_ARG(a, trace_event_raw_kfree_skb, skb, skbaddr);
	__u32 reason = PJ_ARG(a, trace_event_raw_kfree_skb, reason, reason);

	on_free(skb, PJ_KEY(a, skb), reason > SKB_CONSUMED ? reason : 0, a->rung == HUB_RUNG_BTF);
}

HUB_HANDLER(pktjourney, tcp_sendmsg_locked)
{
	on_tcp_send(a->rung == HUB_RUNG_TP ? 0 : (__u64)a->sk); /* no socket on that rung */
}

HUB_HANDLER(pktjourney, sock_send_length)
{
	struct sock *sk = PJ_ARG(a, trace_event_raw_sock_msg_length, sk, sk);

	on_sock_msg(hc, sk, PJ_KEY(a, sk), PJ_ARG(a, trace_event_raw_sock_msg_length, ret, ret),
		    true, a->rung == HUB_RUNG_BTF);
}

HUB_HANDLER(pktjourney, sock_recv_length)
{
	struct sock *sk = PJ_ARG(a, trace_event_raw_sock_msg_length, sk, sk);

	on_sock_msg(hc, sk, PJ_KEY(a, sk), PJ_ARG(a, trace_event_raw_sock_msg_length, ret, ret),
		    false, a->rung == HUB_RUNG_BTF);
}
