// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the flags of a gfp mask, read from the symbolic form events print, mean to the slow path.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "analyzer-local.h"

/*
 * show_gfp_flags() prints the composite names first and removes their bits,
 * then the single flags, then any leftover bits in hex ("GFP_KERNEL|
 * __GFP_NOWARN|0x2").  Before 4.x the single flags were spelled without the
 * leading underscores ("GFP_NOWARN", "GFP_NORETRY": 2.6.x .. 3.x), and
 * __GFP_REPEAT was renamed __GFP_RETRY_MAYFAIL in 4.13.  The composites'
 * flags of interest (include/linux/gfp.h, 3.x .. 6.x): those built on
 * GFP_KERNEL or GFP_USER hold __GFP_FS, GFP_NOFS / GFP_NOIO / GFP_ATOMIC /
 * GFP_NOWAIT do not.
 */
static const struct {
	const char	*name;
	unsigned int	flags;
} gfp_names[] = {
	{ "GFP_KERNEL",			ANL_GFP_FS },
	{ "GFP_KERNEL_ACCOUNT",		ANL_GFP_FS },
	{ "GFP_USER",			ANL_GFP_FS },
	{ "GFP_HIGHUSER",		ANL_GFP_FS },
	{ "GFP_HIGHUSER_MOVABLE",	ANL_GFP_FS },
	{ "GFP_TEMPORARY",		ANL_GFP_FS },	/* GFP_KERNEL | __GFP_RECLAIMABLE, until 4.14 */
	{ "GFP_TRANSHUGE",		ANL_GFP_FS },
	{ "GFP_TRANSHUGE_LIGHT",	ANL_GFP_FS },
	{ "GFP_NOFS",			0 },
	{ "GFP_NOIO",			0 },
	{ "GFP_ATOMIC",			0 },
	{ "GFP_NOWAIT",			0 },
	{ "GFP_DMA",			0 },
	{ "GFP_DMA32",			0 },
	{ "__GFP_FS",			ANL_GFP_FS },
	{ "GFP_FS",			ANL_GFP_FS },
	{ "__GFP_NORETRY",		ANL_GFP_NORETRY },
	{ "GFP_NORETRY",		ANL_GFP_NORETRY },
	{ "__GFP_RETRY_MAYFAIL",	ANL_GFP_RETRY_MAYFAIL },
	{ "__GFP_REPEAT",		ANL_GFP_REPEAT },
	{ "GFP_REPEAT",			ANL_GFP_REPEAT },
	{ "__GFP_NOFAIL",		ANL_GFP_NOFAIL },
	{ "GFP_NOFAIL",			ANL_GFP_NOFAIL },
	{ "__GFP_THISNODE",		ANL_GFP_THISNODE },
	{ "GFP_THISNODE",		ANL_GFP_THISNODE },
};

static bool token_is(const char *tok, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(tok, name, len);
}

/*
 * Whether @gfp_str (symbolic, as an event prints it) holds @flag
 * (ANL_GFP_*): 1, 0, or -1 when it does not say (no gfp, or only a number,
 * whose bits differ between kernel versions).
 */
int anl_gfp_has(const char *gfp_str, unsigned int flag)
{
	const char *p = gfp_str;
	bool named = false;

	if (!gfp_str || !gfp_str[0])
		return -1;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len >= 4 && (!memcmp(p, "GFP_", 4) || !memcmp(p, "__GFP", 5)))
			named = true;
		for (size_t i = 0; i < sizeof(gfp_names) / sizeof(gfp_names[0]); i++)
			if (token_is(p, len, gfp_names[i].name) && (gfp_names[i].flags & flag))
				return 1;
		if (!e)
			break;
		p = e + 1;
	}
	/* "none" (0), or names: a flag of interest always has its own name */
	return named || !strcmp(gfp_str, "none") ? 0 : -1;
}

/*
 * What __alloc_pages_slowpath() does once should_reclaim_retry() gives up
 * (6.12; 4.13+ alike): should_compact_retry() for order > 0, then
 * __alloc_pages_may_oom(), which skips the OOM killer for costly orders
 * (> PAGE_ALLOC_COSTLY_ORDER) and for __GFP_RETRY_MAYFAIL or __GFP_THISNODE
 * (the allocation then fails unless __GFP_NOFAIL), and whose out_of_memory()
 * kills nothing without __GFP_FS (the slow path loops again: 4.10+).
 * __GFP_REPEAT (before 4.13) did not keep the OOM killer away.
 */
enum anl_after_retry anl_after_retry(int32_t order, const char *gfp_str)
{
	int fs = anl_gfp_has(gfp_str, ANL_GFP_FS);

	if (anl_gfp_has(gfp_str, ANL_GFP_NOFAIL) == 1)
		return ANL_AFTER_NOFAIL;
	if (order > 3 || anl_gfp_has(gfp_str, ANL_GFP_RETRY_MAYFAIL | ANL_GFP_THISNODE) == 1)
		return ANL_AFTER_FAIL;
	if (order < 0 || fs < 0)
		return ANL_AFTER_UNKNOWN;
	return fs ? ANL_AFTER_OOM : ANL_AFTER_NOFS;
}
