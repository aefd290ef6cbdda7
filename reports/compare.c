// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare reports: the short human table, the JSON of docs/compare.md and
 * one HTML page framed like analyze's (html.c's rpt_html_* helpers).  Every
 * number comes from struct anl_cmp_result and the runs, through the same
 * formats in all three; nothing is computed here.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "compare.h"
#include "report-compare.h"
#include "report-local.h"

static const char *per_unit(enum anl_cmp_per per)
{
	switch (per) {
	case ANL_CMP_PER_SECOND:	return "/s";
	case ANL_CMP_PER_KALLOC:	return "/kalloc";
	case ANL_CMP_PER_RUN:		return "/run";
	}
	return "";
}

static const char *fmt_pct(char *buf, size_t len, double v)
{
	if (isinf(v))
		snprintf(buf, len, "%s", v < 0 ? "-inf" : "+inf");
	else
		snprintf(buf, len, "%+.1f", v);
	return buf;
}

/* The rule with the thresholds in force, as every format states it. */
static const char *rule_str(char *buf, size_t len, const struct anl_cmp_opts *o)
{
	int n = snprintf(buf, len, "R > 0 and K <= %g and (K <= 0 or R >= %g x K)", o->max_kswapd_increase,
			 o->ratio);

	if (o->has_min_reduction && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " and R >= %g", o->min_reduction);
	return buf;
}

static const char *k_words(const struct anl_cmp_result *res)
{
	if (res->k_used == ANL_CMP_K_RELATIVE)
		return "relative to the baseline's load";
	if (res->k_fallback)
		return "in points: the baseline's kswapd load is 0, a relative change is undefined";
	return "in percentage points (--kswapd-delta points)";
}

static const char *one_run_side(const struct rpt_cmp_input *in)
{
	return in->nbase < 2 ? "the baseline" : "the candidate";
}

/* ---- text ---------------------------------------------------------------- */

/*
 * The kernel line: the first release a capture names, and how many name
 * none (text traces without the recorder's markers): the kernel guard
 * compares only the captures that name one, and says so.
 */
static const char *kernel_words(char *buf, size_t len, const struct rpt_cmp_input *in)
{
	const char *k = NULL;
	size_t n = in->nbase + in->ncand, unknown = in->res->kernel_unknown, given = 0;

	/* a release a trace names first; one from --kernel only when none does */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct anl_cmp_run *r = i < in->nbase ? &in->base[i] :
						      &in->cand[i - in->nbase];

			given += !pass && r->kernel_given;
			if (!k && r->kernel[0] && r->kernel_given == pass)
				k = r->kernel;
		}
	}
	if (!unknown && given)
		snprintf(buf, len, "%s (--kernel for %zu of %zu captures: major.minor checked there)",
			 k, given, n);
	else if (!unknown)
		snprintf(buf, len, "%s", k);
	else if (!k)
		snprintf(buf, len, "unknown (no capture names its kernel: not checked)");
	else
		snprintf(buf, len, "%s (unknown in %zu of %zu captures: not checked there)", k, unknown, n);
	return buf;
}

static void dist_row(FILE *f, const char *name, const struct anl_cmp_dist *b, const struct anl_cmp_dist *c)
{
	char lb[48], lc[48];

	snprintf(lb, sizeof(lb), "[%.1f .. %.1f]", b->min, b->max);
	snprintf(lc, sizeof(lc), "[%.1f .. %.1f]", c->min, c->max);
	fprintf(f, "  %-26s %9.1f %-19s %9.1f %s\n", name, b->median, lb, c->median, lc);
}

static void lat_row(FILE *f, const char *name, const struct anl_stat *b, const struct anl_stat *c)
{
	char x[4][24], lb[48];

	if (!b->timed && !c->timed) {
		fprintf(f, "  %-26s %9s\n", name, "none timed");
		return;
	}
	snprintf(lb, sizeof(lb), "/ %s", b->timed ? rpt_fmt_ns(x[1], 24, anl_stat_percentile(b, 99)) : "-");
	fprintf(f, "  %-26s %9s %-19s %9s / %s\n", name,
		b->timed ? rpt_fmt_ns(x[0], 24, anl_stat_percentile(b, 50)) : "-", lb,
		c->timed ? rpt_fmt_ns(x[2], 24, anl_stat_percentile(c, 50)) : "-",
		c->timed ? rpt_fmt_ns(x[3], 24, anl_stat_percentile(c, 99)) : "-");
}

static void runs_text(FILE *f, const char *side, const struct anl_cmp_run *runs, size_t n,
		      enum anl_cmp_per per)
{
	for (size_t i = 0; i < n; i++) {
		const struct anl_cmp_run *r = &runs[i];

		fprintf(f, "  %-4s %10.1f %7.1f %8.2f %9" PRIu64 " %6" PRIu64 "  %s\n", side,
			anl_cmp_normalize(r, r->slow, per), r->kswapd_pct, (double)r->window_ns / 1e9,
			r->allocations, r->lost_events, r->path);
	}
}

int rpt_compare_text(const struct rpt_cmp_input *in, FILE *f)
{
	const struct anl_cmp_result *res = in->res;
	const struct anl_cmp_opts *o = &res->opts;
	const struct anl_cmp_side *b = &res->base, *c = &res->cand;
	const char *unit = per_unit(o->per);
	char name[64], p1[24], p2[24], p3[24], rule[160], kernel[256];

	fprintf(f, "allocscope compare: %zu baseline vs %zu candidate capture%s, slow paths per %s\n",
		in->nbase, in->ncand, in->ncand == 1 ? "" : "s",
		o->per == ANL_CMP_PER_KALLOC ? "1,000 allocations" : anl_cmp_per_name(o->per));
	fprintf(f, "  mode        %s%s\n", anl_mode_name(in->base[0].mode),
		b->estimated || c->estimated ? " (estimated: tracepoints count the stalling slow paths; all "
		"slow paths need an exact mode)" : " (exact)");
	fprintf(f, "  kernel      %s\n", kernel_words(kernel, sizeof(kernel), in));

	if (res->guards) {
		fprintf(f, "\n");
		for (unsigned int bit = 1; bit <= ANL_CMP_G_LAST; bit <<= 1) {
			char msg[512];

			if (!(res->guards & bit))
				continue;
			char line[600];

			anl_cmp_guard_text(res, in->base, in->nbase, in->cand, in->ncand, bit, msg, sizeof(msg));
			snprintf(line, sizeof(line), "WARNING: %s%s%s%s", msg, in->forced & bit ? " (compared anyway: --force " : "",
				 in->forced & bit ? anl_cmp_guard_name(bit) : "", in->forced & bit ? ")" : "");
			rpt_put_wrapped(f, 0, line);
		}
	}

	fprintf(f, "\n  %-26s %9s %-19s %9s %s\n", "", "BASELINE", "", "CANDIDATE", "");
	fprintf(f, "  %-26s %9s %-19s %9s %s\n", "", "median", "[min .. max]", "median", "[min .. max]");
	snprintf(name, sizeof(name), "%s%s", b->estimated || c->estimated ? "stalling slow paths" :
		 "slow-path entries", unit);
	dist_row(f, name, &b->slow, &c->slow);
	dist_row(f, "kswapd CPU %", &b->kswapd, &c->kswapd);
	snprintf(name, sizeof(name), "direct reclaim%s", unit);
	dist_row(f, name, &b->reclaim, &c->reclaim);
	snprintf(name, sizeof(name), "direct compaction%s", unit);
	dist_row(f, name, &b->compaction_tries, &c->compaction_tries);
	dist_row(f, "window s", &b->window_s, &c->window_s);
	dist_row(f, "allocations/s", &b->alloc_rate, &c->alloc_rate);
	fprintf(f, "  %-26s %9s %-19s %9s %s\n", "latency (runs pooled)", "p50", "/ p99", "p50", "/ p99");
	lat_row(f, "slow path", &b->slow_path, &c->slow_path);
	lat_row(f, "direct reclaim", &b->direct_reclaim, &c->direct_reclaim);
	lat_row(f, "direct compaction", &b->compaction, &c->compaction);

	snprintf(name, sizeof(name), "SLOW%s", unit);
	fprintf(f, "\nRuns\n  %-4s %10s %7s %8s %9s %6s  %s\n", "SIDE", name, "KSWAPD%",
		"WINDOW_S", "ALLOCS", "LOST", "CAPTURE");
	runs_text(f, "base", in->base, in->nbase, o->per);
	runs_text(f, "new", in->cand, in->ncand, o->per);

	fprintf(f, "\nResult (medians)\n");
	switch (res->r_state) {
	case ANL_CMP_R_DEFINED:
		fprintf(f, "  R  slow-path reduction %8.1f %%", res->r);
		break;
	case ANL_CMP_R_BOTH_ZERO:
		fprintf(f, "  R  slow-path reduction %8.1f %%  (no slow paths on either side)", 0.0);
		break;
	case ANL_CMP_R_UNDEFINED:
		fprintf(f, "  R  slow-path reduction  undefined  (baseline has none, candidate has some: -inf)");
		break;
	}
	if (res->confidence)
		fprintf(f, "   95 %% interval %s .. %s", fmt_pct(p1, 24, res->r_ci.lo), fmt_pct(p2, 24, res->r_ci.hi));
	if (b->estimated || c->estimated)
		fprintf(f, "\n     of the stalling slow paths (tracepoints only; all slow paths need an exact "
			"mode)");
	fprintf(f, "\n  K  kswapd load change  %8.1f %s", res->k,
		res->k_used == ANL_CMP_K_RELATIVE ? "%" : "pt");
	if (res->confidence)
		fprintf(f, "   95 %% interval %s .. %s", fmt_pct(p1, 24, res->k_ci.lo), fmt_pct(p2, 24, res->k_ci.hi));
	fprintf(f, "\n     %s; %s points of one CPU (%.1f %% -> %.1f %%)\n", k_words(res),
		fmt_pct(p3, 24, res->k_points), b->kswapd.median, c->kswapd.median);
	if (o->per != ANL_CMP_PER_SECOND)
		fprintf(f, "     K stays kswapd CPU %% of window time: --per %s normalizes slow paths, reclaim "
			"and compaction only\n", anl_cmp_per_name(o->per));

	fprintf(f, "\nConfidence\n");
	if (!res->confidence) {
		fprintf(f, "  none can be given: %s has one run, its spread is unknown\n", one_run_side(in));
	} else {
		fprintf(f, "  Mann-Whitney U (%s, two-sided): slow paths p = %.3f, kswapd load p = %.3f\n",
			res->mwu_slow.exact ? "exact" : "normal approximation", res->mwu_slow.p, res->mwu_kswapd.p);
		if (res->mwu_slow.exact)
			fprintf(f, "    (with %zu vs %zu runs no p below %.3f is possible)\n",
				in->nbase, in->ncand, res->mwu_slow.p_min);
		fprintf(f, "  bootstrap: intervals above are 2.5/97.5 percentiles of %u resamples of whole runs\n"
			"    (fixed seed); the rule passes in %.1f %% of them\n",
			o->bootstrap, res->verdict_support * 100);
	}

	fprintf(f, "\nVERDICT: %s  (%s)\n", res->verdict.pass ? "PASS" : "FAIL", res->verdict.reason);
	fprintf(f, "  rule: %s\n", rule_str(rule, sizeof(rule), o));
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static void jnum(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.4f", v);
	else
		fputs("null", f);
}

/* quartiles only from 4 runs up: below that they would just repeat the median */
static void jdist(FILE *f, const char *name, const struct anl_cmp_dist *d, size_t n, bool last)
{
	fprintf(f, "      \"%s\": {\"median\": ", name);
	jnum(f, d->median);
	fprintf(f, ", \"min\": ");
	jnum(f, d->min);
	fprintf(f, ", \"max\": ");
	jnum(f, d->max);
	fprintf(f, ", \"q1\": ");
	jnum(f, n >= 4 ? d->q1 : NAN);
	fprintf(f, ", \"q3\": ");
	jnum(f, n >= 4 ? d->q3 : NAN);
	fprintf(f, "}%s\n", last ? "" : ",");
}

static void jlat(FILE *f, const char *name, const struct anl_stat *s, bool last)
{
	fprintf(f, "      \"%s\": {\"count\": %" PRIu64 ", \"timed\": %" PRIu64 ", \"p50_ns\": %" PRIu64
		", \"p90_ns\": %" PRIu64 ", \"p99_ns\": %" PRIu64 ", \"max_ns\": %" PRIu64 "}%s\n",
		name, s->count, s->timed, anl_stat_percentile(s, 50), anl_stat_percentile(s, 90),
		anl_stat_percentile(s, 99), s->max_ns, last ? "" : ",");
}

static void jside(FILE *f, const char *name, const struct anl_cmp_side *s,
		  const struct anl_cmp_run *runs, size_t n, enum anl_cmp_per per, bool last)
{
	fprintf(f, "  \"%s\": {\n    \"n\": %zu, \"estimated\": %s,\n", name, n, s->estimated ? "true" : "false");
	fprintf(f, "    \"totals\": {\"allocations\": %" PRIu64 ", \"slow_path_entries\": %" PRIu64
		", \"failed\": %" PRIu64 "},\n", s->alloc_total, s->slow_total, s->failed_total);
	fprintf(f, "    \"runs\": [\n");
	for (size_t i = 0; i < n; i++) {
		const struct anl_cmp_run *r = &runs[i];

		fprintf(f, "      {\"path\": ");
		rpt_json_str(f, r->path);
		fprintf(f, ", \"mode\": ");
		rpt_json_str(f, anl_mode_name(r->mode));
		fprintf(f, ", \"kernel\": ");
		rpt_json_str(f, r->kernel[0] ? r->kernel : NULL);
		fprintf(f, ", \"window_ns\": %" PRIu64 ", \"allocations\": %" PRIu64
			", \"slow_path_entries\": %" PRIu64 ", \"slow_path_value\": ",
			r->window_ns, r->allocations, r->slow);
		jnum(f, anl_cmp_normalize(r, r->slow, per));
		fprintf(f, ", \"kswapd_cpu_percent\": ");
		if (r->kswapd_known)
			jnum(f, r->kswapd_pct);
		else
			fputs("null", f);
		fprintf(f, ", \"direct_reclaim\": %" PRIu64 ", \"compaction_tries\": %" PRIu64
			", \"failed\": %" PRIu64 ", \"lost_events\": %" PRIu64 ", \"slow_path_exact\": %s}%s\n",
			r->reclaim, r->compaction_tries, r->failed, r->lost_events,
			r->slow_exact ? "true" : "false", i + 1 < n ? "," : "");
	}
	fprintf(f, "    ],\n    \"values\": {\n");
	jdist(f, "slow_path", &s->slow, n, false);
	jdist(f, "kswapd_cpu_percent", &s->kswapd, n, false);
	jdist(f, "direct_reclaim", &s->reclaim, n, false);
	jdist(f, "compaction_tries", &s->compaction_tries, n, false);
	jdist(f, "window_s", &s->window_s, n, false);
	jdist(f, "allocations_per_sec", &s->alloc_rate, n, true);
	fprintf(f, "    },\n    \"latency\": {\n");
	jlat(f, "slow_path", &s->slow_path, false);
	jlat(f, "direct_reclaim", &s->direct_reclaim, false);
	jlat(f, "compaction", &s->compaction, true);
	fprintf(f, "    }\n  }%s\n", last ? "" : ",");
}

static const char *r_state_name(enum anl_cmp_r_state st)
{
	switch (st) {
	case ANL_CMP_R_DEFINED:		return "defined";
	case ANL_CMP_R_BOTH_ZERO:	return "both_zero";
	case ANL_CMP_R_UNDEFINED:	return "undefined";
	}
	return "?";
}

static void jmwu(FILE *f, const char *name, const struct anl_cmp_mwu *m, bool last)
{
	fprintf(f, "      \"%s\": {\"u\": ", name);
	jnum(f, m->u);
	fprintf(f, ", \"p\": ");
	jnum(f, m->p);
	fprintf(f, ", \"p_min\": ");
	jnum(f, m->p_min);
	fprintf(f, ", \"exact\": %s}%s\n", m->exact ? "true" : "false", last ? "" : ",");
}

int rpt_compare_json(const struct rpt_cmp_input *in, FILE *f)
{
	const struct anl_cmp_result *res = in->res;
	const struct anl_cmp_opts *o = &res->opts;
	bool first = true;

	fprintf(f, "{\n  \"schema_version\": %d,\n  \"kind\": \"compare\",\n", RPT_COMPARE_SCHEMA_VERSION);
	fprintf(f, "  \"settings\": {\"per\": \"%s\", \"kswapd_delta\": \"%s\", \"max_kswapd_increase\": ",
		anl_cmp_per_name(o->per), anl_cmp_kdelta_name(o->kdelta));
	jnum(f, o->max_kswapd_increase);
	fprintf(f, ", \"ratio\": ");
	jnum(f, o->ratio);
	fprintf(f, ", \"min_reduction\": ");
	if (o->has_min_reduction)
		jnum(f, o->min_reduction);
	else
		fputs("null", f);
	/* the seed as a string: JSON readers lose integers above 2^53 */
	fprintf(f, ", \"bootstrap_resamples\": %u, \"seed\": \"0x%016" PRIx64 "\", \"force\": %s, \"forced\": [",
		o->bootstrap, (uint64_t)ANL_CMP_SEED, in->forced ? "true" : "false");
	for (unsigned int bit = 1, n = 0; bit <= ANL_CMP_G_LAST; bit <<= 1)
		if (in->forced & bit)
			fprintf(f, "%s\"%s\"", n++ ? ", " : "", anl_cmp_guard_name(bit));
	/* --per normalizes counts; K is always a share of the window's time */
	fprintf(f, "], \"k_basis\": \"window time\"},\n");

	fprintf(f, "  \"kernel_unknown\": %zu,\n", res->kernel_unknown);
	fprintf(f, "  \"guards\": [");
	for (unsigned int bit = 1; bit <= ANL_CMP_G_LAST; bit <<= 1) {
		char msg[512];

		if (!(res->guards & bit))
			continue;
		anl_cmp_guard_text(res, in->base, in->nbase, in->cand, in->ncand, bit, msg, sizeof(msg));
		fprintf(f, "%s\n    {\"name\": \"%s\", \"message\": ", first ? "" : ",", anl_cmp_guard_name(bit));
		rpt_json_str(f, msg);
		fprintf(f, "}");
		first = false;
	}
	fprintf(f, "%s],\n", first ? "" : "\n  ");

	jside(f, "base", &res->base, in->base, in->nbase, o->per, false);
	jside(f, "new", &res->cand, in->cand, in->ncand, o->per, false);

	fprintf(f, "  \"result\": {\"r_percent\": ");
	jnum(f, res->r);
	fprintf(f, ", \"r_state\": \"%s\", \"k\": ", r_state_name(res->r_state));
	jnum(f, res->k);
	fprintf(f, ", \"k_unit\": \"%s\", \"k_fallback_to_points\": %s, \"k_points\": ",
		res->k_used == ANL_CMP_K_RELATIVE ? "percent" : "points", res->k_fallback ? "true" : "false");
	jnum(f, res->k_points);
	fprintf(f, "},\n");

	fprintf(f, "  \"confidence\": {\n    \"given\": %s,\n", res->confidence ? "true" : "false");
	if (res->confidence) {
		fprintf(f, "    \"mann_whitney\": {\n");
		jmwu(f, "slow_path", &res->mwu_slow, false);
		jmwu(f, "kswapd_cpu_percent", &res->mwu_kswapd, true);
		fprintf(f, "    },\n    \"bootstrap\": {\"r_ci95\": [");
		jnum(f, res->r_ci.lo);
		fprintf(f, ", ");
		jnum(f, res->r_ci.hi);
		fprintf(f, "], \"k_ci95\": [");
		jnum(f, res->k_ci.lo);
		fprintf(f, ", ");
		jnum(f, res->k_ci.hi);
		fprintf(f, "], \"verdict_support\": ");
		jnum(f, res->verdict_support);
		fprintf(f, "}\n");
	} else {
		fprintf(f, "    \"reason\": \"one run on a side: its spread is unknown\"\n");
	}
	fprintf(f, "  },\n");

	fprintf(f, "  \"verdict\": {\"pass\": %s, \"reduction_ok\": %s, \"k_ok\": %s, \"ratio_ok\": %s, "
		"\"min_reduction_ok\": %s, \"reason\": ",
		res->verdict.pass ? "true" : "false", res->verdict.r_ok ? "true" : "false",
		res->verdict.k_ok ? "true" : "false",
		res->verdict.ratio_ok ? "true" : "false", res->verdict.min_ok ? "true" : "false");
	rpt_json_str(f, res->verdict.reason);
	fprintf(f, "}\n}\n");
	return ferror(f) ? -1 : 0;
}

/* ---- HTML ---------------------------------------------------------------- */

/* Okabe-Ito, like the analyze page: the two sides stay apart for every colour vision. */
#define CMP_BASE_COLOR	"#0072B2"
#define CMP_CAND_COLOR	"#E69F00"

#define STRIP_W		480	/* one panel of the per-run chart (viewBox units) */
#define STRIP_H		270
#define STRIP_LEFT	64
#define STRIP_TOP	30
#define STRIP_PLOT_H	190

static const char cmp_css[] =
	".verdict{border:1px solid;border-radius:8px;padding:10px 14px;margin:10px 0}"
	".verdict .v{font-size:28px;font-weight:700;margin-right:12px}"
	".pass{background:#dff3e4;border-color:#8cc79c;color:#11602b}"
	".fail{background:#fde0dc;border-color:#e79a8f;color:#9b1c0c}"
	".warn{background:#fff1d6;border:1px solid #e0b96a;border-radius:6px;padding:6px 10px;"
	"margin:6px 0;color:#7a4b00}"
	"#verdict .kpis{grid-template-columns:repeat(auto-fill,minmax(400px,1fr))}"
	"#runs td,#runs th{padding:3px 6px}#runs td.path{white-space:normal;text-align:left}";

static void html_td_str(FILE *f, const char *cls, const char *text)
{
	fprintf(f, "<td class=\"%s\">", cls);
	rpt_html_str(f, text);
	fprintf(f, "</td>");
}

/* @v with @decimals digits after the point, as the text report prints it */
static void html_td_num(FILE *f, int decimals, double v)
{
	fprintf(f, "<td class=num>%.*f</td>", decimals, v);
}

static void html_td_count(FILE *f, uint64_t n)
{
	char b[32];

	fprintf(f, "<td class=num>%s</td>", rpt_fmt_count(b, sizeof(b), n));
}

static void html_header(FILE *f, const struct rpt_cmp_input *in)
{
	const struct anl_cmp_result *res = in->res;
	const struct anl_cmp_opts *o = &res->opts;
	char kernel[256];

	fprintf(f, "<header><h1>allocscope compare: baseline vs candidate</h1><p class=sub>"
		"%zu baseline vs %zu candidate capture%s &middot; slow paths per %s &middot; mode <b>%s</b> ",
		in->nbase, in->ncand, in->ncand == 1 ? "" : "s",
		o->per == ANL_CMP_PER_KALLOC ? "1,000 allocations" : anl_cmp_per_name(o->per),
		anl_mode_name(in->base[0].mode));
	if (res->base.estimated || res->cand.estimated)
		rpt_html_badge(f, "es", "estimated: stalling slow paths (tracepoints only)");
	else
		rpt_html_badge(f, "ex", "exact");
	fprintf(f, " &middot; kernel ");
	rpt_html_str(f, kernel_words(kernel, sizeof(kernel), in));
	fprintf(f, "</p></header>\n");
}

static void html_clause(FILE *f, const char *clause, const char *value, bool asked, bool ok)
{
	fprintf(f, "<tr><td class=t><code>");
	rpt_html_str(f, clause);
	fprintf(f, "</code></td>");
	html_td_str(f, "num", value);
	fprintf(f, "<td class=t>");
	if (!asked)
		rpt_html_badge(f, "un", "not asked");
	else
		rpt_html_badge(f, ok ? "ex" : "no", ok ? "holds" : "fails");
	fprintf(f, "</td></tr>\n");
}

static void html_verdict(FILE *f, const struct rpt_cmp_input *in)
{
	const struct anl_cmp_result *res = in->res;
	const struct anl_cmp_opts *o = &res->opts;
	const char *kunit = res->k_used == ANL_CMP_K_RELATIVE ? "%" : "pt";
	char v[64], d[256], p1[24], p2[24], p3[24], c[96];
	bool est;

	fprintf(f, "<section id=verdict><h2>Verdict</h2>\n<div class=\"verdict %s\"><span class=v>%s</span>",
		res->verdict.pass ? "pass" : "fail", res->verdict.pass ? "PASS" : "FAIL");
	rpt_html_str(f, res->verdict.reason);
	fprintf(f, "</div>\n<p>rule: <code>");
	rpt_html_str(f, rule_str(d, sizeof(d), o));
	fprintf(f, "</code> &middot; exit status %d</p>\n<div class=kpis>\n", res->verdict.pass ? 0 : 3);

	switch (res->r_state) {
	case ANL_CMP_R_DEFINED:
		snprintf(v, sizeof(v), "%.1f %%", res->r);
		snprintf(d, sizeof(d), "side medians %.1f -> %.1f", res->base.slow.median, res->cand.slow.median);
		break;
	case ANL_CMP_R_BOTH_ZERO:
		snprintf(v, sizeof(v), "%.1f %%", 0.0);
		snprintf(d, sizeof(d), "no slow paths on either side");
		break;
	case ANL_CMP_R_UNDEFINED:
		snprintf(v, sizeof(v), "undefined");
		snprintf(d, sizeof(d), "baseline has none, candidate has some: -inf");
		break;
	}
	if (res->confidence)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "; 95 %% interval %s .. %s",
			 fmt_pct(p1, 24, res->r_ci.lo), fmt_pct(p2, 24, res->r_ci.hi));
	est = res->base.estimated || res->cand.estimated;
	rpt_html_kpi_card(f, "R: slow-path reduction", v, est ? "es" : "ex", est ? "of stalling slow paths" : "exact counts",
			  d);

	snprintf(v, sizeof(v), "%.1f %s", res->k, kunit);
	snprintf(d, sizeof(d), "%s; %s points of one CPU (%.1f %% -> %.1f %%)", k_words(res),
		 fmt_pct(p3, 24, res->k_points), res->base.kswapd.median, res->cand.kswapd.median);
	if (res->confidence)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "; 95 %% interval %s .. %s",
			 fmt_pct(p1, 24, res->k_ci.lo), fmt_pct(p2, 24, res->k_ci.hi));
	if (o->per != ANL_CMP_PER_SECOND)
		snprintf(d + strlen(d), sizeof(d) - strlen(d), "; K stays kswapd CPU %% of window time "
			 "(--per %s normalizes slow paths only)", anl_cmp_per_name(o->per));
	rpt_html_kpi_card(f, "K: kswapd load change", v, "ex",
			  res->k_used == ANL_CMP_K_RELATIVE ? "relative" : "points", d);
	fprintf(f, "</div>\n");

	fprintf(f, "<table><tr><th class=t>clause</th><th>value</th><th class=t></th></tr>\n");
	snprintf(c, sizeof(c), "R > 0");
	if (res->r_state == ANL_CMP_R_UNDEFINED)
		snprintf(v, sizeof(v), "R undefined");
	else
		snprintf(v, sizeof(v), "R = %.1f %%", res->r);
	html_clause(f, c, v, true, res->verdict.r_ok);
	snprintf(c, sizeof(c), "K <= %g", o->max_kswapd_increase);
	snprintf(v, sizeof(v), "K = %.1f %s", res->k, kunit);
	html_clause(f, c, v, true, res->verdict.k_ok);
	snprintf(c, sizeof(c), "K <= 0 or R >= %g x K", o->ratio);
	if (res->r_state == ANL_CMP_R_UNDEFINED)
		snprintf(v, sizeof(v), "R undefined");
	else
		snprintf(v, sizeof(v), "R = %.1f %%", res->r);
	html_clause(f, c, v, true, res->verdict.ratio_ok);
	if (o->has_min_reduction)
		snprintf(c, sizeof(c), "R >= %g", o->min_reduction);
	else
		snprintf(c, sizeof(c), "R >= MIN (--min-reduction)");
	html_clause(f, c, v, o->has_min_reduction, res->verdict.min_ok);
	fprintf(f, "</table>\n<p class=mut>R from the side medians of slow-path entries per %s; K from the side "
		"medians of kswapd CPU load. Boundaries are inclusive.</p></section>\n",
		o->per == ANL_CMP_PER_KALLOC ? "1,000 allocations" : anl_cmp_per_name(o->per));
}

static void html_confidence(FILE *f, const struct rpt_cmp_input *in)
{
	const struct anl_cmp_result *res = in->res;

	fprintf(f, "<section id=confidence><h2>Confidence</h2>\n<p>");
	if (!res->confidence) {
		fprintf(f, "None can be given: %s has one run, its spread is unknown.</p></section>\n",
			one_run_side(in));
		return;
	}
	fprintf(f, "Mann-Whitney U (%s, two-sided): slow paths p = %.3f, kswapd load p = %.3f",
		res->mwu_slow.exact ? "exact" : "normal approximation", res->mwu_slow.p, res->mwu_kswapd.p);
	if (res->mwu_slow.exact)
		fprintf(f, " (with %zu vs %zu runs no p below %.3f is possible)", in->nbase, in->ncand,
			res->mwu_slow.p_min);
	fprintf(f, ".</p>\n<p>Bootstrap: the 95 %% intervals of R and K are the 2.5/97.5 percentiles of %u "
		"resamples of whole runs (fixed seed); the rule passes in %.1f %% of them.</p>\n"
		"<p class=mut>Neither changes the verdict, which is computed on the medians; they say how much "
		"to trust it (docs/compare.md).</p></section>\n", res->opts.bootstrap, res->verdict_support * 100);
}

static void html_guards(FILE *f, const struct rpt_cmp_input *in)
{
	const struct anl_cmp_result *res = in->res;

	fprintf(f, "<section id=guards><h2>Guard rails</h2>\n");
	if (!res->guards)
		fprintf(f, "<p class=mut>None tripped: the same capture mode and kernel%s, %s%.0f %%, "
			"allocation rates within %.0fx, no lost events, kswapd load known everywhere."
			"</p>\n", res->kernel_unknown ? " (where the captures name it)" : "",
			res->opts.per == ANL_CMP_PER_KALLOC ? "window lengths not checked (per 1,000 allocations "
			"they normalize nothing), not within " : "window lengths within ",
			ANL_CMP_WINDOW_TOLERANCE * 100, ANL_CMP_WORKLOAD_RATIO);
	for (unsigned int bit = 1; bit <= ANL_CMP_G_LAST; bit <<= 1) {
		char msg[512];

		if (!(res->guards & bit))
			continue;
		anl_cmp_guard_text(res, in->base, in->nbase, in->cand, in->ncand, bit, msg, sizeof(msg));
		fprintf(f, "<div class=warn><b>WARNING</b> (%s): ", anl_cmp_guard_name(bit));
		rpt_html_str(f, msg);
		if (in->forced & bit)
			fprintf(f, " (compared anyway: --force %s)", anl_cmp_guard_name(bit));
		fprintf(f, "</div>\n");
	}
	fprintf(f, "</section>\n");
}

static void html_dist_row(FILE *f, const char *name, const struct anl_cmp_dist *b, const struct anl_cmp_dist *c)
{
	fprintf(f, "<tr><td class=t>");
	rpt_html_str(f, name);
	fprintf(f, "</td><td class=num>%.1f</td><td class=num>[%.1f .. %.1f]</td>"
		"<td class=num>%.1f</td><td class=num>[%.1f .. %.1f]</td></tr>\n",
		b->median, b->min, b->max, c->median, c->min, c->max);
}

static void html_total_row(FILE *f, const char *name, uint64_t b, uint64_t c)
{
	fprintf(f, "<tr><td class=t>%s</td>", name);
	html_td_count(f, b);
	fprintf(f, "<td></td>");
	html_td_count(f, c);
	fprintf(f, "<td></td></tr>\n");
}

static void html_lat_row(FILE *f, const char *stage, const char *side, const struct anl_stat *s)
{
	char b[32];

	fprintf(f, "<tr><td class=t>%s</td><td class=t>%s</td>", stage, side);
	html_td_count(f, s->count);
	html_td_count(f, s->timed);
	if (!s->timed) {
		fprintf(f, "<td colspan=4 class=\"t mut\">none timed</td></tr>\n");
		return;
	}
	fprintf(f, "<td class=num>%s</td>", rpt_fmt_ns(b, sizeof(b), anl_stat_percentile(s, 50)));
	fprintf(f, "<td class=num>%s</td>", rpt_fmt_ns(b, sizeof(b), anl_stat_percentile(s, 90)));
	fprintf(f, "<td class=num>%s</td>", rpt_fmt_ns(b, sizeof(b), anl_stat_percentile(s, 99)));
	fprintf(f, "<td class=num>%s</td></tr>\n", rpt_fmt_ns(b, sizeof(b), s->max_ns));
}

static void html_sides(FILE *f, const struct rpt_cmp_input *in)
{
	const struct anl_cmp_side *b = &in->res->base, *c = &in->res->cand;
	const char *unit = per_unit(in->res->opts.per);
	char name[64];

	fprintf(f, "<section id=sides><h2>Per side</h2>\n<table><tr><th class=t></th>"
		"<th style=\"color:%s\">baseline median</th><th>[min .. max]</th>"
		"<th style=\"color:%s\">candidate median</th><th>[min .. max]</th></tr>\n",
		CMP_BASE_COLOR, CMP_CAND_COLOR);
	snprintf(name, sizeof(name), "%s%s", b->estimated || c->estimated ? "stalling slow paths" :
		 "slow-path entries", unit);
	html_dist_row(f, name, &b->slow, &c->slow);
	html_dist_row(f, "kswapd CPU %", &b->kswapd, &c->kswapd);
	snprintf(name, sizeof(name), "direct reclaim%s", unit);
	html_dist_row(f, name, &b->reclaim, &c->reclaim);
	snprintf(name, sizeof(name), "direct compaction%s", unit);
	html_dist_row(f, name, &b->compaction_tries, &c->compaction_tries);
	html_dist_row(f, "window s", &b->window_s, &c->window_s);
	html_dist_row(f, "allocations/s", &b->alloc_rate, &c->alloc_rate);
	fprintf(f, "<tr><th class=t>all runs together</th><th>baseline</th><th></th><th>candidate</th>"
		"<th></th></tr>\n");
	html_total_row(f, "runs", b->n, c->n);
	html_total_row(f, "allocations", b->alloc_total, c->alloc_total);
	html_total_row(f, b->estimated || c->estimated ? "stalling slow paths" : "slow-path entries",
		       b->slow_total, c->slow_total);
	html_total_row(f, "failed (NULL)", b->failed_total, c->failed_total);
	fprintf(f, "</table>\n<p class=mut>Median of the per-run values (mean of the two middle ones for an even "
		"count); [min .. max] is their spread.</p>\n");

	fprintf(f, "<h3>Latency, runs pooled</h3>\n<table><tr><th class=t>stage</th><th class=t>side</th>"
		"<th>count</th><th>timed</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>\n");
	html_lat_row(f, "slow path", "baseline", &b->slow_path);
	html_lat_row(f, "slow path", "candidate", &c->slow_path);
	html_lat_row(f, "direct reclaim", "baseline", &b->direct_reclaim);
	html_lat_row(f, "direct reclaim", "candidate", &c->direct_reclaim);
	html_lat_row(f, "direct compaction", "baseline", &b->compaction);
	html_lat_row(f, "direct compaction", "candidate", &c->compaction);
	fprintf(f, "</table>\n<p class=mut>The runs' histograms added together: percentiles of the pooled "
		"allocations (within 1/16 of the value), not a per-run statistic; they take no part in the "
		"verdict.</p></section>\n");
}

/* ---- the per-run chart ---- */

struct strip {
	const char	*title;
	double		ymax;
	int		x0;		/* panel's left edge */
};

static double strip_y(const struct strip *p, double v)
{
	return STRIP_TOP + STRIP_PLOT_H - (p->ymax > 0 ? v / p->ymax : 0) * STRIP_PLOT_H;
}

static void strip_side(FILE *f, const struct strip *p, const struct rpt_cmp_input *in, bool cand, bool kswapd)
{
	const struct anl_cmp_run *runs = cand ? in->cand : in->base;
	const struct anl_cmp_side *sd = cand ? &in->res->cand : &in->res->base;
	const struct anl_cmp_dist *d = kswapd ? &sd->kswapd : &sd->slow;
	size_t n = cand ? in->ncand : in->nbase;
	double plot_w = STRIP_W - STRIP_LEFT - 16;
	double cx = p->x0 + STRIP_LEFT + plot_w * (cand ? 0.72 : 0.28), y;
	double sp = n > 1 ? fmin(14.0, 110.0 / (double)(n - 1)) : 0;
	const char *color = cand ? CMP_CAND_COLOR : CMP_BASE_COLOR;

	fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s (%zu)</text>\n", cx,
		STRIP_TOP + STRIP_PLOT_H + 16, cand ? "candidate" : "baseline", n);
	fprintf(f, "<g fill=\"%s\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"1\">", color);
	for (size_t i = 0; i < n; i++) {
		const struct anl_cmp_run *r = &runs[i];
		double v = kswapd ? r->kswapd_pct : anl_cmp_normalize(r, r->slow, in->res->opts.per);

		if (kswapd && !r->kswapd_known)
			continue;
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\"><title>",
			cx + ((double)i - (double)(n - 1) / 2) * sp, strip_y(p, v));
		rpt_html_str(f, r->path);
		fprintf(f, ": %.1f%s</title></circle>", v, kswapd ? " %" : per_unit(in->res->opts.per));
	}
	fprintf(f, "</g>\n");
	y = strip_y(p, d->median);
	fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#1b1f24\" stroke-width=\"2\"/>"
		"<text x=\"%.1f\" y=\"%.1f\">%.1f</text>\n", cx - 70, cx + 70, y, y, cx + 74, y + 4, d->median);
}

static void strip_panel(FILE *f, struct strip *p, const struct rpt_cmp_input *in, bool kswapd)
{
	double vmax = 0, step, plot_w = STRIP_W - STRIP_LEFT - 16;

	for (size_t i = 0; i < in->nbase + in->ncand; i++) {
		const struct anl_cmp_run *r = i < in->nbase ? &in->base[i] : &in->cand[i - in->nbase];
		double v = kswapd ? r->kswapd_pct : anl_cmp_normalize(r, r->slow, in->res->opts.per);

		if (isfinite(v) && v > vmax)
			vmax = v;
	}
	step = rpt_html_nice_step(vmax > 0 ? vmax : 1, 5);
	p->ymax = ceil((vmax > 0 ? vmax : 1) / step) * step;
	fprintf(f, "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\" style=\"font-weight:600\">%s</text>\n",
		p->x0 + STRIP_LEFT + plot_w / 2, p->title);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"none\" stroke=\"#c9d0d7\"/>\n",
		p->x0 + STRIP_LEFT, STRIP_TOP, plot_w, STRIP_PLOT_H);
	for (double t = 0; t <= p->ymax + step * 1e-9; t += step) {
		double y = strip_y(p, t);

		fprintf(f, "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e6e9ed\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", p->x0 + STRIP_LEFT,
			p->x0 + STRIP_LEFT + plot_w, y, y, p->x0 + STRIP_LEFT - 6, y + 4, t);
	}
	strip_side(f, p, in, false, kswapd);
	strip_side(f, p, in, true, kswapd);
}

static void html_chart(FILE *f, const struct rpt_cmp_input *in)
{
	char title[96];
	struct strip slow = { .title = title, .x0 = 0 }, ksw = { .title = "kswapd CPU % of one CPU", .x0 = STRIP_W };

	snprintf(title, sizeof(title), "slow-path entries%s", per_unit(in->res->opts.per));
	fprintf(f, "<section id=chart><h2>Runs at a glance</h2>\n<svg viewBox=\"0 0 %d %d\" width=\"%d\" role=\"img\" "
		"aria-label=\"per-run slow-path entries and kswapd load, baseline and candidate\">\n",
		2 * STRIP_W, STRIP_H, 2 * STRIP_W);
	strip_panel(f, &slow, in, false);
	strip_panel(f, &ksw, in, true);
	fprintf(f, "</svg>\n<div class=legend><span><i class=sw style=\"background:%s\"></i>baseline run</span>"
		"<span><i class=sw style=\"background:%s\"></i>candidate run</span>"
		"<span><i class=sw style=\"background:#1b1f24;border-radius:0;height:2px;vertical-align:3px\"></i>"
		"side median (the value R and K are computed from)</span></div>\n"
		"<p class=mut>One dot per capture, spread sideways only to keep them apart. Hover a dot for its "
		"file and value.</p></section>\n", CMP_BASE_COLOR, CMP_CAND_COLOR);
}

/* Pooled latency histograms of both sides on one scale, when either side timed some. */
static void html_hist_pair(FILE *f, const char *stage, const struct anl_stat *b, const struct anl_stat *c)
{
	struct rpt_html_hist_axis axis = { .lo = -1, .hi = -1 };
	char name[96];

	if (!b->timed && !c->timed)
		return;
	rpt_html_hist_axis(b, &axis);
	rpt_html_hist_axis(c, &axis);
	for (int side = 0; side < 2; side++) {
		const struct anl_stat *s = side ? c : b;

		snprintf(name, sizeof(name), "%s, %s", stage, side ? "candidate" : "baseline");
		if (s->timed) {
			rpt_html_hist(f, name, side ? CMP_CAND_COLOR : CMP_BASE_COLOR, s, &axis);
			continue;
		}
		fprintf(f, "<figure style=\"margin:0\"><h3>");
		rpt_html_str(f, name);
		fprintf(f, "</h3><p class=mut>none timed</p></figure>\n");
	}
}

static void html_latency(FILE *f, const struct rpt_cmp_input *in)
{
	const struct anl_cmp_side *b = &in->res->base, *c = &in->res->cand;

	fprintf(f, "<section id=latency><h2>Latency histograms, runs pooled</h2>\n<p class=mut>Each pair shares "
		"one scale: baseline left, candidate right.</p>\n<div class=hists>\n");
	html_hist_pair(f, "slow path", &b->slow_path, &c->slow_path);
	html_hist_pair(f, "direct reclaim", &b->direct_reclaim, &c->direct_reclaim);
	html_hist_pair(f, "direct compaction", &b->compaction, &c->compaction);
	fprintf(f, "</div></section>\n");
}

/* A file name that may wrap after each '/' in a narrow cell. */
static void html_path(FILE *f, const char *path)
{
	char c[2] = { 0 };

	for (; *path; path++) {
		c[0] = *path;
		rpt_html_str(f, c);
		if (*path == '/')
			fputs("<wbr>", f);
	}
}

static void html_runs_side(FILE *f, const char *side, const struct anl_cmp_run *runs, size_t n,
			   enum anl_cmp_per per)
{
	for (size_t i = 0; i < n; i++) {
		const struct anl_cmp_run *r = &runs[i];

		fprintf(f, "<tr><td class=t>%s", side);
		rpt_html_badge(f, r->slow_exact ? "ex" : "es", r->slow_exact ? "exact" : "lower bound");
		fprintf(f, "</td>");
		html_td_num(f, 1, anl_cmp_normalize(r, r->slow, per));
		if (r->kswapd_known)
			html_td_num(f, 1, r->kswapd_pct);
		else
			fprintf(f, "<td>?</td>");
		html_td_num(f, 2, (double)r->window_ns / 1e9);
		html_td_count(f, r->allocations);
		html_td_count(f, r->slow);
		html_td_count(f, r->reclaim);
		html_td_count(f, r->compaction_tries);
		html_td_count(f, r->failed);
		html_td_count(f, r->lost_events);
		fprintf(f, "<td class=path><code>");
		html_path(f, r->path);
		fprintf(f, "</code></td></tr>\n");
	}
}

static void html_runs(FILE *f, const struct rpt_cmp_input *in)
{
	enum anl_cmp_per per = in->res->opts.per;

	fprintf(f, "<section id=runs><h2>Runs</h2>\n<table><tr><th class=t>side</th><th>slow%s</th>"
		"<th>kswapd %%</th><th>window s</th><th>allocations</th><th>slow paths</th><th>reclaim</th>"
		"<th>compaction</th><th>failed</th><th>lost</th>"
		"<th class=t>capture</th></tr>\n", per_unit(per));
	html_runs_side(f, "base", in->base, in->nbase, per);
	html_runs_side(f, "new", in->cand, in->ncand, per);
	fprintf(f, "</table>\n<p class=mut>Counts in each capture's window: slow-path entries, direct reclaim "
		"entries, direct compaction tries, failed allocations, lost events; the badge says whether a run's "
		"slow paths are exact or a lower bound.</p></section>\n");
}

int rpt_compare_html(const struct rpt_cmp_input *in, FILE *f)
{
	char title[96];

	snprintf(title, sizeof(title), "%zu baseline vs %zu candidate", in->nbase, in->ncand);
	rpt_html_begin(f, "allocscope compare: ", title, cmp_css);
	html_header(f, in);
	html_verdict(f, in);
	html_guards(f, in);
	html_confidence(f, in);
	html_chart(f, in);
	html_sides(f, in);
	html_latency(f, in);
	html_runs(f, in);
	rpt_html_end(f, in->version, "Every number is the one <code>allocscope compare</code> prints as text and "
		     "JSON; the method is in docs/compare.md.");
	return ferror(f) ? -1 : 0;
}
