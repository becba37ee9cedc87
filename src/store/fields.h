/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Event fields for searching and reports: search prefixes normalized the way
 * the recording stores values, and an event's duration ("slowest events").
 */
#ifndef TRACERHUB_STORE_FIELDS_H
#define TRACERHUB_STORE_FIELDS_H

#include <stddef.h>
#include <linux/types.h>

struct snap_event;

/*
 * Normalize a search prefix of kind ("comm", "addr", "endpoint") into buf:
 * lowercase hex without 0x, or the lowercased endpoint without the '[' of an
 * IPv6 one. Returns 0, or -EINVAL for an unknown
 * kind or an address prefix that is not hex.
 */
int fields__normalize_prefix(const char *kind, const char *prefix, char *buf, size_t len);
/*
 * The event's duration in ns: the largest numeric field named *_ns, *_us or
 * *_ms below 1e17 ns (larger ones are absolute times); 0 if none.
 */
__u64 fields__duration_ns(const struct snap_event *e);

#endif
