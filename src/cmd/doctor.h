/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `tracerhub doctor` and `tracerhub list`: what this kernel can do, which tracers can run. */
#ifndef TRACERHUB_CMD_DOCTOR_H
#define TRACERHUB_CMD_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

struct features;

/* Probe f when we can (root; true); without root nothing can be loaded, so nothing is probed. */
bool doctor__probe(struct features *f);
/*
 * Why a load failed, from what libbpf said (log): the verifier's last words
 * (the last line of its log that is not an instruction it walked nor its
 * summary) after the program's name, else libbpf's first "failed" line, into
 * out (len bytes). False when neither is there.
 */
bool doctor__reason(const char *log, char *out, size_t len);

#endif
