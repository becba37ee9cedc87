/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `tracerhub doctor` and `tracerhub list`: what this kernel can do, which tracers can run. */
#ifndef TRACERHUB_CLI_DOCTOR_H
#define TRACERHUB_CLI_DOCTOR_H

#include <stdbool.h>

/* Print each feature (ok/missing, meaning) and each tracer's verdict. Returns an exit code. */
int doctor__run(bool json);
/* Print every tracer with its summary and whether it can run here. Returns an exit code. */
int doctor__list(bool json);

#endif
