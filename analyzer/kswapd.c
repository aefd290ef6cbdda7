// SPDX-License-Identifier: GPL-2.0-only
/*
 * kswapd's CPU time, from sched_switch (run time) or kswapd_wake/sleep (awake time).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer-local.h"

/* ---- kswapd CPU time ---------------------------------------------------- */

bool anl_is_kswapd(const char *comm)
{
	/* "kswapd0", "kswapd1", older multi-thread "kswapd0:1" */
	return comm && !strncmp(comm, "kswapd", 6) && comm[6] >= '0' && comm[6] <= '9';
}

/* An interval of kswapd activity [since, until] into the open scopes. */
void anl_busy_add(struct anl_ctx *a, uint64_t since, uint64_t until, bool run, int32_t where)
{
	if (until < since)
		return;
	anl_span_emit(a, run ? ANL_SPAN_KSWAPD_RUN : ANL_SPAN_KSWAPD_AWAKE, since, until, -1, where,
		  false, true);
	if (run)
		a->raw[ALL].kswapd_run_ns += until - since;
	else
		a->raw[ALL].kswapd_awake_ns += until - since;
	if (in_win(a)) {
		uint64_t s = since > a->win_begin ? since : a->win_begin;

		if (until > s) {
			if (run)
				a->raw[WIN].kswapd_run_ns += until - s;
			else
				a->raw[WIN].kswapd_awake_ns += until - s;
		}
	}
}

uint64_t anl_kswapd_run_at(const struct anl_ctx *a, uint64_t ts)
{
	uint64_t run = a->raw[ALL].kswapd_run_ns;

	for (int i = 0; i < a->nr_cpus; i++)
		if (a->cpus[i].kswapd_running && ts > a->cpus[i].since)
			run += ts - a->cpus[i].since;
	return run;
}

void anl_sched_switch(struct anl_ctx *a, const struct prs_event *ev)
{
	struct anl_cpu *c;
	struct anl_cpu_ts *ct;
	bool prev_k = anl_is_kswapd(ev->u.sw.prev_comm), next_k = anl_is_kswapd(ev->u.sw.next_comm);

	if (ev->cpu < 0 || ev->cpu >= ANL_MAX_CPUS)
		return;
	if (ev->cpu >= a->nr_cpus) {
		int n = ev->cpu + 1;
		struct anl_cpu *cpus = realloc(a->cpus, (size_t)n * sizeof(*cpus));

		if (!cpus)
			return;
		memset(&cpus[a->nr_cpus], 0, (size_t)(n - a->nr_cpus) * sizeof(*cpus));
		a->cpus = cpus;
		a->nr_cpus = n;
	}
	c = &a->cpus[ev->cpu];
	a->seen_switch = true;
	if (prev_k || next_k)
		a->seen_kswapd_switch = true;
	if (prev_k) {
		/*
		 * running since its switch-in, or since it began to run on this CPU;
		 * a run across a step back in time is not measured (kswapd_unordered)
		 */
		if (c->seen && anl_cpu_ts_of(a, ev->cpu)->backs != c->backs_at_since)
			a->kswapd_unordered++;
		else if (c->kswapd_running)
			anl_busy_add(a, c->since, ev->ts, true, ev->cpu);
		else {	/* its switch-in not in the trace: since the CPU's last other task */
			if (anl_cpu_ts_of(a, ev->cpu)->other_seen)
				a->kswapd_unstarted++;	/* the switch-in is missing: an upper bound */
			anl_busy_add(a, anl_kswapd_run_start(a, ev->cpu), ev->ts, true, ev->cpu);
		}
	}
	c->seen = true;
	c->kswapd_running = next_k;
	c->since = ev->ts;
	ct = anl_cpu_ts_of(a, ev->cpu);
	c->backs_at_since = ct->backs;
	if (ev->u.sw.next_pid != ev->pid && ev->ts >= ct->last_ts) {
		/* the next task runs from here: the one before was on the CPU until now */
		ct->other_seen = true;
		ct->other_ts = ev->ts;
		ct->last_pid = ev->u.sw.next_pid;
	}
}

void anl_kswapd_wake_sleep(struct anl_ctx *a, const struct prs_event *ev)
{
	int nid = ev->kind == PRS_EV_KSWAPD_WAKE ? ev->u.mm.nid : ev->u.kswapd.nid;

	if (nid < 0 || nid >= ANL_MAX_NODES)
		nid = 0;
	a->seen_kswapd_wake = true;
	if (ev->kind == PRS_EV_KSWAPD_WAKE) {
		if (!a->node_awake[nid]) {
			a->node_awake[nid] = true;
			a->node_since[nid] = ev->ts;
		}
	} else {
		/* awake since its wake, or since it began to run on the CPU it sleeps on */
		anl_busy_add(a, a->node_awake[nid] ? a->node_since[nid] : anl_kswapd_run_start(a, ev->cpu),
			 ev->ts, false, nid);
		a->node_awake[nid] = false;
	}
}

/* Close the window: running intervals are cut at its end. */
void anl_window_close(struct anl_ctx *a, uint64_t ts)
{
	for (int i = 0; i < a->nr_cpus; i++) {
		struct anl_cpu *c = &a->cpus[i];

		if (c->kswapd_running) {
			uint64_t s = c->since > a->win_begin ? c->since : a->win_begin;

			if (ts > s)
				a->raw[WIN].kswapd_run_ns += ts - s;
		}
	}
	for (int n = 0; n < ANL_MAX_NODES; n++) {
		if (a->node_awake[n]) {
			uint64_t s = a->node_since[n] > a->win_begin ? a->node_since[n] : a->win_begin;

			if (ts > s)
				a->raw[WIN].kswapd_awake_ns += ts - s;
		}
	}
	a->win_end = ts;
	a->win_state = 2;
	a->raw_at_end = a->raw[ALL];
}
