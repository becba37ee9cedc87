/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the dashboard keeps of the snapshots it was handed (the session resets
 * each one after emit): the latest interval's process rows (with processes
 * that just appeared or went away marked), tables and health; histograms
 * summed since the start; the most recent events. Pure data, no curses.
 */
#ifndef TRACERHUB_TUI_MODEL_H
#define TRACERHUB_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model/snapshot.h"
#include "model/totals.h"

#define TUI_TABLES_MAX	16  /* distinct tables (tracer/name) kept as panels */
#define TUI_EVENTS_KEPT 256 /* most recent events shown */
#define TUI_FILTER_LEN	32

/* Sort keys of the process table besides the metrics (enum metric >= 0). */
#define TUI_SORT_PID  (-2)
#define TUI_SORT_COMM (-1)

enum tui_row_state {
	TUI_ROW_ACTIVE, /* reported last interval and this one */
	TUI_ROW_NEW,	/* first reported this interval */
	TUI_ROW_IDLE,	/* reported last interval, not this one, still running: zeros */
	TUI_ROW_EXITED, /* reported last interval, has exited since: shown faded, once */
};

struct tui_row {
	struct proc_row r;
	enum tui_row_state state;
};

/* A snapshot table (tracer/name), deep-copied; its slot stays once seen. */
struct tui_table {
	char tracer[SNAP_NAME_LEN];
	char name[SNAP_NAME_LEN];
	char key_name[SNAP_NAME_LEN];
	unsigned int ncols;
	const char *cols[SNAP_TABLE_COLS];
	const char *units[SNAP_TABLE_COLS];
	struct snap_table_row *rows;
	size_t nrows, cap;
	bool ordered; /* the tracer's order is the default (snap_table's) */
};

struct tui_model {
	unsigned long intervals;    /* snapshots taken in */
	__u64 ts_ns;		    /* end of the latest interval, CLOCK_REALTIME */
	__u64 interval_ns;	    /* its length */
	struct snap_cost cost;	    /* the BPF programs' cost, sampled */
	__u64 elapsed_ns;	    /* sum of all intervals: the session's uptime */
	__u64 metrics_present;	    /* every metric seen so far (columns do not come and go) */
	__u64 totals[METRIC_COUNT]; /* latest interval, over all processes */

	struct tui_row *rows; /* latest interval, with IDLE/EXITED rows of the one before */
	size_t nrows, rows_cap;
	struct proc_row *prev; /* rows reported in the latest interval, by pid */
	size_t nprev, prev_cap;

	struct tui_table tables[TUI_TABLES_MAX];
	size_t ntables;
	struct totals since; /* histograms (and tracer health) since the start: model/totals.h */

	/* the most recent events (at most TUI_EVENTS_KEPT), oldest first, with their strings */
	struct snapshot events, spare;
	__u64 events_lost; /* summed snapshot events_lost */

	struct snap_health *health; /* latest interval */
	size_t nhealth, health_cap;
	__u64 drops_total; /* since the start, every tracer */
};

/* Tells whether process pid still runs (kill(pid, 0) in the dashboard, a fake in tests). */
typedef bool (*tui_alive_fn)(__u32 pid);

/*
 * Take in one snapshot (after snapshot__finish: rows sorted by pid). Rows of
 * the interval before that are missing now come back once as IDLE or EXITED
 * (alive() decides). Returns 0 or -ENOMEM (the model stays usable).
 */
int tui_model__update(struct tui_model *m, const struct snapshot *s, tui_alive_fn alive);
/*
 * Reorder the view idx[0..n) (indexes into m->rows) as a tree: each process
 * right after its parent (the rows' ppid) when the parent is in the view
 * (else a root), depth first, siblings and roots in the order they had.
 * depth[i] gets the depth of the i-th (0 for roots). 0 or -ENOMEM (idx
 * unchanged).
 */
int tui_model__tree(const struct tui_model *m, size_t *idx, size_t n, int *depth);
/* Free everything; m may be NULL. */
void tui_model__free(struct tui_model *m);

/* Does process pid named comm pass filter f (comm substring, any case, or pid prefix; "" all)? */
bool tui_model__match_proc(__u32 pid, const char *comm, const char *f);
/* Does row r pass filter f, as tui_model__match_proc? */
bool tui_model__match(const struct proc_row *r, const char *f);
/*
 * Fill idx with the indexes of the rows passing filter, sorted by key: a
 * metric largest first, TUI_SORT_PID or TUI_SORT_COMM ascending; asc turns
 * the order round; ties by pid. idx has room for m->nrows. Returns the
 * number of indexes.
 */
size_t tui_model__view(const struct tui_model *m, int key, bool asc, const char *filter,
		       size_t *idx);
/*
 * Same for table t: rows whose key contains filter (case-insensitive),
 * sorted by column col largest first, or by key (col -1, or a column t lacks)
 * ascending; asc turns the order round. idx has room for t->nrows.
 */
size_t tui_table__view(const struct tui_table *t, int col, bool asc, const char *filter,
		       size_t *idx);
/* The i-th most recent event kept (0 = newest), or NULL; its strings are in m->events. */
const struct snap_event *tui_model__event(const struct tui_model *m, size_t i);

#endif
