// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope stalls: the individual slow allocations of a trace, longest
 * first (or in time order), each with its stage breakdown and what else was
 * happening meanwhile.  Two passes over the trace keep memory bounded by
 * --top (reports/stalls.c explains).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "cli.h"
#include "parsers.h"
#include "report.h"

#define STALLS_MAX_TOP	100000

struct stalls_settings {
	struct rpt_stalls_filter flt;
	uint64_t	top;
	enum anl_mode	mode;
	bool		no_window;
	bool		json;
	enum cli_color	color;
	int		threads;	/* --threads: 2 = decode ahead (0 = 1) */
	bool		include_recorder;	/* --include-recorder */
	const char	*trace;
	/* --from/--to +T / -T: relative to the window's start (the +WINDOW column) */
	bool		from_rel, to_rel;
	int64_t		from_rel_ns, to_rel_ns;
	bool		frames;		/* --frames: late frames and the stalls inside them */
	uint64_t	frame_budget_ns;	/* --frame-budget, 0 = the analyzer's default */
	bool		top_given, stall_filter;	/* -n; a stall-list option (--min ... --sort) */
};

static void stalls_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope stalls [OPTIONS] TRACE\n"
		"\n"
		"The individual slow allocations of TRACE, longest first: task, time (trace\n"
		"clock and relative to the window), order, gfp, total latency and its stages\n"
		"(wake_all_kswapds, compaction, direct_reclaim, retry_loop, ..., other; see\n"
		"allocscope-analyze(1) STAGES), pages reclaimed, and what else happened\n"
		"meanwhile (kswapd CPU time, other tasks stalled).\n"
		"The whole trace is searched, not only the window.\n"
		"\n"
		"With --frames: the frames of the apps' atrace slices (trace_marker: Choreographer\n"
		"#doFrame on the UI thread, DrawFrame on its RenderThread) longer than their\n"
		"budget, each with the allocation stalls of its threads inside its slices, their\n"
		"share of the frame, and whether they explain its lateness: stalls >= duration\n"
		"- budget (docs/jank.md). A Perfetto trace's frame timeline (Android 12+) adds\n"
		"the app frames SurfaceFlinger timed: late when their jank type blames the app\n"
		"or over the budget, with the stalls of their process's threads.\n"
		"\n"
		"  -M, --min DURATION     latency at least (default 1ms; 0 = every slow path)\n"
		"  -T, --task NAME|PID    only this task name, or this pid or tgid\n"
		"      --from TIME        stalls overlapping [TIME, ...]: seconds in the trace's\n"
		"      --to TIME          own clock, as trace-cmd report prints them (13.512345),\n"
		"                         or +T / -T relative to the window's start, as the\n"
		"                         +WINDOW column shows it (+1.5s, +250ms, +2.37)\n"
		"  -n, --top N            list at most N (default 20; --frames: the N most late)\n"
		"      --frames           late frames and the allocation stalls inside them\n"
		"      --frame-budget MS  a frame's budget in ms (default 16.667, one 60 Hz vsync;\n"
		"                         11.1 at 90 Hz, 8.33 at 120 Hz; or with a unit: 8333us)\n"
		"  -s, --sort KEY         latency (default: longest first) or time\n"
		"  -j, --json             JSON instead of text\n"
		"      --color[=WHEN]     text in color: auto (default: on a terminal, unless\n"
		"                         NO_COLOR is set), always, never\n"
		"      --no-color         the same as --color=never\n"
		"  -m, --mode MODE        force the capture mode (graph, graph+retval, retprobe,\n"
		"                         freelist, events)\n"
		"      --no-window        +WINDOW relative to the trace's start, not the markers'\n"
		"      --include-recorder list the recorder's own slow allocations too\n"
		"      --threads N        1 (default): read and analyze on one thread; 2: decode\n"
		"                         the trace on a second thread ahead of the analysis\n"
		"                         (faster only with a second CPU idle)\n"
		"  -h, --help             this text\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 unreadable or malformed input, 4 the\n"
		"trace is cut short (the stalls before the cut are listed).\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope stalls trace.dat\n"
		"  allocscope stalls --min 10ms --task surfaceflinger trace.dat\n"
		"  allocscope stalls --from 13.50 --to 13.55 --sort time trace.dat\n"
		"  allocscope stalls --from +2.3s --to +2.4s trace.dat\n"
		"  allocscope stalls --top 100 --json trace.txt.zst > stalls.json\n"
		"  allocscope stalls --frames trace.dat\n"
		"  allocscope stalls --frames --frame-budget 8.33 --json systrace.txt\n");
}

/*
 * "13.512345" (seconds, trace clock) -> ns in *out; "+1.5s", "-250ms", "+2.37"
 * (a duration relative to the window's start) -> ns in *rel, *is_rel set.
 */
static int parse_ts(const char *opt, const char *s, uint64_t *out, bool *is_rel, int64_t *rel)
{
	char *end;
	double v;

	*is_rel = false;
	if (*s == '+' || *s == '-') {
		uint64_t ns;

		if (cli_parse_duration_ns(opt, s + 1, &ns))
			return -1;
		if (ns > INT64_MAX) {
			cli_error("%s: too far from the window: '%s'", opt, s);
			return -1;
		}
		*is_rel = true;
		*rel = *s == '-' ? -(int64_t)ns : (int64_t)ns;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0) || v > 1.8e10) {
		cli_error("%s: not a trace timestamp in seconds (e.g. 13.512345): '%s'", opt, s);
		return -1;
	}
	*out = (uint64_t)llround(v * 1e9);
	return 0;
}

enum { OPT_FROM = 256, OPT_TO, OPT_NO_WINDOW, OPT_COLOR, OPT_NO_COLOR, OPT_THREADS,
       OPT_INCLUDE_RECORDER, OPT_FRAMES, OPT_FRAME_BUDGET };

static int stalls_parse(int argc, char **argv, struct stalls_settings *s)
{
	static const struct option longopts[] = {
		{ "min",	required_argument,	NULL, 'M' },
		{ "task",	required_argument,	NULL, 'T' },
		{ "from",	required_argument,	NULL, OPT_FROM },
		{ "to",		required_argument,	NULL, OPT_TO },
		{ "top",	required_argument,	NULL, 'n' },
		{ "sort",	required_argument,	NULL, 's' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "mode",	required_argument,	NULL, 'm' },
		{ "no-window",	no_argument,		NULL, OPT_NO_WINDOW },
		{ "color",	optional_argument,	NULL, OPT_COLOR },
		{ "no-color",	no_argument,		NULL, OPT_NO_COLOR },
		{ "threads",	required_argument,	NULL, OPT_THREADS },
		{ "include-recorder", no_argument,	NULL, OPT_INCLUDE_RECORDER },
		{ "frames",	no_argument,		NULL, OPT_FRAMES },
		{ "frame-budget", required_argument,	NULL, OPT_FRAME_BUDGET },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":M:T:n:s:jm:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'M':
			if (cli_parse_duration_ns("--min", optarg, &s->flt.min_ns))
				return -1;
			s->stall_filter = true;
			break;
		case 'T': {
			char *end;
			long v;

			s->stall_filter = true;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (*optarg && !*end && !errno) {
				if (v < 0 || v > INT32_MAX) {
					cli_error("--task: pid out of range: '%s'", optarg);
					return -1;
				}
				s->flt.pid = (int32_t)v;
			} else if (!*optarg) {
				cli_error("--task: empty task name");
				return -1;
			} else {
				s->flt.comm = optarg;
			}
			break;
		}
		case OPT_FROM:
			s->stall_filter = true;
			if (parse_ts("--from", optarg, &s->flt.from_ts, &s->from_rel, &s->from_rel_ns))
				return -1;
			break;
		case OPT_TO:
			s->stall_filter = true;
			if (parse_ts("--to", optarg, &s->flt.to_ts, &s->to_rel, &s->to_rel_ns))
				return -1;
			break;
		case 'n':
			if (cli_parse_u64("--top", optarg, &s->top))
				return -1;
			if (!s->top || s->top > STALLS_MAX_TOP) {
				cli_error("--top: 1 to %d", STALLS_MAX_TOP);
				return -1;
			}
			s->top_given = true;
			break;
		case 's':
			s->stall_filter = true;
			if (!strcmp(optarg, "time")) {
				s->flt.by_time = true;
			} else if (!strcmp(optarg, "latency")) {
				s->flt.by_time = false;
			} else {
				cli_error("--sort: 'latency' or 'time', not '%s'", optarg);
				return -1;
			}
			break;
		case 'j':
			s->json = true;
			break;
		case 'm':
			if (anl_mode_parse(optarg, &s->mode) || s->mode == ANL_MODE_AUTO) {
				cli_error("--mode: unknown mode '%s' (graph, graph+retval, retprobe, freelist, events)",
					  optarg);
				return -1;
			}
			break;
		case OPT_NO_WINDOW:
			s->no_window = true;
			break;
		case OPT_COLOR:
			if (cli_parse_color(optarg, &s->color))
				return -1;
			break;
		case OPT_NO_COLOR:
			s->color = CLI_COLOR_NEVER;
			break;
		case OPT_THREADS:
			if (cli_parse_threads(optarg, &s->threads))
				return -1;
			break;
		case OPT_INCLUDE_RECORDER:
			s->include_recorder = true;
			break;
		case OPT_FRAMES:
			s->frames = true;
			break;
		case OPT_FRAME_BUDGET:
			if (cli_parse_frame_budget(optarg, &s->frame_budget_ns))
				return -1;
			break;
		case 'h':
			stalls_usage(stdout);
			exit(EXIT_OK);
		default:
			cli_getopt_error("stalls", c, argv);
			return -1;
		}
	}
	if (optind != argc - 1) {
		cli_usage_error("stalls", optind == argc ? "stalls: a TRACE file is needed" :
			  "stalls: one TRACE at a time");
		return -1;
	}
	if (s->from_rel == s->to_rel && (s->from_rel ? s->from_rel_ns > s->to_rel_ns :
					 s->flt.from_ts > s->flt.to_ts)) {
		cli_error("--from is after --to");
		return -1;
	}
	if (s->frames && s->stall_filter) {
		cli_usage_error("stalls", "--frames lists frames: --min, --task, --from, --to and "
				"--sort choose stalls");
		return -1;
	}
	if (s->frame_budget_ns && !s->frames) {
		cli_usage_error("stalls", "--frame-budget goes with --frames");
		return -1;
	}
	if (s->frames && s->top > ANL_FRAMES_TOP_MAX) {
		cli_error("--top: 1 to %d with --frames", ANL_FRAMES_TOP_MAX);
		return -1;
	}
	s->trace = argv[optind];
	s->flt.top = (unsigned int)s->top;
	return 0;
}

/* One pass: the trace through a fresh analyzer with @opts' callbacks. */
static int stalls_pass(const struct stalls_settings *s, struct anl_opts *opts,
		       struct anl_ctx **ap, struct prs_reader **rp, const struct anl_model **model)
{
	int ret, cut;

	opts->mode = s->mode;
	opts->no_window = s->no_window;
	opts->include_recorder = s->include_recorder;
	opts->frame_budget_ns = s->frame_budget_ns;
	opts->frames_top = (unsigned int)s->top;
	ret = anl_new(opts, ap);
	if (ret < 0) {
		cli_error("%s", anl_strerror(ret));
		return -1;
	}
	cut = cli_feed_trace(s->trace, *ap, rp, NULL, s->threads);
	if (cut < 0)
		return -1;
	if (cli_finish_trace(s->trace, *ap, NULL, model))
		return -1;
	return cut;
}

/* base + rel, kept inside the trace clock's range */
static uint64_t rel_ts(uint64_t base, int64_t rel)
{
	if (rel < 0)
		return (uint64_t)-rel > base ? 0 : base - (uint64_t)-rel;
	return (uint64_t)rel > UINT64_MAX - base ? UINT64_MAX : base + (uint64_t)rel;
}

/*
 * Relative --from/--to: the window's start is known once the trace has been
 * read (markers may come late), so one more pass, without records, finds it.
 * 0; EXIT_INPUT or EXIT_USAGE after printing why.
 */
static int stalls_resolve(struct stalls_settings *s)
{
	struct anl_opts o = { 0 };
	struct anl_ctx *a = NULL;
	struct prs_reader *r = NULL;
	const struct anl_model *m;
	int ret = EXIT_INPUT;

	if (stalls_pass(s, &o, &a, &r, &m) < 0)
		goto out;
	if (s->from_rel)
		s->flt.from_ts = rel_ts(m->scope.begin_ts, s->from_rel_ns);
	if (s->to_rel)
		s->flt.to_ts = rel_ts(m->scope.begin_ts, s->to_rel_ns);
	if (s->flt.from_ts > s->flt.to_ts) {
		cli_error("--from is after --to (the window starts at %llu.%06llu)",
			  (unsigned long long)(m->scope.begin_ts / 1000000000u),
			  (unsigned long long)(m->scope.begin_ts % 1000000000u / 1000u));
		ret = EXIT_USAGE;
		goto out;
	}
	ret = 0;
out:
	prs_close(r);
	anl_free(a);
	return ret;
}

static void on_select(const struct anl_alloc *rec, void *data)
{
	rpt_stalls_select(data, rec);
}

static void on_context(const struct anl_alloc *rec, void *data)
{
	rpt_stalls_context_record(data, rec);
}

static void on_span(const struct anl_span *sp, void *data)
{
	rpt_stalls_context_span(data, sp);
}

/* --frames: one pass; the analyzer pairs the frames and their stalls while it streams. */
static int stalls_frames(const struct stalls_settings *s)
{
	struct anl_opts o = { 0 };
	struct anl_ctx *a = NULL;
	struct prs_reader *r = NULL;
	const struct anl_model *m;
	struct rpt_input in;
	int ret, cut, status = EXIT_INPUT;

	cut = stalls_pass(s, &o, &a, &r, &m);
	if (cut < 0)
		goto out;
	in = (struct rpt_input){
		.model = m,
		.trace_path = s->trace,
		.format = prs_format_name(prs_format(r)),
		.pstats = prs_stats(r),
		.color = cli_color_on(s->color),
	};
	ret = s->json ? rpt_frames_json(&in, stdout) : rpt_frames_text(&in, stdout);
	if (ret < 0 || fflush(stdout)) {
		cli_error("writing the report: %s", strerror(errno));
		goto out;
	}
	status = cut ? EXIT_TRUNCATED : EXIT_OK;
out:
	prs_close(r);
	anl_free(a);
	return status;
}

int cmd_stalls(int argc, char **argv)
{
	struct stalls_settings s = {
		.flt = { .min_ns = 1000000, .pid = -1, .to_ts = UINT64_MAX },
		.top = 20,
		.mode = ANL_MODE_AUTO,
	};
	struct anl_opts o1 = { 0 }, o2 = { 0 };
	struct anl_ctx *a1 = NULL, *a2 = NULL;
	struct prs_reader *r1 = NULL, *r2 = NULL;
	const struct anl_model *model, *model2;
	struct rpt_stalls *st = NULL;
	struct rpt_input in;
	int ret, cut, status = EXIT_INPUT;

	if (stalls_parse(argc, argv, &s))
		return EXIT_USAGE;
	if (s.frames)
		return stalls_frames(&s);
	if ((s.from_rel || s.to_rel) && (ret = stalls_resolve(&s)))
		return ret;
	ret = rpt_stalls_new(&s.flt, &st);
	if (ret < 0) {
		cli_error("%s", rpt_strerror(ret));
		return EXIT_INPUT;
	}

	o1.record = on_select;
	o1.record_data = st;
	cut = stalls_pass(&s, &o1, &a1, &r1, &model);
	if (cut < 0)
		goto out;
	rpt_stalls_end_select(st);

	o2.record = on_context;
	o2.record_data = st;
	o2.span = on_span;
	o2.span_data = st;
	if (stalls_pass(&s, &o2, &a2, &r2, &model2) < 0)
		goto out;

	in = (struct rpt_input){
		.model = model,
		.trace_path = s.trace,
		.format = prs_format_name(prs_format(r1)),
		.pstats = prs_stats(r1),
		.color = cli_color_on(s.color),
	};
	ret = s.json ? rpt_stalls_json(st, &in, stdout) : rpt_stalls_text(st, &in, stdout);
	if (ret < 0 || fflush(stdout)) {
		cli_error("writing the report: %s", strerror(errno));
		goto out;
	}
	status = cut ? EXIT_TRUNCATED : EXIT_OK;
out:
	prs_close(r1);
	prs_close(r2);
	anl_free(a1);
	anl_free(a2);
	rpt_stalls_free(st);
	return status;
}
