/*
 * Scheduling primitives: waiting on events, waking, blocking, handoff.
 *
 * Protocol (classic Mach): a thread that must wait calls assert_wait()
 * (or assert_wait_timeout()), then re-checks its condition, then calls
 * thread_block().  A wakeup that comes between the two makes
 * thread_block() return at once.  The kernel is uniprocessor and
 * non-preemptible (interrupts are off in kernel code), so nothing can
 * intervene between the check and the block except what the thread itself
 * does; interrupt handlers only run while a thread is in user mode or idle.
 *
 * Wait results: THREAD_AWAKENED (thread_wakeup or clear_wait),
 * THREAD_TIMED_OUT, THREAD_INTERRUPTED (thread_abort, termination; only
 * for THREAD_INTERRUPTIBLE waits), THREAD_RESTART.
 */
#ifndef _KERN_SCHED_PRIM_H_
#define _KERN_SCHED_PRIM_H_

#include <kern/types.h>

typedef const void *event_t;
typedef int wait_result_t;

#define THREAD_WAITING		-1
#define THREAD_AWAKENED		0
#define THREAD_TIMED_OUT	1
#define THREAD_INTERRUPTED	2
#define THREAD_RESTART		3

#define THREAD_UNINT		0
#define THREAD_INTERRUPTIBLE	1

#define NRQS			32	/* priorities 0 (lowest) .. 31 */
#define BASEPRI_USER		12
#define BASEPRI_KERNEL		24
#define QUANTUM_TICKS		5	/* 50 ms at HZ = 100 */

struct thread;

void sched_init(void);
void assert_wait(event_t event, int interruptible);
void assert_wait_timeout(event_t event, int interruptible, uint64_t ticks);
wait_result_t thread_block(void);
/* Wake every thread waiting on event; returns how many. */
int thread_wakeup(event_t event);
/* Wake the first thread waiting on event; returns it (or NULL). */
struct thread *thread_wakeup_one(event_t event);
/*
 * clear_wait: end t's wait with result (THREAD_INTERRUPTED ends only an
 * interruptible wait).  Returns true if t was waiting and is now runnable.
 */
bool clear_wait(struct thread *t, wait_result_t result);
/* Give up the CPU to a runnable thread of at least equal priority. */
bool thread_yield(void);
/*
 * thread_handoff: switch straight to `next`, a thread whose wait the
 * caller has just ended with clear_wait_handoff(); the current thread
 * blocks if it asserted a wait, or stays runnable otherwise.  No run
 * queue trip and no scheduling decision for `next`.  Returns the current
 * thread's wait result once it runs again.
 */
wait_result_t thread_handoff(struct thread *next);
/*
 * clear_wait_handoff: end t's wait with result, but do not put it on a
 * run queue: the caller will hand the CPU to it with thread_handoff().
 */
void clear_wait_handoff(struct thread *t, wait_result_t result);
/* Take a runnable thread off its run queue (before a handoff to it). */
void sched_runq_remove(struct thread *t);
/* Make t runnable (it must not be waiting or on a queue). */
void thread_setrun(struct thread *t);
/* Is any thread other than idle runnable? */
bool sched_runnable(void);
/* Called from the clock interrupt: quantum accounting, timeouts. */
void sched_tick(void);
/* Sleep for ticks (uninterruptible unless interruptible is set). */
wait_result_t thread_sleep_ticks(uint64_t ticks, int interruptible);

/* Create the idle thread; then leave the boot stack for good. */
void sched_start_idle(void);
void sched_start(void) __noreturn;

/*
 * The long-IPC window's switch hook (kern/long_ipc.c installs it):
 * context_switch calls it, while sched_switch_hook_threads (threads with
 * long-IPC state) is not 0, when the outgoing or incoming thread has such
 * state.
 */
struct thread;
extern void (*sched_switch_hook)(struct thread *prev, struct thread *next);
extern unsigned sched_switch_hook_threads;	/* changed: mach_msg_asm_update() */

extern unsigned long sched_switches;	/* context switches done */
extern unsigned long sched_handoffs;	/* of which direct handoffs */

#endif
