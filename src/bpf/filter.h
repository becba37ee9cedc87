/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The shared in-kernel filter: types seen by both the BPF side and user space. */
#ifndef TRACERHUB_BPF_FILTER_H
#define TRACERHUB_BPF_FILTER_H

#define FILTER_MAX_PIDS 64
#define FILTER_COMM_LEN 16

/* Set in .rodata before load; a switched-off test is removed by the verifier. */
struct filter_cfg {
	__u8 pid_on;    /* only tgids in the filter_pids map */
	__u8 comm_on;   /* only tasks whose comm equals comm[] */
	__u8 cgroup_on; /* only tasks under the cgroup in filter_cgroup */
	__u8 pad;
	char comm[FILTER_COMM_LEN];
};

#endif
