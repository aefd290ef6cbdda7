// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text readers: every line shape on embedded inputs, and counts on the
 * real captures in tests/data/ checked against independent grep counts.
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
#include <zstd.h>

#include "parsers.h"
#include "text-local.h"	/* txt_parse_ts, txt_parse_num */
#include "parsers-local.h"	/* prs_unwrap */

#define MAXEV 64

/* One event, copied out (comm and friends only live until prs_next()). */
struct ev {
	struct prs_event e;
	char comm[64], prev[64], next[64], text[128];
	/* interned strings die with the reader: copies */
	char name[64], func[64], caller[64], gfp[96], status[32];
};

/* Point *p at a copy in @buf, NULL stays NULL. */
static void keep(const char **p, char *buf, size_t size)
{
	if (*p) {
		snprintf(buf, size, "%s", *p);
		*p = buf;
	}
}

struct run {
	struct ev ev[MAXEV];
	int n;
	int ret;		/* last prs_open/prs_next result */
	char err[512];
	struct prs_stats st;
	enum prs_format fmt;
	bool compressed;
};

static char tmpdir[] = "/tmp/allocscope-test-text-XXXXXX";

static char *write_file(const char *name, const void *data, size_t len)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
	return path;
}

static void copy_str(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s ? s : "");
}

static void read_path(const char *path, unsigned int flags, struct run *run)
{
	struct prs_reader *r;
	struct prs_event e;
	int ret;

	memset(run, 0, sizeof(*run));
	ret = prs_open(path, flags, &r);
	if (ret == 0) {
		while ((ret = prs_next(r, &e)) > 0) {
			if (run->n < MAXEV) {
				struct ev *v = &run->ev[run->n];

				v->e = e;
				copy_str(v->comm, sizeof(v->comm), e.comm);
				if (e.kind == PRS_EV_SCHED_SWITCH) {
					copy_str(v->prev, sizeof(v->prev), e.u.sw.prev_comm);
					copy_str(v->next, sizeof(v->next), e.u.sw.next_comm);
				}
				if (e.kind == PRS_EV_PRINT)
					copy_str(v->text, sizeof(v->text), e.u.print.text);
				keep(&v->e.name, v->name, sizeof(v->name));
				switch (e.kind) {
				case PRS_EV_FUNC_ENTRY:
				case PRS_EV_FUNC_EXIT:
				case PRS_EV_KPROBE:
				case PRS_EV_KRETPROBE:
				case PRS_EV_FUNC_CALL:
					keep(&v->e.u.fn.func, v->func, sizeof(v->func));
					keep(&v->e.u.fn.caller, v->caller, sizeof(v->caller));
					break;
				case PRS_EV_PAGE_ALLOC:
				case PRS_EV_RECLAIM_BEGIN:
				case PRS_EV_MEMCG_RECLAIM_BEGIN:
				case PRS_EV_WAKEUP_KSWAPD:
				case PRS_EV_KSWAPD_WAKE:
				case PRS_EV_TRY_COMPACT:
					keep(&v->e.u.mm.gfp_str, v->gfp, sizeof(v->gfp));
					break;
				case PRS_EV_COMPACT_BEGIN:
				case PRS_EV_COMPACT_END:
				case PRS_EV_COMPACT_SUITABLE:
				case PRS_EV_COMPACT_DEFERRED:
				case PRS_EV_COMPACT_FINISHED:
					keep(&v->e.u.compact.status_str, v->status, sizeof(v->status));
					break;
				default:
					break;
				}
			}
			run->n++;
		}
	}
	run->ret = ret;
	copy_str(run->err, sizeof(run->err), r ? prs_errmsg(r) : "");
	if (r) {
		run->st = *prs_stats(r);
		run->st.names = NULL;	/* gone after close */
		run->fmt = prs_format(r);
		run->compressed = prs_compressed(r);
	}
	prs_close(r);
}

static void read_text(const char *text, struct run *run)
{
	read_path(write_file("t.txt", text, strlen(text)), 0, run);
}

/* ---- tracefs text ---------------------------------------------------------- */

static const char ftrace_hdr[] =
	"# tracer: nop\n"
	"#\n"
	"# entries-in-buffer/entries-written: 5/5   #P:2\n"
	"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
	"#              | |         |   |||||     |         |\n";

static void test_ftrace_basic(void **state)
{
	struct run run;
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", ftrace_hdr,
		 "            init-1       [001] .....    10.128869: mm_page_alloc: page=000000005a919951 pfn=0x2644 order=1 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO\n"
		 " kworker/u16:2-77        [000] d..2.    10.129693: sched_switch: prev_comm=POSIX timer 0 prev_pid=77 prev_prio=120 prev_state=R+ ==> next_comm=com.android.systemui next_pid=298 next_prio=120\n"
		 "   POSIX timer 0-1234    [003] .....    10.203639: tracing_mark_write: VMCAP_WINDOW_BEGIN\n"
		 "       Binder:1234_5-99  [001] .....    10.968093: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP\n"
		 "             hog-306     [001] .....    10.978008: mm_vmscan_direct_reclaim_end: nr_reclaimed=39\n"
		 "             hog-306     [001] .....    10.978010: some_other_event: x=1\n");
	read_text(text, &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FTRACE_TEXT);
	assert_false(run.compressed);
	assert_int_equal(run.n, 5);	/* the unknown event is counted, not returned */
	assert_int_equal(run.st.events, 6);
	assert_int_equal(run.st.by_kind[PRS_EV_OTHER], 1);
	assert_int_equal(run.st.bad_lines, 0);
	assert_int_equal(run.st.nr_cpus, 4);

	assert_int_equal(run.ev[0].e.kind, PRS_EV_PAGE_ALLOC);
	assert_int_equal(run.ev[0].e.ts, 10128869000ull);
	assert_int_equal(run.ev[0].e.cpu, 1);
	assert_int_equal(run.ev[0].e.pid, 1);
	assert_int_equal(run.ev[0].e.tgid, -1);
	assert_string_equal(run.ev[0].comm, "init");
	assert_int_equal(run.ev[0].e.u.mm.pfn, 0x2644);
	assert_int_equal(run.ev[0].e.u.mm.order, 1);
	assert_int_equal(run.ev[0].e.u.mm.migratetype, 0);
	assert_int_equal(run.ev[0].e.u.mm.gfp, PRS_NO_VALUE);
	assert_string_equal(run.ev[0].e.u.mm.gfp_str, "GFP_KERNEL_ACCOUNT|__GFP_ZERO");

	assert_int_equal(run.ev[1].e.kind, PRS_EV_SCHED_SWITCH);
	assert_string_equal(run.ev[1].comm, "kworker/u16:2");
	assert_int_equal(run.ev[1].e.pid, 77);
	assert_string_equal(run.ev[1].prev, "POSIX timer 0");
	assert_int_equal(run.ev[1].e.u.sw.prev_pid, 77);
	assert_int_equal(run.ev[1].e.u.sw.prev_state, 'R');
	assert_string_equal(run.ev[1].next, "com.android.systemui");
	assert_int_equal(run.ev[1].e.u.sw.next_pid, 298);

	assert_int_equal(run.ev[2].e.kind, PRS_EV_PRINT);
	assert_string_equal(run.ev[2].comm, "POSIX timer 0");
	assert_int_equal(run.ev[2].e.pid, 1234);
	assert_string_equal(run.ev[2].text, "VMCAP_WINDOW_BEGIN");

	assert_string_equal(run.ev[3].comm, "Binder:1234_5");
	assert_int_equal(run.ev[3].e.pid, 99);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_RECLAIM_BEGIN);
	assert_int_equal(run.ev[3].e.u.mm.order, 0);
	assert_int_equal(run.ev[4].e.u.reclaim.nr_reclaimed, 39);
}

/*
 * mm_vmscan_lru_shrink_inactive as 4.11 .. 6.18 print it: nr_scanned and
 * nr_reclaimed (what pgsteal_* count); _active has neither (nr_taken,
 * nr_deactivated, ...), and a value that is not a number is a bad field.
 */
static void test_ftrace_lru_shrink(void **state)
{
	struct run run;
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", ftrace_hdr,
		 "          memhog-199     [001] .....    47.011487: mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=32 nr_reclaimed=27 nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=5 nr_activate_file=0 nr_ref_keep=0 nr_unmap_fail=0 priority=8 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC\n"
		 "          memhog-199     [001] .....    47.011488: mm_vmscan_lru_shrink_active: nid=0 nr_taken=32 nr_active=0 nr_deactivated=32 nr_referenced=0 priority=8 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC\n"
		 "         kswapd0-42      [000] .....    47.011489: mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=7 nr_reclaimed=x7 priority=12 flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC\n"
		 "          memhog-199     [001] .....    47.011490: mm_vmscan_memcg_softlimit_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE\n"
		 "          memhog-199     [001] .....    47.011491: mm_vmscan_memcg_softlimit_reclaim_end: nr_reclaimed=3\n"
		 "          memhog-199     [001] .....    47.011492: mm_vmscan_memcg_reclaim_begin: order=0 gfp_flags=GFP_KERNEL\n"
		 "          memhog-199     [001] .....    47.011493: mm_vmscan_memcg_reclaim_end: nr_reclaimed=32\n");
	read_text(text, &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 7);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_MEMCG_RECLAIM_BEGIN);
	assert_string_equal(run.ev[3].e.name, "mm_vmscan_memcg_softlimit_reclaim_begin");
	assert_int_equal(run.ev[3].e.u.mm.order, 0);
	assert_int_equal(run.ev[4].e.kind, PRS_EV_MEMCG_RECLAIM_END);
	assert_int_equal(run.ev[4].e.u.reclaim.nr_reclaimed, 3);
	assert_int_equal(run.ev[5].e.kind, PRS_EV_MEMCG_RECLAIM_BEGIN);
	assert_string_equal(run.ev[5].gfp, "GFP_KERNEL");
	assert_int_equal(run.ev[6].e.kind, PRS_EV_MEMCG_RECLAIM_END);
	assert_int_equal(run.ev[6].e.u.reclaim.nr_reclaimed, 32);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_LRU_SHRINK);
	assert_string_equal(run.ev[0].e.name, "mm_vmscan_lru_shrink_inactive");
	assert_int_equal(run.ev[0].e.u.lru.nid, 0);
	assert_int_equal(run.ev[0].e.u.lru.priority, 8);
	assert_int_equal(run.ev[0].e.u.lru.nr_scanned, 32);
	assert_int_equal(run.ev[0].e.u.lru.nr_reclaimed, 27);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_LRU_SHRINK);
	assert_int_equal(run.ev[1].e.u.lru.priority, 8);
	assert_int_equal(run.ev[1].e.u.lru.nr_scanned, PRS_NO_VALUE);
	assert_int_equal(run.ev[1].e.u.lru.nr_reclaimed, PRS_NO_VALUE);
	assert_int_equal(run.ev[2].e.u.lru.nr_scanned, 7);
	assert_int_equal(run.ev[2].e.u.lru.nr_reclaimed, PRS_NO_VALUE);
	assert_int_equal(run.st.bad_fields, 1);
}

static void test_ftrace_other_option(void **state)
{
	struct run run;
	const char *text =
		"             hog-306     [001] .....    10.978010: some_other_event: x=1\n";

	read_path(write_file("o.txt", text, strlen(text)), PRS_OPT_OTHER, &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 1);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_OTHER);
	assert_string_equal(run.ev[0].e.name, "some_other_event");
}

static void test_ftrace_noflags_tgid_lost(void **state)
{
	struct run run;

	read_text("# tracer: nop\n"
		  "##### CPU 1 buffer started ####\n"
		  "          <idle>-0     [001]   100.000001: mm_vmscan_kswapd_wake: nid=0 order=3\n"
		  "CPU:1 [LOST 42 EVENTS]\n"
		  "   surfaceflinger-604   (  590) [002] d..3  100.000002: mm_vmscan_wakeup_kswapd: nid=0 zid=1 order=2 gfp_flags=0x400dc0\n"
		  "           <...>-3979   (-------) [007] ....  100.000003: mm_vmscan_kswapd_sleep: nid=0\n"
		  "CPU:3 [LOST EVENTS]\n"
		  "             oom-10      [000] .....   100.000004: mark_victim: pid=4242 uid=0 comm=oom hog total-vm=1kB\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 6);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_KSWAPD_WAKE);
	assert_string_equal(run.ev[0].comm, "<idle>");
	assert_int_equal(run.ev[0].e.pid, 0);
	assert_int_equal(run.ev[0].e.u.mm.order, 3);
	assert_int_equal(run.ev[0].e.u.mm.nid, 0);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_LOST);
	assert_int_equal(run.ev[1].e.cpu, 1);
	assert_int_equal(run.ev[1].e.u.lost.count, 42);
	assert_int_equal(run.ev[2].e.kind, PRS_EV_WAKEUP_KSWAPD);
	assert_int_equal(run.ev[2].e.tgid, 590);
	assert_int_equal(run.ev[2].e.pid, 604);
	assert_string_equal(run.ev[2].comm, "surfaceflinger");
	assert_int_equal(run.ev[2].e.u.mm.gfp, 0x400dc0);
	assert_null(run.ev[2].e.u.mm.gfp_str);
	assert_int_equal(run.ev[2].e.u.mm.zid, 1);
	assert_int_equal(run.ev[3].e.tgid, -1);
	assert_int_equal(run.ev[3].e.pid, 3979);
	assert_int_equal(run.ev[3].e.u.kswapd.nid, 0);
	assert_int_equal(run.ev[4].e.kind, PRS_EV_LOST);
	assert_int_equal(run.ev[4].e.u.lost.count, 0);
	assert_int_equal(run.ev[5].e.kind, PRS_EV_MARK_VICTIM);
	assert_int_equal(run.ev[5].e.u.victim.pid, 4242);
	assert_int_equal(run.st.lost_markers, 2);
	assert_int_equal(run.st.lost_events, 42);
	assert_int_equal(run.st.skipped_lines, 2);
}

static void test_kprobes(void **state)
{
	struct run run;

	read_text("            init-1       [001] .....    10.128042: alloc_entry: (__alloc_pages_noprof+0x4/0x310) gfp_mask=0x400dc0 order=1\n"
		  "            init-1       [001] .....    10.128774: gpfl_ret: (__alloc_pages_noprof+0x169/0x310 <- get_page_from_freelist) ret=0x0\n"
		  "            init-1       [001] .....    10.128890: r2: (alloc_pages_mpol_noprof+0x8f/0x1e0 <- __alloc_pages_noprof) x=7 arg1=0xffce17ce80099100\n"
		  "            init-1       [001] .....    10.128891: r3: (foo+0x8f/0x1e0 <- bar.constprop.0) -12\n"
		  "            init-1       [001] .....    10.128892: r3: (foo+0x8f/0x1e0 <- bar.constprop.0) v=-12\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 5);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_KPROBE);
	assert_string_equal(run.ev[0].e.u.fn.func, "__alloc_pages_noprof");
	assert_int_equal(run.ev[0].e.u.fn.arg[0], 0x400dc0);
	assert_int_equal(run.ev[0].e.u.fn.arg[1], 1);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_KRETPROBE);
	assert_string_equal(run.ev[1].e.u.fn.func, "get_page_from_freelist");
	assert_string_equal(run.ev[1].e.u.fn.caller, "__alloc_pages_noprof");
	assert_int_equal(run.ev[1].e.u.fn.retval, 0);
	assert_int_equal(run.ev[2].e.u.fn.retval, 0xffce17ce80099100ull);
	assert_string_equal(run.ev[3].e.u.fn.func, "bar.constprop.0");
	assert_int_equal(run.ev[3].e.u.fn.retval, PRS_NO_VALUE);
	assert_int_equal((int64_t)run.ev[4].e.u.fn.retval, -12);
}


/*
 * The freelist probe (docs/freelist.md): alloc_flags by name, wherever it sits; a value that
 * is not a number is PRS_BAD_VALUE and a bad field. Lines of allocscope-record.sh on 6.1
 * (TGID column; entry probe) and of a return probe (alloc_flags before ret: the return value
 * is ret, not the first argument).
 */
static void test_freelist_probe(void **state)
{
	struct run run;

	read_text("              sh-760     (    760) [000] .....   144.059286: freelist: (get_page_from_freelist+0x0/0x11a0) alloc_flags=0x801\n"
		  "             exe-874     (    874) [001] ...1.   144.074965: freelist: (get_page_from_freelist+0x0/0x11a0) alloc_flags=0x841\n"
		  "          memhog-1001    (   1001) [000] .....   144.100002: freelist: (get_page_from_freelist+0x0/0x11a0) alloc_flags=-1\n"
		  "          memhog-1001    (   1001) [000] .....   144.100003: freelist: (get_page_from_freelist+0x0/0x11a0) alloc_flags=\"x\"\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 4);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_KPROBE);
	assert_string_equal(run.ev[0].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[0].e.u.fn.alloc_flags, 0x801);
	assert_int_equal(run.ev[0].e.tgid, 760);
	assert_int_equal(run.ev[1].e.u.fn.alloc_flags, 0x841);
	assert_int_equal(run.ev[2].e.u.fn.alloc_flags, PRS_BAD_VALUE);	/* -1: no kernel's flags */
	assert_int_equal(run.ev[3].e.u.fn.alloc_flags, PRS_BAD_VALUE);
	assert_int_equal(run.st.bad_fields, 1);

	/* the return probe: alloc_flags first, the return value is ret */
	read_text("          memhog-1001    [000] .....   144.100001: freelist: (__alloc_pages_noprof+0x18d/0x340 <- get_page_from_freelist) alloc_flags=0x901 ret=0x0\n"
		  "          memhog-1001    [000] .....   144.100004: gpfl_ret: (__alloc_pages_noprof+0x169/0x310 <- get_page_from_freelist) ret=0xffffea0000001000\n",
		  &run);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_KRETPROBE);
	assert_string_equal(run.ev[0].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[0].e.u.fn.alloc_flags, 0x901);
	assert_int_equal(run.ev[0].e.u.fn.retval, 0);
	/* the retprobe mode's return probe carries no alloc_flags */
	assert_int_equal(run.ev[1].e.u.fn.alloc_flags, PRS_NO_VALUE);
	assert_int_equal(run.ev[1].e.u.fn.retval, 0xffffea0000001000ull);
}

/* ---- trace-cmd report -------------------------------------------------------- */

static void test_tcmd_report(void **state)
{
	struct run run;

	read_text("cpus=2\n"
		  "CPU 1 is empty\n"
		  "     rcu_preempt-18    [001]    11.797129: sched_switch:         rcu_preempt:18 [120] W ==> swapper/1:0 [120]\n"
		  "              sh-308   [000]    11.855460: print:                tracing_mark_write: VMCAP_WINDOW_BEGIN\n"
		  "CPU:0 [204600 EVENTS DROPPED]\n"
		  "             hog-316   [001]    11.908864123: mm_compaction_begin:  zone_start=0x1000 migrate_pfn=0x1000 free_pfn=0x17e00 zone_end=0x17fda, mode=async\n"
		  "             hog-316   [001]    11.909034: mm_compaction_end:    zone_start=0x1000 migrate_pfn=0x17e00 free_pfn=0x17e00 zone_end=0x17fda, mode=sync status=partial_skipped\n"
		  "             hog-316   [001]    11.909730: mm_compaction_try_to_compact_pages: order=9 gfp_mask=GFP_TRANSHUGE priority=2\n"
		  "             a b:c-5   [001]    11.909731: sched_switch:         a b:c:5 [120] R+ ==> my:task:6 [100]\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FTRACE_TEXT);
	assert_int_equal(run.n, 7);
	assert_int_equal(run.st.nr_cpus, 2);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_SCHED_SWITCH);
	assert_string_equal(run.ev[0].prev, "rcu_preempt");
	assert_int_equal(run.ev[0].e.u.sw.prev_pid, 18);
	assert_int_equal(run.ev[0].e.u.sw.prev_state, 'W');
	assert_string_equal(run.ev[0].next, "swapper/1");
	assert_int_equal(run.ev[0].e.u.sw.next_pid, 0);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_PRINT);
	assert_string_equal(run.ev[1].text, "VMCAP_WINDOW_BEGIN");
	assert_int_equal(run.ev[2].e.kind, PRS_EV_LOST);
	assert_int_equal(run.ev[2].e.u.lost.count, 204600);
	assert_int_equal(run.ev[2].e.cpu, 0);
	assert_int_equal(run.ev[3].e.ts, 11908864123ull);	/* -t: ns */
	assert_int_equal(run.ev[3].e.u.compact.sync, 0);
	assert_int_equal(run.ev[4].e.ts, 11909034000ull);	/* µs */
	assert_int_equal(run.ev[4].e.u.compact.sync, 1);
	assert_string_equal(run.ev[4].e.u.compact.status_str, "partial_skipped");
	assert_int_equal(run.ev[5].e.kind, PRS_EV_TRY_COMPACT);
	assert_int_equal(run.ev[5].e.u.mm.order, 9);
	assert_int_equal(run.ev[5].e.u.mm.prio, 2);
	assert_string_equal(run.ev[5].e.u.mm.gfp_str, "GFP_TRANSHUGE");
	assert_string_equal(run.ev[6].prev, "a b:c");
	assert_int_equal(run.ev[6].e.u.sw.prev_pid, 5);
	assert_string_equal(run.ev[6].next, "my:task");
	assert_int_equal(run.ev[6].e.u.sw.next_pid, 6);
	assert_int_equal(run.ev[6].e.u.sw.prev_state, 'R');
	assert_int_equal(run.st.skipped_lines, 2);
}

/* ---- perf script ------------------------------------------------------------- */

static void test_perf_script(void **state)
{
	struct run run;

	read_text("            perf  3379 [000]   290.031362: sched:sched_switch: prev_comm=perf prev_pid=3379 prev_prio=120 prev_state=D ==> next_comm=migration/0 next_pid=18 next_prio=0\n"
		  "     Web Content  1234/1240 [001]   290.031455: kmem:mm_page_alloc: page=0x1134fb pfn=0x1134fb order=0 migratetype=2 gfp_flags=GFP_KERNEL|__GFP_COMP\n"
		  "             hog   306 [001]   290.031460: probe:__alloc_pages: (ffffffff81234567) gfp_mask=0x400dc0 order=0\n"
		  "             hog   306 [001]   290.031470: probe:get_page_from_freelist__return: (ffffffff8123 <- ffffffff8456) arg1=0x0\n"
		  "             hog   306 [001]   290.031480: probe:__alloc_pages__return: (ffffffff8123 <- ffffffff8456) arg1=0xffffea0001234500\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_PERF_SCRIPT);
	assert_int_equal(run.n, 5);
	assert_string_equal(run.ev[0].comm, "perf");
	assert_int_equal(run.ev[0].e.pid, 3379);
	assert_string_equal(run.ev[0].e.name, "sched_switch");
	assert_int_equal(run.ev[0].e.u.sw.prev_state, 'D');
	assert_string_equal(run.ev[1].comm, "Web Content");
	assert_int_equal(run.ev[1].e.pid, 1240);
	assert_int_equal(run.ev[1].e.tgid, 1234);
	assert_int_equal(run.ev[1].e.u.mm.migratetype, 2);
	assert_int_equal(run.ev[2].e.kind, PRS_EV_KPROBE);
	assert_string_equal(run.ev[2].e.u.fn.func, "__alloc_pages");
	assert_int_equal(run.ev[2].e.u.fn.arg[0], 0x400dc0);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_KRETPROBE);
	assert_string_equal(run.ev[3].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[3].e.u.fn.retval, 0);
	assert_string_equal(run.ev[4].e.u.fn.func, "__alloc_pages");
	assert_int_equal(run.ev[4].e.u.fn.retval, 0xffffea0001234500ull);
}

/* ---- function_graph ---------------------------------------------------------- */

static void test_fgraph_full(void **state)
{
	struct run run;

	read_text("# tracer: function_graph\n"
		  "#\n"
		  "#     TIME        CPU  TASK/PID         DURATION                  FUNCTION CALLS\n"
		  "#      |          |     |    |           |   |                     |   |   |   |\n"
		  "   11.625259 |   1)     init-1     |               |  __alloc_pages_noprof() {\n"
		  "   11.625838 |   1)     init-1     | ! 165.769 us  |    get_page_from_freelist();\n"
		  "   11.626264 |   1)     init-1     |               |  /* mm_page_alloc: page=00000000e4a08a81 pfn=0x17d98 order=1 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO */\n"
		  "   11.626485 |   1)     init-1     | # 1464.257 us |  }\n"
		  "   11.627711 |   1)     init-1     |               |  /* sched_switch: prev_comm=init prev_pid=1 prev_prio=120 prev_state=R ==> next_comm=init next_pid=295 next_prio=120 */\n"
		  " ------------------------------------------\n"
		  " 1)     init-1     =>     sh-295    \n"
		  " ------------------------------------------\n"
		  "\n"
		  "   11.722152 |   1)     sh-295     |               |  /* VMCAP_WINDOW_BEGIN */\n"
		  "CPU:1 [LOST 3 EVENTS]\n"
		  "   11.800000 |   0)  kworker-7     |   1.5 us      |  }\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FGRAPH_TEXT);
	assert_int_equal(run.n, 9);
	assert_false(run.st.ts_missing);
	assert_int_equal(run.st.bad_lines, 0);

	assert_int_equal(run.ev[0].e.kind, PRS_EV_FUNC_ENTRY);
	assert_string_equal(run.ev[0].e.u.fn.func, "__alloc_pages_noprof");
	assert_int_equal(run.ev[0].e.u.fn.depth, 0);
	assert_int_equal(run.ev[0].e.ts, 11625259000ull);
	assert_int_equal(run.ev[0].e.cpu, 1);
	assert_int_equal(run.ev[0].e.pid, 1);
	assert_string_equal(run.ev[0].comm, "init");
	/* leaf: entry then exit at ts + duration */
	assert_int_equal(run.ev[1].e.kind, PRS_EV_FUNC_ENTRY);
	assert_string_equal(run.ev[1].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[1].e.u.fn.depth, 1);
	assert_int_equal(run.ev[2].e.kind, PRS_EV_FUNC_EXIT);
	assert_string_equal(run.ev[2].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[2].e.u.fn.duration, 165769);
	assert_int_equal(run.ev[2].e.ts, 11625838000ull + 165769);
	assert_int_equal(run.ev[2].e.u.fn.retval, PRS_NO_VALUE);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_PAGE_ALLOC);
	assert_int_equal(run.ev[3].e.u.mm.pfn, 0x17d98);
	/* exit without tail: function from the open entry */
	assert_int_equal(run.ev[4].e.kind, PRS_EV_FUNC_EXIT);
	assert_string_equal(run.ev[4].e.u.fn.func, "__alloc_pages_noprof");
	assert_int_equal(run.ev[4].e.u.fn.duration, 1464257);
	assert_int_equal(run.ev[5].e.kind, PRS_EV_SCHED_SWITCH);
	assert_int_equal(run.ev[5].e.u.sw.next_pid, 295);
	assert_int_equal(run.ev[6].e.kind, PRS_EV_PRINT);
	assert_string_equal(run.ev[6].text, "VMCAP_WINDOW_BEGIN");
	assert_int_equal(run.ev[6].e.pid, 295);
	assert_int_equal(run.ev[7].e.kind, PRS_EV_LOST);
	assert_int_equal(run.ev[7].e.u.lost.count, 3);
	/* exit without any entry: function unknown */
	assert_int_equal(run.ev[8].e.kind, PRS_EV_FUNC_EXIT);
	assert_null(run.ev[8].e.u.fn.func);
	assert_int_equal(run.ev[8].e.u.fn.duration, 1500);
	assert_int_equal(run.ev[8].e.cpu, 0);
}

/* The recorders' markers in function_graph text are comments "/ * allocscope: ... * /", not events. */
static void test_fgraph_allocscope_marker(void **state)
{
	struct run run;

	read_text("   28.050544 |   1)     sh-343     |               |  /* allocscope: begin */\n"
		  "   28.050600 |   1)     sh-343     |               |  /* allocscope: vmstat allocstall_normal 7 */\n"
		  "   28.050700 |   1)     sh-343     |               |  /* mm_page_alloc: page=00000000c6acd0f6 pfn=0x4a60 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE */\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 3);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_PRINT);
	assert_string_equal(run.ev[0].text, "allocscope: begin");
	assert_int_equal(run.ev[1].e.kind, PRS_EV_PRINT);
	assert_string_equal(run.ev[1].text, "allocscope: vmstat allocstall_normal 7");
	assert_int_equal(run.ev[2].e.kind, PRS_EV_PAGE_ALLOC);
}

/* No abstime, no proc: banners name the task; tail and retval forms. */
static void test_fgraph_minimal(void **state)
{
	struct run run;

	read_text(" 0)   hog-306    =>  kswapd0-49  \n"
		  " 0)               |  __alloc_pages_noprof() {\n"
		  " 0)   0.512 us    |    get_page_from_freelist(); /* = 0x0 */\n"
		  " 0)               |    wake_all_kswapds() {\n"
		  " 0) + 12.100 us   |    } /* wake_all_kswapds */\n"
		  " 0) $ 1234567 us  |  } /* __alloc_pages_noprof = 0xffffea0001234500 */\n"
		  " 1)               |  try_to_free_pages() {\n"
		  " 1) * 99.000 us   |  } /* = -12 */\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FGRAPH_TEXT);
	assert_int_equal(run.n, 8);
	assert_true(run.st.ts_missing);
	assert_int_equal(run.ev[0].e.ts, 0);
	assert_int_equal(run.ev[0].e.pid, 49);
	assert_string_equal(run.ev[0].comm, "kswapd0");
	assert_int_equal(run.ev[2].e.kind, PRS_EV_FUNC_EXIT);
	assert_int_equal(run.ev[2].e.ts, 0);
	assert_int_equal(run.ev[2].e.u.fn.retval, 0);
	assert_int_equal(run.ev[2].e.u.fn.duration, 512);
	assert_string_equal(run.ev[4].e.u.fn.func, "wake_all_kswapds");
	assert_int_equal(run.ev[4].e.u.fn.duration, 12100);
	assert_string_equal(run.ev[5].e.u.fn.func, "__alloc_pages_noprof");
	assert_int_equal(run.ev[5].e.u.fn.retval, 0xffffea0001234500ull);
	assert_int_equal(run.ev[5].e.u.fn.duration, 1234567000ull);
	assert_int_equal(run.ev[6].e.cpu, 1);
	assert_int_equal(run.ev[6].e.pid, -1);	/* no banner on CPU 1 yet */
	assert_string_equal(run.ev[7].e.u.fn.func, "try_to_free_pages");
	assert_int_equal((int64_t)run.ev[7].e.u.fn.retval, -12);
}

/*
 * funcgraph-retval as print_graph_retval() prints it since funcgraph-retaddr
 * (6.13+, 6.18, 7.x): exit "} / * NAME ret=0x%lx * /" (with or without
 * funcgraph-tail: the name is always there), "ret=%ld" for an error code,
 * leaf "NAME(); / * ret=0x%lx * /", with funcgraph-retaddr "/ * [CALLER] ret=..",
 * newest "ret=true"/"ret=false" and "(trunc)" (issue 17).
 */
static void test_fgraph_retval_ret_form(void **state)
{
	struct run run;

	read_text("   12.000001 |   0)   hog-306   |               |  __alloc_frozen_pages_noprof() {\n"
		  "   12.000002 |   0)   hog-306   |   0.512 us    |    get_page_from_freelist(); /* ret=0x0 */\n"
		  "   12.000003 |   0)   hog-306   |               |    try_to_free_pages() {\n"
		  "   12.000090 |   0)   hog-306   | + 87.100 us   |    } /* try_to_free_pages ret=0x20 */\n"
		  "   12.000091 |   0)   hog-306   |   1.250 us    |    get_page_from_freelist(); /* [__alloc_pages_slowpath+0x1f3/0xd40] ret=0xffde000000123400 */\n"
		  "   12.000093 |   0)   hog-306   | + 92.000 us   |  } /* __alloc_frozen_pages_noprof ret=0xffde000000123400 */\n"
		  "   12.000100 |   0)   hog-306   |               |  compaction_suitable() {\n"
		  "   12.000101 |   0)   hog-306   |   0.100 us    |    __zone_watermark_ok(); /* ret=false */\n"
		  "   12.000102 |   0)   hog-306   |   2.000 us    |  } /* compaction_suitable ret=-12(trunc) */\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FGRAPH_TEXT);
	assert_int_equal(run.st.bad_lines, 0);
	assert_int_equal(run.st.bad_fields, 0);
	assert_int_equal(run.n, 12);
	assert_int_equal(run.ev[2].e.kind, PRS_EV_FUNC_EXIT);
	assert_string_equal(run.ev[2].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[2].e.u.fn.retval, 0);
	assert_int_equal(run.ev[2].e.u.fn.duration, 512);
	assert_string_equal(run.ev[4].e.u.fn.func, "try_to_free_pages");
	assert_int_equal(run.ev[4].e.u.fn.retval, 0x20);
	assert_int_equal(run.ev[4].e.u.fn.duration, 87100);
	assert_string_equal(run.ev[6].e.u.fn.func, "get_page_from_freelist");
	assert_int_equal(run.ev[6].e.u.fn.retval, 0xffde000000123400ull);
	assert_string_equal(run.ev[7].e.u.fn.func, "__alloc_frozen_pages_noprof");
	assert_int_equal(run.ev[7].e.u.fn.retval, 0xffde000000123400ull);
	assert_int_equal(run.ev[7].e.u.fn.duration, 92000);
	assert_int_equal(run.ev[10].e.u.fn.retval, 0);
	assert_string_equal(run.ev[11].e.u.fn.func, "compaction_suitable");
	assert_int_equal((int64_t)run.ev[11].e.u.fn.retval, -12);

	/* without funcgraph-tail the exit's name is printed all the same: the same events */
	read_text(" 1)               |  __alloc_pages_noprof() {\n"
		  " 1)   0.300 us    |    get_page_from_freelist(); /* ret=0xffffea0000100000 */\n"
		  " 1)   1.000 us    |  } /* __alloc_pages_noprof ret=0xffffea0000100000 */\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 4);
	assert_string_equal(run.ev[3].e.u.fn.func, "__alloc_pages_noprof");
	assert_int_equal(run.ev[3].e.u.fn.retval, 0xffffea0000100000ull);
	assert_int_equal(run.ev[3].e.u.fn.duration, 1000);
}

/* Task names with dots (Android app names) in the task column, and the '@' overhead mark (> 100 ms). */
static void test_dotted_tasks_overhead_at(void **state)
{
	struct run run;

	read_text("   com.android.systemui-298   [002] d..1.  10.000001: mm_page_alloc: page=0 pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		  "   .hidden.-7   [000] .....  10.000002: mm_vmscan_kswapd_sleep: nid=0\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 2);
	assert_string_equal(run.ev[0].comm, "com.android.systemui");
	assert_int_equal(run.ev[0].e.pid, 298);
	assert_int_equal(run.ev[0].e.cpu, 2);
	assert_string_equal(run.ev[1].comm, ".hidden.");
	assert_int_equal(run.ev[1].e.pid, 7);

	read_text("   11.000001 |   1)  com.example.app-1234  |               |  __alloc_pages_noprof() {\n"
		  "   11.000002 |   1)  com.example.app-1234  | @ 123456.789 us |  }\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FGRAPH_TEXT);
	assert_int_equal(run.n, 2);
	assert_string_equal(run.ev[0].comm, "com.example.app");
	assert_int_equal(run.ev[0].e.pid, 1234);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_FUNC_EXIT);
	assert_int_equal(run.ev[1].e.u.fn.duration, 123456789ull);
	assert_string_equal(run.ev[1].e.u.fn.func, "__alloc_pages_noprof");
	assert_int_equal(run.st.bad_lines, 0);
}

/*
 * Every way a kernel prints a failed page: 4.x's vsprintf padded a NULL %p as "page= (null)"
 * (lines from Jaewon Kim's 4.14 Android trace, LKML 2020, with Samsung's extra nr_free= field).
 */
static void test_failed_page_spellings(void **state)
{
	struct run run;

	read_text("  <...>-22275 [006] ....   889.213383: mm_page_alloc: page=00000000d2be5665 pfn=970744 order=0 migratetype=0 nr_free=3650 gfp_flags=GFP_HIGHUSER|__GFP_ZERO\n"
		  "kswapd0-1207  [005] ...1   889.213398: mm_page_alloc: page= (null) pfn=0 order=0 migratetype=1 nr_free=3650 gfp_flags=GFP_NOWAIT|__GFP_HIGHMEM|__GFP_NOWARN|__GFP_MOVABLE\n"
		  "kswapd0-1207  [005] ...1   889.213399: mm_page_alloc: page=(null) pfn=0 order=0 migratetype=1 gfp_flags=GFP_NOWAIT\n"
		  "kswapd0-1207  [005] ...1   889.213400: mm_page_alloc: page=0000000000000000 pfn=0x0 order=2 migratetype=1 gfp_flags=GFP_NOWAIT\n"
		  "kswapd0-1207  [005] ...1   889.213401: mm_page_alloc: page= pfn=0 order=0 migratetype=1 gfp_flags=GFP_NOWAIT\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 5);
	assert_int_equal(run.ev[0].e.u.mm.pfn, 970744);
	assert_int_equal(run.ev[0].e.u.mm.migratetype, 0);
	assert_int_equal(run.ev[1].e.u.mm.pfn, PRS_NO_VALUE);
	assert_int_equal(run.ev[1].e.u.mm.order, 0);
	assert_int_equal(run.ev[1].e.u.mm.migratetype, 1);
	assert_string_equal(run.ev[1].e.u.mm.gfp_str, "GFP_NOWAIT|__GFP_HIGHMEM|__GFP_NOWARN|__GFP_MOVABLE");
	assert_int_equal(run.ev[2].e.u.mm.pfn, PRS_NO_VALUE);
	assert_int_equal(run.ev[3].e.u.mm.pfn, PRS_NO_VALUE);
	assert_int_equal(run.ev[3].e.u.mm.order, 2);
	/* an empty value that is not "(null)" is not a failure */
	assert_int_equal(run.ev[4].e.u.mm.pfn, 0);
	assert_int_equal(run.st.bad_fields, 0);
	assert_int_equal(run.ev[0].e.u.mm.page, 1);
	assert_int_equal(run.ev[1].e.u.mm.page, 0);
	assert_int_equal(run.ev[2].e.u.mm.page, 0);
	assert_int_equal(run.ev[3].e.u.mm.page, 0);
	assert_int_equal(run.ev[4].e.u.mm.page, 1);
}

/*
 * Lines a kernel engineer leaves in a pasted excerpt where lines were cut out ("...", twice in a
 * row in Minchan Kim's 4.7 trace, LKML 2016; "  (...)" in KOSAKI Motohiro's 2.6.35 one, 2010):
 * counted as elided, not undecodable; a line of other text still is.
 */
static void test_elided_lines(void **state)
{
	struct run run;

	read_text("<...>-4719  [005] ....    57.341146: mm_vmscan_direct_reclaim_begin: order=0 may_writepage=1 gfp_flags=GFP_KERNEL classzone_idx=1\n"
		  "...\n"
		  "  (...)\n"
		  "[...]\n"
		  "\t<snip>\n"
		  "--- snip ---\n"
		  "\xe2\x80\xa6\n"
		  "so it goes...\n"
		  "<...>-4719  [001] ....   331.580535: mm_vmscan_direct_reclaim_end: nr_reclaimed=113\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.st.elided_lines, 6);
	assert_int_equal(run.st.bad_lines, 1);
	assert_true(txt_is_elision("....", 4));
	assert_false(txt_is_elision("..", 2));
	assert_false(txt_is_elision("a ... b", 7));
	assert_false(txt_is_elision("", 0));
	(void)state;
}

/*
 * An excerpt a mailer wrapped (Joonsoo Kim's 4.7 compaction trace, linux-mm 2016): after "TS:",
 * after "name:", and inside the fields; joined, each event is whole, nothing undecodable.
 */
static void test_wrapped_lines(void **state)
{
	struct run run;

	read_text("              sh-14869 [000] ....  6850.456639:\n"
		  "mm_compaction_try_to_compact_pages: order=2 gfp_mask=0x27000c0 mode=1\n"
		  "              sh-14869 [000] ....  6850.456641: mm_compaction_begin:\n"
		  "zone_start=0x100000 migrate_pfn=0x100000 free_pfn=0x27fe00\n"
		  "zone_end=0x280000, mode=sync\n"
		  "              sh-14869 [000] ....  6850.456648:\n"
		  "mm_compaction_isolate_migratepages: range=(0x100000 ~ 0x10002d)\n"
		  "nr_scanned=45 nr_taken=32\n"
		  "\n"
		  "And, although log is snipped, compaction fails.\n"
		  "              sh-14869 [000] ....  6850.456842: mm_compaction_end: zone_start=0x100000 migrate_pfn=0x100000 free_pfn=0x27fe00 zone_end=0x280000, mode=sync status=complete\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 4);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_TRY_COMPACT);
	assert_int_equal(run.ev[0].e.u.mm.order, 2);
	assert_int_equal(run.ev[0].e.ts, 6850456639000ull);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_COMPACT_BEGIN);
	assert_int_equal(run.ev[1].e.u.compact.sync, 1);	/* "mode=sync" came on the third line */
	assert_int_equal(run.ev[2].e.kind, PRS_EV_COMPACT_PROGRESS);	/* isolate_migratepages */
	assert_int_equal(run.ev[2].e.ts, 6850456648000ull);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_COMPACT_END);
	assert_int_equal(run.st.wrapped_lines, 5);
	assert_int_equal(run.st.bad_lines, 1);	/* the prose */
	assert_int_equal(run.st.events, 4);
	(void)state;
}

/* A tracepoint comment in function_graph text that a mailer wrapped over three lines: joined */
static void test_fgraph_wrapped_comment(void **state)
{
	struct run run;

	read_text("  24) @ 184015.2 us |  }\n"
		  "  24)               |  /* mm_page_alloc: page=0000000000000000 pfn=0 \n"
		  "order=9 migratetype=1 \n"
		  "gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE */\n"
		  "  24)   0.123 us    |      rcu_all_qs();\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.fmt, PRS_FMT_FGRAPH_TEXT);
	assert_int_equal(run.st.wrapped_lines, 2);
	assert_int_equal(run.st.bad_lines, 0);
	for (int i = 0; i < run.n; i++) {
		if (run.ev[i].e.kind != PRS_EV_PAGE_ALLOC)
			continue;
		assert_int_equal(run.ev[i].e.u.mm.order, 9);
		assert_int_equal(run.ev[i].e.u.mm.page, 0);
		assert_string_equal(run.ev[i].e.u.mm.gfp_str,
				    "GFP_HIGHUSER_MOVABLE|__GFP_NOWARN|__GFP_COMP|__GFP_THISNODE");
		(void)state;
		return;
	}
	fail_msg("no mm_page_alloc");
}

/* ftrace's stacktrace option: "<stack trace>" and " => frame" lines are output, not undecodable */
static void test_stack_trace_lines(void **state)
{
	struct run run;

	read_text("         netperf-3887  [032] ....   393.246420: mm_page_alloc: page=ffffea0021272200 pfn=8690824 order=3 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_REPEAT|__GFP_COMP|__GFP_NOMEMALLOC|__GFP_NOTRACK\n"
		  "         netperf-3887  [032] ....   393.246421: <stack trace>\n"
		  " => kmalloc_large_node+0x60/0x8d <ffffffff812101c3>\n"
		  " => __kmalloc_node_track_caller+0x245/0x280 <ffffffff811f0415>\n"
		  "=> __alloc_skb (ffffffff81676bce)\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 1);
	assert_int_equal(run.st.bad_lines, 0);
	assert_int_equal(run.st.skipped_lines, 4);
	(void)state;
}

/* trace-cmd report's function tracer column, padded and indented by depth (Rabin Vincent's 4.2 trace) */
static void test_function_call_padded(void **state)
{
	struct run run;

	read_text("       mkfs.ext4-664   [000]     4.773566: function:                try_to_free_pages <-- __alloc_pages_nodemask\n"
		  "       mkfs.ext4-664   [000]     4.776192: function:             out_of_memory <-- __alloc_pages_nodemask\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 2);
	assert_string_equal(run.ev[1].e.u.fn.func, "out_of_memory");
	assert_string_equal(run.ev[1].e.u.fn.caller, "__alloc_pages_nodemask");
	assert_string_equal(run.ev[0].e.u.fn.func, "try_to_free_pages");
	assert_int_equal(run.st.bad_fields, 0);
	(void)state;
}

/* Lines quoted in a mail reply ("> ", "> > ", ">> "): read without the marks, the comm clean */
static void test_quoted_lines(void **state)
{
	struct run run;

	read_text("> stress-33431   [001] ..... 13223.617311: reclaim_retry_zone: node=0 zone=Normal   order=0 reclaimable=4260 available=1772019 min_wmark=5962 no_progress_loops=1 wmark_check=1\n"
		  ">> kswapd0-33    (   33) [001] ...1 12838.491407: mm_vmscan_kswapd_wake: nid=0 order=0\n"
		  "> > kswapd0-33    (   33) [001] ...1 12840.545737: mm_vmscan_kswapd_sleep: nid=0\n"
		  "> \n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 3);
	assert_string_equal(run.ev[0].comm, "stress");
	assert_string_equal(run.ev[1].comm, "kswapd0");
	assert_string_equal(run.ev[2].comm, "kswapd0");
	assert_int_equal(run.ev[2].e.tgid, 33);
	assert_int_equal(run.st.quoted_lines, 4);
	assert_int_equal(run.st.bad_lines, 0);
	(void)state;
}

/*
 * A page field without a pfn (2.6.x printed "page=%p pfn=%lu", vendors drop fields): the page
 * decides; neither field: the event does not say, which is no failure; pfn -1 printed raw is one.
 */
static void test_page_without_pfn(void **state)
{
	struct run run;

	read_text("  app-10 [001] ....   10.000001: mm_page_alloc: page=ffffea0000f0d4c0 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		  "  app-10 [001] ....   10.000002: mm_page_alloc: order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		  "  app-10 [001] ....   10.000003: mm_page_alloc: pfn=-1 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		  "  app-10 [001] ....   10.000004: mm_page_alloc: pfn=0x1234 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
		  "  app-10 [001] ....   10.000005: mm_page_alloc: page=(nil) order=0 migratetype=0 gfp_flags=GFP_KERNEL\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 5);
	assert_int_equal(run.ev[0].e.u.mm.page, 1);
	assert_int_equal(run.ev[0].e.u.mm.pfn, PRS_NO_VALUE);
	assert_int_equal(run.ev[1].e.u.mm.page, -1);
	assert_int_equal(run.ev[2].e.u.mm.page, 0);
	assert_int_equal(run.ev[3].e.u.mm.page, 1);
	assert_int_equal(run.ev[3].e.u.mm.pfn, 0x1234);
	assert_int_equal(run.ev[4].e.u.mm.page, 0);
	assert_int_equal(run.st.bad_fields, 0);
	(void)state;
}

/*
 * The events that say where a stall's time went, as published: reclaim_retry_zone (Zhongkun He, LKML 2024),
 * mm_shrink_slab_start/end inside a reclaim (Michal Hocko, linux-mm 2017), and the formats of compact_retry
 * and mm_vmscan_throttled (whose print format spells its field "usect_delayed").
 */
static void test_stall_detail_events(void **state)
{
	struct run run;

	read_text("stress-33431   [001] ..... 13223.622580: reclaim_retry_zone: node=0 zone=Normal   order=0 reclaimable=4260 available=1772019 min_wmark=5962 no_progress_loops=16 wmark_check=1\n"
		  "            chrome-2798  [000] .N.1  6099.188540: mm_shrink_slab_start: super_cache_scan+0x0/0x1b0 ffff8eefa4651830: nid: 0 objects to shrink 5895 gfp_flags GFP_TEMPORARY|__GFP_HIGHMEM pgs_scanned 90 lru_pgs 6992959 cache items 5049 delta 0 total_scan 2524\n"
		  "            chrome-2798  [000] ...1  6109.494205: mm_shrink_slab_end: super_cache_scan+0x0/0x1b0 ffff8eefa4651830: nid: 0 unused scan count 5895 new scan count 941785 total_scan 476 last shrinker return val 1959\n"
		  "             hog-316   [001] ..... 13224.000001: compact_retry: order=9 priority=COMPACT_PRIO_SYNC_LIGHT compaction_result=withdrawn retries=0 max_retries=16 should_retry=1\n"
		  "             hog-316   [001] ..... 13224.000002: mm_vmscan_throttled: nid=0 usec_timeout=100000 usect_delayed=104000 reason=VMSCAN_THROTTLE_WRITEBACK\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 5);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_RECLAIM_RETRY);
	assert_int_equal(run.ev[0].e.u.retry.nid, 0);
	assert_int_equal(run.ev[0].e.u.retry.order, 0);
	assert_int_equal(run.ev[0].e.u.retry.loops, 16);
	assert_int_equal(run.ev[0].e.u.retry.max, -1);
	assert_int_equal(run.ev[0].e.u.retry.verdict, 1);
	assert_int_equal(run.ev[1].e.kind, PRS_EV_SHRINK_SLAB_BEGIN);
	assert_string_equal(run.ev[1].comm, "chrome");
	assert_int_equal(run.ev[2].e.kind, PRS_EV_SHRINK_SLAB_END);
	assert_int_equal(run.ev[2].e.ts - run.ev[1].e.ts, 10305665000ull);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_COMPACT_RETRY);
	assert_int_equal(run.ev[3].e.u.retry.order, 9);
	assert_int_equal(run.ev[3].e.u.retry.loops, 0);
	assert_int_equal(run.ev[3].e.u.retry.max, 16);
	assert_int_equal(run.ev[3].e.u.retry.verdict, 1);
	assert_int_equal(run.ev[4].e.kind, PRS_EV_THROTTLED);
	assert_int_equal(run.ev[4].e.u.throttle.usec_timeout, 100000);
	assert_int_equal(run.ev[4].e.u.throttle.usec_delayed, 104000);
	assert_int_equal(run.st.bad_fields, 0);
	assert_int_equal(run.st.bad_lines, 0);
}

/* The function tracer's lines carry no event name: tracefs "func <-caller", trace-cmd report "function: func <-- caller". */
static void test_function_tracer_lines(void **state)
{
	struct run run;

	read_text("          stress-33431 [001] .... 13223.622600: out_of_memory <-__alloc_pages_nodemask\n"
		  "          stress-33431 [001] .... 13223.622601: mark_victim: pid=33431\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_FUNC_CALL);
	assert_string_equal(run.ev[0].e.u.fn.func, "out_of_memory");
	assert_string_equal(run.ev[0].e.u.fn.caller, "__alloc_pages_nodemask");
	assert_int_equal(run.ev[0].e.pid, 33431);
	assert_int_equal(run.st.bad_lines, 0);

	read_text("cpus=2\n"
		  "          stress-33431 [001] 13223.622600: function:             out_of_memory <-- __alloc_pages_nodemask\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 1);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_FUNC_CALL);
	assert_string_equal(run.ev[0].e.u.fn.func, "out_of_memory");
	assert_string_equal(run.ev[0].e.u.fn.caller, "__alloc_pages_nodemask");
}

/* ---- input layer: zstd, long lines, NUL, garbage ------------------------- */

static void test_zstd_input(void **state)
{
	const char *a = "            init-1       [001] .....    10.128869: mm_page_alloc: page=0 pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n";
	const char *b = "            init-1       [001] .....    10.128870: mm_vmscan_direct_reclaim_end: nr_reclaimed=7";
	/* two frames, with a skippable frame between: one stream */
	unsigned char out[4096], skip[12] = { 0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4 };
	size_t n1, n2;
	struct run run;
	char *path;

	n1 = ZSTD_compress(out, sizeof(out), a, strlen(a), 3);
	assert_false(ZSTD_isError(n1));
	memcpy(out + n1, skip, sizeof(skip));
	n2 = ZSTD_compress(out + n1 + sizeof(skip), sizeof(out) - n1 - sizeof(skip), b, strlen(b), 3);
	assert_false(ZSTD_isError(n2));
	path = write_file("t.txt.zst", out, n1 + sizeof(skip) + n2);
	read_path(path, 0, &run);
	/* the last line has no '\n': read, then the file is reported cut short */
	assert_int_equal(run.ret, -PRS_ECUT);
	assert_true(run.compressed);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.ev[1].e.u.reclaim.nr_reclaimed, 7);

	/* truncated: cut the last frame short */
	path = write_file("trunc.zst", out, n1 + sizeof(skip) + n2 - 5);
	read_path(path, 0, &run);
	assert_int_equal(run.ret, -PRS_ECUT);
	assert_non_null(strstr(run.err, "offset"));
	assert_int_equal(run.n, 1);

	/* corrupt: flip bytes in the middle of the first frame */
	out[n1 / 2] ^= 0xff;
	out[n1 / 2 + 1] ^= 0xff;
	path = write_file("bad.zst", out, n1);
	read_path(path, 0, &run);
	assert_true(run.ret == -PRS_EZSTD || run.ret == -PRS_ETRUNCATED || run.ret == -PRS_ECUT);
	assert_non_null(strstr(run.err, "offset"));
}

static void test_overlong_line(void **state)
{
	const char *ev = "            init-1       [001] .....    10.128869: mm_vmscan_kswapd_sleep: nid=0\n";
	size_t big = (1u << 20) + 100, len = strlen(ev);
	char *buf = malloc(len + big + 1);
	struct run run;

	memcpy(buf, ev, len);
	memset(buf + len, 'x', big);
	buf[len + big] = '\n';
	read_path(write_file("long.txt", buf, len + big + 1), 0, &run);
	free(buf);
	assert_int_equal(run.ret, -PRS_ETOOLONG);
	assert_int_equal(run.n, 1);
	assert_non_null(strstr(run.err, "line 2"));
}

static void test_nul_bytes(void **state)
{
	static const char text[] =
		"            init-1       [001] .....    10.128869: mm_vmscan_kswapd_sleep: nid=0\n"
		"            in\0t-1       [001] .....    10.128870: mm_vmscan_kswapd_sleep: nid=0\n"
		"            init-1       [001] .....    10.128871: mm_vmscan_kswapd_sleep: nid=1\n";
	struct run run;

	/* NUL never occurs in text traces: corrupt file, an error naming the line */
	read_path(write_file("nul.txt", text, sizeof(text) - 1), 0, &run);
	assert_int_equal(run.ret, -PRS_ECORRUPT);
	assert_int_equal(run.n, 1);
}

/* The byte-at-a-time definitions the fast paths must agree with. */
static bool ref_ts(const char *s, const char *e, uint64_t *out)
{
	uint64_t sec = 0, frac = 0;
	int n = 0;

	if (s >= e || *s < '0' || *s > '9')
		return false;
	while (s < e && *s >= '0' && *s <= '9')
		sec = sec * 10 + (uint64_t)(*s++ - '0');
	if (s == e) {
		*out = sec;
		return true;
	}
	if (*s++ != '.' || s == e)
		return false;
	for (; s < e; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (n < 9) {
			frac = frac * 10 + (uint64_t)(*s - '0');
			n++;
		}
	}
	while (n++ < 9)
		frac *= 10;
	*out = sec * 1000000000ull + frac;
	return true;
}

static void test_parse_ts_num(void **state)
{
	/* a "line" around the timestamp: the µs path reads 8 bytes ending at its end */
	static const char junk[] = "0123456789.:/ aZ\x7f";
	char line[64];
	unsigned int seed = 1;

	for (int iter = 0; iter < 200000; iter++) {
		int nsec = 1 + (int)(rand_r(&seed) % 6), nfrac = (int)(rand_r(&seed) % 12), len = 0;
		uint64_t got = 0, want = 0;
		bool ok_got, ok_want;

		for (int i = 0; i < nsec; i++)
			line[len++] = (char)('0' + rand_r(&seed) % 10);
		if (nfrac > 0 || rand_r(&seed) % 2)
			line[len++] = '.';
		for (int i = 0; i < nfrac; i++)
			line[len++] = (char)('0' + rand_r(&seed) % 10);
		/* now and then one byte that is not a digit, anywhere */
		if (rand_r(&seed) % 4 == 0)
			line[rand_r(&seed) % (unsigned int)len] = junk[rand_r(&seed) % (sizeof(junk) - 1)];
		memcpy(line + len, ": x", 4);
		ok_got = txt_parse_ts(line, line + len, &got);
		ok_want = ref_ts(line, line + len, &want);
		assert_int_equal(ok_got, ok_want);
		if (ok_want)
			assert_int_equal(got, want);
	}

	uint64_t v;

	assert_true(txt_parse_ts("10.129038", "10.129038" + 9, &v));
	assert_int_equal(v, 10129038000ull);
	assert_true(txt_parse_ts("1.123456789999", "1.123456789999" + 14, &v));
	assert_int_equal(v, 1123456789ull);
	assert_true(txt_parse_ts("123456789", "123456789" + 9, &v));	/* counter clocks */
	assert_int_equal(v, 123456789ull);
	assert_false(txt_parse_ts("10.", "10." + 3, &v));
	assert_false(txt_parse_ts("10.12a456", "10.12a456" + 9, &v));

	assert_true(txt_parse_num("0xffce17ce8019b180", "0xffce17ce8019b180" + 18, &v));
	assert_int_equal(v, 0xffce17ce8019b180ull);
	assert_true(txt_parse_num("0xABCdef", "0xABCdef" + 8, &v));
	assert_int_equal(v, 0xabcdefull);
	assert_false(txt_parse_num("0x12g4", "0x12g4" + 6, &v));
	assert_false(txt_parse_num("0x1ffce17ce8019b180", "0x1ffce17ce8019b180" + 19, &v));
	assert_true(txt_parse_num("-12", "-12" + 3, &v));
	assert_int_equal((int64_t)v, -12);
	assert_true(txt_parse_hex("00000000436048c5", "00000000436048c5" + 16, &v));
	assert_int_equal(v, 0x436048c5ull);
	assert_false(txt_parse_hex("436048c5 ", "436048c5 " + 9, &v));
}

/* Reference for the 8-at-a-time hex parser: one digit at a time. */
static bool ref_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return n > 0 && n <= 16;
}

/* Every length 1..16, every byte value at every position, both cases. */
static void test_parse_hex_swar(void **state)
{
	static const char digits[] = "0123456789abcdefABCDEF";
	char buf[24];
	uint64_t v, want;

	for (size_t n = 1; n <= 16; n++) {
		for (size_t i = 0; i < n; i++)
			buf[i] = digits[(i * 7 + n) % 22];
		assert_true(ref_hex(buf, n, &want));
		assert_true(txt_parse_hex(buf, buf + n, &v));
		assert_int_equal(v, want);
		for (size_t pos = 0; pos < n; pos++) {
			char keep = buf[pos];

			for (int c = 0; c < 256; c++) {
				bool ok_ref, ok;

				buf[pos] = (char)c;
				ok_ref = ref_hex(buf, n, &want);
				ok = txt_parse_hex(buf, buf + n, &v);
				assert_int_equal(ok, ok_ref);
				if (ok)
					assert_int_equal(v, want);
			}
			buf[pos] = keep;
		}
	}
}

/* Column padding skipped 8 bytes at a time: every run length, both ends, any alignment. */
static void test_skip_spaces(void **state)
{
	char buf[64];

	for (int lead = 0; lead < 8; lead++)
		for (int run = 0; run <= 40; run++)
			for (int tail = 0; tail < 3; tail++) {
				char *p = buf + lead, *end = p + run + tail;

				memset(buf, 'x', sizeof(buf));
				memset(p, ' ', (size_t)run);
				assert_ptr_equal(skip_spaces(p, end), tail ? p + run : end);
				/* and backwards: x...x then the run */
				memset(buf, 'x', sizeof(buf));
				memset(end - run, ' ', (size_t)run);
				assert_ptr_equal(rskip_spaces(p, end), run == end - p ? p : end - run);
			}
}

/*
 * NUL bytes are looked for once per read chunk (256 KiB): one far into
 * the file, past the first chunks and across a chunk's end, is found on
 * its own line, plain and compressed.
 */
static void test_nul_far(void **state)
{
	static const char line[] =
		"            init-1       [001] .....    10.128869: mm_vmscan_kswapd_sleep: nid=0\n";
	size_t ll = sizeof(line) - 1, nlines = 9000, bad = 7777, size = ll * nlines;
	char *text = malloc(size), *z, *path;
	size_t zn;
	struct run run;

	assert_non_null(text);
	for (size_t i = 0; i < nlines; i++)
		memcpy(text + i * ll, line, ll);
	text[bad * ll + 20] = '\0';	/* line bad + 1, about 670 KB in */
	path = write_file("nulfar.txt", text, size);
	read_path(path, 0, &run);
	assert_int_equal(run.ret, -PRS_ECORRUPT);
	assert_non_null(strstr(run.err, "line 7778"));

	z = malloc(ZSTD_compressBound(size));
	assert_non_null(z);
	zn = ZSTD_compress(z, ZSTD_compressBound(size), text, size, 3);
	assert_false(ZSTD_isError(zn));
	path = write_file("nulfar.txt.zst", z, zn);
	read_path(path, 0, &run);
	assert_int_equal(run.ret, -PRS_ECORRUPT);
	assert_non_null(strstr(run.err, "line 7778"));

	/* and without it, every line is an event */
	text[bad * ll + 20] = line[20];
	zn = ZSTD_compress(z, ZSTD_compressBound(size), text, size, 3);
	path = write_file("clean.txt.zst", z, zn);
	read_path(path, 0, &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, nlines);
	free(z);
	free(text);
}

/*
 * trace-cmd report prints function_graph records as funcgraph_entry/exit
 * events: "-N" raw ("--> f (d)", "<-- f (d) (start: HEX  end: HEX)") and
 * its plugin's graph body; an instance's lines carry its name first.
 */
static void test_report_funcgraph(void **state)
{
	struct run run;

	read_text("cpus=2\n"
		  "              sh-308   [000]    87.277006052: funcgraph_entry:      --> __alloc_pages_noprof (0)\n"
		  "              sh-308   [000]    87.277280729: funcgraph_entry:      --> get_page_from_freelist (1)\n"
		  "              sh-308   [000]    87.277476970: funcgraph_exit:       <-- get_page_from_freelist (1) (start: 1452219a4a  end: 145223803f) over: 1\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 3);
	assert_int_equal(run.ev[0].e.kind, PRS_EV_FUNC_ENTRY);
	assert_string_equal(run.ev[0].func, "__alloc_pages_noprof");
	assert_int_equal(run.ev[1].e.u.fn.depth, 1);
	assert_int_equal(run.ev[2].e.kind, PRS_EV_FUNC_EXIT);
	assert_string_equal(run.ev[2].func, "get_page_from_freelist");
	assert_int_equal(run.ev[2].e.u.fn.duration, 0x145223803full - 0x1452219a4aull);

	read_text("cpus=2\n"
		  "allocscope:               sh-308   [000]    87.277006052: funcgraph_entry:                   |  __alloc_pages_noprof() {\n"
		  "allocscope:               sh-308   [000]    87.277280729: funcgraph_entry:      ! 124.405 us |    get_page_from_freelist();\n"
		  "allocscope:               sh-308   [000]    87.277538622: mm_page_alloc:        page=0x363c pfn=0x363c order=1 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO\n"
		  "allocscope:               sh-308   [000]    87.277646963: funcgraph_exit:       ! 755.651 us |  }\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 5);
	assert_int_equal(run.ev[0].e.pid, 308);
	assert_string_equal(run.ev[0].comm, "sh");
	assert_int_equal(run.ev[1].e.kind, PRS_EV_FUNC_ENTRY);
	assert_int_equal(run.ev[2].e.kind, PRS_EV_FUNC_EXIT);	/* the leaf's exit */
	assert_string_equal(run.ev[2].func, "get_page_from_freelist");
	assert_int_equal(run.ev[2].e.u.fn.duration, 124405);
	assert_int_equal(run.ev[2].e.ts, 87277280729ull + 124405);
	assert_int_equal(run.ev[3].e.kind, PRS_EV_PAGE_ALLOC);
	assert_int_equal(run.ev[4].e.kind, PRS_EV_FUNC_EXIT);
	assert_string_equal(run.ev[4].func, "__alloc_pages_noprof");	/* from the depth stack */
	assert_int_equal(run.ev[4].e.u.fn.duration, 755651);
	assert_int_equal(run.st.bad_lines, 0);
	assert_int_equal(run.st.bad_fields, 0);
}

static void test_bad_lines(void **state)
{
	struct run run;

	read_text("            init-1       [001] .....    10.128869: mm_vmscan_kswapd_sleep: nid=0\n"
		  "this is not an event\n"
		  "            init-1       [001] .....    10.128871: mm_vmscan_direct_reclaim_end: nr_reclaimed=zz\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.st.bad_lines, 1);
	assert_int_equal(run.st.bad_fields, 1);
}

/*
 * Timestamp order is a property of each CPU: trace_pipe read live may hand
 * out a CPU's event before an older one of another CPU (ts_unordered), but
 * one CPU going backwards is an anomaly (ts_backwards).  A lost-events
 * marker carries the reader's time and is not checked.
 */
static void test_ts_order_per_cpu(void **state)
{
	struct run run;

	read_text("   a-1  [000] .....  10.000010: mm_vmscan_kswapd_sleep: nid=0\n"
		  "   b-2  [001] .....  10.000005: mm_vmscan_kswapd_sleep: nid=0\n"	/* older than CPU 0's: interleaved */
		  "   b-2  [001] .....  10.000003: mm_vmscan_kswapd_sleep: nid=0\n"	/* CPU 1 back 2 us */
		  "   a-1  [000] .....  10.000020: mm_vmscan_kswapd_sleep: nid=0\n"
		  "   a-1  [000] .....  10.000001: mm_vmscan_kswapd_sleep: nid=0\n"	/* CPU 0 back 19 us */
		  "CPU:1 [LOST 3 EVENTS]\n"						/* placed at 10.000020 */
		  "   b-2  [001] .....  10.000006: mm_vmscan_kswapd_sleep: nid=0\n"	/* CPU 1 forward: interleaved */
		  "   b-2  [001] .....  10.000007: mm_vmscan_kswapd_sleep: nid=0\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 8);
	assert_int_equal(run.st.ts_backwards, 2);
	assert_int_equal(run.st.ts_backwards_cpus, 2);
	assert_int_equal(run.st.ts_backwards_cpu, 1);
	assert_int_equal(run.st.ts_backwards_at, 10000003000ull);
	assert_int_equal(run.st.ts_backwards_max, 19000);
	assert_int_equal(run.st.ts_unordered, 3);
	/* the window is the earliest and the latest event */
	assert_int_equal(run.st.first_ts, 10000001000ull);
	assert_int_equal(run.st.last_ts, 10000020000ull);

	/* in time order on each CPU and overall: nothing counted */
	read_text("   a-1  [000] .....  10.000001: mm_vmscan_kswapd_sleep: nid=0\n"
		  "   b-2  [001] .....  10.000001: mm_vmscan_kswapd_sleep: nid=0\n"
		  "CPU:0 [LOST EVENTS]\n"
		  "   a-1  [000] .....  10.000002: mm_vmscan_kswapd_sleep: nid=0\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.st.ts_backwards, 0);
	assert_int_equal(run.st.ts_backwards_cpus, 0);
	assert_int_equal(run.st.ts_unordered, 0);

	/* no CPU column (function_graph without funcgraph-cpu): checked among themselves */
	read_text("   11.000002 |  init-1  |               |  __alloc_pages_noprof() {\n"
		  "   11.000001 |  init-1  | # 1464.257 us |  }\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.st.ts_backwards, 1);
	assert_int_equal(run.st.ts_backwards_cpu, -1);
}

/* A CPU number beyond any machine's is a damaged line, never an index. */
static void test_cpu_out_of_range(void **state)
{
	struct run run;

	read_text("   a-1  [000] .....  10.000001: mm_vmscan_kswapd_sleep: nid=0\n"
		  "   a-1  [4096] .....  10.000002: mm_vmscan_kswapd_sleep: nid=0\n"
		  "   a-1  [99999999999] .....  10.000003: mm_vmscan_kswapd_sleep: nid=0\n"
		  "   a-1  [4095] .....  10.000004: mm_vmscan_kswapd_sleep: nid=0\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 2);
	assert_int_equal(run.st.bad_lines, 2);
	assert_int_equal(run.st.nr_cpus, 4096);
	assert_int_equal(run.ev[1].e.cpu, 4095);

	read_text("   11.000001 |   0)  init-1  |               |  __alloc_pages_noprof() {\n"
		  "   11.000002 | 4096)  init-1  |   0.512 us    |    get_page_from_freelist();\n"
		  "   11.000003 |   0)  init-1  | # 1464.257 us |  }\n",
		  &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.st.bad_lines, 1);
	assert_int_equal(run.st.nr_cpus, 1);

	/* trace-cmd report's "cpus=N" header: believed only within the limit */
	read_text("cpus=99999999999\n"
		  "   a-1  [001]    10.000001: mm_vmscan_kswapd_sleep: nid=0\n", &run);
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.st.nr_cpus, 2);
	read_text("cpus=-4\n"
		  "   a-1  [001]    10.000001: mm_vmscan_kswapd_sleep: nid=0\n", &run);
	assert_int_equal(run.st.nr_cpus, 2);
	read_text("cpus=8\n"
		  "   a-1  [001]    10.000001: mm_vmscan_kswapd_sleep: nid=0\n", &run);
	assert_int_equal(run.st.nr_cpus, 8);
}

static void test_not_a_trace(void **state)
{
	unsigned char junk[64 * 1024];
	struct run run;
	char text[300 * 8 + 1];

	srand(1);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	junk[0] = 0x01;	/* not a zstd or trace.dat magic */
	read_path(write_file("junk.bin", junk, sizeof(junk)), 0, &run);
	assert_int_equal(run.ret, -PRS_EFORMAT);

	for (int i = 0; i < 300; i++)
		memcpy(text + i * 8, "hello!!\n", 8);
	text[300 * 8] = '\0';
	read_text(text, &run);
	assert_int_equal(run.ret, -PRS_EFORMAT);
	assert_non_null(strstr(run.err, "line 200"));

	/* one endless binary "line" */
	memset(junk, 'A', sizeof(junk));
	{
		size_t big = (1u << 20) + 10;
		char *b = malloc(big);

		memset(b, 0x7f, big);
		read_path(write_file("bin.bin", b, big), 0, &run);
		free(b);
	}
	assert_int_equal(run.ret, -PRS_EFORMAT);

	read_text("# tracer: nop\n#\n", &run);	/* headers only: valid and empty */
	assert_int_equal(run.ret, 0);
	assert_int_equal(run.n, 0);
}

/* ---- real captures ------------------------------------------------------------- */

/* Independent count: lines of the decompressed file matching an ERE. */
static long grep_count(const char *zst, const char *re)
{
	char cmd[1024];
	long n = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "zstd -dc '%s' | grep -cE '%s'", zst, re);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (fscanf(p, "%ld", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

static const char *data_path(const char *name)
{
	static char path[512];
	const char *dir = getenv("TEST_DATA");
	/* tests/run.sh runs the unit tests from tests/ */
	static const char *const dirs[] = { "data", "tests/data" };

	if (dir) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		return access(path, R_OK) == 0 ? path : NULL;
	}
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], name);
		if (access(path, R_OK) == 0)
			return path;
	}
	return NULL;
}

static void check_real(const char *name, const char *const (*checks)[2], size_t nr,
		       enum prs_format fmt)
{
	const char *path = data_path(name);
	struct prs_reader *r;
	struct prs_event e;
	uint64_t counts[PRS_EV__COUNT] = { 0 };
	int ret;

	if (!path || system("command -v zstd >/dev/null") != 0) {
		skip();
		return;
	}
	assert_int_equal(prs_open(path, 0, &r), 0);
	assert_int_equal(prs_format(r), fmt);
	assert_true(prs_compressed(r));
	while ((ret = prs_next(r, &e)) > 0)
		counts[e.kind]++;
	assert_int_equal(ret, 0);
	assert_int_equal(prs_stats(r)->bad_lines, 0);
	assert_int_equal(prs_stats(r)->bad_fields, 0);
	for (size_t i = 0; i < nr; i++) {
		enum prs_kind k = PRS_EV_OTHER;

		for (int j = 0; j < PRS_EV__COUNT; j++)
			if (strcmp(prs_kind_name(j), checks[i][0]) == 0)
				k = j;
		assert_int_equal(counts[k], grep_count(path, checks[i][1]));
	}
	prs_close(r);
}

static void test_real_kprobe(void **state)
{
	static const char *const checks[][2] = {
		{ "kprobe",		": alloc_entry: \\(" },
		{ "kretprobe",		": (alloc_ret|gpfl_ret): \\(.* <- " },
		{ "mm_page_alloc",	": mm_page_alloc: " },
		{ "sched_switch",	": sched_switch: " },
		{ "print",		": tracing_mark_write: " },
		{ "mm_vmscan_direct_reclaim_begin", ": mm_vmscan_direct_reclaim_begin: " },
		{ "mm_vmscan_direct_reclaim_end", ": mm_vmscan_direct_reclaim_end: " },
		{ "mm_vmscan_kswapd_wake", ": mm_vmscan_kswapd_wake: " },
		{ "mm_vmscan_wakeup_kswapd", ": mm_vmscan_wakeup_kswapd: " },
	};

	check_real("6.12-anon-kprobe.txt.zst", checks, sizeof(checks) / sizeof(checks[0]),
		   PRS_FMT_FTRACE_TEXT);
}

static void test_real_fgraph(void **state)
{
	/* a leaf line is an entry and an exit */
	static const char *const checks[][2] = {
		{ "mm_page_alloc",	"/\\* mm_page_alloc: " },
		{ "sched_switch",	"/\\* sched_switch: " },
		{ "print",		"\\|  /\\* VMCAP_" },
		{ "mm_vmscan_direct_reclaim_begin", "/\\* mm_vmscan_direct_reclaim_begin: " },
		{ "mm_vmscan_kswapd_sleep", "/\\* mm_vmscan_kswapd_sleep: " },
	};
	const char *path = data_path("6.12-anon-fgraph.txt.zst");
	struct prs_reader *r;
	struct prs_event e;
	uint64_t entries = 0, exits = 0;

	check_real("6.12-anon-fgraph.txt.zst", checks, sizeof(checks) / sizeof(checks[0]),
		   PRS_FMT_FGRAPH_TEXT);
	if (!path)
		return;
	assert_int_equal(prs_open(path, 0, &r), 0);
	while (prs_next(r, &e) > 0) {
		if (e.kind == PRS_EV_FUNC_ENTRY)
			entries++;
		else if (e.kind == PRS_EV_FUNC_EXIT) {
			exits++;
			assert_non_null(e.u.fn.func);
		}
	}
	assert_int_equal(entries, grep_count(path, "\\(\\)(;| \\{)$"));
	assert_int_equal(exits, grep_count(path, "(\\(\\);|\\|  +\\}( /\\*.*\\*/)?)$"));
	/* the ring buffer's own count for this capture: 316376 entries */
	assert_int_equal(prs_stats(r)->events, 316376);
	prs_close(r);
}

static int setup(void **state)
{
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- containers: systrace HTML, JSON systemTraceEvents ------------------ */

/* src through prs_unwrap() in pieces of @piece bytes (0: whole) into out. */
static size_t unwrap_pieces(const char *src, size_t n, size_t piece, char *out)
{
	struct prs_unwrap u = { 0 };
	size_t o = 0, i = 0;

	if (piece == 0)
		piece = n;
	do {
		/* the call that tells the kind sees 16 bytes past white space (prs_unwrap()) */
		size_t want = i == 0 && piece < 32 ? 32 : piece, k = n - i < want ? n - i : want;

		o += prs_unwrap(&u, src + i, k, i + k == n, out + o);
		i += k;
	} while (i < n);
	out[o] = '\0';
	return o;
}

static void check_unwrap(const char *src, const char *want)
{
	size_t n = strlen(src);
	char *whole = malloc(n + PRS_UNWRAP_SLACK + 1), *bits = malloc(2 * n + PRS_UNWRAP_SLACK + 1);

	assert_non_null(whole);
	assert_non_null(bits);
	unwrap_pieces(src, n, 0, whole);
	assert_string_equal(whole, want);
	/* the same text whatever the chunk boundaries: held-back "</scr", escapes cut in two */
	for (size_t piece = 1; piece <= 11; piece++) {
		unwrap_pieces(src, n, piece, bits);
		assert_string_equal(bits, want);
	}
	free(whole);
	free(bits);
}

static void test_unwrap(void **state)
{
	(void)state;
	/* a page: the text block keeps its lines and their numbers; a JSON block is dropped */
	check_unwrap("<!DOCTYPE html>\n<html><script>var x = '</script>';</script>\n"
		     "<script class=\"trace-data\" type=\"application/json\">\n{\"a\":\"</scr\"}\n</script>\n"
		     "  <script class=\"trace-data\" type=\"application/text\">\n"
		     "# tracer: nop\n"
		     "<idle>-0 [000] 1.0: print: </scr </SCRIPt </div>\n"
		     "          sh-1 [001] 2.0: x: y\n"
		     "  </SCRIPT>\n</html>\n",
		     "\n\n\n\n\n\n# tracer: nop\n<idle>-0 [000] 1.0: print: </scr </SCRIPt </div>\n"
		     "          sh-1 [001] 2.0: x: y\n  \n\n");
	/* text on the tag's own line, indentation kept, a page without a last line break */
	check_unwrap("<html><script class=\"trace-data\">   a-1 [0] 1.0: e: f\n</script></html>",
		     "   a-1 [0] 1.0: e: f\n");
	/* ... and one cut inside its text's last line: the line gets its break */
	check_unwrap("<html><script class=\"trace-data\">a-1 [0] 1.0: e: f</script>",
		     "a-1 [0] 1.0: e: f\n");
	/* JSON: only the top-level systemTraceEvents string, unescaped */
	check_unwrap("{\"traceEvents\": [{\"systemTraceEvents\": \"no\", \"k\": \"\\\"}\"}],\n"
		     " \"systemTraceEvents\" : \"# t\\n\\u00e9-1 [0] 1.0: e: \\\"q\\\" \\\\ \\/\\n\", \"x\": 1}",
		     "# t\n\xc3\xa9-1 [0] 1.0: e: \"q\" \\ /\n\n");
	/* not a container: passed through untouched */
	check_unwrap("  <idle>-0 [000] 1.0: e: f\n", "  <idle>-0 [000] 1.0: e: f\n");
	check_unwrap("\n\n# tracer: nop\n", "\n\n# tracer: nop\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ftrace_basic),
		cmocka_unit_test(test_ftrace_lru_shrink),
		cmocka_unit_test(test_ftrace_other_option),
		cmocka_unit_test(test_ftrace_noflags_tgid_lost),
		cmocka_unit_test(test_failed_page_spellings),
		cmocka_unit_test(test_page_without_pfn),
		cmocka_unit_test(test_elided_lines),
		cmocka_unit_test(test_wrapped_lines),
		cmocka_unit_test(test_quoted_lines),
		cmocka_unit_test(test_function_call_padded),
		cmocka_unit_test(test_stack_trace_lines),
		cmocka_unit_test(test_fgraph_wrapped_comment),
		cmocka_unit_test(test_stall_detail_events),
		cmocka_unit_test(test_function_tracer_lines),
		cmocka_unit_test(test_kprobes),
		cmocka_unit_test(test_freelist_probe),
		cmocka_unit_test(test_tcmd_report),
		cmocka_unit_test(test_perf_script),
		cmocka_unit_test(test_fgraph_full),
		cmocka_unit_test(test_fgraph_minimal),
		cmocka_unit_test(test_fgraph_retval_ret_form),
		cmocka_unit_test(test_fgraph_allocscope_marker),
		cmocka_unit_test(test_dotted_tasks_overhead_at),
		cmocka_unit_test(test_zstd_input),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_nul_far),
		cmocka_unit_test(test_parse_ts_num),
		cmocka_unit_test(test_parse_hex_swar),
		cmocka_unit_test(test_skip_spaces),
		cmocka_unit_test(test_report_funcgraph),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_ts_order_per_cpu),
		cmocka_unit_test(test_cpu_out_of_range),
		cmocka_unit_test(test_not_a_trace),
		cmocka_unit_test(test_real_kprobe),
		cmocka_unit_test(test_real_fgraph),
		cmocka_unit_test(test_unwrap),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
