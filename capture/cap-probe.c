// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the running kernel lets us record, and the plan made from it.
 * Probing only reads: it never writes a tracefs file.
 */
/* paths and names are cut to their buffers on purpose */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <tracefs.h>

#include "capture.h"

#undef _CE
#define _CE(code, str) str
static const char *const cap_errstr[] = { CAP_ERRORS };
#undef _CE

const char *cap_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= CAP_E__LAST)
		return "unknown error";
	return cap_errstr[code];
}

static const char *const mode_names[] = {
	[CAP_MODE_AUTO] = "auto", [CAP_MODE_GRAPH] = "graph",
	[CAP_MODE_RETPROBE] = "retprobe", [CAP_MODE_EVENTS] = "events",
	[CAP_MODE_CROSS] = "cross", [CAP_MODE_FREELIST] = "freelist",
};

const char *cap_mode_name(enum cap_mode mode)
{
	return (unsigned)mode < CAP_MODE__COUNT ? mode_names[mode] : "?";
}

int cap_mode_parse(const char *s, enum cap_mode *out)
{
	for (unsigned i = 0; i < CAP_MODE__COUNT; i++)
		if (!strcmp(s, mode_names[i])) {
			*out = (enum cap_mode)i;
			return 0;
		}
	return -1;
}

/* Base names, in enum cap_func order (the alloc entry is looked up apart). */
static const char *const func_base[CAP_FN__COUNT] = {
	[CAP_FN_ALLOC]		= NULL,
	[CAP_FN_GPFF]		= "get_page_from_freelist",
	[CAP_FN_WAKE_KSWAPDS]	= "wake_all_kswapds",
	[CAP_FN_SLOWPATH]	= "__alloc_pages_slowpath",
	[CAP_FN_DIRECT_COMPACT]	= "__alloc_pages_direct_compact",
	[CAP_FN_DIRECT_RECLAIM]	= "__alloc_pages_direct_reclaim",
	[CAP_FN_PERFORM_RECLAIM] = "__perform_reclaim",
	[CAP_FN_TRY_TO_FREE]	= "try_to_free_pages",
	[CAP_FN_MAY_OOM]	= "__alloc_pages_may_oom",
	[CAP_FN_OOM]		= "out_of_memory",
	[CAP_FN_BULK]		= "alloc_pages_bulk_noprof",	/* 6.10+ */
};

/* The same function under an older name. */
static const char *const func_old[CAP_FN__COUNT] = {
	[CAP_FN_BULK]		= "__alloc_pages_bulk",		/* 5.13-6.9 */
};

/*
 * The alloc entry, newest name first: __alloc_frozen_pages_noprof holds the
 * work under the __alloc_pages_noprof wrapper in the newest kernels (and is
 * called directly for frozen pages), __alloc_pages_noprof 6.10+,
 * __alloc_pages 5.13-6.9, __alloc_pages_nodemask 5.4-5.12.
 */
static const char *const alloc_entries[] = {
	"__alloc_frozen_pages_noprof", "__alloc_pages_noprof", "__alloc_pages",
	"__alloc_pages_nodemask",
};
#define NR_ALLOC_ENTRIES (sizeof(alloc_entries) / sizeof(alloc_entries[0]))

/*
 * The nolock allocation, the function mm_page_alloc fires in first: from
 * 6.18 alloc_frozen_pages_nolock_noprof under the alloc_pages_nolock_noprof
 * wrapper, 6.16-6.17 alloc_pages_nolock_noprof, 6.15 try_alloc_pages_noprof.
 * One freelist attempt, no slow path; it may run inside an allocation in
 * progress (from a tracepoint or BPF program), so it is traced as its own
 * allocation where it exists.
 */
static const char *const nolock_entries[] = {
	"alloc_frozen_pages_nolock_noprof", "alloc_pages_nolock_noprof", "try_alloc_pages_noprof",
};
#define NR_NOLOCK_ENTRIES (sizeof(nolock_entries) / sizeof(nolock_entries[0]))

static const char *const wanted_events[][2] = {
	{ "kmem", "mm_page_alloc" },
	{ "vmscan", "mm_vmscan_direct_reclaim_begin" },
	{ "vmscan", "mm_vmscan_direct_reclaim_end" },
	{ "vmscan", "mm_vmscan_wakeup_kswapd" },
	{ "vmscan", "mm_vmscan_kswapd_wake" },
	{ "vmscan", "mm_vmscan_kswapd_sleep" },
	/*
	 * priority going back up inside a direct reclaim = a restart, counted as
	 * another allocstall; _inactive's nr_reclaimed is what pgsteal_* count
	 */
	{ "vmscan", "mm_vmscan_lru_shrink_inactive" },
	{ "vmscan", "mm_vmscan_lru_shrink_active" },
	/* memcg reclaim: its LRU pages count in memory.stat, not in pgsteal_direct (CONFIG_MEMCG) */
	{ "vmscan", "mm_vmscan_memcg_reclaim_begin" },
	{ "vmscan", "mm_vmscan_memcg_reclaim_end" },
	{ "vmscan", "mm_vmscan_memcg_softlimit_reclaim_begin" },
	{ "vmscan", "mm_vmscan_memcg_softlimit_reclaim_end" },
	{ "compaction", "mm_compaction_begin" },
	{ "compaction", "mm_compaction_end" },
	{ "compaction", "mm_compaction_try_to_compact_pages" },
	{ "compaction", "mm_compaction_suitable" },
	{ "compaction", "mm_compaction_deferred" },
	{ "compaction", "mm_compaction_finished" },
	{ "oom", "mark_victim" },
	{ "sched", "sched_switch" },
};

int cap_kernel_version(const char *release, int *major, int *minor)
{
	char *end;
	long a, b;

	if (!release)
		return -1;
	a = strtol(release, &end, 10);
	if (end == release || *end != '.')
		return -1;
	release = end + 1;
	b = strtol(release, &end, 10);
	if (end == release || a < 2 || a > 99 || b < 0 || b > 999)
		return -1;
	*major = (int)a;
	*minor = (int)b;
	return 0;
}

const char *cap_alloc_entry_for_version(int major, int minor)
{
	int v = major * 1000 + minor;

	if (v >= 6010)
		return "__alloc_pages_noprof";
	if (v >= 5013)
		return "__alloc_pages";
	return "__alloc_pages_nodemask";
}

bool cap_func_matches(const char *have, const char *want)
{
	static const char *const clones[] = { ".constprop.", ".isra.", ".part." };
	size_t n = strlen(want);
	const char *s;

	if (strncmp(have, want, n))
		return false;
	/* GCC clones keep the function's entry semantics, even chained
	 * (foo.constprop.0.isra.0); .cold parts do not */
	for (s = have + n; *s; ) {
		size_t i, k = 0;

		for (i = 0; i < sizeof(clones) / sizeof(clones[0]); i++) {
			k = strlen(clones[i]);
			if (!strncmp(s, clones[i], k))
				break;
		}
		if (i == sizeof(clones) / sizeof(clones[0]) || !isdigit((unsigned char)s[k]))
			return false;
		for (s += k; isdigit((unsigned char)*s); s++)
			;
	}
	return true;
}

static bool path_exists(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/* Whole small file into @buf (NUL-terminated); -errno on failure. */
static int read_small(const char *dir, const char *name, char *buf, size_t len)
{
	char p[512];
	ssize_t r;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, len - 1);
	close(fd);
	if (r < 0)
		return -errno;
	buf[r] = 0;
	return 0;
}

/*
 * Look every wanted function up in a list of names, one a line: the first
 * token is the name (available_filter_functions: "name [module]";
 * kallsyms: "addr type name", @kallsyms set, text symbols only).
 */
static int scan_functions(const char *path, bool kallsyms, struct cap_probe *p)
{
	struct cap_buf b = { 0 };
	bool found_entry[NR_ALLOC_ENTRIES] = { false }, found_nolock[NR_NOLOCK_ENTRIES] = { false };
	char entry_name[NR_ALLOC_ENTRIES][CAP_NAME_MAX], nolock_name[NR_NOLOCK_ENTRIES][CAP_NAME_MAX];
	char *line, *next;
	int ret = cap_buf_add_file(&b, path, NULL);

	if (ret || !b.len) {
		cap_buf_free(&b);
		return ret ? ret : -CAP_EIO;
	}
	if (cap_buf_add(&b, "", 1)) {
		cap_buf_free(&b);
		return -CAP_ENOMEM;
	}
	for (line = b.data; line && *line; line = next) {
		char *name = line, *end;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (kallsyms) {
			char *t = strchr(line, ' ');

			if (!t || !t[1] || (t[1] != 't' && t[1] != 'T') || t[2] != ' ')
				continue;
			name = t + 3;
		}
		end = name + strcspn(name, " \t");
		*end = 0;
		if (name[0] != '_' && name[0] != 'g' && name[0] != 'w' && name[0] != 't' && name[0] != 'o' &&
		    name[0] != 'a')
			continue;
		for (size_t i = 0; i < NR_ALLOC_ENTRIES; i++)
			if (!found_entry[i] && cap_func_matches(name, alloc_entries[i])) {
				found_entry[i] = true;
				snprintf(entry_name[i], CAP_NAME_MAX, "%s", name);
			}
		for (size_t i = 0; i < NR_NOLOCK_ENTRIES; i++)
			if (!found_nolock[i] && cap_func_matches(name, nolock_entries[i])) {
				found_nolock[i] = true;
				snprintf(nolock_name[i], CAP_NAME_MAX, "%s", name);
			}
		for (int f = 1; f < CAP_FN__COUNT; f++)
			if (func_base[f] && !p->func[f][0] && (cap_func_matches(name, func_base[f]) ||
					       (func_old[f] && cap_func_matches(name, func_old[f]))))
				snprintf(p->func[f], CAP_NAME_MAX, "%s", name);
		/* the freelist probe reads an argument: only the function as written will do */
		if (cap_func_matches(name, func_base[CAP_FN_GPFF])) {
			if (!strcmp(name, func_base[CAP_FN_GPFF]))
				p->gpff_plain = true;
			else if (!p->gpff_clone[0])
				snprintf(p->gpff_clone, CAP_NAME_MAX, "%s", name);
		}
	}
	for (size_t i = 0; i < NR_ALLOC_ENTRIES; i++)
		if (found_entry[i]) {
			snprintf(p->func[CAP_FN_ALLOC], CAP_NAME_MAX, "%s", entry_name[i]);
			break;
		}
	for (size_t i = 0; i < NR_NOLOCK_ENTRIES; i++)
		if (found_nolock[i]) {
			snprintf(p->func[CAP_FN_NOLOCK], CAP_NAME_MAX, "%s", nolock_name[i]);
			break;
		}
	cap_buf_free(&b);
	return 0;
}

static int count_cpus(const char *dir)
{
	char p[512];
	struct dirent *de;
	DIR *d;
	int max = -1;

	snprintf(p, sizeof(p), "%s/per_cpu", dir);
	d = opendir(p);
	if (!d)
		return (int)sysconf(_SC_NPROCESSORS_CONF);
	while ((de = readdir(d))) {
		char *end;
		long n;

		if (strncmp(de->d_name, "cpu", 3))
			continue;
		n = strtol(de->d_name + 3, &end, 10);
		if (*end || end == de->d_name + 3)
			continue;
		if (n > max)
			max = (int)n;
	}
	closedir(d);
	return max + 1;
}

/*
 * The sub-buffer size: buffer_subbuf_size_kb (6.8+), else header_page's
 * data field end ("field: char data; offset:16; size:4080;").  @hdr gets
 * the data offset (16 with an 8-byte commit, 12 on 32-bit kernels).
 */
static long ring_page_size(const char *dir, int *hdr)
{
	char buf[2048], *f;
	long off = 0, size = 0;

	*hdr = 16;
	if (!read_small(dir, "events/header_page", buf, sizeof(buf)) &&
	    (f = strstr(buf, "data;"))) {
		char *o = strstr(f, "offset:"), *s = strstr(f, "size:");

		if (o && s) {
			off = strtol(o + 7, NULL, 10);
			size = strtol(s + 5, NULL, 10);
			if (off > 0 && off < 64)
				*hdr = (int)off;
		}
	}
	if (!read_small(dir, "buffer_subbuf_size_kb", buf, sizeof(buf))) {
		long kb = strtol(buf, NULL, 10);

		if (kb > 0)
			return kb * 1024;
	}
	if (off > 0 && size > 0)
		return off + size;
	return sysconf(_SC_PAGESIZE);
}

/*
 * The BTF file of the kernel whose tracefs is @tracing_dir: /sys/kernel/btf/vmlinux
 * is <tracefs>/../btf/vmlinux when tracefs is mounted at /sys/kernel/tracing (and in
 * the tests' trees); else the fixed path, for a tracefs under /sys only.
 */
static void btf_path(const struct cap_probe *p, char *out, size_t len)
{
	snprintf(out, len, "%s/../btf/vmlinux", p->tracing_dir);
	if (access(out, F_OK) && !strncmp(p->tracing_dir, "/sys/", 5))
		snprintf(out, len, "/sys/kernel/btf/vmlinux");
}

/*
 * get_page_from_freelist(gfp_t gfp_mask, unsigned int order, int alloc_flags,
 * const struct alloc_context *ac) in every version from 5.4 to 7.1
 * (mm/page_alloc.c): alloc_flags is the third argument, unless the compiler
 * changed the function's arguments without renaming it (Clang, GKI).
 */
static void gpff_btf_check(struct cap_probe *p)
{
	char path[512];
	int r;

	btf_path(p, path, sizeof(path));
	if (access(path, R_OK)) {
		p->gpff_btf = CAP_BTF_NONE;
		return;
	}
	r = cap_btf_param_name(path, "get_page_from_freelist", 2, p->gpff_btf_arg,
			       sizeof(p->gpff_btf_arg));
	if (r == 0 && !strcmp(p->gpff_btf_arg, "alloc_flags"))
		p->gpff_btf = CAP_BTF_ALLOC_FLAGS;
	else if (r >= 0)
		p->gpff_btf = CAP_BTF_OTHER;
	else if (r == -CAP_EMODE)
		p->gpff_btf = CAP_BTF_MISSING;
	else
		p->gpff_btf = r == -CAP_EINVAL ? CAP_BTF_BAD : CAP_BTF_NONE;
}

/* Whether the freelist probe can be placed and read exactly; the reason when not. */
static void why_not_freelist(struct cap_probe *p)
{
	char *w = p->why_not_freelist;
	size_t n = sizeof(p->why_not_freelist);

	if (!p->has_kprobe_events && !p->has_fprobe)
		snprintf(w, n, "no kprobe_events (CONFIG_KPROBE_EVENTS) and no fprobe events");
	else if (!p->has_page_alloc)
		snprintf(w, n, "no kmem:mm_page_alloc tracepoint: allocations could not be closed");
	else if (p->gpff_clone[0])
		snprintf(w, n, "get_page_from_freelist is compiled as %s: a clone's arguments are not "
			 "the source's, alloc_flags cannot be located", p->gpff_clone);
	else if (p->func_src == CAP_SRC_UNAME || !p->gpff_plain)
		snprintf(w, n, "get_page_from_freelist not found in %s (inlined?)",
			 p->func_src == CAP_SRC_FILTER_FUNCS ? "available_filter_functions" : "kallsyms");
	else if (p->gpff_btf == CAP_BTF_OTHER)
		snprintf(w, n, "the kernel's BTF gives get_page_from_freelist a third argument '%s', not "
			 "alloc_flags: the compiler changed its arguments", p->gpff_btf_arg[0] ?
			 p->gpff_btf_arg : "(none)");
	else if (p->gpff_btf == CAP_BTF_MISSING)
		snprintf(w, n, "get_page_from_freelist is not in the kernel's BTF (pahole leaves out "
			 "functions whose arguments the compiler changed): alloc_flags cannot be located");
}

int cap_probe_run(const char *tracing_dir, const char *proc_dir, struct cap_probe *p)
{
	char buf[8192], path[512];
	int r;

	memset(p, 0, sizeof(*p));
	if (!proc_dir)
		proc_dir = "/proc";
	snprintf(p->proc_dir, sizeof(p->proc_dir), "%s", proc_dir);
	if (!tracing_dir) {
		tracing_dir = tracefs_tracing_dir();
		if (!tracing_dir)
			return access("/sys/kernel/tracing", F_OK) == 0 && geteuid() ? -CAP_EPERM
										 : -CAP_ENOTRACEFS;
	}
	snprintf(p->tracing_dir, sizeof(p->tracing_dir), "%s", tracing_dir);
	snprintf(path, sizeof(path), "%s/events", tracing_dir);
	if (access(path, F_OK)) {
		if (errno == EACCES || errno == EPERM)
			return -CAP_EPERM;
		return -CAP_ENOTRACEFS;
	}
	r = read_small(tracing_dir, "trace_clock", buf, sizeof(buf));
	if (r == -EACCES || r == -EPERM)
		return -CAP_EPERM;

	if (!read_small(proc_dir, "sys/kernel/osrelease", buf, sizeof(buf))) {
		buf[strcspn(buf, "\n")] = 0;
		snprintf(p->release, sizeof(p->release), "%s", buf);
		if (cap_kernel_version(buf, &p->kver_major, &p->kver_minor))
			p->kver_major = p->kver_minor = 0;
	}
	p->nr_cpus = count_cpus(tracing_dir);
	p->page_size = ring_page_size(tracing_dir, &p->page_header);
	p->has_instances = path_exists(tracing_dir, "instances");
	p->has_subbuf_size = path_exists(tracing_dir, "buffer_subbuf_size_kb");

	if (!read_small(tracing_dir, "available_tracers", buf, sizeof(buf))) {
		char *t;

		p->tracers_readable = true;
		for (t = strtok(buf, " \n"); t; t = strtok(NULL, " \n"))
			if (!strcmp(t, "function_graph"))
				p->top_function_graph = true;
	}
	p->has_set_graph_function = path_exists(tracing_dir, "set_graph_function");
	p->has_max_graph_depth = path_exists(tracing_dir, "max_graph_depth");
	p->has_funcgraph_retval = path_exists(tracing_dir, "options/funcgraph-retval");
	p->has_record_tgid = path_exists(tracing_dir, "options/record-tgid");
	p->has_copy_marker = path_exists(tracing_dir, "options/copy_trace_marker");
	p->has_kprobe_events = path_exists(tracing_dir, "kprobe_events");
	p->has_dynamic_events = path_exists(tracing_dir, "dynamic_events");
	{
		struct cap_buf readme = { 0 };

		/*
		 * README lists what the probe syntax takes: fprobes, "<argname>"
		 * (BTF probe arguments, 6.5+), "kernel return probes support:
		 * $retval, $arg<N>" (entry arguments at return, 6.9+)
		 */
		snprintf(path, sizeof(path), "%s/README", tracing_dir);
		if (!cap_buf_add_file(&readme, path, NULL) && !cap_buf_add(&readme, "", 1)) {
			p->has_fprobe = p->has_dynamic_events &&
					strstr(readme.data, "f[:[<group>/][<event>]]") != NULL;
			p->has_btf_args = strstr(readme.data, "<argname>") != NULL;
			p->has_ret_args = strstr(readme.data, "return probes support: $retval, $arg<N>") != NULL;
		}
		cap_buf_free(&readme);
	}
	/*
	 * Locked-down kernels (seen on 6.18) refuse even to read
	 * available_filter_functions and set_ftrace_filter (EPERM): then
	 * function tracing cannot be set up, whatever available_tracers says.
	 */
	snprintf(path, sizeof(path), "%s/available_filter_functions", tracing_dir);
	if (!scan_functions(path, false, p)) {
		p->filter_funcs_readable = true;
		p->func_src = CAP_SRC_FILTER_FUNCS;
	} else {
		snprintf(path, sizeof(path), "%s/kallsyms", proc_dir);
		if (!scan_functions(path, true, p))
			p->func_src = CAP_SRC_KALLSYMS;
	}
	if (!p->func[CAP_FN_ALLOC][0] && p->kver_major && p->func_src == CAP_SRC_NONE) {
		snprintf(p->func[CAP_FN_ALLOC], CAP_NAME_MAX, "%s",
			 cap_alloc_entry_for_version(p->kver_major, p->kver_minor));
		p->func_src = CAP_SRC_UNAME;
	}
	r = read_small(tracing_dir, "set_ftrace_filter", buf, 16);
	/* reading is our write probe: opening it for writing would re-apply the filter */
	p->set_ftrace_filter_writable = r == 0;

	for (size_t i = 0; i < sizeof(wanted_events) / sizeof(wanted_events[0]) && i < CAP_MAX_EVENTS; i++) {
		struct cap_event *e = &p->events[p->nr_events++];

		snprintf(e->system, sizeof(e->system), "%s", wanted_events[i][0]);
		snprintf(e->name, sizeof(e->name), "%s", wanted_events[i][1]);
		snprintf(path, sizeof(path), "events/%s/%s/format", e->system, e->name);
		e->present = path_exists(tracing_dir, path);
		p->nr_events_present += e->present;
		if (!strcmp(e->name, "mm_page_alloc"))
			p->has_page_alloc = e->present;
	}
	{
		struct utsname u;

		if (!uname(&u))
			snprintf(p->arch, sizeof(p->arch), "%s", u.machine);
	}
	if (p->gpff_plain)
		gpff_btf_check(p);

	if (!p->top_function_graph)
		snprintf(p->why_not_graph, sizeof(p->why_not_graph),
			 p->tracers_readable ? "no function_graph tracer" : "available_tracers unreadable");
	else if (!p->filter_funcs_readable || !p->set_ftrace_filter_writable)
		snprintf(p->why_not_graph, sizeof(p->why_not_graph),
			 "function tracing locked down (available_filter_functions/set_ftrace_filter not accessible)");
	else if (!p->has_set_graph_function)
		snprintf(p->why_not_graph, sizeof(p->why_not_graph), "no set_graph_function");
	else if (!p->func[CAP_FN_ALLOC][0] || !p->func[CAP_FN_GPFF][0])
		snprintf(p->why_not_graph, sizeof(p->why_not_graph),
			 "alloc entry or get_page_from_freelist not traceable");

	if (!p->has_kprobe_events && !p->has_fprobe)
		snprintf(p->why_not_retprobe, sizeof(p->why_not_retprobe),
			 "no kprobe_events (CONFIG_KPROBE_EVENTS) and no fprobe events");
	else if (p->func_src == CAP_SRC_UNAME || !p->func[CAP_FN_ALLOC][0] || !p->func[CAP_FN_GPFF][0])
		snprintf(p->why_not_retprobe, sizeof(p->why_not_retprobe),
			 "alloc entry or get_page_from_freelist not found in %s",
			 p->func_src == CAP_SRC_FILTER_FUNCS ? "available_filter_functions" : "kallsyms");
	why_not_freelist(p);
	return 0;
}

/* ---- plan ------------------------------------------------------------------- */

/* Bytes per allocation in the ring buffer, per mode (event sizes seen on 6.x). */
static unsigned long bytes_per_alloc(enum cap_mode m)
{
	switch (m) {
	case CAP_MODE_GRAPH:	return 40 + 4 * 48;	/* page_alloc + entry/exit of alloc and gpff */
	case CAP_MODE_RETPROBE:	return 40 + 3 * 40;	/* page_alloc + entry + 2 returns */
	case CAP_MODE_CROSS:	return 40 + 4 * 48 + 3 * 40 + 2 * 40;
	case CAP_MODE_FREELIST:	return 40 + 2 * 40;	/* page_alloc + fast and slow attempts */
	default:		return 40;
	}
}

int cap_plan_make(const struct cap_probe *p, enum cap_mode requested, bool text,
		  unsigned long buffer_kb, const struct cap_rates *est, struct cap_plan *plan)
{
	static const enum cap_func graph_funcs[] = {
		CAP_FN_ALLOC, CAP_FN_GPFF, CAP_FN_WAKE_KSWAPDS, CAP_FN_SLOWPATH,
		CAP_FN_DIRECT_COMPACT, CAP_FN_DIRECT_RECLAIM, CAP_FN_TRY_TO_FREE,
		CAP_FN_MAY_OOM, CAP_FN_OOM, CAP_FN_NOLOCK,
	};
	enum cap_mode m = requested;

	memset(plan, 0, sizeof(*plan));
	plan->requested = requested;
	plan->text = text;
	snprintf(plan->instance, sizeof(plan->instance), "%s", CAP_INSTANCE_NAME);

	/*
	 * auto: the exact modes, the cheapest first.  freelist where the kernel's
	 * BTF says get_page_from_freelist's third argument is alloc_flags: as exact
	 * as graph and retprobe at about half their cost (6.12 fault loop: 16.0
	 * against 31.1 and 32.9 %, bench/CAPTURE.md).  Without BTF nothing says
	 * where alloc_flags is (a Clang-built kernel may move it without renaming
	 * the function): graph first then, which assumes no argument, and freelist
	 * (checked by analyze on the capture) before retprobe, one probe for three.
	 */
	if (m == CAP_MODE_AUTO) {
		bool fl = !p->why_not_freelist[0], fl_checked = fl && p->gpff_btf == CAP_BTF_ALLOC_FLAGS;

		if (fl_checked) {
			m = CAP_MODE_FREELIST;
			snprintf(plan->why, sizeof(plan->why), "get_page_from_freelist's alloc_flags "
				 "checked in the kernel's BTF");
		} else if (!p->why_not_graph[0]) {
			m = CAP_MODE_GRAPH;
			snprintf(plan->why, sizeof(plan->why), "function_graph available; freelist: %s",
				 fl ? "alloc_flags unchecked (no BTF)" : p->why_not_freelist);
		} else if (fl) {
			m = CAP_MODE_FREELIST;
			snprintf(plan->why, sizeof(plan->why), "graph: %s; freelist: alloc_flags unchecked "
				 "(no BTF), analyze checks the capture", p->why_not_graph);
		} else if (!p->why_not_retprobe[0]) {
			m = CAP_MODE_RETPROBE;
			snprintf(plan->why, sizeof(plan->why), "freelist: %s; graph: %s", p->why_not_freelist,
				 p->why_not_graph);
		} else {
			m = CAP_MODE_EVENTS;
			snprintf(plan->why, sizeof(plan->why), "freelist: %s; graph: %s; retprobe: %s",
				 p->why_not_freelist, p->why_not_graph, p->why_not_retprobe);
		}
	} else if (m == CAP_MODE_FREELIST && p->why_not_freelist[0]) {
		snprintf(plan->why, sizeof(plan->why), "freelist: %s", p->why_not_freelist);
		return -CAP_EMODE;
	} else if (m == CAP_MODE_GRAPH && p->why_not_graph[0]) {
		snprintf(plan->why, sizeof(plan->why), "graph: %s", p->why_not_graph);
		return -CAP_EMODE;
	} else if (m == CAP_MODE_RETPROBE && p->why_not_retprobe[0]) {
		snprintf(plan->why, sizeof(plan->why), "retprobe: %s", p->why_not_retprobe);
		return -CAP_EMODE;
	} else if (m == CAP_MODE_CROSS && (p->why_not_graph[0] || p->why_not_retprobe[0])) {
		snprintf(plan->why, sizeof(plan->why), "%s: %s", p->why_not_graph[0] ? "graph" : "retprobe",
			 p->why_not_graph[0] ? p->why_not_graph : p->why_not_retprobe);
		return -CAP_EMODE;
	} else {
		snprintf(plan->why, sizeof(plan->why), "requested");
	}
	if (m == CAP_MODE_EVENTS && !p->nr_events_present) {
		snprintf(plan->why, sizeof(plan->why), "events: none of the allocator tracepoints exist");
		return -CAP_EMODE;
	}
	plan->mode = m;
	plan->use_instance = p->has_instances;

	if (cap_plan_graph(plan)) {
		/* funcs[0] and funcs[1] are the alloc entry and get_page_from_freelist: the probes' too */
		for (size_t i = 0; i < sizeof(graph_funcs) / sizeof(graph_funcs[0]); i++) {
			enum cap_func f = graph_funcs[i];

			/* out_of_memory only stands in for an inlined __alloc_pages_may_oom */
			if (f == CAP_FN_OOM && p->func[CAP_FN_MAY_OOM][0])
				continue;
			if (p->func[f][0])
				snprintf(plan->funcs[plan->nr_funcs++], CAP_NAME_MAX, "%s", p->func[f]);
		}
		plan->funcgraph_retval = p->has_funcgraph_retval;
		plan->max_graph_depth = p->has_max_graph_depth ? 12 : 0;
	} else if (m == CAP_MODE_RETPROBE) {
		snprintf(plan->funcs[plan->nr_funcs++], CAP_NAME_MAX, "%s", p->func[CAP_FN_ALLOC]);
		snprintf(plan->funcs[plan->nr_funcs++], CAP_NAME_MAX, "%s", p->func[CAP_FN_GPFF]);
	} else if (m == CAP_MODE_FREELIST) {
		snprintf(plan->funcs[plan->nr_funcs++], CAP_NAME_MAX, "get_page_from_freelist");
	}
	/* cross: the freelist probe beside graph and retprobe where it can be placed, else said why */
	plan->freelist = m == CAP_MODE_FREELIST || (m == CAP_MODE_CROSS && !p->why_not_freelist[0]);
	if (m == CAP_MODE_CROSS && !plan->freelist)
		snprintf(plan->why_no_freelist, sizeof(plan->why_no_freelist), "%s", p->why_not_freelist);
	/*
	 * The probe at the entry: it times each whole allocation, and costs the
	 * traced workload less than a return probe (6.12: 15.2-15.3 against 18.6-18.7 %
	 * with nobody reading, bench/CAPTURE.md).  cross, which is for checking,
	 * takes the return probe where the kernel fetches entry arguments at
	 * return (6.9+): alloc_flags and the result in one event, the fast
	 * path's NULL seen, not inferred (record --freelist-probe chooses).
	 */
	plan->fl_return = plan->freelist && m == CAP_MODE_CROSS && p->has_ret_args;
	if (cap_plan_probes(plan) || plan->freelist) {
		/*
		 * kprobes where kprobe_events exists, fprobe events only where it does not: the
		 * same three probes as fprobes cost the traced workload 1.7 points more on 6.12
		 * (32.9 against 31.2 % with nobody reading, bench/CAPTURE.md).  kprobes on ftrace
		 * share one ftrace_ops, and the alloc entry's entry and return probe are one
		 * aggregated kprobe; on 6.12 each fprobe registers an ftrace_ops of its own, so the
		 * alloc entry has two.  (Later kernels put all fprobes on one fgraph_ops: not
		 * measured.)
		 */
		plan->use_fprobe = !p->has_kprobe_events;
	}
	/*
	 * The bulk allocator counts pgalloc for its pages and emits no
	 * mm_page_alloc (vmalloc's pages, splice reads: busybox cat of a /proc
	 * file takes 16): its return value bounds them, at the cost of a probe
	 * that fires per bulk call, not per page.
	 */
	plan->bulk_probe = p->has_kprobe_events && p->func[CAP_FN_BULK][0];
	/* graph mode traces the nolock allocation as a second graph function (funcs) */
	plan->nolock_probe = cap_plan_probes(plan) && p->func[CAP_FN_NOLOCK][0];
	plan->record_tgid = text && p->has_record_tgid;
	plan->est_allocs_per_s = est ? est->allocs_per_s : 0;
	plan->est_switches_per_s = est ? est->switches_per_s : 0;
	if (buffer_kb) {
		plan->buffer_kb = buffer_kb;
	} else {
		/*
		 * The mode's default, more when the measured rate asks for it: four
		 * seconds of it per CPU (sched_switch, 64 bytes with its header,
		 * is recorded in every mode and outnumbered mm_page_alloc in a
		 * page-cache churn), at most 64 MB.  The rate is the system's
		 * before recording: a COMMAND's own is not known yet, which is why
		 * the default is not smaller.
		 */
		unsigned long long kb = 0, dflt = m == CAP_MODE_EVENTS ? 8192 : 16384;

		if (est && p->nr_cpus > 0)
			kb = ((unsigned long long)est->allocs_per_s * bytes_per_alloc(m) +
			      (unsigned long long)est->switches_per_s * 64) * 4 /
			     (unsigned long long)p->nr_cpus / 1024;
		plan->buffer_kb = kb < dflt ? (unsigned long)dflt : kb > 65536 ? 65536 : (unsigned long)kb;
	}
	return 0;
}

/* The register of the third integer argument at a function's entry (its calling convention). */
static const char *third_arg_reg(const char *arch)
{
	if (!strcmp(arch, "x86_64"))
		return "%dx";		/* System V AMD64: rdi, rsi, rdx */
	if (!strcmp(arch, "aarch64"))
		return "%x2";		/* AAPCS64: x0, x1, x2 */
	return NULL;
}

int cap_freelist_defs(const struct cap_probe *p, const struct cap_plan *pl, char (*defs)[256],
		      char (*labels)[96], int max)
{
	const char *fn = "get_page_from_freelist", *ev = "allocscope/freelist";
	const char *chk = p->gpff_btf == CAP_BTF_ALLOC_FLAGS ? "BTF: the third argument is alloc_flags" :
			  "no BTF: unchecked";
	const char *reg = third_arg_reg(p->arch);
	struct { const char *fetch, *what; } args[4];
	int nargs = 0, n = 0;

	/* by name where BTF says where it is (6.5+): the kernel checks the prototype itself */
	if (p->has_btf_args) {
		args[nargs].fetch = "alloc_flags=alloc_flags:x32";
		args[nargs++].what = "alloc_flags by BTF name";
		args[nargs].fetch = "alloc_flags=alloc_flags";
		args[nargs++].what = "alloc_flags by BTF name";
	}
	args[nargs].fetch = "alloc_flags=$arg3:x32";
	args[nargs++].what = "$arg3";
	if (reg && !pl->use_fprobe) {
		args[nargs].fetch = !strcmp(reg, "%dx") ? "alloc_flags=%dx:x32" : "alloc_flags=%x2:x32";
		args[nargs++].what = reg;
	}
#define ADD(fmt, ...) do {								\
		if (n < max) {								\
			snprintf(defs[n], 256, fmt, __VA_ARGS__);			\
			n++;								\
		}									\
	} while (0)
#define LABEL(kind, what) snprintf(labels[n - 1], 96, "%s, %s%s%s%s", kind, what,		\
				   strncmp(what, "alloc_flags", 11) ? " (" : "",		\
				   strncmp(what, "alloc_flags", 11) ? chk : "",		\
				   strncmp(what, "alloc_flags", 11) ? ")" : "")
	if (pl->fl_return) {
		/* entry arguments at return (6.9+): $argN or BTF names, no registers */
		for (int i = 0; i < nargs; i++) {
			if (args[i].what[0] == '%')
				continue;
			if (pl->use_fprobe) {
				ADD("f:%s %s%%return %s ret=$retval:x64", ev, fn, args[i].fetch);
				LABEL("fprobe return", args[i].what);
			} else {
				/* maxactive as the retprobe mode's (cap-session.c) */
				ADD("r1024:%s %s %s ret=$retval:x64", ev, fn, args[i].fetch);
				LABEL("kretprobe", args[i].what);
			}
		}
	}
	for (int i = 0; i < nargs; i++) {
		ADD("%s:%s %s %s", pl->use_fprobe ? "f" : "p", ev, fn, args[i].fetch);
		LABEL(pl->use_fprobe ? "fprobe" : "kprobe", args[i].what);
	}
#undef ADD
#undef LABEL
	return n;
}

static const char *src_name(enum cap_src s)
{
	switch (s) {
	case CAP_SRC_FILTER_FUNCS:	return "available_filter_functions";
	case CAP_SRC_KALLSYMS:		return "kallsyms";
	case CAP_SRC_UNAME:		return "kernel version (no list readable)";
	default:			return "nowhere";
	}
}

void cap_plan_frames(const struct cap_probe *p, struct cap_plan *plan)
{
	plan->frames = true;
	if (plan->use_instance && p->has_copy_marker)
		plan->copy_marker = true;
	else
		plan->top_level = true;
}

void cap_plan_print(const struct cap_probe *p, const struct cap_plan *plan, FILE *f)
{
	fprintf(f, "kernel       %s\n", p->release[0] ? p->release : "unknown");
	fprintf(f, "tracefs      %s\n", p->tracing_dir);
	fprintf(f, "mode         %s (requested %s: %s)\n", cap_mode_name(plan->mode),
		cap_mode_name(plan->requested), plan->why);
	fprintf(f, "graph        %s\n", p->why_not_graph[0] ? p->why_not_graph : "possible");
	fprintf(f, "retprobe     %s\n", p->why_not_retprobe[0] ? p->why_not_retprobe :
		p->has_kprobe_events ? "possible (kprobe_events)" : "possible (fprobe events)");
	fprintf(f, "freelist     %s\n", p->why_not_freelist[0] ? p->why_not_freelist :
		p->has_ret_args ? "possible (a return probe with alloc_flags and the result)" :
		"possible (a probe on the entry with alloc_flags)");
	fprintf(f, "alloc entry  %s (from %s)\n",
		p->func[CAP_FN_ALLOC][0] ? p->func[CAP_FN_ALLOC] : "not found", src_name(p->func_src));
	fprintf(f, "helpers     ");
	for (int i = 1; i < CAP_FN__COUNT; i++)
		if (p->func[i][0])
			fprintf(f, " %s", p->func[i]);
	fprintf(f, "\n");
	fprintf(f, "functions   ");
	if (!plan->nr_funcs)
		fprintf(f, " none (tracepoints only)");
	for (int i = 0; i < plan->nr_funcs; i++)
		fprintf(f, " %s", plan->funcs[i]);
	fprintf(f, "\n");
	if (cap_plan_graph(plan))
		fprintf(f, "graph opts   set_graph_function=%s max_graph_depth=%d funcgraph-retval=%s "
			"(instance if its available_tracers has function_graph, else top level)\n",
			plan->funcs[0], plan->max_graph_depth, plan->funcgraph_retval ? "on" : "unavailable");
	if (cap_plan_probes(plan))
		fprintf(f, "probes       %s: p:allocscope/alloc_entry %s gfp=$arg1 order=$arg2; "
			"r:allocscope/alloc_ret %s ret=$retval; r:allocscope/gpff_ret %s ret=$retval\n",
			plan->use_fprobe ? "dynamic_events (fprobe)" : "kprobe_events",
			plan->funcs[0], plan->funcs[0], plan->funcs[1]);
	if (plan->freelist) {
		char defs[12][256], labels[12][96];
		int n = cap_freelist_defs(p, plan, defs, labels, 12);

		fprintf(f, "fl probe     %s (the first the kernel accepts of %d)\n", n ? defs[0] : "none", n);
		fprintf(f, "fl argument  %s; BTF: %s\n", n ? labels[0] : "-",
			p->gpff_btf == CAP_BTF_ALLOC_FLAGS ? "third argument alloc_flags" :
			p->gpff_btf == CAP_BTF_OTHER ? "third argument NOT alloc_flags" :
			p->gpff_btf == CAP_BTF_MISSING ? "function absent" :
			p->gpff_btf == CAP_BTF_BAD ? "unreadable" : "none");
	} else if (plan->mode == CAP_MODE_CROSS) {
		fprintf(f, "fl probe     not recorded: %s\n", plan->why_no_freelist);
	}
	fprintf(f, "bulk probe   %s\n", plan->bulk_probe ? p->func[CAP_FN_BULK] :
		p->func[CAP_FN_BULK][0] ? "no (no kprobe_events)" : "no (no bulk allocator found)");
	if (p->func[CAP_FN_NOLOCK][0])
		fprintf(f, "nolock alloc %s (%s)\n", p->func[CAP_FN_NOLOCK],
			plan->nolock_probe ? "kprobe + kretprobe" :
			cap_plan_graph(plan) ? "graph function" : "not traced in events mode");
	fprintf(f, "events      ");
	for (int i = 0; i < p->nr_events; i++)
		if (p->events[i].present)
			fprintf(f, " %s:%s", p->events[i].system, p->events[i].name);
	fprintf(f, "\n");
	fprintf(f, "missing     ");
	for (int i = 0; i < p->nr_events; i++)
		if (!p->events[i].present)
			fprintf(f, " %s:%s", p->events[i].system, p->events[i].name);
	fprintf(f, "\n");
	fprintf(f, "instance     %s%s\n", plan->use_instance ? plan->instance : "none (top level)",
		plan->use_instance && plan->top_level ? " (a lock only: recorded at the top level)" : "");
	if (plan->frames)
		fprintf(f, "frames       the apps' trace_marker writes (atrace): %s\n", plan->copy_marker ?
			"copied into our instance (copy_trace_marker)" : "recorded in the top-level "
			"buffer (no copy_trace_marker: kernels before 6.17)");
	fprintf(f, "buffer       %lu KB per CPU x %d CPUs, page %ld bytes", plan->buffer_kb,
		p->nr_cpus, p->page_size);
	if (plan->est_allocs_per_s || plan->est_switches_per_s)
		fprintf(f, " (measured ~%lu page allocations/s, ~%lu context switches/s)",
			plan->est_allocs_per_s, plan->est_switches_per_s);
	fprintf(f, "\n");
	fprintf(f, "output       %s\n", plan->text ? "ftrace text (trace_pipe)" :
		"trace.dat v7, zstd-compressed (raw ring-buffer pages)");
}

static uint64_t pgalloc_sum(const char *proc_dir)
{
	char path[256], line[256];
	uint64_t sum = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vmstat", proc_dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;
		char name[128];

		if (!strncmp(line, "pgalloc_", 8) && sscanf(line, "%127s %llu", name, &v) == 2)
			sum += v;
	}
	fclose(f);
	return sum;
}

/* ctxt of /proc/stat: context switches since boot, 0 if unknown */
static uint64_t ctxt_sum(const char *proc_dir)
{
	char path[256], line[256];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/stat", proc_dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "ctxt ", 5) && sscanf(line + 5, "%llu", &v) == 1)
			break;
	fclose(f);
	return v;
}

void cap_estimate_rates(const char *proc_dir, unsigned int ms, struct cap_rates *out)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	uint64_t a, b, c, d;

	memset(out, 0, sizeof(*out));
	if (!proc_dir)
		proc_dir = "/proc";
	a = pgalloc_sum(proc_dir);
	c = ctxt_sum(proc_dir);
	if (!ms || (!a && !c))
		return;
	nanosleep(&ts, NULL);
	b = pgalloc_sum(proc_dir);
	d = ctxt_sum(proc_dir);
	if (a && b > a)
		out->allocs_per_s = (unsigned long)((b - a) * 1000 / ms);
	if (c && d > c)
		out->switches_per_s = (unsigned long)((d - c) * 1000 / ms);
}
