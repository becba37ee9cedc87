/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Head of a per-CPU process-counter cache entry (see proc_entry.bpf.h), seen by both sides. */
#ifndef TRACERHUB_BPF_PROC_CACHE_H
#define TRACERHUB_BPF_PROC_CACHE_H

/* Followed by the per-process hash's value type (counters first). */
struct proc_cache_head {
	__u32 tgid;  /* process the pending counters belong to */
	__u32 valid; /* 0: nothing pending */
};

#endif
