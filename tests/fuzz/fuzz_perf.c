// SPDX-License-Identifier: GPL-2.0-only
/* perf script text ("comm pid/tid [cpu] ts: sys:event: payload"), OTHER events skipped. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && (data[0] == 0x17 || (data[0] == 0x28 && data[1] == 0xb5) ||
			  (data[1] == 0x2a && data[2] == 0x4d) || !memcmp(data, "PERF", 4)))
		return 0;
	fz_drain(fz_file(NULL, 0, data, size), 0);
	return 0;
}
