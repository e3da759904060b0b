/*
 * mach_msg and mach_msg_overwrite: the library's send/receive calls.
 *
 * They behave as XNU's libsyscall versions: MACH_SEND_INTERRUPT and
 * MACH_RCV_INTERRUPT are library options and are never passed to the
 * kernel (so they cannot keep a call off the kernel's fast path).  Unless
 * MACH_SEND_INTERRUPT was given, a call that fails with
 * MACH_SEND_INTERRUPTED is made again whole.  Unless MACH_RCV_INTERRUPT was
 * given, a call that fails with MACH_RCV_INTERRUPTED is made again as a
 * receive only: the send half, if any, has completed by then.
 *
 * mach_msg_destroy() is in mach_msg_destroy.c.
 */
#include <mach/mach.h>

#define LIBRARY_OPTIONS	(MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT)

/*
 * mach_msg: send and/or receive one message as option says, restarting
 * interrupted phases as described above.  Returns MACH_MSG_SUCCESS or the
 * kernel's mach_msg_return_t.
 */
mach_msg_return_t mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
			   mach_msg_size_t send_size,
			   mach_msg_size_t rcv_size,
			   mach_port_name_t rcv_name,
			   mach_msg_timeout_t timeout,
			   mach_port_name_t notify)
{
	mach_msg_option_t kopt = option & ~LIBRARY_OPTIONS;
	mach_msg_return_t mr;

	mr = mach_msg_trap(msg, kopt, send_size, rcv_size, rcv_name,
	    timeout, notify);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	while (mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT))
		mr = mach_msg_trap(msg, kopt, send_size, rcv_size, rcv_name,
		    timeout, notify);
	while (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))
		mr = mach_msg_trap(msg, kopt & ~MACH_SEND_MSG, 0, rcv_size,
		    rcv_name, timeout, notify);
	return mr;
}

/*
 * mach_msg_overwrite: as mach_msg, but a message is received into rcv_msg
 * (rcv_limit bytes) when rcv_msg is not null.  Returns MACH_MSG_SUCCESS or
 * the kernel's mach_msg_return_t.
 */
mach_msg_return_t mach_msg_overwrite(mach_msg_header_t *msg,
				     mach_msg_option_t option,
				     mach_msg_size_t send_size,
				     mach_msg_size_t rcv_size,
				     mach_port_name_t rcv_name,
				     mach_msg_timeout_t timeout,
				     mach_port_name_t notify,
				     mach_msg_header_t *rcv_msg,
				     mach_msg_size_t rcv_limit)
{
	mach_msg_option_t kopt = option & ~LIBRARY_OPTIONS;
	mach_msg_return_t mr;

	mr = mach_msg_overwrite_trap(msg, kopt, send_size, rcv_size,
	    rcv_name, timeout, notify, rcv_msg, rcv_limit);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	while (mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT))
		mr = mach_msg_overwrite_trap(msg, kopt, send_size, rcv_size,
		    rcv_name, timeout, notify, rcv_msg, rcv_limit);
	while (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))
		mr = mach_msg_overwrite_trap(msg, kopt & ~MACH_SEND_MSG, 0,
		    rcv_size, rcv_name, timeout, notify, rcv_msg, rcv_limit);
	return mr;
}
