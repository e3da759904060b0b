/*
 * null_trap: the cost of the cheapest Mach trap, a mach_msg_trap with
 * neither MACH_SEND_MSG nor MACH_RCV_MSG, which does nothing and returns
 * MACH_MSG_SUCCESS.  Reports guest instructions per call, loop included.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mk/bench.h>

#define WARMUP	1000
#define N	100000

/* One null mach_msg; returns its result. */
static inline mach_msg_return_t null_msg(void)
{
	return mach_msg_trap(NULL, MACH_MSG_OPTION_NONE, 0, 0, MACH_PORT_NULL,
	    MACH_MSG_TIMEOUT_NONE, MACH_PORT_NULL);
}

int main(void)
{
	mach_msg_return_t bad = MACH_MSG_SUCCESS;

	for (int i = 0; i < WARMUP; i++)
		bad |= null_msg();
	if (bad != MACH_MSG_SUCCESS) {
		printf("null_trap: mach_msg_trap returned 0x%x, not "
		    "MACH_MSG_SUCCESS\n", bad);
		return 1;
	}
	uint64_t t0 = mk_rdtsc();
	for (int i = 0; i < N; i++)
		bad |= null_msg();
	uint64_t t1 = mk_rdtsc();
	if (bad != MACH_MSG_SUCCESS) {
		printf("null_trap: mach_msg_trap returned 0x%x during the "
		    "run\n", bad);
		return 1;
	}
	bench_report("null_trap", t1 - t0, N);
	return 0;
}
