/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the fuzz targets (tests/fuzz/fuzz_*.c).  The readers take a
 * path, so the input goes into one memfd per process, opened again through
 * /proc/self/fd/N: no disk, no temp files left behind by a crash.
 *
 * Built two ways: with clang -fsanitize=fuzzer (make fuzz), or with gcc and
 * driver.c, whose main() replays tests/corpus/<target>/ (make test).
 */
#ifndef ALLOCSCOPE_FUZZ_H
#define ALLOCSCOPE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "parsers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a crash: libFuzzer saves the input that caused it. */
#define FZ_CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
				__FILE__, __LINE__, #cond);		\
			abort();					\
		}							\
	} while (0)

static inline int fz_write_all(int fd, const void *p, size_t n, off_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, off);

		if (w <= 0)
			return -1;
		p = (const char *)p + w;
		n -= (size_t)w;
		off += w;
	}
	return 0;
}

/* @prefix (may be NULL) then @data as the content of the fuzz file; its path. */
static inline const char *fz_file(const void *prefix, size_t plen,
				  const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];

	if (fd < 0) {
		fd = memfd_create("allocscope-fuzz", 0);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) ||
	    (plen && fz_write_all(fd, prefix, plen, 0)) ||
	    (size && fz_write_all(fd, data, size, (off_t)plen))) {
		perror("fuzz file");
		abort();
	}
	return path;
}

/* Everything a caller may touch in an event must be readable and sane. */
static inline void fz_check_event(const struct prs_event *ev)
{
	volatile size_t sink = 0;

	FZ_CHECK((unsigned int)ev->kind < PRS_EV__COUNT);
	FZ_CHECK(ev->name && ev->comm);
	sink += strlen(ev->name) + strlen(ev->comm);
	FZ_CHECK(ev->cpu >= -1);
	switch (ev->kind) {
	case PRS_EV_FUNC_ENTRY:
	case PRS_EV_FUNC_EXIT:
	case PRS_EV_KPROBE:
	case PRS_EV_KRETPROBE:
		if (ev->u.fn.func)
			sink += strlen(ev->u.fn.func);
		if (ev->u.fn.caller)
			sink += strlen(ev->u.fn.caller);
		break;
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		if (ev->u.mm.gfp_str)
			sink += strlen(ev->u.mm.gfp_str);
		break;
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_FINISHED:
		if (ev->u.compact.status_str)
			sink += strlen(ev->u.compact.status_str);
		break;
	case PRS_EV_SCHED_SWITCH:
		FZ_CHECK(ev->u.sw.prev_comm && ev->u.sw.next_comm);
		sink += strlen(ev->u.sw.prev_comm) + strlen(ev->u.sw.next_comm);
		break;
	case PRS_EV_PRINT:
		FZ_CHECK(ev->u.print.text);
		FZ_CHECK(strlen(ev->u.print.text) == ev->u.print.len);
		break;
	default:
		break;
	}
	(void)sink;
}

/*
 * Open @path, read every event, close.  Checks the reader's contract:
 * an error has a one-line message naming the file; the stats add up.
 */
static inline void fz_drain(const char *path, unsigned int flags)
{
	struct prs_reader *r = NULL;
	const struct prs_stats *st;
	struct prs_event ev;
	uint64_t n = 0;
	int ret;

	ret = prs_open(path, flags, &r);
	if (ret < 0) {
		FZ_CHECK(ret > -PRS_E__LAST);
		if (r) {
			FZ_CHECK(!strncmp(prs_errmsg(r), path, strlen(path)));
			FZ_CHECK(!strchr(prs_errmsg(r), '\n'));
		}
		prs_close(r);
		return;
	}
	while ((ret = prs_next(r, &ev)) > 0) {
		fz_check_event(&ev);
		n++;
	}
	if (ret < 0) {
		FZ_CHECK(ret > -PRS_E__LAST);
		FZ_CHECK(!strncmp(prs_errmsg(r), path, strlen(path)));
		FZ_CHECK(!strchr(prs_errmsg(r), '\n'));
		/* an error sticks */
		FZ_CHECK(prs_next(r, &ev) == ret);
	}
	st = prs_stats(r);
	FZ_CHECK(st->events >= n);
	for (size_t i = 0; i < st->nr_names; i++)
		FZ_CHECK(st->names[i].name && (unsigned int)st->names[i].kind < PRS_EV__COUNT);
	(void)prs_kernel(r);
	(void)prs_clock(r);
	for (int i = 0; i < prs_nr_instances(r); i++)
		FZ_CHECK(prs_instance_name(r, i));
	prs_close(r);
}

#endif /* ALLOCSCOPE_FUZZ_H */
