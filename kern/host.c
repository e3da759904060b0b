/*
 * The host object and its port.
 */
#include <ipc/ipc_kobject.h>
#include <kern/assert.h>
#include <kern/host.h>

struct host realhost;

/* host_init: the host port, with a send right the kernel keeps.  Once. */
void host_init(void)
{
	ipc_port_t port = ipc_kobject_alloc(&realhost, IKOT_HOST);
	if (port == NULL)
		panic("host_init: no memory for the host port");
	realhost.host_self = ipc_port_make_send(port);
}

/* host_self_port: the kernel's send right to the host port. */
ipc_port_t host_self_port(void)
{
	return realhost.host_self;
}

/* convert_port_to_host: the host, if port is the host port. */
host_t convert_port_to_host(ipc_port_t port)
{
	return ipc_kobject_get(port, IKOT_HOST);
}

/* convert_port_to_host_priv: there is no separate privileged port here. */
host_t convert_port_to_host_priv(ipc_port_t port)
{
	return ipc_kobject_get(port, IKOT_HOST);
}

/* convert_host_to_port: a new send right to the host port. */
ipc_port_t convert_host_to_port(host_t host)
{
	return host ? ipc_port_copy_send(host->host_self) : IP_NULL;
}
