// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.dat reader (trace-cmd file versions 6 and 7): the layout walk and
 * the decoding shared by both readers, and the reader on top of libtracecmd
 * (--reader libtracecmd, and files that need its clock conversions or zlib);
 * the default one is tracedat-stream.c.
 *
 * libtracecmd trusts the file: on a short file it printf()s "File possibly
 * truncated" and then reads whatever is there, on a bad header it fails
 * without saying where.  So before any library sees the file we walk its
 * layout ourselves with a bounds-checked cursor over a read-only mapping:
 * header, every section (v7) or every header block (v6), the options, and
 * the per-CPU data extents the buffers promise (and, when compressed, their
 * chunk tables).  The walk also yields what info needs (kernel release,
 * clock, CPU count, ring-buffer overruns) without private libtracecmd API,
 * and where each metadata block is, for the stream reader, which parses
 * them itself (tracedat-meta.c).
 *
 * Records of all CPUs of the top buffer and of every buffer instance are
 * merged by timestamp through a min-heap holding one record per (buffer,
 * CPU).  Event fields are resolved once per event id from the file's own
 * formats; symbolic renderings (gfp flags, compaction status, task state)
 * are computed once per distinct value from the event's print_fmt and
 * cached, so the hot path does no malloc and no formatting.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <event-parse.h>
#include <trace-cmd.h>
#include <tracefs.h>

#include "parsers-local.h"
#include "tracedat-local.h"

/* trace-cmd option ids (trace-cmd.dat.v7(5)) */
enum {
	TD_OPT_DONE		= 0,
	TD_OPT_CPUSTAT		= 2,
	TD_OPT_BUFFER		= 3,
	TD_OPT_TRACECLOCK	= 4,
	TD_OPT_UNAME		= 5,
	TD_OPT_OFFSET		= 7,	/* "--ts-offset": added to every timestamp */
	TD_OPT_CPUCOUNT		= 8,
	TD_OPT_TIME_SHIFT	= 12,	/* guest clock sync */
	TD_OPT_GUEST		= 13,
	TD_OPT_TSC2NSEC		= 14,
	TD_OPT_STRINGS		= 15,	/* v7: strings section (section names) */
	TD_OPT_HEADER_INFO	= 16,	/* 16..21: offset of a metadata section */
	TD_OPT_FTRACE_EVENTS	= 17,
	TD_OPT_KALLSYMS		= 19,
	TD_OPT_PRINTK		= 20,
	TD_OPT_CMDLINES		= 21,
	TD_OPT_BUFFER_TEXT	= 22,
};

#define TD_SEC_COMPRESSED	1u
#define TD_MAX_CPUS		8192u
#define TD_MAX_OPT_SECTIONS	4096u
#define TD_MAX_META		(256u << 20)	/* one decompressed options section */
#define TD_MAX_STR		1024		/* a symbolic rendering */

/* ---- layout walk -------------------------------------------------------- */

static uint16_t td_bswap16(uint16_t v) { return __builtin_bswap16(v); }
static uint32_t td_bswap32(uint32_t v) { return __builtin_bswap32(v); }
static uint64_t td_bswap64(uint64_t v) { return __builtin_bswap64(v); }

/* @n bytes at @pos must be inside the file: else "truncated at @pos". */
static int td_need(struct td_walk *w, uint64_t pos, uint64_t n, const char *what)
{
	if (pos <= w->size && n <= w->size - pos)
		return 0;
	/* no trace is a petabyte: such an offset or size is a damaged field */
	if (pos >> 50 || n >> 50)
		return prs_fail(w->r, PRS_ECORRUPT, false, pos < w->size ? pos : w->size,
				"%s: implausible offset %llu or size %llu", what,
				(unsigned long long)pos, (unsigned long long)n);
	if (pos >= w->size)
		return prs_fail(w->r, PRS_ETRUNCATED, false, w->size,
				"file is truncated: %s should be at offset %llu (%llu bytes)",
				what, (unsigned long long)pos, (unsigned long long)n);
	return prs_fail(w->r, PRS_ETRUNCATED, false, pos,
			"file is truncated: %s needs %llu bytes here, the file ends at %llu",
			what, (unsigned long long)n, (unsigned long long)w->size);
}

/* The file ends inside @what at @at: remember the earliest such place. */
static void td_cut_at(struct td_walk *w, uint64_t at, const char *what)
{
	if (!w->cut || at <= w->cut_at) {
		w->cut_at = at;
		snprintf(w->cut_what, sizeof(w->cut_what), "%s", what);
	}
	w->cut = true;
}

/*
 * CPU data @c running past the end of the file: the file was cut short
 * while (or after) the data was written.  Its extent ends at the end of
 * the file; the stream reader keeps the whole pages (uncompressed) or the
 * whole chunks (td_check_chunks()) in it.  Implausible extents stay errors
 * (td_need()).
 */
static int td_cut_cpu(struct td_walk *w, struct td_cpu *c, uint32_t page_size, const char *what)
{
	if (c->off >> 50 || c->size >> 50)
		return td_need(w, c->off, c->size, what);
	if (c->off <= w->size && c->size <= w->size - c->off)
		return 0;
	c->cut = true;
	c->size = c->off < w->size ? w->size - c->off : 0;
	td_cut_at(w, c->off + (page_size ? c->size / page_size * page_size : 0), what);
	return 0;
}

/*
 * header_page text, e.g. "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n":
 * libtracecmd 1.3 crashes in its cleanup when this does not parse, so every
 * field line must carry offset, size and signed numbers.
 */
static bool td_header_page_ok(const char *p, size_t len)
{
	const char *end = p + len;
	int fields = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[256];
		int off, size, sign;
		const char *f;

		if (l < sizeof(line)) {
			memcpy(line, p, l);
			line[l] = '\0';
			f = strstr(line, "field:");
			if (f) {
				const char *o = strstr(f, "offset:"), *z = strstr(f, "size:"),
					   *g = strstr(f, "signed:");

				if (!o || !z || !g || sscanf(o, "offset:%d;", &off) != 1 ||
				    sscanf(z, "size:%d;", &size) != 1 ||
				    sscanf(g, "signed:%d;", &sign) != 1 || off < 0 || size < 0)
					return false;
				fields++;
			}
		} else if (memmem(p, l, "field:", 6)) {
			return false;
		}
		p += l + 1;
	}
	return fields >= 2;
}

static int td_rd16(struct td_walk *w, uint64_t pos, uint16_t *v, const char *what)
{
	if (td_need(w, pos, 2, what))
		return -1;
	memcpy(v, w->map + pos, 2);
	if (w->swap)
		*v = td_bswap16(*v);
	return 0;
}


/* the u64 at @pos, known to be inside the file */
static uint64_t td_peek64(const struct td_walk *w, uint64_t pos)
{
	uint64_t v;

	memcpy(&v, w->map + pos, 8);
	return w->swap ? td_bswap64(v) : v;
}

/* the u32 at @pos, known to be inside the file */
static uint32_t td_peek32(const struct td_walk *w, uint64_t pos)
{
	uint32_t v;

	memcpy(&v, w->map + pos, 4);
	return w->swap ? td_bswap32(v) : v;
}

/* the u32 / u64 at @pos, checked to be inside the file (one line naming @what if not) */
static int td_rd32(struct td_walk *w, uint64_t pos, uint32_t *v, const char *what)
{
	if (td_need(w, pos, 4, what))
		return -1;
	*v = td_peek32(w, pos);
	return 0;
}

static int td_rd64(struct td_walk *w, uint64_t pos, uint64_t *v, const char *what)
{
	if (td_need(w, pos, 8, what))
		return -1;
	*v = td_peek64(w, pos);
	return 0;
}

/* A NUL-terminated string at @pos; *end is the position after its NUL. */
static int td_rdstr(struct td_walk *w, uint64_t pos, uint64_t limit, const char **s,
		    uint64_t *end, const char *what)
{
	const uint8_t *nul;

	if (limit > w->size)
		limit = w->size;
	if (pos >= limit)
		return td_need(w, pos, w->size - pos + 1, what);
	nul = memchr(w->map + pos, '\0', limit - pos);
	if (!nul) {
		if (limit == w->size)
			return prs_fail(w->r, PRS_ETRUNCATED, false, pos,
					"file is truncated: %s is not terminated, the file ends at %llu",
					what, (unsigned long long)w->size);
		return prs_fail(w->r, PRS_ECORRUPT, false, pos, "%s is not terminated", what);
	}
	*s = (const char *)w->map + pos;
	*end = (uint64_t)(nul - w->map) + 1;
	return 0;
}

/* Options of one options block, in memory at @p (file offset @base). */
struct td_opts {
	const uint8_t	*p;
	uint64_t	len, base;
	bool		swap;
};

static uint32_t td_get32(const struct td_opts *o, uint64_t at)
{
	uint32_t v;

	memcpy(&v, o->p + at, 4);
	return o->swap ? td_bswap32(v) : v;
}

static uint64_t td_get64(const struct td_opts *o, uint64_t at)
{
	uint64_t v;

	memcpy(&v, o->p + at, 8);
	return o->swap ? td_bswap64(v) : v;
}

static void td_cpustat(struct prs_reader *r, const char *s, size_t len)
{
	/* "CPU: 0\nentries: 23303\noverrun: 0\n...\ndropped events: 0\n" */
	static const struct { const char *key; size_t off; } keys[] = {
		{ "overrun: ",		offsetof(struct prs_stats, overrun_reported) },
		{ "dropped events: ",	offsetof(struct prs_stats, dropped_reported) },
	};
	const char *end = s + len;

	r->stats.cpustat_known = true;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t l = nl ? (size_t)(nl - s) : (size_t)(end - s);

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			size_t kl = strlen(keys[k].key);
			char num[24];

			if (l <= kl || l - kl >= sizeof(num) || memcmp(s, keys[k].key, kl))
				continue;
			memcpy(num, s + kl, l - kl);
			num[l - kl] = '\0';
			*(uint64_t *)((char *)&r->stats + keys[k].off) += strtoull(num, NULL, 10);
		}
		s += l + 1;
	}
}

/*
 * trace-cmd writes "sysname nodename release version machine", and the
 * version has spaces ("#1 SMP PREEMPT_DYNAMIC Debian ..."): the release is
 * the third token.
 */
static void td_uname(struct prs_reader *r, const char *s, size_t len)
{
	const char *tok[8];
	size_t toklen[8];
	int n = 0;

	for (size_t i = 0; i < len && n < 8;) {
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i >= len || !s[i])
			break;
		tok[n] = s + i;
		while (i < len && s[i] && !isspace((unsigned char)s[i]))
			i++;
		toklen[n] = (size_t)(s + i - tok[n]);
		n++;
	}
	if (n < 3 || r->kernel)
		return;
	r->kernel = strndup(tok[2], toklen[2]);
}

/* TRACECLOCK option: "[local] global counter ..." -> "local". */
static void td_traceclock(struct prs_reader *r, const char *s, size_t len)
{
	const char *b = memchr(s, '[', len), *e;

	if (!b || r->clock)
		return;
	e = memchr(b, ']', len - (size_t)(b - s));
	if (e)
		r->clock = strndup(b + 1, (size_t)(e - b - 1));
}

static struct td_buffer *td_add_buffer(struct td_walk *w, uint64_t pos)
{
	if (w->nr_bufs >= TD_MAX_BUFFERS) {
		prs_fail(w->r, PRS_ELIMIT, false, pos, "more than %u buffer instances", TD_MAX_BUFFERS);
		return NULL;
	}
	return memset(&w->bufs[w->nr_bufs++], 0, sizeof(struct td_buffer));
}

static int td_v7_buffer_opt(struct td_walk *w, const struct td_opts *o, uint64_t at,
			    uint32_t size, bool latency)
{
	uint64_t pos = at, end = at + size;
	const char *name, *clock;
	struct td_buffer *b;
	const uint8_t *nul;

	if (size < 9)
		goto bad;
	b = td_add_buffer(w, o->base + at);
	if (!b)
		return -1;
	b->latency = latency;
	b->offset = td_get64(o, pos);
	pos += 8;
	nul = memchr(o->p + pos, '\0', end - pos);
	if (!nul)
		goto bad;
	name = (const char *)o->p + pos;
	pos = (uint64_t)(nul - o->p) + 1;
	b->name = strdup(name);
	if (!b->name)
		return -PRS_ENOMEM;
	if (latency)
		return 0;
	nul = pos < end ? memchr(o->p + pos, '\0', end - pos) : NULL;
	if (!nul || end - ((uint64_t)(nul - o->p) + 1) < 8)
		goto bad;
	clock = (const char *)o->p + pos;
	pos = (uint64_t)(nul - o->p) + 1;
	b->clock = strdup(clock);
	b->page_size = td_get32(o, pos);
	pos += 4;
	b->cpus = td_get32(o, pos);
	pos += 4;
	if (b->cpus > TD_MAX_CPUS)
		return prs_fail(w->r, PRS_ELIMIT, false, o->base + at,
				"buffer \"%s\" claims %u CPUs (more than %u)", b->name, b->cpus,
				TD_MAX_CPUS);
	if ((uint64_t)b->cpus * 20 > end - pos)
		goto bad;
	b->cpu = calloc(b->cpus + 1, sizeof(*b->cpu));
	if (!b->cpu)
		return -PRS_ENOMEM;
	for (uint32_t i = 0; i < b->cpus; i++) {
		uint32_t id = td_get32(o, pos);
		uint64_t off = td_get64(o, pos + 4), sz = td_get64(o, pos + 12);
		char what[96];

		pos += 20;
		b->cpu[i] = (struct td_cpu){ .id = id, .off = off, .size = sz };
		if (id >= TD_MAX_CPUS)
			return prs_fail(w->r, PRS_ECORRUPT, false, o->base + at,
					"buffer \"%s\": CPU id %u (the limit is %u)", b->name, id,
					TD_MAX_CPUS - 1);
		if (id + 1 > b->max_cpu)
			b->max_cpu = id + 1;
		if (!sz)
			continue;
		snprintf(what, sizeof(what), "CPU %u data of buffer \"%s\"", id, b->name);
		if (td_cut_cpu(w, &b->cpu[i], b->page_size ? b->page_size : w->page_size, what))
			return -1;
	}
	return 0;
bad:
	return prs_fail(w->r, PRS_ECORRUPT, false, o->base + at, "malformed BUFFER option");
}

static int td_check_section(struct td_walk *w, uint64_t off, uint16_t want, const char *what);
static int td_v7_header_info(struct td_walk *w, uint64_t off);

/*
 * Walk the options at o->p: v6 stops at id 0 (no size), v7 at DONE, whose
 * payload is the offset of the next options section (*next, 0 = none).
 */
static int td_options(struct td_walk *w, const struct td_opts *o, uint64_t *next, uint64_t *endpos)
{
	uint64_t pos = 0;

	*next = 0;
	for (;;) {
		uint16_t id;
		uint32_t size;
		uint64_t at;
		int ret = 0;

		if (o->len - pos < 2)
			goto short_opts;
		memcpy(&id, o->p + pos, 2);
		if (o->swap)
			id = td_bswap16(id);
		pos += 2;
		if (id == TD_OPT_DONE && w->version < 7)
			break;
		if (o->len - pos < 4)
			goto short_opts;
		size = td_get32(o, pos);
		pos += 4;
		if (o->len - pos < size)
			goto short_opts;
		at = pos;
		pos += size;

		switch (id) {
		case TD_OPT_DONE:
			if (size < 8)
				return prs_fail(w->r, PRS_ECORRUPT, false, o->base + at,
						"malformed DONE option");
			*next = td_get64(o, at);
			if (endpos)
				*endpos = pos;
			return 0;
		case TD_OPT_CPUSTAT:
			td_cpustat(w->r, (const char *)o->p + at, strnlen((const char *)o->p + at, size));
			break;
		case TD_OPT_UNAME:
			td_uname(w->r, (const char *)o->p + at, strnlen((const char *)o->p + at, size));
			break;
		case TD_OPT_TRACECLOCK:
			w->use_clock = true;
			td_traceclock(w->r, (const char *)o->p + at, strnlen((const char *)o->p + at, size));
			break;
		case TD_OPT_CPUCOUNT:
			if (size >= 4)
				w->cpucount = td_get32(o, at);
			break;
		case TD_OPT_OFFSET: {
			char num[32];
			size_t l = strnlen((const char *)o->p + at, size);

			if (l < sizeof(num)) {
				memcpy(num, o->p + at, l);
				num[l] = '\0';
				w->ts_offset += strtoll(num, NULL, 0);
			}
			break;
		}
		case TD_OPT_TIME_SHIFT:
		case TD_OPT_GUEST:
		case TD_OPT_TSC2NSEC:
			w->ts_special = true;
			break;
		case TD_OPT_BUFFER:
		case TD_OPT_BUFFER_TEXT:
			if (w->version >= 7) {
				ret = td_v7_buffer_opt(w, o, at, size, id == TD_OPT_BUFFER_TEXT);
			} else {
				/* v6: offset of the instance's own "flyrecord" block, then its name */
				struct td_buffer *b;

				if (size < 9 || !memchr(o->p + at + 8, '\0', size - 8))
					return prs_fail(w->r, PRS_ECORRUPT, false, o->base + at,
							"malformed BUFFER option");
				b = td_add_buffer(w, o->base + at);
				if (!b)
					return -1;
				b->offset = td_get64(o, at);
				b->name = strdup((const char *)o->p + at + 8);
				if (!b->name)
					return -PRS_ENOMEM;
			}
			break;
		default:
			if (id >= TD_OPT_HEADER_INFO && id <= TD_OPT_CMDLINES && w->version >= 7) {
				static const char *const names[] = {
					"header info", "ftrace formats", "event formats",
					"kallsyms", "printk formats", "saved cmdlines",
				};
				if (size < 8)
					return prs_fail(w->r, PRS_ECORRUPT, false, o->base + at,
							"malformed section option %u", id);
				ret = td_check_section(w, td_get64(o, at), id,
						       names[id - TD_OPT_HEADER_INFO]);
				if (!ret && id == TD_OPT_HEADER_INFO)
					ret = td_v7_header_info(w, td_get64(o, at));
			}
			break;
		}
		if (ret)
			return ret < 0 ? ret : -1;
	}
	if (endpos)
		*endpos = pos;
	return 0;
short_opts:
	if (o->p + o->len == w->map + w->size)	/* options run into the end of the file */
		return prs_fail(w->r, PRS_ETRUNCATED, false, o->base + pos,
				"file is truncated inside the options, the file ends at %llu",
				(unsigned long long)w->size);
	return prs_fail(w->r, PRS_ECORRUPT, false, o->base + pos, "option runs past its section");
}

/* v7 section header: id(2) flags(2) description(4) size(8). */
struct td_section {
	uint16_t	id, flags;
	uint64_t	data, size;	/* data offset and size in the file */
};

static int td_section_at(struct td_walk *w, uint64_t off, struct td_section *s, const char *what)
{
	char desc[80];

	snprintf(desc, sizeof(desc), "the %s section header", what);
	if (td_rd16(w, off, &s->id, desc) || td_rd16(w, off + 2, &s->flags, desc) ||
	    td_rd64(w, off + 8, &s->size, desc))
		return -1;
	s->data = off + 16;
	snprintf(desc, sizeof(desc), "the %s section", what);
	return td_need(w, s->data, s->size, desc);
}

static int td_check_section(struct td_walk *w, uint64_t off, uint16_t want, const char *what)
{
	struct td_section s;

	if (td_section_at(w, off, &s, what))
		return -1;
	if (s.id != want)
		return prs_fail(w->r, PRS_ECORRUPT, false, off,
				"expected the %s section (id %u), found id %u", what, want, s.id);
	if (s.flags & TD_SEC_COMPRESSED) {
		uint32_t csize, usize;

		/* libtracecmd mallocs these sizes as they come */
		if (s.size < 8 || td_rd32(w, s.data, &csize, what) ||
		    td_rd32(w, s.data + 4, &usize, what) || csize > s.size - 8 ||
		    usize > TD_MAX_META)
			return prs_fail(w->r, PRS_ECORRUPT, false, s.data,
					"the %s section's compression header is damaged", what);
	} else {
		/* the leading size libtracecmd will malloc must fit in the section */
		uint64_t lead = 0;
		uint32_t l32;
		bool bad = false;

		switch (want) {
		case TD_OPT_HEADER_INFO:
			bad = s.size < 12 || memcmp(w->map + s.data, "header_page", 12);
			break;
		case TD_OPT_FTRACE_EVENTS:
			if (s.size >= 12 && !td_rd32(w, s.data, &l32, what) && l32)
				bad = td_rd64(w, s.data + 4, &lead, what) || lead > s.size - 12;
			break;
		case TD_OPT_KALLSYMS:
		case TD_OPT_PRINTK:
			bad = s.size < 4 || td_rd32(w, s.data, &l32, what) || l32 > s.size - 4;
			break;
		case TD_OPT_CMDLINES:
			bad = s.size < 8 || td_rd64(w, s.data, &lead, what) || lead > s.size - 8;
			break;
		default:
			break;
		}
		if (bad)
			return prs_fail(w->r, PRS_ECORRUPT, false, s.data,
					"the %s section's contents do not fit it", what);
	}
	/* a later option for the same section wins, as in libtracecmd */
	if (want >= TD_OPT_HEADER_INFO && want <= TD_OPT_CMDLINES) {
		struct td_meta *m = &w->meta[want - TD_OPT_HEADER_INFO];

		if (!m->present)
			m->rank = w->nr_meta++;
		m->present = true;
		m->off = s.data;
		m->size = s.size;
		m->compressed = s.flags & TD_SEC_COMPRESSED;
	}
	return 0;
}

/*
 * Give back the mapped pages of [*from, to) once 8 MiB have been walked:
 * reading a chunk table faults in the pages around every chunk header
 * (fault-around), so walking the tables of a large file mapped all of it
 * (a 67 MB trace.dat peaked at 68 MB of RSS).  The file's bytes stay in the
 * page cache; a later read of the map faults them back in.
 */
static void td_release(struct td_walk *w, uint64_t *from, uint64_t to, uint64_t pg)
{
	uint64_t a = *from / pg * pg, b = to / pg * pg;

	if (b - a < (8u << 20) || b <= a)
		return;
	madvise((void *)(w->map + a), (size_t)(b - a), MADV_DONTNEED);
	*from = b;
}

/* Compressed CPU data: count(4), then per chunk csize(4) usize(4) data. */
static int td_check_chunks(struct td_walk *w, struct td_cpu *c, const char *buf)
{
	/*
	 * trace-cmd 3.1 records the size of the chunks without the 4-byte
	 * count in front of them: allow both readings of "size".
	 */
	uint64_t off = c->off, size = c->size, end = off + size + 4, pos = off + 4;
	uint64_t done = off, pg = (uint64_t)sysconf(_SC_PAGESIZE);
	char what[96];
	uint32_t count;

	snprintf(what, sizeof(what), "CPU %u data of buffer \"%s\"", c->id, buf);
	if (c->cut && size < 4) {
		c->size = 0;	/* cut before its chunk table */
		td_cut_at(w, off, what);
		return 0;
	}
	if (size < 4)
		return prs_fail(w->r, PRS_ECORRUPT, false, off, "%s: no chunk table", what);
	if (td_rd32(w, off, &count, what))
		return -1;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t csize, usize;

		/* a file cut short: the whole chunks before the cut are the data */
		if (c->cut && (pos + 8 > w->size || pos + 8 + (uint64_t)td_peek32(w, pos + 0) > w->size)) {
			c->chunks = i;
			td_cut_at(w, pos, what);
			return 0;
		}
		if (end - pos < 8 || pos > end)
			return prs_fail(w->r, PRS_ECORRUPT, false, pos,
					"%s: chunk %u of %u outside the data", what, i, count);
		if (td_rd32(w, pos, &csize, what) || td_rd32(w, pos + 4, &usize, what))
			return -1;
		if (usize > (64u << 20))
			return prs_fail(w->r, PRS_ELIMIT, false, pos,
					"%s: chunk of %u bytes", what, usize);
		if (td_need(w, pos + 8, csize, what))
			return -1;
		pos += 8 + (uint64_t)csize;
		if (pos > end)
			return prs_fail(w->r, PRS_ECORRUPT, false, pos,
					"%s: chunk %u ends past the data", what, i);
		td_release(w, &done, pos, pg);
	}
	return 0;
}

/* Bytes of an options section: as is, or decompressed (zstd only). */
static int td_section_bytes(struct td_walk *w, const struct td_section *s, uint8_t **tmp,
			    struct td_opts *o)
{
	uint32_t csize, usize;
	size_t n;

	o->swap = w->swap;
	o->base = s->data;
	if (!(s->flags & TD_SEC_COMPRESSED)) {
		o->p = w->map + s->data;
		o->len = s->size;
		return 0;
	}
	if (strcmp(w->compress, "zstd"))
		return 1;	/* cannot look inside; libtracecmd still can */
	if (s->size < 8 || td_rd32(w, s->data, &csize, "compressed options") ||
	    td_rd32(w, s->data + 4, &usize, "compressed options"))
		return prs_fail(w->r, PRS_ECORRUPT, false, s->data, "malformed compressed section");
	if (csize > s->size - 8 || usize > TD_MAX_META)
		return prs_fail(w->r, PRS_ECORRUPT, false, s->data, "malformed compressed section");
	*tmp = malloc(usize ? usize : 1);
	if (!*tmp)
		return -PRS_ENOMEM;
	n = ZSTD_decompress(*tmp, usize, w->map + s->data + 8, csize);
	if (ZSTD_isError(n) || n != usize)
		return prs_fail(w->r, PRS_ECORRUPT, false, s->data,
				"compressed options section does not decompress");
	o->p = *tmp;
	o->len = usize;
	o->base = s->data;	/* offsets inside are reported at the section */
	return 0;
}

/* "header_page\0" size(8) text: the ring-buffer page layout libtracecmd needs. */
static int td_header_block(struct td_walk *w, const uint8_t *p, uint64_t len, uint64_t where)
{
	uint64_t sz;

	if (len < 20 || memcmp(p, "header_page", 12))
		return prs_fail(w->r, PRS_ECORRUPT, false, where, "expected \"header_page\"");
	memcpy(&sz, p + 12, 8);
	if (w->swap)
		sz = td_bswap64(sz);
	if (sz > len - 20 || !td_header_page_ok((const char *)p + 20, (size_t)sz))
		return prs_fail(w->r, PRS_ECORRUPT, false, where, "the header_page format does not parse");
	return 0;
}

struct td_section;
static int td_section_at(struct td_walk *w, uint64_t off, struct td_section *s, const char *what);

static int td_v7_header_info(struct td_walk *w, uint64_t off)
{
	struct td_section s;
	struct td_opts o;
	uint8_t *tmp = NULL;
	int ret;

	if (td_section_at(w, off, &s, "header info"))
		return -1;
	ret = td_section_bytes(w, &s, &tmp, &o);
	if (ret == 1)
		return 0;
	if (!ret)
		ret = td_header_block(w, o.p, o.len, s.data);
	free(tmp);
	return ret;
}

/*
 * v7 as trace-cmd writes it: ..., options, the flyrecord section, then the
 * options section holding the BUFFER option (where each CPU's data is) and
 * the strings.  Cut a file short anywhere in its data and that option is
 * gone, although the data before the cut is intact.  Find the first
 * flyrecord section by walking the sections, then each CPU's compressed
 * data the way trace-cmd lays it out: page-aligned, count(4), chunks.  The
 * top buffer only (instances' names were in the lost options), CPUs in id
 * order; uncompressed data has no chunk table to walk and stays an error.
 */
static bool td_v7_known_buffer(const struct td_walk *w, uint64_t off)
{
	for (unsigned int i = 0; i < w->nr_bufs; i++)
		if (w->bufs[i].offset == off)
			return true;
	return false;
}

/* One flyrecord section at @pos whose BUFFER option was lost: its CPUs' chunks. */
static int td_v7_recover_buffer(struct td_walk *w, uint64_t pos, uint64_t sz)
{
	uint64_t dpos = pos + 16, end = sz > w->size - dpos ? w->size : dpos + sz;
	uint32_t page = w->page_size, cap = w->cpucount ? w->cpucount : TD_MAX_CPUS;
	/* the top buffer's name is ""; an instance's was in the lost options */
	bool top = !prs_td_buffer_named(w, "");
	struct td_buffer *b = td_add_buffer(w, pos);

	if (!b)
		return -1;
	b->offset = pos;
	b->name = strdup(top ? "" : "(name lost: file cut short)");
	b->cpu = calloc(cap + 1, sizeof(*b->cpu));
	if (!b->name || !b->cpu)
		return -PRS_ENOMEM;
	b->page_size = page;
	b->compressed = true;
	for (uint32_t c = 0; c < cap; c++) {
		struct td_cpu *cpu = &b->cpu[c];
		uint32_t count, i;
		uint64_t p;

		dpos = (dpos + page - 1) / page * page;
		if (dpos + 4 > end) {
			/* CPUs past the cut: nothing of them in the file */
			if (c < w->cpucount || sz > w->size - pos - 16)
				td_cut_at(w, dpos < w->size ? dpos : w->size, "the CPU data");
			break;
		}
		*cpu = (struct td_cpu){ .id = c, .off = dpos };
		b->cpus = b->max_cpu = c + 1;
		count = td_peek32(w, dpos);
		for (i = 0, p = dpos + 4; i < count; i++) {
			if (p + 8 > w->size || p + 8 + (uint64_t)td_peek32(w, p) > w->size)
				break;
			p += 8 + (uint64_t)td_peek32(w, p);
		}
		cpu->size = p - dpos - 4;	/* the chunks, without the count (trace-cmd 3.1's reading) */
		cpu->chunks = i;
		cpu->cut = i < count;
		if (cpu->cut) {
			char what[64];

			snprintf(what, sizeof(what), "CPU %u data of buffer \"%s\"", c, b->name);
			td_cut_at(w, p, what);
			break;
		}
		dpos = p;
	}
	return 0;
}

/*
 * v7 as trace-cmd writes it: ..., options, a flyrecord section per buffer,
 * each followed by the options section holding its BUFFER option (where
 * each CPU's data is), and the strings last.  Cut a file short in its data
 * and that option is gone, although the data before the cut is intact.
 * Walk the sections to every flyrecord section no BUFFER option named, and
 * lay out its CPUs' compressed data the way trace-cmd writes it:
 * page-aligned, count(4), chunks, CPUs in id order.  Uncompressed data has
 * no chunk table to walk: that stays an error.  trace-cmd writes nothing
 * for a CPU without data, so a buffer whose first CPUs recorded nothing
 * gets its data's CPU ids shifted down: the ids of a recovered buffer are
 * an assumption (the events and their order are not).
 */
static int td_v7_recover(struct td_walk *w, uint64_t lost)
{
	uint64_t pos = w->after_header;
	unsigned int found = 0;
	bool overrun = false;	/* the last section runs past the end: the file was cut */
	int ret;

	while (pos + 16 <= w->size && w->page_size >= 64) {
		uint16_t id, flags;
		uint64_t sz;

		memcpy(&id, w->map + pos, 2);
		memcpy(&flags, w->map + pos + 2, 2);
		memcpy(&sz, w->map + pos + 8, 8);
		if (w->swap) {
			id = td_bswap16(id);
			flags = td_bswap16(flags);
			sz = td_bswap64(sz);
		}
		if (id > TD_OPT_BUFFER_TEXT)
			break;
		/* metadata sections the lost options named (allocscope record writes one options
		 * section, after the data): the section ids are the option ids */
		if (id >= TD_OPT_HEADER_INFO && id <= TD_OPT_CMDLINES &&
		    !w->meta[id - TD_OPT_HEADER_INFO].present && sz <= w->size - pos - 16) {
			static const char *const names[] = {
				"header info", "ftrace formats", "event formats",
				"kallsyms", "printk formats", "saved cmdlines",
			};

			ret = td_check_section(w, pos, id, names[id - TD_OPT_HEADER_INFO]);
			if (!ret && id == TD_OPT_HEADER_INFO)
				ret = td_v7_header_info(w, pos);
			if (ret)
				return ret < 0 ? ret : -1;
		}
		if (id == TD_OPT_BUFFER && (flags & TD_SEC_COMPRESSED) && !td_v7_known_buffer(w, pos)) {
			if ((ret = td_v7_recover_buffer(w, pos, sz)))
				return ret;
			found++;
		}
		if (sz > w->size - pos - 16) {
			overrun = true;
			break;
		}
		pos += 16 + sz;
		/* the file ends right after a flyrecord section: its options are cut off */
		if (pos == w->size && id == TD_OPT_BUFFER)
			overrun = true;
	}
	/* every section whole up to the end of the file, the last one not a
	 * flyrecord: not a cut but an options offset pointing nowhere */
	if (pos < w->size && pos + 16 > w->size)
		overrun = true;
	if (!found || !overrun)
		return prs_fail(w->r, PRS_ETRUNCATED, false, w->size,
				"file is truncated: the options section at %llu (where the CPU data is) is missing",
				(unsigned long long)lost);
	return 0;
}

static int td_walk_v7(struct td_walk *w, uint64_t pos)
{
	uint64_t opt_off, seen = 0, strings = 0, need_strings = 0;
	bool walked = true;
	const char *name, *ver;
	int ret;

	if (td_rdstr(w, pos, w->size, &name, &pos, "the compression name") ||
	    td_rdstr(w, pos, w->size, &ver, &pos, "the compression version") ||
	    td_rd64(w, pos, &opt_off, "the options offset"))
		return -1;
	snprintf(w->compress, sizeof(w->compress), "%s", name);
	if (strcmp(name, "none") && strcmp(name, "zstd") && strcmp(name, "zlib"))
		return prs_fail(w->r, PRS_EUNSUPPORTED, false, pos - strlen(ver) - strlen(name) - 2,
				"compression \"%s\" is not supported", name);
	w->after_header = pos + 8;

	while (opt_off) {
		struct td_section s;
		struct td_opts o;
		uint8_t *tmp = NULL;
		uint64_t next;

		if (++seen > TD_MAX_OPT_SECTIONS)
			return prs_fail(w->r, PRS_ECORRUPT, false, opt_off, "options sections loop");
		/* an options section past the end of the file: the file was cut short */
		if (!(opt_off >> 50) && (opt_off + 16 > w->size ||
		    td_peek64(w, opt_off + 8) > w->size - opt_off - 16)) {
			td_cut_at(w, opt_off < w->size ? opt_off : w->size, "the options after the CPU data");
			if ((ret = td_v7_recover(w, opt_off)))
				return ret;
			break;
		}
		if (td_section_at(w, opt_off, &s, "options"))
			return -1;
		if (s.id != TD_OPT_DONE)
			return prs_fail(w->r, PRS_ECORRUPT, false, opt_off,
					"expected an options section, found section id %u", s.id);
		ret = td_section_bytes(w, &s, &tmp, &o);
		if (ret == 1)
			break;
		if (ret < 0) {
			free(tmp);
			return ret;
		}
		ret = td_options(w, &o, &next, NULL);
		free(tmp);
		if (ret)
			return ret;
		opt_off = next;
	}

	/* every flyrecord buffer: its section and the chunk tables of compressed data */
	for (unsigned int i = 0; i < w->nr_bufs; i++) {
		struct td_buffer *b = &w->bufs[i];
		struct td_section s;
		char what[96];

		snprintf(what, sizeof(what), "buffer \"%s\"", b->name);
		/* a file cut short ends inside its last buffer section: its header is enough */
		if (w->cut ? td_rd16(w, b->offset, &s.id, what) || td_rd16(w, b->offset + 2, &s.flags, what) :
			     td_section_at(w, b->offset, &s, what))
			return -1;
		if (s.id != TD_OPT_BUFFER && s.id != TD_OPT_BUFFER_TEXT)
			return prs_fail(w->r, PRS_ECORRUPT, false, b->offset,
					"%s: expected a buffer section, found id %u", what, s.id);
		b->compressed = s.flags & TD_SEC_COMPRESSED;
		if (b->latency || !b->compressed)
			continue;
		for (uint32_t c = 0; c < b->cpus; c++)
			if (b->cpu[c].size &&
			    td_check_chunks(w, &b->cpu[c], b->name))
				return -1;
	}

	/*
	 * Sections follow each other as trace-cmd writes them (headers,
	 * formats, kallsyms, ..., options, buffers, strings): walk them to the
	 * end of the file so that a cut in a section no option points to (the
	 * strings at the end) is seen too.  An unknown id ends the walk: the
	 * layout is not strict, only what is referenced is required.
	 */
	for (pos = w->after_header; !w->cut && pos < w->size;) {
		uint16_t id, flags;
		uint32_t desc, usize;
		uint64_t sz;

		/*
		 * Every section an option names is whole (checked above): one cut
		 * off here is the strings section trace-cmd writes last, after the
		 * data.  The events are all there; the file is still cut short.
		 */
		if (pos + 16 > w->size) {
			td_cut_at(w, pos, "the section names (strings section) at the end");
			break;
		}
		if (td_rd16(w, pos, &id, "a section header") || td_rd16(w, pos + 2, &flags, "a section header") ||
		    td_rd32(w, pos + 4, &desc, "a section header") ||
		    td_rd64(w, pos + 8, &sz, "a section header"))
			return -1;
		if (id > TD_OPT_BUFFER_TEXT) {
			walked = false;
			break;
		}
		if (id == TD_OPT_STRINGS && !(sz >> 50) && sz > w->size - pos - 16) {
			td_cut_at(w, pos, "the section names (strings section) at the end");
			break;
		}
		if (td_need(w, pos + 16, sz, "a section"))
			return -1;
		if (id == TD_OPT_STRINGS) {
			if (!(flags & TD_SEC_COMPRESSED))
				strings += sz;
			else if (sz >= 8 && !td_rd32(w, pos + 20, &usize, "strings"))
				strings += usize;
		} else if (desc + 1ull > need_strings) {
			need_strings = desc + 1ull;
		}
		pos += 16 + sz;
	}
	/* section names live in strings sections, written last by trace-cmd */
	if (walked && !w->cut && strings < need_strings)
		td_cut_at(w, w->size, "the section names (strings section) at the end");
	return 0;
}

/* v6: a size-prefixed block; 8 or 4 byte size. */
static int td_v6_block(struct td_walk *w, uint64_t *pos, int szbytes, const char *what)
{
	uint64_t sz;
	uint32_t sz32;

	if (szbytes == 8) {
		if (td_rd64(w, *pos, &sz, what))
			return -1;
	} else {
		if (td_rd32(w, *pos, &sz32, what))
			return -1;
		sz = sz32;
	}
	*pos += (uint64_t)szbytes;
	if (td_need(w, *pos, sz, what))
		return -1;
	*pos += sz;
	return 0;
}

/* v6 per-CPU table after "flyrecord\0": cpus x (offset, size). */
static int td_v6_flyrecord(struct td_walk *w, uint64_t *pos, struct td_buffer *b)
{
	const char *buf = b->name ? b->name : "";

	b->cpu = calloc(w->header_cpus + 1, sizeof(*b->cpu));
	if (!b->cpu)
		return -PRS_ENOMEM;
	b->cpus = w->header_cpus;
	b->page_size = w->page_size;
	for (uint32_t cpu = 0; cpu < w->header_cpus; cpu++) {
		uint64_t off, sz;
		char what[96];

		snprintf(what, sizeof(what), "the CPU table of buffer \"%s\"", buf);
		if (td_rd64(w, *pos, &off, what) || td_rd64(w, *pos + 8, &sz, what))
			return -1;
		*pos += 16;
		b->cpu[cpu] = (struct td_cpu){ .id = cpu, .off = off, .size = sz };
		if (!sz)
			continue;
		b->max_cpu = cpu + 1;
		snprintf(what, sizeof(what), "CPU %u data of buffer \"%s\"", cpu, buf);
		if (td_cut_cpu(w, &b->cpu[cpu], w->page_size, what))
			return -1;
	}
	return 0;
}

static void td_v6_meta(struct td_walk *w, int which, uint64_t start, uint64_t end)
{
	w->meta[which] = (struct td_meta){ .off = start, .size = end - start, .present = true,
					   .rank = (uint8_t)which };
}

static int td_walk_v6(struct td_walk *w, uint64_t pos)
{
	static const char *const hdr[] = { "header_page", "header_event" };
	uint32_t count;
	char what[64];
	int ret;

	uint64_t start = pos;

	if (td_need(w, pos, 20, "header_page"))
		return -1;
	{
		uint64_t sz;

		if (td_rd64(w, pos + 12, &sz, "header_page") || td_need(w, pos + 20, sz, "header_page") ||
		    td_header_block(w, w->map + pos, 20 + sz, pos))
			return -1;
	}
	for (int i = 0; i < 2; i++) {
		size_t l = strlen(hdr[i]) + 1;

		if (td_need(w, pos, l, hdr[i]))
			return -1;
		if (memcmp(w->map + pos, hdr[i], l))
			return prs_fail(w->r, PRS_ECORRUPT, false, pos, "expected \"%s\"", hdr[i]);
		pos += l;
		if (td_v6_block(w, &pos, 8, hdr[i]))
			return -1;
	}
	td_v6_meta(w, TD_META_HEADER, start, pos);
	start = pos;
	if (td_rd32(w, pos, &count, "the ftrace format count"))
		return -1;
	if (count > 100000)
		return prs_fail(w->r, PRS_ECORRUPT, false, pos, "%u ftrace formats", count);
	pos += 4;
	for (uint32_t i = 0; i < count; i++)
		if (td_v6_block(w, &pos, 8, "an ftrace event format"))
			return -1;
	td_v6_meta(w, TD_META_FTRACE, start, pos);
	start = pos;
	if (td_rd32(w, pos, &count, "the event system count"))
		return -1;
	if (count > 100000)
		return prs_fail(w->r, PRS_ECORRUPT, false, pos, "%u event systems", count);
	pos += 4;
	for (uint32_t i = 0; i < count; i++) {
		const char *sys;
		uint32_t nev;

		if (td_rdstr(w, pos, pos + 4096, &sys, &pos, "an event system name") ||
		    td_rd32(w, pos, &nev, "an event count"))
			return -1;
		if (nev > 100000)
			return prs_fail(w->r, PRS_ECORRUPT, false, pos, "%u events in a system", nev);
		pos += 4;
		for (uint32_t j = 0; j < nev; j++)
			if (td_v6_block(w, &pos, 8, "an event format"))
				return -1;
	}
	td_v6_meta(w, TD_META_EVENTS, start, pos);
	start = pos;
	if (td_v6_block(w, &pos, 4, "kallsyms"))
		return -1;
	td_v6_meta(w, TD_META_KALLSYMS, start, pos);
	start = pos;
	if (td_v6_block(w, &pos, 4, "printk formats"))
		return -1;
	td_v6_meta(w, TD_META_PRINTK, start, pos);
	start = pos;
	if (td_v6_block(w, &pos, 8, "saved cmdlines"))
		return -1;
	td_v6_meta(w, TD_META_CMDLINES, start, pos);
	if (td_rd32(w, pos, &w->header_cpus, "the CPU count"))
		return -1;
	if (w->header_cpus > TD_MAX_CPUS)
		return prs_fail(w->r, PRS_ELIMIT, false, pos, "the header claims %u CPUs (more than %u)",
				w->header_cpus, TD_MAX_CPUS);
	pos += 4;

	/* "options  \0" ... "flyrecord\0" or "latency  \0" */
	for (;;) {
		if (td_need(w, pos, 10, "the data type tag"))
			return -1;
		if (!memcmp(w->map + pos, "options  ", 10)) {
			struct td_opts o = { w->map + pos + 10, w->size - pos - 10, pos + 10, w->swap };
			uint64_t next, end = 0;

			ret = td_options(w, &o, &next, &end);
			if (ret)
				return ret;
			pos += 10 + end;
			continue;
		}
		if (!memcmp(w->map + pos, "latency  ", 10))
			return prs_fail(w->r, PRS_EUNSUPPORTED, false, pos,
					"latency-format trace.dat (text inside) is not supported");
		if (memcmp(w->map + pos, "flyrecord", 10))
			return prs_fail(w->r, PRS_ECORRUPT, false, pos,
					"expected \"options\", \"latency\" or \"flyrecord\"");
		pos += 10;
		break;
	}
	if (td_v6_flyrecord(w, &pos, &w->v6_top))
		return -1;
	/* the trace_clock file follows the table when TRACECLOCK is set (v6 quirk) */
	if (w->use_clock && td_v6_block(w, &pos, 8, "the trace clock"))
		return -1;

	for (unsigned int i = 0; i < w->nr_bufs; i++) {
		struct td_buffer *b = &w->bufs[i];

		pos = b->offset;
		snprintf(what, sizeof(what), "buffer \"%.40s\"", b->name);
		if (td_need(w, pos, 10, what))
			return -1;
		if (!memcmp(w->map + pos, "options  ", 10)) {
			struct td_opts o = { w->map + pos + 10, w->size - pos - 10, pos + 10, w->swap };
			uint64_t next, end = 0;

			ret = td_options(w, &o, &next, &end);
			if (ret)
				return ret;
			pos += 10 + end;
			if (td_need(w, pos, 10, what))
				return -1;
		}
		if (memcmp(w->map + pos, "flyrecord", 10))
			return prs_fail(w->r, PRS_ECORRUPT, false, pos,
					"buffer \"%s\": expected \"flyrecord\"", b->name);
		pos += 10;
		if (td_v6_flyrecord(w, &pos, b))
			return -1;
	}
	if (!w->cpucount)
		w->cpucount = w->header_cpus;
	return 0;
}

/*
 * Everything libtracecmd will trust: the header, then the v6 blocks or the
 * v7 sections.  0 or a negative PRS_E* code with r->errmsg set.
 */
static int td_walk(struct td_walk *w)
{
	static const uint8_t magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	uint64_t pos = 10;
	const char *ver;
	uint8_t endian, lsize;
	uint32_t psize;
	char *end;
	long v;

	if (td_need(w, 0, 10, "the magic"))
		return -PRS_ETRUNCATED;
	if (memcmp(w->map, magic, 10))
		return prs_fail(w->r, PRS_EFORMAT, false, 0, "not a trace.dat file (bad magic)");
	if (td_rdstr(w, pos, pos + 16, &ver, &pos, "the version"))
		return w->r->err;
	errno = 0;
	v = strtol(ver, &end, 10);
	if (errno || end == ver || *end)
		return prs_fail(w->r, PRS_ECORRUPT, false, 10, "bad version string \"%.16s\"", ver);
	if (v != 6 && v != 7)
		return prs_fail(w->r, PRS_EUNSUPPORTED, false, 10,
				"trace.dat version %ld (6 and 7 are supported)", v);
	w->version = (int)v;
	if (td_need(w, pos, 6, "the endianness, long size and page size"))
		return w->r->err;
	endian = w->map[pos];
	lsize = w->map[pos + 1];
	if (endian > 1)
		return prs_fail(w->r, PRS_ECORRUPT, false, pos, "endianness byte %u", endian);
	if (lsize != 4 && lsize != 8)
		return prs_fail(w->r, PRS_ECORRUPT, false, pos + 1, "long size %u", lsize);
	w->swap = endian != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	w->long_size = lsize;
	if (td_rd32(w, pos + 2, &psize, "the page size"))
		return w->r->err;
	if (psize < 1024 || psize > (1u << 20) || (psize & (psize - 1)))
		return prs_fail(w->r, PRS_ECORRUPT, false, pos + 2,
				"page size %u (not a power of two from 1 KiB to 1 MiB)", psize);
	w->page_size = psize;
	pos += 6;
	if ((v == 6 ? td_walk_v6(w, pos) : td_walk_v7(w, pos)) < 0)
		return w->r->err ? w->r->err : -PRS_ECORRUPT;
	return 0;
}

/* ---- memo: (tag, key) -> interned string, filled once per distinct key -- */

enum { TD_TAG_FUNC = 1, TD_TAG_COMM, TD_TAG_SYM };

static size_t td_memo_hash(uint32_t tag, uint64_t key)
{
	uint64_t h = key ^ ((uint64_t)tag * 0x9e3779b97f4a7c15ull);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (size_t)h;
}

static struct td_memo_ent *td_memo_find(struct td_memo *m, uint32_t tag, uint64_t key)
{
	size_t j;

	if (!m->cap)
		return NULL;
	for (j = td_memo_hash(tag, key) & (m->cap - 1); m->e[j].tag;
	     j = (j + 1) & (m->cap - 1))
		if (m->e[j].tag == tag && m->e[j].key == key)
			return &m->e[j];
	return NULL;
}

static int td_memo_put(struct td_memo *m, uint32_t tag, uint64_t key, const char *val)
{
	size_t j;

	if ((m->used + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct td_memo_ent *e = calloc(cap, sizeof(*e));

		if (!e)
			return -1;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].tag)
				continue;
			for (j = td_memo_hash(m->e[i].tag, m->e[i].key) & (cap - 1); e[j].tag;
			     j = (j + 1) & (cap - 1))
				;
			e[j] = m->e[i];
		}
		free(m->e);
		m->e = e;
		m->cap = cap;
	}
	for (j = td_memo_hash(tag, key) & (m->cap - 1); m->e[j].tag; j = (j + 1) & (m->cap - 1))
		;
	m->e[j] = (struct td_memo_ent){ .key = key, .tag = tag, .val = val };
	m->used++;
	return 0;
}

/* ---- per-event-id resolution ------------------------------------------- */

/* One pending record per (buffer, CPU), in a min-heap on (ts, index). */
struct td_src {
	struct tracecmd_input	*h;
	int			cpu_index;	/* libtracecmd's per-buffer CPU slot */
	unsigned int		order;		/* tie-breaker: buffer, then CPU */
	struct tep_record	*rec;
	bool			lost_done;	/* LOST already emitted for rec */
};

static bool td_starts(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool td_arg_refs(const struct tep_print_arg *a, const char *field, bool *symbolic)
{
	for (; a; a = NULL) {
		switch (a->type) {
		case TEP_PRINT_FIELD:
			return a->field.name && !strcmp(a->field.name, field);
		case TEP_PRINT_FLAGS:
			*symbolic = true;
			return td_arg_refs(a->flags.field, field, symbolic);
		case TEP_PRINT_SYMBOL:
			*symbolic = true;
			return td_arg_refs(a->symbol.field, field, symbolic);
		case TEP_PRINT_TYPE:
			return td_arg_refs(a->typecast.item, field, symbolic);
		case TEP_PRINT_OP: {
			bool l = td_arg_refs(a->op.left, field, symbolic);
			bool r = td_arg_refs(a->op.right, field, symbolic);

			return l || r;
		}
		default:
			return false;
		}
	}
	return false;
}

/* The first top-level print argument that renders @field symbolically. */
static const struct tep_print_arg *td_find_sym(struct tep_event *ev, const char *field)
{
	for (const struct tep_print_arg *a = ev->print_fmt.args; a; a = a->next) {
		bool symbolic = false;

		if (td_arg_refs(a, field, &symbolic) && symbolic)
			return a;
	}
	return NULL;
}

/*
 * The show_gfp_flags() table of another event of the file, for an event
 * whose print_fmt libtraceevent (1.7) cannot parse, so that its gfp bits
 * still render: 7.1's direct/memcg reclaim_begin print REC->ent.pid and
 * "(in-irq)" from common_flags; mm_page_alloc prints pfn_to_page(), a
 * statement expression where the memory model is not vmemmap (seen on a
 * 5.10 x86_64 build).  Every table comes from the same gfp bits of the
 * same kernel; NULL when no event of the file renders them.
 */
static const struct tep_print_arg *td_gfp_table(struct td *t, struct tep_event *ev, const char *field)
{
	static const char *const donors[][3] = {
		{ "kmem", "mm_page_alloc", "gfp_flags" },
		{ "vmscan", "mm_vmscan_direct_reclaim_begin", "gfp_flags" },
		{ "vmscan", "mm_vmscan_wakeup_kswapd", "gfp_flags" },
		{ "kmem", "kmalloc", "gfp_flags" },
		{ "kmem", "kmem_cache_alloc", "gfp_flags" },
		{ "kmem", "mm_page_alloc_zone_locked", "gfp_flags" },
		{ "compaction", "mm_compaction_try_to_compact_pages", "gfp_mask" },
	};

	if (strcmp(field, "gfp_flags") && strcmp(field, "gfp_mask"))
		return NULL;
	for (size_t i = 0; i < sizeof(donors) / sizeof(donors[0]); i++) {
		struct tep_event *d = tep_find_event_by_name(t->tep, donors[i][0], donors[i][1]);
		const struct tep_print_arg *a;

		/* the table is evaluated against the field's name: the donor's must be ours */
		if (strcmp(donors[i][2], field) || !d || d == ev || !tep_find_field(d, field))
			continue;
		a = td_find_sym(d, donors[i][2]);
		if (a)
			return a;
	}
	return NULL;
}

static struct tep_format_field *td_field(struct tep_event *ev, const char *name)
{
	return tep_find_field(ev, name);
}

static struct td_event *td_resolve(struct prs_reader *r, struct td *t, int id)
{
	struct tep_event *ev = tep_find_event(t->tep, id);
	struct td_event *e;
	const char *sys;

	if (id >= t->nr_evs) {
		int n = id + 64;
		struct td_event **evs = realloc(t->evs, (size_t)n * sizeof(*evs));

		if (!evs)
			return NULL;
		memset(evs + t->nr_evs, 0, (size_t)(n - t->nr_evs) * sizeof(*evs));
		t->evs = evs;
		t->nr_evs = n;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	t->evs[id] = e;
	e->ev = ev;
	if (!ev) {
		/* an id the file has no format for: count it under a made-up name */
		char name[32];

		snprintf(name, sizeof(name), "unknown_event_%d", id);
		e->name = prs_intern_str(r, name);
		e->kind = PRS_EV_OTHER;
		e->slot = e->name ? prs_name_slot(r, e->name, PRS_EV_OTHER) : -1;
		return e->slot < 0 ? NULL : e;
	}
	sys = ev->system ? ev->system : "";
	e->name = prs_intern_str(r, ev->name);
	if (!e->name)
		return NULL;
	e->f[F_PID] = tep_find_common_field(ev, "common_pid");

	/* with funcgraph-retaddr (6.13+) function_graph's entries are fgraph_retaddr_entry events */
	if (!strcmp(sys, "ftrace") && (!strcmp(ev->name, "funcgraph_entry") ||
				       !strcmp(ev->name, "fgraph_retaddr_entry")))
		e->kind = PRS_EV_FUNC_ENTRY;
	else if (!strcmp(sys, "ftrace") && !strcmp(ev->name, "funcgraph_exit"))
		e->kind = PRS_EV_FUNC_EXIT;
	else if (!strcmp(sys, "ftrace") && !strcmp(ev->name, "print"))
		e->kind = PRS_EV_PRINT;
	else if (td_field(ev, "__probe_func") && td_field(ev, "__probe_ret_ip"))
		e->kind = PRS_EV_KRETPROBE;
	else if (td_field(ev, "__probe_ip"))
		e->kind = PRS_EV_KPROBE;
	else if (!strcmp(sys, "ftrace"))
		e->kind = PRS_EV_OTHER;		/* function, bprint, ...: not tracepoints */
	else
		e->kind = prs_kind_by_name(ev->name, strlen(ev->name));

	switch (e->kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
		e->f[F_FUNC] = td_field(ev, "func");
		e->f[F_DEPTH] = td_field(ev, "depth");
		e->f[F_CALLTIME] = td_field(ev, "calltime");
		e->f[F_RETTIME] = td_field(ev, "rettime");
		/* CONFIG_FUNCTION_GRAPH_RETVAL (6.5+) adds retval to funcgraph_exit */
		e->f[F_RETVAL] = td_field(ev, "retval");
		break;
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE: {
		struct tep_format_field *fl, *first = NULL;
		int nargs = 0;

		e->f[F_IP] = td_field(ev, e->kind == PRS_EV_KPROBE ? "__probe_ip" : "__probe_func");
		e->f[F_RET_IP] = td_field(ev, "__probe_ret_ip");
		/* the freelist probe's (get_page_from_freelist): by its name, wherever it sits */
		e->f[F_AFLAGS] = td_field(ev, "alloc_flags");
		for (fl = ev->format.fields; fl; fl = fl->next) {
			if (td_starts(fl->name, "__probe") || td_starts(fl->name, "common_"))
				continue;
			if (!first)
				first = fl;
			if (nargs < 2)
				e->f[F_ARG0 + nargs++] = fl;
		}
		if (e->kind == PRS_EV_KRETPROBE) {
			e->f[F_RETVAL] = td_field(ev, "ret");
			if (!e->f[F_RETVAL])
				e->f[F_RETVAL] = td_field(ev, "retval");
			if (!e->f[F_RETVAL])
				e->f[F_RETVAL] = td_field(ev, "arg1");
			if (!e->f[F_RETVAL] && first != e->f[F_AFLAGS])
				e->f[F_RETVAL] = first;
		}
		break;
	}
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		e->f[F_PFN] = td_field(ev, "pfn");
		if (!e->f[F_PFN] && e->kind == PRS_EV_PAGE_ALLOC)
			e->f[F_PAGE] = td_field(ev, "page");	/* struct page *, before 3.x's pfn */
		e->f[F_ORDER] = td_field(ev, "order");
		e->f[F_GFP] = td_field(ev, "gfp_flags");
		if (!e->f[F_GFP])
			e->f[F_GFP] = td_field(ev, "gfp_mask");	/* try_to_compact_pages */
		e->f[F_MT] = td_field(ev, "migratetype");
		e->f[F_NID] = td_field(ev, "nid");
		e->f[F_ZID] = td_field(ev, "zid");
		e->f[F_PRIO] = td_field(ev, "prio");
		if (e->f[F_GFP])
			e->sym[S_GFP] = td_find_sym(ev, e->f[F_GFP]->name);
		if (e->f[F_GFP] && !e->sym[S_GFP])
			e->sym[S_GFP] = td_gfp_table(t, ev, e->f[F_GFP]->name);
		break;
	case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
		e->f[F_NR_RECLAIMED] = td_field(ev, "nr_reclaimed");
		break;
	case PRS_EV_KSWAPD_SLEEP:
		e->f[F_NID] = td_field(ev, "nid");
		break;
	case PRS_EV_LRU_SHRINK:
		e->f[F_NID] = td_field(ev, "nid");
		e->f[F_PRIO] = td_field(ev, "priority");
		/* _inactive only (4.11 .. 6.18); _active has nr_taken, nr_deactivated, ... */
		e->f[F_NR_SCANNED] = td_field(ev, "nr_scanned");
		e->f[F_NR_RECLAIMED] = td_field(ev, "nr_reclaimed");
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_FINISHED:
		e->f[F_SYNC] = td_field(ev, "sync");
		e->f[F_ORDER] = td_field(ev, "order");
		/* compaction_end: status; suitable/finished: ret (both COMPACTION_STATUS) */
		e->f[F_STATUS] = td_field(ev, "status");
		if (!e->f[F_STATUS])
			e->f[F_STATUS] = td_field(ev, "ret");
		if (e->f[F_STATUS])
			e->sym[S_STATUS] = td_find_sym(ev, e->f[F_STATUS]->name);
		break;
	case PRS_EV_MARK_VICTIM:
		e->f[F_VPID] = td_field(ev, "pid");
		break;
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
		e->f[F_ORDER] = td_field(ev, "order");
		e->f[F_NID] = td_field(ev, "node");
		e->f[F_LOOPS] = td_field(ev, "no_progress_loops");
		if (!e->f[F_LOOPS])
			e->f[F_LOOPS] = td_field(ev, "retries");
		e->f[F_MAX] = td_field(ev, "max_retries");
		e->f[F_ZID] = td_field(ev, "zone_idx");
		e->f[F_VERDICT] = td_field(ev, "wmark_check");
		if (!e->f[F_VERDICT])
			e->f[F_VERDICT] = td_field(ev, "ret");	/* compact_retry's should_retry */
		break;
	case PRS_EV_THROTTLED:
	case PRS_EV_CONGESTION_WAIT:
		e->f[F_NID] = td_field(ev, "nid");
		e->f[F_TIMEOUT] = td_field(ev, "usec_timeout");
		e->f[F_DELAYED] = td_field(ev, "usec_delayed");
		break;
	case PRS_EV_WRITEPAGE:
		e->f[F_PFN] = td_field(ev, "pfn");
		e->f[F_FLAGS] = td_field(ev, "reclaim_flags");	/* RECLAIM_WB_ANON 1, _FILE 2 */
		break;
	case PRS_EV_SCHED_SWITCH:
		e->f[F_PREV_COMM] = td_field(ev, "prev_comm");
		e->f[F_PREV_PID] = td_field(ev, "prev_pid");
		e->f[F_PREV_STATE] = td_field(ev, "prev_state");
		e->f[F_NEXT_COMM] = td_field(ev, "next_comm");
		e->f[F_NEXT_PID] = td_field(ev, "next_pid");
		if (e->f[F_PREV_STATE])
			e->sym[S_STATE] = td_find_sym(ev, "prev_state");
		break;
	case PRS_EV_PRINT:
		e->f[F_BUF] = td_field(ev, "buf");
		break;
	default:
		break;
	}
	e->fixed_end = 0;
	for (int i = 0; i < F__NR; i++) {
		const struct tep_format_field *f = e->f[i];

		if (!f || i == F_BUF || i == F_PREV_COMM || i == F_NEXT_COMM)
			continue;	/* none, or not a scalar (not read by td_get()) */
		if (f->offset < 0 || f->offset > 65536 ||
		    (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)) {
			e->fixed_end = -1;
			break;
		}
		if (f->offset + f->size > e->fixed_end)
			e->fixed_end = f->offset + f->size;
	}
	e->slot = prs_name_slot(r, e->name, e->kind);
	return e->slot < 0 ? NULL : e;
}

/* ---- field reads --------------------------------------------------------- */

/* The record holds every scalar field of its event (td_event.fixed_end). */
static inline bool td_holds(const struct td_event *e, const struct tep_record *rec)
{
	return e->fixed_end >= 0 && rec->size >= e->fixed_end;
}

/*
 * Raw value of @f in @rec, sign-extended when the field is signed.  @held:
 * td_holds() said the record holds it (no check of its own).
 */
static inline __attribute__((always_inline)) bool td_get(const struct td *t, bool held,
							 const struct tep_format_field *f,
							 const struct tep_record *rec, uint64_t *v)
{
	const uint8_t *p;

	if (!f)
		return false;
	/* a damaged format may give any int: no overflow in the bound */
	if (!held && (f->offset < 0 || f->size <= 0 || (long long)f->offset + f->size > rec->size))
		return false;
	p = (const uint8_t *)rec->data + f->offset;
	switch (f->size) {
	case 1: {
		uint8_t x = *p;

		*v = (f->flags & TEP_FIELD_IS_SIGNED) ? (uint64_t)(int64_t)(int8_t)x : x;
		return true;
	}
	case 2: {
		uint16_t x;

		memcpy(&x, p, 2);
		if (t->swap)
			x = td_bswap16(x);
		*v = (f->flags & TEP_FIELD_IS_SIGNED) ? (uint64_t)(int64_t)(int16_t)x : x;
		return true;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, p, 4);
		if (t->swap)
			x = td_bswap32(x);
		*v = (f->flags & TEP_FIELD_IS_SIGNED) ? (uint64_t)(int64_t)(int32_t)x : x;
		return true;
	}
	case 8:
		memcpy(v, p, 8);
		if (t->swap)
			*v = td_bswap64(*v);
		return true;
	default:
		return false;
	}
}

/* Zero-extended value, as libtraceevent's print code sees it. */
static uint64_t td_raw(const struct tep_format_field *f, uint64_t v)
{
	if (f->size >= 8)
		return v;
	return v & ((1ull << (f->size * 8)) - 1);
}

/* A string field: fixed array, __data_loc (absolute or rel_loc), or to end of record. */
static bool td_str(const struct td *t, const struct tep_format_field *f,
		   const struct tep_record *rec, const char **s, size_t *len)
{
	uint64_t off, n;

	if (!f || f->offset < 0)
		return false;
	if (f->flags & TEP_FIELD_IS_DYNAMIC) {
		uint32_t loc;

		if ((long long)f->offset + 4 > rec->size)
			return false;
		memcpy(&loc, (const uint8_t *)rec->data + f->offset, 4);
		if (t->swap)
			loc = td_bswap32(loc);
		off = loc & 0xffff;
		n = loc >> 16;
		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += (uint64_t)f->offset + (uint64_t)f->size;
	} else {
		off = (uint64_t)f->offset;
		/* ftrace:print declares "char buf[]" of size 0: it runs to the end */
		n = f->size > 0 ? (uint64_t)f->size : (off <= (uint64_t)rec->size ? rec->size - off : 0);
	}
	if (off > (uint64_t)rec->size || n > (uint64_t)rec->size - off)
		return false;
	*s = (const char *)rec->data + off;
	*len = strnlen(*s, (size_t)n);
	return true;
}

/* ---- symbolic rendering from the print_fmt (once per distinct value) ---- */

struct td_sbuf {
	char	buf[TD_MAX_STR];
	size_t	len;
	bool	overflow;
};

static void td_puts(struct td_sbuf *b, const char *s)
{
	size_t l = strlen(s);

	if (b->len + l >= sizeof(b->buf)) {
		b->overflow = true;
		return;
	}
	memcpy(b->buf + b->len, s, l + 1);
	b->len += l;
}

static bool td_atom_num(const char *s, uint64_t *v)
{
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	while (*end == 'U' || *end == 'L' || *end == 'u' || *end == 'l')
		end++;
	return !errno && !*end;
}

/* Evaluate @a with the field @field = @v; false if it needs anything else. */
static bool td_eval(const struct tep_print_arg *a, const char *field, uint64_t v,
		    uint64_t *out, int depth)
{
	uint64_t l = 0, r = 0;
	const char *op;

	if (!a || depth > 64)
		return false;
	switch (a->type) {
	case TEP_PRINT_ATOM:
		return td_atom_num(a->atom.atom, out);
	case TEP_PRINT_FIELD:
		if (!a->field.name || strcmp(a->field.name, field))
			return false;
		*out = v;
		return true;
	case TEP_PRINT_TYPE:
		return td_eval(a->typecast.item, field, v, out, depth + 1);
	case TEP_PRINT_OP:
		break;
	default:
		return false;
	}
	op = a->op.op;
	if (!op)
		return false;
	if (!strcmp(op, "?")) {
		const struct tep_print_arg *alt = a->op.right;

		if (!alt || alt->type != TEP_PRINT_OP || strcmp(alt->op.op, ":") ||
		    !td_eval(a->op.left, field, v, &l, depth + 1))
			return false;
		return td_eval(l ? alt->op.left : alt->op.right, field, v, out, depth + 1);
	}
	/* unary: libtraceevent leaves left empty (NULL or a NULL-type arg) */
	if (!a->op.left || a->op.left->type == TEP_PRINT_NULL) {
		if (!td_eval(a->op.right, field, v, &r, depth + 1))
			return false;
		if (!strcmp(op, "!"))
			*out = !r;
		else if (!strcmp(op, "~"))
			*out = ~r;
		else if (!strcmp(op, "-"))
			*out = -r;
		else
			return false;
		return true;
	}
	if (!td_eval(a->op.left, field, v, &l, depth + 1) ||
	    !td_eval(a->op.right, field, v, &r, depth + 1))
		return false;
	if (!strcmp(op, "&"))		*out = l & r;
	else if (!strcmp(op, "|"))	*out = l | r;
	else if (!strcmp(op, "^"))	*out = l ^ r;
	else if (!strcmp(op, "+"))	*out = l + r;
	else if (!strcmp(op, "-"))	*out = l - r;
	else if (!strcmp(op, "*"))	*out = l * r;
	else if (!strcmp(op, "<<"))	*out = r < 64 ? l << r : 0;
	else if (!strcmp(op, ">>"))	*out = r < 64 ? l >> r : 0;
	else if (!strcmp(op, "=="))	*out = l == r;
	else if (!strcmp(op, "!="))	*out = l != r;
	else if (!strcmp(op, "<"))	*out = l < r;
	else if (!strcmp(op, ">"))	*out = l > r;
	else if (!strcmp(op, "<="))	*out = l <= r;
	else if (!strcmp(op, ">="))	*out = l >= r;
	else if (!strcmp(op, "&&"))	*out = l && r;
	else if (!strcmp(op, "||"))	*out = l || r;
	else if (!strcmp(op, "/") && r)	*out = l / r;
	else if (!strcmp(op, "%") && r)	*out = l % r;
	else
		return false;
	return true;
}

/* libtraceevent's eval_flag(): numeric values; a name it does not know is -1. */
static int64_t td_flag_val(const char *s)
{
	uint64_t v;

	return td_atom_num(s, &v) ? (int64_t)v : -1;
}

/* Render @a as libtraceevent's print_str_arg() does for these arg types. */
static bool td_render(const struct tep_print_arg *a, const char *field, uint64_t v,
		      struct td_sbuf *b, int depth)
{
	uint64_t val, c;
	char hex[24];

	if (!a || depth > 64)
		return false;
	switch (a->type) {
	case TEP_PRINT_ATOM:
		td_puts(b, a->atom.atom);
		return true;
	case TEP_PRINT_TYPE:
		return td_render(a->typecast.item, field, v, b, depth + 1);
	case TEP_PRINT_FLAGS: {
		bool printed = false;

		if (!td_eval(a->flags.field, field, v, &val, depth + 1))
			return false;
		for (const struct tep_print_flag_sym *fl = a->flags.flags; fl; fl = fl->next) {
			int64_t fv = td_flag_val(fl->value);

			if (!val && fv < 0) {
				td_puts(b, fl->str);
				break;
			}
			if (fv > 0 && (val & (uint64_t)fv) == (uint64_t)fv) {
				if (printed && a->flags.delim)
					td_puts(b, a->flags.delim);
				td_puts(b, fl->str);
				printed = true;
				val &= ~(uint64_t)fv;
			}
		}
		if (val) {
			if (printed && a->flags.delim)
				td_puts(b, a->flags.delim);
			snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)val);
			td_puts(b, hex);
		}
		return true;
	}
	case TEP_PRINT_SYMBOL:
		if (!td_eval(a->symbol.field, field, v, &val, depth + 1))
			return false;
		for (const struct tep_print_flag_sym *fl = a->symbol.symbols; fl; fl = fl->next) {
			if ((uint64_t)td_flag_val(fl->value) == val) {
				td_puts(b, fl->str);
				return true;
			}
		}
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)val);
		td_puts(b, hex);
		return true;
	case TEP_PRINT_OP:
		if (a->op.op && !strcmp(a->op.op, "?")) {
			const struct tep_print_arg *alt = a->op.right;

			if (!alt || alt->type != TEP_PRINT_OP || strcmp(alt->op.op, ":") ||
			    !td_eval(a->op.left, field, v, &c, depth + 1))
				return false;
			return td_render(c ? alt->op.left : alt->op.right, field, v, b, depth + 1);
		}
		return false;
	default:
		return false;
	}
}

/* Interned rendering of value @v of event @e's symbolic arg @which, or NULL. */
static const char *td_symbolic_memo(struct prs_reader *r, struct td *t, struct td_event *e,
				    int which, const struct tep_format_field *f, uint64_t v)
{
	uint32_t tag = TD_TAG_SYM | ((uint32_t)e->ev->id << 4) | ((uint32_t)which << 2);
	struct td_memo_ent *m;
	struct td_sbuf b;
	const char *s = NULL;

	m = td_memo_find(&t->memo, tag, v);
	if (m) {
		s = m->val;
	} else {
		b.len = 0;
		b.buf[0] = '\0';
		b.overflow = false;
		if (td_render(e->sym[which], f->name, v, &b, 0) && !b.overflow)
			s = prs_intern(r, b.buf, b.len);
		td_memo_put(&t->memo, tag, v, s);	/* NULL cached too: never retried */
	}
	e->sym_have[which] = true;
	e->sym_last_v[which] = v;
	e->sym_last[which] = s;
	return s;
}

static inline const char *td_symbolic(struct prs_reader *r, struct td *t, struct td_event *e,
				      int which, const struct tep_format_field *f, uint64_t v)
{
	if (!e->sym[which])
		return NULL;
	v = td_raw(f, v);
	if (e->sym_have[which] && e->sym_last_v[which] == v)
		return e->sym_last[which];
	return td_symbolic_memo(r, t, e, which, f, v);
}

/*
 * The letter the kernel prints for prev_state.  From the file's print_fmt
 * when it renders (every kernel since 2.6: "R" when no state bit is set, else
 * __print_flags over the state bits; "+" comes from a second argument).  If
 * the format cannot be evaluated, the mapping of 4.14+ (TASK_REPORT):
 * S D T t X Z P I for bits 0..7; older kernels printed x K W P N for bits
 * 6..10 instead, which only the print_fmt knows.
 */
static char td_state_letter(struct prs_reader *r, struct td *t, struct td_event *e,
			    uint64_t v)
{
	static const char std[] = "SDTtXZPI";
	const char *s = td_symbolic(r, t, e, S_STATE, e->f[F_PREV_STATE], v);

	if (s && s[0])
		return s[0];
	v &= 0xff;
	if (!v)
		return 'R';
	return std[__builtin_ctzll(v)];
}

/* The function at @addr, interned, into *out.  0 or <0 (kallsyms that do not load). */
static int td_func(struct prs_reader *r, struct td *t, uint64_t addr, const char **out)
{
	struct td_memo_ent *m = td_memo_find(&t->memo, TD_TAG_FUNC, addr);
	const char *name;
	char hex[24];
	size_t len = 0;
	int ret;

	if (m) {
		*out = m->val;
		return 0;
	}
	if (t->ksyms) {
		/* the stream reader's own table: read at the first address, not at open */
		if (t->ksyms->pending && (ret = prs_td_ksyms_load(r, t->ksyms)) < 0)
			return ret;
		name = prs_td_ksyms_find(t->ksyms, addr, &len);
	} else {
		name = tep_find_function(t->tep, addr);
		len = name ? strlen(name) : 0;
	}
	if (!name) {
		/* no kallsyms in the file: the address is all there is */
		len = (size_t)snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)addr);
		name = hex;
	}
	*out = prs_intern(r, name, len);
	if (!*out)
		return -PRS_ENOMEM;
	td_memo_put(&t->memo, TD_TAG_FUNC, addr, *out);
	return 0;
}

static const char *td_comm(struct td *t, int pid)
{
	struct td_memo_ent *m;
	const char *s;

	/* consecutive events of one CPU mostly come from the same task */
	if (pid == t->last_pid && t->last_comm)
		return t->last_comm;
	m = td_memo_find(&t->memo, TD_TAG_COMM, (uint32_t)pid);
	if (m) {
		t->last_pid = pid;
		t->last_comm = m->val;
		return m->val;
	}
	/* saved_cmdlines of the file; "<...>" when the pid is not in it */
	s = tep_data_comm_from_pid(t->tep, pid);
	if (!s)
		s = "";
	td_memo_put(&t->memo, TD_TAG_COMM, (uint32_t)pid, s);
	return s;
}

/* ---- merge ----------------------------------------------------------------- */

static bool td_before(const struct td_src *a, const struct td_src *b)
{
	if (a->rec->ts != b->rec->ts)
		return a->rec->ts < b->rec->ts;
	return a->order < b->order;
}

static void td_heap_down(struct td *t, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, m = i;

		if (l < t->nr_heap && td_before(t->heap[l], t->heap[m]))
			m = l;
		if (l + 1 < t->nr_heap && td_before(t->heap[l + 1], t->heap[m]))
			m = l + 1;
		if (m == i)
			return;
		struct td_src *tmp = t->heap[i];

		t->heap[i] = t->heap[m];
		t->heap[m] = tmp;
		i = m;
	}
}

static void td_heap_push(struct td *t, struct td_src *s)
{
	unsigned int i = t->nr_heap++;

	t->heap[i] = s;
	while (i) {
		unsigned int p = (i - 1) / 2;

		if (!td_before(t->heap[i], t->heap[p]))
			break;
		struct td_src *tmp = t->heap[i];

		t->heap[i] = t->heap[p];
		t->heap[p] = tmp;
		i = p;
	}
}

/* ---- next / close ------------------------------------------------------------ */

/* @held: td_holds(e, rec), worked out once per record by prs_td_emit() */
static int td_decode(struct prs_reader *r, struct td *t, struct td_event *e,
		     struct tep_record *rec, bool held, struct prs_event *ev)
{
	uint64_t v, v2;
	const char *s;
	size_t len;
	bool bad = false;
	int ret;

#define GET(role, dst, type)						\
	do {								\
		if (e->f[role]) {					\
			if (td_get(t, held, e->f[role], rec, &v))		\
				(dst) = (type)v;			\
			else						\
				bad = true;				\
		}							\
	} while (0)

	switch (e->kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
		if (e->f[F_FUNC]) {
			if (!td_get(t, held, e->f[F_FUNC], rec, &v))
				bad = true;
			else if ((ret = td_func(r, t, v, &ev->u.fn.func)) < 0)
				return ret;
		}
		GET(F_DEPTH, ev->u.fn.depth, int);
		if (e->kind == PRS_EV_FUNC_EXIT) {
			if (e->f[F_CALLTIME] && e->f[F_RETTIME]) {
				if (td_get(t, held, e->f[F_CALLTIME], rec, &v) &&
				    td_get(t, held, e->f[F_RETTIME], rec, &v2))
					ev->u.fn.duration = v2 >= v ? v2 - v : PRS_NO_VALUE;
				else
					bad = true;
			}
			GET(F_RETVAL, ev->u.fn.retval, uint64_t);
		}
		break;
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE:
		if (e->f[F_IP]) {
			if (!td_get(t, held, e->f[F_IP], rec, &v))
				bad = true;
			else if ((ret = td_func(r, t, v, &ev->u.fn.func)) < 0)
				return ret;
		}
		GET(F_AFLAGS, ev->u.fn.alloc_flags, uint64_t);
		if (e->kind == PRS_EV_KPROBE) {
			GET(F_ARG0, ev->u.fn.arg[0], uint64_t);
			GET(F_ARG1, ev->u.fn.arg[1], uint64_t);
		} else {
			if (e->f[F_RET_IP]) {
				if (!td_get(t, held, e->f[F_RET_IP], rec, &v))
					bad = true;
				else if ((ret = td_func(r, t, v, &ev->u.fn.caller)) < 0)
					return ret;
			}
			GET(F_RETVAL, ev->u.fn.retval, uint64_t);
		}
		break;
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		GET(F_PFN, ev->u.mm.pfn, uint64_t);
		if (e->kind == PRS_EV_PAGE_ALLOC) {
			/* pfn -1 (PRS_NO_VALUE) or a NULL page: failed; neither field: not said */
			if (e->f[F_PFN]) {
				ev->u.mm.page = ev->u.mm.pfn != PRS_NO_VALUE;
			} else if (e->f[F_PAGE]) {
				if (td_get(t, held, e->f[F_PAGE], rec, &v))
					ev->u.mm.page = v != 0;
				else
					bad = true;
			}
		}
		GET(F_ORDER, ev->u.mm.order, int32_t);
		if (e->f[F_GFP]) {
			if (td_get(t, held, e->f[F_GFP], rec, &v)) {
				ev->u.mm.gfp = td_raw(e->f[F_GFP], v);
				ev->u.mm.gfp_str = td_symbolic(r, t, e, S_GFP, e->f[F_GFP], v);
			} else {
				bad = true;
			}
		}
		GET(F_MT, ev->u.mm.migratetype, int32_t);
		GET(F_NID, ev->u.mm.nid, int32_t);
		GET(F_ZID, ev->u.mm.zid, int32_t);
		GET(F_PRIO, ev->u.mm.prio, int32_t);
		break;
	case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
		GET(F_NR_RECLAIMED, ev->u.reclaim.nr_reclaimed, uint64_t);
		break;
	case PRS_EV_KSWAPD_SLEEP:
		GET(F_NID, ev->u.kswapd.nid, int32_t);
		break;
	case PRS_EV_LRU_SHRINK:
		GET(F_NID, ev->u.lru.nid, int32_t);
		GET(F_PRIO, ev->u.lru.priority, int32_t);
		GET(F_NR_SCANNED, ev->u.lru.nr_scanned, uint64_t);
		GET(F_NR_RECLAIMED, ev->u.lru.nr_reclaimed, uint64_t);
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_FINISHED:
		if (e->kind == PRS_EV_COMPACT_BEGIN || e->kind == PRS_EV_COMPACT_END)
			GET(F_SYNC, ev->u.compact.sync, int32_t);
		if (e->kind != PRS_EV_COMPACT_BEGIN && e->kind != PRS_EV_COMPACT_END)
			GET(F_ORDER, ev->u.compact.order, int32_t);
		if (e->f[F_STATUS] && e->kind != PRS_EV_COMPACT_BEGIN) {
			if (td_get(t, held, e->f[F_STATUS], rec, &v)) {
				ev->u.compact.status = (int32_t)v;
				ev->u.compact.status_str =
					td_symbolic(r, t, e, S_STATUS, e->f[F_STATUS], v);
			} else {
				bad = true;
			}
		}
		break;
	case PRS_EV_MARK_VICTIM:
		GET(F_VPID, ev->u.victim.pid, int32_t);
		break;
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
		GET(F_ORDER, ev->u.retry.order, int32_t);
		GET(F_NID, ev->u.retry.nid, int32_t);
		GET(F_LOOPS, ev->u.retry.loops, int32_t);
		GET(F_MAX, ev->u.retry.max, int32_t);
		GET(F_VERDICT, ev->u.retry.verdict, int32_t);
		GET(F_ZID, ev->u.retry.zone, int32_t);
		break;
	case PRS_EV_THROTTLED:
	case PRS_EV_CONGESTION_WAIT:
		GET(F_NID, ev->u.throttle.nid, int32_t);
		GET(F_TIMEOUT, ev->u.throttle.usec_timeout, int32_t);
		GET(F_DELAYED, ev->u.throttle.usec_delayed, int32_t);
		break;
	case PRS_EV_WRITEPAGE:
		GET(F_PFN, ev->u.wp.pfn, uint64_t);
		if (e->f[F_FLAGS]) {
			if (td_get(t, held, e->f[F_FLAGS], rec, &v))
				ev->u.wp.file = v & 0x2 ? 1 : v & 0x1 ? 0 : -1;
			else
				bad = true;
		}
		break;
	case PRS_EV_SCHED_SWITCH:
		GET(F_PREV_PID, ev->u.sw.prev_pid, int32_t);
		GET(F_NEXT_PID, ev->u.sw.next_pid, int32_t);
		if (e->f[F_PREV_STATE]) {
			if (td_get(t, held, e->f[F_PREV_STATE], rec, &v))
				ev->u.sw.prev_state = td_state_letter(r, t, e, v);
			else
				bad = true;
		}
		/* char prev_comm[16]: not NUL-terminated when the name fills it */
		if (e->f[F_PREV_COMM]) {
			if (td_str(t, e->f[F_PREV_COMM], rec, &s, &len)) {
				len = len < sizeof(t->prev_comm) - 1 ? len : sizeof(t->prev_comm) - 1;
				memcpy(t->prev_comm, s, len);
				t->prev_comm[len] = '\0';
				ev->u.sw.prev_comm = t->prev_comm;
			} else {
				bad = true;
			}
		}
		if (e->f[F_NEXT_COMM]) {
			if (td_str(t, e->f[F_NEXT_COMM], rec, &s, &len)) {
				len = len < sizeof(t->next_comm) - 1 ? len : sizeof(t->next_comm) - 1;
				memcpy(t->next_comm, s, len);
				t->next_comm[len] = '\0';
				ev->u.sw.next_comm = t->next_comm;
			} else {
				bad = true;
			}
		}
		break;
	case PRS_EV_PRINT:
		if (e->f[F_BUF]) {
			if (td_str(t, e->f[F_BUF], rec, &s, &len)) {
				while (len && s[len - 1] == '\n')
					len--;
				if (len + 1 > t->text_cap) {
					size_t cap = len + 1 > 4096 ? len + 1 : 4096;
					char *p = realloc(t->text, cap);

					if (!p)
						return -PRS_ENOMEM;
					t->text = p;
					t->text_cap = cap;
				}
				memcpy(t->text, s, len);
				t->text[len] = '\0';
				ev->u.print.text = t->text;
				ev->u.print.len = len;
			} else {
				bad = true;
			}
		}
		break;
	default:
		break;
	}
#undef GET
	if (bad)
		r->stats.bad_fields++;
	return 0;
}

/* The event id of @rec: common_type, at the offset every event shares. */
static int td_type(struct td *t, const struct tep_record *rec)
{
	uint16_t v16;

	if (t->type_size == 2 && t->type_off >= 0 && (long long)t->type_off + 2 <= rec->size) {
		memcpy(&v16, (const uint8_t *)rec->data + t->type_off, 2);
		return t->swap ? td_bswap16(v16) : v16;
	}
	return tep_data_type(t->tep, (struct tep_record *)rec);
}

int prs_td_emit(struct prs_reader *r, struct td *t, struct tep_record *rec, struct prs_event *ev)
{
	struct td_event *e;
	int id = td_type(t, rec), ret;
	bool held;

	e = id >= 0 && id < t->nr_evs ? t->evs[id] : NULL;
	if (!e && id >= 0)
		e = td_resolve(r, t, id);
	if (!e)
		return id < 0 ? prs_fail_file(r, PRS_ECORRUPT, "record without an event type")
			      : -PRS_ENOMEM;
	prs_count_slot(r, e->slot);
	ev->ts = rec->ts;
	ev->cpu = rec->cpu;
	ev->name = e->name;
	prs_event_init(ev, e->kind);
	if (e->kind == PRS_EV_OTHER && !(r->flags & PRS_OPT_OTHER)) {
		prs_account(r, ev);
		return 0;
	}
	held = td_holds(e, rec);
	ev->pid = -1;
	ev->tgid = -1;	/* libtraceevent 1.7 does not expose saved tgids */
	ev->comm = "";
	if (e->f[F_PID]) {
		uint64_t v;

		if (td_get(t, held, e->f[F_PID], rec, &v)) {
			ev->pid = (int32_t)v;
			ev->comm = td_comm(t, ev->pid);
			ev->comm_per_pid = true;
		} else {
			r->stats.bad_fields++;
		}
	}
	ret = td_decode(r, t, e, rec, held, ev);
	if (ret < 0)
		return ret;
	prs_account(r, ev);
	return 1;
}

static int td_next(struct prs_reader *r, struct prs_event *ev)
{
	struct td *t = r->priv;

	while (t->nr_heap) {
		struct td_src *src = t->heap[0];
		struct tep_record *rec = src->rec;
		int ret;

		if (rec->missed_events && !src->lost_done) {
			/* the ring buffer overwrote or dropped events before this one */
			src->lost_done = true;
			ev->ts = rec->ts;
			ev->cpu = rec->cpu;
			ev->pid = -1;
			ev->tgid = -1;
			ev->comm = "";
			ev->name = t->lost_name;
			prs_event_init(ev, PRS_EV_LOST);
			ev->u.lost.count = rec->missed_events > 0 ? (uint64_t)rec->missed_events : 0;
			prs_account(r, ev);
			return 1;
		}

		/* advance this source before decoding: rec is ours until freed below */
		src->rec = tracecmd_read_data(src->h, src->cpu_index);
		src->lost_done = false;
		if (!src->rec)
			t->heap[0] = t->heap[--t->nr_heap];
		if (t->nr_heap)
			td_heap_down(t, 0);

		ret = prs_td_emit(r, t, rec, ev);
		tracecmd_free_record(rec);
		if (ret)
			return ret;
	}
	return 0;
}

void prs_td_free_decode(struct td *t)
{
	for (int i = 0; i < t->nr_evs; i++)
		free(t->evs[i]);
	free(t->evs);
	free(t->memo.e);
	free(t->text);
	t->evs = NULL;
	t->nr_evs = 0;
	t->memo.e = NULL;
	t->text = NULL;
}

static void td_close(struct prs_reader *r)
{
	struct td *t = r->priv;

	if (!t)
		return;
	for (unsigned int i = 0; i < t->nr_src; i++)
		tracecmd_free_record(t->src[i].rec);
	/* instances hold a reference on the top handle: close them first */
	for (int i = 0; i < t->nr_inst; i++)
		if (t->inst[i])
			tracecmd_close(t->inst[i]);
	if (t->top)
		tracecmd_close(t->top);
	prs_td_free_decode(t);
	free(t->inst);
	free(t->src);
	free(t->heap);
	free(t);
	r->priv = NULL;
}

static const struct prs_ops td_ops = {
	.next	= td_next,
	.close	= td_close,
};

/* ---- open ----------------------------------------------------------------- */

int prs_td_walk(struct td_walk *w)
{
	return td_walk(w);
}

void prs_td_walk_free(struct td_walk *w)
{
	for (unsigned int i = 0; i < w->nr_bufs; i++) {
		free(w->bufs[i].name);
		free(w->bufs[i].clock);
		free(w->bufs[i].cpu);
	}
	free(w->v6_top.cpu);
}

const struct td_buffer *prs_td_buffer_named(const struct td_walk *w, const char *name)
{
	for (unsigned int i = 0; i < w->nr_bufs; i++)
		if (!strcmp(w->bufs[i].name, name))
			return &w->bufs[i];
	return NULL;
}

static int td_add_sources(struct td *t, struct tracecmd_input *h, uint32_t cpus)
{
	for (uint32_t c = 0; c < cpus; c++) {
		struct td_src *s = &t->src[t->nr_src];

		s->h = h;
		s->cpu_index = (int)c;
		s->order = t->nr_src;
		s->rec = tracecmd_read_data(h, (int)c);
		if (!s->rec)
			continue;	/* an empty CPU */
		t->nr_src++;
		td_heap_push(t, s);
	}
	return 0;
}

/*
 * libtraceevent 1.7 and libtracecmd 1.3 crash on some damaged metadata that
 * our layout walk cannot rule out without reimplementing them: a SEGV in
 * the event-format parser on a mangled print fmt, a NULL dereference in
 * tracecmd_close() on tracecmd_open_fd()'s error path after a wrong size
 * inside the formats section (trace-cmd report crashes on the same files;
 * found by tests/fuzz/fuzz_tracedat).  So what the parent will hand to the
 * libraries runs once in a child first: if the child dies, the file is
 * reported as damaged instead of taking the whole program down.  For our
 * own reader that is libtraceevent's parsing of the header page and of
 * each format, and the child says which one it was on; for libtracecmd's
 * reader, tracecmd_open() as a whole.  A clean failure (exit 3) is left to
 * the real open, which says it.  Costs one fork and one parse of the formats.
 */
/* set by sanitizer runtimes (and libFuzzer through them); absent otherwise */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

static int td_preflight(struct prs_reader *r, const struct td_walk *w, bool full)
{
	uint64_t at = w->version < 7 ? 0 : w->after_header;
	volatile uint64_t *where;
	int status, devnull;
	pid_t pid;

	/* the child's last words: the file offset of the block it was parsing */
	where = mmap(NULL, sizeof(*where), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (where == MAP_FAILED)
		where = NULL;
	else
		*where = at;
	pid = fork();
	if (pid < 0)
		goto out;	/* cannot isolate it: go on unprotected */
	if (pid == 0) {
		struct tracecmd_input *h;
		struct tep_handle *tep;

		/*
		 * A crash here must end this child by its signal, whatever
		 * handlers the process runs under (a fuzzer's, a sanitizer's,
		 * a debugger's would report the crash we are isolating).
		 */
		static const int deadly[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

		for (size_t i = 0; i < sizeof(deadly) / sizeof(deadly[0]); i++)
			signal(deadly[i], SIG_DFL);
		/* and a sanitizer's error exit must not run a fuzzer's crash report */
		if (__sanitizer_set_death_callback)
			__sanitizer_set_death_callback(NULL);
		/* the library's and a sanitizer's last words are not ours to print */
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		if (!full) {
			/* what prs_tds_open() will do with libtraceevent, and its cleanup */
			if (prs_td_meta_tep(w, true, where, &tep) < 0)
				_exit(3);
			if (where)
				*where = at;	/* past the formats: no one block to blame */
			tep_free(tep);
			_exit(0);
		}
		h = tracecmd_open(r->path, TRACECMD_FL_LOAD_NO_PLUGINS);
		if (!h)
			_exit(3);
		tracecmd_close(h);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			goto out;
	/* a signal, or a sanitizer's report and exit(1) in sanitized builds */
	if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
				    WEXITSTATUS(status) != 3)) {
		const char *how = WIFSIGNALED(status) ? "crashes" : "fails";
		bool one = where && *where != at;

		if (one)
			at = *where;
		if (where)
			munmap((void *)where, sizeof(*where));
		return one ? prs_fail(r, PRS_ECORRUPT, false, at,
				      "damaged event format or header page (libtraceevent %s on it)", how)
			   : prs_fail(r, PRS_ECORRUPT, false, at,
				      "damaged event formats or headers (libtraceevent %s on them)", how);
	}
out:
	if (where)
		munmap((void *)where, sizeof(*where));
	return 0;
}

int prs_tracedat_open(struct prs_reader *r)
{
	struct td_walk w = { .r = r };
	const struct td_buffer *top;
	uint32_t top_cpus, total = 0;
	struct stat st;
	struct td *t;
	void *map;
	int fd, ret, n;

	r->comm_stable = true;	/* td_comm(): saved_cmdlines strings, held until close */
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return prs_fail_file(r, PRS_EOPEN, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return prs_fail_file(r, PRS_EIO, "%s", strerror(errno));
	}
	w.size = (uint64_t)st.st_size;
	map = w.size ? mmap(NULL, (size_t)w.size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	if (map == MAP_FAILED)
		return prs_fail(r, PRS_EIO, false, 0, "cannot map the file: %s", strerror(errno));
	/* mapped until the end of open: the stream reader reads the metadata from it */
	w.map = map;
	ret = td_walk(&w);
	if (ret < 0)
		goto out_walk;

	/* top buffer: v6 always has one; v7 only if a BUFFER option names "" */
	top = prs_td_buffer_named(&w, "");
	if (w.version >= 7 && top && top->clock && top->clock[0]) {
		/* the buffer's own clock wins over the TRACECLOCK option */
		free(r->clock);
		r->clock = strdup(top->clock);
	}
	if (w.version >= 7 && top && top->latency) {
		ret = prs_fail(r, PRS_EUNSUPPORTED, false, top->offset,
			       "latency-format buffer (text inside) is not supported");
		goto out_walk;
	}
	r->page_size = w.page_size;
	top_cpus = w.version < 7 ? w.header_cpus : (top ? top->cpus : 0);
	r->stats.nr_cpus = (int)w.cpucount;
	r->stats.nr_cpus_known = w.cpucount > 0;
	for (unsigned int i = 0; i < w.nr_bufs; i++)
		if ((int)w.bufs[i].max_cpu > r->stats.nr_cpus)
			r->stats.nr_cpus = (int)w.bufs[i].max_cpu;

	/* a file cut short: only our stream reader reads up to the cut */
	if (w.cut && ((r->flags & PRS_OPT_LIBTRACECMD) || w.ts_special || !strcmp(w.compress, "zlib"))) {
		ret = prs_fail(r, PRS_ETRUNCATED, false, w.cut_at,
			       "file is truncated inside %s (the libtracecmd reader cannot read up to the cut)",
			       w.cut_what);
		goto out_walk;
	}

	/* the library must never print: our own messages say it all */
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	tracefs_set_loglevel(TEP_LOG_NONE);

	/* before anything else of libtracecmd's runs in this process */
	ret = td_preflight(r, &w, (r->flags & PRS_OPT_LIBTRACECMD) || w.ts_special ||
				  !strcmp(w.compress, "zlib"));
	if (ret < 0)
		goto out_walk;

	/*
	 * Our own streaming reader unless asked for libtracecmd's (a
	 * cross-check), or the file needs libtracecmd's clock conversions
	 * (TSC to ns, guest time shifts), which it alone implements.
	 */
	if (!(r->flags & PRS_OPT_LIBTRACECMD) && !w.ts_special && strcmp(w.compress, "zlib")) {
		ret = prs_tds_open(r, &w);
		goto out_walk;
	}

	t = calloc(1, sizeof(*t));
	if (!t) {
		ret = -PRS_ENOMEM;
		goto out_walk;
	}
	r->priv = t;
	r->ops = &td_ops;
	t->swap = w.swap;
	t->lost_name = prs_intern_str(r, "lost_events");

	t->top = tracecmd_open(r->path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!t->top) {
		/* it says neither why nor where: the metadata starts after the header */
		ret = prs_fail(r, PRS_ECORRUPT, false, w.version < 7 ? 0 : w.after_header,
			       "libtracecmd cannot parse the event formats or headers");
		goto out_walk;
	}
	t->tep = tracecmd_get_tep(t->top);

	n = tracecmd_buffer_instances(t->top);
	if (n < 0)
		n = 0;
	t->inst = calloc((size_t)n + 1, sizeof(*t->inst));
	r->instances = calloc((size_t)n + 1, sizeof(*r->instances));
	if (!t->inst || !r->instances) {
		ret = -PRS_ENOMEM;
		goto out_walk;
	}
	total = top_cpus;
	for (int i = 0; i < n; i++) {
		const char *name = tracecmd_buffer_instance_name(t->top, i);
		const struct td_buffer *b = prs_td_buffer_named(&w, name ? name : "");

		r->instances[i] = strdup(name ? name : "");
		if (!r->instances[i]) {
			ret = -PRS_ENOMEM;
			goto out_walk;
		}
		r->nr_instances = i + 1;
		if (b && b->latency)
			continue;
		t->inst[i] = tracecmd_buffer_instance_handle(t->top, i);
		t->nr_inst = i + 1;
		if (!t->inst[i]) {
			ret = prs_fail(r, PRS_ECORRUPT, false, b ? b->offset : 0,
				       "libtracecmd cannot read buffer instance \"%s\"",
				       name ? name : "");
			goto out_walk;
		}
		total += b ? b->cpus : w.header_cpus;
	}
	t->src = calloc((size_t)total + 1, sizeof(*t->src));
	t->heap = calloc((size_t)total + 1, sizeof(*t->heap));
	if (!t->src || !t->heap) {
		ret = -PRS_ENOMEM;
		goto out_walk;
	}
	td_add_sources(t, t->top, top_cpus);
	for (int i = 0; i < t->nr_inst; i++) {
		const struct td_buffer *b = prs_td_buffer_named(&w, r->instances[i]);

		if (t->inst[i])
			td_add_sources(t, t->inst[i], b ? b->cpus : w.header_cpus);
	}
	ret = 0;
out_walk:
	munmap(map, (size_t)w.size);
	prs_td_walk_free(&w);
	return ret;
}
