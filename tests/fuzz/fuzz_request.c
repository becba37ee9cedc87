// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer target for the query socket's request parser (src/query/request.c):
 * any bytes must give 0 or -EINVAL with a reason, never a crash, and a parsed
 * request must hold what the parser promises.
 *   make fuzz (runs every target on tests/fuzz/corpus/NAME)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "query/request.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct request r;
	const char *why = NULL;
	int err = request__parse(&r, (const char *)data, size, &why);

	if (err && (err != -EINVAL || !why))
		abort();
	if (err)
		return 0;
	if (r.path[0] != '/' || strlen(r.path) >= REQUEST_PATH_MAX || r.nparams > REQUEST_PARAMS)
		abort();
	for (unsigned int i = 0; i < r.nparams; i++)
		if (request__param(&r, r.params[i].key) == NULL)
			abort();
	return 0;
}
