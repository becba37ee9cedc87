// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "model/metric.h"
#include "render/format.h"

/* Scale v by base until it is below base; write with suffix suffixes[i]. */
static const char *scaled(char *buf, size_t len, double v, double base,
			  const char *const *suffixes, int nsuffixes)
{
	int i = 0;

	if (v < 0)
		v = 0;
	while (v >= base - 0.5 && i < nsuffixes - 1) {
		v /= base;
		i++;
	}
	if (i == 0 && v > 0 && v < 0.05)
		snprintf(buf, len, "<0.1%s", suffixes[0]); /* something, less than shown */
	else if (i == 0 && (v >= 9.95 || v == 0))
		snprintf(buf, len, "%.0f%s", v, suffixes[0]);
	else if (v < 9.95)
		snprintf(buf, len, "%.1f%s", v, suffixes[i]);
	else
		snprintf(buf, len, "%.0f%s", v, suffixes[i]);
	return buf;
}

const char *format__count(char *buf, size_t len, double v)
{
	static const char *const sfx[] = { "", "K", "M", "G", "T", "P" };

	return scaled(buf, len, v, 1000.0, sfx, 6);
}

const char *format__bytes(char *buf, size_t len, double v)
{
	static const char *const sfx[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

	return scaled(buf, len, v, 1024.0, sfx, 6);
}

const char *format__ns(char *buf, size_t len, double ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.*fus", ns < 1e4 ? 2 : 1, ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.*fms", ns < 1e7 ? 2 : 1, ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

/*
 * ns (since the epoch) as strftime's whole (UTC or local time), then "." and
 * the first digits of its fraction of a second, then suffix.
 */
static const char *stamp(char *buf, size_t len, __u64 ns, bool utc, const char *whole,
			 int digits, const char *suffix)
{
	time_t sec = (time_t)(ns / 1000000000ULL);
	unsigned long long frac = ns % 1000000000ULL;
	char text[32];
	struct tm tm;

	if (utc)
		gmtime_r(&sec, &tm);
	else
		localtime_r(&sec, &tm);
	strftime(text, sizeof(text), whole, &tm);
	for (int i = digits; i < 9; i++)
		frac /= 10;
	snprintf(buf, len, "%s.%0*llu%s", text, digits, frac, suffix);
	return buf;
}

const char *format__rfc3339(char *buf, size_t len, __u64 realtime_ns)
{
	return stamp(buf, len, realtime_ns, true, "%Y-%m-%dT%H:%M:%S", 9, "Z");
}

const char *format__clock(char *buf, size_t len, __u64 realtime_ns)
{
	return stamp(buf, len, realtime_ns, false, "%H:%M:%S", 3, "");
}

void format__truncate(char *dst, size_t w, const char *src)
{
	size_t n = strlen(src);

	if (n <= w) {
		memcpy(dst, src, n + 1);
		return;
	}
	memcpy(dst, src, w - 1);
	dst[w - 1] = '+';
	dst[w] = '\0';
}

const char *format__metric(char *buf, size_t len, int m, __u64 v, __u64 interval_ns)
{
	const struct metric_info *mi = metric__info(m);
	double r = interval_ns ? (double)v * 1e9 / (double)interval_ns : 0.0;

	if (mi->kind == KIND_GAUGE)
		return mi->unit == UNIT_NS ? format__ns(buf, len, (double)v) :
					     format__count(buf, len, (double)v);
	if (mi->unit == UNIT_NS) {
		snprintf(buf, len, "%.1f", interval_ns ? 100.0 * (double)v / (double)interval_ns : 0.0);
		return buf;
	}
	return mi->unit == UNIT_BYTES ? format__bytes(buf, len, r) : format__count(buf, len, r);
}
