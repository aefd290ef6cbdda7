// SPDX-License-Identifier: GPL-2.0-only
/*
 * zstd input layer.  An input with a zstd (or skippable-frame) magic is fed
 * as it is: damaged frames, truncation, concatenated frames.  Anything else
 * is text, compressed here in small flushed blocks so that lines straddle
 * decompression boundaries; it must read exactly as the plain text does.
 */
#include <zstd.h>

#include "fuzz.h"

static bool zstd_magic(const uint8_t *p, size_t n)
{
	return n >= 4 && ((p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) ||
			  ((p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ZSTD_CCtx *cc;
	uint8_t *out;
	size_t cap, pos = 0, step;

	if (zstd_magic(data, size)) {
		fz_drain(fz_file(NULL, 0, data, size), PRS_OPT_OTHER);
		return 0;
	}
	if (size > 1 << 20 || (size && data[0] == 0x17))
		return 0;
	cap = ZSTD_compressBound(size) + 64 * (size / 16 + 1) + 64;
	out = malloc(cap);
	cc = ZSTD_createCCtx();
	FZ_CHECK(out && cc);
	step = size ? (size_t)(data[0] % 61) + 3 : 1;
	for (size_t in = 0; in < size || in == 0; in += step) {
		size_t n = size - in < step ? size - in : step;
		ZSTD_inBuffer ib = { data + in, n, 0 };
		ZSTD_EndDirective end = in + n >= size ? ZSTD_e_end : ZSTD_e_flush;
		size_t left;

		do {
			ZSTD_outBuffer ob = { out + pos, cap - pos, 0 };

			left = ZSTD_compressStream2(cc, &ob, &ib, end);
			FZ_CHECK(!ZSTD_isError(left));
			pos += ob.pos;
		} while (left || ib.pos < ib.size);
		if (end == ZSTD_e_end)
			break;
	}
	ZSTD_freeCCtx(cc);
	fz_drain(fz_file(NULL, 0, out, pos), PRS_OPT_OTHER);
	free(out);
	return 0;
}
