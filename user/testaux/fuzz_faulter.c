/*
 * testaux/fuzz_faulter: a task that faults when told to, for the
 * exception fault-injection test (user/tests/inject_exc.c).
 *
 * It says hello on its bootstrap port (a port its spawner lent) with a
 * port of its own, waits for any message on that port, then writes to
 * address 0.  Its exception ports are whatever it inherited.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/task_special_ports.h>
#include <mk/mach_port.h>

int main(void)
{
	mach_port_t self = mach_task_self(), parent = MACH_PORT_NULL, me = MACH_PORT_NULL;
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &parent) != KERN_SUCCESS ||
	    mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &me) != KERN_SUCCESS)
		return 1;
	mach_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = parent;
	h.msgh_local_port = me;
	h.msgh_id = 1;
	if (mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) !=
	    MACH_MSG_SUCCESS)
		return 1;
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} u;
	(void)mach_msg(&u.h, MACH_RCV_MSG, 0, sizeof(u), me, 0, MACH_PORT_NULL);
	*(volatile uint32_t *)0 = 1;
	return 2;
}
