// SPDX-License-Identifier: GPL-2.0-only
/* trace.dat: layout walk, libtracecmd open, merge and decode of every record. */
#include "fuzz.h"

static const uint8_t magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool has = size >= sizeof(magic) && !memcmp(data, magic, sizeof(magic));

	/*
	 * Without the magic the input is what follows it: always trace.dat.
	 * Size bits pick the options: OTHER events too; libtracecmd's reader
	 * instead of ours (events --libtracecmd).
	 */
	fz_drain(fz_file(has ? NULL : magic, has ? 0 : sizeof(magic), data, size),
		 (size & 1 ? PRS_OPT_OTHER : 0) | (size & 2 ? PRS_OPT_LIBTRACECMD : 0));
	return 0;
}
