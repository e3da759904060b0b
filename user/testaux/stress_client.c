/*
 * testaux/stress_client: a client of the load test (tests/stress_rpc).
 *
 * Says hello on its bootstrap port; gets STRESS_PARAMS: the server's port,
 * its id, the number of calls (0: call until killed).  Each call sends
 * the server a token right (MAKE_SEND) and 1 to STRESS_PAGES_MAX pages of
 * out-of-line memory, and checks the reply: the same bytes back, their
 * sum, the token right returned.  Every 25 calls it tells its parent
 * (STRESS_PROGRESS, for the watchdog); at the end STRESS_DONE with the
 * number of calls and of bad replies, then exits 0.
 */
#include <string.h>
#include <mach/mach.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include "ipc_common.h"
#include "stress_proto.h"

static void report(mach_port_t parent, mach_msg_id_t id, uint32_t a, uint32_t b, uint32_t c)
{
	struct stress_words r;
	memset(&r, 0, sizeof(r));
	r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	r.head.msgh_size = sizeof(r);
	r.head.msgh_remote_port = parent;
	r.head.msgh_id = id;
	r.w[0] = a;
	r.w[1] = b;
	r.w[2] = c;
	/* a full report queue holds us up rather than losing the report */
	(void)mach_msg(&r.head, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(r), 0, MACH_PORT_NULL,
		       60000, MACH_PORT_NULL);
}

int main(void)
{
	mach_port_t self = mach_task_self(), parent = ipc_parent_port(), me = ipc_port();
	if (parent == MACH_PORT_NULL ||
	    ipc_send_bare(parent, MACH_MSG_TYPE_COPY_SEND, me, MACH_MSG_TYPE_MAKE_SEND,
			  STRESS_HELLO) != MACH_MSG_SUCCESS)
		return 1;
	union {
		struct stress_words p;
		uint8_t b[256];
	} pu;
	if (ipc_recv(&pu.p.head, sizeof(pu), me, 60000) != MACH_MSG_SUCCESS ||
	    pu.p.head.msgh_id != STRESS_PARAMS)
		return 2;
	mach_port_t server = pu.p.port.name;
	uint32_t id = pu.p.w[0], calls = pu.p.w[1], bad = 0, done = 0;
	mach_port_t token = ipc_port(), reply = ipc_port();
	vm_address_t buf = 0;
	if (vm_allocate(self, &buf, STRESS_PAGES_MAX * 4096, VM_FLAGS_ANYWHERE) != KERN_SUCCESS)
		return 3;
	for (uint32_t it = 0; calls == 0 || it < calls; it++) {
		uint32_t size = 1 + (it * 2654435761u + id) % (STRESS_PAGES_MAX * 4096);
		for (uint32_t i = 0; i < size; i++)
			((uint8_t *)buf)[i] = stress_byte(id, it, i);
		union stress_buf u;
		memset(&u.m, 0, sizeof(u.m));
		u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE) |
				     MACH_MSGH_BITS_COMPLEX;
		u.m.head.msgh_size = sizeof(u.m);
		u.m.head.msgh_remote_port = server;
		u.m.head.msgh_local_port = reply;
		u.m.head.msgh_id = STRESS_REQ;
		u.m.body.msgh_descriptor_count = 2;
		u.m.token.name = token;
		u.m.token.disposition = MACH_MSG_TYPE_MAKE_SEND;
		u.m.token.type = MACH_MSG_PORT_DESCRIPTOR;
		u.m.mem.address = (void *)buf;
		u.m.mem.size = size;
		u.m.mem.copy = MACH_MSG_VIRTUAL_COPY;
		u.m.mem.type = MACH_MSG_OOL_DESCRIPTOR;
		u.m.ndr = NDR_record;
		u.m.w[0] = id;
		u.m.w[1] = it;
		u.m.w[2] = size;
		mach_msg_return_t mr = mach_msg(&u.m.head, MACH_SEND_MSG | MACH_RCV_MSG |
						MACH_SEND_TIMEOUT | MACH_RCV_TIMEOUT, sizeof(u.m),
						sizeof(u), reply, 60000, MACH_PORT_NULL);
		int ok = mr == MACH_MSG_SUCCESS && u.m.head.msgh_id == STRESS_REPLY &&
			 u.m.token.name == token && u.m.mem.address != NULL && u.m.mem.size == size;
		uint32_t sum = 0;
		for (uint32_t i = 0; ok && i < size; i++) {
			ok = ((const uint8_t *)u.m.mem.address)[i] == stress_byte(id, it, i);
			sum += stress_byte(id, it, i);
		}
		if (!ok || u.m.w[3] != sum)
			bad++;
		if (mr == MACH_MSG_SUCCESS) {
			if (MACH_PORT_VALID(u.m.token.name))
				(void)mach_port_deallocate(self, u.m.token.name);
			if (u.m.mem.address)
				(void)vm_deallocate(self, (vm_address_t)u.m.mem.address, u.m.mem.size);
		}
		done++;
		if (done % 25 == 0)
			report(parent, STRESS_PROGRESS, id, done, bad);
	}
	report(parent, STRESS_DONE, id, done, bad);
	return 0;
}
