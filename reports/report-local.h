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
/* A JSON string literal, or null. */
/* Text with &<>" escaped for HTML. */
void rpt_html_str(FILE *f, const char *s);
/* The stage that took the most time of a slow allocation (ANL_STAGE_OTHER if none). */
enum anl_stage rpt_dominant_stage(const struct anl_alloc *rec);

#endif
