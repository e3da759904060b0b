/*
 * ipc_bad_pointers: bad user pointers and sizes in mach_msg, and nothing
 * leaks.
 *
 * Send: a NULL, unmapped, kernel or partly unmapped message buffer
 * (MACH_SEND_INVALID_DATA, the caller's rights untouched); sizes below a
 * header or not a multiple of 4 (MACH_SEND_MSG_TOO_SMALL), absurdly large
 * (MACH_SEND_TOO_LARGE); a descriptor count larger than the message
 * (MACH_SEND_MSG_TOO_SMALL); out-of-line memory or port arrays at NULL,
 * unmapped, partly unmapped or kernel addresses (MACH_SEND_INVALID_MEMORY);
 * an unknown descriptor type (MACH_SEND_INVALID_TYPE).  A message whose
 * body fails is destroyed with the rights already taken from it: a moved
 * send right is gone, a made send-once reply right comes back as a
 * send-once notification.  Receive: a NULL, unmapped, kernel or read-only
 * buffer, or a bad separate receive buffer (MACH_RCV_INVALID_DATA; the
 * message is destroyed), and MACH_RCV_LARGE into a bad buffer.  Ports and
 * kmsgs are counted before and after (mk_info).
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

#define PAGE		4096u
#define KERNEL_ADDR	0xc0100000u

static mach_port_t self, q, y, x;
static vm_address_t hole;	/* an unmapped page */
static vm_address_t edge;	/* a mapped page followed by an unmapped one */
static vm_address_t ro;		/* a read-only page */

struct cmsg {
	mach_msg_header_t	head;
	mach_msg_body_t		body;
	mach_msg_descriptor_t	d[2];
};

static mach_msg_return_t raw_send(void *msg, mach_msg_size_t size)
{
	return mach_msg_trap(msg, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0,
	    MACH_PORT_NULL, 0, MACH_PORT_NULL);
}

static mach_msg_return_t raw_recv(void *buf, mach_msg_size_t size,
				  mach_msg_option_t extra)
{
	return mach_msg_trap(buf, MACH_RCV_MSG | MACH_RCV_TIMEOUT | extra, 0,
	    size, q, 0, MACH_PORT_NULL);
}

static void bare_header(mach_msg_header_t *h, mach_msg_type_name_t dtype)
{
	memset(h, 0, sizeof(*h));
	h->msgh_bits = MACH_MSGH_BITS(dtype, 0);
	h->msgh_size = sizeof(*h);
	h->msgh_remote_port = q;
	h->msgh_id = 0x51;
}

static void send_side(void)
{
	mach_msg_return_t mr;

	mr = raw_send(NULL, sizeof(mach_msg_header_t));
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send from NULL: "
	    "MACH_SEND_INVALID_DATA (0x%x)", mr);
	mr = raw_send((void *)hole, sizeof(mach_msg_header_t));
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send from an unmapped page: "
	    "MACH_SEND_INVALID_DATA (0x%x)", mr);
	mr = raw_send((void *)KERNEL_ADDR, sizeof(mach_msg_header_t));
	tap_ok(mr == MACH_SEND_INVALID_DATA, "send from a kernel address: "
	    "MACH_SEND_INVALID_DATA (0x%x)", mr);

	/* a header that is readable, the rest of the message not */
	mach_msg_header_t *h = (mach_msg_header_t *)(edge + PAGE -
	    sizeof(mach_msg_header_t));
	bare_header(h, MACH_MSG_TYPE_MOVE_SEND);
	mr = raw_send(h, sizeof(mach_msg_header_t) + 64);
	tap_ok(mr == MACH_SEND_INVALID_DATA &&
	    ipc_refs(q, MACH_PORT_RIGHT_SEND) == 1 &&
	    ipc_status(q).mps_msgcount == 0,
	    "a message running into an unmapped page: MACH_SEND_INVALID_DATA, "
	    "its MOVE_SEND right still ours (0x%x, %u urefs)", mr,
	    ipc_refs(q, MACH_PORT_RIGHT_SEND));

	mach_msg_header_t ok;
	bare_header(&ok, MACH_MSG_TYPE_COPY_SEND);
	mr = raw_send(&ok, sizeof(ok) - 4);
	tap_ok(mr == MACH_SEND_MSG_TOO_SMALL, "send_size below a header: "
	    "MACH_SEND_MSG_TOO_SMALL (0x%x)", mr);
	mr = raw_send(&ok, sizeof(ok) + 2);
	tap_ok(mr == MACH_SEND_MSG_TOO_SMALL, "send_size not a multiple of 4: "
	    "MACH_SEND_MSG_TOO_SMALL (0x%x)", mr);
	mr = raw_send(&ok, 0x7ffffff0u);
	tap_ok(mr == MACH_SEND_TOO_LARGE, "send_size 0x7ffffff0: "
	    "MACH_SEND_TOO_LARGE (0x%x)", mr);
	tap_ok(ipc_status(q).mps_msgcount == 0, "none of these queued "
	    "anything");
}

/* A complex message to q: reply MAKE_SEND_ONCE y, d[0] MOVE_SEND x. */
static void body_msg(struct cmsg *m, mach_msg_size_t count)
{
	memset(m, 0, sizeof(*m));
	m->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE) | MACH_MSGH_BITS_COMPLEX;
	m->head.msgh_size = sizeof(*m);
	m->head.msgh_remote_port = q;
	m->head.msgh_local_port = y;
	m->head.msgh_id = 0x52;
	m->body.msgh_descriptor_count = count;
	m->d[0].port.name = x;
	m->d[0].port.disposition = MACH_MSG_TYPE_MOVE_SEND;
	m->d[0].port.type = MACH_MSG_PORT_DESCRIPTOR;
}

static void set_ool(struct cmsg *m, const void *addr, mach_msg_size_t size)
{
	m->d[1].out_of_line.address = (void *)(uintptr_t)addr;
	m->d[1].out_of_line.size = size;
	m->d[1].out_of_line.deallocate = 0;
	m->d[1].out_of_line.copy = MACH_MSG_VIRTUAL_COPY;
	m->d[1].out_of_line.type = MACH_MSG_OOL_DESCRIPTOR;
}

/*
 * Send m, expecting error want; then check that the body's MOVE_SEND of
 * x was consumed, the reply right came back as one send-once
 * notification on y, and nothing reached q.
 */
static void body_fails(struct cmsg *m, mach_msg_return_t want,
		       const char *what)
{
	union {
		mach_msg_header_t	h;
		uint8_t			space[256];
	} n;
	mach_port_urefs_t before = ipc_refs(x, MACH_PORT_RIGHT_SEND);
	mach_msg_return_t mr = raw_send(m, sizeof(*m));
	int notes = 0;

	while (ipc_recv(&n.h, sizeof(n), y, IPC_NONE_MS) == MACH_MSG_SUCCESS) {
		if (n.h.msgh_id == MACH_NOTIFY_SEND_ONCE)
			notes++;
		else
			notes += 100;
		mach_msg_destroy(&n.h);
	}
	mach_port_urefs_t after = ipc_refs(x, MACH_PORT_RIGHT_SEND);
	tap_ok(mr == want, "%s: 0x%x (got 0x%x)", what, want, mr);
	tap_ok(after + 1 == before && notes == 1 &&
	    ipc_status(q).mps_msgcount == 0,
	    "%s: message destroyed: moved right gone (%u -> %u urefs), one "
	    "send-once notification for the reply right (%d)", what, before,
	    after, notes);
	/* put the consumed uref back for the next case */
	(void)mach_port_insert_right(self, x, x, MACH_MSG_TYPE_MAKE_SEND);
}

static void body_side(void)
{
	struct cmsg m;

	body_msg(&m, 2);
	set_ool(&m, NULL, 100);
	body_fails(&m, MACH_SEND_INVALID_MEMORY, "OOL memory at NULL");
	body_msg(&m, 2);
	set_ool(&m, (void *)hole, PAGE);
	body_fails(&m, MACH_SEND_INVALID_MEMORY, "OOL memory in an unmapped "
	    "page");
	body_msg(&m, 2);
	set_ool(&m, (void *)(edge + PAGE - 100), 200);
	body_fails(&m, MACH_SEND_INVALID_MEMORY, "OOL memory running into an "
	    "unmapped page");
	body_msg(&m, 2);
	set_ool(&m, (void *)KERNEL_ADDR, PAGE);
	body_fails(&m, MACH_SEND_INVALID_MEMORY, "OOL memory at a kernel "
	    "address");
	body_msg(&m, 2);
	m.d[1].ool_ports.address = (void *)hole;
	m.d[1].ool_ports.count = 4;
	m.d[1].ool_ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.d[1].ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	body_fails(&m, MACH_SEND_INVALID_MEMORY, "OOL port array in an "
	    "unmapped page");
	body_msg(&m, 2);
	m.d[1].ool_ports.address = (void *)KERNEL_ADDR;
	m.d[1].ool_ports.count = 4;
	m.d[1].ool_ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.d[1].ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	body_fails(&m, MACH_SEND_INVALID_MEMORY, "OOL port array at a kernel "
	    "address");
	body_msg(&m, 2);
	m.d[1].type.type = 7;
	body_fails(&m, MACH_SEND_INVALID_TYPE, "descriptor type 7");

	/* a count the message cannot hold fails before any right is taken */
	mach_port_urefs_t before = ipc_refs(x, MACH_PORT_RIGHT_SEND);
	body_msg(&m, 1000);
	mach_msg_return_t mr = raw_send(&m, sizeof(m));
	int notes = ipc_drain(y);
	tap_ok(mr == MACH_SEND_MSG_TOO_SMALL &&
	    ipc_status(q).mps_msgcount == 0,
	    "1000 descriptors in a 60-byte message: MACH_SEND_MSG_TOO_SMALL "
	    "(0x%x)", mr);
	tap_ok(notes == 1 && ipc_refs(x, MACH_PORT_RIGHT_SEND) == before,
	    "no descriptor right was taken (%u -> %u urefs), the reply right "
	    "was destroyed (%d notification)", before,
	    ipc_refs(x, MACH_PORT_RIGHT_SEND), notes);
	while (ipc_refs(x, MACH_PORT_RIGHT_SEND) < before)
		(void)mach_port_insert_right(self, x, x,
		    MACH_MSG_TYPE_MAKE_SEND);
}

static void receive_side(void)
{
	mach_msg_header_t h;
	mach_msg_return_t mr;

	bare_header(&h, MACH_MSG_TYPE_COPY_SEND);
	(void)raw_send(&h, sizeof(h));
	mr = raw_recv(NULL, 256, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA && ipc_status(q).mps_msgcount == 0,
	    "receive into NULL: MACH_RCV_INVALID_DATA, the message is gone "
	    "(0x%x, %u queued)", mr, ipc_status(q).mps_msgcount);
	(void)raw_send(&h, sizeof(h));
	mr = raw_recv((void *)hole, 256, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA && ipc_status(q).mps_msgcount == 0,
	    "receive into an unmapped page: MACH_RCV_INVALID_DATA (0x%x)", mr);
	(void)raw_send(&h, sizeof(h));
	mr = raw_recv((void *)KERNEL_ADDR, 256, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA && ipc_status(q).mps_msgcount == 0,
	    "receive into a kernel address: MACH_RCV_INVALID_DATA (0x%x)", mr);
	(void)raw_send(&h, sizeof(h));
	mr = raw_recv((void *)ro, 256, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA && ipc_status(q).mps_msgcount == 0,
	    "receive into a read-only page: MACH_RCV_INVALID_DATA (0x%x)", mr);
	(void)raw_send(&h, sizeof(h));
	mr = raw_recv((void *)(edge + PAGE - 16), 256, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA && ipc_status(q).mps_msgcount == 0,
	    "receive into a buffer running into an unmapped page: "
	    "MACH_RCV_INVALID_DATA (0x%x)", mr);

	/* send to q and receive into a bad separate buffer, in one call */
	bare_header(&h, MACH_MSG_TYPE_COPY_SEND);
	mr = mach_msg_overwrite_trap(&h, MACH_SEND_MSG | MACH_RCV_MSG |
	    MACH_RCV_TIMEOUT, sizeof(h), 256, q, 0, MACH_PORT_NULL,
	    (mach_msg_header_t *)hole, 0);
	tap_ok(mr == MACH_RCV_INVALID_DATA && ipc_status(q).mps_msgcount == 0,
	    "send + receive into a bad separate buffer: the send happens, "
	    "then MACH_RCV_INVALID_DATA (0x%x)", mr);

	/* MACH_RCV_LARGE cannot report the size into a bad buffer */
	struct {
		mach_msg_header_t	head;
		uint8_t			pad[200];
	} big;
	bare_header(&big.head, MACH_MSG_TYPE_COPY_SEND);
	(void)raw_send(&big, sizeof(big));
	mr = raw_recv((void *)hole, 64, MACH_RCV_LARGE);
	tap_ok(mr == MACH_RCV_INVALID_DATA, "MACH_RCV_LARGE into an unmapped "
	    "page: MACH_RCV_INVALID_DATA (0x%x)", mr);
	(void)ipc_drain(q);
}

int main(void)
{
	vm_address_t a = 0;
	mach_port_type_t t;

	self = mach_task_self();
	q = ipc_port_send();
	y = ipc_port();
	x = ipc_port_send();
	(void)mach_port_type(self, q, &t);	/* make the MIG reply port */
	if (!tap_ok(q && y && x && vm_allocate(self, &a, 4 * PAGE,
	    VM_FLAGS_ANYWHERE) == KERN_SUCCESS, "ports and pages for the test"))
		return tap_done();
	edge = a;
	hole = a + PAGE;
	ro = a + 2 * PAGE;
	(void)vm_deallocate(self, hole, PAGE);
	(void)vm_protect(self, ro, PAGE, FALSE, VM_PROT_READ);

	unsigned int ports0 = mk_info(MK_INFO_PORTS);
	unsigned int kmsgs0 = mk_info(MK_INFO_KMSGS);
	send_side();
	body_side();
	receive_side();
	unsigned int ports1 = mk_info(MK_INFO_PORTS);
	unsigned int kmsgs1 = mk_info(MK_INFO_KMSGS);
	tap_ok(ports1 == ports0, "ports alive before and after: %u, %u", ports0,
	    ports1);
	tap_ok(kmsgs1 == kmsgs0, "kmsgs allocated before and after: %u, %u",
	    kmsgs0, kmsgs1);

	(void)vm_deallocate(self, a, 4 * PAGE);
	(void)mach_port_destroy(self, q);
	(void)mach_port_destroy(self, y);
	(void)mach_port_destroy(self, x);
	return tap_done();
}
