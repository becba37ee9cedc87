// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render/json_writer.h"
#include "store/db.h"
#include "store/fields.h"
#include "store/schema.h"
#include "store/search.h"

bool search__prefix_end(const char *prefix, char *buf, size_t len)
{
	size_t n = strlen(prefix);

	if (n >= len)
		n = len - 1;
	memcpy(buf, prefix, n);
	while (n > 0 && (unsigned char)buf[n - 1] == 0xff)
		n--;
	buf[n] = '\0';
	if (!n)
		return false;
	buf[n - 1] = (char)((unsigned char)buf[n - 1] + 1);
	return true;
}

static __u64 mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000ULL + (__u64)ts.tv_nsec / 1000;
}

static const char comm_sql[] =
    "SELECT pid, comm, first_ns, last_ns FROM processes WHERE comm >= ?1%s"
    " ORDER BY comm, pid LIMIT ?3";

unsigned int search__addr_ranges(const char *hex, struct search_range *out)
{
	size_t len = strlen(hex);
	unsigned int n = 0;
	__u64 p;

	if (!len) {
		out[0] = (struct search_range){0, ~0ULL};
		return 1;
	}
	if (len > 16 || (hex[0] == '0' && len > 1))
		return 0; /* addresses are written without leading zeros */
	p = strtoull(hex, NULL, 16);
	if (!p) {
		out[0] = (struct search_range){0, 0};
		return 1;
	}
	/* every address whose hex digits start with hex: one range per number of digits */
	for (size_t digits = len; digits <= 16; digits++) {
		unsigned int shift = (unsigned int)(digits - len) * 4;
		__u64 low = p << shift;

		out[n++] = (struct search_range){low, shift ? low | ((1ULL << shift) - 1) : low};
	}
	return n;
}

/*
 * The searched columns of type t as one query. For each kind's column: the
 * values in [?1, ?2] (endpoints, as text: [?1, ?2)) from its lookup table
 * TABLE_by_COL, in order, then the events of each interval's seq range that
 * hold the value; each cut at ?3 rows, merged by value.
 */
static int column_query(enum schema_col_type t, bool bounded, char *sql, size_t len)
{
	size_t n = 0;

	for (unsigned int k = 0; k < schema_nkinds; k++) {
		const struct schema_kind *sk = &schema_kinds[k];

		for (unsigned int c = 0; c < sk->ncols && n < len; c++) {
			const char *col = sk->cols[c].key;
			char tracer[64];

			if (sk->cols[c].type != t)
				continue;
			if (schema__has_tracer_col(sk))
				snprintf(tracer, sizeof(tracer), "e.tracer");
			else
				snprintf(tracer, sizeof(tracer), "'%s'", sk->tracers);
			n += (size_t)snprintf(
			    sql + n, len - n,
			    "%sSELECT * FROM (SELECT b.value AS v, '%s', %s, e.ts_ns, e.pid, e.comm,"
			    " e.interval_id, e.seq FROM %s_by_%s b JOIN %s e ON e.interval_id ="
			    " b.interval_id AND e.seq BETWEEN b.first_seq AND b.last_seq AND e.%s ="
			    " b.value WHERE b.value >= ?1%s ORDER BY b.value LIMIT ?3)",
			    n ? " UNION ALL " : "", col, tracer, sk->table, col, sk->table, col,
			    !bounded			  ? ""
			    : t == SCOL_ENDPOINT ? " AND b.value < ?2"
						  : " AND b.value <= ?2");
		}
	}
	if (n < len)
		n += (size_t)snprintf(sql + n, len - n, " ORDER BY v LIMIT ?3");
	return n < len ? 0 : -ENAMETOOLONG;
}

static void write_comm(struct json_writer *w, sqlite3_stmt *st)
{
	json__begin_object(w);
	json__key_u64(w, "pid", db__column_u64(st, 0));
	json__key_string(w, "comm", db__column_text(st, 1));
	json__key_u64(w, "first_ns", db__column_u64(st, 2));
	json__key_u64(w, "last_ns", db__column_u64(st, 3));
	json__end_object(w);
}

static void write_event(struct json_writer *w, sqlite3_stmt *st, bool addr)
{
	char hex[24];

	json__begin_object(w);
	if (addr) {
		snprintf(hex, sizeof(hex), "%llx", (unsigned long long)db__column_u64(st, 0));
		json__key_string(w, "value", hex);
	} else {
		json__key_string(w, "value", db__column_text(st, 0));
	}
	json__key_string(w, "field", db__column_text(st, 1));
	json__key_string(w, "tracer", db__column_text(st, 2));
	json__key_u64(w, "ts_ns", db__column_u64(st, 3));
	json__key_u64(w, "pid", db__column_u64(st, 4));
	json__key_string(w, "comm", db__column_text(st, 5));
	json__key_u64(w, "interval_id", db__column_u64(st, 6));
	json__key_u64(w, "seq", db__column_u64(st, 7));
	json__end_object(w);
}

/* Step st, writing up to *left matches; 1 when there were more, 0, or an SQLite error code. */
static int write_rows(struct json_writer *w, sqlite3_stmt *st, int what, unsigned int *left)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!*left)
			return 1;
		if (what == 0)
			write_comm(w, st);
		else
			write_event(w, st, what == 1);
		(*left)--;
	}
	return rc == SQLITE_DONE ? 0 : rc;
}

int search__run(sqlite3 *db, const char *kind, const char *prefix, unsigned int limit,
		struct json_writer *w, const char **why)
{
	char norm[SEARCH_PREFIX_MAX + 1], end[SEARCH_PREFIX_MAX + 1], sql[4096];
	struct search_range ranges[SEARCH_RANGES_MAX];
	bool comm = !strcmp(kind, "comm"), addr = !strcmp(kind, "addr"), bounded = false;
	unsigned int nranges = 1, left = limit;
	__u64 t0 = mono_us();
	sqlite3_stmt *st = NULL;
	int rc = 0, more = 0;

	if (strlen(prefix) > SEARCH_PREFIX_MAX) {
		*why = "prefix too long (at most 64 bytes)";
		return -EINVAL;
	}
	if (fields__normalize_prefix(kind, prefix, norm, sizeof(norm))) {
		*why = strcmp(kind, "addr") ? "unknown search kind: use comm, addr or endpoint"
					    : "an address prefix is hex digits (0x optional)";
		return -EINVAL;
	}
	if (limit < 1 || limit > SEARCH_LIMIT_MAX) {
		*why = "limit must be from 1 to 1000";
		return -EINVAL;
	}
	if (addr)
		nranges = search__addr_ranges(norm, ranges);
	else
		bounded = search__prefix_end(norm, end, sizeof(end));
	if (comm)
		snprintf(sql, sizeof(sql), comm_sql, bounded ? " AND comm < ?2" : "");
	else if (column_query(addr ? SCOL_ADDR : SCOL_ENDPOINT, addr || bounded, sql, sizeof(sql)))
		sql[0] = '\0';
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		*why = sqlite3_errmsg(db);
		return -EIO;
	}
	json__begin_object(w);
	json__key_string(w, "kind", kind);
	json__key_string(w, "prefix", norm);
	json__key(w, "matches");
	json__begin_array(w);
	for (unsigned int i = 0; i < nranges && !more && !rc; i++) {
		if (addr) {
			/* u64 stored bit for bit as signed: no range crosses 2^63 but the full one */
			__u64 hi = ranges[i].low < (1ULL << 63) && ranges[i].high >= (1ULL << 63)
				       ? (1ULL << 63) - 1
				       : ranges[i].high;

			db__bind_u64(st, 1, ranges[i].low);
			db__bind_u64(st, 2, hi);
			if (hi != ranges[i].high && nranges < SEARCH_RANGES_MAX)
				ranges[nranges++] = (struct search_range){1ULL << 63, ranges[i].high};
		} else {
			sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
			if (bounded)
				sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
		}
		sqlite3_bind_int(st, 3, (int)left + 1);
		rc = write_rows(w, st, comm ? 0 : addr ? 1 : 2, &left);
		more = rc == 1;
		rc = rc == 1 ? 0 : rc;
		sqlite3_reset(st);
	}
	json__end_array(w);
	json__key(w, "more");
	json__bool(w, more);
	if (rc)
		json__key_string(w, "error", sqlite3_errstr(rc));
	json__key_u64(w, "elapsed_us", mono_us() - t0);
	json__end_object(w);
	sqlite3_finalize(st);
	return 0;
}
