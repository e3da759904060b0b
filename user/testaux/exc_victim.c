/*
 * testaux/exc_victim: the dying task of tests/exc_nohandler.
 *
 * Makes a port R and hands a send right to it to its spawner: a HELLO
 * message to its bootstrap port (which the spawner set to a port of its
 * own) with R as the reply port, disposition MAKE_SEND.  Then it waits on
 * R for GO, and executes ud2 with no exception handler anywhere, which
 * must terminate it (trap 6) and destroy R.
 *
 * Exit status if it does not die that way: 2 no bootstrap port, 3 no
 * port, 4 HELLO not sent, 5 no GO, 42 the ud2 did not kill it.
 * The ids must match tests/exc_nohandler.c.
 */
#include <mach/mach.h>

#define HELLO_ID	0x48454c4f
#define GO_ID		0x474f2121
#define GO_TIMEOUT_MS	60000u

int main(void)
{
	mach_port_t self = mach_task_self(), bp = MACH_PORT_NULL, r = MACH_PORT_NULL;

	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &bp) != KERN_SUCCESS ||
	    !MACH_PORT_VALID(bp))
		return 2;
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r) != KERN_SUCCESS)
		return 3;

	mach_msg_header_t h = { 0 };
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = bp;
	h.msgh_local_port = r;
	h.msgh_id = HELLO_ID;
	if (mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL) !=
	    MACH_MSG_SUCCESS)
		return 4;

	struct {
		mach_msg_header_t h;
		mach_msg_max_trailer_t t;
	} go;
	if (mach_msg(&go.h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(go), r, GO_TIMEOUT_MS,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS || go.h.msgh_id != GO_ID)
		return 5;

	__asm__ volatile("ud2");
	return 42;
}
