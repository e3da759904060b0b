/*
 * The null RPC used by the rpc benchmarks and the hot-path test: a
 * header-only request (id RPC_REQUEST) answered by a header-only reply on
 * the send-once right it carries.  A message with id RPC_QUIT ends the
 * server loop.  Header-only, so it can be included by several programs.
 */
#ifndef _RPC_COMMON_H_
#define _RPC_COMMON_H_

#include <stdio.h>
#include <mach/mach.h>
#include <mk/bench.h>

#define RPC_REQUEST	1000
#define RPC_QUIT	1999

union rpc_buf {
	mach_msg_header_t head;
	struct {
		mach_msg_header_t head;
		mach_msg_max_trailer_t trailer;
	} rcv;
};

/* Serve null requests on port until RPC_QUIT; replies and waits in one call. */
static inline void rpc_serve(mach_port_t port)
{
	union rpc_buf b;
	mach_msg_return_t mr = mach_msg(&b.head, MACH_RCV_MSG, 0, sizeof(b), port,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	while (mr == MACH_MSG_SUCCESS && b.head.msgh_id != RPC_QUIT) {
		mach_port_t reply = b.head.msgh_remote_port;
		b.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		b.head.msgh_size = sizeof(mach_msg_header_t);
		b.head.msgh_remote_port = reply;
		b.head.msgh_local_port = MACH_PORT_NULL;
		b.head.msgh_voucher_port = MACH_PORT_NULL;
		b.head.msgh_id += 100;
		mr = mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(mach_msg_header_t),
			      sizeof(b), port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	if (mr != MACH_MSG_SUCCESS)
		printf("rpc_serve: mach_msg returned %#x\n", mr);
}

/* One null RPC; returns the mach_msg result (or -1 for a wrong reply). */
static inline mach_msg_return_t rpc_call(mach_port_t server, mach_port_t reply)
{
	union rpc_buf b;
	b.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	b.head.msgh_size = sizeof(mach_msg_header_t);
	b.head.msgh_remote_port = server;
	b.head.msgh_local_port = reply;
	b.head.msgh_voucher_port = MACH_PORT_NULL;
	b.head.msgh_id = RPC_REQUEST;
	mach_msg_return_t mr = mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG,
					sizeof(mach_msg_header_t), sizeof(b), reply,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS && b.head.msgh_id != RPC_REQUEST + 100)
		return -1;
	return mr;
}

/* Tell the server loop to stop. */
static inline void rpc_send_quit(mach_port_t server)
{
	mach_msg_header_t h = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(h),
		.msgh_remote_port = server,
		.msgh_id = RPC_QUIT,
	};
	mach_msg(&h, MACH_SEND_MSG, sizeof(h), 0, MACH_PORT_NULL, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

/* Warm up, then time n RPCs and report them as `name'.  0 on success. */
static inline int rpc_client_run(const char *name, mach_port_t server, mach_port_t reply,
				 unsigned n, unsigned warmup)
{
	for (unsigned i = 0; i < warmup; i++)
		if (rpc_call(server, reply) != MACH_MSG_SUCCESS)
			return 1;
	mach_msg_return_t all = MACH_MSG_SUCCESS;
	uint64_t t0 = mk_rdtsc();
	for (unsigned i = 0; i < n; i++)
		all |= rpc_call(server, reply);
	uint64_t t1 = mk_rdtsc();
	if (all != MACH_MSG_SUCCESS) {
		printf("%s: an RPC failed (%#x)\n", name, all);
		return 1;
	}
	bench_report(name, t1 - t0, n);
	return 0;
}

#endif
