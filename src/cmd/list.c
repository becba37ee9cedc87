// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* `tracerhub list`: every tracer with its summary and whether it can run on this kernel. */
#include <stdio.h>
#include "cmd/cmd.h"
#include "cmd/doctor.h"
#include "core/features.h"
#include "core/registry.h"
#include "core/tracer.h"
#include "render/json_writer.h"

/* The verdict of tracer t from its probe alone (list): NULL when it can run, else why not. */
static const char *verdict(const struct tracer *t, const struct features *f)
{
	const char *why = "unknown reason";

	return t->probe(f, &why) ? why : NULL;
}

static int list(bool json)
{
	struct features f = { 0 };
	bool probed = doctor__probe(&f);
	struct json_writer w;

	if (json) {
		json__init(&w, stdout);
		json__begin_array(&w);
	}
	for (int i = 0; registry_tracers[i]; i++) {
		const struct tracer *t = registry_tracers[i];
		const char *why = probed ? verdict(t, &f) : "unknown: run as root to check";
		const char *state = !probed ? "?" : why ? "no" : "yes";

		if (json) {
			json__begin_object(&w);
			json__key_string(&w, "name", t->name);
			json__key_string(&w, "summary", t->summary);
			json__key_string(&w, "runs_here", state);
			json__key_string(&w, "why", why ? why : "");
			json__end_object(&w);
			continue;
		}
		printf("%-10s %-4s %s\n", t->name, state, t->summary);
		if (why)
			printf("%16s%s\n", "", why);
	}
	if (json)
		json__newline(&w);
	features__free(&f);
	return 0;
}

int cmd__list(int argc, char **argv)
{
	return cmd__json_only(argc, argv, list,
			      "List the tracers and whether each can run on this kernel (from the "
			      "feature probe;\nas root: `doctor` loads each to be sure)");
}
