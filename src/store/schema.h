/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The typed recording schema, declared once for SQLite and ClickHouse: a
 * table per event kind with a column per field (docs/recording.md). An event
 * goes to the first kind whose tracer and discriminating field match it; a
 * field no column of its kind takes goes to event_extra, so that every event
 * reads back exactly as it was recorded.
 */
#ifndef TRACERHUB_STORE_SCHEMA_H
#define TRACERHUB_STORE_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include "model/snapshot.h"

enum schema_col_type {
	SCOL_NUM,      /* unsigned integer */
	SCOL_STR,      /* a name (few distinct values): in SQLite an id into strs */
	SCOL_TEXT,     /* free text (a command line): stored as it is */
	SCOL_ADDR,     /* a kernel address: integer, hex in every output, searched by hex prefix */
	SCOL_ENDPOINT, /* an IP address as text, searched by prefix */
};

struct schema_col {
	const char *key; /* the event field it holds, also the column's name */
	enum schema_col_type type;
	enum snap_num_kind kind; /* of a number: how every output shows it (model/snapshot.h) */
};

/* At most so many columns a kind (schema__assign keeps a bit per column). */
#define SCHEMA_COLS_MAX 64

struct schema_kind {
	const char *table;	/* e.g. "exec_events" */
	const char *tracers;	/* the tracers whose events it holds, '|' separated */
	const char *match_key;	/* a field the event must have, or NULL */
	const char *match_vals; /* its allowed values, '|' separated, or NULL for any */
	const struct schema_col *cols;
	unsigned int ncols;
	/* columns [sorted_from, sorted_to) were emitted in ascending order of value (stages) */
	unsigned int sorted_from, sorted_to;
};

extern const struct schema_kind schema_kinds[];
extern const unsigned int schema_nkinds;

/* The kind e belongs to, or NULL (then it goes to other_events, its fields to event_extra). */
const struct schema_kind *schema__kind_of(const struct snap_event *e);
/* Does kind k keep a tracer column (several tracers share it)? */
bool schema__has_tracer_col(const struct schema_kind *k);
/* The column of k that takes field f, or -1 (type or key do not match). */
int schema__col_of(const struct schema_kind *k, const struct snap_field *f);
/*
 * Where each field of e goes in kind k (NULL: other_events): col[i] is its
 * column, or -1 for event_extra (no column takes it, or a second field with
 * the same key). col has room for e->nfields.
 */
void schema__assign(const struct schema_kind *k, const struct snap_event *e, int *col);
/*
 * Append column c of kind k to e, an event of s, as a field read back from a
 * store: str for a text column (a long one into s's text), else num, with the
 * column's kind. Ignored when e is full.
 */
void schema__put(const struct schema_kind *k, unsigned int c, struct snapshot *s,
		 struct snap_event *e, const char *str, __u64 num);
/*
 * After the columns of k were put in order: the stage columns (those in
 * [k->sorted_from, k->sorted_to)) back in the order the tracer emitted them, by value.
 */
void schema__order_stages(const struct schema_kind *k, struct snap_event *e);
/* Is the column's value text (SCOL_STR, SCOL_TEXT, SCOL_ENDPOINT)? */
bool schema__col_text(const struct schema_col *c);
/* Does SQLite keep the column as an id into strs (SCOL_STR, SCOL_ENDPOINT)? */
bool schema__col_interned(const struct schema_col *c);
/* Is the column searched (address or endpoint)? */
bool schema__col_searched(const struct schema_col *c);

#endif
