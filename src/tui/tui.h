/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The terminal dashboard (`tracerhub top` on a terminal): a sink that keeps
 * what each snapshot showed and draws it with curses: a header of totals and
 * self-cost, the process table, and one panel per table, histogram, event
 * list and tracer health the running tracers produce. Keys come from stdin.
 */
#ifndef TRACERHUB_TUI_TUI_H
#define TRACERHUB_TUI_TUI_H

#include <stdbool.h>
#include <stdio.h>
#include "core/sink.h"
#include "tui/model.h"

struct tui;
struct snapshot;
struct replay_ctl;

/*
 * Can the dashboard run here: stdin and stdout a terminal terminfo knows?
 * 0, or -ENOTTY with *why set to a static reason.
 */
int tui__usable(const char **why);
/*
 * A dashboard refreshed every interval_ms, its process table sorted by
 * metric sort (or the first metric present when < 0). NULL with errno set
 * when out of memory or descriptors.
 */
struct tui *tui__new(unsigned int interval_ms, int sort);
/* Free t (NULL is fine); the screen must have been stopped. */
void tui__free(struct tui *t);
/*
 * Fill k with the sink around t: ready() opens the screen on stdin/stdout,
 * emit() redraws, on_input() handles keys, mouse and resizes, finish()
 * restores the terminal and prints what was written to stderr meanwhile and
 * the errors logged. From now until finish(), log__info/log__error go to the
 * dashboard's Log panel, not the terminal.
 */
void tui__sink(struct tui *t, struct sink *k);

/*
 * Show t as the view of a replay of file name (its base name is shown),
 * driven through ctl: seek keys, pause and speed set it; no signals.
 * A NULL ctl makes it live again.
 */
void tui__set_replay(struct tui *t, const char *name, struct replay_ctl *ctl);

/*
 * The parts the sink is made of, for tests: open a curses screen for
 * terminal type term on out/in (colours unless color is false); 0 or
 * -ENOTTY. Take in a snapshot (0 or -ENOMEM); draw the current frame
 * (nothing without a screen); handle one curses key (may change
 * *interval_ms, returns SINK_QUIT on q); close the screen (idempotent).
 */
int tui__start_screen(struct tui *t, FILE *out, FILE *in, const char *term, bool color);
int tui__update(struct tui *t, const struct snapshot *s);
void tui__draw(struct tui *t);
enum sink_action tui__key(struct tui *t, int key, unsigned int *interval_ms);
void tui__stop_screen(struct tui *t);

#endif
