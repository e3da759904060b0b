/*
 * The host: one kernel object standing for the machine, named by two
 * ports.  The host port (IKOT_HOST) answers the unprivileged host
 * routines (mach_host.defs); the privileged host port (IKOT_HOST_PRIV)
 * answers those too and the host_priv.defs routines (host exception
 * ports, host special ports).
 *
 * Who holds host_priv (as XNU, where it is the TASK_HOST_PORT of
 * privileged tasks): the first task, bootstrap, gets the privileged port
 * as its TASK_HOST_PORT; tasks inherit their creator's TASK_HOST_PORT,
 * and mach_host_self() returns the caller's.  A task drops the privilege
 * by setting TASK_HOST_PORT to the host port (host_get_special_port
 * HOST_PORT), and every task it creates afterwards is unprivileged.
 */
#ifndef _KERN_HOST_H_
#define _KERN_HOST_H_

#include <ipc/ipc_port.h>

struct host {
	ipc_port_t host_self;		/* send right to the host port */
	ipc_port_t host_priv_self;	/* send right to the privileged port */
	void *host_exc;		/* host exception ports (kern/exception_ports.c) */
};
typedef struct host *host_t;

extern struct host realhost;

void host_init(void);
/* The host port (the kernel's reference; copy_send it to hand out). */
ipc_port_t host_self_port(void);
/* The privileged host port (likewise). */
ipc_port_t host_priv_self_port(void);
host_t convert_port_to_host(ipc_port_t port);
host_t convert_port_to_host_priv(ipc_port_t port);
ipc_port_t convert_host_to_port(host_t host);

#endif
