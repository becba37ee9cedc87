/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* bio tracer: types shared by bio.bpf.c and bio.c. */
#ifndef TRACERHUB_TRACERS_BIO_H
#define TRACERHUB_TRACERS_BIO_H


#define BIO_MAX_PROCS	 10240
#define BIO_MAX_INFLIGHT 16384
#define BIO_MAX_HISTS	 1024
#define BIO_SLOTS	 40 /* log2 slots: latency up to 2^39 us, sizes up to 2^39 B */
#define BIO_COMM_LEN	 16
#define BIO_RING_BYTES	 (256 * 1024)

/* Operation of a request (REQ_OP_*), with BIO_OP_SYNC or'ed in for REQ_SYNC. */
enum bio_op {
	BIO_OP_READ,
	BIO_OP_WRITE,
	BIO_OP_FLUSH,
	BIO_OP_DISCARD, /* and secure erase */
	BIO_OP_OTHER,
	BIO_OP_SYNC = 8,
};

/*
 * A request in flight: the request's address (tp_btf, raw_tp), or its disk
 * and start sector (classic tracepoints carry no address).
 */
struct bio_key {
	__u64 id;
	__u64 sector;
};

enum bio_inflight_flags {
	BIO_F_SKIP = 1,	    /* its submitter did not pass the filter */
	BIO_F_REQUEUED = 2, /* requeued: waits to be issued again */
	BIO_F_COUNTED = 4,  /* already counted in its process' row */
};

struct bio_inflight {
	__u64 insert_ts; /* 0 when it was issued without being queued */
	__u64 issue_ts;	 /* 0 until issued */
	__u64 bytes;	 /* at issue */
	__u32 tgid;	 /* process that queued or issued it */
	__u32 flags;	 /* enum bio_inflight_flags */
	char comm[BIO_COMM_LEN]; /* only with --slow */
};

/*
 * Histograms per disk and op; dev and op are 0 unless split by them (-D, -F).
 * Unsplit, one per-CPU array entry holds them (key 0).
 */
struct bio_hist_key {
	__u32 dev; /* kernel dev_t: major << 20 | minor */
	__u32 op;  /* enum bio_op */
};

/* Per-CPU, cumulative. Latency slots count log2 of us (ms with -m). */
struct bio_hist {
	__u64 queue[BIO_SLOTS];	 /* insert -> issue (0 when not queued) */
	__u64 device[BIO_SLOTS]; /* issue -> complete */
	__u64 total[BIO_SLOTS];	 /* insert (or issue) -> complete, with -Q */
	__u64 size[BIO_SLOTS];	 /* bytes, with -s */
	__u64 queue_ns;		 /* summed stage times, ns */
	__u64 device_ns;
	__u64 bytes;
};

/* Per process (tgid); per-CPU, cumulative. The counters come first, in this order. */
struct bio_proc {
	__u64 reqs;
	__u64 bytes;
	char comm[BIO_COMM_LEN];
};

#define BIO_PROC_COUNTERS 2

/* A request slower than --slow, sent over the ring buffer. */
struct bio_slow_event {
	__u64 ts;	 /* completion, CLOCK_MONOTONIC ns */
	__u64 sector;
	__u64 bytes;
	__u64 queue_ns;
	__u64 device_ns;
	__u32 tgid;
	__u32 dev;
	__u32 op;
	char comm[BIO_COMM_LEN];
};

/* Counters of the kernel side (per-CPU array). */
enum bio_stat {
	BIO_STAT_REQUEUED,	  /* requests sent back to the queue */
	BIO_STAT_MERGED,	  /* queued requests merged into another one */
	BIO_STAT_REPLACED,	  /* entries found stale when their key came back */
	BIO_STAT_UNMATCHED,	  /* completions of requests not seen starting */
	BIO_STAT_INFLIGHT_FULL,	  /* drops from here on */
	BIO_STAT_PROCS_FULL,
	BIO_STAT_HISTS_FULL,
	BIO_STAT_RING_FULL,
	BIO_STAT_MAX,
};

#define BIO_STAT_FIRST_DROP BIO_STAT_INFLIGHT_FULL

#endif
