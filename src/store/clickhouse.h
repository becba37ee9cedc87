/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A ClickHouse client over its HTTP interface (libcurl): URLs
 * clickhouse://HOST:PORT/DB (https with clickhouses://), credentials from a
 * file or the environment, queries whose values are hex literals
 * (unhex('...')), so no host name or search text is ever SQL. ClickHouse
 * 18.16 has no query parameters; hex literals work in every release.
 */
#ifndef TRACERHUB_STORE_CLICKHOUSE_H
#define TRACERHUB_STORE_CLICKHOUSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CH_URL_SCHEME  "clickhouse://"
#define CH_URLS_SCHEME "clickhouses://"

struct ch;

/* A server to reach: its URL, the credentials and the CAs that check its certificate. */
struct ch_conn {
	const char *url;       /* clickhouse://HOST:PORT/DB, or clickhouses:// (HTTPS) */
	const char *auth_file; /* USER:PASSWORD, or NULL for the environment */
	const char *ca_file;   /* CA certificates (PEM) for clickhouses://, NULL: the system's */
};

/* Does s name a ClickHouse server (clickhouse:// or clickhouses://)? */
bool ch__is_url(const char *s);
/*
 * Parse conn->url and read the credentials: the file conn->auth_file
 * ("user:password" on its first line, mode 0600 or stricter) when not NULL,
 * else TRACERHUB_CLICKHOUSE_USER / TRACERHUB_CLICKHOUSE_PASSWORD (default
 * user "default", no password); check that conn->ca_file (if any) is readable
 * and goes with clickhouses://. Returns 0 and *out, or -errno after
 * log__error said what is wrong: -EINVAL only for a malformed URL or a CA
 * given with clickhouse://, else (a file that cannot be read, is readable by
 * others or is malformed) -ENOENT, -EACCES, -EBADMSG, -ENOMEM. Nothing is sent yet.
 */
int ch__open(const struct ch_conn *conn, struct ch **out);
/* Free; c may be NULL. */
void ch__close(struct ch *c);
/* "HOST:PORT/DB", for messages. */
const char *ch__name(const struct ch *c);
/* The database name (letters, digits, '_'). */
const char *ch__db(const struct ch *c);
/*
 * Run sql; data (len bytes, may be NULL) is the body of an INSERT ... FORMAT,
 * sent with insert_distributed_sync=1 (into a Distributed table, the INSERT
 * returns once the shards have the rows).
 * The answer goes to *out (malloc'ed, NUL-terminated; may be NULL). Returns 0,
 * or: -ECONNREFUSED (cannot reach the server: worth retrying), -EKEYREJECTED
 * (TLS failed: an untrusted certificate, or not an HTTPS port), -EBADMSG
 * (something answers, but not ClickHouse's HTTP interface), -EACCES (wrong
 * credentials), -ENOENT (no such database or table), -EPROTO (the server
 * answered an error); *out holds the server's message (or curl's) then.
 */
int ch__query(struct ch *c, const char *sql, const char *data, size_t len, char **out);
/* Write s as a ClickHouse string literal that is not SQL text: unhex('...'). */
void ch__literal(FILE *f, const char *s);
/* Write s for a TabSeparated row: \\, \t, \n escaped; at most max bytes of s. */
void ch__tsv_str(FILE *f, const char *s, size_t max);
/*
 * Check that the server answers and the database exists, with one clear
 * error line when not. 0, or the negative errno of ch__query.
 */
int ch__check(struct ch *c);
/* " col IN (v0, v1, ...)" after join ("WHERE", "AND") as literals; nothing when vals is empty. */
void ch__in_list(FILE *f, const char *join, const char *col, const char *const *vals);
/*
 * Run sql (a SELECT ... FORMAT TabSeparated) and call row(ctx, fields, n) for
 * each line, the fields unescaped (NULL is "\N"), at most max of them.
 * Returns 0, row's first non-zero return, or the negative errno of ch__query
 * after log__error said what the server answered.
 */
int ch__select(struct ch *c, const char *sql, int max,
	       int (*row)(void *ctx, char **field, int n), void *ctx);
/* One line of a server's message (its first), cut to fit buf. */
const char *ch__first_line(const char *msg, char *buf, size_t len);

#endif
