/*
 * mach/mach_traps.h - user-space entry points of the Mach traps.
 *
 * These are the raw traps: no restart on interruption, no argument help.
 * Trap numbers are in <mach/syscall_sw.h>.  The kernel's side of each trap
 * is private to the kernel, so nothing is declared for KERNEL builds.
 */
#ifndef _MACH_MACH_TRAPS_H_
#define _MACH_MACH_TRAPS_H_

#include <mach/std_types.h>
#include <mach/message.h>

#ifndef KERNEL

/* Make a new port; the caller gets its receive right. */
extern mach_port_name_t		mach_reply_port(void);

/* Each returns a new send right (user reference) to the object. */
extern mach_port_name_t		thread_self_trap(void);
extern mach_port_name_t		task_self_trap(void);
extern mach_port_name_t		host_self_trap(void);

extern mach_msg_return_t	mach_msg_trap(
	mach_msg_header_t	*msg,
	mach_msg_option_t	option,
	mach_msg_size_t		send_size,
	mach_msg_size_t		rcv_size,
	mach_port_name_t	rcv_name,
	mach_msg_timeout_t	timeout,
	mach_port_name_t	notify);

extern mach_msg_return_t	mach_msg_overwrite_trap(
	mach_msg_header_t	*msg,
	mach_msg_option_t	option,
	mach_msg_size_t		send_size,
	mach_msg_size_t		rcv_size,
	mach_port_name_t	rcv_name,
	mach_msg_timeout_t	timeout,
	mach_port_name_t	notify,
	mach_msg_header_t	*rcv_msg,
	mach_msg_size_t		rcv_limit);

/* Yield the CPU; return whether other threads were runnable. */
extern boolean_t		swtch_pri(int pri);
extern boolean_t		swtch(void);

/* Yield, preferably to thread_name; option is SWITCH_OPTION_*. */
extern kern_return_t		thread_switch(
	mach_port_name_t	thread_name,
	int			option,
	mach_msg_timeout_t	option_time);

#endif /* !KERNEL */

#endif /* _MACH_MACH_TRAPS_H_ */
