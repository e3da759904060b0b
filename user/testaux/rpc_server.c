/*
 * Serves null RPCs (benchaux/rpc_common.h) for tests/ipc_hotpath: makes a
 * port, sends a send right to it to the port it got as its bootstrap port
 * (its spawner's), and serves until told to quit.
 */
#include <mach/mach.h>
#include "../benchaux/rpc_common.h"

int main(void)
{
	mach_port_t parent, port;
	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &parent) != KERN_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return 1;
	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
	} m = {
		.head = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) | MACH_MSGH_BITS_COMPLEX,
			.msgh_size = sizeof(m),
			.msgh_remote_port = parent,
			.msgh_id = 1,
		},
		.body = { 1 },
		.port = { .name = port, .disposition = MACH_MSG_TYPE_MAKE_SEND,
			  .type = MACH_MSG_PORT_DESCRIPTOR },
	};
	if (mach_msg(&m.head, MACH_SEND_MSG, sizeof(m), 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 1;
	rpc_serve(port);
	mach_port_destroy(mach_task_self(), port);
	mach_port_deallocate(mach_task_self(), parent);
	return 0;
}
