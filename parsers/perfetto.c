// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Perfetto trace reader: Trace.packet by packet into normalized events.
 *
 * A trace is a stream of `Trace.packet` fields (field 1, length-delimited
 * TracePacket).  Read one packet at a time (bounded by PF_MAX_PACKET), it
 * yields: ftrace_events (FtraceEventBundle: typed events, GenericFtraceEvent,
 * self-describing events with a field id >= 65536 and their descriptors,
 * compact_sched), compressed_packets / zstd_compressed_packets (packets
 * inside), process_tree (task names, tgids), ftrace_stats (per-CPU overrun),
 * sys_stats (vmstat snapshots), system_info (kernel release, CPUs),
 * interned_data.kernel_symbols (function_graph's func ids).  An event's
 * payload is decoded by perfetto-events.c; events go through the per-CPU
 * time merge (perfetto-merge.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfetto-local.h"

/* TracePacket fields */
enum {
	TP_FTRACE_EVENTS = 1, TP_PROCESS_TREE = 2, TP_TIMESTAMP = 8, TP_SEQ_ID = 10,
	TP_SYS_STATS = 7, TP_INTERNED = 12, TP_SEQ_FLAGS = 13, TP_FTRACE_STATS = 34, TP_STATE_CLEARED = 41,
	TP_DROPPED = 42, TP_SYSTEM_INFO = 45, TP_COMPRESSED = 50, TP_FRAME_TIMELINE = 76, TP_ZSTD = 133,
};

/* FrameTimelineEvent's oneof (frameworks/native's tracing protos) */
enum {
	FT_EXPECTED_DISPLAY = 1, FT_ACTUAL_DISPLAY = 2, FT_EXPECTED_SURFACE = 3, FT_ACTUAL_SURFACE = 4,
	FT_FRAME_END = 5,
};
#define SEQ_INCREMENTAL_STATE_CLEARED	1



/* ---- errors: one line naming the offset of the damage -------------------- */

uint64_t pf_where(const struct pf *pf, const uint8_t *p)
{
	const struct pf_blob *b = pf->blob;

	if (!b || !p || p < b->data || p > b->data + b->len)
		return pf->pkt_off;
	if (b->inflated)
		return b->inflated_at;
	return b->off + (uint64_t)(p - b->data);
}

int pf_damaged(struct prs_reader *r, struct pf *pf, const uint8_t *at, const char *what,
		      const char *why)
{
	const struct pf_blob *b = pf->blob;

	if (b && b->inflated)
		return prs_fail(r, PRS_ECORRUPT, false, pf_where(pf, at), "%s: %s (at byte %llu of "
				"the decompressed packets)%s", what, why,
				(unsigned long long)(at - b->data), pf->where_note);
	return prs_fail(r, PRS_ECORRUPT, false, pf_where(pf, at), "%s: %s%s", what, why,
			pf->where_note);
}

/* ---- blobs ---------------------------------------------------------------- */

static struct pf_blob *blob_get(struct pf *pf, size_t len)
{
	struct pf_blob *b = pf->free_blobs;

	if (b && b->cap >= len) {
		pf->free_blobs = b->next;
	} else {
		b = calloc(1, sizeof(*b));
		if (!b)
			return NULL;
		b->cap = len > 65536 ? len : 65536;
		b->data = malloc(b->cap);
		if (!b->data) {
			free(b);
			return NULL;
		}
	}
	b->next = NULL;
	b->len = 0;
	b->refs = 0;
	b->inflated = false;
	return b;
}

static void blob_put(struct pf *pf, struct pf_blob *b)
{
	unsigned int n = 0;

	for (struct pf_blob *f = pf->free_blobs; f; f = f->next)
		n++;
	if (n >= 4 || b->cap > (4u << 20)) {
		free(b->data);
		free(b);
		return;
	}
	b->next = pf->free_blobs;
	pf->free_blobs = b;
}

/* ---- one FtraceEvent ------------------------------------------------------ */

/* An FtraceEvent's own fields: timestamp, pid, and its one payload. */
struct pf_evhdr {
	uint64_t	ts;
	uint32_t	pid;
	bool		have_pid;
	uint32_t	pay_id;		/* 0: no payload */
	struct pb	payload;
};

static int event_header(struct prs_reader *r, struct pf *pf, struct pb m, struct pf_evhdr *h)
{
	struct pb_field f;
	const char *why;
	int ret;

	h->ts = 0;
	h->have_pid = false;
	h->pay_id = 0;
	h->payload.p = h->payload.end = NULL;
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == FE_TIMESTAMP && f.wt == PB_VARINT) {
			h->ts = f.v;
		} else if (f.id == FE_PID && f.wt == PB_VARINT) {
			h->pid = (uint32_t)f.v;
			h->have_pid = true;
		} else if (f.wt == PB_LEN && f.id != FE_COMMON_FLAGS) {
			h->payload = f.sub;
			h->pay_id = f.id;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace event", why);
	return 0;
}

/* Decode the FtraceEvent of header @h into a queue record of @q; its kind and name from its payload's id. */
static int decode_event(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
			const struct pf_evhdr *h, uint32_t seq)
{
	struct pb payload = h->payload;
	uint32_t pay_id = h->pay_id;
	const char *why;
	struct pf_type gt;
	const struct pf_type *t;
	struct pf_rec *rec;
	struct prs_event *ev;
	int ret = 0;

	if (!pay_id)
		return 0;	/* an event with nothing in it: not an event */
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	ev = &rec->ev;
	ev->ts = h->ts;
	ev->cpu = cpu;
	ev->pid = h->have_pid ? (int32_t)h->pid : -1;
	ev->tgid = -1;
	ev->comm = NULL;
	if (h->have_pid)
		q->cur_pid = (int32_t)h->pid;

	if (pay_id == FE_GENERIC) {
		ret = pf_decode_generic(r, pf, payload, ev, &gt);
		t = &gt;
	} else if (pay_id == FE_KPROBE) {
		/* KprobeEvent{name, type}: Perfetto records no arguments and no return value */
		struct pb_field g;
		const uint8_t *name = NULL;
		size_t len = 0;
		uint64_t type = 0;
		char full[300];

		while ((ret = pb_next(&payload, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_LEN) {
				name = g.sub.p;
				len = strnlen((const char *)g.sub.p, (size_t)(g.sub.end - g.sub.p));
			} else if (g.id == 2 && g.wt == PB_VARINT) {
				type = g.v;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, payload.p, "kprobe event", why);
		if (len > 255)
			len = 255;
		/* the tracefs events Perfetto creates: perfetto_kprobes/NAME, perfetto_kretprobes/NAME */
		snprintf(full, sizeof(full), "%s/%.*s", type == 2 ? "perfetto_kretprobes" :
			 "perfetto_kprobes", (int)len, name ? (const char *)name : "");
		ret = pf_named_type(r, full, strlen(full), type == 2 ? PRS_EV_KRETPROBE : PRS_EV_KPROBE, &gt);
		if (ret < 0)
			return ret;
		t = &gt;
		prs_event_init(ev, t->kind);
		ev->u.fn.func = prs_intern(r, name ? (const char *)name : "", len);
		if (!ev->u.fn.func)
			return -PRS_ENOMEM;
	} else if (pay_id >= FE_GENERIC_MIN) {
		const struct pf_gdesc *d = pf_descriptor(pf, pay_id);
		char nm_buf[40];

		if (!d) {
			/* no descriptor came with it: counted under its id */
			snprintf(nm_buf, sizeof(nm_buf), "perfetto_ftrace_event_%u", pay_id);
			if ((ret = pf_named_type(r, nm_buf, strlen(nm_buf), PRS_EV_OTHER, &gt)) < 0)
				return ret;
			t = &gt;
			r->stats.bad_fields++;
			prs_event_init(ev, t->kind);
		} else {
			t = &d->t;
			prs_event_init(ev, t->kind);
			ret = pf_decode_described(r, pf, d, payload, ev);
		}
	} else {
		t = pf_typed_type(r, pf, pay_id);
		if (!t)
			return -PRS_ENOMEM;
		prs_event_init(ev, t->kind);
		if (pay_id == FE_TASK_NEWTASK || pay_id == FE_TASK_RENAME)
			ret = pf_task_names(r, pf, pay_id, payload);
		else if (t->kind != PRS_EV_OTHER)
			ret = pf_decode_typed(r, pf, pay_id, payload, ev, seq);
	}
	if (ret < 0)
		return ret;
	ev->name = t->name;
	prs_count_slot(r, t->slot);
	if (ev->kind == PRS_EV_PRINT && ev->u.print.len) {
		rec->blob = pf->blob;
		if (!pf->blob->refs++)
			pf->held_bytes += pf->blob->cap;
	}
	if (ev->kind == PRS_EV_SCHED_SWITCH) {
		if (ev->u.sw.prev_pid > 0 && ev->u.sw.prev_comm[0])
			pf_pid_name(r, pf, ev->u.sw.prev_pid, ev->u.sw.prev_comm, strlen(ev->u.sw.prev_comm),
				 NAME_SWITCH);
		if (ev->u.sw.next_pid > 0 && ev->u.sw.next_comm[0])
			pf_pid_name(r, pf, ev->u.sw.next_pid, ev->u.sw.next_comm, strlen(ev->u.sw.next_comm),
				 NAME_SWITCH);
		q->cur_pid = ev->u.sw.next_pid;
	}
	return 0;
}

/* ---- compact_sched --------------------------------------------------------- */

/* The next value of a packed array, or false at its end (damage: *bad). */
static bool packed_next(struct pb *a, uint64_t *v, bool *bad)
{
	if (a->p >= a->end)
		return false;
	if (pb_varint(a, v)) {
		*bad = true;
		return false;
	}
	return true;
}

/* Decode compact_sched into pf->csw (nsw) and pf->cwk (nwk); the intern table into pf->itab. */
static int compact_decode(struct prs_reader *r, struct pf *pf, struct pb m, size_t *nsw,
			  size_t *nwk, size_t *nitab)
{
	struct pb_field f;
	struct pb arr[13] = { { NULL, NULL } };
	const char *why;
	size_t n = 0, ni = 0;
	uint64_t ts = 0, v;
	bool bad = false;
	int ret;

	*nsw = *nwk = *nitab = 0;
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 5 && f.wt == PB_LEN) {
			if (ni == pf->itab_cap) {
				size_t cap = pf->itab_cap ? pf->itab_cap * 2 : 64;
				const char **t = realloc(pf->itab, cap * sizeof(*t));

				if (!t)
					return -PRS_ENOMEM;
				pf->itab = t;
				pf->itab_cap = cap;
			}
			pf->itab[ni] = prs_intern(r, (const char *)f.sub.p,
						  strnlen((const char *)f.sub.p, (size_t)(f.sub.end - f.sub.p)));
			if (!pf->itab[ni++])
				return -PRS_ENOMEM;
		} else if (f.id < 13 && f.wt == PB_LEN) {
			arr[f.id] = f.sub;
		} else if (f.id < 13 && f.wt == PB_VARINT) {
			return pf_damaged(r, pf, m.p, "compact_sched", "an array that is not packed");
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "compact_sched", why);
	*nitab = ni;
	/* switches: timestamp (delta), prev_state, next_pid, next_prio, next_comm_index */
	while (packed_next(&arr[1], &v, &bad)) {
		struct pf_csw *c;
		uint64_t st, pid, prio, ci;

		if (!packed_next(&arr[2], &st, &bad) || !packed_next(&arr[3], &pid, &bad) ||
		    !packed_next(&arr[4], &prio, &bad) || !packed_next(&arr[6], &ci, &bad))
			return pf_damaged(r, pf, m.p, "compact_sched", "sched_switch arrays of different "
					  "lengths");
		if (n == pf->csw_cap) {
			size_t cap = pf->csw_cap ? pf->csw_cap * 2 : 256;
			struct pf_csw *t = realloc(pf->csw, cap * sizeof(*t));

			if (!t)
				return -PRS_ENOMEM;
			pf->csw = t;
			pf->csw_cap = cap;
		}
		ts += v;
		c = &pf->csw[n++];
		c->ts = ts;
		c->prev_state = (int64_t)st;
		c->next_pid = (int32_t)pid;
		c->comm = (uint32_t)ci;
	}
	if (bad || arr[2].p != arr[2].end || arr[3].p != arr[3].end || arr[4].p != arr[4].end ||
	    arr[6].p != arr[6].end)
		return pf_damaged(r, pf, m.p, "compact_sched", bad ? "truncated varint in a packed array" :
				  "sched_switch arrays of different lengths");
	*nsw = n;
	n = 0;
	ts = 0;
	while (packed_next(&arr[7], &v, &bad)) {
		if (n == pf->cwk_cap) {
			size_t cap = pf->cwk_cap ? pf->cwk_cap * 2 : 256;
			uint64_t *t = realloc(pf->cwk, cap * sizeof(*t));

			if (!t)
				return -PRS_ENOMEM;
			pf->cwk = t;
			pf->cwk_cap = cap;
		}
		ts += v;
		pf->cwk[n++] = ts;
	}
	if (bad)
		return pf_damaged(r, pf, m.p, "compact_sched", "truncated varint in a packed array");
	*nwk = n;
	return 0;
}

static int push_compact_switch(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
			       const struct pf_csw *c, size_t nitab)
{
	const struct pf_type *t = pf_typed_type(r, pf, FE_SCHED_SWITCH);
	struct pf_rec *rec;
	struct prs_event *ev;
	const struct pf_pid *prev;

	if (!t)
		return -PRS_ENOMEM;
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	ev = &rec->ev;
	prs_event_init(ev, PRS_EV_SCHED_SWITCH);
	ev->ts = c->ts;
	ev->cpu = cpu;
	ev->name = t->name;
	ev->tgid = -1;
	ev->comm = NULL;
	/* compact sched drops prev_pid/prev_comm: the CPU's task before the switch */
	ev->pid = q->cur_pid;
	ev->u.sw.prev_pid = q->cur_pid;
	prev = q->cur_pid >= 0 ? pf_pid_slot(pf, q->cur_pid, false) : NULL;
	ev->u.sw.prev_comm = prev && prev->comm ? prev->comm : "";
	ev->u.sw.prev_state = pf_state_letter(c->prev_state);
	ev->u.sw.next_pid = c->next_pid;
	if (c->comm < nitab) {
		ev->u.sw.next_comm = pf->itab[c->comm];
		if (c->next_pid > 0)
			pf_pid_name(r, pf, c->next_pid, ev->u.sw.next_comm, strlen(ev->u.sw.next_comm),
				 NAME_SWITCH);
	} else {
		r->stats.bad_fields++;
	}
	q->cur_pid = c->next_pid;
	prs_count_slot(r, t->slot);
	return 0;
}

static int push_compact_waking(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
			       uint64_t ts)
{
	const struct pf_type *t = pf_typed_type(r, pf, FE_SCHED_WAKING);
	struct pf_rec *rec;

	if (!t)
		return -PRS_ENOMEM;
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	prs_event_init(&rec->ev, PRS_EV_OTHER);
	rec->ev.ts = ts;
	rec->ev.cpu = cpu;
	rec->ev.pid = q->cur_pid;
	rec->ev.tgid = -1;
	rec->ev.comm = NULL;
	rec->ev.name = t->name;
	prs_count_slot(r, t->slot);
	return 0;
}

/* ---- FtraceEventBundle ---------------------------------------------------- */

static int lost_marker(struct prs_reader *r, struct pf *pf, struct pf_cpuq *q, int32_t cpu,
		       uint64_t ts)
{
	struct pf_rec *rec;

	if (!pf->lost_name) {
		pf->lost_name = prs_intern_str(r, "lost_events");
		if (!pf->lost_name)
			return -PRS_ENOMEM;
	}
	rec = pf_merge_push(&pf->m, q);
	if (!rec)
		return -PRS_ENOMEM;
	rec->blob = NULL;
	prs_event_init(&rec->ev, PRS_EV_LOST);
	rec->ev.ts = ts;
	rec->ev.cpu = cpu;
	rec->ev.pid = -1;
	rec->ev.tgid = -1;
	rec->ev.comm = NULL;
	rec->ev.name = pf->lost_name;
	rec->ev.u.lost.count = 0;	/* the bundle says only that events were lost */
	return 0;
}

static int bundle(struct prs_reader *r, struct pf *pf, struct pb m, uint32_t seq, bool dropped)
{
	struct pb_field f;
	struct pb b = m, compact = { NULL, NULL };
	const char *why;
	int64_t cpu = -1;
	bool lost = false;
	uint64_t clock = 0, last = 0, ts;
	size_t nsw = 0, nwk = 0, nitab = 0, isw = 0, iwk = 0;
	struct pf_cpuq *q;
	int ret;

	/* first the bundle's own fields: descriptors and compact_sched follow the events */
	while ((ret = pb_next(&b, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT)
			cpu = (int64_t)f.v;
		else if (f.id == 3 && f.wt == PB_VARINT)
			lost = f.v != 0;
		else if (f.id == 4 && f.wt == PB_LEN)
			compact = f.sub;
		else if (f.id == 5 && f.wt == PB_VARINT)
			clock = f.v;
		else if (f.id == 11 && f.wt == PB_LEN && (ret = pf_add_descriptor(r, pf, f.sub)) < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, b.p, "ftrace event bundle", why);
	if (cpu < 0 || cpu >= PRS_MAX_CPUS)
		return pf_damaged(r, pf, m.p, "ftrace event bundle", cpu < 0 ? "no CPU" :
				  "CPU number beyond 8191");
	if (!r->clock) {
		static const char *const clocks[] = { "boot", "unknown", "global", "local", "mono_raw" };

		r->clock = strdup(clock < 5 ? clocks[clock] : "unknown");
	}
	q = pf_merge_q(&pf->m, (int32_t)cpu);
	if (!q)
		return -PRS_ENOMEM;
	if (compact.p && (ret = compact_decode(r, pf, compact, &nsw, &nwk, &nitab)) < 0)
		return ret;
	if (lost || dropped) {
		/* at the CPU's latest time: what was lost lies between it and this bundle */
		if ((ret = lost_marker(r, pf, q, (int32_t)cpu, q->horizon)) < 0)
			return ret;
	}
	b = m;
	while ((ret = pb_next(&b, &f, &why)) > 0) {
		struct pf_evhdr h;

		if (f.id != 2 || f.wt != PB_LEN)
			continue;
		if ((ret = event_header(r, pf, f.sub, &h)) < 0)
			return ret;
		/* compact events before this one go first: a bundle's lists are each in time order */
		while (isw < nsw && pf->csw[isw].ts <= h.ts)
			if ((ret = push_compact_switch(r, pf, q, (int32_t)cpu, &pf->csw[isw++], nitab)) < 0)
				return ret;
		while (iwk < nwk && pf->cwk[iwk] <= h.ts)
			if ((ret = push_compact_waking(r, pf, q, (int32_t)cpu, pf->cwk[iwk++])) < 0)
				return ret;
		if ((ret = decode_event(r, pf, q, (int32_t)cpu, &h, seq)) < 0)
			return ret;
		ts = h.pay_id ? h.ts : 0;
		if (ts > last)
			last = ts;
	}
	if (ret < 0)
		return pf_damaged(r, pf, b.p, "ftrace event bundle", why);
	while (isw < nsw || iwk < nwk) {
		if (iwk >= nwk || (isw < nsw && pf->csw[isw].ts <= pf->cwk[iwk]))
			ret = push_compact_switch(r, pf, q, (int32_t)cpu, &pf->csw[isw++], nitab);
		else
			ret = push_compact_waking(r, pf, q, (int32_t)cpu, pf->cwk[iwk++]);
		if (ret < 0)
			return ret;
	}
	if (nsw && pf->csw[nsw - 1].ts > last)
		last = pf->csw[nsw - 1].ts;
	if (nwk && pf->cwk[nwk - 1] > last)
		last = pf->cwk[nwk - 1];
	pf_merge_bundle_done(&pf->m, q, last);
	return 0;
}

/* ---- other packets ---------------------------------------------------------- */

static int process_tree(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;
		int32_t id = -1, tgid = -1;
		const uint8_t *name = NULL;
		size_t len = 0;
		bool first_cmd = true;

		if (f.wt != PB_LEN || (f.id != 1 && f.id != 2))
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_VARINT)
				id = (int32_t)g.v;
			else if (f.id == 2 && g.id == 3 && g.wt == PB_VARINT)
				tgid = (int32_t)g.v;
			else if (f.id == 2 && g.id == 2 && g.wt == PB_LEN)
				name = g.sub.p, len = (size_t)(g.sub.end - g.sub.p);
			else if (f.id == 1 && g.id == 3 && g.wt == PB_LEN && first_cmd) {
				/* a process's main thread: argv[0]'s last path part, at most 15 */
				const uint8_t *e = g.sub.end, *sl = g.sub.p;

				for (const uint8_t *c = g.sub.p; c < e && *c; c++)
					if (*c == '/')
						sl = c + 1;
				name = sl;
				len = strnlen((const char *)sl, (size_t)(e - sl));
				if (len > 15)
					len = 15;
				first_cmd = false;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "process tree", why);
		if (id <= 0)
			continue;
		if (f.id == 1)
			tgid = id;
		if (name && (f.id == 2 || !pf_pid_slot(pf, id, false) ||
			     pf_pid_slot(pf, id, false)->prio < NAME_TASK))
			pf_pid_name(r, pf, id, (const char *)name, len, NAME_TASK);
		if (tgid > 0)
			pf_pid_tgid(pf, id, tgid);
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "process tree", why);
	return 0;
}

/* FtraceStats: phase, cpu_stats{cpu, overrun(3), dropped_events(8)} */
static int ftrace_stats(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g;
	const char *why;
	uint64_t phase = 0, overrun = 0, dropped = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;

		if (f.id == 1 && f.wt == PB_VARINT)
			phase = f.v;
		if (f.id != 2 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 3 && g.wt == PB_VARINT)
				overrun += g.v;
			else if (g.id == 8 && g.wt == PB_VARINT)
				dropped += g.v;
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "ftrace stats", why);
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace stats", why);
	if (phase == 1 || phase == 2) {
		pf->overrun[phase - 1] = overrun;
		pf->dropped[phase - 1] = dropped;
		pf->stats_phase[phase - 1] = true;
	}
	/* the ring buffer's counts over the trace: end minus start (both are since boot) */
	if (pf->stats_phase[1]) {
		r->stats.cpustat_known = true;
		r->stats.overrun_reported = pf->overrun[1] - (pf->stats_phase[0] &&
			pf->overrun[0] <= pf->overrun[1] ? pf->overrun[0] : 0);
		r->stats.dropped_reported = pf->dropped[1] - (pf->stats_phase[0] &&
			pf->dropped[0] <= pf->dropped[1] ? pf->dropped[0] : 0);
	}
	return 0;
}

/*
 * SysStats.vmstat (VmstatValue{key, value}) at the packet's time: the kernel's
 * counters as the trace carries them.  The earliest and the latest snapshot
 * are kept as /proc/vmstat text for the analyzer's ground truth.
 */
static int sys_stats(struct prs_reader *r, struct pf *pf, struct pb m, uint64_t ts)
{
	struct pb_field f, g;
	const char *why;
	char *text = NULL;
	size_t len = 0, cap = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;
		uint64_t key = 0, val = 0;
		const char *name;
		char line[96];
		int n;

		if (f.id != 2 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_VARINT)
				key = g.v;
			else if (g.id == 2 && g.wt == PB_VARINT)
				val = g.v;
		}
		if (ret < 0)
			goto damaged;
		name = pf_vmstat_name(key);
		if (!name)
			continue;	/* a counter newer than our table */
		n = snprintf(line, sizeof(line), "%s %" PRIu64 "\n", name, val);
		if (len + (size_t)n + 1 > cap) {
			char *t;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 20) || !(t = realloc(text, cap))) {
				free(text);
				return cap > (1u << 20) ? pf_damaged(r, pf, m.p, "sys_stats", "more vmstat "
								     "values than a kernel has") : -PRS_ENOMEM;
			}
			text = t;
		}
		memcpy(text + len, line, (size_t)n + 1);
		len += (size_t)n;
	}
	if (ret < 0)
		goto damaged;
	if (!text)
		return 0;
	if (!pf->vm_have) {
		pf->vm_text[0] = text;
		pf->vm_len[0] = len;
		pf->vm_ts[0] = ts;
		pf->vm_text[1] = strdup(text);
		if (!pf->vm_text[1])
			return -PRS_ENOMEM;
		pf->vm_len[1] = len;
		pf->vm_ts[1] = ts;
		pf->vm_have = true;
		return 0;
	}
	/* packets of another sequence may come out of time order */
	if (ts < pf->vm_ts[0]) {
		free(pf->vm_text[0]);
		pf->vm_text[0] = text;
		pf->vm_len[0] = len;
		pf->vm_ts[0] = ts;
	} else if (ts >= pf->vm_ts[1]) {
		free(pf->vm_text[1]);
		pf->vm_text[1] = text;
		pf->vm_len[1] = len;
		pf->vm_ts[1] = ts;
	} else {
		free(text);
	}
	return 0;
damaged:
	free(text);
	return pf_damaged(r, pf, m.p, "sys_stats", why);
}

/* SystemInfo: utsname.release (the kernel), num_cpus */
static int system_info(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;

		/* num_cpus (Perfetto v45+): the machine's CPU count */
		if (f.id == 8 && f.wt == PB_VARINT && f.v && f.v <= PRS_MAX_CPUS) {
			r->stats.nr_cpus_known = true;
			if ((int)f.v > r->stats.nr_cpus)
				r->stats.nr_cpus = (int)f.v;
		}
		if (f.id != 1 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 3 && g.wt == PB_LEN && !r->kernel) {
				size_t len = strnlen((const char *)g.sub.p, (size_t)(g.sub.end - g.sub.p));

				if (len && len < 256 && !(r->kernel = strndup((const char *)g.sub.p, len)))
					return -PRS_ENOMEM;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "system info", why);
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "system info", why);
	return 0;
}

/* interned_data.kernel_symbols: InternedString{iid, str} */
static int interned(struct prs_reader *r, struct pf *pf, struct pb m, uint32_t seq)
{
	struct pb_field f, g;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		struct pb s = f.sub;
		uint64_t iid = 0;
		const uint8_t *str = NULL;
		size_t len = 0;
		struct pf_ksym *k;

		if (f.id != 26 || f.wt != PB_LEN)
			continue;
		while ((ret = pb_next(&s, &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_VARINT)
				iid = g.v;
			else if (g.id == 2 && g.wt == PB_LEN)
				str = g.sub.p, len = strnlen((const char *)g.sub.p,
							     (size_t)(g.sub.end - g.sub.p));
		}
		if (ret < 0)
			return pf_damaged(r, pf, s.p, "interned kernel symbol", why);
		if (!iid || !str)
			continue;
		k = pf_ksym_slot(pf, seq, iid, true);
		if (k && !(k->name = prs_intern(r, (const char *)str, len)))
			return -PRS_ENOMEM;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "interned data", why);
	return 0;
}

/* ---- frame timeline -------------------------------------------------------- */

static struct pf_ftl *ftl_at(struct pf *pf, uint32_t i)
{
	return &pf->ftl[(pf->ftl_head + i) % PF_FTL_OPEN];
}

/* A start of @kind: kept until its FrameEnd; the oldest is given up when PF_FTL_OPEN wait. */
static int ftl_start(struct prs_reader *r, struct pf *pf, int kind, struct pb m, uint64_t ts)
{
	struct pb_field f;
	const char *why;
	struct pf_ftl x = { .token = -1, .display_token = -1, .pid = -1, .on_time = -1, .layer = "" };
	bool cookie = false, token = false, dtoken = false;
	int ret;

	/* Actual/ExpectedSurfaceFrameStart: cookie 1, token 2, display_frame_token 3, pid 4,
	 * layer_name 5; Actual: present_type 6, on_time_finish 7, jank_type 9.  Display frames:
	 * cookie 1, token 2, pid 3 (SurfaceFlinger's) */
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT) {
			x.cookie = (int64_t)f.v;
			cookie = true;
		} else if (f.id == 2 && f.wt == PB_VARINT) {
			x.token = (int64_t)f.v;
			token = true;
		} else if (kind >= FT_EXPECTED_SURFACE && f.id == 3 && f.wt == PB_VARINT) {
			x.display_token = (int64_t)f.v;
			dtoken = true;
		} else if (kind >= FT_EXPECTED_SURFACE && f.id == 4 && f.wt == PB_VARINT) {
			x.pid = (int32_t)f.v;
		} else if (kind == FT_ACTUAL_SURFACE && f.id == 5 && f.wt == PB_LEN) {
			size_t len = strnlen((const char *)f.sub.p, (size_t)(f.sub.end - f.sub.p));

			x.layer = prs_intern(r, (const char *)f.sub.p, len < 255 ? len : 255);
			if (!x.layer)
				return -PRS_ENOMEM;
		} else if (kind == FT_ACTUAL_SURFACE && f.id == 6 && f.wt == PB_VARINT) {
			x.present_type = (int32_t)f.v;
		} else if (kind == FT_ACTUAL_SURFACE && f.id == 7 && f.wt == PB_VARINT) {
			x.on_time = f.v != 0;
		} else if (kind == FT_ACTUAL_SURFACE && f.id == 9 && f.wt == PB_VARINT) {
			x.jank_type = (uint32_t)f.v;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "frame timeline event", why);
	x.ts = ts;
	x.actual = kind == FT_ACTUAL_SURFACE;
	/* trace_processor needs the same fields to make a slice of it */
	if (!cookie || !token || (kind >= FT_EXPECTED_SURFACE && (!dtoken || x.pid < 0))) {
		r->stats.frames_unpaired += x.actual;
		return 0;
	}
	if (!pf->ftl && !(pf->ftl = calloc(PF_FTL_OPEN, sizeof(*pf->ftl))))
		return -PRS_ENOMEM;
	if (pf->ftl_n == PF_FTL_OPEN) {
		/* the oldest start never ended */
		r->stats.frames_unpaired += pf->ftl[pf->ftl_head].used && pf->ftl[pf->ftl_head].actual;
		pf->ftl_head = (pf->ftl_head + 1) % PF_FTL_OPEN;
		pf->ftl_n--;
	}
	x.used = true;
	*ftl_at(pf, pf->ftl_n++) = x;
	return 0;
}

/* A FrameEnd: the start of its cookie (the latest one: a cookie may be used again) ends here. */
static int ftl_end(struct prs_reader *r, struct pf *pf, struct pb m, uint64_t ts)
{
	struct pb_field f;
	const char *why;
	int64_t cookie = 0;
	bool have = false;
	struct pf_ftl *x = NULL;
	struct pf_rec *rec;
	struct pf_cpuq *q;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0)
		if (f.id == 1 && f.wt == PB_VARINT)
			cookie = (int64_t)f.v, have = true;
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "frame timeline event", why);
	for (uint32_t i = pf->ftl_n; have && i-- > 0;) {
		struct pf_ftl *c = ftl_at(pf, i);

		if (c->used && c->cookie == cookie) {
			x = c;
			break;
		}
	}
	if (!x) {
		r->stats.frames_unpaired++;
		return 0;
	}
	x->used = false;
	while (pf->ftl_n && !pf->ftl[pf->ftl_head].used) {
		pf->ftl_head = (pf->ftl_head + 1) % PF_FTL_OPEN;
		pf->ftl_n--;
	}
	if (!x->actual)
		return 0;
	if (ts < x->ts) {
		r->stats.frames_unpaired++;	/* an end before its start */
		return 0;
	}
	q = pf_merge_q(&pf->m, -1);
	if (!q || !(rec = pf_merge_insert(&pf->m, q, ts)))
		return -PRS_ENOMEM;
	rec->blob = NULL;
	prs_event_init(&rec->ev, PRS_EV_FRAME);
	rec->ev.cpu = -1;
	rec->ev.pid = x->pid;
	rec->ev.tgid = x->pid;
	rec->ev.comm = NULL;
	rec->ev.u.frame.start_ts = x->ts;
	rec->ev.u.frame.token = x->token;
	rec->ev.u.frame.display_token = x->display_token;
	rec->ev.u.frame.layer = x->layer;
	rec->ev.u.frame.jank_type = x->jank_type;
	rec->ev.u.frame.present_type = x->present_type;
	rec->ev.u.frame.on_time = x->on_time;
	if (!pf->frame_type.name &&
	    (ret = pf_named_type(r, "actual_surface_frame", 20, PRS_EV_FRAME, &pf->frame_type)) < 0)
		return ret;
	rec->ev.name = pf->frame_type.name;
	prs_count_slot(r, pf->frame_type.slot);
	pf_merge_bundle_done(&pf->m, q, ts);
	return 0;
}

/* TracePacket.frame_timeline_event (76): SurfaceFlinger's FrameTimeline, Android 12+ */
static int frame_timeline(struct prs_reader *r, struct pf *pf, struct pb m, uint64_t ts)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.wt != PB_LEN)
			continue;
		if (f.id >= FT_EXPECTED_DISPLAY && f.id <= FT_ACTUAL_SURFACE)
			ret = ftl_start(r, pf, (int)f.id, f.sub, ts);
		else if (f.id == FT_FRAME_END)
			ret = ftl_end(r, pf, f.sub, ts);
		if (ret < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "frame timeline event", why);
	return 0;
}

static int packets(struct prs_reader *r, struct pf *pf, struct pb m, int depth);

/* compressed_packets / zstd_compressed_packets: a Trace's packets, decompressed whole */
static int compressed(struct prs_reader *r, struct pf *pf, struct pb m, bool zstd, int depth)
{
	struct pf_blob *outer = pf->blob, *b;
	uint64_t at = pf_where(pf, m.p);
	const char *why = "";
	size_t len = 0;
	int ret;

	if (depth > 0)
		return pf_damaged(r, pf, m.p, "compressed packets", "compressed packets inside "
				  "compressed packets");
	/* a buffer as large as the last packets needed: decompressed once, not retried */
	b = blob_get(pf, pf->inflated_hint);
	if (!b)
		return -PRS_ENOMEM;
	ret = zstd ? pf_unzstd_all(m.p, (size_t)(m.end - m.p), &b->data, &b->cap, PF_MAX_INFLATED,
				   &len, &why)
		   : pf_inflate_all(m.p, (size_t)(m.end - m.p), &b->data, &b->cap, PF_MAX_INFLATED,
				    &len, &why);
	if (ret < 0) {
		blob_put(pf, b);
		if (ret == -PRS_ENOMEM)
			return ret;
		return prs_fail(r, -ret, false, at, "%s%s", why, pf->where_note);
	}
	if (len > pf->inflated_hint)
		pf->inflated_hint = len + len / 4 < PF_MAX_INFLATED ? len + len / 4 : PF_MAX_INFLATED;
	b->len = len;
	b->inflated = true;
	b->inflated_at = at;
	b->off = 0;
	pf->blob = b;
	ret = packets(r, pf, (struct pb){ b->data, b->data + len }, depth + 1);
	pf->blob = outer;
	if (!b->refs)
		blob_put(pf, b);
	return ret;
}

/* One TracePacket */
static int packet(struct prs_reader *r, struct pf *pf, struct pb m, int depth)
{
	struct pb_field f;
	struct pb p = m;
	const char *why;
	uint32_t seq = 0;
	uint64_t flags = 0, dropped = 0, ts = 0;
	int ret;

	pf->packets++;
	/* the packet's sequence and interned data apply to its payload, wherever they sit */
	while ((ret = pb_next(&p, &f, &why)) > 0) {
		if (f.id == TP_SEQ_ID && f.wt == PB_VARINT)
			seq = (uint32_t)f.v;
		else if (f.id == TP_SEQ_FLAGS && f.wt == PB_VARINT)
			flags = f.v;
		else if (f.id == TP_STATE_CLEARED && f.wt == PB_VARINT && f.v)
			flags |= SEQ_INCREMENTAL_STATE_CLEARED;
		else if (f.id == TP_DROPPED && f.wt == PB_VARINT)
			dropped = f.v;
		else if (f.id == TP_TIMESTAMP && f.wt == PB_VARINT)
			ts = f.v;
	}
	if (ret < 0)
		return pf_damaged(r, pf, p.p, "trace packet", why);
	if (flags & SEQ_INCREMENTAL_STATE_CLEARED)
		pf_ksym_clear(pf, seq);
	p = m;
	while ((ret = pb_next(&p, &f, &why)) > 0) {
		if (f.wt != PB_LEN)
			continue;
		switch (f.id) {
		case TP_INTERNED:
			ret = interned(r, pf, f.sub, seq);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret < 0)
			return ret;
	}
	p = m;
	while ((ret = pb_next(&p, &f, &why)) > 0) {
		if (f.wt != PB_LEN)
			continue;
		switch (f.id) {
		case TP_FTRACE_EVENTS:
			ret = bundle(r, pf, f.sub, seq, dropped != 0);
			break;
		case TP_PROCESS_TREE:
			ret = process_tree(r, pf, f.sub);
			break;
		case TP_FTRACE_STATS:
			ret = ftrace_stats(r, pf, f.sub);
			break;
		case TP_SYSTEM_INFO:
			ret = system_info(r, pf, f.sub);
			break;
		case TP_SYS_STATS:
			ret = sys_stats(r, pf, f.sub, ts);
			break;
		case TP_FRAME_TIMELINE:
			ret = frame_timeline(r, pf, f.sub, ts);
			break;
		case TP_COMPRESSED:
		case TP_ZSTD:
			ret = compressed(r, pf, f.sub, f.id == TP_ZSTD, depth);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The packets of a Trace message in memory (the contents of compressed packets) */
static int packets(struct prs_reader *r, struct pf *pf, struct pb m, int depth)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id != 1 || f.wt != PB_LEN)
			continue;	/* Trace has no other field: skipped like any unknown field */
		if ((ret = packet(r, pf, f.sub, depth)) < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "trace packet", why);
	return 0;
}

/* ---- reading the file packet by packet ------------------------------------- */

/* A varint from the stream: 1 read, 0 clean end before it, -1 end inside it, <0 error */
static int stream_varint(struct prs_reader *r, struct pf *pf, uint64_t *v)
{
	uint64_t x = 0;
	uint8_t b;

	for (unsigned int shift = 0; shift < 70; shift += 7) {
		ssize_t got = pf_in_read(r, pf->in, &b, 1);

		if (got < 0)
			return (int)got;
		if (!got)
			return shift ? -1 : 0;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return prs_fail(r, PRS_ECORRUPT, false, pf_in_offset(pf->in), "varint longer than 10 bytes");
}

static int cut_at(struct prs_reader *r, struct pf *pf, uint64_t at, const char *what)
{
	pf->eof = true;
	prs_fail(r, PRS_ECUT, false, at, "the file ends inside %s%s", what, pf->where_note);
	/* the error is handed out after the queued events */
	pf->end_ret = r->err;
	r->err = 0;
	return 0;
}

/* Read and decode the next top-level field; sets pf->eof at the end */
static int read_packet(struct prs_reader *r, struct pf *pf)
{
	uint64_t tag, len, at = pf_in_offset(pf->in);
	struct pf_blob *b;
	ssize_t got;
	int ret;

	ret = stream_varint(r, pf, &tag);
	if (ret < 0)
		return ret == -1 ? cut_at(r, pf, at, "a packet's tag") : ret;
	if (!ret) {
		pf->eof = true;
		if (pf_in_cut(pf->in))
			return cut_at(r, pf, at, "its compressed stream");
		return 0;
	}
	if ((tag >> 3) == 0 || (tag & 7) != PB_LEN) {
		/* Trace holds only length-delimited packets: anything else is damage */
		return prs_fail(r, PRS_ECORRUPT, false, at, "not a trace packet (field %llu, wire "
				"type %llu)%s", (unsigned long long)(tag >> 3), (unsigned long long)(tag & 7),
				pf->where_note);
	}
	ret = stream_varint(r, pf, &len);
	if (ret < 0)
		return ret == -1 ? cut_at(r, pf, at, "a packet's length") : ret;
	if (!ret)
		return cut_at(r, pf, at, "a packet's length");
	if (len > PF_MAX_PACKET)
		return prs_fail(r, PRS_ELIMIT, false, at, "packet of %llu bytes, beyond the %u MiB "
				"limit%s", (unsigned long long)len, PF_MAX_PACKET >> 20, pf->where_note);
	if ((tag >> 3) != 1) {
		ret = pf_in_skip(r, pf->in, len);
		return ret == 1 ? cut_at(r, pf, at, "an unknown field") : ret;
	}
	b = blob_get(pf, (size_t)len);
	if (!b)
		return -PRS_ENOMEM;
	b->off = pf_in_offset(pf->in);
	got = pf_in_read(r, pf->in, b->data, (size_t)len);
	if (got < 0 || (uint64_t)got < len) {
		blob_put(pf, b);
		if (got < 0)
			return (int)got;
		return cut_at(r, pf, at, "a packet");
	}
	b->len = (size_t)len;
	pf->blob = b;
	pf->pkt_off = at;
	ret = packet(r, pf, (struct pb){ b->data, b->data + len }, 0);
	pf->blob = NULL;
	if (!b->refs)
		blob_put(pf, b);
	return ret;
}

static int pf_next(struct prs_reader *r, struct prs_event *ev)
{
	struct pf *pf = r->priv;

	for (;;) {
		bool force = pf->held_bytes > (32u << 20);
		struct pf_rec *rec = pf_merge_peek(&pf->m, pf->eof || force);
		const struct pf_pid *p;
		int ret;

		if (!rec) {
			if (pf->eof && !pf->ftl_counted) {
				/* frame timeline starts whose end the trace does not hold */
				for (uint32_t i = 0; i < pf->ftl_n; i++)
					r->stats.frames_unpaired += ftl_at(pf, i)->used && ftl_at(pf, i)->actual;
				pf->ftl_counted = true;
			}
			if (pf->eof) {
				if (pf->end_ret)
					r->err = pf->end_ret;	/* the cut, now that its events are out */
				return pf->end_ret;
			}
			ret = read_packet(r, pf);
			if (ret < 0)
				return ret;
			continue;
		}
		if (force && !pf->eof)
			pf->m.forced++;
		*ev = rec->ev;
		if (rec->blob) {
			/* a marker's text: NUL-terminated, without its trailing newline */
			size_t len = strnlen(ev->u.print.text, ev->u.print.len);

			while (len && ev->u.print.text[len - 1] == '\n')
				len--;
			if (len + 1 > pf->text_cap) {
				size_t cap = len + 1 > 4096 ? len + 1 : 4096;
				char *t = realloc(pf->text, cap);

				if (!t)
					return -PRS_ENOMEM;
				pf->text = t;
				pf->text_cap = cap;
			}
			memcpy(pf->text, ev->u.print.text, len);
			pf->text[len] = '\0';
			ev->u.print.text = pf->text;
			ev->u.print.len = len;
			if (!--rec->blob->refs) {
				pf->held_bytes -= rec->blob->cap;
				blob_put(pf, rec->blob);
			}
		}
		pf_merge_pop(&pf->m);
		if (ev->pid != pf->last_pid || pf->last_gen != pf->pid_gen) {
			p = ev->pid >= 0 ? pf_pid_slot(pf, ev->pid, false) : NULL;
			pf->last_pid = ev->pid;
			pf->last_gen = pf->pid_gen;
			pf->last_comm = p && p->comm ? p->comm : ev->pid == 0 ? "<idle>" : "";
			pf->last_named = p && p->comm;
			pf->last_tgid = p && p->tgid > 0 ? p->tgid : -1;
		}
		ev->comm = pf->last_comm;
		ev->comm_per_pid = pf->last_named;
		if (pf->last_tgid > 0)
			ev->tgid = pf->last_tgid;
		prs_account(r, ev);
		if (ev->kind == PRS_EV_OTHER && !(r->flags & PRS_OPT_OTHER))
			continue;
		return 1;
	}
}

static void pf_close(struct prs_reader *r)
{
	struct pf *pf = r->priv;

	if (!pf)
		return;
	for (int i = 0; i < pf->m.nr_q; i++) {
		struct pf_cpuq *q = &pf->m.q[i];

		for (uint32_t k = 0; k < q->n; k++) {
			struct pf_blob *b = q->rec[(q->head + k) % q->cap].blob;

			if (b && !--b->refs)
				blob_put(pf, b);
		}
	}
	while (pf->free_blobs) {
		struct pf_blob *b = pf->free_blobs;

		pf->free_blobs = b->next;
		free(b->data);
		free(b);
	}
	pf_merge_free(&pf->m);
	for (uint32_t k = 0; k < pf->nr_gdesc; k++)
		free(pf->gdesc[k].f);
	free(pf->gdesc);
	free(pf->pids);
	free(pf->ksyms);
	free(pf->csw);
	free(pf->cwk);
	free(pf->itab);
	free(pf->text);
	free(pf->ftl);
	free(pf->vm_text[0]);
	free(pf->vm_text[1]);
	if (pf->in)
		pf_in_close(pf->in);
	free(pf);
	r->priv = NULL;
}

static const struct prs_ops pf_ops = {
	.next	= pf_next,
	.close	= pf_close,
};

bool prs_perfetto_detect(const uint8_t *head, size_t n)
{
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return true;	/* gzip: opened to see whether a trace is inside */
	if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
		return true;	/* zip: looked through for a trace */
	return pf_looks_like_trace(head, n);
}

int prs_perfetto_open(struct prs_reader *r, const uint8_t *head, size_t n)
{
	struct pf *pf = calloc(1, sizeof(*pf));
	int ret;

	if (!pf)
		return -PRS_ENOMEM;
	r->priv = pf;
	r->ops = &pf_ops;
	r->fmt = PRS_FMT_PERFETTO;
	r->comm_stable = true;
	pf->last_pid = INT32_MIN;	/* no pid handed out yet */
	ret = pf_in_open(r, head, n, &pf->in);
	if (ret < 0)
		return ret;
	r->compressed = r->container != NULL;
	if (r->container)
		snprintf(pf->where_note, sizeof(pf->where_note), " (offset in the trace read from %s)",
			 !strncmp(r->container, "zip", 3) ? "the zip entry" : "gzip");
	return 0;
}

const char *prs_vmstat(const struct prs_reader *r, bool after, uint64_t *ts, size_t *len)
{
	const struct pf *pf = r->fmt == PRS_FMT_PERFETTO ? r->priv : NULL;

	if (!pf || !pf->vm_have || pf->vm_ts[0] == pf->vm_ts[1])
		return NULL;
	if (ts)
		*ts = pf->vm_ts[after];
	*len = pf->vm_len[after];
	return pf->vm_text[after];
}
