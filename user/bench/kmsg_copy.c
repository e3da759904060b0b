/*
 * kmsg_copy: 64 KiB through an ordinary Mach message, in guest
 * instructions per round trip (GUIDE section 4), the yardstick of
 * bench/longipc.
 *
 *   kmsg_copy_64k  a request carrying 65,536 inline bytes (a simple
 *                  message: header, then the bytes), and its header-only
 *                  reply
 *
 * The round trip is defined as in bench/longipc: the client's
 * mach_msg(SEND|RCV) that sends the request to the server's port
 * (COPY_SEND) with a send-once right to the client's reply port
 * (MAKE_SEND_ONCE) and waits on that port, the server's single mach_msg
 * that answers and waits for the next request, until the client's call
 * returns.  The bytes are copied into a kernel message buffer and out of
 * it again into the server's buffer.  The server is
 * testaux/longipc_benchsrv.
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/bench.h>
#include <mk/mach_port.h>

#define LONGIPC_BENCHSRV_PROTO_ONLY
#include "../testaux/longipc_benchsrv.c"

#define N	2000
#define WARMUP	200
#define SIZE	65536u

static union {
	mach_msg_header_t head;
	struct {
		mach_msg_header_t head;
		uint8_t body[SIZE];
	} req;
	struct {
		mach_msg_header_t head;
		mach_msg_max_trailer_t trailer;
	} rcv;
} msg;

/* One round trip; returns the mach_msg result. */
static mach_msg_return_t call(mach_port_t server, mach_port_t reply)
{
	msg.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	msg.head.msgh_size = sizeof(msg.req);
	msg.head.msgh_remote_port = server;
	msg.head.msgh_local_port = reply;
	msg.head.msgh_voucher_port = MACH_PORT_NULL;
	msg.head.msgh_id = LB_REQUEST;
	mach_msg_return_t mr = mach_msg(&msg.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(msg.req),
					sizeof(msg.rcv), reply, MACH_MSG_TIMEOUT_NONE,
					MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS && msg.head.msgh_id != LB_REQUEST + 100)
		return MACH_RCV_INVALID_TYPE;
	return mr;
}

int main(void)
{
	struct lb_client c;

	if (lb_client_start(&c, LB_KMSG, "kmsg_copy"))
		return 1;
	mach_port_t server = c.server, reply = c.reply;
	mach_msg_return_t mr = MACH_MSG_SUCCESS;
	memset(msg.req.body, 0x3c, SIZE);
	for (int i = 0; i < WARMUP && mr == MACH_MSG_SUCCESS; i++)
		mr = call(server, reply);
	uint64_t t0 = mk_rdtsc();
	for (int i = 0; i < N && mr == MACH_MSG_SUCCESS; i++)
		mr = call(server, reply);
	uint64_t t1 = mk_rdtsc();
	int rc = mr != MACH_MSG_SUCCESS;
	if (rc) {
		printf("kmsg_copy: mach_msg failed: %#x\n", mr);
	} else {
		bench_report("kmsg_copy_64k", t1 - t0, N);
		uint64_t per = (t1 - t0) / N;
		printf("# kmsg_copy_64k: %llu.%03llu insns per byte\n",
		       (unsigned long long)(per / SIZE),
		       (unsigned long long)(per % SIZE * 1000 / SIZE));
	}

	mach_msg_header_t q = {
		.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
		.msgh_size = sizeof(q),
		.msgh_remote_port = server,
		.msgh_id = LB_QUIT,
	};
	int sent = mach_msg(&q, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(q), 0, MACH_PORT_NULL,
			    10000, MACH_PORT_NULL) == MACH_MSG_SUCCESS;
	return rc | lb_client_finish(&c, sent);
}
