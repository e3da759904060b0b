/*
 * testaux/ipc_disp_peer: the other task of tests/ipc_dispositions.
 *
 * It reports, from its own space, what rights each message from the test
 * brought (protocol in ipc_common.h).  Exit status: 0 after DISP_EXIT;
 * 2 no parent port; 3 no port of its own or HELLO failed; 4 a receive
 * failed or timed out; 5 an unknown command; 6 a report could not be
 * sent.
 */
#include <stdio.h>
#include "ipc_common.h"

static mach_port_t self, parent, mine;

union inbuf {
	mach_msg_header_t	head;
	struct disp_cmd		cmd;
	uint8_t			space[4096];
};

/* Describe name as this space sees it. */
static void describe(struct disp_right *r, mach_port_name_t name)
{
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->kr = mach_port_type(self, name, &r->type);
	r->send = ipc_refs(name, MACH_PORT_RIGHT_SEND);
	r->sonce = ipc_refs(name, MACH_PORT_RIGHT_SEND_ONCE);
	r->recv = ipc_refs(name, MACH_PORT_RIGHT_RECEIVE);
	r->dead = ipc_refs(name, MACH_PORT_RIGHT_DEAD_NAME);
}

static int add(struct disp_report *rep, mach_port_name_t name)
{
	if (rep->count >= DISP_MAX)
		return 0;
	describe(&rep->r[rep->count++], name);
	return 1;
}

/* The rights a received message brought, in order. */
static void inspect(union inbuf *in, struct disp_report *rep)
{
	mach_msg_header_t *h = &in->head;

	if (MACH_MSGH_BITS_REMOTE(h->msgh_bits) != 0)
		add(rep, h->msgh_remote_port);
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX))
		return;
	mach_msg_base_t *base = (mach_msg_base_t *)h;
	mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(base + 1);
	for (mach_msg_size_t i = 0; i < base->body.msgh_descriptor_count;
	    i++, d++) {
		switch (d->type.type) {
		case MACH_MSG_PORT_DESCRIPTOR:
			add(rep, d->port.name);
			break;
		case MACH_MSG_OOL_PORTS_DESCRIPTOR: {
			mach_port_name_t *names = d->ool_ports.address;
			for (mach_msg_size_t j = 0; j < d->ool_ports.count; j++)
				add(rep, names[j]);
			if (d->ool_ports.count)
				(void)vm_deallocate(self, (vm_address_t)names,
				    d->ool_ports.count * sizeof(*names));
			break;
		}
		default:
			break;
		}
	}
}

static int send_report(struct disp_report *rep)
{
	rep->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	rep->head.msgh_size = sizeof(*rep);
	rep->head.msgh_remote_port = parent;
	rep->head.msgh_local_port = MACH_PORT_NULL;
	rep->head.msgh_id = DISP_REPORT;
	rep->peer_port = mine;
	return mach_msg(&rep->head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
	    sizeof(*rep), 0, MACH_PORT_NULL, IPC_RCV_MS, MACH_PORT_NULL) ==
	    MACH_MSG_SUCCESS;
}

/* DISP_GIVE: names[0] to the parent with the disposition in arg. */
static void give(mach_port_name_t name, mach_msg_type_name_t disp)
{
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port;
	} m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = parent;
	m.head.msgh_id = DISP_GIVEN;
	m.body.msgh_descriptor_count = 1;
	m.port.name = name;
	m.port.disposition = disp;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	(void)mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m),
	    0, MACH_PORT_NULL, IPC_RCV_MS, MACH_PORT_NULL);
}

int main(void)
{
	union inbuf in;
	struct disp_report rep;

	self = mach_task_self();
	parent = ipc_parent_port();
	if (parent == MACH_PORT_NULL)
		return 2;
	mine = ipc_port();
	if (mine == MACH_PORT_NULL ||
	    ipc_send_bare(parent, MACH_MSG_TYPE_COPY_SEND, mine,
	    MACH_MSG_TYPE_MAKE_SEND, DISP_HELLO) != MACH_MSG_SUCCESS)
		return 3;

	for (;;) {
		if (ipc_recv(&in.head, sizeof(in), mine, 2 * IPC_RCV_MS) !=
		    MACH_MSG_SUCCESS)
			return 4;
		memset(&rep, 0, sizeof(rep));
		uint32_t n = in.cmd.count < DISP_MAX ? in.cmd.count : DISP_MAX;
		switch (in.head.msgh_id) {
		case DISP_INSPECT:
			inspect(&in, &rep);
			break;
		case DISP_QUERY:
			for (uint32_t i = 0; i < n; i++)
				add(&rep, in.cmd.names[i]);
			break;
		case DISP_REPLY_SO:
			(void)ipc_send_bare(in.cmd.names[0],
			    MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0,
			    DISP_SO_ID);
			add(&rep, in.cmd.names[0]);
			break;
		case DISP_GIVE:
			give(in.cmd.names[0], in.cmd.arg);
			add(&rep, in.cmd.names[0]);
			break;
		case DISP_DROP:
			for (uint32_t i = 0; i < n; i++)
				(void)mach_port_destroy(self, in.cmd.names[i]);
			for (uint32_t i = 0; i < n; i++)
				add(&rep, in.cmd.names[i]);
			break;
		case DISP_EXIT:
			return 0;
		default:
			printf("ipc_disp_peer: unknown command 0x%x\n",
			    in.head.msgh_id);
			return 5;
		}
		if (!send_report(&rep))
			return 6;
	}
}
