// SPDX-License-Identifier: GPL-2.0-only
/*
 * One self-contained HTML file to attach to a bug report: inline CSS and
 * SVG, no script, no fonts or images fetched, printable.  Everything comes
 * from the model, except the timeline, drawn from the bounded sample of
 * timeline.c (the page says how it was sampled).  The frame (CSS, head,
 * footer), badges, KPI cards and latency histograms are shared with the
 * compare page (reports/compare.c) through the rpt_html_* helpers.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "report-local.h"
#include "timeline-local.h"

#define TL_W		960	/* timeline: total width (viewBox units) */
#define TL_LEFT		118	/* labels */
#define TL_RIGHT	12
#define TL_ROW		16	/* one interval row */
#define TL_PLOT_H	230	/* scatter */
#define HIST_W		440
#define HIST_H		150

/* Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
static const char *stage_color(enum anl_stage st)
{
	switch (st) {
	case ANL_STAGE_DIRECT_RECLAIM:	return "#D55E00";
	case ANL_STAGE_COMPACTION:	return "#0072B2";
	case ANL_STAGE_OOM:		return "#000000";
	case ANL_STAGE_WAKE_ALL_KSWAPDS: return "#E69F00";
	case ANL_STAGE_MIN_WATERMARK:	return "#F0E442";
	case ANL_STAGE_RETRY_LOOP:	return "#009E73";
	case ANL_STAGE_AFTER_RECLAIM:	return "#7FC8A9";
	case ANL_STAGE_SLOW_PATH:	return "#CC79A7";
	case ANL_STAGE_FAST_PATH:	return "#56B4E9";
	default:			return "#8c8c8c";
	}
}

static const char css[] =
	":root{--fg:#1b1f24;--mut:#5b6470;--line:#d8dde3;--bg:#fff;--card:#f6f8fa}"
	"*{box-sizing:border-box}"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
	"color:var(--fg);background:var(--bg);margin:0 auto;max-width:1040px;padding:16px 20px 40px}"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;"
	"border-bottom:1px solid var(--line);padding-bottom:4px}"
	"h3{font-size:14px;margin:12px 0 4px}"
	".sub{color:var(--mut);margin:0}.mut{color:var(--mut)}"
	"code,.num{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;font-size:12.5px}"
	".kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:10px}"
	".kpi{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 10px}"
	".kpi .v{font-size:22px;font-weight:600}.kpi .l{color:var(--mut);font-size:12.5px}"
	".kpi .d{font-size:12.5px}"
	".b{display:inline-block;font-size:11px;font-weight:600;border-radius:9px;padding:0 7px;"
	"margin-left:4px;vertical-align:middle;white-space:nowrap}"
	".ex{background:#dff3e4;color:#11602b}.es{background:#fff1d6;color:#7a4b00}"
	".un{background:#eceff2;color:#48515c}.no{background:#fde0dc;color:#9b1c0c}"
	"table{border-collapse:collapse;margin:4px 0 8px;font-size:13px}"
	"th,td{padding:3px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}"
	"th{background:var(--card);font-weight:600}td.t,th.t{text-align:left}"
	".bar{display:inline-block;height:9px;background:#CC79A7;border-radius:2px;vertical-align:middle}"
	"svg{display:block;max-width:100%;height:auto}"
	"svg text{font:11px system-ui,'DejaVu Sans',sans-serif;fill:#3a424c}"
	".hists{display:grid;grid-template-columns:repeat(auto-fill,minmax(440px,1fr));gap:8px 16px}"
	".legend span{display:inline-block;margin-right:14px;font-size:12.5px}"
	".sw{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:4px;"
	"vertical-align:-1px}"
	"dl{display:grid;grid-template-columns:220px 1fr;gap:2px 12px;margin:4px 0}"
	"dt{color:var(--mut)}dd{margin:0}"
	"ul.notes{margin:4px 0;padding-left:20px;color:var(--mut);font-size:13px}"
	"footer{margin-top:32px;color:var(--mut);font-size:12px}"
	"@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}"
	"section,figure,table{break-inside:avoid}.kpi{border-color:#999}"
	"@page{size:A4;margin:12mm}}";

/* ---- small helpers ------------------------------------------------------ */

void rpt_html_begin(FILE *f, const char *title_prefix, const char *title, const char *extra_css)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>");
	rpt_html_str(f, title_prefix);
	rpt_html_str(f, title);
	fprintf(f, "</title>\n<style>%s%s</style></head><body>\n", css, extra_css ? extra_css : "");
}

void rpt_html_end(FILE *f, const char *version, const char *note_html)
{
	fprintf(f, "<footer>allocscope %s &middot; one self-contained file: no script, no network. %s"
		"</footer>\n</body></html>\n", version ? version : "", note_html ? note_html : "");
}

void rpt_html_badge(FILE *f, const char *cls, const char *text)
{
	fprintf(f, "<span class=\"b %s\">%s</span>", cls, text);
}

static void td_count(FILE *f, uint64_t n)
{
	char b[32];

	fprintf(f, "<td class=num>%s</td>", rpt_fmt_count(b, sizeof(b), n));
}

/* a cell in its column's unit (named in the header): ms or us */
static void td_fixed(FILE *f, uint64_t ns, uint64_t unit_ns, int decimals)
{
	char b[40];

	fprintf(f, "<td class=num>%s</td>", rpt_fmt_fixed(b, sizeof(b), ns, unit_ns, decimals));
}

static const char *fmt_secs(char *buf, size_t len, double s)
{
	if (s == 0)
		snprintf(buf, len, "0");
	else if (fabs(s) < 0.01)
		snprintf(buf, len, "%gms", s * 1e3);
	else
		snprintf(buf, len, "%gs", s);
	return buf;
}

/* Round numbers for axes: 1us, 10us, 2ms, 512ns ... */
const char *rpt_html_axis_ns(char *buf, size_t len, uint64_t ns)
{
	static const struct { uint64_t div; const char *unit; } u[] = {
		{ 1000000000ull, "s" }, { 1000000, "ms" }, { 1000, "us" }, { 1, "ns" },
	};

	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		if (ns >= u[i].div || u[i].div == 1) {
			double v = (double)ns / (double)u[i].div;

			snprintf(buf, len, v < 10 && v != floor(v) ? "%.1f%s" : "%.0f%s", v, u[i].unit);
			return buf;
		}
	}
	return buf;
}

double rpt_html_nice_step(double span, int max_ticks)
{
	double raw = span / max_ticks, p = pow(10, floor(log10(raw)));

	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	if (raw <= 5 * p)
		return 5 * p;
	return 10 * p;
}

/* ---- KPI cards ---------------------------------------------------------- */

void rpt_html_kpi_card(FILE *f, const char *label, const char *value, const char *cls,
		       const char *exactness, const char *detail)
{
	fprintf(f, "<div class=kpi><div class=l>");
	rpt_html_str(f, label);
	rpt_html_badge(f, cls, exactness);
	fprintf(f, "</div><div class=\"v num\">");
	rpt_html_str(f, value);
	fprintf(f, "</div>");
	if (detail) {
		fprintf(f, "<div class=d>");
		rpt_html_str(f, detail);
		fprintf(f, "</div>");
	}
	fprintf(f, "</div>\n");
}

static void kpis(FILE *f, const struct anl_model *m)
{
	const struct anl_totals *t = &m->scope;
	bool est = m->mode == ANL_MODE_EVENTS;
	double secs = (double)m->window_ns / 1e9;
	char v[64], d[256], b[32];

	fprintf(f, "<section id=kpi><h2>KPIs <span class=mut style=\"font-weight:400;font-size:13px\">"
		"in the window (%s)</span></h2><div class=kpis>\n", m->window_source ?
		m->window_source : "whole trace");
	snprintf(d, sizeof(d), "%s", est ? "mm_page_alloc events; bulk allocations emit none" :
		 "every __alloc_pages call seen");
	if (est && !m->page_alloc_seen)
		rpt_html_kpi_card(f, "allocations", "?", "un", "unknown", "no mm_page_alloc: allocations "
				  "and fast paths unknown");
	else
		rpt_html_kpi_card(f, "allocations", rpt_fmt_count(v, sizeof(v), t->allocations),
			 est ? "es" : "ex", est ? "events" : "exact", d);

	if (m->window_unknown)
		snprintf(b, sizeof(b), "?/s");	/* no timestamps */
	else
		snprintf(b, sizeof(b), "%.1f/s", secs > 0 ? (double)t->slow / secs : 0);
	snprintf(d, sizeof(d), "%s, %.2f per 1,000 allocations", b,
		 t->allocations ? 1000.0 * (double)t->slow / (double)t->allocations : 0);
	if (est)
		snprintf(d, sizeof(d), "%s; direct reclaim, direct compaction or OOM, or a kswapd "
			 "wake%s; all slow paths need an exact mode", b,
			 m->episodes ? "; stall episodes, inferred (no mm_page_alloc)" : "");
	rpt_html_kpi_card(f, est ? "stalling slow paths" : "slow-path entries",
		 rpt_fmt_count(v, sizeof(v), t->slow),
		 est ? "es" : m->slow_path_exact ? "ex" : "no",
		 est ? "estimated" : m->slow_path_exact ? "exact" : "not exact: events lost",
		 d);

	rpt_html_kpi_card(f, "failed (NULL)", rpt_fmt_count(v, sizeof(v), t->failed), est ? "es" : "ex",
		 est ? "from page=(nil)" : "exact", NULL);

	if (m->kswapd_known) {
		bool awake = m->kswapd_source && strstr(m->kswapd_source, "awake");

		snprintf(v, sizeof(v), "%.1f %%", m->kswapd_cpu_percent);
		snprintf(d, sizeof(d), "of one CPU; %s%s", m->kswapd_source,
			 m->kswapd_stat_known ? "" : "");
		if (m->kswapd_stat_known)
			snprintf(d + strlen(d), sizeof(d) - strlen(d), "; /proc/PID/stat: %.1f %%",
				 m->kswapd_stat_percent);
		rpt_html_kpi_card(f, "kswapd CPU", v, awake ? "es" : "ex", awake ? "upper bound" : "measured", d);
	} else {
		rpt_html_kpi_card(f, "kswapd CPU", "?", "un", "unknown", m->kswapd_source ?
				  m->kswapd_source : "no sched_switch or kswapd_wake/sleep");
	}

	snprintf(d, sizeof(d), "%s pages reclaimed (nr_reclaimed of the ends: LRU and slab)",
		 rpt_fmt_count(b, sizeof(b), t->nr_reclaimed));
	if (t->lru_inactive)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), ", %s of them LRU (pgsteal_direct)",
			 rpt_fmt_count(v, sizeof(v), t->lru_reclaimed));
	if (t->reclaim_begin)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), ", %.1f per stall",
			 (double)t->nr_reclaimed / (double)t->reclaim_begin);
	if (t->reclaim_loops)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "; %" PRIu64 " allocations looped",
			 t->reclaim_loops);
	rpt_html_kpi_card(f, "direct reclaim entries", rpt_fmt_count(v, sizeof(v), t->reclaim_begin), "ex",
		 "exact", d);

	if (t->compact_runs_inferred) {
		snprintf(d, sizeof(d), "runs in allocating tasks (no try_to_compact_pages event: by "
			 "task); %" PRIu64 " kcompactd/other runs", t->compact_begin_other);
		rpt_html_kpi_card(f, "direct compaction runs",
			 rpt_fmt_count(v, sizeof(v), t->compact_runs_inferred), "es", "by task", d);
	} else {
		snprintf(d, sizeof(d), "%" PRIu64 " stalls in the kernel's sense; %" PRIu64
			 " kcompactd/other runs", t->compact_stall_derived, t->compact_begin_other);
		rpt_html_kpi_card(f, "direct compaction tries", rpt_fmt_count(v, sizeof(v), t->try_compact),
			 "ex", "exact", d);
	}
	if (t->retry_rounds) {
		snprintf(d, sizeof(d), "should_reclaim_retry() rounds in %" PRIu64 " allocations; %"
			 PRIu64 " ran out at MAX_RECLAIM_RETRIES, %" PRIu64 " ended with no zone at its "
			 "watermark", t->retry_allocs, t->retries_out, t->retry_no_zone);
		rpt_html_kpi_card(f, "reclaim retries", rpt_fmt_count(v, sizeof(v), t->retry_rounds),
			 "ex", "events", d);
	}
	if (t->slab_calls) {
		snprintf(d, sizeof(d), "ms in %" PRIu64 " shrinker calls inside direct reclaim",
			 t->slab_calls);
		rpt_html_kpi_card(f, "slab shrinking", rpt_fmt_fixed(v, sizeof(v), t->slab_ns, 1000000, 3),
			 "ex", "events", d);
	}
	if (t->throttles) {
		snprintf(d, sizeof(d), "ms in %" PRIu64 " sleeps (mm_vmscan_throttled; congestion_wait() "
			 "in direct reclaim before 5.16)", t->throttles);
		rpt_html_kpi_card(f, "reclaim throttled",
			 rpt_fmt_fixed(v, sizeof(v), t->throttle_ns, 1000000, 3), "ex", "events", d);
	}
	if (t->writepages) {
		snprintf(d, sizeof(d), "pages pageout() wrote in direct reclaim: %" PRIu64 " file, %" PRIu64
			 " anon to swap, %" PRIu64 " not said", t->writepages_file, t->writepages_anon,
			 t->writepages - t->writepages_file - t->writepages_anon);
		rpt_html_kpi_card(f, "written by reclaim", rpt_fmt_count(v, sizeof(v), t->writepages),
			 "ex", "events", d);
	}
	if (t->compact_only && m->reclaim_visible)
		rpt_html_kpi_card(f, "compaction-only", rpt_fmt_count(v, sizeof(v), t->compact_only),
			 est ? "es" : "ex", est ? "estimated" : "exact",
			 "slow allocations that compacted and did not reclaim");
	if (t->memcg_reclaims) {
		snprintf(d, sizeof(d), "entries: %" PRIu64 " pages; at a cgroup's limit a task's stall, or "
			 "proactive (memory.reclaim): the events do not tell; not the allocator's slow path",
			 t->memcg_reclaimed);
		rpt_html_kpi_card(f, "memcg reclaim", rpt_fmt_count(v, sizeof(v), t->memcg_reclaims),
			 "ex", "events", d);
	}
	if (t->oom_fn_calls)
		rpt_html_kpi_card(f, "OOM killer calls", rpt_fmt_count(v, sizeof(v), t->oom_fn_calls),
			 "ex", "events", "out_of_memory() (function tracer)");

	rpt_html_kpi_card(f, "OOM victims", rpt_fmt_count(v, sizeof(v), t->mark_victim), "ex", "exact",
		 "oom:mark_victim");
	if (t->nested)
		rpt_html_kpi_card(f, "nested allocations", rpt_fmt_count(v, sizeof(v), t->nested),
			 est ? "es" : "ex", est ? "estimated" : "exact", "made inside direct reclaim");
	fprintf(f, "</div></section>\n");
}

/* ---- timeline ----------------------------------------------------------- */

struct tl_geom {
	uint64_t	begin, end;
	double		plot_w;
	double		ymin, ymax;	/* log10 ns */
	double		plot_top;
};

static double tl_x(const struct tl_geom *g, uint64_t ts)
{
	double span = (double)(g->end - g->begin);

	if (ts < g->begin)
		ts = g->begin;
	if (ts > g->end)
		ts = g->end;
	return TL_LEFT + (span > 0 ? (double)(ts - g->begin) / span * g->plot_w : 0);
}

static double tl_y(const struct tl_geom *g, uint64_t ns)
{
	double l = log10(ns < 1 ? 1 : (double)ns);

	if (l < g->ymin)
		l = g->ymin;
	return g->plot_top + TL_PLOT_H - (l - g->ymin) / (g->ymax - g->ymin) * TL_PLOT_H;
}

/* One row of intervals, merged at pixel resolution so the file stays small. */
static unsigned int tl_band(FILE *f, const struct tl_geom *g, const struct rpt_tl_spans *ss,
			    double y, const char *color, const char *label)
{
	double cur_a = -1, cur_b = -1;
	unsigned int rects = 0;

	fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", TL_LEFT - 6,
		y + TL_ROW - 5, label);
	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#f3f5f7\"/>\n",
		TL_LEFT, y + 1, g->plot_w, TL_ROW - 2);
	fprintf(f, "<g fill=\"%s\">", color);
	/* spans are sorted by start once coalesced; otherwise nearly so: merge runs */
	for (size_t i = 0; i <= ss->n; i++) {
		double a = 0, b = 0;

		if (i < ss->n) {
			if (ss->v[i].end_ts < g->begin || ss->v[i].start_ts > g->end)
				continue;
			a = tl_x(g, ss->v[i].start_ts);
			b = tl_x(g, ss->v[i].end_ts);
			if (b - a < 0.8)
				b = a + 0.8;	/* a visible sliver for short ones */
			if (cur_a >= 0 && a <= cur_b + 0.5 && a >= cur_a) {
				if (b > cur_b)
					cur_b = b;
				continue;
			}
		}
		if (cur_a >= 0) {
			fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\"/>", cur_a,
				y + 2, cur_b - cur_a, TL_ROW - 4);
			rects++;
		}
		cur_a = a;
		cur_b = b;
		if (i == ss->n)
			break;
	}
	fprintf(f, "</g>\n");
	return rects;
}

static bool tl_dup(const struct rpt_timeline *tl, const struct rpt_tl_dot *d)
{
	for (unsigned int i = 0; i < tl->nr_top; i++)
		if (tl->top[i].id == d->id)
			return true;
	return false;
}

static void tl_dot(FILE *f, const struct tl_geom *g, const struct rpt_tl_dot *d)
{
	char b[32], c[32];
	double x = tl_x(g, d->start_ts), y = tl_y(g, d->latency_ns);

	if (d->failed)
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"%s\" "
			"stroke=\"#000\" stroke-width=\"1\">", x - 3.5, y - 3.5,
			stage_color(d->stage));
	else
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" fill-opacity=\"0.8\">",
			x, y, stage_color(d->stage));
	fprintf(f, "<title>");
	rpt_html_str(f, d->comm);
	fprintf(f, " (%d): %s%s, order %d, mostly %s, at +%s</title>%s\n", d->pid,
		rpt_fmt_ns(b, sizeof(b), d->latency_ns), d->failed ? " FAILED" : "", d->order,
		anl_stage_name(d->stage), fmt_secs(c, sizeof(c), (double)(d->start_ts - g->begin) / 1e9),
		d->failed ? "</rect>" : "</circle>");
}

static bool dot_in(const struct tl_geom *g, const struct rpt_tl_dot *d)
{
	return d->start_ts >= g->begin && d->start_ts <= g->end;
}

/* Late frames (the model's list) as bars above the stall bands, coloured by verdict. */
static void tl_frames(FILE *f, const struct tl_geom *g, const struct anl_model *m, double y)
{
	const struct anl_jank *j = m->jank;
	char b[4][32];

	fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">late frames</text>\n", TL_LEFT - 6,
		y + TL_ROW - 5);
	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"#f3f5f7\"/>\n",
		TL_LEFT, y + 1, g->plot_w, TL_ROW - 2);
	for (size_t i = 0; i < j->nr_list; i++) {
		const struct anl_jank_frame *fr = &j->list[i];
		uint64_t d = fr->end_ts - fr->start_ts;
		double a, e;
		const char *color = !m->modes_supported || !fr->stall_ns ? "#9aa5b1" :
				    fr->explained ? "#D55E00" : "#E69F00";

		if (fr->end_ts < g->begin || fr->start_ts > g->end)
			continue;
		a = tl_x(g, fr->start_ts);
		e = tl_x(g, fr->end_ts);
		if (e - a < 1.5)
			e = a + 1.5;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
			"<title>", a, y + 2, e - a, TL_ROW - 4, color);
		rpt_html_str(f, fr->ui_tid >= 0 ? fr->ui_comm : fr->rt_comm);
		fprintf(f, " (%d): frame %s ms, %s ms over budget; allocation stalls %s ms (%.0f%%)%s",
			(int)fr->tgid, rpt_fmt_fixed(b[0], 32, d, 1000000, 3),
			rpt_fmt_fixed(b[1], 32, d > j->budget_ns ? d - j->budget_ns : 0, 1000000, 3),
			rpt_fmt_fixed(b[2], 32, fr->stall_ns, 1000000, 3),
			d ? 100.0 * (double)fr->stall_ns / (double)d : 0.0,
			!m->modes_supported ? ": stalls unknown" : fr->explained ? ": explained" :
			fr->stall_ns ? ": partly" : "");
		fprintf(f, "; at +%s</title></rect>", fmt_secs(b[3], 32,
			fr->start_ts > g->begin ? (double)(fr->start_ts - g->begin) / 1e9 : 0));
	}
	fprintf(f, "\n");
}

static void timeline(FILE *f, const struct anl_model *m, const struct rpt_timeline *tl)
{
	static const struct {
		enum anl_span_kind kind;
		const char *label, *color;
	} rows[] = {
		{ ANL_SPAN_KSWAPD_RUN,		"kswapd running",	"#56B4E9" },
		{ ANL_SPAN_KSWAPD_AWAKE,	"kswapd awake",		"#a9d4ee" },
		{ ANL_SPAN_DIRECT_RECLAIM,	"direct reclaim",	"#D55E00" },
		{ ANL_SPAN_COMPACTION,		"direct compaction",	"#0072B2" },
	};
	static const enum anl_stage legend[] = {
		ANL_STAGE_DIRECT_RECLAIM, ANL_STAGE_COMPACTION, ANL_STAGE_OOM,
		ANL_STAGE_WAKE_ALL_KSWAPDS, ANL_STAGE_MIN_WATERMARK, ANL_STAGE_RETRY_LOOP,
		ANL_STAGE_AFTER_RECLAIM, ANL_STAGE_OTHER,
	};
	struct tl_geom g = { 0 };
	bool win = m->window_from_markers;
	uint64_t lo = UINT64_MAX, hi = 0, drawn = 0, outside = 0;
	double height, step, span_s;
	char b[32], c2[32], c3[32];
	int nrows = (int)(sizeof(rows) / sizeof(rows[0]));
	/* the frames of atrace slices, above the stalls (their late ones: the model's list) */
	int top = m->jank && (m->jank->frames || m->jank->tl.frames) ? 1 : 0;

	fprintf(f, "<section id=timeline><h2>Timeline of the window</h2>\n");
	if (!tl) {
		fprintf(f, "<p class=mut>No timeline: the analysis kept no per-allocation sample.</p>"
			"</section>\n");
		return;
	}
	g.begin = m->scope.begin_ts;
	g.end = m->scope.end_ts > g.begin ? m->scope.end_ts : g.begin + 1;
	g.plot_w = TL_W - TL_LEFT - TL_RIGHT;
	g.plot_top = 8 + (nrows + top) * TL_ROW + 10;

	for (int pass = 0; pass < 2; pass++) {
		const struct rpt_tl_dot *v = pass ? tl->res : tl->top;
		unsigned int n = pass ? tl->nr_res : tl->nr_top;

		for (unsigned int i = 0; i < n; i++) {
			if (!dot_in(&g, &v[i]))
				continue;
			if (v[i].latency_ns < lo)
				lo = v[i].latency_ns;
			if (v[i].latency_ns > hi)
				hi = v[i].latency_ns;
		}
	}
	if (hi == 0) {
		lo = 1000;
		hi = 1000000;
	}
	g.ymin = floor(log10(lo < 1 ? 1 : (double)lo));
	g.ymax = ceil(log10((double)hi));
	if (g.ymax <= g.ymin)
		g.ymax = g.ymin + 1;
	height = g.plot_top + TL_PLOT_H + 34;

	fprintf(f, "<svg viewBox=\"0 0 %d %.0f\" width=\"%d\" role=\"img\" "
		"aria-label=\"timeline of slow allocations, reclaim, compaction and kswapd\">\n",
		TL_W, height, TL_W);
	if (top)
		tl_frames(f, &g, m, 8);
	for (int r = 0; r < nrows; r++)
		tl_band(f, &g, &tl->spans[rows[r].kind], 8 + (r + top) * TL_ROW, rows[r].color,
			rows[r].label);

	/* scatter frame, decade grid */
	fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"none\" "
		"stroke=\"#c9d0d7\"/>\n", TL_LEFT, g.plot_top, g.plot_w, TL_PLOT_H);
	for (double e = g.ymin; e <= g.ymax + 1e-9; e += 1) {
		double y = tl_y(&g, (uint64_t)pow(10, e));

		fprintf(f, "<line x1=\"%d\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e9ed\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", TL_LEFT,
			TL_LEFT + g.plot_w, y, y, TL_LEFT - 6, y + 4,
			rpt_html_axis_ns(b, sizeof(b), (uint64_t)llround(pow(10, e))));
	}
	fprintf(f, "<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" "
		"text-anchor=\"middle\">slow-path latency (log)</text>\n",
		g.plot_top + TL_PLOT_H / 2.0, g.plot_top + TL_PLOT_H / 2.0);

	/* time axis: seconds from the window's start */
	span_s = (double)(g.end - g.begin) / 1e9;
	step = rpt_html_nice_step(span_s > 0 ? span_s : 1, 10);
	for (double t = 0; t <= span_s + 1e-12; t += step) {
		double x = TL_LEFT + (span_s > 0 ? t / span_s * g.plot_w : 0);

		fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"8\" y2=\"%.1f\" stroke=\"#eef0f3\"/>"
			"<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">+%s</text>\n", x, x,
			g.plot_top + TL_PLOT_H, x, g.plot_top + TL_PLOT_H + 14,
			fmt_secs(b, sizeof(b), t));
	}
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">time since the window's start "
		"(trace clock %.6f s)</text>\n", TL_LEFT + g.plot_w / 2, g.plot_top + TL_PLOT_H + 29,
		(double)g.begin / 1e9);

	/* dots: reservoir first, the longest on top */
	fprintf(f, "<g>\n");
	for (unsigned int i = 0; i < tl->nr_res; i++) {
		if (tl_dup(tl, &tl->res[i]))
			continue;
		if (!dot_in(&g, &tl->res[i])) {
			outside++;
			continue;
		}
		tl_dot(f, &g, &tl->res[i]);
		drawn++;
	}
	for (unsigned int i = 0; i < tl->nr_top; i++) {
		if (!dot_in(&g, &tl->top[i])) {
			outside++;
			continue;
		}
		tl_dot(f, &g, &tl->top[i]);
		drawn++;
	}
	fprintf(f, "</g></svg>\n");

	fprintf(f, "<div class=legend>");
	for (size_t i = 0; i < sizeof(legend) / sizeof(legend[0]); i++)
		fprintf(f, "<span><i class=sw style=\"background:%s\"></i>%s</span>",
			stage_color(legend[i]), anl_stage_name(legend[i]));
	fprintf(f, "<span><i class=sw style=\"background:#fff;border:1px solid #000;border-radius:0\">"
		"</i>failed (square)</span></div>\n");
	fprintf(f, "<p class=mut>Each dot is one slow allocation at its start, by total latency, "
		"coloured by the stage that took most of its time. Drawn: %" PRIu64 " of the %" PRIu64
		" slow allocations %s, chosen among the %" PRIu64 " of the whole trace: the %u longest "
		"plus a fixed-seed random sample of up to %u others", drawn,
		win ? tl->slow_win : tl->slow_seen,
		win ? "of the window (the KPIs' slow-path entries)" : "of the trace",
		tl->slow_seen, tl->top_cap, tl->res_cap);
	if (tl->no_latency)
		fprintf(f, "; %" PRIu64 " without a latency are not drawn", tl->no_latency);
	if (outside)
		fprintf(f, "; %" PRIu64 " sampled ones lie outside the window", outside);
	/* the window's figures: what the KPI block and the stage table count */
	fprintf(f, ". Bands, %s: ", win ? "counted in the window as the KPIs and the stage table "
		"count them (kswapd: its time inside the markers; direct reclaim and compaction: the "
		"intervals of the window's allocations, as long as their stage)" : "in the trace");
	for (int r = 0; r < nrows; r++) {
		const struct rpt_tl_spans *ss = &tl->spans[rows[r].kind];

		char c[32];

		fprintf(f, "%s%s %s intervals, %s in all", r ? "; " : "", rows[r].label,
			rpt_fmt_count(c, sizeof(c), win ? ss->win_seen : ss->seen),
			rpt_fmt_ns(b, sizeof(b), win ? ss->win_total_ns : ss->total_ns));
		if (ss->empty)
			fprintf(f, " (%" PRIu64 " took no time, not drawn)", ss->empty);
		if (ss->gap_ns)
			fprintf(f, " (neighbours closer than %s merged)",
				rpt_fmt_ns(b, sizeof(b), ss->gap_ns));
	}
	if (top) {
		const struct anl_jank *j = m->jank;

		fprintf(f, ". Late frames (atrace slices, whole trace; docs/jank.md): %s of %s frames "
			"longer than %s ms", rpt_fmt_count(b, sizeof(b), j->late),
			rpt_fmt_count(c2, sizeof(c2), j->frames),
			rpt_fmt_fixed(c3, sizeof(c3), j->budget_ns, 1000000, 3));
		if (j->tl.frames)
			fprintf(f, "; of the frame timeline's %s frames, %s late (self jank or over the "
				"budget)", rpt_fmt_count(c2, sizeof(c2), j->tl.frames),
				rpt_fmt_count(b, sizeof(b), j->tl.late));
		if (j->not_listed)
			fprintf(f, ", the %zu most late drawn", j->nr_list);
		if (m->modes_supported)
			fprintf(f, "; red: allocation stalls of its threads at least its overrun "
				"(explained, %" PRIu64 "), amber: some (%" PRIu64 "), grey: none",
				j->explained + j->tl.explained,
				j->late_stalled + j->tl.late_stalled - j->explained - j->tl.explained);
		else
			fprintf(f, "; grey: the trace has no page-allocator events, stalls unknown");
	}
	fprintf(f, ". Hover a dot for its task and latency.</p></section>\n");
}

/* ---- stage histograms ----------------------------------------------------- */

void rpt_html_hist_axis(const struct anl_stat *s, struct rpt_html_hist_axis *axis)
{
	for (int i = 0; i < ANL_HIST_BUCKETS; i++) {
		if (!s->hist.bucket[i])
			continue;
		if (axis->lo < 0 || i < axis->lo)
			axis->lo = i;
		if (i > axis->hi)
			axis->hi = i;
		if (s->hist.bucket[i] > axis->max)
			axis->max = s->hist.bucket[i];
	}
}

void rpt_html_hist(FILE *f, const char *name, const char *color, const struct anl_stat *s,
		   const struct rpt_html_hist_axis *axis)
{
	int lo = axis->lo, hi = axis->hi;
	uint64_t max = axis->max;
	double bw, plot_w = HIST_W - 50, plot_h = HIST_H - 38;
	char b[4][32];

	if (lo < 0)
		return;
	bw = plot_w / (hi - lo + 1);
	fprintf(f, "<figure style=\"margin:0\"><h3>");
	rpt_html_str(f, name);
	fprintf(f, " <span class=mut style=\"font-weight:400\">%s timed, p50 %s, p99 %s, max %s</span></h3>\n",
		rpt_fmt_count(b[0], 32, s->timed), rpt_fmt_ns(b[1], 32, anl_stat_percentile(s, 50)),
		rpt_fmt_ns(b[2], 32, anl_stat_percentile(s, 99)), rpt_fmt_ns(b[3], 32, s->max_ns));
	fprintf(f, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" role=\"img\" aria-label=\"", HIST_W, HIST_H, HIST_W);
	rpt_html_str(f, name);
	fprintf(f, " latency histogram\">\n");
	fprintf(f, "<line x1=\"44\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#9aa3ad\"/>\n",
		44 + plot_w, 8 + plot_h, 8 + plot_h);
	fprintf(f, "<text x=\"40\" y=\"14\" text-anchor=\"end\">%s</text>"
		"<text x=\"40\" y=\"%.0f\" text-anchor=\"end\">0</text>\n",
		rpt_fmt_count(b[0], 32, max), 8 + plot_h);
	fprintf(f, "<g fill=\"%s\">", color);
	for (int i = lo; i <= hi; i++) {
		double h = max ? (double)s->hist.bucket[i] / (double)max * plot_h : 0;

		if (s->hist.bucket[i] && h < 1)
			h = 1;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s .. %s: "
			"%" PRIu64 "</title></rect>", 44 + (i - lo) * bw + 1, 8 + plot_h - h,
			bw > 3 ? bw - 2 : bw, h, rpt_fmt_ns(b[0], 32, anl_hist_low(i)),
			rpt_fmt_ns(b[1], 32, anl_hist_high(i)), s->hist.bucket[i]);
	}
	fprintf(f, "</g>\n");
	/* bucket labels: lower edges, thinned to fit */
	{
		int every = (hi - lo + 1) / 8 + 1;

		for (int i = lo; i <= hi; i += every)
			fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>",
				44 + (i - lo) * bw + bw / 2, 8 + plot_h + 14,
				rpt_html_axis_ns(b[0], 32, anl_hist_low(i)));
	}
	fprintf(f, "\n<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">latency, log2 buckets "
		"(lower edge)</text>\n</svg></figure>\n", 44 + plot_w / 2, HIST_H - 4);
}

static void stages(FILE *f, const struct anl_model *m)
{
	const struct anl_totals *t = &m->scope;

	fprintf(f, "<section id=stages><h2>Stages</h2>\n");
	if (m->mode == ANL_MODE_EVENTS)
		fprintf(f, "<p class=mut>Estimated from tracepoints: a slow path runs from its first "
			"stage event to its mm_page_alloc; compaction = try .. last compaction event."
			"</p>\n");
	fprintf(f, "<table><tr><th class=t>stage</th><th>count</th><th>total ms</th><th>mean us</th>"
		"<th>p50 us</th><th>p90 us</th><th>p99 us</th><th>p99.9 us</th><th>max us</th></tr>\n");
	for (int i = 0; i < ANL_STAGE__COUNT; i++) {
		const struct anl_stat *s = &t->stage[i];

		fprintf(f, "<tr><td class=t><i class=sw style=\"background:%s\"></i>%s</td>",
			stage_color(i), anl_stage_name(i));
		if (m->stage_absent[i]) {
			fprintf(f, "<td class=num>-</td><td colspan=7 class=\"t mut\">absent: ");
			rpt_html_str(f, m->stage_absent[i]);
			fprintf(f, "</td></tr>\n");
			continue;
		}
		td_count(f, s->count);
		if (!s->timed) {
			fprintf(f, "<td colspan=7 class=\"t mut\">%s</td></tr>\n",
				s->count ? "count only: no time in this mode" : "");
			continue;
		}
		td_fixed(f, s->total_ns, 1000000, 1);
		td_fixed(f, s->total_ns / s->timed, 1000, 1);
		td_fixed(f, anl_stat_percentile(s, 50), 1000, 1);
		td_fixed(f, anl_stat_percentile(s, 90), 1000, 1);
		td_fixed(f, anl_stat_percentile(s, 99), 1000, 1);
		td_fixed(f, anl_stat_percentile(s, 99.9), 1000, 1);
		td_fixed(f, s->max_ns, 1000, 1);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n");
	{
		/* the stages counted untimed: their time is in "other" (as the text report says) */
		bool any = false;

		for (int i = ANL_STAGE_FIRST; i <= ANL_STAGE_LAST; i++) {
			if (i == ANL_STAGE_KSWAPD_WOKEN || m->stage_absent[i] || !t->stage[i].count ||
			    t->stage[i].timed)
				continue;
			fprintf(f, "%s<code>%s</code>", any ? ", " : "<p class=mut>other = slow-path time "
				"outside the timed stages; here it includes the time of ", anl_stage_name(i));
			any = true;
		}
		if (any && t->stage[ANL_STAGE_OTHER].timed)
			fprintf(f, " (counted, not timed in this mode).</p>\n");
		else if (any)
			fprintf(f, ".</p>\n");
	}
	if (m->stage_layout) {
		fprintf(f, "<p class=mut>");
		rpt_html_str(f, m->stage_layout);
		fprintf(f, "</p>\n");
	}
	fprintf(f, "<p class=mut>Percentiles come from log-linear histograms (16 buckets "
		"per power of two, within 1/16 of the value); totals and maxima are exact; the "
		"charts show log2 buckets.</p>\n<div class=hists>\n");
	for (int i = 0; i < ANL_STAGE__COUNT; i++) {
		struct rpt_html_hist_axis axis = { .lo = -1, .hi = -1 };

		if (!t->stage[i].timed)
			continue;
		rpt_html_hist_axis(&t->stage[i], &axis);
		rpt_html_hist(f, anl_stage_name(i), stage_color(i), &t->stage[i], &axis);
	}
	fprintf(f, "</div></section>\n");
}

/* ---- tables --------------------------------------------------------------- */

static void tasks(FILE *f, const struct anl_model *m, unsigned int n)
{
	uint64_t max = 0;

	if (!n || !m->nr_tasks)
		return;
	for (size_t i = 0; i < m->nr_tasks && i < n; i++)
		if (m->tasks[i].stall_ns > max)
			max = m->tasks[i].stall_ns;
	fprintf(f, "<section id=tasks><h2>Top tasks by stall time</h2>\n<table><tr><th>pid</th>"
		"<th class=t>comm</th><th>allocations</th><th>slow</th><th>failed</th><th>stall ms</th>"
		"<th class=t></th></tr>\n");
	for (size_t i = 0; i < m->nr_tasks && i < n; i++) {
		const struct anl_task_sum *t = &m->tasks[i];

		if (t->pid >= 0)
			fprintf(f, "<tr><td class=num>%d</td><td class=t>", t->pid);
		else	/* a CPU's unknown task, named in comm */
			fprintf(f, "<tr><td class=num>?</td><td class=t>");
		rpt_html_str(f, t->comm[0] ? t->comm : "?");
		fprintf(f, "</td>");
		td_count(f, t->allocations);
		td_count(f, t->slow);
		td_count(f, t->failed);
		td_fixed(f, t->stall_ns, 1000000, 3);
		fprintf(f, "<td class=t><span class=bar style=\"width:%.0fpx\"></span></td></tr>\n",
			max ? 200.0 * (double)t->stall_ns / (double)max : 0);
	}
	fprintf(f, "</table></section>\n");
}

static void breakdowns(FILE *f, const struct anl_model *m)
{
	const struct anl_totals *t = &m->scope;

	fprintf(f, "<section id=breakdowns><h2>By order and gfp class</h2>\n"
		"<div style=\"display:flex;gap:24px;flex-wrap:wrap\"><table><tr><th>order</th>"
		"<th>allocations</th><th>slow</th><th>failed</th><th>stall ms</th></tr>\n");
	for (int o = 0; o <= ANL_MAX_ORDER + 1; o++) {
		const struct anl_order *r = &t->by_order[o];

		if (!r->allocations)
			continue;
		if (o <= ANL_MAX_ORDER)
			fprintf(f, "<tr><td class=num>%d</td>", o);
		else
			fprintf(f, "<tr><td>?</td>");
		td_count(f, r->allocations);
		td_count(f, r->slow);
		td_count(f, r->failed);
		td_fixed(f, r->stall_ns, 1000000, 3);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table><table><tr><th class=t>gfp class</th><th>allocations</th><th>slow</th>"
		"<th>failed</th><th>stall ms</th></tr>\n");
	for (int i = 0; i < ANL_GFP_CLASSES; i++) {
		const struct anl_class *c = &t->by_gfp[i];

		if (!c->allocations)
			continue;
		fprintf(f, "<tr><td class=t><code>");
		rpt_html_str(f, c->name);
		fprintf(f, "</code></td>");
		td_count(f, c->allocations);
		td_count(f, c->slow);
		td_count(f, c->failed);
		td_fixed(f, c->stall_ns, 1000000, 3);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table></div></section>\n");
}

static void groundtruth(FILE *f, const struct anl_model *m)
{
	fprintf(f, "<section id=groundtruth><h2>Ground truth: the trace against the kernel's "
		"counters</h2>\n");
	if (!m->vmstat_known) {
		fprintf(f, "<p class=mut>No vmstat snapshots: neither in-trace markers nor "
			"--vmstat-before/--vmstat-after.</p></section>\n");
		return;
	}
	fprintf(f, "<p class=mut>vmstat deltas from ");
	rpt_html_str(f, m->vmstat_source);
	fprintf(f, ". Entries are raw events; trace is the same count in the kernel's notion%s.</p>\n"
		"<table><tr><th class=t>counter</th><th>entries</th><th>trace</th><th>kernel</th>"
		"<th class=t>match</th>%s</tr>\n", m->recorder.rule && !m->recorder.included ?
		", the recorder's tasks included as in the kernel's deltas" : "",
		!m->window_from_markers ? "" :
		rpt_gt_inside(m) ? "<th>inside window</th>" : "<th>outside window</th>");
	for (int i = 0; i < m->nr_gt; i++) {
		const struct anl_gt *g = &m->gt[i];

		fprintf(f, "<tr><td class=t><code>");
		rpt_html_str(f, g->name);
		fprintf(f, "</code></td>");
		td_count(f, g->entries);
		td_count(f, g->trace);
		if (g->kernel_known)
			td_count(f, g->kernel);
		else
			fprintf(f, "<td>?</td>");
		fprintf(f, "<td class=t>");
		if (!g->kernel_known)
			rpt_html_badge(f, "un", "unknown");
		else if (g->match)
			rpt_html_badge(f, "ex", "match");
		else if (g->range_explained)
			rpt_html_badge(f, "es", "within the trace's bounds");
		else if (anl_gt_beyond_edges(g))
			rpt_html_badge(f, "es", "bulk allocator");
		else if (g->edge_explained)
			rpt_html_badge(f, "es", "edge of window");
		else
			rpt_html_badge(f, "no", "differs");
		fprintf(f, "</td>");
		if (m->window_from_markers && rpt_gt_inside(m))
			td_count(f, g->inside);
		else if (m->window_from_markers && g->edge_min) {
			char lo[32], hi[32];

			fprintf(f, "<td class=num>%s..%s</td>", rpt_fmt_count(lo, sizeof(lo), g->edge_min),
				rpt_fmt_count(hi, sizeof(hi), g->edge));
		}
		else if (m->window_from_markers)
			td_count(f, g->edge);
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</table>\n<ul class=notes>");
	for (int i = 0; i < m->nr_gt; i++) {
		const struct anl_gt *g = &m->gt[i];

		if (g->kernel_known && !g->match && g->note) {
			fprintf(f, "<li><code>");
			rpt_html_str(f, g->name);
			fprintf(f, "</code>: ");
			rpt_html_str(f, g->note);
			fprintf(f, ".</li>");
		}
	}
	fprintf(f, "</ul></section>\n");
}

static const char *mode_words(enum anl_mode mode)
{
	switch (mode) {
	case ANL_MODE_GRAPH:		return "function_graph: exact";
	case ANL_MODE_GRAPH_RETVAL:	return "function_graph with return values: exact";
	case ANL_MODE_RETPROBE:		return "kprobe/kretprobe: exact";
	case ANL_MODE_FREELIST:		return "get_page_from_freelist's alloc_flags + mm_page_alloc: exact";
	case ANL_MODE_EVENTS:		return "tracepoints only: stalling slow paths, estimated; all slow "
						       "paths need an exact mode";
	default:			return "?";
	}
}

static void dd_text(FILE *f, const char *term, const char *text)
{
	fprintf(f, "<dt>%s</dt><dd>", term);
	rpt_html_str(f, text ? text : "unknown");
	fprintf(f, "</dd>\n");
}

static void capture(FILE *f, const struct rpt_input *in)
{
	const struct anl_model *m = in->model;
	const struct anl_anomalies *an = &m->anomalies;
	char b[3][64];
	bool any = false;

	fprintf(f, "<section id=capture><h2>Capture details</h2><dl>\n");
	dd_text(f, "trace", in->trace_path);
	dd_text(f, "format", in->format);
	snprintf(b[0], sizeof(b[0]), "%s (%s)", anl_mode_name(m->mode),
		 m->mode_forced ? "forced with -m" : "detected");
	dd_text(f, "mode", b[0]);
	dd_text(f, "meaning", mode_words(m->mode));
	dd_text(f, "kernel", m->kernel);
	if (m->kernel_given)
		fprintf(f, "<dt>kernel from</dt><dd>--kernel (not in the trace)</dd>\n");
	if (m->recorder.rule && (m->recorder.allocations || m->recorder.reclaims)) {
		const struct anl_recorder *r = &m->recorder;
		char c[3][32];

		fprintf(f, "<dt>recorder</dt><dd>%s allocations, %s slow paths, %s direct reclaims of %"
			PRIu64 " task%s %s (told by ", rpt_fmt_count(c[0], sizeof(c[0]), r->allocations),
			rpt_fmt_count(c[1], sizeof(c[1]), r->slow),
			rpt_fmt_count(c[2], sizeof(c[2]), r->reclaims), r->tasks, r->tasks == 1 ? "" : "s",
			r->included ? "counted in the KPIs" : "left out of the KPIs");
		rpt_html_str(f, r->rule);
		fprintf(f, "%s)</dd>\n", r->included ? "" : "; --include-recorder counts them");
	}
	if (m->window_unknown)
		fprintf(f, "<dt>window</dt><dd>unknown, the trace has no timestamps (");
	else
		fprintf(f, "<dt>window</dt><dd>%s, %.6f .. %.6f s (", rpt_fmt_ns(b[0], 64, m->window_ns),
			(double)m->scope.begin_ts / 1e9, (double)m->scope.end_ts / 1e9);
	rpt_html_str(f, m->window_source);
	fprintf(f, ")</dd>\n<dt>whole trace</dt><dd>%.6f .. %.6f s</dd>\n", (double)m->first_ts / 1e9,
		(double)m->last_ts / 1e9);
	fprintf(f, "<dt>lost events</dt><dd>%s in %s loss markers%s</dd>\n",
		rpt_fmt_count(b[0], 64, an->lost_events), rpt_fmt_count(b[1], 64, an->lost_markers),
		an->lost_markers ? " (allocations open across them are excluded from latency)" : "");
	for (int i = 0; m->untold[i]; i++)
		dd_text(f, "the trace could not tell", m->untold[i]);
	dd_text(f, "kswapd CPU source", m->kswapd_source);
	dd_text(f, "vmstat source", m->vmstat_known ? m->vmstat_source : "none");
	if (in->pstats)
		fprintf(f, "<dt>unparsable lines / fields</dt><dd>%s / %s</dd>\n",
			rpt_fmt_count(b[0], 64, in->pstats->bad_lines),
			rpt_fmt_count(b[1], 64, in->pstats->bad_fields));
	fprintf(f, "</dl>\n");
	for (size_t i = 0; i < rpt_nr_anomalies; i++) {
		uint64_t v = rpt_anomaly_value(an, i);

		if (!v)
			continue;
		if (!any)
			fprintf(f, "<h3>Anomalies (counted, never dropped)</h3><table>\n");
		any = true;
		fprintf(f, "<tr><td class=t>%s</td>", rpt_anomalies[i].label);
		td_count(f, v);
		fprintf(f, "</tr>\n");
	}
	if (any)
		fprintf(f, "</table>\n");
	else
		fprintf(f, "<p class=mut>No anomalies.</p>\n");
	fprintf(f, "</section>\n");
}

int rpt_html(const struct rpt_input *in, const struct rpt_timeline *tl, FILE *f)
{
	const struct anl_model *m = in->model;
	char b[32];

	rpt_html_begin(f, "allocscope: ", in->trace_path ? in->trace_path : "report", NULL);
	fprintf(f, "<header><h1>allocscope: page allocator slow paths</h1><p class=sub><code>");
	rpt_html_str(f, in->trace_path ? in->trace_path : "-");
	fprintf(f, "</code>");
	if (in->format) {
		fprintf(f, " (");
		rpt_html_str(f, in->format);
		rpt_html_str(f, rpt_container_in(in));
		rpt_html_str(f, rpt_container(in));
		fprintf(f, ")");
	}
	fprintf(f, " &middot; mode <b>%s</b> ", anl_mode_name(m->mode));
	if (m->mode == ANL_MODE_EVENTS)
		rpt_html_badge(f, "es", "estimated");
	else if (m->slow_path_exact)
		rpt_html_badge(f, "ex", "exact");
	else
		rpt_html_badge(f, "no", "events lost");
	fprintf(f, " &middot; kernel ");
	rpt_html_str(f, m->kernel ? m->kernel : "unknown");
	fprintf(f, " &middot; window %s", m->window_unknown ? "unknown" :
		rpt_fmt_ns(b, sizeof(b), m->window_ns));
	if (in->pstats && in->pstats->cut) {
		fprintf(f, " &middot; ");
		rpt_html_badge(f, "no", "cut short");
		fprintf(f, " at %s %s: only the events before it are analyzed",
			in->pstats->cut_line ? "line" : "offset",
			rpt_fmt_count(b, sizeof(b), in->pstats->cut_at));
	}
	fprintf(f, "</p></header>\n");

	kpis(f, m);
	timeline(f, m, tl);
	stages(f, m);
	tasks(f, m, in->top_n);
	groundtruth(f, m);
	breakdowns(f, m);
	capture(f, in);
	rpt_html_end(f, in->version, "Numbers marked <i>estimated</i> are lower bounds (tracepoints only); "
		     "<i>exact</i> ones come from function entry/return.");
	return ferror(f) ? -1 : 0;
}
