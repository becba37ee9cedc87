/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Times given on the command line and in queries (--from/--to, at=). */
#ifndef TRACERHUB_STORE_TIMEARG_H
#define TRACERHUB_STORE_TIMEARG_H

#include <linux/types.h>

/*
 * Parse s into ns since the epoch: "+90", "+1.5m", "+2h" (offset from
 * base_ns, the recording's start; suffix s, m, h or d), "1763892000.5"
 * (epoch seconds), "2026-11-23T10:00:00" or "2026-11-23 10:00:00" (local
 * time), "10:00:00" or "10:00" (local time on the day of base_ns). Returns 0
 * or -EINVAL.
 */
int timearg__parse(const char *s, __u64 base_ns, __u64 *out);
/*
 * Parse a size "100000", "64K", "10M", "2G" (powers of 1024) or a duration
 * "90", "30s", "15m", "2h", "7d" into *out (bytes; ns for durations).
 * Returns 0 or -EINVAL (also for 0).
 */
int timearg__size(const char *s, __u64 *out);
int timearg__duration(const char *s, __u64 *out);

#endif
