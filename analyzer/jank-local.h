/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Between the two jank files: jank.c (atrace frames, the late list, the
 * model) and jank-timeline.c (the frame timeline's frames).
 */
#ifndef ALLOCSCOPE_JANK_LOCAL_H
#define ALLOCSCOPE_JANK_LOCAL_H

#include "analyzer-local.h"

struct anl_jank_tl;

/* jank.c */
struct anl_jank *anl_jank_model(struct anl_jank_ctx *j);
struct anl_jank_tl **anl_jank_tl_slot(struct anl_jank_ctx *j);
/* a late frame into the list the report shows (the most late kept) */
void anl_jank_list(struct anl_jank_ctx *j, const struct anl_jank_frame *f);
/* a stall overlapping @f by @ov ns: counted, listed among its ANL_JANK_STALLS longest overlaps */
void anl_jank_list_stall(struct anl_jank_frame *f, const struct anl_jank_stall *st, uint64_t ov,
			 bool render_thread);

/* jank-timeline.c */
int  anl_jank_tl_frame(struct anl_jank_ctx *j, const struct prs_event *ev, uint64_t last_lost_ts);
/* a stall of @tid (its process @tgid, -1 unknown) that ended now */
void anl_jank_tl_stall(struct anl_jank_ctx *j, int32_t tid, int32_t tgid,
		       const struct anl_jank_stall *st);
void anl_jank_tl_finish(struct anl_jank_ctx *j);
void anl_jank_tl_free(struct anl_jank_ctx *j);

#endif /* ALLOCSCOPE_JANK_LOCAL_H */
