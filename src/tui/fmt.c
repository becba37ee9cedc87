// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "render/format.h"
#include "tui/fmt.h"

unsigned int tui_fmt__col_width(enum metric m)
{
	unsigned int n = (unsigned int)strlen(metric__info(m)->header);

	return n > TUI_CELL_W ? n : TUI_CELL_W;
}

/* How many of the metrics in p[from..np) fit in avail characters (one space before each). */
static unsigned int fitting(const enum metric *p, unsigned int np, unsigned int from,
			    unsigned int avail)
{
	unsigned int used = 0, k = 0;

	for (unsigned int i = from; i < np; i++, k++) {
		used += 1 + tui_fmt__col_width(p[i]);
		if (used > avail)
			break;
	}
	return k;
}

int tui_fmt__fit_cols(__u64 present, int keep, unsigned int width, unsigned int *off,
		      enum metric *cols)
{
	unsigned int fixed = TUI_PID_W + 1 + TUI_COMM_W, avail = width > fixed ? width - fixed : 0;
	enum metric p[METRIC_COUNT];
	unsigned int np = 0, k;
	int pk = -1;

	for (int i = 0; i < METRIC_COUNT; i++) {
		enum metric m = metric__shown((unsigned int)i);

		if (!(present & (1ULL << m)))
			continue;
		if ((int)m == keep)
			pk = (int)np;
		p[np++] = m;
	}
	if (!np) {
		*off = 0;
		return 0;
	}
	if (*off >= np)
		*off = np - 1;
	if (pk >= 0 && (unsigned int)pk < *off)
		*off = (unsigned int)pk;
	while (pk >= 0 && *off < (unsigned int)pk &&
	       *off + fitting(p, np, *off, avail) <= (unsigned int)pk)
		(*off)++;
	k = fitting(p, np, *off, avail);
	memcpy(cols, &p[*off], k * sizeof(*cols));
	return (int)k;
}

void tui_fmt__cell(char *dst, unsigned int w, const char *src)
{
	char cut[64];

	if (!w) {
		dst[0] = '\0';
		return;
	}
	if (w >= sizeof(cut))
		w = sizeof(cut) - 1;
	format__truncate(cut, w, src);
	snprintf(dst, w + 1, "%*s", (int)w, cut);
}

void tui_fmt__tail(char *dst, unsigned int w, const char *src)
{
	size_t n = strlen(src);

	if (n <= w)
		memcpy(dst, src, n + 1);
	else if (w)
		snprintf(dst, w + 1, "+%s", src + n - (w - 1));
	else
		dst[0] = '\0';
}

void tui_fmt__printable(char *dst, size_t len, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	if (len)
		dst[i] = '\0';
}

const char *tui_fmt__table_value(char *buf, size_t len, const char *unit, __u64 v,
				 __u64 interval_ns)
{
	double r = interval_ns ? (double)v * 1e9 / (double)interval_ns : 0.0;

	if (!strcmp(unit, "ns"))
		return format__ns(buf, len, (double)v);
	if (!strcmp(unit, "B"))
		return format__bytes(buf, len, r);
	return format__count(buf, len, r);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcmp(s + n - k, suffix);
}

const char *tui_fmt__field(char *buf, size_t len, const char *key, __u64 v)
{
	if (ends_with(key, "_ns") && v >= TUI_WALL_CLOCK_NS)
		return format__clock(buf, len, v);
	if (ends_with(key, "_ns"))
		return format__ns(buf, len, (double)v);
	if (ends_with(key, "_bytes"))
		return format__bytes(buf, len, (double)v);
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

const char *tui_fmt__uptime(char *buf, size_t len, __u64 ns)
{
	unsigned long long s = ns / 1000000000ULL;

	if (s < 60)
		snprintf(buf, len, "%llus", s);
	else if (s < 3600)
		snprintf(buf, len, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lluh%02llum", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%llud%02lluh", s / 86400, s / 3600 % 24);
	return buf;
}
