// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "core/registry.h"

extern const struct tracer syscalls_tracer;
extern const struct tracer io_tracer;
extern const struct tracer bio_tracer;
extern const struct tracer netproc_tracer;
extern const struct tracer tcpconnect_tracer;
extern const struct tracer tcplife_tracer;
extern const struct tracer pktjourney_tracer;
extern const struct tracer exec_tracer;
extern const struct tracer cpu_tracer;
extern const struct tracer shell_tracer;

const struct tracer *const registry_tracers[] = {
	&syscalls_tracer,
	&io_tracer,
	&bio_tracer,
	&netproc_tracer,
	&tcpconnect_tracer,
	&tcplife_tracer,
	&pktjourney_tracer,
	&exec_tracer,
	&cpu_tracer,
	&shell_tracer,
	NULL,
};

const struct tracer *registry__find(const char *name)
{
	for (int i = 0; registry_tracers[i]; i++)
		if (!strcmp(registry_tracers[i]->name, name))
			return registry_tracers[i];
	return NULL;
}
