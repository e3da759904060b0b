/*
 * mk_sleep_ms: block for a number of milliseconds.
 */
#include <mach/mach.h>
#include <mk/thread.h>

/*
 * mk_sleep_ms: thread_switch with SWITCH_OPTION_WAIT blocks the caller for
 * option_time milliseconds (XNU semantics); with 0 it only yields.
 * Returns the trap's result (KERN_SUCCESS normally).
 */
kern_return_t mk_sleep_ms(unsigned int ms)
{
	return thread_switch(MACH_PORT_NULL, SWITCH_OPTION_WAIT, ms);
}
