/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to analyzer/. */
#ifndef ALLOCSCOPE_ANALYZER_LOCAL_H
#define ALLOCSCOPE_ANALYZER_LOCAL_H

#include "analyzer.h"

/* What a traced function is to the page allocator, resolved once per name. */
enum anl_role {
	ROLE_NONE = 0,
	ROLE_ALLOC,		/* __alloc_pages{,_nodemask,_noprof}, __alloc_frozen_pages_noprof */
	ROLE_GPFL,		/* get_page_from_freelist */
	ROLE_WAKE,		/* wake_all_kswapds */
	ROLE_COMPACT,		/* __alloc_pages_direct_compact */
	ROLE_RECLAIM,		/* try_to_free_pages, __perform_reclaim, __alloc_pages_direct_reclaim */
	ROLE_OOM,		/* __alloc_pages_may_oom, out_of_memory */
	ROLE_SLOWPATH,		/* __alloc_pages_slowpath */
	ROLE_BULK,		/* __alloc_pages_bulk*: its gpfl calls are not allocations */
};

enum anl_role anl_role_of(const char *func);	/* by name, suffixes stripped */

/* vmstat snapshot: a few named counters, summed by prefix. */
#define ANL_VM_ITEMS							\
	_AV(ALLOCSTALL,		"allocstall",		true),		\
	_AV(COMPACT_STALL,	"compact_stall",	false),		\
	_AV(COMPACT_FAIL,	"compact_fail",		false),		\
	_AV(COMPACT_SUCCESS,	"compact_success",	false),		\
	_AV(OOM_KILL,		"oom_kill",		false),		\
	_AV(PGALLOC,		"pgalloc",		true),		\
	_AV(PGSCAN_DIRECT,	"pgscan_direct",	false),		\
	_AV(PGSTEAL_DIRECT,	"pgsteal_direct",	false),		\
	_AV(PGSTEAL_KHUGEPAGED,	"pgsteal_khugepaged",	false),		\
	_AV(PGSTEAL_PROACTIVE,	"pgsteal_proactive",	false)

#undef _AV
#define _AV(id, name, prefix) ANL_VM_##id
enum anl_vm_item { ANL_VM_ITEMS, ANL_VM__COUNT };
#undef _AV

struct anl_vmstat {
	bool		present;
	bool		have[ANL_VM__COUNT];
	uint64_t	val[ANL_VM__COUNT];
};

void anl_vmstat_line(struct anl_vmstat *vs, const char *name, size_t nlen, uint64_t value);
int  anl_vmstat_parse(struct anl_vmstat *vs, const char *text, size_t len);

#endif /* ALLOCSCOPE_ANALYZER_LOCAL_H */
