// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "core/maps.h"
#include "model/grow.h"

/* The kernel's ENOTSUPP (not in userspace headers): an operation a map type lacks. */
#define ENOTSUPP_LIBBPF 524

size_t maps__percpu_stride(size_t value_size)
{
	return (value_size + 7) & ~(size_t)7;
}

__u64 maps__percpu_sum(const void *values, int ncpus, size_t value_size, size_t off)
{
	size_t stride = maps__percpu_stride(value_size);
	__u64 sum = 0, v;

	for (int c = 0; c < ncpus; c++) {
		memcpy(&v, (const char *)values + c * stride + off, sizeof(v));
		sum += v;
	}
	return sum;
}

/*
 * All entries in one BPF_MAP_LOOKUP_BATCH call (one syscall instead of two per
 * entry). Returns 0, the visitor's negative value, -EOPNOTSUPP/-EINVAL when
 * the kernel or map type has no batch lookup (the caller walks instead), or a
 * negative errno.
 */
static int for_each_batch(int fd, size_t key_size, size_t vbytes, int ncpus, maps_visit_fn fn,
			  void *ctx)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info), count;
	char *keys = NULL, *values = NULL;
	__u64 token[8]; /* out_batch: a bucket or index, at most key_size bytes */
	int err = 0;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (!info.max_entries || key_size > sizeof(token))
		return -EOPNOTSUPP;
	count = info.max_entries;
	keys = malloc((size_t)count * key_size);
	values = malloc((size_t)count * vbytes);
	if (!keys || !values) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_batch(fd, NULL, token, keys, values, &count, NULL) && errno != ENOENT) {
		err = -errno;
		goto out;
	}
	for (__u32 i = 0; i < count && err >= 0; i++)
		err = fn(keys + i * key_size, values + i * vbytes, ncpus, ctx);
out:
	free(keys);
	free(values);
	return err < 0 ? err : 0;
}

/* Entry by entry: collect the keys, then look each up. */
static int for_each_walk(int fd, size_t key_size, size_t vbytes, int ncpus, maps_visit_fn fn,
			 void *ctx)
{
	char *keys = NULL, *values = NULL;
	size_t nkeys = 0, cap = 0;
	int err = 0;

	values = malloc(vbytes);
	if (!values)
		return -ENOMEM;
	/* Collect keys first: looking up while walking would skip entries deleted meanwhile. */
	for (;;) {
		if (grow__reserve((void **)&keys, &cap, nkeys + 1, key_size)) {
			err = -ENOMEM;
			goto out;
		}
		if (bpf_map_get_next_key(fd, nkeys ? keys + (nkeys - 1) * key_size : NULL,
					 keys + nkeys * key_size)) {
			if (errno != ENOENT)
				err = -errno;
			break;
		}
		/* The previous key vanished and the walk restarted: we have them all. */
		if (nkeys && !memcmp(keys, keys + nkeys * key_size, key_size))
			break;
		nkeys++;
	}
	if (err)
		goto out;
	for (size_t i = 0; i < nkeys; i++) {
		const char *key = keys + i * key_size;

		if (bpf_map_lookup_elem(fd, key, values))
			continue; /* deleted since the walk: nothing to report */
		err = fn(key, values, ncpus, ctx);
		if (err < 0)
			break;
	}
out:
	free(values);
	free(keys);
	return err;
}

int maps__for_each(int fd, size_t key_size, size_t value_size, int percpu, maps_visit_fn fn,
		   void *ctx)
{
	int ncpus = percpu ? libbpf_num_possible_cpus() : 1;
	size_t vbytes = percpu ? maps__percpu_stride(value_size) * ncpus : value_size;
	int err;

	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	err = for_each_batch(fd, key_size, vbytes, ncpus, fn, ctx);
	if (err == -EOPNOTSUPP || err == -EINVAL || err == -ENOTSUPP_LIBBPF)
		err = for_each_walk(fd, key_size, vbytes, ncpus, fn, ctx);
	return err;
}

int maps__lookup_percpu(int fd, const void *key, size_t value_size, void **vals)
{
	int ncpus = libbpf_num_possible_cpus();

	*vals = NULL;
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	*vals = calloc(ncpus, maps__percpu_stride(value_size));
	if (!*vals)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, key, *vals)) {
		int err = -errno;

		free(*vals);
		*vals = NULL;
		return err;
	}
	return ncpus;
}

int maps__sum_array(int fd, __u32 n, __u64 *sum)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 *vals;
	int err = 0;

	*sum = 0;
	if (ncpus <= 0)
		return ncpus ? ncpus : -EINVAL;
	vals = calloc(ncpus, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (__u32 k = 0; k < n; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals)) {
			err = -errno;
			break;
		}
		for (int c = 0; c < ncpus; c++)
			*sum += vals[c];
	}
	free(vals);
	return err;
}

/* visitor of maps__percpu_u64s: ctx is the sums and their count. */
struct u64s {
	__u64 *sums;
	__u32 n;
};

static int visit_u64(const void *key, const void *values, int ncpus, void *ctx)
{
	struct u64s *u = ctx;
	__u32 k;

	memcpy(&k, key, sizeof(k));
	if (k < u->n)
		u->sums[k] = maps__percpu_sum(values, ncpus, sizeof(__u64), 0);
	return 0;
}

int maps__percpu_u64s(int fd, __u32 n, __u64 *sums)
{
	struct u64s u = { sums, n };

	memset(sums, 0, n * sizeof(*sums));
	return maps__for_each(fd, sizeof(__u32), sizeof(__u64), 1, visit_u64, &u);
}

int maps__sum_array_delta(int fd, __u32 n, __u64 *prev, __u64 *delta)
{
	__u64 sum;
	int err = maps__sum_array(fd, n, &sum);

	if (err)
		return err;
	*delta = sum - *prev;
	*prev = sum;
	return 0;
}

int maps__percpu_u64s_delta(int fd, __u32 n, __u64 *prev, __u64 *delta)
{
	int err = maps__percpu_u64s(fd, n, delta);

	if (err)
		return err;
	for (__u32 k = 0; k < n; k++) {
		__u64 sum = delta[k];

		delta[k] = sum - prev[k];
		prev[k] = sum;
	}
	return 0;
}
