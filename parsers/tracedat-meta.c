// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.dat metadata for the streaming reader, without libtracecmd: the
 * header page, the ftrace and event formats and the saved cmdlines go into
 * a tep_handle set up as tracecmd_open_head() sets it up, and kallsyms into
 * a table of our own, read on the first address lookup.
 *
 * tracecmd_open_head() costs ~100 ms on a 6.12 capture, most of it in
 * tep_parse_kallsyms(), which sscanf()s each of ~150,000 kallsyms lines
 * (6.9 MB) into a malloc'd list: a trace of tracepoints never looks an
 * address up, and one that does needs a sorted array, not a list.  The
 * layout walk (tracedat.c) has already found and bounds-checked every block;
 * here their contents are read through a cursor that checks each size
 * against the block, so a damaged size is an error with its offset.
 *
 * What libtraceevent is handed, and in which order, is what libtracecmd
 * hands it, so that both readers decode identically (tests/golden/readers.sh).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "tracedat-local.h"

#define TM_MAX_META	(256u << 20)	/* one decompressed section, as the walk allows */

static const char *const tm_names[TD_META__NR] = {
	"header info", "ftrace formats", "event formats", "kallsyms", "printk formats",
	"saved cmdlines",
};

/* C-locale isspace(): what scanf's directives skip */
static bool tm_space(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* ---- the bytes of a block ----------------------------------------------- */

/* A block's content: in the mapping or in @tmp; offsets inside are exact unless decompressed. */
struct tm_cur {
	struct prs_reader	*r;
	const char		*what;
	const uint8_t		*p;
	uint64_t		len, pos;
	uint64_t		base;		/* file offset of p[0], or of the compressed section */
	bool			exact;
	bool			swap;
	uint8_t			*tmp;
};

static uint64_t tm_where(const struct tm_cur *c, uint64_t pos)
{
	return c->exact ? c->base + pos : c->base;
}

/*
 * @src: the block's @size bytes (file offset @off).  Compressed: decompressed
 * into c->tmp, one spare byte after the content.
 */
static int tm_open(struct tm_cur *c, struct prs_reader *r, const char *compress,
		   const struct td_meta *m, const uint8_t *src, bool swap, int which)
{
	uint32_t csize, usize;
	size_t n;

	memset(c, 0, sizeof(*c));
	c->r = r;
	c->what = tm_names[which];
	c->swap = swap;
	c->base = m->off;
	c->exact = !m->compressed;
	if (!m->compressed) {
		c->p = src;
		c->len = m->size;
		return 0;
	}
	if (strcmp(compress, "zstd"))
		return prs_fail(r, PRS_EUNSUPPORTED, false, m->off,
				"the %s section is compressed, but the file names compression \"%s\"",
				c->what, compress);
	if (m->size < 8)
		goto bad;
	memcpy(&csize, src, 4);
	memcpy(&usize, src + 4, 4);
	if (swap) {
		csize = __builtin_bswap32(csize);
		usize = __builtin_bswap32(usize);
	}
	if (csize > m->size - 8 || usize > TM_MAX_META)
		goto bad;
	c->tmp = malloc((size_t)usize + 1);
	if (!c->tmp)
		return -PRS_ENOMEM;
	n = ZSTD_decompress(c->tmp, usize, src + 8, csize);
	if (ZSTD_isError(n) || n != usize)
		return prs_fail(r, PRS_ECORRUPT, false, m->off, "the %s section does not decompress",
				c->what);
	c->p = c->tmp;
	c->len = usize;
	return 0;
bad:
	return prs_fail(r, PRS_ECORRUPT, false, m->off,
			"the %s section's compression header is damaged", c->what);
}

static void tm_close(struct tm_cur *c)
{
	free(c->tmp);
	c->tmp = NULL;
}

static int tm_short(struct tm_cur *c, const char *item)
{
	return prs_fail(c->r, PRS_ECORRUPT, false, tm_where(c, c->pos),
			"%s: %s runs past the end of the %s", c->what, item,
			c->exact ? "block" : "section");
}

static int tm_u32(struct tm_cur *c, uint32_t *v, const char *item)
{
	if (c->len - c->pos < 4)
		return tm_short(c, item);
	memcpy(v, c->p + c->pos, 4);
	if (c->swap)
		*v = __builtin_bswap32(*v);
	c->pos += 4;
	return 0;
}

static int tm_u64(struct tm_cur *c, uint64_t *v, const char *item)
{
	if (c->len - c->pos < 8)
		return tm_short(c, item);
	memcpy(v, c->p + c->pos, 8);
	if (c->swap)
		*v = __builtin_bswap64(*v);
	c->pos += 8;
	return 0;
}

/* @n bytes: *at is their offset in the content. */
static int tm_take(struct tm_cur *c, uint64_t n, uint64_t *at, const char *item)
{
	if (c->len - c->pos < n)
		return tm_short(c, item);
	*at = c->pos;
	c->pos += n;
	return 0;
}

/* ---- header page, formats, cmdlines ----------------------------------- */

static int tm_header(struct tm_cur *c, struct tep_handle *tep, int long_size,
		     volatile uint64_t *where)
{
	uint64_t size = 0, at = 0;
	char *text;

	if (c->len - c->pos < 12 || memcmp(c->p + c->pos, "header_page", 12))
		return prs_fail(c->r, PRS_ECORRUPT, false, tm_where(c, c->pos),
				"%s: expected \"header_page\"", c->what);
	c->pos += 12;
	if (tm_u64(c, &size, "the header_page size") || tm_take(c, size, &at, "header_page"))
		return c->r->err;
	/* libtraceevent's signature wants it writable */
	text = malloc(size + 1);
	if (!text)
		return -PRS_ENOMEM;
	memcpy(text, c->p + at, size);
	text[size] = '\0';
	if (where)
		*where = tm_where(c, at);
	/* as libtracecmd: with the long size of the file header, the result unchecked */
	tep_parse_header_page(tep, text, size, long_size);
	free(text);
	if (c->len - c->pos < 13 || memcmp(c->p + c->pos, "header_event", 13))
		return prs_fail(c->r, PRS_ECORRUPT, false, tm_where(c, c->pos),
				"%s: expected \"header_event\"", c->what);
	c->pos += 13;
	if (tm_u64(c, &size, "the header_event size") || tm_take(c, size, &at, "header_event"))
		return c->r->err;
	return 0;
}

/* count(4), then count x [size(8) format]; formats that do not parse are skipped, as by libtracecmd */
static int tm_formats(struct tm_cur *c, struct tep_handle *tep, const char *sys,
		      volatile uint64_t *where)
{
	uint32_t count = 0;
	uint64_t size = 0, at = 0;

	if (tm_u32(c, &count, "the format count"))
		return c->r->err;
	for (uint32_t i = 0; i < count; i++) {
		if (tm_u64(c, &size, "a format size") || tm_take(c, size, &at, "a format"))
			return c->r->err;
		if (where)
			*where = tm_where(c, at);
		tep_parse_event(tep, (const char *)c->p + at, size, sys);
	}
	return 0;
}

static int tm_events(struct tm_cur *c, struct tep_handle *tep, volatile uint64_t *where)
{
	uint32_t systems = 0;
	int ret;

	if (tm_u32(c, &systems, "the event system count"))
		return c->r->err;
	for (uint32_t i = 0; i < systems; i++) {
		const uint8_t *nul = memchr(c->p + c->pos, '\0', c->len - c->pos);
		const char *sys = (const char *)c->p + c->pos;

		if (!nul)
			return tm_short(c, "an event system name");
		c->pos = (uint64_t)(nul - c->p) + 1;
		ret = tm_formats(c, tep, sys, where);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * tep_parse_saved_cmdlines() sscanf()s "%d %m[^\n]s" per line and stops at
 * the first line that does not scan; lines of the usual form ("1234 comm")
 * are split here, the others go through the same sscanf().
 */
static int tm_cmdlines(struct tm_cur *c, struct tep_handle *tep)
{
	uint64_t size = 0, at = 0;
	char *text, *p;

	if (tm_u64(c, &size, "the cmdlines size") || tm_take(c, size, &at, "the cmdlines"))
		return c->r->err;
	text = malloc(size + 1);
	if (!text)
		return -PRS_ENOMEM;
	memcpy(text, c->p + at, size);
	text[size] = '\0';
	for (p = text; *p;) {
		char *line = p, *nl = strchr(p, '\n'), *comm = NULL;
		int pid = 0, k, n;

		if (nl) {
			*nl = '\0';
			p = nl + 1;
		} else {
			p += strlen(p);
		}
		if (!*line)
			continue;
		for (k = 0; k < 9 && line[k] >= '0' && line[k] <= '9'; k++)
			pid = pid * 10 + (line[k] - '0');
		if (k >= 1 && !(line[k] >= '0' && line[k] <= '9')) {
			char *s = line + k;

			while (tm_space(*s))
				s++;
			if (*s) {
				tep_register_comm(tep, s, pid);
				continue;
			}
		}
		errno = 0;
		n = sscanf(line, "%d %m[^\n]s", &pid, &comm);
		if (errno || n != 2 || !comm) {
			free(comm);
			break;
		}
		tep_register_comm(tep, comm, pid);
		free(comm);
	}
	free(text);
	return 0;
}

int prs_td_meta_tep(const struct td_walk *w, bool formats_only, volatile uint64_t *where,
		    struct tep_handle **out)
{
	bool host_big = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	int order[TD_META__NR], n = 0, ret = 0;
	struct tep_handle *tep;

	*out = NULL;
	tep = tep_alloc();
	if (!tep)
		return -PRS_ENOMEM;
	/* tracecmd_alloc_fd(), with TRACECMD_FL_LOAD_NO_PLUGINS */
	tep_set_flag(tep, TEP_DISABLE_PLUGINS);
	tep_set_file_bigendian(tep, host_big != w->swap ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, host_big ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, w->long_size);
	if (w->cpucount)
		tep_set_cpus(tep, (int)w->cpucount);

	/*
	 * v6: the blocks in file order.  v7: libtracecmd puts each section at
	 * the head of a list when an option first names it and reads the list
	 * from the head: the last one named first.
	 */
	for (int i = 0; i < TD_META__NR; i++)
		if (w->meta[i].present)
			order[n++] = i;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0; j--) {
			bool swap = w->version < 7 ? w->meta[order[j]].rank < w->meta[order[j - 1]].rank
						   : w->meta[order[j]].rank > w->meta[order[j - 1]].rank;
			int x;

			if (!swap)
				break;
			x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}

	for (int i = 0; i < n && !ret; i++) {
		const struct td_meta *m = &w->meta[order[i]];
		struct tm_cur c;

		if (order[i] == TD_META_KALLSYMS || order[i] == TD_META_PRINTK ||
		    (formats_only && order[i] == TD_META_CMDLINES))
			continue;
		ret = tm_open(&c, w->r, w->compress, m, w->map + m->off, w->swap, order[i]);
		if (!ret) {
			switch (order[i]) {
			case TD_META_HEADER:
				ret = tm_header(&c, tep, w->long_size, where);
				break;
			case TD_META_FTRACE:
				ret = tm_formats(&c, tep, "ftrace", where);
				break;
			case TD_META_EVENTS:
				ret = tm_events(&c, tep, where);
				break;
			case TD_META_CMDLINES:
				ret = tm_cmdlines(&c, tep);
				break;
			}
		}
		tm_close(&c);
	}
	if (ret) {
		tep_free(tep);
		return ret < 0 ? ret : -PRS_ECORRUPT;
	}
	*out = tep;
	return 0;
}

/* ---- kallsyms ------------------------------------------------------------ */

static const int8_t tk_hex[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
	['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16,
};	/* digit + 1, 0: not a hex digit */

/* libtraceevent's order: by address, and at one address the last in the file first */
static bool tk_before(const struct td_ksym *a, const struct td_ksym *b)
{
	return a->addr < b->addr || (a->addr == b->addr && a->name > b->name);
}

static int tk_cmp(const void *a, const void *b)
{
	return tk_before(a, b) ? -1 : tk_before(b, a) ? 1 : 0;
}

/*
 * /proc/kallsyms lists the kernel's own symbols by address and the
 * modules' after them, each module in its own order: keep the longest
 * ordered prefix run in place, sort what is left (a few thousand module
 * symbols) and merge the two.  Any input ends up in the same total order.
 */
static int tk_sort(struct td_ksym *s, size_t n)
{
	struct td_ksym *rest, x;
	size_t i, j, nm = 0, nr = 0, o;

	/* several names at one address come in file order: the order wants them reversed */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && s[j].addr == s[i].addr; j++)
			;
		for (size_t a = i, b = j - 1; a < b; a++, b--) {
			x = s[a];
			s[a] = s[b];
			s[b] = x;
		}
	}
	for (i = 1; i < n && !tk_before(&s[i], &s[i - 1]); i++)
		;
	if (i >= n)
		return 0;
	rest = malloc(n * sizeof(*rest));
	if (!rest)
		return -PRS_ENOMEM;
	for (i = 0; i < n; i++) {
		if (nm && tk_before(&s[i], &s[nm - 1]))
			rest[nr++] = s[i];
		else
			s[nm++] = s[i];
	}
	qsort(rest, nr, sizeof(*rest), tk_cmp);
	/* merge from the back: the ordered run stays where it is until overwritten */
	for (i = nm, j = nr, o = n; j;) {
		if (i && tk_before(&rest[j - 1], &s[i - 1]))
			s[--o] = s[--i];
		else
			s[--o] = rest[--j];
	}
	free(rest);
	return 0;
}

int prs_td_ksyms_parse(struct td_ksyms *k, char *text, size_t len)
{
	char *p = text, *end = text + strnlen(text, len);
	size_t cap = len / 32 + 16;

	/* tep_parse_kallsyms() works on a strdup(): the text ends at a NUL */
	*end = '\0';
	k->sym = malloc(cap * sizeof(*k->sym));
	k->nr = 0;
	if (!k->sym)
		return -PRS_ENOMEM;
	while (p < end) {
		char *line = p, *nl = memchr(p, '\n', (size_t)(end - p)), *name;
		uint64_t addr = 0;
		char type;
		int d;

		if (!nl)
			nl = end;
		p = nl + 1;
		if (nl == line)
			continue;	/* strtok() skips empty lines */
		*nl = '\0';
		/*
		 * "ffffffff81000000 T _text" or "... t name\t[module]": the same
		 * as sscanf(line, "%16llx %c %n%*s%n%*1[\t][%n%*s%n") gives, which
		 * runs on any other line
		 */
		for (d = 0; d < 17; d++) {
			int h = tk_hex[(uint8_t)line[d]];

			if (!h)
				break;
			addr = addr << 4 | (uint64_t)(h - 1);
		}
		if (d >= 1 && d <= 16 && line[d] == ' ' && line[d + 1] && !tm_space(line[d + 1]) &&
		    line[d + 2] == ' ' && line[d + 3] && !tm_space(line[d + 3])) {
			type = line[d + 1];
			name = line + d + 3;
		} else {
			unsigned long long a;
			int fs = 0, fe = 0, ms = 0, me = 0, got;
			char c;

			errno = 0;
			got = sscanf(line, "%16llx %c %n%*s%n%*1[\t][%n%*s%n", &a, &c, &fs, &fe, &ms, &me);
			if (errno || got != 2 || !fe)
				break;	/* tep_parse_kallsyms() gives up here, keeping what it has */
			addr = a;
			type = c;
			name = line + fs;
		}
		/* libtraceevent skips ARM's '$a'-style names and absolute (per-CPU) symbols */
		if (name[0] == '$' || type == 'A' || type == 'a')
			continue;
		/* the name ends at a blank: found when it is looked up, few ever are */
		if (k->nr == cap) {
			struct td_ksym *sym = realloc(k->sym, 2 * cap * sizeof(*sym));

			if (!sym)
				return -PRS_ENOMEM;
			k->sym = sym;
			cap *= 2;
		}
		k->sym[k->nr++] = (struct td_ksym){ .addr = addr, .name = name };
	}
	return tk_sort(k->sym, k->nr);
}

/*
 * libtraceevent's lookup exactly: glibc's bsearch() probe sequence with a
 * comparator that matches the symbol at the address or the one whose next
 * symbol lies above it, the last one having a sentinel of address 0 after
 * it (so nothing is found past the last symbol).  Several names at one
 * address: the probe sequence decides, as it does in libtraceevent.
 */
const char *prs_td_ksyms_find(const struct td_ksyms *k, uint64_t addr, size_t *len)
{
	size_t l = 0, u = k->nr;

	while (l < u) {
		size_t i = (l + u) / 2;
		uint64_t at = k->sym[i].addr, next = i + 1 < k->nr ? k->sym[i + 1].addr : 0;

		if (addr == at || (addr > at && addr < next)) {
			/* what %*s takes: up to a blank (a tab before "[module]") */
			*len = strcspn(k->sym[i].name, " \t\n\v\f\r");
			return k->sym[i].name;
		}
		if (addr < at)
			u = i;
		else
			l = i + 1;
	}
	return NULL;
}

void prs_td_ksyms_free(struct td_ksyms *k)
{
	free(k->sym);
	free(k->buf);
	k->sym = NULL;
	k->buf = NULL;
	k->nr = 0;
}

int prs_td_ksyms_load(struct prs_reader *r, struct td_ksyms *k)
{
	uint8_t *raw;
	struct tm_cur c;
	uint64_t done = 0, at = 0;
	uint32_t size = 0;
	int ret;

	k->pending = false;
	if (!k->at.present)
		return 0;	/* no kallsyms in the file: addresses stay numbers */
	raw = malloc(k->at.size + 1);
	if (!raw)
		return -PRS_ENOMEM;
	while (done < k->at.size) {
		ssize_t got = pread(k->fd, raw + done, k->at.size - done, (off_t)(k->at.off + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			ret = got < 0 ? prs_fail(r, PRS_EIO, false, k->at.off + done, "kallsyms: %s",
						 strerror(errno))
				      : prs_fail(r, PRS_ETRUNCATED, false, k->at.off + done,
						 "file is truncated inside the kallsyms");
			free(raw);
			return ret;
		}
		done += (uint64_t)got;
	}
	ret = tm_open(&c, r, k->zstd ? "zstd" : "none", &k->at, raw, k->swap, TD_META_KALLSYMS);
	if (!ret && !tm_u32(&c, &size, "the kallsyms size") && !tm_take(&c, size, &at, "the kallsyms")) {
		/* tm_open() leaves a spare byte after the content: the text's NUL */
		if (c.tmp) {
			k->buf = (char *)c.tmp;
			c.tmp = NULL;
			free(raw);
		} else {
			k->buf = (char *)raw;
		}
		return prs_td_ksyms_parse(k, k->buf + at, size);
	}
	ret = r->err ? r->err : -PRS_ECORRUPT;
	tm_close(&c);
	free(raw);
	return ret;
}
