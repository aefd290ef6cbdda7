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
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "cli.h"

int cli_file_id(const char *path, struct cli_file_id *id, bool content)
{
	struct stat st;
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
	/*
	 * Read, not mapped: a mapping's pages count in the resident set while
	 * they stay mapped (a 1 GB trace hashed through mmap peaked at 1 GB).
	 */
	{
		static char buf[1 << 20];
		XXH64_state_t *x = XXH64_createState();
		ssize_t n;

		if (!x) {
			cli_error("%s: out of memory", path);
			close(fd);
			return -1;
		}
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		XXH64_reset(x, 0);
		while ((n = read(fd, buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				cli_error("%s: cannot read: %s", path, strerror(errno));
				XXH64_freeState(x);
				close(fd);
				return -1;
			}
			XXH64_update(x, buf, (size_t)n);
		}
		id->content.xxh64 = XXH64_digest(x);
		XXH64_freeState(x);
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
