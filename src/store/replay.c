// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "core/log.h"
#include "core/sink.h"
#include "model/snapshot.h"
#include "store/reader.h"
#include "store/replay.h"

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

#define NEVER (~0ULL)

/*
 * Wait until the monotonic time `until` (NEVER: no limit), serving the sink's
 * input. Returns 0 at that time, 1 to stop (signal or the sink asked to quit),
 * 2 after an input when back_on_input, or -errno.
 */
static int wait_until(__u64 until, int sig_fd, const struct sink *k, bool back_on_input)
{
	for (;;) {
		struct pollfd p[2] = {{.fd = sig_fd, .events = POLLIN},
				      {.fd = k->input_fd, .events = POLLIN}};
		__u64 now = mono_ns();
		int ms, n;

		if (until == NEVER)
			ms = -1;
		else if (now >= until)
			ms = 0;
		else
			ms = (int)((until - now + 999999) / 1000000);
		n = poll(p, k->input_fd >= 0 ? 2 : 1, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (p[0].revents)
			return 1;
		if (k->input_fd >= 0 && p[1].revents) {
			unsigned int interval_ms = 1000;

			if (k->on_input(k->ctx, &interval_ms) == SINK_QUIT)
				return 1;
			if (back_on_input)
				return 2;
			continue;
		}
		if (mono_ns() >= until)
			return 0;
	}
}

/* The interval c asks for, from interval cur that ended at cur_ns, kept inside span. */
static int seek_target(struct reader *r, const struct reader_span *span,
		       const struct replay_ctl *c, long long cur, __u64 cur_ns, long long *id)
{
	__u64 shift = (__u64)(c->n < 0 ? -c->n : c->n) * 1000000000ULL;
	long long next = 0;
	int err = 0;

	*id = cur;
	switch (c->seek) {
	case REPLAY_FIRST:
		*id = span->first_id;
		break;
	case REPLAY_LAST:
		*id = span->last_id;
		break;
	case REPLAY_STEP:
		if (c->n > 0)
			err = reader__next(r, cur, span->last_ns, &next);
		else if (cur_ns)
			err = reader__seek(r, cur_ns - 1, &next);
		if (next)
			*id = next;
		break;
	case REPLAY_SHIFT:
		if (c->n < 0)
			err = reader__seek(r, cur_ns > shift ? cur_ns - shift : 0, id);
		else
			err = reader__seek(r, cur_ns + shift, id);
		break;
	case REPLAY_STAY:
		break;
	}
	if (*id < span->first_id)
		*id = span->first_id;
	if (*id > span->last_id)
		*id = span->last_id;
	return err;
}

/* When the interval after s is due at speed c->speed, from now (monotonic ns). */
static __u64 next_due(const struct snapshot *s, const struct replay_ctl *c)
{
	return mono_ns() + (c->speed > 0 ? (__u64)((double)s->interval_ns / c->speed) : 0);
}

/*
 * The replay a dashboard drives through o->ctl: interval by interval at the
 * chosen speed unless paused, seeking on request, staying on the last one.
 * Returns 0 when the sink quit or a signal came, or -errno.
 */
static int run_interactive(struct reader *r, const struct replay_opts *o, const struct sink *k,
			   int sig_fd, const struct reader_span *span, struct snapshot *s)
{
	struct replay_ctl *c = o->ctl;
	long long cur = span->first_id, next = 0;
	bool jumped = false, paused;
	struct reader_span upto;
	__u64 next_at;
	int err;

	c->count = span->count;
	for (;;) {
		err = reader__load(r, cur, s);
		if (!err)
			err = reader__next(r, cur, o->to_ns, &next);
		if (!err)
			err = reader__span(r, o->from_ns, s->ts_ns, &upto);
		if (err)
			break;
		s->final = false; /* the recorder's last interval is only the last here */
		c->jumped = jumped;
		c->at_end = !next || cur >= span->last_id;
		c->index = upto.count;
		err = k->emit(k->ctx, s);
		if (err)
			break;
		jumped = false;
		paused = c->paused;
		next_at = next_due(s, c);
		do {
			__u64 until = !c->paused && !c->at_end ? next_at : NEVER;

			err = wait_until(until, sig_fd, k, true);
			if (paused && !c->paused) /* resumed: the next one after a full interval */
				next_at = next_due(s, c);
			paused = c->paused;
		} while (err == 2 && c->seek == REPLAY_STAY);
		if (err == 1)
			return 0;
		if (err < 0)
			break;
		if (c->seek != REPLAY_STAY) {
			long long want;

			err = seek_target(r, span, c, cur, s->ts_ns, &want);
			c->seek = REPLAY_STAY;
			if (err)
				break;
			jumped = want != next;
			cur = want;
		} else {
			cur = next;
		}
	}
	return err;
}

int replay__run(struct reader *r, const struct replay_opts *o, const struct sink *k)
{
	struct snapshot s = {0};
	struct reader_span span;
	unsigned long emitted = 0;
	__u64 next_at;
	sigset_t mask;
	long long id, next;
	int sig_fd, err;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	sig_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sig_fd < 0)
		return -errno;
	err = reader__span(r, o->from_ns, o->to_ns, &span);
	if (err)
		goto out;
	if (!span.count) {
		log__info("%s: no intervals in the range", reader__path(r));
		goto out;
	}
	if (k->ready) {
		err = k->ready(k->ctx);
		if (err)
			goto out;
	}
	log__info("ready: replaying %lu interval(s) from %s", span.count, reader__path(r));
	if (o->ctl) {
		err = run_interactive(r, o, k, sig_fd, &span, &s);
		goto out;
	}
	next_at = mono_ns();
	err = reader__next(r, span.first_id - 1, o->to_ns, &next);
	while (!err && next) {
		id = next;
		err = reader__load(r, id, &s);
		if (!err)
			err = reader__next(r, id, o->to_ns, &next);
		if (err)
			break;
		if (o->speed > 0 && emitted) {
			next_at += (__u64)((double)s.interval_ns / o->speed);
			err = wait_until(next_at, sig_fd, k, false);
			if (err)
				break;
		}
		emitted++;
		s.final = !next || (o->count && emitted >= o->count);
		err = k->emit(k->ctx, &s);
		if (s.final)
			break;
	}
	if (err == 1 || err == -EPIPE)
		err = 0;
out:
	if (k->finish)
		k->finish(k->ctx);
	snapshot__free(&s);
	close(sig_fd);
	return err;
}
