/*
 * Ports.
 *
 * A port is active until its receive right is destroyed.  Its receive
 * right is held by exactly one of: a space (ip_receiver, named
 * ip_receiver_name there), the kernel (ip_receiver == ipc_space_kernel,
 * for kernel objects, or ipc_space_reply, for reply ports the kernel
 * waits on), or a message in transit (ip_receiver == NULL and
 * ip_destination = the port that message is queued on).
 *
 * ip_srights / ip_sorights count the send and send-once rights that
 * exist anywhere: one per entry holding the right (whatever its urefs)
 * and one per right carried in a message.  When ip_srights drops to 0
 * a no-senders request fires; when a send-once right dies unused a
 * send-once notification goes out.
 *
 * Messages queue on ip_messages (at most ip_qlimit, except send-once
 * and kernel messages); receivers wait on ip_rcv_waiters (or on the
 * set's list when the port is in a set); blocked senders on ip_snd_waiters.
 */
#ifndef _IPC_IPC_PORT_H_
#define _IPC_IPC_PORT_H_

#include <ipc/ipc_object.h>
#include <kern/queue.h>

struct ipc_dnrequest;

struct ipc_port {
	struct ipc_object ip_object;
	unsigned ip_id;			/* for printing */
	struct ipc_space *ip_receiver;
	mach_port_name_t ip_receiver_name;
	struct ipc_port *ip_destination;	/* while the receive right is in transit */

	natural_t ip_srights;
	natural_t ip_sorights;
	mach_port_mscount_t ip_mscount;
	mach_port_seqno_t ip_seqno;
	mach_port_msgcount_t ip_qlimit;
	mach_port_msgcount_t ip_msgcount;

	struct qlink ip_messages;	/* struct ipc_kmsg.ikm_link */
	struct qlink ip_rcv_waiters;	/* struct thread.ith_wait_link */
	struct qlink ip_snd_waiters;	/* struct thread.ith_send_link */

	struct ipc_pset *ip_pset;	/* the set it is in, or NULL */
	struct qlink ip_pset_link;

	unsigned ip_kotype;		/* IKOT_* */
	void *ip_kobject;

	struct ipc_port *ip_nsrequest;	/* send-once right for no-senders */
	mach_port_mscount_t ip_nsmscount;	/* make-send count asked about */
	struct ipc_port *ip_pdrequest;	/* send-once right for port-destroyed */
	struct qlink ip_dnrequests;	/* struct ipc_dnrequest */

	struct qlink ip_all_link;	/* all_ports */
};
typedef struct ipc_port *ipc_port_t;

#define IP_NULL		((ipc_port_t)0)
#define IP_DEAD		((ipc_port_t)~0u)
#define IP_VALID(p)	((p) != IP_NULL && (p) != IP_DEAD)
#define ip_active(p)	((p)->ip_object.io_active)
#define ip_to_object(p)	(&(p)->ip_object)
#define ip_from_object(o) ((ipc_port_t)(o))

_Static_assert(offsetof(struct ipc_port, ip_object) == 0, "object header first");

extern struct qlink all_ports;
extern unsigned ipc_ports_alive;

void ipc_port_init_zone(void);
/* ipc_port_alloc: a new port whose receive right goes into space as a new
 * name (*namep); KERN_NO_SPACE / KERN_RESOURCE_SHORTAGE on failure. */
kern_return_t ipc_port_alloc(struct ipc_space *space, mach_port_name_t *namep, ipc_port_t *portp);
/* ipc_port_alloc_kernel: a port whose receive right the kernel holds
 * (receiver = kspace); one reference for the caller. */
ipc_port_t ipc_port_alloc_kernel(struct ipc_space *kspace);
/* ipc_port_alloc_name: as ipc_port_alloc, at a chosen free name. */
kern_return_t ipc_port_alloc_name(struct ipc_space *space, mach_port_name_t name, ipc_port_t *portp);
/* Destroy the receive right: dequeue and destroy messages, wake waiters,
 * fire notifications.  Consumes the receive right's reference. */
void ipc_port_destroy(ipc_port_t port);

static inline void ip_reference(ipc_port_t p) { io_reference(&p->ip_object); }
static inline void ip_release(ipc_port_t p) { io_release(&p->ip_object); }

/* Right bookkeeping (all take/give one object reference). */
ipc_port_t ipc_port_make_send(ipc_port_t port);	/* from the receive right */
ipc_port_t ipc_port_copy_send(ipc_port_t port);	/* another send right */
ipc_port_t ipc_port_make_sonce(ipc_port_t port);
void ipc_port_release_send(ipc_port_t port);
void ipc_port_release_sonce(ipc_port_t port);
void ipc_port_release_receive(ipc_port_t port);	/* in-transit receive right */

/* Is moving port's receive right into a message to dest circular? */
bool ipc_port_check_circularity(ipc_port_t port, ipc_port_t dest);
/* Receive-right transit bookkeeping. */
void ipc_port_set_in_transit(ipc_port_t port, ipc_port_t dest);
void ipc_port_clear_receiver(ipc_port_t port);

void ipc_port_print(ipc_port_t port);
void ipc_port_free(ipc_port_t port);

#endif
