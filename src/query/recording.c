// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/snapshot.h"
#include "query/recording.h"
#include "query/request.h"
#include "render/json_writer.h"
#include "render/snapshot_json.h"
#include "store/db.h"
#include "store/reader.h"
#include "store/report.h"
#include "store/search.h"
#include "store/timearg.h"

#define INTERVALS_LIMIT 1000

void query__error(struct json_writer *w, int status, const char *msg)
{
	json__begin_object(w);
	json__key_string(w, "error", msg);
	json__key_u64(w, "status", (__u64)status);
	json__end_object(w);
}

/* Parameter key as a number in [1, max] into *v (unchanged when absent); false when bad. */
static bool param_uint(const struct request *req, const char *key, unsigned long max,
		       unsigned long *v)
{
	const char *s = request__param(req, key);
	char *end;
	unsigned long n;

	if (!s)
		return true;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || n < 1 || n > max)
		return false;
	*v = n;
	return true;
}

/* Parameters from/to (see timearg__parse) into *from, *to; false when bad. */
static bool param_range(struct reader *r, const struct request *req, __u64 *from, __u64 *to)
{
	struct reader_span all;
	const char *f = request__param(req, "from"), *t = request__param(req, "to");

	*from = 0;
	*to = ~0ULL;
	if (!f && !t)
		return true;
	if (reader__span(r, 0, ~0ULL, &all))
		return false;
	return (!f || !timearg__parse(f, all.start_ns, from)) &&
	       (!t || !timearg__parse(t, all.start_ns, to));
}

static int recording(struct reader *r, struct json_writer *w)
{
	struct reader_span s;

	if (reader__span(r, 0, ~0ULL, &s)) {
		query__error(w, 500, "cannot read the recording");
		return 500;
	}
	json__begin_object(w);
	json__key_string(w, "recording", reader__path(r));
	json__key_u64(w, "schema_version", STORE_SCHEMA_VERSION);
	json__key_u64(w, "intervals", s.count);
	json__key_u64(w, "first_id", (__u64)s.first_id);
	json__key_u64(w, "last_id", (__u64)s.last_id);
	json__key_u64(w, "start_ns", s.start_ns);
	json__key_u64(w, "last_ns", s.last_ns);
	json__end_object(w);
	return 200;
}

static int intervals(struct reader *r, const struct request *req, struct json_writer *w)
{
	sqlite3_stmt *st = NULL;
	unsigned long limit = INTERVALS_LIMIT;
	__u64 from, to;
	int rc;

	if (!param_range(r, req, &from, &to) || !param_uint(req, "limit", 100000, &limit)) {
		query__error(w, 400, "bad from, to or limit (see docs/recording.md)");
		return 400;
	}
	if (sqlite3_prepare_v2(reader__db(r),
			       "SELECT id, ts_ns, interval_ns, final FROM intervals"
			       " WHERE ts_ns >= ? AND ts_ns <= ? ORDER BY id LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK) {
		query__error(w, 500, sqlite3_errmsg(reader__db(r)));
		return 500;
	}
	db__bind_u64(st, 1, from);
	db__bind_time(st, 2, to);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	json__begin_object(w);
	json__key(w, "intervals");
	json__begin_array(w);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json__begin_object(w);
		json__key_u64(w, "id", db__column_u64(st, 0));
		json__key_u64(w, "ts_ns", db__column_u64(st, 1));
		json__key_u64(w, "interval_ns", db__column_u64(st, 2));
		json__key(w, "final");
		json__bool(w, sqlite3_column_int(st, 3) != 0);
		json__end_object(w);
	}
	json__end_array(w);
	if (rc != SQLITE_DONE)
		json__key_string(w, "error", sqlite3_errstr(rc));
	json__end_object(w);
	sqlite3_finalize(st);
	return 200;
}

/* One recorded interval: id=N, or at=T (the last ending at or before T), else the newest. */
static int snapshot(struct reader *r, const struct request *req, struct json_writer *w)
{
	struct snapshot s = {0};
	unsigned long want = 0;
	__u64 at = ~0ULL;
	long long id = 0;
	int err;

	if (!param_uint(req, "id", ~0UL >> 1, &want)) {
		query__error(w, 400, "bad id (a number from 1)");
		return 400;
	}
	if (request__param(req, "at")) {
		struct reader_span all;

		if (reader__span(r, 0, ~0ULL, &all) ||
		    timearg__parse(request__param(req, "at"), all.start_ns, &at)) {
			query__error(w, 400,
				     "bad at: a time such as +30s, 10:00:00 or epoch seconds");
			return 400;
		}
	}
	err = want ? 0 : reader__seek(r, at, &id);
	if (want)
		id = (long long)want;
	if (!err)
		err = id ? reader__load(r, id, &s) : -ENOENT;
	if (err) {
		query__error(w, err == -ENOENT ? 404 : 500,
			     err == -ENOENT ? "no such interval" : "cannot read the recording");
		snapshot__free(&s);
		return err == -ENOENT ? 404 : 500;
	}
	json__write_snapshot(w, &s, 0, -1);
	snapshot__free(&s);
	return 200;
}

static int report(struct reader *r, const struct request *req, struct json_writer *w)
{
	struct report_opts o = {.top = 5, .max_events = 10};
	unsigned long top = o.top, pid = 0;
	struct report rep;
	int err;

	if (!param_range(r, req, &o.from_ns, &o.to_ns) || !param_uint(req, "top", 1000, &top) ||
	    !param_uint(req, "pid", 0xffffffffUL, &pid)) {
		query__error(w, 400, "bad from, to, top or pid (see docs/recording.md)");
		return 400;
	}
	o.top = (unsigned int)top;
	o.pid = (__u32)pid;
	o.comm = request__param(req, "comm");
	err = report__build(r, &o, &rep);
	if (err)
		query__error(w, 500, "cannot read the recording");
	else
		report__write_json(w, reader__path(r), &o, &rep);
	report__free(&rep);
	return err ? 500 : 200;
}

static int search(struct reader *r, const struct request *req, struct json_writer *w)
{
	const char *kind = request__param(req, "kind"), *prefix = request__param(req, "prefix");
	unsigned long limit = SEARCH_LIMIT_DEFAULT;
	const char *why = NULL;
	int err;

	if (!kind || !prefix) {
		query__error(w, 400, "search needs kind (comm, addr or endpoint) and prefix");
		return 400;
	}
	if (!param_uint(req, "limit", SEARCH_LIMIT_MAX, &limit)) {
		query__error(w, 400, "limit must be from 1 to 1000");
		return 400;
	}
	err = search__run(reader__db(r), kind, prefix, (unsigned int)limit, w, &why);
	if (err)
		query__error(w, err == -EINVAL ? 400 : 500, why);
	return err == -EINVAL ? 400 : err ? 500 : 200;
}

int query__handle(struct reader *r, const struct request *req, struct json_writer *w)
{
	if (!strcmp(req->path, "/api/v1/recording"))
		return recording(r, w);
	if (!strcmp(req->path, "/api/v1/intervals"))
		return intervals(r, req, w);
	if (!strcmp(req->path, "/api/v1/snapshot"))
		return snapshot(r, req, w);
	if (!strcmp(req->path, "/api/v1/report"))
		return report(r, req, w);
	if (!strcmp(req->path, "/api/v1/search"))
		return search(r, req, w);
	query__error(w, 404,
		     "unknown path: /api/v1/recording, intervals, snapshot, report, search");
	return 404;
}

bool query__about_recording(const struct request *req)
{
	return !strcmp(req->path, "/api/v1/recording") || !strcmp(req->path, "/api/v1/intervals") ||
	       !strcmp(req->path, "/api/v1/report") || !strcmp(req->path, "/api/v1/search") ||
	       (!strcmp(req->path, "/api/v1/snapshot") &&
		(request__param(req, "id") || request__param(req, "at")));
}
