/*
 * 8259A programmable interrupt controllers, cascaded, remapped so that
 * IRQ 0..15 arrive on vectors 32..47 (clear of the CPU exceptions).
 */
#include <machine/cpu.h>
#include <machine/pic.h>
#include <machine/trap.h>

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20

static uint16_t irq_mask = 0xffff & ~(1u << 2);	/* cascade line open */

static void write_mask(void)
{
	outb(PIC1_DATA, irq_mask & 0xff);
	outb(PIC2_DATA, irq_mask >> 8);
}

/* pic_init: ICW1..ICW4 for both PICs, every line masked but the cascade. */
void pic_init(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, T_IRQ0);	/* ICW2: vector base */
	outb(PIC2_DATA, T_IRQ0 + 8);
	outb(PIC1_DATA, 0x04);		/* ICW3: slave on IRQ 2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	write_mask();
}

/* pic_unmask: let irq through. */
void pic_unmask(int irq)
{
	irq_mask &= ~(1u << irq);
	write_mask();
}

/* pic_mask: block irq. */
void pic_mask(int irq)
{
	irq_mask |= 1u << irq;
	write_mask();
}

/* pic_eoi: acknowledge irq (both PICs for lines 8..15). */
void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, PIC_EOI);
	outb(PIC1_CMD, PIC_EOI);
}
