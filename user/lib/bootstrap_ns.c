/*
 * The client side of the name service (<servers/bootstrap.h>): launchd's
 * bootstrap_register and bootstrap_look_up as hand-built RPCs to the
 * bootstrap port, and the task's cached bootstrap_port.
 *
 * Each call sends its request with a MAKE_SEND_ONCE right to the calling
 * thread's MIG reply port and waits there for the reply, as a MIG stub
 * does; a failed receive retires the reply port (mig_dealloc_reply_port)
 * so that a late reply cannot be taken for the next call's.
 */
#include <string.h>
#include <mach/mach.h>
#include <mach/mig.h>
#include <mk/mach_port.h>
#include <servers/bootstrap.h>

mach_port_t bootstrap_port = MACH_PORT_NULL;

/* bootstrap_port_get: see <servers/bootstrap.h>. */
mach_port_t bootstrap_port_get(void)
{
	mach_port_t bp = MACH_PORT_NULL;

	if (bootstrap_port != MACH_PORT_NULL)
		return bootstrap_port;
	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT,
	    &bp) != KERN_SUCCESS)
		return MACH_PORT_NULL;
	bootstrap_port = bp;
	return bp;
}

/* Copy a service name into a request; 0 if it is NULL, empty or too long. */
static int put_name(name_t dst, const char *name)
{
	if (name == NULL)
		return 0;
	size_t len = strlen(name);
	if (len == 0 || len >= BOOTSTRAP_MAX_NAME_LEN)
		return 0;
	memset(dst, 0, BOOTSTRAP_MAX_NAME_LEN);
	memcpy(dst, name, len);
	return 1;
}

/* Room for any reply and the largest trailer. */
union reply_buf {
	mach_msg_header_t		head;
	mig_reply_error_t		error;
	bootstrap_look_up_reply_t	look_up;
	uint8_t				space[sizeof(bootstrap_look_up_reply_t) +
					      sizeof(mig_reply_error_t) +
					      MAX_TRAILER_SIZE];
};

/*
 * Send the request in msg (send_size bytes) to bp and receive the reply
 * into the same buffer (rcv_size bytes), in one mach_msg as a MIG stub
 * does.  Returns MACH_MSG_SUCCESS or the mach_msg error.
 */
static mach_msg_return_t rpc(mach_port_t bp, mach_msg_header_t *msg,
			     mach_msg_size_t send_size,
			     mach_msg_size_t rcv_size)
{
	mach_port_t rp = mig_get_reply_port();
	mach_msg_return_t mr;

	msg->msgh_bits |= MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND,
	    MACH_MSG_TYPE_MAKE_SEND_ONCE);
	msg->msgh_size = send_size;
	msg->msgh_remote_port = bp;
	msg->msgh_local_port = rp;
	msg->msgh_voucher_port = MACH_PORT_NULL;
	mr = mach_msg(msg, MACH_SEND_MSG | MACH_RCV_MSG, send_size, rcv_size,
	    rp, MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
	if (mr == MACH_MSG_SUCCESS)
		return mr;
	if ((mr & ~MACH_MSG_MASK) >= MACH_RCV_IN_PROGRESS)
		mig_dealloc_reply_port(rp);	/* the request went out */
	else
		mig_put_reply_port(rp);
	return mr;
}

/*
 * Check a reply that should be a mig_reply_error_t for request id.
 * Returns its RetCode, or a MIG error (the reply is then destroyed).
 */
static kern_return_t simple_reply(union reply_buf *reply, mach_msg_id_t id)
{
	mach_msg_header_t *h = &reply->head;

	if (h->msgh_id != BOOTSTRAP_REPLY(id)) {
		mach_msg_destroy(h);
		return MIG_REPLY_MISMATCH;
	}
	if ((h->msgh_bits & MACH_MSGH_BITS_COMPLEX) ||
	    h->msgh_size != sizeof(mig_reply_error_t)) {
		mach_msg_destroy(h);
		return MIG_TYPE_ERROR;
	}
	return reply->error.RetCode;
}

/* bootstrap_register: see <servers/bootstrap.h>. */
kern_return_t bootstrap_register(mach_port_t bp, const char *service_name,
				 mach_port_t sp)
{
	union {
		bootstrap_register_request_t	req;
		union reply_buf			reply;
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	if (!put_name(m.req.service_name, service_name))
		return KERN_INVALID_ARGUMENT;
	m.req.head.msgh_bits = MACH_MSGH_BITS_COMPLEX;
	m.req.head.msgh_id = BOOTSTRAP_MSG_REGISTER;
	m.req.body.msgh_descriptor_count = 1;
	m.req.service_port.name = sp;
	m.req.service_port.disposition = MACH_MSG_TYPE_COPY_SEND;
	m.req.service_port.type = MACH_MSG_PORT_DESCRIPTOR;
	m.req.ndr = NDR_record;
	mr = rpc(bp, &m.req.head, sizeof(m.req), sizeof(m));
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	return simple_reply(&m.reply, BOOTSTRAP_MSG_REGISTER);
}

/* bootstrap_look_up: see <servers/bootstrap.h>. */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name,
				mach_port_t *sp)
{
	union {
		bootstrap_look_up_request_t	req;
		union reply_buf			reply;
	} m;
	mach_msg_return_t mr;

	memset(&m, 0, sizeof(m));
	if (sp == NULL || !put_name(m.req.service_name, service_name))
		return KERN_INVALID_ARGUMENT;
	m.req.head.msgh_bits = 0;
	m.req.head.msgh_id = BOOTSTRAP_MSG_LOOK_UP;
	m.req.ndr = NDR_record;
	mr = rpc(bp, &m.req.head, sizeof(m.req), sizeof(m));
	if (mr != MACH_MSG_SUCCESS)
		return mr;

	mach_msg_header_t *h = &m.reply.head;
	if (!(h->msgh_bits & MACH_MSGH_BITS_COMPLEX)) {
		kern_return_t kr = simple_reply(&m.reply, BOOTSTRAP_MSG_LOOK_UP);
		return kr == KERN_SUCCESS ? MIG_TYPE_ERROR : kr;
	}
	bootstrap_look_up_reply_t *r = &m.reply.look_up;
	if (h->msgh_id != BOOTSTRAP_REPLY(BOOTSTRAP_MSG_LOOK_UP)) {
		mach_msg_destroy(h);
		return MIG_REPLY_MISMATCH;
	}
	if (h->msgh_size != sizeof(*r) || r->body.msgh_descriptor_count != 1 ||
	    r->service_port.type != MACH_MSG_PORT_DESCRIPTOR ||
	    r->service_port.disposition != MACH_MSG_TYPE_PORT_SEND) {
		mach_msg_destroy(h);
		return MIG_TYPE_ERROR;
	}
	*sp = r->service_port.name;
	return BOOTSTRAP_SUCCESS;
}
