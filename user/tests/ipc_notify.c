/*
 * ipc_notify: each kernel notification arrives once, on the port it was
 * requested for, with the body Mach specifies.
 *
 * Covers: dead-name (a peer task's port dies; the dead name carries one
 * more uref for the notification; sends to it fail), a replaced request
 * returning the previous send-once right, port-deleted (a name with a
 * dead-name request is deallocated), a dead-name request on a name that
 * is already dead (answered at once; without `sync' refused), no-senders
 * (with the make-send count; immediate when already so; a larger `sync'),
 * send-once (a send-once right destroyed unused), port-destroyed (the
 * receive right comes back with its queue; a send right under the same
 * name stays alive), bad requests (KERN_INVALID_NAME / _RIGHT / _VALUE /
 * _ARGUMENT) whose notify right is destroyed.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

static mach_port_t self;

union nbuf {
	mach_msg_header_t			head;
	mach_dead_name_notification_t		dead;
	mach_port_deleted_notification_t	deleted;
	mach_no_senders_notification_t		nosend;
	mach_send_once_notification_t		once;
	mach_port_destroyed_notification_t	destroyed;
	uint8_t					space[512];
};

/* Arm notification msgid on name, to a send-once right to notify. */
static kern_return_t request(mach_port_t name, mach_msg_id_t msgid,
			     mach_port_mscount_t sync, mach_port_t notify,
			     mach_port_t *previous)
{
	*previous = MACH_PORT_NULL;
	return mach_port_request_notification(self, name, msgid, sync, notify,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE, previous);
}

/* Receive one notification on n; 0 if none is there. */
static int get(mach_port_t n, union nbuf *m, unsigned int ms)
{
	memset(m, 0, sizeof(*m));
	return ipc_recv(&m->head, sizeof(*m), n, ms) == MACH_MSG_SUCCESS;
}

/* Is m a simple notification of kind id, sent on a send-once right to n? */
static int is_note(const union nbuf *m, mach_port_t n, mach_msg_id_t id,
		   mach_msg_size_t size)
{
	return m->head.msgh_id == id && m->head.msgh_size == size &&
	    m->head.msgh_local_port == n &&
	    MACH_MSGH_BITS_LOCAL(m->head.msgh_bits) ==
	    MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    m->head.msgh_remote_port == MACH_PORT_NULL &&
	    MACH_MSGH_BITS_REMOTE(m->head.msgh_bits) == 0;
}

#define NOTE_SIZE	((mach_msg_size_t)offsetof( \
			    mach_dead_name_notification_t, trailer))

/* Count and drop the notifications on n; those of kind id in *of_id. */
static int drain_count(mach_port_t n, mach_msg_id_t id, int *of_id)
{
	union nbuf m;
	int total = 0;

	*of_id = 0;
	while (get(n, &m, IPC_NONE_MS)) {
		total++;
		if (m.head.msgh_id == id)
			(*of_id)++;
		mach_msg_destroy(&m.head);
	}
	return total;
}

static void dead_name_and_deleted(void)
{
	mach_port_t P = ipc_port_send(), n = ipc_port(), prev;
	union nbuf m;
	kern_return_t kr;
	int k;

	int task = ipc_spawn_with_port("testaux/ipc_notify_peer", P);
	if (!tap_ok(task > 0, "spawn testaux/ipc_notify_peer (%d)", task))
		goto out;
	union {
		struct notify_hello	h;
		uint8_t			space[256];
	} hb;
	mach_msg_return_t mr = ipc_recv(&hb.h.head, sizeof(hb), P, IPC_RCV_MS);
	mach_port_t c1 = hb.h.port[0].name, c2 = hb.h.port[1].name;
	if (!tap_ok(mr == MACH_MSG_SUCCESS && hb.h.head.msgh_id == NOTIFY_HELLO &&
	    ipc_type(c1) == MACH_PORT_TYPE_SEND &&
	    ipc_type(c2) == MACH_PORT_TYPE_SEND,
	    "the peer sent send rights to its two ports (mr 0x%x)", mr)) {
		(void)mk_task_kill(task);
		(void)ipc_wait(task, IPC_WAIT_S);
		goto out;
	}

	kr = request(c1, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	tap_ok(kr == KERN_SUCCESS && prev == MACH_PORT_NULL &&
	    ipc_type(c1) == (MACH_PORT_TYPE_SEND | MACH_PORT_TYPE_DNREQUEST) &&
	    ipc_status(n).mps_sorights == 1,
	    "dead-name request on c1: armed, no previous, type shows "
	    "DNREQUEST (kr %d, type 0x%x)", kr, ipc_type(c1));
	kr = request(c1, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	tap_ok(kr == KERN_SUCCESS && prev != MACH_PORT_NULL &&
	    ipc_type(prev) == MACH_PORT_TYPE_SEND_ONCE &&
	    ipc_status(n).mps_sorights == 2,
	    "a second request returns the first's send-once right (kr %d, "
	    "previous type 0x%x)", kr, ipc_type(prev));
	(void)mach_port_deallocate(self, prev);
	tap_ok(drain_count(n, MACH_NOTIFY_SEND_ONCE, &k) == 1 && k == 1,
	    "dropping it unused sends one send-once notification");

	kr = request(c2, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	kern_return_t kr2 = mach_port_deallocate(self, c2);
	int got = get(n, &m, IPC_NONE_MS);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS && got &&
	    is_note(&m, n, MACH_NOTIFY_PORT_DELETED, NOTE_SIZE) &&
	    m.deleted.not_port == c2,
	    "deallocating c2 with a dead-name request: port-deleted naming "
	    "c2 (id 0%o, size %u, name 0x%x vs 0x%x)", m.head.msgh_id,
	    m.head.msgh_size, m.deleted.not_port, c2);
	tap_ok(drain_count(n, 0, &k) == 0, "and nothing else");

	mr = ipc_send_bare(c1, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
	    NOTIFY_DIE);
	int status = ipc_wait(task, IPC_WAIT_S);
	tap_ok(mr == MACH_MSG_SUCCESS && status == 0, "the peer was told to "
	    "exit and did (0x%x, %d)", mr, status);
	got = get(n, &m, IPC_RCV_MS);
	tap_ok(got && is_note(&m, n, MACH_NOTIFY_DEAD_NAME, NOTE_SIZE) &&
	    m.dead.not_port == c1,
	    "c1's port died: dead-name naming c1 (id 0%o, size %u, name 0x%x "
	    "vs 0x%x)", m.head.msgh_id, m.head.msgh_size, m.dead.not_port, c1);
	tap_ok(drain_count(n, 0, &k) == 0, "exactly once");
	tap_ok(ipc_type(c1) == MACH_PORT_TYPE_DEAD_NAME,
	    "c1 is a dead name, the request gone (type 0x%x)", ipc_type(c1));
	tap_ok(ipc_refs(c1, MACH_PORT_RIGHT_DEAD_NAME) == 2,
	    "with 2 urefs: its own and the notification's (%u)",
	    ipc_refs(c1, MACH_PORT_RIGHT_DEAD_NAME));
	mr = ipc_send_bare(c1, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 1);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "sending to it: "
	    "MACH_SEND_INVALID_DEST (0x%x)", mr);
	(void)mach_port_destroy(self, c1);
out:
	(void)ipc_drain(P);
	(void)mach_port_destroy(self, P);
	(void)mach_port_destroy(self, n);
}

static void already_dead_and_bad(void)
{
	mach_port_t n = ipc_port(), d = MACH_PORT_NULL, s = MACH_PORT_NULL;
	mach_port_t r = ipc_port(), prev;
	union nbuf m;
	kern_return_t kr;
	int k;

	(void)mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &d);
	kr = request(d, MACH_NOTIFY_DEAD_NAME, 1, n, &prev);
	int got = get(n, &m, IPC_NONE_MS);
	tap_ok(kr == KERN_SUCCESS && prev == MACH_PORT_NULL && got &&
	    is_note(&m, n, MACH_NOTIFY_DEAD_NAME, NOTE_SIZE) &&
	    m.dead.not_port == d,
	    "dead-name request (sync 1) on a dead name is answered at once "
	    "(kr %d, id 0%o, name 0x%x)", kr, m.head.msgh_id, m.dead.not_port);
	tap_ok(ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME) == 2 &&
	    drain_count(n, 0, &k) == 0,
	    "the notification added a uref (%u), and came once",
	    ipc_refs(d, MACH_PORT_RIGHT_DEAD_NAME));

	/* refused requests: the notify right they carried is destroyed */
	int failures = 0;
	kr = request(d, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_ARGUMENT, "sync 0 on a dead name: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	kr = request(IPC_BAD_NAME, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_NAME, "an unused name: KERN_INVALID_NAME "
	    "(kr %d)", kr);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s);
	kr = request(s, MACH_NOTIFY_DEAD_NAME, 0, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_RIGHT, "dead-name on a port set: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = request(r, MACH_NOTIFY_FIRST + 3, 0, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_VALUE, "notification id 0103: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = request(r, MACH_NOTIFY_PORT_DESTROYED, 1, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_VALUE, "port-destroyed with sync 1: "
	    "KERN_INVALID_VALUE (kr %d)", kr);
	kr = request(d, MACH_NOTIFY_NO_SENDERS, 0, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_RIGHT, "no-senders on a dead name: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = request(d, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev);
	failures++;
	tap_ok(kr == KERN_INVALID_RIGHT, "port-destroyed on a dead name: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	int total = drain_count(n, MACH_NOTIFY_SEND_ONCE, &k);
	tap_ok(total == failures && k == failures &&
	    ipc_status(n).mps_sorights == 0,
	    "each refused request's send-once right was destroyed: %d "
	    "send-once notifications (of %d messages)", k, total);
	(void)mach_port_destroy(self, d);
	(void)mach_port_destroy(self, s);
	(void)mach_port_destroy(self, r);
	(void)mach_port_destroy(self, n);
}

static void no_senders(void)
{
	mach_port_t n = ipc_port(), r = ipc_port(), prev;
	union nbuf m;
	kern_return_t kr;
	int k;

	(void)mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND);
	kr = request(r, MACH_NOTIFY_NO_SENDERS, 1, n, &prev);
	tap_ok(kr == KERN_SUCCESS && prev == MACH_PORT_NULL &&
	    ipc_status(r).mps_nsrequest == 1 && drain_count(n, 0, &k) == 0,
	    "no-senders request (sync 1, mscount 1, one sender): armed, "
	    "nothing yet (kr %d)", kr);
	(void)mach_port_mod_refs(self, r, MACH_PORT_RIGHT_SEND, 2);
	(void)mach_port_deallocate(self, r);
	(void)mach_port_deallocate(self, r);
	tap_ok(drain_count(n, 0, &k) == 0, "dropping urefs while one remains: "
	    "nothing");
	(void)mach_port_deallocate(self, r);
	int got = get(n, &m, IPC_NONE_MS);
	tap_ok(got && is_note(&m, n, MACH_NOTIFY_NO_SENDERS, NOTE_SIZE) &&
	    m.nosend.not_count == 1 && ipc_status(r).mps_nsrequest == 0,
	    "the last send right gone: no-senders with make-send count 1 "
	    "(id 0%o, count %u)", m.head.msgh_id, m.nosend.not_count);
	tap_ok(drain_count(n, 0, &k) == 0, "exactly once");

	kr = request(r, MACH_NOTIFY_NO_SENDERS, 0, n, &prev);
	got = get(n, &m, IPC_NONE_MS);
	tap_ok(kr == KERN_SUCCESS && got &&
	    is_note(&m, n, MACH_NOTIFY_NO_SENDERS, NOTE_SIZE) &&
	    m.nosend.not_count == 1 && drain_count(n, 0, &k) == 0,
	    "a request (sync 0) with no senders is answered at once (count "
	    "%u)", m.nosend.not_count);

	kr = request(r, MACH_NOTIFY_NO_SENDERS, 3, n, &prev);
	tap_ok(kr == KERN_SUCCESS && drain_count(n, 0, &k) == 0 &&
	    ipc_status(r).mps_nsrequest == 1,
	    "a request with sync 3 > mscount 1 is not answered at once "
	    "(kr %d)", kr);
	(void)mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND);
	(void)mach_port_deallocate(self, r);
	got = get(n, &m, IPC_NONE_MS);
	tap_ok(got && is_note(&m, n, MACH_NOTIFY_NO_SENDERS, NOTE_SIZE) &&
	    m.nosend.not_count == 2,
	    "once armed, the next time senders reach 0 it fires, with count 2 "
	    "(got %d, count %u)", got, m.nosend.not_count);
	(void)ipc_drain(n);
	(void)request(r, MACH_NOTIFY_NO_SENDERS, 0, MACH_PORT_NULL, &prev);
	if (prev != MACH_PORT_NULL)
		(void)mach_port_deallocate(self, prev);
	(void)ipc_drain(n);

	/* a send right from a message counts too */
	(void)mach_port_insert_right(self, r, r, MACH_MSG_TYPE_MAKE_SEND);
	kr = request(r, MACH_NOTIFY_NO_SENDERS, 0, n, &prev);
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	(void)mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	(void)mach_port_deallocate(self, r);
	got = get(n, &m, IPC_NONE_MS);
	tap_ok(kr == KERN_SUCCESS && got &&
	    m.head.msgh_id == MACH_NOTIFY_NO_SENDERS && m.nosend.not_count == 3,
	    "send-once rights do not count as senders (count %u)",
	    m.nosend.not_count);
	(void)mach_port_deallocate(self, so);
	(void)ipc_drain(r);
	(void)ipc_drain(n);
	(void)mach_port_destroy(self, r);
	(void)mach_port_destroy(self, n);
}

static void send_once(void)
{
	mach_port_t r = ipc_port(), so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	union nbuf m;
	int k;

	(void)mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	kern_return_t kr = mach_port_deallocate(self, so);
	int got = get(r, &m, IPC_NONE_MS);
	tap_ok(kr == KERN_SUCCESS && got &&
	    is_note(&m, r, MACH_NOTIFY_SEND_ONCE,
	    offsetof(mach_send_once_notification_t, trailer)) &&
	    ipc_status(r).mps_sorights == 0,
	    "a send-once right dropped unused: a send-once notification on "
	    "its own port, 24 bytes (id 0%o, size %u)", m.head.msgh_id,
	    m.head.msgh_size);
	tap_ok(drain_count(r, 0, &k) == 0, "exactly once");
	(void)mach_port_extract_right(self, r, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	kr = mach_port_destroy(self, so);
	got = get(r, &m, IPC_NONE_MS);
	tap_ok(kr == KERN_SUCCESS && got &&
	    m.head.msgh_id == MACH_NOTIFY_SEND_ONCE && drain_count(r, 0, &k) == 0,
	    "mach_port_destroy of one does the same (id 0%o)", m.head.msgh_id);
	(void)mach_port_destroy(self, r);
}

static void port_destroyed(void)
{
	mach_port_t n = ipc_port(), r = ipc_port(), prev;
	union nbuf m;
	kern_return_t kr;
	int k;

	(void)ipc_send_bare(r, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 0x900);
	kr = request(r, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev);
	tap_ok(kr == KERN_SUCCESS && prev == MACH_PORT_NULL &&
	    ipc_status(r).mps_pdrequest == 1,
	    "port-destroyed request armed (kr %d)", kr);
	kr = mach_port_mod_refs(self, r, MACH_PORT_RIGHT_RECEIVE, -1);
	int got = get(n, &m, IPC_NONE_MS);
	mach_port_t back = m.destroyed.not_port.name;
	tap_ok(kr == KERN_SUCCESS && ipc_type(r) == IPC_BAD_TYPE && got &&
	    m.head.msgh_id == MACH_NOTIFY_PORT_DESTROYED &&
	    (m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    m.head.msgh_size == offsetof(mach_port_destroyed_notification_t,
	    trailer) && m.destroyed.not_body.msgh_descriptor_count == 1 &&
	    m.destroyed.not_port.disposition == MACH_MSG_TYPE_PORT_RECEIVE &&
	    m.head.msgh_local_port == n,
	    "destroying the receive right sends it in a port-destroyed "
	    "notification (id 0%o, size %u, disp %u)", m.head.msgh_id,
	    m.head.msgh_size, m.destroyed.not_port.disposition);
	tap_ok(ipc_type(back) == MACH_PORT_TYPE_RECEIVE &&
	    ipc_status(back).mps_pdrequest == 0 &&
	    ipc_status(back).mps_msgcount == 1,
	    "it comes back as a receive right 0x%x, request used up, its "
	    "message still queued (type 0x%x)", back, ipc_type(back));
	got = get(back, &m, IPC_NONE_MS);
	tap_ok(got && m.head.msgh_id == 0x900, "and that message is there "
	    "(id 0x%x)", m.head.msgh_id);
	tap_ok(drain_count(n, 0, &k) == 0, "exactly one notification");
	(void)mach_port_destroy(self, back);

	/* with a send right under the same name */
	mach_port_t r3 = ipc_port_send();
	kr = request(r3, MACH_NOTIFY_PORT_DESTROYED, 0, n, &prev);
	kr = mach_port_mod_refs(self, r3, MACH_PORT_RIGHT_RECEIVE, -1);
	tap_ok(kr == KERN_SUCCESS && ipc_type(r3) == MACH_PORT_TYPE_SEND &&
	    ipc_refs(r3, MACH_PORT_RIGHT_SEND) == 1,
	    "with a send right under its name, the name keeps a live send "
	    "right (type 0x%x)", ipc_type(r3));
	got = get(n, &m, IPC_NONE_MS);
	back = m.destroyed.not_port.name;
	tap_ok(got && m.head.msgh_id == MACH_NOTIFY_PORT_DESTROYED && back == r3
	    && ipc_type(r3) == MACH_PORT_TYPE_SEND_RECEIVE,
	    "and the receive right comes back under that same name (0x%x vs "
	    "0x%x, type 0x%x)", back, r3, ipc_type(r3));
	mach_msg_return_t mr = ipc_send_bare(r3, MACH_MSG_TYPE_COPY_SEND,
	    MACH_PORT_NULL, 0, 0x901);
	got = get(r3, &m, IPC_NONE_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && got && m.head.msgh_id == 0x901,
	    "the port works as before (0x%x)", mr);
	(void)mach_port_destroy(self, r3);
	if (back != r3)
		(void)mach_port_destroy(self, back);
	(void)ipc_drain(n);
	(void)mach_port_destroy(self, n);
}

int main(void)
{
	self = mach_task_self();
	dead_name_and_deleted();
	already_dead_and_bad();
	no_senders();
	send_once();
	port_destroyed();
	return tap_done();
}
