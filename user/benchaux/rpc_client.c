/*
 * The client side of rpc_rt_inter_task (see bench/rpc.c): its bootstrap
 * port is a send right to the server's port.  Reports the round trip with
 * the hot path on, then off (rpc_rt_inter_task_slow), then stops the server.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include "rpc_common.h"

#define N	20000
#define WARMUP	200

int main(void)
{
	mach_port_t server;
	if (task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &server) != KERN_SUCCESS)
		return 1;
	mach_port_t reply = mach_reply_port();
	int rc = rpc_client_run("rpc_rt_inter_task", server, reply, N, WARMUP);
	int was = mk_hotpath(0);
	rc |= rpc_client_run("rpc_rt_inter_task_slow", server, reply, N, WARMUP);
	mk_hotpath(was);
	rpc_send_quit(server);
	mach_port_destroy(mach_task_self(), reply);
	mach_port_deallocate(mach_task_self(), server);
	return rc;
}
