/*
 * testaux/longipc_benchsrv: the server task of bench/longipc and
 * bench/kmsg_copy.
 *
 * Set-up: the bench makes its port its bootstrap special port before
 * spawning this task; the server says hello with a send right to its own
 * port S; the bench answers with an LB_START message on S that carries a
 * send right to the bench's reply port R (msgh_local_port) and says which
 * service to run:
 *
 *   LB_LONGIPC  receive long-IPC requests on S into one receive buffer of
 *               LB_MAXBYTES bytes, answer each with an empty long-IPC
 *               message to R and wait for the next in the same trap
 *               (send + receive); a request with exactly one dword is the
 *               last and gets no answer;
 *   LB_KMSG     receive Mach messages of up to LB_MAXBYTES inline bytes on
 *               S, answer each with a header-only message on the send-once
 *               right it carries, and wait in the same mach_msg; a message
 *               with id LB_QUIT is the last.
 *
 * The receive buffers are touched once before the first request, as a
 * server's would be, so the measured loop takes no page faults.
 * Exit status 0 on a clean end, 2 on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>

#define LB_HELLO	7900
#define LB_START	7901
#define LB_REQUEST	7902
#define LB_QUIT		7903

#define LB_LONGIPC	1
#define LB_KMSG		2

#define LB_MAXBYTES	(64u * 1024u)

struct lb_start {
	mach_msg_header_t head;
	uint32_t service;
};

#ifdef LONGIPC_BENCHSRV_PROTO_ONLY
#include <mach/mk_traps.h>
#include <mk/mach_port.h>

/* The bench's side: its ports, the server's, the server task. */
struct lb_client {
	mach_port_t mine, reply, old, server;
	int task;
};

/*
 * lb_client_start: spawn the server with our port as its bootstrap port,
 * take its hello and ask it for `service` (LB_LONGIPC or LB_KMSG); who
 * names the bench in messages.  Returns 0, or 1 with a message printed
 * (and the server, if it started, killed).
 */
static int lb_client_start(struct lb_client *c, uint32_t service, const char *who)
{
	union {
		mach_msg_header_t head;
		struct {
			mach_msg_header_t head;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} b;

	c->old = c->server = MACH_PORT_NULL;
	c->task = 0;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &c->mine) ||
	    mach_port_insert_right(mach_task_self(), c->mine, c->mine, MACH_MSG_TYPE_MAKE_SEND) ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &c->reply) ||
	    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &c->old) ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, c->mine))
		return 1;
	c->task = mk_spawn("testaux/longipc_benchsrv");
	(void)task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, c->old);
	if (c->task <= 0 ||
	    mach_msg(&b.head, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(b), c->mine, 60000,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS || b.head.msgh_id != LB_HELLO) {
		printf("%s: cannot start testaux/longipc_benchsrv (%d)\n", who, c->task);
		if (c->task > 0)
			(void)mk_task_kill(c->task);
		return 1;
	}
	c->server = b.head.msgh_remote_port;
	struct lb_start st = {
		.head = {
			.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND),
			.msgh_size = sizeof(st),
			.msgh_remote_port = c->server,
			.msgh_local_port = c->reply,
			.msgh_id = LB_START,
		},
		.service = service,
	};
	if (mach_msg(&st.head, MACH_SEND_MSG, sizeof(st), 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS) {
		printf("%s: cannot start the service\n", who);
		(void)mk_task_kill(c->task);
		return 1;
	}
	return 0;
}

/*
 * lb_client_finish: after the bench's last request (quit_sent: it went
 * out; otherwise the server is killed), wait for the server to end and
 * release the ports.  Returns 0 when it ended with status 0.
 */
static int lb_client_finish(struct lb_client *c, int quit_sent)
{
	if (!quit_sent)
		(void)mk_task_kill(c->task);
	struct mk_exit_info info = { 0, 0, 0 };
	kern_return_t kr = mk_task_wait(c->task, 30 * mk_info(MK_INFO_HZ), &info);
	(void)mach_port_deallocate(mach_task_self(), c->server);
	(void)mach_port_destroy(mach_task_self(), c->reply);
	(void)mach_port_destroy(mach_task_self(), c->mine);
	if (c->old != MACH_PORT_NULL)
		(void)mach_port_deallocate(mach_task_self(), c->old);
	return kr != KERN_SUCCESS || info.how != MK_EXIT_STATUS || info.code != 0;
}
#else
static mach_port_t port, reply;

static int serve_longipc(void)
{
	static uint8_t data[LB_MAXBYTES];
	/* room for one dword (the last request has one), then one buffer */
	static struct {
		mk_lipc_msg_t m;
		uint32_t dw[1];
		mk_lipc_string_t d[1];
	} rcv;
	static const mk_lipc_msg_t empty = { 0, 0, 0, 0 };

	memset(data, 0, sizeof(data));
	rcv.m.lm_dwords = 1;
	rcv.m.lm_strings = 1;
	rcv.d[0].ls_addr = (uint32_t)data;
	rcv.d[0].ls_size = sizeof(data);

	mach_msg_return_t mr = mk_lipc_receive(port, &rcv.m, 0, 0);
	while (mr == MACH_MSG_SUCCESS && rcv.m.lm_rcv_dwords == 0)
		mr = mk_lipc_call(reply, &empty, port, &rcv.m, 0, 0);
	if (mr != MACH_MSG_SUCCESS) {
		printf("longipc_benchsrv: long IPC failed: %#x\n", mr);
		return 2;
	}
	return 0;
}

static int serve_kmsg(void)
{
	static union {
		mach_msg_header_t head;
		struct {
			mach_msg_header_t head;
			uint8_t body[LB_MAXBYTES];
			mach_msg_max_trailer_t trailer;
		} rcv;
	} b;

	memset(&b, 0, sizeof(b));
	mach_msg_return_t mr = mach_msg(&b.head, MACH_RCV_MSG, 0, sizeof(b), port,
					MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	while (mr == MACH_MSG_SUCCESS && b.head.msgh_id == LB_REQUEST) {
		mach_port_t to = b.head.msgh_remote_port;
		b.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0);
		b.head.msgh_size = sizeof(mach_msg_header_t);
		b.head.msgh_remote_port = to;
		b.head.msgh_local_port = MACH_PORT_NULL;
		b.head.msgh_voucher_port = MACH_PORT_NULL;
		b.head.msgh_id = LB_REQUEST + 100;
		mr = mach_msg(&b.head, MACH_SEND_MSG | MACH_RCV_MSG, sizeof(mach_msg_header_t),
			      sizeof(b), port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	}
	if (mr != MACH_MSG_SUCCESS || b.head.msgh_id != LB_QUIT) {
		printf("longipc_benchsrv: mach_msg failed: %#x (id %d)\n", mr, b.head.msgh_id);
		return 2;
	}
	return 0;
}

int main(void)
{
	mach_port_t parent;
	mach_msg_header_t hello;
	union {
		struct lb_start s;
		struct {
			struct lb_start s;
			mach_msg_max_trailer_t trailer;
		} rcv;
	} in;

	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &parent) != KERN_SUCCESS ||
	    mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) != KERN_SUCCESS)
		return 2;
	hello.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND);
	hello.msgh_size = sizeof(hello);
	hello.msgh_remote_port = parent;
	hello.msgh_local_port = port;
	hello.msgh_voucher_port = MACH_PORT_NULL;
	hello.msgh_id = LB_HELLO;
	if (mach_msg(&hello, MACH_SEND_MSG, sizeof(hello), 0, MACH_PORT_NULL,
		     MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL) != MACH_MSG_SUCCESS)
		return 2;
	if (mach_msg(&in.s.head, MACH_RCV_MSG, 0, sizeof(in), port, MACH_MSG_TIMEOUT_NONE,
		     MACH_PORT_NULL) != MACH_MSG_SUCCESS || in.s.head.msgh_id != LB_START)
		return 2;
	reply = in.s.head.msgh_remote_port;
	if (in.s.service == LB_LONGIPC)
		return serve_longipc();
	if (in.s.service == LB_KMSG)
		return serve_kmsg();
	return 2;
}
#endif /* !LONGIPC_BENCHSRV_PROTO_ONLY */
