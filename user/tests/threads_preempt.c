/*
 * threads_preempt: the scheduler preempts threads that never yield.
 *
 * Two threads spin, each incrementing its own counter, until told to
 * stop.  While main sleeps, both must make progress, and both must make
 * progress again over a second sleep: neither can be starved by the
 * other's busy loop, which only timer preemption can ensure.
 */
#include <mach/mach.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define NSPIN	2

static volatile unsigned int counter[NSPIN];
static volatile int stop;

static void spin(void *arg)
{
	volatile unsigned int *c = arg;

	while (!stop)
		(*c)++;
}

int main(void)
{
	int tid[NSPIN];
	unsigned int first[NSPIN];

	for (int i = 0; i < NSPIN; i++) {
		tid[i] = mk_thread_start(spin, (void *)&counter[i]);
		tap_ok(tid[i] > 0, "spinner %d started (%d)", i, tid[i]);
	}
	if (tid[0] <= 0 || tid[1] <= 0) {
		stop = 1;
		for (int i = 0; i < NSPIN; i++)
			if (tid[i] > 0)
				(void)mk_thread_wait(tid[i]);
		return tap_done();
	}

	tap_ok(mk_sleep_ms(200) == KERN_SUCCESS, "main slept 200 ms");
	for (int i = 0; i < NSPIN; i++) {
		first[i] = counter[i];
		tap_ok(first[i] > 0, "spinner %d ran during the first sleep "
		    "(%u)", i, first[i]);
	}
	tap_ok(mk_sleep_ms(200) == KERN_SUCCESS, "main slept 200 ms again");
	for (int i = 0; i < NSPIN; i++) {
		unsigned int now = counter[i];
		tap_ok(now > first[i], "spinner %d ran during the second "
		    "sleep (%u -> %u)", i, first[i], now);
	}

	stop = 1;
	for (int i = 0; i < NSPIN; i++) {
		kern_return_t kr = mk_thread_wait(tid[i]);
		tap_ok(kr == KERN_SUCCESS, "spinner %d joined (kr %d)", i, kr);
	}
	return tap_done();
}
