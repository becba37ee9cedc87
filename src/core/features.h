/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What this kernel can do for us, found by trying it (load a tiny program, open an event). */
#ifndef TRACERHUB_CORE_FEATURES_H
#define TRACERHUB_CORE_FEATURES_H

#include <stdbool.h>

struct btf;

enum feature {
	FEAT_BTF,
	FEAT_TRACEFS,
	FEAT_TP_BTF,
	FEAT_RAW_TP,
	FEAT_TRACEPOINT,
	FEAT_KPROBE,
	FEAT_FENTRY,
	FEAT_UPROBE,
	FEAT_RINGBUF,
	FEAT_PERF_SW,
	FEAT_BPF_STATS,
	FEAT_ITER_TASK,
	FEAT_COUNT
};

struct features {
	bool ok[FEAT_COUNT];
	int err[FEAT_COUNT];	   /* negative errno of the failed try, 0 when ok */
	bool probed[FEAT_COUNT];   /* tried (ok and err hold the result) */
	bool mounted_tracefs;	   /* we mounted it during the probe */
	struct btf *vmlinux;	   /* the kernel's BTF, parsed once (each parse takes tens of ms) */
};

#define FEATURES_ALL ((1U << FEAT_COUNT) - 1)
#define FEATURE_BIT(feat) (1U << (feat))

/*
 * Probe the features of mask (FEATURE_BIT()s) not probed yet: tracefs is
 * mounted when missing. f starts zeroed. Never fails: results say what works.
 */
void features__probe(struct features *f, unsigned int mask);
/*
 * Probe what a run needs: BTF, the first attach rung that works (tp_btf, else
 * raw_tp, else tracefs and classic tracepoints), uprobes, ring buffers, perf
 * software events and the task iterator. Not the doctor-only features
 * (kprobe, fentry, run-time statistics): their probes cost tens of ms.
 */
void features__probe_run(struct features *f);
/* Free what the probes kept (the BTF); f may be probed again after. */
void features__free(struct features *f);
/* Short name of a feature, e.g. "tp_btf". */
const char *feature__name(enum feature feat);
/* What a feature is for, in a sentence (for `doctor`). */
const char *feature__meaning(enum feature feat);

#endif
