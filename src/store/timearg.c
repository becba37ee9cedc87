// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "store/timearg.h"

#define NS 1000000000.0

/* A positive number with an optional one-letter suffix from units (multipliers in mult). */
static int scaled(const char *s, const char *units, const double *mult, double *out)
{
	char *end;
	const char *u;
	double v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return -EINVAL;
	if (*end) {
		u = strchr(units, *end);
		if (!u || end[1])
			return -EINVAL;
		v *= mult[u - units];
	}
	*out = v;
	return 0;
}

int timearg__duration(const char *s, __u64 *out)
{
	static const double mult[] = {NS, 60 * NS, 3600 * NS, 86400 * NS};
	double v;

	if (scaled(s, "smhd", mult, &v))
		return -EINVAL;
	if (!strpbrk(s, "smhd")) /* a bare number is seconds */
		v *= NS;
	if (v < 1 || v > 1e19)
		return -EINVAL;
	*out = (__u64)v;
	return 0;
}

int timearg__size(const char *s, __u64 *out)
{
	static const double mult[] = {1024.0, 1048576.0, 1073741824.0, 1099511627776.0};
	double v;

	if (scaled(s, "KMGT", mult, &v) || v < 1 || v > 1e18)
		return -EINVAL;
	*out = (__u64)v;
	return 0;
}

/* Local time tm to ns; -EINVAL when it does not exist. */
static int local_ns(struct tm *tm, __u64 *out)
{
	time_t t;

	tm->tm_isdst = -1;
	t = mktime(tm);
	if (t == (time_t)-1 || t < 0)
		return -EINVAL;
	*out = (__u64)t * 1000000000ULL;
	return 0;
}

int timearg__parse(const char *s, __u64 base_ns, __u64 *out)
{
	static const double mult[] = {NS, 60 * NS, 3600 * NS, 86400 * NS};
	struct tm tm = {0};
	const char *end;
	time_t base = (time_t)(base_ns / 1000000000ULL);
	double v;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '+') {
		if (scaled(s + 1, "smhd", mult, &v) || v > 1e18)
			return -EINVAL;
		/* a bare offset is seconds */
		if (!strpbrk(s + 1, "smhd"))
			v *= NS;
		*out = base_ns + (__u64)v;
		return 0;
	}
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || *end) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
	}
	if (end && !*end)
		return local_ns(&tm, out);
	if (strchr(s, ':')) {
		localtime_r(&base, &tm);
		end = strptime(s, "%H:%M:%S", &tm);
		if (!end || *end) {
			localtime_r(&base, &tm);
			tm.tm_sec = 0;
			end = strptime(s, "%H:%M", &tm);
		}
		if (!end || *end)
			return -EINVAL;
		return local_ns(&tm, out);
	}
	if (scaled(s, "", mult, &v) || v > 1e10)
		return -EINVAL;
	*out = (__u64)(v * NS);
	return 0;
}
