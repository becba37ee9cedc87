// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* shell: the command lines interactive bash reads, from a uretprobe on readline(). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/counters.bpf.h"
#include "bpf/hub.bpf.h"
#include "tracers/shell/shell.h"

BPF_COUNTERS(shell_counts, SHELL_CNT_MAX);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SHELL_RING_BYTES);
} shell_ring SEC(".maps");

/* Attached by user space to the readline of a chosen binary (see shell.c). */
SEC("uretprobe")
int BPF_KRETPROBE(shell_readline, const char *line)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct shell_rec *r;

	/* NULL: end of input; "": an empty line, nothing typed */
	if (!line || !filter__pass(id >> 32))
		return 0;
	r = bpf_ringbuf_reserve(&shell_ring, sizeof(*r), 0);
	if (!r) {
		counters__inc(&shell_counts, SHELL_CNT_DROP_RING);
		return 0;
	}
	if (bpf_probe_read_user_str(r->line, sizeof(r->line), line) <= 1) {
		bpf_ringbuf_discard(r, 0);
		return 0;
	}
	counters__inc(&shell_counts, SHELL_CNT_LINES);
	r->ts_ns = bpf_ktime_get_ns();
	r->pid = id >> 32;
	r->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	bpf_ringbuf_submit(r, 0);
	return 0;
}

