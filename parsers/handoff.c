// SPDX-License-Identifier: GPL-2.0-only
/*
 * A ring of n slots handed in order from one producer thread to one
 * consumer: the zstd input's decompression thread (input.c) and the reader
 * decoding ahead (ahead.c).  Only the indices travel here; what a slot
 * holds is the caller's.  The producer owns slot tail while it fills it,
 * the consumer owns slot head from prs_handoff_take() to
 * prs_handoff_release().
 */
#include "parsers-local.h"

void prs_handoff_init(struct prs_handoff *h, unsigned int n)
{
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->data, NULL);
	pthread_cond_init(&h->space, NULL);
	h->n = n;
	h->head = h->tail = h->full = 0;
	h->stop = false;
}

void prs_handoff_destroy(struct prs_handoff *h)
{
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->data);
	pthread_cond_destroy(&h->space);
}

int prs_handoff_slot(struct prs_handoff *h)
{
	int i;

	pthread_mutex_lock(&h->lock);
	while (h->full == h->n && !h->stop)
		pthread_cond_wait(&h->space, &h->lock);
	i = h->stop ? -1 : (int)h->tail;
	pthread_mutex_unlock(&h->lock);
	return i;
}

void prs_handoff_publish(struct prs_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->tail = (h->tail + 1) % h->n;
	h->full++;
	pthread_cond_signal(&h->data);
	pthread_mutex_unlock(&h->lock);
}

int prs_handoff_take(struct prs_handoff *h)
{
	int i;

	pthread_mutex_lock(&h->lock);
	while (!h->full && !h->stop)
		pthread_cond_wait(&h->data, &h->lock);
	i = h->full ? (int)h->head : -1;
	pthread_mutex_unlock(&h->lock);
	return i;
}

void prs_handoff_release(struct prs_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->head = (h->head + 1) % h->n;
	h->full--;
	pthread_cond_signal(&h->space);
	pthread_mutex_unlock(&h->lock);
}

void prs_handoff_stop(struct prs_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_broadcast(&h->space);
	pthread_cond_broadcast(&h->data);
	pthread_mutex_unlock(&h->lock);
}
