// SPDX-License-Identifier: GPL-2.0-only
/* Formatting helpers and error strings of the report library. */
#include <stdbool.h>
#include <stddef.h>
#include <inttypes.h>
#include <string.h>

#include "report-local.h"

#undef _RE
#define _RE(code, str) str
static const char *const rpt_errstr[] = { RPT_ERRORS };
#undef _RE

const char *rpt_strerror(int code)
{
	if (code < 0)
		code = -code;
	if (code >= RPT_E__LAST)
		return "unknown error";
	return rpt_errstr[code];
}

const char *rpt_fmt_ns(char *buf, size_t len, uint64_t ns)
{
	if (ns == PRS_NO_VALUE)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", (double)ns / 1e9);
	return buf;
}

/*
 * @ns in one fixed unit (@unit_ns: 1000 = us, 1000000 = ms) with @decimals
 * (1 to 3) decimals, thousands separated: for a table column that keeps one
 * unit, named in its header.
 */
const char *rpt_fmt_fixed(char *buf, size_t len, uint64_t ns, uint64_t unit_ns, int decimals)
{
	static const uint64_t pow10[] = { 1, 10, 100, 1000 };
	uint64_t scale = pow10[decimals < 1 ? 1 : decimals > 3 ? 3 : decimals], q;
	char whole[32];

	if (ns == PRS_NO_VALUE)
		return snprintf(buf, len, "-"), buf;
	q = (uint64_t)(((unsigned __int128)ns * scale + unit_ns / 2) / unit_ns);
	rpt_fmt_count(whole, sizeof(whole), q / scale);
	snprintf(buf, len, "%.26s.%0*" PRIu64, whole, decimals < 1 ? 1 : decimals > 3 ? 3 : decimals,
		 q % scale);
	return buf;
}

bool rpt_gt_inside(const struct anl_model *m)
{
	for (int i = 0; i < m->nr_gt; i++)
		if (m->gt[i].inside)
			return true;
	return false;
}

const char *rpt_fmt_count(char *buf, size_t len, uint64_t n)
{
	char digits[32];
	size_t nd, o = 0;

	snprintf(digits, sizeof(digits), "%" PRIu64, n);
	nd = strlen(digits);
	for (size_t i = 0; i < nd && o + 1 < len; i++) {
		if (i && (nd - i) % 3 == 0 && o + 2 < len)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/*
 * Greedy word wrap: pieces end at a space (dropped at a fold) or after a
 * '|' (gfp flags); a piece longer than the width is printed whole.
 */
void rpt_put_wrapped(FILE *f, int indent, const char *text)
{
	int col = indent, cont = indent + 2;
	bool space = false;
	const char *p = text;

	fprintf(f, "%*s", indent, "");
	while (*p) {
		size_t n = 0;

		while (p[n] && p[n] != ' ')
			if (p[n++] == '|')
				break;
		if (n && col > indent && col + (space ? 1 : 0) + (int)n > RPT_WIDTH) {
			fprintf(f, "\n%*s", cont, "");
			col = cont;
		} else if (space) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += (int)n;
		p += n;
		space = *p == ' ';
		if (space)
			p++;
	}
	fputc('\n', f);
}

void rpt_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void rpt_html_str(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
			else
				fputc('?', f);
		}
	}
}

enum anl_stage rpt_dominant_stage(const struct anl_alloc *rec)
{
	static const enum anl_stage order[] = {
		ANL_STAGE_DIRECT_RECLAIM, ANL_STAGE_COMPACTION, ANL_STAGE_OOM,
		ANL_STAGE_WAKE_ALL_KSWAPDS, ANL_STAGE_RETRY_LOOP, ANL_STAGE_AFTER_RECLAIM,
		ANL_STAGE_MIN_WATERMARK, ANL_STAGE_OTHER,
	};
	enum anl_stage best = ANL_STAGE_OTHER;
	uint64_t best_ns = 0;

	/* ties go to the first in @order: reclaim and compaction are what users tune */
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (rec->stage_ns[order[i]] > best_ns) {
			best_ns = rec->stage_ns[order[i]];
			best = order[i];
		}
	}
	/* OOM is rarely timed (mark_victim is a point): any OOM dominates in spirit */
	if (rec->stage_count[ANL_STAGE_OOM] && !rec->stage_ns[ANL_STAGE_OOM] &&
	    best == ANL_STAGE_OTHER)
		best = ANL_STAGE_OOM;
	return best;
}

#define RPT_ANOMALY(label, field) { label, offsetof(struct anl_anomalies, field) }
const struct rpt_anomaly rpt_anomalies[] = {
	RPT_ANOMALY("incomplete (open across lost events)", incomplete),
	RPT_ANOMALY("open when the trace ended", open_at_end),
	RPT_ANOMALY("return without entry (trace began inside)", exit_without_entry),
	RPT_ANOMALY("entry without return", unmatched_entry),
	RPT_ANOMALY("gpfl/stage outside any allocation", orphan_calls),
	RPT_ANOMALY("reclaim end without begin", reclaim_end_without_begin),
	RPT_ANOMALY("compaction end without begin", compaction_end_without_begin),
	RPT_ANOMALY("order out of range", order_out_of_range),
	RPT_ANOMALY("timestamps going backwards on a CPU", ts_backwards),
	RPT_ANOMALY("allocations that changed CPU", migrations),
	RPT_ANOMALY("frozen alloc merged into its wrapper", wrapper_merged),
	RPT_ANOMALY("gpfl calls not from the allocator (bulk, nolock)", bulk_gpfl),
	RPT_ANOMALY("boosted-watermark kswapd wakes (fast path)", boosted_wakes),
	RPT_ANOMALY("events of a second exact mode, not read (-m chooses)", other_mode),
	RPT_ANOMALY("freelist attempts with flags no kernel passes", fl_bad_flags),
	RPT_ANOMALY("freelist: mm_page_alloc closing nothing", fl_orphan_page_alloc),
	RPT_ANOMALY("freelist: slow-path attempts, nothing open", fl_orphan_attempts),
	RPT_ANOMALY("freelist probe misses (kprobe_profile)", fl_missed),
};
const size_t rpt_nr_anomalies = sizeof(rpt_anomalies) / sizeof(rpt_anomalies[0]);

/* How an allocation's reclaim_retry_zone rounds ended (enum anl_retry_end), in words. */
const char *rpt_retry_end_words(uint8_t end)
{
	switch (end) {
	case ANL_RETRY_LOOPED:
		return "its last found a zone worth reclaiming for (wmark_check=1), so it "
		       "reclaimed again";
	case ANL_RETRY_RAN_OUT:
		return "retries ran out, not memory: at no_progress_loops 16 a zone still passed "
		       "(wmark_check=1), so after one more reclaim the check gives up (17 > "
		       "MAX_RECLAIM_RETRIES, no line)";
	case ANL_RETRY_NO_ZONE:
		return "in its last no zone would reach its min watermark even with all it can "
		       "reclaim (wmark_check=0 in each): should_reclaim_retry() gave up";
	default:
		return "";
	}
}

/* ... and the JSON's word for it */
const char *rpt_retry_end_key(uint8_t end)
{
	switch (end) {
	case ANL_RETRY_LOOPED:	return "looped";
	case ANL_RETRY_RAN_OUT:	return "ran_out";
	case ANL_RETRY_NO_ZONE:	return "no_zone";
	default:		return "none";
	}
}

/* What __alloc_pages_slowpath() does once the retries gave up (enum anl_after_retry). */
const char *rpt_after_retry_words(uint8_t after)
{
	switch (after) {
	case ANL_AFTER_OOM:
		return "__alloc_pages_may_oom(): the OOM killer (order <= 3, gfp with __GFP_FS, "
		       "without __GFP_RETRY_MAYFAIL or __GFP_THISNODE)";
	case ANL_AFTER_NOFS:
		return "__alloc_pages_may_oom(): without __GFP_FS out_of_memory() kills nothing, "
		       "the slow path loops again";
	case ANL_AFTER_FAIL:
		return "no OOM killer (order > 3, or __GFP_RETRY_MAYFAIL or __GFP_THISNODE): the "
		       "allocation fails (NULL) unless __GFP_NOFAIL";
	case ANL_AFTER_NOFAIL:
		return "__GFP_NOFAIL: it never fails, it loops (after the OOM killer where order "
		       "and gfp allow it)";
	default:
		return "__alloc_pages_may_oom(): the OOM killer, unless the gfp (not in the trace) "
		       "has __GFP_RETRY_MAYFAIL or __GFP_THISNODE, or lacks __GFP_FS";
	}
}

const char *rpt_after_retry_key(uint8_t after)
{
	switch (after) {
	case ANL_AFTER_OOM:	return "oom_killer";
	case ANL_AFTER_NOFS:	return "no_fs_loops";
	case ANL_AFTER_FAIL:	return "fails";
	case ANL_AFTER_NOFAIL:	return "nofail_loops";
	default:		return "oom_killer_unless_gfp";
	}
}

void rpt_json_doc_head(FILE *f, const struct rpt_input *in)
{
	fprintf(f, "{\n  \"schema_version\": %d,\n  \"trace\": {\"path\": ", RPT_SCHEMA_VERSION);
	rpt_json_str(f, in->trace_path);
	fprintf(f, ", \"format\": ");
	rpt_json_str(f, in->format);
	if (in->pstats && in->pstats->cut)
		fprintf(f, ", \"cut_at\": {\"%s\": %" PRIu64 "}", in->pstats->cut_line ? "line" : "offset",
			in->pstats->cut_at);
	else
		fprintf(f, ", \"cut_at\": null");
	fprintf(f, "},\n  \"mode\": ");
	rpt_json_str(f, anl_mode_name(in->model->mode));
}

void rpt_json_untold(FILE *f, const struct anl_model *m)
{
	fputc('[', f);
	for (int i = 0; m->untold[i]; i++) {
		fputs(i ? ", " : "", f);
		rpt_json_str(f, m->untold[i]);
	}
	fputc(']', f);
}
