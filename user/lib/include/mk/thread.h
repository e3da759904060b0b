/*
 * mk/thread.h - user threads over the kernel's mk_thread_* traps, and a
 * millisecond sleep.
 */
#ifndef _MK_THREAD_H_
#define _MK_THREAD_H_

#include <mach/kern_return.h>

/* Usable stack of a thread made by mk_thread_start. */
#define MK_THREAD_STACK_SIZE	(64u * 1024u)
/* Threads made by mk_thread_start that may exist at once in a task. */
#define MK_THREAD_MAX		128

/*
 * Start a thread of the calling task that runs fn(arg) on a new stack and
 * then ends (mk_thread_exit).  Returns its thread id (> 0), or a negative
 * kern_return_t: -KERN_RESOURCE_SHORTAGE when MK_THREAD_MAX threads are
 * live, the vm_allocate error when no stack could be had, or the kernel's
 * error from mk_thread_spawn.
 */
int mk_thread_start(void (*fn)(void *), void *arg);

/*
 * Wait for a thread made by mk_thread_start to end, then free its stack.
 * Returns KERN_SUCCESS, KERN_INVALID_ARGUMENT if tid is not such a thread
 * (or was already waited for), or the kernel's error from mk_thread_join
 * (then the thread stays and may be waited for again).
 */
kern_return_t mk_thread_wait(int tid);

/*
 * Block the calling thread for ms milliseconds (0: just yield), with
 * thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, ms).  Returns the
 * trap's result.
 */
kern_return_t mk_sleep_ms(unsigned int ms);

#endif /* _MK_THREAD_H_ */
