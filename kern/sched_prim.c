/*
 * The scheduler: priority run queues (round robin within a priority),
 * event waits with timeouts, blocking, direct handoff, and the idle
 * thread.  One CPU; the kernel is non-preemptible: a thread in the kernel
 * runs until it blocks or returns to user mode, where a pending
 * AST_PREEMPT makes it yield.
 */
#include <kern/assert.h>
#include <kern/clock.h>
#include <kern/printf.h>
#include <kern/sched_prim.h>
#include <kern/sched_switch.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <kern/trap_mi.h>
#include <machine/cpu.h>
#include <machine/pcb.h>
#include <machine/pmap.h>

#define WAIT_BUCKETS	64

struct thread *cpu_current_thread;
static struct qlink runq[NRQS];
static uint32_t runq_bits;		/* bit p set iff runq[p] is not empty */
static struct qlink wait_buckets[WAIT_BUCKETS];
static thread_t idle_thread;
unsigned long sched_switches;
unsigned long sched_handoffs;
void (*sched_switch_hook)(thread_t prev, thread_t next);	/* e.g. long-IPC window flush */
unsigned sched_switch_hook_threads;	/* threads with ith_lipc: the hook matters */

static inline struct qlink *bucket(event_t e)
{
	uintptr_t v = (uintptr_t)e;
	return &wait_buckets[(v ^ (v >> 6) ^ (v >> 12)) % WAIT_BUCKETS];
}

static void runq_insert(thread_t t, bool head)
{
	assert(!t->on_runq && t != idle_thread && t->state == TH_RUN);
	if (head)
		enqueue_head(&runq[t->priority], &t->rq_link);
	else
		enqueue_tail(&runq[t->priority], &t->rq_link);
	runq_bits |= 1u << t->priority;
	t->on_runq = true;
}

/* sched_runq_remove: take a runnable thread off its run queue (handoff). */
void sched_runq_remove(thread_t t)
{
	queue_remove(&t->rq_link);
	t->on_runq = false;
	if (queue_empty(&runq[t->priority]))
		runq_bits &= ~(1u << t->priority);
}

/* Highest-priority runnable thread, taken off its queue; idle if none. */
static thread_t choose_thread(void)
{
	if (runq_bits == 0)
		return idle_thread;
	int p = 31 - __builtin_clz(runq_bits);
	thread_t t = qlink_entry(runq[p].next, struct thread, rq_link);
	sched_runq_remove(t);
	return t;
}

/* context_switch: make `next` the running thread (nothing if it is already). */
static inline __attribute__((always_inline)) void context_switch(thread_t self, thread_t next)
{
	if (self != next)
		context_switch_to(self, next);
}

/* sched_init: empty run queues and wait buckets.  Once, at boot. */
void sched_init(void)
{
	for (int i = 0; i < NRQS; i++)
		queue_init(&runq[i]);
	for (int i = 0; i < WAIT_BUCKETS; i++)
		queue_init(&wait_buckets[i]);
}

/* thread_setrun: t becomes runnable at the tail of its priority queue. */
void thread_setrun(thread_t t)
{
	assert(t->state == TH_RUN);
	if (t == cpu_current_thread || t->on_runq || t == idle_thread)
		return;
	runq_insert(t, false);
	thread_t cur = cpu_current_thread;
	if (cur != NULL && (cur == idle_thread || t->priority > cur->priority)) {
		cur->ast |= AST_PREEMPT;
		ast_pending = 1;
	}
}

/* sched_runnable: anything besides idle ready to run? */
bool sched_runnable(void)
{
	return runq_bits != 0;
}

static void wait_timeout(void *arg)
{
	thread_t t = arg;
	t->wait_timer_armed = false;
	clear_wait(t, THREAD_TIMED_OUT);
}

/*
 * assert_wait: the current thread will wait for event.  It keeps running
 * until it calls thread_block().  event may be NULL (wait only for a
 * timeout or an explicit clear_wait).
 */
void assert_wait(event_t event, int interruptible)
{
	thread_t self = cpu_current_thread;
	assert(self->state == TH_RUN);
	self->state = TH_WAIT;
	self->wait_event = event;
	self->interruptible = interruptible;
	self->wait_result = THREAD_WAITING;
	if (event)
		enqueue_tail(bucket(event), &self->wait_link);
	if (interruptible && (self->ast & AST_TERMINATE))
		clear_wait(self, THREAD_INTERRUPTED);
}

/* assert_wait_timeout: assert_wait plus a timeout after `ticks` ticks. */
void assert_wait_timeout(event_t event, int interruptible, uint64_t nticks)
{
	thread_t self = cpu_current_thread;
	assert_wait(event, interruptible);
	if (self->state == TH_WAIT) {
		timer_call_setup(&self->wait_timer, wait_timeout, self);
		timer_call_enter(&self->wait_timer, nticks);
		self->wait_timer_armed = true;
	}
}

/* End t's wait: unlink it, cancel its timer, record the result. */
static bool end_wait(thread_t t, wait_result_t result)
{
	if (t->state != TH_WAIT)
		return false;
	if (result == THREAD_INTERRUPTED && !t->interruptible)
		return false;
	if (t->wait_event)
		queue_remove(&t->wait_link);
	t->wait_event = NULL;
	if (t->wait_timer_armed) {
		timer_call_cancel(&t->wait_timer);
		t->wait_timer_armed = false;
	}
	t->wait_result = result;
	t->state = TH_RUN;
	if (t->ith_fast == ITH_FAST_WAIT)
		t->ith_fast = ITH_FAST_NONE;	/* kern/thread.h: WAIT means TH_WAIT */
	return true;
}

/* clear_wait: see sched_prim.h. */
bool clear_wait(thread_t t, wait_result_t result)
{
	if (!end_wait(t, result))
		return false;
	thread_setrun(t);
	return true;
}

/* clear_wait_handoff: see sched_prim.h. */
void clear_wait_handoff(thread_t t, wait_result_t result)
{
	bool ended = end_wait(t, result);
	assert(ended);
	(void)ended;
}

/* thread_wakeup: wake every waiter on event. */
int thread_wakeup(event_t event)
{
	struct qlink *b = bucket(event);
	int n = 0;
	queue_foreach_safe(l, nx, b) {
		thread_t t = qlink_entry(l, struct thread, wait_link);
		if (t->wait_event == event) {
			clear_wait(t, THREAD_AWAKENED);
			n++;
		}
	}
	return n;
}

/* thread_wakeup_one: wake the longest waiter on event. */
thread_t thread_wakeup_one(event_t event)
{
	struct qlink *b = bucket(event);
	queue_foreach(l, b) {
		thread_t t = qlink_entry(l, struct thread, wait_link);
		if (t->wait_event == event) {
			clear_wait(t, THREAD_AWAKENED);
			return t;
		}
	}
	return NULL;
}

/*
 * thread_block: if the current thread's wait is still pending, switch to
 * the best runnable thread until the wait ends.  Returns the wait result
 * (THREAD_AWAKENED at once if the wait already ended or none was asserted).
 */
wait_result_t thread_block(void)
{
	thread_t self = cpu_current_thread;
	if (self->state == TH_WAIT || self->state == TH_DEAD)
		context_switch(self, choose_thread());
	return self->wait_result;
}

/* thread_yield: round robin; returns whether another thread ran. */
bool thread_yield(void)
{
	thread_t self = cpu_current_thread;
	self->ast &= ~AST_PREEMPT;
	if (!sched_runnable())
		return false;
	if (self != idle_thread) {
		int top = 31 - __builtin_clz(runq_bits);
		if (top < self->priority)
			return false;
		runq_insert(self, false);
	}
	context_switch(self, choose_thread());
	return true;
}

/* thread_handoff: see sched_prim.h. */
wait_result_t thread_handoff(thread_t next)
{
	thread_t self = cpu_current_thread;
	assert(next->state == TH_RUN && !next->on_runq && next != self);
	if (self->state == TH_RUN && self != idle_thread)
		runq_insert(self, false);
	sched_handoffs++;
	context_switch(self, next);
	return self->wait_result;
}

/* thread_sleep_ticks: block for nticks (a timeout with no event). */
wait_result_t thread_sleep_ticks(uint64_t nticks, int interruptible)
{
	assert_wait_timeout(NULL, interruptible, nticks);
	return thread_block();
}

/*
 * sched_tick: from the clock interrupt.  Fires due timeouts and charges
 * the running thread's quantum; when it runs out and a thread of equal or
 * higher priority is ready, asks for preemption at the next user return.
 */
void sched_tick(void)
{
	timer_expire(ticks);
	thread_t cur = cpu_current_thread;
	if (cur == NULL || cur == idle_thread)
		return;
	if (--cur->quantum <= 0 && runq_bits != 0 &&
	    31 - __builtin_clz(runq_bits) >= cur->priority) {
		cur->ast |= AST_PREEMPT;
		ast_pending = 1;
	}
}

static void idle_loop(void *arg __unused)
{
	for (;;) {
		if (sched_runnable()) {
			thread_yield();
			continue;
		}
		sti_halt();
		cli();
	}
}

/* sched_start_idle: create the idle thread (never on a run queue). */
void sched_start_idle(void);
void sched_start_idle(void)
{
	idle_thread = kernel_thread_create("idle", idle_loop, NULL, 0);
	/* kernel_thread_create queued it; idle lives off the queues */
	sched_runq_remove(idle_thread);
}

/*
 * sched_start: leave the boot stack for the best runnable thread.  The
 * boot context is never resumed.
 */
void sched_start(void)
{
	thread_t next = choose_thread();
	uint32_t boot_ksp;
	cpu_current_thread = next;
	next->quantum = QUANTUM_TICKS;
	pcb_switch_in(&next->pcb);
	switch_context(&boot_ksp, next->pcb.ksp, NULL);
	panic("sched_start: the boot context was resumed");
}
