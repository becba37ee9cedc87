// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "core/registry.h"

/*
 * Every tracer, in the order `list`, -h and the dashboards show them: one line each, naming
 * the struct tracer NAME_tracer its directory under src/tracers/ defines. Adding a tracer is
 * its directory and its line here (docs/adding-a-tracer.md).
 */
#define REGISTRY_TRACERS(T)                                                                        \
	T(syscalls)                                                                                \
	T(io)                                                                                      \
	T(bio)                                                                                     \
	T(netproc)                                                                                 \
	T(tcpconnect)                                                                              \
	T(tcplife)                                                                                 \
	T(pktjourney)                                                                              \
	T(exec)                                                                                    \
	T(cpu)                                                                                     \
	T(shell)

#define REGISTRY_DECLARE(name) extern const struct tracer name##_tracer;
#define REGISTRY_ENTRY(name)   &name##_tracer,

REGISTRY_TRACERS(REGISTRY_DECLARE)

const struct tracer *const registry_tracers[] = { REGISTRY_TRACERS(REGISTRY_ENTRY) NULL };

const struct tracer *registry__find(const char *name)
{
	for (int i = 0; registry_tracers[i]; i++)
		if (!strcmp(registry_tracers[i]->name, name))
			return registry_tracers[i];
	return NULL;
}
