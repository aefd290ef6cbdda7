// SPDX-License-Identifier: GPL-2.0-only
/*
 * One FtraceEvent's payload onto a normalized event: typed messages,
 * GenericFtraceEvent, self-describing events and their descriptors.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "perfetto-local.h"

/* ---- field values onto events ------------------------------------------- */

/* sched_switch's prev_state as the kernel prints it (TASK_REPORT bits; 0 runnable) */
char pf_state_letter(int64_t v)
{
	static const char bits[] = "SDTtXZPI";

	for (int i = 0; i < 8; i++)
		if (v & (1 << i))
			return bits[i];
	return 'R';	/* 0, or only TASK_REPORT_MAX: preempted ("R+") */
}

/* A value of a field named @n (generic and self-describing events). */
struct pf_val {
	bool		is_str;
	uint64_t	u;
	const uint8_t	*s;
	size_t		len;
};

static bool nm(const char *n, const char *w)
{
	return !strcmp(n, w);
}

static int set_named(struct prs_reader *r, struct pf *pf, struct prs_event *ev, const char *n,
		     const struct pf_val *v)
{
	uint64_t u = v->u;
	int32_t i = (int32_t)u;

	if (v->is_str) {
		if (ev->kind == PRS_EV_PRINT && nm(n, "buf")) {
			ev->u.print.text = (const char *)v->s;
			ev->u.print.len = v->len;
		} else if (ev->kind == PRS_EV_SCHED_SWITCH && (nm(n, "prev_comm") || nm(n, "next_comm"))) {
			const char *c = prs_intern(r, (const char *)v->s, strnlen((const char *)v->s, v->len));

			if (!c)
				return -PRS_ENOMEM;
			if (n[0] == 'p')
				ev->u.sw.prev_comm = c;
			else
				ev->u.sw.next_comm = c;
		}
		return 0;
	}
	switch (ev->kind) {
	case PRS_EV_PAGE_ALLOC:
	case PRS_EV_RECLAIM_BEGIN:
	case PRS_EV_MEMCG_RECLAIM_BEGIN:
	case PRS_EV_WAKEUP_KSWAPD:
	case PRS_EV_KSWAPD_WAKE:
	case PRS_EV_TRY_COMPACT:
		if (nm(n, "pfn")) {
			ev->u.mm.pfn = u;
			if (ev->kind == PRS_EV_PAGE_ALLOC)	/* -1: a failed allocation */
				ev->u.mm.page = u != PRS_NO_VALUE;
		} else if (nm(n, "page")) {
			if (ev->kind == PRS_EV_PAGE_ALLOC && ev->u.mm.page < 0)
				ev->u.mm.page = u != 0;	/* a pfn, when there, says it */
		} else if (nm(n, "order")) {
			ev->u.mm.order = i;
		} else if (nm(n, "gfp_flags") || nm(n, "gfp_mask")) {
			ev->u.mm.gfp = u;
		} else if (nm(n, "migratetype")) {
			ev->u.mm.migratetype = i;
		} else if (nm(n, "nid")) {
			ev->u.mm.nid = i;
		} else if (nm(n, "zid")) {
			ev->u.mm.zid = i;
		} else if (nm(n, "prio")) {
			ev->u.mm.prio = i;
		}
		break;
	case PRS_EV_RECLAIM_END:
	case PRS_EV_MEMCG_RECLAIM_END:
		if (nm(n, "nr_reclaimed"))
			ev->u.reclaim.nr_reclaimed = u;
		break;
	case PRS_EV_KSWAPD_SLEEP:
		if (nm(n, "nid"))
			ev->u.kswapd.nid = i;
		break;
	case PRS_EV_LRU_SHRINK:
		if (nm(n, "nid"))
			ev->u.lru.nid = i;
		else if (nm(n, "priority"))
			ev->u.lru.priority = i;
		else if (nm(n, "nr_scanned"))
			ev->u.lru.nr_scanned = u;
		else if (nm(n, "nr_reclaimed"))
			ev->u.lru.nr_reclaimed = u;
		break;
	case PRS_EV_COMPACT_BEGIN:
	case PRS_EV_COMPACT_END:
	case PRS_EV_COMPACT_SUITABLE:
	case PRS_EV_COMPACT_DEFERRED:
	case PRS_EV_COMPACT_FINISHED:
		if (nm(n, "sync") && (ev->kind == PRS_EV_COMPACT_BEGIN || ev->kind == PRS_EV_COMPACT_END))
			ev->u.compact.sync = i;
		else if (nm(n, "order") && ev->kind != PRS_EV_COMPACT_BEGIN &&
			 ev->kind != PRS_EV_COMPACT_END)
			ev->u.compact.order = i;
		else if ((nm(n, "status") || nm(n, "ret")) && ev->kind != PRS_EV_COMPACT_BEGIN)
			ev->u.compact.status = i;
		break;
	case PRS_EV_MARK_VICTIM:
		if (nm(n, "pid"))
			ev->u.victim.pid = i;
		break;
	case PRS_EV_RECLAIM_RETRY:
	case PRS_EV_COMPACT_RETRY:
		if (nm(n, "order"))
			ev->u.retry.order = i;
		else if (nm(n, "node"))
			ev->u.retry.nid = i;
		else if (nm(n, "no_progress_loops") || nm(n, "retries"))
			ev->u.retry.loops = i;
		else if (nm(n, "max_retries"))
			ev->u.retry.max = i;
		else if (nm(n, "wmark_check") || nm(n, "ret"))
			ev->u.retry.verdict = i;
		break;
	case PRS_EV_THROTTLED:
		if (nm(n, "nid"))
			ev->u.throttle.nid = i;
		else if (nm(n, "usec_timeout"))
			ev->u.throttle.usec_timeout = i;
		else if (nm(n, "usec_delayed"))
			ev->u.throttle.usec_delayed = i;
		break;
	case PRS_EV_SCHED_SWITCH:
		if (nm(n, "prev_pid"))
			ev->u.sw.prev_pid = i;
		else if (nm(n, "next_pid"))
			ev->u.sw.next_pid = i;
		else if (nm(n, "prev_state"))
			ev->u.sw.prev_state = pf_state_letter((int64_t)u);
		break;
	default:
		(void)pf;
		break;
	}
	return 0;
}

/* ---- typed events --------------------------------------------------------- */

static const char *func_name(struct prs_reader *r, struct pf *pf, uint32_t seq, uint64_t v)
{
	const struct pf_ksym *k = pf_ksym_slot(pf, seq, v, false);
	char hex[24];

	if (k)
		return k->name;
	/* not symbolized (symbolize_ksyms off): the kernel address, as text readers show it */
	snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
	return prs_intern_str(r, hex);
}

/*
 * Decode the typed message @m of event id @id into @ev (kind already set).
 * 0, or <0 on damage / no memory.
 */
int pf_decode_typed(struct prs_reader *r, struct pf *pf, uint32_t id, struct pb m,
			struct prs_event *ev, uint32_t seq)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		uint64_t v = f.v;
		int32_t i = (int32_t)v;

		if (f.wt == PB_LEN) {
			if ((id == FE_PRINT && f.id == 2) ||
			    (id == FE_SCHED_SWITCH && (f.id == 1 || f.id == 5))) {
				struct pf_val val = { true, 0, f.sub.p, (size_t)(f.sub.end - f.sub.p) };

				ret = set_named(r, pf, ev, id == FE_PRINT ? "buf" :
						f.id == 1 ? "prev_comm" : "next_comm", &val);
				if (ret < 0)
					return ret;
			} else if (id == FE_TASK_NEWTASK && f.id == 2) {
				/* the pid comes first in traced_probes' encoding; see below */
			}
			continue;
		}
		switch (id) {
		case FE_SCHED_SWITCH:
			if (f.id == 2)
				ev->u.sw.prev_pid = i;
			else if (f.id == 4)
				ev->u.sw.prev_state = pf_state_letter((int64_t)v);
			else if (f.id == 6)
				ev->u.sw.next_pid = i;
			break;
		case FE_RECLAIM_BEGIN:
		case FE_MEMCG_RECLAIM_BEGIN:
			if (f.id == 1)
				ev->u.mm.order = i;
			else if (f.id == 3)
				ev->u.mm.gfp = v;
			break;
		case FE_RECLAIM_END:
		case FE_MEMCG_RECLAIM_END:
			if (f.id == 1)
				ev->u.reclaim.nr_reclaimed = v;
			break;
		case FE_KSWAPD_WAKE:
			if (f.id == 1)
				ev->u.mm.nid = i;
			else if (f.id == 2)
				ev->u.mm.order = i;
			else if (f.id == 3)
				ev->u.mm.zid = i;
			break;
		case FE_KSWAPD_SLEEP:
			if (f.id == 1)
				ev->u.kswapd.nid = i;
			break;
		case FE_COMPACT_BEGIN:
			if (f.id == 5)
				ev->u.compact.sync = i;
			break;
		case FE_COMPACT_END:
			if (f.id == 5)
				ev->u.compact.sync = i;
			else if (f.id == 6)
				ev->u.compact.status = i;
			break;
		case FE_COMPACT_DEFERRED:
			if (f.id == 3)
				ev->u.compact.order = i;
			break;
		case FE_COMPACT_FINISHED:
		case FE_COMPACT_SUITABLE:
			if (f.id == 3)
				ev->u.compact.order = i;
			else if (f.id == 4)
				ev->u.compact.status = i;
			break;
		case FE_TRY_COMPACT:
			if (f.id == 1)
				ev->u.mm.order = i;
			else if (f.id == 2)
				ev->u.mm.gfp = v;
			else if (f.id == 4)
				ev->u.mm.prio = i;
			break;
		case FE_PAGE_ALLOC:
			if (f.id == 1)
				ev->u.mm.gfp = v;
			else if (f.id == 2)
				ev->u.mm.migratetype = i;
			else if (f.id == 3)
				ev->u.mm.order = i;
			else if (f.id == 4 && ev->u.mm.page < 0)	/* a pfn, when there, says it */
				ev->u.mm.page = v != 0;
			else if (f.id == 5) {
				ev->u.mm.pfn = v;
				ev->u.mm.page = v != PRS_NO_VALUE;	/* -1: a failed allocation */
			}
			break;
		case FE_MARK_VICTIM:
			if (f.id == 1)
				ev->u.victim.pid = i;
			break;
		case FE_FUNCGRAPH_ENTRY:
			if (f.id == 1)
				ev->u.fn.depth = i;
			else if (f.id == 2 && !(ev->u.fn.func = func_name(r, pf, seq, v)))
				return -PRS_ENOMEM;
			break;
		case FE_FUNCGRAPH_EXIT:
			if (f.id == 1)
				ev->u.fn.arg[0] = v;	/* calltime, until rettime comes */
			else if (f.id == 2)
				ev->u.fn.depth = i;
			else if (f.id == 3 && !(ev->u.fn.func = func_name(r, pf, seq, v)))
				return -PRS_ENOMEM;
			else if (f.id == 5)
				ev->u.fn.arg[1] = v;
			break;
		default:
			break;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace event", why);
	if (id == FE_FUNCGRAPH_EXIT) {
		uint64_t call = ev->u.fn.arg[0], ret_t = ev->u.fn.arg[1];

		ev->u.fn.arg[0] = ev->u.fn.arg[1] = PRS_NO_VALUE;
		if (call != PRS_NO_VALUE && ret_t != PRS_NO_VALUE && ret_t >= call)
			ev->u.fn.duration = ret_t - call;
	}
	return 0;
}

/* task_newtask / task_rename: the name a pid gets from now on */
int pf_task_names(struct prs_reader *r, struct pf *pf, uint32_t id, struct pb m)
{
	struct pb_field f;
	const char *why;
	int32_t pid = -1;
	const uint8_t *s = NULL;
	size_t len = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT)
			pid = (int32_t)f.v;
		else if (f.wt == PB_LEN && ((id == FE_TASK_NEWTASK && f.id == 2) ||
					    (id == FE_TASK_RENAME && f.id == 3))) {
			s = f.sub.p;
			len = (size_t)(f.sub.end - f.sub.p);
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "ftrace event", why);
	if (pid > 0 && s)
		pf_pid_name(r, pf, pid, (const char *)s, len, NAME_TASK);
	return 0;
}

/* GenericFtraceEvent: an event by name with named fields */
int pf_decode_generic(struct prs_reader *r, struct pf *pf, struct pb m, struct prs_event *ev,
			  struct pf_type *t)
{
	struct pb_field f, g;
	struct pb fields[64];
	unsigned int nf = 0;
	const char *why;
	int ret;

	t->name = NULL;
	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_LEN) {
			size_t len = (size_t)(f.sub.end - f.sub.p);

			ret = pf_named_type(r, (const char *)f.sub.p, strnlen((const char *)f.sub.p, len),
					 prs_kind_by_name((const char *)f.sub.p,
							  strnlen((const char *)f.sub.p, len)), t);
			if (ret < 0)
				return ret;
		} else if (f.id == 2 && f.wt == PB_LEN && nf < 64) {
			fields[nf++] = f.sub;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "generic ftrace event", why);
	if (!t->name && (ret = pf_named_type(r, "generic", 7, PRS_EV_OTHER, t)) < 0)
		return ret;
	prs_event_init(ev, t->kind);
	for (unsigned int k = 0; k < nf; k++) {
		char name[64] = "";
		struct pf_val v = { 0 };
		bool have = false;

		while ((ret = pb_next(&fields[k], &g, &why)) > 0) {
			if (g.id == 1 && g.wt == PB_LEN) {
				size_t len = (size_t)(g.sub.end - g.sub.p);

				if (len >= sizeof(name))
					len = sizeof(name) - 1;
				memcpy(name, g.sub.p, len);
				name[len] = '\0';
			} else if (g.id == 3 && g.wt == PB_LEN) {
				v = (struct pf_val){ true, 0, g.sub.p, (size_t)(g.sub.end - g.sub.p) };
				have = true;
			} else if ((g.id == 4 || g.id == 5) && g.wt == PB_VARINT) {
				v = (struct pf_val){ false, g.v, NULL, 0 };
				have = true;
			}
		}
		if (ret < 0)
			return pf_damaged(r, pf, fields[k].p, "generic ftrace event field", why);
		if (have && name[0] && (ret = set_named(r, pf, ev, name, &v)) < 0)
			return ret;
	}
	return 0;
}

/* A self-describing event (id >= 65536) by its descriptor */
int pf_decode_described(struct prs_reader *r, struct pf *pf, const struct pf_gdesc *d,
			    struct pb m, struct prs_event *ev)
{
	struct pb_field f;
	const char *why;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		const struct pf_gfield *gf = NULL;
		struct pf_val v = { 0 };

		for (uint32_t k = 0; k < d->nf; k++)
			if (d->f[k].number == f.id) {
				gf = &d->f[k];
				break;
			}
		if (!gf)
			continue;
		if (f.wt == PB_LEN) {
			v = (struct pf_val){ true, 0, f.sub.p, (size_t)(f.sub.end - f.sub.p) };
		} else {
			v.u = f.v;
			if (gf->type == 17)		/* TYPE_SINT32 */
				v.u = (uint64_t)(int64_t)(int32_t)pb_zigzag(f.v);
			else if (gf->type == 18)	/* TYPE_SINT64 */
				v.u = (uint64_t)pb_zigzag(f.v);
			else if (gf->type == 15)	/* TYPE_SFIXED32 */
				v.u = (uint64_t)(int64_t)(int32_t)(uint32_t)f.v;
		}
		if ((ret = set_named(r, pf, ev, gf->name, &v)) < 0)
			return ret;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "self-describing ftrace event", why);
	return 0;
}

/* generic_event_descriptors: GenericEventDescriptor{field_id, DescriptorProto} */
int pf_add_descriptor(struct prs_reader *r, struct pf *pf, struct pb m)
{
	struct pb_field f, g, h;
	struct pb desc = { NULL, NULL }, d;
	const char *why;
	int64_t field_id = -1;
	struct pf_gdesc *gd = NULL;
	struct pf_gfield fl[128];
	uint32_t nf = 0;
	const uint8_t *name = NULL;
	size_t name_len = 0;
	int ret;

	while ((ret = pb_next(&m, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_VARINT)
			field_id = (int64_t)(int32_t)f.v;
		else if (f.id == 2 && f.wt == PB_LEN)
			desc = f.sub;
	}
	if (ret < 0)
		return pf_damaged(r, pf, m.p, "generic event descriptor", why);
	if (field_id < FE_GENERIC_MIN || !desc.p)
		return pf_damaged(r, pf, m.p, "generic event descriptor", "no field id of 65536 or "
				  "more, or no descriptor");
	d = desc;
	while ((ret = pb_next(&d, &f, &why)) > 0) {
		if (f.id == 1 && f.wt == PB_LEN) {
			name = f.sub.p;
			name_len = (size_t)(f.sub.end - f.sub.p);
		} else if (f.id == 2 && f.wt == PB_LEN && nf < 128) {
			struct pb fd = f.sub;
			struct pf_gfield x = { 0 };

			while ((ret = pb_next(&fd, &g, &why)) > 0) {
				if (g.id == 1 && g.wt == PB_LEN) {
					x.name = prs_intern(r, (const char *)g.sub.p,
							    strnlen((const char *)g.sub.p,
								    (size_t)(g.sub.end - g.sub.p)));
					if (!x.name)
						return -PRS_ENOMEM;
				} else if (g.id == 3 && g.wt == PB_VARINT) {
					x.number = (uint32_t)g.v;
				} else if (g.id == 5 && g.wt == PB_VARINT) {
					x.type = (uint8_t)g.v;
				}
			}
			if (ret < 0)
				return pf_damaged(r, pf, fd.p, "generic event descriptor field", why);
			if (x.name && x.number)
				fl[nf++] = x;
		}
	}
	if (ret < 0)
		return pf_damaged(r, pf, d.p, "generic event descriptor", why);
	if (!name || !name_len)
		return pf_damaged(r, pf, desc.p, "generic event descriptor", "event without a name");
	(void)h;
	for (uint32_t k = 0; k < pf->nr_gdesc; k++)
		if (pf->gdesc[k].field_id == (uint32_t)field_id)
			gd = &pf->gdesc[k];
	if (!gd) {
		struct pf_gdesc *n;

		if (pf->nr_gdesc >= PF_MAX_GENERIC)
			return prs_fail(r, PRS_ELIMIT, false, pf_where(pf, m.p), "more than %u "
					"self-describing event formats", PF_MAX_GENERIC);
		n = realloc(pf->gdesc, (pf->nr_gdesc + 1) * sizeof(*n));
		if (!n)
			return -PRS_ENOMEM;
		pf->gdesc = n;
		gd = &pf->gdesc[pf->nr_gdesc++];
		memset(gd, 0, sizeof(*gd));
		gd->field_id = (uint32_t)field_id;
	}
	free(gd->f);
	gd->f = malloc((nf ? nf : 1) * sizeof(*gd->f));
	if (!gd->f) {
		gd->nf = 0;
		return -PRS_ENOMEM;
	}
	memcpy(gd->f, fl, nf * sizeof(*fl));
	gd->nf = nf;
	name_len = strnlen((const char *)name, name_len);
	return pf_named_type(r, (const char *)name, name_len, prs_kind_by_name((const char *)name, name_len),
			  &gd->t);
}
