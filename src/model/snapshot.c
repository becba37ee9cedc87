// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/grow.h"
#include "model/snapshot.h"

static void copy_str(char *dst, size_t len, const char *src)
{
	if (!src)
		src = "";
	strncpy(dst, src, len - 1);
	dst[len - 1] = '\0';
}

void snapshot__reset(struct snapshot *s)
{
	for (size_t i = 0; i < s->ntables; i++)
		free(s->tables[i].rows);
	s->ts_ns = s->interval_ns = s->metrics_present = 0;
	s->final = false;
	s->events_streamed = false;
	s->nrows = s->nhists = s->ntables = s->nevents = s->nhealth = 0;
	s->events_lost = 0;
	s->self_cpu_ns = 0;
	s->self_cpu_known = false;
	s->nevent_counts = 0;
	s->hosts = NULL;
	s->host_metrics = NULL;
	s->nhosts = 0;
	s->text_len = 0;
}

void snapshot__free(struct snapshot *s)
{
	if (!s)
		return;
	snapshot__reset(s);
	free(s->rows);
	free(s->hists);
	free(s->tables);
	free(s->events);
	free(s->health);
	free(s->text);
	memset(s, 0, sizeof(*s));
}

struct proc_row *snapshot__add_row(struct snapshot *s, __u32 pid, const char *comm)
{
	struct proc_row *r = GROW_APPEND(s->rows, s->rows_cap, s->nrows);

	if (!r)
		return NULL;
	r->pid = pid;
	copy_str(r->comm, sizeof(r->comm), comm);
	return r;
}

void snapshot__declare_metric(struct snapshot *s, enum metric m)
{
	s->metrics_present |= 1ULL << m;
}

void snapshot__declare_metrics(struct snapshot *s, const char *list)
{
	char buf[64];

	while (*list) {
		size_t n = strcspn(list, ",");
		int m;

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : sizeof(buf) - 1),
			 list);
		m = metric__by_name(buf);
		if (m >= 0)
			snapshot__declare_metric(s, m);
		list += n + (list[n] == ',');
	}
}

struct snap_hist *snapshot__add_hist(struct snapshot *s, const char *tracer, const char *name,
				     const char *label, const char *unit)
{
	struct snap_hist *h = GROW_APPEND(s->hists, s->hists_cap, s->nhists);

	if (!h)
		return NULL;
	copy_str(h->tracer, sizeof(h->tracer), tracer);
	copy_str(h->name, sizeof(h->name), name);
	copy_str(h->label, sizeof(h->label), label);
	copy_str(h->unit, sizeof(h->unit), unit);
	return h;
}

struct snap_table *snapshot__add_table(struct snapshot *s, const char *tracer, const char *name,
				       const char *key_name, unsigned int ncols,
				       const char *const *cols, const char *const *units)
{
	struct snap_table *t;

	if (ncols > SNAP_TABLE_COLS) {
		errno = EINVAL;
		return NULL;
	}
	t = GROW_APPEND(s->tables, s->tables_cap, s->ntables);
	if (!t)
		return NULL;
	copy_str(t->tracer, sizeof(t->tracer), tracer);
	copy_str(t->name, sizeof(t->name), name);
	copy_str(t->key_name, sizeof(t->key_name), key_name);
	t->ncols = ncols;
	for (unsigned int i = 0; i < ncols; i++) {
		t->cols[i] = cols[i];
		t->units[i] = units[i];
	}
	return t;
}

/* Alike to snapshot__add_health by design: its own fields. */
struct snap_table_row *snap_table__add_row(struct snap_table *t, const char *key)
{
	struct snap_table_row *r = GROW_APPEND(t->rows, t->cap, t->nrows);

	if (!r)
		return NULL;
	copy_str(r->key, sizeof(r->key), key);
	return r;
}

int snap_table__copy_rows(const struct snap_table *t, struct snap_table_row **rows, size_t *cap,
			  size_t *n)
{
	if (GROW(*rows, *cap, t->nrows))
		return -ENOMEM;
	if (t->nrows)
		memcpy(*rows, t->rows, t->nrows * sizeof(*t->rows));
	*n = t->nrows;
	return 0;
}

struct snap_event_count *snapshot__event_count(struct snapshot *s, const char *tracer)
{
	struct snap_event_count *c;

	for (unsigned int i = 0; i < s->nevent_counts; i++)
		if (!strncmp(s->event_counts[i].tracer, tracer ? tracer : "", SNAP_NAME_LEN - 1))
			return &s->event_counts[i];
	if (s->nevent_counts == SNAP_EVENT_TRACERS)
		return NULL;
	c = &s->event_counts[s->nevent_counts++];
	memset(c, 0, sizeof(*c));
	copy_str(c->tracer, sizeof(c->tracer), tracer);
	return c;
}

const char *snap_table__header(char *buf, size_t len, const char *col, const char *unit)
{
	static const char *const times[] = { "ns", "us", "ms", "s" };
	size_t n = strlen(col), k = strlen(unit);

	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		if (strcmp(unit, times[i]))
			continue;
		if (n > k + 1 && col[n - k - 1] == '_' && !strcmp(col + n - k, unit))
			n -= k + 1;
		snprintf(buf, len, "%.*s", (int)n, col);
		return buf;
	}
	snprintf(buf, len, "%s/s", col);
	return buf;
}

struct snap_event *snapshot__add_event(struct snapshot *s, const char *tracer, __u64 ts_ns,
				       __u32 pid, const char *comm)
{
	struct snap_event_count *c = snapshot__event_count(s, tracer);
	struct snap_event *e;

	if (!c || c->kept >= SNAP_EVENTS_MAX || GROW(s->events, s->events_cap, s->nevents + 1)) {
		s->events_lost++;
		if (c)
			c->lost++;
		return NULL;
	}
	c->kept++;
	e = &s->events[s->nevents++];
	e->ts_ns = ts_ns;
	copy_str(e->tracer, sizeof(e->tracer), tracer);
	e->pid = pid;
	copy_str(e->comm, sizeof(e->comm), comm);
	e->host = 0;
	e->nfields = 0;
	return e;
}

static struct snap_field *next_field(struct snap_event *e, const char *key)
{
	struct snap_field *f;

	if (e->nfields >= SNAP_EVENT_FIELDS)
		return NULL;
	f = &e->fields[e->nfields++];
	f->key = key;
	return f;
}

void snap_event__typed(struct snap_event *e, const char *key, __u64 v, enum snap_num_kind kind)
{
	struct snap_field *f = next_field(e, key);

	if (!f)
		return;
	f->is_str = false;
	f->kind = kind;
	f->num = v;
}

void snap_event__num(struct snap_event *e, const char *key, __u64 v)
{
	snap_event__typed(e, key, v, SNAP_NUM_PLAIN);
}

void snap_event__str(struct snap_event *e, const char *key, const char *v)
{
	struct snap_field *f = next_field(e, key);

	if (!f)
		return;
	f->is_str = true;
	f->kind = SNAP_NUM_PLAIN;
	f->num = 0;
	copy_str(f->str, sizeof(f->str), v);
}

/* Append v[0..n) and a NUL to s's text; 1 + its offset, or 0 on ENOMEM. */
static __u64 add_text(struct snapshot *s, const char *v, size_t n)
{
	size_t at = s->text_len;

	if (GROW(s->text, s->text_cap, at + n + 1))
		return 0;
	memcpy(s->text + at, v, n);
	s->text[at + n] = '\0';
	s->text_len = at + n + 1;
	return at + 1;
}

void snap_field__set_str(struct snapshot *s, struct snap_field *f, const char *v, bool cut)
{
	size_t len = strnlen(v, SNAP_TEXT_MAX + 1), short_max = sizeof(f->str) - 1;
	char whole[SNAP_TEXT_MAX + 1];

	f->is_str = true;
	f->kind = SNAP_NUM_PLAIN;
	f->num = 0;
	if (len > SNAP_TEXT_MAX || (cut && len > 0)) {
		size_t at = len > SNAP_TEXT_MAX - 3 ? SNAP_TEXT_MAX - 3 : len;

		memcpy(whole, v, at);
		memcpy(whole + at, "...", 4);
		v = whole;
		len = at + 3;
	}
	if (len <= short_max) {
		memcpy(f->str, v, len + 1);
		return;
	}
	f->num = add_text(s, v, len);
	memcpy(f->str, v, short_max - 3);
	memcpy(f->str + short_max - 3, "...", 4);
}

void snap_event__str_cut(struct snapshot *s, struct snap_event *e, const char *key, const char *v,
			 bool cut)
{
	struct snap_field *f = next_field(e, key);

	if (f)
		snap_field__set_str(s, f, v, cut);
}

const char *snapshot__str(const struct snapshot *s, const struct snap_field *f)
{
	if (!f->is_str)
		return "";
	if (!f->num)
		return f->str;
	/* the text ends with a NUL, so a string at any offset inside it ends there too */
	return f->num <= s->text_len && s->text[s->text_len - 1] == '\0' ? s->text + f->num - 1 :
									     "";
}

int snapshot__put_event(struct snapshot *dst, struct snap_event *slot, const struct snapshot *src,
			const struct snap_event *e)
{
	int err = 0;

	*slot = *e;
	for (unsigned int i = 0; i < slot->nfields && i < SNAP_EVENT_FIELDS; i++) {
		struct snap_field *f = &slot->fields[i];

		if (f->is_str && f->num) {
			const char *v = snapshot__str(src, &e->fields[i]);

			f->num = add_text(dst, v, strlen(v));
			if (!f->num)
				err = -ENOMEM;
		}
	}
	return err;
}

struct snap_event *snapshot__copy_event(struct snapshot *dst, const struct snapshot *src,
					const struct snap_event *e)
{
	struct snap_event *slot = snapshot__add_event(dst, e->tracer, e->ts_ns, e->pid, e->comm);

	if (slot && snapshot__put_event(dst, slot, src, e)) {
		dst->nevents--;
		errno = ENOMEM;
		return NULL;
	}
	return slot;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each element add copies its own
 * fields after GROW_APPEND.
 */
struct snap_health *snapshot__add_health(struct snapshot *s, const char *tracer)
{
	struct snap_health *h = GROW_APPEND(s->health, s->health_cap, s->nhealth);

	if (!h)
		return NULL;
	copy_str(h->tracer, sizeof(h->tracer), tracer);
	return h;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	if (x->host != y->host)
		return x->host < y->host ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

const char *snapshot__host(const struct snapshot *s, unsigned int h)
{
	return h && h <= s->nhosts ? s->hosts[h - 1] : NULL;
}

bool snapshot__row_has(const struct snapshot *s, const struct proc_row *r, enum metric m)
{
	if (!(s->metrics_present & (1ULL << m)))
		return false;
	return !r->host || r->host > s->nhosts || !s->host_metrics ||
	       (s->host_metrics[r->host - 1] & (1ULL << m));
}

void snapshot__finish(struct snapshot *s)
{
	size_t out = 0;

	if (!s->nrows)
		return;
	qsort(s->rows, s->nrows, sizeof(*s->rows), cmp_pid);
	for (size_t i = 0; i < s->nrows; i++) {
		struct proc_row *r = &s->rows[i];

		if (out && !cmp_pid(&s->rows[out - 1], r)) {
			struct proc_row *m = &s->rows[out - 1];

			for (int k = 0; k < METRIC_COUNT; k++)
				m->values[k] = metric__combine(k, m->values[k], r->values[k]);
			if (!m->comm[0])
				memcpy(m->comm, r->comm, sizeof(m->comm));
			continue;
		}
		if (out != i)
			s->rows[out] = *r;
		out++;
	}
	s->nrows = out;
}

const struct proc_row *snapshot__find_row(const struct snapshot *s, __u32 pid)
{
	struct proc_row key = { .pid = pid };

	return s->nrows ? bsearch(&key, s->rows, s->nrows, sizeof(*s->rows), cmp_pid) : NULL;
}

__u64 snapshot__total(const struct snapshot *s, enum metric m)
{
	__u64 sum = 0;

	for (size_t i = 0; i < s->nrows; i++)
		sum += s->rows[i].values[m];
	return sum;
}

/* qsort_r context: the snapshot and the sort metric. */
struct sort_ctx {
	const struct snapshot *s;
	enum metric m;
};

static int cmp_metric(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct proc_row *x = &c->s->rows[*(const size_t *)a];
	const struct proc_row *y = &c->s->rows[*(const size_t *)b];

	if (x->values[c->m] != y->values[c->m])
		return x->values[c->m] < y->values[c->m] ? 1 : -1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

void snapshot__sort_rows(const struct snapshot *s, enum metric m, size_t *idx)
{
	struct sort_ctx c = { s, m };

	for (size_t i = 0; i < s->nrows; i++)
		idx[i] = i;
	qsort_r(idx, s->nrows, sizeof(*idx), cmp_metric, &c);
}
