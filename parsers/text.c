// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text readers: tracefs trace / trace_pipe, trace-cmd report, perf script
 * (one line shape: TASK [CPU] TS: EVENT: PAYLOAD) and function_graph text.
 *
 * Everything is parsed in place in the input's line buffer: strings handed
 * out (comm, sched_switch comms, print text) are NUL-terminated inside it
 * and stay valid until the next getline, i.e. the next prs_next().  Only
 * event names, function names, gfp and status strings are interned.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parsers-local.h"
#include "text-local.h"

/* ---- small parsing helpers ---------------------------------------------- */

static inline bool is_digit(char c)
{
	return (unsigned char)(c - '0') < 10;
}

/* The '=' of "key=value" in [tok, e), or NULL: keys are a few bytes, a loop beats a call. */
static inline char *key_end(char *tok, const char *e)
{
	for (; tok < e; tok++)
		if (*tok == '=')
			return tok;
	return NULL;
}

/* hex digit value + 1; 0 = not a hex digit */
static const unsigned char hex_lut[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * Eight hex digits at once; @w holds them first digit in the low byte
 * (txt_load8()).  Every byte must be 0-9, a-f or A-F: with all high bits
 * clear, adding 0x80 - lo to a byte sets its high bit iff it is >= lo,
 * and no byte carries into the next.  Kernel pointers in kretprobe
 * returns are 16 digits: two of these instead of 16 table look-ups.
 */
static inline bool hex8(uint64_t w, uint64_t *out)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t l = w | 0x2020202020202020ull;	/* 'A'-'F' -> 'a'-'f' */
	uint64_t digit = (w + 0x50 * ones) & ~(w + 0x46 * ones);	/* '0'..'9' */
	uint64_t alpha = (l + 0x1f * ones) & ~(l + 0x19 * ones);	/* 'a'..'f' */
	uint64_t v;

	if ((w & high) || ((digit | alpha) & high) != high)
		return false;
	v = (w & 0x0f0f0f0f0f0f0f0full) + ((alpha & high) >> 7) * 9;
	v = (v << 4 | v >> 8) & 0x00ff00ff00ff00ffull;		/* pairs */
	v = (v << 8 | v >> 16) & 0x0000ffff0000ffffull;		/* fours */
	*out = (v << 16 | v >> 32) & 0xffffffffull;
	return true;
}

/* [s, e) of at most 16 hex digits; false on anything else */
static inline bool parse_hex_digits(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0, hi = 0;
	unsigned int bad = 0;
	size_t n = (size_t)(e - s);

	if (n > 16)
		return false;
	if (n >= 8) {
		/* the last eight, and the first eight shifted past the overlap */
		if (!hex8(txt_load8(e - 8), &v))
			return false;
		if (n > 8) {
			if (!hex8(txt_load8(s), &hi))
				return false;
			hi >>= 4 * (16 - n);
		}
		*out = hi << 32 | v;
		return true;
	}
	for (; s < e; s++) {
		unsigned int h = hex_lut[(unsigned char)*s];

		bad |= h == 0;
		v = v << 4 | (h - 1);
	}
	*out = v;
	return !bad;
}

/*
 * Parse a whole token [s, e) as a number: 0x hex, decimal, or negative
 * decimal (stored two's complement, as the kernel's retval would be).
 */
bool txt_parse_num(const char *s, const char *e, uint64_t *out)
{
	uint64_t v = 0;
	bool neg = false;

	/* most numbers of a trace: a few decimal digits (pid, cpu, order, nid) */
	if (s < e && e - s <= 9) {
		const char *p;

		for (p = s; p < e && is_digit(*p); p++)
			v = v * 10 + (uint64_t)(*p - '0');
		if (p == e) {
			*out = v;
			return true;
		}
		v = 0;
	}

	if (s < e && *s == '-') {
		neg = true;
		s++;
	}
	if (s >= e)
		return false;
	if (e - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		s += 2;
		if (e - s > 16 || !parse_hex_digits(s, e, &v))
			return false;
	} else {
		if (e - s > 20)
			return false;
		for (; s < e; s++) {
			if (!is_digit(*s))
				return false;
			v = v * 10 + (uint64_t)(*s - '0');
		}
	}
	*out = neg ? (uint64_t)-(int64_t)v : v;
	return true;
}

/* Bare hex without 0x (perf probe addresses, fgraph page=...). */
bool txt_parse_hex(const char *s, const char *e, uint64_t *out)
{
	if (s >= e || e - s > 16)
		return false;
	return parse_hex_digits(s, e, out);
}

static bool parse_i32(const char *s, const char *e, int32_t *out)
{
	uint64_t v;

	if (!txt_parse_num(s, e, &v))
		return false;
	if ((int64_t)v < INT32_MIN || (int64_t)v > INT32_MAX)
		return false;
	*out = (int32_t)(int64_t)v;
	return true;
}

/*
 * "SECS.FRAC" to ns: FRAC has 6 digits (µs, the kernel's and trace-cmd's
 * default) or 9 (trace-cmd report -t, perf --ns).  A counter clock
 * (x86-tsc, counter) prints no dot: the value is kept as it is.
 */
/* Eight ASCII digits loaded from memory (most significant first), or false. */
static inline bool digits8(uint64_t v, uint64_t *out)
{
	/* each byte 0x30..0x39: high nibble 3, and adding 6 keeps it 3 */
	if (((v & 0xf0f0f0f0f0f0f0f0ull) | ((v + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) >> 4) !=
	    0x3333333333333333ull)
		return false;
	v &= 0x0f0f0f0f0f0f0f0full;
	v = (v * 2561) >> 8 & 0x00ff00ff00ff00ffull;		/* pairs of digits */
	v = (v * 6553601) >> 16 & 0x0000ffff0000ffffull;	/* fours */
	*out = (v * 42949672960001ull) >> 32;
	return true;
}

bool txt_parse_ts(const char *s, const char *e, uint64_t *out)
{
	static const uint64_t scale[10] = {
		1000000000ull, 100000000ull, 10000000ull, 1000000ull, 100000ull,
		10000ull, 1000ull, 100ull, 10ull, 1ull,
	};
	uint64_t sec = 0, frac = 0, v;
	size_t n, i;

	if (s >= e || !is_digit(*s))
		return false;
	while (s < e && is_digit(*s))
		sec = sec * 10 + (uint64_t)(*s++ - '0');
	if (s == e) {
		*out = sec;
		return true;
	}
	if (*s++ != '.')
		return false;
	n = (size_t)(e - s);
	if (n >= 6 && n <= 8) {
		/*
		 * µs (6 digits), the common case: the 8 bytes ending at e end
		 * with the digits (the dot and a digit of the seconds come
		 * before them at least).  Dropping the bytes in front and
		 * appending '0's gives the fraction in units of 10 ns.
		 */
		unsigned int sh = 8 * (unsigned int)(8 - n);

		v = txt_load8(e - 8);
		if (sh)
			v = v >> sh | 0x3030303030303030ull << (64 - sh);
		if (!digits8(v, &frac))
			return false;
		*out = sec * 1000000000ull + frac * 10;
		return true;
	}
	if (n == 0)
		return false;
	/* ns and beyond (digits past the ns are dropped), or fewer than 6 */
	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		if (i < 9)
			frac = frac * 10 + (uint64_t)(s[i] - '0');
	}
	*out = sec * 1000000000ull + frac * scale[n < 9 ? n : 9];
	return true;
}

/* ---- event names -------------------------------------------------------- */

/*
 * Decide what an event name is, once: a tracepoint we know, a kprobe
 * (by the shape of its payload, whatever its name), or something else.
 */
static void name_classify(struct prs_reader *r, struct txt_name *n,
			  const char *tok, size_t toklen,
			  const char *payload, size_t plen)
{
	const char *colon = memrchr(tok, ':', toklen);
	const char *base = colon ? colon + 1 : tok;
	size_t blen = toklen - (size_t)(base - tok);

	n->name = prs_intern(r, base, blen);
	n->kind = prs_kind_by_name(base, blen);
	n->probe_func = NULL;
	memset(n->memo, 0, sizeof(n->memo));
	n->memo_next = 0;
	/* trace-cmd report prints function_graph records as these two events */
	if (blen == 15 && !memcmp(base, "funcgraph_entry", 15))
		n->kind = PRS_EV_FUNC_ENTRY;
	else if (blen == 14 && !memcmp(base, "funcgraph_exit", 14))
		n->kind = PRS_EV_FUNC_EXIT;
	if (n->kind == PRS_EV_OTHER && plen > 2 && payload[0] == '(') {
		const char *close = memchr(payload, ')', plen);

		if (close) {
			bool ret = memmem(payload, (size_t)(close - payload), " <- ", 4) != NULL;

			n->kind = ret ? PRS_EV_KRETPROBE : PRS_EV_KPROBE;
			/*
			 * perf probe: probe:FUNC and probe:FUNC__return, bare
			 * addresses.  Without the "system:" of perf script (e.g.
			 * trace-cmd report, which prints kprobes as "(%lx)" too)
			 * the name is the user's, not a function: unknown.
			 */
			if (!colon)
				n->probe_func = NULL;
			else if (blen > 8 && memcmp(base + blen - 8, "__return", 8) == 0)
				n->probe_func = prs_intern(r, base, blen - 8);
			else
				n->probe_func = n->name;
		}
	}
	if (n->name)
		n->slot = prs_name_slot(r, n->name, n->kind);
}

struct txt_name *txt_name_lookup(struct prs_reader *r, struct txt *t,
				 const char *tok, size_t toklen,
				 const char *payload, size_t plen)
{
	struct txt_name *g = t->last_name ? t->last_name->next : NULL;
	uint32_t h;
	size_t mask = TXT_NAMES - 1;
	size_t i;

	/* events come in cycles (entry, get_page_from_freelist, mm_page_alloc, return): guess first */
	if (g && g->keylen == toklen && memcmp(g->key, tok, toklen) == 0) {
		t->last_name = g;
		return g;
	}
	h = prs_hash(tok, toklen);
	for (i = h & mask; t->names[i].key; i = (i + 1) & mask) {
		struct txt_name *n = &t->names[i];

		if (n->hash == h && n->keylen == toklen && memcmp(n->key, tok, toklen) == 0) {
			if (t->last_name)
				t->last_name->next = n;
			t->last_name = n;
			return n;
		}
	}
	t->last_name = NULL;
	if (t->nr_names * 4 >= TXT_NAMES * 3) {
		/* table full: classify into a scratch slot, uncached */
		name_classify(r, &t->scratch, tok, toklen, payload, plen);
		return t->scratch.name && t->scratch.slot >= 0 ? &t->scratch : NULL;
	}
	struct txt_name *n = &t->names[i];

	n->key = prs_intern(r, tok, toklen);
	if (!n->key)
		return NULL;
	n->keylen = toklen;
	n->hash = h;
	name_classify(r, n, tok, toklen, payload, plen);
	if (!n->name || n->slot < 0) {
		n->key = NULL;
		return NULL;
	}
	t->nr_names++;
	t->last_name = n;
	return n;
}

/* ---- payload decoding ---------------------------------------------------- */

/*
 * " <- " of a kretprobe payload: memchr for '<' beats glibc's memmem on
 * a 4-byte needle (9 % of a kprobe trace's instructions).
 */
static char *find_arrow(char *s, size_t len)
{
	char *end = s + len, *p = s;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (p > s && p[-1] == ' ' && end - p >= 3 && p[1] == '-' && p[2] == ' ')
			return p - 1;
		p++;
	}
	return NULL;
}

/* "sym+0x4/0x310" -> "sym" */
static const char *intern_sym(struct prs_reader *r, const char *s, const char *e)
{
	const char *plus = memchr(s, '+', (size_t)(e - s));

	if (plus)
		e = plus;
	while (e > s && e[-1] == ' ')
		e--;
	return prs_intern(r, s, (size_t)(e - s));
}

/*
 * kprobe:    "(sym+0x4/0x310) a=1 b=2"
 * kretprobe: "(caller+0x169/0x310 <- func) ret=0x..."
 * perf probe: "(ffffffff81234567)" / "(ffffffff8123 <- ffffffff8456)", the
 * function is in the event's name.
 */
static void decode_probe(struct prs_reader *r, struct txt_name *n,
			 char *s, char *e, struct prs_event *ev)
{
	char *inner = s + 1, *arrow, *p, *close;
	uint64_t first = PRS_NO_VALUE, named = PRS_NO_VALUE, addr;
	int nargs = 0;
	bool bare = false;
	struct txt_probe_memo *m;

	for (m = n->memo; m < n->memo + TXT_PROBE_MEMO && m->len; m++) {
		if (e - s >= m->len && memcmp(s, m->key, m->len) == 0) {
			close = s + m->len - 1;
			ev->u.fn.func = m->func;
			ev->u.fn.caller = m->caller;
			bare = m->bare;
			goto args;
		}
	}
	/*
	 * The kind is decided once per event name, from its first line: a
	 * later line of that name need not start with '(' (fuzz: "r3: )(x"
	 * made close - inner negative).
	 */
	close = s < e && *s == '(' ? memchr(inner, ')', (size_t)(e - inner)) : NULL;
	if (!close) {
		r->stats.bad_fields++;
		return;
	}
	arrow = find_arrow(inner, (size_t)(close - inner));
	if (n->kind == PRS_EV_KRETPROBE && arrow) {
		char *f = arrow + 4;

		if (txt_parse_hex(f, close, &addr) && txt_parse_hex(inner, arrow, &addr)) {
			ev->u.fn.func = n->probe_func;
			bare = true;
		} else {
			ev->u.fn.func = intern_sym(r, f, close);
			ev->u.fn.caller = intern_sym(r, inner, arrow);
		}
	} else if (txt_parse_hex(inner, close, &addr)) {
		ev->u.fn.func = n->probe_func;
		bare = true;
	} else {
		ev->u.fn.func = intern_sym(r, inner, close);
	}
	if (close - s < TXT_PROBE_KEY) {
		m = &n->memo[n->memo_next++ % TXT_PROBE_MEMO];
		m->len = (uint8_t)(close - s + 1);
		memcpy(m->key, s, m->len);
		m->func = ev->u.fn.func;
		m->caller = ev->u.fn.caller;
		m->bare = bare;
	}

args:
	/* fetched args: "name=value" separated by spaces */
	for (p = close + 1; p < e; ) {
		char *tok, *eq, *te;
		uint64_t v;

		p = skip_spaces(p, e);
		if (p >= e)
			break;
		tok = p;
		te = memchr(p, ' ', (size_t)(e - p));
		if (!te)
			te = e;
		p = te;
		eq = key_end(tok, te);
		if (!eq)
			continue;
		if (!txt_parse_num(eq + 1, te, &v))
			v = PRS_NO_VALUE;	/* strings, symbols: not numbers */
		if (nargs < 2)
			ev->u.fn.arg[nargs] = v;
		if (nargs == 0)
			first = v;
		nargs++;
		if (named == PRS_NO_VALUE &&
		    ((eq - tok == 3 && memcmp(tok, "ret", 3) == 0) ||
		     (eq - tok == 6 && memcmp(tok, "retval", 6) == 0) ||
		     (eq - tok == 4 && memcmp(tok, "arg1", 4) == 0)))
			named = v;
		else if (eq - tok == 11 && memcmp(tok, "alloc_flags", 11) == 0) {
			uint64_t fv;
			bool num = txt_parse_num(eq + 1, te, &fv);

			/* not a number: a bad field; -1 (UINT64_MAX) is no "absent" either */
			ev->u.fn.alloc_flags = num && fv != PRS_NO_VALUE ? fv : PRS_BAD_VALUE;
			r->stats.bad_fields += !num;
		}
	}
	if (n->kind == PRS_EV_KRETPROBE) {
		/* a return probe's first argument is its return value, unless named otherwise */
		ev->u.fn.retval = named != PRS_NO_VALUE ? named :
				  ev->u.fn.alloc_flags == PRS_NO_VALUE ? first : PRS_NO_VALUE;
		ev->u.fn.arg[0] = ev->u.fn.arg[1] = PRS_NO_VALUE;
	}
	/* bare addresses without a perf "probe:" name: unknown, not malformed (info warns) */
	if (!ev->u.fn.func && !bare)
		r->stats.bad_fields++;
}

/* kernel: prev_comm=A B prev_pid=1 prev_prio=120 prev_state=R+ ==> next_comm=C next_pid=2 next_prio=120 */
static bool decode_switch_kernel(char *s, char *e, struct prs_event *ev)
{
	char *pp, *st, *nc, *np, *x;
	int32_t v;

	pp = memmem(s, (size_t)(e - s), " prev_pid=", 10);
	if (!pp)
		return false;
	ev->u.sw.prev_comm = s + 10;
	*pp = '\0';
	pp += 10;
	x = memchr(pp, ' ', (size_t)(e - pp));
	if (!x || !parse_i32(pp, x, &v))
		return false;
	ev->u.sw.prev_pid = v;
	st = memmem(x, (size_t)(e - x), " prev_state=", 12);
	if (st && st + 12 < e)
		ev->u.sw.prev_state = st[12];
	nc = memmem(x, (size_t)(e - x), "==> next_comm=", 14);
	if (!nc)
		return false;
	nc += 14;
	np = memmem(nc, (size_t)(e - nc), " next_pid=", 10);
	if (!np)
		return false;
	ev->u.sw.next_comm = nc;
	*np = '\0';
	np += 10;
	x = memchr(np, ' ', (size_t)(e - np));
	if (!parse_i32(np, x ? x : e, &v))
		return false;
	ev->u.sw.next_pid = v;
	return true;
}

/* "comm:pid [prio]" (trace-cmd's sched plugin), NUL-terminates comm */
static bool split_comm_pid(char *s, char *e, const char **comm, int32_t *pid)
{
	char *br = e, *colon;

	while (br > s && br[-1] != '[')
		br--;
	if (br > s) {
		e = br - 1;
		while (e > s && e[-1] == ' ')
			e--;
	}
	colon = memrchr(s, ':', (size_t)(e - s));
	if (!colon || !parse_i32(colon + 1, e, pid))
		return false;
	*colon = '\0';
	*comm = s;
	return true;
}

/* trace-cmd: "prev:18 [120] W ==> next:0 [120]" */
static bool decode_switch_plugin(char *s, char *e, struct prs_event *ev)
{
	char *arrow = memmem(s, (size_t)(e - s), " ==> ", 5);
	char *le, *st;

	if (!arrow)
		return false;
	le = arrow;
	st = le;
	while (st > s && st[-1] != ' ')
		st--;
	if (st < le && st > s)
		ev->u.sw.prev_state = *st;
	le = st;
	while (le > s && le[-1] == ' ')
		le--;
	if (!split_comm_pid(s, le, &ev->u.sw.prev_comm, &ev->u.sw.prev_pid))
		return false;
	while (e > arrow + 5 && e[-1] == ' ')
		e--;
	return split_comm_pid(arrow + 5, e, &ev->u.sw.next_comm, &ev->u.sw.next_pid);
}

static void set_gfp(struct prs_reader *r, struct prs_event *ev, char *v, char *ve)
{
	uint64_t g;

	if (v[0] == '0' && ve - v > 2 && (v[1] | 0x20) == 'x' && txt_parse_num(v, ve, &g)) {
		ev->u.mm.gfp = g;
		return;
	}
	if (ve - v == 4 && memcmp(v, "none", 4) == 0)
		ev->u.mm.gfp = 0;	/* the kernel prints 0 as "none" */
	ev->u.mm.gfp_str = prs_intern(r, v, (size_t)(ve - v));
}

/*
 * A NULL "%p" as kernels and tools print it: "(null)" (older vsprintf),
 * "(nil)" (glibc, trace-cmd report), "0000000000000000" / "0x0".  A hashed
 * pointer to a page is never all zeros.
 */
static bool is_null_pointer(const char *v, const char *ve)
{
	if ((ve - v == 5 && !memcmp(v, "(nil)", 5)) || (ve - v == 6 && !memcmp(v, "(null)", 6)))
		return true;
	if (ve - v > 2 && v[0] == '0' && (v[1] | 0x20) == 'x')
		v += 2;
	if (v == ve)
		return false;
	for (; v < ve; v++)
		if (*v != '0')
			return false;
	return true;
}

/*
 * A zone name as ZONE_TYPE prints it ("zone=%-8s": "Normal  "), one number
 * per name: the kernel's indices differ with the config (no DMA32 on
 * arm64), the analyzer only compares them.
 */
static int32_t zone_number(const char *v, const char *ve)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal", "HighMem", "Movable", "Device" };
	uint32_t h = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == (size_t)(ve - v) && !memcmp(names[i], v, (size_t)(ve - v)))
			return (int32_t)i;
	for (const char *c = v; c < ve; c++)
		h = h * 31 + (unsigned char)*c;
	return 16 + (int32_t)(h % 4096);
}

/* Key=value fields by name; values end at a space or a ',' before one. */
static void decode_fields(struct prs_reader *r, char *s, char *e, struct prs_event *ev)
{
	char *p = s;
	bool bad = false, nil_page = false, page = false, pfn = false;

	while (p < e) {
		char *tok, *eq, *v, *ve;
		size_t klen;

		p = skip_spaces(p, e);
		if (p >= e)
			break;
		tok = p;
		ve = memchr(p, ' ', (size_t)(e - p));
		if (!ve)
			ve = e;
		p = ve;
		eq = key_end(tok, ve);
		if (!eq)
			continue;
		if (ve > eq + 1 && ve[-1] == ',')
			ve--;
		v = eq + 1;
		klen = (size_t)(eq - tok);

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(tok, k, sizeof(k) - 1) == 0)
		switch (ev->kind) {
		case PRS_EV_PAGE_ALLOC:
		case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
		case PRS_EV_WAKEUP_KSWAPD:
		case PRS_EV_KSWAPD_WAKE:
		case PRS_EV_TRY_COMPACT:
			if (KEY("order"))
				bad |= !parse_i32(v, ve, &ev->u.mm.order);
			else if (KEY("gfp_flags") || KEY("gfp_mask"))
				set_gfp(r, ev, v, ve);
			else if (KEY("page") && v == ve && e - p >= 7 && !memcmp(p, " (null)", 7) &&
				 (e - p == 7 || p[7] == ' '))
				/* 4.x printed "page=%p" of NULL as "page= (null)" (vsprintf padding) */
				nil_page = true, p += 7;
			else if (KEY("page"))
				nil_page = is_null_pointer(v, ve), page = v < ve;
			else if (KEY("pfn") && !nil_page)
				/* a failed allocation prints "page=(nil) pfn=0x0"; trace.dat has pfn -1 */
				bad |= !(pfn = txt_parse_num(v, ve, &ev->u.mm.pfn));
			else if (KEY("migratetype"))
				bad |= !parse_i32(v, ve, &ev->u.mm.migratetype);
			else if (KEY("nid"))
				bad |= !parse_i32(v, ve, &ev->u.mm.nid);
			else if (KEY("zid"))
				bad |= !parse_i32(v, ve, &ev->u.mm.zid);
			else if (KEY("priority") || KEY("prio"))
				bad |= !parse_i32(v, ve, &ev->u.mm.prio);
			break;
		case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
			if (KEY("nr_reclaimed"))
				bad |= !txt_parse_num(v, ve, &ev->u.reclaim.nr_reclaimed);
			break;
		case PRS_EV_KSWAPD_SLEEP:
			if (KEY("nid"))
				bad |= !parse_i32(v, ve, &ev->u.kswapd.nid);
			break;
		case PRS_EV_LRU_SHRINK:
			if (KEY("nid"))
				bad |= !parse_i32(v, ve, &ev->u.lru.nid);
			else if (KEY("priority"))
				bad |= !parse_i32(v, ve, &ev->u.lru.priority);
			else if (KEY("nr_reclaimed"))	/* _inactive; _active has none */
				bad |= !txt_parse_num(v, ve, &ev->u.lru.nr_reclaimed);
			else if (KEY("nr_scanned"))
				bad |= !txt_parse_num(v, ve, &ev->u.lru.nr_scanned);
			break;
		case PRS_EV_COMPACT_BEGIN:
		case PRS_EV_COMPACT_END:
		case PRS_EV_COMPACT_SUITABLE:
		case PRS_EV_COMPACT_DEFERRED:
		case PRS_EV_COMPACT_FINISHED:
			if (KEY("mode") || KEY("sync")) {
				if (is_digit(*v))
					bad |= !parse_i32(v, ve, &ev->u.compact.sync);
				else
					ev->u.compact.sync = !(ve - v == 5 && memcmp(v, "async", 5) == 0);
			} else if (KEY("order")) {
				bad |= !parse_i32(v, ve, &ev->u.compact.order);
			} else if (KEY("status") || KEY("ret")) {
				if (!parse_i32(v, ve, &ev->u.compact.status))
					ev->u.compact.status_str = prs_intern(r, v, (size_t)(ve - v));
			}
			break;
		case PRS_EV_MARK_VICTIM:
			if (KEY("pid"))
				bad |= !parse_i32(v, ve, &ev->u.victim.pid);
			break;
		case PRS_EV_RECLAIM_RETRY:
		case PRS_EV_COMPACT_RETRY:
			if (KEY("order"))
				bad |= !parse_i32(v, ve, &ev->u.retry.order);
			else if (KEY("node"))
				bad |= !parse_i32(v, ve, &ev->u.retry.nid);
			else if (KEY("no_progress_loops") || KEY("retries"))
				bad |= !parse_i32(v, ve, &ev->u.retry.loops);
			else if (KEY("max_retries"))
				bad |= !parse_i32(v, ve, &ev->u.retry.max);
			else if (KEY("wmark_check") || KEY("should_retry"))
				bad |= !parse_i32(v, ve, &ev->u.retry.verdict);
			else if (KEY("zone"))
				ev->u.retry.zone = zone_number(v, ve);
			break;
		case PRS_EV_WRITEPAGE:
			if (KEY("pfn"))
				bad |= !txt_parse_num(v, ve, &ev->u.wp.pfn);
			else if (KEY("flags"))	/* show_reclaim_flags(): "RECLAIM_WB_FILE|RECLAIM_WB_ASYNC" */
				ev->u.wp.file = memmem(v, (size_t)(ve - v), "RECLAIM_WB_FILE", 15) ? 1 :
						memmem(v, (size_t)(ve - v), "RECLAIM_WB_ANON", 15) ? 0 : -1;
			break;
		case PRS_EV_THROTTLED:
		case PRS_EV_CONGESTION_WAIT:
			if (KEY("nid"))
				bad |= !parse_i32(v, ve, &ev->u.throttle.nid);
			else if (KEY("usec_timeout"))
				bad |= !parse_i32(v, ve, &ev->u.throttle.usec_timeout);
			else if (KEY("usec_delayed") || KEY("usect_delayed"))	/* the print format's spelling */
				bad |= !parse_i32(v, ve, &ev->u.throttle.usec_delayed);
			break;
		case PRS_EV_SHRINK_SLAB_BEGIN:
		case PRS_EV_SHRINK_SLAB_END:
			return;	/* "nid: 0 objects to shrink ...": the time is what counts */
		default:
			return;
		}
#undef KEY
	}
	if (ev->kind == PRS_EV_PAGE_ALLOC) {
		/*
		 * A failure is a NULL page, or pfn -1 where a format prints it raw;
		 * an event with neither field (a vendor's or an old format) does not
		 * say, and is no failure.
		 */
		if (nil_page || (pfn && ev->u.mm.pfn == PRS_NO_VALUE))
			ev->u.mm.page = 0;
		else if (pfn || page)
			ev->u.mm.page = 1;
	}
	if (bad)
		r->stats.bad_fields++;
}

/* print: trace-cmd and perf prefix the text with the caller ("ip: text"). */
static void decode_print(struct txt *t, const struct txt_name *n, char *s, char *e,
			 struct prs_event *ev)
{
	if (n->kind == PRS_EV_PRINT && n->keylen >= 5 &&
	    memcmp(n->key + n->keylen - 5, "print", 5) == 0) {
		char *c = memchr(s, ':', (size_t)(e - s));

		if (c && c + 1 < e && c[1] == ' ' && !memchr(s, ' ', (size_t)(c - s)))
			s = c + 2;
	}
	while (e > s && e[-1] == '\n')
		e--;
	*e = '\0';
	ev->u.print.text = s;
	ev->u.print.len = (size_t)(e - s);
}

/*
 * "func <-caller" (tracefs) or "func <-- caller" (trace-cmd report, which
 * pads the column and may indent by depth: "function:    try_to_free_pages
 * <-- ..."); offsets kept in the names
 */
static void decode_call(struct prs_reader *r, char *s, char *e, struct prs_event *ev)
{
	char *sp, *c;

	s = skip_spaces(s, e);
	sp = memchr(s, ' ', (size_t)(e - s));

	if (!sp || e - sp < 4 || memcmp(sp, " <-", 3) != 0) {
		r->stats.bad_fields++;
		return;
	}
	ev->u.fn.func = prs_intern(r, s, (size_t)(sp - s));
	c = sp + 3;
	if (c < e && *c == '-')
		c++;
	c = skip_spaces(c, e);
	while (e > c && e[-1] == ' ')
		e--;
	if (c < e)
		ev->u.fn.caller = prs_intern(r, c, (size_t)(e - c));
}

/* Decode @payload [s, e) of event @n into @ev (kind set by caller). */
void txt_decode(struct prs_reader *r, struct txt *t, struct txt_name *n,
		char *s, char *e, struct prs_event *ev)
{
	switch (n->kind) {
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE:
		decode_probe(r, n, s, e, ev);
		break;
	case PRS_EV_FUNC_CALL:
		decode_call(r, s, e, ev);
		break;
	case PRS_EV_SCHED_SWITCH:
		*e = '\0';
		if (e - s > 10 && memcmp(s, "prev_comm=", 10) == 0) {
			if (!decode_switch_kernel(s, e, ev))
				r->stats.bad_fields++;
		} else if (!decode_switch_plugin(s, e, ev)) {
			r->stats.bad_fields++;
		}
		break;
	case PRS_EV_PRINT:
		decode_print(t, n, s, e, ev);
		break;
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
		if (!txt_fgraph_report(r, t, s, e, ev))
			r->stats.bad_fields++;
		break;
	case PRS_EV_OTHER:
		break;
	default:
		decode_fields(r, s, e, ev);
		break;
	}
}

/* ---- TASK [CPU] FLAGS TS: EVENT: PAYLOAD ----------------------------------- */

/*
 * Split the task column: "comm-pid" (tracefs, trace-cmd; the pid is after
 * the LAST dash: "kworker/u16:2-77"), optionally followed by Android's TGID
 * column "(  tgid)" or "(-------)", or perf's "comm pid" / "comm pid/tid".
 */
/* trace-cmd report names the buffer instance first: "inst: TASK [CPU] ..." */
static void skip_instance_prefix(char **line, size_t *len)
{
	char *p = *line, *end = p + *len, *c;

	if (*len < 3 || *p == ' ' || (*len > 4 && !memcmp(p, "CPU:", 4)))
		return;
	for (c = p; c < end && *c != ' ' && *c != ':'; c++)
		;
	if (c + 2 >= end || *c != ':' || c[1] != ' ' || c == p)
		return;
	*len -= (size_t)(c + 1 - p);
	*line = c + 1;
}

/* [s, e) known to be 1 to 9 decimal digits (pid, cpu): no checks left to do */
static inline int32_t digits_i32(const char *s, const char *e)
{
	int32_t v = 0;

	for (; s < e; s++)
		v = v * 10 + (*s - '0');
	return v;
}

static bool parse_task(char *s, char *e, struct txt_prefix *x)
{
	char *d;
	int32_t v;

	e = rskip_spaces(s, e);
	if (e > s && e[-1] == ')') {
		char *open = memrchr(s, '(', (size_t)(e - s));
		char *ts, *te = e - 1;

		if (!open)
			return false;
		ts = open + 1;
		while (ts < te && *ts == ' ')
			ts++;
		if (ts < te && *ts == '-')
			x->tgid = -1;
		else if (parse_i32(ts, te, &v))
			x->tgid = v;
		else
			return false;
		e = rskip_spaces(s, open);
	}
	if (e <= s || !is_digit(e[-1]))
		return false;
	d = e - 1;
	while (d > s && is_digit(d[-1]))
		d--;
	if (d > s && d[-1] == '-') {
		if (e - d <= 9)
			v = digits_i32(d, e);
		else if (!parse_i32(d, e, &v))
			return false;
		x->pid = v;
		x->comm_end = d - 1;
		x->perf = false;
		return true;
	}
	if (d > s && d[-1] == '/') {
		/* perf "pid/tid": the thread is what the kernel calls pid */
		char *p = d - 1;
		int32_t tg;

		if (!parse_i32(d, e, &v))
			return false;
		e = p;
		d = e;
		while (d > s && is_digit(d[-1]))
			d--;
		if (d == e || !parse_i32(d, e, &tg))
			return false;
		x->tgid = tg;
	} else if (!parse_i32(d, e, &v)) {
		return false;
	}
	if (d == s || d[-1] != ' ')
		return false;
	x->pid = v;
	x->comm_end = rskip_spaces(s, d);
	x->perf = true;
	return true;
}

/*
 * The function tracer prints no event name: "TS: out_of_memory <-__alloc_pages_nodemask"
 * (tracefs; trace-cmd report names it "function:" and writes "<--").  The line
 * is the event "function" with the call as its payload.
 */
static bool function_line(struct txt_prefix *x, char *p, char *end)
{
	static char fn_name[] = "function";
	char *sp = memchr(p, ' ', (size_t)(end - p));

	if (!sp || sp == p || end - sp < 4 || memcmp(sp, " <-", 3) != 0)
		return false;
	x->name = fn_name;
	x->name_len = sizeof(fn_name) - 1;
	x->payload = p;
	x->end = end;
	x->ok = true;
	return true;
}

/*
 * TASK [CPU] FLAGS TS: EVENT: PAYLOAD, split without writing to the line
 * or touching reader state: the decompression thread runs it on lines
 * ahead of the reader (prs_input_set_line_fn()).
 */
bool txt_split_line(char *line, size_t len, struct txt_prefix *x)
{
	char *end = line + len, *p, *task, *q, *ts, *te, *name, *ne;

	x->ok = false;
	skip_instance_prefix(&line, &len);
	end = line + len;
	p = skip_spaces(line, end);
	task = p;
	/* the CPU column: the first "[digits]" preceded by a space */
	for (q = p;; q++) {
		char *c;

		q = memchr(q, '[', (size_t)(end - q));
		if (!q)
			return false;
		if (q == task || q[-1] != ' ' || !is_digit(q[1]))
			continue;
		for (c = q + 1; c < end && is_digit(*c) && c - q <= 9; c++)
			;
		if (c < end && *c == ']' && (x->cpu = digits_i32(q + 1, c)) < TXT_MAX_CPUS) {
			p = c + 1;
			break;
		}
	}
	x->tgid = -1;
	if (!parse_task(task, q, x))
		return false;
	x->comm = task;

	/* optional irq-flags column, then "TS:" */
	p = skip_spaces(p, end);
	ts = p;
	te = memchr(p, ' ', (size_t)(end - p));
	if (!te)
		return false;
	if (te[-1] != ':' || !is_digit(*ts)) {
		p = skip_spaces(te, end);
		ts = p;
		te = memchr(p, ' ', (size_t)(end - p));
		if (!te || te[-1] != ':')
			return false;
	}
	if (!txt_parse_ts(ts, te - 1, &x->ts))
		return false;

	/* "event: " — perf names it "system:event: " */
	name = skip_spaces(te + 1, end);
	for (ne = name; ; ne++) {
		ne = memchr(ne, ':', (size_t)(end - ne));
		if (!ne)
			return function_line(x, name, end);
		if (ne + 1 == end || ne[1] == ' ')
			break;
	}
	if (ne == name)
		return false;
	p = ne + 1;
	if (p < end && *p == ' ')
		p++;
	x->name = name;
	x->name_len = (size_t)(ne - name);
	x->payload = p;
	x->end = end;
	x->ok = true;
	return true;
}

/* The reader's half of an event line split by txt_split_line(). */
int txt_take_line(struct prs_reader *r, struct txt *t, const struct txt_prefix *x,
		  struct prs_event *ev, struct txt_name **np)
{
	char *p = x->payload, *end = x->end;

	*x->comm_end = '\0';
	ev->comm = x->comm;
	ev->pid = x->pid;
	ev->tgid = x->tgid;
	ev->cpu = x->cpu;
	ev->ts = x->ts;
	if (t->mode == TXT_TCMD)	/* trace-cmd pads the name column */
		p = skip_spaces(p, end);
	*np = txt_name_lookup(r, t, x->name, x->name_len, p, (size_t)(end - p));
	if (!*np)
		return -PRS_ENOMEM;
	t->payload = p;
	t->payload_end = end;
	if (x->perf && t->mode == TXT_UNKNOWN)
		t->mode = TXT_PERF;
	return 1;
}

int txt_parse_event_line(struct prs_reader *r, struct txt *t, char *line, size_t len,
			 struct prs_event *ev, struct txt_name **np)
{
	struct txt_prefix x;

	if (!txt_split_line(line, len, &x))
		return 0;
	return txt_take_line(r, t, &x, ev, np);
}

/* "CPU:N [LOST N EVENTS]", "CPU:N [LOST EVENTS]" (kernel), "CPU:N [N EVENTS DROPPED]" (trace-cmd) */
bool txt_parse_lost(struct prs_reader *r, char *line, char *end, struct prs_event *ev)
{
	char *p = line, *c, *b;
	int32_t cpu;
	uint64_t cnt = 0;

	p = skip_spaces(p, end);
	if (end - p < 8 || memcmp(p, "CPU:", 4) != 0)
		return false;
	p += 4;
	for (c = p; c < end && is_digit(*c); c++)
		;
	if (c == p || !parse_i32(p, c, &cpu) || cpu >= TXT_MAX_CPUS || c + 2 > end ||
	    c[0] != ' ' || c[1] != '[')
		return false;
	b = c + 2;
	if (end - b >= 5 && memcmp(b, "LOST ", 5) == 0)
		b += 5;
	if (is_digit(*b)) {
		for (c = b; c < end && is_digit(*c); c++)
			;
		txt_parse_num(b, c, &cnt);
		b = c;	/* not c + 1: the digits may run to the end of the line */
	}
	if (!memmem(b, (size_t)(end - b), "EVENTS", 6))
		return false;
	prs_event_init(ev, PRS_EV_LOST);
	ev->u.lost.count = cnt;
	ev->cpu = cpu;
	ev->pid = -1;
	ev->tgid = -1;
	ev->comm = "";
	ev->ts = r->have_ts ? r->stats.last_ts : 0;
	return true;
}

/* Lines that are headers, not events, in any of the text formats. */
/* tracefs text: "# entries-in-buffer/entries-written: 208899/208899   #P:2", the CPU count. True. */
static bool txt_header_cpus(struct prs_reader *r, const char *line, size_t len)
{
	const char *pc = len > 8 && line[0] == '#' ? memmem(line, len, "#P:", 3) : NULL;
	int32_t cpus;

	if (pc) {
		const char *e = pc + 3;

		while (e < line + len && is_digit(*e))
			e++;
		if (parse_i32(pc + 3, e, &cpus) && cpus > 0 && cpus <= TXT_MAX_CPUS &&
		    cpus >= r->stats.nr_cpus) {
			r->stats.nr_cpus = cpus;
			r->stats.nr_cpus_known = true;
		}
	}
	return true;
}

bool txt_is_header(const char *line, size_t len)
{
	const char *p = line;

	while (len && *p == ' ') {
		p++;
		len--;
	}
	if (len == 0 || *p == '#')
		return true;
	/* function_graph's rule around a context-switch banner, an excerpt's first line */
	if (len >= 5) {
		size_t d = 0;

		while (d < len && p[d] == '-')
			d++;
		if (d == len)
			return true;
	}
	if (len >= 5 && memcmp(p, "cpus=", 5) == 0)
		return true;
	if (len >= 10 && memcmp(p, "version = ", 10) == 0)
		return true;
	/* trace-cmd: "CPU 3 is empty" */
	if (len > 4 && memcmp(p, "CPU ", 4) == 0 && memmem(p, len, " is empty", 9))
		return true;
	return false;
}

/*
 * A line that marks lines left out of a pasted excerpt: "...", "(...)",
 * "[...]", "<...>", "[ ... ]", "<snip>", "[snip]", "--snip--", "(snipped)",
 * a Unicode ellipsis; alone on its line but for spaces and tabs.  Not an
 * event and not undecodable: counted apart (the excerpt has gaps).
 */
bool txt_is_elision(const char *line, size_t len)
{
	const char *p = line, *e = line + len;
	size_t dots = 0, snip = 0, other = 0;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (p == e || e - p > 24)
		return false;
	/* brackets around it, once */
	if (e - p >= 2 && ((*p == '(' && e[-1] == ')') || (*p == '[' && e[-1] == ']') ||
			   (*p == '<' && e[-1] == '>'))) {
		p++;
		e--;
	}
	for (const char *c = p; c < e; c++) {
		if (*c == '.')
			dots++;
		else if (e - c >= 3 && !memcmp(c, "\xe2\x80\xa6", 3))	/* U+2026 */
			dots += 3, c += 2;
		else if (e - c >= 4 && !strncasecmp(c, "snip", 4))
			snip++, c += 3;
		else if (*c != ' ' && *c != '-' && *c != '=' && !(snip && isalpha((unsigned char)*c)))
			other++;
	}
	return !other && (dots >= 3 || snip);
}

/*
 * A line quoted in a mail reply: "> ", "> > ", ">> " before it.  A task
 * name never starts with '>' in practice, so the marks are dropped (and
 * counted) instead of becoming part of the comm ("> > kswapd0").  true:
 * the line was quoted.
 */
bool txt_unquote(struct prs_reader *r, char **line, size_t *len)
{
	char *p = *line, *e = *line + *len;

	while (p < e && *p == ' ')
		p++;
	if (p == e || *p != '>')
		return false;
	while (p < e && *p == '>') {
		p++;
		if (p < e && *p == ' ')
			p++;
		while (p < e && *p == ' ' && p + 1 < e && p[1] == '>')
			p++;
	}
	*len = (size_t)(e - p);
	*line = p;
	r->stats.quoted_lines++;
	return true;
}

/* ---- the line-event reader --------------------------------------------- */
/*
 * perf script -g: each sample is followed by its call chain, one frame per
 * line, "\tffffffff8123a4b0 __alloc_pages+0x1e0 ([kernel.kallsyms])", and a
 * blank line.  Part of perf's normal output: not events, not undecodable.
 */
static bool is_callchain_line(const char *line, size_t len)
{
	const char *p = line, *e = line + len, *h;

	if (len == 0 || (*p != '\t' && *p != ' '))
		return false;
	while (p < e && (*p == '\t' || *p == ' '))
		p++;
	for (h = p; p < e && isxdigit((unsigned char)*p); p++)
		;
	return p - h >= 1 && p - h <= 16 && p < e && *p == ' ' && p + 1 < e;
}


/*
 * ftrace's stacktrace option (and the stacktrace trigger) follows an event
 * with "<stack trace>" (or "<user stack trace>") and its frames, one per
 * line, " => kmalloc_large_node+0x60/0x8d <ffffffff812101c3>"; trace-cmd
 * report prints "=> kmalloc_large_node (ffffffff812101c3)".  The kernel's
 * normal output: not events, not undecodable.
 */
static bool is_stack_line(const char *line, size_t len)
{
	const char *p = line, *e = line + len;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e - p >= 3 && p[0] == '=' && p[1] == '>' && p[2] == ' ')
		return true;
	return (e - p > 15 && !memcmp(e - 15, ": <stack trace>", 15)) ||
	       (e - p > 20 && !memcmp(e - 20, ": <user stack trace>", 20));
}

/*
 * trace-cmd report prefixes the lines of a buffer instance with its name:
 * "allocscope:               sh-299   [001] ...".  A task name never holds
 * ": " (the kernel's and trace-cmd's columns are right-aligned with
 * spaces, and "kworker/u16:2-77" has no space after its colon).
 */

/* The next event line, decoded; returned events are not yet accounted. */
static void split_ahead(char *line, size_t len, void *rec)
{
	txt_split_line(line, len, rec);
}

/* [p, e) without the spaces around it */
static void trim(const char **p, const char **e)
{
	while (*p < *e && (**p == ' ' || **p == '\t'))
		(*p)++;
	while (*e > *p && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* A line that stops after its "TS:" or its "name:": a mailer wrapped the rest. */
static bool ends_open(const char *line, size_t len)
{
	const char *p = line, *e = line + len;

	trim(&p, &e);
	return e - p > 2 && e[-1] == ':' && *p != '#' && memchr(p, '[', (size_t)(e - p));
}

/*
 * Whether @line goes on the held line: the held line stopped after its
 * "TS:" or "name:", or this line's first token is a field ("key=value",
 * "zone_end=0x280000, mode=sync").  Never an event line, a header, an
 * elision or a loss marker of its own.
 */
static bool continues_held(const struct txt *t, const char *line, size_t len)
{
	const char *p = line, *e = line + len, *sp;
	enum txt_mode mode = TXT_UNKNOWN;

	trim(&p, &e);
	if (p == e || *p == '#' || txt_is_elision(line, len) || txt_line_shape(line, len, &mode) ||
	    (e - p > 4 && !memcmp(p, "CPU:", 4)) || is_stack_line(line, len))
		return false;
	if (t->held[t->held_len - 1] == ':')
		return true;
	sp = memchr(p, ' ', (size_t)(e - p));
	return memchr(p, '=', (size_t)((sp ? sp : e) - p)) != NULL;
}

/* Hold @line (a copy): the next line may go on it.  false: out of memory. */
bool txt_held_take(struct txt *t, const char *line, size_t len)
{
	const char *p = line, *e = line + len;

	trim(&p, &e);
	if (!t->held) {
		t->held = malloc(TXT_HELD_MAX + 1);
		if (!t->held)
			return false;
		t->held_cap = TXT_HELD_MAX;
	}
	len = (size_t)(e - p) < t->held_cap ? (size_t)(e - p) : t->held_cap;
	memcpy(t->held, p, len);
	t->held_len = len;
	t->held[len] = '\0';
	return true;
}

/* Join @line to the held line, one space between; false when it would be too long. */
bool txt_held_join(struct txt *t, const char *line, size_t len)
{
	const char *p = line, *e = line + len;

	trim(&p, &e);
	if (t->held_len + 1 + (size_t)(e - p) > t->held_cap)
		return false;
	t->held[t->held_len++] = ' ';
	memcpy(t->held + t->held_len, p, (size_t)(e - p));
	t->held_len += (size_t)(e - p);
	t->held[t->held_len] = '\0';
	return true;
}

static int line_read(struct prs_reader *r, struct txt *t, struct prs_event *ev)
{
	char *line;
	size_t len;
	int ret;

	if (t->at_eof)
		return 0;
	if (!t->split_ahead) {
		/* from now on a .zst's thread splits the lines it hands over */
		prs_input_set_line_fn(t->in, split_ahead, sizeof(struct txt_prefix));
		t->split_ahead = true;
	}
	for (;;) {
		const struct txt_prefix *x = NULL;
		struct txt_name *n;

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
				/* the last line held: it is whole */
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
		/* a mailer's wrapped lines (t->wrapped): join them, then parse the whole line */
		if (t->held_len) {
			if (continues_held(t, line, len) && txt_held_join(t, line, len)) {
				r->stats.wrapped_lines++;
				continue;
			}
			t->pending = line;	/* the next line, after the held one */
			t->pending_len = len;
			line = t->held;
			len = t->held_len;
			t->held_len = 0;
			x = NULL;
		} else if (t->wrapped || (len && (line[len - 1] == ':' || line[len - 1] == ' ' ||
						  line[len - 1] == '\t') && ends_open(line, len))) {
			enum txt_mode mode = TXT_UNKNOWN;

			if (ends_open(line, len) || txt_line_shape(line, len, &mode)) {
				t->wrapped = true;
				if (!txt_held_take(t, line, len))
					return prs_fail_file(r, PRS_ENOMEM, "out of memory");
				continue;
			}
		}
parse:
		if (x)	/* split already: the same result as txt_parse_event_line() */
			ret = x->ok ? txt_take_line(r, t, x, ev, &n) : 0;
		else
			ret = txt_parse_event_line(r, t, line, len, ev, &n);
		if (ret < 0)
			return prs_fail(r, ret, true, prs_input_lineno(t->in), "out of memory");
		if (ret == 0) {
			/* not an event: the other shapes, after a "inst: " prefix too */
			skip_instance_prefix(&line, &len);
			if (txt_parse_lost(r, line, line + len, ev)) {
				if (txt_count(r, &t->lost_slot, t->lost_name, PRS_EV_LOST) < 0)
					return prs_fail_file(r, PRS_ENOMEM, "out of memory");
				ev->name = t->lost_name;
				t->nr_events++;
				return 1;
			}
			if (txt_is_header(line, len) && txt_header_cpus(r, line, len)) {
				r->stats.skipped_lines++;
				continue;
			}
			if (txt_is_elision(line, len)) {
				r->stats.skipped_lines++;
				r->stats.elided_lines++;
				continue;
			}
			if ((len > 6 && memmem(line, len, "#####", 5)) ||
			    (t->mode == TXT_PERF && is_callchain_line(line, len)) ||
			    is_stack_line(line, len)) {
				r->stats.skipped_lines++;
				continue;
			}
			ret = txt_bad_line(r, t);
			if (ret < 0)
				return ret;
			continue;
		}
		t->nr_events++;
		prs_count_slot(r, n->slot);
		ev->name = n->name;
		ev->kind = n->kind;
		if (n->kind == PRS_EV_OTHER) {
			prs_account(r, ev);
			if (r->flags & PRS_OPT_OTHER)
				return 1;
			continue;
		}
		prs_event_init(ev, n->kind);
		txt_decode(r, t, n, t->payload, t->payload_end, ev);
		return 1;
	}
}

static int line_next(struct prs_reader *r, struct prs_event *ev)
{
	return txt_next_leaves(r, r->priv, ev, line_read);
}

/* Count one event of a name whose slot is taken lazily. */
int txt_count(struct prs_reader *r, long *slot, const char *name, enum prs_kind kind)
{
	if (*slot < 0) {
		*slot = prs_name_slot(r, name, kind);
		if (*slot < 0)
			return -PRS_ENOMEM;
	}
	prs_count_slot(r, *slot);
	return 0;
}

/* ---- common state -------------------------------------------------------- */

/*
 * A NUL byte never occurs in ftrace, trace-cmd or perf text: the file is
 * corrupt (or binary), and nothing after it can be trusted.
 */
int txt_nul_line(struct prs_reader *r, struct txt *t)
{
	if (t->nr_events == 0)
		return prs_fail(r, PRS_EFORMAT, true, prs_input_lineno(t->in),
				"NUL bytes: binary data, not a text trace");
	return prs_fail(r, PRS_ECORRUPT, true, prs_input_lineno(t->in),
			"NUL byte in a text trace: the file is corrupt");
}

/*
 * A line that is not an event: counted (reports show it) and skipped,
 * except a last line without its newline that does not parse: the file
 * was cut off, and the trace is not complete.
 */
int txt_bad_line(struct prs_reader *r, struct txt *t)
{
	if (prs_input_unterminated(t->in) && t->nr_events > 0)
		return prs_fail(r, PRS_ECUT, true, prs_input_lineno(t->in),
				"file ends in the middle of a line: truncated trace");
	r->stats.bad_lines++;
	t->junk++;
	if (t->nr_events == 0 && t->junk >= TXT_DETECT_LINES)
		return prs_fail(r, PRS_EFORMAT, true, prs_input_lineno(t->in),
				"no trace event in the first %d lines: not a text trace",
				TXT_DETECT_LINES);
	return 0;
}

int txt_end(struct prs_reader *r, struct txt *t, int ret)
{
	if (ret < 0) {
		/* an endless first "line" is binary data, not a long text line */
		if (r->err == -PRS_ETOOLONG && t->nr_events == 0)
			return prs_fail(r, PRS_EFORMAT, true, prs_input_lineno(t->in) + 1,
					"binary data, not a text trace");
		return ret;
	}
	if (t->nr_events == 0 && t->junk > 0)
		return prs_fail(r, PRS_EFORMAT, true, prs_input_lineno(t->in),
				"no trace event in the file: not a text trace");
	/*
	 * Tracefs, trace-cmd and perf end every line with '\n': a last line
	 * without one is a file cut short, even when what is left of it
	 * parsed (cut inside "gfp_flags=GFP_KER..."): the trace is not whole.
	 */
	if (t->nr_events > 0 && prs_input_unterminated(t->in))
		return prs_fail(r, PRS_ECUT, true, prs_input_lineno(t->in),
				"the file ends inside this line (no newline): truncated trace");
	return 0;
}

static void txt_close(struct prs_reader *r)
{
	struct txt *t = r->priv;

	if (!t)
		return;
	prs_input_close(t->in);
	free(t->cpus);
	free(t->tasks);
	free(t->names);
	free(t->held);
	free(t);
	r->priv = NULL;
}

static const struct prs_ops txt_line_ops = {
	.next	= line_next,
	.close	= txt_close,
};

static const struct prs_ops txt_fgraph_ops = {
	.next	= txt_fgraph_next,
	.close	= txt_close,
};

static int txt_open_fail(struct prs_reader *r, struct txt *t, int ret)
{
	txt_close(r);
	r->ops = NULL;
	(void)t;
	return ret;
}

/*
 * A systrace page or JSON trace without trace text: say so, not "an empty
 * trace" (the page's lines were all dropped as not trace text).
 */
static int txt_container_empty(struct prs_reader *r, struct prs_input *in)
{
	const struct prs_unwrap *u = prs_input_unwrap(in);

	if (u->text_blocks > 0)
		return 0;
	if (u->kind == PRS_WRAP_HTML)
		return prs_fail_file(r, PRS_EFORMAT, "an HTML page without systrace's ftrace text "
				     "(<script class=\"trace-data\"> holding text): no kernel trace in it%s",
				     u->skipped_blocks ? " (only JSON trace data)" : "");
	if (u->kind == PRS_WRAP_JSON && !u->trace_events && !u->bad_value)
		return prs_fail_file(r, PRS_EFORMAT, "JSON, but no trace: neither \"systemTraceEvents\" "
				     "(kernel text) nor \"traceEvents\"");
	if (u->kind == PRS_WRAP_JSON)
		return prs_fail_file(r, PRS_EFORMAT, "a JSON trace without a \"systemTraceEvents\" "
				     "string%s: no kernel trace in it (user-space trace events only)",
				     u->bad_value ? " (it is there, but not a string)" : "");
	return 0;
}

/*
 * Which format: "# tracer: function_graph" or a function_graph line shape
 * -> function_graph; "cpus=N" / "version = N" -> trace-cmd report; a
 * TASK [CPU] TS: EVENT: line -> tracefs or perf script text.
 */
int prs_text_open(struct prs_reader *r, struct prs_input *in)
{
	struct txt *t;
	char *line;
	size_t len;
	int ret;

	t = calloc(1, sizeof(*t));
	if (!t) {
		prs_input_close(in);
		return prs_fail_file(r, PRS_ENOMEM, "%s", prs_strerror(PRS_ENOMEM));
	}
	t->in = in;
	r->priv = t;
	r->ops = &txt_line_ops;
	t->names = calloc(TXT_NAMES, sizeof(*t->names));
	t->lost_name = prs_intern_str(r, "lost_events");
	t->print_name = prs_intern_str(r, "print");
	if (!t->names || !t->lost_name || !t->print_name)
		return txt_open_fail(r, t, prs_fail_file(r, PRS_ENOMEM, "out of memory"));
	/* slots of these are taken when first seen: no zero rows in the counts */
	t->lost_slot = t->print_slot = -1;

	for (;;) {
		struct prs_event ev;
		struct txt_name *n;
		char *p;

		ret = prs_input_getline(in, &line, &len);
		if (ret < 0) {
			ret = txt_end(r, t, ret);
			return txt_open_fail(r, t, ret);
		}
		r->stats.container = prs_unwrap_name(prs_input_unwrap(in)->kind);
		if (ret == 0) {
			ret = txt_container_empty(r, in);
			if (ret < 0)
				return txt_open_fail(r, t, ret);
			if (r->stats.lines == 0)
				return txt_open_fail(r, t, prs_fail_file(r, PRS_EEMPTY,
						"no text in the file"));
			if (t->junk > 0)
				return txt_open_fail(r, t, txt_end(r, t, 0));
			/* headers only: a valid, empty trace */
			if (r->fmt == PRS_FMT_UNKNOWN)
				r->fmt = PRS_FMT_FTRACE_TEXT;
			t->at_eof = true;
			return 0;
		}
		r->stats.lines++;
		txt_unquote(r, &line, &len);
		if (prs_input_line_has_nul(t->in)) {
			ret = txt_nul_line(r, t);
			if (ret < 0)
				return txt_open_fail(r, t, ret);
			continue;
		}
		/*
		 * CR-only line ends (old Mac tools) make the whole file one line
		 * that starts like a header: it would read as a valid trace
		 * without events.  CRLF is fine (the reader drops the CR).
		 */
		if (memchr(line, '\r', len))
			return txt_open_fail(r, t, prs_fail(r, PRS_EFORMAT, true,
					prs_input_lineno(in),
					"carriage return inside a line: CR line endings? (tr '\\r' '\\n')"));
		p = line;
		while (*p == ' ')
			p++;
		if (strncmp(p, "# tracer: ", 10) == 0) {
			if (strncmp(p + 10, "function_graph", 14) == 0) {
				r->fmt = PRS_FMT_FGRAPH_TEXT;
				r->ops = &txt_fgraph_ops;
				t->mode = TXT_FGRAPH;
				r->stats.skipped_lines++;
				return 0;
			}
			r->fmt = PRS_FMT_FTRACE_TEXT;
			t->mode = TXT_FTRACE;
			r->stats.skipped_lines++;
			return 0;
		}
		if (strncmp(p, "cpus=", 5) == 0 || strncmp(p, "version = ", 10) == 0) {
			r->fmt = PRS_FMT_FTRACE_TEXT;
			t->mode = TXT_TCMD;
			if (p[0] == 'c') {
				int32_t cpus;
				char *e = p + 5;

				while (is_digit(*e))
					e++;
				/* a damaged count is not trusted: the CPUs seen say it */
				if (parse_i32(p + 5, e, &cpus) && cpus > 0 && cpus <= TXT_MAX_CPUS) {
					r->stats.nr_cpus = cpus;
					r->stats.nr_cpus_known = true;
				}
			}
			r->stats.skipped_lines++;
			return 0;
		}
		if (txt_is_header(line, len)) {
			txt_header_cpus(r, line, len);
			r->stats.skipped_lines++;
			continue;
		}
		/* an event line? parse a copy-free trial: parsing writes NULs,
		 * so decide on the shape first and hand the line over untouched */
		if (txt_fgraph_shape(line, len)) {
			r->fmt = PRS_FMT_FGRAPH_TEXT;
			r->ops = &txt_fgraph_ops;
			t->mode = TXT_FGRAPH;
		} else if (txt_line_shape(line, len, &t->mode)) {
			r->fmt = t->mode == TXT_PERF ? PRS_FMT_PERF_SCRIPT : PRS_FMT_FTRACE_TEXT;
		} else if (txt_parse_lost(r, line, line + len, &ev)) {
			r->fmt = PRS_FMT_FTRACE_TEXT;
			t->mode = TXT_FTRACE;
		} else {
			(void)n;
			ret = txt_bad_line(r, t);
			if (ret < 0)
				return txt_open_fail(r, t, ret);
			continue;
		}
		t->pending = line;
		t->pending_len = len;
		return 0;
	}
}

/*
 * Shape of a TASK [CPU] TS: EVENT: line, without modifying it.  Sets
 * *mode to TXT_PERF for "comm pid [cpu]" and TXT_FTRACE for "comm-pid".
 */
bool txt_line_shape(const char *line, size_t len, enum txt_mode *mode)
{
	const char *end = line + len, *q, *c, *d;

	for (q = line;; q++) {
		q = memchr(q, '[', (size_t)(end - q));
		if (!q)
			return false;
		if (q == line || q[-1] != ' ' || q + 1 >= end || !is_digit(q[1]))
			continue;
		for (c = q + 1; c < end && is_digit(*c); c++)
			;
		if (c < end && *c == ']')
			break;
	}
	/* ": " after a timestamp, then "name: " (or the function tracer's "func <-caller") */
	d = memmem(c, (size_t)(end - c), ": ", 2);
	if (!d) {
		/* "TS:" ending the line: a mailer wrapped it there, the reader joins the rest */
		const char *e = end;

		while (e > c && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e - c < 3 || e[-1] != ':' || !is_digit(e[-2]))
			return false;
		d = e - 1;
	} else if (!memchr(d + 2, ':', (size_t)(end - d - 2)) &&
		   !memmem(d + 2, (size_t)(end - d - 2), " <-", 3)) {
		return false;
	}
	if (!is_digit(d[-1]))
		return false;
	/* task column ends in "-pid" (maybe with "(tgid)") or " pid" (perf) */
	d = q - 1;
	while (d > line && d[-1] == ' ')
		d--;
	if (d > line && d[-1] == ')') {
		d = memrchr(line, '(', (size_t)(d - line));
		if (!d)
			return false;
		while (d > line && d[-1] == ' ')
			d--;
	}
	if (d == line || !is_digit(d[-1]))
		return false;
	while (d > line && (is_digit(d[-1]) || d[-1] == '/'))
		d--;
	if (d > line && d[-1] == '-') {
		*mode = TXT_FTRACE;
		return true;
	}
	if (d > line && d[-1] == ' ') {
		*mode = TXT_PERF;
		return true;
	}
	return false;
}
