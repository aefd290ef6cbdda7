// SPDX-License-Identifier: GPL-2.0-only
/*
 * A Perfetto TraceConfig (text proto) that records what a capture mode needs.
 *
 * Field names and numbers are Perfetto's (protos/perfetto/config/
 * trace_config.proto, ftrace/ftrace_config.proto, sys_stats/, process_stats/);
 * tests/golden/perfetto-config.sh encodes every mode's output with protoc
 * against a copy of them.  What Perfetto can record for allocscope:
 *
 *   events  the tracepoints: every device (production builds included)
 *   graph   function_graph rooted at the alloc entry: FtraceConfig's
 *           enable_function_graph, on debuggable builds only (Android 14+)
 *   retprobe, cross: no.  FtraceConfig.kprobe_events records a function's
 *           entry and return times only, no arguments and no return value,
 *           and the retprobe mode needs get_page_from_freelist()'s return
 *           value (and the allocation's gfp and order)
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"

#define PF_RATE_DEFAULT		100000ul	/* page allocations/s: a phone under pressure */
#define PF_DRAIN_MS		100		/* traced_probes reads the kernel buffers this often */
#define PF_WRITE_MS		500		/* ... and the central buffer goes to the file this often */
#define PF_RING_EVENT_B		48		/* bytes of an event in the kernel's ring buffer */
#define PF_PROTO_EVENT_B	24		/* ... and in Perfetto's protobuf encoding */
#define PF_SCHED_B_S		200000ul	/* compact sched_switch: ~20,000 switches/s, ~10 B each */
#define PF_ATRACE_B_S		120000ul	/* atrace markers: ~2,000/s of ~60 B */
#define PF_CENTRAL_MAX_KB	32768ul		/* Android's guardrail on a session's buffers */

/* The alloc entry of a kernel version, the roots of the graph (DESIGN.md). */
static int graph_roots(int major, int minor, const char **roots)
{
	int v = major * 1000 + minor;

	if (v >= 6014) {
		/* slab and NUMA alloc_pages() call the frozen allocator directly, past the wrapper */
		roots[0] = "__alloc_frozen_pages_noprof";
		roots[1] = "__alloc_pages_noprof";
		return 2;
	}
	roots[0] = cap_alloc_entry_for_version(major, minor);
	return 1;
}

static unsigned long clamp_ul(unsigned long v, unsigned long lo, unsigned long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int cap_perfetto_config(const struct cap_perfetto_opts *o, FILE *f, char *err, size_t errlen)
{
	/* the tracepoints of every mode, as allocscope record records them */
	static const char *const events[] = {
		"kmem/mm_page_alloc",
		"vmscan/mm_vmscan_direct_reclaim_begin",
		"vmscan/mm_vmscan_direct_reclaim_end",
		"vmscan/mm_vmscan_wakeup_kswapd",
		"vmscan/mm_vmscan_kswapd_wake",
		"vmscan/mm_vmscan_kswapd_sleep",
		"vmscan/mm_vmscan_lru_shrink_inactive",
		"vmscan/mm_vmscan_lru_shrink_active",
		"vmscan/mm_vmscan_memcg_reclaim_begin",
		"vmscan/mm_vmscan_memcg_reclaim_end",
		"vmscan/mm_vmscan_memcg_softlimit_reclaim_begin",
		"vmscan/mm_vmscan_memcg_softlimit_reclaim_end",
		"compaction/mm_compaction_begin",
		"compaction/mm_compaction_end",
		"compaction/mm_compaction_try_to_compact_pages",
		"compaction/mm_compaction_suitable",
		"compaction/mm_compaction_deferred",
		"compaction/mm_compaction_finished",
		"oom/mark_victim",
		"sched/sched_switch",
		"ftrace/print",		/* trace_marker: atrace slices (frames) */
	};
	/* the frames of stalls --frames: Choreographer#doFrame (view), DrawFrame (gfx, view), input */
	static const char *const atrace[] = { "gfx", "view", "input" };
	enum cap_mode mode = o->mode == CAP_MODE_AUTO ? CAP_MODE_EVENTS : o->mode;
	const char *roots[2];
	int nroots = 0, major = 0, minor = 0;
	unsigned long rate = o->alloc_rate ? o->alloc_rate : PF_RATE_DEFAULT, per_alloc, ring_kb;
	unsigned long bytes_s, central_kb;
	uint64_t dur = o->duration_ms ? o->duration_ms : 10000;

	if (mode == CAP_MODE_RETPROBE || mode == CAP_MODE_CROSS) {
		snprintf(err, errlen, "Perfetto cannot record the %s mode: its kprobe_events record a "
			 "function's entry and return times, no arguments and no return value, and "
			 "the mode needs get_page_from_freelist()'s return value and the allocation's "
			 "gfp and order; use -m graph (debuggable builds, Android 14+) or -m events",
			 cap_mode_name(mode));
		return -CAP_EMODE;
	}
	if (mode == CAP_MODE_GRAPH) {
		if (cap_kernel_version(o->kernel, &major, &minor)) {
			snprintf(err, errlen, "-m graph: the alloc entry's name depends on the kernel "
				 "(__alloc_pages_nodemask before 5.13, __alloc_pages to 6.9, "
				 "__alloc_pages_noprof from 6.10, __alloc_frozen_pages_noprof from 6.14), "
				 "and a name the kernel lacks fails Perfetto's whole ftrace setup: give "
				 "--kernel RELEASE (adb shell uname -r)");
			return -CAP_EMODE;
		}
		nroots = graph_roots(major, minor, roots);
	}
	if (dur > UINT32_MAX) {
		snprintf(err, errlen, "duration too long for Perfetto's duration_ms (at most 49 days)");
		return -CAP_EMODE;
	}

	/* graph: the entry's entry and exit, one get_page_from_freelist() pair, mm_page_alloc */
	per_alloc = mode == CAP_MODE_GRAPH ? 5 : 1;
	ring_kb = o->buffer_kb ? o->buffer_kb :
		  clamp_ul(rate * per_alloc * PF_RING_EVENT_B / 1024 * PF_DRAIN_MS / 1000 * 4, 2048,
			   65536);
	bytes_s = rate * per_alloc * PF_PROTO_EVENT_B + PF_SCHED_B_S + PF_ATRACE_B_S;
	central_kb = clamp_ul(bytes_s / 1024 * PF_WRITE_MS / 1000 * 4, 8192, PF_CENTRAL_MAX_KB);

	fprintf(f, "# Perfetto TraceConfig (text proto) made by allocscope record --perfetto-config"
		"%s%s: mode %s,\n", o->version ? " " : "", o->version ? o->version : "",
		cap_mode_name(mode));
	fprintf(f, "# the page allocator's tracepoints%s, sched_switch, the apps' atrace frames,\n"
		"# /proc/vmstat and PSI, the process tree, the frame timeline.  On the phone:\n"
		"#   adb shell perfetto -c - --txt -o /data/misc/perfetto-traces/allocscope.pftrace < THIS\n"
		"#   adb pull /data/misc/perfetto-traces/allocscope.pftrace\n",
		mode == CAP_MODE_GRAPH ? " and function_graph from the alloc entry" : "");
	fprintf(f, "# Buffers from %lu page allocations/s (--alloc-rate) x %lu event%s each: kernel "
		"%lu KB per CPU,\n# central %lu KB written to the file every %d ms (%lu KB/s expected).\n",
		rate, per_alloc, per_alloc == 1 ? "" : "s", ring_kb, central_kb, PF_WRITE_MS,
		bytes_s / 1024);
	if (mode == CAP_MODE_GRAPH)
		fprintf(f, "# graph: function_graph needs a debuggable (userdebug or eng) build, Android "
			"14+; kernel %d.%d.\n", major, minor);
	fprintf(f, "duration_ms: %" PRIu64 "\n", dur);
	fprintf(f, "write_into_file: true\nfile_write_period_ms: %d\n", PF_WRITE_MS);
	fprintf(f, "buffers {\n  size_kb: %lu\n  fill_policy: DISCARD\n}\n", central_kb);
	fprintf(f, "buffers {\n  size_kb: 2048\n  fill_policy: DISCARD\n}\n");

	fprintf(f, "data_sources {\n  config {\n    name: \"linux.ftrace\"\n    target_buffer: 0\n"
		"    ftrace_config {\n");
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		fprintf(f, "      ftrace_events: \"%s\"\n", events[i]);
	for (size_t i = 0; i < sizeof(atrace) / sizeof(atrace[0]); i++)
		fprintf(f, "      atrace_categories: \"%s\"\n", atrace[i]);
	if (o->app)
		fprintf(f, "      atrace_apps: \"%s\"\n", o->app);
	fprintf(f, "      compact_sched {\n        enabled: true\n      }\n");
	fprintf(f, "      buffer_size_kb: %lu\n      drain_period_ms: %d\n", ring_kb, PF_DRAIN_MS);
	if (mode == CAP_MODE_GRAPH) {
		/*
		 * The entry and get_page_from_freelist() make the slow path exact (a second call
		 * under one entry); try_to_free_pages() and out_of_memory() are global, never
		 * inlined.  The static helpers (wake_all_kswapds, __alloc_pages_direct_compact)
		 * are left out: inlined on some builds, and one name the kernel lacks fails the
		 * write of them all; their time comes from the tracepoints.
		 */
		static const char *const filters[] = {
			"get_page_from_freelist", "try_to_free_pages", "out_of_memory",
		};

		fprintf(f, "      symbolize_ksyms: true\n      enable_function_graph: true\n");
		for (int i = 0; i < nroots; i++)
			fprintf(f, "      function_filters: \"%s\"\n", roots[i]);
		for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
			fprintf(f, "      function_filters: \"%s\"\n", filters[i]);
		for (int i = 0; i < nroots; i++)
			fprintf(f, "      function_graph_roots: \"%s\"\n", roots[i]);
	}
	fprintf(f, "    }\n  }\n}\n");

	/* thread names and tgids; kswapd's utime/stime: the kswapd CPU cross-check */
	fprintf(f, "data_sources {\n  config {\n    name: \"linux.process_stats\"\n    target_buffer: 1\n"
		"    process_stats_config {\n      scan_all_processes_on_start: true\n"
		"      record_thread_names: true\n      proc_stats_poll_ms: 1000\n"
		"      record_process_runtime: true\n    }\n  }\n}\n");
	/*
	 * Every /proc/vmstat counter (vmstat_counters left empty: all), and PSI: the ground
	 * truth lies between the first and the last poll, so they poll often.
	 */
	fprintf(f, "data_sources {\n  config {\n    name: \"linux.sys_stats\"\n    target_buffer: 1\n"
		"    sys_stats_config {\n      vmstat_period_ms: 250\n      psi_period_ms: 250\n"
		"    }\n  }\n}\n");
	/*
	 * SurfaceFlinger's FrameTimeline (Android 12+; an older device has no such data
	 * source and records the rest): each app frame with its jank type, for stalls
	 * --frames.  A few packets per frame: the small buffer holds them.
	 */
	fprintf(f, "data_sources {\n  config {\n    name: \"android.surfaceflinger.frametimeline\"\n"
		"    target_buffer: 1\n  }\n}\n");
	return ferror(f) ? -CAP_EIO : 0;
}
