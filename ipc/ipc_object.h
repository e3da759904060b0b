/*
 * The common header of ports and port sets.
 *
 * References: io_references counts every pointer that keeps the object
 * in memory (an entry naming it, a right in transit in a kmsg, a kernel
 * object, a thread receiving on it).  A dead (inactive) object stays in
 * memory until its last reference goes.  The kernel is uniprocessor and
 * non-preemptible, so objects have no locks: every operation runs to
 * completion with interrupts off, and a thread only gives up the CPU at
 * the explicit blocking points named in ipc_mqueue.c.
 */
#ifndef _IPC_IPC_OBJECT_H_
#define _IPC_IPC_OBJECT_H_

#include <kern/types.h>
#include <mach/port.h>
#include <mach/message.h>
#include <mach/kern_return.h>

#define IOT_PORT	0
#define IOT_PORT_SET	1

struct ipc_object {
	uint8_t io_otype;		/* IOT_* */
	bool io_active;
	uint32_t io_references;
};
typedef struct ipc_object *ipc_object_t;

#define IO_NULL		((ipc_object_t)0)
#define IO_DEAD		((ipc_object_t)~0u)
#define IO_VALID(io)	((io) != IO_NULL && (io) != IO_DEAD)

struct ipc_space;
struct ipc_port;
struct ipc_pset;
struct ipc_kmsg;
struct ipc_entry;

static inline void io_reference(ipc_object_t o) { o->io_references++; }
/* io_free: the last reference went: free the port or set. */
void io_free(ipc_object_t o);
/* io_release: drop a reference; frees the object when the last goes. */
static inline void io_release(ipc_object_t o)
{
	if (--o->io_references == 0)
		io_free(o);
}

#endif
