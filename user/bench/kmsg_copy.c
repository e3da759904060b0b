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
	mach_port_t mine, reply, old, server;
	union {
		mach_msg_header_t head;
		struct {
			mach_msg_header_t head;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} b;

	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &mine) ||
	    mach_port_insert_right(mach_task_self(), mine, mine, MACH_MSG_TYPE_MAKE_SEND) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply) ||
	    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old) ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, mine))
		return 1;
	int task = mk_spawn("testaux/longipc_benchsrv");
	(void)task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old);
	if (task <= 0 ||
	    mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), mine, 60000,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS || b.head.msgh_id != LB_HELLO) {
		printf("kmsg_copy: cannot start testaux/longipc_benchsrv (%d)\n", task);
		return 1;
	}
	server = b.head.msgh_remote_port;
	struct lb_start st = {
		.head = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND),
			.msgh_size = sizeof(st),
			.msgh_remote_port = server,
			.msgh_local_port = reply,
			.msgh_id = LB_START,
		},
		.service = LB_KMSG,
	};
	mach_msg_return_t mr = mach_msg(&st.head, MACH_SEND_MSG, sizeof(st), 0, MACH_PORT_NULL,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
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
	if (mach_msg(&q, MACH_SEND_MSG | MACH_SEND_TIMEOUT, sizeof(q), 0, MACH_PORT_NULL, 10000,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		(void)mk_task_kill(task);
	struct mk_exit_info info = { 0, 0, 0 };
	kern_return_t kr = mk_task_wait(task, 30 * mk_info(MK_INFO_HZ), &info);
	rc |= kr != KERN_SUCCESS || info.how != MK_EXIT_STATUS || info.code != 0;
	(void)mach_port_deallocate(mach_task_self(), server);
	(void)mach_port_destroy(mach_task_self(), reply);
	(void)mach_port_destroy(mach_task_self(), mine);
	if (old != MACH_PORT_NULL)
		(void)mach_port_deallocate(mach_task_self(), old);
	return rc;
}
