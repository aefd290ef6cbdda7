// SPDX-License-Identifier: GPL-2.0-only
/*
 * The freelist mode: allocations rebuilt from one probe on
 * get_page_from_freelist() that carries its alloc_flags, closed by their
 * task's mm_page_alloc.
 *
 * The kernel, 5.10 to 7.1 (mm/page_alloc.c, mm/internal.h; docs/freelist.md
 * has the lines per version): __alloc_pages*() makes its first attempt with
 * ALLOC_WMARK_LOW (1), plus ALLOC_NOFRAGMENT/ALLOC_CMA/ALLOC_KSWAPD bits, and
 * nothing else passes LOW; __alloc_pages_slowpath() passes
 * gfp_to_alloc_flags(): ALLOC_WMARK_MIN (0) with others, or
 * ALLOC_NO_WATERMARKS (4) with reserves; __alloc_pages_may_oom() passes
 * ALLOC_WMARK_HIGH (2) | ALLOC_CPUSET, and for __GFP_NOFAIL
 * __alloc_pages_cpuset_fallback() then ALLOC_NO_WATERMARKS;
 * alloc_pages_nolock() (6.15+: try_alloc_pages, then alloc_pages_nolock and
 * alloc_frozen_pages_nolock) one attempt with ALLOC_TRYLOCK (0x400), MIN.
 * trace_mm_page_alloc() ends every one of them, a NULL page included.
 * ALLOC_WMARK_MASK is 3 and the highest flag ALLOC_KSWAPD (0x800): a value
 * with bits above 0xfff or watermark bits 3 (WMARK_PROMO, never passed) is
 * no alloc_flags of these kernels.
 *
 * Per task, a stack of open allocations (the exact estimator's frames): a
 * LOW attempt opens one (allocations nest: reclaim allocates, an interrupt
 * allocates on the task it interrupted), any other attempt is a slow-path
 * step of the one on top, mm_page_alloc closes the one on top.  A TRYLOCK
 * attempt opens an allocation of its own that never makes the one it
 * interrupts slow (it may run from a tracepoint or BPF program inside it).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analyzer-local.h"

#define FL_WMARK_MASK	0x3u	/* ALLOC_WMARK_MASK */
#define FL_WMARK_LOW	0x1u
#define FL_WMARK_HIGH	0x2u
#define FL_NO_WMARKS	0x4u	/* ALLOC_NO_WATERMARKS */
#define FL_TRYLOCK	0x400u	/* ALLOC_TRYLOCK, 6.15+ */
#define FL_KNOWN	0xfffu	/* every ALLOC_* bit, 5.10 .. 7.1 */

bool anl_freelist_reading(const struct anl_ctx *a)
{
	return a->opts.mode == ANL_MODE_FREELIST || (a->opts.mode == ANL_MODE_AUTO && a->seen_freelist);
}

/* Per scope: a frame not closed by its mm_page_alloc inside the scope it was opened in. */
void anl_freelist_unclosed(struct anl_ctx *a, const struct anl_frame *f)
{
	if (!f->fl_opened)
		return;
	a->raw[ALL].fl_open_after++;
	if (f->win)
		a->raw[WIN].fl_open_after++;
}

static int attempt_result(const struct prs_event *ev)
{
	if (ev->kind != PRS_EV_KRETPROBE || ev->u.fn.retval == PRS_NO_VALUE)
		return GPFL_UNKNOWN;
	return ev->u.fn.retval == 0 ? GPFL_NULL : GPFL_PAGE;
}

/*
 * An entry probe gives no result: the kernel makes another attempt (or
 * compacts) only after a NULL, so the previous attempt of @f failed.
 */
static void earlier_failed(struct anl_frame *f)
{
	if (f->last_src != GPFL_UNKNOWN || !f->rec.gpfl_calls)
		return;
	f->rec.gpfl_failed++;
	f->last_src = GPFL_NULL;
	if (f->rec.gpfl_calls == 1)
		f->first_gpfl = GPFL_NULL;
}

/* A LOW or TRYLOCK attempt: a new allocation on @t's stack. */
static int open_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
		      int result, bool nolock)
{
	struct anl_frame *f;
	int r = anl_frame_push(a, t, ev, PRS_NO_VALUE, -1, false);

	if (r < 0)
		return r;
	f = top(t);
	f->freelist = true;
	f->fl_opened = true;
	f->fl_at_return = ev->kind == PRS_EV_KRETPROBE;
	if (nolock)
		f->rec.flags |= ANL_REC_NOLOCK;
	anl_frame_gpfl(a, f, result, PRS_NO_VALUE, false);
	return 0;
}

int anl_freelist_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	uint64_t fl = ev->u.fn.alloc_flags;
	int result = attempt_result(ev);
	struct anl_frame *f;

	if (ev->kind == PRS_EV_KRETPROBE)
		a->fl_returns = true;
	if (fl > FL_KNOWN || (fl & FL_WMARK_MASK) == FL_WMARK_MASK) {
		/* no kernel's alloc_flags: the probe reads something else */
		if (!a->an.fl_bad_flags++)
			a->an.fl_first_bad = fl;
		return 0;
	}
	if (fl & FL_TRYLOCK) {
		RAW_INC(a, fl_trylock, 1);
		return open_alloc(a, t, ev, result, true);
	}
	if (!(fl & FL_NO_WMARKS) && (fl & FL_WMARK_MASK) == FL_WMARK_LOW) {
		RAW_INC(a, fl_low, 1);
		return open_alloc(a, t, ev, result, false);
	}
	RAW_INC(a, fl_slow, 1);
	f = top(t);
	/* a nolock allocation has no slow path: its mm_page_alloc was not seen */
	while (f && (f->rec.flags & ANL_REC_NOLOCK)) {
		anl_frame_pop(a, t, ANL_REC_UNMATCHED, ev->ts, PRS_NO_VALUE, ev->cpu);
		f = top(t);
	}
	if (!f) {
		/*
		 * The trace began inside this allocation's slow path (before the
		 * task's first allocation and any loss): opened here, partial;
		 * else its LOW attempt went unseen.
		 */
		if (t->framed || a->an.lost_markers) {
			a->an.fl_orphan_attempts++;
			return 0;
		}
		if (anl_frame_push(a, t, ev, PRS_NO_VALUE, -1, false) < 0)
			return -ANL_ENOMEM;
		f = top(t);
		f->freelist = true;
		f->rec.flags |= ANL_REC_PARTIAL;
		f->slow_helper = true;
	}
	if (ev->kind == PRS_EV_KPROBE)
		earlier_failed(f);
	f->did_something = true;
	f->slow_helper = true;
	if ((fl & FL_WMARK_MASK) == FL_WMARK_HIGH && !(fl & FL_NO_WMARKS)) {
		/*
		 * __alloc_pages_may_oom() took oom_lock and tries the high
		 * watermark before out_of_memory(): the OOM stage (a count;
		 * mark_victim inside it is the same stage)
		 */
		f->fl_oom = true;
		f->after_reclaim_left = 0;
		f->rec.stage_count[ANL_STAGE_OOM]++;
		anl_stage_occ(a, EXACT, ANL_STAGE_OOM, 0, false, f->win);
		anl_frame_gpfl(a, f, result, PRS_NO_VALUE, true);
		return 0;
	}
	if ((fl & FL_NO_WMARKS) && f->fl_oom) {
		/* __alloc_pages_cpuset_fallback() of a __GFP_NOFAIL allocation after the OOM kill */
		anl_frame_gpfl(a, f, result, PRS_NO_VALUE, true);
		return 0;
	}
	f->fl_oom = false;
	anl_frame_gpfl(a, f, result, PRS_NO_VALUE, false);
	return 0;
}

/*
 * Before mm_page_alloc's page-source accounting (tracepoints.c): with
 * entry probes the last attempt's result is not in the trace.  A failure
 * after a single attempt and no slow-path event is a page the memcg charge
 * gave back (__alloc_pages(): a NULL fast path always goes on to the slow
 * path's attempts); a direct compaction after the last attempt means it
 * failed (captured page).
 */
void anl_freelist_settle(struct anl_ctx *a, struct anl_frame *f, bool failed)
{
	(void)a;
	if (!f->freelist || f->last_src != GPFL_UNKNOWN)
		return;
	if (f->compact_since_gpfl && f->rec.gpfl_calls)
		earlier_failed(f);
	else if (failed && f->rec.gpfl_calls == 1 && !f->slow_helper && f->fl_opened)
		f->last_src = GPFL_PAGE;
}

/* mm_page_alloc: the end of the allocation on top of the task's stack. */
void anl_freelist_page_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	struct anl_frame *f = top(t);

	if (!anl_freelist_reading(a))
		return;
	if (!f) {
		/*
		 * Its LOW attempt came before the trace (the task's first
		 * allocation, no loss before it): an allocation the trace began
		 * inside, counted with the closes of allocations opened before the
		 * scope; else an attempt not seen as LOW.
		 */
		if (t->framed || a->an.lost_markers) {
			a->an.fl_orphan_page_alloc++;
			RAW_INC(a, fl_orphans, 1);
			return;
		}
		a->an.exit_without_entry++;
		RAW_INC(a, fl_open_before, 1);
		t->framed = true;	/* the next one without an attempt is no edge */
		return;
	}
	if (!f->freelist)
		return;
	a->raw[ALL].fl_open_before += !f->fl_opened;
	if (in_win(a))
		a->raw[WIN].fl_open_before += !(f->fl_opened && f->win);
	else if (f->fl_opened && f->win)
		a->raw[WIN].fl_open_after++;	/* opened in the window, closed after it */
	if (f->rec.flags & ANL_REC_PARTIAL)
		a->an.exit_without_entry++;
	anl_tp_compact_close(a, f);
	anl_frame_pop(a, t, 0, ev->ts, PRS_NO_VALUE, ev->cpu);
}

/* The model's freelist block: what the probe was, and whether its counts hold. */
void anl_freelist_model(struct anl_ctx *a, struct anl_model *m)
{
	struct anl_freelist *fl = &m->freelist;

	fl->used = m->mode == ANL_MODE_FREELIST;
	if (!fl->used)
		return;
	fl->returns = a->fl_returns;
	fl->probe = a->fl_probe;
	fl->exact = !a->an.fl_bad_flags && !a->an.fl_orphan_page_alloc && !a->an.fl_orphan_attempts &&
		    !a->an.fl_missed;
}
