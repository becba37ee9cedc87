/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `tracerhub doctor` and `tracerhub list`: what this kernel can do, which tracers can run. */
#ifndef TRACERHUB_CLI_DOCTOR_H
#define TRACERHUB_CLI_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

/* Print each feature (ok/missing, meaning) and each tracer's verdict. Returns an exit code. */
int doctor__run(bool json);
/* Print every tracer with its summary and whether it can run here. Returns an exit code. */
int doctor__list(bool json);
/*
 * Why a load failed, from what libbpf said (log): the verifier's last words
 * (the last line of its log that is not an instruction it walked nor its
 * summary) after the program's name, else libbpf's first "failed" line, into
 * out (len bytes). False when neither is there.
 */
bool doctor__reason(const char *log, char *out, size_t len);

#endif
