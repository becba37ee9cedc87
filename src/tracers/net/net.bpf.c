// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The network engine of netproc, tcpconnect and tcplife: one object, set up
 * per tracer through the targ_* tunables and the programs it loads.
 *
 * TCP connections are followed by sock:inet_sock_set_state, keyed by the
 * struct sock address. The process is taken only where its context is
 * certain: CLOSE -> SYN_SENT runs inside connect(); an accepted connection
 * belongs to the process that first sends, receives or closes on it (no hook
 * on accept() itself: a syscall-exit hook puts every syscall of every process
 * on the kernel's slow path). The handshake ends in softirq, so the events
 * there take the process recorded in the connection entry.
 * Per-process bytes come from sock:sock_send_length/sock_recv_length (the
 * socket layer, in the caller's context); page faults from the
 * page-faults-min/maj perf software events, the counters `perf stat` reads.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "bpf/counters.bpf.h"
#include "bpf/hub.bpf.h"
#include "bpf/log2.bpf.h"
#include "tracers/net/net.h"

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define MSG_PEEK 2
#define ENETUNREACH 101
#define ETIMEDOUT 110
#define ECONNREFUSED 111
#define EHOSTUNREACH 113

const volatile bool targ_emit_connects = false; /* tcpconnect: connect and accept events */
const volatile bool targ_emit_closes = false;	/* tcplife: close events */
const volatile bool targ_count_procs = false;	/* netproc: per-process counters, latency */
/* Event filters, [0] of connect and accept events (tcpconnect), [1] of close events (tcplife): */
const volatile __u16 targ_ev_family[2] = {}; /* events of AF_INET or AF_INET6 only; 0: both */
const volatile __u16 targ_ev_port[2] = {};   /* events with this local or remote port only */
const volatile __u64 targ_min_ns = 0;		/* connect events at least this slow only */

HUB_PROCS_MAP(netproc, net_procs, struct net_proc, NET_PROC_COUNTERS, NET_MAX_PROCS);



struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NET_MAX_CONNS);
	__type(key, __u64);
	__type(value, struct net_conn);
} net_conns SEC(".maps");

/*
 * Sockets whose entry in net_conns has its owner, a few per CPU: a send or
 * receive on one has nothing to do there, and looking it up (a cache miss or
 * two in a table of NET_MAX_CONNS) was most of the cost of the handlers on
 * every send and receive. An entry holds while net_conn_gen has not moved
 * since it was made: it moves whenever an entry of net_conns is deleted or
 * made without an owner (a closed socket's address may come back as an
 * accepted connection's). An entry the LRU table evicts stays known here
 * until the next such move (the table is full then anyway).
 */
#define NET_OWNED_SLOTS 16
struct net_owned {
	__u64 sk;
	__u64 gen;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_OWNED_SLOTS);
	__type(key, __u32);
	__type(value, struct net_owned);
} net_owned SEC(".maps");

__u64 net_conn_gen = 0;

/* Connect latency per process: key tgid << 32 | log2 slot of us (or NET_LAT_SUM_SLOT). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NET_MAX_LAT_KEYS);
	__type(key, __u64);
	__type(value, __u64);
} net_lat SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, NET_RING_BYTES);
} net_events SEC(".maps");

BPF_COUNTERS(net_drops, NET_DROP_MAX);

/*
 * The current process' counters to increment, in the hub's process cell
 * (process context only: softirq hooks charge owner_proc). No comm: that is
 * in net_procs. NULL when the table is full.
 */
static __always_inline struct net_proc *current_proc(struct hub_ctx *hc, __u32 tgid)
{
	__u64 *c = hub__proc_counters(hc, HUB_PART_netproc, tgid);

	if (!c)
		counters__inc(&net_drops, NET_DROP_PROCS_FULL);
	return (struct net_proc *)c;
}

/* The counters of the process owning connection c (any context), NULL when unknown. */
static __always_inline struct net_proc *owner_proc(const struct net_conn *c)
{
	struct net_proc init = {};
	struct net_proc *p;
	__u32 tgid = c->tgid;

	if (!tgid)
		return NULL;
	p = bpf_map_lookup_elem(&net_procs, &tgid);
	if (p)
		return p;
	__builtin_memcpy(init.comm, c->comm, NET_COMM_LEN);
	bpf_map_update_elem(&net_procs, &tgid, &init, BPF_NOEXIST);
	p = bpf_map_lookup_elem(&net_procs, &tgid);
	if (!p)
		counters__inc(&net_drops, NET_DROP_PROCS_FULL);
	return p;
}

static __always_inline void lat_add(__u64 key, __u64 v)
{
	__u64 *cnt = bpf_map_lookup_elem(&net_lat, &key);

	if (!cnt && !bpf_map_update_elem(&net_lat, &key, &v, BPF_NOEXIST))
		return;
	if (!cnt)
		cnt = bpf_map_lookup_elem(&net_lat, &key); /* another CPU created it */
	if (cnt)
		__sync_fetch_and_add(cnt, v);
	else
		counters__inc(&net_drops, NET_DROP_LAT_FULL);
}

static __always_inline void net_record_latency(__u32 tgid, __u64 ns)
{
	__u64 us = ns / 1000;

	lat_add((__u64)tgid << 32 | log2_slot(us), 1);
	lat_add((__u64)tgid << 32 | NET_LAT_SUM_SLOT, us);
}

static __always_inline __u8 connect_result(__u32 err)
{
	switch (err) {
	case 0:
		return NET_RES_ABORTED;
	case ECONNREFUSED:
		return NET_RES_REFUSED;
	case ETIMEDOUT:
		return NET_RES_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH:
		return NET_RES_UNREACHABLE;
	default:
		return NET_RES_ERROR;
	}
}

/* Data bytes received: bytes_received counts the peer's FIN as one byte when it came. */
static __always_inline __u64 rx_data_bytes(struct sock *sk)
{
	__u64 rx = BPF_CORE_READ((struct tcp_sock *)sk, bytes_received);
	unsigned long flags = BPF_CORE_READ(sk, __sk_common.skc_flags);

	if (rx && (flags & (1UL << bpf_core_enum_value(enum sock_flags, SOCK_DONE))))
		rx--;
	return rx;
}

/* Send one event about sk to user space, unless the tracer's filters leave it out. */
static __always_inline void emit(struct sock *sk, const struct net_conn *c, __u8 kind,
				 __u32 err, __u64 now)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	/* inet_sport: skc_num is already cleared when a closing socket leaves its port. */
	__u16 sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	__u16 dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	int f = kind == NET_EV_CLOSE;
	struct net_event *e;

	if (targ_ev_family[f] && family != targ_ev_family[f])
		return;
	if (targ_ev_port[f] && sport != targ_ev_port[f] && dport != targ_ev_port[f])
		return;
	if (kind != NET_EV_CLOSE && c->latency_ns < targ_min_ns)
		return;
	e = bpf_ringbuf_reserve(&net_events, sizeof(*e), 0);
	if (!e) {
		counters__inc(&net_drops, NET_DROP_RING);
		return;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = now;
	e->sk = (__u64)(unsigned long)sk;
	e->latency_ns = c->latency_ns;
	e->tgid = c->tgid;
	e->family = family;
	e->sport = sport;
	e->dport = dport;
	e->kind = kind;
	e->active = c->active;
	e->resets = c->resets;
	e->err = err;
	e->result = kind == NET_EV_CONNECT && err ? connect_result(err) :
		    err ? NET_RES_ABORTED : NET_RES_ESTABLISHED;
	__builtin_memcpy(e->comm, c->comm, NET_COMM_LEN);
	if (family == AF_INET) {
		bpf_core_read(e->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(e->daddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_core_read(e->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(e->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	if (kind == NET_EV_CLOSE) {
		e->duration_ns = now - c->est_ns;
		e->tx_bytes = BPF_CORE_READ(tp, bytes_sent) - BPF_CORE_READ(tp, bytes_retrans);
		e->rx_bytes = rx_data_bytes(sk);
		e->retrans = BPF_CORE_READ(tp, total_retrans);
	}
	bpf_ringbuf_submit(e, 0);
}

/* CLOSE -> SYN_SENT: inside connect(), the caller's context. */
static __always_inline void on_connect(struct hub_ctx *hc, __u64 key, __u64 now)
{
	__u32 tgid = hub__tgid(hc);
	struct net_conn c = { .start_ns = now, .tgid = tgid, .active = 1 };
	struct net_proc *p;

	if (!hub__pass(hc))
		return;
	bpf_get_current_comm(c.comm, sizeof(c.comm));
	bpf_map_update_elem(&net_conns, &key, &c, BPF_ANY);
	if (!targ_count_procs)
		return;
	p = current_proc(hc, tgid);
	if (p)
		p->tcp_connects++;
}

/* SYN_RECV -> ESTABLISHED: the final ACK, in softirq; no process until accept(). */
static __always_inline void on_passive_established(__u64 key, struct sock *sk, __u64 now)
{
	/* The kernel measured the SYN-ACK round trip into srtt (us << 3) just before. */
	__u64 lat = (__u64)(BPF_CORE_READ((struct tcp_sock *)sk, srtt_us) >> 3) * 1000;
	struct net_conn c = { .start_ns = now - lat, .est_ns = now, .latency_ns = lat };

	bpf_map_update_elem(&net_conns, &key, &c, BPF_ANY);
	__sync_fetch_and_add(&net_conn_gen, 1); /* no owner yet: see net_owned */
}

/*
 * Process tgid (the caller) sent, received or closed first on passive
 * connection c: it accepted it.
 */
static __always_inline void on_accepted(struct hub_ctx *hc, struct sock *sk, struct net_conn *c,
					__u32 tgid)
{
	struct net_proc *p;

	c->tgid = tgid;
	bpf_get_current_comm(c->comm, sizeof(c->comm));
	if (targ_count_procs) {
		p = current_proc(hc, tgid);
		if (p)
			p->tcp_accepts++;
	}
	if (targ_emit_connects)
		emit(sk, c, NET_EV_ACCEPT, 0, bpf_ktime_get_ns());
}

/* Entered only by close() or shutdown() of the socket, in the caller's context. */
static __always_inline bool closed_by_owner(int old, int new)
{
	return (old == TCP_ESTABLISHED && new == TCP_FIN_WAIT1) ||
	       (old == TCP_CLOSE_WAIT && new == TCP_LAST_ACK);
}

static __always_inline int net_on_state(struct hub_ctx *hc, struct sock *sk, int old, int new)
{
	__u64 key = (__u64)sk, now;
	struct net_conn *c;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	now = bpf_ktime_get_ns();
	if (new == TCP_SYN_SENT) {
		on_connect(hc, key, now);
		return 0;
	}
	if (new == TCP_ESTABLISHED && old == TCP_SYN_RECV) {
		on_passive_established(key, sk, now);
		return 0;
	}
	c = bpf_map_lookup_elem(&net_conns, &key);
	if (!c)
		return 0;
	if (new == TCP_ESTABLISHED && old == TCP_SYN_SENT) {
		c->est_ns = now;
		c->latency_ns = now - c->start_ns;
		if (targ_count_procs)
			net_record_latency(c->tgid, c->latency_ns);
		if (targ_emit_connects)
			emit(sk, c, NET_EV_CONNECT, 0, now);
		return 0;
	}
	if (!c->tgid && closed_by_owner(old, new)) {
		/* An accepted connection closed before any send or receive. */
		if (BPF_CORE_READ(sk, sk_socket) && hub__pass(hc))
			on_accepted(hc, sk, c, hub__tgid(hc));
		return 0;
	}
	if (new != TCP_CLOSE)
		return 0;
	if (old == TCP_SYN_SENT && c->active && targ_emit_connects) {
		c->latency_ns = now - c->start_ns;
		emit(sk, c, NET_EV_CONNECT, BPF_CORE_READ(sk, sk_err), now);
	} else if (c->est_ns && c->tgid && targ_emit_closes) {
		emit(sk, c, NET_EV_CLOSE, 0, now);
	}
	bpf_map_delete_elem(&net_conns, &key);
	__sync_fetch_and_add(&net_conn_gen, 1); /* see net_owned */
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): one counter per handler, no
 * indirection on the hot path.
 */
static __always_inline int net_on_reset(struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct net_conn *c;
	struct net_proc *p;

	if (!sk)
		return 0;
	c = bpf_map_lookup_elem(&net_conns, &key);
	if (!c)
		return 0;
	c->resets++;
	if (!targ_count_procs)
		return 0;
	p = owner_proc(c);
	if (p)
		p->tcp_resets++;
	return 0;
}

/* Alike to net_on_reset by design: its own counter, no indirection. */
static __always_inline int net_on_retransmit(struct sock *sk)
{
	__u64 key = (__u64)sk;
	struct net_conn *c = bpf_map_lookup_elem(&net_conns, &key);
	struct net_proc *p;

	if (!c)
		return 0;
	p = owner_proc(c);
	if (p)
		p->tcp_retrans++;
	return 0;
}

/*
 * The caller sent or received on TCP socket sk: the first time, it accepted
 * it, or, for a connection opened before we started, it is the owner to
 * charge its retransmits and resets to.
 */
static __always_inline void on_tcp_io(struct hub_ctx *hc, struct sock *sk, __u32 sk_id,
				      __u32 tgid)
{
	struct net_conn owner = { .tgid = tgid };
	__u64 key = (__u64)sk, gen = net_conn_gen; /* read before net_conns: see net_owned */
	__u32 slot = (sk_id * 2654435761U) >> 28; /* of NET_OWNED_SLOTS */
	struct net_owned *known = bpf_map_lookup_elem(&net_owned, &slot);
	struct net_conn *c;

	if (known && known->sk == key && known->gen == gen)
		return;
	c = bpf_map_lookup_elem(&net_conns, &key);
	if (c) {
		if (!c->tgid)
			on_accepted(hc, sk, c, tgid);
	} else {
		bpf_get_current_comm(owner.comm, sizeof(owner.comm));
		bpf_map_update_elem(&net_conns, &key, &owner, BPF_NOEXIST);
	}
	if (known) {
		known->sk = key;
		known->gen = gen;
	}
}

/*
 * A send or receive on a socket returned ret (bytes), in the caller's context.
 * sk_id: a number that tells sk from other sockets most of the time (its hash
 * where sk is a typed pointer, else its address; arithmetic on a typed pointer
 * is refused).
 */
static __always_inline int net_on_io(struct hub_ctx *hc, struct sock *sk, __u32 sk_id,
				     __u16 family, __u16 proto, int ret, int flags, bool tx)
{
	struct net_proc *p;
	__u32 tgid;

	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (proto == IPPROTO_TCP ? ret <= 0 : !targ_count_procs || proto != IPPROTO_UDP || ret < 0)
		return 0;
	if (!tx && (flags & MSG_PEEK))
		return 0;
	if (!hub__pass(hc))
		return 0;
	tgid = hub__tgid(hc);
	if (proto == IPPROTO_TCP)
		on_tcp_io(hc, sk, sk_id, tgid);
	if (!targ_count_procs)
		return 0;
	p = current_proc(hc, tgid);
	if (!p)
		return 0;
	if (proto == IPPROTO_UDP) {
		if (tx) {
			p->udp_tx_pkts++;
			p->udp_tx_bytes += ret;
		} else {
			p->udp_rx_pkts++;
			p->udp_rx_bytes += ret;
		}
	} else if (tx) {
		p->tcp_tx_bytes += ret;
	} else {
		p->tcp_rx_bytes += ret;
	}
	return 0;
}

static __always_inline int on_fault(bool major)
{
	struct hub_ctx hc = {};
	__u32 tgid = hub__tgid(&hc);
	struct net_proc *p;

	if (!tgid || !hub__pass(&hc))
		return 0;
	p = current_proc(&hc, tgid);
	if (!p)
		return 0;
	if (major)
		p->major_faults++;
	else
		p->minor_faults++;
	return 0;
}

HUB_HANDLER(netproc, inet_sock_set_state)
{
	if (a->rung == HUB_RUNG_TP) {
		struct trace_event_raw_inet_sock_set_state *r =
			HUB_RECORD(a, trace_event_raw_inet_sock_set_state);

		net_on_state(hc, (struct sock *)r->skaddr, r->oldstate, r->newstate);
	} else {
		net_on_state(hc, a->sk, a->oldstate, a->newstate);
	}
}

HUB_HANDLER(netproc, tcp_receive_reset)
{
	net_on_reset(a->rung == HUB_RUNG_TP ?
		(struct sock *)HUB_RECORD(a, trace_event_raw_tcp_event_sk)->skaddr : a->sk);
}

/* The classic record of tcp_send_reset and tcp_retransmit_skb before each had its own class. */
struct trace_event_raw_tcp_event_sk_skb___old {
	const void *skaddr;
} __attribute__((preserve_access_index));

/*
 * The socket in the classic record ctx of a tracepoint of class type where the
 * kernel has it, else of class tcp_event_sk_skb (6.1; tcp_retransmit_skb on
 * 6.12). Read with a helper: direct reads of one field of two types would be
 * merged by clang into one read through a moved context pointer, which the
 * verifier refuses. Only the tracepoint rung reads it, on resets and
 * retransmits.
 */
#define SK_SKB_RECORD_SK(ctx, type)                                                       \
	({                                                                                \
		void *rec__ = (ctx); /* a CO-RE read of a->ctx would relocate a's field */ \
                                                                                          \
		(struct sock *)(bpf_core_type_exists(struct type) ?                       \
			BPF_CORE_READ((struct type *)rec__, skaddr) :                     \
			BPF_CORE_READ((struct trace_event_raw_tcp_event_sk_skb___old *)rec__, \
				      skaddr));                                           \
	})

HUB_HANDLER(netproc, tcp_send_reset)
{
	net_on_reset(a->rung == HUB_RUNG_TP ?
		SK_SKB_RECORD_SK(a->ctx, trace_event_raw_tcp_send_reset) : a->sk);
}

HUB_HANDLER(netproc, tcp_retransmit_skb)
{
	net_on_retransmit(a->rung == HUB_RUNG_TP ?
		SK_SKB_RECORD_SK(a->ctx, trace_event_raw_tcp_retransmit_skb) : a->sk);
}

/* A send or receive: the classic record has the family and protocol, typed rungs the socket. */
#define NET_ON_IO(hc, a, tx)                                                              \
	do {                                                                              \
		if ((a)->rung == HUB_RUNG_TP) {                                           \
			struct trace_event_raw_sock_msg_length *r =                       \
				HUB_RECORD(a, trace_event_raw_sock_msg_length);          \
                                                                                          \
			net_on_io(hc, r->sk, (__u64)r->sk >> 4, r->family, r->protocol,   \
				  r->ret, r->flags, tx);                                  \
		} else {                                                                  \
			net_on_io(hc, (a)->sk,                                            \
				  (a)->rung == HUB_RUNG_BTF ? (a)->sk->__sk_common.skc_hash \
							    : (__u64)(a)->sk >> 4,          \
				  HUB_READ(a, (a)->sk, __sk_common.skc_family),           \
				  HUB_READ(a, (a)->sk, sk_protocol), (a)->ret, (a)->flags, tx); \
		}                                                                         \
	} while (0)

HUB_HANDLER(netproc, sock_send_length)
{
	NET_ON_IO(hc, a, true);
}

HUB_HANDLER(netproc, sock_recv_length)
{
	NET_ON_IO(hc, a, false);
}

/*
 * Where the kernel has no sock:sock_send_length/sock_recv_length (6.1), the
 * bytes of sends and receives come from BPF trampolines: the return of the
 * socket layer's inet and inet6 sendmsg and recvmsg (the calls and results
 * those tracepoints report), but UDP receives from skb_consume_udp, entered
 * once a datagram has been copied (a receive already waiting when tracing
 * starts returns through no trampoline). net_engine.c loads them only there.
 */
static __always_inline int net_on_return(struct socket *sock, int ret, int flags, bool tx)
{
	struct hub_ctx hc = {};
	struct sock *sk = sock->sk;
	__u16 proto;

	if (!sk)
		return 0;
	proto = sk->sk_protocol;
	if (!tx && proto == IPPROTO_UDP)
		return 0; /* counted at skb_consume_udp */
	return net_on_io(&hc, sk, sk->__sk_common.skc_hash, sk->__sk_common.skc_family, proto, ret,
			 flags, tx);
}

SEC("fexit/inet_sendmsg")
int BPF_PROG(net_inet_sendmsg, struct socket *sock, struct msghdr *msg, size_t size, int ret)
{
	return net_on_return(sock, ret, 0, true);
}

SEC("fexit/inet6_sendmsg")
int BPF_PROG(net_inet6_sendmsg, struct socket *sock, struct msghdr *msg, size_t size, int ret)
{
	return net_on_return(sock, ret, 0, true);
}

SEC("fexit/inet_recvmsg")
int BPF_PROG(net_inet_recvmsg, struct socket *sock, struct msghdr *msg, size_t size, int flags,
	     int ret)
{
	return net_on_return(sock, ret, flags, false);
}

SEC("fexit/inet6_recvmsg")
int BPF_PROG(net_inet6_recvmsg, struct socket *sock, struct msghdr *msg, size_t size, int flags,
	     int ret)
{
	return net_on_return(sock, ret, flags, false);
}

/* A datagram was received: len bytes copied (negative when only peeked at). */
SEC("fentry/skb_consume_udp")
int BPF_PROG(net_udp_consumed, struct sock *sk, struct sk_buff *skb, int len)
{
	struct hub_ctx hc = {};

	if (len < 0)
		return 0;
	return net_on_io(&hc, sk, 0, sk->__sk_common.skc_family, IPPROTO_UDP, len, 0, false);
}

/* Page faults: one perf software event per CPU and kind, counted in the faulting task. */
SEC("perf_event")
int net_fault_min(struct bpf_perf_event_data *ctx)
{
	return on_fault(false);
}

SEC("perf_event")
int net_fault_maj(struct bpf_perf_event_data *ctx)
{
	return on_fault(true);
}

