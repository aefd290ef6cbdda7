/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parsers — trace file readers for allocscope.
 *
 * Every reader (trace.dat through libtracecmd, ftrace text, function_graph
 * text, perf script text, any text compressed with zstd, Perfetto protobuf
 * traces) yields the same
 * normalized, time-ordered stream of struct prs_event.  Readers know file
 * formats and nothing about memory management: they name what the trace
 * says (an event, a function, a field), the analyzer decides what it means.
 *
 * Lifetime: every pointer inside a struct prs_event (comm, strings) stays
 * valid until the next prs_next() call, except interned strings (func,
 * caller, gfp_str, status, the name of an event) which stay valid until
 * prs_close().  Interned strings can be compared by pointer.
 *
 * The library never prints and never exits.  Errors are returned as
 * negative PRS_E* codes; prs_errmsg() gives one line naming the file and
 * the offset or line where reading failed.
 */
#ifndef ALLOCSCOPE_PARSERS_H
#define ALLOCSCOPE_PARSERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Error codes: one list, codes and messages together. */
#define PRS_ERRORS							\
	_PE(OK,		"success"),					\
	_PE(NOMEM,	"out of memory"),				\
	_PE(IO,		"read error"),					\
	_PE(OPEN,	"cannot open file"),				\
	_PE(ISDIR,	"is a directory, not a trace file"),		\
	_PE(EMPTY,	"empty file"),					\
	_PE(FORMAT,	"not a trace file allocscope can read"),	\
	_PE(TRUNCATED,	"file is truncated"),				\
	_PE(CORRUPT,	"malformed data"),				\
	_PE(TOOLONG,	"line longer than the limit"),			\
	_PE(ZSTD,	"zstd decompression failed"),			\
	_PE(LIMIT,	"size beyond a sane limit"),			\
	_PE(UNSUPPORTED, "unsupported format version or feature"),	\
	_PE(CUT,	"the file ends early (cut short)")

#undef _PE
#define _PE(code, str) PRS_E##code
enum prs_errno { PRS_ERRORS, PRS_E__LAST };
#undef _PE

const char *prs_strerror(int code);	/* code may be negative or positive */

/* What a file turned out to be (detected by content, never by name). */
enum prs_format {
	PRS_FMT_UNKNOWN = 0,
	PRS_FMT_TRACE_DAT,	/* trace-cmd trace.dat v6/v7 */
	PRS_FMT_FTRACE_TEXT,	/* tracefs trace / trace_pipe, trace-cmd report */
	PRS_FMT_FGRAPH_TEXT,	/* function_graph tracer text */
	PRS_FMT_PERF_SCRIPT,	/* perf script default output */
	PRS_FMT_PERFETTO,	/* Perfetto protobuf trace (plain, gzip, or inside a zip) */
};

const char *prs_format_name(enum prs_format fmt);

/*
 * Normalized event kinds: the events allocscope uses.  Everything else a
 * trace holds is PRS_EV_OTHER (counted by name in struct prs_stats, and
 * only returned by prs_next() when PRS_OPT_OTHER is set).
 */
#define PRS_KINDS							\
	_PK(OTHER,		"other"),				\
	_PK(FUNC_ENTRY,		"func_entry"),		/* function_graph entry */	\
	_PK(FUNC_EXIT,		"func_exit"),		/* function_graph return */	\
	_PK(KPROBE,		"kprobe"),		/* kprobe event (function entry) */ \
	_PK(KRETPROBE,		"kretprobe"),		/* kretprobe event (function return) */ \
	_PK(FUNC_CALL,		"function"),		/* function tracer: a call, no return */ \
	_PK(PAGE_ALLOC,		"mm_page_alloc"),				\
	_PK(RECLAIM_BEGIN,	"mm_vmscan_direct_reclaim_begin"),		\
	_PK(RECLAIM_END,	"mm_vmscan_direct_reclaim_end"),		\
	_PK(WAKEUP_KSWAPD,	"mm_vmscan_wakeup_kswapd"),			\
	_PK(KSWAPD_WAKE,	"mm_vmscan_kswapd_wake"),			\
	_PK(KSWAPD_SLEEP,	"mm_vmscan_kswapd_sleep"),			\
	_PK(COMPACT_BEGIN,	"mm_compaction_begin"),				\
	_PK(COMPACT_END,	"mm_compaction_end"),				\
	_PK(TRY_COMPACT,	"mm_compaction_try_to_compact_pages"),		\
	_PK(COMPACT_SUITABLE,	"mm_compaction_suitable"),			\
	_PK(COMPACT_DEFERRED,	"mm_compaction_deferred"),			\
	_PK(COMPACT_FINISHED,	"mm_compaction_finished"),			\
	_PK(LRU_SHRINK,		"mm_vmscan_lru_shrink"),	/* _inactive and _active */ \
	_PK(MEMCG_RECLAIM_BEGIN, "mm_vmscan_memcg_reclaim_begin"),	/* and _softlimit_ */ \
	_PK(MEMCG_RECLAIM_END,	"mm_vmscan_memcg_reclaim_end"),	/* and _softlimit_ */ \
	_PK(MARK_VICTIM,	"mark_victim"),					\
	_PK(RECLAIM_RETRY,	"reclaim_retry_zone"),	/* should_reclaim_retry(), per zone */ \
	_PK(COMPACT_RETRY,	"compact_retry"),	/* should_compact_retry() */	\
	_PK(SHRINK_SLAB_BEGIN,	"mm_shrink_slab_start"),			\
	_PK(SHRINK_SLAB_END,	"mm_shrink_slab_end"),				\
	_PK(THROTTLED,		"mm_vmscan_throttled"),	/* reclaim_throttle(), after the sleep */ \
	_PK(CONGESTION_WAIT,	"writeback_congestion_wait"),	/* and _wait_iff_congested: \
								 * congestion_wait() (2.6.37 .. 5.15) */ \
	_PK(WRITEPAGE,		"mm_vmscan_writepage"),	/* and _write_folio (6.x): pageout() */ \
	_PK(COMPACT_PROGRESS,	"mm_compaction_isolate_migratepages"),	/* and _freepages, \
						 * _migratepages: compact_zone() at work */ \
	_PK(SCHED_SWITCH,	"sched_switch"),				\
	_PK(PRINT,		"print"),		/* trace_marker write */	\
	_PK(LOST,		"lost_events"),		/* events lost on a CPU */	\
	_PK(FRAME,		"frame")		/* an app's frame as the compositor \
							 * timed it (Perfetto's frame timeline) */

#undef _PK
#define _PK(kind, name) PRS_EV_##kind
enum prs_kind { PRS_KINDS, PRS_EV__COUNT };
#undef _PK

const char *prs_kind_name(enum prs_kind kind);

#define PRS_NO_VALUE	UINT64_MAX	/* a numeric field the trace did not carry */
#define PRS_BAD_VALUE	(UINT64_MAX - 1)	/* alloc_flags: present, but not a number (counted in
						 * bad_fields) */

struct prs_event {
	uint64_t	ts;		/* ns, in the trace's own clock */
	int32_t		cpu;		/* -1 when the format does not say */
	int32_t		pid;		/* -1 unknown */
	int32_t		tgid;		/* -1 unknown (text has it only with the TGID column) */
	enum prs_kind	kind;
	const char	*comm;		/* task name, "" when unknown; valid until next prs_next() */
	bool		comm_per_pid;	/* comm is the one of every event of this pid (trace.dat's
					 * saved cmdlines): a consumer may keep the first it saw */
	const char	*name;		/* event name as the trace names it (interned) */

	union {
		/* FUNC_ENTRY, FUNC_EXIT, KPROBE, KRETPROBE, FUNC_CALL (func and caller) */
		struct {
			const char *func;	/* interned; suffixes such as .constprop.0 kept */
			const char *caller;	/* KRETPROBE: function returned to (interned), or NULL */
			uint64_t duration;	/* FUNC_EXIT: ns, PRS_NO_VALUE if unknown */
			uint64_t retval;	/* FUNC_EXIT/KRETPROBE: PRS_NO_VALUE if not recorded */
			uint64_t arg[2];	/* KPROBE: first two fetched args (e.g. gfp, order), PRS_NO_VALUE if absent */
			uint64_t alloc_flags;	/* KPROBE/KRETPROBE: the fetched arg named alloc_flags
						 * (get_page_from_freelist's), PRS_NO_VALUE if absent,
						 * PRS_BAD_VALUE if not a number */
			int depth;		/* FUNC_*: call depth, -1 unknown */
		} fn;
		/* PAGE_ALLOC, RECLAIM_BEGIN, MEMCG_RECLAIM_BEGIN, WAKEUP_KSWAPD, KSWAPD_WAKE, TRY_COMPACT */
		struct {
			uint64_t pfn;		/* PAGE_ALLOC; PRS_NO_VALUE if absent */
			uint64_t gfp;		/* numeric gfp, PRS_NO_VALUE when only the symbolic form is known */
			const char *gfp_str;	/* symbolic gfp as the kernel prints it (interned), or NULL */
			int32_t order;		/* -1 absent */
			int32_t migratetype;	/* PAGE_ALLOC, -1 absent */
			int32_t nid;		/* WAKEUP_KSWAPD, KSWAPD_WAKE, -1 absent */
			int32_t zid;		/* WAKEUP_KSWAPD, KSWAPD_WAKE, -1 absent */
			int32_t prio;		/* TRY_COMPACT priority, -1 absent */
			/*
			 * PAGE_ALLOC: 1 a page, 0 a NULL page (a failed allocation:
			 * "page=(null)", "(nil)", 0, or pfn -1), -1 the event does not
			 * say (neither a page nor a pfn field: a vendor or old format).
			 */
			int32_t page;
		} mm;
		/* RECLAIM_END, MEMCG_RECLAIM_END */
		struct {
			uint64_t nr_reclaimed;
		} reclaim;
		/* KSWAPD_SLEEP */
		struct {
			int32_t nid;
		} kswapd;
		/* COMPACT_BEGIN, COMPACT_END, COMPACT_SUITABLE/DEFERRED/FINISHED */
		struct {
			int32_t sync;		/* BEGIN/END: 1 sync, 0 async, -1 absent */
			int32_t order;		/* SUITABLE/DEFERRED/FINISHED: -1 absent */
			int32_t status;		/* END: numeric status, INT32_MIN when only symbolic */
			const char *status_str;	/* END/SUITABLE/FINISHED: symbolic (interned) or NULL */
		} compact;
		/* LRU_SHRINK: mm_vmscan_lru_shrink_inactive / _active */
		struct {
			uint64_t nr_scanned;	/* _inactive only; PRS_NO_VALUE absent (_active) */
			uint64_t nr_reclaimed;	/* _inactive only; PRS_NO_VALUE absent (_active) */
			int32_t nid;		/* -1 absent */
			int32_t priority;	/* scan priority, DEF_PRIORITY 12 .. 0; -1 absent */
		} lru;
		/* MARK_VICTIM */
		struct {
			int32_t pid;
		} victim;
		/*
		 * RECLAIM_RETRY (reclaim_retry_zone: one line per zone and round):
		 * loops = no_progress_loops, verdict = wmark_check, nid = node.
		 * COMPACT_RETRY: loops = retries, max = max_retries, verdict = should_retry.
		 * -1 absent.  zone: RECLAIM_RETRY's zone, its index (trace.dat
		 * zone_idx) or, in text, one number per zone name (DMA 0, DMA32 1,
		 * Normal 2, HighMem 3, Movable 4, Device 5, others from 16): the
		 * same zone, the same number within a file.
		 */
		struct {
			int32_t order;
			int32_t loops;
			int32_t max;
			int32_t verdict;
			int32_t nid;
			int32_t zone;
		} retry;
		/* THROTTLED, CONGESTION_WAIT: the sleep is over when the event fires */
		struct {
			int32_t nid;
			int32_t usec_timeout;
			int32_t usec_delayed;	/* time slept, us; -1 absent */
		} throttle;
		/*
		 * WRITEPAGE: pageout() wrote a dirty page (folio) for reclaim;
		 * file 1 RECLAIM_WB_FILE, 0 RECLAIM_WB_ANON (swap), -1 not said.
		 */
		struct {
			uint64_t pfn;		/* PRS_NO_VALUE absent */
			int32_t file;
		} wp;
		/* SCHED_SWITCH (the event's own pid/comm is the CPU's current task) */
		struct {
			int32_t prev_pid;
			int32_t next_pid;
			const char *prev_comm;	/* valid until next prs_next() */
			const char *next_comm;
			char prev_state;	/* 'R', 'S', 'D', ... ; '?' unknown */
		} sw;
		/* PRINT */
		struct {
			const char *text;	/* marker text without trailing newline; valid until next prs_next() */
			size_t len;
		} print;
		/* LOST */
		struct {
			uint64_t count;		/* events lost; 0 = unknown amount ("[LOST EVENTS]") */
		} lost;
		/*
		 * FRAME: one actual surface frame of SurfaceFlinger's frame timeline
		 * (Android 12+), at its end (ev->ts); ev->pid and ev->tgid: the app's
		 * process.  jank_type: FrameTimelineEvent.JankType bits (0
		 * unspecified, 1 none); present_type: FrameTimelineEvent.PresentType.
		 */
		struct {
			uint64_t start_ts;
			int64_t token;		/* the app's vsync id (Choreographer#doFrame's) */
			int64_t display_token;	/* SurfaceFlinger's frame that showed it */
			const char *layer;	/* interned, "" when not given */
			uint32_t jank_type;
			int32_t present_type;
			int32_t on_time;	/* on_time_finish: 1, 0, -1 absent */
		} frame;
	} u;
};

/* Per-file statistics, kept by every reader. */
struct prs_name_count {
	const char	*name;		/* interned event name */
	enum prs_kind	kind;
	uint64_t	count;
};

struct prs_stats {
	uint64_t	events;			/* all events read, known or not */
	uint64_t	by_kind[PRS_EV__COUNT];
	uint64_t	lost_events;		/* sum of LOST counts */
	uint64_t	lost_markers;		/* LOST markers seen (some without a count) */
	/* trace.dat CPUSTAT options: the ring buffer's own per-CPU counts, summed */
	bool		cpustat_known;		/* the file carried them */
	uint64_t	overrun_reported;	/* "overrun:" (overwritten events) */
	uint64_t	dropped_reported;	/* "dropped events:" */
	uint64_t	lines;			/* text: lines read */
	uint64_t	skipped_lines;		/* text: lines that were not events (headers, banners) */
	uint64_t	bad_lines;		/* text: event lines that could not be parsed */
	uint64_t	bad_fields;		/* an event whose field could not be read */
	/*
	 * Perfetto's frame timeline: surface-frame starts and ends that did
	 * not pair (an end whose start is not in the trace, a start without an
	 * end by the trace's end or without cookie, token or pid): no FRAME.
	 */
	uint64_t	frames_unpaired;
	uint64_t	elided_lines;		/* text: "...", "(...)", "[...]", "<snip>": where whoever
						 * cut the excerpt left lines out (also skipped_lines) */
	uint64_t	quoted_lines;		/* text: lines a mail reply quoted ("> ", "> > "), read
						 * without the quote marks */
	uint64_t	wrapped_lines;		/* text: lines joined to the line before them, which a
						 * mailer had wrapped (after "TS:", or "name:", or inside
						 * the fields) */
	/*
	 * Timestamp order.  ts_backwards: events older than the previous event
	 * of their own CPU (a ring buffer is written in time order: a damaged
	 * or unreliable clock).  The first one is at ts_backwards_at on
	 * ts_backwards_cpu (-1: no CPU known), on ts_backwards_cpus CPUs in
	 * all, the largest step back ts_backwards_max ns.  ts_unordered:
	 * events older than an earlier event of another CPU (trace_pipe read
	 * live interleaves CPUs a little; per-CPU files concatenated do not
	 * make one time-ordered trace).
	 */
	uint64_t	ts_backwards;
	uint64_t	ts_backwards_at;
	uint64_t	ts_backwards_max;
	int32_t		ts_backwards_cpu;
	uint32_t	ts_backwards_cpus;
	uint64_t	ts_unordered;
	bool		ts_missing;		/* the format carried no timestamps (function_graph
						 * text without funcgraph-abstime): every ts is 0 */
	uint64_t	first_ts, last_ts;	/* ns, earliest and latest event (lost-event markers
						 * aside); first_ts = PRS_NO_VALUE when no events */
	int		nr_cpus;		/* from the file header, or max cpu + 1 seen */
	bool		nr_cpus_known;		/* the file gives the count (trace.dat header, trace-cmd
						 * report's "cpus=N", tracefs text's "#P:N"); else
						 * nr_cpus - 1 is only the highest CPU id seen */
	/*
	 * The file was cut short (prs_next() returned -PRS_ECUT): every event
	 * before cut_at (a line number with cut_line, else a byte offset; of
	 * the compressed file for zstd) was delivered, nothing after it exists.
	 */
	bool		cut;
	bool		cut_line;
	uint64_t	cut_at;
	const char	*container;		/* text: the file it came out of ("systrace HTML",
						 * "JSON systemTraceEvents"), or NULL: the file is the text */
	const struct prs_name_count *names;	/* events per name, in first-seen order */
	size_t		nr_names;
};

/* Options of prs_open(). */
enum {
	PRS_OPT_OTHER = 1u << 0,	/* also return PRS_EV_OTHER events */
	PRS_OPT_NO_LIBTRACECMD = 1u << 1, /* own streaming trace.dat reader (the default) */
	PRS_OPT_LIBTRACECMD = 1u << 2,	/* trace.dat through libtracecmd (a cross-check;
					 * holds decompressed CPU data in memory) */
	PRS_OPT_AHEAD = 1u << 3,	/* decode on a thread of the reader's own, ahead of
					 * the caller: the same stream, in batches; trace.dat
					 * and uncompressed text (zstd text has its thread).
					 * prs_stats() before the end stops it */
};

struct prs_reader;

/*
 * Open @path, detect its format from its content, and prepare to stream.
 * Returns 0 and sets *out, or a negative PRS_E* code; on error *out is
 * still set when a reader was allocated, so that prs_errmsg() can be read,
 * and must be closed.  @path "-" is not supported (a trace is a file).
 */
int prs_open(const char *path, unsigned int flags, struct prs_reader **out);

/*
 * 1: *ev filled; 0: end of trace; <0: PRS_E* error (see prs_errmsg()).
 * -PRS_ECUT: the file ends early (a text file cut inside a line, a zstd
 * stream cut inside a frame) after every event before the cut was
 * returned: a caller may use them, marked as a partial trace
 * (prs_stats()->cut, cut_at).
 */
int prs_next(struct prs_reader *r, struct prs_event *ev);

const char *prs_errmsg(const struct prs_reader *r);	/* "FILE: offset N: reason" */
enum prs_format prs_format(const struct prs_reader *r);
bool prs_compressed(const struct prs_reader *r);	/* zstd around the text, gzip or zip around a trace */
/*
 * What held the trace, or NULL (a file of its own): "gzip", "zip entry
 * NAME" (the entry of a bugreport .zip that was read).
 */
const char *prs_container(const struct prs_reader *r);
const struct prs_stats *prs_stats(const struct prs_reader *r);

/*
 * What the file's header says, where it says it (trace.dat): kernel
 * release (from uname in the file, or NULL), clock, buffer instances.
 */
const char *prs_kernel(const struct prs_reader *r);
const char *prs_clock(const struct prs_reader *r);
/*
 * trace.dat's header page size: the ring buffer's page, which is the
 * kernel's page size unless buffer_subbuf_size_kb (6.8+) changed it; 0 for
 * text formats.
 */
uint32_t prs_page_size(const struct prs_reader *r);
int prs_nr_instances(const struct prs_reader *r);	/* 0 = top buffer only */
const char *prs_instance_name(const struct prs_reader *r, int i);

/*
 * The kernel's vmstat counters as the trace itself carries them (Perfetto
 * sys_stats): the earliest (@after false) or the latest snapshot as
 * /proc/vmstat text ("name value" lines), *len bytes, and its timestamp
 * (the trace's clock domain when that is boot time, Perfetto's default).
 * NULL when the trace holds fewer than two snapshots.  Valid until
 * prs_close().
 */
const char *prs_vmstat(const struct prs_reader *r, bool after, uint64_t *ts, size_t *len);

void prs_close(struct prs_reader *r);

#endif /* ALLOCSCOPE_PARSERS_H */
