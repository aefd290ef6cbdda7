/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * analyzer — rebuilds every page allocation from the normalized event
 * stream (parsers.h) into fast / slow / failed with per-stage latencies,
 * and accumulates the KPIs of DESIGN.md.
 *
 * Streaming: anl_feed() takes one event at a time, O(1) per event; memory
 * is bounded by tasks + open allocations + histogram buckets.  Finished
 * allocation records go to an optional callback and are never all kept.
 * anl_finish() closes what is still open and yields a const model that
 * the reports render.  The analyzer knows the page allocator and nothing
 * about file formats; it never prints.
 */
#ifndef ALLOCSCOPE_ANALYZER_H
#define ALLOCSCOPE_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parsers.h"

#define ANL_ERRORS							\
	_AE(OK,		"success"),					\
	_AE(NOMEM,	"out of memory"),				\
	_AE(INVAL,	"invalid argument"),				\
	_AE(STATE,	"analyzer already finished"),			\
	_AE(VMSTAT,	"not a /proc/vmstat snapshot"),			\
	_AE(KERNEL,	"the kernel release given contradicts the trace's own"),	\
	_AE(MODE,	"the trace has no events of the mode asked")

#undef _AE
#define _AE(code, str) ANL_E##code
enum anl_errno { ANL_ERRORS, ANL_E__LAST };
#undef _AE

const char *anl_strerror(int code);	/* negative or positive code */

/* Capture modes (DESIGN.md "Capture modes"). */
enum anl_mode {
	ANL_MODE_AUTO = 0,	/* detect from the trace */
	ANL_MODE_GRAPH,		/* function_graph entry/exit: exact */
	ANL_MODE_GRAPH_RETVAL,	/* function_graph with funcgraph-retval: exact */
	ANL_MODE_RETPROBE,	/* kprobe at alloc entry + kretprobes: exact */
	ANL_MODE_EVENTS,	/* tracepoints only: lower bound, estimated */
	ANL_MODE_FREELIST,	/* get_page_from_freelist()'s alloc_flags + mm_page_alloc: exact */
};

const char *anl_mode_name(enum anl_mode mode);	/* "graph", "graph+retval", ... */
/*
 * Whether the analyzer reads a function's events (function_graph, kprobe)
 * to rebuild allocations: ANL_FN_NONE (not the allocator's: they decide no
 * mode), ANL_FN_READ, ANL_FN_GPFL (get_page_from_freelist: its return value
 * makes graph+retval).  `info` names the mode `analyze` detects from them.
 */
enum anl_fn_kind { ANL_FN_NONE = 0, ANL_FN_READ, ANL_FN_GPFL };
enum anl_fn_kind anl_fn_kind_of(const char *func);
int anl_mode_parse(const char *s, enum anl_mode *out);	/* 0 or -ANL_EINVAL */
/* "retprobe, events": the modes in a mask of 1u << ANL_MODE_* ("none" when empty). */
void anl_modes_str(unsigned int mask, char *buf, size_t len);

/*
 * Slow-path stages, against __alloc_pages_slowpath() of 6.1 and 6.12
 * (docs/stages.md).  Time is attributed to the allocation that is on top
 * of the task's stack when the stage runs.  The three get_page_from_freelist()
 * stages partition its calls after the first (the fast path's) outside
 * compaction and OOM.  A stage a mode cannot see is absent
 * (anl_model.stage_absent), never 0.
 */
#define ANL_STAGES							\
	_AS(WAKE_ALL_KSWAPDS,	"wake_all_kswapds"),	/* its calls: step 1 and every retry: pass */ \
	_AS(KSWAPD_WOKEN,	"kswapd_woken"),	/* mm_vmscan_wakeup_kswapd: a sleeping kswapd woken */ \
	_AS(COMPACTION,		"compaction"),	/* direct compaction */		\
	_AS(DIRECT_RECLAIM,	"direct_reclaim"),				\
	_AS(OOM,		"oom"),						\
	_AS(MIN_WATERMARK,	"min_watermark"),	/* the 2nd get_page_from_freelist(): min watermark */ \
	_AS(RETRY_LOOP,		"retry_loop"),	/* a pass through the retry: label (its gpfl) */ \
	_AS(AFTER_RECLAIM,	"after_reclaim"),	/* gpfl right after a reclaim that made progress */ \
	_AS(OTHER,		"other"),	/* slow-path time in no timed stage */	\
	_AS(SLOW_PATH,		"slow_path"),	/* whole latency of a slow allocation */ \
	_AS(FAST_PATH,		"fast_path")	/* whole latency of a fast allocation */

#undef _AS
#define _AS(st, name) ANL_STAGE_##st
enum anl_stage { ANL_STAGES, ANL_STAGE__COUNT };
#undef _AS

const char *anl_stage_name(enum anl_stage st);

/* The stages whose time adds up to a slow allocation's latency with OTHER. */
#define ANL_STAGE_FIRST	ANL_STAGE_WAKE_ALL_KSWAPDS
#define ANL_STAGE_LAST	ANL_STAGE_AFTER_RECLAIM

/*
 * Latency histogram: fixed buckets in ns, the same edges everywhere so
 * histograms of many traces merge by adding buckets.
 *
 * bucket[]: log2, what people read (print_log2_hist).  Bucket 0 is [0, 2),
 * bucket i (i >= 1) is [2^i, 2^(i+1)).
 * fine[]: log-linear, each power of two cut into ANL_FINE_SUB equal parts
 * (values below ANL_FINE_SUB exactly), for percentiles within 1/16 of the
 * value instead of a factor of two.  Fine buckets nest inside log2 buckets.
 */
#define ANL_HIST_BUCKETS	64
#define ANL_FINE_SUB_BITS	4
#define ANL_FINE_SUB		(1 << ANL_FINE_SUB_BITS)
#define ANL_FINE_BUCKETS	(ANL_FINE_SUB + (64 - ANL_FINE_SUB_BITS) * ANL_FINE_SUB)

struct anl_hist {
	uint64_t	bucket[ANL_HIST_BUCKETS];
	uint64_t	fine[ANL_FINE_BUCKETS];
};

static inline uint64_t anl_hist_low(int i)  { return i == 0 ? 0 : 1ull << i; }
static inline uint64_t anl_hist_high(int i) { return i >= 63 ? UINT64_MAX : 2ull << i; }

static inline int anl_fine_index(uint64_t v)
{
	int e;

	if (v < ANL_FINE_SUB)
		return (int)v;
	e = 63 - __builtin_clzll(v);	/* >= ANL_FINE_SUB_BITS */
	return ANL_FINE_SUB + (e - ANL_FINE_SUB_BITS) * ANL_FINE_SUB +
	       (int)((v >> (e - ANL_FINE_SUB_BITS)) - ANL_FINE_SUB);
}

static inline uint64_t anl_fine_low(int i)
{
	int e, k;

	if (i < ANL_FINE_SUB)
		return (uint64_t)i;
	e = (i - ANL_FINE_SUB) / ANL_FINE_SUB + ANL_FINE_SUB_BITS;
	k = (i - ANL_FINE_SUB) % ANL_FINE_SUB;
	return (uint64_t)(ANL_FINE_SUB + k) << (e - ANL_FINE_SUB_BITS);
}

/* exclusive; the last bucket ends at UINT64_MAX */
static inline uint64_t anl_fine_high(int i)
{
	return i + 1 >= ANL_FINE_BUCKETS ? UINT64_MAX : anl_fine_low(i + 1);
}

void anl_hist_add(struct anl_hist *h, uint64_t ns);
void anl_hist_merge(struct anl_hist *dst, const struct anl_hist *src);
/* p in [0, 100]; from the fine buckets, linear inside one, clamped to @max. 0 when empty.
 * anl_stat_percentile() also clamps to the stat's min_ns: one sample's p50 is that sample. */
uint64_t anl_hist_percentile(const struct anl_hist *h, double p, uint64_t max);

struct anl_stat {
	uint64_t	count;		/* occurrences (also those without a latency) */
	uint64_t	timed;		/* occurrences with a latency in hist/total */
	uint64_t	total_ns;
	uint64_t	max_ns;
	uint64_t	min_ns;		/* smallest timed occurrence; 0 none, or not known (a merged
					 * summary from before min_ns): percentiles lie in [min, max] */
	struct anl_hist	hist;
};

/* Outcome of one allocation. */
enum anl_outcome {
	ANL_FAST = 0,		/* first get_page_from_freelist() succeeded */
	ANL_SLOW,		/* it failed; the slow path produced a page */
	ANL_FAILED,		/* NULL returned (always after a slow path) */
};

enum {
	ANL_REC_INCOMPLETE	= 1u << 0,	/* events lost while open */
	ANL_REC_OPEN_AT_END	= 1u << 1,	/* trace ended inside it */
	ANL_REC_ESTIMATED	= 1u << 2,	/* events mode: rebuilt from tracepoints */
	ANL_REC_UNMATCHED	= 1u << 3,	/* its return was never seen (replaced) */
	ANL_REC_IN_WINDOW	= 1u << 4,	/* began inside the window markers (or --no-window):
						 * counted in the model's scope */
	ANL_REC_PARTIAL		= 1u << 5,	/* the trace began inside it (an excerpt): its entry
						 * and what ran before its first event are not in it */
	ANL_REC_EPISODE		= 1u << 6,	/* events mode without mm_page_alloc: a stall episode
						 * taken as one slow allocation (docs/episodes.md),
						 * from its first event to its last */
	ANL_REC_RETRIES_OUT	= 1u << 7,	/* should_reclaim_retry() reached no_progress_loops
						 * MAX_RECLAIM_RETRIES (16): OOM or failure follows */
	ANL_REC_COMPACT_ONLY	= 1u << 8,	/* slow with direct compaction and no direct reclaim */
	ANL_REC_NOLOCK		= 1u << 9,	/* a nolock allocation (alloc_pages_nolock(), 6.15+; in
						 * freelist mode an ALLOC_TRYLOCK attempt): one freelist
						 * attempt, no slow path; a NULL is a failure, not a slow path */
};

/*
 * How an allocation's should_reclaim_retry() rounds (reclaim_retry_zone,
 * one line per zone visited) ended, and what __alloc_pages_slowpath() does
 * once they give up (4.8 .. 6.18 read: docs/episodes.md).
 */
enum anl_retry_end {
	ANL_RETRY_NONE = 0,	/* no reclaim_retry_zone */
	ANL_RETRY_LOOPED,	/* its last round found a zone (wmark_check=1), no_progress_loops < 16:
				 * it reclaimed again; what came after is not in the trace */
	ANL_RETRY_RAN_OUT,	/* a zone passed at no_progress_loops 16: one more reclaim, then
				 * the check gives up (17 > MAX_RECLAIM_RETRIES) without a line */
	ANL_RETRY_NO_ZONE,	/* its last round: no zone would reach its min watermark even with
				 * every reclaimable page (wmark_check=0 in each): it gave up */
};

enum anl_after_retry {
	ANL_AFTER_UNKNOWN = 0,	/* gfp not in the trace: the OOM killer unless __GFP_RETRY_MAYFAIL,
				 * __GFP_THISNODE or no __GFP_FS */
	ANL_AFTER_OOM,		/* __alloc_pages_may_oom() -> out_of_memory(): the OOM killer */
	ANL_AFTER_NOFS,		/* no __GFP_FS: out_of_memory() kills nothing, the slow path loops */
	ANL_AFTER_FAIL,		/* no OOM killer (costly order, __GFP_RETRY_MAYFAIL or
				 * __GFP_THISNODE): NULL, unless __GFP_NOFAIL */
	ANL_AFTER_NOFAIL,	/* __GFP_NOFAIL: it never fails, loops */
};

#define ANL_MAX_RECLAIM_RETRIES	16	/* mm/internal.h, 4.7 .. 6.18 */

#define ANL_MAX_ORDER	10	/* MAX_PAGE_ORDER on common configs; larger → "other" */
#define ANL_PCP_ORDERS	14	/* orders 0..13: the largest pageblock order (arm64, 64 KB pages) */

/* One allocation, handed to the record callback when it is finished. */
struct anl_alloc {
	uint64_t	id;		/* 1, 2, ... in order of entry (events mode: of mm_page_alloc) */
	uint64_t	parent_id;	/* allocation it nests in (inside reclaim), 0 none */
	uint64_t	start_ts, end_ts;	/* ns, trace clock */
	uint64_t	latency_ns;	/* function_graph duration when known, else end-start */
	int32_t		pid, tgid;
	const char	*comm;		/* valid during the callback */
	int32_t		order;		/* -1 unknown */
	uint64_t	gfp;		/* PRS_NO_VALUE unknown */
	const char	*gfp_str;	/* symbolic, NULL unknown */
	enum anl_outcome outcome;
	unsigned int	flags;		/* ANL_REC_* */
	unsigned int	depth;		/* 0 outermost */
	uint32_t	gpfl_calls;	/* get_page_from_freelist() calls (the bpftrace count) */
	uint32_t	gpfl_failed;	/* ... of which returned NULL, where known */
	uint32_t	stage_count[ANL_STAGE__COUNT];
	uint64_t	stage_ns[ANL_STAGE__COUNT];
	uint32_t	stage_seen;	/* bit per stage: its count is known in this record's mode */
	uint32_t	stage_timed;	/* bit per stage: its time is measured in this mode */
	uint64_t	nr_reclaimed;	/* sum over its direct reclaims */
	/* where the stall's time went, from events that explain it (0: none seen) */
	uint32_t	retry_rounds;	/* should_reclaim_retry() rounds (reclaim_retry_zone) */
	int32_t		retry_loops_max;	/* highest no_progress_loops seen (with retry_rounds) */
	uint32_t	compact_retries;	/* should_compact_retry() (compact_retry) */
	uint32_t	slab_calls;	/* mm_shrink_slab_start .. _end pairs */
	uint64_t	slab_ns;	/* ... their time (inside its reclaims) */
	uint32_t	throttles;	/* mm_vmscan_throttled (5.16+), congestion_wait() before:
					 * sleeps inside its reclaims */
	uint64_t	throttle_ns;	/* ... their usec_delayed */
	uint32_t	writepages;	/* mm_vmscan_writepage/_write_folio inside its reclaims:
					 * dirty pages (folios) its reclaim wrote out */
	uint32_t	writepages_file;	/* ... of them file pages */
	uint32_t	writepages_anon;	/* ... anon pages (to swap); the rest: flags not said */
	uint8_t		retry_end;	/* enum anl_retry_end */
	uint8_t		after_retry;	/* enum anl_after_retry: when retry_end gave up */
	int8_t		compact_retry_last;	/* its last compact_retry's should_retry: 1, 0, -1 none */
};

typedef void (*anl_record_fn)(const struct anl_alloc *rec, void *data);

/*
 * Intervals of activity, for timelines and "what else was happening":
 * handed to the optional span callback as they close (roughly in end order,
 * never all kept).  Whole trace, not clipped to the window.
 */
enum anl_span_kind {
	ANL_SPAN_KSWAPD_RUN = 0,	/* a kswapdN on a CPU (sched_switch); @cpu */
	ANL_SPAN_KSWAPD_AWAKE,		/* kswapd_wake .. kswapd_sleep of a node; @nid */
	ANL_SPAN_DIRECT_RECLAIM,	/* direct_reclaim_begin .. end of @pid */
	ANL_SPAN_COMPACTION,		/* try_to_compact_pages .. last compaction event of @pid */
	ANL_SPAN__COUNT
};

struct anl_span {
	enum anl_span_kind kind;
	uint64_t	start_ts, end_ts;
	int32_t		pid;		/* -1 for kswapd spans */
	int32_t		cpu;		/* KSWAPD_RUN: CPU; KSWAPD_AWAKE: node; else -1 */
	/*
	 * What the window's figures count of it: kswapd spans, the part inside
	 * the markers (kswapd CPU); reclaim and compaction, the whole interval
	 * when the allocation it belongs to counts there (the stage table).
	 * Reclaim and compaction spans come from the estimator the model
	 * reports, with its stage's length.  0 / false before any marker.
	 */
	uint64_t	win_ns;
	bool		in_win;
	bool		timed;		/* its length is in the stage's total (no loss inside) */
};

typedef void (*anl_span_fn)(const struct anl_span *span, void *data);

/* Anomalies: counted, never silently dropped; shown in every report. */
struct anl_anomalies {
	uint64_t	lost_markers;		/* LOST events seen */
	uint64_t	lost_events;		/* sum of their counts (0 = unknown amount) */
	uint64_t	incomplete;		/* allocations open across a loss */
	uint64_t	open_at_end;		/* allocations open when the trace ended */
	uint64_t	exit_without_entry;	/* alloc return with nothing open (trace began inside) */
	uint64_t	unmatched_entry;	/* alloc entry whose return never came */
	uint64_t	orphan_calls;		/* gpfl/stage outside any allocation */
	uint64_t	reclaim_end_without_begin;
	uint64_t	compaction_end_without_begin;	/* mm_compaction_end, no begin in its task */
	uint64_t	order_out_of_range;
	uint64_t	ts_backwards;		/* event older than the previous one of its CPU */
	uint64_t	migrations;		/* allocations that ended on another CPU */
	uint64_t	wrapper_merged;		/* frozen alloc under its wrapper: counted once */
	uint64_t	bulk_gpfl;		/* gpfl returns from __alloc_pages_bulk or an unprobed nolock allocation, ignored */
	uint64_t	boosted_wakes;		/* wakeup_kswapd order 0 gfp 0 (fast path, boosted wmark) */
	uint64_t	other_mode;		/* auto mode: function events of the second exact kind, ignored */
	/*
	 * freelist mode (analyzer/freelist.c): attempts whose alloc_flags no
	 * kernel passes (bits above 0xfff, or watermark bits 3: a vendor hook
	 * or a changed ABI, or not alloc_flags at all), ignored; mm_page_alloc
	 * with no allocation open where one must be (not the trace's start:
	 * a LOW attempt not seen as one); slow-path attempts with nothing open
	 * (likewise); the freelist probe's kprobe_profile misses.  Each makes
	 * the mode's counts inexact.
	 */
	uint64_t	fl_bad_flags;
	uint64_t	fl_first_bad;		/* ... the first such alloc_flags value */
	uint64_t	fl_orphan_page_alloc;
	uint64_t	fl_orphan_attempts;
	uint64_t	fl_missed;
	uint64_t	outcome_unknown;	/* slow, closed, no mm_page_alloc seen (not recorded or
						 * lost) and no return value: got a page or failed, unknown */
	uint64_t	unclosed_slow;		/* unmatched or open at the end, slow so far: not counted
						 * as slow paths (nor failures), only as allocations */
	bool		kprobe_profile_known;	/* "allocscope: kprobe NAME hits= missed=" markers */
	uint64_t	kretprobe_missed;	/* ... their missed= sum: returns never recorded */
	/*
	 * The ring buffer's own per-CPU counts at the end of recording
	 * ("allocscope: cpustat" markers, or trace.dat CPUSTAT): a loss the
	 * event stream may not show (an overwritten page leaves no marker).
	 */
	bool		ring_known;
	uint64_t	ring_overrun, ring_dropped;
};

/* Counts of one scope (whole trace, or the vmstat window). */
#define ANL_GFP_CLASSES	16
struct anl_class {
	char		name[40];	/* "GFP_KERNEL", "GFP_HIGHUSER_MOVABLE", "unknown" */
	uint64_t	allocations, slow, failed, stall_ns;
};

struct anl_order {
	uint64_t	allocations, slow, failed, stall_ns;
};

struct anl_totals {
	uint64_t	allocations;	/* records (exact modes) or mm_page_alloc (events) */
	uint64_t	slow;		/* slow-path entries (incl. failed) */
	uint64_t	failed;
	uint64_t	nested;		/* allocations made inside another (reclaim) */
	uint64_t	incomplete;	/* records excluded from latency stats */
	uint64_t	reclaim_loops;	/* allocations with 2+ direct reclaims */
	uint64_t	nr_reclaimed;	/* pages, from mm_vmscan_direct_reclaim_end */
	struct anl_stat	stage[ANL_STAGE__COUNT];
	struct anl_order by_order[ANL_MAX_ORDER + 2];	/* last: unknown/out of range */
	struct anl_class by_gfp[ANL_GFP_CLASSES];	/* first-seen order; last = "other" */
	int		nr_gfp;

	/* Raw event counts: what the kernel counters are checked against. */
	uint64_t	page_alloc_events;	/* mm_page_alloc */
	uint64_t	page_alloc_pages;	/* sum of 1 << order, successful only */
	uint64_t	page_alloc_failed;	/* mm_page_alloc with page=(nil): a failed allocation */
	uint64_t	page_alloc_unsaid;	/* ... with neither a page nor a pfn field (a vendor's
						 * format): no failure, its outcome not said */
	uint64_t	captured;		/* allocations whose page direct compaction captured */
	uint64_t	captured_pages;		/* ... their pages (mm_page_alloc without pgalloc) */
	uint64_t	charge_failed_pages;	/* gpfl gave a page, mm_page_alloc none (memcg charge) */
	/*
	 * Allocations whose pages rmqueue() handed out (counted in pgalloc:
	 * mm_page_alloc's but those captured by compaction, plus failed memcg
	 * charges), by order: 5.13 to 6.0 count PGALLOC 1, not 1 << order, for
	 * a page of any order from a per-CPU list (anl_gt.uncounted).
	 */
	uint64_t	rmqueue_by_order[ANL_PCP_ORDERS];
	uint64_t	nolock;			/* freelist mode: nolock allocations (ANL_REC_NOLOCK) */
	uint64_t	nolock_failed;		/* ... that got no page: failed, no slow path */
	/* freelist mode: get_page_from_freelist() attempts by watermark, raw counts */
	uint64_t	fl_low;			/* ALLOC_WMARK_LOW: the fast path's, one per allocation */
	uint64_t	fl_trylock;		/* ALLOC_TRYLOCK: a nolock allocation's only one */
	uint64_t	fl_slow;		/* MIN, HIGH, no watermarks: the slow path's */
	uint64_t	fl_open_before;		/* allocations opened before the scope, closed in it */
	uint64_t	fl_open_after;		/* ... opened in it, not closed in it */
	uint64_t	fl_orphans;		/* mm_page_alloc closing nothing (anomaly fl_orphan_page_alloc) */
	uint64_t	bulk_calls;		/* returns of the bulk allocator (its kretprobe) */
	uint64_t	bulk_pages;		/* ... their return values: pages populated (pgalloc, no
						 * mm_page_alloc), an upper bound: the array may have
						 * held pages before the call */
	uint64_t	reclaim_begin;		/* mm_vmscan_direct_reclaim_begin */
	uint64_t	reclaim_passes;		/* reclaim entries + restarts seen in lru_shrink priority */
	uint64_t	reclaim_end;
	uint64_t	reclaim_zero_ends;	/* reclaim ends with nr_reclaimed 0: every pass reclaimed nothing */
	uint64_t	reclaim_zero_single;	/* ... of them with one pass seen (6.10+: at least two) */
	uint64_t	nr_reclaimed_khugepaged;	/* ... of khugepaged (6.12: pgsteal_khugepaged) */
	uint64_t	lru_inactive;		/* mm_vmscan_lru_shrink_inactive of tasks other than kswapd */
	uint64_t	lru_reclaimed;		/* ... their nr_reclaimed */
	uint64_t	lru_reclaimed_khugepaged;	/* ... of khugepaged */
	uint64_t	lru_outside;		/* ... events of them outside the task's direct reclaim */
	uint64_t	lru_reclaimed_outside;	/* ... and their pages */
	uint64_t	lru_memcg;		/* ... not counted: inside memcg (or soft-limit) reclaim */
	uint64_t	lru_reclaimed_memcg;	/* ... and their pages */
	uint64_t	try_compact;		/* mm_compaction_try_to_compact_pages */
	uint64_t	compact_stall_derived;	/* tries not skipped in every zone (tracepoints) */
	uint64_t	compact_try_unsure;	/* ... tries with skipped zones only (6.12: may count) */
	uint64_t	compact_stall_fn;	/* direct compactions with a gpfl inside or a capture */
	uint64_t	compact_begin_direct;	/* mm_compaction_begin under a direct try */
	uint64_t	compact_begin_other;	/* kcompactd / proactive */
	uint64_t	compact_runs_inferred;	/* ... of compact_begin_direct: no try event recorded,
						 * the run is the allocating task's own (by comm) */
	uint64_t	compact_deferred;
	uint64_t	wakeup_kswapd;		/* all, incl. boosted */
	uint64_t	wakeup_kswapd_slow;	/* with a real gfp: from the slow path */
	uint64_t	mark_victim;
	uint64_t	oom_calls;		/* out_of_memory() / __alloc_pages_may_oom() */
	uint64_t	retry_rounds;		/* should_reclaim_retry() rounds (reclaim_retry_zone) */
	uint64_t	retries_out;		/* allocations whose retries ran out (ANL_REC_RETRIES_OUT) */
	uint64_t	retry_allocs;		/* allocations with reclaim_retry_zone rounds */
	uint64_t	retry_no_zone;		/* ... whose last round found no zone (ANL_RETRY_NO_ZONE) */
	uint64_t	compact_only;		/* slow allocations that compacted and did not reclaim */
	uint64_t	writepages;		/* mm_vmscan_writepage inside direct reclaims */
	uint64_t	writepages_file;	/* ... of file pages */
	uint64_t	writepages_anon;	/* ... of anon pages (to swap); the rest not said */
	uint64_t	writepages_other;	/* ... outside any direct reclaim (kswapd, memcg, node) */
	uint64_t	memcg_reclaims;		/* mm_vmscan_memcg_(softlimit_)reclaim_begin: reclaim
						 * at a cgroup's limit, not the page allocator's */
	uint64_t	memcg_reclaimed;	/* ... their nr_reclaimed */
	uint64_t	memcg_reclaim_ns;	/* ... their begin .. end time */
	uint64_t	compact_retries;	/* compact_retry events */
	uint64_t	slab_calls, slab_ns;	/* shrink_slab start..end inside allocations */
	uint64_t	throttles, throttle_ns;	/* mm_vmscan_throttled sleeps inside allocations */
	uint64_t	oom_fn_calls;		/* function tracer: out_of_memory() calls */
	uint64_t	kswapd_run_ns;		/* sched_switch run time of kswapdN */
	uint64_t	kswapd_awake_ns;	/* kswapd_wake .. kswapd_sleep */
	uint64_t	begin_ts, end_ts;	/* scope bounds */
};

/* Top tasks by total slow-path (stall) time. */
struct anl_task_sum {
	int32_t		pid, tgid;
	char		comm[32];
	uint64_t	allocations, slow, failed, stall_ns;
};

/* Ground truth: trace counts next to the kernel's vmstat deltas. */
struct anl_gt {
	const char	*name;		/* "allocstall", "compact_stall", ... */
	bool		trace_known;	/* the trace could determine it */
	bool		kernel_known;
	bool		exact;		/* trace value is exact (not a bound) */
	bool		match;
	uint64_t	trace;		/* the trace's value in the kernel's notion */
	/*
	 * What the trace allows the kernel's notion to be, in the window:
	 * trace_min <= trace <= trace_max (UINT64_MAX: no upper bound); equal
	 * when the trace derives it exactly (or cannot bound it at all).
	 */
	uint64_t	trace_min, trace_max;
	uint64_t	entries;	/* raw entries (events) where it differs */
	uint64_t	kernel;		/* vmstat delta */
	uint64_t	edge;		/* same events outside the marker window the kernel's delta may hold */
	uint64_t	edge_min;	/* ... of which it surely holds (after its before-snapshot) */
	uint64_t	inside;		/* same events inside the window it may not hold (between a marker
					 * and the snapshot read after it, or before it: begin/end) */
	uint64_t	unseen;		/* the most the kernel may count that the trace value leaves
					 * out (pgalloc: the bulk allocator's pages, window and edges) */
	uint64_t	edge_max;	/* edge in the units of trace_max (allocstall: entries x passes) */
	/*
	 * Pages the trace shows that the kernel's counter leaves out by design,
	 * already taken off trace (pgalloc on 5.13 to 6.0: rmqueue_pcplist()
	 * counts 1 for a page of order 1-3 or the pageblock order from a per-CPU
	 * list: (1 << order) - 1 pages each of uncounted_allocations).
	 */
	uint64_t	uncounted, uncounted_allocations;
	bool		edge_explained;	/* see anl_gt_edge_explains() */
	bool		range_explained;	/* see anl_gt_range_explains() */
	const char	*note;		/* why they may differ; NULL none */
};

#define ANL_MAX_GT	8

/*
 * The recorder's own tasks: their allocations count in the kernel's vmstat
 * (the ground truth keeps them, like with like) but not in the KPIs, unless
 * anl_opts.include_recorder.  Told by "allocscope: recorder-pid N" markers
 * (our recorders, docs/capture-format.md), else, in a trace without them,
 * by comm: "allocscope" (allocscope record), "allocscope-reco" (the first
 * 15 characters of allocscope-record-static and allocscope-record.sh run
 * as a command) and "trace-cmd" (trace-cmd record and its per-CPU readers).
 */
struct anl_recorder {
	const char	*rule;		/* "recorder-pid markers", "comm ...", NULL: none found */
	bool		included;	/* anl_opts.include_recorder: counted after all */
	uint64_t	tasks;		/* recorder tasks that allocated or reclaimed (whole trace) */
	uint64_t	allocations;	/* in the scope: left out of the KPIs (or, included, in them) */
	uint64_t	slow;
	uint64_t	failed;
	uint64_t	reclaims;	/* direct reclaim entries */
};

/*
 * Jank: frames from atrace slices against the allocation stalls inside them
 * (jank.c, docs/jank.md).  Apps mark frames through trace_marker (atrace):
 * "B|tgid|Choreographer#doFrame 123" on the UI thread, "B|tgid|DrawFrames 123"
 * (DrawFrame before Android 12) on its RenderThread, "E|tgid" (or "E") at
 * their ends.  A frame is one doFrame slice with the DrawFrame slices of its
 * process that carry its vsync id or, without ids, begin while it is open
 * (the UI thread waits in it for the RenderThread's sync), from the doFrame's
 * begin to the last end; a DrawFrame with no doFrame is a frame of its own.
 * Its stalls are the allocation stalls of its threads inside its slices:
 * slow-path allocations where the mode sees them, else (tracepoints only, no
 * mm_page_alloc) the direct reclaim and compaction intervals.
 *
 * Perfetto traces of Android 12+ may also carry SurfaceFlinger's frame
 * timeline (jank-timeline.c): each app frame (actual surface frame) with its
 * start, end, process, layer and SurfaceFlinger's jank verdict.  Such a frame
 * is a frame of its own (source ANL_FRAME_TIMELINE, counted in anl_jank.tl):
 * late when its jank type blames the app (Perfetto's "Self Jank":
 * APP_DEADLINE_MISSED, APP_RESYNCED_JITTER, UNKNOWN) or it ran longer than
 * the budget; its stalls are those of every thread of its process inside it.
 */
#define ANL_FRAME_BUDGET_NS	16666667ull	/* one 60 Hz vsync period: 16.7 ms */
#define ANL_FRAMES_TOP		100		/* late frames kept by default */
#define ANL_FRAMES_TOP_MAX	10000
#define ANL_JANK_STALLS		8		/* stalls kept per late frame: the longest overlaps */

enum anl_jank_stall_kind {
	ANL_JSTALL_SLOW_PATH = 0,	/* a slow-path allocation (its stages in the record) */
	ANL_JSTALL_RECLAIM,		/* direct reclaim begin .. end (no allocation records) */
	ANL_JSTALL_COMPACTION,		/* direct compaction (no allocation records) */
};

struct anl_jank_stall {
	uint64_t	start_ts, end_ts;	/* the stall, whole */
	uint64_t	overlap_ns;	/* of it inside the frame's slice on its thread */
	uint64_t	alloc_id;	/* slow path: the allocation's row id (records, --csv); 0 none */
	uint64_t	reclaim_ns;	/* slow path: time in its stages, where the mode times them */
	uint64_t	compact_ns;
	uint64_t	oom_ns;
	uint32_t	reclaims;	/* slow path: direct reclaims in it */
	int32_t		pid;
	int32_t		order;		/* -1 unknown */
	uint8_t		kind;		/* enum anl_jank_stall_kind */
	bool		render_thread;	/* on the frame's RenderThread (else its UI thread) */
	bool		failed;		/* the allocation failed */
};

enum anl_frame_source {
	ANL_FRAME_ATRACE = 0,		/* doFrame / DrawFrame slices (trace_marker) */
	ANL_FRAME_TIMELINE,		/* an actual surface frame of the frame timeline */
};

/* FrameTimelineEvent.JankType bits that blame the app (trace_processor's SurfaceFrameJanky()) */
#define ANL_JANK_SELF	(64u | 4096u | 256u)	/* APP_DEADLINE_MISSED, APP_RESYNCED_JITTER, UNKNOWN */
#define ANL_JANK_NONE	1u

struct anl_jank_frame {
	uint64_t	start_ts, end_ts;	/* first begin .. last end of its slices */
	uint64_t	ui_start, ui_end;	/* Choreographer#doFrame (ui_tid -1: none) */
	uint64_t	rt_start, rt_end;	/* DrawFrame: first begin .. last end (rt_tid -1: none) */
	/*
	 * Allocation stall time inside its slices: on the UI thread inside the
	 * doFrame, on the RenderThread inside its DrawFrames, and their union
	 * over time (a moment both stalled counts once).
	 */
	uint64_t	stall_ns;
	uint64_t	ui_stall_ns, rt_stall_ns;
	uint64_t	unlisted_ns;	/* overlap of the stalls beyond the ANL_JANK_STALLS listed */
	int64_t		vsync;		/* vsync id from the slice names, -1 none */
	int32_t		tgid, ui_tid, rt_tid;	/* -1 none */
	uint32_t	draws;		/* DrawFrame slices */
	uint32_t	nr_stalls;	/* stalls overlapping it, all */
	uint32_t	nr_listed;	/* ... in stall[] (longest overlap first) */
	bool		explained;	/* stall_ns >= its overrun (duration - budget) */
	bool		stall_upper;	/* stall_ns is an upper bound: too many stalls on both
					 * threads to find every moment both stalled */
	bool		lost;		/* events were lost while it ran: stalls may be missing */
	char		ui_comm[16], rt_comm[16];
	struct anl_jank_stall stall[ANL_JANK_STALLS];
	/* ANL_FRAME_TIMELINE: tgid its process, vsync its token, no threads (ui/rt_tid -1) */
	uint8_t		source;		/* enum anl_frame_source */
	bool		self_jank;	/* its jank type blames the app (ANL_JANK_SELF) */
	int32_t		present_type;	/* FrameTimelineEvent.PresentType */
	uint32_t	jank_type;	/* FrameTimelineEvent.JankType bits (0 unspecified) */
	char		layer[96];	/* its layer (truncated), "" none */
};

/* The frame timeline's frames (anl_jank's counts are of the atrace frames). */
struct anl_jank_timeline {
	uint64_t	frames;		/* actual surface frames read */
	uint64_t	self_jank;	/* ... whose jank type blames the app */
	uint64_t	late;		/* ... self jank or longer than the budget */
	uint64_t	late_budget;	/* ... of them longer than the budget */
	uint64_t	max_ns;
	uint64_t	stalled;	/* frames with stalls of their process inside, late or not */
	uint64_t	late_stalled;
	uint64_t	explained;	/* late, with stalls >= max(overrun, 0) and > 0 */
	uint64_t	late_lost;
	uint64_t	over_ns;	/* the late frames' time beyond the budget */
	uint64_t	late_stall_ns;
	uint64_t	history_short;	/* frames older than the stalls kept: their stalls may be missing */
};

struct anl_jank {
	uint64_t	budget_ns;
	uint64_t	slices;		/* atrace slice begins ("B|...") read */
	uint64_t	frames;		/* complete frames (every slice ended) */
	uint64_t	ui_only;	/* ... without a DrawFrame (no RenderThread slice) */
	uint64_t	rt_only;	/* ... a DrawFrame without a doFrame */
	uint64_t	with_vsync;	/* ... named with a vsync id */
	uint64_t	processes;	/* processes with frames */
	uint64_t	max_ns;		/* the longest frame */
	uint64_t	stalled;	/* frames with allocation stalls inside, late or not */
	uint64_t	late;		/* frames longer than the budget */
	uint64_t	late_stalled;	/* ... with allocation stalls inside */
	uint64_t	explained;	/* ... whose stalls cover their overrun */
	uint64_t	late_lost;	/* ... across lost events (their stalls may be missing) */
	uint64_t	over_ns;	/* sum of the late frames' overruns (duration - budget) */
	uint64_t	late_stall_ns;	/* sum of the late frames' stall time */
	uint64_t	open_at_end;	/* frames with a slice still open at the trace's end */
	uint64_t	evicted;	/* frames given up: more open at once in one process than kept */
	uint64_t	unmatched_end;	/* "E" with no slice open on its thread (began before the trace) */
	uint64_t	bad_markers;	/* atrace begin markers that could not be read ("B|x|...") */
	/* the late frames kept (opts.frames_top of them, the most late), in time order */
	const struct anl_jank_frame *list;
	size_t		nr_list;
	uint64_t	not_listed;	/* late frames beyond them */
	struct anl_jank_timeline tl;	/* the frame timeline's frames, listed above with them */
};

/*
 * The freelist mode's probe and its check, in the scope: every LOW or
 * TRYLOCK attempt opens an allocation its task's mm_page_alloc closes, so
 * low + trylock - open_after = page_alloc - open_before - orphans.
 */
struct anl_freelist {
	bool		used;		/* the model's mode is freelist */
	bool		returns;	/* a return probe: alloc_flags and the result in one event */
	const char	*probe;		/* the capture's "option freelist_probe=" (how alloc_flags was
					 * fetched), NULL when the trace does not say */
	bool		exact;		/* no attempt refused, no orphan, no probe miss */
};

struct anl_model {
	enum anl_mode	mode;
	unsigned int	modes_supported;	/* 1u << ANL_MODE_*: modes whose events the trace carries */
	bool		mode_forced;
	bool		slow_path_exact;	/* false in events mode or after losses */
	bool		window_from_markers;	/* scope = the markers' window */
	const char	*window_source;		/* "VMCAP_WINDOW markers", "allocscope markers", "whole trace" */
	const char	*kernel;		/* from the trace (header or markers), else --kernel, or NULL */
	bool		kernel_given;		/* ... and it came from --kernel (anl_opts.kernel) */
	const char	*kswapd_source;		/* "sched_switch", "kswapd_wake/sleep (awake time)", NULL */
	bool		kswapd_known;
	double		kswapd_cpu_percent;
	bool		kswapd_stat_known;	/* /proc/PID/stat snapshots in the trace */
	double		kswapd_stat_percent;
	/*
	 * The kernel's page size in bytes: the unit of pgalloc, pgsteal and
	 * every page count (1 << order of it per allocation); 0 = unknown.
	 */
	uint64_t	page_size;
	const char	*page_size_source;	/* "recorder marker", "trace.dat ring-buffer page", NULL */
	bool		kswapd_sched_known;	/* /proc/PID/schedstat snapshots (kswapd-sched markers) */
	double		kswapd_sched_percent;	/* their run time delta in ns over the window */
	/*
	 * Like with like: the snapshots' deltas against sched_switch's run time
	 * between the two reads (not the window: snapshots may be read outside
	 * it, and the run time at its edges is in their delta only).
	 */
	bool		kswapd_span_known;	/* both reads located in the trace */
	bool		kswapd_span_marked;	/* ... the after-read by the recorder's kswapd-read marker */
	/*
	 * With kswapd-read markers at both reads: sched_switch's run time
	 * between the reads lies in [min, max] however late in their brackets
	 * the reads were (the recorder can be kept off the CPU between a read
	 * and the marker that follows it)
	 */
	bool		kswapd_span_bounded;
	uint64_t	kswapd_span_run_min_ns, kswapd_span_run_max_ns;
	uint64_t	kswapd_span_ns;		/* from the before-read to the after-read */
	uint64_t	kswapd_span_run_ns;	/* sched_switch run time in it */
	uint64_t	kswapd_stat_ns;		/* /proc/PID/stat delta, ticks in ns */
	uint64_t	kswapd_sched_ns;	/* schedstat delta, ns */

	uint64_t	first_ts, last_ts;	/* whole trace */
	uint64_t	window_ns;		/* scope length */
	bool		window_unknown;		/* no timestamps in the trace: window_ns is 0, and
						 * no rate per second means anything */
	uint64_t	elided;			/* lines that mark lines left out (anl_set_elided()) */
	/*
	 * The trace shows direct reclaim (its events or functions): only then
	 * does a slow allocation without one tell that it compacted only
	 * (scope.compact_only, ANL_REC_COMPACT_ONLY); else that is not known.
	 */
	bool		reclaim_visible;
	struct anl_totals scope;		/* what every KPI is computed on */
	struct anl_anomalies anomalies;

	struct anl_recorder recorder;		/* the recorder's tasks, kept out of the KPIs */
	struct anl_freelist freelist;		/* freelist mode: the probe and its check */

	const struct anl_task_sum *tasks;	/* sorted by stall_ns desc, pid asc */
	size_t		nr_tasks;

	/* why a stage is not visible in this mode (NULL: visible): shown as absent, never 0 */
	const char	*stage_absent[ANL_STAGE__COUNT];
	/*
	 * What the gpfl stages mean on this kernel when it is not the 6.x slow
	 * path docs/stages.md draws (NULL: that one, or the version unknown)
	 */
	const char	*stage_layout;

	struct anl_gt	gt[ANL_MAX_GT];
	int		nr_gt;
	bool		vmstat_known;		/* a before/after pair was available */
	const char	*vmstat_source;		/* "trace markers", "files" */

	/* what the trace could not tell: one line each, NULL-terminated */
	bool		page_alloc_seen;	/* mm_page_alloc in the trace: allocations are counted */
	bool		episodes;		/* events mode without it: stall episodes (ANL_REC_EPISODE) */
	const char	*untold[12];	/* at most 11 lines, NULL-terminated */

	const struct anl_jank *jank;		/* frames against stalls; never NULL after anl_finish() */

	/*
	 * The trace clock (trace.dat's buffer clock, else the recorder's
	 * "option clock=" marker), or NULL when the trace does not say.
	 * tracefs's clocks: local and perf count ns per CPU; global, mono,
	 * mono_raw, boot and tai count ns across CPUs; counter, uptime (jiffies)
	 * and x86-tsc (cycles) are no ns at all (kernel/trace/trace.c, trace_clocks[]).
	 */
	const char	*clock;
	bool		clock_not_ns;		/* times and rates below are in its ticks */
	bool		clock_per_cpu;		/* ns, not synchronised across CPUs */
};

struct anl_opts {
	enum anl_mode	mode;		/* ANL_MODE_AUTO to detect */
	bool		no_window;	/* ignore window markers: whole trace */
	/*
	 * Kernel release the user says the trace comes from ("6.12.117"): the
	 * version-dependent derivations use it when the trace does not say;
	 * anl_finish() fails with -ANL_EKERNEL when the trace says otherwise
	 * (major.minor differ).  NULL: none.
	 */
	const char	*kernel;
	bool		include_recorder;	/* count the recorder's own tasks in the KPIs too */
	anl_record_fn	record;		/* optional: every finished allocation */
	void		*record_data;
	anl_span_fn	span;		/* optional: every closed interval (struct anl_span) */
	void		*span_data;
	uint64_t	frame_budget_ns;	/* jank: a frame's budget; 0 = ANL_FRAME_BUDGET_NS */
	unsigned int	frames_top;	/* jank: late frames kept, the most late; 0 =
					 * ANL_FRAMES_TOP, at most ANL_FRAMES_TOP_MAX */
};

struct anl_ctx;

int anl_new(const struct anl_opts *opts, struct anl_ctx **out);
/* Feed one event (any kind; unknown ones are ignored).  0 or -ANL_E*. */
int anl_feed(struct anl_ctx *a, const struct prs_event *ev);
/*
 * A /proc/vmstat snapshot ("name value" lines) taken before or after the
 * window, when the trace does not carry it.  @after selects which.
 */
int anl_set_vmstat(struct anl_ctx *a, bool after, const char *text, size_t len);
/*
 * The trace's own counter snapshots (Perfetto sys_stats), taken when neither
 * files nor the trace's markers gave a before/after pair; @source names them
 * in the report (kept, not copied).  0 or -ANL_EVMSTAT.  Before anl_finish().
 */
int anl_set_vmstat_trace(struct anl_ctx *a, const char *before, size_t blen, const char *after,
			 size_t alen, const char *source);
/* Kernel release when the file header knows it (trace.dat); copied. */
int anl_set_kernel(struct anl_ctx *a, const char *release);
/* The trace clock the file names (trace.dat); it wins over the markers' "option clock=". */
int anl_set_clock(struct anl_ctx *a, const char *clock);
/*
 * trace.dat's ring-buffer page size (0: none): the kernel's page size when
 * the recorder did not say it ("allocscope: page_size" marker, which wins).
 */
void anl_set_ring_page_size(struct anl_ctx *a, uint32_t bytes);
/*
 * The trace's first and last event (ns), every event the reader saw, those
 * the analyzer does not read too: the whole-trace window (else the span of
 * the events fed).  Before anl_finish().
 */
void anl_set_trace_span(struct anl_ctx *a, uint64_t first_ts, uint64_t last_ts);
/*
 * The trace carries no timestamps (function_graph text without
 * funcgraph-abstime): the window is unknown, and no rate per second is
 * computed; the graph's own durations still are.  Before anl_finish().
 */
void anl_set_no_timestamps(struct anl_ctx *a);
/*
 * @n lines of the text marked lines left out ("...", "(...)": an excerpt
 * cut by hand): counts are of the lines shown.  Before anl_finish().
 */
void anl_set_elided(struct anl_ctx *a, uint64_t n);
/* The ring buffer's overrun/dropped counts from the file's header (trace.dat CPUSTAT). */
void anl_set_ring_stats(struct anl_ctx *a, uint64_t overrun, uint64_t dropped);
/*
 * Close everything still open and compute the model; valid until anl_free().
 * -ANL_EKERNEL: anl_opts.kernel contradicts the trace's own release
 * (anl_trace_kernel()).
 */
int anl_finish(struct anl_ctx *a, const struct anl_model **out);
/* The release the trace itself names (file header or marker), or NULL. */
const char *anl_trace_kernel(const struct anl_ctx *a);
/* A forced mode (anl_opts.mode) whose events the trace lacks: -ANL_EMODE, else 0. */
int anl_mode_check(const struct anl_model *m);
void anl_free(struct anl_ctx *a);

/* Percentile of one stage in the scope, from its histogram. */
uint64_t anl_stat_percentile(const struct anl_stat *s, double p);
/*
 * The window's edges (and what the trace cannot see) explain a difference:
 * kernel != trace, some bound is known, and kernel is in
 * [trace + edge_min - inside, trace + edge + unseen].
 */
bool anl_gt_edge_explains(const struct anl_gt *g);
/* ... and only with the unseen: kernel above trace + edge (the report's "bulk"). */
bool anl_gt_beyond_edges(const struct anl_gt *g);
/*
 * Not the edges but the trace's bounds explain it (the report's "range"):
 * kernel != trace, trace_min < trace_max, and kernel is in
 * [trace_min + edge_min - inside, trace_max + edge_max + unseen].
 */
bool anl_gt_range_explains(const struct anl_gt *g);
/* "6.12.117+deb12-cloud-amd64" -> 6, 12; 0 or -ANL_EINVAL */
int anl_kernel_version(const char *release, int *major, int *minor);

#endif /* ALLOCSCOPE_ANALYZER_H */
