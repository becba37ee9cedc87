// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pktjourney: per stage pair latency of packets through the stack, drops per
 * reason and stage, where packet data lives, per-process socket bytes, and
 * with --packets one record per packet.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "core/clock.h"
#include "core/features.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/proc_table.h"
#include "core/tracer.h"
#include "model/delta.h"
#include "model/packet.h"
#include "model/snapshot.h"
#include "tracers/pktjourney/pending.h"
#include "tracers/pktjourney/pktjourney.h"
#include "core/hub.h"
#include "hub.skel.h"

#define DROP_PREFIX	   "SKB_DROP_REASON_"
#define MAX_AGE_DEFAULT_NS 2000000000ULL

enum {
	OPT_PROTO = 1024, /* above the common options' keys */
	OPT_PORT,
	OPT_SAMPLE,
	OPT_PACKETS,
	OPT_NO_MEM,
	OPT_MAX_AGE,
};

/* The cumulative histogram of pair key PJ_PAIR_KEY(...) over all CPUs: now and as last read. */
struct pair_sum {
	__u32 key;
	struct pj_hist cur, prev;
};

/* --sample of pktjourney run with other tracers (top): windows 1% of the time. */
#define PJ_COMBINED_SAMPLE 100

struct pktjourney_state {
	/* options */
	char dev[IF_NAMESIZE];
	__u8 proto;
	__u16 port;
	__u32 sample;
	__u64 scale; /* counts from sampling windows times this: estimates of all packets */
	bool packets;
	bool ascii_hists;
	bool no_mem;
	__u64 max_age_ns;

	struct hub_bpf *skel;
	struct snapshot *live;
	const struct clock_wall *wall; /* the core's: event stamps to wall-clock time */
	char **reasons;	       /* drop reason names by value, from the kernel's BTF */
	__u32 nreasons;
	struct pj_set *sets;	       /* the id table, mapped */
	struct pj_pkt *ids;
	size_t sets_len, ids_len;
	char devs[PJ_MAX_DEVS][PJ_DEV_LEN + 1]; /* device names by slot, "" when not known yet */
	struct pair_sum *pairs;
	size_t npairs, pairs_cap;
	struct hist *agg;      /* this interval, per (from, to): PJ_STAGES * PJ_STAGES */
	struct delta drops, regions;
	struct pj_mem mem_prev[PJ_STAGES];
	__u64 cnt_prev[PJ_CNT_MAX];
	__u64 unknown, cut;    /* journeys user space ended, since the last collect */
	struct proc_table procs;
	const struct sink *capture; /* -w: captured packets go to its ->packet */
	struct pending pend;	    /* -w: bytes of packets whose journey goes on */
};

static const char *const stage_names[PJ_STAGES] = {
	"send", "queue", "enq", "deq", "start", "xmit", "rx", "recv", "tcp", "sockq", "read", "free",
};

/* Event field names of the stage offsets (static strings, as snap_event wants). */
static const char *const stage_fields[PJ_STAGES] = {
	"send_ns", "queue_ns", "enq_ns", "deq_ns",   "start_ns", "xmit_ns",
	"rx_ns",   "recv_ns",  "tcp_ns", "sockq_ns", "read_ns",  "free_ns",
};

/* By enum pj_fate. */
static const char *const fate_names[] = { "delivered", "dropped", "unknown", "cut" };

static const char *const proto_names[PJ_PROTOS] = { "other", "tcp", "udp", "icmp" };

static const enum metric proc_metrics[PJ_PROC_COUNTERS] = { METRIC_PKT_TX_BYTES,
							     METRIC_PKT_RX_BYTES };

static const struct tracer_option pktjourney_options[] = {
	{ "dev", 'i', "DEV", "only packets whose journey starts on device DEV" },
	{ "proto", OPT_PROTO, "P", "only protocol P: tcp, udp or icmp" },
	{ "port", OPT_PORT, "N", "only TCP/UDP packets from or to port N" },
	{ "sample", OPT_SAMPLE, "N",
	  "follow every packet in windows adding up to 1/N of the time (rates\n"
	  "                     are estimates scaled by N; drops are counted for all packets)" },
	{ "packets", OPT_PACKETS, NULL,
	  "a record per packet as events: its stages, sender, reader and fate,\n"
	  "                     which is one of:\n"
	  "                     delivered  read by a process, or freed without a drop\n"
	  "                     dropped    freed by kfree_skb, with the kernel's reason\n"
	  "                     unknown    no sign of it within --max-age\n"
	  "                     cut        --sample: in flight when its window closed" },
	{ "hist", 'H', NULL, "ASCII latency histogram per stage pair" },
	{ "no-mem", OPT_NO_MEM, NULL, "skip the address heatmap and per-stage data table" },
	{ "max-age", OPT_MAX_AGE, "MS",
	  "a packet not seen for MS ms ends as unknown (default 2000)" },
	{ NULL },
};

static int parse_num(const char *arg, unsigned long min, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int pktjourney_set_option(void *state, int key, const char *arg)
{
	struct pktjourney_state *st = state;
	unsigned long v;

	switch (key) {
	case 'i':
		if (!arg[0] || strlen(arg) >= IF_NAMESIZE || !if_nametoindex(arg)) {
			log__error("no network device '%s' in this network namespace (see `ip link`)",
				   arg);
			return -EINVAL;
		}
		snprintf(st->dev, sizeof(st->dev), "%s", arg);
		return 0;
	case OPT_PROTO:
		for (__u8 p = PJ_PROTO_TCP; p < PJ_PROTOS; p++) {
			if (!strcmp(arg, proto_names[p])) {
				st->proto = p;
				return 0;
			}
		}
		log__error("invalid --proto '%s': use tcp, udp or icmp", arg);
		return -EINVAL;
	case OPT_PORT:
		if (parse_num(arg, 1, 65535, &v)) {
			log__error("invalid --port '%s': expected 1 to 65535", arg);
			return -EINVAL;
		}
		st->port = (__u16)v;
		return 0;
	case OPT_SAMPLE:
		if (parse_num(arg, 1, 1000000, &v)) {
			log__error("invalid --sample '%s': expected 1 to 1000000", arg);
			return -EINVAL;
		}
		st->sample = (__u32)v;
		return 0;
	case OPT_PACKETS:
		st->packets = true;
		return 0;
	case 'H':
		st->ascii_hists = true;
		return 0;
	case OPT_NO_MEM:
		st->no_mem = true;
		return 0;
	case OPT_MAX_AGE:
		if (parse_num(arg, 10, 3600000, &v)) {
			log__error("invalid --max-age '%s': expected 10 to 3600000 (ms)", arg);
			return -EINVAL;
		}
		st->max_age_ns = (__u64)v * 1000000ULL;
		return 0;
	}
	return -EINVAL;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): an array of owned pointers freed,
 * as in net_engine's detach_faults.
 */
static void free_reasons(struct pktjourney_state *st)
{
	for (__u32 i = 0; i < st->nreasons; i++)
		free(st->reasons[i]);
	free(st->reasons);
	st->reasons = NULL;
	st->nreasons = 0;
}

/*
 * Names of enum skb_drop_reason from the kernel's BTF btf (the session's,
 * parsed once: a parse takes tens of ms of start-up); 0 or a negative errno.
 */
static int load_reasons(struct pktjourney_state *st, const struct btf *btf)
{
	const struct btf_enum *e;
	const struct btf_type *t;
	__u32 max = 0;
	int id;

	if (!btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	if (id < 0)
		return id;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++)
		if (e[i].val >= 0 && (__u32)e[i].val > max && e[i].val < 65536)
			max = e[i].val;
	st->reasons = calloc(max + 1, sizeof(*st->reasons));
	if (!st->reasons)
		return -ENOMEM;
	st->nreasons = max + 1;
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *name = btf__name_by_offset(btf, e[i].name_off);

		if (e[i].val < 0 || (__u32)e[i].val > max || !name)
			continue;
		if (!strncmp(name, DROP_PREFIX, strlen(DROP_PREFIX)))
			name += strlen(DROP_PREFIX);
		st->reasons[e[i].val] = strdup(name);
		if (!st->reasons[e[i].val])
			return -ENOMEM;
	}
	return 0;
}

/* Name of drop reason r into buf (a number when the kernel did not name it). */
static const char *reason_name(const struct pktjourney_state *st, __u32 r, char *buf, size_t len)
{
	if (r < st->nreasons && st->reasons[r])
		return st->reasons[r];
	snprintf(buf, len, "reason_%u", r);
	return buf;
}

/* The name of device slot (pj_devs), "" for none or unknown. */
static const char *dev_name(struct pktjourney_state *st, __u8 slot)
{
	struct pj_dev d;

	if (!slot || slot >= PJ_MAX_DEVS)
		return "";
	if (!st->devs[slot][0]) {
		__u32 key = slot;

		if (!bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.pj_devs), &key, &d))
			memcpy(st->devs[slot], d.name, PJ_DEV_LEN);
	}
	return st->devs[slot];
}

/* The stages p was seen at into order (n of them), by time, path order on ties. */
static unsigned int stages_in_order(const struct pj_pkt *p, unsigned int *order)
{
	unsigned int n = 0;

	for (unsigned int s = 0; s < PJ_STAGES; s++) {
		unsigned int i = n;

		if (!(p->seen & (1u << s)))
			continue;
		for (; i > 0 && p->off[order[i - 1]] > p->off[s]; i--)
			order[i] = order[i - 1];
		order[i] = s;
		n++;
	}
	return n;
}

/* "udp 10.0.0.1:40000>10.0.0.2:5555" (IPv6: ports only). */
static void flow_of(const struct pj_pkt *p, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (p->saddr || p->daddr) {
		inet_ntop(AF_INET, &p->saddr, a, sizeof(a));
		inet_ntop(AF_INET, &p->daddr, b, sizeof(b));
		snprintf(buf, len, "%s %s:%u>%s:%u", proto_names[p->proto % PJ_PROTOS], a, p->sport,
			 b, p->dport);
	} else {
		snprintf(buf, len, "%s%s :%u>:%u", proto_names[p->proto % PJ_PROTOS],
			 p->ipv6 ? "6" : "", p->sport, p->dport);
	}
}

/* A comm from the kernel (not NUL-terminated when 16 long) as a string. */
static const char *comm_of(const char *c, char *buf)
{
	memcpy(buf, c, PJ_COMM_LEN);
	buf[PJ_COMM_LEN] = '\0';
	return buf;
}

/*
 * The pcapng comment of a journey: "pktjourney id=N delivered
 * sender=COMM[PID] reader=COMM[PID] queue=0ns start=+812ns ...", each stage
 * in ns from the one before; a drop's reason after "dropped".
 */
static void journey_comment(const struct pj_pkt *p, const char *fate, const char *reason,
			    char *buf, size_t len)
{
	unsigned int order[PJ_STAGES], n = stages_in_order(p, order);
	char comm[PJ_COMM_LEN + 1];
	size_t o;

	o = (size_t)snprintf(buf, len, "pktjourney id=%llu %s%s%s", (unsigned long long)p->id, fate,
			     reason ? " reason=" : "", reason ? reason : "");
	if (p->snd_pid && o < len)
		o += (size_t)snprintf(buf + o, len - o, " sender=%s[%u]",
				      comm_of(p->snd_comm, comm), p->snd_pid);
	if (p->rcv_pid && o < len)
		o += (size_t)snprintf(buf + o, len - o, " reader=%s[%u]",
				      comm_of(p->rcv_comm, comm), p->rcv_pid);
	for (unsigned int i = 0; i < n && o < len; i++) {
		__u32 d = p->off[order[i]] - (i ? p->off[order[i - 1]] : 0);

		o += (size_t)snprintf(buf + o, len - o, " %s=%s%uns", stage_names[order[i]],
				      i ? "+" : "", d);
	}
}

/* -w: the packet of journey p (fate, reason: NULL unless dropped) with its first bytes. */
static int capture_journey(struct pktjourney_state *st, const struct pj_pkt *p, const char *fate,
			   const char *reason)
{
	struct pending_bytes b;
	char comment[512];
	struct snap_packet pkt;
	int err;

	if (!st->capture || pending__take(&st->pend, p->id, &b))
		return 0; /* no bytes: not capturing, or lost to a full ring buffer */
	journey_comment(p, fate, reason, comment, sizeof(comment));
	pkt = (struct snap_packet){ .ts_ns = clock_wall__of(st->wall, p->t0),
				    .ifname = dev_name(st, p->dev0_slot),
				    .linktype = b.linktype,
				    .wire_len = b.wire_len,
				    .caplen = b.caplen,
				    .data = b.data,
				    .comment = comment };
	err = tracer_env__capture(st->capture, &pkt);
	free(b.data);
	return err;
}

/*
 * A journey that ended with fate (dropped: with reason): its event (with
 * --packets, or its pcapng packet with -w). Returns 0 or the capture's error.
 */
static int add_journey(struct pktjourney_state *st, const struct pj_pkt *p, __u32 fate,
		       __u32 reason)
{
	char flow[SNAP_FIELD_STR_LEN], buf[32], comm[PJ_COMM_LEN + 1];
	const char *fname = fate < sizeof(fate_names) / sizeof(fate_names[0]) ? fate_names[fate] :
										  "unknown";
	const char *why = fate == PJ_FATE_DROPPED ? reason_name(st, reason, buf, sizeof(buf)) : NULL;
	unsigned int order[PJ_STAGES], n;
	struct snap_event *e;

	if (!st->packets)
		return capture_journey(st, p, fname, why);
	/* The process the journey ends at: its reader, else its sender. */
	e = snapshot__add_event(st->live, "pktjourney", clock_wall__of(st->wall, p->t0),
				p->rcv_pid ? p->rcv_pid : p->snd_pid,
				comm_of(p->rcv_pid ? p->rcv_comm : p->snd_comm, comm));
	if (e) {
		flow_of(p, flow, sizeof(flow));
		snap_event__num(e, "id", p->id);
		snap_event__str(e, "flow", flow);
		snap_event__str(e, "dev", dev_name(st, p->dev0_slot));
		snap_event__typed(e, "len_B", p->len, SNAP_NUM_BYTES);
		snap_event__str(e, "fate", fname);
		/* where the packet's data lived at its last stage */
		snap_event__typed(e, "head_addr", p->head, SNAP_NUM_ADDR);
		n = stages_in_order(p, order);
		for (unsigned int i = 0; i < n; i++)
			snap_event__typed(e, stage_fields[order[i]], p->off[order[i]], SNAP_NUM_NS);
		if (why)
			snap_event__str(e, "reason", why);
		snap_event__num(e, "snd_pid", p->snd_pid);
		snap_event__str(e, "snd_comm", comm_of(p->snd_comm, comm));
		snap_event__num(e, "rcv_pid", p->rcv_pid);
		snap_event__str(e, "rcv_comm", comm_of(p->rcv_comm, comm));
	}
	return capture_journey(st, p, fname, why);
}

/* A record from the ring buffer: a journey that ended, or (-w) a packet's first bytes. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct pktjourney_state *st = ctx;
	const struct pj_record *r = data;
	const struct pj_bytes *b = data;

	if (size >= sizeof(*r) && r->kind == PJ_REC_JOURNEY)
		return add_journey(st, &r->pkt, r->fate, r->reason);
	if (size >= offsetof(struct pj_bytes, data) && b->kind == PJ_REC_BYTES &&
	    b->caplen <= size - offsetof(struct pj_bytes, data))
		pending__put(&st->pend, b->id, b->data, b->caplen, b->wire_len, b->linktype);
	return 0;
}

#define NO_SOCKQ \
	"no sock:sk_data_ready tracepoint: journeys end at the protocol, without their reader"

/* Without sk_data_ready (before Linux 6.4) no packet reaches the sockq and read stages. */
static const char *pktjourney_limits(const struct features *f)
{
	return f->vmlinux && !rung__has_hook(f->vmlinux, RUNG_RAW_TP, "sock", "sk_data_ready") ?
		       NO_SOCKQ : NULL;
}

/* With other tracers: packets followed 1% of the time (sampling windows), all when full. */
static void pktjourney_set_mode(void *state, bool full)
{
	struct pktjourney_state *st = state;

	st->sample = full ? 1 : PJ_COMBINED_SAMPLE;
}

static void pktjourney_close(void *state)
{
	struct pktjourney_state *st = state;

	if (st->sets)
		munmap(st->sets, st->sets_len);
	if (st->ids)
		munmap(st->ids, st->ids_len);
	st->sets = NULL;
	st->ids = NULL;
	st->skel = NULL;
	free_reasons(st);
	free(st->pairs);
	st->pairs = NULL;
	st->npairs = st->pairs_cap = 0;
	free(st->agg);
	st->agg = NULL;
	delta__free(&st->drops);
	delta__free(&st->regions);
	pending__free(&st->pend);
	memset(st->mem_prev, 0, sizeof(st->mem_prev));
	memset(st->cnt_prev, 0, sizeof(st->cnt_prev));
	st->unknown = st->cut = 0;
	proc_table__free(&st->procs);
}

/* Set the -i filter: the device's index and network namespace; 0 or -ENODEV. */
static int set_dev_filter(struct pktjourney_state *st)
{
	struct stat ns;
	unsigned int idx = if_nametoindex(st->dev);

	if (!idx || stat("/proc/self/ns/net", &ns)) {
		log__error("no network device '%s' in this network namespace (see `ip link`)",
			   st->dev);
		return -ENODEV;
	}
	st->skel->rodata->targ_ifindex = idx;
	st->skel->rodata->targ_netns = (__u32)ns.st_ino;
	return 0;
}

/* The reaper indexes the mapped id table: no padding between array values. */
_Static_assert(sizeof(struct pj_pkt) % 8 == 0 && sizeof(struct pj_set) % 8 == 0,
	       "id table values must be multiples of 8 bytes");
/* A packet's entry takes whole cache lines: a stage touches one or two of them. */
_Static_assert(sizeof(struct pj_pkt) % 64 == 0, "id table values must be whole cache lines");

/* Map BPF_F_MMAPABLE array m into memory (its size in *len); NULL with errno set on failure. */
static void *map_table(struct bpf_map *m, size_t *len)
{
	void *p;

	*len = (size_t)bpf_map__value_size(m) * bpf_map__max_entries(m);
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m), 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The handlers of every stage, in path order. */
static const enum hub_handler pj_handlers[] = {
	HUB_pktjourney__tcp_sendmsg_locked,	HUB_pktjourney__sock_send_length,
	HUB_pktjourney__net_dev_queue,		HUB_pktjourney__qdisc_enqueue,
	HUB_pktjourney__qdisc_dequeue,		HUB_pktjourney__net_dev_start_xmit,
	HUB_pktjourney__net_dev_xmit,		HUB_pktjourney__netif_rx,
	HUB_pktjourney__napi_gro_receive_entry, HUB_pktjourney__netif_receive_skb,
	HUB_pktjourney__tcp_probe,		HUB_pktjourney__sk_data_ready,
	HUB_pktjourney__sock_recv_length,	HUB_pktjourney__consume_skb,
	HUB_pktjourney__kfree_skb,
};

static int pktjourney_configure(void *state, struct tracer_env *env)
{
	struct pktjourney_state *st = state;
	struct hub_bpf *skel = env->skel;
	int err;

	st->scale = st->sample > 1 ? st->sample : 1;
	if (!st->max_age_ns)
		st->max_age_ns = MAX_AGE_DEFAULT_NS;
	err = load_reasons(st, env->features->vmlinux);
	if (err) {
		log__info("pktjourney: no drop reason names in the kernel's BTF (%s): numbers shown",
			  strerror(-err));
	}
	st->agg = calloc(PJ_STAGES * PJ_STAGES, sizeof(*st->agg));
	if (!st->agg)
		return -ENOMEM;
	st->skel = skel;
	st->capture = env->capture;
	if (st->capture) {
		/* Room for every packet followed at once (the id table's), kept sparse. */
		err = pending__init(&st->pend, 2 * 65536);
		if (err)
			return err;
		skel->rodata->targ_snaplen = env->snaplen < PJ_SNAP_MAX ? env->snaplen : PJ_SNAP_MAX;
	}
	skel->rodata->targ_windowed = st->sample > 1;
	skel->rodata->targ_packets = st->packets || st->capture;
	skel->rodata->targ_mem = !st->no_mem;
	skel->rodata->targ_proto = st->proto;
	skel->rodata->pj_targ_port = st->port;
	if (st->dev[0]) {
		err = set_dev_filter(st);
		if (err)
			return err;
	}
	if (!st->packets && !st->capture)
		bpf_map__set_max_entries(skel->maps.pj_ring, 4096);
	/*
	 * Hooks this kernel lacks (qdisc, GRO, ...) are left out by the hub. With
	 * --sample N the stages run only in sampling windows, kfree_skb throughout.
	 */
	if (pktjourney_limits(env->features))
		log__info("pktjourney: %s (see tracerhub doctor)", NO_SOCKQ);
	for (size_t i = 0; i < sizeof(pj_handlers) / sizeof(pj_handlers[0]); i++) {
		if (st->sample > 1 && pj_handlers[i] != HUB_pktjourney__kfree_skb)
			hub__use_windowed(env->hub, pj_handlers[i], st->sample);
		else
			hub__use(env->hub, pj_handlers[i]);
	}
	return 0;
}

static int pktjourney_start(void *state, struct tracer_env *env)
{
	struct pktjourney_state *st = state;
	struct hub_bpf *skel = env->skel;
	int err;

	st->skel = skel;
	if (st->packets || st->capture) {
		err = tracer_env__add_ring(env, bpf_map__fd(skel->maps.pj_ring), on_record, st);
		if (err)
			return err;
	}
	st->live = env->live;
	st->wall = env->wall;
	proc_table__bind(&st->procs, skel->maps.pj_procs, skel->maps.hub_cells, HUB_PART_pktjourney,
			 proc_metrics, PJ_PROC_COUNTERS);
	/* The reaper frees id table keys with compare-and-swap, as the BPF programs do. */
	st->sets = map_table(skel->maps.pj_sets, &st->sets_len);
	if (!st->sets)
		return -errno;
	st->ids = map_table(skel->maps.pj_ids, &st->ids_len);
	if (!st->ids)
		return -errno;
	return 0;
}

/* The sums of pair key k, added when new; NULL on ENOMEM. */
static struct pair_sum *pair_sum__get(struct pktjourney_state *st, __u32 k)
{
	for (size_t i = 0; i < st->npairs; i++)
		if (st->pairs[i].key == k)
			return &st->pairs[i];
	if (st->npairs == st->pairs_cap) {
		size_t cap = st->pairs_cap ? st->pairs_cap * 2 : 32;
		struct pair_sum *p = realloc(st->pairs, cap * sizeof(*p));

		if (!p)
			return NULL;
		st->pairs = p;
		st->pairs_cap = cap;
	}
	memset(&st->pairs[st->npairs], 0, sizeof(st->pairs[0]));
	st->pairs[st->npairs].key = k;
	return &st->pairs[st->npairs++];
}

/* One entry of the per-CPU pair table: each CPU's copy into the sums of its own key. */
static int visit_pair(const void *key, const void *values, int ncpus, void *ctx)
{
	struct pktjourney_state *st = ctx;
	size_t stride = maps__percpu_stride(sizeof(struct pj_pair));
	struct pair_sum *sum;

	(void)key;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		const struct pj_pair *v = (const void *)((const char *)values + cpu * stride);

		if (!v->key)
			continue;
		sum = pair_sum__get(st, (__u32)v->key);
		if (!sum)
			return -ENOMEM;
		for (int i = 0; i < PJ_SLOTS; i++)
			sum->cur.slots[i] += v->h.slots[i];
		sum->cur.sum += v->h.sum;
	}
	return 0;
}

/* This interval's histogram of one pair key, labelled, and into the per stage pair totals. */
static int add_pair(struct pktjourney_state *st, struct snapshot *s, struct pair_sum *p)
{
	__u32 slot = p->key >> 16 & 0xff, from = p->key >> 8 & 0xf, to = p->key >> 4 & 0xf;
	__u32 proto = p->key & 3;
	char label[SNAP_LABEL_LEN];
	const char *dev;
	struct snap_hist *h;
	__u64 d[PJ_SLOTS], n = 0;

	if (from >= PJ_STAGES || to >= PJ_STAGES)
		return 0;
	for (int i = 0; i < PJ_SLOTS; i++) {
		d[i] = p->cur.slots[i] >= p->prev.slots[i] ? p->cur.slots[i] - p->prev.slots[i] : 0;
		d[i] *= st->scale; /* windowed: an estimate of all packets */
		n += d[i];
	}
	if (!n)
		return 0;
	dev = dev_name(st, slot);
	snprintf(label, sizeof(label), "stage=%s->%s,dev=%s,proto=%s", stage_names[from],
		 stage_names[to], dev[0] ? dev : "-", proto_names[proto]);
	h = snapshot__add_hist(s, "pktjourney", "pkt_stage_latency", label, "ns");
	if (!h)
		return -ENOMEM;
	hist__add_slots(&h->h, d, PJ_SLOTS);
	h->h.sum = (p->cur.sum >= p->prev.sum ? p->cur.sum - p->prev.sum : 0) * st->scale;
	hist__add_slots(&st->agg[from * PJ_STAGES + to], d, PJ_SLOTS);
	st->agg[from * PJ_STAGES + to].sum += h->h.sum;
	return 0;
}

/* Path order of pair keys: from stage, to stage, then device slot and protocol. */
static int cmp_pair(const void *a, const void *b)
{
	__u32 x = ((const struct pair_sum *)a)->key, y = ((const struct pair_sum *)b)->key;
	__u32 kx = (x >> 4 & 0xff) << 16 | (x >> 16 & 0xff) << 4 | (x & 0xf);
	__u32 ky = (y >> 4 & 0xff) << 16 | (y >> 16 & 0xff) << 4 | (y & 0xf);

	return (kx > ky) - (kx < ky);
}

/* Device names again: a slot may name another device now. */
static void reload_devs(struct pktjourney_state *st)
{
	memset(st->devs, 0, sizeof(st->devs));
}

/* Per stage pair histograms (labelled), the latency table and, with -H, ASCII histograms. */
static int collect_latency(struct pktjourney_state *st, struct snapshot *s)
{
	static const char *const cols[] = { "count", "p50", "p90", "p99", "max" };
	static const char *const units[] = { "pkts", "ns", "ns", "ns", "ns" };
	struct snap_table *t;
	int err;

	memset(st->agg, 0, PJ_STAGES * PJ_STAGES * sizeof(*st->agg));
	for (size_t i = 0; i < st->npairs; i++) {
		st->pairs[i].prev = st->pairs[i].cur;
		memset(&st->pairs[i].cur, 0, sizeof(st->pairs[i].cur));
	}
	err = maps__for_each(bpf_map__fd(st->skel->maps.pj_pairs), sizeof(__u32),
			     sizeof(struct pj_pair), 1, visit_pair, st);
	if (err)
		return err;
	reload_devs(st);
	qsort(st->pairs, st->npairs, sizeof(*st->pairs), cmp_pair); /* histograms in path order */
	for (size_t i = 0; i < st->npairs; i++) {
		err = add_pair(st, s, &st->pairs[i]);
		if (err)
			return err;
	}
	t = snapshot__add_table(s, "pktjourney", "pkt_stage_latency", "stages", 5, cols, units);
	if (!t)
		return -ENOMEM;
	t->ordered = true; /* path order: from stage, then to stage */
	for (int from = 0; from < PJ_STAGES; from++) {
		for (int to = 0; to < PJ_STAGES; to++) {
			const struct hist *a = &st->agg[from * PJ_STAGES + to];
			struct snap_table_row *row;
			char key[SNAP_NAME_LEN];

			if (!a->count)
				continue;
			snprintf(key, sizeof(key), "%s->%s", stage_names[from], stage_names[to]);
			row = snap_table__add_row(t, key);
			if (!row)
				return -ENOMEM;
			row->v[0] = a->count;
			row->v[1] = hist__percentile(a, 50);
			row->v[2] = hist__percentile(a, 90);
			row->v[3] = hist__percentile(a, 99);
			row->v[4] = hist__percentile(a, 100);
			if (st->ascii_hists) {
				struct snap_hist *h;
				char name[SNAP_NAME_LEN];

				snprintf(name, sizeof(name), "pkt_latency %.19s", key);
				h = snapshot__add_hist(s, "pktjourney", name, "", "ns");
				if (!h)
					return -ENOMEM;
				h->h = *a;
			}
		}
	}
	return 0;
}

/*
 * Each CPU's taken entries of a per-CPU table whose entries start with their
 * key and then nvals counters (struct pj_drop, struct pj_region) into
 * delta entries, one per CPU and entry (delta__merge adds up a key's).
 */
struct table_read {
	struct delta_entry *end; /* room for max_entries * ncpus */
	size_t value_size;
	int nvals;
};

static int visit_table(const void *key, const void *values, int ncpus, void *ctx)
{
	struct table_read *r = ctx;
	size_t stride = maps__percpu_stride(r->value_size);

	(void)key;
	for (int cpu = 0; cpu < ncpus; cpu++) {
		const __u64 *v = (const void *)((const char *)values + cpu * stride);

		if (!v[0])
			continue;
		memset(r->end, 0, sizeof(*r->end));
		r->end->key = v[0];
		memcpy(r->end->v, v + 1, r->nvals * sizeof(__u64));
		r->end++;
	}
	return 0;
}

/*
 * This interval's change per key of per-CPU table m (see visit_table) into
 * *out (n entries, sorted by key; the caller frees it), d remembering the
 * cumulative values. 0 or a negative errno.
 */
static int read_table(struct bpf_map *m, int nvals, struct delta *d, struct delta_entry **out,
		      size_t *n)
{
	int ncpus = libbpf_num_possible_cpus();
	struct table_read r = { .value_size = bpf_map__value_size(m), .nvals = nvals };
	struct delta_entry *cur;
	int err;

	*out = NULL;
	*n = 0;
	if (ncpus <= 0)
		return -EINVAL;
	cur = calloc((size_t)bpf_map__max_entries(m) * ncpus, sizeof(*cur));
	if (!cur)
		return -ENOMEM;
	r.end = cur;
	err = maps__for_each(bpf_map__fd(m), sizeof(__u32), r.value_size, 1, visit_table, &r);
	if (err)
		goto fail;
	*n = delta__merge(cur, r.end - cur);
	err = delta__advance(d, cur, *n);
	if (err)
		goto fail;
	*out = cur;
	return 0;
fail:
	free(cur);
	*n = 0;
	return err;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): pktjourney's table collectors,
 * each its own map and table.
 */
static int collect_drops(struct pktjourney_state *st, struct snapshot *s)
{
	static const char *const cols[] = { "count", "tx", "rx", "sock", "untracked" };
	static const char *const units[] = { "pkts", "pkts", "pkts", "pkts", "pkts" };
	struct delta_entry *cur, *end;
	struct snap_table *t;
	size_t n;
	int err;

	err = read_table(st->skel->maps.pj_drops, 1, &st->drops, &cur, &n);
	if (err)
		return err;
	end = cur + n;
	t = snapshot__add_table(s, "pktjourney", "pkt_drops", "reason", 5, cols, units);
	if (!t) {
		err = -ENOMEM;
		goto out;
	}
	/* Sorted by key: the groups of one reason are adjacent. */
	for (struct delta_entry *e = cur; e < end; e++) {
		struct snap_table_row *row = t->nrows ? &t->rows[t->nrows - 1] : NULL;
		__u32 reason = e->key >> 8, group = e->key & 0xff;
		char buf[32];
		const char *name = reason_name(st, reason, buf, sizeof(buf));

		if (!e->v[0] || group >= PJ_GROUPS)
			continue;
		if (!row || strncmp(row->key, name, sizeof(row->key) - 1)) {
			row = snap_table__add_row(t, name);
			if (!row) {
				err = -ENOMEM;
				goto out;
			}
		}
		row->v[0] += e->v[0];
		row->v[1 + group] += e->v[0];
	}
out:
	free(cur);
	return err;
}

/* Alike to collect_drops by design: its own map and table. */
/* The address heatmap (region x interval) and where the data was per stage. */
static int collect_mem(struct pktjourney_state *st, struct snapshot *s)
{
	static const char *const hcols[] = { "pkts", "bytes" };
	static const char *const hunits[] = { "pkts", "B" };
	static const char *const wcols[] = { "pkts", "moved", "paged" };
	static const char *const wunits[] = { "pkts", "pkts", "pkts" };
	int ncpus = libbpf_num_possible_cpus();
	struct delta_entry *cur, *end;
	struct pj_mem *vals = NULL;
	struct snap_table *t;
	size_t n;
	int err;

	if (st->no_mem)
		return 0;
	err = read_table(st->skel->maps.pj_regions, 2, &st->regions, &cur, &n);
	if (err)
		return err;
	end = cur + n;
	t = snapshot__add_table(s, "pktjourney", "pkt_addr_heatmap", "region", 2, hcols, hunits);
	if (!t) {
		err = -ENOMEM;
		goto out;
	}
	for (struct delta_entry *e = cur; e < end; e++) {
		struct snap_table_row *row;
		char key[SNAP_NAME_LEN];

		if (!e->v[0])
			continue;
		snprintf(key, sizeof(key), "0x%llx", (unsigned long long)e->key << PJ_REGION_SHIFT);
		row = snap_table__add_row(t, key);
		if (!row) {
			err = -ENOMEM;
			goto out;
		}
		row->v[0] = e->v[0];
		row->v[1] = e->v[1];
	}
	t = snapshot__add_table(s, "pktjourney", "pkt_data_where", "stage", 3, wcols, wunits);
	vals = calloc(ncpus > 0 ? ncpus : 1, sizeof(*vals));
	if (!t || !vals || ncpus <= 0) {
		err = -ENOMEM;
		goto out;
	}
	for (__u32 stage = 0; stage < PJ_STAGES; stage++) {
		struct pj_mem sum = { 0 };
		struct snap_table_row *row;

		if (bpf_map_lookup_elem(bpf_map__fd(st->skel->maps.pj_mem), &stage, vals)) {
			err = -errno;
			goto out;
		}
		for (int c = 0; c < ncpus; c++) {
			sum.pkts += vals[c].pkts;
			sum.moved += vals[c].moved;
			sum.paged += vals[c].paged;
		}
		if (sum.pkts == st->mem_prev[stage].pkts)
			continue;
		row = snap_table__add_row(t, stage_names[stage]);
		if (!row) {
			err = -ENOMEM;
			goto out;
		}
		row->v[0] = sum.pkts - st->mem_prev[stage].pkts;
		row->v[1] = sum.moved - st->mem_prev[stage].moved;
		row->v[2] = sum.paged - st->mem_prev[stage].paged;
		st->mem_prev[stage] = sum;
	}
out:
	free(vals);
	free(cur);
	return err;
}

/*
 * End, as fate, every journey of the id table not seen for more than max_age
 * ns (compare-and-swap on the key, as the BPF programs do; those ended
 * meanwhile are theirs); add the ages of those left to h when given. Returns
 * how many it ended, or the capture's negative errno.
 */
static long reap(struct pktjourney_state *st, __u64 max_age, __u32 fate, struct hist *h)
{
	__u64 now = clock__ns(CLOCK_MONOTONIC);
	long n = 0;
	int err;

	for (__u32 i = 0; i < PJ_MAX_PKTS; i++) {
		__u64 *k = &st->sets[i / PJ_ID_WAYS].key[i % PJ_ID_WAYS], age;
		__u64 key = __atomic_load_n(k, __ATOMIC_ACQUIRE);
		struct pj_pkt p;

		if (key <= PJ_KEY_BUSY)
			continue;
		memcpy(&p, &st->ids[i], sizeof(p));
		age = now > p.last_ns ? now - p.last_ns : 0;
		if (age <= max_age) {
			if (h)
				hist__add(h, age);
			continue;
		}
		if (!__atomic_compare_exchange_n(k, &key, 0, false, __ATOMIC_SEQ_CST,
						 __ATOMIC_SEQ_CST))
			continue; /* ended meanwhile */
		n++;
		err = add_journey(st, &p, fate, 0);
		if (err)
			return err;
	}
	return n;
}

/* Packets not seen for --max-age end as unknown; "pkt_inflight_age": the ages of the rest. */
static int collect_inflight(struct pktjourney_state *st, struct snapshot *s)
{
	struct snap_hist *h;
	long n;

	h = snapshot__add_hist(s, "pktjourney", "pkt_inflight_age", "map=ids", "ns");
	if (!h)
		return -ENOMEM;
	n = reap(st, st->max_age_ns, PJ_FATE_UNKNOWN, &h->h);
	if (n < 0)
		return (int)n;
	st->unknown += (__u64)n;
	return 0;
}

/* A sampling window closed: what was in flight is cut (its later stages are not traced). */
static int pktjourney_window_closed(void *state)
{
	struct pktjourney_state *st = state;
	long n = reap(st, 0, PJ_FATE_CUT, NULL);

	if (n < 0)
		return (int)n;
	st->cut += (__u64)n;
	return 0;
}

static int collect_counters(struct pktjourney_state *st, struct snapshot *s,
			    struct snap_health *health)
{
	static const char *const cols[] = { "started", "delivered", "read",
					    "dropped", "unknown",   "cut" };
	static const char *const units[] = { "pkts", "pkts", "pkts", "pkts", "pkts", "pkts" };
	int ncpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(st->skel->maps.pj_counters);
	__u64 d[PJ_CNT_MAX], *vals;
	struct snap_table_row *row;
	struct snap_table *t;
	int err = 0;

	if (ncpus <= 0)
		return -EINVAL;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (__u32 i = 0; i < PJ_CNT_MAX; i++) {
		__u64 sum = 0;

		if (bpf_map_lookup_elem(fd, &i, vals)) {
			err = -errno;
			goto out;
		}
		for (int c = 0; c < ncpus; c++)
			sum += vals[c];
		d[i] = sum - st->cnt_prev[i];
		st->cnt_prev[i] = sum;
	}
	t = snapshot__add_table(s, "pktjourney", "pkt_journeys", "journeys", 6, cols, units);
	row = t ? snap_table__add_row(t, "all") : NULL;
	if (!row) {
		err = -ENOMEM;
		goto out;
	}
	row->v[0] = d[PJ_CNT_STARTED] * st->scale;
	row->v[1] = d[PJ_CNT_DELIVERED] * st->scale;
	row->v[2] = d[PJ_CNT_READ] * st->scale;
	row->v[3] = d[PJ_CNT_DROPPED] * st->scale;
	row->v[4] = st->unknown * st->scale;
	row->v[5] = st->cut * st->scale;
	st->unknown = st->cut = 0;
	health->events += d[PJ_CNT_STAGES];
	health->drops += d[PJ_CNT_IDS_FULL] + d[PJ_CNT_RING_FULL] + d[PJ_CNT_TABLE_FULL];
out:
	free(vals);
	return err;
}

/* A step of the tracer interface, alike across tracers by design: core/tracer.h. */
static int pktjourney_collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct pktjourney_state *st = state;
	__u64 totals[PJ_PROC_COUNTERS] = { 0 };
	int err = 0;

	/* Windowed: per-process bytes of 1/N of the time would mislead; netproc has them all. */
	if (st->sample <= 1)
		err = proc_table__collect(&st->procs, s, totals);
	health->window_n = st->sample > 1 ? st->sample : 0;
	if (!err)
		err = collect_latency(st, s);
	if (!err)
		err = collect_drops(st, s);
	if (!err)
		err = collect_mem(st, s);
	if (!err)
		err = collect_inflight(st, s);
	if (!err)
		err = collect_counters(st, s, health);
	return err;
}

/* Alike in shape to every tracer's descriptor, by design: see core/tracer.h. */
const struct tracer pktjourney_tracer = {
	.name = "pktjourney",
	.summary = "packets through the stack: latency per stage pair, drops and why, memory",
	.examples = "  tracerhub pktjourney                    # every packet, every second\n"
		    "  tracerhub pktjourney -i lo --proto udp -H\n"
		    "  tracerhub pktjourney --sample 100 -j 5  # 1% of the time, JSON lines\n"
		    "  tracerhub pktjourney --port 5201 --packets 1 3\n"
		    "  tracerhub pktjourney --port 53 -w dns.pcapng   # then: tshark -r dns.pcapng\n"
		    "  tracerhub pktjourney --proto udp -w - | tshark -r - -T fields -e frame.comment\n",
	.options = pktjourney_options,
	.time_hists = true,
	.state_size = sizeof(struct pktjourney_state),
	.captures = true,
	.limits = pktjourney_limits,
	.window_closed = pktjourney_window_closed,
	.set_mode = pktjourney_set_mode,
	.set_option = pktjourney_set_option,
	.probe = rung__probe_any,
	.configure = pktjourney_configure,
	.start = pktjourney_start,
	.collect = pktjourney_collect,
	.close = pktjourney_close,
};
