/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-process entries of a per-CPU hash keyed by tgid whose value starts with
 * __u64 counters and holds char comm[16] at comm_off: created on first use,
 * named after the process' main thread (not whichever thread ran first).
 * Tracers count into them through the hub's per-CPU process cell
 * (bpf/hub_cell.bpf.h), which also renames them after an exec.
 */
#ifndef TRACERHUB_BPF_PROC_ENTRY_BPF_H
#define TRACERHUB_BPF_PROC_ENTRY_BPF_H

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

#endif
