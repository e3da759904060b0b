/*
 * ipc_rights: user-reference arithmetic on receive rights, send rights,
 * port sets and dead names, in one task's space.
 *
 * Covers: mach_port_type / get_refs / mod_refs on every right type;
 * removing a right the name does not hold (KERN_INVALID_RIGHT); a right
 * type out of range (KERN_INVALID_VALUE); urefs up to MACH_PORT_UREFS_MAX
 * and KERN_UREFS_OVERFLOW past it; underflow (KERN_INVALID_VALUE); a send
 * right coming back in a message lands on the receive right's name with
 * one more uref (and stays pegged at the maximum); a destroyed receive
 * right leaves a dead name with the send urefs; a new generation when an
 * entry is reused; mach_port_names, rename and allocate_name.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

#define MAX	MACH_PORT_UREFS_MAX

static mach_port_t self;

/* Send to port (COPY_SEND) a message carrying one port descriptor. */
static mach_msg_return_t send_desc(mach_port_t dest, mach_port_t what,
				   mach_msg_type_name_t disp)
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
	m.head.msgh_remote_port = dest;
	m.head.msgh_id = 1234;
	m.body.msgh_descriptor_count = 1;
	m.port.name = what;
	m.port.disposition = disp;
	m.port.type = MACH_MSG_PORT_DESCRIPTOR;
	return ipc_send(&m.head, sizeof(m));
}

/* Receive the message send_desc sent; return the descriptor's name. */
static mach_port_t recv_desc(mach_port_t port, mach_msg_type_name_t *disp)
{
	union {
		struct {
			mach_msg_header_t		head;
			mach_msg_body_t			body;
			mach_msg_port_descriptor_t	port;
		} m;
		uint8_t space[256];
	} u;

	memset(&u, 0, sizeof(u));
	if (ipc_recv(&u.m.head, sizeof(u), port, IPC_RCV_MS) !=
	    MACH_MSG_SUCCESS || u.m.body.msgh_descriptor_count != 1)
		return IPC_BAD_NAME;
	*disp = u.m.port.disposition;
	return u.m.port.name;
}

static void receive_rights(void)
{
	mach_port_t r;
	kern_return_t kr;

	kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &r);
	if (!tap_ok(kr == KERN_SUCCESS && MACH_PORT_VALID(r),
	    "allocate a receive right (kr %d, name 0x%x)", kr, r))
		return;
	tap_ok(ipc_type(r) == MACH_PORT_TYPE_RECEIVE,
	    "type is RECEIVE (0x%x)", ipc_type(r));
	tap_ok(ipc_refs(r, MACH_PORT_RIGHT_RECEIVE) == 1 &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 0 &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND_ONCE) == 0 &&
	    ipc_refs(r, MACH_PORT_RIGHT_PORT_SET) == 0 &&
	    ipc_refs(r, MACH_PORT_RIGHT_DEAD_NAME) == 0,
	    "get_refs: receive 1, send/send-once/set/dead 0");

	mach_port_urefs_t refs = 7;
	kr = mach_port_get_refs(self, r, MACH_PORT_RIGHT_NUMBER, &refs);
	tap_ok(kr == KERN_INVALID_VALUE, "get_refs with right NUMBER: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_get_refs(self, r, 99, &refs);
	tap_ok(kr == KERN_INVALID_VALUE, "get_refs with right 99: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_NUMBER, -1);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs with right NUMBER: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, 77, 1);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs with right 77: "
	    "KERN_INVALID_VALUE (kr %d)", kr);

	/* Rights the name does not hold. */
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND -1 on a receive "
	    "right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, 1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND +1 on a receive "
	    "right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND_ONCE, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND_ONCE -1 on a "
	    "receive right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_PORT_SET, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs PORT_SET -1 on a "
	    "receive right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_DEAD_NAME, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs DEAD_NAME -1 on a "
	    "receive right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_deallocate(self, r);
	tap_ok(kr == KERN_INVALID_RIGHT, "deallocate a bare receive right: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);

	/* A receive right has exactly one reference. */
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, 1);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs RECEIVE +1: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -2);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs RECEIVE -2: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, 0);
	tap_ok(kr == KERN_SUCCESS && ipc_type(r) == MACH_PORT_TYPE_RECEIVE,
	    "mod_refs RECEIVE 0 succeeds and changes nothing (kr %d)", kr);

	/* Send urefs on the same name, up to the limit. */
	kr = mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr == KERN_SUCCESS &&
	    ipc_type(r) == MACH_PORT_TYPE_SEND_RECEIVE &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1,
	    "insert_right MAKE_SEND: SEND_RECEIVE, 1 send uref (kr %d)", kr);
	kr = mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr == KERN_SUCCESS && ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "a second MAKE_SEND under the same name: 2 urefs (kr %d, %u)", kr,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, -3);
	tap_ok(kr == KERN_INVALID_VALUE &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "mod_refs SEND -3 of 2: KERN_INVALID_VALUE, still 2 (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, MAX - 2);
	tap_ok(kr == KERN_SUCCESS && ipc_refs(r, MACH_PORT_RIGHT_SEND) == MAX,
	    "mod_refs SEND up to MACH_PORT_UREFS_MAX (kr %d, %u)", kr,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, 1);
	tap_ok(kr == KERN_UREFS_OVERFLOW &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == MAX,
	    "one more: KERN_UREFS_OVERFLOW, urefs unchanged (kr %d, %u)", kr,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	kr = mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr == KERN_UREFS_OVERFLOW || kr == KERN_SUCCESS,
	    "insert_right MAKE_SEND at the maximum: overflow or pegged "
	    "(kr %d)", kr);
	tap_ok(ipc_refs(r, MACH_PORT_RIGHT_SEND) == MAX,
	    "urefs still MACH_PORT_UREFS_MAX (%u)",
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));

	/* A send right coming back in a message, at the maximum: pegged. */
	mach_msg_type_name_t disp = 0;
	mach_msg_return_t mr = send_desc(r, r, MACH_MSG_TYPE_COPY_SEND);
	mach_port_t got = recv_desc(r, &disp);
	tap_ok(mr == MACH_MSG_SUCCESS && got == r &&
	    disp == MACH_MSG_TYPE_PORT_SEND &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == MAX,
	    "COPY_SEND to itself at the maximum: same name, urefs stay pegged "
	    "(mr 0x%x, name 0x%x, %u)", mr, got,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));

	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, -(MAX - 1));
	tap_ok(kr == KERN_SUCCESS && ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1,
	    "mod_refs back down to 1 (kr %d)", kr);

	/* Coalescing: the right lands on the receive right's name. */
	mr = send_desc(r, r, MACH_MSG_TYPE_COPY_SEND);
	got = recv_desc(r, &disp);
	tap_ok(mr == MACH_MSG_SUCCESS && got == r &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "COPY_SEND to itself comes back under the same name, +1 uref "
	    "(name 0x%x vs 0x%x, %u urefs)", got, r,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	mr = send_desc(r, r, MACH_MSG_TYPE_MOVE_SEND);
	tap_ok(mr == MACH_MSG_SUCCESS && ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1,
	    "MOVE_SEND takes a uref while the message is queued (%u)",
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	got = recv_desc(r, &disp);
	tap_ok(got == r && ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "and gives it back on receipt, same name (%u)",
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	mr = send_desc(r, r, MACH_MSG_TYPE_MAKE_SEND);
	got = recv_desc(r, &disp);
	tap_ok(mr == MACH_MSG_SUCCESS && got == r &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 3,
	    "MAKE_SEND to itself: same name, 3 urefs (%u)",
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));

	/* The reply field of the header coalesces too. */
	mr = ipc_send_bare(r, MACH_MSG_TYPE_MAKE_SEND_ONCE, r,
	    MACH_MSG_TYPE_COPY_SEND, 55);
	union {
		mach_msg_header_t	h;
		uint8_t			space[128];
	} u;
	mach_msg_return_t mr2 = ipc_recv(&u.h, sizeof(u), r, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    u.h.msgh_remote_port == r && u.h.msgh_local_port == r &&
	    MACH_MSGH_BITS_REMOTE(u.h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND &&
	    MACH_MSGH_BITS_LOCAL(u.h.msgh_bits) ==
	    MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 4 &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND_ONCE) == 0,
	    "reply COPY_SEND to itself: remote == local == name, 4 urefs, no "
	    "send-once left (mr 0x%x/0x%x, bits 0x%x, %u)", mr, mr2,
	    u.h.msgh_bits, ipc_refs(r, MACH_PORT_RIGHT_SEND));

	/* Destroying the receive right leaves a dead name with the urefs. */
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(kr == KERN_SUCCESS && ipc_type(r) == MACH_PORT_TYPE_DEAD_NAME &&
	    ipc_refs(r, MACH_PORT_RIGHT_DEAD_NAME) == 4,
	    "mod_refs RECEIVE -1 with 4 send urefs: a dead name with 4 urefs "
	    "(kr %d, type 0x%x, %u)", kr, ipc_type(r),
	    ipc_refs(r, MACH_PORT_RIGHT_DEAD_NAME));
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND -1 on the dead name: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_DEAD_NAME, -4);
	tap_ok(kr == KERN_SUCCESS && ipc_type(r) == IPC_BAD_TYPE,
	    "mod_refs DEAD_NAME -4: the name is gone (kr %d)", kr);
}

static void send_once_rights(void)
{
	mach_port_t r = ipc_port(), so = MACH_PORT_NULL, so2 = MACH_PORT_NULL;
	mach_msg_type_name_t t = 0, t2 = 0;
	kern_return_t kr, kr2;

	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    &so, &t);
	kr2 = mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    &so2, &t2);
	if (!tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    t == MACH_MSG_TYPE_PORT_SEND_ONCE && so != r && so2 != so,
	    "two send-once rights: two new names (kr %d/%d, 0x%x 0x%x)", kr,
	    kr2, so, so2))
		goto out;
	tap_ok(ipc_type(so) == MACH_PORT_TYPE_SEND_ONCE &&
	    ipc_refs(so, MACH_PORT_RIGHT_SEND_ONCE) == 1 &&
	    ipc_refs(so, MACH_PORT_RIGHT_SEND) == 0,
	    "type SEND_ONCE, 1 reference (type 0x%x)", ipc_type(so));
	kr = mach_port_mod_refs(self, so, MACH_PORT_RIGHT_SEND_ONCE, 1);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs SEND_ONCE +1: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_mod_refs(self, so, MACH_PORT_RIGHT_SEND, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND -1 on a send-once "
	    "right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, so, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs RECEIVE -1 on a send-once "
	    "right: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, so, MACH_PORT_RIGHT_SEND_ONCE, -1);
	tap_ok(kr == KERN_SUCCESS && ipc_type(so) == IPC_BAD_TYPE,
	    "mod_refs SEND_ONCE -1 releases it (kr %d)", kr);

	/* A send-once right whose port dies becomes a dead name, 1 uref. */
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(kr == KERN_SUCCESS && ipc_type(so2) == MACH_PORT_TYPE_DEAD_NAME &&
	    ipc_refs(so2, MACH_PORT_RIGHT_DEAD_NAME) == 1,
	    "its port destroyed, a send-once right is a dead name with 1 uref "
	    "(type 0x%x)", ipc_type(so2));
	kr = mach_port_deallocate(self, so2);
	tap_ok(kr == KERN_SUCCESS && ipc_type(so2) == IPC_BAD_TYPE,
	    "deallocate the dead name: gone (kr %d)", kr);
	return;
out:
	(void)mach_port_destroy(self, so);
	(void)mach_port_destroy(self, so2);
	(void)mach_port_destroy(self, r);
}

static void port_sets(void)
{
	mach_port_t s = MACH_PORT_NULL;
	kern_return_t kr;

	kr = mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s);
	if (!tap_ok(kr == KERN_SUCCESS, "allocate a port set (kr %d)", kr))
		return;
	tap_ok(ipc_type(s) == MACH_PORT_TYPE_PORT_SET &&
	    ipc_refs(s, MACH_PORT_RIGHT_PORT_SET) == 1 &&
	    ipc_refs(s, MACH_PORT_RIGHT_RECEIVE) == 0 &&
	    ipc_refs(s, MACH_PORT_RIGHT_SEND) == 0,
	    "type PORT_SET, 1 set reference, no others (0x%x)", ipc_type(s));
	kr = mach_port_mod_refs(self, s, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs RECEIVE -1 on a set: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, s, MACH_PORT_RIGHT_SEND, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND -1 on a set: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, s, MACH_PORT_RIGHT_DEAD_NAME, 1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs DEAD_NAME +1 on a set: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, s, MACH_PORT_RIGHT_PORT_SET, 1);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs PORT_SET +1: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_deallocate(self, s);
	tap_ok(kr == KERN_INVALID_RIGHT, "deallocate a set: KERN_INVALID_RIGHT "
	    "(kr %d)", kr);
	kr = mach_port_insert_right(self, s, s, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr != KERN_SUCCESS && ipc_type(s) == MACH_PORT_TYPE_PORT_SET,
	    "insert_right MAKE_SEND of a set fails (kr %d)", kr);
	kr = mach_port_mod_refs(self, s, MACH_PORT_RIGHT_PORT_SET, -1);
	tap_ok(kr == KERN_SUCCESS && ipc_type(s) == IPC_BAD_TYPE,
	    "mod_refs PORT_SET -1 destroys it (kr %d)", kr);
}

static void dead_names(void)
{
	mach_port_t d = MACH_PORT_NULL;
	kern_return_t kr;

	kr = mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &d);
	if (!tap_ok(kr == KERN_SUCCESS, "allocate a dead name (kr %d)", kr))
		return;
	tap_ok(ipc_type(d) == MACH_PORT_TYPE_DEAD_NAME &&
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME) == 1 &&
	    ipc_refs(d, MACH_PORT_RIGHT_SEND) == 0,
	    "type DEAD_NAME, 1 uref (0x%x)", ipc_type(d));
	kr = mach_port_mod_refs(self, d, MACH_PORT_RIGHT_DEAD_NAME, MAX - 1);
	tap_ok(kr == KERN_SUCCESS &&
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME) == MAX,
	    "mod_refs DEAD_NAME up to the maximum (kr %d, %u)", kr,
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME));
	kr = mach_port_mod_refs(self, d, MACH_PORT_RIGHT_DEAD_NAME, 1);
	tap_ok(kr == KERN_UREFS_OVERFLOW &&
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME) == MAX,
	    "one more: KERN_UREFS_OVERFLOW (kr %d)", kr);
	kr = mach_port_mod_refs(self, d, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs RECEIVE -1 on a dead "
	    "name: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_mod_refs(self, d, MACH_PORT_RIGHT_SEND_ONCE, -1);
	tap_ok(kr == KERN_INVALID_RIGHT, "mod_refs SEND_ONCE -1 on a dead "
	    "name: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_deallocate(self, d);
	tap_ok(kr == KERN_SUCCESS &&
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME) == MAX - 1,
	    "deallocate takes one uref (kr %d, %u)", kr,
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME));
	kr = mach_port_mod_refs(self, d, MACH_PORT_RIGHT_DEAD_NAME, -MAX);
	tap_ok(kr == KERN_INVALID_VALUE, "mod_refs DEAD_NAME below zero: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_destroy(self, d);
	tap_ok(kr == KERN_SUCCESS && ipc_type(d) == IPC_BAD_TYPE,
	    "destroy removes all urefs at once (kr %d)", kr);
}

static void invalid_names(void)
{
	mach_port_type_t t;
	mach_port_urefs_t refs;
	kern_return_t kr;

	kr = mach_port_type(self, IPC_BAD_NAME, &t);
	tap_ok(kr == KERN_INVALID_NAME, "type of an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_get_refs(self, IPC_BAD_NAME, MACH_PORT_RIGHT_SEND, &refs);
	tap_ok(kr == KERN_INVALID_NAME, "get_refs of an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_mod_refs(self, IPC_BAD_NAME, MACH_PORT_RIGHT_SEND, -1);
	tap_ok(kr == KERN_INVALID_NAME, "mod_refs of an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_deallocate(self, IPC_BAD_NAME);
	tap_ok(kr == KERN_INVALID_NAME, "deallocate an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_destroy(self, IPC_BAD_NAME);
	tap_ok(kr == KERN_INVALID_NAME, "destroy an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_mod_refs(self, MACH_PORT_NULL, MACH_PORT_RIGHT_SEND, -1);
	tap_ok(kr == KERN_SUCCESS, "mod_refs SEND of MACH_PORT_NULL: "
	    "KERN_SUCCESS (kr %d)", kr);
	kr = mach_port_mod_refs(self, MACH_PORT_DEAD, MACH_PORT_RIGHT_SEND_ONCE,
	    -1);
	tap_ok(kr == KERN_SUCCESS, "mod_refs SEND_ONCE of MACH_PORT_DEAD: "
	    "KERN_SUCCESS (kr %d)", kr);
	kr = mach_port_mod_refs(self, MACH_PORT_NULL, MACH_PORT_RIGHT_RECEIVE,
	    -1);
	tap_ok(kr == KERN_INVALID_NAME, "mod_refs RECEIVE of MACH_PORT_NULL: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_deallocate(self, MACH_PORT_NULL);
	tap_ok(kr == KERN_SUCCESS, "deallocate MACH_PORT_NULL: KERN_SUCCESS "
	    "(kr %d)", kr);
	kr = mach_port_deallocate(self, MACH_PORT_DEAD);
	tap_ok(kr == KERN_SUCCESS, "deallocate MACH_PORT_DEAD: KERN_SUCCESS "
	    "(kr %d)", kr);
	mach_port_name_t n;
	kr = mach_port_allocate(self, MACH_PORT_RIGHT_SEND, &n);
	tap_ok(kr == KERN_INVALID_VALUE, "allocate a SEND right: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_allocate(self, 42, &n);
	tap_ok(kr == KERN_INVALID_VALUE, "allocate right 42: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
}

/* Is name listed in names[0..n) with exactly type? */
static int listed(mach_port_name_t *names, mach_port_type_t *types,
		  unsigned int n, mach_port_name_t name, mach_port_type_t type)
{
	for (unsigned int i = 0; i < n; i++)
		if (names[i] == name)
			return types[i] == type;
	return 0;
}

static void names_and_generations(void)
{
	mach_port_t a = ipc_port(), b = MACH_PORT_NULL, s = MACH_PORT_NULL;
	mach_port_t d = MACH_PORT_NULL;
	kern_return_t kr;

	/* A new generation when the entry is reused. */
	kr = mach_port_destroy(self, a);
	tap_ok(kr == KERN_SUCCESS, "destroy 0x%x (kr %d)", a, kr);
	b = ipc_port();
	tap_ok(b != MACH_PORT_NULL &&
	    MACH_PORT_INDEX(b) == MACH_PORT_INDEX(a) && b != a,
	    "the next allocation reuses index %u with a new name (0x%x -> "
	    "0x%x)", MACH_PORT_INDEX(a), a, b);
	tap_ok(ipc_type(a) == IPC_BAD_TYPE, "the old name 0x%x denotes nothing",
	    a);

	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &d);
	(void)mach_port_insert_right(self, b, b, MACH_MSG_TYPE_MAKE_SEND);

	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	kr = mach_port_names(self, &names, &nn, &types, &nt);
	if (tap_ok(kr == KERN_SUCCESS && nn == nt && nn >= 3,
	    "mach_port_names: %u names, %u types (kr %d)", nn, nt, kr)) {
		tap_ok(listed(names, types, nn, b, MACH_PORT_TYPE_SEND_RECEIVE),
		    "it lists 0x%x as SEND_RECEIVE", b);
		tap_ok(listed(names, types, nn, s, MACH_PORT_TYPE_PORT_SET),
		    "it lists 0x%x as PORT_SET", s);
		tap_ok(listed(names, types, nn, d, MACH_PORT_TYPE_DEAD_NAME),
		    "it lists 0x%x as DEAD_NAME", d);
		tap_ok(!listed(names, types, nn, a, 0) &&
		    !listed(names, types, nn, a, MACH_PORT_TYPE_RECEIVE),
		    "it does not list the destroyed name 0x%x", a);
		(void)vm_deallocate(self, (vm_address_t)names,
		    nn * sizeof(*names));
		(void)vm_deallocate(self, (vm_address_t)types,
		    nt * sizeof(*types));
	}

	/* rename */
	mach_port_name_t nb = MACH_PORT_MAKE(0x130, 3);
	kr = mach_port_rename(self, b, nb);
	tap_ok(kr == KERN_SUCCESS && ipc_type(b) == IPC_BAD_TYPE &&
	    ipc_type(nb) == MACH_PORT_TYPE_SEND_RECEIVE &&
	    ipc_refs(nb, MACH_PORT_RIGHT_SEND) == 1,
	    "rename 0x%x to 0x%x moves the rights and urefs (kr %d)", b, nb,
	    kr);
	kr = mach_port_rename(self, nb, s);
	tap_ok(kr == KERN_NAME_EXISTS, "rename onto a used name: "
	    "KERN_NAME_EXISTS (kr %d)", kr);
	kr = mach_port_rename(self, IPC_BAD_NAME, MACH_PORT_MAKE(0x131, 3));
	tap_ok(kr == KERN_INVALID_NAME, "rename an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_rename(self, nb, MACH_PORT_NULL);
	tap_ok(kr == KERN_INVALID_VALUE, "rename to MACH_PORT_NULL: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	/* a renamed port still gets its messages, and coalesces under nb */
	mach_msg_return_t mr = send_desc(nb, nb, MACH_MSG_TYPE_COPY_SEND);
	mach_msg_type_name_t disp = 0;
	mach_port_t got = recv_desc(nb, &disp);
	tap_ok(mr == MACH_MSG_SUCCESS && got == nb &&
	    ipc_refs(nb, MACH_PORT_RIGHT_SEND) == 2,
	    "the renamed port receives, and its send right comes back as "
	    "0x%x (got 0x%x)", nb, got);

	/* allocate_name */
	mach_port_name_t want = MACH_PORT_MAKE(0x140, 9);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, want);
	tap_ok(kr == KERN_SUCCESS && ipc_type(want) == MACH_PORT_TYPE_RECEIVE,
	    "allocate_name RECEIVE 0x%x (kr %d)", want, kr);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE, want);
	tap_ok(kr == KERN_NAME_EXISTS, "allocate_name again: KERN_NAME_EXISTS "
	    "(kr %d)", kr);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_PORT_SET,
	    MACH_PORT_MAKE(0x141, 9));
	tap_ok(kr == KERN_SUCCESS &&
	    ipc_type(MACH_PORT_MAKE(0x141, 9)) == MACH_PORT_TYPE_PORT_SET,
	    "allocate_name PORT_SET (kr %d)", kr);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_DEAD_NAME,
	    MACH_PORT_MAKE(0x142, 9));
	tap_ok(kr == KERN_SUCCESS &&
	    ipc_type(MACH_PORT_MAKE(0x142, 9)) == MACH_PORT_TYPE_DEAD_NAME,
	    "allocate_name DEAD_NAME (kr %d)", kr);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE,
	    MACH_PORT_NULL);
	tap_ok(kr == KERN_INVALID_VALUE, "allocate_name MACH_PORT_NULL: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_RECEIVE,
	    MACH_PORT_DEAD);
	tap_ok(kr == KERN_INVALID_VALUE, "allocate_name MACH_PORT_DEAD: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_allocate_name(self, MACH_PORT_RIGHT_SEND,
	    MACH_PORT_MAKE(0x143, 9));
	tap_ok(kr == KERN_INVALID_VALUE, "allocate_name of a SEND right: "
	    "KERN_INVALID_VALUE (kr %d)", kr);

	(void)mach_port_destroy(self, want);
	(void)mach_port_destroy(self, MACH_PORT_MAKE(0x141, 9));
	(void)mach_port_destroy(self, MACH_PORT_MAKE(0x142, 9));
	(void)mach_port_destroy(self, nb);
	(void)mach_port_destroy(self, s);
	(void)mach_port_destroy(self, d);
}

int main(void)
{
	self = mach_task_self();
	receive_rights();
	send_once_rights();
	port_sets();
	dead_names();
	invalid_names();
	names_and_generations();
	return tap_done();
}
