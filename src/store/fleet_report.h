/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading the fleet from ClickHouse: `report --from clickhouse://...` (per
 * host and summed) and its prefix search across hosts, both answered by
 * ClickHouse with the values as hex literals (no SQL from users' text).
 */
#ifndef TRACERHUB_STORE_FLEET_REPORT_H
#define TRACERHUB_STORE_FLEET_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "store/clickhouse.h"

struct fleet_query {
	struct ch_conn ch;	  /* the server */
	const char *const *hosts; /* --host filters, NULL-terminated; none for every host */
};

/*
 * SELECT select FROM table of c's database, rows of hosts (NULL-terminated;
 * none: every host) and, when to_ts is not 0, of the intervals ending in
 * (from_ts, to_ts]; then tail (GROUP BY, ORDER BY). row(ctx, fields, n) is
 * called for each row (ch__select). 0 or -errno after log__error.
 */
int fleet_report__select(struct ch *c, const char *const *hosts, __u64 from_ts, __u64 to_ts,
			 const char *select, const char *table, const char *tail,
			 int (*row)(void *ctx, char **f, int n), void *ctx);
/*
 * Print each host's intervals, events (by kind), drops and metric totals, and
 * their sum, as text or one JSON object. 0, or -errno after one error line:
 * -EINVAL for a malformed URL, another for a server that refuses the
 * connection, the credentials or the database (ch__check), or output that fails.
 */
int fleet_report__run(const struct fleet_query *q, bool json, FILE *out);
/*
 * The first limit matches of prefix of kind (comm, addr, endpoint) over the
 * hosts, as one JSON object like `report FILE.db --search`, each match with
 * its host. 0, or -errno after one error line (-EINVAL: a malformed URL or prefix).
 */
int fleet_report__search(const struct fleet_query *q, const char *kind, const char *prefix,
			 unsigned int limit, FILE *out);

#endif
