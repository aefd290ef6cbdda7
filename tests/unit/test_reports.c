// SPDX-License-Identifier: GPL-2.0-only
/*
 * reports: merge arithmetic (counts add, buckets add, percentiles from the
 * merged buckets, kswapd % weighted by window), what merge refuses, the
 * JSON reader on hostile input, per-allocation rows, the stalls heap.
 */
#include <setjmp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyzer.h"
#include "parsers.h"
#include "report.h"

/* A small model as analyze would produce it. */
static void model_init(struct anl_model *m, uint64_t window_ns, double kswapd_pct,
		       uint64_t alloc, uint64_t slow, const uint64_t *lat, size_t nlat,
		       struct anl_task_sum *tasks, size_t ntasks)
{
	struct anl_totals *t = &m->scope;
	struct anl_stat *s = &t->stage[ANL_STAGE_SLOW_PATH];

	memset(m, 0, sizeof(*m));
	m->mode = ANL_MODE_GRAPH;
	m->slow_path_exact = true;
	m->window_source = "VMCAP_WINDOW markers";
	m->kswapd_known = true;
	m->kswapd_source = "sched_switch run time";
	m->kswapd_cpu_percent = kswapd_pct;
	m->window_ns = window_ns;
	t->allocations = alloc;
	t->slow = slow;
	t->by_order[0].allocations = alloc;
	t->by_order[0].slow = slow;
	snprintf(t->by_gfp[0].name, sizeof(t->by_gfp[0].name), "GFP_KERNEL");
	t->by_gfp[0].allocations = alloc;
	t->nr_gfp = 1;
	for (size_t i = 0; i < nlat; i++) {
		s->count++;
		s->timed++;
		s->total_ns += lat[i];
		if (lat[i] > s->max_ns)
			s->max_ns = lat[i];
		anl_hist_add(&s->hist, lat[i]);
	}
	m->tasks = tasks;
	m->nr_tasks = ntasks;
	m->vmstat_known = true;
	m->vmstat_source = "trace markers";
	m->nr_gt = 1;
	m->gt[0] = (struct anl_gt){ .name = "allocstall", .trace_known = true, .kernel_known = true,
				    .exact = true, .trace = slow / 10, .entries = slow / 10,
				    .kernel = slow / 10, .match = true };
}

/* JSON text of @m (caller frees). */
static char *to_json(const struct anl_model *m, size_t *len)
{
	struct rpt_input in = { .model = m, .trace_path = "x.dat", .format = "trace.dat",
				.top_n = 10 };
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(rpt_json(&in, f), 0);
	fclose(f);
	return buf;
}

static struct rpt_summary *parse_ok(const char *text, size_t len)
{
	struct rpt_summary *s = NULL;
	char err[256];
	int ret = rpt_summary_parse(text, len, "t", &s, err, sizeof(err));

	if (ret)
		fprintf(stderr, "parse: %s: %s\n", rpt_strerror(ret), err);
	assert_int_equal(ret, 0);
	return s;
}

static void test_merge_arithmetic(void **state)
{
	static const uint64_t lat_a[] = { 1000, 2000, 3000, 100000 };
	static const uint64_t lat_b[] = { 1500, 5000000, 7000000 };
	struct anl_task_sum ta[] = { { .pid = 10, .tgid = 10, .comm = "hog", .allocations = 5,
				       .slow = 3, .stall_ns = 900 } };
	struct anl_task_sum tb[] = { { .pid = 77, .tgid = 77, .comm = "hog", .allocations = 2,
				       .slow = 1, .stall_ns = 100 },
				     { .pid = 78, .tgid = 78, .comm = "sh", .allocations = 1,
				       .slow = 1, .stall_ns = 5000 } };
	struct anl_model ma, mb;
	struct rpt_summary *a, *b;
	const struct anl_model *m;
	struct anl_hist want = { .bucket = { 0 } };
	char *ja, *jb, err[256];
	size_t la, lb;

	(void)state;
	model_init(&ma, 1000000000, 10.0, 1000, 40, lat_a, 4, ta, 1);
	model_init(&mb, 3000000000, 40.0, 3000, 30, lat_b, 3, tb, 2);
	ja = to_json(&ma, &la);
	jb = to_json(&mb, &lb);
	a = parse_ok(ja, la);
	b = parse_ok(jb, lb);
	assert_int_equal(rpt_summary_merge(a, b, err, sizeof(err)), 0);
	m = rpt_summary_model(a);

	assert_int_equal(rpt_summary_inputs(a), 2);
	assert_int_equal(m->scope.allocations, 4000);
	assert_int_equal(m->scope.slow, 70);
	assert_int_equal(m->scope.by_order[0].slow, 70);
	assert_int_equal(m->scope.by_gfp[0].allocations, 4000);
	assert_int_equal(m->window_ns, 4000000000ull);
	/* (10 % x 1 s + 40 % x 3 s) / 4 s */
	assert_true(m->kswapd_cpu_percent > 32.49 && m->kswapd_cpu_percent < 32.51);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].count, 7);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].max_ns, 7000000);
	assert_int_equal(m->scope.stage[ANL_STAGE_SLOW_PATH].total_ns, 106000 + 12001500);
	anl_hist_merge(&want, &ma.scope.stage[ANL_STAGE_SLOW_PATH].hist);
	anl_hist_merge(&want, &mb.scope.stage[ANL_STAGE_SLOW_PATH].hist);
	assert_memory_equal(&want, &m->scope.stage[ANL_STAGE_SLOW_PATH].hist, sizeof(want));
	/* percentiles: recomputed from the merged buckets, not averaged */
	for (double p = 10; p <= 100; p += 10)
		assert_int_equal(anl_stat_percentile(&m->scope.stage[ANL_STAGE_SLOW_PATH], p),
				 anl_hist_percentile(&want, p, 7000000));
	/* ground truth adds and re-matches */
	assert_int_equal(m->nr_gt, 1);
	assert_int_equal(m->gt[0].trace, 7);
	assert_int_equal(m->gt[0].kernel, 7);
	assert_true(m->gt[0].match);
	/* tasks grouped by name, pids dropped, sorted by stall */
	assert_int_equal(m->nr_tasks, 2);
	assert_string_equal(m->tasks[0].comm, "sh");
	assert_string_equal(m->tasks[1].comm, "hog");
	assert_int_equal(m->tasks[1].stall_ns, 1000);
	assert_int_equal(m->tasks[1].pid, -1);

	/* a merged summary merges again: write, read, compare */
	{
		char *jm = NULL;
		size_t lm;
		FILE *f = open_memstream(&jm, &lm);
		struct rpt_summary *again;

		assert_int_equal(rpt_summary_json(a, 10, f), 0);
		fclose(f);
		assert_non_null(strstr(jm, "\"merged\": {\"inputs\": 2"));
		assert_non_null(strstr(jm, "\"pid\": null"));
		again = parse_ok(jm, lm);
		assert_int_equal(rpt_summary_inputs(again), 2);
		assert_memory_equal(&rpt_summary_model(again)->scope.stage[ANL_STAGE_SLOW_PATH],
				    &m->scope.stage[ANL_STAGE_SLOW_PATH], sizeof(struct anl_stat));
		rpt_summary_free(again);
		free(jm);
	}
	rpt_summary_free(a);
	rpt_summary_free(b);
	free(ja);
	free(jb);
}

/* A summary names its capture by content (trace.size, trace.xxh64); merges keep each input's. */
static void test_summary_content(void **state)
{
	static const uint64_t lat[] = { 4096 };
	struct anl_model ma, mb;
	struct rpt_input in = { .model = &ma, .trace_path = "a.dat", .format = "trace.dat", .top_n = 10,
				.content = { 254093, 0x3a7bbf15e4e3b856ULL, true } };
	struct rpt_summary *a, *b, *again, *bad = NULL;
	const struct rpt_content *c;
	char *ja = NULL, *jb, *jm = NULL, *p, err[256];
	size_t la, lb, lm;
	FILE *f;

	(void)state;
	model_init(&ma, 1000000000, 10, 100, 10, lat, 1, NULL, 0);
	model_init(&mb, 1000000000, 10, 100, 10, lat, 1, NULL, 0);
	f = open_memstream(&ja, &la);
	assert_non_null(f);
	assert_int_equal(rpt_json(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(ja, "\"size\": 254093, \"xxh64\": \"3a7bbf15e4e3b856\""));
	a = parse_ok(ja, la);
	assert_int_equal(rpt_summary_nr_paths(a), 1);
	assert_string_equal(rpt_summary_path(a, 0), "a.dat");
	c = rpt_summary_content(a, 0);
	assert_true(c->known && c->size == 254093 && c->xxh64 == 0x3a7bbf15e4e3b856ULL);

	/* without an identity (to_json sets none): null, not known */
	jb = to_json(&mb, &lb);
	assert_non_null(strstr(jb, "\"size\": null, \"xxh64\": null"));
	b = parse_ok(jb, lb);
	assert_false(rpt_summary_content(b, 0)->known);

	/* a merge lists both, in order, and reads back the same */
	assert_int_equal(rpt_summary_merge(a, b, err, sizeof(err)), 0);
	f = open_memstream(&jm, &lm);
	assert_non_null(f);
	assert_int_equal(rpt_summary_json(a, 10, f), 0);
	fclose(f);
	assert_non_null(strstr(jm, "\"contents\": [{\"size\": 254093, \"xxh64\": \"3a7bbf15e4e3b856\"}, "
			       "{\"size\": null, \"xxh64\": null}]"));
	again = parse_ok(jm, lm);
	assert_int_equal(rpt_summary_nr_paths(again), 2);
	assert_true(rpt_summary_content(again, 0)->known);
	assert_int_equal(rpt_summary_content(again, 0)->xxh64, 0x3a7bbf15e4e3b856ULL);
	assert_false(rpt_summary_content(again, 1)->known);

	/* half an identity, or not 16 hex digits: not a summary */
	p = strstr(ja, "3a7bbf15e4e3b856");
	p[15] = 'g';
	assert_int_equal(rpt_summary_parse(ja, la, "t", &bad, err, sizeof(err)), -RPT_ESCHEMA);
	rpt_summary_free(bad);
	bad = NULL;
	p[15] = '6';
	p = strstr(ja, "\"size\": 254093");
	memcpy(p, "\"sise\"", 6);
	assert_int_equal(rpt_summary_parse(ja, la, "t", &bad, err, sizeof(err)), -RPT_ESCHEMA);
	rpt_summary_free(bad);

	rpt_summary_free(a);
	rpt_summary_free(b);
	rpt_summary_free(again);
	free(ja);
	free(jb);
	free(jm);
}

static void test_merge_refuses(void **state)
{
	static const uint64_t lat[] = { 4096 };
	struct anl_model ma, mb;
	struct rpt_summary *a, *b = NULL;
	char *ja, *jb, *p, err[256];
	size_t la, lb;

	(void)state;
	model_init(&ma, 1000, 1, 10, 1, lat, 1, NULL, 0);
	model_init(&mb, 1000, 1, 10, 1, lat, 1, NULL, 0);
	mb.mode = ANL_MODE_EVENTS;
	ja = to_json(&ma, &la);
	jb = to_json(&mb, &lb);
	a = parse_ok(ja, la);
	b = parse_ok(jb, lb);
	assert_int_equal(rpt_summary_merge(a, b, err, sizeof(err)), -RPT_EMODES);
	rpt_summary_free(b);

	/* another schema_version */
	/* another schema_version: 1 named the stages otherwise (kswapd_wake, retry) */
	p = strstr(ja, "\"schema_version\": 2");
	assert_non_null(p);
	p[18] = '1';
	assert_int_equal(rpt_summary_parse(ja, la, "v1", &b, err, sizeof(err)), -RPT_EVERSION);
	assert_null(b);
	p[18] = '2';

	/* bucket edges that are not ours */
	p = strstr(ja, "\"low_ns\": 4096, \"high_ns\": 8192");
	assert_non_null(p);
	memcpy(p + 10, "4097", 4);
	assert_int_equal(rpt_summary_parse(ja, la, "edges", &b, err, sizeof(err)), -RPT_EEDGES);
	assert_non_null(strstr(err, "4097"));

	/* not a summary at all */
	assert_int_equal(rpt_summary_parse("{\"schema_version\": 2}", 21, "x", &b, err, sizeof(err)),
			 -RPT_ESCHEMA);
	rpt_summary_free(a);
	free(ja);
	free(jb);
}

static void test_json_reader_hostile(void **state)
{
	static const char *const bad[] = {
		"", "{", "[", "{\"a\":}", "{\"a\" 1}", "\"unterminated", "{\"a\":1,}", "[1,]",
		"01", "1.", "-", "1e", "tru", "nul", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
		"{\"a\":\"\\u0000\"}", "{} x", "{\"a\":\"\x01\"}",
	};
	struct rpt_summary *s = NULL;
	char err[128], deep[200];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = rpt_summary_parse(bad[i], strlen(bad[i]), "bad", &s, err, sizeof(err));

		assert_int_equal(ret, -RPT_EJSON);
		assert_null(s);
	}
	memset(deep, '[', sizeof(deep));
	assert_int_equal(rpt_summary_parse(deep, sizeof(deep), "deep", &s, err, sizeof(err)),
			 -RPT_EJSON);
	assert_non_null(strstr(err, "deep"));
	/* valid JSON, wrong shape */
	assert_int_equal(rpt_summary_parse("[1, 2.5e3, \"\\u00e9\", true, null]", 32, "arr", &s, err,
					   sizeof(err)), -RPT_ESCHEMA);
}

static void test_rows_csv_quoting(void **state)
{
	struct anl_alloc r;
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	memset(&r, 0, sizeof(r));
	r.id = 7;
	r.pid = 42;
	r.tgid = -1;
	r.comm = "we\"ird,name";
	r.order = -1;
	r.gfp = PRS_NO_VALUE;
	r.latency_ns = PRS_NO_VALUE;
	r.outcome = ANL_FAILED;
	assert_int_equal(rpt_rows_write(RPT_ROWS_CSV, &r, f), 0);
	assert_int_equal(rpt_rows_write(RPT_ROWS_JSONL, &r, f), 0);
	fclose(f);
	assert_non_null(strstr(buf, "7,0,0,0,0,,42,,\"we\"\"ird,name\",,,,failed,"));
	assert_non_null(strstr(buf, "\"latency_ns\":null,\"pid\":42,\"tgid\":null,"
				    "\"comm\":\"we\\\"ird,name\",\"order\":null,\"gfp\":null"));
	free(buf);
}

static void test_stalls_keeps_longest(void **state)
{
	struct rpt_stalls_filter flt = { .min_ns = 10, .pid = -1, .to_ts = UINT64_MAX, .top = 3 };
	struct rpt_stalls *st;
	struct anl_alloc r;
	struct anl_model m;
	struct rpt_input in = { .model = &m };
	char *buf = NULL;
	size_t len;
	FILE *f;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.window_source = "whole trace";
	assert_int_equal(rpt_stalls_new(&flt, &st), 0);
	for (int pass = 0; pass < 2; pass++) {
		for (uint64_t i = 1; i <= 50; i++) {
			memset(&r, 0, sizeof(r));
			r.id = i;
			r.pid = (int32_t)(i % 2 ? 100 : 200);
			r.comm = i % 2 ? "odd" : "even";
			r.order = 0;
			r.outcome = ANL_SLOW;
			r.start_ts = i * 1000;
			r.latency_ns = (i * 37) % 101;	/* 0..100, ties resolved by id */
			r.end_ts = r.start_ts + r.latency_ns * 100;
			if (!pass)
				rpt_stalls_select(st, &r);
			else
				rpt_stalls_context_record(st, &r);
		}
		if (!pass)
			rpt_stalls_end_select(st);
	}
	f = open_memstream(&buf, &len);
	assert_int_equal(rpt_stalls_json(st, &in, f), 0);
	fclose(f);
	/* the three longest: ids 30, 19, 49 ((i * 37) % 101 = 100, 97, 96); 4 are under --min */
	assert_non_null(strstr(buf, "\"matched\": 46"));
	assert_non_null(strstr(buf, "\"id\": 30,"));
	assert_true(strstr(buf, "\"id\": 30,") < strstr(buf, "\"id\": 19,"));
	assert_true(strstr(buf, "\"id\": 19,") < strstr(buf, "\"id\": 49,"));
	assert_null(strstr(buf, "\"id\": 8,"));
	free(buf);
	rpt_stalls_free(st);
}

/*
 * The rows of a real trace, as --csv writes them: the in_window ones sum to
 * the report's counts (allocations, slow, failed, nested, reclaim loops,
 * pages reclaimed, every stage's count), and ids run 1, 2, ... N.
 */
struct row_sums {
	uint64_t	rows, max_id, id_sum;
	uint64_t	alloc, slow, failed, nested, loops, nr_reclaimed;
	uint64_t	stage[ANL_STAGE__COUNT];
	bool		bad;
	/* the timeline's bands, as the analyzer hands them over: in-window count and length */
	uint64_t	span_win[ANL_SPAN__COUNT], span_win_ns[ANL_SPAN__COUNT];
};

static void spans_sum(const struct anl_span *sp, void *data)
{
	struct row_sums *rs = data;

	if (!sp->in_win)
		return;
	rs->span_win[sp->kind]++;
	if (sp->timed)
		rs->span_win_ns[sp->kind] += sp->win_ns;
}

/* Split one CSV line (RFC 4180 quotes) in place; the number of fields. */
static int csv_split(char *line, char **field, int max)
{
	int n = 0;
	char *p = line, *o;

	while (n < max) {
		field[n++] = o = p;
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				*o++ = *p;
			}
			if (*p)
				p++;
		} else {
			while (*p && *p != ',' && *p != '\n')
				*o++ = *p++;
		}
		if (*p != ',') {
			*o = 0;
			break;
		}
		*o = 0;
		p++;
	}
	return n;
}

static void rows_sum(const struct anl_alloc *rec, void *data)
{
	struct row_sums *rs = data;
	char *buf = NULL, *field[64], *header = NULL, *hf[64];
	size_t len = 0, hlen = 0;
	FILE *f = open_memstream(&buf, &len), *h = open_memstream(&header, &hlen);
	int n, hn;

	rpt_rows_header(RPT_ROWS_CSV, h);
	fclose(h);
	rpt_rows_write(RPT_ROWS_CSV, rec, f);
	fclose(f);
	n = csv_split(buf, field, 64);
	hn = csv_split(header, hf, 64);
	if (n != hn || strcmp(hf[hn - 1], "in_window") || strcmp(hf[0], "id")) {
		rs->bad = true;
		goto out;
	}
	rs->rows++;
	rs->id_sum += strtoull(field[0], NULL, 10);
	if (strtoull(field[0], NULL, 10) > rs->max_id)
		rs->max_id = strtoull(field[0], NULL, 10);
	if (strcmp(field[n - 1], "1"))
		goto out;
	rs->alloc++;
	for (int i = 0; i < n; i++) {
		uint64_t v = strtoull(field[i], NULL, 10);

		if (!strcmp(hf[i], "outcome")) {
			rs->slow += strcmp(field[i], "fast") != 0;
			rs->failed += strcmp(field[i], "failed") == 0;
			rs->stage[strcmp(field[i], "fast") ? ANL_STAGE_SLOW_PATH : ANL_STAGE_FAST_PATH]++;
		} else if (!strcmp(hf[i], "parent_id")) {
			rs->nested += v != 0;
		} else if (!strcmp(hf[i], "nr_reclaimed")) {
			rs->nr_reclaimed += v;
		}
		for (int st = 0; st < ANL_STAGE__COUNT; st++) {
			char name[64];

			snprintf(name, sizeof(name), "%s_count", anl_stage_name(st));
			if (strcmp(hf[i], name))
				continue;
			rs->stage[st] += v;
			if (st == ANL_STAGE_DIRECT_RECLAIM && v >= 2)
				rs->loops++;
		}
	}
out:
	free(buf);
	free(header);
}

static void check_rows_sum(const char *path, enum anl_mode mode)
{
	struct row_sums rs = { 0 };
	struct anl_opts opts = { .mode = mode, .record = rows_sum, .record_data = &rs,
				 .span = spans_sum, .span_data = &rs };
	const struct anl_model *m;
	struct prs_reader *r = NULL;
	struct anl_ctx *a;
	struct prs_event ev;
	int ret;

	assert_int_equal(anl_new(&opts, &a), 0);
	assert_int_equal(prs_open(path, 0, &r), 0);
	while ((ret = prs_next(r, &ev)) > 0)
		assert_int_equal(anl_feed(a, &ev), 0);
	assert_int_equal(ret, 0);
	assert_int_equal(anl_finish(a, &m), 0);
	assert_false(rs.bad);
	assert_true(m->window_from_markers);
	/* ids 1 .. N, each once */
	assert_int_equal(rs.max_id, rs.rows);
	assert_int_equal(rs.id_sum, rs.rows * (rs.rows + 1) / 2);
	/* the window is a part (all of the sample's allocations outside it were the recorder's) */
	assert_true(rs.alloc > 0 && rs.alloc <= rs.rows);
	assert_int_equal(rs.alloc, m->scope.allocations);
	assert_int_equal(rs.slow, m->scope.slow);
	assert_int_equal(rs.failed, m->scope.failed);
	assert_int_equal(rs.nested, m->scope.nested);
	assert_int_equal(rs.loops, m->scope.reclaim_loops);
	assert_int_equal(rs.nr_reclaimed, m->scope.nr_reclaimed);
	for (int st = 0; st < ANL_STAGE__COUNT; st++) {
		if (m->scope.stage[st].count != rs.stage[st])
			print_message("%s: stage %s: rows %" PRIu64 ", report %" PRIu64 "\n", path,
				      anl_stage_name(st), rs.stage[st], m->scope.stage[st].count);
		assert_int_equal(rs.stage[st], m->scope.stage[st].count);
	}
	/* the HTML bands say the stage table's and the KPI's numbers */
	assert_int_equal(rs.span_win[ANL_SPAN_DIRECT_RECLAIM],
			 m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].count);
	assert_int_equal(rs.span_win_ns[ANL_SPAN_DIRECT_RECLAIM],
			 m->scope.stage[ANL_STAGE_DIRECT_RECLAIM].total_ns);
	assert_int_equal(rs.span_win[ANL_SPAN_COMPACTION], m->scope.stage[ANL_STAGE_COMPACTION].count);
	assert_int_equal(rs.span_win_ns[ANL_SPAN_COMPACTION],
			 m->scope.stage[ANL_STAGE_COMPACTION].total_ns);
	assert_int_equal(rs.span_win_ns[ANL_SPAN_KSWAPD_RUN], m->scope.kswapd_run_ns);
	prs_close(r);
	anl_free(a);
}

static void test_rows_window_sums(void **state)
{
	(void)state;
	check_rows_sum("data/sample-6.12-anon-graph.dat", ANL_MODE_AUTO);
	check_rows_sum("data/6.12-anon-kprobe.txt.zst", ANL_MODE_AUTO);
	check_rows_sum("data/6.18.44-anon-events.txt.zst", ANL_MODE_AUTO);
	check_rows_sum("data/6.1.192-oom-kprobe.txt.zst", ANL_MODE_AUTO);
	/* graph: reclaim is try_to_free_pages()'s duration, not the tracepoints' interval */
	check_rows_sum("data/sample-6.12-anon-graph.dat", ANL_MODE_EVENTS);
	check_rows_sum("data/6.1.192-anon-kprobe-lossy.txt.zst", ANL_MODE_EVENTS);
	check_rows_sum("data/6.12-thp-tcev.dat", ANL_MODE_AUTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_arithmetic),
		cmocka_unit_test(test_merge_refuses),
		cmocka_unit_test(test_summary_content),
		cmocka_unit_test(test_json_reader_hostile),
		cmocka_unit_test(test_rows_csv_quoting),
		cmocka_unit_test(test_stalls_keeps_longest),
		cmocka_unit_test(test_rows_window_sums),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
