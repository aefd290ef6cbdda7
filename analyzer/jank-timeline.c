// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jank: the frames of Perfetto's frame timeline with the allocation stalls of their process.
 *
 * SurfaceFlinger's FrameTimeline (Android 12+) writes each app frame (an
 * "actual surface frame": the app's process, its layer, the vsync token it
 * drew for, from the app's start to the buffer's readiness) once the frame
 * was presented, with its verdict (jank_type, present_type).  The reader
 * hands one out at its end (PRS_EV_FRAME).  By then the stalls inside it
 * have mostly ended, so the latest stalls of every task are kept
 * (JT_HISTORY, whichever process), and a frame stays open for the stalls
 * still running at its end until JT_PENDING newer frames came or the trace
 * ended.  Threads are not named by the timeline: a frame's stalls are those
 * of every thread of its process (tgid, or the tid of its main thread when
 * the trace gives no tgid), their union over time.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"
#include "jank-local.h"

#define JT_HISTORY	4096	/* the latest stalls, all tasks */
#define JT_PENDING	256	/* frames awaiting stalls still open at their end (~4 s at 60 Hz) */
#define JT_IVS		64	/* a frame's stall intervals kept for their union */

struct jt_stall {
	struct anl_jank_stall st;
	int32_t		tgid;
};

struct jt_iv {
	uint64_t	s, e;
};

struct jt_frame {
	struct anl_jank_frame f;
	uint64_t	extra_ns;	/* overlap of the intervals beyond JT_IVS (an upper bound) */
	uint32_t	nr_iv;
	struct jt_iv	iv[JT_IVS];
};

struct anl_jank_tl {
	struct jt_stall	hist[JT_HISTORY];	/* ring */
	uint32_t	hist_head, hist_n;
	uint64_t	hist_dropped_end;	/* the latest end of a stall no longer kept */
	bool		hist_dropped;
	struct jt_frame	pend[JT_PENDING];	/* ring, in arrival order */
	uint32_t	pend_head, pend_n;
};

static bool of_process(const struct anl_jank_frame *f, int32_t tid, int32_t tgid)
{
	return tgid == f->tgid || tid == f->tgid;
}

/* @st (a stall of @tgid) into frame @p where they overlap */
static void frame_stall(struct jt_frame *p, const struct anl_jank_stall *st)
{
	struct anl_jank_frame *f = &p->f;
	uint64_t s = st->start_ts > f->start_ts ? st->start_ts : f->start_ts;
	uint64_t e = st->end_ts < f->end_ts ? st->end_ts : f->end_ts;
	uint64_t ov;

	if (e <= s)
		return;
	ov = e - s;
	if (p->nr_iv < JT_IVS) {
		p->iv[p->nr_iv++] = (struct jt_iv){ s, e };
	} else {
		p->extra_ns += ov;
		f->stall_upper = true;
	}
	anl_jank_list_stall(f, st, ov, st->render_thread);
}

static int iv_cmp(const void *x, const void *y)
{
	const struct jt_iv *a = x, *b = y;

	return a->s < b->s ? -1 : a->s > b->s;
}

static int stall_cmp(const void *x, const void *y)
{
	const struct anl_jank_stall *a = x, *b = y;

	if (a->overlap_ns != b->overlap_ns)
		return a->overlap_ns < b->overlap_ns ? 1 : -1;
	return a->start_ts < b->start_ts ? -1 : a->start_ts > b->start_ts;
}

/* No more stalls come for the oldest pending frame: its figures into the counts. */
static void frame_close(struct anl_jank_ctx *j, struct anl_jank_tl *tl)
{
	struct jt_frame *p = &tl->pend[tl->pend_head];
	struct anl_jank_frame *f = &p->f;
	struct anl_jank_timeline *c = &anl_jank_model(j)->tl;
	uint64_t dur = f->end_ts - f->start_ts, budget = anl_jank_model(j)->budget_ns;
	uint64_t over = dur > budget ? dur - budget : 0, sum = 0, cs = 0, ce = 0;
	bool late;

	/* the union of its stall intervals (nested or on several threads at once: once) */
	qsort(p->iv, p->nr_iv, sizeof(p->iv[0]), iv_cmp);
	for (uint32_t i = 0; i < p->nr_iv; i++) {
		if (!i || p->iv[i].s > ce) {
			sum += ce - cs;
			cs = p->iv[i].s;
			ce = p->iv[i].e;
		} else if (p->iv[i].e > ce) {
			ce = p->iv[i].e;
		}
	}
	sum += ce - cs + p->extra_ns;
	f->stall_ns = sum < dur ? sum : dur;
	qsort(f->stall, f->nr_listed, sizeof(f->stall[0]), stall_cmp);
	late = f->self_jank || dur > budget;
	c->frames++;
	c->self_jank += f->self_jank;
	c->stalled += f->stall_ns > 0;
	if (dur > c->max_ns)
		c->max_ns = dur;
	if (late) {
		c->late++;
		c->late_budget += dur > budget;
		c->over_ns += over;
		c->late_stall_ns += f->stall_ns;
		c->late_stalled += f->stall_ns > 0;
		c->late_lost += f->lost;
		f->explained = f->stall_ns > 0 && f->stall_ns >= over;
		c->explained += f->explained;
		anl_jank_list(j, f);
	}
	tl->pend_head = (tl->pend_head + 1) % JT_PENDING;
	tl->pend_n--;
}

static struct anl_jank_tl *tl_of(struct anl_jank_ctx *j)
{
	struct anl_jank_tl **tl = anl_jank_tl_slot(j);

	if (!*tl)
		*tl = calloc(1, sizeof(**tl));
	return *tl;
}

void anl_jank_tl_stall(struct anl_jank_ctx *j, int32_t tid, int32_t tgid,
		       const struct anl_jank_stall *st)
{
	struct anl_jank_tl *tl = tl_of(j);
	struct jt_stall *h;

	if (!tl)
		return;		/* no memory: the frames' stalls are incomplete, which the history says */
	for (uint32_t i = 0; i < tl->pend_n; i++) {
		struct jt_frame *p = &tl->pend[(tl->pend_head + i) % JT_PENDING];

		if (of_process(&p->f, tid, tgid))
			frame_stall(p, st);
	}
	if (tl->hist_n == JT_HISTORY) {
		h = &tl->hist[tl->hist_head];
		tl->hist_dropped = true;
		if (h->st.end_ts > tl->hist_dropped_end)
			tl->hist_dropped_end = h->st.end_ts;
		tl->hist_head = (tl->hist_head + 1) % JT_HISTORY;
		tl->hist_n--;
	}
	h = &tl->hist[(tl->hist_head + tl->hist_n++) % JT_HISTORY];
	h->st = *st;
	h->tgid = tgid;
}

int anl_jank_tl_frame(struct anl_jank_ctx *j, const struct prs_event *ev, uint64_t last_lost_ts)
{
	struct anl_jank_tl *tl = tl_of(j);
	struct jt_frame *p;
	struct anl_jank_frame *f;

	if (!tl)
		return -ANL_ENOMEM;
	if (ev->pid <= 0 || ev->u.frame.start_ts > ev->ts)
		return 0;	/* the reader hands out none such */
	if (tl->pend_n == JT_PENDING)
		frame_close(j, tl);
	p = &tl->pend[(tl->pend_head + tl->pend_n++) % JT_PENDING];
	memset(p, 0, sizeof(*p));
	f = &p->f;
	f->source = ANL_FRAME_TIMELINE;
	f->start_ts = ev->u.frame.start_ts;
	f->end_ts = ev->ts;
	f->tgid = ev->pid;
	f->ui_tid = f->rt_tid = -1;
	f->vsync = ev->u.frame.token > 0 ? ev->u.frame.token : -1;
	f->jank_type = ev->u.frame.jank_type;
	f->present_type = ev->u.frame.present_type;
	f->self_jank = f->jank_type != ANL_JANK_NONE && (f->jank_type & ANL_JANK_SELF);
	snprintf(f->layer, sizeof(f->layer), "%s", ev->u.frame.layer ? ev->u.frame.layer : "");
	if (ev->comm && ev->comm[0] && ev->comm[0] != '<')
		snprintf(f->ui_comm, sizeof(f->ui_comm), "%s", ev->comm);
	f->lost = last_lost_ts && last_lost_ts >= f->start_ts;
	/* the stalls of its process that ended before it did */
	for (uint32_t i = 0; i < tl->hist_n; i++) {
		const struct jt_stall *h = &tl->hist[(tl->hist_head + i) % JT_HISTORY];

		if (of_process(f, h->st.pid, h->tgid))
			frame_stall(p, &h->st);
	}
	if (tl->hist_dropped && tl->hist_dropped_end > f->start_ts) {
		/* a stall no longer kept ended inside it: perhaps one of its process */
		f->lost = true;
		anl_jank_model(j)->tl.history_short++;
	}
	return 0;
}

void anl_jank_tl_finish(struct anl_jank_ctx *j)
{
	struct anl_jank_tl *tl = *anl_jank_tl_slot(j);

	while (tl && tl->pend_n)
		frame_close(j, tl);
}

void anl_jank_tl_free(struct anl_jank_ctx *j)
{
	struct anl_jank_tl **tl = anl_jank_tl_slot(j);

	free(*tl);
	*tl = NULL;
}
