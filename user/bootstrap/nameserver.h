/*
 * nameserver.h - the name service of the bootstrap task (the server side
 * of <servers/bootstrap.h>).
 *
 * bootstrap.c calls, before it spawns any program:
 *
 *	nameserver_init();	the service port, made the task's
 *				TASK_BOOTSTRAP_PORT so every task spawned
 *				afterwards inherits a send right to it
 *	nameserver_start();	the server thread, which serves the port
 *				for the rest of the run
 *
 * Both must run before the bootstrap takes its leak-check baseline: the
 * port, the thread and the thread's MIG reply port then belong to it.
 */
#ifndef _BOOTSTRAP_NAMESERVER_H_
#define _BOOTSTRAP_NAMESERVER_H_

/* Services that may be registered at once. */
#define NAMESERVER_MAX_SERVICES	64

/*
 * nameserver_init: allocate the service port and install it as this
 * task's bootstrap port (and in bootstrap_port).  Prints a line and
 * leaves the name service off if the port cannot be made.
 */
void nameserver_init(void);

/*
 * nameserver_start: start the server thread and wait until it is ready
 * to serve.  Does nothing if nameserver_init failed.
 */
void nameserver_start(void);

#endif /* _BOOTSTRAP_NAMESERVER_H_ */
