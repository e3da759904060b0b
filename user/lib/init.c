/*
 * Library start-up and the task's well-known ports (<mach/mach_init.h>).
 */
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include "libmk.h"

/* Send right to the calling task, set before main runs. */
mach_port_t mach_task_self_ = MACH_PORT_NULL;

/*
 * __libmk_init: called once by _start before main, on the first thread.
 * Caches the task's self port and its bootstrap port (a send right to the
 * name service, or MACH_PORT_NULL), as libsyscall's mach_init does.
 */
void __libmk_init(void)
{
	mach_task_self_ = task_self_trap();
	if (task_get_special_port(mach_task_self_, TASK_BOOTSTRAP_PORT,
	    &bootstrap_port) != KERN_SUCCESS)
		bootstrap_port = MACH_PORT_NULL;
}

/*
 * mach_thread_self: a send right to the calling thread's kernel port.
 * Each call adds a user reference, which the caller must release.
 */
mach_port_t mach_thread_self(void)
{
	return thread_self_trap();
}

/*
 * mach_host_self: a send right to the host port.  Each call adds a user
 * reference, which the caller must release.
 */
mach_port_t mach_host_self(void)
{
	return host_self_trap();
}
