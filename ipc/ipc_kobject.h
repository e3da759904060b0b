/*
 * Kernel objects: ports whose receive right the kernel holds
 * (ip_receiver == ipc_space_kernel) and whose messages are RPCs the
 * kernel serves at send time, through tables generated from the .defs
 * files by tools/mig.
 */
#ifndef _IPC_IPC_KOBJECT_H_
#define _IPC_IPC_KOBJECT_H_

#include <ipc/ipc_kmsg.h>
#include <ipc/ipc_port.h>

#define IKOT_NONE	0
#define IKOT_THREAD	1
#define IKOT_TASK	2
#define IKOT_HOST	3
#define IKOT_HOST_PRIV	4

void ipc_kobject_init(void);
/*
 * ipc_kobject_server: serve a request addressed to a kernel object.
 * Consumes the request; returns the reply to send (with send-always),
 * or IKM_NULL when there is none (MIG_NO_REPLY, no reply port, no memory).
 */
ipc_kmsg_t ipc_kobject_server(ipc_kmsg_t request);
/* Make port represent the object (type IKOT_*), or nothing (IKOT_NONE). */
void ipc_kobject_set(ipc_port_t port, void *kobject, unsigned type);
/* A new kernel-held port for a kernel object; NULL on shortage. */
ipc_port_t ipc_kobject_alloc(void *kobject, unsigned type);
/* The kernel object behind a port, if it has that type. */
void *ipc_kobject_get(ipc_port_t port, unsigned type);

struct mig_hash_stats {
	unsigned routines;
	unsigned long calls;
	unsigned long bad_ids;
};
void ipc_kobject_stats(struct mig_hash_stats *st);

#endif
