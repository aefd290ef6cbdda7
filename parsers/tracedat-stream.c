// SPDX-License-Identifier: GPL-2.0-only
/*
 * Streaming trace.dat reader: the event formats and cmdlines are parsed
 * into a tep_handle by tracedat-meta.c (what libtracecmd's
 * tracecmd_open_head() would do, without its cost), kallsyms on the first
 * address lookup; the CPU data is read here, a window at a time per CPU.
 *
 * libtracecmd 1.3 decompresses every chunk of every CPU into memory (or a
 * temporary file) before the first record, so its memory grows with the
 * trace.  Here each (buffer, CPU) source holds one window: 16 ring-buffer
 * pages read with pread() for uncompressed data, or one decompressed chunk
 * for v7 zstd data (trace-cmd compresses a few pages per chunk).  Pages are
 * walked with libtraceevent's kbuffer; sources are merged by timestamp in a
 * min-heap (ties: top buffer before instances, lower CPU first, as the
 * libtracecmd reader does).  Memory: sources x window, whatever the size.
 *
 * The layout (extents, chunk tables) was checked by the walk before; what
 * is checked here is what only reading shows: chunks that do not
 * decompress, page headers whose data size exceeds the page, events that
 * run past their page's data, partial pages.  Each is an error with the
 * file offset, never a silent end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include <kbuffer.h>

#include "tracedat-local.h"

#define TDS_WINDOW_PAGES	16		/* uncompressed data: pages per read */
#define TDS_MAX_CHUNK		(64u << 20)	/* decompressed chunk; the walk enforces it too */
#define TDS_SLACK		16		/* kbuffer peeks a few bytes past an event header */
#define TDS_COMMIT_MASK		((1u << 27) - 1)
#define TDS_MISSED_EVENTS	(1ull << 31)	/* page header: events were lost before this page */
#define TDS_MISSED_STORED	(1ull << 30)	/* ... and their count follows the data */

struct tds_src {
	const char	*buf_name;	/* for messages */
	uint32_t	cpu;
	unsigned int	order;		/* tie-breaker */
	uint32_t	page_size;
	bool		compressed;

	uint64_t	pos, end;	/* file: next data byte / next chunk header; end of the data */
	uint32_t	chunks_left, chunk_no;

	uint8_t		*win;		/* whole pages, + TDS_SLACK */
	size_t		win_cap, win_len, page;	/* page: offset of the next page in win */
	uint64_t	win_file;	/* file offset of win (plain) or of its chunk header */

	struct kbuffer	*kbuf;		/* big-endian or 2.6.30 pages; else our own walk: */
	bool		own;
	uint8_t		*pdata;		/* the page's data (after its header) */
	uint32_t	curr, index, next;	/* kbuffer's offsets: record, its data, the next */
	int		plost;		/* kbuffer's lost_events of the page */
	uint8_t		*cur_page;
	uint32_t	hdr;		/* page header bytes: 16 (12 with 4-byte longs) */
	uint32_t	commit;		/* data bytes of the current page */

	/* the current event */
	unsigned long long ts;
	void		*data;
	int		size;
	int		missed;		/* kbuffer_missed_events() at this event */
	bool		lost_done;
};

struct tds {
	struct td		dec;		/* shared decoding state (tracedat.c) */
	bool			cut;		/* the file is cut short (struct td_walk) */
	uint64_t		cut_at;
	char			cut_what[96];
	struct td_ksyms		ksyms;
	int			fd;
	bool			swap;
	int			long_size;	/* page header commit field: 4 or 8 */
	bool			old_format;
	int64_t			ts_offset;

	ZSTD_DCtx		*dctx;
	uint8_t			*cbuf;		/* one compressed chunk, shared by all sources */
	size_t			cbuf_cap;

	struct tds_src		*src;
	struct tds_src		**heap;
	unsigned int		nr_src, nr_heap;
	char			**names;	/* buffer names the sources point to */
	unsigned int		nr_names;
};

static uint32_t tds_32(const struct tds *t, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return t->swap ? __builtin_bswap32(v) : v;
}

static uint64_t tds_long(const struct tds *t, const uint8_t *p)
{
	uint64_t v;

	if (t->long_size == 4)
		return tds_32(t, p);
	memcpy(&v, p, 8);
	return t->swap ? __builtin_bswap64(v) : v;
}

static int tds_reserve(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *p;

	if (need <= *cap)
		return 0;
	p = realloc(*buf, need);
	if (!p)
		return -PRS_ENOMEM;
	*buf = p;
	*cap = need;
	return 0;
}

static int tds_pread(struct prs_reader *r, struct tds *t, void *buf, size_t n, uint64_t off,
		     const struct tds_src *s)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = pread(t->fd, (uint8_t *)buf + done, n - done, (off_t)(off + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return prs_fail(r, PRS_EIO, false, off + done, "CPU %u data of buffer \"%s\": %s",
					s->cpu, s->buf_name, strerror(errno));
		if (got == 0)
			return prs_fail(r, PRS_ETRUNCATED, false, off + done,
					"file is truncated inside CPU %u data of buffer \"%s\"",
					s->cpu, s->buf_name);
		done += (size_t)got;
	}
	return 0;
}

/* Next window of whole pages: 1 filled, 0 no more data, <0 error. */
static int tds_fill(struct prs_reader *r, struct tds *t, struct tds_src *s)
{
	uint8_t hdr[8];
	uint32_t csize, usize;
	size_t n;
	int ret;

	if (!s->compressed) {
		if (s->pos >= s->end)
			return 0;
		n = s->end - s->pos;
		if (n > (size_t)TDS_WINDOW_PAGES * s->page_size)
			n = (size_t)TDS_WINDOW_PAGES * s->page_size;
		if ((ret = tds_reserve(&s->win, &s->win_cap, n + TDS_SLACK)) ||
		    (ret = tds_pread(r, t, s->win, n, s->pos, s)))
			return ret;
		s->win_file = s->pos;
		s->pos += n;
		s->win_len = n;
		s->page = 0;
		return 1;
	}

	if (!s->chunks_left)
		return 0;
	if (s->end - s->pos < 8 || s->pos > s->end)
		return prs_fail(r, PRS_ECORRUPT, false, s->pos,
				"CPU %u data of buffer \"%s\": chunk %u outside the data",
				s->cpu, s->buf_name, s->chunk_no);
	if ((ret = tds_pread(r, t, hdr, 8, s->pos, s)))
		return ret;
	csize = tds_32(t, hdr);
	usize = tds_32(t, hdr + 4);
	if (usize > TDS_MAX_CHUNK || csize > s->end - s->pos - 8)
		return prs_fail(r, PRS_ECORRUPT, false, s->pos,
				"CPU %u data of buffer \"%s\": chunk %u header is damaged (%u -> %u bytes)",
				s->cpu, s->buf_name, s->chunk_no, csize, usize);
	if ((ret = tds_reserve(&t->cbuf, &t->cbuf_cap, csize ? csize : 1)) ||
	    (ret = tds_reserve(&s->win, &s->win_cap, (size_t)usize + TDS_SLACK)) ||
	    (ret = tds_pread(r, t, t->cbuf, csize, s->pos + 8, s)))
		return ret;
	n = ZSTD_decompressDCtx(t->dctx, s->win, usize, t->cbuf, csize);
	if (ZSTD_isError(n))
		return prs_fail(r, PRS_EZSTD, false, s->pos,
				"CPU %u data of buffer \"%s\": chunk %u does not decompress: %s",
				s->cpu, s->buf_name, s->chunk_no, ZSTD_getErrorName(n));
	if (n != usize)
		return prs_fail(r, PRS_ECORRUPT, false, s->pos,
				"CPU %u data of buffer \"%s\": chunk %u holds %zu bytes, its header says %u",
				s->cpu, s->buf_name, s->chunk_no, n, usize);
	memset(s->win + usize, 0, TDS_SLACK);
	s->win_file = s->pos;
	s->pos += 8 + (uint64_t)csize;
	s->chunks_left--;
	s->chunk_no++;
	s->win_len = usize;
	s->page = 0;
	return 1;
}

/* Where the page at @p is, for messages: a file offset (in a chunk: the chunk's). */
static uint64_t tds_where(const struct tds_src *s, const uint8_t *p)
{
	return s->compressed ? s->win_file : s->win_file + (uint64_t)(p - s->win);
}

/*
 * The ring buffer's page walk, as libtraceevent's kbuffer does it
 * (translate_data(), update_pointers(), __next_event()) for little-endian
 * pages on a little-endian host: without its indirect calls, it is a
 * third of reading a trace.dat.  Big-endian and pre-2.6.31 pages go
 * through kbuffer itself.  Headers may be read a few bytes past the
 * commit (TDS_SLACK), as kbuffer does; tds_take() checks the event.
 */
#define TDS_TS_SHIFT	27
#define TDS_TS_MSB	(0xf8ull << 56)
enum { TDS_PADDING = 29, TDS_TIME_EXTEND = 30, TDS_TIME_STAMP = 31 };

/* Next data record of the page: 0, or -1 at its end. */
static int tds_own_next(const struct tds *t, struct tds_src *s)
{
	unsigned int type;

	do {
		uint32_t w, p;
		uint64_t delta, ext;
		int length;

		s->curr = s->next;
		if (s->next >= s->commit)
			return -1;
		w = tds_32(t, s->pdata + s->curr);
		p = s->curr + 4;
		type = w & 31;
		delta = w >> 5;
		switch (type) {
		case TDS_PADDING:
			length = (int)tds_32(t, s->pdata + p);
			break;
		case TDS_TIME_STAMP:
		case TDS_TIME_EXTEND:
			ext = (uint64_t)tds_32(t, s->pdata + p) << TDS_TS_SHIFT;
			p += 4;
			delta = (ext + delta) | (type == TDS_TIME_STAMP ? s->ts & TDS_TS_MSB : 0);
			length = 0;
			break;
		case 0:
			length = (int)tds_32(t, s->pdata + p) - 4;
			length = (length + 3) & ~3;
			p += 4;
			break;
		default:
			length = (int)type * 4;
			break;
		}
		if (type == TDS_TIME_STAMP)
			s->ts = delta;
		else
			s->ts += delta;
		s->index = p;
		s->next = (uint32_t)((int)p + length);
	} while (type == TDS_TIME_EXTEND || type == TDS_TIME_STAMP || type == TDS_PADDING);
	return 0;
}

/* kbuffer_load_subbuffer() + kbuffer_read_event(): the page's first record, or NULL */
static void *tds_own_load(struct tds *t, struct tds_src *s, uint8_t *page, uint64_t flags)
{
	s->pdata = page + s->hdr;
	memcpy(&s->ts, page, 8);
	if (flags & TDS_MISSED_EVENTS)
		s->plost = (flags & TDS_MISSED_STORED) ? (int)tds_long(t, s->pdata + s->commit) : -1;
	else
		s->plost = 0;
	s->index = s->next = 0;
	if (tds_own_next(t, s) < 0)
		return NULL;
	return s->pdata + s->index;
}

/* The event kbuffer points at must lie inside its page's data. */
static int tds_take(struct prs_reader *r, struct tds_src *s)
{
	long idx = (long)((uint8_t *)s->data - s->cur_page) - (long)s->hdr;
	int size = s->own ? (int)(s->next - s->index) : kbuffer_event_size(s->kbuf);

	if (size < 0 || idx < 0 || (unsigned long)idx + (unsigned long)size > s->commit)
		return prs_fail(r, PRS_ECORRUPT, false, tds_where(s, s->cur_page),
				"CPU %u data of buffer \"%s\": %san event at page offset %ld "
				"(%d bytes) runs past the page's %u data bytes",
				s->cpu, s->buf_name, s->compressed ? "in the chunk here, " : "",
				idx + (long)s->hdr, size, s->commit);
	s->size = size;
	s->missed = s->own ? (s->curr ? 0 : s->plost) : kbuffer_missed_events(s->kbuf);
	s->lost_done = false;
	return 1;
}

/* Load pages until one holds an event: 1 event ready, 0 source done, <0 error. */
static int tds_next_page(struct prs_reader *r, struct tds *t, struct tds_src *s)
{
	for (;;) {
		uint64_t flags;
		uint32_t stored;
		uint8_t *p;
		int ret;

		if (s->page >= s->win_len) {
			ret = tds_fill(r, t, s);
			if (ret <= 0)
				return ret;
		}
		p = s->win + s->page;
		if (s->win_len - s->page < s->page_size)
			return prs_fail(r, PRS_ECORRUPT, false, tds_where(s, p),
					"CPU %u data of buffer \"%s\": %zu bytes left, less than a %u-byte page",
					s->cpu, s->buf_name, s->win_len - s->page, s->page_size);
		/* check the commit word before kbuffer trusts it */
		flags = tds_long(t, p + 8);
		stored = (flags & TDS_MISSED_EVENTS) && (flags & TDS_MISSED_STORED) ?
			 (uint32_t)t->long_size : 0;
		s->commit = (uint32_t)flags & TDS_COMMIT_MASK;
		if ((uint64_t)s->hdr + s->commit + stored > s->page_size)
			return prs_fail(r, PRS_ECORRUPT, false, tds_where(s, p),
					"CPU %u data of buffer \"%s\": page header claims %u data bytes "
					"in a %u-byte page", s->cpu, s->buf_name, s->commit, s->page_size);
		s->cur_page = p;
		s->page += s->page_size;
		if (s->own) {
			s->data = tds_own_load(t, s, p, flags);
		} else {
			kbuffer_load_subbuffer(s->kbuf, p);
			s->data = kbuffer_read_event(s->kbuf, &s->ts);
		}
		if (s->data)
			return tds_take(r, s);
	}
}

static int tds_advance(struct prs_reader *r, struct tds *t, struct tds_src *s)
{
	if (s->own)
		s->data = tds_own_next(t, s) == 0 ? s->pdata + s->index : NULL;
	else
		s->data = kbuffer_next_event(s->kbuf, &s->ts);
	if (s->data)
		return tds_take(r, s);
	return tds_next_page(r, t, s);
}

/* ---- merge ----------------------------------------------------------------- */

static bool tds_before(const struct tds_src *a, const struct tds_src *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts;
	return a->order < b->order;
}

static void tds_heap_down(struct tds *t, unsigned int i)
{
	struct tds_src *x = t->heap[i];

	for (;;) {
		unsigned int l = 2 * i + 1, m;

		if (l >= t->nr_heap)
			break;
		m = l + 1 < t->nr_heap && tds_before(t->heap[l + 1], t->heap[l]) ? l + 1 : l;
		if (!tds_before(t->heap[m], x))
			break;
		t->heap[i] = t->heap[m];
		i = m;
	}
	t->heap[i] = x;
}

static void tds_heap_push(struct tds *t, struct tds_src *s)
{
	unsigned int i = t->nr_heap++;

	while (i) {
		unsigned int p = (i - 1) / 2;

		if (!tds_before(s, t->heap[p]))
			break;
		t->heap[i] = t->heap[p];
		i = p;
	}
	t->heap[i] = s;
}

/* ---- next / close ------------------------------------------------------------ */

static int tds_next(struct prs_reader *r, struct prs_event *ev)
{
	struct tds *t = r->priv;

	while (t->nr_heap) {
		struct tds_src *s = t->heap[0];
		struct tep_record rec;
		int ret, adv;

		if (s->missed && !s->lost_done) {
			/* the ring buffer overwrote or dropped events before this page */
			s->lost_done = true;
			ev->ts = s->ts + (uint64_t)t->ts_offset;
			ev->cpu = (int32_t)s->cpu;
			ev->pid = -1;
			ev->tgid = -1;
			ev->comm = "";
			ev->name = t->dec.lost_name;
			prs_event_init(ev, PRS_EV_LOST);
			ev->u.lost.count = s->missed > 0 ? (uint64_t)s->missed : 0;
			prs_account(r, ev);
			return 1;
		}
		/* decode first: the record lives in the source's window until it advances */
		memset(&rec, 0, sizeof(rec));
		rec.ts = s->ts + (uint64_t)t->ts_offset;
		rec.cpu = (int)s->cpu;
		rec.data = s->data;
		rec.size = s->size;
		ret = prs_td_emit(r, &t->dec, &rec, ev);
		if (ret < 0)
			return ret;
		adv = tds_advance(r, t, s);
		if (adv < 0)
			return adv;
		if (!adv)
			t->heap[0] = t->heap[--t->nr_heap];
		if (t->nr_heap)
			tds_heap_down(t, 0);
		if (ret)
			return 1;
	}
	/* every event before the cut is out: now say the file ends early */
	if (t->cut)
		return prs_fail(r, PRS_ECUT, false, t->cut_at, "file is truncated inside %s", t->cut_what);
	return 0;
}

static void tds_close(struct prs_reader *r)
{
	struct tds *t = r->priv;

	if (!t)
		return;
	for (unsigned int i = 0; i < t->nr_src; i++) {
		kbuffer_free(t->src[i].kbuf);
		free(t->src[i].win);
	}
	for (unsigned int i = 0; i < t->nr_names; i++)
		free(t->names[i]);
	free(t->names);
	free(t->src);
	free(t->heap);
	free(t->cbuf);
	ZSTD_freeDCtx(t->dctx);
	if (t->fd >= 0)
		close(t->fd);
	prs_td_ksyms_free(&t->ksyms);
	prs_td_free_decode(&t->dec);
	if (t->dec.tep)
		tep_free(t->dec.tep);
	free(t);
	r->priv = NULL;
}

static const struct prs_ops tds_ops = {
	.next	= tds_next,
	.close	= tds_close,
};

/* ---- open ----------------------------------------------------------------- */

static int tds_add_buffer(struct prs_reader *r, struct tds *t, const struct td_walk *w,
			  const struct td_buffer *b)
{
	enum kbuffer_endian endian;
	char *name;

	if (!b || b->latency || !b->cpu)
		return 0;
	/* the walk's buffers are freed after open: keep our own copy of the name */
	name = strdup(b->name ? b->name : "");
	if (!name)
		return -PRS_ENOMEM;
	t->names[t->nr_names++] = name;
	/* the file's byte order: ours unless the walk saw it swapped */
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
		endian = t->swap ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE;
	else
		endian = t->swap ? KBUFFER_ENDIAN_LITTLE : KBUFFER_ENDIAN_BIG;

	for (uint32_t c = 0; c < b->cpus; c++) {
		const struct td_cpu *cpu = &b->cpu[c];
		struct tds_src *s;
		int ret;

		if (!cpu->size)
			continue;	/* an empty CPU */
		s = &t->src[t->nr_src];
		memset(s, 0, sizeof(*s));
		s->buf_name = name;
		s->cpu = cpu->id;
		s->order = t->nr_src;
		s->page_size = b->page_size ? b->page_size : w->page_size;
		s->hdr = t->long_size == 8 ? 16 : 12;
		s->compressed = b->compressed;
		if (s->page_size < 64 || s->page_size > (64u << 20))
			return prs_fail(r, PRS_ECORRUPT, false, b->offset,
					"buffer \"%s\": sub-buffer size %u", s->buf_name, s->page_size);
		s->kbuf = kbuffer_alloc(t->long_size == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4, endian);
		if (!s->kbuf)
			return -PRS_ENOMEM;
		t->nr_src++;
		if (t->old_format)
			kbuffer_set_old_format(s->kbuf);
		s->own = !t->swap && !t->old_format && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
		if (s->compressed) {
			uint8_t cnt[4];

			/* count(4), then the chunks; "size" with or without the count (trace-cmd 3.1) */
			if ((ret = tds_pread(r, t, cnt, 4, cpu->off, s)))
				return ret;
			s->chunks_left = tds_32(t, cnt);
			if (cpu->cut && cpu->chunks < s->chunks_left)
				s->chunks_left = cpu->chunks;	/* the whole chunks before the cut */
			s->pos = cpu->off + 4;
			s->end = cpu->off + cpu->size + 4;
			if (s->end > w->size)
				s->end = w->size;
		} else {
			s->pos = cpu->off;
			s->end = cpu->off + (cpu->cut ? cpu->size / s->page_size * s->page_size : cpu->size);
		}
		ret = tds_next_page(r, t, s);
		if (ret < 0)
			return ret;
		if (ret)
			tds_heap_push(t, s);
	}
	return 0;
}

int prs_tds_open(struct prs_reader *r, struct td_walk *w)
{
	const struct td_buffer *top;
	struct tep_event *first;
	struct tep_format_field *type;
	uint32_t total = 0;
	int ret, n = 0, hps;
	struct tds *t;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -PRS_ENOMEM;
	t->fd = -1;
	r->priv = t;
	r->ops = &tds_ops;
	t->cut = w->cut;
	t->cut_at = w->cut_at;
	snprintf(t->cut_what, sizeof(t->cut_what), "%s", w->cut_what);
	t->swap = w->swap;
	t->ts_offset = w->ts_offset;
	t->dec.swap = w->swap;
	t->dec.lost_name = prs_intern_str(r, "lost_events");

	/* header page, formats, cmdlines; kallsyms when an address is first looked up */
	ret = prs_td_meta_tep(w, false, NULL, &t->dec.tep);
	if (ret < 0)
		return ret;
	t->ksyms.pending = true;
	t->ksyms.at = w->meta[TD_META_KALLSYMS];
	t->ksyms.swap = w->swap;
	t->ksyms.zstd = !strcmp(w->compress, "zstd");
	t->ksyms.fd = -1;
	t->dec.ksyms = &t->ksyms;
	/* the commit field of the page header: the size of the recording kernel's long */
	hps = tep_get_header_page_size(t->dec.tep);
	t->long_size = hps == 4 || hps == 8 ? hps : w->long_size;
	t->old_format = tep_is_old_format(t->dec.tep);
	first = tep_get_first_event(t->dec.tep);
	type = first ? tep_find_common_field(first, "common_type") : NULL;
	if (type) {
		t->dec.type_off = type->offset;
		t->dec.type_size = type->size;
	}

	t->dctx = ZSTD_createDCtx();
	if (!t->dctx)
		return -PRS_ENOMEM;
	t->fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (t->fd < 0)
		return prs_fail_file(r, PRS_EOPEN, "cannot open: %s", strerror(errno));
	t->ksyms.fd = t->fd;

	/* instances: every buffer but the top one, in file order */
	r->instances = calloc(w->nr_bufs + 1, sizeof(*r->instances));
	if (!r->instances)
		return -PRS_ENOMEM;
	for (unsigned int i = 0; i < w->nr_bufs; i++) {
		const struct td_buffer *b = &w->bufs[i];

		if (w->version >= 7 && !b->name[0])
			continue;
		r->instances[n] = strdup(b->name);
		if (!r->instances[n])
			return -PRS_ENOMEM;
		r->nr_instances = ++n;
	}

	top = w->version < 7 ? &w->v6_top : prs_td_buffer_named(w, "");
	if (top)
		total += top->cpus;
	for (unsigned int i = 0; i < w->nr_bufs; i++)
		total += w->bufs[i].cpus;
	t->src = calloc((size_t)total + 1, sizeof(*t->src));
	t->heap = calloc((size_t)total + 1, sizeof(*t->heap));
	t->names = calloc((size_t)w->nr_bufs + 2, sizeof(*t->names));
	if (!t->src || !t->heap || !t->names)
		return -PRS_ENOMEM;

	ret = tds_add_buffer(r, t, w, top);
	for (unsigned int i = 0; !ret && i < w->nr_bufs; i++)
		if (&w->bufs[i] != top)
			ret = tds_add_buffer(r, t, w, &w->bufs[i]);
	return ret;
}
