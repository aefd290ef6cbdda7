// SPDX-License-Identifier: GPL-2.0-only
/*
 * The atrace marker grammar: one trace_marker text into a slice event.
 *
 * Android's atrace (libcutils trace.h, android.os.Trace) and Perfetto's
 * systrace importer (systrace_parser.h) agree on these forms:
 *
 *   B|1636|pokeUserActivity     begin a slice of the writing thread
 *   E|1636   or   E             end the thread's innermost slice (Flutter and
 *                               old atrace write "E" alone; the tgid and any
 *                               name after it are not needed: slices nest)
 *   S|1636|name|123  F|...      async begin/end (not thread slices)
 *   C|1636|name|0               counter
 *   I|...  N|...  G|...  H|...  instants and track-scoped async slices
 *
 * Anything else ("trace_event_clock_sync: ...", allocscope's own markers)
 * is no atrace event.
 */
#include <stddef.h>
#include <stdint.h>

#include "analyzer-local.h"

enum anl_atrace anl_atrace_parse(const char *s, size_t len, struct anl_atrace_ev *out)
{
	int64_t tgid = 0;
	size_t i = 2;

	/* writers may leave the newline or a stray NUL in the buffer */
	while (len && (s[len - 1] == '\n' || s[len - 1] == '\0'))
		len--;
	if (!len)
		return ANL_AT_NONE;
	if (s[0] == 'E' && (len == 1 || s[1] == '|'))
		return ANL_AT_END;
	if (len < 2 || s[1] != '|')
		return ANL_AT_NONE;
	switch (s[0]) {
	case 'B':
		break;
	case 'S': case 'F': case 'C': case 'I': case 'N': case 'G': case 'H':
		return ANL_AT_OTHER;
	default:
		return ANL_AT_NONE;
	}
	/* B|TGID|NAME: the tgid is a decimal number up to '|' or the end */
	if (i >= len || s[i] < '0' || s[i] > '9')
		return ANL_AT_BAD;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		tgid = tgid * 10 + (s[i] - '0');
		if (tgid > INT32_MAX)
			return ANL_AT_BAD;
		i++;
	}
	if (i < len && s[i] != '|')
		return ANL_AT_BAD;
	out->tgid = (int32_t)tgid;
	out->name = i < len ? s + i + 1 : s + len;
	out->len = i < len ? len - i - 1 : 0;
	return ANL_AT_BEGIN;
}
