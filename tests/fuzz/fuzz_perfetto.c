// SPDX-License-Identifier: GPL-2.0-only
/* Perfetto protobuf traces: packets, bundles, compressed packets, gzip and zip containers. */
#include "fuzz.h"

/* A first packet the reader recognizes: TracePacket{trusted_packet_sequence_id: 1} */
static const uint8_t first_packet[4] = { 0x0a, 0x02, 0x50, 0x01 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool own = size >= 2 && ((data[0] == 0x1f && data[1] == 0x8b) ||	/* gzip */
				 (data[0] == 'P' && data[1] == 'K') ||		/* zip */
				 data[0] == 0x0a);				/* a packet */

	/*
	 * Anything else is the packets after a first one that makes the file a
	 * Perfetto trace.  A size bit picks OTHER events too.
	 */
	fz_drain(fz_file(own ? NULL : first_packet, own ? 0 : sizeof(first_packet), data, size),
		 size & 1 ? PRS_OPT_OTHER : 0);
	return 0;
}
