/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A sink renders snapshots; it never touches BPF. */
#ifndef TRACERHUB_OUT_SINK_H
#define TRACERHUB_OUT_SINK_H

struct snapshot;

struct sink {
	/* Render one snapshot. 0, or a negative errno to stop the session (e.g. -EPIPE). */
	int (*emit)(void *ctx, const struct snapshot *s);
	void *ctx;
};

#endif
