/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Captured bytes of packets whose journey has not ended yet, by packet id:
 * the kernel sends a packet's first bytes at its first stage and its
 * journey when it ends; the capture writes both together.
 */
#ifndef TRACERHUB_TRACERS_PKTJOURNEY_PENDING_H
#define TRACERHUB_TRACERS_PKTJOURNEY_PENDING_H

#include <stddef.h>
#include <linux/types.h>

struct pending_bytes {
	__u64 id; /* 0: free */
	__u32 caplen, wire_len, linktype;
	__u8 *data;
};

struct pending {
	struct pending_bytes *slots;
	size_t cap, n; /* cap: a power of 2 */
	__u64 full;    /* captures dropped: no room */
};

/* Room for cap (a power of 2) packets at once. 0 or -ENOMEM. */
int pending__init(struct pending *p, size_t cap);
/* Free everything; p may be zeroed. */
void pending__free(struct pending *p);
/* Keep caplen bytes of data for packet id. 0, or -ENOSPC (counted in full) or -ENOMEM. */
int pending__put(struct pending *p, __u64 id, const void *data, __u32 caplen, __u32 wire_len,
		 __u32 linktype);
/*
 * Take the bytes of packet id out into *out (out->data is then the caller's
 * to free). 0, or -ENOENT when none are kept.
 */
int pending__take(struct pending *p, __u64 id, struct pending_bytes *out);

#endif
