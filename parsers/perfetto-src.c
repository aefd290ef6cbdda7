// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bytes under a Perfetto trace: the file, a gzip stream, or one entry of
 * a zip archive (an Android bugreport), read as layers with bounded buffers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zstd.h>

#include "perfetto-local.h"

#define PF_BUF		(256u * 1024)

struct pf_in {
	struct pf_in	*lower;		/* NULL: the file region [raw_pos, raw_end) */
	int		fd;		/* of the bottom layer */
	uint64_t	raw_pos, raw_end;
	bool		inflating;
	bool		gzip;		/* gzip members may follow each other */
	bool		z_ended;	/* Z_STREAM_END seen and no more input */
	bool		z_cut;		/* input ended inside the deflate stream */
	z_stream	z;
	uint8_t		*in_buf;	/* inflating: compressed bytes from below */
	uint8_t		*buf;		/* this layer's bytes */
	size_t		pos, len;
	uint64_t	off;		/* bytes of this layer handed out */
	uint64_t	out_total, in_total;
	const char	*what;		/* "gzip", "zip entry" */
};

static void in_free(struct pf_in *in)
{
	while (in) {
		struct pf_in *lower = in->lower;

		if (in->inflating)
			inflateEnd(&in->z);
		if (!lower && in->fd >= 0)
			close(in->fd);
		free(in->in_buf);
		free(in->buf);
		free(in);
		in = lower;
	}
}

void pf_in_close(struct pf_in *in)
{
	in_free(in);
}

static struct pf_in *in_region(int fd, uint64_t start, uint64_t end)
{
	struct pf_in *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->buf = malloc(PF_BUF);
	if (!in->buf) {
		free(in);
		return NULL;
	}
	in->fd = fd;
	in->raw_pos = start;
	in->raw_end = end;
	return in;
}

/* zlib over @lower: windowbits -15 raw deflate, 15 + 32 zlib or gzip (detected) */
static struct pf_in *in_inflate(struct pf_in *lower, int windowbits, const char *what)
{
	struct pf_in *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->buf = malloc(PF_BUF);
	in->in_buf = malloc(PF_BUF);
	if (!in->buf || !in->in_buf || inflateInit2(&in->z, windowbits) != Z_OK) {
		free(in->buf);
		free(in->in_buf);
		free(in);
		return NULL;
	}
	in->inflating = true;
	in->gzip = windowbits > 15;
	in->lower = lower;
	in->fd = -1;
	in->what = what;
	return in;
}

static int in_fill(struct prs_reader *r, struct pf_in *in)
{
	in->pos = in->len = 0;
	if (!in->inflating) {
		size_t want = PF_BUF;
		ssize_t got;

		if (in->raw_end - in->raw_pos < want)
			want = (size_t)(in->raw_end - in->raw_pos);
		if (!want)
			return 0;
		do {
			got = pread(in->fd, in->buf, want, (off_t)in->raw_pos);
		} while (got < 0 && errno == EINTR);
		if (got < 0)
			return prs_fail(r, PRS_EIO, false, in->off, "%s", strerror(errno));
		in->raw_pos += (uint64_t)got;
		in->len = (size_t)got;
		if (!got)	/* the file shrank under us */
			in->raw_end = in->raw_pos;
		return 0;
	}
	while (!in->len && !in->z_ended) {
		int zr;

		if (!in->z.avail_in) {
			ssize_t got = pf_in_read(r, in->lower, in->in_buf, PF_BUF);

			if (got < 0)
				return (int)got;
			if (!got) {
				in->z_cut = true;
				in->z_ended = true;
				return 0;
			}
			in->z.next_in = in->in_buf;
			in->z.avail_in = (uInt)got;
			in->in_total += (uint64_t)got;
		}
		in->z.next_out = in->buf;
		in->z.avail_out = PF_BUF;
		zr = inflate(&in->z, Z_NO_FLUSH);
		in->len = PF_BUF - in->z.avail_out;
		in->out_total += in->len;
		if (zr == Z_STREAM_END) {
			/* gzip: another member may follow (cat a.gz b.gz) */
			if (in->gzip && (in->z.avail_in || pf_in_read(r, in->lower, NULL, 0) > 0)) {
				inflateReset(&in->z);
			} else {
				in->z_ended = true;
			}
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			return prs_fail(r, PRS_ECORRUPT, false, in->off + in->len,
					"%s data is damaged (zlib: %s)", in->what,
					in->z.msg ? in->z.msg : "inflate failed");
		}
		if (in->out_total > PF_BOMB_FLOOR && in->out_total / PF_BOMB_RATIO > in->in_total)
			return prs_fail(r, PRS_ELIMIT, false, in->off + in->len,
					"%s expands more than %ux: a decompression bomb", in->what,
					PF_BOMB_RATIO);
	}
	return 0;
}

/* @dst NULL and @n 0: 1 if a byte is left, 0 at the end (a peek) */
ssize_t pf_in_read(struct prs_reader *r, struct pf_in *in, void *dst, size_t n)
{
	size_t done = 0;

	if (!dst) {
		if (in->pos == in->len) {
			int ret = in_fill(r, in);

			if (ret < 0)
				return ret;
		}
		return in->pos < in->len;
	}
	while (done < n) {
		size_t k;

		if (in->pos == in->len) {
			int ret = in_fill(r, in);

			if (ret < 0)
				return ret;
			if (!in->len)
				break;
		}
		k = in->len - in->pos;
		if (k > n - done)
			k = n - done;
		memcpy((uint8_t *)dst + done, in->buf + in->pos, k);
		in->pos += k;
		in->off += k;
		done += k;
	}
	return (ssize_t)done;
}

int pf_in_skip(struct prs_reader *r, struct pf_in *in, uint64_t n)
{
	while (n) {
		size_t k;

		if (in->pos == in->len) {
			int ret;

			if (!in->inflating && !in->lower) {
				/* a plain region: seek instead of reading */
				uint64_t left = in->raw_end - in->raw_pos;

				if (n > left) {
					in->off += left;
					in->raw_pos = in->raw_end;
					return 1;
				}
				in->raw_pos += n;
				in->off += n;
				return 0;
			}
			ret = in_fill(r, in);
			if (ret < 0)
				return ret;
			if (!in->len)
				return 1;
		}
		k = in->len - in->pos;
		if (k > n)
			k = (size_t)n;
		in->pos += k;
		in->off += k;
		n -= k;
	}
	return 0;
}

uint64_t pf_in_offset(const struct pf_in *in)
{
	return in->off;
}

bool pf_in_cut(const struct pf_in *in)
{
	for (; in; in = in->lower)
		if (in->z_cut)
			return true;
	return false;
}

/* ---- recognizing a trace ------------------------------------------------- */

/* TracePacket fields a trace's first packet usually holds */
static bool pf_packet_field(uint32_t id)
{
	switch (id) {
	case 1: case 2: case 3: case 6: case 7: case 8: case 9: case 10: case 12: case 13:
	case 33: case 34: case 35: case 36: case 41: case 42: case 43: case 44: case 45:
	case 50: case 58: case 59: case 60: case 69: case 76: case 79: case 87: case 89: case 133:
		return true;
	default:
		return false;
	}
}

bool pf_looks_like_trace(const uint8_t *p, size_t n)
{
	struct pb c = { p, p + n }, pkt;
	struct pb_field f;
	const char *why;
	uint64_t tag, len;
	bool known = false, binary = false;
	int ret, fields = 0;

	if (pb_varint(&c, &tag) || tag != ((1u << 3) | PB_LEN) || pb_varint(&c, &len) || !len ||
	    len > PF_MAX_PACKET)
		return false;
	pkt.p = c.p;
	pkt.end = len < (uint64_t)(c.end - c.p) ? c.p + len : c.end;
	for (const uint8_t *b = pkt.p; b < pkt.end && b < pkt.p + 64; b++)
		if (*b < 0x09 || *b >= 0x80)
			binary = true;
	while ((ret = pb_next(&pkt, &f, &why)) > 0) {
		fields++;
		if (pf_packet_field(f.id))
			known = true;
	}
	/* a packet cut by the end of the head is fine; damage before it is not */
	if (ret < 0 && len <= (uint64_t)(c.end - c.p))
		return false;
	return known && binary && fields > 0;
}

/* ---- zip archives -------------------------------------------------------- */

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static int pread_all(struct prs_reader *r, int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t got = pread(fd, (uint8_t *)buf + done, n - done, (off_t)(off + done));

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return prs_fail(r, PRS_EIO, false, off, "%s", strerror(errno));
		if (!got)
			return prs_fail(r, PRS_ETRUNCATED, false, off + done,
					"zip archive ends inside its directory");
		done += (size_t)got;
	}
	return 0;
}

struct zip_ent {
	uint64_t	csize, usize, lho;
	uint16_t	method, flags;
	char		name[256];
};

/* The source of one entry's data: stored, or raw deflate; then gzip inside, if so. */
static int zip_entry_src(struct prs_reader *r, int fd, uint64_t size, uint64_t cd_off,
			 const struct zip_ent *e, struct pf_in **out)
{
	uint8_t lh[30];
	uint64_t data;
	struct pf_in *in, *top;
	int ret;

	*out = NULL;
	if (e->lho > cd_off || cd_off - e->lho < sizeof(lh))
		return prs_fail(r, PRS_ECORRUPT, false, e->lho, "zip entry %s: local header offset "
				"outside the archive", e->name);
	ret = pread_all(r, fd, lh, sizeof(lh), e->lho);
	if (ret < 0)
		return ret;
	if (rd32(lh) != 0x04034b50)
		return prs_fail(r, PRS_ECORRUPT, false, e->lho, "zip entry %s: no local header there",
				e->name);
	data = e->lho + sizeof(lh) + rd16(lh + 26) + rd16(lh + 28);
	if (data > cd_off || e->csize > cd_off - data)
		return prs_fail(r, PRS_ECORRUPT, false, e->lho, "zip entry %s: %llu bytes of data run "
				"past the archive's directory", e->name, (unsigned long long)e->csize);
	if (e->flags & 1)
		return prs_fail(r, PRS_EUNSUPPORTED, false, e->lho, "zip entry %s is encrypted", e->name);
	if (e->method != 0 && e->method != 8)
		return prs_fail(r, PRS_EUNSUPPORTED, false, e->lho, "zip entry %s: compression method "
				"%u (only stored and deflate are read)", e->name, e->method);
	(void)size;
	in = in_region(fd, data, data + e->csize);
	if (!in)
		return -PRS_ENOMEM;
	in->fd = dup(fd);
	if (in->fd < 0) {
		free(in->buf);
		free(in);
		return -PRS_ENOMEM;
	}
	top = in;
	if (e->method == 8) {
		top = in_inflate(in, -15, "zip entry");
		if (!top) {
			in_free(in);
			return -PRS_ENOMEM;
		}
	}
	*out = top;
	return 0;
}

/* What the first bytes of @in are: 1 a Perfetto trace, 2 gzip, 0 neither, <0 error. */
static int head_kind(struct prs_reader *r, struct pf_in *in)
{
	ssize_t got;

	if (in->pos == in->len) {
		int ret = in_fill(r, in);

		if (ret < 0)
			return ret;
	}
	/* the head stays in the buffer: in_fill() gives PF_BUF bytes when there are that many */
	got = (ssize_t)(in->len - in->pos);
	if (got >= 2 && in->buf[in->pos] == 0x1f && in->buf[in->pos + 1] == 0x8b)
		return 2;
	if (got > 0 && pf_looks_like_trace(in->buf + in->pos, (size_t)got))
		return 1;
	return 0;
}

/* @in with gzip peeled off until a trace shows: 0 with *out, 1 not a trace, <0 error */
static int peel(struct prs_reader *r, struct pf_in *in, struct pf_in **out, int depth)
{
	int k = head_kind(r, in);

	*out = NULL;
	if (k < 0)
		return k;
	if (k == 1) {
		*out = in;
		return 0;
	}
	if (k == 2 && depth < 2) {
		struct pf_in *gz = in_inflate(in, 15 + 16, "gzip stream");

		if (!gz)
			return -PRS_ENOMEM;
		k = peel(r, gz, out, depth + 1);
		if (k != 0) {
			gz->lower = NULL;	/* the caller frees @in */
			in_free(gz);
		}
		return k;
	}
	return 1;
}

static bool zip_hinted(const char *name)
{
	size_t n = strlen(name);

	return strcasestr(name, "perfetto") || (n > 8 && !strcasecmp(name + n - 8, ".pftrace"));
}

static int zip_open(struct prs_reader *r, int fd, uint64_t size, struct pf_in **out)
{
	uint8_t tail[65557], *eocd = NULL, fix[46];
	size_t tn = size < sizeof(tail) ? (size_t)size : sizeof(tail);
	uint64_t eocd_off, cd_off, cd_size, entries, pos;
	struct zip_ent e;
	int ret, pass;
	uint64_t checked = 0;

	*out = NULL;
	ret = pread_all(r, fd, tail, tn, size - tn);
	if (ret < 0)
		return ret;
	for (size_t i = tn >= 22 ? tn - 22 + 1 : 0; i-- > 0;) {
		if (rd32(tail + i) == 0x06054b50 && i + 22 + rd16(tail + i + 20) <= tn) {
			eocd = tail + i;
			break;
		}
	}
	if (!eocd)
		return prs_fail(r, PRS_ECORRUPT, false, size, "zip archive without its end of "
				"central directory record");
	eocd_off = size - tn + (uint64_t)(eocd - tail);
	entries = rd16(eocd + 10);
	cd_size = rd32(eocd + 12);
	cd_off = rd32(eocd + 16);
	if (entries == 0xffff || cd_size == 0xffffffffu || cd_off == 0xffffffffu) {
		/* zip64: the locator sits 20 bytes before the record */
		uint8_t loc[20], z64[56];
		uint64_t z64_off;

		if (eocd_off < 20)
			return prs_fail(r, PRS_ECORRUPT, false, eocd_off, "zip64 archive without its locator");
		ret = pread_all(r, fd, loc, sizeof(loc), eocd_off - 20);
		if (ret < 0)
			return ret;
		z64_off = rd64(loc + 8);
		if (rd32(loc) != 0x07064b50 || z64_off > eocd_off - 20 || eocd_off - 20 - z64_off < 56)
			return prs_fail(r, PRS_ECORRUPT, false, eocd_off - 20, "zip64 locator damaged");
		ret = pread_all(r, fd, z64, sizeof(z64), z64_off);
		if (ret < 0)
			return ret;
		if (rd32(z64) != 0x06064b50)
			return prs_fail(r, PRS_ECORRUPT, false, z64_off, "zip64 end record damaged");
		entries = rd64(z64 + 32);
		cd_size = rd64(z64 + 40);
		cd_off = rd64(z64 + 48);
		eocd_off = z64_off;
	}
	if (cd_off > eocd_off || cd_size > eocd_off - cd_off)
		return prs_fail(r, PRS_ECORRUPT, false, eocd_off, "zip central directory (%llu bytes "
				"at %llu) outside the archive", (unsigned long long)cd_size,
				(unsigned long long)cd_off);
	if (entries > PF_MAX_ZIP_ENTRIES)
		return prs_fail(r, PRS_ELIMIT, false, eocd_off, "zip archive claims %llu entries",
				(unsigned long long)entries);
	/* pass 0: entries named like a Perfetto trace; pass 1: the others */
	for (pass = 0; pass < 2; pass++) {
		pos = cd_off;
		for (uint64_t i = 0; i < entries; i++) {
			uint16_t nlen, xlen, clen;
			struct pf_in *src, *top;

			if (cd_off + cd_size - pos < sizeof(fix))
				return prs_fail(r, PRS_ECORRUPT, false, pos, "zip central directory ends "
						"inside entry %llu", (unsigned long long)i);
			ret = pread_all(r, fd, fix, sizeof(fix), pos);
			if (ret < 0)
				return ret;
			if (rd32(fix) != 0x02014b50)
				return prs_fail(r, PRS_ECORRUPT, false, pos, "zip central directory entry "
						"%llu damaged", (unsigned long long)i);
			nlen = rd16(fix + 28);
			xlen = rd16(fix + 30);
			clen = rd16(fix + 32);
			if (cd_off + cd_size - pos - sizeof(fix) < (uint64_t)nlen + xlen + clen)
				return prs_fail(r, PRS_ECORRUPT, false, pos, "zip central directory entry "
						"%llu runs past the directory", (unsigned long long)i);
			memset(&e, 0, sizeof(e));
			e.flags = rd16(fix + 8);
			e.method = rd16(fix + 10);
			e.csize = rd32(fix + 20);
			e.usize = rd32(fix + 24);
			e.lho = rd32(fix + 42);
			ret = pread_all(r, fd, e.name, nlen < sizeof(e.name) - 1 ? nlen :
					sizeof(e.name) - 1, pos + sizeof(fix));
			if (ret < 0)
				return ret;
			if (xlen && (e.csize == 0xffffffffu || e.usize == 0xffffffffu ||
				     e.lho == 0xffffffffu)) {
				uint8_t x[256];
				size_t xn = xlen < sizeof(x) ? xlen : sizeof(x);

				ret = pread_all(r, fd, x, xn, pos + sizeof(fix) + nlen);
				if (ret < 0)
					return ret;
				for (size_t k = 0; k + 4 <= xn;) {
					uint16_t id = rd16(x + k), sz = rd16(x + k + 2);
					size_t q = k + 4;

					if (q + sz > xn)
						break;
					if (id == 1) {
						if (e.usize == 0xffffffffu && q + 8 <= k + 4 + sz)
							e.usize = rd64(x + q), q += 8;
						if (e.csize == 0xffffffffu && q + 8 <= k + 4 + sz)
							e.csize = rd64(x + q), q += 8;
						if (e.lho == 0xffffffffu && q + 8 <= k + 4 + sz)
							e.lho = rd64(x + q);
					}
					k += 4 + sz;
				}
			}
			pos += sizeof(fix) + nlen + xlen + clen;
			if (zip_hinted(e.name) != (pass == 0) || !e.csize ||
			    (nlen && e.name[strlen(e.name) - 1] == '/'))
				continue;
			if (pass == 1 && ++checked > 4096)
				break;
			ret = zip_entry_src(r, fd, size, cd_off, &e, &src);
			if (ret < 0)
				return ret;
			ret = peel(r, src, &top, 0);
			if (ret == 0) {
				char what[300];

				snprintf(what, sizeof(what), "zip entry %s", e.name);
				free(r->container);
				r->container = strdup(what);
				*out = top;
				return 0;
			}
			in_free(src);
			if (ret < 0) {
				/* a damaged entry that is not ours: try the next one */
				r->err = 0;
				r->errmsg[0] = '\0';
			}
		}
	}
	return prs_fail(r, PRS_EFORMAT, false, 0, "zip archive without a Perfetto trace among its "
			"%llu entries", (unsigned long long)entries);
}

int pf_in_open(struct prs_reader *r, const uint8_t *head, size_t n, struct pf_in **out)
{
	struct stat st;
	struct pf_in *in, *top;
	int fd, ret;

	*out = NULL;
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return prs_fail_file(r, PRS_EOPEN, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		close(fd);
		return prs_fail_file(r, PRS_EIO, "%s", strerror(errno));
	}
	if (n >= 4 && rd32(head) == 0x04034b50) {
		ret = zip_open(r, fd, (uint64_t)st.st_size, out);
		close(fd);
		return ret;
	}
	in = in_region(fd, 0, (uint64_t)st.st_size);
	if (!in) {
		close(fd);
		return -PRS_ENOMEM;
	}
	ret = peel(r, in, &top, 0);
	if (ret) {
		in_free(in);
		return ret < 0 ? ret : prs_fail(r, PRS_EFORMAT, false, 0, "gzip-compressed data "
						"that is not a Perfetto trace (a text trace: gunzip it "
						"first)");
	}
	if (top != in) {
		free(r->container);
		r->container = strdup("gzip");
	}
	*out = top;
	return 0;
}

/* ---- whole compressed packets -------------------------------------------- */

static int grow(uint8_t **out, size_t *cap, size_t need)
{
	size_t c = *cap ? *cap : 65536;
	uint8_t *p;

	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	p = realloc(*out, c);
	if (!p)
		return -1;
	*out = p;
	*cap = c;
	return 0;
}

/*
 * libdeflate decompresses a whole buffer 2-3x faster than zlib's inflate()
 * (adler32 and the gzip CRC still checked); the output size is not known in
 * advance, so a buffer too small is doubled, up to the limit, and the
 * packet decompressed again (the caller keeps the buffer between packets).
 */
int pf_inflate_all(const uint8_t *src, size_t len, uint8_t **out, size_t *cap, size_t limit,
		   size_t *out_len, const char **why)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	enum libdeflate_result res;
	size_t in_used = 0;
	int ret = 0;

	*out_len = 0;
	if (!d)
		return -PRS_ENOMEM;
	if (!*cap && grow(out, cap, 65536)) {
		libdeflate_free_decompressor(d);
		return -PRS_ENOMEM;
	}
	for (;;) {
		/* Perfetto writes zlib (deflateInit); gzip and raw deflate are read too */
		if (len >= 2 && src[0] == 0x1f && src[1] == 0x8b)
			res = libdeflate_gzip_decompress_ex(d, src, len, *out, *cap, &in_used, out_len);
		else if (len >= 2 && (src[0] & 0x0f) == 8 && ((src[0] << 8) | src[1]) % 31 == 0)
			res = libdeflate_zlib_decompress_ex(d, src, len, *out, *cap, &in_used, out_len);
		else
			res = libdeflate_deflate_decompress_ex(d, src, len, *out, *cap, &in_used, out_len);
		if (res != LIBDEFLATE_INSUFFICIENT_SPACE)
			break;
		if (*cap >= limit) {
			*why = "compressed packets expand beyond the " PF_STR(PF_MAX_INFLATED_MIB)
			       " MiB limit: a decompression bomb";
			ret = -PRS_ELIMIT;
			goto out;
		}
		if (grow(out, cap, *cap * 2 < limit ? *cap * 2 : limit)) {
			ret = -PRS_ENOMEM;
			goto out;
		}
	}
	if (res != LIBDEFLATE_SUCCESS) {
		*why = res == LIBDEFLATE_SHORT_OUTPUT ? "compressed packets end inside their deflate stream"
						      : "compressed packets are damaged (deflate data)";
		ret = -PRS_ECORRUPT;
	} else if (in_used != len) {
		*why = "compressed packets are damaged (bytes after their deflate stream)";
		ret = -PRS_ECORRUPT;
	}
out:
	libdeflate_free_decompressor(d);
	if (ret)
		*out_len = 0;
	return ret;
}

int pf_unzstd_all(const uint8_t *src, size_t len, uint8_t **out, size_t *cap, size_t limit,
		  size_t *out_len, const char **why)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer in = { src, len, 0 };
	size_t done = 0, zr = 1;
	int ret = 0;

	*out_len = 0;
	if (!z)
		return -PRS_ENOMEM;
	ZSTD_initDStream(z);
	while (in.pos < in.size || zr) {
		ZSTD_outBuffer ob;

		if (done == *cap && grow(out, cap, done + 1)) {
			ret = -PRS_ENOMEM;
			break;
		}
		ob = (ZSTD_outBuffer){ *out, *cap, done };
		zr = ZSTD_decompressStream(z, &ob, &in);
		done = ob.pos;
		if (ZSTD_isError(zr)) {
			*why = "zstd compressed packets are damaged";
			ret = -PRS_ECORRUPT;
			break;
		}
		if (done >= limit) {
			*why = "zstd compressed packets expand beyond the " PF_STR(PF_MAX_INFLATED_MIB)
			       " MiB limit: a decompression bomb";
			ret = -PRS_ELIMIT;
			break;
		}
		if (in.pos == in.size && zr && ob.pos < ob.size) {
			*why = "zstd compressed packets end inside a frame";
			ret = -PRS_ECORRUPT;
			break;
		}
	}
	ZSTD_freeDStream(z);
	*out_len = done;
	return ret;
}
