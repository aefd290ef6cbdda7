/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reports/compare — render an anl_cmp_result (analyzer/compare.h) as a
 * short text table, JSON or an HTML page (docs/compare.md).  Like every report, it
 * computes nothing: the numbers come from the result.  Kept out of
 * report.h so that the single-capture reports and this one evolve apart.
 */
#ifndef ALLOCSCOPE_REPORT_COMPARE_H
#define ALLOCSCOPE_REPORT_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include "compare.h"

#define RPT_COMPARE_SCHEMA_VERSION	1

struct rpt_cmp_input {
	const struct anl_cmp_result	*res;
	const struct anl_cmp_run	*base, *cand;
	size_t				nbase, ncand;
	unsigned int			forced;		/* ANL_CMP_G_* that tripped and --force lifted */
	const char			*version;	/* the HTML footer's; may be NULL */
};

/* 0, or -1 when writing failed (errno set by stdio). */
int rpt_compare_text(const struct rpt_cmp_input *in, FILE *f);
int rpt_compare_json(const struct rpt_cmp_input *in, FILE *f);
/* One self-contained page (inline CSS and SVG, no script), in the analyze page's style. */
int rpt_compare_html(const struct rpt_cmp_input *in, FILE *f);

#endif /* ALLOCSCOPE_REPORT_COMPARE_H */
