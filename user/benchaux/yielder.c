/*
 * benchaux/yielder: the partner of bench/ctx_switch.  Yields the CPU in a
 * loop until it is killed.
 */
#include <mach/mach.h>

int main(void)
{
	for (;;)
		(void)swtch();
}
