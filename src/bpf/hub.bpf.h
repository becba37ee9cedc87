/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The BPF side of the hub: every tracer's .bpf.c is compiled into one object
 * (build/gen/hub.bpf.c, made by scripts/gen-hub.sh) in which each tracepoint
 * has one program per rung. That program calls, one after the other, the
 * handlers of the tracers that asked for the hook; a handler is declared with
 *
 *	HUB_HANDLER(tracer, hook)
 *	{
 *		... hc: what the handlers of this event share; a: the hook's arguments
 *	}
 *
 * and runs only when the user side set its read-only flag HUB_ON(tracer, hook)
 * before load, so the verifier drops every handler not asked for. Handlers are
 * inlined: a tracepoint costs one program entry whatever the number of tracers.
 */
#ifndef TRACERHUB_BPF_HUB_BPF_H
#define TRACERHUB_BPF_HUB_BPF_H

#include "bpf/filter.bpf.h"
#include "hub_cell.h"

/* The rung of the running program (a compile-time constant in each): the values of enum rung. */
#define HUB_RUNG_BTF 0 /* tp_btf: typed arguments, read directly */
#define HUB_RUNG_RAW 1 /* raw_tp: the same arguments as plain numbers, read with CO-RE */
#define HUB_RUNG_TP  2 /* classic tracepoint: no arguments; the record is at a->ctx */

/*
 * Open while a sampling window is (core/hub.h: hub__use_windowed): set by
 * user space. Windowed handlers on hooks that stay attached outside windows
 * (another tracer needs them throughout) check it.
 */
volatile bool hub_window = false;
#define HUB_WINDOW_OPEN() (hub_window)

/* What the handlers of one event share: each value is computed by the first that asks. */
struct hub_ctx {
	__u64 pid_tgid;	       /* 0: not read yet */
	struct hub_cell *cell; /* the process cell of cell_tgid, NULL: not looked up yet */
	__u32 cell_tgid;
	__u8 filter; /* 0: not decided, 1: the current task passes the filter, 2: it does not */
	__u8 nr_read; /* sys_exit: nr holds the syscall number */
	long nr;
};

#define HUB_HANDLER(tracer, hook)                                                         \
	static __always_inline void tracer##__##hook(struct hub_ctx *hc,                  \
						     const struct hook_##hook *a)
/* True when the handler of tracer for hook runs (set before load). */
#define HUB_ON(tracer, hook) (hub_on_##tracer##__##hook)

/*
 * Read field of kernel pointer p: directly on tp_btf (no helper call), else
 * with CO-RE. p is copied first: a CO-RE read of a->arg->field would relocate
 * against the hook's own struct.
 */
#define HUB_READ(a, p, field)                                                             \
	({                                                                                \
		typeof(p) hub_p__ = (p);                                                  \
		(a)->rung == HUB_RUNG_BTF ? hub_p__->field : BPF_CORE_READ(hub_p__, field); \
	})
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
/* Set by user space before load: the kernel has bpf_rdonly_cast (6.2 and later). */
const volatile bool hub_rdonly_cast = false;
/*
 * Kernel pointer p (to struct type), given to handlers on tp_btf as a read-only
 * pointer the verifier does not take as trusted: reads through it are the
 * same loads, but the verifier no longer looks up, for every pointer field
 * read through it on every path it walks, whether that field's type is on its
 * list of trusted ones (a scan of the kernel's whole BTF by name each time: a
 * third of the verification time of tracerhub top's programs, measured). On
 * kernels without the kfunc the verifier drops the call (its flag is false).
 */
#define HUB_UNTRUSTED(p, type)                                                            \
	(hub_rdonly_cast ? bpf_rdonly_cast((p), bpf_core_type_id_kernel(struct type)) :    \
			   (void *)(p))
/* The classic tracepoint record of a, as type. */
#define HUB_RECORD(a, type) ((struct type *)(a)->ctx)
/*
 * Field of the classic record of a, as type, or fallback where this kernel's
 * record has no such field (records change between kernels: CO-RE tells at
 * load, and the verifier drops the branch not taken). fallback must not read
 * the record: clang would merge two direct reads of it into one through a
 * moved context pointer, which the verifier refuses.
 */
#define HUB_RECORD_OR(a, type, field, fallback)                                           \
	(bpf_core_field_exists(HUB_RECORD(a, type)->field) ? HUB_RECORD(a, type)->field :  \
							      (fallback))

static __always_inline __u64 hub__pid_tgid(struct hub_ctx *hc)
{
	if (!hc->pid_tgid)
		hc->pid_tgid = bpf_get_current_pid_tgid();
	return hc->pid_tgid;
}

/* The current process' id. */
static __always_inline __u32 hub__tgid(struct hub_ctx *hc)
{
	return hub__pid_tgid(hc) >> 32;
}

/*
 * Declares map, a per-CPU hash of tgid -> type (ncounters __u64 counters
 * first, then char comm[16]), as a per-process table: the hub renames its
 * entries after an exec, and with ncounters > 0 its counters are counted
 * through the shared per-CPU process cell (hub__proc_counters). Read by
 * scripts/gen-hub.sh; one line, at file scope.
 */
#define HUB_PROCS(part, map, type, ncounters)                                             \
	_Static_assert(__builtin_offsetof(type, comm) >= (ncounters) * sizeof(__u64),     \
		       #type ": counters first, then comm")

/*
 * Define map with room for max processes, a per-CPU hash of tgid -> vtype
 * whose entries are allocated as processes are seen, and declare it a
 * per-process table as HUB_PROCS(part, map, vtype, ncounters) does. Read by
 * scripts/gen-hub.sh; one line, at file scope.
 */
#define HUB_PROCS_MAP(part, map, vtype, ncounters, max)                                           \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PERCPU_HASH);                                            \
		__uint(map_flags, BPF_F_NO_PREALLOC);                                              \
		__uint(max_entries, max);                                                          \
		__type(key, __u32);                                                                \
		__type(value, vtype);                                                              \
	} map SEC(".maps");                                                                        \
	HUB_PROCS(part, map, vtype, ncounters)

/*
 * The pending counters of part for process tgid, in the per-CPU cell all
 * tracers share: one cell lookup per event, whatever the number of tracers
 * counting it (bpf/hub_cell.bpf.h). Creates tgid's entry in part's table
 * when missing; NULL when that table is full (the caller counts a drop).
 */
static __always_inline __u64 *hub__proc_counters(struct hub_ctx *hc, enum hub_part part,
						 __u32 tgid);

/* True when the current task passes the shared filter (-p, -c, --cgroup), decided once. */
static __always_inline bool hub__pass(struct hub_ctx *hc)
{
	if (!hc->filter)
		hc->filter = filter__pass(hub__tgid(hc)) ? 1 : 2;
	return hc->filter == 1;
}

/* The number of the syscall a sys_exit handler sees (bpf/syscall_nr.bpf.h), read once. */
#define hub__exit_nr(hc, a)                                                               \
	({                                                                                \
		if (!(hc)->nr_read) {                                                     \
			(hc)->nr = syscall_nr__exit(a);                                   \
			(hc)->nr_read = 1;                                                \
		}                                                                         \
		(hc)->nr;                                                                 \
	})

#endif
