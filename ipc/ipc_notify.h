/*
 * Kernel-generated notifications (<mach/notify.h>).
 *
 * Each is built from a template into a kmsg addressed to a send-once
 * right the requester supplied, and queued with send-always semantics:
 * it never blocks and ignores the queue limit.
 *
 *   port-deleted    the name of a right the request was registered on went away
 *   port-destroyed  a receive right with a pd request comes back to the requester
 *   no-senders      the last send right to a port went away (mscount semantics)
 *   send-once       a send-once right was destroyed unused
 *   dead-name       a port the requester holds a send right to died
 */
#ifndef _IPC_IPC_NOTIFY_H_
#define _IPC_IPC_NOTIFY_H_

#include <ipc/ipc_object.h>

struct ipc_port;
struct ipc_space;

/* A send-once right dies unused: notify its port's receiver.  Consumes it. */
void ipc_notify_send_once(struct ipc_port *port);
/* ip_srights just reached 0: fire the no-senders request if armed. */
void ipc_notify_no_senders_check(struct ipc_port *port);
void ipc_notify_no_senders(struct ipc_port *notify, mach_port_mscount_t mscount);
void ipc_notify_port_deleted(struct ipc_port *notify, mach_port_name_t name);
/* Sends the receive right of `port` (in transit) to notify. */
void ipc_notify_port_destroyed(struct ipc_port *notify, struct ipc_port *port);
void ipc_notify_dead_name(struct ipc_port *notify, mach_port_name_t name);

/*
 * Dead-name requests, kept on the port: (space, name, send-once right).
 * A request fires when the port dies; it is cancelled (port-deleted
 * notification) when the name stops denoting the right.
 */
kern_return_t ipc_dnrequest_add(struct ipc_port *port, struct ipc_space *space,
				mach_port_name_t name, struct ipc_port *notify,
				struct ipc_port **previousp);
/* Cancel the request for (space, name): sends port-deleted. */
void ipc_dnrequest_cancel(struct ipc_port *port, struct ipc_space *space, mach_port_name_t name);
/* The port is dying: every request fires a dead-name notification. */
void ipc_dnrequest_fire_all(struct ipc_port *port);
/*
 * ipc_dnrequest_foreach: call fn(space, name, notify, arg) for each armed
 * dead-name request of port (notify is its send-once right).  For the
 * IPC auditor (ipc/ipc_audit.c); fn must not change the request list.
 */
void ipc_dnrequest_foreach(struct ipc_port *port,
			   void (*fn)(struct ipc_space *space, mach_port_name_t name,
				      struct ipc_port *notify, void *arg),
			   void *arg);

extern unsigned long ipc_notify_sent[8];	/* by kind, for statistics */

#endif
