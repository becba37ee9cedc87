// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pktjourney: follow packets through the stack by skb address. The first
 * stage that sees an skb gives it an id (the id map); every later stage adds
 * the time since the previous one to a per-CPU histogram of that stage pair,
 * device and protocol; consume_skb / kfree_skb end the journey (drops counted
 * per reason and stage group). Skbs freed without a tracepoint (merged, GRO,
 * pure ACKs) end when their address comes back as a new packet, or when user
 * space reaps them. With --sample N a hash of the address and the time epoch
 * picks packets, so a packet not followed costs no map lookup.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "bpf/filter.bpf.h"
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

const volatile __u32 targ_sample = 1;	  /* follow 1 packet in N */
const volatile bool targ_packets = false; /* --packets: records over the ring buffer */
const volatile bool targ_mem = true;	  /* address heatmap and per-stage data table */
const volatile __u8 targ_proto = 0;	  /* enum pj_proto, 0 for any */
const volatile __u16 targ_port = 0;	  /* source or destination port, 0 for any */
const volatile __u32 targ_ifindex = 0;	  /* first device, 0 for any ... */
const volatile __u32 targ_netns = 0;	  /* ... in the network namespace of this inode */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PJ_MAX_PKTS);
	__type(key, __u64);
	__type(value, struct pj_pkt);
} pj_ids SEC(".maps");

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
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, PJ_MAX_PAIRS);
	__type(key, struct pj_pair_key);
	__type(value, struct pj_hist);
} pj_pairs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, PJ_MAX_DROPS);
	__type(key, struct pj_drop_key);
	__type(value, __u64);
} pj_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_STAGES);
	__type(key, __u32);
	__type(value, struct pj_mem);
} pj_mem SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, PJ_MAX_REGIONS);
	__type(key, __u64);
	__type(value, struct pj_region);
} pj_regions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, PJ_MAX_PROCS);
	__type(key, __u32);
	__type(value, struct pj_proc);
} pj_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pj_proc_cache);
} pj_proc_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PJ_CNT_MAX + 1); /* the last one: the id sequence */
	__type(key, __u32);
	__type(value, __u64);
} pj_counters SEC(".maps");

/* Zeroed values to create entries from (too large for the stack). */
struct pj_scratch {
	struct pj_hist hist;
	struct pj_pkt pkt;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pj_scratch);
} pj_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, PJ_RING_BYTES);
} pj_ring SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&pj_counters, &which);

	if (c)
		(*c)++;
}

static __always_inline bool sampled_at(__u64 addr, __u64 epoch)
{
	__u64 h = (addr >> 8) ^ (epoch * 0x9E3779B97F4A7C15ULL);

	h ^= h >> 31;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 29;
	return h % targ_sample == 0;
}

/* May a packet at addr be followed? start: decide now; else it may have started one epoch ago. */
static __always_inline bool sampled(__u64 addr, __u64 now, bool start)
{
	__u64 e = now >> PJ_EPOCH_SHIFT;

	if (targ_sample <= 1)
		return true;
	return sampled_at(addr, e) || (!start && sampled_at(addr, e - 1));
}

static __always_inline __u32 group_of(__u8 stage)
{
	if (stage <= PJ_XMIT)
		return PJ_GROUP_TX;
	if (stage <= PJ_RECV)
		return PJ_GROUP_RX;
	return PJ_GROUP_SOCK;
}

static __always_inline void read_dev(char *dst, struct net_device *dev)
{
	if (!dev || bpf_probe_read_kernel(dst, PJ_DEV_LEN, &dev->name))
		__builtin_memset(dst, 0, PJ_DEV_LEN);
}

/* Protocol, ports and IPv4 addresses from the skb's headers. */
static __always_inline void parse_headers(struct sk_buff *skb, struct pj_pkt *p)
{
	unsigned char *head = BPF_CORE_READ(skb, head), *l3;
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 eth = bpf_ntohs(BPF_CORE_READ(skb, protocol));
	__u16 ports[2];
	__u32 l4off;
	__u8 l4;

	/* Unset on a fresh receive skb (0 or ~0): the driver left data at the IP header. */
	l3 = nh && nh != NO_HEADER ? head + nh : BPF_CORE_READ(skb, data);
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
	if (targ_port && p->sport != targ_port && p->dport != targ_port)
		return false;
	if (targ_ifindex) {
		if (!dev || BPF_CORE_READ(dev, ifindex) != targ_ifindex ||
		    BPF_CORE_READ(dev, nd_net.net, ns.inum) != targ_netns)
			return false;
	}
	return true;
}

static __always_inline void record_pair(__u8 from, __u8 to, __u8 proto, const char *dev,
					__u64 delta)
{
	struct pj_pair_key k = { .from = from, .to = to, .proto = proto };
	struct pj_scratch *z;
	struct pj_hist *h;
	__u32 zero = 0, slot;

	__builtin_memcpy(k.dev, dev, PJ_DEV_LEN);
	h = bpf_map_lookup_elem(&pj_pairs, &k);
	if (!h) {
		z = bpf_map_lookup_elem(&pj_scratch, &zero);
		if (!z)
			return;
		bpf_map_update_elem(&pj_pairs, &k, &z->hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&pj_pairs, &k);
		if (!h) {
			count(PJ_CNT_TABLE_FULL);
			return;
		}
	}
	slot = log2_slot(delta);
	if (slot >= PJ_SLOTS)
		slot = PJ_SLOTS - 1;
	h->slots[slot]++;
	h->sum += delta;
}

/* Where the data is at this stage; the heatmap counts the first stage only. */
static __always_inline void record_mem(struct pj_pkt *p, struct sk_buff *skb, __u32 stage,
				       bool first)
{
	struct pj_region *r, zr = {};
	struct pj_mem *m;
	__u64 hd[2] = {}, region; /* skb->head, skb->data: adjacent in struct sk_buff */

	if (!targ_mem)
		return;
	m = bpf_map_lookup_elem(&pj_mem, &stage);
	if (!m)
		return;
	bpf_core_read(hd, sizeof(hd), &skb->head);
	m->pkts++;
	m->paged += BPF_CORE_READ(skb, data_len) > 0;
	if (!first && hd[0] != p->head)
		m->moved++;
	p->head = hd[0];
	if (!first)
		return;
	region = hd[1] >> PJ_REGION_SHIFT;
	r = bpf_map_lookup_elem(&pj_regions, &region);
	if (!r) {
		bpf_map_update_elem(&pj_regions, &region, &zr, BPF_NOEXIST);
		r = bpf_map_lookup_elem(&pj_regions, &region);
		if (!r) {
			count(PJ_CNT_TABLE_FULL);
			return;
		}
	}
	r->pkts++;
	r->bytes += p->len;
}

/* Emit the record of a journey that ended (with --packets). */
static __always_inline void emit(const struct pj_pkt *p, __u32 fate, __u32 reason)
{
	struct pj_record *r;

	if (!targ_packets)
		return;
	r = bpf_ringbuf_reserve(&pj_ring, sizeof(*r), 0);
	if (!r) {
		count(PJ_CNT_RING_FULL);
		return;
	}
	__builtin_memcpy(&r->pkt, p, sizeof(*p));
	r->fate = fate;
	r->reason = reason;
	bpf_ringbuf_submit(r, 0);
}

/* Time a stage: ns since t0 (saturated), the stage pair histogram, the chain. */
static __always_inline void mark(struct pj_pkt *p, __u32 stage, __u64 now, bool chain)
{
	__u64 off = now - p->t0;

	if (stage >= PJ_STAGES)
		return;
	p->off[stage] = off > 0xffffffffULL ? 0xffffffff : (__u32)off;
	p->seen |= 1 << stage;
	count(PJ_CNT_STAGES);
	if (!chain)
		return;
	p->last = stage;
	p->last_ns = now;
}

/* A new journey for skb at stage; NULL when filtered out or the id map is full. */
static __always_inline struct pj_pkt *start(struct sk_buff *skb, __u64 addr, __u32 stage,
					    struct net_device *dev, __u64 now)
{
	__u32 zero = 0, seq_key = PJ_CNT_MAX;
	struct pj_scratch *z;
	struct pj_send *snd;
	struct pj_pkt *p;
	__u64 *seq;
	__u32 tid;

	if (filter_cfg.pid_on || filter_cfg.comm_on || filter_cfg.cgroup_on) {
		/* Only packets sent from a process' context can be told apart. */
		if ((stage != PJ_QUEUE && stage != PJ_START) || !BPF_CORE_READ(skb, sk) ||
		    !filter__pass(bpf_get_current_pid_tgid() >> 32))
			return NULL;
	}
	z = bpf_map_lookup_elem(&pj_scratch, &zero);
	seq = bpf_map_lookup_elem(&pj_counters, &seq_key);
	if (!z || !seq)
		return NULL;
	p = &z->pkt;
	__builtin_memset(p, 0, sizeof(*p));
	parse_headers(skb, p);
	if (!pass_packet(p, dev))
		return NULL;
	p->id = (++*seq << 12) | bpf_get_smp_processor_id();
	p->t0 = now;
	p->len = BPF_CORE_READ(skb, len);
	read_dev(p->dev0, dev);
	__builtin_memcpy(p->dev, p->dev0, PJ_DEV_LEN);
	if (stage == PJ_QUEUE && p->proto == PJ_PROTO_TCP) {
		/* Sent from tcp_sendmsg in this thread: the journey starts there. */
		tid = (__u32)bpf_get_current_pid_tgid();
		snd = bpf_map_lookup_elem(&pj_sends, &zero);
		if (snd && snd->tid == tid && snd->ts && snd->ts <= now &&
		    now - snd->ts < PJ_SEND_MAX_NS &&
		    (!snd->sk || snd->sk == (__u64)BPF_CORE_READ(skb, sk))) {
			p->t0 = snd->ts;
			p->seen = 1 << PJ_SEND;
			p->last = PJ_SEND;
			p->last_ns = snd->ts;
		}
	}
	if (bpf_map_update_elem(&pj_ids, &addr, p, BPF_NOEXIST)) {
		count(PJ_CNT_IDS_FULL);
		return NULL;
	}
	count(PJ_CNT_STARTED);
	p = bpf_map_lookup_elem(&pj_ids, &addr);
	if (!p)
		return NULL;
	if (p->seen & (1 << PJ_SEND)) {
		count(PJ_CNT_STAGES);
		record_pair(PJ_SEND, stage, p->proto, p->dev, now - p->t0);
	}
	mark(p, stage, now, true);
	record_mem(p, skb, stage, true);
	return p;
}

static __always_inline bool can_start(__u32 stage)
{
	return stage == PJ_QUEUE || stage == PJ_START || stage == PJ_RX || stage == PJ_RECV;
}

/*
 * skb reached stage on device dev, or on skb->dev with skb_dev; the socket
 * stages have none (NULL) and are timed under the last device seen.
 */
static __always_inline int on_skb(struct sk_buff *skb, __u32 stage, struct net_device *dev,
				  bool skb_dev)
{
	__u64 addr = (__u64)skb, now = bpf_ktime_get_ns();
	struct pj_pkt *p;

	if (!skb || !sampled(addr, now, false))
		return 0;
	if (skb_dev)
		dev = BPF_CORE_READ(skb, dev);
	p = bpf_map_lookup_elem(&pj_ids, &addr);
	if (p && stage <= p->last) {
		if (stage == PJ_XMIT && (p->seen & (1 << PJ_START)) && !(p->seen & (1 << PJ_XMIT))) {
			/* The driver returned after the receive side took the skb (lo, veth). */
			mark(p, stage, now, false);
			record_pair(PJ_START, PJ_XMIT, p->proto, p->dev, now - p->t0 - p->off[PJ_START]);
			return 0;
		}
		if (!can_start(stage))
			return 0; /* a repeat (e.g. a second copy of a partly read skb) */
		/* The skb was freed silently and its address reused. */
		count(PJ_CNT_LOST);
		emit(p, PJ_FATE_LOST, 0);
		bpf_map_delete_elem(&pj_ids, &addr);
		p = NULL;
	}
	if (!p) {
		if (can_start(stage) && sampled(addr, now, true))
			start(skb, addr, stage, dev, now);
		return 0;
	}
	if (dev)
		read_dev(p->dev, dev);
	record_pair(p->last, stage, p->proto, p->dev, now - p->last_ns);
	mark(p, stage, now, true);
	record_mem(p, skb, stage, false);
	return 0;
}

/* skb freed: consumed (reason 0) or dropped. Drops are counted whether followed or not. */
static __always_inline int on_free(struct sk_buff *skb, __u32 reason)
{
	__u64 addr = (__u64)skb, now = bpf_ktime_get_ns();
	struct pj_drop_key dk = { .reason = reason, .group = PJ_GROUP_UNTRACKED };
	struct pj_pkt *p = NULL, *tmp;
	struct pj_scratch *z;
	__u64 one = 1, *cnt;
	__u32 zero = 0;

	if (!skb)
		return 0;
	if (sampled(addr, now, false))
		p = bpf_map_lookup_elem(&pj_ids, &addr);
	if (p) {
		dk.group = group_of(p->last);
		record_pair(p->last, PJ_FREE, p->proto, p->dev, now - p->last_ns);
		mark(p, PJ_FREE, now, true);
		count(reason ? PJ_CNT_DROPPED : PJ_CNT_CONSUMED);
		emit(p, reason ? PJ_FATE_DROPPED : PJ_FATE_CONSUMED, reason);
		bpf_map_delete_elem(&pj_ids, &addr);
	} else if (reason) {
		if (filter_cfg.pid_on || filter_cfg.comm_on || filter_cfg.cgroup_on)
			return 0; /* no owner to match */
		if (targ_proto || targ_port || targ_ifindex) {
			z = bpf_map_lookup_elem(&pj_scratch, &zero);
			if (!z)
				return 0;
			tmp = &z->pkt;
			__builtin_memset(tmp, 0, sizeof(*tmp));
			parse_headers(skb, tmp);
			if (!pass_packet(tmp, BPF_CORE_READ(skb, dev)))
				return 0;
		}
	}
	if (!reason)
		return 0;
	cnt = bpf_map_lookup_elem(&pj_drops, &dk);
	if (cnt) {
		(*cnt)++;
	} else if (bpf_map_update_elem(&pj_drops, &dk, &one, BPF_NOEXIST)) {
		count(PJ_CNT_TABLE_FULL);
	}
	return 0;
}

/* tcp_sendmsg is about to queue data of sk (0: unknown) from this thread. */
static __always_inline int on_tcp_send(__u64 sk)
{
	__u32 zero = 0;
	struct pj_send *s = bpf_map_lookup_elem(&pj_sends, &zero);

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
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, tid = (__u32)pid_tgid;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 proto = BPF_CORE_READ(sk, sk_protocol);
	struct pj_proc init = {};
	struct pj_send *snd;
	__u32 zero = 0;
	__u64 *c;
	__u8 pj;

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
	if (targ_port && BPF_CORE_READ(sk, __sk_common.skc_num) != targ_port &&
	    bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport)) != targ_port)
		return 0;
	if (!filter__pass(tgid))
		return 0;
	c = proc_cache__counters(&pj_proc_cache, &pj_procs, tgid, &init,
				 offsetof(struct pj_proc, comm), PJ_PROC_COUNTERS);
	if (!c) {
		count(PJ_CNT_TABLE_FULL);
		return 0;
	}
	c[tx ? 0 : 1] += ret;
	return 0;
}

/*
 * Argument n of a tp_btf program as a plain number: the verifier allows no
 * arithmetic (the sampling hash) on its typed pointers.
 */
static __always_inline struct sk_buff *skb_arg(unsigned long long *ctx, int n)
{
	struct sk_buff *skb = NULL;

	bpf_probe_read_kernel(&skb, sizeof(skb), &ctx[n]);
	return skb;
}

/* Each hook three times: tp_btf, raw_tp, classic tracepoint. */
#define SKB_HOOK(name, cat, stage)                                        \
	SEC("tp_btf/" #name)                                              \
	int BPF_PROG(name##_btf)                                          \
	{                                                                 \
		return on_skb(skb_arg(ctx, 0), stage, NULL, true);        \
	}                                                                 \
	SEC("raw_tp/" #name)                                              \
	int BPF_PROG(name##_raw, struct sk_buff *skb)                     \
	{                                                                 \
		return on_skb(skb, stage, NULL, true);       \
	}                                                                 \
	SEC("tracepoint/" #cat "/" #name)                                 \
	int name##_tp(struct trace_event_raw_net_dev_template *ctx)       \
	{                                                                 \
		struct sk_buff *skb = ctx->skbaddr;                       \
		return on_skb(skb, stage, NULL, true);       \
	}

SKB_HOOK(net_dev_queue, net, PJ_QUEUE)
SKB_HOOK(netif_rx, net, PJ_RX)
SKB_HOOK(netif_receive_skb, net, PJ_RECV)

SEC("tp_btf/napi_gro_receive_entry")
int BPF_PROG(napi_gro_btf)
{
	return on_skb(skb_arg(ctx, 0), PJ_RX, NULL, true);
}

SEC("raw_tp/napi_gro_receive_entry")
int BPF_PROG(napi_gro_raw, struct sk_buff *skb)
{
	return on_skb(skb, PJ_RX, NULL, true);
}

SEC("tracepoint/net/napi_gro_receive_entry")
int napi_gro_tp(struct trace_event_raw_net_dev_rx_verbose_template *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;

	return on_skb(skb, PJ_RX, NULL, true);
}

SEC("tp_btf/qdisc_enqueue")
int BPF_PROG(qdisc_enq_btf)
{
	return on_skb(skb_arg(ctx, 2), PJ_ENQ, NULL, true);
}

SEC("raw_tp/qdisc_enqueue")
int BPF_PROG(qdisc_enq_raw, struct Qdisc *q, struct netdev_queue *txq, struct sk_buff *skb)
{
	return on_skb(skb, PJ_ENQ, NULL, true);
}

SEC("tracepoint/qdisc/qdisc_enqueue")
int qdisc_enq_tp(struct trace_event_raw_qdisc_enqueue *ctx)
{
	struct sk_buff *skb = ctx->skbaddr;

	return on_skb(skb, PJ_ENQ, NULL, true);
}

SEC("tp_btf/qdisc_dequeue")
int BPF_PROG(qdisc_deq_btf)
{
	return on_skb(skb_arg(ctx, 3), PJ_DEQ, NULL, true);
}

SEC("raw_tp/qdisc_dequeue")
int BPF_PROG(qdisc_deq_raw, struct Qdisc *q, struct netdev_queue *txq, int n, struct sk_buff *skb)
{
	return on_skb(skb, PJ_DEQ, NULL, true);
}

SEC("tracepoint/qdisc/qdisc_dequeue")
int qdisc_deq_tp(struct trace_event_raw_qdisc_dequeue *ctx)
{
	struct sk_buff *skb = ctx->skbaddr;

	return on_skb(skb, PJ_DEQ, NULL, true);
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(start_xmit_btf, struct sk_buff *skb, struct net_device *dev)
{
	return on_skb(skb_arg(ctx, 0), PJ_START, dev, false);
}

SEC("raw_tp/net_dev_start_xmit")
int BPF_PROG(start_xmit_raw, struct sk_buff *skb, struct net_device *dev)
{
	return on_skb(skb, PJ_START, dev, false);
}

SEC("tracepoint/net/net_dev_start_xmit")
int start_xmit_tp(struct trace_event_raw_net_dev_start_xmit *ctx)
{
	struct sk_buff *skb = (struct sk_buff *)ctx->skbaddr;

	return on_skb(skb, PJ_START, NULL, true);
}

SEC("tp_btf/net_dev_xmit")
int BPF_PROG(xmit_btf, struct sk_buff *skb, int rc, struct net_device *dev)
{
	return on_skb(skb_arg(ctx, 0), PJ_XMIT, dev, false);
}

SEC("raw_tp/net_dev_xmit")
int BPF_PROG(xmit_raw, struct sk_buff *skb, int rc, struct net_device *dev)
{
	return on_skb(skb, PJ_XMIT, dev, false);
}

SEC("tracepoint/net/net_dev_xmit")
int xmit_tp(struct trace_event_raw_net_dev_xmit *ctx)
{
	return on_skb(ctx->skbaddr, PJ_XMIT, NULL, false);
}

SEC("tp_btf/tcp_probe")
int BPF_PROG(tcp_probe_btf)
{
	return on_skb(skb_arg(ctx, 1), PJ_TCP, NULL, false);
}

SEC("raw_tp/tcp_probe")
int BPF_PROG(tcp_probe_raw, struct sock *sk, struct sk_buff *skb)
{
	return on_skb(skb, PJ_TCP, NULL, false);
}

SEC("tracepoint/tcp/tcp_probe")
int tcp_probe_tp(struct trace_event_raw_tcp_probe *ctx)
{
	return on_skb((struct sk_buff *)ctx->skbaddr, PJ_TCP, NULL, false);
}

SEC("tp_btf/skb_copy_datagram_iovec")
int BPF_PROG(copy_btf)
{
	return on_skb(skb_arg(ctx, 0), PJ_COPY, NULL, false);
}

SEC("raw_tp/skb_copy_datagram_iovec")
int BPF_PROG(copy_raw, struct sk_buff *skb)
{
	return on_skb(skb, PJ_COPY, NULL, false);
}

SEC("tracepoint/skb/skb_copy_datagram_iovec")
int copy_tp(struct trace_event_raw_skb_copy_datagram_iovec *ctx)
{
	return on_skb((struct sk_buff *)ctx->skbaddr, PJ_COPY, NULL, false);
}

SEC("tp_btf/consume_skb")
int BPF_PROG(consume_btf)
{
	return on_free(skb_arg(ctx, 0), 0);
}

SEC("raw_tp/consume_skb")
int BPF_PROG(consume_raw, struct sk_buff *skb)
{
	return on_free(skb, 0);
}

SEC("tracepoint/skb/consume_skb")
int consume_tp(struct trace_event_raw_consume_skb *ctx)
{
	return on_free(ctx->skbaddr, 0);
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(kfree_btf, struct sk_buff *skb, void *loc, enum skb_drop_reason reason)
{
	return on_free(skb_arg(ctx, 0), reason > SKB_CONSUMED ? reason : 0);
}

SEC("raw_tp/kfree_skb")
int BPF_PROG(kfree_raw, struct sk_buff *skb, void *loc, enum skb_drop_reason reason)
{
	return on_free(skb, reason > SKB_CONSUMED ? reason : 0);
}

SEC("tracepoint/skb/kfree_skb")
int kfree_tp(struct trace_event_raw_kfree_skb *ctx)
{
	return on_free(ctx->skbaddr, ctx->reason > SKB_CONSUMED ? ctx->reason : 0);
}

SEC("tp_btf/tcp_sendmsg_locked")
int BPF_PROG(tcp_send_btf, struct sock *sk)
{
	return on_tcp_send((__u64)sk);
}

SEC("raw_tp/tcp_sendmsg_locked")
int BPF_PROG(tcp_send_raw, struct sock *sk)
{
	return on_tcp_send((__u64)sk);
}

SEC("tracepoint/tcp/tcp_sendmsg_locked")
int tcp_send_tp(void *ctx)
{
	return on_tcp_send(0); /* this rung does not give the socket */
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(send_len_btf, struct sock *sk, int ret)
{
	return on_sock_bytes(sk, ret, true);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(send_len_raw, struct sock *sk, int ret)
{
	return on_sock_bytes(sk, ret, true);
}

SEC("tracepoint/sock/sock_send_length")
int send_len_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return on_sock_bytes(ctx->sk, ctx->ret, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(recv_len_btf, struct sock *sk, int ret)
{
	return on_sock_bytes(sk, ret, false);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(recv_len_raw, struct sock *sk, int ret)
{
	return on_sock_bytes(sk, ret, false);
}

SEC("tracepoint/sock/sock_recv_length")
int recv_len_tp(struct trace_event_raw_sock_msg_length *ctx)
{
	return on_sock_bytes(ctx->sk, ctx->ret, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
