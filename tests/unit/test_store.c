// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The recording: write snapshots, read them back exactly, merge, search, bad files. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "model/snapshot.h"
#include "render/json_writer.h"
#include "store/db.h"
#include "store/merge.h"
#include "store/reader.h"
#include "store/recorder.h"
#include "store/report.h"
#include "store/search.h"
#include "recording_fixture.h"
#include "unit.h"


/* A temporary file name (the file itself removed); free with free(). */
static char *tmp_db(void)
{
	char *p = strdup("/tmp/tracerhub-unit-XXXXXX");
	int fd = mkstemp(p);

	close(fd);
	unlink(p);
	return p;
}

static void rm_db(char *p)
{
	fixture__unlink(p);
	free(p);
}

/* A recording of n intervals at path, with options o (the defaults when NULL). */
static int record(const char *path, int n, const struct recorder_opts *o)
{
	static const struct recorder_opts defaults;
	struct snapshot s = {0};
	struct recorder *r;
	int err = recorder__open(path, o ? o : &defaults, &r);

	for (int k = 1; !err && k <= n; k++) {
		fixture__fill(&s, k);
		err = recorder__emit(r, &s);
	}
	recorder__close(r);
	snapshot__free(&s);
	return err;
}

/* The same, then the recording opened for reading in *r. */
static int record_open(const char *path, int n, const struct recorder_opts *o, struct reader **r)
{
	int err = record(path, n, o);

	return err ? err : reader__open(path, r);
}

void test_store__roundtrip(void)
{
	struct snapshot s = {0};
	struct reader_span span;
	struct reader *r;
	char *path = tmp_db();
	const struct proc_row *row;

	ASSERT_EQ(record_open(path, 3, NULL, &r), 0, "record, open");
	ASSERT_EQ(reader__span(r, 0, ~0ULL, &span), 0, "span");
	ASSERT_EQ(span.count, 3, "intervals");
	ASSERT_EQ(reader__load(r, span.first_id + 1, &s), 0, "load 2");
	ASSERT_EQ(s.ts_ns, 1763892002000000000ULL, "ts");
	ASSERT_EQ(s.interval_ns, 1000000000ULL, "interval");
	ASSERT_EQ(s.metrics_present,
		  (1ULL << METRIC_SYSCALLS) | (1ULL << METRIC_READ_BYTES) |
		      (1ULL << METRIC_RUNQ_P99_NS),
		  "metrics");
	ASSERT_EQ(s.nrows, 2, "rows");
	row = snapshot__find_row(&s, 100);
	ASSERT_TRUE(row != NULL, "row 100");
	ASSERT_STREQ(row->comm, "nginx", "comm");
	ASSERT_EQ(row->ppid, 1, "its parent");
	ASSERT_EQ(snapshot__find_row(&s, 7)->ppid, 0, "a parent not known");
	ASSERT_EQ(row->values[METRIC_SYSCALLS], 20, "syscalls");
	ASSERT_EQ(row->values[METRIC_READ_BYTES], 4096, "read bytes");
	ASSERT_EQ(s.nhists, 1, "hists");
	ASSERT_EQ(s.hists[0].h.count, 2, "hist count");
	ASSERT_EQ(s.hists[0].h.sum, 5100, "hist sum");
	ASSERT_EQ(s.hists[0].h.slots[hist__slot(5000)], 1, "hist slot");
	ASSERT_EQ(s.ntables, 1, "tables");
	ASSERT_EQ(s.tables[0].ncols, 3, "cols");
	ASSERT_STREQ(s.tables[0].cols[2], "avg_ns", "col name");
	ASSERT_STREQ(s.tables[0].units[0], "calls", "unit");
	ASSERT_STREQ(s.tables[0].rows[0].key, "read", "key");
	ASSERT_EQ(s.tables[0].rows[0].v[2], 200, "cell");
	ASSERT_EQ(s.nevents, 2, "events");
	ASSERT_STREQ(s.events[0].tracer, "pktjourney", "tracer");
	ASSERT_EQ(s.events[0].nfields, 7, "fields");
	ASSERT_STREQ(s.events[0].fields[1].key, "skb", "a field without a column, in place");
	ASSERT_EQ(s.events[0].fields[1].num, 0xffff888101234502ULL, "u64 bit for bit");
	ASSERT_STREQ(s.events[0].fields[2].key, "lat_us", "the next one");
	ASSERT_STREQ(s.events[0].fields[3].str, "dropped", "string column");
	ASSERT_EQ(s.events[0].fields[4].num, 0xffff888101234502ULL, "address column");
	ASSERT_EQ(s.events[0].fields[4].kind, SNAP_NUM_ADDR, "shown as an address (hex) again");
	ASSERT_EQ(s.events[0].fields[5].kind, SNAP_NUM_NS, "a stage offset is a duration");
	ASSERT_STREQ(s.events[0].fields[5].key, "rx_ns", "stages in time order");
	ASSERT_STREQ(s.events[0].fields[6].key, "send_ns", "the later stage");
	ASSERT_STREQ(s.events[1].tracer, "tcpconnect", "a shared kind keeps the tracer");
	ASSERT_EQ(s.events[1].nfields, 6, "connect fields");
	ASSERT_STREQ(s.events[1].fields[2].str, "fe80::1", "daddr");
	ASSERT_EQ(s.nhealth, 1, "health");
	ASSERT_STREQ(s.health[0].rung, "raw_tp", "rung");
	ASSERT_EQ(s.health[0].drops, 2, "drops");
	ASSERT_EQ(s.events_lost, 14, "events lost");
	ASSERT_EQ(s.nevent_counts, 3, "tracers with events or losses");
	ASSERT_STREQ(s.event_counts[2].tracer, "exec", "the tracer past its cap");
	ASSERT_EQ(s.event_counts[2].lost, 14, "its losses");
	ASSERT_EQ(reader__load(r, 99, &s), -ENOENT, "no such interval");
	snapshot__free(&s);
	reader__close(r);
	rm_db(path);
}

void test_store__append_and_range(void)
{
	struct recorder_opts o = {0};
	struct reader_span span;
	struct reader *r;
	char *path = tmp_db();
	long long id;

	ASSERT_EQ(record(path, 2, &o), 0, "record");
	ASSERT_EQ(record(path, 2, &o), 0, "append");
	ASSERT_EQ(reader__open(path, &r), 0, "open");
	ASSERT_EQ(reader__span(r, 0, ~0ULL, &span), 0, "span");
	ASSERT_EQ(span.count, 4, "appended");
	ASSERT_EQ(reader__span(r, 1763892002000000000ULL, 1763892002000000000ULL, &span), 0, "r");
	ASSERT_EQ(span.count, 2, "two intervals end at +2s");
	ASSERT_EQ(span.start_ns, 1763892001000000000ULL, "start of the first");
	ASSERT_EQ(reader__seek(r, 1763892001500000000ULL, &id), 0, "seek");
	ASSERT_EQ(id, 3, "the last interval ending before");
	ASSERT_EQ(reader__seek(r, 5, &id), 0, "seek early");
	ASSERT_EQ(id, 1, "the first");
	reader__close(r);
	rm_db(path);
}

void test_store__merge_report(void)
{
	struct report_opts o = {.to_ns = ~0ULL, .top = 5, .max_events = 1};
	struct report rep;
	struct reader *r;
	char *path = tmp_db();
	const struct proc_row *row;

	ASSERT_EQ(record_open(path, 3, NULL, &r), 0, "record, open");
	ASSERT_EQ(report__build(r, &o, &rep), 0, "build");
	ASSERT_EQ(rep.m.intervals, 3, "intervals");
	row = snapshot__find_row(&rep.m.acc, 100);
	ASSERT_TRUE(row != NULL, "row");
	ASSERT_EQ(row->values[METRIC_SYSCALLS], 60, "counters add up");
	ASSERT_EQ(row->values[METRIC_RUNQ_P99_NS], 3000, "gauges keep the maximum");
	ASSERT_EQ(rep.m.acc.hists[0].h.count, 6, "histograms merged");
	ASSERT_EQ(rep.m.acc.tables[0].rows[0].v[0], 30, "table counts add up");
	ASSERT_EQ(rep.m.acc.tables[0].rows[0].v[2], 200, "avg_ weighted by count");
	ASSERT_EQ(rep.m.acc.health[0].drops, 6, "drops add up");
	ASSERT_EQ(rep.m.events_total, 6, "events counted");
	ASSERT_EQ(rep.m.acc.events_lost, 42, "events lost add up");
	ASSERT_EQ(snapshot__event_count(&rep.m.acc, "exec")->lost, 42, "per tracer");
	ASSERT_EQ(rep.m.acc.nevents, 1, "slowest kept");
	ASSERT_EQ(rep.m.acc.events[0].fields[2].num, 21, "the slowest");
	report__free(&rep);
	o.pid = 7;
	o.from_ns = 1763892002000000000ULL;
	ASSERT_EQ(report__build(r, &o, &rep), 0, "build filtered");
	ASSERT_EQ(rep.m.intervals, 2, "from +2s");
	ASSERT_EQ(rep.m.acc.nrows, 1, "only pid 7");
	ASSERT_EQ(rep.m.acc.rows[0].values[METRIC_SYSCALLS], 6, "its syscalls");
	ASSERT_EQ(rep.m.events_total, 2, "its events");
	report__free(&rep);
	reader__close(r);
	rm_db(path);
}

/* Run a search into a string; returns it (free it) or NULL on error. */
static char *search(struct reader *r, const char *kind, const char *prefix, unsigned int limit)
{
	struct json_writer w;
	const char *why;
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	int err;

	json__init(&w, f);
	err = search__run(reader__db(r), kind, prefix, limit, &w, &why);
	fclose(f);
	if (err) {
		free(out);
		return NULL;
	}
	return out;
}

void test_store__search(void)
{
	struct recorder_opts o = {0};
	struct reader *r;
	char *path = tmp_db(), *out;
	sqlite3_stmt *st;
	char plan[1024] = "";

	ASSERT_EQ(record_open(path, 3, &o, &r), 0, "record, open");
	out = search(r, "addr", "0xFFFF88810123450", 20);
	ASSERT_TRUE(out && strstr(out, "\"value\":\"ffff888101234503\""), "numeric address");
	ASSERT_TRUE(strstr(out, "\"more\":false") && !strstr(out, "ffff8881aa"), "only prefix");
	free(out);
	out = search(r, "addr", "ffff8881aa", 2);
	ASSERT_TRUE(out && strstr(out, "\"field\":\"sk_addr\"") && strstr(out, "\"more\":true"),
		    "string address, limit");
	free(out);
	out = search(r, "endpoint", "FE80::", 20);
	ASSERT_TRUE(out && strstr(out, "\"value\":\"fe80::1\""), "endpoint lowercased");
	ASSERT_TRUE(strstr(out, "\"field\":\"daddr\""), "the field");
	free(out);
	out = search(r, "endpoint", "10.0.0.", 20);
	ASSERT_TRUE(out && strstr(out, "\"matches\":[]"), "the local address is not searched");
	free(out);
	out = search(r, "comm", "ng", 20);
	ASSERT_TRUE(out && strstr(out, "\"comm\":\"nginx\"") && !strstr(out, "curl"), "comm");
	ASSERT_TRUE(strstr(out, "\"first_ns\":\"1763892001000000000\""), "first seen");
	free(out);
	ASSERT_TRUE(search(r, "addr", "xyz", 20) == NULL, "not hex");
	ASSERT_TRUE(search(r, "pid", "1", 20) == NULL, "unknown kind");
	ASSERT_TRUE(search(r, "comm", "a", 0) == NULL, "bad limit");
	/* the range scan is answered from the lookup table, then the events' key */
	ASSERT_EQ(sqlite3_prepare_v2(reader__db(r),
				     "EXPLAIN QUERY PLAN SELECT e.seq FROM packet_events_by_head_addr b"
				     " JOIN packet_events e ON e.interval_id = b.interval_id AND e.seq"
				     " BETWEEN b.first_seq AND b.last_seq AND e.head_addr = b.value"
				     " WHERE b.value >= 1 AND b.value <= 5",
				     -1, &st, NULL),
		  SQLITE_OK, "explain");
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t n = strlen(plan);

		snprintf(plan + n, sizeof(plan) - n, "%s;", (const char *)sqlite3_column_text(st, 3));
	}
	sqlite3_finalize(st);
	ASSERT_TRUE(strstr(plan, "SEARCH b USING PRIMARY KEY (value>? AND value<?)") &&
			strstr(plan, "SEARCH r USING PRIMARY KEY (interval_id=? AND seq>? AND seq<?)"),
		    plan);
	reader__close(r);
	rm_db(path);
}

void test_store__prefix_end(void)
{
	char buf[16];

	ASSERT_TRUE(search__prefix_end("ab", buf, sizeof(buf)), "ab");
	ASSERT_STREQ(buf, "ac", "next of ab");
	ASSERT_TRUE(search__prefix_end("a\xff", buf, sizeof(buf)), "a\\xff");
	ASSERT_STREQ(buf, "b", "carry");
	ASSERT_TRUE(!search__prefix_end("", buf, sizeof(buf)), "empty: unbounded");
	ASSERT_TRUE(!search__prefix_end("\xff\xff", buf, sizeof(buf)), "all 0xff: unbounded");
}

void test_store__max_size(void)
{
	struct recorder_opts o = {.max_size = 64 * 1024};
	struct reader_span span;
	struct reader *r;
	char *path = tmp_db();

	ASSERT_EQ(record_open(path, 400, &o, &r), 0, "record, open");
	ASSERT_EQ(reader__span(r, 0, ~0ULL, &span), 0, "span");
	ASSERT_TRUE(span.count > 0 && span.count < 400, "oldest deleted");
	ASSERT_EQ(span.last_id, 400, "newest kept");
	ASSERT_EQ(span.last_ns, 1763892400000000000ULL, "newest time");
	reader__close(r);
	rm_db(path);
}

/* One integer answer of sql on db, -1 when there is none. */
static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

void test_store__max_age(void)
{
	static const char *const by[] = {"packet_events_by_head_addr", "connect_events_by_daddr",
					 "connect_events_by_sk_addr"};
	struct recorder_opts o = {.max_age_ns = 10000000000ULL};
	struct reader_span span;
	struct reader *r;
	char *path = tmp_db(), sql[160];

	ASSERT_EQ(record_open(path, 30, &o, &r), 0, "record, open");
	ASSERT_EQ(reader__span(r, 0, ~0ULL, &span), 0, "span");
	ASSERT_EQ(span.count, 11, "10 s back from the newest");
	ASSERT_EQ(span.first_id, 20, "first kept");
	/* the lookup rows went with their events: one value an interval, the kept ones */
	for (size_t i = 0; i < sizeof(by) / sizeof(by[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) * 100 + min(interval_id) FROM %s", by[i]);
		ASSERT_EQ(query_int(reader__db(r), sql), 11 * 100 + 20, by[i]);
	}
	reader__close(r);
	rm_db(path);
}

/* Command lines live in texts, a row each; trimming deletes those of the intervals it drops. */
void test_store__texts_trimmed(void)
{
	struct recorder_opts o = {.max_age_ns = 10000000000ULL};
	struct snapshot s = {0};
	struct recorder *rec;
	struct reader *r;
	struct snap_event *e;
	char *path = tmp_db(), argv[32];

	ASSERT_EQ(recorder__open(path, &o, &rec), 0, "open the recorder");
	for (int k = 1; k <= 30; k++) {
		fixture__fill(&s, k);
		e = snapshot__add_event(&s, "exec", s.ts_ns - 1, 200, "sh");
		snap_event__str(e, "event", "exec");
		snprintf(argv, sizeof(argv), "sh -c step%d", k);
		snap_event__str_cut(&s, e, "argv", argv, false);
		ASSERT_EQ(recorder__emit(rec, &s), 0, "emit");
	}
	recorder__close(rec);
	snapshot__free(&s);
	ASSERT_EQ(reader__open(path, &r), 0, "open");
	ASSERT_EQ(query_int(reader__db(r), "SELECT count(*) FROM texts"), 11, "the kept ones");
	ASSERT_EQ(query_int(reader__db(r),
			    "SELECT interval_id FROM exec_events WHERE argv = 'sh -c step20'"),
		  20, "read back through the view");
	reader__close(r);
	rm_db(path);
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fwrite(data, 1, len, f);
	return fclose(f);
}

void test_store__bad_files(void)
{
	struct recorder_opts o = {0};
	struct reader *r = NULL;
	char *path = tmp_db(), *copy = tmp_db(), *buf, sql[96];
	sqlite3 *db;
	FILE *f;
	long len;

	ASSERT_EQ(reader__open("/nonexistent/x.db", &r), -ENOENT, "missing");
	ASSERT_EQ(write_file(path, "hello, world\n", 13), 0, "text file");
	ASSERT_EQ(reader__open(path, &r), -EINVAL, "not SQLite");
	ASSERT_EQ(write_file(path, "", 0), 0, "empty file");
	ASSERT_EQ(reader__open(path, &r), -EINVAL, "empty");
	unlink(path);
	ASSERT_EQ(sqlite3_open(path, &db), SQLITE_OK, "foreign db");
	sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES(1)", NULL, NULL, NULL);
	sqlite3_close(db);
	ASSERT_EQ(reader__open(path, &r), -EINVAL, "not a recording");
	unlink(path);
	ASSERT_EQ(record(path, 20, &o), 0, "record");
	ASSERT_EQ(sqlite3_open(path, &db), SQLITE_OK, "reopen");
	sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	ASSERT_EQ(reader__open(path, &r), -EPROTO, "schema version");
	ASSERT_EQ(sqlite3_open(path, &db), SQLITE_OK, "reopen");
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; PRAGMA journal_mode = DELETE",
		 STORE_SCHEMA_VERSION);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	f = fopen(path, "r");
	ASSERT_TRUE(f != NULL, "read back");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	ASSERT_EQ(fread(buf, 1, (size_t)len, f), len, "read");
	fclose(f);
	ASSERT_EQ(write_file(copy, buf, (size_t)len / 2), 0, "truncated copy");
	ASSERT_EQ(reader__open(copy, &r), -EINVAL, "truncated");
	ASSERT_EQ(write_file(copy, buf, 60), 0, "truncated header");
	ASSERT_EQ(reader__open(copy, &r), -EINVAL, "truncated in the header");
	free(buf);
	ASSERT_EQ(reader__open(path, &r), 0, "the original is fine");
	reader__close(r);
	rm_db(copy);
	rm_db(path);
}

static bool exists_beside(const char *path, const char *suffix)
{
	char buf[300];

	snprintf(buf, sizeof(buf), "%s%s", path, suffix);
	return !access(buf, F_OK);
}

/* Intervals a reader of path sees now; -1 when it cannot open it. */
static long seen(struct reader *r)
{
	struct reader_span span;

	return reader__span(r, 0, ~0ULL, &span) ? -1 : (long)span.count;
}

/*
 * One writer per file; its WAL goes when it closes, and a reader of the
 * closed file creates nothing beside it. (Readers of a live recording are
 * other processes: tests/integration/test_record.sh.)
 */
void test_store__one_writer(void)
{
	struct recorder_opts o = {0};
	struct snapshot s = {0};
	struct recorder *w = NULL, *w2 = NULL;
	struct reader *r = NULL;
	char *path = tmp_db();

	ASSERT_EQ(recorder__open(path, &o, &w), 0, "writer");
	ASSERT_EQ(recorder__open(path, &o, &w2), -EBUSY, "a second writer");
	ASSERT_TRUE(w2 == NULL, "no second writer");
	for (int i = 1; i <= 3; i++) {
		fixture__fill(&s, i);
		ASSERT_EQ(recorder__emit(w, &s), 0, "emit");
	}
	ASSERT_TRUE(exists_beside(path, "-wal"), "the WAL is there while writing");
	recorder__close(w);
	snapshot__free(&s);
	ASSERT_TRUE(!exists_beside(path, "-wal") && !exists_beside(path, "-shm"), "checkpointed");
	ASSERT_EQ(reader__open(path, &r), 0, "reader of the closed file");
	ASSERT_EQ(seen(r), 3, "all intervals");
	reader__close(r);
	ASSERT_TRUE(!exists_beside(path, "-wal") && !exists_beside(path, "-shm"),
		    "the reader created nothing");
	ASSERT_EQ(recorder__open(path, &o, &w), 0, "a new writer after the first closed");
	recorder__close(w);
	rm_db(path);
}

/* An argv of 3000 bytes (a typed column) and a long string without a column come back whole. */
void test_store__long_strings_roundtrip(void)
{
	struct recorder_opts o = {0};
	struct snapshot s = {0};
	struct reader_span span;
	struct recorder *rec;
	struct reader *r;
	struct snap_event *e;
	char *path = tmp_db(), argv[3000], note[500];
	int found = 0;

	memset(argv, 'a', sizeof(argv) - 1);
	argv[sizeof(argv) - 1] = '\0';
	memset(note, 'n', sizeof(note) - 1);
	note[sizeof(note) - 1] = '\0';
	s.ts_ns = 1763892001000000000ULL;
	s.interval_ns = 1000000000ULL;
	e = snapshot__add_event(&s, "exec", s.ts_ns - 5, 100, "sh");
	snap_event__str(e, "event", "exec");
	snap_event__num(e, "ppid", 1);
	snap_event__str_cut(&s, e, "argv", argv, true);
	snap_event__str_cut(&s, e, "note", note, false);
	ASSERT_EQ(recorder__open(path, &o, &rec), 0, "open");
	ASSERT_EQ(recorder__emit(rec, &s), 0, "record");
	recorder__close(rec);
	snapshot__free(&s);
	ASSERT_EQ(reader__open(path, &r), 0, "open");
	ASSERT_EQ(reader__span(r, 0, ~0ULL, &span), 0, "span");
	ASSERT_EQ(reader__load(r, span.first_id, &s), 0, "load");
	ASSERT_EQ(s.nevents, 1, "event");
	for (unsigned int i = 0; i < s.events[0].nfields; i++) {
		const struct snap_field *f = &s.events[0].fields[i];

		found += !strcmp(f->key, "argv") || !strcmp(f->key, "note");
		if (!strcmp(f->key, "argv"))
			ASSERT_TRUE(!strncmp(snapshot__str(&s, f), argv, sizeof(argv) - 1) &&
					    !strcmp(snapshot__str(&s, f) + sizeof(argv) - 1, "..."),
				    "argv whole, still marked cut");
		else if (!strcmp(f->key, "note"))
			ASSERT_STREQ(snapshot__str(&s, f), note, "extra string whole");
	}
	ASSERT_EQ(found, 2, "both fields back");
	snapshot__free(&s);
	reader__close(r);
	rm_db(path);
}
