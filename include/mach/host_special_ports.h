/*
 * mach/host_special_ports.h - selectors for host_get_special_port and
 * host_set_special_port (XNU osfmk/mach/host_special_ports.h).  Selectors
 * up to HOST_MAX_SPECIAL_KERNEL_PORT are provided by the kernel and cannot
 * be set; those above it are registered by user servers.  Only the ones
 * this system may use are listed.
 */
#ifndef _MACH_HOST_SPECIAL_PORTS_H_
#define _MACH_HOST_SPECIAL_PORTS_H_

#define HOST_SECURITY_PORT		0	/* never given to user space */
#define HOST_MIN_SPECIAL_PORT		HOST_SECURITY_PORT

#define HOST_PORT			1	/* unprivileged host port */
#define HOST_PRIV_PORT			2	/* privileged host port */
#define HOST_IO_MASTER_PORT		3	/* device master port */
#define HOST_MAX_SPECIAL_KERNEL_PORT	7	/* room to grow */
#define HOST_LAST_SPECIAL_KERNEL_PORT	HOST_IO_MASTER_PORT

#define HOST_DYNAMIC_PAGER_PORT		(1 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_AUDIT_CONTROL_PORT		(2 + HOST_MAX_SPECIAL_KERNEL_PORT)
#define HOST_USER_NOTIFICATION_PORT	(3 + HOST_MAX_SPECIAL_KERNEL_PORT)
/* The last special port this header names. */
#define HOST_MAX_SPECIAL_PORT		HOST_USER_NOTIFICATION_PORT

/* The node argument meaning "this node". */
#define HOST_LOCAL_NODE			-1

#define host_get_host_port(host, port)		\
	(host_get_special_port((host), HOST_LOCAL_NODE, HOST_PORT, (port)))
#define host_get_host_priv_port(host, port)	\
	(host_get_special_port((host), HOST_LOCAL_NODE, HOST_PRIV_PORT, (port)))

#endif /* _MACH_HOST_SPECIAL_PORTS_H_ */
