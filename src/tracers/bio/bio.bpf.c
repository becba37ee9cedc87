// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bio: block request latency, split into queued time (insert -> issue) and
 * device time (issue -> complete), as log2 histograms per disk and op, plus
 * requests and bytes per process. A request is attributed to the task that
 * queued it (block_rq_insert) or, when it went straight to the driver, to
 * the one that issued it; kernel threads get rows of their own.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/counters.bpf.h"
#include "bpf/hub.bpf.h"
#include "bpf/log2.bpf.h"
#include "bpf/proc_entry.bpf.h"
#include "tracers/bio/bio.h"

#define REQ_OP_BITS_MASK 0xff
#define BIO_RWBS_LEN 10 /* trace_event_raw_block_rq*.rwbs */

const volatile bool targ_ms = false;	   /* -m: latency slots in ms, else us */
const volatile bool targ_per_disk = false; /* -D */
const volatile bool targ_per_op = false;   /* -F */
const volatile bool targ_queued = false;   /* -Q: total histogram */
const volatile bool targ_size = false;	   /* -s */
const volatile bool targ_slow = false;	   /* --slow */
const volatile bool targ_split = false;	   /* -D or -F: bio_hists, else bio_hist_all */
const volatile __u64 targ_slow_ns = 0;

/* BTF-style map definitions, one per map: alike in shape by design. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BIO_MAX_INFLIGHT);
	__type(key, struct bio_key);
	__type(value, struct bio_inflight);
} bio_inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, BIO_MAX_HISTS);
	__type(key, struct bio_hist_key);
	__type(value, struct bio_hist);
} bio_hists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bio_hist);
} bio_hist_all SEC(".maps");

HUB_PROCS_MAP(bio, bio_procs, struct bio_proc, BIO_PROC_COUNTERS, BIO_MAX_PROCS);

BPF_COUNTERS(bio_stats, BIO_STAT_MAX);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, BIO_RING_BYTES);
} bio_events SEC(".maps");

/* Too big for the BPF stack: the value new histogram entries start from. */
static const struct bio_hist zero_hist;

/* What the completion needs to know about a request beyond its key. */
struct rq_info {
	__u64 sector;
	__u32 dev;
	__u32 op;
};

/* Kernels before 5.17 kept the disk in the request. */
struct request___old {
	struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

static __always_inline __u32 slot_of(__u64 v)
{
	return log2_slot_max(v, BIO_SLOTS - 1);
}

/* enum bio_op of REQ_* flags. */
static __always_inline __u32 op_of_flags(__u32 flags)
{
	__u32 op;

	switch (flags & REQ_OP_BITS_MASK) {
	case REQ_OP_READ:
		op = BIO_OP_READ;
		break;
	case REQ_OP_WRITE:
		op = BIO_OP_WRITE;
		break;
	case REQ_OP_FLUSH:
		op = BIO_OP_FLUSH;
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_SECURE_ERASE:
		op = BIO_OP_DISCARD;
		break;
	default:
		op = BIO_OP_OTHER;
	}
	if (flags & (1U << bpf_core_enum_value(enum req_flag_bits, __REQ_SYNC)))
		op |= BIO_OP_SYNC;
	return op;
}

/*
 * enum bio_op of a classic tracepoint's rwbs: an optional 'F' (preflush),
 * the op letter (W, D, F, R, N), then flags, 'S' for sync.
 */
static __always_inline __u32 op_of_rwbs(const char *rwbs)
{
	__u32 op, i = 0;

	if (rwbs[0] == 'F' && rwbs[1] && rwbs[1] != 'S')
		i = 1;
	switch (rwbs[i]) {
	case 'R':
		op = BIO_OP_READ;
		break;
	case 'W':
		op = BIO_OP_WRITE;
		break;
	case 'F':
		op = BIO_OP_FLUSH;
		break;
	case 'D':
		op = BIO_OP_DISCARD;
		break;
	default:
		op = BIO_OP_OTHER;
	}
	for (i = i + 1; i < BIO_RWBS_LEN && rwbs[i]; i++)
		if (rwbs[i] == 'S')
			op |= BIO_OP_SYNC;
	return op;
}

/* Kernel dev_t (major << 20 | minor) of the disk of rq, 0 when it has none. */
static __always_inline __u32 rq_dev(struct request *rq)
{
	struct gendisk *disk;

	if (bpf_core_field_exists(rq->q->disk))
		disk = BPF_CORE_READ(rq, q, disk);
	else
		disk = BPF_CORE_READ((struct request___old *)rq, rq_disk);
	if (!disk)
		return 0;
	return (BPF_CORE_READ(disk, major) << 20) | BPF_CORE_READ(disk, first_minor);
}

/* A request was queued: remember who queued it, and when. */
static __always_inline int on_insert(struct bio_key *key)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct bio_inflight *old = bpf_map_lookup_elem(&bio_inflight, key);
	struct bio_inflight e = { .insert_ts = bpf_ktime_get_ns(), .tgid = tgid };
	struct bio_proc init;

	if (old) {
		/* Back from a requeue: it keeps its submitter and its first queueing time. */
		if (old->flags & BIO_F_REQUEUED)
			return 0;
		counters__inc(&bio_stats, BIO_STAT_REPLACED);
	}
	if (!filter__pass(tgid)) {
		e.flags = BIO_F_SKIP;
	} else {
		if (targ_slow)
			bpf_get_current_comm(e.comm, sizeof(e.comm));
		/* Named now, while the submitter is current; counted at issue. */
		if (!proc_entry__get(&bio_procs, tgid, &init, sizeof(init),
				     offsetof(struct bio_proc, comm)))
			counters__inc(&bio_stats, BIO_STAT_PROCS_FULL);
	}
	if (bpf_map_update_elem(&bio_inflight, key, &e, BPF_ANY))
		counters__inc(&bio_stats, BIO_STAT_INFLIGHT_FULL);
	return 0;
}

/* Count an issued request in the row of process tgid (named at insert, or now). */
static __always_inline void bio_count_proc(struct hub_ctx *hc, __u32 tgid, __u64 bytes)
{
	__u64 *c = hub__proc_counters(hc, HUB_PART_bio, tgid);

	if (!c) {
		counters__inc(&bio_stats, BIO_STAT_PROCS_FULL);
		return;
	}
	c[0]++;
	c[1] += bytes;
}

/* A request went to the driver (straight away, or after being queued). */
static __always_inline int on_issue(struct hub_ctx *hc, struct bio_key *key, __u64 bytes)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct bio_inflight e = { .issue_ts = now, .bytes = bytes, .tgid = tgid };
	struct bio_inflight *old;
	bool pass = filter__pass(tgid);
	long err;

	if (pass) {
		e.flags = BIO_F_COUNTED;
		if (targ_slow)
			bpf_get_current_comm(e.comm, sizeof(e.comm));
	} else {
		e.flags = BIO_F_SKIP;
	}
	/* Most requests were not queued: one update, no lookup first. */
	err = bpf_map_update_elem(&bio_inflight, key, &e, BPF_NOEXIST);
	if (!err) {
		if (pass)
			bio_count_proc(hc, tgid, bytes);
		return 0;
	}
	/*
	 * The key is there (the request was queued first), or the map is full.
	 * Not told by err: 6.1 fails the update of a queued request with another
	 * error than -EEXIST (its requests were all left unmatched).
	 */
	old = bpf_map_lookup_elem(&bio_inflight, key);
	if (!old) {
		counters__inc(&bio_stats, BIO_STAT_INFLIGHT_FULL);
		return 0;
	}
	if (old->flags & BIO_F_SKIP)
		return 0;
	old->issue_ts = now;
	old->bytes = bytes;
	old->flags &= ~BIO_F_REQUEUED;
	if (old->flags & BIO_F_COUNTED)
		return 0; /* issued again after a requeue */
	old->flags |= BIO_F_COUNTED;
	bio_count_proc(hc, old->tgid, bytes);
	return 0;
}

/* Send a slow request to user space; a full ring buffer is a drop. */
static __always_inline void send_slow(const struct bio_inflight *e, const struct rq_info *ri,
				      __u64 now, __u64 queue_ns, __u64 device_ns)
{
	struct bio_slow_event *ev;
	long pending;

	ev = bpf_ringbuf_reserve(&bio_events, sizeof(*ev), 0);
	if (!ev) {
		counters__inc(&bio_stats, BIO_STAT_RING_FULL);
		return;
	}
	ev->ts = now;
	ev->sector = ri->sector;
	ev->bytes = e->bytes;
	ev->queue_ns = queue_ns;
	ev->device_ns = device_ns;
	ev->tgid = e->tgid;
	ev->dev = ri->dev;
	ev->op = ri->op;
	__builtin_memcpy(ev->comm, e->comm, sizeof(ev->comm));
	/* User space drains at every interval; wake it only when the buffer fills up. */
	pending = bpf_ringbuf_query(&bio_events, BPF_RB_AVAIL_DATA);
	bpf_ringbuf_submit(ev, pending > BIO_RING_BYTES / 2 ? BPF_RB_FORCE_WAKEUP :
							      BPF_RB_NO_WAKEUP);
}

/* A request finished: account its stages in the histogram of its disk and op. */
static __always_inline int on_complete(struct bio_key *key, const struct rq_info *ri)
{
	struct bio_hist_key hk = {};
	struct bio_inflight *e;
	__u32 zero = 0;
	struct bio_hist *h;
	__u64 now, queue_ns, device_ns, div, lat;

	e = bpf_map_lookup_elem(&bio_inflight, key);
	if (!e) {
		counters__inc(&bio_stats, BIO_STAT_UNMATCHED);
		return 0;
	}
	if (e->flags & BIO_F_SKIP)
		goto out;
	if (!e->issue_ts) {
		counters__inc(&bio_stats, BIO_STAT_UNMATCHED); /* ended without reaching the driver */
		goto out;
	}
	now = bpf_ktime_get_ns();
	device_ns = now - e->issue_ts;
	queue_ns = e->insert_ts ? e->issue_ts - e->insert_ts : 0;
	if (targ_per_disk)
		hk.dev = ri->dev;
	if (targ_per_op)
		hk.op = ri->op;
	h = targ_split ? bpf_map_lookup_elem(&bio_hists, &hk) :
			 bpf_map_lookup_elem(&bio_hist_all, &zero);
	if (!h && targ_split) {
		bpf_map_update_elem(&bio_hists, &hk, &zero_hist, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&bio_hists, &hk);
	}
	if (!h) {
		counters__inc(&bio_stats, BIO_STAT_HISTS_FULL);
		goto out;
	}
	div = targ_ms ? 1000000 : 1000;
	/* Most requests were never queued: spare the division. */
	h->queue[queue_ns ? slot_of(queue_ns / div) : 0]++;
	h->device[slot_of(device_ns / div)]++;
	if (targ_queued)
		h->total[slot_of((queue_ns + device_ns) / div)]++;
	if (targ_size)
		h->size[slot_of(e->bytes)]++;
	h->queue_ns += queue_ns;
	h->device_ns += device_ns;
	h->bytes += e->bytes;
	lat = targ_queued ? queue_ns + device_ns : device_ns;
	if (targ_slow && lat >= targ_slow_ns)
		send_slow(e, ri, now, queue_ns, device_ns);
out:
	bpf_map_delete_elem(&bio_inflight, key);
	return 0;
}

/* Sent back to the queue: it will be issued again. */
static __always_inline int on_requeue(struct bio_key *key)
{
	struct bio_inflight *e = bpf_map_lookup_elem(&bio_inflight, key);

	if (!e)
		return 0;
	counters__inc(&bio_stats, BIO_STAT_REQUEUED);
	e->flags |= BIO_F_REQUEUED;
	e->issue_ts = 0;
	return 0;
}

/* Merged into another queued request: it will never be issued itself. */
static __always_inline int on_merge(struct bio_key *key)
{
	if (!bpf_map_delete_elem(&bio_inflight, key))
		counters__inc(&bio_stats, BIO_STAT_MERGED);
	return 0;
}

/* rq_info of rq for the completion: read only what the options need. */
static __always_inline void rq_info__btf(struct request *rq, struct rq_info *ri)
{
	if (targ_per_disk || targ_slow)
		ri->dev = rq_dev(rq);
	if (targ_per_op || targ_slow)
		ri->op = op_of_flags(rq->cmd_flags);
	if (targ_slow)
		ri->sector = rq->__sector;
}

static __always_inline void rq_info__raw(struct request *rq, struct rq_info *ri)
{
	if (targ_per_disk || targ_slow)
		ri->dev = rq_dev(rq);
	if (targ_per_op || targ_slow)
		ri->op = op_of_flags(BPF_CORE_READ(rq, cmd_flags));
	if (targ_slow)
		ri->sector = BPF_CORE_READ(rq, __sector);
}

/*
 * A request's key: its address on the typed rungs; the classic tracepoints
 * have none, there a request is its disk and start sector.
 */
#define BIO_KEY(a, type)                                                                  \
	((a)->rung == HUB_RUNG_TP ?                                                       \
		 (struct bio_key){ .id = HUB_RECORD(a, type)->dev,                        \
				   .sector = HUB_RECORD(a, type)->sector } :              \
		 (struct bio_key){ .id = (__u64)(a)->rq })

HUB_HANDLER(bio, block_rq_insert)
{
	struct bio_key key = BIO_KEY(a, trace_event_raw_block_rq);

	on_insert(&key);
}

HUB_HANDLER(bio, block_rq_issue)
{
	struct bio_key key = BIO_KEY(a, trace_event_raw_block_rq);

	on_issue(hc, &key, a->rung == HUB_RUNG_TP ? HUB_RECORD(a, trace_event_raw_block_rq)->bytes :
						HUB_READ(a, a->rq, __data_len));
}

HUB_HANDLER(bio, block_rq_complete)
{
	struct bio_key key = BIO_KEY(a, trace_event_raw_block_rq_completion);
	struct rq_info ri = {};

	if (a->rung == HUB_RUNG_BTF) {
		rq_info__btf(a->rq, &ri);
	} else if (a->rung == HUB_RUNG_RAW) {
		rq_info__raw(a->rq, &ri);
	} else {
		struct trace_event_raw_block_rq_completion *r =
			HUB_RECORD(a, trace_event_raw_block_rq_completion);
		char rwbs[sizeof(r->rwbs)];

		ri.sector = r->sector;
		ri.dev = r->dev;
		if (targ_per_op || targ_slow) {
			/* A copy, not ctx reads: the verifier allows only fixed offsets into ctx. */
			bpf_probe_read_kernel(rwbs, sizeof(rwbs), r->rwbs);
			ri.op = op_of_rwbs(rwbs);
		}
	}
	on_complete(&key, &ri);
}

HUB_HANDLER(bio, block_rq_requeue)
{
	struct bio_key key = BIO_KEY(a, trace_event_raw_block_rq_requeue);

	on_requeue(&key);
}

HUB_HANDLER(bio, block_rq_merge)
{
	struct bio_key key = BIO_KEY(a, trace_event_raw_block_rq);

	on_merge(&key);
}
