// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "out/json_writer.h"
#include "store/db.h"
#include "store/fields.h"
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
static const char field_sql[] =
    "SELECT coalesce(f.str, f.search), f.key, e.id, e.ts_ns, e.tracer, e.pid, e.comm FROM "
    "event_fields f"
    " JOIN events e ON e.id = f.event_id WHERE f.kind = ?4 AND f.search >= ?1%s"
    " ORDER BY f.kind, f.search LIMIT ?3";

static void write_match(struct json_writer *w, sqlite3_stmt *st, bool comm)
{
	json__begin_object(w);
	if (comm) {
		json__key_u64(w, "pid", db__column_u64(st, 0));
		json__key_string(w, "comm", db__column_text(st, 1));
		json__key_u64(w, "first_ns", db__column_u64(st, 2));
		json__key_u64(w, "last_ns", db__column_u64(st, 3));
	} else {
		json__key_string(w, "value", db__column_text(st, 0));
		json__key_string(w, "field", db__column_text(st, 1));
		json__key_u64(w, "event_id", db__column_u64(st, 2));
		json__key_u64(w, "ts_ns", db__column_u64(st, 3));
		json__key_string(w, "tracer", db__column_text(st, 4));
		json__key_u64(w, "pid", db__column_u64(st, 5));
		json__key_string(w, "comm", db__column_text(st, 6));
	}
	json__end_object(w);
}

int search__run(sqlite3 *db, const char *kind, const char *prefix, unsigned int limit,
		struct json_writer *w, const char **why)
{
	char norm[SEARCH_PREFIX_MAX + 1], end[SEARCH_PREFIX_MAX + 1], sql[512];
	bool comm = !strcmp(kind, "comm"), bounded;
	__u64 t0 = mono_us();
	sqlite3_stmt *st = NULL;
	unsigned int n = 0;
	int rc;

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
	bounded = search__prefix_end(norm, end, sizeof(end));
	snprintf(sql, sizeof(sql), comm ? comm_sql : field_sql,
		 bounded ? (comm ? " AND comm < ?2" : " AND f.search < ?2") : "");
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		*why = sqlite3_errmsg(db);
		return -EIO;
	}
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_STATIC);
	if (bounded)
		sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)limit + 1);
	if (!comm)
		sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	json__begin_object(w);
	json__key_string(w, "kind", kind);
	json__key_string(w, "prefix", norm);
	json__key(w, "matches");
	json__begin_array(w);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
		write_match(w, st, comm);
		n++;
	}
	json__end_array(w);
	json__key(w, "more");
	json__bool(w, rc == SQLITE_ROW);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		json__key_string(w, "error", sqlite3_errstr(rc));
	json__key_u64(w, "elapsed_us", mono_us() - t0);
	json__end_object(w);
	sqlite3_finalize(st);
	return 0;
}
