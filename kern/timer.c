/*
 * Timer callouts: a deadline-sorted list checked at every tick.
 */
#include <kern/clock.h>
#include <kern/timer.h>
#include <machine/param.h>

static struct qlink pending = QLINK_INIT(pending);

/* timer_call_setup: initialise an unarmed call. */
void timer_call_setup(struct timer_call *tc, void (*fn)(void *), void *arg)
{
	tc->link.next = tc->link.prev = NULL;
	tc->fn = fn;
	tc->arg = arg;
	tc->deadline = 0;
}

/* timer_call_enter: see timer.h.  Interrupts off (kernel context). */
void timer_call_enter(struct timer_call *tc, uint64_t delta)
{
	if (qlink_linked(&tc->link))
		queue_remove(&tc->link);
	if (delta == 0)
		delta = 1;
	tc->deadline = ticks + delta;
	struct qlink *pos = pending.next;
	while (pos != &pending &&
	       qlink_entry(pos, struct timer_call, link)->deadline <= tc->deadline)
		pos = pos->next;
	queue_insert_before(pos, &tc->link);
}

/* timer_call_cancel: see timer.h. */
bool timer_call_cancel(struct timer_call *tc)
{
	if (!qlink_linked(&tc->link))
		return false;
	queue_remove(&tc->link);
	return true;
}

/* timer_expire: fire due calls in deadline order.  Clock interrupt. */
void timer_expire(uint64_t now)
{
	while (!queue_empty(&pending)) {
		struct timer_call *tc = qlink_entry(pending.next, struct timer_call, link);
		if (tc->deadline > now)
			break;
		queue_remove(&tc->link);
		tc->fn(tc->arg);
	}
}

/* ms_to_ticks: round up so a timeout never fires early. */
uint64_t ms_to_ticks(uint32_t ms)
{
	return ((uint64_t)ms * HZ + 999) / 1000;
}
