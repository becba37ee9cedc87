// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <sys/socket.h>
#include "render/addr.h"
#include "unit.h"

void test_addr__ipv4(void)
{
	const __u8 a[16] = { 10, 0, 0, 1 };
	char buf[64];

	ASSERT_STREQ(addr__format(buf, sizeof(buf), AF_INET, a), "10.0.0.1", "ipv4");
	ASSERT_STREQ(addr__family(AF_INET), "ipv4", "family");
}

void test_addr__ipv6(void)
{
	const __u8 a[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 };
	const __u8 mapped[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 168, 1, 2 };
	char buf[64];

	ASSERT_STREQ(addr__format(buf, sizeof(buf), AF_INET6, a), "fd00::2", "ipv6");
	ASSERT_STREQ(addr__format(buf, sizeof(buf), AF_INET6, mapped), "::ffff:192.168.1.2",
		     "v4-mapped");
	ASSERT_STREQ(addr__family(AF_INET6), "ipv6", "family");
}

void test_addr__bad_input(void)
{
	const __u8 a[16] = { 10, 0, 0, 1 };
	char small[4];
	char buf[64];

	ASSERT_STREQ(addr__format(buf, sizeof(buf), 1, a), "?", "unix family");
	ASSERT_STREQ(addr__format(small, sizeof(small), AF_INET, a), "?", "buffer too small");
	ASSERT_STREQ(addr__family(0), "?", "no family");
}
