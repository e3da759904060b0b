/*
 * fuzz_insert_sonce: regression test for a bug the fuzzer found (seed 7,
 * found by the IPC auditor: "receiver ... is no task's space").
 *
 * mach_port_insert_right(task, name, poly, ...) where `name` already
 * denotes a send-once right to the same port, and no other name in the
 * space holds a send or receive right to it, merged the new right into
 * the send-once entry: a send-once + receive (or + send) entry that no
 * other code expects.  Moving the send-once right out then freed the
 * whole entry; with a receive right in it, the port kept a receiver that
 * no longer named it, the receive right was unreachable, and when the task
 * ended the port and its messages leaked holding a pointer to the freed
 * space.  As in XNU, a name in use takes another right only when the
 * reverse hash finds it for the port: here the answer is KERN_NAME_EXISTS
 * and the right being inserted is destroyed.
 *
 * Checked for MOVE_RECEIVE and MOVE_SEND, through the _kernelrpc trap and
 * the MIG routine: the call is refused, the name keeps only its send-once
 * right (a dead name once the refused receive right has died), and the
 * IPC auditor sees nothing wrong.  The first case is also the original
 * failure: the send-once right moved out afterwards must not take the
 * receive right with it.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

/* A send-once right to port under a new name. */
static mach_port_t make_sonce(mach_port_t port)
{
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	if (mach_port_extract_right(mach_task_self(), port, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so, &t) !=
	    KERN_SUCCESS)
		return MACH_PORT_NULL;
	return so;
}

static kern_return_t insert(int rpc, mach_port_t name, mach_port_t poly, mach_msg_type_name_t d)
{
	if (rpc)
		return _kernelrpc_mach_port_insert_right(mach_task_self(), name, poly, d);
	return mach_port_insert_right(mach_task_self(), name, poly, d);
}

/* A receive right (alone) inserted under a send-once name of its port. */
static void receive_case(int rpc)
{
	mach_port_t self = mach_task_self();
	const char *how = rpc ? "RPC" : "trap";
	mach_port_t p = ipc_port();
	mach_port_t so = make_sonce(p);
	kern_return_t kr = insert(rpc, so, p, MACH_MSG_TYPE_MOVE_RECEIVE);
	tap_ok(kr == KERN_NAME_EXISTS, "%s: MOVE_RECEIVE under the port's send-once name: "
	       "KERN_NAME_EXISTS (kr %d)", how, kr);
	mach_port_type_t t = ipc_type(so);
	tap_ok(t == MACH_PORT_TYPE_DEAD_NAME, "%s: the refused receive right died, the send-once "
	       "name is a dead name (type %#x)", how, t);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "%s: no IPC violation", how);
	(void)mach_port_destroy(self, so);
	(void)mach_port_destroy(self, p);
}

/* A send right whose only name goes, inserted under a send-once name. */
static void send_case(int rpc)
{
	mach_port_t self = mach_task_self();
	const char *how = rpc ? "RPC" : "trap";
	mach_port_t q = ipc_port(), p = ipc_port_send();
	mach_port_t so = make_sonce(p);
	/* p's receive right travels (queued on q); p keeps one send uref */
	mach_port_t ports[1] = { p };
	mach_msg_type_name_t disps[1] = { MACH_MSG_TYPE_MOVE_RECEIVE };
	struct {
		mach_msg_header_t h;
		mach_msg_body_t b;
		mach_msg_port_descriptor_t d;
	} m;
	memset(&m, 0, sizeof(m));
	m.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0) | MACH_MSGH_BITS_COMPLEX;
	m.h.msgh_size = sizeof(m);
	m.h.msgh_remote_port = q;
	m.b.msgh_descriptor_count = 1;
	m.d.name = ports[0];
	m.d.disposition = disps[0];
	m.d.type = MACH_MSG_PORT_DESCRIPTOR;
	tap_ok(ipc_send(&m.h, sizeof(m)) == MACH_MSG_SUCCESS, "%s: receive right sent away", how);
	kern_return_t kr = insert(rpc, so, p, MACH_MSG_TYPE_MOVE_SEND);
	tap_ok(kr == KERN_NAME_EXISTS, "%s: MOVE_SEND under the port's send-once name: "
	       "KERN_NAME_EXISTS (kr %d)", how, kr);
	tap_ok(ipc_type(so) == MACH_PORT_TYPE_SEND_ONCE && ipc_refs(so, MACH_PORT_RIGHT_SEND_ONCE) == 1,
	       "%s: the name holds its send-once right only (type %#x)", how, ipc_type(so));
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0, "%s: no IPC violation", how);
	(void)mach_port_deallocate(self, so);
	(void)mach_port_destroy(self, p);
	(void)mach_port_destroy(self, q);
}

int main(void)
{
	unsigned ports = mk_info(MK_INFO_PORTS), kmsgs = mk_info(MK_INFO_KMSGS);
	for (int rpc = 0; rpc < 2; rpc++) {
		receive_case(rpc);
		send_case(rpc);
	}
	tap_ok(mk_info(MK_INFO_PORTS) == ports && mk_info(MK_INFO_KMSGS) == kmsgs,
	       "no port or message left behind (ports %u -> %u, kmsgs %u -> %u)", ports,
	       mk_info(MK_INFO_PORTS), kmsgs, mk_info(MK_INFO_KMSGS));
	return tap_done();
}
