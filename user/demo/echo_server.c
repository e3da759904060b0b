/*
 * echo_server: a plain Mach server in XNU style.
 *
 * It allocates a receive right, gives itself a send right, registers that
 * with the name service as "mk.demo.echo" and answers echo requests (see
 * user/testaux/ipc_echo.h) until it is sent a quit request.  Started by
 * `make run' together with echo_client.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include "../testaux/ipc_echo.h"

#define SERVICE_NAME	"mk.demo.echo"

int main(void)
{
	mach_port_t port;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &port);
	if (kr != KERN_SUCCESS) {
		printf("echo_server: mach_port_allocate: %d\n", kr);
		return 1;
	}
	kr = mach_port_insert_right(mach_task_self(), port, port,
	    MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS) {
		printf("echo_server: mach_port_insert_right: %d\n", kr);
		return 1;
	}
	kr = bootstrap_register(bootstrap_port, SERVICE_NAME, port);
	if (kr != BOOTSTRAP_SUCCESS) {
		printf("echo_server: bootstrap_register: %d\n", kr);
		return 1;
	}
	printf("echo_server: serving \"%s\"\n", SERVICE_NAME);
	int served = echo_serve(port);
	printf("echo_server: done after %d request(s)\n", served);
	(void)mach_port_mod_refs(mach_task_self(), port,
	    MACH_PORT_RIGHT_RECEIVE, -1);
	(void)mach_port_deallocate(mach_task_self(), port);
	return served < 0;
}
