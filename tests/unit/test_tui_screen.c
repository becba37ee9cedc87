// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The dashboard drawn into a curses screen that writes to /dev/null: keys,
 * panels, small and large sizes, monochrome, and the CPU cost of redrawing
 * a 1000-process table (must stay under 10 ms).
 */
#include <stdlib.h>
#include <time.h>
#include <curses.h>
#include "tui/tui.h"
#include "model/snapshot.h"
#include "unit.h"

#define SEC	      1000000000ULL
#define NPROCS	      1000
#define REDRAWS	      50
#define REDRAW_MAX_NS 10000000ULL

/* A dashboard on a 160x50 screen (or h x w) over /dev/null. */
struct screen {
	struct tui *t;
	FILE *out, *in;
};

static int screen_open(struct screen *sc, int h, int w, bool color)
{
	sc->t = tui__new(1000, -1);
	sc->out = fopen("/dev/null", "w");
	sc->in = fopen("/dev/null", "r");
	if (!sc->t || !sc->out || !sc->in ||
	    tui__start_screen(sc->t, sc->out, sc->in, "xterm", color))
		return -1;
	resize_term(h, w);
	return 0;
}

static void screen_close(struct screen *sc)
{
	if (sc->t)
		tui__stop_screen(sc->t);
	tui__free(sc->t);
	if (sc->out)
		fclose(sc->out);
	if (sc->in)
		fclose(sc->in);
}

/* Text of screen line y. */
static const char *line(int y)
{
	static char buf[512];

	mvinnstr(y, 0, buf, COLS < (int)sizeof(buf) ? COLS : (int)sizeof(buf) - 1);
	return buf;
}

/* First line containing s, or -1. */
static int find(const char *s)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(line(y), s))
			return y;
	return -1;
}

/* A snapshot of n processes: pid 1000+i made i*10 syscalls; a syscalls table; a hist. */
static void fill(struct snapshot *s, int n)
{
	static const char *const cols[] = {"count", "errors"};
	static const char *const units[] = {"calls", "calls"};
	struct snap_table *t;
	struct snap_hist *h;

	snapshot__reset(s);
	s->interval_ns = SEC;
	s->ts_ns = 1700000000ULL * SEC;
	for (int m = METRIC_SYSCALLS; m <= METRIC_BLOCK_BYTES; m++)
		snapshot__declare_metric(s, m);
	for (int i = 0; i < n; i++) {
		char comm[16];
		struct proc_row *r;

		snprintf(comm, sizeof(comm), "proc%d", i);
		r = snapshot__add_row(s, 1000 + (__u32)i, comm);
		for (int m = METRIC_SYSCALLS; m <= METRIC_BLOCK_BYTES; m++)
			r->values[m] = (__u64)i * 10 + (__u64)m;
	}
	t = snapshot__add_table(s, "syscalls", "syscalls", "syscall", 2, cols, units);
	snap_table__add_row(t, "read")->v[0] = 5000;
	snap_table__add_row(t, "write")->v[0] = 7000;
	h = snapshot__add_hist(s, "bio", "bio_latency", "disk=loop0", "us");
	hist__add(&h->h, 100);
	snapshot__add_health(s, "syscalls")->drops = 3;
	snapshot__finish(s);
}

static __u64 cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (__u64)ts.tv_sec * SEC + (__u64)ts.tv_nsec;
}

void test_tui_screen__redraw_1000_rows(void)
{
	struct snapshot s = {0};
	struct screen sc = {0};
	__u64 t0, per;
	int y;

	if (screen_open(&sc, 50, 160, true))
		UNIT_FAIL("%s", "cannot open a curses screen for xterm on /dev/null");
	fill(&s, NPROCS);
	t0 = cpu_ns();
	for (int i = 0; i < REDRAWS; i++) {
		if (tui__update(sc.t, &s)) {
			screen_close(&sc);
			UNIT_FAIL("%s", "update failed");
		}
		tui__draw(sc.t);
	}
	per = (cpu_ns() - t0) / REDRAWS;
	if (getenv("UNIT_VERBOSE"))
		fprintf(stderr, "    take in + redraw of %d processes: %llu us CPU\n", NPROCS,
			(unsigned long long)(per / 1000));
	y = find("PID COMM");
	snapshot__free(&s);
	if (y < 0) {
		screen_close(&sc);
		UNIT_FAIL("%s", "no table header");
	}
	/* largest first: pid 1999 on the line below the header */
	ASSERT_TRUE(strstr(line(y + 1), "1999 proc999"), "top row");
	ASSERT_TRUE(strstr(line(y + 2), "1998 proc998"), "second row");
	ASSERT_TRUE(find("1000 processes") >= 0, "count in the header");
	screen_close(&sc);
	ASSERT_TRUE(per < REDRAW_MAX_NS, "redraw of 1000 processes under 10 ms of CPU");
}

void test_tui_screen__keys_and_panels(void)
{
	struct snapshot s = {0};
	struct screen sc = {0};
	unsigned int ms = 1000;
	int y;

	if (screen_open(&sc, 40, 120, true))
		UNIT_FAIL("%s", "cannot open a curses screen");
	fill(&s, 20);
	tui__update(sc.t, &s);
	snapshot__free(&s);
	tui__draw(sc.t);
	ASSERT_TRUE(find("sort: SYSCALLS/s (descending)") >= 0, "default sort");
	/* totals per second over the 20 rows: sum of i * 10 + metric */
	ASSERT_TRUE(find("syscalls 1.9K/s errors 1.9K/s  read 1.9K/s 1.9KiB/s") == 1,
		    "header totals with units");
	ASSERT_TRUE(find("dropped 3 (total 3)") >= 0, "drops in the header");
	tui__key(sc.t, '>', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("sort: ERRORS/s (descending)") >= 0, "> sorts by the next column");
	tui__key(sc.t, '<', &ms);
	tui__key(sc.t, '<', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("sort: COMM (ascending)") >= 0, "< back past the first metric to COMM");
	tui__key(sc.t, 'i', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("sort: COMM (descending)") >= 0, "i inverts");
	/* filter: typed, kept with Enter, cleared with Esc */
	tui__key(sc.t, '/', &ms);
	tui__key(sc.t, 'c', &ms);
	tui__key(sc.t, '1', &ms); /* typed into the filter, not a panel switch */
	tui__key(sc.t, '7', &ms);
	tui__key(sc.t, '\n', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("filter: c17") >= 0, "filter shown");
	ASSERT_TRUE(find("proc17") >= 0 && find("proc16") < 0, "only the match");
	tui__key(sc.t, 27, &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("proc16") >= 0, "Esc clears the filter");
	/* panels: 5 is the first table, Tab cycles, 9 does not exist */
	tui__key(sc.t, '5', &ms);
	tui__draw(sc.t);
	y = find("errors/s");
	ASSERT_TRUE(y >= 0 && strstr(line(y + 1), "write") && strstr(line(y + 1), "7.0K"),
		    "syscalls table, largest first, per second");
	tui__key(sc.t, '9', &ms);
	tui__key(sc.t, '\t', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("SYSCALLS/s") >= 0, "Tab after the last panel wraps to processes");
	tui__key(sc.t, '2', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("bio/bio_latency disk=loop0") >= 0, "histogram listed");
	ASSERT_TRUE(find("64.0us .. 127.0us") >= 0, "its bar in us");
	tui__key(sc.t, '4', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("syscalls") >= 0 && find("dropped since start: 3") >= 0, "health");
	/* interval, pause, help, quit */
	tui__key(sc.t, '+', &ms);
	ASSERT_EQ(ms, 2000, "+ lengthens");
	tui__key(sc.t, '-', &ms);
	tui__key(sc.t, '-', &ms);
	ASSERT_EQ(ms, 500, "- shortens");
	tui__key(sc.t, 'p', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("PAUSED") >= 0, "paused");
	tui__key(sc.t, 'h', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("this help (any key closes it)") >= 0, "help");
	ASSERT_EQ(tui__key(sc.t, 'q', &ms), SINK_CONTINUE, "a key closes the help first");
	ASSERT_EQ(tui__key(sc.t, 'q', &ms), SINK_QUIT, "q quits");
	screen_close(&sc);
}

void test_tui_screen__sizes_and_monochrome(void)
{
	struct snapshot s = {0};
	struct screen sc = {0};
	int y;

	if (screen_open(&sc, 24, 80, false))
		UNIT_FAIL("%s", "cannot open a curses screen");
	fill(&s, 30);
	tui__update(sc.t, &s);
	snapshot__free(&s);
	tui__draw(sc.t);
	y = find("PID COMM");
	ASSERT_TRUE(y > 0 && y < 12, "80x24: the table starts in the top half");
	ASSERT_TRUE(strstr(line(23), "q quit") != NULL, "footer on the last line");
	ASSERT_TRUE(strstr(line(y + 1), "1029 proc29") != NULL, "rows");
	ASSERT_EQ(PAIR_NUMBER(mvinch(0, 1)), 0, "no colour pair without colours");
	ASSERT_TRUE(mvinch(0, 1) & A_BOLD, "the title is bold instead");
	resize_term(8, 30);
	tui__draw(sc.t);
	ASSERT_TRUE(find("terminal too small") == 0, "too small says so");
	resize_term(60, 250);
	tui__draw(sc.t);
	ASSERT_TRUE(find("BIO_B/s") >= 0, "wide: every column");
	screen_close(&sc);
}
