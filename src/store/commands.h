/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The recording commands: `record`, `report` and `top --replay`. */
#ifndef TRACERHUB_STORE_COMMANDS_H
#define TRACERHUB_STORE_COMMANDS_H

#include <stdbool.h>

/* `tracerhub record -o FILE.db ...` (argv[0] is "record"). Returns the exit code. */
int store__cmd_record(int argc, char **argv);
/* `tracerhub report FILE.db ...` (argv[0] is "report"). Returns the exit code. */
int store__cmd_report(int argc, char **argv);
/* True when a `top` command line asks for --replay (then call store__cmd_replay). */
bool store__replay_requested(int argc, char **argv);
/* `tracerhub top --replay FILE.db ...` (argv[0] is "top"). Returns the exit code. */
int store__cmd_replay(int argc, char **argv);

#endif
