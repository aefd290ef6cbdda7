/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compare — the KPI gate of DESIGN.md: several captures of a baseline and
 * of a candidate, reduced to per-run values, medians and spread per side,
 * the slow-path reduction R %, the kswapd load change K %, a confidence
 * statement and the verdict of the user's rule.  Method: docs/compare.md.
 *
 * Pure arithmetic on models the analyzer already produced: no I/O, no
 * printing, deterministic (the bootstrap has a fixed seed).  It lives next
 * to the analyzer because it computes KPIs; reports/compare.c renders it.
 */
#ifndef ALLOCSCOPE_COMPARE_H
#define ALLOCSCOPE_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"

/* How slow-path entries (and reclaim / compaction counts) are normalized. */
enum anl_cmp_per {
	ANL_CMP_PER_SECOND = 0,	/* per second of window */
	ANL_CMP_PER_KALLOC,	/* per 1,000 allocations */
	ANL_CMP_PER_RUN,	/* per capture, as counted */
};

enum anl_cmp_kdelta {
	ANL_CMP_K_RELATIVE = 0,	/* (new - base) / base, % */
	ANL_CMP_K_POINTS,	/* new - base, percentage points of one CPU */
};

const char *anl_cmp_per_name(enum anl_cmp_per per);	/* "second", "kalloc", "run" */
int anl_cmp_per_parse(const char *s, enum anl_cmp_per *out);	/* 0 or -ANL_EINVAL */
const char *anl_cmp_kdelta_name(enum anl_cmp_kdelta k);	/* "relative", "points" */
int anl_cmp_kdelta_parse(const char *s, enum anl_cmp_kdelta *out);

/* Guard rails: why two sides may not be comparable. */
#define ANL_CMP_WINDOW_TOLERANCE	0.20	/* side medians of window length: longer / shorter - 1 */
#define ANL_CMP_WORKLOAD_RATIO		2.0	/* side medians of allocations per second: higher / lower */

enum {
	ANL_CMP_G_MODE		= 1u << 0,	/* capture modes differ */
	ANL_CMP_G_KERNEL	= 1u << 1,	/* kernel releases differ */
	ANL_CMP_G_WINDOW	= 1u << 2,	/* window lengths differ by > 20 % (either way); not
						 * checked --per kalloc: the window normalizes nothing */
	ANL_CMP_G_WORKLOAD	= 1u << 3,	/* allocations/s differ by > 2x */
	ANL_CMP_G_LOST		= 1u << 4,	/* a capture lost events */
	ANL_CMP_G_KSWAPD	= 1u << 5,	/* a capture has no kswapd load */
	ANL_CMP_G_EMPTY		= 1u << 6,	/* a capture has 0 allocations in its window */
};
#define ANL_CMP_G_LAST		ANL_CMP_G_EMPTY
/* what --force may lift: without kswapd load there is no K, without allocations nothing was measured */
#define ANL_CMP_G_LIFTABLE	(ANL_CMP_G_MODE | ANL_CMP_G_KERNEL | ANL_CMP_G_WINDOW | \
				 ANL_CMP_G_WORKLOAD | ANL_CMP_G_LOST)

/* One capture, reduced to what compare needs (copied out of its model). */
struct anl_cmp_run {
	struct anl_stat	slow_path;	/* latency of each slow allocation */
	struct anl_stat	direct_reclaim;
	struct anl_stat	compaction;
	const char	*path;		/* borrowed from the caller */
	char		kernel[96];	/* "" unknown */
	bool		kernel_given;	/* from --kernel: compared by major.minor only */
	uint64_t	window_ns;
	uint64_t	allocations;
	uint64_t	slow;		/* slow-path entries */
	uint64_t	failed;
	uint64_t	reclaim;	/* direct reclaim entries */
	uint64_t	compaction_tries;
	uint64_t	lost_events, lost_markers;
	double		kswapd_pct;	/* % of one CPU */
	enum anl_mode	mode;
	bool		slow_exact;
	bool		kswapd_known;
};

/* @count of @run per second of window, per 1,000 allocations, or as is. */
double anl_cmp_normalize(const struct anl_cmp_run *run, uint64_t count, enum anl_cmp_per per);

/* Fill @run from an analyzer model; @path is kept as a pointer. */
void anl_cmp_run_from_model(struct anl_cmp_run *run, const struct anl_model *m, const char *path);

/* Median and spread of one per-run value on one side. */
struct anl_cmp_dist {
	double		median, min, max;
	double		q1, q3;		/* quartiles (linear interpolation); = median when n < 4 */
};

struct anl_cmp_side {
	struct anl_stat	slow_path, direct_reclaim, compaction;	/* pooled over the runs */
	struct anl_cmp_dist slow;	/* slow-path entries, normalized (--per) */
	struct anl_cmp_dist kswapd;	/* kswapd load, % of one CPU */
	struct anl_cmp_dist reclaim;	/* direct reclaim entries, normalized */
	struct anl_cmp_dist compaction_tries;	/* normalized */
	struct anl_cmp_dist window_s;
	struct anl_cmp_dist alloc_rate;	/* allocations per second (workload signature) */
	uint64_t	slow_total, alloc_total, failed_total;
	size_t		n;
	bool		estimated;	/* some run's slow paths are a lower bound */
};

/* Settings of the gate (the CLI's options). */
struct anl_cmp_opts {
	double		max_kswapd_increase;	/* default 5 */
	double		ratio;			/* default 2 */
	double		min_reduction;		/* used when has_min_reduction */
	enum anl_cmp_per per;
	enum anl_cmp_kdelta kdelta;
	bool		has_min_reduction;
	unsigned int	bootstrap;		/* resamples, default ANL_CMP_BOOTSTRAP */
};

#define ANL_CMP_BOOTSTRAP	10000
#define ANL_CMP_SEED		0x616c6c6f6373636fULL	/* "allocsco": fixed, output is reproducible */
#define ANL_CMP_EXACT_MAX	20	/* runs in all: exact Mann-Whitney by enumeration up to here */

void anl_cmp_opts_default(struct anl_cmp_opts *o);

/* What the verdict rests on; every "why" is a fixed string. */
enum anl_cmp_r_state {
	ANL_CMP_R_DEFINED = 0,
	ANL_CMP_R_BOTH_ZERO,	/* no slow paths on either side: R = 0 */
	ANL_CMP_R_UNDEFINED,	/* baseline 0, candidate > 0: R undefined (-inf) */
};

struct anl_cmp_verdict {
	const char	*reason;	/* first rule that failed, or why it passed */
	bool		pass;
	bool		r_ok;		/* R > 0: slow paths fell */
	bool		k_ok;		/* K <= max */
	bool		ratio_ok;	/* K <= 0 or R >= ratio * K */
	bool		min_ok;		/* R >= min_reduction (true if not asked) */
};

/*
 * The user's rule on R and K (both in %): R > 0 and K <= max and (K <= 0 or
 * R >= ratio * K) [and R >= min_reduction].  Comparisons allow a relative
 * 1e-9 for floating-point rounding, so K exactly at the limit or R exactly
 * ratio * K passes; R > 0 is strict.
 */
void anl_cmp_verdict(const struct anl_cmp_opts *o, enum anl_cmp_r_state rs, double r, double k,
		     struct anl_cmp_verdict *out);

/* R from the side medians of the normalized slow-path values. */
enum anl_cmp_r_state anl_cmp_reduction(double base, double cand, double *r);
/* K from the side medians of kswapd load; relative falls back to points when base is 0. */
double anl_cmp_kswapd_change(double base, double cand, enum anl_cmp_kdelta want,
			     enum anl_cmp_kdelta *used);

/* Mann-Whitney U of cand vs base (two-sided). */
struct anl_cmp_mwu {
	double		u;		/* U of the candidate sample */
	double		p;		/* two-sided p */
	double		p_min;		/* smallest two-sided p these sample sizes allow (exact) */
	bool		exact;		/* by enumerating every split; else normal approx. with ties */
	bool		valid;		/* both sides have 2+ runs... or 1 vs 2+ */
};

struct anl_cmp_interval {
	double		lo, hi;		/* 95 % percentile interval */
	bool		valid;
};

struct anl_cmp_result {
	struct anl_cmp_side base, cand;
	struct anl_cmp_verdict verdict;
	struct anl_cmp_mwu mwu_slow, mwu_kswapd;
	struct anl_cmp_interval r_ci, k_ci;	/* bootstrap of R and K */
	double		r, k;			/* % */
	double		k_points;		/* always: new - base, points */
	double		verdict_support;	/* share of bootstrap resamples that pass */
	enum anl_cmp_r_state r_state;
	enum anl_cmp_kdelta k_used;		/* relative, or points after a fallback */
	unsigned int	guards;			/* ANL_CMP_G_* that tripped */
	size_t		kernel_unknown;		/* captures without a kernel release: the kernel guard
						 * could not check them */
	bool		confidence;		/* false: one run on a side, no statement */
	bool		k_fallback;		/* relative asked, baseline load 0 */
	struct anl_cmp_opts opts;
};

/*
 * Compute everything.  0, or -ANL_EINVAL when a side is empty.  Guard rails
 * are only flagged in @out->guards: refusing is the caller's decision.
 */
int anl_cmp_compute(const struct anl_cmp_opts *o,
		    const struct anl_cmp_run *base, size_t nbase,
		    const struct anl_cmp_run *cand, size_t ncand,
		    struct anl_cmp_result *out);

const char *anl_cmp_guard_name(unsigned int bit);	/* "mode", "kernel", ...; NULL unknown */
/*
 * --force's list: liftable guard names separated by commas, or "all".
 * 0 and *out = their bits, or -ANL_EINVAL with *bad = the first unknown
 * name (or one that cannot be lifted), NUL-terminated in @bad (size @badlen).
 */
int anl_cmp_guards_parse(const char *list, unsigned int *out, char *bad, size_t badlen);
/* One sentence about a tripped guard (@bit set in res->guards), with the values behind it. */
void anl_cmp_guard_text(const struct anl_cmp_result *res,
			const struct anl_cmp_run *base, size_t nb,
			const struct anl_cmp_run *cand, size_t nc,
			unsigned int bit, char *buf, size_t len);

/* Helpers, exposed for the unit tests. */
double anl_cmp_quantile(const double *sorted, size_t n, double q);	/* q in [0,1] */
double anl_cmp_mwu_exact_p(const double *base, size_t nb, const double *cand, size_t nc, double *u);

#endif /* ALLOCSCOPE_COMPARE_H */
