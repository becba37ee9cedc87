// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include "core/clock.h"
#include "core/cost.h"
#include "core/features.h"
#include "core/log.h"
#include "core/session.h"
#include "core/tracefs.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "out/sink.h"

/* One running tracer: its run, whether it is attached, and its cost at the last interval. */
struct live_tracer {
	struct tracer_run *run;
	struct bpf_object *obj;
	enum rung rung;
	bool open;
	struct cost last;
};

struct session {
	const struct session_opts *o;
	struct features features;
	struct live_tracer *live;
	size_t nlive;
	struct snapshot snap;
	struct tracer_env env; /* shared parts: filter, features, live snapshot, ring buffers */
	int stats_fd, epoll_fd, timer_fd, signal_fd;
	unsigned int interval_ms; /* the sink may change it */
	__u64 last_mono_ns;
	size_t events_sent; /* events of the live snapshot already handed to sink->event */
};

/* Ring-buffer poll period when events stream: tracers may submit without a wakeup. */
#define EVENT_POLL_MS 25

int tracer_env__add_ring(struct tracer_env *env, int map_fd, ring_buffer_sample_fn fn, void *ctx)
{
	if (!env->rb) {
		env->rb = ring_buffer__new(map_fd, fn, ctx, NULL);
		return env->rb ? 0 : -errno;
	}
	return ring_buffer__add(env->rb, map_fd, fn, ctx) ? -errno : 0;
}

/* Try the rungs in order (or the forced one); 0 when attached. */
static int open_tracer(struct session *s, struct live_tracer *lt)
{
	const struct tracer *t = lt->run->tracer;
	int first = s->o->rung == RUNG_AUTO ? 0 : s->o->rung;
	int last = s->o->rung == RUNG_AUTO ? RUNG_COUNT - 1 : s->o->rung;
	int err = -ENOTSUP;

	for (int r = first; r <= last; r++) {
		if (!rung__available(r, &s->features)) {
			if (s->o->rung != RUNG_AUTO) {
				log__error("%s: the %s rung is not available on this kernel (%s); "
					   "see `tracerhub doctor`",
					   t->name, rung__name(r),
					   strerror(-s->features.err[rung__feature(r)]));
				return -ENOTSUP;
			}
			continue;
		}
		s->env.rung = r;
		s->env.obj = NULL;
		err = t->open(lt->run->state, &s->env);
		if (!err) {
			lt->obj = s->env.obj;
			lt->rung = r;
			lt->open = true;
			if (lt->obj)
				cost__read(lt->obj, &lt->last);
			log__info("%s: attached %u program(s) via %s", t->name, lt->last.nprogs,
				  rung__name(r));
			return 0;
		}
		t->close(lt->run->state);
		if (log__verbose() || r == last)
			log__info("%s: could not attach via %s: %s", t->name, rung__name(r),
				  strerror(-err));
	}
	log__error("%s: could not load or attach on any rung (last error: %s); run "
		   "`tracerhub doctor` and retry with -v for libbpf's log",
		   t->name, strerror(-err));
	return err;
}

/* (Re-)arm the interval timer. */
static int arm_timer(int fd, unsigned int ms)
{
	struct itimerspec its = { 0 };

	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	its.it_interval = its.it_value;
	return timerfd_settime(fd, 0, &its, NULL) ? -errno : 0;
}

static int setup_fds(struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	const struct sink *k = s->o->sink;
	sigset_t mask;
	int err;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return -errno;
	s->signal_fd = signalfd(-1, &mask, SFD_CLOEXEC);
	s->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (s->signal_fd < 0 || s->timer_fd < 0 || s->epoll_fd < 0)
		return -errno;
	err = arm_timer(s->timer_fd, s->interval_ms);
	if (err)
		return err;
	ev.data.fd = s->signal_fd;
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->signal_fd, &ev))
		return -errno;
	ev.data.fd = s->timer_fd;
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->timer_fd, &ev))
		return -errno;
	if (k->input_fd >= 0) {
		ev.data.fd = k->input_fd;
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, k->input_fd, &ev))
			return -errno;
	}
	if (s->env.rb) {
		ev.data.fd = ring_buffer__epoll_fd(s->env.rb);
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, ev.data.fd, &ev))
			return -errno;
	}
	return 0;
}

/* Hand the sink each event of the live snapshot it has not seen (when it takes events). */
static int flush_events(struct session *s)
{
	const struct sink *k = s->o->sink;
	size_t first = s->events_sent;
	int err = 0;

	for (; k->event && !err && s->events_sent < s->snap.nevents; s->events_sent++)
		err = k->event(k->ctx, &s->snap.events[s->events_sent]);
	if (!err && s->events_sent > first)
		err = k->event(k->ctx, NULL); /* the batch is out: flush */
	return err;
}

/* Drain the ring buffers and stream what they held. */
static int stream_events(struct session *s)
{
	if (!s->env.rb)
		return 0;
	ring_buffer__consume(s->env.rb);
	return flush_events(s);
}

/* Collect every tracer into the snapshot and hand it to the sink. */
static int emit(struct session *s, bool final)
{
	__u64 mono = clock__ns(CLOCK_MONOTONIC);
	int err;

	err = stream_events(s);
	if (err)
		return err;
	s->snap.events_streamed = s->env.rb && s->o->sink->event;
	s->snap.ts_ns = clock__ns(CLOCK_REALTIME);
	s->snap.interval_ns = mono - s->last_mono_ns;
	s->snap.final = final;
	s->last_mono_ns = mono;
	for (size_t i = 0; i < s->nlive; i++) {
		struct live_tracer *lt = &s->live[i];
		struct snap_health *h;
		struct cost now;

		if (!lt->open)
			continue;
		h = snapshot__add_health(&s->snap, lt->run->tracer->name);
		if (!h)
			return -ENOMEM;
		snprintf(h->rung, sizeof(h->rung), "%s", rung__name(lt->rung));
		err = lt->run->tracer->collect(lt->run->state, &s->snap, h);
		if (err) {
			log__error("%s: reading its maps failed: %s", lt->run->tracer->name,
				   strerror(-err));
			return err;
		}
		if (lt->obj && !cost__read(lt->obj, &now)) {
			h->nprogs = now.nprogs;
			h->run_cnt = now.run_cnt - lt->last.run_cnt;
			h->run_ns = s->stats_fd >= 0 ? now.run_ns - lt->last.run_ns : 0;
			lt->last = now;
		}
	}
	err = flush_events(s); /* events a collect added (e.g. journeys that timed out) */
	if (err)
		return err;
	snapshot__finish(&s->snap);
	err = s->o->sink->emit(s->o->sink->ctx, &s->snap);
	snapshot__reset(&s->snap);
	s->events_sent = 0;
	return err;
}

static int loop(struct session *s)
{
	const struct sink *k = s->o->sink;
	int poll_ms = s->env.rb && k->event ? EVENT_POLL_MS : -1;
	unsigned long emitted = 0;

	for (;;) {
		struct epoll_event evs[4];
		int n = epoll_wait(s->epoll_fd, evs, 4, poll_ms);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0) {
			int err = stream_events(s);

			if (err)
				return err;
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			__u64 ticks;

			if (fd == s->signal_fd)
				return emit(s, true);
			if (fd == k->input_fd) {
				unsigned int ms = s->interval_ms;

				if (k->on_input(k->ctx, &ms) == SINK_QUIT)
					return emit(s, true);
				if (ms != s->interval_ms && ms > 0) {
					int err = arm_timer(s->timer_fd, ms);

					if (err)
						return err;
					s->interval_ms = ms;
				}
				continue;
			}
			if (fd == s->timer_fd) {
				int err;

				if (read(fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
					return -errno;
				emitted++;
				err = emit(s, s->o->count && emitted >= s->o->count);
				if (err || (s->o->count && emitted >= s->o->count))
					return err;
			} else {
				int err = stream_events(s);

				if (err)
					return err;
			}
		}
	}
}

static void teardown(struct session *s)
{
	if (s->o->sink->finish)
		s->o->sink->finish(s->o->sink->ctx);
	for (size_t i = 0; i < s->nlive; i++)
		if (s->live[i].open)
			s->live[i].run->tracer->close(s->live[i].run->state);
	ring_buffer__free(s->env.rb);
	snapshot__free(&s->snap);
	free(s->live);
	if (s->epoll_fd >= 0)
		close(s->epoll_fd);
	if (s->timer_fd >= 0)
		close(s->timer_fd);
	if (s->signal_fd >= 0)
		close(s->signal_fd);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
}

/* Probe the kernel and say what matters for this run. */
static int check_kernel(struct session *s)
{
	features__probe(&s->features);
	if (s->features.mounted_tracefs)
		log__info("mounted tracefs at %s (classic tracepoints need it)", TRACEFS_PATH);
	if (s->o->rung == RUNG_TRACEPOINT && !s->features.ok[FEAT_TRACEFS]) {
		log__error("tracefs not mounted and mount failed (%s): run as root, or mount it "
			   "with `mount -t tracefs tracefs %s`",
			   strerror(-s->features.err[FEAT_TRACEFS]), TRACEFS_PATH);
		return -EPERM;
	}
	return 0;
}

int session__run(struct tracer_run *runs, size_t n, const struct session_opts *o)
{
	struct session s = { .o = o, .stats_fd = -1, .epoll_fd = -1, .timer_fd = -1,
			     .signal_fd = -1, .interval_ms = o->interval_ms };
	size_t attached = 0;
	int err;

	err = check_kernel(&s);
	if (err)
		return err;
	s.live = calloc(n, sizeof(*s.live));
	if (!s.live)
		return -ENOMEM;
	s.env.filter = o->filter;
	s.env.features = &s.features;
	s.env.live = &s.snap;
	if (!o->no_stats) {
		s.stats_fd = cost__enable_stats();
		if (s.stats_fd < 0)
			log__info("BPF run-time statistics unavailable (%s): no ns/event figures",
				  strerror(-s.stats_fd));
	}
	for (size_t i = 0; i < n; i++) {
		struct live_tracer *lt = &s.live[s.nlive++];
		const char *why = "unknown reason";

		lt->run = &runs[i];
		err = runs[i].tracer->probe(&s.features, &why);
		if (err) {
			if (!o->skip_unavailable) {
				log__error("%s cannot run on this kernel: %s", runs[i].tracer->name, why);
				goto out;
			}
			log__info("%s skipped: %s", runs[i].tracer->name, why);
			continue;
		}
		err = open_tracer(&s, lt);
		if (err && !o->skip_unavailable)
			goto out;
		attached += lt->open;
	}
	if (!attached) {
		log__error("no tracer could attach: run `tracerhub doctor` to see what this kernel "
			   "lacks");
		err = -ENOTSUP;
		goto out;
	}
	err = setup_fds(&s);
	if (err) {
		log__error("cannot set up timers and signals: %s", strerror(-err));
		goto out;
	}
	if (o->sink->ready) {
		err = o->sink->ready(o->sink->ctx);
		if (err)
			goto out;
	}
	s.last_mono_ns = clock__ns(CLOCK_MONOTONIC);
	log__info("ready: %zu tracer(s), interval %u ms; Ctrl-C to stop", attached,
		  o->interval_ms);
	err = loop(&s);
	if (err == -EPIPE)
		err = 0;
out:
	teardown(&s);
	return err;
}
