/*
 * The two 8259A PICs, remapped to vectors 32..47, and the 8254 PIT.
 */
#ifndef _MACHINE_PIC_H_
#define _MACHINE_PIC_H_

#include <kern/types.h>

#define IRQ_TIMER	0
#define IRQ_COM1	4
#define NIRQ		16

void pic_init(void);
void pic_unmask(int irq);
void pic_mask(int irq);
void pic_eoi(int irq);

/* Program PIT channel 0 to interrupt HZ times a second. */
void pit_init(void);

#endif
