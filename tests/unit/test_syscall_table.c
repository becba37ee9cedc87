// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <sys/syscall.h>
#include "core/syscall_table.h"
#include "unit.h"

void test_syscall_table__names_match_libc(void)
{
	char b[32];

	ASSERT_STREQ(syscall_table__name(SYS_read, b, sizeof(b)), "read", "read");
	ASSERT_STREQ(syscall_table__name(SYS_openat, b, sizeof(b)), "openat", "openat");
	ASSERT_STREQ(syscall_table__name(SYS_execve, b, sizeof(b)), "execve", "execve");
	ASSERT_EQ(syscall_table__nr("write"), SYS_write, "write");
	ASSERT_EQ(syscall_table__nr("no_such_call"), -ENOENT, "unknown");
	ASSERT_STREQ(syscall_table__name(SYSCALL_TABLE_SIZE, b, sizeof(b)), "other", "other");
}
