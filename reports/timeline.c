// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HTML report's timeline needs per-allocation data, which the model
 * does not keep: this sampler keeps a bounded sample while the analyzer
 * streams.  Slow allocations: the N longest (a min-heap) plus a
 * reservoir (Vitter's algorithm R, fixed seed: the same trace gives the
 * same page).  Intervals: up to TL_MAX_SPANS per kind; when full, spans are
 * sorted and neighbours closer than a gap are merged, the gap doubling
 * until half the room is free — the report states the final gap.
 */
#include <stdlib.h>
#include <string.h>

#include "report-local.h"
#include "timeline-local.h"

#define TL_MAX_SPANS	4096
#define TL_FIRST_GAP	1000	/* ns */

int rpt_timeline_new(unsigned int slowest, unsigned int reservoir, struct rpt_timeline **out)
{
	struct rpt_timeline *tl;

	*out = NULL;
	tl = calloc(1, sizeof(*tl));
	if (!tl)
		return -RPT_ENOMEM;
	tl->top_cap = slowest;
	tl->res_cap = reservoir;
	tl->rng = 0x9e3779b97f4a7c15ull;
	tl->top = calloc(slowest ? slowest : 1, sizeof(*tl->top));
	tl->res = calloc(reservoir ? reservoir : 1, sizeof(*tl->res));
	for (int k = 0; k < ANL_SPAN__COUNT; k++) {
		tl->spans[k].v = calloc(TL_MAX_SPANS, sizeof(*tl->spans[k].v));
		if (!tl->spans[k].v)
			tl->nomem = true;
	}
	if (!tl->top || !tl->res || tl->nomem) {
		rpt_timeline_free(tl);
		return -RPT_ENOMEM;
	}
	*out = tl;
	return 0;
}

void rpt_timeline_free(struct rpt_timeline *tl)
{
	if (!tl)
		return;
	for (int k = 0; k < ANL_SPAN__COUNT; k++)
		free(tl->spans[k].v);
	free(tl->top);
	free(tl->res);
	free(tl);
}

static uint64_t xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static bool dot_below(const struct rpt_tl_dot *a, const struct rpt_tl_dot *b)
{
	if (a->latency_ns != b->latency_ns)
		return a->latency_ns < b->latency_ns;
	return a->id > b->id;
}

static void top_sift_down(struct rpt_timeline *tl, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, r = l + 1, m = i;
		struct rpt_tl_dot t;

		if (l < tl->nr_top && dot_below(&tl->top[l], &tl->top[m]))
			m = l;
		if (r < tl->nr_top && dot_below(&tl->top[r], &tl->top[m]))
			m = r;
		if (m == i)
			return;
		t = tl->top[i];
		tl->top[i] = tl->top[m];
		tl->top[m] = t;
		i = m;
	}
}

static void top_sift_up(struct rpt_timeline *tl, unsigned int i)
{
	while (i) {
		unsigned int p = (i - 1) / 2;
		struct rpt_tl_dot t;

		if (!dot_below(&tl->top[i], &tl->top[p]))
			return;
		t = tl->top[i];
		tl->top[i] = tl->top[p];
		tl->top[p] = t;
		i = p;
	}
}

void rpt_timeline_record(struct rpt_timeline *tl, const struct anl_alloc *rec)
{
	struct rpt_tl_dot d;

	if (rec->outcome == ANL_FAST)
		return;
	tl->slow_seen++;
	if (rec->flags & ANL_REC_IN_WINDOW)
		tl->slow_win++;
	if (rec->latency_ns == PRS_NO_VALUE) {
		tl->no_latency++;
		return;
	}
	memset(&d, 0, sizeof(d));
	d.id = rec->id;
	d.start_ts = rec->start_ts;
	d.latency_ns = rec->latency_ns;
	d.pid = rec->pid;
	d.order = rec->order;
	d.stage = (uint8_t)rpt_dominant_stage(rec);
	d.failed = rec->outcome == ANL_FAILED;
	snprintf(d.comm, sizeof(d.comm), "%s", rec->comm ? rec->comm : "");

	if (tl->nr_top < tl->top_cap) {
		tl->top[tl->nr_top++] = d;
		top_sift_up(tl, tl->nr_top - 1);
	} else if (tl->top_cap && dot_below(&tl->top[0], &d)) {
		tl->top[0] = d;
		top_sift_down(tl, 0);
	}
	/* reservoir over every timed slow allocation; duplicates of top are dropped when drawn */
	tl->res_seen++;
	if (tl->nr_res < tl->res_cap) {
		tl->res[tl->nr_res++] = d;
	} else if (tl->res_cap) {
		uint64_t j = xorshift(&tl->rng) % tl->res_seen;

		if (j < tl->res_cap)
			tl->res[j] = d;
	}
}

static int span_cmp(const void *x, const void *y)
{
	const struct rpt_tl_span *a = x, *b = y;

	if (a->start_ts != b->start_ts)
		return a->start_ts < b->start_ts ? -1 : 1;
	return a->end_ts < b->end_ts ? -1 : a->end_ts > b->end_ts;
}

/* Sort, then merge spans that overlap or lie within @gap of each other. */
static void coalesce(struct rpt_tl_spans *ss, uint64_t gap)
{
	size_t o = 0;

	qsort(ss->v, ss->n, sizeof(*ss->v), span_cmp);
	for (size_t i = 0; i < ss->n; i++) {
		if (o && ss->v[i].start_ts <= ss->v[o - 1].end_ts + gap) {
			if (ss->v[i].end_ts > ss->v[o - 1].end_ts)
				ss->v[o - 1].end_ts = ss->v[i].end_ts;
			continue;
		}
		ss->v[o++] = ss->v[i];
	}
	ss->n = o;
}

void rpt_timeline_span(struct rpt_timeline *tl, const struct anl_span *sp)
{
	struct rpt_tl_spans *ss;

	if ((unsigned int)sp->kind >= ANL_SPAN__COUNT)
		return;
	ss = &tl->spans[sp->kind];
	ss->seen++;
	ss->total_ns += sp->end_ts - sp->start_ts;
	if (sp->in_win) {
		ss->win_seen++;
		if (sp->timed)
			ss->win_total_ns += sp->win_ns;
	}
	/* a try that compacted nothing takes no time: not drawn, counted */
	if (sp->end_ts == sp->start_ts && sp->kind == ANL_SPAN_COMPACTION) {
		ss->empty++;
		return;
	}
	if (ss->n == TL_MAX_SPANS) {
		if (!ss->gap_ns)
			ss->gap_ns = TL_FIRST_GAP;
		do {
			coalesce(ss, ss->gap_ns);
			if (ss->n > TL_MAX_SPANS / 2)
				ss->gap_ns *= 2;
		} while (ss->n > TL_MAX_SPANS / 2);
	}
	ss->v[ss->n].start_ts = sp->start_ts;
	ss->v[ss->n].end_ts = sp->end_ts;
	ss->n++;
}
