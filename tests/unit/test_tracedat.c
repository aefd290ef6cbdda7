// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.dat reader on a real capture (Debian 6.12.107 cloud kernel under
 * qemu, trace-cmd 3.1.6, v7 with zstd; ../shared/traces/6.12-thp-tcev) and
 * on damaged copies of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "parsers.h"

#define SAMPLE		"6.12-thp-tcev.dat"
#define SAMPLE_SIZE	1454632

/*
 * Expected values, computed once, independently of allocscope:
 *   trace-cmd report -N -t 6.12-thp-tcev.dat | awk 'match($0, / [0-9]+\.[0-9]+: [^ ]+: /) {
 *       s = substr($0, RSTART, RLENGTH); split(s, a, ": "); n[a[2]]++ } END { for (k in n) print k, n[k] }'
 * first/last timestamps: first and last event line of the same output;
 * gfp of the first mm_page_alloc: its "gfp_flags=" as report prints it;
 * no "[LOST" / "DROPPED" lines in the report.
 */
static const struct {
	enum prs_kind	kind;
	const char	*name;
	uint64_t	count;
} expect[] = {
	{ PRS_EV_PAGE_ALLOC,	 "mm_page_alloc",			29977 },
	{ PRS_EV_SCHED_SWITCH,	 "sched_switch",			342 },
	{ PRS_EV_TRY_COMPACT,	 "mm_compaction_try_to_compact_pages",	168 },
	{ PRS_EV_RECLAIM_BEGIN,	 "mm_vmscan_direct_reclaim_begin",	56 },
	{ PRS_EV_RECLAIM_END,	 "mm_vmscan_direct_reclaim_end",	56 },
	{ PRS_EV_COMPACT_BEGIN,	 "mm_compaction_begin",			25 },
	{ PRS_EV_COMPACT_END,	 "mm_compaction_end",			25 },
	{ PRS_EV_WAKEUP_KSWAPD,	 "mm_vmscan_wakeup_kswapd",		17 },
	{ PRS_EV_KSWAPD_WAKE,	 "mm_vmscan_kswapd_wake",		17 },
	{ PRS_EV_KSWAPD_SLEEP,	 "mm_vmscan_kswapd_sleep",		2 },
	{ PRS_EV_PRINT,		 "print",				2 },
};
#define EXPECT_EVENTS	30687
#define FIRST_TS	11797128696ull
#define LAST_TS		15966909358ull
#define FIRST_GFP	"GFP_KERNEL_ACCOUNT|__GFP_ZERO"

/*
 * Where the file's parts start (trace-cmd dump --summary --options):
 * sections headers @37, ftrace formats @314, event formats @2079, kallsyms
 * @4202, printk @1282639, cmdlines @1284095, options @1284358, flyrecord
 * @1284961 with CPU0 data @1286144 (+124622) and CPU1 @1413120 (+41292),
 * options @1454416, strings @1454515, end 1454632.  A copy cut at any of
 * these (and inside them) must fail, never be read as a shorter trace.
 */
static const uint64_t cuts[] = {
	10, 11, 12, 14, 16, 20, 30, 36, 37, 40, 53, 200, 314, 320, 2079, 3000, 4202,
	500000, 1282639, 1282700, 1284095, 1284200, 1284358, 1284364, 1284380, 1284500,
	1284944, 1284961, 1284970, 1285000, 1286144, 1286150, 1300000, 1410766,
	1410770, 1413120, 1413124, 1430000, 1454412, 1454416, 1454432, 1454500,
	1454515, 1454531, 1454600, 1454631,
};

static const char *sample_path(void)
{
	static const char *const tries[] = { "data/" SAMPLE, "tests/data/" SAMPLE };

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		if (access(tries[i], R_OK) == 0)
			return tries[i];
	return NULL;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	struct stat st;

	if (!f || fstat(fileno(f), &st))
		return NULL;
	buf = malloc((size_t)st.st_size);
	if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

static void spill(const char *path, const unsigned char *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Open and read @path to the end; the first negative code, or 0. */
static int read_all(const char *path, struct prs_reader **out)
{
	struct prs_event ev;
	int ret;

	ret = prs_open(path, 0, out);
	if (ret < 0)
		return ret;
	while ((ret = prs_next(*out, &ev)) > 0)
		;
	return ret;
}

static void test_sample_counts(void **state)
{
	const char *path = sample_path();
	const struct prs_stats *st;
	struct prs_reader *r;
	struct prs_event ev;
	uint64_t prev = 0, n = 0;
	bool seen_alloc = false;
	int ret;

	if (!path)
		skip();
	assert_int_equal(prs_open(path, 0, &r), 0);
	assert_int_equal(prs_format(r), PRS_FMT_TRACE_DAT);
	while ((ret = prs_next(r, &ev)) > 0) {
		assert_true(ev.ts >= prev);
		prev = ev.ts;
		assert_true(ev.cpu == 0 || ev.cpu == 1);
		assert_int_not_equal(ev.kind, PRS_EV_OTHER);
		assert_non_null(ev.comm);
		if (ev.kind == PRS_EV_PAGE_ALLOC && !seen_alloc) {
			seen_alloc = true;
			assert_int_equal(ev.pid, 308);
			assert_string_equal(ev.comm, "sh");
			assert_int_equal(ev.u.mm.pfn, 0x153c);
			assert_int_equal(ev.u.mm.order, 1);
			assert_int_equal(ev.u.mm.migratetype, 0);
			assert_non_null(ev.u.mm.gfp_str);
			assert_string_equal(ev.u.mm.gfp_str, FIRST_GFP);
			assert_true(ev.u.mm.gfp != PRS_NO_VALUE);
		}
		if (ev.kind == PRS_EV_PRINT)
			assert_true(!strcmp(ev.u.print.text, "VMCAP_WINDOW_BEGIN") ||
				    !strcmp(ev.u.print.text, "VMCAP_WINDOW_END"));
		if (ev.kind == PRS_EV_COMPACT_END)
			assert_non_null(ev.u.compact.status_str);
		if (ev.kind == PRS_EV_SCHED_SWITCH)
			assert_non_null(strchr("RSDTtXZPI", ev.u.sw.prev_state));
		n++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(n, EXPECT_EVENTS);

	st = prs_stats(r);
	assert_int_equal(st->events, EXPECT_EVENTS);
	assert_int_equal(st->first_ts, FIRST_TS);
	assert_int_equal(st->last_ts, LAST_TS);
	assert_int_equal(st->nr_cpus, 2);
	assert_int_equal(st->ts_backwards, 0);
	assert_int_equal(st->lost_events, 0);
	assert_int_equal(st->lost_markers, 0);
	assert_int_equal(st->bad_fields, 0);
	assert_true(st->cpustat_known);
	assert_int_equal(st->overrun_reported, 0);
	assert_int_equal(st->dropped_reported, 0);
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		bool found = false;

		assert_int_equal(st->by_kind[expect[i].kind], expect[i].count);
		for (size_t j = 0; j < st->nr_names; j++) {
			if (strcmp(st->names[j].name, expect[i].name))
				continue;
			assert_int_equal(st->names[j].count, expect[i].count);
			found = true;
		}
		assert_true(found);
	}
	assert_int_equal(st->nr_names, sizeof(expect) / sizeof(expect[0]));
	assert_string_equal(prs_kernel(r), "6.12.107+deb12-cloud-amd64");
	assert_string_equal(prs_clock(r), "local");
	assert_int_equal(prs_nr_instances(r), 0);
	prs_close(r);
}

/* Interned strings compare by pointer; one rendering per distinct gfp value. */
static void test_sample_interned(void **state)
{
	const char *path = sample_path();
	const char *seen[64];
	size_t nseen = 0;
	struct prs_reader *r;
	struct prs_event ev;

	if (!path)
		skip();
	assert_int_equal(prs_open(path, 0, &r), 0);
	while (prs_next(r, &ev) > 0) {
		size_t i;

		if (ev.kind != PRS_EV_PAGE_ALLOC)
			continue;
		for (i = 0; i < nseen; i++) {
			if (seen[i] == ev.u.mm.gfp_str)
				break;
			/* same text, different pointer: not interned */
			assert_false(!strcmp(seen[i], ev.u.mm.gfp_str));
		}
		if (i == nseen && nseen < 64)
			seen[nseen++] = ev.u.mm.gfp_str;
	}
	assert_true(nseen > 1);
	prs_close(r);
}

static char tmpdir[64];

static int setup_tmp(void **state)
{
	strcpy(tmpdir, "/tmp/allocscope-tdXXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmp(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Every cut: a negative code, one line naming the file and an offset. */
static void test_truncated(void **state)
{
	const char *path = sample_path();
	unsigned char *buf;
	char cut[128];
	size_t len;

	if (!path)
		skip();
	buf = slurp(path, &len);
	assert_non_null(buf);
	assert_int_equal(len, SAMPLE_SIZE);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		struct prs_reader *r = NULL;
		const char *msg;
		int ret;

		snprintf(cut, sizeof(cut), "%s/cut-%llu.dat", tmpdir, (unsigned long long)cuts[i]);
		spill(cut, buf, (size_t)cuts[i]);
		ret = read_all(cut, &r);
		assert_non_null(r);
		msg = prs_errmsg(r);
		if (ret >= 0 || !strstr(msg, cut) || !strstr(msg, "offset ") || strchr(msg, '\n'))
			print_error("cut at %llu: ret %d: %s\n", (unsigned long long)cuts[i], ret, msg);
		assert_true(ret < 0);
		assert_non_null(strstr(msg, cut));
		assert_non_null(strstr(msg, "offset "));
		assert_null(strchr(msg, '\n'));
		/* past the fixed header: truncated; past the flyrecord section's header
		 * (1284961 + 16): read up to the cut, then -PRS_ECUT */
		if (cuts[i] >= 16 && cuts[i] < 1284977)
			assert_int_equal(ret, -PRS_ETRUNCATED);
		else if (cuts[i] >= 1284977)
			assert_int_equal(ret, -PRS_ECUT);
		prs_close(r);
		unlink(cut);
	}
	free(buf);
}

static void expect_fail(const char *name, const unsigned char *buf, size_t len, int code)
{
	struct prs_reader *r = NULL;
	char path[128];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	spill(path, buf, len);
	ret = read_all(path, &r);
	if (ret != code)
		print_error("%s: ret %d (%s), want %d\n", name, ret, r ? prs_errmsg(r) : "", code);
	assert_int_equal(ret, code);
	assert_non_null(strstr(prs_errmsg(r), path));
	prs_close(r);
	unlink(path);
}

static void test_bad_header(void **state)
{
	const char *path = sample_path();
	unsigned char *buf, save;
	size_t len;

	if (!path)
		skip();
	buf = slurp(path, &len);
	assert_non_null(buf);

	/* bad magic: not recognized as trace.dat at all */
	save = buf[2];
	buf[2] = 0x45;
	{
		struct prs_reader *r = NULL;
		char p[128];
		int ret;

		snprintf(p, sizeof(p), "%s/badmagic.dat", tmpdir);
		spill(p, buf, 4096);
		ret = read_all(p, &r);
		assert_true(ret < 0);
		assert_int_not_equal(prs_format(r), PRS_FMT_TRACE_DAT);
		prs_close(r);
		unlink(p);
	}
	buf[2] = save;

	buf[10] = '8';				/* version 8 */
	expect_fail("v8.dat", buf, len, -PRS_EUNSUPPORTED);
	buf[10] = '5';				/* version 5 */
	expect_fail("v5.dat", buf, len, -PRS_EUNSUPPORTED);
	buf[10] = 'x';
	expect_fail("vx.dat", buf, len, -PRS_ECORRUPT);
	buf[10] = '7';
	buf[12] = 2;				/* endianness */
	expect_fail("endian.dat", buf, len, -PRS_ECORRUPT);
	buf[12] = 0;
	buf[13] = 6;				/* long size */
	expect_fail("lsize.dat", buf, len, -PRS_ECORRUPT);
	buf[13] = 8;
	buf[15] = 0x11;				/* page size 0x1100: not a power of two */
	expect_fail("psize.dat", buf, len, -PRS_ECORRUPT);
	buf[15] = 0x10;
	buf[19] = 'X';				/* compression "zXtd" */
	expect_fail("compress.dat", buf, len, -PRS_EUNSUPPORTED);
	buf[19] = 's';
	/* first options offset (at 29) pointing past the end */
	buf[33] = 0x7f;
	expect_fail("optoff.dat", buf, len, -PRS_ETRUNCATED);
	buf[33] = 0;
	free(buf);
}

/* Corrupted bytes anywhere in the metadata: an error or a clean read, never a crash. */
static void test_flipped_bytes(void **state)
{
	const char *path = sample_path();
	unsigned char *buf;
	char p[128];
	size_t len;

	if (!path)
		skip();
	buf = slurp(path, &len);
	assert_non_null(buf);
	snprintf(p, sizeof(p), "%s/flip.dat", tmpdir);
	for (size_t off = 10; off < 340; off += 3) {
		struct prs_reader *r = NULL;
		unsigned char save = buf[off];

		buf[off] ^= 0xa5;
		spill(p, buf, len);
		(void)read_all(p, &r);
		prs_close(r);
		buf[off] = save;
	}
	unlink(p);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_counts),
		cmocka_unit_test(test_sample_interned),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_flipped_bytes),
	};

	return cmocka_run_group_tests_name("tracedat", tests, setup_tmp, teardown_tmp);
}
