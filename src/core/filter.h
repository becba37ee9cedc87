/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The shared filter, user side: parsed from -p/-c/--cgroup, applied in kernel by every tracer. */
#ifndef TRACERHUB_CORE_FILTER_H
#define TRACERHUB_CORE_FILTER_H

#include <linux/types.h>
#include "bpf/filter.h"

struct bpf_map;

struct filter {
	__u32 pids[FILTER_MAX_PIDS];
	unsigned int npids;
	char comm[FILTER_COMM_LEN];
	const char *cgroup_path; /* NULL when unset */
};

/*
 * Add a process id from text. Returns 0, -EINVAL (not a positive number),
 * -ESRCH (no such process) or -E2BIG (more than FILTER_MAX_PIDS).
 */
int filter__add_pid(struct filter *f, const char *arg);
/* Set the comm to match (first 15 bytes, as the kernel keeps). Returns 0 or -EINVAL (empty). */
int filter__set_comm(struct filter *f, const char *arg);
/*
 * Set the cgroup directory. Returns 0, -errno when it cannot be opened as a
 * directory, or -EMEDIUMTYPE when it is not on cgroup v2.
 */
int filter__set_cgroup(struct filter *f, const char *path);
/* Fill a tracer's rodata filter_cfg (before load). */
void filter__to_cfg(const struct filter *f, struct filter_cfg *cfg);
/* Fill a tracer's filter maps (after load). Returns 0 or a negative errno. */
int filter__fill_maps(const struct filter *f, struct bpf_map *pids, struct bpf_map *cgroup);

#endif
