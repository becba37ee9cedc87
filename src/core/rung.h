/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Attach rungs: the hub has every tracepoint's program three times
 * (SEC("tp_btf/..."), SEC("raw_tp/..."), SEC("tracepoint/...")); the rung
 * decides which of them load. Preferred first.
 */
#ifndef TRACERHUB_CORE_RUNG_H
#define TRACERHUB_CORE_RUNG_H

#include <stdbool.h>

struct btf;
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
 * True when tracepoint category:name can be attached at rung r: its
 * btf_trace_ type in vmlinux (the kernel's BTF, loaded once by the caller)
 * for tp_btf and raw_tp, its tracefs event for tracepoint.
 */
bool rung__has_hook(const struct btf *vmlinux, enum rung r, const char *category,
		    const char *name);

#endif
