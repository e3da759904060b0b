/*
 * fuzz_audit_rpcwait: regression test for the IPC auditor's reference
 * rule.  A client blocked in an RPC that went through the mach_msg hot
 * path waits on its reply port without holding a reference on it (the
 * general receive path takes one); the auditor counted every waiting
 * receiver as a reference holder, so it reported "N references but N+1
 * holders found" for the reply port of any client caught mid-RPC (first
 * seen from kdb's `show audit' on a running system).
 *
 * A server thread takes the request and holds it; while the client waits
 * for the reply, the auditor runs in normal and in exact mode and must
 * find nothing; the wait-for report must list the client.  Then the reply
 * arrives and the objects are back at their baseline.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_audit.h>
#include <mach/mk_hotpath.h>
#include <mk/tap.h>
#include <mk/thread.h>
#include "../testaux/ipc_common.h"

#define REQ_ID		0x5a10

static mach_port_t service, reply_port;
static volatile int server_has_request, release_reply, client_done;
static volatile mach_msg_return_t client_result = -1;
static volatile mach_msg_id_t client_got_id;

/* Take one request, keep it until told, then answer it. */
static void server(void *arg)
{
	(void)arg;
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} u;
	if (ipc_recv(&u.h, sizeof(u), service, 60000) != MACH_MSG_SUCCESS)
		return;
	server_has_request = 1;
	while (!release_reply)
		(void)mk_sleep_ms(5);
	mach_msg_header_t r;
	memset(&r, 0, sizeof(r));
	r.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
	r.msgh_size = sizeof(r);
	r.msgh_remote_port = u.h.msgh_remote_port;
	r.msgh_id = u.h.msgh_id + 100;
	(void)ipc_send(&r, sizeof(r));
}

/* One RPC in the hot path's shape: COPY_SEND request, MAKE_SEND_ONCE reply. */
static void client(void *arg)
{
	(void)arg;
	union {
		mach_msg_header_t h;
		uint8_t b[256];
	} u;
	memset(&u, 0, sizeof(u));
	u.h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	u.h.msgh_size = sizeof(u.h);
	u.h.msgh_remote_port = service;
	u.h.msgh_local_port = reply_port;
	u.h.msgh_id = REQ_ID;
	client_result = mach_msg(&u.h, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(u.h), sizeof(u),
				 reply_port, 0, MACH_PORT_NULL);
	client_got_id = u.h.msgh_id;
	client_done = 1;
}

static int handoffs(void)
{
	natural_t c[MK_HOTPATH_COUNTERS_MAX];
	mach_msg_type_number_t n = MK_HOTPATH_COUNTERS_MAX;
	if (mk_hotpath_counters(mach_host_self(), c, &n) != KERN_SUCCESS || n < MMC_COUNT)
		return -1;
	return (int)c[MMC_handoff];
}

int main(void)
{
	struct mk_audit_counts base, end;
	(void)mig_get_reply_port();
	service = ipc_port_send();
	reply_port = ipc_port();
	tap_ok(service != MACH_PORT_NULL && reply_port != MACH_PORT_NULL, "ports made");
	(void)mk_audit(MK_AUDIT_COUNTS, 0, &base, sizeof(base));

	int h0 = handoffs();
	int ts = mk_thread_start(server, NULL);
	for (int i = 0; i < 20; i++)		/* the server waits first: a handoff */
		(void)mk_sleep_ms(5);
	int w0 = mk_audit(MK_AUDIT_WAITFOR, 0, NULL, 0);
	int tc = mk_thread_start(client, NULL);
	for (int i = 0; i < 2000 && !server_has_request; i++)
		(void)mk_sleep_ms(5);
	for (int i = 0; i < 10; i++)
		(void)mk_sleep_ms(5);
	int h1 = handoffs();
	tap_ok(server_has_request && !client_done, "the server holds the request, the client waits");
	if (mk_hotpath(-1))
		tap_ok(h0 >= 0 && h1 > h0, "the request went through the hot path (%d handoffs)",
		       h1 - h0);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE, NULL, 0) == 0,
	       "a client waiting mid-RPC on its reply port: no violations");
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE | MK_AUDIT_EXACT, NULL, 0) == 0,
	       "the same in exact mode");
	int w1 = mk_audit(MK_AUDIT_WAITFOR, 0, NULL, 0);
	tap_ok(w0 > 0 && w1 == w0,
	       "wait-for: the client waits on a port now, the server no longer (%d, %d)", w0, w1);

	release_reply = 1;
	(void)mk_thread_wait(tc);
	(void)mk_thread_wait(ts);
	tap_ok(client_result == MACH_MSG_SUCCESS && client_got_id == REQ_ID + 100,
	       "the client got its reply (%#x, id %#x)", client_result, client_got_id);
	(void)mach_port_destroy(mach_task_self(), service);
	(void)mach_port_destroy(mach_task_self(), reply_port);
	(void)mk_audit(MK_AUDIT_COUNTS, 0, &end, sizeof(end));
	tap_ok(end.ports == base.ports - 2 && end.kmsgs == base.kmsgs,
	       "ports and kmsgs back (ports %u -> %u, kmsgs %u -> %u)", base.ports, end.ports,
	       base.kmsgs, end.kmsgs);
	tap_ok(mk_audit(MK_AUDIT_IPC, MK_AUDIT_VERBOSE | MK_AUDIT_EXACT, NULL, 0) == 0,
	       "torn down: no violations");
	return tap_done();
}
