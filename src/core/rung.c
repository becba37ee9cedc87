// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "core/features.h"
#include "core/rung.h"
#include "core/tracefs.h"

static const char *const rung_names[RUNG_COUNT] = {
	[RUNG_TP_BTF] = "tp_btf",
	[RUNG_RAW_TP] = "raw_tp",
	[RUNG_TRACEPOINT] = "tracepoint",
};

/* Section prefixes of each rung's programs. */
static const char *const rung_sections[RUNG_COUNT] = {
	[RUNG_TP_BTF] = "tp_btf/",
	[RUNG_RAW_TP] = "raw_tp/",
	[RUNG_TRACEPOINT] = "tracepoint/",
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

bool rung__has_hook(enum rung r, const char *category, const char *name)
{
	if (r == RUNG_TRACEPOINT)
		return tracefs__has_event(category, name);
	return libbpf_find_vmlinux_btf_id(name, BPF_TRACE_RAW_TP) >= 0;
}

void rung__skip_hook(struct bpf_program *btf, struct bpf_program *raw, struct bpf_program *tp)
{
	bpf_program__set_autoload(btf, false);
	bpf_program__set_autoload(raw, false);
	bpf_program__set_autoload(tp, false);
}

void rung__keep_hook_if_present(enum rung r, const char *category, const char *name,
				struct bpf_program *btf, struct bpf_program *raw,
				struct bpf_program *tp)
{
	if (!rung__has_hook(r, category, name))
		rung__skip_hook(btf, raw, tp);
}

/* The rung a program belongs to by its section, or RUNG_COUNT for other kinds. */
static enum rung prog_rung(const struct bpf_program *prog)
{
	const char *sec = bpf_program__section_name(prog);

	for (int r = 0; r < RUNG_COUNT; r++)
		if (!strncmp(sec, rung_sections[r], strlen(rung_sections[r])))
			return r;
	return RUNG_COUNT;
}

void rung__select(struct bpf_object *obj, enum rung r)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		enum rung pr = prog_rung(prog);

		if (pr != RUNG_COUNT && pr != r)
			bpf_program__set_autoload(prog, false);
	}
}
