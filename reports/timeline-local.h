/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to reports/: the timeline sample (timeline.c), drawn by html.c. */
#ifndef ALLOCSCOPE_TIMELINE_LOCAL_H
#define ALLOCSCOPE_TIMELINE_LOCAL_H

#include <stdbool.h>
#include <stdint.h>

#include "report.h"

struct rpt_tl_dot {
	uint64_t	id;
	uint64_t	start_ts;
	uint64_t	latency_ns;
	int32_t		pid;
	int32_t		order;
	uint8_t		stage;		/* enum anl_stage: the dominant one */
	bool		failed;
	char		comm[16];
};

struct rpt_tl_span {
	uint64_t	start_ts, end_ts;
};

struct rpt_tl_spans {
	struct rpt_tl_span *v;
	size_t		n;
	uint64_t	seen;		/* spans handed in */
	uint64_t	empty;		/* zero-length ones not kept */
	uint64_t	total_ns;	/* sum of their lengths (overlaps counted twice) */
	uint64_t	win_seen;	/* ... of them counted in the window (anl_span.in_win) */
	uint64_t	win_total_ns;	/* ... the window's part of their lengths */
	uint64_t	gap_ns;		/* 0: none merged; else neighbours closer were merged */
};

struct rpt_timeline {
	struct rpt_tl_dot *top;		/* min-heap of the longest */
	unsigned int	top_cap, nr_top;
	struct rpt_tl_dot *res;		/* reservoir */
	unsigned int	res_cap, nr_res;
	uint64_t	res_seen;
	uint64_t	rng;
	uint64_t	slow_seen;	/* slow allocations handed in */
	uint64_t	slow_win;	/* ... of them counted in the window (ANL_REC_IN_WINDOW) */
	uint64_t	no_latency;	/* ... without a latency: not drawn */
	struct rpt_tl_spans spans[ANL_SPAN__COUNT];
	bool		nomem;
};

#endif
