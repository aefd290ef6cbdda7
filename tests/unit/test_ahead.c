// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading ahead (PRS_OPT_AHEAD, parsers/ahead.c): the events handed over in
 * batches must be exactly those of the reader on the caller's thread, with
 * their short-lived strings intact after the reader has moved on; errors
 * come after the events before them; stopping early neither hangs nor leaks.
 *
 * The inputs are ftrace text written here: prints of 4,000 bytes fill a
 * batch's string space after a few events (the event that does not fit goes
 * first into the next batch), long task names and sched_switch comms too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "parsers.h"

static char tmpdir[] = "/tmp/allocscope-test-ahead-XXXXXX";
static char path_ok[600], path_bad[600];

#define NR_LINES	6000
#define BAD_AT		4321	/* the event line of path_bad that is too long (file line + 2) */

/* Line @i of the trace: page allocs, sched_switch, and every 7th a long print. */
static void put_line(FILE *f, int i)
{
	double ts = 10.0 + i * 0.000001;
	int pid = 100 + i % 13;

	if (i % 7 == 3) {
		fprintf(f, " task-with-a-long-name-%d-%d [%03d] .....  %.6f: tracing_mark_write: "
			"allocscope: note %d ", i % 5, pid, i % 4, ts, i);
		for (int k = 0; k < 4000; k++)
			fputc('a' + (i + k) % 26, f);
		fputc('\n', f);
	} else if (i % 7 == 5) {
		fprintf(f, " kworker/u16:%d-%d [%03d] d..2.  %.6f: sched_switch: prev_comm=kworker/u16:%d "
			"prev_pid=%d prev_prio=120 prev_state=S ==> next_comm=POSIX timer %d next_pid=%d "
			"next_prio=120\n", i % 3, pid, i % 4, ts, i % 3, pid, i, pid + 1);
	} else {
		fprintf(f, " memhog-%d [%03d] .....  %.6f: mm_page_alloc: page=000000005a919951 "
			"pfn=0x%x order=%d migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO\n",
			pid, i % 4, ts, 0x2644 + i, i % 3);
	}
}

static void write_trace(const char *path, int bad_at)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "# tracer: nop\n#\n");
	for (int i = 1; i <= NR_LINES; i++) {
		if (i == bad_at) {
			/* longer than the 1 MiB a line may be: an error at this line */
			for (int k = 0; k < (1 << 20) + 10; k++)
				fputc('x', f);
			fputc('\n', f);
			continue;
		}
		put_line(f, i);
	}
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path_ok, sizeof(path_ok), "%s/ok.txt", tmpdir);
	snprintf(path_bad, sizeof(path_bad), "%s/bad.txt", tmpdir);
	write_trace(path_ok, 0);
	write_trace(path_bad, BAD_AT);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path_ok);
	unlink(path_bad);
	rmdir(tmpdir);
	return 0;
}

static void same_str(const char *a, const char *b)
{
	if (!a || !b) {
		assert_ptr_equal(a, b);
		return;
	}
	assert_string_equal(a, b);
}

/* Both readers give the same event; @b's strings are checked after @a moved on. */
static void same_event(const struct prs_event *a, const struct prs_event *b)
{
	assert_int_equal(a->ts, b->ts);
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->pid, b->pid);
	assert_int_equal(a->tgid, b->tgid);
	assert_int_equal(a->kind, b->kind);
	same_str(a->comm, b->comm);
	same_str(a->name, b->name);
	switch (a->kind) {
	case PRS_EV_PAGE_ALLOC:
		assert_int_equal(a->u.mm.pfn, b->u.mm.pfn);
		assert_int_equal(a->u.mm.order, b->u.mm.order);
		same_str(a->u.mm.gfp_str, b->u.mm.gfp_str);
		break;
	case PRS_EV_SCHED_SWITCH:
		same_str(a->u.sw.prev_comm, b->u.sw.prev_comm);
		same_str(a->u.sw.next_comm, b->u.sw.next_comm);
		assert_int_equal(a->u.sw.next_pid, b->u.sw.next_pid);
		break;
	case PRS_EV_PRINT:
		assert_int_equal(a->u.print.len, b->u.print.len);
		assert_memory_equal(a->u.print.text, b->u.print.text, a->u.print.len);
		break;
	default:
		break;
	}
}

/*
 * Read @path with and without reading ahead, side by side: the ahead
 * reader's event is compared after the plain reader's next call (its
 * strings must not depend on the plain reader), and the ahead reader is one
 * event behind (its own strings must outlive the batch hand-over).
 */
static void compare_streams(const char *path, int *events, int *end)
{
	struct prs_reader *plain, *ahead;
	struct prs_event pe, ae;
	int rp, ra, n = 0;

	assert_int_equal(prs_open(path, 0, &plain), 0);
	assert_int_equal(prs_open(path, PRS_OPT_AHEAD, &ahead), 0);
	for (;;) {
		rp = prs_next(plain, &pe);
		ra = prs_next(ahead, &ae);
		assert_int_equal(rp, ra);
		if (rp <= 0)
			break;
		same_event(&pe, &ae);
		n++;
	}
	if (rp < 0)
		assert_string_equal(prs_errmsg(plain), prs_errmsg(ahead));
	/* the end repeats, as prs_next() does */
	assert_int_equal(prs_next(ahead, &ae), ra);
	assert_int_equal(prs_stats(plain)->events, prs_stats(ahead)->events);
	assert_int_equal(prs_stats(plain)->lines, prs_stats(ahead)->lines);
	prs_close(plain);
	prs_close(ahead);
	*events = n;
	*end = rp;
}

static void test_same_stream(void **state)
{
	int n, end;

	(void)state;
	compare_streams(path_ok, &n, &end);
	assert_int_equal(end, 0);
	assert_int_equal(n, NR_LINES);
}

static void test_error_after_its_events(void **state)
{
	int n, end;

	(void)state;
	struct prs_reader *r;
	struct prs_event ev;
	char where[64];

	compare_streams(path_bad, &n, &end);
	assert_int_equal(end, -PRS_ETOOLONG);
	assert_int_equal(n, BAD_AT - 1);
	/* the message names the line (after the two header lines) */
	assert_int_equal(prs_open(path_bad, PRS_OPT_AHEAD, &r), 0);
	while (prs_next(r, &ev) == 1)
		;
	snprintf(where, sizeof(where), "line %d", BAD_AT + 2);
	assert_non_null(strstr(prs_errmsg(r), where));
	prs_close(r);
}

/* Closing after a few events stops the thread (ASan/valgrind: nothing leaks). */
static void test_close_early(void **state)
{
	struct prs_reader *r;
	struct prs_event ev;

	(void)state;
	for (int stop_after = 0; stop_after < 3000; stop_after += 1499) {
		assert_int_equal(prs_open(path_ok, PRS_OPT_AHEAD, &r), 0);
		for (int i = 0; i < stop_after; i++)
			assert_int_equal(prs_next(r, &ev), 1);
		prs_close(r);
	}
}

/* prs_stats() before the end stops reading ahead: later calls say so, never a silent end. */
static void test_stats_midway(void **state)
{
	struct prs_reader *r;
	struct prs_event ev;
	int ret;

	(void)state;
	assert_int_equal(prs_open(path_ok, PRS_OPT_AHEAD, &r), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(prs_next(r, &ev), 1);
	assert_true(prs_stats(r)->events >= 10);
	while ((ret = prs_next(r, &ev)) == 1)
		;
	assert_int_equal(ret, -PRS_EIO);
	assert_non_null(strstr(prs_errmsg(r), "reading stopped"));
	prs_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_stream),
		cmocka_unit_test(test_error_after_its_events),
		cmocka_unit_test(test_close_early),
		cmocka_unit_test(test_stats_midway),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
