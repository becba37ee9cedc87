/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Attach rungs: every tracepoint hook is written three times in a tracer's
 * .bpf.c (SEC("tp_btf/..."), SEC("raw_tp/..."), SEC("tracepoint/...")); the
 * rung decides which of them load. Preferred first.
 */
#ifndef TRACERHUB_CORE_RUNG_H
#define TRACERHUB_CORE_RUNG_H

#include <stdbool.h>

struct bpf_object;
struct bpf_program;
struct features;

enum rung {
	RUNG_TP_BTF,
	RUNG_RAW_TP,
	RUNG_TRACEPOINT,
	RUNG_COUNT,
	RUNG_AUTO = -1, /* try each available rung in order */
};

/* Name of a rung ("tp_btf", "raw_tp", "tracepoint"). */
const char *rung__name(enum rung r);
/* The rung called name, RUNG_AUTO for "auto", or -EINVAL. */
int rung__parse(const char *name);
/* The feature (enum feature) that rung r needs. */
int rung__feature(enum rung r);
/* True when this kernel can attach at rung r. */
bool rung__available(enum rung r, const struct features *f);
/* A tracer probe: 0 when some rung works, else -ENOTSUP with *why set. */
int rung__probe_any(const struct features *f, const char **why);
/*
 * True when tracepoint category:name can be attached at rung r (its
 * btf_trace_ type for tp_btf and raw_tp, its tracefs event for tracepoint).
 */
bool rung__has_hook(enum rung r, const char *category, const char *name);
/* Leave out the three programs of a hook (tp_btf, raw_tp and tracepoint flavours). */
void rung__skip_hook(struct bpf_program *btf, struct bpf_program *raw, struct bpf_program *tp);
/*
 * Leave out the three programs of a hook (tp_btf, raw_tp and tracepoint
 * flavours) when this kernel lacks tracepoint category:name at rung r.
 */
void rung__keep_hook_if_present(enum rung r, const char *category, const char *name,
				struct bpf_program *btf, struct bpf_program *raw,
				struct bpf_program *tp);
/*
 * Set autoload of every tracepoint-style program in obj: on for programs of
 * rung r, off for the other rungs; programs of other kinds are left alone.
 */
void rung__select(struct bpf_object *obj, enum rung r);

#endif
