/*
 * LWKT message ports.  The states, flags and the abort chase are described
 * in msgport.h; this file follows those rules.
 *
 * Locking: the kernel is uniprocessor and non-preemptible, and the port
 * rule (every port operation on the port's CPU) means the only thing that
 * could interleave with a port operation is an interrupt or, later, a
 * remote-CPU delivery.  Each operation on a queue or on a message's flags
 * therefore runs in a critical section; the section is always dropped
 * before sleeping (assert_wait, crit_exit, thread_block: a wakeup after
 * assert_wait makes thread_block return at once).
 */
#include <kern/types.h>
#include <kern/msgport.h>
#include <kern/thread.h>
#include <kern/sched_prim.h>
#include <kern/spl.h>
#include <kern/assert.h>
#include <kern/printf.h>

/* ---------------------------------------------------------------- queue */

static inline void msgq_init(struct lwkt_msgq *q)
{
	q->mq_first = NULL;
	q->mq_lastp = &q->mq_first;
}

static inline void msgq_append(struct lwkt_msgq *q, lwkt_msg_t msg)
{
	msg->ms_next = NULL;
	msg->ms_prevp = q->mq_lastp;
	*q->mq_lastp = msg;
	q->mq_lastp = &msg->ms_next;
}

static inline void msgq_unlink(struct lwkt_msgq *q, lwkt_msg_t msg)
{
	*msg->ms_prevp = msg->ms_next;
	if (msg->ms_next != NULL)
		msg->ms_next->ms_prevp = msg->ms_prevp;
	else
		q->mq_lastp = msg->ms_prevp;
	msg->ms_next = NULL;
	msg->ms_prevp = NULL;
}

/* ---------------------------------------------------------------- helpers */

static inline bool port_is_local(lwkt_port_t port)
{
	return port->mp_cpu == lwkt_mycpu();
}

static inline bool port_has_queue(lwkt_port_t port)
{
	return (port->mp_flags & (MSGPORTF_REPLYONLY | MSGPORTF_PUTONLY)) == 0;
}

/* A thread port is received from only by its owner. */
static inline void port_assert_receiver(lwkt_port_t port)
{
	assert(port_has_queue(port));
	if (port->mp_flags & MSGPORTF_THREAD)
		assert(port->mp_td == current_thread());
}

/* Wake whoever waits for a message on port.  Port CPU, crit held. */
static void port_wake(lwkt_port_t port)
{
	if ((port->mp_flags & MSGPORTF_WAITING) == 0)
		return;
	if (port->mp_flags & MSGPORTF_SPIN)
		thread_wakeup_one((event_t)port);
	else
		thread_wakeup((event_t)port);
}

/* Queue msg on port and wake a receiver.  Port CPU, crit held. */
static void port_enqueue(lwkt_port_t port, lwkt_msg_t msg)
{
	msg->ms_flags |= MSGF_QUEUED;
	msgq_append(&port->mp_msgq, msg);
	port_wake(port);
}

/* Take msg off port's queue.  Port CPU, crit held, msg QUEUED on port. */
static void port_dequeue(lwkt_port_t port, lwkt_msg_t msg)
{
	assert(msg->ms_flags & MSGF_QUEUED);
	msgq_unlink(&port->mp_msgq, msg);
	msg->ms_flags &= ~MSGF_QUEUED;
}

/*
 * Take the head of port's queue and classify it.  Returns the message to
 * hand to the receiver, or NULL if the head was consumed here (an abort
 * that overtook the message before this target ever saw it: completed with
 * LWKT_EINTR).  Port CPU, crit held, queue not empty.
 */
static lwkt_msg_t port_pull_head(lwkt_port_t port)
{
	lwkt_msg_t msg = port->mp_msgq.mq_first;

	port_dequeue(port, msg);
	if (msg->ms_flags & MSGF_DONE)
		return msg;			/* an async reply coming home */
	if ((msg->ms_flags & MSGF_ABORTED) == 0) {
		msg->ms_flags |= MSGF_RETRIEVED;	/* first receipt */
		return msg;
	}
	if (msg->ms_flags & MSGF_RETRIEVED) {
		msg->ms_cmd = msg->ms_abort;	/* second receipt: the abort */
		return msg;
	}
	lwkt_replymsg(msg, LWKT_EINTR);
	return NULL;
}

/* Sleep on ev.  Called inside exactly one crit level; returns inside it. */
static void crit_sleep(event_t ev)
{
	assert_wait(ev, THREAD_UNINT);
	crit_exit();
	(void)thread_block();
	crit_enter();
}

/* ---------------------------------------------------------------- ports */

static void port_init_common(lwkt_port_t port, struct thread *td,
			     uint32_t kind)
{
	msgq_init(&port->mp_msgq);
	port->mp_flags = kind;
	port->mp_nwaiters = 0;
	port->mp_td = td;
	port->mp_cpu = lwkt_mycpu();
	port->mp_putport = lwkt_default_putport;
	port->mp_waitport = lwkt_default_waitport;
	port->mp_replyport = lwkt_default_replyport;
	port->mp_abortport = lwkt_default_abortport;
}

/*
 * lwkt_initport_thread: make port a thread port owned by td: only td
 * receives from it.  The port belongs to the current CPU.  No locks.
 */
void lwkt_initport_thread(lwkt_port_t port, struct thread *td)
{
	assert(td != NULL);
	port_init_common(port, td, MSGPORTF_THREAD);
}

/*
 * lwkt_initport_spin: make port a multi-waiter port: any thread may
 * receive from it, several may sleep in lwkt_waitport(port, NULL) and each
 * queued message wakes one of them.  No locks.
 */
void lwkt_initport_spin(lwkt_port_t port)
{
	port_init_common(port, NULL, MSGPORTF_SPIN);
}

static int replyonly_putport(lwkt_port_t port __unused, lwkt_msg_t msg __unused)
{
	return LWKT_EOPNOTSUPP;
}

/*
 * lwkt_initport_replyonly: make port a reply-only port (no queue).  Replies
 * to it, sync or async, mark the message DONE and wake the thread waiting
 * in lwkt_waitmsg; requests sent to it complete with LWKT_EOPNOTSUPP.
 * Any thread may wait for its own message's reply.  No locks.
 */
void lwkt_initport_replyonly(lwkt_port_t port)
{
	port_init_common(port, NULL, MSGPORTF_REPLYONLY);
	port->mp_putport = replyonly_putport;
}

static void putonly_replyport(lwkt_port_t port __unused, lwkt_msg_t msg)
{
	panic("lwkt: reply of msg %p to a put-only port", (void *)msg);
}

/*
 * lwkt_initport_putonly: make port a put-only port: requests are passed to
 * putfn in the sender's context (it may block if the sender may).  putfn
 * returns the result of a request handled in place, or LWKT_EASYNC after
 * taking the message, which it must later reply with lwkt_replymsg.  An
 * abort of a taken message sets MSGF_ABORTED for putfn's side to notice.
 * The port has no queue and cannot be a reply port.  No locks.
 */
void lwkt_initport_putonly(lwkt_port_t port,
			   int (*putfn)(lwkt_port_t, lwkt_msg_t))
{
	assert(putfn != NULL);
	port_init_common(port, NULL, MSGPORTF_PUTONLY);
	port->mp_putport = putfn;
	port->mp_replyport = putonly_replyport;
}

/* ---------------------------------------------------------------- messages */

/*
 * lwkt_initmsg: prepare msg for sending with replies to rport and command
 * cmd.  The message starts DONE (owned by its originator) and not
 * abortable.  msg must not be in flight.  No locks.
 */
void lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t rport, int cmd)
{
	msg->ms_next = NULL;
	msg->ms_prevp = NULL;
	msg->ms_target_port = NULL;
	msg->ms_reply_port = rport;
	msg->ms_abort_port = NULL;
	msg->ms_cmd = cmd;
	msg->ms_abort = 0;
	msg->ms_flags = MSGF_DONE;
	msg->ms_error = 0;
}

/*
 * lwkt_initmsg_abortable: as lwkt_initmsg, and allow lwkt_abortmsg: a
 * target already working on the message sees it again with ms_cmd set to
 * abortcmd.  No locks.
 */
void lwkt_initmsg_abortable(lwkt_msg_t msg, lwkt_port_t rport, int cmd,
			    int abortcmd)
{
	lwkt_initmsg(msg, rport, cmd);
	msg->ms_abort = abortcmd;
	msg->ms_flags |= MSGF_ABORTABLE;
}

/* Reset the per-trip flags of an idle message before a send. */
static void msg_prepare(lwkt_msg_t msg, uint32_t async)
{
	assert(msg->ms_reply_port != NULL);
	assert((msg->ms_flags & (MSGF_DONE | MSGF_QUEUED)) == MSGF_DONE);
	assert(msg->ms_abort_port == NULL);
	msg->ms_flags &= ~(MSGF_ASYNC | MSGF_REPLY1 | MSGF_REPLY2 |
			   MSGF_ABORTED | MSGF_RETRIEVED | MSGF_SLEEPER);
	msg->ms_flags |= async;
}

/*
 * lwkt_beginmsg: hand a prepared message to port: set ms_target_port,
 * clear DONE and call port->mp_putport.  Used by lwkt_sendmsg and
 * lwkt_domsg, which prepare the flags.  Returns LWKT_EASYNC if the target
 * took the message (it will be replied), otherwise the in-place result;
 * then the message is back in the caller's hands, not DONE, and the caller
 * must complete it (lwkt_replymsg, or as lwkt_domsg does).  No locks held.
 */
int lwkt_beginmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	crit_enter();
	msg->ms_target_port = port;
	msg->ms_flags &= ~MSGF_DONE;
	crit_exit();
	return port->mp_putport(port, msg);
}

/*
 * lwkt_sendmsg: send msg to port asynchronously.  The reply is queued on
 * msg's reply port (or, for a reply-only port, just marks it DONE), also
 * when the target handles the message in place.  msg must be idle (DONE,
 * not queued); after the call it belongs to the target until replied.
 * lwkt_abortmsg may be used once this returns.  No locks held.
 */
void lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	msg_prepare(msg, MSGF_ASYNC);
	error = lwkt_beginmsg(port, msg);
	if (error != LWKT_EASYNC)
		lwkt_replymsg(msg, error);
}

/*
 * lwkt_domsg: send msg to port and wait for the result.  If the target
 * handles it in place no sleeping happens; otherwise sleeps until the
 * reply marks it DONE.  msg must be idle; it is idle again on return.
 * Must be called from a thread that may block.  No locks held.
 * Returns the result (ms_error).
 */
int lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg)
{
	int error;

	msg_prepare(msg, 0);
	error = lwkt_beginmsg(port, msg);
	if (error == LWKT_EASYNC)
		return lwkt_waitmsg(msg);
	crit_enter();
	msg->ms_error = error;
	msg->ms_flags |= MSGF_DONE;
	crit_exit();
	return error;
}

/*
 * lwkt_default_putport: queue msg on port (on the port's CPU) and wake a
 * receiver.  On entry the message is being sent (ms_target_port == port,
 * not DONE).  QUEUED is set before the message is shipped, so a later
 * abort finds it claimed.  Returns LWKT_EASYNC.  No locks held.
 */
static void putport_remote(void *arg)
{
	lwkt_msg_t msg = arg;

	port_enqueue(msg->ms_target_port, msg);
}

int lwkt_default_putport(lwkt_port_t port, lwkt_msg_t msg)
{
	assert(port_has_queue(port));
	crit_enter();
	if (port_is_local(port)) {
		port_enqueue(port, msg);
	} else {
		msg->ms_flags |= MSGF_QUEUED;
		lwkt_send_remote(port->mp_cpu, putport_remote, msg);
	}
	crit_exit();
	return LWKT_EASYNC;
}

/*
 * lwkt_forwardmsg: pass a message the caller received (and owns as its
 * target) on to port, which becomes the new target.  If an abort has
 * reached the message, it is replied LWKT_EINTR instead.  Returns
 * LWKT_EASYNC if port took it; otherwise the message has been replied
 * with the returned result.  Runs on the current target's CPU; no locks.
 */
int lwkt_forwardmsg(lwkt_port_t port, lwkt_msg_t msg)
{
	lwkt_port_t cur = msg->ms_target_port;
	int error;

	crit_enter();
	assert((msg->ms_flags & (MSGF_DONE | MSGF_REPLY1)) == 0);
	assert(port_is_local(cur));
	if (msg->ms_flags & MSGF_QUEUED) {
		/* The abort receipt is still on our queue: take it back. */
		assert(msg->ms_flags & MSGF_ABORTED);
		port_dequeue(cur, msg);
	}
	if (msg->ms_flags & MSGF_ABORTED) {
		crit_exit();
		lwkt_replymsg(msg, LWKT_EINTR);
		return LWKT_EINTR;
	}
	msg->ms_flags &= ~MSGF_RETRIEVED;
	msg->ms_target_port = port;
	crit_exit();
	error = port->mp_putport(port, msg);
	if (error != LWKT_EASYNC)
		lwkt_replymsg(msg, error);
	return error;
}

/*
 * lwkt_getport: dequeue the next message from port without sleeping.
 * A request comes back RETRIEVED; one that an abort requeued comes back a
 * second time with ms_cmd == ms_abort; async replies come back DONE.
 * The caller must be a receiver of port (its owner for a thread port), on
 * the port's CPU.  Returns the message, or NULL if there is none.
 */
lwkt_msg_t lwkt_getport(lwkt_port_t port)
{
	lwkt_msg_t msg = NULL;

	port_assert_receiver(port);
	crit_enter();
	assert(port_is_local(port));
	while (msg == NULL && port->mp_msgq.mq_first != NULL)
		msg = port_pull_head(port);
	crit_exit();
	return msg;
}

/*
 * lwkt_default_waitport: with msg NULL, dequeue the next message from
 * port as lwkt_getport does, sleeping until there is one (never returns
 * NULL); the caller must be a receiver of port.  With msg non-NULL (port
 * must be msg's reply port, one waiter per message), sleep until msg is
 * DONE, take it off port's queue if the reply was queued there, and
 * return it, idle.  Runs on the port's CPU; no locks held; may block.
 */
lwkt_msg_t lwkt_default_waitport(lwkt_port_t port, lwkt_msg_t msg)
{
	crit_enter();
	assert(port_is_local(port));
	if (msg == NULL) {
		port_assert_receiver(port);
		while (msg == NULL) {
			if (port->mp_msgq.mq_first != NULL) {
				msg = port_pull_head(port);
				continue;
			}
			port->mp_nwaiters++;
			port->mp_flags |= MSGPORTF_WAITING;
			crit_sleep((event_t)port);
			if (--port->mp_nwaiters == 0)
				port->mp_flags &= ~MSGPORTF_WAITING;
		}
	} else {
		assert(msg->ms_reply_port == port);
		while ((msg->ms_flags & MSGF_DONE) == 0) {
			msg->ms_flags |= MSGF_SLEEPER;
			crit_sleep((event_t)msg);
		}
		msg->ms_flags &= ~MSGF_SLEEPER;
		if (msg->ms_flags & MSGF_QUEUED) {
			port_assert_receiver(port);
			port_dequeue(port, msg);
		}
	}
	crit_exit();
	return msg;
}

/*
 * lwkt_waitport: the port's mp_waitport vector; see
 * lwkt_default_waitport.  May block.  Returns a message, never NULL.
 */
lwkt_msg_t lwkt_waitport(lwkt_port_t port, lwkt_msg_t msg)
{
	return port->mp_waitport(port, msg);
}

/*
 * lwkt_waitmsg: wait for msg's reply on its reply port and collect it.
 * The caller is msg's originator and may block.  On return msg is idle.
 * Returns ms_error.
 */
int lwkt_waitmsg(lwkt_msg_t msg)
{
	lwkt_port_t port = msg->ms_reply_port;

	return port->mp_waitport(port, msg)->ms_error;
}

/* ---------------------------------------------------------------- replies */

/*
 * lwkt_replymsg: the target's answer: store error in ms_error and return
 * msg to its reply port through the port's mp_replyport.  The caller must
 * be msg's current target (it received or took the message and has not
 * replied yet), on the target's CPU.  Afterwards the message belongs to
 * the originator again.  No locks held.
 */
void lwkt_replymsg(lwkt_msg_t msg, int error)
{
	lwkt_port_t port = msg->ms_reply_port;

	assert((msg->ms_flags & (MSGF_DONE | MSGF_REPLY1)) == 0);
	msg->ms_error = error;
	port->mp_replyport(port, msg);
}

/*
 * Make a reply final on the reply port: DONE, queued on port if async and
 * the port has a queue, and wake the port's receiver and the thread
 * sleeping on msg.  Reply port's CPU, crit held.
 */
static void reply_complete(lwkt_port_t port, lwkt_msg_t msg)
{
	if ((msg->ms_flags & MSGF_ASYNC) && port_has_queue(port)) {
		msg->ms_flags |= MSGF_DONE;
		port_enqueue(port, msg);
	} else {
		msg->ms_flags |= MSGF_DONE;
	}
	if (msg->ms_flags & MSGF_SLEEPER)
		thread_wakeup((event_t)msg);
}

/*
 * The reply has reached the reply port's CPU.  Hold it while an abort
 * chase is still out: the chase completes it when it gets here.
 */
static void reply_arrive(lwkt_port_t port, lwkt_msg_t msg)
{
	msg->ms_flags |= MSGF_REPLY2;
	if (msg->ms_abort_port != NULL)
		return;
	reply_complete(port, msg);
}

static void reply_remote(void *arg)
{
	lwkt_msg_t msg = arg;

	reply_arrive(msg->ms_reply_port, msg);
}

/*
 * lwkt_default_replyport: reply vector of thread, spin and reply-only
 * ports.  On the target's CPU: mark REPLY1 and, if an abort requeued the
 * message on the target, take it back.  Then, on port's CPU: REPLY2 and
 * completion (reply_complete), unless an abort chase is in flight.
 * Called by lwkt_replymsg; no locks held.
 */
void lwkt_default_replyport(lwkt_port_t port, lwkt_msg_t msg)
{
	crit_enter();
	msg->ms_flags |= MSGF_REPLY1;
	if (msg->ms_flags & MSGF_QUEUED) {
		assert(msg->ms_flags & MSGF_ABORTED);
		assert(port_is_local(msg->ms_target_port));
		port_dequeue(msg->ms_target_port, msg);
	}
	if (port_is_local(port))
		reply_arrive(port, msg);
	else
		lwkt_send_remote(port->mp_cpu, reply_remote, msg);
	crit_exit();
}

/* ---------------------------------------------------------------- aborts */

/*
 * One hop of the abort chase: find where the message is now (its target,
 * or its reply port once the target has started replying) and run that
 * port's mp_abortport there, shipping the hop to the port's CPU if need
 * be.  Every arrival recomputes the position, because the message may
 * have been forwarded or replied while the hop was in flight.  Any CPU,
 * crit held.
 */
static void abort_remote(void *arg);

static void abort_chase(lwkt_msg_t msg)
{
	lwkt_port_t port;

	port = (msg->ms_flags & MSGF_REPLY1) ? msg->ms_reply_port
					     : msg->ms_target_port;
	msg->ms_abort_port = port;
	if (port_is_local(port))
		port->mp_abortport(port, msg);
	else
		lwkt_send_remote(port->mp_cpu, abort_remote, msg);
}

static void abort_remote(void *arg)
{
	abort_chase(arg);
}

/*
 * lwkt_abortmsg: ask for msg to be cut short.  A no-op unless msg is
 * abortable and still in flight with no abort requested yet; otherwise the
 * chase described in msgport.h runs (or, across CPUs, is started).  Either
 * way the message is still completed by exactly one reply, which the
 * caller waits for as usual.  Called by the originator; no locks held.
 */
void lwkt_abortmsg(lwkt_msg_t msg)
{
	crit_enter();
	if ((msg->ms_flags & (MSGF_ABORTABLE | MSGF_DONE | MSGF_REPLY1 |
			      MSGF_ABORTED)) == MSGF_ABORTABLE &&
	    msg->ms_abort_port == NULL)
		abort_chase(msg);
	crit_exit();
}

/*
 * lwkt_default_abortport: the abort chase has reached port, where the
 * message now is: its target, or (REPLY1 set) its reply port.  On port's
 * CPU, crit held (called from abort_chase, which recomputes the position
 * on every hop, so a forwarded message is followed).  At the reply port,
 * end the chase and release a held reply.  At the target: a queued,
 * unseen message is dequeued and replied LWKT_EINTR; one the target is
 * working on is requeued so the target sees ms_abort; one held elsewhere
 * (custom putport) is only marked ABORTED.
 */
void lwkt_default_abortport(lwkt_port_t port, lwkt_msg_t msg)
{
	uint32_t f = msg->ms_flags;

	if (f & MSGF_REPLY1) {
		assert(port == msg->ms_reply_port);
		msg->ms_abort_port = NULL;
		if ((f & (MSGF_REPLY2 | MSGF_DONE)) == MSGF_REPLY2)
			reply_complete(port, msg);
		return;
	}
	assert(port == msg->ms_target_port);
	msg->ms_abort_port = NULL;
	msg->ms_flags |= MSGF_ABORTED;
	if (f & MSGF_QUEUED) {
		assert((f & MSGF_RETRIEVED) == 0);
		port_dequeue(port, msg);
		lwkt_replymsg(msg, LWKT_EINTR);
	} else if (f & MSGF_RETRIEVED) {
		port_enqueue(port, msg);
	}
}

/* ---------------------------------------------------------------- seam */

#ifndef LWKT_HOST_SHIM
/*
 * lwkt_send_remote: run fn(arg) on cpu in a critical section, FIFO per
 * CPU pair.  SMP fills this in (an IPI message queue per CPU).  With one
 * CPU every port is local, so reaching this is a bug.  Never returns.
 */
void lwkt_send_remote(int cpu, void (*fn)(void *), void *arg)
{
	(void)fn;
	(void)arg;
	panic("lwkt_send_remote: cpu %d from cpu %d, but there is one cpu",
	      cpu, lwkt_mycpu());
}
#endif

/* ---------------------------------------------------------------- debug */

/* lwkt_msg_print: one line describing msg.  Any context. */
void lwkt_msg_print(lwkt_msg_t msg)
{
	printf("lwkt_msg %p cmd %d abort %d flags 0x%x error %d target %p "
	       "reply %p chase %p\n", (void *)msg, msg->ms_cmd, msg->ms_abort,
	       (unsigned)msg->ms_flags, msg->ms_error,
	       (void *)msg->ms_target_port, (void *)msg->ms_reply_port,
	       (void *)msg->ms_abort_port);
}

/* lwkt_port_print: the port and its queued messages.  Port CPU. */
void lwkt_port_print(lwkt_port_t port)
{
	lwkt_msg_t msg;

	printf("lwkt_port %p flags 0x%x waiters %d owner %p cpu %d\n",
	       (void *)port, (unsigned)port->mp_flags, port->mp_nwaiters,
	       (void *)port->mp_td, port->mp_cpu);
	crit_enter();
	for (msg = port->mp_msgq.mq_first; msg != NULL; msg = msg->ms_next) {
		printf("  ");
		lwkt_msg_print(msg);
	}
	crit_exit();
}
