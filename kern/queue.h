/*
 * Intrusive doubly-linked circular lists with a head sentinel.
 *
 * A list head is a struct qlink whose next/prev point at itself when the
 * list is empty.  An element embeds a struct qlink; qlink_entry() gets
 * back to the element.  An unlinked element has next == prev == NULL.
 */
#ifndef _KERN_QUEUE_H_
#define _KERN_QUEUE_H_

#include <kern/types.h>

struct qlink {
	struct qlink *next, *prev;
};

#define QLINK_INIT(h)	{ &(h), &(h) }
#define qlink_entry(l, type, member) container_of(l, type, member)

static inline void queue_init(struct qlink *h) { h->next = h->prev = h; }
static inline bool queue_empty(const struct qlink *h) { return h->next == h; }
static inline bool qlink_linked(const struct qlink *l) { return l->next != NULL; }

static inline void queue_insert_before(struct qlink *pos, struct qlink *l)
{
	l->next = pos;
	l->prev = pos->prev;
	pos->prev->next = l;
	pos->prev = l;
}
static inline void enqueue_tail(struct qlink *h, struct qlink *l) { queue_insert_before(h, l); }
static inline void enqueue_head(struct qlink *h, struct qlink *l) { queue_insert_before(h->next, l); }

static inline void queue_remove(struct qlink *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->next = l->prev = NULL;
}

static inline struct qlink *dequeue_head(struct qlink *h)
{
	if (queue_empty(h))
		return NULL;
	struct qlink *l = h->next;
	queue_remove(l);
	return l;
}

#define queue_foreach(l, h) \
	for (struct qlink *l = (h)->next; l != (h); l = l->next)
#define queue_foreach_safe(l, n, h) \
	for (struct qlink *l = (h)->next, *n = l->next; l != (h); l = n, n = l->next)

#endif
