// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/grow.h"
#include "tui/model.h"

static int cmp_row_pid(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static const struct proc_row *find_pid(const struct proc_row *rows, size_t n, __u32 pid)
{
	struct proc_row key = {.pid = pid};

	return bsearch(&key, rows, n, sizeof(*rows), cmp_row_pid);
}

/* Rows of s, then the rows of the interval before that s lacks; prev becomes s's rows. */
static int update_rows(struct tui_model *m, const struct snapshot *s, tui_alive_fn alive)
{
	size_t n = 0;

	if (GROW(m->rows, m->rows_cap, s->nrows + m->nprev))
		return -ENOMEM;
	memset(m->totals, 0, sizeof(m->totals));
	for (size_t i = 0; i < s->nrows; i++) {
		struct tui_row *r = &m->rows[n++];

		r->r = s->rows[i];
		r->state = m->intervals && !find_pid(m->prev, m->nprev, r->r.pid) ? TUI_ROW_NEW
										  : TUI_ROW_ACTIVE;
		for (int k = 0; k < METRIC_COUNT; k++)
			m->totals[k] += r->r.values[k];
	}
	for (size_t i = 0; i < m->nprev; i++) {
		struct tui_row *r;

		if (snapshot__find_row(s, m->prev[i].pid))
			continue;
		r = &m->rows[n++];
		r->r = m->prev[i];
		memset(r->r.values, 0, sizeof(r->r.values));
		r->state = alive(r->r.pid) ? TUI_ROW_IDLE : TUI_ROW_EXITED;
	}
	m->nrows = n;
	if (GROW(m->prev, m->prev_cap, s->nrows)) {
		m->nprev = 0;
		return -ENOMEM;
	}
	if (s->nrows)
		memcpy(m->prev, s->rows, s->nrows * sizeof(*s->rows));
	m->nprev = s->nrows;
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): find-or-add in its own array by
 * its own key fields.
 */
static struct tui_table *table_slot(struct tui_model *m, const struct snap_table *st)
{
	struct tui_table *t;

	for (size_t i = 0; i < m->ntables; i++)
		if (!strcmp(m->tables[i].tracer, st->tracer) &&
		    !strcmp(m->tables[i].name, st->name))
			return &m->tables[i];
	if (m->ntables == TUI_TABLES_MAX)
		return NULL;
	t = &m->tables[m->ntables++];
	memset(t, 0, sizeof(*t));
	memcpy(t->tracer, st->tracer, sizeof(t->tracer));
	memcpy(t->name, st->name, sizeof(t->name));
	return t;
}

/* Tables of s replace their slot's rows; slots s lacks are emptied. */
static int update_tables(struct tui_model *m, const struct snapshot *s)
{
	for (size_t i = 0; i < m->ntables; i++)
		m->tables[i].nrows = 0;
	for (size_t i = 0; i < s->ntables; i++) {
		const struct snap_table *st = &s->tables[i];
		struct tui_table *t = table_slot(m, st);

		if (!t)
			continue;
		memcpy(t->key_name, st->key_name, sizeof(t->key_name));
		t->ncols = st->ncols;
		t->ordered = st->ordered;
		memcpy(t->cols, st->cols, sizeof(t->cols));
		memcpy(t->units, st->units, sizeof(t->units));
		if (snap_table__copy_rows(st, &t->rows, &t->cap, &t->nrows))
			return -ENOMEM;
	}
	return 0;
}

/* Keep the newest TUI_EVENTS_KEPT events of the ones kept and s's, copied with their strings. */
static int update_events(struct tui_model *m, const struct snapshot *s)
{
	size_t take = s->nevents < TUI_EVENTS_KEPT ? s->nevents : TUI_EVENTS_KEPT;
	size_t keep = m->events.nevents < TUI_EVENTS_KEPT - take ? m->events.nevents
							      : TUI_EVENTS_KEPT - take;
	struct snapshot tmp;
	int err = 0;

	m->events_lost += s->events_lost;
	if (!take)
		return 0;
	snapshot__reset(&m->spare);
	for (size_t i = m->events.nevents - keep; i < m->events.nevents && !err; i++)
		if (!snapshot__copy_event(&m->spare, &m->events, &m->events.events[i]))
			err = -ENOMEM;
	for (size_t i = s->nevents - take; i < s->nevents && !err; i++)
		if (!snapshot__copy_event(&m->spare, s, &s->events[i]))
			err = -ENOMEM;
	tmp = m->events;
	m->events = m->spare;
	m->spare = tmp;
	return err;
}

int tui_model__update(struct tui_model *m, const struct snapshot *s, tui_alive_fn alive)
{
	int err;

	m->ts_ns = s->ts_ns;
	m->interval_ns = s->interval_ns;
	m->cost = s->cost;
	m->elapsed_ns += s->interval_ns;
	m->metrics_present |= s->metrics_present;
	err = update_rows(m, s, alive);
	if (!err)
		err = update_tables(m, s);
	if (!err)
		err = totals__add(&m->since, s);
	if (!err)
		err = update_events(m, s);
	if (!err && GROW(m->health, m->health_cap, s->nhealth))
		err = -ENOMEM;
	if (!err) {
		if (s->nhealth)
			memcpy(m->health, s->health, s->nhealth * sizeof(*s->health));
		m->nhealth = s->nhealth;
		for (size_t i = 0; i < s->nhealth; i++)
			m->drops_total += s->health[i].drops;
	}
	m->intervals++;
	return err;
}

void tui_model__free(struct tui_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ntables; i++)
		free(m->tables[i].rows);
	free(m->rows);
	free(m->prev);
	totals__free(&m->since);
	snapshot__free(&m->events);
	snapshot__free(&m->spare);
	free(m->health);
	memset(m, 0, sizeof(*m));
}

bool tui_model__match_proc(__u32 pid, const char *comm, const char *f)
{
	char num[16];

	if (!f[0] || strcasestr(comm, f))
		return true;
	snprintf(num, sizeof(num), "%u", pid);
	return !strncmp(num, f, strlen(f));
}

bool tui_model__match(const struct proc_row *r, const char *f)
{
	return tui_model__match_proc(r->pid, r->comm, f);
}

/* qsort_r context for both views. */
struct view_ctx {
	const void *rows;
	int key;
	bool asc;
	bool ordered; /* no key: the rows' own order (snap_table's ordered) */
};

static int cmp_u64(__u64 a, __u64 b)
{
	return (a > b) - (a < b);
}

static int cmp_proc(const void *a, const void *b, void *arg)
{
	const struct view_ctx *c = arg;
	const struct tui_row *rows = c->rows;
	const struct proc_row *x = &rows[*(const size_t *)a].r;
	const struct proc_row *y = &rows[*(const size_t *)b].r;
	int d;

	/* Names and pids read best ascending, amounts largest first. */
	if (c->key == TUI_SORT_COMM)
		d = strcmp(x->comm, y->comm);
	else if (c->key == TUI_SORT_PID)
		d = cmp_u64(x->pid, y->pid);
	else
		d = -cmp_u64(x->values[c->key], y->values[c->key]);
	if (c->asc)
		d = -d;
	return d ? d : cmp_u64(x->pid, y->pid);
}

size_t tui_model__view(const struct tui_model *m, int key, bool asc, const char *filter,
		       size_t *idx)
{
	struct view_ctx c = {m->rows, key, asc, false};
	size_t n = 0;

	for (size_t i = 0; i < m->nrows; i++)
		if (tui_model__match(&m->rows[i].r, filter))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_proc, &c);
	return n;
}

static int cmp_table_row(const void *a, const void *b, void *arg)
{
	const struct view_ctx *c = arg;
	const struct snap_table_row *rows = c->rows;
	const struct snap_table_row *x = &rows[*(const size_t *)a];
	const struct snap_table_row *y = &rows[*(const size_t *)b];
	int d = c->key >= 0 ? -cmp_u64(x->v[c->key], y->v[c->key]) :
		c->ordered  ? cmp_u64((__u64)(x - rows), (__u64)(y - rows)) :
			      strcmp(x->key, y->key);

	if (c->asc)
		d = -d;
	return d ? d : strcmp(x->key, y->key);
}

size_t tui_table__view(const struct tui_table *t, int col, bool asc, const char *filter,
		       size_t *idx)
{
	struct view_ctx c = {t->rows, col < (int)t->ncols ? col : -1, asc, t->ordered};
	size_t n = 0;

	for (size_t i = 0; i < t->nrows; i++)
		if (!filter[0] || strcasestr(t->rows[i].key, filter))
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), cmp_table_row, &c);
	return n;
}

const struct snap_event *tui_model__event(const struct tui_model *m, size_t i)
{
	if (i >= m->events.nevents)
		return NULL;
	return &m->events.events[m->events.nevents - 1 - i];
}

/* A view position by pid, for finding parents. */
struct pid_pos {
	__u32 pid;
	size_t pos;
};

static int cmp_pid_pos(const void *a, const void *b)
{
	const struct pid_pos *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int tui_model__tree(const struct tui_model *m, size_t *idx, size_t n, int *depth)
{
	struct pid_pos *byp = malloc((n ? n : 1) * sizeof(*byp));
	long *ws = malloc((n ? n : 1) * 4 * sizeof(*ws)); /* parent, head, tail, next */
	size_t *out = malloc((n ? n : 1) * sizeof(*out));
	size_t *stack = malloc((n ? n : 1) * sizeof(*stack));
	bool *seen = calloc(n ? n : 1, sizeof(*seen));
	long *par, *head, *tail, *next;
	size_t k = 0;
	int err = 0;

	if (!byp || !ws || !out || !stack || !seen) {
		err = -ENOMEM;
		goto out;
	}
	par = ws;
	head = ws + n;
	tail = ws + 2 * n;
	next = ws + 3 * n;
	for (size_t i = 0; i < n; i++) {
		byp[i] = (struct pid_pos){m->rows[idx[i]].r.pid, i};
		head[i] = tail[i] = next[i] = -1;
	}
	qsort(byp, n, sizeof(*byp), cmp_pid_pos);
	for (size_t i = 0; i < n; i++) {
		struct pid_pos key = {m->rows[idx[i]].r.ppid, 0}, *p;

		p = key.pid ? bsearch(&key, byp, n, sizeof(*byp), cmp_pid_pos) : NULL;
		par[i] = p && p->pos != i ? (long)p->pos : -1;
		if (par[i] < 0)
			continue;
		if (tail[par[i]] < 0)
			head[par[i]] = (long)i;
		else
			next[tail[par[i]]] = (long)i;
		tail[par[i]] = (long)i;
	}
	/* roots first in view order; then what a cycle left out, as roots */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t r = 0; r < n; r++) {
			size_t sp = 0;

			if (seen[r] || (pass == 0 && par[r] >= 0))
				continue;
			seen[r] = true;
			depth[k] = 0;
			out[k++] = idx[r];
			stack[sp++] = r;
			while (sp) {
				size_t top = stack[sp - 1];
				long c = head[top];

				if (c < 0) {
					sp--;
					continue;
				}
				head[top] = next[c];
				if (seen[c])
					continue;
				seen[c] = true;
				depth[k] = (int)sp;
				out[k++] = idx[c];
				stack[sp++] = (size_t)c;
			}
		}
	}
	memcpy(idx, out, n * sizeof(*idx));
out:
	free(byp);
	free(ws);
	free(out);
	free(stack);
	free(seen);
	return err;
}
