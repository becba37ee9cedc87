// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "model/history.h"
#include "model/snapshot.h"
#include "unit.h"

void test_snapshot__merge_rows(void)
{
	struct snapshot s = { 0 };
	struct proc_row *r;
	size_t idx[3];

	r = snapshot__add_row(&s, 20, "b");
	r->values[METRIC_SYSCALLS] = 5;
	r = snapshot__add_row(&s, 10, "a");
	r->values[METRIC_SYSCALLS] = 7;
	r = snapshot__add_row(&s, 20, "");
	r->values[METRIC_READ_OPS] = 3;
	r = snapshot__add_row(&s, 30, "c");
	r->values[METRIC_SYSCALLS] = 9;
	snapshot__finish(&s);
	ASSERT_EQ(s.nrows, 3, "rows merged by pid");
	ASSERT_EQ(s.rows[1].pid, 20, "sorted by pid");
	ASSERT_EQ(s.rows[1].values[METRIC_SYSCALLS], 5, "tracer 1 value");
	ASSERT_EQ(s.rows[1].values[METRIC_READ_OPS], 3, "tracer 2 value");
	ASSERT_STREQ(s.rows[1].comm, "b", "comm kept");
	ASSERT_EQ(snapshot__total(&s, METRIC_SYSCALLS), 21, "total");
	ASSERT_TRUE(snapshot__find_row(&s, 30) != NULL, "find");
	ASSERT_TRUE(snapshot__find_row(&s, 31) == NULL, "not found");
	snapshot__sort_rows(&s, METRIC_SYSCALLS, idx);
	ASSERT_EQ(s.rows[idx[0]].pid, 30, "largest first");
	ASSERT_EQ(s.rows[idx[2]].pid, 20, "smallest last");
	snapshot__free(&s);
}

void test_snapshot__events_bounded(void)
{
	struct snapshot s = { 0 };
	struct snap_event *e;

	for (int i = 0; i < SNAP_EVENTS_MAX + 5; i++) {
		e = snapshot__add_event(&s, "t", i, 1, "x");
		if (e)
			snap_event__num(e, "i", i);
	}
	ASSERT_EQ(s.nevents, SNAP_EVENTS_MAX, "bounded");
	ASSERT_EQ(s.events_lost, 5, "overflow counted");
	ASSERT_EQ(s.events[3].fields[0].num, 3, "field");
	/* each tracer has its own cap: another one's events are still kept */
	for (int i = 0; i < 3; i++)
		ASSERT_TRUE(snapshot__add_event(&s, "u", i, 2, "y") != NULL, "another tracer");
	ASSERT_EQ(s.nevents, SNAP_EVENTS_MAX + 3, "kept past the first tracer's cap");
	ASSERT_EQ(s.nevent_counts, 2, "two tracers counted");
	ASSERT_STREQ(s.event_counts[0].tracer, "t", "first seen first");
	ASSERT_EQ(s.event_counts[0].kept, SNAP_EVENTS_MAX, "t kept");
	ASSERT_EQ(s.event_counts[0].lost, 5, "t lost");
	ASSERT_EQ(s.event_counts[1].kept, 3, "u kept");
	ASSERT_EQ(s.event_counts[1].lost, 0, "u lost nothing");
	snapshot__reset(&s);
	ASSERT_EQ(s.nevents, 0, "reset");
	ASSERT_EQ(s.events_lost, 0, "reset lost");
	ASSERT_EQ(s.nevent_counts, 0, "reset counts");
	snapshot__free(&s);
}

/*
 * Long strings are kept whole up to SNAP_TEXT_MAX in the snapshot's text (the
 * field's str holds their start, ending with "..."); longer ones, or ones cut
 * by their source, end with "...".
 */
void test_snapshot__str_cut(void)
{
	char longer[SNAP_FIELD_STR_LEN + 10], huge[SNAP_TEXT_MAX + 100];
	struct snapshot s = { 0 };
	struct snap_event *e;
	const char *v;

	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	memset(huge, 'b', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	e = snapshot__add_event(&s, "t", 1, 2, "c");
	ASSERT_TRUE(e != NULL, "event");
	snap_event__str_cut(&s, e, "short", "ls -l", false);
	snap_event__str_cut(&s, e, "long", longer, false);
	snap_event__str_cut(&s, e, "source_cut", "abc", true);
	snap_event__str_cut(&s, e, "huge", huge, false);
	ASSERT_STREQ(snapshot__str(&s, &e->fields[0]), "ls -l", "short kept");
	ASSERT_STREQ(snapshot__str(&s, &e->fields[1]), longer, "long kept whole");
	ASSERT_EQ(strlen(e->fields[1].str), SNAP_FIELD_STR_LEN - 1, "its start in the field");
	ASSERT_STREQ(e->fields[1].str + SNAP_FIELD_STR_LEN - 4, "...", "which ends with ...");
	ASSERT_STREQ(snapshot__str(&s, &e->fields[2]), "abc...", "cut by the source");
	v = snapshot__str(&s, &e->fields[3]);
	ASSERT_EQ(strlen(v), SNAP_TEXT_MAX, "past the bound: cut to it");
	ASSERT_STREQ(v + SNAP_TEXT_MAX - 3, "...", "and marked");
	ASSERT_STREQ(snapshot__str(&s, &(struct snap_field){ .is_str = true, .num = 1u << 30 }),
		     "", "an offset past the text reads as empty");
	snapshot__free(&s);
}

/* A copied event brings its long strings along (TUI, merge); so does a copied snapshot. */
void test_snapshot__copy_long_strings(void)
{
	struct snapshot a = { 0 }, b = { 0 }, c = { 0 };
	char argv[3000];
	struct snap_event *e;

	memset(argv, 'x', sizeof(argv) - 1);
	argv[sizeof(argv) - 1] = '\0';
	e = snapshot__add_event(&a, "exec", 1, 2, "c");
	snap_event__str_cut(&a, e, "pad", argv + 1000, false); /* b's text starts elsewhere */
	snap_event__str_cut(&a, e, "argv", argv, false);
	e = snapshot__add_event(&b, "exec", 1, 2, "c");
	snap_event__str_cut(&b, e, "other", argv + 2000, false);
	e = snapshot__copy_event(&b, &a, &a.events[0]);
	ASSERT_TRUE(e != NULL, "copied");
	ASSERT_STREQ(snapshot__str(&b, &e->fields[1]), argv, "whole in the copy");
	ASSERT_STREQ(snapshot__str(&b, &b.events[0].fields[0]), argv + 2000, "the other intact");
	ASSERT_EQ(snapshot__copy(&c, &b, 16), 0, "snapshot copied");
	ASSERT_STREQ(snapshot__str(&c, &c.events[1].fields[1]), argv, "whole in the history");
	snapshot__free(&a);
	snapshot__free(&b);
	snapshot__free(&c);
}
