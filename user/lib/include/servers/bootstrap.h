/*
 * servers/bootstrap.h - the name service: find a task's service port by
 * name.  The client calls carry launchd's names, signatures and error
 * values, so XNU-style programs use them unchanged:
 *
 *	bootstrap_register(bootstrap_port, "org.example.echo", send_right)
 *	bootstrap_look_up(bootstrap_port, "org.example.echo", &port)
 *
 * The server is the bootstrap task (user/bootstrap/nameserver.c).  It
 * serves the port every task finds as its TASK_BOOTSTRAP_PORT special
 * port, which a spawned task inherits from its spawner.
 *
 * Behaviour (where launchd leaves room, the choice made here):
 *   - bootstrap_register copies the caller's send right (COPY_SEND): the
 *     caller keeps its right and the server holds one of its own until the
 *     name is unregistered or the port dies.  When the port dies (its
 *     receive right is destroyed, e.g. its task ends) the name is dropped.
 *   - Registering MACH_PORT_NULL under a registered name unregisters it
 *     (BOOTSTRAP_UNKNOWN_SERVICE if the name was not registered).
 *   - bootstrap_look_up gives the caller a new send right (one more user
 *     reference if it already holds one for that port).
 *   - A name is 1 to BOOTSTRAP_MAX_NAME_LEN - 1 bytes; an empty, NULL or
 *     longer name gives KERN_INVALID_ARGUMENT before anything is sent.
 */
#ifndef _SERVERS_BOOTSTRAP_H_
#define _SERVERS_BOOTSTRAP_H_

#include <mach/mach_types.h>
#include <mach/message.h>
#include <mach/ndr.h>

/* launchd's return codes (bootstrap.h). */
#define BOOTSTRAP_SUCCESS		0
#define BOOTSTRAP_NOT_PRIVILEGED	1100
#define BOOTSTRAP_NAME_IN_USE		1101
#define BOOTSTRAP_UNKNOWN_SERVICE	1102
#define BOOTSTRAP_SERVICE_ACTIVE	1103
#define BOOTSTRAP_BAD_COUNT		1104
#define BOOTSTRAP_NO_MEMORY		1105
#define BOOTSTRAP_NO_CHILDREN		1106

#define BOOTSTRAP_MAX_NAME_LEN		128

typedef char name_t[BOOTSTRAP_MAX_NAME_LEN];

/*
 * The calling task's send right to its bootstrap port, set by libmk at
 * start-up (MACH_PORT_NULL if the task has none).
 */
extern mach_port_t bootstrap_port;

/*
 * bootstrap_port_get: the task's bootstrap port (a send right the caller
 * must not deallocate), fetched with task_get_special_port on first use
 * and cached in bootstrap_port.  MACH_PORT_NULL if the task has none.
 */
mach_port_t bootstrap_port_get(void);

/*
 * bootstrap_register: make service_name denote the port that the send
 * right `sp' names (see above for MACH_PORT_NULL).  Returns
 * BOOTSTRAP_SUCCESS, BOOTSTRAP_NAME_IN_USE, BOOTSTRAP_NO_MEMORY (table
 * full), KERN_INVALID_ARGUMENT (bad name), or a mach_msg / MIG error.
 */
kern_return_t bootstrap_register(mach_port_t bp, const char *service_name,
				 mach_port_t sp);

/*
 * bootstrap_look_up: a send right to the port registered as service_name,
 * in *sp.  Returns BOOTSTRAP_SUCCESS, BOOTSTRAP_UNKNOWN_SERVICE,
 * KERN_INVALID_ARGUMENT (bad name or sp NULL), or a mach_msg / MIG error.
 */
kern_return_t bootstrap_look_up(mach_port_t bp, const char *service_name,
				mach_port_t *sp);

/*
 * The wire protocol, shared by the client calls and the server.  It has
 * the shape MIG gives launchd's subsystem 400: requests 403 (register) and
 * 404 (look_up), replies id + 100, errors as mig_reply_error_t.
 */
#define BOOTSTRAP_MSG_REGISTER		403
#define BOOTSTRAP_MSG_LOOK_UP		404
#define BOOTSTRAP_REPLY(id)		((id) + 100)

#pragma pack(push, 4)

/* 403: complex, one port descriptor (COPY_SEND or a null name). */
typedef struct {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	service_port;
	NDR_record_t			ndr;
	name_t				service_name;	/* NUL-terminated */
} bootstrap_register_request_t;

/* 404: simple. */
typedef struct {
	mach_msg_header_t		head;
	NDR_record_t			ndr;
	name_t				service_name;	/* NUL-terminated */
} bootstrap_look_up_request_t;

/* 504 on success: complex, one port descriptor (a send right). */
typedef struct {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	service_port;
} bootstrap_look_up_reply_t;

#pragma pack(pop)

#endif /* _SERVERS_BOOTSTRAP_H_ */
