/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reports — render the analyzer's const model.  Reports compute nothing
 * new: every number comes from struct anl_model.  Output goes to a FILE*
 * the caller owns (a file, stdout, or open_memstream() in tests).
 */
#ifndef ALLOCSCOPE_REPORT_H
#define ALLOCSCOPE_REPORT_H

#include <stdio.h>

#include "analyzer.h"
#include "parsers.h"

#define RPT_SCHEMA_VERSION	1

struct rpt_input {
	const struct anl_model	*model;
	const char		*trace_path;	/* as given on the command line */
	const char		*format;	/* prs_format_name(), or NULL */
	const struct prs_stats	*pstats;	/* reader statistics, or NULL */
	unsigned int		top_n;		/* tasks listed; 0 = none */
	bool			histograms;	/* text: print log2 histograms */
};

/* 0, or -1 when writing failed (errno set by stdio). */
int rpt_text(const struct rpt_input *in, FILE *f);
int rpt_json(const struct rpt_input *in, FILE *f);

#endif /* ALLOCSCOPE_REPORT_H */
