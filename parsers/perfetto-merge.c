// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Perfetto reader's time merge: per-CPU queues of decoded events handed
 * out in timestamp order.
 *
 * traced_probes drains every CPU's ring buffer in turn and writes one
 * FtraceEventBundle per CPU and pass, so a bundle of CPU 3 may hold events
 * older than the last ones of a bundle of CPU 1 written before it.  Each
 * CPU's events are in time order; the merge hands out the oldest queued
 * event once no CPU can still bring an older one: every CPU with an empty
 * queue has already shown a later event (its horizon, once the trace has run
 * PF_WINDOW_NS: CPUs not seen by then are taken as idle), or the newest
 * event read is PF_WINDOW_NS past it (a CPU that went idle: traced_probes
 * drains every CPU each drain period, 100 ms by default), or PF_MAX_QUEUED
 * events wait (memory stays bounded; what comes older after that is
 * counted as out of order by prs_account()).
 */
#include <stdlib.h>

#include "perfetto-local.h"

struct pf_cpuq *pf_merge_q(struct pf_merge *m, int32_t cpu)
{
	int idx = cpu < 0 ? 0 : cpu + 1;	/* 0: no CPU */

	if (cpu >= PRS_MAX_CPUS)
		return NULL;
	if (idx >= m->nr_q) {
		int n = idx + 1 > 2 * m->nr_q ? idx + 1 : 2 * m->nr_q;
		struct pf_cpuq *q;
		int *heap;

		if (n > PRS_MAX_CPUS + 1)
			n = PRS_MAX_CPUS + 1;
		q = realloc(m->q, (size_t)n * sizeof(*q));
		if (!q)
			return NULL;
		m->q = q;
		heap = realloc(m->heap, (size_t)n * sizeof(*heap));
		if (!heap)
			return NULL;
		m->heap = heap;
		for (int i = m->nr_q; i < n; i++) {
			q[i] = (struct pf_cpuq){ .cur_pid = -1, .heap_at = -1 };
		}
		m->nr_q = n;
	}
	return &m->q[idx];
}

static inline uint64_t head_ts(const struct pf_merge *m, int qi)
{
	return m->q[qi].head_ts;
}

/* earlier timestamp first; ties: the lower CPU first, as trace-cmd merges */
static inline bool q_before(const struct pf_merge *m, int a, int b)
{
	uint64_t ta = head_ts(m, a), tb = head_ts(m, b);

	return ta < tb || (ta == tb && a < b);
}

static void heap_set(struct pf_merge *m, int i, int qi)
{
	m->heap[i] = qi;
	m->q[qi].heap_at = i;
}

static void heap_up(struct pf_merge *m, int i)
{
	int qi = m->heap[i];

	while (i > 0) {
		int parent = (i - 1) / 2;

		if (!q_before(m, qi, m->heap[parent]))
			break;
		heap_set(m, i, m->heap[parent]);
		i = parent;
	}
	heap_set(m, i, qi);
}

static void heap_down(struct pf_merge *m, int i)
{
	int qi = m->heap[i];

	for (;;) {
		int c = 2 * i + 1;

		if (c >= m->nr_heap)
			break;
		if (c + 1 < m->nr_heap && q_before(m, m->heap[c + 1], m->heap[c]))
			c++;
		if (!q_before(m, m->heap[c], qi))
			break;
		heap_set(m, i, m->heap[c]);
		i = c;
	}
	heap_set(m, i, qi);
}

struct pf_rec *pf_merge_push(struct pf_merge *m, struct pf_cpuq *q)
{
	struct pf_rec *rec;

	if (q->n == q->cap) {
		uint32_t cap = q->cap ? q->cap * 2 : 256;
		struct pf_rec *n = malloc((size_t)cap * sizeof(*n));

		if (!n)
			return NULL;
		/* unwrap the ring into the new array */
		for (uint32_t i = 0; i < q->n; i++)
			n[i] = q->rec[(q->head + i) & (q->cap - 1)];
		free(q->rec);
		q->rec = n;
		q->cap = cap;
		q->head = 0;
	}
	rec = &q->rec[(q->head + q->n) & (q->cap - 1)];	/* cap: a power of two */
	q->n++;		/* a queue enters the heap in pf_merge_bundle_done(), its events filled */
	m->queued++;
	return rec;
}

struct pf_rec *pf_merge_insert(struct pf_merge *m, struct pf_cpuq *q, uint64_t ts)
{
	struct pf_rec *rec = pf_merge_push(m, q);
	uint32_t i, mask;

	if (!rec)
		return NULL;
	mask = q->cap - 1;
	i = q->n - 1;
	/* the few records later than @ts move up one (frame timeline ends come nearly in order) */
	while (i > 0 && q->rec[(q->head + i - 1) & mask].ev.ts > ts) {
		q->rec[(q->head + i) & mask] = q->rec[(q->head + i - 1) & mask];
		i--;
	}
	rec = &q->rec[(q->head + i) & mask];
	rec->ev.ts = ts;
	if (!i && q->heap_at >= 0) {
		q->head_ts = ts;
		heap_up(m, q->heap_at);
	}
	return rec;
}

void pf_merge_bundle_done(struct pf_merge *m, struct pf_cpuq *q, uint64_t last_ts)
{
	int qi = (int)(q - m->q);

	if (qi > 0) {	/* a CPU's queue; the CPU-less one has no horizon */
		q->seen = true;
		if (last_ts > q->horizon)
			q->horizon = last_ts;
	}
	if (!m->have_first || (q->n && q->rec[q->head].ev.ts < m->first)) {
		m->first = q->n ? q->rec[q->head].ev.ts : last_ts;
		m->have_first = true;
	}
	if (last_ts > m->newest)
		m->newest = last_ts;
	if (q->n && q->heap_at < 0) {
		q->head_ts = q->rec[q->head].ev.ts;
		heap_set(m, m->nr_heap, qi);
		m->nr_heap++;
		heap_up(m, m->nr_heap - 1);
	}
	m->horizon_dirty = true;
}

static void merge_horizon(struct pf_merge *m)
{
	uint64_t h = UINT64_MAX;

	for (int i = 1; i < m->nr_q; i++)
		if (m->q[i].seen && !m->q[i].n && m->q[i].horizon < h)
			h = m->q[i].horizon;
	m->min_empty_horizon = h;
	m->horizon_dirty = false;
}

struct pf_rec *pf_merge_peek(struct pf_merge *m, bool eof)
{
	struct pf_cpuq *q;
	uint64_t ts;

	if (!m->nr_heap)
		return NULL;
	q = &m->q[m->heap[0]];
	ts = q->head_ts;
	if (!eof) {
		bool safe;

		if (m->horizon_dirty)
			merge_horizon(m);
		/*
		 * the horizons speak only for CPUs seen: not before the trace has
		 * run a window's length, when every busy CPU has shown itself
		 */
		safe = (m->newest >= PF_WINDOW_NS && ts <= m->newest - PF_WINDOW_NS) ||
		       (ts <= m->min_empty_horizon && m->newest - m->first >= PF_WINDOW_NS);
		if (!safe) {
			if (m->queued < PF_MAX_QUEUED)
				return NULL;
			m->forced++;
		}
	}
	return &q->rec[q->head];
}

void pf_merge_pop(struct pf_merge *m)
{
	int qi = m->heap[0];
	struct pf_cpuq *q = &m->q[qi];

	q->head = (q->head + 1) & (q->cap - 1);
	q->n--;
	m->queued--;
	if (q->n) {
		q->head_ts = q->rec[q->head].ev.ts;
		heap_down(m, 0);
		return;
	}
	q->heap_at = -1;
	m->nr_heap--;
	if (m->nr_heap) {
		heap_set(m, 0, m->heap[m->nr_heap]);
		heap_down(m, 0);
	}
	m->horizon_dirty = true;
}

void pf_merge_free(struct pf_merge *m)
{
	for (int i = 0; i < m->nr_q; i++)
		free(m->q[i].rec);
	free(m->q);
	free(m->heap);
	memset(m, 0, sizeof(*m));
}
