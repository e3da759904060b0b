/*
 * longipc: L4-style long IPC of one 4 KiB and one 64 KiB string between
 * two tasks, in guest instructions per round trip (GUIDE section 4).
 *
 *   longipc_4k    a request carrying one 4,096-byte string, and its reply
 *   longipc_64k   the same with a 65,536-byte string
 *
 * A round trip, here and in bench/kmsg_copy (kmsg_copy_64k), is: the
 * client's call that sends the request (the bytes) to the server's port
 * and waits on its reply port, the server's single trap that answers
 * with an empty reply and waits for the next request, until the client's
 * call returns.  Everything in between is counted, the server's side
 * included.  The bytes go straight from the client's buffer into the
 * server's (one copy through the window); kmsg_copy moves the same bytes
 * through a kernel message buffer (two copies).  Instructions per byte
 * are printed as comments; make bench prints them as derived rows.
 *
 * The server is testaux/longipc_benchsrv, which gets this task's port as
 * its bootstrap special port (inherited at spawn).
 */
#include <stdio.h>
#include <string.h>
#include <mach/mach.h>
#include <mach/mk_long_ipc.h>
#include <mach/mk_traps.h>
#include <mk/bench.h>
#include <mk/mach_port.h>

#define LONGIPC_BENCHSRV_PROTO_ONLY
#include "../testaux/longipc_benchsrv.c"

#define N	2000
#define WARMUP	200

static uint8_t data[LB_MAXBYTES] __attribute__((aligned(4096)));

/* Time N calls of size bytes each; 0 on success. */
static int run(const char *name, mach_port_t server, mach_port_t reply, uint32_t size)
{
	struct {
		mk_lipc_msg_t m;
		mk_lipc_string_t d[1];
	} req = { { 0, 1, 0, 0 }, { { (uint32_t)data, size, 0 } } };
	mk_lipc_msg_t rep = { 0, 0, 0, 0 };
	mach_msg_return_t mr = MACH_MSG_SUCCESS;

	for (int i = 0; i < WARMUP && mr == MACH_MSG_SUCCESS; i++)
		mr = mk_lipc_call(server, &req.m, reply, &rep, 0, 0);
	uint64_t t0 = mk_rdtsc();
	for (int i = 0; i < N && mr == MACH_MSG_SUCCESS; i++)
		mr = mk_lipc_call(server, &req.m, reply, &rep, 0, 0);
	uint64_t t1 = mk_rdtsc();
	if (mr != MACH_MSG_SUCCESS) {
		printf("%s: mk_lipc_call failed: %#x\n", name, mr);
		return 1;
	}
	bench_report(name, t1 - t0, N);
	uint64_t per = (t1 - t0) / N;
	printf("# %s: %llu.%03llu insns per byte\n", name,
	       (unsigned long long)(per / size),
	       (unsigned long long)(per % size * 1000 / size));
	return 0;
}

int main(void)
{
	struct lb_client c;

	memset(data, 0x3c, sizeof(data));
	if (lb_client_start(&c, LB_LONGIPC, "longipc"))
		return 1;
	int rc = run("longipc_4k", c.server, c.reply, 4096);
	if (!rc)
		rc = run("longipc_64k", c.server, c.reply, 65536);

	/* the last request: one dword, no reply */
	struct {
		mk_lipc_msg_t m;
		uint32_t dw[1];
	} quit = { { 1, 0, 0, 0 }, { 0 } };
	int sent = mk_lipc_send(c.server, &quit.m, MK_LIPC_SEND_TIMEOUT, 10000) == MACH_MSG_SUCCESS;
	return rc | lb_client_finish(&c, sent);
}
