// SPDX-License-Identifier: GPL-2.0-only
/*
 * One row per allocation for pandas, DuckDB and spreadsheets: CSV with a
 * header, or JSON Lines.  Written from the record callback, so memory does
 * not grow with the trace.  Columns are an interface like the JSON schema
 * (docs/json-schema.md "Per-allocation rows"): only ever added at the end.
 * Unknown values are empty in CSV and null in JSON Lines.
 */
#include <inttypes.h>
#include <string.h>

#include "report-local.h"

/* Slow-path stages that get a _count and _ns column, in this order. */
static const enum anl_stage row_stages[] = {
	ANL_STAGE_WAKE_ALL_KSWAPDS, ANL_STAGE_KSWAPD_WOKEN, ANL_STAGE_COMPACTION,
	ANL_STAGE_DIRECT_RECLAIM, ANL_STAGE_OOM, ANL_STAGE_MIN_WATERMARK, ANL_STAGE_RETRY_LOOP,
	ANL_STAGE_AFTER_RECLAIM, ANL_STAGE_OTHER,
};
#define NR_ROW_STAGES (sizeof(row_stages) / sizeof(row_stages[0]))

static const char *const outcome_names[] = { "fast", "slow", "failed" };

int rpt_rows_header(enum rpt_rows_format fmt, FILE *f)
{
	if (fmt != RPT_ROWS_CSV)
		return 0;
	fputs("id,parent_id,depth,start_ns,end_ns,latency_ns,pid,tgid,comm,order,gfp,gfp_flags,"
	      "outcome,incomplete,open_at_end,estimated,unmatched,gpfl_calls,gpfl_failed", f);
	for (size_t i = 0; i < NR_ROW_STAGES; i++)
		fprintf(f, ",%s_count,%s_ns", anl_stage_name(row_stages[i]),
			anl_stage_name(row_stages[i]));
	fputs(",nr_reclaimed,in_window\n", f);
	return ferror(f) ? -1 : 0;
}

/* RFC 4180: quote when needed, double the quotes. */
static void csv_str(FILE *f, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void u64_or_empty(FILE *f, enum rpt_rows_format fmt, uint64_t v)
{
	if (v != PRS_NO_VALUE)
		fprintf(f, "%" PRIu64, v);
	else if (fmt == RPT_ROWS_JSONL)
		fputs("null", f);
}

/* A stage's count and time: empty (null) where the record's mode does not see or time it. */
static void stage_cols(FILE *f, enum rpt_rows_format fmt, const struct anl_alloc *r,
		       enum anl_stage st)
{
	bool seen = r->stage_seen & (1u << st), timed = seen && (r->stage_timed & (1u << st));

	if (fmt == RPT_ROWS_JSONL)
		fprintf(f, ",\"%s_count\":", anl_stage_name(st));
	else
		fputc(',', f);
	u64_or_empty(f, fmt, seen ? r->stage_count[st] : PRS_NO_VALUE);
	if (fmt == RPT_ROWS_JSONL)
		fprintf(f, ",\"%s_ns\":", anl_stage_name(st));
	else
		fputc(',', f);
	u64_or_empty(f, fmt, timed ? r->stage_ns[st] : PRS_NO_VALUE);
}

static void put_csv(const struct anl_alloc *r, FILE *f)
{
	fprintf(f, "%" PRIu64 ",%" PRIu64 ",%u,%" PRIu64 ",%" PRIu64 ",", r->id, r->parent_id,
		r->depth, r->start_ts, r->end_ts);
	u64_or_empty(f, RPT_ROWS_CSV, r->latency_ns);
	if (r->pid >= 0)	/* -1: a CPU's unknown task, named in comm */
		fprintf(f, ",%d,", r->pid);
	else
		fputs(",,", f);
	if (r->tgid >= 0)	/* unknown unless the trace has a TGID column */
		fprintf(f, "%d", r->tgid);
	fputc(',', f);
	csv_str(f, r->comm);
	fputc(',', f);
	if (r->order >= 0)
		fprintf(f, "%d", r->order);
	fputc(',', f);
	if (r->gfp != PRS_NO_VALUE)
		fprintf(f, "0x%" PRIx64, r->gfp);
	fputc(',', f);
	csv_str(f, r->gfp_str);
	fprintf(f, ",%s,%d,%d,%d,%d,%u,%u", outcome_names[r->outcome],
		!!(r->flags & ANL_REC_INCOMPLETE), !!(r->flags & ANL_REC_OPEN_AT_END),
		!!(r->flags & ANL_REC_ESTIMATED), !!(r->flags & ANL_REC_UNMATCHED),
		r->gpfl_calls, r->gpfl_failed);
	for (size_t i = 0; i < NR_ROW_STAGES; i++)
		stage_cols(f, RPT_ROWS_CSV, r, row_stages[i]);
	fprintf(f, ",%" PRIu64 ",%d\n", r->nr_reclaimed, !!(r->flags & ANL_REC_IN_WINDOW));
}

static const char *jbool(unsigned int v)
{
	return v ? "true" : "false";
}

static void put_jsonl(const struct anl_alloc *r, FILE *f)
{
	fprintf(f, "{\"id\":%" PRIu64 ",\"parent_id\":%" PRIu64 ",\"depth\":%u,\"start_ns\":%" PRIu64
		",\"end_ns\":%" PRIu64 ",\"latency_ns\":", r->id, r->parent_id, r->depth,
		r->start_ts, r->end_ts);
	u64_or_empty(f, RPT_ROWS_JSONL, r->latency_ns);
	if (r->pid >= 0)	/* -1: a CPU's unknown task, named in comm */
		fprintf(f, ",\"pid\":%d,\"tgid\":", r->pid);
	else
		fputs(",\"pid\":null,\"tgid\":", f);
	if (r->tgid >= 0)
		fprintf(f, "%d", r->tgid);
	else
		fputs("null", f);
	fputs(",\"comm\":", f);
	rpt_json_str(f, r->comm);
	fputs(",\"order\":", f);
	if (r->order >= 0)
		fprintf(f, "%d", r->order);
	else
		fputs("null", f);
	fputs(",\"gfp\":", f);
	if (r->gfp != PRS_NO_VALUE)
		fprintf(f, "\"0x%" PRIx64 "\"", r->gfp);
	else
		fputs("null", f);
	fputs(",\"gfp_flags\":", f);
	rpt_json_str(f, r->gfp_str);
	fprintf(f, ",\"outcome\":\"%s\",\"incomplete\":%s,\"open_at_end\":%s,\"estimated\":%s"
		",\"unmatched\":%s,\"gpfl_calls\":%u,\"gpfl_failed\":%u", outcome_names[r->outcome],
		jbool(r->flags & ANL_REC_INCOMPLETE), jbool(r->flags & ANL_REC_OPEN_AT_END),
		jbool(r->flags & ANL_REC_ESTIMATED), jbool(r->flags & ANL_REC_UNMATCHED),
		r->gpfl_calls, r->gpfl_failed);
	for (size_t i = 0; i < NR_ROW_STAGES; i++)
		stage_cols(f, RPT_ROWS_JSONL, r, row_stages[i]);
	fprintf(f, ",\"nr_reclaimed\":%" PRIu64 ",\"in_window\":%s}\n", r->nr_reclaimed,
		jbool(r->flags & ANL_REC_IN_WINDOW));
}

int rpt_rows_write(enum rpt_rows_format fmt, const struct anl_alloc *rec, FILE *f)
{
	if ((unsigned int)rec->outcome > ANL_FAILED)
		return -1;
	if (fmt == RPT_ROWS_CSV)
		put_csv(rec, f);
	else
		put_jsonl(rec, f);
	return ferror(f) ? -1 : 0;
}
