/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Recording into ClickHouse (docs/fleet.md): each snapshot becomes one batch
 * of TabSeparated rows per table, every row with the host's name. Batches go
 * through a bounded local spool (an SQLite file) that a sender thread drains
 * in order, so the interval loop never waits on the network and nothing is
 * lost while ClickHouse is down; a batch is sent at most once.
 */
#ifndef TRACERHUB_STORE_FLEET_H
#define TRACERHUB_STORE_FLEET_H

#include <linux/types.h>
#include "store/clickhouse.h"

/*
 * The version of the ClickHouse tables, in their meta table. It follows the
 * tables and columns, not the compact _raw tables of SQLite recordings (whose
 * version 6 changed only those).
 */
#define FLEET_SCHEMA_VERSION 5

struct fleet;
struct snapshot;

struct fleet_opts {
	struct ch_conn ch; /* the server */
	const char *host;      /* the host column */
	const char *spool;     /* the spool file */
	__u64 spool_max;       /* bytes of batches it holds at most */
};

/*
 * Check the server (a wrong URL, credentials or database, or an error answer:
 * one error line and -EINVAL/-EACCES/-ENOENT/-EPROTO; unreachable: a warning,
 * and batches wait in the spool), create the tables, open the spool (-EBUSY
 * when another recorder uses it) and start the sender. 0 and *out, or -errno.
 */
int fleet__open(const struct fleet_opts *o, struct fleet **out);
/* Queue snapshot s as one batch; 0 (a full spool counts the rows it drops) or -errno. */
int fleet__emit(struct fleet *f, const struct snapshot *s);
/*
 * Stop: send what the spool holds (for up to a few seconds), say what was
 * sent and what is left for the next run; f may be NULL.
 */
void fleet__close(struct fleet *f);

#endif
