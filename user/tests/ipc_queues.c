/*
 * ipc_queues: message queues and waits, in one task with helper threads.
 *
 * Covers: the default queue limit (5); the 6th message times out with
 * MACH_SEND_TIMED_OUT (and a moved right comes back); a timed send waits
 * at least its timeout; send-once messages are never held back; a blocked
 * sender proceeds when a message is received or the limit is raised;
 * limits 0 and too large; MACH_RCV_TIMED_OUT (immediate and timed); a
 * blocked receiver; port sets (messages queued before insertion, direct
 * receive from a member, move/extract/insert errors, a set or port
 * destroyed under a waiting receiver: MACH_RCV_PORT_DIED); MACH_RCV_LARGE
 * (needed size reported, message kept) and too large without it (message
 * destroyed with its rights, a bare header returned); the trailer sizes
 * and consecutive sequence numbers, mach_port_set_seqno; thread_abort of
 * a blocked receive and send (MACH_RCV_INTERRUPTED, MACH_SEND_INTERRUPTED).
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

#define BLOCK_POLLS	1000
#define POLL_MS		10

static mach_port_t self;

union buf {
	mach_msg_header_t	head;
	uint8_t			space[1024];
};

/* A thread that sends or receives once, reporting how it went. */
struct waiter {
	mach_port_t		port;
	int			send;		/* else receive */
	mach_msg_option_t	extra;		/* added options */
	mach_msg_timeout_t	timeout;
	mach_msg_id_t		id;		/* to send */
	volatile mach_port_t	thread;		/* its own thread port */
	volatile int		done;
	mach_msg_return_t	mr;
	mach_msg_id_t		got_id;
	int			tid;
};

static void waiter_fn(void *arg)
{
	struct waiter *w = arg;
	union buf m;

	memset(&m, 0, sizeof(m));
	w->thread = mach_thread_self();
	if (w->send) {
		m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
		m.head.msgh_size = sizeof(m.head);
		m.head.msgh_remote_port = w->port;
		m.head.msgh_id = w->id;
		w->mr = mach_msg(&m.head, MACH_SEND_MSG | w->extra,
		    sizeof(m.head), 0, MACH_PORT_NULL, w->timeout,
		    MACH_PORT_NULL);
		if (w->mr == MACH_SEND_TIMED_OUT ||
		    w->mr == MACH_SEND_INTERRUPTED)
			mach_msg_destroy(&m.head);	/* rights came back */
	} else {
		w->mr = mach_msg(&m.head, MACH_RCV_MSG | w->extra, 0,
		    sizeof(m), w->port, w->timeout, MACH_PORT_NULL);
		w->got_id = m.head.msgh_id;
		if (w->mr == MACH_MSG_SUCCESS)
			mach_msg_destroy(&m.head);
	}
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
}

static int start(struct waiter *w, mach_port_t port, int send,
		 mach_msg_option_t extra, mach_msg_timeout_t timeout,
		 mach_msg_id_t id)
{
	memset(w, 0, sizeof(*w));
	w->port = port;
	w->send = send;
	w->extra = extra;
	w->timeout = timeout;
	w->id = id;
	w->tid = mk_thread_start(waiter_fn, w);
	return w->tid > 0;
}

/* Wait until the waiter is blocked in the kernel (or has finished). */
static int blocked(struct waiter *w)
{
	for (int i = 0; i < BLOCK_POLLS; i++) {
		if (__atomic_load_n(&w->done, __ATOMIC_SEQ_CST))
			return 0;
		if (w->thread != MACH_PORT_NULL) {
			thread_basic_info_data_t info;
			mach_msg_type_number_t n = THREAD_BASIC_INFO_COUNT;
			if (thread_info(w->thread, THREAD_BASIC_INFO,
			    (thread_info_t)&info, &n) == KERN_SUCCESS &&
			    info.run_state == TH_STATE_WAITING)
				return !w->done;
		}
		(void)mk_sleep_ms(POLL_MS);
	}
	return 0;
}

static void finish(struct waiter *w)
{
	if (w->tid > 0)
		(void)mk_thread_wait(w->tid);
	if (w->thread != MACH_PORT_NULL)
		(void)mach_port_deallocate(self, w->thread);
	w->tid = 0;
	w->thread = MACH_PORT_NULL;
}

static mach_msg_return_t send_id(mach_port_t port, mach_msg_id_t id,
				 mach_msg_timeout_t timeout)
{
	mach_msg_header_t h;

	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = port;
	h.msgh_id = id;
	mach_msg_return_t mr = mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT,
	    sizeof(h), 0, MACH_PORT_NULL, timeout, MACH_PORT_NULL);
	if (mr == MACH_SEND_TIMED_OUT || mr == MACH_SEND_INTERRUPTED)
		mach_msg_destroy(&h);	/* the rights came back */
	return mr;
}

static kern_return_t set_qlimit(mach_port_t port, unsigned int limit)
{
	mach_port_limits_t l = { limit };

	return mach_port_set_attributes(self, port, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, MACH_PORT_LIMITS_INFO_COUNT);
}

static void queue_limit(void)
{
	mach_port_t q = ipc_port_send();
	mach_port_limits_t l = { 0 };
	mach_msg_type_number_t n = MACH_PORT_LIMITS_INFO_COUNT;
	kern_return_t kr;
	mach_msg_return_t mr;
	union buf m;

	kr = mach_port_get_attributes(self, q, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, &n);
	tap_ok(kr == KERN_SUCCESS && l.mpl_qlimit == MACH_PORT_QLIMIT_DEFAULT &&
	    n == MACH_PORT_LIMITS_INFO_COUNT && ipc_status(q).mps_qlimit == 5,
	    "a new port's queue limit is 5 (kr %d, %u)", kr, l.mpl_qlimit);
	int sent = 0;
	for (int i = 0; i < 5; i++)
		if (send_id(q, 100 + i, 0) == MACH_MSG_SUCCESS)
			sent++;
	tap_ok(sent == 5 && ipc_status(q).mps_msgcount == 5,
	    "5 messages queue without waiting (%d, msgcount %u)", sent,
	    ipc_status(q).mps_msgcount);
	/*
	 * A message that cannot be sent comes back to the sender with its
	 * rights as if received: a COPY_SEND destination is then one more
	 * uref, named in the returned header, which mach_msg_destroy drops.
	 */
	mach_msg_header_t h;
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = q;
	h.msgh_id = 105;
	mr = mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0,
	    MACH_PORT_NULL, 0, MACH_PORT_NULL);
	tap_ok(mr == MACH_SEND_TIMED_OUT && ipc_status(q).mps_msgcount == 5,
	    "the 6th with MACH_SEND_TIMEOUT 0: MACH_SEND_TIMED_OUT (0x%x)", mr);
	tap_ok(h.msgh_remote_port == q &&
	    MACH_MSGH_BITS_REMOTE(h.msgh_bits) == MACH_MSG_TYPE_PORT_SEND &&
	    ipc_refs(q, MACH_PORT_RIGHT_SEND) == 2,
	    "its COPY_SEND right came back pseudo-received: PORT_SEND in the "
	    "header, 2 urefs (bits 0x%x, %u)", h.msgh_bits,
	    ipc_refs(q, MACH_PORT_RIGHT_SEND));
	mach_msg_destroy(&h);
	tap_ok(ipc_refs(q, MACH_PORT_RIGHT_SEND) == 1, "mach_msg_destroy of "
	    "the returned message drops it (%u)",
	    ipc_refs(q, MACH_PORT_RIGHT_SEND));

	/* a moved send right comes back as it was */
	(void)mach_port_mod_refs(self, q, MACH_PORT_RIGHT_SEND, 1);
	memset(&h, 0, sizeof(h));
	h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND, 0);
	h.msgh_size = sizeof(h);
	h.msgh_remote_port = q;
	h.msgh_id = 106;
	mr = mach_msg(&h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(h), 0,
	    MACH_PORT_NULL, 0, MACH_PORT_NULL);
	tap_ok(mr == MACH_SEND_TIMED_OUT && ipc_refs(q, MACH_PORT_RIGHT_SEND) == 2,
	    "a timed-out MOVE_SEND gives the right back (0x%x, %u urefs)", mr,
	    ipc_refs(q, MACH_PORT_RIGHT_SEND));
	(void)mach_port_mod_refs(self, q, MACH_PORT_RIGHT_SEND, -1);

	unsigned int t0 = ipc_ticks();
	mr = send_id(q, 107, 50);
	unsigned int waited = ipc_ticks() - t0;
	tap_ok(mr == MACH_SEND_TIMED_OUT && waited + 1 >= ipc_ms_to_ticks(50),
	    "MACH_SEND_TIMEOUT 50 ms waits it out (0x%x, %u ticks)", mr, waited);

	/* send-once messages are not held back */
	mr = ipc_send_bare(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0,
	    108);
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	(void)mach_port_extract_right(self, q, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	mach_msg_return_t mr2 = ipc_send_bare(so, MACH_MSG_TYPE_MOVE_SEND_ONCE,
	    MACH_PORT_NULL, 0, 109);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_MSG_SUCCESS &&
	    ipc_status(q).mps_msgcount == 7,
	    "send-once messages pass the full queue (0x%x 0x%x, msgcount %u)",
	    mr, mr2, ipc_status(q).mps_msgcount);
	int order = 1;
	const mach_msg_id_t want[7] = { 100, 101, 102, 103, 104, 108, 109 };
	for (int i = 0; i < 7; i++) {
		mr = ipc_recv(&m.head, sizeof(m), q, IPC_NONE_MS);
		if (mr != MACH_MSG_SUCCESS || m.head.msgh_id != want[i])
			order = 0;
	}
	tap_ok(order && ipc_status(q).mps_msgcount == 0,
	    "all 7 come out in the order sent");

	/* a blocked sender goes on when a message is taken */
	for (int i = 0; i < 5; i++)
		(void)send_id(q, 200 + i, 0);
	struct waiter w;
	start(&w, q, 1, 0, 0, 299);
	int was_blocked = blocked(&w);
	tap_ok(was_blocked && ipc_status(q).mps_msgcount == 5,
	    "a 6th sender without timeout blocks on the full queue");
	mr = ipc_recv(&m.head, sizeof(m), q, IPC_NONE_MS);
	finish(&w);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == 200 &&
	    w.mr == MACH_MSG_SUCCESS && ipc_status(q).mps_msgcount == 5,
	    "one receive lets it finish (0x%x, sender 0x%x)", mr, w.mr);
	mach_msg_id_t last = 0;
	while (ipc_recv(&m.head, sizeof(m), q, IPC_NONE_MS) == MACH_MSG_SUCCESS)
		last = m.head.msgh_id;
	tap_ok(last == 299, "its message is the last one queued (%d)", last);

	/* raising the limit lets a blocked sender go on */
	kr = set_qlimit(q, 1);
	mr = send_id(q, 300, 0);
	mr2 = send_id(q, 301, 0);
	tap_ok(kr == KERN_SUCCESS && mr == MACH_MSG_SUCCESS &&
	    mr2 == MACH_SEND_TIMED_OUT && ipc_status(q).mps_qlimit == 1,
	    "queue limit 1: the second message times out (kr %d, 0x%x)", kr,
	    mr2);
	start(&w, q, 1, 0, 0, 302);
	was_blocked = blocked(&w);
	kr = set_qlimit(q, 2);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS && w.mr == MACH_MSG_SUCCESS &&
	    ipc_status(q).mps_msgcount == 2,
	    "a blocked sender goes on when the limit is raised to 2 (0x%x, "
	    "msgcount %u)", w.mr, ipc_status(q).mps_msgcount);
	(void)ipc_drain(q);

	kr = set_qlimit(q, 0);
	mr = send_id(q, 303, 0);
	mr2 = ipc_send_bare(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0,
	    304);
	tap_ok(kr == KERN_SUCCESS && mr == MACH_SEND_TIMED_OUT &&
	    mr2 == MACH_MSG_SUCCESS,
	    "queue limit 0: every send times out, send-once still passes "
	    "(0x%x, 0x%x)", mr, mr2);
	(void)ipc_drain(q);
	kr = set_qlimit(q, MACH_PORT_QLIMIT_MAX + 1);
	tap_ok(kr == KERN_INVALID_VALUE, "queue limit above "
	    "MACH_PORT_QLIMIT_MAX: KERN_INVALID_VALUE (kr %d)", kr);
	kr = set_qlimit(q, MACH_PORT_QLIMIT_MAX);
	tap_ok(kr == KERN_SUCCESS && ipc_status(q).mps_qlimit ==
	    MACH_PORT_QLIMIT_MAX, "queue limit MACH_PORT_QLIMIT_MAX (kr %d)",
	    kr);
	n = 0;
	kr = mach_port_get_attributes(self, q, MACH_PORT_LIMITS_INFO,
	    (mach_port_info_t)&l, &n);
	tap_ok(kr == KERN_FAILURE, "get_attributes with count 0: KERN_FAILURE "
	    "(kr %d)", kr);
	n = MACH_PORT_LIMITS_INFO_COUNT;
	kr = mach_port_get_attributes(self, q, 99, (mach_port_info_t)&l, &n);
	tap_ok(kr == KERN_INVALID_ARGUMENT, "get_attributes flavor 99: "
	    "KERN_INVALID_ARGUMENT (kr %d)", kr);
	(void)mach_port_destroy(self, q);
}

static void receive_waits(void)
{
	mach_port_t q = ipc_port_send();
	union buf m;
	mach_msg_return_t mr;

	mr = ipc_recv(&m.head, sizeof(m), q, 0);
	tap_ok(mr == MACH_RCV_TIMED_OUT, "receive with timeout 0 on an empty "
	    "queue: MACH_RCV_TIMED_OUT (0x%x)", mr);
	unsigned int t0 = ipc_ticks();
	mr = ipc_recv(&m.head, sizeof(m), q, 30);
	unsigned int waited = ipc_ticks() - t0;
	tap_ok(mr == MACH_RCV_TIMED_OUT && waited + 1 >= ipc_ms_to_ticks(30),
	    "receive with timeout 30 ms waits it out (0x%x, %u ticks)", mr,
	    waited);

	struct waiter w;
	start(&w, q, 0, MACH_RCV_TIMEOUT, IPC_RCV_MS, 0);
	int was_blocked = blocked(&w);
	mr = send_id(q, 400, 0);
	finish(&w);
	tap_ok(was_blocked && mr == MACH_MSG_SUCCESS &&
	    w.mr == MACH_MSG_SUCCESS && w.got_id == 400,
	    "a blocked receiver gets the message sent to it (0x%x, id %d)",
	    w.mr, w.got_id);

	mr = ipc_recv(&m.head, sizeof(m), IPC_BAD_NAME, 0);
	tap_ok(mr == MACH_RCV_INVALID_NAME, "receive on an unused name: "
	    "MACH_RCV_INVALID_NAME (0x%x)", mr);
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	(void)mach_port_extract_right(self, q, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	mr = ipc_recv(&m.head, sizeof(m), so, 0);
	tap_ok(mr == MACH_RCV_INVALID_NAME, "receive on a send-once right: "
	    "MACH_RCV_INVALID_NAME (0x%x)", mr);
	(void)mach_port_deallocate(self, so);
	(void)ipc_drain(q);	/* the send-once notification */

	/* the port dies under a waiting receiver */
	start(&w, q, 0, MACH_RCV_TIMEOUT, IPC_RCV_MS, 0);
	was_blocked = blocked(&w);
	kern_return_t kr = mach_port_mod_refs(self, q, MACH_PORT_RIGHT_RECEIVE,
	    -1);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS && w.mr == MACH_RCV_PORT_DIED,
	    "destroying the port wakes its receiver with MACH_RCV_PORT_DIED "
	    "(0x%x)", w.mr);
	(void)mach_port_destroy(self, q);
}

static int in_set(mach_port_t set, mach_port_t port)
{
	mach_port_name_array_t members = NULL;
	mach_msg_type_number_t n = 0;
	int found = 0;

	if (mach_port_get_set_status(self, set, &members, &n) != KERN_SUCCESS)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		if (members[i] == port)
			found = 1;
	if (n)
		(void)vm_deallocate(self, (vm_address_t)members,
		    n * sizeof(*members));
	return found;
}

static void port_sets(void)
{
	mach_port_t s = MACH_PORT_NULL, s2 = MACH_PORT_NULL;
	mach_port_t a = ipc_port_send(), b = ipc_port_send();
	union buf m;
	mach_msg_return_t mr;
	kern_return_t kr;

	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s);
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s2);
	(void)send_id(a, 1, 0);
	kr = mach_port_insert_member(self, a, s);
	kern_return_t kr2 = mach_port_insert_member(self, b, s);
	tap_ok(kr == KERN_SUCCESS && kr2 == KERN_SUCCESS && in_set(s, a) == 1 &&
	    in_set(s, b) == 1 && ipc_status(a).mps_pset == 1,
	    "two ports inserted in a set (kr %d %d)", kr, kr2);
	(void)send_id(b, 2, 0);
	int seen_a = 0, seen_b = 0;
	for (int i = 0; i < 2; i++) {
		mr = ipc_recv(&m.head, sizeof(m), s, IPC_NONE_MS);
		if (mr == MACH_MSG_SUCCESS && m.head.msgh_local_port == a &&
		    m.head.msgh_id == 1)
			seen_a++;
		if (mr == MACH_MSG_SUCCESS && m.head.msgh_local_port == b &&
		    m.head.msgh_id == 2)
			seen_b++;
	}
	tap_ok(seen_a == 1 && seen_b == 1, "receiving on the set gets both, "
	    "including the one queued before insertion, each naming its port");
	mr = ipc_recv(&m.head, sizeof(m), s, 0);
	tap_ok(mr == MACH_RCV_TIMED_OUT, "then the set is empty (0x%x)", mr);
	(void)send_id(a, 3, 0);
	mr = ipc_recv(&m.head, sizeof(m), a, IPC_NONE_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == 3,
	    "a member can still be received from directly (0x%x)", mr);

	struct waiter w;
	start(&w, s, 0, MACH_RCV_TIMEOUT, IPC_RCV_MS, 0);
	int was_blocked = blocked(&w);
	(void)send_id(b, 4, 0);
	finish(&w);
	tap_ok(was_blocked && w.mr == MACH_MSG_SUCCESS && w.got_id == 4,
	    "a receiver blocked on the set wakes for a member's message "
	    "(0x%x)", w.mr);

	kr = mach_port_insert_member(self, a, s);
	tap_ok(kr == KERN_ALREADY_IN_SET, "inserting a member again: "
	    "KERN_ALREADY_IN_SET (kr %d)", kr);
	kr = mach_port_insert_member(self, a, s2);
	tap_ok(kr == KERN_ALREADY_IN_SET, "inserting it in a second set: "
	    "KERN_ALREADY_IN_SET (kr %d)", kr);
	kr = mach_port_move_member(self, a, s2);
	tap_ok(kr == KERN_SUCCESS && in_set(s, a) == 0 && in_set(s2, a) == 1,
	    "move_member moves it to the other set (kr %d)", kr);
	(void)send_id(a, 5, 0);
	mr = ipc_recv(&m.head, sizeof(m), s, 0);
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), s2, IPC_NONE_MS);
	tap_ok(mr == MACH_RCV_TIMED_OUT && mr2 == MACH_MSG_SUCCESS &&
	    m.head.msgh_id == 5, "its messages now come through the new set "
	    "only (0x%x, 0x%x)", mr, mr2);
	kr = mach_port_move_member(self, a, MACH_PORT_NULL);
	tap_ok(kr == KERN_SUCCESS && in_set(s2, a) == 0 &&
	    ipc_status(a).mps_pset == 0,
	    "move_member to MACH_PORT_NULL takes it out (kr %d)", kr);
	kr = mach_port_extract_member(self, a, s);
	tap_ok(kr == KERN_NOT_IN_SET, "extract_member of a non-member: "
	    "KERN_NOT_IN_SET (kr %d)", kr);
	kr = mach_port_extract_member(self, b, s);
	tap_ok(kr == KERN_SUCCESS && in_set(s, b) == 0, "extract_member "
	    "(kr %d)", kr);
	kr = mach_port_insert_member(self, s2, s);
	tap_ok(kr == KERN_INVALID_RIGHT, "inserting a set into a set: "
	    "KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_insert_member(self, a, b);
	tap_ok(kr == KERN_INVALID_RIGHT, "inserting into a port that is not "
	    "a set: KERN_INVALID_RIGHT (kr %d)", kr);
	kr = mach_port_insert_member(self, IPC_BAD_NAME, s);
	tap_ok(kr == KERN_INVALID_NAME, "inserting an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);
	kr = mach_port_move_member(self, a, IPC_BAD_NAME);
	tap_ok(kr == KERN_INVALID_NAME, "move_member to an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);

	/* a set destroyed under a waiting receiver; members survive */
	(void)mach_port_insert_member(self, a, s);
	start(&w, s, 0, MACH_RCV_TIMEOUT, IPC_RCV_MS, 0);
	was_blocked = blocked(&w);
	kr = mach_port_destroy(self, s);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS && w.mr == MACH_RCV_PORT_DIED,
	    "destroying a set wakes its receiver with MACH_RCV_PORT_DIED "
	    "(0x%x)", w.mr);
	(void)send_id(a, 6, 0);
	mr = ipc_recv(&m.head, sizeof(m), a, IPC_NONE_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == 6 &&
	    ipc_status(a).mps_pset == 0,
	    "its member lives on, in no set (0x%x)", mr);

	(void)mach_port_destroy(self, s2);
	(void)mach_port_destroy(self, a);
	(void)mach_port_destroy(self, b);
}

static void large_messages(void)
{
	mach_port_t q = ipc_port_send(), x = ipc_port(), y = ipc_port();
	union buf m;
	mach_msg_return_t mr;
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port;
		uint8_t				payload[160];
	} big;

	_Static_assert(sizeof(big) == 200, "a 200-byte message");
	memset(&big, 0, sizeof(big));
	big.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	big.head.msgh_size = sizeof(big);
	big.head.msgh_remote_port = q;
	big.head.msgh_id = 500;
	mr = ipc_send(&big.head, sizeof(big));
	memset(&m, 0, sizeof(m));
	mach_msg_return_t mr2 = mach_msg(&m.head,
	    MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE, 0, 64, q, 0,
	    MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && mr2 == MACH_RCV_TOO_LARGE &&
	    m.head.msgh_size == 200 && ipc_status(q).mps_msgcount == 1,
	    "MACH_RCV_LARGE into 64 bytes: MACH_RCV_TOO_LARGE, msgh_size 200, "
	    "message kept (0x%x, %u)", mr2, m.head.msgh_size);
	mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_NONE_MS);
	tap_ok(mr2 == MACH_MSG_SUCCESS && m.head.msgh_size == 200 &&
	    m.head.msgh_id == 500, "a big enough buffer then gets it (0x%x)",
	    mr2);

	/* exact fit: message + trailer */
	struct {
		mach_msg_header_t	head;
		uint8_t			pad[32];
	} fit;
	memset(&fit, 0, sizeof(fit));
	fit.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	fit.head.msgh_size = sizeof(fit);
	fit.head.msgh_remote_port = q;
	fit.head.msgh_id = 501;
	(void)ipc_send(&fit.head, sizeof(fit));
	mach_msg_size_t need = sizeof(fit) + sizeof(mach_msg_trailer_t);
	mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT | MACH_RCV_LARGE |
	    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
	    MACH_RCV_TRAILER_ELEMENTS(MACH_RCV_TRAILER_SEQNO), 0, need, q, 0,
	    MACH_PORT_NULL);
	tap_ok(mr == MACH_RCV_TOO_LARGE && m.head.msgh_size == sizeof(fit),
	    "a buffer with room for a minimal trailer but not a seqno trailer "
	    "is too small (0x%x, size %u)", mr, m.head.msgh_size);
	mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, need, q, 0,
	    MACH_PORT_NULL);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == 501,
	    "and message + minimal trailer fits exactly (0x%x)", mr);

	/* too large without MACH_RCV_LARGE: destroyed, a header comes back */
	big.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE) | MACH_MSGH_BITS_COMPLEX;
	big.head.msgh_local_port = y;
	big.head.msgh_id = 502;
	big.body.msgh_descriptor_count = 1;
	big.port.name = x;
	big.port.disposition = MACH_MSG_TYPE_MAKE_SEND;
	big.port.type = MACH_MSG_PORT_DESCRIPTOR;
	mr = ipc_send(&big.head, sizeof(big));
	tap_ok(mr == MACH_MSG_SUCCESS && ipc_status(x).mps_srights == 1 &&
	    ipc_status(y).mps_sorights == 1, "a 200-byte message with a send "
	    "right and a send-once reply right queued (0x%x)", mr);
	memset(&m, 0xee, sizeof(m));
	mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, 64, q, 0,
	    MACH_PORT_NULL);
	mach_msg_trailer_t *tr = (mach_msg_trailer_t *)(m.space +
	    sizeof(mach_msg_header_t));
	tap_ok(mr == MACH_RCV_TOO_LARGE && m.head.msgh_size ==
	    sizeof(mach_msg_header_t) && m.head.msgh_id == 502 &&
	    m.head.msgh_local_port == q &&
	    m.head.msgh_remote_port == MACH_PORT_NULL,
	    "without MACH_RCV_LARGE: MACH_RCV_TOO_LARGE and a bare header "
	    "(0x%x, size %u, id %d, local 0x%x, remote 0x%x)", mr,
	    m.head.msgh_size, m.head.msgh_id, m.head.msgh_local_port,
	    m.head.msgh_remote_port);
	tap_ok(tr->msgh_trailer_type == MACH_MSG_TRAILER_FORMAT_0 &&
	    tr->msgh_trailer_size == sizeof(mach_msg_trailer_t),
	    "followed by a trailer (type %u size %u)", tr->msgh_trailer_type,
	    tr->msgh_trailer_size);
	tap_ok(ipc_status(q).mps_msgcount == 0 &&
	    ipc_status(x).mps_srights == 0,
	    "the message is gone and the send right it carried destroyed "
	    "(msgcount %u, srights %u)", ipc_status(q).mps_msgcount,
	    ipc_status(x).mps_srights);
	mr = ipc_recv(&m.head, sizeof(m), y, IPC_NONE_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == MACH_NOTIFY_SEND_ONCE
	    && ipc_status(y).mps_sorights == 0,
	    "its reply right was destroyed: a send-once notification (0x%x, "
	    "id 0%o)", mr, m.head.msgh_id);
	(void)mach_port_destroy(self, q);
	(void)mach_port_destroy(self, x);
	(void)mach_port_destroy(self, y);
}

/* Receive with trailer elements `elems'; return the trailer (in m). */
static mach_msg_format_0_trailer_t *recv_trailer(mach_port_t port, union buf *m,
						 int elems,
						 mach_msg_return_t *mr)
{
	*mr = mach_msg(&m->head, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
	    MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
	    MACH_RCV_TRAILER_ELEMENTS(elems), 0, sizeof(*m), port, 0,
	    MACH_PORT_NULL);
	return (mach_msg_format_0_trailer_t *)(m->space +
	    round_msg(m->head.msgh_size));
}

static void trailers(void)
{
	mach_port_t q = ipc_port_send(), s = MACH_PORT_NULL;
	union buf m;
	mach_msg_return_t mr;
	mach_msg_format_0_trailer_t *t;

	mach_port_seqno_t base = ipc_status(q).mps_seqno;
	tap_ok(base == 0, "a new port's sequence number is 0 (%u)", base);
	for (int i = 0; i < 3; i++)
		(void)send_id(q, 600 + i, 0);
	int consecutive = 1;
	for (int i = 0; i < 3; i++) {
		t = recv_trailer(q, &m, MACH_RCV_TRAILER_SEQNO, &mr);
		if (mr != MACH_MSG_SUCCESS || t->msgh_seqno != base + i ||
		    t->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 ||
		    t->msgh_trailer_size != sizeof(mach_msg_seqno_trailer_t))
			consecutive = 0;
	}
	tap_ok(consecutive && ipc_status(q).mps_seqno == base + 3,
	    "3 messages: seqno trailers (12 bytes) numbered %u, %u, %u",
	    base, base + 1, base + 2);

	kern_return_t kr = mach_port_set_seqno(self, q, 100);
	(void)send_id(q, 603, 0);
	t = recv_trailer(q, &m, MACH_RCV_TRAILER_SEQNO, &mr);
	tap_ok(kr == KERN_SUCCESS && mr == MACH_MSG_SUCCESS &&
	    t->msgh_seqno == 100 && ipc_status(q).mps_seqno == 101,
	    "after set_seqno 100 the next message is 100 (%u), then 101",
	    t->msgh_seqno);
	kr = mach_port_set_seqno(self, IPC_BAD_NAME, 1);
	tap_ok(kr == KERN_INVALID_NAME, "set_seqno of an unused name: "
	    "KERN_INVALID_NAME (kr %d)", kr);

	static const struct {
		int		elems;
		mach_msg_size_t	size;
	} sizes[] = {
		{ MACH_RCV_TRAILER_NULL, sizeof(mach_msg_trailer_t) },
		{ MACH_RCV_TRAILER_SEQNO, sizeof(mach_msg_seqno_trailer_t) },
		{ MACH_RCV_TRAILER_SENDER, sizeof(mach_msg_security_trailer_t) },
		{ MACH_RCV_TRAILER_AUDIT, sizeof(mach_msg_audit_trailer_t) },
	};
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		(void)send_id(q, 610, 0);
		t = recv_trailer(q, &m, sizes[i].elems, &mr);
		tap_ok(mr == MACH_MSG_SUCCESS &&
		    t->msgh_trailer_size == sizes[i].size &&
		    t->msgh_trailer_size ==
		    REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(
		    sizes[i].elems)),
		    "trailer elements %d: %u bytes (got %u)", sizes[i].elems,
		    sizes[i].size, t->msgh_trailer_size);
	}
	(void)send_id(q, 611, 0);
	mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT |
	    MACH_RCV_TRAILER_TYPE(1), 0, sizeof(m), q, 0, MACH_PORT_NULL);
	tap_ok(mr == MACH_RCV_INVALID_TRAILER && ipc_status(q).mps_msgcount == 1,
	    "trailer format 1: MACH_RCV_INVALID_TRAILER, message kept (0x%x)",
	    mr);
	(void)ipc_drain(q);

	/* through a set, each port keeps its own numbers */
	mach_port_t q2 = ipc_port_send();
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_PORT_SET, &s);
	(void)mach_port_insert_member(self, q, s);
	(void)mach_port_insert_member(self, q2, s);
	mach_port_seqno_t sq = ipc_status(q).mps_seqno;
	(void)send_id(q2, 620, 0);
	(void)send_id(q, 621, 0);
	t = recv_trailer(s, &m, MACH_RCV_TRAILER_SEQNO, &mr);
	mach_port_seqno_t first = t->msgh_seqno;
	mach_port_t from1 = m.head.msgh_local_port;
	t = recv_trailer(s, &m, MACH_RCV_TRAILER_SEQNO, &mr);
	mach_port_seqno_t second = t->msgh_seqno;
	mach_port_t from2 = m.head.msgh_local_port;
	int ok = (from1 == q2 && first == 0 && from2 == q && second == sq) ||
	    (from1 == q && first == sq && from2 == q2 && second == 0);
	tap_ok(ok, "through a set, seqnos are per port (q2: 0, q: %u; got "
	    "%u from 0x%x, %u from 0x%x)", sq, first, from1, second, from2);
	(void)mach_port_destroy(self, s);
	(void)mach_port_destroy(self, q2);
	(void)mach_port_destroy(self, q);
}

static void aborts(void)
{
	mach_port_t q = ipc_port_send();
	struct waiter w;
	kern_return_t kr;

	start(&w, q, 0, MACH_RCV_TIMEOUT | MACH_RCV_INTERRUPT, IPC_RCV_MS, 0);
	int was_blocked = blocked(&w);
	kr = thread_abort(w.thread);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS &&
	    w.mr == MACH_RCV_INTERRUPTED,
	    "thread_abort of a blocked receive: MACH_RCV_INTERRUPTED (kr %d, "
	    "0x%x)", kr, w.mr);

	for (int i = 0; i < 5; i++)
		(void)send_id(q, 700 + i, 0);
	start(&w, q, 1, MACH_SEND_TIMEOUT | MACH_SEND_INTERRUPT, IPC_RCV_MS,
	    705);
	was_blocked = blocked(&w);
	kr = thread_abort(w.thread);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS &&
	    w.mr == MACH_SEND_INTERRUPTED && ipc_status(q).mps_msgcount == 5,
	    "thread_abort of a blocked send: MACH_SEND_INTERRUPTED, nothing "
	    "queued (kr %d, 0x%x)", kr, w.mr);

	/* without the INTERRUPT options the library restarts the wait */
	(void)ipc_drain(q);
	start(&w, q, 0, MACH_RCV_TIMEOUT, IPC_RCV_MS, 0);
	was_blocked = blocked(&w);
	kr = thread_abort(w.thread);
	int still = blocked(&w);
	(void)send_id(q, 706, 0);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS && still &&
	    w.mr == MACH_MSG_SUCCESS && w.got_id == 706,
	    "without MACH_RCV_INTERRUPT mach_msg waits again and gets the next "
	    "message (0x%x)", w.mr);

	/*
	 * An aborted receiver stays on the port's waiter list, runnable,
	 * until it runs again.  A hot-path request sent before then must
	 * not hand the CPU to it (it is on a run queue): it is queued for
	 * it instead, and the receiver, restarting, takes it.  Its
	 * mach_msg_destroy of the request fires the send-once
	 * notification that ends our wait for a reply.
	 */
	mach_port_t r = ipc_port();
	start(&w, q, 0, 0, MACH_MSG_TIMEOUT_NONE, 0);
	was_blocked = blocked(&w);
	kr = thread_abort(w.thread);
	union buf m;
	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.head.msgh_size = sizeof(m.head);
	m.head.msgh_remote_port = q;
	m.head.msgh_local_port = r;
	m.head.msgh_id = 707;
	mach_msg_return_t mr = mach_msg(&m.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(m.head),
	    sizeof(m), r, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	finish(&w);
	tap_ok(was_blocked && kr == KERN_SUCCESS && mr == MACH_MSG_SUCCESS &&
	    m.head.msgh_id == MACH_NOTIFY_SEND_ONCE && w.mr == MACH_MSG_SUCCESS &&
	    w.got_id == 707,
	    "a request to an aborted receiver not yet run again reaches it "
	    "(kr %d, 0x%x id %d, receiver 0x%x id %d)", kr, mr, m.head.msgh_id,
	    w.mr, w.got_id);
	(void)mach_port_destroy(self, r);
	(void)mach_port_destroy(self, q);
}

int main(void)
{
	self = mach_task_self();
	queue_limit();
	receive_waits();
	port_sets();
	large_messages();
	trailers();
	aborts();
	return tap_done();
}
