/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* tracefs: where classic tracepoints live; not mounted on a fresh machine. */
#ifndef TRACERHUB_CORE_TRACEFS_H
#define TRACERHUB_CORE_TRACEFS_H

#include <stdbool.h>

#define TRACEFS_PATH "/sys/kernel/tracing"

/*
 * Mount tracefs at TRACEFS_PATH unless it is already there, in a mount
 * namespace of the calling thread's own (unshared for it; mounts there do
 * not propagate out), so that the mount ends with the process however it
 * ends and the rest of the system never sees it. Call it from the thread
 * that attaches. Returns 0 (mounted, *did_mount says whether by us) or a
 * negative errno.
 */
int tracefs__ensure(bool *did_mount);
/* True when the classic tracepoint CATEGORY/NAME exists (tracefs must be mounted). */
bool tracefs__has_event(const char *category, const char *name);

#endif
