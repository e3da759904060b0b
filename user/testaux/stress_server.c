/*
 * testaux/stress_server: a server of the load test (tests/stress_rpc).
 *
 * Says hello on its bootstrap port with a send right to its service
 * port, then serves STRESS_REQ until STRESS_EXIT: checks the request's
 * out-of-line bytes, checks that the port's sequence numbers (format-0
 * trailer) follow each other without a gap, and replies with the token
 * right moved back, the memory copied back and the bytes' sum.  Requests
 * from clients killed in the middle of the call are served the same (the
 * reply then goes nowhere).  On STRESS_EXIT it answers STRESS_STATS:
 * requests, sequence gaps, bad payloads, failed replies; then exits 0.
 */
#include <string.h>
#include <mach/mach.h>
#include <mk/mach_port.h>
#include <mk/mach_vm.h>
#include <mk/thread.h>
#include "ipc_common.h"
#include "stress_proto.h"

int main(void)
{
	mach_port_t self = mach_task_self(), parent = ipc_parent_port(), port = ipc_port();
	if (parent == MACH_PORT_NULL || port == MACH_PORT_NULL ||
	    ipc_send_bare(parent, MACH_MSG_TYPE_COPY_SEND, port, MACH_MSG_TYPE_MAKE_SEND,
			  STRESS_HELLO) != MACH_MSG_SUCCESS)
		return 1;
	uint32_t requests = 0, gaps = 0, bad = 0, lost = 0, expect = 0;
	mach_port_limits_t lim = { 64 };
	(void)mach_port_set_attributes(self, port, MACH_PORT_LIMITS_INFO, (mach_port_info_t)&lim,
				       MACH_PORT_LIMITS_INFO_COUNT);
	for (;;) {
		union stress_buf u;
		mach_msg_return_t mr = mach_msg(&u.m.head, MACH_RCV_MSG |
						MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
						MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO),
						0, sizeof(u), port, 0, MACH_PORT_NULL);
		if (mr != MACH_MSG_SUCCESS)
			continue;
		mach_msg_seqno_trailer_t *tr = (void *)(u.b + round_msg(u.m.head.msgh_size));
		if (tr->msgh_seqno != expect)
			gaps++;
		expect = tr->msgh_seqno + 1;
		if (u.m.head.msgh_id == STRESS_EXIT) {
			struct stress_words r;
			memset(&r, 0, sizeof(r));
			r.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
			r.head.msgh_size = sizeof(r);
			r.head.msgh_remote_port = u.m.head.msgh_remote_port;
			r.head.msgh_id = STRESS_STATS;
			r.w[0] = requests;
			r.w[1] = gaps;
			r.w[2] = bad;
			r.w[3] = lost;
			(void)ipc_send(&r.head, sizeof(r));
			return 0;
		}
		if (u.m.head.msgh_id != STRESS_REQ || !(u.m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
			mach_msg_destroy(&u.m.head);
			bad++;
			continue;
		}
		requests++;
		uint32_t client = u.m.w[0], iter = u.m.w[1], size = u.m.w[2], sum = 0;
		const uint8_t *p = u.m.mem.address;
		if (p == NULL || u.m.mem.size != size)
			bad++;
		else
			for (uint32_t i = 0; i < size; i++) {
				if (p[i] != stress_byte(client, iter, i)) {
					bad++;
					break;
				}
				sum += p[i];
			}
		/* the extra clients' calls are held a moment: their kills land mid-call */
		if (client >= 100)
			(void)mk_sleep_ms(3);
		/* reply: the token moved back, the memory copied back */
		mach_port_t reply = u.m.head.msgh_remote_port;
		u.m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0) |
				     MACH_MSGH_BITS_COMPLEX;
		u.m.head.msgh_size = sizeof(u.m);
		u.m.head.msgh_remote_port = reply;
		u.m.head.msgh_local_port = MACH_PORT_NULL;
		u.m.head.msgh_id = STRESS_REPLY;
		u.m.token.disposition = MACH_MSG_TYPE_MOVE_SEND;
		u.m.mem.deallocate = 0;
		u.m.mem.copy = MACH_MSG_VIRTUAL_COPY;
		u.m.w[3] = sum;
		mr = ipc_send(&u.m.head, sizeof(u.m));
		if (mr != MACH_MSG_SUCCESS) {
			/* the client is gone: what the reply carried came back to us */
			lost++;
			if (MACH_PORT_VALID(u.m.head.msgh_remote_port))
				(void)mach_port_deallocate(self, u.m.head.msgh_remote_port);
			if (MACH_PORT_VALID(u.m.token.name))
				(void)mach_port_deallocate(self, u.m.token.name);
			if (u.m.mem.address && u.m.mem.address != p)
				(void)vm_deallocate(self, (vm_address_t)u.m.mem.address, size);
		}
		if (p != NULL)
			(void)vm_deallocate(self, (vm_address_t)p, size);
	}
}
