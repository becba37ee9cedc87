/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Clock readings in ns, and the conversion of BPF's monotonic stamps into wall-clock time. */
#ifndef TRACERHUB_CORE_CLOCK_H
#define TRACERHUB_CORE_CLOCK_H

#include <time.h>
#include <linux/types.h>

/* clk (CLOCK_MONOTONIC, CLOCK_REALTIME, ...) now, in ns. */
__u64 clock__ns(clockid_t clk);

/*
 * What turns BPF's stamps (bpf_ktime_get_ns(): CLOCK_MONOTONIC) into wall-clock
 * time (CLOCK_REALTIME): the offset between the clocks, which the core reads
 * when tracers start and at each interval (tracer_env's wall), so that a step
 * or slew of the wall clock reaches every tracer's events at once.
 */
struct clock_wall {
	__u64 mono_to_real; /* CLOCK_REALTIME - CLOCK_MONOTONIC, in ns */
};

/* Read the offset now. */
void clock_wall__sync(struct clock_wall *w);

/* The wall-clock time, in ns, of the CLOCK_MONOTONIC stamp mono_ns. */
static inline __u64 clock_wall__of(const struct clock_wall *w, __u64 mono_ns)
{
	return mono_ns + w->mono_to_real;
}

#endif
