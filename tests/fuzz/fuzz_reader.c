// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the recording reader (src/store/reader.c and what
 * `report FILE.db` and the query socket build on it: report.c, merge.c,
 * search.c): a recording anyone may hand over, damaged or crafted. Once, a
 * real recording is made with the recorder (rows, histograms, tables, events
 * of several kinds, health). Each input then changes a copy of it:
 *   first byte even: SQL statements built from the bytes (INSERT a row of
 *     fuzzed values, UPDATE a column of every row, DELETE every row, of any
 *     table): a well-formed file with hostile values;
 *   first byte odd: byte patches (offset, bytes): a damaged file.
 * The copy is read as `report` reads it: open, span, every interval loaded,
 * the report built and written, searches by each kind. Every call returns 0
 * or a negative errno, never crashes, and memory stays bounded (libFuzzer's
 * -rss_limit_mb and -malloc_limit_mb).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sqlite3.h>
#include "core/log.h"
#include "model/metric.h"
#include "model/snapshot.h"
#include "render/json_writer.h"
#include "store/reader.h"
#include "store/recorder.h"
#include "store/report.h"
#include "store/search.h"
#include "../unit/recording_fixture.h"

#define MAX_TABLES  64
#define MAX_COLS    64
#define MAX_OPS	    16
#define MAX_LOADS   64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char dir[] = "/dev/shm/fuzz_reader.XXXXXX", base_path[64], work_path[80];
static unsigned char *base;
static size_t base_len;
static FILE *devnull;

/* The tables of the recording and their columns, for the SQL statements. */
static struct {
	char name[64];
	char cols[MAX_COLS][64];
	int ncols;
} tables[MAX_TABLES];
static int ntables;

/* The table and column names of the recording at path. */
static void list_tables(const char *path)
{
	sqlite3_stmt *st = NULL, *ci = NULL;
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info(?)", -1, &ci, NULL) !=
		SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW && ntables < MAX_TABLES) {
		snprintf(tables[ntables].name, sizeof(tables[0].name), "%s",
			 sqlite3_column_text(st, 0));
		sqlite3_bind_text(ci, 1, tables[ntables].name, -1, SQLITE_STATIC);
		while (sqlite3_step(ci) == SQLITE_ROW && tables[ntables].ncols < MAX_COLS)
			snprintf(tables[ntables].cols[tables[ntables].ncols++], 64, "%s",
				 sqlite3_column_text(ci, 0));
		sqlite3_reset(ci);
		ntables++;
	}
	sqlite3_finalize(ci);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void quiet(void *ctx, bool error, const char *msg)
{
}

static void cleanup(void)
{
	fixture__unlink(work_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct recorder_opts o = {0};
	struct snapshot s = {0};
	struct recorder *rec;
	FILE *f;

	log__setup(false, false);
	if (!mkdtemp(dir) || atexit(cleanup))
		abort();
	snprintf(base_path, sizeof(base_path), "%s/base.db", dir);
	snprintf(work_path, sizeof(work_path), "%s/work.db", dir);
	if (recorder__open(base_path, &o, &rec))
		abort();
	for (int k = 1; k <= 3; k++) {
		fixture__fill(&s, k);
		if (recorder__emit(rec, &s))
			abort();
	}
	recorder__close(rec);
	snapshot__free(&s);
	list_tables(base_path);
	f = fopen(base_path, "rb");
	if (!f || fseek(f, 0, SEEK_END))
		abort();
	base_len = (size_t)ftell(f);
	base = malloc(base_len);
	rewind(f);
	if (!base || fread(base, 1, base_len, f) != base_len)
		abort();
	fclose(f);
	fixture__unlink(base_path);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	/* the reader's messages about damaged files are expected: keep them quiet */
	log__set_hook(quiet, NULL);
	return 0;
}

/* The input as a stream of bytes; 0 once used up. */
struct input {
	const unsigned char *p;
	size_t left;
};

static unsigned int next(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static unsigned long long next64(struct input *in)
{
	unsigned long long v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | next(in);
	return v;
}

/* Bind a fuzzed value (NULL, small or any integer, text, real, blob) to parameter col. */
static void bind_value(sqlite3_stmt *st, int col, struct input *in)
{
	char text[48];
	size_t n;
	unsigned long long v;
	double d;

	switch (next(in) % 6) {
	case 0:
		sqlite3_bind_null(st, col);
		break;
	case 1:
		sqlite3_bind_int64(st, col, (signed char)next(in));
		break;
	case 2:
		sqlite3_bind_int64(st, col, (sqlite3_int64)next64(in));
		break;
	case 3:
		v = next64(in);
		memcpy(&d, &v, sizeof(d));
		sqlite3_bind_double(st, col, d);
		break;
	default:
		n = next(in) % sizeof(text);
		for (size_t i = 0; i < n; i++)
			text[i] = (char)next(in);
		if (col % 2)
			sqlite3_bind_text(st, col, text, (int)n, SQLITE_TRANSIENT);
		else
			sqlite3_bind_blob(st, col, text, (int)n, SQLITE_TRANSIENT);
	}
}

/* Run up to MAX_OPS statements built from the input on the work file. */
static void apply_sql(struct input *in)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(work_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL) != SQLITE_OK)
		abort();
	for (int op = 0; op < MAX_OPS && in->left; op++) {
		unsigned int kind = next(in) % 3, t = next(in) % (unsigned int)ntables;
		sqlite3_stmt *st = NULL;
		char sql[4096];
		size_t len;

		if (kind == 0) {
			len = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (",
					       tables[t].name);
			for (int c = 0; c < tables[t].ncols && len < sizeof(sql) - 4; c++)
				len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s?",
							c ? "," : "");
			snprintf(sql + len, sizeof(sql) - len, ")");
		} else if (kind == 1) {
			snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?", tables[t].name,
				 tables[t].cols[next(in) % (unsigned int)tables[t].ncols]);
		} else {
			snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[t].name);
		}
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
			abort(); /* our own SQL on our own file */
		for (int c = 1; c <= sqlite3_bind_parameter_count(st); c++)
			bind_value(st, c, in);
		sqlite3_step(st); /* constraint failures are fine */
		sqlite3_finalize(st);
	}
	if (sqlite3_close(db) != SQLITE_OK)
		abort();
}

/* Overwrite bytes of the work file: (2-byte offset in 64-byte units + 1 byte, length, bytes). */
static void apply_patches(struct input *in, int fd)
{
	while (in->left) {
		size_t off = ((size_t)next(in) << 14 | (size_t)next(in) << 6 | next(in) % 64) %
			     base_len;
		unsigned char buf[64];
		size_t n = next(in) % sizeof(buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)next(in);
		if (pwrite(fd, buf, n, (off_t)off) < 0)
			abort();
	}
}

static void check(int err)
{
	if (err > 0)
		abort();
}

/* Read the work file as `report` and the query socket do. */
static void read_back(void)
{
	static const char *const kinds[] = {"comm", "addr", "endpoint"};
	static const char *const prefixes[] = {"n", "ffff", "10.0"};
	struct report_opts o = {.to_ns = ~0ULL, .top = 5, .max_events = 10};
	struct snapshot s = {0};
	struct report rep = {0};
	struct reader_span span;
	struct json_writer w;
	struct reader *r;
	long long id = 0;

	if (reader__open(work_path, &r))
		return;
	check(reader__span(r, 0, ~0ULL, &span));
	for (int i = 0; i < MAX_LOADS && !reader__next(r, id, ~0ULL, &id) && id; i++)
		check(reader__load(r, id, &s));
	check(reader__seek(r, 1763892001500000000ULL, &id));
	snapshot__free(&s);
	if (!report__build(r, &o, &rep)) {
		json__init(&w, devnull);
		report__write_json(&w, work_path, &o, &rep);
		report__print(devnull, work_path, &o, &rep);
	}
	report__free(&rep);
	for (int k = 0; k < 3; k++) {
		const char *why = NULL;

		json__init(&w, devnull);
		if (search__run(reader__db(r), kinds[k], prefixes[k], 20, &w, &why) && !why)
			abort();
	}
	reader__close(r);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = {data + 1, size ? size - 1 : 0};
	int fd;

	unlink(work_path);
	fd = open(work_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, base, base_len) != (ssize_t)base_len)
		abort();
	if (size && data[0] % 2)
		apply_patches(&in, fd);
	close(fd);
	if (!size || data[0] % 2 == 0)
		apply_sql(&in);
	read_back();
	return 0;
}
