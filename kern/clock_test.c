/*
 * Self-test: the timer interrupt advances the tick count.
 */
#include <kern/clock.h>
#include <kern/ktest.h>
#include <machine/cpu.h>

KTEST(clock_ticks)
{
	uint64_t t0 = clock_ticks();
	/* Wait for 5 ticks, bounded by halts, not by time. */
	for (int i = 0; i < 1000 && clock_ticks() < t0 + 5; i++) {
		sti_halt();
		cli();
	}
	uint64_t t1 = clock_ticks();
	KT_CHECK(kt, t1 >= t0 + 5, "ticks advanced from %llu to %llu",
		 (unsigned long long)t0, (unsigned long long)t1);
}
