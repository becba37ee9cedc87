// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "core/clock.h"

__u64 clock__ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

void clock_wall__sync(struct clock_wall *w)
{
	w->mono_to_real = clock__ns(CLOCK_REALTIME) - clock__ns(CLOCK_MONOTONIC);
}
