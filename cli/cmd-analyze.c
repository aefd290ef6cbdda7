// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope analyze: every page allocation of a trace rebuilt into fast /
 * slow / failed, per-stage latencies, the KPIs, and the check against the
 * kernel's own vmstat counters.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer.h"
#include "cli.h"
#include "parsers.h"
#include "report.h"


#define ANALYZE_MAX_VMSTAT	(4u << 20)	/* a /proc/vmstat is ~10 KiB */

struct analyze_settings {
	bool		json;
	enum anl_mode	mode;
	uint64_t	top;
	bool		no_window;
	bool		no_hist;
	const char	*vmstat_before;
	const char	*vmstat_after;
	const char	*csv;		/* per-allocation rows, "-" = stdout */
	const char	*records;	/* the same as JSON Lines */
	const char	*html;		/* self-contained HTML report */
	const char	*kernel;	/* --kernel: release when the trace does not say */
	bool		include_recorder;	/* --include-recorder */
	bool		overwrite;	/* -f: replace existing output files */
	enum cli_color	color;
	int		threads;	/* --threads: 2 = decode ahead (0 = 1) */
	uint64_t	frame_budget_ns;	/* --frame-budget: the Frames section's budget */
	const char	*trace;
};

#define ANALYZE_TL_SLOWEST	500	/* timeline: the longest slow allocations ... */
#define ANALYZE_TL_SAMPLE	500	/* ... plus a random sample of the others */

/* Outputs the record callback writes to while the analyzer streams. */
struct analyze_sinks {
	struct cli_out		csv, records, html;
	struct rpt_timeline	*tl;
	bool			write_failed;
};

static void analyze_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope analyze [OPTIONS] TRACE\n"
		"\n"
		"Rebuilds every page allocation of TRACE (trace.dat, ftrace or function_graph\n"
		"text, perf script; zstd or not) into fast path, slow path or failure, with\n"
		"the time spent in each slow-path stage, and prints the KPIs: slow-path\n"
		"entries (per second, per 1,000 allocations), stage latencies, kswapd CPU,\n"
		"and the trace's counts next to the kernel's vmstat deltas.\n"
		"\n"
		"  -j, --json               the model as JSON (docs/json-schema.md)\n"
		"      --csv FILE           one CSV row per allocation (ts, task, order, gfp,\n"
		"                           outcome, latency, time per stage, parent, in_window),\n"
		"                           streamed; '-' = stdout instead of the report\n"
		"      --records FILE       the same rows as JSON Lines ('-' = stdout)\n"
		"      --html FILE          one self-contained HTML report (inline CSS and SVG,\n"
		"                           no script): KPIs, timeline, histograms, tasks\n"
		"  -f, --force              replace output files that exist (also --overwrite;\n"
		"                           without it an existing output is refused)\n"
		"  -m, --mode MODE          force the capture mode: graph, graph+retval,\n"
		"                           retprobe, freelist, events (default: detected); a mode whose\n"
		"                           events the trace lacks is an error; events counts\n"
		"                           the stalling slow paths (without mm_page_alloc: stall\n"
		"                           episodes, inferred: docs/episodes.md)\n"
		"  -t, --top N              tasks listed by stall time (default 10, 0 = none)\n"
		"      --vmstat-before FILE /proc/vmstat read before the window\n"
		"      --vmstat-after FILE  /proc/vmstat read after the window\n"
		"      --kernel RELEASE     the kernel the trace comes from (e.g. 6.12.117), for\n"
		"                           a text trace that does not say: the ground truth's\n"
		"                           version-dependent derivations use it; refused when\n"
		"                           the trace names another major.minor\n"
		"      --include-recorder   count the recorder's own tasks in the KPIs (default:\n"
		"                           left out and counted apart; the ground truth keeps\n"
		"                           them, as the kernel's deltas do)\n"
		"      --no-window          analyze the whole trace, ignore window markers\n"
		"                           (default: count between VMCAP_WINDOW_BEGIN/END,\n"
		"                           'allocscope: begin'/'end' or 'window-begin'/'-end')\n"
		"      --no-hist            text: leave out the log2 histograms\n"
		"      --frame-budget MS    the Frames section (apps' atrace frames against the\n"
		"                           allocation stalls in them): a frame's budget in ms\n"
		"                           (default 16.667, one 60 Hz vsync; stalls --frames\n"
		"                           lists the late frames)\n"
		"      --color[=WHEN]       text in color: auto (default: on a terminal, unless\n"
		"                           NO_COLOR is set), always, never\n"
		"      --no-color           the same as --color=never\n"
		"      --threads N          1 (default): read and analyze on one thread; 2:\n"
		"                           decode the trace on a second thread ahead of the\n"
		"                           analysis (faster only with a second CPU idle)\n"
		"  -h, --help               this text\n"
		"\n"
		"Output files are written beside their target and renamed over it only when\n"
		"complete: a failed or interrupted run leaves no partial output behind.\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 unreadable or malformed input, 4 the\n"
		"trace is cut short (text ending inside a line, zstd inside a frame, a\n"
		"trace.dat inside or after its CPU data): what is before the cut is analyzed\n"
		"and the report says so.\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope analyze trace.dat\n"
		"  allocscope analyze --json trace.txt.zst > run1.json\n"
		"  allocscope analyze --csv allocs.csv --html report.html trace.dat\n"
		"  allocscope analyze -m events --top 5 trace.dat\n"
		"  allocscope analyze --vmstat-before vmstat.before --vmstat-after vmstat.after trace.dat\n");
}

enum { OPT_VM_BEFORE = 256, OPT_VM_AFTER, OPT_NO_WINDOW, OPT_NO_HIST, OPT_CSV, OPT_RECORDS,
       OPT_HTML, OPT_COLOR, OPT_NO_COLOR, OPT_THREADS, OPT_KERNEL, OPT_INCLUDE_RECORDER,
       OPT_OVERWRITE, OPT_FRAME_BUDGET };

static int analyze_parse(int argc, char **argv, struct analyze_settings *s)
{
	static const struct option longopts[] = {
		{ "json",		no_argument,		NULL, 'j' },
		{ "mode",		required_argument,	NULL, 'm' },
		{ "top",		required_argument,	NULL, 't' },
		{ "vmstat-before",	required_argument,	NULL, OPT_VM_BEFORE },
		{ "vmstat-after",	required_argument,	NULL, OPT_VM_AFTER },
		{ "no-window",		no_argument,		NULL, OPT_NO_WINDOW },
		{ "no-hist",		no_argument,		NULL, OPT_NO_HIST },
		{ "csv",		required_argument,	NULL, OPT_CSV },
		{ "records",		required_argument,	NULL, OPT_RECORDS },
		{ "html",		required_argument,	NULL, OPT_HTML },
		{ "color",		optional_argument,	NULL, OPT_COLOR },
		{ "no-color",		no_argument,		NULL, OPT_NO_COLOR },
		{ "threads",		required_argument,	NULL, OPT_THREADS },
		{ "kernel",		required_argument,	NULL, OPT_KERNEL },
		{ "include-recorder",	no_argument,		NULL, OPT_INCLUDE_RECORDER },
		{ "force",		no_argument,		NULL, 'f' },
		{ "overwrite",		no_argument,		NULL, OPT_OVERWRITE },
		{ "frame-budget",	required_argument,	NULL, OPT_FRAME_BUDGET },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jfm:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			s->json = true;
			break;
		case 'f':
		case OPT_OVERWRITE:
			s->overwrite = true;
			break;
		case 'm':
			if (anl_mode_parse(optarg, &s->mode) || s->mode == ANL_MODE_AUTO) {
				cli_error("--mode: unknown mode '%s' (graph, graph+retval, retprobe, freelist, events)",
					  optarg);
				return -1;
			}
			break;
		case 't':
			if (cli_parse_u64("--top", optarg, &s->top))
				return -1;
			if (s->top > 100000) {
				cli_error("--top: at most 100000");
				return -1;
			}
			break;
		case OPT_VM_BEFORE:
			s->vmstat_before = optarg;
			break;
		case OPT_VM_AFTER:
			s->vmstat_after = optarg;
			break;
		case OPT_NO_WINDOW:
			s->no_window = true;
			break;
		case OPT_NO_HIST:
			s->no_hist = true;
			break;
		case OPT_CSV:
			s->csv = optarg;
			break;
		case OPT_RECORDS:
			s->records = optarg;
			break;
		case OPT_HTML:
			s->html = optarg;
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
		case OPT_KERNEL:
			if (cli_parse_kernel(optarg, &s->kernel))
				return -1;
			break;
		case OPT_INCLUDE_RECORDER:
			s->include_recorder = true;
			break;
		case OPT_FRAME_BUDGET:
			if (cli_parse_frame_budget(optarg, &s->frame_budget_ns))
				return -1;
			break;
		case 'h':
			analyze_usage(stdout);
			exit(EXIT_OK);
		default:
			cli_getopt_error("analyze", c, argv);
			return -1;
		}
	}
	if (optind != argc - 1) {
		cli_usage_error("analyze", optind == argc ? "analyze: a TRACE file is needed" :
			  "analyze: one TRACE at a time");
		return -1;
	}
	if (!s->vmstat_before != !s->vmstat_after) {
		cli_error("--vmstat-before and --vmstat-after go together");
		return -1;
	}
	s->trace = argv[optind];
	{
		int to_stdout = (s->csv && !strcmp(s->csv, "-")) +
				(s->records && !strcmp(s->records, "-")) +
				(s->html && !strcmp(s->html, "-"));

		if (to_stdout > 1 || (to_stdout && s->json)) {
			cli_error("only one of --json, --csv -, --records -, --html - can use stdout");
			return -1;
		}
	}
	return 0;
}

static void analyze_record(const struct anl_alloc *rec, void *data)
{
	struct analyze_sinks *k = data;

	if (k->csv.f && rpt_rows_write(RPT_ROWS_CSV, rec, k->csv.f))
		k->write_failed = true;
	if (k->records.f && rpt_rows_write(RPT_ROWS_JSONL, rec, k->records.f))
		k->write_failed = true;
	if (k->tl)
		rpt_timeline_record(k->tl, rec);
}

static void analyze_span(const struct anl_span *sp, void *data)
{
	struct analyze_sinks *k = data;

	rpt_timeline_span(k->tl, sp);
}

/* --csv, --records, --html: none may be the trace or a vmstat file. */
static int analyze_outputs_not_inputs(const struct analyze_settings *s)
{
	const char *const in[] = { s->trace, s->vmstat_before, s->vmstat_after };

	if (cli_not_an_input("--csv", s->csv, in, 3) < 0 ||
	    cli_not_an_input("--records", s->records, in, 3) < 0 ||
	    cli_not_an_input("--html", s->html, in, 3) < 0)
		return -1;
	return 0;
}

/* --csv, --records, --html: each a temporary file until the report is complete. */
static int analyze_open_outputs(const struct analyze_settings *s, struct analyze_sinks *k)
{
	const char *force = "-f/--force";

	if (s->csv && (cli_out_open(&k->csv, "analyze", "--csv", s->csv, s->overwrite, force) ||
		       rpt_rows_header(RPT_ROWS_CSV, k->csv.f)))
		return -1;
	if (s->records && cli_out_open(&k->records, "analyze", "--records", s->records, s->overwrite, force))
		return -1;
	if (s->html && cli_out_open(&k->html, "analyze", "--html", s->html, s->overwrite, force))
		return -1;
	return 0;
}

/* A vmstat snapshot file, whole; NULL after saying why (*usage: a usage error). */
static char *analyze_read_vmstat(const char *opt, const char *path, size_t *len, bool *usage)
{
	struct stat st;
	char *buf = NULL;
	FILE *f;

	if (!stat(path, &st) && S_ISDIR(st.st_mode)) {
		cli_usage_error("analyze", "%s %s: is a directory, not a /proc/vmstat snapshot", opt, path);
		*usage = true;
		return NULL;
	}
	f = fopen(path, "r");
	if (!f) {
		cli_error("%s %s: %s", opt, path, strerror(errno));
		return NULL;
	}
	buf = malloc(ANALYZE_MAX_VMSTAT);
	if (!buf) {
		cli_error("out of memory");
		goto fail;
	}
	*len = fread(buf, 1, ANALYZE_MAX_VMSTAT, f);
	if (ferror(f)) {
		cli_error("%s: read error", path);
		goto fail;
	}
	if (*len == ANALYZE_MAX_VMSTAT) {
		cli_error("%s: larger than a /proc/vmstat snapshot can be", path);
		goto fail;
	}
	fclose(f);
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

/*
 * The sum of the counters that only grow while the system runs (pages
 * allocated, stalls, faults, pages scanned and stolen): if it falls from
 * the "before" file to the "after" one, the two were given swapped.
 */
static uint64_t vmstat_growing_sum(const char *buf, size_t len)
{
	static const char *const grow[] = { "pgalloc_", "allocstall_", "pgfault ", "pgscan_",
					    "pgsteal_", "pgfree " };
	const char *p = buf, *end = buf + len;
	uint64_t sum = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (!nl)
			nl = end;
		for (size_t i = 0; i < sizeof(grow) / sizeof(grow[0]); i++) {
			size_t n = strlen(grow[i]);

			if ((size_t)(nl - p) > n && !memcmp(p, grow[i], n)) {
				const char *sp = memchr(p, ' ', (size_t)(nl - p));

				if (sp)
					sum += strtoull(sp + 1, NULL, 10);
				break;
			}
		}
		p = nl + 1;
	}
	return sum;
}

/* --vmstat-before/--vmstat-after into the analyzer; 0, -1 (input) or -2 (usage) after saying why. */
static int analyze_vmstat(struct anl_ctx *a, const struct analyze_settings *s)
{
	char *before = NULL, *after = NULL;
	size_t nb = 0, na = 0;
	bool usage = false;
	int ret = -1;

	before = analyze_read_vmstat("--vmstat-before", s->vmstat_before, &nb, &usage);
	if (!before)
		goto out;
	after = analyze_read_vmstat("--vmstat-after", s->vmstat_after, &na, &usage);
	if (!after)
		goto out;
	if (vmstat_growing_sum(after, na) < vmstat_growing_sum(before, nb)) {
		cli_usage_error("analyze", "--vmstat-before %s and --vmstat-after %s: counters that only "
				"grow (pgalloc_*, allocstall_*, pgfault, pgscan_*, pgsteal_*) fall from one "
				"to the other: snapshots swapped?", s->vmstat_before, s->vmstat_after);
		usage = true;
		goto out;
	}
	ret = anl_set_vmstat(a, false, before, nb);
	if (ret < 0) {
		cli_error("%s: %s", s->vmstat_before, anl_strerror(ret));
		goto out;
	}
	ret = anl_set_vmstat(a, true, after, na);
	if (ret < 0)
		cli_error("%s: %s", s->vmstat_after, anl_strerror(ret));
out:
	free(before);
	free(after);
	return usage ? -2 : ret < 0 ? -1 : 0;
}

int cmd_analyze(int argc, char **argv)
{
	struct analyze_settings s = { .mode = ANL_MODE_AUTO, .top = 10 };
	struct anl_opts opts = { 0 };
	const struct anl_model *model;
	struct prs_reader *r = NULL;
	struct anl_ctx *a = NULL;
	struct rpt_input in;
	struct analyze_sinks sinks = { 0 };
	int ret, cut = 0, status = EXIT_INPUT;

	if (analyze_parse(argc, argv, &s))
		return EXIT_USAGE;
	if (analyze_outputs_not_inputs(&s) < 0)
		return EXIT_USAGE;

	opts.mode = s.mode;
	opts.no_window = s.no_window;
	opts.kernel = s.kernel;
	opts.include_recorder = s.include_recorder;
	opts.frame_budget_ns = s.frame_budget_ns;
	if (s.csv || s.records || s.html) {
		opts.record = analyze_record;
		opts.record_data = &sinks;
	}
	if (analyze_open_outputs(&s, &sinks)) {
		status = EXIT_USAGE;
		goto out;
	}
	if (s.html) {
		ret = rpt_timeline_new(ANALYZE_TL_SLOWEST, ANALYZE_TL_SAMPLE, &sinks.tl);
		if (ret < 0) {
			cli_error("%s", rpt_strerror(ret));
			goto out;
		}
		opts.span = analyze_span;
		opts.span_data = &sinks;
	}
	ret = anl_new(&opts, &a);
	if (ret < 0) {
		cli_error("%s", anl_strerror(ret));
		goto out;
	}
	if (s.vmstat_before && (ret = analyze_vmstat(a, &s))) {
		if (ret == -2)
			status = EXIT_USAGE;
		goto out;
	}

	cut = cli_feed_trace(s.trace, a, &r, &sinks.write_failed, s.threads);
	if (cut < 0)
		goto out;
	status = cli_finish_trace(s.trace, a, s.kernel, &model);
	if (status)
		goto out;
	status = EXIT_INPUT;
	/* anl_finish() hands over allocations still open: rows are complete only now */
	if (sinks.write_failed) {
		cli_error("writing the per-allocation rows: %s", strerror(errno));
		goto out;
	}

	in = (struct rpt_input){
		.model = model,
		.trace_path = s.trace,
		.format = prs_format_name(prs_format(r)),
		.pstats = prs_stats(r),
		.top_n = (unsigned int)s.top,
		.histograms = !s.no_hist,
		.color = cli_color_on(s.color),
	};
	in.version = ALLOCSCOPE_VERSION;
	/* the summary names its capture by content: compare and merge refuse it twice */
	if (s.json) {
		struct cli_file_id id;

		if (cli_file_id(s.trace, &id, true))
			goto out;
		in.content = id.content;
	}
	if (sinks.html.f && rpt_html(&in, sinks.tl, sinks.html.f) < 0) {
		cli_error("writing %s: %s", s.html, strerror(errno));
		goto out;
	}
	if (!(s.csv && !strcmp(s.csv, "-")) && !(s.records && !strcmp(s.records, "-")) &&
	    !(s.html && !strcmp(s.html, "-"))) {
		ret = s.json ? rpt_json(&in, stdout) : rpt_text(&in, stdout);
		if (ret < 0 || fflush(stdout)) {
			cli_error("writing the report: %s", strerror(errno));
			goto out;
		}
	}
	/* every output complete: only now do they replace what was there */
	if (cli_out_commit(&sinks.html) || cli_out_commit(&sinks.csv) || cli_out_commit(&sinks.records))
		goto out;
	status = cut ? EXIT_TRUNCATED : EXIT_OK;
out:
	cli_out_abort(&sinks.html);
	cli_out_abort(&sinks.csv);
	cli_out_abort(&sinks.records);
	rpt_timeline_free(sinks.tl);
	prs_close(r);
	anl_free(a);
	return status;
}
