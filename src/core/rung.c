// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/features.h"
#include "core/rung.h"
#include "core/tracefs.h"

static const char *const rung_names[RUNG_COUNT] = {
	[RUNG_TP_BTF] = "tp_btf",
	[RUNG_RAW_TP] = "raw_tp",
	[RUNG_TRACEPOINT] = "tracepoint",
};

const char *rung__name(enum rung r)
{
	return r >= 0 && r < RUNG_COUNT ? rung_names[r] : "auto";
}

int rung__parse(const char *name)
{
	if (!strcmp(name, "auto"))
		return RUNG_AUTO;
	for (int r = 0; r < RUNG_COUNT; r++)
		if (!strcmp(name, rung_names[r]))
			return r;
	return -EINVAL;
}

int rung__feature(enum rung r)
{
	return r == RUNG_TP_BTF ? FEAT_TP_BTF : r == RUNG_RAW_TP ? FEAT_RAW_TP : FEAT_TRACEPOINT;
}

bool rung__available(enum rung r, const struct features *f)
{
	return r >= 0 && r < RUNG_COUNT && f->ok[rung__feature(r)];
}

int rung__probe_any(const struct features *f, const char **why)
{
	for (int r = 0; r < RUNG_COUNT; r++)
		if (rung__available(r, f))
			return 0;
	*why = "no tracepoint rung (tp_btf, raw_tp, tracepoint) works";
	return -ENOTSUP;
}

bool rung__has_hook(const struct btf *vmlinux, enum rung r, const char *category,
		    const char *name)
{
	char type[128];

	if (r == RUNG_TRACEPOINT)
		return tracefs__has_event(category, name);
	snprintf(type, sizeof(type), "btf_trace_%s", name);
	return vmlinux && btf__find_by_name_kind(vmlinux, type, BTF_KIND_TYPEDEF) >= 0;
}
