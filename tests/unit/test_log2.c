// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The BPF side's branch-free log2 slot agrees with the user side's histograms. */
#include <linux/types.h>
#include "model/hist.h"
#include "unit.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#include "bpf/log2.bpf.h"

void test_log2__slot_matches_hist(void)
{
	ASSERT_EQ(log2_slot(0), 0, "0");
	ASSERT_EQ(log2_slot(~0ULL), 64, "max");
	ASSERT_EQ(log2_slot(1ULL << 63), 64, "2^63");
	for (unsigned int b = 0; b < 64; b++) {
		for (int d = -2; d <= 2; d++) {
			__u64 v = (1ULL << b) + (__u64)(long long)d;

			if (log2_slot(v) != hist__slot(v))
				UNIT_FAIL("slot of %llu: %u, histograms say %u", (unsigned long long)v,
					  log2_slot(v), hist__slot(v));
		}
	}
}
