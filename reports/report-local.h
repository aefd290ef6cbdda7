/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to reports/: small formatting helpers shared by the renderers. */
#ifndef ALLOCSCOPE_REPORT_LOCAL_H
#define ALLOCSCOPE_REPORT_LOCAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"

/* "812ns", "15.1us", "3.2ms", "1.25s"; "-" for PRS_NO_VALUE. */
const char *rpt_fmt_ns(char *buf, size_t len, uint64_t ns);
/* 1,234,567: locale-independent thousands separators. */
const char *rpt_fmt_count(char *buf, size_t len, uint64_t n);
const char *rpt_fmt_fixed(char *buf, size_t len, uint64_t ns, uint64_t unit_ns, int decimals);
/* an allocation's reclaim retry rounds: how they ended, what the slow path does next */
const char *rpt_retry_end_words(uint8_t end);
const char *rpt_retry_end_key(uint8_t end);
const char *rpt_after_retry_words(uint8_t after);
const char *rpt_after_retry_key(uint8_t after);
/*
 * The ground truth's edge column shows events inside the window the kernel's
 * delta may miss (snapshots read inside the markers, both ends bounded)
 * rather than events outside it that it may hold.
 */
bool rpt_gt_inside(const struct anl_model *m);
/* Text reports are at most this wide (a trace path aside). */
#define RPT_WIDTH	100
/* @text indented by @indent, folded at RPT_WIDTH at spaces or after '|'. */
void rpt_put_wrapped(FILE *f, int indent, const char *text);
/*
 * The head the stalls and frames documents share: '{', schema_version, the
 * trace (path, format, cut_at) and the mode, left open after the mode's name.
 */
void rpt_json_doc_head(FILE *f, const struct rpt_input *in);
/* the model's untold lines as a JSON array of strings */
void rpt_json_untold(FILE *f, const struct anl_model *m);
/* @code when the report is in color, else "". */
static inline const char *rpt_sgr(const struct rpt_input *in, const char *code)
{
	return in->color ? code : "";
}
/* The container a text trace came out of ("systrace HTML"), or "". */
static inline const char *rpt_container(const struct rpt_input *in)
{
	return in->pstats && in->pstats->container ? in->pstats->container : "";
}
/* ", in a " before rpt_container(), or "". */
static inline const char *rpt_container_in(const struct rpt_input *in)
{
	return *rpt_container(in) ? ", in a " : "";
}
/* Text with &<>" escaped for HTML. */
void rpt_html_str(FILE *f, const char *s);
/*
 * HTML pieces shared by the analyze page (html.c) and the compare page
 * (compare.c), so that both look alike and escape alike.
 */
/* <!DOCTYPE> .. <body>: @title_prefix@title escaped; @extra_css appended to the shared CSS (may be NULL). */
void rpt_html_begin(FILE *f, const char *title_prefix, const char *title, const char *extra_css);
/* The footer (version, "one self-contained file") followed by @note_html, raw; closes the page. */
void rpt_html_end(FILE *f, const char *version, const char *note_html);
/* <span class="b CLS">: cls "ex" green, "es" amber, "un" grey, "no" red; @text raw. */
void rpt_html_badge(FILE *f, const char *cls, const char *text);
/* One KPI card: @label, @value and @detail escaped, @detail may be NULL. */
void rpt_html_kpi_card(FILE *f, const char *label, const char *value, const char *cls,
		       const char *exactness, const char *detail);
/* An axis step of 1, 2 or 5 x 10^n giving at most about @max_ticks ticks over @span. */
double rpt_html_nice_step(double span, int max_ticks);
/* Round nanoseconds for an axis label: "1us", "2ms", "512ns". */
const char *rpt_html_axis_ns(char *buf, size_t len, uint64_t ns);

/* Bucket range and tallest bucket of one or more histograms drawn on one scale. */
struct rpt_html_hist_axis {
	uint64_t	max;
	int		lo, hi;		/* lo < 0: nothing to draw */
};
/* Widen @axis to @s's non-empty buckets (start from { .lo = -1, .hi = -1 }). */
void rpt_html_hist_axis(const struct anl_stat *s, struct rpt_html_hist_axis *axis);
/* A log2 latency histogram of @s as a <figure> with an SVG, on @axis; @name escaped. */
void rpt_html_hist(FILE *f, const char *name, const char *color, const struct anl_stat *s,
		   const struct rpt_html_hist_axis *axis);

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

/* jank.c: analyze's frames section (text), and the "frames" object (JSON, lines indented by @indent) */
void rpt_jank_section(FILE *f, const struct rpt_input *in);
void rpt_jank_json(FILE *f, const struct rpt_input *in, const char *indent);

#endif
