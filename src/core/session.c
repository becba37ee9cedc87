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
#include "core/filter.h"
#include "core/hub.h"
#include "core/log.h"
#include "core/parents.h"
#include "core/session.h"
#include "core/sink.h"
#include "core/tracefs.h"
#include "core/tracer.h"
#include "model/snapshot.h"

/* One tracer asked for: its run, whether it is in the hub, and its last sampled cost. */
struct live_tracer {
	struct tracer_run *run;
	bool want;	     /* still a candidate (not left out for this kernel) */
	bool open;	     /* configured, started, attached */
	struct cost at_open; /* cumulative statistics when the current window opened */
	struct snap_cost cost; /* from the last window */
};

struct session {
	const struct session_opts *o;
	struct features features;
	struct live_tracer *live;
	size_t nlive;
	struct snapshot snap;
	struct parents parents; /* the rows' parents, for trees */
	struct tracer_env env; /* shared parts: filter, features, live snapshot, ring buffers, hub */
	struct clock_wall wall; /* env's: read at open and at each interval */
	int stats_fd, epoll_fd, timer_fd, signal_fd, window_fd, sample_fd;
	bool sample_open;	/* a sampling window of windowed handlers is open */
	__u64 sample_period_ns; /* CLOCK_MONOTONIC start of the current sampling period */
	__u64 rand_state;	/* xorshift state for the windows' random offsets */
	unsigned int interval_ms; /* the sink may change it */
	__u64 last_mono_ns;
	__u64 last_cpu_ns; /* tracerhub's own CPU time (CLOCK_PROCESS_CPUTIME_ID) then */
	__u64 window_open_ns, window_close_ns; /* CLOCK_MONOTONIC, of the last window */
	struct cost all_at_open;	       /* every program, when the window opened */
	struct snap_cost all;		       /* every program, from the last window */
	size_t events_sent; /* events of the live snapshot already handed to sink->event */
};

/* Windowed handlers (hub__use_windowed) run in one window per period, at a random offset. */
#define SAMPLE_PERIOD_NS 1000000000ULL

/*
 * BPF run-time statistics cost about 60 ns per program run while on, more
 * than a counting handler: they are on only in a window of STATS_WINDOW_MS
 * every STATS_PERIOD_MS (0.5% of the time), and ns per run comes from the
 * counters' change across the last window.
 */
#define STATS_FIRST_MS	500
#define STATS_WINDOW_MS 50
#define STATS_PERIOD_MS 10000

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

int tracer_env__capture(const struct sink *capture, const struct snap_packet *p)
{
	return capture->packet(capture->ctx, p);
}

/* Undo open_at: close the tracers, free their ring buffers and the hub. */
static void close_all(struct session *s)
{
	for (size_t i = 0; i < s->nlive; i++) {
		if (s->live[i].want)
			s->live[i].run->tracer->close(s->live[i].run->state);
		s->live[i].open = false;
	}
	ring_buffer__free(s->env.rb);
	s->env.rb = NULL;
	hub__free(s->env.hub);
	s->env.hub = NULL;
	s->env.skel = NULL;
}

/*
 * Put every wanted tracer into one hub at rung r: configure, load, and
 * unless dry, start and attach. On failure everything is undone; a tracer
 * whose configure fails is left out when the session may skip tracers.
 * Returns 0 or a negative errno.
 */
static int open_at(struct session *s, enum rung r, bool dry)
{
	int err;

	s->env.rung = r;
	s->env.hub = hub__new(r, s->o->filter);
	if (!s->env.hub)
		return -errno;
	s->env.skel = hub__skel(s->env.hub);
	for (size_t i = 0; i < s->nlive; i++) {
		struct live_tracer *lt = &s->live[i];
		const struct tracer *t = lt->run->tracer;

		if (!lt->want)
			continue;
		err = hub__begin_tracer(s->env.hub, i, t->module ? t->module : t->name);
		if (!err)
			err = t->configure(lt->run->state, &s->env);
		if (err && s->o->skip_unavailable && s->nlive > 1) {
			log__info("%s left out: %s", t->name, strerror(-err));
			t->close(lt->run->state);
			lt->want = false;
			continue;
		}
		if (err)
			goto fail;
	}
	err = hub__load(s->env.hub, s->features.vmlinux);
	if (err || dry)
		goto fail;
	for (size_t i = 0; i < s->nlive; i++) {
		struct live_tracer *lt = &s->live[i];

		if (!lt->want)
			continue;
		err = lt->run->tracer->start(lt->run->state, &s->env);
		if (err) {
			log__error("%s: %s", lt->run->tracer->name, strerror(-err));
			goto fail;
		}
	}
	err = hub__attach(s->env.hub);
	if (err)
		goto fail;
	for (size_t i = 0; i < s->nlive; i++)
		s->live[i].open = s->live[i].want;
	return 0;
fail:
	close_all(s);
	return err;
}

/* How many tracers are still candidates. */
static size_t nwanted(const struct session *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nlive; i++)
		n += s->live[i].want;
	return n;
}

/*
 * When the tracers do not load together at rung r, find the ones that do not
 * load alone and leave them out (top runs what it can); the others are tried
 * together again by the caller.
 */
static void leave_out_failing(struct session *s, enum rung r)
{
	bool want[s->nlive];

	for (size_t i = 0; i < s->nlive; i++)
		want[i] = s->live[i].want;
	for (size_t i = 0; i < s->nlive; i++) {
		int err;

		if (!want[i])
			continue;
		for (size_t j = 0; j < s->nlive; j++)
			s->live[j].want = j == i;
		err = open_at(s, r, true);
		if (err) {
			log__info("%s left out: it does not load via %s on this kernel (%s); run "
				  "`tracerhub doctor`", s->live[i].run->tracer->name, rung__name(r),
				  strerror(-err));
			want[i] = false;
		}
	}
	for (size_t i = 0; i < s->nlive; i++)
		s->live[i].want = want[i];
}

/* Load every tracer into one hub, trying the rungs in order (or the forced one). */
static int open_tracers(struct session *s)
{
	int first = s->o->rung == RUNG_AUTO ? 0 : s->o->rung;
	int last = s->o->rung == RUNG_AUTO ? RUNG_COUNT - 1 : s->o->rung;
	int err = -ENOTSUP;

	for (int r = first; r <= last; r++) {
		features__probe(&s->features, FEATURE_BIT(rung__feature(r)));
		if (!rung__available(r, &s->features)) {
			if (s->o->rung != RUNG_AUTO) {
				log__error("the %s rung is not available on this kernel (%s); "
					   "see `tracerhub doctor`", rung__name(r),
					   strerror(-s->features.err[rung__feature(r)]));
				return -ENOTSUP;
			}
			continue;
		}
		if (!nwanted(s))
			break;
		err = open_at(s, r, false);
		if (err && s->o->skip_unavailable && nwanted(s) > 1) {
			leave_out_failing(s, r);
			err = nwanted(s) ? open_at(s, r, false) : -ENOTSUP;
		}
		if (!err) {
			log__info("attached %u hook(s) via %s for %zu tracer(s)",
				  hub__nhooks(s->env.hub), rung__name(r), nwanted(s));
			return 0;
		}
		if (log__verbose() || r == last)
			log__info("could not load or attach via %s: %s", rung__name(r),
				  strerror(-err));
	}
	log__error("could not load or attach on any rung (last error: %s); run `tracerhub "
		   "doctor` and retry with -v for libbpf's log", strerror(-err));
	return err;
}

/* The figures of one window: from c0 at its opening to c1 at its end, dur_ns long. */
static void window_cost(struct snap_cost *out, const struct cost *c0, const struct cost *c1,
			__u64 dur_ns)
{
	out->run_cnt = c1->run_cnt - c0->run_cnt;
	out->run_ns = c1->run_ns - c0->run_ns;
	if (out->run_cnt)
		out->ns_per_run = (double)out->run_ns / (double)out->run_cnt;
	out->runs_per_s = dur_ns ? (double)out->run_cnt * 1e9 / (double)dur_ns : 0;
}

/* The snap_cost to show now: its age, and a window's totals only in the interval it closed. */
static struct snap_cost cost_now(struct snap_cost *c, __u64 closed_ns, __u64 now)
{
	struct snap_cost out = *c;

	out.sample_age_ns = closed_ns ? now - closed_ns : 0;
	c->run_cnt = c->run_ns = 0;
	return out;
}

/* Open or close the statistics window: at close, each tracer's ns per run over it. */
static int stats_window(struct session *s)
{
	bool opening = s->stats_fd < 0;
	__u64 now = clock__ns(CLOCK_MONOTONIC);
	struct itimerspec its = { 0 };
	unsigned int ms = opening ? STATS_WINDOW_MS : STATS_PERIOD_MS - STATS_WINDOW_MS;
	struct cost c;

	if (opening) {
		s->stats_fd = cost__enable_stats();
		if (s->stats_fd < 0) {
			log__info("BPF run-time statistics unavailable (%s): no ns/run figures",
				  strerror(-s->stats_fd));
			return 0; /* nothing more to sample */
		}
		s->window_open_ns = now;
	}
	for (size_t i = 0; i < s->nlive; i++) {
		struct live_tracer *lt = &s->live[i];

		if (!lt->open || hub__cost(s->env.hub, i, &c))
			continue;
		if (opening)
			lt->at_open = c;
		else
			window_cost(&lt->cost, &lt->at_open, &c, now - s->window_open_ns);
	}
	if (!hub__cost(s->env.hub, HUB_ALL, &c)) {
		if (opening)
			s->all_at_open = c;
		else
			window_cost(&s->all, &s->all_at_open, &c, now - s->window_open_ns);
	}
	if (!opening) {
		close(s->stats_fd);
		s->stats_fd = -1;
		s->window_close_ns = now;
	}
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	return timerfd_settime(s->window_fd, 0, &its, NULL) ? -errno : 0;
}

static __u64 next_rand(struct session *s)
{
	s->rand_state ^= s->rand_state << 13;
	s->rand_state ^= s->rand_state >> 7;
	s->rand_state ^= s->rand_state << 17;
	return s->rand_state;
}

/* Arm fd to fire once, ns from now (at least 1 us). */
static int arm_once(int fd, __u64 ns)
{
	struct itimerspec its = { 0 };

	if (ns < 1000)
		ns = 1000;
	its.it_value.tv_sec = (time_t)(ns / 1000000000ULL);
	its.it_value.tv_nsec = (long)(ns % 1000000000ULL);
	return timerfd_settime(fd, 0, &its, NULL) ? -errno : 0;
}

static int stream_events(struct session *s);

/* A sampling window closed: what the ring buffers hold first, then each tracer's in-flight work. */
static int window_closed(struct session *s)
{
	int err = stream_events(s);

	for (size_t i = 0; i < s->nlive && !err; i++) {
		const struct tracer *t = s->live[i].run->tracer;

		if (s->live[i].open && t->window_closed)
			err = t->window_closed(s->live[i].run->state);
	}
	return err;
}

/*
 * Open a sampling window at a random offset within the period (so that it
 * does not beat with periodic work), or close the open one and schedule the
 * next period's. Windows add up to 1/n of the time.
 */
static int sample_window(struct session *s)
{
	__u64 len = SAMPLE_PERIOD_NS / hub__window_n(s->env.hub);
	__u64 now = clock__ns(CLOCK_MONOTONIC), at;
	int err;

	if (!s->sample_open && s->sample_period_ns) {
		err = hub__window(s->env.hub, true);
		if (err)
			return err;
		s->sample_open = true;
		return arm_once(s->sample_fd, len);
	}
	if (s->sample_open) {
		err = hub__window(s->env.hub, false);
		if (!err)
			err = window_closed(s);
		if (err)
			return err;
		s->sample_open = false;
		s->sample_period_ns += SAMPLE_PERIOD_NS;
	} else {
		s->sample_period_ns = now; /* the first period */
	}
	at = s->sample_period_ns + next_rand(s) % (SAMPLE_PERIOD_NS - len);
	return arm_once(s->sample_fd, at > now ? at - now : 0);
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

/*
 * Hold SIGINT and SIGTERM for the loop's signalfd in *mask, from before the
 * tracers load: one sent meanwhile stops the run once it is ready, also when
 * the shell that started us in the background made them ignored (an ignored
 * signal is dropped unless blocked). 0 or -errno.
 */
static int block_stop_signals(sigset_t *mask)
{
	sigemptyset(mask);
	sigaddset(mask, SIGINT);
	sigaddset(mask, SIGTERM);
	return sigprocmask(SIG_BLOCK, mask, NULL) ? -errno : 0;
}

static int setup_fds(struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };
	const struct sink *k = s->o->sink;
	sigset_t mask;
	int err;

	err = block_stop_signals(&mask);
	if (err)
		return err;
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
	if (hub__window_n(s->env.hub)) {
		s->rand_state = clock__ns(CLOCK_MONOTONIC) | 1;
		s->sample_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
		if (s->sample_fd < 0)
			return -errno;
		err = sample_window(s);
		if (err)
			return err;
		ev.data.fd = s->sample_fd;
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->sample_fd, &ev))
			return -errno;
	}
	if (!s->o->no_stats) {
		struct itimerspec first = { .it_value.tv_nsec = STATS_FIRST_MS * 1000000L };

		s->window_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
		if (s->window_fd < 0 || timerfd_settime(s->window_fd, 0, &first, NULL))
			return -errno;
		ev.data.fd = s->window_fd;
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, s->window_fd, &ev))
			return -errno;
	}
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
		err = k->event(k->ctx, &s->snap, &s->snap.events[s->events_sent]);
	if (!err && s->events_sent > first)
		err = k->event(k->ctx, &s->snap, NULL); /* the batch is out: flush */
	return err;
}

/* Drain the ring buffers and stream what they held. */
static int stream_events(struct session *s)
{
	int err;

	if (!s->env.rb)
		return 0;
	err = ring_buffer__consume(s->env.rb);
	if (err < 0)
		return err; /* a record callback failed: a capture that cannot be written */
	return flush_events(s);
}

/* Collect every tracer into the snapshot and hand it to the sink. */
static int emit(struct session *s, bool final)
{
	__u64 mono = clock__ns(CLOCK_MONOTONIC), cpu = clock__ns(CLOCK_PROCESS_CPUTIME_ID);
	int err;

	err = stream_events(s);
	if (err)
		return err;
	s->snap.events_streamed = s->env.rb && s->o->sink->event;
	s->snap.ts_ns = clock__ns(CLOCK_REALTIME);
	s->snap.interval_ns = mono - s->last_mono_ns;
	s->snap.self_cpu_ns = cpu - s->last_cpu_ns;
	s->snap.self_cpu_known = true;
	s->last_cpu_ns = cpu;
	s->snap.final = final;
	s->last_mono_ns = mono;
	clock_wall__sync(&s->wall); /* for the tracers' collect and the next interval's events */
	for (size_t i = 0; i < s->nlive; i++) {
		struct live_tracer *lt = &s->live[i];
		struct snap_health *h;
		struct cost now;

		if (!lt->open)
			continue;
		h = snapshot__add_health(&s->snap, lt->run->tracer->name);
		if (!h)
			return -ENOMEM;
		snprintf(h->rung, sizeof(h->rung), "%s", rung__name(s->env.rung));
		err = lt->run->tracer->collect(lt->run->state, &s->snap, h);
		if (err) {
			log__error("%s: reading its maps failed: %s", lt->run->tracer->name,
				   strerror(-err));
			return err;
		}
		if (!hub__cost(s->env.hub, i, &now))
			h->nprogs = now.nprogs;
		h->cost = cost_now(&lt->cost, s->window_close_ns, mono);
	}
	s->snap.cost = cost_now(&s->all, s->window_close_ns, mono);
	err = flush_events(s); /* events a collect added (e.g. journeys that timed out) */
	if (err)
		return err;
	snapshot__finish(&s->snap);
	err = parents__fill(&s->parents, &s->snap);
	if (err)
		return err;
	err = s->o->sink->emit(s->o->sink->ctx, &s->snap);
	snapshot__reset(&s->snap);
	s->events_sent = 0;
	return err;
}

/* Timer fd fired: its ticks read, then its window opened or closed; 0 or -errno. */
static int window_timer(struct session *s, int fd, int (*window)(struct session *s))
{
	__u64 ticks;

	if (read(fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return -errno;
	return window(s);
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
			if (fd == s->sample_fd || fd == s->window_fd) {
				int err = window_timer(s, fd,
						       fd == s->sample_fd ? sample_window : stats_window);

				if (err)
					return err;
				continue;
			}
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

/* The session's own file descriptors, those open. */
static void close_fds(struct session *s)
{
	const int fds[] = { s->epoll_fd,  s->timer_fd,	s->signal_fd,
			    s->window_fd, s->sample_fd, s->stats_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void teardown(struct session *s)
{
	if (s->o->sink->finish)
		s->o->sink->finish(s->o->sink->ctx);
	if (s->o->capture && s->o->capture->finish)
		s->o->capture->finish(s->o->capture->ctx);
	close_all(s);
	snapshot__free(&s->snap);
	parents__free(&s->parents);
	free(s->live);
	features__free(&s->features);
	close_fds(s);
}

/* Probe the kernel and say what matters for this run. */
static int check_kernel(struct session *s)
{
	features__probe_run(&s->features);
	if (s->o->rung == RUNG_TRACEPOINT)
		features__probe(&s->features, FEATURE_BIT(FEAT_TRACEPOINT));
	if (s->features.mounted_tracefs)
		log__info("mounted tracefs at %s for this run only (classic tracepoints need it; "
			  "the rest of the system does not see it)", TRACEFS_PATH);
	if (s->o->rung == RUNG_TRACEPOINT && !s->features.ok[FEAT_TRACEFS]) {
		log__error("tracefs not mounted and mount failed (%s): run as root, or mount it "
			   "with `mount -t tracefs tracefs %s`",
			   strerror(-s->features.err[FEAT_TRACEFS]), TRACEFS_PATH);
		return -EPERM;
	}
	return 0;
}

int session__try(struct tracer_run *run, const struct features *f, enum rung r,
		 struct session_try *out)
{
	struct filter none = { 0 };
	struct session_opts o = { .rung = r, .filter = &none };
	struct live_tracer lt = { .run = run, .want = true };
	struct session s = { .o = &o, .live = &lt, .nlive = 1, .features = *f };
	int err;

	s.env.filter = &none;
	s.env.features = &s.features;
	s.env.live = &s.snap;
	s.env.wall = &s.wall;
	clock_wall__sync(&s.wall);
	err = open_at(&s, r, false);
	if (!err) {
		hub__lacks(s.env.hub, 0, out->lacks, sizeof(out->lacks));
		hub__extras(s.env.hub, 0, out->extras, sizeof(out->extras));
		close_all(&s);
	}
	snapshot__free(&s.snap);
	return err;
}

int session__run(struct tracer_run *runs, size_t n, const struct session_opts *o)
{
	struct session s = { .o = o, .stats_fd = -1, .epoll_fd = -1, .timer_fd = -1,
			     .signal_fd = -1, .window_fd = -1, .sample_fd = -1,
			     .interval_ms = o->interval_ms };
	size_t attached = 0;
	sigset_t mask;
	int err;

	err = block_stop_signals(&mask);
	if (!err)
		err = check_kernel(&s);
	if (err)
		return err;
	s.live = calloc(n, sizeof(*s.live));
	if (!s.live)
		return -ENOMEM;
	s.env.filter = o->filter;
	s.env.features = &s.features;
	s.env.live = &s.snap;
	s.env.wall = &s.wall;
	clock_wall__sync(&s.wall);
	s.env.capture = o->capture;
	s.env.snaplen = o->snaplen;
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
		lt->want = true;
	}
	err = open_tracers(&s);
	if (err)
		goto out;
	if (o->list_hooks) {
		const char *names[HUB_HOOK_COUNT];
		bool windowed[HUB_HOOK_COUNT];
		unsigned int k = hub__hooks(s.env.hub, names, windowed, HUB_HOOK_COUNT);

		for (unsigned int i = 0; i < k; i++)
			printf("%s%s\n", names[i], windowed[i] ? " window" : "");
		goto out;
	}
	attached = nwanted(&s);
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
	s.last_cpu_ns = clock__ns(CLOCK_PROCESS_CPUTIME_ID);
	log__info("ready: %zu tracer(s), interval %u ms; Ctrl-C to stop", attached,
		  o->interval_ms);
	err = loop(&s);
	if (err == -EPIPE)
		err = 0;
out:
	teardown(&s);
	return err;
}
