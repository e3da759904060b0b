/*
 * test_mig.c - host test of the stubs tools/mig/mig.py generates.
 *
 * The user stubs of tests/host/test_mig.defs run against its server stubs
 * through a fake mach_msg() that does what the kernel does to a message
 * in between: it swaps the header's ports, turns each disposition into
 * the right the receiver gets (COPY_SEND -> PORT_SEND, ...), appends a
 * trailer, calls the demux and hands the reply back the same way.  Test
 * hooks make it fail a send or a receive or spoil a reply.  Out-of-line
 * memory is passed by address, so it is taken from the low 2 GB
 * (MAP_32BIT): user builds on a 64-bit host keep i386's 32-bit address
 * field in descriptors.
 *
 * Output is TAP; the exit status is non-zero if any check failed.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <sys/mman.h>

#include "test_mig.h"
#include "test_migServer.h"
#include "test_mig_common.h"

NDR_record_t NDR_record = NDR_RECORD_INITIALIZER;

extern const struct mig_fuzz_routine test_mig_fuzz_table[];
extern const unsigned int test_mig_fuzz_count;

/* ---- the fake kernel ------------------------------------------------ */

struct fake_state fake;

mach_port_t
mig_get_reply_port(void)
{
	fake.get_reply++;
	return FAKE_REPLY_PORT;
}

void
mig_dealloc_reply_port(mach_port_t port)
{
	(void)port;
	fake.dealloc_reply++;
}

void
mig_put_reply_port(mach_port_t port)
{
	(void)port;
	fake.put_reply++;
}

void
mach_msg_destroy(mach_msg_header_t *msg)
{
	(void)msg;
	fake.destroyed++;
}

/* The right a receiver gets for what the sender put in the message. */
static mach_msg_type_name_t
received_right(mach_msg_type_name_t d)
{
	switch (d) {
	case MACH_MSG_TYPE_COPY_SEND:
	case MACH_MSG_TYPE_MAKE_SEND:
	case MACH_MSG_TYPE_MOVE_SEND:
		return MACH_MSG_TYPE_PORT_SEND;
	case MACH_MSG_TYPE_MAKE_SEND_ONCE:
	case MACH_MSG_TYPE_MOVE_SEND_ONCE:
		return MACH_MSG_TYPE_PORT_SEND_ONCE;
	case MACH_MSG_TYPE_MOVE_RECEIVE:
		return MACH_MSG_TYPE_PORT_RECEIVE;
	default:
		return d;
	}
}

/*
 * Copy msg to dst as a receiver would see it, with a seqno trailer.
 * dst has room for size bytes; returns FALSE if the message and the
 * trailer do not fit.
 */
boolean_t
fake_deliver(mach_msg_header_t *dst, mach_msg_size_t room,
    const mach_msg_header_t *msg, mach_port_seqno_t seqno)
{
	mach_msg_size_t size = msg->msgh_size;
	mach_msg_seqno_trailer_t tr;
	mach_msg_bits_t bits = msg->msgh_bits;

	if (size > room || room - size < sizeof(mach_msg_trailer_t))
		return FALSE;
	memmove(dst, msg, size);
	dst->msgh_remote_port = msg->msgh_local_port;
	dst->msgh_local_port = msg->msgh_remote_port;
	dst->msgh_bits = (bits & MACH_MSGH_BITS_COMPLEX) |
	    MACH_MSGH_BITS(received_right(MACH_MSGH_BITS_LOCAL(bits)),
	    received_right(MACH_MSGH_BITS_REMOTE(bits)));
	if (bits & MACH_MSGH_BITS_COMPLEX) {
		mach_msg_base_t *base = (mach_msg_base_t *)(void *)dst;
		mach_msg_descriptor_t *d = (mach_msg_descriptor_t *)(base + 1);
		mach_msg_size_t i;

		for (i = 0; i < base->body.msgh_descriptor_count; i++, d++) {
			if (d->type.type == MACH_MSG_PORT_DESCRIPTOR)
				d->port.disposition =
				    received_right(d->port.disposition);
			else if (d->type.type == MACH_MSG_OOL_PORTS_DESCRIPTOR)
				d->ool_ports.disposition =
				    received_right(d->ool_ports.disposition);
		}
	}
	tr.msgh_trailer_type = MACH_MSG_TRAILER_FORMAT_0;
	tr.msgh_trailer_size = sizeof(tr);
	tr.msgh_seqno = seqno;
	if (room - size >= sizeof(tr))
		memcpy((char *)dst + round_msg(size), &tr, sizeof(tr));
	else
		memcpy((char *)dst + round_msg(size), &tr,
		    sizeof(mach_msg_trailer_t));
	return TRUE;
}

static union {
	mach_msg_header_t	head;
	char			buf[8192];
	long long		align;
} req_buf, rep_buf;

/*
 * The user stubs' mach_msg: deliver the request to fake.server (the
 * generated demux unless a test changes it) and the reply back to msg.
 */
mach_msg_return_t
mach_msg(mach_msg_header_t *msg, mach_msg_option_t option,
    mach_msg_size_t send_size, mach_msg_size_t rcv_size,
    mach_port_name_t rcv_name, mach_msg_timeout_t timeout,
    mach_port_name_t notify)
{
	fake.calls++;
	fake.last_option = option;
	fake.last_send_size = send_size;
	fake.last_rcv_name = rcv_name;
	(void)timeout;
	(void)notify;
	if (fake.send_error)
		return fake.send_error;
	if (send_size != msg->msgh_size)
		return MACH_SEND_INVALID_HEADER;
	memcpy(fake.last_request, msg, send_size < sizeof(fake.last_request) ?
	    send_size : sizeof(fake.last_request));
	if (!fake_deliver(&req_buf.head, sizeof(req_buf.buf) - 64, msg,
	    fake.seqno))
		return MACH_SEND_TOO_LARGE;
	memset(&rep_buf, 0xa5, sizeof(rep_buf));
	fake.served = fake.server(&req_buf.head, &rep_buf.head);
	if (!(option & MACH_RCV_MSG))
		return MACH_MSG_SUCCESS;
	if (fake.rcv_error)
		return fake.rcv_error;
	if (fake.spoil)
		fake.spoil(&rep_buf.head);
	if (!fake_deliver(msg, rcv_size, &rep_buf.head, 0))
		return MACH_RCV_TOO_LARGE;
	return MACH_MSG_SUCCESS;
}

/* Reset the fake kernel between tests. */
void
fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	fake.server = test_mig_server;
}

/* Memory in the low 2 GB, so its address fits an i386 descriptor. */
void *
low_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap MAP_32BIT");
		exit(2);
	}
	return p;
}

/* ---- TAP ------------------------------------------------------------ */

static int test_no;
static int failures;

/* Report one check; returns cond. */
int
tap(int cond, const char *fmt, ...)
{
	va_list ap;

	test_no++;
	printf("%sok %d - ", cond ? "" : "not ", test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		failures++;
	return cond;
}

/* Print a diagnostic line. */
void
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

int
main(void)
{
	printf("1..%d\n", TEST_MIG_PLAN);
	run_stub_tests();
	run_server_tests();
	run_real_defs_tests();
	if (test_no != TEST_MIG_PLAN)
		printf("# planned %d checks, ran %d\n", TEST_MIG_PLAN, test_no);
	return (failures || test_no != TEST_MIG_PLAN) ? 1 : 0;
}
