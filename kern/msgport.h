/*
 * LWKT message ports: messages passed between kernel threads.
 *
 * The model is DragonFly BSD's lwkt_msgport (2004 design); this is an
 * independent implementation.  A message (struct lwkt_msg) is embedded by a
 * service in its own request structure.  It is always owned by exactly one
 * party:
 *
 *   originator   from lwkt_initmsg until it is sent, and again once it is
 *                DONE and (for an async reply) collected from the reply port;
 *   target       from the send until the target calls lwkt_replymsg (or
 *                lwkt_forwardmsg, which hands ownership to the next target);
 *   reply port   while a reply is on its way back or queued on the reply
 *                port waiting to be collected.
 *
 * Only the owner writes the message, with one exception: an abort.  An
 * abort is started by the originator and "chases" the message: to the port
 * it is queued on, to the port it was forwarded to, or back to the reply
 * port if the target answered in the meantime.  ms_abort_port marks a chase
 * in flight.
 *
 * CPU rule.  Every port belongs to one CPU (mp_cpu).  Every operation that
 * touches a port's queue, or a message sitting at that port, runs on that
 * CPU inside a critical section.  When the CPU is not the current one the
 * operation is shipped there with lwkt_send_remote(), the single cross-CPU
 * seam.  With one CPU (today) the seam is never taken; critical sections
 * stay explicit so the code is right once interrupts or other CPUs can
 * touch a port.
 *
 * Message flags (ms_flags; written only by the current owner, or on the
 * CPU of the port where the message sits):
 *
 *   MSGF_DONE       The originator owns the message: not yet sent, or the
 *                   reply has completed.  Set by lwkt_initmsg and by reply
 *                   completion; cleared when the message is sent.
 *   MSGF_QUEUED     The message is linked on a port queue: the target's (a
 *                   request, or a request requeued by an abort) or the reply
 *                   port's (an async reply not yet collected).
 *   MSGF_ASYNC      Sent by lwkt_sendmsg: the reply is queued on the reply
 *                   port.  Clear for lwkt_domsg: the reply only marks the
 *                   message DONE and wakes the waiter.
 *   MSGF_REPLY1     The target has started to reply.  From here on an abort
 *                   has nothing left to do at the target.
 *   MSGF_REPLY2     The reply has reached the reply port's CPU.  If an abort
 *                   chase is still in flight (ms_abort_port != NULL) the
 *                   reply is held there, not DONE, until the chase arrives,
 *                   so the originator never regains a message that an
 *                   in-flight abort still points to.
 *   MSGF_ABORTED    An abort caught up with the message at a target.  Only
 *                   says an abort was requested and delivered: whether it
 *                   changed the outcome is told by ms_error (LWKT_EINTR by
 *                   convention).
 *   MSGF_ABORTABLE  The originator set ms_abort (lwkt_initmsg_abortable);
 *                   lwkt_abortmsg is a no-op on other messages.
 *   MSGF_RETRIEVED  The current target has taken the message off its queue
 *                   (lwkt_getport/lwkt_waitport) and is working on it.
 *                   Cleared when the message is forwarded.
 *   MSGF_SLEEPER    (ours) A thread sleeps in lwkt_waitmsg on this message;
 *                   completion wakes the event `msg'.
 *
 * Abort command.  ms_abort is a command word, not a separate message: a
 * target working on a message sees the same message a second time with
 * ms_cmd replaced by ms_abort, and replies it once.  One message, one
 * reply, no allocation in the abort path, and the target can match the
 * abort to its request by pointer.  Reinitialise ms_cmd (lwkt_initmsg)
 * before reusing an aborted message.
 *
 * State machine of one round trip (P = target port, R = reply port):
 *
 *   IDLE      DONE                        lwkt_initmsg, or after completion
 *     | lwkt_sendmsg/lwkt_domsg: clear DONE, ms_target_port = P, putport
 *     +--> in place (putport returned != LWKT_EASYNC): back to IDLE, with
 *     |    the error (domsg) or an async reply queued on R (sendmsg)
 *   QUEUED    QUEUED                      on P's queue
 *     | lwkt_getport/lwkt_waitport on P
 *   WORKING   RETRIEVED                   target holds it
 *     | lwkt_forwardmsg(P2): clear RETRIEVED, target = P2 -> QUEUED at P2
 *     | lwkt_replymsg: REPLY1 (dequeue first if an abort requeued it)
 *   REPLYING  REPLY1                      on its way to R's CPU
 *     | arrives on R's CPU: REPLY2; held while a chase is in flight
 *   DONE      DONE [+QUEUED on R if ASYNC, until collected]
 *
 * Abort (lwkt_abortmsg; no-op unless ABORTABLE and not DONE, REPLY1 or
 * ABORTED, and no chase in flight).  The chase goes to ms_target_port (or
 * to R once REPLY1 is set) on that port's CPU and calls its mp_abortport:
 *
 *   QUEUED, not retrieved   the target never saw it: dequeue, set ABORTED,
 *                           reply LWKT_EINTR.  The target never sees it.
 *   WORKING                 set ABORTED, requeue on P: the next getport on
 *                           P returns it again with ms_cmd = ms_abort.  If
 *                           the target replies first, the reply dequeues it
 *                           and the abort is void.
 *   forwarded meanwhile     ms_target_port moved on: chase it there.
 *   REPLY1 set              chase to R: finish a held reply, if any.
 *   held by a custom putport (neither queued nor retrieved): set ABORTED
 *                           only; the holder checks the flag.
 *   replied / DONE          nothing.
 *
 * A message that is ABORTED but not RETRIEVED when a target pulls it
 * (the abort overtook a forward) is completed with LWKT_EINTR right there
 * and never returned.  lwkt_forwardmsg of an ABORTED message replies
 * LWKT_EINTR instead of forwarding.
 *
 * Port kinds:
 *   thread     (lwkt_initport_thread) owned by one thread: only it receives
 *              (getport, waitport(NULL), collecting async replies).
 *   spin       (lwkt_initport_spin) any number of threads may receive and
 *              wait; each queued message wakes one waiter.  DragonFly
 *              guards these with a spinlock; with the CPU rule above the
 *              port's CPU serialises them.
 *   reply-only (lwkt_initport_replyonly) no queue: a reply, sync or async,
 *              just marks the message DONE and wakes its waiter.  Sending a
 *              request to it fails with LWKT_EOPNOTSUPP.
 *   put-only   (lwkt_initport_putonly) no queue: the caller's put function
 *              runs each request in the sender's context; it returns the
 *              result, or LWKT_EASYNC after taking ownership (it must reply
 *              later).  Cannot be a reply port.
 *
 * Waiting: a thread waiting for any message sleeps on the event `port';
 * a thread waiting for one message's reply sleeps on the event `msg'.
 * Nobody sleeps inside a critical section.
 *
 * A port and a message must not be moved or copied once initialised (the
 * queue points into itself), and must stay alive while in use: a message
 * until it is DONE and collected, a port while any message names it.
 *
 * Assumed of <kern/spl.h>: crit_enter/crit_exit nest, and crit_exit never
 * switches threads (a sleep here is assert_wait, crit_exit, thread_block,
 * the way Mach drops a lock between assert_wait and thread_block).
 *
 * SMP notes (not needed today): lwkt_send_remote needs an IPI queue; the
 * flag words are then written from two CPUs in two places (MSGF_SLEEPER by
 * the waiter, and the first hop of lwkt_abortmsg reading the target), so
 * those updates must become atomic; spin ports need their spinlock.
 */
#ifndef _KERN_MSGPORT_H_
#define _KERN_MSGPORT_H_

#include <kern/types.h>

struct thread;
struct lwkt_msg;
struct lwkt_port;
typedef struct lwkt_msg *lwkt_msg_t;
typedef struct lwkt_port *lwkt_port_t;

/* Result codes, errno-style (positive; 0 is success). */
#define LWKT_OK		0
#define LWKT_EINTR	4	/* aborted */
#define LWKT_EINVAL	22	/* unknown command */
#define LWKT_EOPNOTSUPP	45	/* the port does not take requests */
#define LWKT_EASYNC	99	/* putport: the target took the message */

/* Message flags: see the state machine above. */
#define MSGF_DONE	0x0001u
#define MSGF_REPLY1	0x0002u
#define MSGF_QUEUED	0x0004u
#define MSGF_ASYNC	0x0008u
#define MSGF_ABORTED	0x0010u
#define MSGF_REPLY2	0x0040u
#define MSGF_ABORTABLE	0x0080u
#define MSGF_RETRIEVED	0x0100u
#define MSGF_SLEEPER	0x0200u

/* Port flags (mp_flags). */
#define MSGPORTF_WAITING	0x0001u	/* a thread sleeps in waitport(NULL) */
#define MSGPORTF_THREAD		0x0100u	/* kind: thread port */
#define MSGPORTF_SPIN		0x0200u	/* kind: multi-waiter port */
#define MSGPORTF_REPLYONLY	0x0400u	/* kind: reply-only, no queue */
#define MSGPORTF_PUTONLY	0x0800u	/* kind: put-only, no queue */

/* Intrusive FIFO of messages.  Empty: mq_first NULL, mq_lastp &mq_first. */
struct lwkt_msgq {
	struct lwkt_msg *mq_first;
	struct lwkt_msg **mq_lastp;
};

struct lwkt_msg {
	/* Queue linkage; meaningful only while MSGF_QUEUED. */
	struct lwkt_msg *ms_next;
	struct lwkt_msg **ms_prevp;
	lwkt_port_t ms_target_port;	/* current target (set by send/forward) */
	lwkt_port_t ms_reply_port;	/* where the reply goes (originator) */
	lwkt_port_t ms_abort_port;	/* non-NULL while an abort chase is in
					   flight: the port it is heading to */
	int ms_cmd;			/* command; opaque to the port layer */
	int ms_abort;			/* command seen on the abort receipt */
	uint32_t ms_flags;		/* MSGF_* (owner / port CPU) */
	int ms_error;			/* result, set by the reply */
};

struct lwkt_port {
	struct lwkt_msgq mp_msgq;	/* requests and async replies */
	uint32_t mp_flags;		/* MSGPORTF_* (port CPU, crit) */
	int mp_nwaiters;		/* threads in waitport(NULL) */
	struct thread *mp_td;		/* owner of a thread port, else NULL */
	int mp_cpu;			/* the CPU all operations run on */
	/*
	 * Vectors, overridable after init.  All run on the caller's CPU and
	 * ship work to mp_cpu through lwkt_send_remote when it differs.
	 *
	 * mp_putport(port, msg): deliver a request.  On entry the message is
	 *   owned by the port layer, ms_target_port == port, DONE clear.
	 *   Returns LWKT_EASYNC if the port took the message (it will be
	 *   replied exactly once with lwkt_replymsg), or a result if it was
	 *   handled in place (then it must not be replied).
	 * mp_waitport(port, msg): msg NULL: dequeue the next message, sleeping
	 *   until there is one.  msg non-NULL (port == its reply port): sleep
	 *   until msg is DONE, take it off the queue if queued, return it.
	 * mp_replyport(port, msg): called by lwkt_replymsg on the target's CPU
	 *   with port == ms_reply_port; completes the reply.
	 * mp_abortport(port, msg): the abort chase has reached port, on its
	 *   CPU, in a critical section; act on the abort or chase further.
	 *   An override must end the chase (clear ms_abort_port, or call
	 *   lwkt_default_abortport) or replies to the message stay held.
	 */
	int (*mp_putport)(lwkt_port_t, lwkt_msg_t);
	lwkt_msg_t (*mp_waitport)(lwkt_port_t, lwkt_msg_t);
	void (*mp_replyport)(lwkt_port_t, lwkt_msg_t);
	void (*mp_abortport)(lwkt_port_t, lwkt_msg_t);
};

/*
 * The cross-CPU seam.  lwkt_mycpu() is the current CPU (0 today).
 * lwkt_send_remote(cpu, fn, arg) must run fn(arg) on `cpu' inside a
 * critical section, in FIFO order for each (sending CPU, cpu) pair: the
 * abort chase relies on that order to arrive after the put or reply it
 * follows.  SMP fills it in with an IPI queue; with one CPU it is never
 * reached and panics.  The host unit test supplies both (LWKT_HOST_SHIM)
 * to fake remote CPUs.
 */
#ifdef LWKT_HOST_SHIM
int lwkt_mycpu(void);
#else
static inline int lwkt_mycpu(void) { return 0; }
#endif
void lwkt_send_remote(int cpu, void (*fn)(void *), void *arg);

/* Ports */
void lwkt_initport_thread(lwkt_port_t port, struct thread *td);
void lwkt_initport_spin(lwkt_port_t port);
void lwkt_initport_replyonly(lwkt_port_t port);
void lwkt_initport_putonly(lwkt_port_t port,
			   int (*putfn)(lwkt_port_t, lwkt_msg_t));

/* Messages */
void lwkt_initmsg(lwkt_msg_t msg, lwkt_port_t rport, int cmd);
void lwkt_initmsg_abortable(lwkt_msg_t msg, lwkt_port_t rport, int cmd,
			    int abortcmd);
void lwkt_sendmsg(lwkt_port_t port, lwkt_msg_t msg);
int lwkt_domsg(lwkt_port_t port, lwkt_msg_t msg);
int lwkt_beginmsg(lwkt_port_t port, lwkt_msg_t msg);
void lwkt_replymsg(lwkt_msg_t msg, int error);
int lwkt_forwardmsg(lwkt_port_t port, lwkt_msg_t msg);
lwkt_msg_t lwkt_getport(lwkt_port_t port);
lwkt_msg_t lwkt_waitport(lwkt_port_t port, lwkt_msg_t msg);
int lwkt_waitmsg(lwkt_msg_t msg);
void lwkt_abortmsg(lwkt_msg_t msg);

/* Default vectors, for ports that override only some of them. */
int lwkt_default_putport(lwkt_port_t port, lwkt_msg_t msg);
lwkt_msg_t lwkt_default_waitport(lwkt_port_t port, lwkt_msg_t msg);
void lwkt_default_replyport(lwkt_port_t port, lwkt_msg_t msg);
void lwkt_default_abortport(lwkt_port_t port, lwkt_msg_t msg);

/* Non-zero once msg is DONE (its reply may still need collecting). */
static inline int lwkt_checkmsg(lwkt_msg_t msg)
{
	return (msg->ms_flags & MSGF_DONE) != 0;
}

/* Head of a port's queue without dequeuing (port CPU); for tests/debug. */
static inline lwkt_msg_t lwkt_port_peek(lwkt_port_t port)
{
	return port->mp_msgq.mq_first;
}

/* Print a message's or port's state on the console (debugging). */
void lwkt_msg_print(lwkt_msg_t msg);
void lwkt_port_print(lwkt_port_t port);

/*
 * Benchmark (kern/msgport_bench.c): average rdtsc delta of one lwkt_domsg
 * round trip to a server thread, over iters trips after a warm-up.
 */
uint32_t lwkt_bench_domsg_rt(unsigned iters);

#endif
