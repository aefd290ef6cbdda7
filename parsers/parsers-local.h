/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to parsers/: the reader object shared by every format. */
#ifndef ALLOCSCOPE_PARSERS_LOCAL_H
#define ALLOCSCOPE_PARSERS_LOCAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "parsers.h"

#define PRS_MAX_LINE	(1u << 20)	/* a text line longer than 1 MiB is an error */
#define PRS_MAX_CPUS	8192		/* CPUs with their own timestamp-order slot */

struct prs_reader;

struct prs_ops {
	/* 1 event, 0 end, <0 error (after prs_fail()) */
	int  (*next)(struct prs_reader *r, struct prs_event *ev);
	void (*close)(struct prs_reader *r);
};

/* String interning: stable pointers until prs_close(), compare by pointer. */
struct prs_intern_slot {
	const char	*str;
	uint32_t	hash;
	uint32_t	len;
};

struct prs_intern {
	struct prs_intern_slot	*slots;
	size_t			cap, used;	/* cap is a power of two */
	char			*arena;		/* current chunk */
	size_t			arena_left;
	void			*chunks;	/* list of chunks, freed at close */
};

/*
 * Eight bytes at a time: interning and the text readers' event-name cache
 * hash strings of most lines.
 */
static inline uint32_t prs_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (len) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 29;
	return (uint32_t)h;
}

/*
 * The text trace inside a container (unwrap.c): a systrace HTML page's
 * ftrace text blocks, a JSON trace's "systemTraceEvents" string.  A byte
 * filter: prs_unwrap() writes what src holds of the trace to dst (at most
 * n + PRS_UNWRAP_SLACK bytes; dst == src is fine on the first call, whose
 * output never runs ahead of its input) and drops the rest.  The kind is
 * told by the first bytes that are not white space: the call that meets
 * them must hold PRS_UNWRAP_SNIFF bytes from there on, or the input's end.
 */
enum prs_wrap { PRS_WRAP_UNKNOWN = 0, PRS_WRAP_NONE, PRS_WRAP_HTML, PRS_WRAP_JSON };

#define PRS_UNWRAP_MAX_INDENT	256	/* spaces before a text block's first byte, kept */
#define PRS_UNWRAP_SLACK	(PRS_UNWRAP_MAX_INDENT + 16)
#define PRS_UNWRAP_SNIFF	16
#define UW_KEY_NONE		((size_t)-1)

struct prs_unwrap {
	enum prs_wrap	kind;
	int		state;
	size_t		match;		/* bytes of the pattern matched so far */
	char		held[16];	/* text bytes that may begin "</script>" */
	size_t		pending_sp;	/* indentation before a block's first byte */
	size_t		col;		/* bytes written since the last '\n' */
	unsigned	text_blocks, skipped_blocks;
	/* JSON */
	unsigned	depth;
	bool		esc, want_key, value_next, key_match, bad_value;
	bool		trace_events;	/* a top-level "traceEvents": a trace, of user space */
	char		key[24];	/* the top-level key being read */
	size_t		key_len;	/* bytes of it, or UW_KEY_NONE (too long, escaped) */
	unsigned	hex_left, cp;
	uint64_t	bad_escapes;	/* "\q", "\u12x": no JSON string */
	uint64_t	bad_escape_at;	/* offset of the first (decompressed) */
	uint64_t	consumed;	/* bytes of input seen */
};

size_t prs_unwrap(struct prs_unwrap *u, const char *src, size_t n, bool eof, char *dst);
bool prs_unwrap_in_block(const struct prs_unwrap *u);	/* inside the trace text now */
const char *prs_unwrap_name(enum prs_wrap kind);	/* NULL for no container */

/* A byte source: a plain file or a zstd stream, with a bounded line reader. */
struct prs_input;

int  prs_input_open(struct prs_reader *r, struct prs_input **out);
bool prs_input_is_zstd(const struct prs_input *in);
/* The container the text came out of, once the first line was read (NULL: none). */
const struct prs_unwrap *prs_input_unwrap(const struct prs_input *in);
/*
 * Next line without its '\n' (a trailing '\r' is removed too), NUL-terminated
 * in place.  1: line and len set; 0: end of input; <0: error (prs_fail() done).
 * A last line without '\n' is returned as a line.
 */
int  prs_input_getline(struct prs_input *in, char **line, size_t *len);
uint64_t prs_input_lineno(const struct prs_input *in);	/* 1-based, of the last line returned */
uint64_t prs_input_offset(const struct prs_input *in);
/* The last line returned ended the input without a '\n' (a cut-off file?). */
bool prs_input_unterminated(const struct prs_input *in);
bool prs_input_line_has_nul(const struct prs_input *in);	/* the last line returned holds a NUL byte */
/*
 * A function the input's thread (zstd) runs on every line before the reader
 * gets it, writing a record of rec_size bytes per line; prs_input_line_aux()
 * is the record of the last line returned, or NULL (no thread, or a line
 * read before the function was set).  It must not write to the line.
 */
typedef void (*prs_line_fn)(char *line, size_t len, void *rec);
void prs_input_set_line_fn(struct prs_input *in, prs_line_fn fn, size_t rec_size);
const void *prs_input_line_aux(const struct prs_input *in);	/* byte offset (decompressed) of the last line */
void prs_input_close(struct prs_input *in);

/* Timestamp order on one CPU (prs_account()). */
struct prs_cpu_ts {
	uint64_t		last_ts;	/* the CPU's latest timestamp */
	bool			seen;
	bool			went_back;	/* counted in ts_backwards_cpus */
};

struct prs_reader {
	const char		*path;
	unsigned int		flags;		/* PRS_OPT_* */
	enum prs_format		fmt;
	bool			compressed;
	const struct prs_ops	*ops;
	void			*priv;		/* the format's own state */

	struct prs_stats	stats;
	struct prs_name_count	*names;		/* events per name */
	size_t			nr_names, names_cap;

	struct prs_intern	intern;

	char			*kernel;	/* malloc'd or NULL */
	char			*container;	/* what the trace was inside ("gzip", "zip entry X"), or NULL */
	char			*clock;
	uint32_t		page_size;	/* trace.dat's header: ring-buffer page, 0 = not said */
	char			**instances;
	int			nr_instances;

	bool			have_ts;
	struct prs_cpu_ts	*cpu_ts;	/* by CPU, grown up to PRS_MAX_CPUS */
	int			nr_cpu_ts;
	struct prs_cpu_ts	ts_nocpu;	/* no CPU known, or beyond PRS_MAX_CPUS */
	char			errmsg[512];
	int			err;

	struct prs_ahead	*ahead;		/* PRS_OPT_AHEAD: the format's reader on a thread */
	bool			comm_stable;	/* the reader's event comms stay valid until
						 * prs_close() (not only until prs_next()) */
};

/* reader.c */
const char *prs_intern(struct prs_reader *r, const char *s, size_t len);
static inline const char *prs_intern_str(struct prs_reader *r, const char *s)
{
	return prs_intern(r, s, __builtin_strlen(s));
}

/*
 * Record an error and return it (negative).  @where is a 1-based line
 * number when @line is true, else a byte offset.  The message becomes
 * "PATH: line N: REASON" / "PATH: offset N: REASON".
 */
int prs_fail(struct prs_reader *r, int code, bool line, uint64_t where,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Same, with no position ("PATH: REASON"). */
int prs_fail_file(struct prs_reader *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Kind of a tracepoint by its name (without system); PRS_EV_OTHER if unknown. */
enum prs_kind prs_kind_by_name(const char *name, size_t len);

/*
 * Count one event of name @name (interned) and kind @kind.  Readers that
 * know an id per event type cache the returned slot index and call
 * prs_count_slot() instead, to avoid a lookup per event.
 */
long prs_name_slot(struct prs_reader *r, const char *name, enum prs_kind kind);
static inline void prs_count_slot(struct prs_reader *r, long slot)
{
	r->names[slot].count++;
}

/*
 * Account every event the reader decoded (returned or skipped as OTHER):
 * stats, kinds, ts order, cpus.  prs_next() does not do it for the reader.
 */
void prs_account(struct prs_reader *r, const struct prs_event *ev);

/* Reset the union of @ev to "absent" values for @kind. */
void prs_event_init(struct prs_event *ev, enum prs_kind kind);

/*
 * handoff.c: n slots handed in order from one producer thread to one
 * consumer (only indices: the slots are the caller's).
 * prs_handoff_slot(): the producer's next slot to fill, waiting for a free
 * one; -1 once stopped.  prs_handoff_publish(): that slot is filled.
 * prs_handoff_take(): the consumer's next filled slot, waiting for one; -1
 * when stopped and none is filled.  prs_handoff_release(): the slot taken
 * last is free again.  prs_handoff_stop(): both sides stop waiting.
 */
struct prs_handoff {
	pthread_mutex_t		lock;
	pthread_cond_t		data, space;
	unsigned int		n, head, tail, full;
	bool			stop;
};
void prs_handoff_init(struct prs_handoff *h, unsigned int n);
void prs_handoff_destroy(struct prs_handoff *h);
int  prs_handoff_slot(struct prs_handoff *h);
void prs_handoff_publish(struct prs_handoff *h);
int  prs_handoff_take(struct prs_handoff *h);
void prs_handoff_release(struct prs_handoff *h);
void prs_handoff_stop(struct prs_handoff *h);

/*
 * ahead.c: PRS_OPT_AHEAD.  prs_ahead_start() runs r->ops->next on a thread
 * (0 also when no thread could be made: then nothing changes);
 * prs_ahead_next() is prs_next() through it; prs_ahead_quiesce() makes the
 * reader's state the caller's again (the thread ended or is stopped);
 * prs_ahead_free() stops the thread and frees the batches.
 */
struct prs_ahead;
int prs_ahead_start(struct prs_reader *r);
int prs_ahead_next(struct prs_reader *r, struct prs_event *ev);
void prs_ahead_quiesce(struct prs_reader *r);
void prs_ahead_free(struct prs_reader *r);

/* Format readers: open on an already-detected file. */
int prs_tracedat_open(struct prs_reader *r);
/*
 * Text readers take ownership of @in (closed by their close op, or by
 * prs_text_open() on failure).  The text module recognizes which text
 * format it is from the first lines (headers, the shape of the first event
 * lines) and sets r->fmt; nothing recognizable in the first lines is
 * PRS_EFORMAT.  A text trace with headers and no events is valid.
 */
int prs_text_open(struct prs_reader *r, struct prs_input *in);
/*
 * perfetto.c: the first bytes of a file (@n of them, up to PF_HEAD) look
 * like a Perfetto trace, or like gzip or zip that may hold one; open it.
 */
bool prs_perfetto_detect(const uint8_t *head, size_t n);
int prs_perfetto_open(struct prs_reader *r, const uint8_t *head, size_t n);

#endif /* ALLOCSCOPE_PARSERS_LOCAL_H */
