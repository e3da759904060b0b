/*
 * testaux/ipc_ool_peer: the other task of tests/ipc_ool (protocol in
 * ipc_common.h).  It checks each region it is sent against the pattern
 * the parent filled it with, answers with what it found, and on request
 * sends a region of its own with deallocate set.  Exit status: 0 after
 * OOL_EXIT; 2 no parent port; 3 no port or HELLO failed; 4 receive
 * failed; 5 unknown message; 6 a send failed.
 */
#include "ipc_common.h"

#define PAGE	4096u

static mach_port_t self, parent, mine;

static int send_sum(struct ool_sum *s)
{
	s->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	s->head.msgh_size = sizeof(*s);
	s->head.msgh_remote_port = parent;
	s->head.msgh_local_port = MACH_PORT_NULL;
	s->head.msgh_id = OOL_SUM;
	return mach_msg(&s->head, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
	    sizeof(*s), 0, MACH_PORT_NULL, IPC_RCV_MS, MACH_PORT_NULL) ==
	    MACH_MSG_SUCCESS;
}

/* Check the region of an OOL_DATA message, then give it back to the VM. */
static void check(struct ool_msg *m, struct ool_sum *s)
{
	const uint8_t *p = m->data.address;
	uint32_t size = m->data.size;

	s->size = size;
	s->page_offset = (uint32_t)(uintptr_t)p & (PAGE - 1);
	for (uint32_t i = 0; i < size; i++) {
		s->sum += p[i];
		if (p[i] != ool_pattern(i, m->seed))
			s->bad++;
	}
	if (size) {
		vm_address_t start = (vm_address_t)p & ~(PAGE - 1);
		vm_address_t end = ((vm_address_t)p + size + PAGE - 1) &
		    ~(PAGE - 1);
		(void)vm_deallocate(self, start, end - start);
	}
}

/* OOL_BACK: send a region of our own, deallocated on the way out. */
static int send_back(struct ool_sum *s)
{
	vm_address_t a = 0;
	struct ool_msg m;

	if (vm_allocate(self, &a, OOL_BACK_SIZE, VM_FLAGS_ANYWHERE) !=
	    KERN_SUCCESS)
		return 0;
	uint8_t *p = (uint8_t *)a;
	for (uint32_t i = 0; i < OOL_BACK_SIZE; i++)
		p[i] = ool_pattern(i, 2);
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m);
	m.head.msgh_remote_port = parent;
	m.head.msgh_id = OOL_BACK;
	m.body.msgh_descriptor_count = 1;
	m.data.address = p;
	m.data.size = OOL_BACK_SIZE;
	m.data.deallocate = 1;
	m.data.copy = MACH_MSG_VIRTUAL_COPY;
	m.data.type = MACH_MSG_OOL_DESCRIPTOR;
	m.seed = 2;
	if (mach_msg(&m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(m), 0,
	    MACH_PORT_NULL, IPC_RCV_MS, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 0;
	/* the range must be gone: a FIXED allocation there succeeds */
	vm_address_t again = a;
	if (vm_allocate(self, &again, OOL_BACK_SIZE, VM_FLAGS_FIXED) ==
	    KERN_SUCCESS) {
		s->gone = 1;
		(void)vm_deallocate(self, again, OOL_BACK_SIZE);
	}
	s->size = OOL_BACK_SIZE;
	return 1;
}

int main(void)
{
	union {
		mach_msg_header_t	head;
		struct ool_msg		ool;
		uint8_t			space[512];
	} in;
	struct ool_sum s;

	self = mach_task_self();
	parent = ipc_parent_port();
	if (parent == MACH_PORT_NULL)
		return 2;
	mine = ipc_port();
	if (mine == MACH_PORT_NULL ||
	    ipc_send_bare(parent, MACH_MSG_TYPE_COPY_SEND, mine,
	    MACH_MSG_TYPE_MAKE_SEND, OOL_HELLO) != MACH_MSG_SUCCESS)
		return 3;
	for (;;) {
		if (ipc_recv(&in.head, sizeof(in), mine, 2 * IPC_RCV_MS) !=
		    MACH_MSG_SUCCESS)
			return 4;
		memset(&s, 0, sizeof(s));
		switch (in.head.msgh_id) {
		case OOL_DATA:
			if (!(in.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
			    in.ool.body.msgh_descriptor_count != 1)
				return 5;
			check(&in.ool, &s);
			break;
		case OOL_BACK:
			if (!send_back(&s))
				return 6;
			break;
		case OOL_EXIT:
			return 0;
		default:
			return 5;
		}
		if (!send_sum(&s))
			return 6;
	}
}
