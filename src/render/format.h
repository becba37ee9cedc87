/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Human units for terminal output: counts with K/M/G, bytes with KiB/MiB/GiB. */
#ifndef TRACERHUB_RENDER_FORMAT_H
#define TRACERHUB_RENDER_FORMAT_H

#include <stddef.h>
#include <linux/types.h>

/*
 * "999", "1.2K", "12K", "1.2M", "3.4G", "1.0T": at most 5 characters; below
 * 10 with one decimal ("0.5", "2.0"; 0 is "0"), and a rate above 0 but below
 * 0.05 is "<0.1", never "0". Returns buf.
 */
const char *format__count(char *buf, size_t len, double v);
/* "999B", "1.2KiB", "12KiB", "1.2MiB", ...: at most 6 characters. Returns buf. */
const char *format__bytes(char *buf, size_t len, double v);
/* A duration in ns as "850ns", "12.3us", "4.56ms", "1.23s". Returns buf. */
const char *format__ns(char *buf, size_t len, double ns);
/* A CLOCK_REALTIME time as RFC 3339 in UTC with nanoseconds: "2026-12-01T19:22:01.661000123Z". */
const char *format__rfc3339(char *buf, size_t len, __u64 realtime_ns);
/* A CLOCK_REALTIME time as local wall-clock "HH:MM:SS.mmm", as event tools print it. */
const char *format__clock(char *buf, size_t len, __u64 realtime_ns);
/* Copy src into dst of width w (bytes), cutting it with a trailing '+' when longer. */
void format__truncate(char *dst, size_t w, const char *src);
/*
 * A value v of metric m seen over interval_ns: counters per second (K/M, or
 * KiB/MiB for bytes; CPU time as a % of the interval), gauges as is. Returns buf.
 */
const char *format__metric(char *buf, size_t len, int m, __u64 v, __u64 interval_ns);

#endif
