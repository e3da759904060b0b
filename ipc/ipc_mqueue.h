/*
 * Message queues: how messages move from senders to receivers.
 *
 * A message for a port goes straight to a thread already waiting to
 * receive on the port (or on its set); otherwise it is queued on the
 * port.  A full queue (ip_msgcount >= ip_qlimit) blocks the sender,
 * except for send-once destinations and kernel sends (send-always).
 *
 * Blocking points: ipc_mqueue_send (full queue) and ipc_mqueue_receive
 * (empty queue) are the only places IPC gives up the CPU.  Everything
 * else runs to completion with interrupts off.
 */
#ifndef _IPC_IPC_MQUEUE_H_
#define _IPC_IPC_MQUEUE_H_

#include <ipc/ipc_object.h>
#include <kern/queue.h>

struct ipc_port;
struct ipc_pset;
struct ipc_kmsg;
struct thread;

/* Internal option: a kernel send that ignores the queue limit. */
#define MACH_SEND_ALWAYS_INTERNAL	0x00010000

/*
 * ipc_mqueue_send: deliver kmsg to its destination port.  Returns
 * MACH_MSG_SUCCESS (kmsg consumed), MACH_SEND_TIMED_OUT,
 * MACH_SEND_INTERRUPTED or MACH_SEND_INVALID_DEST (the port died; kmsg
 * still the caller's).
 */
mach_msg_return_t ipc_mqueue_send(struct ipc_kmsg *kmsg, mach_msg_option_t option,
				  mach_msg_timeout_t timeout);
/*
 * ipc_mqueue_receive: take a message from a port or set.  On
 * MACH_MSG_SUCCESS the message and its sequence number are returned.
 * MACH_RCV_LARGE the message stays queued and *sizep says how big it
 * is; without, *kmsgp is the message for the caller to destroy.  Other
 * results: MACH_RCV_TIMED_OUT, MACH_RCV_INTERRUPTED, MACH_RCV_PORT_DIED,
 * MACH_RCV_PORT_CHANGED.  Holds a reference on object while blocked.
 * With `handoff` (a thread made ready with clear_wait_handoff), the CPU
 * goes straight to that thread instead of through the scheduler.
 */
mach_msg_return_t ipc_mqueue_receive(ipc_object_t object, mach_msg_option_t option,
				     mach_msg_size_t max_size, mach_msg_timeout_t timeout,
				     struct thread *handoff, struct ipc_kmsg **kmsgp,
				     mach_port_seqno_t *seqnop, mach_msg_size_t *sizep);
/* Wake every receiver on the list with result (they return it). */
void ipc_mqueue_wake_receivers(struct qlink *waiters, mach_msg_return_t result);
/* Wake every sender blocked on port (they retry). */
void ipc_mqueue_wake_senders(struct ipc_port *port);
/* A port with queued messages joined set: feed waiting set receivers. */
void ipc_mqueue_feed_set(struct ipc_pset *set, struct ipc_port *port);
/* The first thread waiting to receive on port or its set, or NULL. */
struct thread *ipc_mqueue_first_receiver(struct ipc_port *port);
/* Hand kmsg to a waiting receiver without waking it (hot path). */
mach_msg_return_t ipc_mqueue_deliver_to(struct thread *receiver, struct ipc_port *port,
					struct ipc_kmsg *kmsg);
/* Set a port's queue limit, waking senders it now admits. */
void ipc_mqueue_set_qlimit(struct ipc_port *port, mach_port_msgcount_t qlimit);

extern unsigned long ipc_mqueue_direct_deliveries;
/*
 * Messages whose senders are blocked in ipc_mqueue_send on a full queue,
 * linked by ikm_link while they wait (it is free then): they carry rights
 * in transit that no port queue shows.  For the IPC auditor.
 */
extern struct qlink ipc_mqueue_blocked_kmsgs;

#endif
