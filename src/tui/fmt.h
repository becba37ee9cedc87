/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Cells and column layout of the dashboard: pure string work, no curses. */
#ifndef TRACERHUB_TUI_FMT_H
#define TRACERHUB_TUI_FMT_H

#include <stddef.h>
#include <linux/types.h>
#include "model/metric.h"

#define TUI_PID_W  7
#define TUI_COMM_W 15
#define TUI_CELL_W 7  /* narrowest value column: "1023KiB", "999.9ms" */
#define TUI_KEY_W  18 /* narrowest key column of table panels (+1 space) */

/* Width of metric m's column: its header ("READS/s") or TUI_CELL_W, the wider. */
unsigned int tui_fmt__col_width(enum metric m);
/*
 * Choose the metric columns of a process table width characters wide: the
 * metrics set in present, in metric__shown order, starting at the *off-th of them, as many as fit
 * after PID and COMM. When keep (a metric, or < 0 for none) is present but
 * would fall outside, *off moves until it is in. Writes the metrics to cols
 * (room for METRIC_COUNT); returns their number and leaves the start used
 * in *off.
 */
int tui_fmt__fit_cols(__u64 present, int keep, unsigned int width, unsigned int *off,
		      enum metric *cols);
/* Right-align src in w characters into dst (room for w + 1), cut with '+' when longer. */
void tui_fmt__cell(char *dst, unsigned int w, const char *src);
/*
 * The end of src in at most w characters into dst (room for w + 1): cut at the front with
 * '+' when longer, so that a label's key (pid=, stage=) at its end stays readable.
 */
void tui_fmt__tail(char *dst, unsigned int w, const char *src);
/* Copy src into dst (size len) with anything not printable ASCII turned into '?'. */
void tui_fmt__printable(char *dst, size_t len, const char *src);
/*
 * A value of a table column with unit: "ns" is a duration shown as is,
 * "B" bytes per second, anything else a count per second. Returns buf.
 */
const char *tui_fmt__table_value(char *buf, size_t len, const char *unit, __u64 v,
				 __u64 interval_ns);
/* An "_ns" value at least this large is a time of day (CLOCK_REALTIME after 1973), not a span. */
#define TUI_WALL_CLOCK_NS (100000000ULL * 1000000000ULL)
/*
 * A numeric event field: times of day (key ends in "_ns", value past
 * TUI_WALL_CLOCK_NS) as local "HH:MM:SS.mmm", durations ("_ns") and sizes
 * ("_bytes") in human units, anything else as the number. Returns buf.
 */
const char *tui_fmt__field(char *buf, size_t len, const char *key, __u64 v);
/* Session uptime as "42s", "5m07s", "3h02m", "2d04h". Returns buf. */
const char *tui_fmt__uptime(char *buf, size_t len, __u64 ns);

#endif
