// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/doctor.h"
#include "core/features.h"
#include "core/registry.h"
#include "core/tracefs.h"
#include "out/json_writer.h"

/* Probe when we can (root); without root nothing can be loaded, so nothing is probed. */
static bool probe(struct features *f)
{
	if (geteuid() != 0)
		return false;
	features__probe(f, FEATURES_ALL);
	return true;
}

/* The verdict of tracer t: NULL when it can run, else why not. */
static const char *verdict(const struct tracer *t, const struct features *f)
{
	const char *why = "unknown reason";

	return t->probe(f, &why) ? why : NULL;
}

static void rungs_line(FILE *out, const struct features *f)
{
	bool any = false;

	fprintf(out, "rungs usable here:");
	for (int r = 0; r < RUNG_COUNT; r++) {
		if (rung__available(r, f)) {
			fprintf(out, " %s", rung__name(r));
			any = true;
		}
	}
	fprintf(out, "%s\n", any ? "" : " none");
}

static int doctor_json(const struct features *f)
{
	struct json_writer w;

	json__init(&w, stdout);
	json__begin_object(&w);
	json__key(&w, "features");
	json__begin_object(&w);
	for (int i = 0; i < FEAT_COUNT; i++) {
		json__key(&w, feature__name(i));
		json__begin_object(&w);
		json__key(&w, "ok");
		json__bool(&w, f->ok[i]);
		json__key_string(&w, "error", f->ok[i] ? "" : strerror(-f->err[i]));
		json__key_string(&w, "meaning", feature__meaning(i));
		json__end_object(&w);
	}
	json__end_object(&w);
	json__key(&w, "tracers");
	json__begin_object(&w);
	for (int i = 0; registry_tracers[i]; i++) {
		const char *why = verdict(registry_tracers[i], f);

		json__key(&w, registry_tracers[i]->name);
		json__begin_object(&w);
		json__key(&w, "ok");
		json__bool(&w, !why);
		json__key_string(&w, "why", why ? why : "");
		json__key_string(&w, "limits", !why && registry_tracers[i]->limits ?
					     registry_tracers[i]->limits(f) ?: "" : "");
		json__end_object(&w);
	}
	json__end_object(&w);
	json__end_object(&w);
	json__newline(&w);
	return 0;
}

static void doctor_text(const struct features *f)
{
	if (f->mounted_tracefs)
		printf("(tracefs was not mounted: mounted it at %s for this check only)\n",
		       TRACEFS_PATH);
	for (int i = 0; i < FEAT_COUNT; i++)
		printf("%-11s %-8s %s%s%s%s\n", feature__name(i), f->ok[i] ? "ok" : "missing",
		       feature__meaning(i), f->ok[i] ? "" : " [",
		       f->ok[i] ? "" : strerror(-f->err[i]), f->ok[i] ? "" : "]");
	printf("\n");
	rungs_line(stdout, f);
	for (int i = 0; registry_tracers[i]; i++) {
		const char *why = verdict(registry_tracers[i], f);
		const char *lim = !why && registry_tracers[i]->limits ?
					  registry_tracers[i]->limits(f) : NULL;

		printf("tracer %-10s %s%s%s%s\n", registry_tracers[i]->name, why ? "cannot run: " : "ok",
		       why ? why : "", lim ? ", but " : "", lim ? lim : "");
	}
}

int doctor__run(bool json)
{
	struct features f = { 0 };
	int err = 0;

	if (!probe(&f)) {
		fprintf(stderr, "tracerhub: doctor must run as root (it loads tiny BPF programs "
				"to test the kernel): sudo tracerhub doctor\n");
		return 2;
	}
	if (json)
		err = doctor_json(&f);
	else
		doctor_text(&f);
	features__free(&f);
	return err;
}

int doctor__list(bool json)
{
	struct features f = { 0 };
	bool probed = probe(&f);
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
