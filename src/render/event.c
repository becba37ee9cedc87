// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "model/snapshot.h"
#include "render/escape.h"
#include "render/event.h"
#include "render/format.h"
#include "render/json_writer.h"

#define MAX_COLS 12 /* the most columns a layout has (10), plus the end marker */
#define TEXT_LEN (SNAP_TEXT_MAX * 4 + 8) /* room for a long string of \xNN escapes */

enum col_how {
	COL_TIME,     /* the event's wall-clock time */
	COL_PID,      /* the event's pid */
	COL_COMM,     /* the event's comm */
	COL_FIELD,    /* field, by its kind */
	COL_MS,       /* duration field in ms with 3 decimals */
	COL_IP,	      /* "4" or "6" from family field */
	COL_ENDPOINT, /* address field, ':', port field2 */
	COL_RET,      /* -errno (field), else exit code (field2), else 0 */
	COL_REST,     /* field (or "[tag]"), then every field no column shows as key=value */
};

struct event_col {
	const char *title;
	int width; /* printf width: negative to align left, 0 for the last column */
	enum col_how how;
	const char *field, *field2;
};

struct event_layout {
	const char *tracer;
	const char *tag;		/* COL_REST shows [value of this field] without its field */
	const char *const *hidden;	/* fields left to JSON, NULL-ended; may be NULL */
	struct event_col cols[MAX_COLS]; /* ends with title == NULL */
};

/*
 * The column vocabulary of the EVENT_LAYOUT lines each tracer declares in its directory
 * (src/tracers/DIR/DIR.def, gathered into tracer_defs.h).
 */
#define COL(t, w, h, f, f2) { .title = (t), .width = (w), .how = (h), .field = (f), .field2 = (f2) }
#define FIELD(t, w, f)	    COL(t, w, COL_FIELD, f, NULL)
#define MS(t, w, f)	    COL(t, w, COL_MS, f, NULL)
#define RET(t, w, f, f2)    COL(t, w, COL_RET, f, f2)
#define REST(t, f)	    COL(t, 0, COL_REST, f, NULL)
#define TIME		    COL("TIME", -12, COL_TIME, NULL, NULL)
#define PID		    COL("PID", 7, COL_PID, NULL, NULL)
#define COMM		    COL("COMM", -15, COL_COMM, NULL, NULL)
#define IP		    COL("IP", 2, COL_IP, "family", NULL)
#define ENDPOINTS                                                                                  \
	COL("SADDR:SPORT", -21, COL_ENDPOINT, "saddr", "sport"),                                   \
		COL("DADDR:DPORT", -21, COL_ENDPOINT, "daddr", "dport")
#define HIDDEN(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define EVENT_LAYOUT(tracer, tag, hidden, ...) { tracer, tag, hidden, { __VA_ARGS__ } },
static const struct event_layout layouts[] = {
#include "tracer_defs.h"
};
#undef EVENT_LAYOUT

/* Any other tracer: time, pid, comm and its fields as key=value. */
static const struct event_layout fallback = { NULL, NULL, NULL,
					      { TIME, PID, COMM, REST("FIELDS", NULL) } };

static const struct event_layout *layout_of(const char *tracer)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcmp(layouts[i].tracer, tracer))
			return &layouts[i];
	return &fallback;
}

static const struct snap_field *find_field(const struct snap_event *e, const char *key)
{
	for (unsigned int i = 0; key && i < e->nfields; i++)
		if (!strcmp(e->fields[i].key, key))
			return &e->fields[i];
	return NULL;
}

/* A field some column (or the tag, or the hidden list) of l shows already. */
static bool field_taken(const struct event_layout *l, const char *key)
{
	if (l->tag && !strcmp(l->tag, key))
		return true;
	for (const char *const *h = l->hidden; h && *h; h++)
		if (!strcmp(*h, key))
			return true;
	for (const struct event_col *c = l->cols; c->title; c++)
		if ((c->field && !strcmp(c->field, key)) || (c->field2 && !strcmp(c->field2, key)))
			return true;
	return false;
}

const char *event__field_text(char *buf, size_t len, const struct snapshot *s,
			      const struct snap_field *fl)
{
	if (fl->is_str)
		return escape__term(buf, len, snapshot__str(s, fl), SNAP_TEXT_MAX + 1);
	switch (fl->kind) {
	case SNAP_NUM_ADDR:
		snprintf(buf, len, "0x%llx", (unsigned long long)fl->num);
		return buf;
	case SNAP_NUM_TIME:
		return format__clock(buf, len, fl->num);
	case SNAP_NUM_NS:
		return format__ns(buf, len, (double)fl->num);
	case SNAP_NUM_US:
		return format__ns(buf, len, (double)fl->num * 1e3);
	default:
		snprintf(buf, len, "%llu", (unsigned long long)fl->num);
		return buf;
	}
}

/* The key of fl as shown in text: a duration's "_ns"/"_us" goes, the value says its unit. */
static void put_key(FILE *f, const struct snap_field *fl)
{
	size_t n = strlen(fl->key);

	if ((fl->kind == SNAP_NUM_NS || fl->kind == SNAP_NUM_US) && n > 3 && fl->key[n - 3] == '_')
		n -= 3;
	fprintf(f, "%.*s=", (int)n, fl->key);
}

static void put_rest(FILE *f, const struct event_layout *l, const struct event_col *c,
		     const struct snapshot *s, const struct snap_event *e, char *buf)
{
	const struct snap_field *main = find_field(e, c->field), *tag = find_field(e, l->tag);
	bool sep = false;

	if (main) {
		fputs(event__field_text(buf, TEXT_LEN, s, main), f);
		sep = true;
	} else if (tag) {
		fprintf(f, "[%s]", event__field_text(buf, TEXT_LEN, s, tag));
		sep = true;
	}
	for (unsigned int i = 0; i < e->nfields; i++) {
		const struct snap_field *fl = &e->fields[i];

		if (field_taken(l, fl->key))
			continue;
		if (sep)
			fputc(' ', f);
		put_key(f, fl);
		fputs(event__field_text(buf, TEXT_LEN, s, fl), f);
		sep = true;
	}
}

/* The text of a one-value column into buf; "-" when its field is missing. */
static const char *cell(char *buf, size_t len, const struct event_col *c,
			const struct snapshot *s, const struct snap_event *e)
{
	const struct snap_field *a = find_field(e, c->field), *b = find_field(e, c->field2);
	char addr[SNAP_FIELD_STR_LEN * 4];

	switch (c->how) {
	case COL_TIME:
		return format__clock(buf, len, e->ts_ns);
	case COL_PID:
		snprintf(buf, len, "%u", e->pid);
		return buf;
	case COL_COMM:
		return escape__term(buf, len, e->comm, sizeof(e->comm));
	case COL_MS:
		if (!a || a->is_str)
			break;
		snprintf(buf, len, "%.3f", (double)a->num / (a->kind == SNAP_NUM_NS ? 1e6 : 1e3));
		return buf;
	case COL_IP:
		if (!a || !a->is_str)
			break;
		snprintf(buf, len, "%s", !strcmp(a->str, "ipv6") ? "6" :
					 !strcmp(a->str, "ipv4") ? "4" : "?");
		return buf;
	case COL_ENDPOINT:
		if (!a || !b)
			break;
		event__field_text(addr, sizeof(addr), s, a);
		snprintf(buf, len, strchr(addr, ':') ? "[%s]:%llu" : "%s:%llu", addr,
			 (unsigned long long)b->num);
		return buf;
	case COL_RET:
		if (a)
			snprintf(buf, len, "-%llu", (unsigned long long)a->num);
		else
			snprintf(buf, len, "%llu", b ? (unsigned long long)b->num : 0ULL);
		return buf;
	default:
		if (a)
			return event__field_text(buf, len, s, a);
		break;
	}
	snprintf(buf, len, "-");
	return buf;
}

void event__print_header(FILE *f, const char *tracer)
{
	const struct event_layout *l = layout_of(tracer);

	for (const struct event_col *c = l->cols; c->title; c++)
		fprintf(f, "%s%*s", c == l->cols ? "" : " ", c->width, c->title);
	fputc('\n', f);
}

void event__print(FILE *f, const struct snapshot *s, const struct snap_event *e)
{
	const struct event_layout *l = layout_of(e->tracer);
	char buf[TEXT_LEN]; /* 16 KiB: a long argv with every byte escaped */

	for (const struct event_col *c = l->cols; c->title; c++) {
		if (c != l->cols)
			fputc(' ', f);
		if (c->how == COL_REST)
			put_rest(f, l, c, s, e, buf);
		else
			fprintf(f, "%*s", c->width, cell(buf, TEXT_LEN, c, s, e));
	}
	fputc('\n', f);
}

void event__write_json(struct json_writer *w, const struct snapshot *s, const struct snap_event *e)
{
	json__begin_object(w);
	json__key_string(w, "type", "event");
	json__key(w, "time");
	json__time(w, e->ts_ns);
	json__key_u64(w, "ts_ns", e->ts_ns);
	if (s && snapshot__host(s, e->host))
		json__key_string(w, "host", snapshot__host(s, e->host));
	json__key_string(w, "tracer", e->tracer);
	json__key_u64(w, "pid", e->pid);
	json__key(w, "comm");
	json__string_n(w, e->comm, sizeof(e->comm));
	for (unsigned int k = 0; k < e->nfields; k++) {
		const struct snap_field *fl = &e->fields[k];

		json__key(w, fl->key);
		if (fl->is_str)
			json__string_n(w, snapshot__str(s, fl), SNAP_TEXT_MAX + 1);
		else if (fl->kind == SNAP_NUM_ADDR)
			json__addr(w, fl->num);
		else
			json__u64(w, fl->num);
	}
	json__end_object(w);
}
