/* faultloop: the page-fault-heavy workload of the capture-overhead benchmark (bench/capture-overhead.sh).
 *
 * Builds with plain `gcc -O2 -static -o faultloop faultloop.c` (no other dependencies), like memhog.
 *
 *   faultloop [-m MB] [-t SECS] [-o FILE] [-l LABEL]
 *
 *   -m MB     size of the anonymous region (default 32)
 *   -t SECS   how long to run (default 3)
 *   -o FILE   append the result line to FILE instead of writing it to stdout
 *   -l LABEL  first word of the result line (default "faultloop")
 *
 * Maps MB MiB of private anonymous memory with MADV_NOHUGEPAGE and, until SECS have passed, writes one byte
 * into every 4 KiB page (one write fault each: an order-0 page allocation, zeroed) and then MADV_DONTNEEDs the
 * whole region (the pages go back to the allocator) and starts over. The result line:
 *
 *   LABEL pages=N secs=S pages_per_s=R mib_per_s=M passes=P
 *
 * N counts the pages faulted (a pass cut short by the deadline counts the pages it touched); S is the wall time
 * of the loop (CLOCK_MONOTONIC), not of the process: start-up and the final munmap are outside it. The time
 * of MADV_DONTNEED is inside it (freeing is part of the work each faulted page causes).
 * Exit status 0, or 1 with a message on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	double mb = 32, secs = 3, t0, end, t;
	const char *out = NULL, *label = "faultloop";
	unsigned long long pages = 0;
	unsigned long passes = 0;
	size_t size, npages, i;
	volatile unsigned char *m;
	FILE *f = stdout;
	int opt;

	while ((opt = getopt(argc, argv, "m:t:o:l:")) != -1) {
		switch (opt) {
		case 'm':
			if (parse_num(optarg, 1, 1 << 20, &mb))
				goto usage;
			break;
		case 't':
			if (parse_num(optarg, 0.01, 86400, &secs))
				goto usage;
			break;
		case 'o': out = optarg; break;
		case 'l': label = optarg; break;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	size = (size_t)mb << 20;
	npages = size / PAGE;
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		fprintf(stderr, "faultloop: mmap %.0f MiB: %s\n", mb, strerror(errno));
		return 1;
	}
	/* order-0 faults only: no THP, whatever the system's THP setting */
	if (madvise((void *)m, size, MADV_NOHUGEPAGE))
		fprintf(stderr, "faultloop: MADV_NOHUGEPAGE: %s\n", strerror(errno));

	t0 = now();
	end = t0 + secs;
	for (;;) {
		for (i = 0; i < npages; i++) {
			m[i * PAGE] = 1;
			if ((i & 63) == 63 && now() >= end)
				break;
		}
		pages += i < npages ? i + 1 : npages;
		if (i < npages)
			break;
		passes++;
		if (madvise((void *)m, size, MADV_DONTNEED)) {
			fprintf(stderr, "faultloop: MADV_DONTNEED: %s\n", strerror(errno));
			return 1;
		}
		if (now() >= end)
			break;
	}
	t = now() - t0;
	if (out && !(f = fopen(out, "a"))) {
		fprintf(stderr, "faultloop: %s: %s\n", out, strerror(errno));
		return 1;
	}
	fprintf(f, "%s pages=%llu secs=%.3f pages_per_s=%.0f mib_per_s=%.1f passes=%lu\n", label, pages, t,
		pages / t, pages * (double)PAGE / t / (1 << 20), passes);
	if (f != stdout && fclose(f)) {
		fprintf(stderr, "faultloop: %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;

usage:
	fprintf(stderr, "usage: faultloop [-m MB] [-t SECS] [-o FILE] [-l LABEL]\n");
	return 1;
}
