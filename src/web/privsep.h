/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Privilege separation for `serve` and `record --socket` (as in OpenSSH): a
 * collector that keeps the few capabilities tracing needs and holds no
 * client socket, and a server child (uid 65534, no capabilities,
 * no_new_privs, a seccomp allow-list) that gets each snapshot over a
 * socketpair and serves every client (HTTP, the query socket). Either
 * ending ends the other.
 */
#ifndef TRACERHUB_WEB_PRIVSEP_H
#define TRACERHUB_WEB_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "core/sink.h"
#include "model/snapshot.h"
#include "web/server.h"

#define PRIVSEP_EVENTS 256 /* events sent per snapshot (the history keeps as many) */

struct api_ctx;
struct query_socket;
struct privsep_sender;

/*
 * The collector's end of the socketpair, its sending thread (it hands each
 * snapshot over without ever waiting for the server: a newer one replaces
 * one not yet sent), and the server child.
 */
struct privsep {
	pid_t pid;
	int fd;
	struct privsep_sender *tx;
	/*
	 * Set by a collector that writes a file (record): privsep__ready keeps
	 * CAP_DAC_OVERRIDE permitted but not effective, for privsep__raise_dac.
	 */
	bool keep_dac;
};

/* The server's end: a frame being received (privsep.c's own). */
struct privsep_rx {
	int fd;
	char *buf;
	size_t len, cap;
};

/* What the server process serves: set up (as root) before privsep__start. */
struct privsep_server {
	struct api_ctx *api;	  /* every snapshot received is published here */
	int lfd;		  /* the HTTP listening socket, or -1 for none */
	struct web_server_opts wo;
	struct query_socket *qs;  /* the query socket, or NULL */
	/*
	 * Optional: called in the server process once the first snapshot
	 * arrived, before privileges go (e.g. to open the recording the
	 * collector has just created). 0 or a negative errno (then it exits 1).
	 */
	int (*prepare)(void *ctx);
	void *prepare_ctx;
	/* the server process' own */
	uid_t uid;
	gid_t gid;
	struct privsep_rx rx;
	struct snapshot snap;
};

/*
 * The frame for s (at most max_events of its events) into *buf (malloc'd),
 * *len bytes. Table column names and event field keys go as pointers to
 * static strings: only a process running the same image (a fork) may decode
 * it. 0 or -ENOMEM.
 */
int privsep__encode(const struct snapshot *s, size_t max_events, char **buf, size_t *len);
/* Decode a whole frame of len bytes into s (freed first). 0, -EPROTO or -ENOMEM. */
int privsep__decode(struct snapshot *s, const char *buf, size_t len);
/*
 * Fork the server process for sv: it becomes `nobody` (65534 when there is
 * no such user) with no capability, no_new_privs and the seccomp allow-list,
 * at nice +5, and serves until the collector ends (SIGTERM when it dies).
 * In the collector, sv->lfd is closed and sv->qs released (it holds no
 * client socket). Returns 0 with p filled, or a negative errno after
 * log__error. Call it before any SQLite file is opened in this process:
 * the server must not inherit SQLite's per-process state.
 */
int privsep__start(struct privsep *p, struct privsep_server *sv);
/*
 * sink.emit of the collector (ctx is the struct privsep): s, at most
 * PRIVSEP_EVENTS of its events, to the server; 0 also when it is gone (then
 * privsep__input ends the session), else -ENOMEM.
 */
int privsep__emit(void *ctx, const struct snapshot *s);
/*
 * sink.ready of the collector, once every tracer is attached: keep only
 * CAP_BPF and CAP_PERFMON (attach, detach, read maps) and CAP_SYS_ADMIN
 * (BPF_ENABLE_STATS, the run-time statistics, checks it), in every set and
 * the bounding set, in the session's thread; no_new_privs. 0 or a negative
 * errno (said).
 */
int privsep__ready(void *ctx);
/* sink.on_input of the collector, input_fd its end: the server ended, so quit (said). */
enum sink_action privsep__input(void *ctx, unsigned int *interval_ms);
/*
 * With p->keep_dac, make CAP_DAC_OVERRIDE effective again in the calling
 * thread, for SQLite to delete its -wal and -shm beside a recording in a
 * directory of another user when the writer closes it. 0 or a negative errno.
 */
int privsep__raise_dac(const struct privsep *p);

/*
 * Close the collector's end (the server sees the end) and reap the child.
 * Returns 0 when it exited 0, -ECHILD when it failed or was killed (said).
 */
int privsep__finish(struct privsep *p);

#endif
