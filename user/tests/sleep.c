/*
 * sleep: thread_switch with SWITCH_OPTION_WAIT blocks for the time asked.
 *
 * mk_sleep_ms(100) must take at least 100 ms of clock ticks and not more
 * than three ticks beyond that; mk_sleep_ms(0) must come back at once
 * (within a tick boundary).
 */
#include <mach/mach.h>
#include <mach/mk_traps.h>
#include <mk/tap.h>
#include <mk/thread.h>

#define SLOP_TICKS	3

int main(void)
{
	unsigned int hz = mk_info(MK_INFO_HZ);
	unsigned int want = (100 * hz + 999) / 1000;	/* ticks in 100 ms */
	kern_return_t kr;

	if (!tap_ok(hz > 0, "HZ is %u", hz))
		return tap_done();

	unsigned int t0 = mk_info(MK_INFO_TICKS);
	kr = mk_sleep_ms(100);
	unsigned int elapsed = mk_info(MK_INFO_TICKS) - t0;
	tap_ok(kr == KERN_SUCCESS, "mk_sleep_ms(100) returned KERN_SUCCESS "
	    "(kr %d)", kr);
	tap_ok(elapsed >= want, "slept at least %u ticks (%u)", want, elapsed);
	tap_ok(elapsed <= want + SLOP_TICKS, "slept at most %u ticks (%u)",
	    want + SLOP_TICKS, elapsed);

	t0 = mk_info(MK_INFO_TICKS);
	kr = mk_sleep_ms(0);
	elapsed = mk_info(MK_INFO_TICKS) - t0;
	tap_ok(kr == KERN_SUCCESS, "mk_sleep_ms(0) returned KERN_SUCCESS "
	    "(kr %d)", kr);
	tap_ok(elapsed <= 1, "mk_sleep_ms(0) returned at once (%u ticks)",
	    elapsed);
	return tap_done();
}
