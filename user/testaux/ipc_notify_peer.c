/*
 * testaux/ipc_notify_peer: the other task of tests/ipc_notify (protocol
 * in ipc_common.h).  Sends NOTIFY_HELLO carrying send rights to its two
 * ports, waits on the first for NOTIFY_DIE, and exits 0, destroying both
 * receive rights on the way out.  Exit status: 2 no parent port; 3 no
 * ports or HELLO failed; 4 no NOTIFY_DIE.
 */
#include "ipc_common.h"

int main(void)
{
	mach_port_t parent = ipc_parent_port();
	struct notify_hello h;
	union {
		mach_msg_header_t	head;
		uint8_t			space[256];
	} in;

	if (parent == MACH_PORT_NULL)
		return 2;
	mach_port_t c1 = ipc_port(), c2 = ipc_port();
	if (c1 == MACH_PORT_NULL || c2 == MACH_PORT_NULL)
		return 3;
	memset(&h, 0, sizeof(h));
	h.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	h.head.msgh_size = sizeof(h);
	h.head.msgh_remote_port = parent;
	h.head.msgh_id = NOTIFY_HELLO;
	h.body.msgh_descriptor_count = 2;
	h.port[0].name = c1;
	h.port[0].disposition = MACH_MSG_TYPE_MAKE_SEND;
	h.port[0].type = MACH_MSG_PORT_DESCRIPTOR;
	h.port[1].name = c2;
	h.port[1].disposition = MACH_MSG_TYPE_MAKE_SEND;
	h.port[1].type = MACH_MSG_PORT_DESCRIPTOR;
	if (ipc_send(&h.head, sizeof(h)) != MACH_MSG_SUCCESS)
		return 3;
	for (;;) {
		if (ipc_recv(&in.head, sizeof(in), c1, 2 * IPC_RCV_MS) !=
		    MACH_MSG_SUCCESS)
			return 4;
		if (in.head.msgh_id == NOTIFY_DIE)
			return 0;
		mach_msg_destroy(&in.head);
	}
}
