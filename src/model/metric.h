/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The per-process metrics a snapshot row can carry; one line per metric in metric.c. */
#ifndef TRACERHUB_MODEL_METRIC_H
#define TRACERHUB_MODEL_METRIC_H

#include <stdbool.h>

/*
 * Every tracer declares its metrics in its own directory (src/tracers/DIR/DIR.def, METRIC
 * lines); scripts/gen-tracer-defs.sh gathers them into tracer_defs.h, in the order every
 * table shows them (their rank): CPU, syscalls, IO bytes, network and faults first.
 */
enum metric {
#define METRIC(rank, chart_rank, id, ...) METRIC_##id,
#include "tracer_defs.h"
#undef METRIC
	METRIC_COUNT
};

enum metric_unit {
	UNIT_COUNT, /* events: shown as a rate, K/M */
	UNIT_BYTES, /* bytes: shown as a rate, KiB/MiB */
	UNIT_NS,    /* time in ns: a counter of CPU time is shown as % of the interval */
};

enum metric_kind {
	KIND_COUNTER, /* per-interval amount: rows of one pid add up, shown per second */
	KIND_GAUGE,   /* a level (e.g. a percentile): shown as is, never a rate */
};

/*
 * A metric, declared once with its presentation: every sink (text, TUI, JSON
 * "units", web, /metrics) takes its labels from here, none guesses from a name.
 */
struct metric_info {
	const char *name;   /* snake_case, used in JSON and --sort */
	const char *header; /* column header in every sink, rate included: "READS/s", "CPU%" */
	enum metric_unit unit;
	enum metric_kind kind;
	const char *group;  /* the tracer that reports it: header group, --sort scope */
	const char *prom;   /* Prometheus family: _seconds, _bytes, counters end in _total */
	const char *help;
	const char *section; /* the web page's section of its chart: overview, disks, ... */
	const char *chart;   /* the title of its chart there; metrics of one title share it */
};

/*
 * A total of a dashboard's header: a label, then up to two parts, each a prefix
 * and the sum of up to two metrics of one unit, shown per second ("net in
 * 1.2MiB/s out 3.4KiB/s"); a part shows when one of its metrics is present.
 */
struct metric_total {
	const char *label;
	struct metric_total_part {
		const char *prefix;
		enum metric m[2];
		unsigned int nm;
	} p[2];
	unsigned int np;
};

/* Description of metric m (always valid for m < METRIC_COUNT). */
const struct metric_info *metric__info(enum metric m);
/*
 * The i-th metric (i < METRIC_COUNT) in the order every table shows them:
 * CPU, syscalls, IO bytes, network and faults first, then the rest by area.
 */
enum metric metric__shown(unsigned int i);
/* The i-th metric (i < METRIC_COUNT) in the order of the web page's charts and their lines. */
enum metric metric__charted(unsigned int i);
/* The i-th total of a dashboard's header, in order; NULL past the last. */
const struct metric_total *metric__total(unsigned int i);
/* The metric named name, or -ENOENT. */
int metric__by_name(const char *name);
/* True when tracer reports metric m (it is in tracer's group). */
bool metric__of_tracer(enum metric m, const char *tracer);
/*
 * Two values of metric m as one, over processes, hosts or intervals: the
 * larger of a gauge (a level), the sum of a counter.
 */
unsigned long long metric__combine(enum metric m, unsigned long long a, unsigned long long b);
/* "count", "bytes" or "ns": the unit as JSON names it. */
const char *metric__unit_name(enum metric_unit u);

#endif
