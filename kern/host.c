/*
 * The host object and its two ports (see kern/host.h for who holds
 * which).
 */
#include <ipc/ipc_kobject.h>
#include <kern/assert.h>
#include <kern/host.h>
#include <mach/host_special_ports.h>
#include <mach/host_privServer.h>

struct host realhost;

/* host_init: the host and privileged host ports, with send rights the kernel keeps.  Once. */
void host_init(void)
{
	ipc_port_t port = ipc_kobject_alloc(&realhost, IKOT_HOST);
	ipc_port_t priv = ipc_kobject_alloc(&realhost, IKOT_HOST_PRIV);
	if (port == NULL || priv == NULL)
		panic("host_init: no memory for the host ports");
	realhost.host_self = ipc_port_make_send(port);
	realhost.host_priv_self = ipc_port_make_send(priv);
}

/* host_self_port: the kernel's send right to the host port. */
ipc_port_t host_self_port(void)
{
	return realhost.host_self;
}

/* host_priv_self_port: the kernel's send right to the privileged host port. */
ipc_port_t host_priv_self_port(void)
{
	return realhost.host_priv_self;
}

/* convert_port_to_host: the host, if port is either host port (as XNU). */
host_t convert_port_to_host(ipc_port_t port)
{
	host_t host = ipc_kobject_get(port, IKOT_HOST);
	return host ? host : ipc_kobject_get(port, IKOT_HOST_PRIV);
}

/* convert_port_to_host_priv: the host, only if port is the privileged port. */
host_t convert_port_to_host_priv(ipc_port_t port)
{
	return ipc_kobject_get(port, IKOT_HOST_PRIV);
}

/* convert_host_to_port: a new send right to the (unprivileged) host port. */
ipc_port_t convert_host_to_port(host_t host)
{
	return host ? ipc_port_copy_send(host->host_self) : IP_NULL;
}

/*
 * host_get_special_port: a send right to one of the host's special
 * ports.  HOST_PORT and HOST_PRIV_PORT are the kernel's; the others
 * (3 .. HOST_MAX_SPECIAL_PORT) are never set here and come back null.
 * node must be HOST_LOCAL_NODE or 0 (this kernel is one node).
 * References: host_priv is the server's; *port belongs to the reply.
 * Returns KERN_INVALID_ARGUMENT for a host that is not privileged, another
 * node or a which out of range.
 */
kern_return_t host_get_special_port(host_t host_priv, int node, int which, mach_port_t *port)
{
	if (host_priv == NULL || (node != HOST_LOCAL_NODE && node != 0) ||
	    which <= HOST_SECURITY_PORT || which > HOST_MAX_SPECIAL_PORT)
		return KERN_INVALID_ARGUMENT;
	ipc_port_t p = IP_NULL;
	if (which == HOST_PORT)
		p = ipc_port_copy_send(host_priv->host_self);
	else if (which == HOST_PRIV_PORT)
		p = ipc_port_copy_send(host_priv->host_priv_self);
	*port = p;
	return KERN_SUCCESS;
}
