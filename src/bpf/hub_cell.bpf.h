/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The per-CPU process cell the tracers of one hub share (included by the
 * generated hub.bpf.c after every tracer). Tracers count per process in
 * per-CPU hashes keyed by tgid (declared with HUB_PROCS); a hash lookup per
 * event would cost more than the counting, so a CPU keeps counting the
 * process it is running in a cell, a slot of a per-CPU array (an inlined
 * lookup), and adds the counts to the hashes only when another process takes
 * the slot. The cell is looked up once per event for every tracer counting
 * it (struct hub_ctx keeps it), and holds each table's pending counters.
 *
 * User space (core/proc_table.c) adds the cells' pending counts to the hash's,
 * reading the hash first: a cell is invalidated before it is flushed, so a
 * read can only come out short, never double.
 */
#ifndef TRACERHUB_BPF_HUB_CELL_BPF_H
#define TRACERHUB_BPF_HUB_CELL_BPF_H

#include "bpf/proc_entry.bpf.h"

#define HUB_CELL_SLOTS 8   /* per CPU: a sender and its receiver each keep theirs */
#define HUB_MAX_CPUS   1024 /* CPUs whose copy of an entry is renamed after an exec */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HUB_CELL_SLOTS);
	__type(key, __u32);
	__type(value, struct hub_cell);
} hub_cells SEC(".maps");

/* Generated after the tracers (their tables): flush every part, the counters of one, rename. */
static __always_inline void hub_cell__flush(struct hub_cell *c);
static __always_inline __u64 *hub_cell__part(struct hub_cell *c, enum hub_part part, __u32 tgid);
static __always_inline void hub_procs__rename(__u32 tgid, const char *comm);

/* Add cell c's pending counts of part (when it has some) to the entry of c's process in map. */
#define HUB_CELL_FLUSH(c, part, map, ncounters)                                           \
	do {                                                                              \
		__u64 *h__;                                                               \
                                                                                          \
		if (!hub_part_on_##part || !((c)->parts & (1U << HUB_PART_##part)))       \
			break;                                                            \
		h__ = bpf_map_lookup_elem(&map, &(c)->head.tgid);                         \
		if (!h__)                                                                 \
			break;                                                            \
		_Pragma("unroll") for (__u32 i__ = 0; i__ < (ncounters); i__++)          \
			h__[i__] += (c)->part[i__]; /* this CPU's copy: no one else writes */ \
	} while (0)

/*
 * The pending counters of part in cell c (whose process is tgid), from zero
 * when the part joins the cell: its entry in map is created first. NULL when
 * map is full.
 */
#define HUB_CELL_JOIN(c, part, map, type, ncounters, tgid)                                \
	({                                                                                \
		__u64 *p__ = (c)->part;                                                   \
		type init__;                                                              \
                                                                                          \
		if (!((c)->parts & (1U << HUB_PART_##part))) {                            \
			if (proc_entry__get(&map, tgid, &init__, sizeof(init__),          \
					    __builtin_offsetof(type, comm))) {            \
				_Pragma("unroll") for (__u32 i__ = 0; i__ < (ncounters); i__++) \
					p__[i__] = 0;                                     \
				asm volatile("" ::: "memory");                            \
				(c)->parts |= 1U << HUB_PART_##part;                      \
			} else {                                                          \
				p__ = NULL;                                               \
			}                                                                 \
		}                                                                         \
		p__;                                                                      \
	})

/*
 * Give tgid's entry in map its new name comm on every CPU's copy (each CPU
 * that counted it created its own), or on this CPU's where the kernel cannot
 * look up another CPU's copy.
 */
#define HUB_PROCS_RENAME(part, map, type, tgid, comm)                                     \
	do {                                                                              \
		type *p__;                                                                \
                                                                                          \
		if (!hub_part_on_##part)                                                  \
			break;                                                            \
		if (!bpf_core_enum_value_exists(enum bpf_func_id,                         \
						BPF_FUNC_map_lookup_percpu_elem)) {       \
			p__ = bpf_map_lookup_elem(&map, &tgid);                           \
			if (p__)                                                          \
				__builtin_memcpy(p__->comm, comm, PROC_ENTRY_COMM_LEN);  \
			break;                                                            \
		}                                                                         \
		if (!bpf_map_lookup_elem(&map, &tgid))                                    \
			break;                                                            \
		for (__u32 cpu__ = 0; cpu__ < HUB_MAX_CPUS && cpu__ < hub_nr_cpus; cpu__++) { \
			p__ = bpf_map_lookup_percpu_elem(&map, &tgid, cpu__);             \
			if (p__)                                                          \
				__builtin_memcpy(p__->comm, comm, PROC_ENTRY_COMM_LEN);  \
		}                                                                         \
	} while (0)

/* This CPU's cell in slot, NULL only if slot is out of range. */
static __always_inline struct hub_cell *hub_cell__at(__u32 slot)
{
	return bpf_map_lookup_elem(&hub_cells, &slot);
}

/*
 * The cell of process tgid on this CPU. A process may sit in one of two slots,
 * its first (tgid % HUB_CELL_SLOTS) or its second (the next bits of tgid): with
 * one slot, a sender and its receiver on one CPU whose first slots collide (one
 * pair in eight) flushed each other's counts to the hashes at every event, a
 * few hash lookups each time. A process in neither takes a free one of its
 * two (its first when both are), else its first.
 */
static __always_inline struct hub_cell *hub_cell__get(__u32 tgid)
{
	struct hub_cell *c = hub_cell__at(tgid % HUB_CELL_SLOTS), *c2;

	if (!c || (c->head.tgid == tgid && c->head.valid))
		return c;
	c2 = hub_cell__at(tgid / HUB_CELL_SLOTS % HUB_CELL_SLOTS);
	if (!c2)
		return NULL;
	if (c2->head.tgid == tgid && c2->head.valid)
		return c2;
	if (c->head.valid && !c2->head.valid)
		c = c2;
	/* Invalidate before flushing: a concurrent reader may miss, never double. */
	if (c->head.valid) {
		c->head.valid = 0;
		asm volatile("" ::: "memory");
		hub_cell__flush(c);
	}
	c->parts = 0;
	c->head.tgid = tgid;
	asm volatile("" ::: "memory");
	c->head.valid = 1;
	return c;
}

static __always_inline __u64 *hub__proc_counters(struct hub_ctx *hc, enum hub_part part,
						 __u32 tgid)
{
	struct hub_cell *c = hc->cell;

	if (!c || hc->cell_tgid != tgid) {
		c = hub_cell__get(tgid);
		if (!c)
			return NULL;
		hc->cell = c;
		hc->cell_tgid = tgid;
	}
	return hub_cell__part(c, part, tgid);
}

/* After an exec the process has a new name, in every tracer's table. */
HUB_HANDLER(procs, sched_process_exec)
{
	char comm[PROC_ENTRY_COMM_LEN];

	bpf_get_current_comm(comm, sizeof(comm));
	hub_procs__rename(hub__tgid(hc), comm);
}

#endif
