/*
 * Host shim of the Mach-style wait/wakeup API (see shim.c); the
 * signatures follow kern/sched_prim.h.
 */
#ifndef _SHIM_KERN_SCHED_PRIM_H_
#define _SHIM_KERN_SCHED_PRIM_H_

#include <kern/types.h>

struct thread;

typedef const void *event_t;
typedef int wait_result_t;

#define THREAD_WAITING		-1
#define THREAD_AWAKENED		0
#define THREAD_TIMED_OUT	1
#define THREAD_INTERRUPTED	2
#define THREAD_RESTART		3

#define THREAD_UNINT		0
#define THREAD_INTERRUPTIBLE	1

void assert_wait(event_t ev, int interruptible);
void assert_wait_timeout(event_t ev, int interruptible, uint64_t ticks);
wait_result_t thread_block(void);
int thread_wakeup(event_t ev);
struct thread *thread_wakeup_one(event_t ev);
bool thread_yield(void);

#endif
