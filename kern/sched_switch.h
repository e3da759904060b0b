/*
 * The context switch, inline: for the scheduler (kern/sched_prim.c) and
 * for the message hot path's handoff (ipc/mach_msg_fast.c), which must
 * not pay for a call and for the general checks of thread_handoff.
 *
 * Interrupts are off, as everywhere in the kernel; the caller has made
 * `next` runnable and off every queue, and has set the current thread's
 * state (TH_WAIT to block, TH_RUN if it is on a run queue already).
 */
#ifndef _KERN_SCHED_SWITCH_H_
#define _KERN_SCHED_SWITCH_H_

#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <kern/trap_mi.h>
#include <machine/pcb.h>
#include <machine/pmap.h>

/*
 * context_switch_to: make `next` (!= self) the running thread: its
 * address space, its kernel stack for the next trap, its ASTs.  Returns
 * when `self` runs again.
 */
static inline __attribute__((always_inline)) void context_switch_to(thread_t self, thread_t next)
{
	sched_switches++;
	TRACE(SCHED, "switch to %d (%s)", next->id, next->name);
	cpu_current_thread = next;
	next->quantum = QUANTUM_TICKS;
	if (next->task && next->task->pmap)
		pmap_activate(next->task->pmap);
	pcb_switch_in(&next->pcb);
	/* the long-IPC window only matters around threads that use it */
	if (sched_switch_hook_threads && (next->ith_lipc != NULL || self->ith_lipc != NULL))
		sched_switch_hook(self, next);
	ast_pending = next->ast != 0;
	switch_context(&self->pcb.ksp, next->pcb.ksp, self);
	/* running as self again */
}

/*
 * thread_handoff_waiting: thread_handoff (sched_prim.h) for the common
 * case of the message hot path: the current thread has asserted a wait
 * (TH_WAIT) and `next` was taken off its wait with clear_wait_handoff,
 * so no run queue is touched.  Returns the current thread's wait result
 * once it runs again.
 */
static inline __attribute__((always_inline)) wait_result_t
thread_handoff_waiting(thread_t self, thread_t next)
{
	sched_handoffs++;
	context_switch_to(self, next);
	return self->wait_result;
}

#endif
