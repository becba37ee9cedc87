// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "core/clock.h"
#include "core/features.h"
#include "core/log.h"
#include "core/maps.h"
#include "core/tracer.h"
#include "model/snapshot.h"
#include "render/addr.h"
#include "tracers/net/net_engine.h"
#include "tracers/net/net.h"
#include "core/hub.h"
#include "hub.skel.h"

int net_engine__set_option(struct net_engine_cfg *cfg, int key, const char *arg)
{
	char *end;
	double v;

	switch (key) {
	case '4':
	case '6':
		if (cfg->family && cfg->family != (key == '4' ? AF_INET : AF_INET6)) {
			log__error("-4 and -6 exclude each other: give one of them, or neither for both");
			return -EINVAL;
		}
		cfg->family = key == '4' ? AF_INET : AF_INET6;
		return 0;
	case NET_OPT_PORT:
		errno = 0;
		v = strtod(arg, &end);
		if (errno || *end || end == arg || v != floor(v) || v < 1 || v > 65535) {
			log__error("invalid --port '%s': expected a port number from 1 to 65535", arg);
			return -EINVAL;
		}
		cfg->port = (__u16)v;
		return 0;
	case NET_OPT_MIN_MS:
		errno = 0;
		v = strtod(arg, &end);
		if (errno || *end || end == arg || !isfinite(v) || v < 0 || v > 3600000) {
			log__error("invalid --min-ms '%s': expected milliseconds from 0 to 3600000", arg);
			return -EINVAL;
		}
		cfg->min_ns = (__u64)(v * 1e6 + 0.5);
		return 0;
	default:
		return -ENOENT;
	}
}

static const char *const results[] = {
	[NET_RES_ESTABLISHED] = "established", [NET_RES_REFUSED] = "refused",
	[NET_RES_TIMEOUT] = "timeout",	       [NET_RES_UNREACHABLE] = "unreachable",
	[NET_RES_ABORTED] = "aborted",	       [NET_RES_ERROR] = "error",
};

/* A ring-buffer record: one connection event into the live snapshot. */
static int on_event(void *ctx, void *data, size_t size)
{
	struct net_shared *sh = ctx;
	const struct net_event *ev = data;
	char comm[NET_COMM_LEN + 1] = { 0 }, buf[SNAP_FIELD_STR_LEN];
	bool close = ev->kind == NET_EV_CLOSE;
	struct snap_event *se;
	__u64 ts;

	if (size < sizeof(*ev))
		return 0;
	sh->events[close]++;
	memcpy(comm, ev->comm, NET_COMM_LEN);
	ts = clock_wall__of(sh->wall, ev->ts_ns);
	se = snapshot__add_event(sh->live, close ? "tcplife" : "tcpconnect", ts, ev->tgid, comm);
	if (!se)
		return 0; /* counted in the snapshot's events_lost */
	snap_event__str(se, "dir", ev->active ? "connect" : "accept");
	snap_event__str(se, "family", addr__family(ev->family));
	snap_event__str(se, "saddr", addr__format(buf, sizeof(buf), ev->family, ev->saddr));
	snap_event__num(se, "sport", ev->sport);
	snap_event__str(se, "daddr", addr__format(buf, sizeof(buf), ev->family, ev->daddr));
	snap_event__num(se, "dport", ev->dport);
	snap_event__typed(se, "sk_addr", ev->sk, SNAP_NUM_ADDR);
	if (ev->kind == NET_EV_CLOSE) {
		snap_event__typed(se, "duration_us", ev->duration_ns / 1000, SNAP_NUM_US);
		snap_event__num(se, "tx_bytes", ev->tx_bytes);
		snap_event__num(se, "rx_bytes", ev->rx_bytes);
		snap_event__num(se, "retransmits", ev->retrans);
		snap_event__num(se, "resets", ev->resets);
		return 0;
	}
	snap_event__typed(se, "latency_us", ev->latency_ns / 1000, SNAP_NUM_US);
	snap_event__str(se, "result", ev->result < sizeof(results) / sizeof(results[0]) ?
					      results[ev->result] : "?");
	if (ev->err)
		snap_event__num(se, "errno", ev->err);
	return 0;
}

/* Count page faults: a software perf event per online CPU and kind, running prog. */
static int attach_faults(struct net_engine *e)
{
	static const struct {
		__u64 config;
		const char *name;
	} kinds[] = { { PERF_COUNT_SW_PAGE_FAULTS_MIN, "minor" },
		      { PERF_COUNT_SW_PAGE_FAULTS_MAJ, "major" } };
	int ncpus = libbpf_num_possible_cpus();
	int err = 0;

	if (ncpus < 0)
		return ncpus;
	e->faults = calloc((size_t)ncpus * 2, sizeof(*e->faults));
	if (!e->faults)
		return -ENOMEM;
	for (int k = 0; k < 2; k++) {
		struct bpf_program *prog = k ? e->skel->progs.net_fault_maj :
					       e->skel->progs.net_fault_min;

		for (int cpu = 0; cpu < ncpus; cpu++) {
			struct perf_event_attr attr = {
				.type = PERF_TYPE_SOFTWARE,
				.size = sizeof(attr),
				.config = kinds[k].config,
				.sample_period = 1,
			};
			struct bpf_link *link;
			int fd;

			fd = (int)syscall(__NR_perf_event_open, &attr, -1, cpu, -1,
					  PERF_FLAG_FD_CLOEXEC);
			if (fd < 0) {
				if (errno == ENODEV)
					continue; /* CPU offline */
				err = -errno;
				log__info("netproc: no %s page-fault counts: perf_event_open: %s",
					  kinds[k].name, strerror(errno));
				return err;
			}
			link = bpf_program__attach_perf_event(prog, fd);
			if (!link) {
				err = -errno;
				close(fd);
				log__info("netproc: no page-fault counts: attach: %s", strerror(-err));
				return err;
			}
			e->faults[e->nfaults++] = link;
		}
	}
	e->has_faults = true;
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): an array of owned pointers freed,
 * as in pktjourney's free_reasons.
 */
static void detach_faults(struct net_engine *e)
{
	for (size_t i = 0; i < e->nfaults; i++)
		bpf_link__destroy(e->faults[i]);
	free(e->faults);
	e->faults = NULL;
	e->nfaults = 0;
	e->has_faults = false;
}

/*
 * The functions that give the bytes of sends and receives where the kernel
 * has no sock:sock_send_length/sock_recv_length (6.1), and their BPF
 * trampoline programs (net.bpf.c).
 */
static const char *const return_funcs[] = { "inet_sendmsg", "inet6_sendmsg", "inet_recvmsg",
					    "inet6_recvmsg", "skb_consume_udp" };
#define NRETURNS (sizeof(return_funcs) / sizeof(return_funcs[0]))

/* The skeleton's program of return_funcs[i], and its link. */
struct return_hook {
	struct bpf_program *prog;
	struct bpf_link **link;
};

static struct return_hook return_hook(struct hub_bpf *skel, size_t i)
{
#define RETURN_HOOK(name) { skel->progs.name, &skel->links.name }
	const struct return_hook hooks[NRETURNS] = {
		RETURN_HOOK(net_inet_sendmsg), RETURN_HOOK(net_inet6_sendmsg),
		RETURN_HOOK(net_inet_recvmsg), RETURN_HOOK(net_inet6_recvmsg),
		RETURN_HOOK(net_udp_consumed),
	};
#undef RETURN_HOOK

	return hooks[i];
}

/*
 * True when sends and receives are to be seen at return_funcs:
 * the kernel lacks the tracepoints at this rung, and has BPF trampolines and
 * the functions.
 */
static bool io_returns(struct tracer_env *env)
{
	const struct btf *btf = env->features->vmlinux;

	if (rung__has_hook(btf, env->rung, "sock", "sock_send_length") &&
	    rung__has_hook(btf, env->rung, "sock", "sock_recv_length"))
		return false;
	if (!btf)
		return false;
	features__probe(env->features, FEATURE_BIT(FEAT_FENTRY)); /* not probed for every run */
	if (!env->features->ok[FEAT_FENTRY])
		return false;
	for (size_t i = 0; i < NRETURNS; i++)
		if (btf__find_by_name_kind(btf, return_funcs[i], BTF_KIND_FUNC) < 0)
			return false;
	return true;
}

int net_engine__configure(struct net_engine *e, struct tracer_env *env,
			  const struct net_engine_cfg *cfg)
{
	struct hub_bpf *skel = env->skel;
	bool events;

	e->cfg = *cfg;
	e->shared = hub__shared(env->hub, "net_engine", sizeof(*e->shared));
	if (!e->shared)
		return -ENOMEM;
	/* Several tracers may share the engine: each only adds what it shows. */
	skel->rodata->targ_emit_connects |= cfg->connects;
	skel->rodata->targ_emit_closes |= cfg->closes;
	skel->rodata->targ_count_procs |= cfg->procs;
	if (cfg->connects || cfg->closes) {
		skel->rodata->targ_ev_family[cfg->closes] = cfg->family;
		skel->rodata->targ_ev_port[cfg->closes] = cfg->port;
	}
	if (cfg->connects)
		skel->rodata->targ_min_ns = cfg->min_ns;
	events = skel->rodata->targ_emit_connects || skel->rodata->targ_emit_closes;
	bpf_map__set_max_entries(skel->maps.net_procs,
				 skel->rodata->targ_count_procs ? NET_MAX_PROCS : 1);
	bpf_map__set_max_entries(skel->maps.net_lat,
				 skel->rodata->targ_count_procs ? NET_MAX_LAT_KEYS : 1);
	bpf_map__set_max_entries(skel->maps.net_events,
				 events ? NET_RING_BYTES : (__u32)sysconf(_SC_PAGESIZE));
	/* Every tracer needs send and receive: they tell which process accepted a connection. */
	hub__use(env->hub, HUB_netproc__inet_sock_set_state);
	if (io_returns(env)) {
		for (size_t i = 0; i < NRETURNS; i++)
			bpf_program__set_autoload(return_hook(skel, i).prog, true);
	} else {
		hub__use(env->hub, HUB_netproc__sock_send_length);
		hub__use(env->hub, HUB_netproc__sock_recv_length);
	}
	if (cfg->closes || cfg->procs) {
		hub__use(env->hub, HUB_netproc__tcp_receive_reset);
		hub__use(env->hub, HUB_netproc__tcp_send_reset);
	}
	if (cfg->procs) {
		hub__use(env->hub, HUB_netproc__tcp_retransmit_skb);
		bpf_program__set_autoload(skel->progs.net_fault_min, true);
		bpf_program__set_autoload(skel->progs.net_fault_maj, true);
	}
	return 0;
}

int net_engine__start(struct net_engine *e, struct tracer_env *env)
{
	struct net_shared *sh = e->shared;
	int err;

	e->skel = env->skel;
	if (!hub__runs(env->hub, HUB_netproc__inet_sock_set_state)) {
		log__error("the tracepoint sock:inet_sock_set_state is missing on this kernel");
		return -ENOTSUP;
	}
	if (e->cfg.procs && attach_faults(e))
		detach_faults(e); /* the network counts go on without them */
	/* once per hub, whichever tracer of the engine starts first; freed with the hub */
	for (size_t i = 0; i < NRETURNS; i++) {
		struct return_hook h = return_hook(e->skel, i);

		if (!bpf_program__autoload(h.prog) || *h.link)
			continue;
		*h.link = bpf_program__attach(h.prog);
		if (!*h.link) {
			err = -errno;
			log__error("cannot attach to %s (BPF trampoline): %s", return_funcs[i],
				   strerror(-err));
			return err;
		}
	}
	if ((e->cfg.connects || e->cfg.closes) && !sh->reading) {
		sh->live = env->live;
		sh->wall = env->wall;
		err = tracer_env__add_ring(env, bpf_map__fd(e->skel->maps.net_events), on_event,
					   sh);
		if (err)
			return err;
		sh->reading = true;
	}
	return 0;
}

int net_engine__health(struct net_engine *e, struct snap_health *h)
{
	__u64 drops;
	int err;

	err = maps__sum_array_delta(bpf_map__fd(e->skel->maps.net_drops), NET_DROP_MAX,
				    &e->drops_prev, &drops);
	if (err)
		return err;
	h->drops += drops;
	for (int k = 0; k < 2; k++) {
		if (k ? e->cfg.closes : e->cfg.connects) {
			h->events += e->shared->events[k];
			e->shared->events[k] = 0;
		}
	}
	return 0;
}

void net_engine__close(struct net_engine *e)
{
	detach_faults(e);
	e->skel = NULL;
	e->shared = NULL;
	e->drops_prev = 0;
}

int net_tracer__set_option(void *state, int key, const char *arg)
{
	struct net_tracer_state *st = state;

	return net_engine__set_option(&st->cfg, key, arg) ? -EINVAL : 0;
}

int net_tracer__start(void *state, struct tracer_env *env)
{
	struct net_tracer_state *st = state;

	return net_engine__start(&st->net, env);
}

int net_tracer__collect(void *state, struct snapshot *s, struct snap_health *health)
{
	struct net_tracer_state *st = state;

	return net_engine__health(&st->net, health);
}

void net_tracer__close(void *state)
{
	struct net_tracer_state *st = state;

	net_engine__close(&st->net);
}
