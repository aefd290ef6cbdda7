// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading ahead (PRS_OPT_AHEAD): the format's reader runs on a thread of
 * its own and hands its events over in batches, so that decoding the next
 * events and analysing the previous ones overlap on two CPUs.
 *
 * The consumer sees exactly the stream prs_next() gives without it: the
 * same events in the same order, then the same end (0) or the same error,
 * after the events that preceded it.  An event's short-lived strings (comm,
 * the sched_switch comms, a print's text) point into the buffer of its
 * batch, which is not reused before the next prs_next() call; interned
 * strings are the reader's as always.
 *
 * Memory: PRS_AHEAD_BATCHES batches of PRS_AHEAD_EVENTS events and their
 * strings, whatever the size of the trace.  Nothing is allocated per event:
 * a batch's string buffer only grows for a string longer than it (a print
 * of a few KB), once.
 */
#include <stdlib.h>
#include <string.h>

#include "parsers-local.h"

#define PRS_AHEAD_EVENTS	1024		/* per batch */
#define PRS_AHEAD_BATCHES	4		/* in flight */
#define PRS_AHEAD_TEXT		(PRS_AHEAD_EVENTS * 24)	/* string bytes per batch, to start with */

struct prs_batch {
	struct prs_event	ev[PRS_AHEAD_EVENTS];
	int			n;
	int			status;	/* after ev[n-1]: 1 more follow, 0 end, <0 error */
	char			*text;
	size_t			text_len, text_cap;
};

struct prs_ahead {
	pthread_t		thread;
	bool			started;	/* not yet joined */
	struct prs_handoff	h;		/* of batch[] */
	struct prs_batch	batch[PRS_AHEAD_BATCHES];
	struct prs_batch	*cur;		/* the consumer's batch, NULL between batches */
	int			pos;		/* next event of cur */

	bool			have_carry;	/* read, did not fit in the last batch */
	struct prs_event	carry;
};

/* @s (@len bytes) copied into @b's strings: there is room (batch_room()). */
static const char *batch_str(struct prs_batch *b, const char *s, size_t len)
{
	char *d = b->text + b->text_len;

	memcpy(d, s, len);
	d[len] = 0;
	b->text_len += len + 1;
	return d;
}

/* Room for @need more string bytes; an empty batch grows to hold them. */
static bool batch_room(struct prs_batch *b, size_t need)
{
	char *t;

	if (need <= b->text_cap - b->text_len)
		return true;
	if (b->n)
		return false;
	t = realloc(b->text, need);
	if (!t)
		return false;
	b->text = t;
	b->text_cap = need;
	return true;
}

/*
 * Make the event the reader just wrote at b->ev[b->n] the batch's: its
 * strings that live only until the reader's next call are copied in (comm
 * stays where it is when the reader keeps comms until it is closed).
 * false: no room (the batch has events: publish it, the event goes first
 * into the next one), or no memory.
 */
static bool batch_take(const struct prs_reader *r, struct prs_batch *b)
{
	struct prs_event *d = &b->ev[b->n];
	size_t lc = 0, lp = 0, ln = 0, lt = 0;

	if (r->comm_stable && d->kind != PRS_EV_SCHED_SWITCH && d->kind != PRS_EV_PRINT) {
		b->n++;		/* nothing of it lives only until the next call */
		return true;
	}
	if (d->comm && !r->comm_stable)
		lc = strlen(d->comm) + 1;
	if (d->kind == PRS_EV_SCHED_SWITCH) {
		lp = d->u.sw.prev_comm ? strlen(d->u.sw.prev_comm) + 1 : 0;
		ln = d->u.sw.next_comm ? strlen(d->u.sw.next_comm) + 1 : 0;
	} else if (d->kind == PRS_EV_PRINT && d->u.print.text) {
		lt = d->u.print.len + 1;
	}
	if (!batch_room(b, lc + lp + ln + lt))
		return false;
	if (lc)
		d->comm = batch_str(b, d->comm, lc - 1);
	if (lp)
		d->u.sw.prev_comm = batch_str(b, d->u.sw.prev_comm, lp - 1);
	if (ln)
		d->u.sw.next_comm = batch_str(b, d->u.sw.next_comm, ln - 1);
	if (lt)
		d->u.print.text = batch_str(b, d->u.print.text, lt - 1);
	b->n++;
	return true;
}

/* The format reader's next event, as prs_next() would return it. */
static int inner_next(struct prs_reader *r, struct prs_event *ev)
{
	int ret = r->ops->next(r, ev);

	if (ret < 0 && !r->err)
		ret = prs_fail_file(r, ret, "%s", prs_strerror(ret));
	return ret;
}

/* Fill @b; its status says what follows it. */
static void fill(struct prs_reader *r, struct prs_ahead *p, struct prs_batch *b)
{
	b->n = 0;
	b->text_len = 0;
	b->status = 1;
	if (p->have_carry) {
		/* read by the last fill(), its strings still the reader's */
		p->have_carry = false;
		b->ev[0] = p->carry;
		if (!batch_take(r, b)) {
			b->status = prs_fail_file(r, PRS_ENOMEM, "%s", prs_strerror(PRS_ENOMEM));
			return;
		}
	}
	while (b->n < PRS_AHEAD_EVENTS) {
		int ret = inner_next(r, &b->ev[b->n]);

		if (ret <= 0) {
			b->status = ret;
			return;
		}
		if (!batch_take(r, b)) {
			if (!b->n) {
				b->status = prs_fail_file(r, PRS_ENOMEM, "%s",
							  prs_strerror(PRS_ENOMEM));
				return;
			}
			p->carry = b->ev[b->n];
			p->have_carry = true;
			return;
		}
	}
}

static void *ahead_thread(void *arg)
{
	struct prs_reader *r = arg;
	struct prs_ahead *p = r->ahead;
	int i;

	while ((i = prs_handoff_slot(&p->h)) >= 0) {
		struct prs_batch *b = &p->batch[i];

		fill(r, p, b);
		prs_handoff_publish(&p->h);
		if (b->status <= 0)
			break;
	}
	return NULL;
}

/* Stop the thread (if it runs) and wait for it. */
static void ahead_stop(struct prs_ahead *p)
{
	if (!p->started)
		return;
	prs_handoff_stop(&p->h);
	pthread_join(p->thread, NULL);
	p->started = false;
}

int prs_ahead_start(struct prs_reader *r)
{
	struct prs_ahead *p = calloc(1, sizeof(*p));

	if (!p)
		return -PRS_ENOMEM;
	for (int i = 0; i < PRS_AHEAD_BATCHES; i++) {
		p->batch[i].text = malloc(PRS_AHEAD_TEXT);
		if (!p->batch[i].text)
			goto nomem;
		p->batch[i].text_cap = PRS_AHEAD_TEXT;
	}
	prs_handoff_init(&p->h, PRS_AHEAD_BATCHES);
	r->ahead = p;
	if (pthread_create(&p->thread, NULL, ahead_thread, r)) {
		/* no thread: read on the caller's */
		prs_ahead_free(r);
		return 0;
	}
	p->started = true;
	return 0;
nomem:
	for (int i = 0; i < PRS_AHEAD_BATCHES; i++)
		free(p->batch[i].text);
	free(p);
	return -PRS_ENOMEM;
}

int prs_ahead_next(struct prs_reader *r, struct prs_event *ev)
{
	struct prs_ahead *p = r->ahead;
	int i;

	for (;;) {
		if (p->cur) {
			if (p->pos < p->cur->n) {
				*ev = p->cur->ev[p->pos++];
				return 1;
			}
			if (p->cur->status <= 0)
				return p->cur->status;	/* and again on every later call */
			p->cur = NULL;
			prs_handoff_release(&p->h);
		}
		i = prs_handoff_take(&p->h);
		if (i < 0)
			return prs_fail_file(r, PRS_EIO, "reading stopped before the end of the trace");
		p->cur = &p->batch[i];
		p->pos = 0;
	}
}

/*
 * The thread is done (or stopped): the reader's state (stats, error) is
 * the caller's again.  Stopping before the end leaves the events not yet
 * decoded unread; those decoded are still handed out.
 */
void prs_ahead_quiesce(struct prs_reader *r)
{
	if (r->ahead)
		ahead_stop(r->ahead);
}

void prs_ahead_free(struct prs_reader *r)
{
	struct prs_ahead *p = r->ahead;

	if (!p)
		return;
	ahead_stop(p);
	prs_handoff_destroy(&p->h);
	for (int i = 0; i < PRS_AHEAD_BATCHES; i++)
		free(p->batch[i].text);
	free(p);
	r->ahead = NULL;
}
