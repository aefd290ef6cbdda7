// SPDX-License-Identifier: GPL-2.0-only
/* ftrace text (tracefs trace / trace_pipe, trace-cmd report): line reader and decoders. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* binary magics lead to other readers: their own targets cover them */
	if (size >= 4 && (data[0] == 0x17 || (data[0] == 0x28 && data[1] == 0xb5) ||
			  (data[1] == 0x2a && data[2] == 0x4d) || !memcmp(data, "PERF", 4)))
		return 0;
	fz_drain(fz_file(NULL, 0, data, size), PRS_OPT_OTHER);
	return 0;
}
