/*
 * mach_msg: sending and receiving messages for user threads (the slow,
 * general path; see the seed's mach_msg_send / mach_msg_receive).
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_msg_fast.h>
#include <kern/kalloc.h>
#include <kern/lib.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <machine/copyio.h>

/*
 * mach_msg_send: copy the message in, take its rights and memory, and
 * send it.  Returns MACH_MSG_SUCCESS, an error from the copyin (the
 * message is then destroyed), or a send error after the copyin
 * (MACH_SEND_TIMED_OUT, MACH_SEND_INTERRUPTED, MACH_SEND_INVALID_DEST):
 * then the rights are given back and the message is copied back to the
 * sender's buffer, as the seed does.
 */
mach_msg_return_t mach_msg_send(mach_msg_header_t *msg, mach_msg_option_t option,
				mach_msg_size_t send_size, mach_msg_timeout_t timeout,
				mach_port_name_t notify __unused)
{
	task_t task = current_task();
	ipc_kmsg_t kmsg;
	mach_msg_return_t mr = ipc_kmsg_get(msg, send_size, &kmsg);
	if (mr != MACH_MSG_SUCCESS)
		return mr;
	mr = ipc_kmsg_copyin(kmsg, task->itk_space, task->map);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_kmsg_free(kmsg);
		return mr;
	}
	mr = ipc_kmsg_send(kmsg, option & ~MACH_SEND_ALWAYS_INTERNAL, timeout);
	if (mr != MACH_MSG_SUCCESS) {
		mr |= ipc_kmsg_copyout_pseudo(kmsg, task->itk_space, task->map);
		(void)ipc_kmsg_put(msg, kmsg, kmsg->ikm_header->msgh_size);
	}
	return mr;
}

/*
 * msg_receive_error: the message can't be delivered whole (too large, or
 * its header could not be copied out).  Keep only the destination's name,
 * destroy everything else, and copy out a bare header with the requested
 * trailer.  Returns MACH_MSG_SUCCESS or MACH_RCV_INVALID_DATA.
 */
static mach_msg_return_t msg_receive_error(ipc_kmsg_t kmsg, mach_msg_header_t *msg,
					   mach_msg_option_t option, mach_port_seqno_t seqno,
					   ipc_space_t space)
{
	security_token_t sender = ikm_trailer(kmsg)->msgh_sender;
	ipc_kmsg_copyout_dest(kmsg, space);
	kmsg->ikm_header->msgh_size = sizeof(mach_msg_header_t);	/* the trailer moves */
	ikm_trailer(kmsg)->msgh_sender = sender;
	mach_msg_size_t tsize = ikm_trailer_finish(kmsg, option, seqno);
	return ipc_kmsg_put(msg, kmsg, sizeof(mach_msg_header_t) + tsize);
}

/* The port or set rcv_name denotes, with a reference; NULL if none. */
static ipc_object_t receive_object(ipc_space_t space, mach_port_name_t name)
{
	ipc_entry_t e = ipc_entry_lookup(space, name);
	if (e == NULL || !(e->ie_bits & (MACH_PORT_TYPE_RECEIVE | MACH_PORT_TYPE_PORT_SET)))
		return IO_NULL;
	return e->ie_object;
}

/*
 * mach_msg_receive: take a message from a port or set and copy it out
 * (rights into the space, memory into the map, then the bytes and the
 * requested trailer).  Returns the MACH_RCV_* codes listed in the seed.
 */
mach_msg_return_t mach_msg_receive(mach_msg_header_t *msg, mach_msg_option_t option,
				   mach_msg_size_t rcv_size, mach_port_name_t rcv_name,
				   mach_msg_timeout_t timeout, mach_port_name_t notify __unused,
				   mach_msg_size_t slist_size)
{
	task_t task = current_task();
	ipc_space_t space = task->itk_space;
	mach_msg_body_t *slist = NULL;
	mach_msg_return_t mr;

	if (MACH_RCV_TRAILER_TYPE(MACH_MSG_TRAILER_FORMAT_0) !=
	    (option & MACH_RCV_TRAILER_TYPE(0xf)))
		return MACH_RCV_INVALID_TRAILER;
	ipc_object_t obj = receive_object(space, rcv_name);
	if (obj == IO_NULL)
		return MACH_RCV_INVALID_NAME;

	if (option & MACH_RCV_OVERWRITE) {
		if (slist_size < sizeof(mach_msg_base_t))
			return MACH_RCV_SCATTER_SMALL;
		if (slist_size > IKM_MAX_INLINE)
			return MACH_RCV_INVALID_DATA;
		slist_size -= sizeof(mach_msg_header_t);
		slist = kalloc(slist_size);
		if (slist == NULL)
			return MACH_RCV_INVALID_DATA;	/* the seed's answer to no memory */
		if (copyin(msg + 1, slist, slist_size) ||
		    (uint64_t)slist->msgh_descriptor_count * sizeof(mach_msg_descriptor_t) +
			    sizeof(mach_msg_body_t) > slist_size) {
			mr = copyin(msg + 1, slist, sizeof(mach_msg_body_t)) ? MACH_RCV_INVALID_DATA
									: MACH_RCV_INVALID_TYPE;
			kfree(slist, slist_size);
			return mr;
		}
	}

	ipc_kmsg_t kmsg = IKM_NULL;
	mach_port_seqno_t seqno = 0;
	mach_msg_size_t size = 0;
	mr = ipc_mqueue_receive(obj, option, rcv_size, timeout, NULL, &kmsg, &seqno, &size);
	TRACE(IPC, "receive on name %#x: %#x id %d seqno %u", rcv_name, mr, kmsg ? kmsg->ikm_header->msgh_id : 0, seqno);
	if (mr != MACH_MSG_SUCCESS) {
		if (mr == MACH_RCV_TOO_LARGE) {
			if (option & MACH_RCV_LARGE) {
				/* the message stays queued; tell the size it needs */
				if (copyout(&size, &msg->msgh_size, sizeof(size)))
					mr = MACH_RCV_INVALID_DATA;
			} else if (msg_receive_error(kmsg, msg, option, seqno, space) ==
				   MACH_RCV_INVALID_DATA) {
				mr = MACH_RCV_INVALID_DATA;
			}
		}
		goto out;
	}

	mach_msg_size_t tsize = ikm_trailer_finish(kmsg, option, seqno);

	mr = ipc_kmsg_copyout(kmsg, space, task->map, slist);
	if (mr != MACH_MSG_SUCCESS) {
		if ((mr & ~MACH_MSG_MASK) == MACH_RCV_BODY_ERROR) {
			if (ipc_kmsg_put(msg, kmsg, kmsg->ikm_header->msgh_size +
					 tsize) == MACH_RCV_INVALID_DATA)
				mr = MACH_RCV_INVALID_DATA;
		} else if (msg_receive_error(kmsg, msg, option, seqno, space) ==
			   MACH_RCV_INVALID_DATA) {
			mr = MACH_RCV_INVALID_DATA;
		}
		goto out;
	}
	mr = ipc_kmsg_put(msg, kmsg, kmsg->ikm_header->msgh_size + tsize);
out:
	if (slist)
		kfree(slist, slist_size);
	return mr;
}

/*
 * mach_msg_overwrite_trap: send, then receive, as the options say.  A
 * null option word does nothing and succeeds.
 */
mach_msg_return_t mach_msg_overwrite_trap(struct mach_msg_overwrite_trap_args *a)
{
	mach_msg_option_t option = (mach_msg_option_t)a->option;
	mach_msg_return_t mr;
	mach_msg_header_t *msg = (mach_msg_header_t *)a->msg;

	if (option == MACH_MSG_OPTION_NONE)
		return MACH_MSG_SUCCESS;

	if (option & MACH_SEND_MSG) {
		mr = mach_msg_send(msg, option, a->send_size, a->timeout, a->notify);
		if (mr != MACH_MSG_SUCCESS)
			return mr;
	}
	if (option & MACH_RCV_MSG) {
		mach_msg_header_t *rcv = a->rcv_msg ? (mach_msg_header_t *)a->rcv_msg : msg;
		return mach_msg_receive(rcv, option, a->rcv_size, a->rcv_name, a->timeout,
					a->notify, a->scatter_list_size);
	}
	return MACH_MSG_SUCCESS;
}

/* mach_msg_trap: mach_msg_overwrite_trap with no separate receive buffer. */
mach_msg_return_t mach_msg_trap(struct mach_msg_overwrite_trap_args *a)
{
	a->rcv_msg = 0;
	a->scatter_list_size = 0;
	return mach_msg_overwrite_trap(a);
}
