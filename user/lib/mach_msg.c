/*
 * mach_msg and mach_msg_overwrite: the library's send/receive calls.
 *
 * Their entry points are in mach_msg.S: a call without library options
 * traps straight from there with the caller's own argument words (the
 * trap reads them where a stub's would be) and comes here only when the
 * trap returns an interrupted result.  The C routines below do the rest.
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
#include "mach_msg_entry.h"

#define LIBRARY_OPTIONS	(MACH_SEND_INTERRUPT | MACH_RCV_INTERRUPT)

_Static_assert(LIBMK_MSG_LIBRARY_OPTIONS == LIBRARY_OPTIONS, "mach_msg.S library options");
_Static_assert(LIBMK_SEND_INTERRUPTED == MACH_SEND_INTERRUPTED, "mach_msg.S send interrupted");
_Static_assert(LIBMK_RCV_INTERRUPTED == MACH_RCV_INTERRUPTED, "mach_msg.S receive interrupted");

/*
 * mach_msg_overwrite_interrupted: the rest of a mach_msg_overwrite whose
 * trap returned mr, MACH_SEND_INTERRUPTED or MACH_RCV_INTERRUPTED, for a
 * call without library options (mach_msg.S makes the first trap itself).
 * Restarts as described above; returns the final mach_msg_return_t.
 */
mach_msg_return_t mach_msg_overwrite_interrupted(mach_msg_return_t mr,
						 mach_msg_header_t *msg,
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

	while (mr == MACH_SEND_INTERRUPTED && !(option & MACH_SEND_INTERRUPT))
		mr = mach_msg_overwrite_trap(msg, kopt, send_size, rcv_size,
		    rcv_name, timeout, notify, rcv_msg, rcv_limit);
	while (mr == MACH_RCV_INTERRUPTED && !(option & MACH_RCV_INTERRUPT))
		mr = mach_msg_overwrite_trap(msg, kopt & ~MACH_SEND_MSG, 0,
		    rcv_size, rcv_name, timeout, notify, rcv_msg, rcv_limit);
	return mr;
}

/*
 * mach_msg_overwrite_library: mach_msg_overwrite for a call with library
 * options, which the kernel must not see.  Returns MACH_MSG_SUCCESS or the
 * kernel's mach_msg_return_t.
 */
mach_msg_return_t mach_msg_overwrite_library(mach_msg_header_t *msg,
					     mach_msg_option_t option,
					     mach_msg_size_t send_size,
					     mach_msg_size_t rcv_size,
					     mach_port_name_t rcv_name,
					     mach_msg_timeout_t timeout,
					     mach_port_name_t notify,
					     mach_msg_header_t *rcv_msg,
					     mach_msg_size_t rcv_limit)
{
	mach_msg_return_t mr = mach_msg_overwrite_trap(msg, option & ~LIBRARY_OPTIONS,
						       send_size, rcv_size, rcv_name, timeout,
						       notify, rcv_msg, rcv_limit);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	return mach_msg_overwrite_interrupted(mr, msg, option, send_size, rcv_size,
					      rcv_name, timeout, notify, rcv_msg, rcv_limit);
}

/*
 * mach_msg_interrupted / mach_msg_library: the same for mach_msg, which
 * is mach_msg_overwrite with no separate receive buffer (the kernel reads
 * the two missing words of mach_msg_trap as zeros).
 */
mach_msg_return_t mach_msg_interrupted(mach_msg_return_t mr, mach_msg_header_t *msg,
				       mach_msg_option_t option, mach_msg_size_t send_size,
				       mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				       mach_msg_timeout_t timeout, mach_port_name_t notify)
{
	return mach_msg_overwrite_interrupted(mr, msg, option, send_size, rcv_size, rcv_name,
					      timeout, notify, MACH_MSG_NULL, 0);
}

mach_msg_return_t mach_msg_library(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
				   mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
				   mach_port_name_t notify)
{
	return mach_msg_overwrite_library(msg, option, send_size, rcv_size, rcv_name, timeout,
					  notify, MACH_MSG_NULL, 0);
}
