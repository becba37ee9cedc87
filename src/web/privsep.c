// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "core/log.h"
#include "model/history.h"
#include "model/snapshot.h"
#include "query/api.h"
#include "web/privsep.h"
#include "web/query_socket.h"

#define FRAME_MAX   (256UL << 20) /* no snapshot comes near this */
#define DROP_USER   "nobody"
#define NOBODY_ID   65534
#define SERVER_NICE 5 /* the server process runs this much nicer than the collector */

/*
 * The wire form of a snapshot: this header, then the arrays rows, hists,
 * tables (rows pointers zeroed), every table's rows, events, health. Table
 * column names and event field keys are pointers to static strings: both
 * processes run the same image (fork without exec), so they stay valid.
 */
struct wire_head {
	__u64 len; /* bytes after the length itself */
	__u64 ts_ns, interval_ns, metrics_present, events_lost;
	__u64 final;
	__u64 nrows, nhists, ntables, nevents, nhealth, text_len, nevent_counts;
	struct snap_event_count event_counts[SNAP_EVENT_TRACERS];
};

struct privsep_sender {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *next; /* the newest frame not yet taken by the thread */
	size_t next_len;
	bool stop, gone;
	unsigned long long replaced;
};

int privsep__encode(const struct snapshot *s, size_t max_events, char **buf, size_t *len)
{
	size_t nevents = s->nevents < max_events ? s->nevents : max_events;
	struct wire_head h = {
	    .ts_ns = s->ts_ns, .interval_ns = s->interval_ns,
	    .metrics_present = s->metrics_present,
	    .events_lost = s->events_lost + (s->nevents - nevents), .final = s->final,
	    .nrows = s->nrows, .nhists = s->nhists, .ntables = s->ntables, .nevents = nevents,
	    .nhealth = s->nhealth, .text_len = s->text_len, .nevent_counts = s->nevent_counts};
	size_t n = sizeof(h) + s->nrows * sizeof(*s->rows) + s->nhists * sizeof(*s->hists) +
		   s->ntables * sizeof(*s->tables) + nevents * sizeof(*s->events) +
		   s->nhealth * sizeof(*s->health) + s->text_len;
	char *p;

	memcpy(h.event_counts, s->event_counts, sizeof(h.event_counts));
	for (size_t i = 0; i < s->ntables; i++)
		n += s->tables[i].nrows * sizeof(*s->tables[i].rows);
	p = malloc(n);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*len = n;
	h.len = n - sizeof(h.len);
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
#define PUT(src, cnt)                                   \
	do {                                            \
		if (cnt)                                \
			memcpy(p, src, (cnt) * sizeof(*(src))); \
		p += (cnt) * sizeof(*(src));            \
	} while (0)
	PUT(s->rows, s->nrows);
	PUT(s->hists, s->nhists);
	for (size_t i = 0; i < s->ntables; i++) {
		struct snap_table t = s->tables[i];

		t.rows = NULL;
		t.cap = 0;
		PUT(&t, 1);
	}
	for (size_t i = 0; i < s->ntables; i++)
		PUT(s->tables[i].rows, s->tables[i].nrows);
	PUT(s->events, nevents);
	PUT(s->health, s->nhealth);
	PUT(s->text, s->text_len);
#undef PUT
	return 0;
}

/* Take cnt elements of size sz from *p (left bytes *left) into a fresh array *dst. */
static int take(void **dst, const char **p, size_t *left, __u64 cnt, size_t sz)
{
	if (cnt > *left / (sz ? sz : 1) || cnt * sz > *left)
		return -EPROTO;
	*dst = NULL;
	if (cnt) {
		*dst = malloc(cnt * sz);
		if (!*dst)
			return -ENOMEM;
		memcpy(*dst, *p, cnt * sz);
	}
	*p += cnt * sz;
	*left -= cnt * sz;
	return 0;
}

#define TAKE(dst, cnt) take((void **)&(dst), &p, &left, (cnt), sizeof(*(dst)))

int privsep__decode(struct snapshot *s, const char *buf, size_t len)
{
	struct wire_head h;
	const char *p = buf + sizeof(h);
	size_t left = len - sizeof(h);
	int err;

	snapshot__free(s);
	memset(s, 0, sizeof(*s));
	if (len < sizeof(h))
		return -EPROTO;
	memcpy(&h, buf, sizeof(h));
	if (h.nevent_counts > SNAP_EVENT_TRACERS)
		return -EPROTO;
	err = TAKE(s->rows, h.nrows);
	if (!err)
		err = TAKE(s->hists, h.nhists);
	if (!err)
		err = TAKE(s->tables, h.ntables);
	if (err)
		goto fail;
	s->nrows = s->rows_cap = h.nrows;
	s->nhists = s->hists_cap = h.nhists;
	s->ntables = s->tables_cap = h.ntables;
	for (size_t i = 0; i < s->ntables; i++)
		s->tables[i].rows = NULL;
	for (size_t i = 0; i < s->ntables; i++) {
		struct snap_table *t = &s->tables[i];

		err = TAKE(t->rows, t->nrows);
		if (err) {
			t->nrows = 0;
			goto fail;
		}
		t->cap = t->nrows;
	}
	err = TAKE(s->events, h.nevents);
	if (!err)
		err = TAKE(s->health, h.nhealth);
	if (!err)
		err = TAKE(s->text, h.text_len);
	if (!err && left)
		err = -EPROTO;
	if (err)
		goto fail;
	s->nevents = s->events_cap = h.nevents;
	s->nhealth = s->health_cap = h.nhealth;
	s->text_len = s->text_cap = h.text_len;
	s->ts_ns = h.ts_ns;
	s->interval_ns = h.interval_ns;
	s->metrics_present = h.metrics_present;
	s->events_lost = h.events_lost;
	memcpy(s->event_counts, h.event_counts, sizeof(s->event_counts));
	s->nevent_counts = (unsigned int)h.nevent_counts;
	s->final = h.final;
	return 0;
fail:
	snapshot__free(s);
	memset(s, 0, sizeof(*s));
	return err;
}

/* Write all of buf[0..len) to fd; 0 or -EPIPE. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EPIPE;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

#define CAP(c) (1ULL << (c))
#define COLLECTOR_CAPS (CAP(CAP_BPF) | CAP(CAP_PERFMON) | CAP(CAP_SYS_ADMIN))

/*
 * Keep only the capabilities in the mask permitted (effective: those in
 * effective, a subset) in the calling thread (Linux keeps them per thread);
 * drop the others from the bounding set too; no_new_privs. 0 or a negative
 * errno.
 */
static int caps__keep(__u64 effective, __u64 permitted)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {{0}};

	for (int cap = 0; cap < 64; cap++) {
		if (permitted & CAP(cap)) {
			data[cap / 32].permitted |= 1U << (cap % 32);
			if (effective & CAP(cap))
				data[cap / 32].effective |= 1U << (cap % 32);
		} else if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL) {
			return -errno;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) ||
	    syscall(SYS_capset, &hdr, data) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return 0;
}

/* The sending thread: the session hands frames over and never waits for the server. */
static void *sender__run(void *arg)
{
	struct privsep *p = arg;
	struct privsep_sender *t = p->tx;

	/* it only writes to the socketpair: no capability at all */
	if (caps__keep(0, 0)) {
		log__error("cannot drop the sending thread's capabilities: %s", strerror(errno));
		pthread_mutex_lock(&t->lock);
		t->gone = true;
		pthread_mutex_unlock(&t->lock);
		return NULL;
	}

	pthread_mutex_lock(&t->lock);
	for (;;) {
		char *buf;
		size_t len;
		int err;

		while (!t->next && !t->stop)
			pthread_cond_wait(&t->cond, &t->lock);
		if (t->stop)
			break;
		buf = t->next;
		len = t->next_len;
		t->next = NULL;
		pthread_mutex_unlock(&t->lock);
		err = write_all(p->fd, buf, len);
		free(buf);
		pthread_mutex_lock(&t->lock);
		if (err) {
			t->gone = true;
			break;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

/*
 * Hand s (at most max_events of its events) to the sending thread without
 * ever waiting for the server: when the previous one has not gone out yet,
 * the newer replaces it (counted in the log). 0, -ENOMEM, or -EPIPE when the
 * server is gone.
 */
static int send_snapshot(struct privsep *p, const struct snapshot *s, size_t max_events)
{
	struct privsep_sender *t = p->tx;
	char *buf, *old;
	size_t len;
	int err = privsep__encode(s, max_events, &buf, &len);

	if (err)
		return err;
	pthread_mutex_lock(&t->lock);
	old = t->next;
	t->next = buf;
	t->next_len = len;
	if (old && !(t->replaced++ % 100))
		log__info("the server process is behind: %llu snapshot(s) replaced by newer ones",
			  t->replaced);
	err = t->gone ? -EPIPE : 0;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	free(old);
	return err;
}

/*
 * Read what rx->fd has (non-blocking) towards the next snapshot; decode it
 * into s once whole. Returns 1 with s set, 0 when more bytes are needed,
 * -EPIPE when the collector is gone, -EPROTO for a frame that is not a
 * snapshot, or -ENOMEM.
 */
static int rx_recv(struct privsep_rx *rx, struct snapshot *s)
{
	for (;;) {
		size_t want = sizeof(struct wire_head);
		ssize_t n;

		if (rx->len >= sizeof(__u64)) {
			__u64 flen;

			memcpy(&flen, rx->buf, sizeof(flen));
			if (flen > FRAME_MAX || flen < sizeof(struct wire_head) - sizeof(flen))
				return -EPROTO;
			want = (size_t)flen + sizeof(flen);
		}
		if (rx->len == want && rx->len >= sizeof(struct wire_head)) {
			int err = privsep__decode(s, rx->buf, rx->len);

			rx->len = 0;
			return err ? err : 1;
		}
		if (want > rx->cap) {
			char *nb = realloc(rx->buf, want);

			if (!nb)
				return -ENOMEM;
			rx->buf = nb;
			rx->cap = want;
		}
		n = recv(rx->fd, rx->buf + rx->len, want - rx->len, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -EPIPE;
		rx->len += (size_t)n;
	}
}

static int serve_main(struct privsep_server *sv, int fd);

/* Fork the server process running serve_main(sv, its end of the socketpair). */
static int fork_server(struct privsep *p, struct privsep_server *srv)
{
	pid_t parent = getpid();
	sigset_t all, old;
	int sv[2], err;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	p->tx = calloc(1, sizeof(*p->tx));
	if (!p->tx)
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		err = -errno;
		goto fail;
	}
	p->pid = fork();
	if (p->pid < 0) {
		err = -errno;
		close(sv[0]);
		close(sv[1]);
		goto fail;
	}
	if (!p->pid) {
		close(sv[0]);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(1);
		_exit(serve_main(srv, sv[1]));
	}
	close(sv[1]);
	p->fd = sv[0];
	pthread_mutex_init(&p->tx->lock, NULL);
	pthread_cond_init(&p->tx->cond, NULL);
	/* signals are the session's: the thread must never take one */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&p->tx->thread, NULL, sender__run, p);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		pthread_cond_destroy(&p->tx->cond);
		pthread_mutex_destroy(&p->tx->lock);
		close(p->fd);
		p->fd = -1;
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		goto fail;
	}
	return 0;
fail:
	free(p->tx);
	p->tx = NULL;
	return err;
}

int privsep__raise_dac(const struct privsep *p)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	const unsigned int bit = 1U << (CAP_DAC_OVERRIDE % 32);

	if (!p->keep_dac || syscall(SYS_capget, &hdr, data))
		return p->keep_dac ? -errno : 0;
	data[CAP_DAC_OVERRIDE / 32].effective |= data[CAP_DAC_OVERRIDE / 32].permitted & bit;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

int privsep__finish(struct privsep *p)
{
	int status = 0;

	if (!p->tx)
		return 0;
	pthread_mutex_lock(&p->tx->lock);
	p->tx->stop = true;
	pthread_cond_signal(&p->tx->cond);
	pthread_mutex_unlock(&p->tx->lock);
	shutdown(p->fd, SHUT_RDWR); /* a send blocked on a stuck server returns */
	pthread_join(p->tx->thread, NULL);
	free(p->tx->next);
	pthread_cond_destroy(&p->tx->cond);
	pthread_mutex_destroy(&p->tx->lock);
	free(p->tx);
	p->tx = NULL;
	close(p->fd);
	p->fd = -1;
	while (waitpid(p->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		log__error("the server process (pid %d) was killed by signal %d", (int)p->pid,
			   WTERMSIG(status));
		return -ECHILD;
	}
	if (WEXITSTATUS(status)) {
		log__error("the server process (pid %d) failed (exit %d)", (int)p->pid,
			   WEXITSTATUS(status));
		return -ECHILD;
	}
	return 0;
}

int privsep__ready(void *ctx)
{
	const struct privsep *p = ctx;
	int err = caps__keep(COLLECTOR_CAPS,
			     COLLECTOR_CAPS | (p->keep_dac ? CAP(CAP_DAC_OVERRIDE) : 0));

	if (err)
		log__error("cannot drop the collector's capabilities: %s", strerror(-err));
	return err;
}

/* The server: become uid/gid (all capabilities go), no_new_privs. 0 or a negative errno. */
static int drop_to(uid_t uid, gid_t gid)
{
	int err = 0;

	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		err = -errno;
	if (err)
		log__error("cannot drop privileges to uid %u: %s", (unsigned int)uid,
			   strerror(-err));
	return err;
}

#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#endif

/* The server's seccomp allow-list (other syscalls fail with EPERM). 0 or a negative errno. */
static int install_seccomp(void)
{
#ifdef SECCOMP_ARCH
	/*
	 * what the server loop, malloc, stdio on stderr and exiting use, and
	 * SQLite reading a recording (pread64, fcntl locks, mmap of the -shm)
	 */
	static const int allowed[] = {
		SYS_read, SYS_write, SYS_writev, SYS_pread64, SYS_close, SYS_recvfrom,
		SYS_recvmsg, SYS_sendto, SYS_sendmsg, SYS_accept4, SYS_shutdown, SYS_epoll_pwait,
		SYS_epoll_ctl, SYS_fcntl, SYS_fstat, SYS_newfstatat, SYS_lseek, SYS_brk,
		SYS_mmap, SYS_munmap, SYS_mremap, SYS_madvise, SYS_mprotect, SYS_futex,
		SYS_clock_gettime, SYS_gettimeofday, SYS_clock_nanosleep, SYS_rt_sigprocmask,
		SYS_rt_sigreturn, SYS_getpid, SYS_gettid, SYS_tgkill, SYS_exit, SYS_exit_group,
		SYS_restart_syscall, SYS_getrandom, SYS_sched_yield,
#ifdef SYS_epoll_wait
		SYS_epoll_wait,
#endif
#ifdef SYS_accept
		SYS_accept,
#endif
	};
	enum { N = sizeof(allowed) / sizeof(allowed[0]) };
	struct sock_filter f[N + 6];
	struct sock_fprog prog = {.filter = f};
	size_t k = 0;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_ARCH, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	for (size_t i = 0; i < N; i++)
		/* a match jumps over the remaining tests and the EPERM to the ALLOW */
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
						      (unsigned int)allowed[i],
						      (unsigned char)(N - i), 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)k;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0)) {
		int err = -errno;

		log__error("cannot install the server's seccomp filter: %s", strerror(-err));
		return err;
	}
#endif
	return 0;
}

/* The feed of the server: publish every whole snapshot the collector sent. */
static int serve_feed(void *ctx)
{
	struct privsep_server *sv = ctx;
	int published = 0;

	for (;;) {
		int r = rx_recv(&sv->rx, &sv->snap);

		if (r <= 0)
			return r < 0 ? r : published;
		r = api__publish(sv->api, &sv->snap);
		if (r) {
			log__error("cannot keep the snapshot: %s", strerror(-r));
			return r;
		}
		published = 1;
	}
}

/*
 * Wait (still privileged, serving nobody) for the collector's first
 * snapshot and run sv->prepare. 1 when it ran, 0 when the collector ended
 * first, else a negative errno.
 */
static int serve_prepare(struct privsep_server *sv)
{
	struct pollfd pfd = {.fd = sv->rx.fd, .events = POLLIN};
	int r;

	while ((r = rx_recv(&sv->rx, &sv->snap)) == 0)
		if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return -errno;
	if (r < 0)
		return r == -EPIPE ? 0 : r;
	r = sv->prepare(sv->prepare_ctx);
	return r ? r : 1;
}

/* The server process: no privilege, no capability, only the syscalls serving needs. */
static int serve_main(struct privsep_server *sv, int fd)
{
	struct web_feed feed = {.fd = fd, .on_ready = serve_feed, .ctx = sv};
	struct web_server *server;
	int err = 0;

	sv->rx.fd = fd;
	/* under a flood of clients the collector's intervals come first */
	setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + SERVER_NICE);
	if (sv->prepare) {
		err = serve_prepare(sv);
		if (err <= 0)
			return err ? 1 : 0;
		err = api__publish(sv->api, &sv->snap);
		if (err) {
			log__error("cannot keep the snapshot: %s", strerror(-err));
			return 1;
		}
	}
	if (drop_to(sv->uid, sv->gid))
		return 1;
	server = web_server__new(sv->api, sv->lfd, &sv->wo);
	if (!server) {
		log__error("cannot start the server: %s", strerror(errno));
		return 1;
	}
	err = install_seccomp();
	if (!err) {
		log__info("server process %d: uid %u, no capabilities, seccomp on", (int)getpid(),
			  (unsigned int)sv->uid);
		err = web_server__run(server, &feed, sv->qs);
	}
	web_server__free(server);
	return err && err != -EPIPE ? 1 : 0; /* EPIPE: the collector ended */
}

int privsep__start(struct privsep *p, struct privsep_server *sv)
{
	const struct passwd *pw = getpwnam(DROP_USER);
	int err;

	sv->uid = pw ? pw->pw_uid : NOBODY_ID;
	sv->gid = pw ? pw->pw_gid : NOBODY_ID;
	err = fork_server(p, sv);
	if (err) {
		log__error("cannot start the server process: %s", strerror(-err));
		return err;
	}
	/* the collector holds no client socket */
	if (sv->lfd >= 0)
		close(sv->lfd);
	sv->lfd = -1;
	query_socket__release(sv->qs);
	return 0;
}

int privsep__emit(void *ctx, const struct snapshot *s)
{
	int err = send_snapshot(ctx, s, PRIVSEP_EVENTS);

	return err == -EPIPE ? 0 : err; /* privsep__input ends the session */
}

/* The server's end became readable: it never writes, so it ended. */
enum sink_action privsep__input(void *ctx, unsigned int *interval_ms)
{
	struct privsep *p = ctx;
	char c;

	if (recv(p->fd, &c, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN)
		return SINK_CONTINUE;
	log__error("the server process %d ended: stopping", (int)p->pid);
	return SINK_QUIT;
}
