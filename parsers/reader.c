// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reader object: format detection, error messages, event-name counts
 * and string interning shared by every format.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parsers-local.h"

#undef _PE
#define _PE(code, str) str
static const char *const prs_errstr[] = { PRS_ERRORS };
#undef _PE

const char *prs_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= PRS_E__LAST)
		return "unknown error";
	return prs_errstr[code];
}

#undef _PK
#define _PK(kind, name) name
static const char *const prs_kind_names[] = { PRS_KINDS };
#undef _PK

const char *prs_kind_name(enum prs_kind kind)
{
	if ((unsigned int)kind >= PRS_EV__COUNT)
		return "?";
	return prs_kind_names[kind];
}

const char *prs_format_name(enum prs_format fmt)
{
	switch (fmt) {
	case PRS_FMT_TRACE_DAT:		return "trace.dat";
	case PRS_FMT_FTRACE_TEXT:	return "ftrace-text";
	case PRS_FMT_FGRAPH_TEXT:	return "function_graph-text";
	case PRS_FMT_PERF_SCRIPT:	return "perf-script";
	case PRS_FMT_PERFETTO:		return "perfetto";
	default:			return "unknown";
	}
}

/* Tracepoint names the analyzer uses, whatever system they come from. */
static const struct {
	const char	*name;
	enum prs_kind	kind;
} prs_tracepoints[] = {
	{ "mm_page_alloc",			PRS_EV_PAGE_ALLOC },
	{ "mm_vmscan_direct_reclaim_begin",	PRS_EV_RECLAIM_BEGIN },
	{ "mm_vmscan_direct_reclaim_end",	PRS_EV_RECLAIM_END },
	{ "mm_vmscan_wakeup_kswapd",		PRS_EV_WAKEUP_KSWAPD },
	{ "mm_vmscan_kswapd_wake",		PRS_EV_KSWAPD_WAKE },
	{ "mm_vmscan_kswapd_sleep",		PRS_EV_KSWAPD_SLEEP },
	{ "mm_compaction_begin",		PRS_EV_COMPACT_BEGIN },
	{ "mm_compaction_end",			PRS_EV_COMPACT_END },
	{ "mm_compaction_try_to_compact_pages",	PRS_EV_TRY_COMPACT },
	{ "mm_compaction_suitable",		PRS_EV_COMPACT_SUITABLE },
	{ "mm_compaction_deferred",		PRS_EV_COMPACT_DEFERRED },
	{ "mm_compaction_finished",		PRS_EV_COMPACT_FINISHED },
	{ "mm_vmscan_lru_shrink_inactive",	PRS_EV_LRU_SHRINK },
	{ "mm_vmscan_lru_shrink_active",	PRS_EV_LRU_SHRINK },
	/* memcg reclaim (memory.max/high, memory.reclaim) and v1 soft-limit reclaim */
	{ "mm_vmscan_memcg_reclaim_begin",	PRS_EV_MEMCG_RECLAIM_BEGIN },
	{ "mm_vmscan_memcg_reclaim_end",	PRS_EV_MEMCG_RECLAIM_END },
	{ "mm_vmscan_memcg_softlimit_reclaim_begin", PRS_EV_MEMCG_RECLAIM_BEGIN },
	{ "mm_vmscan_memcg_softlimit_reclaim_end", PRS_EV_MEMCG_RECLAIM_END },
	{ "mark_victim",			PRS_EV_MARK_VICTIM },
	/* the function tracer: "out_of_memory <-__alloc_pages_nodemask" */
	{ "function",				PRS_EV_FUNC_CALL },
	/* why a slow path loops (4.10+: oom system), what a reclaim spends its time in */
	{ "reclaim_retry_zone",			PRS_EV_RECLAIM_RETRY },
	{ "compact_retry",			PRS_EV_COMPACT_RETRY },
	{ "mm_shrink_slab_start",		PRS_EV_SHRINK_SLAB_BEGIN },
	{ "mm_shrink_slab_end",			PRS_EV_SHRINK_SLAB_END },
	{ "mm_vmscan_throttled",		PRS_EV_THROTTLED },
	/* congestion_wait() / wait_iff_congested() (2.6.37 .. 5.15): reclaim's sleeps before 5.16 */
	{ "writeback_congestion_wait",		PRS_EV_CONGESTION_WAIT },
	{ "writeback_wait_iff_congested",	PRS_EV_CONGESTION_WAIT },
	/* pageout(): a dirty page written for reclaim; _write_folio since 6.0 */
	{ "mm_vmscan_writepage",		PRS_EV_WRITEPAGE },
	{ "mm_vmscan_write_folio",		PRS_EV_WRITEPAGE },
	/* compact_zone()'s own steps: its run lasts at least until the last of them */
	{ "mm_compaction_isolate_migratepages",	PRS_EV_COMPACT_PROGRESS },
	{ "mm_compaction_isolate_freepages",	PRS_EV_COMPACT_PROGRESS },
	{ "mm_compaction_fast_isolate_freepages", PRS_EV_COMPACT_PROGRESS },
	{ "mm_compaction_migratepages",		PRS_EV_COMPACT_PROGRESS },
	{ "sched_switch",			PRS_EV_SCHED_SWITCH },
	{ "print",				PRS_EV_PRINT },
	/* ftrace text names trace_marker writes after the function that made them */
	{ "tracing_mark_write",			PRS_EV_PRINT },
};

enum prs_kind prs_kind_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(prs_tracepoints) / sizeof(prs_tracepoints[0]); i++) {
		const char *n = prs_tracepoints[i].name;

		if (strlen(n) == len && memcmp(n, name, len) == 0)
			return prs_tracepoints[i].kind;
	}
	return PRS_EV_OTHER;
}

/* ---- interning ---------------------------------------------------------- */

#define PRS_CHUNK	(64 * 1024)

struct prs_chunk {
	struct prs_chunk *next;
	char data[];
};

static char *prs_arena_alloc(struct prs_intern *in, size_t size)
{
	struct prs_chunk *c;
	size_t csize;
	char *p;

	if (size > in->arena_left) {
		csize = size > PRS_CHUNK ? size : PRS_CHUNK;
		c = malloc(sizeof(*c) + csize);
		if (!c)
			return NULL;
		c->next = in->chunks;
		in->chunks = c;
		in->arena = c->data;
		in->arena_left = csize;
	}
	p = in->arena;
	in->arena += size;
	in->arena_left -= size;
	return p;
}

static int prs_intern_grow(struct prs_intern *in)
{
	size_t cap = in->cap ? in->cap * 2 : 256;
	struct prs_intern_slot *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < in->cap; i++) {
		struct prs_intern_slot *o = &in->slots[i];
		size_t j;

		if (!o->str)
			continue;
		for (j = o->hash & (cap - 1); slots[j].str; j = (j + 1) & (cap - 1))
			;
		slots[j] = *o;
	}
	free(in->slots);
	in->slots = slots;
	in->cap = cap;
	return 0;
}

const char *prs_intern(struct prs_reader *r, const char *s, size_t len)
{
	struct prs_intern *in = &r->intern;
	uint32_t h = prs_hash(s, len);
	size_t j;
	char *copy;

	if (len > UINT32_MAX)
		return NULL;
	if ((in->used + 1) * 2 > in->cap && prs_intern_grow(in))
		return NULL;
	for (j = h & (in->cap - 1); in->slots[j].str; j = (j + 1) & (in->cap - 1)) {
		struct prs_intern_slot *sl = &in->slots[j];

		if (sl->hash == h && sl->len == len && memcmp(sl->str, s, len) == 0)
			return sl->str;
	}
	copy = prs_arena_alloc(in, len + 1);
	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	in->slots[j] = (struct prs_intern_slot){ .str = copy, .hash = h, .len = (uint32_t)len };
	in->used++;
	return copy;
}

static void prs_intern_free(struct prs_intern *in)
{
	struct prs_chunk *c = in->chunks;

	while (c) {
		struct prs_chunk *next = c->next;

		free(c);
		c = next;
	}
	free(in->slots);
	memset(in, 0, sizeof(*in));
}

/* ---- errors ------------------------------------------------------------- */

static int prs_vfail(struct prs_reader *r, int code, const char *pos,
		     const char *fmt, va_list ap)
{
	char reason[300];

	if (code > 0)
		code = -code;
	vsnprintf(reason, sizeof(reason), fmt, ap);
	/* reasons quote bytes of the file (a version, a name): one printable line */
	for (char *c = reason; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	snprintf(r->errmsg, sizeof(r->errmsg), "%s: %s%s", r->path, pos, reason);
	r->err = code;
	return code;
}

int prs_fail(struct prs_reader *r, int code, bool line, uint64_t where,
	     const char *fmt, ...)
{
	char pos[48];
	va_list ap;
	int ret;

	snprintf(pos, sizeof(pos), "%s %llu: ", line ? "line" : "offset",
		 (unsigned long long)where);
	if (code == PRS_ECUT || code == -PRS_ECUT) {
		r->stats.cut = true;
		r->stats.cut_line = line;
		r->stats.cut_at = where;
	}
	va_start(ap, fmt);
	ret = prs_vfail(r, code, pos, fmt, ap);
	va_end(ap);
	return ret;
}

int prs_fail_file(struct prs_reader *r, int code, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = prs_vfail(r, code, "", fmt, ap);
	va_end(ap);
	return ret;
}

const char *prs_errmsg(const struct prs_reader *r)
{
	return r->errmsg[0] ? r->errmsg : "no error";
}

/* ---- accounting --------------------------------------------------------- */

long prs_name_slot(struct prs_reader *r, const char *name, enum prs_kind kind)
{
	for (size_t i = 0; i < r->nr_names; i++)
		if (r->names[i].name == name)
			return (long)i;
	if (r->nr_names == r->names_cap) {
		size_t cap = r->names_cap ? r->names_cap * 2 : 32;
		struct prs_name_count *n = realloc(r->names, cap * sizeof(*n));

		if (!n)
			return -1;
		r->names = n;
		r->names_cap = cap;
	}
	r->names[r->nr_names] = (struct prs_name_count){ .name = name, .kind = kind };
	return (long)r->nr_names++;
}

/*
 * The per-CPU state of the order check: CPUs 0 .. PRS_MAX_CPUS - 1 get a slot
 * each (grown on demand); events of no known CPU, or of a CPU beyond that,
 * share r->ts_nocpu.  Memory stays bounded whatever the file claims.
 */
static struct prs_cpu_ts *prs_cpu_ts(struct prs_reader *r, int32_t cpu)
{
	if (cpu < 0 || cpu >= PRS_MAX_CPUS)
		return &r->ts_nocpu;
	if (cpu >= r->nr_cpu_ts) {
		int n = cpu + 1 > 2 * r->nr_cpu_ts ? cpu + 1 : 2 * r->nr_cpu_ts;
		struct prs_cpu_ts *c;

		if (n > PRS_MAX_CPUS)
			n = PRS_MAX_CPUS;
		c = realloc(r->cpu_ts, (size_t)n * sizeof(*c));
		if (!c)
			return &r->ts_nocpu;	/* no memory: a coarser check, not a failure */
		memset(c + r->nr_cpu_ts, 0, (size_t)(n - r->nr_cpu_ts) * sizeof(*c));
		r->cpu_ts = c;
		r->nr_cpu_ts = n;
	}
	return &r->cpu_ts[cpu];
}

/*
 * Timestamps must not go backwards on one CPU: each CPU's ring buffer is
 * written in time order.  Across CPUs a text trace may interleave (trace_pipe
 * read live hands out one CPU's events before an older event of another CPU
 * is committed), which is counted apart as ts_unordered.
 */
static void prs_check_order(struct prs_reader *r, const struct prs_event *ev)
{
	struct prs_stats *st = &r->stats;
	struct prs_cpu_ts *c = prs_cpu_ts(r, ev->cpu);

	if (c->seen && ev->ts < c->last_ts) {
		uint64_t back = c->last_ts - ev->ts;

		if (!st->ts_backwards) {
			st->ts_backwards_cpu = c == &r->ts_nocpu ? -1 : ev->cpu;
			st->ts_backwards_at = ev->ts;
		}
		st->ts_backwards++;
		if (!c->went_back) {
			c->went_back = true;
			st->ts_backwards_cpus++;
		}
		if (back > st->ts_backwards_max)
			st->ts_backwards_max = back;
		return;	/* the CPU's clock stays at its latest time */
	}
	if (r->have_ts && ev->ts < st->last_ts)
		st->ts_unordered++;
	c->seen = true;
	c->last_ts = ev->ts;
}

void prs_account(struct prs_reader *r, const struct prs_event *ev)
{
	struct prs_stats *st = &r->stats;

	st->events++;
	st->by_kind[ev->kind]++;
	if (ev->kind == PRS_EV_LOST) {
		st->lost_markers++;
		st->lost_events += ev->u.lost.count;
	}
	if (ev->cpu >= st->nr_cpus)
		st->nr_cpus = ev->cpu + 1;
	/* a lost-events marker carries the time the text reader placed it at
	 * (the latest so far, or 0 before any event): not the kernel's */
	if (ev->kind == PRS_EV_LOST)
		return;
	/* a frame comes when the compositor wrote it, after events of its time went out */
	if (ev->kind != PRS_EV_FRAME)
		prs_check_order(r, ev);
	/* the window: earliest and latest event, whatever order they came in */
	if (!r->have_ts) {
		st->first_ts = st->last_ts = ev->ts;
		r->have_ts = true;
		return;
	}
	if (ev->ts < st->first_ts)
		st->first_ts = ev->ts;
	if (ev->ts > st->last_ts)
		st->last_ts = ev->ts;
}

void prs_event_init(struct prs_event *ev, enum prs_kind kind)
{
	ev->kind = kind;
	ev->comm_per_pid = false;
	switch (kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE:
	case PRS_EV_FUNC_CALL:
		ev->u.fn.func = NULL;
		ev->u.fn.caller = NULL;
		ev->u.fn.duration = PRS_NO_VALUE;
		ev->u.fn.retval = PRS_NO_VALUE;
		ev->u.fn.arg[0] = ev->u.fn.arg[1] = PRS_NO_VALUE;
		ev->u.fn.alloc_flags = PRS_NO_VALUE;
		ev->u.fn.depth = -1;
		break;
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		ev->u.mm.pfn = PRS_NO_VALUE;
		ev->u.mm.gfp = PRS_NO_VALUE;
		ev->u.mm.gfp_str = NULL;
		ev->u.mm.order = -1;
		ev->u.mm.migratetype = -1;
		ev->u.mm.nid = -1;
		ev->u.mm.zid = -1;
		ev->u.mm.prio = -1;
		ev->u.mm.page = -1;
		break;
	case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
		ev->u.reclaim.nr_reclaimed = PRS_NO_VALUE;
		break;
	case PRS_EV_KSWAPD_SLEEP:
		ev->u.kswapd.nid = -1;
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_FINISHED:
		ev->u.compact.sync = -1;
		ev->u.compact.order = -1;
		ev->u.compact.status = INT32_MIN;
		ev->u.compact.status_str = NULL;
		break;
	case PRS_EV_LRU_SHRINK:
		ev->u.lru.nr_scanned = PRS_NO_VALUE;
		ev->u.lru.nr_reclaimed = PRS_NO_VALUE;
		ev->u.lru.nid = -1;
		ev->u.lru.priority = -1;
		break;
	case PRS_EV_MARK_VICTIM:
		ev->u.victim.pid = -1;
		break;
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
		ev->u.retry.order = ev->u.retry.loops = ev->u.retry.max = -1;
		ev->u.retry.verdict = ev->u.retry.nid = ev->u.retry.zone = -1;
		break;
	case PRS_EV_THROTTLED:
	case PRS_EV_CONGESTION_WAIT:
		ev->u.throttle.nid = ev->u.throttle.usec_timeout = ev->u.throttle.usec_delayed = -1;
		break;
	case PRS_EV_WRITEPAGE:
		ev->u.wp.pfn = PRS_NO_VALUE;
		ev->u.wp.file = -1;
		break;
	case PRS_EV_SCHED_SWITCH:
		ev->u.sw.prev_pid = ev->u.sw.next_pid = -1;
		ev->u.sw.prev_comm = ev->u.sw.next_comm = "";
		ev->u.sw.prev_state = '?';
		break;
	case PRS_EV_PRINT:
		ev->u.print.text = "";
		ev->u.print.len = 0;
		break;
	case PRS_EV_LOST:
		ev->u.lost.count = 0;
		break;
	case PRS_EV_FRAME:
		ev->u.frame.start_ts = 0;
		ev->u.frame.token = ev->u.frame.display_token = -1;
		ev->u.frame.layer = "";
		ev->u.frame.jank_type = 0;
		ev->u.frame.present_type = 0;
		ev->u.frame.on_time = -1;
		break;
	default:
		break;
	}
}

/* ---- open / next / close ------------------------------------------------ */

/* trace-cmd's file magic: "\027\010\104tracing" */
static const unsigned char prs_tracedat_magic[10] = {
	0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'
};

int prs_open(const char *path, unsigned int flags, struct prs_reader **out)
{
	static __thread unsigned char head[65536];	/* enough of a first packet to judge it */
	struct prs_reader *r;
	struct prs_input *in;
	struct stat st;
	ssize_t n;
	int fd, ret;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -PRS_ENOMEM;
	*out = r;
	r->path = path;
	r->flags = flags;
	r->stats.first_ts = PRS_NO_VALUE;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return prs_fail_file(r, PRS_EOPEN, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return prs_fail_file(r, PRS_EISDIR, "%s", prs_strerror(PRS_EISDIR));
	}
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return prs_fail(r, PRS_EIO, false, 0, "%s", strerror(errno));
	if (n == 0)
		return prs_fail(r, PRS_EEMPTY, false, 0, "empty file, no trace in it");

	if ((size_t)n >= sizeof(prs_tracedat_magic) &&
	    memcmp(head, prs_tracedat_magic, sizeof(prs_tracedat_magic)) == 0) {
		r->fmt = PRS_FMT_TRACE_DAT;
		ret = prs_tracedat_open(r);
		return ret < 0 || !(flags & PRS_OPT_AHEAD) ? ret : prs_ahead_start(r);
	}
	if (prs_perfetto_detect(head, (size_t)n)) {
		ret = prs_perfetto_open(r, head, (size_t)n);
		return ret < 0 || !(flags & PRS_OPT_AHEAD) ? ret : prs_ahead_start(r);
	}
	if (n >= 4 && memcmp(head, "PERFILE2", n >= 8 ? 8 : (size_t)n) == 0 && n >= 8)
		return prs_fail(r, PRS_EFORMAT, false, 0,
				"perf.data is binary; convert it with 'perf script' first");

	ret = prs_input_open(r, &in);
	if (ret < 0)
		return ret;
	r->compressed = prs_input_is_zstd(in);
	ret = prs_text_open(r, in);
	/* zstd text: the input's own thread decompresses and splits lines beside the reader;
	 * a third would share the two CPUs this is measured on without gaining (bench/) */
	return ret < 0 || !(flags & PRS_OPT_AHEAD) || r->compressed ? ret : prs_ahead_start(r);
}

int prs_next(struct prs_reader *r, struct prs_event *ev)
{
	int ret;

	if (r->ahead)
		return prs_ahead_next(r, ev);
	if (r->err)
		return r->err;
	if (!r->ops)
		return prs_fail_file(r, PRS_EFORMAT, "reader not open");
	ret = r->ops->next(r, ev);
	if (ret < 0 && !r->err)
		ret = prs_fail_file(r, ret, "%s", prs_strerror(ret));
	return ret;
}

enum prs_format prs_format(const struct prs_reader *r) { return r->fmt; }
bool prs_compressed(const struct prs_reader *r) { return r->compressed; }
/* what the trace was read out of: a Perfetto trace's gzip or zip entry, a text's page or JSON */
const char *prs_container(const struct prs_reader *r)
{
	return r->container ? r->container : r->stats.container;
}
const char *prs_kernel(const struct prs_reader *r) { return r->kernel; }
const char *prs_clock(const struct prs_reader *r) { return r->clock; }
uint32_t prs_page_size(const struct prs_reader *r) { return r->page_size; }
int prs_nr_instances(const struct prs_reader *r) { return r->nr_instances; }

const char *prs_instance_name(const struct prs_reader *r, int i)
{
	if (i < 0 || i >= r->nr_instances)
		return NULL;
	return r->instances[i];
}

const struct prs_stats *prs_stats(const struct prs_reader *r)
{
	struct prs_reader *w = (struct prs_reader *)r;

	prs_ahead_quiesce(w);
	w->stats.names = r->names;
	w->stats.nr_names = r->nr_names;
	return &r->stats;
}

void prs_close(struct prs_reader *r)
{
	if (!r)
		return;
	prs_ahead_free(r);
	if (r->ops && r->ops->close)
		r->ops->close(r);
	for (int i = 0; i < r->nr_instances; i++)
		free(r->instances[i]);
	free(r->instances);
	free(r->kernel);
	free(r->container);
	free(r->clock);
	free(r->names);
	free(r->cpu_ts);
	prs_intern_free(&r->intern);
	free(r);
}
