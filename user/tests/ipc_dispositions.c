/*
 * ipc_dispositions: every header disposition and every descriptor kind,
 * moving rights between this task and testaux/ipc_disp_peer, checked with
 * mach_port_type and mach_port_get_refs on both sides (the peer reports
 * what its space holds; protocol in testaux/ipc_common.h).
 *
 * Header: the destination as COPY_SEND, MOVE_SEND, MOVE_SEND_ONCE,
 * MAKE_SEND and MAKE_SEND_ONCE (the destination right is used up on
 * receipt: the receiver gets its own name back, no new right); the reply
 * as MAKE_SEND, MAKE_SEND_ONCE, COPY_SEND, MOVE_SEND, MOVE_SEND_ONCE;
 * MOVE_RECEIVE and other bad types (MACH_SEND_INVALID_HEADER), missing
 * rights (MACH_SEND_INVALID_DEST / MACH_SEND_INVALID_REPLY).  Bodies:
 * port descriptors of every disposition including MOVE_RECEIVE there and
 * back (the queue travels with it), OOL port arrays (coalescing within
 * one array, MOVE_RECEIVE, null and dead names, deallocate), bad body
 * dispositions, and circular messages (a receive right sent to itself).
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/tap.h>
#include "../testaux/ipc_common.h"

static mach_port_t self;
static mach_port_t P;		/* this task's port, the peer reports here */
static mach_port_t pc;		/* send right to the peer's port */
static struct disp_report rep;

union msgbuf {
	mach_msg_header_t	head;
	struct disp_report	report;
	struct {
		mach_msg_header_t		head;
		mach_msg_body_t			body;
		mach_msg_port_descriptor_t	port;
	} given;
	uint8_t			space[1024];
};

struct cmsg {
	mach_msg_header_t	head;
	mach_msg_body_t		body;
	mach_msg_descriptor_t	d[2];
};

/* Wait for the peer's report on P. */
static mach_msg_return_t get_report(void)
{
	union msgbuf m;
	mach_msg_return_t mr = ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS);

	memset(&rep, 0, sizeof(rep));
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (m.head.msgh_id != DISP_REPORT) {
		mach_msg_destroy(&m.head);
		return MIG_REPLY_MISMATCH;
	}
	rep = m.report;
	return MACH_MSG_SUCCESS;
}

/* Send msg; if that works, wait for the report.  Returns the first error. */
static mach_msg_return_t exchange(mach_msg_header_t *msg, mach_msg_size_t size)
{
	mach_msg_return_t mr = ipc_send(msg, size);

	if (mr != MACH_MSG_SUCCESS) {
		memset(&rep, 0, sizeof(rep));
		return mr;
	}
	return get_report();
}

/* A simple command to the peer (dest pc, COPY_SEND unless told). */
static mach_msg_return_t command(mach_msg_id_t id, uint32_t arg,
				 const mach_port_name_t *names, uint32_t n)
{
	struct disp_cmd c;

	memset(&c, 0, sizeof(c));
	c.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	c.head.msgh_size = sizeof(c);
	c.head.msgh_remote_port = pc;
	c.head.msgh_id = id;
	c.arg = arg;
	c.count = n;
	for (uint32_t i = 0; i < n && i < DISP_MAX; i++)
		c.names[i] = names[i];
	return exchange(&c.head, sizeof(c));
}

/* INSPECT with the given header. */
static mach_msg_return_t inspect_hdr(mach_port_t dest,
				     mach_msg_type_name_t dtype,
				     mach_port_t reply,
				     mach_msg_type_name_t rtype)
{
	struct disp_cmd c;

	memset(&c, 0, sizeof(c));
	c.head.msgh_bits = MACH_MSGH_BITS(dtype, rtype);
	c.head.msgh_size = sizeof(c);
	c.head.msgh_remote_port = dest;
	c.head.msgh_local_port = reply;
	c.head.msgh_id = DISP_INSPECT;
	return exchange(&c.head, sizeof(c));
}

/* INSPECT with one port descriptor. */
static mach_msg_return_t inspect_port(mach_port_t name,
				      mach_msg_type_name_t disp)
{
	struct cmsg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m.head) + sizeof(m.body) +
	    sizeof(m.d[0]);
	m.head.msgh_remote_port = pc;
	m.head.msgh_id = DISP_INSPECT;
	m.body.msgh_descriptor_count = 1;
	m.d[0].port.name = name;
	m.d[0].port.disposition = disp;
	m.d[0].port.type = MACH_MSG_PORT_DESCRIPTOR;
	return exchange(&m.head, m.head.msgh_size);
}

/* INSPECT with one OOL port array. */
static mach_msg_return_t inspect_ool(mach_port_name_t *names, uint32_t n,
				     mach_msg_type_name_t disp, int dealloc)
{
	struct cmsg m;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m.head) + sizeof(m.body) +
	    sizeof(m.d[0]);
	m.head.msgh_remote_port = pc;
	m.head.msgh_id = DISP_INSPECT;
	m.body.msgh_descriptor_count = 1;
	m.d[0].ool_ports.address = names;
	m.d[0].ool_ports.count = n;
	m.d[0].ool_ports.deallocate = dealloc;
	m.d[0].ool_ports.copy = MACH_MSG_PHYSICAL_COPY;
	m.d[0].ool_ports.disposition = disp;
	m.d[0].ool_ports.type = MACH_MSG_OOL_PORTS_DESCRIPTOR;
	return exchange(&m.head, m.head.msgh_size);
}

/* Does the peer's entry i show this type and these refs? */
static int peer_has(uint32_t i, mach_port_type_t type, mach_port_urefs_t send,
		    mach_port_urefs_t sonce, mach_port_urefs_t recv)
{
	if (i >= rep.count)
		return 0;
	const struct disp_right *r = &rep.r[i];
	return r->kr == KERN_SUCCESS && r->type == type && r->send == send &&
	    r->sonce == sonce && r->recv == recv;
}

static int peer_gone(uint32_t i)
{
	return i < rep.count && rep.r[i].kr == KERN_INVALID_NAME;
}

/* The peer's view of entry i, for messages. */
#define PEER(i)	rep.r[i].name, rep.r[i].kr, rep.r[i].type, rep.r[i].send, \
		rep.r[i].sonce, rep.r[i].recv
#define PEERFMT	"peer 0x%x: kr %d type 0x%x send %u sonce %u recv %u"

/*
 * Ask the peer to give names[0] back with disposition disp.  Returns the
 * name that arrived here (IPC_BAD_NAME if none) and its disposition.
 */
static mach_port_name_t give(mach_port_name_t name, mach_msg_type_name_t disp,
			     mach_msg_type_name_t *got_disp)
{
	struct disp_cmd c;
	union msgbuf m;
	mach_port_name_t got = IPC_BAD_NAME;

	memset(&c, 0, sizeof(c));
	c.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0);
	c.head.msgh_size = sizeof(c);
	c.head.msgh_remote_port = pc;
	c.head.msgh_id = DISP_GIVE;
	c.arg = disp;
	c.count = 1;
	c.names[0] = name;
	*got_disp = 0;
	if (ipc_send(&c.head, sizeof(c)) != MACH_MSG_SUCCESS)
		return got;
	if (ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS) == MACH_MSG_SUCCESS &&
	    m.head.msgh_id == DISP_GIVEN &&
	    (m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
	    m.given.body.msgh_descriptor_count == 1) {
		got = m.given.port.name;
		*got_disp = m.given.port.disposition;
	}
	(void)get_report();
	return got;
}

/* A bare message to dest, for the destination-disposition cases. */
static mach_msg_return_t bare(mach_port_t dest, mach_msg_type_name_t dtype,
			      mach_port_t reply, mach_msg_type_name_t rtype,
			      mach_msg_id_t id)
{
	return ipc_send_bare(dest, dtype, reply, rtype, id);
}

static void header_destination(void)
{
	mach_msg_return_t mr;
	union msgbuf m;

	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 0 &&
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND) == 1,
	    "dest COPY_SEND: delivered, no right arrives, sender keeps 1 uref "
	    "(mr 0x%x, %u)", mr, ipc_refs(pc, MACH_PORT_RIGHT_SEND));

	(void)mach_port_mod_refs(self, pc, MACH_PORT_RIGHT_SEND, 1);
	mr = inspect_hdr(pc, MACH_MSG_TYPE_MOVE_SEND, MACH_PORT_NULL, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 0 &&
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND) == 1,
	    "dest MOVE_SEND: delivered, the sender has one uref less (%u)",
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND));

	/* a send-once right to the peer's port, made by the peer */
	mach_msg_type_name_t disp = 0;
	mach_port_name_t so = give(rep.peer_port, MACH_MSG_TYPE_MAKE_SEND_ONCE,
	    &disp);
	tap_ok(so != IPC_BAD_NAME && disp == MACH_MSG_TYPE_PORT_SEND_ONCE &&
	    ipc_type(so) == MACH_PORT_TYPE_SEND_ONCE && so != pc,
	    "the peer made a send-once right to its port for us: a new name "
	    "(0x%x, disp %u, type 0x%x)", so, disp, ipc_type(so));
	tap_ok(peer_has(0, MACH_PORT_TYPE_RECEIVE, 0, 0, 1),
	    "MAKE_SEND_ONCE left the peer's receive right as it was ("
	    PEERFMT ")", PEER(0));
	mr = inspect_hdr(so, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 0 &&
	    ipc_type(so) == IPC_BAD_TYPE,
	    "dest MOVE_SEND_ONCE: delivered, the name is gone (mr 0x%x)", mr);

	/* MAKE_SEND / MAKE_SEND_ONCE to a port of our own */
	mach_port_t q = ipc_port();
	mach_port_status_t st0 = ipc_status(q);
	mr = bare(q, MACH_MSG_TYPE_MAKE_SEND, MACH_PORT_NULL, 0, 11);
	mach_port_status_t st1 = ipc_status(q);
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	mach_port_status_t st2 = ipc_status(q);
	tap_ok(mr == MACH_MSG_SUCCESS && st1.mps_mscount == st0.mps_mscount + 1
	    && st1.mps_srights == 1 && st1.mps_msgcount == 1,
	    "dest MAKE_SEND: a send right travels with the message (mscount "
	    "%u -> %u, srights %u)", st0.mps_mscount, st1.mps_mscount,
	    st1.mps_srights);
	tap_ok(mr2 == MACH_MSG_SUCCESS && m.head.msgh_local_port == q &&
	    MACH_MSGH_BITS_LOCAL(m.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND &&
	    m.head.msgh_remote_port == MACH_PORT_NULL &&
	    MACH_MSGH_BITS_REMOTE(m.head.msgh_bits) == 0,
	    "received: local port is the receive name, bits PORT_SEND (bits "
	    "0x%x)", m.head.msgh_bits);
	tap_ok(ipc_type(q) == MACH_PORT_TYPE_RECEIVE && st2.mps_srights == 0,
	    "and the destination right was used up: no send right appeared "
	    "(type 0x%x, srights %u)", ipc_type(q), st2.mps_srights);

	mr = bare(q, MACH_MSG_TYPE_MAKE_SEND_ONCE, MACH_PORT_NULL, 0, 12);
	st1 = ipc_status(q);
	mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	st2 = ipc_status(q);
	tap_ok(mr == MACH_MSG_SUCCESS && st1.mps_sorights == 1 &&
	    mr2 == MACH_MSG_SUCCESS && m.head.msgh_local_port == q &&
	    MACH_MSGH_BITS_LOCAL(m.head.msgh_bits) ==
	    MACH_MSG_TYPE_PORT_SEND_ONCE && st2.mps_sorights == 0 &&
	    ipc_type(q) == MACH_PORT_TYPE_RECEIVE,
	    "dest MAKE_SEND_ONCE: one send-once right in flight, used up on "
	    "receipt (sorights %u -> %u, bits 0x%x)", st1.mps_sorights,
	    st2.mps_sorights, m.head.msgh_bits);

	/* bad destinations */
	mr = bare(q, MACH_MSG_TYPE_MOVE_RECEIVE, MACH_PORT_NULL, 0, 13);
	tap_ok(mr == MACH_SEND_INVALID_HEADER &&
	    ipc_type(q) == MACH_PORT_TYPE_RECEIVE &&
	    ipc_status(q).mps_msgcount == 0,
	    "dest MOVE_RECEIVE: MACH_SEND_INVALID_HEADER, nothing changed "
	    "(mr 0x%x)", mr);
	mr = bare(pc, 0, MACH_PORT_NULL, 0, 14);
	tap_ok(mr == MACH_SEND_INVALID_HEADER, "dest disposition 0: "
	    "MACH_SEND_INVALID_HEADER (0x%x)", mr);
	mr = bare(pc, MACH_MSG_TYPE_COPY_RECEIVE, MACH_PORT_NULL, 0, 14);
	tap_ok(mr == MACH_SEND_INVALID_HEADER, "dest COPY_RECEIVE: "
	    "MACH_SEND_INVALID_HEADER (0x%x)", mr);
	mr = bare(pc, MACH_MSG_TYPE_PORT_NAME, MACH_PORT_NULL, 0, 14);
	tap_ok(mr == MACH_SEND_INVALID_HEADER, "dest PORT_NAME: "
	    "MACH_SEND_INVALID_HEADER (0x%x)", mr);
	mr = bare(MACH_PORT_NULL, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
	    14);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest MACH_PORT_NULL: "
	    "MACH_SEND_INVALID_DEST (0x%x)", mr);
	mr = bare(q, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 14);
	tap_ok(mr == MACH_SEND_INVALID_DEST, "dest COPY_SEND of a bare receive "
	    "right: MACH_SEND_INVALID_DEST (0x%x)", mr);
	mr = bare(pc, MACH_MSG_TYPE_MOVE_SEND_ONCE, MACH_PORT_NULL, 0, 14);
	tap_ok(mr == MACH_SEND_INVALID_DEST &&
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND) == 1,
	    "dest MOVE_SEND_ONCE of a send right: MACH_SEND_INVALID_DEST, "
	    "urefs kept (0x%x)", mr);
	mach_port_t dn = MACH_PORT_NULL;
	(void)mach_port_allocate(self, MACH_PORT_RIGHT_DEAD_NAME, &dn);
	mr = bare(dn, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 14);
	tap_ok(mr == MACH_SEND_INVALID_DEST &&
	    ipc_refs(dn, MACH_PORT_RIGHT_DEAD_NAME) == 1,
	    "dest a dead name: MACH_SEND_INVALID_DEST, urefs kept (0x%x)", mr);
	tap_ok(ipc_status(q).mps_msgcount == 0, "nothing was queued by the "
	    "failed sends (%u)", ipc_status(q).mps_msgcount);
	(void)mach_port_destroy(self, dn);
	(void)mach_port_destroy(self, q);
}

static void header_reply(void)
{
	mach_port_t q = ipc_port(), x = ipc_port_send();
	mach_msg_return_t mr;
	union msgbuf m;

	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, q,
	    MACH_MSG_TYPE_MAKE_SEND);
	mach_port_name_t q_peer = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 1 &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 1, 0, 0),
	    "reply MAKE_SEND: the peer holds a send right, 1 uref (" PEERFMT
	    ")", PEER(0));
	tap_ok(ipc_type(q) == MACH_PORT_TYPE_RECEIVE &&
	    ipc_status(q).mps_srights == 1 && ipc_status(q).mps_mscount == 1,
	    "our side: still only the receive right; mscount 1, a sender "
	    "exists (type 0x%x)", ipc_type(q));
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, q,
	    MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.r[0].name == q_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 2, 0, 0),
	    "a second MAKE_SEND coalesces on the peer's name: 2 urefs ("
	    PEERFMT ")", PEER(0));

	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, q,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mach_port_name_t so_peer = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && so_peer != q_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND_ONCE, 0, 1, 0) &&
	    ipc_status(q).mps_sorights == 1,
	    "reply MAKE_SEND_ONCE: a send-once right under a new peer name ("
	    PEERFMT ")", PEER(0));
	mr = command(DISP_REPLY_SO, 0, &so_peer, 1);
	mach_msg_return_t mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && peer_gone(0) &&
	    mr2 == MACH_MSG_SUCCESS && m.head.msgh_id == DISP_SO_ID &&
	    m.head.msgh_local_port == q &&
	    MACH_MSGH_BITS_LOCAL(m.head.msgh_bits) ==
	    MACH_MSG_TYPE_PORT_SEND_ONCE && ipc_status(q).mps_sorights == 0,
	    "the peer replied on it: the reply came to our port, its right is "
	    "used up (mr 0x%x/0x%x, kr %d)", mr, mr2, rep.r[0].kr);

	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, x,
	    MACH_MSG_TYPE_COPY_SEND);
	mach_port_name_t x_peer = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && peer_has(0, MACH_PORT_TYPE_SEND, 1, 0, 0)
	    && ipc_refs(x, MACH_PORT_RIGHT_SEND) == 1,
	    "reply COPY_SEND: the peer gets a send right, we keep ours ("
	    PEERFMT ")", PEER(0));
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, x,
	    MACH_MSG_TYPE_MOVE_SEND);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.r[0].name == x_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 2, 0, 0) &&
	    ipc_type(x) == MACH_PORT_TYPE_RECEIVE,
	    "reply MOVE_SEND: ours moves over and coalesces there (" PEERFMT
	    ", our type 0x%x)", PEER(0), ipc_type(x));

	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	(void)mach_port_extract_right(self, q, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, so,
	    MACH_MSG_TYPE_MOVE_SEND_ONCE);
	mach_port_name_t so2_peer = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && ipc_type(so) == IPC_BAD_TYPE &&
	    peer_has(0, MACH_PORT_TYPE_SEND_ONCE, 0, 1, 0),
	    "reply MOVE_SEND_ONCE: our name is gone, the peer has it ("
	    PEERFMT ")", PEER(0));
	mr = command(DISP_DROP, 0, &so2_peer, 1);
	mr2 = ipc_recv(&m.head, sizeof(m), q, IPC_RCV_MS);
	tap_ok(mr == MACH_MSG_SUCCESS && peer_gone(0) &&
	    mr2 == MACH_MSG_SUCCESS && m.head.msgh_id == MACH_NOTIFY_SEND_ONCE &&
	    ipc_status(q).mps_sorights == 0,
	    "the peer destroyed it unused: a send-once notification came to "
	    "our port (mr2 0x%x, id 0%o)", mr2, m.head.msgh_id);

	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, q,
	    MACH_MSG_TYPE_MOVE_RECEIVE);
	tap_ok(mr == MACH_SEND_INVALID_HEADER &&
	    ipc_type(q) == MACH_PORT_TYPE_RECEIVE,
	    "reply MOVE_RECEIVE: MACH_SEND_INVALID_HEADER (0x%x)", mr);
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, q,
	    MACH_MSG_TYPE_COPY_RECEIVE);
	tap_ok(mr == MACH_SEND_INVALID_HEADER, "reply COPY_RECEIVE: "
	    "MACH_SEND_INVALID_HEADER (0x%x)", mr);
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, q,
	    MACH_MSG_TYPE_COPY_SEND);
	tap_ok(mr == MACH_SEND_INVALID_REPLY, "reply COPY_SEND of a bare "
	    "receive right: MACH_SEND_INVALID_REPLY (0x%x)", mr);
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, pc,
	    MACH_MSG_TYPE_MOVE_SEND_ONCE);
	tap_ok(mr == MACH_SEND_INVALID_REPLY &&
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND) == 1,
	    "reply MOVE_SEND_ONCE of a send right: MACH_SEND_INVALID_REPLY "
	    "(0x%x)", mr);
	mr = inspect_hdr(pc, MACH_MSG_TYPE_COPY_SEND, IPC_BAD_NAME,
	    MACH_MSG_TYPE_MAKE_SEND);
	tap_ok(mr == MACH_SEND_INVALID_REPLY, "reply MAKE_SEND of an unused "
	    "name: MACH_SEND_INVALID_REPLY (0x%x)", mr);

	mach_port_name_t drop[2] = { q_peer, x_peer };
	mr = command(DISP_DROP, 0, drop, 2);
	tap_ok(mr == MACH_MSG_SUCCESS && peer_gone(0) && peer_gone(1) &&
	    ipc_status(q).mps_srights == 0 && ipc_status(x).mps_srights == 0,
	    "the peer dropped its send rights: no senders left on either "
	    "port");
	(void)mach_port_destroy(self, q);
	(void)mach_port_destroy(self, x);
}

static void port_descriptors(void)
{
	mach_port_t y = ipc_port(), z = ipc_port_send();
	mach_msg_return_t mr;
	union msgbuf m;

	mr = inspect_port(y, MACH_MSG_TYPE_MAKE_SEND);
	mach_port_name_t y_peer = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 1 &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 1, 0, 0) &&
	    ipc_type(y) == MACH_PORT_TYPE_RECEIVE,
	    "descriptor MAKE_SEND: the peer gets a send right (" PEERFMT ")",
	    PEER(0));
	(void)mach_port_insert_right(self, y, y, MACH_MSG_TYPE_MAKE_SEND);
	mr = inspect_port(y, MACH_MSG_TYPE_COPY_SEND);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.r[0].name == y_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 2, 0, 0) &&
	    ipc_refs(y, MACH_PORT_RIGHT_SEND) == 1,
	    "descriptor COPY_SEND: same peer name, 2 urefs; ours kept ("
	    PEERFMT ")", PEER(0));
	mr = inspect_port(y, MACH_MSG_TYPE_MOVE_SEND);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.r[0].name == y_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 3, 0, 0) &&
	    ipc_type(y) == MACH_PORT_TYPE_RECEIVE,
	    "descriptor MOVE_SEND: 3 urefs there, none here (" PEERFMT ")",
	    PEER(0));
	mr = inspect_port(y, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	mach_port_name_t so1 = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && so1 != y_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND_ONCE, 0, 1, 0) &&
	    ipc_status(y).mps_sorights == 1,
	    "descriptor MAKE_SEND_ONCE: a send-once right, new name (" PEERFMT
	    ")", PEER(0));
	mach_port_t so = MACH_PORT_NULL;
	mach_msg_type_name_t t;
	(void)mach_port_extract_right(self, y, MACH_MSG_TYPE_MAKE_SEND_ONCE, &so,
	    &t);
	mr = inspect_port(so, MACH_MSG_TYPE_MOVE_SEND_ONCE);
	mach_port_name_t so2 = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && so2 != so1 &&
	    peer_has(0, MACH_PORT_TYPE_SEND_ONCE, 0, 1, 0) &&
	    ipc_type(so) == IPC_BAD_TYPE && ipc_status(y).mps_sorights == 2,
	    "descriptor MOVE_SEND_ONCE: ours gone, a second one there ("
	    PEERFMT ")", PEER(0));
	mach_port_name_t drop[3] = { so1, so2, y_peer };
	mr = command(DISP_DROP, 0, drop, 3);
	int notes = 0, others = 0;
	while (ipc_recv(&m.head, sizeof(m), y, IPC_NONE_MS) ==
	    MACH_MSG_SUCCESS) {
		if (m.head.msgh_id == MACH_NOTIFY_SEND_ONCE)
			notes++;
		else
			others++;
		mach_msg_destroy(&m.head);
	}
	tap_ok(mr == MACH_MSG_SUCCESS && notes == 2 && others == 0 &&
	    ipc_status(y).mps_sorights == 0 && ipc_status(y).mps_srights == 0,
	    "the peer dropped them: 2 send-once notifications, no senders "
	    "left (%d notes, %d others)", notes, others);

	/* MOVE_RECEIVE there and back; the queue goes with the right. */
	mr = bare(z, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0x777);
	mr = inspect_port(z, MACH_MSG_TYPE_MOVE_RECEIVE);
	mach_port_name_t z_peer = rep.r[0].name;
	tap_ok(mr == MACH_MSG_SUCCESS && peer_has(0, MACH_PORT_TYPE_RECEIVE, 0,
	    0, 1) && ipc_type(z) == MACH_PORT_TYPE_SEND &&
	    ipc_refs(z, MACH_PORT_RIGHT_SEND) == 1,
	    "descriptor MOVE_RECEIVE: the peer holds the receive right, our "
	    "send right stays (" PEERFMT ", ours 0x%x)", PEER(0),
	    ipc_type(z));
	mr = bare(z, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0, 0x778);
	tap_ok(mr == MACH_MSG_SUCCESS, "we can still send to it (0x%x)", mr);
	mach_msg_type_name_t disp = 0;
	mach_port_name_t back = give(z_peer, MACH_MSG_TYPE_MOVE_RECEIVE, &disp);
	tap_ok(back == z && disp == MACH_MSG_TYPE_PORT_RECEIVE &&
	    ipc_type(z) == MACH_PORT_TYPE_SEND_RECEIVE && peer_gone(0),
	    "given back, it lands on our send right's name (0x%x vs 0x%x, "
	    "type 0x%x), the peer's name is gone", back, z, ipc_type(z));
	mach_msg_return_t a = ipc_recv(&m.head, sizeof(m), z, IPC_RCV_MS);
	mach_msg_id_t id1 = m.head.msgh_id;
	mach_msg_return_t b = ipc_recv(&m.head, sizeof(m), z, IPC_RCV_MS);
	tap_ok(a == MACH_MSG_SUCCESS && b == MACH_MSG_SUCCESS && id1 == 0x777 &&
	    m.head.msgh_id == 0x778,
	    "both messages queued meanwhile are there, in order (0x%x 0x%x)",
	    id1, m.head.msgh_id);

	/* bad body rights */
	mr = inspect_port(z, MACH_MSG_TYPE_COPY_RECEIVE);
	tap_ok(mr == MACH_SEND_INVALID_TYPE, "descriptor COPY_RECEIVE: "
	    "MACH_SEND_INVALID_TYPE (0x%x)", mr);
	mr = inspect_port(z, 0);
	tap_ok(mr == MACH_SEND_INVALID_TYPE, "descriptor disposition 0: "
	    "MACH_SEND_INVALID_TYPE (0x%x)", mr);
	mr = inspect_port(pc, MACH_MSG_TYPE_MOVE_RECEIVE);
	tap_ok(mr == MACH_SEND_INVALID_RIGHT &&
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND) == 1,
	    "descriptor MOVE_RECEIVE of a send right: MACH_SEND_INVALID_RIGHT "
	    "(0x%x)", mr);
	mr = inspect_port(y, MACH_MSG_TYPE_COPY_SEND);
	tap_ok(mr == MACH_SEND_INVALID_RIGHT, "descriptor COPY_SEND of a bare "
	    "receive right: MACH_SEND_INVALID_RIGHT (0x%x)", mr);
	mr = inspect_port(IPC_BAD_NAME, MACH_MSG_TYPE_MOVE_SEND);
	tap_ok(mr == MACH_SEND_INVALID_RIGHT, "descriptor MOVE_SEND of an "
	    "unused name: MACH_SEND_INVALID_RIGHT (0x%x)", mr);
	tap_ok(ipc_type(z) == MACH_PORT_TYPE_SEND_RECEIVE &&
	    ipc_refs(z, MACH_PORT_RIGHT_SEND) == 1,
	    "the failed sends left our rights alone");
	(void)mach_port_destroy(self, y);
	(void)mach_port_destroy(self, z);
}

static void ool_ports(void)
{
	mach_port_t a = ipc_port(), b = ipc_port();
	mach_port_t r1 = ipc_port(), r2 = ipc_port();
	mach_port_name_t names[3];
	mach_msg_return_t mr;

	names[0] = a;
	names[1] = a;
	names[2] = b;
	mr = inspect_ool(names, 3, MACH_MSG_TYPE_MAKE_SEND, 0);
	mach_port_name_t a_peer = rep.r[0].name, b_peer = rep.r[2].name;
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 3 &&
	    rep.r[1].name == a_peer && b_peer != a_peer &&
	    peer_has(0, MACH_PORT_TYPE_SEND, 2, 0, 0) &&
	    peer_has(2, MACH_PORT_TYPE_SEND, 1, 0, 0),
	    "OOL ports [a a b] MAKE_SEND: two peer names, a's with 2 urefs ("
	    PEERFMT ")", PEER(0));
	tap_ok(ipc_status(a).mps_mscount == 2 && ipc_status(b).mps_mscount == 1,
	    "our make-send counts: a 2, b 1 (%u, %u)",
	    ipc_status(a).mps_mscount, ipc_status(b).mps_mscount);

	(void)mach_port_insert_right(self, a, a, MACH_MSG_TYPE_MAKE_SEND);
	names[0] = a;
	names[1] = MACH_PORT_NULL;
	names[2] = MACH_PORT_DEAD;
	mr = inspect_ool(names, 3, MACH_MSG_TYPE_COPY_SEND, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 3 &&
	    rep.r[0].name == a_peer && peer_has(0, MACH_PORT_TYPE_SEND, 3, 0, 0)
	    && rep.r[1].name == MACH_PORT_NULL &&
	    rep.r[2].name == MACH_PORT_DEAD &&
	    ipc_refs(a, MACH_PORT_RIGHT_SEND) == 1,
	    "OOL ports [a NULL DEAD] COPY_SEND: a coalesces (3 urefs), null "
	    "and dead arrive as such (0x%x 0x%x)", rep.r[1].name,
	    rep.r[2].name);

	/* MOVE_RECEIVE of two rights, array deallocated */
	vm_address_t page = 0;
	kern_return_t kr = vm_allocate(self, &page, 4096, VM_FLAGS_ANYWHERE);
	mach_port_name_t *arr = (mach_port_name_t *)page;
	if (kr == KERN_SUCCESS) {
		arr[0] = r1;
		arr[1] = r2;
		mr = inspect_ool(arr, 2, MACH_MSG_TYPE_MOVE_RECEIVE, 1);
		tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 2 &&
		    peer_has(0, MACH_PORT_TYPE_RECEIVE, 0, 0, 1) &&
		    peer_has(1, MACH_PORT_TYPE_RECEIVE, 0, 0, 1) &&
		    ipc_type(r1) == IPC_BAD_TYPE && ipc_type(r2) == IPC_BAD_TYPE,
		    "OOL ports MOVE_RECEIVE: both receive rights moved ("
		    PEERFMT ")", PEER(0));
		vm_address_t again = page;
		kr = vm_allocate(self, &again, 4096, VM_FLAGS_FIXED);
		tap_ok(kr == KERN_SUCCESS, "deallocate was set: the array's "
		    "page was unmapped (FIXED allocation there: kr %d)", kr);
		if (kr == KERN_SUCCESS)
			(void)vm_deallocate(self, again, 4096);
	}

	mr = inspect_ool(names, 0, MACH_MSG_TYPE_COPY_SEND, 0);
	tap_ok(mr == MACH_MSG_SUCCESS && rep.count == 0,
	    "an empty OOL port array brings nothing (mr 0x%x, %u)", mr,
	    rep.count);
	names[0] = a;
	mr = inspect_ool(names, 1, MACH_MSG_TYPE_COPY_RECEIVE, 0);
	tap_ok(mr == MACH_SEND_INVALID_TYPE, "OOL ports COPY_RECEIVE: "
	    "MACH_SEND_INVALID_TYPE (0x%x)", mr);
	names[0] = b;
	mr = inspect_ool(names, 1, MACH_MSG_TYPE_COPY_SEND, 0);
	tap_ok(mr == MACH_SEND_INVALID_RIGHT, "OOL ports COPY_SEND of a bare "
	    "receive right: MACH_SEND_INVALID_RIGHT (0x%x)", mr);

	mach_port_name_t drop[2] = { a_peer, b_peer };
	(void)command(DISP_DROP, 0, drop, 2);
	tap_ok(peer_gone(0) && peer_gone(1), "the peer dropped them");
	(void)mach_port_destroy(self, a);
	(void)mach_port_destroy(self, b);
}

static void circular(void)
{
	mach_port_t w = ipc_port_send(), a = ipc_port_send(), b = ipc_port_send();
	struct cmsg m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	m.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0) |
	    MACH_MSGH_BITS_COMPLEX;
	m.head.msgh_size = sizeof(m.head) + sizeof(m.body) + sizeof(m.d[0]);
	m.head.msgh_remote_port = w;
	m.body.msgh_descriptor_count = 1;
	m.d[0].port.name = w;
	m.d[0].port.disposition = MACH_MSG_TYPE_MOVE_RECEIVE;
	m.d[0].port.type = MACH_MSG_PORT_DESCRIPTOR;
	mr = ipc_send(&m.head, m.head.msgh_size);
	tap_ok(mr == MACH_MSG_SUCCESS && ipc_type(w) == MACH_PORT_TYPE_DEAD_NAME
	    && ipc_refs(w, MACH_PORT_RIGHT_DEAD_NAME) == 1,
	    "a port's receive right sent to itself: accepted and destroyed, "
	    "our send right is a dead name (mr 0x%x, type 0x%x)", mr,
	    ipc_type(w));

	m.head.msgh_remote_port = b;
	m.d[0].port.name = a;
	mr = ipc_send(&m.head, m.head.msgh_size);
	tap_ok(mr == MACH_MSG_SUCCESS && ipc_type(a) == MACH_PORT_TYPE_SEND &&
	    ipc_status(b).mps_msgcount == 1,
	    "a's receive right queued inside b (mr 0x%x)", mr);
	m.head.msgh_remote_port = a;
	m.d[0].port.name = b;
	mr = ipc_send(&m.head, m.head.msgh_size);
	tap_ok(mr == MACH_MSG_SUCCESS &&
	    ipc_type(a) == MACH_PORT_TYPE_DEAD_NAME &&
	    ipc_type(b) == MACH_PORT_TYPE_DEAD_NAME,
	    "then b's into a closes a loop: the message is destroyed and both "
	    "ports die (mr 0x%x, types 0x%x 0x%x)", mr, ipc_type(a),
	    ipc_type(b));
	(void)mach_port_destroy(self, w);
	(void)mach_port_destroy(self, a);
	(void)mach_port_destroy(self, b);
}

int main(void)
{
	self = mach_task_self();
	P = ipc_port_send();
	int task = ipc_spawn_with_port("testaux/ipc_disp_peer", P);
	if (!tap_ok(task > 0, "spawn testaux/ipc_disp_peer (%d)", task))
		return tap_done();
	union msgbuf m;
	mach_msg_return_t mr = ipc_recv(&m.head, sizeof(m), P, IPC_RCV_MS);
	pc = m.head.msgh_remote_port;
	if (!tap_ok(mr == MACH_MSG_SUCCESS && m.head.msgh_id == DISP_HELLO &&
	    MACH_MSGH_BITS_REMOTE(m.head.msgh_bits) == MACH_MSG_TYPE_PORT_SEND &&
	    ipc_type(pc) == MACH_PORT_TYPE_SEND &&
	    ipc_refs(pc, MACH_PORT_RIGHT_SEND) == 1,
	    "hello from the peer brings a send right to its port (mr 0x%x, "
	    "type 0x%x)", mr, ipc_type(pc))) {
		(void)mk_task_kill(task);
		(void)ipc_wait(task, IPC_WAIT_S);
		(void)mach_port_destroy(self, P);
		return tap_done();
	}

	header_destination();
	header_reply();
	port_descriptors();
	ool_ports();
	circular();

	mr = ipc_send_bare(pc, MACH_MSG_TYPE_COPY_SEND, MACH_PORT_NULL, 0,
	    DISP_EXIT);
	int status = ipc_wait(task, IPC_WAIT_S);
	tap_ok(status == 0, "the peer exited 0 (%d)", status);
	(void)ipc_drain(P);
	(void)mach_port_destroy(self, pc);
	(void)mach_port_destroy(self, P);
	return tap_done();
}
