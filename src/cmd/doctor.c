// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd/cmd.h"
#include "cmd/doctor.h"
#include "core/features.h"
#include "core/log.h"
#include "core/registry.h"
#include "core/session.h"
#include "core/tracefs.h"
#include "render/json_writer.h"

#define REASON_LEN 240
#define LIBBPF_LOG_LEN 65536

bool doctor__probe(struct features *f)
{
	if (geteuid() != 0)
		return false;
	features__probe(f, FEATURES_ALL);
	return true;
}

/* What trying one tracer found. */
struct trial {
	bool tried[RUNG_COUNT]; /* usable here, and no rung before it worked: tried */
	int err[RUNG_COUNT];	/* 0: loads and attaches, in every mode */
	char why[RUNG_COUNT][REASON_LEN]; /* when not: the step, the verifier's last words */
	struct session_try seen[RUNG_COUNT]; /* when it works: what it lacks, what else it uses */
	int first;			    /* the first rung that works, -1 when none */
};

/* A message the tracer printed while tried (log__set_hook): the last error is kept. */
static void keep_error(void *ctx, bool error, const char *msg)
{
	if (error)
		snprintf(ctx, REASON_LEN, "%s", msg);
}

/* True when line is one of the verifier's instructions or states ("123: ..."), or noise. */
static bool walked(const char *line)
{
	static const char *const noise[] = { "processed ", "verification time", "stack depth",
					     "max_states", "func#", "; ", "libbpf: ", "\n", NULL };
	const char *p = line;

	for (const char *const *n = noise; *n; n++)
		if (!strncmp(line, *n, strlen(*n)))
			return true;
	while (*p >= '0' && *p <= '9')
		p++;
	return p > line && *p == ':';
}

/* Copy the line at p (without its newline) into out, after "prog: " when prog is not empty. */
static void copy_line(char *out, size_t len, const char *prog, const char *p)
{
	const char *end = strchrnul(p, '\n');

	snprintf(out, len, "%s%s%.*s", prog, *prog ? ": " : "", (int)(end - p), p);
}

/* The start of the line that holds p. */
static const char *line_of(const char *log, const char *p)
{
	while (p > log && p[-1] != '\n')
		p--;
	return p;
}

bool doctor__reason(const char *log, char *out, size_t len)
{
	const char *end = NULL, *begin, *p;
	char prog[64] = "";

	for (p = log; (p = strstr(p, "-- END PROG LOAD LOG --")); p++)
		end = p;
	if (end) {
		for (begin = end; begin > log && strncmp(begin, "-- BEGIN PROG LOAD LOG --", 25);)
			begin--;
		sscanf(line_of(log, begin), "libbpf: prog '%63[^']'", prog);
		for (p = line_of(log, end); p > begin;) {
			p = line_of(log, p - 1);
			if (p > begin && !walked(p)) {
				copy_line(out, len, prog, p);
				return true;
			}
		}
	}
	for (p = log; (p = strstr(p, "failed")); p++) {
		const char *line = line_of(log, p);

		if (!strncmp(line, "libbpf: ", 8))
			line += 8;
		if (!strstr(line, "failed to load object") && !strstr(line, "failed to load BPF sk")) {
			copy_line(out, len, "", line);
			return true;
		}
	}
	return false;
}

/*
 * Load and attach t alone on rung r as `tracerhub NAME` runs it, and in its
 * full mode (`top --full`) when it has modes. 0, or -errno with why filled.
 */
static int try_tracer(const struct tracer *t, const struct features *f, enum rung r, char *why,
		      struct session_try *seen, char *log)
{
	const char *probe_why = "unknown reason";
	int err = t->probe(f, &probe_why);

	if (err) {
		snprintf(why, REASON_LEN, "%s", probe_why);
		return err;
	}
	for (int full = 0; full <= (t->set_mode != NULL) && !err; full++) {
		struct tracer_run run = { .tracer = t, .state = calloc(1, t->state_size) };
		char said[REASON_LEN] = "";

		if (!run.state)
			return -ENOMEM;
		if (full)
			t->set_mode(run.state, true);
		log__set_hook(keep_error, said);
		log__capture_libbpf(log, LIBBPF_LOG_LEN);
		err = session__try(&run, f, r, seen);
		log__capture_libbpf(NULL, 0);
		log__set_hook(NULL, NULL);
		free(run.state);
		if (!err)
			continue;
		if (!doctor__reason(log, why, REASON_LEN))
			snprintf(why, REASON_LEN, "%s", *said ? said : strerror(-err));
		if (full) {
			char mode[REASON_LEN];

			snprintf(mode, sizeof(mode), "in full mode (top --full): %s", why);
			memcpy(why, mode, REASON_LEN);
		}
	}
	return err;
}

/*
 * Try t on the usable rungs in order, as a run does, until one works (each
 * try loads and detaches a hub: a fraction of a second here, seconds in an
 * emulated machine; the kernel matrix tests every rung).
 */
static void trial_run(struct trial *tr, const struct tracer *t, const struct features *f,
		      char *log)
{
	memset(tr, 0, sizeof(*tr));
	tr->first = -1;
	for (int r = 0; r < RUNG_COUNT && tr->first < 0; r++) {
		tr->tried[r] = rung__available(r, f);
		if (!tr->tried[r])
			continue;
		tr->err[r] = try_tracer(t, f, r, tr->why[r], &tr->seen[r], log);
		if (!tr->err[r] && tr->first < 0)
			tr->first = r;
	}
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

/* "ok", "ok via RUNG" (a rung a run tries first fails) or "cannot run". */
static const char *trial_word(const struct trial *tr)
{
	static char word[32];

	if (tr->first < 0)
		return "cannot run";
	for (int r = 0; r < RUNG_COUNT; r++)
		if (tr->tried[r] && tr->err[r]) {
			snprintf(word, sizeof(word), "ok via %s", rung__name(tr->first));
			return word;
		}
	return "ok";
}

/* Why t cannot run: the reason on the first rung tried. */
static const char *trial_why(const struct trial *tr)
{
	for (int r = 0; r < RUNG_COUNT; r++)
		if (tr->tried[r])
			return tr->why[r];
	return "no tracepoint rung (tp_btf, raw_tp, tracepoint) works";
}

static void trial_text(const struct tracer *t, const struct trial *tr)
{
	const struct session_try *seen = tr->first >= 0 ? &tr->seen[tr->first] : NULL;

	printf("tracer %-10s %s\n", t->name, trial_word(tr));
	if (seen && *seen->extras)
		printf("  %-10s %s\n", "also", seen->extras);
	if (seen && *seen->lacks)
		printf("  %-10s %s (this kernel has no such tracepoint)\n", "lacks", seen->lacks);
	for (int r = 0; r < RUNG_COUNT; r++)
		if (tr->tried[r] && tr->err[r])
			printf("  %-10s %s: %s\n", rung__name(r), strerror(-tr->err[r]), tr->why[r]);
}

static void trial_json(struct json_writer *w, const struct tracer *t, const struct trial *tr)
{
	json__key(w, t->name);
	json__begin_object(w);
	json__key(w, "ok");
	json__bool(w, tr->first >= 0);
	json__key_string(w, "rung", tr->first >= 0 ? rung__name(tr->first) : "");
	json__key_string(w, "lacks", tr->first >= 0 ? tr->seen[tr->first].lacks : "");
	json__key_string(w, "also", tr->first >= 0 ? tr->seen[tr->first].extras : "");
	json__key_string(w, "why", tr->first >= 0 ? "" : trial_why(tr));
	json__key(w, "rungs");
	json__begin_object(w);
	for (int r = 0; r < RUNG_COUNT; r++) {
		if (!tr->tried[r])
			continue;
		json__key(w, rung__name(r));
		json__begin_object(w);
		json__key(w, "ok");
		json__bool(w, !tr->err[r]);
		json__key_string(w, "error", tr->err[r] ? strerror(-tr->err[r]) : "");
		json__key_string(w, "why", tr->err[r] ? tr->why[r] : "");
		json__end_object(w);
	}
	json__end_object(w);
	json__end_object(w);
}

static void features_json(struct json_writer *w, const struct features *f)
{
	json__key(w, "features");
	json__begin_object(w);
	for (int i = 0; i < FEAT_COUNT; i++) {
		json__key(w, feature__name(i));
		json__begin_object(w);
		json__key(w, "ok");
		json__bool(w, f->ok[i]);
		json__key_string(w, "error", f->ok[i] ? "" : strerror(-f->err[i]));
		json__key_string(w, "meaning", feature__meaning(i));
		json__end_object(w);
	}
	json__end_object(w);
}

static int doctor_run(bool json)
{
	char *log = malloc(LIBBPF_LOG_LEN);
	struct json_writer w;
	struct features f = { 0 };
	struct trial tr;

	log__setup(false, false); /* libbpf's log is doctor's to read, not to print */
	if (!log) {
		fprintf(stderr, "tracerhub: out of memory\n");
		return CMD_FAIL;
	}
	if (!cmd__root("doctor loads tiny BPF programs to test the kernel; try: sudo tracerhub "
		       "doctor")) {
		free(log);
		return CMD_USAGE;
	}
	doctor__probe(&f);
	if (json) {
		json__init(&w, stdout);
		json__begin_object(&w);
		features_json(&w, &f);
		json__key(&w, "tracers");
		json__begin_object(&w);
	} else {
		if (f.mounted_tracefs)
			printf("(tracefs was not mounted: mounted it at %s for this check only)\n",
			       TRACEFS_PATH);
		for (int i = 0; i < FEAT_COUNT; i++)
			printf("%-11s %-8s %s%s%s%s\n", feature__name(i),
			       f.ok[i] ? "ok" : "missing", feature__meaning(i), f.ok[i] ? "" : " [",
			       f.ok[i] ? "" : strerror(-f.err[i]), f.ok[i] ? "" : "]");
		printf("\n");
		rungs_line(stdout, &f);
		printf("each tracer loaded and attached alone, then detached:\n");
	}
	for (int i = 0; registry_tracers[i]; i++) {
		trial_run(&tr, registry_tracers[i], &f, log);
		if (json)
			trial_json(&w, registry_tracers[i], &tr);
		else
			trial_text(registry_tracers[i], &tr);
		fflush(stdout);
	}
	if (json) {
		json__end_object(&w);
		json__end_object(&w);
		json__newline(&w);
	}
	features__free(&f);
	free(log);
	return 0;
}

int cmd__doctor(int argc, char **argv)
{
	return cmd__json_only(
		argc, argv, doctor_run,
		"Check kernel features (BTF, tracefs, rungs, kprobes, fentry...) and load and\n"
		"attach each tracer alone, then detach it: what works on this kernel, and why not");
}
