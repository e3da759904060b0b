/*
 * Message queues: direct delivery to waiting receivers, queueing, flow
 * control, and receiving.
 */
#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_mqueue.h>
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <kern/assert.h>
#include <kern/sched_prim.h>
#include <kern/thread.h>
#include <kern/timer.h>

unsigned long ipc_mqueue_direct_deliveries;
struct qlink ipc_mqueue_blocked_kmsgs = QLINK_INIT(ipc_mqueue_blocked_kmsgs);

static inline mach_msg_size_t needed_size(ipc_kmsg_t kmsg, mach_msg_option_t option)
{
	return round_msg(kmsg->ikm_header->msgh_size) + REQUESTED_TRAILER_SIZE(option);
}

/* ipc_mqueue_first_receiver: a thread waiting on port, else on its set. */
thread_t ipc_mqueue_first_receiver(ipc_port_t port)
{
	if (!queue_empty(&port->ip_rcv_waiters))
		return qlink_entry(port->ip_rcv_waiters.next, struct thread, ith_wait_link);
	if (port->ip_pset && !queue_empty(&port->ip_pset->ips_rcv_waiters))
		return qlink_entry(port->ip_pset->ips_rcv_waiters.next, struct thread, ith_wait_link);
	return NULL;
}

/* Take a message off port's queue: count it, let a blocked sender in. */
static void dequeue_kmsg(ipc_port_t port, ipc_kmsg_t kmsg)
{
	queue_remove(&kmsg->ikm_link);
	port->ip_msgcount--;
	if (!queue_empty(&port->ip_snd_waiters)) {
		thread_t s = qlink_entry(port->ip_snd_waiters.next, struct thread, ith_send_link);
		queue_remove(&s->ith_send_link);
		clear_wait(s, THREAD_AWAKENED);
	}
}

/*
 * ipc_mqueue_deliver_to: give kmsg to `receiver` (waiting on port or its
 * set), taking it off the wait list and assigning the sequence number.
 * The caller wakes it (clear_wait or the handoff path).  Returns
 * MACH_MSG_SUCCESS when the receiver took the message, or
 * MACH_RCV_TOO_LARGE when it asked for MACH_RCV_LARGE and the message
 * does not fit: then the receiver only learns the size and kmsg is
 * still the caller's.
 */
mach_msg_return_t ipc_mqueue_deliver_to(thread_t receiver, ipc_port_t port, ipc_kmsg_t kmsg)
{
	queue_remove(&receiver->ith_wait_link);
	mach_msg_size_t need = needed_size(kmsg, receiver->ith_option);
	if (need > receiver->ith_msize) {
		if (receiver->ith_option & MACH_RCV_LARGE) {
			receiver->ith_state = MACH_RCV_TOO_LARGE;
			receiver->ith_msize = kmsg->ikm_header->msgh_size;	/* as XNU: no trailer */
			receiver->ith_kmsg = IKM_NULL;
			return MACH_RCV_TOO_LARGE;
		}
		receiver->ith_state = MACH_RCV_TOO_LARGE;	/* it destroys the message */
	} else {
		receiver->ith_state = MACH_MSG_SUCCESS;
	}
	receiver->ith_kmsg = kmsg;
	receiver->ith_seqno = port->ip_seqno++;
	receiver->ith_msize = need;
	ipc_mqueue_direct_deliveries++;
	return MACH_MSG_SUCCESS;
}

/* ipc_mqueue_send: see ipc_mqueue.h. */
mach_msg_return_t ipc_mqueue_send(ipc_kmsg_t kmsg, mach_msg_option_t option,
				  mach_msg_timeout_t timeout)
{
	ipc_port_t port = (ipc_port_t)kmsg->ikm_header->msgh_remote_port;
	thread_t self = current_thread();

	for (;;) {
		if (!ip_active(port))
			return MACH_SEND_INVALID_DEST;

		thread_t r;
		while ((r = ipc_mqueue_first_receiver(port)) != NULL) {
			if (ipc_mqueue_deliver_to(r, port, kmsg) == MACH_MSG_SUCCESS) {
				clear_wait(r, THREAD_AWAKENED);
				return MACH_MSG_SUCCESS;
			}
			clear_wait(r, THREAD_AWAKENED);	/* told the size; try the next */
		}

		bool sonce = MACH_MSGH_BITS_REMOTE(kmsg->ikm_header->msgh_bits) ==
			     MACH_MSG_TYPE_PORT_SEND_ONCE;
		if (port->ip_msgcount < port->ip_qlimit || sonce ||
		    (option & MACH_SEND_ALWAYS_INTERNAL)) {
			enqueue_tail(&port->ip_messages, &kmsg->ikm_link);
			port->ip_msgcount++;
			return MACH_MSG_SUCCESS;
		}

		/* full: wait for room, the port's death, a timeout or an abort */
		if ((option & MACH_SEND_TIMEOUT) && timeout == 0)
			return MACH_SEND_TIMED_OUT;
		enqueue_tail(&port->ip_snd_waiters, &self->ith_send_link);
		enqueue_tail(&ipc_mqueue_blocked_kmsgs, &kmsg->ikm_link);
		ip_reference(port);
		/* no event: a receiver making room ends the wait with clear_wait */
		if (option & MACH_SEND_TIMEOUT)
			assert_wait_timeout(NULL, THREAD_INTERRUPTIBLE, ms_to_ticks(timeout));
		else
			assert_wait(NULL, THREAD_INTERRUPTIBLE);
		wait_result_t wr = thread_block();
		queue_remove(&kmsg->ikm_link);
		if (qlink_linked(&self->ith_send_link))
			queue_remove(&self->ith_send_link);
		ip_release(port);
		if (wr == THREAD_TIMED_OUT)
			return MACH_SEND_TIMED_OUT;
		if (wr == THREAD_INTERRUPTED)
			return MACH_SEND_INTERRUPTED;
	}
}

/* First queued message on the object (a port, or any member of a set). */
static ipc_kmsg_t first_message(ipc_object_t obj, ipc_port_t *portp)
{
	if (obj->io_otype == IOT_PORT) {
		ipc_port_t port = ip_from_object(obj);
		if (queue_empty(&port->ip_messages))
			return IKM_NULL;
		*portp = port;
		return qlink_entry(port->ip_messages.next, struct ipc_kmsg, ikm_link);
	}
	ipc_pset_t set = ips_from_object(obj);
	queue_foreach(l, &set->ips_members) {
		ipc_port_t port = qlink_entry(l, struct ipc_port, ip_pset_link);
		if (!queue_empty(&port->ip_messages)) {
			/* rotate so members are served in turn */
			queue_remove(&port->ip_pset_link);
			enqueue_tail(&set->ips_members, &port->ip_pset_link);
			*portp = port;
			return qlink_entry(port->ip_messages.next, struct ipc_kmsg, ikm_link);
		}
	}
	return IKM_NULL;
}

/* ipc_mqueue_receive: see ipc_mqueue.h. */
mach_msg_return_t ipc_mqueue_receive(ipc_object_t obj, mach_msg_option_t option,
				     mach_msg_size_t max_size, mach_msg_timeout_t timeout,
				     thread_t handoff, ipc_kmsg_t *kmsgp,
				     mach_port_seqno_t *seqnop, mach_msg_size_t *sizep)
{
	thread_t self = current_thread();
	ipc_port_t port;
	ipc_kmsg_t kmsg = first_message(obj, &port);

	if (kmsg != IKM_NULL) {
		if (handoff)
			thread_setrun(handoff);	/* it was readied for a handoff we skip */
		mach_msg_size_t need = needed_size(kmsg, option);
		if (need > max_size) {
			*sizep = kmsg->ikm_header->msgh_size;	/* as XNU: no trailer */
			if (option & MACH_RCV_LARGE)
				return MACH_RCV_TOO_LARGE;	/* stays queued */
			dequeue_kmsg(port, kmsg);
			*seqnop = port->ip_seqno++;
			*kmsgp = kmsg;
			return MACH_RCV_TOO_LARGE;
		}
		dequeue_kmsg(port, kmsg);
		*seqnop = port->ip_seqno++;
		*kmsgp = kmsg;
		return MACH_MSG_SUCCESS;
	}
	if ((option & MACH_RCV_TIMEOUT) && timeout == 0)
		return MACH_RCV_TIMED_OUT;

	struct qlink *waiters = obj->io_otype == IOT_PORT
		? &ip_from_object(obj)->ip_rcv_waiters
		: &ips_from_object(obj)->ips_rcv_waiters;
	self->ith_state = MACH_RCV_IN_PROGRESS;
	self->ith_option = option;
	self->ith_msize = max_size;
	self->ith_kmsg = IKM_NULL;
	enqueue_tail(waiters, &self->ith_wait_link);
	io_reference(obj);
	/* no event: a sender or the port's death ends the wait with clear_wait */
	if (option & MACH_RCV_TIMEOUT)
		assert_wait_timeout(NULL, THREAD_INTERRUPTIBLE, ms_to_ticks(timeout));
	else
		assert_wait_noevent(THREAD_INTERRUPTIBLE);
	wait_result_t wr = handoff ? thread_handoff(handoff) : thread_block();
	io_release(obj);

	if (self->ith_state == MACH_RCV_IN_PROGRESS) {
		/* nobody handed us anything: timed out or interrupted */
		if (qlink_linked(&self->ith_wait_link))
			queue_remove(&self->ith_wait_link);
		return wr == THREAD_TIMED_OUT ? MACH_RCV_TIMED_OUT : MACH_RCV_INTERRUPTED;
	}
	mach_msg_return_t mr = self->ith_state;
	*kmsgp = self->ith_kmsg;
	*seqnop = self->ith_seqno;
	*sizep = self->ith_msize;
	self->ith_kmsg = IKM_NULL;
	return mr;
}

/* ipc_mqueue_wake_receivers: see ipc_mqueue.h. */
void ipc_mqueue_wake_receivers(struct qlink *waiters, mach_msg_return_t result)
{
	struct qlink *l;
	while ((l = dequeue_head(waiters)) != NULL) {
		thread_t t = qlink_entry(l, struct thread, ith_wait_link);
		t->ith_state = result;
		t->ith_kmsg = IKM_NULL;
		clear_wait(t, THREAD_AWAKENED);
	}
}

/* ipc_mqueue_wake_senders: see ipc_mqueue.h. */
void ipc_mqueue_wake_senders(ipc_port_t port)
{
	struct qlink *l;
	while ((l = dequeue_head(&port->ip_snd_waiters)) != NULL)
		clear_wait(qlink_entry(l, struct thread, ith_send_link), THREAD_AWAKENED);
}

/* ipc_mqueue_feed_set: hand port's queued messages to set receivers. */
void ipc_mqueue_feed_set(ipc_pset_t set, ipc_port_t port)
{
	while (!queue_empty(&port->ip_messages) && !queue_empty(&set->ips_rcv_waiters)) {
		ipc_kmsg_t kmsg = qlink_entry(port->ip_messages.next, struct ipc_kmsg, ikm_link);
		thread_t r = qlink_entry(set->ips_rcv_waiters.next, struct thread, ith_wait_link);
		if (ipc_mqueue_deliver_to(r, port, kmsg) == MACH_MSG_SUCCESS)
			dequeue_kmsg(port, kmsg);
		clear_wait(r, THREAD_AWAKENED);
	}
}

/* ipc_mqueue_set_qlimit: see ipc_mqueue.h. */
void ipc_mqueue_set_qlimit(ipc_port_t port, mach_port_msgcount_t qlimit)
{
	port->ip_qlimit = qlimit;
	ipc_mqueue_wake_senders(port);	/* they re-check the limit */
}
