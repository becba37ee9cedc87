/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Log2 slot of a value, without __builtin_clzll (the BPF backend has no count-leading-zeros). */
#ifndef TRACERHUB_BPF_LOG2_BPF_H
#define TRACERHUB_BPF_LOG2_BPF_H

/* Slot of v in a log2 histogram: 0 for v == 0, else floor(log2(v)) + 1. */
static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 slot = 0;

	if (v >> 32) {
		v >>= 32;
		slot += 32;
	}
	if (v >> 16) {
		v >>= 16;
		slot += 16;
	}
	if (v >> 8) {
		v >>= 8;
		slot += 8;
	}
	if (v >> 4) {
		v >>= 4;
		slot += 4;
	}
	if (v >> 2) {
		v >>= 2;
		slot += 2;
	}
	if (v >> 1) {
		v >>= 1;
		slot += 1;
	}
	return slot + (__u32)v;
}

#endif
