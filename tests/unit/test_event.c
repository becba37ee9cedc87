// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include "model/snapshot.h"
#include "render/event.h"
#include "render/json_writer.h"
#include "unit.h"

#define TS 1796152844102043305ULL /* 2026-12-01T19:20:44.102043305Z */

/* Header and line of event e of s as text (free it). */
static char *text_in(const struct snapshot *s, const struct snap_event *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	event__print_header(f, e->tracer);
	event__print(f, s, e);
	fclose(f);
	return buf;
}

/* The same for an event with short strings only. */
static char *text_of(const struct snap_event *e)
{
	static const struct snapshot none;

	return text_in(&none, e);
}

/* An empty event of tracer by pid (comm) at TS. */
static void event_init(struct snap_event *e, const char *tracer, __u32 pid, const char *comm)
{
	memset(e, 0, sizeof(*e));
	snprintf(e->tracer, sizeof(e->tracer), "%s", tracer);
	snprintf(e->comm, sizeof(e->comm), "%s", comm);
	e->pid = pid;
	e->ts_ns = TS;
}

static void tcplife_event(struct snap_event *e)
{
	event_init(e, "tcplife", 4242, "curl");
	snap_event__str(e, "dir", "connect");
	snap_event__str(e, "family", "ipv6");
	snap_event__str(e, "saddr", "::1");
	snap_event__num(e, "sport", 40000);
	snap_event__str(e, "daddr", "::1");
	snap_event__num(e, "dport", 443);
	snap_event__typed(e, "sk_addr", 0xffff888106efe5c0ULL, SNAP_NUM_ADDR);
	snap_event__typed(e, "duration_us", 1530, SNAP_NUM_US);
	snap_event__num(e, "tx_bytes", 517);
	snap_event__num(e, "rx_bytes", 4096);
	snap_event__num(e, "retransmits", 0);
}

void test_event__tcplife_columns(void)
{
	struct snap_event e;
	char *out;

	tcplife_event(&e);
	out = text_of(&e);
	ASSERT_TRUE(strstr(out, "TIME             PID COMM            IP SADDR:SPORT           "
				"DADDR:DPORT               TX_B     RX_B        MS \n"),
		    "header");
	ASSERT_TRUE(strstr(out, "    4242 curl             6 [::1]:40000           "
				"[::1]:443                  517     4096     1.530 dir=connect "
				"retransmits=0\n"),
		    "line: IPv6 endpoints bracketed, ms with 3 decimals, the rest as key=value");
	ASSERT_TRUE(!strstr(out, "sk_addr"), "the address is left to JSON");
	free(out);
}

void test_event__every_layout_prints(void)
{
	static const char *const tracers[] = { "exec", "tcpconnect", "tcplife", "shell",
					       "bio", "pktjourney", "other" };
	struct snap_event e;

	for (size_t i = 0; i < sizeof(tracers) / sizeof(tracers[0]); i++) {
		char *out;

		tcplife_event(&e);
		snprintf(e.tracer, sizeof(e.tracer), "%s", tracers[i]);
		snprintf(e.comm, sizeof(e.comm), "a\x1b[2Jb");
		out = text_of(&e);
		ASSERT_TRUE(strncmp(out, "TIME ", 5) == 0, tracers[i]);
		ASSERT_TRUE(!strchr(out, '\x1b'), "no raw ESC");
		ASSERT_TRUE(strstr(out, "a\\e[2Jb") || !strcmp(tracers[i], "pktjourney"),
			    "comm escaped");
		free(out);
	}
}

static void exec_event(struct snap_event *e)
{
	event_init(e, "exec", 7, "true");
	snap_event__str(e, "event", "exit");
	snap_event__num(e, "ppid", 1);
	snap_event__num(e, "uid", 0);
	snap_event__typed(e, "start_ns", TS - 1000, SNAP_NUM_TIME);
	snap_event__num(e, "exit_code", 3);
	snap_event__typed(e, "lifetime_ns", 1530000, SNAP_NUM_NS);
}

void test_event__exec_exit_line(void)
{
	struct snap_event e;
	char *out;

	exec_event(&e);
	out = text_of(&e);
	ASSERT_TRUE(strstr(out, "      7       1     0    3 true            [exit] lifetime=1.53ms\n"),
		    "RET is the exit code, the kind tagged, the duration in human units");
	free(out);
}

void test_event__json_object(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *want = "{\"type\":\"event\",\"time\":\"2026-12-01T19:20:44.102043305Z\","
			   "\"ts_ns\":\"1796152844102043305\",\"tracer\":\"tcplife\",";
	struct json_writer w;
	struct snap_event e;

	tcplife_event(&e);
	json__init(&w, f);
	event__write_json(&w, &(struct snapshot){ 0 }, &e);
	fclose(f);
	ASSERT_TRUE(!strncmp(buf, want, strlen(want)), "type, RFC 3339 time, ts_ns as a string");
	ASSERT_TRUE(strstr(buf, "\"sk_addr\":\"0xffff888106efe5c0\""), "address in hex");
	ASSERT_TRUE(strstr(buf, "\"duration_us\":1530,"), "53-bit numbers stay numbers");
	free(buf);
}

/* An argv of 4000 bytes with UTF-8 and escapes comes out whole: escaped in text, as is in JSON. */
void test_event__long_argv_whole(void)
{
	char argv[4001], *out, *json = NULL;
	struct snapshot s = { 0 };
	struct json_writer w;
	struct snap_event *e;
	size_t len = 0;
	FILE *f;

	memset(argv, 'a', sizeof(argv) - 1);
	argv[sizeof(argv) - 1] = '\0';
	memcpy(argv, "/bin/x \xc3\xa9 \x1b]0;T\x07 ", 17);
	memcpy(argv + sizeof(argv) - 5, " end", 4);
	e = snapshot__add_event(&s, "exec", TS, 7, "x");
	snap_event__str(e, "event", "exec");
	snap_event__num(e, "ppid", 1);
	snap_event__num(e, "uid", 0);
	snap_event__str_cut(&s, e, "argv", argv, false);
	out = text_in(&s, e);
	ASSERT_TRUE(strstr(out, " x               /bin/x \xc3\xa9 \\e]0;T\\x07 aaaa") != NULL,
		    "UTF-8 passes, ESC and BEL escaped");
	ASSERT_TRUE(strstr(out, "aaaa end\n") != NULL, "the whole 4000 bytes, not cut");
	ASSERT_TRUE(!strstr(out, "..."), "not marked cut");
	free(out);
	f = open_memstream(&json, &len);
	json__init(&w, f);
	event__write_json(&w, &s, e);
	fclose(f);
	ASSERT_TRUE(strstr(json, "\"argv\":\"/bin/x \xc3\xa9 \\u001b]0;T\\u0007 aaa") != NULL,
		    "JSON: UTF-8 as is, controls as \\u00XX");
	ASSERT_TRUE(strstr(json, "aaaa end\"") != NULL, "JSON: whole");
	free(json);
	snapshot__free(&s);
}
