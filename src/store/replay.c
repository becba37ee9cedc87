// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "core/log.h"
#include "model/snapshot.h"
#include "out/sink.h"
#include "store/reader.h"
#include "store/replay.h"

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

/*
 * Wait until the monotonic time `until`, serving the sink's input. Returns 0,
 * 1 to stop (signal or the sink asked to quit), or -errno.
 */
static int wait_until(__u64 until, int sig_fd, const struct sink *k)
{
	for (;;) {
		struct pollfd p[2] = {{.fd = sig_fd, .events = POLLIN},
				      {.fd = k->input_fd, .events = POLLIN}};
		__u64 now = mono_ns();
		int ms, n;

		if (now >= until)
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
			continue;
		}
		if (mono_ns() >= until)
			return 0;
	}
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
			err = wait_until(next_at, sig_fd, k);
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

int replay__load_at(struct reader *r, __u64 ts_ns, struct snapshot *s)
{
	long long id;
	int err = reader__seek(r, ts_ns, &id);

	if (err)
		return err;
	return id ? reader__load(r, id, s) : -ENOENT;
}
