// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope stalls: the individual slow allocations behind a jank, for a
 * post-mortem.  Memory is bounded by --top whatever the trace length:
 *
 *   pass 1  every finished slow allocation that passes the filter goes
 *           through a min-heap of the @top longest;
 *   pass 2  the same trace replayed: each selected stall collects what
 *           overlapped it — kswapd CPU time (sched_switch spans), kswapd
 *           awake (kswapd_wake/sleep), other tasks' slow allocations.
 *
 * The analyzer is deterministic, so record ids of both passes agree.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report-local.h"

#define STALL_MAX_PIDS	16	/* distinct other tasks remembered per stall */

struct stall {
	struct anl_alloc rec;		/* comm/gfp_str point into the fields below */
	char		comm[32];
	char		gfp[128];
	uint64_t	kswapd_run_ns;	/* kswapd CPU time inside [start, end] */
	bool		kswapd_awake;
	bool		kswapd_seen;	/* any kswapd span at all in the trace */
	uint32_t	other_allocs;	/* other tasks' slow allocations overlapping */
	uint32_t	nr_pids;
	bool		pids_capped;
	int32_t		pids[STALL_MAX_PIDS];
};

struct rpt_stalls {
	struct rpt_stalls_filter flt;
	struct stall	*heap;		/* min-heap by (latency, -id) while selecting */
	unsigned int	n, cap;
	uint64_t	slow_total;	/* slow allocations seen in pass 1 */
	uint64_t	no_latency;	/* ... without a latency (open at end, lost events) */
	uint64_t	matched;	/* ... that passed the filter */
	bool		any_kswapd_span;
	bool		any_kswapd_run;		/* ... from sched_switch: run time known */
};

int rpt_stalls_new(const struct rpt_stalls_filter *flt, struct rpt_stalls **out)
{
	struct rpt_stalls *st;

	*out = NULL;
	if (!flt || !flt->top)
		return -RPT_EINVAL;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -RPT_ENOMEM;
	st->flt = *flt;
	st->cap = flt->top;
	st->heap = calloc(st->cap, sizeof(*st->heap));
	if (!st->heap) {
		free(st);
		return -RPT_ENOMEM;
	}
	*out = st;
	return 0;
}

void rpt_stalls_free(struct rpt_stalls *st)
{
	if (!st)
		return;
	free(st->heap);
	free(st);
}

/* a ranks below b: shorter, or as long and later (ties keep the earlier) */
static bool below(const struct stall *a, const struct stall *b)
{
	if (a->rec.latency_ns != b->rec.latency_ns)
		return a->rec.latency_ns < b->rec.latency_ns;
	return a->rec.id > b->rec.id;
}

static void swap_st(struct stall *a, struct stall *b)
{
	struct stall t = *a;

	*a = *b;
	*b = t;
}

static void sift_down(struct rpt_stalls *st, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, r = l + 1, m = i;

		if (l < st->n && below(&st->heap[l], &st->heap[m]))
			m = l;
		if (r < st->n && below(&st->heap[r], &st->heap[m]))
			m = r;
		if (m == i)
			return;
		swap_st(&st->heap[i], &st->heap[m]);
		i = m;
	}
}

static void sift_up(struct rpt_stalls *st, unsigned int i)
{
	while (i) {
		unsigned int p = (i - 1) / 2;

		if (!below(&st->heap[i], &st->heap[p]))
			return;
		swap_st(&st->heap[i], &st->heap[p]);
		i = p;
	}
}

static bool passes(const struct rpt_stalls_filter *f, const struct anl_alloc *r)
{
	if (r->latency_ns < f->min_ns)
		return false;
	if (f->pid >= 0 && r->pid != f->pid && r->tgid != f->pid)
		return false;
	if (f->comm && (!r->comm || strcmp(r->comm, f->comm)))
		return false;
	return r->end_ts >= f->from_ts && r->start_ts <= f->to_ts;
}

static void fill(struct stall *s, const struct anl_alloc *r)
{
	memset(s, 0, sizeof(*s));
	s->rec = *r;
	snprintf(s->comm, sizeof(s->comm), "%s", r->comm ? r->comm : "");
	snprintf(s->gfp, sizeof(s->gfp), "%s", r->gfp_str ? r->gfp_str : "");
	s->rec.comm = s->comm;
	s->rec.gfp_str = r->gfp_str ? s->gfp : NULL;
}

void rpt_stalls_select(struct rpt_stalls *st, const struct anl_alloc *rec)
{
	struct stall cand;

	if (rec->outcome == ANL_FAST)
		return;
	st->slow_total++;
	if (rec->latency_ns == PRS_NO_VALUE) {
		st->no_latency++;
		return;
	}
	if (!passes(&st->flt, rec))
		return;
	st->matched++;
	if (st->n < st->cap) {
		fill(&st->heap[st->n++], rec);
		sift_up(st, st->n - 1);
		return;
	}
	fill(&cand, rec);
	if (!below(&st->heap[0], &cand))
		return;
	st->heap[0] = cand;
	st->heap[0].rec.comm = st->heap[0].comm;
	st->heap[0].rec.gfp_str = rec->gfp_str ? st->heap[0].gfp : NULL;
	sift_down(st, 0);
}

static int by_latency(const void *x, const void *y)
{
	const struct stall *a = x, *b = y;

	return below(a, b) ? 1 : below(b, a) ? -1 : 0;
}

static int by_time(const void *x, const void *y)
{
	const struct stall *a = x, *b = y;

	if (a->rec.start_ts != b->rec.start_ts)
		return a->rec.start_ts < b->rec.start_ts ? -1 : 1;
	return a->rec.id < b->rec.id ? -1 : a->rec.id > b->rec.id;
}

void rpt_stalls_end_select(struct rpt_stalls *st)
{
	qsort(st->heap, st->n, sizeof(*st->heap), st->flt.by_time ? by_time : by_latency);
	for (unsigned int i = 0; i < st->n; i++) {	/* qsort moved them: re-point */
		st->heap[i].rec.comm = st->heap[i].comm;
		if (st->heap[i].rec.gfp_str)
			st->heap[i].rec.gfp_str = st->heap[i].gfp;
	}
}

static uint64_t overlap(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	uint64_t s = s1 > s2 ? s1 : s2, e = e1 < e2 ? e1 : e2;

	return e > s ? e - s : 0;
}

static bool overlaps(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
	return s1 <= e2 && s2 <= e1;
}

void rpt_stalls_context_record(struct rpt_stalls *st, const struct anl_alloc *rec)
{
	if (rec->outcome == ANL_FAST)
		return;
	for (unsigned int i = 0; i < st->n; i++) {
		struct stall *s = &st->heap[i];
		bool known = false;

		if (rec->pid == s->rec.pid ||
		    !overlaps(rec->start_ts, rec->end_ts, s->rec.start_ts, s->rec.end_ts))
			continue;
		s->other_allocs++;
		for (uint32_t k = 0; k < s->nr_pids; k++)
			known = known || s->pids[k] == rec->pid;
		if (known)
			continue;
		if (s->nr_pids < STALL_MAX_PIDS)
			s->pids[s->nr_pids++] = rec->pid;
		else
			s->pids_capped = true;
	}
}

void rpt_stalls_context_span(struct rpt_stalls *st, const struct anl_span *sp)
{
	if (sp->kind != ANL_SPAN_KSWAPD_RUN && sp->kind != ANL_SPAN_KSWAPD_AWAKE)
		return;
	st->any_kswapd_span = true;
	st->any_kswapd_run |= sp->kind == ANL_SPAN_KSWAPD_RUN;
	for (unsigned int i = 0; i < st->n; i++) {
		struct stall *s = &st->heap[i];

		if (sp->kind == ANL_SPAN_KSWAPD_RUN)
			s->kswapd_run_ns += overlap(sp->start_ts, sp->end_ts, s->rec.start_ts,
						    s->rec.end_ts);
		else if (overlaps(sp->start_ts, sp->end_ts, s->rec.start_ts, s->rec.end_ts))
			s->kswapd_awake = true;
	}
}

/* ---- rendering ---------------------------------------------------------- */


static const char *fmt_ts(char *buf, size_t len, uint64_t ts)
{
	snprintf(buf, len, "%" PRIu64 ".%06" PRIu64, ts / 1000000000u, ts % 1000000000u / 1000u);
	return buf;
}

static const char *fmt_rel(char *buf, size_t len, uint64_t ts, uint64_t base)
{
	uint64_t d = ts >= base ? ts - base : base - ts;

	snprintf(buf, len, "%c%" PRIu64 ".%06" PRIu64 "s", ts >= base ? '+' : '-', d / 1000000000u,
		 d % 1000000000u / 1000u);
	return buf;
}

static const char *outcome_word(const struct anl_alloc *r, const struct anl_model *m)
{
	bool only = (r->flags & ANL_REC_COMPACT_ONLY) && m->reclaim_visible;

	if (r->outcome == ANL_FAILED)
		return only ? "FAILED, compaction only" : "FAILED";
	return only ? "slow, compaction only" : "slow";
}

/* "compaction 3x 13.4ms, direct_reclaim 2x 33.2ms, ..., other 250.2ms" */
static void breakdown(char *buf, size_t len, const struct anl_alloc *r)
{
	/* the stage names of every report, in the order the slow path runs them */
	static const struct { enum anl_stage st; const char *word; } parts[] = {
		{ ANL_STAGE_WAKE_ALL_KSWAPDS,	"wake_all_kswapds" },
		{ ANL_STAGE_KSWAPD_WOKEN,	"kswapd_woken" },
		{ ANL_STAGE_MIN_WATERMARK,	"min_watermark" },
		{ ANL_STAGE_COMPACTION,		"compaction" },
		{ ANL_STAGE_RETRY_LOOP,		"retry_loop" },
		{ ANL_STAGE_DIRECT_RECLAIM,	"direct_reclaim" },
		{ ANL_STAGE_AFTER_RECLAIM,	"after_reclaim" },
		{ ANL_STAGE_OOM,		"oom" },
	};
	char b[24], c[32];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		enum anl_stage s = parts[i].st;

		if (!r->stage_count[s] || o >= len)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s %sx%s%s, ", parts[i].word,
				      rpt_fmt_count(c, sizeof(c), r->stage_count[s]),
				      r->stage_ns[s] ? " " : "",
				      r->stage_ns[s] ? rpt_fmt_ns(b, sizeof(b), r->stage_ns[s]) : "");
	}
	if (o < len)
		snprintf(buf + o, len - o, "other %s",
			 rpt_fmt_ns(b, sizeof(b), r->stage_ns[ANL_STAGE_OTHER]));
}

/* Where the stall's time went, from the events that tell it; false when none did. */
static bool explain(char *buf, size_t len, const struct anl_alloc *r)
{
	char b[48], c[32];
	size_t o = 0;

	buf[0] = '\0';
	if (r->retry_rounds && o < len) {
		o += (size_t)snprintf(buf + o, len - o, "%s reclaim retry round%s (no_progress_loops up "
				      "to %d): %s", rpt_fmt_count(c, sizeof(c), r->retry_rounds),
				      r->retry_rounds == 1 ? "" : "s", r->retry_loops_max,
				      rpt_retry_end_words(r->retry_end));
		if (o < len && (r->retry_end == ANL_RETRY_RAN_OUT || r->retry_end == ANL_RETRY_NO_ZONE))
			o += (size_t)snprintf(buf + o, len - o, "; then %sunless the cpuset's nodes "
					      "changed meanwhile (check_retry_cpuset(): restart), %s%s",
					      r->order > 0 ? "should_compact_retry() (compact_retry), "
					      "then " : r->order == 0 ? "(order 0: no compaction retry) " : "",
					      rpt_after_retry_words(r->after_retry),
					      r->stage_count[ANL_STAGE_OOM] ? "; the trace shows the OOM" :
					      r->after_retry == ANL_AFTER_OOM ||
					      r->after_retry == ANL_AFTER_UNKNOWN ?
					      "; no OOM in the trace (oom:mark_victim)" : "");
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, ", ");
	}
	if (r->compact_retries && o < len) {
		o += (size_t)snprintf(buf + o, len - o, "%s compact_retry", rpt_fmt_count(c, sizeof(c),
				      r->compact_retries));
		/* should_compact_retry() said no last: the cpuset check, then __alloc_pages_may_oom() */
		if (r->compact_retry_last == 0 && r->retry_end != ANL_RETRY_RAN_OUT &&
		    r->retry_end != ANL_RETRY_NO_ZONE && o < len)
			o += (size_t)snprintf(buf + o, len - o, " (the last said no more: then, unless the "
					      "cpuset's nodes changed meanwhile, %s)",
					      rpt_after_retry_words(r->after_retry));
		else if (r->compact_retry_last == 1 && o < len)
			o += (size_t)snprintf(buf + o, len - o, " (the last said retry)");
		if (o < len)
			o += (size_t)snprintf(buf + o, len - o, ", ");
	}
	if (r->slab_calls && o < len)
		o += (size_t)snprintf(buf + o, len - o, "slab shrinking %s ms in %s call%s, ",
				      rpt_fmt_fixed(b, sizeof(b), r->slab_ns, 1000000, 3),
				      rpt_fmt_count(c, sizeof(c), r->slab_calls),
				      r->slab_calls == 1 ? "" : "s");
	if (r->throttles && o < len)
		o += (size_t)snprintf(buf + o, len - o, "throttled %s ms in %s sleep%s, ",
				      rpt_fmt_fixed(b, sizeof(b), r->throttle_ns, 1000000, 3),
				      rpt_fmt_count(c, sizeof(c), r->throttles),
				      r->throttles == 1 ? "" : "s");
	if (r->writepages && o < len)
		o += (size_t)snprintf(buf + o, len - o, "%s page%s written by its reclaim (%u file, %u "
				      "anon to swap%s), ", rpt_fmt_count(c, sizeof(c), r->writepages),
				      r->writepages == 1 ? "" : "s", r->writepages_file, r->writepages_anon,
				      r->writepages - r->writepages_file - r->writepages_anon ?
				      ", some not said" : "");
	if (!o)
		return false;
	if (o > 2 && o < len)
		buf[o - 2] = '\0';	/* the last ", " */
	return true;
}

/* "34.312281 (+2.300000s)": a filter bound in both clocks */
static const char *fmt_bound(char *buf, size_t len, uint64_t ts, uint64_t base)
{
	char a[32], r[32];

	snprintf(buf, len, "%s (%s)", fmt_ts(a, sizeof(a), ts), fmt_rel(r, sizeof(r), ts, base));
	return buf;
}

int rpt_stalls_text(const struct rpt_stalls *st, const struct rpt_input *in, FILE *f)
{
	const struct anl_model *m = in->model;
	const struct rpt_stalls_filter *flt = &st->flt;
	uint64_t base = m->scope.begin_ts;
	const char *bold = rpt_sgr(in, RPT_SGR_BOLD), *off = rpt_sgr(in, RPT_SGR_RESET);
	char b[4][96], line[1024];

	fprintf(f, "%sallocscope stalls:%s %s%s%s%s%s%s\n", bold, off,
		in->trace_path ? in->trace_path : "-", in->format ? " (" : "",
		in->format ? in->format : "", rpt_container_in(in), rpt_container(in),
		in->format ? ")" : "");
	snprintf(line, sizeof(line), "mode     %s%s", anl_mode_name(m->mode),
		 m->episodes ? " (tracepoints only, no mm_page_alloc): stalling slow paths; a slow path "
		 "is a stall episode, its first .. last stage event (inferred: docs/episodes.md)" :
		 m->mode == ANL_MODE_EVENTS ? " (tracepoints only): stalling slow paths; a slow path "
		 "spans its first stage event .. its mm_page_alloc" : m->slow_path_exact ? " (exact)" :
		 " (events were lost)");
	rpt_put_wrapped(f, 2, line);
	for (int i = 0; m->untold[i]; i++) {
		snprintf(line, sizeof(line), "untold   %s", m->untold[i]);
		rpt_put_wrapped(f, 2, line);
	}
	if (m->window_unknown)
		snprintf(line, sizeof(line), "window   unknown (the trace has no timestamps): TIME and "
			 "+WINDOW are not known; durations are the graph's");
	else
		snprintf(line, sizeof(line), "window   %s .. %s (%s, %s); +WINDOW is relative to its start",
			 fmt_ts(b[0], 96, m->scope.begin_ts), fmt_ts(b[1], 96, m->scope.end_ts),
			 rpt_fmt_ns(b[2], 96, m->window_ns), m->window_source);
	rpt_put_wrapped(f, 2, line);
	if (in->pstats && in->pstats->cut)
		fprintf(f, "  input    %sCUT SHORT at %s %s: only the stalls before it are listed%s\n",
			rpt_sgr(in, RPT_SGR_RED), in->pstats->cut_line ? "line" : "offset",
			rpt_fmt_count(b[0], 96, in->pstats->cut_at), off);
	{
		size_t o = (size_t)snprintf(line, sizeof(line), "filter   latency >= %s",
					    rpt_fmt_ns(b[0], 96, flt->min_ns));

		if (flt->pid >= 0 && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", pid/tgid %d", flt->pid);
		if (flt->comm && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", task '%.64s'", flt->comm);
		if (flt->from_ts && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", from %s",
					      fmt_bound(b[0], 96, flt->from_ts, base));
		if (flt->to_ts != UINT64_MAX && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", to %s",
					      fmt_bound(b[0], 96, flt->to_ts, base));
		if (o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, " (whole trace, not only the window)");
		rpt_put_wrapped(f, 2, line);
	}
	if (m->recorder.rule && !m->recorder.included) {
		snprintf(line, sizeof(line), "recorder its own slow allocations left out (told by %s; "
			 "--include-recorder lists them)", m->recorder.rule);
		rpt_put_wrapped(f, 2, line);
	}
	snprintf(line, sizeof(line), "matched  %s of %s slow allocations; %s listed, %s",
		 rpt_fmt_count(b[0], 96, st->matched), rpt_fmt_count(b[1], 96, st->slow_total),
		 rpt_fmt_count(b[2], 96, st->n),
		 flt->by_time ? "the longest, in time order" : "longest first");
	rpt_put_wrapped(f, 2, line);
	if (st->no_latency) {
		snprintf(line, sizeof(line), "         %s slow allocations have no latency (open at "
			 "the end or across lost events): not listed",
			 rpt_fmt_count(b[0], 96, st->no_latency));
		rpt_put_wrapped(f, 2, line);
	}
	if (!st->n)
		return ferror(f) ? -1 : 0;

	fprintf(f, "\n  %s%3s %10s  %13s %10s %7s %-16s %5s %s%s\n", bold, "#", "TOTAL ms",
		"TIME (trace)", "+WINDOW", "PID", "COMM", "ORDER", "OUTCOME", off);
	for (unsigned int i = 0; i < st->n; i++) {
		const struct stall *s = &st->heap[i];
		const struct anl_alloc *r = &s->rec;
		bool failed = r->outcome == ANL_FAILED;
		char ord[16], pid[16], gfp[160];
		size_t o;

		if (r->order >= 0)
			snprintf(ord, sizeof(ord), "%d", r->order);
		else
			snprintf(ord, sizeof(ord), "?");
		/* pid -1: a CPU's unknown task, "CPU N, task unknown" */
		snprintf(pid, sizeof(pid), r->pid >= 0 ? "%d" : "?", r->pid);
		fprintf(f, "  %3u %s%10s%s  %13s %10s %7s %-16.16s %5s %s%s%s\n", i + 1, bold,
			rpt_fmt_fixed(b[0], 96, r->latency_ns, 1000000, 3), off,
			m->window_unknown ? "?" : fmt_ts(b[1], 96, r->start_ts),
			m->window_unknown ? "?" : fmt_rel(b[2], 96, r->start_ts, base),
			pid, r->comm[0] ? r->comm : "?", ord,
			failed ? rpt_sgr(in, RPT_SGR_RED) : "", outcome_word(r, m),
			failed ? off : "");
		breakdown(line, sizeof(line), r);
		rpt_put_wrapped(f, 8, line);
		if (r->gfp_str && r->gfp_str[0])
			snprintf(gfp, sizeof(gfp), "%s", r->gfp_str);
		else if (r->gfp != PRS_NO_VALUE)	/* only a number: its bits differ by version */
			snprintf(gfp, sizeof(gfp), "%#" PRIx64, r->gfp);
		else
			snprintf(gfp, sizeof(gfp), "?");
		snprintf(line, sizeof(line), "gfp %s; %s pages reclaimed%s%s",
			 gfp,
			 rpt_fmt_count(b[0], 96, r->nr_reclaimed),
			 r->parent_id ? "; nested in another allocation" : "",
			 r->flags & ANL_REC_PARTIAL ?
			 "; the trace begins inside it: its entry and what ran before are not in it" : "");
		rpt_put_wrapped(f, 8, line);
		if (explain(line, sizeof(line), r))
			rpt_put_wrapped(f, 8, line);
		if (m->window_unknown) {
			/* every event at 0: all would overlap */
			rpt_put_wrapped(f, 8, "meanwhile: unknown (no timestamps)");
			continue;
		}
		o = (size_t)snprintf(line, sizeof(line), "meanwhile: ");
		if (st->any_kswapd_run)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "kswapd ran %s (%.0f%%)%s; ",
					      rpt_fmt_ns(b[0], 96, s->kswapd_run_ns),
					      r->latency_ns ? 100.0 * (double)s->kswapd_run_ns /
							      (double)r->latency_ns : 0,
					      s->kswapd_awake ? ", awake" : "");
		else if (st->any_kswapd_span)
			o += (size_t)snprintf(line + o, sizeof(line) - o, "kswapd %s (run time unknown: "
					      "no sched_switch); ", s->kswapd_awake ? "awake" : "asleep");
		else
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      "kswapd unknown (no sched_switch or kswapd_wake/sleep); ");
		snprintf(line + o, sizeof(line) - o, "%s%s other task%s stalled (%s slow allocation%s)",
			 rpt_fmt_count(b[0], 96, s->nr_pids), s->pids_capped ? "+" : "",
			 s->nr_pids == 1 ? "" : "s", rpt_fmt_count(b[1], 96, s->other_allocs),
			 s->other_allocs == 1 ? "" : "s");
		rpt_put_wrapped(f, 8, line);
	}
	return ferror(f) ? -1 : 0;
}

int rpt_stalls_json(const struct rpt_stalls *st, const struct rpt_input *in, FILE *f)
{
	const struct anl_model *m = in->model;

	rpt_json_doc_head(f, in);
	fprintf(f, ", \"slow_paths_counted\": \"%s\", \"episodes\": %s, \"untold\": ",
		m->mode == ANL_MODE_EVENTS ? "stalling" : "all", m->episodes ? "true" : "false");
	rpt_json_untold(f, m);
	fprintf(f, ",\n  \"window_begin_ns\": %" PRIu64 ", \"window_end_ns\": %" PRIu64
		",\n  \"slow_allocations\": %" PRIu64 ", \"without_latency\": %" PRIu64
		", \"matched\": %" PRIu64 ",\n  \"stalls\": [",
		m->scope.begin_ts, m->scope.end_ts, st->slow_total, st->no_latency, st->matched);
	for (unsigned int i = 0; i < st->n; i++) {
		const struct stall *s = &st->heap[i];
		const struct anl_alloc *r = &s->rec;

		fprintf(f, "%s\n    {\"id\": %" PRIu64 ", \"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64
			", \"latency_ns\": %" PRIu64 ", \"pid\": ",
			i ? "," : "", r->id, r->start_ts, r->end_ts, r->latency_ns);
		if (r->pid >= 0)	/* -1: a CPU's unknown task, named in comm */
			fprintf(f, "%d, \"tgid\": ", r->pid);
		else
			fputs("null, \"tgid\": ", f);
		if (r->tgid >= 0)
			fprintf(f, "%d", r->tgid);
		else
			fputs("null", f);
		fprintf(f, ", \"comm\": ");
		rpt_json_str(f, r->comm);
		fprintf(f, ", \"order\": ");
		if (r->order >= 0)
			fprintf(f, "%d", r->order);
		else
			fputs("null", f);
		fprintf(f, ", \"gfp_flags\": ");
		rpt_json_str(f, r->gfp_str);
		fprintf(f, ", \"outcome\": \"%s\", \"nested\": %s, \"stages\": {",
			r->outcome == ANL_FAILED ? "failed" : "slow", r->parent_id ? "true" : "false");
		for (int k = ANL_STAGE_FIRST; k <= ANL_STAGE_OTHER; k++) {
			fprintf(f, "%s\"%s\": ", k ? ", " : "", anl_stage_name(k));
			if (!(r->stage_seen & (1u << k))) {
				fputs("null", f);
				continue;
			}
			fprintf(f, "{\"count\": %u, \"ns\": ", r->stage_count[k]);
			if (r->stage_timed & (1u << k))
				fprintf(f, "%" PRIu64 "}", r->stage_ns[k]);
			else
				fputs("null}", f);
		}
		fprintf(f, "}, \"nr_reclaimed\": %" PRIu64 ", \"episode\": %s, \"retry_rounds\": %u, "
			"\"retry_loops_max\": %d, \"retries_out\": %s, \"compact_retries\": %u, "
			"\"slab_calls\": %u, \"slab_ns\": %" PRIu64 ", \"throttles\": %u, "
			"\"throttle_ns\": %" PRIu64 ", \"writepages\": %u, \"writepages_file\": %u, "
			"\"writepages_anon\": %u, "
			"\"compaction_only\": %s, \"retry_end\": \"%s\", \"after_retry\": ",
			r->nr_reclaimed,
			r->flags & ANL_REC_EPISODE ? "true" : "false", r->retry_rounds, r->retry_loops_max,
			r->flags & ANL_REC_RETRIES_OUT ? "true" : "false", r->compact_retries,
			r->slab_calls, r->slab_ns, r->throttles, r->throttle_ns, r->writepages,
			r->writepages_file, r->writepages_anon,
			!m->reclaim_visible && (r->flags & ANL_REC_COMPACT_ONLY) ? "null" :
			r->flags & ANL_REC_COMPACT_ONLY ? "true" : "false",
			rpt_retry_end_key(r->retry_end));
		if (r->retry_end == ANL_RETRY_RAN_OUT || r->retry_end == ANL_RETRY_NO_ZONE)
			fprintf(f, "\"%s\"", rpt_after_retry_key(r->after_retry));
		else
			fputs("null", f);
		fprintf(f, ", \"kswapd_run_ns\": ");
		if (st->any_kswapd_run)
			fprintf(f, "%" PRIu64, s->kswapd_run_ns);
		else
			fputs("null", f);
		if (st->any_kswapd_span)
			fprintf(f, ", \"kswapd_awake\": %s", s->kswapd_awake ? "true" : "false");
		else
			fputs(", \"kswapd_awake\": null", f);
		fprintf(f, ", \"other_tasks_stalled\": %u, \"other_tasks_capped\": %s"
			", \"other_slow_allocations\": %u}", s->nr_pids,
			s->pids_capped ? "true" : "false", s->other_allocs);
	}
	fprintf(f, "%s]\n}\n", st->n ? "\n  " : "");
	return ferror(f) ? -1 : 0;
}
