/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Log2 histograms: slot i counts values v with 2^(i-1) <= v < 2^i (slot 0 holds v == 0). */
#ifndef TRACERHUB_MODEL_HIST_H
#define TRACERHUB_MODEL_HIST_H

#include <stdio.h>
#include <linux/types.h>

#define HIST_SLOTS 64

struct hist {
	__u64 slots[HIST_SLOTS];
	__u64 count; /* number of values */
	__u64 sum;   /* sum of values, 0 when the source keeps no sum */
};

/* Slot index of value v. */
unsigned int hist__slot(__u64 v);
/* Lowest value counted by slot i. */
__u64 hist__slot_low(unsigned int slot);
/* Highest value counted by slot i. */
__u64 hist__slot_high(unsigned int slot);
/* Add one value. */
void hist__add(struct hist *h, __u64 v);
/* Add n slots counted elsewhere (e.g. a BPF map); updates count, not sum. */
void hist__add_slots(struct hist *h, const __u64 *slots, unsigned int n);
/* dst += src. */
void hist__merge(struct hist *dst, const struct hist *src);
/*
 * An estimate of the p-th percentile (0 < p <= 100): the slot holding it,
 * its values taken as spread evenly over the slot's range (so never off by
 * more than that range, and never above the slot's high bound); 0 for an
 * empty histogram. Sinks label it an estimate.
 */
__u64 hist__percentile(const struct hist *h, double p);
/* Index of the last non-empty slot + 1, 0 when empty. */
unsigned int hist__used_slots(const struct hist *h);
/*
 * Print the classic biolatency-style table with star bars. The bounds (both
 * counted in their slot) are divided by 10^decimals and shown exactly, e.g.
 * with 3 to show ns values in us: "32.768 -> 65.535"; with 0 as integers
 * ("2 -> 3"). unit names the unit shown (e.g. "usecs").
 */
void hist__print(FILE *f, const struct hist *h, const char *unit, unsigned int decimals);

#endif
