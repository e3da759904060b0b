/*
 * The host: one kernel object standing for the machine.
 */
#ifndef _KERN_HOST_H_
#define _KERN_HOST_H_

#include <ipc/ipc_port.h>

struct host {
	ipc_port_t host_self;
};
typedef struct host *host_t;

extern struct host realhost;

void host_init(void);
/* The host port (the kernel's reference; copy_send it to hand out). */
ipc_port_t host_self_port(void);
host_t convert_port_to_host(ipc_port_t port);
host_t convert_port_to_host_priv(ipc_port_t port);
ipc_port_t convert_host_to_port(host_t host);

#endif
