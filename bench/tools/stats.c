// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Summaries of interleaved benchmark rounds. Reads lines "CASE<TAB>VARIANT<TAB>VALUE"
 * (the variant named "baseline" is the base of its case, else the first seen) and
 * prints one JSON line per case and variant: n, median, min, max, retained
 * (median / baseline median), the change of the median in % with a 95%
 * bootstrap confidence interval, and whether that interval excludes zero. In a
 * case with a variant whose name starts with "floor" (the cheapest possible
 * tracer), also each variant's added time per operation as a multiple of the
 * floor's, with a 95% bootstrap interval (floor_ratio, floor_ratio_lo/hi).
 * Values are "higher is better" (throughput). Usage: stats < rounds.tsv
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GROUPS 64
#define MAX_VALUES 256
#define BOOT_ITERS 4000

struct group {
	char name[128]; /* case \t variant */
	char case_name[64];
	double v[MAX_VALUES];
	int n;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double *s = malloc(n * sizeof(*s));
	double m;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/* xorshift: deterministic, so the same rounds give the same interval. */
static unsigned long long rng_state = 88172645463325252ULL;

static unsigned int rnd(unsigned int n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned int)(rng_state % n);
}

static double resampled_median(const double *v, int n, double *tmp)
{
	for (int i = 0; i < n; i++)
		tmp[i] = v[rnd(n)];
	return median(tmp, n);
}

/* 95% bootstrap interval of (median(b) / median(a) - 1) * 100. */
static void bootstrap(const struct group *a, const struct group *b, double *lo, double *hi)
{
	static double diffs[BOOT_ITERS];
	double ta[MAX_VALUES], tb[MAX_VALUES];

	for (int i = 0; i < BOOT_ITERS; i++) {
		double ma = resampled_median(a->v, a->n, ta);
		double mb = resampled_median(b->v, b->n, tb);

		diffs[i] = ma ? (mb / ma - 1.0) * 100.0 : 0.0;
	}
	qsort(diffs, BOOT_ITERS, sizeof(diffs[0]), cmp_double);
	*lo = diffs[(int)(BOOT_ITERS * 0.025)];
	*hi = diffs[(int)(BOOT_ITERS * 0.975)];
}

/* Time per operation that variant median v adds to base median b (rates). */
static double added(double b, double v)
{
	return 1.0 / v - 1.0 / b;
}

/* 95% bootstrap interval of the added time of b relative to floor f, over base a. */
static void bootstrap_ratio(const struct group *a, const struct group *f, const struct group *b,
			    double *lo, double *hi)
{
	static double ratios[BOOT_ITERS];
	double ta[MAX_VALUES], tf[MAX_VALUES], tb[MAX_VALUES];

	for (int i = 0; i < BOOT_ITERS; i++) {
		double ma = resampled_median(a->v, a->n, ta);
		double mf = resampled_median(f->v, f->n, tf);
		double mb = resampled_median(b->v, b->n, tb);

		ratios[i] = added(ma, mf) > 0 ? added(ma, mb) / added(ma, mf) : 0.0;
	}
	qsort(ratios, BOOT_ITERS, sizeof(ratios[0]), cmp_double);
	*lo = ratios[(int)(BOOT_ITERS * 0.025)];
	*hi = ratios[(int)(BOOT_ITERS * 0.975)];
}

static const char *variant_of(const struct group *g)
{
	return strchr(g->name, '\t') + 1;
}

int main(void)
{
	static struct group g[MAX_GROUPS];
	char line[512];
	int ng = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *c = strtok(line, "\t"), *var = strtok(NULL, "\t"), *val = strtok(NULL, "\t\n");
		char key[128];
		int i;

		if (!c || !var || !val)
			continue;
		snprintf(key, sizeof(key), "%s\t%s", c, var);
		for (i = 0; i < ng && strcmp(g[i].name, key); i++)
			;
		if (i == ng) {
			if (ng == MAX_GROUPS)
				continue;
			snprintf(g[ng].name, sizeof(g[ng].name), "%s", key);
			snprintf(g[ng].case_name, sizeof(g[ng].case_name), "%s", c);
			ng++;
		}
		if (g[i].n < MAX_VALUES)
			g[i].v[g[i].n++] = atof(val);
	}
	for (int i = 0; i < ng; i++) {
		const struct group *base = NULL, *floor = NULL;
		double med = median(g[i].v, g[i].n), mn = g[i].v[0], mx = g[i].v[0];
		double lo = 0, hi = 0, bmed, fmed;

		for (int j = 0; j < ng; j++) {
			if (strcmp(g[j].case_name, g[i].case_name))
				continue;
			if (!base || !strcmp(variant_of(&g[j]), "baseline"))
				base = &g[j];
			if (!floor && !strncmp(variant_of(&g[j]), "floor", 5))
				floor = &g[j];
		}
		for (int k = 1; k < g[i].n; k++) {
			mn = fmin(mn, g[i].v[k]);
			mx = fmax(mx, g[i].v[k]);
		}
		bmed = median(base->v, base->n);
		if (base != &g[i])
			bootstrap(base, &g[i], &lo, &hi);
		printf("{\"case\":\"%s\",\"variant\":\"%s\",\"n\":%d,\"median\":%.6g,\"min\":%.6g,"
		       "\"max\":%.6g,\"retained\":%.6f,\"change_pct\":%.3f,\"ci95_lo_pct\":%.3f,"
		       "\"ci95_hi_pct\":%.3f,\"detectable\":%s",
		       g[i].case_name, variant_of(&g[i]), g[i].n, med, mn, mx,
		       bmed ? med / bmed : 0, bmed ? (med / bmed - 1) * 100 : 0, lo, hi,
		       base != &g[i] && (lo > 0 || hi < 0) ? "true" : "false");
		fmed = floor ? median(floor->v, floor->n) : 0;
		if (floor && floor != &g[i] && base != &g[i] && bmed > 0 && fmed > 0 && med > 0 &&
		    added(bmed, fmed) > 0) {
			bootstrap_ratio(base, floor, &g[i], &lo, &hi);
			printf(",\"floor_ratio\":%.4f,\"floor_ratio_lo\":%.4f,\"floor_ratio_hi\":%.4f",
			       added(bmed, med) / added(bmed, fmed), lo, hi);
		}
		printf("}\n");
	}
	return 0;
}
