// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names, log2 histograms, function roles and vmstat snapshots: the parts of
 * the analyzer that hold no per-trace state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

#undef _AE
#define _AE(code, str) str
static const char *const anl_errstr[] = { ANL_ERRORS };
#undef _AE

const char *anl_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= ANL_E__LAST)
		return "unknown error";
	return anl_errstr[code];
}

#undef _AS
#define _AS(st, name) name
static const char *const anl_stage_names[] = { ANL_STAGES };
#undef _AS

const char *anl_stage_name(enum anl_stage st)
{
	if ((unsigned int)st >= ANL_STAGE__COUNT)
		return "?";
	return anl_stage_names[st];
}

static const struct {
	const char	*name;
	enum anl_mode	mode;
} anl_modes[] = {
	{ "auto",		ANL_MODE_AUTO },
	{ "graph",		ANL_MODE_GRAPH },
	{ "graph+retval",	ANL_MODE_GRAPH_RETVAL },
	{ "retprobe",		ANL_MODE_RETPROBE },
	{ "events",		ANL_MODE_EVENTS },
	{ "freelist",		ANL_MODE_FREELIST },
};

const char *anl_mode_name(enum anl_mode mode)
{
	for (size_t i = 0; i < sizeof(anl_modes) / sizeof(anl_modes[0]); i++)
		if (anl_modes[i].mode == mode)
			return anl_modes[i].name;
	return "?";
}

int anl_mode_parse(const char *s, enum anl_mode *out)
{
	for (size_t i = 0; i < sizeof(anl_modes) / sizeof(anl_modes[0]); i++) {
		if (!strcmp(s, anl_modes[i].name)) {
			*out = anl_modes[i].mode;
			return 0;
		}
	}
	return -ANL_EINVAL;
}

void anl_modes_str(unsigned int mask, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(anl_modes) / sizeof(anl_modes[0]) && off < len; i++)
		if (mask & (1u << anl_modes[i].mode))
			off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? ", " : "",
						anl_modes[i].name);
	if (!off)
		snprintf(buf, len, "none");
}

int anl_mode_check(const struct anl_model *m)
{
	return m->mode_forced && !(m->modes_supported & (1u << m->mode)) ? -ANL_EMODE : 0;
}

/* ---- histograms --------------------------------------------------------- */

void anl_hist_add(struct anl_hist *h, uint64_t ns)
{
	int i = ns < 2 ? 0 : 63 - __builtin_clzll(ns);

	h->bucket[i]++;
	h->fine[anl_fine_index(ns)]++;
}

void anl_hist_merge(struct anl_hist *dst, const struct anl_hist *src)
{
	for (int i = 0; i < ANL_HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	for (int i = 0; i < ANL_FINE_BUCKETS; i++)
		dst->fine[i] += src->fine[i];
}

uint64_t anl_hist_percentile(const struct anl_hist *h, double p, uint64_t max)
{
	uint64_t total = 0, seen = 0;
	double want;

	for (int i = 0; i < ANL_FINE_BUCKETS; i++)
		total += h->fine[i];
	if (!total)
		return 0;
	if (p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	want = p / 100.0 * (double)total;
	for (int i = 0; i < ANL_FINE_BUCKETS; i++) {
		uint64_t n = h->fine[i];
		double lo, hi, v;

		if (!n || (double)(seen + n) < want) {
			seen += n;
			continue;
		}
		/* linear inside the bucket (1/16 of its power of two wide) */
		lo = (double)anl_fine_low(i);
		hi = i + 1 >= ANL_FINE_BUCKETS ? (double)max : (double)anl_fine_high(i);
		if (i < ANL_FINE_SUB)
			return lo;	/* exact values below ANL_FINE_SUB ns */
		v = lo + (hi - lo) * ((want - (double)seen) / (double)n);
		if (max && v > (double)max)
			return max;
		return (uint64_t)v;
	}
	return max;
}

uint64_t anl_stat_percentile(const struct anl_stat *s, double p)
{
	uint64_t v = anl_hist_percentile(&s->hist, p, s->max_ns);

	/* the buckets' interpolation never leaves the values observed */
	return s->timed && v < s->min_ns ? s->min_ns : v;
}

/* ---- function roles ----------------------------------------------------- */

static const struct {
	const char	*name;
	enum anl_role	role;
} anl_funcs[] = {
	/* the alloc entry under its names: 5.4-5.12, 5.13-6.9, 6.10+, newest */
	{ "__alloc_pages_nodemask",		ROLE_ALLOC },
	{ "__alloc_pages",			ROLE_ALLOC },
	{ "__alloc_pages_noprof",		ROLE_ALLOC },
	{ "__alloc_frozen_pages_noprof",	ROLE_ALLOC },
	{ "get_page_from_freelist",		ROLE_GPFL },
	{ "wake_all_kswapds",			ROLE_WAKE },
	{ "__alloc_pages_direct_compact",	ROLE_COMPACT },
	{ "try_to_free_pages",			ROLE_RECLAIM },
	{ "__perform_reclaim",			ROLE_RECLAIM },
	{ "__alloc_pages_direct_reclaim",	ROLE_RECLAIM },
	{ "__alloc_pages_may_oom",		ROLE_OOM },
	{ "out_of_memory",			ROLE_OOM },
	{ "__alloc_pages_slowpath",		ROLE_SLOWPATH },
	/*
	 * One get_page_from_freelist() with ALLOC_TRYLOCK, no slow path, and
	 * mm_page_alloc at its end (page or NULL); callable from a tracepoint
	 * or BPF program inside an allocation in progress: 6.15
	 * try_alloc_pages_noprof, 6.16 alloc_pages_nolock_noprof, from 6.18
	 * the work in alloc_frozen_pages_nolock_noprof (slab's and the
	 * wrapper's)
	 */
	{ "try_alloc_pages_noprof",		ROLE_NOLOCK },
	{ "alloc_pages_nolock_noprof",		ROLE_NOLOCK },
	{ "alloc_frozen_pages_nolock_noprof",	ROLE_NOLOCK },
	{ "try_to_compact_pages",		ROLE_COMPACT_WORK },
	{ "compact_zone_order",			ROLE_COMPACT_WORK },
	{ "__alloc_pages_bulk",			ROLE_BULK },
	{ "alloc_pages_bulk_noprof",		ROLE_BULK },
	{ "__alloc_pages_bulk_noprof",		ROLE_BULK },
	{ "alloc_pages_bulk_array_mempolicy",	ROLE_BULK },
};

enum anl_role anl_role_of(const char *func)
{
	size_t len;
	const char *dot;

	if (!func)
		return ROLE_NONE;
	/* GCC clones: .constprop.N, .isra.N, .part.N, .cold — same function */
	dot = strchr(func, '.');
	len = dot ? (size_t)(dot - func) : strlen(func);
	for (size_t i = 0; i < sizeof(anl_funcs) / sizeof(anl_funcs[0]); i++) {
		const char *n = anl_funcs[i].name;

		if (strlen(n) == len && !memcmp(n, func, len))
			return anl_funcs[i].role;
	}
	return ROLE_NONE;
}

enum anl_fn_kind anl_fn_kind_of(const char *func)
{
	enum anl_role role = anl_role_of(func);

	/* as fn_event(): the bulk allocator's events decide no mode, nor compaction's inner calls */
	if (role == ROLE_NONE || role == ROLE_BULK || role == ROLE_COMPACT_WORK)
		return ANL_FN_NONE;
	return role == ROLE_GPFL ? ANL_FN_GPFL : ANL_FN_READ;
}

/* ---- vmstat snapshots --------------------------------------------------- */

#undef _AV
#define _AV(id, name, prefix) { name, prefix }
static const struct {
	const char	*name;
	bool		prefix;		/* sum of name_* (per zone: allocstall_normal, ...) */
} anl_vm_items[] = { ANL_VM_ITEMS };
#undef _AV

void anl_vmstat_line(struct anl_vmstat *vs, const char *name, size_t nlen, uint64_t value)
{
	for (int i = 0; i < ANL_VM__COUNT; i++) {
		const char *n = anl_vm_items[i].name;
		size_t l = strlen(n);

		if (nlen < l || memcmp(name, n, l))
			continue;
		if (nlen == l || (anl_vm_items[i].prefix && name[l] == '_')) {
			vs->have[i] = true;
			vs->val[i] += value;
			vs->present = true;
			return;
		}
	}
}

/* "name value" per line, as /proc/vmstat prints it. */
int anl_vmstat_parse(struct anl_vmstat *vs, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	int lines = 0;

	memset(vs, 0, sizeof(*vs));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *sp, *q;
		uint64_t v = 0;

		if (!eol)
			eol = end;
		for (sp = p; sp < eol && *sp != ' ' && *sp != '\t'; sp++)
			;
		q = sp;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (sp > p && q < eol && *q >= '0' && *q <= '9') {
			for (; q < eol && *q >= '0' && *q <= '9'; q++)
				v = v * 10 + (uint64_t)(*q - '0');
			anl_vmstat_line(vs, p, (size_t)(sp - p), v);
			lines++;
		} else if (eol > p) {
			return -ANL_EVMSTAT;
		}
		p = eol + 1;
	}
	if (!lines)
		return -ANL_EVMSTAT;
	vs->present = true;
	return 0;
}

bool anl_gt_edge_explains(const struct anl_gt *g)
{
	uint64_t lo = g->trace + g->edge_min;

	lo = lo > g->inside ? lo - g->inside : 0;
	return g->kernel_known && !g->match && (g->edge || g->inside || g->unseen) &&
	       g->kernel >= lo && g->kernel <= g->trace + g->edge + g->unseen;
}

bool anl_gt_beyond_edges(const struct anl_gt *g)
{
	return g->edge_explained && g->kernel > g->trace + g->edge;
}

static uint64_t add_sat(uint64_t x, uint64_t y)
{
	return x > UINT64_MAX - y ? UINT64_MAX : x + y;
}

bool anl_gt_range_explains(const struct anl_gt *g)
{
	uint64_t lo = g->trace_min + g->edge_min;
	uint64_t hi = add_sat(add_sat(g->trace_max, g->edge_max), g->unseen);

	lo = lo > g->inside ? lo - g->inside : 0;
	return g->kernel_known && !g->match && g->trace_min < g->trace_max &&
	       g->kernel >= lo && g->kernel <= hi;
}

int anl_kernel_version(const char *release, int *major, int *minor)
{
	char *end;
	long x, y;

	if (!release)
		return -ANL_EINVAL;
	x = strtol(release, &end, 10);
	if (end == release || *end != '.' || x < 2 || x > 99)
		return -ANL_EINVAL;
	release = end + 1;
	y = strtol(release, &end, 10);
	if (end == release || y < 0 || y > 999 || (*end && *end != '.' && *end != '-' && *end != '+'))
		return -ANL_EINVAL;
	*major = (int)x;
	*minor = (int)y;
	return 0;
}
