// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Perfetto trace reader: Trace.packet by packet into normalized events.
 *
 * A trace is a stream of `Trace.packet` fields (field 1, length-delimited
 * TracePacket).  Read one packet at a time (bounded by PF_MAX_PACKET), it
 * yields: ftrace_events (FtraceEventBundle: typed events, GenericFtraceEvent,
 * self-describing events with a field id >= 65536 and their descriptors,
 * compact_sched), compressed_packets / zstd_compressed_packets (packets
 * inside), process_tree (task names, tgids), ftrace_stats (per-CPU overrun),
 * system_info (kernel release), interned_data.kernel_symbols (function_graph's
 * func ids).  Events go through the per-CPU time merge (perfetto-merge.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfetto-local.h"

/* TracePacket fields */
enum {
	TP_FTRACE_EVENTS = 1, TP_PROCESS_TREE = 2, TP_TIMESTAMP = 8, TP_SEQ_ID = 10,
	TP_SYS_STATS = 7, TP_INTERNED = 12, TP_SEQ_FLAGS = 13, TP_FTRACE_STATS = 34, TP_STATE_CLEARED = 41,
	TP_DROPPED = 42, TP_SYSTEM_INFO = 45, TP_COMPRESSED = 50, TP_ZSTD = 133,
};
#define SEQ_INCREMENTAL_STATE_CLEARED	1

/* FtraceEvent fields */
enum {
	FE_TIMESTAMP = 1, FE_PID = 2, FE_COMMON_FLAGS = 5,
	FE_PRINT = 3, FE_SCHED_SWITCH = 4, FE_SCHED_WAKEUP = 17, FE_SCHED_WAKING = 20,
	FE_RECLAIM_BEGIN = 46, FE_RECLAIM_END = 47, FE_KSWAPD_WAKE = 48, FE_KSWAPD_SLEEP = 49,
	FE_COMPACT_BEGIN = 99, FE_COMPACT_DEFERRED = 101, FE_COMPACT_END = 103,
	FE_COMPACT_FINISHED = 104, FE_COMPACT_SUITABLE = 110, FE_TRY_COMPACT = 111,
	FE_TASK_NEWTASK = 235, FE_TASK_RENAME = 236, FE_PAGE_ALLOC = 307, FE_GENERIC = 327,
	FE_MM_EVENT_RECORD = 328, FE_MARK_VICTIM = 334, FE_FUNCGRAPH_ENTRY = 437,
	FE_FUNCGRAPH_EXIT = 438, FE_SHRINK_SLAB_START = 443, FE_SHRINK_SLAB_END = 444,
	FE_KPROBE = 542, FE_MEMCG_RECLAIM_BEGIN = 607, FE_MEMCG_RECLAIM_END = 608,
};
#define FE_TYPED_MAX	1024	/* typed event ids below this get a cached name slot */
#define FE_GENERIC_MIN	65536	/* self-describing events (FtraceEvent reserves 65536..131072) */

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

struct pf_type {
	const char	*name;		/* interned; NULL: not resolved yet */
	enum prs_kind	kind;
	long		slot;
};

/* A self-describing event's format (FtraceEventBundle.generic_event_descriptors). */
struct pf_gfield {
	uint32_t	number;
	uint8_t		type;		/* FieldDescriptorProto.Type */
	const char	*name;		/* interned */
};

struct pf_gdesc {
	uint32_t	field_id;
	struct pf_type	t;
	uint32_t	nf;
	struct pf_gfield *f;
};

struct pf_pid {
	int32_t		pid;		/* 0: empty slot (pid 0 lives in pid0) */
	int32_t		tgid;
	const char	*comm;		/* interned */
	uint8_t		prio;		/* where comm came from: NAME_SWITCH < NAME_TASK */
};

/*
 * A task's name, as trace_processor ranks them: process_tree and the task
 * events (task_newtask, task_rename) over sched_switch's comms, which only
 * name a task nothing else named.
 */
enum { NAME_NONE, NAME_SWITCH, NAME_TASK };

struct pf_ksym {
	uint64_t	key;		/* iid; 0: empty */
	uint32_t	seq;
	const char	*name;		/* interned */
};

/* The compact_sched arrays of one bundle, decoded. */
struct pf_csw {
	uint64_t	ts;
	int64_t		prev_state;
	int32_t		next_pid;
	uint32_t	comm;		/* index into the bundle's intern table */
};

struct pf {
	struct pf_in		*in;
	struct pf_merge		m;
	struct pf_blob		*free_blobs;
	uint64_t		held_bytes;	/* blobs that queued PRINT events point into */
	bool			eof;
	int			end_ret;	/* 0, or -PRS_ECUT after the last event */
	uint64_t		pkt_off;	/* stream offset of the packet being decoded */
	struct pf_blob		*blob;		/* ... and its bytes */

	struct pf_type		types[FE_TYPED_MAX];
	struct pf_gdesc		*gdesc;
	uint32_t		nr_gdesc;

	struct pf_pid		*pids;
	size_t			pid_cap, pid_used;
	struct pf_pid		pid0;

	struct pf_ksym		*ksyms;
	size_t			ksym_cap, ksym_used;

	struct pf_csw		*csw;		/* compact sched_switch of the bundle being read */
	size_t			csw_cap;
	uint64_t		*cwk;		/* compact sched_waking timestamps */
	size_t			cwk_cap;
	const char		**itab;		/* the bundle's compact intern table, interned */
	size_t			itab_cap;

	/* ftrace_stats: per CPU at START_OF_TRACE and END_OF_TRACE */
	uint64_t		overrun[2], dropped[2];
	bool			stats_phase[2];

	/* sys_stats: the earliest and the latest vmstat snapshot, as /proc/vmstat text */
	char			*vm_text[2];
	size_t			vm_len[2];
	uint64_t		vm_ts[2];
	bool			vm_have;
	const char		*lost_name;
	char			where_note[64];	/* offsets are in the decompressed trace: which */
	char			*text;
	size_t			text_cap;
	uint64_t		packets;
};

/* ---- errors: one line naming the offset of the damage -------------------- */

static uint64_t pf_where(const struct pf *pf, const uint8_t *p)
{
	const struct pf_blob *b = pf->blob;

	if (!b || !p || p < b->data || p > b->data + b->len)
		return pf->pkt_off;
	if (b->inflated)
		return b->inflated_at;
	return b->off + (uint64_t)(p - b->data);
}

static int pf_damaged(struct prs_reader *r, struct pf *pf, const uint8_t *at, const char *what,
		      const char *why)
{
	const struct pf_blob *b = pf->blob;

	if (b && b->inflated)
		return prs_fail(r, PRS_ECORRUPT, false, pf_where(pf, at), "%s: %s (at byte %llu of "
				"the decompressed packets)%s", what, why,
				(unsigned long long)(at - b->data), pf->where_note);
	return prs_fail(r, PRS_ECORRUPT, false, pf_where(pf, at), "%s: %s%s", what, why,
			pf->where_note);
}

/* ---- tables: task names, kernel symbols, event names ---------------------- */

static struct pf_pid *pid_slot(struct pf *pf, int32_t pid, bool add)
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

static void pid_name(struct prs_reader *r, struct pf *pf, int32_t pid, const char *s, size_t len,
		     uint8_t prio)
{
	struct pf_pid *p;

	while (len && s[len - 1] == '\0')
		len--;
	if (!len || len > 255)
		return;
	p = pid_slot(pf, pid, true);
	if (!p || p->prio > prio)
		return;
	if (!p->comm || strncmp(p->comm, s, len) || p->comm[len])
		p->comm = prs_intern(r, s, len);
	p->prio = prio;
}

static void pid_tgid(struct pf *pf, int32_t pid, int32_t tgid)
{
	struct pf_pid *p = pid_slot(pf, pid, true);

	if (p)
		p->tgid = tgid;
}

static struct pf_ksym *ksym_slot(struct pf *pf, uint32_t seq, uint64_t iid, bool add)
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
static void ksym_clear(struct pf *pf, uint32_t seq)
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
		s = ksym_slot(pf, old[j].seq, old[j].key, true);
		if (s)
			s->name = old[j].name;
	}
	free(old);
}

static const struct pf_type *typed(struct prs_reader *r, struct pf *pf, uint32_t id)
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
static int named_type(struct prs_reader *r, const char *s, size_t len, enum prs_kind kind,
		      struct pf_type *t)
{
	t->name = prs_intern(r, s, len);
	if (!t->name)
		return -PRS_ENOMEM;
	t->kind = kind;
	t->slot = prs_name_slot(r, t->name, kind);
	return t->slot < 0 ? -PRS_ENOMEM : 0;
}

/* ---- blobs ---------------------------------------------------------------- */

static struct pf_blob *blob_get(struct pf *pf, size_t len)
{
	struct pf_blob *b = pf->free_blobs;

	if (b && b->cap >= len) {
		pf->free_blobs = b->next;
	} else {
		b = calloc(1, sizeof(*b));
		if (!b)
			return NULL;
		b->cap = len > 65536 ? len : 65536;
		b->data = malloc(b->cap);
		if (!b->data) {
			free(b);
			return NULL;
		}
	}
	b->next = NULL;
	b->len = 0;
	b->refs = 0;
	b->inflated = false;
	return b;
}

static void blob_put(struct pf *pf, struct pf_blob *b)
{
	unsigned int n = 0;

	for (struct pf_blob *f = pf->free_blobs; f; f = f->next)
		n++;
	if (n >= 4 || b->cap > (4u << 20)) {
		free(b->data);
		free(b);
		return;
	}
	b->next = pf->free_blobs;
	pf->free_blobs = b;
}

/* ---- field values onto events ------------------------------------------- */

/* sched_switch's prev_state as the kernel prints it (TASK_REPORT bits; 0 runnable) */
static char state_letter(int64_t v)
{
	static const char bits[] = "SDTtXZPI";

	for (int i = 0; i < 8; i++)
		if (v & (1 << i))
			return bits[i];
	return 'R';	/* 0, or only TASK_REPORT_MAX: preempted ("R+") */
}

/* A value of a field named @n (generic and self-describing events). */
struct pf_val {
	bool		is_str;
	uint64_t	u;
	const uint8_t	*s;
	size_t		len;
};

static bool nm(const char *n, const char *w)
{
	return !strcmp(n, w);
}

static int set_named(struct prs_reader *r, struct pf *pf, struct prs_event *ev, const char *n,
		     const struct pf_val *v)
{
	uint64_t u = v->u;
	int32_t i = (int32_t)u;

	if (v->is_str) {
		if (ev->kind == PRS_EV_PRINT && nm(n, "buf")) {
			ev->u.print.text = (const char *)v->s;
			ev->u.print.len = v->len;
		} else if (ev->kind == PRS_EV_SCHED_SWITCH && (nm(n, "prev_comm") || nm(n, "next_comm"))) {
			const char *c = prs_intern(r, (const char *)v->s, strnlen((const char *)v->s, v->len));

			if (!c)
				return -PRS_ENOMEM;
			if (n[0] == 'p')
				ev->u.sw.prev_comm = c;
			else
				ev->u.sw.next_comm = c;
		}
		return 0;
	}
	switch (ev->kind) {
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		if (nm(n, "pfn"))
			ev->u.mm.pfn = u;
		else if (nm(n, "order"))
			ev->u.mm.order = i;
		else if (nm(n, "gfp_flags") || nm(n, "gfp_mask"))
			ev->u.mm.gfp = u;
		else if (nm(n, "migratetype"))
			ev->u.mm.migratetype = i;
		else if (nm(n, "nid"))
			ev->u.mm.nid = i;
		else if (nm(n, "zid"))
			ev->u.mm.zid = i;
		else if (nm(n, "prio"))
			ev->u.mm.prio = i;
		break;
	case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
		if (nm(n, "nr_reclaimed"))
			ev->u.reclaim.nr_reclaimed = u;
		break;
	case PRS_EV_KSWAPD_SLEEP:
		if (nm(n, "nid"))
			ev->u.kswapd.nid = i;
		break;
	case PRS_EV_LRU_SHRINK:
		if (nm(n, "nid"))
			ev->u.lru.nid = i;
		else if (nm(n, "priority"))
			ev->u.lru.priority = i;
		else if (nm(n, "nr_scanned"))
			ev->u.lru.nr_scanned = u;
		else if (nm(n, "nr_reclaimed"))
			ev->u.lru.nr_reclaimed = u;
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_FINISHED:
		if (nm(n, "sync") && (ev->kind == PRS_EV_COMPACT_BEGIN || ev->kind == PRS_EV_COMPACT_END))
			ev->u.compact.sync = i;
		else if (nm(n, "order") && ev->kind != PRS_EV_COMPACT_BEGIN &&
			 ev->kind != PRS_EV_COMPACT_END)
			ev->u.compact.order = i;
		else if ((nm(n, "status") || nm(n, "ret")) && ev->kind != PRS_EV_COMPACT_BEGIN)
			ev->u.compact.status = i;
		break;
	case PRS_EV_MARK_VICTIM:
		if (nm(n, "pid"))
			ev->u.victim.pid = i;
		break;
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
		if (nm(n, "order"))
			ev->u.retry.order = i;
		else if (nm(n, "node"))
			ev->u.retry.nid = i;
		else if (nm(n, "no_progress_loops") || nm(n, "retries"))
			ev->u.retry.loops = i;
		else if (nm(n, "max_retries"))
			ev->u.retry.max = i;
		else if (nm(n, "wmark_check") || nm(n, "ret"))
			ev->u.retry.verdict = i;
		break;
	case PRS_EV_THROTTLED:
		if (nm(n, "nid"))
			ev->u.throttle.nid = i;
		else if (nm(n, "usec_timeout"))
			ev->u.throttle.usec_timeout = i;
		else if (nm(n, "usec_delayed"))
			ev->u.throttle.usec_delayed = i;
		break;
	case PRS_EV_SCHED_SWITCH:
		if (nm(n, "prev_pid"))
			ev->u.sw.prev_pid = i;
		else if (nm(n, "next_pid"))
			ev->u.sw.next_pid = i;
		else if (nm(n, "prev_state"))
			ev->u.sw.prev_state = state_letter((int64_t)u);
		break;
	default:
		(void)pf;
		break;
	}
	return 0;
}

/* ---- typed events --------------------------------------------------------- */

static const char *func_name(struct prs_reader *r, struct pf *pf, uint32_t seq, uint64_t v)
{
	const struct pf_ksym *k = ksym_slot(pf, seq, v, false);
	char hex[24];

	if (k)
		return k->name;
	/* not symbolized (symbolize_ksyms off): the kernel address, as text readers show it */
	snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
	return prs_intern_str(r, hex);
}

/*
 * Decode the typed message @m of event id @id into @ev (kind already set).
 * 0, or <0 on damage / no memory.
 */
static int decode_typed(struct prs_reader *r, struct pf *pf, uint32_t id, struct pb m,
			struct prs_event *ev, uint32_t seq)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		uint64_t v = f.v;
		int32_t i = (int32_t)v;

		if (f.wt == PB_LEN) {
			if ((id == FE_PRINT && f.id == 2) ||
			    (id == FE_SCHED_SWITCH && (f.id == 1 || f.id == 5))) {
				struct pf_val val = { true, 0, f.sub.p, (size_t)(f.sub.end - f.sub.p) };

				ret = set_named(r, pf, ev, id == FE_PRINT ? "buf" :
						f.id == 1 ? "prev_comm" : "next_comm", &val);
				if (ret < 0)
					return ret;
			} else if (id == FE_TASK_NEWTASK && f.id == 2) {
				/* the pid comes first in traced_probes' encoding; see below */
			}
			continue;
		}
		switch (id) {
		case FE_SCHED_SWITCH:
			if (f.id == 2)
				ev->u.sw.prev_pid = i;
			else if (f.id == 4)
				ev->u.sw.prev_state = state_letter((int64_t)v);
			else if (f.id == 6)
				ev->u.sw.next_pid = i;
			break;
		case FE_RECLAIM_BEGIN:
		case FE_MEMCG_RECLAIM_BEGIN:
			if (f.id == 1)
				ev->u.mm.order = i;
			else if (f.id == 3)
				ev->u.mm.gfp = v;
			break;
		case FE_RECLAIM_END:
		case FE_MEMCG_RECLAIM_END:
			if (f.id == 1)
				ev->u.reclaim.nr_reclaimed = v;
			break;
		case FE_KSWAPD_WAKE:
			if (f.id == 1)
				ev->u.mm.nid = i;
			else if (f.id == 2)
				ev->u.mm.order = i;
			else if (f.id == 3)
				ev->u.mm.zid = i;
			break;
		case FE_KSWAPD_SLEEP:
			if (f.id == 1)
				ev->u.kswapd.nid = i;
			break;
		case FE_COMPACT_BEGIN:
			if (f.id == 5)
				ev->u.compact.sync = i;
			break;
		case FE_COMPACT_END:
			if (f.id == 5)
				ev->u.compact.sync = i;
			else if (f.id == 6)
				ev->u.compact.status = i;
			break;
		case FE_COMPACT_DEFERRED:
			if (f.id == 3)
				ev->u.compact.order = i;
			break;
		case FE_COMPACT_FINISHED:
		case FE_COMPACT_SUITABLE:
			if (f.id == 3)
				ev->u.compact.order = i;
			else if (f.id == 4)
				ev->u.compact.status = i;
			break;
		case FE_TRY_COMPACT:
			if (f.id == 1)
				ev->u.mm.order = i;
			else if (f.id == 2)
				ev->u.mm.gfp = v;
			else if (f.id == 4)
				ev->u.mm.prio = i;
			break;
		case FE_PAGE_ALLOC:
			if (f.id == 1)
				ev->u.mm.gfp = v;
			else if (f.id == 2)
				ev->u.mm.migratetype = i;
			else if (f.id == 3)
				ev->u.mm.order = i;
			else if (f.id == 5)
				ev->u.mm.pfn = v;
			break;
		case FE_MARK_VICTIM:
			if (f.id == 1)
				ev->u.victim.pid = i;
			break;
		case FE_FUNCGRAPH_ENTRY:
			if (f.id == 1)
				ev->u.fn.depth = i;
			else if (f.id == 2 && !(ev->u.fn.func = func_name(r, pf, seq, v)))
				return -PRS_ENOMEM;
			break;
		case FE_FUNCGRAPH_EXIT:
			if (f.id == 1)
				ev->u.fn.arg[0] = v;	/* calltime, until rettime comes */
			else if (f.id == 2)
				ev->u.fn.depth = i;
			else if (f.id == 3 && !(ev->u.fn.func = func_name(r, pf, seq, v)))
				return -PRS_ENOMEM;
			else if (f.id == 5)
				ev->u.fn.arg[1] = v;
			break;
		default:
			break;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace event", why);
	if (id == FE_FUNCGRAPH_EXIT) {
		uint64_t call = ev->u.fn.arg[0], ret_t = ev->u.fn.arg[1];

		ev->u.fn.arg[0] = ev->u.fn.arg[1] = PRS_NO_VALUE;
		if (call != PRS_NO_VALUE && ret_t != PRS_NO_VALUE && ret_t >= call)
			ev->u.fn.duration = ret_t - call;
	}
	return 0;
}

/* task_newtask / task_rename: the name a pid gets from now on */
static int task_names(struct prs_reader *r, struct pf *pf, uint32_t id, struct pb m)
{
	struct pb_field f;
	const char *why;
	int32_t pid = -1;
	const uint8_t *s = NULL;
	size_t len = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT)
			pid = (int32_t)f.v;
		else if (f.wt == PB_LEN && ((id == FE_TASK_NEWTASK && f.id == 2) ||
					    (id == FE_TASK_RENAME && f.id == 3))) {
			s = f.sub.p;
			len = (size_t)(f.sub.end - f.sub.p);
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace event", why);
	if (pid > 0 && s)
		pid_name(r, pf, pid, (const char *)s, len, NAME_TASK);
	return 0;
}

/* GenericFtraceEvent: an event by name with named fields */
static int decode_generic(struct prs_reader *r, struct pf *pf, struct pb m, struct prs_event *ev,
			  struct pf_type *t)
{
	struct pb_field f, g;
	struct pb fields[64];
	unsigned int nf = 0;
	const char *why;
	int ret;

	t->name = NULL;
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_LEN) {
			size_t len = (size_t)(f.sub.end - f.sub.p);

			ret = named_type(r, (const char *)f.sub.p, strnlen((const char *)f.sub.p, len),
					 prs_kind_by_name((const char *)f.sub.p,
							  strnlen((const char *)f.sub.p, len)), t);
			if (ret < 0)
				return ret;
		} else if (f.id == 2 && f.wt == PB_LEN && nf < 64) {
			fields[nf++] = f.sub;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "generic ftrace event", why);
	if (!t->name && (ret = named_type(r, "generic", 7, PRS_EV_OTHER, t)) < 0)
		return ret;
	prs_event_init(ev, t->kind);
	for (unsigned int k = 0; k < nf; k++) {
		char name[64] = "";
		struct pf_val v = { 0 };
		bool have = false;

		while ((ret = pb_next(&fields[k], &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_LEN) {
				size_t len = (size_t)(g.sub.end - g.sub.p);

				if (len >= sizeof(name))
					len = sizeof(name) - 1;
				memcpy(name, g.sub.p, len);
				name[len] = '\0';
			} else if (g.id == 3 && g.wt == PB_LEN) {
				v = (struct pf_val){ true, 0, g.sub.p, (size_t)(g.sub.end - g.sub.p) };
				have = true;
			} else if ((g.id == 4 || g.id == 5) && g.wt == PB_VARINT) {
				v = (struct pf_val){ false, g.v, NULL, 0 };
				have = true;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, fields[k].p, "generic ftrace event field", why);
		if (have && name[0] && (ret = set_named(r, pf, ev, name, &v)) < 0)
			return ret;
	}
	return 0;
}

/* A self-describing event (id >= 65536) by its descriptor */
static int decode_described(struct prs_reader *r, struct pf *pf, const struct pf_gdesc *d,
			    struct pb m, struct prs_event *ev)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		const struct pf_gfield *gf = NULL;
		struct pf_val v = { 0 };

		for (uint32_t k = 0; k < d->nf; k++)
			if (d->f[k].number == f.id) {
				gf = &d->f[k];
				break;
			}
		if (!gf)
			continue;
		if (f.wt == PB_LEN) {
			v = (struct pf_val){ true, 0, f.sub.p, (size_t)(f.sub.end - f.sub.p) };
		} else {
			v.u = f.v;
			if (gf->type == 17)		/* TYPE_SINT32 */
				v.u = (uint64_t)(int64_t)(int32_t)pb_zigzag(f.v);
			else if (gf->type == 18)	/* TYPE_SINT64 */
				v.u = (uint64_t)pb_zigzag(f.v);
			else if (gf->type == 15)	/* TYPE_SFIXED32 */
				v.u = (uint64_t)(int64_t)(int32_t)(uint32_t)f.v;
		}
		if ((ret = set_named(r, pf, ev, gf->name, &v)) < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "self-describing ftrace event", why);
	return 0;
}

/* generic_event_descriptors: GenericEventDescriptor{field_id, DescriptorProto} */
static int add_descriptor(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g, h;
	struct pb desc = { NULL, NULL }, d;
	const char *why;
	int64_t field_id = -1;
	struct pf_gdesc *gd = NULL;
	struct pf_gfield fl[128];
	uint32_t nf = 0;
	const uint8_t *name = NULL;
	size_t name_len = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT)
			field_id = (int64_t)(int32_t)f.v;
		else if (f.id == 2 && f.wt == PB_LEN)
			desc = f.sub;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "generic event descriptor", why);
	if (field_id < FE_GENERIC_MIN || !desc.p)
		return pf_damaged(r, pf, m.p, "generic event descriptor", "no field id of 65536 or "
				  "more, or no descriptor");
	d = desc;
	while ((ret = pb_next(&d, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_LEN) {
			name = f.sub.p;
			name_len = (size_t)(f.sub.end - f.sub.p);
		} else if (f.id == 2 && f.wt == PB_LEN && nf < 128) {
			struct pb fd = f.sub;
			struct pf_gfield x = { 0 };

			while ((ret = pb_next(&fd, &g, &why)) > 0) {
				if (g.id == 1 && g.wt == PB_LEN) {
					x.name = prs_intern(r, (const char *)g.sub.p,
							    strnlen((const char *)g.sub.p,
								    (size_t)(g.sub.end - g.sub.p)));
					if (!x.name)
						return -PRS_ENOMEM;
				} else if (g.id == 3 && g.wt == PB_VARINT) {
					x.number = (uint32_t)g.v;
				} else if (g.id == 5 && g.wt == PB_VARINT) {
					x.type = (uint8_t)g.v;
				}
			}
			if (ret < 0)
				return pf_damaged(r, pf, fd.p, "generic event descriptor field", why);
			if (x.name && x.number)
				fl[nf++] = x;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, d.p, "generic event descriptor", why);
	if (!name || !name_len)
		return pf_damaged(r, pf, desc.p, "generic event descriptor", "event without a name");
	(void)h;
	for (uint32_t k = 0; k < pf->nr_gdesc; k++)
		if (pf->gdesc[k].field_id == (uint32_t)field_id)
			gd = &pf->gdesc[k];
	if (!gd) {
		struct pf_gdesc *n;

		if (pf->nr_gdesc >= PF_MAX_GENERIC)
			return prs_fail(r, PRS_ELIMIT, false, pf_where(pf, m.p), "more than %u "
					"self-describing event formats", PF_MAX_GENERIC);
		n = realloc(pf->gdesc, (pf->nr_gdesc + 1) * sizeof(*n));
		if (!n)
			return -PRS_ENOMEM;
		pf->gdesc = n;
		gd = &pf->gdesc[pf->nr_gdesc++];
		memset(gd, 0, sizeof(*gd));
		gd->field_id = (uint32_t)field_id;
	}
	free(gd->f);
	gd->f = malloc((nf ? nf : 1) * sizeof(*gd->f));
	if (!gd->f) {
		gd->nf = 0;
		return -PRS_ENOMEM;
	}
	memcpy(gd->f, fl, nf * sizeof(*fl));
	gd->nf = nf;
	name_len = strnlen((const char *)name, name_len);
	return named_type(r, (const char *)name, name_len, prs_kind_by_name((const char *)name, name_len),
			  &gd->t);
}

static const struct pf_gdesc *descriptor(const struct pf *pf, uint32_t id)
{
	for (uint32_t k = 0; k < pf->nr_gdesc; k++)
		if (pf->gdesc[k].field_id == id)
			return &pf->gdesc[k];
	return NULL;
}

/* ---- one FtraceEvent ------------------------------------------------------ */

/* An FtraceEvent's own fields: timestamp, pid, and its one payload. */
struct pf_evhdr {
	uint64_t	ts;
	uint32_t	pid;
	bool		have_pid;
	uint32_t	pay_id;		/* 0: no payload */
	struct pb	payload;
};

static int event_header(struct prs_reader *r, struct pf *pf, struct pb m, struct pf_evhdr *h)
{
	struct pb_field f;
	const char *why;
	int ret;

	h->ts = 0;
	h->have_pid = false;
	h->pay_id = 0;
	h->payload.p = h->payload.end = NULL;
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == FE_TIMESTAMP && f.wt == PB_VARINT) {
			h->ts = f.v;
		} else if (f.id == FE_PID && f.wt == PB_VARINT) {
			h->pid = (uint32_t)f.v;
			h->have_pid = true;
		} else if (f.wt == PB_LEN && f.id != FE_COMMON_FLAGS) {
			h->payload = f.sub;
			h->pay_id = f.id;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace event", why);
	return 0;
}

/* Decode the FtraceEvent of header @h into a queue record of @q; its kind and name from its payload's id. */
static int decode_event(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
			const struct pf_evhdr *h, uint32_t seq)
{
	struct pb payload = h->payload;
	uint32_t pay_id = h->pay_id;
	const char *why;
	struct pf_type gt;
	const struct pf_type *t;
	struct pf_rec *rec;
	struct prs_event *ev;
	int ret = 0;

	if (!pay_id)
		return 0;	/* an event with nothing in it: not an event */
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	ev = &rec->ev;
	ev->ts = h->ts;
	ev->cpu = cpu;
	ev->pid = h->have_pid ? (int32_t)h->pid : -1;
	ev->tgid = -1;
	ev->comm = NULL;
	if (h->have_pid)
		q->cur_pid = (int32_t)h->pid;

	if (pay_id == FE_GENERIC) {
		ret = decode_generic(r, pf, payload, ev, &gt);
		t = &gt;
	} else if (pay_id == FE_KPROBE) {
		/* KprobeEvent{name, type}: Perfetto records no arguments and no return value */
		struct pb_field g;
		const uint8_t *name = NULL;
		size_t len = 0;
		uint64_t type = 0;
		char full[300];

		while ((ret = pb_next(&payload, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_LEN) {
				name = g.sub.p;
				len = strnlen((const char *)g.sub.p, (size_t)(g.sub.end - g.sub.p));
			} else if (g.id == 2 && g.wt == PB_VARINT) {
				type = g.v;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, payload.p, "kprobe event", why);
		if (len > 255)
			len = 255;
		/* the tracefs events Perfetto creates: perfetto_kprobes/NAME, perfetto_kretprobes/NAME */
		snprintf(full, sizeof(full), "%s/%.*s", type == 2 ? "perfetto_kretprobes" :
			 "perfetto_kprobes", (int)len, name ? (const char *)name : "");
		ret = named_type(r, full, strlen(full), type == 2 ? PRS_EV_KRETPROBE : PRS_EV_KPROBE, &gt);
		if (ret < 0)
			return ret;
		t = &gt;
		prs_event_init(ev, t->kind);
		ev->u.fn.func = prs_intern(r, name ? (const char *)name : "", len);
		if (!ev->u.fn.func)
			return -PRS_ENOMEM;
	} else if (pay_id >= FE_GENERIC_MIN) {
		const struct pf_gdesc *d = descriptor(pf, pay_id);
		char nm_buf[40];

		if (!d) {
			/* no descriptor came with it: counted under its id */
			snprintf(nm_buf, sizeof(nm_buf), "perfetto_ftrace_event_%u", pay_id);
			if ((ret = named_type(r, nm_buf, strlen(nm_buf), PRS_EV_OTHER, &gt)) < 0)
				return ret;
			t = &gt;
			r->stats.bad_fields++;
			prs_event_init(ev, t->kind);
		} else {
			t = &d->t;
			prs_event_init(ev, t->kind);
			ret = decode_described(r, pf, d, payload, ev);
		}
	} else {
		t = typed(r, pf, pay_id);
		if (!t)
			return -PRS_ENOMEM;
		prs_event_init(ev, t->kind);
		if (pay_id == FE_TASK_NEWTASK || pay_id == FE_TASK_RENAME)
			ret = task_names(r, pf, pay_id, payload);
		else if (t->kind != PRS_EV_OTHER)
			ret = decode_typed(r, pf, pay_id, payload, ev, seq);
	}
	if (ret < 0)
		return ret;
	ev->name = t->name;
	prs_count_slot(r, t->slot);
	if (ev->kind == PRS_EV_PRINT && ev->u.print.len) {
		rec->blob = pf->blob;
		if (!pf->blob->refs++)
			pf->held_bytes += pf->blob->cap;
	}
	if (ev->kind == PRS_EV_SCHED_SWITCH) {
		if (ev->u.sw.prev_pid > 0 && ev->u.sw.prev_comm[0])
			pid_name(r, pf, ev->u.sw.prev_pid, ev->u.sw.prev_comm, strlen(ev->u.sw.prev_comm),
				 NAME_SWITCH);
		if (ev->u.sw.next_pid > 0 && ev->u.sw.next_comm[0])
			pid_name(r, pf, ev->u.sw.next_pid, ev->u.sw.next_comm, strlen(ev->u.sw.next_comm),
				 NAME_SWITCH);
		q->cur_pid = ev->u.sw.next_pid;
	}
	return 0;
}

/* ---- compact_sched --------------------------------------------------------- */

/* The next value of a packed array, or false at its end (damage: *bad). */
static bool packed_next(struct pb *a, uint64_t *v, bool *bad)
{
	if (a->p >= a->end)
		return false;
	if (pb_varint(a, v)) {
		*bad = true;
		return false;
	}
	return true;
}

/* Decode compact_sched into pf->csw (nsw) and pf->cwk (nwk); the intern table into pf->itab. */
static int compact_decode(struct prs_reader *r, struct pf *pf, struct pb m, size_t *nsw,
			  size_t *nwk, size_t *nitab)
{
	struct pb_field f;
	struct pb arr[13] = { { NULL, NULL } };
	const char *why;
	size_t n = 0, ni = 0;
	uint64_t ts = 0, v;
	bool bad = false;
	int ret;

	*nsw = *nwk = *nitab = 0;
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 5 && f.wt == PB_LEN) {
			if (ni == pf->itab_cap) {
				size_t cap = pf->itab_cap ? pf->itab_cap * 2 : 64;
				const char **t = realloc(pf->itab, cap * sizeof(*t));

				if (!t)
					return -PRS_ENOMEM;
				pf->itab = t;
				pf->itab_cap = cap;
			}
			pf->itab[ni] = prs_intern(r, (const char *)f.sub.p,
						  strnlen((const char *)f.sub.p, (size_t)(f.sub.end - f.sub.p)));
			if (!pf->itab[ni++])
				return -PRS_ENOMEM;
		} else if (f.id < 13 && f.wt == PB_LEN) {
			arr[f.id] = f.sub;
		} else if (f.id < 13 && f.wt == PB_VARINT) {
			return pf_damaged(r, pf, m.p, "compact_sched", "an array that is not packed");
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "compact_sched", why);
	*nitab = ni;
	/* switches: timestamp (delta), prev_state, next_pid, next_prio, next_comm_index */
	while (packed_next(&arr[1], &v, &bad)) {
		struct pf_csw *c;
		uint64_t st, pid, prio, ci;

		if (!packed_next(&arr[2], &st, &bad) || !packed_next(&arr[3], &pid, &bad) ||
		    !packed_next(&arr[4], &prio, &bad) || !packed_next(&arr[6], &ci, &bad))
			return pf_damaged(r, pf, m.p, "compact_sched", "sched_switch arrays of different "
					  "lengths");
		if (n == pf->csw_cap) {
			size_t cap = pf->csw_cap ? pf->csw_cap * 2 : 256;
			struct pf_csw *t = realloc(pf->csw, cap * sizeof(*t));

			if (!t)
				return -PRS_ENOMEM;
			pf->csw = t;
			pf->csw_cap = cap;
		}
		ts += v;
		c = &pf->csw[n++];
		c->ts = ts;
		c->prev_state = (int64_t)st;
		c->next_pid = (int32_t)pid;
		c->comm = (uint32_t)ci;
	}
	if (bad || arr[2].p != arr[2].end || arr[3].p != arr[3].end || arr[4].p != arr[4].end ||
	    arr[6].p != arr[6].end)
		return pf_damaged(r, pf, m.p, "compact_sched", bad ? "truncated varint in a packed array" :
				  "sched_switch arrays of different lengths");
	*nsw = n;
	n = 0;
	ts = 0;
	while (packed_next(&arr[7], &v, &bad)) {
		if (n == pf->cwk_cap) {
			size_t cap = pf->cwk_cap ? pf->cwk_cap * 2 : 256;
			uint64_t *t = realloc(pf->cwk, cap * sizeof(*t));

			if (!t)
				return -PRS_ENOMEM;
			pf->cwk = t;
			pf->cwk_cap = cap;
		}
		ts += v;
		pf->cwk[n++] = ts;
	}
	if (bad)
		return pf_damaged(r, pf, m.p, "compact_sched", "truncated varint in a packed array");
	*nwk = n;
	return 0;
}

static int push_compact_switch(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
			       const struct pf_csw *c, size_t nitab)
{
	const struct pf_type *t = typed(r, pf, FE_SCHED_SWITCH);
	struct pf_rec *rec;
	struct prs_event *ev;
	const struct pf_pid *prev;

	if (!t)
		return -PRS_ENOMEM;
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	ev = &rec->ev;
	prs_event_init(ev, PRS_EV_SCHED_SWITCH);
	ev->ts = c->ts;
	ev->cpu = cpu;
	ev->name = t->name;
	ev->tgid = -1;
	ev->comm = NULL;
	/* compact sched drops prev_pid/prev_comm: the CPU's task before the switch */
	ev->pid = q->cur_pid;
	ev->u.sw.prev_pid = q->cur_pid;
	prev = q->cur_pid >= 0 ? pid_slot(pf, q->cur_pid, false) : NULL;
	ev->u.sw.prev_comm = prev && prev->comm ? prev->comm : "";
	ev->u.sw.prev_state = state_letter(c->prev_state);
	ev->u.sw.next_pid = c->next_pid;
	if (c->comm < nitab) {
		ev->u.sw.next_comm = pf->itab[c->comm];
		if (c->next_pid > 0)
			pid_name(r, pf, c->next_pid, ev->u.sw.next_comm, strlen(ev->u.sw.next_comm),
				 NAME_SWITCH);
	} else {
		r->stats.bad_fields++;
	}
	q->cur_pid = c->next_pid;
	prs_count_slot(r, t->slot);
	return 0;
}

static int push_compact_waking(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
			       uint64_t ts)
{
	const struct pf_type *t = typed(r, pf, FE_SCHED_WAKING);
	struct pf_rec *rec;

	if (!t)
		return -PRS_ENOMEM;
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	prs_event_init(&rec->ev, PRS_EV_OTHER);
	rec->ev.ts = ts;
	rec->ev.cpu = cpu;
	rec->ev.pid = q->cur_pid;
	rec->ev.tgid = -1;
	rec->ev.comm = NULL;
	rec->ev.name = t->name;
	prs_count_slot(r, t->slot);
	return 0;
}

/* ---- FtraceEventBundle ---------------------------------------------------- */

static int lost_marker(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
		       uint64_t ts)
{
	struct pf_rec *rec;

	if (!pf->lost_name) {
		pf->lost_name = prs_intern_str(r, "lost_events");
		if (!pf->lost_name)
			return -PRS_ENOMEM;
	}
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	prs_event_init(&rec->ev, PRS_EV_LOST);
	rec->ev.ts = ts;
	rec->ev.cpu = cpu;
	rec->ev.pid = -1;
	rec->ev.tgid = -1;
	rec->ev.comm = NULL;
	rec->ev.name = pf->lost_name;
	rec->ev.u.lost.count = 0;	/* the bundle says only that events were lost */
	return 0;
}

static int bundle(struct prs_reader *r, struct pf *pf, struct pb m, uint32_t seq, bool dropped)
{
	struct pb_field f;
	struct pb b = m, compact = { NULL, NULL };
	const char *why;
	int64_t cpu = -1;
	bool lost = false;
	uint64_t clock = 0, last = 0, ts;
	size_t nsw = 0, nwk = 0, nitab = 0, isw = 0, iwk = 0;
	struct pf_cpuq *q;
	int ret;

	/* first the bundle's own fields: descriptors and compact_sched follow the events */
	while ((ret = pb_next(&b, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT)
			cpu = (int64_t)f.v;
		else if (f.id == 3 && f.wt == PB_VARINT)
			lost = f.v != 0;
		else if (f.id == 4 && f.wt == PB_LEN)
			compact = f.sub;
		else if (f.id == 5 && f.wt == PB_VARINT)
			clock = f.v;
		else if (f.id == 11 && f.wt == PB_LEN && (ret = add_descriptor(r, pf, f.sub)) < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, b.p, "ftrace event bundle", why);
	if (cpu < 0 || cpu >= PRS_MAX_CPUS)
		return pf_damaged(r, pf, m.p, "ftrace event bundle", cpu < 0 ? "no CPU" :
				  "CPU number beyond 8191");
	if (!r->clock) {
		static const char *const clocks[] = { "boot", "unknown", "global", "local", "mono_raw" };

		r->clock = strdup(clock < 5 ? clocks[clock] : "unknown");
	}
	q = pf_merge_q(&pf->m, (int32_t)cpu);
	if (!q)
		return -PRS_ENOMEM;
	if (compact.p && (ret = compact_decode(r, pf, compact, &nsw, &nwk, &nitab)) < 0)
		return ret;
	if (lost || dropped) {
		/* at the CPU's latest time: what was lost lies between it and this bundle */
		if ((ret = lost_marker(r, pf, q, (int32_t)cpu, q->horizon)) < 0)
			return ret;
	}
	b = m;
	while ((ret = pb_next(&b, &f, &why)) > 0) {
		struct pf_evhdr h;

		if (f.id != 2 || f.wt != PB_LEN)
			continue;
		if ((ret = event_header(r, pf, f.sub, &h)) < 0)
			return ret;
		/* compact events before this one go first: a bundle's lists are each in time order */
		while (isw < nsw && pf->csw[isw].ts <= h.ts)
			if ((ret = push_compact_switch(r, pf, q, (int32_t)cpu, &pf->csw[isw++], nitab)) < 0)
				return ret;
		while (iwk < nwk && pf->cwk[iwk] <= h.ts)
			if ((ret = push_compact_waking(r, pf, q, (int32_t)cpu, pf->cwk[iwk++])) < 0)
				return ret;
		if ((ret = decode_event(r, pf, q, (int32_t)cpu, &h, seq)) < 0)
			return ret;
		ts = h.pay_id ? h.ts : 0;
		if (ts > last)
			last = ts;
	}
	if (ret < 0)
		return pf_damaged(r, pf, b.p, "ftrace event bundle", why);
	while (isw < nsw || iwk < nwk) {
		if (iwk >= nwk || (isw < nsw && pf->csw[isw].ts <= pf->cwk[iwk]))
			ret = push_compact_switch(r, pf, q, (int32_t)cpu, &pf->csw[isw++], nitab);
		else
			ret = push_compact_waking(r, pf, q, (int32_t)cpu, pf->cwk[iwk++]);
		if (ret < 0)
			return ret;
	}
	if (nsw && pf->csw[nsw - 1].ts > last)
		last = pf->csw[nsw - 1].ts;
	if (nwk && pf->cwk[nwk - 1] > last)
		last = pf->cwk[nwk - 1];
	pf_merge_bundle_done(&pf->m, q, last);
	return 0;
}

/* ---- other packets ---------------------------------------------------------- */

static int process_tree(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;
		int32_t id = -1, tgid = -1;
		const uint8_t *name = NULL;
		size_t len = 0;
		bool first_cmd = true;

		if (f.wt != PB_LEN || (f.id != 1 && f.id != 2))
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_VARINT)
				id = (int32_t)g.v;
			else if (f.id == 2 && g.id == 3 && g.wt == PB_VARINT)
				tgid = (int32_t)g.v;
			else if (f.id == 2 && g.id == 2 && g.wt == PB_LEN)
				name = g.sub.p, len = (size_t)(g.sub.end - g.sub.p);
			else if (f.id == 1 && g.id == 3 && g.wt == PB_LEN && first_cmd) {
				/* a process's main thread: argv[0]'s last path part, at most 15 */
				const uint8_t *e = g.sub.end, *sl = g.sub.p;

				for (const uint8_t *c = g.sub.p; c < e && *c; c++)
					if (*c == '/')
						sl = c + 1;
				name = sl;
				len = strnlen((const char *)sl, (size_t)(e - sl));
				if (len > 15)
					len = 15;
				first_cmd = false;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "process tree", why);
		if (id <= 0)
			continue;
		if (f.id == 1)
			tgid = id;
		if (name && (f.id == 2 || !pid_slot(pf, id, false) ||
			     pid_slot(pf, id, false)->prio < NAME_TASK))
			pid_name(r, pf, id, (const char *)name, len, NAME_TASK);
		if (tgid > 0)
			pid_tgid(pf, id, tgid);
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "process tree", why);
	return 0;
}

/* FtraceStats: phase, cpu_stats{cpu, overrun(3), dropped_events(8)} */
static int ftrace_stats(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g;
	const char *why;
	uint64_t phase = 0, overrun = 0, dropped = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;

		if (f.id == 1 && f.wt == PB_VARINT)
			phase = f.v;
		if (f.id != 2 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 3 && g.wt == PB_VARINT)
				overrun += g.v;
			else if (g.id == 8 && g.wt == PB_VARINT)
				dropped += g.v;
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "ftrace stats", why);
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace stats", why);
	if (phase == 1 || phase == 2) {
		pf->overrun[phase - 1] = overrun;
		pf->dropped[phase - 1] = dropped;
		pf->stats_phase[phase - 1] = true;
	}
	/* the ring buffer's counts over the trace: end minus start (both are since boot) */
	if (pf->stats_phase[1]) {
		r->stats.cpustat_known = true;
		r->stats.overrun_reported = pf->overrun[1] - (pf->stats_phase[0] &&
			pf->overrun[0] <= pf->overrun[1] ? pf->overrun[0] : 0);
		r->stats.dropped_reported = pf->dropped[1] - (pf->stats_phase[0] &&
			pf->dropped[0] <= pf->dropped[1] ? pf->dropped[0] : 0);
	}
	return 0;
}

/*
 * SysStats.vmstat (VmstatValue{key, value}) at the packet's time: the kernel's
 * counters as the trace carries them.  The earliest and the latest snapshot
 * are kept as /proc/vmstat text for the analyzer's ground truth.
 */
static int sys_stats(struct prs_reader *r, struct pf *pf, struct pb m, uint64_t ts)
{
	struct pb_field f, g;
	const char *why;
	char *text = NULL;
	size_t len = 0, cap = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;
		uint64_t key = 0, val = 0;
		const char *name;
		char line[96];
		int n;

		if (f.id != 2 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_VARINT)
				key = g.v;
			else if (g.id == 2 && g.wt == PB_VARINT)
				val = g.v;
		}
		if (ret < 0)
			goto damaged;
		name = pf_vmstat_name(key);
		if (!name)
			continue;	/* a counter newer than our table */
		n = snprintf(line, sizeof(line), "%s %" PRIu64 "\n", name, val);
		if (len + (size_t)n + 1 > cap) {
			char *t;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 20) || !(t = realloc(text, cap))) {
				free(text);
				return cap > (1u << 20) ? pf_damaged(r, pf, m.p, "sys_stats", "more vmstat "
								     "values than a kernel has") : -PRS_ENOMEM;
			}
			text = t;
		}
		memcpy(text + len, line, (size_t)n + 1);
		len += (size_t)n;
	}
	if (ret < 0)
		goto damaged;
	if (!text)
		return 0;
	if (!pf->vm_have) {
		pf->vm_text[0] = text;
		pf->vm_len[0] = len;
		pf->vm_ts[0] = ts;
		pf->vm_text[1] = strdup(text);
		if (!pf->vm_text[1])
			return -PRS_ENOMEM;
		pf->vm_len[1] = len;
		pf->vm_ts[1] = ts;
		pf->vm_have = true;
		return 0;
	}
	/* packets of another sequence may come out of time order */
	if (ts < pf->vm_ts[0]) {
		free(pf->vm_text[0]);
		pf->vm_text[0] = text;
		pf->vm_len[0] = len;
		pf->vm_ts[0] = ts;
	} else if (ts >= pf->vm_ts[1]) {
		free(pf->vm_text[1]);
		pf->vm_text[1] = text;
		pf->vm_len[1] = len;
		pf->vm_ts[1] = ts;
	} else {
		free(text);
	}
	return 0;
damaged:
	free(text);
	return pf_damaged(r, pf, m.p, "sys_stats", why);
}

/* SystemInfo: utsname.release (the kernel), num_cpus */
static int system_info(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;

		/* num_cpus (Perfetto v45+): the machine's CPU count */
		if (f.id == 8 && f.wt == PB_VARINT && f.v && f.v <= PRS_MAX_CPUS) {
			r->stats.nr_cpus_known = true;
			if ((int)f.v > r->stats.nr_cpus)
				r->stats.nr_cpus = (int)f.v;
		}
		if (f.id != 1 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 3 && g.wt == PB_LEN && !r->kernel) {
				size_t len = strnlen((const char *)g.sub.p, (size_t)(g.sub.end - g.sub.p));

				if (len && len < 256 && !(r->kernel = strndup((const char *)g.sub.p, len)))
					return -PRS_ENOMEM;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "system info", why);
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "system info", why);
	return 0;
}

/* interned_data.kernel_symbols: InternedString{iid, str} */
static int interned(struct prs_reader *r, struct pf *pf, struct pb m, uint32_t seq)
{
	struct pb_field f, g;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;
		uint64_t iid = 0;
		const uint8_t *str = NULL;
		size_t len = 0;
		struct pf_ksym *k;

		if (f.id != 26 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_VARINT)
				iid = g.v;
			else if (g.id == 2 && g.wt == PB_LEN)
				str = g.sub.p, len = strnlen((const char *)g.sub.p,
							     (size_t)(g.sub.end - g.sub.p));
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "interned kernel symbol", why);
		if (!iid || !str)
			continue;
		k = ksym_slot(pf, seq, iid, true);
		if (k && !(k->name = prs_intern(r, (const char *)str, len)))
			return -PRS_ENOMEM;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "interned data", why);
	return 0;
}

static int packets(struct prs_reader *r, struct pf *pf, struct pb m, int depth);

/* compressed_packets / zstd_compressed_packets: a Trace's packets, decompressed whole */
static int compressed(struct prs_reader *r, struct pf *pf, struct pb m, bool zstd, int depth)
{
	struct pf_blob *outer = pf->blob, *b;
	uint64_t at = pf_where(pf, m.p);
	const char *why = "";
	size_t len = 0;
	int ret;

	if (depth > 0)
		return pf_damaged(r, pf, m.p, "compressed packets", "compressed packets inside "
				  "compressed packets");
	b = blob_get(pf, 65536);
	if (!b)
		return -PRS_ENOMEM;
	ret = zstd ? pf_unzstd_all(m.p, (size_t)(m.end - m.p), &b->data, &b->cap, PF_MAX_INFLATED,
				   &len, &why)
		   : pf_inflate_all(m.p, (size_t)(m.end - m.p), &b->data, &b->cap, PF_MAX_INFLATED,
				    &len, &why);
	if (ret < 0) {
		blob_put(pf, b);
		if (ret == -PRS_ENOMEM)
			return ret;
		return prs_fail(r, -ret, false, at, "%s%s", why, pf->where_note);
	}
	b->len = len;
	b->inflated = true;
	b->inflated_at = at;
	b->off = 0;
	pf->blob = b;
	ret = packets(r, pf, (struct pb){ b->data, b->data + len }, depth + 1);
	pf->blob = outer;
	if (!b->refs)
		blob_put(pf, b);
	return ret;
}

/* One TracePacket */
static int packet(struct prs_reader *r, struct pf *pf, struct pb m, int depth)
{
	struct pb_field f;
	struct pb p = m;
	const char *why;
	uint32_t seq = 0;
	uint64_t flags = 0, dropped = 0, ts = 0;
	int ret;

	pf->packets++;
	/* the packet's sequence and interned data apply to its payload, wherever they sit */
	while ((ret = pb_next(&p, &f, &why)) > 0) {
		if (f.id == TP_SEQ_ID && f.wt == PB_VARINT)
			seq = (uint32_t)f.v;
		else if (f.id == TP_SEQ_FLAGS && f.wt == PB_VARINT)
			flags = f.v;
		else if (f.id == TP_STATE_CLEARED && f.wt == PB_VARINT && f.v)
			flags |= SEQ_INCREMENTAL_STATE_CLEARED;
		else if (f.id == TP_DROPPED && f.wt == PB_VARINT)
			dropped = f.v;
		else if (f.id == TP_TIMESTAMP && f.wt == PB_VARINT)
			ts = f.v;
	}
	if (ret < 0)
		return pf_damaged(r, pf, p.p, "trace packet", why);
	if (flags & SEQ_INCREMENTAL_STATE_CLEARED)
		ksym_clear(pf, seq);
	p = m;
	while ((ret = pb_next(&p, &f, &why)) > 0) {
		if (f.wt != PB_LEN)
			continue;
		switch (f.id) {
		case TP_INTERNED:
			ret = interned(r, pf, f.sub, seq);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret < 0)
			return ret;
	}
	p = m;
	while ((ret = pb_next(&p, &f, &why)) > 0) {
		if (f.wt != PB_LEN)
			continue;
		switch (f.id) {
		case TP_FTRACE_EVENTS:
			ret = bundle(r, pf, f.sub, seq, dropped != 0);
			break;
		case TP_PROCESS_TREE:
			ret = process_tree(r, pf, f.sub);
			break;
		case TP_FTRACE_STATS:
			ret = ftrace_stats(r, pf, f.sub);
			break;
		case TP_SYSTEM_INFO:
			ret = system_info(r, pf, f.sub);
			break;
		case TP_SYS_STATS:
			ret = sys_stats(r, pf, f.sub, ts);
			break;
		case TP_COMPRESSED:
		case TP_ZSTD:
			ret = compressed(r, pf, f.sub, f.id == TP_ZSTD, depth);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The packets of a Trace message in memory (the contents of compressed packets) */
static int packets(struct prs_reader *r, struct pf *pf, struct pb m, int depth)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id != 1 || f.wt != PB_LEN)
			continue;	/* Trace has no other field: skipped like any unknown field */
		if ((ret = packet(r, pf, f.sub, depth)) < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "trace packet", why);
	return 0;
}

/* ---- reading the file packet by packet ------------------------------------- */

/* A varint from the stream: 1 read, 0 clean end before it, -1 end inside it, <0 error */
static int stream_varint(struct prs_reader *r, struct pf *pf, uint64_t *v)
{
	uint64_t x = 0;
	uint8_t b;

	for (unsigned int shift = 0; shift < 70; shift += 7) {
		ssize_t got = pf_in_read(r, pf->in, &b, 1);

		if (got < 0)
			return (int)got;
		if (!got)
			return shift ? -1 : 0;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return prs_fail(r, PRS_ECORRUPT, false, pf_in_offset(pf->in), "varint longer than 10 bytes");
}

static int cut_at(struct prs_reader *r, struct pf *pf, uint64_t at, const char *what)
{
	pf->eof = true;
	prs_fail(r, PRS_ECUT, false, at, "the file ends inside %s%s", what, pf->where_note);
	/* the error is handed out after the queued events */
	pf->end_ret = r->err;
	r->err = 0;
	return 0;
}

/* Read and decode the next top-level field; sets pf->eof at the end */
static int read_packet(struct prs_reader *r, struct pf *pf)
{
	uint64_t tag, len, at = pf_in_offset(pf->in);
	struct pf_blob *b;
	ssize_t got;
	int ret;

	ret = stream_varint(r, pf, &tag);
	if (ret < 0)
		return ret == -1 ? cut_at(r, pf, at, "a packet's tag") : ret;
	if (!ret) {
		pf->eof = true;
		if (pf_in_cut(pf->in))
			return cut_at(r, pf, at, "its compressed stream");
		return 0;
	}
	if ((tag >> 3) == 0 || (tag & 7) != PB_LEN) {
		/* Trace holds only length-delimited packets: anything else is damage */
		return prs_fail(r, PRS_ECORRUPT, false, at, "not a trace packet (field %llu, wire "
				"type %llu)%s", (unsigned long long)(tag >> 3), (unsigned long long)(tag & 7),
				pf->where_note);
	}
	ret = stream_varint(r, pf, &len);
	if (ret < 0)
		return ret == -1 ? cut_at(r, pf, at, "a packet's length") : ret;
	if (!ret)
		return cut_at(r, pf, at, "a packet's length");
	if (len > PF_MAX_PACKET)
		return prs_fail(r, PRS_ELIMIT, false, at, "packet of %llu bytes, beyond the %u MiB "
				"limit%s", (unsigned long long)len, PF_MAX_PACKET >> 20, pf->where_note);
	if ((tag >> 3) != 1) {
		ret = pf_in_skip(r, pf->in, len);
		return ret == 1 ? cut_at(r, pf, at, "an unknown field") : ret;
	}
	b = blob_get(pf, (size_t)len);
	if (!b)
		return -PRS_ENOMEM;
	b->off = pf_in_offset(pf->in);
	got = pf_in_read(r, pf->in, b->data, (size_t)len);
	if (got < 0 || (uint64_t)got < len) {
		blob_put(pf, b);
		if (got < 0)
			return (int)got;
		return cut_at(r, pf, at, "a packet");
	}
	b->len = (size_t)len;
	pf->blob = b;
	pf->pkt_off = at;
	ret = packet(r, pf, (struct pb){ b->data, b->data + len }, 0);
	pf->blob = NULL;
	if (!b->refs)
		blob_put(pf, b);
	return ret;
}

static int pf_next(struct prs_reader *r, struct prs_event *ev)
{
	struct pf *pf = r->priv;

	for (;;) {
		bool force = pf->held_bytes > (32u << 20);
		struct pf_rec *rec = pf_merge_peek(&pf->m, pf->eof || force);
		const struct pf_pid *p;
		int ret;

		if (!rec) {
			if (pf->eof) {
				if (pf->end_ret)
					r->err = pf->end_ret;	/* the cut, now that its events are out */
				return pf->end_ret;
			}
			ret = read_packet(r, pf);
			if (ret < 0)
				return ret;
			continue;
		}
		if (force && !pf->eof)
			pf->m.forced++;
		*ev = rec->ev;
		if (rec->blob) {
			/* a marker's text: NUL-terminated, without its trailing newline */
			size_t len = strnlen(ev->u.print.text, ev->u.print.len);

			while (len && ev->u.print.text[len - 1] == '\n')
				len--;
			if (len + 1 > pf->text_cap) {
				size_t cap = len + 1 > 4096 ? len + 1 : 4096;
				char *t = realloc(pf->text, cap);

				if (!t)
					return -PRS_ENOMEM;
				pf->text = t;
				pf->text_cap = cap;
			}
			memcpy(pf->text, ev->u.print.text, len);
			pf->text[len] = '\0';
			ev->u.print.text = pf->text;
			ev->u.print.len = len;
			if (!--rec->blob->refs) {
				pf->held_bytes -= rec->blob->cap;
				blob_put(pf, rec->blob);
			}
		}
		pf_merge_pop(&pf->m);
		p = ev->pid >= 0 ? pid_slot(pf, ev->pid, false) : NULL;
		ev->comm = p && p->comm ? p->comm : ev->pid == 0 ? "<idle>" : "";
		ev->comm_per_pid = p && p->comm;
		if (p && p->tgid > 0)
			ev->tgid = p->tgid;
		prs_account(r, ev);
		if (ev->kind == PRS_EV_OTHER && !(r->flags & PRS_OPT_OTHER))
			continue;
		return 1;
	}
}

static void pf_close(struct prs_reader *r)
{
	struct pf *pf = r->priv;

	if (!pf)
		return;
	for (int i = 0; i < pf->m.nr_q; i++) {
		struct pf_cpuq *q = &pf->m.q[i];

		for (uint32_t k = 0; k < q->n; k++) {
			struct pf_blob *b = q->rec[(q->head + k) % q->cap].blob;

			if (b && !--b->refs)
				blob_put(pf, b);
		}
	}
	while (pf->free_blobs) {
		struct pf_blob *b = pf->free_blobs;

		pf->free_blobs = b->next;
		free(b->data);
		free(b);
	}
	pf_merge_free(&pf->m);
	for (uint32_t k = 0; k < pf->nr_gdesc; k++)
		free(pf->gdesc[k].f);
	free(pf->gdesc);
	free(pf->pids);
	free(pf->ksyms);
	free(pf->csw);
	free(pf->cwk);
	free(pf->itab);
	free(pf->text);
	free(pf->vm_text[0]);
	free(pf->vm_text[1]);
	if (pf->in)
		pf_in_close(pf->in);
	free(pf);
	r->priv = NULL;
}

static const struct prs_ops pf_ops = {
	.next	= pf_next,
	.close	= pf_close,
};

bool prs_perfetto_detect(const uint8_t *head, size_t n)
{
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return true;	/* gzip: opened to see whether a trace is inside */
	if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
		return true;	/* zip: looked through for a trace */
	return pf_looks_like_trace(head, n);
}

int prs_perfetto_open(struct prs_reader *r, const uint8_t *head, size_t n)
{
	struct pf *pf = calloc(1, sizeof(*pf));
	int ret;

	if (!pf)
		return -PRS_ENOMEM;
	r->priv = pf;
	r->ops = &pf_ops;
	r->fmt = PRS_FMT_PERFETTO;
	r->comm_stable = true;
	ret = pf_in_open(r, head, n, &pf->in);
	if (ret < 0)
		return ret;
	r->compressed = r->container != NULL;
	if (r->container)
		snprintf(pf->where_note, sizeof(pf->where_note), " (offset in the trace read from %s)",
			 !strncmp(r->container, "zip", 3) ? "the zip entry" : "gzip");
	return 0;
}

const char *prs_vmstat(const struct prs_reader *r, bool after, uint64_t *ts, size_t *len)
{
	const struct pf *pf = r->fmt == PRS_FMT_PERFETTO ? r->priv : NULL;

	if (!pf || !pf->vm_have || pf->vm_ts[0] == pf->vm_ts[1])
		return NULL;
	if (ts)
		*ts = pf->vm_ts[after];
	*len = pf->vm_len[after];
	return pf->vm_text[after];
}
