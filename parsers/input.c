// SPDX-License-Identifier: GPL-2.0-only
/*
 * Byte input for the text readers: a plain file or a zstd stream, and a
 * bounded line reader over one reusable buffer.  A zstd stream is
 * decompressed and split into lines by a second thread, into a ring of
 * PRS_ZBLOCKS blocks the reader takes its lines from in place.
 *
 * Memory is bounded whatever the file holds: one read chunk of compressed
 * input, one line buffer of PRS_MAX_LINE plus a chunk, and for zstd the
 * blocks (PRS_MAX_LINE plus a chunk each).  A zstd bomb therefore costs
 * time, never memory.  The file is only ever read.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "parsers-local.h"

#define PRS_CHUNK_SIZE	(256u * 1024)	/* one read() */
#define PRS_ZBLOCK_SIZE	(256u * 1024)	/* decompressed bytes per block, about */
#define PRS_ZBLOCK_LINES (PRS_ZBLOCK_SIZE / 8)	/* line ends per block, at most */
#define PRS_ZBLOCK_CAP	(PRS_MAX_LINE + PRS_ZBLOCK_SIZE + 2)
#define PRS_ZBLOCKS	4		/* blocks in flight between the threads */
/*
 * A decompression bomb: text traces compress 5-30x (function_graph and
 * kprobe text at zstd -19: 10x and 17x); past 16 MiB of output, 1000x the
 * compressed bytes consumed is no trace.  Memory stays bounded anyway;
 * this stops hours of reading a terabyte of newlines.
 */
#define PRS_ZBOMB_MIN	(16ull << 20)
#define PRS_ZBOMB_RATIO	1000

struct prs_zerr {
	int		code;
	uint64_t	off;
	char		msg[192];
};

/*
 * Whole lines, split by the decompression thread: data[0, len) holds
 * nlines lines, the i-th ending at ends[i] (its '\n', or len for a last
 * line without one).  After them the block may say why the stream stops.
 */
struct prs_zblock {
	char		*data;		/* PRS_ZBLOCK_CAP */
	uint32_t	*ends;		/* PRS_ZBLOCK_LINES */
	size_t		len, nlines;
	size_t		nul;		/* first NUL in data[0, len), or NO_NUL */
	uint64_t	off;		/* decompressed offset of data[0] */
	bool		eof;		/* the stream ends after these lines */
	bool		unterminated;	/* ... its last line without '\n' */
	bool		toolong;	/* a line longer than PRS_MAX_LINE follows them */
	bool		failed;		/* an error follows them: prs_input.zerr */
	void		*aux;		/* line_fn's record per line, when it ran */
	bool		have_aux;
};

struct prs_zring {
	pthread_t	thread;
	struct prs_handoff h;		/* of blk[] */
	char		*carry;		/* the thread's: bytes after a block's last line */
	prs_line_fn	line_fn;	/* set once by the reader, under h.lock */
	size_t		rec_size;
	struct prs_zblock *cur;		/* the consumer's block, NULL between blocks */
	size_t		line, pos;	/* next line of cur and its start */
	struct prs_zblock blk[PRS_ZBLOCKS];
};

struct prs_input {
	struct prs_reader	*r;
	int			fd;
	bool			zstd;
	bool			eof;		/* no more decompressed bytes will come */

	/* zstd: compressed bytes read but not yet consumed */
	ZSTD_DStream		*zds;
	unsigned char		*zbuf;
	size_t			zpos, zlen;
	uint64_t		zoff;		/* file offset of zbuf[0] */
	size_t			zlast;		/* last ZSTD_decompressStream() hint; 0 = frame complete */
	uint64_t		zout;		/* decompressed bytes so far */
	bool			zeof;		/* compressed input exhausted */
	struct prs_zerr		zerr;
	struct prs_zring	*ring;		/* NULL: decompression runs inline */

	/* decompressed bytes: [start, end) not yet returned as lines */
	char			*buf;
	size_t			cap, start, end;
	uint64_t		buf_off;	/* decompressed offset of buf[0] */

	/*
	 * NUL bytes are looked for once per chunk read, not once per line:
	 * nul_at is the index in buf of the first NUL in [start, end), or
	 * NO_NUL.
	 */
	size_t			nul_at;

	uint64_t		lineno;
	uint64_t		line_off;
	bool			unterminated;	/* the last line returned had no '\n' */
	bool			line_nul;	/* the last line returned holds a NUL */
	const void		*line_aux;	/* line_fn's record of the last line, or NULL */

	/* the text inside a container (unwrap.c); its bytes are read into scratch first */
	struct prs_unwrap	uw;
	char			*scratch;	/* PRS_CHUNK_SIZE, once a container is seen */
};

#define NO_NUL	SIZE_MAX

static bool zs_start(struct prs_input *in);
static void zs_stop(struct prs_input *in);

/* zstd frame magic 0xFD2FB528, and skippable frames 0x184D2A50..5F (LE). */
static bool prs_is_zstd_magic(const unsigned char *p, size_t n)
{
	if (n < 4)
		return false;
	if (p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return true;
	return (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

static ssize_t prs_read_full(int fd, void *buf, size_t size)
{
	size_t done = 0;

	while (done < size) {
		ssize_t n = read(fd, (char *)buf + done, size - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int prs_input_open(struct prs_reader *r, struct prs_input **out)
{
	struct prs_input *in;
	unsigned char head[4];
	ssize_t n;

	*out = NULL;
	in = calloc(1, sizeof(*in));
	if (!in)
		return prs_fail_file(r, PRS_ENOMEM, "%s", prs_strerror(PRS_ENOMEM));
	in->r = r;
	in->nul_at = NO_NUL;
	in->fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0) {
		int err = errno;

		free(in);
		return prs_fail_file(r, PRS_EOPEN, "cannot open: %s", strerror(err));
	}
	/* +1: room for the NUL that terminates a last line without '\n' */
	in->cap = PRS_MAX_LINE + PRS_CHUNK_SIZE + 1;
	in->buf = malloc(in->cap);
	if (!in->buf)
		goto nomem;

	n = pread(in->fd, head, sizeof(head), 0);
	if (n < 0) {
		prs_input_close(in);
		return prs_fail(r, PRS_EIO, false, 0, "%s", strerror(errno));
	}
	if (prs_is_zstd_magic(head, (size_t)n)) {
		in->zstd = true;
		in->zds = ZSTD_createDStream();
		in->zbuf = malloc(PRS_CHUNK_SIZE);
		if (!in->zds || !in->zbuf)
			goto nomem;
		ZSTD_initDStream(in->zds);
		/* a frame that was never started is not "truncated" */
		in->zlast = 0;
		zs_start(in);
	}
	*out = in;
	return 0;
nomem:
	prs_input_close(in);
	return prs_fail_file(r, PRS_ENOMEM, "%s", prs_strerror(PRS_ENOMEM));
}

bool prs_input_is_zstd(const struct prs_input *in)
{
	return in->zstd;
}

const struct prs_unwrap *prs_input_unwrap(const struct prs_input *in)
{
	return &in->uw;
}

/* read() up to room bytes of a plain file into dst; as zs_decompress(). */
static int plain_read(struct prs_input *in, char *dst, size_t room, size_t *got, bool *eof)
{
	ssize_t n;

	do {
		n = read(in->fd, dst, room);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		in->zerr.code = PRS_EIO;
		in->zerr.off = (uint64_t)lseek(in->fd, 0, SEEK_CUR);
		snprintf(in->zerr.msg, sizeof(in->zerr.msg), "%s", strerror(errno));
		return -1;
	}
	*got = (size_t)n;
	*eof = n == 0;
	return 0;
}

static int zs_decompress(struct prs_input *in, char *dst, size_t room, size_t *got, bool *eof);

static int raw_read(struct prs_input *in, char *dst, size_t room, size_t *got, bool *eof)
{
	return in->zstd ? zs_decompress(in, dst, room, got, eof) : plain_read(in, dst, room, got, eof);
}

/* 0, or -1 with in->zerr: the JSON string holds an escape JSON has not */
static int in_unwrap_ok(struct prs_input *in)
{
	if (!in->uw.bad_escapes)
		return 0;
	in->zerr.code = PRS_ECORRUPT;
	in->zerr.off = in->uw.bad_escape_at;
	snprintf(in->zerr.msg, sizeof(in->zerr.msg),
		 "an escape JSON does not have, in the systemTraceEvents string");
	return -1;
}

/*
 * The file's bytes (plain or decompressed) through the container filter:
 * up to room bytes of text into dst.  0 with *got > 0, or *got == 0 and
 * *eof at the end; -1 with the error in in->zerr.  The decompression
 * thread runs it for zstd, the reader for a plain file.
 */
static int in_read(struct prs_input *in, char *dst, size_t room, size_t *got, bool *eof)
{
	struct prs_unwrap *u = &in->uw;

	if (u->kind == PRS_WRAP_NONE)
		return raw_read(in, dst, room, got, eof);
	if (u->kind == PRS_WRAP_UNKNOWN) {
		size_t n = 0, text = 0;

		/* no state carried over yet: the filter may work in place, once it
		 * sees enough bytes past the white space to tell the kind */
		do {
			size_t k;

			if (raw_read(in, dst + n, room - n, &k, eof) < 0)
				return -1;
			for (size_t j = n; j < n + k; j++)
				text += !(dst[j] == ' ' || dst[j] == '\t' || dst[j] == '\n' || dst[j] == '\r');
			n += k;
		} while (!*eof && text > 0 && text < PRS_UNWRAP_SNIFF && n < room);
		*got = prs_unwrap(u, dst, n, *eof, dst);
		if (u->kind == PRS_WRAP_UNKNOWN || u->kind == PRS_WRAP_NONE || *got > 0 || *eof)
			return in_unwrap_ok(in);
	}
	if (!in->scratch && !(in->scratch = malloc(PRS_CHUNK_SIZE))) {
		in->zerr = (struct prs_zerr){ .code = PRS_ENOMEM, .msg = "out of memory" };
		return -1;
	}
	if (room <= PRS_UNWRAP_SLACK) {	/* the callers always leave a chunk's room */
		in->zerr = (struct prs_zerr){ .code = PRS_ELIMIT, .msg = "no room for a container's text" };
		return -1;
	}
	room -= PRS_UNWRAP_SLACK;
	if (room > PRS_CHUNK_SIZE)
		room = PRS_CHUNK_SIZE;
	do {	/* until some text comes, or the end: a page's script is dropped whole */
		size_t n;

		if (raw_read(in, in->scratch, room, &n, eof) < 0)
			return -1;
		*got = prs_unwrap(u, in->scratch, n, *eof, dst);
	} while (*got == 0 && !*eof && !u->bad_escapes);
	return in_unwrap_ok(in);
}

/* Append at least one byte to buf[end..], or set eof.  <0 on error. */
static int prs_fill_src(struct prs_input *in, size_t room)
{
	size_t got = 0;
	bool eof;

	if (in_read(in, in->buf + in->end, room, &got, &eof) < 0)
		return prs_fail(in->r, in->zerr.code, false, in->zerr.off, "%s", in->zerr.msg);
	in->end += got;
	if (eof)
		in->eof = true;
	return 0;
}

/*
 * Decompress up to room bytes into dst.  0 with *got > 0, or *got == 0 and
 * *eof at the end of the stream; -1 with the error in in->zerr.  Touches
 * only the zstd half of in: the decompression thread runs it.
 */
static int zs_decompress(struct prs_input *in, char *dst, size_t room, size_t *got, bool *eof)
{
	ZSTD_outBuffer ob = { dst, room, 0 };
	struct prs_zerr *err = &in->zerr;

	*eof = false;
	while (ob.pos == 0) {
		ZSTD_inBuffer ib;
		size_t ret;

		if (in->zpos == in->zlen) {
			ssize_t n;

			if (in->zeof) {
				/* zlast != 0: the last frame wanted more bytes */
				if (in->zlast != 0) {
					*err = (struct prs_zerr){ PRS_ECUT, in->zoff + in->zlen,
								  "zstd stream ends inside a frame" };
					return -1;
				}
				*eof = true;
				break;
			}
			in->zoff += in->zlen;
			n = prs_read_full(in->fd, in->zbuf, PRS_CHUNK_SIZE);
			if (n < 0) {
				err->code = PRS_EIO;
				err->off = in->zoff;
				snprintf(err->msg, sizeof(err->msg), "%s", strerror(errno));
				return -1;
			}
			in->zpos = 0;
			in->zlen = (size_t)n;
			if (n == 0) {
				in->zeof = true;
				continue;
			}
		}
		ib = (ZSTD_inBuffer){ in->zbuf, in->zlen, in->zpos };
		ret = ZSTD_decompressStream(in->zds, &ob, &ib);
		if (ZSTD_isError(ret)) {
			err->code = PRS_EZSTD;
			err->off = in->zoff + ib.pos;
			snprintf(err->msg, sizeof(err->msg), "zstd: %s (compressed offset)",
				 ZSTD_getErrorName(ret));
			return -1;
		}
		in->zpos = ib.pos;
		in->zlast = ret;
	}
	*got = ob.pos;
	in->zout += ob.pos;
	if (in->zout > PRS_ZBOMB_MIN && in->zout / PRS_ZBOMB_RATIO > in->zoff + in->zpos) {
		err->code = PRS_ELIMIT;
		err->off = in->zoff + in->zpos;
		snprintf(err->msg, sizeof(err->msg),
			 "zstd data expands more than %ux (%" PRIu64 " bytes from %" PRIu64 "): "
			 "no trace compresses so well (decompression bomb?)", PRS_ZBOMB_RATIO,
			 in->zout, in->zoff + in->zpos);
		return -1;
	}
	return 0;
}

/*
 * Fill one block with whole lines: what the previous block left after its
 * lines (kept in z->carry), then decompressed bytes, split at '\n' as they
 * come.  Runs in the decompression thread.
 */
static void zs_fill_block(struct prs_input *in, struct prs_zblock *b, size_t *carry, uint64_t *off)
{
	size_t len = *carry, start = 0, scan = 0, got;
	bool eof = false;

	memcpy(b->data, in->ring->carry, len);
	b->off = *off;
	b->nlines = 0;
	b->eof = b->unterminated = b->toolong = b->failed = false;
	for (;;) {
		char *nl;

		while (b->nlines < PRS_ZBLOCK_LINES &&
		       (nl = memchr(b->data + scan, '\n', len - scan)) != NULL) {
			if ((size_t)(nl - b->data) - start > PRS_MAX_LINE)
				break;
			b->ends[b->nlines++] = (uint32_t)(nl - b->data);
			start = scan = (size_t)(nl - b->data) + 1;
		}
		scan = len;
		/* what is left after the lines (it may hold more of them) goes to the next block */
		if (b->nlines == PRS_ZBLOCK_LINES || (b->nlines > 0 && len >= PRS_ZBLOCK_SIZE))
			break;
		if (len - start > PRS_MAX_LINE) {
			b->toolong = true;
			break;
		}
		if (eof) {
			if (len > start) {
				b->ends[b->nlines++] = (uint32_t)len;
				b->unterminated = true;
				start = len;
			}
			b->eof = true;
			break;
		}
		if (in_read(in, b->data + len, PRS_ZBLOCK_CAP - 1 - len, &got, &eof) < 0) {
			b->failed = true;
			break;
		}
		len += got;
	}
	/* the unfinished line goes to the next block */
	*carry = len - start;
	memcpy(in->ring->carry, b->data + start, *carry);
	b->len = start;
	*off += start;
	{
		const char *z = memchr(b->data, '\0', b->len);

		b->nul = z ? (size_t)(z - b->data) : NO_NUL;
	}
}

/*
 * The reader's per-line function on the block's lines, ahead of the
 * reader (it neither writes the lines nor reads reader state).
 */
static void zs_run_line_fn(struct prs_zblock *b, prs_line_fn fn, size_t rec)
{
	size_t start = 0;

	b->have_aux = false;
	if (!fn)
		return;
	if (!b->aux) {
		b->aux = malloc(PRS_ZBLOCK_LINES * rec);
		if (!b->aux)
			return;	/* the reader does it itself */
	}
	for (size_t i = 0; i < b->nlines; i++) {
		size_t end = b->ends[i], n = end - start;

		if (n > 0 && b->data[end - 1] == '\r')
			n--;	/* as prs_input_getline() hands it out */
		fn(b->data + start, n, (char *)b->aux + i * rec);
		start = end + 1;
	}
	b->have_aux = true;
}

/*
 * The decompression thread: decompresses and splits lines into the ring's
 * blocks while the reader parses the previous ones, so a .zst trace costs
 * about max(decompression, parsing) on two cores instead of their sum.
 */
static void *zs_thread(void *arg)
{
	struct prs_input *in = arg;
	struct prs_zring *z = in->ring;
	size_t carry = 0;
	uint64_t off = 0;

	int i;

	while ((i = prs_handoff_slot(&z->h)) >= 0) {
		struct prs_zblock *b = &z->blk[i];
		prs_line_fn fn;
		size_t rec;

		pthread_mutex_lock(&z->h.lock);
		fn = z->line_fn;
		rec = z->rec_size;
		pthread_mutex_unlock(&z->h.lock);

		zs_fill_block(in, b, &carry, &off);
		zs_run_line_fn(b, fn, rec);
		prs_handoff_publish(&z->h);
		if (b->failed || b->eof || b->toolong)
			break;
	}
	return NULL;
}

static void zs_free_ring(struct prs_zring *z)
{
	for (int i = 0; i < PRS_ZBLOCKS; i++) {
		free(z->blk[i].data);
		free(z->blk[i].ends);
		free(z->blk[i].aux);
	}
	free(z->carry);
	free(z);
}

/* Start the thread; false if it cannot be (then decompression runs inline). */
static bool zs_start(struct prs_input *in)
{
	struct prs_zring *z = calloc(1, sizeof(*z));

	if (!z)
		return false;
	z->carry = malloc(PRS_ZBLOCK_CAP);
	if (!z->carry) {
		zs_free_ring(z);
		return false;
	}
	for (int i = 0; i < PRS_ZBLOCKS; i++) {
		z->blk[i].data = malloc(PRS_ZBLOCK_CAP);
		z->blk[i].ends = malloc(PRS_ZBLOCK_LINES * sizeof(*z->blk[i].ends));
		if (!z->blk[i].data || !z->blk[i].ends) {
			zs_free_ring(z);
			return false;
		}
	}
	prs_handoff_init(&z->h, PRS_ZBLOCKS);
	in->ring = z;
	if (pthread_create(&z->thread, NULL, zs_thread, in) != 0) {
		in->ring = NULL;
		prs_handoff_destroy(&z->h);
		zs_free_ring(z);
		return false;
	}
	return true;
}

static void zs_stop(struct prs_input *in)
{
	struct prs_zring *z = in->ring;

	if (!z)
		return;
	prs_handoff_stop(&z->h);
	pthread_join(z->thread, NULL);
	prs_handoff_destroy(&z->h);
	zs_free_ring(z);
	in->ring = NULL;
}

/*
 * The end of the input: 0, or a cut-short error when it ends inside a
 * container's trace text (no "</script>", or the JSON string unclosed).
 */
static int in_end(struct prs_input *in)
{
	if (!prs_unwrap_in_block(&in->uw))
		return 0;
	return prs_fail(in->r, PRS_ECUT, true, in->lineno,
			"the file ends inside the trace text of its %s: cut short",
			prs_unwrap_name(in->uw.kind));
}

/* prs_input_getline() on the thread's blocks: no copy, no search. */
static int zs_getline(struct prs_input *in, char **line, size_t *len)
{
	struct prs_zring *z = in->ring;
	struct prs_zblock *b;

	for (;;) {
		if (!z->cur) {
			/* the thread ends the stream with a block of its own; only close stops it */
			int i = prs_handoff_take(&z->h);

			if (i < 0)
				return prs_fail(in->r, PRS_EIO, false, in->line_off, "decompression stopped");
			z->cur = &z->blk[i];
			z->line = z->pos = 0;
		}
		b = z->cur;
		if (z->line < b->nlines) {
			size_t start = z->pos, end = b->ends[z->line++], n = end - start;
			char *p = b->data + start;

			in->lineno++;
			in->line_off = b->off + start;
			in->line_aux = b->have_aux ? (char *)b->aux + (z->line - 1) * z->rec_size : NULL;
			in->unterminated = z->line == b->nlines && b->unterminated;
			in->line_nul = b->nul < end;
			if (in->line_nul) {	/* the next NUL, after this line */
				const char *nz = end + 1 < b->len ?
					memchr(b->data + end + 1, '\0', b->len - end - 1) : NULL;

				b->nul = nz ? (size_t)(nz - b->data) : NO_NUL;
			}
			z->pos = end + 1;
			if (n > 0 && p[n - 1] == '\r')
				n--;
			p[n] = '\0';	/* '\n', '\r' or the spare byte after an unterminated line */
			*line = p;
			*len = n;
			return 1;
		}
		if (b->failed)
			return prs_fail(in->r, in->zerr.code, false, in->zerr.off, "%s", in->zerr.msg);
		if (b->toolong)
			return prs_fail(in->r, PRS_ETOOLONG, true, in->lineno + 1,
					"line longer than %u bytes", PRS_MAX_LINE);
		if (b->eof) {
			in->eof = true;
			return in_end(in);
		}
		/* the lines handed out of it are no longer in use: its slot is free */
		z->cur = NULL;
		prs_handoff_release(&z->h);
	}
}

/* The first NUL in buf[from, end), or NO_NUL. */
static size_t prs_find_nul(const struct prs_input *in, size_t from)
{
	const char *z = from < in->end ? memchr(in->buf + from, '\0', in->end - from) : NULL;

	return z ? (size_t)(z - in->buf) : NO_NUL;
}

/* Make room (moving the unread tail to the front) and read more bytes. */
static int prs_fill(struct prs_input *in)
{
	size_t room, old_end;
	int ret;

	if (in->start > 0) {
		size_t keep = in->end - in->start;

		memmove(in->buf, in->buf + in->start, keep);
		if (in->nul_at != NO_NUL)
			in->nul_at -= in->start;
		in->buf_off += in->start;
		in->start = 0;
		in->end = keep;
	}
	room = in->cap - 1 - in->end;
	if (room > PRS_CHUNK_SIZE)
		room = PRS_CHUNK_SIZE;
	if (room == 0)
		return 0;
	old_end = in->end;
	ret = prs_fill_src(in, room);
	if (ret == 0 && in->nul_at == NO_NUL)
		in->nul_at = prs_find_nul(in, old_end);
	return ret;
}

int prs_input_getline(struct prs_input *in, char **line, size_t *len)
{
	size_t scanned = 0;	/* bytes of the current line already searched */

	if (in->ring)
		return in->eof ? in_end(in) : zs_getline(in, line, len);

	for (;;) {
		char *p = in->buf + in->start;
		size_t avail = in->end - in->start;
		char *nl = memchr(p + scanned, '\n', avail - scanned);
		size_t n;
		int ret;

		if (nl || (in->eof && avail > 0)) {
			n = nl ? (size_t)(nl - p) : avail;
			if (n > PRS_MAX_LINE)
				goto toolong;
			in->lineno++;
			in->unterminated = !nl;
			in->line_off = in->buf_off + in->start;
			in->line_nul = in->nul_at < in->start + n;
			in->start += n + (nl ? 1 : 0);
			if (in->line_nul)	/* the terminator written below is before start */
				in->nul_at = prs_find_nul(in, in->start);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			p[n] = '\0';	/* '\n', '\r' or the spare byte at the end */
			*line = p;
			*len = n;
			return 1;
		}
		if (in->eof)
			return in_end(in);
		if (avail > PRS_MAX_LINE)
			goto toolong;
		scanned = avail;
		ret = prs_fill(in);
		if (ret < 0)
			return ret;
	}
toolong:
	return prs_fail(in->r, PRS_ETOOLONG, true, in->lineno + 1,
			"line longer than %u bytes", PRS_MAX_LINE);
}

uint64_t prs_input_lineno(const struct prs_input *in)
{
	return in->lineno;
}

void prs_input_set_line_fn(struct prs_input *in, prs_line_fn fn, size_t rec_size)
{
	struct prs_zring *z = in->ring;

	if (!z)
		return;	/* no thread: the reader does the work itself */
	pthread_mutex_lock(&z->h.lock);
	z->line_fn = fn;
	z->rec_size = rec_size;
	pthread_mutex_unlock(&z->h.lock);
}

const void *prs_input_line_aux(const struct prs_input *in)
{
	return in->line_aux;
}

bool prs_input_line_has_nul(const struct prs_input *in)
{
	return in->line_nul;
}

bool prs_input_unterminated(const struct prs_input *in)
{
	return in->unterminated;
}

uint64_t prs_input_offset(const struct prs_input *in)
{
	return in->line_off;
}

void prs_input_close(struct prs_input *in)
{
	if (!in)
		return;
	zs_stop(in);
	if (in->fd >= 0)
		close(in->fd);
	if (in->zds)
		ZSTD_freeDStream(in->zds);
	free(in->zbuf);
	free(in->scratch);
	free(in->buf);
	free(in);
}
