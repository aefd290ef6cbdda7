// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-task state machine: one struct anl_task per pid, holding the stack
 * of its open allocations (reclaim allocates, so calls nest), fed one event
 * at a time.  State is per task, never per CPU: a task that slept in
 * reclaim may return on another CPU.
 *
 * Two estimators run side by side on the same stream:
 *  - EXACT: allocation records rebuilt from function events (function_graph
 *    entry/exit, or kprobe at the alloc entry + kretprobes);
 *  - EST:   the tracepoint-only estimate (events mode), a lower bound.
 * The model reports EXACT when the trace (or -m) provides function events,
 * EST otherwise.  Each keeps two scopes: the whole trace and the vmstat
 * window bracketed by markers.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

#define ANL_MAX_DEPTH	16	/* deeper stacks mean missed returns: evict the oldest */
#define ANL_MAX_CPUS	4096
#define ANL_MAX_NODES	64

enum { EXACT = 0, EST = 1 };
enum { ALL = 0, WIN = 1 };

/* Result of a get_page_from_freelist() return. */
enum { GPFL_UNKNOWN = -1, GPFL_NULL = 0, GPFL_PAGE = 1 };

/*
 * Where the allocation's page can have come from, by its last source:
 * a get_page_from_freelist() return (GPFL_*), or a direct compaction that
 * did not call get_page_from_freelist() (its page, if any, was captured).
 */
enum { SRC_COMPACT = 2 };

struct anl_frame {
	struct anl_alloc rec;
	const char	*func;		/* the entry function (interned) */
	int		fdepth;		/* function_graph depth of the entry, -1 unknown */
	int		alias;		/* frozen alloc open under its wrapper */
	int		first_gpfl;	/* GPFL_* of the first call */
	bool		did_something;	/* a gpfl or a stage ran under it */
	bool		slow_helper;	/* a slow-path helper ran directly under it */
	bool		saw_page_alloc;	/* mm_page_alloc with a page */
	bool		page_alloc_failed;	/* mm_page_alloc with page=(nil) */
	bool		retval_known, retval_null;
	bool		compact_tp_inside;	/* try_to_compact_pages inside the open function */
	bool		compact_gpfl;		/* get_page_from_freelist inside the open function */
	bool		compact_since_gpfl;	/* a direct compaction since the last gpfl return */
	int		last_src;		/* GPFL_* or SRC_COMPACT */
	int		stage_open[ANL_STAGE__COUNT];	/* function nesting per stage */
	uint64_t	stage_start[ANL_STAGE__COUNT];
	bool		tp_reclaim_open;	/* stage timed from tracepoints */
	uint64_t	tp_reclaim_start;
	bool		tp_compact_open;
	uint64_t	tp_compact_start, tp_compact_last;
	int32_t		start_cpu;
	bool		win;		/* entered inside the window: it and its stages count there */
	bool		graph;		/* function_graph (else kprobe) */
	bool		min_done;	/* the min-watermark attempt was seen */
	bool		reclaim_end_seen;	/* mm_vmscan_direct_reclaim_end inside the open reclaim function */
	int		after_reclaim_left;	/* gpfl calls still to come inside __alloc_pages_direct_reclaim() */
};

/* Tracepoint-only view of one task (events mode). */
struct anl_evstate {
	bool		pending;	/* slow-path evidence since its last allocation */
	bool		incomplete;
	uint64_t	start;
	uint32_t	stage_count[ANL_STAGE__COUNT];
	uint64_t	stage_ns[ANL_STAGE__COUNT];
	uint64_t	nr_reclaimed;
	bool		reclaim_open;
	uint64_t	reclaim_start;
	bool		compact_open;
	uint64_t	compact_start, compact_last;
	bool		win;		/* its first evidence came inside the window */
};

struct anl_task {
	int32_t		pid, tgid;
	int32_t		last_cpu;
	char		comm[32];
	bool		comm_settled;	/* comm came from a comm_per_pid event: it stays */
	bool		recorder_pid;	/* named by an "allocscope: recorder-pid" marker */
	bool		recorder_comm;	/* its comm is a recorder's (traces without those markers) */
	bool		recorder_seen;	/* counted in anl_recorder.tasks */
	struct anl_frame *stack;
	uint32_t	depth, cap;
	struct anl_evstate ev;
	bool		ct_open, ct_counted;	/* kernel-notion compaction stall */
	bool		ct_zone;		/* a zone of the open try left an event */
	bool		rc_open;		/* raw reclaim begin seen */
	bool		mc_open;		/* in memcg reclaim: memcg_(softlimit_)reclaim_begin seen */
	int32_t		rc_prio;		/* last lru_shrink priority in this reclaim, -1 none */
	uint32_t	rc_passes;		/* passes seen in this reclaim (entry + restarts) */
	struct anl_task_sum sum[2][2];		/* [estimator][scope] */
};

struct anl_cpu {
	bool		kswapd_running;
	bool		seen;
	uint64_t	since;
};

/* Timestamp order on one CPU (anomaly ts_backwards). */
struct anl_cpu_ts {
	uint64_t	last_ts;
	bool		seen;
};

struct anl_fn_cache {
	const char	*func;
	enum anl_role	role;
};

struct anl_ctx {
	struct anl_opts	opts;
	bool		finished;

	/* tasks: open addressing pid -> task */
	struct anl_task	**task_slots;
	size_t		task_cap, nr_tasks;

	struct anl_fn_cache *fn;	/* interned func pointer -> role */
	size_t		fn_cap, fn_used;

	struct anl_cpu	*cpus;
	int		nr_cpus;
	struct anl_cpu_ts *cpu_ts;	/* by CPU, below ANL_MAX_CPUS */
	int		nr_cpu_ts;
	struct anl_cpu_ts cpu_ts_other;	/* no CPU known, or beyond ANL_MAX_CPUS */
	bool		node_awake[ANL_MAX_NODES];
	uint64_t	node_since[ANL_MAX_NODES];

	/* what the stream showed */
	bool		seen_any;
	bool		seen_graph, seen_retval, seen_kprobe;
	/* the allocator's function events the trace carries, whatever the mode reads */
	bool		has_graph, has_retval, has_kprobe;
	bool		seen_page_alloc_tp, seen_try_compact_tp, seen_deferred_tp, seen_suitable_tp;
	bool		seen_compact_fn;	/* __alloc_pages_direct_compact entry/exit */
	bool		wake_fn_seen;		/* wake_all_kswapds() events read (in the mode analyzed) */
	bool		wake_fn_listed;		/* ... in the function filter ("allocscope: funcs") */
	bool		oom_fn_seen, oom_fn_listed;	/* __alloc_pages_may_oom()/out_of_memory(), likewise */
	bool		seen_lru_shrink_tp;
	bool		seen_lru_inactive_tp;	/* with nr_reclaimed */
	bool		bulk_probed;		/* the bulk allocator's kretprobe was recorded */
	bool		memcg_known;		/* memcg reclaim events recorded (seen, or the capture's
						 * option lines list them, or say the kernel lacks them) */
	bool		seen_kswapd_switch, seen_kswapd_wake, seen_switch;
	uint64_t	first_ts, last_ts;
	uint64_t	next_id[2];		/* per estimator: the rows of one run 1, 2, ... */

	/* window */
	int		win_state;	/* 0 none, 1 open, 2 closed */
	uint64_t	win_begin, win_end;
	const char	*win_source;
	int		snap_phase;	/* snapshot lines go to: 0 none, 1 before, 2 after */
	bool		snap_seen[2];	/* a snapshot's first line (vmstat-begin, or begin/end) */
	uint64_t	snap_ts[2];
	struct anl_totals raw_at_snap[2];	/* raw[ALL] at that first line */
	bool		read_seen[2];	/* "snapshot-PHASE": that snapshot is read after it */
	uint64_t	read_ts[2];
	struct anl_totals raw_at_read[2];	/* raw[ALL] at that line */
	bool		before_vm_seen;	/* begin/end: a vmstat line of the before-snapshot */
	struct anl_totals raw_at_before_vm;	/* raw[ALL] at its last one (read before it) */
	struct anl_vmstat vm[2];	/* before, after */
	bool		vm_from_files;
	bool		snap_inside;	/* snapshots read inside the window markers (allocscope: begin/end) */
	uint64_t	kswapd_ticks[2];
	bool		kswapd_ticks_known[2];
	uint64_t	clk_tck;
	char		*kernel;

	/* gfp classes: name table shared by all totals */
	/* interned gfp_str -> class: direct-mapped on the pointer, one probe per event */
#define ANL_CLASS_CACHE	256
	const char	*class_ptr[ANL_CLASS_CACHE];
	int		class_idx[ANL_CLASS_CACHE];

	struct anl_totals tot[2][2];	/* [estimator][scope] */
	struct anl_totals raw[2];	/* raw event counts per scope */
	struct anl_totals raw_at_begin, raw_at_end;	/* raw[ALL] at the markers */
	struct anl_anomalies an;

	/* the recorder's tasks (struct anl_recorder) */
	bool		seen_recorder_marker;
	bool		cur_recorder;	/* the event being fed is a recorder task's, left out */
	struct anl_recorder rec[2][2];	/* [estimator][scope] */
	uint64_t	rec_tasks;
	uint64_t	rec_reclaim_end[2];	/* [scope] */
	uint64_t	rec_lru_reclaimed[2];	/* [scope]: the recorder's LRU pages (lru_shrink_inactive) */
	char		rec_comm[32];		/* the first recorder task's comm */
	char		rec_rule[96];

	struct anl_model model;
	struct anl_task_sum *sums;
	char		gt_note[ANL_MAX_GT][1536];	/* the model's ground-truth notes */
};

static inline bool in_win(const struct anl_ctx *a)
{
	return a->win_state == 1 && !a->opts.no_window;
}

#define FOR_SCOPES(a, s) for (int s = 0; s < (in_win(a) ? 2 : 1); s++)

/* ---- tables ------------------------------------------------------------- */

static struct anl_task *task_get(struct anl_ctx *a, int32_t pid)
{
	size_t mask, i;
	struct anl_task *t;

	if (pid < 0)
		return NULL;
	if ((a->nr_tasks + 1) * 2 > a->task_cap) {
		size_t cap = a->task_cap ? a->task_cap * 2 : 256;
		struct anl_task **slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return NULL;
		for (size_t j = 0; j < a->task_cap; j++) {
			struct anl_task *o = a->task_slots[j];

			if (!o)
				continue;
			for (i = (uint32_t)o->pid * 2654435761u & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
				;
			slots[i] = o;
		}
		free(a->task_slots);
		a->task_slots = slots;
		a->task_cap = cap;
	}
	mask = a->task_cap - 1;
	for (i = (uint32_t)pid * 2654435761u & mask; a->task_slots[i]; i = (i + 1) & mask)
		if (a->task_slots[i]->pid == pid)
			return a->task_slots[i];
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->pid = pid;
	t->tgid = -1;
	t->last_cpu = -1;
	a->task_slots[i] = t;
	a->nr_tasks++;
	return t;
}

static enum anl_role fn_role(struct anl_ctx *a, const char *func)
{
	size_t i, mask;

	if (!func)
		return ROLE_NONE;
	if ((a->fn_used + 1) * 2 > a->fn_cap) {
		size_t cap = a->fn_cap ? a->fn_cap * 2 : 64;
		struct anl_fn_cache *n = calloc(cap, sizeof(*n));

		if (!n)
			return anl_role_of(func);	/* no cache, still correct */
		for (size_t j = 0; j < a->fn_cap; j++) {
			if (!a->fn[j].func)
				continue;
			for (i = ((uintptr_t)a->fn[j].func >> 3) & (cap - 1); n[i].func; i = (i + 1) & (cap - 1))
				;
			n[i] = a->fn[j];
		}
		free(a->fn);
		a->fn = n;
		a->fn_cap = cap;
	}
	mask = a->fn_cap - 1;
	for (i = ((uintptr_t)func >> 3) & mask; a->fn[i].func; i = (i + 1) & mask)
		if (a->fn[i].func == func)
			return a->fn[i].role;
	a->fn[i].func = func;
	a->fn[i].role = anl_role_of(func);
	a->fn_used++;
	return a->fn[i].role;
}

/* gfp class: the first GFP_* token of the symbolic flags ("GFP_KERNEL|__GFP_ZERO"). */
_Static_assert(ANL_CLASS_CACHE == 256, "gfp_class() takes the top 8 bits of a hash as the slot");

static int gfp_class(struct anl_ctx *a, const char *gfp_str)
{
	char name[40];
	const char *bar;
	size_t len;
	size_t slot;
	int i;

	if (!gfp_str)
		return -1;	/* unknown */
	/* interned strings are packed in an arena, not aligned: mix every bit */
	slot = (size_t)(((uint64_t)(uintptr_t)gfp_str * 0x9e3779b97f4a7c15ull) >> 56);
	if (a->class_ptr[slot] == gfp_str)
		return a->class_idx[slot];
	bar = strchr(gfp_str, '|');
	len = bar ? (size_t)(bar - gfp_str) : strlen(gfp_str);
	if (len >= sizeof(name) || strncmp(gfp_str, "GFP_", 4))
		snprintf(name, sizeof(name), "other");
	else
		snprintf(name, sizeof(name), "%.*s", (int)len, gfp_str);
	/* the class table is the same in every totals: keep it in tot[EXACT][ALL] */
	{
		struct anl_totals *t0 = &a->tot[EXACT][ALL];

		for (i = 0; i < t0->nr_gfp; i++)
			if (!strcmp(t0->by_gfp[i].name, name))
				break;
		if (i == t0->nr_gfp) {
			if (t0->nr_gfp >= ANL_GFP_CLASSES - 2) {
				i = ANL_GFP_CLASSES - 2;	/* "other" overflow slot */
				snprintf(t0->by_gfp[i].name, sizeof(t0->by_gfp[i].name), "other");
			} else {
				snprintf(t0->by_gfp[i].name, sizeof(t0->by_gfp[i].name), "%s", name);
				t0->nr_gfp++;
			}
		}
	}
	a->class_ptr[slot] = gfp_str;
	a->class_idx[slot] = i;
	return i;
}

/* ---- accumulation ------------------------------------------------------- */

static void stat_add(struct anl_stat *s, uint64_t ns, bool timed)
{
	s->count++;
	if (!timed)
		return;
	s->timed++;
	s->total_ns += ns;
	if (ns > s->max_ns)
		s->max_ns = ns;
	anl_hist_add(&s->hist, ns);
}

/*
 * One stage occurrence: in the whole trace, and in the window when the
 * allocation it belongs to began inside it (@win), so that the stage table
 * is the sum of the window's allocation records.
 */
static void stage_occ(struct anl_ctx *a, int est, enum anl_stage st, uint64_t ns, bool timed,
		      bool win)
{
	if (a->cur_recorder)
		return;
	stat_add(&a->tot[est][ALL].stage[st], ns, timed);
	if (win)
		stat_add(&a->tot[est][WIN].stage[st], ns, timed);
}

static int order_slot(int32_t order)
{
	return order >= 0 && order <= ANL_MAX_ORDER ? order : ANL_MAX_ORDER + 1;
}

/* "allocscope", "allocscope-reco" (TASK_COMM_LEN 16 cuts allocscope-record*), "trace-cmd" */
static bool recorder_comm(const char *comm)
{
	return !strcmp(comm, "allocscope") || !strcmp(comm, "allocscope-reco") ||
	       !strcmp(comm, "trace-cmd");
}

/* Markers name the recorder's tasks exactly; only traces without them fall back to the comm. */
static bool is_recorder(const struct anl_ctx *a, const struct anl_task *t)
{
	return a->seen_recorder_marker ? t->recorder_pid : t->recorder_comm;
}

/* The next row id, 1, 2, ... per estimator; none taken by the recorder's rows, which are not written. */
static uint64_t row_id(struct anl_ctx *a, const struct anl_task *t, int est)
{
	return !a->opts.include_recorder && is_recorder(a, t) ? 0 : ++a->next_id[est];
}

static void recorder_seen(struct anl_ctx *a, struct anl_task *t)
{
	if (!t->recorder_seen) {
		t->recorder_seen = true;
		if (!a->rec_tasks++)
			snprintf(a->rec_comm, sizeof(a->rec_comm), "%s", t->comm);
	}
}

#define BIT(st)	(1u << (st))

/*
 * Which stages a record's mode sees (stage_seen) and times (stage_timed):
 * function_graph times every traced function; kretprobes give returns
 * only, so get_page_from_freelist() is counted, not timed; tracepoints
 * alone see no get_page_from_freelist() and no wake_all_kswapds() call.
 */
static void stage_masks(const struct anl_ctx *a, struct anl_alloc *r, enum anl_mode mode)
{
	uint32_t gpfl = BIT(ANL_STAGE_MIN_WATERMARK) | BIT(ANL_STAGE_RETRY_LOOP) |
			BIT(ANL_STAGE_AFTER_RECLAIM);
	uint32_t tp = BIT(ANL_STAGE_KSWAPD_WOKEN) | BIT(ANL_STAGE_COMPACTION) |
		      BIT(ANL_STAGE_DIRECT_RECLAIM) | BIT(ANL_STAGE_OOM) | BIT(ANL_STAGE_OTHER);
	uint32_t timed = BIT(ANL_STAGE_COMPACTION) | BIT(ANL_STAGE_DIRECT_RECLAIM);
	bool wake;

	if (r->latency_ns != PRS_NO_VALUE)
		timed |= BIT(ANL_STAGE_OTHER);
	if (mode == ANL_MODE_EVENTS) {
		r->stage_seen = tp;
		r->stage_timed = timed;
		return;
	}
	/* the filter lists what function_graph traced; probes are other events */
	wake = a->wake_fn_seen || (mode == ANL_MODE_GRAPH && a->wake_fn_listed);
	r->stage_seen = tp | gpfl | (wake ? BIT(ANL_STAGE_WAKE_ALL_KSWAPDS) : 0);
	if (mode == ANL_MODE_GRAPH)
		timed |= gpfl | (wake ? BIT(ANL_STAGE_WAKE_ALL_KSWAPDS) : 0) |
			 (a->oom_fn_seen || a->oom_fn_listed ? BIT(ANL_STAGE_OOM) : 0);
	r->stage_timed = timed;
}

/*
 * An allocation counts in the window when it began inside it (@win: entry,
 * or first slow-path evidence in events mode), wherever it ended: decided at
 * its start, so that its stages, counted as they end, go with it.
 */
static void account_record(struct anl_ctx *a, int est, struct anl_task *t,
			   struct anl_alloc *rec, bool win)
{
	bool slow = rec->outcome != ANL_FAST;
	bool timed = !(rec->flags & (ANL_REC_INCOMPLETE | ANL_REC_OPEN_AT_END | ANL_REC_UNMATCHED));
	bool has_latency = timed && rec->end_ts >= rec->start_ts && rec->latency_ns != PRS_NO_VALUE;
	int cls = gfp_class(a, rec->gfp_str);
	uint64_t stall = slow && has_latency ? rec->latency_ns : 0;

	if (cls < 0)
		cls = ANL_GFP_CLASSES - 1;	/* "unknown" */
	if (est == EST)
		stage_masks(a, rec, ANL_MODE_EVENTS);
	if (win || a->opts.no_window)
		rec->flags |= ANL_REC_IN_WINDOW;
	if (is_recorder(a, t)) {
		recorder_seen(a, t);
		for (int s = 0; s < (win ? 2 : 1); s++) {
			a->rec[est][s].allocations++;
			a->rec[est][s].slow += slow;
			a->rec[est][s].failed += rec->outcome == ANL_FAILED;
		}
		if (!a->opts.include_recorder)
			return;
	}
	for (int s = 0; s < (win ? 2 : 1); s++) {
		struct anl_totals *tt = &a->tot[est][s];
		struct anl_order *o = &tt->by_order[order_slot(rec->order)];
		struct anl_class *c = &tt->by_gfp[cls];
		struct anl_task_sum *ts = &t->sum[est][s];

		tt->allocations++;
		o->allocations++;
		c->allocations++;
		ts->allocations++;
		if (rec->parent_id)
			tt->nested++;
		if (!timed)
			tt->incomplete++;
		if (rec->stage_count[ANL_STAGE_DIRECT_RECLAIM] >= 2)
			tt->reclaim_loops++;
		tt->nr_reclaimed += rec->nr_reclaimed;
		if (slow) {
			tt->slow++;
			o->slow++;
			c->slow++;
			ts->slow++;
			o->stall_ns += stall;
			c->stall_ns += stall;
			ts->stall_ns += stall;
		}
		if (rec->outcome == ANL_FAILED) {
			tt->failed++;
			o->failed++;
			c->failed++;
			ts->failed++;
		}
		if (slow) {
			rec->stage_count[ANL_STAGE_OTHER] = 1;	/* one per slow allocation, timed or not */
			stat_add(&tt->stage[ANL_STAGE_SLOW_PATH], rec->latency_ns, has_latency);
			stat_add(&tt->stage[ANL_STAGE_OTHER], rec->stage_ns[ANL_STAGE_OTHER],
				 has_latency);
		} else {
			stat_add(&tt->stage[ANL_STAGE_FAST_PATH], rec->latency_ns, has_latency);
		}
	}
	if (a->opts.record && (est == EXACT ? true :
			       a->opts.mode == ANL_MODE_EVENTS ||
			       (a->opts.mode == ANL_MODE_AUTO && !a->seen_graph && !a->seen_kprobe)))
		a->opts.record(rec, a->opts.record_data);
}

/* Raw event counts, in the scopes open now. */
#define RAW_INC(a, field, n) do {				\
	FOR_SCOPES(a, s_) (a)->raw[s_].field += (n);		\
} while (0)

/* ---- exact estimator: allocation frames --------------------------------- */


static void frame_finish(struct anl_ctx *a, struct anl_task *t, struct anl_frame *f,
			 uint64_t end_ts, uint64_t duration, int32_t cpu)
{
	struct anl_alloc *r = &f->rec;
	uint64_t in_stages = 0;
	bool slow;

	r->end_ts = end_ts;
	if (duration != PRS_NO_VALUE)
		r->latency_ns = duration;
	else if (end_ts >= r->start_ts && !(r->flags & ANL_REC_OPEN_AT_END))
		r->latency_ns = end_ts - r->start_ts;
	else
		r->latency_ns = PRS_NO_VALUE;
	slow = f->first_gpfl == GPFL_NULL || r->gpfl_calls >= 2 || f->slow_helper;
	if (f->retval_known && f->retval_null)
		r->outcome = ANL_FAILED;
	else if (!f->retval_known && f->page_alloc_failed)
		r->outcome = ANL_FAILED;
	else if (slow && !f->retval_known && a->seen_page_alloc_tp && !f->saw_page_alloc &&
		 !(r->flags & (ANL_REC_OPEN_AT_END | ANL_REC_INCOMPLETE | ANL_REC_UNMATCHED)))
		/* function_graph without retval: mm_page_alloc fires only on success */
		r->outcome = ANL_FAILED;
	else
		r->outcome = slow ? ANL_SLOW : ANL_FAST;
	if (r->outcome == ANL_FAILED)
		slow = true;
	if (slow && r->latency_ns != PRS_NO_VALUE) {
		for (int s = ANL_STAGE_FIRST; s <= ANL_STAGE_LAST; s++)
			in_stages += r->stage_ns[s];
		r->stage_ns[ANL_STAGE_OTHER] = r->latency_ns > in_stages ? r->latency_ns - in_stages : 0;
		r->stage_count[ANL_STAGE_OTHER] = 1;
	}
	if (cpu >= 0 && f->start_cpu >= 0 && cpu != f->start_cpu)
		a->an.migrations++;
	stage_masks(a, r, f->graph ? ANL_MODE_GRAPH : ANL_MODE_RETPROBE);
	r->comm = t->comm;
	account_record(a, EXACT, t, r, f->win);
}

static void frame_pop(struct anl_ctx *a, struct anl_task *t, unsigned int flags,
		      uint64_t end_ts, uint64_t duration, int32_t cpu)
{
	struct anl_frame *f = &t->stack[t->depth - 1];

	f->rec.flags |= flags;
	if (flags & ANL_REC_UNMATCHED)
		a->an.unmatched_entry++;
	frame_finish(a, t, f, end_ts, duration, cpu);
	t->depth--;
}

static struct anl_frame *top(struct anl_task *t)
{
	return t && t->depth ? &t->stack[t->depth - 1] : NULL;
}

static bool any_stage_open(const struct anl_frame *f)
{
	for (int s = 0; s < ANL_STAGE__COUNT; s++)
		if (f->stage_open[s])
			return true;
	return f->tp_reclaim_open || f->tp_compact_open;
}

static bool reports_est(const struct anl_ctx *a);
static void span_emit(struct anl_ctx *a, enum anl_span_kind kind, uint64_t start,
		      uint64_t end, int32_t pid, int32_t cpu, bool win, bool timed);

static void tp_compact_close(struct anl_ctx *a, struct anl_frame *f)
{
	uint64_t ns;

	if (!f->tp_compact_open)
		return;
	f->tp_compact_open = false;
	ns = f->tp_compact_last - f->tp_compact_start;
	if (!reports_est(a))
		span_emit(a, ANL_SPAN_COMPACTION, f->tp_compact_start, f->tp_compact_last, f->rec.pid,
			  -1, f->win, !(f->rec.flags & ANL_REC_INCOMPLETE));
	f->rec.stage_count[ANL_STAGE_COMPACTION]++;
	f->rec.stage_ns[ANL_STAGE_COMPACTION] += ns;
	stage_occ(a, EXACT, ANL_STAGE_COMPACTION, ns, !(f->rec.flags & ANL_REC_INCOMPLETE), f->win);
}

static int alloc_enter(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
		       uint64_t gfp, int32_t order)
{
	struct anl_frame *f = top(t);
	int depth = ev->kind == PRS_EV_FUNC_ENTRY ? ev->u.fn.depth : -1;

	/* function_graph: frames at this depth or deeper lost their return */
	while (f && depth >= 0 && f->fdepth >= depth) {
		frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
		f = top(t);
	}
	/*
	 * The thin wrapper and the function doing the work (6.15+:
	 * alloc_pages -> __alloc_frozen_pages_noprof) are one allocation: a
	 * different alloc entry directly under one that did nothing yet.
	 * A real nested allocation only comes from inside a stage or after
	 * the fast path ran.
	 */
	if (f && !f->did_something && f->func != ev->u.fn.func && !any_stage_open(f)) {
		f->alias++;
		a->an.wrapper_merged++;
		if (f->rec.order < 0 && order >= 0)
			f->rec.order = order;
		if (f->rec.gfp == PRS_NO_VALUE)
			f->rec.gfp = gfp;
		return 0;
	}
	if (t->depth == ANL_MAX_DEPTH) {
		/* evict the oldest: its return was missed (kretprobe maxactive) */
		struct anl_frame old = t->stack[0];

		memmove(&t->stack[0], &t->stack[1], (t->depth - 1) * sizeof(*t->stack));
		t->stack[t->depth - 1] = old;
		frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
		t->stack[0].rec.parent_id = 0;
		f = top(t);
	}
	if (t->depth == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 4;
		struct anl_frame *n = realloc(t->stack, cap * sizeof(*n));

		if (!n)
			return -ANL_ENOMEM;
		t->stack = n;
		t->cap = cap;
	}
	f = &t->stack[t->depth];
	memset(f, 0, sizeof(*f));
	f->rec.id = row_id(a, t, EXACT);
	f->rec.parent_id = t->depth ? t->stack[t->depth - 1].rec.id : 0;
	f->rec.depth = t->depth;
	f->rec.start_ts = ev->ts;
	f->rec.pid = t->pid;
	f->rec.tgid = t->tgid;
	f->rec.order = order;
	f->rec.gfp = gfp;
	f->func = ev->u.fn.func;
	f->fdepth = depth;
	f->first_gpfl = GPFL_UNKNOWN;
	f->last_src = GPFL_UNKNOWN;
	f->start_cpu = ev->cpu;
	f->win = in_win(a);
	f->graph = ev->kind == PRS_EV_FUNC_ENTRY;
	t->depth++;
	return 0;
}

static void alloc_exit(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	struct anl_frame *f = top(t);
	int depth = ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.depth : -1;

	if (!f) {
		a->an.exit_without_entry++;	/* the trace began inside it */
		return;
	}
	while (f && depth >= 0 && f->fdepth > depth) {
		frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
		f = top(t);
	}
	if (!f || (depth >= 0 && f->fdepth >= 0 && f->fdepth < depth)) {
		a->an.exit_without_entry++;
		return;
	}
	if (f->alias && ev->u.fn.func != f->func) {
		f->alias--;
		return;
	}
	if (ev->u.fn.retval != PRS_NO_VALUE) {
		f->retval_known = true;
		f->retval_null = ev->u.fn.retval == 0;
	}
	tp_compact_close(a, f);
	frame_pop(a, t, 0, ev->ts, ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.duration : PRS_NO_VALUE,
		  ev->cpu);
}

static void gpfl_return(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			int result)
{
	struct anl_frame *f = top(t);
	uint64_t dur = ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.duration : PRS_NO_VALUE;
	enum anl_stage st;
	bool in_tp_compact;

	if (!f) {
		a->an.orphan_calls++;
		return;
	}
	if (f->stage_open[ANL_STAGE_DIRECT_RECLAIM] || f->tp_reclaim_open) {
		/* not from the allocator itself: e.g. __alloc_pages_bulk inside reclaim */
		a->an.bulk_gpfl++;
		return;
	}
	in_tp_compact = f->tp_compact_open;
	tp_compact_close(a, f);
	f->did_something = true;
	f->last_src = result;
	f->compact_since_gpfl = false;
	if (f->stage_open[ANL_STAGE_COMPACTION])
		f->compact_gpfl = true;
	f->rec.gpfl_calls++;
	if (result == GPFL_NULL)
		f->rec.gpfl_failed++;
	if (f->rec.gpfl_calls == 1) {
		f->first_gpfl = result;
		return;
	}
	/*
	 * A second call under the same entry: only the slow path makes one
	 * (__alloc_pages_slowpath(), 6.1 and 6.12).  Inside direct compaction
	 * (its function, or after try_to_compact_pages when only tracepoints
	 * show it) or __alloc_pages_may_oom() it is part of that stage.  Else,
	 * in kernel order: the attempt at the min watermark right after the
	 * first wake_all_kswapds(); the attempts inside
	 * __alloc_pages_direct_reclaim() after a reclaim that made progress
	 * (one, and a second after drain_all_pages() if it failed; a success
	 * returns, so two at most); the one of each pass through "retry:".
	 */
	if (f->stage_open[ANL_STAGE_COMPACTION] || f->stage_open[ANL_STAGE_OOM] || in_tp_compact)
		return;
	if (f->after_reclaim_left > 0) {
		f->after_reclaim_left--;
		st = ANL_STAGE_AFTER_RECLAIM;
	} else if (!f->min_done) {
		f->min_done = true;
		st = ANL_STAGE_MIN_WATERMARK;
	} else {
		st = ANL_STAGE_RETRY_LOOP;
	}
	f->rec.stage_count[st]++;
	if (dur != PRS_NO_VALUE)
		f->rec.stage_ns[st] += dur;
	stage_occ(a, EXACT, st, dur == PRS_NO_VALUE ? 0 : dur,
		  dur != PRS_NO_VALUE && !(f->rec.flags & ANL_REC_INCOMPLETE), f->win);
}

static enum anl_stage role_stage(enum anl_role role)
{
	switch (role) {
	case ROLE_WAKE:		return ANL_STAGE_WAKE_ALL_KSWAPDS;
	case ROLE_COMPACT:	return ANL_STAGE_COMPACTION;
	case ROLE_RECLAIM:	return ANL_STAGE_DIRECT_RECLAIM;
	case ROLE_OOM:		return ANL_STAGE_OOM;
	default:		return ANL_STAGE__COUNT;
	}
}

static void stage_enter(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			enum anl_role role)
{
	struct anl_frame *f = top(t);
	enum anl_stage st = role_stage(role);

	if (!f) {
		a->an.orphan_calls++;
		return;
	}
	f->did_something = true;
	f->slow_helper = true;
	if (st == ANL_STAGE__COUNT)
		return;		/* __alloc_pages_slowpath: slow, no stage of its own */
	f->after_reclaim_left = 0;	/* the slow path moved on */
	if (st == ANL_STAGE_DIRECT_RECLAIM && !f->stage_open[st])
		f->reclaim_end_seen = false;
	tp_compact_close(a, f);
	if (f->stage_open[st]++ == 0) {
		f->stage_start[st] = ev->ts;
		if (st == ANL_STAGE_COMPACTION) {
			f->compact_tp_inside = false;
			f->compact_gpfl = false;
			f->compact_since_gpfl = true;
		}
	}
}

static void stage_exit(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
		       enum anl_role role)
{
	struct anl_frame *f = top(t);
	enum anl_stage st = role_stage(role);
	uint64_t dur = ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.duration : PRS_NO_VALUE;
	bool leaf, count = true;

	if (!f) {
		a->an.orphan_calls++;
		return;
	}
	f->did_something = true;
	f->slow_helper = true;
	if (st == ANL_STAGE__COUNT)
		return;
	leaf = f->stage_open[st] == 0;	/* a leaf line: no entry of its own */
	if (!leaf && --f->stage_open[st] > 0)
		return;		/* an inner function of the same stage */
	/*
	 * try_to_free_pages() returns 1 without its tracepoints when
	 * throttle_direct_reclaim() took the task (6.1, 6.12): progress, so
	 * __alloc_pages_direct_reclaim() tries get_page_from_freelist()
	 */
	if (st == ANL_STAGE_DIRECT_RECLAIM && !leaf && !f->reclaim_end_seen)
		f->after_reclaim_left = 2;
	if (dur == PRS_NO_VALUE)
		dur = !leaf && ev->ts >= f->stage_start[st] ? ev->ts - f->stage_start[st] : PRS_NO_VALUE;
	if (st == ANL_STAGE_COMPACTION) {
		/*
		 * __alloc_pages_direct_compact() returns at once for order 0,
		 * and is called after every reclaim (6.x): only a call in which
		 * try_to_compact_pages fired is a compaction, when that
		 * tracepoint is recorded at all.  Without it, only a call
		 * whose order is known to be > 0 (kprobe args) counts: in
		 * function_graph the order is known only at mm_page_alloc.
		 */
		count = f->compact_tp_inside || (!a->seen_try_compact_tp && f->rec.order > 0);
		f->compact_tp_inside = false;
		if (ev->kind == PRS_EV_FUNC_EXIT)
			a->seen_compact_fn = true;
		/*
		 * It counts COMPACTSTALL unless try_to_compact_pages() returned
		 * COMPACT_SKIPPED, which returns before get_page_from_freelist():
		 * a gpfl inside is a stall (a captured page is the other kind).
		 */
		if (!leaf && f->compact_gpfl)
			RAW_INC(a, compact_stall_fn, 1);
		/*
		 * __alloc_pages_direct_compact() (6.1, 6.12) returns the page
		 * compaction captured without calling get_page_from_freelist():
		 * if the allocation succeeds with no later gpfl, that is its page.
		 */
		if (leaf || !f->compact_gpfl) {
			f->last_src = SRC_COMPACT;
			f->compact_since_gpfl = true;
		}
	}
	if (!count)
		return;
	if ((st == ANL_STAGE_DIRECT_RECLAIM || st == ANL_STAGE_COMPACTION) && !leaf &&
	    dur != PRS_NO_VALUE && !reports_est(a))
		span_emit(a, st == ANL_STAGE_COMPACTION ? ANL_SPAN_COMPACTION : ANL_SPAN_DIRECT_RECLAIM,
			  f->stage_start[st], f->stage_start[st] + dur, t->pid, -1, f->win,
			  !(f->rec.flags & ANL_REC_INCOMPLETE));
	f->rec.stage_count[st]++;
	if (dur != PRS_NO_VALUE)
		f->rec.stage_ns[st] += dur;
	stage_occ(a, EXACT, st, dur == PRS_NO_VALUE ? 0 : dur,
		  dur != PRS_NO_VALUE && !(f->rec.flags & ANL_REC_INCOMPLETE), f->win);
}

static bool mode_takes_graph(const struct anl_ctx *a)
{
	return a->opts.mode == ANL_MODE_AUTO || a->opts.mode == ANL_MODE_GRAPH ||
	       a->opts.mode == ANL_MODE_GRAPH_RETVAL;
}

static bool mode_takes_kprobe(const struct anl_ctx *a)
{
	return a->opts.mode == ANL_MODE_AUTO || a->opts.mode == ANL_MODE_RETPROBE;
}

static int fn_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	enum anl_role role = fn_role(a, ev->u.fn.func);
	bool graph = ev->kind == PRS_EV_FUNC_ENTRY || ev->kind == PRS_EV_FUNC_EXIT;
	bool entry = ev->kind == PRS_EV_FUNC_ENTRY || ev->kind == PRS_EV_KPROBE;

	if (role == ROLE_BULK) {
		/* its pages count in pgalloc and emit no mm_page_alloc */
		if (!entry && ev->u.fn.retval != PRS_NO_VALUE && ev->u.fn.retval < (1u << 20)) {
			RAW_INC(a, bulk_calls, 1);
			RAW_INC(a, bulk_pages, ev->u.fn.retval);
			a->bulk_probed = true;
		}
		return 0;
	}
	if (role == ROLE_NONE)
		return 0;
	if (graph) {
		a->has_graph = true;
		if (role == ROLE_GPFL && !entry && ev->u.fn.retval != PRS_NO_VALUE)
			a->has_retval = true;
	} else {
		a->has_kprobe = true;
	}
	if (graph ? !mode_takes_graph(a) : !mode_takes_kprobe(a))
		return 0;
	/*
	 * Auto mode on a capture with both function_graph and kprobe events
	 * (record -m cross, or any tool's): the first kind seen is read, the
	 * other counted (-m graph or -m retprobe chooses).
	 */
	if (a->opts.mode == ANL_MODE_AUTO && (graph ? a->seen_kprobe : a->seen_graph)) {
		a->an.other_mode++;
		return 0;
	}
	if (graph)
		a->seen_graph = true;
	else
		a->seen_kprobe = true;
	if (role == ROLE_WAKE)
		a->wake_fn_seen = true;
	if (role == ROLE_OOM)
		a->oom_fn_seen = true;

	switch (role) {
	case ROLE_ALLOC:
		if (!entry) {
			alloc_exit(a, t, ev);
			return 0;
		}
		if (ev->kind == PRS_EV_KPROBE) {
			/* our recorder and the samples fetch gfp_mask=$arg1 order=$arg2 */
			uint64_t gfp = ev->u.fn.arg[0], order = ev->u.fn.arg[1];

			/* beyond MAX_PAGE_ORDER: counted, kept in the "other" row; beyond any kernel's: unknown */
			if (order != PRS_NO_VALUE && order > ANL_MAX_ORDER)
				a->an.order_out_of_range++;
			if (order != PRS_NO_VALUE && order > 64)
				order = PRS_NO_VALUE;
			return alloc_enter(a, t, ev, gfp,
					   order == PRS_NO_VALUE ? -1 : (int32_t)order);
		}
		return alloc_enter(a, t, ev, PRS_NO_VALUE, -1);
	case ROLE_GPFL:
		if (entry)
			return 0;	/* judged at its return */
		if (ev->kind == PRS_EV_KRETPROBE && ev->u.fn.caller &&
		    fn_role(a, ev->u.fn.caller) == ROLE_BULK) {
			a->an.bulk_gpfl++;
			return 0;
		}
		if (ev->u.fn.retval != PRS_NO_VALUE && graph)
			a->seen_retval = true;
		gpfl_return(a, t, ev, ev->u.fn.retval == PRS_NO_VALUE ? GPFL_UNKNOWN :
				ev->u.fn.retval == 0 ? GPFL_NULL : GPFL_PAGE);
		return 0;
	default:
		if (entry)
			stage_enter(a, t, ev, role);
		else
			stage_exit(a, t, ev, role);
		return 0;
	}
}

/* ---- tracepoint-only estimator (events mode) ---------------------------- */

/* The tracepoint-only estimate is what the model will report (as for records). */
static bool reports_est(const struct anl_ctx *a)
{
	return a->opts.mode == ANL_MODE_EVENTS ||
	       (a->opts.mode == ANL_MODE_AUTO && !a->seen_graph && !a->seen_kprobe);
}

/*
 * @win: a stage interval whose allocation counts in the window (reclaim,
 * compaction); kswapd intervals (@win false) count their part inside it.
 * @timed: its length is in the stage's total (not open across lost events).
 */
static void span_emit(struct anl_ctx *a, enum anl_span_kind kind, uint64_t start,
		      uint64_t end, int32_t pid, int32_t cpu, bool win, bool timed)
{
	struct anl_span sp = { kind, start, end, pid, cpu, 0, false, timed };

	/* the recorder's own reclaims are not in the stage table: not in the bands either */
	if (!a->opts.span || end < start || a->cur_recorder)
		return;
	if (kind == ANL_SPAN_KSWAPD_RUN || kind == ANL_SPAN_KSWAPD_AWAKE) {
		uint64_t b = a->win_begin, e = a->win_state == 2 ? a->win_end : UINT64_MAX;

		if (a->win_state && !a->opts.no_window && end > b && start < e) {
			sp.win_ns = (end < e ? end : e) - (start > b ? start : b);
			sp.in_win = true;
		}
	} else if (win || a->opts.no_window) {
		sp.win_ns = end - start;
		sp.in_win = true;
	}
	a->opts.span(&sp, a->opts.span_data);
}

static void ev_compact_close(struct anl_ctx *a, struct anl_task *t)
{
	struct anl_evstate *e = &t->ev;
	uint64_t ns;

	if (!e->compact_open)
		return;
	e->compact_open = false;
	ns = e->compact_last - e->compact_start;
	if (reports_est(a))
		span_emit(a, ANL_SPAN_COMPACTION, e->compact_start, e->compact_last, t->pid, -1,
			  e->win, !e->incomplete);
	e->stage_count[ANL_STAGE_COMPACTION]++;
	e->stage_ns[ANL_STAGE_COMPACTION] += ns;
	stage_occ(a, EST, ANL_STAGE_COMPACTION, ns, !e->incomplete, e->win);
}

static void ev_evidence(struct anl_ctx *a, struct anl_task *t, uint64_t ts)
{
	if (!t->ev.pending) {
		memset(&t->ev, 0, sizeof(t->ev));
		t->ev.pending = true;
		t->ev.start = ts;
		t->ev.win = in_win(a);
	}
}

static void ev_page_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			  bool failed)
{
	struct anl_evstate *e = &t->ev;
	struct anl_alloc rec;

	memset(&rec, 0, sizeof(rec));
	rec.id = row_id(a, t, EST);
	rec.pid = t->pid;
	rec.tgid = t->tgid;
	rec.comm = t->comm;
	rec.order = ev->u.mm.order;
	rec.gfp = ev->u.mm.gfp;
	rec.gfp_str = ev->u.mm.gfp_str;
	rec.start_ts = rec.end_ts = ev->ts;
	rec.latency_ns = PRS_NO_VALUE;
	rec.flags = ANL_REC_ESTIMATED;
	rec.outcome = ANL_FAST;
	if (e->reclaim_open) {
		/* allocated from inside direct reclaim: not the stalled one */
		rec.parent_id = 1;	/* parent unknown in events mode, but nested */
		rec.depth = 1;
		account_record(a, EST, t, &rec, in_win(a));
		return;
	}
	ev_compact_close(a, t);
	if (failed && !e->pending) {
		/* a failure always went through the slow path, even unseen */
		ev_evidence(a, t, ev->ts);
	}
	if (e->pending) {
		rec.outcome = failed ? ANL_FAILED : ANL_SLOW;
		rec.start_ts = e->start;
		rec.latency_ns = ev->ts - e->start;
		memcpy(rec.stage_count, e->stage_count, sizeof(rec.stage_count));
		memcpy(rec.stage_ns, e->stage_ns, sizeof(rec.stage_ns));
		rec.nr_reclaimed = e->nr_reclaimed;
		if (e->incomplete)
			rec.flags |= ANL_REC_INCOMPLETE;
		{
			uint64_t in = 0;

			for (int s = ANL_STAGE_FIRST; s <= ANL_STAGE_LAST; s++)
				in += rec.stage_ns[s];
			rec.stage_ns[ANL_STAGE_OTHER] = rec.latency_ns > in ? rec.latency_ns - in : 0;
			rec.stage_count[ANL_STAGE_OTHER] = 1;
		}
		e->pending = false;
		account_record(a, EST, t, &rec, e->win);
		return;
	}
	account_record(a, EST, t, &rec, in_win(a));
}

/* A slow path whose allocation the trace did not reach. */
static void ev_open_at_end(struct anl_ctx *a, struct anl_task *t)
{
	struct anl_alloc rec;

	memset(&rec, 0, sizeof(rec));
	rec.id = row_id(a, t, EST);
	rec.pid = t->pid;
	rec.tgid = t->tgid;
	rec.comm = t->comm;
	rec.order = -1;
	rec.gfp = PRS_NO_VALUE;
	rec.start_ts = t->ev.start;
	rec.end_ts = a->last_ts;
	rec.latency_ns = PRS_NO_VALUE;
	rec.flags = ANL_REC_ESTIMATED | ANL_REC_OPEN_AT_END;
	rec.outcome = ANL_SLOW;
	memcpy(rec.stage_count, t->ev.stage_count, sizeof(rec.stage_count));
	memcpy(rec.stage_ns, t->ev.stage_ns, sizeof(rec.stage_ns));
	rec.nr_reclaimed = t->ev.nr_reclaimed;
	t->ev.pending = false;
	account_record(a, EST, t, &rec, t->ev.win);
}

/* ---- tracepoints: raw counts, both estimators --------------------------- */

static bool is_boosted_wake(const struct prs_event *ev)
{
	/*
	 * rmqueue(): wakeup_kswapd(zone, 0, 0, zone_idx) when the watermark was
	 * boosted (5.0+).  An event without gfp_flags (added in 4.17) comes from a
	 * kernel without boosting: an absent field is not a zero.
	 */
	if (ev->u.mm.order != 0)
		return false;
	if (ev->u.mm.gfp != PRS_NO_VALUE)
		return ev->u.mm.gfp == 0;
	return ev->u.mm.gfp_str && (!strcmp(ev->u.mm.gfp_str, "0") ||
	       !strcmp(ev->u.mm.gfp_str, "none") || !strcmp(ev->u.mm.gfp_str, "0x0"));
}

static void copy_comm(struct anl_task *t, const struct prs_event *ev)
{
	if (ev->comm && ev->comm[0]) {
		if (strncmp(t->comm, ev->comm, sizeof(t->comm) - 1)) {
			snprintf(t->comm, sizeof(t->comm), "%s", ev->comm);
			t->recorder_comm = recorder_comm(t->comm);
		}
		t->comm_settled = ev->comm_per_pid;
	}
	if (ev->tgid >= 0)
		t->tgid = ev->tgid;
}

/* trace.dat names a pid once for the whole file: comparing it per event took 11 % of its analysis */
static inline void task_comm(struct anl_task *t, const struct prs_event *ev)
{
	if (!t->comm_settled || !ev->comm_per_pid || ev->tgid >= 0)
		copy_comm(t, ev);
}

/*
 * pgalloc_* counts 1 << order where the buddy allocator hands out pages
 * (rmqueue_pcplist(), rmqueue_buddy(), __alloc_pages_bulk(); 6.1, 6.12), not
 * at mm_page_alloc.  Two cases the exact modes can see, at the allocation's
 * mm_page_alloc:
 *  - a page captured by direct compaction (compaction_capture() in
 *    __free_one_page(), handed over by __alloc_pages_direct_compact() without
 *    get_page_from_freelist()) emits mm_page_alloc but never counts pgalloc;
 *  - a page from get_page_from_freelist() freed again because the memcg
 *    charge failed (__alloc_pages(), __GFP_ACCOUNT) counts pgalloc but emits
 *    mm_page_alloc without a page.
 */
static void page_source(struct anl_ctx *a, const struct anl_frame *f, const struct prs_event *ev,
			bool failed)
{
	uint64_t pages;

	if (ev->u.mm.order < 0 || ev->u.mm.order >= 64)
		return;
	pages = 1ull << ev->u.mm.order;
	if (!failed && (f->last_src == SRC_COMPACT ||
			(f->last_src == GPFL_NULL &&
			 (f->compact_since_gpfl || !a->seen_try_compact_tp)))) {
		RAW_INC(a, captured, 1);
		RAW_INC(a, captured_pages, pages);
		if (f->last_src == SRC_COMPACT)
			RAW_INC(a, compact_stall_fn, 1);
	} else if (failed && f->last_src == GPFL_PAGE) {
		RAW_INC(a, charge_failed_pages, pages);
	}
}

/*
 * The kernel's notion of a compaction stall, from tracepoints.
 * __alloc_pages_direct_compact() counts COMPACTSTALL unless
 * try_to_compact_pages() returned COMPACT_SKIPPED (6.1, 6.12: the largest
 * result over the zones it visited), i.e. unless every zone was skipped.
 * Per zone: compaction_deferred() emits mm_compaction_deferred (a deferred
 * zone counts); compact_zone() runs compaction (mm_compaction_begin) or
 * returns first: 6.1 emits mm_compaction_suitable with its result (success:
 * already at the watermark, skipped / not_suitable_zone), 6.12 checks the
 * watermark before compaction_suitable() and returns COMPACT_SUCCESS
 * without any event.
 */
static bool zone_not_skipped(const struct prs_event *ev)
{
	const char *st = ev->u.compact.status_str;

	if (ev->kind != PRS_EV_COMPACT_SUITABLE)
		return true;
	return st && (!strcmp(st, "success") || !strcmp(st, "continue"));
}

/* The try ends (the task moved on): settle what its zones left open. */
static void ct_close(struct anl_ctx *a, struct anl_task *t)
{
	if (!t->ct_open)
		return;
	t->ct_open = false;
	if (t->ct_counted || !a->seen_suitable_tp || !a->seen_deferred_tp)
		return;
	if (!t->ct_zone) {
		/*
		 * No zone left an event: the first zone was already at its
		 * watermark (6.12, silent COMPACT_SUCCESS), or cpusets excluded
		 * every zone (COMPACT_SKIPPED, not counted; not told apart).
		 */
		RAW_INC(a, compact_stall_derived, 1);
	} else {
		/* only skipped zones seen: 6.12 may have stopped at a silent success after them */
		RAW_INC(a, compact_try_unsure, 1);
	}
}

static bool is_kswapd(const char *comm);

/*
 * PGSTEAL_DIRECT is counted where mm_vmscan_lru_shrink_inactive fires, with
 * the same nr_reclaimed: shrink_inactive_list() (5.4 .. 6.18) and MGLRU's
 * evict_folios() (6.12; on 6.1 it counts but emits no event), by every
 * reclaimer that is not kswapd (PF_KSWAPD), nor khugepaged where
 * reclaimer_offset() has pgsteal_khugepaged (6.12), nor proactive reclaim
 * where it has pgsteal_proactive (newer kernels), and only when
 * !cgroup_reclaim(sc): memcg reclaim (memory.max/high, memory.reclaim, v1
 * soft limit) counts in memory.stat only (5.4 .. 6.18).  Inside
 * try_to_free_pages() the target is no memcg (but for v1 soft-limit
 * reclaim); outside it a non-kswapd reclaim is node_reclaim() (counted),
 * memcg or proactive reclaim (not).  mm_vmscan_memcg_reclaim_begin/end
 * (try_to_free_mem_cgroup_pages()) and _softlimit_ (mem_cgroup_shrink_node())
 * bracket memcg reclaim where recorded.
 */
static void lru_inactive(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	const char *comm = ev->comm && ev->comm[0] ? ev->comm : t->comm;
	uint64_t nr = ev->u.lru.nr_reclaimed;

	a->seen_lru_inactive_tp = true;
	if (is_kswapd(comm))
		return;
	if (t->mc_open) {
		RAW_INC(a, lru_memcg, 1);
		RAW_INC(a, lru_reclaimed_memcg, nr);
		return;
	}
	RAW_INC(a, lru_inactive, 1);
	RAW_INC(a, lru_reclaimed, nr);
	if (a->cur_recorder)
		FOR_SCOPES(a, s)
			a->rec_lru_reclaimed[s] += nr;
	if (!strcmp(comm, "khugepaged"))
		RAW_INC(a, lru_reclaimed_khugepaged, nr);
	if (!t->rc_open) {
		RAW_INC(a, lru_outside, 1);
		RAW_INC(a, lru_reclaimed_outside, nr);
	}
}

static void tp_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	struct anl_frame *f = top(t);
	bool exact = a->opts.mode != ANL_MODE_EVENTS;

	switch (ev->kind) {
	case PRS_EV_PAGE_ALLOC: {
		/*
		 * __alloc_pages_noprof() emits mm_page_alloc at its end whether
		 * or not it got a page (2.6.32+ through 6.12 checked): a failed
		 * one has pfn -1 in trace.dat and a NULL page in text, which the
		 * readers both turn into "no pfn" (pfn 0 is a real page on some
		 * machines).
		 */
		bool failed = ev->u.mm.pfn == PRS_NO_VALUE;

		a->seen_page_alloc_tp = true;
		RAW_INC(a, page_alloc_events, 1);
		if (failed)
			RAW_INC(a, page_alloc_failed, 1);
		else if (ev->u.mm.order >= 0 && ev->u.mm.order < 64)
			RAW_INC(a, page_alloc_pages, 1ull << ev->u.mm.order);
		if (ev->u.mm.order > ANL_MAX_ORDER)
			a->an.order_out_of_range++;
		ct_close(a, t);
		task_comm(t, ev);
		if (f && exact) {
			page_source(a, f, ev, failed);
			tp_compact_close(a, f);
			f->saw_page_alloc = !failed;
			f->page_alloc_failed = failed;
			f->rec.order = ev->u.mm.order;
			if (ev->u.mm.gfp != PRS_NO_VALUE)
				f->rec.gfp = ev->u.mm.gfp;
			f->rec.gfp_str = ev->u.mm.gfp_str;
		}
		ev_page_alloc(a, t, ev, failed);
		break;
	}
	case PRS_EV_RECLAIM_BEGIN:
		if (is_recorder(a, t)) {
			recorder_seen(a, t);
			FOR_SCOPES(a, s) {
				a->rec[EXACT][s].reclaims++;
				a->rec[EST][s].reclaims++;
			}
		}
		RAW_INC(a, reclaim_begin, 1);
		RAW_INC(a, reclaim_passes, 1);
		ct_close(a, t);
		t->rc_open = true;
		t->rc_prio = -1;
		t->rc_passes = 1;
		if (f && exact) {
			tp_compact_close(a, f);
			f->after_reclaim_left = 0;
			f->did_something = true;
			f->slow_helper = true;
			if (!f->stage_open[ANL_STAGE_DIRECT_RECLAIM] && !f->tp_reclaim_open) {
				f->tp_reclaim_open = true;
				f->tp_reclaim_start = ev->ts;
			}
		}
		ev_compact_close(a, t);
		ev_evidence(a, t, ev->ts);
		t->ev.reclaim_open = true;
		t->ev.reclaim_start = ev->ts;
		break;
	case PRS_EV_RECLAIM_END: {
		uint64_t nr = ev->u.reclaim.nr_reclaimed == PRS_NO_VALUE ? 0 : ev->u.reclaim.nr_reclaimed;

		RAW_INC(a, reclaim_end, 1);
		RAW_INC(a, nr_reclaimed, nr);
		if (is_recorder(a, t))
			FOR_SCOPES(a, s)
				a->rec_reclaim_end[s]++;
		if (ev->u.reclaim.nr_reclaimed == 0) {
			RAW_INC(a, reclaim_zero_ends, 1);
			if (!t->rc_open || t->rc_passes <= 1)
				RAW_INC(a, reclaim_zero_single, 1);
		}
		/* 6.12: reclaimer_offset() counts khugepaged's as pgsteal_khugepaged */
		if (ev->comm && !strcmp(ev->comm, "khugepaged"))
			RAW_INC(a, nr_reclaimed_khugepaged, nr);
		if (!t->rc_open)
			a->an.reclaim_end_without_begin++;
		t->rc_open = false;
		if (f && exact) {
			f->rec.nr_reclaimed += nr;
			/* nr_reclaimed is try_to_free_pages()'s return: the progress */
			f->reclaim_end_seen = true;
			f->after_reclaim_left = nr ? 2 : 0;
			if (f->tp_reclaim_open) {
				uint64_t ns = ev->ts - f->tp_reclaim_start;

				f->tp_reclaim_open = false;
				if (!reports_est(a))
					span_emit(a, ANL_SPAN_DIRECT_RECLAIM, f->tp_reclaim_start, ev->ts,
						  t->pid, -1, f->win,
						  !(f->rec.flags & ANL_REC_INCOMPLETE));
				f->rec.stage_count[ANL_STAGE_DIRECT_RECLAIM]++;
				f->rec.stage_ns[ANL_STAGE_DIRECT_RECLAIM] += ns;
				stage_occ(a, EXACT, ANL_STAGE_DIRECT_RECLAIM, ns,
					  !(f->rec.flags & ANL_REC_INCOMPLETE), f->win);
			}
		}
		if (t->ev.reclaim_open) {
			uint64_t ns = ev->ts - t->ev.reclaim_start;

			if (reports_est(a))
				span_emit(a, ANL_SPAN_DIRECT_RECLAIM, t->ev.reclaim_start, ev->ts, t->pid,
					  -1, t->ev.win, !t->ev.incomplete);
			t->ev.reclaim_open = false;
			t->ev.stage_count[ANL_STAGE_DIRECT_RECLAIM]++;
			t->ev.stage_ns[ANL_STAGE_DIRECT_RECLAIM] += ns;
			t->ev.nr_reclaimed += nr;
			stage_occ(a, EST, ANL_STAGE_DIRECT_RECLAIM, ns, !t->ev.incomplete, t->ev.win);
		}
		break;
	}
	case PRS_EV_LRU_SHRINK:
		/*
		 * do_try_to_free_pages() counts ALLOCSTALL again at each
		 * "goto retry" (nothing reclaimed down to priority 0, and
		 * skipped_deactivate or memcg_low_skipped set; 5.4..6.18), and
		 * a retry restarts at the initial priority: a priority going
		 * back up inside one direct reclaim is a restart.
		 */
		a->seen_lru_shrink_tp = true;
		/* soft-limit reclaim inside a direct reclaim scans at priority 0 with its own sc */
		if (t->rc_open && !t->mc_open && ev->u.lru.priority >= 0) {
			if (t->rc_prio >= 0 && ev->u.lru.priority > t->rc_prio) {
				RAW_INC(a, reclaim_passes, 1);
				t->rc_passes++;
			}
			t->rc_prio = ev->u.lru.priority;
		}
		if (ev->u.lru.nr_reclaimed != PRS_NO_VALUE)
			lru_inactive(a, t, ev);
		break;
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_END:
		a->memcg_known = true;
		t->mc_open = ev->kind == PRS_EV_MEMCG_RECLAIM_BEGIN;
		break;
	case PRS_EV_WAKEUP_KSWAPD:
		RAW_INC(a, wakeup_kswapd, 1);
		if (is_boosted_wake(ev)) {
			/* the fast path's own wake: not a slow path */
			a->an.boosted_wakes++;
			break;
		}
		RAW_INC(a, wakeup_kswapd_slow, 1);
		ct_close(a, t);
		/* wakeup_kswapd() emits it only for a node whose kswapd sleeps: one per node woken */
		if (f && exact) {
			f->did_something = true;
			f->slow_helper = true;
			f->rec.stage_count[ANL_STAGE_KSWAPD_WOKEN]++;
			stage_occ(a, EXACT, ANL_STAGE_KSWAPD_WOKEN, 0, false, f->win);
		}
		if (!t->ev.reclaim_open) {
			ev_compact_close(a, t);
			ev_evidence(a, t, ev->ts);
			t->ev.stage_count[ANL_STAGE_KSWAPD_WOKEN]++;
			stage_occ(a, EST, ANL_STAGE_KSWAPD_WOKEN, 0, false, t->ev.win);
		}
		break;
	case PRS_EV_TRY_COMPACT:
		a->seen_try_compact_tp = true;
		RAW_INC(a, try_compact, 1);
		ct_close(a, t);
		t->ct_open = true;
		t->ct_counted = false;
		t->ct_zone = false;
		if (f && exact) {
			f->did_something = true;
			f->slow_helper = true;
			f->compact_since_gpfl = true;
			if (f->stage_open[ANL_STAGE_COMPACTION]) {
				f->compact_tp_inside = true;
			} else {
				tp_compact_close(a, f);
				f->tp_compact_open = true;
				f->tp_compact_start = f->tp_compact_last = ev->ts;
			}
		}
		if (!t->ev.reclaim_open) {
			ev_compact_close(a, t);
			ev_evidence(a, t, ev->ts);
			t->ev.compact_open = true;
			t->ev.compact_start = t->ev.compact_last = ev->ts;
		}
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_SUITABLE:
		if (ev->kind == PRS_EV_COMPACT_DEFERRED) {
			a->seen_deferred_tp = true;
			RAW_INC(a, compact_deferred, 1);
		}
		if (ev->kind == PRS_EV_COMPACT_SUITABLE)
			a->seen_suitable_tp = true;
		if (t->ct_open) {
			t->ct_zone = true;
			if (ev->kind == PRS_EV_COMPACT_BEGIN)
				RAW_INC(a, compact_begin_direct, 1);
			if (!t->ct_counted && zone_not_skipped(ev)) {
				RAW_INC(a, compact_stall_derived, 1);
				t->ct_counted = true;
			}
		} else if (ev->kind == PRS_EV_COMPACT_BEGIN) {
			RAW_INC(a, compact_begin_other, 1);	/* kcompactd, proactive */
		}
		/* fall through */
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_FINISHED:
		if (f && f->tp_compact_open)
			f->tp_compact_last = ev->ts;
		if (t->ev.compact_open)
			t->ev.compact_last = ev->ts;
		break;
	case PRS_EV_MARK_VICTIM:
		RAW_INC(a, mark_victim, 1);
		if (f && exact && !f->stage_open[ANL_STAGE_OOM]) {
			f->did_something = true;
			f->slow_helper = true;
			f->rec.stage_count[ANL_STAGE_OOM]++;
			stage_occ(a, EXACT, ANL_STAGE_OOM, 0, false, f->win);
		}
		if (!t->ev.reclaim_open) {
			ev_evidence(a, t, ev->ts);
			t->ev.stage_count[ANL_STAGE_OOM]++;
			stage_occ(a, EST, ANL_STAGE_OOM, 0, false, t->ev.win);
		}
		break;
	default:
		break;
	}
}

/* ---- kswapd CPU time ---------------------------------------------------- */

static bool is_kswapd(const char *comm)
{
	/* "kswapd0", "kswapd1", older multi-thread "kswapd0:1" */
	return comm && !strncmp(comm, "kswapd", 6) && comm[6] >= '0' && comm[6] <= '9';
}

/* An interval of kswapd activity [since, until] into the open scopes. */
static void busy_add(struct anl_ctx *a, uint64_t since, uint64_t until, bool run, int32_t where)
{
	if (until < since)
		return;
	span_emit(a, run ? ANL_SPAN_KSWAPD_RUN : ANL_SPAN_KSWAPD_AWAKE, since, until, -1, where,
		  false, true);
	if (run)
		a->raw[ALL].kswapd_run_ns += until - since;
	else
		a->raw[ALL].kswapd_awake_ns += until - since;
	if (in_win(a)) {
		uint64_t s = since > a->win_begin ? since : a->win_begin;

		if (until > s) {
			if (run)
				a->raw[WIN].kswapd_run_ns += until - s;
			else
				a->raw[WIN].kswapd_awake_ns += until - s;
		}
	}
}

static void sched_switch(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_cpu *c;
	bool prev_k = is_kswapd(ev->u.sw.prev_comm), next_k = is_kswapd(ev->u.sw.next_comm);

	if (ev->cpu < 0 || ev->cpu >= ANL_MAX_CPUS)
		return;
	if (ev->cpu >= a->nr_cpus) {
		int n = ev->cpu + 1;
		struct anl_cpu *cpus = realloc(a->cpus, (size_t)n * sizeof(*cpus));

		if (!cpus)
			return;
		memset(&cpus[a->nr_cpus], 0, (size_t)(n - a->nr_cpus) * sizeof(*cpus));
		a->cpus = cpus;
		a->nr_cpus = n;
	}
	c = &a->cpus[ev->cpu];
	a->seen_switch = true;
	if (prev_k || next_k)
		a->seen_kswapd_switch = true;
	if (prev_k) {
		/* running since its switch-in, or since the trace began on this CPU */
		busy_add(a, c->kswapd_running || c->seen ? c->since : a->first_ts, ev->ts, true,
			 ev->cpu);
	}
	c->seen = true;
	c->kswapd_running = next_k;
	c->since = ev->ts;
}

static void kswapd_wake_sleep(struct anl_ctx *a, const struct prs_event *ev)
{
	int nid = ev->kind == PRS_EV_KSWAPD_WAKE ? ev->u.mm.nid : ev->u.kswapd.nid;

	if (nid < 0 || nid >= ANL_MAX_NODES)
		nid = 0;
	a->seen_kswapd_wake = true;
	if (ev->kind == PRS_EV_KSWAPD_WAKE) {
		if (!a->node_awake[nid]) {
			a->node_awake[nid] = true;
			a->node_since[nid] = ev->ts;
		}
	} else {
		busy_add(a, a->node_awake[nid] ? a->node_since[nid] : a->first_ts, ev->ts, false, nid);
		a->node_awake[nid] = false;
	}
}

/* Close the window: running intervals are cut at its end. */
static void window_close(struct anl_ctx *a, uint64_t ts)
{
	for (int i = 0; i < a->nr_cpus; i++) {
		struct anl_cpu *c = &a->cpus[i];

		if (c->kswapd_running) {
			uint64_t s = c->since > a->win_begin ? c->since : a->win_begin;

			if (ts > s)
				a->raw[WIN].kswapd_run_ns += ts - s;
		}
	}
	for (int n = 0; n < ANL_MAX_NODES; n++) {
		if (a->node_awake[n]) {
			uint64_t s = a->node_since[n] > a->win_begin ? a->node_since[n] : a->win_begin;

			if (ts > s)
				a->raw[WIN].kswapd_awake_ns += ts - s;
		}
	}
	a->win_end = ts;
	a->win_state = 2;
	a->raw_at_end = a->raw[ALL];
}

/* ---- markers: window and in-trace snapshots ----------------------------- */

static bool text_is(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	return len == wl && !memcmp(s, word, wl);
}

static const char win_vmcap[] = "VMCAP_WINDOW markers";
static const char win_begin[] = "allocscope markers";
static const char win_window[] = "allocscope window-begin/end markers";

/* A window whose end marker never came (a trace cut short, a capture killed) */
static const char *window_unclosed(const char *source)
{
	if (source == win_vmcap)
		return "VMCAP_WINDOW_BEGIN marker, no end marker: to end of trace";
	if (source == win_begin)
		return "allocscope begin marker, no end marker: to end of trace";
	return "allocscope window-begin marker, no end marker: to end of trace";
}

static void window_end(struct anl_ctx *a, uint64_t ts, const char *source)
{
	if (a->win_state == 1 && a->win_source == source)
		window_close(a, ts);
}

/* "before" 1, "after" 2, else 0: the phase word of the snapshot markers */
static int snap_phase_of(const char *w)
{
	size_t n = strcspn(w, " ");

	if (n == 6 && !memcmp(w, "before", 6))
		return 1;
	if (n == 5 && !memcmp(w, "after", 5))
		return 2;
	return 0;
}

/*
 * The first window marker of a trace opens the window, and only the end
 * marker of its own kind closes it (a trace may carry two kinds, e.g. the
 * capture's window-begin/-end inside snapshot markers rewritten to begin/end).
 */
static void window_open(struct anl_ctx *a, uint64_t ts, const char *source)
{
	if (a->win_state != 0 || a->opts.no_window)
		return;
	a->win_state = 1;
	a->win_begin = ts;
	a->win_source = source;
	a->raw_at_begin = a->raw[ALL];
	/* kswapd already running is clipped to the window in busy_add() */
}

/*
 * /proc/PID/stat as one line: "42 (kswapd0) S 2 0 ..."; utime and stime are
 * fields 14 and 15, counted after the last ')' since comm may hold spaces
 * and parentheses.
 */
static bool stat_ticks(const char *line, unsigned long long *ticks)
{
	const char *p = strrchr(line, ')');
	unsigned long long ut, st;

	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return false;
	*ticks = ut + st;
	return true;
}

static void kswapd_snap(struct anl_ctx *a, int phase, unsigned long long ticks)
{
	a->kswapd_ticks[phase - 1] += ticks;
	a->kswapd_ticks_known[phase - 1] = true;
}

/*
 * Two marker dialects (docs/capture-format.md):
 *  - window markers with the snapshots read outside them: VMCAP_WINDOW_BEGIN/END
 *    (snapshots in files), and "allocscope: window-begin/-end" with in-band
 *    snapshot blocks "allocscope: vmstat-begin PHASE" .. "vmstat-end PHASE"
 *    and "allocscope: kswapd-stat PHASE <stat line>" (tests/e2e/guest-init.sh);
 *  - "allocscope: begin/end" (our recorders): the snapshot lines that follow
 *    each marker are the before and after snapshots, read inside the window.
 */
/* The window markers; snap_phase: the snapshot lines after them are the before (1) or after (2) one. */
struct window_marker {
	const char	*text;
	const char	*source;
	bool		open;
	int		snap_phase;
};

static const struct window_marker window_markers[] = {
	{ "VMCAP_WINDOW_BEGIN",		win_vmcap,	true,	0 },
	{ "allocscope: begin",		win_begin,	true,	1 },
	{ "allocscope: window-begin",	win_window,	true,	0 },
	{ "VMCAP_WINDOW_END",		win_vmcap,	false,	0 },
	{ "allocscope: end",		win_begin,	false,	2 },
	{ "allocscope: window-end",	win_window,	false,	0 },
};

/* Written just before the snapshot of that phase is read (docs/capture-format.md). */
static const char *const snapshot_read[2] = {
	"allocscope: snapshot-before", "allocscope: snapshot-after",
};

static void print_event(struct anl_ctx *a, const struct prs_event *ev)
{
	const char *s = ev->u.print.text;
	size_t len = ev->u.print.len;
	static const char pfx[] = "allocscope: ";

	if (!s)
		return;
	while (len && *s == ' ') {
		s++;
		len--;
	}
	for (size_t i = 0; i < sizeof(window_markers) / sizeof(window_markers[0]); i++) {
		const struct window_marker *m = &window_markers[i];

		if (!text_is(s, len, m->text))
			continue;
		if (m->open)
			window_open(a, ev->ts, m->source);
		else
			window_end(a, ev->ts, m->source);
		if (m->snap_phase)
			a->snap_phase = m->snap_phase;
		if (m->snap_phase == 1)
			a->snap_inside = true;
		return;
	}
	for (int phase = 1; phase <= 2; phase++) {
		if (!text_is(s, len, snapshot_read[phase - 1]))
			continue;
		a->read_seen[phase - 1] = true;
		a->read_ts[phase - 1] = ev->ts;
		a->raw_at_read[phase - 1] = a->raw[ALL];
		return;
	}
	if (len <= sizeof(pfx) - 1 || memcmp(s, pfx, sizeof(pfx) - 1))
		return;
	s += sizeof(pfx) - 1;
	len -= sizeof(pfx) - 1;
	{
		static const char memcg_opt[] = "option event=vmscan:mm_vmscan_memcg_reclaim_begin";
		char buf[512];
		char name[128];
		unsigned long long v1 = 0, v2 = 0, v3 = 0;
		int pid, phase;

		if (len >= sizeof(buf))
			return;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (!strncmp(buf, "vmstat ", 7) && a->snap_phase && !a->vm_from_files &&
		    sscanf(buf + 7, "%127s %llu", name, &v1) == 2) {
			anl_vmstat_line(&a->vm[a->snap_phase - 1], name, strlen(name), v1);
			/*
			 * /proc/vmstat is read in chunks as its lines are written, and
			 * every read() takes all counters anew (vmstat_start(), 6.1,
			 * 6.12): the last line bounds the read
			 */
			if (a->snap_phase == 1 && a->win_state == 1 && a->win_source == win_begin) {
				a->before_vm_seen = true;
				a->raw_at_before_vm = a->raw[ALL];
			}
		} else if (!strncmp(buf, "vmstat-begin ", 13) && (phase = snap_phase_of(buf + 13))) {
			/*
			 * The block holds values read before it was written: the
			 * kernel's after-read is no later than this line.
			 */
			a->snap_phase = phase;
			if (!a->vm_from_files)
				memset(&a->vm[phase - 1], 0, sizeof(a->vm[0]));
			a->snap_seen[phase - 1] = true;
			a->snap_ts[phase - 1] = ev->ts;
			a->raw_at_snap[phase - 1] = a->raw[ALL];
		} else if (!strncmp(buf, "vmstat-end ", 11)) {
			a->snap_phase = 0;
		} else if (!strncmp(buf, "kswapd-stat ", 12) && (phase = snap_phase_of(buf + 12)) &&
			   stat_ticks(buf + 12, &v1)) {
			kswapd_snap(a, phase, v1);
		} else if (!strncmp(buf, "funcs ", 6)) {
			/* the recorder's function filter: a traced function that never ran is still seen */
			if (strstr(buf, " wake_all_kswapds"))
				a->wake_fn_listed = true;
			if (strstr(buf, " out_of_memory") || strstr(buf, " __alloc_pages_may_oom"))
				a->oom_fn_listed = true;
		} else if ((!strncmp(buf, "kernel ", 7) || !strncmp(buf, "uname ", 6)) && !a->kernel) {
			a->kernel = strdup(buf + (buf[0] == 'k' ? 7 : 6));
		} else if (!strncmp(buf, "cpustat ", 8) &&
			   sscanf(buf + 8, "%d overrun=%llu dropped=%llu", &pid, &v2, &v3) == 3) {
			/* per CPU, once, at the end of recording */
			a->an.ring_known = true;
			a->an.ring_overrun += v2;
			a->an.ring_dropped += v3;
		} else if (!strncmp(buf, memcg_opt, sizeof(memcg_opt) - 1) &&
			   (!buf[sizeof(memcg_opt) - 1] || buf[sizeof(memcg_opt) - 1] == ',')) {
			/* recorded, or ",missing": no CONFIG_MEMCG, no memcg reclaim */
			a->memcg_known = true;
		} else if (!strncmp(buf, "option bulk_probe=", 18) && strcmp(buf + 18, "-")) {
			a->bulk_probed = true;
		} else if (!strncmp(buf, "recorder-pid ", 13) && sscanf(buf + 13, "%d", &pid) == 1 &&
			   pid > 0) {
			struct anl_task *t = task_get(a, pid);

			a->seen_recorder_marker = true;
			if (t)
				t->recorder_pid = true;
		} else if (!strncmp(buf, "clk_tck ", 8) && sscanf(buf + 8, "%llu", &v1) == 1) {
			a->clk_tck = v1;
		} else if (!strncmp(buf, "kswapd ", 7) && a->snap_phase &&
			   sscanf(buf + 7, "%d %127s %llu %llu", &pid, name, &v2, &v3) == 4) {
			kswapd_snap(a, a->snap_phase, v2 + v3);
		}
	}
}

/* ---- lost events -------------------------------------------------------- */

static void lost_event(struct anl_ctx *a, const struct prs_event *ev)
{
	a->an.lost_markers++;
	a->an.lost_events += ev->u.lost.count;
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];

		if (!t || (ev->cpu >= 0 && t->last_cpu != ev->cpu))
			continue;
		for (uint32_t d = 0; d < t->depth; d++) {
			if (!(t->stack[d].rec.flags & ANL_REC_INCOMPLETE))
				a->an.incomplete++;
			t->stack[d].rec.flags |= ANL_REC_INCOMPLETE;
		}
		if (t->ev.pending)
			t->ev.incomplete = true;
		/* a lost exit would leave this open for ever */
		t->rc_open = false;
		t->ct_open = false;
	}
	/* a lost sched_switch leaves the CPU's state unknown */
	if (ev->cpu >= 0 && ev->cpu < a->nr_cpus)
		a->cpus[ev->cpu].kswapd_running = false;
}

/*
 * A CPU's events come in time order (its ring buffer is written so); across
 * CPUs a text trace may interleave a little (trace_pipe read live), which
 * is not an anomaly.  A lost-events marker is not checked: the text readers
 * place it at the latest time seen.
 */
static void ts_order(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_cpu_ts *c = &a->cpu_ts_other;

	if (ev->cpu >= 0 && ev->cpu < ANL_MAX_CPUS) {
		if (ev->cpu >= a->nr_cpu_ts) {
			int n = ev->cpu + 1 > 2 * a->nr_cpu_ts ? ev->cpu + 1 : 2 * a->nr_cpu_ts;
			struct anl_cpu_ts *cts;

			if (n > ANL_MAX_CPUS)
				n = ANL_MAX_CPUS;
			cts = realloc(a->cpu_ts, (size_t)n * sizeof(*cts));
			if (cts) {
				memset(cts + a->nr_cpu_ts, 0, (size_t)(n - a->nr_cpu_ts) * sizeof(*cts));
				a->cpu_ts = cts;
				a->nr_cpu_ts = n;
			}
		}
		if (ev->cpu < a->nr_cpu_ts)	/* else no memory: the shared slot */
			c = &a->cpu_ts[ev->cpu];
	}
	if (c->seen && ev->ts < c->last_ts) {
		a->an.ts_backwards++;
		return;
	}
	c->seen = true;
	c->last_ts = ev->ts;
}

/* ---- public ------------------------------------------------------------- */

int anl_new(const struct anl_opts *opts, struct anl_ctx **out)
{
	struct anl_ctx *a;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ANL_ENOMEM;
	if (opts)
		a->opts = *opts;
	a->first_ts = PRS_NO_VALUE;
	for (int e = 0; e < 2; e++)
		for (int s = 0; s < 2; s++)
			snprintf(a->tot[e][s].by_gfp[ANL_GFP_CLASSES - 1].name,
				 sizeof(a->tot[e][s].by_gfp[0].name), "unknown");
	*out = a;
	return 0;
}

int anl_feed(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_task *t = NULL;

	if (a->finished)
		return -ANL_ESTATE;
	a->cur_recorder = false;
	if (!a->seen_any) {
		a->seen_any = true;
		a->first_ts = ev->ts;
	}
	if (ev->kind != PRS_EV_LOST)
		ts_order(a, ev);
	if (ev->ts > a->last_ts)
		a->last_ts = ev->ts;

	switch (ev->kind) {
	case PRS_EV_LOST:
		lost_event(a, ev);
		return 0;
	case PRS_EV_PRINT:
		print_event(a, ev);
		return 0;
	case PRS_EV_SCHED_SWITCH:
		sched_switch(a, ev);
		return 0;
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_KSWAPD_SLEEP:
		kswapd_wake_sleep(a, ev);
		return 0;
	case PRS_EV_OTHER:
		return 0;
	default:
		break;
	}

	t = task_get(a, ev->pid);
	if (!t)
		return ev->pid < 0 ? 0 : -ANL_ENOMEM;
	t->last_cpu = ev->cpu;
	if (!t->comm[0] && ev->comm && ev->comm[0])
		task_comm(t, ev);	/* a task's first event names it: the recorder's comm */
	a->cur_recorder = !a->opts.include_recorder && is_recorder(a, t);

	switch (ev->kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE:
		if (ev->kind == PRS_EV_FUNC_ENTRY || ev->kind == PRS_EV_KPROBE)
			task_comm(t, ev);
		if (a->opts.mode == ANL_MODE_EVENTS)
			return 0;
		return fn_event(a, t, ev);
	default:
		tp_event(a, t, ev);
		return 0;
	}
}

int anl_set_vmstat(struct anl_ctx *a, bool after, const char *text, size_t len)
{
	int ret = anl_vmstat_parse(&a->vm[after ? 1 : 0], text, len);

	if (ret == 0)
		a->vm_from_files = true;
	return ret;
}

void anl_set_ring_stats(struct anl_ctx *a, uint64_t overrun, uint64_t dropped)
{
	/* the file's header wins over markers: both describe the same buffers */
	a->an.ring_known = true;
	a->an.ring_overrun = overrun;
	a->an.ring_dropped = dropped;
}

int anl_set_kernel(struct anl_ctx *a, const char *release)
{
	if (!release || a->kernel)
		return 0;
	a->kernel = strdup(release);
	return a->kernel ? 0 : -ANL_ENOMEM;
}

static int sum_cmp(const void *x, const void *y)
{
	const struct anl_task_sum *p = x, *q = y;

	if (p->stall_ns != q->stall_ns)
		return p->stall_ns < q->stall_ns ? 1 : -1;
	if (p->slow != q->slow)
		return p->slow < q->slow ? 1 : -1;
	return p->pid < q->pid ? -1 : p->pid > q->pid;
}

static uint64_t raw_field(const struct anl_totals *t, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)t + off, sizeof(v));
	return v;
}

/*
 * The snapshots were read inside allocscope: begin/end, and both reads are
 * bounded by lines: the before-snapshot's by begin and its last vmstat line,
 * the after-snapshot's by snapshot-after and end.  Captures without
 * snapshot-after (recorders before it) keep the unbounded reading.
 */
static bool edges_inside(const struct anl_ctx *a)
{
	return a->win_state == 2 && a->win_source == win_begin && a->snap_inside &&
	       !a->vm_from_files && a->before_vm_seen && a->read_seen[1] &&
	       a->read_ts[1] >= a->win_begin && a->read_ts[1] <= a->win_end;
}

/*
 * How far the kernel's delta may be from the window's count, counted in one
 * field of the totals: edge[0] .. edge[1] events outside the window that it
 * holds (at least .. at most), and at most edge[2] events inside the window
 * that it does not hold; kernel in [trace + edge[0] - edge[2], trace + edge[1]].
 *  - Snapshots read outside the markers (VMCAP_WINDOW_*, allocscope:
 *    window-begin/-end): at most everything before BEGIN, or only what came
 *    after "snapshot-before", after which the read was made; and after END
 *    up to the after-snapshot's first in-band line (its values were read
 *    before it was written), else to the end of the trace.  At least what
 *    came after the before-snapshot's first in-band line, and between END
 *    and "snapshot-after".
 *  - Snapshots read inside begin/end (edges_inside()): nothing outside; inside
 *    at most what came between begin and the before-snapshot's last vmstat
 *    line, and between snapshot-after and end.
 */
static const uint64_t *edge_of(const struct anl_ctx *a, size_t off, uint64_t *edge)
{
	const struct anl_totals *upto = &a->raw[ALL];

	edge[0] = edge[1] = edge[2] = 0;
	if (!a->win_state)
		return edge;
	if (edges_inside(a)) {
		edge[2] = raw_field(&a->raw_at_before_vm, off) - raw_field(&a->raw_at_begin, off) +
			  raw_field(&a->raw_at_end, off) - raw_field(&a->raw_at_read[1], off);
		return edge;
	}
	edge[1] = raw_field(&a->raw_at_begin, off);
	if (a->snap_seen[0] && a->snap_ts[0] <= a->win_begin)
		edge[0] = edge[1] - raw_field(&a->raw_at_snap[0], off);
	if (a->read_seen[0] && a->read_ts[0] <= a->win_begin && !a->snap_inside)
		edge[1] -= raw_field(&a->raw_at_read[0], off);
	if (a->win_state != 2)
		return edge;
	if (a->snap_seen[1] && a->snap_ts[1] >= a->win_end)
		upto = &a->raw_at_snap[1];
	edge[1] += raw_field(upto, off) - raw_field(&a->raw_at_end, off);
	if (a->read_seen[1] && a->read_ts[1] >= a->win_end && !a->snap_inside)
		edge[0] += raw_field(&a->raw_at_read[1], off) - raw_field(&a->raw_at_end, off);
	return edge;
}

#define EDGE(a, field) edge_of(a, offsetof(struct anl_totals, field), (uint64_t[3]){ 0, 0, 0 })

static struct anl_gt *gt_add(struct anl_ctx *a, struct anl_model *m, const char *name,
			     uint64_t trace, uint64_t entries, const uint64_t edge[3], bool exact,
			     enum anl_vm_item item, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

static struct anl_gt *gt_add(struct anl_ctx *a, struct anl_model *m, const char *name,
			     uint64_t trace, uint64_t entries, const uint64_t edge[3], bool exact,
			     enum anl_vm_item item, const char *fmt, ...)
{
	const struct anl_vmstat *vm = a->vm;
	struct anl_gt *g;
	va_list ap;

	if (m->nr_gt >= ANL_MAX_GT)
		return NULL;
	g = &m->gt[m->nr_gt];
	g->name = name;
	g->trace_known = true;
	g->trace = trace;
	g->entries = entries;
	g->exact = exact;
	g->kernel_known = vm[0].have[item] && vm[1].have[item] && vm[1].val[item] >= vm[0].val[item];
	g->kernel = g->kernel_known ? vm[1].val[item] - vm[0].val[item] : 0;
	g->match = g->kernel_known && g->kernel == g->trace;
	g->edge_min = m->window_from_markers ? edge[0] : 0;
	g->edge = m->window_from_markers ? edge[1] : 0;
	g->inside = m->window_from_markers ? edge[2] : 0;
	g->trace_min = g->trace_max = trace;	/* the caller widens them where the trace bounds it */
	g->edge_max = g->edge;
	va_start(ap, fmt);
	vsnprintf(a->gt_note[m->nr_gt], sizeof(a->gt_note[0]), fmt, ap);
	va_end(ap);
	g->note = a->gt_note[m->nr_gt];
	m->nr_gt++;
	return g;
}

/*
 * Why a counter differs, most basic reason first: events lost; the window
 * (snapshots read off the markers, or no markers at all); then what the
 * counter means in the kernel, which gt_add() was given.
 */
static void gt_explain(struct anl_ctx *a, struct anl_model *m, int i)
{
	struct anl_gt *g = &m->gt[i];
	char why[sizeof(a->gt_note[0])];
	char range[200];
	const char *lead = NULL;

	g->edge_explained = anl_gt_edge_explains(g);
	g->range_explained = !g->edge_explained && anl_gt_range_explains(g);
	if (g->match || !g->kernel_known) {
		g->note = NULL;
		return;
	}
	if (a->an.lost_markers && g->trace < g->kernel) {
		g->note = "events were lost in this trace (see lost events): the trace's count is a "
			  "lower bound, the difference may be the loss alone";
		return;
	}
	if (anl_gt_beyond_edges(g))
		lead = "the kernel's delta is above the trace by no more than the bulk allocator's "
		       "pages (trace + edge .. trace + edge + unseen): pages the kernel counts and "
		       "mm_page_alloc does not show";
	else if (g->edge_explained && g->inside)
		lead = "the kernel's delta is within what the window's edges allow (trace - inside "
		       ".. trace): its snapshots were read inside the window markers, so events "
		       "between begin and the before-snapshot's last vmstat line, and between "
		       "snapshot-after and end, count in the window and perhaps not in the kernel's "
		       "delta";
	else if (g->edge_explained)
		lead = "the kernel's delta is within what the window's edges allow (trace + edge_min "
		       ".. trace + edge): its snapshots were read outside the window markers, so "
		       "events between a snapshot and its marker count in the kernel's delta, not "
		       "in the window";
	else if (g->range_explained) {
		char hi[24];

		snprintf(hi, sizeof(hi), "%" PRIu64, g->trace_max);
		snprintf(range, sizeof(range), "the kernel's delta is within what the trace allows for "
			 "the kernel's notion (%" PRIu64 " .. %s%s), which it cannot narrow further",
			 g->trace_min, g->trace_max == UINT64_MAX ? "no upper bound" : hi,
			 g->edge || g->inside || g->unseen ?
			 ", widened by the window's edges and the unseen" : "");
		lead = range;
	} else if (!m->window_from_markers)
		lead = "no window markers: the trace is counted whole, and when the snapshots were "
		       "read relative to it is unknown (events before the trace began or after it "
		       "ended count in the kernel's delta only)";
	else if (edges_inside(a) && g->trace > g->kernel)
		lead = "the snapshots were read inside the window markers, but fewer events than the "
		       "difference came between begin and the before-snapshot's last vmstat line and "
		       "between snapshot-after and end (inside), where the window counts and the "
		       "kernel's delta perhaps not";
	else if (a->snap_inside && !a->vm_from_files && g->trace > g->kernel)
		lead = "the snapshots were read inside the window markers (begin is written before "
		       "the first read, end after the last), so events between a marker and its "
		       "snapshot count in the window but not in the kernel's delta";
	if (!lead)
		return;
	snprintf(why, sizeof(why), "%s; besides, %s", lead, g->note);
	memcpy(a->gt_note[i], why, sizeof(why));
	g->note = a->gt_note[i];
}

/* pgsteal_direct: from mm_vmscan_lru_shrink_inactive where recorded (see lru_inactive()) */
static void gt_pgsteal_direct(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r)
{
	const struct anl_vmstat *vm = a->vm;
	const uint64_t *e1, *e2;
	struct anl_gt *g;
	uint64_t edge[3];
	uint64_t kh;

	/* 6.12: reclaimer_offset() counts khugepaged's reclaim as pgsteal_khugepaged */
	if (a->seen_lru_inactive_tp) {
		bool proactive = vm[0].have[ANL_VM_PGSTEAL_PROACTIVE];
		char memcg[160];

		if (a->memcg_known)
			snprintf(memcg, sizeof(memcg), "%" PRIu64 " more (%" PRIu64 " pages) ran "
				 "inside mm_vmscan_memcg_(softlimit_)reclaim_* and are left out",
				 r->lru_memcg, r->lru_reclaimed_memcg);
		else
			snprintf(memcg, sizeof(memcg), "mm_vmscan_memcg_(softlimit_)reclaim_* "
				 "bracket it, not recorded");

		kh = vm[0].have[ANL_VM_PGSTEAL_KHUGEPAGED] ? r->lru_reclaimed_khugepaged : 0;
		e1 = EDGE(a, lru_reclaimed);
		e2 = EDGE(a, lru_reclaimed_khugepaged);
		for (int i = 0; i < 3; i++)
			edge[i] = e1[i] - (kh ? e2[i] : 0);
		g = gt_add(a, m, "pgsteal_direct", r->lru_reclaimed - kh, r->reclaim_end, edge,
		       !r->lru_outside || (a->memcg_known && !proactive), ANL_VM_PGSTEAL_DIRECT,
		       "trace = nr_reclaimed of the %" PRIu64 " mm_vmscan_lru_shrink_inactive of "
		       "tasks other than kswapd%s, as shrink_inactive_list() / evict_folios() "
		       "count PGSTEAL_DIRECT, but not for memcg reclaim (cgroup_reclaim(): "
		       "memory.max/high, memory.reclaim, v1 soft limit; memory.stat only): %s; "
		       "%" PRIu64 " (%" PRIu64 " pages) ran outside a direct "
		       "reclaim: node_reclaim() (counted)%s; the %" PRIu64 " direct reclaim ends "
		       "say %" PRIu64 " (sc->nr_reclaimed: slab pages freed by shrinkers too)",
		       r->lru_inactive, kh ? " and khugepaged (pgsteal_khugepaged)" : "", memcg,
		       r->lru_outside, r->lru_reclaimed_outside,
		       !a->memcg_known ? " or memcg reclaim (not), unknown here" :
		       proactive ? " or proactive reclaim (pgsteal_proactive)" : "",
		       r->reclaim_end, r->nr_reclaimed);
		/* outside a direct reclaim and not memcg: node_reclaim() (counted) or proactive (not) */
		if (g && !g->exact)
			g->trace_min = g->trace > r->lru_reclaimed_outside ?
				       g->trace - r->lru_reclaimed_outside : 0;
		return;
	}
	kh = vm[0].have[ANL_VM_PGSTEAL_KHUGEPAGED] ? r->nr_reclaimed_khugepaged : 0;
	e1 = EDGE(a, nr_reclaimed);
	e2 = EDGE(a, nr_reclaimed_khugepaged);
	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] - (kh ? e2[i] : 0);
	g = gt_add(a, m, "pgsteal_direct", r->nr_reclaimed - kh, r->reclaim_end, edge, false,
	       ANL_VM_PGSTEAL_DIRECT,
	       "nr_reclaimed of mm_vmscan_direct_reclaim_end is sc->nr_reclaimed, which also "
	       "holds slab pages freed during the reclaim (reclaim_state: shrink_node() on 6.1, "
	       "flush_reclaim_state() on 6.12) and memcg v1 soft-limit reclaim (shrink_zones()), "
	       "neither counted as pgsteal_direct (only shrink_inactive_list() / evict_folios() "
	       "count it); the LRU part alone is the nr_reclaimed of "
	       "mm_vmscan_lru_shrink_inactive, not recorded (on 6.1 MGLRU's evict_folios() "
	       "emits none)%s",
	       kh ? "; khugepaged's reclaim is counted as pgsteal_khugepaged and left out" : "");
	/*
	 * sc->nr_reclaimed holds the LRU pages PGSTEAL_DIRECT counts and more:
	 * an upper bound, unless node_reclaim() (vm.zone_reclaim_mode, off by
	 * default) reclaimed outside a direct reclaim
	 */
	if (g)
		g->trace_min = 0;
}

/* The kernel's major.minor: the trace's own release, else --kernel; false when neither parses. */
static bool kernel_version(const struct anl_ctx *a, int *major, int *minor)
{
	return !anl_kernel_version(a->kernel, major, minor) ||
	       !anl_kernel_version(a->opts.kernel, major, minor);
}

static bool kernel_at_least(const struct anl_ctx *a, int major, int minor)
{
	int x, y;

	return kernel_version(a, &x, &y) && (x > major || (x == major && y >= minor));
}

static bool kernel_at_most(const struct anl_ctx *a, int major, int minor)
{
	int x, y;

	return kernel_version(a, &x, &y) && (x < major || (x == major && y <= minor));
}

/*
 * allocstall.  do_try_to_free_pages() (mm/vmscan.c of 6.1.192 and
 * 6.12.117, read) counts ALLOCSTALL right after its retry: label, so once
 * per pass, and takes another pass (goto retry, priority reset) only when
 * a whole pass reclaimed nothing and did not stop for compaction: on 6.12
 * first always once with memcg_full_walk set (6be5e186fd65, 6.10; not in
 * 6.1), then if skipped_deactivate, then if memcg_low_skipped (which
 * clears force_deactivate, so skipped_deactivate can retry once more).
 * try_to_free_pages() emits mm_vmscan_direct_reclaim_end with the
 * function's result, 0 only when every pass reclaimed nothing: such an
 * entry counted at least twice from 6.10.  Passes per entry: 1..4 before
 * 6.10, 1..5 from it.
 */
static void gt_allocstall(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r)
{
	bool known = kernel_version(a, &(int){ 0 }, &(int){ 0 });
	bool full_walk = kernel_at_least(a, 6, 10);
	uint64_t max_passes = known && !full_walk ? 4 : 5;
	uint64_t lo = r->reclaim_passes + (full_walk ? r->reclaim_zero_single : 0);
	const uint64_t *e1 = EDGE(a, reclaim_passes), *e2 = EDGE(a, reclaim_zero_single);
	uint64_t edge[3];
	char how[320];
	struct anl_gt *g;

	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] + (full_walk ? e2[i] : 0);
	snprintf(how, sizeof(how), "%s%s", a->seen_lru_shrink_tp ?
		 "the restarts show as mm_vmscan_lru_shrink_* priority going back up (not a restart "
		 "that scans nothing); " : "the restarts show only in mm_vmscan_lru_shrink_* "
		 "priority, not recorded; ",
		 !known ? "the kernel is unknown (tell it with --kernel): trace = entries + restarts "
		 "seen, a lower bound, up to 5 passes per entry" :
		 full_walk ? "trace = entries + restarts seen + zero-reclaim entries without a "
		 "restart seen (their memcg_full_walk pass), a lower bound; at most 5 passes per entry" :
		 "trace = entries + restarts seen, a lower bound; at most 4 passes per entry");
	g = gt_add(a, m, "allocstall", lo, r->reclaim_begin, edge, false, ANL_VM_ALLOCSTALL,
		   "do_try_to_free_pages() counts ALLOCSTALL at every pass and passes again (goto "
		   "retry) after a pass that reclaimed nothing: from 6.10 always once more "
		   "(memcg_full_walk; not in 6.1), then if skipped_deactivate or memcg_low_skipped; "
		   "%" PRIu64 " of the %" PRIu64 " entries ended with nr_reclaimed=0 (every pass "
		   "reclaimed nothing); %s", r->reclaim_zero_ends, r->reclaim_end, how);
	if (!g)
		return;
	g->trace_max = r->reclaim_begin * max_passes > lo ? r->reclaim_begin * max_passes : lo;
	g->edge_max = (m->window_from_markers ? EDGE(a, reclaim_begin)[1] : 0) * max_passes;
}

static void build_groundtruth(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r)
{
	const struct anl_vmstat *vm = a->vm;
	const uint64_t *e1, *e2, *e3, *e4;
	struct anl_gt *g;
	char bulk_why[200];
	uint64_t edge[3];

	m->vmstat_known = vm[0].present && vm[1].present;
	if (!m->vmstat_known)
		return;
	m->vmstat_source = a->vm_from_files ? "files (--vmstat-before/--vmstat-after)" :
					      "trace markers";

	gt_allocstall(a, m, r);

	if (a->seen_compact_fn)
		gt_add(a, m, "compact_stall", r->compact_stall_fn, r->try_compact,
		       EDGE(a, compact_stall_fn), true, ANL_VM_COMPACT_STALL,
		       "trace = __alloc_pages_direct_compact() calls that called "
		       "get_page_from_freelist() (it returns before that only for COMPACT_SKIPPED, "
		       "which counts no COMPACTSTALL) plus pages captured by compaction; a "
		       "difference means function events are missing");
	else if (a->seen_deferred_tp && a->seen_suitable_tp) {
		/* 6.1.192: compact_zone() calls compaction_suitable(), which always emits the event */
		bool silent = !kernel_at_most(a, 6, 1);

		g = gt_add(a, m, "compact_stall", r->compact_stall_derived, r->try_compact,
			   EDGE(a, compact_stall_derived), !silent || !r->compact_try_unsure,
			   ANL_VM_COMPACT_STALL,
			   "__alloc_pages_direct_compact() counts COMPACTSTALL unless "
			   "try_to_compact_pages() returned COMPACT_SKIPPED (every zone skipped); trace "
			   "= tries with a deferred zone, an mm_compaction_begin, an "
			   "mm_compaction_suitable success/continue, or no zone event at all (6.12 "
			   "returns COMPACT_SUCCESS for a zone at its watermark without one); %" PRIu64
			   " tries saw skipped zones only, which 6.12 also counts when a silent success "
			   "followed them%s", r->compact_try_unsure, !silent ? " (not 6.1: every zone "
			   "emits mm_compaction_suitable there)" : "");
		if (g && silent)
			g->trace_max = r->compact_stall_derived + r->compact_try_unsure;
	} else {
		g = gt_add(a, m, "compact_stall", r->compact_stall_derived, r->try_compact,
		       EDGE(a, compact_stall_derived), false, ANL_VM_COMPACT_STALL,
		       "__alloc_pages_direct_compact() counts COMPACTSTALL unless "
		       "try_to_compact_pages() returned COMPACT_SKIPPED (every zone skipped); a "
		       "deferred zone, or one already at its watermark (COMPACT_SUCCESS), counts "
		       "without mm_compaction_begin and shows only in mm_compaction_deferred / "
		       "_suitable, %s: trace = tries with an mm_compaction_begin%s (lower bound), "
		       "entries = tries (upper bound)",
		       a->seen_deferred_tp ? "mm_compaction_suitable not recorded" :
		       a->seen_suitable_tp ? "mm_compaction_deferred not recorded" : "not recorded",
		       a->seen_deferred_tp ? " or a deferred zone" : "");
		if (g) {
			g->trace_max = r->try_compact;
			g->edge_max = m->window_from_markers ? EDGE(a, try_compact)[1] : 0;
		}
	}

	gt_add(a, m, "oom_kill", r->mark_victim, r->mark_victim, EDGE(a, mark_victim), false,
	       ANL_VM_OOM_KILL,
	       "mark_victim also fires when out_of_memory() picks current because it is already "
	       "exiting, or oom_kill_process() finds its victim exiting (task_will_free_mem()), "
	       "neither counted as OOM_KILL (__oom_kill_process())");

	/* pages of mm_page_alloc, less captured pages, plus pages freed on a failed charge */
	e1 = EDGE(a, page_alloc_pages);
	e2 = EDGE(a, captured_pages);
	e3 = EDGE(a, charge_failed_pages);
	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] - e2[i] + e3[i];
	e4 = EDGE(a, bulk_pages);
	snprintf(bulk_why, sizeof(bulk_why), "its returns (kretprobe) gave %" PRIu64 " pages in %"
		 PRIu64 " calls in the window and %" PRIu64 " at its edges: the kernel may count up "
		 "to that many more than the trace", r->bulk_pages, r->bulk_calls,
		 m->window_from_markers ? e4[1] : 0);
	g = gt_add(a, m, "pgalloc", r->page_alloc_pages - r->captured_pages + r->charge_failed_pages,
	       r->page_alloc_events, edge, false, ANL_VM_PGALLOC,
	       "pgalloc_* counts 1 << order where rmqueue_pcplist()/rmqueue_buddy() hand pages "
	       "out, and in the bulk allocator (alloc_pages_bulk*(): vmalloc, splice reads, "
	       "page_pool), which emits no mm_page_alloc; %s; trace = %" PRIu64 " pages of "
	       "mm_page_alloc - %" PRIu64 " captured by direct compaction (compaction_capture(): "
	       "mm_page_alloc, no pgalloc) + %" PRIu64 " freed on a failed memcg charge (pgalloc, "
	       "no page in mm_page_alloc)%s",
	       a->bulk_probed ? bulk_why : "its pages the trace cannot see (allocscope record "
	       "probes its return where kprobes exist)", r->page_alloc_pages, r->captured_pages,
	       r->charge_failed_pages,
	       a->seen_graph || a->seen_kprobe ? "" :
	       "; captures and failed charges show only with function events, not recorded");
	if (g && a->bulk_probed)
		g->unseen = r->bulk_pages + (m->window_from_markers ? e4[1] : 0);
	else if (g)
		g->trace_max = UINT64_MAX;	/* the bulk allocator's pages: none seen, no bound */

	gt_pgsteal_direct(a, m, r);

	/*
	 * The bounds hold for the window's events: with events lost, or no
	 * window markers (when the snapshots were read is unknown), the trace
	 * bounds nothing and keeps only its value.
	 */
	for (int i = 0; i < m->nr_gt; i++) {
		if (a->an.lost_markers || a->an.ring_overrun || a->an.ring_dropped ||
		    !m->window_from_markers) {
			m->gt[i].trace_min = m->gt[i].trace_max = m->gt[i].trace;
			m->gt[i].edge_max = m->gt[i].edge;
		}
		gt_explain(a, m, i);
	}
}

int anl_finish(struct anl_ctx *a, const struct anl_model **out)
{
	struct anl_model *m = &a->model;
	int est, scope;
	size_t n = 0;

	if (a->finished) {
		*out = m;
		return 0;
	}
	if (a->opts.kernel) {
		int x, y, tx, ty;

		if (anl_kernel_version(a->opts.kernel, &x, &y))
			return -ANL_EINVAL;
		/* Debian's uname says 6.1.0-56 for 6.1.192: only major.minor can contradict */
		if (!anl_kernel_version(a->kernel, &tx, &ty) && (tx != x || ty != y))
			return -ANL_EKERNEL;
	}
	/* what is still open is cut at the last event */
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];

		if (!t)
			continue;
		a->cur_recorder = !a->opts.include_recorder && is_recorder(a, t);
		while (t->depth) {
			a->an.open_at_end++;
			frame_pop(a, t, ANL_REC_OPEN_AT_END, a->last_ts, PRS_NO_VALUE, -1);
		}
	}
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];

		if (t && t->ev.pending) {
			a->cur_recorder = !a->opts.include_recorder && is_recorder(a, t);
			ev_open_at_end(a, t);
		}
	}
	a->cur_recorder = false;
	for (int i = 0; i < a->nr_cpus; i++)
		if (a->cpus[i].kswapd_running)
			busy_add(a, a->cpus[i].since, a->last_ts, true, i);
	for (int nid = 0; nid < ANL_MAX_NODES; nid++)
		if (a->node_awake[nid])
			busy_add(a, a->node_since[nid], a->last_ts, false, nid);
	if (a->win_state == 1)
		a->win_end = a->last_ts;
	a->finished = true;

	if (a->opts.mode != ANL_MODE_AUTO)
		m->mode = a->opts.mode;
	else if (a->seen_graph)
		m->mode = a->seen_retval ? ANL_MODE_GRAPH_RETVAL : ANL_MODE_GRAPH;
	else if (a->seen_kprobe)
		m->mode = ANL_MODE_RETPROBE;
	else
		m->mode = ANL_MODE_EVENTS;
	m->mode_forced = a->opts.mode != ANL_MODE_AUTO;
	m->modes_supported = (a->has_graph ? 1u << ANL_MODE_GRAPH : 0) |
			     (a->has_retval ? 1u << ANL_MODE_GRAPH_RETVAL : 0) |
			     (a->has_kprobe ? 1u << ANL_MODE_RETPROBE : 0) |
			     (a->seen_page_alloc_tp ? 1u << ANL_MODE_EVENTS : 0);
	if (m->mode == ANL_MODE_EVENTS) {
		static const char no_fn[] = "tracepoints only: no function events";

		m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS] = no_fn;
		m->stage_absent[ANL_STAGE_MIN_WATERMARK] = no_fn;
		m->stage_absent[ANL_STAGE_RETRY_LOOP] = no_fn;
		m->stage_absent[ANL_STAGE_AFTER_RECLAIM] = no_fn;
	} else if (!a->wake_fn_seen && !(a->wake_fn_listed && m->mode != ANL_MODE_RETPROBE)) {
		/* graph: not traced, or no slow path called it (gfp without __GFP_KSWAPD_RECLAIM) */
		m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS] = m->mode == ANL_MODE_RETPROBE ?
			"not probed in retprobe mode" : "no call in the trace: not traced, or never called";
	}
	est = m->mode == ANL_MODE_EVENTS ? EST : EXACT;
	scope = a->win_state && !a->opts.no_window ? WIN : ALL;
	m->window_from_markers = scope == WIN;
	m->window_source = scope != WIN ? "whole trace" :
			   a->win_state == 1 ? window_unclosed(a->win_source) : a->win_source;
	m->first_ts = a->seen_any ? a->first_ts : 0;
	m->last_ts = a->last_ts;
	m->window_ns = scope == WIN ? a->win_end - a->win_begin :
		       (a->seen_any ? a->last_ts - a->first_ts : 0);

	m->scope = a->tot[est][scope];
	memcpy(m->scope.by_gfp, a->tot[est][scope].by_gfp, sizeof(m->scope.by_gfp));
	for (int i = 0; i < a->tot[EXACT][ALL].nr_gfp; i++)
		memcpy(m->scope.by_gfp[i].name, a->tot[EXACT][ALL].by_gfp[i].name,
		       sizeof(m->scope.by_gfp[i].name));
	snprintf(m->scope.by_gfp[ANL_GFP_CLASSES - 2].name, sizeof(m->scope.by_gfp[0].name),
		 "%s", m->scope.by_gfp[ANL_GFP_CLASSES - 2].allocations ? "other" : "");
	m->scope.nr_gfp = a->tot[EXACT][ALL].nr_gfp;
	{
		const struct anl_totals *r = &a->raw[scope];
		struct anl_totals *t = &m->scope;

		t->page_alloc_events = r->page_alloc_events;
		t->page_alloc_pages = r->page_alloc_pages;
		t->page_alloc_failed = r->page_alloc_failed;
		t->captured = r->captured;
		t->captured_pages = r->captured_pages;
		t->charge_failed_pages = r->charge_failed_pages;
		t->reclaim_begin = r->reclaim_begin;
		t->reclaim_end = r->reclaim_end;
		t->reclaim_zero_ends = r->reclaim_zero_ends;
		t->nr_reclaimed_khugepaged = r->nr_reclaimed_khugepaged;
		t->lru_inactive = r->lru_inactive;
		t->lru_reclaimed = r->lru_reclaimed;
		t->lru_reclaimed_khugepaged = r->lru_reclaimed_khugepaged;
		t->lru_outside = r->lru_outside;
		t->lru_reclaimed_outside = r->lru_reclaimed_outside;
		t->lru_memcg = r->lru_memcg;
		t->lru_reclaimed_memcg = r->lru_reclaimed_memcg;
		t->try_compact = r->try_compact;
		/* the kernel's notion, as the ground truth compares it */
		t->compact_stall_derived = a->seen_compact_fn ? r->compact_stall_fn :
					   r->compact_stall_derived;
		t->compact_try_unsure = r->compact_try_unsure;
		t->compact_stall_fn = r->compact_stall_fn;
		t->compact_begin_direct = r->compact_begin_direct;
		t->compact_begin_other = r->compact_begin_other;
		t->compact_deferred = r->compact_deferred;
		t->wakeup_kswapd = r->wakeup_kswapd;
		t->wakeup_kswapd_slow = r->wakeup_kswapd_slow;
		t->mark_victim = r->mark_victim;
		t->kswapd_run_ns = r->kswapd_run_ns;
		t->kswapd_awake_ns = r->kswapd_awake_ns;
		t->oom_calls = a->tot[est][scope].stage[ANL_STAGE_OOM].count;
		t->begin_ts = scope == WIN ? a->win_begin : m->first_ts;
		t->end_ts = scope == WIN ? a->win_end : m->last_ts;
		build_groundtruth(a, m, r);
		/* the KPIs' direct reclaims leave the recorder's out; the ground truth keeps them */
		m->recorder = a->rec[est][scope];
		/* by the final rule: a task named like a recorder before the markers came is not one */
		for (size_t i = 0; i < a->task_cap; i++)
			if (a->task_slots[i] && a->task_slots[i]->recorder_seen &&
			    is_recorder(a, a->task_slots[i]))
				m->recorder.tasks++;
		m->recorder.included = a->opts.include_recorder;
		if (a->seen_recorder_marker)
			snprintf(a->rec_rule, sizeof(a->rec_rule), "allocscope: recorder-pid markers");
		else
			snprintf(a->rec_rule, sizeof(a->rec_rule), "comm %s, no recorder-pid marker",
				 a->rec_comm);
		m->recorder.rule = m->recorder.tasks ? a->rec_rule : NULL;
		if (!a->opts.include_recorder) {
			t->reclaim_begin -= m->recorder.reclaims;
			t->reclaim_end -= a->rec_reclaim_end[scope];
			/* the KPI's LRU pages; the ground truth compared them all, as the kernel counts */
			t->lru_reclaimed -= a->rec_lru_reclaimed[scope];
		}
	}
	m->anomalies = a->an;
	m->slow_path_exact = est == EXACT && !a->an.lost_markers && !a->an.incomplete &&
			     !a->an.ring_overrun && !a->an.ring_dropped;
	m->kernel = a->kernel ? a->kernel : a->opts.kernel;
	m->kernel_given = !a->kernel && a->opts.kernel;

	if (a->seen_kswapd_switch) {
		m->kswapd_known = true;
		m->kswapd_source = "sched_switch run time";
		m->kswapd_cpu_percent = m->window_ns ?
			100.0 * (double)m->scope.kswapd_run_ns / (double)m->window_ns : 0;
	} else if (a->seen_switch && !a->seen_kswapd_wake) {
		/* scheduling was traced and kswapd never ran: 0, not unknown */
		m->kswapd_known = true;
		m->kswapd_source = "sched_switch run time (kswapd never ran)";
		m->kswapd_cpu_percent = 0;
	} else if (a->seen_kswapd_wake) {
		m->kswapd_known = true;
		m->kswapd_source = "kswapd_wake..kswapd_sleep awake time (upper bound, no sched_switch)";
		m->kswapd_cpu_percent = m->window_ns ?
			100.0 * (double)m->scope.kswapd_awake_ns / (double)m->window_ns : 0;
	}
	if (a->kswapd_ticks_known[0] && a->kswapd_ticks_known[1] && m->window_ns &&
	    a->kswapd_ticks[1] >= a->kswapd_ticks[0]) {
		uint64_t hz = a->clk_tck ? a->clk_tck : 100;

		m->kswapd_stat_known = true;
		m->kswapd_stat_percent = 100.0 * (double)(a->kswapd_ticks[1] - a->kswapd_ticks[0]) /
					 (double)hz / ((double)m->window_ns / 1e9);
	}

	a->sums = calloc(a->nr_tasks ? a->nr_tasks : 1, sizeof(*a->sums));
	if (!a->sums)
		return -ANL_ENOMEM;
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];
		struct anl_task_sum *s;

		if (!t || !t->sum[est][scope].allocations)
			continue;
		s = &a->sums[n++];
		*s = t->sum[est][scope];
		s->pid = t->pid;
		s->tgid = t->tgid;
		snprintf(s->comm, sizeof(s->comm), "%s", t->comm);
	}
	qsort(a->sums, n, sizeof(*a->sums), sum_cmp);
	m->tasks = a->sums;
	m->nr_tasks = n;
	*out = m;
	return 0;
}

const char *anl_trace_kernel(const struct anl_ctx *a)
{
	return a->kernel;
}

void anl_free(struct anl_ctx *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->task_cap; i++) {
		if (a->task_slots[i]) {
			free(a->task_slots[i]->stack);
			free(a->task_slots[i]);
		}
	}
	free(a->task_slots);
	free(a->fn);
	free(a->cpus);
	free(a->cpu_ts);
	free(a->kernel);
	free(a->sums);
	free(a);
}
