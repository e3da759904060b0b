/*
 * ipc_echo.h - the echo protocol of the plain Mach client/server pair
 * (user/demo/echo_server.c, user/demo/echo_client.c) and of the name
 * service test's server (user/testaux/ipc_echo_server.c).
 *
 * A request is ECHO_MSG_ECHO carrying up to ECHO_MAX_DATA bytes inline;
 * the reply (id + 100) carries the same bytes back.  ECHO_MSG_QUIT is
 * answered with a mig_reply_error_t (RetCode 0) and ends the server loop.
 * A malformed ECHO gets MIG_BAD_ARGUMENTS, any other id MIG_BAD_ID.  Replies go to the request's
 * reply right, normally a send-once right the client made with
 * MACH_MSG_TYPE_MAKE_SEND_ONCE.
 */
#ifndef _TESTAUX_IPC_ECHO_H_
#define _TESTAUX_IPC_ECHO_H_

#include <stdint.h>
#include <string.h>
#include <mach/mach.h>

#define ECHO_MSG_ECHO	0x4700
#define ECHO_MSG_QUIT	0x4701
#define ECHO_MAX_DATA	256

#pragma pack(push, 4)
typedef struct {
	mach_msg_header_t	head;
	NDR_record_t		ndr;
	uint32_t		len;
	uint8_t			data[ECHO_MAX_DATA];
} echo_msg_t;
#pragma pack(pop)

typedef union {
	echo_msg_t		echo;
	mig_reply_error_t	error;
	uint8_t			space[sizeof(echo_msg_t) + MAX_TRAILER_SIZE];
} echo_buf_t;

/*
 * Serve port until a QUIT request.  Returns the number of requests
 * answered, or -1 if receiving failed.
 */
static inline int echo_serve(mach_port_t port)
{
	echo_buf_t in, out;
	int served = 0;

	for (;;) {
		mach_msg_return_t mr = mach_msg(&in.echo.head, MACH_RCV_MSG, 0,
		    sizeof(in), port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
		if (mr == MACH_RCV_TOO_LARGE)
			continue;	/* dropped by the kernel */
		if (mr != MACH_MSG_SUCCESS)
			return -1;

		mach_msg_header_t *h = &in.echo.head;
		mach_msg_id_t id = h->msgh_id;
		int ok = id == ECHO_MSG_ECHO &&
		    !(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    h->msgh_size == sizeof(echo_msg_t) &&
		    in.echo.len <= ECHO_MAX_DATA;

		memset(&out, 0, sizeof(out));
		if (ok) {
			out.echo = in.echo;
			out.echo.head.msgh_size = sizeof(echo_msg_t);
		} else {
			out.error.Head.msgh_size = sizeof(mig_reply_error_t);
			out.error.NDR = NDR_record;
			out.error.RetCode = id == ECHO_MSG_QUIT ? KERN_SUCCESS :
			    id == ECHO_MSG_ECHO ? MIG_BAD_ARGUMENTS : MIG_BAD_ID;
		}
		out.echo.head.msgh_bits =
		    MACH_MSGH_BITS(MACH_MSGH_BITS_REMOTE(h->msgh_bits), 0);
		out.echo.head.msgh_remote_port = h->msgh_remote_port;
		out.echo.head.msgh_local_port = MACH_PORT_NULL;
		out.echo.head.msgh_voucher_port = MACH_PORT_NULL;
		out.echo.head.msgh_id = id + 100;
		if (h->msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			/* release what a stray complex request carried */
			h->msgh_remote_port = MACH_PORT_NULL;
			h->msgh_bits &= ~MACH_MSGH_BITS_REMOTE_MASK;
			mach_msg_destroy(h);
		}
		if (MACH_PORT_VALID(out.echo.head.msgh_remote_port)) {
			mr = mach_msg(&out.echo.head,
			    MACH_SEND_MSG | MACH_SEND_TIMEOUT,
			    out.echo.head.msgh_size, 0, MACH_PORT_NULL, 0,
			    MACH_PORT_NULL);
			if (mr != MACH_MSG_SUCCESS)
				mach_msg_destroy(&out.echo.head);
			else
				served++;
		}
		if (id == ECHO_MSG_QUIT)
			return served;
	}
}

/*
 * One echo RPC: send len bytes of data to server with a MAKE_SEND_ONCE
 * right to reply_port, wait for the answer and copy it to back (len
 * bytes).  Returns KERN_SUCCESS, a mach_msg error, MIG_REPLY_MISMATCH,
 * MIG_TYPE_ERROR or the server's error code.
 */
static inline kern_return_t echo_call(mach_port_t server,
				      mach_port_t reply_port,
				      mach_msg_id_t id, const void *data,
				      uint32_t len, void *back)
{
	echo_buf_t m;

	if (len > ECHO_MAX_DATA)
		return KERN_INVALID_ARGUMENT;
	memset(&m, 0, sizeof(m));
	m.echo.head.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	m.echo.head.msgh_size = sizeof(echo_msg_t);
	m.echo.head.msgh_remote_port = server;
	m.echo.head.msgh_local_port = reply_port;
	m.echo.head.msgh_id = id;
	m.echo.ndr = NDR_record;
	m.echo.len = len;
	if (len)
		memcpy(m.echo.data, data, len);
	mach_msg_return_t mr = mach_msg(&m.echo.head,
	    MACH_SEND_MSG | MACH_RCV_MSG, sizeof(echo_msg_t), sizeof(m),
	    reply_port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	if (m.echo.head.msgh_id != id + 100) {
		mach_msg_destroy(&m.echo.head);
		return MIG_REPLY_MISMATCH;
	}
	if (m.echo.head.msgh_size == sizeof(mig_reply_error_t))
		return m.error.RetCode == KERN_SUCCESS && id == ECHO_MSG_ECHO ?
		    MIG_TYPE_ERROR : m.error.RetCode;
	if (m.echo.head.msgh_size != sizeof(echo_msg_t) || m.echo.len != len)
		return MIG_TYPE_ERROR;
	if (len)
		memcpy(back, m.echo.data, len);
	return KERN_SUCCESS;
}

#endif /* _TESTAUX_IPC_ECHO_H_ */
