// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Perfetto reader's lookup tables: task names, interned kernel symbols,
 * event names by field id or by name.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfetto-local.h"

/* The typed events allocscope reads, by FtraceEvent field id. */
static const struct {
	uint32_t	id;
	const char	*name;
	enum prs_kind	kind;
} pf_typed[] = {
	{ FE_PRINT,		"print",				PRS_EV_PRINT },
	{ FE_SCHED_SWITCH,	"sched_switch",				PRS_EV_SCHED_SWITCH },
	{ FE_SCHED_WAKEUP,	"sched_wakeup",				PRS_EV_OTHER },
	{ FE_SCHED_WAKING,	"sched_waking",				PRS_EV_OTHER },
	{ 35,			"lowmemory_kill",			PRS_EV_OTHER },
	{ FE_RECLAIM_BEGIN,	"mm_vmscan_direct_reclaim_begin",	PRS_EV_RECLAIM_BEGIN },
	{ FE_RECLAIM_END,	"mm_vmscan_direct_reclaim_end",		PRS_EV_RECLAIM_END },
	{ FE_KSWAPD_WAKE,	"mm_vmscan_kswapd_wake",		PRS_EV_KSWAPD_WAKE },
	{ FE_KSWAPD_SLEEP,	"mm_vmscan_kswapd_sleep",		PRS_EV_KSWAPD_SLEEP },
	{ FE_COMPACT_BEGIN,	"mm_compaction_begin",			PRS_EV_COMPACT_BEGIN },
	{ 100,			"mm_compaction_defer_compaction",	PRS_EV_OTHER },
	{ FE_COMPACT_DEFERRED,	"mm_compaction_deferred",		PRS_EV_COMPACT_DEFERRED },
	{ 102,			"mm_compaction_defer_reset",		PRS_EV_OTHER },
	{ FE_COMPACT_END,	"mm_compaction_end",			PRS_EV_COMPACT_END },
	{ FE_COMPACT_FINISHED,	"mm_compaction_finished",		PRS_EV_COMPACT_FINISHED },
	{ 105,			"mm_compaction_isolate_freepages",	PRS_EV_OTHER },
	{ 106,			"mm_compaction_isolate_migratepages",	PRS_EV_OTHER },
	{ 107,			"mm_compaction_kcompactd_sleep",	PRS_EV_OTHER },
	{ 108,			"mm_compaction_kcompactd_wake",		PRS_EV_OTHER },
	{ 109,			"mm_compaction_migratepages",		PRS_EV_OTHER },
	{ FE_COMPACT_SUITABLE,	"mm_compaction_suitable",		PRS_EV_COMPACT_SUITABLE },
	{ FE_TRY_COMPACT,	"mm_compaction_try_to_compact_pages",	PRS_EV_TRY_COMPACT },
	{ 112,			"mm_compaction_wakeup_kcompactd",	PRS_EV_OTHER },
	{ 114,			"sched_wakeup_new",			PRS_EV_OTHER },
	{ FE_TASK_NEWTASK,	"task_newtask",				PRS_EV_OTHER },
	{ FE_TASK_RENAME,	"task_rename",				PRS_EV_OTHER },
	{ 238,			"sched_process_exit",			PRS_EV_OTHER },
	{ 240,			"sched_process_free",			PRS_EV_OTHER },
	{ FE_PAGE_ALLOC,	"mm_page_alloc",			PRS_EV_PAGE_ALLOC },
	{ 326,			"oom_score_adj_update",			PRS_EV_OTHER },
	{ FE_MM_EVENT_RECORD,	"mm_event_record",			PRS_EV_OTHER },
	{ FE_MARK_VICTIM,	"mark_victim",				PRS_EV_MARK_VICTIM },
	{ FE_FUNCGRAPH_ENTRY,	"funcgraph_entry",			PRS_EV_FUNC_ENTRY },
	{ FE_FUNCGRAPH_EXIT,	"funcgraph_exit",			PRS_EV_FUNC_EXIT },
	{ FE_SHRINK_SLAB_START,	"mm_shrink_slab_start",			PRS_EV_SHRINK_SLAB_BEGIN },
	{ FE_SHRINK_SLAB_END,	"mm_shrink_slab_end",			PRS_EV_SHRINK_SLAB_END },
	{ FE_MEMCG_RECLAIM_BEGIN, "mm_vmscan_memcg_reclaim_begin",	PRS_EV_MEMCG_RECLAIM_BEGIN },
	{ FE_MEMCG_RECLAIM_END,	"mm_vmscan_memcg_reclaim_end",		PRS_EV_MEMCG_RECLAIM_END },
};

/* ---- tables: task names, kernel symbols, event names ---------------------- */

struct pf_pid *pf_pid_slot(struct pf *pf, int32_t pid, bool add)
{
	size_t i;

	if (pid == 0)
		return &pf->pid0;
	if (add && (pf->pid_used + 1) * 2 > pf->pid_cap) {
		size_t cap = pf->pid_cap ? pf->pid_cap * 2 : 1024;
		struct pf_pid *n;

		if (pf->pid_used >= PF_MAX_PIDS)
			return NULL;	/* names beyond the limit stay unknown */
		n = calloc(cap, sizeof(*n));
		if (!n)
			return NULL;
		for (size_t j = 0; j < pf->pid_cap; j++) {
			if (!pf->pids[j].pid)
				continue;
			for (i = ((uint32_t)pf->pids[j].pid * 2654435761u) & (cap - 1); n[i].pid;
			     i = (i + 1) & (cap - 1))
				;
			n[i] = pf->pids[j];
		}
		free(pf->pids);
		pf->pids = n;
		pf->pid_cap = cap;
	}
	if (!pf->pid_cap)
		return NULL;
	for (i = ((uint32_t)pid * 2654435761u) & (pf->pid_cap - 1); pf->pids[i].pid;
	     i = (i + 1) & (pf->pid_cap - 1))
		if (pf->pids[i].pid == pid)
			return &pf->pids[i];
	if (!add)
		return NULL;
	pf->pids[i] = (struct pf_pid){ .pid = pid, .tgid = -1 };
	pf->pid_used++;
	return &pf->pids[i];
}

void pf_pid_name(struct prs_reader *r, struct pf *pf, int32_t pid, const char *s, size_t len,
		     uint8_t prio)
{
	struct pf_pid *p;

	while (len && s[len - 1] == '\0')
		len--;
	if (!len || len > 255)
		return;
	p = pf_pid_slot(pf, pid, true);
	if (!p || p->prio > prio)
		return;
	if (!p->comm || strncmp(p->comm, s, len) || p->comm[len]) {
		p->comm = prs_intern(r, s, len);
		pf->pid_gen++;
	}
	p->prio = prio;
}

void pf_pid_tgid(struct pf *pf, int32_t pid, int32_t tgid)
{
	struct pf_pid *p = pf_pid_slot(pf, pid, true);

	if (p && p->tgid != tgid) {
		p->tgid = tgid;
		pf->pid_gen++;
	}
}

struct pf_ksym *pf_ksym_slot(struct pf *pf, uint32_t seq, uint64_t iid, bool add)
{
	size_t i;
	uint64_t h = (iid ^ ((uint64_t)seq << 40)) * 0x9e3779b97f4a7c15ull;

	if (add && (pf->ksym_used + 1) * 2 > pf->ksym_cap) {
		size_t cap = pf->ksym_cap ? pf->ksym_cap * 2 : 1024;
		struct pf_ksym *n;

		if (pf->ksym_used >= PF_MAX_PIDS)
			return NULL;
		n = calloc(cap, sizeof(*n));
		if (!n)
			return NULL;
		for (size_t j = 0; j < pf->ksym_cap; j++) {
			const struct pf_ksym *o = &pf->ksyms[j];
			uint64_t oh = (o->key ^ ((uint64_t)o->seq << 40)) * 0x9e3779b97f4a7c15ull;

			if (!o->key)
				continue;
			for (i = (oh >> 32) & (cap - 1); n[i].key; i = (i + 1) & (cap - 1))
				;
			n[i] = *o;
		}
		free(pf->ksyms);
		pf->ksyms = n;
		pf->ksym_cap = cap;
	}
	if (!pf->ksym_cap || !iid)
		return NULL;
	for (i = (h >> 32) & (pf->ksym_cap - 1); pf->ksyms[i].key; i = (i + 1) & (pf->ksym_cap - 1))
		if (pf->ksyms[i].key == iid && pf->ksyms[i].seq == seq)
			return &pf->ksyms[i];
	if (!add)
		return NULL;
	pf->ksyms[i] = (struct pf_ksym){ .key = iid, .seq = seq };
	pf->ksym_used++;
	return &pf->ksyms[i];
}

/* SEQ_INCREMENTAL_STATE_CLEARED: the sequence's interned symbols start anew */
void pf_ksym_clear(struct pf *pf, uint32_t seq)
{
	size_t keep = 0;
	struct pf_ksym *old = pf->ksyms;
	size_t cap = pf->ksym_cap;

	for (size_t j = 0; j < cap; j++)
		if (old[j].key && old[j].seq != seq)
			keep++;
	if (keep == pf->ksym_used)
		return;
	pf->ksyms = NULL;
	pf->ksym_cap = pf->ksym_used = 0;
	for (size_t j = 0; j < cap; j++) {
		struct pf_ksym *s;

		if (!old[j].key || old[j].seq == seq)
			continue;
		s = pf_ksym_slot(pf, old[j].seq, old[j].key, true);
		if (s)
			s->name = old[j].name;
	}
	free(old);
}

const struct pf_type *pf_typed_type(struct prs_reader *r, struct pf *pf, uint32_t id)
{
	struct pf_type *t;
	char name[40];

	if (id >= FE_TYPED_MAX)
		return NULL;
	t = &pf->types[id];
	if (t->name)
		return t;
	t->kind = PRS_EV_OTHER;
	snprintf(name, sizeof(name), "perfetto_ftrace_event_%u", id);
	for (size_t i = 0; i < sizeof(pf_typed) / sizeof(pf_typed[0]); i++) {
		if (pf_typed[i].id == id) {
			snprintf(name, sizeof(name), "%s", pf_typed[i].name);
			t->kind = pf_typed[i].kind;
			break;
		}
	}
	t->name = prs_intern_str(r, name);
	t->slot = t->name ? prs_name_slot(r, t->name, t->kind) : -1;
	if (t->slot < 0) {
		t->name = NULL;
		return NULL;
	}
	return t;
}

/* An event named at run time (generic, kprobe): kind by name, slot looked up */
int pf_named_type(struct prs_reader *r, const char *s, size_t len, enum prs_kind kind,
		      struct pf_type *t)
{
	t->name = prs_intern(r, s, len);
	if (!t->name)
		return -PRS_ENOMEM;
	t->kind = kind;
	t->slot = prs_name_slot(r, t->name, kind);
	return t->slot < 0 ? -PRS_ENOMEM : 0;
}

const struct pf_gdesc *pf_descriptor(const struct pf *pf, uint32_t id)
{
	for (uint32_t k = 0; k < pf->nr_gdesc; k++)
		if (pf->gdesc[k].field_id == id)
			return &pf->gdesc[k];
	return NULL;
}
