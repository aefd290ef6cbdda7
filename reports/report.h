/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reports — render the analyzer's const model.  Reports compute nothing
 * new: every number comes from struct anl_model.  Output goes to a FILE*
 * the caller owns (a file, stdout, or open_memstream() in tests).
 */
#ifndef ALLOCSCOPE_REPORT_H
#define ALLOCSCOPE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "analyzer.h"
#include "parsers.h"

#define RPT_SCHEMA_VERSION	2	/* 2: stages split (docs/stages.md), null when absent, rows in_window */

/* A capture's content identity: the trace file's size and XXH64 (seed 0) of its bytes. */
struct rpt_content {
	uint64_t		size, xxh64;
	bool			known;
};

struct rpt_input {
	const struct anl_model	*model;
	const char		*trace_path;	/* as given on the command line */
	const char		*format;	/* prs_format_name(), or NULL */
	const struct prs_stats	*pstats;	/* reader statistics, or NULL */
	unsigned int		top_n;		/* tasks listed; 0 = none */
	bool			histograms;	/* text: print log2 histograms */
	/* merged summaries (merge.c): JSON writes "merged" and null bounds */
	const char		*mode_name;	/* overrides anl_mode_name(): "mixed" */
	unsigned int		merged_inputs;	/* 0: one capture */
	const char *const	*merged_paths;
	const struct rpt_content *merged_contents;	/* nr_merged_paths of them, or NULL */
	size_t			nr_merged_paths;
	struct rpt_content	content;	/* of trace_path (JSON "trace"); unknown: null */
	const char		*version;	/* allocscope version for the HTML footer */
	bool			color;		/* text: SGR colors (the CLI sets it on a terminal) */
};

/* The colors of the text reports (and of the CLI's own text, e.g. info). */
#define RPT_SGR_BOLD	"\033[1m"
#define RPT_SGR_RED	"\033[1;31m"
#define RPT_SGR_GREEN	"\033[32m"
#define RPT_SGR_YELLOW	"\033[33m"
#define RPT_SGR_RESET	"\033[0m"

/* 0, or -1 when writing failed (errno set by stdio). */
int rpt_text(const struct rpt_input *in, FILE *f);
int rpt_json(const struct rpt_input *in, FILE *f);
/* A JSON string literal (escaped), or null for NULL. */
void rpt_json_str(FILE *f, const char *s);

/* Error codes of the report library (merge, samplers); messages once. */
#define RPT_ERRORS							\
	_RE(OK,		"success"),					\
	_RE(NOMEM,	"out of memory"),				\
	_RE(INVAL,	"invalid argument"),				\
	_RE(JSON,	"not valid JSON"),				\
	_RE(SCHEMA,	"not an allocscope analyze --json summary"),	\
	_RE(VERSION,	"schema_version differs"),			\
	_RE(EDGES,	"histogram bucket edges differ"),		\
	_RE(MODES,	"exact and estimated (events mode) summaries cannot be merged"), \
	_RE(IO,		"write error")

#undef _RE
#define _RE(code, str) RPT_E##code
enum rpt_errno { RPT_ERRORS, RPT_E__LAST };
#undef _RE

const char *rpt_strerror(int code);	/* negative or positive code */

/*
 * Per-allocation rows (rows.c), written from the analyzer's record
 * callback as each allocation finishes: nothing is kept.  CSV (RFC 4180,
 * a header line first) or JSON Lines (one object per line).
 */
enum rpt_rows_format { RPT_ROWS_CSV, RPT_ROWS_JSONL };

int rpt_rows_header(enum rpt_rows_format fmt, FILE *f);
int rpt_rows_write(enum rpt_rows_format fmt, const struct anl_alloc *rec, FILE *f);

/*
 * Timeline sample for the HTML report (timeline.c): bounded memory whatever
 * the trace length.  Slow allocations: the @slowest longest plus a
 * deterministic reservoir of @reservoir others.  Intervals (struct
 * anl_span): up to a fixed number per kind; beyond it, neighbours closer
 * than a growing gap are merged (the gap is reported).
 */
struct rpt_timeline;

int  rpt_timeline_new(unsigned int slowest, unsigned int reservoir, struct rpt_timeline **out);
void rpt_timeline_record(struct rpt_timeline *tl, const struct anl_alloc *rec);
void rpt_timeline_span(struct rpt_timeline *tl, const struct anl_span *span);
void rpt_timeline_free(struct rpt_timeline *tl);

/* One self-contained HTML file: inline CSS and SVG, no script, no network. */
int rpt_html(const struct rpt_input *in, const struct rpt_timeline *tl, FILE *f);

/*
 * Summaries (merge.c): an analyze --json document read back into a model,
 * merged with others (counts add, histograms add bucket-wise, percentiles
 * come from the merged buckets), and written in the same schema so merged
 * summaries merge again.  @err receives a message with the detail.
 */
struct rpt_summary;

int  rpt_summary_parse(const char *text, size_t len, const char *name,
		       struct rpt_summary **out, char *err, size_t errlen);
int  rpt_summary_merge(struct rpt_summary *dst, const struct rpt_summary *src,
		       char *err, size_t errlen);
const struct anl_model *rpt_summary_model(const struct rpt_summary *s);
unsigned int rpt_summary_inputs(const struct rpt_summary *s);	/* captures behind it */
/* The captures behind it, by trace path and content identity (unknown in older summaries). */
size_t rpt_summary_nr_paths(const struct rpt_summary *s);
const char *rpt_summary_path(const struct rpt_summary *s, size_t i);
const struct rpt_content *rpt_summary_content(const struct rpt_summary *s, size_t i);
int  rpt_summary_json(const struct rpt_summary *s, unsigned int top_n, FILE *f);
void rpt_summary_free(struct rpt_summary *s);

/*
 * Stalls (stalls.c): the individual slow allocations of a trace for a
 * post-mortem.  Two passes over the same trace: the first keeps the @top
 * longest that pass the filter (a heap: bounded memory); the second,
 * replaying the same records and spans, measures what happened while each
 * selected one stalled (kswapd running, other tasks' slow allocations).
 */
struct rpt_stalls_filter {
	uint64_t	min_ns;		/* latency at least */
	int32_t		pid;		/* -1 any; matches pid or tgid */
	const char	*comm;		/* NULL any; exact task name */
	uint64_t	from_ts, to_ts;	/* trace clock; overlap with [from, to] */
	unsigned int	top;
	bool		by_time;	/* list in time order instead of longest first */
};

struct rpt_stalls;

int  rpt_stalls_new(const struct rpt_stalls_filter *flt, struct rpt_stalls **out);
void rpt_stalls_select(struct rpt_stalls *st, const struct anl_alloc *rec);	/* pass 1 */
void rpt_stalls_end_select(struct rpt_stalls *st);
void rpt_stalls_context_record(struct rpt_stalls *st, const struct anl_alloc *rec); /* pass 2 */
void rpt_stalls_context_span(struct rpt_stalls *st, const struct anl_span *span);
int  rpt_stalls_text(const struct rpt_stalls *st, const struct rpt_input *in, FILE *f);
int  rpt_stalls_json(const struct rpt_stalls *st, const struct rpt_input *in, FILE *f);
void rpt_stalls_free(struct rpt_stalls *st);

/*
 * Frames (jank.c): the late frames of the trace's atrace slices with the
 * allocation stalls inside them (anl_model.jank), for allocscope stalls
 * --frames; analyze's text and JSON carry the same counts in a section.
 */
int  rpt_frames_text(const struct rpt_input *in, FILE *f);
int  rpt_frames_json(const struct rpt_input *in, FILE *f);

#endif /* ALLOCSCOPE_REPORT_H */
