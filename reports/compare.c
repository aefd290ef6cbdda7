// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare reports: the short human table and the JSON of docs/compare.md.
 * Every number comes from struct anl_cmp_result; nothing is computed here.
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

static const char *fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", (double)ns / 1e9);
	return buf;
}

static const char *fmt_pct(char *buf, size_t len, double v)
{
	if (isinf(v))
		snprintf(buf, len, "%s", v < 0 ? "-inf" : "+inf");
	else
		snprintf(buf, len, "%+.1f", v);
	return buf;
}

/* ---- text ---------------------------------------------------------------- */

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
	snprintf(lb, sizeof(lb), "/ %s", b->timed ? fmt_ns(x[1], 24, anl_stat_percentile(b, 99)) : "-");
	fprintf(f, "  %-26s %9s %-19s %9s / %s\n", name,
		b->timed ? fmt_ns(x[0], 24, anl_stat_percentile(b, 50)) : "-", lb,
		c->timed ? fmt_ns(x[2], 24, anl_stat_percentile(c, 50)) : "-",
		c->timed ? fmt_ns(x[3], 24, anl_stat_percentile(c, 99)) : "-");
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
	char name[64], p1[24], p2[24], p3[24];

	fprintf(f, "allocscope compare: %zu baseline vs %zu candidate capture%s, slow paths per %s\n",
		in->nbase, in->ncand, in->ncand == 1 ? "" : "s",
		o->per == ANL_CMP_PER_KALLOC ? "1,000 allocations" : anl_cmp_per_name(o->per));
	fprintf(f, "  mode        %s%s\n", anl_mode_name(in->base[0].mode),
		b->estimated || c->estimated ? " (slow paths estimated: a lower bound)" : " (exact)");
	fprintf(f, "  kernel      %s\n", in->base[0].kernel[0] ? in->base[0].kernel : "unknown");

	if (res->guards) {
		fprintf(f, "\n");
		for (unsigned int bit = 1; bit <= ANL_CMP_G_KSWAPD; bit <<= 1) {
			char msg[512];

			if (!(res->guards & bit))
				continue;
			anl_cmp_guard_text(res, in->base, in->nbase, in->cand, in->ncand, bit, msg, sizeof(msg));
			fprintf(f, "WARNING: %s%s\n", msg, in->forced ? " (compared anyway: --force)" : "");
		}
	}

	fprintf(f, "\n  %-26s %9s %-19s %9s %s\n", "", "BASELINE", "", "CANDIDATE", "");
	fprintf(f, "  %-26s %9s %-19s %9s %s\n", "", "median", "[min .. max]", "median", "[min .. max]");
	snprintf(name, sizeof(name), "slow-path entries%s", unit);
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
	fprintf(f, "\n  K  kswapd load change  %8.1f %s", res->k,
		res->k_used == ANL_CMP_K_RELATIVE ? "%" : "pt");
	if (res->confidence)
		fprintf(f, "   95 %% interval %s .. %s", fmt_pct(p1, 24, res->k_ci.lo), fmt_pct(p2, 24, res->k_ci.hi));
	fprintf(f, "\n     %s; %s points of one CPU (%.1f %% -> %.1f %%)\n",
		res->k_used == ANL_CMP_K_RELATIVE ? "relative to the baseline's load" :
		res->k_fallback ? "in points: the baseline's kswapd load is 0, a relative change is undefined" :
		"in percentage points (--kswapd-delta points)",
		fmt_pct(p3, 24, res->k_points), b->kswapd.median, c->kswapd.median);

	fprintf(f, "\nConfidence\n");
	if (!res->confidence) {
		fprintf(f, "  none can be given: %s has one run, its spread is unknown\n",
			in->nbase < 2 ? "the baseline" : "the candidate");
	} else {
		fprintf(f, "  Mann-Whitney U (%s, two-sided): slow paths p = %.3f, kswapd load p = %.3f\n",
			res->mwu_slow.exact ? "exact" : "normal approximation", res->mwu_slow.p, res->mwu_kswapd.p);
		if (res->mwu_slow.exact)
			fprintf(f, "    (with %zu vs %zu runs no p below %.3f is possible)\n",
				in->nbase, in->ncand, res->mwu_slow.p_min);
		fprintf(f, "  bootstrap: intervals above are 2.5/97.5 percentiles of %u resamples of whole runs\n"
			"    (fixed seed); the verdict holds in %.1f %% of them\n",
			o->bootstrap, res->verdict_support * 100);
	}

	fprintf(f, "\nVERDICT: %s  (%s)\n", res->verdict.pass ? "PASS" : "FAIL", res->verdict.reason);
	fprintf(f, "  rule: K <= %g and (K <= 0 or R >= %g x K)", o->max_kswapd_increase, o->ratio);
	if (o->has_min_reduction)
		fprintf(f, " and R >= %g", o->min_reduction);
	fprintf(f, "\n");
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
	fprintf(f, ", \"bootstrap_resamples\": %u, \"seed\": \"0x%016" PRIx64 "\", \"force\": %s},\n",
		o->bootstrap, (uint64_t)ANL_CMP_SEED, in->forced ? "true" : "false");

	fprintf(f, "  \"guards\": [");
	for (unsigned int bit = 1; bit <= ANL_CMP_G_KSWAPD; bit <<= 1) {
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

	fprintf(f, "  \"verdict\": {\"pass\": %s, \"k_ok\": %s, \"ratio_ok\": %s, \"min_reduction_ok\": %s, \"reason\": ",
		res->verdict.pass ? "true" : "false", res->verdict.k_ok ? "true" : "false",
		res->verdict.ratio_ok ? "true" : "false", res->verdict.min_ok ? "true" : "false");
	rpt_json_str(f, res->verdict.reason);
	fprintf(f, "}\n}\n");
	return ferror(f) ? -1 : 0;
}
