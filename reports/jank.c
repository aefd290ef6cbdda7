// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frames report: late frames of atrace slices with the allocation stalls inside them.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "report-local.h"

#define JANK_ANALYZE_ROWS	5	/* analyze's text lists the most late of them */

/* The trace carries events that show allocation stalls (a mode the analyzer can read). */
static bool stalls_visible(const struct anl_model *m)
{
	return m->modes_supported != 0;
}

static const char *ms3(char *buf, size_t len, uint64_t ns)
{
	return rpt_fmt_fixed(buf, len, ns, 1000000, 3);
}

static uint64_t frame_ns(const struct anl_jank_frame *f)
{
	return f->end_ts - f->start_ts;
}

/* its time beyond the budget: 0 for a frame of the timeline late by its jank type alone */
static uint64_t over_ns(const struct anl_jank *j, const struct anl_jank_frame *f)
{
	return frame_ns(f) > j->budget_ns ? frame_ns(f) - j->budget_ns : 0;
}

/* FrameTimelineEvent.JankType bits, named as Perfetto's trace_processor names them */
static const struct {
	uint32_t	bit;
	const char	*name;
} jank_names[] = {
	{ 2, "SurfaceFlinger Scheduling" }, { 4, "Prediction Error" }, { 8, "Display HAL" },
	{ 16, "SurfaceFlinger CPU Deadline Missed" }, { 32, "SurfaceFlinger GPU Deadline Missed" },
	{ 64, "App Deadline Missed" }, { 4096, "App Resynced Jitter" }, { 128, "Buffer Stuffing" },
	{ 256, "Unknown Jank" }, { 512, "SurfaceFlinger Stuffing" }, { 1024, "Dropped Frame" },
	{ 2048, "Non Animating" }, { 8192, "Display not ON" }, { 16384, "ModeChange in progress" },
	{ 32768, "PowerModeChange in progress" },
};

static const char *const present_names[] = {
	"Unspecified Present", "On-time Present", "Late Present", "Early Present", "Dropped Frame",
	"Unknown Present",
};

static const char *present_name(int32_t t)
{
	return t >= 0 && t < 6 ? present_names[t] : "Unknown Present";
}

/* "App Deadline Missed, Buffer Stuffing" into @buf */
static const char *jank_name(char *buf, size_t len, uint32_t jank_type)
{
	size_t o = 0;

	if (!jank_type)
		return "Unspecified";
	if (jank_type == 1)
		return "None";
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(jank_names) / sizeof(jank_names[0]); i++)
		if ((jank_type & jank_names[i].bit) && o < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "", jank_names[i].name);
	return buf[0] ? buf : "Unspecified";
}

static const char *verdict(const struct anl_model *m, const struct anl_jank_frame *f)
{
	if (!stalls_visible(m))
		return "-";
	if (!f->stall_ns)
		return f->lost ? "no stall seen (events lost)" : "no stall";
	if (f->explained)
		return f->lost ? "explained (events lost)" : "explained";
	return f->lost ? "partly (events lost)" : "partly";
}

static const char *proc_name(const struct anl_jank_frame *f)
{
	if (f->source == ANL_FRAME_TIMELINE)
		return f->ui_comm[0] ? f->ui_comm : "?";	/* its process's name */
	return f->ui_tid >= 0 && f->ui_comm[0] ? f->ui_comm : f->rt_tid >= 0 && f->rt_comm[0] ?
	       f->rt_comm : "?";
}

static void heading(FILE *f, const struct rpt_input *in, const char *title)
{
	fprintf(f, "\n%s%s%s\n", rpt_sgr(in, RPT_SGR_BOLD), title, rpt_sgr(in, RPT_SGR_RESET));
}

/* What the counts mean, once per report. */
static void definitions(FILE *f, const struct anl_jank *j)
{
	char b[32], line[512];

	snprintf(line, sizeof(line), "a frame is a Choreographer#doFrame slice (UI thread) with the "
		 "DrawFrame slices of its RenderThread, from trace_marker (atrace), whole trace; late: "
		 "longer than its budget of %s ms; its stalls: the allocation stalls of its threads "
		 "inside its slices; explained: they add up to at least its overrun (duration - budget)",
		 ms3(b, sizeof(b), j->budget_ns));
	rpt_put_wrapped(f, 2, line);
	if (!j->tl.frames)
		return;
	rpt_put_wrapped(f, 2, "the trace also has Perfetto's frame timeline (SurfaceFlinger, Android "
			"12+): each app frame as the compositor timed it (actual surface frame), a frame "
			"of its own; late: its jank type blames the app (App Deadline Missed, App "
			"Resynced Jitter, Unknown Jank: Perfetto's Self Jank) or it is longer than the "
			"budget; its stalls: those of every thread of its process inside it");
}

static void counts(FILE *f, const struct rpt_input *in)
{
	const struct anl_model *m = in->model;
	const struct anl_jank *j = m->jank;
	char b[6][32], line[512];

	snprintf(line, sizeof(line), "frames       %s in %s process%s (%s without a DrawFrame, %s "
		 "DrawFrame only, %s with vsync ids); longest %s ms",
		 rpt_fmt_count(b[0], 32, j->frames), rpt_fmt_count(b[1], 32, j->processes),
		 j->processes == 1 ? "" : "es", rpt_fmt_count(b[2], 32, j->ui_only),
		 rpt_fmt_count(b[3], 32, j->rt_only), rpt_fmt_count(b[4], 32, j->with_vsync),
		 ms3(b[5], 32, j->max_ns));
	rpt_put_wrapped(f, 2, line);
	snprintf(line, sizeof(line), "late         %s (%s ms over budget in all)",
		 rpt_fmt_count(b[0], 32, j->late), ms3(b[1], 32, j->over_ns));
	rpt_put_wrapped(f, 2, line);
	if (!stalls_visible(m)) {
		rpt_put_wrapped(f, 2, "stalls       unknown: the trace has no page-allocator events "
				"(mm_page_alloc, reclaim, compaction, alloc functions)");
	} else {
		snprintf(line, sizeof(line), "with stalls  %s of the late frames (%s ms of stalls); %s "
			 "frames in all, late or not", rpt_fmt_count(b[0], 32, j->late_stalled),
			 ms3(b[1], 32, j->late_stall_ns), rpt_fmt_count(b[2], 32, j->stalled));
		rpt_put_wrapped(f, 2, line);
		snprintf(line, sizeof(line), "explained    %s late frame%s: stalls >= overrun",
			 rpt_fmt_count(b[0], 32, j->explained), j->explained == 1 ? "" : "s");
		rpt_put_wrapped(f, 2, line);
		if (j->late_lost) {
			snprintf(line, sizeof(line), "             %s late frame%s ran across lost events: "
				 "their stalls may be missing", rpt_fmt_count(b[0], 32, j->late_lost),
				 j->late_lost == 1 ? "" : "s");
			rpt_put_wrapped(f, 2, line);
		}
	}
	if (j->tl.frames) {
		const struct anl_jank_timeline *t = &j->tl;

		snprintf(line, sizeof(line), "timeline     %s frame%s (actual surface frames), %s with "
			 "self jank; longest %s ms", rpt_fmt_count(b[0], 32, t->frames),
			 t->frames == 1 ? "" : "s", rpt_fmt_count(b[1], 32, t->self_jank),
			 ms3(b[2], 32, t->max_ns));
		rpt_put_wrapped(f, 2, line);
		snprintf(line, sizeof(line), "  late       %s (%s longer than the budget; %s ms over it "
			 "in all)", rpt_fmt_count(b[0], 32, t->late), rpt_fmt_count(b[1], 32, t->late_budget),
			 ms3(b[2], 32, t->over_ns));
		rpt_put_wrapped(f, 2, line);
		if (stalls_visible(m)) {
			snprintf(line, sizeof(line), "  stalls     %s of the late frames (%s ms of stalls); "
				 "%s frames in all; %s explained", rpt_fmt_count(b[0], 32, t->late_stalled),
				 ms3(b[1], 32, t->late_stall_ns), rpt_fmt_count(b[2], 32, t->stalled),
				 rpt_fmt_count(b[3], 32, t->explained));
			rpt_put_wrapped(f, 2, line);
		}
		if (t->late_lost || t->history_short) {
			snprintf(line, sizeof(line), "             %s late frame%s ran across lost events or "
				 "stalls no longer kept (%s frames): their stalls may be missing",
				 rpt_fmt_count(b[0], 32, t->late_lost), t->late_lost == 1 ? "" : "s",
				 rpt_fmt_count(b[1], 32, t->history_short));
			rpt_put_wrapped(f, 2, line);
		}
	}
	if (in->pstats && in->pstats->frames_unpaired) {
		snprintf(line, sizeof(line), "not counted  %s frame timeline start%s or end%s without "
			 "the other in the trace", rpt_fmt_count(b[0], 32, in->pstats->frames_unpaired),
			 in->pstats->frames_unpaired == 1 ? "" : "s",
			 in->pstats->frames_unpaired == 1 ? "" : "s");
		rpt_put_wrapped(f, 2, line);
	}
	if (j->open_at_end || j->evicted || j->unmatched_end || j->bad_markers) {
		snprintf(line, sizeof(line), "not counted  %s frame%s open at the trace's end, %s given up "
			 "(more than 4 open in one process), %s slice end%s without a begin (the trace "
			 "began inside), %s unreadable begin marker%s",
			 rpt_fmt_count(b[0], 32, j->open_at_end), j->open_at_end == 1 ? "" : "s",
			 rpt_fmt_count(b[1], 32, j->evicted), rpt_fmt_count(b[2], 32, j->unmatched_end),
			 j->unmatched_end == 1 ? "" : "s", rpt_fmt_count(b[3], 32, j->bad_markers),
			 j->bad_markers == 1 ? "" : "s");
		rpt_put_wrapped(f, 2, line);
	}
}

static void table_head(FILE *f, const struct rpt_input *in)
{
	fprintf(f, "\n  %s%3s %13s %11s %9s %9s %9s %5s  %-22s %s%s\n", rpt_sgr(in, RPT_SGR_BOLD),
		"#", "TIME (trace)", "+WINDOW", "FRAME ms", "OVER ms", "STALL ms", "SHARE", "PROCESS",
		"STALLS", rpt_sgr(in, RPT_SGR_RESET));
}

static void frame_row(FILE *f, const struct rpt_input *in, unsigned int i,
		      const struct anl_jank_frame *fr)
{
	const struct anl_model *m = in->model;
	uint64_t base = m->scope.begin_ts, d = frame_ns(fr);
	char b[5][32], proc[40];
	uint64_t rel = fr->start_ts >= base ? fr->start_ts - base : base - fr->start_ts;

	snprintf(proc, sizeof(proc), "%s %d", proc_name(fr), (int)fr->tgid);
	snprintf(b[0], 32, "%c%" PRIu64 ".%06" PRIu64 "s", fr->start_ts >= base ? '+' : '-',
		 rel / 1000000000u, rel % 1000000000u / 1000u);
	if (stalls_visible(m))
		snprintf(b[4], 32, "%.0f%%", d ? 100.0 * (double)fr->stall_ns / (double)d : 0.0);
	else
		snprintf(b[4], 32, "-");
	fprintf(f, "  %3u %6" PRIu64 ".%06" PRIu64 " %11s %9s %9s %9s %5s  %-22.22s %s%s%s\n", i,
		fr->start_ts / 1000000000u, fr->start_ts % 1000000000u / 1000u, b[0],
		ms3(b[1], 32, d), ms3(b[2], 32, over_ns(m->jank, fr)),
		stalls_visible(m) ? ms3(b[3], 32, fr->stall_ns) : "-", b[4], proc, verdict(m, fr),
		fr->stall_upper ? " (stall time an upper bound)" : "",
		fr->source == ANL_FRAME_TIMELINE ? " [frame timeline]" : "");
}

static const char *kind_word(const struct anl_jank_stall *s)
{
	return s->kind == ANL_JSTALL_RECLAIM ? "direct reclaim" :
	       s->kind == ANL_JSTALL_COMPACTION ? "direct compaction" :
	       s->failed ? "failed allocation" : "slow path";
}

/* The frame's threads and the stalls in it, under its row. */
static void frame_detail(FILE *f, const struct anl_model *m, const struct anl_jank_frame *fr)
{
	bool vis = stalls_visible(m);
	char b[4][32], line[512];

	if (fr->source == ANL_FRAME_TIMELINE) {
		char jn[400];
		size_t o = (size_t)snprintf(line, sizeof(line), "frame timeline: %s %d", proc_name(fr),
					    (int)fr->tgid);

		if (fr->layer[0] && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", layer %s", fr->layer);
		if (fr->vsync >= 0 && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", vsync %" PRId64, fr->vsync);
		if (o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", jank %s, %s",
					      jank_name(jn, sizeof(jn), fr->jank_type),
					      present_name(fr->present_type));
		if (vis && o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, "; stalls of its threads %s ms",
				 ms3(b[0], 32, fr->stall_ns));
		rpt_put_wrapped(f, 8, line);
	} else if (fr->ui_tid >= 0) {
		size_t o = (size_t)snprintf(line, sizeof(line), "UI thread %s %d: doFrame %s ms",
					    fr->ui_comm[0] ? fr->ui_comm : "?", (int)fr->ui_tid,
					    ms3(b[0], 32, fr->ui_end - fr->ui_start));

		if (fr->vsync >= 0 && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", vsync %" PRId64, fr->vsync);
		if (vis && o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, ", stalls %s ms", ms3(b[1], 32, fr->ui_stall_ns));
		rpt_put_wrapped(f, 8, line);
	} else {
		rpt_put_wrapped(f, 8, "UI thread: none (a DrawFrame without a doFrame)");
	}
	if (fr->source == ANL_FRAME_TIMELINE) {
		/* no threads: the timeline names the process only */
	} else if (fr->rt_tid >= 0) {
		size_t o = (size_t)snprintf(line, sizeof(line), "RenderThread %s %d: %u DrawFrame%s "
					    "from +%s to +%s ms", fr->rt_comm[0] ? fr->rt_comm : "?",
					    (int)fr->rt_tid, fr->draws, fr->draws == 1 ? "" : "s",
					    ms3(b[0], 32, fr->rt_start - fr->start_ts),
					    ms3(b[1], 32, fr->rt_end - fr->start_ts));

		if (vis && o < sizeof(line))
			snprintf(line + o, sizeof(line) - o, ", stalls %s ms", ms3(b[2], 32, fr->rt_stall_ns));
		rpt_put_wrapped(f, 8, line);
	} else {
		rpt_put_wrapped(f, 8, "RenderThread: none (no DrawFrame began inside the doFrame)");
	}
	for (uint32_t i = 0; i < fr->nr_listed; i++) {
		const struct anl_jank_stall *s = &fr->stall[i];
		size_t o;

		o = (size_t)snprintf(line, sizeof(line), "stall %s %d at +%s ms: %s ms in the frame",
				     fr->source == ANL_FRAME_TIMELINE ? "tid" : s->render_thread ?
				     "RenderThread" : "UI", (int)s->pid,
				     ms3(b[0], 32, (s->start_ts > fr->start_ts ? s->start_ts : fr->start_ts) -
					 fr->start_ts), ms3(b[1], 32, s->overlap_ns));
		if (s->end_ts - s->start_ts != s->overlap_ns && o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, " (of %s)",
					      ms3(b[2], 32, s->end_ts - s->start_ts));
		if (o < sizeof(line))
			o += (size_t)snprintf(line + o, sizeof(line) - o, ", %s", kind_word(s));
		if (s->kind == ANL_JSTALL_SLOW_PATH && o < sizeof(line)) {
			o += (size_t)snprintf(line + o, sizeof(line) - o, " #%" PRIu64, s->alloc_id);
			if (s->order >= 0 && o < sizeof(line))
				o += (size_t)snprintf(line + o, sizeof(line) - o, " order %d", s->order);
			if (s->reclaims && o < sizeof(line))
				o += (size_t)snprintf(line + o, sizeof(line) - o, ", direct_reclaim %ux %s ms",
						      s->reclaims, ms3(b[2], 32, s->reclaim_ns));
			if (s->compact_ns && o < sizeof(line))
				o += (size_t)snprintf(line + o, sizeof(line) - o, ", compaction %s ms",
						      ms3(b[2], 32, s->compact_ns));
			if (s->oom_ns && o < sizeof(line))
				snprintf(line + o, sizeof(line) - o, ", oom %s ms", ms3(b[2], 32, s->oom_ns));
		}
		rpt_put_wrapped(f, 8, line);
	}
	if (fr->nr_stalls > fr->nr_listed) {
		snprintf(line, sizeof(line), "%u more stall%s: %s ms in the frame",
			 fr->nr_stalls - fr->nr_listed, fr->nr_stalls - fr->nr_listed == 1 ? "" : "s",
			 ms3(b[0], 32, fr->unlisted_ns));
		rpt_put_wrapped(f, 8, line);
	}
}

/* The @n most late of the frames listed (in time order), most late first; ties: the earlier. */
static size_t rows_by_lateness(const struct anl_jank *j, const struct anl_jank_frame **rows,
			       size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < j->nr_list; i++) {
		const struct anl_jank_frame *c = &j->list[i];
		size_t p = k;

		while (p > 0 && frame_ns(rows[p - 1]) < frame_ns(c))
			p--;
		if (p >= n)
			continue;
		for (size_t q = k < n ? k : n - 1; q > p; q--)
			rows[q] = rows[q - 1];
		rows[p] = c;
		if (k < n)
			k++;
	}
	return k;
}

void rpt_jank_section(FILE *f, const struct rpt_input *in)
{
	const struct anl_jank *j = in->model->jank;
	const struct anl_jank_frame *rows[JANK_ANALYZE_ROWS];
	size_t n;

	if (!j || (!j->frames && !j->open_at_end && !j->evicted && !j->tl.frames))
		return;
	heading(f, in, j->tl.frames ? "Frames (atrace slices and the frame timeline: docs/jank.md; "
		"allocscope stalls --frames lists them)" : "Frames (atrace slices: docs/jank.md; "
		"allocscope stalls --frames lists them)");
	definitions(f, j);
	counts(f, in);
	n = rows_by_lateness(j, rows, JANK_ANALYZE_ROWS);
	if (!n)
		return;
	table_head(f, in);
	for (size_t i = 0; i < n; i++)
		frame_row(f, in, (unsigned int)(i + 1), rows[i]);
	if (j->late + j->tl.late > n) {
		char b[32], line[160];

		snprintf(line, sizeof(line), "the %zu most late of %s", n,
			 rpt_fmt_count(b, 32, j->late + j->tl.late));
		rpt_put_wrapped(f, 2, line);
	}
}

int rpt_frames_text(const struct rpt_input *in, FILE *f)
{
	const struct anl_model *m = in->model;
	const struct anl_jank *j = m->jank;
	const char *bold = rpt_sgr(in, RPT_SGR_BOLD), *off = rpt_sgr(in, RPT_SGR_RESET);
	char b[3][32], line[512];

	fprintf(f, "%sallocscope stalls --frames:%s %s%s%s%s\n", bold, off,
		in->trace_path ? in->trace_path : "-", in->format ? " (" : "",
		in->format ? in->format : "", in->format ? ")" : "");
	snprintf(line, sizeof(line), "mode         %s%s", !stalls_visible(m) ? "none" :
		 anl_mode_name(m->mode), !stalls_visible(m) ? " (the trace has no page-allocator events)" :
		 m->episodes ? ": stalls are the direct reclaim and compaction intervals (no "
		 "mm_page_alloc: allocations unknown)" :
		 m->mode == ANL_MODE_EVENTS ? ": stalls are the stalling slow paths, first stage event "
		 ".. mm_page_alloc" : ": stalls are the slow paths, entry .. return");
	rpt_put_wrapped(f, 2, line);
	for (int i = 0; m->untold[i]; i++) {
		snprintf(line, sizeof(line), "untold       %s", m->untold[i]);
		rpt_put_wrapped(f, 2, line);
	}
	snprintf(line, sizeof(line), "window       %" PRIu64 ".%06" PRIu64 " (%s): +WINDOW is relative "
		 "to its start", m->scope.begin_ts / 1000000000u, m->scope.begin_ts % 1000000000u / 1000u,
		 m->window_source);
	rpt_put_wrapped(f, 2, line);
	if (in->pstats && in->pstats->cut)
		fprintf(f, "  input        %sCUT SHORT at %s %s: only the frames before it are counted%s\n",
			rpt_sgr(in, RPT_SGR_RED), in->pstats->cut_line ? "line" : "offset",
			rpt_fmt_count(b[0], 32, in->pstats->cut_at), off);
	definitions(f, j);
	if (!j->frames && !j->open_at_end && !j->evicted && !j->tl.frames) {
		snprintf(line, sizeof(line), "frames       none: no Choreographer#doFrame or DrawFrame "
			 "slice in the trace's trace_marker (print) events (%s atrace slices)",
			 rpt_fmt_count(b[0], 32, j->slices));
		rpt_put_wrapped(f, 2, line);
		return ferror(f) ? -1 : 0;
	}
	counts(f, in);
	if (j->nr_list) {
		snprintf(line, sizeof(line), "listed       %s late frame%s in time order%s",
			 rpt_fmt_count(b[0], 32, j->nr_list), j->nr_list == 1 ? "" : "s",
			 j->not_listed ? " (the most late; --top lists more)" : "");
		rpt_put_wrapped(f, 2, line);
	}
	if (!j->nr_list)
		return ferror(f) ? -1 : 0;
	table_head(f, in);
	for (size_t i = 0; i < j->nr_list; i++) {
		frame_row(f, in, (unsigned int)(i + 1), &j->list[i]);
		frame_detail(f, m, &j->list[i]);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static void jthread(FILE *f, const char *name, int32_t tid, const char *comm, uint64_t start,
		    uint64_t end, uint64_t stall_ns, int slices)
{
	fprintf(f, "\"%s\": ", name);
	if (tid < 0) {
		fputs("null", f);
		return;
	}
	fprintf(f, "{\"tid\": %d, \"comm\": ", (int)tid);
	rpt_json_str(f, comm[0] ? comm : NULL);
	fprintf(f, ", \"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64 ", \"stall_ns\": %" PRIu64,
		start, end, stall_ns);
	if (slices >= 0)
		fprintf(f, ", \"slices\": %d", slices);
	fputc('}', f);
}

static void jframe(FILE *f, const struct anl_model *m, const struct anl_jank_frame *fr)
{
	static const char *const kinds[] = { "slow_path", "direct_reclaim", "compaction" };
	uint64_t d = frame_ns(fr);

	fprintf(f, "{\"start_ns\": %" PRIu64 ", \"end_ns\": %" PRIu64 ", \"dur_ns\": %" PRIu64
		", \"over_ns\": %" PRIu64 ", \"tgid\": %d, \"vsync\": ", fr->start_ts, fr->end_ts, d,
		over_ns(m->jank, fr), (int)fr->tgid);
	if (fr->vsync >= 0)
		fprintf(f, "%" PRId64, fr->vsync);
	else
		fputs("null", f);
	if (fr->source == ANL_FRAME_TIMELINE) {
		char jn[600];

		fputs(", \"source\": \"timeline\", \"comm\": ", f);
		rpt_json_str(f, fr->ui_comm[0] ? fr->ui_comm : NULL);
		fputs(", \"layer\": ", f);
		rpt_json_str(f, fr->layer[0] ? fr->layer : NULL);
		fprintf(f, ", \"jank_type\": %u, \"jank\": ", fr->jank_type);
		rpt_json_str(f, jank_name(jn, sizeof(jn), fr->jank_type));
		fputs(", \"present\": ", f);
		rpt_json_str(f, present_name(fr->present_type));
		fprintf(f, ", \"self_jank\": %s", fr->self_jank ? "true" : "false");
	}
	fputs(", ", f);
	jthread(f, "ui", fr->ui_tid, fr->ui_comm, fr->ui_start, fr->ui_end, fr->ui_stall_ns, -1);
	fputs(", ", f);
	jthread(f, "render", fr->rt_tid, fr->rt_comm, fr->rt_start, fr->rt_end, fr->rt_stall_ns,
		(int)fr->draws);
	fprintf(f, ", \"stall_ns\": ");
	if (stalls_visible(m))
		fprintf(f, "%" PRIu64 ", \"explained\": %s", fr->stall_ns,
			fr->explained ? "true" : "false");
	else
		fputs("null, \"explained\": null", f);
	fprintf(f, ", \"stall_upper_bound\": %s, \"lost\": %s, \"stalls_total\": %u"
		", \"unlisted_ns\": %" PRIu64 ", \"stalls\": [", fr->stall_upper ? "true" : "false",
		fr->lost ? "true" : "false", fr->nr_stalls, fr->unlisted_ns);
	for (uint32_t i = 0; i < fr->nr_listed; i++) {
		const struct anl_jank_stall *s = &fr->stall[i];

		fprintf(f, "%s{\"thread\": \"%s\", \"pid\": %d, \"kind\": \"%s\", \"start_ns\": %" PRIu64
			", \"end_ns\": %" PRIu64 ", \"overlap_ns\": %" PRIu64 ", \"alloc_id\": ",
			i ? ", " : "", fr->source == ANL_FRAME_TIMELINE ? "process" : s->render_thread ?
			"render" : "ui", (int)s->pid,
			kinds[s->kind < 3 ? s->kind : 0], s->start_ts, s->end_ts, s->overlap_ns);
		if (s->alloc_id)
			fprintf(f, "%" PRIu64, s->alloc_id);
		else
			fputs("null", f);
		fprintf(f, ", \"order\": ");
		if (s->order >= 0)
			fprintf(f, "%d", s->order);
		else
			fputs("null", f);
		fprintf(f, ", \"direct_reclaims\": %u, \"reclaim_ns\": %" PRIu64 ", \"compact_ns\": %"
			PRIu64 ", \"oom_ns\": %" PRIu64 ", \"failed\": %s}", s->reclaims, s->reclaim_ns,
			s->compact_ns, s->oom_ns, s->failed ? "true" : "false");
	}
	fputs("]}", f);
}

void rpt_jank_json(FILE *f, const struct rpt_input *in, const char *indent)
{
	const struct anl_model *m = in->model;
	const struct anl_jank *j = m->jank;

	fprintf(f, "{\"budget_ns\": %" PRIu64 ", \"slices\": %" PRIu64 ", \"frames\": %" PRIu64
		", \"ui_only\": %" PRIu64 ", \"render_only\": %" PRIu64 ", \"with_vsync\": %" PRIu64
		", \"processes\": %" PRIu64 ", \"max_ns\": %" PRIu64 ",\n%s  \"stalls_visible\": %s"
		", \"late\": %" PRIu64 ", \"over_ns\": %" PRIu64, j->budget_ns, j->slices, j->frames,
		j->ui_only, j->rt_only, j->with_vsync, j->processes, j->max_ns, indent,
		stalls_visible(m) ? "true" : "false", j->late, j->over_ns);
	if (stalls_visible(m))
		fprintf(f, ", \"stalled\": %" PRIu64 ", \"late_stalled\": %" PRIu64 ", \"explained\": %"
			PRIu64 ", \"late_stall_ns\": %" PRIu64, j->stalled, j->late_stalled, j->explained,
			j->late_stall_ns);
	else
		fputs(", \"stalled\": null, \"late_stalled\": null, \"explained\": null"
		      ", \"late_stall_ns\": null", f);
	fprintf(f, ", \"late_lost\": %" PRIu64 ",\n%s  \"open_at_end\": %" PRIu64 ", \"evicted\": %"
		PRIu64 ", \"unmatched_end\": %" PRIu64 ", \"bad_markers\": %" PRIu64
		", \"not_listed\": %" PRIu64 ",", j->late_lost, indent, j->open_at_end,
		j->evicted, j->unmatched_end, j->bad_markers, j->not_listed);
	if (j->tl.frames || (in->pstats && in->pstats->frames_unpaired)) {
		const struct anl_jank_timeline *t = &j->tl;

		fprintf(f, "\n%s  \"timeline\": {\"frames\": %" PRIu64 ", \"self_jank\": %" PRIu64
			", \"late\": %" PRIu64 ", \"late_budget\": %" PRIu64 ", \"max_ns\": %" PRIu64
			", \"over_ns\": %" PRIu64, indent, t->frames, t->self_jank, t->late, t->late_budget,
			t->max_ns, t->over_ns);
		if (stalls_visible(m))
			fprintf(f, ", \"stalled\": %" PRIu64 ", \"late_stalled\": %" PRIu64 ", \"explained\": %"
				PRIu64 ", \"late_stall_ns\": %" PRIu64, t->stalled, t->late_stalled,
				t->explained, t->late_stall_ns);
		else
			fputs(", \"stalled\": null, \"late_stalled\": null, \"explained\": null"
			      ", \"late_stall_ns\": null", f);
		fprintf(f, ", \"late_lost\": %" PRIu64 ", \"history_short\": %" PRIu64
			", \"unpaired\": %" PRIu64 "},", t->late_lost, t->history_short,
			in->pstats ? in->pstats->frames_unpaired : 0);
	}
	fputs(" \"late_frames\": [", f);
	for (size_t i = 0; i < j->nr_list; i++) {
		fprintf(f, "%s\n%s  ", i ? "," : "", indent);
		jframe(f, m, &j->list[i]);
	}
	fprintf(f, "%s%s]}", j->nr_list ? "\n" : "", j->nr_list ? indent : "");
}

int rpt_frames_json(const struct rpt_input *in, FILE *f)
{
	const struct anl_model *m = in->model;

	rpt_json_doc_head(f, in);
	fprintf(f, ", \"episodes\": %s, \"untold\": ", m->episodes ? "true" : "false");
	rpt_json_untold(f, m);
	fprintf(f, ",\n  \"window_begin_ns\": %" PRIu64 ",\n  \"frames\": ", m->scope.begin_ts);
	rpt_jank_json(f, in, "  ");
	fputs("\n}\n", f);
	return ferror(f) ? -1 : 0;
}
