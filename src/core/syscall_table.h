/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Syscall names of the build machine (generated from <sys/syscall.h> at build time). */
#ifndef TRACERHUB_CORE_SYSCALL_TABLE_H
#define TRACERHUB_CORE_SYSCALL_TABLE_H

#include <stddef.h>
#include "bpf/syscall_nr.h"

#define SYSCALL_TABLE_SIZE SYSCALL_NR_MAX

extern const char *const syscall_table_names[SYSCALL_TABLE_SIZE];

/*
 * Name of syscall nr written to buf (size len): the table's name, or
 * "syscall_NNN" for a number it lacks. Returns buf.
 */
const char *syscall_table__name(unsigned int nr, char *buf, size_t len);
/* Number of the syscall called name, or -ENOENT. */
int syscall_table__nr(const char *name);

#endif
