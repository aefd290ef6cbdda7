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

/* The tracepoint-only estimate is what the model will report (as for records). */
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
	}
}

void anl_ev_page_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
			  bool failed)
{
	struct anl_evstate *e = &t->ev;
	struct anl_alloc rec;

	memset(&rec, 0, sizeof(rec));
	rec.id = anl_row_id(a, t, EST);
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
		anl_account_record(a, EST, t, &rec, e->win);
		return;
	}
	anl_account_record(a, EST, t, &rec, in_win(a));
}

/* A slow path whose allocation the trace did not reach. */
void anl_ev_open_at_end(struct anl_ctx *a, struct anl_task *t)
{
	struct anl_alloc rec;

	memset(&rec, 0, sizeof(rec));
	rec.id = anl_row_id(a, t, EST);
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
	anl_account_record(a, EST, t, &rec, t->ev.win);
}
