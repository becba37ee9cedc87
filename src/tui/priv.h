/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Inside the dashboard: its state, shared by the sink (tui.c) and the drawing (draw.c). */
#ifndef TRACERHUB_TUI_PRIV_H
#define TRACERHUB_TUI_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <curses.h>
#include <linux/types.h>
#include "tui/model.h"

/* Panels: four fixed ones, then one per table (in the order tables first appeared). */
enum tui_panel {
	PANEL_PROCS,
	PANEL_HISTS,
	PANEL_EVENTS,
	PANEL_HEALTH,
	PANEL_TABLES, /* PANEL_TABLES + i: table i */
	PANEL_MAX = PANEL_TABLES + TUI_TABLES_MAX,
};

struct tui {
	struct tui_model m;
	unsigned int interval_ms; /* as the session runs it */
	double self_cpu;	  /* tracerhub's own CPU, % of one CPU, latest interval */

	/* what is shown */
	int panel;
	int sort; /* process table: metric, TUI_SORT_PID/COMM, < -2 unset */
	bool asc;
	int tsort[TUI_TABLES_MAX]; /* table panels: column, -1 the key */
	bool tasc[TUI_TABLES_MAX];
	size_t sel[PANEL_MAX];	 /* selected line per panel */
	size_t first[PANEL_MAX]; /* first line shown per panel */
	unsigned int col_off;	 /* process table: first metric column shown */
	int page;		 /* lines of the last list drawn, for PgUp/PgDn */
	char filter[TUI_FILTER_LEN];
	bool editing, paused, help, color;
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
	__u64 last_mono_ns;
	__u64 last_cpu_us;
};

/* CLOCK_MONOTONIC in ns. */
__u64 tui__now_ns(void);
/* Set up the colour pairs of the styles (after start_color). */
void tui_draw__init_colors(void);
/* Draw the whole screen for t's state and refresh the terminal. */
void tui_draw__screen(struct tui *t);
/* Number of panels t has now (fixed ones + tables seen). */
int tui__npanels(const struct tui *t);
/* Make sure t->idx has room for n entries; 0 or -ENOMEM. */
int tui__reserve_idx(struct tui *t, size_t n);

#endif
