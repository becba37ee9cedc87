// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "model/metric.h"
#include "unit.h"

/* A header total sums the metrics of a part: one unit, counters only (a rate of a sum). */
void test_metric__header_totals_sum_like_with_like(void)
{
	const struct metric_total *tt;
	unsigned int n = 0;

	for (unsigned int i = 0; (tt = metric__total(i)); i++, n++) {
		ASSERT_TRUE(tt->np >= 1 && tt->np <= 2, tt->label);
		for (unsigned int k = 0; k < tt->np; k++) {
			const struct metric_total_part *p = &tt->p[k];
			enum metric_unit u = metric__info(p->m[0])->unit;

			ASSERT_TRUE(p->nm >= 1 && p->nm <= 2, tt->label);
			for (unsigned int j = 0; j < p->nm; j++) {
				ASSERT_TRUE(metric__info(p->m[j])->unit == u, tt->label);
				ASSERT_TRUE(metric__info(p->m[j])->kind == KIND_COUNTER, tt->label);
			}
		}
	}
	ASSERT_EQ(n, 10, "the ten totals of the header");
}
