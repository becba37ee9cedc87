/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The Prometheus text format renderer. Snapshots hold per-interval deltas;
 * Prometheus wants counters that only go up, so every interval is folded into
 * running totals here and /metrics renders those.
 *
 * Series are bounded: at most `top` processes get their own series (pid,
 * comm), and only processes with a row in PROM_ADMIT_INTERVALS intervals in a
 * row (short-lived ones would each make a series that ends at once); the activity of all others goes to pid="other",comm="other". A
 * process gone (no row) for PROM_GONE_INTERVALS intervals loses its series
 * (Prometheus marks it stale). A process keeps its
 * series until a clearly busier one needs the place (hysteresis: twice its
 * recent activity), and a new series starts at 0, its first interval counted
 * in "other", so that every counter, "other" included, is monotonic and
 * sum(rate(...)) stays right. Histograms and tracer health come from the
 * model's since-start totals (per comm, never per pid: model/totals.h).
 */
#ifndef TRACERHUB_QUERY_PROM_H
#define TRACERHUB_QUERY_PROM_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "model/snapshot.h"
#include "model/totals.h"

#define PROM_TOP_DEFAULT 20
#define PROM_MAX_HISTS	 512 /* histogram series kept; more are counted as dropped */
#define PROM_GONE_INTERVALS 3 /* intervals without a row before a process' series goes */
#define PROM_ADMIT_INTERVALS 3 /* intervals in a row with a row before a process gets one */

struct prom_proc {
	__u32 pid;
	char comm[SNAP_COMM_LEN];
	__u64 values[METRIC_COUNT]; /* counters: total since admitted; gauges: last value */
	double score;		    /* recent activity (decays by half every interval) */
	__u64 seen;		    /* the interval (prom.snapshots) it last had a row in */
};

/* For how many intervals in a row a process has had a row. */
struct prom_streak {
	__u32 pid;
	__u32 n;
};

struct prom {
	unsigned int top;	 /* processes with their own series */
	struct prom_proc *procs; /* top entries */
	size_t nprocs;
	__u64 other[METRIC_COUNT]; /* counters of every process without a series */
	struct prom_streak *streaks; /* the last interval's rows, by pid */
	struct prom_streak *next;    /* this interval's, being counted */
	size_t nstreaks, streaks_cap;
	__u64 metrics_present;
	struct totals totals;	   /* histograms and tracer health since start */
	__u64 snapshots; /* intervals folded in */
};

/* Set up empty totals with room for top (>= 1) process series. 0 or -EINVAL / -ENOMEM. */
int prom__init(struct prom *p, unsigned int top);
/* Free everything; p may be NULL. */
void prom__free(struct prom *p);
/* Fold one interval into the totals. 0 or -ENOMEM (the totals stay consistent). */
int prom__add(struct prom *p, const struct snapshot *s);
/* Write the totals in the Prometheus text exposition format (version 0.0.4). */
void prom__render(const struct prom *p, FILE *f);
/*
 * Write s as a Prometheus label value: quoted, with \\, \" and \n escaped and
 * bytes that are not valid UTF-8 replaced by U+FFFD; at most len bytes of s.
 */
void prom__label_value(FILE *f, const char *s, size_t len);

#endif
