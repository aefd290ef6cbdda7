// SPDX-License-Identifier: GPL-2.0-only
/*
 * The streaming reader's kallsyms (parsers/tracedat-meta.c) must name every
 * address as libtraceevent's tep_parse_kallsyms() + tep_find_function() do,
 * since the libtracecmd reader uses those: on hand-made text with the odd
 * lines, and on the whole kallsyms of a real capture (Debian 6.12 cloud
 * kernel, ~155,000 symbols), at every symbol and next to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include <zstd.h>

#include "tracedat-local.h"

/*
 * 6.12-thp-tcev.dat (trace-cmd dump --sections): the kallsyms section header
 * at 4202, zstd, 1278413 bytes compressed, 6878538 decompressed.
 */
#define SAMPLE		"6.12-thp-tcev.dat"
#define KSYMS_DATA	(4202 + 16)
#define KSYMS_SIZE	(8 + 1278413)
#define KSYMS_USIZE	6878538

static const char *sample_path(void)
{
	static const char *const tries[] = { "data/" SAMPLE, "tests/data/" SAMPLE };

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		if (access(tries[i], R_OK) == 0)
			return tries[i];
	return NULL;
}

/* Both resolvers on @text, compared at @addr; the number of addresses that named something. */
struct pair {
	struct tep_handle	*tep;
	struct td_ksyms		k;
	char			*mine;		/* our parse works in place */
};

static void pair_init(struct pair *p, const char *text, size_t len)
{
	char *copy = malloc(len + 1);

	assert_non_null(copy);
	memcpy(copy, text, len);
	copy[len] = '\0';
	p->tep = tep_alloc();
	assert_non_null(p->tep);
	tep_parse_kallsyms(p->tep, copy);	/* may stop early: so do we */
	memset(&p->k, 0, sizeof(p->k));
	p->mine = copy;
	assert_int_equal(prs_td_ksyms_parse(&p->k, p->mine, len), 0);
}

static void pair_free(struct pair *p)
{
	tep_free(p->tep);
	prs_td_ksyms_free(&p->k);
	free(p->mine);
}

static bool pair_same(const struct pair *p, uint64_t addr)
{
	const char *want = tep_find_function(p->tep, addr), *got;
	size_t len = 0;

	got = prs_td_ksyms_find(&p->k, addr, &len);
	if (!want || !got) {
		if (want != got)
			print_error("0x%llx: libtraceevent %s, ours %.*s\n", (unsigned long long)addr,
				    want ? want : "(none)", got ? (int)len : 6, got ? got : "(none)");
		return want == got;
	}
	if (strlen(want) != len || memcmp(want, got, len)) {
		print_error("0x%llx: libtraceevent %s, ours %.*s\n", (unsigned long long)addr, want,
			    (int)len, got);
		return false;
	}
	return true;
}

static void test_odd_lines(void **state)
{
	static const char text[] =
		"\n"
		"0000000000000000 A fixed_percpu_data\n"
		"0000000000001000 a percpu_local\n"
		"ffffffff81000000 T _text\n"
		"ffffffff81000000 T startup_64\n"
		"ffffffff81000040 t $x.0\n"
		"ffffffff81000100 T secondary_startup_64\n"
		"ffffffff81000100 t sec_alias\n"
		"ffffffff81000100 W sec_weak\n"
		"\n\n"
		"ffffffff81001000 t later\n"
		"ffffffff81000800 t out_of_order\n"
		"1000 T short_addr\n"
		"0x2000 T hex_prefix\n"
		"  ffffffff81002000 T leading_blanks\n"
		"ffffffff81003000 T  two_blanks\n"
		"ffffffff81004000\tT\ttabs\n"
		"ffffffff81005000 t trailing_blank \n"
		"ffffffff81006000 d some_data\n"
		"ffffffffc0002000 t mod_b\t[mod_two]\n"
		"ffffffffc0001000 t mod_a\t[mod_one]\n"
		"ffffffffc0001000 T mod_a_alias\t[mod_one]\n"
		"ffffffffc0003000 t mod_c\t[\n"
		"fffffffffffff000 T near_top\n"
		"ffffffff810070000 T seventeen_digits\n"	/* 16 digits, type '0', name "T" */
		"bad 1 hexlike_word\n"				/* 0xbad, type '1' */
		"xyz not a symbol\n"				/* ends the list */
		"ffffffff81008000 T after_the_bad_line\n";
	static const uint64_t extra[] = {
		0, 1, 0xfff, 0x1000, 0x1001, 0x2000, 0x3000, 0xffffffff80ffffffull,
		0xffffffff81000050ull, 0xffffffff810000ffull, 0xffffffff81008000ull,
		0xffffffffc0001800ull, 0xfffffffffffff001ull, UINT64_MAX,
	};
	struct pair p;

	pair_init(&p, text, sizeof(text) - 1);
	assert_true(p.k.nr > 10);
	for (size_t i = 0; i < p.k.nr; i++) {
		uint64_t a = p.k.sym[i].addr;

		assert_true(pair_same(&p, a));
		assert_true(pair_same(&p, a + 1));
		assert_true(pair_same(&p, a - 1));
	}
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		assert_true(pair_same(&p, extra[i]));
	pair_free(&p);
}

static void test_edges(void **state)
{
	static const char one[] = "ffffffff81000000 T only";
	struct pair p;
	size_t len = 0;

	/* no symbols, one symbol, text without its last newline, a NUL in the text */
	pair_init(&p, "", 0);
	assert_int_equal(p.k.nr, 0);
	assert_null(prs_td_ksyms_find(&p.k, 0xffffffff81000000ull, &len));
	pair_free(&p);

	pair_init(&p, one, sizeof(one) - 1);
	assert_int_equal(p.k.nr, 1);
	assert_true(pair_same(&p, 0xffffffff81000000ull));
	assert_true(pair_same(&p, 0xffffffff81000001ull));	/* past the last: nothing */
	assert_true(pair_same(&p, 0xffffffff80ffffffull));
	pair_free(&p);

	pair_init(&p, "ffffffff81000000 T a\nffffffff81000010 T b\0ffffffff81000020 T c\n", 64);
	assert_int_equal(p.k.nr, 2);
	assert_true(pair_same(&p, 0xffffffff81000005ull));
	assert_non_null(prs_td_ksyms_find(&p.k, 0xffffffff81000005ull, &len));
	assert_int_equal(len, 1);
	assert_true(pair_same(&p, 0xffffffff81000025ull));
	pair_free(&p);
}

/* Many names at a handful of addresses: which one a lookup lands on is the probe sequence's. */
static void test_duplicates(void **state)
{
	char *text = malloc(1 << 16), *p = text;
	struct pair pr;

	assert_non_null(text);
	for (int i = 0; i < 600; i++)
		p += sprintf(p, "ffffffff8100%04x %c dup_%d\n", (i * 7919) % 97 * 16,
			     "TtWd"[i % 4], i);
	pair_init(&pr, text, (size_t)(p - text));
	for (uint64_t a = 0xffffffff80fffff0ull; a < 0xffffffff81000700ull; a++)
		assert_true(pair_same(&pr, a));
	pair_free(&pr);
	free(text);
}

static void test_real_kallsyms(void **state)
{
	const char *path = sample_path();
	struct prs_reader r = { .path = "kallsyms" };
	struct td_ksyms k = { 0 };
	uint8_t *comp, *raw;
	struct pair p;
	uint32_t size;
	size_t n;
	int fd;

	if (!path)
		skip();
	/* the loader: pread, zstd, parse */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	k.pending = true;
	k.fd = fd;
	k.zstd = true;
	k.at = (struct td_meta){ .off = KSYMS_DATA, .size = KSYMS_SIZE, .present = true,
				 .compressed = true };
	assert_int_equal(prs_td_ksyms_load(&r, &k), 0);
	assert_false(k.pending);
	assert_true(k.nr > 150000);

	/* libtraceevent on the same text */
	comp = malloc(KSYMS_SIZE);
	raw = malloc(KSYMS_USIZE);
	assert_non_null(comp);
	assert_non_null(raw);
	assert_int_equal(pread(fd, comp, KSYMS_SIZE, KSYMS_DATA), KSYMS_SIZE);
	n = ZSTD_decompress(raw, KSYMS_USIZE, comp + 8, KSYMS_SIZE - 8);
	assert_int_equal(n, KSYMS_USIZE);
	memcpy(&size, raw, 4);
	assert_true(size <= KSYMS_USIZE - 4);
	pair_init(&p, (const char *)raw + 4, size);
	assert_int_equal(p.k.nr, k.nr);
	for (size_t i = 0; i < k.nr; i++) {
		uint64_t a = k.sym[i].addr;

		assert_int_equal(a, p.k.sym[i].addr);
		if (!pair_same(&p, a) || !pair_same(&p, a + 1) || !pair_same(&p, a - 1) ||
		    !pair_same(&p, a + 64))
			fail();
	}
	pair_free(&p);
	prs_td_ksyms_free(&k);
	free(comp);
	free(raw);
	close(fd);
}

/* A damaged section is an error with its offset when the first address is looked up. */
static void test_load_errors(void **state)
{
	const char *path = sample_path();
	struct prs_reader r = { .path = "kallsyms" };
	struct td_ksyms k = { 0 };
	int fd;

	if (!path)
		skip();
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	/* the zstd frame cut short: it does not decompress */
	k.fd = fd;
	k.zstd = true;
	k.at = (struct td_meta){ .off = KSYMS_DATA, .size = 4000, .present = true,
				 .compressed = true };
	assert_int_equal(prs_td_ksyms_load(&r, &k), -PRS_ECORRUPT);
	assert_non_null(strstr(r.errmsg, "offset 4218: the kallsyms section"));
	prs_td_ksyms_free(&k);

	/* compressed, but the file says no compression */
	memset(&k, 0, sizeof(k));
	k.fd = fd;
	k.at = (struct td_meta){ .off = KSYMS_DATA, .size = KSYMS_SIZE, .present = true,
				 .compressed = true };
	assert_true(prs_td_ksyms_load(&r, &k) < 0);
	assert_non_null(strstr(r.errmsg, "offset 4218: "));
	prs_td_ksyms_free(&k);

	/* past the end of the file */
	memset(&k, 0, sizeof(k));
	k.fd = fd;
	k.at = (struct td_meta){ .off = 1454632 - 10, .size = 100, .present = true };
	assert_int_equal(prs_td_ksyms_load(&r, &k), -PRS_ETRUNCATED);
	prs_td_ksyms_free(&k);

	/* uncompressed, its size field larger than the block */
	memset(&k, 0, sizeof(k));
	k.fd = fd;
	k.at = (struct td_meta){ .off = 0, .size = 8, .present = true };
	assert_int_equal(prs_td_ksyms_load(&r, &k), -PRS_ECORRUPT);
	assert_non_null(strstr(r.errmsg, "runs past the end of the block"));
	prs_td_ksyms_free(&k);

	/* no kallsyms in the file: nothing to load, nothing found */
	memset(&k, 0, sizeof(k));
	k.pending = true;
	assert_int_equal(prs_td_ksyms_load(&r, &k), 0);
	assert_false(k.pending);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_odd_lines),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_real_kallsyms),
		cmocka_unit_test(test_load_errors),
	};

	tep_set_loglevel(TEP_LOG_NONE);
	return cmocka_run_group_tests_name("ksyms", tests, NULL, NULL);
}
