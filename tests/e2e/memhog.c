/* memhog: small static memory workload for allocscope's real-kernel captures.
 *
 * Builds with plain `gcc -O2 -static -o memhog memhog.c` (no other dependencies) so it can be dropped into a
 * busybox initramfs or run on the host.
 *
 *   memhog [-m MB | -a PCT | -f PCT] [-t SECS] [-H | -N] [-F] [-c PCT] [-r FILE] [-q]
 *
 *   -m MB     size in MiB
 *   -a PCT    size as PCT % of MemAvailable (read from /proc/meminfo at start)
 *   -f PCT    size as PCT % of MemFree
 *   -t SECS   after the first touch, keep re-writing every page for SECS seconds (default 0: exit after the
 *             first touch); -1 = hold the memory (sleep) until killed
 *   -H / -N   madvise(MADV_HUGEPAGE) / madvise(MADV_NOHUGEPAGE) on the mapping before touching
 *   -F        fragment: after the first touch, MADV_DONTNEED every other page (frees order-0 holes all over
 *             memory, so that later high-order allocations need compaction)
 *   -c PCT    fill PCT % of each page with pseudo-random bytes (default 25), the rest stays zero: keeps zram from
 *             storing pages as "same-filled" for free; 100 = incompressible
 *   -r FILE   create FILE once the first touch is done (a readiness signal for scripts)
 *   -R FILE   after the first touch, read FILE sequentially (1 MiB read()s, from the start again at its end)
 *             for the -t SECS window instead of re-touching: page-cache pressure on top of the anonymous memory
 *   -q        quiet
 *
 * Exit status 0; a hog killed by the OOM killer dies with SIGKILL, which the caller sees.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* the kernel's page size (16 KiB on arm64-16k kernels: a 4 KiB madvise() there fails with EINVAL and
 * fragments nothing) */
static size_t pagesz = 4096;

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t n = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static inline uint64_t xs(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void fill(unsigned char *p, size_t words)
{
	uint64_t *w = (uint64_t *)p;
	size_t i;

	for (i = 0; i < words; i++)
		w[i] = xs();
	if (!words)
		p[0] = (unsigned char)xs() | 1;
}

int main(int argc, char **argv)
{
	long mb = -1, pct_avail = -1, pct_free = -1;
	double secs = 0;
	int huge = 0, frag = 0, quiet = 0, opt;
	long fillpct = 25;
	const char *ready = NULL, *readfile = NULL;
	size_t size, npages, i, words;
	unsigned char *m;
	double t0, end;
	long passes = 0;

	while ((opt = getopt(argc, argv, "m:a:f:t:HNFc:r:R:q")) != -1) {
		switch (opt) {
		case 'm': mb = atol(optarg); break;
		case 'a': pct_avail = atol(optarg); break;
		case 'f': pct_free = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'H': huge = 1; break;
		case 'N': huge = -1; break;
		case 'F': frag = 1; break;
		case 'c': fillpct = atol(optarg); break;
		case 'r': ready = optarg; break;
		case 'R': readfile = optarg; break;
		case 'q': quiet = 1; break;
		default:
			fprintf(stderr, "usage: memhog [-m MB|-a PCT|-f PCT] [-t SECS] [-H|-N] [-F] [-c PCT] [-r FILE] [-R FILE] [-q]\n");
			return 1;
		}
	}
	if (pct_avail >= 0)
		mb = meminfo_kb("MemAvailable") * pct_avail / 100 / 1024;
	else if (pct_free >= 0)
		mb = meminfo_kb("MemFree") * pct_free / 100 / 1024;
	if (mb <= 0) {
		fprintf(stderr, "memhog: no size (-m/-a/-f)\n");
		return 1;
	}
	if (sysconf(_SC_PAGESIZE) > 0)
		pagesz = (size_t)sysconf(_SC_PAGESIZE);
	if (fillpct < 0)
		fillpct = 0;
	if (fillpct > 100)
		fillpct = 100;
	words = pagesz / 8 * fillpct / 100;
	size = (size_t)mb << 20;
	npages = size / pagesz;
	rng ^= (uint64_t)getpid() << 32;

	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		fprintf(stderr, "memhog: mmap %ld MB: %s\n", mb, strerror(errno));
		return 1;
	}
	if (huge > 0 && madvise(m, size, MADV_HUGEPAGE))
		fprintf(stderr, "memhog: MADV_HUGEPAGE: %s\n", strerror(errno));
	if (huge < 0 && madvise(m, size, MADV_NOHUGEPAGE))
		fprintf(stderr, "memhog: MADV_NOHUGEPAGE: %s\n", strerror(errno));

	t0 = now();
	for (i = 0; i < npages; i++)
		fill(m + i * pagesz, words);
	if (!quiet)
		fprintf(stderr, "memhog[%d]: touched %ld MB in %.2f s\n", getpid(), mb, now() - t0);
	if (frag) {
		for (i = 0; i < npages; i += 2)
			if (madvise(m + i * pagesz, pagesz, MADV_DONTNEED)) {
				/* a kernel without CONFIG_ADVISE_SYSCALLS: nothing is freed, say so once */
				fprintf(stderr, "memhog: MADV_DONTNEED: %s: not fragmented\n", strerror(errno));
				break;
			}
		if (!quiet && i >= npages)
			fprintf(stderr, "memhog[%d]: fragmented (freed every other page)\n", getpid());
	}
	if (ready) {
		int fd = open(ready, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd >= 0)
			close(fd);
	}
	if (secs < 0) {
		for (;;)
			pause();
	}
	end = now() + secs;
	if (readfile) {
		static char buf[1 << 20];
		long long bytes = 0;
		ssize_t n;
		int fd = open(readfile, O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "memhog: %s: %s\n", readfile, strerror(errno));
			return 1;
		}
		while (now() < end) {
			n = read(fd, buf, sizeof buf);
			if (n < 0) {
				fprintf(stderr, "memhog: read %s: %s\n", readfile, strerror(errno));
				break;
			}
			if (n == 0)
				lseek(fd, 0, SEEK_SET);
			bytes += n;
		}
		close(fd);
		if (!quiet)
			fprintf(stderr, "memhog[%d]: read %lld MB of %s\n", getpid(), bytes >> 20, readfile);
		return 0;
	}
	while (now() < end) {
		for (i = frag; i < npages && now() < end; i += 1 + frag) {
			m[i * pagesz + (xs() & (pagesz - 1) & ~7UL)] = (unsigned char)xs();
			if ((i & 255) == 0 && now() >= end)
				break;
		}
		passes++;
	}
	if (!quiet && secs > 0)
		fprintf(stderr, "memhog[%d]: %ld re-touch passes\n", getpid(), passes);
	return 0;
}
