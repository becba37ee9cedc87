// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <curl/curl.h>
#include "core/log.h"
#include "store/clickhouse.h"

#define CH_CONNECT_TIMEOUT_MS 2000
#define CH_TIMEOUT_MS	      15000

struct ch {
	CURL *curl;
	char name[400]; /* HOST:PORT/DB */
	char base[400]; /* http(s)://HOST:PORT/?database=DB */
	char db[64];
	char user[400], password[400];
	const char *ca_file;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

bool ch__is_url(const char *s)
{
	return !strncmp(s, CH_URL_SCHEME, strlen(CH_URL_SCHEME)) ||
	       !strncmp(s, CH_URLS_SCHEME, strlen(CH_URLS_SCHEME));
}

/* HOST:PORT/DB after the scheme into c; 0 or -EINVAL. */
static int parse_url(struct ch *c, const char *rest, bool tls)
{
	char host[256];
	const char *p = rest, *end;
	unsigned long port = tls ? 8443 : 8123;
	size_t n;

	if (*p == '[') {
		end = strchr(p, ']');
		if (!end || end == p + 1)
			return -EINVAL;
		end++;
	} else {
		end = p + strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
	}
	n = (size_t)(end - p);
	if (!n || n >= sizeof(host))
		return -EINVAL;
	memcpy(host, p, n);
	host[n] = '\0';
	p = end;
	if (*p == ':') {
		char *e;

		if (!isdigit((unsigned char)p[1]))
			return -EINVAL;
		port = strtoul(p + 1, &e, 10);
		if (!port || port > 65535)
			return -EINVAL;
		p = e;
	}
	if (*p++ != '/')
		return -EINVAL;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
	if (!n || p[n] || n >= sizeof(c->db))
		return -EINVAL;
	snprintf(c->db, sizeof(c->db), "%s", p);
	snprintf(c->name, sizeof(c->name), "%s:%lu/%s", host, port, c->db);
	snprintf(c->base, sizeof(c->base), "%s://%s:%lu/?database=%s", tls ? "https" : "http",
		 host, port, c->db);
	return 0;
}

/* "user:password" from the first line of path, which others may not read. */
static int read_auth(struct ch *c, const char *path)
{
	char line[400], *colon;
	struct stat st;
	FILE *f;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0) {
		err = -errno;
		log__error("cannot read the ClickHouse credentials %s: %s", path, strerror(-err));
		return err;
	}
	if (fstat(fd, &st) || (st.st_mode & 077)) {
		log__error("%s: other users can read these ClickHouse credentials: chmod 600 it",
			   path);
		close(fd);
		return -EACCES;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	if (!fgets(line, sizeof(line), f) || !(colon = strchr(line, ':'))) {
		log__error("%s: expected one line USER:PASSWORD", path);
		err = -EBADMSG;
	} else {
		line[strcspn(line, "\r\n")] = '\0';
		*colon = '\0';
		snprintf(c->user, sizeof(c->user), "%s", line);
		snprintf(c->password, sizeof(c->password), "%s", colon + 1);
	}
	fclose(f);
	return err;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): the constructor idiom of STYLE.md
 * Errors: one exit path to a destructor that accepts NULL.
 */
int ch__open(const struct ch_conn *conn, struct ch **out)
{
	const char *url = conn->url, *env;
	bool tls = !strncmp(url, CH_URLS_SCHEME, strlen(CH_URLS_SCHEME));
	struct ch *c = calloc(1, sizeof(*c));
	int err;

	*out = NULL;
	if (!c)
		return -ENOMEM;
	err = ch__is_url(url) ? parse_url(c, strchr(url, '/') + 2, tls) : -EINVAL;
	if (err) {
		log__error("invalid ClickHouse URL '%s': expected clickhouse://HOST:PORT/DB "
			   "(clickhouses:// for TLS; DB of letters, digits and _)",
			   url);
		goto fail;
	}
	c->ca_file = conn->ca_file;
	if (c->ca_file && !tls) {
		log__error("--ch-ca checks the certificate of an HTTPS server: use clickhouses://");
		err = -EINVAL;
		goto fail;
	}
	if (c->ca_file && access(c->ca_file, R_OK)) {
		err = -errno;
		log__error("cannot read the CA certificates --ch-ca %s: %s", c->ca_file,
			   strerror(-err));
		goto fail;
	}
	snprintf(c->user, sizeof(c->user), "%s",
		 (env = getenv("TRACERHUB_CLICKHOUSE_USER")) ? env : "default");
	snprintf(c->password, sizeof(c->password), "%s",
		 (env = getenv("TRACERHUB_CLICKHOUSE_PASSWORD")) ? env : "");
	if (conn->auth_file) {
		err = read_auth(c, conn->auth_file);
		if (err)
			goto fail;
	}
	pthread_once(&curl_once, curl_init);
	c->curl = curl_easy_init();
	if (!c->curl) {
		err = -ENOMEM;
		goto fail;
	}
	*out = c;
	return 0;
fail:
	ch__close(c);
	return err;
}

void ch__close(struct ch *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	explicit_bzero(c->password, sizeof(c->password));
	free(c);
}

const char *ch__name(const struct ch *c)
{
	return c->name;
}

const char *ch__db(const struct ch *c)
{
	return c->db;
}

struct answer {
	FILE *f;
};

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	return fwrite(p, size, n, ((struct answer *)ctx)->f);
}

/*
 * The negative errno of a request that got no HTTP answer (see ch__query);
 * why is curl's message. A TLS handshake that times out on a port that
 * accepted the connection is a plain HTTP port, not a slow server; a reset
 * in answer to a plain request, a TLS port (the sender retries either).
 */
static int curl_errno(CURLcode rc, const char *why)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return strstr(why, "SSL connection timeout") ? -EKEYREJECTED : -ECONNREFUSED;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return -EKEYREJECTED;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return -EBADMSG;
	default:
		return -ECONNREFUSED;
	}
}

/* The negative errno of a server's error answer. */
static int answer_errno(long http, const char *msg)
{
	if (http == 401 || http == 403 || strstr(msg, "Code: 193,") || strstr(msg, "Code: 516,") ||
	    strstr(msg, "Code: 192,"))
		return -EACCES;
	if (strstr(msg, "Code: 81,") || strstr(msg, "Code: 60,"))
		return -ENOENT;
	return -EPROTO;
}

int ch__query(struct ch *c, const char *sql, const char *data, size_t len, char **out)
{
	struct answer a;
	char *url = NULL, *esc = NULL, *body = NULL, why[CURL_ERROR_SIZE] = "";
	size_t blen = 0;
	long http = 0;
	CURLcode rc;
	int err = 0;

	if (out)
		*out = NULL;
	a.f = open_memstream(&body, &blen);
	if (!a.f)
		return -ENOMEM;
	if (data) {
		esc = curl_easy_escape(c->curl, sql, 0);
		/* behind a Distributed table: answer once the shard has the rows, not before */
		if (!esc ||
		    asprintf(&url, "%s&insert_distributed_sync=1&query=%s", c->base, esc) < 0) {
			url = NULL;
			err = -ENOMEM;
			goto out;
		}
	}
	curl_easy_reset(c->curl);
	curl_easy_setopt(c->curl, CURLOPT_URL, url ? url : c->base);
	curl_easy_setopt(c->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, data ? data : sql);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)(data ? len : strlen(sql)));
	curl_easy_setopt(c->curl, CURLOPT_USERNAME, c->user);
	curl_easy_setopt(c->curl, CURLOPT_PASSWORD, c->password);
	curl_easy_setopt(c->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)CH_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, (long)CH_TIMEOUT_MS);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, why);
	if (c->ca_file)
		curl_easy_setopt(c->curl, CURLOPT_CAINFO, c->ca_file);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &a);
	rc = curl_easy_perform(c->curl);
	fflush(a.f);
	if (rc != CURLE_OK) {
		fprintf(a.f, "%s", why[0] ? why : curl_easy_strerror(rc));
		err = curl_errno(rc, why);
	} else {
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &http);
		if (http != 200)
			err = answer_errno(http, body ? body : "");
	}
out:
	fclose(a.f);
	curl_free(esc);
	free(url);
	if (out)
		*out = body;
	else
		free(body);
	return err;
}

void ch__literal(FILE *f, const char *s)
{
	fputs("unhex('", f);
	for (; *s; s++)
		fprintf(f, "%02x", (unsigned char)*s);
	fputs("')", f);
}

void ch__tsv_str(FILE *f, const char *s, size_t max)
{
	for (size_t i = 0; i < max && s[i]; i++) {
		switch (s[i]) {
		case '\\':
			fputs("\\\\", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		default:
			fputc(s[i], f);
		}
	}
}

void ch__in_list(FILE *f, const char *join, const char *col, const char *const *vals)
{
	if (!vals || !vals[0])
		return;
	fprintf(f, " %s %s IN (", join, col);
	for (int i = 0; vals[i]; i++) {
		if (i)
			fputs(", ", f);
		ch__literal(f, vals[i]);
	}
	fputs(")", f);
}

/* Undo TabSeparated escapes in place. */
static void tsv_unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1] && s[1] != 'N') {
			s++;
			*d++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == '0' ? '\0' : *s;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/* Split one line (NUL-terminated) into at most max unescaped fields; returns how many. */
static int tsv_split(char *line, char **field, int max)
{
	int n = 0;

	while (n < max) {
		char *tab = strchr(line, '\t');

		field[n++] = line;
		if (!tab)
			break;
		*tab = '\0';
		line = tab + 1;
	}
	for (int i = 0; i < n; i++)
		tsv_unescape(field[i]);
	return n;
}

int ch__select(struct ch *c, const char *sql, int max,
	       int (*row)(void *ctx, char **field, int n), void *ctx)
{
	char *answer = NULL, *line, *next, **field = calloc((size_t)max, sizeof(*field)), why[300];
	int err = field ? ch__query(c, sql, NULL, 0, &answer) : -ENOMEM;

	if (err && err != -ENOMEM) {
		ch__first_line(answer, why, sizeof(why));
		log__error("ClickHouse %s: %s%s", c->name, why,
			   err == -ENOENT ? " (no tracerhub recording there yet?)" : "");
	}
	for (line = answer; !err && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		err = row(ctx, field, tsv_split(line, field, max));
	}
	free(answer);
	free(field);
	return err;
}

const char *ch__first_line(const char *msg, char *buf, size_t len)
{
	size_t n = strcspn(msg ? msg : "", "\n");

	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), msg ? msg : "");
	return buf;
}

int ch__check(struct ch *c)
{
	char *msg = NULL, line[300];
	int err = ch__query(c, "SELECT 1", NULL, 0, &msg);

	ch__first_line(msg, line, sizeof(line));
	switch (err) {
	case 0:
		break;
	case -ECONNREFUSED:
		log__error("ClickHouse %s does not answer: %s", c->name, line);
		break;
	case -EKEYREJECTED:
		log__error("ClickHouse %s: TLS failed (%s): is the port its https_port? Give the "
			   "CA of its certificate with --ch-ca FILE",
			   c->name, line);
		break;
	case -EBADMSG:
		log__error("ClickHouse %s answers, but not as ClickHouse's HTTP interface (%s): "
			   "an https_port? Then use clickhouses://",
			   c->name, line);
		break;
	case -EACCES:
		log__error("ClickHouse %s refused the credentials of user '%s': check "
			   "TRACERHUB_CLICKHOUSE_USER/_PASSWORD or --ch-auth FILE",
			   c->name, c->user);
		break;
	case -ENOENT:
		log__error("ClickHouse %s: no database '%s': create it (CREATE DATABASE %s)",
			   c->name, c->db, c->db);
		break;
	default:
		log__error("ClickHouse %s answered an error: %s", c->name, line);
	}
	free(msg);
	return err;
}
