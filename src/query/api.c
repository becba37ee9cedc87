// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/metric.h"
#include "query/api.h"
#include "query/assets.h"
#include "query/request.h"
#include "render/json_writer.h"
#include "render/snapshot_json.h"

#define TYPE_JSON "application/json"

/* The parameters a query may carry; which ones an endpoint takes is in its route. */
enum {
	P_TOP = 1 << 0,
	P_SORT = 1 << 1,
	P_SECONDS = 1 << 2,
};

struct query {
	unsigned int top;     /* 0 = all rows */
	int sort;	      /* metric, -1 = pid order */
	unsigned int seconds; /* 0 = everything held */
};

struct route {
	const char *path;
	unsigned int params; /* P_* accepted */
	int (*fn)(struct api_ctx *c, const struct query *q, struct api_reply *out);
};

struct api_blob {
	long refs;
	size_t len;
	char *data;
};

struct api_blob *api_blob__get(struct api_blob *b)
{
	if (b)
		__atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
	return b;
}

void api_blob__put(struct api_blob *b)
{
	if (!b || __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL))
		return;
	free(b->data);
	free(b);
}

/* A blob owning data[0..len); data is freed on failure too. NULL on ENOMEM. */
static struct api_blob *blob__new(char *data, size_t len)
{
	struct api_blob *b = malloc(sizeof(*b));

	if (!b) {
		free(data);
		return NULL;
	}
	b->refs = 1;
	b->len = len;
	b->data = data;
	return b;
}

/* Point out at blob b, whose reference out now holds. */
static void reply__set(struct api_reply *out, struct api_blob *b)
{
	out->blob = b;
	out->body = b->data;
	out->len = b->len;
}

static void cache_slot__clear(struct api_cache_slot *slot)
{
	free(slot->key);
	api_blob__put(slot->blob);
	memset(slot, 0, sizeof(*slot));
}

/* The rendering of key for the newest snapshot, or NULL; called with the lock held. */
static struct api_cache_slot *cache__find(struct api_ctx *c, const char *key)
{
	for (size_t i = 0; i < API_CACHE_SLOTS; i++) {
		struct api_cache_slot *slot = &c->cache[i];

		if (slot->key && slot->seq == c->history.pushed && !strcmp(slot->key, key)) {
			slot->used = ++c->cache_clock;
			return slot;
		}
	}
	return NULL;
}

/*
 * Keep b as the rendering of key (best effort: nothing is kept on ENOMEM or
 * when b alone is over a quarter of the budget), evicting the least recently
 * used until the cache fits API_CACHE_BYTES. Called with the lock held.
 */
static void cache__put(struct api_ctx *c, const char *key, const char *type, struct api_blob *b)
{
	struct api_cache_slot *victim = NULL;
	size_t total = b->len;

	if (b->len > API_CACHE_BYTES / 4)
		return;
	for (;;) {
		struct api_cache_slot *lru = NULL;
		size_t used = 0;

		for (size_t i = 0; i < API_CACHE_SLOTS; i++) {
			struct api_cache_slot *slot = &c->cache[i];

			if (!slot->key) {
				victim = victim ? victim : slot;
				continue;
			}
			used += slot->blob->len;
			if (!lru || slot->used < lru->used)
				lru = slot;
		}
		if ((victim && used + total <= API_CACHE_BYTES) || !lru)
			break;
		cache_slot__clear(lru);
	}
	if (!victim)
		return;
	victim->key = strdup(key);
	if (!victim->key)
		return;
	victim->seq = c->history.pushed;
	victim->used = ++c->cache_clock;
	victim->type = type;
	victim->blob = api_blob__get(b);
}

int api__init(struct api_ctx *c, size_t history_len, unsigned int prom_top,
	      unsigned int interval_ms)
{
	int err;

	memset(c, 0, sizeof(*c));
	c->interval_ms = interval_ms;
	err = history__init(&c->history, history_len, 256);
	if (err)
		return err;
	err = prom__init(&c->prom, prom_top);
	if (err)
		goto fail;
	err = -pthread_mutex_init(&c->lock, NULL);
	if (err)
		goto fail;
	return 0;
fail:
	prom__free(&c->prom);
	history__free(&c->history);
	return err;
}

void api__free(struct api_ctx *c)
{
	for (size_t i = 0; i < API_CACHE_SLOTS; i++)
		cache_slot__clear(&c->cache[i]);
	pthread_mutex_destroy(&c->lock);
	prom__free(&c->prom);
	history__free(&c->history);
}

int api__publish(struct api_ctx *c, const struct snapshot *s)
{
	int err;

	pthread_mutex_lock(&c->lock);
	err = history__push(&c->history, s);
	if (!err)
		err = prom__add(&c->prom, s);
	/* every rendering is of an older snapshot now: let their memory go */
	for (size_t i = 0; i < API_CACHE_SLOTS; i++)
		cache_slot__clear(&c->cache[i]);
	pthread_mutex_unlock(&c->lock);
	return err;
}

__u64 api__seq(struct api_ctx *c)
{
	__u64 seq;

	pthread_mutex_lock(&c->lock);
	seq = c->history.pushed;
	pthread_mutex_unlock(&c->lock);
	return seq;
}

void api_reply__free(struct api_reply *r)
{
	if (!r)
		return;
	api_blob__put(r->blob);
	r->blob = NULL;
	r->body = NULL;
	r->len = 0;
}

bool api__token_ok(const char *token, const char *authorization)
{
	static const char scheme[] = "Bearer ";
	size_t tlen, alen;
	unsigned char diff = 0;

	if (!token || !*token)
		return true;
	if (!authorization || strncasecmp(authorization, scheme, sizeof(scheme) - 1))
		return false;
	authorization += sizeof(scheme) - 1;
	tlen = strlen(token);
	alen = strlen(authorization);
	/* time depends on the length of the token only, not on where they differ */
	for (size_t i = 0; i < tlen; i++)
		diff |= (unsigned char)token[i] ^ (unsigned char)(i < alen ? authorization[i] : 0);
	return !diff && alen == tlen;
}

/* Reply body from a memstream: capture it in out. */
static int take_stream(FILE *f, char **buf, size_t *len, struct api_reply *out)
{
	struct api_blob *b;

	if (fclose(f) || !*buf) {
		free(*buf);
		return -ENOMEM;
	}
	b = blob__new(*buf, *len);
	if (!b)
		return -ENOMEM;
	reply__set(out, b);
	return 0;
}

/* Reply with status and the JSON document write(w, arg) makes, ended by a newline. */
static int reply_doc(struct api_reply *out, int status,
		     void (*write)(struct json_writer *w, const void *arg), const void *arg)
{
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	json__init(&w, f);
	write(&w, arg);
	fputc('\n', f);
	out->status = status;
	out->type = TYPE_JSON;
	return take_stream(f, &buf, &len, out);
}

static void write_error(struct json_writer *w, const void *msg)
{
	json__begin_object(w);
	json__key_string(w, "error", msg);
	json__end_object(w);
}

/* Reply with status and {"error": msg}. */
static int reply_error(struct api_reply *out, int status, const char *msg)
{
	return reply_doc(out, status, write_error, msg);
}

static int reply_errorf(struct api_reply *out, int status, const char *fmt, const char *arg)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, arg);
	return reply_error(out, status, msg);
}

/* A 400 reply; returns 1 (a reply was made) or -ENOMEM, as the query parsers do. */
static int bad_request(struct api_reply *out, const char *fmt, const char *arg)
{
	int err = reply_errorf(out, 400, fmt, arg);

	return err ? err : 1;
}

/* The history index of the first snapshot within `seconds` of the newest (0: all). */
static size_t history_first(const struct history *h, unsigned int seconds)
{
	const struct snapshot *last = history__latest(h);
	size_t i = 0;

	if (!last || !seconds)
		return 0;
	while (i < h->n && history__at(h, i)->ts_ns + (__u64)seconds * 1000000000ULL <= last->ts_ns)
		i++;
	return i;
}

/* A query's writer and its arguments, for reply_doc. */
struct api_call {
	void (*fn)(struct api_ctx *c, const struct query *q, struct json_writer *w);
	struct api_ctx *c;
	const struct query *q;
};

static void write_call(struct json_writer *w, const void *arg)
{
	const struct api_call *call = arg;

	call->fn(call->c, call->q, w);
}

/* Render JSON under the lock with fn, into out with status 200. */
static int reply_json(struct api_ctx *c, const struct query *q, struct api_reply *out,
		      void (*fn)(struct api_ctx *c, const struct query *q, struct json_writer *w))
{
	const struct api_call call = {fn, c, q};

	return reply_doc(out, 200, write_call, &call);
}

static void write_latest(struct api_ctx *c, const struct query *q, struct json_writer *w)
{
	json__write_snapshot(w, history__latest(&c->history), q->top, q->sort);
}

static void write_history(struct api_ctx *c, const struct query *q, struct json_writer *w)
{
	const struct history *h = &c->history;

	json__begin_object(w);
	json__key_u64(w, "interval_ms", c->interval_ms);
	json__key_u64(w, "capacity", h->cap);
	json__key(w, "snapshots");
	json__begin_array(w);
	for (size_t i = history_first(h, q->seconds); i < h->n; i++)
		json__write_snapshot(w, history__at(h, i), q->top, q->sort);
	json__end_array(w);
	json__end_object(w);
}

/* key: n (-1: not known) per second of the last interval, or null. */
static void write_rate(struct json_writer *w, const char *key, double n,
		       const struct snapshot *last)
{
	bool known = n >= 0 && last && last->interval_ns;

	json__key_double_known(w, key, known, known ? n * 1e9 / (double)last->interval_ns : 0);
}

static void write_tracers(struct api_ctx *c, const struct query *q, struct json_writer *w)
{
	const struct snapshot *last = history__latest(&c->history);

	json__begin_object(w);
	json__key(w, "tracers");
	json__begin_array(w);
	for (size_t i = 0; i < c->prom.totals.ntracers; i++) {
		const struct totals_tracer *t = &c->prom.totals.tracers[i];
		const struct snap_health *h = NULL;

		for (size_t k = 0; last && k < last->nhealth && !h; k++)
			if (!strcmp(last->health[k].tracer, t->tracer))
				h = &last->health[k];
		/*
		 * Totals since start and the last interval's rates: the keys of /api/v1/tracers
		 * (docs/web.md). Alike in shape, not in content, to the health of a snapshot
		 * (render/snapshot_json.c) and a fleet host's sums (store/fleet_report.c): each
		 * is its own document's list of keys, which a shared writer would only hide.
		 */
		json__begin_object(w);
		json__key_string(w, "tracer", t->tracer);
		json__key_string(w, "rung", t->rung);
		json__key_u64(w, "programs", t->nprogs);
		json__key_u64(w, "events_total", t->events);
		json__key_u64(w, "drops_total", t->drops);
		json__key_u64(w, "run_cnt_total", t->run_cnt);
		json__key_u64(w, "run_ns_total", t->run_ns);
		write_rate(w, "events_per_s", h ? (double)h->events : -1, last);
		write_rate(w, "drops_per_s", h ? (double)h->drops : -1, last);
		/* the last statistics window's */
		json__key_double_known(w, "ns_per_run", t->ns_per_run > 0, t->ns_per_run);
		json__end_object(w);
	}
	json__end_array(w);
	json__end_object(w);
}

/*
 * The web page's charts, as each tracer declares them beside its metrics: "charts", each a
 * section, a title and its metrics (lines) in order, and "hist_sections", the section of each
 * tracer's histograms.
 */
static void write_charts(struct json_writer *w)
{
#define HIST_SECTION(tracer, section) { tracer, section },
	static const struct {
		const char *tracer, *section;
	} hist_sections[] = {
#include "tracer_defs.h"
	};
#undef HIST_SECTION
	const struct metric_info *prev = NULL;

	json__key(w, "charts");
	json__begin_array(w);
	for (unsigned int i = 0; i < METRIC_COUNT; i++) {
		const struct metric_info *mi = metric__info(metric__charted(i));
		bool same = prev && !strcmp(prev->section, mi->section) &&
			    !strcmp(prev->chart, mi->chart);

		if (!*mi->chart) /* the page's "Other" chart of its unit */
			continue;
		if (prev && !same) {
			json__end_array(w);
			json__end_object(w);
		}
		if (!same) {
			json__begin_object(w);
			json__key_string(w, "section", mi->section);
			json__key_string(w, "title", mi->chart);
			json__key(w, "metrics");
			json__begin_array(w);
		}
		json__string(w, mi->name);
		prev = mi;
	}
	if (prev) {
		json__end_array(w);
		json__end_object(w);
	}
	json__end_array(w);
	json__key(w, "hist_sections");
	json__begin_object(w);
	for (size_t i = 0; i < sizeof(hist_sections) / sizeof(hist_sections[0]); i++)
		json__key_string(w, hist_sections[i].tracer, hist_sections[i].section);
	json__end_object(w);
}

/* The metrics as every sink labels them, in the dashboard's column order (the page's names). */
static void write_metric_list(struct api_ctx *c, const struct query *q, struct json_writer *w)
{
	static const char *const units[] = {[UNIT_COUNT] = "count", [UNIT_BYTES] = "bytes",
					    [UNIT_NS] = "ns"};
	json__begin_object(w);
	json__key(w, "metrics");
	json__begin_array(w);
	for (int i = 0; i < METRIC_COUNT; i++) {
		enum metric m = metric__shown((unsigned int)i);
		const struct metric_info *mi = metric__info(m);

		json__begin_object(w);
		json__key_string(w, "name", mi->name);
		json__key_string(w, "header", metric__info(m)->header);
		json__key_string(w, "unit", units[mi->unit]);
		json__key_string(w, "kind", mi->kind == KIND_GAUGE ? "gauge" : "counter");
		json__key_string(w, "help", mi->help);
		json__end_object(w);
	}
	json__end_array(w);
	write_charts(w);
	json__end_object(w);
}

static int get_metric_list(struct api_ctx *c, const struct query *q, struct api_reply *out)
{
	return reply_json(c, q, out, write_metric_list);
}

static int no_data(struct api_ctx *c, struct api_reply *out)
{
	return reply_error(out, 503, "no snapshot yet: the first interval has not ended");
}

static int get_snapshot(struct api_ctx *c, const struct query *q, struct api_reply *out)
{
	if (!history__latest(&c->history))
		return no_data(c, out);
	return reply_json(c, q, out, write_latest);
}

static int get_history(struct api_ctx *c, const struct query *q, struct api_reply *out)
{
	return reply_json(c, q, out, write_history);
}

static int get_tracers(struct api_ctx *c, const struct query *q, struct api_reply *out)
{
	return reply_json(c, q, out, write_tracers);
}

static int get_stream(struct api_ctx *c, const struct query *q, struct api_reply *out)
{
	out->status = 200;
	out->type = "text/event-stream";
	out->stream = true;
	out->top = q->top;
	out->sort = q->sort;
	/* start one behind: the newest snapshot is sent at once */
	out->seq = c->history.pushed ? c->history.pushed - 1 : 0;
	return 0;
}

static int get_metrics(struct api_ctx *c, const struct query *q, struct api_reply *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	prom__render(&c->prom, f);
	out->status = 200;
	out->type = "text/plain; version=0.0.4; charset=utf-8";
	return take_stream(f, &buf, &len, out);
}

static const struct route routes[] = {
    {"/api/v1/snapshot", P_TOP | P_SORT, get_snapshot},
    {"/api/v1/history", P_TOP | P_SORT | P_SECONDS, get_history},
    {"/api/v1/tracers", 0, get_tracers},
    {"/api/v1/metrics", 0, get_metric_list},
    {"/api/v1/stream", P_TOP | P_SORT, get_stream},
    {"/metrics", 0, get_metrics},
};

/* A whole decimal number from min to max. */
static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned int *out)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 10)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < min || v > max)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

/* One key=value of a query; 0, or an error reply already made (> 0) or -ENOMEM. */
static int parse_param(const char *key, const char *val, unsigned int allowed, unsigned int *seen,
		       struct query *q, struct api_reply *out)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {{"top", P_TOP}, {"sort", P_SORT}, {"seconds", P_SECONDS}};
	unsigned int bit = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(key, names[i].name))
			bit = names[i].bit;
	if (!(bit & allowed))
		return bad_request(out, "unknown parameter '%.100s'", key);
	if (*seen & bit)
		return bad_request(out, "parameter '%.100s' given twice", key);
	*seen |= bit;
	if (bit == P_TOP && parse_num(val, 0, 1000000, &q->top))
		return bad_request(out,
				   "bad top '%.100s': expected a number of rows from 0 (0 = all) "
				   "to 1000000",
				   val);
	if (bit == P_SECONDS && parse_num(val, 1, API_HISTORY_MAX_S, &q->seconds))
		return bad_request(
		    out, "bad seconds '%.100s': expected a whole number from 1 to 86400", val);
	if (bit == P_SORT) {
		q->sort = metric__by_name(val);
		if (q->sort < 0)
			return bad_request(out, "bad sort: unknown metric '%.100s'", val);
	}
	return 0;
}

/* Parse query (may be NULL) for a route; 0, > 0 with an error reply made, or -ENOMEM. */
static int parse_query(const char *query, unsigned int allowed, struct query *q,
		       struct api_reply *out)
{
	char key[API_QUERY_MAX + 1], val[API_QUERY_MAX + 1];
	unsigned int seen = 0;
	const char *p = query;
	int err;

	q->top = 0;
	q->sort = -1;
	q->seconds = 0;
	while (p && *p) {
		const char *amp = strchr(p, '&'), *end = amp ? amp : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));

		if (end == p) { /* empty parameter: "a=1&&b=2" */
			p = end + 1;
			continue;
		}
		if (!eq)
			return bad_request(out, "bad query: expected key=value%s", "");
		if (request__url_decode(key, sizeof(key), p, (size_t)(eq - p)) ||
		    request__url_decode(val, sizeof(val), eq + 1, (size_t)(end - eq - 1)))
			return bad_request(out, "bad query: invalid %s-escape", "%");
		err = parse_param(key, val, allowed, &seen, q, out);
		if (err)
			return err;
		p = amp ? amp + 1 : end;
	}
	return 0;
}

static int get_asset(const char *path, struct api_reply *out)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	for (const struct web_asset *a = web_assets; a->path; a++) {
		if (strcmp(a->path, path))
			continue;
		struct api_blob *b;
		char *data = malloc(a->len ? a->len : 1);

		if (!data)
			return -ENOMEM;
		memcpy(data, a->data, a->len);
		b = blob__new(data, a->len);
		if (!b)
			return -ENOMEM;
		reply__set(out, b);
		out->status = 200;
		out->type = a->type;
		return 0;
	}
	return 1;
}

/*
 * Answer route r from the cache, or render it and keep a 200 answer for the
 * other clients asking the same until the next snapshot. 0 or -ENOMEM.
 */
static int answer_cached(struct api_ctx *c, const struct route *r, const struct query *q,
			 const char *query, struct api_reply *out)
{
	char key[API_PATH_MAX + API_QUERY_MAX + 2];
	struct api_cache_slot *slot;
	int err = 0;

	snprintf(key, sizeof(key), "%s?%s", r->path, query ? query : "");
	pthread_mutex_lock(&c->lock);
	slot = r->fn != get_stream ? cache__find(c, key) : NULL;
	if (slot) {
		out->status = 200;
		out->type = slot->type;
		reply__set(out, api_blob__get(slot->blob));
	} else {
		err = r->fn(c, q, out);
		if (!err && out->status == 200 && out->blob)
			cache__put(c, key, out->type, out->blob);
	}
	pthread_mutex_unlock(&c->lock);
	return err;
}

int api__handle(struct api_ctx *c, const char *path, const char *query, struct api_reply *out)
{
	struct query q;
	int err;

	memset(out, 0, sizeof(*out));
	out->sort = -1;
	if (strlen(path) > API_PATH_MAX)
		return reply_error(out, 414, "path too long");
	if (query && strlen(query) > API_QUERY_MAX)
		return reply_error(out, 414, "query too long");
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, path))
			continue;
		err = parse_query(query, routes[i].params, &q, out);
		if (err)
			return err < 0 ? err : 0;
		return answer_cached(c, &routes[i], &q, query, out);
	}
	err = get_asset(path, out);
	if (err <= 0)
		return err;
	return reply_errorf(out, 404,
			    "not found: %.100s (see /api/v1/snapshot, /api/v1/history, "
			    "/api/v1/tracers, /api/v1/metrics, /api/v1/stream, /metrics)",
			    path);
}

int api__stream_next(struct api_ctx *c, struct api_reply *out)
{
	struct api_cache_slot *slot;
	struct json_writer w;
	char key[64], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err = 0;

	pthread_mutex_lock(&c->lock);
	if (c->history.pushed <= out->seq) {
		err = -EAGAIN;
		goto out;
	}
	api_reply__free(out);
	snprintf(key, sizeof(key), "stream top=%u sort=%d", out->top, out->sort);
	slot = cache__find(c, key);
	if (slot) {
		reply__set(out, api_blob__get(slot->blob));
		goto done;
	}
	f = open_memstream(&buf, &len);
	if (!f) {
		err = -ENOMEM;
		goto out;
	}
	fputs("event: snapshot\ndata: ", f);
	json__init(&w, f);
	json__write_snapshot(&w, history__latest(&c->history), out->top, out->sort);
	fputs("\n\n", f);
	err = take_stream(f, &buf, &len, out);
	if (err)
		goto out;
	cache__put(c, key, out->type, out->blob);
done:
	out->seq = c->history.pushed;
out:
	pthread_mutex_unlock(&c->lock);
	return err;
}
