/*
 * ipc_rpc_port: the mach_port_* kernel RPCs with good and bad arguments
 * (rights arithmetic itself is tests/ipc_rights).
 *
 * Covers: every routine on a null target (MACH_SEND_INVALID_DEST, from
 * the stub's send), on a port that is not a task (a thread, the host:
 * KERN_INVALID_TASK); operating on another task's space (a task made with
 * task_create): allocate, type, names, insert_right, extract_right,
 * get_refs, destroy there; insert_right (names taken, rights already
 * named, a right the caller lacks, moving a receive right to a new name);
 * extract_right (each disposition, bad ones); set_mscount;
 * get_set_status; get/set_attributes (flavors, counts, wrong rights).
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

static mach_port_t self;

/* Every mach_port_* routine on target; how many gave `want'. */
static int all_routines(mach_port_t target, kern_return_t want, int *total)
{
	mach_port_t r = ipc_port();	/* a real name, in our space */
	mach_port_name_t name = 0;
	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	mach_port_type_t type;
	mach_port_urefs_t refs;
	mach_port_t poly, prev;
	mach_msg_type_name_t polytype;
	mach_port_limits_t l = { 5 };
	mach_msg_type_number_t cnt = MACH_PORT_LIMITS_INFO_COUNT;
	kern_return_t got[21];
	int n = 0;

	got[n++] = mach_port_allocate(target, MACH_PORT_RIGHT_RECEIVE, &name);
	got[n++] = mach_port_allocate_name(target, MACH_PORT_RIGHT_RECEIVE,
	    MACH_PORT_MAKE(0x150, 1));
	got[n++] = mach_port_destroy(target, r);
	got[n++] = mach_port_deallocate(target, r);
	got[n++] = mach_port_mod_refs(target, r, MACH_PORT_RIGHT_RECEIVE, 0);
	got[n++] = mach_port_get_refs(target, r, MACH_PORT_RIGHT_RECEIVE, &refs);
	got[n++] = mach_port_type(target, r, &type);
	got[n++] = mach_port_names(target, &names, &nn, &types, &nt);
	got[n++] = mach_port_rename(target, r, MACH_PORT_MAKE(0x151, 1));
	got[n++] = mach_port_set_mscount(target, r, 1);
	got[n++] = mach_port_get_set_status(target, r, &names, &nn);
	got[n++] = mach_port_move_member(target, r, MACH_PORT_NULL);
	got[n++] = mach_port_insert_member(target, r, r);
	got[n++] = mach_port_extract_member(target, r, r);
	got[n++] = mach_port_insert_right(target, MACH_PORT_MAKE(0x152, 1), r,
	    MACH_MSG_TYPE_MAKE_SEND);
	got[n++] = mach_port_extract_right(target, r,
	    MACH_MSG_TYPE_MAKE_SEND, &poly, &polytype);
	got[n++] = mach_port_set_seqno(target, r, 1);
	got[n++] = mach_port_get_attributes(target, r, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, &cnt);
	got[n++] = mach_port_set_attributes(target, r, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, MACH_PORT_LIMITS_INFO_COUNT);
	got[n++] = mach_port_request_notification(target, r,
	    MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE, &prev);
	int good = 0;
	for (int i = 0; i < n; i++) {
		if (got[i] == want)
			good++;
		else
			tap_diag("routine %d gave 0x%x", i, got[i]);
	}
	*total = n;
	/* (insert_right's MAKE_SEND may count in mscount: made, then dropped) */
	tap_ok(ipc_type(r) == MACH_PORT_TYPE_RECEIVE &&
	    ipc_status(r).mps_srights == 0 && ipc_status(r).mps_sorights == 0 &&
	    ipc_status(r).mps_seqno == 0 && ipc_status(r).mps_msgcount == 0,
	    "our own right 0x%x kept no stray right or message", r);
	(void)mach_port_destroy(self, r);
	return good;
}

static void bad_targets(void)
{
	int total = 0, good;
	mach_port_t thread = mach_thread_self(), host = mach_host_self();
	mach_port_t dead = MACH_PORT_NULL;

	good = all_routines(MACH_PORT_NULL, MACH_SEND_INVALID_DEST, &total);
	tap_ok(good == total, "all %d routines on MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (%d did)", total, good);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dead);
	good = all_routines(dead, MACH_SEND_INVALID_DEST, &total);
	tap_ok(good == total, "all %d routines on a dead name: "
	    "MACH_SEND_INVALID_DEST (%d did)", total, good);
	good = all_routines(thread, KERN_INVALID_TASK, &total);
	tap_ok(good == total, "all %d routines on a thread port: "
	    "KERN_INVALID_TASK (%d did)", total, good);
	good = all_routines(host, KERN_INVALID_TASK, &total);
	tap_ok(good == total, "all %d routines on the host port: "
	    "KERN_INVALID_TASK (%d did)", total, good);
	(void)mach_port_deallocate(self, thread);
	(void)mach_port_deallocate(self, host);
	(void)mach_port_destroy(self, dead);
}

static void other_space(void)
{
	task_t child = MACH_PORT_NULL;
	kern_return_t kr;

	kr = task_create(self, NULL, 0, FALSE, &child);
	if (!tap_ok(kr == KERN_SUCCESS && ipc_type(child) == MACH_PORT_TYPE_SEND,
	    "task_create: a task port (kr %d)", kr))
		return;
	mach_port_name_t cr = MACH_PORT_NULL;
	kr = mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &cr);
	mach_port_type_t t = 0;
	kern_return_t kr2 = mach_port_type(child, cr, &t);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS &&
	    t == MACH_PORT_TYPE_RECEIVE,
	    "allocate a receive right in the other task's space (kr %d, name "
	    "0x%x, type 0x%x)", kr, cr, t);

	mach_port_name_array_t names = NULL;
	mach_port_type_array_t types = NULL;
	mach_msg_type_number_t nn = 0, nt = 0;
	kr = mach_port_names(child, &names, &nn, &types, &nt);
	int listed = 0;
	for (unsigned int i = 0; kr == KERN_SUCCESS && i < nn; i++)
		if (names[i] == cr && types[i] == MACH_PORT_TYPE_RECEIVE)
			listed++;
	tap_ok(kr == KERN_SUCCESS && listed == 1, "mach_port_names of the "
	    "other space lists it (kr %d, %u names)", kr, nn);
	if (kr == KERN_SUCCESS && nn) {
		(void)vm_deallocate(self, (vm_address_t)names,
		    nn * sizeof(*names));
		(void)vm_deallocate(self, (vm_address_t)types,
		    nt * sizeof(*types));
	}

	/* give it a send right to one of our ports under a chosen name */
	mach_port_t ours = ipc_port();
	mach_port_name_t there = MACH_PORT_MAKE(0x160, 7);
	kr = mach_port_insert_right(child, there, ours, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_urefs_t refs = 0;
	kr2 = mach_port_get_refs(child, there, MACH_PORT_RIGHT_SEND, &refs);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS && refs == 1 &&
	    ipc_status(ours).mps_srights == 1 &&
	    ipc_type(ours) == MACH_PORT_TYPE_RECEIVE,
	    "insert_right MAKE_SEND into the other space: 1 uref there, none "
	    "here (kr %d %d, refs %u)", kr, kr2, refs);

	/* take its receive right out */
	mach_port_t got = MACH_PORT_NULL;
	mach_msg_type_name_t gt = 0;
	kr = mach_port_extract_right(child, cr, MACH_MSG_TYPE_MOVE_RECEIVE,
	    &got, &gt);
	kr2 = mach_port_type(child, cr, &t);
	tap_ok(kr == KERN_SUCCESS && gt == MACH_MSG_TYPE_PORT_RECEIVE &&
	    ipc_type(got) == MACH_PORT_TYPE_RECEIVE && kr2 == KERN_INVALID_NAME,
	    "extract_right MOVE_RECEIVE from the other space: ours now, gone "
	    "there (kr %d, type %u, there %d)", kr, gt, kr2);
	(void)mach_port_destroy(self, got);

	kr = mach_port_destroy(child, there);
	tap_ok(kr == KERN_SUCCESS && ipc_status(ours).mps_srights == 0,
	    "destroy the send right there: no senders left (kr %d)", kr);
	(void)mach_port_destroy(self, ours);

	kr = task_terminate(child);
	tap_ok(kr == KERN_SUCCESS, "task_terminate it (kr %d)", kr);
	kr = mach_port_allocate(child, MACH_PORT_RIGHT_RECEIVE, &cr);
	tap_ok(kr == KERN_INVALID_TASK || kr == MACH_SEND_INVALID_DEST,
	    "its port no longer names a space: KERN_INVALID_TASK, or "
	    "MACH_SEND_INVALID_DEST once the port is destroyed (0x%x)", kr);
	(void)mach_port_deallocate(self, child);
}

static void insert_and_extract(void)
{
	mach_port_t r = ipc_port(), s = ipc_port_send(), got;
	mach_msg_type_name_t gt;
	kern_return_t kr;

	mach_port_name_t fresh = MACH_PORT_MAKE(0x170, 3);
	kr = mach_port_insert_right(self, fresh, r, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr == KERN_RIGHT_EXISTS && ipc_type(fresh) == IPC_BAD_TYPE,
	    "insert_right of a send right for a port we name already, under "
	    "another name: KERN_RIGHT_EXISTS (kr %d)", kr);
	kr = mach_port_insert_right(self, s, r, MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr == KERN_NAME_EXISTS || kr == KERN_RIGHT_EXISTS,
	    "insert_right under a name holding another port: refused (kr %d)",
	    kr);
	kr = mach_port_insert_right(self, MACH_PORT_NULL, r,
	    MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(kr == KERN_INVALID_VALUE, "insert_right under MACH_PORT_NULL: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_insert_right(self, fresh, MACH_PORT_NULL,
	    MACH_MSG_TYPE_COPY_SEND);
	tap_ok(kr == KERN_INVALID_NAME || kr == KERN_INVALID_CAPABILITY,
	    "insert_right of MACH_PORT_NULL: KERN_INVALID_NAME (trap) or "
	    "KERN_INVALID_CAPABILITY (RPC) (kr %d)", kr);
	kr = mach_port_insert_right(self, fresh, r, MACH_MSG_TYPE_COPY_SEND);
	tap_ok(kr == KERN_INVALID_RIGHT && ipc_type(fresh) == IPC_BAD_TYPE,
	    "insert_right COPY_SEND of a bare receive right: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_insert_right(self, fresh, r, MACH_MSG_TYPE_MOVE_RECEIVE);
	tap_ok(kr == KERN_SUCCESS && ipc_type(fresh) == MACH_PORT_TYPE_RECEIVE &&
	    ipc_type(r) == IPC_BAD_TYPE,
	    "insert_right MOVE_RECEIVE to a new name moves it there (kr %d)",
	    kr);
	r = fresh;

	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND, &got, &gt);
	tap_ok(kr == KERN_SUCCESS && got == r && gt == MACH_MSG_TYPE_PORT_SEND &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 1,
	    "extract_right MAKE_SEND: a send right, back under the same name "
	    "(kr %d, 0x%x)", kr, got);
	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_COPY_SEND, &got, &gt);
	tap_ok(kr == KERN_SUCCESS && got == r &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "extract_right COPY_SEND: one more uref (kr %d, %u)", kr,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_MOVE_SEND, &got, &gt);
	tap_ok(kr == KERN_SUCCESS && got == r &&
	    ipc_refs(r, MACH_PORT_RIGHT_SEND) == 2,
	    "extract_right MOVE_SEND: taken and given back (kr %d, %u)", kr,
	    ipc_refs(r, MACH_PORT_RIGHT_SEND));
	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    &got, &gt);
	tap_ok(kr == KERN_SUCCESS && got != r &&
	    gt == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_type(got) == MACH_PORT_TYPE_SEND_ONCE,
	    "extract_right MAKE_SEND_ONCE: a send-once right, new name (kr %d)",
	    kr);
	mach_port_t so = got;
	kr = mach_port_extract_right(self, so, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	    &got, &gt);
	tap_ok(kr == KERN_SUCCESS && gt == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_type(got) == MACH_PORT_TYPE_SEND_ONCE,
	    "extract_right MOVE_SEND_ONCE: comes back as a send-once right "
	    "(kr %d)", kr);
	(void)mach_port_deallocate(self, got);
	(void)ipc_drain(r);
	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_COPY_RECEIVE, &got,
	    &gt);
	tap_ok(kr == KERN_INVALID_VALUE, "extract_right COPY_RECEIVE: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_extract_right(self, r, 99, &got, &gt);
	tap_ok(kr == KERN_INVALID_VALUE, "extract_right type 99: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = mach_port_extract_right(self, IPC_BAD_NAME,
	    MACH_MSG_TYPE_MAKE_SEND, &got, &gt);
	tap_ok(kr == KERN_INVALID_NAME, "extract_right of an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	mach_port_t so2 = MACH_PORT_NULL;
	(void)mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    &so2, &gt);
	kr = mach_port_extract_right(self, so2, MACH_MSG_TYPE_MOVE_SEND, &got,
	    &gt);
	tap_ok(kr == KERN_INVALID_RIGHT, "extract_right MOVE_SEND of a "
	    "send-once right: KERN_INVALID_RIGHT (kr %d)", kr);
	(void)mach_port_deallocate(self, so2);
	(void)ipc_drain(r);
	kr = mach_port_extract_right(self, r, MACH_MSG_TYPE_MOVE_RECEIVE, &got,
	    &gt);
	tap_ok(kr == KERN_SUCCESS && got == r &&
	    ipc_type(r) == MACH_PORT_TYPE_SEND_RECEIVE,
	    "extract_right MOVE_RECEIVE of our own: comes back under its send "
	    "right's name (kr %d, 0x%x vs 0x%x)", kr, got, r);
	(void)mach_port_destroy(self, r);
	(void)mach_port_destroy(self, s);
}

static void misc_routines(void)
{
	mach_port_t r = ipc_port_send(), set = MACH_PORT_NULL;
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	kern_return_t kr;

	(void)mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	kr = mach_port_set_mscount(self, r, 10);
	tap_ok(kr == KERN_SUCCESS && ipc_status(r).mps_mscount == 10,
	    "set_mscount 10 (kr %d, %u)", kr, ipc_status(r).mps_mscount);
	kr = mach_port_set_mscount(self, so, 1);
	tap_ok(kr == KERN_INVALID_RIGHT, "set_mscount on a send-once right: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_set_seqno(self, so, 1);
	tap_ok(kr == KERN_INVALID_RIGHT, "set_seqno on a send-once right: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);

	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &set);
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 99;
	kr = mach_port_get_set_status(self, set, &members, &n);
	tap_ok(kr == KERN_SUCCESS && n == 0, "get_set_status of an empty set: "
	    "0 members (kr %d, %u)", kr, n);
	kr = mach_port_get_set_status(self, r, &members, &n);
	tap_ok(kr == KERN_INVALID_RIGHT, "get_set_status of a port: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_get_set_status(self, IPC_BAD_NAME, &members, &n);
	tap_ok(kr == KERN_INVALID_NAME, "get_set_status of an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);

	mach_port_status_t st;
	mach_msg_type_number_t cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	kr = mach_port_get_attributes(self, r, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)&st, &cnt);
	tap_ok(kr == KERN_SUCCESS && cnt == MACH_PORT_RECEIVE_STATUS_COUNT &&
	    st.mps_sorights == 1 && st.mps_srights == 1 && st.mps_mscount == 10 &&
	    st.mps_qlimit == 5 && st.mps_msgcount == 0 && st.mps_pset == 0,
	    "RECEIVE_STATUS: sorights 1, srights yes, mscount 10, qlimit 5 "
	    "(kr %d)", kr);
	int dn = -1;
	cnt = MACH_PORT_DNREQUESTS_SIZE_COUNT;
	kr = mach_port_get_attributes(self, r, MACH_PORT_DNREQUESTS_SIZE,
	    (mach_port_info_t)&dn, &cnt);
	tap_ok(kr == KERN_SUCCESS && cnt == MACH_PORT_DNREQUESTS_SIZE_COUNT,
	    "DNREQUESTS_SIZE (kr %d, %d)", kr, dn);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT;
	kr = mach_port_get_attributes(self, so, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)&st, &cnt);
	tap_ok(kr == KERN_INVALID_RIGHT, "RECEIVE_STATUS of a send-once right: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	cnt = MACH_PORT_RECEIVE_STATUS_COUNT - 1;
	kr = mach_port_get_attributes(self, r, MACH_PORT_RECEIVE_STATUS,
	    (mach_port_info_t)&st, &cnt);
	tap_ok(kr == KERN_FAILURE, "RECEIVE_STATUS with a short count: "
	    "KERN_FAILURE (kr %d)", kr);
	mach_port_limits_t l = { 3 };
	kr = mach_port_set_attributes(self, r, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, 0);
	tap_ok(kr == KERN_FAILURE, "set LIMITS_INFO with count 0: KERN_FAILURE "
	    "(kr %d)", kr);
	kr = mach_port_set_attributes(self, r, 99, (mach_port_info_t)&l,
	    MACH_PORT_LIMITS_INFO_COUNT);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "set flavor 99: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = mach_port_set_attributes(self, so, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, MACH_PORT_LIMITS_INFO_COUNT);
	tap_ok(kr == KERN_INVALID_RIGHT, "set LIMITS_INFO on a send-once "
	    "right: KERN_INVALID_RIGHT (kr %d)", kr);
	(void)mach_port_deallocate(self, so);
	(void)mach_port_destroy(self, set);
	(void)mach_port_destroy(self, r);
}

int main(void)
{
	self = mach_task_self();
	bad_targets();
	other_space();
	insert_and_extract();
	misc_routines();
	return tap_done();
}
