// SPDX-License-Identifier: GPL-2.0-only
/*
 * Byte input for the text readers: a plain file or a zstd stream, and a
 * bounded line reader over one reusable buffer.
 *
 * Memory is bounded whatever the file holds: one read chunk of compressed
 * input and one line buffer of PRS_MAX_LINE plus a chunk.  A zstd bomb
 * therefore costs time, never memory.  The file is only ever read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "parsers-local.h"

#define PRS_CHUNK_SIZE	(256u * 1024)	/* one read() */

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
	bool			zeof;		/* compressed input exhausted */

	/* decompressed bytes: [start, end) not yet returned as lines */
	char			*buf;
	size_t			cap, start, end;
	uint64_t		buf_off;	/* decompressed offset of buf[0] */

	uint64_t		lineno;
	uint64_t		line_off;
	bool			unterminated;	/* the last line returned had no '\n' */
};

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

/* Append at least one byte to buf[end..], or set eof.  <0 on error. */
static int prs_fill_plain(struct prs_input *in, size_t room)
{
	ssize_t n;

	do {
		n = read(in->fd, in->buf + in->end, room);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return prs_fail(in->r, PRS_EIO, false, in->buf_off + in->end,
				"%s", strerror(errno));
	if (n == 0)
		in->eof = true;
	in->end += (size_t)n;
	return 0;
}

static int prs_fill_zstd(struct prs_input *in, size_t room)
{
	ZSTD_outBuffer ob = { in->buf + in->end, room, 0 };

	while (ob.pos == 0) {
		ZSTD_inBuffer ib;
		size_t ret;

		if (in->zpos == in->zlen) {
			ssize_t n;

			if (in->zeof) {
				/* zlast != 0: the last frame wanted more bytes */
				if (in->zlast != 0)
					return prs_fail(in->r, PRS_ETRUNCATED, false,
							in->zoff + in->zlen,
							"zstd stream ends inside a frame");
				in->eof = true;
				return 0;
			}
			in->zoff += in->zlen;
			n = prs_read_full(in->fd, in->zbuf, PRS_CHUNK_SIZE);
			if (n < 0)
				return prs_fail(in->r, PRS_EIO, false, in->zoff,
						"%s", strerror(errno));
			in->zpos = 0;
			in->zlen = (size_t)n;
			if (n == 0) {
				in->zeof = true;
				continue;
			}
		}
		ib = (ZSTD_inBuffer){ in->zbuf, in->zlen, in->zpos };
		ret = ZSTD_decompressStream(in->zds, &ob, &ib);
		if (ZSTD_isError(ret))
			return prs_fail(in->r, PRS_EZSTD, false, in->zoff + ib.pos,
					"zstd: %s (compressed offset)",
					ZSTD_getErrorName(ret));
		in->zpos = ib.pos;
		in->zlast = ret;
	}
	in->end += ob.pos;
	return 0;
}

/* Make room (moving the unread tail to the front) and read more bytes. */
static int prs_fill(struct prs_input *in)
{
	size_t room;

	if (in->start > 0) {
		size_t keep = in->end - in->start;

		memmove(in->buf, in->buf + in->start, keep);
		in->buf_off += in->start;
		in->start = 0;
		in->end = keep;
	}
	room = in->cap - 1 - in->end;
	if (room > PRS_CHUNK_SIZE)
		room = PRS_CHUNK_SIZE;
	if (room == 0)
		return 0;
	return in->zstd ? prs_fill_zstd(in, room) : prs_fill_plain(in, room);
}

int prs_input_getline(struct prs_input *in, char **line, size_t *len)
{
	size_t scanned = 0;	/* bytes of the current line already searched */

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
			in->start += n + (nl ? 1 : 0);
			if (n > 0 && p[n - 1] == '\r')
				n--;
			p[n] = '\0';	/* '\n', '\r' or the spare byte at the end */
			*line = p;
			*len = n;
			return 1;
		}
		if (in->eof)
			return 0;
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
	if (in->fd >= 0)
		close(in->fd);
	if (in->zds)
		ZSTD_freeDStream(in->zds);
	free(in->zbuf);
	free(in->buf);
	free(in);
}
