// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope merge: combine analyze --json summaries of many captures into
 * one summary of the same schema (counts add, histograms add bucket-wise,
 * percentiles recomputed from the merged buckets).  The arithmetic is in
 * reports/merge.c; this file reads files and prints errors.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

#define MERGE_MAX_INPUT	(64u << 20)	/* a summary is ~10 KiB */

struct merge_settings {
	uint64_t	top;
	const char	*output;
	bool		overwrite;	/* -f: replace an existing --output */
};

static void merge_usage(FILE *f)
{
	fprintf(f,
		"Usage: allocscope merge [OPTIONS] SUMMARY.json...\n"
		"\n"
		"Combines 'allocscope analyze --json' summaries of several captures (or\n"
		"earlier merges) into one summary in the same schema: counts and times add,\n"
		"latency histograms add bucket by bucket, percentiles are recomputed from\n"
		"the merged buckets, kswapd CPU %% is weighted by window length, tasks are\n"
		"grouped by name.  Summaries of another schema_version, mixing exact and\n"
		"estimated (events mode) slow-path counts, or repeating a capture (the same\n"
		"file, a copy, a summary already inside a merged one) are refused.\n"
		"\n"
		"  -o, --output FILE   write the merged summary to FILE (default: stdout);\n"
		"                      written beside it and renamed over it once complete\n"
		"  -f, --force         replace FILE if it exists (also --overwrite)\n"
		"  -t, --top N         tasks kept (default 10, 0 = none)\n"
		"  -h, --help          this text\n"
		"\n"
		"Exit status: 0 ok, 1 usage error, 2 unreadable, malformed or incompatible input.\n"
		"\n"
		"EXAMPLES\n"
		"  allocscope merge run1.json run2.json run3.json > fleet.json\n"
		"  allocscope merge -o week.json mon.json tue.json wed.json\n"
		"  allocscope merge fleet.json new-device.json | jq .kpi\n");
}

static int merge_parse(int argc, char **argv, struct merge_settings *s)
{
	static const struct option longopts[] = {
		{ "output",	required_argument,	NULL, 'o' },
		{ "force",	no_argument,		NULL, 'f' },
		{ "overwrite",	no_argument,		NULL, 'f' },
		{ "top",	required_argument,	NULL, 't' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:ft:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			s->output = optarg;
			break;
		case 'f':
			s->overwrite = true;
			break;
		case 't':
			if (cli_parse_u64("--top", optarg, &s->top))
				return -1;
			if (s->top > 100000) {
				cli_error("--top: at most 100000");
				return -1;
			}
			break;
		case 'h':
			merge_usage(stdout);
			exit(EXIT_OK);
		default:
			cli_getopt_error("merge", c, argv);
			return -1;
		}
	}
	if (optind == argc) {
		cli_usage_error("merge", "merge: at least one SUMMARY.json is needed");
		return -1;
	}
	return 0;
}

/* The whole file, NUL-terminated; NULL after printing why. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		cli_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n + 1 >= cap) {
			char *nb;

			if (cap >= MERGE_MAX_INPUT) {
				cli_error("%s: larger than %u MiB: not a summary", path, MERGE_MAX_INPUT >> 20);
				goto fail;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				cli_error("out of memory");
				goto fail;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		cli_error("%s: read error", path);
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	free(buf);
	if (f != stdin)
		fclose(f);
	return NULL;
}

int cmd_merge(int argc, char **argv)
{
	struct merge_settings s = { .top = 10 };
	struct rpt_summary *acc = NULL, *one = NULL;
	struct cli_file_id *ids = NULL;
	struct cli_capture *caps = NULL;
	size_t ncaps = 0, n;
	char err[256];
	struct cli_out out = { 0 };
	int status = EXIT_INPUT, ret;

	if (merge_parse(argc, argv, &s))
		return EXIT_USAGE;
	if (cli_not_an_input("--output", s.output, (const char *const *)argv + optind, (size_t)(argc - optind)) < 0)
		return EXIT_USAGE;
	/* refused before reading anything: an output that cannot be written is a usage error */
	if (cli_out_open(&out, "merge", "--output", s.output ? s.output : "-", s.overwrite, "-f/--force"))
		return EXIT_USAGE;

	n = (size_t)(argc - optind);
	ids = calloc(n, sizeof(*ids));
	if (!ids) {
		cli_error("out of memory");
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		size_t len;
		char *text;

		if (cli_file_id(argv[i], &ids[i - optind], true))
			goto out;
		text = read_all(argv[i], &len);

		if (!text)
			goto out;
		ret = rpt_summary_parse(text, len, argv[i], &one, err, sizeof(err));
		free(text);
		if (ret < 0) {
			cli_error("%s: %s%s%s", argv[i], rpt_strerror(ret), err[0] ? ": " : "", err);
			goto out;
		}
		/* the captures behind it, each once over all inputs */
		{
			struct cli_capture *nc = realloc(caps, (ncaps + rpt_summary_nr_paths(one) + 1) *
							 sizeof(*nc));

			if (!nc) {
				cli_error("out of memory");
				goto out;
			}
			caps = nc;
			for (size_t k = 0; k < rpt_summary_nr_paths(one); k++)
				cli_capture_of_summary(&caps[ncaps++], argv[i], rpt_summary_path(one, k),
						       rpt_summary_content(one, k));
		}
		if (!acc) {
			acc = one;
			one = NULL;
			continue;
		}
		ret = rpt_summary_merge(acc, one, err, sizeof(err));
		rpt_summary_free(one);
		one = NULL;
		if (ret < 0) {
			cli_error("%s: %s%s%s", argv[i], rpt_strerror(ret), err[0] ? ": " : "", err);
			goto out;
		}
	}

	/* the same capture twice (one file, a copy, a summary inside a merge) is not two captures */
	if (cli_refuse_duplicates((const char *const *)argv + optind, ids, n, caps, ncaps))
		goto out;
	if (rpt_summary_json(acc, (unsigned int)s.top, out.f) < 0 || fflush(out.f)) {
		cli_error("writing %s: %s", s.output ? s.output : "stdout", strerror(errno));
		goto out;
	}
	if (cli_out_commit(&out))
		goto out;
	status = EXIT_OK;
out:
	cli_out_abort(&out);
	rpt_summary_free(acc);
	rpt_summary_free(one);
	free(ids);
	free(caps);
	return status;
}
