// SPDX-License-Identifier: GPL-2.0-only
/*
 * Regression driver: replays saved fuzz inputs through a target without
 * libFuzzer (gcc, make test).  Arguments are files or directories (every
 * regular file inside, sorted).  A crash or a broken invariant aborts.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap);
			if (!p) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = p;
		}
		size_t n = fread(buf + len, 1, cap - len, f);

		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	unsigned long done = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *de;
		char **names = NULL;
		size_t n = 0;
		DIR *d;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			return 1;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]))
				return 1;
			done++;
			continue;
		}
		d = opendir(argv[i]);
		if (!d)
			return 1;
		while ((de = readdir(d))) {
			char *p;

			if (de->d_name[0] == '.')
				continue;
			if (asprintf(&p, "%s/%s", argv[i], de->d_name) < 0)
				return 1;
			names = realloc(names, (n + 1) * sizeof(*names));
			if (!names)
				return 1;
			names[n++] = p;
		}
		closedir(d);
		qsort(names, n, sizeof(*names), name_cmp);
		for (size_t j = 0; j < n; j++) {
			if (stat(names[j], &st) == 0 && S_ISREG(st.st_mode)) {
				if (replay_file(names[j]))
					return 1;
				done++;
			}
			free(names[j]);
		}
		free(names);
	}
	printf("replayed %lu inputs\n", done);
	return 0;
}
