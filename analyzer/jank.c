// SPDX-License-Identifier: GPL-2.0-only
/*
 * Jank: the frames of atrace slices, with the allocation stalls inside them.
 *
 * Streaming, in bounded memory: a slice depth per thread that writes atrace
 * markers, the frames still open per process (JK_OPEN), and the late frames
 * the report lists (a min-heap of opts.frames_top, the most late).  A stall
 * is added to the frame whose slice is open on its thread when the stall
 * closes: the thread is inside the kernel while it stalls, so its record
 * closes before the thread writes the slice's end marker.
 *
 * Which frames, and how they pair (docs/jank.md): Perfetto's
 * android_frames tables (stdlib android/frames/timeline.sql) join
 * "Choreographer#doFrame N" and "DrawFrame N" of a process by vsync id N;
 * without ids (Android 11 and older, timeline_maxsdk28.sql) a DrawFrame
 * belongs to the doFrame before it.  HWUI's UI thread waits inside doFrame
 * until the RenderThread has synced the frame (DrawFrameTask::drawFrame(),
 * postAndWait()), so that DrawFrame begins while its doFrame is open: the
 * rule used here without ids, which keeps RenderThread-only animation
 * frames from stretching the doFrame before them.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"
#include "jank-local.h"

#define JK_OPEN		4	/* frames open at once in one process (pipelined: 2) */
#define JK_IVS		32	/* a thread's latest stall intervals kept per open frame */

struct jk_iv {
	uint64_t	s, e;
};

/*
 * One thread's stalls inside a frame (its UI thread or its RenderThread).
 * A thread is in one place at a time, so its stalls arrive disjoint, in end
 * order, except that an interval may hold the ones just before it: a direct
 * reclaim closes before the slow-path allocation around it, which is the
 * stall taken then.  The latest intervals stay for that, and for the moments
 * the other thread stalled too.
 */
struct jk_role {
	uint64_t	sum;		/* their total, held intervals counted once */
	uint64_t	dropped_end;	/* the latest end of an interval no longer kept */
	uint64_t	dropped_start;	/* ... the latest start */
	bool		dropped;
	uint32_t	n;
	struct jk_iv	iv[JK_IVS];
};

/* A frame not finished yet: some slice of it is open. */
struct jk_open {
	struct anl_jank_frame f;
	uint64_t	seq;		/* 0: the slot is free */
	uint64_t	lost_at;	/* the loss count when it began */
	uint64_t	both_ns;	/* moments both its threads stalled */
	uint32_t	rt_open;	/* DrawFrame slices open */
	bool		ui_open;
	bool		upper;		/* both_ns may miss moments: the union is an upper bound */
	struct jk_role	role[2];	/* [0] UI thread, [1] RenderThread */
};

struct jk_proc {
	int32_t		tgid;
	bool		counted;	/* one of its frames completed */
	struct jk_open	fr[JK_OPEN];
};

struct jk_thread {
	int32_t		tid;
	bool		used;
	bool		frame_rt;	/* its open frame slice is a DrawFrame (else a doFrame) */
	uint32_t	depth;		/* atrace slices open */
	uint32_t	frame_depth;	/* depth of its open frame slice; 0 none */
	uint32_t	slot;		/* ... in proc->fr[slot], while its seq is @seq */
	uint64_t	seq;
	uint64_t	slice_start;
	struct jk_proc	*proc;
	char		comm[16];
};

struct anl_jank_ctx {
	struct jk_thread *th;		/* open addressing by tid */
	size_t		th_cap, th_used;
	struct jk_proc	**pr;		/* open addressing by tgid */
	size_t		pr_cap, pr_used;
	uint64_t	seq;
	uint64_t	lost;		/* LOST events so far */
	uint64_t	budget;
	unsigned int	top;
	struct anl_jank_frame *heap;	/* the late frames kept: min-heap, least late at 0 */
	size_t		heap_n;
	uint64_t	last_lost_ts;	/* when events were last lost (0 never) */
	struct anl_jank_tl *tl;		/* jank-timeline.c: made at the first stall */
	struct anl_jank	m;
};

/* ---- tables -------------------------------------------------------------- */

static size_t hash32(int32_t k, size_t cap)
{
	return ((uint32_t)k * 2654435761u) & (cap - 1);
}

static int th_grow(struct anl_jank_ctx *j)
{
	size_t cap = j->th_cap ? j->th_cap * 2 : 256;
	struct jk_thread *n = calloc(cap, sizeof(*n));

	if (!n)
		return -ANL_ENOMEM;
	for (size_t i = 0; i < j->th_cap; i++) {
		size_t k;

		if (!j->th[i].used)
			continue;
		for (k = hash32(j->th[i].tid, cap); n[k].used; k = (k + 1) & (cap - 1))
			;
		n[k] = j->th[i];
	}
	free(j->th);
	j->th = n;
	j->th_cap = cap;
	return 0;
}

static struct jk_thread *th_find(const struct anl_jank_ctx *j, int32_t tid)
{
	if (!j->th_cap)
		return NULL;
	for (size_t k = hash32(tid, j->th_cap);; k = (k + 1) & (j->th_cap - 1)) {
		if (!j->th[k].used)
			return NULL;
		if (j->th[k].tid == tid)
			return &j->th[k];
	}
}

static struct jk_thread *th_get(struct anl_jank_ctx *j, int32_t tid)
{
	struct jk_thread *t = th_find(j, tid);
	size_t k;

	if (t)
		return t;
	if ((j->th_used + 1) * 2 > j->th_cap && th_grow(j))
		return NULL;
	for (k = hash32(tid, j->th_cap); j->th[k].used; k = (k + 1) & (j->th_cap - 1))
		;
	t = &j->th[k];
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->tid = tid;
	j->th_used++;
	return t;
}

static struct jk_proc *pr_get(struct anl_jank_ctx *j, int32_t tgid)
{
	size_t k;

	if (j->pr_cap) {
		for (k = hash32(tgid, j->pr_cap); j->pr[k]; k = (k + 1) & (j->pr_cap - 1))
			if (j->pr[k]->tgid == tgid)
				return j->pr[k];
	}
	if ((j->pr_used + 1) * 2 > j->pr_cap) {
		size_t cap = j->pr_cap ? j->pr_cap * 2 : 16;
		struct jk_proc **n = calloc(cap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t i = 0; i < j->pr_cap; i++) {
			if (!j->pr[i])
				continue;
			for (k = hash32(j->pr[i]->tgid, cap); n[k]; k = (k + 1) & (cap - 1))
				;
			n[k] = j->pr[i];
		}
		free(j->pr);
		j->pr = n;
		j->pr_cap = cap;
	}
	for (k = hash32(tgid, j->pr_cap); j->pr[k]; k = (k + 1) & (j->pr_cap - 1))
		;
	j->pr[k] = calloc(1, sizeof(**j->pr));
	if (!j->pr[k])
		return NULL;
	j->pr[k]->tgid = tgid;
	j->pr_used++;
	return j->pr[k];
}

static struct anl_jank_ctx *jank_ctx(struct anl_ctx *a)
{
	struct anl_jank_ctx *j = a->jank;

	if (j)
		return j;
	j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->budget = a->opts.frame_budget_ns ? a->opts.frame_budget_ns : ANL_FRAME_BUDGET_NS;
	j->top = a->opts.frames_top ? a->opts.frames_top : ANL_FRAMES_TOP;
	if (j->top > ANL_FRAMES_TOP_MAX)
		j->top = ANL_FRAMES_TOP_MAX;
	j->heap = calloc(j->top, sizeof(*j->heap));
	if (!j->heap) {
		free(j);
		return NULL;
	}
	j->m.budget_ns = j->budget;
	a->jank = j;
	return j;
}

/* ---- frame names --------------------------------------------------------- */

enum { JK_NONE = 0, JK_UI, JK_RT };

/*
 * After a frame slice's name: nothing, or " ID" (a vsync id, Android 12+,
 * maybe followed by more text: OEMs append after it, b/303823815).  -1: no
 * id; false: not a frame ("Choreographer#doFrame - resynced to 1234 in
 * 20.0ms" is a slice inside a doFrame, Android 12+).  Id 0 and -1 are
 * invalid vsync ids (Perfetto's android_frames drops them): no id.
 */
static bool vsync_of(const char *p, size_t len, int64_t *v)
{
	size_t i = 1;
	int64_t id = 0;

	*v = -1;
	if (!len)
		return true;
	if (p[0] != ' ' || len < 2 || p[1] < '0' || p[1] > '9')
		return false;
	for (; i < len && p[i] >= '0' && p[i] <= '9'; i++) {
		if (id > (INT64_MAX - 9) / 10)
			return false;
		id = id * 10 + (p[i] - '0');
	}
	if (i < len && p[i] != ' ')
		return false;
	*v = id ? id : -1;
	return true;
}

static bool has_prefix(const char *s, size_t len, const char *p, size_t plen)
{
	return len >= plen && !memcmp(s, p, plen);
}

/* Choreographer#doFrame (UI thread) or DrawFrame/DrawFrames (RenderThread), with its vsync id. */
static int frame_kind(const char *n, size_t len, int64_t *vsync)
{
	static const char ui[] = "Choreographer#doFrame", rts[] = "DrawFrames", rt[] = "DrawFrame";

	if (has_prefix(n, len, ui, sizeof(ui) - 1))
		return vsync_of(n + sizeof(ui) - 1, len - (sizeof(ui) - 1), vsync) ? JK_UI : JK_NONE;
	if (has_prefix(n, len, rts, sizeof(rts) - 1))
		return vsync_of(n + sizeof(rts) - 1, len - (sizeof(rts) - 1), vsync) ? JK_RT : JK_NONE;
	if (has_prefix(n, len, rt, sizeof(rt) - 1))
		return vsync_of(n + sizeof(rt) - 1, len - (sizeof(rt) - 1), vsync) ? JK_RT : JK_NONE;
	return JK_NONE;
}

/* ---- frames -------------------------------------------------------------- */

/* a ranks below b in the late list: less late, or as late and later */
static bool frame_below(const struct anl_jank_frame *a, const struct anl_jank_frame *b)
{
	uint64_t da = a->end_ts - a->start_ts, db = b->end_ts - b->start_ts;

	if (da != db)
		return da < db;
	return a->start_ts > b->start_ts;
}

static void heap_sift_down(struct anl_jank_ctx *j, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct anl_jank_frame t;

		if (l < j->heap_n && frame_below(&j->heap[l], &j->heap[m]))
			m = l;
		if (r < j->heap_n && frame_below(&j->heap[r], &j->heap[m]))
			m = r;
		if (m == i)
			return;
		t = j->heap[i];
		j->heap[i] = j->heap[m];
		j->heap[m] = t;
		i = m;
	}
}

static void heap_add(struct anl_jank_ctx *j, const struct anl_jank_frame *f)
{
	size_t i;

	if (j->heap_n == j->top) {
		if (!frame_below(&j->heap[0], f))
			return;
		j->heap[0] = *f;
		heap_sift_down(j, 0);
		return;
	}
	i = j->heap_n++;
	j->heap[i] = *f;
	while (i) {
		size_t p = (i - 1) / 2;
		struct anl_jank_frame t;

		if (!frame_below(&j->heap[i], &j->heap[p]))
			return;
		t = j->heap[i];
		j->heap[i] = j->heap[p];
		j->heap[p] = t;
		i = p;
	}
}

struct anl_jank *anl_jank_model(struct anl_jank_ctx *j)
{
	return &j->m;
}

struct anl_jank_tl **anl_jank_tl_slot(struct anl_jank_ctx *j)
{
	return &j->tl;
}

void anl_jank_list(struct anl_jank_ctx *j, const struct anl_jank_frame *f)
{
	heap_add(j, f);
}

static int stall_cmp(const void *x, const void *y)
{
	const struct anl_jank_stall *a = x, *b = y;

	if (a->overlap_ns != b->overlap_ns)
		return a->overlap_ns < b->overlap_ns ? 1 : -1;
	return a->start_ts < b->start_ts ? -1 : a->start_ts > b->start_ts;
}

/* Every slice of @o has ended: its figures into the counts, a late one into the list. */
static void frame_done(struct anl_jank_ctx *j, struct jk_proc *p, struct jk_open *o)
{
	struct anl_jank_frame *f = &o->f;
	uint64_t dur = f->end_ts - f->start_ts, sum;

	f->ui_stall_ns = o->role[0].sum;
	f->rt_stall_ns = o->role[1].sum;
	sum = f->ui_stall_ns + f->rt_stall_ns;
	f->stall_ns = o->both_ns < sum ? sum - o->both_ns : 0;
	f->stall_upper = o->upper;
	f->lost = o->lost_at != j->lost;
	qsort(f->stall, f->nr_listed, sizeof(f->stall[0]), stall_cmp);
	j->m.frames++;
	j->m.ui_only += !f->draws;
	j->m.rt_only += f->ui_tid < 0;
	j->m.with_vsync += f->vsync >= 0;
	if (!p->counted) {
		p->counted = true;
		j->m.processes++;
	}
	if (dur > j->m.max_ns)
		j->m.max_ns = dur;
	j->m.stalled += f->stall_ns > 0;
	if (dur > j->budget) {
		uint64_t over = dur - j->budget;

		j->m.late++;
		j->m.over_ns += over;
		j->m.late_stall_ns += f->stall_ns;
		j->m.late_stalled += f->stall_ns > 0;
		j->m.late_lost += f->lost;
		f->explained = f->stall_ns >= over;
		j->m.explained += f->explained;
		heap_add(j, f);
	}
	o->seq = 0;
}

static struct jk_open *open_of(struct jk_proc *p, uint32_t slot, uint64_t seq)
{
	return p && slot < JK_OPEN && p->fr[slot].seq == seq ? &p->fr[slot] : NULL;
}

/* A free slot of @p's open frames; the oldest is given up when none is. */
static struct jk_open *slot_new(struct anl_jank_ctx *j, struct jk_proc *p)
{
	struct jk_open *o = NULL;

	for (int i = 0; i < JK_OPEN; i++) {
		if (!p->fr[i].seq)
			return &p->fr[i];
		if (!o || p->fr[i].seq < o->seq)
			o = &p->fr[i];
	}
	j->m.evicted++;
	o->seq = 0;
	return o;
}

static void frame_init(struct anl_jank_ctx *j, struct jk_open *o, int32_t tgid, uint64_t ts,
		       int64_t vsync)
{
	memset(o, 0, sizeof(*o));
	o->seq = ++j->seq;
	o->lost_at = j->lost;
	o->f.start_ts = o->f.end_ts = ts;
	o->f.tgid = tgid;
	o->f.ui_tid = o->f.rt_tid = -1;
	o->f.vsync = vsync;
}

static void slice_open(struct anl_jank_ctx *j, struct jk_thread *t, struct jk_proc *p,
		       struct jk_open *o, bool rt, uint64_t ts)
{
	t->frame_depth = t->depth;
	t->frame_rt = rt;
	t->slot = (uint32_t)(o - p->fr);
	t->seq = o->seq;
	t->proc = p;
	t->slice_start = ts;
}

static int begin_frame(struct anl_jank_ctx *j, struct jk_thread *t, int32_t tgid, int kind,
		       int64_t vsync, uint64_t ts)
{
	struct jk_proc *p = pr_get(j, tgid);
	struct jk_open *o = NULL;

	if (!p)
		return -ANL_ENOMEM;
	if (kind == JK_RT) {
		/* its doFrame: the one of its vsync id, else the one open now (the latest) */
		for (int i = 0; i < JK_OPEN; i++) {
			struct jk_open *c = &p->fr[i];

			if (!c->seq || c->f.ui_tid < 0)
				continue;
			if (vsync >= 0 && c->f.vsync == vsync) {
				o = c;
				break;
			}
			if (c->ui_open && (vsync < 0 || c->f.vsync < 0) && (!o || c->seq > o->seq))
				o = c;
		}
	}
	if (!o) {
		o = slot_new(j, p);
		frame_init(j, o, tgid, ts, vsync);
	}
	if (kind == JK_UI) {
		o->f.ui_tid = t->tid;
		o->f.ui_start = ts;
		o->ui_open = true;
		snprintf(o->f.ui_comm, sizeof(o->f.ui_comm), "%s", t->comm);
	} else {
		if (o->f.rt_tid < 0) {
			o->f.rt_tid = t->tid;
			o->f.rt_start = ts;
			snprintf(o->f.rt_comm, sizeof(o->f.rt_comm), "%s", t->comm);
		}
		o->f.draws++;
		o->rt_open++;
	}
	slice_open(j, t, p, o, kind == JK_RT, ts);
	return 0;
}

static void end_frame_slice(struct anl_jank_ctx *j, struct jk_thread *t, uint64_t ts)
{
	struct jk_open *o = open_of(t->proc, t->slot, t->seq);

	t->frame_depth = 0;
	if (!o)
		return;		/* given up meanwhile */
	if (!t->frame_rt) {
		o->f.ui_end = ts;
		o->ui_open = false;
	} else {
		if (o->rt_open)
			o->rt_open--;
		if (ts > o->f.rt_end)
			o->f.rt_end = ts;
	}
	if (ts > o->f.end_ts)
		o->f.end_ts = ts;
	if (!o->ui_open && !o->rt_open)
		frame_done(j, t->proc, o);
}

int anl_jank_print(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_atrace_ev at;
	struct anl_jank_ctx *j;
	struct jk_thread *t;
	enum anl_atrace k;
	int64_t vsync;
	int kind;

	k = anl_atrace_parse(ev->u.print.text, ev->u.print.len, &at);
	if (k == ANL_AT_NONE || k == ANL_AT_OTHER)
		return 0;
	j = jank_ctx(a);
	if (!j)
		return -ANL_ENOMEM;
	if (k == ANL_AT_BAD) {
		j->m.bad_markers++;
		return 0;
	}
	if (ev->pid < 0)
		return 0;	/* slices are per thread: a marker of no known thread pairs with nothing */
	t = th_get(j, ev->pid);
	if (!t)
		return -ANL_ENOMEM;
	if (ev->comm && ev->comm[0] && ev->comm[0] != '<')
		snprintf(t->comm, sizeof(t->comm), "%s", ev->comm);
	if (k == ANL_AT_END) {
		if (!t->depth) {
			j->m.unmatched_end++;
			return 0;
		}
		if (t->depth == t->frame_depth)
			end_frame_slice(j, t, ev->ts);
		t->depth--;
		return 0;
	}
	j->m.slices++;
	t->depth++;
	if (t->frame_depth)
		return 0;	/* inside its frame slice: a part of the frame */
	kind = frame_kind(at.name, at.len, &vsync);
	if (kind == JK_NONE)
		return 0;
	return begin_frame(j, t, at.tgid, kind, vsync, ev->ts);
}

void anl_jank_lost(struct anl_ctx *a)
{
	if (a->jank) {
		a->jank->lost++;
		a->jank->last_lost_ts = a->last_ts ? a->last_ts : 1;
	}
}

/* A frame of the frame timeline (PRS_EV_FRAME): jank-timeline.c */
int anl_jank_frame_event(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_jank_ctx *j = jank_ctx(a);

	if (!j)
		return -ANL_ENOMEM;
	return anl_jank_tl_frame(j, ev, j->last_lost_ts);
}

/* ---- stalls -------------------------------------------------------------- */

static uint64_t overlap(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	uint64_t s = s1 > s2 ? s1 : s2, e = e1 < e2 ? e1 : e2;

	return e > s ? e - s : 0;
}

static uint64_t overlap_all(const struct jk_role *w, uint64_t s, uint64_t e)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < w->n; i++)
		sum += overlap(w->iv[i].s, w->iv[i].e, s, e);
	return sum;
}

/* The listed stall of role @rt that is @x (clipped to the frame), taken out of the list. */
static void unlist(struct anl_jank_frame *f, bool rt, const struct jk_iv *x)
{
	for (uint32_t i = 0; i < f->nr_listed; i++) {
		struct anl_jank_stall *st = &f->stall[i];

		if (st->render_thread == rt && st->end_ts == x->e && st->overlap_ns == x->e - x->s) {
			f->stall[i] = f->stall[--f->nr_listed];
			return;
		}
	}
	f->unlisted_ns -= x->e - x->s;
}

/* A stall [start, end] of @pid that ended now: into the frame open on that thread, if any. */
static void stall_add(struct anl_ctx *a, int32_t pid, int32_t tgid, uint64_t start, uint64_t end,
		      const struct anl_jank_stall *st)
{
	struct anl_jank_ctx *j = a->jank;
	struct jk_thread *t;
	struct jk_open *o;
	struct jk_role *r, *w;
	struct anl_jank_frame *f;
	uint64_t s, ov;

	if (!j || pid < 0)
		return;
	anl_jank_tl_stall(j, pid, tgid, st);
	if (!(t = th_find(j, pid)) || !t->frame_depth)
		return;
	o = open_of(t->proc, t->slot, t->seq);
	if (!o)
		return;
	s = start > t->slice_start ? start : t->slice_start;
	if (end <= s)
		return;
	ov = end - s;
	f = &o->f;
	r = &o->role[t->frame_rt];
	w = &o->role[!t->frame_rt];
	/* the intervals it holds (they began after it): it is the stall, they are parts of it */
	while (r->n && r->iv[r->n - 1].s >= s) {
		struct jk_iv x = r->iv[--r->n];

		r->sum -= x.e - x.s;
		o->both_ns -= overlap_all(w, x.s, x.e);
		unlist(f, t->frame_rt, &x);
		f->nr_stalls--;
	}
	if (r->dropped && s <= r->dropped_start)
		o->upper = true;	/* it holds an interval no longer kept: counted twice */
	if (w->dropped && s < w->dropped_end)
		o->upper = true;	/* the other thread's dropped ones may overlap it */
	o->both_ns += overlap_all(w, s, end);
	r->sum += ov;
	if (r->n == JK_IVS) {
		r->dropped = true;
		if (r->iv[0].e > r->dropped_end)
			r->dropped_end = r->iv[0].e;
		if (r->iv[0].s > r->dropped_start)
			r->dropped_start = r->iv[0].s;
		memmove(r->iv, r->iv + 1, (JK_IVS - 1) * sizeof(r->iv[0]));
		r->n--;
	}
	r->iv[r->n++] = (struct jk_iv){ s, end };
	anl_jank_list_stall(f, st, ov, t->frame_rt);
}

void anl_jank_list_stall(struct anl_jank_frame *f, const struct anl_jank_stall *st, uint64_t ov,
			 bool render_thread)
{
	struct anl_jank_stall *slot;

	f->nr_stalls++;
	if (f->nr_listed < ANL_JANK_STALLS) {
		slot = &f->stall[f->nr_listed++];
	} else {
		slot = &f->stall[0];
		for (int i = 1; i < ANL_JANK_STALLS; i++)
			if (f->stall[i].overlap_ns < slot->overlap_ns)
				slot = &f->stall[i];
		if (slot->overlap_ns >= ov) {
			f->unlisted_ns += ov;
			return;
		}
		f->unlisted_ns += slot->overlap_ns;
	}
	*slot = *st;
	slot->overlap_ns = ov;
	slot->render_thread = render_thread;
}

void anl_jank_alloc(struct anl_ctx *a, const struct anl_alloc *rec)
{
	struct anl_jank_stall st;

	/* an episode spans its stages and the gaps between them: its stages come as spans */
	if (rec->outcome == ANL_FAST || (rec->flags & ANL_REC_EPISODE) ||
	    rec->parent_id || rec->end_ts <= rec->start_ts || rec->latency_ns == PRS_NO_VALUE)
		return;
	memset(&st, 0, sizeof(st));
	st.kind = ANL_JSTALL_SLOW_PATH;
	st.start_ts = rec->start_ts;
	st.end_ts = rec->end_ts;
	st.alloc_id = rec->id;
	st.pid = rec->pid;
	st.order = rec->order;
	st.failed = rec->outcome == ANL_FAILED;
	st.reclaims = rec->stage_count[ANL_STAGE_DIRECT_RECLAIM];
	st.reclaim_ns = rec->stage_ns[ANL_STAGE_DIRECT_RECLAIM];
	st.compact_ns = rec->stage_ns[ANL_STAGE_COMPACTION];
	st.oom_ns = rec->stage_ns[ANL_STAGE_OOM];
	/* the frame timeline's frames may come after their stalls: kept from the first stall on */
	if (!jank_ctx(a))
		return;
	stall_add(a, rec->pid, rec->tgid, rec->start_ts, rec->end_ts, &st);
}

void anl_jank_span(struct anl_ctx *a, enum anl_span_kind kind, uint64_t start, uint64_t end,
		   int32_t pid)
{
	struct anl_jank_stall st;
	const struct anl_task *t;

	if (kind != ANL_SPAN_DIRECT_RECLAIM && kind != ANL_SPAN_COMPACTION)
		return;
	if (!jank_ctx(a))
		return;
	memset(&st, 0, sizeof(st));
	st.kind = kind == ANL_SPAN_DIRECT_RECLAIM ? ANL_JSTALL_RECLAIM : ANL_JSTALL_COMPACTION;
	st.start_ts = start;
	st.end_ts = end;
	st.pid = pid;
	st.order = -1;
	if (kind == ANL_SPAN_DIRECT_RECLAIM) {
		st.reclaims = 1;
		st.reclaim_ns = end - start;
	} else {
		st.compact_ns = end - start;
	}
	t = pid >= 0 ? anl_task_get(a, pid) : NULL;
	stall_add(a, pid, t ? t->tgid : -1, start, end, &st);
}

/* ---- the model ----------------------------------------------------------- */

static int frame_time_cmp(const void *x, const void *y)
{
	const struct anl_jank_frame *a = x, *b = y;

	if (a->start_ts != b->start_ts)
		return a->start_ts < b->start_ts ? -1 : 1;
	if (a->tgid != b->tgid)
		return a->tgid < b->tgid ? -1 : 1;
	return a->ui_tid < b->ui_tid ? -1 : a->ui_tid > b->ui_tid;
}

const struct anl_jank *anl_jank_finish(struct anl_ctx *a)
{
	struct anl_jank_ctx *j = a->jank;

	if (!j) {
		memset(&a->jank_none, 0, sizeof(a->jank_none));
		a->jank_none.budget_ns = a->opts.frame_budget_ns ? a->opts.frame_budget_ns :
					 ANL_FRAME_BUDGET_NS;
		return &a->jank_none;
	}
	anl_jank_tl_finish(j);
	for (size_t i = 0; i < j->pr_cap; i++) {
		if (!j->pr[i])
			continue;
		for (int k = 0; k < JK_OPEN; k++)
			if (j->pr[i]->fr[k].seq) {
				j->m.open_at_end++;
				j->pr[i]->fr[k].seq = 0;
			}
	}
	qsort(j->heap, j->heap_n, sizeof(*j->heap), frame_time_cmp);
	j->m.list = j->heap;
	j->m.nr_list = j->heap_n;
	j->m.not_listed = j->m.late + j->m.tl.late - j->heap_n;
	return &j->m;
}

void anl_jank_free(struct anl_ctx *a)
{
	struct anl_jank_ctx *j = a->jank;

	if (!j)
		return;
	for (size_t i = 0; i < j->pr_cap; i++)
		free(j->pr[i]);
	free(j->pr);
	free(j->th);
	anl_jank_tl_free(j);
	free(j->heap);
	free(j);
	a->jank = NULL;
}
