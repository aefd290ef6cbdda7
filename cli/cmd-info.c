// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope info: what a trace holds, read end to end.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "parsers.h"
#include "report.h"

struct info_settings {
	bool	json;
	bool	other;		/* list events allocscope does not use too (always counted) */
};

static void info_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope info [--json] TRACE...\n"
		"\n"
		"Reads each trace end to end and prints its format, kernel, CPUs, time\n"
		"window, events per type, window markers and in-band snapshots (or that\n"
		"there are none), lost events, which capture mode the trace supports\n"
		"(graph, graph+retval, retprobe, freelist, events) and warnings.\n"
		"\n"
		"  -j, --json   one JSON object per trace (an array for several), see docs/info-json.md\n"
		"  -h, --help   this text\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 a trace unreadable or malformed (the\n"
		"others still described), 4 one cut short (described up to the cut).\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope info trace.dat\n"
		"  allocscope info --json capture.txt.zst | jq .events\n");
}

/*
 * The mode a trace supports follows from what kind of events it carries.
 * Whether the functions traced are the allocator's is the analyzer's call;
 * here it is only the shape of the data.
 */
/* What reading the events showed, beyond the reader's counts. */
struct info_seen {
	bool		graph_retval;	/* a get_page_from_freelist() function_graph exit carried a
					 * return value */
	int		fn_first;	/* the allocator's function events: 0 none, 1 function_graph
					 * first, 2 kprobe first, 3 freelist probe first (auto mode
					 * reads the first kind) */
	uint64_t	anon_probes;	/* kprobe events whose function is unknown */
	const char	*win_begin;	/* the first window begin marker's text, NULL: none */
	const char	*win_end;	/* the first end marker's text */
	uint64_t	win_begins, win_ends;
	uint64_t	snap_vmstat;	/* in-band vmstat snapshot lines */
	uint64_t	snap_kswapd;	/* in-band kswapd /proc/PID/stat lines */
	bool		perfetto;	/* a Perfetto trace: its kprobes carry no values */
};

/* Window markers (analyzer/markers.c reads the same; docs/capture-format.md) */
static const struct { const char *text; bool begin; } info_markers[] = {
	{ "VMCAP_WINDOW_BEGIN", true }, { "allocscope: begin", true },
	{ "allocscope: window-begin", true }, { "VMCAP_WINDOW_END", false },
	{ "allocscope: end", false }, { "allocscope: window-end", false },
};

/* @text starts with the word(s) @w, followed by its end or a space */
static bool info_word(const char *text, size_t len, const char *w)
{
	size_t n = strlen(w);

	return len >= n && !memcmp(text, w, n) && (len == n || text[n] == ' ');
}

static void info_marker(struct info_seen *seen, const char *text, size_t len)
{
	for (size_t i = 0; i < sizeof(info_markers) / sizeof(info_markers[0]); i++) {
		if (!info_word(text, len, info_markers[i].text))
			continue;
		if (info_markers[i].begin && !seen->win_begins++)
			seen->win_begin = info_markers[i].text;
		else if (!info_markers[i].begin && !seen->win_ends++)
			seen->win_end = info_markers[i].text;
		return;
	}
	if (info_word(text, len, "allocscope: vmstat") || info_word(text, len, "allocscope: vmstat-begin"))
		seen->snap_vmstat++;
	else if (info_word(text, len, "allocscope: kswapd") || info_word(text, len, "allocscope: kswapd-stat"))
		seen->snap_kswapd++;
}

/* The mode analyze detects: from the allocator's function events only, the first kind seen. */
static const char *info_mode(const struct info_seen *seen)
{
	if (seen->fn_first == 1)
		return seen->graph_retval ? "graph+retval" : "graph";
	if (seen->fn_first == 2)
		return "retprobe";
	if (seen->fn_first == 3)
		return "freelist";
	return "events";
}

#define INFO_MAX_WARN 11

static int info_warnings(const struct prs_stats *st, const struct info_seen *seen,
			 const char **warn)
{
	int n = 0;

	if (seen->anon_probes)
		warn[n++] = "kprobes as bare addresses (trace-cmd report text): retprobe mode needs the trace.dat";
	if (seen->perfetto && (st->by_kind[PRS_EV_KPROBE] || st->by_kind[PRS_EV_KRETPROBE]))
		warn[n++] = "Perfetto records no kprobe arguments or return values: retprobe mode cannot "
			    "tell which allocations took the slow path (docs/perfetto.md)";
	if (!st->events)
		warn[n++] = "no events in the trace";
	if (!st->by_kind[PRS_EV_PAGE_ALLOC])
		warn[n++] = "no mm_page_alloc events: allocations cannot be counted";
	if (!st->by_kind[PRS_EV_SCHED_SWITCH])
		warn[n++] = "no sched_switch events: kswapd CPU load cannot be measured";
	if (st->lost_markers)
		warn[n++] = "events were lost: allocations open across a loss are incomplete";
	else if (st->cpustat_known && (st->overrun_reported || st->dropped_reported))
		warn[n++] = "the ring buffer reports overrun/dropped events: the trace is not complete";
	if (st->ts_missing)
		warn[n++] = "no timestamps (function_graph without funcgraph-abstime): only durations are known";
	if (st->ts_backwards)
		warn[n++] = "timestamps go backwards on a CPU (see 'time order'): a damaged file or "
			    "an unstable trace clock";
	if (st->ts_unordered)
		warn[n++] = "events are not in time order across CPUs (see 'time order'): analyze reads "
			    "them in file order";
	if (st->bad_lines || st->bad_fields)
		warn[n++] = "some events could not be decoded";
	return n;
}

static void info_print_text(const char *path, struct prs_reader *r, const struct info_seen *seen)
{
	const struct prs_stats *st = prs_stats(r);
	const char *warn[INFO_MAX_WARN];
	int nwarn = info_warnings(st, seen, warn);
	bool have_ts = st->first_ts != PRS_NO_VALUE;
	char b[3][32];

	printf("%s\n", path);
	if (prs_container(r))
		printf("  format:       %s (read from %s)\n", prs_format_name(prs_format(r)),
		       prs_container(r));
	else
		printf("  format:       %s%s\n", prs_format_name(prs_format(r)),
		       prs_compressed(r) ? " (zstd)" : "");
	printf("  kernel:       %s\n", prs_kernel(r) ? prs_kernel(r) : "unknown");
	if (prs_clock(r))
		printf("  clock:        %s\n", prs_clock(r));
	if (st->nr_cpus_known)
		printf("  cpus:         %d\n", st->nr_cpus);
	else if (st->nr_cpus > 0)	/* CPUs that stayed idle leave no line */
		printf("  cpus:         highest CPU id %d (the trace does not give the count)\n",
		       st->nr_cpus - 1);
	else
		printf("  cpus:         unknown\n");
	for (int i = 0; i < prs_nr_instances(r); i++)
		printf("  instance:     %s\n", prs_instance_name(r, i));
	if (have_ts && !st->ts_missing)
		printf("  window:       %" PRIu64 ".%09" PRIu64 " .. %" PRIu64 ".%09" PRIu64
		       " (%.6f s)\n",
		       st->first_ts / 1000000000, st->first_ts % 1000000000,
		       st->last_ts / 1000000000, st->last_ts % 1000000000,
		       (double)(st->last_ts - st->first_ts) / 1e9);
	else
		printf("  window:       unknown\n");
	printf("  events:       %s\n", cli_count(b[0], sizeof(b[0]), st->events));
	if (seen->win_begins && seen->win_ends)
		printf("  markers:      window '%s' .. '%s' (analyze counts between them)\n",
		       seen->win_begin, seen->win_end);
	else if (seen->win_begins)
		printf("  markers:      window begin '%s', no end marker: analyze counts to the end "
		       "of the trace\n", seen->win_begin);
	else
		printf("  markers:      no window markers: analyze counts the whole trace\n");
	if (seen->snap_vmstat || seen->snap_kswapd)
		printf("  snapshots:    in the trace: %s vmstat lines, %s kswapd stat lines\n",
		       cli_count(b[0], sizeof(b[0]), seen->snap_vmstat),
		       cli_count(b[1], sizeof(b[1]), seen->snap_kswapd));
	else
		printf("  snapshots:    none in the trace (analyze --vmstat-before/--vmstat-after FILE "
		       "give them)\n");
	printf("  lost events:  %s in %s loss marker%s%s\n", cli_count(b[0], sizeof(b[0]), st->lost_events),
	       cli_count(b[1], sizeof(b[1]), st->lost_markers), st->lost_markers == 1 ? "" : "s",
	       st->lost_markers && !st->lost_events ? " (amount unknown)" : "");
	if (st->cpustat_known)
		printf("  ring buffer:  %s overrun, %s dropped (the kernel's per-CPU stats in the file)\n",
		       cli_count(b[0], sizeof(b[0]), st->overrun_reported),
		       cli_count(b[1], sizeof(b[1]), st->dropped_reported));
	if (prs_format(r) != PRS_FMT_TRACE_DAT && prs_format(r) != PRS_FMT_PERFETTO)
		printf("  lines:        %s (%s not events, %s undecodable)\n",
		       cli_count(b[0], sizeof(b[0]), st->lines), cli_count(b[1], sizeof(b[1]), st->skipped_lines),
		       cli_count(b[2], sizeof(b[2]), st->bad_lines));
	if (st->elided_lines)
		printf("  elided:       %s lines such as \"...\" or \"(...)\": the excerpt leaves lines out "
		       "there\n", cli_count(b[0], sizeof(b[0]), st->elided_lines));
	if (st->wrapped_lines)
		printf("  wrapped:      %s lines joined to the event line before them (a mailer wrapped "
		       "it)\n", cli_count(b[0], sizeof(b[0]), st->wrapped_lines));
	if (st->quoted_lines)
		printf("  quoted:       %s lines quoted in a mail reply (\"> \"), read without the marks\n",
		       cli_count(b[0], sizeof(b[0]), st->quoted_lines));
	if (st->cut)
		printf("  cut short:    at %s %s: described up to there\n", st->cut_line ? "line" : "offset",
		       cli_count(b[0], sizeof(b[0]), st->cut_at));
	if (st->bad_fields)
		printf("  bad fields:   %s\n", cli_count(b[0], sizeof(b[0]), st->bad_fields));
	if (st->ts_backwards) {
		char cpu[24] = "no CPU";

		if (st->ts_backwards_cpu >= 0)
			snprintf(cpu, sizeof(cpu), "CPU %d", (int)st->ts_backwards_cpu);
		printf("  time order:   %" PRIu64 " event%s older than the previous one of %s CPU "
		       "(on %u CPU%s)\n", st->ts_backwards, st->ts_backwards == 1 ? "" : "s",
		       st->ts_backwards == 1 ? "its" : "their", st->ts_backwards_cpus,
		       st->ts_backwards_cpus == 1 ? "" : "s");
		printf("                the first on %s at %" PRIu64 ".%09" PRIu64
		       ", the largest step back %.3f us\n", cpu, st->ts_backwards_at / 1000000000,
		       st->ts_backwards_at % 1000000000, (double)st->ts_backwards_max / 1e3);
	}
	if (st->ts_unordered)
		printf("  time order:   %" PRIu64 " event%s older than an earlier event of another CPU\n",
		       st->ts_unordered, st->ts_unordered == 1 ? "" : "s");
	printf("  capture mode: %s\n", info_mode(seen));
	printf("  events by type:\n");
	for (size_t i = 0; i < st->nr_names; i++) {
		const struct prs_name_count *n = &st->names[i];

		printf("    %-40s %10s%s\n", n->name, cli_count(b[0], sizeof(b[0]), n->count),
		       n->kind == PRS_EV_OTHER ? "  (not used)" : "");
	}
	for (int i = 0; i < nwarn; i++)
		printf("  warning: %s\n", warn[i]);
}

static void info_print_json(const char *path, struct prs_reader *r, const struct info_seen *seen)
{
	const struct prs_stats *st = prs_stats(r);
	const char *warn[INFO_MAX_WARN];
	int nwarn = info_warnings(st, seen, warn);
	bool have_ts = st->first_ts != PRS_NO_VALUE && !st->ts_missing;

	printf("{\"path\":");
	rpt_json_str(stdout, path);
	printf(",\"format\":\"%s\",\"compressed\":%s",
	       prs_format_name(prs_format(r)), prs_compressed(r) ? "true" : "false");
	if (prs_container(r)) {
		printf(",\"container\":");
		rpt_json_str(stdout, prs_container(r));
	}
	printf(",\"kernel\":");
	if (prs_kernel(r))
		rpt_json_str(stdout, prs_kernel(r));
	else
		printf("null");
	printf(",\"clock\":");
	if (prs_clock(r))
		rpt_json_str(stdout, prs_clock(r));
	else
		printf("null");
	if (st->nr_cpus_known)
		printf(",\"cpus\":%d", st->nr_cpus);
	else
		printf(",\"cpus\":null");
	if (st->nr_cpus > 0)
		printf(",\"highest_cpu\":%d,\"instances\":[", st->nr_cpus - 1);
	else
		printf(",\"highest_cpu\":null,\"instances\":[");
	for (int i = 0; i < prs_nr_instances(r); i++) {
		if (i)
			putchar(',');
		rpt_json_str(stdout, prs_instance_name(r, i));
	}
	printf("],\"window\":");
	if (have_ts)
		printf("{\"first_ns\":%" PRIu64 ",\"last_ns\":%" PRIu64 ",\"length_ns\":%" PRIu64 "}",
		       st->first_ts, st->last_ts, st->last_ts - st->first_ts);
	else
		printf("null");
	printf(",\"events_total\":%" PRIu64 ",\"lost_events\":%" PRIu64
	       ",\"lost_markers\":%" PRIu64 ",\"lines\":%" PRIu64 ",\"bad_lines\":%" PRIu64
	       ",\"bad_fields\":%" PRIu64 ",\"ts_backwards\":%" PRIu64,
	       st->events, st->lost_events, st->lost_markers, st->lines, st->bad_lines,
	       st->bad_fields, st->ts_backwards);
	if (st->elided_lines)
		printf(",\"elided_lines\":%" PRIu64, st->elided_lines);
	if (st->wrapped_lines)
		printf(",\"wrapped_lines\":%" PRIu64, st->wrapped_lines);
	if (st->quoted_lines)
		printf(",\"quoted_lines\":%" PRIu64, st->quoted_lines);
	if (st->ts_backwards)
		printf(",\"ts_backwards_first\":{\"cpu\":%d,\"ts_ns\":%" PRIu64 "},"
		       "\"ts_backwards_cpus\":%u,\"ts_backwards_max_ns\":%" PRIu64,
		       (int)st->ts_backwards_cpu, st->ts_backwards_at, st->ts_backwards_cpus,
		       st->ts_backwards_max);
	else
		printf(",\"ts_backwards_first\":null,\"ts_backwards_cpus\":0,"
		       "\"ts_backwards_max_ns\":0");
	printf(",\"ts_unordered\":%" PRIu64 ",\"capture_mode\":\"%s\"", st->ts_unordered,
	       info_mode(seen));
	if (st->cpustat_known)
		printf(",\"ring_buffer\":{\"overrun\":%" PRIu64 ",\"dropped\":%" PRIu64 "}",
		       st->overrun_reported, st->dropped_reported);
	else
		printf(",\"ring_buffer\":null");
	printf(",\"window_markers\":");
	if (seen->win_begins) {
		printf("{\"begin\":");
		rpt_json_str(stdout, seen->win_begin);
		printf(",\"end\":");
		if (seen->win_ends)
			rpt_json_str(stdout, seen->win_end);
		else
			printf("null");
		printf("}");
	} else {
		printf("null");
	}
	printf(",\"snapshot_lines\":{\"vmstat\":%" PRIu64 ",\"kswapd\":%" PRIu64 "}",
	       seen->snap_vmstat, seen->snap_kswapd);
	if (st->cut)
		printf(",\"cut_at\":{\"%s\":%" PRIu64 "}", st->cut_line ? "line" : "offset", st->cut_at);
	else
		printf(",\"cut_at\":null");
	printf(",\"events\":[");
	for (size_t i = 0; i < st->nr_names; i++) {
		const struct prs_name_count *n = &st->names[i];

		printf("%s{\"name\":", i ? "," : "");
		rpt_json_str(stdout, n->name);
		printf(",\"kind\":\"%s\",\"count\":%" PRIu64 "}", prs_kind_name(n->kind), n->count);
	}
	printf("],\"warnings\":[");
	for (int i = 0; i < nwarn; i++) {
		if (i)
			putchar(',');
		rpt_json_str(stdout, warn[i]);
	}
	printf("]}");
}

/* Read one trace to its end; 0 or a negative PRS_E* code. */
static int info_read(struct prs_reader *r, struct info_seen *seen)
{
	struct prs_event ev;
	int ret;

	*seen = (struct info_seen){ .perfetto = prs_format(r) == PRS_FMT_PERFETTO };
	while ((ret = prs_next(r, &ev)) > 0) {
		bool graph = ev.kind == PRS_EV_FUNC_ENTRY || ev.kind == PRS_EV_FUNC_EXIT;
		enum anl_fn_kind fk;

		if (graph || ev.kind == PRS_EV_KPROBE || ev.kind == PRS_EV_KRETPROBE) {
			fk = anl_fn_kind_of(ev.u.fn.func);
			/* a probe on get_page_from_freelist with alloc_flags: the freelist mode's */
			if (fk != ANL_FN_NONE && !seen->fn_first)
				seen->fn_first = graph ? 1 : fk == ANL_FN_GPFL &&
						 ev.u.fn.alloc_flags != PRS_NO_VALUE ? 3 : 2;
			if (fk == ANL_FN_GPFL && ev.kind == PRS_EV_FUNC_EXIT &&
			    ev.u.fn.retval != PRS_NO_VALUE && seen->fn_first == 1)
				seen->graph_retval = true;
		}
		if ((ev.kind == PRS_EV_KPROBE || ev.kind == PRS_EV_KRETPROBE) && !ev.u.fn.func)
			seen->anon_probes++;
		if (ev.kind == PRS_EV_PRINT)
			info_marker(seen, ev.u.print.text, ev.u.print.len);
	}
	return ret;
}

int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct info_settings set = { 0 };
	int c, status = EXIT_OK;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			set.json = true;
			break;
		case 'h':
			info_usage(stdout);
			return EXIT_OK;
		default:
			cli_getopt_error("info", c, argv);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_usage_error("info", "info: no trace file given");
		return EXIT_USAGE;
	}

	if (set.json && argc - optind > 1)
		putchar('[');
	for (int i = optind; i < argc; i++) {
		struct prs_reader *r;
		struct info_seen seen = { 0 };
		int ret;

		ret = prs_open(argv[i], 0, &r);
		if (ret < 0) {
			cli_open_error(argv[i], r, ret);
			prs_close(r);
			status = EXIT_INPUT;
			continue;
		}
		ret = info_read(r, &seen);
		if (ret == -PRS_ECUT) {
			cli_cut_note(r);	/* described up to the cut */
			status = status == EXIT_OK ? EXIT_TRUNCATED : status;
		} else if (ret < 0) {
			cli_error("%s", r ? prs_errmsg(r) : prs_strerror(ret));
			prs_close(r);
			status = EXIT_INPUT;
			continue;
		}
		if (set.json) {
			if (i > optind)
				putchar(',');
			info_print_json(argv[i], r, &seen);
		} else {
			if (i > optind)
				putchar('\n');
			info_print_text(argv[i], r, &seen);
		}
		prs_close(r);
	}
	if (set.json)
		printf("%s\n", argc - optind > 1 ? "]" : "");
	fflush(stdout);
	return status;
}
