/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Replay: a recording as a snapshot source. It feeds any sink (text, JSON,
 * the terminal dashboard, the web API) with the recorded snapshots in order,
 * at the recorded pace, faster, or as fast as possible, from any point.
 */
#ifndef TRACERHUB_STORE_REPLAY_H
#define TRACERHUB_STORE_REPLAY_H

#include <stdbool.h>
#include <linux/types.h>
#include "model/replay_ctl.h"

struct reader;
struct sink;
struct snapshot;

struct replay_opts {
	__u64 from_ns, to_ns; /* intervals ending in [from_ns, to_ns]; 0 and ~0 for all */
	double speed;	      /* 1 = recorded pace, 2 = twice as fast, 0 = no waiting */
	unsigned long count;  /* intervals to emit, 0 for all */
	struct replay_ctl *ctl; /* interactive (count ignored, stays on the last), or NULL */
};

/*
 * Emit the range's snapshots to sink k in order (the last one with final
 * set), waiting each one's recorded length / speed before it. Calls
 * k->ready once first and k->finish once at the end, polls k->input_fd
 * (SINK_QUIT stops) and stops on SIGINT/SIGTERM. With o->ctl the replay
 * follows its seek, pause and speed after every input and stays on the last
 * interval until the sink quits (no snapshot is final). Returns 0 (also
 * when the range is empty, after saying so), or a negative errno from the
 * sink or the file.
 */
int replay__run(struct reader *r, const struct replay_opts *o, const struct sink *k);

#endif
