/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The hub's tables, generated from src/bpf/hooks.def and the tracers' .bpf.c
 * files by scripts/gen-hub.sh (build/gen/hub_table.c): the hooks, the
 * handlers tracers declared with HUB_HANDLER, the per-process tables they
 * declared with HUB_PROCS, and which maps and other
 * programs (perf events, uprobes, iterators) each tracer directory owns.
 */
#ifndef TRACERHUB_CORE_HUB_TABLE_H
#define TRACERHUB_CORE_HUB_TABLE_H

#include <stddef.h>
#include "hub_hooks.h"

struct hub_hook_def {
	const char *name;     /* tracepoint name, e.g. "sys_exit" */
	const char *category; /* its tracefs category, e.g. "raw_syscalls" */
	const char *progs[3]; /* its programs, per rung (enum rung) */
};

struct hub_handler_def {
	const char *module; /* the tracer directory that declared it */
	enum hub_hook hook;
	size_t flag_off; /* offset of its hub_on_ flag in the skeleton's rodata */
};

/* A per-process table (HUB_PROCS) and where its pending counts are in a process cell. */
struct hub_part_def {
	const char *module;	 /* the tracer directory that declared it */
	const char *map;	 /* the table, a per-CPU hash keyed by tgid */
	size_t pending_off;	 /* offset of its counters in struct hub_cell */
	unsigned int ncounters;	 /* 0: not counted through the cell (renamed only) */
	size_t flag_off;	 /* offset of its hub_part_on_ flag in the skeleton's rodata */
};

/* A map or a non-tracepoint program of a tracer directory. */
struct hub_owned {
	const char *name;
	const char *module;
};

extern const struct hub_hook_def hub_hooks[HUB_HOOK_COUNT];
extern const struct hub_handler_def hub_handlers[HUB_HANDLER_COUNT];
extern const struct hub_part_def hub_parts[HUB_PART_COUNT];
extern const struct hub_owned hub_maps[];  /* ends with name == NULL */
extern const struct hub_owned hub_progs[]; /* ends with name == NULL */

#endif
