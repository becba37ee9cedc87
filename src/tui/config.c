// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The column chooser's choice, kept per user: $XDG_CONFIG_HOME/tracerhub/top.conf (or
 * ~/.config/tracerhub/top.conf), one line "hidden=metric,metric,...".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "model/metric.h"
#include "tui/priv.h"

#define CONF_KEY "hidden="

/* The directory (dir) and file (file) paths; 0, or -ENOENT without a home. */
static int conf_paths(char *dir, char *file, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && xdg[0])
		n = snprintf(dir, len, "%s/tracerhub", xdg);
	else if (home && home[0])
		n = snprintf(dir, len, "%s/.config/tracerhub", home);
	else
		return -ENOENT;
	if (n < 0 || (size_t)n + sizeof("/top.conf") > len)
		return -ENAMETOOLONG;
	snprintf(file, len, "%s/top.conf", dir);
	return 0;
}

int tui_config__load(__u64 *hidden)
{
	char dir[PATH_MAX], file[PATH_MAX], line[1024], *tok, *save;
	int err = conf_paths(dir, file, sizeof(dir));
	FILE *f;

	if (err)
		return err;
	f = fopen(file, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, CONF_KEY, strlen(CONF_KEY)))
			continue;
		*hidden = 0;
		line[strcspn(line, "\r\n")] = '\0';
		for (tok = strtok_r(line + strlen(CONF_KEY), ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			int m = metric__by_name(tok);

			if (m >= 0) /* names of metrics since renamed are dropped */
				*hidden |= 1ULL << m;
		}
	}
	fclose(f);
	return 0;
}

int tui_config__save(__u64 hidden)
{
	char dir[PATH_MAX], file[PATH_MAX], tmp[PATH_MAX + 8];
	int err = conf_paths(dir, file, sizeof(dir));
	const char *sep = "";
	FILE *f;

	if (err)
		return err;
	if (mkdir(dir, 0755) && errno != EEXIST) {
		/* ~/.config may be missing too */
		char parent[PATH_MAX];

		snprintf(parent, sizeof(parent), "%s", dir);
		*strrchr(parent, '/') = '\0';
		if ((mkdir(parent, 0755) && errno != EEXIST) || mkdir(dir, 0755))
			return -errno;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fputs(CONF_KEY, f);
	for (int m = 0; m < METRIC_COUNT; m++) {
		if (hidden & (1ULL << m)) {
			fprintf(f, "%s%s", sep, metric__info(m)->name);
			sep = ",";
		}
	}
	fputc('\n', f);
	if (fclose(f))
		err = -errno;
	else if (rename(tmp, file))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
