/*
 * Port sets.  A set has no messages of its own: receiving on it takes a
 * message from any member port.  Receivers waiting on the set queue on
 * ips_rcv_waiters; a message arriving at a member with no receivers of
 * its own goes to them.  Membership is symmetric: port->ip_pset == set
 * iff the port is on set->ips_members.
 */
#ifndef _IPC_IPC_PSET_H_
#define _IPC_IPC_PSET_H_

#include <ipc/ipc_object.h>
#include <kern/queue.h>

struct ipc_pset {
	struct ipc_object ips_object;
	unsigned ips_id;
	struct ipc_space *ips_space;
	mach_port_name_t ips_name;
	struct qlink ips_members;	/* struct ipc_port.ip_pset_link */
	struct qlink ips_rcv_waiters;
	struct qlink ips_all_link;
};
typedef struct ipc_pset *ipc_pset_t;

#define IPS_NULL	((ipc_pset_t)0)
#define ips_from_object(o) ((ipc_pset_t)(o))
_Static_assert(offsetof(struct ipc_pset, ips_object) == 0, "object header first");

extern struct qlink all_psets;
extern unsigned ipc_psets_alive;

void ipc_pset_init_zone(void);
kern_return_t ipc_pset_alloc(struct ipc_space *space, mach_port_name_t *namep, ipc_pset_t *psetp);
kern_return_t ipc_pset_alloc_name(struct ipc_space *space, mach_port_name_t name, ipc_pset_t *psetp);
/* Add port to set (it must be in no set).  Wakes nothing. */
void ipc_pset_add(ipc_pset_t set, struct ipc_port *port);
void ipc_pset_remove(ipc_pset_t set, struct ipc_port *port);
/* Destroy the set: remove members, wake receivers with MACH_RCV_PORT_DIED. */
void ipc_pset_destroy(ipc_pset_t set);
void ipc_pset_free(ipc_pset_t set);
void ipc_pset_print(ipc_pset_t set);

#endif
