// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "core/filter.h"
#include "core/hub.h"
#include "core/hub_table.h"
#include "hub.skel.h"

#define HUB_MAX_TRACERS 64
#define HUB_MAX_EITHER	16
#define HUB_MAX_SHARED	8

struct hub_either {
	enum hub_handler fallback, prefer;
	unsigned int tracer;
};

struct hub_shared {
	const char *key;
	void *mem;
};

struct hub {
	struct hub_bpf *skel;
	const struct filter *filter;
	enum rung rung;
	unsigned int cur;			    /* tracer asking now */
	const char *modules[HUB_MAX_TRACERS];	    /* per tracer: its directory */
	__u64 users[HUB_HANDLER_COUNT];		    /* per handler: bit i for tracer i */
	__u64 windowed[HUB_HANDLER_COUNT];	    /* the same, for handlers run in windows */
	unsigned int window_n;			    /* windows add up to 1/window_n of the time */
	bool always[HUB_HOOK_COUNT];		    /* attached throughout, not only in windows */
	struct hub_either either[HUB_MAX_EITHER];
	unsigned int neither;
	bool runs[HUB_HANDLER_COUNT];		    /* after load */
	struct bpf_program *prog[HUB_HOOK_COUNT];   /* loaded hook programs */
	struct bpf_link *link[HUB_HOOK_COUNT];
	struct hub_shared shared[HUB_MAX_SHARED];
};

struct hub *hub__new(enum rung r, const struct filter *f)
{
	struct bpf_program *prog;
	struct hub *h;
	int err;

	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->rung = r;
	h->filter = f;
	h->skel = hub_bpf__open();
	if (!h->skel) {
		err = -errno;
		free(h);
		errno = -err;
		return NULL;
	}
	/* Nothing loads unless asked for: hooks by hub__load, other programs by their tracer. */
	bpf_object__for_each_program(prog, h->skel->obj)
		bpf_program__set_autoload(prog, false);
	filter__to_cfg(f, (struct filter_cfg *)&h->skel->rodata->filter_cfg);
	h->skel->rodata->hub_nr_cpus = (__u32)libbpf_num_possible_cpus();
	return h;
}

void hub__free(struct hub *h)
{
	if (!h)
		return;
	for (int k = 0; k < HUB_HOOK_COUNT; k++)
		bpf_link__destroy(h->link[k]);
	hub_bpf__destroy(h->skel);
	for (int i = 0; i < HUB_MAX_SHARED; i++)
		free(h->shared[i].mem);
	free(h);
}

struct hub_bpf *hub__skel(const struct hub *h)
{
	return h->skel;
}

int hub__begin_tracer(struct hub *h, unsigned int idx, const char *module)
{
	if (idx >= HUB_MAX_TRACERS)
		return -E2BIG;
	h->cur = idx;
	h->modules[idx] = module;
	return 0;
}

void hub__use(struct hub *h, enum hub_handler id)
{
	h->users[id] |= 1ULL << h->cur;
}

void hub__use_windowed(struct hub *h, enum hub_handler id, unsigned int n)
{
	h->windowed[id] |= 1ULL << h->cur;
	if (n > h->window_n)
		h->window_n = n;
}

void hub__use_either(struct hub *h, enum hub_handler fallback, enum hub_handler prefer)
{
	if (h->neither == HUB_MAX_EITHER) { /* more choices than any tracer makes: take the safe one */
		hub__use(h, fallback);
		return;
	}
	h->either[h->neither++] = (struct hub_either){ fallback, prefer, h->cur };
}

/* True when some handler asked for so far is on hook k. */
static bool hook_used(const struct hub *h, enum hub_hook k)
{
	for (int i = 0; i < HUB_HANDLER_COUNT; i++)
		if (h->users[i] && hub_handlers[i].hook == k)
			return true;
	return false;
}

/* The tracers (bit i for tracer i) of directory module in this hub. */
static __u64 module_users(const struct hub *h, const char *module)
{
	__u64 users = 0;

	for (int i = 0; i < HUB_MAX_TRACERS; i++)
		if (h->modules[i] && !strcmp(h->modules[i], module))
			users |= 1ULL << i;
	return users;
}

/*
 * Switch on the process tables in use (their directory runs, and its tracers
 * did not shrink them to one entry): the cell's flush and rename code for
 * them, and the rename after an exec (for their tracers).
 */
static void use_process_tables(struct hub *h)
{
	for (int p = 0; p < HUB_PART_COUNT; p++) {
		__u64 users = module_users(h, hub_parts[p].module);
		struct bpf_map *map = bpf_object__find_map_by_name(h->skel->obj, hub_parts[p].map);

		if (!users || !map || bpf_map__max_entries(map) <= 1)
			continue;
		*(bool *)((char *)h->skel->rodata + hub_parts[p].flag_off) = true;
		h->users[HUB_procs__sched_process_exec] |= users;
	}
}

/* Make the maps of the directories no tracer uses as small as their types allow. */
static void shrink_unused_maps(struct hub *h)
{
	for (const struct hub_owned *m = hub_maps; m->name; m++) {
		struct bpf_map *map;

		if (module_users(h, m->module))
			continue;
		map = bpf_object__find_map_by_name(h->skel->obj, m->name);
		if (!map)
			continue;
		bpf_map__set_max_entries(map, bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF ?
						      (__u32)sysconf(_SC_PAGESIZE) : 1);
	}
}

int hub__load(struct hub *h, const struct btf *vmlinux)
{
	int err;

	for (unsigned int i = 0; i < h->neither; i++) {
		const struct hub_either *e = &h->either[i];
		enum hub_handler pick = hook_used(h, hub_handlers[e->prefer].hook) ? e->prefer :
										   e->fallback;

		h->users[pick] |= 1ULL << e->tracer;
	}
	use_process_tables(h);
	h->skel->rodata->hub_rdonly_cast =
		vmlinux && btf__find_by_name_kind(vmlinux, "bpf_rdonly_cast", BTF_KIND_FUNC) >= 0;
	for (int i = 0; i < HUB_HANDLER_COUNT; i++) {
		const struct hub_hook_def *k = &hub_hooks[hub_handlers[i].hook];
		struct bpf_program *prog;

		if (!(h->users[i] | h->windowed[i]) ||
		    !rung__has_hook(vmlinux, h->rung, k->category, k->name))
			continue;
		prog = bpf_object__find_program_by_name(h->skel->obj, k->progs[h->rung]);
		if (!prog)
			continue;
		*(bool *)((char *)h->skel->rodata + hub_handlers[i].flag_off) = true;
		bpf_program__set_autoload(prog, true);
		h->prog[hub_handlers[i].hook] = prog;
		h->always[hub_handlers[i].hook] |= h->users[i] != 0;
		h->runs[i] = true;
	}
	shrink_unused_maps(h);
	err = hub_bpf__load(h->skel);
	if (err)
		return err;
	return filter__fill_maps(h->filter, h->skel->maps.filter_pids, h->skel->maps.filter_cgroup);
}

bool hub__runs(const struct hub *h, enum hub_handler id)
{
	return h->runs[id];
}

void hub__lacks(const struct hub *h, unsigned int idx, char *buf, size_t len)
{
	bool lacks[HUB_HOOK_COUNT] = { false };
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < HUB_HANDLER_COUNT && idx < HUB_MAX_TRACERS; i++)
		if (!h->runs[i] && ((h->users[i] | h->windowed[i]) & (1ULL << idx)))
			lacks[hub_handlers[i].hook] = true;
	for (int k = 0; k < HUB_HOOK_COUNT && n < len; k++)
		if (lacks[k])
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", hub_hooks[k].name);
}

/* True when item is one of the items of list ("a, b"). */
static bool listed(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; (p = strstr(p, item)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

void hub__extras(const struct hub *h, unsigned int idx, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = '\0';
	if (idx >= HUB_MAX_TRACERS || !h->modules[idx])
		return;
	for (const struct hub_owned *p = hub_progs; p->name && n < len; p++) {
		struct bpf_program *prog;
		const char *sec;

		if (strcmp(p->module, h->modules[idx]))
			continue;
		prog = bpf_object__find_program_by_name(h->skel->obj, p->name);
		if (!prog || bpf_program__fd(prog) < 0)
			continue;
		sec = bpf_program__section_name(prog);
		if (!listed(buf, sec)) /* e.g. two perf_event programs */
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", sec);
	}
}

/* Attach the loaded hook programs that are (not) only for windows; 0 or -errno. */
static int attach_hooks(struct hub *h, bool windowed)
{
	for (int k = 0; k < HUB_HOOK_COUNT; k++) {
		if (!h->prog[k] || h->link[k] || h->always[k] == windowed)
			continue;
		h->link[k] = bpf_program__attach(h->prog[k]);
		if (!h->link[k])
			return -errno;
	}
	return 0;
}

int hub__attach(struct hub *h)
{
	return attach_hooks(h, false);
}

unsigned int hub__window_n(const struct hub *h)
{
	for (int i = 0; i < HUB_HANDLER_COUNT; i++)
		if (h->runs[i] && h->windowed[i])
			return h->window_n;
	return 0;
}

int hub__window(struct hub *h, bool open)
{
	h->skel->bss->hub_window = open;
	if (open)
		return attach_hooks(h, true);
	for (int k = 0; k < HUB_HOOK_COUNT; k++) {
		if (h->always[k] || !h->link[k])
			continue;
		bpf_link__destroy(h->link[k]);
		h->link[k] = NULL;
	}
	return 0;
}

unsigned int hub__hooks(const struct hub *h, const char **names, bool *windowed,
			unsigned int max)
{
	unsigned int n = 0;

	for (int k = 0; k < HUB_HOOK_COUNT && n < max; k++) {
		if (!h->prog[k])
			continue;
		windowed[n] = !h->always[k];
		names[n++] = hub_hooks[k].name;
	}
	return n;
}

unsigned int hub__nhooks(const struct hub *h)
{
	unsigned int n = 0;

	for (int k = 0; k < HUB_HOOK_COUNT; k++)
		n += h->link[k] != NULL;
	return n;
}

/* Add prog's run-time statistics to c, when it is loaded. */
static int add_cost(const struct bpf_program *prog, struct cost *c)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(prog);

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	c->run_ns += info.run_time_ns;
	c->run_cnt += info.run_cnt;
	c->nprogs++;
	return 0;
}

int hub__cost(const struct hub *h, unsigned int idx, struct cost *c)
{
	bool all = idx == HUB_ALL, hooks[HUB_HOOK_COUNT] = { false };
	int err = 0;

	memset(c, 0, sizeof(*c));
	if (!all && (idx >= HUB_MAX_TRACERS || !h->modules[idx]))
		return 0;
	for (int i = 0; i < HUB_HANDLER_COUNT; i++)
		if (h->runs[i] && (all || ((h->users[i] | h->windowed[i]) & (1ULL << idx))))
			hooks[hub_handlers[i].hook] = true;
	for (int k = 0; k < HUB_HOOK_COUNT && !err; k++)
		if (hooks[k])
			err = add_cost(h->prog[k], c);
	for (const struct hub_owned *p = hub_progs; p->name && !err; p++) {
		struct bpf_program *prog;

		if (!all && strcmp(p->module, h->modules[idx]))
			continue;
		prog = bpf_object__find_program_by_name(h->skel->obj, p->name);
		if (prog)
			err = add_cost(prog, c);
	}
	return err;
}

void *hub__shared(struct hub *h, const char *key, size_t size)
{
	for (int i = 0; i < HUB_MAX_SHARED; i++) {
		struct hub_shared *s = &h->shared[i];

		if (s->key && !strcmp(s->key, key))
			return s->mem;
		if (!s->key) {
			s->mem = calloc(1, size);
			if (!s->mem)
				return NULL;
			s->key = key;
			return s->mem;
		}
	}
	errno = ENOMEM;
	return NULL;
}
