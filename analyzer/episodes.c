// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoint-only estimator (events mode): slow allocations inferred from a task's stall episodes.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

/* ---- tracepoint-only estimator (events mode) ---------------------------- */

void anl_ev_compact_close(struct anl_ctx *a, struct anl_task *t)
{
	struct anl_evstate *e = &t->ev;
	uint64_t ns;

	if (!e->compact_open)
		return;
	e->compact_open = false;
	ns = e->compact_last - e->compact_start;
	if (anl_reports_est(a))
		anl_span_emit(a, ANL_SPAN_COMPACTION, e->compact_start, e->compact_last, t->pid, -1,
			  e->win, !e->incomplete);
	e->stage_count[ANL_STAGE_COMPACTION]++;
	e->stage_ns[ANL_STAGE_COMPACTION] += ns;
	anl_stage_occ(a, EST, ANL_STAGE_COMPACTION, ns, !e->incomplete, e->win);
}

void anl_ev_evidence(struct anl_ctx *a, struct anl_task *t, uint64_t ts)
{
	if (!t->ev.pending) {
		memset(&t->ev, 0, sizeof(t->ev));
		t->ev.pending = true;
		t->ev.start = ts;
		t->ev.win = in_win(a);
		t->ev.order = -1;
		t->ev.gfp = PRS_NO_VALUE;
	}
	t->ev.last = ts;
}

/* What the episode's explaining events showed, into its record. */
static void ev_explain(struct anl_alloc *rec, const struct anl_evstate *e)
{
	rec->retry_rounds = e->retry_rounds;
	rec->retry_loops_max = e->retry_loops_max;
	rec->compact_retries = e->compact_retries;
	rec->slab_calls = e->slab_calls;
	rec->slab_ns = e->slab_ns;
	rec->throttles = e->throttles;
	rec->throttle_ns = e->throttle_ns;
	rec->writepages = e->writepages;
	rec->writepages_file = e->writepages_file;
	rec->writepages_anon = e->writepages_anon;
	rec->retry_end = e->retry_end;
	rec->compact_retry_last = e->compact_retries ? e->compact_retry_last : -1;
	if (e->retries_out)
		rec->flags |= ANL_REC_RETRIES_OUT;
}


/* A record of @t's from this estimator: its row id and its task. */
static void est_record(struct anl_ctx *a, struct anl_task *t, struct anl_alloc *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->id = anl_row_id(a, t, EST);
	rec->pid = t->pid;
	rec->tgid = t->tgid;
	rec->comm = t->comm;
}

/* A stall episode's stages into @rec; "other" is its latency outside them.  The episode is taken. */
static void ev_take_stages(struct anl_alloc *rec, struct anl_evstate *e)
{
	uint64_t in = 0;

	memcpy(rec->stage_count, e->stage_count, sizeof(rec->stage_count));
	memcpy(rec->stage_ns, e->stage_ns, sizeof(rec->stage_ns));
	rec->nr_reclaimed = e->nr_reclaimed;
	ev_explain(rec, e);
	for (int s = ANL_STAGE_FIRST; s <= ANL_STAGE_LAST; s++)
		in += rec->stage_ns[s];
	rec->stage_ns[ANL_STAGE_OTHER] = rec->latency_ns > in ? rec->latency_ns - in : 0;
	rec->stage_count[ANL_STAGE_OTHER] = 1;
	e->pending = false;
}
void anl_ev_page_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			  bool failed)
{
	struct anl_evstate *e = &t->ev;
	struct anl_alloc rec;

	est_record(a, t, &rec);
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
		anl_account_record(a, EST, t, &rec, in_win(a));
		return;
	}
	anl_ev_compact_close(a, t);
	if (failed && !e->pending) {
		/* a failure always went through the slow path, even unseen */
		anl_ev_evidence(a, t, ev->ts);
	}
	if (e->pending) {
		rec.outcome = failed ? ANL_FAILED : ANL_SLOW;
		rec.start_ts = e->start;
		rec.latency_ns = ev->ts - e->start;
		if (e->incomplete)
			rec.flags |= ANL_REC_INCOMPLETE;
		ev_take_stages(&rec, e);
		anl_account_record(a, EST, t, &rec, e->win);
		return;
	}
	anl_account_record(a, EST, t, &rec, in_win(a));
}

/* A slow path whose allocation the trace did not reach. */
void anl_ev_open_at_end(struct anl_ctx *a, struct anl_task *t)
{
	struct anl_alloc rec;

	est_record(a, t, &rec);
	rec.order = t->ev.order;		/* as its stage events gave them, if they did */
	rec.gfp = t->ev.gfp;
	rec.gfp_str = t->ev.gfp_str;
	rec.start_ts = t->ev.start;
	rec.end_ts = a->last_ts;
	rec.latency_ns = PRS_NO_VALUE;
	rec.flags = ANL_REC_ESTIMATED | ANL_REC_OPEN_AT_END;
	rec.outcome = ANL_SLOW;
	memcpy(rec.stage_count, t->ev.stage_count, sizeof(rec.stage_count));
	memcpy(rec.stage_ns, t->ev.stage_ns, sizeof(rec.stage_ns));
	rec.nr_reclaimed = t->ev.nr_reclaimed;
	ev_explain(&rec, &t->ev);
	t->ev.pending = false;
	anl_account_record(a, EST, t, &rec, t->ev.win);
}

/*
 * Without mm_page_alloc nothing marks where an allocation ends: a task's
 * stall episode is taken as one slow allocation, and these boundaries,
 * from __alloc_pages_slowpath() (mm/page_alloc.c, 4.x .. 6.12 read), split
 * a task's stage events into episodes (docs/episodes.md):
 *  - a second direct reclaim where the allocation takes one at most: the
 *    slow path goes to "nopage" after its first reclaim + compaction when
 *    the gfp has __GFP_NORETRY, or the order is costly (> 3) without
 *    __GFP_RETRY_MAYFAIL (__GFP_REPEAT before 4.13) or __GFP_NOFAIL;
 *    Such an allocation also compacts twice at most, once before its
 *    reclaim and once after it: a third try_to_compact_pages, or a second
 *    one before any reclaim, begins a new allocation;
 *  - another order or gfp: the slow path keeps both for its whole run;
 *  - for an allocation that may reclaim again, a reclaim that begins more
 *    than ANL_EPISODE_RETRY_NS after one that made progress: after
 *    progress, __alloc_pages_direct_reclaim() tries the free lists and a
 *    failed try loops back through should_reclaim_retry() at once, while
 *    a reclaim without progress always loops (no_progress_loops++).  On
 *    our own 6.1/6.12 captures (kprobe, mm_page_alloc as truth): 74 loops
 *    inside one allocation, all after no progress or within 955 us of a
 *    progress; 32 new allocations, all after progress, 31 after > 1 ms;
 *  - a quiet gap longer than ANL_EPISODE_GAP_NS since the episode's last
 *    event.
 */
#define ANL_EPISODE_GAP_NS	1000000000ull	/* 1 s, 10 times reclaim_throttle()'s longest
						 * sleep (HZ/10, 5.16+; congestion_wait HZ/50 before) */
#define ANL_EPISODE_RETRY_NS	1000000ull	/* 1 ms */
#define ANL_COSTLY_ORDER	3		/* PAGE_ALLOC_COSTLY_ORDER */

bool anl_ev_single_reclaim(int32_t order, const char *gfp_str)
{
	/* the flags unknown (none, or a number): the order alone does not tell */
	if (anl_gfp_has(gfp_str, ANL_GFP_NORETRY) == 1)
		return true;
	return order > ANL_COSTLY_ORDER &&
	       anl_gfp_has(gfp_str, ANL_GFP_RETRY_MAYFAIL | ANL_GFP_REPEAT) == 0 &&
	       anl_gfp_has(gfp_str, ANL_GFP_NOFAIL) == 0;
}

/* The episode ends at its last event: one slow allocation of that length. */
void anl_ev_episode_end(struct anl_ctx *a, struct anl_task *t)
{
	struct anl_evstate *e = &t->ev;
	struct anl_alloc rec;

	if (!e->pending)
		return;
	anl_ev_compact_close(a, t);
	est_record(a, t, &rec);
	rec.order = e->order;
	rec.gfp = e->gfp;
	rec.gfp_str = e->gfp_str;
	rec.start_ts = e->start;
	rec.end_ts = e->last;
	rec.latency_ns = e->last - e->start;
	rec.flags = ANL_REC_ESTIMATED | ANL_REC_EPISODE;
	if (e->incomplete)
		rec.flags |= ANL_REC_INCOMPLETE;
	rec.outcome = ANL_SLOW;
	ev_take_stages(&rec, e);
	anl_account_record(a, EST, t, &rec, e->win);
}

/*
 * Before a stage event of @t at @ts (@reclaim: a direct reclaim begins;
 * @order, @gfp_str, @gfp as it gives them, -1/NULL/PRS_NO_VALUE unknown):
 * end the open episode where a new allocation begins.  Only in a trace
 * without mm_page_alloc so far, which ends each allocation itself.
 */
void anl_ev_boundary(struct anl_ctx *a, struct anl_task *t, uint64_t ts, enum anl_ev_what what,
		     int32_t order, const char *gfp_str, uint64_t gfp)
{
	struct anl_evstate *e = &t->ev;
	bool reclaimed = e->stage_count[ANL_STAGE_DIRECT_RECLAIM] > 0;
	bool end = false;

	if (e->pending && !e->reclaim_open && !a->seen_page_alloc_tp) {
		bool single = anl_ev_single_reclaim(order >= 0 ? order : e->order,
						    gfp_str ? gfp_str : e->gfp_str);

		if (ts > e->last && ts - e->last > ANL_EPISODE_GAP_NS)
			end = true;
		else if (order >= 0 && e->order >= 0 && order != e->order)
			end = true;
		else if (gfp_str && e->gfp_str && gfp_str != e->gfp_str && strcmp(gfp_str, e->gfp_str))
			end = true;
		else if (what == ANL_EV_RECLAIM && reclaimed && single)
			end = true;
		else if (what == ANL_EV_TRY && single && (reclaimed ? e->try_after_reclaim : e->tries > 0))
			end = true;
		else if (what == ANL_EV_RECLAIM && reclaimed && !single && e->reclaim_progress &&
			 ts > e->reclaim_end && ts - e->reclaim_end > ANL_EPISODE_RETRY_NS)
			end = true;
		if (end)
			anl_ev_episode_end(a, t);
	}
	anl_ev_evidence(a, t, ts);
	if (what == ANL_EV_TRY) {
		e->tries++;
		e->try_after_reclaim = e->stage_count[ANL_STAGE_DIRECT_RECLAIM] > 0;
	}
	if (order >= 0 && e->order < 0)
		e->order = order;
	if (gfp_str && !e->gfp_str)
		e->gfp_str = gfp_str;
	if (gfp != PRS_NO_VALUE && e->gfp == PRS_NO_VALUE)
		e->gfp = gfp;
}
