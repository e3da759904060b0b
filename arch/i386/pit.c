/*
 * 8254 programmable interval timer, channel 0, rate generator at HZ.
 */
#include <machine/cpu.h>
#include <machine/param.h>
#include <machine/pic.h>

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_FREQ	1193182u

_Static_assert(PIT_FREQ / HZ <= 0xffff, "HZ too low for a 16-bit divisor");

/* pit_init: program channel 0 for HZ interrupts a second (IRQ 0). */
void pit_init(void)
{
	uint16_t div = (uint16_t)((PIT_FREQ + HZ / 2) / HZ);
	outb(PIT_CMD, 0x34);		/* channel 0, lo/hi, mode 2 */
	outb(PIT_CH0, div & 0xff);
	outb(PIT_CH0, div >> 8);
}
