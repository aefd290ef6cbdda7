/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to analyzer/: the state its files share, and their cross-file functions. */
#ifndef ALLOCSCOPE_ANALYZER_LOCAL_H
#define ALLOCSCOPE_ANALYZER_LOCAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "analyzer.h"

/* What a traced function is to the page allocator, resolved once per name. */
enum anl_role {
	ROLE_NONE = 0,
	ROLE_ALLOC,		/* __alloc_pages{,_nodemask,_noprof}, __alloc_frozen_pages_noprof */
	ROLE_GPFL,		/* get_page_from_freelist */
	ROLE_WAKE,		/* wake_all_kswapds */
	ROLE_COMPACT,		/* __alloc_pages_direct_compact */
	ROLE_RECLAIM,		/* try_to_free_pages, __perform_reclaim, __alloc_pages_direct_reclaim */
	ROLE_OOM,		/* __alloc_pages_may_oom, out_of_memory */
	ROLE_SLOWPATH,		/* __alloc_pages_slowpath */
	ROLE_BULK,		/* __alloc_pages_bulk*: its gpfl calls are not allocations */
	ROLE_NOLOCK,		/* alloc_pages_nolock and its older/inner names: fast-only allocations */
	ROLE_COMPACT_WORK,	/* try_to_compact_pages, compact_zone_order: inside
				 * __alloc_pages_direct_compact(), a compaction that ran
				 * (it returns before them for order 0) */
};

enum anl_role anl_role_of(const char *func);	/* by name, suffixes stripped */

/* vmstat snapshot: a few named counters, summed by prefix. */
#define ANL_VM_ITEMS							\
	_AV(ALLOCSTALL,		"allocstall",		true),		\
	_AV(COMPACT_STALL,	"compact_stall",	false),		\
	_AV(COMPACT_FAIL,	"compact_fail",		false),		\
	_AV(COMPACT_SUCCESS,	"compact_success",	false),		\
	_AV(OOM_KILL,		"oom_kill",		false),		\
	_AV(PGALLOC,		"pgalloc",		true),		\
	_AV(PGSCAN_DIRECT,	"pgscan_direct",	false),		\
	_AV(PGSTEAL_DIRECT,	"pgsteal_direct",	false),		\
	_AV(PGSTEAL_KHUGEPAGED,	"pgsteal_khugepaged",	false),		\
	_AV(PGSTEAL_PROACTIVE,	"pgsteal_proactive",	false)

#undef _AV
#define _AV(id, name, prefix) ANL_VM_##id
enum anl_vm_item { ANL_VM_ITEMS, ANL_VM__COUNT };
#undef _AV

struct anl_vmstat {
	bool		present;
	bool		have[ANL_VM__COUNT];
	uint64_t	val[ANL_VM__COUNT];
};

void anl_vmstat_line(struct anl_vmstat *vs, const char *name, size_t nlen, uint64_t value);
int  anl_vmstat_parse(struct anl_vmstat *vs, const char *text, size_t len);

/* ---- the analyzer's state, shared by its files -------------------------- */

#define ANL_MAX_DEPTH	16	/* deeper stacks mean missed returns: evict the oldest */
#define ANL_MAX_CPUS	4096
#define ANL_MAX_NODES	64

enum { EXACT = 0, EST = 1 };
enum { ALL = 0, WIN = 1 };

/* Result of a get_page_from_freelist() return. */
enum { GPFL_UNKNOWN = -1, GPFL_NULL = 0, GPFL_PAGE = 1 };

/*
 * Where the allocation's page can have come from, by its last source:
 * a get_page_from_freelist() return (GPFL_*), or a direct compaction that
 * did not call get_page_from_freelist() (its page, if any, was captured).
 */
enum { SRC_COMPACT = 2 };

struct anl_frame {
	struct anl_alloc rec;
	const char	*func;		/* the entry function (interned) */
	int		fdepth;		/* function_graph depth of the entry, -1 unknown */
	int		alias;		/* frozen alloc open under its wrapper */
	int		first_gpfl;	/* GPFL_* of the first call */
	bool		did_something;	/* a gpfl or a stage ran under it */
	bool		slow_helper;	/* a slow-path helper ran directly under it */
	bool		saw_page_alloc;	/* mm_page_alloc with a page */
	bool		page_alloc_failed;	/* mm_page_alloc with page=(nil) */
	uint64_t	page_alloc_ts;	/* ... its time, when either */
	bool		retval_known, retval_null;
	bool		compact_tp_inside;	/* try_to_compact_pages inside the open function */
	bool		compact_gpfl;		/* get_page_from_freelist inside the open function */
	bool		compact_since_gpfl;	/* a direct compaction since the last gpfl return */
	int		last_src;		/* GPFL_* or SRC_COMPACT */
	int		stage_open[ANL_STAGE__COUNT];	/* function nesting per stage */
	uint64_t	stage_start[ANL_STAGE__COUNT];
	bool		tp_reclaim_open;	/* stage timed from tracepoints */
	uint64_t	tp_reclaim_start;
	bool		tp_compact_open;
	uint64_t	tp_compact_start, tp_compact_last;
	int32_t		start_cpu;
	bool		win;		/* entered inside the window: it and its stages count there */
	bool		graph;		/* function_graph (else kprobe) */
	bool		nolock;		/* a nolock allocation: one freelist attempt, never a slow path */
	bool		min_done;	/* the min-watermark attempt was seen */
	bool		reclaim_end_seen;	/* mm_vmscan_direct_reclaim_end inside the open reclaim function */
	int		after_reclaim_left;	/* gpfl calls still to come inside __alloc_pages_direct_reclaim() */
	/* freelist mode (freelist.c): opened by an attempt, closed by its task's mm_page_alloc */
	bool		freelist;
	bool		fl_opened;	/* by its LOW or TRYLOCK attempt (else partial: a slow one) */
	bool		fl_oom;		/* its last attempt was __alloc_pages_may_oom()'s (HIGH) */
	bool		fl_at_return;	/* opened at its first attempt's return (a return probe) */
};

/* Tracepoint-only view of one task (events mode). */
struct anl_evstate {
	bool		pending;	/* slow-path evidence since its last allocation */
	bool		incomplete;
	uint64_t	start;
	uint32_t	stage_count[ANL_STAGE__COUNT];
	uint64_t	stage_ns[ANL_STAGE__COUNT];
	uint64_t	nr_reclaimed;
	bool		reclaim_open;
	uint64_t	reclaim_start;
	bool		compact_open;
	uint64_t	compact_start, compact_last;
	bool		win;		/* its first evidence came inside the window */
	/* the episode (episodes.c): its last event, order and gfp as its stage events give them */
	uint64_t	last;
	int32_t		order;		/* -1 unknown */
	const char	*gfp_str;	/* interned, NULL unknown */
	uint64_t	gfp;
	bool		compact_run;	/* the open compaction is one begin..end run (no try event) */
	bool		retries_out;
	bool		oom_fn;		/* out_of_memory()'s function tracer line seen */
	uint32_t	retry_rounds, compact_retries, slab_calls, throttles;
	uint32_t	tries;		/* try_to_compact_pages in the episode */
	bool		try_after_reclaim;	/* ... one after its last reclaim */
	bool		reclaim_progress;	/* its last reclaim reclaimed pages */
	uint64_t	reclaim_end;	/* ... and ended then */
	int32_t		retry_loops_max;
	uint64_t	slab_ns, throttle_ns;
	uint8_t		retry_end;	/* enum anl_retry_end */
	int8_t		compact_retry_last;	/* its last compact_retry's should_retry, -1 none */
	uint32_t	writepages, writepages_file, writepages_anon;
};

struct anl_task {
	int32_t		pid, tgid;	/* pid -1: a CPU's unknown task (unknown_task()) */
	int32_t		key;		/* the table's: the pid, or below -1 for an unknown task */
	int32_t		last_cpu;
	char		comm[32];
	bool		comm_settled;	/* comm came from a comm_per_pid event: it stays */
	bool		recorder_pid;	/* named by an "allocscope: recorder-pid" marker */
	bool		recorder_comm;	/* its comm is a recorder's (traces without those markers) */
	bool		recorder_seen;	/* counted in anl_recorder.tasks */
	struct anl_frame *stack;
	uint32_t	depth, cap;
	bool		framed;		/* an allocation of it was opened: later orphans are not an
					 * excerpt's first, partial allocation (partial_open()) */
	struct anl_evstate ev;
	bool		ct_open, ct_counted;	/* kernel-notion compaction stall */
	bool		ct_zone;		/* a zone of the open try left an event */
	bool		ct_silent_skip;		/* ... a zone may skip it without one (costly, async, 6.13+) */
	bool		rc_open;		/* raw reclaim begin seen */
	bool		cb_open;		/* mm_compaction_begin seen, its end not yet */
	bool		mc_open;		/* in memcg reclaim: memcg_(softlimit_)reclaim_begin seen */
	int32_t		rc_prio;		/* last lru_shrink priority in this reclaim, -1 none */
	uint32_t	rc_passes;		/* passes seen in this reclaim (entry + restarts) */
	bool		slab_open;		/* mm_shrink_slab_start seen, its end not yet */
	uint64_t	slab_start;
	bool		retry_run;		/* its last event was a reclaim_retry_zone line */
	int32_t		retry_loops;		/* ... with this no_progress_loops */
	/* the round of should_reclaim_retry() those lines belong to: each zone once */
	int32_t		retry_zones[8];		/* nid << 16 | zone of its lines */
	uint8_t		retry_nzones;
	bool		retry_pass;		/* a zone of it passed (wmark_check=1): retry */
	bool		retry_verdict;		/* ... a line of it said (wmark_check known) */
	bool		mc_timed;		/* mc_open with its begin's time */
	uint64_t	mc_start;
	struct anl_task_sum sum[2][2];		/* [estimator][scope] */
};

struct anl_cpu {
	bool		kswapd_running;
	bool		seen;
	uint64_t	since;
	uint32_t	backs_at_since;	/* its anl_cpu_ts.backs then: a step back since voids the run */
};

/* Timestamp order on one CPU (anomaly ts_backwards). */
struct anl_cpu_ts {
	uint64_t	last_ts;
	bool		seen;
	uint32_t	backs;		/* events older than the CPU's previous one */
	int32_t		last_pid;
	bool		other_seen;	/* an event of another task came before the current one's run */
	uint64_t	other_ts;	/* ... the last such: the current task runs since after it */
};

struct anl_fn_cache {
	const char	*func;
	enum anl_role	role;
};

struct anl_ctx {
	struct anl_opts	opts;
	bool		finished;

	/* tasks: open addressing pid -> task */
	struct anl_task	**task_slots;
	size_t		task_cap, nr_tasks;

	struct anl_fn_cache *fn;	/* interned func pointer -> role */
	size_t		fn_cap, fn_used;

	struct anl_cpu	*cpus;
	int		nr_cpus;
	struct anl_cpu_ts *cpu_ts;	/* by CPU, below ANL_MAX_CPUS */
	int		nr_cpu_ts;
	struct anl_cpu_ts cpu_ts_other;	/* no CPU known, or beyond ANL_MAX_CPUS */
	bool		node_awake[ANL_MAX_NODES];
	uint64_t	node_since[ANL_MAX_NODES];

	/* what the stream showed */
	bool		seen_any;
	bool		seen_graph, seen_retval, seen_kprobe;
	/* the allocator's function events the trace carries, whatever the mode reads */
	bool		has_graph, has_retval, has_kprobe;
	bool		has_freelist;		/* get_page_from_freelist() probes with alloc_flags */
	bool		seen_freelist;		/* ... read (the mode's) */
	bool		fl_returns;		/* ... a return probe's, with the result */
	char		*fl_probe;		/* "option freelist_probe=" of the capture */
	bool		seen_page_alloc_tp, seen_try_compact_tp, seen_deferred_tp, seen_suitable_tp;
	bool		seen_compact_fn;	/* __alloc_pages_direct_compact entry/exit */
	bool		wake_fn_seen;		/* wake_all_kswapds() events read (in the mode analyzed) */
	bool		wake_fn_listed;		/* ... in the function filter ("allocscope: funcs") */
	bool		oom_fn_seen, oom_fn_listed;	/* __alloc_pages_may_oom()/out_of_memory(), likewise */
	bool		reclaim_fn_seen;	/* a direct reclaim function's events read */
	bool		seen_lru_shrink_tp;
	bool		seen_lru_inactive_tp;	/* with nr_reclaimed */
	bool		bulk_probed;		/* the bulk allocator's kretprobe was recorded */
	bool		memcg_known;		/* memcg reclaim events recorded (seen, or the capture's
						 * option lines list them, or say the kernel lacks them) */
	bool		seen_kswapd_switch, seen_kswapd_wake, seen_switch;
	uint64_t	first_ts, last_ts;
	uint64_t	next_id[2];		/* per estimator: the rows of one run 1, 2, ... */

	/* window */
	int		win_state;	/* 0 none, 1 open, 2 closed */
	uint64_t	win_begin, win_end;
	const char	*win_source;
	int		snap_phase;	/* snapshot lines go to: 0 none, 1 before, 2 after */
	bool		snap_seen[2];	/* a snapshot's first line (vmstat-begin, or begin/end) */
	uint64_t	snap_ts[2];
	struct anl_totals raw_at_snap[2];	/* raw[ALL] at that first line */
	bool		read_seen[2];	/* "snapshot-PHASE": that snapshot is read after it */
	uint64_t	read_ts[2];
	struct anl_totals raw_at_read[2];	/* raw[ALL] at that line */
	bool		before_vm_seen;	/* begin/end: a vmstat line of the before-snapshot */
	struct anl_totals raw_at_before_vm;	/* raw[ALL] at its last one (read before it) */
	struct anl_vmstat vm[2];	/* before, after */
	bool		vm_from_files;
	const char	*vm_trace_source;	/* anl_set_vmstat_trace(): the trace's own snapshots */
	bool		snap_inside;	/* snapshots read inside the window markers (allocscope: begin/end) */
	uint64_t	kswapd_ticks[2];
	bool		kswapd_ticks_known[2];
	uint64_t	page_size_marker;	/* "allocscope: page_size N" */
	uint64_t	page_size_ring;		/* anl_set_ring_page_size() */
	uint64_t	kswapd_sched_ns[2];	/* kswapd-sched markers: schedstat run time */
	/*
	 * When each kswapd snapshot was read (its first line, or for our
	 * recorders' after-snapshot its snapshot-after marker) and kswapd's
	 * sched_switch run time up to then: the run time between the two
	 * reads is what /proc/PID/stat and schedstat count.
	 */
	bool		kswapd_read_known[2];
	uint64_t	kswapd_read_ts[2];
	uint64_t	kswapd_read_run[2];
	uint64_t	run_at_read[2];		/* anl_kswapd_run_at() at snapshot-before/-after */
	/*
	 * Where each read can lie: the before-read between the marker before
	 * kswapd's first line and its kswapd-read, the after-read between
	 * snapshot-after and its kswapd-read; run = anl_kswapd_run_at() there
	 */
	uint64_t	prev_mark_ts, prev_mark_run;	/* the print event before this one */
	bool		kread_lo_known;
	uint64_t	kread_lo_run;			/* before-read: earliest */
	bool		kread_seen[2];		/* "allocscope: kswapd-read": when kswapd was read */
	uint64_t	kread_ts[2];
	uint64_t	kread_run[2];
	bool		kswapd_sched_known[2];
	uint64_t	clk_tck;
	char		*kernel;
	char		*clock;		/* anl_set_clock(), else "option clock=" */
	struct anl_task	*last_task;	/* the last event's (tasks live until anl_free()) */

	/* gfp classes: name table shared by all totals */
	/* interned gfp_str -> class: direct-mapped on the pointer, one probe per event */
#define ANL_CLASS_CACHE	256
	const char	*class_ptr[ANL_CLASS_CACHE];
	int		class_idx[ANL_CLASS_CACHE];

	struct anl_totals tot[2][2];	/* [estimator][scope] */
	struct anl_totals raw[2];	/* raw event counts per scope */
	struct anl_totals raw_at_begin, raw_at_end;	/* raw[ALL] at the markers */
	struct anl_anomalies an;
	/* the tracepoint estimate's records cut by a loss or the trace's end: the model's
	 * anomalies when it reports that estimate (an counts the exact frames') */
	uint64_t	est_incomplete, est_open_at_end;
	uint64_t	kswapd_unordered;	/* kswapd runs across a step back in time: not measured */
	uint64_t	kswapd_unstarted;	/* kswapd switch-outs after another task, no switch-in */
	bool		span_known;		/* anl_set_trace_span(): every event's first and last */
	bool		no_timestamps;		/* anl_set_no_timestamps(): every ts is 0 */
	uint64_t	elided;			/* anl_set_elided() */
	uint64_t	span_first, span_last;
	char		kswapd_note[160];
	char		untold_buf[4][160];	/* the model's counted untold lines */

	/* the recorder's tasks (struct anl_recorder) */
	bool		seen_recorder_marker;
	bool		cur_recorder;	/* the event being fed is a recorder task's, left out */
	struct anl_recorder rec[2][2];	/* [estimator][scope] */
	uint64_t	rec_tasks;
	uint64_t	rec_reclaim_end[2];	/* [scope] */
	uint64_t	rec_lru_reclaimed[2];	/* [scope]: the recorder's LRU pages (lru_shrink_inactive) */
	char		rec_comm[32];		/* the first recorder task's comm */
	char		rec_rule[96];

	struct anl_jank_ctx *jank;	/* jank.c: made at the first atrace marker, frame or stall */
	struct anl_jank	jank_none;	/* the model's when the trace has none */

	struct anl_model model;
	struct anl_task_sum *sums;
	char		gt_note[ANL_MAX_GT][1536];	/* the model's ground-truth notes */
};

static inline bool in_win(const struct anl_ctx *a)
{
	return a->win_state == 1 && !a->opts.no_window;
}

#define FOR_SCOPES(a, s) for (int s = 0; s < (in_win(a) ? 2 : 1); s++)

/* Raw event counts, in the scopes open now. */
#define RAW_INC(a, field, n) do {				\
	FOR_SCOPES(a, s_) (a)->raw[s_].field += (n);		\
} while (0)


static inline struct anl_frame *top(struct anl_task *t)
{
	return t && t->depth ? &t->stack[t->depth - 1] : NULL;
}


/* Markers name the recorder's tasks exactly; only traces without them fall back to the comm. */
static inline bool is_recorder(const struct anl_ctx *a, const struct anl_task *t)
{
	return a->seen_recorder_marker ? t->recorder_pid : t->recorder_comm;
}


void anl_copy_comm(struct anl_task *t, const struct prs_event *ev);

/* trace.dat names a pid once for the whole file: comparing it per event took 11 % of its analysis */
static inline void task_comm(struct anl_task *t, const struct prs_event *ev)
{
	if (!t->comm_settled || !ev->comm_per_pid || ev->tgid >= 0)
		anl_copy_comm(t, ev);
}

/* analyzer.c: the task table and the accounting both estimators share */
struct anl_task *anl_task_get(struct anl_ctx *a, int32_t pid);
void anl_stage_occ(struct anl_ctx *a, int est, enum anl_stage st, uint64_t ns, bool timed,
		   bool win);
uint64_t anl_row_id(struct anl_ctx *a, const struct anl_task *t, int est);
void anl_recorder_seen(struct anl_ctx *a, struct anl_task *t);
void anl_stage_masks(const struct anl_ctx *a, struct anl_alloc *r, enum anl_mode mode);
void anl_account_record(struct anl_ctx *a, int est, struct anl_task *t,
			struct anl_alloc *rec, bool win);
bool anl_reports_est(const struct anl_ctx *a);
void anl_span_emit(struct anl_ctx *a, enum anl_span_kind kind, uint64_t start,
		   uint64_t end, int32_t pid, int32_t cpu, bool win, bool timed);

/* frames.c: the exact estimator */
int  anl_fn_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev);
/*
 * A new allocation on @t's stack (function entry, or a freelist LOW attempt),
 * @nolock: a nolock allocation's entry (never part of an outer one): 0 or -ANL_ENOMEM
 */
int  anl_frame_push(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
		    uint64_t gfp, int32_t order, bool nolock);
/*
 * A get_page_from_freelist() call of @f that returned @result (GPFL_*), @dur
 * ns long or PRS_NO_VALUE: counted, and after the first put in its stage;
 * @in_stage: part of a stage already counted (the OOM path's attempts).
 */
void anl_frame_gpfl(struct anl_ctx *a, struct anl_frame *f, int result, uint64_t dur, bool in_stage);
void anl_frame_pop(struct anl_ctx *a, struct anl_task *t, unsigned int flags,
		   uint64_t end_ts, uint64_t duration, int32_t cpu);
void anl_tp_compact_close(struct anl_ctx *a, struct anl_frame *f);

/* episodes.c: the tracepoint-only estimator */
void anl_ev_compact_close(struct anl_ctx *a, struct anl_task *t);
void anl_ev_evidence(struct anl_ctx *a, struct anl_task *t, uint64_t ts);
void anl_ev_page_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev,
		       bool failed);
void anl_ev_open_at_end(struct anl_ctx *a, struct anl_task *t);
/* what begins at an episode boundary (anl_ev_boundary()) */
enum anl_ev_what { ANL_EV_OTHER = 0, ANL_EV_RECLAIM, ANL_EV_TRY };
void anl_ev_boundary(struct anl_ctx *a, struct anl_task *t, uint64_t ts, enum anl_ev_what what,
		     int32_t order, const char *gfp_str, uint64_t gfp);
void anl_ev_episode_end(struct anl_ctx *a, struct anl_task *t);
bool anl_ev_single_reclaim(int32_t order, const char *gfp_str);

/* tracepoints.c */
void anl_tp_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev);

/* gfp.c: flags of a symbolic gfp mask */
enum {
	ANL_GFP_FS		= 1u << 0,
	ANL_GFP_NORETRY		= 1u << 1,
	ANL_GFP_RETRY_MAYFAIL	= 1u << 2,	/* __GFP_REPEAT before 4.13 */
	ANL_GFP_NOFAIL		= 1u << 3,
	ANL_GFP_THISNODE	= 1u << 4,
	ANL_GFP_REPEAT		= 1u << 5,	/* before 4.13: loops like RETRY_MAYFAIL, may OOM */
};
int anl_gfp_has(const char *gfp_str, unsigned int flags);	/* any of them: 1, 0, -1 not said */
enum anl_after_retry anl_after_retry(int32_t order, const char *gfp_str);
/* freelist.c: the freelist mode's attempts and closes */
int  anl_freelist_event(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev);
bool anl_freelist_reading(const struct anl_ctx *a);
void anl_freelist_settle(struct anl_ctx *a, struct anl_frame *f, bool failed);
void anl_freelist_page_alloc(struct anl_ctx *a, struct anl_task *t, const struct prs_event *ev);
void anl_freelist_unclosed(struct anl_ctx *a, const struct anl_frame *f);
void anl_freelist_model(struct anl_ctx *a, struct anl_model *m);

/* analyzer.c: a CPU's timestamp order, and where a kswapd run the trace did not see start began */
struct anl_cpu_ts *anl_cpu_ts_of(struct anl_ctx *a, int32_t cpu);
uint64_t anl_kswapd_run_start(struct anl_ctx *a, int32_t cpu);

/* kswapd.c */
bool anl_is_kswapd(const char *comm);
void anl_busy_add(struct anl_ctx *a, uint64_t since, uint64_t until, bool run, int32_t where);
/* kswapd's sched_switch run time in the whole trace up to @ts (runs still open count up to @ts) */
uint64_t anl_kswapd_run_at(const struct anl_ctx *a, uint64_t ts);
void anl_sched_switch(struct anl_ctx *a, const struct prs_event *ev);
void anl_kswapd_wake_sleep(struct anl_ctx *a, const struct prs_event *ev);
void anl_window_close(struct anl_ctx *a, uint64_t ts);

/* markers.c */
void anl_print_event(struct anl_ctx *a, const struct prs_event *ev);
const char *anl_window_unclosed(const char *source);
bool anl_edges_inside(const struct anl_ctx *a);

/* atrace.c: one trace_marker text as an atrace event */
enum anl_atrace {
	ANL_AT_NONE = 0,	/* not atrace */
	ANL_AT_BEGIN,		/* "B|tgid|name": tgid, name */
	ANL_AT_END,		/* "E|..." or "E" */
	ANL_AT_OTHER,		/* async, counter, instant: no thread slice */
	ANL_AT_BAD,		/* "B|" without a readable tgid */
};
struct anl_atrace_ev {
	int32_t		tgid;
	const char	*name;		/* into the text, not NUL-terminated */
	size_t		len;
};
enum anl_atrace anl_atrace_parse(const char *s, size_t len, struct anl_atrace_ev *out);

/* jank.c: frames of atrace slices, the stalls inside them */
int  anl_jank_print(struct anl_ctx *a, const struct prs_event *ev);
void anl_jank_lost(struct anl_ctx *a);
int  anl_jank_frame_event(struct anl_ctx *a, const struct prs_event *ev);
void anl_jank_alloc(struct anl_ctx *a, const struct anl_alloc *rec);
void anl_jank_span(struct anl_ctx *a, enum anl_span_kind kind, uint64_t start, uint64_t end,
		   int32_t pid);
const struct anl_jank *anl_jank_finish(struct anl_ctx *a);
void anl_jank_free(struct anl_ctx *a);

/* groundtruth.c */
void anl_build_groundtruth(struct anl_ctx *a, struct anl_model *m, const struct anl_totals *r);

#endif /* ALLOCSCOPE_ANALYZER_LOCAL_H */
