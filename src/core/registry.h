/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The table of all tracers. */
#ifndef TRACERHUB_CORE_REGISTRY_H
#define TRACERHUB_CORE_REGISTRY_H

#include "core/tracer.h"

/* NULL-terminated list of every tracer, in display order. */
extern const struct tracer *const registry_tracers[];

/* The tracer called name, or NULL. */
const struct tracer *registry__find(const char *name);

#endif
