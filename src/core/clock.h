/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Clock readings in ns, and the offset that turns BPF's monotonic stamps into wall-clock time. */
#ifndef TRACERHUB_CORE_CLOCK_H
#define TRACERHUB_CORE_CLOCK_H

#include <time.h>
#include <linux/types.h>

/* clk (CLOCK_MONOTONIC, CLOCK_REALTIME, ...) now, in ns. */
__u64 clock__ns(clockid_t clk);
/* CLOCK_REALTIME - CLOCK_MONOTONIC now: add it to a bpf_ktime_get_ns() stamp for wall time. */
__u64 clock__mono_to_real(void);

#endif
