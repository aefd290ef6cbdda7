// SPDX-License-Identifier: GPL-2.0-only
/*
 * Text traces inside the files Android and Chrome tools write: the ftrace
 * text of a systrace HTML page (`<script class="trace-data"
 * type="application/text">` blocks, written unescaped by systrace and
 * catapult's trace2html), and the "systemTraceEvents" string of a JSON
 * trace (Chrome's tracing, Perfetto's JSON export).  A byte filter between
 * the file (or its zstd stream) and the line reader: it passes the trace
 * text through and drops the rest, streaming, in a few bytes of state, so
 * a page of megabyte-long script lines costs reading time, never memory.
 *
 * HTML keeps the file's line numbers: a dropped line leaves its '\n' (an
 * empty line, which the text reader skips as a header), so "line N" in an
 * error is line N of the page.  JSON's trace is one string, usually on one
 * line: its lines are numbered from the string's start.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "parsers-local.h"

static const char uw_open[] = "<script class=\"trace-data\"";
static const char uw_close[] = "</script>";
static const char uw_key[] = "systemTraceEvents";

enum {
	UW_SNIFF = 0,	/* nothing but white space seen yet */
	/* HTML */
	UW_H_OUT,	/* between blocks: looking for uw_open */
	UW_H_TAG,	/* inside the opening tag: until '>' */
	UW_H_START,	/* the block's first bytes: text or JSON? */
	UW_H_TEXT,	/* a text block: passed through until uw_close */
	UW_H_SKIP,	/* a JSON block: dropped until uw_close */
	/* JSON */
	UW_J_SCAN,	/* outside strings, or the value we want not reached */
	UW_J_STR,	/* inside a string we do not want */
	UW_J_KEY,	/* inside a key of the top-level object */
	UW_J_TEXT,	/* inside the systemTraceEvents string */
	UW_J_DONE,	/* the string ended: the rest is dropped */
};

static inline char uw_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline bool uw_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Which container, from the first bytes that are not white space: a page
 * that says it is HTML, or a JSON object.  A text trace starts with '#',
 * a task name or spaces; "<idle>-0" and "<...>-123" are no HTML tag.
 */
static void uw_sniff(struct prs_unwrap *u, const char *p, size_t n)
{
	static const char *const html[] = { "<!doctype html", "<html" };

	u->kind = PRS_WRAP_NONE;
	if (n > 0 && p[0] == '{') {
		u->kind = PRS_WRAP_JSON;
		u->state = UW_J_SCAN;
		return;
	}
	for (size_t i = 0; i < sizeof(html) / sizeof(html[0]); i++) {
		size_t k = strlen(html[i]), j;

		for (j = 0; j < k && j < n && uw_lower(p[j]) == html[i][j]; j++)
			;
		if (j == k) {
			u->kind = PRS_WRAP_HTML;
			u->state = UW_H_OUT;
			return;
		}
	}
}

/* A code point as UTF-8 (an unpaired surrogate as U+FFFD); bytes written. */
static size_t uw_utf8(unsigned cp, char *d)
{
	if (cp >= 0xd800 && cp <= 0xdfff)
		cp = 0xfffd;
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	d[0] = (char)(0xe0 | cp >> 12);
	d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

static int uw_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = uw_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One byte of the systemTraceEvents string; bytes written to d. */
static size_t uw_json_text(struct prs_unwrap *u, char c, char *d)
{
	if (u->hex_left) {
		int h = uw_hex(c);

		if (h < 0) {		/* "\u12" and a non-digit: not JSON */
			u->bad_escapes++;
			u->hex_left = 0;
			return 0;
		}
		u->cp = u->cp << 4 | (unsigned)h;
		return --u->hex_left ? 0 : uw_utf8(u->cp, d);
	}
	if (u->esc) {
		u->esc = false;
		switch (c) {
		case 'n': d[0] = '\n'; return 1;
		case 't': d[0] = '\t'; return 1;
		case 'r': d[0] = '\r'; return 1;
		case 'b': d[0] = '\b'; return 1;
		case 'f': d[0] = '\f'; return 1;
		case 'u': u->hex_left = 4; u->cp = 0; return 0;
		case '"': case '\\': case '/': d[0] = c; return 1;
		default:		/* "\q": not JSON */
			u->bad_escapes++;
			return 0;
		}
	}
	if (c == '\\') {
		u->esc = true;
		return 0;
	}
	if (c == '"') {
		u->state = UW_J_DONE;
		/* the trace's last line ends here, whatever the string ended with */
		d[0] = '\n';
		return 1;
	}
	d[0] = c;
	return 1;
}

static bool uw_key_is(const struct prs_unwrap *u, const char *key)
{
	size_t n = strlen(key);

	return u->key_len == n && memcmp(u->key, key, n) == 0;
}

/* One byte of a JSON document outside the string we want. */
static void uw_json_scan(struct prs_unwrap *u, char c)
{
	switch (u->state) {
	case UW_J_STR:
	case UW_J_KEY:
		if (u->esc) {
			u->esc = false;
			u->key_len = UW_KEY_NONE;	/* no escape in the keys we look for */
		} else if (c == '\\') {
			u->esc = true;
		} else if (c == '"') {
			if (u->state == UW_J_KEY) {
				bool sys = uw_key_is(u, uw_key), ev = uw_key_is(u, "traceEvents");

				u->key_match = sys;
				u->trace_events |= ev;
			}
			u->state = UW_J_SCAN;
		} else if (u->state == UW_J_KEY && u->key_len != UW_KEY_NONE) {
			if (u->key_len < sizeof(u->key))
				u->key[u->key_len++] = c;
			else
				u->key_len = UW_KEY_NONE;
		}
		return;
	default:
		break;
	}
	switch (c) {
	case '"':
		if (u->depth == 1 && u->want_key) {
			u->state = UW_J_KEY;
			u->key_len = 0;
			u->want_key = false;
		} else if (u->depth == 1 && u->value_next && u->key_match) {
			u->state = UW_J_TEXT;
			u->text_blocks++;
			u->key_match = false;
		} else {
			u->state = UW_J_STR;
		}
		u->value_next = false;
		return;
	case '{':
	case '[':
		if (u->depth == 1 && u->value_next && u->key_match) {
			u->bad_value = true;	/* "systemTraceEvents": {...}: not a string */
			u->key_match = false;
		}
		u->depth++;
		u->want_key = c == '{' && u->depth == 1;
		u->value_next = false;
		return;
	case '}':
	case ']':
		if (u->depth > 0)
			u->depth--;
		u->value_next = false;
		return;
	case ':':
		u->value_next = u->depth == 1;
		return;
	case ',':
		u->want_key = u->depth == 1;
		u->key_match = false;
		u->value_next = false;
		return;
	default:
		if (!uw_space(c) && u->value_next) {	/* a number, true, null ... */
			if (u->key_match)
				u->bad_value = true;
			u->key_match = false;
			u->value_next = false;
		}
		return;
	}
}

/*
 * Match c against pattern pat (case-insensitive for HTML), u->match bytes
 * of it matched so far.  true when the whole pattern has matched.
 */
static bool uw_match(struct prs_unwrap *u, const char *pat, size_t len, char c)
{
	c = uw_lower(c);
	if (pat[u->match] == c) {
		if (++u->match == len) {
			u->match = 0;
			return true;
		}
		return false;
	}
	/* both patterns start with '<' and hold no other: a mismatch restarts at '<' only */
	u->match = c == pat[0];
	return false;
}

/* Emit one byte, counting the bytes after the last line break. */
#define UW_PUT(ch) do { char c_ = (ch); dst[o++] = c_; u->col = c_ == '\n' ? 0 : u->col + 1; } while (0)

size_t prs_unwrap(struct prs_unwrap *u, const char *src, size_t n, bool eof, char *dst)
{
	size_t o = 0, i = 0;

	if (u->kind == PRS_WRAP_UNKNOWN) {
		while (i < n && (uw_space(src[i]) || (unsigned char)src[i] == 0xef ||
				 (unsigned char)src[i] == 0xbb || (unsigned char)src[i] == 0xbf))
			i++;	/* white space and a UTF-8 byte order mark */
		if (i == n) {	/* nothing to tell by yet: white space is the same in every kind */
			memmove(dst, src, n);
			return n;
		}
		uw_sniff(u, src + i, n - i);
		if (u->kind == PRS_WRAP_NONE) {
			memmove(dst, src, n);
			return n;
		}
		/* the leading white space's line breaks, for HTML's line numbers */
		for (size_t k = 0; k < i; k++)
			if (src[k] == '\n' && u->kind == PRS_WRAP_HTML)
				UW_PUT('\n');
	} else if (u->kind == PRS_WRAP_NONE) {
		memmove(dst, src, n);
		return n;
	}

	for (; i < n; i++) {
		char c = src[i];

		switch (u->state) {
		case UW_H_OUT:
			if (uw_match(u, uw_open, sizeof(uw_open) - 1, c))
				u->state = UW_H_TAG;
			break;
		case UW_H_TAG:
			if (c == '>') {
				u->state = UW_H_START;
				u->pending_sp = 0;
			}
			break;
		case UW_H_START:
			if (c == ' ' || c == '\t') {
				/* a text line's indentation; more than this is no trace line's */
				if (u->pending_sp < PRS_UNWRAP_MAX_INDENT)
					u->pending_sp++;
				continue;
			}
			if (c == '\n' || c == '\r') {
				u->pending_sp = 0;
				break;
			}
			if (c == '{' || c == '[') {	/* a JSON trace beside the text one */
				u->state = UW_H_SKIP;
				u->skipped_blocks++;
				break;
			}
			u->state = UW_H_TEXT;
			u->text_blocks++;
			for (; u->pending_sp; u->pending_sp--)
				UW_PUT(' ');
			/* c is the block's first byte */
			/* fall through */
		case UW_H_TEXT:
			if (uw_lower(c) == uw_close[u->match]) {
				u->held[u->match] = c;
				if (++u->match < sizeof(uw_close) - 1)
					continue;	/* held back until it is or is not "</script>" */
				/* the block ends; the rest of its line is dropped, its '\n' kept */
				u->match = 0;
				u->state = UW_H_OUT;
				continue;
			}
			/* not "</script>" after all: what was held back is text */
			for (size_t k = 0; k < u->match; k++)
				UW_PUT(u->held[k]);
			u->match = 0;
			if (c == uw_close[0]) {
				u->held[u->match++] = c;
				continue;
			}
			UW_PUT(c);
			continue;
		case UW_H_SKIP:
			if (uw_match(u, uw_close, sizeof(uw_close) - 1, c))
				u->state = UW_H_OUT;
			break;
		case UW_J_TEXT: {
			uint64_t bad = u->bad_escapes;
			size_t k = uw_json_text(u, c, dst + o);

			if (bad == 0 && u->bad_escapes)
				u->bad_escape_at = u->consumed + i;
			if (k)
				u->col = dst[o + k - 1] == '\n' ? 0 : u->col + k;
			o += k;
			continue;
		}
		case UW_J_DONE:
			continue;
		default:
			uw_json_scan(u, c);
			continue;
		}
		/* HTML outside text: only the line break stays */
		if (c == '\n')
			UW_PUT('\n');
	}
	u->consumed += n;
	/* a last line the page ended without a line break after: whole, not cut */
	if (eof && u->col > 0 && !prs_unwrap_in_block(u))
		UW_PUT('\n');
	return o;
}

bool prs_unwrap_in_block(const struct prs_unwrap *u)
{
	return u->state == UW_H_TEXT || u->state == UW_J_TEXT;
}

const char *prs_unwrap_name(enum prs_wrap kind)
{
	switch (kind) {
	case PRS_WRAP_HTML:	return "systrace HTML";
	case PRS_WRAP_JSON:	return "JSON trace's systemTraceEvents";
	default:		return NULL;
	}
}
