/*
 * Clock interrupt: count ticks at HZ.
 */
#include <kern/clock.h>
#include <kern/trap_mi.h>
#include <machine/pic.h>
#include <machine/trap.h>

volatile uint64_t ticks;

static void clock_intr(struct trapframe *tf)
{
	clock_interrupt(tf);
}

/* clock_init: start the PIT and take its interrupt.  Once, at boot. */
void clock_init(void)
{
	pit_init();
	irq_register(IRQ_TIMER, clock_intr);
}
