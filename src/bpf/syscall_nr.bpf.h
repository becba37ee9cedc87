/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The syscall number of a task leaving a syscall, from its saved registers (CO-RE). */
#ifndef TRACERHUB_BPF_SYSCALL_NR_BPF_H
#define TRACERHUB_BPF_SYSCALL_NR_BPF_H

#include "bpf/syscall_nr.h"

#if defined(__TARGET_ARCH_x86)
#define SYSCALL_NR_FIELD orig_ax
#elif defined(__TARGET_ARCH_arm64)
#define SYSCALL_NR_FIELD syscallno
#else
#error "tracerhub: add this architecture's syscall number register to syscall_nr.bpf.h"
#endif

/* tp_btf: regs is a typed kernel pointer, read directly (no helper call). */
#define syscall_nr__btf(regs) ((long)(regs)->SYSCALL_NR_FIELD)
/* raw_tp: regs is an untyped u64, read with a CO-RE probe read (of a copy: see HUB_READ). */
#define syscall_nr__raw(regs)                                                             \
	({                                                                                \
		struct pt_regs *nr_regs__ = (struct pt_regs *)(regs);                     \
		(long)BPF_CORE_READ(nr_regs__, SYSCALL_NR_FIELD);                         \
	})

/* The number and the return value of the syscall a sys_exit hub handler sees, on any rung. */
#define syscall_nr__exit(a)                                                              \
	((a)->rung == HUB_RUNG_BTF   ? syscall_nr__btf((a)->regs)                         \
	 : (a)->rung == HUB_RUNG_RAW ? syscall_nr__raw((a)->regs)                         \
				     : HUB_RECORD(a, trace_event_raw_sys_exit)->id)
#define syscall_ret__exit(a)                                                             \
	((a)->rung == HUB_RUNG_TP ? HUB_RECORD(a, trace_event_raw_sys_exit)->ret : (a)->ret)

#endif
