/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Prefix search over a recording, answered from indexes with range scans:
 * process names and connection endpoints (value >= prefix AND value < the
 * next prefix), addresses (integers: the ranges whose hex starts with the
 * prefix).
 */
#ifndef TRACERHUB_STORE_SEARCH_H
#define TRACERHUB_STORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <sqlite3.h>
#include <linux/types.h>

struct json_writer;

#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX     1000
#define SEARCH_PREFIX_MAX    64
#define SEARCH_RANGES_MAX    18 /* one per number of hex digits, and the split at 2^63 */

/* Addresses low..high (inclusive). */
struct search_range {
	__u64 low, high;
};

/*
 * Write the first limit matches of prefix in kind ("comm", "addr" or
 * "endpoint") as one JSON object: {"kind", "prefix", "matches": [...],
 * "more": true when there are more, "elapsed_us"}. Returns 0, -EINVAL with
 * *why set (unknown kind, bad prefix or limit; nothing written) or -EIO with
 * *why set when the file cannot be read.
 */
int search__run(sqlite3 *db, const char *kind, const char *prefix, unsigned int limit,
		struct json_writer *w, const char **why);
/*
 * The address ranges whose lowercase hex (no leading zeros) starts with hex
 * (normalized, at most 16 digits), in ascending order, into out (room for
 * SEARCH_RANGES_MAX). Returns how many: 0 when no address can match.
 */
unsigned int search__addr_ranges(const char *hex, struct search_range *out);
/*
 * The smallest string greater than every string starting with prefix, into
 * buf; false when there is none (empty prefix or only 0xff bytes).
 */
bool search__prefix_end(const char *prefix, char *buf, size_t len);

#endif
