/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A sink renders snapshots; it never touches BPF. */
#ifndef TRACERHUB_CORE_SINK_H
#define TRACERHUB_CORE_SINK_H

struct snapshot;
struct snap_event;
struct snap_packet;

/* What a sink's input handler asks of the session. */
enum sink_action {
	SINK_CONTINUE,
	SINK_QUIT, /* emit the final snapshot and stop, like SIGINT */
};

struct sink {
	/* Render one snapshot. 0, or a negative errno to stop the session (e.g. -EPIPE). */
	int (*emit)(void *ctx, const struct snapshot *s);
	/*
	 * Optional: render one event e of snapshot s (which holds its long
	 * strings) as it arrives (within 100 ms of it); after each batch it is
	 * called with e NULL to flush. The snapshot then has
	 * events_streamed set and holds the interval's events again only for
	 * sinks that keep them. 0, or a negative errno to stop.
	 */
	int (*event)(void *ctx, const struct snapshot *s, const struct snap_event *e);
	/*
	 * Optional: write one captured packet (a capture sink: session_opts'
	 * capture). 0, or a negative errno to stop (-EPIPE: the reader left).
	 */
	int (*packet)(void *ctx, const struct snap_packet *p);
	/*
	 * Optional: called once after every tracer attached and before the first
	 * interval (e.g. to drop privileges, open a screen). 0 or a negative errno.
	 */
	int (*ready)(void *ctx);
	/*
	 * Optional: input_fd (>= 0) is polled with the session's timers; on
	 * input, on_input may change *interval_ms (the timer is re-armed) or ask
	 * to quit. Use input_fd = -1 without input.
	 */
	int input_fd;
	enum sink_action (*on_input)(void *ctx, unsigned int *interval_ms);
	/*
	 * Optional: called once as the session tears down, before the tracers
	 * are detached, also when ready() failed or was never called (then it
	 * has nothing to undo): e.g. to restore the terminal.
	 */
	void (*finish)(void *ctx);
	void *ctx;
};

#endif
