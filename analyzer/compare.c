// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare: the arithmetic of the KPI gate (docs/compare.md).  Per-run values
 * → medians and spread per side → R, K → the user's rule; a Mann-Whitney U
 * test per KPI and a bootstrap of R and K with a fixed seed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static const char *const per_names[] = {
	[ANL_CMP_PER_SECOND] = "second",
	[ANL_CMP_PER_KALLOC] = "kalloc",
	[ANL_CMP_PER_RUN] = "run",
};

static const char *const kdelta_names[] = {
	[ANL_CMP_K_RELATIVE] = "relative",
	[ANL_CMP_K_POINTS] = "points",
};

const char *anl_cmp_per_name(enum anl_cmp_per per)
{
	return (unsigned int)per < 3 ? per_names[per] : "?";
}

int anl_cmp_per_parse(const char *s, enum anl_cmp_per *out)
{
	for (unsigned int i = 0; i < 3; i++)
		if (!strcmp(s, per_names[i])) {
			*out = (enum anl_cmp_per)i;
			return 0;
		}
	return -ANL_EINVAL;
}

const char *anl_cmp_kdelta_name(enum anl_cmp_kdelta k)
{
	return (unsigned int)k < 2 ? kdelta_names[k] : "?";
}

int anl_cmp_kdelta_parse(const char *s, enum anl_cmp_kdelta *out)
{
	for (unsigned int i = 0; i < 2; i++)
		if (!strcmp(s, kdelta_names[i])) {
			*out = (enum anl_cmp_kdelta)i;
			return 0;
		}
	return -ANL_EINVAL;
}

const char *anl_cmp_guard_name(unsigned int bit)
{
	switch (bit) {
	case ANL_CMP_G_MODE:		return "mode";
	case ANL_CMP_G_KERNEL:		return "kernel";
	case ANL_CMP_G_WINDOW:		return "window";
	case ANL_CMP_G_WORKLOAD:	return "workload";
	case ANL_CMP_G_LOST:		return "lost-events";
	case ANL_CMP_G_KSWAPD:		return "kswapd-unknown";
	case ANL_CMP_G_EMPTY:		return "no-allocations";
	}
	return NULL;
}

int anl_cmp_guards_parse(const char *list, unsigned int *out, char *bad, size_t badlen)
{
	const char *p = list;

	*out = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		unsigned int bit = 0;

		if (n == 3 && !strncmp(p, "all", 3))
			bit = ANL_CMP_G_LIFTABLE;
		for (unsigned int b = 1; !bit && b <= ANL_CMP_G_LAST; b <<= 1)
			if ((b & ANL_CMP_G_LIFTABLE) && strlen(anl_cmp_guard_name(b)) == n &&
			    !strncmp(p, anl_cmp_guard_name(b), n))
				bit = b;
		if (!bit) {
			snprintf(bad, badlen, "%.*s", (int)n, p);
			return -ANL_EINVAL;
		}
		*out |= bit;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

void anl_cmp_opts_default(struct anl_cmp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->max_kswapd_increase = 5;
	o->ratio = 2;
	o->per = ANL_CMP_PER_SECOND;
	o->kdelta = ANL_CMP_K_RELATIVE;
	o->bootstrap = ANL_CMP_BOOTSTRAP;
}

void anl_cmp_run_from_model(struct anl_cmp_run *run, const struct anl_model *m, const char *path)
{
	const struct anl_totals *t = &m->scope;

	memset(run, 0, sizeof(*run));
	run->path = path;
	if (m->kernel)
		snprintf(run->kernel, sizeof(run->kernel), "%s", m->kernel);
	run->kernel_given = m->kernel_given;
	run->mode = m->mode;
	run->slow_exact = m->slow_path_exact;
	run->window_ns = m->window_ns;
	run->allocations = t->allocations;
	run->slow = t->slow;
	run->failed = t->failed;
	run->reclaim = t->reclaim_begin;
	run->compaction_tries = t->try_compact;
	run->lost_events = m->anomalies.lost_events;
	run->lost_markers = m->anomalies.lost_markers;
	run->kswapd_known = m->kswapd_known;
	run->kswapd_pct = m->kswapd_known ? m->kswapd_cpu_percent : 0;
	run->slow_path = t->stage[ANL_STAGE_SLOW_PATH];
	run->direct_reclaim = t->stage[ANL_STAGE_DIRECT_RECLAIM];
	run->compaction = t->stage[ANL_STAGE_COMPACTION];
}

/* ---- small statistics ---------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* R-7 / Excel / numpy default: linear between order statistics. */
double anl_cmp_quantile(const double *sorted, size_t n, double q)
{
	double h, frac;
	size_t lo;

	if (!n)
		return NAN;
	h = (double)(n - 1) * q;
	lo = (size_t)floor(h);
	if (lo >= n - 1)
		return sorted[n - 1];
	frac = h - (double)lo;
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

static void dist(const double *v, size_t n, double *scratch, struct anl_cmp_dist *d)
{
	memcpy(scratch, v, n * sizeof(*v));
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	d->min = scratch[0];
	d->max = scratch[n - 1];
	d->median = anl_cmp_quantile(scratch, n, 0.5);
	d->q1 = n < 4 ? d->median : anl_cmp_quantile(scratch, n, 0.25);
	d->q3 = n < 4 ? d->median : anl_cmp_quantile(scratch, n, 0.75);
}

static double median_of(const double *v, size_t n, double *scratch)
{
	memcpy(scratch, v, n * sizeof(*v));
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	return anl_cmp_quantile(scratch, n, 0.5);
}

double anl_cmp_normalize(const struct anl_cmp_run *r, uint64_t count, enum anl_cmp_per per)
{
	switch (per) {
	case ANL_CMP_PER_SECOND:
		return r->window_ns ? (double)count / ((double)r->window_ns / 1e9) : 0;
	case ANL_CMP_PER_KALLOC:
		return r->allocations ? (double)count * 1000.0 / (double)r->allocations : 0;
	case ANL_CMP_PER_RUN:
		break;
	}
	return (double)count;
}

static void stat_merge(struct anl_stat *dst, const struct anl_stat *src)
{
	dst->count += src->count;
	dst->timed += src->timed;
	dst->total_ns += src->total_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	/* the smaller of the known minimums; 0 (not known) on either side stays 0 */
	if (src->timed && (!dst->timed || src->min_ns < dst->min_ns))
		dst->min_ns = src->min_ns;
	anl_hist_merge(&dst->hist, &src->hist);
}

/* ---- R, K, verdict ------------------------------------------------------- */

enum anl_cmp_r_state anl_cmp_reduction(double base, double cand, double *r)
{
	if (base > 0) {
		*r = (base - cand) / base * 100.0;
		return ANL_CMP_R_DEFINED;
	}
	if (cand > 0) {
		*r = -INFINITY;		/* from none to some: an unbounded increase */
		return ANL_CMP_R_UNDEFINED;
	}
	*r = 0;
	return ANL_CMP_R_BOTH_ZERO;
}

double anl_cmp_kswapd_change(double base, double cand, enum anl_cmp_kdelta want,
			     enum anl_cmp_kdelta *used)
{
	if (want == ANL_CMP_K_RELATIVE && base > 0) {
		*used = ANL_CMP_K_RELATIVE;
		return (cand - base) / base * 100.0;
	}
	*used = ANL_CMP_K_POINTS;
	return cand - base;
}

/* x <= limit, allowing floating-point rounding of a value meant to equal it */
static bool le(double x, double limit)
{
	return x <= limit + 1e-9 * fmax(1.0, fabs(limit));
}

void anl_cmp_verdict(const struct anl_cmp_opts *o, enum anl_cmp_r_state rs, double r, double k,
		     struct anl_cmp_verdict *out)
{
	bool k_nonpos = le(k, 0);

	/* the KPI is fewer slow paths: none fewer (R <= 0, or undefined: -inf) never passes */
	out->r_ok = rs == ANL_CMP_R_DEFINED && r > 0;
	out->k_ok = le(k, o->max_kswapd_increase);
	out->ratio_ok = k_nonpos || le(o->ratio * k, r);
	out->min_ok = !o->has_min_reduction || le(o->min_reduction, r);
	out->pass = out->r_ok && out->k_ok && out->ratio_ok && out->min_ok;
	if (!out->r_ok)
		out->reason = rs == ANL_CMP_R_BOTH_ZERO ? "no slow paths on either side: none fewer (R = 0)" :
			      rs == ANL_CMP_R_UNDEFINED ? "slow paths rose from none (R undefined)" :
			      "R <= 0: slow paths did not fall";
	else if (!out->k_ok)
		out->reason = "K is above --max-kswapd-increase";
	else if (!out->ratio_ok)
		out->reason = "R is below --ratio x K: the extra kswapd load does not buy enough";
	else if (!out->min_ok)
		out->reason = "R is below --min-reduction";
	else if (k_nonpos)
		out->reason = "R > 0 and kswapd load did not rise (K <= 0)";
	else
		out->reason = "R > 0, R >= --ratio x K and K within --max-kswapd-increase";
}

/* ---- Mann-Whitney U ------------------------------------------------------ */

/* Midranks (1-based) of v[0..n) into rank[]. */
static void midranks(const double *v, size_t n, double *rank, size_t *idx)
{
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	/* insertion sort by value, tie-break by index: n is small */
	for (size_t i = 1; i < n; i++) {
		size_t x = idx[i], j = i;

		while (j && (v[idx[j - 1]] > v[x] || (v[idx[j - 1]] == v[x] && idx[j - 1] > x))) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = x;
	}
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && v[idx[j + 1]] == v[idx[i]])
			j++;
		for (size_t k = i; k <= j; k++)
			rank[idx[k]] = (double)(i + j) / 2.0 + 1.0;
		i = j + 1;
	}
}

/*
 * Exact two-sided p of U over all C(nb+nc, nc) equally likely splits of the
 * pooled runs (ties keep their midranks: a permutation test on ranks).
 * Needs nb + nc <= ANL_CMP_EXACT_MAX.  *u = U of the candidate sample.
 */
double anl_cmp_mwu_exact_p(const double *base, size_t nb, const double *cand, size_t nc, double *u)
{
	double pooled[ANL_CMP_EXACT_MAX], rank[ANL_CMP_EXACT_MAX];
	size_t idx[ANL_CMP_EXACT_MAX], n = nb + nc;
	double mean = (double)nb * (double)nc / 2.0, off = (double)nc * (double)(nc + 1) / 2.0;
	double obs = 0, dev;
	uint64_t hits = 0, total = 0;

	if (!nb || !nc || n > ANL_CMP_EXACT_MAX)
		return NAN;
	memcpy(pooled, base, nb * sizeof(double));
	memcpy(pooled + nb, cand, nc * sizeof(double));
	midranks(pooled, n, rank, idx);
	for (size_t i = nb; i < n; i++)
		obs += rank[i];
	obs -= off;
	*u = obs;
	dev = fabs(obs - mean) - 1e-9;
	/* Gosper's hack: every n-bit mask with nc bits set */
	for (uint32_t m = (1u << nc) - 1; m < (1u << n);) {
		double s = 0;

		for (size_t i = 0; i < n; i++)
			if (m & (1u << i))
				s += rank[i];
		if (fabs(s - off - mean) >= dev)
			hits++;
		total++;
		{
			uint32_t c = m & -m, r = m + c;

			m = (((r ^ m) >> 2) / c) | r;
		}
	}
	return (double)hits / (double)total;
}

/* Normal approximation with tie correction and continuity correction. */
static double mwu_normal_p(const double *base, size_t nb, const double *cand, size_t nc, double *u)
{
	size_t n = nb + nc;
	double *pooled = malloc(n * sizeof(double)), *rank = malloc(n * sizeof(double));
	size_t *idx = malloc(n * sizeof(size_t));
	double mean = (double)nb * (double)nc / 2.0, ties = 0, var, z, s = 0, p = NAN;

	if (!pooled || !rank || !idx)
		goto out;
	memcpy(pooled, base, nb * sizeof(double));
	memcpy(pooled + nb, cand, nc * sizeof(double));
	midranks(pooled, n, rank, idx);
	for (size_t i = nb; i < n; i++)
		s += rank[i];
	*u = s - (double)nc * (double)(nc + 1) / 2.0;
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && pooled[idx[j + 1]] == pooled[idx[i]])
			j++;
		ties += pow((double)(j - i + 1), 3) - (double)(j - i + 1);
		i = j + 1;
	}
	var = (double)nb * (double)nc / 12.0 * ((double)(n + 1) - ties / ((double)n * (double)(n - 1)));
	if (var <= 0) {
		p = 1;
		goto out;
	}
	z = fmax(fabs(*u - mean) - 0.5, 0) / sqrt(var);
	p = erfc(z / sqrt(2.0));
out:
	free(pooled);
	free(rank);
	free(idx);
	return p;
}

static void mwu(const double *base, size_t nb, const double *cand, size_t nc, struct anl_cmp_mwu *out)
{
	memset(out, 0, sizeof(*out));
	if (nb < 1 || nc < 1 || nb + nc < 3)
		return;
	out->valid = true;
	/* both extreme splits (all candidate runs below, or all above, the baseline) */
	out->p_min = 2.0;
	for (size_t i = 1; i <= nc; i++)
		out->p_min = out->p_min * (double)i / (double)(nb + i);
	out->p_min = fmin(out->p_min, 1.0);
	if (nb + nc <= ANL_CMP_EXACT_MAX) {
		out->exact = true;
		out->p = anl_cmp_mwu_exact_p(base, nb, cand, nc, &out->u);
	} else {
		out->p = mwu_normal_p(base, nb, cand, nc, &out->u);
	}
}

/* ---- bootstrap ----------------------------------------------------------- */

static uint64_t splitmix64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* nearest-rank percentile of a sorted array (copes with -inf) */
static double nearest_rank(const double *sorted, size_t n, double q)
{
	size_t i = (size_t)ceil(q * (double)n);

	return sorted[i ? i - 1 : 0];
}

struct side_vals {
	const double	*slow, *kswapd;
	size_t		n;
};

static int bootstrap(const struct anl_cmp_opts *o, const struct side_vals *b, const struct side_vals *c,
		     struct anl_cmp_result *res)
{
	size_t nmax = b->n > c->n ? b->n : c->n, B = o->bootstrap;
	double *rs = malloc(B * sizeof(double)), *ks = malloc(B * sizeof(double));
	double *t1 = malloc(nmax * sizeof(double)), *t2 = malloc(nmax * sizeof(double));
	double *scratch = malloc(nmax * sizeof(double));
	uint64_t seed = ANL_CMP_SEED, passes = 0;
	int ret = -ANL_ENOMEM;

	if (!rs || !ks || !t1 || !t2 || !scratch)
		goto out;
	for (size_t i = 0; i < B; i++) {
		double sb, sc, kb, kc, r, k;
		enum anl_cmp_kdelta used;
		enum anl_cmp_r_state st;
		struct anl_cmp_verdict v;

		/* resample whole runs: a run's slow rate and kswapd load stay together */
		for (size_t j = 0; j < b->n; j++) {
			size_t x = (size_t)(splitmix64(&seed) % b->n);

			t1[j] = b->slow[x];
			t2[j] = b->kswapd[x];
		}
		sb = median_of(t1, b->n, scratch);
		kb = median_of(t2, b->n, scratch);
		for (size_t j = 0; j < c->n; j++) {
			size_t x = (size_t)(splitmix64(&seed) % c->n);

			t1[j] = c->slow[x];
			t2[j] = c->kswapd[x];
		}
		sc = median_of(t1, c->n, scratch);
		kc = median_of(t2, c->n, scratch);
		st = anl_cmp_reduction(sb, sc, &r);
		/* the same K definition as the point estimate; a resample whose baseline
		 * load is 0 has no relative change: an increase from 0 is unbounded */
		k = anl_cmp_kswapd_change(kb, kc, res->k_used, &used);
		if (used != res->k_used)
			k = kc > 0 ? INFINITY : 0;
		anl_cmp_verdict(o, st, r, k, &v);
		passes += v.pass;
		rs[i] = r;
		ks[i] = k;
	}
	qsort(rs, B, sizeof(double), cmp_double);
	qsort(ks, B, sizeof(double), cmp_double);
	res->r_ci = (struct anl_cmp_interval){ nearest_rank(rs, B, 0.025), nearest_rank(rs, B, 0.975), true };
	res->k_ci = (struct anl_cmp_interval){ nearest_rank(ks, B, 0.025), nearest_rank(ks, B, 0.975), true };
	res->verdict_support = (double)passes / (double)B;
	ret = 0;
out:
	free(rs);
	free(ks);
	free(t1);
	free(t2);
	free(scratch);
	return ret;
}

/* ---- sides --------------------------------------------------------------- */

struct side_arrays {
	double	*slow, *kswapd, *reclaim, *compact, *window, *rate, *scratch;
};

static void side_arrays_free(struct side_arrays *a)
{
	free(a->slow);
	free(a->kswapd);
	free(a->reclaim);
	free(a->compact);
	free(a->window);
	free(a->rate);
	free(a->scratch);
}

static int side(const struct anl_cmp_opts *o, const struct anl_cmp_run *runs, size_t n,
		struct anl_cmp_side *s, struct side_arrays *a)
{
	double **all[] = { &a->slow, &a->kswapd, &a->reclaim, &a->compact, &a->window, &a->rate, &a->scratch };

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		*all[i] = calloc(n, sizeof(double));
		if (!*all[i])
			return -ANL_ENOMEM;
	}
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		const struct anl_cmp_run *r = &runs[i];

		a->slow[i] = anl_cmp_normalize(r, r->slow, o->per);
		a->kswapd[i] = r->kswapd_pct;
		a->reclaim[i] = anl_cmp_normalize(r, r->reclaim, o->per);
		a->compact[i] = anl_cmp_normalize(r, r->compaction_tries, o->per);
		a->window[i] = (double)r->window_ns / 1e9;
		a->rate[i] = anl_cmp_normalize(r, r->allocations, ANL_CMP_PER_SECOND);
		s->slow_total += r->slow;
		s->alloc_total += r->allocations;
		s->failed_total += r->failed;
		if (!r->slow_exact)
			s->estimated = true;
		stat_merge(&s->slow_path, &r->slow_path);
		stat_merge(&s->direct_reclaim, &r->direct_reclaim);
		stat_merge(&s->compaction, &r->compaction);
	}
	dist(a->slow, n, a->scratch, &s->slow);
	dist(a->kswapd, n, a->scratch, &s->kswapd);
	dist(a->reclaim, n, a->scratch, &s->reclaim);
	dist(a->compact, n, a->scratch, &s->compaction_tries);
	dist(a->window, n, a->scratch, &s->window_s);
	dist(a->rate, n, a->scratch, &s->alloc_rate);
	return 0;
}

/* A release from --kernel says major.minor only ("6.12" or "6.12.117" for 6.12.117+deb12-...). */
static bool kernels_differ(const struct anl_cmp_run *x, const struct anl_cmp_run *y)
{
	int xa, xb, ya, yb;

	if (!x->kernel_given && !y->kernel_given)
		return strcmp(x->kernel, y->kernel);
	if (anl_kernel_version(x->kernel, &xa, &xb) || anl_kernel_version(y->kernel, &ya, &yb))
		return strcmp(x->kernel, y->kernel);
	return xa != ya || xb != yb;
}

static unsigned int guards(const struct anl_cmp_run *base, size_t nb, const struct anl_cmp_run *cand,
			   size_t nc, const struct anl_cmp_result *res)
{
	const struct anl_cmp_run *kernel = NULL;
	unsigned int g = 0;
	double wb = res->base.window_s.median, wc = res->cand.window_s.median;
	double ab = res->base.alloc_rate.median, ac = res->cand.alloc_rate.median;

	for (size_t i = 0; i < nb + nc; i++) {
		const struct anl_cmp_run *r = i < nb ? &base[i] : &cand[i - nb];

		if (r->mode != base[0].mode)
			g |= ANL_CMP_G_MODE;
		/* an unknown kernel cannot be checked: only two known, different ones trip */
		if (r->kernel[0]) {
			if (!kernel)
				kernel = r;
			else if (kernels_differ(kernel, r))
				g |= ANL_CMP_G_KERNEL;
		}
		if (r->lost_events || r->lost_markers)
			g |= ANL_CMP_G_LOST;
		if (!r->kswapd_known)
			g |= ANL_CMP_G_KSWAPD;
		if (!r->allocations)
			g |= ANL_CMP_G_EMPTY;
	}
	/*
	 * symmetric: swapping the sides must not change whether they are
	 * comparable.  Per 1,000 allocations the window length divides nothing
	 * (K is a share of time whatever its length): the workload guard is
	 * what says the sides ran the same thing.
	 */
	if (res->opts.per != ANL_CMP_PER_KALLOC &&
	    (wb > 0 && wc > 0 ? fmax(wb, wc) / fmin(wb, wc) > 1.0 + ANL_CMP_WINDOW_TOLERANCE : wb != wc))
		g |= ANL_CMP_G_WINDOW;
	if (ab > 0 && ac > 0 ? fmax(ab, ac) / fmin(ab, ac) > ANL_CMP_WORKLOAD_RATIO : ab != ac)
		g |= ANL_CMP_G_WORKLOAD;
	return g;
}

int anl_cmp_compute(const struct anl_cmp_opts *o,
		    const struct anl_cmp_run *base, size_t nbase,
		    const struct anl_cmp_run *cand, size_t ncand,
		    struct anl_cmp_result *out)
{
	struct side_arrays ab = { 0 }, ac = { 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	if (!nbase || !ncand || !o->bootstrap)
		return -ANL_EINVAL;
	out->opts = *o;
	ret = side(o, base, nbase, &out->base, &ab);
	if (!ret)
		ret = side(o, cand, ncand, &out->cand, &ac);
	if (ret)
		goto out;

	out->r_state = anl_cmp_reduction(out->base.slow.median, out->cand.slow.median, &out->r);
	out->k = anl_cmp_kswapd_change(out->base.kswapd.median, out->cand.kswapd.median, o->kdelta,
				       &out->k_used);
	out->k_fallback = o->kdelta == ANL_CMP_K_RELATIVE && out->k_used == ANL_CMP_K_POINTS;
	out->k_points = out->cand.kswapd.median - out->base.kswapd.median;
	anl_cmp_verdict(o, out->r_state, out->r, out->k, &out->verdict);
	out->guards = guards(base, nbase, cand, ncand, out);
	for (size_t i = 0; i < nbase + ncand; i++)
		out->kernel_unknown += !(i < nbase ? base[i].kernel : cand[i - nbase].kernel)[0];

	mwu(ab.slow, nbase, ac.slow, ncand, &out->mwu_slow);
	mwu(ab.kswapd, nbase, ac.kswapd, ncand, &out->mwu_kswapd);
	/* one run on a side: its spread is unknown, no statement is possible */
	out->confidence = nbase >= 2 && ncand >= 2;
	if (out->confidence) {
		struct side_vals sb = { ab.slow, ab.kswapd, nbase }, sc = { ac.slow, ac.kswapd, ncand };

		ret = bootstrap(o, &sb, &sc, out);
	}
out:
	side_arrays_free(&ab);
	side_arrays_free(&ac);
	return ret;
}

/* ---- guard messages ------------------------------------------------------ */

static const struct anl_cmp_run *run_at(const struct anl_cmp_run *base, size_t nb,
					const struct anl_cmp_run *cand, size_t i)
{
	return i < nb ? &base[i] : &cand[i - nb];
}

void anl_cmp_guard_text(const struct anl_cmp_result *res,
			const struct anl_cmp_run *base, size_t nb,
			const struct anl_cmp_run *cand, size_t nc,
			unsigned int bit, char *buf, size_t len)
{
	const struct anl_cmp_run *r = base, *first = NULL;
	size_t i;

	switch (bit) {
	case ANL_CMP_G_MODE:
		for (i = 0; i < nb + nc; i++) {
			r = run_at(base, nb, cand, i);
			if (r->mode != base[0].mode)
				break;
		}
		snprintf(buf, len, "capture modes differ: %s is %s, %s is %s",
			 base[0].path, anl_mode_name(base[0].mode), r->path, anl_mode_name(r->mode));
		return;
	case ANL_CMP_G_KERNEL:
		for (i = 0; i < nb + nc; i++) {
			r = run_at(base, nb, cand, i);
			if (!r->kernel[0])
				continue;
			if (!first)
				first = r;
			else if (kernels_differ(first, r))
				break;
		}
		if (!first)
			first = base;
		snprintf(buf, len, "kernels differ: %s runs %s, %s runs %s",
			 first->path, first->kernel, r->path, r->kernel);
		return;
	case ANL_CMP_G_WINDOW:
		snprintf(buf, len, "window lengths differ by more than %.0f %% (longer / shorter): baseline median %.2f s, "
			 "candidate median %.2f s", ANL_CMP_WINDOW_TOLERANCE * 100,
			 res->base.window_s.median, res->cand.window_s.median);
		return;
	case ANL_CMP_G_WORKLOAD:
		snprintf(buf, len, "workload signatures differ by more than %.0fx: baseline median %.0f "
			 "allocations/s, candidate median %.0f allocations/s", ANL_CMP_WORKLOAD_RATIO,
			 res->base.alloc_rate.median, res->cand.alloc_rate.median);
		return;
	case ANL_CMP_G_LOST:
		for (i = 0; i < nb + nc; i++) {
			r = run_at(base, nb, cand, i);
			if (r->lost_events || r->lost_markers)
				break;
		}
		snprintf(buf, len, "%s lost events (%llu in %llu loss markers): its counts are lower bounds",
			 r->path, (unsigned long long)r->lost_events, (unsigned long long)r->lost_markers);
		return;
	case ANL_CMP_G_KSWAPD:
		for (i = 0; i < nb + nc; i++) {
			r = run_at(base, nb, cand, i);
			if (!r->kswapd_known)
				break;
		}
		snprintf(buf, len, "%s has no kswapd load (no sched_switch or kswapd_wake/sleep events): "
			 "K cannot be computed", r->path);
		return;
	case ANL_CMP_G_EMPTY:
		for (i = 0; i < nb + nc; i++) {
			r = run_at(base, nb, cand, i);
			if (!r->allocations)
				break;
		}
		snprintf(buf, len, "%s has 0 allocations in its window (%s mode): nothing was measured, "
			 "no rate can be compared", r->path, anl_mode_name(r->mode));
		return;
	}
	snprintf(buf, len, "?");
}
