// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include "model/hist.h"
#include "unit.h"

void test_hist__slots(void)
{
	ASSERT_EQ(hist__slot(0), 0, "0");
	ASSERT_EQ(hist__slot(1), 1, "1");
	ASSERT_EQ(hist__slot(2), 2, "2");
	ASSERT_EQ(hist__slot(3), 2, "3");
	ASSERT_EQ(hist__slot(4), 3, "4");
	ASSERT_EQ(hist__slot(1023), 10, "1023");
	ASSERT_EQ(hist__slot(1024), 11, "1024");
	ASSERT_EQ(hist__slot(~0ULL), 64, "max");
	for (unsigned int s = 1; s < 63; s++) {
		ASSERT_EQ(hist__slot(hist__slot_low(s)), s, "low bound in its slot");
		ASSERT_EQ(hist__slot(hist__slot_high(s)), s, "high bound in its slot");
	}
}

void test_hist__percentile(void)
{
	struct hist h = { 0 };

	ASSERT_EQ(hist__percentile(&h, 50), 0, "empty");
	for (int i = 0; i < 90; i++)
		hist__add(&h, 10); /* slot 4: 8..15 */
	for (int i = 0; i < 10; i++)
		hist__add(&h, 1000); /* slot 10: 512..1023 */
	ASSERT_EQ(h.count, 100, "count");
	ASSERT_EQ(h.sum, 90 * 10 + 10 * 1000, "sum");
	/* interpolated inside the slot: 8 + 8 * 50/90, not the slot's bound 15 */
	ASSERT_EQ(hist__percentile(&h, 50), 12, "p50 inside 8..15");
	ASSERT_EQ(hist__percentile(&h, 90), 15, "p90 at the top of its slot");
	ASSERT_EQ(hist__percentile(&h, 91), 563, "p91: 512 + 512 * 1/10");
	ASSERT_EQ(hist__percentile(&h, 100), 1023, "p100 at most the slot's high bound");
	ASSERT_EQ(hist__used_slots(&h), 11, "used slots");
}

void test_hist__merge(void)
{
	struct hist a = { 0 }, b = { 0 };
	__u64 slots[3] = { 1, 2, 3 };

	hist__add(&a, 5);
	hist__add_slots(&b, slots, 3);
	hist__merge(&a, &b);
	ASSERT_EQ(a.count, 7, "count");
	ASSERT_EQ(a.slots[2], 3, "slot 2");
	ASSERT_EQ(a.slots[3], 1, "slot 3");
}

/* Bounds shown in a coarser unit are exact and tell every slot apart; in their own, integers. */
void test_hist__print_bounds_exact(void)
{
	struct hist h = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	hist__add(&h, 600);	/* slot 512..1023 ns */
	hist__add(&h, 40000);	/* slot 32768..65535 ns */
	f = open_memstream(&buf, &len);
	hist__print(f, &h, "msecs", 6);
	fclose(f);
	ASSERT_TRUE(strstr(buf, "0.000512 -> 0.001023 ") != NULL, "ns in ms: 6 exact decimals");
	ASSERT_TRUE(strstr(buf, "0.032768 -> 0.065535 ") != NULL, "the last slot");
	ASSERT_TRUE(strstr(buf, "0.001024 -> 0.002047 ") != NULL, "empty slots between, apart");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	hist__print(f, &h, "nsecs", 0);
	fclose(f);
	ASSERT_TRUE(strstr(buf, "       512 -> 1023       : 1 ") != NULL, "integers, biolatency's width");
	free(buf);
}
