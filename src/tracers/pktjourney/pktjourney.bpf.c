// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pktjourney: follow packets through the stack by skb address. The first
 * stage that sees an skb gives it an id (an entry of the id table); every
 * later stage adds the time since the previous one to a per-CPU histogram of
 * that stage pair, device and protocol; consume_skb / kfree_skb end the
 * journey (drops counted per reason and stage group). Skbs freed without a
 * tracepoint (merged, GRO, pure ACKs) end when their address comes back as a
 * new packet, or when user space reaps them.
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
#include "bpf/proc_entry.bpf.h"
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
const volatile bool targ_packets = false; /* --packets: records over the ring buffer */
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

/* The thread inside tcp_sendmsg on this CPU: when, for which socket (an inlined lookup). */
struct pj_send {
	__u64 ts;
	__u64 sk;
	__u32 tid;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pj_send);
} pj_sends SEC(".maps");

/* A send older than this did not queue the packet: the thread moved to another CPU meanwhile. */
#define PJ_SEND_MAX_NS 10000000ULL

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
	__uint(max_entries, PJ_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct pj_proc);
} pj_procs SEC(".maps");

/* Counts of the processes this CPU runs (slot tgid % PJ_CACHE_SLOTS), added to pj_procs later. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_CACHE_SLOTS);
	__type(key, __u32);
	__type(value, struct pj_proc_cache);
} pj_proc_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_CNT_MAX + 1); /* the last one: the id sequence */
	__type(key, __u32);
	__type(value, __u64);
} pj_counters SEC(".maps");

/* A packet being parsed before it is known to pass the filters (too large for the stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pj_pkt);
} pj_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PJ_RING_BYTES);
} pj_ring SEC(".maps");

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

/* The packet at addr and its key (*key), or NULL when it is not followed. */
static __always_inline struct pj_pkt *ids__find(__u64 addr, __u64 **key)
{
	struct pj_set *set;
	__u32 s, i;

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
				i = s * PJ_ID_WAYS + w;
				return bpf_map_lookup_elem(&pj_ids, &i);
			}
		}
		if (!set->spilled)
			return NULL;
	}
	return NULL;
}

/* A free entry for addr, its key taken (PJ_KEY_BUSY, in *key); NULL when both sets are full. */
static __always_inline struct pj_pkt *ids__take(__u64 addr, __u64 **key)
{
	struct pj_set *set;
	struct pj_pkt *p;
	__u32 s, i;

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
			i = s * PJ_ID_WAYS + w;
			p = bpf_map_lookup_elem(&pj_ids, &i);
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

/* Free key, the key of addr; false when the reaper freed it first. */
static __always_inline bool ids__free(__u64 *key, __u64 addr)
{
	return __sync_val_compare_and_swap(key, addr, 0) == addr;
}

/* The pj_devs slot of dev (0 when the table is full), named on first use. */
static __always_inline __u8 dev_slot(__u64 dev)
{
	struct net_device *nd = (struct net_device *)dev;
	/* Groups of PJ_WAYS slots from slot PJ_WAYS on (slot 0: none). */
	__u32 i = PJ_WAYS + (__u32)(mix(dev >> 6) % (PJ_MAX_DEVS / PJ_WAYS - 1)) * PJ_WAYS;
	__u32 ifindex = BPF_CORE_READ(nd, ifindex);
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

/* p is on device dev (0: the stage has none, keep the last one). */
static __always_inline void set_dev(struct pj_pkt *p, __u64 dev)
{
	if (!dev || dev == p->dev)
		return;
	p->dev = dev;
	p->dev_slot = dev_slot(dev);
}

static __always_inline __u32 group_of(__u8 stage)
{
	if (stage <= PJ_XMIT)
		return PJ_GROUP_TX;
	if (stage <= PJ_RECV)
		return PJ_GROUP_RX;
	return PJ_GROUP_SOCK;
}

/*
 * skb->field: a plain load from a tp_btf program's typed skb (typed, a
 * constant at each call), else a probe read.
 */
#define SKB_READ(typed, skb, field) ((typed) ? (skb)->field : BPF_CORE_READ(skb, field))

/* Protocol, ports and IPv4 addresses from the skb's headers. */
static __always_inline void parse_headers(struct sk_buff *skb, struct pj_pkt *p, bool typed)
{
	unsigned char *head = SKB_READ(typed, skb, head), *l3;
	__u16 nh = SKB_READ(typed, skb, network_header);
	__u16 eth = bpf_ntohs(SKB_READ(typed, skb, protocol));
	__u16 ports[2];
	__u32 l4off;
	__u8 l4;

	/* Unset on a fresh receive skb (0 or ~0): the driver left data at the IP header. */
	l3 = nh && nh != NO_HEADER ? head + nh : SKB_READ(typed, skb, data);
	if (eth == ETH_P_IP) {
		struct iphdr iph;

		if (bpf_probe_read_kernel(&iph, sizeof(iph), l3))
			return;
		l4 = iph.protocol;
		p->saddr = iph.saddr;
		p->daddr = iph.daddr;
		l4off = iph.ihl * 4;
		if (iph.frag_off & bpf_htons(0x1fff))
			l4off = 0; /* not the first fragment: no ports */
	} else if (eth == ETH_P_IPV6) {
		struct ipv6hdr ip6;

		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), l3))
			return;
		l4 = ip6.nexthdr;
		l4off = sizeof(ip6);
		p->ipv6 = 1;
	} else {
		return;
	}
	if (l4 == IP_PROTO_TCP)
		p->proto = PJ_PROTO_TCP;
	else if (l4 == IP_PROTO_UDP)
		p->proto = PJ_PROTO_UDP;
	else if (l4 == IP_PROTO_ICMP || l4 == IP_PROTO_ICMPV6)
		p->proto = PJ_PROTO_ICMP;
	if ((p->proto == PJ_PROTO_TCP || p->proto == PJ_PROTO_UDP) && l4off &&
	    !bpf_probe_read_kernel(ports, sizeof(ports), l3 + (l4off & 0x3f))) {
		p->sport = bpf_ntohs(ports[0]);
		p->dport = bpf_ntohs(ports[1]);
	}
}

/* The --proto / --port / -i filters on a parsed packet at device dev. */
static __always_inline bool pass_packet(const struct pj_pkt *p, struct net_device *dev)
{
	if (targ_proto && p->proto != targ_proto)
		return false;
	if (pj_targ_port && p->sport != pj_targ_port && p->dport != pj_targ_port)
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
	head = (__u64)SKB_READ(typed, skb, head);
	m->pkts++;
	m->paged += SKB_READ(typed, skb, data_len) > 0;
	if (!first && head != p->head)
		m->moved++;
	p->head = head;
	if (!first)
		return;
	/* A probe read even when typed: the verifier allows no hashing of a typed pointer. */
	r = ways__get(&pj_regions, PJ_MAX_REGIONS,
		      (__u64)BPF_CORE_READ(skb, data) >> PJ_REGION_SHIFT);
	if (!r)
		return;
	r->pkts++;
	r->bytes += p->len;
}

/* Count a journey that ended with fate. */
static __always_inline void count_fate(__u32 fate)
{
	pj_count(fate == PJ_FATE_CONSUMED ? PJ_CNT_CONSUMED :
	      fate == PJ_FATE_DROPPED  ? PJ_CNT_DROPPED :
					 PJ_CNT_LOST);
}

/*
 * End the journey of p (the packet at addr, its key) with fate: count it and, with
 * --packets, send its record. Nothing when the reaper ended it first. The record is
 * used only where it was found reserved: 6.1's verifier does not know that a ring
 * buffer record once checked stays non-NULL, and a second test of it left the
 * reference unreleased on the path it took for NULL (--packets did not load).
 */
static __always_inline void end(struct pj_pkt *p, __u64 *key, __u64 addr, __u32 fate,
				__u32 reason)
{
	struct pj_record *r;

	if (targ_packets) {
		/* Copied before the entry is freed: another packet may take it at once. */
		r = bpf_ringbuf_reserve(&pj_ring, sizeof(*r), 0);
		if (r) {
			__builtin_memcpy(&r->pkt, p, sizeof(*p));
			r->fate = fate;
			r->reason = reason;
			if (!ids__free(key, addr)) {
				bpf_ringbuf_discard(r, 0);
				return;
			}
			count_fate(fate);
			bpf_ringbuf_submit(r, 0);
			return;
		}
	}
	if (!ids__free(key, addr))
		return;
	count_fate(fate);
	if (targ_packets)
		pj_count(PJ_CNT_RING_FULL);
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

/* A new journey for skb (at addr) at stage on device dev, unless filtered out or no entry free. */
static __always_inline void start(struct sk_buff *skb, __u64 addr, __u32 stage, __u64 dev,
				  bool typed)
{
	__u32 zero = 0, seq_key = PJ_CNT_MAX;
	struct pj_pkt *z, *p;
	struct pj_send *snd;
	__u64 *seq, *key, now;
	__u32 tid;

	if (filter_cfg.pid_on || filter_cfg.comm_on || filter_cfg.cgroup_on) {
		/* Only packets sent from a process' context can be told apart. */
		if ((stage != PJ_QUEUE && stage != PJ_START) || !SKB_READ(typed, skb, sk) ||
		    !filter__pass(bpf_get_current_pid_tgid() >> 32))
			return;
	}
	z = bpf_map_lookup_elem(&pj_scratch, &zero);
	seq = bpf_map_lookup_elem(&pj_counters, &seq_key);
	if (!z || !seq)
		return;
	__builtin_memset(z, 0, sizeof(*z));
	parse_headers(skb, z, typed);
	if (!pass_packet(z, (struct net_device *)dev))
		return;
	p = ids__take(addr, &key);
	if (!p) {
		pj_count(PJ_CNT_IDS_FULL);
		return;
	}
	now = bpf_ktime_get_ns();
	z->id = (++*seq << 12) | bpf_get_smp_processor_id();
	z->t0 = now;
	z->len = SKB_READ(typed, skb, len);
	if (stage == PJ_QUEUE && z->proto == PJ_PROTO_TCP) {
		/* Sent from tcp_sendmsg in this thread: the journey starts there. */
		tid = (__u32)bpf_get_current_pid_tgid();
		snd = bpf_map_lookup_elem(&pj_sends, &zero);
		if (snd && snd->tid == tid && snd->ts && snd->ts <= now &&
		    now - snd->ts < PJ_SEND_MAX_NS &&
		    (!snd->sk || snd->sk == (__u64)SKB_READ(typed, skb, sk))) {
			z->t0 = snd->ts;
			z->seen = 1 << PJ_SEND;
			z->last = PJ_SEND;
			z->last_ns = snd->ts;
		}
	}
	set_dev(z, dev);
	z->dev0_slot = z->dev_slot;
	__builtin_memcpy(p, z, sizeof(*p));
	pj_count(PJ_CNT_STARTED);
	if (p->seen & (1 << PJ_SEND)) {
		pj_count(PJ_CNT_STAGES);
		record_pair(p, PJ_SEND, stage, now - p->t0);
	}
	mark(p, stage, now, true);
	record_mem(p, skb, stage, true, typed);
	__sync_lock_test_and_set(key, addr); /* filled in: found from now on */
}

static __always_inline bool can_start(__u32 stage)
{
	return stage == PJ_QUEUE || stage == PJ_START || stage == PJ_RX || stage == PJ_RECV;
}

/*
 * skb (at addr) reached stage; with has_dev on skb->dev, else (the socket
 * stages, xmit) timed under the last device seen.
 */
static __always_inline int on_skb(struct sk_buff *skb, __u64 addr, __u32 stage, bool has_dev,
				  bool typed)
{
	struct pj_pkt *p;
	__u64 now, *key;

	if (!addr)
		return 0;
	p = ids__find(addr, &key);
	if (!p) {
		if (can_start(stage) && pj_active())
			start(skb, addr, stage, has_dev ? (__u64)BPF_CORE_READ(skb, dev) : 0, typed);
		return 0;
	}
	now = bpf_ktime_get_ns();
	if (stage <= p->last) {
		if (stage == PJ_XMIT && (p->seen & (1 << PJ_START)) && !(p->seen & (1 << PJ_XMIT))) {
			/* The driver returned after the receive side took the skb (lo, veth). */
			mark(p, stage, now, false);
			record_pair(p, PJ_START, PJ_XMIT, now - p->t0 - p->off[PJ_START]);
			return 0;
		}
		if (!can_start(stage))
			return 0; /* a repeat (e.g. a second copy of a partly read skb) */
		/* The skb was freed silently and its address reused. */
		end(p, key, addr, PJ_FATE_LOST, 0);
		if (pj_active())
			start(skb, addr, stage, has_dev ? (__u64)BPF_CORE_READ(skb, dev) : 0, typed);
		return 0;
	}
	if (has_dev)
		set_dev(p, (__u64)BPF_CORE_READ(skb, dev));
	record_pair(p, p->last, stage, now - p->last_ns);
	mark(p, stage, now, true);
	record_mem(p, skb, stage, false, typed);
	return 0;
}

/* skb (at addr) freed: consumed (reason 0) or dropped. Drops are counted followed or not. */
static __always_inline int on_free(struct sk_buff *skb, __u64 addr, __u32 reason)
{
	__u32 zero = 0, group = PJ_GROUP_UNTRACKED;
	struct pj_pkt *p = NULL, *tmp;
	struct pj_drop *d;
	__u64 *key, now;

	if (!addr)
		return 0;
	p = ids__find(addr, &key);
	if (p) {
		now = bpf_ktime_get_ns();
		group = group_of(p->last);
		record_pair(p, p->last, PJ_FREE, now - p->last_ns);
		mark(p, PJ_FREE, now, true);
		end(p, key, addr, reason ? PJ_FATE_DROPPED : PJ_FATE_CONSUMED, reason);
	} else if (reason) {
		if (filter_cfg.pid_on || filter_cfg.comm_on || filter_cfg.cgroup_on)
			return 0; /* no owner to match */
		if (targ_proto || pj_targ_port || targ_ifindex) {
			tmp = bpf_map_lookup_elem(&pj_scratch, &zero);
			if (!tmp)
				return 0;
			__builtin_memset(tmp, 0, sizeof(*tmp));
			parse_headers(skb, tmp, false);
			if (!pass_packet(tmp, BPF_CORE_READ(skb, dev)))
				return 0;
		}
	}
	if (!reason)
		return 0;
	d = ways__get(&pj_drops, PJ_MAX_DROPS, PJ_DROP_KEY(reason, group));
	if (d)
		d->count++;
	return 0;
}

/* tcp_sendmsg is about to queue data of sk (0: unknown) from this thread. */
static __always_inline int on_tcp_send(__u64 sk)
{
	__u32 zero = 0;
	struct pj_send *s;

	if (!pj_active())
		return 0;
	s = bpf_map_lookup_elem(&pj_sends, &zero);
	if (s) {
		s->ts = bpf_ktime_get_ns();
		s->sk = sk;
		s->tid = (__u32)bpf_get_current_pid_tgid();
	}
	return 0;
}

/* A socket send or receive returned ret bytes: the owner's bytes. */
static __always_inline int on_sock_bytes(struct sock *sk, int ret, bool tx)
{
	__u64 pid_tgid;
	__u32 tgid, tid;
	__u16 family, proto;
	struct pj_proc init;
	struct pj_send *snd;
	__u32 zero = 0;
	__u64 *c;
	__u8 pj;

	if (!pj_active())
		return 0;
	pid_tgid = bpf_get_current_pid_tgid();
	tgid = pid_tgid >> 32;
	tid = (__u32)pid_tgid;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	proto = BPF_CORE_READ(sk, sk_protocol);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (tx && proto == IP_PROTO_TCP) {
		snd = bpf_map_lookup_elem(&pj_sends, &zero);
		if (snd && snd->tid == tid)
			snd->ts = 0; /* the send is over */
	}
	if (ret <= 0)
		return 0;
	pj = proto == IP_PROTO_TCP ? PJ_PROTO_TCP : proto == IP_PROTO_UDP ? PJ_PROTO_UDP :
	     proto == IP_PROTO_ICMP || proto == IP_PROTO_ICMPV6 ? PJ_PROTO_ICMP : PJ_PROTO_OTHER;
	if (targ_proto && pj != targ_proto)
		return 0;
	if (pj_targ_port && BPF_CORE_READ(sk, __sk_common.skc_num) != pj_targ_port &&
	    bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport)) != pj_targ_port)
		return 0;
	if (!filter__pass(tgid))
		return 0;
	c = proc_cache__counters_n(&pj_proc_cache, PJ_CACHE_SLOTS, &pj_procs, tgid, &init,
				   sizeof(init), offsetof(struct pj_proc, comm), PJ_PROC_COUNTERS);
	if (!c) {
		pj_count(PJ_CNT_TABLE_FULL);
		return 0;
	}
	c[tx ? 0 : 1] += ret;
	return 0;
}

/*
 * The key of a tp_btf program's skb: the verifier allows no arithmetic (the
 * hashes) on typed pointers, but a pointer minus another is a plain number,
 * and minus a fixed one it is as unique as the address. The other rungs' skb
 * pointers are plain numbers already.
 */
static char pj_anchor;
#define BTF_KEY(skb) ((skb) ? (__u64)(skb) - (__u64)&pj_anchor : 0)

/* A stage seen at hook a: its skb from the typed arguments or the classic record (type). */
#define PJ_STAGE(a, type, stage, has_dev)                                                 \
	do {                                                                              \
		if ((a)->rung == HUB_RUNG_BTF) {                                          \
			on_skb((a)->skb, BTF_KEY((a)->skb), stage, has_dev, true);        \
		} else if ((a)->rung == HUB_RUNG_RAW) {                                   \
			on_skb((a)->skb, (__u64)(a)->skb, stage, has_dev, false);         \
		} else {                                                                  \
			/* tcp_probe's record has no skbaddr on 6.1: no stage there */    \
			struct sk_buff *skb =                                             \
				(struct sk_buff *)HUB_RECORD_OR(a, type, skbaddr, 0);     \
                                                                                          \
			if (skb)                                                          \
				on_skb(skb, (__u64)skb, stage, has_dev, false);           \
		}                                                                         \
	} while (0)

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
	PJ_STAGE(a, trace_event_raw_tcp_probe, PJ_TCP, false);
}

HUB_HANDLER(pktjourney, skb_copy_datagram_iovec)
{
	PJ_STAGE(a, trace_event_raw_skb_copy_datagram_iovec, PJ_COPY, false);
}

HUB_HANDLER(pktjourney, consume_skb)
{
	if (a->rung == HUB_RUNG_TP) {
		struct sk_buff *skb = HUB_RECORD(a, trace_event_raw_consume_skb)->skbaddr;

		on_free(skb, (__u64)skb, 0);
	} else {
		on_free(a->skb, a->rung == HUB_RUNG_BTF ? BTF_KEY(a->skb) : (__u64)a->skb, 0);
	}
}

HUB_HANDLER(pktjourney, kfree_skb)
{
	__u32 reason;

	if (a->rung == HUB_RUNG_TP) {
		struct trace_event_raw_kfree_skb *r = HUB_RECORD(a, trace_event_raw_kfree_skb);

		reason = r->reason;
		on_free(r->skbaddr, (__u64)r->skbaddr, reason > SKB_CONSUMED ? reason : 0);
	} else {
		reason = a->reason;
		on_free(a->skb, a->rung == HUB_RUNG_BTF ? BTF_KEY(a->skb) : (__u64)a->skb,
			reason > SKB_CONSUMED ? reason : 0);
	}
}

HUB_HANDLER(pktjourney, tcp_sendmsg_locked)
{
	on_tcp_send(a->rung == HUB_RUNG_TP ? 0 : (__u64)a->sk); /* no socket on that rung */
}

HUB_HANDLER(pktjourney, sock_send_length)
{
	if (a->rung == HUB_RUNG_TP)
		on_sock_bytes(HUB_RECORD(a, trace_event_raw_sock_msg_length)->sk,
			      HUB_RECORD(a, trace_event_raw_sock_msg_length)->ret, true);
	else
		on_sock_bytes(a->sk, a->ret, true);
}

HUB_HANDLER(pktjourney, sock_recv_length)
{
	if (a->rung == HUB_RUNG_TP)
		on_sock_bytes(HUB_RECORD(a, trace_event_raw_sock_msg_length)->sk,
			      HUB_RECORD(a, trace_event_raw_sock_msg_length)->ret, false);
	else
		on_sock_bytes(a->sk, a->ret, false);
}
