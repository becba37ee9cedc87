/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Per-process entries of a per-CPU hash keyed by tgid whose value ends with
 * char comm[16] at comm_off: created on first use, named after the process'
 * main thread (not whichever thread ran first).
 */
#ifndef TRACERHUB_BPF_PROC_ENTRY_BPF_H
#define TRACERHUB_BPF_PROC_ENTRY_BPF_H

#define PROC_ENTRY_COMM_LEN 16

/*
 * The entry of tgid in map, created from init (a zeroed value of the map's
 * value size on the caller's stack) when missing. NULL when the map is full.
 */
static __always_inline void *proc_entry__get(void *map, __u32 tgid, void *init, __u32 comm_off)
{
	struct task_struct *task, *leader;
	void *p = bpf_map_lookup_elem(map, &tgid);

	if (p)
		return p;
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

#endif
