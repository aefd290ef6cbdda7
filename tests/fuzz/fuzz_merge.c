// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON merge input (allocscope merge): an analyze --json summary parsed,
 * merged with a second parse of itself, written back; what merge writes
 * must parse again (merged summaries merge again).
 */
#include "fuzz.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rpt_summary *a = NULL, *b = NULL, *c = NULL;
	char err[256], *copy, *buf = NULL;
	size_t len = 0;
	FILE *f;

	/* exact-size copy, no NUL: a read past the end is an ASan report */
	copy = malloc(size ? size : 1);
	FZ_CHECK(copy);
	memcpy(copy, data, size);
	if (rpt_summary_parse(copy, size, "fuzz.json", &a, err, sizeof(err)) < 0)
		goto out;
	FZ_CHECK(a);
	(void)rpt_summary_model(a);
	if (rpt_summary_parse(copy, size, "fuzz2.json", &b, err, sizeof(err)) < 0)
		abort();	/* the same bytes parsed once already */
	(void)rpt_summary_merge(a, b, err, sizeof(err));
	f = open_memstream(&buf, &len);
	FZ_CHECK(f);
	FZ_CHECK(rpt_summary_json(a, 10, f) == 0);
	fclose(f);
	if (rpt_summary_parse(buf, len, "merged.json", &c, err, sizeof(err)) < 0) {
		fprintf(stderr, "merge output does not parse again: %s\n", err);
		abort();
	}
out:
	rpt_summary_free(a);
	rpt_summary_free(b);
	rpt_summary_free(c);
	free(buf);
	free(copy);
	return 0;
}
