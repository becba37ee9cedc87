/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Reading BPF maps from user space: walk every entry, per-CPU values laid out per CPU. */
#ifndef TRACERHUB_CORE_MAPS_H
#define TRACERHUB_CORE_MAPS_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Called for each entry: values points at one value (plain maps) or ncpus
 * values each maps__percpu_stride(value_size) bytes apart (per-CPU maps).
 * Return 0 to go on, < 0 to stop the walk.
 */
typedef int (*maps_visit_fn)(const void *key, const void *values, int ncpus, void *ctx);

/* Bytes between two CPUs' copies of a per-CPU value. */
size_t maps__percpu_stride(size_t value_size);
/*
 * Walk all entries of map fd. Returns 0, the visitor's negative value, or a
 * negative errno from the kernel.
 */
int maps__for_each(int fd, size_t key_size, size_t value_size, int percpu, maps_visit_fn fn,
		   void *ctx);
/*
 * Every CPU's copy of the value at key in per-CPU map fd, into *vals
 * (allocated here, free() it; NULL on error), maps__percpu_stride(value_size)
 * bytes apart. Returns the number of CPUs or a negative errno.
 */
int maps__lookup_percpu(int fd, const void *key, size_t value_size, void **vals);
/* Sum field at byte offset off (a __u64) over the ncpus copies of a per-CPU value. */
__u64 maps__percpu_sum(const void *values, int ncpus, size_t value_size, size_t off);

/* Sum every CPU's copy of the n __u64 entries of per-CPU array fd. 0 or a negative errno. */
int maps__sum_array(int fd, __u32 n, __u64 *sum);
/* sums[k] = entry k of per-CPU __u64 array fd summed over CPUs, k < n. 0 or a negative errno. */
int maps__percpu_u64s(int fd, __u32 n, __u64 *sums);

/*
 * The counters of a tracer's cumulative per-CPU arrays as what they added since
 * the last call: *prev (prev[k]) holds the sum (each entry's sum) between calls,
 * 0 before the first; *delta (delta[k]) gets the change. 0, or a negative errno
 * with prev as it was.
 */
int maps__sum_array_delta(int fd, __u32 n, __u64 *prev, __u64 *delta);
int maps__percpu_u64s_delta(int fd, __u32 n, __u64 *prev, __u64 *delta);

#endif
