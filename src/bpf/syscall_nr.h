/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Size of per-syscall tables on both sides; numbers at or above it are counted as "other". */
#ifndef TRACERHUB_BPF_SYSCALL_NR_H
#define TRACERHUB_BPF_SYSCALL_NR_H

#define SYSCALL_NR_MAX 512

#endif
