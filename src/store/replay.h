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

struct reader;
struct sink;
struct snapshot;

/* Where a dashboard asks the replay to go next. */
enum replay_seek {
	REPLAY_STAY,
	REPLAY_STEP,  /* n intervals forward (n < 0: back) */
	REPLAY_SHIFT, /* n seconds forward or back */
	REPLAY_FIRST,
	REPLAY_LAST,
};

/*
 * The controls of an interactive replay, shared by the dashboard (which sets
 * seek/n, paused and speed on keys) and the replay (which acts on them after
 * each input and says where it is).
 */
struct replay_ctl {
	enum replay_seek seek;
	long long n;
	bool paused;
	double speed;
	/* set by the replay before each emit */
	bool jumped;	     /* this snapshot does not follow the one emitted before */
	bool at_end;	     /* it is the last of the range */
	unsigned long index; /* its position in the range, from 1 */
	unsigned long count; /* intervals in the range */
};

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
