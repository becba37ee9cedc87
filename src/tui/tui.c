// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The dashboard as a sink: screen setup and restore, keys, resizes, self-cost. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <term.h>
#include "core/log.h"
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

__u64 tui__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

int tui__npanels(const struct tui *t)
{
	return PANEL_TABLES + (int)t->m.ntables;
}

int tui__reserve_idx(struct tui *t, size_t n)
{
	size_t *p;

	if (n <= t->idx_cap)
		return 0;
	p = realloc(t->idx, n * sizeof(*p));
	if (!p)
		return -ENOMEM;
	t->idx = p;
	t->idx_cap = n;
	return 0;
}

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
	close(t->epoll_fd);
	free(t);
}

int tui__start_screen(struct tui *t, FILE *out, FILE *in, const char *term, bool color)
{
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

int tui__update(struct tui *t, const struct snapshot *s)
{
	return tui_model__update(&t->m, s, pid_alive);
}

void tui__draw(struct tui *t)
{
	if (t->scr)
		tui_draw__screen(t);
}

/* The sort keys of the current panel in the order < and > walk them. */
static int sort_keys(const struct tui *t, int *keys)
{
	int n = 0;

	if (t->panel == PANEL_PROCS) {
		keys[n++] = TUI_SORT_PID;
		keys[n++] = TUI_SORT_COMM;
		for (int m = 0; m < METRIC_COUNT; m++)
			if (t->m.metrics_present & (1ULL << m))
				keys[n++] = m;
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
	} else {
		cur = &t->tsort[t->panel - PANEL_TABLES];
	}
	for (i = 0; i < n && keys[i] != *cur; i++)
		;
	*cur = keys[((i < n ? i : 0) + step + n) % n];
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

/* A key while the filter is being typed. */
static void filter_key(struct tui *t, int key)
{
	size_t n = strlen(t->filter);

	if (key == '\n' || key == '\r' || key == KEY_ENTER) {
		t->editing = false;
	} else if (key == KEY_ESC) {
		t->filter[0] = '\0';
		t->editing = false;
	} else if (key == KEY_BACKSPACE || key == 127 || key == 8) {
		if (n)
			t->filter[n - 1] = '\0';
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof(t->filter)) {
		t->filter[n] = (char)key;
		t->filter[n + 1] = '\0';
	} else {
		return;
	}
	t->sel[t->panel] = t->first[t->panel] = 0;
}

enum sink_action tui__key(struct tui *t, int key, unsigned int *interval_ms)
{
	size_t *sel = &t->sel[t->panel];
	size_t page = t->page > 0 ? (size_t)t->page : 1;

	if (t->editing) {
		filter_key(t, key);
		return SINK_CONTINUE;
	}
	if (t->help && key != KEY_RESIZE && key != ERR) {
		t->help = false;
		return SINK_CONTINUE;
	}
	switch (key) {
	case 'q':
	case 'Q':
		return SINK_QUIT;
	case KEY_UP:
	case 'k':
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
		t->editing = true;
		break;
	case KEY_ESC:
		t->filter[0] = '\0';
		break;
	case 'p':
	case 'P':
	case ' ':
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
		t->help = true;
		break;
	case KEY_CTRL_L:
		if (t->scr)
			clearok(curscr, TRUE);
		break;
	default:
		if (key >= '1' && key <= '9' && key - '1' < tui__npanels(t))
			t->panel = key - '1';
		break;
	}
	return SINK_CONTINUE;
}

/* Own CPU time (user + system) in us. */
static __u64 cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (__u64)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000ULL +
	       (__u64)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
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
	__u64 now = tui__now_ns(), cpu = cpu_us();
	int err;

	if (s->final)
		return 0; /* the screen closes next: nothing more to show */
	if (now > t->last_mono_ns)
		t->self_cpu =
		    100.0 * (double)(cpu - t->last_cpu_us) * 1e3 / (double)(now - t->last_mono_ns);
	t->last_mono_ns = now;
	t->last_cpu_us = cpu;
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
	t->last_mono_ns = tui__now_ns();
	t->last_cpu_us = cpu_us();
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
	*k = (struct sink){
	    .emit = tui_emit,
	    .ready = tui_ready,
	    .input_fd = t->epoll_fd,
	    .on_input = tui_on_input,
	    .finish = tui_finish,
	    .ctx = t,
	};
}
