// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KPI gate's arithmetic (analyzer/compare.c): the verdict at its
 * boundaries (K exactly at the limit, R exactly ratio x K, K negative, zero
 * baselines, equal sides), medians, the exact Mann-Whitney p, guard rails,
 * the reproducible bootstrap, and the renderers (text, JSON, HTML) on a
 * synthetic result.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compare.h"
#include "report-compare.h"

#define SEC	1000000000ull

static struct anl_cmp_run mk(uint64_t slow, uint64_t allocs, double window_s, double kswapd)
{
	struct anl_cmp_run r;

	memset(&r, 0, sizeof(r));
	r.path = "synthetic";
	r.mode = ANL_MODE_RETPROBE;
	r.slow_exact = true;
	r.slow = slow;
	r.allocations = allocs;
	r.window_ns = (uint64_t)(window_s * (double)SEC);
	r.kswapd_known = true;
	r.kswapd_pct = kswapd;
	snprintf(r.kernel, sizeof(r.kernel), "6.12.117+deb12-cloud-amd64");
	return r;
}

static struct anl_cmp_opts opts(void)
{
	struct anl_cmp_opts o;

	anl_cmp_opts_default(&o);
	o.bootstrap = 2000;
	return o;
}

static bool verdict(const struct anl_cmp_opts *o, double r, double k)
{
	struct anl_cmp_verdict v;

	anl_cmp_verdict(o, ANL_CMP_R_DEFINED, r, k, &v);
	return v.pass;
}

/* ---- the rule itself ----------------------------------------------------- */

static void test_k_at_limit(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_verdict v;

	assert_true(verdict(&o, 10, 5));		/* K = 5 exactly, R = 2K exactly */
	assert_true(verdict(&o, 50, 5));
	assert_false(verdict(&o, 50, 5.001));		/* just above the limit */
	anl_cmp_verdict(&o, ANL_CMP_R_DEFINED, 50, 5.001, &v);
	assert_false(v.k_ok);
	assert_true(v.ratio_ok);
	o.max_kswapd_increase = 1;
	assert_true(verdict(&o, 10, 1));
	assert_false(verdict(&o, 10, 1.01));
}

static void test_r_at_ratio(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_verdict v;

	assert_true(verdict(&o, 6, 3));			/* R = 2K exactly */
	assert_false(verdict(&o, 5.99, 3));
	anl_cmp_verdict(&o, ANL_CMP_R_DEFINED, 5.99, 3, &v);
	assert_true(v.k_ok);
	assert_false(v.ratio_ok);
	o.ratio = 3;
	assert_true(verdict(&o, 9, 3));
	assert_false(verdict(&o, 8.9, 3));
	o.ratio = 0;					/* any R > 0 buys any K <= max */
	assert_true(verdict(&o, 0.1, 4));
	assert_false(verdict(&o, 0, 4));		/* R > 0 is strict */
	assert_false(verdict(&o, -1, 4));
}

static void test_k_negative(void **state)
{
	struct anl_cmp_opts o = opts();

	/* no extra kswapd load: the ratio clause holds whatever R is ... */
	assert_true(verdict(&o, 30, -10));
	assert_true(verdict(&o, 0.5, 0));
	/* ... but a slow-path regression never passes (issue 15: R = -4.0 % printed PASS) */
	assert_false(verdict(&o, -20, -10));
	assert_false(verdict(&o, -4, -1));
	assert_false(verdict(&o, 0, 0));
	{
		struct anl_cmp_verdict v;

		anl_cmp_verdict(&o, ANL_CMP_R_DEFINED, -4, -1, &v);
		assert_false(v.r_ok);
		assert_true(v.k_ok && v.ratio_ok && v.min_ok);
		assert_string_equal(v.reason, "R <= 0: slow paths did not fall");
	}
	o.has_min_reduction = true;
	o.min_reduction = 20;
	assert_true(verdict(&o, 30, -10));
	assert_true(verdict(&o, 20, -10));		/* R = min exactly */
	assert_false(verdict(&o, 19.9, -10));
	assert_false(verdict(&o, -20, -10));
}

/* R and K computed from medians land exactly on the limits: rounding must not flip them. */
static void test_boundaries_computed(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	/* slow 100/s -> 90/s: R = 10; kswapd 20 % -> 21 %: K = +5 % relative */
	struct anl_cmp_run b[] = { mk(100, 1000, 1, 20) }, c[] = { mk(90, 1000, 1, 21) };
	/* slow 100 -> 94: R = 6; kswapd 10 % -> 10.3 %: K = 3 (R = 2K) */
	struct anl_cmp_run b2[] = { mk(100, 1000, 1, 10) }, c2[] = { mk(94, 1000, 1, 10.3) };

	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_int_equal(res.r_state, ANL_CMP_R_DEFINED);
	assert_true(fabs(res.r - 10) < 1e-9);
	assert_true(fabs(res.k - 5) < 1e-9);
	assert_int_equal(res.k_used, ANL_CMP_K_RELATIVE);
	assert_true(res.verdict.pass);
	assert_false(res.confidence);			/* one run per side */

	assert_int_equal(anl_cmp_compute(&o, b2, 1, c2, 1, &res), 0);
	assert_true(fabs(res.r - 6) < 1e-9);
	assert_true(fabs(res.k - 3) < 1e-9);
	assert_true(res.verdict.pass);
	c2[0].slow = 95;				/* R = 5 < 2K */
	assert_int_equal(anl_cmp_compute(&o, b2, 1, c2, 1, &res), 0);
	assert_false(res.verdict.pass);
	assert_false(res.verdict.ratio_ok);

	/* points: 20 % -> 25 % is K = 5 points, at the limit */
	o.kdelta = ANL_CMP_K_POINTS;
	c[0].kswapd_pct = 25;
	c[0].slow = 90;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_int_equal(res.k_used, ANL_CMP_K_POINTS);
	assert_true(fabs(res.k - 5) < 1e-9);
	assert_true(res.verdict.pass);
	c[0].kswapd_pct = 25.1;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_false(res.verdict.pass);
	assert_false(res.verdict.k_ok);
}

static void test_zero_baseline_slow(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(0, 1000, 1, 10), mk(0, 1000, 1, 10) };
	struct anl_cmp_run c[] = { mk(0, 1000, 1, 10), mk(0, 1000, 1, 10) };
	double r;

	/* nothing to reduce on either side: R = 0 is none fewer, it fails and says why */
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_int_equal(res.r_state, ANL_CMP_R_BOTH_ZERO);
	assert_true(res.r == 0);
	assert_false(res.verdict.pass);
	assert_false(res.verdict.r_ok);
	assert_true(res.verdict.ratio_ok);
	assert_non_null(strstr(res.verdict.reason, "no slow paths on either side"));
	/* ... but any extra kswapd load then buys nothing */
	c[0].kswapd_pct = c[1].kswapd_pct = 11;
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_false(res.verdict.pass);
	assert_false(res.verdict.ratio_ok);

	/* none before, some after: R undefined, an unbounded increase */
	assert_int_equal(anl_cmp_reduction(0, 5, &r), ANL_CMP_R_UNDEFINED);
	assert_true(isinf(r) && r < 0);
	c[0].slow = c[1].slow = 50;
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_int_equal(res.r_state, ANL_CMP_R_UNDEFINED);
	assert_false(res.verdict.pass);			/* K > 0 and R = -inf */
	c[0].kswapd_pct = c[1].kswapd_pct = 10;		/* K = 0: the ratio clause holds, R > 0 cannot */
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_true(res.verdict.ratio_ok);
	assert_false(res.verdict.r_ok);
	assert_false(res.verdict.pass);
	assert_non_null(strstr(res.verdict.reason, "rose from none"));
	o.has_min_reduction = true;			/* ... a required reduction cannot */
	o.min_reduction = 0;
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_false(res.verdict.pass);
	assert_false(res.verdict.min_ok);
}

static void test_zero_baseline_kswapd(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(100, 1000, 1, 0) }, c[] = { mk(50, 1000, 1, 4) };

	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_true(res.k_fallback);
	assert_int_equal(res.k_used, ANL_CMP_K_POINTS);
	assert_true(fabs(res.k - 4) < 1e-9);
	assert_true(res.verdict.pass);			/* 4 points <= 5, R = 50 >= 8 */
	c[0].kswapd_pct = 6;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_false(res.verdict.pass);
	/* asked for points: no fallback to report */
	o.kdelta = ANL_CMP_K_POINTS;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_false(res.k_fallback);
}

static void test_equal_sides(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res, again;
	struct anl_cmp_run b[] = { mk(100, 1000, 2, 10), mk(120, 1000, 2, 12), mk(110, 1000, 2, 11) };

	assert_int_equal(anl_cmp_compute(&o, b, 3, b, 3, &res), 0);
	assert_true(res.r == 0);
	assert_true(res.k == 0);
	assert_false(res.verdict.pass);			/* no change: no fewer slow paths */
	assert_false(res.verdict.r_ok);
	assert_int_equal(res.guards, 0);
	assert_true(res.confidence);
	assert_true(res.mwu_slow.exact);
	assert_true(fabs(res.mwu_slow.p - 1.0) < 1e-12);
	assert_true(fabs(res.mwu_slow.p_min - 0.1) < 1e-12);	/* 2 / C(6,3) */
	assert_true(res.r_ci.lo <= 0 && res.r_ci.hi >= 0);
	/* fixed seed: the same numbers every time */
	assert_int_equal(anl_cmp_compute(&o, b, 3, b, 3, &again), 0);
	assert_memory_equal(&res.r_ci, &again.r_ci, sizeof(res.r_ci));
	assert_true(res.verdict_support == again.verdict_support);
	/* a requirement of any reduction fails */
	o.has_min_reduction = true;
	o.min_reduction = 1;
	assert_int_equal(anl_cmp_compute(&o, b, 3, b, 3, &res), 0);
	assert_false(res.verdict.pass);
}

/* ---- statistics ---------------------------------------------------------- */

static void test_quantiles(void **state)
{
	const double odd[] = { 1, 2, 10 }, even[] = { 1, 2, 3, 10 };

	assert_true(anl_cmp_quantile(odd, 3, 0.5) == 2);
	assert_true(anl_cmp_quantile(even, 4, 0.5) == 2.5);
	assert_true(anl_cmp_quantile(even, 4, 0) == 1);
	assert_true(anl_cmp_quantile(even, 4, 1) == 10);
	assert_true(fabs(anl_cmp_quantile(even, 4, 0.25) - 1.75) < 1e-12);
}

static void test_mwu_exact(void **state)
{
	const double lo[] = { 1, 2, 3, 4 }, hi[] = { 5, 6, 7, 8 };
	const double outer[] = { 1, 4, 5, 8 }, inner[] = { 2, 3, 6, 7 };
	const double tie_a[] = { 1, 1, 2 }, tie_b[] = { 1, 2, 2 };
	double u;

	/* completely separated 4 vs 4: the two extreme of C(8,4) = 70 splits */
	assert_true(fabs(anl_cmp_mwu_exact_p(lo, 4, hi, 4, &u) - 2.0 / 70) < 1e-12);
	assert_true(u == 16);
	assert_true(fabs(anl_cmp_mwu_exact_p(hi, 4, lo, 4, &u) - 2.0 / 70) < 1e-12);
	assert_true(u == 0);
	/* interleaved: U = 8 = n1 n2 / 2, p = 1 */
	assert_true(fabs(anl_cmp_mwu_exact_p(outer, 4, inner, 4, &u) - 1.0) < 1e-12);
	assert_true(u == 8);
	/* ties keep midranks; p is still a probability */
	u = anl_cmp_mwu_exact_p(tie_a, 3, tie_b, 3, &u);
	assert_true(u > 0 && u <= 1);
}

static void test_guards(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(100, 10000, 4, 10), mk(100, 10000, 4, 10) };
	struct anl_cmp_run c[] = { mk(100, 10000, 4.8, 10), mk(100, 10000, 4.8, 10) };
	char msg[512];

	/* 20 % longer: at the tolerance, not above */
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_int_equal(res.guards, 0);
	c[0].window_ns = c[1].window_ns = 5 * SEC;	/* 25 % */
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_int_equal(res.guards, ANL_CMP_G_WINDOW);
	anl_cmp_guard_text(&res, b, 2, c, 2, ANL_CMP_G_WINDOW, msg, sizeof(msg));
	assert_non_null(strstr(msg, "4.00 s"));

	c[0].window_ns = c[1].window_ns = 4 * SEC;
	c[0].allocations = c[1].allocations = 25000;	/* 2.5x the allocation rate */
	c[1].mode = ANL_MODE_EVENTS;
	snprintf(c[1].kernel, sizeof(c[1].kernel), "6.1.0-56-cloud-amd64");
	c[0].lost_events = 3;
	c[0].kswapd_known = false;
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_int_equal(res.guards, ANL_CMP_G_WORKLOAD | ANL_CMP_G_MODE | ANL_CMP_G_KERNEL |
				     ANL_CMP_G_LOST | ANL_CMP_G_KSWAPD);
	anl_cmp_guard_text(&res, b, 2, c, 2, ANL_CMP_G_KERNEL, msg, sizeof(msg));
	assert_non_null(strstr(msg, "6.1.0-56"));
	anl_cmp_guard_text(&res, b, 2, c, 2, ANL_CMP_G_MODE, msg, sizeof(msg));
	assert_non_null(strstr(msg, "events"));
	/* an unknown kernel cannot be checked and trips nothing */
	c[1].kernel[0] = '\0';
	c[1].mode = ANL_MODE_RETPROBE;
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_int_equal(res.guards & (ANL_CMP_G_KERNEL | ANL_CMP_G_MODE), 0);
}

/* The window guard follows the normalization: per 1,000 allocations the window divides nothing. */
static void test_guard_window_per(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(100, 10000, 4, 10) }, c[] = { mk(60, 6000, 3, 10) };	/* 33 % */

	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_int_equal(res.guards, ANL_CMP_G_WINDOW);
	o.per = ANL_CMP_PER_RUN;			/* counts per capture: the window matters */
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_int_equal(res.guards, ANL_CMP_G_WINDOW);
	o.per = ANL_CMP_PER_KALLOC;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_int_equal(res.guards, 0);
	c[0].allocations = 25000;			/* the workload guard still holds */
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_int_equal(res.guards, ANL_CMP_G_WORKLOAD);
}

/* A capture without allocations measured nothing (a forced mode, an idle window): a guard --force cannot lift. */
static void test_guard_empty(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(100, 10000, 4, 10), mk(90, 10000, 4, 10) };
	struct anl_cmp_run c[] = { mk(0, 0, 4, 10), mk(50, 10000, 4, 10) };
	char msg[512];

	c[0].path = "idle.dat";
	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	assert_true(res.guards & ANL_CMP_G_EMPTY);
	assert_false(ANL_CMP_G_LIFTABLE & ANL_CMP_G_EMPTY);
	assert_false(ANL_CMP_G_LIFTABLE & ANL_CMP_G_KSWAPD);
	anl_cmp_guard_text(&res, b, 2, c, 2, ANL_CMP_G_EMPTY, msg, sizeof(msg));
	assert_non_null(strstr(msg, "idle.dat has 0 allocations"));
	assert_string_equal(anl_cmp_guard_name(ANL_CMP_G_EMPTY), "no-allocations");
}

static void test_guards_parse(void **state)
{
	unsigned int g;
	char bad[32];

	assert_int_equal(anl_cmp_guards_parse("window", &g, bad, sizeof(bad)), 0);
	assert_int_equal(g, ANL_CMP_G_WINDOW);
	assert_int_equal(anl_cmp_guards_parse("window,kernel,lost-events", &g, bad, sizeof(bad)), 0);
	assert_int_equal(g, ANL_CMP_G_WINDOW | ANL_CMP_G_KERNEL | ANL_CMP_G_LOST);
	assert_int_equal(anl_cmp_guards_parse("all", &g, bad, sizeof(bad)), 0);
	assert_int_equal(g, ANL_CMP_G_LIFTABLE);
	assert_int_equal(anl_cmp_guards_parse("window,windw", &g, bad, sizeof(bad)), -ANL_EINVAL);
	assert_string_equal(bad, "windw");
	assert_int_equal(anl_cmp_guards_parse("win", &g, bad, sizeof(bad)), -ANL_EINVAL);	/* no prefixes */
	assert_int_equal(anl_cmp_guards_parse("kswapd-unknown", &g, bad, sizeof(bad)), -ANL_EINVAL);
	assert_int_equal(anl_cmp_guards_parse("no-allocations", &g, bad, sizeof(bad)), -ANL_EINVAL);
	assert_int_equal(anl_cmp_guards_parse("", &g, bad, sizeof(bad)), -ANL_EINVAL);
	assert_int_equal(anl_cmp_guards_parse("window,", &g, bad, sizeof(bad)), -ANL_EINVAL);
	assert_int_equal(anl_cmp_guards_parse("-f", &g, bad, sizeof(bad)), -ANL_EINVAL);
}

static void test_normalize(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	/* the same slow count; the candidate window is twice as long */
	struct anl_cmp_run b[] = { mk(100, 1000, 1, 10) }, c[] = { mk(100, 2000, 1.1, 10) };

	o.per = ANL_CMP_PER_RUN;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_true(res.r == 0);
	o.per = ANL_CMP_PER_KALLOC;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_true(fabs(res.r - 50) < 1e-9);
	o.per = ANL_CMP_PER_SECOND;
	assert_int_equal(anl_cmp_compute(&o, b, 1, c, 1, &res), 0);
	assert_true(fabs(res.r - (1 - 1 / 1.1) * 100) < 1e-9);
	assert_int_equal(anl_cmp_compute(&o, b, 0, c, 1, &res), -ANL_EINVAL);
}

static void test_names(void **state)
{
	enum anl_cmp_per per;
	enum anl_cmp_kdelta k;

	assert_int_equal(anl_cmp_per_parse("kalloc", &per), 0);
	assert_int_equal(per, ANL_CMP_PER_KALLOC);
	assert_int_equal(anl_cmp_per_parse("minute", &per), -ANL_EINVAL);
	assert_int_equal(anl_cmp_kdelta_parse("points", &k), 0);
	assert_int_equal(k, ANL_CMP_K_POINTS);
	assert_string_equal(anl_cmp_per_name(ANL_CMP_PER_RUN), "run");
	assert_string_equal(anl_cmp_guard_name(ANL_CMP_G_WORKLOAD), "workload");
}

static void test_render(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(100, 1000, 1, 0), mk(110, 1000, 1, 0) };
	struct anl_cmp_run c[] = { mk(50, 1000, 1, 2), mk(60, 1000, 1, 3) };
	struct rpt_cmp_input in = { &res, b, c, 2, 2, false, NULL };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(anl_cmp_compute(&o, b, 2, c, 2, &res), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(rpt_compare_json(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "\"kind\": \"compare\""));
	assert_non_null(strstr(buf, "\"k_fallback_to_points\": true"));
	assert_non_null(strstr(buf, "\"pass\": true"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(rpt_compare_text(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "VERDICT: PASS"));
	assert_non_null(strstr(buf, "the baseline's kswapd load is 0"));
	free(buf);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The page: the verdict and the numbers as text prints them, escaped file names, one dot per run and KPI. */
static void test_render_html(void **state)
{
	struct anl_cmp_opts o = opts();
	struct anl_cmp_result res;
	struct anl_cmp_run b[] = { mk(0, 1000, 1, 10), mk(0, 1000, 1, 12), mk(0, 1000, 1, 11) };
	struct anl_cmp_run c[] = { mk(50, 1000, 1, 15), mk(60, 1000, 1, 14) };
	struct rpt_cmp_input in = { &res, b, c, 3, 2, false, "test" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	b[1].path = "<b&\"1\">.dat";
	assert_int_equal(anl_cmp_compute(&o, b, 3, c, 2, &res), 0);
	assert_int_equal(res.r_state, ANL_CMP_R_UNDEFINED);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(rpt_compare_html(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "<span class=v>FAIL</span>"));
	assert_non_null(strstr(buf, "slow paths rose from none (R undefined)"));
	assert_non_null(strstr(buf, ">undefined<"));
	assert_non_null(strstr(buf, "&lt;b&amp;&quot;1&quot;&gt;.dat"));
	assert_null(strstr(buf, "<b&"));
	assert_null(strstr(buf, "<script"));
	assert_int_equal(count(buf, "<circle"), 2 * (3 + 2));
	assert_non_null(strstr(buf, "allocscope test &middot; one self-contained file"));
	assert_non_null(strstr(buf, "</html>\n"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_k_at_limit),
		cmocka_unit_test(test_r_at_ratio),
		cmocka_unit_test(test_k_negative),
		cmocka_unit_test(test_boundaries_computed),
		cmocka_unit_test(test_zero_baseline_slow),
		cmocka_unit_test(test_zero_baseline_kswapd),
		cmocka_unit_test(test_equal_sides),
		cmocka_unit_test(test_quantiles),
		cmocka_unit_test(test_mwu_exact),
		cmocka_unit_test(test_guards),
		cmocka_unit_test(test_guard_window_per),
		cmocka_unit_test(test_guard_empty),
		cmocka_unit_test(test_guards_parse),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_html),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
