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
#include "store/clickhouse.h"

struct fleet_query {
	struct ch_conn ch;	  /* the server */
	const char *const *hosts; /* --host filters, NULL-terminated; none for every host */
};

/*
 * Print each host's intervals, events (by kind), drops and metric totals, and
 * their sum, as text or one JSON object. Returns the exit code: 0, 2 (bad URL,
 * credentials, database; one error line) or 1.
 */
int fleet_report__run(const struct fleet_query *q, bool json, FILE *out);
/*
 * The first limit matches of prefix of kind (comm, addr, endpoint) over the
 * hosts, as one JSON object like `report FILE.db --search`, each match with
 * its host. Returns the exit code.
 */
int fleet_report__search(const struct fleet_query *q, const char *kind, const char *prefix,
			 unsigned int limit, FILE *out);

#endif
