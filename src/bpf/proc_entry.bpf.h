/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-process entries of a per-CPU hash keyed by tgid whose value starts with
 * __u64 counters and holds char comm[16] at comm_off: created on first use,
 * named after the process' main thread (not whichever thread ran first).
 *
 * proc_cache__counters() puts a per-CPU write-back cache in front of such a
 * hash: a CPU keeps counting the process it is running in a per-CPU array
 * (an inlined lookup) and adds the counts to the hash only when it counts
 * another process. User space adds the caches' pending counts to the hash's
 * (core/proc_table.c), reading the hash first: the cache is invalidated
 * before it is flushed, so a read can only come out short, never double.
 */
#ifndef TRACERHUB_BPF_PROC_ENTRY_BPF_H
#define TRACERHUB_BPF_PROC_ENTRY_BPF_H

#include "bpf/proc_cache.h"

#define PROC_ENTRY_COMM_LEN 16

/*
 * The entry of tgid in map, created from init (room for the map's value,
 * init_size bytes, on the caller's stack: zeroed here, only when the entry is
 * missing) when missing. NULL when the map is full.
 */
static __always_inline void *proc_entry__get(void *map, __u32 tgid, void *init,
					     const __u32 init_size, __u32 comm_off)
{
	struct task_struct *task, *leader;
	void *p = bpf_map_lookup_elem(map, &tgid);

	if (p)
		return p;
	__builtin_memset(init, 0, init_size);
	task = (struct task_struct *)bpf_get_current_task();
	leader = BPF_CORE_READ(task, group_leader);
	bpf_core_read_str((char *)init + comm_off, PROC_ENTRY_COMM_LEN, &leader->comm);
	bpf_map_update_elem(map, &tgid, init, BPF_NOEXIST);
	return bpf_map_lookup_elem(map, &tgid);
}

/* After an exec: the process has a new name. */
static __always_inline void proc_entry__rename(void *entry, __u32 comm_off)
{
	bpf_get_current_comm((char *)entry + comm_off, PROC_ENTRY_COMM_LEN);
}

/*
 * The ncounters counters to increment for the current process tgid in cache
 * entry c (struct proc_cache_head, then the hash's value type, possibly more
 * after it: a CPU's own entry of a per-CPU array) in front of hash. init,
 * init_size: as for proc_entry__get. NULL when the hash is full (the caller
 * counts a drop).
 */
static __always_inline __u64 *proc_cache__pending(struct proc_cache_head *c, void *hash,
						  __u32 tgid, void *init, const __u32 init_size,
						  __u32 comm_off, const __u32 ncounters)
{
	__u64 *pending = (__u64 *)(c + 1), *h;
	__u32 old;

	if (c->tgid == tgid && c->valid)
		return pending;
	old = c->tgid;
	if (c->valid) {
		/* Invalidate before flushing: a concurrent reader may miss, never double. */
		c->valid = 0;
		asm volatile("" ::: "memory");
		h = bpf_map_lookup_elem(hash, &old);
		if (h) {
#pragma unroll
			for (__u32 i = 0; i < ncounters; i++)
				h[i] += pending[i]; /* this CPU's copy: no one else writes it */
		}
	}
	if (!proc_entry__get(hash, tgid, init, init_size, comm_off))
		return NULL;
#pragma unroll
	for (__u32 i = 0; i < ncounters; i++)
		pending[i] = 0;
	c->tgid = tgid;
	asm volatile("" ::: "memory");
	c->valid = 1;
	return pending;
}

/*
 * proc_cache__pending with the entry taken from cache, a per-CPU array of
 * nslots entries: tgid's slot is tgid % nslots, so processes that take turns
 * on a CPU can each keep theirs.
 */
static __always_inline __u64 *proc_cache__counters_n(void *cache, const __u32 nslots, void *hash,
						     __u32 tgid, void *init, const __u32 init_size,
						     __u32 comm_off, const __u32 ncounters)
{
	__u32 slot = tgid % nslots;
	struct proc_cache_head *c = bpf_map_lookup_elem(cache, &slot);

	if (!c)
		return NULL;
	return proc_cache__pending(c, hash, tgid, init, init_size, comm_off, ncounters);
}

/* proc_cache__counters_n with a one-entry cache. */
static __always_inline __u64 *proc_cache__counters(void *cache, void *hash, __u32 tgid, void *init,
						   const __u32 init_size, __u32 comm_off,
						   const __u32 ncounters)
{
	return proc_cache__counters_n(cache, 1, hash, tgid, init, init_size, comm_off, ncounters);
}

#endif
