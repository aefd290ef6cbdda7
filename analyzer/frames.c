// SPDX-License-Identifier: GPL-2.0-only
/*
 * The exact estimator: each task's stack of open allocations, rebuilt from
 * function events (function_graph entry/exit, or kprobe + kretprobes).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

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

/* ---- exact estimator: allocation frames --------------------------------- */


static void frame_finish(struct anl_ctx *a, struct anl_task *t, struct anl_frame *f,
			 uint64_t end_ts, uint64_t duration, int32_t cpu)
{
	struct anl_alloc *r = &f->rec;
	uint64_t in_stages = 0;
	bool slow;

	r->end_ts = end_ts;
	if (duration != PRS_NO_VALUE && (r->flags & ANL_REC_PARTIAL) && end_ts >= duration &&
	    end_ts - duration < r->start_ts)
		r->start_ts = end_ts - duration;	/* its entry, before the trace's first line */
	if (duration != PRS_NO_VALUE)
		r->latency_ns = duration;
	else if (end_ts >= r->start_ts && !(r->flags & ANL_REC_OPEN_AT_END))
		r->latency_ns = end_ts - r->start_ts;
	else
		r->latency_ns = PRS_NO_VALUE;
	if ((r->flags & ANL_REC_PARTIAL) && r->latency_ns != PRS_NO_VALUE) {
		uint64_t seen = 0;

		/* begun before the trace: at least what its stages show (no timestamps, a clock step) */
		for (int s = ANL_STAGE_FIRST; s <= ANL_STAGE_LAST; s++)
			seen += r->stage_ns[s];
		if (seen > r->latency_ns)
			r->latency_ns = seen;
	}
	/* a nolock allocation has no slow path: its one attempt fails or not (freelist.c too) */
	slow = !f->nolock && (f->first_gpfl == GPFL_NULL || r->gpfl_calls >= 2 || f->slow_helper);
	if (r->flags & ANL_REC_NOLOCK)
		slow = false;
	/*
	 * freelist mode with a return probe: the allocation opens when its fast
	 * path's attempt returns, so a fast one's time is not in the trace
	 */
	if (f->fl_at_return && !slow && !f->page_alloc_failed)
		r->latency_ns = PRS_NO_VALUE;
	/*
	 * A failure is known only from a NULL return value, or from an
	 * mm_page_alloc without a page: mm/page_alloc.c calls
	 * trace_mm_page_alloc() at the end of __alloc_pages_noprof()
	 * (__alloc_frozen_pages_noprof() from 6.14), after the slow path,
	 * whatever page is, NULL included (5.10 .. 7.1). A slow allocation
	 * whose mm_page_alloc is missing (not recorded, or lost) is slow with
	 * an unknown outcome, never a failure.
	 */
	if (f->retval_known && f->retval_null)
		r->outcome = ANL_FAILED;
	else if (!f->retval_known && f->page_alloc_failed)
		r->outcome = ANL_FAILED;
	else
		r->outcome = slow ? ANL_SLOW : ANL_FAST;
	if (r->outcome == ANL_SLOW && !f->retval_known && !f->saw_page_alloc &&
	    !(r->flags & (ANL_REC_OPEN_AT_END | ANL_REC_INCOMPLETE | ANL_REC_UNMATCHED)))
		a->an.outcome_unknown++;
	/* a call never closed (its return missed, or the trace's end): no slow path (anl_account_record) */
	if (r->outcome != ANL_FAST && (r->flags & (ANL_REC_OPEN_AT_END | ANL_REC_UNMATCHED)))
		a->an.unclosed_slow++;
	if (r->outcome == ANL_FAILED && !f->nolock)
		slow = true;
	if (slow && r->latency_ns != PRS_NO_VALUE) {
		for (int s = ANL_STAGE_FIRST; s <= ANL_STAGE_LAST; s++)
			in_stages += r->stage_ns[s];
		r->stage_ns[ANL_STAGE_OTHER] = r->latency_ns > in_stages ? r->latency_ns - in_stages : 0;
		r->stage_count[ANL_STAGE_OTHER] = 1;
	}
	if (cpu >= 0 && f->start_cpu >= 0 && cpu != f->start_cpu)
		a->an.migrations++;
	anl_stage_masks(a, r, f->freelist ? ANL_MODE_FREELIST : f->graph ? ANL_MODE_GRAPH :
			ANL_MODE_RETPROBE);
	r->comm = t->comm;
	anl_account_record(a, EXACT, t, r, f->win);
}

void anl_frame_pop(struct anl_ctx *a, struct anl_task *t, unsigned int flags,
		      uint64_t end_ts, uint64_t duration, int32_t cpu)
{
	struct anl_frame *f = &t->stack[t->depth - 1];

	f->rec.flags |= flags;
	if (flags & ANL_REC_UNMATCHED)
		a->an.unmatched_entry++;
	if (f->freelist && (flags & (ANL_REC_UNMATCHED | ANL_REC_OPEN_AT_END)))
		anl_freelist_unclosed(a, f);
	frame_finish(a, t, f, end_ts, duration, cpu);
	t->depth--;
}

static bool any_stage_open(const struct anl_frame *f)
{
	for (int s = 0; s < ANL_STAGE__COUNT; s++)
		if (f->stage_open[s])
			return true;
	return f->tp_reclaim_open || f->tp_compact_open;
}

void anl_tp_compact_close(struct anl_ctx *a, struct anl_frame *f)
{
	uint64_t ns;

	if (!f->tp_compact_open)
		return;
	f->tp_compact_open = false;
	ns = f->tp_compact_last - f->tp_compact_start;
	if (!anl_reports_est(a))
		anl_span_emit(a, ANL_SPAN_COMPACTION, f->tp_compact_start, f->tp_compact_last, f->rec.pid,
			  -1, f->win, !(f->rec.flags & ANL_REC_INCOMPLETE));
	f->rec.stage_count[ANL_STAGE_COMPACTION]++;
	f->rec.stage_ns[ANL_STAGE_COMPACTION] += ns;
	anl_stage_occ(a, EXACT, ANL_STAGE_COMPACTION, ns, !(f->rec.flags & ANL_REC_INCOMPLETE), f->win);
}

int anl_frame_push(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
		   uint64_t gfp, int32_t order, bool nolock)
{
	struct anl_frame *f = top(t);
	int depth = ev->kind == PRS_EV_FUNC_ENTRY ? ev->u.fn.depth : -1;

	/* function_graph: frames at this depth or deeper lost their return */
	while (f && depth >= 0 && f->fdepth >= depth) {
		anl_frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
		f = top(t);
	}
	/*
	 * The thin wrapper and the function doing the work (6.15+:
	 * alloc_pages -> __alloc_frozen_pages_noprof) are one allocation: a
	 * different alloc entry directly under one that did nothing yet.
	 * A real nested allocation only comes from inside a stage or after
	 * the fast path ran.  A nolock allocation is never part of an
	 * ordinary one (a tracepoint or BPF program can run it anywhere in
	 * one), only of its own wrapper (alloc_pages_nolock_noprof ->
	 * alloc_frozen_pages_nolock_noprof, 6.18+).
	 */
	if (f && !f->did_something && f->func != ev->u.fn.func && !any_stage_open(f) &&
	    ev->u.fn.alloc_flags == PRS_NO_VALUE && f->nolock == nolock) {
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
		anl_frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
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
	f->rec.id = anl_row_id(a, t, EXACT);
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
	f->nolock = nolock;
	if (nolock)
		f->rec.flags |= ANL_REC_NOLOCK;
	t->depth++;
	t->framed = true;
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
		anl_frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
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
	anl_tp_compact_close(a, f);
	if (f->rec.flags & ANL_REC_PARTIAL)
		a->an.exit_without_entry++;	/* the trace began inside it */
	anl_frame_pop(a, t, 0, ev->ts, ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.duration : PRS_NO_VALUE,
		  ev->cpu);
}

/*
 * An excerpt that begins inside an allocation: a get_page_from_freelist()
 * or slow-path helper of a task with nothing open yet, at function_graph depth
 * > 0 (or a kretprobe whose caller is the allocator), is inside one whose
 * entry is not in the trace.  It is an allocation all the same: opened here
 * (ANL_REC_PARTIAL), its stages counted as they are seen, its latency the
 * exit's duration when function_graph prints it, and counted as an
 * anomaly (exit_without_entry when its exit comes, open_at_end if not).
 */
static struct anl_frame *partial_open(struct anl_ctx *a, struct anl_task *t,
				      const struct prs_event *ev)
{
	bool graph = ev->kind == PRS_EV_FUNC_ENTRY || ev->kind == PRS_EV_FUNC_EXIT;
	enum anl_role role = fn_role(a, ev->u.fn.func);
	/*
	 * At the excerpt's top (depth 0) only a helper that nothing but the
	 * allocator calls: __alloc_pages_direct_compact/_reclaim, try_to_free_pages,
	 * __alloc_pages_slowpath, __alloc_pages_may_oom (not out_of_memory(), which
	 * page faults and memcg call too, nor get_page_from_freelist(), which
	 * the bulk allocator calls)
	 */
	bool top_ok = graph && (role == ROLE_COMPACT || role == ROLE_RECLAIM ||
				role == ROLE_SLOWPATH ||
				(role == ROLE_OOM && ev->u.fn.func &&
				 !strncmp(ev->u.fn.func, "__alloc_pages_may_oom", 21)));
	struct anl_frame *f;

	/* only before the task's first allocation and any loss: else an orphan is a loss's */
	if (t->depth || t->framed || a->an.lost_markers || (graph ? ev->u.fn.depth <= 0 && !top_ok :
			 ev->kind != PRS_EV_KRETPROBE || !ev->u.fn.caller ||
			 fn_role(a, ev->u.fn.caller) != ROLE_ALLOC))
		return NULL;
	if (anl_frame_push(a, t, ev, PRS_NO_VALUE, -1, false) < 0 || !t->depth)
		return NULL;
	f = top(t);
	f->func = NULL;		/* not known: any alloc exit closes it */
	f->fdepth = -1;
	f->graph = graph;
	f->did_something = true;
	f->rec.flags |= ANL_REC_PARTIAL;
	return f;
}

static void gpfl_return(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			int result)
{
	struct anl_frame *f = top(t);
	uint64_t dur = ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.duration : PRS_NO_VALUE;

	if (!f && !(f = partial_open(a, t, ev))) {
		a->an.orphan_calls++;
		return;
	}
	if (f->stage_open[ANL_STAGE_DIRECT_RECLAIM] || f->tp_reclaim_open) {
		/* not from the allocator itself: e.g. __alloc_pages_bulk inside reclaim */
		a->an.bulk_gpfl++;
		return;
	}
	anl_frame_gpfl(a, f, result, dur, false);
}

void anl_frame_gpfl(struct anl_ctx *a, struct anl_frame *f, int result, uint64_t dur, bool in_stage)
{
	enum anl_stage st;
	bool in_tp_compact;

	in_tp_compact = f->tp_compact_open;
	anl_tp_compact_close(a, f);
	f->did_something = true;
	f->last_src = result;
	f->compact_since_gpfl = false;
	if (f->stage_open[ANL_STAGE_COMPACTION])
		f->compact_gpfl = true;
	f->rec.gpfl_calls++;
	if (result == GPFL_NULL)
		f->rec.gpfl_failed++;
	if (f->rec.gpfl_calls == 1 || f->nolock) {
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
	if (f->stage_open[ANL_STAGE_COMPACTION] || f->stage_open[ANL_STAGE_OOM] || in_tp_compact ||
	    in_stage)
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
	anl_stage_occ(a, EXACT, st, dur == PRS_NO_VALUE ? 0 : dur,
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

/*
 * The allocation a slow-path helper's entry or exit belongs to, marked slow:
 * the open one, or one the excerpt began inside; NULL (an orphan, counted).
 */
static struct anl_frame *helper_frame(struct anl_ctx *a, struct anl_task *t,
				      const struct prs_event *ev)
{
	struct anl_frame *f = top(t);

	if (!f && !(f = partial_open(a, t, ev))) {
		a->an.orphan_calls++;
		return NULL;
	}
	f->did_something = true;
	f->slow_helper = true;
	return f;
}

static void stage_enter(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			enum anl_role role)
{
	struct anl_frame *f = helper_frame(a, t, ev);
	enum anl_stage st = role_stage(role);

	if (!f)
		return;
	if (st == ANL_STAGE__COUNT)
		return;		/* __alloc_pages_slowpath: slow, no stage of its own */
	f->after_reclaim_left = 0;	/* the slow path moved on */
	if (st == ANL_STAGE_DIRECT_RECLAIM && !f->stage_open[st])
		f->reclaim_end_seen = false;
	anl_tp_compact_close(a, f);
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
	struct anl_frame *f = helper_frame(a, t, ev);
	enum anl_stage st = role_stage(role);
	uint64_t dur = ev->kind == PRS_EV_FUNC_EXIT ? ev->u.fn.duration : PRS_NO_VALUE;
	bool leaf, count = true;

	if (!f)
		return;
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
	    dur != PRS_NO_VALUE && !anl_reports_est(a))
		anl_span_emit(a, st == ANL_STAGE_COMPACTION ? ANL_SPAN_COMPACTION : ANL_SPAN_DIRECT_RECLAIM,
			  f->stage_start[st], f->stage_start[st] + dur, t->pid, -1, f->win,
			  !(f->rec.flags & ANL_REC_INCOMPLETE));
	f->rec.stage_count[st]++;
	if (dur != PRS_NO_VALUE)
		f->rec.stage_ns[st] += dur;
	anl_stage_occ(a, EXACT, st, dur == PRS_NO_VALUE ? 0 : dur,
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

static bool mode_takes_freelist(const struct anl_ctx *a)
{
	return a->opts.mode == ANL_MODE_AUTO || a->opts.mode == ANL_MODE_FREELIST;
}

/*
 * A probe on get_page_from_freelist() that carries alloc_flags is the
 * freelist mode's (record -m freelist, and -m cross beside the others),
 * whatever its event name: entry or return, it is no return of the
 * retprobe mode's.
 */
static bool is_freelist_event(enum anl_role role, const struct prs_event *ev)
{
	return role == ROLE_GPFL && ev->u.fn.alloc_flags != PRS_NO_VALUE &&
	       (ev->kind == PRS_EV_KPROBE || ev->kind == PRS_EV_KRETPROBE);
}

int anl_fn_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
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
	/*
	 * An excerpt's "}" at depth 0 whose "{" was cut off names no function
	 * (no funcgraph-tail): under set_graph_function it is the allocator's,
	 * and closes the partial allocation opened by what ran inside it.
	 */
	if (role == ROLE_NONE && !ev->u.fn.func && ev->kind == PRS_EV_FUNC_EXIT &&
	    ev->u.fn.depth == 0 && t->depth == 1 && (t->stack[0].rec.flags & ANL_REC_PARTIAL))
		role = ROLE_ALLOC;
	if (role == ROLE_COMPACT_WORK) {
		struct anl_frame *f = top(t);

		/* the open __alloc_pages_direct_compact() compacted (order > 0) */
		if (f && f->stage_open[ANL_STAGE_COMPACTION] && mode_takes_graph(a))
			f->compact_tp_inside = true;
		return 0;
	}
	if (role == ROLE_NONE)
		return 0;
	if (is_freelist_event(role, ev)) {
		a->has_freelist = true;
		if (!mode_takes_freelist(a))
			return 0;
		if (a->opts.mode == ANL_MODE_AUTO && (a->seen_graph || a->seen_kprobe)) {
			a->an.other_mode++;
			return 0;
		}
		a->seen_freelist = true;
		return anl_freelist_event(a, t, ev);
	}
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
	 * Auto mode on a capture with function_graph, kprobe and freelist
	 * events (record -m cross, or any tool's): the first kind seen is read,
	 * the others counted (-m graph, -m retprobe or -m freelist chooses).
	 */
	if (a->opts.mode == ANL_MODE_AUTO && (a->seen_freelist || (graph ? a->seen_kprobe : a->seen_graph))) {
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
	if (role == ROLE_RECLAIM)
		a->reclaim_fn_seen = true;

	switch (role) {
	case ROLE_NOLOCK:
		/* its arguments differ by version (6.15: nid, order): order and gfp from mm_page_alloc */
		if (!entry)
			alloc_exit(a, t, ev);
		else
			return anl_frame_push(a, t, ev, PRS_NO_VALUE, -1, true);
		return 0;
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
			return anl_frame_push(a, t, ev, gfp,
					      order == PRS_NO_VALUE ? -1 : (int32_t)order, false);
		}
		return anl_frame_push(a, t, ev, PRS_NO_VALUE, -1, false);
	case ROLE_GPFL:
		if (entry)
			return 0;	/* judged at its return */
		/*
		 * From the bulk allocator, or from a nolock allocation whose
		 * own probes were not recorded (it may run inside an
		 * allocation in progress): not the open allocation's attempt
		 */
		if (ev->kind == PRS_EV_KRETPROBE && ev->u.fn.caller &&
		    (fn_role(a, ev->u.fn.caller) == ROLE_BULK ||
		     (fn_role(a, ev->u.fn.caller) == ROLE_NOLOCK && !(top(t) && top(t)->nolock)))) {
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
