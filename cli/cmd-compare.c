// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope compare: the KPI gate.  Captures of a baseline and of a
 * candidate, each analyzed on the fly; medians per side, R and K, a
 * confidence statement and the verdict of the user's rule as exit status.
 * Method and arithmetic: docs/compare.md (analyzer/compare.c).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyzer.h"
#include "cli.h"
#include "compare.h"
#include "parsers.h"
#include "report-compare.h"
#include "report.h"


#define COMPARE_MAX_RUNS	1000
#define COMPARE_MAX_SUMMARY	(64u << 20)	/* an analyze --json summary is ~10 KiB */

struct compare_settings {
	struct anl_cmp_opts	cmp;
	enum anl_mode		mode;
	unsigned int		force;		/* ANL_CMP_G_* that --force lifts */
	bool			json;
	bool			no_window;
	const char		*html;		/* a page, "-" for stdout */
	const char		*kernel;	/* --kernel: release of traces that do not say */
	bool			include_recorder;	/* --include-recorder */
	bool			overwrite;	/* --overwrite: replace an existing --html page */
	int			threads;	/* --threads: 2 = decode ahead (0 = 1) */
	const char		**base, **cand;
	size_t			nbase, ncand;
};

static void compare_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope compare [OPTIONS] BASE... -- NEW...\n"
		"       allocscope compare [OPTIONS] --base BASE... --new NEW...\n"
		"\n"
		"The KPI gate for tuning work: analyzes every capture of the baseline and\n"
		"of the candidate (same workload), normalizes slow-path entries, takes the\n"
		"median per side, and judges the change with the rule\n"
		"    pass iff R > 0 and K <= MAX and (K <= 0 or R >= RATIO x K) [and R >= MIN]\n"
		"R = slow-path reduction %%, K = kswapd CPU load change (relative %% by\n"
		"default).  With 2+ runs per side: an exact Mann-Whitney U test and a\n"
		"bootstrap interval (fixed seed) of R and K.  Options go before BASE... --\n"
		"NEW...; with --base/--new they may come between the lists.\n"
		"A file may also be an 'analyze --json' summary of one capture.  Each capture\n"
		"counts once: the same file, a copy, or a trace and its summary are refused.\n"
		"\n"
		"  -b, --base FILE...           baseline captures: the files up to the next\n"
		"                               option (or repeat --base)\n"
		"  -n, --new FILE...            candidate captures, likewise\n"
		"  -p, --per UNIT               normalize slow paths, reclaim and compaction\n"
		"                               per 'second' of window (default), per 'kalloc'\n"
		"                               (1,000 allocations) or per 'run'\n"
		"  -k, --kswapd-delta HOW       K 'relative' to the baseline load (default) or\n"
		"                               in percentage 'points' of one CPU\n"
		"  -K, --max-kswapd-increase X  largest acceptable K (default 5)\n"
		"  -r, --ratio X                R must be >= X x K when K > 0 (default 2)\n"
		"  -R, --min-reduction X        also require R >= X (%%, 0 to 100)\n"
		"  -f, --force GUARD,...        compare although these guard rails trip: mode,\n"
		"                               kernel, window (+-20 %%; not checked --per\n"
		"                               kalloc), workload (allocations/s 2x),\n"
		"                               lost-events, or all; the report carries the\n"
		"                               warnings.  Never lifted: kswapd-unknown,\n"
		"                               no-allocations\n"
		"  -j, --json                   the comparison as JSON (docs/compare.md)\n"
		"      --html FILE              also one self-contained HTML page (inline CSS and\n"
		"                               SVG, no script); '-' for stdout instead of the\n"
		"                               text report; written beside FILE and renamed\n"
		"                               over it once complete\n"
		"      --overwrite              replace the --html FILE if it exists (-f is\n"
		"                               --force, the guard rails' switch, here)\n"
		"  -m, --mode MODE              force the capture mode of every capture\n"
		"      --no-window              analyze whole traces, ignore window markers\n"
		"      --include-recorder       count the recorder's own tasks in the slow paths\n"
		"                               (default: left out, as analyze does)\n"
		"      --kernel RELEASE         the kernel of traces that do not name theirs\n"
		"                               (text traces), for the kernel guard; refused\n"
		"                               when a trace names another major.minor\n"
		"      --bootstrap N            bootstrap resamples (default %d)\n"
		"      --threads N              1 (default): read and analyze on one thread; 2:\n"
		"                               decode each capture on a second thread ahead of\n"
		"                               the analysis (faster only with a second CPU idle)\n"
		"  -h, --help                   this text\n"
		"\n"
		"Exit status: 0 pass, 3 fail, 1 usage error, 2 unreadable input or sides that\n"
		"are not comparable (guard rails --force does not name).\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope compare base1.dat base2.dat base3.dat -- new1.dat new2.dat new3.dat\n"
		"  allocscope compare --per kalloc --min-reduction 20 --json b*.txt.zst -- n*.txt.zst\n"
		"  allocscope compare --kswapd-delta points -K 2 --base wsf10.dat --new wsf200.dat\n"
		"  allocscope compare --force window,kernel b1.dat b2.dat -- n1.dat n2.dat\n"
		"  allocscope compare --per kalloc --html gate.html b1.dat b2.dat -- n1.dat n2.dat\n",
		ANL_CMP_BOOTSTRAP);
}

static int parse_double(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v)) {
		cli_error("%s: not a number: '%s'", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

static int add_file(const char ***list, size_t *n, const char *path)
{
	const char **l;

	if (*n >= COMPARE_MAX_RUNS) {
		cli_error("at most %d captures per side", COMPARE_MAX_RUNS);
		return -1;
	}
	l = realloc(*list, (*n + 1) * sizeof(*l));
	if (!l) {
		cli_error("out of memory");
		return -1;
	}
	l[(*n)++] = path;
	*list = l;
	return 0;
}

/* --html must not name one of the captures (by any path: the same inode counts). */
static int html_not_input(const struct compare_settings *s)
{
	if (cli_not_an_input("--html", s->html, s->base, s->nbase) < 0 ||
	    cli_not_an_input("--html", s->html, s->cand, s->ncand) < 0)
		return -1;
	return 0;
}

enum { OPT_NO_WINDOW = 256, OPT_BOOTSTRAP, OPT_HTML, OPT_OVERWRITE, OPT_THREADS, OPT_KERNEL,
       OPT_INCLUDE_RECORDER };

static int compare_parse(int argc, char **argv, struct compare_settings *s)
{
	static const struct option longopts[] = {
		{ "base",		required_argument,	NULL, 'b' },
		{ "new",		required_argument,	NULL, 'n' },
		{ "per",		required_argument,	NULL, 'p' },
		{ "kswapd-delta",	required_argument,	NULL, 'k' },
		{ "max-kswapd-increase", required_argument,	NULL, 'K' },
		{ "ratio",		required_argument,	NULL, 'r' },
		{ "min-reduction",	required_argument,	NULL, 'R' },
		{ "force",		required_argument,	NULL, 'f' },
		{ "json",		no_argument,		NULL, 'j' },
		{ "mode",		required_argument,	NULL, 'm' },
		{ "no-window",		no_argument,		NULL, OPT_NO_WINDOW },
		{ "bootstrap",		required_argument,	NULL, OPT_BOOTSTRAP },
		{ "html",		required_argument,	NULL, OPT_HTML },
		{ "overwrite",		no_argument,		NULL, OPT_OVERWRITE },
		{ "threads",		required_argument,	NULL, OPT_THREADS },
		{ "kernel",		required_argument,	NULL, OPT_KERNEL },
		{ "include-recorder",	no_argument,		NULL, OPT_INCLUDE_RECORDER },
		{ "help",		no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool listed = false, sep = false, is_cand = false;
	uint64_t u;
	int c;

	optind = 1;
	opterr = 0;
	/* '+': stop at the first file, so that "--" between the sides stays in argv */
	for (;;) {
		c = getopt_long(argc, argv, "+:b:n:p:k:K:r:R:f:jm:h", longopts, NULL);
		if (c == -1) {
			/* --base A B C --new D E F: the files after --base/--new up to the next option
			 * (getopt has stopped at the first of them, or consumed "--") */
			if (!listed || optind >= argc || !strcmp(argv[optind - 1], "--"))
				break;
			while (optind < argc && (argv[optind][0] != '-' || !argv[optind][1]))
				if (add_file(is_cand ? &s->cand : &s->base, is_cand ? &s->ncand : &s->nbase,
					     argv[optind++]))
					return -1;
			if (optind >= argc || !strcmp(argv[optind], "--"))
				break;
			continue;
		}
		switch (c) {
		case 'b':
		case 'n':
			is_cand = c == 'n';
			if (add_file(is_cand ? &s->cand : &s->base, is_cand ? &s->ncand : &s->nbase, optarg))
				return -1;
			listed = true;
			break;
		case 'p':
			if (anl_cmp_per_parse(optarg, &s->cmp.per)) {
				cli_error("--per: 'second', 'kalloc' or 'run', not '%s'", optarg);
				return -1;
			}
			break;
		case 'k':
			if (anl_cmp_kdelta_parse(optarg, &s->cmp.kdelta)) {
				cli_error("--kswapd-delta: 'relative' or 'points', not '%s'", optarg);
				return -1;
			}
			break;
		case 'K':
			if (parse_double("--max-kswapd-increase", optarg, &s->cmp.max_kswapd_increase))
				return -1;
			break;
		case 'r':
			if (parse_double("--ratio", optarg, &s->cmp.ratio))
				return -1;
			if (s->cmp.ratio < 0) {
				cli_error("--ratio: must not be negative");
				return -1;
			}
			break;
		case 'R':
			if (parse_double("--min-reduction", optarg, &s->cmp.min_reduction))
				return -1;
			s->cmp.has_min_reduction = true;
			break;
		case 'f': {
			unsigned int lift;
			char bad[64];

			if (anl_cmp_guards_parse(optarg, &lift, bad, sizeof(bad))) {
				cli_error("--force: '%s' is not a guard that can be lifted (mode, kernel, window, "
					  "workload, lost-events, all)", bad);
				return -1;
			}
			s->force |= lift;
			break;
		}
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
		case OPT_BOOTSTRAP:
			if (cli_parse_u64("--bootstrap", optarg, &u))
				return -1;
			if (u < 100 || u > 1000000) {
				cli_error("--bootstrap: between 100 and 1000000");
				return -1;
			}
			s->cmp.bootstrap = (unsigned int)u;
			break;
		case OPT_HTML:
			s->html = optarg;
			break;
		case OPT_OVERWRITE:
			s->overwrite = true;
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
		case 'h':
			compare_usage(stdout);
			exit(EXIT_OK);
		default:
			cli_getopt_error("compare", c, argv);
			return -1;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "--") && !sep) {
			sep = true;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1]) {
			cli_error("compare: option '%s' after the files: options go first", argv[i]);
			return -1;
		}
		if (listed) {
			cli_error("compare: use either --base/--new or BASE... -- NEW..., not both");
			return -1;
		}
		if (add_file(sep ? &s->cand : &s->base, sep ? &s->ncand : &s->nbase, argv[i]))
			return -1;
	}
	if (!s->nbase || !s->ncand) {
		cli_usage_error("compare", "compare: needs at least one baseline and one candidate capture (BASE... -- NEW...)");
		return -1;
	}
	if (s->cmp.has_min_reduction && s->cmp.min_reduction < 0) {
		cli_error("--min-reduction: %g is below 0, where it changes nothing: R > 0 is always required",
			  s->cmp.min_reduction);
		return -1;
	}
	if (s->cmp.has_min_reduction && s->cmp.min_reduction > 100) {
		cli_error("--min-reduction: a reduction above 100 %% is impossible");
		return -1;
	}
	if (s->html && !strcmp(s->html, "-") && s->json) {
		cli_error("only one of --json, --html - can use stdout");
		return -1;
	}
	return s->html ? html_not_input(s) : 0;
}

/* 1: the file starts with '{' (an analyze --json summary), 0: a trace, -1: unreadable */
static int is_summary(const char *path)
{
	FILE *f = fopen(path, "r");
	int c;

	if (!f) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while ((c = fgetc(f)) == ' ' || c == '\n' || c == '\t' || c == '\r')
		;
	fclose(f);
	return c == '{';
}

/* An analyze --json summary of one capture into @run, the capture it names into @cap. */
static int compare_summary(const char *path, struct anl_cmp_run *run, struct cli_capture *cap)
{
	struct rpt_summary *sum = NULL;
	char *buf = NULL, err[256];
	FILE *f = fopen(path, "r");
	size_t len;
	int ret = -1;

	if (!f) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(COMPARE_MAX_SUMMARY);
	if (!buf) {
		cli_error("out of memory");
		goto out;
	}
	len = fread(buf, 1, COMPARE_MAX_SUMMARY, f);
	if (ferror(f) || len == COMPARE_MAX_SUMMARY) {
		cli_error("%s: %s", path, ferror(f) ? "read error" : "too large for a summary");
		goto out;
	}
	if (rpt_summary_parse(buf, len, path, &sum, err, sizeof(err)) < 0) {
		cli_error("%s: %s", path, err[0] ? err : "not an analyze --json summary");
		goto out;
	}
	/* a merged summary has lost its runs' spread: one file must be one run */
	if (rpt_summary_inputs(sum) != 1) {
		cli_error("%s: a merge of %u captures; compare needs each capture's own summary",
			  path, rpt_summary_inputs(sum));
		goto out;
	}
	anl_cmp_run_from_model(run, rpt_summary_model(sum), path);
	cli_capture_of_summary(cap, path, rpt_summary_path(sum, 0), rpt_summary_content(sum, 0));
	ret = 0;
out:
	rpt_summary_free(sum);
	free(buf);
	fclose(f);
	return ret;
}

/* Analyze one capture into @run (its identity into @id, @cap); the model is freed once copied out. */
static int compare_one(const struct compare_settings *s, const char *path, struct anl_cmp_run *run,
		       struct cli_file_id *id, struct cli_capture *cap)
{
	struct anl_opts opts = { .mode = s->mode, .no_window = s->no_window, .kernel = s->kernel,
				 .include_recorder = s->include_recorder };
	const struct anl_model *model;
	struct prs_reader *r = NULL;
	struct anl_ctx *a = NULL;
	int ret;

	if (cli_file_id(path, id, true))
		return -1;
	ret = is_summary(path);
	if (ret)
		return ret < 0 ? -1 : compare_summary(path, run, cap);
	cli_capture_of_trace(cap, path, id);
	ret = anl_new(&opts, &a);
	if (ret < 0) {
		cli_error("%s", anl_strerror(ret));
		goto out;
	}
	ret = cli_feed_trace(path, a, &r, NULL, s->threads);
	if (ret > 0) {
		/* the gate does not judge part of a run */
		cli_error("%s: cut short: not comparable", path);
		ret = -1;
	}
	if (ret < 0)
		goto out;
	ret = cli_finish_trace(path, a, s->kernel, &model) ? -1 : 0;
	if (ret < 0)
		goto out;
	anl_cmp_run_from_model(run, model, path);
out:
	prs_close(r);
	anl_free(a);
	return ret < 0 ? -1 : 0;
}

/* The HTML page into @out (opened by cli_out_open()); 0, or -1 after saying why. */
static int compare_html(const struct compare_settings *s, const struct rpt_cmp_input *in,
			struct cli_out *out)
{
	if (rpt_compare_html(in, out->f) < 0 || fflush(out->f)) {
		cli_error("writing %s: %s", strcmp(s->html, "-") ? s->html : "stdout", strerror(errno));
		return -1;
	}
	return cli_out_commit(out);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_settings s = { .mode = ANL_MODE_AUTO };
	struct anl_cmp_run *base = NULL, *cand = NULL;
	struct cli_file_id *ids = NULL;
	struct cli_capture *caps = NULL;
	const char **inputs = NULL;
	struct anl_cmp_result *res = NULL;
	struct rpt_cmp_input in;
	struct cli_out html = { 0 };
	unsigned int refused;
	int ret, status = EXIT_INPUT;

	anl_cmp_opts_default(&s.cmp);
	if (compare_parse(argc, argv, &s)) {
		status = EXIT_USAGE;
		goto out;
	}
	/* the page's file is made now (a path that cannot be created is a usage
	 * error) and replaces FILE only once complete: a refused comparison leaves
	 * nothing behind */
	if (s.html && cli_out_open(&html, "compare", "--html", s.html, s.overwrite, "--overwrite")) {
		status = EXIT_USAGE;
		goto out;
	}
	base = calloc(s.nbase, sizeof(*base));
	cand = calloc(s.ncand, sizeof(*cand));
	res = calloc(1, sizeof(*res));
	ids = calloc(s.nbase + s.ncand, sizeof(*ids));
	caps = calloc(s.nbase + s.ncand, sizeof(*caps));
	inputs = calloc(s.nbase + s.ncand, sizeof(*inputs));
	if (!base || !cand || !res || !ids || !caps || !inputs) {
		cli_error("out of memory");
		goto out;
	}
	for (size_t i = 0; i < s.nbase; i++)
		if (compare_one(&s, inputs[i] = s.base[i], &base[i], &ids[i], &caps[i]))
			goto out;
	for (size_t i = 0; i < s.ncand; i++)
		if (compare_one(&s, inputs[s.nbase + i] = s.cand[i], &cand[i], &ids[s.nbase + i],
				&caps[s.nbase + i]))
			goto out;
	/* one capture twice, on one side or on both, is not two runs: refused, --force or not */
	if (cli_refuse_duplicates(inputs, ids, s.nbase + s.ncand, caps, s.nbase + s.ncand))
		goto out;

	ret = anl_cmp_compute(&s.cmp, base, s.nbase, cand, s.ncand, res);
	if (ret < 0) {
		cli_error("compare: %s", anl_strerror(ret));
		goto out;
	}

	/* Guard rails: every tripped one is named on stderr; --force lifts
	 * those it names, never kswapd-unknown (no K) or no-allocations. */
	refused = res->guards & ~(s.force & ANL_CMP_G_LIFTABLE);
	for (unsigned int bit = 1; bit <= ANL_CMP_G_LAST; bit <<= 1) {
		char msg[512];

		if (!(res->guards & bit))
			continue;
		anl_cmp_guard_text(res, base, s.nbase, cand, s.ncand, bit, msg, sizeof(msg));
		if (refused & bit)
			cli_error("not comparable (%s%s): %s", anl_cmp_guard_name(bit),
				  bit & ANL_CMP_G_LIFTABLE ? "" : ", --force cannot lift it", msg);
		else
			cli_error("warning (--force %s): %s", anl_cmp_guard_name(bit), msg);
	}
	if (refused) {
		if (refused == (refused & ANL_CMP_G_LIFTABLE)) {
			char names[128] = "";

			for (unsigned int bit = 1; bit <= ANL_CMP_G_LAST; bit <<= 1)
				if (refused & bit)
					snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
						 names[0] ? "," : "", anl_cmp_guard_name(bit));
			cli_error("refusing to compare; --force %s compares anyway and labels the result", names);
		}
		goto out;
	}

	in = (struct rpt_cmp_input){
		.res = res, .base = base, .cand = cand,
		.nbase = s.nbase, .ncand = s.ncand, .forced = res->guards & s.force,
		.version = ALLOCSCOPE_VERSION,
	};
	/* like analyze: the page first, then the text (or JSON) unless the page took stdout;
	 * opened only now, so that a refused comparison leaves no empty page behind */
	if (s.html && compare_html(&s, &in, &html))
		goto out;
	if (!s.html || strcmp(s.html, "-")) {
		ret = s.json ? rpt_compare_json(&in, stdout) : rpt_compare_text(&in, stdout);
		if (ret < 0 || fflush(stdout)) {
			cli_error("writing the report: %s", strerror(errno));
			goto out;
		}
	}
	status = res->verdict.pass ? EXIT_OK : EXIT_GATE;
out:
	cli_out_abort(&html);
	free(base);
	free(cand);
	free(res);
	free(ids);
	free(caps);
	free(inputs);
	free(s.base);
	free(s.cand);
	return status;
}
