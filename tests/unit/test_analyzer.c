// SPDX-License-Identifier: GPL-2.0-only
/*
 * Synthetic event sequences for every allocator scenario, in graph,
 * retprobe and events modes.  Each test feeds normalized events as the
 * readers would produce them and checks the model and the records.
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
#include "analyzer-local.h"	/* anl_after_retry(), anl_ev_single_reclaim() */
#include "report.h"

/* Interned strings: the readers hand out one pointer per name. */
static const char F_ALLOC[] = "__alloc_pages_noprof";
static const char F_FROZEN[] = "__alloc_frozen_pages_noprof";
static const char F_ALLOC_CP[] = "__alloc_pages.constprop.0";
static const char F_GPFL[] = "get_page_from_freelist";
static const char F_WAKE[] = "wake_all_kswapds";
static const char F_COMPACT[] = "__alloc_pages_direct_compact";
static const char F_RECLAIM[] = "try_to_free_pages";
static const char F_OOM[] = "out_of_memory";
static const char F_BULK[] = "__alloc_pages_bulk";
static const char F_NOLOCK[] = "alloc_pages_nolock_noprof";
static const char F_NOLOCK_FROZEN[] = "alloc_frozen_pages_nolock_noprof";
static const char G_USER[] = "GFP_HIGHUSER_MOVABLE|__GFP_ZERO";
static const char G_THP[] = "GFP_TRANSHUGE|__GFP_NORETRY";
static const char G_NOWAIT[] = "GFP_NOWAIT";

#define MS	1000000ull
#define US	1000ull
#define NONE	PRS_NO_VALUE

#define MAX_RECS 32
struct recs {
	int		n;
	struct anl_alloc r[MAX_RECS];
};

static void collect(const struct anl_alloc *rec, void *data)
{
	struct recs *rs = data;

	if (rs->n < MAX_RECS)
		rs->r[rs->n++] = *rec;
}

struct fx {
	struct anl_ctx		*a;
	struct recs		recs;
	const struct anl_model	*m;
};

static struct fx *fx_new(enum anl_mode mode)
{
	struct fx *x = calloc(1, sizeof(*x));
	struct anl_opts o = { .mode = mode, .record = collect };

	assert_non_null(x);
	o.record_data = &x->recs;
	assert_int_equal(anl_new(&o, &x->a), 0);
	return x;
}

static const struct anl_model *fx_finish(struct fx *x)
{
	assert_int_equal(anl_finish(x->a, &x->m), 0);
	return x->m;
}

static void fx_free(struct fx *x)
{
	anl_free(x->a);
	free(x);
}

/* /proc/vmstat before and after the window, as --vmstat-before/--vmstat-after give them */
static void fx_vmstat(struct fx *x, const char *before, const char *after)
{
	assert_int_equal(anl_set_vmstat(x->a, false, before, strlen(before)), 0);
	assert_int_equal(anl_set_vmstat(x->a, true, after, strlen(after)), 0);
}

static void feed(struct fx *x, struct prs_event *ev)
{
	if (!ev->comm)
		ev->comm = "task";
	assert_int_equal(anl_feed(x->a, ev), 0);
}

/* the comm of the events base() makes ("task" when NULL) */
static const char *base_comm;

static struct prs_event base(uint64_t ts, int pid, int cpu, enum prs_kind kind)
{
	struct prs_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.ts = ts;
	ev.pid = pid;
	ev.tgid = pid;
	ev.cpu = cpu;
	ev.kind = kind;
	ev.comm = base_comm ? base_comm : "task";
	return ev;
}

/* function_graph entry / exit */
static void fent(struct fx *x, uint64_t ts, int pid, int cpu, const char *func, int depth)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_FUNC_ENTRY);

	ev.u.fn.func = func;
	ev.u.fn.depth = depth;
	ev.u.fn.duration = ev.u.fn.retval = NONE;
	ev.u.fn.arg[0] = ev.u.fn.arg[1] = NONE;
	ev.u.fn.alloc_flags = NONE;
	feed(x, &ev);
}

static void fexit(struct fx *x, uint64_t ts, int pid, int cpu, const char *func, int depth,
		  uint64_t dur, uint64_t retval)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_FUNC_EXIT);

	ev.u.fn.func = func;
	ev.u.fn.depth = depth;
	ev.u.fn.duration = dur;
	ev.u.fn.retval = retval;
	ev.u.fn.arg[0] = ev.u.fn.arg[1] = NONE;
	ev.u.fn.alloc_flags = NONE;
	feed(x, &ev);
}

/* a leaf call: entry + exit with its duration */
static void leaf(struct fx *x, uint64_t ts, int pid, int cpu, const char *func, int depth,
		 uint64_t dur, uint64_t retval)
{
	fent(x, ts, pid, cpu, func, depth);
	fexit(x, ts + dur, pid, cpu, func, depth, dur, retval);
}

static void kprobe(struct fx *x, uint64_t ts, int pid, int cpu, const char *func,
		   uint64_t gfp, uint64_t order)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_KPROBE);

	ev.u.fn.func = func;
	ev.u.fn.depth = -1;
	ev.u.fn.duration = ev.u.fn.retval = NONE;
	ev.u.fn.arg[0] = gfp;
	ev.u.fn.arg[1] = order;
	ev.u.fn.alloc_flags = NONE;
	feed(x, &ev);
}

static void kret(struct fx *x, uint64_t ts, int pid, int cpu, const char *func,
		 const char *caller, uint64_t retval)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_KRETPROBE);

	ev.u.fn.func = func;
	ev.u.fn.caller = caller;
	ev.u.fn.depth = -1;
	ev.u.fn.duration = NONE;
	ev.u.fn.retval = retval;
	ev.u.fn.arg[0] = ev.u.fn.arg[1] = NONE;
	ev.u.fn.alloc_flags = NONE;
	feed(x, &ev);
}

static void mm(struct fx *x, uint64_t ts, int pid, int cpu, enum prs_kind kind, int order,
	       uint64_t gfp, const char *gfp_str, uint64_t pfn)
{
	struct prs_event ev = base(ts, pid, cpu, kind);

	ev.u.mm.pfn = pfn;
	ev.u.mm.page = pfn == NONE ? 0 : 1;	/* the readers' verdict: no pfn, a NULL page */
	ev.u.mm.gfp = gfp;
	ev.u.mm.gfp_str = gfp_str;
	ev.u.mm.order = order;
	ev.u.mm.migratetype = ev.u.mm.nid = ev.u.mm.zid = ev.u.mm.prio = -1;
	feed(x, &ev);
}

static void page_alloc(struct fx *x, uint64_t ts, int pid, int cpu, int order, const char *gfp)
{
	mm(x, ts, pid, cpu, PRS_EV_PAGE_ALLOC, order, NONE, gfp, 0x1000 + ts % 1000);
}

static void reclaim_begin(struct fx *x, uint64_t ts, int pid, int cpu)
{
	mm(x, ts, pid, cpu, PRS_EV_RECLAIM_BEGIN, 0, NONE, G_USER, NONE);
}

static void reclaim_end(struct fx *x, uint64_t ts, int pid, int cpu, uint64_t nr)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_RECLAIM_END);

	ev.u.reclaim.nr_reclaimed = nr;
	feed(x, &ev);
}

static void simple(struct fx *x, uint64_t ts, int pid, int cpu, enum prs_kind kind)
{
	struct prs_event ev = base(ts, pid, cpu, kind);

	ev.u.compact.sync = ev.u.compact.order = -1;
	ev.u.compact.status = INT32_MIN;
	if (kind == PRS_EV_MARK_VICTIM)
		ev.u.victim.pid = pid + 1;
	feed(x, &ev);
}

static void lost(struct fx *x, uint64_t ts, int cpu, uint64_t n)
{
	struct prs_event ev = base(ts, -1, cpu, PRS_EV_LOST);

	ev.u.lost.count = n;
	feed(x, &ev);
}

static void marker(struct fx *x, uint64_t ts, const char *text)
{
	struct prs_event ev = base(ts, 1, 0, PRS_EV_PRINT);

	ev.u.print.text = text;
	ev.u.print.len = strlen(text);
	feed(x, &ev);
}

static void sw(struct fx *x, uint64_t ts, int cpu, const char *prev, int prev_pid,
	       const char *next, int next_pid)
{
	struct prs_event ev = base(ts, prev_pid, cpu, PRS_EV_SCHED_SWITCH);

	ev.u.sw.prev_comm = prev;
	ev.u.sw.prev_pid = prev_pid;
	ev.u.sw.next_comm = next;
	ev.u.sw.next_pid = next_pid;
	ev.u.sw.prev_state = 'S';
	feed(x, &ev);
}

/* A fast allocation in function_graph shape. */
static void graph_fast(struct fx *x, uint64_t ts, int pid, int cpu)
{
	fent(x, ts, pid, cpu, F_ALLOC, 0);
	leaf(x, ts + 1 * US, pid, cpu, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, ts + 4 * US, pid, cpu, 0, G_USER);
	fexit(x, ts + 5 * US, pid, cpu, F_ALLOC, 0, 5 * US, NONE);
}

/* ---- graph mode --------------------------------------------------------- */

static void test_graph_fast(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	graph_fast(x, 1 * MS, 100, 0);
	graph_fast(x, 2 * MS, 100, 0);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_GRAPH);
	assert_true(m->slow_path_exact);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 0);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].timed, 2);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].max_ns, 5 * US);
	assert_int_equal(x->recs.n, 2);
	assert_int_equal(x->recs.r[0].outcome, ANL_FAST);
	assert_int_equal(x->recs.r[0].gpfl_calls, 1);
	fx_free(x);
}

static void test_graph_slow_kswapd(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 4 * US, 100, 0, F_WAKE, 1);
	mm(x, t + 5 * US, 100, 0, PRS_EV_WAKEUP_KSWAPD, 0, 0x100cca, G_USER, NONE);
	fexit(x, t + 6 * US, 100, 0, F_WAKE, 1, 2 * US, NONE);
	leaf(x, t + 7 * US, 100, 0, F_GPFL, 1, 3 * US, NONE);
	page_alloc(x, t + 11 * US, 100, 0, 0, G_USER);
	fexit(x, t + 12 * US, 100, 0, F_ALLOC, 0, 12 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 1);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_WAKE_ALL_KSWAPDS].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_WAKE_ALL_KSWAPDS].total_ns, 2 * US);
	/* the tracepoint inside wake_all_kswapds(): kswapd was asleep and woken */
	assert_int_equal(m->scope.stage[ANL_STAGE_KSWAPD_WOKEN].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].count, 0);
	assert_null(m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS]);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].max_ns, 12 * US);
	/* 12us - 2us wake - 3us at the min watermark */
	assert_int_equal(x->recs.r[0].stage_ns[ANL_STAGE_OTHER], 7 * US);
	assert_int_equal(m->scope.wakeup_kswapd_slow, 1);
	fx_free(x);
}

static void test_graph_compaction(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 4 * US, 100, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, t + 6 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_COMPACT, 1);
	simple(x, t + 11 * US, 100, 0, PRS_EV_TRY_COMPACT);
	simple(x, t + 12 * US, 100, 0, PRS_EV_COMPACT_BEGIN);
	simple(x, t + 40 * US, 100, 0, PRS_EV_COMPACT_END);
	leaf(x, t + 41 * US, 100, 0, F_GPFL, 2, 2 * US, NONE);
	fexit(x, t + 50 * US, 100, 0, F_COMPACT, 1, 40 * US, NONE);
	page_alloc(x, t + 51 * US, 100, 0, 9, G_THP);
	fexit(x, t + 52 * US, 100, 0, F_ALLOC, 0, 52 * US, NONE);
	/* order 0 later: __alloc_pages_direct_compact returns at once, not a compaction */
	fent(x, t + 100 * US, 100, 0, F_ALLOC, 0);
	leaf(x, t + 101 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 104 * US, 100, 0, F_COMPACT, 1, 1 * US, NONE);
	leaf(x, t + 106 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 109 * US, 100, 0, 0, G_USER);
	fexit(x, t + 110 * US, 100, 0, F_ALLOC, 0, 10 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 2);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].total_ns, 40 * US);
	assert_int_equal(m->scope.try_compact, 1);
	assert_int_equal(m->scope.compact_stall_derived, 1);
	assert_int_equal(m->scope.by_order[9].slow, 1);
	fx_free(x);
}

/* one slow allocation with @reclaims direct reclaims, graph shape */
static void graph_reclaim(struct fx *x, uint64_t t, int pid, int reclaims)
{
	uint64_t now = t;

	fent(x, now, pid, 0, F_ALLOC, 0);
	leaf(x, now + 1 * US, pid, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, now + 4 * US, pid, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, now + 6 * US, pid, 0, F_GPFL, 1, 2 * US, NONE);
	now += 10 * US;
	/* __alloc_pages_slowpath(): each pass of retry: wakes kswapd and tries once more */
	for (int i = 0; i < reclaims; i++) {
		leaf(x, now, pid, 0, F_WAKE, 1, 1 * US, NONE);
		leaf(x, now + 2 * US, pid, 0, F_GPFL, 1, 2 * US, NONE);
		now += 5 * US;
		fent(x, now, pid, 0, F_RECLAIM, 1);
		reclaim_begin(x, now + 1 * US, pid, 0);
		reclaim_end(x, now + 99 * US, pid, 0, 32);
		fexit(x, now + 100 * US, pid, 0, F_RECLAIM, 1, 100 * US, NONE);
		leaf(x, now + 101 * US, pid, 0, F_GPFL, 1, 2 * US, NONE);
		now += 110 * US;
	}
	page_alloc(x, now, pid, 0, 0, G_USER);
	fexit(x, now + 1 * US, pid, 0, F_ALLOC, 0, now + 1 * US - t, NONE);
}

static void test_graph_reclaim_once(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	graph_reclaim(x, 1 * MS, 100, 1);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].total_ns, 100 * US);
	assert_int_equal(m->scope.reclaim_begin, 1);
	assert_int_equal(m->scope.nr_reclaimed, 32);
	assert_int_equal(m->scope.reclaim_loops, 0);
	assert_int_equal(x->recs.r[0].nr_reclaimed, 32);
	fx_free(x);
}

/* A reclaim end without nr_reclaimed is not "no progress": the gpfl after it is after_reclaim. */
static void test_reclaim_end_absent_nr(void **state)
{
	for (int absent = 0; absent < 2; absent++) {
		struct fx *x = fx_new(ANL_MODE_GRAPH);
		const struct anl_model *m;
		uint64_t t = 1 * MS;

		(void)state;
		fent(x, t, 100, 0, F_ALLOC, 0);
		leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 1 * US, 0);
		fent(x, t + 3 * US, 100, 0, F_RECLAIM, 1);
		reclaim_begin(x, t + 4 * US, 100, 0);
		reclaim_end(x, t + 50 * US, 100, 0, absent ? NONE : 0);
		fexit(x, t + 51 * US, 100, 0, F_RECLAIM, 1, 48 * US, NONE);
		leaf(x, t + 52 * US, 100, 0, F_GPFL, 1, 1 * US, 0x1000);
		fexit(x, t + 60 * US, 100, 0, F_ALLOC, 0, 60 * US, NONE);
		m = fx_finish(x);
		assert_int_equal(m->scope.slow, 1);
		/* nr_reclaimed=0: no progress, that gpfl is the min-watermark one (kernel order) */
		assert_int_equal(m->scope.stage[ANL_STAGE_AFTER_RECLAIM].count, absent ? 1 : 0);
		assert_int_equal(m->scope.nr_reclaimed, 0);
		fx_free(x);
	}
}

static void test_graph_reclaim_loop(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	graph_reclaim(x, 1 * MS, 100, 3);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 1);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count, 3);
	assert_int_equal(m->scope.reclaim_loops, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_WAKE_ALL_KSWAPDS].count, 4);
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].count, 3);
	assert_int_equal(m->scope.stage[ANL_STAGE_AFTER_RECLAIM].count, 3);
	assert_int_equal(x->recs.r[0].gpfl_calls, 8);
	fx_free(x);
}

static void test_graph_oom(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 4 * US, 100, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, t + 6 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_OOM, 1);
	simple(x, t + 20 * US, 100, 0, PRS_EV_MARK_VICTIM);
	fexit(x, t + 30 * US, 100, 0, F_OOM, 1, 20 * US, NONE);
	leaf(x, t + 31 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 34 * US, 100, 0, 0, G_USER);
	fexit(x, t + 35 * US, 100, 0, F_ALLOC, 0, 35 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_OOM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_OOM].total_ns, 20 * US);
	assert_int_equal(m->scope.mark_victim, 1);
	fx_free(x);
}

static void test_graph_failure(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	/* funcgraph-retval: gpfl returns 0, the alloc returns 0 */
	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, 0);
	leaf(x, t + 4 * US, 100, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, t + 6 * US, 100, 0, F_GPFL, 1, 2 * US, 0);
	mm(x, t + 9 * US, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, NONE);	/* page=(nil) */
	fexit(x, t + 10 * US, 100, 0, F_ALLOC, 0, 10 * US, 0);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_GRAPH_RETVAL);
	assert_int_equal(m->scope.allocations, 1);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->scope.page_alloc_failed, 1);
	assert_int_equal(m->scope.page_alloc_pages, 0);
	assert_int_equal(x->recs.r[0].outcome, ANL_FAILED);
	fx_free(x);
}

static void test_graph_failure_no_retval(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 4 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	mm(x, t + 9 * US, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, NONE);
	fexit(x, t + 10 * US, 100, 0, F_ALLOC, 0, 10 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_GRAPH);
	assert_int_equal(m->scope.failed, 1);	/* its mm_page_alloc has no page */
	assert_int_equal(m->anomalies.outcome_unknown, 0);
	fx_free(x);
}

/* An mm_page_alloc that names neither a page nor a pfn does not say: no failure (both estimators). */
static void test_page_unsaid(void **state)
{
	for (int mode = 0; mode < 2; mode++) {
		struct fx *x = fx_new(mode ? ANL_MODE_EVENTS : ANL_MODE_AUTO);
		const struct anl_model *m;
		struct prs_event ev = base(1 * MS + 9 * US, 100, 0, PRS_EV_PAGE_ALLOC);
		uint64_t t = 1 * MS;

		ev.u.mm.pfn = ev.u.mm.gfp = NONE;
		ev.u.mm.gfp_str = G_USER;
		ev.u.mm.order = 0;
		ev.u.mm.migratetype = ev.u.mm.nid = ev.u.mm.zid = ev.u.mm.prio = -1;
		ev.u.mm.page = -1;
		fent(x, t, 100, 0, F_ALLOC, 0);
		leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
		leaf(x, t + 4 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
		feed(x, &ev);
		fexit(x, t + 10 * US, 100, 0, F_ALLOC, 0, 10 * US, NONE);
		m = fx_finish(x);
		assert_int_equal(m->scope.failed, 0);
		assert_int_equal(m->scope.page_alloc_failed, 0);
		assert_int_equal(m->scope.page_alloc_unsaid, 1);
		assert_int_equal(m->scope.page_alloc_pages, 0);
		if (!mode)	/* slow, and whether it got a page is not known */
			assert_int_equal(m->anomalies.outcome_unknown, 1);
		fx_free(x);
	}
	(void)state;
}

static bool untold_has(const struct anl_model *m, const char *s)
{
	for (int i = 0; m->untold[i]; i++)
		if (strstr(m->untold[i], s))
			return true;
	return false;
}

/* function_graph without funcgraph-abstime: every ts 0, the window unknown, durations kept */
static void test_no_timestamps(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	fent(x, 0, 100, 0, F_ALLOC, 0);
	leaf(x, 0, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, 0, 100, 0, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, 0, 100, 0, 0, G_USER);
	fexit(x, 0, 100, 0, F_ALLOC, 0, 7 * US, NONE);
	anl_set_no_timestamps(x->a);
	m = fx_finish(x);
	assert_true(m->window_unknown);
	assert_int_equal(m->window_ns, 0);
	assert_true(untold_has(m, "no timestamps"));
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].total_ns, 7 * US);
	fx_free(x);
	(void)state;
}

/*
 * mm_page_alloc fires at the end of every allocation, failed ones too
 * (issue 17): a slow allocation whose mm_page_alloc is missing (not
 * recorded, or lost) is slow with an unknown outcome, never a failure.
 */
static void test_graph_slow_without_page_alloc(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	graph_fast(x, t, 100, 0);	/* mm_page_alloc is recorded */
	fent(x, t + 10 * US, 100, 0, F_ALLOC, 0);
	leaf(x, t + 11 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 14 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fexit(x, t + 20 * US, 100, 0, F_ALLOC, 0, 10 * US, NONE);	/* its mm_page_alloc lost */
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_GRAPH);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.failed, 0);
	assert_int_equal(m->anomalies.outcome_unknown, 1);
	assert_int_equal(x->recs.r[1].outcome, ANL_SLOW);
	assert_true(untold_has(m, "1 slow allocation without mm_page_alloc"));
	fx_free(x);

	/* retprobe: the return value says it, with or without mm_page_alloc */
	x = fx_new(ANL_MODE_RETPROBE);
	kprobe(x, t, 100, 0, F_ALLOC, 0x140cca, 0);
	kret(x, t + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	kret(x, t + 4 * US, 100, 0, F_GPFL, F_ALLOC, 0x2000);
	kret(x, t + 5 * US, 100, 0, F_ALLOC, NULL, 0x2000);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.failed, 0);
	assert_int_equal(m->anomalies.outcome_unknown, 0);
	fx_free(x);
}

/* Retprobe, kretprobe instances exhausted (issue 17): no slow path, not exact */
static void test_retprobe_unmatched_not_exact(void **state)
{
	struct fx *x = fx_new(ANL_MODE_RETPROBE);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	/* entries whose returns never come, each slow so far: the 17th evicts the first */
	for (int i = 0; i <= 16; i++) {	/* ANL_MAX_DEPTH 16 */
		kprobe(x, t + i * 10 * US, 100, 0, F_ALLOC, 0x140cca, 0);
		kret(x, t + i * 10 * US + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	}
	m = fx_finish(x);
	assert_int_equal(m->anomalies.unmatched_entry, 1);
	assert_int_equal(m->anomalies.open_at_end, 16);
	assert_int_equal(m->anomalies.unclosed_slow, 17);
	assert_int_equal(m->scope.allocations, 17);
	assert_int_equal(m->scope.slow, 0);
	assert_int_equal(m->scope.failed, 0);
	assert_false(m->slow_path_exact);
	assert_true(untold_has(m, "1 alloc entry without a return (17 slow so far"));
	fx_free(x);

	/* every return seen, but kprobe_profile counted misses */
	x = fx_new(ANL_MODE_RETPROBE);
	kprobe(x, t, 100, 0, F_ALLOC, 0x140cca, 0);
	kret(x, t + 1 * US, 100, 0, F_GPFL, F_ALLOC, 0x3000);
	kret(x, t + 2 * US, 100, 0, F_ALLOC, NULL, 0x3000);
	marker(x, t + 3 * US, "allocscope: kprobe alloc_ret hits=1 missed=0");
	m = fx_finish(x);
	assert_true(m->slow_path_exact);
	fx_free(x);
	x = fx_new(ANL_MODE_RETPROBE);
	kprobe(x, t, 100, 0, F_ALLOC, 0x140cca, 0);
	kret(x, t + 1 * US, 100, 0, F_GPFL, F_ALLOC, 0x3000);
	kret(x, t + 2 * US, 100, 0, F_ALLOC, NULL, 0x3000);
	marker(x, t + 3 * US, "allocscope: kprobe alloc_ret hits=3 missed=2");
	m = fx_finish(x);
	assert_false(m->slow_path_exact);
	assert_int_equal(m->anomalies.kretprobe_missed, 2);
	assert_true(untold_has(m, "kprobe_profile: 2 returns missed"));
	fx_free(x);
}

static void test_graph_nested_in_reclaim(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 4 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_RECLAIM, 1);
	reclaim_begin(x, t + 11 * US, 100, 0);
	/* reclaim allocates (zram, swap): a separate, nested, fast allocation */
	fent(x, t + 20 * US, 100, 0, F_ALLOC, 2);
	leaf(x, t + 21 * US, 100, 0, F_GPFL, 3, 2 * US, NONE);
	page_alloc(x, t + 24 * US, 100, 0, 0, G_NOWAIT);
	fexit(x, t + 25 * US, 100, 0, F_ALLOC, 2, 5 * US, NONE);
	reclaim_end(x, t + 50 * US, 100, 0, 8);
	fexit(x, t + 51 * US, 100, 0, F_RECLAIM, 1, 41 * US, NONE);
	leaf(x, t + 52 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 55 * US, 100, 0, 0, G_USER);
	fexit(x, t + 56 * US, 100, 0, F_ALLOC, 0, 56 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.nested, 1);
	assert_int_equal(x->recs.n, 2);
	/* the inner one finishes first and links to the outer */
	assert_int_equal(x->recs.r[0].outcome, ANL_FAST);
	assert_int_equal(x->recs.r[0].parent_id, x->recs.r[1].id);
	assert_int_equal(x->recs.r[0].depth, 1);
	assert_int_equal(x->recs.r[1].outcome, ANL_SLOW);
	assert_int_equal(x->recs.r[1].gpfl_calls, 3);
	fx_free(x);
}

static void test_graph_cpu_migration(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	/* another task runs on cpu 0 meanwhile: state is per task, not per CPU */
	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_RECLAIM, 1);
	graph_fast(x, t + 20 * US, 200, 0);
	fexit(x, t + 100 * US, 100, 1, F_RECLAIM, 1, 90 * US, NONE);
	leaf(x, t + 101 * US, 100, 1, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 104 * US, 100, 1, 0, G_USER);
	fexit(x, t + 105 * US, 100, 1, F_ALLOC, 0, 105 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.nested, 0);
	assert_int_equal(m->anomalies.migrations, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].max_ns, 105 * US);
	fx_free(x);
}

static void test_graph_trace_edges(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	/*
	 * began inside an allocation: its tail only, a gpfl return at depth 1
	 * and the exit: a partial allocation (counted, its exit's duration)
	 */
	fexit(x, t, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fexit(x, t + 1 * US, 100, 0, F_ALLOC, 0, 30 * US, NONE);
	graph_fast(x, t + 10 * US, 100, 0);
	/* ends inside a slow one */
	fent(x, t + 100 * US, 100, 0, F_ALLOC, 0);
	leaf(x, t + 101 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 104 * US, 100, 0, F_RECLAIM, 1);
	m = fx_finish(x);
	assert_int_equal(m->anomalies.exit_without_entry, 1);
	assert_int_equal(m->anomalies.orphan_calls, 0);
	assert_int_equal(m->anomalies.open_at_end, 1);
	assert_int_equal(m->scope.allocations, 3);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].max_ns, 30 * US);
	/* the cut one is an allocation, never closed: no slow path (issue 17), slow so far */
	assert_int_equal(m->scope.slow, 0);
	assert_int_equal(m->scope.incomplete, 1);
	assert_int_equal(m->anomalies.unclosed_slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].count, 0);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].count, 2);
	assert_true(x->recs.r[2].flags & ANL_REC_OPEN_AT_END);
	assert_int_equal(x->recs.r[2].outcome, ANL_SLOW);	/* the record says what is known */
	/* the partial one: its entry before the trace, placed by its exit's duration */
	assert_true(x->recs.r[0].flags & ANL_REC_PARTIAL);
	assert_int_equal(x->recs.r[0].start_ts, t + 1 * US - 30 * US);
	assert_int_equal(x->recs.r[0].latency_ns, 30 * US);
	assert_false(x->recs.r[1].flags & ANL_REC_PARTIAL);
	fx_free(x);
}

static void test_graph_lost_events(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 5 * US, 200, 1, F_ALLOC, 0);	/* other CPU: unaffected */
	lost(x, t + 6 * US, 0, 42);
	leaf(x, t + 10 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 13 * US, 100, 0, 0, G_USER);
	fexit(x, t + 14 * US, 100, 0, F_ALLOC, 0, 14 * US, NONE);
	leaf(x, t + 15 * US, 200, 1, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 18 * US, 200, 1, 0, G_USER);
	fexit(x, t + 19 * US, 200, 1, F_ALLOC, 0, 14 * US, NONE);
	m = fx_finish(x);
	assert_false(m->slow_path_exact);
	assert_int_equal(m->anomalies.lost_events, 42);
	assert_int_equal(m->anomalies.lost_markers, 1);
	assert_int_equal(m->anomalies.incomplete, 1);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.incomplete, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].timed, 0);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].timed, 1);
	fx_free(x);
}

static void test_graph_wrapper_frozen(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	/* newest kernels: the wrapper and __alloc_frozen_pages_noprof, both traced */
	fent(x, t, 100, 0, F_ALLOC, 0);
	fent(x, t + 1 * US, 100, 0, F_FROZEN, 1);
	leaf(x, t + 2 * US, 100, 0, F_GPFL, 2, 2 * US, NONE);
	page_alloc(x, t + 5 * US, 100, 0, 0, G_USER);
	fexit(x, t + 6 * US, 100, 0, F_FROZEN, 1, 5 * US, NONE);
	fexit(x, t + 7 * US, 100, 0, F_ALLOC, 0, 7 * US, NONE);
	/* a clone suffix is the same function */
	fent(x, t + 10 * US, 100, 0, F_ALLOC_CP, 0);
	leaf(x, t + 11 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fexit(x, t + 14 * US, 100, 0, F_ALLOC_CP, 0, 4 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 0);
	assert_int_equal(m->anomalies.wrapper_merged, 1);
	fx_free(x);
}

/*
 * A nolock allocation (6.15+) run from a tracepoint or BPF program inside an
 * allocation in progress: its get_page_from_freelist() and mm_page_alloc are
 * its own, it is never slow, and the outer allocation stays fast.  Its
 * wrapper (6.18+) is one allocation with it.
 */
static void test_graph_nolock_inside(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fent(x, t, 100, 0, F_FROZEN, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, 0xffff888000001000ull);
	fent(x, t + 4 * US, 100, 0, F_NOLOCK, 1);
	fent(x, t + 5 * US, 100, 0, F_NOLOCK_FROZEN, 2);
	leaf(x, t + 6 * US, 100, 0, F_GPFL, 3, 1 * US, 0);
	mm(x, t + 8 * US, 100, 0, PRS_EV_PAGE_ALLOC, 0, NONE, "__GFP_ZERO|__GFP_NOWARN", NONE);
	fexit(x, t + 9 * US, 100, 0, F_NOLOCK_FROZEN, 2, 4 * US, 0);
	fexit(x, t + 10 * US, 100, 0, F_NOLOCK, 1, 6 * US, 0);
	page_alloc(x, t + 11 * US, 100, 0, 2, G_USER);
	fexit(x, t + 12 * US, 100, 0, F_FROZEN, 0, 12 * US, 0xffffea0000001000ull);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 0);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->anomalies.wrapper_merged, 1);
	/* the nolock one closes first; the outer keeps its own order */
	assert_int_equal(x->recs.r[0].outcome, ANL_FAILED);
	assert_int_equal(x->recs.r[1].outcome, ANL_FAST);
	assert_int_equal(x->recs.r[1].order, 2);
	assert_int_equal(x->recs.r[1].gpfl_calls, 1);
	fx_free(x);
}

/* retprobe: with its probes, a nolock allocation of its own; without, its gpfl is known by the caller */
static void test_retprobe_nolock(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	kprobe(x, t, 100, 0, F_FROZEN, 0x140cca, 0);
	kret(x, t + 2 * US, 100, 0, F_GPFL, F_FROZEN, 0xffff888000001000ull);
	/* probed */
	kprobe(x, t + 3 * US, 100, 0, F_NOLOCK_FROZEN, NONE, NONE);
	kret(x, t + 4 * US, 100, 0, F_GPFL, F_NOLOCK_FROZEN, 0xffff888000003000ull);
	page_alloc(x, t + 5 * US, 100, 0, 0, "__GFP_ZERO");
	kret(x, t + 6 * US, 100, 0, F_NOLOCK_FROZEN, "alloc_pages_nolock_noprof", 0xffffea0000003000ull);
	/* not probed: only its gpfl return, known by its caller */
	kret(x, t + 7 * US, 100, 0, F_GPFL, F_NOLOCK_FROZEN, 0);
	page_alloc(x, t + 8 * US, 100, 0, 0, G_USER);
	kret(x, t + 9 * US, 100, 0, F_FROZEN, NULL, 0xffffea0000001000ull);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 0);
	assert_int_equal(m->anomalies.bulk_gpfl, 1);
	assert_int_equal(x->recs.r[1].gpfl_calls, 1);
	assert_int_equal(x->recs.r[1].gfp, 0x140cca);
	fx_free(x);
}

/* 7.0 rewrote the slow path: the report says what min_watermark and retry_loop count there */
static void test_stage_layout_by_version(void **state)
{
	static const struct { const char *uname; bool said; } c[] = {
		{ "allocscope: uname 6.18.2", false }, { "allocscope: uname 7.0.0-rc6", true },
		{ "allocscope: uname 7.1.5", true }, { "allocscope: uname 5.10.233-android12-9", false },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fx *x = fx_new(ANL_MODE_AUTO);
		const struct anl_model *m;

		marker(x, 1 * MS, c[i].uname);
		graph_fast(x, 2 * MS, 100, 0);
		m = fx_finish(x);
		assert_int_equal(m->stage_layout != NULL, c[i].said);
		fx_free(x);
	}
}

/* ---- retprobe mode ------------------------------------------------------ */

static void test_retprobe_bpftrace_trap(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	/* fast */
	kprobe(x, t, 100, 0, F_ALLOC, 0x140cca, 0);
	kret(x, t + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0xffff888000001000ull);
	page_alloc(x, t + 3 * US, 100, 0, 0, G_USER);
	kret(x, t + 4 * US, 100, 0, F_ALLOC, NULL, 0xffff888000001000ull);
	/* one slow allocation, three NULL gpfl returns: ONE slow path */
	kprobe(x, t + 10 * US, 100, 0, F_ALLOC, 0x140cca, 0);
	kret(x, t + 12 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	kret(x, t + 14 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	reclaim_begin(x, t + 15 * US, 100, 0);
	reclaim_end(x, t + 50 * US, 100, 0, 32);
	kret(x, t + 52 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	kret(x, t + 54 * US, 100, 0, F_GPFL, F_ALLOC, 0xffff888000002000ull);
	page_alloc(x, t + 55 * US, 100, 0, 0, G_USER);
	kret(x, t + 56 * US, 100, 0, F_ALLOC, NULL, 0xffff888000002000ull);
	/* a bulk allocation's gpfl is not an allocation */
	kret(x, t + 60 * US, 100, 0, F_GPFL, F_BULK, 0);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_RETPROBE);
	assert_true(m->slow_path_exact);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.failed, 0);
	assert_int_equal(x->recs.r[1].gpfl_failed, 3);
	assert_int_equal(x->recs.r[1].gpfl_calls, 4);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].total_ns, 35 * US);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].max_ns, 46 * US);
	assert_int_equal(m->anomalies.bulk_gpfl, 1);
	assert_int_equal(x->recs.r[1].order, 0);
	assert_int_equal(x->recs.r[1].gfp, 0x140cca);
	/*
	 * gpfl 2 is at the min watermark; 3 and 4 are inside
	 * __alloc_pages_direct_reclaim() (the second after drain_all_pages()),
	 * none a pass through retry:
	 */
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_AFTER_RECLAIM].count, 2);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].count, 0);
	/* kretprobes count get_page_from_freelist(), do not time it, and see no wake_all_kswapds() */
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].timed, 0);
	assert_non_null(m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS]);
	assert_null(m->stage_absent[ANL_STAGE_RETRY_LOOP]);
	assert_false(x->recs.r[1].stage_seen & (1u << ANL_STAGE_WAKE_ALL_KSWAPDS));
	assert_true(x->recs.r[1].stage_seen & (1u << ANL_STAGE_AFTER_RECLAIM));
	assert_false(x->recs.r[1].stage_timed & (1u << ANL_STAGE_AFTER_RECLAIM));
	assert_true(x->recs.r[1].stage_timed & (1u << ANL_STAGE_DIRECT_RECLAIM));
	fx_free(x);
}

/*
 * try_to_free_pages() returns 1 without its tracepoints when
 * throttle_direct_reclaim() held the task: progress, so the next
 * get_page_from_freelist() is __alloc_pages_direct_reclaim()'s; a reclaim
 * that reclaimed nothing makes none, so the next one is a retry: pass.
 */
static void test_graph_after_reclaim(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	(void)state;
	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);
	leaf(x, t + 3 * US, 100, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, t + 5 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);		/* min watermark */
	leaf(x, t + 7 * US, 100, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, t + 9 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);		/* retry: pass 1 */
	fent(x, t + 11 * US, 100, 0, F_RECLAIM, 1);			/* throttled: no events */
	fexit(x, t + 20 * US, 100, 0, F_RECLAIM, 1, 9 * US, NONE);
	leaf(x, t + 21 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);		/* after reclaim */
	leaf(x, t + 23 * US, 100, 0, F_WAKE, 1, 1 * US, NONE);
	leaf(x, t + 25 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);		/* retry: pass 2 */
	fent(x, t + 27 * US, 100, 0, F_RECLAIM, 1);
	reclaim_begin(x, t + 28 * US, 100, 0);
	reclaim_end(x, t + 30 * US, 100, 0, 0);				/* no progress */
	fexit(x, t + 31 * US, 100, 0, F_RECLAIM, 1, 4 * US, NONE);
	leaf(x, t + 33 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);		/* retry: pass 3 */
	page_alloc(x, t + 35 * US, 100, 0, 0, G_USER);
	fexit(x, t + 36 * US, 100, 0, F_ALLOC, 0, 36 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_WAKE_ALL_KSWAPDS].count, 3);
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].count, 3);
	assert_int_equal(m->scope.stage[ANL_STAGE_AFTER_RECLAIM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].total_ns, 3 * US);
	/* 36 - 3 wakes - 5 gpfl - 13 reclaim */
	assert_int_equal(x->recs.r[0].stage_ns[ANL_STAGE_OTHER], 15 * US);
	fx_free(x);
}

/*
 * A capture with function_graph and the probes at once (record -m cross):
 * -m graph and -m retprobe each read their own kind and classify the same
 * allocations; auto reads the first kind and counts the other.
 */
static void cross_trace(struct fx *x)
{
	uint64_t t = 1 * MS;

	/* fast: gpfl gives a page at once */
	fent(x, t, 100, 0, F_ALLOC, 0);
	kprobe(x, t + 1, 100, 0, F_ALLOC, 0x140cca, 0);
	leaf(x, t + 2 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);
	kret(x, t + 2 * US + 1, 100, 0, F_GPFL, F_ALLOC, 0xffff888000001000ull);
	page_alloc(x, t + 3 * US, 100, 0, 0, G_USER);
	kret(x, t + 4 * US, 100, 0, F_ALLOC, NULL, 0xffff888000001000ull);
	fexit(x, t + 4 * US + 1, 100, 0, F_ALLOC, 0, 4 * US, NONE);
	/* slow: the first gpfl fails, the second (in the slow path) gives a page */
	fent(x, t + 10 * US, 100, 0, F_ALLOC, 0);
	kprobe(x, t + 10 * US + 1, 100, 0, F_ALLOC, 0x140cca, 0);
	leaf(x, t + 12 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);
	kret(x, t + 12 * US + 1, 100, 0, F_GPFL, F_ALLOC, 0);
	leaf(x, t + 14 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);
	kret(x, t + 14 * US + 1, 100, 0, F_GPFL, F_ALLOC, 0xffff888000002000ull);
	page_alloc(x, t + 15 * US, 100, 0, 0, G_USER);
	kret(x, t + 16 * US, 100, 0, F_ALLOC, NULL, 0xffff888000002000ull);
	fexit(x, t + 16 * US + 1, 100, 0, F_ALLOC, 0, 6 * US, NONE);
}

static void test_cross_capture(void **state)
{
	static const enum anl_mode modes[] = { ANL_MODE_GRAPH, ANL_MODE_RETPROBE, ANL_MODE_AUTO };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct fx *x = fx_new(modes[i]);
		const struct anl_model *m;

		/* the recorder's function filter (graph side) lists wake_all_kswapds */
		marker(x, 1, "allocscope: funcs __alloc_pages_noprof get_page_from_freelist "
		       "wake_all_kswapds try_to_free_pages");
		cross_trace(x);
		m = fx_finish(x);
		assert_int_equal(m->scope.allocations, 2);
		assert_int_equal(m->scope.slow, 1);
		/* the probes see no wake_all_kswapds(): absent there, not the filter's 0 */
		if (modes[i] == ANL_MODE_RETPROBE)
			assert_non_null(m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS]);
		else
			assert_null(m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS]);
		assert_int_equal(m->anomalies.unmatched_entry, 0);
		assert_int_equal(m->anomalies.exit_without_entry, 0);
		assert_int_equal(m->mode, modes[i] == ANL_MODE_RETPROBE ? ANL_MODE_RETPROBE : ANL_MODE_GRAPH);
		/* auto: the graph events came first; the probes' 7 events are counted, not read */
		assert_int_equal(m->anomalies.other_mode, modes[i] == ANL_MODE_AUTO ? 7 : 0);
		fx_free(x);
	}
}

static void test_retprobe_failure_and_edges(void **state)
{
	struct fx *x = fx_new(ANL_MODE_RETPROBE);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	kret(x, t, 100, 0, F_ALLOC, NULL, 0x1000);	/* began inside one */
	kprobe(x, t + 10 * US, 100, 0, F_ALLOC, 0x2cc0ca, 9);
	kret(x, t + 12 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	simple(x, t + 13 * US, 100, 0, PRS_EV_TRY_COMPACT);
	kret(x, t + 20 * US, 100, 1, F_GPFL, F_ALLOC, 0);
	kret(x, t + 21 * US, 100, 1, F_ALLOC, NULL, 0);	/* NULL: failed, on another CPU */
	kprobe(x, t + 30 * US, 100, 1, F_ALLOC, 0x140cca, 0);
	kret(x, t + 32 * US, 100, 1, F_GPFL, F_ALLOC, 0);	/* ends open, slow so far */
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 1);	/* the open one is no slow path (issue 17) */
	assert_int_equal(m->anomalies.unclosed_slow, 1);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->scope.by_order[9].failed, 1);
	assert_int_equal(m->anomalies.exit_without_entry, 1);
	assert_int_equal(m->anomalies.open_at_end, 1);
	assert_int_equal(m->anomalies.migrations, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].count, 1);
	fx_free(x);
}

static void test_forced_mode_ignores_others(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;

	graph_fast(x, 1 * MS, 100, 0);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_EVENTS);
	assert_true(m->mode_forced);
	assert_false(m->slow_path_exact);
	assert_int_equal(m->scope.allocations, 1);	/* from mm_page_alloc */
	fx_free(x);
}


/* ---- freelist mode ------------------------------------------------------ */

/* alloc_flags as the kernels pass them (docs/freelist.md) */
#define FL_LOW		0x901u	/* ALLOC_WMARK_LOW | ALLOC_NOFRAGMENT | ALLOC_KSWAPD: the fast path */
#define FL_MIN		0x840u	/* ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_KSWAPD: gfp_to_alloc_flags() */
#define FL_HIGH		0x042u	/* ALLOC_WMARK_HIGH | ALLOC_CPUSET: __alloc_pages_may_oom() */
#define FL_NOWM_CPUSET	0x044u	/* __alloc_pages_cpuset_fallback(ALLOC_NO_WATERMARKS) | ALLOC_CPUSET */
#define FL_TRYLOCK	0x400u	/* alloc_pages_nolock(): ALLOC_TRYLOCK, MIN */

/* the freelist probe at get_page_from_freelist()'s entry */
static void fl(struct fx *x, uint64_t ts, int pid, int cpu, uint64_t flags)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_KPROBE);

	ev.u.fn.func = F_GPFL;
	ev.u.fn.depth = -1;
	ev.u.fn.duration = ev.u.fn.retval = NONE;
	ev.u.fn.arg[0] = flags;
	ev.u.fn.arg[1] = NONE;
	ev.u.fn.alloc_flags = flags;
	feed(x, &ev);
}

/* ... as a return probe with the result */
static void flr(struct fx *x, uint64_t ts, int pid, int cpu, uint64_t flags, uint64_t ret)
{
	struct prs_event ev = base(ts, pid, cpu, PRS_EV_KRETPROBE);

	ev.u.fn.func = F_GPFL;
	ev.u.fn.caller = F_ALLOC;
	ev.u.fn.depth = -1;
	ev.u.fn.duration = NONE;
	ev.u.fn.retval = ret;
	ev.u.fn.arg[0] = ev.u.fn.arg[1] = NONE;
	ev.u.fn.alloc_flags = flags;
	feed(x, &ev);
}

/* the freelist check: every LOW/TRYLOCK attempt opened an allocation its mm_page_alloc closed */
static void fl_identity(const struct anl_model *m)
{
	const struct anl_totals *t = &m->scope;

	assert_int_equal(t->fl_low + t->fl_trylock - t->fl_open_after,
			 t->page_alloc_events - t->fl_open_before - t->fl_orphans);
}

/*
 * Entry probes: a fast allocation; a slow one whose direct reclaim
 * allocates (nested, fast) and whose attempt after the reclaim gets the
 * page.  The results are not in the trace: each attempt followed by
 * another failed.
 */
static void test_freelist_entry(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fl(x, t, 100, 0, FL_LOW);
	page_alloc(x, t + 2 * US, 100, 0, 0, G_USER);
	fl(x, t + 10 * US, 100, 0, FL_LOW);
	mm(x, t + 11 * US, 100, 0, PRS_EV_WAKEUP_KSWAPD, 0, 0x140cca, G_USER, NONE);
	fl(x, t + 12 * US, 100, 0, FL_MIN);
	reclaim_begin(x, t + 13 * US, 100, 0);
	fl(x, t + 14 * US, 100, 0, FL_LOW);	/* allocated by reclaim */
	page_alloc(x, t + 15 * US, 100, 0, 0, G_NOWAIT);
	reclaim_end(x, t + 20 * US, 100, 0, 32);
	fl(x, t + 21 * US, 100, 0, FL_MIN);	/* after the reclaim's progress */
	page_alloc(x, t + 22 * US, 100, 0, 0, G_USER);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_FREELIST);
	assert_false(m->freelist.returns);
	assert_true(m->freelist.exact);
	assert_true(m->slow_path_exact);
	assert_int_equal(m->scope.allocations, 3);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.nested, 1);
	assert_int_equal(m->scope.fl_low, 3);
	assert_int_equal(m->scope.fl_slow, 2);
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_AFTER_RECLAIM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_KSWAPD_WOKEN].count, 1);
	assert_non_null(m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS]);
	/* the entry probe times an allocation from its first attempt to its mm_page_alloc */
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].timed, 2);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].total_ns, 12 * US);
	fl_identity(m);
	/* records in close order: the fast one, the nested one, the slow one */
	assert_int_equal(x->recs.n, 3);
	assert_int_equal(x->recs.r[1].depth, 1);
	assert_int_equal(x->recs.r[2].outcome, ANL_SLOW);
	assert_int_equal(x->recs.r[2].gpfl_calls, 3);
	assert_int_equal(x->recs.r[2].gpfl_failed, 2);	/* inferred: two attempts came after them */
	assert_string_equal(x->recs.r[2].gfp_str, G_USER);
	fx_free(x);
}

/*
 * A return probe (6.9+): the fast path's NULL is in the event; a fast
 * allocation has no time (it opens at its attempt's return).
 */
static void test_freelist_return(void **state)
{
	struct fx *x = fx_new(ANL_MODE_FREELIST);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	flr(x, t, 100, 0, FL_LOW, 0xffffea0000001000ull);
	page_alloc(x, t + 1 * US, 100, 0, 0, G_USER);
	flr(x, t + 10 * US, 100, 0, FL_LOW, 0);
	flr(x, t + 30 * US, 100, 0, FL_MIN, 0xffffea0000002000ull);
	page_alloc(x, t + 31 * US, 100, 0, 0, G_USER);
	m = fx_finish(x);
	assert_true(m->freelist.returns);
	assert_int_equal(m->scope.allocations, 2);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_FAST_PATH].timed, 0);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].total_ns, 21 * US);
	assert_int_equal(x->recs.r[1].gpfl_failed, 1);
	fl_identity(m);
	fx_free(x);
}

/*
 * ALLOC_TRYLOCK (6.15+ nolock allocations): an allocation of its own that
 * never makes the one it interrupts slow, even inside its slow path; one
 * that gets no page failed without a slow path.
 */
static void test_freelist_trylock(void **state)
{
	struct fx *x = fx_new(ANL_MODE_FREELIST);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fl(x, t, 100, 0, FL_LOW);
	fl(x, t + 1 * US, 100, 0, FL_TRYLOCK);		/* from a tracepoint inside the fast path */
	page_alloc(x, t + 2 * US, 100, 0, 0, NULL);
	page_alloc(x, t + 3 * US, 100, 0, 0, G_USER);	/* the outer one: fast */
	fl(x, t + 10 * US, 100, 0, FL_LOW);
	fl(x, t + 11 * US, 100, 0, FL_MIN);
	fl(x, t + 12 * US, 100, 0, FL_TRYLOCK | 0x80);	/* ALLOC_CMA from prepare_alloc_pages() */
	mm(x, t + 13 * US, 100, 0, PRS_EV_PAGE_ALLOC, 0, NONE, NULL, NONE);	/* nolock: no page */
	fl(x, t + 14 * US, 100, 0, FL_MIN);
	page_alloc(x, t + 15 * US, 100, 0, 0, G_USER);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 4);
	assert_int_equal(m->scope.nolock, 2);
	assert_int_equal(m->scope.nolock_failed, 1);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->scope.slow, 1);	/* only the second outer one */
	assert_int_equal(m->scope.fl_trylock, 2);
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].count, 1);
	assert_true(m->slow_path_exact);
	fl_identity(m);
	fx_free(x);
}

/*
 * __alloc_pages_may_oom(): its high-watermark attempt is the OOM stage, the
 * victim it marks and the __GFP_NOFAIL cpuset fallback's attempts are part of
 * it; the slow path's next pass is a retry.
 */
static void test_freelist_oom(void **state)
{
	struct fx *x = fx_new(ANL_MODE_FREELIST);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fl(x, t, 100, 0, FL_LOW);
	fl(x, t + 1 * US, 100, 0, FL_MIN);
	reclaim_begin(x, t + 2 * US, 100, 0);
	reclaim_end(x, t + 3 * US, 100, 0, 0);
	fl(x, t + 4 * US, 100, 0, FL_MIN);		/* retry: */
	fl(x, t + 5 * US, 100, 0, FL_HIGH);		/* __alloc_pages_may_oom() */
	simple(x, t + 6 * US, 100, 0, PRS_EV_MARK_VICTIM);
	fl(x, t + 7 * US, 100, 0, FL_NOWM_CPUSET);	/* __GFP_NOFAIL: cpuset fallback */
	fl(x, t + 8 * US, 100, 0, 0x4);
	fl(x, t + 9 * US, 100, 0, FL_MIN);		/* retry: after the kill */
	page_alloc(x, t + 10 * US, 100, 0, 0, G_USER);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_OOM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_MIN_WATERMARK].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_RETRY_LOOP].count, 2);
	assert_int_equal(m->scope.mark_victim, 1);
	assert_int_equal(x->recs.r[0].gpfl_calls, 7);
	fx_free(x);
}

/*
 * Values no kernel passes as alloc_flags (bits above 0xfff, watermark bits
 * 3): ignored, counted, and the capture is not exact; nor with an
 * mm_page_alloc that closes nothing where something must be open.
 */
static void test_freelist_bad_flags(void **state)
{
	struct fx *x = fx_new(ANL_MODE_FREELIST);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fl(x, t, 100, 0, FL_LOW);
	page_alloc(x, t + 1 * US, 100, 0, 0, G_USER);
	fl(x, t + 2 * US, 100, 0, 0xffff880012345678ull);	/* a pointer, not flags */
	fl(x, t + 3 * US, 100, 0, 0x43);
	page_alloc(x, t + 4 * US, 100, 0, 0, G_USER);		/* closes nothing: an orphan */
	m = fx_finish(x);
	assert_int_equal(m->anomalies.fl_bad_flags, 2);
	assert_int_equal(m->anomalies.fl_first_bad, 0xffff880012345678ull);
	assert_int_equal(m->anomalies.fl_orphan_page_alloc, 1);
	assert_int_equal(m->scope.fl_orphans, 1);
	assert_false(m->freelist.exact);
	assert_false(m->slow_path_exact);
	{
		bool said = false;

		for (int i = 0; m->untold[i]; i++)
			said |= strstr(m->untold[i], "2 get_page_from_freelist attempts with an alloc_flags "
				       "no kernel passes (first 0xffff880012345678)") != NULL;
		assert_true(said);
	}
	assert_int_equal(m->scope.allocations, 1);
	fl_identity(m);
	fx_free(x);
}

/*
 * The window's edges: an allocation open at the window's begin (its LOW
 * attempt before it) counts outside, its mm_page_alloc inside; one the
 * trace began inside (a slow attempt first: partial; an mm_page_alloc
 * first), one open at the window's end and one at the trace's end.
 */
static void test_freelist_edges(void **state)
{
	struct fx *x = fx_new(ANL_MODE_FREELIST);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fl(x, t, 300, 1, FL_MIN);			/* the trace began in its slow path */
	page_alloc(x, t + 1 * US, 300, 1, 0, G_USER);
	page_alloc(x, t + 2 * US, 200, 1, 0, G_USER);	/* its LOW attempt before the trace */
	fl(x, t + 3 * US, 100, 0, FL_LOW);		/* open at the window's begin */
	marker(x, t + 4 * US, "allocscope: begin");
	page_alloc(x, t + 5 * US, 100, 0, 0, G_USER);
	fl(x, t + 6 * US, 100, 0, FL_LOW);
	page_alloc(x, t + 7 * US, 100, 0, 0, G_USER);
	fl(x, t + 8 * US, 100, 0, FL_LOW);		/* open at the window's end */
	marker(x, t + 9 * US, "allocscope: end");
	fl(x, t + 10 * US, 100, 0, FL_MIN);
	page_alloc(x, t + 11 * US, 100, 0, 0, G_USER);
	fl(x, t + 12 * US, 200, 1, FL_LOW);		/* open at the trace's end */
	m = fx_finish(x);
	assert_true(m->window_from_markers);
	assert_int_equal(m->scope.allocations, 2);	/* began in the window */
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.fl_low, 2);
	assert_int_equal(m->scope.page_alloc_events, 2);
	assert_int_equal(m->scope.fl_open_before, 1);
	assert_int_equal(m->scope.fl_open_after, 1);
	fl_identity(m);
	assert_int_equal(m->anomalies.exit_without_entry, 2);
	assert_int_equal(m->anomalies.open_at_end, 1);
	assert_true(m->freelist.exact);
	fx_free(x);
}

/*
 * A cross capture: graph, the retprobe probes and the freelist probe (a
 * return probe) at once.  Each mode reads its own; retprobe never takes the
 * freelist return probe on get_page_from_freelist for one of its own.
 */
static void test_freelist_cross(void **state)
{
	static const enum anl_mode modes[] = { ANL_MODE_GRAPH, ANL_MODE_RETPROBE, ANL_MODE_FREELIST };

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct fx *x = fx_new(modes[i]);
		const struct anl_model *m;
		uint64_t t = 1 * MS;

		cross_trace(x);
		/* a third allocation with the freelist probe between the others' events */
		t += 100 * US;
		fent(x, t, 100, 0, F_ALLOC, 0);
		kprobe(x, t + 1, 100, 0, F_ALLOC, 0x140cca, 0);
		leaf(x, t + 2 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);
		kret(x, t + 2 * US + 1, 100, 0, F_GPFL, F_ALLOC, 0);
		flr(x, t + 2 * US + 2, 100, 0, FL_LOW, 0);
		leaf(x, t + 4 * US, 100, 0, F_GPFL, 1, 1 * US, NONE);
		kret(x, t + 4 * US + 1, 100, 0, F_GPFL, F_ALLOC, 0x1000);
		flr(x, t + 4 * US + 2, 100, 0, FL_MIN, 0x1000);
		page_alloc(x, t + 5 * US, 100, 0, 0, G_USER);
		kret(x, t + 6 * US, 100, 0, F_ALLOC, NULL, 0x1000);
		fexit(x, t + 6 * US + 1, 100, 0, F_ALLOC, 0, 6 * US, NONE);
		m = fx_finish(x);
		assert_int_equal(m->mode, modes[i]);
		assert_true(m->modes_supported & (1u << ANL_MODE_FREELIST));
		/* the freelist mode sees only the third (cross_trace() has no freelist events) */
		assert_int_equal(m->scope.allocations, modes[i] == ANL_MODE_FREELIST ? 1 : 3);
		assert_int_equal(m->scope.slow, modes[i] == ANL_MODE_FREELIST ? 1 : 2);
		if (modes[i] == ANL_MODE_RETPROBE)
			assert_int_equal(x->recs.r[2].gpfl_calls, 2);
		fx_free(x);
	}
}

/*
 * Direct compaction hands over a page it captured without another attempt:
 * with the entry probe, the attempt before it failed and the page is the
 * capture's (mm_page_alloc without pgalloc).
 */
static void test_freelist_capture(void **state)
{
	struct fx *x = fx_new(ANL_MODE_FREELIST);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	fl(x, t, 100, 0, FL_LOW);
	fl(x, t + 1 * US, 100, 0, FL_MIN);
	simple(x, t + 2 * US, 100, 0, PRS_EV_TRY_COMPACT);
	page_alloc(x, t + 9 * US, 100, 0, 9, G_THP);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.captured, 1);
	assert_int_equal(m->scope.captured_pages, 512);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].count, 1);
	fx_free(x);
}

/* ---- events mode -------------------------------------------------------- */

/* The trace clock from the recorder's marker: what it counts is said (trace.dat's own clock wins). */
static void test_trace_clock(void **state)
{
	static const struct { const char *marker, *file; bool not_ns, per_cpu; const char *want; } c[] = {
		{ "allocscope: option clock=x86-tsc", NULL, true, false, "x86-tsc" },
		{ "allocscope: option clock=local", NULL, false, true, "local" },
		{ "allocscope: option clock=boot", NULL, false, false, "boot" },
		{ "allocscope: option clock=local", "mono", false, false, "mono" },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fx *x = fx_new(ANL_MODE_AUTO);
		const struct anl_model *m;

		marker(x, 1 * MS, c[i].marker);
		page_alloc(x, 2 * MS, 100, 0, 0, G_USER);
		if (c[i].file)
			assert_int_equal(anl_set_clock(x->a, c[i].file), 0);
		m = fx_finish(x);
		assert_string_equal(m->clock, c[i].want);
		assert_int_equal(m->clock_not_ns, c[i].not_ns);
		assert_int_equal(m->clock_per_cpu, c[i].per_cpu);
		{
			bool said = false;

			for (int u = 0; m->untold[u]; u++)
				said |= strstr(m->untold[u], "trace clock") != NULL;
			assert_int_equal(said, c[i].not_ns || c[i].per_cpu);
		}
		fx_free(x);
	}
}

/* A wakeup_kswapd without gfp_flags (before 4.17) is a slow path's wake, not a boosted watermark's. */
static void test_wakeup_without_gfp(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	mm(x, t, 100, 0, PRS_EV_WAKEUP_KSWAPD, 0, NONE, NULL, NONE);
	page_alloc(x, t + 5 * US, 100, 0, 0, G_USER);
	m = fx_finish(x);
	assert_int_equal(m->anomalies.boosted_wakes, 0);
	assert_int_equal(m->scope.allocations, 1);
	assert_int_equal(m->scope.slow, 1);
	fx_free(x);
}

static void test_events_estimation(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	page_alloc(x, t, 100, 0, 0, G_USER);				/* fast */
	/* boosted watermark: the fast path wakes kswapd with order 0, gfp 0 */
	mm(x, t + 1 * US, 100, 0, PRS_EV_WAKEUP_KSWAPD, 0, 0, NULL, NONE);
	page_alloc(x, t + 2 * US, 100, 0, 0, G_USER);			/* still fast */
	/* slow: kswapd was asleep, real gfp */
	mm(x, t + 10 * US, 100, 0, PRS_EV_WAKEUP_KSWAPD, 0, 0x140cca, G_USER, NONE);
	page_alloc(x, t + 15 * US, 100, 0, 0, G_USER);
	/* slow: direct reclaim, with a nested allocation inside */
	reclaim_begin(x, t + 20 * US, 100, 0);
	page_alloc(x, t + 30 * US, 100, 0, 0, G_NOWAIT);		/* nested, fast */
	reclaim_end(x, t + 120 * US, 100, 0, 16);
	page_alloc(x, t + 125 * US, 100, 0, 0, G_USER);
	/* failed THP: mm_page_alloc page=(nil) */
	simple(x, t + 200 * US, 100, 0, PRS_EV_TRY_COMPACT);
	mm(x, t + 250 * US, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, NONE);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_EVENTS);
	assert_false(m->slow_path_exact);
	assert_int_equal(m->scope.allocations, 6);
	assert_int_equal(m->scope.slow, 3);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->scope.nested, 1);
	assert_int_equal(m->anomalies.boosted_wakes, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].total_ns, 100 * US);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].max_ns, 105 * US);
	/* no function events: what needs them is absent, not 0 */
	assert_non_null(m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS]);
	assert_non_null(m->stage_absent[ANL_STAGE_MIN_WATERMARK]);
	assert_non_null(m->stage_absent[ANL_STAGE_RETRY_LOOP]);
	assert_non_null(m->stage_absent[ANL_STAGE_AFTER_RECLAIM]);
	assert_null(m->stage_absent[ANL_STAGE_KSWAPD_WOKEN]);
	assert_null(m->stage_absent[ANL_STAGE_DIRECT_RECLAIM]);
	assert_int_equal(m->scope.nr_reclaimed, 16);
	assert_int_equal(m->scope.page_alloc_pages, 5);
	fx_free(x);
}

/* ---- events mode without mm_page_alloc: stall episodes ------------------ */

static const char G_DMABUF[] = "GFP_HIGHUSER|__GFP_NOWARN|__GFP_COMP|__GFP_ZERO";
static const char G_MAYFAIL[] = "GFP_KERNEL|__GFP_RETRY_MAYFAIL";
static const char G_KERNEL[] = "GFP_KERNEL";
static const char G_NORETRY[] = "GFP_KERNEL|__GFP_NORETRY";

static void rb(struct fx *x, uint64_t ts, int pid, int order, const char *gfp)
{
	mm(x, ts, pid, 0, PRS_EV_RECLAIM_BEGIN, order, NONE, gfp, NONE);
}

/* a compaction run: mm_compaction_begin .. _end, no try_to_compact_pages */
static void crun(struct fx *x, uint64_t ts, uint64_t len, int pid)
{
	simple(x, ts, pid, 0, PRS_EV_COMPACT_BEGIN);
	simple(x, ts + len, pid, 0, PRS_EV_COMPACT_END);
}

static int episodes(const struct fx *x)
{
	int n = 0;

	for (int i = 0; i < x->recs.n; i++)
		n += !!(x->recs.r[i].flags & ANL_REC_EPISODE);
	return n;
}

/* order 4 without __GFP_RETRY_MAYFAIL: one reclaim per allocation (jaewon-dmabuf's shape) */
static void test_episodes_costly_single_reclaim(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	uint64_t t = 10 * MS;

	base_comm = "";		/* the comm cut off, as in the published paste */
	crun(x, t, 200 * US, 5972);
	rb(x, t + 210 * US, 5972, 4, G_DMABUF);
	reclaim_end(x, t + 700 * US, 5972, 0, 17);
	crun(x, t + 800 * US, 100 * US, 5972);
	rb(x, t + 1 * MS, 5972, 4, G_DMABUF);		/* a second reclaim: the next allocation */
	reclaim_end(x, t + 1500 * US, 5972, 0, 18);
	crun(x, t + 1600 * US, 50 * US, 5972);
	base_comm = "kcompactd0";			/* kcompactd's run is not direct */
	crun(x, t + 1700 * US, 500 * US, 47);
	base_comm = NULL;
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_EVENTS);
	assert_false(m->page_alloc_seen);
	assert_true(m->episodes);
	assert_non_null(m->untold[0]);
	assert_int_equal(m->scope.slow, 2);
	assert_int_equal(episodes(x), 2);
	assert_int_equal(x->recs.r[0].order, 4);
	assert_ptr_equal(x->recs.r[0].gfp_str, G_DMABUF);
	/* first evidence .. last event: 0 .. the second run's end */
	assert_int_equal(x->recs.r[0].latency_ns, 900 * US);
	assert_int_equal(x->recs.r[0].stage_count[ANL_STAGE_COMPACTION], 2);
	assert_int_equal(x->recs.r[0].stage_ns[ANL_STAGE_COMPACTION], 300 * US);
	assert_int_equal(x->recs.r[1].latency_ns, 650 * US);
	assert_int_equal(x->recs.r[1].nr_reclaimed, 18);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].count, 3);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].total_ns, 350 * US);
	assert_int_equal(m->scope.compact_runs_inferred, 3);
	assert_int_equal(m->scope.compact_begin_other, 1);
	assert_int_equal(m->scope.reclaim_loops, 0);
	fx_free(x);
}

/*
 * An allocation that may reclaim again keeps its reclaims together after no
 * progress, or shortly after progress; NORETRY and a costly order never.
 */
static void test_episodes_retrying_gfp(void **state)
{
	const char *gfp[] = { G_MAYFAIL, G_KERNEL, G_KERNEL, G_KERNEL, G_NORETRY };
	int order[] = { 4, 0, 0, 0, 0 }, want[] = { 1, 1, 1, 2, 2 };
	uint64_t nr[] = { 0, 0, 5, 5, 0 }, gap[] = { 50 * MS, 50 * MS, 900 * US, 1100 * US, 10 * US };

	for (int i = 0; i < 5; i++) {
		struct fx *x = fx_new(ANL_MODE_EVENTS);
		const struct anl_model *m;

		rb(x, 1 * MS, 100, order[i], gfp[i]);
		reclaim_end(x, 2 * MS, 100, 0, nr[i]);
		rb(x, 2 * MS + gap[i], 100, order[i], gfp[i]);
		reclaim_end(x, 3 * MS + gap[i], 100, 0, 5);
		m = fx_finish(x);
		assert_int_equal(m->scope.slow, want[i]);
		assert_int_equal(m->scope.reclaim_loops, want[i] == 1 ? 1 : 0);
		assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count, 2);
		fx_free(x);
	}
}

/* a costly allocation compacts before and after its one reclaim: a third try is the next one */
static void test_episodes_costly_tries(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;
	uint64_t t = 1 * MS;

	mm(x, t, 100, 0, PRS_EV_TRY_COMPACT, 9, NONE, G_THP, NONE);
	rb(x, t + 1 * MS, 100, 9, G_THP);
	reclaim_end(x, t + 2 * MS, 100, 0, 2);
	mm(x, t + 3 * MS, 100, 0, PRS_EV_TRY_COMPACT, 9, NONE, G_THP, NONE);
	mm(x, t + 4 * MS, 100, 0, PRS_EV_TRY_COMPACT, 9, NONE, G_THP, NONE);	/* next */
	mm(x, t + 5 * MS, 100, 0, PRS_EV_TRY_COMPACT, 9, NONE, G_THP, NONE);	/* next, no reclaim */
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 3);
	assert_int_equal(x->recs.r[0].stage_count[ANL_STAGE_COMPACTION], 2);
	assert_int_equal(x->recs.r[0].stage_count[ANL_STAGE_DIRECT_RECLAIM], 1);
	assert_int_equal(x->recs.r[1].stage_count[ANL_STAGE_COMPACTION], 1);
	fx_free(x);
}

/* a quiet gap over 1 s, or another order, begins a new allocation; tasks never mix */
static void test_episodes_gap_order(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;
	uint64_t t = 100 * MS;

	rb(x, t, 100, 0, G_KERNEL);
	reclaim_end(x, t + 1 * MS, 100, 0, 0);		/* no progress: it loops */
	rb(x, t + 500 * MS, 100, 0, G_KERNEL);		/* 0.5 s: the same allocation */
	reclaim_end(x, t + 501 * MS, 100, 0, 3);
	rb(x, t + 1600 * MS, 100, 0, G_KERNEL);		/* 1.1 s quiet: a new one */
	reclaim_end(x, t + 1601 * MS, 100, 0, 3);
	rb(x, t + 1602 * MS, 100, 2, G_KERNEL);		/* another order: a new one */
	reclaim_end(x, t + 1603 * MS, 100, 0, 3);
	rb(x, t + 1602 * MS, 101, 2, G_KERNEL);		/* another task: its own */
	reclaim_end(x, t + 1604 * MS, 101, 0, 3);
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 4);
	assert_int_equal(episodes(x), 4);
	assert_int_equal(x->recs.r[0].latency_ns, 501 * MS);
	assert_int_equal(x->recs.r[0].stage_count[ANL_STAGE_DIRECT_RECLAIM], 2);
	assert_int_equal(x->recs.r[2].order, 2);
	fx_free(x);
}

/* one reclaim_retry_zone line: node 0, @zone, its wmark_check @pass */
static void retry_line(struct fx *x, uint64_t ts, int pid, int order, int loops, int zone, int pass)
{
	struct prs_event ev = base(ts, pid, 1, PRS_EV_RECLAIM_RETRY);

	ev.u.retry.order = order;
	ev.u.retry.loops = loops;
	ev.u.retry.max = -1;
	ev.u.retry.verdict = pass;
	ev.u.retry.nid = 0;
	ev.u.retry.zone = zone;
	feed(x, &ev);
}

static void retry_zone(struct fx *x, uint64_t ts, int pid, int loops, int zone)
{
	retry_line(x, ts, pid, 0, loops, zone, 1);
}

/* reclaim_retry_zone rounds, slab shrinking, throttling and out_of_memory explain a stall */
static void test_episodes_explained(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;
	struct prs_event ev;
	uint64_t t = 13 * MS;

	rb(x, t, 300, 0, G_KERNEL);
	simple(x, t + 10 * US, 300, 0, PRS_EV_SHRINK_SLAB_BEGIN);
	simple(x, t + 910 * US, 300, 0, PRS_EV_SHRINK_SLAB_END);
	ev = base(t + 950 * US, 300, 0, PRS_EV_THROTTLED);
	ev.u.throttle.nid = 0;
	ev.u.throttle.usec_timeout = 100000;
	ev.u.throttle.usec_delayed = 20;
	feed(x, &ev);
	reclaim_end(x, t + 1 * MS, 300, 0, 0);
	/* 16 rounds over two zones each: 32 lines */
	for (int r = 1; r <= 16; r++) {
		retry_zone(x, t + 1 * MS + (uint64_t)r * 10 * US, 300, r, 1);
		retry_zone(x, t + 1 * MS + (uint64_t)r * 10 * US + 1, 300, r, 2);
	}
	ev = base(t + 2 * MS, 300, 0, PRS_EV_FUNC_CALL);
	ev.u.fn.func = F_OOM;
	ev.u.fn.caller = "__alloc_pages_nodemask";
	ev.u.fn.duration = ev.u.fn.retval = NONE;
	ev.u.fn.depth = -1;
	feed(x, &ev);
	simple(x, t + 2 * MS + 5 * US, 300, 0, PRS_EV_MARK_VICTIM);
	/* kswapd's slab shrinking is no allocation's */
	base_comm = "kswapd0";
	simple(x, t + 3 * MS, 77, 0, PRS_EV_SHRINK_SLAB_BEGIN);
	simple(x, t + 4 * MS, 77, 0, PRS_EV_SHRINK_SLAB_END);
	base_comm = NULL;
	m = fx_finish(x);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(x->recs.r[0].retry_rounds, 16);
	assert_int_equal(x->recs.r[0].retry_loops_max, 16);
	assert_true(x->recs.r[0].flags & ANL_REC_RETRIES_OUT);
	assert_int_equal(x->recs.r[0].slab_calls, 1);
	assert_int_equal(x->recs.r[0].slab_ns, 900 * US);
	assert_int_equal(x->recs.r[0].throttles, 1);
	assert_int_equal(x->recs.r[0].throttle_ns, 20 * US);
	assert_int_equal(x->recs.r[0].stage_count[ANL_STAGE_OOM], 1);	/* one OOM, not two */
	assert_int_equal(x->recs.r[0].retry_end, ANL_RETRY_RAN_OUT);
	assert_int_equal(x->recs.r[0].after_retry, ANL_AFTER_OOM);	/* order 0, GFP_KERNEL */
	assert_int_equal(x->recs.r[0].latency_ns, 2 * MS + 5 * US);
	assert_int_equal(m->scope.retry_rounds, 16);
	assert_int_equal(m->scope.retries_out, 1);
	assert_int_equal(m->scope.slab_calls, 1);
	assert_int_equal(m->scope.oom_fn_calls, 1);
	fx_free(x);
}

/*
 * Rounds as 4.8 prints them (Michal Hocko's mem_eater, linux-mm 2016): one zone a line, a round
 * that repeats no_progress_loops after progress, and a last round in which no zone passes.
 */
static void test_retry_rounds_by_zone(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;
	uint64_t t = 52 * MS;
	static const int loops[] = { 1, 1, 2, 3, 4, 5, 6 };

	for (int i = 0; i < 7; i++)
		retry_line(x, t + (uint64_t)i * 400 * US, 3148, 0, loops[i], 1, 1);
	retry_line(x, t + 3 * MS, 3148, 0, 7, 1, 0);
	retry_line(x, t + 3 * MS, 3148, 0, 7, 0, 0);
	m = fx_finish(x);
	assert_int_equal(m->scope.retry_rounds, 8);
	assert_int_equal(m->scope.retry_allocs, 1);
	assert_int_equal(m->scope.retry_no_zone, 1);
	assert_int_equal(m->scope.retries_out, 0);
	assert_int_equal(x->recs.r[0].retry_end, ANL_RETRY_NO_ZONE);
	assert_int_equal(x->recs.r[0].after_retry, ANL_AFTER_UNKNOWN);	/* no gfp in those lines */
	fx_free(x);
	(void)state;
}

/*
 * An excerpt that begins inside an allocation at its top, in __alloc_pages_direct_compact()
 * (Xing Zhengjun's 5.12 paste, LKML 2021): its compaction counts (try_to_compact_pages ran
 * inside), and its mm_page_alloc without a page ends it, failed, though its return is cut off.
 */
static void test_partial_top_compaction(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	fent(x, 0, 24, 24, F_COMPACT, 0);
	fent(x, 0, 24, 24, "try_to_compact_pages", 1);
	fexit(x, 0, 24, 24, "try_to_compact_pages", 1, 184012300, NONE);
	leaf(x, 0, 24, 24, F_GPFL, 1, 1688, NONE);
	fexit(x, 0, 24, 24, F_COMPACT, 0, 184015200, NONE);
	mm(x, 0, 24, 24, PRS_EV_PAGE_ALLOC, 9, NONE,
	   "GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE", NONE);
	anl_set_no_timestamps(x->a);
	m = fx_finish(x);
	assert_int_equal(m->scope.allocations, 1);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].count, 1);
	assert_int_equal(m->scope.stage[ANL_STAGE_COMPACTION].total_ns, 184015200);
	assert_int_equal(m->anomalies.exit_without_entry, 1);
	assert_int_equal(m->anomalies.open_at_end, 0);
	assert_int_equal(m->anomalies.orphan_calls, 0);
	assert_true(x->recs.r[0].flags & ANL_REC_PARTIAL);
	assert_false(x->recs.r[0].flags & ANL_REC_COMPACT_ONLY);	/* before the excerpt: unknown */
	assert_int_equal(x->recs.r[0].latency_ns, 184015200);	/* at least what it shows */
	fx_free(x);
	(void)state;
}

/*
 * compact_retry (Michal Hocko's 4.x example): an order-9 request whose should_compact_retry()
 * said no; with the order alone (no gfp in the line) no OOM killer follows: it fails
 */
static void test_compact_retry_last(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	struct prs_event ev = base(1498 * MS, 3126, 1, PRS_EV_COMPACT_RETRY);

	ev.u.retry.order = 9;
	ev.u.retry.loops = 0;
	ev.u.retry.max = 16;
	ev.u.retry.verdict = 0;
	ev.u.retry.nid = ev.u.retry.zone = -1;
	feed(x, &ev);
	fx_finish(x);
	assert_int_equal(x->recs.n, 1);
	assert_int_equal(x->recs.r[0].compact_retries, 1);
	assert_int_equal(x->recs.r[0].compact_retry_last, 0);
	assert_int_equal(x->recs.r[0].order, 9);
	assert_int_equal(x->recs.r[0].after_retry, ANL_AFTER_FAIL);
	fx_free(x);
	(void)state;
}

/* What the slow path does once the retries give up, by order and gfp (6.12's slowpath) */
static void test_after_retry(void **state)
{
	assert_int_equal(anl_after_retry(0, "GFP_KERNEL"), ANL_AFTER_OOM);
	assert_int_equal(anl_after_retry(0, "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"), ANL_AFTER_OOM);
	assert_int_equal(anl_after_retry(0, "GFP_NOFS"), ANL_AFTER_NOFS);
	assert_int_equal(anl_after_retry(0, "GFP_NOIO|__GFP_NOWARN"), ANL_AFTER_NOFS);
	assert_int_equal(anl_after_retry(4, "GFP_KERNEL|__GFP_RETRY_MAYFAIL"), ANL_AFTER_FAIL);
	assert_int_equal(anl_after_retry(0, "GFP_KERNEL|__GFP_RETRY_MAYFAIL"), ANL_AFTER_FAIL);
	assert_int_equal(anl_after_retry(0, "GFP_KERNEL|__GFP_THISNODE"), ANL_AFTER_FAIL);
	assert_int_equal(anl_after_retry(2, "GFP_KERNEL|__GFP_NOFAIL"), ANL_AFTER_NOFAIL);
	/* before 4.13 __GFP_REPEAT looped but did not keep the OOM killer away */
	assert_int_equal(anl_after_retry(1, "GFP_KERNEL|__GFP_REPEAT"), ANL_AFTER_OOM);
	/* 3.x spelled the single flags without underscores */
	assert_int_equal(anl_after_retry(0, "GFP_KERNEL|GFP_NOFAIL"), ANL_AFTER_NOFAIL);
	assert_int_equal(anl_after_retry(0, NULL), ANL_AFTER_UNKNOWN);
	assert_int_equal(anl_after_retry(0, "0x27000c0"), ANL_AFTER_UNKNOWN);	/* a number */
	assert_int_equal(anl_after_retry(-1, "GFP_KERNEL"), ANL_AFTER_UNKNOWN);
	assert_true(anl_ev_single_reclaim(2, "GFP_KERNEL|GFP_NORETRY"));
	assert_false(anl_ev_single_reclaim(4, "0x27000c0"));
	assert_true(anl_ev_single_reclaim(4, "GFP_KERNEL|GFP_NOWARN|0x2"));
	assert_false(anl_ev_single_reclaim(4, "GFP_KERNEL|GFP_REPEAT"));
	(void)state;
}

/*
 * Pages pageout() wrote in the task's direct reclaim, and congestion_wait()'s sleeps there
 * (2.6.37 .. 5.15; Minchan Kim's 4.7 trace): in the stall; outside a reclaim, neither.
 */
static void test_writepage_congestion(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;
	struct prs_event ev;
	uint64_t t = 57 * MS;

	ev = base(t - 1 * MS, 4719, 0, PRS_EV_CONGESTION_WAIT);	/* not in a reclaim: not counted */
	ev.u.throttle.nid = -1;
	ev.u.throttle.usec_timeout = 100000;
	ev.u.throttle.usec_delayed = 104000;
	feed(x, &ev);
	rb(x, t, 4719, 0, "GFP_KERNEL|__GFP_NOWARN|__GFP_REPEAT|__GFP_NORETRY|__GFP_NOTRACK");
	ev.ts = t + 108 * MS;
	ev.u.throttle.usec_delayed = 108000;
	feed(x, &ev);
	for (int i = 0; i < 2; i++) {
		ev = base(t + 200 * MS + (uint64_t)i, 4719, 0, PRS_EV_WRITEPAGE);
		ev.u.wp.pfn = 20153 + (uint64_t)i;
		ev.u.wp.file = 0;
		feed(x, &ev);
	}
	reclaim_end(x, t + 300 * MS, 4719, 0, 113);
	base_comm = "kswapd0";
	ev = base(t + 301 * MS, 53, 0, PRS_EV_WRITEPAGE);
	ev.u.wp.pfn = 1;
	ev.u.wp.file = 1;
	feed(x, &ev);
	base_comm = NULL;
	m = fx_finish(x);
	assert_int_equal(x->recs.n, 1);
	assert_int_equal(x->recs.r[0].throttles, 1);
	assert_int_equal(x->recs.r[0].throttle_ns, 108 * MS);
	assert_int_equal(x->recs.r[0].writepages, 2);
	assert_int_equal(x->recs.r[0].writepages_file, 0);
	assert_int_equal(x->recs.r[0].writepages_anon, 2);
	assert_int_equal(m->scope.throttles, 1);
	assert_int_equal(m->scope.writepages, 2);
	assert_int_equal(m->scope.writepages_other, 1);
	fx_free(x);
	(void)state;
}

/* a task its first lines left "<...>" is named by a later line; its tgid from the TGID column */
static void test_episodes_task_named(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;

	base_comm = "<...>";
	rb(x, 1 * MS, 2798, 0, G_KERNEL);
	base_comm = "chrome";
	reclaim_end(x, 10 * MS, 2798, 0, 51);
	base_comm = NULL;
	m = fx_finish(x);
	assert_int_equal(m->nr_tasks, 1);
	assert_string_equal(m->tasks[0].comm, "chrome");
	assert_int_equal(m->tasks[0].tgid, 2798);
	assert_int_equal(m->tasks[0].stall_ns, 9 * MS);
	fx_free(x);
}

/* with mm_page_alloc, it ends each allocation: no episode boundaries, no episodes */
static void test_episodes_not_with_page_alloc(void **state)
{
	struct fx *x = fx_new(ANL_MODE_EVENTS);
	const struct anl_model *m;

	page_alloc(x, 1 * MS, 100, 0, 4, G_DMABUF);
	rb(x, 2 * MS, 100, 4, G_DMABUF);
	reclaim_end(x, 3 * MS, 100, 0, 5);
	rb(x, 4 * MS, 100, 4, G_DMABUF);
	reclaim_end(x, 5 * MS, 100, 0, 5);
	page_alloc(x, 6 * MS, 100, 0, 4, G_DMABUF);
	m = fx_finish(x);
	assert_true(m->page_alloc_seen);
	assert_false(m->episodes);
	/* what it could not tell: kswapd's CPU (no sched_switch), the capture (no markers) */
	assert_string_equal(m->untold[0], "no sched_switch: kswapd CPU time unknown");
	assert_non_null(strstr(m->untold[1], "excerpt"));
	assert_null(m->untold[2]);
	assert_int_equal(m->scope.slow, 1);
	assert_int_equal(episodes(x), 0);
	assert_int_equal(m->scope.reclaim_loops, 1);
	fx_free(x);
}

/* ---- window, ground truth, kswapd --------------------------------------- */

static void test_window_groundtruth_kswapd(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g = NULL;

	sw(x, 0, 0, "swapper/0", 0, "kswapd0", 49);	/* running before the window */
	graph_reclaim(x, 10 * MS, 100, 1);		/* outside: before */
	marker(x, 100 * MS, "allocscope: begin");
	marker(x, 100 * MS, "allocscope: vmstat allocstall_normal 10");
	marker(x, 100 * MS, "allocscope: vmstat allocstall_movable 5");
	marker(x, 100 * MS, "allocscope: vmstat compact_stall 3");
	marker(x, 100 * MS, "allocscope: kernel 6.12.0-test");
	sw(x, 300 * MS, 0, "kswapd0", 49, "hog", 100);	/* 200 ms inside */
	graph_reclaim(x, 400 * MS, 100, 2);
	sw(x, 500 * MS, 1, "hog", 100, "kswapd0", 49);
	sw(x, 600 * MS, 1, "kswapd0", 49, "hog", 100);	/* 100 ms inside */
	marker(x, 1100 * MS, "allocscope: end");
	marker(x, 1100 * MS, "allocscope: vmstat allocstall_normal 13");
	marker(x, 1100 * MS, "allocscope: vmstat allocstall_movable 6");
	marker(x, 1100 * MS, "allocscope: vmstat compact_stall 3");
	graph_reclaim(x, 1200 * MS, 100, 1);		/* outside: after */
	m = fx_finish(x);
	assert_true(m->window_from_markers);
	assert_int_equal(m->window_ns, 1000 * MS);
	assert_string_equal(m->kernel, "6.12.0-test");
	assert_int_equal(m->scope.allocations, 1);
	assert_int_equal(m->scope.reclaim_begin, 2);
	assert_true(m->kswapd_known);
	assert_float_equal(m->kswapd_cpu_percent, 30.0, 0.001);
	assert_true(m->vmstat_known);
	for (int i = 0; i < m->nr_gt; i++)
		if (!strcmp(m->gt[i].name, "allocstall"))
			g = &m->gt[i];
	assert_non_null(g);
	assert_int_equal(g->trace, 2);
	assert_int_equal(g->kernel, 4);
	assert_int_equal(g->edge, 2);
	assert_false(g->match);
	assert_true(g->edge_explained);
	fx_free(x);
}

static void test_vmstat_files(void **state)
{
	static const char before[] = "nr_free_pages 100\nallocstall_dma 0\nallocstall_normal 7\n"
				     "oom_kill 1\npgalloc_normal 1000\npgalloc_dma32 10\n";
	static const char after[] = "nr_free_pages 50\nallocstall_dma 0\nallocstall_normal 8\n"
				    "oom_kill 1\npgalloc_normal 1001\npgalloc_dma32 10\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	fx_vmstat(x, before, after);
	assert_int_equal(anl_set_vmstat(x->a, true, "garbage here\n", 13), -ANL_EVMSTAT);
	assert_int_equal(anl_set_vmstat(x->a, true, after, strlen(after)), 0);
	graph_reclaim(x, 1 * MS, 100, 1);
	m = fx_finish(x);
	assert_false(m->window_from_markers);
	assert_true(m->vmstat_known);
	for (int i = 0; i < m->nr_gt; i++) {
		if (!strcmp(m->gt[i].name, "allocstall") || !strcmp(m->gt[i].name, "pgalloc") ||
		    !strcmp(m->gt[i].name, "oom_kill"))
			assert_true(m->gt[i].match);
	}
	fx_free(x);
}

static void lru_shrink(struct fx *x, uint64_t ts, int pid, int prio)
{
	struct prs_event ev = base(ts, pid, 0, PRS_EV_LRU_SHRINK);

	ev.u.lru.nid = 0;
	ev.u.lru.priority = prio;
	ev.u.lru.nr_scanned = ev.u.lru.nr_reclaimed = NONE;	/* as _active */
	feed(x, &ev);
}

/* mm_vmscan_lru_shrink_inactive of @comm, reclaiming @nr pages */
static void lru_inactive(struct fx *x, uint64_t ts, int pid, const char *comm, uint64_t nr)
{
	struct prs_event ev = base(ts, pid, 0, PRS_EV_LRU_SHRINK);

	ev.comm = comm;
	ev.u.lru.nid = 0;
	ev.u.lru.priority = 12;
	ev.u.lru.nr_scanned = 32;
	ev.u.lru.nr_reclaimed = nr;
	feed(x, &ev);
}

/*
 * do_try_to_free_pages() restarts at the initial priority when a whole
 * pass reclaimed nothing, and counts ALLOCSTALL again: two entries, one of
 * them restarting once, are 3 allocstalls.  kswapd's own shrinking (no
 * direct reclaim open) and priority going down do not count.
 */
static void test_allocstall_restarts(void **state)
{
	static const char before[] = "allocstall_normal 10\n";
	static const char after[] = "allocstall_normal 13\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g = NULL;

	fx_vmstat(x, before, after);
	lru_shrink(x, 1 * MS, 49, 12);			/* kswapd */
	reclaim_begin(x, 2 * MS, 100, 0);
	for (int p = 12; p >= 0; p -= 3)
		lru_shrink(x, 3 * MS, 100, p);
	lru_shrink(x, 3 * MS, 100, 0);			/* same priority: not a restart */
	lru_shrink(x, 4 * MS, 49, 12);			/* kswapd again, in between */
	for (int p = 12; p >= 6; p--)			/* the restart */
		lru_shrink(x, 5 * MS, 100, p);
	reclaim_end(x, 6 * MS, 100, 0, 0);
	reclaim_begin(x, 7 * MS, 101, 0);
	lru_shrink(x, 8 * MS, 101, 12);
	lru_shrink(x, 8 * MS, 101, 11);
	reclaim_end(x, 9 * MS, 101, 0, 32);
	m = fx_finish(x);
	for (int i = 0; i < m->nr_gt; i++)
		if (!strcmp(m->gt[i].name, "allocstall"))
			g = &m->gt[i];
	assert_non_null(g);
	assert_int_equal(g->entries, 2);
	assert_int_equal(g->trace, 3);
	assert_int_equal(g->kernel, 3);
	assert_true(g->match);
	fx_free(x);
}

static const struct anl_gt *gt_of(const struct anl_model *m, const char *name)
{
	for (int i = 0; i < m->nr_gt; i++)
		if (!strcmp(m->gt[i].name, name))
			return &m->gt[i];
	fail_msg("no ground truth %s", name);
	return NULL;
}

/*
 * Three direct reclaims inside allocscope: begin/end, two ending with
 * nr_reclaimed=0; allocstall goes 10 -> @after.  @opt_kernel is --kernel,
 * @trace_kernel the trace's own "allocscope: kernel" marker.
 */
static int allocstall_run(struct fx **xp, const char *opt_kernel, const char *trace_kernel,
			  const char *after, const struct anl_model **m)
{
	struct anl_opts o = { .mode = ANL_MODE_AUTO, .kernel = opt_kernel };
	struct fx *x = calloc(1, sizeof(*x));
	char line[80];

	assert_non_null(x);
	assert_int_equal(anl_new(&o, &x->a), 0);
	marker(x, 1 * MS, "allocscope: begin");
	marker(x, 1 * MS, "allocscope: vmstat allocstall_normal 10");
	if (trace_kernel) {
		snprintf(line, sizeof(line), "allocscope: kernel %s", trace_kernel);
		marker(x, 1 * MS, line);
	}
	reclaim_begin(x, 2 * MS, 100, 0);
	reclaim_end(x, 3 * MS, 100, 0, 0);
	reclaim_begin(x, 4 * MS, 101, 0);
	reclaim_end(x, 5 * MS, 101, 0, 0);
	reclaim_begin(x, 6 * MS, 102, 0);
	reclaim_end(x, 7 * MS, 102, 0, 32);
	marker(x, 8 * MS, "allocscope: end");
	snprintf(line, sizeof(line), "allocscope: vmstat allocstall_normal %s", after);
	marker(x, 8 * MS, line);
	*xp = x;
	return anl_finish(x->a, m);
}

/*
 * do_try_to_free_pages() on 6.12 (memcg_full_walk, 6.10+) passes at least
 * twice when an entry reclaims nothing: 3 entries, 2 of them zero, are at
 * least 5 allocstalls; on 6.1 at least 3.  Each entry passes at most 5
 * (6.10+) or 4 times.  A --kernel of another major.minor than the trace's
 * own is refused.
 */
static void test_allocstall_kernel(void **state)
{
	const struct anl_model *m;
	const struct anl_gt *g;
	struct fx *x;

	/* 6.12 from --kernel: the kernel's notion exactly as the kernel counted it */
	assert_int_equal(allocstall_run(&x, "6.12.117", NULL, "15", &m), 0);
	assert_string_equal(m->kernel, "6.12.117");
	assert_true(m->kernel_given);
	g = gt_of(m, "allocstall");
	assert_int_equal(g->entries, 3);
	assert_int_equal(g->trace, 5);
	assert_int_equal(g->trace_min, 5);
	assert_int_equal(g->trace_max, 15);
	assert_int_equal(g->kernel, 5);
	assert_true(g->match);
	assert_null(g->note);
	fx_free(x);

	/* 6.1: no memcg_full_walk pass, the 2 restarts are within 3 .. 12 */
	assert_int_equal(allocstall_run(&x, "6.1.192", NULL, "15", &m), 0);
	g = gt_of(m, "allocstall");
	assert_int_equal(g->trace, 3);
	assert_int_equal(g->trace_max, 12);
	assert_false(g->match);
	assert_false(g->edge_explained);
	assert_true(g->range_explained);
	assert_non_null(strstr(g->note, "(3 .. 12)"));
	fx_free(x);

	/* kernel unknown: a lower bound, up to 5 passes per entry */
	assert_int_equal(allocstall_run(&x, NULL, NULL, "15", &m), 0);
	assert_null(m->kernel);
	g = gt_of(m, "allocstall");
	assert_int_equal(g->trace, 3);
	assert_int_equal(g->trace_max, 15);
	assert_true(g->range_explained);
	assert_non_null(strstr(g->note, "--kernel"));
	fx_free(x);

	/* 6.12 and only 4 counted: below what the trace proves, no bound explains it */
	assert_int_equal(allocstall_run(&x, "6.12", NULL, "14", &m), 0);
	g = gt_of(m, "allocstall");
	assert_false(g->match);
	assert_false(g->range_explained);
	assert_false(g->edge_explained);
	fx_free(x);

	/* the trace's own release wins; --kernel must agree on major.minor */
	assert_int_equal(allocstall_run(&x, "6.12", "6.12.117+deb12-cloud-amd64", "15", &m), 0);
	assert_string_equal(m->kernel, "6.12.117+deb12-cloud-amd64");
	assert_false(m->kernel_given);
	fx_free(x);
	assert_int_equal(allocstall_run(&x, "6.1", "6.12.117+deb12-cloud-amd64", "15", &m),
			 -ANL_EKERNEL);
	assert_string_equal(anl_trace_kernel(x->a), "6.12.117+deb12-cloud-amd64");
	fx_free(x);
	/* Debian's 6.1 says 6.1.0-56 in uname: the patch level does not contradict */
	assert_int_equal(allocstall_run(&x, "6.1.192", "6.1.0-56-cloud-amd64", "15", &m), 0);
	assert_int_equal(gt_of(m, "allocstall")->trace_max, 12);
	fx_free(x);
}

/* One fast and one slow (reclaiming) function_graph allocation of @pid named @comm. */
static void recorder_allocs(struct fx *x, uint64_t ts, int pid, const char *comm)
{
	base_comm = comm;
	fent(x, ts, pid, 0, F_ALLOC, 0);
	leaf(x, ts + 1 * US, pid, 0, F_GPFL, 1, 1 * US, NONE);
	page_alloc(x, ts + 2 * US, pid, 0, 0, G_USER);
	fexit(x, ts + 3 * US, pid, 0, F_ALLOC, 0, 3 * US, NONE);
	graph_reclaim(x, ts + 10 * US, pid, 1);
	base_comm = NULL;
}

/*
 * The recorder's own allocations count in the kernel's vmstat, not in the
 * KPIs: by comm in a trace without recorder-pid markers; by those markers
 * only when it has them (then a task merely named allocscope-reco counts).
 * The ground truth keeps them either way; include_recorder counts them.
 */
static void test_recorder_excluded(void **state)
{
	const struct anl_model *m;
	struct fx *x;
	struct anl_opts o = { .mode = ANL_MODE_AUTO, .include_recorder = true };

	for (int with_marker = 0; with_marker <= 2; with_marker++) {
		x = fx_new(ANL_MODE_AUTO);
		if (with_marker == 2) {
			anl_free(x->a);
			o.record = collect;
			o.record_data = &x->recs;
			assert_int_equal(anl_new(&o, &x->a), 0);
		}
		if (with_marker == 1)
			marker(x, 0, "allocscope: recorder-pid 300");
		recorder_allocs(x, 1 * MS, 100, "memhog");
		recorder_allocs(x, 2 * MS, 200, "allocscope-reco");
		recorder_allocs(x, 3 * MS, 300, "cat");
		m = fx_finish(x);
		assert_int_equal(m->recorder.tasks, 1);
		assert_int_equal(m->recorder.allocations, 2);
		assert_int_equal(m->recorder.slow, 1);
		assert_int_equal(m->recorder.reclaims, 1);
		assert_non_null(strstr(m->recorder.rule, with_marker == 1 ? "recorder-pid" :
				       "comm allocscope-reco"));
		assert_int_equal(m->recorder.included, with_marker == 2);
		/* 3 tasks x (1 fast + 1 slow) */
		assert_int_equal(m->scope.allocations, with_marker == 2 ? 6 : 4);
		assert_int_equal(m->scope.slow, with_marker == 2 ? 3 : 2);
		assert_int_equal(m->scope.reclaim_begin, with_marker == 2 ? 3 : 2);
		assert_int_equal(m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count,
				 with_marker == 2 ? 3 : 2);
		assert_int_equal(m->nr_tasks, with_marker == 2 ? 3 : 2);
		for (size_t i = 0; i < m->nr_tasks; i++)
			assert_int_not_equal(m->tasks[i].pid, with_marker == 1 ? 300 :
					     with_marker == 2 ? -1 : 200);
		/* the rows, like the KPIs */
		assert_int_equal(x->recs.n, with_marker == 2 ? 6 : 4);
		fx_free(x);
	}
}

static void test_kernel_version(void **state)
{
	int x, y;

	assert_int_equal(anl_kernel_version("6.12.117+deb12-cloud-amd64", &x, &y), 0);
	assert_int_equal(x, 6);
	assert_int_equal(y, 12);
	assert_int_equal(anl_kernel_version("6.1.0-56-cloud-amd64", &x, &y), 0);
	assert_int_equal(y, 1);
	assert_int_equal(anl_kernel_version("5.4", &x, &y), 0);
	assert_int_equal(anl_kernel_version("6.18-rc1", &x, &y), 0);
	assert_int_equal(y, 18);
	assert_int_equal(anl_kernel_version("6", &x, &y), -ANL_EINVAL);
	assert_int_equal(anl_kernel_version("six.1", &x, &y), -ANL_EINVAL);
	assert_int_equal(anl_kernel_version("6.12x", &x, &y), -ANL_EINVAL);
	assert_int_equal(anl_kernel_version("", &x, &y), -ANL_EINVAL);
	assert_int_equal(anl_kernel_version(NULL, &x, &y), -ANL_EINVAL);
}

/*
 * The capture's own markers (tests/e2e/guest-init.sh): in-band snapshot
 * blocks read before they are written, outside window-begin/-end.  The
 * window counts; the events after the before-block surely count in the
 * kernel's delta (edge_min), those up to the after-block may (edge).
 */
static void test_window_markers_inband_snapshots(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;

	graph_fast(x, 1 * MS, 100, 0);				/* before the before-snapshot: may count */
	marker(x, 10 * MS, "allocscope: vmstat-begin before");
	marker(x, 10 * MS, "allocscope: vmstat pgalloc_normal 1000");
	marker(x, 10 * MS, "allocscope: vmstat pgalloc_dma32 5");
	marker(x, 10 * MS, "allocscope: vmstat allocstall_normal 7");
	marker(x, 11 * MS, "allocscope: vmstat-end before");
	marker(x, 11 * MS, "allocscope: kswapd-stat before 42 (kswapd 0) S 2 0 0 0 -1 2230336 "
			   "0 0 0 0 10 4 0 0 20 0 1 0 249 0");
	graph_fast(x, 12 * MS, 100, 0);				/* after it: surely counts */
	marker(x, 20 * MS, "allocscope: window-begin");
	graph_fast(x, 30 * MS, 100, 0);
	graph_fast(x, 40 * MS, 100, 0);
	graph_reclaim(x, 50 * MS, 100, 1);
	marker(x, 1020 * MS, "allocscope: window-end");
	graph_fast(x, 1030 * MS, 100, 0);			/* before the after-read: may count */
	marker(x, 1040 * MS, "allocscope: vmstat-begin after");
	marker(x, 1040 * MS, "allocscope: vmstat pgalloc_normal 1005");
	marker(x, 1040 * MS, "allocscope: vmstat pgalloc_dma32 5");
	marker(x, 1040 * MS, "allocscope: vmstat allocstall_normal 8");
	marker(x, 1041 * MS, "allocscope: vmstat-end after");
	marker(x, 1041 * MS, "allocscope: kswapd-stat after 42 (kswapd 0) R 2 0 0 0 -1 2230336 "
			     "0 0 0 0 30 34 0 0 20 0 1 0 249 0");
	graph_fast(x, 1050 * MS, 100, 0);			/* after the after-block: never counts */
	m = fx_finish(x);
	assert_true(m->window_from_markers);
	assert_string_equal(m->window_source, "allocscope window-begin/end markers");
	assert_int_equal(m->window_ns, 1000 * MS);
	assert_int_equal(m->scope.allocations, 3);
	assert_true(m->vmstat_known);
	assert_string_equal(m->vmstat_source, "trace markers");
	g = gt_of(m, "pgalloc");
	assert_int_equal(g->trace, 3);
	assert_int_equal(g->kernel, 5);
	assert_int_equal(g->edge_min, 1);
	assert_int_equal(g->edge, 3);
	assert_false(g->match);
	assert_true(g->edge_explained);
	g = gt_of(m, "allocstall");
	assert_true(g->match);
	/* utime + stime: 14 -> 64 ticks of USER_HZ 100 over the 1 s window */
	assert_true(m->kswapd_stat_known);
	assert_float_equal(m->kswapd_stat_percent, 50.0, 0.001);
	fx_free(x);
}

/* Below trace + edge_min the edges cannot explain it. */
static void test_window_edge_min_bound(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;

	marker(x, 10 * MS, "allocscope: vmstat-begin before");
	marker(x, 10 * MS, "allocscope: vmstat pgalloc_normal 1000");
	marker(x, 11 * MS, "allocscope: vmstat-end before");
	graph_fast(x, 12 * MS, 100, 0);
	graph_fast(x, 13 * MS, 100, 0);
	marker(x, 20 * MS, "allocscope: window-begin");
	graph_fast(x, 30 * MS, 100, 0);
	marker(x, 40 * MS, "allocscope: window-end");
	graph_fast(x, 50 * MS, 100, 0);
	marker(x, 60 * MS, "allocscope: vmstat-begin after");
	marker(x, 60 * MS, "allocscope: vmstat pgalloc_normal 1002");
	marker(x, 61 * MS, "allocscope: vmstat-end after");
	m = fx_finish(x);
	g = gt_of(m, "pgalloc");
	assert_int_equal(g->trace, 1);
	assert_int_equal(g->kernel, 2);
	assert_int_equal(g->edge_min, 2);
	assert_int_equal(g->edge, 3);
	assert_false(g->edge_explained);
	fx_free(x);
}

/*
 * Our recorders (docs/capture-format.md): begin, then the before-snapshot read
 * and written line by line; snapshot-after, the after-snapshot read, end, its
 * lines.  The kernel's delta misses at most the events between begin and the
 * before-snapshot's last vmstat line (/proc/vmstat is read in chunks as its
 * lines are written) and between snapshot-after and end: "inside".  Nothing
 * outside the window can be in it.  kernel_after: pgalloc_normal after.
 */
static const struct anl_model *recorder_window(struct fx *x, const char *kernel_after,
					       bool snapshot_after)
{
	graph_fast(x, 1 * MS, 100, 0);				/* before begin: in neither */
	marker(x, 10 * MS, "allocscope: begin");
	graph_fast(x, 11 * MS, 100, 0);				/* perhaps before the read */
	marker(x, 12 * MS, "allocscope: vmstat pgalloc_normal 1000");
	graph_fast(x, 13 * MS, 100, 0);				/* perhaps before the read */
	marker(x, 14 * MS, "allocscope: vmstat pgalloc_dma32 5");
	marker(x, 14 * MS, "allocscope: meminfo MemFree 1000");
	graph_fast(x, 20 * MS, 100, 0);				/* surely in both */
	graph_fast(x, 30 * MS, 100, 0);
	if (snapshot_after)
		marker(x, 40 * MS, "allocscope: snapshot-after");
	graph_fast(x, 41 * MS, 100, 0);				/* perhaps after the read */
	marker(x, 50 * MS, "allocscope: end");
	marker(x, 50 * MS, kernel_after);
	marker(x, 50 * MS, "allocscope: vmstat pgalloc_dma32 5");
	graph_fast(x, 60 * MS, 100, 0);				/* after end: in neither */
	return fx_finish(x);
}

static void test_window_inside_bounded(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m = recorder_window(x, "allocscope: vmstat pgalloc_normal 1002", true);
	const struct anl_gt *g = gt_of(m, "pgalloc");

	assert_string_equal(m->window_source, "allocscope markers");
	assert_int_equal(m->scope.allocations, 5);
	assert_int_equal(g->trace, 5);
	assert_int_equal(g->kernel, 2);
	assert_int_equal(g->inside, 3);
	assert_int_equal(g->edge, 0);
	assert_int_equal(g->edge_min, 0);
	assert_false(g->match);
	assert_true(g->edge_explained);
	assert_non_null(strstr(g->note, "(trace - inside .. trace)"));
	fx_free(x);
}

/*
 * The bulk allocator's pages count in pgalloc without mm_page_alloc: with
 * its kretprobe recorded (allocscope: option bulk_probe=...) their sum bounds
 * the kernel's excess; without it, or beyond it, the difference stays NO.
 */
static const struct anl_gt *bulk_window(struct fx *x, const char *kernel_after, bool probed)
{
	if (probed)
		marker(x, 5 * MS, "allocscope: option bulk_probe=alloc_pages_bulk_noprof");
	marker(x, 10 * MS, "allocscope: begin");
	marker(x, 12 * MS, "allocscope: vmstat pgalloc_normal 1000");
	graph_fast(x, 20 * MS, 100, 0);
	if (probed) {
		kret(x, 21 * MS, 100, 0, "alloc_pages_bulk_noprof", "copy_splice_read", 16);
		kret(x, 22 * MS, 100, 0, "alloc_pages_bulk_noprof", "copy_splice_read", 0);
	}
	graph_fast(x, 30 * MS, 100, 0);
	marker(x, 40 * MS, "allocscope: snapshot-after");
	marker(x, 50 * MS, "allocscope: end");
	marker(x, 50 * MS, kernel_after);
	return gt_of(fx_finish(x), "pgalloc");
}

static void test_bulk_allocator_bound(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_gt *g = bulk_window(x, "allocscope: vmstat pgalloc_normal 1012", true);

	assert_int_equal(g->trace, 2);
	assert_int_equal(g->kernel, 12);
	assert_int_equal(g->unseen, 16);
	assert_true(g->edge_explained);
	assert_non_null(strstr(g->note, "bulk allocator's pages"));
	assert_non_null(strstr(g->note, "gave 16 pages in 2 calls"));
	fx_free(x);

	x = fx_new(ANL_MODE_AUTO);	/* more than the bulk pages: not explained */
	g = bulk_window(x, "allocscope: vmstat pgalloc_normal 1019", true);
	assert_int_equal(g->unseen, 16);
	assert_false(g->edge_explained);
	fx_free(x);

	x = fx_new(ANL_MODE_AUTO);	/* not probed: nothing bounds the excess */
	g = bulk_window(x, "allocscope: vmstat pgalloc_normal 1012", false);
	assert_int_equal(g->unseen, 0);
	assert_false(g->edge_explained);
	assert_non_null(strstr(g->note, "its pages the trace cannot see"));
	fx_free(x);
}

/* More than the inside events missing: the edges do not explain it. */
static void test_window_inside_exceeded(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m = recorder_window(x, "allocscope: vmstat pgalloc_normal 1001", true);
	const struct anl_gt *g = gt_of(m, "pgalloc");

	assert_int_equal(g->trace, 5);
	assert_int_equal(g->kernel, 1);
	assert_int_equal(g->inside, 3);
	assert_false(g->edge_explained);
	assert_non_null(strstr(g->note, "fewer events than the difference"));
	fx_free(x);
}

/* A capture without snapshot-after (older recorders): the end is unbounded, read as before. */
static void test_window_inside_unbounded(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m = recorder_window(x, "allocscope: vmstat pgalloc_normal 1002", false);
	const struct anl_gt *g = gt_of(m, "pgalloc");

	assert_int_equal(g->trace, 5);
	assert_int_equal(g->kernel, 2);
	assert_int_equal(g->inside, 0);
	assert_int_equal(g->edge, 2);		/* before begin and after end, as before */
	assert_false(g->edge_explained);
	assert_non_null(strstr(g->note, "the snapshots were read inside the window markers (begin"));
	fx_free(x);
}

/*
 * The e2e guests write "snapshot-PHASE" just before reading /proc/vmstat:
 * events before snapshot-before are not in the kernel's delta, those between
 * window-end and snapshot-after surely are.
 */
static void test_window_outside_snapshot_read(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;

	graph_fast(x, 1 * MS, 100, 0);				/* before the read: not in it */
	marker(x, 5 * MS, "allocscope: snapshot-before");
	graph_fast(x, 7 * MS, 100, 0);				/* perhaps */
	marker(x, 10 * MS, "allocscope: vmstat-begin before");
	marker(x, 10 * MS, "allocscope: vmstat pgalloc_normal 1000");
	marker(x, 11 * MS, "allocscope: vmstat-end before");
	graph_fast(x, 12 * MS, 100, 0);				/* surely */
	marker(x, 20 * MS, "allocscope: window-begin");
	graph_fast(x, 30 * MS, 100, 0);
	marker(x, 40 * MS, "allocscope: window-end");
	graph_fast(x, 45 * MS, 100, 0);				/* surely */
	marker(x, 50 * MS, "allocscope: snapshot-after");
	graph_fast(x, 55 * MS, 100, 0);				/* perhaps */
	marker(x, 60 * MS, "allocscope: vmstat-begin after");
	marker(x, 60 * MS, "allocscope: vmstat pgalloc_normal 1006");
	marker(x, 61 * MS, "allocscope: vmstat-end after");
	graph_fast(x, 70 * MS, 100, 0);				/* after the read: not in it */
	m = fx_finish(x);
	g = gt_of(m, "pgalloc");
	assert_int_equal(g->trace, 1);
	assert_int_equal(g->kernel, 6);
	assert_int_equal(g->edge_min, 2);
	assert_int_equal(g->edge, 4);
	assert_int_equal(g->inside, 0);
	assert_false(g->edge_explained);	/* 6 > 1 + 4: without the markers 1 + 5 allowed it */
	fx_free(x);
}

/*
 * Snapshot markers rewritten to begin/end around the capture's own
 * window-begin/-end (tests/e2e/compare-pairs.sh): the first kind opens the
 * window and only its own end closes it.
 */
static void test_window_mixed_markers(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	marker(x, 10 * MS, "allocscope: begin");
	marker(x, 10 * MS, "allocscope: vmstat pgalloc_normal 1000");
	marker(x, 20 * MS, "allocscope: window-begin");
	graph_fast(x, 30 * MS, 100, 0);
	marker(x, 40 * MS, "allocscope: window-end");
	graph_fast(x, 50 * MS, 100, 0);
	marker(x, 60 * MS, "allocscope: end");
	marker(x, 60 * MS, "allocscope: vmstat pgalloc_normal 1002");
	m = fx_finish(x);
	assert_string_equal(m->window_source, "allocscope markers");
	assert_int_equal(m->window_ns, 50 * MS);
	assert_int_equal(m->scope.allocations, 2);
	assert_true(gt_of(m, "pgalloc")->match);
	fx_free(x);
}

/*
 * __alloc_pages_direct_compact() hands over a page captured by compaction
 * without get_page_from_freelist(): mm_page_alloc without pgalloc.  It
 * counts COMPACTSTALL when compaction was not skipped: a gpfl inside, or
 * a capture; a call that returned before either (COMPACT_SKIPPED) does not.
 */
static void test_graph_compaction_capture(void **state)
{
	static const char before[] = "pgalloc_normal 100\ncompact_stall 3\n";
	static const char after[] = "pgalloc_normal 102\ncompact_stall 5\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;
	uint64_t t = 1 * MS;

	fx_vmstat(x, before, after);
	/* captured: nothing from the freelist inside the compaction */
	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	leaf(x, t + 4 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_COMPACT, 1);
	simple(x, t + 11 * US, 100, 0, PRS_EV_TRY_COMPACT);
	simple(x, t + 12 * US, 100, 0, PRS_EV_COMPACT_BEGIN);
	simple(x, t + 40 * US, 100, 0, PRS_EV_COMPACT_END);
	fexit(x, t + 50 * US, 100, 0, F_COMPACT, 1, 40 * US, NONE);
	page_alloc(x, t + 51 * US, 100, 0, 9, G_THP);
	fexit(x, t + 52 * US, 100, 0, F_ALLOC, 0, 52 * US, NONE);
	/* skipped, then the page from the freelist: neither a capture nor a stall */
	t = 2 * MS;
	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_COMPACT, 1);
	simple(x, t + 11 * US, 100, 0, PRS_EV_TRY_COMPACT);
	fexit(x, t + 12 * US, 100, 0, F_COMPACT, 1, 2 * US, NONE);
	leaf(x, t + 13 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	page_alloc(x, t + 16 * US, 100, 0, 0, G_USER);
	fexit(x, t + 17 * US, 100, 0, F_ALLOC, 0, 17 * US, NONE);
	/* compacted, then the freelist inside it: a stall, not a capture */
	t = 3 * MS;
	fent(x, t, 100, 0, F_ALLOC, 0);
	leaf(x, t + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fent(x, t + 10 * US, 100, 0, F_COMPACT, 1);
	simple(x, t + 11 * US, 100, 0, PRS_EV_TRY_COMPACT);
	simple(x, t + 12 * US, 100, 0, PRS_EV_COMPACT_BEGIN);
	leaf(x, t + 20 * US, 100, 0, F_GPFL, 2, 2 * US, NONE);
	fexit(x, t + 30 * US, 100, 0, F_COMPACT, 1, 20 * US, NONE);
	page_alloc(x, t + 31 * US, 100, 0, 0, G_USER);
	fexit(x, t + 32 * US, 100, 0, F_ALLOC, 0, 32 * US, NONE);
	m = fx_finish(x);
	assert_int_equal(m->scope.page_alloc_pages, 514);
	assert_int_equal(m->scope.captured, 1);
	assert_int_equal(m->scope.captured_pages, 512);
	g = gt_of(m, "pgalloc");
	assert_int_equal(g->trace, 514 - 512);
	assert_true(g->match);
	g = gt_of(m, "compact_stall");
	assert_true(g->exact);
	assert_int_equal(g->entries, 3);
	assert_int_equal(g->trace, 2);
	assert_true(g->match);
	fx_free(x);
}

/*
 * retprobe: the page did not come from get_page_from_freelist() (its last
 * return was NULL, after a try_to_compact_pages): captured.  A page from
 * the freelist with no page at mm_page_alloc: the memcg charge failed,
 * pgalloc counted it.
 */
static void test_retprobe_capture_and_charge(void **state)
{
	static const char before[] = "pgalloc_normal 100\n";
	static const char after[] = "pgalloc_normal 103\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;

	fx_vmstat(x, before, after);
	kprobe(x, 1 * MS, 100, 0, F_ALLOC, 0x140cca, 9);
	kret(x, 1 * MS + 1 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	kret(x, 1 * MS + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0);
	simple(x, 1 * MS + 3 * US, 100, 0, PRS_EV_TRY_COMPACT);
	mm(x, 1 * MS + 9 * US, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, 0x2000);
	kret(x, 1 * MS + 10 * US, 100, 0, F_ALLOC, "alloc_pages_mpol", 0xffff1000);
	kprobe(x, 2 * MS, 100, 0, F_ALLOC, 0x400cc0, 1);
	kret(x, 2 * MS + 1 * US, 100, 0, F_GPFL, F_ALLOC, 0xffff2000);
	mm(x, 2 * MS + 2 * US, 100, 0, PRS_EV_PAGE_ALLOC, 1, NONE, "GFP_KERNEL_ACCOUNT", NONE);
	kret(x, 2 * MS + 3 * US, 100, 0, F_ALLOC, "kmalloc_large", 0);
	kprobe(x, 3 * MS, 100, 0, F_ALLOC, 0x400cc0, 0);	/* an ordinary one */
	kret(x, 3 * MS + 1 * US, 100, 0, F_GPFL, F_ALLOC, 0xffff3000);
	mm(x, 3 * MS + 2 * US, 100, 0, PRS_EV_PAGE_ALLOC, 0, NONE, G_USER, 0x3000);
	kret(x, 3 * MS + 3 * US, 100, 0, F_ALLOC, "x", 0xffff3000);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_RETPROBE);
	assert_int_equal(m->scope.failed, 1);
	assert_int_equal(m->scope.captured_pages, 512);
	assert_int_equal(m->scope.charge_failed_pages, 2);
	g = gt_of(m, "pgalloc");
	assert_int_equal(g->entries, 3);
	assert_int_equal(g->trace, 513 - 512 + 2);
	assert_true(g->match);
	fx_free(x);
}

static void compact_zone_ev(struct fx *x, uint64_t ts, int pid, enum prs_kind kind, const char *st)
{
	struct prs_event ev = base(ts, pid, 0, kind);

	ev.u.compact.sync = -1;
	ev.u.compact.order = 9;
	ev.u.compact.status = INT32_MIN;
	ev.u.compact.status_str = st;
	feed(x, &ev);
}

/*
 * events mode with mm_compaction_suitable and _deferred: a try counts unless
 * every zone it visited was skipped.  A try whose zones left no event at
 * all stopped at a zone already at its watermark (6.12); one with skipped
 * zones only is unsure (6.12 may have stopped at such a zone after them).
 */
static void test_compact_stall_suitable_deferred(void **state)
{
	static const char before[] = "compact_stall 0\n";
	static const char after[] = "compact_stall 4\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;

	fx_vmstat(x, before, after);
	/* 1: deferred in one zone, skipped in the other: counts */
	simple(x, 1 * MS, 100, 0, PRS_EV_TRY_COMPACT);
	compact_zone_ev(x, 1 * MS + 1, 100, PRS_EV_COMPACT_DEFERRED, NULL);
	compact_zone_ev(x, 1 * MS + 2, 100, PRS_EV_COMPACT_SUITABLE, "skipped");
	mm(x, 1 * MS + 3, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, NONE);
	/* 2: already at the watermark (6.1 says so): counts */
	simple(x, 2 * MS, 100, 0, PRS_EV_TRY_COMPACT);
	compact_zone_ev(x, 2 * MS + 1, 100, PRS_EV_COMPACT_SUITABLE, "success");
	mm(x, 2 * MS + 3, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, 0x2000);
	/* 3: every zone skipped: no stall */
	simple(x, 3 * MS, 100, 0, PRS_EV_TRY_COMPACT);
	compact_zone_ev(x, 3 * MS + 1, 100, PRS_EV_COMPACT_SUITABLE, "skipped");
	compact_zone_ev(x, 3 * MS + 2, 100, PRS_EV_COMPACT_SUITABLE, "not_suitable_zone");
	mm(x, 3 * MS + 3, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, NONE);
	/* 4: no zone event (6.12: silent COMPACT_SUCCESS): counts */
	simple(x, 4 * MS, 100, 0, PRS_EV_TRY_COMPACT);
	mm(x, 4 * MS + 3, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, 0x4000);
	/* 5: compaction ran */
	simple(x, 5 * MS, 100, 0, PRS_EV_TRY_COMPACT);
	compact_zone_ev(x, 5 * MS + 1, 100, PRS_EV_COMPACT_SUITABLE, "continue");
	compact_zone_ev(x, 5 * MS + 2, 100, PRS_EV_COMPACT_BEGIN, NULL);
	mm(x, 5 * MS + 3, 100, 0, PRS_EV_PAGE_ALLOC, 9, NONE, G_THP, 0x5000);
	m = fx_finish(x);
	assert_int_equal(m->mode, ANL_MODE_EVENTS);
	assert_int_equal(m->scope.try_compact, 5);
	assert_int_equal(m->scope.compact_try_unsure, 1);
	g = gt_of(m, "compact_stall");
	assert_int_equal(g->trace, 4);
	assert_false(g->exact);		/* the unsure one */
	assert_true(g->match);
	fx_free(x);
}

/*
 * khugepaged's direct reclaim is pgsteal_khugepaged where the kernel has
 * that counter (6.12); ALLOCSTALL still counts it.  Entries that reclaimed
 * nothing are counted in the allocstall note.
 */
static void test_pgsteal_khugepaged_allocstall_note(void **state)
{
	static const char before[] = "allocstall_normal 0\npgsteal_direct 10\npgsteal_khugepaged 0\n";
	static const char after[] = "allocstall_normal 4\npgsteal_direct 42\npgsteal_khugepaged 8\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;
	struct prs_event ev;

	fx_vmstat(x, before, after);
	reclaim_begin(x, 1 * MS, 100, 0);
	reclaim_end(x, 2 * MS, 100, 0, 32);
	ev = base(3 * MS, 77, 1, PRS_EV_RECLAIM_BEGIN);
	ev.comm = "khugepaged";
	ev.u.mm.order = 9;
	ev.u.mm.gfp = NONE;
	feed(x, &ev);
	ev = base(4 * MS, 77, 1, PRS_EV_RECLAIM_END);
	ev.comm = "khugepaged";
	ev.u.reclaim.nr_reclaimed = 8;
	feed(x, &ev);
	reclaim_begin(x, 5 * MS, 100, 0);
	reclaim_end(x, 6 * MS, 100, 0, 0);
	m = fx_finish(x);
	g = gt_of(m, "pgsteal_direct");
	assert_int_equal(g->entries, 3);
	assert_int_equal(g->trace, 32);
	assert_true(g->match);
	g = gt_of(m, "allocstall");
	assert_int_equal(g->trace, 3);
	assert_int_equal(g->kernel, 4);
	assert_non_null(g->note);
	assert_non_null(strstr(g->note, "1 of the 3 entries ended with nr_reclaimed=0"));
	fx_free(x);
}

/*
 * pgsteal_direct is what shrink_inactive_list() / evict_folios() count for
 * any reclaimer but kswapd (and khugepaged where pgsteal_khugepaged
 * exists): the nr_reclaimed of mm_vmscan_lru_shrink_inactive, inside a
 * direct reclaim or not (node reclaim), not mm_vmscan_direct_reclaim_end's
 * sc->nr_reclaimed (slab pages too).  _active events carry no nr_reclaimed.
 */
static void test_pgsteal_direct_from_lru(void **state)
{
	static const char before[] = "pgsteal_direct 100\npgsteal_khugepaged 0\n";
	static const char after[] = "pgsteal_direct 142\npgsteal_khugepaged 9\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;
	struct prs_event ev;

	fx_vmstat(x, before, after);
	lru_inactive(x, 1 * MS, 49, "kswapd0", 500);		/* pgsteal_kswapd */
	reclaim_begin(x, 2 * MS, 100, 0);
	lru_inactive(x, 3 * MS, 100, "task", 20);
	lru_shrink(x, 3 * MS, 100, 12);				/* _active */
	lru_inactive(x, 4 * MS, 49, "kswapd0", 300);		/* kswapd, meanwhile */
	lru_inactive(x, 5 * MS, 100, "task", 12);
	reclaim_end(x, 6 * MS, 100, 0, 40);			/* 8 slab pages */
	ev = base(7 * MS, 77, 1, PRS_EV_RECLAIM_BEGIN);
	ev.comm = "khugepaged";
	ev.u.mm.order = 9;
	ev.u.mm.gfp = NONE;
	feed(x, &ev);
	lru_inactive(x, 8 * MS, 77, "khugepaged", 9);		/* pgsteal_khugepaged */
	ev = base(9 * MS, 77, 1, PRS_EV_RECLAIM_END);
	ev.comm = "khugepaged";
	ev.u.reclaim.nr_reclaimed = 9;
	feed(x, &ev);
	lru_inactive(x, 10 * MS, 101, "task", 10);		/* node reclaim: no direct reclaim */
	m = fx_finish(x);
	assert_int_equal(m->scope.lru_inactive, 4);	/* kswapd's left out */
	assert_int_equal(m->scope.lru_reclaimed, 51);
	assert_int_equal(m->scope.lru_reclaimed_khugepaged, 9);
	assert_int_equal(m->scope.lru_outside, 1);
	assert_int_equal(m->scope.lru_reclaimed_outside, 10);
	g = gt_of(m, "pgsteal_direct");
	assert_int_equal(g->entries, 2);
	assert_int_equal(g->trace, 42);
	assert_int_equal(g->kernel, 42);
	assert_true(g->match);
	assert_false(g->exact);		/* the one outside may have been memcg reclaim */
	fx_free(x);
}

/*
 * Without the events, today's sc->nr_reclaimed from the end events; with
 * them but no pgsteal_khugepaged in the kernel (6.1), khugepaged counts as
 * direct; the note says what the trace saw when it differs.
 */
static void test_pgsteal_direct_lru_fallback(void **state)
{
	static const char before[] = "pgsteal_direct 0\n";
	static const char after[] = "pgsteal_direct 30\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;

	fx_vmstat(x, before, after);
	reclaim_begin(x, 1 * MS, 100, 0);
	lru_shrink(x, 2 * MS, 100, 12);				/* _active only */
	reclaim_end(x, 3 * MS, 100, 0, 33);
	m = fx_finish(x);
	g = gt_of(m, "pgsteal_direct");
	assert_int_equal(g->trace, 33);
	assert_false(g->match);
	assert_non_null(strstr(g->note, "mm_vmscan_lru_shrink_inactive, none in the trace"));
	fx_free(x);

	x = fx_new(ANL_MODE_AUTO);
	fx_vmstat(x, before, after);
	reclaim_begin(x, 1 * MS, 100, 0);
	lru_inactive(x, 2 * MS, 100, "task", 20);
	reclaim_end(x, 3 * MS, 100, 0, 24);
	reclaim_begin(x, 4 * MS, 77, 0);
	lru_inactive(x, 5 * MS, 77, "khugepaged", 10);
	reclaim_end(x, 6 * MS, 77, 0, 10);
	lru_inactive(x, 7 * MS, 100, "task", 5);		/* memcg reclaim here */
	m = fx_finish(x);
	g = gt_of(m, "pgsteal_direct");
	assert_int_equal(g->entries, 2);
	assert_int_equal(g->trace, 35);
	assert_int_equal(g->kernel, 30);
	assert_false(g->match);
	assert_non_null(strstr(g->note, "1 (5 pages) ran outside a direct reclaim: node_reclaim() (counted) or memcg reclaim (not), unknown here"));
	assert_non_null(strstr(g->note, "the 2 direct reclaim ends say 34"));
	fx_free(x);
}

static void memcg_reclaim(struct fx *x, uint64_t ts, int pid, bool begin, const char *name)
{
	struct prs_event ev = base(ts, pid, 0, begin ? PRS_EV_MEMCG_RECLAIM_BEGIN :
					       PRS_EV_MEMCG_RECLAIM_END);

	ev.name = name;
	if (begin) {
		ev.u.mm.order = 0;
		ev.u.mm.gfp = NONE;
		ev.u.mm.pfn = NONE;
	} else {
		ev.u.reclaim.nr_reclaimed = 0;
	}
	feed(x, &ev);
}

/*
 * With memcg reclaim bracketed (mm_vmscan_memcg_reclaim_* around
 * try_to_free_mem_cgroup_pages(), _softlimit_ around mem_cgroup_shrink_node()
 * even inside a direct reclaim), its LRU pages are left out (cgroup_reclaim():
 * not in /proc/vmstat) and the rest outside a direct reclaim is node reclaim:
 * exact.  Soft-limit reclaim scans at priority 0 with its own scan_control:
 * the direct reclaim's next priority is no restart.
 */
static void test_pgsteal_direct_memcg(void **state)
{
	static const char before[] = "allocstall_normal 0\npgsteal_direct 0\n";
	static const char after[] = "allocstall_normal 1\npgsteal_direct 32\n";
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;
	const struct anl_gt *g;
	struct prs_event ev;

	fx_vmstat(x, before, after);
	reclaim_begin(x, 1 * MS, 100, 0);
	lru_inactive(x, 2 * MS, 100, "task", 20);			/* priority 12 */
	memcg_reclaim(x, 3 * MS, 100, true, "mm_vmscan_memcg_softlimit_reclaim_begin");
	ev = base(4 * MS, 100, 0, PRS_EV_LRU_SHRINK);
	ev.u.lru.priority = 0;
	ev.u.lru.nr_scanned = 32;
	ev.u.lru.nr_reclaimed = 8;
	feed(x, &ev);
	memcg_reclaim(x, 5 * MS, 100, false, "mm_vmscan_memcg_softlimit_reclaim_end");
	ev.ts = 6 * MS;
	ev.u.lru.priority = 11;
	ev.u.lru.nr_reclaimed = 5;
	feed(x, &ev);
	reclaim_end(x, 7 * MS, 100, 0, 33);
	memcg_reclaim(x, 8 * MS, 200, true, "mm_vmscan_memcg_reclaim_begin");
	lru_inactive(x, 9 * MS, 200, "task", 30);
	memcg_reclaim(x, 10 * MS, 200, false, "mm_vmscan_memcg_reclaim_end");
	lru_inactive(x, 11 * MS, 300, "task", 7);			/* node reclaim */
	m = fx_finish(x);
	assert_int_equal(m->scope.lru_memcg, 2);
	assert_int_equal(m->scope.lru_reclaimed_memcg, 38);
	assert_int_equal(m->scope.lru_outside, 1);
	g = gt_of(m, "pgsteal_direct");
	assert_int_equal(g->trace, 32);
	assert_true(g->match);
	assert_true(g->exact);
	g = gt_of(m, "allocstall");
	assert_int_equal(g->trace, 1);
	assert_true(g->match);
	fx_free(x);

	/* the capture's option line: the kernel has no memcg reclaim events (no CONFIG_MEMCG) */
	x = fx_new(ANL_MODE_AUTO);
	assert_int_equal(anl_set_vmstat(x->a, false, before, strlen(before)), 0);
	assert_int_equal(anl_set_vmstat(x->a, true, "pgsteal_direct 7\n", 17), 0);
	marker(x, 1 * MS, "allocscope: option event=vmscan:mm_vmscan_memcg_reclaim_begin,missing");
	lru_inactive(x, 2 * MS, 300, "task", 7);
	m = fx_finish(x);
	assert_int_equal(m->scope.lru_outside, 1);
	g = gt_of(m, "pgsteal_direct");
	assert_true(g->exact);
	assert_true(g->match);
	fx_free(x);
}

/* ---- time order --------------------------------------------------------- */

/*
 * ts_backwards counts a CPU going back in time, not CPUs interleaving (a text
 * trace read live from trace_pipe does that); lost-events markers are placed
 * by the text readers at the latest time seen and are not checked; CPU
 * numbers far out of range share one slot instead of indexing anything.
 */
static void test_ts_backwards_per_cpu(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	simple(x, 10 * US, 1, 0, PRS_EV_KSWAPD_SLEEP);
	simple(x, 5 * US, 2, 1, PRS_EV_KSWAPD_SLEEP);	/* older than CPU 0's: interleaved */
	simple(x, 20 * US, 1, 0, PRS_EV_KSWAPD_SLEEP);
	lost(x, 20 * US, 1, 7);				/* CPU 1 at the latest time */
	simple(x, 6 * US, 2, 1, PRS_EV_KSWAPD_SLEEP);	/* CPU 1 still forward */
	simple(x, 4 * US, 2, 1, PRS_EV_KSWAPD_SLEEP);	/* CPU 1 back: 1 */
	simple(x, 19 * US, 1, 0, PRS_EV_KSWAPD_SLEEP);	/* CPU 0 back: 2 */
	simple(x, 30 * US, 3, 1000000, PRS_EV_KSWAPD_SLEEP);
	simple(x, 29 * US, 3, 2000000, PRS_EV_KSWAPD_SLEEP);	/* shared slot: 3 */
	simple(x, 30 * US, 3, -1, PRS_EV_KSWAPD_SLEEP);	/* equal to the slot's latest: not back */
	m = fx_finish(x);
	assert_int_equal(m->anomalies.ts_backwards, 3);
	fx_free(x);
}

/*
 * An order beyond MAX_PAGE_ORDER (10 on common configs) is counted and kept
 * in the "other" row, never used as an index; a kprobe's order argument
 * beyond any kernel's (> 64) is dropped as unknown.
 */
static void test_order_out_of_range(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	const struct anl_model *m;

	page_alloc(x, 1 * MS, 100, 0, 10, G_USER);
	page_alloc(x, 2 * MS, 100, 0, 11, G_USER);
	page_alloc(x, 3 * MS, 100, 0, 0x7fffffff, G_USER);
	m = fx_finish(x);
	assert_int_equal(m->anomalies.order_out_of_range, 2);
	assert_int_equal(m->scope.allocations, 3);
	assert_int_equal(m->scope.by_order[10].allocations, 1);
	assert_int_equal(m->scope.by_order[ANL_MAX_ORDER + 1].allocations, 2);
	fx_free(x);

	x = fx_new(ANL_MODE_RETPROBE);
	kprobe(x, 1 * MS, 100, 0, F_ALLOC, 0x140cca, 1000);
	kret(x, 1 * MS + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0x1000);
	kret(x, 1 * MS + 3 * US, 100, 0, F_ALLOC, NULL, 0x1000);
	/* 11..64: no page order of any kernel either, but a number: counted too */
	kprobe(x, 2 * MS, 100, 0, F_ALLOC, 0x140cca, 11);
	kret(x, 2 * MS + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0x1000);
	kret(x, 2 * MS + 3 * US, 100, 0, F_ALLOC, NULL, 0x1000);
	kprobe(x, 3 * MS, 100, 0, F_ALLOC, 0x140cca, 10);
	kret(x, 3 * MS + 2 * US, 100, 0, F_GPFL, F_ALLOC, 0x1000);
	kret(x, 3 * MS + 3 * US, 100, 0, F_ALLOC, NULL, 0x1000);
	m = fx_finish(x);
	assert_int_equal(m->anomalies.order_out_of_range, 2);
	assert_int_equal(m->scope.allocations, 3);
	assert_int_equal(m->scope.by_order[10].allocations, 1);
	assert_int_equal(m->scope.by_order[ANL_MAX_ORDER + 1].allocations, 2);
	fx_free(x);
}

/* ---- histograms, names, reports ----------------------------------------- */

static void test_hist(void **state)
{
	struct anl_hist h = { 0 }, h2 = { 0 };

	anl_hist_add(&h, 0);
	anl_hist_add(&h, 1);
	anl_hist_add(&h, 2);
	anl_hist_add(&h, 1023);
	anl_hist_add(&h, 1024);
	assert_int_equal(h.bucket[0], 2);
	assert_int_equal(h.bucket[1], 1);
	assert_int_equal(h.bucket[9], 1);
	assert_int_equal(h.bucket[10], 1);
	anl_hist_merge(&h2, &h);
	anl_hist_merge(&h2, &h);
	assert_int_equal(h2.bucket[10], 2);
	assert_true(anl_hist_percentile(&h, 100, 1024) == 1024);
	assert_true(anl_hist_percentile(&h, 50, 1024) >= 2 && anl_hist_percentile(&h, 50, 1024) < 4);
	assert_int_equal(anl_hist_percentile(&(struct anl_hist){ 0 }, 50, 0), 0);
}

/* One sample's percentiles are that sample: clamped to the observed [min, max]. */
static void test_percentile_observed(void **state)
{
	struct fx *x = fx_new(ANL_MODE_GRAPH);
	const struct anl_model *m;
	const struct anl_stat *st;

	(void)state;
	fent(x, 1 * MS, 100, 0, F_ALLOC, 0);
	leaf(x, 1 * MS + 1 * US, 100, 0, F_GPFL, 1, 2 * US, NONE);
	fexit(x, 1 * MS + 44 * MS, 100, 0, F_ALLOC, 0, 43949480, NONE);
	m = fx_finish(x);
	st = &m->scope.stage[ANL_STAGE_FAST_PATH];
	assert_int_equal(st->timed, 1);
	assert_int_equal(st->min_ns, 43949480);
	assert_int_equal(st->max_ns, 43949480);
	/* the fine bucket alone puts p50 at 42,991,616 (2.2 % below) */
	for (double p = 1; p <= 100; p += 7)
		assert_int_equal(anl_stat_percentile(st, p), 43949480);
	fx_free(x);
}

static void test_modes_names(void **state)
{
	enum anl_mode mo;

	assert_int_equal(anl_mode_parse("graph+retval", &mo), 0);
	assert_int_equal(mo, ANL_MODE_GRAPH_RETVAL);
	assert_int_equal(anl_mode_parse("bogus", &mo), -ANL_EINVAL);
	assert_string_equal(anl_mode_name(ANL_MODE_RETPROBE), "retprobe");
	assert_string_equal(anl_stage_name(ANL_STAGE_DIRECT_RECLAIM), "direct_reclaim");
	assert_string_equal(anl_strerror(-ANL_ENOMEM), "out of memory");
}

static void test_reports_render(void **state)
{
	struct fx *x = fx_new(ANL_MODE_AUTO);
	struct rpt_input in = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	static const char *const keys[] = {
		"\"schema_version\": 2", "\"capture\": {\"mode\": \"graph\"", "\"lost_events\": 0",
		"\"window_ns\":", "\"allocations\": 2", "\"slow_path_entries\": 1", "\"failed\": 0",
		"\"slow_path_exact\": true", "\"wake_all_kswapds\": {\"count\": 2", "\"compaction\": {\"count\": 0",
		"\"direct_reclaim\": {\"count\": 1", "\"oom\": {\"count\": 0", "\"p50_ns\":", "\"p99_ns\":",
		"\"max_ns\":", "\"histogram\": [", "\"kswapd\": {\"cpu_percent\":", "\"groundtruth\": [",
	};

	graph_fast(x, 1 * MS, 100, 0);
	graph_reclaim(x, 2 * MS, 100, 1);
	in.model = fx_finish(x);
	in.trace_path = "synthetic";
	in.top_n = 5;
	in.histograms = true;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(rpt_json(&in, f), 0);
	fclose(f);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!strstr(buf, keys[i]))
			fail_msg("JSON lacks %s:\n%s", keys[i], buf);
	}
	free(buf);

	f = open_memstream(&buf, &len);
	assert_int_equal(rpt_text(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "mode        graph (function_graph: exact), detected"));
	assert_non_null(strstr(buf, "slow-path entries"));
	assert_non_null(strstr(buf, "distribution"));
	assert_non_null(strstr(buf, "Top tasks by stall time"));
	free(buf);
	fx_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allocstall_restarts),
		cmocka_unit_test(test_allocstall_kernel),
		cmocka_unit_test(test_kernel_version),
		cmocka_unit_test(test_recorder_excluded),
		cmocka_unit_test(test_graph_fast),
		cmocka_unit_test(test_graph_slow_kswapd),
		cmocka_unit_test(test_graph_compaction),
		cmocka_unit_test(test_graph_reclaim_once),
		cmocka_unit_test(test_graph_reclaim_loop),
		cmocka_unit_test(test_reclaim_end_absent_nr),
		cmocka_unit_test(test_graph_oom),
		cmocka_unit_test(test_graph_failure),
		cmocka_unit_test(test_graph_failure_no_retval),
		cmocka_unit_test(test_page_unsaid),
		cmocka_unit_test(test_no_timestamps),
		cmocka_unit_test(test_retry_rounds_by_zone),
		cmocka_unit_test(test_after_retry),
		cmocka_unit_test(test_compact_retry_last),
		cmocka_unit_test(test_partial_top_compaction),
		cmocka_unit_test(test_writepage_congestion),
		cmocka_unit_test(test_graph_slow_without_page_alloc),
		cmocka_unit_test(test_retprobe_unmatched_not_exact),
		cmocka_unit_test(test_graph_nested_in_reclaim),
		cmocka_unit_test(test_graph_cpu_migration),
		cmocka_unit_test(test_graph_trace_edges),
		cmocka_unit_test(test_graph_lost_events),
		cmocka_unit_test(test_graph_wrapper_frozen),
		cmocka_unit_test(test_graph_nolock_inside),
		cmocka_unit_test(test_retprobe_nolock),
		cmocka_unit_test(test_stage_layout_by_version),
		cmocka_unit_test(test_retprobe_bpftrace_trap),
		cmocka_unit_test(test_graph_after_reclaim),
		cmocka_unit_test(test_cross_capture),
		cmocka_unit_test(test_retprobe_failure_and_edges),
		cmocka_unit_test(test_freelist_entry),
		cmocka_unit_test(test_freelist_return),
		cmocka_unit_test(test_freelist_trylock),
		cmocka_unit_test(test_freelist_oom),
		cmocka_unit_test(test_freelist_bad_flags),
		cmocka_unit_test(test_freelist_edges),
		cmocka_unit_test(test_freelist_cross),
		cmocka_unit_test(test_freelist_capture),
		cmocka_unit_test(test_forced_mode_ignores_others),
		cmocka_unit_test(test_events_estimation),
		cmocka_unit_test(test_wakeup_without_gfp),
		cmocka_unit_test(test_trace_clock),
		cmocka_unit_test(test_window_groundtruth_kswapd),
		cmocka_unit_test(test_vmstat_files),
		cmocka_unit_test(test_window_markers_inband_snapshots),
		cmocka_unit_test(test_window_edge_min_bound),
		cmocka_unit_test(test_window_inside_bounded),
		cmocka_unit_test(test_window_inside_exceeded),
		cmocka_unit_test(test_bulk_allocator_bound),
		cmocka_unit_test(test_window_inside_unbounded),
		cmocka_unit_test(test_window_outside_snapshot_read),
		cmocka_unit_test(test_window_mixed_markers),
		cmocka_unit_test(test_graph_compaction_capture),
		cmocka_unit_test(test_retprobe_capture_and_charge),
		cmocka_unit_test(test_compact_stall_suitable_deferred),
		cmocka_unit_test(test_pgsteal_khugepaged_allocstall_note),
		cmocka_unit_test(test_pgsteal_direct_from_lru),
		cmocka_unit_test(test_pgsteal_direct_lru_fallback),
		cmocka_unit_test(test_pgsteal_direct_memcg),
		cmocka_unit_test(test_episodes_costly_single_reclaim),
		cmocka_unit_test(test_episodes_retrying_gfp),
		cmocka_unit_test(test_episodes_gap_order),
		cmocka_unit_test(test_episodes_costly_tries),
		cmocka_unit_test(test_episodes_explained),
		cmocka_unit_test(test_episodes_not_with_page_alloc),
		cmocka_unit_test(test_episodes_task_named),
		cmocka_unit_test(test_ts_backwards_per_cpu),
		cmocka_unit_test(test_order_out_of_range),
		cmocka_unit_test(test_hist),
		cmocka_unit_test(test_percentile_observed),
		cmocka_unit_test(test_modes_names),
		cmocka_unit_test(test_reports_render),
	};

	return cmocka_run_group_tests_name("analyzer", tests, NULL, NULL);
}
