// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdlib.h>
#include "query/prom.h"
#include "unit.h"

/* Render p into a malloc'd string. */
static char *render(const struct prom *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	prom__render(p, f);
	fclose(f);
	return buf;
}

/* What a renderer keeping the top series renders after n intervals like s; NULL when it
 * cannot be made. */
static char *render_after(const struct snapshot *s, unsigned int top, int n)
{
	struct prom p;
	char *out;

	if (prom__init(&p, top))
		return NULL;
	for (int i = 0; i < n; i++)
		prom__add(&p, s);
	out = render(&p);
	prom__free(&p);
	return out;
}

static void interval(struct prom *p, const __u32 *pids, const __u64 *syscalls, int n)
{
	struct snapshot s = {0};

	snapshot__declare_metric(&s, METRIC_SYSCALLS);
	for (int i = 0; i < n; i++)
		snapshot__add_row(&s, pids[i], "p")->values[METRIC_SYSCALLS] = syscalls[i];
	snapshot__finish(&s);
	prom__add(p, &s);
	snapshot__free(&s);
}

void test_prom__top_n_and_other(void)
{
	static const __u32 pids[] = {1, 2, 3};
	static const __u64 v1[] = {100, 50, 10};
	static const __u32 pid3[] = {3};
	static const __u64 v3[] = {1000};
	struct prom p;
	char *out;

	ASSERT_EQ(prom__init(&p, 2), 0, "init");
	/* a process seen in fewer than 3 intervals in a row gets no series: all in "other" */
	interval(&p, pids, v1, 3);
	interval(&p, pids, v1, 3);
	out = render(&p);
	ASSERT_TRUE(!strstr(out, "pid=\"1\""), "pid 1 not admitted after two intervals");
	ASSERT_TRUE(strstr(out, "tracerhub_syscalls_total{pid=\"other\",comm=\"other\"} 320\n"),
		    "other, with the labels of the others");
	free(out);
	/* a third: admitted, new series start at 0, this interval counted in "other" */
	interval(&p, pids, v1, 3);
	out = render(&p);
	ASSERT_TRUE(strstr(out, "tracerhub_syscalls_total{pid=\"1\",comm=\"p\"} 0\n"),
		    "pid 1 admitted");
	ASSERT_TRUE(strstr(out, "tracerhub_syscalls_total{pid=\"2\",comm=\"p\"} 0\n"),
		    "pid 2 admitted");
	ASSERT_TRUE(!strstr(out, "pid=\"3\""), "pid 3: no room");
	ASSERT_TRUE(strstr(out, "{pid=\"other\",comm=\"other\"} 480\n"), "other");
	free(out);
	interval(&p, pids, v1, 3);
	out = render(&p);
	ASSERT_TRUE(strstr(out, "{pid=\"1\",comm=\"p\"} 100\n"), "pid 1 counts");
	ASSERT_TRUE(strstr(out, "{pid=\"2\",comm=\"p\"} 50\n"), "pid 2 counts");
	ASSERT_TRUE(strstr(out, "{pid=\"other\",comm=\"other\"} 490\n"), "other keeps growing");
	free(out);
	/* a much busier process takes the quietest series; "other" never goes down */
	interval(&p, pid3, v3, 1);
	out = render(&p);
	ASSERT_TRUE(strstr(out, "{pid=\"1\",comm=\"p\"} 100\n"), "pid 1 kept");
	ASSERT_TRUE(!strstr(out, "pid=\"2\""), "pid 2 evicted");
	ASSERT_TRUE(strstr(out, "{pid=\"3\",comm=\"p\"} 0\n"), "pid 3 admitted at 0");
	ASSERT_TRUE(strstr(out, "{pid=\"other\",comm=\"other\"} 1490\n"), "other monotonic");
	ASSERT_TRUE(strstr(out, "# TYPE tracerhub_syscalls_total counter\n"), "type line");
	ASSERT_TRUE(strstr(out, "tracerhub_intervals_total 5\n"), "intervals");
	free(out);
	prom__free(&p);
}

void test_prom__names_and_units(void)
{
	struct snapshot s = {0};
	struct proc_row *r;
	char *out;

	snapshot__declare_metric(&s, METRIC_CPU_NS);
	snapshot__declare_metric(&s, METRIC_READ_BYTES);
	snapshot__declare_metric(&s, METRIC_RUNQ_P99_NS);
	r = snapshot__add_row(&s, 7, "w");
	r->values[METRIC_CPU_NS] = 1500000000;
	r->values[METRIC_READ_BYTES] = 4096;
	r->values[METRIC_RUNQ_P99_NS] = 2500;
	/* admitted at the third interval: counters start at 0, gauges show at once */
	out = render_after(&s, 5, 4);
	ASSERT_TRUE(out != NULL, "rendered");
	ASSERT_TRUE(strstr(out, "# TYPE tracerhub_cpu_seconds_total counter\n"),
		    "cpu_ns in seconds");
	ASSERT_TRUE(strstr(out, "tracerhub_cpu_seconds_total{pid=\"7\",comm=\"w\"} 1.5\n"),
		    "exact seconds, shortest form");
	ASSERT_TRUE(strstr(out, "tracerhub_cpu_seconds_total{pid=\"other\",comm=\"other\"} 4.5\n"),
		    "the first three intervals in other");
	ASSERT_TRUE(strstr(out, "tracerhub_read_bytes_total{pid=\"7\",comm=\"w\"} 4096\n"),
		    "bytes");
	ASSERT_TRUE(strstr(out, "# TYPE tracerhub_runq_p99_seconds gauge\n"), "gauge: no _total");
	ASSERT_TRUE(strstr(out, "tracerhub_runq_p99_seconds{pid=\"7\",comm=\"w\"} 0.0000025\n"),
		    "gauge value in seconds");
	ASSERT_TRUE(!strstr(out, "tracerhub_runq_p99_seconds{pid=\"other\",comm=\"other\"}"),
		    "no other for gauges");
	ASSERT_TRUE(!strstr(out, "tracerhub_syscalls_total"), "absent metrics not shown");
	free(out);
	snapshot__free(&s);
}

void test_prom__histogram(void)
{
	struct snapshot s = {0};
	struct snap_hist *h;
	char *out;

	h = snapshot__add_hist(&s, "syscalls", "syscall_latency", "syscall=read", "ns");
	for (int i = 0; i < 3; i++)
		hist__add(&h->h, 1);
	for (int i = 0; i < 5; i++)
		hist__add(&h->h, 100);
	h = snapshot__add_hist(&s, "bio", "size", "", "B");
	hist__add_slots(&h->h, (const __u64[]){0, 0, 4}, 3); /* no sum kept */
	out = render_after(&s, 1, 2);
	ASSERT_TRUE(out != NULL, "rendered");
	ASSERT_TRUE(strstr(out, "# TYPE tracerhub_syscall_latency_seconds histogram\n"), "type");
	ASSERT_TRUE(strstr(out, "tracerhub_syscall_latency_seconds_bucket{tracer=\"syscalls\","
				"syscall=\"read\",le=\"0\"} 0\n"),
		    "slot 0");
	ASSERT_TRUE(strstr(out, "tracerhub_syscall_latency_seconds_bucket{tracer=\"syscalls\","
				"syscall=\"read\",le=\"0.000000001\"} 6\n"),
		    "slot 1");
	ASSERT_TRUE(strstr(out, "syscall=\"read\",le=\"0.000000063\"} 6\n"), "cumulative");
	ASSERT_TRUE(strstr(out, "syscall=\"read\",le=\"0.000000127\"} 16\n"), "slot 7");
	ASSERT_TRUE(strstr(out, "syscall=\"read\",le=\"+Inf\"} 16\n"), "+Inf");
	ASSERT_TRUE(strstr(out, "tracerhub_syscall_latency_seconds_sum{tracer=\"syscalls\","
				"syscall=\"read\"} 0.000001006\n"),
		    "sum in seconds");
	ASSERT_TRUE(strstr(out, "tracerhub_syscall_latency_seconds_count{tracer=\"syscalls\","
				"syscall=\"read\"} 16\n"),
		    "count");
	ASSERT_TRUE(strstr(out, "tracerhub_size_bytes_bucket{tracer=\"bio\",le=\"3\"} 8\n"),
		    "bytes");
	ASSERT_TRUE(!strstr(out, "tracerhub_size_bytes_sum"), "no _sum without a kept sum");
	free(out);
	snapshot__free(&s);
}

void test_prom__label_escaping(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	prom__label_value(f,
			  "a\"b\\c\nd\xff"
			  "e\xc3\xa9",
			  16);
	prom__label_value(f,
			  "\xe0\x80\x80"
			  "x",
			  16); /* an overlong form is not UTF-8 */
	prom__label_value(f, "abcdef", 3);
	fclose(f);
	ASSERT_STREQ(buf,
		     "\"a\\\"b\\\\c\\nd\xef\xbf\xbd"
		     "e\xc3\xa9\""
		     "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx\"\"abc\"",
		     "escaped");
	free(buf);
}

void test_prom__health(void)
{
	struct snapshot s = {0};
	struct snap_health *h;
	char *out;

	h = snapshot__add_health(&s, "syscalls");
	snprintf(h->rung, sizeof(h->rung), "raw_tp");
	h->events = 10;
	h->drops = 2;
	h->cost.run_cnt = 10;
	h->cost.run_ns = 500;
	h->cost.ns_per_run = 50;
	h->nprogs = 1;
	out = render_after(&s, 1, 2);
	ASSERT_TRUE(out != NULL, "rendered");
	ASSERT_TRUE(strstr(out, "tracerhub_tracer_events_total{tracer=\"syscalls\"} 20\n"),
		    "events");
	ASSERT_TRUE(strstr(out, "tracerhub_tracer_drops_total{tracer=\"syscalls\"} 4\n"), "drops");
	ASSERT_TRUE(strstr(out, "tracerhub_tracer_run_seconds_total{tracer=\"syscalls\"} "
				"0.000001\n"),
		    "run time");
	ASSERT_TRUE(
	    strstr(out, "tracerhub_tracer_seconds_per_run{tracer=\"syscalls\"} 5.000000e-08\n"),
	    "cost per run");
	ASSERT_TRUE(strstr(out, "tracerhub_tracer_info{tracer=\"syscalls\",rung=\"raw_tp\"} 1\n"),
		    "rung");
	free(out);
	snapshot__free(&s);
}

/* One interval: pid 10+i ("cli") for i < n rows, each with a connect-latency histogram. */
static void clients(struct prom *p, unsigned int first, unsigned int n)
{
	struct snapshot s = {0};

	snapshot__declare_metric(&s, METRIC_TCP_CONNECTS);
	for (unsigned int i = first; i < first + n; i++) {
		char label[32];

		snapshot__add_row(&s, i, "cli")->values[METRIC_TCP_CONNECTS] = 1;
		snprintf(label, sizeof(label), "pid=%u", i);
		hist__add(&snapshot__add_hist(&s, "netproc", "tcp_connect_latency", label, "us")->h,
			  100);
	}
	snapshot__finish(&s);
	prom__add(p, &s);
	snapshot__free(&s);
}

void test_prom__short_lived_clients_bounded(void)
{
	struct prom p;
	char *out;

	ASSERT_EQ(prom__init(&p, 5), 0, "init");
	for (unsigned int k = 0; k < 50; k++)
		clients(&p, 1000 + 10 * k, 10); /* 500 clients, 10 per interval, each seen once */
	ASSERT_EQ(p.totals.nhists, 1, "one histogram series: per comm, not per pid");
	out = render(&p);
	ASSERT_TRUE(strstr(out, "tracerhub_tcp_connect_latency_seconds_count{tracer=\"netproc\","
				"comm=\"cli\"} 500\n"),
		    "every client in its comm's series");
	ASSERT_TRUE(strstr(out, "le=\"0.000127\"} 500\n"), "le in shortest form");
	ASSERT_TRUE(!strstr(out, "pid=\"1000\""), "an early client's series went");
	free(out);
	ASSERT_TRUE(p.nprocs <= 5, "at most top series");
	for (unsigned int k = 0; k < PROM_GONE_INTERVALS; k++)
		clients(&p, 0, 0);
	ASSERT_EQ(p.nprocs, 0, "gone processes' series dropped");
	out = render(&p);
	ASSERT_TRUE(strstr(out, "tracerhub_tcp_connects_total{pid=\"other\",comm=\"other\"} "),
		    "other stays");
	free(out);
	prom__free(&p);
}
