/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A fleet recording in ClickHouse as a snapshot source (serve --replay
 * clickhouse://...): the hosts' intervals become one snapshot per step (the
 * longest interval recorded), with every host's process rows and events,
 * each with its host; histograms, tables, health and lost events add up.
 */
#ifndef TRACERHUB_STORE_FLEET_REPLAY_H
#define TRACERHUB_STORE_FLEET_REPLAY_H

#include <stddef.h>
#include "store/fleet_report.h"

struct fleet_replay;
struct sink;

/*
 * Reach the server of q (one error line and -errno when the URL, the
 * credentials, the database or the server is wrong) and find the hosts (q's
 * --host filters) and the time the recording spans. 0 and *out, or -errno.
 */
int fleet_replay__open(const struct fleet_query *q, struct fleet_replay **out);
/*
 * Emit the newest max steps to sink k, oldest first (the last one final),
 * without waiting; a step's rows come from every host whose interval ended
 * in it. 0 (also for an empty recording, after saying so), or -errno.
 */
int fleet_replay__run(struct fleet_replay *r, size_t max, const struct sink *k);
/* Hosts found. */
unsigned int fleet_replay__nhosts(const struct fleet_replay *r);
/* Free; r may be NULL. Snapshots it emitted point at its host names until then. */
void fleet_replay__close(struct fleet_replay *r);

#endif
