// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ground truth: the trace's counts against the kernel's vmstat deltas.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

static uint64_t raw_field(const struct anl_totals *t, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)t + off, sizeof(v));
	return v;
}

/*
 * How far the kernel's delta may be from the window's count, counted in one
 * field of the totals: edge[0] .. edge[1] events outside the window that it
 * holds (at least .. at most), and at most edge[2] events inside the window
 * that it does not hold; kernel in [trace + edge[0] - edge[2], trace + edge[1]].
 *  - Snapshots read outside the markers (VMCAP_WINDOW_*, allocscope:
 *    window-begin/-end): at most everything before BEGIN, or only what came
 *    after "snapshot-before", after which the read was made; and after END
 *    up to the after-snapshot's first in-band line (its values were read
 *    before it was written), else to the end of the trace.  At least what
 *    came after the before-snapshot's first in-band line, and between END
 *    and "snapshot-after".
 *  - Snapshots read inside begin/end (anl_edges_inside()): nothing outside; inside
 *    at most what came between begin and the before-snapshot's last vmstat
 *    line, and between snapshot-after and end.
 */
static const uint64_t *edge_of(const struct anl_ctx *a, size_t off, uint64_t *edge)
{
	const struct anl_totals *upto = &a->raw[ALL];

	edge[0] = edge[1] = edge[2] = 0;
	if (!a->win_state)
		return edge;
	if (anl_edges_inside(a)) {
		edge[2] = raw_field(&a->raw_at_before_vm, off) - raw_field(&a->raw_at_begin, off) +
			  raw_field(&a->raw_at_end, off) - raw_field(&a->raw_at_read[1], off);
		return edge;
	}
	edge[1] = raw_field(&a->raw_at_begin, off);
	if (a->snap_seen[0] && a->snap_ts[0] <= a->win_begin)
		edge[0] = edge[1] - raw_field(&a->raw_at_snap[0], off);
	if (a->read_seen[0] && a->read_ts[0] <= a->win_begin && !a->snap_inside)
		edge[1] -= raw_field(&a->raw_at_read[0], off);
	if (a->win_state != 2)
		return edge;
	if (a->snap_seen[1] && a->snap_ts[1] >= a->win_end)
		upto = &a->raw_at_snap[1];
	edge[1] += raw_field(upto, off) - raw_field(&a->raw_at_end, off);
	if (a->read_seen[1] && a->read_ts[1] >= a->win_end && !a->snap_inside)
		edge[0] += raw_field(&a->raw_at_read[1], off) - raw_field(&a->raw_at_end, off);
	return edge;
}

#define EDGE(a, field) edge_of(a, offsetof(struct anl_totals, field), (uint64_t[3]){ 0, 0, 0 })

static struct anl_gt *gt_add(struct anl_ctx *a, struct anl_model *m, const char *name,
			     uint64_t trace, uint64_t entries, const uint64_t edge[3], bool exact,
			     enum anl_vm_item item, const char *fmt, ...)
	__attribute__((format(printf, 9, 10)));

static struct anl_gt *gt_add(struct anl_ctx *a, struct anl_model *m, const char *name,
			     uint64_t trace, uint64_t entries, const uint64_t edge[3], bool exact,
			     enum anl_vm_item item, const char *fmt, ...)
{
	const struct anl_vmstat *vm = a->vm;
	struct anl_gt *g;
	va_list ap;

	if (m->nr_gt >= ANL_MAX_GT)
		return NULL;
	g = &m->gt[m->nr_gt];
	g->name = name;
	g->trace_known = true;
	g->trace = trace;
	g->entries = entries;
	g->exact = exact;
	g->kernel_known = vm[0].have[item] && vm[1].have[item] && vm[1].val[item] >= vm[0].val[item];
	g->kernel = g->kernel_known ? vm[1].val[item] - vm[0].val[item] : 0;
	g->match = g->kernel_known && g->kernel == g->trace;
	g->edge_min = m->window_from_markers ? edge[0] : 0;
	g->edge = m->window_from_markers ? edge[1] : 0;
	g->inside = m->window_from_markers ? edge[2] : 0;
	g->trace_min = g->trace_max = trace;	/* the caller widens them where the trace bounds it */
	g->edge_max = g->edge;
	va_start(ap, fmt);
	vsnprintf(a->gt_note[m->nr_gt], sizeof(a->gt_note[0]), fmt, ap);
	va_end(ap);
	g->note = a->gt_note[m->nr_gt];
	m->nr_gt++;
	return g;
}

/*
 * Why a counter differs, most basic reason first: events lost; the window
 * (snapshots read off the markers, or no markers at all); then what the
 * counter means in the kernel, which gt_add() was given.
 */
static void gt_explain(struct anl_ctx *a, struct anl_model *m, int i)
{
	struct anl_gt *g = &m->gt[i];
	char why[sizeof(a->gt_note[0])];
	char range[200];
	const char *lead = NULL;

	g->edge_explained = anl_gt_edge_explains(g);
	g->range_explained = !g->edge_explained && anl_gt_range_explains(g);
	if (g->match || !g->kernel_known) {
		g->note = NULL;
		return;
	}
	if (a->an.lost_markers && g->trace < g->kernel) {
		g->note = "events were lost in this trace (see lost events): the trace's count is a "
			  "lower bound, the difference may be the loss alone";
		return;
	}
	if (anl_gt_beyond_edges(g))
		lead = "the kernel's delta is above the trace by no more than the bulk allocator's "
		       "pages (trace + edge .. trace + edge + unseen): pages the kernel counts and "
		       "mm_page_alloc does not show";
	else if (g->edge_explained && g->inside)
		lead = "the kernel's delta is within what the window's edges allow (trace - inside "
		       ".. trace): its snapshots were read inside the window markers, so events "
		       "between begin and the before-snapshot's last vmstat line, and between "
		       "snapshot-after and end, count in the window and perhaps not in the kernel's "
		       "delta";
	else if (g->edge_explained)
		lead = "the kernel's delta is within what the window's edges allow (trace + edge_min "
		       ".. trace + edge): its snapshots were read outside the window markers, so "
		       "events between a snapshot and its marker count in the kernel's delta, not "
		       "in the window";
	else if (g->range_explained) {
		char hi[24];

		snprintf(hi, sizeof(hi), "%" PRIu64, g->trace_max);
		snprintf(range, sizeof(range), "the kernel's delta is within what the trace allows for "
			 "the kernel's notion (%" PRIu64 " .. %s%s), which it cannot narrow further",
			 g->trace_min, g->trace_max == UINT64_MAX ? "no upper bound" : hi,
			 g->edge || g->inside || g->unseen ?
			 ", widened by the window's edges and the unseen" : "");
		lead = range;
	} else if (!m->window_from_markers)
		lead = "no window markers: the trace is counted whole, and when the snapshots were "
		       "read relative to it is unknown (events before the trace began or after it "
		       "ended count in the kernel's delta only)";
	else if (anl_edges_inside(a) && g->trace > g->kernel)
		lead = "the snapshots were read inside the window markers, but fewer events than the "
		       "difference came between begin and the before-snapshot's last vmstat line and "
		       "between snapshot-after and end (inside), where the window counts and the "
		       "kernel's delta perhaps not";
	else if (a->snap_inside && !a->vm_from_files && g->trace > g->kernel)
		lead = "the snapshots were read inside the window markers (begin is written before "
		       "the first read, end after the last), so events between a marker and its "
		       "snapshot count in the window but not in the kernel's delta";
	if (!lead)
		return;
	snprintf(why, sizeof(why), "%s; besides, %s", lead, g->note);
	memcpy(a->gt_note[i], why, sizeof(why));
	g->note = a->gt_note[i];
}

static bool kernel_at_least(const struct anl_ctx *a, int major, int minor);

/*
 * 7.1 made pgscan_* / pgsteal_* node stats (mod_lruvec_state() in
 * shrink_inactive_list() and evict_folios(), the names kept): memcg reclaim
 * now counts in /proc/vmstat too, as pgsteal_direct unless it is proactive
 * (memory.reclaim, per-node reclaim: sc->proactive, pgsteal_proactive).
 * Kswapd's and khugepaged's have counters of their own.  So the trace's
 * pgsteal_direct is every mm_vmscan_lru_shrink_inactive of the other tasks,
 * memcg reclaim included; only proactive reclaim, which the events do not
 * mark, stays out, and where pgsteal_proactive moved it bounds the trace.
 */
static void gt_pgsteal_direct_nodestat(struct anl_ctx *a, struct anl_model *m,
				       const struct anl_totals *r)
{
	const struct anl_vmstat *vm = a->vm;
	bool pro_known = vm[0].have[ANL_VM_PGSTEAL_PROACTIVE] && vm[1].have[ANL_VM_PGSTEAL_PROACTIVE];
	uint64_t pro = pro_known && vm[1].val[ANL_VM_PGSTEAL_PROACTIVE] >= vm[0].val[ANL_VM_PGSTEAL_PROACTIVE] ?
		       vm[1].val[ANL_VM_PGSTEAL_PROACTIVE] - vm[0].val[ANL_VM_PGSTEAL_PROACTIVE] : 0;
	uint64_t kh = vm[0].have[ANL_VM_PGSTEAL_KHUGEPAGED] ? r->lru_reclaimed_khugepaged : 0;
	const uint64_t *e1 = EDGE(a, lru_reclaimed), *e2 = EDGE(a, lru_reclaimed_khugepaged);
	const uint64_t *e3 = EDGE(a, lru_reclaimed_memcg);
	uint64_t trace = r->lru_reclaimed + r->lru_reclaimed_memcg - kh, edge[3];
	struct anl_gt *g;

	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] + e3[i] - (kh ? e2[i] : 0);
	g = gt_add(a, m, "pgsteal_direct", trace, r->reclaim_end, edge, pro_known && !pro,
		   ANL_VM_PGSTEAL_DIRECT,
		   "trace = nr_reclaimed of the %" PRIu64 " mm_vmscan_lru_shrink_inactive of tasks "
		   "other than kswapd%s, memcg reclaim included (%" PRIu64 " of them, %" PRIu64
		   " pages): from 7.1 pgsteal_* are node stats that count memcg reclaim too; "
		   "proactive reclaim (memory.reclaim, per-node reclaim) counts as "
		   "pgsteal_proactive, %s; the %" PRIu64 " direct reclaim ends say %" PRIu64
		   " (sc->nr_reclaimed: slab pages freed by shrinkers too)",
		   r->lru_inactive + r->lru_memcg, kh ? " and khugepaged (pgsteal_khugepaged)" : "",
		   r->lru_memcg, r->lru_reclaimed_memcg,
		   !pro_known ? "not in the snapshots: the trace is an upper bound" :
		   pro ? "which moved in the window: the trace is an upper bound" :
		   "which did not move in the window", r->reclaim_end, r->nr_reclaimed);
	/* proactive pages ran through the same events: at most pgsteal_proactive of them */
	if (g && !g->exact)
		g->trace_min = trace > pro && pro_known ? trace - pro : 0;
	/* the events cannot tell proactive reclaim apart; the two counters' sum can be checked */
	if (g && !g->exact && pro && g->kernel_known) {
		size_t n = strlen(a->gt_note[m->nr_gt - 1]);

		snprintf(a->gt_note[m->nr_gt - 1] + n, sizeof(a->gt_note[0]) - n,
			 "; pgsteal_direct + pgsteal_proactive = %" PRIu64 " + %" PRIu64 " %s the trace's %" PRIu64,
			 g->kernel, pro, g->kernel + pro == trace ? "=" : "!=", trace);
	}
}

/* pgsteal_direct: from mm_vmscan_lru_shrink_inactive where recorded (see lru_inactive()) */
static void gt_pgsteal_direct(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r)
{
	const struct anl_vmstat *vm = a->vm;
	const uint64_t *e1, *e2;
	struct anl_gt *g;
	uint64_t edge[3];
	uint64_t kh;

	/* 6.12: reclaimer_offset() counts khugepaged's reclaim as pgsteal_khugepaged */
	if (a->seen_lru_inactive_tp && kernel_at_least(a, 7, 1)) {
		gt_pgsteal_direct_nodestat(a, m, r);
		return;
	}
	if (a->seen_lru_inactive_tp) {
		bool proactive = vm[0].have[ANL_VM_PGSTEAL_PROACTIVE];
		char memcg[160];

		if (a->memcg_known)
			snprintf(memcg, sizeof(memcg), "%" PRIu64 " more (%" PRIu64 " pages) ran "
				 "inside mm_vmscan_memcg_(softlimit_)reclaim_* and are left out",
				 r->lru_memcg, r->lru_reclaimed_memcg);
		else
			snprintf(memcg, sizeof(memcg), "mm_vmscan_memcg_(softlimit_)reclaim_* "
				 "bracket it, not recorded");

		kh = vm[0].have[ANL_VM_PGSTEAL_KHUGEPAGED] ? r->lru_reclaimed_khugepaged : 0;
		e1 = EDGE(a, lru_reclaimed);
		e2 = EDGE(a, lru_reclaimed_khugepaged);
		for (int i = 0; i < 3; i++)
			edge[i] = e1[i] - (kh ? e2[i] : 0);
		g = gt_add(a, m, "pgsteal_direct", r->lru_reclaimed - kh, r->reclaim_end, edge,
		       !r->lru_outside || (a->memcg_known && !proactive), ANL_VM_PGSTEAL_DIRECT,
		       "trace = nr_reclaimed of the %" PRIu64 " mm_vmscan_lru_shrink_inactive of "
		       "tasks other than kswapd%s, as shrink_inactive_list() / evict_folios() "
		       "count PGSTEAL_DIRECT, but not for memcg reclaim (cgroup_reclaim(): "
		       "memory.max/high, memory.reclaim, v1 soft limit; memory.stat only): %s; "
		       "%" PRIu64 " (%" PRIu64 " pages) ran outside a direct "
		       "reclaim: node_reclaim() (counted)%s; the %" PRIu64 " direct reclaim ends "
		       "say %" PRIu64 " (sc->nr_reclaimed: slab pages freed by shrinkers too)",
		       r->lru_inactive, kh ? " and khugepaged (pgsteal_khugepaged)" : "", memcg,
		       r->lru_outside, r->lru_reclaimed_outside,
		       !a->memcg_known ? " or memcg reclaim (not), unknown here" :
		       proactive ? " or proactive reclaim (pgsteal_proactive)" : "",
		       r->reclaim_end, r->nr_reclaimed);
		/* outside a direct reclaim and not memcg: node_reclaim() (counted) or proactive (not) */
		if (g && !g->exact)
			g->trace_min = g->trace > r->lru_reclaimed_outside ?
				       g->trace - r->lru_reclaimed_outside : 0;
		return;
	}
	kh = vm[0].have[ANL_VM_PGSTEAL_KHUGEPAGED] ? r->nr_reclaimed_khugepaged : 0;
	e1 = EDGE(a, nr_reclaimed);
	e2 = EDGE(a, nr_reclaimed_khugepaged);
	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] - (kh ? e2[i] : 0);
	g = gt_add(a, m, "pgsteal_direct", r->nr_reclaimed - kh, r->reclaim_end, edge, false,
	       ANL_VM_PGSTEAL_DIRECT,
	       "nr_reclaimed of mm_vmscan_direct_reclaim_end is sc->nr_reclaimed, which also "
	       "holds slab pages freed during the reclaim (reclaim_state: shrink_node() on 6.1, "
	       "flush_reclaim_state() on 6.12) and memcg v1 soft-limit reclaim (shrink_zones()), "
	       "neither counted as pgsteal_direct (only shrink_inactive_list() / evict_folios() "
	       "count it); the LRU part alone is the nr_reclaimed of "
	       "mm_vmscan_lru_shrink_inactive, none in the trace (not recorded, or none fired; "
	       "MGLRU's evict_folios() emits none on 6.1 and 6.6)%s",
	       kh ? "; khugepaged's reclaim is counted as pgsteal_khugepaged and left out" : "");
	/*
	 * sc->nr_reclaimed holds the LRU pages PGSTEAL_DIRECT counts and more:
	 * an upper bound, unless node_reclaim() (vm.zone_reclaim_mode, off by
	 * default) reclaimed outside a direct reclaim
	 */
	if (g)
		g->trace_min = 0;
}

/* The kernel's major.minor: the trace's own release, else --kernel; false when neither parses. */
static bool kernel_version(const struct anl_ctx *a, int *major, int *minor)
{
	return !anl_kernel_version(a->kernel, major, minor) ||
	       !anl_kernel_version(a->opts.kernel, major, minor);
}

static bool kernel_at_least(const struct anl_ctx *a, int major, int minor)
{
	int x, y;

	return kernel_version(a, &x, &y) && (x > major || (x == major && y >= minor));
}

static bool kernel_at_most(const struct anl_ctx *a, int major, int minor)
{
	int x, y;

	return kernel_version(a, &x, &y) && (x < major || (x == major && y <= minor));
}

/*
 * 5.13 (44042b449872, "mm/page_alloc: allow high-order pages to be stored on
 * the per-cpu lists") to 6.0: rmqueue() serves orders up to
 * PAGE_ALLOC_COSTLY_ORDER (3) and, with THP, pageblock_order from the per-CPU
 * lists (pcp_allowed_order()), and rmqueue_pcplist() counts
 * __count_zid_vm_events(PGALLOC, ..., 1) for such a page whatever its order,
 * while rmqueue_buddy() counts 1 << order (read in 5.15.135 stable, 5.15.167
 * android13-5.15 and 6.0.1; 6.1.0 counts 1 << order in both).  The lists
 * serve every allocation of those orders unless rmqueue_pcplist() returns
 * NULL (its trylock lost to a drain, or its refill, rmqueue_bulk(), found no
 * page, where the buddy path rarely finds one: a high-order atomic
 * allocation's reserve).  So the kernel counts (1 << order) - 1 fewer pages
 * for each allocation of order 1-3: exact[0] in the window, exact[1..3] at
 * the edges as EDGE() gives them (edge_min, edge, inside).  pageblock_order
 * is HUGETLB_PAGE_ORDER with CONFIG_HUGETLB_PAGE (the PMD's: 9 with 4 KB
 * pages, 11 with 16 KB, 13 with 64 KB) and MAX_ORDER - 1 without it (10 with
 * 4 KB pages), which the trace does not say: allocations of those orders may
 * count 1 or 1 << order, a range (maybe[]: window, edge_min).
 */
struct pcp_count {
	uint64_t allocs, exact[4];	/* orders 1-3 */
	uint64_t maybe_allocs, maybe[2];	/* the candidates for pageblock_order */
	int pb_order[2];
};

static void pcp_uncounted(struct anl_ctx *a, const struct anl_totals *r, struct pcp_count *c,
			  char *why, size_t len)
{
	uint64_t known = a->page_size_marker ? a->page_size_marker : a->page_size_ring;
	uint64_t psize = known ? known : 4096;
	int pmd = psize == 65536 ? 13 : psize == 16384 ? 11 : 9;
	char maybe[240] = "";

	memset(c, 0, sizeof(*c));
	why[0] = 0;
	if (!kernel_at_least(a, 5, 13) || kernel_at_least(a, 6, 1))
		return;
	/* MAX_ORDER - 1: 10 on x86 and arm64 with 4 KB pages; the PMD's order with 16/64 KB (arm64) */
	c->pb_order[0] = pmd;
	c->pb_order[1] = psize == 4096 ? 10 : pmd;
	for (int o = 1; o < ANL_PCP_ORDERS; o++) {
		bool small = o <= 3, pb = o == c->pb_order[0] || o == c->pb_order[1];
		const uint64_t *e;

		if (!small && !pb)
			continue;
		e = EDGE(a, rmqueue_by_order[o]);
		if (small) {
			c->allocs += r->rmqueue_by_order[o];
			c->exact[0] += r->rmqueue_by_order[o] * ((1ull << o) - 1);
			for (int i = 0; i < 3; i++)
				c->exact[i + 1] += e[i] * ((1ull << o) - 1);
		} else {
			c->maybe_allocs += r->rmqueue_by_order[o];
			c->maybe[0] += r->rmqueue_by_order[o] * ((1ull << o) - 1);
			c->maybe[1] += e[0] * ((1ull << o) - 1);
		}
	}
	if (c->maybe[0] || c->maybe[1])
		snprintf(maybe, sizeof(maybe), "; and up to %" PRIu64 " pages fewer for the %" PRIu64
			 " allocations of order %d or %d (pageblock_order: %d with hugetlb pages, "
			 "%d without; the trace does not say which) where a per-CPU list served them "
			 "(trace_min)", c->maybe[0], c->maybe_allocs, c->pb_order[0], c->pb_order[1],
			 c->pb_order[0], c->pb_order[1]);
	if (c->exact[0] || c->exact[1] || c->exact[2] || c->exact[3] || maybe[0])
		snprintf(why, len, "; but this kernel (5.13 to 6.0) counts 1 in rmqueue_pcplist() for a "
			 "page of any order from a per-CPU list, which serves orders 1-3 unless its "
			 "trylock or refill fails: trace - %" PRIu64 " pages, (1 << order) - 1 for each of "
			 "the %" PRIu64 " allocations of order 1-3 (uncounted)%s%s", c->exact[0], c->allocs,
			 known ? "" : ", 4 KB pages assumed", maybe);
}

/*
 * allocstall.  do_try_to_free_pages() (mm/vmscan.c of 6.1.192 and
 * 6.12.117, read) counts ALLOCSTALL right after its retry: label, so once
 * per pass, and takes another pass (goto retry, priority reset) only when
 * a whole pass reclaimed nothing and did not stop for compaction: on 6.12
 * first always once with memcg_full_walk set (6be5e186fd65, 6.10; not in
 * 6.1), then if skipped_deactivate, then if memcg_low_skipped (which
 * clears force_deactivate, so skipped_deactivate can retry once more).
 * try_to_free_pages() emits mm_vmscan_direct_reclaim_end with the
 * function's result, 0 only when every pass reclaimed nothing: such an
 * entry counted at least twice from 6.10.  Passes per entry: 1..4 before
 * 6.10, 1..5 from it.
 */
static void gt_allocstall(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r)
{
	bool known = kernel_version(a, &(int){ 0 }, &(int){ 0 });
	bool full_walk = kernel_at_least(a, 6, 10);
	uint64_t max_passes = known && !full_walk ? 4 : 5;
	uint64_t lo = r->reclaim_passes + (full_walk ? r->reclaim_zero_single : 0);
	const uint64_t *e1 = EDGE(a, reclaim_passes), *e2 = EDGE(a, reclaim_zero_single);
	uint64_t edge[3];
	char how[320];
	struct anl_gt *g;

	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] + (full_walk ? e2[i] : 0);
	snprintf(how, sizeof(how), "%s%s", a->seen_lru_shrink_tp ?
		 "the restarts show as mm_vmscan_lru_shrink_* priority going back up (not a restart "
		 "that scans nothing); " : "the restarts show only in mm_vmscan_lru_shrink_* "
		 "priority, not recorded; ",
		 !known ? "the kernel is unknown (tell it with --kernel): trace = entries + restarts "
		 "seen, a lower bound, up to 5 passes per entry" :
		 full_walk ? "trace = entries + restarts seen + zero-reclaim entries without a "
		 "restart seen (their memcg_full_walk pass), a lower bound; at most 5 passes per entry" :
		 "trace = entries + restarts seen, a lower bound; at most 4 passes per entry");
	g = gt_add(a, m, "allocstall", lo, r->reclaim_begin, edge, false, ANL_VM_ALLOCSTALL,
		   "do_try_to_free_pages() counts ALLOCSTALL at every pass and passes again (goto "
		   "retry) after a pass that reclaimed nothing: from 6.10 always once more "
		   "(memcg_full_walk; not in 6.1), then if skipped_deactivate or memcg_low_skipped; "
		   "%" PRIu64 " of the %" PRIu64 " entries ended with nr_reclaimed=0 (every pass "
		   "reclaimed nothing); %s", r->reclaim_zero_ends, r->reclaim_end, how);
	if (!g)
		return;
	g->trace_max = r->reclaim_begin * max_passes > lo ? r->reclaim_begin * max_passes : lo;
	g->edge_max = (m->window_from_markers ? EDGE(a, reclaim_begin)[1] : 0) * max_passes;
}

void anl_build_groundtruth(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r)
{
	const struct anl_vmstat *vm = a->vm;
	const uint64_t *e1, *e2, *e3, *e4;
	struct anl_gt *g;
	char bulk_why[200], pcp_why[640];
	struct pcp_count pcp;
	uint64_t edge[3];

	m->vmstat_known = vm[0].present && vm[1].present;
	if (!m->vmstat_known)
		return;
	m->vmstat_source = a->vm_from_files ? "files (--vmstat-before/--vmstat-after)" :
			   a->vm_trace_source ? a->vm_trace_source : "trace markers";

	gt_allocstall(a, m, r);

	if (a->seen_compact_fn)
		gt_add(a, m, "compact_stall", r->compact_stall_fn, r->try_compact,
		       EDGE(a, compact_stall_fn), true, ANL_VM_COMPACT_STALL,
		       "trace = __alloc_pages_direct_compact() calls that called "
		       "get_page_from_freelist() (it returns before that only for COMPACT_SKIPPED, "
		       "which counts no COMPACTSTALL) plus pages captured by compaction; a "
		       "difference means function events are missing");
	else if (a->seen_deferred_tp && a->seen_suitable_tp) {
		/* 6.1.192: compact_zone() calls compaction_suitable(), which always emits the event */
		bool silent = !kernel_at_most(a, 6, 1);

		g = gt_add(a, m, "compact_stall", r->compact_stall_derived, r->try_compact,
			   EDGE(a, compact_stall_derived), !silent || !r->compact_try_unsure,
			   ANL_VM_COMPACT_STALL,
			   "__alloc_pages_direct_compact() counts COMPACTSTALL unless "
			   "try_to_compact_pages() returned COMPACT_SKIPPED (every zone skipped); trace "
			   "= tries with a deferred zone, an mm_compaction_begin, an "
			   "mm_compaction_suitable success/continue, or no zone event at all (6.12 "
			   "returns COMPACT_SUCCESS for a zone at its watermark without one); %" PRIu64
			   " tries saw skipped zones only, which 6.12 also counts when a silent success "
			   "followed them, or were async tries of an order > 3, which a zone skips without "
			   "an event (6.18, 7.1: compaction_suit_allocation_order() without ALLOC_CMA)%s",
			   r->compact_try_unsure, !silent ? " (not 6.1: every zone "
			   "emits mm_compaction_suitable there)" : "");
		if (g && silent)
			g->trace_max = r->compact_stall_derived + r->compact_try_unsure;
	} else {
		g = gt_add(a, m, "compact_stall", r->compact_stall_derived, r->try_compact,
		       EDGE(a, compact_stall_derived), false, ANL_VM_COMPACT_STALL,
		       "__alloc_pages_direct_compact() counts COMPACTSTALL unless "
		       "try_to_compact_pages() returned COMPACT_SKIPPED (every zone skipped); a "
		       "deferred zone, or one already at its watermark (COMPACT_SUCCESS), counts "
		       "without mm_compaction_begin and shows only in mm_compaction_deferred / "
		       "_suitable, %s: trace = tries with an mm_compaction_begin%s (lower bound), "
		       "entries = tries (upper bound)",
		       a->seen_deferred_tp ? "mm_compaction_suitable not recorded" :
		       a->seen_suitable_tp ? "mm_compaction_deferred not recorded" : "not recorded",
		       a->seen_deferred_tp ? " or a deferred zone" : "");
		if (g) {
			g->trace_max = r->try_compact;
			g->edge_max = m->window_from_markers ? EDGE(a, try_compact)[1] : 0;
		}
	}

	gt_add(a, m, "oom_kill", r->mark_victim, r->mark_victim, EDGE(a, mark_victim), false,
	       ANL_VM_OOM_KILL,
	       "mark_victim also fires when out_of_memory() picks current because it is already "
	       "exiting, or oom_kill_process() finds its victim exiting (task_will_free_mem()), "
	       "neither counted as OOM_KILL (__oom_kill_process())");

	/* pages of mm_page_alloc, less captured pages, plus pages freed on a failed charge */
	pcp_uncounted(a, r, &pcp, pcp_why, sizeof(pcp_why));
	e1 = EDGE(a, page_alloc_pages);
	e2 = EDGE(a, captured_pages);
	e3 = EDGE(a, charge_failed_pages);
	for (int i = 0; i < 3; i++)
		edge[i] = e1[i] - e2[i] + e3[i] - pcp.exact[i + 1];
	e4 = EDGE(a, bulk_pages);
	snprintf(bulk_why, sizeof(bulk_why), "its returns (kretprobe) gave %" PRIu64 " pages in %"
		 PRIu64 " calls in the window and %" PRIu64 " at its edges: the kernel may count up "
		 "to that many more than the trace", r->bulk_pages, r->bulk_calls,
		 m->window_from_markers ? e4[1] : 0);
	g = gt_add(a, m, "pgalloc", r->page_alloc_pages - r->captured_pages + r->charge_failed_pages -
		   pcp.exact[0], r->page_alloc_events, edge, false, ANL_VM_PGALLOC,
	       "pgalloc_* counts 1 << order where rmqueue_pcplist()/rmqueue_buddy() hand pages "
	       "out%s, and in the bulk allocator (alloc_pages_bulk*(): vmalloc, splice reads, "
	       "page_pool), which emits no mm_page_alloc; %s; trace = %" PRIu64 " pages of "
	       "mm_page_alloc - %" PRIu64 " captured by direct compaction (compaction_capture(): "
	       "mm_page_alloc, no pgalloc) + %" PRIu64 " freed on a failed memcg charge (pgalloc, "
	       "no page in mm_page_alloc)%s%s",
	       pcp_why[0] ? " (but see below)" : "",
	       a->bulk_probed ? bulk_why : "its pages the trace cannot see (allocscope record "
	       "probes its return where kprobes exist)", r->page_alloc_pages, r->captured_pages,
	       r->charge_failed_pages,
	       a->seen_graph || a->seen_kprobe || a->seen_freelist ? "" :
	       "; captures and failed charges show only with function events, not recorded",
	       pcp_why);
	if (g) {
		g->uncounted = pcp.exact[0];
		g->uncounted_allocations = pcp.allocs;
		/* the edges' own share stays in edge_min: trace_min + edge_min - inside bounds the kernel */
		g->trace_min = g->trace - pcp.maybe[0] - pcp.maybe[1];
	}
	if (g && a->bulk_probed)
		g->unseen = r->bulk_pages + (m->window_from_markers ? e4[1] : 0);
	else if (g)
		g->trace_max = UINT64_MAX;	/* the bulk allocator's pages: none seen, no bound */

	gt_pgsteal_direct(a, m, r);

	/*
	 * The bounds hold for the window's events: with events lost, or no
	 * window markers (when the snapshots were read is unknown), the trace
	 * bounds nothing and keeps only its value.
	 */
	for (int i = 0; i < m->nr_gt; i++) {
		if (a->an.lost_markers || a->an.ring_overrun || a->an.ring_dropped ||
		    !m->window_from_markers) {
			m->gt[i].trace_min = m->gt[i].trace_max = m->gt[i].trace;
			m->gt[i].edge_max = m->gt[i].edge;
		}
		gt_explain(a, m, i);
	}
}
