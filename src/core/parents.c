// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/parents.h"
#include "model/grow.h"
#include "model/snapshot.h"

/* The parent of pid from /proc, 0 when unknown (gone, or another pid namespace). */
static __u32 proc_ppid(__u32 pid)
{
	char path[32], buf[512], *p;
	unsigned int ppid = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
	if (!p || sscanf(p + 1, " %*c %u", &ppid) != 1)
		return 0;
	return ppid;
}

int parents__fill(struct parents *p, struct snapshot *s)
{
	struct parent_entry *tmp;
	size_t k = 0;

	if (GROW(p->next, p->next_cap, s->nrows))
		return -ENOMEM;
	for (size_t i = 0; i < s->nrows; i++) {
		struct proc_row *r = &s->rows[i];

		while (k < p->nknown && p->known[k].pid < r->pid)
			k++;
		r->ppid = k < p->nknown && p->known[k].pid == r->pid ? p->known[k].ppid :
								       proc_ppid(r->pid);
		p->next[i] = (struct parent_entry){ r->pid, r->ppid };
	}
	tmp = p->known;
	p->known = p->next;
	p->next = tmp;
	k = p->known_cap;
	p->known_cap = p->next_cap;
	p->next_cap = k;
	p->nknown = s->nrows;
	return 0;
}

/*
 * Alike by design (docs/architecture.md, Deliberate likenesses): each module's free of its own
 * arrays.
 */
void parents__free(struct parents *p)
{
	if (!p)
		return;
	free(p->known);
	free(p->next);
	memset(p, 0, sizeof(*p));
}
