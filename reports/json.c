// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model as JSON, schema in docs/json-schema.md.  Field names are an
 * interface (automation and `compare` rely on them): never rename, only add,
 * and bump RPT_SCHEMA_VERSION on an incompatible change.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report.h"
#include "report-local.h"

static void jdouble(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.3f", v);
	else
		fputs("null", f);
}

/* "size": N, "xxh64": "16 hex digits" (both null when unknown) */
static void jcontent(FILE *f, const struct rpt_content *c)
{
	if (c->known)
		fprintf(f, "\"size\": %" PRIu64 ", \"xxh64\": \"%016" PRIx64 "\"", c->size, c->xxh64);
	else
		fputs("\"size\": null, \"xxh64\": null", f);
}

/* The non-empty buckets of a histogram, with their edges. */
static void jbuckets(FILE *f, const uint64_t *count, int n,
		     uint64_t (*low)(int), uint64_t (*high)(int))
{
	bool first = true;

	for (int i = 0; i < n; i++) {
		if (!count[i])
			continue;
		fprintf(f, "%s{\"low_ns\": %" PRIu64 ", \"high_ns\": %" PRIu64 ", \"count\": %" PRIu64 "}",
			first ? "" : ", ", low(i), high(i), count[i]);
		first = false;
	}
}

static void jstat(FILE *f, const char *name, const struct anl_stat *s, bool last)
{

	fprintf(f, "    ");
	rpt_json_str(f, name);
	fprintf(f, ": {\"count\": %" PRIu64 ", \"timed\": %" PRIu64 ", \"total_ns\": %" PRIu64
		", \"mean_ns\": %" PRIu64 ", \"p50_ns\": %" PRIu64 ", \"p90_ns\": %" PRIu64
		", \"p99_ns\": %" PRIu64 ", \"p999_ns\": %" PRIu64 ", \"max_ns\": %" PRIu64
		", \"min_ns\": %" PRIu64 ", \"histogram\": [",
		s->count, s->timed, s->total_ns, s->timed ? s->total_ns / s->timed : 0,
		anl_stat_percentile(s, 50), anl_stat_percentile(s, 90),
		anl_stat_percentile(s, 99), anl_stat_percentile(s, 99.9), s->max_ns, s->min_ns);
	jbuckets(f, s->hist.bucket, ANL_HIST_BUCKETS, anl_hist_low, anl_hist_high);
	/* the percentiles' own buckets, so that merged summaries recompute them as exactly */
	fprintf(f, "], \"histogram_fine\": [");
	jbuckets(f, s->hist.fine, ANL_FINE_BUCKETS, anl_fine_low, anl_fine_high);
	fprintf(f, "]}%s\n", last ? "" : ",");
}

int rpt_json(const struct rpt_input *in, FILE *f)
{
	const struct anl_model *m = in->model;
	const struct anl_totals *t = &m->scope;
	const struct anl_anomalies *an = &m->anomalies;
	double secs = (double)m->window_ns / 1e9;
	bool first;

	fprintf(f, "{\n  \"schema_version\": %d,\n", RPT_SCHEMA_VERSION);

	fprintf(f, "  \"trace\": {\"path\": ");
	rpt_json_str(f, in->trace_path);
	fprintf(f, ", \"format\": ");
	rpt_json_str(f, in->format);
	if (in->pstats && in->pstats->container) {	/* the text came out of a systrace page or JSON */
		fprintf(f, ", \"container\": ");
		rpt_json_str(f, in->pstats->container);
	}
	/* the capture's identity: compare and merge refuse the same capture twice */
	fprintf(f, ", ");
	jcontent(f, &in->content);
	/* a file cut short: where (only the events before it are in this summary) */
	if (in->pstats && in->pstats->cut)
		fprintf(f, ", \"cut_at\": {\"%s\": %" PRIu64 "}", in->pstats->cut_line ? "line" : "offset",
			in->pstats->cut_at);
	else if (in->pstats && !in->merged_inputs)
		fprintf(f, ", \"cut_at\": null");
	fprintf(f, "},\n");

	if (in->merged_inputs) {
		/* a merge (merge.c): which captures, so a merged summary merges again */
		fprintf(f, "  \"merged\": {\"inputs\": %u, \"paths\": [", in->merged_inputs);
		for (size_t i = 0; i < in->nr_merged_paths; i++) {
			fputs(i ? ", " : "", f);
			rpt_json_str(f, in->merged_paths[i]);
		}
		fprintf(f, "], \"contents\": [");
		for (size_t i = 0; i < in->nr_merged_paths; i++) {
			const struct rpt_content unknown = { 0 };

			fputs(i ? ", {" : "{", f);
			jcontent(f, in->merged_contents ? &in->merged_contents[i] : &unknown);
			fputc('}', f);
		}
		fprintf(f, "]},\n");
	}

	fprintf(f, "  \"capture\": {\"mode\": ");
	rpt_json_str(f, in->mode_name ? in->mode_name : anl_mode_name(m->mode));
	fprintf(f, ", \"mode_forced\": %s, \"kernel\": ", m->mode_forced ? "true" : "false");
	rpt_json_str(f, m->kernel);
	fprintf(f, ", \"kernel_given\": %s", m->kernel_given ? "true" : "false");
	fprintf(f, ", \"clock\": ");
	if (m->clock)
		rpt_json_str(f, m->clock);
	else
		fputs("null", f);
	if (m->page_size)
		fprintf(f, ", \"page_size\": %" PRIu64, m->page_size);
	else
		fprintf(f, ", \"page_size\": null");
	fprintf(f, ", \"page_size_source\": ");
	rpt_json_str(f, m->page_size_source);
	fprintf(f, ", \"untold\": ");
	rpt_json_untold(f, m);
	fprintf(f, ", \"lost_events\": %" PRIu64 ", \"lost_markers\": %" PRIu64
		", \"window_ns\": %" PRIu64 ", \"window_source\": ",
		an->lost_events, an->lost_markers, m->window_ns);
	rpt_json_str(f, m->window_source);
	if (an->ring_known)
		fprintf(f, ", \"ring_overrun\": %" PRIu64 ", \"ring_dropped\": %" PRIu64,
			an->ring_overrun, an->ring_dropped);
	else
		fprintf(f, ", \"ring_overrun\": null, \"ring_dropped\": null");
	if (in->merged_inputs)	/* several clocks: no common bounds */
		fprintf(f, ", \"window_begin_ns\": null, \"window_end_ns\": null"
			", \"trace_first_ns\": null, \"trace_last_ns\": null},\n");
	else
		fprintf(f, ", \"window_begin_ns\": %" PRIu64 ", \"window_end_ns\": %" PRIu64
			", \"trace_first_ns\": %" PRIu64 ", \"trace_last_ns\": %" PRIu64 "},\n",
			t->begin_ts, t->end_ts, m->first_ts, m->last_ts);

	fprintf(f, "  \"kpi\": {\"allocations\": %" PRIu64 ", \"slow_path_entries\": %" PRIu64
		", \"slow_path_per_sec\": ", t->allocations, t->slow);
	jdouble(f, secs > 0 ? (double)t->slow / secs : NAN);
	fprintf(f, ", \"slow_path_per_1000_allocations\": ");
	/* without mm_page_alloc in events mode the allocations are unknown: no rate per allocation */
	jdouble(f, t->allocations && (m->mode != ANL_MODE_EVENTS || m->page_alloc_seen) ?
		1000.0 * (double)t->slow / (double)t->allocations : NAN);
	fprintf(f, ", \"failed\": %" PRIu64 ", \"slow_path_exact\": %s, \"estimated\": %s"
		", \"nested\": %" PRIu64 ", \"incomplete\": %" PRIu64 ", \"reclaim_loops\": %" PRIu64
		", \"slow_paths_counted\": \"%s\", \"allocations_known\": %s, \"episodes\": %s},\n",
		t->failed, m->slow_path_exact ? "true" : "false",
		m->mode == ANL_MODE_EVENTS ? "true" : "false", t->nested, t->incomplete,
		t->reclaim_loops, m->mode == ANL_MODE_EVENTS ? "stalling" : "all",
		m->mode != ANL_MODE_EVENTS || m->page_alloc_seen ? "true" : "false",
		m->episodes ? "true" : "false");
	fprintf(f, "  \"explained\": {\"retry_rounds\": %" PRIu64 ", \"retries_out\": %" PRIu64
		", \"compact_retries\": %" PRIu64 ", \"slab_calls\": %" PRIu64 ", \"slab_ns\": %" PRIu64
		", \"throttles\": %" PRIu64 ", \"throttle_ns\": %" PRIu64 ", \"oom_fn_calls\": %" PRIu64
		", \"compact_runs_inferred\": %" PRIu64 ", \"retry_allocations\": %" PRIu64
		", \"retry_no_zone\": %" PRIu64 ", \"compaction_only\": ", t->retry_rounds, t->retries_out,
		t->compact_retries, t->slab_calls, t->slab_ns, t->throttles, t->throttle_ns,
		t->oom_fn_calls, t->compact_runs_inferred, t->retry_allocs, t->retry_no_zone);
	/* without any direct reclaim event, whether a compacting allocation also reclaimed is unknown */
	if (t->compact_only && !m->reclaim_visible)
		fputs("null", f);
	else
		fprintf(f, "%" PRIu64, t->compact_only);
	fprintf(f, ", \"writepages\": %" PRIu64 ", \"writepages_file\": %" PRIu64
		", \"writepages_anon\": %" PRIu64
		", \"writepages_elsewhere\": %" PRIu64 ", \"memcg_reclaims\": %" PRIu64
		", \"memcg_reclaimed\": %" PRIu64 ", \"memcg_reclaim_ns\": %" PRIu64
		", \"page_alloc_unsaid\": %" PRIu64 "},\n", t->writepages, t->writepages_file,
		t->writepages_anon, t->writepages_other, t->memcg_reclaims, t->memcg_reclaimed,
		t->memcg_reclaim_ns, t->page_alloc_unsaid);

	if (m->freelist.used) {
		/* the freelist probe and its check (docs/freelist.md); only in that mode */
		fprintf(f, "  \"freelist\": {\"return_probe\": %s, \"probe\": ",
			m->freelist.returns ? "true" : "false");
		rpt_json_str(f, m->freelist.probe);
		fprintf(f, ", \"exact\": %s, \"low\": %" PRIu64 ", \"trylock\": %" PRIu64
			", \"slow_attempts\": %" PRIu64 ", \"page_alloc\": %" PRIu64
			", \"open_before\": %" PRIu64 ", \"open_after\": %" PRIu64 ", \"orphans\": %" PRIu64
			", \"nolock\": %" PRIu64 ", \"nolock_failed\": %" PRIu64 ", \"bad_flags\": %" PRIu64
			", \"first_bad_flags\": ", m->freelist.exact ? "true" : "false", t->fl_low,
			t->fl_trylock, t->fl_slow, t->page_alloc_events, t->fl_open_before,
			t->fl_open_after, t->fl_orphans, t->nolock, t->nolock_failed, an->fl_bad_flags);
		if (an->fl_bad_flags)
			fprintf(f, "%" PRIu64, an->fl_first_bad);
		else
			fputs("null", f);
		fprintf(f, ", \"orphan_attempts\": %" PRIu64 ", \"missed\": %" PRIu64 "},\n",
			an->fl_orphan_attempts, an->fl_missed);
	}
	fprintf(f, "  \"recorder\": {\"rule\": ");
	rpt_json_str(f, m->recorder.rule);
	fprintf(f, ", \"included\": %s, \"tasks\": %" PRIu64 ", \"allocations\": %" PRIu64
		", \"slow_path_entries\": %" PRIu64 ", \"failed\": %" PRIu64 ", \"reclaims\": %" PRIu64
		"},\n", m->recorder.included ? "true" : "false", m->recorder.tasks,
		m->recorder.allocations, m->recorder.slow, m->recorder.failed, m->recorder.reclaims);

	fprintf(f, "  \"stages\": {\n");
	for (int s = 0; s < ANL_STAGE__COUNT; s++) {
		if (m->stage_absent[s]) {	/* not visible in this mode: null, never 0 */
			fprintf(f, "    \"%s\": null%s\n", anl_stage_name(s),
				s == ANL_STAGE__COUNT - 1 ? "" : ",");
			continue;
		}
		jstat(f, anl_stage_name(s), &t->stage[s], s == ANL_STAGE__COUNT - 1);
	}
	fprintf(f, "  },\n  \"stages_absent\": {");
	first = true;
	for (int s = 0; s < ANL_STAGE__COUNT; s++) {
		if (!m->stage_absent[s])
			continue;
		fprintf(f, "%s\"%s\": ", first ? "" : ", ", anl_stage_name(s));
		rpt_json_str(f, m->stage_absent[s]);
		first = false;
	}
	fprintf(f, "},\n");

	fprintf(f, "  \"kswapd\": {\"cpu_percent\": ");
	if (m->kswapd_known)
		jdouble(f, m->kswapd_cpu_percent);
	else
		fputs("null", f);
	fprintf(f, ", \"source\": ");
	rpt_json_str(f, m->kswapd_source);
	fprintf(f, ", \"run_ns\": %" PRIu64 ", \"awake_ns\": %" PRIu64 ", \"stat_cpu_percent\": ",
		t->kswapd_run_ns, t->kswapd_awake_ns);
	if (m->kswapd_stat_known)
		jdouble(f, m->kswapd_stat_percent);
	else
		fputs("null", f);
	fprintf(f, ", \"sched_cpu_percent\": ");
	if (m->kswapd_sched_known)
		jdouble(f, m->kswapd_sched_percent);
	else
		fputs("null", f);
	if (m->kswapd_span_known)
		fprintf(f, ", \"snapshot_span_ns\": %" PRIu64 ", \"snapshot_span_run_ns\": %" PRIu64
			", \"read_marked\": %s", m->kswapd_span_ns, m->kswapd_span_run_ns,
			m->kswapd_span_marked ? "true" : "false");
	else
		fprintf(f, ", \"snapshot_span_ns\": null, \"snapshot_span_run_ns\": null, \"read_marked\": false");
	if (m->kswapd_span_bounded)
		fprintf(f, ", \"snapshot_span_run_min_ns\": %" PRIu64 ", \"snapshot_span_run_max_ns\": %" PRIu64,
			m->kswapd_span_run_min_ns, m->kswapd_span_run_max_ns);
	else
		fprintf(f, ", \"snapshot_span_run_min_ns\": null, \"snapshot_span_run_max_ns\": null");
	if (m->kswapd_stat_known)
		fprintf(f, ", \"stat_ns\": %" PRIu64, m->kswapd_stat_ns);
	else
		fprintf(f, ", \"stat_ns\": null");
	if (m->kswapd_sched_known)
		fprintf(f, ", \"sched_ns\": %" PRIu64, m->kswapd_sched_ns);
	else
		fprintf(f, ", \"sched_ns\": null");
	fprintf(f, "},\n");

	fprintf(f, "  \"reclaim\": {\"entries\": %" PRIu64 ", \"ends\": %" PRIu64
		", \"nr_reclaimed\": %" PRIu64 ", \"pages_per_stall\": ",
		t->reclaim_begin, t->reclaim_end, t->nr_reclaimed);
	jdouble(f, t->reclaim_begin ? (double)t->nr_reclaimed / (double)t->reclaim_begin : NAN);
	/* the LRU part (what pgsteal_direct counts); null where lru_shrink_inactive is not recorded */
	fprintf(f, ", \"lru_reclaimed\": ");
	if (t->lru_inactive)
		fprintf(f, "%" PRIu64, t->lru_reclaimed);
	else
		fputs("null", f);
	fprintf(f, "},\n");
	fprintf(f, "  \"compaction\": {\"tries\": %" PRIu64 ", \"stalls_kernel_notion\": %" PRIu64
		", \"begin_direct\": %" PRIu64 ", \"begin_other\": %" PRIu64 ", \"deferred\": %" PRIu64 "},\n",
		t->try_compact, t->compact_stall_derived, t->compact_begin_direct,
		t->compact_begin_other, t->compact_deferred);
	fprintf(f, "  \"events\": {\"mm_page_alloc\": %" PRIu64 ", \"mm_page_alloc_failed\": %" PRIu64
		", \"pages\": %" PRIu64
		", \"wakeup_kswapd\": %" PRIu64 ", \"wakeup_kswapd_slow\": %" PRIu64
		", \"mark_victim\": %" PRIu64 "},\n",
		t->page_alloc_events, t->page_alloc_failed, t->page_alloc_pages, t->wakeup_kswapd,
		t->wakeup_kswapd_slow, t->mark_victim);

	fprintf(f, "  \"by_order\": [");
	first = true;
	for (int o = 0; o <= ANL_MAX_ORDER + 1; o++) {
		const struct anl_order *r = &t->by_order[o];

		if (!r->allocations)
			continue;
		fprintf(f, "%s\n    {\"order\": ", first ? "" : ",");
		if (o <= ANL_MAX_ORDER)
			fprintf(f, "%d", o);
		else
			fputs("null", f);
		fprintf(f, ", \"allocations\": %" PRIu64 ", \"slow\": %" PRIu64 ", \"failed\": %" PRIu64
			", \"stall_ns\": %" PRIu64 "}", r->allocations, r->slow, r->failed, r->stall_ns);
		first = false;
	}
	fprintf(f, "%s],\n", first ? "" : "\n  ");

	fprintf(f, "  \"by_gfp\": [");
	first = true;
	for (int i = 0; i < ANL_GFP_CLASSES; i++) {
		const struct anl_class *c = &t->by_gfp[i];

		if (!c->allocations)
			continue;
		fprintf(f, "%s\n    {\"class\": ", first ? "" : ",");
		rpt_json_str(f, c->name);
		fprintf(f, ", \"allocations\": %" PRIu64 ", \"slow\": %" PRIu64 ", \"failed\": %" PRIu64
			", \"stall_ns\": %" PRIu64 "}", c->allocations, c->slow, c->failed, c->stall_ns);
		first = false;
	}
	fprintf(f, "%s],\n", first ? "" : "\n  ");

	fprintf(f, "  \"tasks\": [");
	for (size_t i = 0; i < m->nr_tasks && i < in->top_n; i++) {
		const struct anl_task_sum *ts = &m->tasks[i];

		fprintf(f, "%s\n    {\"pid\": ", i ? "," : "");
		/* merged summaries group tasks by name: pids of several captures */
		if (ts->pid >= 0)
			fprintf(f, "%d, \"tgid\": %d, \"comm\": ", ts->pid, ts->tgid);
		else
			fprintf(f, "null, \"tgid\": null, \"comm\": ");
		rpt_json_str(f, ts->comm);
		fprintf(f, ", \"allocations\": %" PRIu64 ", \"slow\": %" PRIu64 ", \"failed\": %" PRIu64
			", \"stall_ns\": %" PRIu64 "}", ts->allocations, ts->slow, ts->failed,
			ts->stall_ns);
	}
	fprintf(f, "%s],\n", m->nr_tasks && in->top_n ? "\n  " : "");

	fprintf(f, "  \"anomalies\": {\"incomplete\": %" PRIu64 ", \"open_at_end\": %" PRIu64
		", \"exit_without_entry\": %" PRIu64 ", \"unmatched_entry\": %" PRIu64
		", \"orphan_calls\": %" PRIu64 ", \"reclaim_end_without_begin\": %" PRIu64
		", \"compaction_end_without_begin\": %" PRIu64 ", \"order_out_of_range\": %" PRIu64 ", \"ts_backwards\": %" PRIu64
		", \"migrations\": %" PRIu64 ", \"wrapper_merged\": %" PRIu64
		", \"bulk_gpfl\": %" PRIu64 ", \"boosted_wakes\": %" PRIu64
		", \"other_mode\": %" PRIu64,
		an->incomplete, an->open_at_end, an->exit_without_entry, an->unmatched_entry,
		an->orphan_calls, an->reclaim_end_without_begin, an->compaction_end_without_begin,
		an->order_out_of_range,
		an->ts_backwards, an->migrations, an->wrapper_merged, an->bulk_gpfl,
		an->boosted_wakes, an->other_mode);
	if (in->pstats)
		fprintf(f, ", \"bad_lines\": %" PRIu64 ", \"bad_fields\": %" PRIu64
			", \"ts_unordered\": %" PRIu64, in->pstats->bad_lines, in->pstats->bad_fields,
			in->pstats->ts_unordered);
	fprintf(f, "},\n");

	fprintf(f, "  \"groundtruth_source\": ");
	rpt_json_str(f, m->vmstat_known ? m->vmstat_source : NULL);
	fprintf(f, ",\n  \"groundtruth\": [");
	for (int i = 0; i < m->nr_gt; i++) {
		const struct anl_gt *g = &m->gt[i];

		fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
		rpt_json_str(f, g->name);
		fprintf(f, ", \"trace\": %" PRIu64 ", \"kernel\": ", g->trace);
		if (g->kernel_known)
			fprintf(f, "%" PRIu64, g->kernel);
		else
			fputs("null", f);
		fprintf(f, ", \"match\": %s, \"entries\": %" PRIu64 ", \"exact\": %s, \"edge\": %" PRIu64
			", \"edge_min\": %" PRIu64 ", \"inside\": %" PRIu64 ", \"unseen\": %" PRIu64
			", \"edge_explained\": %s, \"trace_min\": %" PRIu64 ", \"trace_max\": ",
			g->match ? "true" : "false", g->entries, g->exact ? "true" : "false", g->edge,
			g->edge_min, g->inside, g->unseen, g->edge_explained ? "true" : "false",
			g->trace_min);
		if (g->trace_max == UINT64_MAX)
			fputs("null", f);
		else
			fprintf(f, "%" PRIu64, g->trace_max);
		fprintf(f, ", \"edge_max\": %" PRIu64 ", \"range_explained\": %s, \"uncounted\": %" PRIu64
			", \"uncounted_allocations\": %" PRIu64 ", \"note\": ",
			g->edge_max, g->range_explained ? "true" : "false", g->uncounted,
			g->uncounted_allocations);
		rpt_json_str(f, g->note);
		fputc('}', f);
	}
	fprintf(f, "%s]", m->nr_gt ? "\n  " : "");
	/* the frames of atrace slices (a merged summary has none) */
	if (m->jank && (m->jank->frames || m->jank->slices || m->jank->tl.frames)) {
		fprintf(f, ",\n  \"frames\": ");
		rpt_jank_json(f, in, "  ");
	}
	fprintf(f, "\n}\n");
	return ferror(f) ? -1 : 0;
}
