/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The controls of a snapshot source a dashboard can steer (a replay of a
 * recording): the dashboard sets them on keys, the source acts on them and
 * says where it is. Here so that a dashboard needs no source's header.
 */
#ifndef TRACERHUB_MODEL_REPLAY_CTL_H
#define TRACERHUB_MODEL_REPLAY_CTL_H

#include <stdbool.h>

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

#endif
