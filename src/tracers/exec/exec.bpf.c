// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * exec: every exec and every process exit as a ring-buffer record, plus
 * in-kernel counters of forks, execs and exits that stay exact when the
 * ring or the event list overflows. argv is read at sched_process_exec from
 * the new image's argument area (mm->arg_start..arg_end): no hook on every
 * syscall, and what is recorded is what the program really got.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "bpf/counters.bpf.h"
#include "bpf/hub.bpf.h"
#include "bpf/proc_entry.bpf.h"
#include "bpf/syscall_nr.bpf.h"
#include "tracers/exec/exec.h"

#define CLONE_THREAD 0x00010000 /* uapi/linux/sched.h */

const volatile __s64 nr_execve = -1; /* set from the build machine's syscall table */
const volatile __s64 nr_execveat = -1;

/* Not counted through the hub's process cell: the hub only renames it after an exec. */
HUB_PROCS_MAP(exec, exec_procs, struct exec_proc, 0, EXEC_MAX_PROCS);

BPF_COUNTERS(exec_counts, EXEC_CNT_MAX);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EXEC_RING_BYTES);
} exec_ring SEC(".maps");

/* Count an exec or exit in the process' row. */
static __always_inline void exec_count_proc(__u32 tgid, bool is_exec)
{
	struct exec_proc init;
	struct exec_proc *p;

	p = proc_entry__get(&exec_procs, tgid, &init, sizeof(init),
			    offsetof(struct exec_proc, comm));
	if (!p) {
		counters__inc(&exec_counts, EXEC_CNT_DROP_PROCS);
		return;
	}
	if (is_exec) {
		p->execs++;
	} else {
		p->exits++;
	}
}

/* Submit without waking the reader until the ring is a quarter full: it drains every interval. */
static __always_inline void submit(struct exec_rec *r)
{
	__u64 avail = bpf_ringbuf_query(&exec_ring, BPF_RB_AVAIL_DATA);

	bpf_ringbuf_submit(r, avail > EXEC_RING_BYTES / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/* The fields every record has, from the current task. */
static __always_inline void fill_header(struct exec_rec *r, struct task_struct *task, __u32 kind)
{
	r->kind = kind;
	r->pid = BPF_CORE_READ(task, tgid);
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->uid = (__u32)bpf_get_current_uid_gid();
	r->ts_ns = bpf_ktime_get_ns();
	r->start_ns = BPF_CORE_READ(task, group_leader, start_time);
	bpf_get_current_comm(r->comm, sizeof(r->comm));
}

static __always_inline int exec_on_exec(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	unsigned long start, end;
	struct exec_rec *r;
	__u64 len;

	if (!filter__pass(tgid))
		return 0;
	counters__inc(&exec_counts, EXEC_CNT_EXECS);
	exec_count_proc(tgid, true);
	r = bpf_ringbuf_reserve(&exec_ring, sizeof(*r), 0);
	if (!r) {
		counters__inc(&exec_counts, EXEC_CNT_DROP_RING);
		return 0;
	}
	fill_header(r, task, EXEC_REC_EXEC);
	r->exit_code = 0;
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	len = end > start ? end - start : 0;
	r->argv_len = len;
	if (len > EXEC_ARGV_LEN)
		len = EXEC_ARGV_LEN;
	r->argv_kept = len;
	/* The new stack was just written by the kernel: its pages are present. */
	if (bpf_probe_read_user(r->argv, len, (void *)start))
		r->argv_len = r->argv_kept = 0;
	submit(r);
	return 0;
}

static __always_inline int exec_on_exit(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct exec_rec *r;

	/* Only the last thread of a process: the process is gone. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0 || !filter__pass(tgid))
		return 0;
	counters__inc(&exec_counts, EXEC_CNT_EXITS);
	exec_count_proc(tgid, false);
	r = bpf_ringbuf_reserve(&exec_ring, offsetof(struct exec_rec, argv), 0);
	if (!r) {
		counters__inc(&exec_counts, EXEC_CNT_DROP_RING);
		return 0;
	}
	fill_header(r, task, EXEC_REC_EXIT);
	r->exit_code = BPF_CORE_READ(task, exit_code);
	r->argv_len = r->argv_kept = 0;
	submit(r);
	return 0;
}

static __always_inline int exec_on_newtask(__u64 clone_flags)
{
	if (!(clone_flags & CLONE_THREAD) && filter__pass(bpf_get_current_pid_tgid() >> 32))
		counters__inc(&exec_counts, EXEC_CNT_FORKS);
	return 0;
}

/*
 * The arguments of a failed exec, from its argv array in user memory. Each
 * argument is read into a window of half the buffer, so the verifier can
 * bound every write; reading stops when the window would start past it.
 * Arguments left out, or one cut by its window, make argv_len exceed
 * argv_kept: the line is marked cut.
 */
static __always_inline void read_argv(struct exec_rec *r, const char *const *argv)
{
	const char *arg = NULL;
	bool more = false;
	__u32 off = 0;
	int i;

	for (i = 0; i < EXEC_FAIL_ARGS; i++) {
		__u32 at = off;
		long n;

		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		if (off >= EXEC_ARGV_LEN / 2) {
			more = true;
			break;
		}
		/* keep the mask: the compiler knows off < 2048, the verifier must be told */
		barrier_var(at);
		at &= EXEC_ARGV_LEN / 2 - 1;
		n = bpf_probe_read_user_str(&r->argv[at], EXEC_ARGV_LEN / 2, arg);
		if (n <= 0)
			break;
		off += n;
		more = n == EXEC_ARGV_LEN / 2; /* the window was full: the argument may be cut */
	}
	if (i == EXEC_FAIL_ARGS && !bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) && arg)
		more = true;
	r->argv_kept = off;
	r->argv_len = off + more;
}

/* An execve/execveat that failed; regs are the syscall's saved user registers. */
static __always_inline int exec_on_sys_exit(struct pt_regs *regs, long nr, long ret)
{
	struct task_struct *task;
	struct exec_rec *r;
	__u32 tgid;

	if (ret >= 0 || (nr != nr_execve && nr != nr_execveat))
		return 0;
	tgid = bpf_get_current_pid_tgid() >> 32;
	if (!filter__pass(tgid))
		return 0;
	counters__inc(&exec_counts, EXEC_CNT_FAILS);
	r = bpf_ringbuf_reserve(&exec_ring, sizeof(*r), 0);
	if (!r) {
		counters__inc(&exec_counts, EXEC_CNT_DROP_RING);
		return 0;
	}
	task = (struct task_struct *)bpf_get_current_task();
	fill_header(r, task, EXEC_REC_FAIL);
	r->exit_code = -ret;
	read_argv(r, (const char *const *)(nr == nr_execve ? PT_REGS_PARM2_CORE_SYSCALL(regs) :
							     PT_REGS_PARM3_CORE_SYSCALL(regs)));
	submit(r);
	return 0;
}

HUB_HANDLER(exec, sched_process_exec)
{
	exec_on_exec();
}

HUB_HANDLER(exec, sched_process_exit)
{
	exec_on_exit();
}

/* task_newtask rather than sched_process_fork: it carries clone_flags on every rung. */
HUB_HANDLER(exec, task_newtask)
{
	exec_on_newtask(a->rung == HUB_RUNG_TP ? HUB_RECORD(a, trace_event_raw_task_newtask)->clone_flags
					       : a->clone_flags);
}

/* Failed execs (--failed): asked for only on request, as they run on every syscall's exit. */
HUB_HANDLER(exec, sys_exit)
{
	struct pt_regs *regs = a->rung == HUB_RUNG_TP ?
		(struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf()) : a->regs;

	exec_on_sys_exit(regs, hub__exit_nr(hc, a), syscall_ret__exit(a));
}
