/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Inside the dashboard: its state, shared by the sink (tui.c) and the drawing
 * (draw.c), and what it shows (view.c) and keeps (config.c).
 */
#ifndef TRACERHUB_TUI_PRIV_H
#define TRACERHUB_TUI_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>
#include <curses.h>
#include <linux/types.h>
#include "tui/model.h"

struct replay_ctl;

/* Panels: five fixed ones, then one per table (in the order tables first appeared). */
enum tui_panel {
	PANEL_PROCS,
	PANEL_HISTS,
	PANEL_EVENTS,
	PANEL_HEALTH,
	PANEL_LOG,
	PANEL_TABLES, /* PANEL_TABLES + i: table i */
	PANEL_MAX = PANEL_TABLES + TUI_TABLES_MAX,
};

/* What covers the panels, if anything, and takes the keys. */
enum tui_overlay {
	OV_NONE,
	OV_HELP,
	OV_DETAIL,  /* one process, every tracer's data */
	OV_COLUMNS, /* the column chooser */
	OV_SIGNAL,  /* choose a signal and confirm */
};

/* A line of text line being typed at the bottom: htop's search (F3) or filter (F4). */
enum tui_edit {
	EDIT_NONE,
	EDIT_SEARCH,
	EDIT_FILTER,
};

#define TUI_LOG_LINES 64
#define TUI_LOG_LEN   160
#define TUI_TAGS_MAX  256

/* Where the last frame put what a mouse click can hit. */
struct tui_hits {
	int tabs_y, tab_x[PANEL_MAX + 1], ntabs, tab_first;
	int hdr_y, hdr_x[METRIC_COUNT + 3], hdr_key[METRIC_COUNT + 2], nhdr;
	int rows_y, nrows;
};

struct tui {
	struct tui_model m;
	unsigned int interval_ms; /* as the session runs it */
	double self_cpu;	  /* tracerhub's own CPU, % of one CPU, latest interval; < 0: unknown */

	/* what is shown */
	int panel;
	int sort; /* process table: metric, TUI_SORT_PID/COMM, < -2 unset */
	bool asc;
	int tsort[TUI_TABLES_MAX]; /* table panels: column, -1 the key */
	bool tasc[TUI_TABLES_MAX];
	size_t sel[PANEL_MAX];	 /* selected line per panel */
	size_t first[PANEL_MAX]; /* first line shown per panel */
	unsigned int col_off;	 /* process table: first metric column shown */
	bool show_sort;		 /* scroll the sort column into view at the next draw */
	__u64 hidden;		 /* metrics the column chooser turned off */
	int page;		 /* lines of the last list drawn, for PgUp/PgDn */
	char filter[TUI_FILTER_LEN];
	char search[TUI_FILTER_LEN];
	enum tui_edit edit;
	enum tui_overlay ov;
	bool paused, color, utf8, tree, mouse, pending_detail;
	int ov_sel, ov_first; /* overlays: selected / first line */
	__u32 sel_pid;	      /* process under the selection in the last frame, 0 none */
	__u32 tags[TUI_TAGS_MAX];
	size_t ntags;
	int *depth; /* tree depth per view position */
	size_t depth_cap;
	struct tui_hits hit;

	/* the process detail view: its pid and totals since it opened */
	__u32 detail_pid;
	char detail_comm[SNAP_COMM_LEN];
	__u64 detail_total[METRIC_COUNT];
	__u64 detail_ns;

	/* a replay instead of a live session (NULL live): shown, seekable, no signals */
	struct replay_ctl *replay;
	const char *replay_name;

	/* messages (log__info/log__error) while the screen is up: the Log panel */
	char log[TUI_LOG_LINES][TUI_LOG_LEN];
	bool log_err[TUI_LOG_LINES];
	size_t log_next, nlog;
	size_t *idx; /* scratch for sorted views */
	size_t idx_cap;

	/* the terminal */
	SCREEN *scr;
	int epoll_fd; /* input_fd handed to the session: stdin and SIGWINCH */
	int winch_fd;
	sigset_t old_mask;
	bool mask_saved;
	int saved_stderr; /* the terminal's stderr while the screen is up */
	int capture_fd;	  /* stderr meanwhile (memfd), replayed by finish */
	long capture_seen;
	char msg[160]; /* latest line written to stderr, shown in the footer */
	__u64 msg_mono_ns;
};

/* CLOCK_MONOTONIC in ns. */
__u64 tui__now_ns(void);
/* Number of panels t has now (fixed ones + tables seen). */
int tui__npanels(const struct tui *t);
/* Make sure t->idx and t->depth have room for n entries; 0 or -ENOMEM. */
int tui__reserve_idx(struct tui *t, size_t n);
/* The process table's sort key: the chosen one, else the first metric shown. */
int tui__proc_sort(const struct tui *t);
/*
 * Fill t->idx with the process table as shown (filtered, sorted, in tree
 * order with t->depth when the tree is on). The number of rows, or -ENOMEM.
 */
ssize_t tui__proc_view(struct tui *t);
/* Sort the current panel by key (a click on its header); the same key again inverts. */
void tui__sort_by(struct tui *t, int key);
/* Handle the pending mouse event (KEY_MOUSE). */
void tui__mouse(struct tui *t);
/* Hidden metrics saved by the column chooser; 0 or -errno (none saved: -ENOENT). */
int tui_config__load(__u64 *hidden);
/* Save them to $XDG_CONFIG_HOME/tracerhub/top.conf (or ~/.config/...); 0 or -errno. */
int tui_config__save(__u64 hidden);
/* Is pid tagged (Space)? */
bool tui__tagged(const struct tui *t, __u32 pid);
/* The i-th most recent log line (0 = newest), *err set for errors; NULL past the end. */
const char *tui__log_line(const struct tui *t, size_t i, bool *err);
/* Metrics the process table can show now: present and not hidden. */
__u64 tui__shown_metrics(const struct tui *t);
/* The signals F9 offers, and their count. */
extern const struct tui_signal {
	int sig;
	const char *name;
} tui_signals[];
extern const int tui_nsignals;

#endif
