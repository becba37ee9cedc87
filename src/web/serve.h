/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* `tracerhub serve`: the session with the web API, /metrics and the dashboard as its sink. */
#ifndef TRACERHUB_WEB_SERVE_H
#define TRACERHUB_WEB_SERVE_H

/* The serve command (argv[0] is "serve"). Returns the exit code: 0, 1 on failure, 2 on usage. */
int serve__main(int argc, char **argv);

#endif
