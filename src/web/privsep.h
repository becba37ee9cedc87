/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Privilege separation for `serve` (as in OpenSSH): a collector that keeps
 * the few capabilities tracing needs and holds no network socket, and a
 * server child (uid 65534, no capabilities, no_new_privs, a seccomp
 * allow-list) that gets each snapshot over a socketpair and serves every
 * client. Either ending ends the other.
 */
#ifndef TRACERHUB_WEB_PRIVSEP_H
#define TRACERHUB_WEB_PRIVSEP_H

#include <stddef.h>
#include <sys/types.h>

struct snapshot;

struct privsep_sender;

/* The collector's end of the socketpair, its sending thread, and the server child. */
struct privsep {
	pid_t pid;
	int fd;
	struct privsep_sender *tx;
};

/* The server's end: a frame being received. */
struct privsep_rx {
	int fd;
	char *buf;
	size_t len, cap;
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
 * Fork the server: the child runs server(ctx, fd) with fd its end of the
 * socketpair (SIGTERM when the collector dies) and exits with its return
 * value. Returns 0 in the collector with p filled, or a negative errno.
 */
int privsep__fork(struct privsep *p, int (*server)(void *ctx, int fd), void *ctx);
/*
 * Hand s (at most max_events of its events) to the sending thread without
 * ever waiting for the server: when the previous one has not gone out yet,
 * the newer replaces it (counted in the log). 0, -ENOMEM, or -EPIPE when the
 * server is gone.
 */
int privsep__send(struct privsep *p, const struct snapshot *s, size_t max_events);
/*
 * Read what fd has (non-blocking) towards the next snapshot; decode it into
 * s once whole. Returns 1 with s set, 0 when more bytes are needed, -EPIPE
 * when the collector is gone, -EPROTO for a frame that is not a snapshot, or
 * -ENOMEM.
 */
int privsep_rx__recv(struct privsep_rx *rx, struct snapshot *s);
/* Free the receive buffer. */
void privsep_rx__free(struct privsep_rx *rx);
/*
 * Close the collector's end (the server sees the end) and reap the child.
 * Returns 0 when it exited 0, -ECHILD when it failed or was killed (said).
 */
int privsep__finish(struct privsep *p);

/*
 * The collector after attaching: keep only CAP_BPF and CAP_PERFMON (attach,
 * detach, read maps) and CAP_SYS_ADMIN (BPF_ENABLE_STATS, the run-time
 * statistics, checks it), in every set and the bounding set; no_new_privs.
 * Capabilities are per thread: call it on the thread that goes on tracing
 * (the sending thread started by privsep__fork keeps none). 0 or a negative
 * errno.
 */
int privsep__collector_caps(void);
/* The server: become uid/gid (all capabilities go), no_new_privs. 0 or a negative errno. */
int privsep__drop_to(uid_t uid, gid_t gid);
/* The server's seccomp allow-list (other syscalls fail with EPERM). 0 or a negative errno. */
int privsep__seccomp(void);

#endif
