/*
 * Timer callouts, in clock ticks.
 *
 * A timer_call fires fn(arg) from the clock interrupt once the tick count
 * reaches its deadline.  Pending calls are kept sorted by deadline.  The
 * callout runs with interrupts off in interrupt context: it may wake
 * threads but must not block.
 */
#ifndef _KERN_TIMER_H_
#define _KERN_TIMER_H_

#include <kern/queue.h>

struct timer_call {
	struct qlink link;		/* on the pending list while armed */
	uint64_t deadline;		/* tick */
	void (*fn)(void *arg);
	void *arg;
};

void timer_call_setup(struct timer_call *tc, void (*fn)(void *), void *arg);
/* Arm (or re-arm) tc to fire `delta` ticks from now (at least one tick). */
void timer_call_enter(struct timer_call *tc, uint64_t delta);
/* Disarm; returns true if it was pending. */
bool timer_call_cancel(struct timer_call *tc);
/* Run every call whose deadline has passed (from the clock interrupt). */
void timer_expire(uint64_t now);

/* Milliseconds to ticks, rounding up; 0 stays 0. */
uint64_t ms_to_ticks(uint32_t ms);

#endif
