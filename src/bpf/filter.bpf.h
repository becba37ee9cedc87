/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The shared in-kernel filter (-p PID, -c COMM, --cgroup PATH), included by every tracer. */
#ifndef TRACERHUB_BPF_FILTER_BPF_H
#define TRACERHUB_BPF_FILTER_BPF_H

#include "bpf/filter.h"

const volatile struct filter_cfg filter_cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILTER_MAX_PIDS);
	__type(key, __u32);
	__type(value, __u8);
} filter_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} filter_cgroup SEC(".maps");

/* True when a task name equals the -c name. */
static __always_inline bool filter__comm_equal(const char *comm)
{
	for (int i = 0; i < FILTER_COMM_LEN; i++) {
		if (comm[i] != filter_cfg.comm[i])
			return false;
		if (!comm[i])
			break;
	}
	return true;
}

/* True when the current task passes the filter; tgid is the current process id. */
static __always_inline bool filter__pass(__u32 tgid)
{
	if (filter_cfg.pid_on && !bpf_map_lookup_elem(&filter_pids, &tgid))
		return false;
	if (filter_cfg.comm_on) {
		char comm[FILTER_COMM_LEN];

		bpf_get_current_comm(comm, sizeof(comm));
		if (!filter__comm_equal(comm))
			return false;
	}
	if (filter_cfg.cgroup_on && bpf_current_task_under_cgroup(&filter_cgroup, 0) != 1)
		return false;
	return true;
}

/*
 * True when task (of process tgid), not necessarily the current one, passes
 * -p and -c. The cgroup test needs the current task: a caller that cannot
 * use filter__pass must not be loaded with --cgroup.
 */
static __always_inline bool filter__pass_task(struct task_struct *task, __u32 tgid)
{
	if (filter_cfg.pid_on && !bpf_map_lookup_elem(&filter_pids, &tgid))
		return false;
	if (filter_cfg.comm_on) {
		char comm[FILTER_COMM_LEN];

		bpf_core_read_str(comm, sizeof(comm), &task->comm);
		if (!filter__comm_equal(comm))
			return false;
	}
	return true;
}

#endif
