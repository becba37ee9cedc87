// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Dashboard cells: units, column widths and layout, truncation. */
#include "model/snapshot.h"
#include "render/format.h"
#include "tui/fmt.h"
#include "unit.h"

#define SEC 1000000000ULL

void test_tui__metric_units(void)
{
	char b[32];

	ASSERT_STREQ(format__metric(b, sizeof(b), METRIC_SYSCALLS, 1998, 2 * SEC), "999",
		     "count per second over 2 s");
	ASSERT_STREQ(format__metric(b, sizeof(b), METRIC_READ_OPS, 12345, SEC), "12K", "K");
	ASSERT_STREQ(format__metric(b, sizeof(b), METRIC_READ_BYTES, 3 * 1024 * 1024, SEC / 2),
		     "6.0MiB", "bytes per second");
	ASSERT_STREQ(format__metric(b, sizeof(b), METRIC_CPU_NS, SEC / 2, SEC), "50.0",
		     "CPU time as % of the interval");
	ASSERT_STREQ(format__metric(b, sizeof(b), METRIC_RUNQ_P99_NS, 850, 2 * SEC), "850ns",
		     "gauge as is, not a rate");
	ASSERT_STREQ(format__metric(b, sizeof(b), METRIC_SYSCALLS, 5, 0), "0", "no interval");
	/* every counter but CPU time is shown per second: its header says so */
	for (int m = 0; m < METRIC_COUNT; m++) {
		const struct metric_info *mi = metric__info(m);
		size_t n = strlen(mi->header);
		bool rate = n > 2 && !strcmp(mi->header + n - 2, "/s");

		ASSERT_TRUE(rate == (mi->kind == KIND_COUNTER && mi->unit != UNIT_NS), mi->header);
	}
	ASSERT_STREQ(metric__info(METRIC_READ_BYTES)->header, "READ_B/s", "rate");
	ASSERT_STREQ(metric__info(METRIC_CPU_NS)->header, "CPU%", "cpu");
	ASSERT_STREQ(metric__info(METRIC_RUNQ_P50_NS)->header, "RQ_P50", "gauge");
}

void test_tui__col_width(void)
{
	ASSERT_EQ(tui_fmt__col_width(METRIC_SYSCALLS), 10, "SYSCALLS/s is wider than a cell");
	ASSERT_EQ(tui_fmt__col_width(METRIC_READ_OPS), TUI_CELL_W, "READS/s fits a cell");
	ASSERT_EQ(tui_fmt__col_width(METRIC_CPU_NS), TUI_CELL_W, "CPU%");
	/* every value format fits its column */
	for (int m = 0; m < METRIC_COUNT; m++)
		ASSERT_TRUE(tui_fmt__col_width(m) >= 7, "room for 1023KiB / 999.9ms");
}

#define IO_METRICS                                                                                 \
	((1ULL << METRIC_SYSCALLS) | (1ULL << METRIC_SYSCALL_ERRORS) | (1ULL << METRIC_READ_OPS) | \
	 (1ULL << METRIC_READ_BYTES) | (1ULL << METRIC_WRITE_OPS) | (1ULL << METRIC_WRITE_BYTES) | \
	 (1ULL << METRIC_OPENS) | (1ULL << METRIC_URING_SUBMITS) | (1ULL << METRIC_BLOCK_REQS) |   \
	 (1ULL << METRIC_BLOCK_BYTES))

void test_tui__fit_cols(void)
{
	enum metric cols[METRIC_COUNT];
	unsigned int off = 0;
	int n;

	/* 80 columns: PID+COMM take 23; SYSCALLS/s READ_B/s WRITE_B/s READS/s WRITES/s ERRORS/s */
	n = tui_fmt__fit_cols(IO_METRICS, -1, 80, &off, cols);
	ASSERT_EQ(n, 6, "columns in 80");
	ASSERT_EQ(off, 0, "from the first");
	ASSERT_EQ(cols[0], METRIC_SYSCALLS, "syscalls first");
	ASSERT_EQ(cols[1], METRIC_READ_BYTES, "IO bytes next");
	ASSERT_EQ(cols[5], METRIC_SYSCALL_ERRORS, "last that fits");
	/* the sort column is brought into view: the window moves right just enough */
	n = tui_fmt__fit_cols(IO_METRICS, METRIC_BLOCK_BYTES, 80, &off, cols);
	ASSERT_EQ(cols[n - 1], METRIC_BLOCK_BYTES, "sort column is the last shown");
	ASSERT_TRUE(off > 0, "moved");
	/* and left again when it is before the window */
	n = tui_fmt__fit_cols(IO_METRICS, METRIC_READ_BYTES, 80, &off, cols);
	ASSERT_EQ(cols[0], METRIC_READ_BYTES, "moved back to the sort column");
	/* without a column to keep, the offset stays where scrolling put it */
	off = 4;
	n = tui_fmt__fit_cols(IO_METRICS, -1, 80, &off, cols);
	ASSERT_EQ(off, 4, "free scroll");
	ASSERT_EQ(cols[0], METRIC_WRITE_OPS, "fifth column first");
	/* an offset past the end is clamped; a wide screen shows all */
	off = 99;
	n = tui_fmt__fit_cols(IO_METRICS, -1, 80, &off, cols);
	ASSERT_EQ(off, 9, "clamped to the last column");
	ASSERT_EQ(n, 1, "one column");
	off = 0;
	ASSERT_EQ(tui_fmt__fit_cols(IO_METRICS, -1, 300, &off, cols), 10, "all on 300 columns");
	ASSERT_EQ(tui_fmt__fit_cols(IO_METRICS, -1, 20, &off, cols), 0, "none on 20 columns");
	ASSERT_EQ(tui_fmt__fit_cols(0, -1, 200, &off, cols), 0, "no metric");
}

void test_tui__default_columns_fit_80(void)
{
	enum metric cols[METRIC_COUNT];
	__u64 all = (1ULL << METRIC_COUNT) - 1, seen = 0;
	unsigned int off = 0;
	int n;

	for (int i = 0; i < METRIC_COUNT; i++)
		seen |= 1ULL << metric__shown((unsigned int)i);
	ASSERT_EQ(seen, all, "the order holds every metric once");
	/* every tracer: CPU%, syscalls, IO, network and faults are the columns of 80 */
	n = tui_fmt__fit_cols(all, -1, 80, &off, cols);
	ASSERT_EQ(n, 6, "six columns in 80");
	ASSERT_EQ(cols[0], METRIC_CPU_NS, "CPU% first");
	ASSERT_EQ(cols[1], METRIC_SYSCALLS, "syscalls");
	ASSERT_EQ(cols[2], METRIC_READ_BYTES, "IO read");
	ASSERT_EQ(cols[3], METRIC_WRITE_BYTES, "IO write");
	ASSERT_EQ(cols[4], METRIC_TCP_RX_BYTES, "network");
	ASSERT_EQ(cols[5], METRIC_MINOR_FAULTS, "faults");
}

void test_tui__wall_clock_fields(void)
{
	char b[32];

	/* a CLOCK_REALTIME time of day is shown as one, not as 1796153143.15s */
	tui_fmt__field(b, sizeof(b), "start_ns", 1796153143150000000ULL);
	ASSERT_TRUE(strlen(b) == 12 && b[2] == ':' && b[5] == ':' && !strcmp(b + 8, ".150"),
		    "HH:MM:SS.mmm");
	ASSERT_STREQ(tui_fmt__field(b, sizeof(b), "dur_ns", 1500000000ULL), "1.50s", "a span");
}

void test_tui__cell_truncation(void)
{
	static const struct {
		void (*fmt)(char *dst, unsigned int w, const char *src);
		unsigned int w;
		const char *src, *want, *what;
	} cases[] = {
		{ tui_fmt__cell, 7, "1.2K", "   1.2K", "right-aligned" },
		{ tui_fmt__cell, 7, "1023KiB", "1023KiB", "exact fit" },
		{ tui_fmt__cell, 5, "123456789", "1234+", "cut with +" },
		{ tui_fmt__cell, 0, "x", "", "zero width" },
		{ tui_fmt__tail, 10, "netproc/tcp_connect_latency pid=1234", "+ pid=1234",
		  "cut at the front: the key stays" },
		{ tui_fmt__tail, 10, "short", "short", "fits" },
	};
	char b[80];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cases[i].fmt(b, cases[i].w, cases[i].src);
		ASSERT_STREQ(b, cases[i].want, cases[i].what);
	}
	tui_fmt__printable(b, sizeof(b), "a\tb\033[31mc\xff");
	ASSERT_STREQ(b, "a?b?[31mc?", "control and non-ASCII bytes replaced");
	tui_fmt__printable(b, 4, "abcdef");
	ASSERT_STREQ(b, "abc", "bounded");
}

void test_tui__table_units(void)
{
	char b[32];

	ASSERT_STREQ(tui_fmt__table_value(b, sizeof(b), "ns", 850, 2 * SEC), "850ns",
		     "durations as is");
	ASSERT_STREQ(tui_fmt__table_value(b, sizeof(b), "B", 3072, 2 * SEC), "1.5KiB",
		     "bytes per second");
	ASSERT_STREQ(tui_fmt__table_value(b, sizeof(b), "calls", 4000, 2 * SEC), "2.0K",
		     "counts per second");
	ASSERT_STREQ(snap_table__header(b, sizeof(b), "count", "calls"), "count/s", "rate");
	ASSERT_STREQ(snap_table__header(b, sizeof(b), "avg_ns", "ns"), "avg", "values carry it");
	ASSERT_STREQ(snap_table__header(b, sizeof(b), "queue_us", "us"), "queue", "us too");
	ASSERT_STREQ(snap_table__header(b, sizeof(b), "wait", "ms"), "wait", "no suffix");
	ASSERT_STREQ(tui_fmt__field(b, sizeof(b), "latency_ns", 12345), "12.3us", "_ns");
	ASSERT_STREQ(tui_fmt__field(b, sizeof(b), "rx_bytes", 2048), "2.0KiB", "_bytes");
	ASSERT_STREQ(tui_fmt__field(b, sizeof(b), "port", 8080), "8080", "plain");
	ASSERT_STREQ(tui_fmt__uptime(b, sizeof(b), 42 * SEC), "42s", "s");
	ASSERT_STREQ(tui_fmt__uptime(b, sizeof(b), 307 * SEC), "5m07s", "m");
	ASSERT_STREQ(tui_fmt__uptime(b, sizeof(b), (3 * 3600 + 120) * SEC), "3h02m", "h");
	ASSERT_STREQ(tui_fmt__uptime(b, sizeof(b), (2 * 86400 + 4 * 3600) * SEC), "2d04h", "d");
}
