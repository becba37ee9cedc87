/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Counter arrays of the tracers' kernel sides: n cumulative __u64 counters
 * (drops by reason, lines seen, ...), one copy per CPU so that no increment
 * is contended, summed by user space (core/maps.h: maps__percpu_u64s_delta,
 * maps__sum_array_delta).
 */
#ifndef TRACERHUB_BPF_COUNTERS_BPF_H
#define TRACERHUB_BPF_COUNTERS_BPF_H

/*
 * Declare counter array name of n counters, on a line of its own as
 * "BPF_COUNTERS(name, n);" (scripts/gen-hub.sh gives the map to its directory).
 */
#define BPF_COUNTERS(name, n)                                                                      \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, n);                                                            \
		__type(key, __u32);                                                                \
		__type(value, __u64);                                                              \
	} name SEC(".maps")

/* Add one to counter k of counter array map (a BPF_COUNTERS). */
static __always_inline void counters__inc(void *map, __u32 k)
{
	__u64 *cnt = bpf_map_lookup_elem(map, &k);

	if (cnt)
		(*cnt)++;
}

#endif
