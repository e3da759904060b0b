/*
 * Object reference counting.
 */
#include <ipc/ipc_port.h>
#include <ipc/ipc_pset.h>
#include <kern/assert.h>

/* io_free: see ipc_object.h. */
void io_free(ipc_object_t o)
{
	assert(o->io_references == 0);
	if (o->io_otype == IOT_PORT)
		ipc_port_free(ip_from_object(o));
	else
		ipc_pset_free(ips_from_object(o));
}
