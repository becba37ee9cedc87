// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdio.h>
#include <string.h>
#include "model/snapshot.h"
#include "store/schema.h"

#define COLS(a) a, sizeof(a) / sizeof(a[0])

static const struct schema_col exec_cols[] = {
    {"event", SCOL_STR}, {"ppid", SCOL_NUM},  {"uid", SCOL_NUM},
    {"start_ns", SCOL_NUM}, {"errno", SCOL_NUM}, {"argv", SCOL_STR},
};
static const struct schema_col exit_cols[] = {
    {"event", SCOL_STR},     {"ppid", SCOL_NUM},	{"uid", SCOL_NUM},
    {"start_ns", SCOL_NUM},  {"exit_code", SCOL_NUM}, {"signal", SCOL_NUM},
    {"core_dumped", SCOL_NUM}, {"lifetime_ns", SCOL_NUM},
};
static const struct schema_col connect_cols[] = {
    {"dir", SCOL_STR},	      {"family", SCOL_STR},	{"saddr", SCOL_STR},
    {"sport", SCOL_NUM},      {"daddr", SCOL_ENDPOINT}, {"dport", SCOL_NUM},
    {"sk_addr", SCOL_ADDR},   {"latency_us", SCOL_NUM}, {"result", SCOL_STR},
    {"errno", SCOL_NUM},
};
static const struct schema_col conn_cols[] = {
    {"dir", SCOL_STR},	      {"family", SCOL_STR},	 {"saddr", SCOL_STR},
    {"sport", SCOL_NUM},      {"daddr", SCOL_ENDPOINT},	 {"dport", SCOL_NUM},
    {"sk_addr", SCOL_ADDR},   {"duration_us", SCOL_NUM}, {"tx_bytes", SCOL_NUM},
    {"rx_bytes", SCOL_NUM},   {"retransmits", SCOL_NUM}, {"resets", SCOL_NUM},
};
static const struct schema_col io_cols[] = {
    {"disk", SCOL_STR},	 {"op", SCOL_STR},	  {"sector", SCOL_NUM},
    {"bytes", SCOL_NUM}, {"queue_us", SCOL_NUM}, {"device_us", SCOL_NUM},
};
static const struct schema_col packet_cols[] = {
    {"id", SCOL_NUM},	    {"flow", SCOL_STR},	    {"dev", SCOL_STR},	   {"len_B", SCOL_NUM},
    {"fate", SCOL_STR},	    {"head_addr", SCOL_ADDR}, {"send_ns", SCOL_NUM}, {"queue_ns", SCOL_NUM},
    {"enq_ns", SCOL_NUM},   {"deq_ns", SCOL_NUM},   {"start_ns", SCOL_NUM}, {"xmit_ns", SCOL_NUM},
    {"rx_ns", SCOL_NUM},    {"recv_ns", SCOL_NUM},  {"tcp_ns", SCOL_NUM},   {"copy_ns", SCOL_NUM},
    {"free_ns", SCOL_NUM},
};
static const struct schema_col shell_cols[] = {
    {"uid", SCOL_NUM},
    {"command", SCOL_STR},
};

#define NET_TRACERS "netproc|tcpconnect|tcplife"

const struct schema_kind schema_kinds[] = {
    {"exec_events", "exec", "event", "exec|exec_failed", COLS(exec_cols), ~0u},
    {"exit_events", "exec", "event", "exit", COLS(exit_cols), ~0u},
    {"connect_events", NET_TRACERS, "result", NULL, COLS(connect_cols), ~0u},
    {"conn_events", NET_TRACERS, "duration_us", NULL, COLS(conn_cols), ~0u},
    {"io_events", "bio", NULL, NULL, COLS(io_cols), ~0u},
    {"packet_events", "pktjourney", NULL, NULL, COLS(packet_cols), 6},
    {"shell_events", "shell", NULL, NULL, COLS(shell_cols), ~0u},
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
