// SPDX-License-Identifier: GPL-2.0-only
/*
 * A whole analyze run on any input: reader (auto-detected), analyzer with
 * the trace_marker snapshot parser (allocscope: begin/end, vmstat, kswapd,
 * clk_tck, kernel lines) and the atrace frames, text and JSON reports and the
 * frames report (stalls --frames) rendered to memory.
 */
#include "analyzer.h"
#include "fuzz.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct anl_opts opts = { .mode = ANL_MODE_AUTO, .no_window = size % 3 == 1 };
	const struct anl_model *model;
	const char *path = fz_file(NULL, 0, data, size);
	struct prs_reader *r = NULL;
	struct anl_ctx *a = NULL;
	struct prs_event ev;
	struct rpt_input in;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (anl_new(&opts, &a) < 0)
		abort();
	ret = prs_open(path, 0, &r);
	if (ret < 0)
		goto out;
	while ((ret = prs_next(r, &ev)) > 0) {
		fz_check_event(&ev);
		if (anl_feed(a, &ev) < 0)
			goto out;
	}
	if (ret < 0)
		goto out;
	if (anl_set_kernel(a, prs_kernel(r)) < 0 || anl_finish(a, &model) < 0)
		goto out;
	in = (struct rpt_input){
		.model = model,
		.trace_path = path,
		.format = prs_format_name(prs_format(r)),
		.pstats = prs_stats(r),
		.top_n = 10,
		.histograms = true,
	};
	f = open_memstream(&buf, &len);
	FZ_CHECK(f);
	FZ_CHECK(rpt_text(&in, f) == 0);
	FZ_CHECK(rpt_json(&in, f) == 0);
	FZ_CHECK(rpt_frames_text(&in, f) == 0);
	FZ_CHECK(rpt_frames_json(&in, f) == 0);
	fclose(f);
	FZ_CHECK(len == strlen(buf));
	free(buf);
out:
	prs_close(r);
	anl_free(a);
	return 0;
}
