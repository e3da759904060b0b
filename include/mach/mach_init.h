/*
 * mach/mach_init.h - the task's well-known ports, as the user library
 * caches them at start-up (XNU libsyscall mach/mach_init.h).
 */
#ifndef _MACH_MACH_INIT_H_
#define _MACH_MACH_INIT_H_

#include <mach/mach_types.h>

#ifndef KERNEL

/*
 * Send right to the calling task, obtained once at start-up.  The caller
 * must not deallocate it.
 */
extern mach_port_t	mach_task_self_;
#define mach_task_self()	mach_task_self_
#define current_task()		mach_task_self()

/* These return a new send right (one more user reference) on each call. */
extern mach_port_t	mach_thread_self(void);
extern mach_port_t	mach_host_self(void);

#endif /* !KERNEL */

#endif /* _MACH_MACH_INIT_H_ */
