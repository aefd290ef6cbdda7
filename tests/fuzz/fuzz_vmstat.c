// SPDX-License-Identifier: GPL-2.0-only
/* /proc/vmstat snapshot text ("name value" lines), as analyze --vmstat-* reads it. */
#include "analyzer-local.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anl_vmstat vs;
	char *copy = malloc(size + 1);

	FZ_CHECK(copy);
	/* exact-size copy: a read past the end is an ASan report */
	memcpy(copy, data, size);
	memset(&vs, 0, sizeof(vs));
	(void)anl_vmstat_parse(&vs, copy, size);
	free(copy);
	return 0;
}
