/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What an event field means to the recording: an address (indexed as
 * lowercase hex), a connection endpoint (indexed as lowercase text), a
 * duration (the event's dur_ns, for "slowest events"), or plain data.
 * The rules are by field key and value, documented in docs/recording.md.
 */
#ifndef TRACERHUB_STORE_FIELDS_H
#define TRACERHUB_STORE_FIELDS_H

#include <stddef.h>
#include <linux/types.h>

struct snap_field;
struct snap_event;

enum field_kind {
	FIELD_PLAIN,
	FIELD_ADDR,	/* kernel or packet data address: numeric *_addr/skb/sk..., or "0x..." */
	FIELD_ENDPOINT, /* "1.2.3.4", "1.2.3.4:80", "[::1]:80", "fe80::1" */
};

/* Search names of the kinds ("addr", "endpoint"); NULL for FIELD_PLAIN. */
const char *fields__kind_name(enum field_kind k);
/*
 * Classify f; for an address or endpoint, write its search text to buf
 * (len >= 24 for addresses): lowercase hex without 0x, or the lowercased
 * endpoint without the '[' of an IPv6 one.
 */
enum field_kind fields__classify(const struct snap_field *f, char *buf, size_t len);
/*
 * Normalize a search prefix of kind ("comm", "addr", "endpoint") into buf the
 * way fields__classify stores values. Returns 0, or -EINVAL for an unknown
 * kind or an address prefix that is not hex.
 */
int fields__normalize_prefix(const char *kind, const char *prefix, char *buf, size_t len);
/*
 * The event's duration in ns: the largest numeric field named *_ns, *_us or
 * *_ms below 1e17 ns (larger ones are absolute times); 0 if none.
 */
__u64 fields__duration_ns(const struct snap_event *e);

#endif
