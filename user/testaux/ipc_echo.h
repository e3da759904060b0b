/*
 * ipc_echo.h - the echo protocol of the plain Mach client/server pair
 * (user/demo/echo_server.c, user/demo/echo_client.c) and of the name
 * service test's server (user/testaux/ipc_echo_server.c).
 *
 * A request is ECHO_MSG_ECHO carrying up to ECHO_MAX_DATA bytes inline,
 * ECHO_SIZE(len) bytes long (so small echoes stay small messages); the
 * reply (id + 100) carries the same bytes back.  The server answers and
 * waits for the next request in one mach_msg, as Mach servers do.  ECHO_MSG_QUIT is
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

/* The size of an echo of len bytes: never that of a mig_reply_error_t. */
#define ECHO_SIZE(len)	((mach_msg_size_t)(__builtin_offsetof(echo_msg_t, data) + \
			 (((len) + 3) & ~3u) + 4))

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
	int served = 0, have = 0;	/* have: a request is already in `in' */

	for (;;) {
		mach_msg_return_t mr;
		if (!have) {
			mr = mach_msg(&in.echo.head, MACH_RCV_MSG, 0, sizeof(in),
			    port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
			if (mr == MACH_RCV_TOO_LARGE)
				continue;	/* dropped by the kernel */
			if (mr != MACH_MSG_SUCCESS)
				return -1;
		}

		mach_msg_header_t *h = &in.echo.head;
		mach_msg_id_t id = h->msgh_id;
		int ok = id == ECHO_MSG_ECHO &&
		    !(h->msgh_bits & MACH_MSGH_BITS_COMPLEX) &&
		    h->msgh_size >= ECHO_SIZE(0) &&
		    in.echo.len <= ECHO_MAX_DATA &&
		    h->msgh_size == ECHO_SIZE(in.echo.len);

		if (ok) {
			memcpy(&out.echo, &in.echo, ECHO_SIZE(in.echo.len));
			out.echo.head.msgh_size = ECHO_SIZE(in.echo.len);
		} else {
			memset(&out, 0, sizeof(mig_reply_error_t));
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
		if (id == ECHO_MSG_QUIT) {
			if (MACH_PORT_VALID(out.echo.head.msgh_remote_port) &&
			    mach_msg(&out.echo.head, MACH_SEND_MSG,
			    out.echo.head.msgh_size, 0, MACH_PORT_NULL, 0,
			    MACH_PORT_NULL) == MACH_MSG_SUCCESS)
				served++;
			return served;
		}
		if (!MACH_PORT_VALID(out.echo.head.msgh_remote_port)) {
			have = 0;	/* nobody to answer: just wait again */
			continue;
		}
		/* answer and wait for the next request in one call */
		mr = mach_msg_overwrite(&out.echo.head,
		    MACH_SEND_MSG | MACH_RCV_MSG, out.echo.head.msgh_size,
		    sizeof(in), port, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL,
		    &in.echo.head, 0);
		if (mr == MACH_MSG_SUCCESS) {
			served++;
			have = 1;
			continue;
		}
		if ((mr & ~MACH_MSG_MASK) < MACH_RCV_IN_PROGRESS) {
			/* the reply could not be sent: drop it, then receive */
			mach_msg_destroy(&out.echo.head);
		} else {
			served++;	/* sent; the receive failed: try again */
		}
		have = 0;
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
	m.echo.head.msgh_size = ECHO_SIZE(len);
	m.echo.head.msgh_remote_port = server;
	m.echo.head.msgh_local_port = reply_port;
	m.echo.head.msgh_id = id;
	m.echo.ndr = NDR_record;
	m.echo.len = len;
	if (len)
		memcpy(m.echo.data, data, len);
	mach_msg_return_t mr = mach_msg(&m.echo.head,
	    MACH_SEND_MSG | MACH_RCV_MSG, ECHO_SIZE(len), sizeof(m),
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
	if (m.echo.head.msgh_size != ECHO_SIZE(len) || m.echo.len != len)
		return MIG_TYPE_ERROR;
	if (len)
		memcpy(back, m.echo.data, len);
	return KERN_SUCCESS;
}

#endif /* _TESTAUX_IPC_ECHO_H_ */
