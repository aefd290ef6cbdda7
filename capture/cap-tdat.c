// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.dat version 7 writer, zstd-compressed sections.
 *
 * Written from man 5 trace-cmd.dat.v7 and checked against what trace-cmd
 * 3.1 reads (lib/trace-cmd/trace-input.c):
 *
 *   header:  17 08 44 "tracing" "7\0" endian long_size page_size(u32)
 *            "zstd\0" "<version>\0" options_offset(u64)
 *   section: id(u16) flags(u16) description(u32, offset into the strings
 *            section) size(u64, bytes after this field); a compressed
 *            section holds csize(u32) usize(u32) zstd-frame.
 *   flyrecord (BUFFER) section: per CPU, at a page-aligned file offset,
 *            chunks(u32) then per chunk csize(u32) usize(u32) frame, each
 *            chunk PAGES_IN_CHUNK ring-buffer pages.
 *
 * The reader finds the strings by walking every section header from the
 * end of the file header to EOF, so sections are written back to back, and
 * the strings section goes last.  We write one options section, after the
 * data, holding every option (trace-cmd writes two; one is enough).
 */
/* paths and names are cut to their buffers on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "capture.h"

#define PAGES_IN_CHUNK	10	/* as trace-cmd: trace-output.c */
#define SEC_FL_COMPRESS	1

struct cap_tdat {
	int		fd;
	uint64_t	pos;		/* current end of file */
	uint32_t	page_size;
	int		zlevel;
	uint64_t	options_ptr;	/* file offset of the u64 options offset in the header */
	ZSTD_CCtx	*zc;
	struct cap_buf	options;	/* option records, DONE excluded */
	struct cap_buf	strings;
};

/* ---- buffers ------------------------------------------------------------ */

int cap_buf_add(struct cap_buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *d;

		while (cap < b->len + n)
			cap *= 2;
		d = realloc(b->data, cap);
		if (!d)
			return -CAP_ENOMEM;
		b->data = d;
		b->cap = cap;
	}
	if (n && p)
		memcpy(b->data + b->len, p, n);
	else if (n)
		memset(b->data + b->len, 0, n);
	b->len += n;
	return 0;
}

/* Numbers are written in host byte order; the header says which. */
int cap_buf_add_u16(struct cap_buf *b, uint16_t v) { return cap_buf_add(b, &v, 2); }
int cap_buf_add_u32(struct cap_buf *b, uint32_t v) { return cap_buf_add(b, &v, 4); }
int cap_buf_add_u64(struct cap_buf *b, uint64_t v) { return cap_buf_add(b, &v, 8); }
int cap_buf_add_str(struct cap_buf *b, const char *s) { return cap_buf_add(b, s, strlen(s) + 1); }

/* tracefs files report size 0: read to EOF. */
int cap_buf_add_file(struct cap_buf *b, const char *path, size_t *len)
{
	char tmp[65536];
	size_t start = b->len;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -CAP_EIO;
	for (;;) {
		r = read(fd, tmp, sizeof(tmp));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (cap_buf_add(b, tmp, (size_t)r)) {
			close(fd);
			return -CAP_ENOMEM;
		}
	}
	close(fd);
	if (r < 0) {
		b->len = start;
		return -CAP_EIO;
	}
	if (len)
		*len = b->len - start;
	return 0;
}

void cap_buf_free(struct cap_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- low-level writes ---------------------------------------------------- */

static int wr(struct cap_tdat *w, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t r = write(w->fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -CAP_EIO;
		c += r;
		n -= (size_t)r;
		w->pos += (uint64_t)r;
	}
	return 0;
}

static int pwr(struct cap_tdat *w, const void *p, size_t n, uint64_t off)
{
	if (pwrite(w->fd, p, n, (off_t)off) != (ssize_t)n)
		return -CAP_EIO;
	return 0;
}

static uint32_t add_string(struct cap_tdat *w, const char *s)
{
	uint32_t off = (uint32_t)w->strings.len;

	if (cap_buf_add_str(&w->strings, s))
		return (uint32_t)-1;
	return off;
}

/* Compress @in into @out as one zstd frame; returns the frame size or 0. */
static size_t zframe(struct cap_tdat *w, const void *in, size_t n, struct cap_buf *out)
{
	size_t bound = ZSTD_compressBound(n), r;

	out->len = 0;
	if (out->cap < bound && cap_buf_add(out, NULL, bound))
		return 0;
	out->len = 0;
	r = ZSTD_compressCCtx(w->zc, out->data, out->cap, in, n, w->zlevel);
	if (ZSTD_isError(r))
		return 0;
	return r;
}

/*
 * One metadata section: header, then the payload (compressed as one block
 * when the file is compressed).  @opt_id != 0 adds the option pointing to it.
 */
static int write_section_id(struct cap_tdat *w, uint16_t id, uint16_t opt_id, uint32_t d,
			    const void *data, size_t len, bool compress)
{
	struct cap_buf z = { 0 };
	uint64_t start = w->pos, size;
	uint16_t flags = (compress && w->zc) ? SEC_FL_COMPRESS : 0;
	size_t zl = 0;
	int ret;

	if (d == (uint32_t)-1)
		return -CAP_ENOMEM;
	if (flags) {
		zl = zframe(w, data, len, &z);
		if (!zl) {
			cap_buf_free(&z);
			return -CAP_EZSTD;
		}
		size = 8 + zl;
	} else {
		size = len;
	}
	ret = wr(w, &id, 2);
	if (!ret) ret = wr(w, &flags, 2);
	if (!ret) ret = wr(w, &d, 4);
	if (!ret) ret = wr(w, &size, 8);
	if (!ret && flags) {
		uint32_t c32 = (uint32_t)zl, u32 = (uint32_t)len;

		ret = wr(w, &c32, 4);
		if (!ret) ret = wr(w, &u32, 4);
		if (!ret) ret = wr(w, z.data, zl);
	} else if (!ret) {
		ret = wr(w, data, len);
	}
	cap_buf_free(&z);
	if (!ret && opt_id)
		ret = cap_tdat_option(w, opt_id, &start, 8);
	return ret;
}

static int write_section(struct cap_tdat *w, uint16_t id, uint16_t opt_id, const char *desc,
			 const void *data, size_t len, bool compress)
{
	return write_section_id(w, id, opt_id, add_string(w, desc), data, len, compress);
}

/* ---- public API ------------------------------------------------------------ */

int cap_tdat_create(int fd, uint32_t page_size, int zlevel, struct cap_tdat **out)
{
	static const char magic[10] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	const uint16_t one = 1;
	struct cap_tdat *w;
	uint8_t b;
	uint64_t zero = 0;
	int ret;

	*out = NULL;
	if (page_size < 4096 || (page_size & (page_size - 1)))
		return -CAP_EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -CAP_ENOMEM;
	w->fd = fd;
	w->page_size = page_size;
	w->zlevel = zlevel;
	if (zlevel > 0) {
		w->zc = ZSTD_createCCtx();
		if (!w->zc) {
			free(w);
			return -CAP_ENOMEM;
		}
		/* as trace-cmd: frames without a content size */
		ZSTD_CCtx_setParameter(w->zc, ZSTD_c_contentSizeFlag, 0);
	}
	ret = wr(w, magic, sizeof(magic));
	if (!ret) ret = wr(w, "7", 2);
	b = *(const uint8_t *)&one ? 0 : 1;	/* 0 little endian, 1 big */
	if (!ret) ret = wr(w, &b, 1);
	b = sizeof(long);
	if (!ret) ret = wr(w, &b, 1);
	if (!ret) ret = wr(w, &page_size, 4);
	if (w->zc) {
		const char *v = ZSTD_versionString();

		if (!ret) ret = wr(w, "zstd", 5);
		if (!ret) ret = wr(w, v, strlen(v) + 1);
	} else {
		if (!ret) ret = wr(w, "none", 5);
		if (!ret) ret = wr(w, "", 1);
	}
	w->options_ptr = w->pos;
	if (!ret) ret = wr(w, &zero, 8);
	if (ret) {
		cap_tdat_abort(w);
		return ret;
	}
	*out = w;
	return 0;
}

int cap_tdat_option(struct cap_tdat *w, uint16_t id, const void *data, uint32_t len)
{
	int ret = cap_buf_add_u16(&w->options, id);

	if (!ret) ret = cap_buf_add_u32(&w->options, len);
	if (!ret) ret = cap_buf_add(&w->options, data, len);
	return ret;
}

int cap_tdat_option_str(struct cap_tdat *w, uint16_t id, const char *s)
{
	return cap_tdat_option(w, id, s, (uint32_t)strlen(s) + 1);
}

int cap_tdat_headers(struct cap_tdat *w, const char *header_page, size_t hp_len,
		     const char *header_event, size_t he_len)
{
	struct cap_buf b = { 0 };
	int ret;

	ret = cap_buf_add(&b, "header_page", 12);
	if (!ret) ret = cap_buf_add_u64(&b, hp_len);
	if (!ret) ret = cap_buf_add(&b, header_page, hp_len);
	if (!ret) ret = cap_buf_add(&b, "header_event", 13);
	if (!ret) ret = cap_buf_add_u64(&b, he_len);
	if (!ret) ret = cap_buf_add(&b, header_event, he_len);
	if (!ret)
		ret = write_section(w, CAP_TD_OPT_HEADER_INFO, CAP_TD_OPT_HEADER_INFO, "headers",
				    b.data, b.len, true);
	cap_buf_free(&b);
	return ret;
}

static int add_formats(struct cap_buf *b, int nr, char *const fmt[], const size_t len[])
{
	int ret = cap_buf_add_u32(b, (uint32_t)nr);

	for (int i = 0; !ret && i < nr; i++) {
		ret = cap_buf_add_u64(b, len[i]);
		if (!ret) ret = cap_buf_add(b, fmt[i], len[i]);
	}
	return ret;
}

int cap_tdat_ftrace_formats(struct cap_tdat *w, int nr, char *const fmt[], const size_t len[])
{
	struct cap_buf b = { 0 };
	int ret = add_formats(&b, nr, fmt, len);

	if (!ret)
		ret = write_section(w, CAP_TD_OPT_FTRACE_EVENTS, CAP_TD_OPT_FTRACE_EVENTS,
				    "ftrace events", b.data, b.len, true);
	cap_buf_free(&b);
	return ret;
}

int cap_tdat_event_formats(struct cap_tdat *w, int nr, const struct cap_tdat_system *sys)
{
	struct cap_buf b = { 0 };
	int ret = cap_buf_add_u32(&b, (uint32_t)nr);

	for (int i = 0; !ret && i < nr; i++) {
		ret = cap_buf_add_str(&b, sys[i].name);
		if (!ret) ret = add_formats(&b, sys[i].nr, sys[i].fmt, sys[i].len);
	}
	if (!ret)
		ret = write_section(w, CAP_TD_OPT_EVENT_FORMATS, CAP_TD_OPT_EVENT_FORMATS,
				    "events format", b.data, b.len, true);
	cap_buf_free(&b);
	return ret;
}

/* kallsyms and printk formats: a u32 size, then the text. */
static int sized32_section(struct cap_tdat *w, uint16_t id, const char *desc,
			   const char *data, size_t len)
{
	struct cap_buf b = { 0 };
	int ret;

	if (len > UINT32_MAX)
		return -CAP_EINVAL;
	ret = cap_buf_add_u32(&b, (uint32_t)len);
	if (!ret) ret = cap_buf_add(&b, data, len);
	if (!ret) ret = write_section(w, id, id, desc, b.data, b.len, true);
	cap_buf_free(&b);
	return ret;
}

int cap_tdat_kallsyms(struct cap_tdat *w, const char *data, size_t len)
{
	return sized32_section(w, CAP_TD_OPT_KALLSYMS, "kallsyms", data, len);
}

int cap_tdat_printk(struct cap_tdat *w, const char *data, size_t len)
{
	return sized32_section(w, CAP_TD_OPT_PRINTK, "printk", data, len);
}

/* Saved command lines: a u64 size, then the text. */
int cap_tdat_cmdlines(struct cap_tdat *w, const char *data, size_t len)
{
	struct cap_buf b = { 0 };
	int ret = cap_buf_add_u64(&b, len);

	if (!ret) ret = cap_buf_add(&b, data, len);
	if (!ret)
		ret = write_section(w, CAP_TD_OPT_CMDLINES, CAP_TD_OPT_CMDLINES, "command lines",
				    b.data, b.len, true);
	cap_buf_free(&b);
	return ret;
}

/* One CPU's pages, compressed in chunks; returns bytes written after the chunk count. */
static int write_cpu_chunks(struct cap_tdat *w, int fd, uint64_t size, uint64_t *written)
{
	size_t chunk = (size_t)w->page_size * PAGES_IN_CHUNK;
	struct cap_buf in = { 0 }, z = { 0 };
	uint64_t count_at = w->pos, off = 0, wsize = 0;
	uint32_t chunks = 0;
	int ret;

	ret = wr(w, &chunks, 4);
	if (!ret) ret = cap_buf_add(&in, NULL, chunk);
	while (!ret && off < size) {
		size_t n = size - off < chunk ? (size_t)(size - off) : chunk;
		ssize_t r = pread(fd, in.data, n, (off_t)off);
		size_t zl;
		uint32_t c32, u32;

		if (r != (ssize_t)n) {
			ret = -CAP_EIO;
			break;
		}
		zl = zframe(w, in.data, n, &z);
		if (!zl) {
			ret = -CAP_EZSTD;
			break;
		}
		c32 = (uint32_t)zl;
		u32 = (uint32_t)n;
		ret = wr(w, &c32, 4);
		if (!ret) ret = wr(w, &u32, 4);
		if (!ret) ret = wr(w, z.data, zl);
		wsize += zl + 8;
		chunks++;
		off += n;
	}
	if (!ret)
		ret = pwr(w, &chunks, 4, count_at);
	cap_buf_free(&in);
	cap_buf_free(&z);
	/* trace-cmd records the chunks' size without the count (tracecmd_compress_copy_from) */
	*written = wsize;
	return ret;
}

static int write_cpu_plain(struct cap_tdat *w, int fd, uint64_t size, uint64_t *written)
{
	char buf[65536];
	uint64_t off = 0;

	while (off < size) {
		size_t n = size - off < sizeof(buf) ? (size_t)(size - off) : sizeof(buf);
		ssize_t r = pread(fd, buf, n, (off_t)off);

		if (r != (ssize_t)n)
			return -CAP_EIO;
		if (wr(w, buf, n))
			return -CAP_EIO;
		off += n;
	}
	*written = size;
	return 0;
}

int cap_tdat_buffer(struct cap_tdat *w, const char *name, const char *clock,
		    int nr_cpus, const int fds[], const uint64_t sizes[])
{
	struct cap_buf opt = { 0 };
	uint64_t section = w->pos, size_at, *offs = NULL, *wsz = NULL, zero = 0, size;
	char desc[128];
	uint16_t id = CAP_TD_OPT_BUFFER, flags = w->zc ? SEC_FL_COMPRESS : 0;
	uint32_t d, with_data = 0;
	int ret;

	snprintf(desc, sizeof(desc), "buffer flyrecord %s", name);
	d = add_string(w, desc);
	offs = calloc((size_t)nr_cpus + 1, sizeof(*offs));
	wsz = calloc((size_t)nr_cpus + 1, sizeof(*wsz));
	if (!offs || !wsz || d == (uint32_t)-1) {
		ret = -CAP_ENOMEM;
		goto out;
	}
	ret = wr(w, &id, 2);
	if (!ret) ret = wr(w, &flags, 2);
	if (!ret) ret = wr(w, &d, 4);
	size_at = w->pos;
	if (!ret) ret = wr(w, &zero, 8);
	for (int cpu = 0; !ret && cpu < nr_cpus; cpu++) {
		uint64_t aligned = (w->pos + w->page_size - 1) & ~((uint64_t)w->page_size - 1);
		static const char pad[4096];

		while (!ret && w->pos < aligned) {
			size_t n = aligned - w->pos < sizeof(pad) ? (size_t)(aligned - w->pos) : sizeof(pad);

			ret = wr(w, pad, n);
		}
		offs[cpu] = w->pos;
		if (ret || !sizes[cpu])
			continue;
		if (sizes[cpu] % w->page_size) {
			ret = -CAP_EINVAL;
			break;
		}
		ret = w->zc ? write_cpu_chunks(w, fds[cpu], sizes[cpu], &wsz[cpu])
			    : write_cpu_plain(w, fds[cpu], sizes[cpu], &wsz[cpu]);
		with_data++;
	}
	if (ret)
		goto out;
	size = w->pos - size_at - 8;
	ret = pwr(w, &size, 8, size_at);

	/* BUFFER option: offset, name, clock, page size, CPUs with data, per CPU id/offset/size */
	if (!ret) ret = cap_buf_add_u64(&opt, section);
	if (!ret) ret = cap_buf_add_str(&opt, name);
	if (!ret) ret = cap_buf_add_str(&opt, clock);
	if (!ret) ret = cap_buf_add_u32(&opt, w->page_size);
	if (!ret) ret = cap_buf_add_u32(&opt, with_data);
	for (int cpu = 0; !ret && cpu < nr_cpus; cpu++) {
		if (!sizes[cpu])
			continue;
		ret = cap_buf_add_u32(&opt, (uint32_t)cpu);
		if (!ret) ret = cap_buf_add_u64(&opt, offs[cpu]);
		if (!ret) ret = cap_buf_add_u64(&opt, wsz[cpu]);
	}
	if (!ret)
		ret = cap_tdat_option(w, CAP_TD_OPT_BUFFER, opt.data, (uint32_t)opt.len);
out:
	cap_buf_free(&opt);
	free(offs);
	free(wsz);
	return ret;
}

int cap_tdat_finish(struct cap_tdat *w)
{
	struct cap_buf b = { 0 };
	uint64_t opt_at = w->pos, zero = 0;
	int ret;

	/* options section (never compressed), DONE with "no next section" */
	ret = cap_buf_add(&b, w->options.data, w->options.len);
	if (!ret) ret = cap_buf_add_u16(&b, CAP_TD_OPT_DONE);
	if (!ret) ret = cap_buf_add_u32(&b, 8);
	if (!ret) ret = cap_buf_add_u64(&b, zero);
	if (!ret) ret = write_section(w, CAP_TD_OPT_DONE, 0, "options", b.data, b.len, false);
	/* the description of the strings section is itself in the table */
	if (!ret) {
		uint32_t d = add_string(w, "strings");

		ret = d == (uint32_t)-1 ? -CAP_ENOMEM :
		      write_section_id(w, CAP_TD_OPT_STRINGS, 0, d, w->strings.data,
				       w->strings.len, true);
	}
	if (!ret)
		ret = pwr(w, &opt_at, 8, w->options_ptr);
	cap_buf_free(&b);
	cap_tdat_abort(w);
	return ret;
}

void cap_tdat_abort(struct cap_tdat *w)
{
	if (!w)
		return;
	ZSTD_freeCCtx(w->zc);
	cap_buf_free(&w->options);
	cap_buf_free(&w->strings);
	free(w);
}

uint64_t cap_tdat_size(const struct cap_tdat *w)
{
	return w->pos;
}

/* ---- metadata from a live tracefs ------------------------------------------ */

struct fmt_list {
	int	nr;
	char	**fmt;
	size_t	*len;
};

static void fmt_list_free(struct fmt_list *l)
{
	for (int i = 0; i < l->nr; i++)
		free(l->fmt[i]);
	free(l->fmt);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

/* Read every events/<system>/<event>/format of one system. */
static int read_system_formats(const char *tracing_dir, const char *system, struct fmt_list *l)
{
	char pattern[512];
	glob_t g;
	int ret = 0;

	snprintf(pattern, sizeof(pattern), "%s/events/%s/*/format", tracing_dir, system);
	if (glob(pattern, 0, NULL, &g))
		return 0;
	l->fmt = calloc(g.gl_pathc + 1, sizeof(*l->fmt));
	l->len = calloc(g.gl_pathc + 1, sizeof(*l->len));
	if (!l->fmt || !l->len) {
		globfree(&g);
		return -CAP_ENOMEM;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct cap_buf b = { 0 };
		size_t n;

		/* an unreadable format is left out, as trace-cmd does */
		if (cap_buf_add_file(&b, g.gl_pathv[i], &n) || !n) {
			cap_buf_free(&b);
			continue;
		}
		l->fmt[l->nr] = b.data;
		l->len[l->nr] = n;
		l->nr++;
	}
	globfree(&g);
	return ret;
}

int cap_tdat_collect_metadata(struct cap_tdat *w, const char *tracing_dir, const char *dir,
			      const char *proc_dir, const char *const systems[])
{
	struct cap_buf hp = { 0 }, he = { 0 }, f = { 0 };
	struct fmt_list ftrace = { 0 }, sys[16];
	struct cap_tdat_system tsys[16];
	char path[512];
	int nsys = 0, ret;

	memset(sys, 0, sizeof(sys));
	snprintf(path, sizeof(path), "%s/events/header_page", dir);
	if (cap_buf_add_file(&hp, path, NULL)) {
		snprintf(path, sizeof(path), "%s/events/header_page", tracing_dir);
		cap_buf_add_file(&hp, path, NULL);
	}
	snprintf(path, sizeof(path), "%s/events/header_event", dir);
	if (cap_buf_add_file(&he, path, NULL)) {
		snprintf(path, sizeof(path), "%s/events/header_event", tracing_dir);
		cap_buf_add_file(&he, path, NULL);
	}
	ret = cap_tdat_headers(w, hp.data ? hp.data : "", hp.len, he.data ? he.data : "", he.len);
	if (ret)
		goto out;

	ret = read_system_formats(tracing_dir, "ftrace", &ftrace);
	if (!ret)
		ret = cap_tdat_ftrace_formats(w, ftrace.nr, ftrace.fmt, ftrace.len);
	if (ret)
		goto out;

	for (int i = 0; systems && systems[i] && nsys < 16; i++) {
		ret = read_system_formats(tracing_dir, systems[i], &sys[nsys]);
		if (ret)
			goto out;
		if (!sys[nsys].nr)
			continue;
		tsys[nsys] = (struct cap_tdat_system){ systems[i], sys[nsys].nr, sys[nsys].fmt, sys[nsys].len };
		nsys++;
	}
	ret = cap_tdat_event_formats(w, nsys, tsys);
	if (ret)
		goto out;

	/* kallsyms resolves kprobe and function addresses; absent = empty section */
	snprintf(path, sizeof(path), "%s/kallsyms", proc_dir);
	f.len = 0;
	cap_buf_add_file(&f, path, NULL);
	ret = cap_tdat_kallsyms(w, f.data ? f.data : "", f.len);
	if (ret)
		goto out;
	f.len = 0;
	snprintf(path, sizeof(path), "%s/printk_formats", tracing_dir);
	cap_buf_add_file(&f, path, NULL);
	ret = cap_tdat_printk(w, f.data ? f.data : "", f.len);
out:
	cap_buf_free(&hp);
	cap_buf_free(&he);
	cap_buf_free(&f);
	fmt_list_free(&ftrace);
	for (int i = 0; i < 16; i++)
		fmt_list_free(&sys[i]);
	return ret;
}
