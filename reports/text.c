// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ten-second summary: mode and exactness, kernel, window, losses, the
 * KPI block, the stage table, print_log2_hist-style histograms, top tasks,
 * the ground-truth check.
 */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "report-local.h"

static const char *fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns == PRS_NO_VALUE)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", (double)ns / 1e9);
	return buf;
}

/* 1,234,567 in one of the rotating buffers of a printf's arguments */
#define NB	8
struct nums {
	char	b[NB][32];
	int	i;
};

static const char *num(struct nums *n, uint64_t v)
{
	char *b = n->b[n->i++ % NB];

	return rpt_fmt_count(b, sizeof(n->b[0]), v);
}

/* A section title: a blank line, then the title (bold on a terminal). */
static void heading(FILE *f, const struct rpt_input *in, const char *title)
{
	fprintf(f, "\n%s%s%s\n", rpt_sgr(in, RPT_SGR_BOLD), title, rpt_sgr(in, RPT_SGR_RESET));
}

static double per_sec(uint64_t n, uint64_t window_ns)
{
	return window_ns ? (double)n / ((double)window_ns / 1e9) : 0;
}

/* "12.3/s", or "?/s" when the trace has no timestamps */
static const char *rate(char *buf, size_t len, const struct anl_model *m, uint64_t n)
{
	if (m->window_unknown)
		snprintf(buf, len, "?/s");
	else
		snprintf(buf, len, "%.1f/s", per_sec(n, m->window_ns));
	return buf;
}

static const char *fmt_in(char *buf, size_t len, uint64_t ns, uint64_t unit_ns)
{
	return rpt_fmt_fixed(buf, len, ns, unit_ns, 1);
}

/* TOTAL in ms, every latency column in us; a stage the mode cannot see is absent, not 0 */
static void stage_row(FILE *f, const char *name, const struct anl_stat *s, const char *absent)
{
	char b[8][32], c[32];

	if (absent) {
		fprintf(f, "  %-15s %9s   (absent: %s)\n", name, "-", absent);
		return;
	}
	rpt_fmt_count(c, sizeof(c), s->count);
	if (!s->timed) {
		fprintf(f, "  %-15s %9s%s\n", name, c,
			s->count ? "   (count only: no time in this mode)" : "");
		return;
	}
	fprintf(f, "  %-15s %9s %10s %10s %10s %10s %10s %10s %11s\n", name, c,
		fmt_in(b[0], 32, s->total_ns, 1000000), fmt_in(b[1], 32, s->total_ns / s->timed, 1000),
		fmt_in(b[2], 32, anl_stat_percentile(s, 50), 1000),
		fmt_in(b[3], 32, anl_stat_percentile(s, 90), 1000),
		fmt_in(b[4], 32, anl_stat_percentile(s, 99), 1000),
		fmt_in(b[5], 32, anl_stat_percentile(s, 99.9), 1000),
		fmt_in(b[6], 32, s->max_ns, 1000));
}

/* print_log2_hist() of libbpf-tools: power-of-two rows, a 40-column bar. */
static void log2_hist(FILE *f, const struct rpt_input *in, const char *title,
		      const struct anl_hist *h)
{
	static const char stars[] = "****************************************";
	int lo = -1, hi = -1;
	uint64_t max = 0;

	for (int i = 0; i < ANL_HIST_BUCKETS; i++) {
		if (!h->bucket[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
		if (h->bucket[i] > max)
			max = h->bucket[i];
	}
	if (lo < 0)
		return;
	heading(f, in, title);
	fprintf(f, "%24s : %-9s %s\n", "ns", "count", "distribution");
	for (int i = lo; i <= hi; i++) {
		int w = (int)(h->bucket[i] * 40 / max);
		char range[48];

		snprintf(range, sizeof(range), "%" PRIu64 " -> %" PRIu64, anl_hist_low(i),
			 anl_hist_high(i) - 1);
		fprintf(f, "%24s : %-9" PRIu64 " |%-40.*s|\n", range, h->bucket[i], w, stars);
	}
}

/* ns as milliseconds with 3 decimals and thousands separators: "10,305.665" */
static const char *fmt_ms3(char *buf, size_t len, uint64_t ns)
{
	return rpt_fmt_fixed(buf, len, ns, 1000000, 3);
}

static void kpi_block(FILE *f, const struct rpt_input *in)
{
	char b3[48];
	const struct anl_model *m = in->model;
	const struct anl_totals *t = &m->scope;
	bool est = m->mode == ANL_MODE_EVENTS;
	const char *mark = est ? " (estimated)" : "";
	struct nums n = { .i = 0 };

	heading(f, in, "KPIs");
	if (!m->page_alloc_seen && est)
		fprintf(f, "  allocations                    ?   (no mm_page_alloc: allocations and fast "
			"paths unknown)\n");
	else
		fprintf(f, "  allocations           %10s%s\n", num(&n, t->allocations),
			est ? " (mm_page_alloc events; bulk allocations emit none)" : "");
	/* tracepoints count exactly the slow paths that stalled: name the number for what it is */
	if (est && !m->page_alloc_seen)
		fprintf(f, "  stalling slow paths   %10s   %s (stall episodes, inferred: docs/episodes.md)"
			"\n", num(&n, t->slow), rate(b3, sizeof(b3), m, t->slow));
	else
		fprintf(f, "  %s%10s   %s, %.2f per 1,000 allocations%s\n",
			est ? "stalling slow paths   " : "slow-path entries     ",
			num(&n, t->slow), rate(b3, sizeof(b3), m, t->slow),
			t->allocations ? 1000.0 * (double)t->slow / (double)t->allocations : 0, mark);
	if (est)
		fprintf(f, "                                     direct reclaim, direct compaction or OOM, "
			"a kswapd wake, or a failure; all slow paths need an exact mode\n");
	if (est && !m->page_alloc_seen)
		fprintf(f, "  failed (NULL)                  ?   (no mm_page_alloc)\n");
	else
		fprintf(f, "  failed (NULL)         %10s%s\n", num(&n, t->failed),
			est ? "   from mm_page_alloc with page=(nil)" : "");
	if (t->page_alloc_unsaid)
		fprintf(f, "                                     %s mm_page_alloc with neither a page nor a "
			"pfn field: got a page or failed, not said\n", num(&n, t->page_alloc_unsaid));
	if (t->nolock)
		fprintf(f, "  nolock allocations    %10s   ALLOC_TRYLOCK (alloc_pages_nolock()): one attempt, "
			"no slow path; %s got no page\n", num(&n, t->nolock), num(&n, t->nolock_failed));
	if (t->nested)
		fprintf(f, "  nested (in reclaim)   %10s\n", num(&n, t->nested));
	if (m->kswapd_known)
		fprintf(f, "  kswapd CPU            %9.1f %%  of one CPU (%s)\n",
			m->kswapd_cpu_percent, m->kswapd_source);
	else
		fprintf(f, "  kswapd CPU                     ?   (%s)\n",
			m->kswapd_source ? m->kswapd_source : "no sched_switch or kswapd_wake/sleep");
	if (m->kswapd_stat_known)
		fprintf(f, "  kswapd CPU (/proc)    %9.1f %%  from the /proc/PID/stat snapshots\n",
			m->kswapd_stat_percent);
	if (m->kswapd_sched_known)
		fprintf(f, "  kswapd CPU (schedstat)%9.1f %%  from the /proc/PID/schedstat snapshots (ns)\n",
			m->kswapd_sched_percent);
	/* like with like: the snapshots' deltas and sched_switch over the same span, between the reads */
	if (m->kswapd_span_known && (m->kswapd_stat_known || m->kswapd_sched_known)) {
		fprintf(f, "  kswapd run between the snapshot reads (%.3f s): sched_switch %.1f ms",
			(double)m->kswapd_span_ns / 1e9, (double)m->kswapd_span_run_ns / 1e6);
		if (m->kswapd_stat_known)
			fprintf(f, ", /proc/PID/stat %.0f ms (ticks)",
				(double)m->kswapd_stat_ns / 1e6);
		if (m->kswapd_sched_known)
			fprintf(f, ", schedstat %.1f ms", (double)m->kswapd_sched_ns / 1e6);
		fprintf(f, "\n");
		if (m->kswapd_span_bounded)
			fprintf(f, "    (sched_switch %.1f .. %.1f ms wherever in their markers' brackets the reads were)\n",
				(double)m->kswapd_span_run_min_ns / 1e6, (double)m->kswapd_span_run_max_ns / 1e6);
		/*
		 * The % figures above divide by the window; the snapshots count the
		 * span between their reads, and stat rounds utime and stime down to
		 * ticks each: on a short window 2 ticks are points of a percent
		 */
		if (m->kswapd_span_ns > m->window_ns + m->window_ns / 20 ||
		    m->kswapd_span_ns + m->window_ns / 20 < m->window_ns)
			fprintf(f, "    (the snapshots count %.3f s between their reads, the window is %.3f s: "
				"compare like with like here)\n", (double)m->kswapd_span_ns / 1e9,
				(double)m->window_ns / 1e9);
	}
	fprintf(f, "  direct reclaim        %10s   entries (mm_vmscan_direct_reclaim_begin)",
		num(&n, t->reclaim_begin));
	if (t->reclaim_begin)
		fprintf(f, ", %.1f pages/stall", (double)t->nr_reclaimed / (double)t->reclaim_begin);
	fprintf(f, "\n");
	/* sc->nr_reclaimed holds slab pages too; pgsteal_direct (ground truth) the LRU pages only */
	fprintf(f, "  pages reclaimed       %10s   sc->nr_reclaimed: LRU + slab", num(&n, t->nr_reclaimed));
	if (t->lru_inactive)
		fprintf(f, "; %s LRU (pgsteal_direct's)%s", num(&n, t->lru_reclaimed),
			m->elided ? " in the lines shown" : "");
	fprintf(f, "\n");
	if (t->reclaim_loops)
		fprintf(f, "  reclaim loops         %10s   allocations with 2+ reclaims\n",
			num(&n, t->reclaim_loops));
	if (t->compact_runs_inferred)
		fprintf(f, "  direct compaction     %10s   runs in allocating tasks (no try_to_compact_pages "
			"event: by task), %s kcompactd/other runs\n", num(&n, t->compact_runs_inferred),
			num(&n, t->compact_begin_other));
	else
		fprintf(f, "  direct compaction     %10s   tries, %s stalls in the kernel's sense, "
			"%s kcompactd/other runs\n", num(&n, t->try_compact),
			num(&n, t->compact_stall_derived), num(&n, t->compact_begin_other));
	fprintf(f, "  OOM victims           %10s\n", num(&n, t->mark_victim));
	/* what explains where the stalls' time went, where the trace shows it */
	if (t->retry_rounds)
		fprintf(f, "  reclaim retries       %10s   rounds of should_reclaim_retry() "
			"(reclaim_retry_zone) in %s allocation%s: %s reached MAX_RECLAIM_RETRIES (%d), "
			"%s ended with no zone at its watermark\n",
			num(&n, t->retry_rounds), num(&n, t->retry_allocs), t->retry_allocs == 1 ? "" : "s",
			num(&n, t->retries_out), ANL_MAX_RECLAIM_RETRIES, num(&n, t->retry_no_zone));
	if (t->compact_retries)
		fprintf(f, "  compaction retries    %10s   compact_retry (should_compact_retry())\n",
			num(&n, t->compact_retries));
	if (t->slab_calls)
		fprintf(f, "  slab shrinking        %10s   ms in %s shrinker calls inside direct reclaim "
			"(mm_shrink_slab_start..end)\n", fmt_ms3(b3, sizeof(b3), t->slab_ns),
			num(&n, t->slab_calls));
	if (t->throttles)
		fprintf(f, "  reclaim throttled     %10s   ms in %s sleeps (mm_vmscan_throttled; "
			"congestion_wait() inside direct reclaim before 5.16)\n",
			fmt_ms3(b3, sizeof(b3), t->throttle_ns), num(&n, t->throttles));
	if (t->writepages)
		fprintf(f, "  written by reclaim    %10s   pages (folios) pageout() wrote in direct reclaim: "
			"%s file, %s anon to swap%s%s (mm_vmscan_writepage)\n", num(&n, t->writepages),
			num(&n, t->writepages_file), num(&n, t->writepages_anon),
			t->writepages - t->writepages_file - t->writepages_anon ? ", not said " : "",
			t->writepages - t->writepages_file - t->writepages_anon ?
			num(&n, t->writepages - t->writepages_file - t->writepages_anon) : "");
	if (t->writepages_other)
		fprintf(f, "  written elsewhere     %10s   pages pageout() wrote outside direct reclaim "
			"(kswapd, memcg, node reclaim)\n", num(&n, t->writepages_other));
	if (t->compact_only && m->reclaim_visible)
		fprintf(f, "  compaction-only       %10s   slow allocations that compacted and did not "
			"reclaim\n", num(&n, t->compact_only));
	else if (t->compact_only)
		fprintf(f, "  compaction-only              ?   %s compacted; whether they reclaimed too is "
			"not known: no direct reclaim event in the trace\n", num(&n, t->compact_only));
	if (t->memcg_reclaims)
		fprintf(f, "  memcg reclaim         %10s   entries (mm_vmscan_memcg_reclaim_begin): %s pages, "
			"%s ms\n%37sat a cgroup's limit a task's stall, or proactive (memory.reclaim):\n"
			"%37sthe events do not tell; not the allocator's slow path\n",
			num(&n, t->memcg_reclaims), num(&n, t->memcg_reclaimed),
			fmt_ms3(b3, sizeof(b3), t->memcg_reclaim_ns), "", "");
	if (t->oom_fn_calls)
		fprintf(f, "  OOM killer calls      %10s   out_of_memory() (function tracer)\n",
			num(&n, t->oom_fn_calls));
}

static void anomaly_row(FILE *f, const struct rpt_input *in, bool *any, const char *label,
			uint64_t v)
{
	char c[32];

	if (!*any)
		heading(f, in, "Anomalies (counted, see docs/json-schema.md)");
	*any = true;
	fprintf(f, "  %-44s %s%10s%s\n", label, rpt_sgr(in, RPT_SGR_YELLOW),
		rpt_fmt_count(c, sizeof(c), v), rpt_sgr(in, RPT_SGR_RESET));
}

static void anomalies(FILE *f, const struct rpt_input *in)
{
	const struct anl_anomalies *an = &in->model->anomalies;
	const struct prs_stats *ps = in->pstats;
	bool any = false;

	for (size_t i = 0; i < rpt_nr_anomalies; i++) {
		uint64_t v = rpt_anomaly_value(an, i);

		if (!v)
			continue;
		anomaly_row(f, in, &any, rpt_anomalies[i].label, v);
		/* where: the reader saw the same stream */
		if (rpt_anomalies[i].offset == offsetof(struct anl_anomalies, ts_backwards) &&
		    ps && ps->ts_backwards) {
			char cpu[24] = "no CPU";

			if (ps->ts_backwards_cpu >= 0)
				snprintf(cpu, sizeof(cpu), "CPU %d", (int)ps->ts_backwards_cpu);
			fprintf(f, "    first on %s at %" PRIu64 ".%09" PRIu64 ", %u CPU%s, "
				"at most %.3f us back\n", cpu, ps->ts_backwards_at / 1000000000,
				ps->ts_backwards_at % 1000000000, ps->ts_backwards_cpus,
				ps->ts_backwards_cpus == 1 ? "" : "s", (double)ps->ts_backwards_max / 1e3);
		}
	}
	if (ps && (ps->bad_lines || ps->bad_fields))
		anomaly_row(f, in, &any, "unparsable event lines / fields",
			    ps->bad_lines + ps->bad_fields);
	if (ps && ps->ts_unordered)
		anomaly_row(f, in, &any, "events out of time order across CPUs", ps->ts_unordered);
}

static void top_tasks(FILE *f, const struct rpt_input *in)
{
	const struct anl_model *m = in->model;
	unsigned int n = in->top_n;
	struct nums c = { .i = 0 };
	char b[24];

	if (!n || !m->nr_tasks)
		return;
	heading(f, in, "Top tasks by stall time");
	fprintf(f, "  %7s %-16s %10s %8s %7s %11s\n", "PID", "COMM", "ALLOCS", "SLOW", "FAILED",
		"STALL ms");
	for (size_t i = 0; i < m->nr_tasks && i < n; i++) {
		const struct anl_task_sum *t = &m->tasks[i];

		char pid[16];

		/* pid -1: a CPU's unknown task, "CPU N, task unknown" */
		snprintf(pid, sizeof(pid), t->pid >= 0 ? "%d" : "?", t->pid);
		fprintf(f, "  %7s %-16s %10s %8s %7s %11s\n", pid, t->comm[0] ? t->comm : "?",
			num(&c, t->allocations), num(&c, t->slow), num(&c, t->failed),
			rpt_fmt_fixed(b, sizeof(b), t->stall_ns, 1000000, 3));
	}
}

static void breakdowns(FILE *f, const struct rpt_input *in)
{
	const struct anl_totals *t = &in->model->scope;
	struct nums n = { .i = 0 };
	char b[24];

	heading(f, in, "By order");
	fprintf(f, "  %5s %10s %8s %7s %11s\n", "ORDER", "ALLOCS", "SLOW", "FAILED", "STALL ms");
	for (int o = 0; o <= ANL_MAX_ORDER + 1; o++) {
		const struct anl_order *r = &t->by_order[o];

		if (!r->allocations)
			continue;
		if (o <= ANL_MAX_ORDER)
			fprintf(f, "  %5d", o);
		else
			fprintf(f, "  %5s", "?");
		fprintf(f, " %10s %8s %7s %11s\n", num(&n, r->allocations), num(&n, r->slow),
			num(&n, r->failed), rpt_fmt_fixed(b, sizeof(b), r->stall_ns, 1000000, 3));
	}
	heading(f, in, "By gfp class");
	fprintf(f, "  %-28s %10s %8s %7s %11s\n", "CLASS", "ALLOCS", "SLOW", "FAILED", "STALL ms");
	for (int i = 0; i < ANL_GFP_CLASSES; i++) {
		const struct anl_class *c = &t->by_gfp[i];

		if (!c->allocations)
			continue;
		fprintf(f, "  %-28s %10s %8s %7s %11s\n", c->name, num(&n, c->allocations),
			num(&n, c->slow), num(&n, c->failed),
			rpt_fmt_fixed(b, sizeof(b), c->stall_ns, 1000000, 3));
	}
}

/* Counters as /proc/vmstat prints them (no separators): they are compared by eye. */
static void groundtruth(FILE *f, const struct rpt_input *in)
{
	const struct anl_model *m = in->model;
	char title[160];

	if (!m->vmstat_known) {
		heading(f, in, "Ground truth: no vmstat snapshots (in-trace markers or "
			"--vmstat-before/--vmstat-after)");
		return;
	}
	snprintf(title, sizeof(title), "Ground truth: trace vs kernel vmstat deltas, from %s",
		 m->vmstat_source);
	heading(f, in, title);
	if (m->recorder.rule && !m->recorder.included)
		fprintf(f, "  (the trace's counts hold the recorder's tasks, as the kernel's deltas do)\n");
	fprintf(f, "  %-16s %10s %10s %10s  %-8s %s\n", "COUNTER", "ENTRIES", "TRACE", "KERNEL", "MATCH",
		!m->window_from_markers ? "" : rpt_gt_inside(m) ? "INSIDE-WINDOW" : "OUTSIDE-WINDOW");
	for (int i = 0; i < m->nr_gt; i++) {
		const struct anl_gt *g = &m->gt[i];

		fprintf(f, "  %-16s %10" PRIu64 " %10" PRIu64 " ", g->name, g->entries, g->trace);
		if (g->kernel_known)
			fprintf(f, "%10" PRIu64 "  %s%-8s%s", g->kernel,
				rpt_sgr(in, g->match ? RPT_SGR_GREEN :
					g->edge_explained || g->range_explained ? RPT_SGR_YELLOW :
					RPT_SGR_RED),
				g->match ? "yes" : g->range_explained ? "range" :
				!g->edge_explained ? "NO" : anl_gt_beyond_edges(g) ? "bulk" : "edge",
				rpt_sgr(in, RPT_SGR_RESET));
		else
			fprintf(f, "%10s  %-8s", "?", "-");
		if (m->window_from_markers && rpt_gt_inside(m))
			fprintf(f, " %" PRIu64, g->inside);
		else if (m->window_from_markers && g->edge_min)
			fprintf(f, " %" PRIu64 "..%" PRIu64, g->edge_min, g->edge);
		else if (m->window_from_markers)
			fprintf(f, " %" PRIu64, g->edge);
		fputc('\n', f);
	}
	for (int i = 0; i < m->nr_gt; i++) {
		const struct anl_gt *g = &m->gt[i];

		/* a trace value the kernel's own counting lowered is explained even when it matches */
		if (g->kernel_known && (!g->match || g->uncounted) && g->note) {
			char note[1600];	/* a note (anl_ctx.gt_note: 1536) and its name */

			snprintf(note, sizeof(note), "%s: %s.", g->name, g->note);
			rpt_put_wrapped(f, 2, note);
		}
	}
}

static const char *mode_words(const struct anl_model *m)
{
	switch (m->mode) {
	case ANL_MODE_GRAPH:		return "function_graph: exact";
	case ANL_MODE_GRAPH_RETVAL:	return "function_graph with return values: exact";
	case ANL_MODE_RETPROBE:		return "kprobe/kretprobe: exact";
	case ANL_MODE_FREELIST:		return m->freelist.returns ?
		"get_page_from_freelist's alloc_flags and result + mm_page_alloc: exact" :
		"get_page_from_freelist's alloc_flags + mm_page_alloc: exact";
	case ANL_MODE_EVENTS:		return "tracepoints only: stalling slow paths, estimated; all slow "
						       "paths need an exact mode";
	default:			return "?";
	}
}

/*
 * The freelist probe and its check: each LOW or TRYLOCK attempt opened an
 * allocation its mm_page_alloc closed, but at the scope's edges
 * (analyzer/freelist.c).
 */
static void freelist_lines(FILE *f, const struct rpt_input *in)
{
	const struct anl_model *m = in->model;
	const struct anl_totals *t = &m->scope;
	struct nums n = { .i = 0 };
	uint64_t opened = t->fl_low + t->fl_trylock;

	fprintf(f, "  probe       %s on get_page_from_freelist%s%s\n",
		m->freelist.returns ? "return probe" : "entry probe",
		m->freelist.probe ? ": " : " (the capture does not say how alloc_flags was fetched)",
		m->freelist.probe ? m->freelist.probe : "");
	fprintf(f, "  attempts    %s LOW (fast path: one per allocation), %s slow-path (MIN, HIGH, no "
		"watermarks), %s TRYLOCK (nolock)\n", num(&n, t->fl_low), num(&n, t->fl_slow),
		num(&n, t->fl_trylock));
	fprintf(f, "  check       LOW + TRYLOCK %s = mm_page_alloc %s - %s closed here, opened before "
		"+ %s opened here, closed after%s%s: %s%s%s\n", num(&n, opened),
		num(&n, t->page_alloc_events), num(&n, t->fl_open_before), num(&n, t->fl_open_after),
		t->fl_orphans ? " - orphans " : "", t->fl_orphans ? num(&n, t->fl_orphans) : "",
		rpt_sgr(in, m->freelist.exact ? RPT_SGR_GREEN : RPT_SGR_RED),
		m->freelist.exact ? "holds" : "NOT exact, see untold", rpt_sgr(in, RPT_SGR_RESET));
}

int rpt_text(const struct rpt_input *in, FILE *f)
{
	const struct anl_model *m = in->model;
	const struct anl_totals *t = &m->scope;
	const char *off = rpt_sgr(in, RPT_SGR_RESET);
	struct nums n = { .i = 0 };
	char b[24];

	fprintf(f, "%sallocscope analyze:%s %s%s%s%s%s%s\n", rpt_sgr(in, RPT_SGR_BOLD), off,
		in->trace_path ? in->trace_path : "-", in->format ? " (" : "",
		in->format ? in->format : "", rpt_container_in(in), rpt_container(in),
		in->format ? ")" : "");
	fprintf(f, "  mode        %s (%s)%s\n", anl_mode_name(m->mode), mode_words(m),
		m->mode_forced ? ", forced with -m" : ", detected");
	if (m->freelist.used)
		freelist_lines(f, in);
	if (m->mode != ANL_MODE_EVENTS && !m->slow_path_exact)
		fprintf(f, "              %snot exact here: events lost or returns missed, see untold and anomalies%s\n",
			rpt_sgr(in, RPT_SGR_YELLOW), off);
	fprintf(f, "  kernel      %s%s\n", m->kernel ? m->kernel : "unknown (not in the trace)",
		m->kernel_given ? " (--kernel; not in the trace)" : "");
	if (m->clock)
		fprintf(f, "  clock       %s (%s)\n", m->clock, m->clock_not_ns ? "not ns: times are its ticks" :
			m->clock_per_cpu ? "ns per CPU, not synchronised across CPUs" :
			"ns, monotonic across CPUs");
	/* pgalloc, pgsteal and every page count are in the kernel's pages: 4, 16 or 64 KB on arm64 */
	if (m->page_size)
		fprintf(f, "  page size   %" PRIu64 " KB (%s): the unit of every page count\n",
			m->page_size / 1024, m->page_size_source);
	if (m->window_unknown)
		fprintf(f, "  window      unknown (the trace has no timestamps)\n");
	else
		fprintf(f, "  window      %s (%s), %.6f .. %.6f\n", fmt_ns(b, sizeof(b), m->window_ns),
			m->window_source, (double)t->begin_ts / 1e9, (double)t->end_ts / 1e9);
	fprintf(f, "  lost events %s in %s markers%s\n", num(&n, m->anomalies.lost_events),
		num(&n, m->anomalies.lost_markers),
		m->anomalies.lost_markers ? " (allocations open across them are excluded from latency)" : "");
	for (int i = 0; m->untold[i]; i++)
		fprintf(f, "  untold      %s\n", m->untold[i]);
	if (in->pstats && in->pstats->cut)
		fprintf(f, "  input       %sCUT SHORT at %s %s: only the events before it are analyzed%s\n",
			rpt_sgr(in, RPT_SGR_RED), in->pstats->cut_line ? "line" : "offset",
			num(&n, in->pstats->cut_at), off);
	if (m->anomalies.ring_known) {
		bool lossy = m->anomalies.ring_overrun || m->anomalies.ring_dropped;

		fprintf(f, "  ring buffer %s overrun, %s dropped (the kernel's own count)%s%s%s\n",
			num(&n, m->anomalies.ring_overrun), num(&n, m->anomalies.ring_dropped),
			lossy ? rpt_sgr(in, RPT_SGR_RED) : "",
			lossy ? ": the trace is NOT complete" : "", lossy ? off : "");
	}

	if (m->recorder.rule && (m->recorder.allocations || m->recorder.reclaims)) {
		const struct anl_recorder *r = &m->recorder;

		fprintf(f, "  recorder    %s allocations, %s slow paths, %s direct reclaims of %s task%s %s\n"
			"              (told by %s%s)\n", num(&n, r->allocations), num(&n, r->slow),
			num(&n, r->reclaims), num(&n, r->tasks), r->tasks == 1 ? "" : "s",
			r->included ? "counted in the KPIs" : "left out of the KPIs", r->rule,
			r->included ? "" : "; --include-recorder counts them");
	}

	kpi_block(f, in);

	heading(f, in, m->mode != ANL_MODE_EVENTS ? "Stages" : t->compact_runs_inferred ?
		"Stages (estimated from tracepoints: compaction = each begin .. end run, no try event)" :
		"Stages (estimated from tracepoints: compaction = try .. last compaction_end)");
	fprintf(f, "  %-15s %9s %10s %10s %10s %10s %10s %10s %11s\n", "STAGE", "COUNT", "TOTAL ms",
		"MEAN us", "P50 us", "P90 us", "P99 us", "P99.9 us", "MAX us");
	for (int s = 0; s < ANL_STAGE__COUNT; s++)
		stage_row(f, anl_stage_name(s), &t->stage[s], m->stage_absent[s]);
	{
		/* what "other" holds besides the slow path's own code: the stages counted untimed */
		char names[160] = "";
		size_t o = 0;

		for (int s = ANL_STAGE_FIRST; s <= ANL_STAGE_LAST; s++)
			if (s != ANL_STAGE_KSWAPD_WOKEN && !m->stage_absent[s] &&
			    t->stage[s].count && !t->stage[s].timed && o < sizeof(names))
				o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
						      o ? ", " : "", anl_stage_name(s));
		if (o && t->stage[ANL_STAGE_OTHER].timed) {
			char note[320];

			snprintf(note, sizeof(note), "other = slow-path time outside the timed stages; "
				 "here it includes the time of %s (counted, not timed in this mode)",
				 names);
			rpt_put_wrapped(f, 2, note);
		}
	}
	if (m->stage_layout)
		rpt_put_wrapped(f, 2, m->stage_layout);

	if (in->histograms) {
		log2_hist(f, in, "slow_path latency (per slow allocation)",
			  &t->stage[ANL_STAGE_SLOW_PATH].hist);
		log2_hist(f, in, "direct_reclaim latency (per entry)",
			  &t->stage[ANL_STAGE_DIRECT_RECLAIM].hist);
		log2_hist(f, in, "compaction latency (per direct compaction)",
			  &t->stage[ANL_STAGE_COMPACTION].hist);
	}
	top_tasks(f, in);
	breakdowns(f, in);
	groundtruth(f, in);
	if (m->jank)
		rpt_jank_section(f, in);
	anomalies(f, in);
	return ferror(f) ? -1 : 0;
}
