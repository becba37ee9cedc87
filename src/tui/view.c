// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the dashboard's state shows: panels, the process table's order, tags,
 * log lines. Used by the keys (tui.c) and the drawing (draw.c), which
 * therefore need nothing of each other but draw.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include "model/grow.h"
#include "tui/priv.h"

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
	size_t cap = t->idx_cap; /* one capacity for both arrays */

	return GROW(t->idx, cap, n) || GROW(t->depth, t->idx_cap, n) ? -ENOMEM : 0;
}

const struct tui_signal tui_signals[] = {
    {SIGTERM, "SIGTERM"}, {SIGKILL, "SIGKILL"}, {SIGINT, "SIGINT"},   {SIGHUP, "SIGHUP"},
    {SIGSTOP, "SIGSTOP"}, {SIGCONT, "SIGCONT"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"},
};
const int tui_nsignals = (int)(sizeof(tui_signals) / sizeof(tui_signals[0]));

__u64 tui__shown_metrics(const struct tui *t)
{
	return t->m.metrics_present & ~t->hidden;
}

int tui__proc_sort(const struct tui *t)
{
	__u64 shown = tui__shown_metrics(t);

	if (t->sort >= TUI_SORT_PID)
		return t->sort;
	for (int i = 0; i < METRIC_COUNT; i++)
		if (shown & (1ULL << metric__shown((unsigned int)i)))
			return metric__shown((unsigned int)i);
	return TUI_SORT_PID;
}

ssize_t tui__proc_view(struct tui *t)
{
	size_t n;

	if (tui__reserve_idx(t, t->m.nrows))
		return -ENOMEM;
	n = tui_model__view(&t->m, tui__proc_sort(t), t->asc, t->filter, t->idx);
	if (t->tree && tui_model__tree(&t->m, t->idx, n, t->depth))
		return -ENOMEM;
	return (ssize_t)n;
}

bool tui__tagged(const struct tui *t, __u32 pid)
{
	for (size_t i = 0; i < t->ntags; i++)
		if (t->tags[i] == pid)
			return true;
	return false;
}

const char *tui__log_line(const struct tui *t, size_t i, bool *err)
{
	size_t k;

	if (i >= t->nlog)
		return NULL;
	k = (t->log_next + TUI_LOG_LINES - 1 - i) % TUI_LOG_LINES;
	*err = t->log_err[k];
	return t->log[k];
}
