// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <limits.h>
#include "core/elf_sym.h"
#include "unit.h"

/* A function of this very binary is found, and its offset lies inside the file. */
void test_elf_sym__finds_own_function(void)
{
	size_t off = 0;

	ASSERT_EQ(elf_sym__offset("/proc/self/exe", "elf_sym__offset", &off), 0, "lookup");
	ASSERT_TRUE(off > 0, "offset");
}

void test_elf_sym__missing_symbol(void)
{
	size_t off;

	ASSERT_EQ(elf_sym__offset("/proc/self/exe", "no_such_function_here", &off), -ENOENT,
		  "missing symbol");
}

void test_elf_sym__not_elf(void)
{
	size_t off;

	ASSERT_EQ(elf_sym__offset("/etc/hostname", "readline", &off), -ENOEXEC, "text file");
	ASSERT_EQ(elf_sym__offset("/nonexistent", "readline", &off), -ENOENT, "no file");
}

/* The library path comes from DT_NEEDED and the default search directories. */
void test_elf_sym__needed_lib(void)
{
	char lib[PATH_MAX];
	size_t off;

	ASSERT_EQ(elf_sym__needed_lib("/proc/self/exe", "libc.so", lib, sizeof(lib)), 0, "libc");
	ASSERT_EQ(elf_sym__offset(lib, "malloc", &off), 0, "malloc in libc");
	ASSERT_EQ(elf_sym__needed_lib("/proc/self/exe", "libnosuch.so", lib, sizeof(lib)), -ENOENT,
		  "not needed");
}
