/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What one interval saw: per-process rows, labelled histograms, small keyed
 * tables, a bounded list of events and each tracer's health. Tracers fill it,
 * sinks read it; it never touches BPF.
 */
#ifndef TRACERHUB_MODEL_SNAPSHOT_H
#define TRACERHUB_MODEL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "model/hist.h"
#include "model/metric.h"

#define SNAP_COMM_LEN	   16
#define SNAP_NAME_LEN	   32
#define SNAP_LABEL_LEN	   64
#define SNAP_TABLE_COLS	   6
/* pktjourney: id, flow, dev, len, fate, head_addr, 12 stage times, reason, sender, reader */
#define SNAP_EVENT_FIELDS  23
#define SNAP_FIELD_STR_LEN 64
#define SNAP_TEXT_MAX	   4096 /* longest event string kept (argv, a shell line), without NUL */
#define SNAP_EVENTS_MAX	   4096 /* events kept per tracer and interval: each tracer's own cap */
#define SNAP_EVENT_TRACERS 16	/* tracers whose events one snapshot counts (10 exist) */

struct proc_row {
	__u32 pid;  /* process id (tgid) */
	__u32 ppid; /* its parent's, 0 when unknown */
	__u16 host; /* in a fleet's snapshot: its host, hosts[host - 1]; 0 otherwise */
	char comm[SNAP_COMM_LEN];
	__u64 values[METRIC_COUNT]; /* per interval, see metric.h */
};

struct snap_hist {
	char tracer[SNAP_NAME_LEN];
	char name[SNAP_NAME_LEN];    /* e.g. "syscall_latency" */
	char label[SNAP_LABEL_LEN];  /* e.g. "syscall=read", "" for overall */
	char unit[8];		     /* unit of the values: "ns", "us", "B" */
	struct hist h;
};

/* A small table keyed by a string, e.g. per-syscall counts. */
struct snap_table_row {
	char key[SNAP_NAME_LEN];
	__u64 v[SNAP_TABLE_COLS];
};

struct snap_table {
	char tracer[SNAP_NAME_LEN];
	char name[SNAP_NAME_LEN];
	char key_name[SNAP_NAME_LEN];
	unsigned int ncols;
	const char *cols[SNAP_TABLE_COLS];  /* column names, static strings */
	const char *units[SNAP_TABLE_COLS]; /* unit per column, static strings */
	struct snap_table_row *rows;
	size_t nrows, cap;
	bool ordered; /* rows are in a meaningful order (e.g. path order): sinks keep it */
};

/* What a numeric event field holds, so that every sink shows it the same way. */
enum snap_num_kind {
	SNAP_NUM_PLAIN, /* a number (count, id, port, errno) */
	SNAP_NUM_ADDR,  /* a kernel address: "0xffff..." in every sink */
	SNAP_NUM_TIME,  /* a CLOCK_REALTIME time in ns */
	SNAP_NUM_NS,    /* a duration in ns */
	SNAP_NUM_US,    /* a duration in us */
	SNAP_NUM_BYTES, /* a size in bytes */
};

/*
 * A string field keeps up to SNAP_FIELD_STR_LEN - 1 bytes in str; a longer one
 * (up to SNAP_TEXT_MAX) is kept whole in its snapshot's text, num being 1 + its
 * offset there, and str holds its start ending with "...". Read strings with
 * snapshot__str.
 */
struct snap_field {
	const char *key; /* static string */
	bool is_str;
	enum snap_num_kind kind; /* of num; SNAP_NUM_PLAIN for strings */
	__u64 num;
	char str[SNAP_FIELD_STR_LEN];
};

struct snap_event {
	__u64 ts_ns; /* CLOCK_REALTIME */
	char tracer[SNAP_NAME_LEN];
	__u32 pid;
	__u16 host; /* as in proc_row */
	char comm[SNAP_COMM_LEN];
	unsigned int nfields;
	struct snap_field fields[SNAP_EVENT_FIELDS];
};

/*
 * The events of one tracer (the events' tracer name) this interval: kept up
 * to its cap, SNAP_EVENTS_MAX, the rest lost and counted.
 */
struct snap_event_count {
	char tracer[SNAP_NAME_LEN];
	__u32 kept;
	__u64 lost;
};

/*
 * BPF run-time statistics, sampled: they cost about 60 ns per program run
 * while on, so they are on only in short windows; the figures are the last
 * window's. run_ns and run_cnt are that window's totals, given once, in the
 * interval it closed in (0 in the others).
 */
struct snap_cost {
	__u64 run_ns;
	__u64 run_cnt;
	double ns_per_run;   /* 0: no window yet (or statistics off) */
	double runs_per_s;   /* program runs per second during the window */
	__u64 sample_age_ns; /* how long ago the window closed */
};

struct snap_health {
	char tracer[SNAP_NAME_LEN];
	char rung[16];	   /* attach rung used: tp_btf, raw_tp, tracepoint */
	__u64 events;	   /* events the kernel side handled this interval */
	__u64 drops;	   /* events it could not record (map or ring buffer full) */
	struct snap_cost cost;
	unsigned int nprogs;
	unsigned int window_n; /* N: counted in sampling windows, 1/N of the time, and scaled: est. */
};

struct snapshot {
	__u64 ts_ns;	       /* end of interval, CLOCK_REALTIME */
	__u64 interval_ns;     /* length of the interval */
	__u64 metrics_present; /* bit m set when some tracer reports metric m */
	bool final;	       /* last snapshot before exit */
	bool events_streamed;  /* events went to sink->event as they came: not to render again */

	struct proc_row *rows;
	size_t nrows, rows_cap;
	struct snap_hist *hists;
	size_t nhists, hists_cap;
	struct snap_table *tables;
	size_t ntables, tables_cap;
	struct snap_event *events;
	size_t nevents, events_cap;
	__u64 events_lost; /* events not kept this interval: past their tracer's cap (or memory) */
	struct snap_event_count event_counts[SNAP_EVENT_TRACERS]; /* per tracer, first seen first */
	unsigned int nevent_counts;
	struct snap_cost cost; /* every BPF program of the run, each once (shared hooks too) */
	__u64 self_cpu_ns;     /* CPU time tracerhub itself used in the interval, all threads */
	bool self_cpu_known;   /* measured: a live run's, or a recording of one */
	struct snap_health *health;
	size_t nhealth, health_cap;
	char *text; /* event strings longer than a field's str, each ending with NUL */
	size_t text_len, text_cap;
	/* a fleet's snapshot (several hosts' rows and events): their names, held by its source */
	const char *const *hosts;
	const __u64 *host_metrics; /* the metrics each host reports (bits as metrics_present) */
	unsigned int nhosts;
};

/* Empty everything but keep the allocations. */
void snapshot__reset(struct snapshot *s);
/* Free all memory; s may be NULL. */
void snapshot__free(struct snapshot *s);

/*
 * Append a row for pid (rows of the same pid from several tracers are merged
 * by snapshot__finish). Returns the row, zeroed but for pid and comm, or NULL
 * with errno = ENOMEM.
 */
struct proc_row *snapshot__add_row(struct snapshot *s, __u32 pid, const char *comm);
/* Mark metric m as reported this interval (its column is shown). */
void snapshot__declare_metric(struct snapshot *s, enum metric m);
/* Declare the metrics named in list, comma separated (unknown names are skipped). */
void snapshot__declare_metrics(struct snapshot *s, const char *list);
/* Add a histogram; returns it zeroed (but for names), or NULL with errno = ENOMEM. */
struct snap_hist *snapshot__add_hist(struct snapshot *s, const char *tracer, const char *name,
				     const char *label, const char *unit);
/* Add a table with ncols columns (names/units are static strings); NULL on ENOMEM. */
struct snap_table *snapshot__add_table(struct snapshot *s, const char *tracer, const char *name,
				       const char *key_name, unsigned int ncols,
				       const char *const *cols, const char *const *units);
/* Add a row to a table; NULL on ENOMEM. */
struct snap_table_row *snap_table__add_row(struct snap_table *t, const char *key);
/* Make *rows (room for *cap) a copy of t's rows, their number in *n; 0 or -ENOMEM. */
int snap_table__copy_rows(const struct snap_table *t, struct snap_table_row **rows, size_t *cap,
			  size_t *n);
/*
 * The header every sink shows for a table column named col of unit unit,
 * into buf (len bytes): a time column (ns, us, ms or s) by its name without
 * the unit suffix, since its values carry their unit ("avg", not "avg_ns"
 * over "1.92us"); any other column is a rate ("count/s"). Returns buf.
 */
const char *snap_table__header(char *buf, size_t len, const char *col, const char *unit);
/*
 * Add an event of tracer; returns it (fields empty), or NULL when that tracer
 * has SNAP_EVENTS_MAX events this interval already or memory ran out: then
 * the event is counted in events_lost and the tracer's event_counts.
 */
struct snap_event *snapshot__add_event(struct snapshot *s, const char *tracer, __u64 ts_ns,
				       __u32 pid, const char *comm);
/*
 * The event count of tracer, added (zeroed) when new; NULL when
 * SNAP_EVENT_TRACERS tracers are counted already.
 */
struct snap_event_count *snapshot__event_count(struct snapshot *s, const char *tracer);
/* Append a numeric / string field to an event (ignored past SNAP_EVENT_FIELDS). */
void snap_event__num(struct snap_event *e, const char *key, __u64 v);
void snap_event__str(struct snap_event *e, const char *key, const char *v);
/* Append a numeric field of the given kind (an address, a time, a duration, a size). */
void snap_event__typed(struct snap_event *e, const char *key, __u64 v, enum snap_num_kind kind);
/*
 * Append a string field that may be long (argv, a shell line): kept whole up to
 * SNAP_TEXT_MAX bytes in s's text; one cut to fit, or cut already by its source
 * (cut set), ends with "...". Without memory for the text, its start is kept
 * (ending with "...").
 */
void snap_event__str_cut(struct snapshot *s, struct snap_event *e, const char *key, const char *v,
			 bool cut);
/* Set f to the string v as snap_event__str_cut does (its key and place unchanged). */
void snap_field__set_str(struct snapshot *s, struct snap_field *f, const char *v, bool cut);
/*
 * The whole string of field f of an event of s: from s's text when it is
 * long, else f->str; "" for a number or a text offset s does not hold.
 */
const char *snapshot__str(const struct snapshot *s, const struct snap_field *f);
/*
 * Copy event e of snapshot src into slot (an event of dst), its long strings
 * into dst's text. 0, or -ENOMEM (slot then holds e's short forms).
 */
int snapshot__put_event(struct snapshot *dst, struct snap_event *slot, const struct snapshot *src,
			const struct snap_event *e);
/* Append a copy of event e of src to dst; NULL as snapshot__add_event, or on ENOMEM. */
struct snap_event *snapshot__copy_event(struct snapshot *dst, const struct snapshot *src,
					const struct snap_event *e);
/* Add the health record of a tracer; NULL on ENOMEM. */
struct snap_health *snapshot__add_health(struct snapshot *s, const char *tracer);
/* Merge rows with the same pid (and host) and sort them by host, then pid. */
void snapshot__finish(struct snapshot *s);
/* The name of host index h of a row or event (0: none, NULL). */
const char *snapshot__host(const struct snapshot *s, unsigned int h);
/* Does row r report metric m (declared, and by its host in a fleet's snapshot)? */
bool snapshot__row_has(const struct snapshot *s, const struct proc_row *r, enum metric m);

/* The row of pid (of no host) after snapshot__finish, or NULL. */
const struct proc_row *snapshot__find_row(const struct snapshot *s, __u32 pid);
/* Total of metric m over all rows. */
__u64 snapshot__total(const struct snapshot *s, enum metric m);
/*
 * Fill idx[0..nrows) with row indexes sorted by metric m, largest first (ties
 * by pid). idx must have room for s->nrows entries.
 */
void snapshot__sort_rows(const struct snapshot *s, enum metric m, size_t *idx);

#endif
