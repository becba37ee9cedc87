// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The dashboard as a sink: screen setup and restore, keys, resizes, self-cost. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <term.h>
#include "core/log.h"
#include "model/grow.h"
#include "model/replay_ctl.h"
#include "tui/draw.h"
#include "tui/fmt.h"
#include "tui/priv.h"
#include "tui/tui.h"

#define KEY_ESC	     27
#define KEY_CTRL_L   12
#define ESC_DELAY_MS 25
#define LOG_PREFIX   "tracerhub: "

/* Intervals + and - step through, in ms. */
static const unsigned int interval_steps[] = {100, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000};
#define NSTEPS (sizeof(interval_steps) / sizeof(interval_steps[0]))

int tui__usable(const char **why)
{
	int err;

	if (!isatty(STDOUT_FILENO)) {
		*why = "stdout is not a terminal";
		return -ENOTTY;
	}
	if (!isatty(STDIN_FILENO)) {
		*why = "stdin is not a terminal (the dashboard reads keys from it)";
		return -ENOTTY;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		*why = "TERM is unset or not in the terminfo database";
		return -ENOTTY;
	}
	del_curterm(cur_term);
	return 0;
}

struct tui *tui__new(unsigned int interval_ms, int sort)
{
	struct tui *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->interval_ms = interval_ms;
	t->sort = sort >= 0 ? sort : TUI_SORT_PID - 1;
	t->winch_fd = t->saved_stderr = t->capture_fd = -1;
	t->self_cpu = -1; /* until a live interval says */
	t->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epoll_fd < 0) {
		free(t);
		return NULL;
	}
	return t;
}

void tui__free(struct tui *t)
{
	if (!t)
		return;
	tui_model__free(&t->m);
	free(t->idx);
	free(t->depth);
	close(t->epoll_fd);
	free(t);
}

int tui__start_screen(struct tui *t, FILE *out, FILE *in, const char *term, bool color)
{
	const char *cs;

	setlocale(LC_CTYPE, ""); /* wide characters (the sort arrow) where the locale has them */
	cs = nl_langinfo(CODESET);
	t->utf8 = cs && !strcmp(cs, "UTF-8");
	t->scr = newterm(term, out, in);
	if (!t->scr)
		return -ENOTTY;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	curs_set(0);
	t->mouse = !getenv("NO_MOUSE") || !getenv("NO_MOUSE")[0];
	if (t->mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED, NULL);
	t->color = color && has_colors() && start_color() == OK;
	if (t->color)
		tui_draw__init_colors();
	return 0;
}

void tui__stop_screen(struct tui *t)
{
	if (!t->scr)
		return;
	endwin();
	delscreen(t->scr);
	t->scr = NULL;
}

static bool pid_alive(__u32 pid)
{
	return !kill((pid_t)pid, 0) || errno == EPERM;
}

/* In a replay the processes of the recording are not ours to probe: gone means idle. */
static bool replay_alive(__u32 pid)
{
	(void)pid;
	return true;
}

/* The detail view's totals: counters add up from the interval it opened in; gauges: the latest. */
static void detail_add(struct tui *t, const struct snapshot *s)
{
	const struct proc_row *r = snapshot__find_row(s, t->detail_pid);

	t->detail_ns += s->interval_ns;
	if (!r)
		return;
	for (int m = 0; m < METRIC_COUNT; m++) {
		if (metric__info(m)->kind == KIND_GAUGE)
			t->detail_total[m] = r->values[m];
		else
			t->detail_total[m] += r->values[m];
	}
}

int tui__update(struct tui *t, const struct snapshot *s)
{
	int err;

	if (t->replay && t->replay->jumped) { /* a seek: what was summed belongs elsewhere */
		tui_model__free(&t->m);
		memset(t->detail_total, 0, sizeof(t->detail_total));
		t->detail_ns = 0;
	}
	err = tui_model__update(&t->m, s, t->replay ? replay_alive : pid_alive);
	if (t->ov == OV_DETAIL)
		detail_add(t, s);
	return err;
}

void tui__set_replay(struct tui *t, const char *name, struct replay_ctl *ctl)
{
	const char *slash = name ? strrchr(name, '/') : NULL;

	t->replay_name = slash ? slash + 1 : name;
	t->replay = ctl;
}

void tui__draw(struct tui *t)
{
	if (t->scr)
		tui_draw__screen(t);
}

/* Replay speeds + and - step through. */
static const double speed_steps[] = {0.25, 0.5, 1, 2, 4, 8, 16, 64};
#define NSPEEDS (sizeof(speed_steps) / sizeof(speed_steps[0]))

/* A click: tabs switch panels, column headers sort (again: invert), rows select. */
void tui__mouse(struct tui *t)
{
	const struct tui_hits *h = &t->hit;
	MEVENT ev;

	if (getmouse(&ev) != OK || !(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED |
						  BUTTON1_DOUBLE_CLICKED)))
		return;
	if (t->ov != OV_NONE) {
		t->ov = OV_NONE;
		return;
	}
	if (ev.y == h->tabs_y) {
		for (int i = 0; i < h->ntabs; i++)
			if (ev.x >= h->tab_x[i] && ev.x < h->tab_x[i + 1])
				t->panel = h->tab_first + i;
	} else if (ev.y == h->hdr_y) {
		for (int i = 0; i < h->nhdr; i++)
			if (ev.x >= h->hdr_x[i] && ev.x < h->hdr_x[i + 1])
				tui__sort_by(t, h->hdr_key[i]);
	} else if (ev.y >= h->rows_y && ev.y < h->rows_y + h->nrows) {
		t->sel[t->panel] = t->first[t->panel] + (size_t)(ev.y - h->rows_y);
		if ((ev.bstate & BUTTON1_DOUBLE_CLICKED) && t->panel == PANEL_PROCS)
			t->pending_detail = true;
	}
}

/* The sort keys of the current panel in the order < and > walk them. */
static int sort_keys(const struct tui *t, int *keys)
{
	__u64 shown = tui__shown_metrics(t);
	int n = 0;

	if (t->panel == PANEL_PROCS) {
		keys[n++] = TUI_SORT_PID;
		keys[n++] = TUI_SORT_COMM;
		for (int i = 0; i < METRIC_COUNT; i++)
			if (shown & (1ULL << metric__shown((unsigned int)i)))
				keys[n++] = metric__shown((unsigned int)i);
	} else if (t->panel >= PANEL_TABLES) {
		keys[n++] = -1;
		for (unsigned int c = 0; c < t->m.tables[t->panel - PANEL_TABLES].ncols; c++)
			keys[n++] = (int)c;
	}
	return n;
}

/* Move the current panel's sort key by step (+1 / -1) through its columns. */
static void sort_step(struct tui *t, int step)
{
	int keys[METRIC_COUNT + 2], n = sort_keys(t, keys), i, *cur;

	if (!n)
		return;
	if (t->panel == PANEL_PROCS) {
		cur = &t->sort;
		if (*cur < TUI_SORT_PID) /* unset: the first metric, as drawn */
			*cur = n > 2 ? keys[2] : TUI_SORT_PID;
		t->show_sort = true;
	} else {
		cur = &t->tsort[t->panel - PANEL_TABLES];
	}
	for (i = 0; i < n && keys[i] != *cur; i++)
		;
	*cur = keys[((i < n ? i : 0) + step + n) % n];
}

void tui__sort_by(struct tui *t, int key)
{
	if (t->panel == PANEL_PROCS) {
		if (t->sort == key)
			t->asc = !t->asc;
		else
			t->asc = false;
		t->sort = key;
	} else if (t->panel >= PANEL_TABLES) {
		int ti = t->panel - PANEL_TABLES;

		if (t->tsort[ti] == key)
			t->tasc[ti] = !t->tasc[ti];
		else
			t->tasc[ti] = false;
		t->tsort[ti] = key;
	}
}

static void interval_step(struct tui *t, int step, unsigned int *interval_ms)
{
	unsigned int ms = *interval_ms;

	if (step > 0) {
		for (size_t i = 0; i < NSTEPS && ms <= *interval_ms; i++)
			ms = interval_steps[i];
	} else {
		for (size_t i = NSTEPS; i-- > 0 && ms >= *interval_ms;)
			ms = interval_steps[i];
	}
	if ((step > 0 && ms > *interval_ms) || (step < 0 && ms < *interval_ms))
		*interval_ms = t->interval_ms = ms;
}

static void speed_step(struct tui *t, int step)
{
	size_t i = 0;

	while (i + 1 < NSPEEDS && speed_steps[i] < t->replay->speed)
		i++;
	if (step > 0 && i + 1 < NSPEEDS)
		i++;
	else if (step < 0 && i > 0)
		i--;
	t->replay->speed = speed_steps[i];
}

/* Ask the replay to go somewhere; false when live. */
static bool replay_seek(struct tui *t, enum replay_seek to, long long n)
{
	if (!t->replay)
		return false;
	t->replay->seek = to;
	t->replay->n = n;
	return true;
}

/* A footer message, as if it had been logged. */
static void say(struct tui *t, const char *msg)
{
	t->msg[0] = ' ';
	tui_fmt__printable(t->msg + 1, sizeof(t->msg) - 1, msg);
	t->msg_mono_ns = tui__now_ns();
}

static void tag_toggle(struct tui *t, __u32 pid)
{
	for (size_t i = 0; i < t->ntags; i++) {
		if (t->tags[i] == pid) {
			t->tags[i] = t->tags[--t->ntags];
			return;
		}
	}
	if (t->ntags < TUI_TAGS_MAX)
		t->tags[t->ntags++] = pid;
}

/* Search: select the first row at or after the selection (from the next with next) matching. */
static void search_next(struct tui *t, bool next)
{
	size_t from = t->sel[PANEL_PROCS] + (next ? 1 : 0);
	ssize_t got;
	size_t n;

	if (!t->search[0] || t->panel != PANEL_PROCS || (got = tui__proc_view(t)) <= 0)
		return;
	n = (size_t)got;
	for (size_t k = 0; k < n; k++) {
		size_t i = (from + k) % n;

		if (tui_model__match(&t->m.rows[t->idx[i]].r, t->search)) {
			t->sel[PANEL_PROCS] = i;
			t->msg[0] = '\0'; /* an earlier "no match" is over */
			return;
		}
	}
	say(t, "search: no process matches");
}

/* A key while the search or filter is being typed. */
static void edit_key(struct tui *t, int key)
{
	char *text = t->edit == EDIT_SEARCH ? t->search : t->filter;
	size_t n = strlen(text);

	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		t->edit = EDIT_NONE;
		return;
	} else if (key == KEY_ESC) {
		text[0] = '\0';
		t->edit = EDIT_NONE;
		return;
	} else if (t->edit == EDIT_SEARCH && key == KEY_F(3)) {
		search_next(t, true);
		return;
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (n)
			text[n - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && n + 1 < TUI_FILTER_LEN) {
		text[n] = (char)key;
		text[n + 1] = '\0';
	} else {
		return;
	}
	if (t->edit == EDIT_SEARCH)
		search_next(t, false);
	else
		t->sel[t->panel] = t->first[t->panel] = 0;
}

static void edit_start(struct tui *t, enum tui_edit e)
{
	t->edit = e;
	if (e == EDIT_SEARCH) {
		t->panel = PANEL_PROCS;
		t->search[0] = '\0';
	} else {
		t->filter[0] = '\0';
	}
}

/* Open the detail view of the selected process. */
static void detail_open(struct tui *t)
{
	const struct proc_row *r = NULL;

	for (size_t i = 0; i < t->m.nrows && !r; i++)
		if (t->m.rows[i].r.pid == t->sel_pid)
			r = &t->m.rows[i].r;
	if (!r)
		return;
	t->detail_pid = r->pid;
	memcpy(t->detail_comm, r->comm, sizeof(t->detail_comm));
	memcpy(t->detail_total, r->values, sizeof(t->detail_total));
	t->detail_ns = t->m.interval_ns;
	t->ov = OV_DETAIL;
	t->ov_first = 0;
}

/* F9: signals go to the tagged processes, else to the selected one. */
static void signal_open(struct tui *t)
{
	if (t->replay)
		say(t, "signals are off in a replay: these processes are a recording");
	else if (geteuid())
		say(t, "signals need root: tracerhub runs as another user");
	else if (!t->ntags && !t->sel_pid)
		say(t, "no process selected");
	else {
		t->ov = OV_SIGNAL;
		t->ov_sel = 0;
	}
}

static void signal_send(struct tui *t)
{
	const struct tui_signal *sg = &tui_signals[t->ov_sel];
	__u32 one = t->sel_pid;
	const __u32 *pids = t->ntags ? t->tags : &one;
	size_t n = t->ntags ? t->ntags : 1, sent = 0;
	char msg[128];
	int err = 0;

	for (size_t i = 0; i < n; i++) {
		if (kill((pid_t)pids[i], sg->sig))
			err = errno;
		else
			sent++;
	}
	if (err)
		snprintf(msg, sizeof(msg), "%s sent to %zu of %zu processes: %s", sg->name, sent, n,
			 strerror(err));
	else
		snprintf(msg, sizeof(msg), "%s sent to %zu process%s", sg->name, sent,
			 sent == 1 ? "" : "es");
	say(t, msg);
	t->ntags = 0;
}

/* Lines an overlay's list has, for moving its selection. */
static int overlay_lines(const struct tui *t)
{
	int n = 0;

	if (t->ov == OV_SIGNAL)
		return tui_nsignals;
	for (int i = 0; i < METRIC_COUNT; i++)
		n += !!(t->m.metrics_present & (1ULL << metric__shown((unsigned int)i)));
	return n;
}

/* The metric on line i of the column chooser. */
static int chooser_metric(const struct tui *t, int line)
{
	for (int i = 0; i < METRIC_COUNT; i++)
		if ((t->m.metrics_present & (1ULL << metric__shown((unsigned int)i))) && !line--)
			return metric__shown((unsigned int)i);
	return -1;
}

/* Keys of the overlays (help, detail, column chooser, signal). */
static void overlay_key(struct tui *t, int key)
{
	int page = LINES > 6 ? LINES - 6 : 1, n = overlay_lines(t), m;

	switch (key) {
	case KEY_UP:
		t->ov_sel -= t->ov_sel > 0;
		t->ov_first -= t->ov_first > 0;
		return;
	case KEY_DOWN:
		t->ov_sel += t->ov_sel + 1 < n;
		t->ov_first++; /* drawing clamps it */
		return;
	case KEY_PPAGE:
		t->ov_first = t->ov_first > page ? t->ov_first - page : 0;
		return;
	case KEY_NPAGE:
		t->ov_first += page;
		return;
	case KEY_HOME:
		t->ov_first = t->ov_sel = 0;
		return;
	case KEY_END:
		t->ov_first = 1 << 20;
		t->ov_sel = n ? n - 1 : 0;
		return;
	}
	if (t->ov == OV_COLUMNS && (key == ' ' || key == '\n' || key == '\r' || key == KEY_ENTER)) {
		m = chooser_metric(t, t->ov_sel);
		if (m >= 0)
			t->hidden ^= 1ULL << m;
		return;
	}
	if (t->ov == OV_SIGNAL && (key == '\n' || key == '\r' || key == KEY_ENTER)) {
		signal_send(t);
	} else if (t->ov == OV_COLUMNS) {
		int err = tui_config__save(t->hidden);

		if (err)
			say(t, "columns not saved: cannot write "
			       "$XDG_CONFIG_HOME/tracerhub/top.conf");
	}
	t->ov = OV_NONE; /* any other key closes */
}

/* Keys only a replay has: seeking and speed. True when key was one. */
static bool replay_key(struct tui *t, int key)
{
	switch (key) {
	case KEY_LEFT:
		return replay_seek(t, REPLAY_STEP, -1);
	case KEY_RIGHT:
		return replay_seek(t, REPLAY_STEP, 1);
	case KEY_PPAGE:
		return replay_seek(t, REPLAY_SHIFT, -60);
	case KEY_NPAGE:
		return replay_seek(t, REPLAY_SHIFT, 60);
	case KEY_HOME:
		return replay_seek(t, REPLAY_FIRST, 0);
	case KEY_END:
		return replay_seek(t, REPLAY_LAST, 0);
	case 'p':
	case 'P':
	case 'Z':
		t->replay->paused = !t->replay->paused;
		return true;
	case '+':
	case '=':
		speed_step(t, 1);
		return true;
	case '-':
	case '_':
		speed_step(t, -1);
		return true;
	}
	return false;
}

/* One key's action; tui__key follows it with the process it selected. */
static enum sink_action key_action(struct tui *t, int key, unsigned int *interval_ms)
{
	size_t *sel = &t->sel[t->panel];
	size_t page = t->page > 0 ? (size_t)t->page : 1;

	if (key == KEY_F(10))
		return SINK_QUIT;
	if (key == KEY_MOUSE) {
		tui__mouse(t);
		return SINK_CONTINUE;
	}
	if (t->edit != EDIT_NONE) {
		edit_key(t, key);
		return SINK_CONTINUE;
	}
	if (t->ov != OV_NONE && key != KEY_RESIZE && key != ERR) {
		if (t->ov == OV_DETAIL && (key == 'q' || key == 'Q'))
			return SINK_QUIT;
		overlay_key(t, key);
		return SINK_CONTINUE;
	}
	if (t->replay && replay_key(t, key))
		return SINK_CONTINUE;
	switch (key) {
	case 'q':
	case 'Q':
		return SINK_QUIT;
	case KEY_UP:
		*sel -= *sel > 0;
		break;
	case KEY_DOWN:
	case 'j':
		(*sel)++; /* drawing clamps it */
		break;
	case KEY_PPAGE:
		*sel = *sel > page ? *sel - page : 0;
		break;
	case KEY_NPAGE:
		*sel += page;
		break;
	case KEY_HOME:
	case 'g':
		*sel = 0;
		break;
	case KEY_END:
	case 'G':
		*sel = (size_t)-1 / 2;
		break;
	case KEY_LEFT:
		t->col_off -= t->col_off > 0;
		break;
	case KEY_RIGHT:
		t->col_off++; /* drawing clamps it */
		break;
	case '<':
	case ',':
		sort_step(t, -1);
		break;
	case '>':
	case '.':
	case 's':
	case KEY_F(6):
		sort_step(t, 1);
		break;
	case 'i':
	case 'I':
		if (t->panel >= PANEL_TABLES)
			t->tasc[t->panel - PANEL_TABLES] = !t->tasc[t->panel - PANEL_TABLES];
		else
			t->asc = !t->asc;
		break;
	case '/':
	case KEY_F(3):
		edit_start(t, EDIT_SEARCH);
		break;
	case 'n':
		search_next(t, true);
		break;
	case '\\':
	case KEY_F(4):
		edit_start(t, EDIT_FILTER);
		break;
	case KEY_ESC:
		t->filter[0] = '\0';
		break;
	case 't':
	case KEY_F(5):
		t->tree = !t->tree;
		t->panel = PANEL_PROCS;
		break;
	case 'c':
	case KEY_F(2):
		t->ov = OV_COLUMNS;
		t->ov_sel = t->ov_first = 0;
		break;
	case 'k':
	case KEY_F(9):
		if (t->panel == PANEL_PROCS)
			signal_open(t);
		break;
	case ' ':
		if (t->panel == PANEL_PROCS && t->sel_pid) {
			tag_toggle(t, t->sel_pid);
			(*sel)++;
		}
		break;
	case 'U':
		t->ntags = 0;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		if (t->panel == PANEL_PROCS)
			detail_open(t);
		break;
	case 'p':
	case 'P':
	case 'Z':
		t->paused = !t->paused;
		break;
	case '\t':
		t->panel = (t->panel + 1) % tui__npanels(t);
		break;
	case KEY_BTAB:
		t->panel = (t->panel + tui__npanels(t) - 1) % tui__npanels(t);
		break;
	case '+':
	case '=':
		interval_step(t, 1, interval_ms);
		break;
	case '-':
	case '_':
		interval_step(t, -1, interval_ms);
		break;
	case 'h':
	case 'H':
	case '?':
	case KEY_F(1):
		t->ov = OV_HELP;
		t->ov_first = 0;
		break;
	case KEY_CTRL_L:
		if (t->scr)
			clearok(curscr, TRUE);
		break;
	default:
		if (key >= '1' && key <= '9' && key - '1' < tui__npanels(t))
			t->panel = key - '1';
		else if (key == '0' && tui__npanels(t) >= 10)
			t->panel = 9;
		break;
	}
	return SINK_CONTINUE;
}

/* The process under the selection of the process table now, not at the last frame. */
static void sel_sync(struct tui *t)
{
	ssize_t n = tui__proc_view(t);
	size_t sel = t->sel[PANEL_PROCS];

	t->sel_pid = n > 0 && sel < (size_t)n ? t->m.rows[t->idx[sel]].r.pid : 0;
}

enum sink_action tui__key(struct tui *t, int key, unsigned int *interval_ms)
{
	enum sink_action a = key_action(t, key, interval_ms);

	/* keys typed before the next frame (Down then Enter, n then F9) act on what they chose */
	if (a == SINK_CONTINUE && t->panel == PANEL_PROCS && t->ov == OV_NONE)
		sel_sync(t);
	return a;
}

/* The last line written to stderr since the screen opened, for the footer. */
static void read_capture(struct tui *t)
{
	char buf[sizeof(t->msg) + 1], *line;
	struct stat st;
	ssize_t n;
	long from;

	if (t->capture_fd < 0 || fstat(t->capture_fd, &st) || st.st_size <= t->capture_seen)
		return;
	from = (long)st.st_size - (long)sizeof(buf) + 1;
	if (from < t->capture_seen)
		from = t->capture_seen;
	n = pread(t->capture_fd, buf, sizeof(buf) - 1, from);
	t->capture_seen = (long)st.st_size;
	if (n <= 0)
		return;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	if (!strncmp(line, LOG_PREFIX, strlen(LOG_PREFIX)))
		line += strlen(LOG_PREFIX);
	t->msg[0] = ' ';
	tui_fmt__printable(t->msg + 1, sizeof(t->msg) - 1, line);
	t->msg_mono_ns = tui__now_ns();
}

static int tui_emit(void *ctx, const struct snapshot *s)
{
	struct tui *t = ctx;
	int err;

	if (s->final)
		return 0; /* the screen closes next: nothing more to show */
	/* the core's measure: a live run's (a recording keeps none: not shown) */
	t->self_cpu = s->self_cpu_known && s->interval_ns ?
			      100.0 * (double)s->self_cpu_ns / (double)s->interval_ns :
			      -1;
	if (t->paused)
		return 0;
	err = tui__update(t, s);
	if (err) {
		log__error("dashboard: out of memory");
		return err;
	}
	read_capture(t);
	tui__draw(t);
	return 0;
}

/* Resize curses to the terminal's new size. */
static void resize(struct tui *t)
{
	struct signalfd_siginfo si;
	struct winsize ws;

	while (read(t->winch_fd, &si, sizeof(si)) == sizeof(si))
		;
	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		resize_term(ws.ws_row, ws.ws_col);
		clearok(curscr, TRUE); /* the terminal may have moved or dropped what it showed */
	}
}

static enum sink_action tui_on_input(void *ctx, unsigned int *interval_ms)
{
	struct tui *t = ctx;
	struct epoll_event evs[2];
	int n = epoll_wait(t->epoll_fd, evs, 2, 0), key;

	for (int i = 0; i < n; i++) {
		if (evs[i].data.fd == t->winch_fd)
			resize(t);
		else if (evs[i].events & (EPOLLHUP | EPOLLERR))
			return SINK_QUIT; /* the terminal went away */
	}
	while ((key = getch()) != ERR)
		if (tui__key(t, key, interval_ms) == SINK_QUIT)
			return SINK_QUIT;
	read_capture(t);
	tui__draw(t);
	if (t->pending_detail) { /* a double click: the row it selected is known once drawn */
		t->pending_detail = false;
		detail_open(t);
		tui__draw(t);
	}
	return SINK_CONTINUE;
}

/* Send stderr to a memory file while the screen is up, so messages neither smear nor vanish. */
static void capture_stderr(struct tui *t)
{
	if (!isatty(STDERR_FILENO))
		return;
	t->capture_fd = memfd_create("tracerhub-stderr", MFD_CLOEXEC);
	if (t->capture_fd < 0)
		return;
	fflush(stderr);
	t->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (t->saved_stderr < 0 || dup2(t->capture_fd, STDERR_FILENO) < 0) {
		close(t->capture_fd);
		t->capture_fd = -1;
	}
}

/* Put stderr back and write there what was captured. */
static void release_stderr(struct tui *t)
{
	char buf[4096];
	ssize_t n;
	off_t off = 0;

	if (t->saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(t->saved_stderr, STDERR_FILENO);
	close(t->saved_stderr);
	t->saved_stderr = -1;
	if (t->capture_fd < 0)
		return;
	while ((n = pread(t->capture_fd, buf, sizeof(buf), off)) > 0) {
		if (write(STDERR_FILENO, buf, (size_t)n) != n)
			break;
		off += n;
	}
	close(t->capture_fd);
	t->capture_fd = -1;
}

/* log__info / log__error while the dashboard runs: the Log panel and the footer. */
static void tui_log(void *ctx, bool error, const char *msg)
{
	struct tui *t = ctx;

	tui_fmt__printable(t->log[t->log_next], TUI_LOG_LEN, msg);
	t->log_err[t->log_next] = error;
	t->log_next = (t->log_next + 1) % TUI_LOG_LINES;
	if (t->nlog < TUI_LOG_LINES)
		t->nlog++;
	say(t, msg);
}

static int tui_ready(void *ctx)
{
	struct tui *t = ctx;
	struct epoll_event ev = {.events = EPOLLIN};
	const char *no_color = getenv("NO_COLOR");
	sigset_t winch;
	int err;

	sigemptyset(&winch);
	sigaddset(&winch, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &winch, &t->old_mask))
		goto fail;
	t->mask_saved = true;
	t->winch_fd = signalfd(-1, &winch, SFD_NONBLOCK | SFD_CLOEXEC);
	if (t->winch_fd < 0)
		goto fail;
	ev.data.fd = t->winch_fd;
	if (epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, t->winch_fd, &ev))
		goto fail;
	ev.data.fd = STDIN_FILENO;
	if (epoll_ctl(t->epoll_fd, EPOLL_CTL_ADD, STDIN_FILENO, &ev))
		goto fail;
	err = tui__start_screen(t, stdout, stdin, NULL, !no_color || !no_color[0]);
	if (err) {
		log__error("cannot open the terminal dashboard (TERM=%s): use -j, or pipe the "
			   "output for the text view",
			   getenv("TERM") ? getenv("TERM") : "");
		return err;
	}
	capture_stderr(t);
	tui_config__load(&t->hidden);
	tui__draw(t);
	return 0;
fail:
	err = -errno;
	log__error("cannot set up the terminal dashboard: %s", strerror(-err));
	return err;
}

static void tui_finish(void *ctx)
{
	struct tui *t = ctx;

	tui__stop_screen(t);
	release_stderr(t);
	log__set_hook(NULL, NULL);
	/* errors stay visible after exit; the rest was for the Log panel */
	for (size_t i = t->nlog; i-- > 0;) {
		bool err = false;
		const char *line = tui__log_line(t, i, &err);

		if (err)
			fprintf(stderr, "tracerhub: %s\n", line);
	}
	if (t->winch_fd >= 0) {
		epoll_ctl(t->epoll_fd, EPOLL_CTL_DEL, t->winch_fd, NULL);
		close(t->winch_fd);
		t->winch_fd = -1;
	}
	epoll_ctl(t->epoll_fd, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
	if (t->mask_saved)
		sigprocmask(SIG_SETMASK, &t->old_mask, NULL);
	t->mask_saved = false;
}

void tui__sink(struct tui *t, struct sink *k)
{
	log__set_hook(tui_log, t); /* attach messages come before the screen: keep them too */
	*k = (struct sink){
	    .emit = tui_emit,
	    .ready = tui_ready,
	    .input_fd = t->epoll_fd,
	    .on_input = tui_on_input,
	    .finish = tui_finish,
	    .ctx = t,
	};
}
