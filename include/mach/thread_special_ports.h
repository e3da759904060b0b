/*
 * mach/thread_special_ports.h - selectors for thread_get_special_port and
 * thread_set_special_port (XNU osfmk/mach/thread_special_ports.h).
 */
#ifndef _MACH_THREAD_SPECIAL_PORTS_H_
#define _MACH_THREAD_SPECIAL_PORTS_H_

#define THREAD_KERNEL_PORT	1	/* the thread's own control port */
#define THREAD_INSPECT_PORT	2	/* inspect-only thread port */
#define THREAD_READ_PORT	3	/* read-only thread port */

#define THREAD_MAX_SPECIAL_PORT	THREAD_READ_PORT

#define thread_get_kernel_port(thread, port)	\
	(thread_get_special_port((thread), THREAD_KERNEL_PORT, (port)))
#define thread_set_kernel_port(thread, port)	\
	(thread_set_special_port((thread), THREAD_KERNEL_PORT, (port)))

#endif /* _MACH_THREAD_SPECIAL_PORTS_H_ */
