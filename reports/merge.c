// SPDX-License-Identifier: GPL-2.0-only
/*
 * allocscope merge: analyze --json summaries of many captures read back
 * into one model and written again in the same schema, so that a fleet's
 * summaries can be combined by any batch engine, in any grouping, and a
 * merged summary merges again.
 *
 * Counts add; histograms add bucket-wise (the log2 edges are the same in
 * every summary and are checked); maxima take the max; percentiles are not
 * merged but recomputed from the merged buckets by the JSON writer, exactly
 * as for one capture; kswapd CPU % is weighted by window length.  Inputs
 * with another schema_version, or mixing exact and estimated (events mode)
 * slow-path counts, are refused.
 *
 * The JSON reader is small and strict (RFC 8259, depth and size bounded):
 * summaries come from files a user names, not from a trusted producer.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "report-local.h"

#define JSON_MAX_DEPTH	32

/* ---- a minimal JSON DOM ------------------------------------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype	type;
	bool		b;
	bool		is_uint;	/* a non-negative integer that fits uint64 */
	bool		is_int;		/* an integer that fits int64 */
	uint64_t	u;
	int64_t		i;
	double		d;
	char		*s;		/* J_STR */
	struct jval	*kids;		/* J_ARR, J_OBJ */
	char		**keys;		/* J_OBJ */
	size_t		n;
};

struct jparser {
	const char	*p, *end, *start;
	int		depth;
	char		*err;
	size_t		errlen;
};

static int jfail(struct jparser *jp, const char *what)
{
	if (jp->err && jp->errlen)
		snprintf(jp->err, jp->errlen, "%s at byte %zu", what, (size_t)(jp->p - jp->start));
	return -RPT_EJSON;
}

static void jfree(struct jval *v)
{
	if (!v)
		return;
	free(v->s);
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	memset(v, 0, sizeof(*v));
}

static void jws(struct jparser *jp)
{
	while (jp->p < jp->end && (*jp->p == ' ' || *jp->p == '\t' || *jp->p == '\n' || *jp->p == '\r'))
		jp->p++;
}

static int hex4(const char *p, unsigned int *out)
{
	unsigned int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned int)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t utf8_put(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A string at jp->p (on the opening quote); the decoded text is at most as long. */
static int jstring(struct jparser *jp, char **out)
{
	const char *q = ++jp->p;
	char *buf, *o;

	while (q < jp->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	if (q >= jp->end)
		return jfail(jp, "unterminated string");
	buf = malloc((size_t)(q - jp->p) + 1);
	if (!buf)
		return -RPT_ENOMEM;
	o = buf;
	while (jp->p < q) {
		unsigned char c = (unsigned char)*jp->p;

		if (c < 0x20) {
			free(buf);
			return jfail(jp, "control character in string");
		}
		if (c != '\\') {
			*o++ = (char)c;
			jp->p++;
			continue;
		}
		jp->p++;
		switch (*jp->p) {
		case '"': case '\\': case '/': *o++ = *jp->p; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned int cp;

			if (q - jp->p < 5 || hex4(jp->p + 1, &cp) || !cp) {
				free(buf);
				return jfail(jp, "bad \\u escape");
			}
			jp->p += 4;
			if (cp >= 0xd800 && cp <= 0xdfff)
				cp = 0xfffd;	/* surrogates: not in our summaries; replaced */
			/* 6 escaped bytes always hold the <= 3 bytes written */
			o += utf8_put(o, cp);
			break;
		}
		default:
			free(buf);
			return jfail(jp, "bad escape");
		}
		jp->p++;
	}
	*o = '\0';
	jp->p = q + 1;
	*out = buf;
	return 0;
}

static int jnumber(struct jparser *jp, struct jval *v)
{
	const char *s = jp->p;
	bool neg = false, frac = false;
	char tmp[64];
	size_t len;

	if (jp->p < jp->end && *jp->p == '-') {
		neg = true;
		jp->p++;
	}
	if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9')
		return jfail(jp, "bad number");
	if (*jp->p == '0' && jp->p + 1 < jp->end && jp->p[1] >= '0' && jp->p[1] <= '9')
		return jfail(jp, "leading zero");
	while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
		jp->p++;
	if (jp->p < jp->end && *jp->p == '.') {
		frac = true;
		jp->p++;
		if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9')
			return jfail(jp, "bad fraction");
		while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
			jp->p++;
	}
	if (jp->p < jp->end && (*jp->p == 'e' || *jp->p == 'E')) {
		frac = true;
		jp->p++;
		if (jp->p < jp->end && (*jp->p == '+' || *jp->p == '-'))
			jp->p++;
		if (jp->p >= jp->end || *jp->p < '0' || *jp->p > '9')
			return jfail(jp, "bad exponent");
		while (jp->p < jp->end && *jp->p >= '0' && *jp->p <= '9')
			jp->p++;
	}
	len = (size_t)(jp->p - s);
	if (len >= sizeof(tmp))
		return jfail(jp, "number too long");
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	v->type = J_NUM;
	v->d = strtod(tmp, NULL);
	if (!frac) {
		errno = 0;
		if (neg) {
			long long x = strtoll(tmp, NULL, 10);

			v->is_int = errno == 0;
			v->i = x;
		} else {
			unsigned long long x = strtoull(tmp, NULL, 10);

			v->is_uint = errno == 0;
			v->u = x;
			v->is_int = v->is_uint && x <= INT64_MAX;
			v->i = (int64_t)x;
		}
	}
	return 0;
}

static int jvalue(struct jparser *jp, struct jval *v);

static int jcontainer(struct jparser *jp, struct jval *v, bool obj)
{
	size_t cap = 0;
	int ret;

	if (++jp->depth > JSON_MAX_DEPTH)
		return jfail(jp, "nested too deeply");
	v->type = obj ? J_OBJ : J_ARR;
	jp->p++;
	jws(jp);
	if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
		jp->p++;
		jp->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		jws(jp);
		if (obj) {
			if (jp->p >= jp->end || *jp->p != '"')
				return jfail(jp, "expected a key");
			ret = jstring(jp, &key);
			if (ret)
				return ret;
			jws(jp);
			if (jp->p >= jp->end || *jp->p != ':') {
				free(key);
				return jfail(jp, "expected ':'");
			}
			jp->p++;
		}
		if (v->n == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			struct jval *k = realloc(v->kids, ncap * sizeof(*k));
			char **ks = obj ? realloc(v->keys, ncap * sizeof(*ks)) : NULL;

			if (k)
				v->kids = k;
			if (ks)
				v->keys = ks;
			if (!k || (obj && !ks)) {
				free(key);
				return -RPT_ENOMEM;
			}
			cap = ncap;
		}
		memset(&v->kids[v->n], 0, sizeof(v->kids[0]));
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		ret = jvalue(jp, &v->kids[v->n - 1]);
		if (ret)
			return ret;
		jws(jp);
		if (jp->p < jp->end && *jp->p == ',') {
			jp->p++;
			continue;
		}
		if (jp->p < jp->end && *jp->p == (obj ? '}' : ']')) {
			jp->p++;
			jp->depth--;
			return 0;
		}
		return jfail(jp, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int jvalue(struct jparser *jp, struct jval *v)
{
	jws(jp);
	if (jp->p >= jp->end)
		return jfail(jp, "unexpected end");
	switch (*jp->p) {
	case '{': return jcontainer(jp, v, true);
	case '[': return jcontainer(jp, v, false);
	case '"':
		v->type = J_STR;
		return jstring(jp, &v->s);
	case 't':
		if (jp->end - jp->p >= 4 && !memcmp(jp->p, "true", 4)) {
			v->type = J_BOOL;
			v->b = true;
			jp->p += 4;
			return 0;
		}
		break;
	case 'f':
		if (jp->end - jp->p >= 5 && !memcmp(jp->p, "false", 5)) {
			v->type = J_BOOL;
			jp->p += 5;
			return 0;
		}
		break;
	case 'n':
		if (jp->end - jp->p >= 4 && !memcmp(jp->p, "null", 4)) {
			v->type = J_NULL;
			jp->p += 4;
			return 0;
		}
		break;
	default:
		return jnumber(jp, v);
	}
	return jfail(jp, "unexpected token");
}

static int jparse(const char *text, size_t len, struct jval *root, char *err, size_t errlen)
{
	struct jparser jp = { text, text + len, text, 0, err, errlen };
	int ret;

	memset(root, 0, sizeof(*root));
	ret = jvalue(&jp, root);
	if (!ret) {
		jws(&jp);
		if (jp.p != jp.end)
			ret = jfail(&jp, "trailing data");
	}
	if (ret)
		jfree(root);
	return ret;
}

static const struct jval *jget(const struct jval *o, const char *key)
{
	if (!o || o->type != J_OBJ)
		return NULL;
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return &o->kids[i];
	return NULL;
}

/* ---- summary <-> model -------------------------------------------------- */

struct rpt_summary {
	struct anl_model	model;
	struct anl_task_sum	*tasks;
	size_t			nr_tasks;
	char			**own;		/* strings the model points into */
	size_t			nr_own, cap_own;
	char			*format;
	char			*mode_name;	/* NULL: anl_mode_name(model.mode) */
	int			version;
	bool			estimated;
	bool			have_pstats;
	struct prs_stats	pstats;
	unsigned int		inputs;
	char			**paths;
	struct rpt_content	*contents;	/* one per path */
	size_t			nr_paths;
};

/* Context of one parse: where we are, for messages. */
struct sctx {
	struct rpt_summary	*s;
	const char		*name;
	char			*err;
	size_t			errlen;
};

static int serr(struct sctx *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int serr(struct sctx *c, int code, const char *fmt, ...)
{
	va_list ap;

	if (c->err && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return -code;
}

static const char *own_str(struct rpt_summary *s, const char *str)
{
	char *d;

	if (!str)
		return NULL;
	if (s->nr_own == s->cap_own) {
		size_t ncap = s->cap_own ? s->cap_own * 2 : 16;
		char **n = realloc(s->own, ncap * sizeof(*n));

		if (!n)
			return NULL;
		s->own = n;
		s->cap_own = ncap;
	}
	d = strdup(str);
	if (d)
		s->own[s->nr_own++] = d;
	return d;
}

/* u64 field @key of object @o; missing or wrong type is a schema error. */
static int get_u64(struct sctx *c, const struct jval *o, const char *where, const char *key,
		   uint64_t *out)
{
	const struct jval *v = jget(o, key);

	if (!v || v->type != J_NUM || !v->is_uint)
		return serr(c, RPT_ESCHEMA, "%s.%s: missing or not a non-negative integer", where, key);
	*out = v->u;
	return 0;
}

/* the same, for a field added later: missing reads as 0 */
static int get_u64_opt(struct sctx *c, const struct jval *o, const char *where, const char *key,
		       uint64_t *out)
{
	*out = 0;
	return jget(o, key) ? get_u64(c, o, where, key, out) : 0;
}

static int get_bool(struct sctx *c, const struct jval *o, const char *where, const char *key,
		    bool *out)
{
	const struct jval *v = jget(o, key);

	if (!v || v->type != J_BOOL)
		return serr(c, RPT_ESCHEMA, "%s.%s: missing or not a boolean", where, key);
	*out = v->b;
	return 0;
}

/* string or null; *out NULL for null */
static int get_strn(struct sctx *c, const struct jval *o, const char *where, const char *key,
		    const char **out)
{
	const struct jval *v = jget(o, key);

	if (!v || (v->type != J_STR && v->type != J_NULL))
		return serr(c, RPT_ESCHEMA, "%s.%s: missing or not a string", where, key);
	*out = NULL;
	if (v->type == J_STR) {
		*out = own_str(c->s, v->s);
		if (!*out)
			return -RPT_ENOMEM;
	}
	return 0;
}

/* number or null: *known false for null */
static int get_numn(struct sctx *c, const struct jval *o, const char *where, const char *key,
		    bool *known, double *out)
{
	const struct jval *v = jget(o, key);

	if (!v || (v->type != J_NUM && v->type != J_NULL))
		return serr(c, RPT_ESCHEMA, "%s.%s: missing or not a number", where, key);
	*known = v->type == J_NUM;
	*out = *known ? v->d : 0;
	return 0;
}

static const struct jval *get_obj(struct sctx *c, const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	if (!v || v->type != J_OBJ) {
		serr(c, RPT_ESCHEMA, "%s: missing or not an object", key);
		return NULL;
	}
	return v;
}

static const struct jval *get_arr(struct sctx *c, const struct jval *o, const char *key)
{
	const struct jval *v = jget(o, key);

	if (!v || v->type != J_ARR) {
		serr(c, RPT_ESCHEMA, "%s: missing or not an array", key);
		return NULL;
	}
	return v;
}

#define U64(obj, where, key, dst) do {					\
	ret = get_u64(c, obj, where, key, dst);				\
	if (ret)							\
		return ret;						\
} while (0)

/* The bucket [low, high) is, or -1: log2 buckets, and the percentiles' fine ones. */
static int hist_bucket(uint64_t low, uint64_t high)
{
	for (int i = 0; i < ANL_HIST_BUCKETS; i++)
		if (anl_hist_low(i) == low && anl_hist_high(i) == high)
			return i;
	return -1;
}

static int fine_bucket(uint64_t low, uint64_t high)
{
	int b = anl_fine_index(low);

	return anl_fine_low(b) == low && anl_fine_high(b) == high ? b : -1;
}

/* stages.NAME.KEY: [{low_ns, high_ns, count}...] added into @count */
static int parse_buckets(struct sctx *c, const struct jval *o, const char *name, const char *key,
			 int (*bucket)(uint64_t low, uint64_t high), const char *kind,
			 uint64_t *count)
{
	const struct jval *h = jget(o, key);
	int ret;

	if (!h || h->type != J_ARR)
		return serr(c, RPT_ESCHEMA, "stages.%s.%s: missing", name, key);
	for (size_t i = 0; i < h->n; i++) {
		uint64_t low = 0, high = 0, n = 0;
		int b;

		U64(&h->kids[i], name, "low_ns", &low);
		U64(&h->kids[i], name, "high_ns", &high);
		U64(&h->kids[i], name, "count", &n);
		b = bucket(low, high);
		if (b < 0)
			return serr(c, RPT_EEDGES, "stages.%s.%s: bucket [%" PRIu64 ", %" PRIu64
				    ") is not a %s bucket of this allocscope", name, key, low, high, kind);
		count[b] += n;
	}
	return 0;
}

static int parse_stage(struct sctx *c, const struct jval *o, const char *name, struct anl_stat *st)
{
	int ret;

	if (!o || o->type != J_OBJ)
		return serr(c, RPT_ESCHEMA, "stages.%s: missing", name);
	U64(o, name, "count", &st->count);
	U64(o, name, "timed", &st->timed);
	U64(o, name, "total_ns", &st->total_ns);
	U64(o, name, "max_ns", &st->max_ns);
	if (jget(o, "min_ns"))	/* older summaries lack it: 0, not known, clamps nothing */
		U64(o, name, "min_ns", &st->min_ns);
	ret = parse_buckets(c, o, name, "histogram", hist_bucket, "log2", st->hist.bucket);
	if (!ret)
		ret = parse_buckets(c, o, name, "histogram_fine", fine_bucket, "fine", st->hist.fine);
	return ret;
}

static int parse_capture(struct sctx *c, const struct jval *root)
{
	struct rpt_summary *s = c->s;
	struct anl_model *m = &s->model;
	const struct jval *cap = get_obj(c, root, "capture"), *mv;
	uint64_t v = 0;
	int ret;

	if (!cap)
		return -RPT_ESCHEMA;
	mv = jget(cap, "mode");
	if (!mv || mv->type != J_STR)
		return serr(c, RPT_ESCHEMA, "capture.mode: missing");
	if (anl_mode_parse(mv->s, &m->mode) || m->mode == ANL_MODE_AUTO) {
		if (strcmp(mv->s, "mixed"))
			return serr(c, RPT_ESCHEMA, "capture.mode: unknown mode '%s'", mv->s);
		s->mode_name = strdup("mixed");
		if (!s->mode_name)
			return -RPT_ENOMEM;
		m->mode = ANL_MODE_GRAPH;	/* exactness comes from kpi.estimated */
	}
	ret = get_bool(c, cap, "capture", "mode_forced", &m->mode_forced);
	if (!ret)
		ret = get_strn(c, cap, "capture", "kernel", &m->kernel);
	if (!ret && jget(cap, "kernel_given"))
		ret = get_bool(c, cap, "capture", "kernel_given", &m->kernel_given);
	if (!ret)
		ret = get_strn(c, cap, "capture", "window_source", &m->window_source);
	if (ret)
		return ret;
	U64(cap, "capture", "lost_events", &m->anomalies.lost_events);
	U64(cap, "capture", "lost_markers", &m->anomalies.lost_markers);
	U64(cap, "capture", "window_ns", &v);
	m->window_ns = v;
	return 0;
}

static int parse_kpi(struct sctx *c, const struct jval *root)
{
	struct anl_model *m = &c->s->model;
	struct anl_totals *t = &m->scope;
	const struct jval *k = get_obj(c, root, "kpi");
	int ret;

	if (!k)
		return -RPT_ESCHEMA;
	U64(k, "kpi", "allocations", &t->allocations);
	U64(k, "kpi", "slow_path_entries", &t->slow);
	U64(k, "kpi", "failed", &t->failed);
	U64(k, "kpi", "nested", &t->nested);
	U64(k, "kpi", "incomplete", &t->incomplete);
	U64(k, "kpi", "reclaim_loops", &t->reclaim_loops);
	ret = get_bool(c, k, "kpi", "slow_path_exact", &m->slow_path_exact);
	if (!ret)
		ret = get_bool(c, k, "kpi", "estimated", &c->s->estimated);
	if (!ret && c->s->estimated)
		m->mode = ANL_MODE_EVENTS;
	/* the recorder's tasks (summaries before it have none) */
	k = jget(root, "recorder");
	if (!ret && k) {
		struct anl_recorder *r = &m->recorder;

		ret = get_strn(c, k, "recorder", "rule", &r->rule);
		if (!ret)
			ret = get_bool(c, k, "recorder", "included", &r->included);
		if (ret)
			return ret;
		U64(k, "recorder", "tasks", &r->tasks);
		U64(k, "recorder", "allocations", &r->allocations);
		U64(k, "recorder", "slow_path_entries", &r->slow);
		U64(k, "recorder", "failed", &r->failed);
		U64(k, "recorder", "reclaims", &r->reclaims);
	}
	return ret;
}

static int parse_counts(struct sctx *c, const struct jval *root)
{
	struct anl_model *m = &c->s->model;
	struct anl_totals *t = &m->scope;
	const struct jval *o;
	bool known;
	int ret;

	if (!(o = get_obj(c, root, "kswapd")))
		return -RPT_ESCHEMA;
	ret = get_numn(c, o, "kswapd", "cpu_percent", &m->kswapd_known, &m->kswapd_cpu_percent);
	if (!ret)
		ret = get_strn(c, o, "kswapd", "source", &m->kswapd_source);
	if (!ret)
		ret = get_numn(c, o, "kswapd", "stat_cpu_percent", &m->kswapd_stat_known,
			       &m->kswapd_stat_percent);
	/* sched_cpu_percent: absent in summaries written before it */
	if (!ret && jget(o, "sched_cpu_percent"))
		ret = get_numn(c, o, "kswapd", "sched_cpu_percent", &m->kswapd_sched_known,
			       &m->kswapd_sched_percent);
	if (ret)
		return ret;
	U64(o, "kswapd", "run_ns", &t->kswapd_run_ns);
	U64(o, "kswapd", "awake_ns", &t->kswapd_awake_ns);

	if (!(o = get_obj(c, root, "reclaim")))
		return -RPT_ESCHEMA;
	U64(o, "reclaim", "entries", &t->reclaim_begin);
	U64(o, "reclaim", "ends", &t->reclaim_end);
	U64(o, "reclaim", "nr_reclaimed", &t->nr_reclaimed);

	if (!(o = get_obj(c, root, "compaction")))
		return -RPT_ESCHEMA;
	U64(o, "compaction", "tries", &t->try_compact);
	U64(o, "compaction", "stalls_kernel_notion", &t->compact_stall_derived);
	U64(o, "compaction", "begin_direct", &t->compact_begin_direct);
	U64(o, "compaction", "begin_other", &t->compact_begin_other);
	U64(o, "compaction", "deferred", &t->compact_deferred);

	if (!(o = get_obj(c, root, "events")))
		return -RPT_ESCHEMA;
	U64(o, "events", "mm_page_alloc", &t->page_alloc_events);
	U64(o, "events", "mm_page_alloc_failed", &t->page_alloc_failed);
	U64(o, "events", "pages", &t->page_alloc_pages);
	U64(o, "events", "wakeup_kswapd", &t->wakeup_kswapd);
	U64(o, "events", "wakeup_kswapd_slow", &t->wakeup_kswapd_slow);
	U64(o, "events", "mark_victim", &t->mark_victim);

	if (!(o = get_obj(c, root, "anomalies")))
		return -RPT_ESCHEMA;
	{
		struct anl_anomalies *an = &m->anomalies;

		U64(o, "anomalies", "incomplete", &an->incomplete);
		U64(o, "anomalies", "open_at_end", &an->open_at_end);
		U64(o, "anomalies", "exit_without_entry", &an->exit_without_entry);
		U64(o, "anomalies", "unmatched_entry", &an->unmatched_entry);
		U64(o, "anomalies", "orphan_calls", &an->orphan_calls);
		U64(o, "anomalies", "reclaim_end_without_begin", &an->reclaim_end_without_begin);
		if (jget(o, "compaction_end_without_begin"))	/* older summaries lack it */
			U64(o, "anomalies", "compaction_end_without_begin",
			    &an->compaction_end_without_begin);
		U64(o, "anomalies", "order_out_of_range", &an->order_out_of_range);
		U64(o, "anomalies", "ts_backwards", &an->ts_backwards);
		U64(o, "anomalies", "migrations", &an->migrations);
		U64(o, "anomalies", "wrapper_merged", &an->wrapper_merged);
		U64(o, "anomalies", "bulk_gpfl", &an->bulk_gpfl);
		U64(o, "anomalies", "boosted_wakes", &an->boosted_wakes);
		if (jget(o, "other_mode"))	/* since 2026-11-22 */
			U64(o, "anomalies", "other_mode", &an->other_mode);
		if (jget(o, "bad_lines")) {
			c->s->have_pstats = true;
			U64(o, "anomalies", "bad_lines", &c->s->pstats.bad_lines);
			U64(o, "anomalies", "bad_fields", &c->s->pstats.bad_fields);
		}
		if (jget(o, "ts_unordered"))	/* older summaries lack it */
			U64(o, "anomalies", "ts_unordered", &c->s->pstats.ts_unordered);
	}
	(void)known;
	return 0;
}

/* The freelist mode's probe and its check (json.c): absent in the other modes. */
static int parse_freelist(struct sctx *c, const struct jval *root)
{
	struct anl_model *m = &c->s->model;
	struct anl_totals *t = &m->scope;
	struct anl_anomalies *an = &m->anomalies;
	const struct jval *o = jget(root, "freelist"), *v;
	int ret;

	if (!o)
		return 0;
	if (o->type != J_OBJ)
		return serr(c, RPT_ESCHEMA, "freelist: not an object");
	m->freelist.used = true;
	if ((ret = get_bool(c, o, "freelist", "return_probe", &m->freelist.returns)) ||
	    (ret = get_strn(c, o, "freelist", "probe", &m->freelist.probe)) ||
	    (ret = get_bool(c, o, "freelist", "exact", &m->freelist.exact)))
		return ret;
	U64(o, "freelist", "low", &t->fl_low);
	U64(o, "freelist", "trylock", &t->fl_trylock);
	U64(o, "freelist", "slow_attempts", &t->fl_slow);
	U64(o, "freelist", "open_before", &t->fl_open_before);
	U64(o, "freelist", "open_after", &t->fl_open_after);
	U64(o, "freelist", "orphans", &t->fl_orphans);
	U64(o, "freelist", "nolock", &t->nolock);
	U64(o, "freelist", "nolock_failed", &t->nolock_failed);
	U64(o, "freelist", "bad_flags", &an->fl_bad_flags);
	U64(o, "freelist", "orphan_attempts", &an->fl_orphan_attempts);
	U64(o, "freelist", "missed", &an->fl_missed);
	v = jget(o, "first_bad_flags");
	if (an->fl_bad_flags) {
		if (!v || v->type != J_NUM || !v->is_uint)
			return serr(c, RPT_ESCHEMA, "freelist.first_bad_flags: not a non-negative integer "
				    "beside bad_flags %" PRIu64, an->fl_bad_flags);
		an->fl_first_bad = v->u;
	} else if (!v || v->type != J_NULL) {
		return serr(c, RPT_ESCHEMA, "freelist.first_bad_flags: not null beside bad_flags 0");
	}
	return 0;
}

static int parse_breakdowns(struct sctx *c, const struct jval *root)
{
	struct rpt_summary *s = c->s;
	struct anl_totals *t = &s->model.scope;
	const struct jval *a;
	int ret;

	if (!(a = get_arr(c, root, "by_order")))
		return -RPT_ESCHEMA;
	for (size_t i = 0; i < a->n; i++) {
		const struct jval *e = &a->kids[i], *ov = jget(e, "order");
		struct anl_order *r;
		uint64_t v = 0;

		if (!ov || (ov->type != J_NULL && !(ov->type == J_NUM && ov->is_uint)))
			return serr(c, RPT_ESCHEMA, "by_order[%zu].order: missing", i);
		r = &t->by_order[ov->type == J_NULL || ov->u > ANL_MAX_ORDER ? ANL_MAX_ORDER + 1 :
				 (int)ov->u];
		U64(e, "by_order", "allocations", &v); r->allocations += v;
		U64(e, "by_order", "slow", &v); r->slow += v;
		U64(e, "by_order", "failed", &v); r->failed += v;
		U64(e, "by_order", "stall_ns", &v); r->stall_ns += v;
	}

	if (!(a = get_arr(c, root, "by_gfp")))
		return -RPT_ESCHEMA;
	for (size_t i = 0; i < a->n && i < ANL_GFP_CLASSES; i++) {
		const struct jval *e = &a->kids[i], *cv = jget(e, "class");
		struct anl_class *k = &t->by_gfp[i];

		if (!cv || cv->type != J_STR)
			return serr(c, RPT_ESCHEMA, "by_gfp[%zu].class: missing", i);
		snprintf(k->name, sizeof(k->name), "%s", cv->s);
		U64(e, "by_gfp", "allocations", &k->allocations);
		U64(e, "by_gfp", "slow", &k->slow);
		U64(e, "by_gfp", "failed", &k->failed);
		U64(e, "by_gfp", "stall_ns", &k->stall_ns);
		t->nr_gfp = (int)i + 1;
	}
	if (a->n > ANL_GFP_CLASSES)
		return serr(c, RPT_ESCHEMA, "by_gfp: more than %d classes", ANL_GFP_CLASSES);

	if (!(a = get_arr(c, root, "tasks")))
		return -RPT_ESCHEMA;
	if (a->n) {
		s->tasks = calloc(a->n, sizeof(*s->tasks));
		if (!s->tasks)
			return -RPT_ENOMEM;
	}
	for (size_t i = 0; i < a->n; i++) {
		const struct jval *e = &a->kids[i], *pv = jget(e, "pid"), *tv = jget(e, "tgid"),
				  *cv = jget(e, "comm");
		struct anl_task_sum *ts = &s->tasks[i];

		ts->pid = pv && pv->type == J_NUM && pv->is_int ? (int32_t)pv->i : -1;
		ts->tgid = tv && tv->type == J_NUM && tv->is_int ? (int32_t)tv->i : -1;
		if (!cv || (cv->type != J_STR && cv->type != J_NULL))
			return serr(c, RPT_ESCHEMA, "tasks[%zu].comm: missing", i);
		snprintf(ts->comm, sizeof(ts->comm), "%s", cv->type == J_STR ? cv->s : "");
		U64(e, "tasks", "allocations", &ts->allocations);
		U64(e, "tasks", "slow", &ts->slow);
		U64(e, "tasks", "failed", &ts->failed);
		U64(e, "tasks", "stall_ns", &ts->stall_ns);
		s->nr_tasks++;
	}
	return 0;
}

static int parse_groundtruth(struct sctx *c, const struct jval *root)
{
	struct anl_model *m = &c->s->model;
	const struct jval *a = get_arr(c, root, "groundtruth");
	int ret;

	if (!a)
		return -RPT_ESCHEMA;
	ret = get_strn(c, root, "summary", "groundtruth_source", &m->vmstat_source);
	if (ret)
		return ret;
	m->vmstat_known = m->vmstat_source != NULL;
	if (a->n > ANL_MAX_GT)
		return serr(c, RPT_ESCHEMA, "groundtruth: more than %d counters", ANL_MAX_GT);
	for (size_t i = 0; i < a->n; i++) {
		const struct jval *e = &a->kids[i], *kv = jget(e, "kernel");
		struct anl_gt *g = &m->gt[i];

		ret = get_strn(c, e, "groundtruth", "name", &g->name);
		if (!ret && !g->name)
			ret = serr(c, RPT_ESCHEMA, "groundtruth[%zu].name: null", i);
		if (!ret)
			ret = get_strn(c, e, "groundtruth", "note", &g->note);
		if (!ret)
			ret = get_bool(c, e, "groundtruth", "exact", &g->exact);
		if (ret)
			return ret;
		U64(e, "groundtruth", "trace", &g->trace);
		U64(e, "groundtruth", "entries", &g->entries);
		U64(e, "groundtruth", "edge", &g->edge);
		ret = get_u64_opt(c, e, "groundtruth", "edge_min", &g->edge_min);
		if (!ret)
			ret = get_u64_opt(c, e, "groundtruth", "inside", &g->inside);
		if (!ret)
			ret = get_u64_opt(c, e, "groundtruth", "unseen", &g->unseen);
		if (!ret)
			ret = get_u64_opt(c, e, "groundtruth", "uncounted", &g->uncounted);
		if (!ret)
			ret = get_u64_opt(c, e, "groundtruth", "uncounted_allocations",
					  &g->uncounted_allocations);
		if (ret)
			return ret;
		/* summaries before the bounds: the trace value was its own bound */
		g->trace_min = g->trace;
		g->trace_max = g->trace;
		g->edge_max = g->edge;
		if (jget(e, "trace_min"))
			U64(e, "groundtruth", "trace_min", &g->trace_min);
		if (jget(e, "edge_max"))
			U64(e, "groundtruth", "edge_max", &g->edge_max);
		kv = jget(e, "trace_max");
		if (kv && kv->type == J_NULL)
			g->trace_max = UINT64_MAX;
		else if (kv)
			U64(e, "groundtruth", "trace_max", &g->trace_max);
		kv = jget(e, "kernel");
		if (!kv || (kv->type != J_NULL && !(kv->type == J_NUM && kv->is_uint)))
			return serr(c, RPT_ESCHEMA, "groundtruth[%zu].kernel: missing", i);
		g->kernel_known = kv->type == J_NUM;
		g->kernel = g->kernel_known ? kv->u : 0;
		g->trace_known = true;
		g->match = g->kernel_known && g->trace == g->kernel;
		g->edge_explained = anl_gt_edge_explains(g);
		g->range_explained = !g->edge_explained && anl_gt_range_explains(g);
		m->nr_gt = (int)i + 1;
	}
	return 0;
}

/*
 * A capture's content identity from an object holding "size" and "xxh64"
 * (absent in summaries older than them, null when unknown: not known).
 */
static int parse_content(struct sctx *c, const struct jval *o, const char *where, struct rpt_content *out)
{
	const struct jval *sz = jget(o, "size"), *h = jget(o, "xxh64");
	char *end;

	memset(out, 0, sizeof(*out));
	if ((!sz || sz->type == J_NULL) && (!h || h->type == J_NULL))
		return 0;
	if (!sz || sz->type != J_NUM || !sz->is_uint || !h || h->type != J_STR || strlen(h->s) != 16)
		return serr(c, RPT_ESCHEMA, "%s: size and xxh64 (16 hex digits) go together", where);
	errno = 0;
	out->xxh64 = strtoull(h->s, &end, 16);
	if (errno || *end)
		return serr(c, RPT_ESCHEMA, "%s.xxh64: not 16 hex digits", where);
	out->size = sz->u;
	out->known = true;
	return 0;
}

static int parse_root(struct sctx *c, const struct jval *root)
{
	struct rpt_summary *s = c->s;
	const struct jval *v, *st, *tr, *mg;
	int ret;

	if (root->type != J_OBJ)
		return serr(c, RPT_ESCHEMA, "not a JSON object");
	v = jget(root, "schema_version");
	if (!v || v->type != J_NUM || !v->is_int)
		return serr(c, RPT_ESCHEMA, "no schema_version");
	s->version = (int)v->i;
	if (v->i != RPT_SCHEMA_VERSION)
		return serr(c, RPT_EVERSION, "schema_version %" PRId64 ", this allocscope reads %d",
			    v->i, RPT_SCHEMA_VERSION);
	tr = get_obj(c, root, "trace");
	if (!tr)
		return -RPT_ESCHEMA;
	v = jget(tr, "format");
	if (v && v->type == J_STR && !(s->format = strdup(v->s)))
		return -RPT_ENOMEM;
	mg = jget(root, "merged");
	if (mg) {
		const struct jval *p = jget(mg, "paths"), *n = jget(mg, "inputs"), *ct = jget(mg, "contents");

		if (!n || n->type != J_NUM || !n->is_uint || !n->u || n->u > UINT32_MAX ||
		    !p || p->type != J_ARR)
			return serr(c, RPT_ESCHEMA, "merged: needs inputs and paths");
		s->inputs = (unsigned int)n->u;
		s->paths = calloc(p->n ? p->n : 1, sizeof(*s->paths));
		s->contents = calloc(p->n ? p->n : 1, sizeof(*s->contents));
		if (!s->paths || !s->contents)
			return -RPT_ENOMEM;
		if (ct && (ct->type != J_ARR || ct->n != p->n))
			return serr(c, RPT_ESCHEMA, "merged.contents: one per path");
		for (size_t i = 0; i < p->n; i++) {
			if (p->kids[i].type != J_STR)
				return serr(c, RPT_ESCHEMA, "merged.paths[%zu]: not a string", i);
			if (ct && ct->kids[i].type != J_OBJ)
				return serr(c, RPT_ESCHEMA, "merged.contents[%zu]: not an object", i);
			if (ct && (ret = parse_content(c, &ct->kids[i], "merged.contents[]", &s->contents[i])))
				return ret;
			if (!(s->paths[s->nr_paths++] = strdup(p->kids[i].s)))
				return -RPT_ENOMEM;
		}
	} else {
		v = jget(tr, "path");
		s->inputs = 1;
		s->paths = calloc(1, sizeof(*s->paths));
		s->contents = calloc(1, sizeof(*s->contents));
		if (!s->paths || !s->contents)
			return -RPT_ENOMEM;
		if ((ret = parse_content(c, tr, "trace", &s->contents[0])))
			return ret;
		if (!(s->paths[s->nr_paths++] = strdup(v && v->type == J_STR ? v->s : c->name)))
			return -RPT_ENOMEM;
	}

	if ((ret = parse_capture(c, root)) || (ret = parse_kpi(c, root)) ||
	    (ret = parse_counts(c, root)) || (ret = parse_breakdowns(c, root)) ||
	    (ret = parse_groundtruth(c, root)) || (ret = parse_freelist(c, root)))
		return ret;

	st = get_obj(c, root, "stages");
	if (!st)
		return -RPT_ESCHEMA;
	for (int i = 0; i < ANL_STAGE__COUNT; i++) {
		const struct jval *sv = jget(st, anl_stage_name(i)), *why;

		if (sv && sv->type == J_NULL) {
			/* the capture's mode does not see it: absent, with the reason it gave */
			why = jget(jget(root, "stages_absent"), anl_stage_name(i));
			s->model.stage_absent[i] = why && why->type == J_STR ? own_str(s, why->s) :
						   "absent";
			if (!s->model.stage_absent[i])
				return -RPT_ENOMEM;
			continue;
		}
		ret = parse_stage(c, sv, anl_stage_name(i), &s->model.scope.stage[i]);
		if (ret)
			return ret;
	}
	s->model.tasks = s->tasks;
	s->model.nr_tasks = s->nr_tasks;
	return 0;
}

int rpt_summary_parse(const char *text, size_t len, const char *name,
		      struct rpt_summary **out, char *err, size_t errlen)
{
	struct rpt_summary *s;
	struct jval root;
	struct sctx c;
	int ret;

	if (err && errlen)
		err[0] = '\0';
	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -RPT_ENOMEM;
	ret = jparse(text, len, &root, err, errlen);
	if (ret) {
		free(s);
		return ret;
	}
	c = (struct sctx){ s, name ? name : "-", err, errlen };
	ret = parse_root(&c, &root);
	jfree(&root);
	if (ret) {
		rpt_summary_free(s);
		return ret;
	}
	*out = s;
	return 0;
}

/* ---- merge -------------------------------------------------------------- */

static void stat_merge(struct anl_stat *d, const struct anl_stat *s)
{
	d->count += s->count;
	d->timed += s->timed;
	d->total_ns += s->total_ns;
	if (s->max_ns > d->max_ns)
		d->max_ns = s->max_ns;
	/* the smaller of the known minimums; 0 (not known) on either side stays 0 */
	if (s->timed && (!d->timed || s->min_ns < d->min_ns))
		d->min_ns = s->min_ns;
	anl_hist_merge(&d->hist, &s->hist);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Weighted by window length: each side's % × window is its busy time. */
static double weighted(double a, uint64_t wa, double b, uint64_t wb)
{
	return wa + wb ? (a * (double)wa + b * (double)wb) / (double)(wa + wb) : 0;
}

static int merge_classes(struct anl_totals *d, const struct anl_totals *s)
{
	for (int i = 0; i < s->nr_gfp && i < ANL_GFP_CLASSES; i++) {
		const struct anl_class *sc = &s->by_gfp[i];
		struct anl_class *dc = NULL;

		if (!sc->allocations && !sc->name[0])
			continue;
		for (int j = 0; j < d->nr_gfp; j++)
			if (!strcmp(d->by_gfp[j].name, sc->name))
				dc = &d->by_gfp[j];
		if (!dc && d->nr_gfp < ANL_GFP_CLASSES) {
			dc = &d->by_gfp[d->nr_gfp++];
			snprintf(dc->name, sizeof(dc->name), "%s", sc->name);
		}
		if (!dc) {	/* more distinct classes than slots: fold into the last */
			dc = &d->by_gfp[ANL_GFP_CLASSES - 1];
			snprintf(dc->name, sizeof(dc->name), "other");
		}
		dc->allocations += sc->allocations;
		dc->slow += sc->slow;
		dc->failed += sc->failed;
		dc->stall_ns += sc->stall_ns;
	}
	return 0;
}

static int task_cmp(const void *x, const void *y)
{
	const struct anl_task_sum *a = x, *b = y;

	if (a->stall_ns != b->stall_ns)
		return a->stall_ns > b->stall_ns ? -1 : 1;
	if (a->slow != b->slow)
		return a->slow > b->slow ? -1 : 1;
	return strcmp(a->comm, b->comm);
}

/* Tasks of several captures are grouped by name: pids mean nothing across them. */
static int merge_tasks(struct rpt_summary *d, const struct rpt_summary *s)
{
	struct anl_task_sum *n = realloc(d->tasks, (d->nr_tasks + s->nr_tasks + 1) * sizeof(*n));

	if (!n)
		return -RPT_ENOMEM;
	d->tasks = n;
	for (size_t i = 0; i < s->nr_tasks; i++) {
		const struct anl_task_sum *st = &s->tasks[i];
		struct anl_task_sum *dt = NULL;

		for (size_t j = 0; j < d->nr_tasks; j++)
			if (!strcmp(d->tasks[j].comm, st->comm))
				dt = &d->tasks[j];
		if (!dt) {
			dt = &d->tasks[d->nr_tasks++];
			*dt = *st;
			dt->pid = dt->tgid = -1;
			continue;
		}
		dt->pid = dt->tgid = -1;
		dt->allocations += st->allocations;
		dt->slow += st->slow;
		dt->failed += st->failed;
		dt->stall_ns += st->stall_ns;
	}
	for (size_t j = 0; j < d->nr_tasks; j++)
		d->tasks[j].pid = d->tasks[j].tgid = -1;
	qsort(d->tasks, d->nr_tasks, sizeof(*d->tasks), task_cmp);
	d->model.tasks = d->tasks;
	d->model.nr_tasks = d->nr_tasks;
	return 0;
}

static int merge_gt(struct rpt_summary *d, const struct rpt_summary *s)
{
	struct anl_model *dm = &d->model;
	const struct anl_model *sm = &s->model;
	bool seen[ANL_MAX_GT] = { false };

	for (int i = 0; i < sm->nr_gt; i++) {
		const struct anl_gt *sg = &sm->gt[i];
		struct anl_gt *dg = NULL;

		for (int j = 0; j < dm->nr_gt; j++)
			if (same_str(dm->gt[j].name, sg->name))
				dg = &dm->gt[j], seen[j] = true;
		if (!dg) {
			if (dm->nr_gt >= ANL_MAX_GT)
				continue;
			dg = &dm->gt[dm->nr_gt];
			seen[dm->nr_gt++] = true;
			*dg = *sg;
			dg->name = own_str(d, sg->name);
			dg->note = own_str(d, sg->note);
			if (!dg->name)
				return -RPT_ENOMEM;
			/* the other captures had no such counter: the kernel sum is partial */
			dg->kernel_known = dg->kernel_known && !d->inputs;
			continue;
		}
		dg->trace += sg->trace;
		dg->trace_min += sg->trace_min;
		dg->trace_max = dg->trace_max == UINT64_MAX || sg->trace_max == UINT64_MAX ?
				UINT64_MAX : dg->trace_max + sg->trace_max;
		dg->edge_max += sg->edge_max;
		dg->entries += sg->entries;
		dg->edge += sg->edge;
		dg->edge_min += sg->edge_min;
		dg->inside += sg->inside;
		dg->unseen += sg->unseen;
		dg->uncounted += sg->uncounted;
		dg->uncounted_allocations += sg->uncounted_allocations;
		dg->exact = dg->exact && sg->exact;
		dg->kernel_known = dg->kernel_known && sg->kernel_known;
		dg->kernel = dg->kernel_known ? dg->kernel + sg->kernel : 0;
		if (!dg->note && sg->note)
			dg->note = own_str(d, sg->note);
	}
	for (int j = 0; j < dm->nr_gt; j++) {
		struct anl_gt *g = &dm->gt[j];

		if (!seen[j])
			g->kernel_known = false;
		g->match = g->kernel_known && g->trace == g->kernel;
		g->edge_explained = anl_gt_edge_explains(g);
		g->range_explained = !g->edge_explained && anl_gt_range_explains(g);
		if (!g->kernel_known)
			g->kernel = 0;
	}
	return 0;
}

/*
 * The freelist check of the merged set: its counts add, it is exact when
 * every freelist capture was; a capture of another mode contributes none
 * (the set's mode then reads "mixed").
 */
static int merge_freelist(struct rpt_summary *d, const struct rpt_summary *s)
{
	struct anl_freelist *df = &d->model.freelist;
	const struct anl_freelist *sf = &s->model.freelist;
	struct anl_totals *dt = &d->model.scope;
	const struct anl_totals *st = &s->model.scope;
	struct anl_anomalies *da = &d->model.anomalies;
	const struct anl_anomalies *sa = &s->model.anomalies;

	if (!sf->used)
		return 0;
	if (!df->used) {
		*df = *sf;
		if (sf->probe && !(df->probe = own_str(d, sf->probe)))
			return -RPT_ENOMEM;
	} else {
		df->exact = df->exact && sf->exact;
		if (!same_str(df->probe, sf->probe))
			df->probe = "mixed: see each capture";
		df->returns = df->returns && sf->returns;
	}
	dt->fl_low += st->fl_low;
	dt->fl_trylock += st->fl_trylock;
	dt->fl_slow += st->fl_slow;
	dt->fl_open_before += st->fl_open_before;
	dt->fl_open_after += st->fl_open_after;
	dt->fl_orphans += st->fl_orphans;
	dt->nolock += st->nolock;
	dt->nolock_failed += st->nolock_failed;
	if (!da->fl_bad_flags)
		da->fl_first_bad = sa->fl_first_bad;
	da->fl_bad_flags += sa->fl_bad_flags;
	da->fl_orphan_attempts += sa->fl_orphan_attempts;
	da->fl_missed += sa->fl_missed;
	return 0;
}

int rpt_summary_merge(struct rpt_summary *d, const struct rpt_summary *s, char *err, size_t errlen)
{
	struct anl_model *dm = &d->model;
	const struct anl_model *sm = &s->model;
	struct anl_totals *dt = &dm->scope;
	const struct anl_totals *st = &sm->scope;
	struct rpt_content *nc;
	char **np;
	int ret;

	if (d->version != s->version) {
		if (err && errlen)
			snprintf(err, errlen, "schema_version %d and %d", d->version, s->version);
		return -RPT_EVERSION;
	}
	if (d->estimated != s->estimated) {
		if (err && errlen)
			snprintf(err, errlen, "one is %s, the other %s",
				 d->estimated ? "estimated" : "exact", s->estimated ? "estimated" : "exact");
		return -RPT_EMODES;
	}
	if (!same_str(d->mode_name ? d->mode_name : anl_mode_name(dm->mode),
		      s->mode_name ? s->mode_name : anl_mode_name(sm->mode)) && !d->mode_name) {
		d->mode_name = strdup("mixed");
		if (!d->mode_name)
			return -RPT_ENOMEM;
	}
	dm->mode_forced = dm->mode_forced || sm->mode_forced;
	dm->slow_path_exact = dm->slow_path_exact && sm->slow_path_exact;
	if (!same_str(dm->kernel, sm->kernel))
		dm->kernel = NULL;
	dm->kernel_given = dm->kernel && (dm->kernel_given || sm->kernel_given);
	if (!same_str(dm->window_source, sm->window_source))
		dm->window_source = "merged: several sources";
	if (!same_str(d->format, s->format)) {
		free(d->format);
		d->format = strdup("mixed");
		if (!d->format)
			return -RPT_ENOMEM;
	}

	/* rates of the merged set: % of one CPU over all windows together */
	dm->kswapd_known = dm->kswapd_known && sm->kswapd_known;
	dm->kswapd_cpu_percent = dm->kswapd_known ?
		weighted(dm->kswapd_cpu_percent, dm->window_ns, sm->kswapd_cpu_percent, sm->window_ns) : 0;
	if (!same_str(dm->kswapd_source, sm->kswapd_source))
		dm->kswapd_source = dm->kswapd_known ? "mixed: see each capture" : NULL;
	if (!dm->kswapd_known)
		dm->kswapd_source = NULL;
	dm->kswapd_sched_known = dm->kswapd_sched_known && sm->kswapd_sched_known;
	dm->kswapd_sched_percent = dm->kswapd_sched_known ?
		weighted(dm->kswapd_sched_percent, dm->window_ns, sm->kswapd_sched_percent,
			 sm->window_ns) : 0;
	dm->kswapd_stat_known = dm->kswapd_stat_known && sm->kswapd_stat_known;
	dm->kswapd_stat_percent = dm->kswapd_stat_known ?
		weighted(dm->kswapd_stat_percent, dm->window_ns, sm->kswapd_stat_percent,
			 sm->window_ns) : 0;
	dm->window_ns += sm->window_ns;

	dt->allocations += st->allocations;
	dt->slow += st->slow;
	dt->failed += st->failed;
	dt->nested += st->nested;
	dt->incomplete += st->incomplete;
	dt->reclaim_loops += st->reclaim_loops;
	dt->nr_reclaimed += st->nr_reclaimed;
	for (int i = 0; i < ANL_STAGE__COUNT; i++) {
		/* absent from one capture: the sum would be partial */
		if (!dm->stage_absent[i] && sm->stage_absent[i] &&
		    !(dm->stage_absent[i] = own_str(d, sm->stage_absent[i])))
			return -RPT_ENOMEM;
		stat_merge(&dt->stage[i], &st->stage[i]);
	}
	for (int o = 0; o <= ANL_MAX_ORDER + 1; o++) {
		dt->by_order[o].allocations += st->by_order[o].allocations;
		dt->by_order[o].slow += st->by_order[o].slow;
		dt->by_order[o].failed += st->by_order[o].failed;
		dt->by_order[o].stall_ns += st->by_order[o].stall_ns;
	}
	merge_classes(dt, st);
	dt->page_alloc_events += st->page_alloc_events;
	dt->page_alloc_pages += st->page_alloc_pages;
	dt->page_alloc_failed += st->page_alloc_failed;
	dt->reclaim_begin += st->reclaim_begin;
	dt->reclaim_end += st->reclaim_end;
	dt->try_compact += st->try_compact;
	dt->compact_stall_derived += st->compact_stall_derived;
	dt->compact_begin_direct += st->compact_begin_direct;
	dt->compact_begin_other += st->compact_begin_other;
	dt->compact_deferred += st->compact_deferred;
	dt->wakeup_kswapd += st->wakeup_kswapd;
	dt->wakeup_kswapd_slow += st->wakeup_kswapd_slow;
	dt->mark_victim += st->mark_victim;
	dt->kswapd_run_ns += st->kswapd_run_ns;
	dt->kswapd_awake_ns += st->kswapd_awake_ns;
	{
		struct anl_recorder *dr = &dm->recorder;
		const struct anl_recorder *sr = &sm->recorder;

		if (!dr->rule)
			dr->rule = sr->rule ? own_str(d, sr->rule) : NULL;
		else if (sr->rule && !same_str(dr->rule, sr->rule))
			dr->rule = "mixed";
		dr->included = dr->included || sr->included;
		dr->tasks += sr->tasks;
		dr->allocations += sr->allocations;
		dr->slow += sr->slow;
		dr->failed += sr->failed;
		dr->reclaims += sr->reclaims;
	}

	{
		struct anl_anomalies *da = &dm->anomalies;
		const struct anl_anomalies *sa = &sm->anomalies;

		da->lost_markers += sa->lost_markers;
		da->lost_events += sa->lost_events;
		da->incomplete += sa->incomplete;
		da->open_at_end += sa->open_at_end;
		da->exit_without_entry += sa->exit_without_entry;
		da->unmatched_entry += sa->unmatched_entry;
		da->orphan_calls += sa->orphan_calls;
		da->reclaim_end_without_begin += sa->reclaim_end_without_begin;
		da->compaction_end_without_begin += sa->compaction_end_without_begin;
		da->order_out_of_range += sa->order_out_of_range;
		da->ts_backwards += sa->ts_backwards;
		da->migrations += sa->migrations;
		da->wrapper_merged += sa->wrapper_merged;
		da->bulk_gpfl += sa->bulk_gpfl;
		da->boosted_wakes += sa->boosted_wakes;
		da->other_mode += sa->other_mode;
	}
	if ((ret = merge_freelist(d, s)))
		return ret;
	d->have_pstats = d->have_pstats || s->have_pstats;
	d->pstats.bad_lines += s->pstats.bad_lines;
	d->pstats.bad_fields += s->pstats.bad_fields;
	d->pstats.ts_unordered += s->pstats.ts_unordered;

	if ((ret = merge_tasks(d, s)))
		return ret;
	if (!same_str(dm->vmstat_source, sm->vmstat_source))
		dm->vmstat_source = dm->vmstat_source && sm->vmstat_source ? "mixed" : NULL;
	dm->vmstat_known = dm->vmstat_known && sm->vmstat_known;
	if (!dm->vmstat_known)
		dm->vmstat_source = NULL;
	if ((ret = merge_gt(d, s)))
		return ret;

	nc = realloc(d->contents, (d->nr_paths + s->nr_paths + 1) * sizeof(*nc));
	if (!nc)
		return -RPT_ENOMEM;
	d->contents = nc;
	memcpy(d->contents + d->nr_paths, s->contents, s->nr_paths * sizeof(*nc));
	np = realloc(d->paths, (d->nr_paths + s->nr_paths + 1) * sizeof(*np));
	if (!np)
		return -RPT_ENOMEM;
	d->paths = np;
	for (size_t i = 0; i < s->nr_paths; i++)
		if (!(d->paths[d->nr_paths++] = strdup(s->paths[i])))
			return -RPT_ENOMEM;
	d->inputs += s->inputs;
	return 0;
}

const struct anl_model *rpt_summary_model(const struct rpt_summary *s)
{
	return &s->model;
}

unsigned int rpt_summary_inputs(const struct rpt_summary *s)
{
	return s->inputs;
}

size_t rpt_summary_nr_paths(const struct rpt_summary *s)
{
	return s->nr_paths;
}

const char *rpt_summary_path(const struct rpt_summary *s, size_t i)
{
	return i < s->nr_paths ? s->paths[i] : NULL;
}

const struct rpt_content *rpt_summary_content(const struct rpt_summary *s, size_t i)
{
	return i < s->nr_paths ? &s->contents[i] : NULL;
}

int rpt_summary_json(const struct rpt_summary *s, unsigned int top_n, FILE *f)
{
	struct rpt_input in = {
		.model = &s->model,
		.format = s->format,
		.pstats = s->have_pstats ? &s->pstats : NULL,
		.top_n = top_n,
		.mode_name = s->mode_name,
		.merged_inputs = s->inputs ? s->inputs : 1,
		.merged_paths = (const char *const *)s->paths,
		.merged_contents = s->contents,
		.nr_merged_paths = s->nr_paths,
	};

	return rpt_json(&in, f) ? -RPT_EIO : 0;
}

void rpt_summary_free(struct rpt_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_own; i++)
		free(s->own[i]);
	for (size_t i = 0; i < s->nr_paths; i++)
		free(s->paths[i]);
	free(s->own);
	free(s->paths);
	free(s->contents);
	free(s->tasks);
	free(s->format);
	free(s->mode_name);
	free(s);
}
