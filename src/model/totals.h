/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * "Since start" totals: every interval's histograms and tracer health folded
 * into running totals, computed once here for every sink that shows them
 * (/metrics, /api/v1/tracers, the TUI, report). Histograms are kept per
 * (tracer, name, label), never per unit, and never per pid: a "pid=N" label
 * becomes "comm=NAME" (the comm of pid N's row that interval, "other" without
 * one), so short-lived processes add to their command's series instead of
 * making new ones without bound.
 */
#ifndef TRACERHUB_MODEL_TOTALS_H
#define TRACERHUB_MODEL_TOTALS_H

#include <stddef.h>
#include <linux/types.h>
#include "model/hist.h"
#include "model/snapshot.h"

struct totals_hist {
	char tracer[SNAP_NAME_LEN];
	char name[SNAP_NAME_LEN];
	char label[SNAP_LABEL_LEN];
	char unit[8];
	struct hist total; /* since start */
	__u64 last_count;  /* values of the latest interval */
};

struct totals_tracer {
	char tracer[SNAP_NAME_LEN];
	char rung[16];
	__u64 events, drops, run_ns, run_cnt; /* since start */
	double ns_per_run;		      /* the last statistics window's, 0: none */
	__u64 nprogs;
};

#define TOTALS_HISTS_DEFAULT 512

/* A zeroed struct totals is empty, keeping up to TOTALS_HISTS_DEFAULT histograms. */
struct totals {
	struct totals_hist *hists;
	size_t nhists, hists_cap;
	size_t hists_max; /* histogram series kept, 0 for TOTALS_HISTS_DEFAULT */
	__u64 hists_dropped; /* histogram updates that found no room (past hists_max) */
	struct totals_tracer *tracers;
	size_t ntracers, tracers_cap;
	__u64 intervals; /* snapshots folded in */
};

/* Free everything; t may be NULL. */
void totals__free(struct totals *t);
/* Fold one interval in. 0 or -ENOMEM (what was folded before stays consistent). */
int totals__add(struct totals *t, const struct snapshot *s);
/*
 * The series label of histogram label in snapshot s: each "pid=N" becomes
 * "comm=NAME". Writes out (len bytes) and returns it.
 */
const char *totals__series_label(char *out, size_t len, const char *label,
				 const struct snapshot *s);

#endif
