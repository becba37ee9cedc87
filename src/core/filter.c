// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/filter.h"

int filter__add_pid(struct filter *f, const char *arg)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(arg, &end, 10);
	if (errno || *end || end == arg || pid <= 0 || pid > 0x3fffffff)
		return -EINVAL;
	if (kill((pid_t)pid, 0) && errno == ESRCH)
		return -ESRCH;
	if (f->npids >= FILTER_MAX_PIDS)
		return -E2BIG;
	f->pids[f->npids++] = (__u32)pid;
	return 0;
}

int filter__set_comm(struct filter *f, const char *arg)
{
	if (!arg[0])
		return -EINVAL;
	memset(f->comm, 0, sizeof(f->comm));
	strncpy(f->comm, arg, sizeof(f->comm) - 1);
	return 0;
}

int filter__set_cgroup(struct filter *f, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY), err = 0;
	struct statfs st;

	if (fd < 0)
		return -errno;
	/* the kernel side compares cgroup v2 ids: any other directory would match nothing */
	if (fstatfs(fd, &st))
		err = -errno;
	else if (st.f_type != CGROUP2_SUPER_MAGIC)
		err = -EMEDIUMTYPE;
	close(fd);
	if (!err)
		f->cgroup_path = path;
	return err;
}

void filter__to_cfg(const struct filter *f, struct filter_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->pid_on = f->npids > 0;
	cfg->comm_on = f->comm[0] != '\0';
	cfg->cgroup_on = f->cgroup_path != NULL;
	memcpy(cfg->comm, f->comm, sizeof(cfg->comm));
}

int filter__fill_maps(const struct filter *f, struct bpf_map *pids, struct bpf_map *cgroup)
{
	__u32 key = 0;
	__u8 one = 1;
	int fd, err = 0;

	for (unsigned int i = 0; i < f->npids; i++)
		if (bpf_map__update_elem(pids, &f->pids[i], sizeof(__u32), &one, sizeof(one), 0))
			return -errno;
	if (!f->cgroup_path)
		return 0;
	fd = open(f->cgroup_path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return -errno;
	if (bpf_map__update_elem(cgroup, &key, sizeof(key), &fd, sizeof(fd), 0))
		err = -errno;
	close(fd);
	return err;
}
