/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private to the trace.dat readers: the layout walk (tracedat.c), the
 * per-event-id field resolution and decoding they share, the streaming
 * reader (tracedat-stream.c) that reads CPU data without libtracecmd, and
 * its metadata and kallsyms (tracedat-meta.c).
 */
#ifndef ALLOCSCOPE_TRACEDAT_LOCAL_H
#define ALLOCSCOPE_TRACEDAT_LOCAL_H

#include <event-parse.h>
#include <trace-cmd.h>

#include "parsers-local.h"

#define TD_MAX_BUFFERS		256u

/* ---- layout walk ---------------------------------------------------------- */

struct td_buffer {
	char		*name;		/* "" = top buffer */
	uint64_t	offset;		/* v7: flyrecord section; v6: "flyrecord" block */
	uint32_t	cpus;		/* entries in the per-CPU table */
	uint32_t	max_cpu;	/* highest CPU id + 1 */
	uint32_t	page_size;	/* ring-buffer sub-buffer size (v7: the buffer's own) */
	bool		latency;
	bool		compressed;	/* v7: CPU data in compressed chunks */
	char		*clock;		/* v7 only */
	struct td_cpu {
		uint32_t	id;
		uint64_t	off, size;
		bool		cut;		/* the file ends inside this CPU's data ... */
		uint32_t	chunks;		/* ... after this many whole chunks (compressed) */
	}		*cpu;		/* per-CPU extents (v6 and v7) */
};

/*
 * Metadata blocks (tracecmd_open_head() reads these): where their bytes are.
 * The content is the same in both versions: v6 has the blocks inline after
 * the header, v7 one section each, possibly compressed.
 */
enum {
	TD_META_HEADER,		/* "header_page\0" size(8) text "header_event\0" size(8) text */
	TD_META_FTRACE,		/* count(4), count x [size(8) format] */
	TD_META_EVENTS,		/* systems(4), systems x [name\0 count(4) count x [size(8) format]] */
	TD_META_KALLSYMS,	/* size(4) text */
	TD_META_PRINTK,		/* size(4) text */
	TD_META_CMDLINES,	/* size(8) text */
	TD_META__NR
};

struct td_meta {
	uint64_t	off, size;	/* v6: the block; v7: the section's data (compressed: with its 8-byte header) */
	bool		present;
	bool		compressed;	/* v7: a zstd block, csize(4) usize(4) data */
	uint8_t		rank;		/* v7: order of first mention in the options; v6: file order */
};

struct td_walk {
	struct prs_reader	*r;
	const uint8_t		*map;
	uint64_t		size;
	bool			swap;		/* file endianness differs from ours */
	int			version;
	uint8_t			long_size;	/* of the recording kernel: 4 or 8 */
	uint32_t		page_size;
	uint32_t		header_cpus;	/* v6: CPUs in the header */
	char			compress[32];	/* v7: "none", "zstd", "zlib" */
	bool			flyrecord_done;	/* v6: top buffer's table read */
	bool			use_clock;	/* v6: a TRACECLOCK option was seen */
	uint64_t		after_header;	/* v7: first byte after the file header */
	int64_t			ts_offset;	/* OFFSET option(s), added to every timestamp */
	bool			ts_special;	/* TSC2NSEC / TIME_SHIFT / GUEST: libtracecmd's clock math */

	struct td_buffer	v6_top;		/* v6: the top buffer's CPU table */
	struct td_buffer	bufs[TD_MAX_BUFFERS];
	unsigned int		nr_bufs;
	uint32_t		cpucount;	/* CPUCOUNT option, 0 if absent */
	struct td_meta		meta[TD_META__NR];
	uint8_t			nr_meta;	/* v7: metadata sections mentioned so far */
	/*
	 * The file is cut short inside the CPU data (or, v7, inside the
	 * options written after it): the CPU extents were clamped to whole
	 * pages / chunks in the file, and the stream reader ends with
	 * -PRS_ECUT at cut_at after every event before it.
	 */
	bool			cut;
	uint64_t		cut_at;
	char			cut_what[96];
};

/*
 * Check everything a reader will trust (header, v6 blocks or v7 sections,
 * options, per-CPU extents, chunk tables) on a mapping of the whole file.
 * 0 or a negative PRS_E* code with r->errmsg set.  Free with
 * prs_td_walk_free() in both cases.
 */
int prs_td_walk(struct td_walk *w);
void prs_td_walk_free(struct td_walk *w);
const struct td_buffer *prs_td_buffer_named(const struct td_walk *w, const char *name);

/* ---- metadata without libtracecmd (tracedat-meta.c) ---------------------- */

/*
 * A tep_handle set up as tracecmd_open_head() sets it up (endianness, long
 * size, CPUs), with the header page, the ftrace and event formats (in
 * libtracecmd's order) and, unless @formats_only, the saved cmdlines.
 * Kallsyms are left to struct td_ksyms (parsed on the first lookup);
 * printk formats are not read: only libtraceevent's own printing of
 * events uses them.  @w->map must still be mapped.  @where, if not NULL,
 * gets the file offset of each block before libtraceevent parses it (what
 * the preflight child leaves behind when it crashes).  0 with *tep set, or
 * a negative PRS_E* code (after prs_fail() on damaged metadata).
 */
int prs_td_meta_tep(const struct td_walk *w, bool formats_only, volatile uint64_t *where,
		    struct tep_handle **tep);

/*
 * Kernel symbols, resolved as tep_find_function() resolves them (libtraceevent
 * 1.7): every symbol but types A/a and names starting with '$', sorted by
 * address (ties: the last one in the file first); an address gets the
 * symbol at it or the last one below it, nothing past the last symbol.
 */
struct td_ksym {
	uint64_t	addr;
	const char	*name;		/* into the text given to prs_td_ksyms_parse(), to the end of its line */
};

struct td_ksyms {
	struct td_ksym	*sym;
	size_t		nr;
	char		*buf;		/* the loaded section, names point into it */
	/* where to load them from on the first lookup (the stream reader) */
	bool		pending;
	bool		swap, zstd;
	int		fd;
	struct td_meta	at;
};

/*
 * Parse kallsyms text of @len bytes at @text, kept until prs_td_ksyms_free();
 * text[len] must be writable (lines are NUL-terminated in place).  0 or
 * -PRS_ENOMEM.  A line that does not parse ends the list, as it ends
 * tep_parse_kallsyms().
 */
int prs_td_ksyms_parse(struct td_ksyms *k, char *text, size_t len);
/* Load and parse @k->at with pread() on @k->fd.  0 or <0 after prs_fail(). */
int prs_td_ksyms_load(struct prs_reader *r, struct td_ksyms *k);
/* The name for @addr (*len bytes, not NUL-terminated), or NULL (none at or below it, or past the last). */
const char *prs_td_ksyms_find(const struct td_ksyms *k, uint64_t addr, size_t *len);
void prs_td_ksyms_free(struct td_ksyms *k);

/* ---- decoding --------------------------------------------------------------- */

struct td_memo_ent {
	uint64_t	key;
	uint32_t	tag;		/* 0 = empty */
	const char	*val;
};

struct td_memo {
	struct td_memo_ent	*e;
	size_t			cap, used;
};

/* Field roles: which field of the event feeds which member of prs_event. */
enum {
	F_PID, F_PFN, F_ORDER, F_GFP, F_MT, F_NID, F_ZID, F_PRIO, F_NR_RECLAIMED, F_NR_SCANNED,
	F_SYNC, F_STATUS, F_VPID, F_PREV_COMM, F_PREV_PID, F_PREV_STATE, F_NEXT_COMM,
	F_NEXT_PID, F_BUF, F_FUNC, F_DEPTH, F_CALLTIME, F_RETTIME, F_RETVAL,
	F_IP, F_RET_IP, F_ARG0, F_ARG1, F_AFLAGS, F_LOOPS, F_MAX, F_VERDICT, F_TIMEOUT, F_DELAYED,
	F_PAGE, F_FLAGS,
	F__NR
};

/* Symbolic renderings per event: of F_GFP, of F_STATUS, of F_PREV_STATE. */
enum { S_GFP, S_STATUS, S_STATE, S__NR };

struct td_event {
	enum prs_kind			kind;
	const char			*name;		/* interned */
	long				slot;		/* prs_name_slot() */
	struct tep_event		*ev;
	struct tep_format_field		*f[F__NR];
	const struct tep_print_arg	*sym[S__NR];	/* print arg rendering the field */
	/*
	 * Every scalar field of f[] lies in [0, fixed_end) with a size of 1, 2,
	 * 4 or 8: a record of at least fixed_end bytes holds them all, and
	 * td_get() reads them without checking each.  -1: some field does not.
	 */
	int				fixed_end;
	/* the last rendering of each symbolic arg: a stream repeats its gfp flags */
	bool				sym_have[S__NR];
	uint64_t			sym_last_v[S__NR];
	const char			*sym_last[S__NR];
};

struct td_src;

/* Decoding state, plus the libtracecmd reader's sources (unused by the stream reader). */
struct td {
	struct tracecmd_input	*top;
	struct tracecmd_input	**inst;
	int			nr_inst;
	struct tep_handle	*tep;
	bool			swap;

	struct td_src		*src;
	struct td_src		**heap;
	unsigned int		nr_src, nr_heap;

	struct td_ksyms		*ksyms;		/* stream reader: its own kallsyms (NULL: tep's) */

	struct td_event		**evs;		/* by event id */
	int			nr_evs;
	int			type_off, type_size;	/* common_type, read without libtraceevent */
	struct td_memo		memo;
	const char		*lost_name;
	int			last_pid;	/* one-entry cache in front of the comm memo */
	const char		*last_comm;

	char			prev_comm[32], next_comm[32];
	char			*text;		/* PRINT text, NUL-terminated */
	size_t			text_cap;
};

/*
 * Decode @rec (data, size, ts, cpu) into @ev: resolves its event id once,
 * counts it.  1: @ev filled; 0: an OTHER event skipped (counted);
 * <0: PRS_E* error.
 */
int prs_td_emit(struct prs_reader *r, struct td *t, struct tep_record *rec, struct prs_event *ev);
/* Free the decoding state of @t (not the libtracecmd handles). */
void prs_td_free_decode(struct td *t);

/* tracedat-stream.c: the streaming reader; takes over r->priv and r->ops. */
int prs_tds_open(struct prs_reader *r, struct td_walk *w);

#endif /* ALLOCSCOPE_TRACEDAT_LOCAL_H */
