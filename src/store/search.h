/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Prefix search over a recording, answered from indexes with range scans
 * (value >= prefix AND value < the next prefix): process names, addresses
 * (lowercase hex) and connection endpoints.
 */
#ifndef TRACERHUB_STORE_SEARCH_H
#define TRACERHUB_STORE_SEARCH_H

#include <stddef.h>
#include <sqlite3.h>

struct json_writer;

#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX     1000
#define SEARCH_PREFIX_MAX    64

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
 * The smallest string greater than every string starting with prefix, into
 * buf; false when there is none (empty prefix or only 0xff bytes).
 */
bool search__prefix_end(const char *prefix, char *buf, size_t len);

#endif
