// SPDX-License-Identifier: GPL-2.0-only
/*
 * The capture's trace_marker lines: the window markers with the in-trace snapshots.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

/* ---- markers: window and in-trace snapshots ----------------------------- */

static bool text_is(const char *s, size_t len, const char *word)
{
	size_t wl = strlen(word);

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\n'))
		len--;
	return len == wl && !memcmp(s, word, wl);
}

static const char win_vmcap[] = "VMCAP_WINDOW markers";
static const char win_begin[] = "allocscope markers";
static const char win_window[] = "allocscope window-begin/end markers";

/* A window whose end marker never came (a trace cut short, a capture killed) */
const char *anl_window_unclosed(const char *source)
{
	if (source == win_vmcap)
		return "VMCAP_WINDOW_BEGIN marker, no end marker: to end of trace";
	if (source == win_begin)
		return "allocscope begin marker, no end marker: to end of trace";
	return "allocscope window-begin marker, no end marker: to end of trace";
}

static void window_end(struct anl_ctx *a, uint64_t ts, const char *source)
{
	if (a->win_state == 1 && a->win_source == source)
		anl_window_close(a, ts);
}

/* "before" 1, "after" 2, else 0: the phase word of the snapshot markers */
static int snap_phase_of(const char *w)
{
	size_t n = strcspn(w, " ");

	if (n == 6 && !memcmp(w, "before", 6))
		return 1;
	if (n == 5 && !memcmp(w, "after", 5))
		return 2;
	return 0;
}

/*
 * The first window marker of a trace opens the window, and only the end
 * marker of its own kind closes it (a trace may carry two kinds, e.g. the
 * capture's window-begin/-end inside snapshot markers rewritten to begin/end).
 */
static void window_open(struct anl_ctx *a, uint64_t ts, const char *source)
{
	if (a->win_state != 0 || a->opts.no_window)
		return;
	a->win_state = 1;
	a->win_begin = ts;
	a->win_source = source;
	a->raw_at_begin = a->raw[ALL];
	/* kswapd already running is clipped to the window in anl_busy_add() */
}

/*
 * /proc/PID/stat as one line: "42 (kswapd0) S 2 0 ..."; utime and stime are
 * fields 14 and 15, counted after the last ')' since comm may hold spaces
 * and parentheses.
 */
static bool stat_ticks(const char *line, unsigned long long *ticks)
{
	const char *p = strrchr(line, ')');
	unsigned long long ut, st;

	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return false;
	*ticks = ut + st;
	return true;
}

/*
 * The first kswapd line of a snapshot: when it was read.  Our recorders
 * write the after-snapshot's lines after "end", so its read is the
 * snapshot-after marker's time (kswapd is read first); every other line
 * follows its read at once.
 */
static void kswapd_read(struct anl_ctx *a, int phase, uint64_t ts)
{
	if (a->kswapd_read_known[phase - 1])
		return;
	a->kswapd_read_known[phase - 1] = true;
	if (a->kread_seen[phase - 1]) {		/* the recorder said when */
		a->kswapd_read_ts[phase - 1] = a->kread_ts[phase - 1];
		a->kswapd_read_run[phase - 1] = a->kread_run[phase - 1];
	} else if (phase == 2 && a->read_seen[1] && a->win_source == win_begin && a->win_state == 2) {
		a->kswapd_read_ts[1] = a->read_ts[1];
		a->kswapd_read_run[1] = a->run_at_read[1];
	} else {
		a->kswapd_read_ts[phase - 1] = ts;
		a->kswapd_read_run[phase - 1] = anl_kswapd_run_at(a, ts);
	}
}

static void kswapd_snap(struct anl_ctx *a, int phase, unsigned long long ticks)
{
	a->kswapd_ticks[phase - 1] += ticks;
	a->kswapd_ticks_known[phase - 1] = true;
}

/*
 * Two marker dialects (docs/capture-format.md):
 *  - window markers with the snapshots read outside them: VMCAP_WINDOW_BEGIN/END
 *    (snapshots in files), and "allocscope: window-begin/-end" with in-band
 *    snapshot blocks "allocscope: vmstat-begin PHASE" .. "vmstat-end PHASE"
 *    and "allocscope: kswapd-stat PHASE <stat line>" (tests/e2e/guest-init.sh);
 *  - "allocscope: begin/end" (our recorders): the snapshot lines that follow
 *    each marker are the before and after snapshots, read inside the window.
 */
/* The window markers; snap_phase: the snapshot lines after them are the before (1) or after (2) one. */
struct window_marker {
	const char	*text;
	const char	*source;
	bool		open;
	int		snap_phase;
};

static const struct window_marker window_markers[] = {
	{ "VMCAP_WINDOW_BEGIN",		win_vmcap,	true,	0 },
	{ "allocscope: begin",		win_begin,	true,	1 },
	{ "allocscope: window-begin",	win_window,	true,	0 },
	{ "VMCAP_WINDOW_END",		win_vmcap,	false,	0 },
	{ "allocscope: end",		win_begin,	false,	2 },
	{ "allocscope: window-end",	win_window,	false,	0 },
};

/* Written just before the snapshot of that phase is read (docs/capture-format.md). */
static const char *const snapshot_read[2] = {
	"allocscope: snapshot-before", "allocscope: snapshot-after",
};

void anl_print_event(struct anl_ctx *a, const struct prs_event *ev)
{
	const char *s = ev->u.print.text;
	size_t len = ev->u.print.len;
	static const char pfx[] = "allocscope: ";
	uint64_t prev_ts = a->prev_mark_ts, prev_run = a->prev_mark_run;

	if (!s)
		return;
	a->prev_mark_ts = ev->ts;
	a->prev_mark_run = anl_kswapd_run_at(a, ev->ts);
	while (len && *s == ' ') {
		s++;
		len--;
	}
	for (size_t i = 0; i < sizeof(window_markers) / sizeof(window_markers[0]); i++) {
		const struct window_marker *m = &window_markers[i];

		if (!text_is(s, len, m->text))
			continue;
		if (m->open)
			window_open(a, ev->ts, m->source);
		else
			window_end(a, ev->ts, m->source);
		if (m->snap_phase)
			a->snap_phase = m->snap_phase;
		if (m->snap_phase == 1)
			a->snap_inside = true;
		return;
	}
	for (int phase = 1; phase <= 2; phase++) {
		if (!text_is(s, len, snapshot_read[phase - 1]))
			continue;
		a->read_seen[phase - 1] = true;
		a->read_ts[phase - 1] = ev->ts;
		a->run_at_read[phase - 1] = anl_kswapd_run_at(a, ev->ts);
		a->raw_at_read[phase - 1] = a->raw[ALL];
		return;
	}
	if (len <= sizeof(pfx) - 1 || memcmp(s, pfx, sizeof(pfx) - 1))
		return;
	s += sizeof(pfx) - 1;
	len -= sizeof(pfx) - 1;
	{
		static const char memcg_opt[] = "option event=vmscan:mm_vmscan_memcg_reclaim_begin";
		char buf[512];
		char name[128];
		unsigned long long v1 = 0, v2 = 0, v3 = 0;
		const char *p;
		int pid, phase;

		if (len >= sizeof(buf))
			return;
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (!strncmp(buf, "vmstat ", 7) && a->snap_phase && !a->vm_from_files &&
		    sscanf(buf + 7, "%127s %llu", name, &v1) == 2) {
			anl_vmstat_line(&a->vm[a->snap_phase - 1], name, strlen(name), v1);
			/*
			 * /proc/vmstat is read in chunks as its lines are written, and
			 * every read() takes all counters anew (vmstat_start(), 6.1,
			 * 6.12): the last line bounds the read
			 */
			if (a->snap_phase == 1 && a->win_state == 1 && a->win_source == win_begin) {
				a->before_vm_seen = true;
				a->raw_at_before_vm = a->raw[ALL];
			}
		} else if (!strncmp(buf, "vmstat-begin ", 13) && (phase = snap_phase_of(buf + 13))) {
			/*
			 * The block holds values read before it was written: the
			 * kernel's after-read is no later than this line.
			 */
			a->snap_phase = phase;
			if (!a->vm_from_files)
				memset(&a->vm[phase - 1], 0, sizeof(a->vm[0]));
			a->snap_seen[phase - 1] = true;
			a->snap_ts[phase - 1] = ev->ts;
			a->raw_at_snap[phase - 1] = a->raw[ALL];
		} else if (!strncmp(buf, "vmstat-end ", 11)) {
			a->snap_phase = 0;
		} else if (!strncmp(buf, "kswapd-stat ", 12) && (phase = snap_phase_of(buf + 12)) &&
			   stat_ticks(buf + 12, &v1)) {
			kswapd_read(a, phase, ev->ts);
			kswapd_snap(a, phase, v1);
		} else if (!strncmp(buf, "funcs ", 6)) {
			/* the recorder's function filter: a traced function that never ran is still seen */
			if (strstr(buf, " wake_all_kswapds"))
				a->wake_fn_listed = true;
			if (strstr(buf, " out_of_memory") || strstr(buf, " __alloc_pages_may_oom"))
				a->oom_fn_listed = true;
		} else if ((!strncmp(buf, "kernel ", 7) || !strncmp(buf, "uname ", 6)) && !a->kernel) {
			a->kernel = strdup(buf + (buf[0] == 'k' ? 7 : 6));
		} else if (!strncmp(buf, "cpustat ", 8) &&
			   sscanf(buf + 8, "%d overrun=%llu dropped=%llu", &pid, &v2, &v3) == 3) {
			/* per CPU, once, at the end of recording */
			a->an.ring_known = true;
			a->an.ring_overrun += v2;
			a->an.ring_dropped += v3;
		} else if (!strncmp(buf, "kprobe ", 7) && (p = strstr(buf, " missed=")) &&
			   sscanf(p + 8, "%llu", &v3) == 1) {
			/* kprobe_profile at the end (cap_snapshot_end): missed kretprobe returns */
			a->an.kprobe_profile_known = true;
			if (!strncmp(buf + 7, "freelist ", 9))
				a->an.fl_missed += v3;	/* the freelist probe's: the freelist mode's */
			else
				a->an.kretprobe_missed += v3;
		} else if (!strncmp(buf, memcg_opt, sizeof(memcg_opt) - 1) &&
			   (!buf[sizeof(memcg_opt) - 1] || buf[sizeof(memcg_opt) - 1] == ',')) {
			/* recorded, or ",missing": no CONFIG_MEMCG, no memcg reclaim */
			a->memcg_known = true;
		} else if (!strcmp(buf, "option event=compaction:mm_compaction_try_to_compact_pages")) {
			/*
			 * recorded (not ",missing"): a compaction run outside one
			 * of its try events is never direct, even where none fired
			 * (kcompactd's runs in a window without direct compaction)
			 */
			a->seen_try_compact_tp = true;
		} else if (!strncmp(buf, "option clock=", 13) && buf[13] && !a->clock) {
			a->clock = strdup(buf + 13);	/* the recorder's; a file's own wins */
		} else if (!strncmp(buf, "option freelist_probe=", 22) && buf[22] && buf[22] != '-' &&
			   !a->fl_probe) {
			a->fl_probe = strdup(buf + 22);	/* "kretprobe, alloc_flags by BTF name" */
		} else if (!strncmp(buf, "option bulk_probe=", 18) && strcmp(buf + 18, "-")) {
			a->bulk_probed = true;
		} else if (!strncmp(buf, "recorder-pid ", 13) && sscanf(buf + 13, "%d", &pid) == 1 &&
			   pid > 0) {
			struct anl_task *t = anl_task_get(a, pid);

			a->seen_recorder_marker = true;
			if (t)
				t->recorder_pid = true;
		} else if (!strncmp(buf, "page_size ", 10) && sscanf(buf + 10, "%llu", &v1) == 1 &&
			   v1 >= 1024 && !(v1 & (v1 - 1))) {
			a->page_size_marker = v1;	/* sysconf(_SC_PAGESIZE) on the target */
		} else if (!strncmp(buf, "clk_tck ", 8) && sscanf(buf + 8, "%llu", &v1) == 1) {
			a->clk_tck = v1;
		} else if (!strncmp(buf, "kswapd ", 7) && a->snap_phase &&
			   sscanf(buf + 7, "%d %127s %llu %llu", &pid, name, &v2, &v3) == 4) {
			if (a->snap_phase == 1 && !a->kread_lo_known && prev_ts) {
				/* read after the marker before this line */
				a->kread_lo_known = true;
				a->kread_lo_run = prev_run;
			}
			kswapd_read(a, a->snap_phase, ev->ts);
			kswapd_snap(a, a->snap_phase, v2 + v3);
		} else if (!strcmp(buf, "kswapd-read")) {
			/* right after kswapd's snapshot was read: the before- or the after-snapshot's */
			phase = a->read_seen[1] || a->snap_phase == 2 ? 2 : 1;
			if (!a->kread_seen[phase - 1]) {
				a->kread_seen[phase - 1] = true;
				a->kread_ts[phase - 1] = ev->ts;
				a->kread_run[phase - 1] = anl_kswapd_run_at(a, ev->ts);
			}
		} else if (!strncmp(buf, "kswapd-sched ", 13) && a->snap_phase &&
			   sscanf(buf + 13, "%d %127s %llu", &pid, name, &v2) == 3) {
			a->kswapd_sched_ns[a->snap_phase - 1] += v2;
			a->kswapd_sched_known[a->snap_phase - 1] = true;
		}
	}
}

/*
 * The snapshots were read inside allocscope: begin/end, and both reads are
 * bounded by lines: the before-snapshot's by begin and its last vmstat line,
 * the after-snapshot's by snapshot-after and end.  Captures without
 * snapshot-after (recorders before it) keep the unbounded reading.
 */
bool anl_edges_inside(const struct anl_ctx *a)
{
	return a->win_state == 2 && a->win_source == win_begin && a->snap_inside &&
	       !a->vm_from_files && a->before_vm_seen && a->read_seen[1] &&
	       a->read_ts[1] >= a->win_begin && a->read_ts[1] <= a->win_end;
}
