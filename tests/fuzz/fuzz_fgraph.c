// SPDX-License-Identifier: GPL-2.0-only
/* function_graph text: the header forces the fgraph reader, the input is the body. */
#include "fuzz.h"

static const char header[] = "# tracer: function_graph\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_drain(fz_file(header, sizeof(header) - 1, data, size), size & 1 ? PRS_OPT_OTHER : 0);
	return 0;
}
