/*
 * inject_ool: allocation failures while a complex message with
 * out-of-line memory goes through the kernel (issue 10, item 3).
 *
 * The message: 400 bytes of inline data (too big for the kmsg cache), a
 * MAKE_SEND and a COPY_SEND port descriptor, three touched pages of
 * out-of-line memory and an out-of-line array of four port names.  It is
 * sent to a port of this task and received back, with the nth allocation
 * of kalloc, of pages or of each zone failing (user/testaux/fuzz_inject.h).
 *
 * Documented results.  Send: MACH_MSG_SUCCESS; MACH_SEND_NO_BUFFER (no
 * kmsg, no kernel copy of the port array); MACH_SEND_INVALID_MEMORY (the
 * memory could not be copied in).  A failed send leaves every right where
 * it was.  Receive: MACH_MSG_SUCCESS, with the data intact; or
 * MACH_RCV_BODY_ERROR with MACH_MSG_VM_SPACE / MACH_MSG_IPC_SPACE bits (a
 * region or right that could not be copied out is null / dead, the rest
 * delivered), or MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE.  Then
 * nothing leaks and the IPC audit is clean.
 */
#include "../testaux/fuzz_inject.h"
#include <mk/mach_port.h>
#include <mk/mach_vm.h>

#define INLINE_BYTES	400
#define OOL_PAGES	3

struct ool_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	p[2];
	mach_msg_ool_descriptor_t	mem;
	mach_msg_ool_ports_descriptor_t	ports;
	uint8_t				data[INLINE_BYTES];
};

static mach_port_t port, other;
static vm_address_t src;
static unsigned sent_ok, received_ok;

static uint8_t pattern(unsigned i)
{
	return (uint8_t)(i * 7 + 3);
}

/* Release what a received message carried (our own rights come back as ours). */
static void release(struct ool_msg *m)
{
	mach_port_t self = mach_task_self();
	for (int i = 0; i < 2; i++)
		if (MACH_PORT_VALID(m->p[i].name))
			(void)mach_port_deallocate(self, m->p[i].name);
	if (m->mem.address)
		(void)vm_deallocate(self, (vm_address_t)m->mem.address, m->mem.size);
	if (m->ports.address) {
		mach_port_t *names = m->ports.address;
		for (unsigned i = 0; i < m->ports.count; i++)
			if (MACH_PORT_VALID(names[i]))
				(void)mach_port_deallocate(self, names[i]);
		(void)vm_deallocate(self, (vm_address_t)names, m->ports.count * sizeof(*names));
	}
}

static kern_return_t op_ool_body(int *okp);

/* The op, then: the port sent around must have its one send uref again. */
static kern_return_t op_ool(int *okp)
{
	kern_return_t r = op_ool_body(okp);
	mach_port_urefs_t refs = 0;
	(void)mach_port_get_refs(mach_task_self(), other, MACH_PORT_RIGHT_SEND, &refs);
	if (refs != 1) {
		tap_diag("after a result of %#x the port sent has %u send urefs", (unsigned)r, refs);
		(void)mach_port_mod_refs(mach_task_self(), other, MACH_PORT_RIGHT_SEND,
					 1 - (int)refs);
		*okp = 0;
	}
	return r;
}

static kern_return_t op_ool_body(int *okp)
{
	union {
		struct ool_msg m;
		uint8_t b[sizeof(struct ool_msg) + 128];
	} u;
	mach_port_t names[4] = { other, other, MACH_PORT_NULL, MACH_PORT_DEAD };
	memset(&u, 0, sizeof(u));
	u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	u.m.head.msgh_size = sizeof(u.m);
	u.m.head.msgh_remote_port = port;
	u.m.head.msgh_id = 4242;
	u.m.body.msgh_descriptor_count = 4;
	u.m.p[0].name = other;
	u.m.p[0].disposition = MACH_MSG_TYPE_MAKE_SEND;
	u.m.p[0].type = MACH_MSG_PORT_DESCRIPTOR;
	u.m.p[1].name = other;
	u.m.p[1].disposition = MACH_MSG_TYPE_COPY_SEND;
	u.m.p[1].type = MACH_MSG_PORT_DESCRIPTOR;
	u.m.mem.address = (void *)src;
	u.m.mem.size = OOL_PAGES * 4096;
	u.m.mem.copy = MACH_MSG_VIRTUAL_COPY;
	u.m.mem.type = MACH_MSG_OOL_DESCRIPTOR;
	u.m.ports.address = names;
	u.m.ports.count = 4;
	u.m.ports.disposition = MACH_MSG_TYPE_COPY_SEND;
	u.m.ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	for (unsigned i = 0; i < INLINE_BYTES; i++)
		u.m.data[i] = pattern(i);

	mach_msg_return_t mr = mach_msg(&u.m.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(u.m),
					0, MACH_PORT_NULL, 1000, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS) {
		*okp = mr == MACH_SEND_NO_BUFFER || mr == MACH_SEND_INVALID_MEMORY;
		return mr;
	}
	sent_ok++;
	memset(&u, 0, sizeof(u));
	mr = mach_msg(&u.m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(u), port, 1000,
		      MACH_PORT_NULL);
	mach_msg_return_t base = mr & ~MACH_MSG_MASK;
	if (mr == MACH_MSG_SUCCESS) {
		int good = u.m.head.msgh_id == 4242 && u.m.mem.address && u.m.ports.count == 4;
		for (unsigned i = 0; good && i < INLINE_BYTES; i++)
			good = u.m.data[i] == pattern(i);
		const uint8_t *ool = u.m.mem.address;
		for (unsigned i = 0; good && i < OOL_PAGES * 4096; i++)
			good = ool[i] == pattern(i + 1);
		*okp = good;
		received_ok += good;
		release(&u.m);
		return mr;
	}
	if (base == MACH_RCV_BODY_ERROR) {
		*okp = (mr & MACH_MSG_MASK & ~(MACH_MSG_VM_SPACE | MACH_MSG_IPC_SPACE |
					     MACH_MSG_VM_KERNEL | MACH_MSG_IPC_KERNEL)) == 0;
		release(&u.m);
		return mr;
	}
	*okp = mr == (MACH_RCV_HEADER_ERROR | MACH_MSG_IPC_SPACE);
	return mr;
}

int main(void)
{
	mach_port_t self = mach_task_self();
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &port);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &other);
	(void)mach_port_insert_right(self, other, other, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(vm_allocate(self, &src, OOL_PAGES * 4096, VM_FLAGS_ANYWHERE) == KERN_SUCCESS,
	       "source pages");
	for (unsigned i = 0; i < OOL_PAGES * 4096; i++)
		((uint8_t *)src)[i] = pattern(i + 1);
	int ok = 0;
	tap_ok(op_ool(&ok) == MACH_MSG_SUCCESS && ok, "the message goes through intact when "
	       "nothing fails");
	inject_sweep("complex message with out-of-line memory", op_ool);
	tap_ok(sent_ok > 0 && received_ok > 0, "some sends (%u) and intact receives (%u) during "
	       "the sweep", sent_ok, received_ok);
	mach_port_urefs_t refs = 0;
	(void)mach_port_get_refs(self, other, MACH_PORT_RIGHT_SEND, &refs);
	tap_ok(refs == 1, "the port sent around has one send uref again (%u)", refs);
	(void)vm_deallocate(self, src, OOL_PAGES * 4096);
	(void)mach_port_destroy(self, port);
	(void)mach_port_destroy(self, other);
	return tap_done();
}
