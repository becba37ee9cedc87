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

/*
 * The slot of v in a log2 histogram of max + 1 slots (the last one takes
 * everything above): an index the verifier knows is at most max. The clamp is
 * done in the register that is returned: written in C, clang compares a
 * zero-extended copy and indexes with the original, and the verifier of older
 * kernels (6.1) does not carry the copy's bound over ("unbounded memory
 * access").
 */
static __always_inline __u32 log2_slot_max(__u64 v, __u64 max)
{
	__u64 slot = log2_slot(v);

	asm volatile("if %[slot] <= %[max] goto +1\n\t"
		     "%[slot] = %[max]"
		     : [slot] "+r"(slot)
		     : [max] "r"(max));
	return slot;
}

#endif
