/*
 * The mach_msg hot path (after the seed's mach_msg_overwrite_trap).
 *
 * A combined send+receive whose message is small and simple, with one of
 * the two RPC header shapes, is handled here start to finish:
 *
 *   fast_get      the kmsg comes from the kmsg cache, the message is
 *                 copied in;
 *   fast_copyin   request: COPY_SEND to the server, MAKE_SEND_ONCE of the
 *                 receive right we are about to receive on; reply:
 *                 MOVE_SEND_ONCE to the client and no reply port;
 *   kernel_send   a kernel object serves the request at once, and its
 *                 reply is taken as our received message straight away
 *                 (the fast kernel reply) when nothing else is queued;
 *   fast_send_receive  a thread waiting to receive on the destination
 *                 gets the message and the CPU directly (handoff); we
 *                 wait on our own receive port without a run-queue trip;
 *   fast_copyout, fast_put  on the receiving side, the two header shapes
 *                 are copied out with inline right bookkeeping, and the
 *                 kmsg goes back to the cache.
 *
 * Every condition the seed falls off on falls off here too, to the
 * general code (ipc_kmsg_copyin / ipc_kmsg_send / mach_msg_receive /
 * ipc_kmsg_copyout), counting the reason in mach_msg_counters.  A
 * message that leaves the hot path after its copyin continues on the
 * general send and receive with the kmsg it has ("getback" in the seed),
 * so the semantics are those of the slow path in every case.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_kobject.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_notify.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_right.h>
#include <ipc/ipc_space.h>
#include <ipc/mach_msg.h>
#include <ipc/mach_msg_fast.h>
#include <kern/bootopt.h>
#include <kern/lib.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <machine/copyio.h>

bool enable_hotpath = true;
uint32_t mach_msg_counters[MMC_COUNT];
unsigned mach_msg_counters_count = MMC_COUNT;
const char *const mach_msg_counter_names[MMC_COUNT] = {
#define X(name, desc) [MMC_##name] = #name,
	MK_HOTPATH_COUNTERS(X)
#undef X
};

#define HOT(c)	(mach_msg_counters[MMC_##c]++)

/* The options the hot path takes: send + receive, any format-0 trailer. */
#define FAST_OPTIONS	(MACH_SEND_MSG | MACH_RCV_MSG | MACH_RCV_TRAILER_ELEMENTS(0xf))

/* The largest message the hot path copies: a cached kmsg with any trailer. */
#define FAST_MAX_SEND	(IKM_SAVED_MSG_SIZE - MAX_TRAILER_SIZE)

#define BITS_REQUEST	MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE)
#define BITS_REPLY	MACH_MSGH_BITS(MACH_MSG_TYPE_MOVE_SEND_ONCE, 0)

/* Optimised ipc_entry_lookup: index and generation checked inline. */
static inline ipc_entry_t fast_lookup(ipc_space_t space, mach_port_name_t name)
{
	uint32_t index = MACH_PORT_INDEX(name);
	if (index - 1 >= space->is_table_size - 1)	/* index 0 and too large */
		return NULL;
	ipc_entry_t e = &space->is_table[index];
	if (e->ie_gen != MACH_PORT_GEN(name))
		return NULL;
	return e;
}

/*
 * fast_copyin: turn the header of a request or a reply into rights in
 * transit, or return false (changing nothing) when the message does not
 * have one of the two shapes in the expected state.  On success *rcv_port
 * is the port we will receive on for a request (the reply port).
 */
static bool fast_copyin(ipc_space_t space, mach_msg_header_t *h, mach_port_name_t rcv_name)
{
	mach_port_name_t dname = (mach_port_name_t)(uintptr_t)h->msgh_remote_port;
	mach_port_name_t rname = (mach_port_name_t)(uintptr_t)h->msgh_local_port;

	if (h->msgh_voucher_port != MACH_PORT_NULL) {
		HOT(fall_voucher);
		return false;
	}
	if (h->msgh_bits == BITS_REQUEST) {
		if (rname != rcv_name) {
			HOT(fall_reply_not_rcv_name);
			return false;
		}
		ipc_entry_t re = fast_lookup(space, rname);
		ipc_entry_t de = fast_lookup(space, dname);
		if (re == NULL || !(re->ie_bits & MACH_PORT_TYPE_RECEIVE) ||
		    de == NULL || !(de->ie_bits & MACH_PORT_TYPE_SEND)) {
			HOT(fall_request_rights);
			return false;
		}
		ipc_port_t dest = ip_from_object(de->ie_object);
		ipc_port_t reply = ip_from_object(re->ie_object);
		if (!ip_active(dest)) {
			HOT(fall_dead_dest);
			return false;
		}
		dest->ip_srights++;
		ip_reference(dest);
		reply->ip_sorights++;
		ip_reference(reply);
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND, MACH_MSG_TYPE_PORT_SEND_ONCE);
		h->msgh_remote_port = (mach_port_t)dest;
		h->msgh_local_port = (mach_port_t)reply;
		return true;
	}
	if (h->msgh_bits == BITS_REPLY) {
		if (rname != MACH_PORT_NULL) {
			HOT(fall_reply_has_reply_port);
			return false;
		}
		ipc_entry_t de = fast_lookup(space, dname);
		if (de == NULL || IE_BITS_TYPE(de->ie_bits) != MACH_PORT_TYPE_SEND_ONCE ||
		    de->ie_dnrequest) {
			HOT(fall_reply_rights);
			return false;
		}
		ipc_port_t dest = ip_from_object(de->ie_object);
		if (!ip_active(dest)) {
			HOT(fall_dead_dest);
			return false;
		}
		ipc_entry_dealloc(space, dname, de);	/* its reference moves */
		h->msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_PORT_SEND_ONCE, 0);
		h->msgh_remote_port = (mach_port_t)dest;
		h->msgh_local_port = NULL;
		return true;
	}
	HOT(fall_header_shape);
	return false;
}

/*
 * fast_copyout: copy out the header of a received simple message whose
 * reply right is a send-once right or none and whose destination right is
 * a send or send-once right: the common RPC shapes.  Returns false
 * (changing nothing) for anything else.
 */
static bool fast_copyout(ipc_space_t space, mach_msg_header_t *h)
{
	mach_msg_bits_t bits = h->msgh_bits;
	mach_msg_type_name_t dtype = MACH_MSGH_BITS_REMOTE(bits);
	mach_msg_type_name_t rtype = MACH_MSGH_BITS_LOCAL(bits);
	ipc_port_t dest = (ipc_port_t)h->msgh_remote_port;
	ipc_port_t reply = (ipc_port_t)h->msgh_local_port;

	if (bits & ~MACH_MSGH_BITS_PORTS_MASK)
		return false;
	if (!ip_active(dest) || dest->ip_receiver != space)
		return false;
	mach_port_name_t rname = MACH_PORT_NULL;
	if (rtype == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		/* the send-once right gets a new name: ipc_entry_alloc, inline */
		uint32_t index = space->is_free;
		if (index == 0 || !IP_VALID(reply) || !ip_active(reply))
			return false;
		ipc_entry_t e = &space->is_table[index];
		space->is_free = e->ie_next;
		space->is_used++;
		e->ie_next = 0;
		e->ie_object = ip_to_object(reply);
		e->ie_bits = MACH_PORT_TYPE_SEND_ONCE | 1;
		rname = MACH_PORT_MAKE(index, e->ie_gen);
	} else if (rtype != 0 || reply != NULL) {
		return false;
	}
	mach_port_name_t lname = dest->ip_receiver_name;
	/* the destination right is used up: ipc_port_release_*, inline */
	if (dtype == MACH_MSG_TYPE_PORT_SEND_ONCE) {
		dest->ip_sorights--;
		io_release(ip_to_object(dest));
	} else if (dtype == MACH_MSG_TYPE_PORT_SEND && dest->ip_srights > 1) {
		dest->ip_srights--;
		io_release(ip_to_object(dest));
	} else if (dtype == MACH_MSG_TYPE_PORT_SEND) {
		ipc_port_release_send(dest);	/* the last one: no-senders */
	}
	h->msgh_bits = MACH_MSGH_BITS(rtype, dtype);
	h->msgh_remote_port = (mach_port_t)(uintptr_t)rname;
	h->msgh_local_port = (mach_port_t)(uintptr_t)lname;
	return true;
}

/*
 * fast_put: finish a received kmsg for the current thread: trailer,
 * copyout of rights (fast when possible), copy to the user buffer.
 * Returns the mach_msg result.  Consumes the kmsg.
 */
static mach_msg_return_t fast_put(ipc_kmsg_t kmsg, mach_msg_header_t *rcv,
				  mach_msg_option_t option, mach_port_seqno_t seqno)
{
	task_t task = current_task();
	mach_msg_size_t tsize = ikm_trailer_finish(kmsg, option, seqno);

	if (fast_copyout(task->itk_space, kmsg->ikm_header)) {
		HOT(fast_copyout_ok);
		/* ipc_kmsg_put, inline */
		if (copyout(kmsg->ikm_header, rcv, kmsg->ikm_header->msgh_size + tsize)) {
			ipc_kmsg_free(kmsg);
			return MACH_RCV_INVALID_DATA;
		}
		if (!ikm_cache_put(kmsg))
			ipc_kmsg_free(kmsg);
		return MACH_MSG_SUCCESS;
	}
	HOT(slow_copyout);
	mach_msg_return_t mr = ipc_kmsg_copyout(kmsg, task->itk_space, task->map, NULL);
	if (mr == MACH_MSG_SUCCESS)
		return ipc_kmsg_put(rcv, kmsg, kmsg->ikm_header->msgh_size + tsize);
	if ((mr & ~MACH_MSG_MASK) != MACH_RCV_BODY_ERROR) {
		/* what mach_msg_receive does: keep only the destination */
		security_token_t sender = ikm_trailer(kmsg)->msgh_sender;
		ipc_kmsg_copyout_dest(kmsg, task->itk_space);
		kmsg->ikm_header->msgh_size = sizeof(mach_msg_header_t);
		ikm_trailer(kmsg)->msgh_sender = sender;
		tsize = ikm_trailer_finish(kmsg, option, seqno);
	}
	mach_msg_return_t pr = ipc_kmsg_put(rcv, kmsg, kmsg->ikm_header->msgh_size + tsize);
	return pr == MACH_RCV_INVALID_DATA ? pr : mr;
}

/* A message handed over that did not fit (no MACH_RCV_LARGE): destroy it. */
static mach_msg_return_t fast_receive_error(thread_t self, mach_msg_header_t *rcv,
					    mach_msg_option_t option)
{
	ipc_kmsg_t kmsg = self->ith_kmsg;
	self->ith_kmsg = IKM_NULL;
	task_t task = current_task();
	security_token_t sender = ikm_trailer(kmsg)->msgh_sender;
	ipc_kmsg_copyout_dest(kmsg, task->itk_space);
	kmsg->ikm_header->msgh_size = sizeof(mach_msg_header_t);
	ikm_trailer(kmsg)->msgh_sender = sender;
	mach_msg_size_t tsize = ikm_trailer_finish(kmsg, option, self->ith_seqno);
	if (ipc_kmsg_put(rcv, kmsg, sizeof(mach_msg_header_t) + tsize) == MACH_RCV_INVALID_DATA)
		return MACH_RCV_INVALID_DATA;
	return MACH_RCV_TOO_LARGE;
}

/*
 * mach_msg_fast: the hot path.  Returns true with *mrp set when it dealt
 * with the call; false when the call must take the general path from the
 * start (nothing has been done).
 */
bool mach_msg_fast(const struct mach_msg_overwrite_trap_args *a, mach_msg_return_t *mrp)
{
	mach_msg_option_t option = (mach_msg_option_t)a->option;
	mach_msg_size_t send_size = a->send_size;
	mach_msg_header_t *msg = (mach_msg_header_t *)a->msg;
	mach_msg_header_t *rcv = a->rcv_msg ? (mach_msg_header_t *)a->rcv_msg : msg;

	if (!enable_hotpath)
		return false;
	if ((option & (MACH_SEND_MSG | MACH_RCV_MSG)) != (MACH_SEND_MSG | MACH_RCV_MSG) ||
	    (option & ~FAST_OPTIONS) != 0) {
		HOT(fall_options);
		return false;
	}
	HOT(combined_S_R);
	if (send_size < sizeof(mach_msg_header_t) || send_size > FAST_MAX_SEND || (send_size & 3)) {
		HOT(fall_send_size);
		return false;
	}

	/* fast_get */
	task_t task = current_task();
	ipc_space_t space = task->itk_space;
	ipc_kmsg_t kmsg = ikm_cache_get();
	if (kmsg == IKM_NULL) {
		kmsg = ipc_kmsg_alloc(send_size);
		if (kmsg == IKM_NULL)
			return false;
	}
	mach_msg_header_t *h = kmsg->ikm_header;
	if (copyin(msg, h, send_size)) {
		HOT(fall_copyin);
		ipc_kmsg_free(kmsg);
		return false;
	}
	h->msgh_size = send_size;
	static const security_token_t user_token = { { 0, 0 } };
	ikm_trailer(kmsg)->msgh_sender = user_token;

	if (!fast_copyin(space, h, a->rcv_name)) {
		/* general copyin of the same kmsg, then the general send */
		mach_msg_return_t mr = ipc_kmsg_copyin(kmsg, space, task->map);
		if (mr != MACH_MSG_SUCCESS) {
			ipc_kmsg_free(kmsg);
			*mrp = mr;
			return true;
		}
		goto slow_send;
	}

	ipc_port_t dest = (ipc_port_t)h->msgh_remote_port;
	if (dest->ip_receiver == ipc_space_kernel) {
		/* kernel_send, with the fast kernel reply */
		HOT(kernel_send);
		ipc_port_t rcv_port = (ipc_port_t)h->msgh_local_port;
		ipc_kmsg_t reply = ipc_kobject_server(kmsg);
		if (reply == IKM_NULL)
			goto slow_receive;
		ipc_port_t rdest = (ipc_port_t)reply->ikm_header->msgh_remote_port;
		if (h->msgh_bits == 0 || rdest != rcv_port || !ip_active(rcv_port) ||
		    rcv_port->ip_receiver != space || rcv_port->ip_pset != NULL ||
		    !queue_empty(&rcv_port->ip_messages) ||
		    round_msg(reply->ikm_header->msgh_size) + REQUESTED_TRAILER_SIZE(option) > a->rcv_size) {
			HOT(fall_kernel_reply);
			ipc_kmsg_send_always(reply);
			goto slow_receive;
		}
		HOT(fast_kernel_reply);
		*mrp = fast_put(reply, rcv, option, rcv_port->ip_seqno++);
		return true;
	}

	/* fast_send_receive: the destination's receiver and our receive port */
	ipc_entry_t re = fast_lookup(space, a->rcv_name);
	if (re == NULL || !(re->ie_bits & MACH_PORT_TYPE_RECEIVE)) {
		HOT(fall_rcv_name);
		goto slow_send;
	}
	ipc_port_t rcv_port = ip_from_object(re->ie_object);
	if (rcv_port->ip_pset != NULL || !queue_empty(&rcv_port->ip_messages)) {
		HOT(fall_rcv_port_busy);
		goto slow_send;
	}
	if (dest->ip_pset != NULL || queue_empty(&dest->ip_rcv_waiters) || dest->ip_msgcount != 0) {
		HOT(fall_no_receiver);
		goto slow_send;
	}
	thread_t server = qlink_entry(dest->ip_rcv_waiters.next, struct thread, ith_wait_link);
	mach_msg_size_t need = send_size + REQUESTED_TRAILER_SIZE(server->ith_option);
	if (need > server->ith_msize) {
		HOT(fall_receiver_too_small);
		goto slow_send;		/* the general send tells it the size */
	}
	/* ipc_mqueue_deliver_to, inline: the message and its sequence number */
	queue_remove(&server->ith_wait_link);
	server->ith_state = MACH_MSG_SUCCESS;
	server->ith_kmsg = kmsg;
	server->ith_seqno = dest->ip_seqno++;
	server->ith_msize = need;
	ipc_mqueue_direct_deliveries++;
	if (server->wait_event == NULL && !server->wait_timer_armed)
		clear_wait_handoff_noevent(server, THREAD_AWAKENED);
	else
		clear_wait_handoff(server, THREAD_AWAKENED);
	HOT(handoff);
	{
		/* wait on our (empty) receive port, giving the CPU to the server */
		thread_t self = current_thread();
		self->ith_state = MACH_RCV_IN_PROGRESS;
		self->ith_option = option;
		self->ith_msize = a->rcv_size;
		self->ith_kmsg = IKM_NULL;
		enqueue_tail(&rcv_port->ip_rcv_waiters, &self->ith_wait_link);
		assert_wait_noevent(THREAD_INTERRUPTIBLE);
		thread_handoff(server);
		mach_msg_return_t mr = self->ith_state;
		if (mr == MACH_MSG_SUCCESS) {
			ipc_kmsg_t k = self->ith_kmsg;
			self->ith_kmsg = IKM_NULL;
			*mrp = fast_put(k, rcv, option, self->ith_seqno);
			return true;
		}
		if (mr == MACH_RCV_IN_PROGRESS) {
			/* interrupted (no timeout on the hot path) */
			if (qlink_linked(&self->ith_wait_link))
				queue_remove(&self->ith_wait_link);
			*mrp = MACH_RCV_INTERRUPTED;
			return true;
		}
		/* too large, port died: as the general receive reports them */
		*mrp = mr == MACH_RCV_TOO_LARGE ? fast_receive_error(self, rcv, option) : mr;
		return true;
	}

slow_send:
	HOT(slow_send);
	{
		mach_msg_return_t mr = ipc_kmsg_send(kmsg, option & ~MACH_SEND_ALWAYS_INTERNAL, a->timeout);
		if (mr != MACH_MSG_SUCCESS) {
			mr |= ipc_kmsg_copyout_pseudo(kmsg, space, task->map);
			(void)ipc_kmsg_put(msg, kmsg, kmsg->ikm_header->msgh_size);
			*mrp = mr;
			return true;
		}
	}
slow_receive:
	*mrp = mach_msg_receive(rcv, option, a->rcv_size, a->rcv_name, a->timeout, a->notify,
				a->scatter_list_size);
	return true;
}
