/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* What this kernel can do for us, found by trying it (load a tiny program, open an event). */
#ifndef TRACERHUB_CORE_FEATURES_H
#define TRACERHUB_CORE_FEATURES_H

#include <stdbool.h>

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
	bool mounted_tracefs;	   /* we mounted it during the probe */
};

/* Probe every feature (mounts tracefs when missing). Never fails: results say what works. */
void features__probe(struct features *f);
/* Short name of a feature, e.g. "tp_btf". */
const char *feature__name(enum feature feat);
/* What a feature is for, in a sentence (for `doctor`). */
const char *feature__meaning(enum feature feat);

#endif
