/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The dashboard's drawing: called by the sink (tui.c), which it never calls back. */
#ifndef TRACERHUB_TUI_DRAW_H
#define TRACERHUB_TUI_DRAW_H

struct tui;

/* Set up the colour pairs of the styles (after start_color). */
void tui_draw__init_colors(void);
/* Draw the whole screen for t's state and refresh the terminal. */
void tui_draw__screen(struct tui *t);

#endif
