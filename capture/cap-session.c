// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set tracefs up for one recording and put it back exactly.
 *
 * Every change is pushed on a journal before it is made; restore walks the
 * journal backwards, so a setup that failed half-way is undone the same
 * way as a finished one, and restore can run twice.  Only the files the
 * plan needs are written: trace-cmd 3.1 fails on kernels where
 * ftrace_enabled or set_ftrace_filter are not writable even for tracepoints
 * (DESIGN.md), we never touch them unless the mode needs them.
 */
/* paths and names are cut to their buffers on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"

enum undo_kind {
	UNDO_CONTENT,		/* truncate and write the saved content */
	UNDO_LINES,		/* truncate, then append each saved line (filters) */
	UNDO_RMDIR,		/* remove the instance */
	UNDO_PROBE,		/* append "-:group/event" to the dynamic events file */
};

struct undo {
	enum undo_kind	kind;
	char		path[512];
	char		*saved;
	bool		done;
};

#define MAX_UNDO	128
#define MAX_FDS		1100

struct cap_session {
	struct cap_probe	probe;
	struct cap_plan		plan;
	char			dir[512];	/* where events are recorded */
	char			inst_dir[512];	/* our instance ("" = none) */
	int			marker_fd;
	int			fds[MAX_FDS];	/* pipes we opened, closed before rmdir */
	int			nr_fds;
	struct undo		undo[MAX_UNDO];
	int			nr_undo;
	int			nr_markers;
	char			probe_file[512];	/* kprobe_events or dynamic_events */
	char			fl_def[256];		/* the freelist probe as the kernel took it */
	char			fl_label[96];		/* ... what it is ("kretprobe, alloc_flags by BTF name") */
};

static void seterr(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

/* ---- file helpers -------------------------------------------------------------- */

static int write_file(const char *path, const char *s, int flags)
{
	size_t n = strlen(s);
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = n ? write(fd, s, n) : 0;
	if (r < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (close(fd) < 0)
		return -errno;
	return (size_t)r == n ? 0 : -EIO;
}

static char *read_file(const char *path)
{
	struct cap_buf b = { 0 };

	if (cap_buf_add_file(&b, path, NULL) || cap_buf_add(&b, "", 1)) {
		cap_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static void join(char *out, size_t len, const char *dir, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static struct undo *push(struct cap_session *s, enum undo_kind kind, const char *path, char *saved)
{
	struct undo *u;

	if (s->nr_undo >= MAX_UNDO) {
		free(saved);
		return NULL;
	}
	u = &s->undo[s->nr_undo++];
	u->kind = kind;
	snprintf(u->path, sizeof(u->path), "%s", path);
	u->saved = saved;
	u->done = false;
	return u;
}

/* Save @name of @dir, then write @value (O_TRUNC). */
static int set_file(struct cap_session *s, const char *dir, const char *name, const char *value,
		    char *err, size_t errlen)
{
	char path[512];
	char *saved;
	int r;

	join(path, sizeof(path), dir, name);
	saved = read_file(path);
	if (!saved) {
		seterr(err, errlen, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
		return -CAP_ESETUP;
	}
	if (!push(s, UNDO_CONTENT, path, saved))
		return -CAP_ENOMEM;
	r = write_file(path, value, O_TRUNC);
	if (r) {
		seterr(err, errlen, "cannot write '%s' to %s: %s", value, path, strerror(-r));
		return -CAP_ESETUP;
	}
	return 0;
}

/* A filter file: saved as lines, set to @funcs (each appended on its own). */
static int set_filter(struct cap_session *s, const char *dir, const char *name,
		      char funcs[][CAP_NAME_MAX], int nr, int *accepted, char *err, size_t errlen)
{
	char path[512];
	char *saved;
	int r, ok = 0;

	join(path, sizeof(path), dir, name);
	saved = read_file(path);
	if (!saved) {
		seterr(err, errlen, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
		return -CAP_ESETUP;
	}
	if (!push(s, UNDO_LINES, path, saved))
		return -CAP_ENOMEM;
	r = write_file(path, "", O_TRUNC);
	if (r) {
		seterr(err, errlen, "cannot clear %s: %s", path, strerror(-r));
		return -CAP_ESETUP;
	}
	for (int i = 0; i < nr; i++) {
		char line[CAP_NAME_MAX + 2];

		snprintf(line, sizeof(line), "%s\n", funcs[i]);
		if (!write_file(path, line, O_APPEND))
			ok++;
	}
	if (accepted)
		*accepted = ok;
	if (!ok) {
		seterr(err, errlen, "%s accepted none of the functions", path);
		return -CAP_ESETUP;
	}
	return 0;
}

/* Undo one journal entry; 0 or -errno. */
static int undo_one(struct cap_session *s, struct undo *u)
{
	int r = 0;

	switch (u->kind) {
	case UNDO_CONTENT: {
		char *v = u->saved ? u->saved : "";
		char num[64];
		const char *exp = strstr(v, "(expanded: ");

		/* buffer_size_kb reads "7 (expanded: 1408)" before first use: the real size is 1408 */
		if (exp) {
			snprintf(num, sizeof(num), "%ld", strtol(exp + 11, NULL, 10));
			v = num;
		} else if (!strncmp(u->path + strlen(u->path) - 13, "current_trace", 13)) {
			v[strcspn(v, "\n")] = 0;
		}
		r = write_file(u->path, v, O_TRUNC);
		break;
	}
	case UNDO_LINES: {
		char *line, *next, *v = u->saved ? u->saved : "";

		r = write_file(u->path, "", O_TRUNC);
		for (line = v; !r && line && *line; line = next) {
			char buf[512];

			next = strchr(line, '\n');
			if (next)
				*next++ = 0;
			/* "#### all functions enabled ####" and other comments mean: empty */
			if (line[0] == '#' || !line[0])
				continue;
			snprintf(buf, sizeof(buf), "%s\n", line);
			r = write_file(u->path, buf, O_APPEND);
		}
		break;
	}
	case UNDO_PROBE:
		r = write_file(s->probe_file, u->saved, O_APPEND);
		if (r == -ENOENT || r == -EINVAL) {
			/* already gone? then it is not listed any more */
			char *cur = read_file(s->probe_file);
			char name[256];

			snprintf(name, sizeof(name), "%s", u->saved + 2);
			name[strcspn(name, "\n")] = 0;
			if (cur && !strstr(cur, name))
				r = 0;
			free(cur);
		}
		break;
	case UNDO_RMDIR:
		for (int i = 0; i < 50; i++) {
			struct timespec ts = { 0, 20 * 1000000L };

			r = rmdir(u->path) ? -errno : 0;
			if (r != -EBUSY)
				break;
			nanosleep(&ts, NULL);	/* a reader may still be closing */
		}
		if (r == -ENOENT)
			r = 0;
		break;
	}
	return r;
}

/* ---- session ---------------------------------------------------------------------- */

int cap_session_new(const struct cap_probe *p, const struct cap_plan *plan,
		    struct cap_session **out, char *err, size_t errlen)
{
	struct cap_session *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return -CAP_ENOMEM;
	s->probe = *p;
	s->plan = *plan;
	s->marker_fd = -1;
	snprintf(s->dir, sizeof(s->dir), "%s", p->tracing_dir);
	*out = s;
	return 0;
}

const char *cap_session_dir(const struct cap_session *s)
{
	return s->dir;
}

static bool file_has_word(const char *path, const char *word)
{
	char *v = read_file(path), *t, *save = NULL;
	bool found = false;

	if (!v)
		return false;
	for (t = strtok_r(v, " \n", &save); t && !found; t = strtok_r(NULL, " \n", &save))
		found = !strcmp(t, word);
	free(v);
	return found;
}

static int add_probe(struct cap_session *s, const char *def, const char *event,
		     char *err, size_t errlen)
{
	char line[512], undo[160];
	int r;

	snprintf(line, sizeof(line), "%s\n", def);
	snprintf(undo, sizeof(undo), "-:allocscope/%s\n", event);
	r = write_file(s->probe_file, line, O_APPEND);
	if (r) {
		seterr(err, errlen, "cannot add probe '%s' to %s: %s", def, s->probe_file, strerror(-r));
		return -CAP_ESETUP;
	}
	if (!push(s, UNDO_PROBE, s->probe_file, strdup(undo)))
		return -CAP_ENOMEM;
	return 0;
}

/* Arguments of the alloc entry: gfp then order ($argN needs 4.20+; registers before). */
static void probe_args(char *out, size_t len)
{
	struct utsname u;

	if (!uname(&u) && !strcmp(u.machine, "x86_64"))
		snprintf(out, len, "gfp=%%di:x32 order=%%si:u32");
	else if (!uname(&u) && !strcmp(u.machine, "aarch64"))
		snprintf(out, len, "gfp=%%x0:x32 order=%%x1:u32");
	else
		snprintf(out, len, "gfp=$arg1:x32 order=$arg2:u32");
}

/*
 * A kretprobe holds one instance per call in flight, max(10, 2 x CPUs) by
 * default: tasks asleep in reclaim use them up, and the returns of further
 * calls are missed (a 5.10 capture lost 372 of 51,808).  "rN:" (4.12+)
 * asks for N; Perfetto asks for 1024.  Without the syntax, the default.
 */
#define CAP_RET_MAXACTIVE	"1024"

static int add_return_probe(struct cap_session *s, const char *r, const char *event,
			    const char *func, const char *ret, char *err, size_t errlen)
{
	char def[512];
	int e = -CAP_ESETUP;

	if (!strcmp(r, "r")) {
		snprintf(def, sizeof(def), "r" CAP_RET_MAXACTIVE ":allocscope/%s %s ret=$retval:x64",
			 event, func);
		e = add_probe(s, def, event, err, errlen);
	}
	if (e == -CAP_ESETUP) {
		snprintf(def, sizeof(def), "%s:allocscope/%s %s%s ret=$retval:x64", r, event, func, ret);
		e = add_probe(s, def, event, err, errlen);
	}
	return e;
}

static int setup_probes(struct cap_session *s, char *err, size_t errlen)
{
	const struct cap_plan *pl = &s->plan;
	const char *f = pl->use_fprobe ? "f" : "p", *r = pl->use_fprobe ? "f" : "r";
	const char *ret = pl->use_fprobe ? "%return" : "";
	char def[512], args[64];
	int e;

	join(s->probe_file, sizeof(s->probe_file), s->probe.tracing_dir,
	     pl->use_fprobe ? "dynamic_events" : "kprobe_events");
	/* $argN is portable (4.20+ on x86, arm64, ...); fall back to registers */
	snprintf(def, sizeof(def), "%s:allocscope/alloc_entry %s gfp=$arg1:x32 order=$arg2:u32", f,
		 pl->funcs[0]);
	e = add_probe(s, def, "alloc_entry", err, errlen);
	if (e == -CAP_ESETUP && !pl->use_fprobe) {
		probe_args(args, sizeof(args));
		snprintf(def, sizeof(def), "p:allocscope/alloc_entry %s %s", pl->funcs[0], args);
		e = add_probe(s, def, "alloc_entry", err, errlen);
	}
	if (e)
		return e;
	e = add_return_probe(s, r, "alloc_ret", pl->funcs[0], ret, err, errlen);
	if (e)
		return e;
	return add_return_probe(s, r, "gpff_ret", pl->funcs[1], ret, err, errlen);
}

static int enable_event(struct cap_session *s, const char *system, const char *event,
			char *err, size_t errlen);

/*
 * The freelist probe: the first definition the kernel accepts, most exact
 * first (cap_freelist_defs()); a return probe that is refused leaves the
 * entry probe, and the plan says which was taken (the markers too).
 */
static int setup_freelist_probe(struct cap_session *s, char *err, size_t errlen)
{
	char defs[12][256], labels[12][96];
	int n = cap_freelist_defs(&s->probe, &s->plan, defs, labels, 12), e = -CAP_ESETUP;

	join(s->probe_file, sizeof(s->probe_file), s->probe.tracing_dir,
	     s->plan.use_fprobe ? "dynamic_events" : "kprobe_events");
	for (int i = 0; i < n && e == -CAP_ESETUP; i++) {
		e = add_probe(s, defs[i], "freelist", err, errlen);
		if (!e) {
			snprintf(s->fl_def, sizeof(s->fl_def), "%s", defs[i]);
			snprintf(s->fl_label, sizeof(s->fl_label), "%s", labels[i]);
			s->plan.fl_return = defs[i][0] == 'r' || strstr(defs[i], "%return");
		}
	}
	if (e)
		return e;
	return enable_event(s, "allocscope", "freelist", err, errlen);
}

static int enable_event(struct cap_session *s, const char *system, const char *event,
			char *err, size_t errlen)
{
	char path[512], *cur;
	bool on;

	snprintf(path, sizeof(path), "%s/events/%s/%s/enable", s->dir, system, event);
	cur = read_file(path);
	if (!cur) {
		seterr(err, errlen, "cannot read %s: %s", path, strerror(errno ? errno : EIO));
		return -CAP_ESETUP;
	}
	on = cur[0] == '1';
	free(cur);
	if (on)
		return 0;	/* someone else's: leave it as it is */
	snprintf(path, sizeof(path), "events/%s/%s/enable", system, event);
	return set_file(s, s->dir, path, "1", err, errlen);
}

/*
 * The nolock allocation's entry and return (retprobe mode): it runs inside
 * other allocations (from a tracepoint or BPF program) and its one
 * get_page_from_freelist() must not count as theirs.  Optional: without it
 * the analyzer knows its gpfl returns by their caller.  0 or an error.
 */
static int setup_nolock_probes(struct cap_session *s)
{
	const struct cap_plan *pl = &s->plan;
	const char *fn = s->probe.func[CAP_FN_NOLOCK];
	char def[512];
	int e;

	snprintf(def, sizeof(def), "%s:allocscope/nolock_entry %s", pl->use_fprobe ? "f" : "p", fn);
	e = add_probe(s, def, "nolock_entry", NULL, 0);
	if (!e)
		e = add_return_probe(s, pl->use_fprobe ? "f" : "r", "nolock_ret", fn,
				     pl->use_fprobe ? "%return" : "", NULL, 0);
	if (!e)
		e = enable_event(s, "allocscope", "nolock_entry", NULL, 0);
	if (!e)
		e = enable_event(s, "allocscope", "nolock_ret", NULL, 0);
	return e;
}

/* The bulk allocator's return (pages it populated): optional, 0 or an error. */
static int setup_bulk_probe(struct cap_session *s)
{
	char def[256];
	int e;

	if (!s->probe_file[0])
		join(s->probe_file, sizeof(s->probe_file), s->probe.tracing_dir, "kprobe_events");
	snprintf(def, sizeof(def), "r:allocscope/bulk_ret %s ret=$retval:u32",
		 s->probe.func[CAP_FN_BULK]);
	e = add_probe(s, def, "bulk_ret", NULL, 0);
	if (!e)
		e = enable_event(s, "allocscope", "bulk_ret", NULL, 0);
	return e;
}

/*
 * tracefs's default clock, local, is per CPU and not synchronised across
 * CPUs: a task that sleeps in the slow path and wakes on another CPU gets
 * stamps out of order.  boot (4.10+, the clock Perfetto and Android use),
 * mono (4.1+) and global are monotonic across CPUs; the first the kernel
 * offers is used unless one of them is set already, and the one used is in
 * the markers (option clock=).  Restored like every other file.
 */
static const char *const cap_clocks[] = { "boot", "mono", "global" };

static int set_clock(struct cap_session *s, char *err, size_t errlen)
{
	char path[512], *list, *b, *e;
	const char *want = NULL;
	int r = 0;

	join(path, sizeof(path), s->dir, "trace_clock");
	list = read_file(path);
	if (!list)
		return 0;	/* no clock to choose (very old tracefs): recorded as is */
	b = strchr(list, '[');
	e = b ? strchr(b, ']') : NULL;
	if (!b || !e)
		goto out;
	*e = '\0';
	for (size_t i = 0; i < sizeof(cap_clocks) / sizeof(cap_clocks[0]); i++)
		if (!strcmp(b + 1, cap_clocks[i]))
			goto out;	/* already monotonic across CPUs */
	*e = ']';
	for (size_t i = 0; !want && i < sizeof(cap_clocks) / sizeof(cap_clocks[0]); i++) {
		size_t n = strlen(cap_clocks[i]);

		for (char *w = list; (w = strstr(w, cap_clocks[i])); w += n)
			if ((w == list || w[-1] == ' ' || w[-1] == '[') &&
			    (w[n] == ' ' || w[n] == ']' || w[n] == '\n' || !w[n])) {
				want = cap_clocks[i];
				break;
			}
	}
	if (!want)
		goto out;
	*e = '\0';
	{
		char *saved = strdup(b + 1);

		if (!saved || !push(s, UNDO_CONTENT, path, saved)) {	/* push frees it on failure */
			r = -CAP_ENOMEM;
			goto out;
		}
	}
	r = write_file(path, want, O_TRUNC);
	if (r) {
		seterr(err, errlen, "cannot write '%s' to %s: %s", want, path, strerror(-r));
		r = -CAP_ESETUP;
	}
out:
	free(list);
	return r;
}

int cap_session_setup(struct cap_session *s, char *err, size_t errlen)
{
	const struct cap_plan *pl = &s->plan;
	const struct cap_probe *p = &s->probe;
	char path[512], num[32];
	int r;

	/* our instance is also the lock: a second record finds it */
	if (pl->use_instance) {
		join(path, sizeof(path), p->tracing_dir, "instances/");
		strncat(path, pl->instance, sizeof(path) - strlen(path) - 1);
		if (mkdir(path, 0750)) {
			if (errno == EEXIST) {
				seterr(err, errlen, "%s exists (if no record is running, remove it: "
				       "rmdir %s)", path, path);
				return -CAP_EBUSY;
			}
			seterr(err, errlen, "cannot create %s: %s", path, strerror(errno));
			return errno == EACCES || errno == EPERM ? -CAP_EPERM : -CAP_ESETUP;
		}
		if (!push(s, UNDO_RMDIR, path, NULL))
			return -CAP_ENOMEM;
		snprintf(s->inst_dir, sizeof(s->inst_dir), "%s", path);
		snprintf(s->dir, sizeof(s->dir), "%s", path);
	}

	if (cap_plan_graph(pl) || pl->top_level) {
		if (pl->top_level || !s->inst_dir[0] || !cap_instance_can_graph(s->dir)) {
			char *cur;

			if (cap_plan_graph(pl))
				s->plan.graph_top = true;
			snprintf(s->dir, sizeof(s->dir), "%s", p->tracing_dir);
			join(path, sizeof(path), s->dir, "current_tracer");
			cur = read_file(path);
			if (cur && strncmp(cur, "nop", 3)) {
				cur[strcspn(cur, "\n")] = 0;
				seterr(err, errlen, "the top-level tracer is in use (current_tracer=%s)", cur);
				free(cur);
				return -CAP_EBUSY;
			}
			free(cur);
		}
	}

	r = set_file(s, s->dir, "tracing_on", "0", err, errlen);
	if (r)
		return r;
	/* the apps' atrace markers go to the top-level trace_marker: copied in here (6.17+) */
	if (pl->copy_marker && s->inst_dir[0] && !pl->graph_top) {
		r = set_file(s, s->dir, "options/copy_trace_marker", "1", err, errlen);
		if (r)
			return r;
	}
	snprintf(num, sizeof(num), "%lu", pl->buffer_kb);
	r = set_file(s, s->dir, "buffer_size_kb", num, err, errlen);
	if (r)
		return r;
	/*
	 * The raw reader's poll() returns when a CPU's buffer is this full (6.1+) or after its
	 * timeout; 50 is the kernel's default, written in case someone changed it (5.1+).
	 */
	join(path, sizeof(path), s->dir, "buffer_percent");
	if (!pl->text && !access(path, F_OK))
		set_file(s, s->dir, "buffer_percent", "50", NULL, 0);
	r = set_clock(s, err, errlen);
	if (r)
		return r;
	/* start from an empty buffer (a new instance is empty anyway) */
	join(path, sizeof(path), s->dir, "trace");
	write_file(path, "", O_TRUNC);

	if (pl->record_tgid) {
		r = set_file(s, s->dir, "options/record-tgid", "1", err, errlen);
		if (r)
			return r;
	}

	if (cap_plan_probes(pl)) {
		r = setup_probes(s, err, errlen);
		if (r)
			return r;
		r = enable_event(s, "allocscope", "alloc_entry", err, errlen);
		if (!r) r = enable_event(s, "allocscope", "alloc_ret", err, errlen);
		if (!r) r = enable_event(s, "allocscope", "gpff_ret", err, errlen);
		if (r)
			return r;
	}
	if (pl->freelist) {
		r = setup_freelist_probe(s, err, errlen);
		if (r)
			return r;
	}

	for (int i = 0; i < p->nr_events; i++) {
		if (!p->events[i].present)
			continue;
		r = enable_event(s, p->events[i].system, p->events[i].name, err, errlen);
		if (r)
			return r;
	}
	if (pl->bulk_probe && setup_bulk_probe(s))
		s->plan.bulk_probe = false;	/* recorded without it, and said so in the markers */
	if (pl->nolock_probe && setup_nolock_probes(s))
		s->plan.nolock_probe = false;	/* likewise */

	if (cap_plan_graph(pl)) {
		char entry[2][CAP_NAME_MAX];
		int acc = 0, nr_entry = 1;

		/* the nolock allocation is an allocation of its own: a graph root too */
		snprintf(entry[0], CAP_NAME_MAX, "%s", pl->funcs[0]);
		for (int i = 1; i < pl->nr_funcs; i++)
			if (!strcmp(pl->funcs[i], s->probe.func[CAP_FN_NOLOCK]))
				snprintf(entry[nr_entry++], CAP_NAME_MAX, "%s", pl->funcs[i]);
		r = set_filter(s, s->dir, "set_ftrace_filter", s->plan.funcs, pl->nr_funcs, &acc,
			       err, errlen);
		if (!r) r = set_filter(s, s->dir, "set_graph_function", entry, nr_entry, NULL, err, errlen);
		if (!r && pl->max_graph_depth) {
			snprintf(num, sizeof(num), "%d", pl->max_graph_depth);
			r = set_file(s, s->dir, "max_graph_depth", num, err, errlen);
		}
		/* text readers need absolute time, the task and the CPU on every line */
		static const char *const opts[] = {
			"options/funcgraph-abstime", "options/funcgraph-proc", "options/funcgraph-cpu",
		};
		for (size_t i = 0; !r && i < sizeof(opts) / sizeof(opts[0]); i++) {
			join(path, sizeof(path), s->dir, opts[i]);
			if (!access(path, F_OK))
				r = set_file(s, s->dir, opts[i], "1", err, errlen);
		}
		if (!r && pl->funcgraph_retval)
			r = set_file(s, s->dir, "options/funcgraph-retval", "1", err, errlen);
		if (!r)
			r = set_file(s, s->dir, "current_tracer", "function_graph", err, errlen);
		if (r)
			return r;
	}

	join(path, sizeof(path), s->dir, "trace_marker");
	s->marker_fd = open(path, O_WRONLY | O_CLOEXEC);
	return 0;
}

int cap_session_start(struct cap_session *s)
{
	char path[512];

	join(path, sizeof(path), s->dir, "tracing_on");
	return write_file(path, "1", O_TRUNC) ? -CAP_ESETUP : 0;
}

/*
 * function_graph in instances is newer than instances: ask the instance. Its available_tracers
 * lists function_graph on 6.12, but set_graph_function exists only at the top level there (it is
 * created by ftrace_init_dyn_tracefs() for the top directory only; instances get set_ftrace_filter):
 * without it the graph cannot be rooted at the alloc entry, so graph goes to the top level then.
 */
bool cap_instance_can_graph(const char *inst_dir)
{
	char path[512];

	join(path, sizeof(path), inst_dir, "available_tracers");
	if (!file_has_word(path, "function_graph"))
		return false;
	join(path, sizeof(path), inst_dir, "set_graph_function");
	return access(path, F_OK) == 0;
}

int cap_session_stop(struct cap_session *s)
{
	char path[512];

	join(path, sizeof(path), s->dir, "tracing_on");
	return write_file(path, "0", O_TRUNC) ? -CAP_ESETUP : 0;
}

static int track_fd(struct cap_session *s, int fd)
{
	if (fd >= 0 && s->nr_fds < MAX_FDS)
		s->fds[s->nr_fds++] = fd;
	return fd;
}

int cap_session_open_raw(struct cap_session *s, int cpu)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", s->dir, cpu);
	return track_fd(s, open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
}

int cap_session_open_text(struct cap_session *s)
{
	char path[512];

	join(path, sizeof(path), s->dir, "trace_pipe");
	return track_fd(s, open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
}

int cap_session_restore(struct cap_session *s, char *err, size_t errlen)
{
	char path[512];
	int failed = 0;

	if (!s)
		return 0;
	/* stop first (only where we turned it on): nothing more goes into the buffer while we undo */
	join(path, sizeof(path), s->dir, "tracing_on");
	for (int i = 0; i < s->nr_undo; i++)
		if (!strcmp(s->undo[i].path, path) && !s->undo[i].done) {
			write_file(path, "0", O_TRUNC);
			break;
		}
	if (s->marker_fd >= 0) {
		close(s->marker_fd);
		s->marker_fd = -1;
	}
	for (int i = 0; i < s->nr_fds; i++)
		close(s->fds[i]);
	s->nr_fds = 0;
	for (int i = s->nr_undo - 1; i >= 0; i--) {
		struct undo *u = &s->undo[i];
		int r;

		if (u->done)
			continue;
		/* the instance vanishes with everything in it: skip the files inside */
		if (s->inst_dir[0] && u->kind != UNDO_RMDIR && u->kind != UNDO_PROBE &&
		    !strncmp(u->path, s->inst_dir, strlen(s->inst_dir)) &&
		    strstr(u->path, "/events/") == NULL) {
			u->done = true;
			continue;
		}
		r = undo_one(s, u);
		if (r) {
			failed++;
			seterr(err, errlen, "cannot restore %s: %s", u->path, strerror(-r));
			continue;
		}
		u->done = true;
	}
	return -failed;
}

void cap_session_free(struct cap_session *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nr_undo; i++)
		free(s->undo[i].saved);
	if (s->marker_fd >= 0)
		close(s->marker_fd);
	for (int i = 0; i < s->nr_fds; i++)
		close(s->fds[i]);
	free(s);
}

/* ---- markers ------------------------------------------------------------------------ */

int cap_marker(struct cap_session *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (s->marker_fd < 0)
		return -CAP_EIO;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -CAP_EINVAL;
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(s->marker_fd, buf, (size_t)n) != n)
		return -CAP_EIO;
	s->nr_markers++;
	return 0;
}

static int emit_marker(void *ctx, const char *line)
{
	return cap_marker(ctx, "%s", line);
}

/* Lines kept until "allocscope: end" is written (after the snapshot was read). */
struct held {
	struct cap_buf	buf;
};

static int hold_line(void *ctx, const char *line)
{
	struct held *h = ctx;

	return cap_buf_add(&h->buf, line, strlen(line) + 1);
}

/*
 * The window must contain the counter window (docs/capture-format.md):
 * "begin" is written before the before-snapshot is read, "end" after the
 * after-snapshot was read, and "snapshot-after" just before that read, so
 * that the analyzer can bound the events that count in the window but
 * perhaps not in the kernel's delta at both ends.  @end_marker NULL: emit
 * as read.
 */
static void snapshot_common(struct cap_session *s, const char *end_marker)
{
	const char *proc = s->probe.proc_dir;
	struct held h = { { 0 } };
	cap_emit_fn emit = end_marker ? hold_line : emit_marker;
	void *ctx = end_marker ? (void *)&h : (void *)s;
	char tck[64];

	if (end_marker)
		cap_marker(s, "allocscope: snapshot-after");
	snprintf(tck, sizeof(tck), "allocscope: clk_tck %ld", sysconf(_SC_CLK_TCK));
	emit(ctx, tck);
	cap_emit_kswapd(proc, emit, ctx);
	/*
	 * When kswapd was read, straight into the trace (the after-snapshot's
	 * lines are held until after "end", and reading the rest can take
	 * seconds under pressure: 1.7 s on 6.12 arm64): the analyzer compares
	 * sched_switch's run time with the snapshots' over the same span
	 */
	cap_marker(s, "allocscope: kswapd-read");
	cap_emit_vmstat(proc, emit, ctx);
	cap_emit_meminfo(proc, emit, ctx);
	cap_emit_watermarks(proc, emit, ctx);
	if (!end_marker)
		return;
	cap_marker(s, "%s", end_marker);
	for (size_t off = 0; off < h.buf.len; off += strlen(h.buf.data + off) + 1)
		cap_marker(s, "%s", h.buf.data + off);
	cap_buf_free(&h.buf);
}

int cap_snapshot_begin(struct cap_session *s, const char *extra[], int nr_extra)
{
	const struct cap_plan *pl = &s->plan;
	char funcs[1024] = "";
	char *clock, path[512];

	/*
	 * The recorder's own pid first (it reads the ring buffer and writes the
	 * file in this one thread; a workload it forks is not the recorder):
	 * its allocations count in the kernel's vmstat, and the analyzer keeps
	 * them out of the KPIs (docs/capture-format.md).
	 */
	cap_marker(s, "allocscope: recorder-pid %d", (int)getpid());
	cap_marker(s, "allocscope: begin");
	cap_marker(s, "allocscope: uname %s", s->probe.release[0] ? s->probe.release : "unknown");
	/* the unit of pgalloc and every page count: 4, 16 or 64 KB on arm64 */
	cap_marker(s, "allocscope: page_size %ld", sysconf(_SC_PAGESIZE));
	cap_marker(s, "allocscope: mode %s", cap_mode_name(pl->mode));
	for (int i = 0; i < pl->nr_funcs; i++) {
		strncat(funcs, i ? " " : "", sizeof(funcs) - strlen(funcs) - 1);
		strncat(funcs, pl->funcs[i], sizeof(funcs) - strlen(funcs) - 1);
	}
	cap_marker(s, "allocscope: funcs %s", funcs[0] ? funcs : "-");
	cap_marker(s, "allocscope: option format=%s", pl->text ? "text" : "trace.dat");
	cap_marker(s, "allocscope: option requested_mode=%s", cap_mode_name(pl->requested));
	cap_marker(s, "allocscope: option instance=%s",
		   s->inst_dir[0] && !pl->graph_top && !pl->top_level ? pl->instance : "-");
	cap_marker(s, "allocscope: option frames=%s", !pl->frames ? "-" :
		   pl->copy_marker && !pl->graph_top ? "copy_trace_marker" : "top-level");
	cap_marker(s, "allocscope: option buffer_kb=%lu", pl->buffer_kb);
	cap_marker(s, "allocscope: option nr_cpus=%d", s->probe.nr_cpus);
	join(path, sizeof(path), s->dir, "trace_clock");
	clock = read_file(path);
	if (clock) {
		char *b = strchr(clock, '['), *e = b ? strchr(b, ']') : NULL;

		if (b && e) {
			*e = 0;
			cap_marker(s, "allocscope: option clock=%s", b + 1);
		}
		free(clock);
	}
	if (cap_plan_graph(pl)) {
		cap_marker(s, "allocscope: option graph_top=%d", pl->graph_top);
		cap_marker(s, "allocscope: option max_graph_depth=%d", pl->max_graph_depth);
		cap_marker(s, "allocscope: option funcgraph-retval=%d", pl->funcgraph_retval);
	}
	if (cap_plan_probes(pl))
		cap_marker(s, "allocscope: option probes=%s",
			   pl->use_fprobe ? "fprobe" : "kprobe");
	/* which probe the freelist mode read, and how alloc_flags was fetched (analyze says it) */
	if (pl->freelist) {
		cap_marker(s, "allocscope: option freelist_probe=%s", s->fl_label);
		cap_marker(s, "allocscope: option freelist_def=%s", s->fl_def);
	} else if (pl->mode == CAP_MODE_CROSS) {
		cap_marker(s, "allocscope: option freelist_probe=-,%s", pl->why_no_freelist);
	}
	cap_marker(s, "allocscope: option bulk_probe=%s",
		   pl->bulk_probe ? s->probe.func[CAP_FN_BULK] : "-");
	if (s->probe.func[CAP_FN_NOLOCK][0])
		cap_marker(s, "allocscope: option nolock=%s traced=%s", s->probe.func[CAP_FN_NOLOCK],
			   pl->nolock_probe ? "probes" : cap_plan_graph(pl) ? "graph" : "no");
	for (int i = 0; i < s->probe.nr_events; i++)
		cap_marker(s, "allocscope: option event=%s:%s%s", s->probe.events[i].system,
			   s->probe.events[i].name, s->probe.events[i].present ? "" : ",missing");
	for (int i = 0; i < nr_extra; i++)
		cap_marker(s, "allocscope: option %s", extra[i]);
	snapshot_common(s, NULL);
	return 0;
}

int cap_cpustat_read(const char *dir, int cpu, struct cap_cpustat *st)
{
	char path[512];
	char *v, *line, *next;

	memset(st, 0, sizeof(*st));
	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/stats", dir, cpu);
	v = read_file(path);
	if (!v)
		return -CAP_EIO;
	snprintf(st->raw, sizeof(st->raw), "%s", v);
	for (line = v; line && *line; line = next) {
		unsigned long long n;
		char *colon;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		colon = strchr(line, ':');
		if (!colon || sscanf(colon + 1, "%llu", &n) != 1)
			continue;
		*colon = 0;
		if (!strcmp(line, "entries"))
			st->entries = n;
		else if (!strcmp(line, "overrun"))
			st->overrun = n;
		else if (!strcmp(line, "commit overrun"))
			st->commit_overrun = n;
		else if (!strcmp(line, "dropped events"))
			st->dropped = n;
		else if (!strcmp(line, "read events"))
			st->read_events = n;
	}
	free(v);
	return 0;
}

int cap_snapshot_end(struct cap_session *s)
{
	snapshot_common(s, "allocscope: end");
	if (cap_plan_probes(&s->plan) || s->plan.freelist) {
		/* kretprobes miss returns when maxactive is exhausted: say how many */
		char path[512], *v, *line, *next;

		join(path, sizeof(path), s->probe.tracing_dir, "kprobe_profile");
		v = read_file(path);
		for (line = v; line && *line; line = next) {
			char name[128];
			unsigned long long hits, miss;

			next = strchr(line, '\n');
			if (next)
				*next++ = 0;
			if (sscanf(line, "%127s %llu %llu", name, &hits, &miss) == 3 &&
			    !strncmp(name, "allocscope/", 11))
				cap_marker(s, "allocscope: kprobe %s hits=%llu missed=%llu", name + 11,
					   hits, miss);
		}
		free(v);
	}
	for (int cpu = 0; cpu < s->probe.nr_cpus; cpu++) {
		struct cap_cpustat st;

		if (!cap_cpustat_read(s->dir, cpu, &st))
			cap_marker(s, "allocscope: cpustat %d overrun=%llu dropped=%llu", cpu,
				   (unsigned long long)st.overrun, (unsigned long long)st.dropped);
	}
	return 0;
}
