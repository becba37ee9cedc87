// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "model/hist.h"

unsigned int hist__slot(__u64 v)
{
	return v ? 64 - __builtin_clzll(v) : 0;
}

__u64 hist__slot_low(unsigned int slot)
{
	return slot ? 1ULL << (slot - 1) : 0;
}

__u64 hist__slot_high(unsigned int slot)
{
	if (slot == 0)
		return 0;
	if (slot >= 64)
		return ~0ULL;
	return (1ULL << slot) - 1;
}

void hist__add(struct hist *h, __u64 v)
{
	unsigned int s = hist__slot(v);

	h->slots[s < HIST_SLOTS ? s : HIST_SLOTS - 1]++;
	h->count++;
	h->sum += v;
}

void hist__add_slots(struct hist *h, const __u64 *slots, unsigned int n)
{
	for (unsigned int i = 0; i < n && i < HIST_SLOTS; i++) {
		h->slots[i] += slots[i];
		h->count += slots[i];
	}
}

void hist__merge(struct hist *dst, const struct hist *src)
{
	for (unsigned int i = 0; i < HIST_SLOTS; i++)
		dst->slots[i] += src->slots[i];
	dst->count += src->count;
	dst->sum += src->sum;
}

__u64 hist__percentile(const struct hist *h, double p)
{
	double need, seen = 0;

	if (!h->count)
		return 0;
	need = (double)h->count * p / 100.0;
	if (need < 1)
		need = 1;
	for (unsigned int i = 0; i < HIST_SLOTS; i++) {
		double low = (double)hist__slot_low(i), width, v;

		if (!h->slots[i] || seen + (double)h->slots[i] < need) {
			seen += (double)h->slots[i];
			continue;
		}
		/* the values of slot i taken as spread evenly over [low, high] */
		width = (double)hist__slot_high(i) - low + 1;
		v = low + width * (need - seen) / (double)h->slots[i];
		return v > (double)hist__slot_high(i) ? hist__slot_high(i) : (__u64)v;
	}
	return hist__slot_high(HIST_SLOTS - 1);
}

unsigned int hist__used_slots(const struct hist *h)
{
	unsigned int n = HIST_SLOTS;

	while (n > 0 && !h->slots[n - 1])
		n--;
	return n;
}

static void print_stars(FILE *f, __u64 val, __u64 max, int width)
{
	int stars = max ? (int)((val * (__u64)width + max - 1) / max) : 0;

	if (stars > width)
		stars = width;
	for (int i = 0; i < width; i++)
		fputc(i < stars ? '*' : ' ', f);
}

/* v / 10^decimals, exactly, into buf (room for 32). Returns its length. */
static int bound(char *buf, __u64 v, unsigned int decimals)
{
	__u64 p = 1;

	for (unsigned int i = 0; i < decimals; i++)
		p *= 10;
	if (!decimals)
		return snprintf(buf, 32, "%llu", (unsigned long long)v);
	return snprintf(buf, 32, "%llu.%0*llu", (unsigned long long)(v / p), (int)decimals,
			(unsigned long long)(v % p));
}

void hist__print(FILE *f, const struct hist *h, const char *unit, unsigned int decimals)
{
	unsigned int first = 0, last = hist__used_slots(h);
	int w = 10; /* biolatency's width, wider when a bound needs it */
	char lo[32], hi[32];
	__u64 max = 0;

	if (!last) {
		fprintf(f, "     (no values)\n");
		return;
	}
	while (first < last && !h->slots[first])
		first++;
	for (unsigned int i = first; i < last; i++) {
		int n = bound(hi, hist__slot_high(i), decimals);

		if (h->slots[i] > max)
			max = h->slots[i];
		if (n > w)
			w = n;
	}
	fprintf(f, "%*s%-*s : count    distribution\n", w, "", w + 4, unit);
	for (unsigned int i = first; i < last; i++) {
		bound(lo, hist__slot_low(i), decimals);
		bound(hi, hist__slot_high(i), decimals);
		fprintf(f, "%*s -> %-*s : %-8llu |", w, lo, w, hi, (unsigned long long)h->slots[i]);
		print_stars(f, h->slots[i], max, 40);
		fprintf(f, "|\n");
	}
}
