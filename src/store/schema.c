// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "model/snapshot.h"
#include "store/schema.h"

/* A name (S), free text (X), an IP address (E), a kernel address (A), a number (N), or a number of
 * a kind the tracer gives it (T: a time, a duration, a size), shown so by every output. Each
 * tracer declares its tables with these in its directory (EVENT_KIND in src/tracers/DIR/DIR.def,
 * gathered into tracer_defs.h in the order of their rank). */
#define S(key)	     {key, SCOL_STR, SNAP_NUM_PLAIN}
#define X(key)	     {key, SCOL_TEXT, SNAP_NUM_PLAIN}
#define E(key)	     {key, SCOL_ENDPOINT, SNAP_NUM_PLAIN}
#define A(key)	     {key, SCOL_ADDR, SNAP_NUM_ADDR}
#define N(key)	     {key, SCOL_NUM, SNAP_NUM_PLAIN}
#define T(key, kind) {key, SCOL_NUM, SNAP_NUM_##kind}
#define EVENT_KIND(rank, table, tracers, key, vals, sorted_from, sorted_to, ...)                  \
    {table, tracers, key, vals, (const struct schema_col[]){__VA_ARGS__},                         \
     sizeof((const struct schema_col[]){__VA_ARGS__}) / sizeof(struct schema_col), sorted_from,  \
     sorted_to},

const struct schema_kind schema_kinds[] = {
#include "tracer_defs.h"
};
const unsigned int schema_nkinds = sizeof(schema_kinds) / sizeof(schema_kinds[0]);

/* Is s one of the '|' separated names in list? */
static bool in_list(const char *list, const char *s)
{
	size_t n = strlen(s);

	while (list && *list) {
		size_t m = strcspn(list, "|");

		if (m == n && !strncmp(list, s, n))
			return true;
		list += m + (list[m] == '|');
	}
	return false;
}

static const struct snap_field *field(const struct snap_event *e, const char *key)
{
	for (unsigned int i = 0; i < e->nfields; i++)
		if (e->fields[i].key && !strcmp(e->fields[i].key, key))
			return &e->fields[i];
	return NULL;
}

const struct schema_kind *schema__kind_of(const struct snap_event *e)
{
	char tracer[SNAP_NAME_LEN + 1];

	snprintf(tracer, sizeof(tracer), "%.*s", SNAP_NAME_LEN, e->tracer);
	for (unsigned int k = 0; k < schema_nkinds; k++) {
		const struct schema_kind *sk = &schema_kinds[k];
		const struct snap_field *f;

		if (!in_list(sk->tracers, tracer))
			continue;
		if (!sk->match_key)
			return sk;
		f = field(e, sk->match_key);
		if (f && (!sk->match_vals || (f->is_str && in_list(sk->match_vals, f->str))))
			return sk;
	}
	return NULL;
}

bool schema__has_tracer_col(const struct schema_kind *k)
{
	return strchr(k->tracers, '|') != NULL;
}

bool schema__col_text(const struct schema_col *c)
{
	return c->type == SCOL_STR || c->type == SCOL_TEXT || c->type == SCOL_ENDPOINT;
}

bool schema__col_interned(const struct schema_col *c)
{
	return c->type == SCOL_STR || c->type == SCOL_ENDPOINT;
}

int schema__col_of(const struct schema_kind *k, const struct snap_field *f)
{
	for (unsigned int c = 0; f->key && c < k->ncols; c++)
		if (!strcmp(k->cols[c].key, f->key))
			return f->is_str == schema__col_text(&k->cols[c]) ? (int)c : -1;
	return -1;
}

void schema__assign(const struct schema_kind *k, const struct snap_event *e, int *col)
{
	unsigned long long filled = 0;

	for (unsigned int i = 0; i < e->nfields; i++) {
		int c = k ? schema__col_of(k, &e->fields[i]) : -1;

		if (c >= 0 && !(filled & (1ULL << c)))
			filled |= 1ULL << c;
		else
			c = -1;
		col[i] = c;
	}
}

bool schema__col_searched(const struct schema_col *c)
{
	return c->type == SCOL_ADDR || c->type == SCOL_ENDPOINT;
}

void schema__put(const struct schema_kind *k, unsigned int c, struct snapshot *s,
		 struct snap_event *e, const char *str, __u64 num)
{
	struct snap_field *f;

	if (e->nfields >= SNAP_EVENT_FIELDS)
		return;
	f = &e->fields[e->nfields++];
	memset(f, 0, sizeof(*f));
	f->key = k->cols[c].key;
	f->is_str = schema__col_text(&k->cols[c]);
	if (f->is_str) {
		snap_field__set_str(s, f, str, false);
	} else {
		f->kind = k->cols[c].kind;
		f->num = num;
	}
}

void schema__order_stages(const struct schema_kind *k, struct snap_event *e)
{
	unsigned int from = e->nfields, to = 0;

	/* the stage columns were put in column order: one run of fields */
	for (unsigned int i = 0; i < e->nfields; i++)
		for (unsigned int c = k->sorted_from; c < k->sorted_to && c < k->ncols; c++)
			if (e->fields[i].key == k->cols[c].key) {
				from = i < from ? i : from;
				to = i + 1;
			}
	/* insertion sort keeps declaration order on ties, as the tracer emitted them */
	for (unsigned int i = from + 1; i < to; i++) {
		struct snap_field f = e->fields[i];
		unsigned int j = i;

		for (; j > from && e->fields[j - 1].num > f.num; j--)
			e->fields[j] = e->fields[j - 1];
		e->fields[j] = f;
	}
}
