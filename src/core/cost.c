// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/cost.h"

int cost__enable_stats(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	return fd < 0 ? -errno : fd;
}

int cost__read(struct bpf_object *obj, struct cost *c)
{
	struct bpf_program *prog;

	memset(c, 0, sizeof(*c));
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue; /* not loaded (other rung, optional hook) */
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			return -errno;
		c->run_ns += info.run_time_ns;
		c->run_cnt += info.run_cnt;
		c->nprogs++;
	}
	return 0;
}
