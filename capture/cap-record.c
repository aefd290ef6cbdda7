// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recording loop of allocscope record: per-CPU raw readers of
 * trace_pipe_raw into O_DIRECT scratch files (or trace_pipe text), the
 * ppoll() wait, the command's child, the ground-truth markers at both ends,
 * trace.dat metadata and data, and tracefs restored on every exit path.
 * Prints nothing: errors and progress go to the caller's callback.
 */
/* paths and names are cut to their buffers on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <traceevent/kbuffer.h>

#include "capture.h"

#ifndef ALLOCSCOPE_VERSION
#define ALLOCSCOPE_VERSION "0.1"
#endif

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* SIGCHLD only interrupts the reader's poll(): the command's end is seen by waitpid() */
static void on_child(int sig)
{
	(void)sig;
}

/* An unlinked scratch file next to the output: gone on any exit. */
static int scratch_file(const char *output)
{
	char *dup = strdup(output), tmpl[4096];
	const char *dir = dup ? dirname(dup) : ".";
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0) {
		free(dup);
		return fd;
	}
#endif
	snprintf(tmpl, sizeof(tmpl), "%s/.allocscope-XXXXXX", dir);
	free(dup);
	fd = mkstemp(tmpl);
	if (fd >= 0)
		unlink(tmpl);
	return fd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t r = write(fd, c, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/*
 * Pages read while recording are collected per CPU and written BATCH_BYTES at a time (32
 * pages of 4 KB) to the scratch file, with O_DIRECT where the file system takes it: no
 * page-cache page is allocated (our own allocations would be traced too) and nothing is
 * copied a second time.
 */
#define BATCH_BYTES	(128 * 1024)

/*
 * A writer thread takes full batches off the reader: an O_DIRECT write waits
 * for the device, and with a page-cache churn writing back to the same disk
 * one drain took 0.56 s on 6.18 (2 CPUs), long enough for a 4 MB ring buffer
 * to overrun at the 40 MB/s per CPU such a churn makes.  Batches wait in
 * memory instead, up to QUEUE_BYTES; past that the reader waits for the
 * writer (and the ring buffer takes the rest, as it did before).
 */
#define QUEUE_BYTES	(64u << 20)

struct wq_item {
	int	cpu;
	char	*buf;
	size_t	n;
};

struct raw_writer {
	pthread_t	thread;
	pthread_mutex_t	mu;
	pthread_cond_t	work, freed;
	bool		started, done;
	int		err;		/* errno of a failed write, 0 */
	char		**pool;		/* free batches */
	int		nr_pool, nr_alloc, max_alloc;
	struct wq_item	*q;		/* ring of max_alloc items */
	int		q_head, q_len;
};

struct raw_reader {
	int		nr_cpus;
	long		page_size;
	int		page_header;
	int		*pipe;		/* per CPU trace_pipe_raw */
	int		*tmp;		/* per CPU scratch file */
	uint64_t	*size;		/* bytes written to it */
	char		*page;		/* one page (count_raw_events()) */
	char		**batch;	/* per CPU batch_pages pages, page-aligned */
	int		batch_pages;
	int		*nr_batch;	/* pages in it */
	bool		*direct;	/* scratch file in O_DIRECT */
	uint64_t	last_max;	/* bytes of the CPU that had most in the last drain */
	struct kbuffer	*kbuf;
	struct raw_writer w;
};

/* O_DIRECT on @fd where the file system allows it; buffered writes otherwise. */
static bool set_direct(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return false;
	fl = on ? fl | O_DIRECT : fl & ~O_DIRECT;
	return fcntl(fd, F_SETFL, fl) == 0;
}

/* Write one batch to its CPU's scratch file (the writer thread, or the reader without one). */
static int write_batch(struct raw_reader *rr, int cpu, const char *buf, size_t n)
{
	if (write_all(rr->tmp[cpu], buf, n)) {
		/* a file system that took O_DIRECT but not this write: buffered from here on */
		if (errno != EINVAL || !rr->direct[cpu] || !set_direct(rr->tmp[cpu], false))
			return -1;
		rr->direct[cpu] = false;
		if (lseek(rr->tmp[cpu], (off_t)rr->size[cpu], SEEK_SET) < 0 ||
		    write_all(rr->tmp[cpu], buf, n))
			return -1;
	}
	rr->size[cpu] += n;
	return 0;
}

static void *writer_main(void *arg)
{
	struct raw_reader *rr = arg;
	struct raw_writer *w = &rr->w;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		struct wq_item it;

		while (!w->q_len && !w->done)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->q_len)
			break;
		it = w->q[w->q_head];
		w->q_head = (w->q_head + 1) % w->max_alloc;
		w->q_len--;
		pthread_mutex_unlock(&w->mu);
		/* size[] and direct[] are the writer's while it runs */
		if (!w->err && write_batch(rr, it.cpu, it.buf, it.n))
			w->err = errno ? errno : EIO;
		pthread_mutex_lock(&w->mu);
		w->pool[w->nr_pool++] = it.buf;
		pthread_cond_signal(&w->freed);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static int writer_start(struct raw_reader *rr)
{
	struct raw_writer *w = &rr->w;
	size_t bytes = (size_t)rr->batch_pages * (size_t)rr->page_size;

	w->max_alloc = (int)(QUEUE_BYTES / bytes) + rr->nr_cpus;
	w->pool = calloc((size_t)w->max_alloc, sizeof(*w->pool));
	w->q = calloc((size_t)w->max_alloc, sizeof(*w->q));
	if (!w->pool || !w->q)
		return -1;
	sigset_t all, old;
	int e;

	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->freed, NULL);
	/* the batches the reader holds count against the queue's memory */
	w->nr_alloc = rr->nr_cpus;
	/* signals stay the reader's: its ppoll() is what they interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	e = pthread_create(&w->thread, NULL, writer_main, rr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e)
		return -1;
	w->started = true;
	return 0;
}

/* Wait until every queued batch is written; 0, or -1 with errno of the first failed write. */
static int writer_stop(struct raw_reader *rr)
{
	struct raw_writer *w = &rr->w;

	if (!w->started)
		return 0;
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	w->started = false;
	if (w->err) {
		errno = w->err;
		return -1;
	}
	return 0;
}

static void writer_free(struct raw_reader *rr)
{
	struct raw_writer *w = &rr->w;

	writer_stop(rr);
	for (int i = 0; w->pool && i < w->nr_pool; i++)
		free(w->pool[i]);
	free(w->pool);
	free(w->q);
}

/*
 * A full batch to the writer, and an empty one to fill in its place: from the
 * pool, newly allocated below the queue's limit, or when the writer frees one.
 */
static int flush_batch(struct raw_reader *rr, int cpu)
{
	struct raw_writer *w = &rr->w;
	size_t n = (size_t)rr->nr_batch[cpu] * (size_t)rr->page_size;
	size_t bytes = (size_t)rr->batch_pages * (size_t)rr->page_size;
	char *fresh = NULL;

	if (!n)
		return 0;
	if (!w->started) {
		if (write_batch(rr, cpu, rr->batch[cpu], n))
			return -1;
		rr->nr_batch[cpu] = 0;
		return 0;
	}
	pthread_mutex_lock(&w->mu);
	if (w->err) {
		errno = w->err;
		pthread_mutex_unlock(&w->mu);
		return -1;
	}
	if (!w->nr_pool && w->nr_alloc < w->max_alloc) {
		w->nr_alloc++;
		pthread_mutex_unlock(&w->mu);
		if (posix_memalign((void **)&fresh, (size_t)rr->page_size, bytes))
			fresh = NULL;
		pthread_mutex_lock(&w->mu);
		if (!fresh)
			w->nr_alloc--;
	}
	while (!fresh && !w->nr_pool) {
		/* nothing queued or being written to wait for: no memory for a batch */
		if (w->nr_alloc - rr->nr_cpus - w->nr_pool <= 0) {
			pthread_mutex_unlock(&w->mu);
			errno = ENOMEM;
			return -1;
		}
		pthread_cond_wait(&w->freed, &w->mu);
	}
	if (!fresh)
		fresh = w->pool[--w->nr_pool];
	w->q[(w->q_head + w->q_len) % w->max_alloc] = (struct wq_item){ cpu, rr->batch[cpu], n };
	w->q_len++;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	rr->batch[cpu] = fresh;
	rr->nr_batch[cpu] = 0;
	return 0;
}

/*
 * Read every page the kernel has for each CPU.  A non-blocking read returns
 * a partial page too (the reader page); the bytes after its commit are old
 * data, zeroed so that they compress away.  @final: also write out what is
 * collected.
 */
static int drain_raw(struct raw_reader *rr, bool final, struct cap_record_result *rs)
{
	rr->last_max = 0;
	for (int cpu = 0; cpu < rr->nr_cpus; cpu++) {
		uint64_t got = 0;

		if (rr->pipe[cpu] < 0)
			continue;
		for (;;) {
			char *page = rr->batch[cpu] + (size_t)rr->nr_batch[cpu] * (size_t)rr->page_size;
			ssize_t r = read(rr->pipe[cpu], page, (size_t)rr->page_size);
			uint64_t commit = 0;
			size_t len;

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;	/* EAGAIN: nothing more now */
			if (r < rr->page_size)
				memset(page + r, 0, (size_t)(rr->page_size - r));
			memcpy(&commit, page + 8, (size_t)(rr->page_header - 8));
			len = (size_t)(commit & ((1ull << 27) - 1));	/* flags live in bits 30/31 */
			if (rr->page_header + len < (size_t)rr->page_size)
				memset(page + rr->page_header + len, 0,
				       (size_t)rr->page_size - rr->page_header - len);
			/*
			 * Events are counted after the capture (count_raw_events()): walking
			 * every event here cost the traced workload 4-5 points of throughput
			 * in graph mode (bench/CAPTURE.md).  RB_MISSED_EVENTS is bit 31.
			 */
			if (commit & (1ull << 31))
				rs->missed_pages++;
			if (++rr->nr_batch[cpu] == rr->batch_pages && flush_batch(rr, cpu))
				return -1;
			rs->pages++;
			got += (uint64_t)rr->page_size;
			if (got > rr->last_max)
				rr->last_max = got;
			rs->bytes += len;
			/*
			 * A page far from full was the writer's page: the next read would
			 * return the few events written since (our own writes make some),
			 * page after page.  Come back on the next pass.
			 */
			if (!final && len < (size_t)(rr->page_size - rr->page_header) / 2)
				break;
		}
		if (final && flush_batch(rr, cpu))
			return -1;
	}
	return 0;
}

/* After the last write: the scratch files are read back through the page cache. */
static void end_direct(struct raw_reader *rr)
{
	for (int cpu = 0; cpu < rr->nr_cpus; cpu++)
		if (rr->direct[cpu])
			rr->direct[cpu] = !set_direct(rr->tmp[cpu], false);
}

/*
 * Sleep until a CPU's ring buffer is buffer_percent full (poll() on trace_pipe_raw waits for
 * that since 6.1; before, any data wakes it) or @ms pass.  Waking when there is much to read
 * instead of every 100 ms cost the traced workload up to 0.8 points less on 6.12
 * (bench/CAPTURE.md).  The caller sleeps 100 ms between drains, so kernels whose poll does
 * not wait for the watermark are read as before, and gives as @ms the time the busiest CPU
 * took to fill half its buffer at the last drain's rate (at most 0.9 s), so a poll that never
 * wakes (rasdaemon saw that with early 6.1 kernels) does not cost events.
 */
static void wait_raw(struct raw_reader *rr, int ms, const sigset_t *mask)
{
	struct pollfd pfd[256];
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	int n = 0;

	for (int cpu = 0; cpu < rr->nr_cpus && n < (int)(sizeof(pfd) / sizeof(pfd[0])); cpu++)
		if (rr->pipe[cpu] >= 0)
			pfd[n++] = (struct pollfd){ .fd = rr->pipe[cpu], .events = POLLIN };
	/* SIGCHLD is blocked but in @mask: a command that ended before we got here ends it at once */
	if (n && ms > 0)
		ppoll(pfd, (nfds_t)n, &ts, mask);	/* EINTR (a signal): back to the loop */
}

/* The events of the pages kept in the scratch files, for the summary (tracing is off by now). */
static void count_raw_events(struct raw_reader *rr, struct cap_record_result *rs)
{
	if (!rr->kbuf)
		return;
	for (int cpu = 0; cpu < rr->nr_cpus; cpu++) {
		for (uint64_t off = 0; off + (uint64_t)rr->page_size <= rr->size[cpu];
		     off += (uint64_t)rr->page_size) {
			unsigned long long ts;

			if (pread(rr->tmp[cpu], rr->page, (size_t)rr->page_size, (off_t)off) != rr->page_size ||
			    kbuffer_load_subbuffer(rr->kbuf, rr->page) < 0)
				break;
			for (void *e = kbuffer_read_event(rr->kbuf, &ts); e; e = kbuffer_next_event(rr->kbuf, &ts))
				rs->events++;
		}
	}
}

static int drain_text(int in, int out, struct cap_record_result *rs)
{
	char buf[65536];

	for (;;) {
		ssize_t r = read(in, buf, sizeof(buf));

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		for (ssize_t i = 0; i < r; i++)
			rs->events += buf[i] == '\n';
		rs->bytes += (uint64_t)r;
		if (write_all(out, buf, (size_t)r))
			return -1;
	}
}

static void stop_child(pid_t child, int *status)
{
	for (int i = 0; i < 60; i++) {
		struct timespec ts = { 0, 50 * 1000000L };

		if (waitpid(child, status, WNOHANG) == child)
			return;
		if (i == 0)
			kill(child, SIGTERM);
		if (i == 40)
			kill(child, SIGKILL);
		nanosleep(&ts, NULL);
	}
	waitpid(child, status, 0);
}

static const char *const record_systems[] = {
	"kmem", "vmscan", "compaction", "oom", "sched", "allocscope", NULL,
};

/* trace.dat: metadata first (kprobe formats vanish with the probes), data after restore. */
static int tdat_metadata(struct cap_tdat *w, const struct cap_probe *p, struct cap_session *s,
			 const struct cap_plan *plan)
{
	char path[512], uts[512];
	struct cap_buf b = { 0 };
	struct utsname u;
	uint32_t cpus = (uint32_t)p->nr_cpus;
	int ret;

	ret = cap_tdat_collect_metadata(w, p->tracing_dir, cap_session_dir(s), p->proc_dir,
					record_systems);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/saved_cmdlines", p->tracing_dir);
	cap_buf_add_file(&b, path, NULL);
	ret = cap_tdat_cmdlines(w, b.data ? b.data : "", b.len);
	cap_buf_free(&b);
	if (ret)
		return ret;
	ret = cap_tdat_option(w, CAP_TD_OPT_CPUCOUNT, &cpus, 4);
	if (!ret && !uname(&u)) {
		snprintf(uts, sizeof(uts), "%s %s %s %s %s", u.sysname, u.nodename,
			 p->release[0] ? p->release : u.release, u.version, u.machine);
		ret = cap_tdat_option_str(w, CAP_TD_OPT_UNAME, uts);
	}
	snprintf(path, sizeof(path), "%s/trace_clock", cap_session_dir(s));
	if (!ret && !cap_buf_add_file(&b, path, NULL) && !cap_buf_add(&b, "", 1))
		ret = cap_tdat_option_str(w, CAP_TD_OPT_TRACECLOCK, b.data);
	cap_buf_free(&b);
	if (!ret)
		ret = cap_tdat_option_str(w, CAP_TD_OPT_VERSION, "allocscope " ALLOCSCOPE_VERSION);
	(void)plan;
	return ret;
}

static char *clock_name(const char *dir)
{
	char path[512];
	struct cap_buf b = { 0 };
	char *s, *e, *out;

	snprintf(path, sizeof(path), "%s/trace_clock", dir);
	if (cap_buf_add_file(&b, path, NULL) || cap_buf_add(&b, "", 1)) {
		cap_buf_free(&b);
		return strdup("local");
	}
	s = strchr(b.data, '[');
	e = s ? strchr(s, ']') : NULL;
	out = s && e ? strndup(s + 1, (size_t)(e - s - 1)) : strdup("local");
	cap_buf_free(&b);
	return out;
}

/* Tell the caller what failed; returns -@code for `return fail(...)`-style use. */
static int __attribute__((format(printf, 5, 6)))
fail(cap_record_fn report, void *ctx, enum cap_record_what what, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (report)
		report(ctx, what, code, msg);
	return code;
}

static void tell(cap_record_fn report, void *ctx, enum cap_record_what what)
{
	if (report)
		report(ctx, what, 0, "");
}

void cap_record_result_free(struct cap_record_result *res)
{
	if (!res)
		return;
	free(res->cpustat);
	res->cpustat = NULL;
}

int cap_record(const struct cap_probe *p, const struct cap_plan *plan,
	       const struct cap_record_opts *o, cap_record_fn report, void *ctx,
	       struct cap_record_result *rs)
{
	struct raw_reader rr = { 0 };
	bool poll_waits;	/* poll() on trace_pipe_raw waits for buffer_percent (6.1+) */
	struct cap_session *sess = NULL;
	struct cap_tdat *w = NULL;
	struct cap_cpustat *cstat = NULL;
	struct sigaction sa;
	sigset_t chld_mask, run_mask, orig_mask;
	char err[512] = "", *clock = NULL;
	int text_fd = -1, rc = -CAP_EINTR, ret, out_fd = o->out_fd;
	bool restored = false, child_done = false, batch_ok = true;
	pid_t child = -1;
	double t0, t1, t_prev;

	memset(rs, 0, sizeof(*rs));
	rs->nr_cpus = p->nr_cpus;
	stop_signal = 0;
	sigprocmask(SIG_BLOCK, NULL, &orig_mask);	/* restored at out: */

	rr.nr_cpus = p->nr_cpus;
	rr.page_size = p->page_size;
	rr.page_header = p->page_header >= 12 && p->page_header <= 16 ? p->page_header : 16;
	if (!o->text) {
		rr.pipe = calloc((size_t)rr.nr_cpus, sizeof(int));
		rr.tmp = calloc((size_t)rr.nr_cpus, sizeof(int));
		rr.size = calloc((size_t)rr.nr_cpus, sizeof(uint64_t));
		rr.page = malloc((size_t)rr.page_size);
		rr.batch = calloc((size_t)rr.nr_cpus, sizeof(char *));
		rr.nr_batch = calloc((size_t)rr.nr_cpus, sizeof(int));
		rr.direct = calloc((size_t)rr.nr_cpus, sizeof(bool));
		rr.batch_pages = BATCH_BYTES / rr.page_size > 0 ? (int)(BATCH_BYTES / rr.page_size) : 1;
		for (int cpu = 0; rr.batch && cpu < rr.nr_cpus; cpu++)
			if (posix_memalign((void **)&rr.batch[cpu], (size_t)rr.page_size,
					   (size_t)rr.batch_pages * (size_t)rr.page_size))
				rr.batch[cpu] = NULL;
		for (int cpu = 0; rr.batch && cpu < rr.nr_cpus; cpu++)
			if (!rr.batch[cpu])
				batch_ok = false;
		if (!rr.pipe || !rr.tmp || !rr.size || !rr.page || !rr.batch || !batch_ok ||
		    !rr.nr_batch || !rr.direct) {
			rc = fail(report, ctx, CAP_REC_ERROR, -CAP_ENOMEM, "out of memory");
			goto out;
		}
		for (int cpu = 0; cpu < rr.nr_cpus; cpu++)
			rr.pipe[cpu] = rr.tmp[cpu] = -1;
		for (int cpu = 0; cpu < rr.nr_cpus; cpu++) {
			rr.tmp[cpu] = scratch_file(o->output);
			if (rr.tmp[cpu] < 0) {
				rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO,
					  "cannot create a scratch file next to %s: %s",
					  o->output, strerror(errno));
				goto out;
			}
			rr.direct[cpu] = set_direct(rr.tmp[cpu], true);
		}
		rr.kbuf = kbuffer_alloc(rr.page_header == 16 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
					KBUFFER_ENDIAN_LITTLE);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: sleeps and reads return at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_child;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&chld_mask);
	sigaddset(&chld_mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld_mask, NULL);
	run_mask = orig_mask;
	sigdelset(&run_mask, SIGCHLD);

	ret = cap_session_new(p, plan, &sess, err, sizeof(err));
	if (!ret)
		ret = cap_session_setup(sess, err, sizeof(err));
	if (ret) {
		rc = fail(report, ctx, CAP_REC_ERROR, ret, "%s%s%s", cap_strerror(ret),
			  err[0] ? ": " : "", err);
		goto out;
	}
	if (stop_signal)
		goto out;	/* rc = -CAP_EINTR, nothing to say */
	if (o->text) {
		text_fd = cap_session_open_text(sess);
		if (text_fd < 0) {
			rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO, "cannot open trace_pipe: %s",
				  strerror(errno));
			goto out;
		}
	} else {
		for (int cpu = 0; cpu < rr.nr_cpus; cpu++)
			rr.pipe[cpu] = cap_session_open_raw(sess, cpu);
	}

	if (cap_session_start(sess)) {
		rc = fail(report, ctx, CAP_REC_ERROR, -CAP_ESETUP, "cannot turn tracing on in %s",
			  cap_session_dir(sess));
		goto out;
	}
	{
		char o_dur[64], o_cmd[200];
		const char *extra[2];
		int nx = 0;

		if (o->duration_ns) {
			snprintf(o_dur, sizeof(o_dur), "duration_s=%.3f", o->duration_ns / 1e9);
			extra[nx++] = o_dur;
		}
		if (o->cmd) {
			snprintf(o_cmd, sizeof(o_cmd), "command=%s", o->cmd[0]);
			extra[nx++] = o_cmd;
		}
		cap_snapshot_begin(sess, extra, nx);
	}
	t0 = now_s();
	tell(report, ctx, CAP_REC_TRACING_ON);

	if (o->cmd) {
		child = fork();
		if (child < 0) {
			rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO, "fork: %s", strerror(errno));
			goto stop;
		}
		if (child == 0) {
			signal(SIGPIPE, SIG_DFL);
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			signal(SIGHUP, SIG_DFL);
			signal(SIGQUIT, SIG_DFL);
			signal(SIGCHLD, SIG_DFL);
			sigprocmask(SIG_UNBLOCK, &chld_mask, NULL);
			execvp(o->cmd[0], o->cmd);
			fail(report, ctx, CAP_REC_EXEC_FAILED, -CAP_EIO, "cannot run %s: %s", o->cmd[0],
			     strerror(errno));
			_exit(127);
		}
		rs->child_ran = true;
	}

	poll_waits = p->kver_major > 6 || (p->kver_major == 6 && p->kver_minor >= 1);
	if (!o->text && writer_start(&rr)) {
		rc = fail(report, ctx, CAP_REC_ERROR, -CAP_ENOMEM, "cannot start the writer thread");
		goto stop;
	}
	t_prev = t0;
	while (!stop_signal) {
		struct timespec ts;
		double t_now = now_s(), rate = 0;	/* bytes/s of the busiest CPU */
		int nap = 100;				/* ms between drains */

		if (o->text ? drain_text(text_fd, out_fd, rs) : drain_raw(&rr, false, rs)) {
			rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO, "write failed: %s", strerror(errno));
			goto stop;
		}
		if (t_now > t_prev)
			rate = (double)rr.last_max / (t_now - t_prev);
		t_prev = t_now;
		if (child > 0 && waitpid(child, &rs->child_status, WNOHANG) == child) {
			child_done = true;
			break;
		}
		if (o->duration_ns && (now_s() - t0) * 1e9 >= (double)o->duration_ns)
			break;
		/*
		 * 100 ms between drains, but no longer than the busiest CPU takes
		 * to fill an eighth of its buffer at the last drain's rate: a
		 * reader that sleeps a fixed 100 ms and is then kept off the CPU
		 * by the workload (page-cache churn on 2 CPUs, the scratch file's
		 * writes queued behind its writeback) lost events from a 4 MB
		 * buffer in 3 of 5 runs on 6.18
		 */
		if (rate > 0) {
			double eighth = (double)plan->buffer_kb * 128.0 / rate * 1e3;

			nap = eighth < 5 ? 5 : eighth < nap ? (int)eighth : nap;
		}
		/*
		 * From 6.1 poll() waits for buffer_percent (wait_raw()): no need to
		 * nap long first, and a burst that comes before the rate is known
		 * (the churn above filled 4 MB in 100 ms) is read in time
		 */
		if (poll_waits && nap > 10)
			nap = 10;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)nap * 1000000L;
		nanosleep(&ts, NULL);
		if (!o->text && !stop_signal) {
			int ms = 900;

			if (rate > 0) {
				double half = (double)plan->buffer_kb * 512.0 / rate * 1e3 - nap;

				ms = half < ms ? (int)half : ms;
			}
			if (o->duration_ns) {
				double left = (double)o->duration_ns / 1e6 - (now_s() - t0) * 1e3;

				ms = left < ms ? (int)left : ms;
			}
			wait_raw(&rr, ms, &run_mask);
		}
	}
stop:
	if (child > 0 && !child_done) {
		stop_child(child, &rs->child_status);
		child_done = true;
	}
	t1 = now_s();
	rs->seconds = t1 - t0;
	cap_snapshot_end(sess);
	cap_session_stop(sess);
	tell(report, ctx, CAP_REC_TRACING_OFF);
	/* what is left in the buffer after tracing stopped */
	for (int pass = 0; pass < 2; pass++)
		if (o->text ? drain_text(text_fd, out_fd, rs) : drain_raw(&rr, true, rs)) {
			rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO, "write failed: %s", strerror(errno));
			goto out;
		}
	if (!o->text && writer_stop(&rr)) {
		rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO, "write failed: %s", strerror(errno));
		goto out;
	}
	if (!o->text) {
		end_direct(&rr);
		for (int cpu = 0; cpu < rr.nr_cpus; cpu++)
			if (rr.direct[cpu]) {
				rc = fail(report, ctx, CAP_REC_ERROR, -CAP_EIO,
					  "cannot turn O_DIRECT off on the scratch file of cpu%d: %s",
					  cpu, strerror(errno));
				goto out;
			}
	}

	cstat = calloc((size_t)p->nr_cpus, sizeof(*cstat));
	for (int cpu = 0; cstat && cpu < p->nr_cpus; cpu++)
		cap_cpustat_read(cap_session_dir(sess), cpu, &cstat[cpu]);

	if (!o->text) {
		uint32_t page = (uint32_t)p->page_size;

		clock = clock_name(cap_session_dir(sess));
		ret = cap_tdat_create(out_fd, page, o->zlevel, &w);
		if (!ret)
			ret = tdat_metadata(w, p, sess, plan);
		for (int cpu = 0; !ret && cstat && cpu < p->nr_cpus; cpu++) {
			char buf[600];

			snprintf(buf, sizeof(buf), "CPU: %d\n%s", cpu, cstat[cpu].raw);
			ret = cap_tdat_option_str(w, CAP_TD_OPT_CPUSTAT, buf);
		}
		if (ret) {
			rc = fail(report, ctx, CAP_REC_ERROR, ret, "writing %s: %s", o->output,
				  cap_strerror(ret));
			goto out;
		}
	}
	/* tracefs back to how we found it before the (slow) compression */
	ret = cap_session_restore(sess, err, sizeof(err));
	restored = true;
	if (ret) {
		rc = fail(report, ctx, CAP_REC_ERROR, -CAP_ESETUP,
			  "tracefs not fully restored (%d left): %s", -ret, err);
		goto out;
	}
	tell(report, ctx, CAP_REC_RESTORED);
	if (!o->text) {
		ret = cap_tdat_buffer(w, "", clock, rr.nr_cpus, rr.tmp, rr.size);
		if (!ret) {
			ret = cap_tdat_finish(w);
			w = NULL;
		}
		if (ret) {
			rc = fail(report, ctx, CAP_REC_ERROR, ret, "writing %s: %s", o->output,
				  cap_strerror(ret));
			goto out;
		}
	}
	rc = 0;
	if (o->count_events && !o->text)
		count_raw_events(&rr, rs);
	rs->cpustat = cstat;
	cstat = NULL;
out:
	if (sess && !restored) {
		err[0] = 0;
		ret = cap_session_restore(sess, err, sizeof(err));
		if (ret)
			fail(report, ctx, CAP_REC_ERROR, -CAP_ESETUP,
			     "tracefs not fully restored (%d left): %s", -ret, err);
		else
			tell(report, ctx, CAP_REC_RESTORED);
	}
	if (child > 0 && !child_done && rc)
		stop_child(child, &rs->child_status);
	rs->stop_signal = stop_signal;
	cap_session_free(sess);
	cap_tdat_abort(w);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
	writer_free(&rr);
	for (int cpu = 0; rr.tmp && cpu < rr.nr_cpus; cpu++)
		if (rr.tmp[cpu] >= 0)
			close(rr.tmp[cpu]);
	if (rr.kbuf)
		kbuffer_free(rr.kbuf);
	for (int cpu = 0; rr.batch && cpu < rr.nr_cpus; cpu++)
		free(rr.batch[cpu]);
	free(rr.batch);
	free(rr.nr_batch);
	free(rr.direct);
	free(rr.pipe);
	free(rr.tmp);
	free(rr.size);
	free(rr.page);
	free(cstat);
	free(clock);
	return rc;
}
