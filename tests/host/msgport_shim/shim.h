/*
 * Controls of the host shim for the tests (not part of the kernel API).
 *
 * Model: simulated kernel threads are pthreads of which exactly one runs
 * at a time; the running one holds a baton and hands it over only in
 * thread_block, thread_yield and kernel_thread_exit (a non-preemptible
 * uniprocessor kernel).  The scheduler picks the highest priority runnable
 * thread, FIFO within a priority.  In "preempt" mode a wakeup or thread
 * creation that makes a higher-priority thread runnable also switches to
 * it, at once or at the closing crit_exit: tests must pass in both modes.
 * If every thread is blocked and none has a timeout the shim reports a
 * deadlock ("Bail out!") and exits 3; timeouts run on a virtual clock that
 * advances only when nothing is runnable.  Blocking inside a critical
 * section is reported as a bug.
 *
 * CPUs: lwkt_mycpu() returns the current fake CPU (shim_set_cpu);
 * lwkt_send_remote queues (cpu, fn, arg) until shim_remote_deliver(cpu)
 * runs them in FIFO order with the fake CPU switched to cpu.
 */
#ifndef _SHIM_H_
#define _SHIM_H_

#include <stddef.h>
#include <kern/thread.h>
#include <kern/sched_prim.h>

/* Turn the calling pthread into simulated thread "main" (priority 16). */
void shim_init(void);
/* Reap exited threads (call when no test thread is left running). */
void shim_reap(void);

void shim_set_preempt(int on);

/* Thread states for shim_thread_state. */
#define SHIM_RUNNABLE	0	/* running or on the run queue */
#define SHIM_WAITING	1	/* blocked in thread_block */
#define SHIM_DEAD	2
int shim_thread_state(thread_t td);
/* The event td is blocked on, or NULL. */
event_t shim_thread_event(thread_t td);

/* Fake CPUs and the remote-delivery seam. */
void shim_set_cpu(int cpu);
int shim_get_cpu(void);
int shim_remote_pending(int cpu);
int shim_remote_deliver(int cpu);	/* returns how many ran */
unsigned long shim_remote_sent(void);	/* total lwkt_send_remote calls */

/* Captured serial output. */
const char *shim_serial_text(size_t *len);
void shim_serial_reset(void);

/* Registered tests (shim ktest.h). */
struct ktest_desc;
int ktest_registered(const struct ktest_desc ***list);

#endif
