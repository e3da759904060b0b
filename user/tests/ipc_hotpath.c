/*
 * The mach_msg hot path, seen through its counters (mk_hotpath_counters):
 * a steady null-RPC loop between two tasks takes the direct handoff on
 * every call (the request to the server, the reply back to the client),
 * finishes every receive with fast_copyout and allocates no kmsg outside
 * the cache.  With the hot path switched off (boot option nohotpath) the
 * same loop still works and takes no handoff.
 *
 * Then, with a server thread in this task: the trailers a receiver asks
 * for (null, seqno, sender: the assembly path makes them; audit: the C
 * hot path does) come out right on both sides of an RPC, and a server
 * whose receive buffer is unmapped while it waits gets
 * MACH_RCV_INVALID_DATA with the reply right in its space, as the
 * general receive would leave it.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_hotpath.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>
#include <mk/thread.h>
#include <string.h>
#include "../benchaux/rpc_common.h"
#include "../testaux/ipc_common.h"

#define LOOPS		1000
#define RPC_FAILED	1998	/* the in-task server's report of a failed receive */
#define CALLS		3
#define PAGE		4096u

static int hot;

static int read_counters(natural_t *c)
{
	mach_msg_type_number_t n = MK_HOTPATH_COUNTERS_MAX;
	kern_return_t kr = mk_hotpath_counters(mach_host_self(), c, &n);
	return kr == KERN_SUCCESS && n >= MMC_COUNT;
}

/*
 * The in-task server: null RPCs on `port', received into `buf' with the
 * trailer elements `trailer'; it keeps the last request's trailer.  A
 * failed receive ends it, reported to `report' (id RPC_FAILED).
 */
struct srv {
	mach_port_t port;
	mach_port_t report;
	mach_msg_option_t trailer;
	union rpc_buf *buf;
	mach_msg_format_0_trailer_t seen;
	volatile mach_msg_return_t mr;
};

static void srv_fn(void *arg)
{
	struct srv *s = arg;
	union rpc_buf *b = s->buf;
	mach_msg_return_t mr = mach_msg(&b->head, MACH_RCV_MSG | s->trailer, 0, sizeof(*b), s->port,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	while (mr == MACH_MSG_SUCCESS && b->head.msgh_id != RPC_QUIT) {
		memcpy(&s->seen, &b->rcv.trailer, sizeof(s->seen));
		mach_port_t reply = b->head.msgh_remote_port;
		b->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		b->head.msgh_size = sizeof(mach_msg_header_t);
		b->head.msgh_remote_port = reply;
		b->head.msgh_local_port = MACH_PORT_NULL;
		b->head.msgh_voucher_port = MACH_PORT_NULL;
		b->head.msgh_id += 100;
		mr = mach_msg(&b->head, MACH_SEND_MSG | MACH_RCV_MSG | s->trailer,
			      sizeof(mach_msg_header_t), sizeof(*b), s->port, MACH_MSG_TIMEOUT_NONE,
			      MACH_PORT_NULL);
	}
	s->mr = mr;
	if (mr != MACH_MSG_SUCCESS && s->report != MACH_PORT_NULL) {
		mach_msg_header_t h = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
			.msgh_size = sizeof(h),
			.msgh_remote_port = s->report,
			.msgh_id = RPC_FAILED,
		};
		(void)mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL,
			       MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
}

/* A null RPC asking for `trailer' on the reply; the reply is left in b. */
static mach_msg_return_t call(mach_port_t server, mach_port_t reply, mach_msg_option_t trailer,
			      union rpc_buf *b)
{
	memset(b, 0xa5, sizeof(*b));
	b->head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b->head.msgh_size = sizeof(mach_msg_header_t);
	b->head.msgh_remote_port = server;
	b->head.msgh_local_port = reply;
	b->head.msgh_voucher_port = MACH_PORT_NULL;
	b->head.msgh_id = RPC_REQUEST;
	return mach_msg(&b->head, MACH_SEND_MSG | MACH_RCV_MSG | trailer, sizeof(mach_msg_header_t),
			sizeof(*b), reply, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

/* Is t the trailer asked for with `elements', with this seqno? */
static int trailer_ok(const mach_msg_format_0_trailer_t *t, int elements, mach_port_seqno_t seqno)
{
	mach_msg_size_t size = REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(elements));
	if (t->msgh_trailer_type != MACH_MSG_TRAILER_FORMAT_0 || t->msgh_trailer_size != size)
		return 0;
	if (size >= sizeof(mach_msg_seqno_trailer_t) && t->msgh_seqno != seqno)
		return 0;
	if (size >= sizeof(mach_msg_security_trailer_t) &&
	    (t->msgh_sender.val[0] != 0 || t->msgh_sender.val[1] != 0))
		return 0;
	return 1;
}

/* RPCs to an in-task server, each side asking for the trailer `elements'. */
static void trailers(int elements, const char *what)
{
	mach_port_t port = ipc_port_send(), reply = ipc_port();
	mach_msg_option_t opt = MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) |
				MACH_RCV_TRAILER_ELEMENTS(elements);
	union rpc_buf sbuf, b;
	struct srv s = { .port = port, .trailer = opt, .buf = &sbuf };
	natural_t before[MK_HOTPATH_COUNTERS_MAX], after[MK_HOTPATH_COUNTERS_MAX];
	int tid = mk_thread_start(srv_fn, &s);
	int ok = tid > 0;
	int client_ok = 1, server_ok = 1;
	for (unsigned i = 0; i < CALLS && ok; i++) {
		/* the first request may find the new thread not yet waiting */
		if (i == 1)
			ok = read_counters(before);
		ok = ok && call(port, reply, opt, &b) == MACH_MSG_SUCCESS &&
		     b.head.msgh_id == RPC_REQUEST + 100;
		client_ok &= trailer_ok((const mach_msg_format_0_trailer_t *)&b.rcv.trailer, elements, i) &&
			     ((const uint8_t *)&b.rcv.trailer)[b.rcv.trailer.msgh_trailer_size] == 0xa5;
		server_ok &= trailer_ok(&s.seen, elements, i);
	}
	ok = ok && read_counters(after);
	tap_ok(ok && client_ok && server_ok,
	       "%s trailer through the hot path: right on both sides, nothing written past it "
	       "(size %u, seqno %u)", what,
	       b.rcv.trailer.msgh_trailer_size, b.rcv.trailer.msgh_seqno);
	if (hot)
		tap_ok(after[MMC_handoff] - before[MMC_handoff] == 2 * (CALLS - 1),
		       "%s trailer: every message handed off (%u)", what,
		       after[MMC_handoff] - before[MMC_handoff]);
	rpc_send_quit(port);
	if (tid > 0)
		mk_thread_wait(tid);
	mach_port_destroy(mach_task_self(), port);
	mach_port_destroy(mach_task_self(), reply);
}

/* The server's buffer is unmapped while it waits for the next request. */
static void lost_buffer(void)
{
	mach_port_t port = ipc_port_send(), reply = ipc_port();
	vm_address_t page = 0;
	union rpc_buf b;
	int ok = vm_allocate(mach_task_self(), &page, PAGE, VM_FLAGS_ANYWHERE) == KERN_SUCCESS &&
		 mach_port_insert_right(mach_task_self(), reply, reply, MACH_MSG_TYPE_MAKE_SEND) ==
		 KERN_SUCCESS;
	struct srv s = { .port = port, .report = reply, .buf = (union rpc_buf *)page };
	int tid = ok ? mk_thread_start(srv_fn, &s) : -1;
	/* one call: the server replies and waits in the hot path, on `page' */
	ok = tid > 0 && call(port, reply, 0, &b) == MACH_MSG_SUCCESS;
	ok = ok && vm_deallocate(mach_task_self(), page, PAGE) == KERN_SUCCESS;
	mach_msg_return_t mr = ok ? call(port, reply, 0, &b) : MACH_MSG_SUCCESS;
	if (tid > 0)
		mk_thread_wait(tid);
	tap_ok(ok && mr == MACH_MSG_SUCCESS && b.head.msgh_id == RPC_FAILED &&
	       s.mr == MACH_RCV_INVALID_DATA && ipc_status(reply).mps_sorights == 1,
	       "a server whose buffer went away gets MACH_RCV_INVALID_DATA, the reply right "
	       "in its space (%#x, server %#x, id %d, send-once rights %u)", mr, s.mr,
	       b.head.msgh_id, ipc_status(reply).mps_sorights);
	mach_port_destroy(mach_task_self(), port);
	mach_port_destroy(mach_task_self(), reply);
}

int main(void)
{
	mach_port_t p, old_bootstrap, server = MACH_PORT_NULL;
	natural_t before[MK_HOTPATH_COUNTERS_MAX], after[MK_HOTPATH_COUNTERS_MAX];
	hot = mk_hotpath(-1);

	tap_ok(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) == KERN_SUCCESS &&
	       mach_port_insert_right(mach_task_self(), p, p, MACH_MSG_TYPE_MAKE_SEND) == KERN_SUCCESS,
	       "port for the server's introduction");
	tap_ok(task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old_bootstrap) == KERN_SUCCESS &&
	       task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, p) == KERN_SUCCESS,
	       "our port lent as the bootstrap port");
	int child = mk_spawn("testaux/rpc_server");
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old_bootstrap);
	mach_port_deallocate(mach_task_self(), old_bootstrap);
	tap_ok(child > 0, "server task started (%d)", child);

	struct {
		mach_msg_header_t head;
		mach_msg_body_t body;
		mach_msg_port_descriptor_t port;
		mach_msg_max_trailer_t trailer;
	} m;
	mach_msg_return_t mr = mach_msg(&m.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(m), p,
					30000, MACH_PORT_NULL);
	if (tap_ok(mr == MACH_MSG_SUCCESS && (m.head.msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		   m.body.msgh_descriptor_count == 1, "the server sent its port (%#x)", mr))
		server = m.port.name;

	mach_port_t reply = mach_reply_port();
	int ok = 1;
	for (int i = 0; i < 50 && ok; i++)		/* warm up: the cache fills */
		ok = rpc_call(server, reply) == MACH_MSG_SUCCESS;
	tap_ok(read_counters(before), "counters read before");
	for (int i = 0; i < LOOPS && ok; i++)
		ok = rpc_call(server, reply) == MACH_MSG_SUCCESS;
	tap_ok(read_counters(after), "counters read after");
	tap_ok(ok, "%d null RPCs between the two tasks succeeded", LOOPS);

	unsigned handoffs = after[MMC_handoff] - before[MMC_handoff];
	unsigned fastout = after[MMC_fast_copyout_ok] - before[MMC_fast_copyout_ok];
	unsigned misses = after[MMC_kmsg_cache_misses] - before[MMC_kmsg_cache_misses];
	unsigned hits = after[MMC_kmsg_cache_hits] - before[MMC_kmsg_cache_hits];
	unsigned noreceiver = after[MMC_fall_no_receiver] - before[MMC_fall_no_receiver];
	if (hot) {
		tap_ok(handoffs == 2 * LOOPS, "every request and reply handed off (%u of %u)",
		       handoffs, 2 * LOOPS);
		tap_ok(fastout >= 2 * LOOPS, "every receive finished by fast_copyout (%u)", fastout);
		tap_ok(noreceiver == 0, "never found the peer not waiting (%u)", noreceiver);
		tap_ok(hits >= 2 * LOOPS, "kmsg cache hits on every message (%u)", hits);
	} else {
		tap_diag("hot path off (nohotpath): the loop must work without it");
		tap_ok(handoffs == 0, "no handoff with the hot path off (%u)", handoffs);
	}
	tap_ok(misses == 0, "no kmsg allocated outside the cache (%u)", misses);

	rpc_send_quit(server);
	struct mk_exit_info info;
	tap_ok(mk_task_wait(child, 30 * mk_info(MK_INFO_HZ), &info) == KERN_SUCCESS &&
	       info.how == MK_EXIT_STATUS && info.code == 0, "server exited cleanly");
	mach_port_destroy(mach_task_self(), reply);
	mach_port_deallocate(mach_task_self(), server);
	mach_port_destroy(mach_task_self(), p);

	trailers(MACH_RCV_TRAILER_NULL, "null");
	trailers(MACH_RCV_TRAILER_SEQNO, "seqno");
	trailers(MACH_RCV_TRAILER_SENDER, "sender");
	trailers(MACH_RCV_TRAILER_AUDIT, "audit");
	lost_buffer();
	return tap_done();
}
