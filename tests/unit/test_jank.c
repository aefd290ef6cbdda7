// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frames of atrace slices against the allocation stalls inside them:
 * synthetic event sequences as the readers produce them (print events with
 * atrace text, tracepoints, function events), checked against the model's
 * jank figures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyzer.h"
#include "report.h"

#define MS	1000000ull
#define US	1000ull
#define NONE	PRS_NO_VALUE

static const char G_USER[] = "GFP_HIGHUSER_MOVABLE|__GFP_ZERO";
static const char F_ALLOC[] = "__alloc_pages_noprof";
static const char F_GPFL[] = "get_page_from_freelist";
static const char F_RECLAIM[] = "try_to_free_pages";

enum { APP = 100, UI = 100, RT = 101, OTHER = 102 };

static struct anl_ctx *ctx(enum anl_mode mode, uint64_t budget, unsigned int top)
{
	struct anl_opts o = { .mode = mode, .frame_budget_ns = budget, .frames_top = top };
	struct anl_ctx *a;

	assert_int_equal(anl_new(&o, &a), 0);
	return a;
}

static const struct anl_jank *finish(struct anl_ctx *a)
{
	const struct anl_model *m;

	assert_int_equal(anl_finish(a, &m), 0);
	assert_non_null(m->jank);
	return m->jank;
}

static struct prs_event ev0(uint64_t ts, int pid, enum prs_kind kind)
{
	struct prs_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.pid = pid;
	ev.tgid = -1;
	ev.cpu = pid == RT ? 1 : 0;
	ev.kind = kind;
	ev.comm = pid == UI ? "app" : pid == RT ? "RenderThread" : "other";
	return ev;
}

static void feed(struct anl_ctx *a, struct prs_event *ev)
{
	assert_int_equal(anl_feed(a, ev), 0);
}

static void mark(struct anl_ctx *a, uint64_t ts, int pid, const char *fmt, ...)
{
	static char buf[256];
	struct prs_event ev = ev0(ts, pid, PRS_EV_PRINT);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ev.u.print.text = buf;
	ev.u.print.len = strlen(buf);
	feed(a, &ev);
}

/* events mode with mm_page_alloc: a slow path is its first stage event .. its mm_page_alloc */
static void reclaim_alloc(struct anl_ctx *a, int pid, uint64_t b, uint64_t e, uint64_t alloc)
{
	struct prs_event ev = ev0(b, pid, PRS_EV_RECLAIM_BEGIN);

	ev.u.mm.order = 0;
	ev.u.mm.gfp = NONE;
	ev.u.mm.gfp_str = G_USER;
	ev.u.mm.pfn = NONE;
	ev.u.mm.migratetype = ev.u.mm.nid = ev.u.mm.zid = ev.u.mm.prio = -1;
	feed(a, &ev);
	ev = ev0(e, pid, PRS_EV_RECLAIM_END);
	ev.u.reclaim.nr_reclaimed = 32;
	feed(a, &ev);
	if (alloc == NONE)
		return;
	ev = ev0(alloc, pid, PRS_EV_PAGE_ALLOC);
	ev.u.mm.order = 0;
	ev.u.mm.pfn = 0x1000;
	ev.u.mm.gfp = NONE;
	ev.u.mm.gfp_str = G_USER;
	ev.u.mm.migratetype = 1;
	ev.u.mm.nid = ev.u.mm.zid = ev.u.mm.prio = -1;
	feed(a, &ev);
}

static void fn(struct anl_ctx *a, uint64_t ts, int pid, enum prs_kind kind, const char *func,
	       int depth, uint64_t retval)
{
	struct prs_event ev = ev0(ts, pid, kind);

	ev.u.fn.func = func;
	ev.u.fn.depth = depth;
	ev.u.fn.duration = NONE;
	ev.u.fn.retval = retval;
	ev.u.fn.arg[0] = ev.u.fn.arg[1] = NONE;
	feed(a, &ev);
}

/* function_graph: one allocation of @pid from @b to @e whose first gpfl failed, a reclaim inside */
static void graph_slow(struct anl_ctx *a, int pid, uint64_t b, uint64_t e)
{
	fn(a, b, pid, PRS_EV_FUNC_ENTRY, F_ALLOC, 0, NONE);
	fn(a, b + 1 * US, pid, PRS_EV_FUNC_ENTRY, F_GPFL, 1, NONE);
	fn(a, b + 2 * US, pid, PRS_EV_FUNC_EXIT, F_GPFL, 1, 0);
	fn(a, b + 3 * US, pid, PRS_EV_FUNC_ENTRY, F_RECLAIM, 1, NONE);
	fn(a, e - 2 * US, pid, PRS_EV_FUNC_EXIT, F_RECLAIM, 1, NONE);
	fn(a, e - 1 * US, pid, PRS_EV_FUNC_ENTRY, F_GPFL, 1, NONE);
	fn(a, e - 1 * US + 500, pid, PRS_EV_FUNC_EXIT, F_GPFL, 1, 0xffff);
	fn(a, e, pid, PRS_EV_FUNC_EXIT, F_ALLOC, 0, 0xffff);
}

static void test_atrace_grammar(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 0, 0);
	const struct anl_jank *j;

	(void)state;
	mark(a, 1 * MS, UI, "B|%d|Choreographer#doFrame", APP);
	mark(a, 2 * MS, UI, "S|%d|deliverInputEvent|263", APP);	/* async: no thread slice */
	mark(a, 3 * MS, UI, "C|%d|hwui_Texture|1906008", APP);	/* counter */
	mark(a, 4 * MS, UI, "F|%d|deliverInputEvent|263", APP);
	mark(a, 5 * MS, UI, "trace_event_clock_sync: parent_ts=683201.375000");
	mark(a, 6 * MS, UI, "allocscope: begin");
	mark(a, 7 * MS, UI, "B|x|broken");			/* unreadable: counted, no slice */
	mark(a, 8 * MS, UI, "B|%d|traversal\n", APP);		/* a newline left in the buffer */
	mark(a, 9 * MS, UI, "E|%d", APP);
	mark(a, 30 * MS, UI, "E");				/* old atrace and Flutter: "E" alone */
	mark(a, 31 * MS, UI, "E|%d", APP);			/* nothing open: the trace began inside */
	j = finish(a);
	assert_int_equal(j->slices, 2);
	assert_int_equal(j->bad_markers, 1);
	assert_int_equal(j->unmatched_end, 1);
	assert_int_equal(j->frames, 1);
	assert_int_equal(j->ui_only, 1);
	assert_int_equal(j->late, 1);
	assert_int_equal(j->nr_list, 1);
	assert_int_equal(j->list[0].start_ts, 1 * MS);
	assert_int_equal(j->list[0].end_ts, 30 * MS);
	assert_int_equal(j->list[0].vsync, -1);
	assert_int_equal(j->budget_ns, ANL_FRAME_BUDGET_NS);
	anl_free(a);
}

/* Without vsync ids a DrawFrame belongs to the doFrame open when it begins; one after it is a frame of its own. */
static void test_pairing_without_ids(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 10 * MS, 0);
	const struct anl_jank *j;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame", APP);
	mark(a, 1 * MS, UI, "B|%d|traversal", APP);
	mark(a, 2 * MS, RT, "B|%d|DrawFrame", APP);		/* the sync: inside doFrame */
	mark(a, 3 * MS, UI, "E|%d", APP);
	mark(a, 4 * MS, UI, "E|%d", APP);			/* doFrame ends */
	mark(a, 12 * MS, RT, "E|%d", APP);			/* DrawFrame ends: 12 ms frame */
	mark(a, 20 * MS, RT, "B|%d|DrawFrame", APP);		/* RenderThread animation */
	mark(a, 21 * MS, RT, "E|%d", APP);
	j = finish(a);
	assert_int_equal(j->frames, 2);
	assert_int_equal(j->rt_only, 1);
	assert_int_equal(j->processes, 1);
	assert_int_equal(j->late, 1);
	assert_int_equal(j->max_ns, 12 * MS);
	assert_int_equal(j->over_ns, 2 * MS);
	assert_int_equal(j->list[0].ui_tid, UI);
	assert_int_equal(j->list[0].rt_tid, RT);
	assert_int_equal(j->list[0].draws, 1);
	assert_int_equal(j->list[0].ui_end, 4 * MS);
	assert_int_equal(j->list[0].rt_start, 2 * MS);
	assert_string_equal(j->list[0].rt_comm, "RenderThread");
	anl_free(a);
}

/* Vsync ids pair doFrame N with DrawFrames N even when the next doFrame has begun (pipelining). */
static void test_pairing_with_ids(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 10 * MS, 0);
	const struct anl_jank *j;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame 41", APP);
	mark(a, 2 * MS, RT, "B|%d|DrawFrames 41", APP);
	mark(a, 3 * MS, UI, "B|%d|Choreographer#doFrame - resynced to 41 in 0.1ms", APP);	/* inside */
	mark(a, 3 * MS + 1, UI, "E|%d", APP);
	mark(a, 4 * MS, UI, "E|%d", APP);
	mark(a, 16 * MS, UI, "B|%d|Choreographer#doFrame 42", APP);
	mark(a, 17 * MS, RT, "E|%d", APP);			/* DrawFrames 41 ends: 17 ms */
	mark(a, 18 * MS, RT, "B|%d|DrawFrames 42", APP);
	mark(a, 19 * MS, UI, "E|%d", APP);
	mark(a, 21 * MS, RT, "E|%d", APP);			/* 42: 16 .. 21 */
	j = finish(a);
	assert_int_equal(j->frames, 2);
	assert_int_equal(j->with_vsync, 2);
	assert_int_equal(j->ui_only + j->rt_only, 0);
	assert_int_equal(j->late, 1);
	assert_int_equal(j->list[0].vsync, 41);
	assert_int_equal(j->list[0].end_ts, 17 * MS);
	assert_int_equal(j->open_at_end, 0);
	anl_free(a);
}

/*
 * A slow path on the UI thread inside doFrame (events mode: first stage event
 * .. mm_page_alloc), another on a thread outside the frame, one on the UI
 * thread after doFrame: only the first counts.
 */
static void test_stall_explains(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_EVENTS, 16 * MS, 0);
	const struct anl_jank *j;
	const struct anl_jank_frame *f;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame 7", APP);
	reclaim_alloc(a, UI, 1 * MS, 7 * MS, 8 * MS);		/* 7 ms inside */
	reclaim_alloc(a, OTHER, 2 * MS, 9 * MS, 9 * MS);	/* another thread */
	mark(a, 10 * MS, RT, "B|%d|DrawFrames 7", APP);
	mark(a, 11 * MS, UI, "E|%d", APP);
	mark(a, 22 * MS, RT, "E|%d", APP);			/* 22 ms: 6 ms over */
	reclaim_alloc(a, UI, 23 * MS, 30 * MS, 31 * MS);	/* after the frame */
	j = finish(a);
	assert_int_equal(j->frames, 1);
	assert_int_equal(j->late, 1);
	assert_int_equal(j->late_stalled, 1);
	assert_int_equal(j->explained, 1);
	assert_int_equal(j->stalled, 1);
	f = &j->list[0];
	assert_int_equal(f->stall_ns, 7 * MS);
	assert_int_equal(f->ui_stall_ns, 7 * MS);
	assert_int_equal(f->rt_stall_ns, 0);
	assert_int_equal(f->nr_stalls, 1);
	assert_int_equal(f->nr_listed, 1);
	assert_true(f->explained);
	assert_int_equal(f->stall[0].kind, ANL_JSTALL_SLOW_PATH);
	assert_int_equal(f->stall[0].start_ts, 1 * MS);
	assert_int_equal(f->stall[0].end_ts, 8 * MS);
	assert_int_equal(f->stall[0].reclaim_ns, 6 * MS);
	assert_int_equal(f->stall[0].reclaims, 1);
	assert_false(f->stall[0].render_thread);
	assert_int_not_equal(f->stall[0].alloc_id, 0);
	anl_free(a);
}

/* Stalls shorter than the overrun: partly; both threads stalled at once: counted once. */
static void test_stall_union(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_EVENTS, 10 * MS, 0);
	const struct anl_jank *j;
	const struct anl_jank_frame *f;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame", APP);
	mark(a, 1 * MS, RT, "B|%d|DrawFrame", APP);
	reclaim_alloc(a, UI, 2 * MS, 4 * MS, 5 * MS);		/* UI 2..5 */
	reclaim_alloc(a, RT, 3 * MS, 6 * MS, 6 * MS);		/* RT 3..6: 2 ms of both */
	mark(a, 7 * MS, UI, "E|%d", APP);
	mark(a, 30 * MS, RT, "E|%d", APP);			/* 30 ms: 20 over */
	j = finish(a);
	f = &j->list[0];
	assert_int_equal(f->ui_stall_ns, 3 * MS);
	assert_int_equal(f->rt_stall_ns, 3 * MS);
	assert_int_equal(f->stall_ns, 4 * MS);
	assert_false(f->explained);
	assert_int_equal(j->explained, 0);
	assert_int_equal(j->late_stalled, 1);
	assert_int_equal(f->stall[0].render_thread + f->stall[1].render_thread, 1);
	anl_free(a);
}

/* Tracepoints without mm_page_alloc: the reclaim intervals, not the episode's gaps between them. */
static void test_episode_spans(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 10 * MS, 0);
	const struct anl_jank *j;
	const struct anl_jank_frame *f;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame", APP);
	reclaim_alloc(a, UI, 1 * MS, 3 * MS, NONE);
	reclaim_alloc(a, UI, 6 * MS, 7 * MS, NONE);		/* the same episode (gap < 1 s) */
	mark(a, 20 * MS, UI, "E|%d", APP);
	j = finish(a);
	f = &j->list[0];
	assert_int_equal(f->stall_ns, 3 * MS);
	assert_int_equal(f->nr_stalls, 2);
	assert_int_equal(f->stall[0].kind, ANL_JSTALL_RECLAIM);
	assert_int_equal(f->stall[0].overlap_ns, 2 * MS);
	anl_free(a);
}

/* function_graph: the outermost slow allocation is the stall; a stall begun before the slice is clipped. */
static void test_graph_stall(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 10 * MS, 0);
	const struct anl_jank *j;
	const struct anl_jank_frame *f;

	(void)state;
	mark(a, 0, RT, "B|%d|DrawFrame", APP);			/* no doFrame: RenderThread only */
	graph_slow(a, RT, 2 * MS, 14 * MS);
	mark(a, 15 * MS, RT, "E|%d", APP);
	j = finish(a);
	assert_int_equal(j->rt_only, 1);
	f = &j->list[0];
	assert_int_equal(f->stall_ns, 12 * MS);
	assert_int_equal(f->rt_stall_ns, 12 * MS);
	assert_true(f->explained);
	assert_true(f->stall[0].render_thread);
	assert_int_equal(f->stall[0].reclaims, 1);
	anl_free(a);
}

/* The list keeps the most late frames (opts.frames_top), in time order; the rest are counted. */
static void test_list_cap(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 10 * MS, 2);
	static const uint64_t dur[] = { 12, 30, 5, 20 };
	const struct anl_jank *j;

	(void)state;
	for (int i = 0; i < 4; i++) {
		mark(a, i * 100 * MS, UI, "B|%d|Choreographer#doFrame", APP);
		mark(a, i * 100 * MS + dur[i] * MS, UI, "E|%d", APP);
	}
	mark(a, 500 * MS, UI, "B|%d|Choreographer#doFrame", APP);	/* open at the end */
	j = finish(a);
	assert_int_equal(j->frames, 4);
	assert_int_equal(j->late, 3);
	assert_int_equal(j->nr_list, 2);
	assert_int_equal(j->not_listed, 1);
	assert_int_equal(j->list[0].start_ts, 100 * MS);
	assert_int_equal(j->list[1].start_ts, 300 * MS);
	assert_int_equal(j->open_at_end, 1);
	anl_free(a);
}

/* A frame across lost events says so: its stalls may be missing. */
static void test_lost(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 10 * MS, 0);
	struct prs_event ev;
	const struct anl_jank *j;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame", APP);
	ev = ev0(5 * MS, -1, PRS_EV_LOST);
	ev.cpu = 0;
	ev.u.lost.count = 10;
	feed(a, &ev);
	mark(a, 20 * MS, UI, "E|%d", APP);
	j = finish(a);
	assert_int_equal(j->late_lost, 1);
	assert_true(j->list[0].lost);
	anl_free(a);
}

/* No atrace at all: an empty section, never NULL. */
static void test_none(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_AUTO, 0, 0);
	const struct anl_jank *j;

	(void)state;
	mark(a, 0, UI, "allocscope: begin");
	j = finish(a);
	assert_int_equal(j->slices, 0);
	assert_int_equal(j->frames, 0);
	assert_int_equal(j->nr_list, 0);
	assert_int_equal(j->budget_ns, ANL_FRAME_BUDGET_NS);
	anl_free(a);
}

/* The frames report renders what the model holds (stalls --frames, text and JSON). */
static void test_report(void **state)
{
	struct anl_ctx *a = ctx(ANL_MODE_EVENTS, 16 * MS, 0);
	const struct anl_model *m;
	struct rpt_input in = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	mark(a, 0, UI, "B|%d|Choreographer#doFrame 7", APP);
	reclaim_alloc(a, UI, 1 * MS, 7 * MS, 8 * MS);
	mark(a, 22 * MS, UI, "E|%d", APP);
	assert_int_equal(anl_finish(a, &m), 0);
	in.model = m;
	in.trace_path = "t.txt";
	f = open_memstream(&buf, &len);
	assert_int_equal(rpt_frames_text(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "22.000"));		/* FRAME ms */
	assert_non_null(strstr(buf, "6.000"));		/* OVER ms */
	assert_non_null(strstr(buf, "explained"));
	assert_non_null(strstr(buf, "vsync 7"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(rpt_frames_json(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"dur_ns\": 22000000"));
	assert_non_null(strstr(buf, "\"stall_ns\": 7000000, \"explained\": true"));
	free(buf);
	anl_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atrace_grammar),
		cmocka_unit_test(test_pairing_without_ids),
		cmocka_unit_test(test_pairing_with_ids),
		cmocka_unit_test(test_stall_explains),
		cmocka_unit_test(test_stall_union),
		cmocka_unit_test(test_episode_spans),
		cmocka_unit_test(test_graph_stall),
		cmocka_unit_test(test_list_cap),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
