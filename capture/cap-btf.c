// SPDX-License-Identifier: GPL-2.0-only
/*
 * A function's parameter names from the kernel's BTF (/sys/kernel/btf/vmlinux).
 *
 * The freelist mode reads alloc_flags, get_page_from_freelist()'s third
 * argument, from a register or $arg3 where the kernel has no BTF probe
 * arguments (before 6.5).  A static function may lose or reorder arguments
 * without a renamed symbol (Clang: GKI; GCC renames its clones .isra/
 * .constprop): the BTF prototype, written by pahole from the DWARF of the
 * code as built, says whether the third argument is still alloc_flags.
 *
 * BTF layout (include/uapi/linux/btf.h, kernel 4.18+): a header (magic
 * 0xeB9F, version 1, hdr_len, type_off/len, str_off/len, offsets from the
 * header's end), then struct btf_type records of 12 bytes (name_off, info:
 * vlen bits 0-15, kind bits 24-28; size/type) each followed by a kind's own
 * data, type ids counted from 1.  Every offset and length is checked before
 * it is read; a file that does not parse is "unknown", never a match.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

enum {
	BTF_MAGIC = 0xeB9F,
	BTF_KIND_INT = 1, BTF_KIND_PTR, BTF_KIND_ARRAY, BTF_KIND_STRUCT, BTF_KIND_UNION,
	BTF_KIND_ENUM, BTF_KIND_FWD, BTF_KIND_TYPEDEF, BTF_KIND_VOLATILE, BTF_KIND_CONST,
	BTF_KIND_RESTRICT, BTF_KIND_FUNC, BTF_KIND_FUNC_PROTO, BTF_KIND_VAR, BTF_KIND_DATASEC,
	BTF_KIND_FLOAT, BTF_KIND_DECL_TAG, BTF_KIND_TYPE_TAG, BTF_KIND_ENUM64,
};

#define BTF_MAX_SIZE	(256u << 20)	/* vmlinux BTF is 5-8 MB; more is not a BTF file */
#define BTF_MAX_FUNCS	16		/* FUNC records of one name (static functions of several units) */

struct btf_blob {
	const uint8_t	*types;
	uint32_t	types_len;
	const char	*strs;
	uint32_t	strs_len;
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Bytes that follow a type record of @kind with @vlen entries; -1 for a kind we do not know. */
static long kind_extra(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case BTF_KIND_INT: case BTF_KIND_VAR: case BTF_KIND_DECL_TAG:
		return 4;
	case BTF_KIND_ARRAY:
		return 12;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: case BTF_KIND_DATASEC: case BTF_KIND_ENUM64:
		return 12L * vlen;
	case BTF_KIND_ENUM: case BTF_KIND_FUNC_PROTO:
		return 8L * vlen;
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_FUNC: case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

static const char *btf_str(const struct btf_blob *b, uint32_t off)
{
	if (off >= b->strs_len || !memchr(b->strs + off, 0, b->strs_len - off))
		return NULL;
	return b->strs + off;
}

/* Walk the type records: @fn(ctx, id, record) for each; stops early when it returns non-zero. */
static int btf_walk(const struct btf_blob *b, int (*fn)(void *, uint32_t, const uint8_t *), void *ctx)
{
	uint32_t off = 0, id = 1;

	while (off < b->types_len) {
		const uint8_t *t = b->types + off;
		uint32_t info;
		long extra;
		int r;

		if (b->types_len - off < 12)
			return -CAP_EINVAL;
		info = rd32(t + 4);
		extra = kind_extra((info >> 24) & 0x1f, info & 0xffff);
		if (extra < 0 || (uint64_t)extra > b->types_len - off - 12)
			return -CAP_EINVAL;
		r = fn(ctx, id, t);
		if (r)
			return r > 0 ? 0 : r;
		off += 12 + (uint32_t)extra;
		id++;
	}
	return 0;
}

struct find_ctx {
	const struct btf_blob	*b;
	const char		*func;
	uint32_t		protos[BTF_MAX_FUNCS];
	int			nr;
	int			idx;		/* parameter wanted */
	/* the second pass */
	int			done;
	int			mismatch;	/* a prototype whose parameter @idx is absent or named otherwise */
	char			*name;
	size_t			len;
};

static int find_func(void *p, uint32_t id, const uint8_t *t)
{
	struct find_ctx *c = p;
	const char *n;

	(void)id;
	if (((rd32(t + 4) >> 24) & 0x1f) != BTF_KIND_FUNC)
		return 0;
	n = btf_str(c->b, rd32(t));
	if (!n || strcmp(n, c->func))
		return 0;
	for (int i = 0; i < c->nr; i++)
		if (c->protos[i] == rd32(t + 8))
			return 0;	/* one prototype shared */
	if (c->nr == BTF_MAX_FUNCS)
		return -CAP_EINVAL;
	c->protos[c->nr++] = rd32(t + 8);
	return 0;
}

static int find_proto(void *p, uint32_t id, const uint8_t *t)
{
	struct find_ctx *c = p;
	uint32_t info = rd32(t + 4);
	const char *n;
	int i;

	for (i = 0; i < c->nr && c->protos[i] != id; i++)
		;
	if (i == c->nr)
		return 0;
	if (((info >> 24) & 0x1f) != BTF_KIND_FUNC_PROTO) {
		c->mismatch++;
		return 0;
	}
	c->done++;
	n = (int)(info & 0xffff) > c->idx ? btf_str(c->b, rd32(t + 12 + 8 * c->idx)) : NULL;
	if (!c->name[0] && n)
		snprintf(c->name, c->len, "%s", n);
	else if (!n || strcmp(n, c->name))
		c->mismatch++;
	return c->done == c->nr ? 1 : 0;
}

int cap_btf_param_name(const char *path, const char *func, int idx, char *name, size_t len)
{
	struct cap_buf buf = { 0 };
	struct btf_blob b;
	struct find_ctx c = { 0 };
	uint32_t hdr, toff, tlen, soff, slen;
	size_t flen = 0;
	int ret;

	if (!name || !len || idx < 0)
		return -CAP_EINVAL;
	name[0] = '\0';
	ret = cap_buf_add_file(&buf, path, &flen);
	if (ret) {
		cap_buf_free(&buf);
		return ret == -CAP_ENOMEM ? ret : -CAP_EIO;
	}
	ret = -CAP_EINVAL;
	if (buf.len < 24 || buf.len > BTF_MAX_SIZE)
		goto out;
	if ((buf.data[0] & 0xff) != (BTF_MAGIC & 0xff) || (buf.data[1] & 0xff) != BTF_MAGIC >> 8 ||
	    buf.data[2] != 1)
		goto out;	/* not BTF, or the other byte order: not this kernel's */
	hdr = rd32((const uint8_t *)buf.data + 4);
	toff = rd32((const uint8_t *)buf.data + 8);
	tlen = rd32((const uint8_t *)buf.data + 12);
	soff = rd32((const uint8_t *)buf.data + 16);
	slen = rd32((const uint8_t *)buf.data + 20);
	if (hdr < 24 || hdr > buf.len || (uint64_t)toff + tlen > buf.len - hdr ||
	    (uint64_t)soff + slen > buf.len - hdr || !slen)
		goto out;
	b.types = (const uint8_t *)buf.data + hdr + toff;
	b.types_len = tlen;
	b.strs = buf.data + hdr + soff;
	b.strs_len = slen;
	c.b = &b;
	c.func = func;
	c.idx = idx;
	c.name = name;
	c.len = len;
	ret = btf_walk(&b, find_func, &c);
	if (ret)
		goto out;
	if (!c.nr) {
		ret = -CAP_EMODE;	/* the function is not in BTF */
		goto out;
	}
	ret = btf_walk(&b, find_proto, &c);
	if (ret)
		goto out;
	if (c.done != c.nr)
		ret = -CAP_EINVAL;	/* a FUNC pointing at no type */
	else if (c.mismatch || !name[0])
		ret = 1;	/* prototypes disagree, or too few parameters: none to trust */
out:
	if (ret < 0)
		name[0] = '\0';
	cap_buf_free(&buf);
	return ret;
}
