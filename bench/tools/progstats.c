// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Independent cost figure: turns BPF run-time statistics on (bpf_enable_stats,
 * held only while this runs), waits for SIGINT/SIGTERM, then prints one JSON
 * line per program loaded while it ran: {"id","name","run_cnt","run_ns","ns_per_run"}
 * (programs loaded before it started are left out: they belong to someone else).
 * Prints "ready:" on stderr once stats are on.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>

#define MAX_PROGS 4096

struct prog {
	__u32 id;
	char name[BPF_OBJ_NAME_LEN];
	__u64 run_cnt, run_ns;
};

/* Snapshot the counters of every loaded program into p; returns the count. */
static int read_all(struct prog *p)
{
	__u32 id = 0;
	int n = 0;

	while (n < MAX_PROGS && !bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
			p[n].id = id;
			memcpy(p[n].name, info.name, sizeof(p[n].name));
			p[n].run_cnt = info.run_cnt;
			p[n].run_ns = info.run_time_ns;
			n++;
		}
		close(fd);
	}
	return n;
}

int main(void)
{
	static struct prog before[MAX_PROGS], after[MAX_PROGS];
	int stats, nb, na, sig;
	sigset_t set;

	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats < 0) {
		fprintf(stderr, "progstats: bpf_enable_stats failed: %s\n", strerror(errno));
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	nb = read_all(before);
	fprintf(stderr, "progstats: ready: run-time statistics on\n");
	sigwait(&set, &sig);
	na = read_all(after);
	for (int i = 0; i < na; i++) {
		__u64 cnt = after[i].run_cnt, ns = after[i].run_ns;
		int seen = 0;

		for (int j = 0; j < nb; j++)
			seen |= before[j].id == after[i].id;
		if (seen || !cnt)
			continue;
		printf("{\"id\":%u,\"name\":\"%s\",\"run_cnt\":%llu,\"run_ns\":%llu,"
		       "\"ns_per_run\":%.1f}\n",
		       after[i].id, after[i].name, (unsigned long long)cnt,
		       (unsigned long long)ns, (double)ns / (double)cnt);
	}
	close(stats);
	return 0;
}
