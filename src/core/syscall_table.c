// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core/syscall_table.h"

const char *syscall_table__name(unsigned int nr, char *buf, size_t len)
{
	if (nr < SYSCALL_TABLE_SIZE && syscall_table_names[nr])
		snprintf(buf, len, "%s", syscall_table_names[nr]);
	else if (nr >= SYSCALL_TABLE_SIZE)
		snprintf(buf, len, "other");
	else
		snprintf(buf, len, "syscall_%u", nr);
	return buf;
}

int syscall_table__nr(const char *name)
{
	for (int i = 0; i < SYSCALL_TABLE_SIZE; i++)
		if (syscall_table_names[i] && !strcmp(syscall_table_names[i], name))
			return i;
	return -ENOENT;
}
