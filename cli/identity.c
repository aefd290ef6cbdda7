// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which capture a file is: compare and merge refuse to count one twice.
 * A file is known by its device and inode (any path, a link), its content
 * by size + XXH64 of its bytes (a copy), and an analyze --json summary by
 * the identity it carries of its trace (a trace beside its own summary).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* XXH64 (seed 0), the xxHash specification; zstd's frame checksum is its low 32 bits. */
#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* little-endian reads, whatever the host (compilers make them one load) */
static uint64_t rd64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t xround(uint64_t acc, uint64_t in)
{
	return rotl(acc + in * P2, 31) * P1;
}

static uint64_t xmerge(uint64_t acc, uint64_t v)
{
	return (acc ^ xround(0, v)) * P1 + P4;
}

uint64_t cli_xxh64(const void *buf, size_t len)
{
	const unsigned char *p = buf, *end = p + len;
	uint64_t h;

	if (len >= 32) {
		uint64_t v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1;

		for (; end - p >= 32; p += 32) {
			v1 = xround(v1, rd64(p));
			v2 = xround(v2, rd64(p + 8));
			v3 = xround(v3, rd64(p + 16));
			v4 = xround(v4, rd64(p + 24));
		}
		h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
		h = xmerge(xmerge(xmerge(xmerge(h, v1), v2), v3), v4);
	} else {
		h = P5;
	}
	h += len;
	for (; end - p >= 8; p += 8)
		h = rotl(h ^ xround(0, rd64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		h = rotl(h ^ (uint64_t)rd32(p) * P1, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		h = rotl(h ^ *p * P5, 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	return h ^ (h >> 32);
}

int cli_file_id(const char *path, struct cli_file_id *id, bool content)
{
	struct stat st;
	void *map;
	int fd;

	memset(id, 0, sizeof(*id));
	if (!strcmp(path, "-"))
		return 0;	/* standard input: no identity */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cli_error("%s: cannot open: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	id->dev = (uint64_t)st.st_dev;
	id->ino = (uint64_t)st.st_ino;
	id->file_known = true;
	if (!content || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	id->content.size = (uint64_t)st.st_size;
	if (st.st_size) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			cli_error("%s: cannot read: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
		id->content.xxh64 = cli_xxh64(map, (size_t)st.st_size);
		munmap(map, (size_t)st.st_size);
	} else {
		id->content.xxh64 = cli_xxh64("", 0);
	}
	id->content.known = true;
	close(fd);
	return 0;
}

bool cli_same_file(const struct cli_file_id *a, const struct cli_file_id *b)
{
	return a->file_known && b->file_known && a->dev == b->dev && a->ino == b->ino;
}

bool cli_same_content(const struct rpt_content *a, const struct rpt_content *b)
{
	return a->known && b->known && a->size == b->size && a->xxh64 == b->xxh64;
}

void cli_capture_of_trace(struct cli_capture *cap, const char *input, const struct cli_file_id *file)
{
	memset(cap, 0, sizeof(*cap));
	cap->input = input;
	cap->content = file->content;
	cap->dev = file->dev;
	cap->ino = file->ino;
	cap->file_known = file->file_known;
}

void cli_capture_of_summary(struct cli_capture *cap, const char *input, const char *trace,
			    const struct rpt_content *content)
{
	struct stat st;

	memset(cap, 0, sizeof(*cap));
	cap->input = input;
	cap->content = *content;
	/* the trace it names, where it can still be found: for summaries without a content identity */
	if (trace && !stat(trace, &st)) {
		cap->dev = (uint64_t)st.st_dev;
		cap->ino = (uint64_t)st.st_ino;
		cap->file_known = true;
	}
}

/* Why @a and @b are one capture (into @why), or false. */
static bool same_capture(const struct cli_capture *a, const struct cli_capture *b, char *why, size_t len)
{
	if (cli_same_content(&a->content, &b->content)) {
		snprintf(why, len, "the same trace content: %" PRIu64 " bytes, xxh64 %016" PRIx64,
			 a->content.size, a->content.xxh64);
		return true;
	}
	/* a content identity on both sides decides; without one, the trace file it names */
	if ((!a->content.known || !b->content.known) && a->file_known && b->file_known &&
	    a->dev == b->dev && a->ino == b->ino) {
		snprintf(why, len, "the same trace file");
		return true;
	}
	return false;
}

int cli_refuse_duplicates(const char *const *inputs, const struct cli_file_id *ids, size_t n,
			  const struct cli_capture *caps, size_t ncaps)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (cli_same_file(&ids[i], &ids[j])) {
				cli_error("%s and %s are the same file: each capture counts once", inputs[i],
					  inputs[j]);
				return -1;
			}
			if (cli_same_content(&ids[i].content, &ids[j].content)) {
				cli_error("%s and %s have the same content (%" PRIu64 " bytes, xxh64 %016" PRIx64
					  "): each capture counts once", inputs[i], inputs[j],
					  ids[i].content.size, ids[i].content.xxh64);
				return -1;
			}
		}
	for (size_t i = 0; i < ncaps; i++)
		for (size_t j = i + 1; j < ncaps; j++) {
			char why[96];

			if (caps[i].input != caps[j].input && same_capture(&caps[i], &caps[j], why, sizeof(why))) {
				cli_error("%s and %s are the same capture (%s): each capture counts once",
					  caps[i].input, caps[j].input, why);
				return -1;
			}
		}
	return 0;
}
