/*
 * The mach_msg hot path (after the seed's mach_msg_overwrite_trap).
 *
 * A combined send+receive whose message is small and simple, with one of
 * the two RPC header shapes, is handled here start to finish:
 *
 *   fast_get      the kmsg comes from the kmsg cache, the message is
 *                 copied in with an inline word copy;
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
 *
 * Its most common case - a message to a thread already waiting in a hot
 * path, through sysenter - is done before this file is reached, by
 * arch/i386/msg_fast.S, which hands everything else here unchanged and
 * shares this file's protocol with waiters (ith_fast, kern/thread.h).
 *
 * Layout for speed: mach_msg_trap_frame() is the entry of both message
 * traps (after msg_fast.S for sysenter's mach_msg); the hot path is
 * inlined into it, and every fall-off is an out-of-line function, so the
 * common case is one stack frame with its values in registers.  The kernel is
 * uniprocessor and not preemptible: nothing can change the ports,
 * entries or threads looked at between a check and the action it
 * guards.
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
#include <kern/sched_prim.h>
#include <kern/sched_switch.h>
#include <kern/task.h>
#include <kern/thread.h>
#include <kern/trace.h>
#include <mach/syscall_sw.h>
#include <machine/copyio.h>
#include <machine/trap.h>

bool enable_hotpath = true;
bool mach_msg_asm_enabled = true;
uint32_t mach_msg_counters[MMC_COUNT];
unsigned mach_msg_counters_count = MMC_COUNT;
const char *const mach_msg_counter_names[MMC_COUNT] = {
#define X(name, desc) [MMC_##name] = #name,
	MK_HOTPATH_COUNTERS(X)
#undef X
};

#define HOT(c)	(mach_msg_counters[MMC_##c]++)

uint32_t mach_msg_asm_deliveries;

/* mach_msg_asm_update: see mach_msg.h.  Interrupts off. */
void mach_msg_asm_update(void)
{
	mach_msg_asm_enabled = enable_hotpath && !(trace_mask & TRACE_SCHED) &&
			       sched_switch_hook_threads == 0;
}

/* mach_msg_counters_sync: see mach_msg_fast.h.  Interrupts off. */
void mach_msg_counters_sync(void)
{
	uint32_t n = mach_msg_asm_deliveries;
	mach_msg_asm_deliveries = 0;
	mach_msg_counters[MMC_combined_S_R] += n;
	mach_msg_counters[MMC_handoff] += n;
	mach_msg_counters[MMC_fast_copyout_ok] += n;
	mach_msg_counters[MMC_kmsg_cache_hits] += n;
	ikm_cache_hits += n;
	ipc_mqueue_direct_deliveries += n;
	sched_switches += n;
	sched_handoffs += n;
}

/* REQUESTED_TRAILER_SIZE for each MACH_RCV_TRAILER_ELEMENTS value. */
#define TS(e)	REQUESTED_TRAILER_SIZE(MACH_RCV_TRAILER_ELEMENTS(e))
const uint8_t mach_msg_trailer_sizes[16] = {
	TS(0), TS(1), TS(2), TS(3), TS(4), TS(5), TS(6), TS(7),
	TS(8), TS(9), TS(10), TS(11), TS(12), TS(13), TS(14), TS(15),
};
#undef TS

static const security_token_t user_token = { { 0, 0 } };

/*
 * Optimised ipc_entry_lookup in a space whose table and size the caller
 * has read once: index and generation checked inline.
 */
static inline ipc_entry_t fast_lookup(ipc_entry_t table, uint32_t size, mach_port_name_t name)
{
	uint32_t index = MACH_PORT_INDEX(name);
	if (index - 1 >= size - 1)	/* index 0 and too large */
		return NULL;
	ipc_entry_t e = &table[index];
	if (e->ie_gen != MACH_PORT_GEN(name))
		return NULL;
	return e;
}

/*
 * fast_copyout: copy out the header of a received simple message of one
 * of the two RPC shapes: a request (send right to us, send-once reply
 * right) or a reply (send-once right to us, no reply port).  The reply
 * right gets a new name (ipc_entry_alloc, inline) and the destination
 * right is used up (ipc_port_release_*, inline).  Returns false, changing
 * nothing, for anything else.
 */
static inline __attribute__((always_inline)) bool
fast_copyout(ipc_space_t space, mach_msg_header_t *h)
{
	mach_msg_bits_t bits = h->msgh_bits;
	ipc_port_t dest = (ipc_port_t)h->msgh_remote_port;

	if (!ip_active(dest) || dest->ip_receiver != space)
		return false;
	if (bits == BITS_REQUEST_IN) {
		ipc_port_t reply = (ipc_port_t)h->msgh_local_port;
		uint32_t index = space->is_free;
		if (index == 0 || !IP_VALID(reply) || !ip_active(reply) || dest->ip_srights == 1)
			return false;	/* full table, dead reply port, no-senders due */
		ipc_entry_t e = &space->is_table[index];
		space->is_free = e->ie_next;
		space->is_used++;
		e->ie_next = 0;
		e->ie_object = ip_to_object(reply);
		e->ie_bits = MACH_PORT_TYPE_SEND_ONCE | 1;
		dest->ip_srights--;
		dest->ip_object.io_references--;	/* not the last: the receiver holds one */
		h->msgh_bits = BITS_REQUEST_OUT;
		h->msgh_remote_port = (mach_port_t)(uintptr_t)MACH_PORT_MAKE(index, e->ie_gen);
		h->msgh_local_port = (mach_port_t)(uintptr_t)dest->ip_receiver_name;
		return true;
	}
	if (bits == BITS_REPLY_IN) {
		dest->ip_sorights--;
		dest->ip_object.io_references--;	/* not the last: the receiver holds one */
		h->msgh_bits = BITS_REPLY_OUT;
		h->msgh_remote_port = MACH_PORT_NULL;
		h->msgh_local_port = (mach_port_t)(uintptr_t)dest->ip_receiver_name;
		return true;
	}
	return false;
}

/*
 * slow_put: the general receive side for a kmsg the hot path received
 * but fast_copyout could not finish.  Consumes the kmsg; returns the
 * mach_msg result.
 */
static __attribute__((noinline)) mach_msg_return_t
slow_put(ipc_kmsg_t kmsg, mach_msg_header_t *rcv, mach_msg_option_t option,
	 mach_port_seqno_t seqno)
{
	task_t task = current_task();
	mach_msg_size_t tsize = ikm_trailer_finish(kmsg, option, seqno);

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

/*
 * fast_deliver: copy the first `bytes' of a received kmsg, whose rights
 * are in the receiver's space already, out to the user buffer rcv, and
 * put the kmsg back into the cache (else free it).  Returns
 * MACH_MSG_SUCCESS, or MACH_RCV_INVALID_DATA when rcv is bad.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
fast_deliver(ipc_kmsg_t kmsg, mach_msg_header_t *rcv, mach_msg_size_t bytes)
{
	if (copyout_words(kmsg->ikm_header, rcv, bytes / 4)) {
		ipc_kmsg_free(kmsg);
		return MACH_RCV_INVALID_DATA;
	}
	if (!ikm_cache_put(kmsg))
		ipc_kmsg_free(kmsg);
	return MACH_MSG_SUCCESS;
}

/*
 * fast_put: finish a received kmsg for the current thread: trailer,
 * copyout of rights, copy to the user buffer, kmsg back to the cache.
 * For a kernel reply, and for a message a general send handed to a
 * thread waiting in the hot path.  Returns the mach_msg result.
 * Consumes the kmsg.
 */
static __attribute__((noinline)) mach_msg_return_t
fast_put(ipc_kmsg_t kmsg, mach_msg_header_t *rcv, mach_msg_option_t option,
	 mach_port_seqno_t seqno)
{
	mach_msg_header_t *h = kmsg->ikm_header;
	mach_msg_size_t size = h->msgh_size;

	if ((size & 3) || !fast_copyout(current_task()->itk_space, h))
		return slow_put(kmsg, rcv, option, seqno);
	HOT(fast_copyout_ok);
	mach_msg_size_t tsize = ikm_trailer_finish(kmsg, option, seqno);
	return fast_deliver(kmsg, rcv, size + tsize);
}

/* A message handed over that did not fit (no MACH_RCV_LARGE): destroy it. */
static __attribute__((noinline)) mach_msg_return_t
fast_receive_error(thread_t self, mach_msg_header_t *rcv, mach_msg_option_t option)
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

/* The receive half after a wait that did not bring a message. */
static __attribute__((noinline)) mach_msg_return_t
fast_wait_failed(thread_t self, mach_msg_return_t mr, mach_msg_header_t *rcv,
		 mach_msg_option_t option)
{
	if (mr == MACH_RCV_IN_PROGRESS) {
		/* interrupted (no timeout on the hot path) */
		if (qlink_linked(&self->ith_wait_link))
			queue_remove(&self->ith_wait_link);
		return MACH_RCV_INTERRUPTED;
	}
	/* too large, port died: as the general receive reports them */
	return mr == MACH_RCV_TOO_LARGE ? fast_receive_error(self, rcv, option) : mr;
}

/*
 * fast_receive: the receive half, once the current thread runs again
 * after waiting in the hot path.  A hot-path sender has usually finished
 * the receive for it: all of it (ITH_FAST_DONE), or all but the copy to
 * the user buffer (ITH_FAST_READY).  Returns the mach_msg result.
 */
static inline __attribute__((always_inline)) mach_msg_return_t
fast_receive(thread_t self, mach_msg_header_t *rcv, mach_msg_option_t option)
{
	if (self->ith_fast == ITH_FAST_DONE) {
		self->ith_fast = ITH_FAST_NONE;
		return self->ith_state;
	}
	ipc_kmsg_t kmsg = self->ith_kmsg;
	if (self->ith_fast == ITH_FAST_READY) {
		self->ith_fast = ITH_FAST_NONE;
		self->ith_kmsg = IKM_NULL;
		return fast_deliver(kmsg, rcv, self->ith_msize);
	}
	self->ith_fast = ITH_FAST_NONE;
	if (self->ith_state != MACH_MSG_SUCCESS)
		return fast_wait_failed(self, self->ith_state, rcv, option);
	self->ith_kmsg = IKM_NULL;
	return fast_put(kmsg, rcv, option, self->ith_seqno);
}

/* mach_msg_fast_resume: see mach_msg_fast.h. */
mach_msg_return_t mach_msg_fast_resume(thread_t self, mach_msg_header_t *rcv,
				       mach_msg_option_t option)
{
	return fast_receive(self, rcv, option);
}

/* The general receive half, after the send half is done. */
static mach_msg_return_t slow_receive(const struct mach_msg_overwrite_trap_args *a,
				      mach_msg_header_t *rcv)
{
	return mach_msg_receive(rcv, (mach_msg_option_t)a->option, a->rcv_size, a->rcv_name,
				a->timeout, a->notify, a->scatter_list_size);
}

/*
 * slow_send: the general send of a kmsg whose header is copied in, then
 * the general receive (the seed's "getback").
 */
static __attribute__((noinline)) mach_msg_return_t
slow_send(const struct mach_msg_overwrite_trap_args *a, ipc_kmsg_t kmsg, mach_msg_header_t *rcv)
{
	HOT(slow_send);
	mach_msg_return_t mr = ipc_kmsg_send(kmsg, (mach_msg_option_t)a->option &
					     ~MACH_SEND_ALWAYS_INTERNAL, a->timeout);
	if (mr != MACH_MSG_SUCCESS) {
		task_t task = current_task();
		mr |= ipc_kmsg_copyout_pseudo(kmsg, task->itk_space, task->map);
		(void)ipc_kmsg_put((mach_msg_header_t *)a->msg, kmsg, kmsg->ikm_header->msgh_size);
		return mr;
	}
	return slow_receive(a, rcv);
}

/* A message of another shape: the general copyin, send and receive. */
static __attribute__((noinline)) mach_msg_return_t
slow_copyin(const struct mach_msg_overwrite_trap_args *a, ipc_kmsg_t kmsg, mach_msg_header_t *rcv)
{
	task_t task = current_task();
	mach_msg_return_t mr = ipc_kmsg_copyin(kmsg, task->itk_space, task->map);
	if (mr != MACH_MSG_SUCCESS) {
		ipc_kmsg_free(kmsg);
		return mr;
	}
	return slow_send(a, kmsg, rcv);
}

/*
 * kernel_send: a request to a kernel object, served at once; its reply is
 * our received message when it goes to the port we receive on and
 * nothing is queued before it (the fast kernel reply).
 */
static __attribute__((noinline)) mach_msg_return_t
kernel_send(const struct mach_msg_overwrite_trap_args *a, ipc_kmsg_t kmsg, mach_msg_header_t *rcv)
{
	mach_msg_option_t option = (mach_msg_option_t)a->option;
	ipc_space_t space = current_task()->itk_space;
	ipc_port_t rcv_port = (ipc_port_t)kmsg->ikm_header->msgh_local_port;
	bool request = kmsg->ikm_header->msgh_bits == BITS_REQUEST_IN;

	HOT(kernel_send);
	ipc_kmsg_t reply = ipc_kobject_server(kmsg);
	if (reply == IKM_NULL)
		return slow_receive(a, rcv);
	if (!request || (ipc_port_t)reply->ikm_header->msgh_remote_port != rcv_port ||
	    !ip_active(rcv_port) || rcv_port->ip_receiver != space || rcv_port->ip_pset != NULL ||
	    !queue_empty(&rcv_port->ip_messages) ||
	    round_msg(reply->ikm_header->msgh_size) + REQUESTED_TRAILER_SIZE(option) > a->rcv_size) {
		HOT(fall_kernel_reply);
		ipc_kmsg_send_always(reply);
		return slow_receive(a, rcv);
	}
	HOT(fast_kernel_reply);
	return fast_put(reply, rcv, option, rcv_port->ip_seqno++);
}

/*
 * fast_copyin_reply: the reply shape: move our send-once right (the
 * entry is freed: ipc_entry_dealloc, inline).  Returns the destination,
 * or NULL (changing nothing) when the right is not a plain live
 * send-once right.
 */
static inline ipc_port_t fast_copyin_reply(ipc_space_t space, ipc_entry_t table, uint32_t tsize,
					     mach_port_name_t dname)
{
	ipc_entry_t de = fast_lookup(table, tsize, dname);
	if (de == NULL || IE_BITS_TYPE(de->ie_bits) != MACH_PORT_TYPE_SEND_ONCE ||
	    de->ie_dnrequest) {
		HOT(fall_reply_rights);
		return NULL;
	}
	ipc_port_t dest = ip_from_object(de->ie_object);
	if (!ip_active(dest)) {
		HOT(fall_dead_dest);
		return NULL;
	}
	/* its reference moves to the message */
	de->ie_bits = 0;
	de->ie_object = IO_NULL;
	uint8_t gen = (uint8_t)(de->ie_gen + 1);
	de->ie_gen = gen == 0xff ? 0 : gen;	/* MACH_PORT_DEAD stays unreachable */
	de->ie_next = space->is_free;
	space->is_free = MACH_PORT_INDEX(dname);
	space->is_used--;
	return dest;
}

/*
 * mach_msg_fast: the hot path.  Returns true with *mrp set when it dealt
 * with the call; false when the call must take the general path from the
 * start (nothing has been done).
 */
static inline __attribute__((always_inline)) bool
mach_msg_fast(const struct mach_msg_overwrite_trap_args *a, mach_msg_return_t *mrp)
{
	mach_msg_option_t option = (mach_msg_option_t)a->option;
	mach_msg_size_t send_size = a->send_size;
	mach_msg_header_t *rcv = (mach_msg_header_t *)(a->rcv_msg ? a->rcv_msg : a->msg);

	if ((option & ~MACH_RCV_TRAILER_MASK) != FAST_OPTIONS) {
		HOT(fall_options);
		return false;
	}
	HOT(combined_S_R);
	if (send_size - sizeof(mach_msg_header_t) > FAST_MAX_SEND - sizeof(mach_msg_header_t) ||
	    (send_size & 3)) {
		HOT(fall_send_size);
		return false;
	}

	/* fast_get */
	thread_t self = current_thread();
	ipc_space_t space = self->task->itk_space;
	ipc_kmsg_t kmsg = ikm_cache_get();
	if (kmsg == IKM_NULL) {
		kmsg = ipc_kmsg_alloc(send_size);
		if (kmsg == IKM_NULL)
			return false;
	}
	mach_msg_header_t *h = kmsg->ikm_header;
	if (copyin_words((const void *)a->msg, h, send_size / 4)) {
		HOT(fall_copyin);
		ipc_kmsg_free(kmsg);
		return false;
	}
	h->msgh_size = send_size;
	/* ikm_trailer(kmsg): send_size is a whole number of words */
	((mach_msg_max_trailer_t *)((char *)h + send_size))->msgh_sender = user_token;

	/* fast_copyin */
	ipc_entry_t table = space->is_table;
	uint32_t tsize = space->is_table_size;
	mach_port_name_t dname = (mach_port_name_t)(uintptr_t)h->msgh_remote_port;
	mach_port_name_t rname = (mach_port_name_t)(uintptr_t)h->msgh_local_port;
	ipc_port_t dest, rcv_port;
	ipc_entry_t re;
	if (h->msgh_voucher_port != MACH_PORT_NULL) {
		HOT(fall_voucher);
		goto copyin_slow;
	}
	if (h->msgh_bits == BITS_REQUEST) {
		if (rname != a->rcv_name) {
			HOT(fall_reply_not_rcv_name);
			goto copyin_slow;
		}
		re = fast_lookup(table, tsize, rname);
		ipc_entry_t de = fast_lookup(table, tsize, dname);
		if (re == NULL || !(re->ie_bits & MACH_PORT_TYPE_RECEIVE) ||
		    de == NULL || !(de->ie_bits & MACH_PORT_TYPE_SEND)) {
			HOT(fall_request_rights);
			goto copyin_slow;
		}
		dest = ip_from_object(de->ie_object);
		rcv_port = ip_from_object(re->ie_object);
		if (!ip_active(dest)) {
			HOT(fall_dead_dest);
			goto copyin_slow;
		}
		dest->ip_srights++;
		ip_reference(dest);
		rcv_port->ip_sorights++;
		ip_reference(rcv_port);
		h->msgh_bits = BITS_REQUEST_IN;
		h->msgh_remote_port = (mach_port_t)dest;
		h->msgh_local_port = (mach_port_t)rcv_port;
		if (dest->ip_receiver == ipc_space_kernel) {
			*mrp = kernel_send(a, kmsg, rcv);
			return true;
		}
	} else if (h->msgh_bits == BITS_REPLY) {
		if (rname != MACH_PORT_NULL) {
			HOT(fall_reply_has_reply_port);
			goto copyin_slow;
		}
		dest = fast_copyin_reply(space, table, tsize, dname);
		if (dest == NULL)
			goto copyin_slow;
		h->msgh_bits = BITS_REPLY_IN;
		h->msgh_remote_port = (mach_port_t)dest;
		if (dest->ip_receiver == ipc_space_kernel) {
			*mrp = kernel_send(a, kmsg, rcv);
			return true;
		}
		re = fast_lookup(table, tsize, a->rcv_name);
		if (re == NULL || !(re->ie_bits & MACH_PORT_TYPE_RECEIVE)) {
			HOT(fall_rcv_name);
			goto send_slow;
		}
		rcv_port = ip_from_object(re->ie_object);
	} else {
		HOT(fall_header_shape);
		goto copyin_slow;
	}

	/* fast_send_receive: the destination's receiver and our receive port */
	if (rcv_port->ip_pset != NULL || !queue_empty(&rcv_port->ip_messages)) {
		HOT(fall_rcv_port_busy);
		goto send_slow;
	}
	if (queue_empty(&dest->ip_rcv_waiters) || dest->ip_pset != NULL || dest->ip_msgcount != 0) {
		HOT(fall_no_receiver);
		goto send_slow;
	}
	thread_t server = qlink_entry(dest->ip_rcv_waiters.next, struct thread, ith_wait_link);
	if (server->state != TH_WAIT) {
		/* its wait was aborted: it is on a run queue and dequeues itself */
		HOT(fall_no_receiver);
		goto send_slow;
	}
	mach_msg_size_t need = send_size + REQUESTED_TRAILER_SIZE(server->ith_option);
	if (need > server->ith_msize) {
		HOT(fall_receiver_too_small);
		goto send_slow;		/* the general send tells it the size */
	}
	/*
	 * ipc_mqueue_deliver_to, inline: the message and its sequence
	 * number.  A server waiting here has its receive finished now
	 * (fast_copyout into its space, the trailer it asked for), so
	 * that when it runs it only copies the words out.
	 */
	queue_remove(&server->ith_wait_link);
	mach_port_seqno_t seqno = dest->ip_seqno++;
	if (server->ith_fast == ITH_FAST_WAIT && fast_copyout(server->task->itk_space, h)) {
		HOT(fast_copyout_ok);
		ikm_trailer_fill((mach_msg_max_trailer_t *)((char *)h + send_size),
				 need - send_size, seqno);
		server->ith_fast = ITH_FAST_READY;
	}
	server->ith_state = MACH_MSG_SUCCESS;
	server->ith_kmsg = kmsg;
	server->ith_seqno = seqno;
	server->ith_msize = need;
	ipc_mqueue_direct_deliveries++;
	if (server->wait_event == NULL && !server->wait_timer_armed)
		clear_wait_handoff_noevent(server, THREAD_AWAKENED);
	else
		clear_wait_handoff(server, THREAD_AWAKENED);
	HOT(handoff);

	/* wait on our (empty) receive port, giving the CPU to the server */
	self->ith_state = MACH_RCV_IN_PROGRESS;
	self->ith_option = option;
	self->ith_msize = a->rcv_size;
	self->ith_kmsg = IKM_NULL;
	self->ith_fast = user_range_ok((uintptr_t)rcv, FAST_RCV_SPAN) ? ITH_FAST_WAIT
								: ITH_FAST_NONE;
	self->ith_rcv_buf = (uintptr_t)rcv;
	enqueue_tail(&rcv_port->ip_rcv_waiters, &self->ith_wait_link);
	assert_wait_noevent(THREAD_INTERRUPTIBLE);
	if (self->state == TH_WAIT) {
		thread_handoff_waiting(self, server);
	} else {
		self->ith_fast = ITH_FAST_NONE;	/* dying: not waiting after all */
		thread_handoff(server);		/* we go on a run queue */
	}
	*mrp = fast_receive(self, rcv, option);
	return true;

copyin_slow:
	*mrp = slow_copyin(a, kmsg, rcv);
	return true;
send_slow:
	*mrp = slow_send(a, kmsg, rcv);
	return true;
}

/*
 * mach_msg_trap_frame: the entry of mach_msg_trap and
 * mach_msg_overwrite_trap, from sysenter_entry (mach_msg through
 * mach_msg_asm, arch/i386/msg_fast.S) and from mach_trap_dispatch.
 * Copies the 7 or 9 argument words in from the user stack, tries the hot
 * path, else the general trap; stores the result in tf->eax.  Interrupts
 * off, no locks; may block.
 */
void mach_msg_trap_frame(struct trapframe *tf)
{
	struct mach_msg_overwrite_trap_args a;
	unsigned words = tf->eax == MACH_TRAP_MACH_MSG ? 7 : 9;

	a.rcv_msg = 0;
	a.scatter_list_size = 0;
	if (copyin_words((const void *)(tf->uesp + 4), &a, words)) {
		tf->eax = KERN_INVALID_ADDRESS;
		return;
	}
	mach_msg_return_t mr;
	if (a.option == MACH_MSG_OPTION_NONE)
		mr = MACH_MSG_SUCCESS;
	else if (!enable_hotpath || !mach_msg_fast(&a, &mr))
		mr = mach_msg_overwrite_trap(&a);
	tf->eax = mr;
}
