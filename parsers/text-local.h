/* SPDX-License-Identifier: GPL-2.0-only */
/* Private to parsers/text*.c: state shared by the text readers. */
#ifndef ALLOCSCOPE_TEXT_LOCAL_H
#define ALLOCSCOPE_TEXT_LOCAL_H

#include "parsers-local.h"

#define TXT_NAMES		1024	/* event-name cache slots (power of two) */
#define TXT_DETECT_LINES	200	/* no event in this many lines: not a trace */
#define TXT_STACK		64	/* open function_graph entries per task (or CPU) */
#define TXT_TASKS		256	/* tasks whose open entries are kept */
#define TXT_COMM		32
#define TXT_MAX_CPUS		4096	/* a CPU column beyond it is a damaged line */
#define TXT_PROBE_KEY		96	/* longest "(sym+off/size <- func)" remembered */
#define TXT_PROBE_MEMO		4	/* of them per event name (callers vary) */

/* A probe line's "(sym+0x4/0x310 <- func)" and what it decoded to. */
struct txt_probe_memo {
	uint8_t		len;		/* 0: unused */
	bool		bare;
	const char	*func, *caller;
	char		key[TXT_PROBE_KEY];
};

enum txt_mode {
	TXT_UNKNOWN = 0,
	TXT_FTRACE,	/* tracefs trace / trace_pipe */
	TXT_TCMD,	/* trace-cmd report */
	TXT_PERF,	/* perf script */
	TXT_FGRAPH,	/* function_graph */
};

/* An event name as the line spells it, resolved once. */
struct txt_name {
	const char	*key;		/* interned bytes of the line's name token */
	size_t		keylen;
	uint32_t	hash;
	const char	*name;		/* interned name without "system:" */
	enum prs_kind	kind;
	long		slot;		/* prs_name_slot() */
	const char	*probe_func;	/* perf probe: function from the name */

	/* a probe's "(...)" takes a few spellings per name, repeated on every line */
	struct txt_probe_memo memo[TXT_PROBE_MEMO];
	unsigned int	memo_next;	/* round robin */
	struct txt_name	*next;		/* the name that followed this one last time */
};

#define TXT_FUNC_MEMO	16

struct txt_func_memo {
	const char	*str;		/* interned */
	size_t		len;		/* 0: unused */
};

/*
 * An event line's columns, found by txt_split_line() without writing to
 * the line (pointers into it), for txt_take_line() to finish.
 */
struct txt_prefix {
	bool		ok;		/* the line has the event shape */
	bool		perf;		/* "comm pid" / "comm pid/tid" (perf script) */
	int32_t		pid, tgid, cpu;
	uint64_t	ts;
	char		*comm, *comm_end;	/* comm ends at comm_end (a NUL goes there) */
	char		*name;		/* "event" or "system:event" */
	size_t		name_len;
	char		*payload, *end;
};

/* A function_graph line's columns, found by txt_fg_split() without writing. */
struct txt_fg_cols {
	int		ret;		/* 0 skip, -1 bad line, 1 an event in body */
	bool		cpu_known;	/* got as far as the CPU: its state is due */
	bool		have_ts;
	bool		banner;		/* "=> comm-pid": the CPU's task from now on */
	int32_t		cpu, pid;
	uint64_t	ts, dur;
	int		depth;
	char		*comm, *comm_end;	/* NULL: no task on the line */
	char		*body, *end;
};

/* function_graph: what is known per CPU between lines */
struct txt_frame {
	const char	*func;
	int		depth;
};

/*
 * function_graph: a task's open entries.  They are the task's own (the
 * kernel keeps them on its ret_stack): a task switched out inside a function
 * resumes it later, maybe on another CPU, after other tasks ran there, and
 * its "}" closes what it opened.  TXT_TASKS slots, the least recently used
 * one reused; entries of a line that names no task are its CPU's.
 */
struct txt_task {
	int32_t		pid;		/* -1: free */
	int		top;
	uint64_t	used;		/* use stamp */
	struct txt_frame stack[TXT_STACK];
};

struct txt_cpu {
	char		comm[TXT_COMM];
	int32_t		pid;
	int		top;
	struct txt_frame stack[TXT_STACK];
};

struct txt {
	struct prs_input	*in;
	enum txt_mode		mode;
	bool			at_eof;

	char			*pending;	/* first event line, read while detecting */
	bool			split_ahead;	/* the input's thread runs txt_split_line() */
	size_t			pending_len;

	uint64_t		nr_events;
	uint64_t		junk;		/* lines that were neither headers nor events */

	struct txt_name		*names;		/* TXT_NAMES slots */
	size_t			nr_names;
	struct txt_name		*last_name;	/* of the previous line, in names[] */
	struct txt_name		scratch;

	const char		*lost_name, *print_name;
	long			lost_slot, print_slot;

	char			*payload, *payload_end;	/* of the last parsed line */

	/* function_graph */
	struct txt_cpu		*cpus;		/* index cpu + 1; 0 = CPU unknown */
	int			nr_cpus;
	struct txt_task		*tasks;		/* TXT_TASKS, allocated with the first */
	uint64_t		task_clock;
	const char		*entry_name, *exit_name;
	struct txt_func_memo	funcs[TXT_FUNC_MEMO];
	long			entry_slot, exit_slot;
	bool			have_pend;
	struct prs_event	pend;		/* a leaf's exit, returned after its entry */
	bool			have_next;
	struct prs_event	next;		/* the event after a leaf, read ahead */
	char			pend_comm[64];	/* the leaf's task name, kept across the read-ahead */

	/*
	 * An excerpt pasted into a mail whose lines the mailer wrapped: once
	 * a line ends after its "TS:" or "name:", each event line is held
	 * until the next line shows whether it goes on (txt_held_*()).
	 */
	bool			wrapped;
	bool			held_eof;	/* the input ended with a line held */
	char			*held;
	size_t			held_len, held_cap;
};

#define TXT_HELD_MAX		4096	/* a wrapped event line, joined, at most */

/* Eight bytes from p, the byte at p lowest (SWAR parsing on any byte order). */
static inline uint64_t txt_load8(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * Past the spaces at p: columns are padded with runs of 1 to 16 and more.
 * Eight bytes at a time, the first non-space found by counting trailing
 * zero bits (x86 and arm64 are little-endian; big-endian takes the loop).
 */
static inline char *skip_spaces(char *p, const char *end)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		w ^= 0x2020202020202020ull;
		if (w)
			return p + (__builtin_ctzll(w) >> 3);
		p += 8;
	}
#endif
	while (p < end && *p == ' ')
		p++;
	return p;
}

/* Back over the spaces before e, down to s. */
static inline char *rskip_spaces(const char *s, char *e)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w;

	while (e - s >= 8) {
		memcpy(&w, e - 8, 8);
		w ^= 0x2020202020202020ull;
		if (w)
			return e - (__builtin_clzll(w) >> 3);
		e -= 8;
	}
#endif
	while (e > s && e[-1] == ' ')
		e--;
	return e;
}

bool txt_parse_num(const char *s, const char *e, uint64_t *out);
bool txt_parse_hex(const char *s, const char *e, uint64_t *out);	/* bare hex, no 0x */
bool txt_parse_ts(const char *s, const char *e, uint64_t *out);
struct txt_name *txt_name_lookup(struct prs_reader *r, struct txt *t,
				 const char *tok, size_t toklen,
				 const char *payload, size_t plen);
void txt_decode(struct prs_reader *r, struct txt *t, struct txt_name *n,
		char *s, char *e, struct prs_event *ev);
int txt_parse_event_line(struct prs_reader *r, struct txt *t, char *line, size_t len,
			 struct prs_event *ev, struct txt_name **np);
bool txt_split_line(char *line, size_t len, struct txt_prefix *x);
int txt_take_line(struct prs_reader *r, struct txt *t, const struct txt_prefix *x,
		  struct prs_event *ev, struct txt_name **np);
bool txt_parse_lost(struct prs_reader *r, char *line, char *end, struct prs_event *ev);
bool txt_is_header(const char *line, size_t len);
bool txt_is_elision(const char *line, size_t len);
bool txt_unquote(struct prs_reader *r, char **line, size_t *len);
/* the held line (struct txt.held): a copy of @line, or @line joined to it; false: no room */
bool txt_held_take(struct txt *t, const char *line, size_t len);
bool txt_held_join(struct txt *t, const char *line, size_t len);
bool txt_line_shape(const char *line, size_t len, enum txt_mode *mode);
int txt_count(struct prs_reader *r, long *slot, const char *name, enum prs_kind kind);
int txt_bad_line(struct prs_reader *r, struct txt *t);
int txt_nul_line(struct prs_reader *r, struct txt *t);
int txt_end(struct prs_reader *r, struct txt *t, int ret);

/* text-fgraph.c */
typedef int (*txt_read_fn)(struct prs_reader *r, struct txt *t, struct prs_event *ev);
/* Events of @read in order, a leaf's pending exit after its entry, clamped to the next event. */
int txt_next_leaves(struct prs_reader *r, struct txt *t, struct prs_event *ev, txt_read_fn read);
/* trace-cmd report's funcgraph_entry/exit payloads; false if unparseable */
bool txt_fgraph_report(struct prs_reader *r, struct txt *t, char *s, char *e, struct prs_event *ev);
bool txt_fgraph_shape(const char *line, size_t len);
int txt_fgraph_next(struct prs_reader *r, struct prs_event *ev);
void txt_fg_split(char *line, size_t len, bool embedded, struct txt_fg_cols *x);

#endif /* ALLOCSCOPE_TEXT_LOCAL_H */
