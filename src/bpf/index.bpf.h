/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * An index the verifier knows is at most max, whatever it knew of v. The
 * clamp is done in the register that is returned: written in C, clang may
 * compare a copy (zero-extended, or reloaded from the stack) and index with
 * the original, and the verifier of older kernels (6.1) does not carry the
 * copy's bounds over ("math between map_value pointer and register with
 * unbounded min value", "unbounded memory access"). Unsigned: a negative v
 * becomes max.
 */
#ifndef TRACERHUB_BPF_INDEX_BPF_H
#define TRACERHUB_BPF_INDEX_BPF_H

static __always_inline __u64 index_max(__u64 v, __u64 max)
{
	asm volatile("if %[v] <= %[max] goto +1\n\t"
		     "%[v] = %[max]"
		     : [v] "+r"(v)
		     : [max] "r"(max));
	return v;
}

#endif
