/*
 * ctx_switch: the cost of one thread switch between two tasks.
 *
 * benchaux/yielder loops on swtch() forever.  This task does the same N
 * times between two rdtsc readings.  With only the two threads runnable,
 * each of our swtch() calls switches to the yielder, whose swtch() switches
 * back: one iteration here is two context switches (each including a trap
 * in and out and an address-space change), and the yielder's instructions
 * run in between and are counted.  ctx_switch = total / (2 N), per switch.
 * swtch() returns whether another thread was runnable; a FALSE answer
 * means no switch happened, and is reported.
 */
#include <stdio.h>
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/bench.h>

#define WARMUP	1000
#define N	20000
#define WAIT_S	30

int main(void)
{
	unsigned int alone = 0;

	int task = mk_spawn("benchaux/yielder");
	if (task <= 0) {
		printf("ctx_switch: cannot spawn benchaux/yielder: error %d\n",
		    -task);
		return 1;
	}
	for (int i = 0; i < WARMUP; i++)
		(void)swtch();
	uint64_t t0 = mk_rdtsc();
	for (int i = 0; i < N; i++)
		alone += !swtch();
	uint64_t t1 = mk_rdtsc();

	kern_return_t kr = mk_task_kill(task);
	struct mk_exit_info info;
	kern_return_t wr = mk_task_wait(task, WAIT_S * mk_info(MK_INFO_HZ),
	    &info);
	if (alone != 0)
		printf("# ctx_switch: swtch() found nothing else runnable "
		    "%u of %u times\n", alone, N);
	if (kr != KERN_SUCCESS || wr != KERN_SUCCESS) {
		printf("ctx_switch: killing the yielder failed (kill %d, "
		    "wait %d)\n", kr, wr);
		return 1;
	}
	bench_report("ctx_switch", t1 - t0, 2ull * N);
	return alone != 0;
}
