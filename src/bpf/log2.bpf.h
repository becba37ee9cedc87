/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Log2 slot of a value, without branches: the BPF backend has no
 * count-leading-zeros, and a binary search with a branch per step makes the
 * verifier follow every path (2^6 per call, multiplied by each later call in
 * the same program) because the slot indexes a map value. Here there is one
 * path, and the result's range is known (0..64).
 */
#ifndef TRACERHUB_BPF_LOG2_BPF_H
#define TRACERHUB_BPF_LOG2_BPF_H

#include "bpf/index.bpf.h"

/* 1 when v > c, else 0, for v < 2^63 and a small constant c: the borrow of c - v. */
#define LOG2_GT(v, c) (((__u64)(c) - (v)) >> 63)

/* Slot of v in a log2 histogram: 0 for v == 0, else floor(log2(v)) + 1 (64 for v >= 2^63). */
static __always_inline __u32 log2_slot(__u64 v)
{
	__u64 r, s;

	r = v >> 63; /* the top bit alone: 2^63 and above share the last slot */
	v = v >> r;
	/* unrolled on purpose, five alike steps: no loop for the verifier or the hot path */
	s = LOG2_GT(v, 0xffffffffULL) << 5;
	v >>= s;
	r = s + r;
	s = LOG2_GT(v, 0xffff) << 4;
	v >>= s;
	r += s;
	s = LOG2_GT(v, 0xff) << 3;
	v >>= s;
	r += s;
	s = LOG2_GT(v, 0xf) << 2;
	v >>= s;
	r += s;
	s = LOG2_GT(v, 0x3) << 1;
	v >>= s;
	r += s;
	s = LOG2_GT(v, 0x1);
	v >>= s;
	r += s;
	return (__u32)(r + (v & 1));
}

/*
 * The slot of v in a log2 histogram of max + 1 slots (the last one takes
 * everything above): an index the verifier knows is at most max.
 */
static __always_inline __u32 log2_slot_max(__u64 v, __u64 max)
{
	return index_max(log2_slot(v), max);
}

#endif
