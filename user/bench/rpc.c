/*
 * RPC round trips, in guest instructions per round trip (GUIDE section 4):
 *
 *   kernel_rpc_rt      mach_port_get_refs on one of our own ports: a
 *                      request to the task's kernel port and its reply
 *   rpc_rt_intra_task  a null request/reply between two threads of this task
 *   rpc_rt_inter_task  the same between two tasks (measured by the client,
 *                      benchaux/rpc_client, which also reports
 *                      rpc_rt_inter_task_slow with the hot path off)
 *
 * A round trip is the client's mach_msg(SEND|RCV) of a header-only request
 * (COPY_SEND to the server's port, MAKE_SEND_ONCE of the client's reply
 * port) until that call returns with the reply; the server's side (its
 * mach_msg(SEND|RCV) of the reply and of the wait for the next request)
 * runs in between and is counted, as in a real RPC.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/bench.h>
#include <mk/thread.h>
#include "../benchaux/rpc_common.h"

#define N	20000
#define WARMUP	200

static mach_port_t server_port;

static void server_thread(void *arg __attribute__((unused)))
{
	rpc_serve(server_port);
}

/* kernel_rpc_rt: mach_port_get_refs on our own receive right. */
static int bench_kernel_rpc(void)
{
	mach_port_t p;
	mach_port_urefs_t refs = 0;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &p) != KERN_SUCCESS)
		return 1;
	for (int i = 0; i < WARMUP; i++)
		mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, &refs);
	uint64_t t0 = mk_rdtsc();
	kern_return_t all = KERN_SUCCESS;
	for (int i = 0; i < N; i++)
		all |= mach_port_get_refs(mach_task_self(), p, MACH_PORT_RIGHT_RECEIVE, &refs);
	uint64_t t1 = mk_rdtsc();
	mach_port_destroy(mach_task_self(), p);
	if (all != KERN_SUCCESS || refs != 1) {
		printf("kernel_rpc_rt: mach_port_get_refs failed (%#x, refs %u)\n", all, refs);
		return 1;
	}
	bench_report("kernel_rpc_rt", t1 - t0, N);
	return 0;
}

/* rpc_rt_intra_task: client here, server in a second thread of this task. */
static int bench_intra(void)
{
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &server_port) ||
	    mach_port_insert_right(mach_task_self(), server_port, server_port,
				   MACH_MSG_TYPE_MAKE_SEND))
		return 1;
	int tid = mk_thread_start(server_thread, NULL);
	if (tid <= 0)
		return 1;
	mach_port_t reply = mach_reply_port();
	int rc = rpc_client_run("rpc_rt_intra_task", server_port, reply, N, WARMUP);
	rpc_send_quit(server_port);
	mk_thread_wait(tid);
	mach_port_destroy(mach_task_self(), reply);
	mach_port_destroy(mach_task_self(), server_port);
	return rc;
}

/*
 * rpc_rt_inter_task: serve a client task.  It gets our port as its
 * bootstrap special port, which a spawned task inherits from its spawner.
 */
static int bench_inter(void)
{
	mach_port_t port, old_bootstrap;
	if (mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port) ||
	    mach_port_insert_right(mach_task_self(), port, port, MACH_MSG_TYPE_MAKE_SEND) ||
	    task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &old_bootstrap) ||
	    task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, port))
		return 1;
	int child = mk_spawn("benchaux/rpc_client");
	task_set_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, old_bootstrap);
	mach_port_deallocate(mach_task_self(), old_bootstrap);
	if (child <= 0)
		return 1;
	rpc_serve(port);
	struct mk_exit_info info;
	kern_return_t kr = mk_task_wait(child, 0, &info);
	mach_port_destroy(mach_task_self(), port);
	return kr != KERN_SUCCESS || info.how != MK_EXIT_STATUS || info.code != 0;
}

int main(void)
{
	int rc = bench_kernel_rpc();
	rc |= bench_intra();
	rc |= bench_inter();
	return rc;
}
