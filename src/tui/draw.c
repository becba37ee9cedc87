// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Drawing: header, panel tabs, the panels, footer and help, into curses' stdscr. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "model/replay_ctl.h"
#include "render/format.h"
#include "tui/draw.h"
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

/* s from line y on, wrapped at the width over at most n lines. Returns the lines used. */
static int put_wrapped(const struct tui *t, int y, enum style st, const char *s, int n)
{
	int len = (int)strlen(s), k;

	for (k = 0; k < n && (k == 0 || k * COLS < len); k++) {
		char part[LINE_MAX_W];

		snprintf(part, sizeof(part), "%.*s", COLS, k * COLS < len ? s + k * COLS : "");
		put(t, y + k, 0, st, part);
	}
	return k;
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

static const char *sort_name(int key)
{
	if (key == TUI_SORT_PID)
		return "PID";
	if (key == TUI_SORT_COMM)
		return "COMM";
	return metric__info(key)->header;
}

/*
 * Format header total tt (the metric descriptor's) of the latest interval into
 * buf, the parts whose metrics are present (syscalls without -e count no
 * errors: no "errors 0/s"); false when none is.
 */
static bool format_total(const struct tui *t, const struct metric_total *tt, char *buf,
			 size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "%s", tt->label);
	bool shown = false;

	for (unsigned int i = 0; i < tt->np && n < len; i++) {
		const struct metric_total_part *p = &tt->p[i];
		bool present = false;
		char v[32];
		__u64 sum = 0;

		for (unsigned int k = 0; k < p->nm; k++) {
			present |= !!(t->m.metrics_present & (1ULL << p->m[k]));
			sum += t->m.totals[p->m[k]];
		}
		if (!present)
			continue;
		shown = true;
		if (metric__info(p->m[0])->unit == UNIT_BYTES)
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
	__u64 events = 0, drops = 0;
	time_t sec = (time_t)(m->ts_ns / 1000000000ULL);
	int y = 0, x = 1;
	struct tm tm;

	localtime_r(&sec, &tm);
	strftime(a, sizeof(a), "%Y-%m-%d %H:%M:%S", &tm);
	if (t->replay)
		snprintf(buf, sizeof(buf), " REPLAY %s %s [x%g]  interval %lu/%lu%s  %zu processes",
			 t->replay_name, m->intervals ? a : "-", t->replay->speed,
			 t->replay->index, t->replay->count,
			 t->replay->paused ? "  PAUSED" : t->replay->at_end ? "  END" : "",
			 m->nprev);
	else
		snprintf(buf, sizeof(buf), " tracerhub top  %s  up %s  interval %s  %zu processes%s",
			 a + 11, tui_fmt__uptime(b, sizeof(b), m->elapsed_ns),
			 format__ns(c, sizeof(c), t->interval_ms * 1e6), m->nprev,
			 t->paused ? "  PAUSED" : "");
	put_line(t, y, t->replay ? ST_ALERT : ST_HEADER, buf);
	if (COLS > (int)strlen(buf) + 20)
		put(t, y, COLS - 17, ST_HEADER, "h help  q quit");
	y++;
	for (unsigned int i = 0; metric__total(i); i++)
		if (format_total(t, metric__total(i), buf, sizeof(buf)))
			flow(t, &y, &x, ST_NORMAL, buf);
	if (m->metrics_present & (1ULL << METRIC_CPU_NS)) {
		/* like htop: 100% is one CPU, so all of them make ncpu * 100% */
		snprintf(buf, sizeof(buf), "cpu %s%% of %ld%%",
			 format__metric(a, sizeof(a), METRIC_CPU_NS, m->totals[METRIC_CPU_NS],
					m->interval_ns),
			 100 * sysconf(_SC_NPROCESSORS_ONLN));
		flow(t, &y, &x, ST_NORMAL, buf);
	}
	if (x > 1)
		y++;
	for (size_t i = 0; i < m->nhealth; i++) {
		events += m->health[i].events;
		drops += m->health[i].drops;
	}
	x = 1;
	if (t->self_cpu >= 0) {
		snprintf(buf, sizeof(buf), "self: cpu %.1f%%", t->self_cpu);
		flow(t, &y, &x, ST_DIM, buf);
	}
	if (m->cost.ns_per_run > 0)
		snprintf(buf, sizeof(buf), "bpf %s/run, %s runs/s (sampled %.0fs ago)",
			 format__ns(a, sizeof(a), m->cost.ns_per_run),
			 format__count(b, sizeof(b), m->cost.runs_per_s),
			 (double)m->cost.sample_age_ns / 1e9);
	else
		snprintf(buf, sizeof(buf), "bpf: no ns/run sample yet");
	flow(t, &y, &x, ST_DIM, buf);
	snprintf(buf, sizeof(buf), "events %s/s", format__count(a, sizeof(a), per_sec(t, events)));
	flow(t, &y, &x, ST_DIM, buf);
	for (size_t i = 0; i < m->nhealth; i++) {
		if (!m->health[i].window_n)
			continue;
		/* A heavy mode in sampling windows: its rates are estimates (--full: all). */
		snprintf(buf, sizeof(buf), "%s: sampled 1/%u of the time (est.)", m->health[i].tracer,
			 m->health[i].window_n);
		flow(t, &y, &x, ST_DIM, buf);
	}
	snprintf(buf, sizeof(buf), "dropped %llu (total %llu)", (unsigned long long)drops,
		 (unsigned long long)m->drops_total);
	flow(t, &y, &x, drops ? ST_ALERT : ST_DIM, buf);
	return y + 1;
}

static const char *panel_name(const struct tui *t, int p)
{
	static const char *const fixed[PANEL_TABLES] = {"Processes", "Histograms", "Events",
							"Health", "Log"};

	return p < PANEL_TABLES ? fixed[p] : t->m.tables[p - PANEL_TABLES].name;
}

/* The tab of panel p: its number key (1-9, 0 for the tenth) and name. */
static void tab_text(const struct tui *t, int p, char *buf, size_t len)
{
	if (p < 10)
		snprintf(buf, len, " %d %s ", (p + 1) % 10, panel_name(t, p));
	else
		snprintf(buf, len, " %s ", panel_name(t, p));
}

/*
 * One tab per panel, the active one highlighted; when they do not fit, they
 * start late enough for the active one to show ("<" says some are left of it).
 * Returns the next line.
 */
static int draw_tabs(struct tui *t, int y)
{
	int x = 0, n = tui__npanels(t), first = 0, w = 0;
	struct tui_hits *h = &t->hit;
	char buf[48];

	for (int p = t->panel; p >= 0; p--) {
		tab_text(t, p, buf, sizeof(buf));
		w += (int)strlen(buf);
		if (w > COLS - 2)
			break;
		first = p;
	}
	h->tabs_y = y;
	h->tab_first = first;
	h->ntabs = 0;
	if (first > 0)
		x = put(t, y, x, ST_TITLE, "<");
	for (int p = first; p < n; p++) {
		tab_text(t, p, buf, sizeof(buf));
		h->tab_x[h->ntabs++] = x;
		x = put(t, y, x, p == t->panel ? ST_TAB : ST_TITLE, buf);
	}
	h->tab_x[h->ntabs] = x;
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
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "  filter: %s", t->filter);
	if (t->panel == PANEL_PROCS && t->tree)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "  tree");
	if (t->panel == PANEL_PROCS && t->ntags)
		snprintf(buf + n, sizeof(buf) - (size_t)n, "  %zu tagged", t->ntags);
	put(t, y, 0, ST_DIM, buf);
}

/* The sort arrow left of a header whose text ends at column end and is len long. */
static void put_arrow(const struct tui *t, int y, int end, int len, bool asc)
{
	const char *arrow = t->utf8 ? (asc ? "\u25b2" : "\u25bc") : (asc ? "^" : "v");
	int x = end - len - 1;

	if (x < 0 || x >= COLS)
		return;
	attrset(style(t, ST_SORTED));
	mvaddstr(y, x, arrow);
	attrset(A_NORMAL);
}

/* One header cell of a table, recorded for clicks; returns the column after it. */
static int header_cell(struct tui *t, int y, int x, int key, int sort, bool asc,
		       const char *text)
{
	struct tui_hits *h = &t->hit;
	int end;

	h->hdr_x[h->nhdr] = x;
	h->hdr_key[h->nhdr++] = key;
	end = put(t, y, x, key == sort ? ST_SORTED : ST_TITLE, text);
	h->hdr_x[h->nhdr] = end;
	if (key == sort) /* in the padding or the separator left of the name */
		put_arrow(t, y, x + (int)strlen(text), (int)strlen(text) - (int)strspn(text, " "),
			  asc);
	return end;
}

/* COMM of a row: tree indentation, tag mark, unprintable bytes as '?'. */
static void proc_name(const struct tui *t, const struct tui_row *r, int depth, char *buf,
		      size_t len)
{
	char name[SNAP_COMM_LEN], full[64];
	int n = 0;

	tui_fmt__printable(name, sizeof(name), r->r.comm);
	if (depth > 0)
		n = snprintf(full, sizeof(full), "%*s`-", 2 * (depth - 1) > 8 ? 8 : 2 * (depth - 1),
			     "");
	snprintf(full + n, sizeof(full) - (size_t)n, "%s%s", tui__tagged(t, r->r.pid) ? "*" : "",
		 name);
	format__truncate(buf, len - 1, full);
}

static void draw_procs(struct tui *t, int y, int h)
{
	const struct tui_model *m = &t->m;
	enum metric cols[METRIC_COUNT];
	int key = tui__proc_sort(t), ncols;
	char line[LINE_MAX_W], cell[64], name[32];
	bool asc = (key < 0) != t->asc;
	ssize_t got;
	size_t n;
	int x;

	t->sel_pid = 0;
	t->hit.nhdr = t->hit.nrows = 0;
	if (h < 3 || (got = tui__proc_view(t)) < 0)
		return;
	n = (size_t)got;
	ncols = tui_fmt__fit_cols(tui__shown_metrics(t), t->show_sort ? key : -1,
				  (unsigned int)COLS, &t->col_off, cols);
	t->show_sort = false;
	snprintf(line, sizeof(line), "processes (%zu idle or exited)", m->nrows - m->nprev);
	draw_status(t, y, line, n, m->nrows, sort_name(key), asc);
	/* column headers, the sorted one marked and with its arrow */
	attrset(style(t, ST_TITLE));
	mvhline(y + 1, 0, ' ', COLS);
	t->hit.hdr_y = y + 1;
	snprintf(line, sizeof(line), "%*s", TUI_PID_W, "PID");
	x = header_cell(t, y + 1, 0, TUI_SORT_PID, key, asc, line);
	snprintf(line, sizeof(line), " %-*s", TUI_COMM_W, "COMM");
	x = header_cell(t, y + 1, x, TUI_SORT_COMM, key, asc, line);
	for (int c = 0; c < ncols; c++) {
		unsigned int w = tui_fmt__col_width(cols[c]);

		tui_fmt__cell(cell, w, metric__info(cols[c])->header);
		snprintf(line, sizeof(line), " %s", cell);
		x = header_cell(t, y + 1, x, (int)cols[c], key, asc, line);
	}
	if (!n) {
		put(t, y + 2, 1, ST_DIM,
		    t->filter[0] ? "no process matches the filter" : "no process activity yet");
		return;
	}
	/* the selection stays on its process as the rows move (htop does too) */
	for (size_t i = 0; t->sel_pid && i < n; i++)
		if (m->rows[t->idx[i]].r.pid == t->sel_pid) {
			t->sel[t->panel] = i;
			break;
		}
	scroll_window(t, n, h - 2);
	t->hit.rows_y = y + 2;
	for (size_t i = t->first[t->panel]; i < n && (int)(i - t->first[t->panel]) < h - 2; i++) {
		const struct tui_row *r = &m->rows[t->idx[i]];
		int len, row = y + 2 + (int)(i - t->first[t->panel]);
		enum style st = ST_NORMAL;

		t->hit.nrows++;
		proc_name(t, r, t->tree ? t->depth[i] : 0, name, TUI_COMM_W + 1);
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
		else if (r->state == TUI_ROW_NEW || tui__tagged(t, r->r.pid))
			st = ST_NEW;
		if (i == t->sel[t->panel]) {
			put_line(t, row, ST_SEL, line);
			t->sel_pid = r->r.pid;
		} else {
			put(t, row, 0, st, line);
		}
	}
}

/* The key column of table tab: as wide as its longest key (never cut), at least TUI_KEY_W - 1. */
static int key_width(const struct tui_table *tab)
{
	size_t w = strnlen(tab->key_name, SNAP_NAME_LEN);

	for (size_t i = 0; i < tab->nrows; i++) {
		size_t n = strnlen(tab->rows[i].key, SNAP_NAME_LEN);

		w = n > w ? n : w;
	}
	return w > TUI_KEY_W - 1 ? (int)w : TUI_KEY_W - 1;
}

static void draw_table(struct tui *t, int y, int h)
{
	int ti = t->panel - PANEL_TABLES;
	const struct tui_table *tab = &t->m.tables[ti];
	int key = t->tsort[ti] < (int)tab->ncols ? t->tsort[ti] : -1;
	char line[LINE_MAX_W], cell[64], hdr[64], keyc[SNAP_NAME_LEN + 1];
	int kw = key_width(tab);
	unsigned int w[SNAP_TABLE_COLS];
	size_t n;
	int x;

	if (h < 3 || tui__reserve_idx(t, tab->nrows))
		return;
	n = tui_table__view(tab, key, t->tasc[ti], t->filter, t->idx);
	for (unsigned int c = 0; c < tab->ncols; c++) {
		size_t hl =
		    strlen(snap_table__header(hdr, sizeof(hdr), tab->cols[c], tab->units[c]));

		w[c] = hl > TUI_CELL_W + 1 ? (unsigned int)hl : TUI_CELL_W + 1;
	}
	snprintf(line, sizeof(line), "%s rows (%s tracer)", tab->name, tab->tracer);
	draw_status(t, y, line, n, tab->nrows,
		    key < 0
			? tab->key_name
			: snap_table__header(hdr, sizeof(hdr), tab->cols[key], tab->units[key]),
		    (key < 0) != t->tasc[ti]);
	attrset(style(t, ST_TITLE));
	mvhline(y + 1, 0, ' ', COLS);
	t->hit.hdr_y = y + 1;
	t->hit.nhdr = 0;
	snprintf(line, sizeof(line), " %-*s", kw, tab->key_name);
	x = header_cell(t, y + 1, 0, -1, key, (key < 0) != t->tasc[ti], line);
	for (unsigned int c = 0; c < tab->ncols; c++) {
		tui_fmt__cell(cell, w[c],
			      snap_table__header(hdr, sizeof(hdr), tab->cols[c], tab->units[c]));
		snprintf(line, sizeof(line), " %s", cell);
		x = header_cell(t, y + 1, x, (int)c, key, (key < 0) != t->tasc[ti], line);
	}
	if (!n) {
		put(t, y + 2, 1, ST_DIM,
		    tab->nrows ? "no row matches the filter" : "nothing this interval");
		return;
	}
	scroll_window(t, n, h - 2);
	t->hit.rows_y = y + 2;
	t->hit.nrows = h - 2;
	for (size_t i = t->first[t->panel]; i < n && (int)(i - t->first[t->panel]) < h - 2; i++) {
		const struct snap_table_row *r = &tab->rows[t->idx[i]];
		int len, row = y + 2 + (int)(i - t->first[t->panel]);

		tui_fmt__printable(hdr, sizeof(hdr), r->key);
		format__truncate(keyc, (size_t)kw, hdr);
		len = snprintf(line, sizeof(line), " %-*s", kw, keyc);
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
	int barw = COLS - 40, k;

	snprintf(line, sizeof(line), " %llu values since start: %s/%s %s",
		 (unsigned long long)hh->count, th->tracer, th->name,
		 th->label[0] ? th->label : "(all)");
	/* the whole label, wrapped: the list may have cut its front */
	k = put_wrapped(t, y, ST_HEADER, line, 2);
	y += k - 1;
	h -= k - 1;
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

/* Width of the histogram list's numbers, before the label: " %9s %8s %9s %9s %9s  ". */
#define HIST_NUMS_W 51

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
	snprintf(line, sizeof(line), " %9s %8s %9s %9s %9s  %s", "VALUES", "NEW/s", "P50", "P99",
		 "AVG", "TRACER/NAME LABEL");
	put_line(t, y + 1, ST_TITLE, line);
	scroll_window(t, m->since.nhists, list_h);
	for (size_t i = t->first[t->panel]; i < m->since.nhists && (int)(i - t->first[t->panel]) < list_h;
	     i++) {
		const struct totals_hist *th = &m->since.hists[i];
		char full[SNAP_NAME_LEN * 2 + SNAP_LABEL_LEN + 2], label[sizeof(full)];

		tui_fmt__printable(full, sizeof(full), th->tracer);
		snprintf(full + strlen(full), sizeof(full) - strlen(full), "/%s %s", th->name,
			 th->label);
		tui_fmt__tail(label, COLS > HIST_NUMS_W ? (unsigned int)(COLS - HIST_NUMS_W) : 1,
			      full);
		if (th->total.sum && th->total.count)
			hist_value(d, sizeof(d), th->unit, th->total.sum / th->total.count);
		else
			snprintf(d, sizeof(d), "-");
		snprintf(line, sizeof(line), " %9llu %8s %9s %9s %9s  %s",
			 (unsigned long long)th->total.count,
			 format__count(a, sizeof(a), per_sec(t, th->last_count)),
			 hist_value(b, sizeof(b), th->unit, hist__percentile(&th->total, 50)),
			 hist_value(c, sizeof(c), th->unit, hist__percentile(&th->total, 99)), d,
			 label);
		if (i == t->sel[t->panel])
			put_line(t, y + 2 + (int)(i - t->first[t->panel]), ST_SEL, line);
		else
			put(t, y + 2 + (int)(i - t->first[t->panel]), 0, ST_NORMAL, line);
	}
	if (h - list_h - 3 > 1)
		draw_bars(t, &m->since.hists[t->sel[t->panel]], y + list_h + 3, h - list_h - 3);
}

/*
 * Event e (its strings in s) as one line: wall-clock time, tracer, pid, comm,
 * every field. Returns its length.
 */
static int event_line(const struct snapshot *s, const struct snap_event *e, char *line,
		      size_t size)
{
	time_t sec = (time_t)(e->ts_ns / 1000000000ULL);
	char when[16], comm[SNAP_COMM_LEN], v[LINE_MAX_W];
	struct tm tm;
	int len;

	localtime_r(&sec, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	tui_fmt__printable(comm, sizeof(comm), e->comm);
	len = snprintf(line, size, " %s.%03llu %-10.10s %7u %-15s", when,
		       (unsigned long long)(e->ts_ns / 1000000ULL % 1000), e->tracer, e->pid, comm);
	for (unsigned int k = 0; k < e->nfields && len < (int)size - 1; k++) {
		const struct snap_field *f = &e->fields[k];

		if (f->is_str)
			tui_fmt__printable(v, sizeof(v), snapshot__str(s, f));
		else
			tui_fmt__field(v, sizeof(v), f->key, f->num);
		len += snprintf(line + len, size - (size_t)len, " %s=%s", f->key, v);
	}
	return len < (int)size ? len : (int)size - 1;
}

/* Lines the events panel keeps under its list for the selected event's whole text. */
#define EVENT_WRAP_LINES 3

static void draw_events(struct tui *t, int y, int h)
{
	const struct tui_model *m = &t->m;
	int wrap = h >= 12 ? EVENT_WRAP_LINES : 0, rows = h - 2 - wrap;
	char line[LINE_MAX_W], what[64];
	size_t shown[TUI_EVENTS_KEPT], n = 0;

	/* the filter (F4) keeps the events of the processes it names, as in the process table */
	for (size_t i = 0; i < m->events.nevents && n < TUI_EVENTS_KEPT; i++) {
		const struct snap_event *e = tui_model__event(m, i);

		if (tui_model__match_proc(e->pid, e->comm, t->filter))
			shown[n++] = i;
	}
	snprintf(what, sizeof(what), "recent events, newest first (%llu not kept)",
		 (unsigned long long)m->events_lost);
	draw_status(t, y, m->events_lost ? what : "recent events, newest first", n,
		    m->events.nevents, NULL, false);
	if (!n) {
		put(t, y + 2, 1, ST_DIM,
		    m->events.nevents ? "no event matches the filter" :
					"no events yet: they appear when a tracer reports single "
					"events (e.g. connections)");
		return;
	}
	snprintf(line, sizeof(line), " %-12s %-10s %7s %-15s %s", "TIME", "TRACER", "PID", "COMM",
		 "DETAILS");
	put_line(t, y + 1, ST_TITLE, line);
	scroll_window(t, n, rows);
	for (size_t i = t->first[t->panel]; i < n && (int)(i - t->first[t->panel]) < rows; i++) {
		event_line(&m->events, tui_model__event(m, shown[i]), line, sizeof(line));
		if (i == t->sel[t->panel])
			put_line(t, y + 2 + (int)(i - t->first[t->panel]), ST_SEL, line);
		else
			put(t, y + 2 + (int)(i - t->first[t->panel]), 0, ST_NORMAL, line);
	}
	/* the selected one in full, wrapped: nothing of it is cut at the screen's edge */
	if (wrap) {
		event_line(&m->events, tui_model__event(m, shown[t->sel[t->panel]]), line,
			   sizeof(line));
		put_wrapped(t, y + h - wrap, ST_DIM, line, wrap);
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

		if (hl->cost.ns_per_run > 0)
			format__ns(c, sizeof(c), hl->cost.ns_per_run);
		else
			snprintf(c, sizeof(c), "-");
		snprintf(line, sizeof(line), " %-12.12s %-10s %5u %9s", hl->tracer, hl->rung,
			 hl->nprogs, format__count(a, sizeof(a), per_sec(t, hl->events)));
		x = put(t, y + 2 + (int)i, 0, ST_NORMAL, line);
		snprintf(line, sizeof(line), " %9llu", (unsigned long long)hl->drops);
		x = put(t, y + 2 + (int)i, x, hl->drops ? ST_ALERT : ST_NORMAL, line);
		snprintf(line, sizeof(line), " %9s %9s %8.2f",
			 format__count(b, sizeof(b), hl->cost.runs_per_s), c,
			 hl->cost.ns_per_run * hl->cost.runs_per_s / 1e7);
		put(t, y + 2 + (int)i, x, ST_NORMAL, line);
	}
	snprintf(line, sizeof(line),
		 " dropped since start: %llu  (RUNS and NS/RUN from the "
		 "kernel's BPF run-time statistics)",
		 (unsigned long long)m->drops_total);
	if ((int)m->nhealth + 3 < h)
		put(t, y + 3 + (int)m->nhealth, 0, m->drops_total ? ST_ALERT : ST_DIM, line);
}

/* The messages logged since the start, newest first; errors marked. */
static void draw_log(struct tui *t, int y, int h)
{
	char line[LINE_MAX_W];
	bool err;

	draw_status(t, y, "messages, newest first", t->nlog, t->nlog, NULL, false);
	if (!t->nlog) {
		put(t, y + 2, 1, ST_DIM, "no messages");
		return;
	}
	scroll_window(t, t->nlog, h - 1);
	for (size_t i = t->first[t->panel]; i < t->nlog && (int)(i - t->first[t->panel]) < h - 1;
	     i++) {
		const char *msg = tui__log_line(t, i, &err);
		int row = y + 1 + (int)(i - t->first[t->panel]);

		snprintf(line, sizeof(line), " %s %s", err ? "error:" : "      ", msg);
		if (i == t->sel[t->panel])
			put_line(t, row, ST_SEL, line);
		else
			put(t, row, 0, err ? ST_ALERT : ST_NORMAL, line);
	}
}

/* Drawing of the fixed panels, by enum tui_panel; tables use draw_table. */
static void (*const panel_draw[PANEL_TABLES])(struct tui *t, int y, int h) = {
    [PANEL_PROCS] = draw_procs,
    [PANEL_HISTS] = draw_hists,
    [PANEL_EVENTS] = draw_events,
    [PANEL_HEALTH] = draw_health,
    [PANEL_LOG] = draw_log,
};

static void draw_footer(struct tui *t, int y)
{
	char buf[LINE_MAX_W];

	if (t->edit != EDIT_NONE) {
		bool said = t->msg[0] && tui__now_ns() - t->msg_mono_ns < MSG_SHOW_NS;

		/* what the typing found (e.g. no match) shows beside it */
		snprintf(buf, sizeof(buf), " %s: %s_  %s  (Enter: keep, Esc: clear%s)",
			 t->edit == EDIT_SEARCH ? "search" : "filter",
			 t->edit == EDIT_SEARCH ? t->search : t->filter, said ? t->msg : "",
			 t->edit == EDIT_SEARCH ? ", F3: next" : "");
		put_line(t, y, ST_SEL, buf);
	} else if (t->msg[0] && tui__now_ns() - t->msg_mono_ns < MSG_SHOW_NS) {
		put_line(t, y, ST_DIM, t->msg);
	} else if (t->replay) {
		put(t, y, 0, ST_DIM,
		    " F1 help  F10 quit  <- -> interval  PgUp/PgDn minute  Home/End  p pause  "
		    "+ - speed");
	} else {
		put(t, y, 0, ST_DIM,
		    " F1 help  F2 columns  F3 search  F4 filter  F5 tree  F6 sort  F9 kill  "
		    "F10 quit");
	}
}

static const char *const help_lines[] = {
    "tracerhub top keys (Up Down PgUp PgDn scroll, any other key closes)",
    "",
    "  Up Down PgUp PgDn Home End  move the selection (also j g G)",
    "  Left Right                  scroll the columns (PID and COMM stay)",
    "  F6 > s  <                   sort by the next / previous column; i inverts",
    "  F3 /   n                    search a name or pid (jumps to it); next match",
    "  F4 \\                        filter by name or pid (Enter keeps, Esc clears)",
    "  F5 t                        tree: children under their parent",
    "  Space  U                    tag the process (and move down); untag all",
    "  Enter                       the process' detail: every tracer's data",
    "  F9 k                        send a signal to the tagged or selected process",
    "  F2 c                        choose columns (saved in ~/.config/tracerhub)",
    "  Tab Shift-Tab  1..9 0       switch panels (the tabs line; also mouse)",
    "  p Z                         pause the screen (tracing goes on)",
    "  + -                         lengthen / shorten the interval",
    "  Ctrl-L                      redraw the screen",
    "  F1 h ?                      this help",
    "  F10 q                       quit (so do Ctrl-C and SIGTERM)",
    "",
    "Replay (top --replay FILE): Left Right one interval, PgUp PgDn one",
    "minute, Home End first / last, p pause, + - speed; it stays on the",
    "last interval until you quit. Signals are off.",
    "",
    "Mouse: click a column header to sort (again: invert), a row to select",
    "(double click: detail), a tab to switch. NO_MOUSE=1 turns it off.",
    "",
    "Rates are per second over the last interval. CPU% is of one CPU:",
    "a process on two CPUs shows 200%, the header says the total possible.",
    "New processes are bold, exited ones faded for one interval.",
};

/* A framed box over the middle of the screen for lines [first, first + rows) of n. */
static void draw_box(const struct tui *t, const char *const *lines, int n, int *first)
{
	int w = 80 < COLS ? 80 : COLS, rows = n < LINES - 2 ? n : LINES - 2;
	int y0 = (LINES - rows - 2) / 2, x0 = (COLS - w) / 2;

	if (*first > n - rows)
		*first = n - rows;
	if (*first < 0)
		*first = 0;
	attrset(style(t, ST_SEL));
	for (int i = 0; i < rows + 2; i++) {
		mvhline(y0 + i, x0, ' ', w);
		if (i > 0 && i <= rows)
			mvaddnstr(y0 + i, x0 + 1, lines[*first + i - 1], w - 2);
	}
	if (*first + rows < n)
		mvaddstr(y0 + rows + 1, x0 + 2, "-- more: Down / PgDn --");
	attrset(A_NORMAL);
}

static void draw_help(struct tui *t)
{
	draw_box(t, help_lines, (int)(sizeof(help_lines) / sizeof(help_lines[0])), &t->ov_first);
}

/* A list overlay: title, then lines with the selected one marked. */
static void draw_list(struct tui *t, const char *title, const char *hint, char (*lines)[96],
		      int n)
{
	int rows = LINES - 4, y;

	erase();
	put_line(t, 0, ST_HEADER, title);
	if (t->ov_sel < t->ov_first)
		t->ov_first = t->ov_sel;
	if (t->ov_sel >= t->ov_first + rows)
		t->ov_first = t->ov_sel - rows + 1;
	for (y = 0; y < rows && t->ov_first + y < n; y++) {
		int i = t->ov_first + y;

		if (i == t->ov_sel)
			put_line(t, 2 + y, ST_SEL, lines[i]);
		else
			put(t, 2 + y, 0, ST_NORMAL, lines[i]);
	}
	put(t, LINES - 1, 0, ST_DIM, hint);
}

static void draw_columns(struct tui *t)
{
	char lines[METRIC_COUNT][96];
	int n = 0;

	for (int i = 0; i < METRIC_COUNT; i++) {
		enum metric m = metric__shown((unsigned int)i);

		if (!(t->m.metrics_present & (1ULL << m)))
			continue;
		snprintf(lines[n++], sizeof(lines[0]), " [%c] %-10s %s",
			 t->hidden & (1ULL << m) ? ' ' : 'x',
			 metric__info(m)->header, metric__info(m)->help);
	}
	draw_list(t, " Columns of the process table (PID and COMM always shown)",
		  " Space/Enter show or hide  Up Down move  any other key: save and close", lines,
		  n);
}

static void draw_signal(struct tui *t)
{
	char lines[16][96], title[LINE_MAX_W];
	int n = 0;

	for (int i = 0; i < tui_nsignals && i < 16; i++)
		snprintf(lines[n++], sizeof(lines[0]), " %2d %s", tui_signals[i].sig,
			 tui_signals[i].name);
	if (t->ntags)
		snprintf(title, sizeof(title), " Send a signal to the %zu tagged processes",
			 t->ntags);
	else
		snprintf(title, sizeof(title), " Send a signal to process %u", t->sel_pid);
	draw_list(t, title, " Enter send  Up Down choose  any other key: cancel", lines, n);
}

/* Does histogram label lab carry pid=pid as one of its k=v parts? */
static bool label_has_pid(const char *lab, __u32 pid)
{
	char want[24];
	size_t k;

	k = (size_t)snprintf(want, sizeof(want), "pid=%u", pid);
	for (const char *p = strstr(lab, want); p; p = strstr(p + 1, want))
		if ((p == lab || p[-1] == ',' || p[-1] == ' ') && (!p[k] || p[k] == ','))
			return true;
	return false;
}

/* The detail view: one process, every metric, its histograms and events. */
static void draw_detail(struct tui *t)
{
	const struct tui_model *m = &t->m;
	const struct tui_row *row = NULL;
	char line[LINE_MAX_W], name[SNAP_COMM_LEN], a[32], b[32];
	int y = 2, x0 = 1, half = COLS >= 160 ? COLS / 2 : COLS, col = 0;

	for (size_t i = 0; i < m->nrows && !row; i++)
		if (m->rows[i].r.pid == t->detail_pid)
			row = &m->rows[i];
	erase();
	tui_fmt__printable(name, sizeof(name), t->detail_comm);
	snprintf(line, sizeof(line), " Process %u %s  %s  shown for %s", t->detail_pid, name,
		 !row ? "not reporting" : row->state == TUI_ROW_EXITED ? "exited" : "running",
		 tui_fmt__uptime(a, sizeof(a), t->detail_ns));
	put_line(t, 0, ST_HEADER, line);
	snprintf(line, sizeof(line), " %-10s %10s %14s  %s", "METRIC", "LAST", "TOTAL", "WHAT");
	put_line(t, 1, ST_TITLE, line);
	for (int i = 0; i < METRIC_COUNT && y < LINES - 2; i++) {
		enum metric mt = metric__shown((unsigned int)i);
		const struct metric_info *mi = metric__info(mt);

		if (!(m->metrics_present & (1ULL << mt)))
			continue;
		format__metric(a, sizeof(a), mt, row ? row->r.values[mt] : 0, m->interval_ns);
		if (mi->kind == KIND_GAUGE)
			snprintf(b, sizeof(b), "-");
		else if (mi->unit == UNIT_NS)
			format__ns(b, sizeof(b), (double)t->detail_total[mt]);
		else if (mi->unit == UNIT_BYTES)
			snprintf(b, sizeof(b), "%lluB", (unsigned long long)t->detail_total[mt]);
		else
			snprintf(b, sizeof(b), "%llu", (unsigned long long)t->detail_total[mt]);
		snprintf(line, sizeof(line), " %-10s %10s %14s  %s",
			 metric__info(mt)->header, a, b, mi->help);
		if (half < COLS)
			line[half - 1 < (int)sizeof(line) ? half - 1 : 0] = '\0';
		put(t, y, x0 + col * half, ST_NORMAL, line);
		if (half < COLS && !col) {
			col = 1;
		} else {
			col = 0;
			y++;
		}
	}
	y += col + 1;
	for (size_t i = 0; i < m->since.nhists && y < LINES - 2; i++) {
		const struct totals_hist *th = &m->since.hists[i];

		if (!label_has_pid(th->label, t->detail_pid))
			continue;
		snprintf(line, sizeof(line), " %s/%s %s: %llu values, p50 %s, p99 %s", th->tracer,
			 th->name, th->label, (unsigned long long)th->total.count,
			 hist_value(a, sizeof(a), th->unit, hist__percentile(&th->total, 50)),
			 hist_value(b, sizeof(b), th->unit, hist__percentile(&th->total, 99)));
		put(t, y++, 0, ST_NORMAL, line);
	}
	put_line(t, y++, ST_TITLE,
		 " recent events of this process (execs, commands, connections, packets)");
	for (size_t i = 0; i < m->events.nevents && y < LINES - 1; i++) {
		const struct snap_event *e = tui_model__event(m, i);

		if (e->pid != t->detail_pid)
			continue;
		event_line(&m->events, e, line, sizeof(line));
		put(t, y++, 0, ST_NORMAL, line);
	}
	put(t, LINES - 1, 0, ST_DIM,
	    " Esc/Enter back  F10/q quit   LAST per second, TOTAL since opened");
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
	if (t->ov == OV_HELP)
		draw_help(t);
	else if (t->ov == OV_DETAIL)
		draw_detail(t);
	else if (t->ov == OV_COLUMNS)
		draw_columns(t);
	else if (t->ov == OV_SIGNAL)
		draw_signal(t);
	refresh();
}
