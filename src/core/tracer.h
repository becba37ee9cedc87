/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The tracer interface. A tracer owns its BPF handlers and maps (compiled
 * into the hub, the one object all tracers share: core/hub.h) and drains its
 * maps into the interval's snapshot; everything else (rungs, filter, cost,
 * the loop, output) is the core's. Adding a tracer is adding its directory
 * src/tracers/NAME/ and one line in registry.c.
 */
#ifndef TRACERHUB_CORE_TRACER_H
#define TRACERHUB_CORE_TRACER_H

#include <stddef.h>
#include <bpf/libbpf.h>
#include "core/filter.h"
#include "core/rung.h"

struct features;
struct snapshot;
struct snap_health;

/* A tracer-specific command-line option. */
struct tracer_option {
	const char *name; /* long name, without "--" */
	int key;	  /* short option letter, or 256..0x7eff for long-only options */
	const char *arg;  /* argument name shown by -h, NULL for a flag */
	const char *help;
};

struct clock_wall;
struct hub;
struct hub_bpf;
struct sink;

/* What the core hands a tracer's configure() and start(). */
struct tracer_env {
	enum rung rung;			  /* the hub's programs run at this rung */
	const struct filter *filter;	  /* applied by the hub's handlers (hub__pass) */
	struct features *features;	  /* what the kernel can do (features__probe for more) */
	struct snapshot *live;		  /* receives ring-buffer events as they arrive */
	const struct clock_wall *wall;	  /* their stamps to wall-clock time: clock_wall__of */
	struct ring_buffer *rb;		  /* shared ring buffer set: see tracer_env__add_ring */
	struct hub *hub;		  /* the shared object: hub__use, hub__runs, hub__shared */
	struct hub_bpf *skel;		  /* its skeleton: rodata before load, maps after */
	const struct sink *capture;	  /* -w: where captured packets go (its ->packet), or NULL */
	unsigned int snaplen;		  /* -w: bytes of each packet to capture */
};

/*
 * Have fn(ctx, data, size) called for every record of ring buffer map_fd.
 * Returns 0 or a negative errno.
 */
int tracer_env__add_ring(struct tracer_env *env, int map_fd, ring_buffer_sample_fn fn, void *ctx);

struct snap_packet;
/*
 * Hand captured packet p to capture (a tracer_env's). 0, or the negative
 * errno that ends the capture (-EPIPE: its reader left), to return from the
 * ring buffer callback so that the session ends.
 */
int tracer_env__capture(const struct sink *capture, const struct snap_packet *p);

/*
 * The tracer interface. Each tracer exports one descriptor, const struct tracer NAME_tracer =
 * { ... }, of designated initializers, and fills its callbacks with the same steps in the same
 * order (configure: hub__use its handlers; start: keep env's skeleton, add its ring buffer, bind
 * its process table; collect: proc_table__collect, its histograms and tables, its drops into
 * health). So descriptors and those callbacks are alike in shape across tracers by design, each
 * with its own names, maps and metrics: `duplicates` pairs them, and docs/architecture.md
 * ("Deliberate likenesses") lists every such pair. What they share as logic lives in core/.
 */
struct tracer {
	const char *name;
	const char *module;	/* its BPF side's directory under src/tracers/; NULL: name */
	const char *summary;	/* one line, for `list` */
	const char *examples;	/* EXAMPLES lines for -h, may be NULL */
	const struct tracer_option *options; /* ends with name == NULL; may be NULL */
	bool time_hists;	/* reports time histograms: its command takes -m/-u for them */
	size_t state_size;	/* private state, zeroed by the core before set_option/open */
	bool captures;		/* takes packets to capture (-w: tracer_env's capture) */
	/* Apply one of .options; 0 or -EINVAL after log__error() said why. */
	int (*set_option)(void *state, int key, const char *arg);
	/*
	 * Run with other tracers (top, serve, record of several): set the options
	 * of its cheap mode, or with full of its heaviest. May be NULL (no modes).
	 */
	void (*set_mode)(void *state, bool full);
	/*
	 * Optional: what it cannot show on this kernel though it runs (a hook
	 * missing), one line, a static string; NULL when nothing is missing.
	 */
	const char *(*limits)(const struct features *f);
	/* Can it run on this kernel? 0, or -errno with *why set to a static reason. */
	int (*probe)(const struct features *f, const char **why);
	/*
	 * Before the hub loads: ask for handlers (hub__use), set rodata and map
	 * sizes, turn on its other programs' autoload. 0 or -errno (the core then
	 * calls close).
	 */
	int (*configure)(void *state, struct tracer_env *env);
	/*
	 * After the hub loaded, before its hooks attach: fill maps, add ring
	 * buffers, attach its other programs. 0 or -errno (then close).
	 */
	int (*start)(void *state, struct tracer_env *env);
	/*
	 * Optional: a sampling window closed (its hooks are detached, the ring
	 * buffers drained): end what it left in flight. 0 or -errno (the session ends).
	 */
	int (*window_closed)(void *state);
	/* Add this interval's rows/hists/tables/events and fill events/drops of health. */
	int (*collect)(void *state, struct snapshot *snap, struct snap_health *health);
	/* Detach and free what open acquired; keep options so open can be retried. */
	void (*close)(void *state);
};

#endif
