/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The hub: the one BPF object every running tracer shares (see
 * src/bpf/hub.bpf.h). Each tracepoint gets exactly one program, whatever the
 * number of tracers; a tracer asks for its handlers of the hooks it needs
 * while the object is open (tracer->configure), and reads its maps once it is
 * loaded (tracer->start).
 *
 * Order of use: hub__new, then per tracer hub__begin_tracer and its
 * configure (hub__use*, rodata, map sizes, autoload of its other programs),
 * hub__load, the tracers' start, hub__attach; hub__free at the end.
 */
#ifndef TRACERHUB_CORE_HUB_H
#define TRACERHUB_CORE_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include "core/cost.h"
#include "core/rung.h"
#include "hub_hooks.h"

struct btf;
struct filter;
struct hub;
struct hub_bpf;

/* Open the hub's object for rung r with filter f. NULL with errno set on failure. */
struct hub *hub__new(enum rung r, const struct filter *f);
/* Detach and free everything; h may be NULL. */
void hub__free(struct hub *h);
/* The skeleton: its rodata before load, its maps and programs after. */
struct hub_bpf *hub__skel(const struct hub *h);

/*
 * What follows is asked for by tracer number idx (0..63) whose BPF side is
 * the tracer directory module: its handlers, and the cost figures of
 * hub__cost. Returns 0 or -E2BIG past 64 tracers.
 */
int hub__begin_tracer(struct hub *h, unsigned int idx, const char *module);
/* Run handler id. */
void hub__use(struct hub *h, enum hub_handler id);
/*
 * Run handler id only in sampling windows that add up to 1/n of the time:
 * its hook is attached only while a window is open, unless another handler
 * needs it throughout (then the handler checks HUB_WINDOW_OPEN()).
 */
void hub__use_windowed(struct hub *h, enum hub_handler id, unsigned int n);
/*
 * Run one of two handlers of one tracer that give the same facts: prefer if
 * its hook is hooked anyway by some other handler, else fallback (a hook
 * costs every event that crosses it; a handler added to a hooked one, little).
 */
void hub__use_either(struct hub *h, enum hub_handler fallback, enum hub_handler prefer);

/*
 * Resolve the choices, set the handlers' flags, keep the programs of the
 * hooks asked for that this kernel has at this rung (vmlinux: the kernel's
 * BTF, which the typed rungs need; tracefs for the classic one), shrink the maps of
 * tracer directories nobody uses, load, and fill the filter's maps.
 * Returns 0 or a negative errno (libbpf's log says why with -v).
 */
int hub__load(struct hub *h, const struct btf *vmlinux);
/* After hub__load: true when handler id runs (asked for, its hook present). */
bool hub__runs(const struct hub *h, enum hub_handler id);
/*
 * After hub__load: the hooks tracer idx asked for that this kernel lacks at
 * the hub's rung (their handlers do not run), as "name, name" in buf ("" when
 * none; cut at len).
 */
void hub__lacks(const struct hub *h, unsigned int idx, char *buf, size_t len);
/*
 * After load: the programs of tracer idx's directory besides the hub's
 * tracepoints that are loaded (perf events, iterators, uprobes, fexit...), by
 * section name without repeats, as "sec, sec" in buf.
 */
void hub__extras(const struct hub *h, unsigned int idx, char *buf, size_t len);
/* Attach every hook program loaded, but those only for windows. 0 or a negative errno. */
int hub__attach(struct hub *h);
/* After load: n when windowed handlers run (windows add up to 1/n of the time), else 0. */
unsigned int hub__window_n(const struct hub *h);
/*
 * Open or close a sampling window: the BPF side's flag, and the hooks only
 * windowed handlers are on attached or detached. Returns 0 or -errno.
 */
int hub__window(struct hub *h, bool open);
/* hub__cost of every program of the hub, each once. */
#define HUB_ALL (~0U)
/*
 * Cumulative run-time statistics of the programs tracer idx runs in: the
 * hooks its handlers are on (shared hooks count for every tracer on them)
 * and its directory's other programs, or of all (HUB_ALL). Returns 0 or a
 * negative errno.
 */
int hub__cost(const struct hub *h, unsigned int idx, struct cost *c);
/*
 * After load: the tracepoints the hub's programs are on, into names (room for
 * max), and for each whether it is attached only in sampling windows, into
 * windowed; returns how many.
 */
unsigned int hub__hooks(const struct hub *h, const char **names, bool *windowed,
			unsigned int max);
/* Number of hook programs attached (each tracepoint once). */
unsigned int hub__nhooks(const struct hub *h);

/*
 * Memory shared by the tracers of one directory in this hub (netproc,
 * tcpconnect and tcplife share one network engine): size zeroed bytes,
 * the same for every call with key, freed by hub__free. NULL on ENOMEM.
 */
void *hub__shared(struct hub *h, const char *key, size_t size);

#endif
