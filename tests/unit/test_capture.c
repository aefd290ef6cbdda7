// SPDX-License-Identifier: GPL-2.0-only
/*
 * capture/: probing against fake tracefs and /proc trees, the plan, the
 * journal's exact restore, the snapshot markers, and the trace.dat v7
 * writer (read back by trace-cmd report when it is installed).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture.h"

static char root[256];

static void mkdirs(const char *rel)
{
	char p[512], *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

static void put(const char *rel, const char *content)
{
	char p[512], dir[512], *slash;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", rel);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = 0;
		mkdirs(dir);
	}
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char *get(const char *rel)
{
	static char buf[8192];
	char p[512];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";
static const char header_event[] =
	"# compressed entry header\n\ttype_len    :    5 bits\n\ttime_delta  :   27 bits\n"
	"\tarray       :   32 bits\n\n\tpadding     : type == 29\n\ttime_extend : type == 30\n"
	"\ttime_stamp : type == 31\n\tdata max type_len  == 28\n";
static const char print_format[] =
	"name: print\nID: 5\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:unsigned long ip;\toffset:8;\tsize:8;\tsigned:0;\n"
	"\tfield:char buf[];\toffset:16;\tsize:0;\tsigned:0;\n\n"
	"print fmt: \"%ps: %s\", (void *)REC->ip, REC->buf\n";

/* A kernel with function_graph, kprobes, a readable filter list (a 6.12 cloud kernel). */
static void fake_full_kernel(void)
{
	put("t/available_tracers", "function_graph function nop\n");
	put("t/available_filter_functions",
	    "do_one_initcall\n__alloc_pages_noprof\nget_page_from_freelist\n"
	    "__alloc_pages_slowpath.constprop.0\n__alloc_pages_direct_compact\n"
	    "try_to_free_pages\nout_of_memory\nwake_all_kswapds\nalloc_pages_bulk_noprof\n"
	    "get_page_from_freelist.cold\n");
	put("t/set_ftrace_filter", "#### all functions enabled ####\n");
	put("t/set_graph_function", "#### all functions enabled ####\n");
	put("t/max_graph_depth", "0\n");
	put("t/current_tracer", "nop\n");
	put("t/tracing_on", "1\n");
	put("t/buffer_size_kb", "7 (expanded: 1408)\n");
	put("t/trace", "");
	put("t/trace_marker", "");
	put("t/trace_clock", "[local] global counter\n");
	put("t/kprobe_events", "");
	put("t/events/allocscope/bulk_ret/enable", "0\n");
	put("t/options/funcgraph-retval", "0\n");
	put("t/options/funcgraph-abstime", "0\n");
	put("t/options/funcgraph-proc", "0\n");
	put("t/options/record-tgid", "0\n");
	put("t/events/header_page", header_page);
	put("t/events/header_event", header_event);
	put("t/events/ftrace/print/format", print_format);
	put("t/events/kmem/mm_page_alloc/format", "name: mm_page_alloc\nID: 400\n");
	put("t/events/kmem/mm_page_alloc/enable", "0\n");
	put("t/events/vmscan/mm_vmscan_direct_reclaim_begin/format", "name: x\n");
	put("t/events/vmscan/mm_vmscan_direct_reclaim_begin/enable", "0\n");
	put("t/events/sched/sched_switch/format", "name: sched_switch\n");
	put("t/events/sched/sched_switch/enable", "1\n");	/* someone else's */
	mkdirs("t/per_cpu/cpu0");
	mkdirs("t/per_cpu/cpu1");
	put("t/per_cpu/cpu0/stats", "entries: 0\noverrun: 7\ncommit overrun: 0\ndropped events: 2\n");
	put("p/sys/kernel/osrelease", "6.12.0-test\n");
}

static void fake_proc(void)
{
	put("p/vmstat", "nr_free_pages 1000\npgalloc_normal 5\nallocstall_normal 3\n");
	put("p/meminfo", "MemTotal:        2000 kB\nMemFree:  1000 kB\nHugePages_Total:       0\n");
	put("p/zoneinfo",
	    "Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 1\n"
	    "  pages free     3\n        boost    0\n        min      33\n        low      41\n"
	    "        high     49\n        spanned  4095\n  pagesets\n    cpu: 0\n"
	    "              count:  0\n              high:  0\n"
	    "Node 0, zone   Normal\n  pages free     10\n        min      100\n        low      120\n"
	    "        high     140\n");
	put("p/45/stat", "45 (kswapd0) S 2 0 0 0 -1 2129984 0 0 0 0 17 250 0 0 20 0 1 0\n");
	put("p/46/stat", "46 (my (odd) task) S 1 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0\n");
}

static int setup_tree(void **state)
{
	snprintf(root, sizeof(root), "/tmp/allocscope-cap-XXXXXX");
	assert_non_null(mkdtemp(root));
	fake_full_kernel();
	fake_proc();
	return 0;
}

static int teardown_tree(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void path(char *out, size_t len, const char *rel)
{
	snprintf(out, len, "%s/%s", root, rel);
}

/* ---- names ------------------------------------------------------------------------- */

static void test_func_matches(void **state)
{
	assert_true(cap_func_matches("get_page_from_freelist", "get_page_from_freelist"));
	assert_true(cap_func_matches("__alloc_pages_slowpath.constprop.0", "__alloc_pages_slowpath"));
	assert_true(cap_func_matches("try_to_free_pages.isra.12", "try_to_free_pages"));
	assert_true(cap_func_matches("wake_all_kswapds.part.0", "wake_all_kswapds"));
	assert_true(cap_func_matches("x.constprop.0.isra.1", "x"));
	assert_false(cap_func_matches("get_page_from_freelist.cold", "get_page_from_freelist"));
	assert_false(cap_func_matches("__alloc_pages_noprof", "__alloc_pages"));
	assert_false(cap_func_matches("__alloc_pages_bulk", "__alloc_pages"));
	assert_false(cap_func_matches("__alloc_pages.constprop.x", "__alloc_pages"));
}

static void test_alloc_entry_by_version(void **state)
{
	assert_string_equal(cap_alloc_entry_for_version(5, 4), "__alloc_pages_nodemask");
	assert_string_equal(cap_alloc_entry_for_version(5, 12), "__alloc_pages_nodemask");
	assert_string_equal(cap_alloc_entry_for_version(5, 13), "__alloc_pages");
	assert_string_equal(cap_alloc_entry_for_version(6, 9), "__alloc_pages");
	assert_string_equal(cap_alloc_entry_for_version(6, 10), "__alloc_pages_noprof");
	assert_string_equal(cap_alloc_entry_for_version(6, 18), "__alloc_pages_noprof");
}

/* ---- probing and plans -------------------------------------------------------------- */

static void test_probe_full_kernel(void **state)
{
	char t[300], pr[300];
	struct cap_probe p;
	struct cap_plan plan;

	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_string_equal(p.release, "6.12.0-test");
	assert_int_equal(p.kver_major, 6);
	assert_int_equal(p.kver_minor, 12);
	assert_int_equal(p.nr_cpus, 2);
	assert_int_equal(p.page_size, 4096);
	assert_int_equal(p.page_header, 16);
	assert_true(p.top_function_graph);
	assert_true(p.filter_funcs_readable);
	assert_true(p.has_kprobe_events);
	assert_true(p.has_funcgraph_retval);
	assert_false(p.has_instances);
	assert_int_equal(p.func_src, CAP_SRC_FILTER_FUNCS);
	assert_string_equal(p.func[CAP_FN_ALLOC], "__alloc_pages_noprof");
	assert_string_equal(p.func[CAP_FN_GPFF], "get_page_from_freelist");
	assert_string_equal(p.func[CAP_FN_SLOWPATH], "__alloc_pages_slowpath.constprop.0");
	assert_string_equal(p.func[CAP_FN_MAY_OOM], "");
	assert_string_equal(p.func[CAP_FN_OOM], "out_of_memory");
	assert_string_equal(p.why_not_graph, "");
	assert_string_equal(p.why_not_retprobe, "");
	assert_true(p.events[0].present);			/* kmem:mm_page_alloc */
	assert_int_equal(p.nr_events_present, 3);

	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, NULL, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_GRAPH);
	assert_string_equal(plan.funcs[0], "__alloc_pages_noprof");
	assert_string_equal(plan.funcs[1], "get_page_from_freelist");
	/* out_of_memory stands in for the inlined __alloc_pages_may_oom */
	assert_string_equal(plan.funcs[plan.nr_funcs - 1], "out_of_memory");
	assert_true(plan.funcgraph_retval);
	assert_int_equal(plan.buffer_kb, 16384);
	assert_true(plan.bulk_probe);
	assert_string_equal(p.func[CAP_FN_BULK], "alloc_pages_bulk_noprof");

	assert_int_equal(cap_plan_make(&p, CAP_MODE_RETPROBE, false, 0, &(struct cap_rates){ 100000, 0 }, &plan), 0);
	assert_int_equal(plan.nr_funcs, 2);
	assert_false(plan.use_fprobe);
	assert_true(plan.buffer_kb >= 4096 && plan.buffer_kb <= 65536);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_EVENTS, true, 2048, NULL, &plan), 0);
	assert_int_equal(plan.nr_funcs, 0);
	assert_int_equal(plan.buffer_kb, 2048);
	assert_true(plan.record_tgid);

	/* cross: graph's functions (the probes' two first) and the probes */
	assert_int_equal(cap_plan_make(&p, CAP_MODE_CROSS, false, 0, NULL, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_CROSS);
	assert_true(cap_plan_graph(&plan) && cap_plan_probes(&plan));
	assert_string_equal(plan.funcs[0], "__alloc_pages_noprof");
	assert_string_equal(plan.funcs[1], "get_page_from_freelist");
	assert_true(plan.nr_funcs > 2);
	assert_true(plan.funcgraph_retval);
	assert_false(plan.use_fprobe);
}

/* Locked down like the 6.18 development machine: tracepoints only. */
static void test_probe_locked_down(void **state)
{
	char t[300], pr[300], f[300];
	struct cap_probe p;
	struct cap_plan plan;

	put("t/available_tracers", "blk function nop\n");
	path(f, sizeof(f), "t/available_filter_functions");
	unlink(f);
	mkdir(f, 0755);	/* reading a directory fails like EPERM does */
	path(f, sizeof(f), "t/kprobe_events");
	unlink(f);
	put("p/kallsyms", "ffffffff81000000 T _stext\n"
	    "ffffffff81200000 t get_page_from_freelist\n"
	    "ffffffff81200100 T __alloc_frozen_pages_noprof\n"
	    "ffffffff81200200 T __alloc_pages_noprof\n"
	    "ffffffff81200300 d __alloc_pages_slowpath\n");
	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_false(p.filter_funcs_readable);
	assert_int_equal(p.func_src, CAP_SRC_KALLSYMS);
	assert_string_equal(p.func[CAP_FN_ALLOC], "__alloc_frozen_pages_noprof");
	assert_string_equal(p.func[CAP_FN_SLOWPATH], "");	/* data symbol, not text */
	assert_string_equal(p.why_not_graph, "no function_graph tracer");
	assert_non_null(strstr(p.why_not_retprobe, "kprobe_events"));

	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, NULL, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_EVENTS);
	assert_non_null(strstr(plan.why, "graph: no function_graph tracer"));
	assert_int_equal(cap_plan_make(&p, CAP_MODE_GRAPH, false, 0, NULL, &plan), -CAP_EMODE);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_RETPROBE, false, 0, NULL, &plan), -CAP_EMODE);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_CROSS, false, 0, NULL, &plan), -CAP_EMODE);
	assert_string_equal(plan.why, "graph: no function_graph tracer");
}

static void test_probe_no_tracefs(void **state)
{
	char t[300];
	struct cap_probe p;

	path(t, sizeof(t), "nowhere");
	assert_int_equal(cap_probe_run(t, NULL, &p), -CAP_ENOTRACEFS);
}

static void test_mode_names(void **state)
{
	enum cap_mode m;

	assert_int_equal(cap_mode_parse("retprobe", &m), 0);
	assert_int_equal(m, CAP_MODE_RETPROBE);
	assert_int_equal(cap_mode_parse("kprobe", &m), -1);
	assert_int_equal(cap_mode_parse("cross", &m), 0);
	assert_int_equal(m, CAP_MODE_CROSS);
	assert_string_equal(cap_mode_name(CAP_MODE__COUNT), "?");
	assert_string_equal(cap_mode_name(CAP_MODE_EVENTS), "events");
	assert_int_equal(cap_mode_parse("freelist", &m), 0);
	assert_int_equal(m, CAP_MODE_FREELIST);
	assert_string_equal(cap_strerror(-CAP_EBUSY), "another allocscope record is running");
}

/* ---- setup and exact restore ------------------------------------------------------------ */

static void test_session_restore_exact(void **state)
{
	static const char *const files[] = {
		"t/current_tracer", "t/tracing_on", "t/set_ftrace_filter",
		"t/max_graph_depth", "t/options/funcgraph-retval", "t/options/funcgraph-abstime",
		"t/events/kmem/mm_page_alloc/enable", "t/events/sched/sched_switch/enable",
		"t/trace_clock",
	};
	char before[16][256], t[300], pr[300], err[256] = "";
	struct cap_probe p;
	struct cap_plan plan;
	struct cap_session *s;

	put("t/set_ftrace_filter", "schedule\nvfs_read\n");	/* someone's filter, kept */
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		snprintf(before[i], sizeof(before[i]), "%s", get(files[i]));
	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_GRAPH, false, 1024, NULL, &plan), 0);
	assert_int_equal(cap_session_new(&p, &plan, &s, err, sizeof(err)), 0);
	assert_int_equal(cap_session_setup(s, err, sizeof(err)), 0);

	assert_string_equal(get("t/current_tracer"), "function_graph");
	assert_string_equal(get("t/buffer_size_kb"), "1024");
	/* local is per CPU: global, the only clock monotonic across CPUs this fake offers */
	assert_string_equal(get("t/trace_clock"), "global");
	assert_string_equal(get("t/events/kmem/mm_page_alloc/enable"), "1");
	assert_non_null(strstr(get("t/set_ftrace_filter"), "get_page_from_freelist\n"));
	assert_string_equal(get("t/set_graph_function"), "__alloc_pages_noprof\n");
	assert_string_equal(get("t/options/funcgraph-retval"), "1");
	/* every mode: the bulk allocator's return, where kprobe_events exists */
	assert_string_equal(get("t/kprobe_events"),
			    "r:allocscope/bulk_ret alloc_pages_bulk_noprof ret=$retval:u32\n");
	assert_string_equal(get("t/events/allocscope/bulk_ret/enable"), "1");

	assert_int_equal(cap_snapshot_begin(s, NULL, 0), 0);
	assert_non_null(strstr(get("t/trace_marker"),
			       "allocscope: option bulk_probe=alloc_pages_bulk_noprof\n"));
	assert_non_null(strstr(get("t/trace_marker"), "allocscope: begin\n"));
	/* the recorder's own pid, first: the analyzer keeps its allocations out of the KPIs */
	{
		char line[64];

		snprintf(line, sizeof(line), "allocscope: recorder-pid %d\nallocscope: begin\n",
			 (int)getpid());
		assert_non_null(strstr(get("t/trace_marker"), line));
	}
	/*
	 * snapshot-after, then nothing but the reads (and kswapd-read, when
	 * kswapd was read), then end and the lines read: the analyzer bounds
	 * the end of the window by those two markers
	 */
	assert_int_equal(cap_snapshot_end(s), 0);
	{
		static const char after[] = "allocscope: snapshot-after\nallocscope: kswapd-read\n"
					    "allocscope: end\nallocscope: clk_tck ";
		const char *marks = get("t/trace_marker");
		const char *at = strstr(marks, after);

		assert_non_null(at);
		assert_non_null(strstr(at, "\nallocscope: vmstat "));
	}

	assert_int_equal(cap_session_restore(s, err, sizeof(err)), 0);
	assert_int_equal(cap_session_restore(s, err, sizeof(err)), 0);	/* twice is harmless */
	cap_session_free(s);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(files[i], "t/trace_clock"))
			assert_string_equal(get(files[i]), before[i]);
	/* tracefs lists the clocks on read and takes a name on write: the name written back */
	assert_string_equal(get("t/trace_clock"), "local");
	/* an empty filter reads "#### all functions enabled ####" in tracefs, "" here */
	assert_string_equal(get("t/set_graph_function"), "");
	assert_string_equal(get("t/events/allocscope/bulk_ret/enable"), "0\n");
	assert_non_null(strstr(get("t/kprobe_events"), "-:allocscope/bulk_ret\n"));
	/* "7 (expanded: 1408)": the real size comes back */
	assert_string_equal(get("t/buffer_size_kb"), "1408");
}

/* 6.12: the instance lists function_graph but has no set_graph_function (top level only). */
static void test_instance_can_graph(void **state)
{
	char d[300];

	path(d, sizeof(d), "t/instances/x");
	put("t/instances/x/available_tracers", "blk function nop\n");
	assert_false(cap_instance_can_graph(d));
	put("t/instances/x/available_tracers", "function_graph function nop\n");
	put("t/instances/x/set_ftrace_filter", "");
	assert_false(cap_instance_can_graph(d));		/* Debian 6.12.117 */
	put("t/instances/x/set_graph_function", "");
	assert_true(cap_instance_can_graph(d));
}

/* retprobe: return probes ask for 1024 instances (the default max(10, 2 x CPUs) runs out while tasks sleep in reclaim). */
static void test_session_retprobe_maxactive(void **state)
{
	char t[300], pr[300], err[256] = "";
	struct cap_probe p;
	struct cap_plan plan;
	struct cap_session *s;
	const char *k;

	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_RETPROBE, false, 1024, NULL, &plan), 0);
	/* tracefs makes the probes' event directories as they are added: here, beforehand */
	put("t/events/allocscope/alloc_entry/enable", "0\n");
	put("t/events/allocscope/alloc_ret/enable", "0\n");
	put("t/events/allocscope/gpff_ret/enable", "0\n");
	assert_int_equal(cap_session_new(&p, &plan, &s, err, sizeof(err)), 0);
	if (cap_session_setup(s, err, sizeof(err)))
		fail_msg("setup: %s", err);
	k = get("t/kprobe_events");
	assert_non_null(strstr(k, "p:allocscope/alloc_entry __alloc_pages_noprof gfp=$arg1:x32 order=$arg2:u32\n"));
	assert_non_null(strstr(k, "r1024:allocscope/alloc_ret __alloc_pages_noprof ret=$retval:x64\n"));
	assert_non_null(strstr(k, "r1024:allocscope/gpff_ret get_page_from_freelist ret=$retval:x64\n"));
	assert_int_equal(cap_session_restore(s, err, sizeof(err)), 0);
	cap_session_free(s);
	assert_non_null(strstr(get("t/kprobe_events"), "-:allocscope/gpff_ret\n"));
}

/* A setup that fails half-way is undone like a finished one. */
static void test_session_partial_setup(void **state)
{
	char t[300], pr[300], err[256] = "", f[300];
	struct cap_probe p;
	struct cap_plan plan;
	struct cap_session *s;

	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_GRAPH, false, 1024, NULL, &plan), 0);
	path(f, sizeof(f), "t/set_graph_function");
	unlink(f);		/* vanishes between probe and setup */
	assert_int_equal(cap_session_new(&p, &plan, &s, err, sizeof(err)), 0);
	assert_int_equal(cap_session_setup(s, err, sizeof(err)), -CAP_ESETUP);
	assert_non_null(strstr(err, "set_graph_function"));
	assert_int_equal(cap_session_restore(s, err, sizeof(err)), 0);
	cap_session_free(s);
	assert_string_equal(get("t/current_tracer"), "nop\n");
	assert_string_equal(get("t/set_ftrace_filter"), "");	/* tracefs shows "####...": empty */
	assert_string_equal(get("t/events/kmem/mm_page_alloc/enable"), "0\n");
	assert_string_equal(get("t/tracing_on"), "1\n");
}


/* ---- the freelist probe ------------------------------------------------------------------------ */

/* The register of the third argument the recorder falls back to, NULL on another machine. */
static const char *third_reg(const char *arch)
{
	return !strcmp(arch, "x86_64") ? "%dx" : !strcmp(arch, "aarch64") ? "%x2" : NULL;
}

/*
 * A BTF file as /sys/kernel/btf/vmlinux has it (include/uapi/linux/btf.h), with one int, the
 * prototype of get_page_from_freelist with @params (4 names, "" ends early) and the FUNC.
 */
static void put_btf(const char *rel, const char *func, const char *const params[4])
{
	unsigned char b[512];
	char strs[256];
	uint32_t types[64], nt = 0, sl = 1, nparams = 0, fname, iname;
	uint32_t poff[4];
	size_t off;
	char p[512];
	FILE *f;

	strs[0] = 0;
#define STR(x) (snprintf(strs + sl, sizeof(strs) - sl, "%s", x), sl += (uint32_t)strlen(x) + 1, \
		sl - (uint32_t)strlen(x) - 1)
	iname = STR("int");
	for (int i = 0; i < 4 && params[i][0]; i++, nparams++)
		poff[i] = STR(params[i]);
	fname = STR(func);
	/* [1] INT int: size 4, 32 bits signed */
	types[nt++] = iname; types[nt++] = 1u << 24; types[nt++] = 4; types[nt++] = (1u << 24) | 32;
	/* [2] FUNC_PROTO returning int, nparams params of type int */
	types[nt++] = 0; types[nt++] = (13u << 24) | nparams; types[nt++] = 1;
	for (uint32_t i = 0; i < nparams; i++) {
		types[nt++] = poff[i];
		types[nt++] = 1;
	}
	/* [3] FUNC name -> [2], static linkage */
	types[nt++] = fname; types[nt++] = 12u << 24; types[nt++] = 2;
#undef STR
	memset(b, 0, sizeof(b));
	b[0] = 0x9f; b[1] = 0xeb; b[2] = 1;
	{
		uint32_t hdr[5] = { 24, 0, nt * 4, nt * 4, sl };

		memcpy(b + 4, hdr, sizeof(hdr));
	}
	off = 24;
	memcpy(b + off, types, nt * 4);
	off += nt * 4;
	memcpy(b + off, strs, sl);
	off += sl;
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	mkdirs("btf");
	f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, off, f), off);
	fclose(f);
}

static const char readme_btf_ret[] =
	"\t fetcharg: (%<register>|$<efield>), @<address>, @<symbol>[+|-<offset>],\n"
	"\t           $stack<index>, $stack, $retval, $comm, $arg<N>,\n"
	"\t           <argname>[->field[->field|.field...]],\n"
	"\t     kernel return probes support: $retval, $arg<N>, $comm\n";

static void test_btf_param_names(void **state)
{
	static const char *const good[4] = { "gfp_mask", "order", "alloc_flags", "ac" };
	static const char *const clang[4] = { "gfp_mask", "order", "ac", "" };
	char f[300], name[64];

	path(f, sizeof(f), "btf/vmlinux");
	put_btf("btf/vmlinux", "get_page_from_freelist", good);
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 2, name, sizeof(name)), 0);
	assert_string_equal(name, "alloc_flags");
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 0, name, sizeof(name)), 0);
	assert_string_equal(name, "gfp_mask");
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 4, name, sizeof(name)), 1);
	assert_int_equal(cap_btf_param_name(f, "__alloc_pages_noprof", 2, name, sizeof(name)), -CAP_EMODE);
	/* a Clang-built kernel dropped an argument: the third is another */
	put_btf("btf/vmlinux", "get_page_from_freelist", clang);
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 2, name, sizeof(name)), 0);
	assert_string_equal(name, "ac");
	/* not BTF, and cut short: refused, never a match */
	put("btf/vmlinux", "this is not BTF at all, no\n");
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 2, name, sizeof(name)), -CAP_EINVAL);
	put_btf("btf/vmlinux", "get_page_from_freelist", good);
	assert_int_equal(truncate(f, 40), 0);
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 2, name, sizeof(name)), -CAP_EINVAL);
	path(f, sizeof(f), "btf/none");
	assert_int_equal(cap_btf_param_name(f, "get_page_from_freelist", 2, name, sizeof(name)), -CAP_EIO);
}

/*
 * 6.12: BTF probe arguments and return probes that fetch entry arguments:
 * the entry probe with alloc_flags by name (it costs less); the return
 * probe (one kretprobe with alloc_flags and the result) when asked for, and
 * in cross; auto takes freelist where function_graph is missing.
 */
static void test_probe_freelist(void **state)
{
	static const char *const good[4] = { "gfp_mask", "order", "alloc_flags", "ac" };
	static const char *const clang[4] = { "gfp_mask", "ac", "order", "" };
	char t[300], pr[300], defs[12][256], labels[12][96];
	struct cap_probe p;
	struct cap_plan plan;
	int n;

	put("t/README", readme_btf_ret);
	put_btf("btf/vmlinux", "get_page_from_freelist", good);
	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_true(p.has_btf_args);
	assert_true(p.has_ret_args);
	assert_true(p.gpff_plain);
	assert_string_equal(p.gpff_clone, "");		/* get_page_from_freelist.cold is no clone */
	assert_int_equal(p.gpff_btf, CAP_BTF_ALLOC_FLAGS);
	assert_string_equal(p.why_not_freelist, "");
	assert_int_equal(cap_plan_make(&p, CAP_MODE_FREELIST, false, 0, 0, &plan), 0);
	assert_true(plan.freelist && !plan.fl_return);
	assert_int_equal(plan.nr_funcs, 1);
	n = cap_freelist_defs(&p, &plan, defs, labels, 12);
	assert_int_equal(n, 3 + !!third_reg(p.arch));
	assert_string_equal(defs[0], "p:allocscope/freelist get_page_from_freelist "
			    "alloc_flags=alloc_flags:x32");
	assert_string_equal(labels[0], "kprobe, alloc_flags by BTF name");
	plan.fl_return = true;		/* record --freelist-probe return */
	n = cap_freelist_defs(&p, &plan, defs, labels, 12);
	assert_true(n >= 6);
	assert_string_equal(defs[0], "r1024:allocscope/freelist get_page_from_freelist "
			    "alloc_flags=alloc_flags:x32 ret=$retval:x64");
	assert_string_equal(labels[0], "kretprobe, alloc_flags by BTF name");
	assert_string_equal(defs[2], "r1024:allocscope/freelist get_page_from_freelist "
			    "alloc_flags=$arg3:x32 ret=$retval:x64");
	assert_string_equal(labels[2], "kretprobe, $arg3 (BTF: the third argument is alloc_flags)");
	assert_string_equal(defs[3], "p:allocscope/freelist get_page_from_freelist "
			    "alloc_flags=alloc_flags:x32");
	for (int i = 0; i < n; i++)	/* a register is read at the entry only */
		assert_true(defs[i][0] == 'p' || !strchr(defs[i], '%'));
	/* cross: graph, retprobe and freelist, the return probe */
	assert_int_equal(cap_plan_make(&p, CAP_MODE_CROSS, false, 0, 0, &plan), 0);
	assert_true(plan.freelist && plan.fl_return && cap_plan_graph(&plan) && cap_plan_probes(&plan));

	/* auto: freelist where BTF checks alloc_flags, before graph (half its cost) */
	assert_string_equal(p.why_not_graph, "");
	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, 0, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_FREELIST);
	assert_non_null(strstr(plan.why, "checked in the kernel's BTF"));

	/* no function_graph: auto takes freelist before retprobe */
	put("t/available_tracers", "function nop\n");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, 0, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_FREELIST);

	/* a kernel whose compiler changed the arguments (BTF) or cloned the function: not possible */
	put_btf("btf/vmlinux", "get_page_from_freelist", clang);
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(p.gpff_btf, CAP_BTF_OTHER);
	assert_non_null(strstr(p.why_not_freelist, "third argument 'order'"));
	assert_int_equal(cap_plan_make(&p, CAP_MODE_FREELIST, false, 0, 0, &plan), -CAP_EMODE);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, 0, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_RETPROBE);
	assert_non_null(strstr(plan.why, "freelist: the kernel's BTF gives"));
	assert_int_equal(cap_plan_make(&p, CAP_MODE_CROSS, false, 0, 0, &plan), -CAP_EMODE);
	put_btf("btf/vmlinux", "__alloc_pages_noprof", good);
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(p.gpff_btf, CAP_BTF_MISSING);
	assert_non_null(strstr(p.why_not_freelist, "not in the kernel's BTF"));
	put_btf("btf/vmlinux", "get_page_from_freelist", good);
	put("t/available_filter_functions", "__alloc_pages_noprof\nget_page_from_freelist.isra.0\n"
	    "get_page_from_freelist\n");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_non_null(strstr(p.why_not_freelist, "compiled as get_page_from_freelist.isra.0"));
	put("t/available_filter_functions", "__alloc_pages_noprof\n");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_non_null(strstr(p.why_not_freelist, "get_page_from_freelist not found"));
}

/* 6.1: no BTF probe arguments, no entry arguments at return: the entry probe, $arg3, then the register. */
static void test_probe_freelist_entry(void **state)
{
	char t[300], pr[300], defs[12][256], labels[12][96];
	struct cap_probe p;
	struct cap_plan plan;
	int n;

	put("t/README", "\t           $stack<index>, $stack, $retval, $comm, $arg<N>,\n");
	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_false(p.has_btf_args || p.has_ret_args);
	assert_int_equal(p.gpff_btf, CAP_BTF_NONE);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_FREELIST, false, 0, 0, &plan), 0);
	assert_false(plan.fl_return);
	n = cap_freelist_defs(&p, &plan, defs, labels, 12);
	assert_string_equal(defs[0], "p:allocscope/freelist get_page_from_freelist alloc_flags=$arg3:x32");
	assert_string_equal(labels[0], "kprobe, $arg3 (no BTF: unchecked)");
	/* auto: without BTF graph first (it assumes no argument), unchecked freelist before retprobe */
	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, 0, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_GRAPH);
	assert_non_null(strstr(plan.why, "unchecked"));
	put("t/available_tracers", "function nop\n");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_AUTO, false, 0, 0, &plan), 0);
	assert_int_equal(plan.mode, CAP_MODE_FREELIST);
	assert_non_null(strstr(plan.why, "analyze checks the capture"));
	put("t/available_tracers", "function_graph function nop\n");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	if (!strcmp(p.arch, "x86_64"))
		assert_string_equal(defs[1], "p:allocscope/freelist get_page_from_freelist alloc_flags=%dx:x32");
	else if (!strcmp(p.arch, "aarch64"))
		assert_string_equal(defs[1], "p:allocscope/freelist get_page_from_freelist alloc_flags=%x2:x32");
	else
		assert_int_equal(n, 1);
	/* no mm_page_alloc: nothing would close an allocation */
	{
		char f[300];

		path(f, sizeof(f), "t/events/kmem/mm_page_alloc/format");
		unlink(f);
	}
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_non_null(strstr(p.why_not_freelist, "mm_page_alloc"));
}

/* The session takes the first definition the kernel accepts, says which in the markers, and removes it. */
static void test_session_freelist(void **state)
{
	char t[300], pr[300], err[256] = "";
	struct cap_probe p;
	struct cap_plan plan;
	struct cap_session *s;

	put("t/README", readme_btf_ret);
	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_FREELIST, false, 1024, 0, &plan), 0);
	plan.fl_return = true;		/* record --freelist-probe return */
	put("t/events/allocscope/freelist/enable", "0\n");
	assert_int_equal(cap_session_new(&p, &plan, &s, err, sizeof(err)), 0);
	if (cap_session_setup(s, err, sizeof(err)))
		fail_msg("setup: %s", err);
	/* then the bulk allocator's return probe, as in every mode */
	assert_string_equal(get("t/kprobe_events"), "r1024:allocscope/freelist get_page_from_freelist "
			    "alloc_flags=alloc_flags:x32 ret=$retval:x64\n"
			    "r:allocscope/bulk_ret alloc_pages_bulk_noprof ret=$retval:u32\n");
	assert_string_equal(get("t/events/allocscope/freelist/enable"), "1");
	assert_int_equal(cap_snapshot_begin(s, NULL, 0), 0);
	{
		const char *m = get("t/trace_marker");

		assert_non_null(strstr(m, "allocscope: mode freelist\n"));
		assert_non_null(strstr(m, "allocscope: funcs get_page_from_freelist\n"));
		assert_non_null(strstr(m, "allocscope: option freelist_probe=kretprobe, alloc_flags by "
				       "BTF name\n"));
	}
	assert_int_equal(cap_session_restore(s, err, sizeof(err)), 0);
	cap_session_free(s);
	assert_non_null(strstr(get("t/kprobe_events"), "-:allocscope/freelist\n"));
	assert_string_equal(get("t/events/allocscope/freelist/enable"), "0\n");
}

/* ---- snapshot markers ------------------------------------------------------------------------ */

struct lines {
	char	text[64][128];
	int	n;
};

static int collect(void *ctx, const char *line)
{
	struct lines *l = ctx;

	if (l->n < 64)
		snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
	return 0;
}

static void test_snapshot_lines(void **state)
{
	char pr[300];
	struct lines l = { .n = 0 };

	path(pr, sizeof(pr), "p");
	assert_int_equal(cap_emit_vmstat(pr, collect, &l), 3);
	assert_string_equal(l.text[2], "allocscope: vmstat allocstall_normal 3");
	l.n = 0;
	assert_int_equal(cap_emit_meminfo(pr, collect, &l), 3);
	assert_string_equal(l.text[1], "allocscope: meminfo MemFree 1000");
	assert_string_equal(l.text[2], "allocscope: meminfo HugePages_Total 0");
	l.n = 0;
	assert_int_equal(cap_emit_watermarks(pr, collect, &l), 2);
	assert_string_equal(l.text[0], "allocscope: watermark 0 DMA 33 41 49");
	assert_string_equal(l.text[1], "allocscope: watermark 0 Normal 100 120 140");
	l.n = 0;
	assert_int_equal(cap_emit_kswapd(pr, collect, &l), 1);
	assert_string_equal(l.text[0], "allocscope: kswapd 45 kswapd0 17 250");
}

static void test_cpustat(void **state)
{
	char t[300];
	struct cap_cpustat st;

	path(t, sizeof(t), "t");
	assert_int_equal(cap_cpustat_read(t, 0, &st), 0);
	assert_int_equal(st.overrun, 7);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(cap_cpustat_read(t, 5, &st), -CAP_EIO);
}

/* ---- trace.dat v7 ------------------------------------------------------------------------------ */

/* One ring-buffer page: two print events (type_len = payload/4, 27-bit delta). */
static size_t add_print(unsigned char *p, uint32_t delta, int pid, const char *text)
{
	size_t len = 16 + strlen(text) + 1, padded = (len + 3) & ~(size_t)3;
	uint32_t hdr = (uint32_t)(padded / 4) | (delta << 5);
	uint16_t type = 5;

	memcpy(p, &hdr, 4);
	memset(p + 4, 0, padded);
	memcpy(p + 4, &type, 2);
	memcpy(p + 8, &pid, 4);
	memcpy(p + 20, text, strlen(text) + 1);
	return 4 + padded;
}

static int write_small_trace(const char *file, int zlevel)
{
	unsigned char page[4096] = { 0 };
	uint64_t ts = 1000000000ull, commit;
	size_t off = 16;
	char *ftrace[1] = { (char *)print_format };
	size_t flen[1] = { sizeof(print_format) - 1 };
	const char cmdlines[] = "1234 testtask\n";
	struct cap_tdat *w;
	char tmpl[] = "/tmp/allocscope-page-XXXXXX";
	int pfd = mkstemp(tmpl), fd, ret;
	uint64_t size = 4096;
	int fds[2];
	uint64_t sizes[2] = { 0, 4096 };
	uint32_t cpus = 2;

	unlink(tmpl);
	off += add_print(page + off, 0, 1234, "allocscope: begin");
	off += add_print(page + off, 1000, 1234, "allocscope: vmstat nr_free_pages 42");
	commit = off - 16;
	memcpy(page, &ts, 8);
	memcpy(page + 8, &commit, 8);
	if (write(pfd, page, sizeof(page)) != (ssize_t)sizeof(page))
		return -1;
	fds[0] = fds[1] = pfd;
	(void)size;

	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ret = cap_tdat_create(fd, 4096, zlevel, &w);
	if (!ret) ret = cap_tdat_headers(w, header_page, sizeof(header_page) - 1,
					 header_event, sizeof(header_event) - 1);
	if (!ret) ret = cap_tdat_ftrace_formats(w, 1, ftrace, flen);
	if (!ret) ret = cap_tdat_event_formats(w, 0, NULL);
	if (!ret) ret = cap_tdat_kallsyms(w, "", 0);
	if (!ret) ret = cap_tdat_printk(w, "", 0);
	if (!ret) ret = cap_tdat_cmdlines(w, cmdlines, sizeof(cmdlines) - 1);
	if (!ret) ret = cap_tdat_option(w, CAP_TD_OPT_CPUCOUNT, &cpus, 4);
	if (!ret) ret = cap_tdat_option_str(w, CAP_TD_OPT_UNAME, "Linux test 6.12.0-test #1 x86_64");
	if (!ret) ret = cap_tdat_option_str(w, CAP_TD_OPT_TRACECLOCK, "[local] global\n");
	if (!ret) ret = cap_tdat_buffer(w, "", "local", 2, fds, sizes);
	if (!ret)
		ret = cap_tdat_finish(w);
	else
		cap_tdat_abort(w);
	close(fd);
	close(pfd);
	return ret;
}

static void check_header(const char *file, bool zstd)
{
	unsigned char buf[64];
	uint64_t opt_off = 0;
	uint16_t id = 99;
	int fd = open(file, O_RDONLY);
	size_t at;

	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), sizeof(buf));
	assert_memory_equal(buf, "\027\010\104tracing7", 11);
	assert_int_equal(buf[11], 0);		/* NUL after the version */
	assert_int_equal(buf[13], 8);		/* long size */
	at = 18;
	assert_string_equal((char *)buf + at, zstd ? "zstd" : "none");
	at += strlen((char *)buf + at) + 1;
	at += strlen((char *)buf + at) + 1;
	memcpy(&opt_off, buf + at, 8);
	assert_true(opt_off > at);
	assert_int_equal(pread(fd, &id, 2, (off_t)opt_off), 2);
	assert_int_equal(id, CAP_TD_OPT_DONE);	/* the options section */
	close(fd);
}

static void report_contains(const char *file)
{
	char cmd[512], out[4096] = "";
	FILE *f;
	size_t n;

	if (system("command -v trace-cmd >/dev/null 2>&1")) {
		print_message("trace-cmd not installed: skipping the read-back\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "trace-cmd report '%s' 2>&1", file);
	f = popen(cmd, "r");
	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(out, "cpus=2"));
	assert_non_null(strstr(out, "testtask-1234"));
	assert_non_null(strstr(out, "allocscope: begin"));
	assert_non_null(strstr(out, "allocscope: vmstat nr_free_pages 42"));
	assert_non_null(strstr(out, "1.000000"));
}

static void test_tracedat_zstd(void **state)
{
	char file[300];

	path(file, sizeof(file), "small-zstd.dat");
	assert_int_equal(write_small_trace(file, 3), 0);
	check_header(file, true);
	report_contains(file);
}

static void test_tracedat_uncompressed(void **state)
{
	char file[300];

	path(file, sizeof(file), "small-none.dat");
	assert_int_equal(write_small_trace(file, 0), 0);
	check_header(file, false);
	report_contains(file);
}

static void test_tracedat_bad_page_size(void **state)
{
	struct cap_tdat *w = NULL;

	assert_int_equal(cap_tdat_create(1, 1000, 3, &w), -CAP_EINVAL);
	assert_null(w);
}

/* ---- the recording loop: what cap_record() tells its caller ---------------------------------- */

struct rec_log {
	int	what[8], code[8], n;
	char	msg[8][256];
};

static void rec_cb(void *ctx, enum cap_record_what what, int code, const char *msg)
{
	struct rec_log *l = ctx;

	if (l->n < 8) {
		l->what[l->n] = what;
		l->code[l->n] = code;
		snprintf(l->msg[l->n], sizeof(l->msg[0]), "%s", msg);
		l->n++;
	}
}

/* setup fails half way: the error through the callback, then tracefs restored, nothing printed */
static void test_record_setup_fails(void **state)
{
	char t[300], pr[300], f[300], out[300];
	struct cap_probe p;
	struct cap_plan plan;
	struct cap_record_opts o = { 0 };
	struct cap_record_result rs;
	struct rec_log log = { 0 };

	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	path(out, sizeof(out), "out.dat");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_GRAPH, false, 1024, NULL, &plan), 0);
	path(f, sizeof(f), "t/set_graph_function");
	unlink(f);		/* vanishes between probe and setup */
	o.out_fd = open(out, O_RDWR | O_CREAT | O_EXCL, 0644);
	assert_true(o.out_fd >= 0);
	o.output = out;
	o.zlevel = 3;
	o.duration_ns = 1000000;
	assert_int_equal(cap_record(&p, &plan, &o, rec_cb, &log, &rs), -CAP_ESETUP);
	close(o.out_fd);
	assert_int_equal(log.n, 2);
	assert_int_equal(log.what[0], CAP_REC_ERROR);
	assert_int_equal(log.code[0], -CAP_ESETUP);
	assert_non_null(strstr(log.msg[0], "tracefs setup failed: "));
	assert_non_null(strstr(log.msg[0], "set_graph_function"));
	assert_int_equal(log.what[1], CAP_REC_RESTORED);
	assert_null(rs.cpustat);
	assert_false(rs.child_ran);
	assert_string_equal(get("t/current_tracer"), "nop\n");
	assert_string_equal(get("t/events/kmem/mm_page_alloc/enable"), "0\n");
	assert_string_equal(get("t/tracing_on"), "1\n");
	cap_record_result_free(&rs);
}

/* no scratch file next to the output: CAP_EIO before tracefs is touched (no restore to tell) */
static void test_record_no_scratch(void **state)
{
	char t[300], pr[300], out[300];
	struct cap_probe p;
	struct cap_plan plan;
	struct cap_record_opts o = { 0 };
	struct cap_record_result rs;
	struct rec_log log = { 0 };

	path(t, sizeof(t), "t");
	path(pr, sizeof(pr), "p");
	path(out, sizeof(out), "gone/out.dat");
	assert_int_equal(cap_probe_run(t, pr, &p), 0);
	assert_int_equal(cap_plan_make(&p, CAP_MODE_EVENTS, false, 1024, NULL, &plan), 0);
	o.out_fd = -1;
	o.output = out;
	o.zlevel = 3;
	assert_int_equal(cap_record(&p, &plan, &o, rec_cb, &log, &rs), -CAP_EIO);
	assert_int_equal(log.n, 1);
	assert_int_equal(log.what[0], CAP_REC_ERROR);
	assert_non_null(strstr(log.msg[0], "cannot create a scratch file next to "));
	assert_non_null(strstr(log.msg[0], "gone/out.dat: No such file or directory"));
	assert_string_equal(get("t/current_tracer"), "nop\n");
	cap_record_result_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_func_matches),
		cmocka_unit_test(test_alloc_entry_by_version),
		cmocka_unit_test(test_mode_names),
		cmocka_unit_test_setup_teardown(test_probe_full_kernel, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_probe_locked_down, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_probe_no_tracefs, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_session_restore_exact, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_session_partial_setup, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_instance_can_graph, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_session_retprobe_maxactive, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_btf_param_names, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_probe_freelist, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_probe_freelist_entry, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_session_freelist, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_snapshot_lines, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_cpustat, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_tracedat_zstd, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_tracedat_uncompressed, setup_tree, teardown_tree),
		cmocka_unit_test(test_tracedat_bad_page_size),
		cmocka_unit_test_setup_teardown(test_record_setup_fails, setup_tree, teardown_tree),
		cmocka_unit_test_setup_teardown(test_record_no_scratch, setup_tree, teardown_tree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
