// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The dashboard drawn into a curses screen that writes to /dev/null: keys,
 * panels, small and large sizes, monochrome, and the CPU cost of redrawing
 * a 1000-process table (must stay under 10 ms).
 */
#include <stdlib.h>
#include <time.h>
#include <curses.h>
#include <unistd.h>
#include "store/replay.h"
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
/* The metrics of syscalls and io that fill() sets: the k-th to i * 10 + k in row i. */
static const enum metric fill_metrics[] = {
	METRIC_SYSCALLS,  METRIC_SYSCALL_ERRORS, METRIC_READ_OPS,      METRIC_READ_BYTES,
	METRIC_WRITE_OPS, METRIC_WRITE_BYTES,	 METRIC_OPENS,	       METRIC_URING_SUBMITS,
	METRIC_BLOCK_REQS, METRIC_BLOCK_BYTES,
};

static void fill(struct snapshot *s, int n)
{
	static const char *const cols[] = {"count", "errors"};
	static const char *const units[] = {"calls", "calls"};
	struct snap_table *t;
	struct snap_hist *h;

	snapshot__reset(s);
	s->interval_ns = SEC;
	s->ts_ns = 1700000000ULL * SEC;
	for (size_t k = 0; k < sizeof(fill_metrics) / sizeof(fill_metrics[0]); k++)
		snapshot__declare_metric(s, fill_metrics[k]);
	for (int i = 0; i < n; i++) {
		char comm[16];
		struct proc_row *r;

		snprintf(comm, sizeof(comm), "proc%d", i);
		r = snapshot__add_row(s, 1000 + (__u32)i, comm);
		for (size_t k = 0; k < sizeof(fill_metrics) / sizeof(fill_metrics[0]); k++)
			r->values[fill_metrics[k]] = (__u64)i * 10 + (__u64)k;
	}
	t = snapshot__add_table(s, "syscalls", "syscalls", "syscall", 2, cols, units);
	snap_table__add_row(t, "read")->v[0] = 5000;
	snap_table__add_row(t, "write")->v[0] = 7000;
	h = snapshot__add_hist(s, "bio", "bio_latency", "disk=loop0", "us");
	hist__add(&h->h, 100);
	snapshot__add_health(s, "syscalls")->drops = 3;
	snapshot__finish(s);
}

/* Type keys (one character each), redraw, and say whether text is on the screen. */
static bool keys_show(struct tui *t, const char *keys, unsigned int *ms, const char *text)
{
	for (const char *k = keys; *k; k++)
		tui__key(t, *k, ms);
	tui__draw(t);
	return find(text) >= 0;
}

/* The parents of the tree test, as the session sets them: 1005 the child of 1002, 1007 of 1005. */
static void set_parents(struct snapshot *s)
{
	for (size_t i = 0; i < s->nrows; i++)
		s->rows[i].ppid = s->rows[i].pid == 1005 ? 1002 : s->rows[i].pid == 1007 ? 1005 : 1;
}

/* The dashboard of most tests: an h x w screen showing one interval of n filled rows.
 * Returns 0, or -1 when no curses screen opens. */
static int dashboard_open(struct screen *sc, int h, int w, bool color, int n)
{
	struct snapshot s = {0};

	if (screen_open(sc, h, w, color))
		return -1;
	fill(&s, n);
	tui__update(sc->t, &s);
	snapshot__free(&s);
	return 0;
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
	struct screen sc = {0};
	unsigned int ms = 1000;
	int y;

	if (dashboard_open(&sc, 40, 120, true, 20))
		UNIT_FAIL("%s", "cannot open a curses screen");
	tui__draw(sc.t);
	ASSERT_TRUE(find("sort: SYSCALLS/s (descending)") >= 0, "default sort");
	/* totals per second over the 20 rows: sum of i * 10 + metric */
	ASSERT_TRUE(find("syscalls 1.9K/s errors 1.9K/s  read 1.9K/s 1.9KiB/s") == 1,
		    "header totals with units");
	ASSERT_TRUE(find("dropped 3 (total 3)") >= 0, "drops in the header");
	ASSERT_TRUE(find("vSYSCALLS/s") >= 0 || find("\u25bcSYSCALLS/s") >= 0,
		    "a down arrow left of the sorted header");
	ASSERT_TRUE(keys_show(sc.t, ">", &ms, "sort: READ_B/s (descending)"),
		    "> sorts by the next column");
	ASSERT_TRUE(keys_show(sc.t, "<<", &ms, "sort: COMM (ascending)"),
		    "< back past the first metric to COMM");
	ASSERT_TRUE(keys_show(sc.t, "i", &ms, "sort: COMM (descending)"), "i inverts");
	/* filter (F4, \\): typed, kept with Enter, cleared with Esc; a new one starts empty */
	tui__key(sc.t, '\\', &ms);
	tui__key(sc.t, 'x', &ms);
	tui__key(sc.t, '\n', &ms);
	tui__key(sc.t, KEY_F(4), &ms);
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
	/* panels: 6 is the first table, Tab cycles, 9 does not exist */
	ASSERT_TRUE(keys_show(sc.t, "5", &ms, "messages, newest first"), "5 is the Log panel");
	tui__key(sc.t, '6', &ms);
	tui__draw(sc.t);
	y = find("errors/s");
	ASSERT_TRUE(y >= 0 && strstr(line(y + 1), "write") && strstr(line(y + 1), "7.0K"),
		    "syscalls table, largest first, per second");
	ASSERT_TRUE(keys_show(sc.t, "9\t", &ms, "SYSCALLS/s"),
		    "Tab after the last panel wraps to processes");
	ASSERT_TRUE(keys_show(sc.t, "2", &ms, "bio/bio_latency disk=loop0"), "histogram listed");
	ASSERT_TRUE(find("64.0us .. 127.0us") >= 0, "its bar in us");
	ASSERT_TRUE(keys_show(sc.t, "4", &ms, "syscalls") && find("dropped since start: 3") >= 0,
		    "health");
	/* interval, pause, help, quit */
	tui__key(sc.t, '+', &ms);
	ASSERT_EQ(ms, 2000, "+ lengthens");
	tui__key(sc.t, '-', &ms);
	tui__key(sc.t, '-', &ms);
	ASSERT_EQ(ms, 500, "- shortens");
	ASSERT_TRUE(keys_show(sc.t, "p", &ms, "PAUSED"), "paused");
	tui__key(sc.t, KEY_F(1), &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("tracerhub top keys") >= 0, "F1 help");
	ASSERT_EQ(tui__key(sc.t, 'q', &ms), SINK_CONTINUE, "a key closes the help first");
	ASSERT_EQ(tui__key(sc.t, 'q', &ms), SINK_QUIT, "q quits");
	ASSERT_EQ(tui__key(sc.t, KEY_F(10), &ms), SINK_QUIT, "F10 quits");
	screen_close(&sc);
}

void test_tui_screen__sizes_and_monochrome(void)
{
	struct screen sc = {0};
	int y;

	if (dashboard_open(&sc, 24, 80, false, 30))
		UNIT_FAIL("%s", "cannot open a curses screen");
	tui__draw(sc.t);
	y = find("PID COMM");
	ASSERT_TRUE(y > 0 && y < 12, "80x24: the table starts in the top half");
	ASSERT_TRUE(strstr(line(23), "F10 quit") != NULL, "footer on the last line");
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

void test_tui_screen__tree_search_detail(void)
{
	struct snapshot s = {0};
	struct screen sc = {0};
	unsigned int ms = 1000;
	int y;

	if (screen_open(&sc, 40, 120, true))
		UNIT_FAIL("%s", "cannot open a curses screen");
	fill(&s, 10);
	set_parents(&s);
	tui__update(sc.t, &s);
	tui__key(sc.t, KEY_F(5), &ms);
	tui__draw(sc.t);
	y = find("1002 proc2");
	ASSERT_TRUE(y > 0 && strstr(line(y + 1), "1005 `-proc5") &&
			strstr(line(y + 2), "1007   `-proc7"),
		    "children under their parent, indented");
	ASSERT_TRUE(find("  tree") >= 0, "the status line says tree");
	tui__key(sc.t, 't', &ms);
	/* search (F3 or /) jumps to the first match in the order shown */
	tui__key(sc.t, '/', &ms);
	tui__key(sc.t, '3', &ms);
	tui__key(sc.t, '\r', &ms);
	tui__draw(sc.t);
	y = find("1003 proc3");
	ASSERT_TRUE(y > 0 && (mvinch(y, 2) & A_COLOR) == COLOR_PAIR(5), "search selected proc3");
	/* Enter: the detail view, its counts summed from the interval it opened in */
	tui__key(sc.t, KEY_ENTER, &ms);
	tui__update(sc.t, &s);
	tui__draw(sc.t);
	ASSERT_TRUE(find("Process 1003 proc3") == 0, "detail of the selected process");
	y = find("SYSCALLS/s");
	ASSERT_TRUE(y > 0 && strstr(line(y), " 30 ") && strstr(line(y), " 60 "),
		    "last interval's rate and the total of two intervals");
	ASSERT_TRUE(find("system calls made") >= 0, "what the metric is");
	tui__key(sc.t, 27, &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("Process 1003") < 0, "Esc goes back");
	snapshot__free(&s);
	screen_close(&sc);
}

void test_tui_screen__columns_help_signal(void)
{
	struct screen sc = {0};
	unsigned int ms = 1000;
	char dir[] = "/tmp/th_tui_cfg_XXXXXX", path[64], text[64];
	MEVENT ev = {0};
	FILE *f;
	int y;

	if (!mkdtemp(dir) || setenv("XDG_CONFIG_HOME", dir, 1) ||
	    dashboard_open(&sc, 24, 80, false, 5))
		UNIT_FAIL("%s", "cannot open a curses screen");
	/* F2: hide the first column (SYSCALLS/s); saved on close */
	tui__key(sc.t, KEY_F(2), &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("[x] SYSCALLS/s") >= 0, "the chooser lists the columns");
	tui__key(sc.t, ' ', &ms);
	tui__key(sc.t, 27, &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("SYSCALLS/s") < 0 && find("READ_B/s") >= 0, "hidden");
	snprintf(path, sizeof(path), "%s/tracerhub/top.conf", dir);
	f = fopen(path, "r");
	ASSERT_TRUE(f != NULL, "saved under $XDG_CONFIG_HOME/tracerhub");
	ASSERT_TRUE(fgets(text, sizeof(text), f) && !strcmp(text, "hidden=syscalls\n"), "its line");
	fclose(f);
	/* a click on a column header sorts by it */
	y = find("PID COMM");
	ev.y = y;
	ev.x = (int)(strstr(line(y), "READS/s") - line(y)) + 2;
	ev.bstate = BUTTON1_CLICKED;
	ungetmouse(&ev);
	tui__key(sc.t, KEY_MOUSE, &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("sort: READS/s (descending)") >= 0, "clicked header sorts");
	/* the help fits 80x24 and scrolls */
	tui__key(sc.t, 'h', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("more: Down") >= 0, "more below");
	ASSERT_TRUE(find("NO_MOUSE") < 0, "the end not yet shown");
	for (int i = 0; i < 3; i++)
		tui__key(sc.t, KEY_NPAGE, &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("NO_MOUSE") >= 0 && find("more: Down") < 0, "scrolled to the end");
	tui__key(sc.t, 'x', &ms);
	/* no signals in a replay */
	{
		struct replay_ctl ctl = {.speed = 4, .index = 3, .count = 9};

		tui__set_replay(sc.t, "/tmp/x/incident.db", &ctl);
		tui__key(sc.t, KEY_F(9), &ms);
		tui__draw(sc.t);
		ASSERT_TRUE(find("signals are off in a replay") >= 0, "F9 refused in a replay");
		ASSERT_TRUE(find("REPLAY incident.db") == 0 && find("[x4]  interval 3/9") == 0,
			    "replay marked in the title");
		tui__key(sc.t, KEY_RIGHT, &ms);
		ASSERT_EQ(ctl.seek, REPLAY_STEP, "Right steps");
		ASSERT_EQ(ctl.n, 1, "one forward");
		tui__key(sc.t, KEY_PPAGE, &ms);
		ASSERT_EQ(ctl.seek, REPLAY_SHIFT, "PgUp shifts");
		ASSERT_EQ(ctl.n, -60, "a minute back");
		tui__key(sc.t, '+', &ms);
		ASSERT_TRUE(ctl.speed == 8, "+ doubles the speed");
		tui__set_replay(sc.t, NULL, NULL);
	}
	screen_close(&sc);
	unlink(path);
	snprintf(path, sizeof(path), "%s/tracerhub", dir);
	rmdir(path);
	rmdir(dir);
	unsetenv("XDG_CONFIG_HOME");
}

void test_tui_screen__events_wall_clock_and_full_text(void)
{
	struct snapshot s = {0};
	struct screen sc = {0};
	unsigned int ms = 1000;
	struct snap_event *e;

	if (screen_open(&sc, 24, 80, false))
		UNIT_FAIL("%s", "cannot open a curses screen");
	fill(&s, 3);
	e = snapshot__add_event(&s, "tcplife", 1700000000ULL * SEC, 1001, "proc1");
	snap_event__num(e, "start_ns", 1700000000ULL * SEC - 1500000000ULL);
	snap_event__str(e, "saddr", "10.200.300.400:54321");
	snap_event__str(e, "daddr", "10.200.300.401:8080");
	snap_event__num(e, "rx_bytes", 2048);
	snap_event__str(e, "last", "the-end-of-a-long-line");
	snap_event__str(snapshot__add_event(&s, "exec", 1700000000ULL * SEC, 1002, "proc2"),
			"argv", "other-process");
	tui__update(sc.t, &s);
	snapshot__free(&s);
	tui__key(sc.t, '3', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("argv=other-process") >= 0, "both events");
	/* the filter keeps the events of the processes it names */
	tui__key(sc.t, '\\', &ms);
	tui__key(sc.t, '1', &ms);
	tui__key(sc.t, '0', &ms);
	tui__key(sc.t, '0', &ms);
	tui__key(sc.t, '1', &ms);
	tui__key(sc.t, '\r', &ms);
	tui__draw(sc.t);
	ASSERT_TRUE(find("start_ns=") >= 0 && strstr(line(find("start_ns=")), ":18.500"),
		    "a time of day as HH:MM:SS.mmm, not as a duration");
	ASSERT_TRUE(find("rx_bytes=2.0KiB") >= 0, "sizes");
	ASSERT_TRUE(find("argv=other-process") < 0, "pid 1002's event filtered out");
	ASSERT_TRUE(find("2 recent events, newest first, 1 shown") >= 0, "the count says so");
	{
		/* wrapped at exactly 80 columns: the screen's lines joined give it back */
		static char all[24 * 81];

		all[0] = '\0';
		for (int y = 0; y < LINES; y++)
			strcat(all, line(y));
		ASSERT_TRUE(strstr(all, "last=the-end-of-a-long-line") != NULL,
			    "past 80 columns, the selected event is shown whole under the list");
	}
	screen_close(&sc);
}
