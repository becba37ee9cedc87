// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include "model/metric.h"

#define METRIC(rank, chart_rank, id, tracer, name, header, unit, kind, prom, help, section, chart) \
	[METRIC_##id] = { name, header, UNIT_##unit, KIND_##kind, tracer, prom, help, section, chart },
static const struct metric_info metrics[METRIC_COUNT] = {
#include "tracer_defs.h"
};
#undef METRIC

#define METRIC_CHARTED(id) METRIC_##id,
static const enum metric charted[] = {
#include "tracer_defs.h"
};
#undef METRIC_CHARTED
_Static_assert(sizeof(charted) / sizeof(charted[0]) == METRIC_COUNT, "a metric without a chart");

/* A part of a header total: its prefix, then the metrics it sums (one unit). */
#define PART(prefix, ...) \
	{ prefix, { __VA_ARGS__ }, sizeof((enum metric[]){ __VA_ARGS__ }) / sizeof(enum metric) }
#define TOTAL(rank, label, ...)                                                                    \
	{ label, { __VA_ARGS__ },                                                                  \
	  sizeof((struct metric_total_part[]){ __VA_ARGS__ }) / sizeof(struct metric_total_part) },
static const struct metric_total totals[] = {
#include "tracer_defs.h"
};
#undef TOTAL
#undef PART

const struct metric_total *metric__total(unsigned int i)
{
	return i < sizeof(totals) / sizeof(totals[0]) ? &totals[i] : NULL;
}

const struct metric_info *metric__info(enum metric m)
{
	return &metrics[m];
}

enum metric metric__shown(unsigned int i)
{
	return (enum metric)i; /* the enum is in this order: the rank of each METRIC */
}

enum metric metric__charted(unsigned int i)
{
	return charted[i];
}

int metric__by_name(const char *name)
{
	for (int m = 0; m < METRIC_COUNT; m++)
		if (!strcmp(metrics[m].name, name))
			return m;
	return -ENOENT;
}

bool metric__of_tracer(enum metric m, const char *tracer)
{
	return !strcmp(metrics[m].group, tracer);
}

unsigned long long metric__combine(enum metric m, unsigned long long a, unsigned long long b)
{
	if (metrics[m].kind == KIND_GAUGE)
		return a > b ? a : b;
	return a + b;
}

const char *metric__unit_name(enum metric_unit u)
{
	return u == UNIT_BYTES ? "bytes" : u == UNIT_NS ? "ns" : "count";
}
