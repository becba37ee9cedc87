/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The dashboard's files, bundled into the binary at build time (web/gen-assets.sh). */
#ifndef TRACERHUB_QUERY_ASSETS_H
#define TRACERHUB_QUERY_ASSETS_H

#include <stddef.h>

struct web_asset {
	const char *path; /* URL path, e.g. "/app.js" */
	const char *type; /* Content-Type */
	const unsigned char *data;
	size_t len;
};

/* Every bundled file; the list ends with path == NULL. "/index.html" is the page. */
extern const struct web_asset web_assets[];

#endif
