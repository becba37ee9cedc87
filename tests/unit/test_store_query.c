// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The query API's parts: request lines, times and sizes, field kinds, the socket protocol. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "model/snapshot.h"
#include "query/recording.h"
#include "query/request.h"
#include "render/json_writer.h"
#include "store/db.h"
#include "store/fields.h"
#include "store/schema.h"
#include "store/search.h"
#include "store/timearg.h"
#include "web/query_socket.h"
#include "unit.h"

static int parse(struct request *r, const char *line)
{
	const char *why = NULL;

	return request__parse(r, line, strlen(line), &why);
}

void test_store_query__request_plain(void)
{
	struct request r;

	ASSERT_EQ(parse(&r, "/api/v1/search?kind=comm&prefix=ng%20x+y"), 0, "plain");
	ASSERT_STREQ(r.path, "/api/v1/search", "path");
	ASSERT_STREQ(request__param(&r, "kind"), "comm", "kind");
	ASSERT_STREQ(request__param(&r, "prefix"), "ng x y", "decoded");
	ASSERT_STREQ(r.query, "kind=comm&prefix=ng%20x+y", "raw query kept");
	ASSERT_EQ(parse(&r, "GET /api/v1/recording\r"), 0, "GET and CR");
	ASSERT_STREQ(r.path, "/api/v1/recording", "path after GET");
	ASSERT_EQ(r.nparams, 0, "no params");
	ASSERT_EQ(parse(&r, "/a?x&&y="), 0, "empty params");
	ASSERT_STREQ(request__param(&r, "x"), "", "flag");
	ASSERT_TRUE(request__param(&r, "z") == NULL, "absent");
}

void test_store_query__request_json(void)
{
	struct request r;

	ASSERT_EQ(parse(&r, " {\"path\":\"/api/v1/report\",\"query\":\"pid=12\",\"x\":[1,{\"a\":"
			    "null}],\"n\":-1.5e3} "),
		  0, "json");
	ASSERT_STREQ(r.path, "/api/v1/report", "path");
	ASSERT_STREQ(request__param(&r, "pid"), "12", "query");
	ASSERT_EQ(parse(&r, "{\"path\":\"/a?b=1\",\"query\":\"c=\\u00e9\"}"), 0, "both");
	ASSERT_STREQ(r.query, "b=1&c=\xc3\xa9", "joined, utf-8");
	ASSERT_EQ(parse(&r, "{\"path\":\"/a\\ud83d\\ude00\"}"), -EINVAL, "non-ASCII path");
	ASSERT_EQ(parse(&r, "{\"path\":\"/a\",\"query\":\"x=\\ud83d\\ude00\"}"), 0, "surrogates");
	ASSERT_STREQ(request__param(&r, "x"), "\xf0\x9f\x98\x80", "4-byte utf-8");
}

void test_store_query__request_malformed(void)
{
	static const char *const bad[] = {
	    "",
	    "api/v1/x",
	    "{",
	    "{\"path\":}",
	    "{\"path\":\"/a\"",
	    "{\"path\":\"/a\"} x",
	    "{\"path\":\"/a\\q\"}",
	    "{\"path\":\"/a\\u12\"}",
	    "{\"path\":\"/a\\ud800\"}",
	    "{\"path\":\"/a\\u0000\"}",
	    "{\"path\":1}",
	    "{\"x\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]}",
	    "/a b",
	    "/a?x=%zz",
	    "/a?x=%4",
	    "/a?x=%00",
	    "/a?1&2&3&4&5&6&7&8&9&10&11&12&13&14&15&16&17",
	};
	struct request r;
	const char *why;
	char *big;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		if (request__parse(&r, bad[i], strlen(bad[i]), &why) != -EINVAL || !why)
			UNIT_FAIL("accepted or no reason: '%s'", bad[i]);
	}
	ASSERT_EQ(request__parse(&r, "/a\0b", 4, &why), -EINVAL, "NUL byte");
	big = malloc(REQUEST_LINE_MAX + 2);
	memset(big, 'a', REQUEST_LINE_MAX + 1);
	big[0] = '/';
	ASSERT_EQ(request__parse(&r, big, REQUEST_LINE_MAX + 1, &why), -EINVAL, "too long");
	ASSERT_EQ(request__parse(&r, big, 300, &why), -EINVAL, "path too long");
	free(big);
}

void test_store_query__timearg(void)
{
	__u64 base = 1763892000ULL * 1000000000ULL, v = 0;
	struct tm tm;
	time_t t;

	ASSERT_EQ(timearg__parse("+90", base, &v), 0, "+90");
	ASSERT_EQ(v, base + 90000000000ULL, "seconds");
	ASSERT_EQ(timearg__parse("+1.5m", base, &v), 0, "+1.5m");
	ASSERT_EQ(v, base + 90000000000ULL, "minutes");
	ASSERT_EQ(timearg__parse("1763892000.5", base, &v), 0, "epoch");
	ASSERT_EQ(v, base + 500000000ULL, "epoch seconds");
	ASSERT_EQ(timearg__parse("2026-11-23T10:00:00", base, &v), 0, "iso");
	t = (time_t)(v / 1000000000ULL);
	localtime_r(&t, &tm);
	ASSERT_EQ(tm.tm_hour * 100 + tm.tm_min, 1000, "local time");
	ASSERT_EQ(timearg__parse("10:30", base, &v), 0, "HH:MM");
	t = (time_t)(v / 1000000000ULL);
	localtime_r(&t, &tm);
	ASSERT_EQ(tm.tm_hour * 100 + tm.tm_min, 1030, "on the day of base");
	ASSERT_TRUE(timearg__parse("", base, &v) && timearg__parse("+", base, &v) &&
			timearg__parse("+-3", base, &v) && timearg__parse("tomorrow", base, &v) &&
			timearg__parse("25:00", base, &v) && timearg__parse("+5x", base, &v),
		    "bad times");
	ASSERT_EQ(timearg__size("64K", &v), 0, "64K");
	ASSERT_EQ(v, 65536, "KiB");
	ASSERT_EQ(timearg__size("100", &v), 0, "bytes");
	ASSERT_EQ(v, 100, "100 B");
	ASSERT_TRUE(timearg__size("0", &v) && timearg__size("1X", &v) && timearg__size("-1", &v),
		    "bad sizes");
	ASSERT_EQ(timearg__duration("90", &v), 0, "bare seconds");
	ASSERT_EQ(v, 90000000000ULL, "90 s");
	ASSERT_EQ(timearg__duration("2h", &v), 0, "2h");
	ASSERT_EQ(v, 7200000000000ULL, "hours");
	ASSERT_TRUE(timearg__duration("0", &v) && timearg__duration("h", &v), "bad durations");
}

void test_store_query__fields(void)
{
	struct snap_event e = {.nfields = 0};
	char buf[96];

	snap_event__num(&e, "lat_us", 5);
	snap_event__num(&e, "queue_ns", 4000);
	snap_event__num(&e, "bytes", 1000000);
	snap_event__num(&e, "start_ns", 1763892000000000000ULL);
	ASSERT_EQ(fields__duration_ns(&e), 5000, "largest duration, in ns, not a time stamp");
	ASSERT_EQ(fields__normalize_prefix("addr", "0xAB", buf, sizeof(buf)), 0, "addr prefix");
	ASSERT_STREQ(buf, "ab", "normalized");
	ASSERT_EQ(fields__normalize_prefix("addr", "g1", buf, sizeof(buf)), -EINVAL, "not hex");
}

/* The socket's handler for the test: echo the path, or a store error for "/err". */
static bool echo(void *ctx, const struct request *req, FILE *out, struct api_reply *shared)
{
	struct json_writer w;

	json__init(&w, out);
	if (!strcmp(req->path, "/err")) {
		query__error(&w, 404, "no");
		return false;
	}
	json__begin_object(&w);
	json__key_string(&w, "path", req->path);
	json__end_object(&w);
	return false;
}

/* Serve until a full line arrived on fd (or 2 s); returns the line (static) or "". */
static const char *roundtrip(struct query_socket *qs, int fd, const char *send_buf, size_t len)
{
	static char line[256];
	size_t n = 0;

	while (len) {
		ssize_t k = send(fd, send_buf, len, MSG_DONTWAIT);

		if (k > 0) {
			send_buf += k;
			len -= (size_t)k;
		}
		query_socket__service(qs);
	}
	for (int i = 0; i < 2000 && (!n || line[n - 1] != '\n'); i++) {
		ssize_t k = recv(fd, line + n, sizeof(line) - 1 - n, MSG_DONTWAIT);

		if (k > 0)
			n += (size_t)k;
		else
			usleep(1000);
		query_socket__service(qs);
	}
	line[n] = '\0';
	return line;
}

void test_store_query__socket(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct query_socket *qs = NULL, *qs2 = NULL;
	char path[64], *big;
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/tmp/tracerhub-unit-%d.sock", getpid());
	ASSERT_EQ(query_socket__open(path, 0600, echo, NULL, &qs), 0, "open");
	ASSERT_EQ(stat(path, &st), 0, "socket file");
	ASSERT_EQ(st.st_mode & 0777, 0600, "mode 0600");
	ASSERT_TRUE(query_socket__open(path, 0600, echo, NULL, &qs2) < 0, "a live socket is kept");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_EQ(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "connect");
	ASSERT_STREQ(roundtrip(qs, fd, "/x\n", 3), "{\"path\":\"/x\"}\n", "plain");
	ASSERT_TRUE(strstr(roundtrip(qs, fd, "{\"path\n", 7), "\"status\":400"), "malformed");
	ASSERT_STREQ(roundtrip(qs, fd, "{\"path\":\"/y\"}\n", 14), "{\"path\":\"/y\"}\n",
		     "still usable");
	ASSERT_TRUE(strstr(roundtrip(qs, fd, "/err\n", 5), "\"error\":\"no\""), "handler error");
	big = malloc(REQUEST_LINE_MAX + 100);
	memset(big, 'a', REQUEST_LINE_MAX + 99);
	big[REQUEST_LINE_MAX + 99] = '\n';
	ASSERT_TRUE(strstr(roundtrip(qs, fd, big, REQUEST_LINE_MAX + 100), "\"status\":413"),
		    "oversized");
	free(big);
	ASSERT_STREQ(roundtrip(qs, fd, "/z\n", 3), "{\"path\":\"/z\"}\n", "usable after");
	ASSERT_STREQ(roundtrip(qs, fd, "/p\n/q\n", 6), "{\"path\":\"/p\"}\n{\"path\":\"/q\"}\n",
		     "pipelined");
	close(fd);
	query_socket__close(qs);
	ASSERT_TRUE(stat(path, &st) != 0, "socket file removed");
}

/* Events go to their kind's table by tracer and discriminating field; fields to their column. */
void test_store_query__schema_kinds(void)
{
	struct snap_event e = {.tracer = "exec"};
	const struct schema_kind *k;

	snap_event__str(&e, "event", "exit");
	snap_event__num(&e, "ppid", 1);
	k = schema__kind_of(&e);
	ASSERT_TRUE(k && !strcmp(k->table, "exit_events"), "exit");
	ASSERT_EQ(schema__col_of(k, &e.fields[1]), 1, "ppid column");
	snprintf(e.fields[0].str, sizeof(e.fields[0].str), "exec_failed");
	k = schema__kind_of(&e);
	ASSERT_TRUE(k && !strcmp(k->table, "exec_events"), "a failed exec");
	e.fields[1].is_str = true;
	ASSERT_EQ(schema__col_of(k, &e.fields[1]), -1, "text where a number belongs");
	snprintf(e.tracer, sizeof(e.tracer), "tcplife");
	e.nfields = 0;
	snap_event__num(&e, "duration_us", 5);
	k = schema__kind_of(&e);
	ASSERT_TRUE(k && !strcmp(k->table, "conn_events"), "connection life");
	ASSERT_TRUE(schema__has_tracer_col(k), "shared by several tracers");
	snprintf(e.tracer, sizeof(e.tracer), "newtracer");
	ASSERT_TRUE(schema__kind_of(&e) == NULL, "no kind: other_events");
	/* conn_events: comm, tracer, dir, family, saddr in the tag; sport the first column after */
	ASSERT_EQ(db__tag_names(k), 5, "the names of a connection's end");
	ASSERT_TRUE(db__kind_tagged(k) && db__kind_fixed(k) == 5, "in a tag");
	ASSERT_EQ(db__kind_slot(k, 2), 4, "saddr, the tag's fifth name");
	ASSERT_EQ(db__kind_slot(k, 3), 0, "sport, TABLE_raw's first column after tag");
	snprintf(e.tracer, sizeof(e.tracer), "exec");
	e.nfields = 0;
	snap_event__str(&e, "event", "exit");
	k = schema__kind_of(&e);
	ASSERT_TRUE(k && !db__kind_tagged(k), "an exit's two names: columns, no tag");
	ASSERT_EQ(db__kind_fixed(k) + db__kind_slot(k, 0), 5, "event after comm");
	for (unsigned int i = 0; i < schema_nkinds; i++)
		ASSERT_TRUE(db__tag_names(&schema_kinds[i]) <= DB_TAG_NAMES, schema_kinds[i].table);
}

/* An address prefix is the ranges of integers whose hex starts with it. */
void test_store_query__addr_ranges(void)
{
	struct search_range r[SEARCH_RANGES_MAX];

	ASSERT_EQ(search__addr_ranges("ffff8881", r), 9, "8 to 16 digits");
	ASSERT_EQ(r[0].low, 0xffff8881ULL, "8 digits");
	ASSERT_EQ(r[0].high, 0xffff8881ULL, "exactly");
	ASSERT_EQ(r[8].low, 0xffff888100000000ULL, "16 digits: low");
	ASSERT_EQ(r[8].high, 0xffff8881ffffffffULL, "16 digits: high");
	ASSERT_EQ(search__addr_ranges("0", r), 1, "zero");
	ASSERT_EQ(r[0].high, 0, "only zero");
	ASSERT_EQ(search__addr_ranges("0a", r), 0, "no address has a leading zero");
	ASSERT_EQ(search__addr_ranges("", r), 1, "all");
	ASSERT_EQ(r[0].high, ~0ULL, "every address");
	ASSERT_EQ(search__addr_ranges("11112222333344445", r), 0, "17 digits");
}

/* Which queries a recording answers and which the live API does (record --socket routes so). */
void test_store_query__about_recording(void)
{
	static const char *const rec[] = { "/api/v1/recording", "/api/v1/intervals?from=+1",
					   "/api/v1/report", "/api/v1/search?kind=comm&prefix=a",
					   "/api/v1/snapshot?id=3", "/api/v1/snapshot?at=+5" };
	static const char *const live[] = { "/api/v1/snapshot", "/api/v1/snapshot?top=5",
					    "/api/v1/history?seconds=60", "/api/v1/tracers",
					    "/metrics" };
	struct request r;

	for (size_t i = 0; i < sizeof(rec) / sizeof(rec[0]); i++) {
		ASSERT_EQ(parse(&r, rec[i]), 0, rec[i]);
		ASSERT_TRUE(query__about_recording(&r), rec[i]);
	}
	for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
		ASSERT_EQ(parse(&r, live[i]), 0, live[i]);
		ASSERT_TRUE(!query__about_recording(&r), live[i]);
	}
}
