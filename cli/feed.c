// SPDX-License-Identifier: GPL-2.0-only
/* A trace through the analyzer: what analyze, stalls and compare share. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "analyzer.h"
#include "cli.h"
#include "parsers.h"

/*
 * Feed the trace at @path through @a (made by the caller with its
 * options), then hand the analyzer what the file's header says (kernel,
 * ring-buffer loss).  *rp is the open reader (for its stats and format),
 * closed by the caller.  @stop, if set, ends the feed early (a failed
 * output).  @threads 2: the reader decodes on a thread of its own ahead
 * of the analyzer (PRS_OPT_AHEAD).  0; 1 when the file was cut short (its
 * events up to the cut analyzed, one line said so); or -1 after printing
 * one line naming the file.
 */
int cli_feed_trace(const char *path, struct anl_ctx *a, struct prs_reader **rp, const bool *stop,
		   int threads)
{
	const struct prs_stats *st;
	struct prs_event ev;
	int ret;

	ret = prs_open(path, cli_threads_flag(threads), rp);
	if (ret < 0) {
		cli_open_error(path, *rp, ret);
		return -1;
	}
	while ((ret = prs_next(*rp, &ev)) > 0) {
		ret = anl_feed(a, &ev);
		if (ret < 0) {
			cli_error("%s: %s", path, anl_strerror(ret));
			return -1;
		}
		if (stop && *stop)
			return 0;
	}
	if (ret == -PRS_ECUT) {
		cli_cut_note(*rp);
	} else if (ret < 0) {
		cli_error("%s", prs_errmsg(*rp));
		return -1;
	}
	st = prs_stats(*rp);
	if (st->cpustat_known)
		anl_set_ring_stats(a, st->overrun_reported, st->dropped_reported);
	if (!st->ts_missing)	/* the whole trace: every event's, not only those analyzed */
		anl_set_trace_span(a, st->first_ts, st->last_ts);
	else
		anl_set_no_timestamps(a);
	if (st->elided_lines)
		anl_set_elided(a, st->elided_lines);
	{
		/* the trace's own snapshots (Perfetto sys_stats), if nothing else gave a pair */
		size_t blen, alen;
		const char *before = prs_vmstat(*rp, false, NULL, &blen);
		const char *after = prs_vmstat(*rp, true, NULL, &alen);

		if (before && after &&
		    anl_set_vmstat_trace(a, before, blen, after, alen,
					 "the trace's sys_stats (first and last snapshot)") < 0)
			cli_error("%s: its sys_stats vmstat snapshots are not /proc/vmstat's: not used", path);
	}
	ret = anl_set_kernel(a, prs_kernel(*rp));
	if (!ret)
		ret = anl_set_clock(a, prs_clock(*rp));
	if (!ret)
		anl_set_ring_page_size(a, prs_page_size(*rp));
	if (ret < 0) {
		cli_error("%s: %s", path, anl_strerror(ret));
		return -1;
	}
	return st->cut ? 1 : 0;
}

/* The one stderr line of a file cut short (prs_next() gave -PRS_ECUT). */
void cli_cut_note(const struct prs_reader *r)
{
	static char said[4096];	/* once per file: stalls reads a trace twice */

	if (!strcmp(said, prs_errmsg(r)))
		return;
	snprintf(said, sizeof(said), "%s", prs_errmsg(r));
	cli_error("%s: the events before it were read", prs_errmsg(r));
}

/*
 * prs_open() failed on @path: one line saying why; when the file is
 * allocscope's own JSON (a summary given where a trace belongs), what to
 * do with it instead.
 */
void cli_open_error(const char *path, const struct prs_reader *r, int ret)
{
	char head[4096];
	size_t n = 0, i = 0;
	FILE *f;

	if (ret == -PRS_EFORMAT && (f = fopen(path, "r"))) {
		n = fread(head, 1, sizeof(head) - 1, f);
		fclose(f);
	}
	head[n] = '\0';
	while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\t' || head[i] == '\r'))
		i++;
	if (i < n && head[i] == '{' && strstr(head, "\"schema_version\"")) {
		if (strstr(head, "\"capture\""))
			cli_error("%s: this is an analyze --json summary, not a trace: use compare or merge",
				  path);
		else
			cli_error("%s: this is allocscope JSON output, not a trace", path);
		return;
	}
	cli_error("%s", r ? prs_errmsg(r) : prs_strerror(ret));
}

/*
 * --frame-budget: milliseconds ("16.7", "8.33") or a duration with its unit
 * ("11.1ms", "16667us"); 1 ms to 10 s.  0, or -1 after saying why.
 */
int cli_parse_frame_budget(const char *s, uint64_t *out)
{
	size_t n = s ? strlen(s) : 0;
	char buf[64];

	if (n && n < sizeof(buf) - 2 && ((s[n - 1] >= '0' && s[n - 1] <= '9') || s[n - 1] == '.')) {
		snprintf(buf, sizeof(buf), "%sms", s);	/* a plain number is in ms */
		s = buf;
	}
	if (cli_parse_duration_ns("--frame-budget", s, out))
		return -1;
	if (*out < 1000000 || *out > 10000000000ull) {
		cli_error("--frame-budget: between 1 ms and 10 s (e.g. 16.7, 11.1ms)");
		return -1;
	}
	return 0;
}

/* --kernel RELEASE: "6.12", "6.12.117", "6.1.0-56-cloud-amd64"; 0, or -1 after saying why. */
int cli_parse_kernel(const char *s, const char **out)
{
	int major, minor;

	if (anl_kernel_version(s, &major, &minor)) {
		cli_error("--kernel: '%s' is not a kernel release (MAJOR.MINOR[.PATCH...], e.g. 6.12.117)",
			  s);
		return -1;
	}
	*out = s;
	return 0;
}

/*
 * anl_finish(), then refuse a forced mode (-m) whose events the trace does
 * not carry: its counts would be zeros, not a measurement.  0, or the exit
 * status after printing one line naming the file: a --kernel (@kernel) the
 * trace contradicts is a usage error naming both releases; a forced mode
 * without its events names the mode asked and the modes the trace allows.
 */
int cli_finish_trace(const char *path, struct anl_ctx *a, const char *kernel,
		     const struct anl_model **model)
{
	char modes[96];
	int ret = anl_finish(a, model);

	if (ret == -ANL_EKERNEL) {
		cli_error("%s: --kernel %s contradicts the trace's own kernel %s (major.minor differ)",
			  path, kernel, anl_trace_kernel(a));
		return EXIT_USAGE;
	}
	if (ret < 0) {
		cli_error("%s: %s", path, anl_strerror(ret));
		return EXIT_INPUT;
	}
	if (anl_mode_check(*model) < 0) {
		anl_modes_str((*model)->modes_supported, modes, sizeof(modes));
		cli_error("%s: -m %s: the trace has none of this mode's events; it supports: %s",
			  path, anl_mode_name((*model)->mode), modes);
		return EXIT_INPUT;
	}
	return 0;
}
