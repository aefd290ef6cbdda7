/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the Perfetto reader: the protobuf wire-format cursor, the byte
 * source under a trace (perfetto-src.c), the per-CPU time merge
 * (perfetto-merge.c) and the packet decoder (perfetto.c).
 *
 * Field numbers are those of Perfetto's protos/perfetto/trace/ definitions
 * (trace.proto, trace_packet.proto, the ftrace protos); the decoder is ours.
 */
#ifndef ALLOCSCOPE_PERFETTO_LOCAL_H
#define ALLOCSCOPE_PERFETTO_LOCAL_H

#include <zlib.h>

#include "parsers-local.h"

/* ---- limits -------------------------------------------------------------- */

#define PF_MAX_PACKET		(16u << 20)	/* one TracePacket (traced_probes' are KBs) */
/*
 * One compressed_packets, decompressed (upstream batches < 512 KB in; trace
 * packets compress ~10x).  libdeflate wants the whole output at once, so a
 * bomb costs this much memory before it is refused: kept well inside the
 * 64 MB the readers stay within.
 */
#define PF_MAX_INFLATED_MIB	16
#define PF_MAX_INFLATED		((unsigned)PF_MAX_INFLATED_MIB << 20)
#define PF_STR_(x)		#x
#define PF_STR(x)		PF_STR_(x)
#define PF_BOMB_FLOOR		(16u << 20)	/* a whole-file gzip: past this much output ... */
#define PF_BOMB_RATIO		1000u		/* ... expanding more than this is a bomb */
#define PF_MAX_QUEUED		(128u * 1024)	/* events held back for the time merge */
#define PF_WINDOW_NS		1000000000ull	/* an idle CPU's events may arrive this late */
#define PF_MAX_PIDS		(1u << 20)	/* task names kept */
#define PF_MAX_GENERIC		4096u		/* self-describing event formats kept */
#define PF_MAX_ZIP_ENTRIES	(1u << 20)
#define PF_HEAD			65536u		/* bytes looked at to recognize a trace */
#define PF_FTL_OPEN		1024u		/* frame timeline starts awaiting their ends
						 * (SurfaceFlinger writes each end right after
						 * its start) */

/* ---- wire format --------------------------------------------------------- */

enum { PB_VARINT = 0, PB_I64 = 1, PB_LEN = 2, PB_I32 = 5 };

/* A cursor over one message's bytes; every read checks against end. */
struct pb {
	const uint8_t	*p, *end;
};

/*
 * One field: its number, wire type, and value (scalar) or bytes (LEN).  id
 * and wt sit in different words on purpose: adjacent, GCC tests both with one
 * wide load over their two narrower stores, which the CPU cannot forward
 * (a store-forwarding stall per field: a quarter of the reader's time).
 */
struct pb_field {
	uint32_t	id;
	uint64_t	v;
	struct pb	sub;	/* PB_LEN: the payload */
	uint8_t		wt;
};

/* 0 and *v, or -1: truncated, or longer than 10 bytes */
static inline __attribute__((always_inline)) int pb_varint(struct pb *c, uint64_t *v)
{
	const uint8_t *p = c->p;
	uint64_t x;

	/* most tags, lengths and small values are one byte */
	if (p < c->end && !(*p & 0x80)) {
		*v = *p;
		c->p = p + 1;
		return 0;
	}
	if (c->end - p >= 10) {
		/* no bound check per byte: ten are there */
		x = p[0] & 0x7f;
		for (unsigned int i = 1; i < 10; i++) {
			x |= (uint64_t)(p[i] & 0x7f) << (7 * i);
			if (!(p[i] & 0x80)) {
				*v = x;
				c->p = p + i + 1;
				return 0;
			}
		}
		return -1;
	}
	x = 0;
	for (unsigned int shift = 0; p < c->end && shift < 70; shift += 7) {
		uint8_t b = *p++;

		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			c->p = p;
			return 0;
		}
	}
	return -1;
}

/*
 * The next field of @c: 1 with *f set, 0 at the end of the message, -1 on
 * damage (*why says what; c->p is where).  Groups (wire types 3/4, long
 * deprecated and never written by Perfetto) are damage.
 */
static inline __attribute__((always_inline)) int pb_next(struct pb *c, struct pb_field *f,
							 const char **why)
{
	uint64_t tag, len;
	const uint8_t *at = c->p;

	f->v = 0;
	f->sub.p = f->sub.end = NULL;
	if (c->p >= c->end)
		return 0;
	if (pb_varint(c, &tag)) {
		c->p = at;
		*why = "truncated field tag";
		return -1;
	}
	f->id = (uint32_t)(tag >> 3);
	f->wt = tag & 7;
	if (!f->id || tag >> 32) {
		c->p = at;
		*why = "field number 0 or beyond 2^29";
		return -1;
	}
	switch (f->wt) {
	case PB_VARINT:
		if (pb_varint(c, &f->v)) {
			*why = "truncated varint";
			return -1;
		}
		return 1;
	case PB_I64:
		if (c->end - c->p < 8) {
			*why = "truncated 64-bit field";
			return -1;
		}
		memcpy(&f->v, c->p, 8);
		f->v = le64toh(f->v);
		c->p += 8;
		return 1;
	case PB_I32: {
		uint32_t v32;

		if (c->end - c->p < 4) {
			*why = "truncated 32-bit field";
			return -1;
		}
		memcpy(&v32, c->p, 4);
		f->v = le32toh(v32);
		c->p += 4;
		return 1;
	}
	case PB_LEN:
		if (pb_varint(c, &len)) {
			*why = "truncated length";
			return -1;
		}
		if (len > (uint64_t)(c->end - c->p)) {
			*why = "length runs past the end of its message";
			return -1;
		}
		f->sub.p = c->p;
		f->sub.end = c->p + len;
		c->p += len;
		return 1;
	default:
		c->p = at;
		*why = "unknown wire type";
		return -1;
	}
}

static inline int64_t pb_zigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* ---- byte source (perfetto-src.c) ---------------------------------------- */

/*
 * One layer of bytes: a region of the file, or zlib/gzip/raw-deflate over
 * the layer below it.  Reads are buffered; off counts the layer's bytes
 * handed out (the offset an error names).
 */
struct pf_in;

/*
 * Open @r->path as a trace's bytes: the file itself, a gzip stream, or the
 * entry of a zip archive that holds a Perfetto trace (r's container string
 * says which).  @head/@n: the file's first bytes.  0 with *out set, or <0
 * after prs_fail().  *is_pf: the bytes start like a Perfetto trace.
 */
int pf_in_open(struct prs_reader *r, const uint8_t *head, size_t n, struct pf_in **out);
/* Up to @n bytes into @dst: the count (less than @n only at the end), or <0 after prs_fail(). */
ssize_t pf_in_read(struct prs_reader *r, struct pf_in *in, void *dst, size_t n);
/* Skip @n bytes: 0, 1 when the stream ended first, or <0 after prs_fail(). */
int pf_in_skip(struct prs_reader *r, struct pf_in *in, uint64_t n);
uint64_t pf_in_offset(const struct pf_in *in);
/* The stream ended inside a compressed layer (a cut .gz), not at its end. */
bool pf_in_cut(const struct pf_in *in);
void pf_in_close(struct pf_in *in);

/* The first packet of @p (@n bytes) looks like a Perfetto TracePacket. */
bool pf_looks_like_trace(const uint8_t *p, size_t n);

/*
 * Inflate @len bytes at @src (zlib, gzip or raw deflate: detected) into
 * *out (grown, *cap its size), at most @limit bytes: 0 and *out_len, or a
 * negative PRS_E* code with *why set (PRS_ELIMIT: the limit; PRS_ECORRUPT:
 * damaged).  zstd: the same for zstd_compressed_packets.
 */
int pf_inflate_all(const uint8_t *src, size_t len, uint8_t **out, size_t *cap, size_t limit,
		   size_t *out_len, const char **why);
int pf_unzstd_all(const uint8_t *src, size_t len, uint8_t **out, size_t *cap, size_t limit,
		  size_t *out_len, const char **why);

/* perfetto-vmstat.c: the /proc/vmstat name of a VmstatCounters id, or NULL */
const char *pf_vmstat_name(uint64_t key);

/* ---- blobs: the bytes events point into until they are handed out -------- */

struct pf_blob {
	struct pf_blob	*next;		/* free list */
	uint8_t		*data;
	size_t		cap, len;
	uint64_t	off;		/* offset of data[0] in the stream, for errors */
	bool		inflated;	/* bytes of a compressed_packets (offsets are within it) */
	uint64_t	inflated_at;	/* ... which sits at this offset of the stream */
	uint32_t	refs;		/* queued events pointing into it */
};

/* ---- the time merge (perfetto-merge.c) ----------------------------------- */

/* A decoded event waiting for its turn; text (PRINT) points into blob. */
struct pf_rec {
	struct prs_event	ev;
	struct pf_blob		*blob;
};

struct pf_cpuq {
	uint64_t	head_ts;	/* the timestamp of rec[head] while n > 0 (the heap's key) */
	struct pf_rec	*rec;		/* ring */
	uint32_t	cap, head, n;
	uint64_t	horizon;	/* the latest event of the CPU's last bundle */
	bool		seen;		/* a bundle of this CPU was read */
	int32_t		cur_pid;	/* the CPU's current task (compact sched_switch prev) */
	int		heap_at;	/* index in the heap, -1 when the queue is empty */
};

struct pf_merge {
	struct pf_cpuq	*q;		/* by CPU; q[nr_q - 1] is the CPU-less queue */
	int		nr_q;
	int		*heap;		/* queue indices by head timestamp */
	int		nr_heap;
	uint64_t	queued;
	uint64_t	newest;		/* latest timestamp read so far */
	uint64_t	first;		/* earliest timestamp of the first bundles */
	bool		have_first;
	uint64_t	min_empty_horizon;	/* over seen CPUs with an empty queue */
	bool		horizon_dirty;
	uint64_t	forced;		/* events handed out before the merge knew they were next */
};

/* The queue of @cpu (-1: events of no CPU), grown on demand; NULL: no memory or absurd CPU. */
struct pf_cpuq *pf_merge_q(struct pf_merge *m, int32_t cpu);
/* Append to @q (per-CPU time order is the caller's); NULL when out of memory. */
struct pf_rec *pf_merge_push(struct pf_merge *m, struct pf_cpuq *q);
/* Insert into @q at @ts's place in time order (rec->ev.ts set); NULL when out of memory. */
struct pf_rec *pf_merge_insert(struct pf_merge *m, struct pf_cpuq *q, uint64_t ts);
/* @q's bundle is complete up to @last_ts: the merge may hand out up to there. */
void pf_merge_bundle_done(struct pf_merge *m, struct pf_cpuq *q, uint64_t last_ts);
/*
 * The next event in time order if it is safe to hand out now (@eof: nothing
 * more comes), else NULL.  Its queue slot stays valid until pf_merge_pop().
 */
struct pf_rec *pf_merge_peek(struct pf_merge *m, bool eof);
void pf_merge_pop(struct pf_merge *m);
void pf_merge_free(struct pf_merge *m);

/* ---- the reader's state (perfetto.c), shared by its parts ---------------- */

/* FtraceEvent fields */
enum {
	FE_TIMESTAMP = 1, FE_PID = 2, FE_COMMON_FLAGS = 5,
	FE_PRINT = 3, FE_SCHED_SWITCH = 4, FE_SCHED_WAKEUP = 17, FE_SCHED_WAKING = 20,
	FE_RECLAIM_BEGIN = 46, FE_RECLAIM_END = 47, FE_KSWAPD_WAKE = 48, FE_KSWAPD_SLEEP = 49,
	FE_COMPACT_BEGIN = 99, FE_COMPACT_DEFERRED = 101, FE_COMPACT_END = 103,
	FE_COMPACT_FINISHED = 104, FE_COMPACT_SUITABLE = 110, FE_TRY_COMPACT = 111,
	FE_TASK_NEWTASK = 235, FE_TASK_RENAME = 236, FE_PAGE_ALLOC = 307, FE_GENERIC = 327,
	FE_MM_EVENT_RECORD = 328, FE_MARK_VICTIM = 334, FE_FUNCGRAPH_ENTRY = 437,
	FE_FUNCGRAPH_EXIT = 438, FE_SHRINK_SLAB_START = 443, FE_SHRINK_SLAB_END = 444,
	FE_KPROBE = 542, FE_MEMCG_RECLAIM_BEGIN = 607, FE_MEMCG_RECLAIM_END = 608,
};
#define FE_TYPED_MAX	1024	/* typed event ids below this get a cached name slot */
#define FE_GENERIC_MIN	65536	/* self-describing events (FtraceEvent reserves 65536..131072) */

struct pf_type {
	const char	*name;		/* interned; NULL: not resolved yet */
	enum prs_kind	kind;
	long		slot;
};

/* A self-describing event's format (FtraceEventBundle.generic_event_descriptors). */
struct pf_gfield {
	uint32_t	number;
	uint8_t		type;		/* FieldDescriptorProto.Type */
	const char	*name;		/* interned */
};

struct pf_gdesc {
	uint32_t	field_id;
	struct pf_type	t;
	uint32_t	nf;
	struct pf_gfield *f;
};

struct pf_pid {
	int32_t		pid;		/* 0: empty slot (pid 0 lives in pid0) */
	int32_t		tgid;
	const char	*comm;		/* interned */
	uint8_t		prio;		/* where comm came from: NAME_SWITCH < NAME_TASK */
};

/*
 * A task's name, as trace_processor ranks them: process_tree and the task
 * events (task_newtask, task_rename) over sched_switch's comms, which only
 * name a task nothing else named.
 */
enum { NAME_NONE, NAME_SWITCH, NAME_TASK };

struct pf_ksym {
	uint64_t	key;		/* iid; 0: empty */
	uint32_t	seq;
	const char	*name;		/* interned */
};

/* The compact_sched arrays of one bundle, decoded. */
struct pf_csw {
	uint64_t	ts;
	int64_t		prev_state;
	int32_t		next_pid;
	uint32_t	comm;		/* index into the bundle's intern table */
};

/* A frame timeline start (FrameTimelineEvent) until the FrameEnd of its cookie. */
struct pf_ftl {
	int64_t		cookie;
	uint64_t	ts;
	int64_t		token, display_token;
	const char	*layer;		/* interned */
	uint32_t	jank_type;
	int32_t		pid, present_type, on_time;
	bool		actual;		/* an actual surface frame: a FRAME at its end (the
					 * expected ones and SurfaceFlinger's display frames are
					 * paired and dropped) */
	bool		used;
};

struct pf {
	struct pf_in		*in;
	struct pf_merge		m;
	struct pf_blob		*free_blobs;
	uint64_t		held_bytes;	/* blobs that queued PRINT events point into */
	bool			eof;
	int			end_ret;	/* 0, or -PRS_ECUT after the last event */
	uint64_t		pkt_off;	/* stream offset of the packet being decoded */
	struct pf_blob		*blob;		/* ... and its bytes */

	struct pf_type		types[FE_TYPED_MAX];
	struct pf_gdesc		*gdesc;
	uint32_t		nr_gdesc;

	struct pf_pid		*pids;
	size_t			pid_cap, pid_used;
	struct pf_pid		pid0;

	struct pf_ksym		*ksyms;
	size_t			ksym_cap, ksym_used;

	struct pf_csw		*csw;		/* compact sched_switch of the bundle being read */
	size_t			csw_cap;
	uint64_t		*cwk;		/* compact sched_waking timestamps */
	size_t			cwk_cap;
	const char		**itab;		/* the bundle's compact intern table, interned */
	size_t			itab_cap;

	/* ftrace_stats: per CPU at START_OF_TRACE and END_OF_TRACE */
	uint64_t		overrun[2], dropped[2];
	bool			stats_phase[2];

	/* sys_stats: the earliest and the latest vmstat snapshot, as /proc/vmstat text */
	char			*vm_text[2];
	size_t			vm_len[2];
	uint64_t		vm_ts[2];
	bool			vm_have;
	const char		*lost_name;
	char			where_note[64];	/* offsets are in the decompressed trace: which */
	char			*text;
	size_t			text_cap;
	struct pf_ftl		*ftl;		/* ring of PF_FTL_OPEN */
	uint32_t		ftl_head, ftl_n;
	bool			ftl_counted;	/* the unpaired starts at the end are counted */
	struct pf_type		frame_type;	/* FRAME events' name and count slot */
	uint64_t		packets;
	size_t			inflated_hint;	/* the largest decompressed packets so far, + 25 % */
	/* the last pid handed out, its name and tgid (runs of one task's events) */
	int32_t			last_pid;
	uint32_t		last_gen;
	uint32_t		pid_gen;	/* bumped when a name or tgid changes */
	const char		*last_comm;
	int32_t			last_tgid;
	bool			last_named;
};

/* perfetto.c: the stream offset of @p in the packet being read (of its compressed packet, inside one) */
uint64_t pf_where(const struct pf *pf, const uint8_t *p);
/* perfetto.c: damage at @at, one line with the offset (0 never: always <0) */
int pf_damaged(struct prs_reader *r, struct pf *pf, const uint8_t *at, const char *what,
	       const char *why);

/* perfetto-tables.c */
struct pf_pid *pf_pid_slot(struct pf *pf, int32_t pid, bool add);
void pf_pid_name(struct prs_reader *r, struct pf *pf, int32_t pid, const char *s, size_t len,
		 uint8_t prio);
void pf_pid_tgid(struct pf *pf, int32_t pid, int32_t tgid);
struct pf_ksym *pf_ksym_slot(struct pf *pf, uint32_t seq, uint64_t iid, bool add);
void pf_ksym_clear(struct pf *pf, uint32_t seq);
/* the name, kind and count slot of typed event @id (NULL: no memory, or beyond FE_TYPED_MAX) */
const struct pf_type *pf_typed_type(struct prs_reader *r, struct pf *pf, uint32_t id);
/* an event named at run time (generic, kprobe): kind given, slot looked up */
int pf_named_type(struct prs_reader *r, const char *s, size_t len, enum prs_kind kind,
		  struct pf_type *t);
const struct pf_gdesc *pf_descriptor(const struct pf *pf, uint32_t id);

/* perfetto-events.c: 0 or <0 (damage after prs_fail(), or -PRS_ENOMEM) */
char pf_state_letter(int64_t v);
int pf_decode_typed(struct prs_reader *r, struct pf *pf, uint32_t id, struct pb m,
		    struct prs_event *ev, uint32_t seq);
int pf_task_names(struct prs_reader *r, struct pf *pf, uint32_t id, struct pb m);
int pf_decode_generic(struct prs_reader *r, struct pf *pf, struct pb m, struct prs_event *ev,
		      struct pf_type *t);
int pf_decode_described(struct prs_reader *r, struct pf *pf, const struct pf_gdesc *d,
			struct pb m, struct prs_event *ev);
int pf_add_descriptor(struct prs_reader *r, struct pf *pf, struct pb m);

#endif /* ALLOCSCOPE_PERFETTO_LOCAL_H */
