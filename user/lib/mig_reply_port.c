/*
 * Support routines the MIG-generated user stubs call (<mach/mig.h>): the
 * per-thread reply port and the NDR record every request carries.
 *
 * A thread's reply port is a receive right made with mach_reply_port()
 * on first use and kept for later calls.  Threads made by mk_thread_start
 * keep theirs in their control page and destroy it when they end; other
 * threads (the main thread) share one, which goes with the task.
 */
#include <mach/mach.h>
#include <mach/mig.h>
#include <mach/ndr.h>
#include <mk/mach_port.h>
#include "libmk.h"

/* This machine's data representation, as MIG requests declare it. */
NDR_record_t NDR_record = NDR_RECORD_INITIALIZER;

/*
 * mig_get_reply_port: the calling thread's reply port, made on first use.
 * Returns its name, or MACH_PORT_NULL if no port could be made (the stub's
 * send then fails with an invalid-reply error).
 */
mach_port_t mig_get_reply_port(void)
{
	mach_port_t *slot = __libmk_reply_port_slot();

	if (*slot == MACH_PORT_NULL)
		*slot = mach_reply_port();
	return *slot;
}

/*
 * mig_put_reply_port: a stub is done with the reply port without having
 * used it; it holds no stray reply, so the thread keeps it.
 */
void mig_put_reply_port(mach_port_t reply_port)
{
	(void)reply_port;
}

/*
 * mig_dealloc_reply_port: a call failed after its request went out, so a
 * late reply may still arrive on the port: destroy the receive right and
 * let the next mig_get_reply_port make a fresh one.
 */
void mig_dealloc_reply_port(mach_port_t reply_port)
{
	mach_port_t *slot = __libmk_reply_port_slot();

	if (*slot == reply_port)
		*slot = MACH_PORT_NULL;
	(void)mach_port_mod_refs(mach_task_self(), reply_port,
	    MACH_PORT_RIGHT_RECEIVE, -1);
}
