/*
 * fuzz/victim: a task a fuzz worker may wreck.  The coordinator spawns it
 * for a worker; it hands its task port, its three threads' ports and a
 * port it receives on to the coordinator (hello on the bootstrap port),
 * which passes them on, then keeps busy: one thread receives and destroys
 * whatever arrives on its port, one yields in a loop, the main thread
 * sleeps.  It never exits by itself; the coordinator kills it at the end
 * of the round (or the fuzz does: terminated, suspended, its memory or
 * thread state rewritten...).
 */
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mach/notify.h>
#include <mk/mach_port.h>
#include <mk/thread.h>
#include "fz.h"

static mach_port_t port;
static volatile mach_port_t tports[3];

static void receiver(void *arg)
{
	(void)arg;
	tports[1] = mach_thread_self();
	for (;;) {
		union {
			mach_msg_header_t h;
			uint8_t b[4096];
		} u;
		if (mach_msg(&u.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), port, 200,
			     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
			continue;
		mach_msg_destroy(&u.h);
	}
}

static void spinner(void *arg)
{
	(void)arg;
	tports[2] = mach_thread_self();
	for (;;)
		(void)swtch();
}

int main(void)
{
	mach_port_t self = mach_task_self(), parent;
	tports[0] = mach_thread_self();
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return 1;
	(void)mk_thread_start(receiver, NULL);
	(void)mk_thread_start(spinner, NULL);
	while (tports[1] == MACH_PORT_NULL || tports[2] == MACH_PORT_NULL)
		(void)swtch();
	mach_port_t ports[5] = { self, tports[0], tports[1], tports[2], port };
	mach_msg_type_name_t disps[5] = { MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND,
		MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND };
	if (fz_hello(&parent, ports, disps, 5, NULL, 0) == MACH_PORT_NULL)
		return 1;
	for (;;)
		(void)mk_sleep_ms(1000);
}
