// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "model/snapshot.h"
#include "store/fields.h"

/* Longer "durations" are absolute times (e.g. a process' start_ns): about 3 years. */
#define DURATION_MAX_NS 100000000000000000ULL

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Numeric fields that hold an address, by key. */
static bool is_addr_key(const char *k)
{
	static const char *const exact[] = {"addr", "skb", "sk", "sock", "ptr"};
	static const char *const suffix[] = {"_addr", "_ptr", "_skb", "_sk"};

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(k, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++)
		if (ends_with(k, suffix[i]))
			return true;
	return false;
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

static bool is_port(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n >= 1 && n <= 5 && !s[n];
}

/* "1.2.3.4", "1.2.3.4:80", "[v6]:80", "v6" */
static bool is_endpoint(const char *v)
{
	unsigned char addr[16];
	char host[SNAP_FIELD_STR_LEN];
	const char *colon, *end;

	if (v[0] == '[') {
		end = strchr(v, ']');
		if (!end || (size_t)(end - v - 1) >= sizeof(host))
			return false;
		snprintf(host, sizeof(host), "%.*s", (int)(end - v - 1), v + 1);
		return inet_pton(AF_INET6, host, addr) == 1 &&
		       (!end[1] || (end[1] == ':' && is_port(end + 2)));
	}
	colon = strchr(v, ':');
	if (colon && strchr(colon + 1, ':'))
		return inet_pton(AF_INET6, v, addr) == 1;
	if (!colon)
		return inet_pton(AF_INET, v, addr) == 1;
	snprintf(host, sizeof(host), "%.*s", (int)(colon - v), v);
	return inet_pton(AF_INET, host, addr) == 1 && is_port(colon + 1);
}

static void lower_copy(char *dst, size_t len, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 1 < len; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[i] = '\0';
}

const char *fields__kind_name(enum field_kind k)
{
	return k == FIELD_ADDR ? "addr" : k == FIELD_ENDPOINT ? "endpoint" : NULL;
}

enum field_kind fields__classify(const struct snap_field *f, char *buf, size_t len)
{
	if (!f->is_str) {
		if (!f->key || !is_addr_key(f->key))
			return FIELD_PLAIN;
		snprintf(buf, len, "%llx", (unsigned long long)f->num);
		return FIELD_ADDR;
	}
	if ((f->str[0] == '0' && (f->str[1] == 'x' || f->str[1] == 'X')) && all_hex(f->str + 2)) {
		lower_copy(buf, len, f->str + 2 + strspn(f->str + 2, "0"));
		if (!buf[0])
			snprintf(buf, len, "0");
		return FIELD_ADDR;
	}
	if (is_endpoint(f->str)) {
		/* "[v6]:port" is searched without its '[' so that "fe80::" finds it */
		lower_copy(buf, len, f->str + (f->str[0] == '['));
		return FIELD_ENDPOINT;
	}
	return FIELD_PLAIN;
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
