/*
 * testaux/exc_dying_server: an exception server that never answers, for
 * tests/exc_server_dies.
 *
 * It makes an exception port E and a control port C, and sends HELLO to
 * its bootstrap port (a port of the spawner's): E as a MAKE_SEND port
 * descriptor, C as the reply port (MAKE_SEND).  The spawner installs E
 * as the exception port of a faulting task and sends MODE on C:
 *
 *   MODE_EXIT     receive the exception request, then exit (status 0)
 *                 holding it, never replying;
 *   MODE_HOLD     receive the request, report GOT to the bootstrap port,
 *                 then wait on C until killed;
 *   MODE_QUEUED   wait until the request is queued on E without
 *                 receiving it, report GOT, then wait on C until killed;
 *   MODE_DROP     receive the request, deallocate its reply right and
 *                 the identity rights, report GOT, wait for QUIT on C,
 *                 exit 0;
 *   MODE_DESTROY  wait until the request is queued on E, destroy E's
 *                 receive right, report GOT, wait for QUIT, exit 0.
 *
 * A status other than 0 says what went wrong (see the returns).
 * The ids must match tests/exc_server_dies.c.
 */
#include <stdint.h>
#include <string.h>
#include <mach/mach.h>
#include <mk/thread.h>

#define HELLO_ID	0x48454c4f
#define MODE_ID		0x4d4f4445
#define GOT_ID		0x474f5421
#define QUIT_ID		0x51554954

enum { MODE_EXIT = 1, MODE_HOLD, MODE_QUEUED, MODE_DROP, MODE_DESTROY };

#define TIMEOUT_MS	120000u

static mach_port_t self, bp, e, c;

static int send_simple(mach_port_t to, mach_msg_id_t id)
{
	mach_msg_header_t h = { 0 };
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = to;
	h.msgh_id = id;
	return mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

/* Receive on port; returns the id, or 0 on error. */
static mach_msg_id_t receive(mach_port_t port, void *buf, mach_msg_size_t size)
{
	mach_msg_header_t *h = buf;
	if (mach_msg(h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, size, port, TIMEOUT_MS,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 0;
	return h->msgh_id;
}

/* Wait until a message is queued on E (without taking it). */
static int wait_queued(void)
{
	for (int i = 0; i < 12000; i++) {
		mach_port_status_t st;
		mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
		if (mach_port_get_attributes(self, e, MACH_PORT_RECEIVE_STATUS,
					     (mach_port_info_t)&st, &cnt) != KERN_SUCCESS)
			return 0;
		if (st.mps_msgcount > 0)
			return 1;
		mk_sleep_ms(10);
	}
	return 0;
}

int main(void)
{
	self = mach_task_self();
	if (task_get_special_port(self, TASK_BOOTSTRAP_PORT, &bp) != KERN_SUCCESS ||
	    !MACH_PORT_VALID(bp))
		return 2;
	if (mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &e) != KERN_SUCCESS ||
	    mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &c) != KERN_SUCCESS)
		return 3;

	struct {
		mach_msg_header_t h;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t e;
	} hello;
	memset(&hello, 0, sizeof(hello));
	hello.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND) |
			    MACH_MSGH_BITS_COMPLEX;
	hello.h.msgh_size = sizeof(hello);
	hello.h.msgh_remote_port = bp;
	hello.h.msgh_local_port = c;
	hello.h.msgh_id = HELLO_ID;
	hello.body.msgh_descriptor_count = 1;
	hello.e.name = e;
	hello.e.disposition = MACH_MSG_TYPE_MAKE_SEND;
	hello.e.type = MACH_MSG_PORT_DESCRIPTOR;
	if (mach_msg(&hello.h, MACH_SEND_MSG, sizeof(hello), 0, MACH_PORT_NULL, 0,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 4;

	struct {
		mach_msg_header_t h;
		NDR_record_t ndr;
		int mode;
		mach_msg_max_trailer_t t;
	} mode;
	if (receive(c, &mode, sizeof(mode)) != MODE_ID)
		return 5;

	union {
		mach_msg_header_t h;
		__Request__exception_raise_t req;
		uint8_t space[512];
	} q;
	switch (mode.mode) {
	case MODE_EXIT:
		if (receive(e, &q, sizeof(q)) != 2401)
			return 6;
		return 0;		/* dies holding the request and its reply right */
	case MODE_HOLD:
		if (receive(e, &q, sizeof(q)) != 2401)
			return 6;
		send_simple(bp, GOT_ID);
		receive(c, &q, sizeof(q));	/* until killed */
		return 7;
	case MODE_QUEUED:
		if (!wait_queued())
			return 8;
		send_simple(bp, GOT_ID);
		receive(c, &q, sizeof(q));	/* until killed */
		return 7;
	case MODE_DROP:
		if (receive(e, &q, sizeof(q)) != 2401)
			return 6;
		mach_port_deallocate(self, q.req.thread.name);
		mach_port_deallocate(self, q.req.task.name);
		if (mach_port_deallocate(self, q.h.msgh_remote_port) != KERN_SUCCESS)
			return 9;
		send_simple(bp, GOT_ID);
		return receive(c, &q, sizeof(q)) == QUIT_ID ? 0 : 10;
	case MODE_DESTROY:
		if (!wait_queued())
			return 8;
		if (mach_port_mod_refs(self, e, MACH_PORT_RIGHT_RECEIVE, -1) != KERN_SUCCESS)
			return 11;
		send_simple(bp, GOT_ID);
		return receive(c, &q, sizeof(q)) == QUIT_ID ? 0 : 10;
	default:
		return 12;
	}
}
