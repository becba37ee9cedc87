// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include "core/tracefs.h"

#define TRACEFS_MAGIC 0x74726163

static bool tracefs_mounted(void)
{
	struct statfs st;

	return statfs(TRACEFS_PATH, &st) == 0 && st.f_type == TRACEFS_MAGIC;
}

int tracefs__ensure(bool *did_mount)
{
	*did_mount = false;
	if (tracefs_mounted())
		return 0;
	/*
	 * A mount namespace of this thread's own, where mounts no longer
	 * propagate to the rest of the system: the mount goes with the process,
	 * however it ends (kill -9 included), and nobody else ever sees it.
	 */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) ||
	    mount("tracefs", TRACEFS_PATH, "tracefs", 0, NULL))
		return -errno;
	*did_mount = true;
	return 0;
}

bool tracefs__has_event(const char *category, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS_PATH "/events/%s/%s/id", category, name);
	return access(path, R_OK) == 0;
}
