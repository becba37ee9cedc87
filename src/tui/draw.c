// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Drawing: header, panel tabs, the panels, footer and help, into curses' stdscr. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "out/format.h"
#include "tui/fmt.h"
#include "tui/priv.h"

#define MIN_COLS    40
#define MIN_LINES   10
#define MSG_SHOW_NS (5ULL * 1000000000ULL)
#define LINE_MAX_W  512

/* Styles, each with a colour pair and its monochrome fallback (NO_COLOR, no colours). */
enum style {
	ST_NORMAL,
	ST_HEADER, /* title line */
	ST_TITLE,  /* column headers */
	ST_SORTED, /* the sorted column's header */
	ST_TAB,	   /* the active panel's tab */
	ST_SEL,	   /* the selected line */
	ST_NEW,	   /* a process first seen this interval */
	ST_EXITED, /* a process that exited: faded */
	ST_ALERT,  /* drops and errors */
	ST_BAR,	   /* histogram bars */
	ST_DIM,	   /* secondary text */
	ST_COUNT
};

static const struct {
	short fg, bg;
	attr_t color_attr; /* added to the pair */
	attr_t mono;	   /* without colours */
} styles[ST_COUNT] = {
    [ST_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [ST_HEADER] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [ST_TITLE] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [ST_SORTED] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD | A_UNDERLINE},
    [ST_TAB] = {COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD},
    [ST_SEL] = {COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE},
    [ST_NEW] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
    [ST_EXITED] = {COLOR_RED, -1, A_DIM, A_DIM},
    [ST_ALERT] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE},
    [ST_BAR] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [ST_DIM] = {COLOR_BLUE, -1, A_BOLD, A_DIM},
};

void tui_draw__init_colors(void)
{
	use_default_colors();
	for (int i = 1; i < ST_COUNT; i++)
		init_pair((short)i, styles[i].fg, styles[i].bg);
}

static attr_t style(const struct tui *t, enum style s)
{
	return t->color ? (attr_t)COLOR_PAIR(s) | styles[s].color_attr : styles[s].mono;
}

/* Write s at (y, x) in style st, cut at the right edge. Returns the column after it. */
static int put(const struct tui *t, int y, int x, enum style st, const char *s)
{
	int n = (int)strlen(s);

	if (x >= COLS || y >= LINES)
		return x;
	if (n > COLS - x)
		n = COLS - x;
	attrset(style(t, st));
	mvaddnstr(y, x, s, n);
	attrset(A_NORMAL);
	return x + n;
}

/* A whole line in style st, padded to the width (for bars of colour). */
static void put_line(const struct tui *t, int y, enum style st, const char *s)
{
	attrset(style(t, st));
	mvhline(y, 0, ' ', COLS);
	attrset(A_NORMAL);
	put(t, y, 0, st, s);
}

static double per_sec(const struct tui *t, __u64 v)
{
	return t->m.interval_ns ? (double)v * 1e9 / (double)t->m.interval_ns : 0.0;
}

/* Keep the selection of the current panel within n lines and visible in h lines. */
static void scroll_window(struct tui *t, size_t n, int h)
{
	size_t *sel = &t->sel[t->panel], *first = &t->first[t->panel];
	size_t rows = h > 0 ? (size_t)h : 1;

	t->page = (int)rows;
	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	if (*sel < *first)
		*first = *sel;
	if (*sel >= *first + rows)
		*first = *sel - rows + 1;
	if (*first + rows > n)
		*first = n > rows ? n - rows : 0;
}

/* The process table's sort key: the chosen one, else the first metric present. */
static int proc_sort(const struct tui *t)
{
	if (t->sort >= TUI_SORT_PID)
		return t->sort;
	for (int m = 0; m < METRIC_COUNT; m++)
		if (t->m.metrics_present & (1ULL << m))
			return m;
	return TUI_SORT_PID;
}

static const char *sort_name(char *buf, size_t len, int key)
{
	if (key == TUI_SORT_PID)
		return "PID";
	if (key == TUI_SORT_COMM)
		return "COMM";
	return format__metric_header(buf, len, key);
}

/* A part of a header total: a prefix, then the sum of up to two metrics per second. */
struct total_part {
	const char *prefix;
	enum metric m[2];
	int nm;
	bool bytes;
};

/* Header totals: a label and up to two parts, shown when one of their metrics is present. */
static const struct total {
	const char *label;
	struct total_part p[2];
	int np;
} totals[] = {
    {"syscalls",
     {{"", {METRIC_SYSCALLS}, 1, false}, {"errors ", {METRIC_SYSCALL_ERRORS}, 1, false}},
     2},
    {"read", {{"", {METRIC_READ_OPS}, 1, false}, {"", {METRIC_READ_BYTES}, 1, true}}, 2},
    {"write", {{"", {METRIC_WRITE_OPS}, 1, false}, {"", {METRIC_WRITE_BYTES}, 1, true}}, 2},
    {"block", {{"", {METRIC_BLOCK_REQS}, 1, false}, {"", {METRIC_BLOCK_BYTES}, 1, true}}, 2},
    {"disk", {{"", {METRIC_DISK_REQS}, 1, false}, {"", {METRIC_DISK_BYTES}, 1, true}}, 2},
    {"tcp connects", {{"", {METRIC_TCP_CONNECTS}, 1, false}}, 1},
    {"net",
     {{"in ", {METRIC_TCP_RX_BYTES, METRIC_UDP_RX_BYTES}, 2, true},
      {"out ", {METRIC_TCP_TX_BYTES, METRIC_UDP_TX_BYTES}, 2, true}},
     2},
    {"packets",
     {{"in ", {METRIC_PKT_RX_BYTES}, 1, true}, {"out ", {METRIC_PKT_TX_BYTES}, 1, true}},
     2},
    {"faults", {{"", {METRIC_MINOR_FAULTS, METRIC_MAJOR_FAULTS}, 2, false}}, 1},
    {"execs", {{"", {METRIC_EXECS}, 1, false}}, 1},
};

/*
 * Format total tt of the latest interval into buf, the parts whose metrics
 * are present (syscalls without -e count no errors: no "errors 0/s"); false
 * when none is.
 */
static bool format_total(const struct tui *t, const struct total *tt, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", tt->label);
	bool shown = false;

	for (int i = 0; i < tt->np && n < len; i++) {
		const struct total_part *p = &tt->p[i];
		bool present = false;
		char v[32];
		__u64 sum = 0;

		for (int k = 0; k < p->nm; k++) {
			present |= !!(t->m.metrics_present & (1ULL << p->m[k]));
			sum += t->m.totals[p->m[k]];
		}
		if (!present)
			continue;
		shown = true;
		if (p->bytes)
			format__bytes(v, sizeof(v), per_sec(t, sum));
		else
			format__count(v, sizeof(v), per_sec(t, sum));
		n += (size_t)snprintf(buf + n, len - n, " %s%s/s", p->prefix, v);
	}
	return shown;
}

/* Append item to the header lines starting at *y, wrapping at the width. */
static void flow(const struct tui *t, int *y, int *x, enum style st, const char *item)
{
	int n = (int)strlen(item);

	if (*x > 1 && *x + 2 + n > COLS) {
		(*y)++;
		*x = 1;
	} else if (*x > 1) {
		*x += 2;
	}
	*x = put(t, *y, *x, st, item);
}

/* Title, totals per second and tracerhub's own cost. Returns the next free line. */
static int draw_header(struct tui *t)
{
	const struct tui_model *m = &t->m;
	char buf[LINE_MAX_W], a[32], b[32], c[32];
	__u64 run_ns = 0, run_cnt = 0, events = 0, drops = 0;
	time_t sec = (time_t)(m->ts_ns / 1000000000ULL);
	int y = 0, x = 1;
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(a, sizeof(a), "%H:%M:%S", &tm);
	snprintf(buf, sizeof(buf), " tracerhub top  %s  up %s  interval %s  %zu processes%s", a,
		 tui_fmt__uptime(b, sizeof(b), m->elapsed_ns),
		 format__ns(c, sizeof(c), t->interval_ms * 1e6), m->nprev,
		 t->paused ? "  PAUSED" : "");
	put_line(t, y, ST_HEADER, buf);
	if (COLS > (int)strlen(buf) + 20)
		put(t, y, COLS - 17, ST_HEADER, "h help  q quit");
	y++;
	for (size_t i = 0; i < sizeof(totals) / sizeof(totals[0]); i++)
		if (format_total(t, &totals[i], buf, sizeof(buf)))
			flow(t, &y, &x, ST_NORMAL, buf);
	if (m->metrics_present & (1ULL << METRIC_CPU_NS)) {
		snprintf(buf, sizeof(buf), "cpu %s%%",
			 format__metric(a, sizeof(a), METRIC_CPU_NS, m->totals[METRIC_CPU_NS],
					m->interval_ns));
		flow(t, &y, &x, ST_NORMAL, buf);
	}
	if (x > 1)
		y++;
	for (size_t i = 0; i < m->nhealth; i++) {
		run_ns += m->health[i].run_ns;
		run_cnt += m->health[i].run_cnt;
		events += m->health[i].events;
		drops += m->health[i].drops;
	}
	x = 1;
	snprintf(buf, sizeof(buf), "self: cpu %.1f%%", t->self_cpu);
	flow(t, &y, &x, ST_DIM, buf);
	if (run_ns && run_cnt)
		snprintf(buf, sizeof(buf), "bpf %s/run, %s runs/s",
			 format__ns(a, sizeof(a), (double)run_ns / (double)run_cnt),
			 format__count(b, sizeof(b), per_sec(t, run_cnt)));
	else
		snprintf(buf, sizeof(buf), "bpf %s runs/s (no ns/run: stats off)",
			 format__count(b, sizeof(b), per_sec(t, run_cnt)));
	flow(t, &y, &x, ST_DIM, buf);
	snprintf(buf, sizeof(buf), "events %s/s", format__count(a, sizeof(a), per_sec(t, events)));
	flow(t, &y, &x, ST_DIM, buf);
	snprintf(buf, sizeof(buf), "dropped %llu (total %llu)", (unsigned long long)drops,
		 (unsigned long long)m->drops_total);
	flow(t, &y, &x, drops ? ST_ALERT : ST_DIM, buf);
	return y + 1;
}

static const char *panel_name(const struct tui *t, int p)
{
	static const char *const fixed[PANEL_TABLES] = {"Processes", "Histograms", "Events",
							"Health"};

	return p < PANEL_TABLES ? fixed[p] : t->m.tables[p - PANEL_TABLES].name;
}

/* One tab per panel, the active one highlighted. Returns the next line. */
static int draw_tabs(struct tui *t, int y)
{
	int x = 0, n = tui__npanels(t);

	for (int p = 0; p < n; p++) {
		char buf[48];

		if (p < 9)
			snprintf(buf, sizeof(buf), " %d %s ", p + 1, panel_name(t, p));
		else
			snprintf(buf, sizeof(buf), " %s ", panel_name(t, p));
		x = put(t, y, x, p == t->panel ? ST_TAB : ST_TITLE, buf);
	}
	attrset(style(t, ST_TITLE));
	if (x < COLS)
		mvhline(y, x, ' ', COLS - x);
	attrset(A_NORMAL);
	return y + 1;
}

/* The line "N of M shown  sort X  filter Y" above a list. */
static void draw_status(struct tui *t, int y, const char *what, size_t shown, size_t total,
			const char *sort, bool asc)
{
	char buf[LINE_MAX_W];
	int n;

	n = snprintf(buf, sizeof(buf), " %zu %s", total, what);
	if (shown != total)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ", %zu shown", shown);
	if (sort)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "  sort: %s %s", sort,
			      asc ? "(ascending)" : "(descending)");
	if (t->filter[0])
		snprintf(buf + n, sizeof(buf) - (size_t)n, "  filter: %s", t->filter);
	put(t, y, 0, ST_DIM, buf);
}

static void draw_procs(struct tui *t, int y, int h)
{
	const struct tui_model *m = &t->m;
	enum metric cols[METRIC_COUNT];
	int key = proc_sort(t), ncols;
	char line[LINE_MAX_W], cell[64], name[32];
	size_t n;
	int x;

	if (h < 3 || tui__reserve_idx(t, m->nrows))
		return;
	n = tui_model__view(m, key, t->asc, t->filter, t->idx);
	ncols = tui_fmt__fit_cols(m->metrics_present, key, (unsigned int)COLS, &t->col_off, cols);
	snprintf(line, sizeof(line), "processes (%zu idle or exited)", m->nrows - m->nprev);
	draw_status(t, y, line, n, m->nrows, sort_name(name, sizeof(name), key),
		    (key < 0) != t->asc);
	/* column headers, the sorted one marked */
	attrset(style(t, ST_TITLE));
	mvhline(y + 1, 0, ' ', COLS);
	snprintf(line, sizeof(line), "%*s", TUI_PID_W, "PID");
	x = put(t, y + 1, 0, key == TUI_SORT_PID ? ST_SORTED : ST_TITLE, line);
	snprintf(line, sizeof(line), " %-*s", TUI_COMM_W, "COMM");
	x = put(t, y + 1, x, key == TUI_SORT_COMM ? ST_SORTED : ST_TITLE, line);
	for (int c = 0; c < ncols; c++) {
		unsigned int w = tui_fmt__col_width(cols[c]);

		tui_fmt__cell(cell, w, format__metric_header(name, sizeof(name), cols[c]));
		x = put(t, y + 1, x, ST_TITLE, " ");
		x = put(t, y + 1, x, (int)cols[c] == key ? ST_SORTED : ST_TITLE, cell);
	}
	if (!n) {
		put(t, y + 2, 1, ST_DIM,
		    t->filter[0] ? "no process matches the filter" : "no process activity yet");
		return;
	}
	scroll_window(t, n, h - 2);
	for (size_t i = t->first[t->panel]; i < n && (int)(i - t->first[t->panel]) < h - 2; i++) {
		const struct tui_row *r = &m->rows[t->idx[i]];
		int len, row = y + 2 + (int)(i - t->first[t->panel]);
		enum style st = ST_NORMAL;

		tui_fmt__printable(name, TUI_COMM_W + 1, r->r.comm);
		len =
		    snprintf(line, sizeof(line), "%*u %-*s", TUI_PID_W, r->r.pid, TUI_COMM_W, name);
		for (int c = 0; c < ncols && len < (int)sizeof(line) - 80; c++) {
			unsigned int w = tui_fmt__col_width(cols[c]);
			char v[32];

			if (r->state == TUI_ROW_EXITED)
				snprintf(v, sizeof(v), "-");
			else
				format__metric(v, sizeof(v), cols[c], r->r.values[cols[c]],
					       m->interval_ns);
			tui_fmt__cell(cell, w, v);
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %s", cell);
		}
		if (r->state == TUI_ROW_EXITED)
			st = ST_EXITED;
		else if (r->state == TUI_ROW_NEW)
			st = ST_NEW;
		if (i == t->sel[t->panel])
			put_line(t, row, ST_SEL, line);
		else
			put(t, row, 0, st, line);
	}
}

static void draw_table(struct tui *t, int y, int h)
{
	int ti = t->panel - PANEL_TABLES;
	const struct tui_table *tab = &t->m.tables[ti];
	int key = t->tsort[ti] < (int)tab->ncols ? t->tsort[ti] : -1;
	char line[LINE_MAX_W], cell[64], hdr[64], keyc[TUI_KEY_W + 1];
	unsigned int w[SNAP_TABLE_COLS];
	size_t n;
	int x;

	if (h < 3 || tui__reserve_idx(t, tab->nrows))
		return;
	n = tui_table__view(tab, key, t->tasc[ti], t->filter, t->idx);
	for (unsigned int c = 0; c < tab->ncols; c++) {
		size_t hl =
		    strlen(tui_fmt__table_header(hdr, sizeof(hdr), tab->cols[c], tab->units[c]));

		w[c] = hl > TUI_CELL_W + 1 ? (unsigned int)hl : TUI_CELL_W + 1;
	}
	snprintf(line, sizeof(line), "%s rows (%s tracer)", tab->name, tab->tracer);
	draw_status(t, y, line, n, tab->nrows,
		    key < 0
			? tab->key_name
			: tui_fmt__table_header(hdr, sizeof(hdr), tab->cols[key], tab->units[key]),
		    (key < 0) != t->tasc[ti]);
	attrset(style(t, ST_TITLE));
	mvhline(y + 1, 0, ' ', COLS);
	snprintf(line, sizeof(line), " %-*s", TUI_KEY_W - 1, tab->key_name);
	x = put(t, y + 1, 0, key < 0 ? ST_SORTED : ST_TITLE, line);
	for (unsigned int c = 0; c < tab->ncols; c++) {
		tui_fmt__cell(cell, w[c],
			      tui_fmt__table_header(hdr, sizeof(hdr), tab->cols[c], tab->units[c]));
		x = put(t, y + 1, x, ST_TITLE, " ");
		x = put(t, y + 1, x, (int)c == key ? ST_SORTED : ST_TITLE, cell);
	}
	if (!n) {
		put(t, y + 2, 1, ST_DIM,
		    tab->nrows ? "no row matches the filter" : "nothing this interval");
		return;
	}
	scroll_window(t, n, h - 2);
	for (size_t i = t->first[t->panel]; i < n && (int)(i - t->first[t->panel]) < h - 2; i++) {
		const struct snap_table_row *r = &tab->rows[t->idx[i]];
		int len, row = y + 2 + (int)(i - t->first[t->panel]);

		tui_fmt__printable(hdr, sizeof(hdr), r->key);
		format__truncate(keyc, TUI_KEY_W - 1, hdr);
		len = snprintf(line, sizeof(line), " %-*s", TUI_KEY_W - 1, keyc);
		for (unsigned int c = 0; c < tab->ncols; c++) {
			char v[32];

			tui_fmt__table_value(v, sizeof(v), tab->units[c], r->v[c],
					     t->m.interval_ns);
			tui_fmt__cell(cell, w[c], v);
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %s", cell);
		}
		if (i == t->sel[t->panel])
			put_line(t, row, ST_SEL, line);
		else
			put(t, row, 0, ST_NORMAL, line);
	}
}

/* A value v of a histogram whose unit is unit, in human units when it is a time or a size. */
static const char *hist_value(char *buf, size_t len, const char *unit, __u64 v)
{
	if (!strcmp(unit, "ns"))
		return format__ns(buf, len, (double)v);
	if (!strcmp(unit, "us"))
		return format__ns(buf, len, (double)v * 1e3);
	if (!strcmp(unit, "ms"))
		return format__ns(buf, len, (double)v * 1e6);
	if (!strcmp(unit, "B"))
		return format__bytes(buf, len, (double)v);
	snprintf(buf, len, "%llu%s", (unsigned long long)v, unit);
	return buf;
}

/* The selected histogram as biolatency-style star bars, lines y..y+h-1. */
static void draw_bars(struct tui *t, const struct totals_hist *th, int y, int h)
{
	const struct hist *hh = &th->total;
	unsigned int used = hist__used_slots(hh), lo = 0;
	char line[LINE_MAX_W], a[32], b[32];
	__u64 max = 0;
	int barw = COLS - 40;

	snprintf(line, sizeof(line), " %s/%s %s: %llu values since start", th->tracer, th->name,
		 th->label[0] ? th->label : "(all)", (unsigned long long)hh->count);
	put(t, y, 0, ST_HEADER, line);
	while (lo < used && !hh->slots[lo])
		lo++;
	for (unsigned int i = lo; i < used; i++)
		max = hh->slots[i] > max ? hh->slots[i] : max;
	if (barw > 60)
		barw = 60;
	for (unsigned int i = lo; i < used && (int)(i - lo) < h - 1; i++) {
		int stars = max ? (int)((double)hh->slots[i] * barw / (double)max + 0.5) : 0;
		char bar[LINE_MAX_W];
		int x;

		memset(bar, '*', (size_t)stars);
		bar[stars] = '\0';
		snprintf(line, sizeof(line), " %9s .. %-9s %10llu |",
			 hist_value(a, sizeof(a), th->unit, hist__slot_low(i)),
			 hist_value(b, sizeof(b), th->unit, hist__slot_high(i)),
			 (unsigned long long)hh->slots[i]);
		x = put(t, y + 1 + (int)(i - lo), 0, ST_NORMAL, line);
		x = put(t, y + 1 + (int)(i - lo), x, ST_BAR, bar);
		if (barw > 0)
			put(t, y + 1 + (int)(i - lo), x + barw - stars, ST_NORMAL, "|");
	}
}

static void draw_hists(struct tui *t, int y, int h)
{
	const struct tui_model *m = &t->m;
	char line[LINE_MAX_W], a[32], b[32], c[32], d[32], what[64];
	int list_h = h / 3 > 3 ? h / 3 : 3;

	if ((size_t)list_h > m->since.nhists)
		list_h = (int)m->since.nhists;

	snprintf(what, sizeof(what), "histograms since start (%llu not kept)",
		 (unsigned long long)m->since.hists_dropped);
	draw_status(t, y, m->since.hists_dropped ? what : "histograms since start", m->since.nhists, m->since.nhists,
		    NULL, false);
	if (!m->since.nhists) {
		put(t, y + 2, 1, ST_DIM,
		    "no histograms yet: they appear when a tracer records "
		    "latencies or sizes");
		return;
	}
	snprintf(line, sizeof(line), " %-34s %9s %8s %9s %9s %9s", "TRACER/NAME LABEL", "VALUES",
		 "NEW/s", "P50", "P99", "AVG");
	put_line(t, y + 1, ST_TITLE, line);
	scroll_window(t, m->since.nhists, list_h);
	for (size_t i = t->first[t->panel]; i < m->since.nhists && (int)(i - t->first[t->panel]) < list_h;
	     i++) {
		const struct totals_hist *th = &m->since.hists[i];
		char label[SNAP_NAME_LEN * 2 + SNAP_LABEL_LEN + 2], cut[36];

		snprintf(label, sizeof(label), "%s/%s %s", th->tracer, th->name, th->label);
		format__truncate(cut, 34, label);
		if (th->total.sum && th->total.count)
			hist_value(d, sizeof(d), th->unit, th->total.sum / th->total.count);
		else
			snprintf(d, sizeof(d), "-");
		snprintf(line, sizeof(line), " %-34s %9llu %8s %9s %9s %9s", cut,
			 (unsigned long long)th->total.count,
			 format__count(a, sizeof(a), per_sec(t, th->last_count)),
			 hist_value(b, sizeof(b), th->unit, hist__percentile(&th->total, 50)),
			 hist_value(c, sizeof(c), th->unit, hist__percentile(&th->total, 99)), d);
		if (i == t->sel[t->panel])
			put_line(t, y + 2 + (int)(i - t->first[t->panel]), ST_SEL, line);
		else
			put(t, y + 2 + (int)(i - t->first[t->panel]), 0, ST_NORMAL, line);
	}
	if (h - list_h - 3 > 1)
		draw_bars(t, &m->since.hists[t->sel[t->panel]], y + list_h + 3, h - list_h - 3);
}

static void draw_events(struct tui *t, int y, int h)
{
	const struct tui_model *m = &t->m;
	char line[LINE_MAX_W], what[64];

	snprintf(what, sizeof(what), "recent events, newest first (%llu not kept)",
		 (unsigned long long)m->events_lost);
	draw_status(t, y, m->events_lost ? what : "recent events, newest first", m->nevents,
		    m->nevents, NULL, false);
	if (!m->nevents) {
		put(t, y + 2, 1, ST_DIM,
		    "no events yet: they appear when a tracer reports single "
		    "events (e.g. connections)");
		return;
	}
	snprintf(line, sizeof(line), " %-12s %-10s %7s %-15s %s", "TIME", "TRACER", "PID", "COMM",
		 "DETAILS");
	put_line(t, y + 1, ST_TITLE, line);
	scroll_window(t, m->nevents, h - 2);
	for (size_t i = t->first[t->panel]; i < m->nevents && (int)(i - t->first[t->panel]) < h - 2;
	     i++) {
		const struct snap_event *e = tui_model__event(m, i);
		time_t sec = (time_t)(e->ts_ns / 1000000000ULL);
		char when[16], comm[SNAP_COMM_LEN], v[SNAP_FIELD_STR_LEN];
		struct tm tm;
		int len;

		localtime_r(&sec, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		tui_fmt__printable(comm, sizeof(comm), e->comm);
		len = snprintf(line, sizeof(line), " %s.%03llu %-10.10s %7u %-15s", when,
			       (unsigned long long)(e->ts_ns / 1000000ULL % 1000), e->tracer,
			       e->pid, comm);
		for (unsigned int k = 0; k < e->nfields && len < (int)sizeof(line) - 1; k++) {
			const struct snap_field *f = &e->fields[k];

			if (f->is_str)
				tui_fmt__printable(v, sizeof(v), f->str);
			else
				tui_fmt__field(v, sizeof(v), f->key, f->num);
			len +=
			    snprintf(line + len, sizeof(line) - (size_t)len, " %s=%s", f->key, v);
		}
		if (i == t->sel[t->panel])
			put_line(t, y + 2 + (int)(i - t->first[t->panel]), ST_SEL, line);
		else
			put(t, y + 2 + (int)(i - t->first[t->panel]), 0, ST_NORMAL, line);
	}
}

static void draw_health(struct tui *t, int y, int h)
{
	const struct tui_model *m = &t->m;
	char line[LINE_MAX_W], a[32], b[32], c[32];

	draw_status(t, y, "tracers attached", m->nhealth, m->nhealth, NULL, false);
	snprintf(line, sizeof(line), " %-12s %-10s %5s %9s %9s %9s %9s %8s", "TRACER", "RUNG",
		 "PROGS", "EVENTS/s", "DROPPED", "RUNS/s", "NS/RUN", "BPF CPU%");
	put_line(t, y + 1, ST_TITLE, line);
	for (size_t i = 0; i < m->nhealth && (int)i < h - 3; i++) {
		const struct snap_health *hl = &m->health[i];
		int x;

		if (hl->run_ns && hl->run_cnt)
			format__ns(c, sizeof(c), (double)hl->run_ns / (double)hl->run_cnt);
		else
			snprintf(c, sizeof(c), "-");
		snprintf(line, sizeof(line), " %-12.12s %-10s %5u %9s", hl->tracer, hl->rung,
			 hl->nprogs, format__count(a, sizeof(a), per_sec(t, hl->events)));
		x = put(t, y + 2 + (int)i, 0, ST_NORMAL, line);
		snprintf(line, sizeof(line), " %9llu", (unsigned long long)hl->drops);
		x = put(t, y + 2 + (int)i, x, hl->drops ? ST_ALERT : ST_NORMAL, line);
		snprintf(line, sizeof(line), " %9s %9s %8.2f",
			 format__count(b, sizeof(b), per_sec(t, hl->run_cnt)), c,
			 m->interval_ns ? 100.0 * (double)hl->run_ns / (double)m->interval_ns
					: 0.0);
		put(t, y + 2 + (int)i, x, ST_NORMAL, line);
	}
	snprintf(line, sizeof(line),
		 " dropped since start: %llu  (RUNS and NS/RUN from the "
		 "kernel's BPF run-time statistics)",
		 (unsigned long long)m->drops_total);
	if ((int)m->nhealth + 3 < h)
		put(t, y + 3 + (int)m->nhealth, 0, m->drops_total ? ST_ALERT : ST_DIM, line);
}

/* Drawing of the fixed panels, by enum tui_panel; tables use draw_table. */
static void (*const panel_draw[PANEL_TABLES])(struct tui *t, int y, int h) = {
    [PANEL_PROCS] = draw_procs,
    [PANEL_HISTS] = draw_hists,
    [PANEL_EVENTS] = draw_events,
    [PANEL_HEALTH] = draw_health,
};

static void draw_footer(struct tui *t, int y)
{
	char buf[LINE_MAX_W];

	if (t->editing) {
		snprintf(buf, sizeof(buf), " filter: %s_   (Enter: keep, Esc: clear)", t->filter);
		put_line(t, y, ST_SEL, buf);
	} else if (t->msg[0] && tui__now_ns() - t->msg_mono_ns < MSG_SHOW_NS) {
		put_line(t, y, ST_DIM, t->msg);
	} else {
		put(t, y, 0, ST_DIM,
		    " h help  q quit  / filter  < > sort  i invert  Tab/1-9 panels  "
		    "p pause  + - interval");
	}
}

static const char *const help_lines[] = {
    "tracerhub top: keys",
    "",
    "  Up Down PgUp PgDn Home End   move the selection",
    "  Left Right                   scroll the process columns",
    "  < >  (or s)                  sort by the previous / next column",
    "  i                            invert the sort order",
    "  /                            filter by name or pid (Enter keeps, Esc clears)",
    "  Tab Shift-Tab  1..9          switch panels",
    "  p  Space                     pause / resume redrawing",
    "  + -                          lengthen / shorten the interval",
    "  Ctrl-L                       redraw the screen",
    "  h ?                          this help (any key closes it)",
    "  q                            quit (so do Ctrl-C and SIGTERM)",
    "",
    "Rates are per second over the last interval; CPU% is of one CPU.",
    "New processes are bold, exited ones faded for one interval.",
};

static void draw_help(const struct tui *t)
{
	int n = (int)(sizeof(help_lines) / sizeof(help_lines[0]));
	int w = 80 < COLS - 2 ? 80 : COLS - 2;
	int y0 = LINES > n + 2 ? (LINES - n - 2) / 2 : 0, x0 = (COLS - w) / 2;

	for (int i = 0; i < n + 2 && y0 + i < LINES; i++) {
		attrset(style(t, ST_SEL));
		mvhline(y0 + i, x0, ' ', w);
		if (i > 0 && i <= n)
			mvaddnstr(y0 + i, x0 + 2, help_lines[i - 1], w - 4);
	}
	attrset(A_NORMAL);
}

void tui_draw__screen(struct tui *t)
{
	int y;

	erase();
	if (COLS < MIN_COLS || LINES < MIN_LINES) {
		mvprintw(0, 0, "terminal too small: %dx%d, need %dx%d", COLS, LINES, MIN_COLS,
			 MIN_LINES);
		refresh();
		return;
	}
	if (t->panel >= tui__npanels(t))
		t->panel = PANEL_PROCS;
	y = draw_header(t);
	y = draw_tabs(t, y);
	if (t->panel >= PANEL_TABLES)
		draw_table(t, y, LINES - 1 - y);
	else
		panel_draw[t->panel](t, y, LINES - 1 - y);
	draw_footer(t, LINES - 1);
	if (t->help)
		draw_help(t);
	refresh();
}
