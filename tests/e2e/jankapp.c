// SPDX-License-Identifier: GPL-2.0-only
/*
 * jankapp: an Android-like frame loop for the e2e suite's jank scenario.
 *
 * The main thread is the UI thread: at every 60 Hz vsync it writes the atrace
 * slices Android's Choreographer writes ("B|tgid|Choreographer#doFrame ID",
 * nested input/animation/traversal slices, "E|tgid") to the top-level
 * trace_marker, faults in fresh anonymous pages (its "work"), hands the frame
 * to its "RenderThread" and waits inside doFrame until that thread has synced
 * it, as HWUI's DrawFrameTask::drawFrame() does.  The RenderThread writes
 * "B|tgid|DrawFrames ID" (Android 12+; "DrawFrame" without ids with -n),
 * syncFrameState, then faults in pages of its own (its "draw").  Under memory
 * pressure those page faults stall in the page allocator's slow path: the
 * frames they fall in run late.
 *
 * Ground truth (-o FILE): one line per frame with the app's own clock reads
 * at each marker write (CLOCK_BOOTTIME, the clock allocscope record picks
 * first) and the minor faults of each thread inside its slice.
 *
 *   jankapp [-t SECONDS] [-u PAGES] [-r PAGES] [-k] [-n] [-p NICE] [-o FILE]
 *
 * -p: the nice value of both threads, set per thread as Android does
 * (setpriority() on the tid: THREAD_PRIORITY_DISPLAY is -4, URGENT_DISPLAY -8).
 * -u, -r: pages faulted in per frame by the UI thread and the RenderThread;
 * -k: keep them (an app whose caches grow) instead of unmapping them at the
 * end of the frame (the pages would return to the per-CPU lists, whence the
 * next frame takes them again).
 *
 * gcc -O2 -static -pthread -o jankapp jankapp.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define VSYNC_NS	16666667ll	/* 60 Hz */
#define MAX_FRAMES	100000

struct frame {
	int64_t		vsync;		/* vsync id: the index of its vsync since the start */
	int64_t		due;		/* that vsync's time */
	int64_t		ui_b, ui_e, rt_b, rt_e;
	long		ui_flt, rt_flt;	/* minor faults inside the slice */
};

static int marker_fd = -1;
static int tgid;
static bool no_ids, keep;
static int nice_val;
static bool nice_set;

/* this thread's nice value (setpriority() on a tid is per thread on Linux) */
static void thread_nice(void)
{
	if (nice_set && setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice_val))
		perror("jankapp: setpriority");
}
static long rt_pages = 32;
static long page_size;

/* the UI -> RenderThread hand-off: one frame at a time */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct frame *posted;	/* set by the UI thread, taken by the RenderThread */
static bool synced, rt_idle = true, quit;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* one atrace marker; the clock read right before it is returned */
static int64_t mark(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;
	int64_t t = now_ns();

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && write(marker_fd, buf, (size_t)n) < 0) {
		perror("jankapp: trace_marker");
		exit(1);
	}
	return t;
}

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

/* fault in @pages fresh anonymous pages (one page allocation each), then give them back */
static void touch(long pages)
{
	size_t len = (size_t)pages * (size_t)page_size;
	char *p;

	if (pages <= 0)
		return;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("jankapp: mmap");
		exit(1);
	}
	for (size_t o = 0; o < len; o += (size_t)page_size)
		p[o] = (char)o | 1;	/* not a zero page: a real allocation */
	if (!keep)
		munmap(p, len);
}

static void *render_thread(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "RenderThread");
	thread_nice();
	for (;;) {
		struct frame *f;
		long flt;

		pthread_mutex_lock(&mu);
		while (!posted && !quit)
			pthread_cond_wait(&cv, &mu);
		if (!posted) {
			pthread_mutex_unlock(&mu);
			return NULL;
		}
		f = posted;
		posted = NULL;
		rt_idle = false;
		pthread_mutex_unlock(&mu);

		flt = minflt();
		f->rt_b = no_ids ? mark("B|%d|DrawFrame", tgid) :
				   mark("B|%d|DrawFrames %" PRId64, tgid, f->vsync);
		mark("B|%d|syncFrameState", tgid);
		mark("E|%d", tgid);
		pthread_mutex_lock(&mu);
		synced = true;		/* the UI thread may leave doFrame */
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
		mark("B|%d|flush commands", tgid);
		touch(rt_pages);
		mark("E|%d", tgid);
		f->rt_e = mark("E|%d", tgid);
		f->rt_flt = minflt() - flt;

		pthread_mutex_lock(&mu);
		rt_idle = true;
		pthread_cond_broadcast(&cv);
		pthread_mutex_unlock(&mu);
	}
}

int main(int argc, char **argv)
{
	const char *out = NULL, *tr = "/sys/kernel/tracing/trace_marker";
	double secs = 2;
	long ui_pages = 64;
	struct frame *fr;
	pthread_t rt;
	int64_t t0, end;
	long n = 0;
	int c;

	while ((c = getopt(argc, argv, "t:u:r:knp:o:")) != -1) {
		switch (c) {
		case 't': secs = atof(optarg); break;
		case 'u': ui_pages = atol(optarg); break;
		case 'r': rt_pages = atol(optarg); break;
		case 'n': no_ids = true; break;
		case 'k': keep = true; break;
		case 'p': nice_val = atoi(optarg); nice_set = true; break;
		case 'o': out = optarg; break;
		default:
			fprintf(stderr, "usage: jankapp [-t SECONDS] [-u PAGES] [-r PAGES] [-k] [-n] [-p NICE] [-o FILE]\n");
			return 2;
		}
	}
	page_size = sysconf(_SC_PAGESIZE);
	marker_fd = open(tr, O_WRONLY | O_CLOEXEC);
	if (marker_fd < 0) {
		tr = "/sys/kernel/debug/tracing/trace_marker";
		marker_fd = open(tr, O_WRONLY | O_CLOEXEC);
	}
	if (marker_fd < 0) {
		perror("jankapp: open trace_marker");
		return 1;
	}
	fr = calloc(MAX_FRAMES, sizeof(*fr));
	if (!fr)
		return 1;
	tgid = getpid();
	prctl(PR_SET_NAME, "jankapp");
	thread_nice();
	if (pthread_create(&rt, NULL, render_thread, NULL))
		return 1;

	t0 = now_ns();
	end = t0 + (int64_t)(secs * 1e9);
	while (n < MAX_FRAMES) {
		struct frame *f = &fr[n];
		int64_t now = now_ns(), k = (now - t0) / VSYNC_NS + 1;	/* the next vsync */
		struct timespec ts;
		long flt;

		f->vsync = k;
		f->due = t0 + k * VSYNC_NS;
		if (f->due >= end)
			break;
		ts.tv_sec = f->due / 1000000000ll;
		ts.tv_nsec = f->due % 1000000000ll;
		while (clock_nanosleep(CLOCK_BOOTTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
		flt = minflt();
		f->ui_b = no_ids ? mark("B|%d|Choreographer#doFrame", tgid) :
				   mark("B|%d|Choreographer#doFrame %" PRId64, tgid, f->vsync);
		mark("B|%d|input", tgid);
		mark("E|%d", tgid);
		mark("B|%d|animation", tgid);
		mark("E|%d", tgid);
		mark("B|%d|traversal", tgid);
		mark("B|%d|draw", tgid);
		touch(ui_pages);
		/* the sync: wait for the RenderThread (busy with the last frame?), post, wait until synced */
		pthread_mutex_lock(&mu);
		while (!rt_idle || posted)
			pthread_cond_wait(&cv, &mu);
		synced = false;
		posted = f;
		pthread_cond_broadcast(&cv);
		while (!synced)
			pthread_cond_wait(&cv, &mu);
		pthread_mutex_unlock(&mu);
		mark("E|%d", tgid);
		mark("E|%d", tgid);
		f->ui_e = mark("E|%d", tgid);
		f->ui_flt = minflt() - flt;
		n++;
	}
	pthread_mutex_lock(&mu);
	while (!rt_idle || posted)
		pthread_cond_wait(&cv, &mu);
	quit = true;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(rt, NULL);

	if (out) {
		FILE *o = fopen(out, "w");
		long late = 0;

		if (!o) {
			perror(out);
			return 1;
		}
		for (long i = 0; i < n; i++)
			late += (fr[i].rt_e > fr[i].ui_e ? fr[i].rt_e : fr[i].ui_e) - fr[i].ui_b > VSYNC_NS;
		fprintf(o, "# jankapp: tgid %d, %ld frames, %ld longer than %lld ns (the app's clock reads"
			" at its markers, CLOCK_BOOTTIME ns); ui %ld pages, render %ld pages per frame%s;"
			" nice %d; %s\n", tgid, n, late, VSYNC_NS, ui_pages, rt_pages, keep ? ", kept" : "",
			nice_set ? nice_val : 0,
			no_ids ? "names without vsync ids" : "vsync ids in the names");
		fprintf(o, "# vsync due ui_begin ui_end rt_begin rt_end frame_ns ui_minflt rt_minflt\n");
		for (long i = 0; i < n; i++) {
			const struct frame *f = &fr[i];
			int64_t e = f->rt_e > f->ui_e ? f->rt_e : f->ui_e;

			fprintf(o, "%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %" PRId64
				" %" PRId64 " %ld %ld\n", f->vsync, f->due, f->ui_b, f->ui_e, f->rt_b, f->rt_e,
				e - f->ui_b, f->ui_flt, f->rt_flt);
		}
		fclose(o);
	}
	return 0;
}
