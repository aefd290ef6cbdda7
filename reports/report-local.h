/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to reports/: small formatting helpers shared by the renderers. */
#ifndef ALLOCSCOPE_REPORT_LOCAL_H
#define ALLOCSCOPE_REPORT_LOCAL_H

#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* "812ns", "15.1us", "3.2ms", "1.25s"; "-" for PRS_NO_VALUE. */
const char *rpt_fmt_ns(char *buf, size_t len, uint64_t ns);
/* 1,234,567: locale-independent thousands separators. */
const char *rpt_fmt_count(char *buf, size_t len, uint64_t n);
/* Text with &<>" escaped for HTML. */
void rpt_html_str(FILE *f, const char *s);
/* The stage that took the most time of a slow allocation (ANL_STAGE_OTHER if none). */
enum anl_stage rpt_dominant_stage(const struct anl_alloc *rec);

/* The analyzer's anomaly counters as every human-readable report labels them. */
struct rpt_anomaly {
	const char	*label;
	size_t		offset;		/* of a uint64_t in struct anl_anomalies */
};
extern const struct rpt_anomaly rpt_anomalies[];
extern const size_t rpt_nr_anomalies;

static inline uint64_t rpt_anomaly_value(const struct anl_anomalies *an, size_t i)
{
	return *(const uint64_t *)((const char *)an + rpt_anomalies[i].offset);
}

#endif
