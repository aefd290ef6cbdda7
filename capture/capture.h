/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * capture — the recording side of allocscope: probe tracefs for what the
 * running kernel allows, set it up, record, and restore it exactly.
 *
 * Only this module touches tracefs.  It never prints and never exits: it
 * returns 0 or a negative CAP_E* code, and fills a message buffer the CLI
 * shows.  It does not use libtracecmd, so that the recorder links
 * statically (libtracefs, libtraceevent, libzstd are available as .a).
 *
 * Everything that reads the kernel goes through a root path (tracefs dir,
 * proc dir), so that tests can point it at a fake tree.
 */
#ifndef ALLOCSCOPE_CAPTURE_H
#define ALLOCSCOPE_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CAP_ERRORS							\
	_CE(OK,		"success"),					\
	_CE(NOMEM,	"out of memory"),				\
	_CE(NOTRACEFS,	"tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)"), \
	_CE(PERM,	"permission denied (run as root)"),		\
	_CE(MODE,	"the kernel cannot record in the requested mode"), \
	_CE(BUSY,	"another allocscope record is running"),	\
	_CE(SETUP,	"tracefs setup failed"),			\
	_CE(IO,		"I/O error"),					\
	_CE(ZSTD,	"zstd compression failed"),			\
	_CE(INVAL,	"invalid argument"),				\
	_CE(INTR,	"stopped by a signal before recording began")

#undef _CE
#define _CE(code, str) CAP_E##code
enum cap_errno { CAP_ERRORS, CAP_E__LAST };
#undef _CE

const char *cap_strerror(int code);

enum cap_mode {
	CAP_MODE_AUTO = 0,
	CAP_MODE_GRAPH,
	CAP_MODE_RETPROBE,
	CAP_MODE_EVENTS,
	CAP_MODE_CROSS,		/* graph, retprobe and freelist at once, to check one against the other */
	CAP_MODE_FREELIST,	/* one probe on get_page_from_freelist() with its alloc_flags */
	CAP_MODE__COUNT
};

const char *cap_mode_name(enum cap_mode mode);
int cap_mode_parse(const char *s, enum cap_mode *out);	/* 0 ok, -1 unknown */

/* Allocator functions a plan may trace, in slow-path order. */
enum cap_func {
	CAP_FN_ALLOC = 0,		/* the alloc entry, name depends on the kernel */
	CAP_FN_GPFF,			/* get_page_from_freelist */
	CAP_FN_WAKE_KSWAPDS,		/* wake_all_kswapds */
	CAP_FN_SLOWPATH,		/* __alloc_pages_slowpath */
	CAP_FN_DIRECT_COMPACT,		/* __alloc_pages_direct_compact */
	CAP_FN_DIRECT_RECLAIM,		/* __alloc_pages_direct_reclaim */
	CAP_FN_PERFORM_RECLAIM,		/* __perform_reclaim */
	CAP_FN_TRY_TO_FREE,		/* try_to_free_pages */
	CAP_FN_MAY_OOM,			/* __alloc_pages_may_oom */
	CAP_FN_OOM,			/* out_of_memory */
	CAP_FN_BULK,			/* the bulk allocator (5.13+), probed apart from the mode */
	CAP_FN_NOLOCK,			/* the nolock allocation (6.15+), name depends on the kernel */
	CAP_FN__COUNT,
};

/* Tracepoints recorded in every mode (DESIGN.md). */
enum { CAP_MAX_EVENTS = 24, CAP_NAME_MAX = 128 };

struct cap_event {
	char	system[32];
	char	name[64];
	bool	present;		/* events/<system>/<name>/format exists */
};

/* Where a list of names came from, for the plan and the markers. */
enum cap_src { CAP_SRC_NONE = 0, CAP_SRC_FILTER_FUNCS, CAP_SRC_KALLSYMS, CAP_SRC_UNAME };

/* What the kernel offers, as read from tracefs and /proc. */
struct cap_probe {
	char	tracing_dir[256];
	char	proc_dir[128];
	char	release[128];		/* uname -r (or proc/sys/kernel/osrelease) */
	int	kver_major, kver_minor;
	int	nr_cpus;		/* possible CPUs with a per_cpu/cpuN dir */
	long	page_size;		/* ring-buffer sub-buffer size in bytes */
	int	page_header;		/* bytes before the data in a page (timestamp + commit) */

	bool	has_instances;		/* instances/ exists */
	bool	tracers_readable;
	bool	top_function_graph;	/* function_graph in available_tracers */
	bool	inst_function_graph;	/* ... and usable inside an instance (probed on a scratch instance or assumed 6.12+) */
	bool	inst_graph_probed;
	bool	filter_funcs_readable;	/* available_filter_functions could be read */
	bool	set_ftrace_filter_writable;
	bool	has_set_graph_function;
	bool	has_max_graph_depth;
	bool	has_funcgraph_retval;	/* options/funcgraph-retval */
	bool	has_kprobe_events;	/* kprobe_events file */
	bool	has_fprobe;		/* dynamic_events accepts f: (README) */
	bool	has_dynamic_events;
	bool	has_record_tgid;	/* options/record-tgid */
	bool	has_subbuf_size;	/* buffer_subbuf_size_kb (6.8+) */
	bool	has_copy_marker;	/* options/copy_trace_marker (6.17+): an instance can get
					 * the top-level trace_marker's writes */
	bool	has_btf_args;		/* README: probe arguments by BTF name (6.5+, PROBE_EVENTS_BTF_ARGS) */
	bool	has_ret_args;		/* README: return probes fetch entry arguments, $arg<N> (6.9+) */
	bool	has_page_alloc;		/* events/kmem/mm_page_alloc exists */
	char	arch[32];		/* uname -m: which register holds the third argument */

	/*
	 * get_page_from_freelist()'s third argument in the kernel's BTF
	 * (/sys/kernel/btf/vmlinux): CAP_BTF_* below, and the name BTF gives it.
	 */
	int	gpff_btf;
	char	gpff_btf_arg[64];
	char	gpff_clone[CAP_NAME_MAX];	/* a compiler clone of it (.isra.0, ...), "" none */
	bool	gpff_plain;		/* get_page_from_freelist itself, unsuffixed, is listed */

	enum cap_src func_src;		/* where function names were looked up */
	char	func[CAP_FN__COUNT][CAP_NAME_MAX];	/* "" = not traceable / not found */

	struct cap_event events[CAP_MAX_EVENTS];
	int	nr_events;
	int	nr_events_present;

	char	why_not_graph[160];	/* "" when graph is possible */
	char	why_not_retprobe[160];
	char	why_not_freelist[256];
};

/* What the kernel's BTF says of get_page_from_freelist()'s third argument (cap_probe.gpff_btf). */
enum {
	CAP_BTF_NONE = 0,	/* no BTF file, or unreadable: nothing checked */
	CAP_BTF_ALLOC_FLAGS,	/* every prototype's third argument is alloc_flags */
	CAP_BTF_OTHER,		/* it is another one, or absent: the compiler changed the arguments */
	CAP_BTF_MISSING,	/* BTF has no such function (pahole leaves out changed prototypes) */
	CAP_BTF_BAD,		/* the file does not parse as BTF */
};

/*
 * The name of parameter @idx (0-based) of @func in the BTF file @path, into
 * @name: 0 when every BTF prototype of @func agrees on it; 1 when they
 * disagree or one lacks it (@name: the first seen, or ""); -CAP_EMODE when
 * @func is not in BTF, -CAP_EIO unreadable, -CAP_EINVAL not BTF.
 */
int cap_btf_param_name(const char *path, const char *func, int idx, char *name, size_t len);

/*
 * Probe @tracing_dir (NULL: find the mount with libtracefs) and @proc_dir
 * (NULL: "/proc").  Fills @p; returns 0, or CAP_ENOTRACEFS / CAP_EPERM when
 * nothing can be recorded.  Never writes anything.
 */
int cap_probe_run(const char *tracing_dir, const char *proc_dir, struct cap_probe *p);

/*
 * Match a function name from available_filter_functions or kallsyms
 * against a wanted base name: exact, or with a compiler suffix
 * (.constprop.N, .isra.N, .part.N, .cold is refused).  Exposed for tests.
 */
bool cap_func_matches(const char *have, const char *want);

/* "6.12.30-android16-5" -> 6, 12: 0, or -1 when @release does not start with MAJOR.MINOR. */
int cap_kernel_version(const char *release, int *major, int *minor);
/* The kernel version's alloc entry name when no list could be read. */
const char *cap_alloc_entry_for_version(int major, int minor);

/* The recording plan: what record will do, printed by --dry-run. */
struct cap_plan {
	enum cap_mode	mode;
	enum cap_mode	requested;
	bool		text;		/* --text: trace_pipe text instead of trace.dat */
	bool		use_instance;	/* record into instances/<instance> */
	bool		graph_top;	/* function_graph at the top level (older kernels) */
	bool		use_fprobe;	/* retprobe through fprobe events (no kprobe_events) */
	bool		bulk_probe;	/* kretprobe on the bulk allocator: its pages count in
					 * pgalloc without mm_page_alloc (every mode, where it can) */
	bool		nolock_probe;	/* retprobe: kprobe + kretprobe on the nolock allocation */
	bool		funcgraph_retval;
	bool		record_tgid;
	bool		frames;		/* --frames: the apps' trace_marker writes too (atrace) */
	bool		copy_marker;	/* ... through our instance's copy_trace_marker; else the
					 * recording runs in the top-level buffer (top_level) */
	bool		top_level;	/* record in the top-level buffer, the instance kept as a lock */
	bool		freelist;	/* the freelist probe (freelist, and cross where it can) */
	bool		fl_return;	/* ... as a return probe with alloc_flags and the result (6.9+) */
	int		max_graph_depth;
	char		instance[64];
	unsigned long	buffer_kb;	/* per CPU */
	unsigned long	est_allocs_per_s;	/* 0 = not estimated */
	unsigned long	est_switches_per_s;	/* context switches (sched_switch events) */
	int		nr_funcs;
	char		funcs[CAP_FN__COUNT][CAP_NAME_MAX];	/* traced functions, funcs[0] = alloc entry */
	char		why[256];	/* why this mode (auto) */
	char		why_no_freelist[256];	/* cross without the freelist probe: why */
};

#define CAP_INSTANCE_NAME "allocscope"

/* What the system does per second, measured before recording (cap_estimate_rates()). */
struct cap_rates {
	unsigned long	allocs_per_s;		/* pgalloc_* of /proc/vmstat */
	unsigned long	switches_per_s;		/* ctxt of /proc/stat */
};

/*
 * Make a plan from a probe.  @requested may be CAP_MODE_AUTO.  @buffer_kb 0
 * = choose from @est (NULL: not measured).  Returns 0 or CAP_EMODE with the
 * reason in @plan->why.
 */
int cap_plan_make(const struct cap_probe *p, enum cap_mode requested, bool text,
		  unsigned long buffer_kb, const struct cap_rates *est, struct cap_plan *plan);

/*
 * --frames: also record what apps write to the top-level trace_marker (the
 * atrace slices of frames): our instance copies them where the kernel can
 * (copy_trace_marker, 6.17+), else everything is recorded at the top level.
 */
void cap_plan_frames(const struct cap_probe *p, struct cap_plan *plan);

/*
 * A Perfetto TraceConfig in text proto (cap-perfetto.c) that records what
 * @mode needs with the perfetto binary of an Android device: events (auto)
 * or graph (with @kernel, the target's release: the alloc entry's name);
 * retprobe and cross are refused (Perfetto's kprobes carry no return values).
 * 0, or -CAP_EMODE with the reason in @err.
 */
struct cap_perfetto_opts {
	enum cap_mode	mode;
	uint64_t	duration_ms;	/* 0: 10 s */
	unsigned long	buffer_kb;	/* the kernel's per-CPU buffer; 0: from the rate */
	unsigned long	alloc_rate;	/* expected page allocations/s; 0: 100,000 */
	const char	*kernel;	/* the target's release (graph) */
	const char	*app;		/* an app's own atrace slices (atrace_apps), or NULL */
	const char	*version;	/* allocscope's, for the header comment */
};
int cap_perfetto_config(const struct cap_perfetto_opts *o, FILE *f, char *err, size_t errlen);

/* Print the plan (--dry-run), one fact per line. */
void cap_plan_print(const struct cap_probe *p, const struct cap_plan *plan, FILE *f);

/* What a plan records: function_graph (graph, cross), the kprobes (retprobe, cross). */
static inline bool cap_plan_graph(const struct cap_plan *pl)
{
	return pl->mode == CAP_MODE_GRAPH || pl->mode == CAP_MODE_CROSS;
}

static inline bool cap_plan_probes(const struct cap_plan *pl)
{
	return pl->mode == CAP_MODE_RETPROBE || pl->mode == CAP_MODE_CROSS;
}

/*
 * The freelist probe's definitions, most exact first, each with the event's
 * name allocscope/freelist: its argument by BTF name (6.5+), by $arg3
 * (4.20+), by register (%dx x86-64, %x2 arm64; entry probes only), a return
 * probe where the kernel fetches entry arguments at return (6.9+).  Writes
 * at most @max into @defs (@len bytes each) and a label per definition into
 * @labels ("kretprobe, alloc_flags by BTF name"); returns how many.
 */
int cap_freelist_defs(const struct cap_probe *p, const struct cap_plan *pl, char (*defs)[256],
		      char (*labels)[96], int max);


/*
 * Allocation and context-switch rates from two reads of /proc/vmstat
 * (pgalloc_*) and /proc/stat (ctxt) @ms apart; 0 where unknown.
 */
void cap_estimate_rates(const char *proc_dir, unsigned int ms, struct cap_rates *out);

/*
 * A recording session.  cap_session_setup() changes tracefs and keeps a
 * journal of every change; cap_session_restore() undoes the journal in
 * reverse order, and is safe to call more than once and after a partial
 * setup.
 */
struct cap_session;

int cap_session_new(const struct cap_probe *p, const struct cap_plan *plan,
		    struct cap_session **out, char *err, size_t errlen);
int cap_session_setup(struct cap_session *s, char *err, size_t errlen);
int cap_session_start(struct cap_session *s);		/* tracing_on = 1 */
int cap_session_stop(struct cap_session *s);		/* tracing_on = 0 */
/* function_graph rooted at the alloc entry works in this instance (else graph runs at the top level) */
bool cap_instance_can_graph(const char *inst_dir);
/* Restore tracefs; returns 0 or the number of changes that could not be undone (negative). */
int cap_session_restore(struct cap_session *s, char *err, size_t errlen);
void cap_session_free(struct cap_session *s);

/* The directory events are recorded in (instance or top), and per-CPU raw pipes. */
const char *cap_session_dir(const struct cap_session *s);
int cap_session_open_raw(struct cap_session *s, int cpu);	/* fd of per_cpu/cpuN/trace_pipe_raw, O_NONBLOCK */
int cap_session_open_text(struct cap_session *s);		/* fd of trace_pipe, O_NONBLOCK */

/* Ground-truth markers (docs/capture-format.md). */
int cap_marker(struct cap_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cap_snapshot_begin(struct cap_session *s, const char *extra_options[], int nr_extra);
int cap_snapshot_end(struct cap_session *s);

/* Per-CPU ring-buffer statistics. */
struct cap_cpustat {
	uint64_t	entries, overrun, commit_overrun, dropped, read_events;
	char		raw[512];	/* the stats file as read */
};
int cap_cpustat_read(const char *dir, int cpu, struct cap_cpustat *st);

/*
 * Snapshot writers: emit one marker line per fact through @emit.  Exposed
 * for tests (point @proc_dir at a fake tree).  Return the number of lines.
 */
typedef int (*cap_emit_fn)(void *ctx, const char *line);
int cap_emit_vmstat(const char *proc_dir, cap_emit_fn emit, void *ctx);
int cap_emit_meminfo(const char *proc_dir, cap_emit_fn emit, void *ctx);
int cap_emit_watermarks(const char *proc_dir, cap_emit_fn emit, void *ctx);
int cap_emit_kswapd(const char *proc_dir, cap_emit_fn emit, void *ctx);

/* ---- trace.dat v7 writer (capture/tracedat.c) -------------------------- */

struct cap_tdat;

/* Option and section ids of trace.dat v7 (man 5 trace-cmd.dat.v7). */
enum {
	CAP_TD_OPT_DONE		= 0,
	CAP_TD_OPT_DATE		= 1,
	CAP_TD_OPT_CPUSTAT	= 2,
	CAP_TD_OPT_BUFFER	= 3,
	CAP_TD_OPT_TRACECLOCK	= 4,
	CAP_TD_OPT_UNAME	= 5,
	CAP_TD_OPT_HOOK		= 6,
	CAP_TD_OPT_OFFSET	= 7,
	CAP_TD_OPT_CPUCOUNT	= 8,
	CAP_TD_OPT_VERSION	= 9,
	CAP_TD_OPT_STRINGS	= 15,
	CAP_TD_OPT_HEADER_INFO	= 16,
	CAP_TD_OPT_FTRACE_EVENTS = 17,
	CAP_TD_OPT_EVENT_FORMATS = 18,
	CAP_TD_OPT_KALLSYMS	= 19,
	CAP_TD_OPT_PRINTK	= 20,
	CAP_TD_OPT_CMDLINES	= 21,
};

/* A byte buffer the writer builds sections in. */
struct cap_buf {
	char	*data;
	size_t	len, cap;
};
int cap_buf_add(struct cap_buf *b, const void *p, size_t n);
int cap_buf_add_u16(struct cap_buf *b, uint16_t v);
int cap_buf_add_u32(struct cap_buf *b, uint32_t v);
int cap_buf_add_u64(struct cap_buf *b, uint64_t v);
int cap_buf_add_str(struct cap_buf *b, const char *s);	/* with its NUL */
int cap_buf_add_file(struct cap_buf *b, const char *path, size_t *len);	/* whole file */
void cap_buf_free(struct cap_buf *b);

/*
 * Create a v7 file on @fd (empty, seekable).  @page_size is the ring-buffer
 * page size; @zlevel the zstd level (0 = no compression, name "none").
 */
int cap_tdat_create(int fd, uint32_t page_size, int zlevel, struct cap_tdat **out);

/* Metadata sections; each adds its offset option (HEADER_INFO, ...). */
int cap_tdat_headers(struct cap_tdat *w, const char *header_page, size_t hp_len,
		     const char *header_event, size_t he_len);
/* @nr formats, each @fmt[i] of @len[i] bytes. */
int cap_tdat_ftrace_formats(struct cap_tdat *w, int nr, char *const fmt[], const size_t len[]);
struct cap_tdat_system {
	const char	*name;
	int		nr;
	char *const	*fmt;
	const size_t	*len;
};
int cap_tdat_event_formats(struct cap_tdat *w, int nr, const struct cap_tdat_system *sys);
int cap_tdat_kallsyms(struct cap_tdat *w, const char *data, size_t len);
int cap_tdat_printk(struct cap_tdat *w, const char *data, size_t len);
int cap_tdat_cmdlines(struct cap_tdat *w, const char *data, size_t len);

/* A plain option (UNAME, TRACECLOCK, CPUSTAT, VERSION, CPUCOUNT ...). */
int cap_tdat_option(struct cap_tdat *w, uint16_t id, const void *data, uint32_t len);
int cap_tdat_option_str(struct cap_tdat *w, uint16_t id, const char *s);

/*
 * Flyrecord data of one buffer: @nr_cpus files of raw ring-buffer pages
 * (@fds[i] read from offset 0 to @sizes[i], a multiple of the page size).
 * @name "" is the top buffer.
 */
int cap_tdat_buffer(struct cap_tdat *w, const char *name, const char *clock,
		    int nr_cpus, const int fds[], const uint64_t sizes[]);

/* Write the options and strings sections, patch the header; frees @w. */
int cap_tdat_finish(struct cap_tdat *w);
void cap_tdat_abort(struct cap_tdat *w);

/* Total compressed bytes written so far, for the summary. */
uint64_t cap_tdat_size(const struct cap_tdat *w);

/*
 * Collect the metadata of a live tracefs into @w: header_page/event of @dir,
 * all ftrace formats, the formats of every event of @systems (NULL-ended),
 * kallsyms, printk formats.  Used by record before tracefs is restored (kprobe
 * formats vanish with the probes).
 */
int cap_tdat_collect_metadata(struct cap_tdat *w, const char *tracing_dir, const char *dir,
			      const char *proc_dir, const char *const systems[]);

/* ---- the recording loop (capture/cap-record.c) ------------------------- */

/* What the loop tells its caller while it runs (cap_record_fn's @what). */
enum cap_record_what {
	CAP_REC_ERROR,		/* @code: a CAP_E* code; @msg: what failed */
	CAP_REC_EXEC_FAILED,	/* in the forked child, before _exit(127): @msg */
	CAP_REC_TRACING_ON,	/* tracing is on, the begin snapshot written */
	CAP_REC_TRACING_OFF,	/* tracing is off, the end snapshot written */
	CAP_REC_RESTORED,	/* tracefs is as it was found */
};
typedef void (*cap_record_fn)(void *ctx, enum cap_record_what what, int code, const char *msg);

struct cap_record_opts {
	int		out_fd;		/* the output, opened (and unlinked on failure) by the caller */
	const char	*output;	/* its name: the scratch files go next to it */
	bool		text;		/* trace_pipe text instead of trace.dat */
	int		zlevel;		/* zstd level of trace.dat sections */
	uint64_t	duration_ns;	/* 0 = until the command ends or a signal */
	char		**cmd;		/* COMMAND to run while recording, or NULL */
	bool		count_events;	/* count the events of the raw pages (for a summary) */
};

/* What one recording saw. */
struct cap_record_result {
	uint64_t	pages, bytes, events, missed_pages;
	double		seconds;
	int		nr_cpus;
	struct cap_cpustat *cpustat;	/* nr_cpus entries or NULL; cap_record_result_free() */
	bool		child_ran;	/* cmd was forked; child_status is its wait status */
	int		child_status;
	int		stop_signal;	/* the SIGINT/SIGTERM/SIGHUP/SIGQUIT that ended it, or 0 */
};

/*
 * Record with @plan into @o->out_fd: sets tracefs up (cap_session_*), runs
 * @o->cmd if given, reads until it ends, @o->duration_ns passes or a signal
 * comes, and restores tracefs on every path (also on error).  Installs
 * handlers for SIGINT, SIGTERM, SIGHUP, SIGQUIT (stop) and SIGCHLD, ignores
 * SIGPIPE.  Reports through @report (may be NULL).  Returns 0 (also when
 * the command failed: see @res->child_status) or a negative CAP_E* code.
 */
int cap_record(const struct cap_probe *p, const struct cap_plan *plan,
	       const struct cap_record_opts *o, cap_record_fn report, void *ctx,
	       struct cap_record_result *res);
void cap_record_result_free(struct cap_record_result *res);

#endif /* ALLOCSCOPE_CAPTURE_H */
