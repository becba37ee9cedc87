/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The interval loop: open tracers with rung fallback, collect, emit, detach on signals. */
#ifndef TRACERHUB_CORE_SESSION_H
#define TRACERHUB_CORE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include "core/rung.h"

struct features;
struct filter;
struct sink;
struct tracer;

/* One tracer to run, with its option-filled state (tracer->state_size bytes). */
struct tracer_run {
	const struct tracer *tracer;
	void *state;
};

struct session_opts {
	unsigned int interval_ms;
	unsigned long count;	 /* intervals to emit, 0 = until SIGINT/SIGTERM */
	enum rung rung;		 /* RUNG_AUTO, or the one rung to use */
	const struct filter *filter;
	bool skip_unavailable;	 /* drop tracers this kernel cannot run (top), else fail */
	bool no_stats;		 /* leave BPF run-time statistics off (no ns/event) */
	bool list_hooks;	 /* print the tracepoints the tracers use, one a line, and stop */
	const struct sink *sink;
	const struct sink *capture; /* packets of tracers that capture (-w), or NULL */
	unsigned int snaplen;	    /* bytes of each packet to capture */
};

/*
 * Run until count intervals were emitted or a signal came; the last snapshot
 * is emitted with final set. Everything attached is detached before return.
 * Returns 0 or a negative errno (after log__error said what to do).
 */
int session__run(struct tracer_run *runs, size_t n, const struct session_opts *o);
/* What session__try saw of a tracer that loaded and attached. */
struct session_try {
	char lacks[256];  /* the hooks it asked for that this kernel lacks at the rung */
	char extras[256]; /* its programs besides the hub's tracepoints, by section name */
};

/*
 * Load and attach run's tracer alone at rung r, as a run would, then detach
 * at once (doctor's test that it really runs here). f: the probed features.
 * Fills *out on success. Returns 0, or the negative errno of the step that
 * failed.
 */
int session__try(struct tracer_run *run, const struct features *f, enum rung r,
		 struct session_try *out);

#endif
