// SPDX-License-Identifier: GPL-2.0-only
/*
 * The analyzer's entry points with the accounting both estimators share: the
 * task table, allocation records into totals, the end-of-trace model.
 *
 * One struct anl_task per pid, fed one event at a time; state is per task,
 * never per CPU: a task that slept in reclaim may return on another CPU.
 * Two estimators run side by side on the same stream:
 *  - EXACT: allocation records rebuilt from function events (frames.c);
 *  - EST:   the tracepoint-only estimate, events mode (episodes.c).
 * The model reports EXACT when the trace (or -m) provides function events,
 * EST otherwise.  Each keeps two scopes: the whole trace and the vmstat
 * window bracketed by markers (markers.c).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

/* ---- tables ------------------------------------------------------------- */

struct anl_task *anl_task_get(struct anl_ctx *a, int32_t pid)
{
	size_t mask, i;
	struct anl_task *t;

	if (pid == -1)
		return NULL;
	if ((a->nr_tasks + 1) * 2 > a->task_cap) {
		size_t cap = a->task_cap ? a->task_cap * 2 : 256;
		struct anl_task **slots = calloc(cap, sizeof(*slots));

		if (!slots)
			return NULL;
		for (size_t j = 0; j < a->task_cap; j++) {
			struct anl_task *o = a->task_slots[j];

			if (!o)
				continue;
			for (i = (uint32_t)o->key * 2654435761u & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
				;
			slots[i] = o;
		}
		free(a->task_slots);
		a->task_slots = slots;
		a->task_cap = cap;
	}
	mask = a->task_cap - 1;
	for (i = (uint32_t)pid * 2654435761u & mask; a->task_slots[i]; i = (i + 1) & mask)
		if (a->task_slots[i]->key == pid)
			return a->task_slots[i];
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->key = pid;
	t->pid = pid >= 0 ? pid : -1;
	t->tgid = -1;
	t->last_cpu = -1;
	a->task_slots[i] = t;
	a->nr_tasks++;
	return t;
}

/* gfp class: the first GFP_* token of the symbolic flags ("GFP_KERNEL|__GFP_ZERO"). */
_Static_assert(ANL_CLASS_CACHE == 256, "gfp_class() takes the top 8 bits of a hash as the slot");

static int gfp_class(struct anl_ctx *a, const char *gfp_str)
{
	char name[40];
	const char *bar;
	size_t len;
	size_t slot;
	int i;

	if (!gfp_str)
		return -1;	/* unknown */
	/* interned strings are packed in an arena, not aligned: mix every bit */
	slot = (size_t)(((uint64_t)(uintptr_t)gfp_str * 0x9e3779b97f4a7c15ull) >> 56);
	if (a->class_ptr[slot] == gfp_str)
		return a->class_idx[slot];
	bar = strchr(gfp_str, '|');
	len = bar ? (size_t)(bar - gfp_str) : strlen(gfp_str);
	if (len >= sizeof(name) || strncmp(gfp_str, "GFP_", 4))
		snprintf(name, sizeof(name), "other");
	else
		snprintf(name, sizeof(name), "%.*s", (int)len, gfp_str);
	/* the class table is the same in every totals: keep it in tot[EXACT][ALL] */
	{
		struct anl_totals *t0 = &a->tot[EXACT][ALL];

		for (i = 0; i < t0->nr_gfp; i++)
			if (!strcmp(t0->by_gfp[i].name, name))
				break;
		if (i == t0->nr_gfp) {
			if (t0->nr_gfp >= ANL_GFP_CLASSES - 2) {
				i = ANL_GFP_CLASSES - 2;	/* "other" overflow slot */
				snprintf(t0->by_gfp[i].name, sizeof(t0->by_gfp[i].name), "other");
			} else {
				snprintf(t0->by_gfp[i].name, sizeof(t0->by_gfp[i].name), "%s", name);
				t0->nr_gfp++;
			}
		}
	}
	a->class_ptr[slot] = gfp_str;
	a->class_idx[slot] = i;
	return i;
}

/* ---- accumulation ------------------------------------------------------- */

static void stat_add(struct anl_stat *s, uint64_t ns, bool timed)
{
	s->count++;
	if (!timed)
		return;
	s->timed++;
	s->total_ns += ns;
	if (ns > s->max_ns)
		s->max_ns = ns;
	if (s->timed == 1 || ns < s->min_ns)
		s->min_ns = ns;
	anl_hist_add(&s->hist, ns);
}

/*
 * One stage occurrence: in the whole trace, and in the window when the
 * allocation it belongs to began inside it (@win), so that the stage table
 * is the sum of the window's allocation records.
 */
void anl_stage_occ(struct anl_ctx *a, int est, enum anl_stage st, uint64_t ns, bool timed,
		      bool win)
{
	if (a->cur_recorder)
		return;
	stat_add(&a->tot[est][ALL].stage[st], ns, timed);
	if (win)
		stat_add(&a->tot[est][WIN].stage[st], ns, timed);
}

static int order_slot(int32_t order)
{
	return order >= 0 && order <= ANL_MAX_ORDER ? order : ANL_MAX_ORDER + 1;
}

/* "allocscope", "allocscope-reco" (TASK_COMM_LEN 16 cuts allocscope-record*), "trace-cmd" */
static bool recorder_comm(const char *comm)
{
	return !strcmp(comm, "allocscope") || !strcmp(comm, "allocscope-reco") ||
	       !strcmp(comm, "trace-cmd");
}

/* The next row id, 1, 2, ... per estimator; none taken by the recorder's rows, which are not written. */
uint64_t anl_row_id(struct anl_ctx *a, const struct anl_task *t, int est)
{
	return !a->opts.include_recorder && is_recorder(a, t) ? 0 : ++a->next_id[est];
}

void anl_recorder_seen(struct anl_ctx *a, struct anl_task *t)
{
	if (!t->recorder_seen) {
		t->recorder_seen = true;
		if (!a->rec_tasks++)
			snprintf(a->rec_comm, sizeof(a->rec_comm), "%s", t->comm);
	}
}

#define BIT(st)	(1u << (st))

/*
 * Which stages a record's mode sees (stage_seen) and times (stage_timed):
 * function_graph times every traced function; kretprobes give returns
 * only, so get_page_from_freelist() is counted, not timed; tracepoints
 * alone see no get_page_from_freelist() and no wake_all_kswapds() call.
 */
void anl_stage_masks(const struct anl_ctx *a, struct anl_alloc *r, enum anl_mode mode)
{
	uint32_t gpfl = BIT(ANL_STAGE_MIN_WATERMARK) | BIT(ANL_STAGE_RETRY_LOOP) |
			BIT(ANL_STAGE_AFTER_RECLAIM);
	uint32_t tp = BIT(ANL_STAGE_KSWAPD_WOKEN) | BIT(ANL_STAGE_COMPACTION) |
		      BIT(ANL_STAGE_DIRECT_RECLAIM) | BIT(ANL_STAGE_OOM) | BIT(ANL_STAGE_OTHER);
	uint32_t timed = BIT(ANL_STAGE_COMPACTION) | BIT(ANL_STAGE_DIRECT_RECLAIM);
	bool wake;

	if (r->latency_ns != PRS_NO_VALUE)
		timed |= BIT(ANL_STAGE_OTHER);
	if (mode == ANL_MODE_EVENTS) {
		r->stage_seen = tp;
		r->stage_timed = timed;
		return;
	}
	/* the filter lists what function_graph traced; probes are other events */
	wake = a->wake_fn_seen || (mode == ANL_MODE_GRAPH && a->wake_fn_listed);
	r->stage_seen = tp | gpfl | (wake ? BIT(ANL_STAGE_WAKE_ALL_KSWAPDS) : 0);
	if (mode == ANL_MODE_GRAPH)
		timed |= gpfl | (wake ? BIT(ANL_STAGE_WAKE_ALL_KSWAPDS) : 0) |
			 (a->oom_fn_seen || a->oom_fn_listed ? BIT(ANL_STAGE_OOM) : 0);
	r->stage_timed = timed;
}

/*
 * An allocation counts in the window when it began inside it (@win: entry,
 * or first slow-path evidence in events mode), wherever it ended: decided at
 * its start, so that its stages, counted as they end, go with it.
 */
void anl_account_record(struct anl_ctx *a, int est, struct anl_task *t,
			   struct anl_alloc *rec, bool win)
{
	/* a call never closed is no slow path: what made it slow is unknown (its end is) */
	bool unclosed = est == EXACT && (rec->flags & (ANL_REC_OPEN_AT_END | ANL_REC_UNMATCHED));
	bool nolock = rec->flags & ANL_REC_NOLOCK;
	/* a nolock allocation that got no page failed without a slow path */
	bool slow = rec->outcome != ANL_FAST && !unclosed && !nolock;
	bool failed = rec->outcome == ANL_FAILED && !unclosed;
	bool timed = !(rec->flags & (ANL_REC_INCOMPLETE | ANL_REC_OPEN_AT_END | ANL_REC_UNMATCHED));
	bool has_latency = timed && rec->end_ts >= rec->start_ts && rec->latency_ns != PRS_NO_VALUE;
	int cls = gfp_class(a, rec->gfp_str);
	uint64_t stall = slow && has_latency ? rec->latency_ns : 0;

	if (cls < 0)
		cls = ANL_GFP_CLASSES - 1;	/* "unknown" */
	/* a stall that compacted and never reclaimed: its own kind (docs/episodes.md) */
	if (slow && rec->stage_count[ANL_STAGE_COMPACTION] && !rec->stage_count[ANL_STAGE_DIRECT_RECLAIM] &&
	    !(rec->flags & ANL_REC_PARTIAL))	/* what ran before an excerpt began is not known */
		rec->flags |= ANL_REC_COMPACT_ONLY;
	if (rec->retry_end == ANL_RETRY_RAN_OUT || rec->retry_end == ANL_RETRY_NO_ZONE ||
	    (rec->compact_retries && rec->compact_retry_last == 0))
		rec->after_retry = anl_after_retry(rec->order, rec->gfp_str);
	if (est == EST) {
		anl_stage_masks(a, rec, ANL_MODE_EVENTS);
		a->est_incomplete += !!(rec->flags & ANL_REC_INCOMPLETE);
		a->est_open_at_end += !!(rec->flags & ANL_REC_OPEN_AT_END);
	}
	if (win || a->opts.no_window)
		rec->flags |= ANL_REC_IN_WINDOW;
	if (is_recorder(a, t)) {
		anl_recorder_seen(a, t);
		for (int s = 0; s < (win ? 2 : 1); s++) {
			a->rec[est][s].allocations++;
			a->rec[est][s].slow += slow;
			a->rec[est][s].failed += failed;
		}
		if (!a->opts.include_recorder)
			return;
	}
	for (int s = 0; s < (win ? 2 : 1); s++) {
		struct anl_totals *tt = &a->tot[est][s];
		struct anl_order *o = &tt->by_order[order_slot(rec->order)];
		struct anl_class *c = &tt->by_gfp[cls];
		struct anl_task_sum *ts = &t->sum[est][s];

		tt->allocations++;
		tt->nolock += nolock;
		tt->nolock_failed += nolock && failed;
		o->allocations++;
		c->allocations++;
		ts->allocations++;
		if (rec->parent_id)
			tt->nested++;
		if (!timed)
			tt->incomplete++;
		if (rec->stage_count[ANL_STAGE_DIRECT_RECLAIM] >= 2)
			tt->reclaim_loops++;
		if (rec->flags & ANL_REC_RETRIES_OUT)
			tt->retries_out++;
		tt->retry_allocs += rec->retry_end != ANL_RETRY_NONE;
		tt->retry_no_zone += rec->retry_end == ANL_RETRY_NO_ZONE;
		tt->compact_only += !!(rec->flags & ANL_REC_COMPACT_ONLY);
		tt->nr_reclaimed += rec->nr_reclaimed;
		if (slow) {
			tt->slow++;
			o->slow++;
			c->slow++;
			ts->slow++;
			o->stall_ns += stall;
			c->stall_ns += stall;
			ts->stall_ns += stall;
		}
		if (failed) {
			tt->failed++;
			o->failed++;
			c->failed++;
			ts->failed++;
		}
		if (slow) {
			rec->stage_count[ANL_STAGE_OTHER] = 1;	/* one per slow allocation, timed or not */
			stat_add(&tt->stage[ANL_STAGE_SLOW_PATH], rec->latency_ns, has_latency);
			stat_add(&tt->stage[ANL_STAGE_OTHER], rec->stage_ns[ANL_STAGE_OTHER],
				 has_latency);
		} else if (!unclosed) {
			stat_add(&tt->stage[ANL_STAGE_FAST_PATH], rec->latency_ns, has_latency);
		}
	}
	if (est == EXACT || anl_reports_est(a)) {
		anl_jank_alloc(a, rec);
		if (a->opts.record)
			a->opts.record(rec, a->opts.record_data);
	}
}

/* The tracepoint-only estimate is what the model will report (as for records). */
bool anl_reports_est(const struct anl_ctx *a)
{
	return a->opts.mode == ANL_MODE_EVENTS ||
	       (a->opts.mode == ANL_MODE_AUTO && !a->seen_graph && !a->seen_kprobe &&
		!a->seen_freelist);
}

/*
 * @win: a stage interval whose allocation counts in the window (reclaim,
 * compaction); kswapd intervals (@win false) count their part inside it.
 * @timed: its length is in the stage's total (not open across lost events).
 */
void anl_span_emit(struct anl_ctx *a, enum anl_span_kind kind, uint64_t start,
		      uint64_t end, int32_t pid, int32_t cpu, bool win, bool timed)
{
	struct anl_span sp = { kind, start, end, pid, cpu, 0, false, timed };

	if (end < start || a->cur_recorder)
		return;
	/* without allocation records (stall episodes span the gaps between their stages) a
	 * frame's stalls are these intervals; else the records that hold them */
	if (anl_reports_est(a) && !a->seen_page_alloc_tp)
		anl_jank_span(a, kind, start, end, pid);
	/* the recorder's own reclaims are not in the stage table: not in the bands either */
	if (!a->opts.span)
		return;
	if (kind == ANL_SPAN_KSWAPD_RUN || kind == ANL_SPAN_KSWAPD_AWAKE) {
		uint64_t b = a->win_begin, e = a->win_state == 2 ? a->win_end : UINT64_MAX;

		if (a->win_state && !a->opts.no_window && end > b && start < e) {
			sp.win_ns = (end < e ? end : e) - (start > b ? start : b);
			sp.in_win = true;
		}
	} else if (win || a->opts.no_window) {
		sp.win_ns = end - start;
		sp.in_win = true;
	}
	a->opts.span(&sp, a->opts.span_data);
}

void anl_copy_comm(struct anl_task *t, const struct prs_event *ev)
{
	if (t->pid < 0)
		return;		/* a CPU's unknown task keeps its name */
	if (ev->comm && ev->comm[0]) {
		if (strncmp(t->comm, ev->comm, sizeof(t->comm) - 1)) {
			snprintf(t->comm, sizeof(t->comm), "%s", ev->comm);
			t->recorder_comm = recorder_comm(t->comm);
		}
		t->comm_settled = ev->comm_per_pid;
	}
	if (ev->tgid >= 0)
		t->tgid = ev->tgid;
}

/* ---- lost events -------------------------------------------------------- */

static void lost_event(struct anl_ctx *a, const struct prs_event *ev)
{
	a->an.lost_markers++;
	a->an.lost_events += ev->u.lost.count;
	anl_jank_lost(a);
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];

		if (!t || (ev->cpu >= 0 && t->last_cpu != ev->cpu))
			continue;
		for (uint32_t d = 0; d < t->depth; d++) {
			if (!(t->stack[d].rec.flags & ANL_REC_INCOMPLETE))
				a->an.incomplete++;
			t->stack[d].rec.flags |= ANL_REC_INCOMPLETE;
		}
		if (t->ev.pending)
			t->ev.incomplete = true;
		/* a lost exit would leave this open for ever */
		t->rc_open = false;
		t->ct_open = false;
	}
	/* a lost sched_switch leaves the CPU's state unknown */
	if (ev->cpu >= 0 && ev->cpu < a->nr_cpus)
		a->cpus[ev->cpu].kswapd_running = false;
}

/*
 * A CPU's events come in time order (its ring buffer is written so); across
 * CPUs a text trace may interleave a little (trace_pipe read live), which
 * is not an anomaly.  A lost-events marker is not checked: the text readers
 * place it at the latest time seen.
 */
static void ts_order(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_cpu_ts *c = &a->cpu_ts_other;

	if (ev->cpu >= 0 && ev->cpu < ANL_MAX_CPUS) {
		if (ev->cpu >= a->nr_cpu_ts) {
			int n = ev->cpu + 1 > 2 * a->nr_cpu_ts ? ev->cpu + 1 : 2 * a->nr_cpu_ts;
			struct anl_cpu_ts *cts;

			if (n > ANL_MAX_CPUS)
				n = ANL_MAX_CPUS;
			cts = realloc(a->cpu_ts, (size_t)n * sizeof(*cts));
			if (cts) {
				memset(cts + a->nr_cpu_ts, 0, (size_t)(n - a->nr_cpu_ts) * sizeof(*cts));
				a->cpu_ts = cts;
				a->nr_cpu_ts = n;
			}
		}
		if (ev->cpu < a->nr_cpu_ts)	/* else no memory: the shared slot */
			c = &a->cpu_ts[ev->cpu];
	}
	if (c->seen && ev->ts < c->last_ts) {
		a->an.ts_backwards++;
		c->backs++;
		return;
	}
	if (c->seen && ev->pid != c->last_pid) {
		c->other_seen = true;
		c->other_ts = c->last_ts;
	}
	c->seen = true;
	c->last_ts = ev->ts;
	c->last_pid = ev->pid;
}

struct anl_cpu_ts *anl_cpu_ts_of(struct anl_ctx *a, int32_t cpu)
{
	return cpu >= 0 && cpu < a->nr_cpu_ts ? &a->cpu_ts[cpu] : &a->cpu_ts_other;
}

/*
 * When a kswapd interval whose start the trace does not show began: after
 * the last event of another task on its CPU (an excerpt shows who ran
 * before), else at the trace's start (a capture from its start: kswapd ran
 * from there).  Never from the start when the CPU shows another task first.
 */
uint64_t anl_kswapd_run_start(struct anl_ctx *a, int32_t cpu)
{
	const struct anl_cpu_ts *c = anl_cpu_ts_of(a, cpu);

	return c->other_seen ? c->other_ts : a->first_ts;
}

/* ---- public ------------------------------------------------------------- */

int anl_new(const struct anl_opts *opts, struct anl_ctx **out)
{
	struct anl_ctx *a;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ANL_ENOMEM;
	if (opts)
		a->opts = *opts;
	a->first_ts = PRS_NO_VALUE;
	for (int e = 0; e < 2; e++)
		for (int s = 0; s < 2; s++)
			snprintf(a->tot[e][s].by_gfp[ANL_GFP_CLASSES - 1].name,
				 sizeof(a->tot[e][s].by_gfp[0].name), "unknown");
	*out = a;
	return 0;
}

/*
 * An event whose task the trace does not name (function_graph text before
 * its CPU's first context-switch banner, without funcgraph-proc): the task
 * running on that CPU, one per CPU, "CPU N, task unknown" with pid -1 in
 * the records and sums.  Keyed below -1 so that it is no real pid.
 */
static struct anl_task *unknown_task(struct anl_ctx *a, int32_t cpu)
{
	struct anl_task *t = anl_task_get(a, cpu >= 0 ? -2 - cpu : INT32_MIN);

	if (t && !t->comm[0]) {
		if (cpu >= 0)
			snprintf(t->comm, sizeof(t->comm), "CPU %d, task unknown", (int)cpu);
		else
			snprintf(t->comm, sizeof(t->comm), "task unknown");
		t->comm_settled = true;
	}
	return t;
}

int anl_feed(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_task *t = NULL;

	if (a->finished)
		return -ANL_ESTATE;
	a->cur_recorder = false;
	if (!a->seen_any) {
		a->seen_any = true;
		a->first_ts = ev->ts;
	} else if (ev->ts < a->first_ts) {
		a->first_ts = ev->ts;	/* lines out of time order: the window is their earliest */
	}
	if (ev->kind != PRS_EV_LOST && ev->kind != PRS_EV_FRAME)
		ts_order(a, ev);	/* frames come when the compositor wrote them: late */
	if (ev->ts > a->last_ts)
		a->last_ts = ev->ts;

	switch (ev->kind) {
	case PRS_EV_LOST:
		lost_event(a, ev);
		return 0;
	case PRS_EV_PRINT:
		anl_print_event(a, ev);
		return anl_jank_print(a, ev);
	case PRS_EV_FRAME:
		return anl_jank_frame_event(a, ev);
	case PRS_EV_SCHED_SWITCH:
		anl_sched_switch(a, ev);
		return 0;
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_KSWAPD_SLEEP:
		anl_kswapd_wake_sleep(a, ev);
		return 0;
	case PRS_EV_OTHER:
		return 0;
	default:
		break;
	}

	/* runs of one task's events are the common case: its table lookup once per run */
	if (ev->pid >= 0)
		t = a->last_task && a->last_task->key == ev->pid ? a->last_task :
		    anl_task_get(a, ev->pid);
	else
		t = unknown_task(a, ev->cpu);
	a->last_task = t;
	if (!t)
		return -ANL_ENOMEM;
	t->last_cpu = ev->cpu;
	if (ev->comm && ev->comm[0] && (!t->comm[0] || (t->comm[0] == '<' && ev->comm[0] != '<')))
		task_comm(t, ev);	/* a task's first event names it (the recorder's comm); a
					 * later one a task its first lines left "<...>" */
	a->cur_recorder = !a->opts.include_recorder && is_recorder(a, t);

	switch (ev->kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE:
		if (ev->kind == PRS_EV_FUNC_ENTRY || ev->kind == PRS_EV_KPROBE)
			task_comm(t, ev);
		if (a->opts.mode == ANL_MODE_EVENTS)
			return 0;
		return anl_fn_event(a, t, ev);
	default:
		anl_tp_event(a, t, ev);
		return 0;
	}
}

int anl_set_vmstat(struct anl_ctx *a, bool after, const char *text, size_t len)
{
	int ret = anl_vmstat_parse(&a->vm[after ? 1 : 0], text, len);

	if (ret == 0)
		a->vm_from_files = true;
	return ret;
}

int anl_set_vmstat_trace(struct anl_ctx *a, const char *before, size_t blen, const char *after,
			 size_t alen, const char *source)
{
	struct anl_vmstat vm[2] = { { 0 } };
	int ret;

	if (a->vm_from_files || (a->vm[0].present && a->vm[1].present))
		return 0;	/* files, or the capture's own markers, say it first */
	ret = anl_vmstat_parse(&vm[0], before, blen);
	if (!ret)
		ret = anl_vmstat_parse(&vm[1], after, alen);
	if (ret)
		return ret;
	a->vm[0] = vm[0];
	a->vm[1] = vm[1];
	a->vm_trace_source = source;
	return 0;
}

void anl_set_ring_stats(struct anl_ctx *a, uint64_t overrun, uint64_t dropped)
{
	/* the file's header wins over markers: both describe the same buffers */
	a->an.ring_known = true;
	a->an.ring_overrun = overrun;
	a->an.ring_dropped = dropped;
}

void anl_set_trace_span(struct anl_ctx *a, uint64_t first_ts, uint64_t last_ts)
{
	if (first_ts == PRS_NO_VALUE || last_ts < first_ts)
		return;
	a->span_known = true;
	a->span_first = first_ts;
	a->span_last = last_ts;
}

void anl_set_no_timestamps(struct anl_ctx *a)
{
	a->no_timestamps = true;
}

void anl_set_elided(struct anl_ctx *a, uint64_t n)
{
	a->elided = n;
}

int anl_set_kernel(struct anl_ctx *a, const char *release)
{
	if (!release || a->kernel)
		return 0;
	a->kernel = strdup(release);
	return a->kernel ? 0 : -ANL_ENOMEM;
}

int anl_set_clock(struct anl_ctx *a, const char *clock)
{
	char *c;

	if (!clock || !clock[0])
		return 0;
	c = strdup(clock);
	if (!c)
		return -ANL_ENOMEM;
	free(a->clock);
	a->clock = c;
	return 0;
}

void anl_set_ring_page_size(struct anl_ctx *a, uint32_t bytes)
{
	a->page_size_ring = bytes;
}

/* tracefs's clocks by what they count (kernel/trace/trace.c: trace_clocks[], in_ns) */
static void clock_kind(struct anl_model *m)
{
	static const char *const per_cpu[] = { "local", "perf" };
	static const char *const not_ns[] = { "counter", "uptime", "x86-tsc", "ppc-tb" };

	if (!m->clock)
		return;
	for (size_t i = 0; i < sizeof(per_cpu) / sizeof(per_cpu[0]); i++)
		m->clock_per_cpu |= !strcmp(m->clock, per_cpu[i]);
	for (size_t i = 0; i < sizeof(not_ns) / sizeof(not_ns[0]); i++)
		m->clock_not_ns |= !strcmp(m->clock, not_ns[i]);
}

static int sum_cmp(const void *x, const void *y)
{
	const struct anl_task_sum *p = x, *q = y;

	if (p->stall_ns != q->stall_ns)
		return p->stall_ns < q->stall_ns ? 1 : -1;
	if (p->slow != q->slow)
		return p->slow < q->slow ? 1 : -1;
	if (p->pid != q->pid)
		return p->pid < q->pid ? -1 : 1;
	return strcmp(p->comm, q->comm);	/* unknown tasks: pid -1 each, by CPU */
}

/* Events mode reads stall episodes too: a trace with stage tracepoints and no mm_page_alloc. */
static bool stall_events(const struct anl_totals *r)
{
	return r->reclaim_begin || r->try_compact || r->compact_runs_inferred ||
	       r->wakeup_kswapd_slow || r->mark_victim || r->retry_rounds || r->compact_retries ||
	       r->oom_fn_calls;
}

int anl_finish(struct anl_ctx *a, const struct anl_model **out)
{
	struct anl_model *m = &a->model;
	int est, scope;
	size_t n = 0;

	if (a->finished) {
		*out = m;
		return 0;
	}
	if (a->opts.kernel) {
		int x, y, tx, ty;

		if (anl_kernel_version(a->opts.kernel, &x, &y))
			return -ANL_EINVAL;
		/* Debian's uname says 6.1.0-56 for 6.1.192: only major.minor can contradict */
		if (!anl_kernel_version(a->kernel, &tx, &ty) && (tx != x || ty != y))
			return -ANL_EKERNEL;
	}
	/* the whole trace: its first to last event, those the analyzer does not read too */
	if (a->span_known) {
		if (!a->seen_any || a->span_first < a->first_ts)
			a->first_ts = a->span_first;
		if (a->span_last > a->last_ts)
			a->last_ts = a->span_last;
		a->seen_any = true;
	}
	/* what is still open is cut at the last event */
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];

		if (!t)
			continue;
		a->cur_recorder = !a->opts.include_recorder && is_recorder(a, t);
		while (t->depth) {
			struct anl_frame *f = &t->stack[t->depth - 1];

			/*
			 * An excerpt's allocation that began before it and whose
			 * mm_page_alloc it shows: that is its last act (the end of
			 * __alloc_pages()): it ended there, its return cut off.
			 */
			if ((f->rec.flags & ANL_REC_PARTIAL) && (f->saw_page_alloc || f->page_alloc_failed)) {
				a->an.exit_without_entry++;
				anl_frame_pop(a, t, 0, f->page_alloc_ts, PRS_NO_VALUE, -1);
				continue;
			}
			a->an.open_at_end++;
			anl_frame_pop(a, t, ANL_REC_OPEN_AT_END, a->last_ts, PRS_NO_VALUE, -1);
		}
	}
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];

		if (t && t->ev.pending) {
			a->cur_recorder = !a->opts.include_recorder && is_recorder(a, t);
			/* without mm_page_alloc an episode ends at its last event, unless inside its reclaim */
			if (a->seen_page_alloc_tp || t->ev.reclaim_open)
				anl_ev_open_at_end(a, t);
			else
				anl_ev_episode_end(a, t);
		}
	}
	a->cur_recorder = false;
	for (int i = 0; i < a->nr_cpus; i++)
		if (a->cpus[i].kswapd_running)
			anl_busy_add(a, a->cpus[i].since, a->last_ts, true, i);
	for (int nid = 0; nid < ANL_MAX_NODES; nid++)
		if (a->node_awake[nid])
			anl_busy_add(a, a->node_since[nid], a->last_ts, false, nid);
	if (a->win_state == 1)
		a->win_end = a->last_ts;
	a->finished = true;

	if (a->opts.mode != ANL_MODE_AUTO)
		m->mode = a->opts.mode;
	else if (a->seen_graph)
		m->mode = a->seen_retval ? ANL_MODE_GRAPH_RETVAL : ANL_MODE_GRAPH;
	else if (a->seen_kprobe)
		m->mode = ANL_MODE_RETPROBE;
	else if (a->seen_freelist)
		m->mode = ANL_MODE_FREELIST;
	else
		m->mode = ANL_MODE_EVENTS;
	m->mode_forced = a->opts.mode != ANL_MODE_AUTO;
	m->modes_supported = (a->has_graph ? 1u << ANL_MODE_GRAPH : 0) |
			     (a->has_retval ? 1u << ANL_MODE_GRAPH_RETVAL : 0) |
			     (a->has_kprobe ? 1u << ANL_MODE_RETPROBE : 0) |
			     (a->has_freelist ? 1u << ANL_MODE_FREELIST : 0) |
			     (a->seen_page_alloc_tp || stall_events(&a->raw[ALL]) ?
			      1u << ANL_MODE_EVENTS : 0);
	if (m->mode == ANL_MODE_EVENTS) {
		static const char no_fn[] = "tracepoints only: no function events";

		m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS] = no_fn;
		m->stage_absent[ANL_STAGE_MIN_WATERMARK] = no_fn;
		m->stage_absent[ANL_STAGE_RETRY_LOOP] = no_fn;
		m->stage_absent[ANL_STAGE_AFTER_RECLAIM] = no_fn;
	} else if (m->mode == ANL_MODE_FREELIST) {
		m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS] = "not probed in freelist mode";
	} else if (!a->wake_fn_seen && !(a->wake_fn_listed && m->mode != ANL_MODE_RETPROBE)) {
		/* graph: not traced, or no slow path called it (gfp without __GFP_KSWAPD_RECLAIM) */
		m->stage_absent[ANL_STAGE_WAKE_ALL_KSWAPDS] = m->mode == ANL_MODE_RETPROBE ?
			"not probed in retprobe mode" : "no call in the trace: not traced, or never called";
	}
	est = m->mode == ANL_MODE_EVENTS ? EST : EXACT;
	scope = a->win_state && !a->opts.no_window ? WIN : ALL;
	m->window_from_markers = scope == WIN;
	m->window_source = scope != WIN ? "whole trace" :
			   a->win_state == 1 ? anl_window_unclosed(a->win_source) : a->win_source;
	m->first_ts = a->seen_any ? a->first_ts : 0;
	m->last_ts = a->last_ts;
	m->window_ns = scope == WIN ? a->win_end - a->win_begin :
		       (a->seen_any ? a->last_ts - a->first_ts : 0);
	m->elided = a->elided;
	m->reclaim_visible = a->raw[ALL].reclaim_begin || a->raw[ALL].reclaim_end || a->reclaim_fn_seen;
	if (a->no_timestamps) {
		m->window_unknown = true;
		m->window_ns = 0;
		m->window_source = "unknown: no timestamps";
	}

	m->scope = a->tot[est][scope];
	memcpy(m->scope.by_gfp, a->tot[est][scope].by_gfp, sizeof(m->scope.by_gfp));
	for (int i = 0; i < a->tot[EXACT][ALL].nr_gfp; i++)
		memcpy(m->scope.by_gfp[i].name, a->tot[EXACT][ALL].by_gfp[i].name,
		       sizeof(m->scope.by_gfp[i].name));
	snprintf(m->scope.by_gfp[ANL_GFP_CLASSES - 2].name, sizeof(m->scope.by_gfp[0].name),
		 "%s", m->scope.by_gfp[ANL_GFP_CLASSES - 2].allocations ? "other" : "");
	m->scope.nr_gfp = a->tot[EXACT][ALL].nr_gfp;
	{
		const struct anl_totals *r = &a->raw[scope];
		struct anl_totals *t = &m->scope;

		t->page_alloc_events = r->page_alloc_events;
		t->page_alloc_pages = r->page_alloc_pages;
		t->page_alloc_failed = r->page_alloc_failed;
		t->page_alloc_unsaid = r->page_alloc_unsaid;
		t->fl_low = r->fl_low;
		t->fl_trylock = r->fl_trylock;
		t->fl_slow = r->fl_slow;
		t->fl_open_before = r->fl_open_before;
		t->fl_open_after = r->fl_open_after;
		t->fl_orphans = r->fl_orphans;
		t->captured = r->captured;
		t->captured_pages = r->captured_pages;
		t->charge_failed_pages = r->charge_failed_pages;
		memcpy(t->rmqueue_by_order, r->rmqueue_by_order, sizeof(t->rmqueue_by_order));
		t->reclaim_begin = r->reclaim_begin;
		t->reclaim_end = r->reclaim_end;
		t->reclaim_zero_ends = r->reclaim_zero_ends;
		t->nr_reclaimed_khugepaged = r->nr_reclaimed_khugepaged;
		t->lru_inactive = r->lru_inactive;
		t->lru_reclaimed = r->lru_reclaimed;
		t->lru_reclaimed_khugepaged = r->lru_reclaimed_khugepaged;
		t->lru_outside = r->lru_outside;
		t->lru_reclaimed_outside = r->lru_reclaimed_outside;
		t->lru_memcg = r->lru_memcg;
		t->lru_reclaimed_memcg = r->lru_reclaimed_memcg;
		t->try_compact = r->try_compact;
		/* the kernel's notion, as the ground truth compares it */
		t->compact_stall_derived = a->seen_compact_fn ? r->compact_stall_fn :
					   r->compact_stall_derived;
		t->compact_try_unsure = r->compact_try_unsure;
		t->compact_stall_fn = r->compact_stall_fn;
		t->compact_begin_direct = r->compact_begin_direct;
		t->compact_begin_other = r->compact_begin_other;
		t->compact_runs_inferred = r->compact_runs_inferred;
		t->retry_rounds = r->retry_rounds;
		t->writepages = r->writepages;
		t->writepages_file = r->writepages_file;
		t->writepages_anon = r->writepages_anon;
		t->writepages_other = r->writepages_other;
		t->memcg_reclaims = r->memcg_reclaims;
		t->memcg_reclaimed = r->memcg_reclaimed;
		t->memcg_reclaim_ns = r->memcg_reclaim_ns;
		t->compact_retries = r->compact_retries;
		t->slab_calls = r->slab_calls;
		t->slab_ns = r->slab_ns;
		t->throttles = r->throttles;
		t->throttle_ns = r->throttle_ns;
		t->oom_fn_calls = r->oom_fn_calls;
		t->compact_deferred = r->compact_deferred;
		t->wakeup_kswapd = r->wakeup_kswapd;
		t->wakeup_kswapd_slow = r->wakeup_kswapd_slow;
		t->mark_victim = r->mark_victim;
		t->kswapd_run_ns = r->kswapd_run_ns;
		t->kswapd_awake_ns = r->kswapd_awake_ns;
		t->oom_calls = a->tot[est][scope].stage[ANL_STAGE_OOM].count;
		t->begin_ts = scope == WIN ? a->win_begin : m->first_ts;
		t->end_ts = scope == WIN ? a->win_end : m->last_ts;
		anl_build_groundtruth(a, m, r);
		/* the KPIs' direct reclaims leave the recorder's out; the ground truth keeps them */
		m->recorder = a->rec[est][scope];
		/* by the final rule: a task named like a recorder before the markers came is not one */
		for (size_t i = 0; i < a->task_cap; i++)
			if (a->task_slots[i] && a->task_slots[i]->recorder_seen &&
			    is_recorder(a, a->task_slots[i]))
				m->recorder.tasks++;
		m->recorder.included = a->opts.include_recorder;
		if (a->seen_recorder_marker)
			snprintf(a->rec_rule, sizeof(a->rec_rule), "allocscope: recorder-pid markers");
		else
			snprintf(a->rec_rule, sizeof(a->rec_rule), "comm %s, no recorder-pid marker",
				 a->rec_comm);
		m->recorder.rule = m->recorder.tasks ? a->rec_rule : NULL;
		if (!a->opts.include_recorder) {
			t->reclaim_begin -= m->recorder.reclaims;
			t->reclaim_end -= a->rec_reclaim_end[scope];
			/* the KPI's LRU pages; the ground truth compared them all, as the kernel counts */
			t->lru_reclaimed -= a->rec_lru_reclaimed[scope];
		}
	}
	m->anomalies = a->an;
	if (est == EST) {	/* kpi.incomplete's records are the anomalies' */
		m->anomalies.incomplete += a->est_incomplete;
		m->anomalies.open_at_end += a->est_open_at_end;
	}
	anl_freelist_model(a, m);
	/*
	 * kprobe misses: the freelist probe's count against the freelist mode,
	 * the others' (the retprobe mode's kretprobes) against the others
	 */
	m->slow_path_exact = est == EXACT && !a->an.lost_markers && !a->an.incomplete &&
			     !a->an.ring_overrun && !a->an.ring_dropped &&
			     !a->an.unmatched_entry &&
			     (m->mode == ANL_MODE_FREELIST ? m->freelist.exact : !a->an.kretprobe_missed);
	m->kernel = a->kernel ? a->kernel : a->opts.kernel;
	m->page_alloc_seen = a->seen_page_alloc_tp;
	m->episodes = est == EST && !a->seen_page_alloc_tp;
	m->clock = a->clock;
	clock_kind(m);
	{
		int u = 0;

		if (m->clock_not_ns)
			m->untold[u++] = "the trace clock counts no ns: durations, the window and rates are "
					 "in its ticks";
		else if (m->clock_per_cpu)
			m->untold[u++] = "the trace clock is per CPU: a task that changed CPU may show its "
					 "events out of order";

		/* what the trace could not tell, one line each */
		if (a->no_timestamps)
			m->untold[u++] = "no timestamps (function_graph without funcgraph-abstime): the "
					 "window and rates per second unknown; durations are the graph's";
		if (!a->seen_page_alloc_tp)
			m->untold[u++] = "no mm_page_alloc: allocations and fast paths unknown; "
					 "slow allocations are stall episodes, inferred";
		if (!a->seen_switch)
			m->untold[u++] = a->seen_kswapd_wake ?
					 "no sched_switch: kswapd CPU is its awake time, an upper bound" :
					 "no sched_switch: kswapd CPU time unknown";
		if (!a->win_state && !a->vm[0].present && !a->vm[1].present)
			m->untold[u++] = "no capture markers or snapshots: perhaps an excerpt, "
					 "its counts are of these lines only";
		if (a->elided) {
			snprintf(a->untold_buf[3], sizeof(a->untold_buf[3]),
				 "the excerpt leaves lines out at %" PRIu64 " line%s such as \"...\": "
				 "counts are of the lines shown, a stall across a gap may hold more",
				 a->elided, a->elided == 1 ? "" : "s");
			m->untold[u++] = a->untold_buf[3];
		}
		if (m->mode == ANL_MODE_FREELIST && !m->freelist.exact) {
			const struct anl_anomalies *an = &a->an;

			if (an->fl_bad_flags)
				snprintf(a->untold_buf[0], sizeof(a->untold_buf[0]),
					 "%" PRIu64 " get_page_from_freelist attempt%s with an alloc_flags no "
					 "kernel passes (first 0x%" PRIx64 "): slow paths not exact",
					 an->fl_bad_flags, an->fl_bad_flags == 1 ? "" : "s", an->fl_first_bad);
			else if (an->fl_missed)
				snprintf(a->untold_buf[0], sizeof(a->untold_buf[0]),
					 "kprobe_profile: the freelist probe missed %" PRIu64 " hits: slow "
					 "paths not exact", an->fl_missed);
			else
				snprintf(a->untold_buf[0], sizeof(a->untold_buf[0]),
					 "%" PRIu64 " mm_page_alloc and %" PRIu64 " slow attempts with no "
					 "allocation open (a LOW attempt not seen as one): slow paths not exact",
					 an->fl_orphan_page_alloc, an->fl_orphan_attempts);
			m->untold[u++] = a->untold_buf[0];
		} else if (est == EXACT && m->mode != ANL_MODE_FREELIST && a->an.kretprobe_missed) {
			snprintf(a->untold_buf[0], sizeof(a->untold_buf[0]),
				 "kprobe_profile: %" PRIu64 " returns missed (kretprobe maxactive "
				 "exhausted): slow paths not exact", a->an.kretprobe_missed);
			m->untold[u++] = a->untold_buf[0];
		}
		if (est == EXACT && a->an.unmatched_entry) {
			snprintf(a->untold_buf[1], sizeof(a->untold_buf[1]),
				 "%" PRIu64 " alloc entr%s without a return (%" PRIu64 " slow so far, not "
				 "counted as slow paths): slow paths not exact", a->an.unmatched_entry,
				 a->an.unmatched_entry == 1 ? "y" : "ies", a->an.unclosed_slow);
			m->untold[u++] = a->untold_buf[1];
		}
		if (est == EXACT && a->an.outcome_unknown) {
			snprintf(a->untold_buf[2], sizeof(a->untold_buf[2]),
				 "%" PRIu64 " slow allocation%s without mm_page_alloc or return value: "
				 "got a page or failed, unknown (not counted as failed)",
				 a->an.outcome_unknown, a->an.outcome_unknown == 1 ? "" : "s");
			m->untold[u++] = a->untold_buf[2];
		}
		m->untold[u] = NULL;
	}
	m->kernel_given = !a->kernel && a->opts.kernel;
	m->jank = anl_jank_finish(a);
	{
		int x, y;

		/*
		 * 7.0 rewrote __alloc_pages_slowpath(): every pass through
		 * retry: wakes kswapd and makes the one freelist attempt
		 * before reclaim (6.x makes one at restart: and another at
		 * retry:), and costly or unmovable orders > 0 compact first
		 * (compact_first) instead of before the loop
		 */
		if (m->kernel && !anl_kernel_version(m->kernel, &x, &y) && x >= 7 &&
		    m->mode != ANL_MODE_EVENTS)
			m->stage_layout = "kernel 7.0+: min_watermark is the first pass through retry: "
					  "(wake_all_kswapds, then the one freelist attempt of a pass); "
					  "retry_loop counts the passes after it (6.x counts the first "
					  "one too: its retry: attempt follows the min-watermark one); "
					  "costly and unmovable orders > 0 compact before the first reclaim";
	}

	if (a->seen_kswapd_switch && a->kswapd_unordered) {
		/* a run across a step back in time has no length: not clamped, not measured */
		snprintf(a->kswapd_note, sizeof(a->kswapd_note),
			 "not measured: %" PRIu64 " kswapd run%s across events out of time order "
			 "on its CPU (a paste? see ts_backwards)", a->kswapd_unordered,
			 a->kswapd_unordered == 1 ? "" : "s");
		m->kswapd_known = false;
		m->kswapd_source = a->kswapd_note;
	} else if (a->seen_kswapd_switch) {
		m->kswapd_known = true;
		m->kswapd_source = "sched_switch run time";
		if (a->kswapd_unstarted) {
			snprintf(a->kswapd_note, sizeof(a->kswapd_note),
				 "sched_switch run time, upper bound: %" PRIu64 " kswapd run%s without "
				 "its switch-in, counted from its CPU's last other task",
				 a->kswapd_unstarted, a->kswapd_unstarted == 1 ? "" : "s");
			m->kswapd_source = a->kswapd_note;
		}
		m->kswapd_cpu_percent = m->window_ns ?
			100.0 * (double)m->scope.kswapd_run_ns / (double)m->window_ns : 0;
	} else if (a->seen_switch && !a->seen_kswapd_wake) {
		/* scheduling was traced and kswapd never ran: 0, not unknown */
		m->kswapd_known = true;
		m->kswapd_source = "sched_switch run time (kswapd never ran)";
		m->kswapd_cpu_percent = 0;
	} else if (a->seen_kswapd_wake) {
		m->kswapd_known = true;
		m->kswapd_source = "kswapd_wake..kswapd_sleep awake time (upper bound, no sched_switch)";
		m->kswapd_cpu_percent = m->window_ns ?
			100.0 * (double)m->scope.kswapd_awake_ns / (double)m->window_ns : 0;
	}
	if (a->kswapd_ticks_known[0] && a->kswapd_ticks_known[1] && m->window_ns &&
	    a->kswapd_ticks[1] >= a->kswapd_ticks[0]) {
		uint64_t hz = a->clk_tck ? a->clk_tck : 100;

		m->kswapd_stat_known = true;
		m->kswapd_stat_percent = 100.0 * (double)(a->kswapd_ticks[1] - a->kswapd_ticks[0]) /
					 (double)hz / ((double)m->window_ns / 1e9);
		m->kswapd_stat_ns = (a->kswapd_ticks[1] - a->kswapd_ticks[0]) * 1000000000ull / hz;
	}
	if (a->page_size_marker) {
		m->page_size = a->page_size_marker;
		m->page_size_source = "recorder marker";
	} else if (a->page_size_ring) {
		m->page_size = a->page_size_ring;
		m->page_size_source = "trace.dat ring-buffer page";
	}
	if (a->kswapd_sched_known[0] && a->kswapd_sched_known[1] && m->window_ns &&
	    a->kswapd_sched_ns[1] >= a->kswapd_sched_ns[0]) {
		m->kswapd_sched_known = true;
		m->kswapd_sched_percent = 100.0 * (double)(a->kswapd_sched_ns[1] - a->kswapd_sched_ns[0]) /
					  (double)m->window_ns;
		m->kswapd_sched_ns = a->kswapd_sched_ns[1] - a->kswapd_sched_ns[0];
	}
	if (a->kswapd_read_known[0] && a->kswapd_read_known[1] && a->seen_switch &&
	    a->kswapd_read_ts[1] >= a->kswapd_read_ts[0] &&
	    a->kswapd_read_run[1] >= a->kswapd_read_run[0]) {
		m->kswapd_span_known = true;
		m->kswapd_span_marked = a->kread_seen[1];
		if (a->kread_seen[0] && a->kread_seen[1] && a->kread_lo_known && a->read_seen[1] &&
		    a->run_at_read[1] >= a->kread_run[0] && a->kread_run[1] >= a->kread_lo_run) {
			m->kswapd_span_bounded = true;
			m->kswapd_span_run_min_ns = a->run_at_read[1] - a->kread_run[0];
			m->kswapd_span_run_max_ns = a->kread_run[1] - a->kread_lo_run;
		}
		m->kswapd_span_ns = a->kswapd_read_ts[1] - a->kswapd_read_ts[0];
		m->kswapd_span_run_ns = a->kswapd_read_run[1] - a->kswapd_read_run[0];
	}

	a->sums = calloc(a->nr_tasks ? a->nr_tasks : 1, sizeof(*a->sums));
	if (!a->sums)
		return -ANL_ENOMEM;
	for (size_t i = 0; i < a->task_cap; i++) {
		struct anl_task *t = a->task_slots[i];
		struct anl_task_sum *s;

		if (!t || !t->sum[est][scope].allocations)
			continue;
		s = &a->sums[n++];
		*s = t->sum[est][scope];
		s->pid = t->pid;
		s->tgid = t->tgid;
		snprintf(s->comm, sizeof(s->comm), "%s", t->comm);
	}
	qsort(a->sums, n, sizeof(*a->sums), sum_cmp);
	m->tasks = a->sums;
	m->nr_tasks = n;
	*out = m;
	return 0;
}

const char *anl_trace_kernel(const struct anl_ctx *a)
{
	return a->kernel;
}

void anl_free(struct anl_ctx *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->task_cap; i++) {
		if (a->task_slots[i]) {
			free(a->task_slots[i]->stack);
			free(a->task_slots[i]);
		}
	}
	free(a->task_slots);
	free(a->fn);
	free(a->cpus);
	free(a->cpu_ts);
	free(a->kernel);
	free(a->clock);
	free(a->fl_probe);
	free(a->sums);
	anl_jank_free(a);
	free(a);
}
