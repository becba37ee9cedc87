// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "model/snapshot.h"
#include "store/fields.h"

/* Longer "durations" are absolute times (e.g. a process' start_ns): about 3 years. */
#define DURATION_MAX_NS 100000000000000000ULL

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static bool all_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

int fields__normalize_prefix(const char *kind, const char *prefix, char *buf, size_t len)
{
	if (!strcmp(kind, "comm")) {
		snprintf(buf, len, "%s", prefix);
		return 0;
	}
	if (!strcmp(kind, "endpoint")) {
		lower_copy(buf, len, prefix + (prefix[0] == '['));
		return 0;
	}
	if (strcmp(kind, "addr"))
		return -EINVAL;
	if (prefix[0] == '0' && (prefix[1] == 'x' || prefix[1] == 'X'))
		prefix += 2;
	if (*prefix && !all_hex(prefix))
		return -EINVAL;
	lower_copy(buf, len, prefix);
	return 0;
}

__u64 fields__duration_ns(const struct snap_event *e)
{
	static const struct {
		const char *suffix;
		__u64 mult;
	} units[] = {{"_ns", 1}, {"_us", 1000}, {"_ms", 1000000}};
	__u64 best = 0;

	for (unsigned int i = 0; i < e->nfields; i++) {
		const struct snap_field *f = &e->fields[i];

		for (size_t u = 0; !f->is_str && f->key && u < sizeof(units) / sizeof(units[0]);
		     u++)
			if (ends_with(f->key, units[u].suffix) && f->num * units[u].mult > best &&
			    f->num * units[u].mult < DURATION_MAX_NS)
				best = f->num * units[u].mult;
	}
	return best;
}
