// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pcapng writer (draft-ietf-opsawg-pcapng): blocks in host byte order, built
 * in a buffer and written whole; a write that fails part-way is cut back to
 * the last whole block, so that what was written stays readable.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/types.h>
#include "core/clock.h"
#include "core/log.h"
#include "core/sink.h"
#include "model/grow.h"
#include "model/packet.h"
#include "sinks/pcapng.h"

#define BT_SHB		 0x0A0D0D0A
#define BT_IDB		 0x00000001
#define BT_EPB		 0x00000006
#define BYTE_ORDER_MAGIC 0x1A2B3C4D
#define OPT_END		 0
#define OPT_COMMENT	 1
#define OPT_SHB_USERAPPL 4
#define OPT_IF_NAME	 2
#define OPT_IF_TSRESOL	 9
#define MAX_IFS		 256
#define BUF_FLUSH	 (64 << 10)
#define FLUSH_NS	 50000000ULL /* buffered packets wait at most this (while packets come) */
#define COMMENT_MAX	 1024

struct iface {
	char name[32];
	__u32 linktype;
};

struct pcapng {
	int fd;
	bool regular;	  /* a regular file: a failed write can be cut back */
	const char *path; /* for messages: the user's name for it */
	unsigned int snaplen;
	__u8 *buf;
	size_t len, cap;
	off_t good;	  /* bytes of whole blocks written */
	__u64 last_flush; /* CLOCK_MONOTONIC ns */
	struct iface ifs[MAX_IFS];
	unsigned int nifs;
	unsigned long count;	/* packets written */
	unsigned long buffered; /* packets in the buffer */
	int err; /* the first failure: nothing more is written */
};

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Room for n more bytes in the buffer; 0 or -ENOMEM. */
static int reserve(struct pcapng *c, size_t n)
{
	return GROW(c->buf, c->cap, c->len + n);
}

static void put(struct pcapng *c, const void *p, size_t n)
{
	memcpy(c->buf + c->len, p, n);
	c->len += n;
}

static void put32(struct pcapng *c, __u32 v)
{
	put(c, &v, sizeof(v));
}

/* An option: code, length, value padded to 4 bytes. */
static void put_opt(struct pcapng *c, __u16 code, const void *v, size_t n)
{
	static const __u8 zero[4];
	__u16 h[2] = { code, (__u16)n };

	put(c, h, sizeof(h));
	put(c, v, n);
	put(c, zero, pad4(n) - n);
}

/* Start a block of type at the buffer's end: its offset (the length is set by end_block). */
static size_t begin_block(struct pcapng *c, __u32 type)
{
	size_t at = c->len;

	put32(c, type);
	put32(c, 0);
	return at;
}

static void end_block(struct pcapng *c, size_t at)
{
	__u32 total = (__u32)(c->len - at + 4);

	memcpy(c->buf + at + 4, &total, 4);
	put32(c, total);
}

/* Say once why the capture ends, and remember it. */
static int fail(struct pcapng *c, int err)
{
	c->err = err;
	if (err == -EPIPE)
		log__info("capture: the reader of %s left; %lu packet(s) written", c->path,
			  c->count);
	else
		log__error("cannot write %s: %s; the capture ends after %lu packet(s) (what was "
			   "written stays readable)", c->path, strerror(-err), c->count);
	return err;
}

/* Bytes of the whole blocks among the first done of the buffer; the packets among them in *n. */
static size_t whole_blocks(const struct pcapng *c, size_t done, unsigned long *n)
{
	size_t at = 0;
	__u32 type, len;

	*n = 0;
	while (at + 8 <= done) {
		memcpy(&type, c->buf + at, sizeof(type));
		memcpy(&len, c->buf + at + 4, sizeof(len));
		if (at + len > done)
			break;
		*n += type == BT_EPB;
		at += len;
	}
	return at;
}

/* Write the buffer out. 0, or a negative errno after fail(). */
static int flush(struct pcapng *c)
{
	size_t done = 0;

	c->last_flush = clock__ns(CLOCK_MONOTONIC);
	while (done < c->len) {
		ssize_t n = write(c->fd, c->buf + done, c->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int err = n < 0 ? -errno : -ENOSPC;
			unsigned long whole;

			/* cut the partial block off: whole blocks only */
			c->good += (off_t)whole_blocks(c, done, &whole);
			c->count += whole;
			if (c->regular && ftruncate(c->fd, c->good) == 0)
				lseek(c->fd, c->good, SEEK_SET);
			c->len = c->buffered = 0;
			return fail(c, err);
		}
		done += (size_t)n;
	}
	c->good += (off_t)c->len;
	c->count += c->buffered;
	c->buffered = 0;
	c->len = 0;
	return 0;
}

struct pcapng *pcapng__open(const char *path, unsigned int snaplen)
{
	struct pcapng *c = calloc(1, sizeof(*c));
	static const char appl[] = "tracerhub pktjourney";
	struct stat st;
	size_t at;

	if (!c) {
		log__error("out of memory");
		return NULL;
	}
	c->path = strcmp(path, "-") ? path : "stdout";
	c->snaplen = snaplen;
	c->fd = strcmp(path, "-") ? open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) :
				    STDOUT_FILENO;
	if (c->fd < 0) {
		log__error("cannot create %s: %s", path, strerror(errno));
		free(c);
		return NULL;
	}
	c->regular = !fstat(c->fd, &st) && S_ISREG(st.st_mode);
	if (reserve(c, BUF_FLUSH)) {
		log__error("out of memory");
		pcapng__close(c);
		return NULL;
	}
	at = begin_block(c, BT_SHB);
	put32(c, BYTE_ORDER_MAGIC);
	put32(c, 1); /* version 1.0 */
	put32(c, 0xffffffff); /* section length unknown: -1 */
	put32(c, 0xffffffff);
	put_opt(c, OPT_SHB_USERAPPL, appl, sizeof(appl) - 1);
	put_opt(c, OPT_END, NULL, 0);
	end_block(c, at);
	if (flush(c)) {
		pcapng__close(c);
		return NULL;
	}
	return c;
}

/* The interface number of (name, linktype), its description block added when new; -1 if full. */
static int iface_of(struct pcapng *c, const char *name, __u32 linktype)
{
	const __u8 tsresol = 9; /* nanoseconds */
	__u16 lt[2] = { (__u16)linktype, 0 };
	size_t at;

	for (unsigned int i = 0; i < c->nifs; i++)
		if (c->ifs[i].linktype == linktype && !strcmp(c->ifs[i].name, name))
			return (int)i;
	if (c->nifs == MAX_IFS)
		return -1;
	snprintf(c->ifs[c->nifs].name, sizeof(c->ifs[0].name), "%s", name);
	c->ifs[c->nifs].linktype = linktype;
	at = begin_block(c, BT_IDB);
	put(c, lt, sizeof(lt));
	put32(c, c->snaplen);
	if (name[0])
		put_opt(c, OPT_IF_NAME, name, strlen(name));
	put_opt(c, OPT_IF_TSRESOL, &tsresol, 1);
	put_opt(c, OPT_END, NULL, 0);
	end_block(c, at);
	return (int)c->nifs++;
}

static int pcapng_packet(void *ctx, const struct snap_packet *p)
{
	struct pcapng *c = ctx;
	size_t caplen = p->caplen < c->snaplen ? p->caplen : c->snaplen, at, clen;
	const char *comment = p->comment ? p->comment : "";
	int ifno;

	if (c->err)
		return c->err;
	clen = strnlen(comment, COMMENT_MAX);
	if (reserve(c, 512 + pad4(caplen) + pad4(clen)))
		return fail(c, -ENOMEM);
	ifno = iface_of(c, p->ifname ? p->ifname : "", p->linktype);
	if (ifno < 0)
		return 0; /* more interfaces than a capture can name: left out */
	at = begin_block(c, BT_EPB);
	put32(c, (__u32)ifno);
	put32(c, (__u32)(p->ts_ns >> 32));
	put32(c, (__u32)p->ts_ns);
	put32(c, (__u32)caplen);
	put32(c, p->wire_len > caplen ? p->wire_len : (__u32)caplen);
	put(c, p->data, caplen);
	put(c, "\0\0\0", pad4(caplen) - caplen);
	if (clen)
		put_opt(c, OPT_COMMENT, comment, clen);
	put_opt(c, OPT_END, NULL, 0);
	end_block(c, at);
	c->buffered++;
	if (c->len >= BUF_FLUSH || clock__ns(CLOCK_MONOTONIC) - c->last_flush >= FLUSH_NS)
		return flush(c);
	return 0;
}

static void pcapng_finish(void *ctx)
{
	struct pcapng *c = ctx;

	if (!c->err && !flush(c) && c->fd != STDOUT_FILENO)
		log__info("%lu packet(s) written to %s", c->count, c->path);
}

void pcapng__sink(struct pcapng *c, struct sink *k)
{
	memset(k, 0, sizeof(*k));
	k->packet = pcapng_packet;
	k->finish = pcapng_finish;
	k->ctx = c;
	k->input_fd = -1;
}

void pcapng__close(struct pcapng *c)
{
	if (!c)
		return;
	if (c->fd > STDOUT_FILENO)
		close(c->fd);
	free(c->buf);
	free(c);
}
