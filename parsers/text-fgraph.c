// SPDX-License-Identifier: GPL-2.0-only
/*
 * function_graph tracer text.  Columns, each optional (funcgraph-abstime,
 * -cpu, -proc, -duration):
 *
 *    11.625838 |   1)     init-1     | ! 165.769 us  |    get_page_from_freelist();
 *    ABSTIME   |  CPU)   COMM-PID    | MARK DURATION |  INDENT BODY
 *
 * BODY is "func() {" (entry), "func();" (leaf), "}" (exit, maybe with
 * "/ * func * /" from funcgraph-tail or "/ * func = 0x0 * /" from
 * funcgraph-retval, 6.5+), or a comment "/ * event: payload * /" for a
 * tracepoint, "/ * text * /" for a trace_marker write.  Context-switch
 * banners " 1)  init-1  =>  sh-295 " say which task runs when -proc is off.
 */
#include <stdlib.h>
#include <string.h>

#include "text-local.h"

static inline bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

bool txt_fgraph_shape(const char *line, size_t len)
{
	const char *p = line, *end = line + len;

	while (p < end && *p == ' ')
		p++;
	if (p == end || !is_digit(*p))
		return false;
	while (p < end && (is_digit(*p) || *p == '.'))
		p++;
	if (p < end && *p == ')')	/* " 1) ..." */
		return memchr(p, '|', (size_t)(end - p)) || memmem(p, (size_t)(end - p), "=>", 2);
	while (p < end && *p == ' ')
		p++;
	return p < end && *p == '|';	/* "  11.625838 | ..." */
}

static struct txt_cpu *fg_cpu(struct txt *t, int32_t cpu)
{
	int idx = cpu < 0 ? 0 : cpu + 1;

	if (cpu >= TXT_MAX_CPUS)
		return NULL;
	if (idx >= t->nr_cpus) {
		int n = idx + 8;
		struct txt_cpu *c = realloc(t->cpus, (size_t)n * sizeof(*c));

		if (!c)
			return NULL;
		memset(c + t->nr_cpus, 0, (size_t)(n - t->nr_cpus) * sizeof(*c));
		for (int i = t->nr_cpus; i < n; i++)
			c[i].pid = -1;
		t->cpus = c;
		t->nr_cpus = n;
	}
	return &t->cpus[idx];
}

/* "comm-pid" in [s, e): pid after the last dash; comm ends at *comm_end (no NUL written) */
static bool fg_task(char *s, char *e, char **comm, char **comm_end, int32_t *pid)
{
	char *d;
	uint64_t v;

	s = skip_spaces(s, e);
	e = rskip_spaces(s, e);
	d = e;
	while (d > s && is_digit(d[-1]))
		d--;
	if (d == e || d == s || d[-1] != '-' || !txt_parse_num(d, e, &v) || v > INT32_MAX)
		return false;
	*comm_end = d - 1;
	*comm = s;
	*pid = (int32_t)v;
	return true;
}

/* "[MARK ]123.456 us" -> ns; the kernel prints µs with up to 3 decimals */
static bool fg_duration(const char *s, const char *e, uint64_t *ns)
{
	uint64_t us = 0, frac = 0;
	int nfrac = 0;

	if (e - s < 4 || memcmp(e - 3, " us", 3) != 0)
		return false;
	e -= 3;
	if (!is_digit(*s)) {
		if (!strchr("+!#*@$", *s) || s + 1 >= e || s[1] != ' ')
			return false;
		s += 2;
		while (s < e && *s == ' ')
			s++;
	}
	if (s >= e || !is_digit(*s))
		return false;
	while (s < e && is_digit(*s))
		us = us * 10 + (uint64_t)(*s++ - '0');
	if (s < e && *s == '.') {
		s++;
		while (s < e && is_digit(*s) && nfrac < 3) {
			frac = frac * 10 + (uint64_t)(*s++ - '0');
			nfrac++;
		}
	}
	if (s != e)
		return false;
	while (nfrac++ < 3)
		frac *= 10;
	*ns = us * 1000 + frac;
	return true;
}

static void fg_update_task(struct txt_cpu *c, const char *comm, int32_t pid)
{
	size_t n = strlen(comm);

	if (n >= sizeof(c->comm))
		n = sizeof(c->comm) - 1;
	memcpy(c->comm, comm, n);
	c->comm[n] = '\0';
	c->pid = pid;
}

/* One stack of open entries: a task's, or a CPU's for lines that name no task. */
struct fg_stack {
	struct txt_frame	*f;
	int			*top;
};

/* Task @pid's open entries (slot found or reused), else @c's; false: no memory. */
static bool fg_stack(struct txt *t, struct txt_cpu *c, int32_t pid, struct fg_stack *st)
{
	struct txt_task *k, *lru = NULL;
	uint32_t h;

	st->f = c->stack;
	st->top = &c->top;
	if (pid < 0)
		return true;
	if (!t->tasks) {
		t->tasks = malloc(TXT_TASKS * sizeof(*t->tasks));
		if (!t->tasks)
			return false;
		for (int i = 0; i < TXT_TASKS; i++) {
			t->tasks[i].pid = -1;
			t->tasks[i].top = 0;
			t->tasks[i].used = 0;
		}
	}
	/* a pid's slot is one of 8 from its hash; a new pid takes a free one or the least used */
	h = ((uint32_t)pid * 2654435761u) >> 24;
	for (int i = 0; i < 8; i++) {
		k = &t->tasks[(h + (uint32_t)i) % TXT_TASKS];
		if (k->pid == pid)
			goto found;
		if (!lru || (lru->pid >= 0 && (k->pid < 0 || k->used < lru->used)))
			lru = k;
	}
	k = lru;
	k->pid = pid;
	k->top = 0;
found:
	k->used = ++t->task_clock;
	st->f = k->stack;
	st->top = &k->top;
	return true;
}

/* Pop the frame a "}" at @depth closes; its function, or NULL. */
static const char *fg_pop(struct fg_stack st, int depth)
{
	if (depth >= 0) {
		for (int i = *st.top - 1; i >= 0; i--) {
			if (st.f[i].depth == depth) {
				*st.top = i;
				return st.f[i].func;
			}
			if (st.f[i].depth < depth)
				break;
		}
		return NULL;
	}
	if (*st.top == 0)
		return NULL;
	return st.f[--*st.top].func;
}

static void fg_push(struct fg_stack st, const char *func, int depth)
{
	/* entries at this depth or deeper never saw their exit (lost events) */
	while (depth >= 0 && *st.top > 0 && st.f[*st.top - 1].depth >= depth)
		--*st.top;
	if (*st.top == TXT_STACK) {
		memmove(st.f, st.f + 1, (TXT_STACK - 1) * sizeof(st.f[0]));
		--*st.top;
	}
	st.f[*st.top].func = func;
	st.f[*st.top].depth = depth;
	++*st.top;
}

/*
 * funcgraph-retval, the inside of the trailing comment (print_graph_retval(),
 * kernel/trace/trace_functions_graph.c):
 *   6.5 ..:  exit "NAME = 0x%lx" or "NAME = %ld" (an error code), leaf "= 0x%lx"
 *   later (with funcgraph-retaddr): exit "NAME ret=0x%lx" or "NAME ret=%ld",
 *            leaf "ret=..." or "[CALLER+0x../0x..] ret=...", newest also
 *            "ret=true"/"ret=false" and a "(trunc)" suffix.
 * NAME is the function; without a value (retaddr alone) *ret is left.
 */
static void fg_retval(struct prs_reader *r, char *s, char *e, const char **func, uint64_t *ret)
{
	char *eq = memmem(s, (size_t)(e - s), "= ", 2);
	char *fe, *v = NULL, *ve = e;

	if (eq) {
		fe = eq;
		v = eq + 2;
	} else {
		char *k = s;

		while ((k = memmem(k, (size_t)(e - k), "ret=", 4)) && k > s && k[-1] != ' ')
			k += 4;
		fe = k ? k : e;
		v = k ? k + 4 : NULL;
	}
	while (s < fe && *s == ' ')
		s++;
	while (fe > s && fe[-1] == ' ')
		fe--;
	if (fe > s && *s == '[')	/* leaf with funcgraph-retaddr: its caller, no name */
		fe = s;
	if (fe > s && fe[-1] == ']') {	/* "NAME [CALLER]": the name alone */
		char *b = fe;

		while (b > s && *b != '[')
			b--;
		fe = b;
		while (fe > s && fe[-1] == ' ')
			fe--;
	}
	if (fe > s)
		*func = prs_intern(r, s, (size_t)(fe - s));
	if (v) {
		while (ve > v && ve[-1] == ' ')
			ve--;
		if (ve - v > 7 && !memcmp(ve - 7, "(trunc)", 7))
			ve -= 7;
		if (ve - v == 4 && !memcmp(v, "true", 4))
			*ret = 1;
		else if (ve - v == 5 && !memcmp(v, "false", 5))
			*ret = 0;
		else if (!txt_parse_num(v, ve, ret))
			r->stats.bad_fields++;
	}
}

/* The inside of a trailing "/ * ... * /" of [s, e), or false. */
static bool fg_comment(char *s, char *e, char **is, char **ie)
{
	char *o = memmem(s, (size_t)(e - s), "/*", 2);

	if (!o)
		return false;
	while (e > o && e[-1] == ' ')
		e--;
	if (e - o < 4 || e[-1] != '/' || e[-2] != '*')
		return false;
	*is = o + 2;
	*ie = e - 2;
	while (*is < *ie && **is == ' ')
		(*is)++;
	while (*ie > *is && (*ie)[-1] == ' ')
		(*ie)--;
	return true;
}

static bool is_event_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '_' || (c >= 'A' && c <= 'Z');
}

/*
 * Parse one line.  Returns 1 with *ev filled (and maybe t->pend), 0 for a
 * line that is not an event (banner, separator), -1 for a bad line, or a
 * negative PRS_E* code below -1.
 */
/* [s, e) holds only digits and dots: an ABSTIME column (validated by txt_parse_ts) */
static bool fg_ts_chars(const char *s, const char *e)
{
	for (; s < e; s++)
		if (!is_digit(*s) && *s != '.')
			return false;
	return true;
}

/*
 * Function names of a graph trace are a handful repeated on every line: a
 * direct-mapped memo of interned names, keyed by length and end bytes,
 * spares hashing them each time.
 */
static const char *fg_intern_func(struct prs_reader *r, struct txt *t, const char *s, size_t len)
{
	struct txt_func_memo *m = &t->funcs[(len * 31 + (unsigned char)s[0] +
					     (unsigned char)s[len - 1] * 7) % TXT_FUNC_MEMO];

	if (m->len == len && memcmp(m->str, s, len) == 0)
		return m->str;
	m->str = prs_intern(r, s, len);
	m->len = m->str ? len : 0;
	return m->str;
}

/*
 * The columns of a function_graph line (ABSTIME | CPU) TASK | DURATION |
 * BODY, found without writing to the line or touching reader state: the
 * decompression thread runs it ahead of the reader.  Embedded: the payload
 * of a trace-cmd report funcgraph_entry/exit line, whose time, CPU and
 * task are the report line's.
 */
void txt_fg_split(char *line, size_t len, bool embedded, struct txt_fg_cols *x)
{
	char *end = line + len, *p = line, *bar, *body;
	int indent;

	x->ret = 1;
	x->cpu_known = x->have_ts = x->banner = false;
	x->cpu = x->pid = -1;
	x->ts = 0;
	x->dur = PRS_NO_VALUE;
	x->depth = -1;
	x->comm = x->comm_end = NULL;
	x->body = NULL;
	x->end = end;

	p = skip_spaces(p, end);
	/*
	 * '#' starts a header line of tracefs's text, but in trace-cmd report's
	 * payload it is the duration's overhead mark (> 1 ms: "# 4290.175 us |
	 * get_page_from_freelist();"), as '$', '@', '*', '!' and '+' are
	 */
	if (p == end || (!embedded && (*p == '-' || *p == '#'))) {
		x->ret = 0;	/* separators around banners, headers */
		return;
	}
	/* ABSTIME | */
	if (!embedded && is_digit(*p)) {
		char *te = memchr(p, ' ', (size_t)(end - p));

		if (te) {
			char *b = skip_spaces(te, end);

			if (b < end && *b == '|') {
				if (txt_parse_ts(p, te, &x->ts)) {
					x->have_ts = true;
					p = skip_spaces(b + 1, end);
				} else if (fg_ts_chars(p, te)) {
					x->ret = -1;	/* digits and dots, not a time */
					return;
				}	/* else "1) ...": a CPU column, no ABSTIME */
			}
		}
	}
	/* CPU) */
	if (!embedded && p < end && is_digit(*p)) {
		char *ce = p;
		uint64_t v;

		while (ce < end && is_digit(*ce))
			ce++;
		if (ce < end && *ce == ')' && txt_parse_num(p, ce, &v)) {
			if (v >= TXT_MAX_CPUS) {
				x->ret = -1;	/* a damaged CPU column: a bad line */
				return;
			}
			x->cpu = (int32_t)v;
			p = ce + 1;
		}
	}
	x->cpu_known = true;

	bar = memchr(p, '|', (size_t)(end - p));
	if (!bar) {
		char *arrow = memmem(p, (size_t)(end - p), "=>", 2);

		if (arrow) {	/* context switch banner: who runs now */
			x->banner = true;
			x->ret = fg_task(arrow + 2, end, &x->comm, &x->comm_end, &x->pid) ? 0 : -1;
			return;
		}
		body = p;	/* every column switched off */
	} else {
		char *f = skip_spaces(p, bar), *fe = rskip_spaces(f, bar);

		/* COMM-PID | */
		if (fe > f && !fg_duration(f, fe, &x->dur)) {
			if (!fg_task(f, fe, &x->comm, &x->comm_end, &x->pid)) {
				x->ret = -1;
				return;
			}
			p = bar + 1;
			bar = memchr(p, '|', (size_t)(end - p));
			fe = bar ? bar : p;
			f = skip_spaces(p, fe);
			fe = rskip_spaces(f, fe);
			if (bar && fe > f && !fg_duration(f, fe, &x->dur))
				bar = NULL;	/* no duration column: that '|' is in the body */
		}
		body = bar ? bar + 1 : p;
	}
	indent = (int)(skip_spaces(body, end) - body);
	body += indent;
	if (bar && indent >= 2)
		x->depth = (indent - 2) / 2;
	x->body = body;
	if (body == end)
		x->ret = -1;
}

/* The reader's half: the task and the per-CPU state, then the event. */
static int fg_take(struct prs_reader *r, struct txt *t, const struct txt_fg_cols *x,
		   struct prs_event *ev, bool embedded)
{
	char *end = x->end, *body = x->body, *is, *ie, *comm = x->comm;
	uint64_t ts = x->ts, dur = x->dur;
	bool have_ts = x->have_ts;
	int32_t cpu = x->cpu, pid = x->pid;
	struct txt_cpu *c;
	struct fg_stack st;
	int depth = x->depth;

	if (!x->cpu_known)
		return x->ret;
	if (embedded) {
		ts = ev->ts;
		have_ts = true;
		cpu = ev->cpu;
	}
	c = fg_cpu(t, cpu);
	if (!c)
		return -PRS_ENOMEM;
	if (comm) {
		*x->comm_end = '\0';
		fg_update_task(c, comm, pid);
	}
	if (x->banner || x->ret <= 0)
		return x->ret;

	if (!embedded) {
		ev->ts = ts;
		ev->cpu = cpu;
		ev->pid = comm ? pid : c->pid;
		ev->comm = comm ? comm : c->comm;
		ev->tgid = -1;
		if (!have_ts)
			r->stats.ts_missing = true;
	}

	/* the task's own open entries (trace-cmd report's lines: the pid its reader set) */
	if (!fg_stack(t, c, embedded ? ev->pid : comm ? pid : c->pid, &st))
		return -PRS_ENOMEM;
	if (*body == '}') {
		const char *func = NULL, *popped;
		uint64_t ret = PRS_NO_VALUE;

		if (fg_comment(body + 1, end, &is, &ie))
			fg_retval(r, is, ie, &func, &ret);
		popped = fg_pop(st, depth);
		prs_event_init(ev, PRS_EV_FUNC_EXIT);
		ev->name = t->exit_name;
		ev->u.fn.func = func ? func : popped;
		ev->u.fn.retval = ret;
		ev->u.fn.duration = dur;
		ev->u.fn.depth = depth;
		/* a report line was counted as its own event */
		if (!embedded && txt_count(r, &t->exit_slot, t->exit_name, PRS_EV_FUNC_EXIT) < 0)
			return -PRS_ENOMEM;
		return 1;
	}
	if (body[0] == '/' && body + 1 < end && body[1] == '*') {
		char *n;
		struct txt_name *tn;

		if (!fg_comment(body, end, &is, &ie))
			return -1;
		for (n = is; n < ie && is_event_name_char(*n); n++)
			;
		/*
		 * function_graph prints a trace_marker write as its bare text, so the recorders'
		 * "allocscope: begin" looks like an event "allocscope" with a payload: it is a marker
		 */
		if (n > is && n + 1 < ie && n[0] == ':' && n[1] == ' ' &&
		    !((size_t)(n - is) == 10 && !memcmp(is, "allocscope", 10))) {
			char *pl = n + 2;

			tn = txt_name_lookup(r, t, is, (size_t)(n - is), pl, (size_t)(ie - pl));
			if (!tn)
				return -PRS_ENOMEM;
			prs_count_slot(r, tn->slot);
			ev->name = tn->name;
			ev->kind = tn->kind;
			if (tn->kind != PRS_EV_OTHER) {
				prs_event_init(ev, tn->kind);
				txt_decode(r, t, tn, pl, ie, ev);
			}
			return 1;
		}
		/* trace_marker / trace_printk: the text alone */
		prs_event_init(ev, PRS_EV_PRINT);
		ev->name = t->print_name;
		*ie = '\0';
		ev->u.print.text = is;
		ev->u.print.len = (size_t)(ie - is);
		if (txt_count(r, &t->print_slot, t->print_name, PRS_EV_PRINT) < 0)
			return -PRS_ENOMEM;
		return 1;
	}
	if (body[0] == '=' || body[0] == '<')
		return 0;	/* funcgraph-irqs "==========>" / "<==========" */
	{
		char *paren = memchr(body, '(', (size_t)(end - body));
		char *close;
		const char *func;

		if (!paren || paren == body)
			return -1;
		close = memchr(paren, ')', (size_t)(end - paren));
		if (!close || close + 1 >= end)
			return -1;
		func = fg_intern_func(r, t, body, (size_t)(paren - body));
		if (!func)
			return -PRS_ENOMEM;
		prs_event_init(ev, PRS_EV_FUNC_ENTRY);
		ev->name = t->entry_name;
		ev->u.fn.func = func;
		ev->u.fn.depth = depth;
		if (!embedded && txt_count(r, &t->entry_slot, t->entry_name, PRS_EV_FUNC_ENTRY) < 0)
			return -PRS_ENOMEM;
		if (close[1] == ' ' && close + 2 < end && close[2] == '{') {
			fg_push(st, func, depth);
			return 1;
		}
		if (close[1] != ';')
			return -1;
		/* leaf: entry now, exit at ts + duration next */
		t->pend = *ev;
		prs_event_init(&t->pend, PRS_EV_FUNC_EXIT);
		t->pend.name = t->exit_name;
		t->pend.u.fn.func = func;
		t->pend.u.fn.depth = depth;
		t->pend.u.fn.duration = dur;
		if (have_ts && dur != PRS_NO_VALUE)
			t->pend.ts = ts + dur;
		if (fg_comment(close + 2, end, &is, &ie)) {
			const char *f2 = NULL;

			fg_retval(r, is, ie, &f2, &t->pend.u.fn.retval);
		}
		t->have_pend = true;
		return 1;
	}
}

static int fg_parse(struct prs_reader *r, struct txt *t, char *line, size_t len,
		    struct prs_event *ev, bool embedded)
{
	struct txt_fg_cols x;

	txt_fg_split(line, len, embedded, &x);
	return fg_take(r, t, &x, ev, embedded);
}

/* The next event of the file, not yet accounted; 1, 0 at the end, <0 error. */
static void fg_split_ahead(char *line, size_t len, void *rec)
{
	txt_fg_split(line, len, false, rec);
}

/* A line whose last comment does not close on it (no star-slash after it): a mailer wrapped it. */
static bool open_comment(const char *line, size_t len)
{
	const char *o = memmem(line, len, "/*", 2), *c;

	if (!o)
		return false;
	for (c = o; (c = memmem(c + 2, len - (size_t)(c + 2 - line), "/*", 2)) != NULL; o = c)
		;
	return !memmem(o, len - (size_t)(o - line), "*/", 2);
}

static int fg_read(struct prs_reader *r, struct txt *t, struct prs_event *ev)
{
	char *line;
	size_t len;
	int ret;

	if (!t->split_ahead) {
		/* from now on a .zst's thread splits the lines it hands over */
		prs_input_set_line_fn(t->in, fg_split_ahead, sizeof(struct txt_fg_cols));
		t->split_ahead = true;
	}
	for (;;) {
		const struct txt_fg_cols *x = NULL;

		if (t->at_eof)
			return 0;
		if (t->held_eof) {
			t->held_eof = false;
			t->at_eof = true;
			return txt_end(r, t, 0);
		}
		if (t->pending) {
			line = t->pending;
			len = t->pending_len;
			t->pending = NULL;
		} else {
			ret = prs_input_getline(t->in, &line, &len);
			if (ret == 0 && t->held_len) {
				/* a comment never closed: as it is */
				t->held_eof = true;
				line = t->held;
				len = t->held_len;
				t->held_len = 0;
				goto parse;
			}
			if (ret <= 0) {
				if (ret == 0)
					t->at_eof = true;
				return txt_end(r, t, ret);
			}
			r->stats.lines++;
			x = prs_input_line_aux(t->in);
			if (len && (line[0] == '>' || line[0] == ' '))
				if (txt_unquote(r, &line, &len))
					x = NULL;	/* split with its quote marks: again */
		}
		if (prs_input_line_has_nul(t->in)) {
			ret = txt_nul_line(r, t);
			if (ret < 0)
				return ret;
			continue;
		}
		/*
		 * A tracepoint comment a mailer wrapped (its fields and its closing
		 * on the next lines, Xing Zhengjun's 5.12 paste): joined
		 */
		if (t->held_len) {
			/* a line of its own (the graph's columns) does not go on the comment */
			if (!txt_fgraph_shape(line, len) && txt_held_join(t, line, len)) {
				r->stats.wrapped_lines++;
				if (!memmem(line, len, "*/", 2))
					continue;
			} else {
				t->pending = line;	/* not its rest: this line is the next */
				t->pending_len = len;
			}
			line = t->held;
			len = t->held_len;
			t->held_len = 0;
			x = NULL;
		} else if (open_comment(line, len)) {
			if (!txt_held_take(t, line, len))
				return prs_fail_file(r, PRS_ENOMEM, "out of memory");
			continue;
		}
parse:
		if (txt_parse_lost(r, line, line + len, ev)) {
			if (txt_count(r, &t->lost_slot, t->lost_name, PRS_EV_LOST) < 0)
				return prs_fail_file(r, PRS_ENOMEM, "out of memory");
			ev->name = t->lost_name;
			t->nr_events++;
			return 1;
		}
		/* split already by the input's thread: the same as fg_parse() */
		ret = x ? fg_take(r, t, x, ev, false) : fg_parse(r, t, line, len, ev, false);
		if (ret < -1)
			return prs_fail(r, ret, true, prs_input_lineno(t->in), "out of memory");
		if (ret == -1 && txt_is_elision(line, len)) {
			r->stats.skipped_lines++;
			r->stats.elided_lines++;
			continue;
		}
		if (ret == -1) {
			ret = txt_bad_line(r, t);
			if (ret < 0)
				return ret;
			continue;
		}
		if (ret == 0) {
			r->stats.skipped_lines++;
			continue;
		}
		t->nr_events++;
		if (ev->kind == PRS_EV_OTHER && !(r->flags & PRS_OPT_OTHER)) {
			prs_account(r, ev);
			continue;
		}
		return 1;
	}
}


/*
 * trace-cmd report prints function_graph records two ways:
 *   -N (no plugins): "--> func (1)" and
 *                    "<-- func (1) (start: 1452219a4a  end: 145223803f) over: 1"
 *                    (calltime and rettime in hex ns; with CONFIG_FUNCTION_GRAPH_RETVAL,
 *                    6.5+, the format ends in " retval: ffd40000000d7d80", hex)
 *   its plugin:      "|  func() {", "! 124.405 us |    func();", "+ 18.848 us  |  }"
 * The plugin's leaf is an entry with a pending exit, as in tracer text.
 */
bool txt_fgraph_report(struct prs_reader *r, struct txt *t, char *s, char *e,
		       struct prs_event *ev)
{
	char *f, *fe, *p;
	uint64_t depth, start = 0, end = 0;
	bool exit = ev->kind == PRS_EV_FUNC_EXIT;
	struct txt_cpu *c = fg_cpu(t, ev->cpu);
	struct fg_stack st;

	while (s < e && *s == ' ')
		s++;
	if (e - s > 4 && !memcmp(s, exit ? "<-- " : "--> ", 4)) {
		f = s + 4;
		fe = memchr(f, ' ', (size_t)(e - f));
		if (!fe || fe + 2 >= e || fe[1] != '(')
			return false;
		p = memchr(fe + 2, ')', (size_t)(e - fe - 2));
		if (!p || !txt_parse_num(fe + 2, p, &depth) || depth > 4096)
			return false;
		ev->u.fn.func = prs_intern(r, f, (size_t)(fe - f));
		ev->u.fn.depth = (int)depth;
		if (exit) {
			char *a = memmem(p, (size_t)(e - p), "start: ", 7);
			char *b = memmem(p, (size_t)(e - p), "end: ", 5);
			char *ae, *be;

			if (!a || !b)
				return false;
			a += 7;
			b += 5;
			for (ae = a; ae < e && *ae != ' '; ae++)
				;
			for (be = b; be < e && *be != ' ' && *be != ')'; be++)
				;
			if (!txt_parse_hex(a, ae, &start) || !txt_parse_hex(b, be, &end) || end < start)
				return false;
			ev->u.fn.duration = end - start;
			a = memmem(be, (size_t)(e - be), " retval: ", 9);
			if (a) {
				a += 9;
				for (ae = a; ae < e && *ae != ' '; ae++)
					;
				if (!txt_parse_hex(a, ae, &ev->u.fn.retval))
					return false;
			}
			if (c && fg_stack(t, c, ev->pid, &st))
				fg_pop(st, ev->u.fn.depth);
		} else if (c && fg_stack(t, c, ev->pid, &st)) {
			fg_push(st, ev->u.fn.func, ev->u.fn.depth);
		}
		return ev->u.fn.func != NULL;
	}
	return fg_parse(r, t, s, (size_t)(e - s), ev, true) == 1;
}

/*
 * A leaf line carries one timestamp (its entry) and a duration.  Its exit
 * is placed at entry + duration, but never after the next event of the
 * file: the text is merged in time order, and under some clocks (seen
 * under qemu TCG on 6.12) ts + duration overshoots the next line by up to
 * milliseconds.  So the line after a leaf is read ahead, and the exit is
 * clamped to it.
 */
int txt_fgraph_next(struct prs_reader *r, struct prs_event *ev)
{
	return txt_next_leaves(r, r->priv, ev, fg_read);
}

int txt_next_leaves(struct prs_reader *r, struct txt *t, struct prs_event *ev, txt_read_fn read)
{
	size_t n;
	int ret;

	if (!t->entry_name) {
		t->entry_name = prs_intern_str(r, "funcgraph_entry");
		t->exit_name = prs_intern_str(r, "funcgraph_exit");
		if (!t->entry_name || !t->exit_name)
			return prs_fail_file(r, PRS_ENOMEM, "out of memory");
		/* slots are taken when first counted: a trace without them lists none */
		t->entry_slot = t->exit_slot = -1;
	}
	/*
	 * The line read ahead goes first: when it is a leaf too, reading it
	 * set t->pend to its own exit, which must follow it (two leaves in a
	 * row gave entry A, exit A, exit B, entry B before).
	 */
	if (t->have_next) {
		*ev = t->next;
		t->have_next = false;
		prs_account(r, ev);
		return 1;
	}
	if (t->have_pend) {
		uint64_t entry_ts = t->pend.ts - (t->pend.u.fn.duration != PRS_NO_VALUE &&
						  !r->stats.ts_missing ? t->pend.u.fn.duration : 0);

		*ev = t->pend;
		t->have_pend = false;
		/* the read-ahead may reuse the line buffer and per-CPU names */
		n = strnlen(ev->comm, sizeof(t->pend_comm) - 1);
		memcpy(t->pend_comm, ev->comm, n);
		t->pend_comm[n] = '\0';
		ev->comm = t->pend_comm;
		if (!t->have_next) {
			ret = read(r, t, &t->next);
			if (ret < 0)
				return ret;
			t->have_next = ret > 0;
		}
		if (t->have_next && !r->stats.ts_missing && t->next.ts < ev->ts)
			ev->ts = t->next.ts > entry_ts ? t->next.ts : entry_ts;
		if (txt_count(r, &t->exit_slot, t->exit_name, PRS_EV_FUNC_EXIT) < 0)
			return prs_fail_file(r, PRS_ENOMEM, "out of memory");
		prs_account(r, ev);
		return 1;
	}
	if (t->have_next) {
		*ev = t->next;
		t->have_next = false;
	} else {
		ret = read(r, t, ev);
		if (ret <= 0)
			return ret;
	}
	prs_account(r, ev);
	return 1;
}
