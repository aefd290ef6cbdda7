// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tracepoint events feeding both estimators, with the raw counts the ground truth compares.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

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

/*
 * pgalloc_* counts 1 << order where the buddy allocator hands out pages
 * (rmqueue_pcplist(), rmqueue_buddy(), __alloc_pages_bulk(); 6.1, 6.12; 5.13 to
 * 6.0 count 1 in rmqueue_pcplist(): groundtruth.c, pcp_uncounted()), not
 * at mm_page_alloc.  Two cases the exact modes can see, at the allocation's
 * mm_page_alloc:
 *  - a page captured by direct compaction (compaction_capture() in
 *    __free_one_page(), handed over by __alloc_pages_direct_compact() without
 *    get_page_from_freelist()) emits mm_page_alloc but never counts pgalloc;
 *  - a page from get_page_from_freelist() freed again because the memcg
 *    charge failed (__alloc_pages(), __GFP_ACCOUNT) counts pgalloc but emits
 *    mm_page_alloc without a page.
 */
static bool page_source(struct anl_ctx *a, const struct anl_frame *f, const struct prs_event *ev,
			bool failed)
{
	uint64_t pages;

	if (ev->u.mm.order < 0 || ev->u.mm.order >= 64)
		return false;
	pages = 1ull << ev->u.mm.order;
	if (!failed && (f->last_src == SRC_COMPACT ||
			(f->last_src == GPFL_NULL &&
			 (f->compact_since_gpfl || !a->seen_try_compact_tp)))) {
		RAW_INC(a, captured, 1);
		RAW_INC(a, captured_pages, pages);
		if (f->last_src == SRC_COMPACT)
			RAW_INC(a, compact_stall_fn, 1);
		return false;
	}
	if (failed && f->last_src == GPFL_PAGE) {
		RAW_INC(a, charge_failed_pages, pages);
		return true;
	}
	return !failed;
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
/* The trace's kernel (its release, else --kernel) is known and older than major.minor. */
static bool kernel_before(const struct anl_ctx *a, int major, int minor)
{
	int x, y;

	if (anl_kernel_version(a->kernel, &x, &y) && anl_kernel_version(a->opts.kernel, &x, &y))
		return false;
	return x < major || (x == major && y < minor);
}

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
	if (!t->ct_zone && !t->ct_silent_skip) {
		/*
		 * No zone left an event: the first zone was already at its
		 * watermark (6.12, silent COMPACT_SUCCESS), or cpusets excluded
		 * every zone (COMPACT_SKIPPED, not counted; not told apart).
		 */
		RAW_INC(a, compact_stall_derived, 1);
	} else {
		/*
		 * Or a zone may have skipped it silently: 6.18's and 7.1's
		 * compaction_suit_allocation_order() returns COMPACT_SKIPPED
		 * without an event for an async try of a costly order (> 3)
		 * without ALLOC_CMA (every one without CONFIG_CMA) when the
		 * zone lacks compact_gap() above its watermark (6.12.19 has no
		 * such check; 7.1.5 pagecache: 13 tries of order 9 with no zone
		 * event, then direct reclaim, none counted by the kernel)
		 */
		/* only skipped zones seen: 6.12 may have stopped at a silent success after them */
		RAW_INC(a, compact_try_unsure, 1);
	}
}


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
	if (anl_is_kswapd(comm))
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

/*
 * A compaction run (mm_compaction_begin) by the task itself is direct
 * compaction: kcompactd and kswapd (proactive compaction) are known by
 * comm, or by the pid's earlier comm when this line's is cut off ("<...>",
 * or empty in a paste).  function_graph's text cuts every comm to 7
 * characters (print_graph_proc(): comm[7] = '\0'): kcompactd0 is "kcompac"
 * there.  Used only where mm_compaction_try_to_compact_pages is not
 * recorded, which says it exactly.
 */
static bool compaction_daemon(const struct anl_task *t, const struct prs_event *ev)
{
	const char *comm = ev->comm && ev->comm[0] && strcmp(ev->comm, "<...>") ? ev->comm : t->comm;

	return !strncmp(comm, "kcompactd", 9) || !strcmp(comm, "kcompac") || anl_is_kswapd(comm);
}

/*
 * should_reclaim_retry() emits reclaim_retry_zone for each zone it visits
 * and stops at the first that passes (4.8 .. 6.18): a round is a run of
 * lines with one no_progress_loops, each zone once (a round after progress
 * can repeat the count: 4.8's loops=1 twice).  Whether @ev begins a round.
 */
static bool retry_round(struct anl_task *t, const struct prs_event *ev)
{
	int32_t key = (int32_t)((uint32_t)ev->u.retry.nid << 16 | ((uint32_t)ev->u.retry.zone & 0xffff));
	bool round = !t->retry_run || ev->u.retry.loops != t->retry_loops ||
		     t->retry_nzones == sizeof(t->retry_zones) / sizeof(t->retry_zones[0]);

	for (int i = 0; !round && i < t->retry_nzones; i++)
		round = t->retry_zones[i] == key;
	if (round) {
		t->retry_nzones = 0;
		t->retry_pass = t->retry_verdict = false;
	}
	t->retry_zones[t->retry_nzones++] = key;
	t->retry_run = true;
	t->retry_loops = ev->u.retry.loops;
	if (ev->u.retry.verdict >= 0) {
		t->retry_verdict = true;
		t->retry_pass |= ev->u.retry.verdict > 0;
	}
	return round;
}

/* How the rounds so far end, as of the current round (enum anl_retry_end). */
static uint8_t retry_end(const struct anl_task *t, int32_t loops)
{
	if (t->retry_verdict && !t->retry_pass)
		return ANL_RETRY_NO_ZONE;
	return loops >= ANL_MAX_RECLAIM_RETRIES ? ANL_RETRY_RAN_OUT : ANL_RETRY_LOOPED;
}

/*
 * Events that tell where a stall's time went (docs/episodes.md), into the
 * open allocation: its frame (exact modes) and its episode (events mode).
 */
static void explain_event(struct anl_ctx *a, struct anl_task *t, struct anl_frame *f,
			  const struct prs_event *ev, bool exact)
{
	struct anl_evstate *e = &t->ev;
	struct anl_alloc *r = f && exact ? &f->rec : NULL;

	switch (ev->kind) {
	case PRS_EV_RECLAIM_RETRY: {
		int32_t loops = ev->u.retry.loops;
		bool round = retry_round(t, ev);
		bool out = loops >= ANL_MAX_RECLAIM_RETRIES;
		uint8_t end = retry_end(t, loops);

		RAW_INC(a, retry_rounds, round);
		if (r) {
			r->retry_rounds += round;
			if (loops > r->retry_loops_max)
				r->retry_loops_max = loops;
			if (out)
				r->flags |= ANL_REC_RETRIES_OUT;
			r->retry_end = end;
		}
		if (!e->reclaim_open) {
			anl_ev_compact_close(a, t);
			anl_ev_boundary(a, t, ev->ts, ANL_EV_OTHER, ev->u.retry.order, NULL, PRS_NO_VALUE);
			e->retry_rounds += round;
			if (loops > e->retry_loops_max)
				e->retry_loops_max = loops;
			e->retries_out |= out;
			e->retry_end = end;
		}
		return;
	}
	case PRS_EV_WRITEPAGE:
		/* pageout() in the task's own direct reclaim; kswapd's and memcg's are no allocation's */
		if (anl_is_kswapd(t->comm) || !t->rc_open || t->mc_open) {
			RAW_INC(a, writepages_other, 1);
			return;
		}
		RAW_INC(a, writepages, 1);
		RAW_INC(a, writepages_file, ev->u.wp.file == 1);
		RAW_INC(a, writepages_anon, ev->u.wp.file == 0);
		if (r) {
			r->writepages++;
			r->writepages_file += ev->u.wp.file == 1;
			r->writepages_anon += ev->u.wp.file == 0;
		}
		if (e->pending) {
			e->writepages++;
			e->writepages_file += ev->u.wp.file == 1;
			e->writepages_anon += ev->u.wp.file == 0;
		}
		return;
	case PRS_EV_COMPACT_RETRY:
		RAW_INC(a, compact_retries, 1);
		if (r) {
			r->compact_retries++;
			r->compact_retry_last = ev->u.retry.verdict > 0 ? 1 : ev->u.retry.verdict == 0 ? 0 : -1;
		}
		if (!e->reclaim_open) {
			anl_ev_compact_close(a, t);
			anl_ev_boundary(a, t, ev->ts, ANL_EV_OTHER, ev->u.retry.order, NULL, PRS_NO_VALUE);
			e->compact_retries++;
			e->compact_retry_last = ev->u.retry.verdict > 0 ? 1 :
						ev->u.retry.verdict == 0 ? 0 : -1;
		}
		return;
	case PRS_EV_SHRINK_SLAB_BEGIN:
		t->slab_open = true;
		t->slab_start = ev->ts;
		return;
	case PRS_EV_SHRINK_SLAB_END: {
		uint64_t ns;

		/* kswapd's and drop_caches' shrinking is no allocation's: inside a direct reclaim only */
		if (!t->slab_open || !t->rc_open || ev->ts < t->slab_start) {
			t->slab_open = false;
			return;
		}
		t->slab_open = false;
		ns = ev->ts - t->slab_start;
		RAW_INC(a, slab_calls, 1);
		RAW_INC(a, slab_ns, ns);
		if (r) {
			r->slab_calls++;
			r->slab_ns += ns;
		}
		if (e->pending) {
			e->slab_calls++;
			e->slab_ns += ns;
			e->last = ev->ts;
		}
		return;
	}
	case PRS_EV_THROTTLED:
	case PRS_EV_CONGESTION_WAIT: {
		/* reclaim_throttle() emits it when the sleep is over: usec_delayed is the sleep */
		uint64_t ns = ev->u.throttle.usec_delayed >= 0 ?
			      (uint64_t)ev->u.throttle.usec_delayed * 1000 : 0;

		if (anl_is_kswapd(t->comm))
			return;
		/*
		 * congestion_wait() has callers outside reclaim (filesystems'
		 * allocation retries): only the sleeps inside a direct reclaim
		 * (shrink_inactive_list()'s too_many_isolated() loop, 2.6.37 .. 5.15)
		 */
		if (ev->kind == PRS_EV_CONGESTION_WAIT && (!t->rc_open || t->mc_open))
			return;
		/* wait_iff_congested() with usec_delayed 0 did not wait: the bdi was not congested */
		if (ev->kind == PRS_EV_CONGESTION_WAIT && ev->u.throttle.usec_delayed == 0)
			return;
		RAW_INC(a, throttles, 1);
		RAW_INC(a, throttle_ns, ns);
		if (r) {
			r->throttles++;
			r->throttle_ns += ns;
		}
		if (e->pending) {
			e->throttles++;
			e->throttle_ns += ns;
			e->last = ev->ts;
		}
		return;
	}
	case PRS_EV_FUNC_CALL:
		/* the function tracer's "out_of_memory <-__alloc_pages_nodemask": the slow path's OOM */
		if (!ev->u.fn.func || strncmp(ev->u.fn.func, "out_of_memory", 13) ||
		    (ev->u.fn.func[13] && ev->u.fn.func[13] != '.'))
			return;
		RAW_INC(a, oom_fn_calls, 1);
		if (!e->reclaim_open) {
			anl_ev_compact_close(a, t);
			anl_ev_boundary(a, t, ev->ts, ANL_EV_OTHER, -1, NULL, PRS_NO_VALUE);
			e->stage_count[ANL_STAGE_OOM]++;
			e->oom_fn = true;
			anl_stage_occ(a, EST, ANL_STAGE_OOM, 0, false, e->win);
		}
		return;
	default:
		return;
	}
}

void anl_tp_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev)
{
	struct anl_frame *f = top(t);
	bool exact = a->opts.mode != ANL_MODE_EVENTS;

	if (ev->kind != PRS_EV_RECLAIM_RETRY)
		t->retry_run = false;
	switch (ev->kind) {
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
	case PRS_EV_SHRINK_SLAB_BEGIN:
	case PRS_EV_SHRINK_SLAB_END:
	case PRS_EV_THROTTLED:
	case PRS_EV_CONGESTION_WAIT:
	case PRS_EV_WRITEPAGE:
	case PRS_EV_FUNC_CALL:
		explain_event(a, t, f, ev, exact);
		break;
	case PRS_EV_PAGE_ALLOC: {
		/*
		 * __alloc_pages_noprof() emits mm_page_alloc at its end whether
		 * or not it got a page (2.6.32+ through 6.12 checked): a failed
		 * one has pfn -1 in trace.dat and a NULL page in text, which the
		 * readers both turn into page 0 (pfn 0 is a real page on some
		 * machines).  An event that names neither a page nor a pfn (a
		 * vendor's format) does not say: no failure, outcome unknown.
		 */
		bool failed = ev->u.mm.page == 0;
		bool from_rmqueue = !failed && ev->u.mm.page > 0;	/* refined in the exact modes */

		a->seen_page_alloc_tp = true;
		RAW_INC(a, page_alloc_events, 1);
		if (failed)
			RAW_INC(a, page_alloc_failed, 1);
		else if (ev->u.mm.page < 0)
			RAW_INC(a, page_alloc_unsaid, 1);
		else if (ev->u.mm.order >= 0 && ev->u.mm.order < 64)
			RAW_INC(a, page_alloc_pages, 1ull << ev->u.mm.order);
		if (ev->u.mm.order > ANL_MAX_ORDER)
			a->an.order_out_of_range++;
		ct_close(a, t);
		task_comm(t, ev);
		if (f && exact) {
			anl_freelist_settle(a, f, failed);
			from_rmqueue = page_source(a, f, ev, failed);
			anl_tp_compact_close(a, f);
			f->saw_page_alloc = ev->u.mm.page > 0;
			f->page_alloc_failed = failed;
			f->page_alloc_ts = ev->ts;
			f->rec.order = ev->u.mm.order;
			if (ev->u.mm.gfp != PRS_NO_VALUE)
				f->rec.gfp = ev->u.mm.gfp;
			f->rec.gfp_str = ev->u.mm.gfp_str;
		}
		if (from_rmqueue && ev->u.mm.order >= 0 && ev->u.mm.order < ANL_PCP_ORDERS)
			RAW_INC(a, rmqueue_by_order[ev->u.mm.order], 1);
		anl_ev_page_alloc(a, t, ev, failed);
		/* freelist mode: it closes the allocation (freelist.c) */
		if (exact)
			anl_freelist_page_alloc(a, t, ev);
		break;
	}
	case PRS_EV_RECLAIM_BEGIN:
		if (is_recorder(a, t)) {
			anl_recorder_seen(a, t);
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
			anl_tp_compact_close(a, f);
			f->after_reclaim_left = 0;
			f->did_something = true;
			f->slow_helper = true;
			if (!f->stage_open[ANL_STAGE_DIRECT_RECLAIM] && !f->tp_reclaim_open) {
				f->tp_reclaim_open = true;
				f->tp_reclaim_start = ev->ts;
			}
		}
		anl_ev_compact_close(a, t);
		anl_ev_boundary(a, t, ev->ts, ANL_EV_RECLAIM, ev->u.mm.order, ev->u.mm.gfp_str, ev->u.mm.gfp);
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
			/* an end without nr_reclaimed (not decoded) is no "no progress" */
			f->after_reclaim_left = ev->u.reclaim.nr_reclaimed == 0 ? 0 : 2;
			if (f->tp_reclaim_open) {
				uint64_t ns = ev->ts - f->tp_reclaim_start;

				f->tp_reclaim_open = false;
				if (!anl_reports_est(a))
					anl_span_emit(a, ANL_SPAN_DIRECT_RECLAIM, f->tp_reclaim_start, ev->ts,
						  t->pid, -1, f->win,
						  !(f->rec.flags & ANL_REC_INCOMPLETE));
				f->rec.stage_count[ANL_STAGE_DIRECT_RECLAIM]++;
				f->rec.stage_ns[ANL_STAGE_DIRECT_RECLAIM] += ns;
				anl_stage_occ(a, EXACT, ANL_STAGE_DIRECT_RECLAIM, ns,
					  !(f->rec.flags & ANL_REC_INCOMPLETE), f->win);
			}
		}
		if (t->ev.reclaim_open) {
			uint64_t ns = ev->ts - t->ev.reclaim_start;

			if (anl_reports_est(a))
				anl_span_emit(a, ANL_SPAN_DIRECT_RECLAIM, t->ev.reclaim_start, ev->ts, t->pid,
					  -1, t->ev.win, !t->ev.incomplete);
			t->ev.reclaim_open = false;
			t->ev.last = t->ev.reclaim_end = ev->ts;
			t->ev.reclaim_progress = nr > 0;
			t->ev.stage_count[ANL_STAGE_DIRECT_RECLAIM]++;
			t->ev.stage_ns[ANL_STAGE_DIRECT_RECLAIM] += ns;
			t->ev.nr_reclaimed += nr;
			anl_stage_occ(a, EST, ANL_STAGE_DIRECT_RECLAIM, ns, !t->ev.incomplete, t->ev.win);
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
		/*
		 * Reclaim at a cgroup's limit (try_charge(), memory.high,
		 * memory.reclaim) or v1 soft-limit reclaim by kswapd: a stall of
		 * the task, not the page allocator's slow path (no allocstall)
		 */
		a->memcg_known = true;
		if (anl_is_kswapd(t->comm)) {
			/* kswapd's v1 soft-limit reclaim: kswapd's work, no task's stall */
		} else if (ev->kind == PRS_EV_MEMCG_RECLAIM_BEGIN) {
			RAW_INC(a, memcg_reclaims, 1);
			t->mc_timed = true;
			t->mc_start = ev->ts;
		} else {
			if (ev->u.reclaim.nr_reclaimed != PRS_NO_VALUE)
				RAW_INC(a, memcg_reclaimed, ev->u.reclaim.nr_reclaimed);
			if (t->mc_timed && ev->ts >= t->mc_start)
				RAW_INC(a, memcg_reclaim_ns, ev->ts - t->mc_start);
			t->mc_timed = false;
		}
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
			anl_stage_occ(a, EXACT, ANL_STAGE_KSWAPD_WOKEN, 0, false, f->win);
		}
		if (!t->ev.reclaim_open) {
			anl_ev_compact_close(a, t);
			anl_ev_boundary(a, t, ev->ts, ANL_EV_OTHER, ev->u.mm.order, ev->u.mm.gfp_str, ev->u.mm.gfp);
			t->ev.stage_count[ANL_STAGE_KSWAPD_WOKEN]++;
			anl_stage_occ(a, EST, ANL_STAGE_KSWAPD_WOKEN, 0, false, t->ev.win);
		}
		break;
	case PRS_EV_TRY_COMPACT:
		a->seen_try_compact_tp = true;
		RAW_INC(a, try_compact, 1);
		ct_close(a, t);
		t->ct_open = true;
		t->ct_counted = false;
		t->ct_zone = false;
		/* COMPACT_PRIO_ASYNC is 2 (include/linux/compaction.h, 4.8 .. 7.1) */
		t->ct_silent_skip = ev->u.mm.order > 3 && ev->u.mm.prio == 2 && !kernel_before(a, 6, 13);
		if (f && exact) {
			f->did_something = true;
			f->slow_helper = true;
			f->compact_since_gpfl = true;
			if (f->stage_open[ANL_STAGE_COMPACTION]) {
				f->compact_tp_inside = true;
			} else {
				anl_tp_compact_close(a, f);
				f->tp_compact_open = true;
				f->tp_compact_start = f->tp_compact_last = ev->ts;
			}
		}
		if (!t->ev.reclaim_open) {
			anl_ev_compact_close(a, t);
			anl_ev_boundary(a, t, ev->ts, ANL_EV_TRY, ev->u.mm.order, ev->u.mm.gfp_str, ev->u.mm.gfp);
			t->ev.compact_open = true;
			t->ev.compact_run = false;
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
		} else if (ev->kind == PRS_EV_COMPACT_BEGIN && !a->seen_try_compact_tp &&
			   !compaction_daemon(t, ev)) {
			/* no try event recorded: a run in the allocating task is direct */
			RAW_INC(a, compact_begin_direct, 1);
			RAW_INC(a, compact_runs_inferred, 1);
			if (!t->ev.reclaim_open) {
				anl_ev_compact_close(a, t);
				anl_ev_boundary(a, t, ev->ts, ANL_EV_OTHER, -1, NULL, PRS_NO_VALUE);
				t->ev.compact_open = true;
				t->ev.compact_run = true;
				t->ev.compact_start = t->ev.compact_last = ev->ts;
			}
		} else if (ev->kind == PRS_EV_COMPACT_BEGIN) {
			RAW_INC(a, compact_begin_other, 1);	/* kcompactd, proactive */
		}
		if (ev->kind == PRS_EV_COMPACT_BEGIN)
			t->cb_open = true;
		/* fall through */
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_FINISHED:
	case PRS_EV_COMPACT_PROGRESS:
		if (ev->kind == PRS_EV_COMPACT_END) {
			/* compact_zone() pairs them in one task: an excerpt's first end has none */
			if (!t->cb_open)
				a->an.compaction_end_without_begin++;
			t->cb_open = false;
		}
		if (f && f->tp_compact_open)
			f->tp_compact_last = ev->ts;
		if (t->ev.compact_open) {
			t->ev.compact_last = t->ev.last = ev->ts;
			/* a run without its try: it ends with its mm_compaction_end */
			if (t->ev.compact_run && ev->kind == PRS_EV_COMPACT_END)
				anl_ev_compact_close(a, t);
		}
		break;
	case PRS_EV_MARK_VICTIM:
		RAW_INC(a, mark_victim, 1);
		/* freelist mode: inside the OOM stage its high-watermark attempt opened */
		if (f && exact && !f->stage_open[ANL_STAGE_OOM] && !f->fl_oom) {
			f->did_something = true;
			f->slow_helper = true;
			f->rec.stage_count[ANL_STAGE_OOM]++;
			anl_stage_occ(a, EXACT, ANL_STAGE_OOM, 0, false, f->win);
		}
		if (!t->ev.reclaim_open) {
			anl_ev_evidence(a, t, ev->ts);
			/* out_of_memory()'s own line came first: one OOM */
			if (!t->ev.oom_fn) {
				t->ev.stage_count[ANL_STAGE_OOM]++;
				anl_stage_occ(a, EST, ANL_STAGE_OOM, 0, false, t->ev.win);
			}
		}
		break;
	default:
		break;
	}
}
