/*
 * testaux/ipc_echo_server: the echo server of tests/ipc_nameservice.
 *
 * Registers a receive right's send right as IPC_ECHO_SERVICE with the
 * name service of its bootstrap port, serves echo requests until a quit
 * request (user/testaux/ipc_echo.h), then destroys its port and exits 0.
 * Exit status 2: no port; 3: registration failed; 4: receive failed.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <servers/bootstrap.h>
#include "ipc_echo.h"

#define IPC_ECHO_SERVICE	"mk.test.ipc_echo"

int main(void)
{
	mach_port_t port;
	kern_return_t kr;

	kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE,
	    &port);
	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(mach_task_self(), port, port,
		    MACH_MSG_TYPE_MAKE_SEND);
	if (kr != KERN_SUCCESS) {
		printf("ipc_echo_server: no port: %d\n", kr);
		return 2;
	}
	kr = bootstrap_register(bootstrap_port_get(), IPC_ECHO_SERVICE, port);
	if (kr != BOOTSTRAP_SUCCESS) {
		printf("ipc_echo_server: bootstrap_register: %d\n", kr);
		return 3;
	}
	int served = echo_serve(port);
	(void)mach_port_destroy(mach_task_self(), port);
	return served < 0 ? 4 : 0;
}
